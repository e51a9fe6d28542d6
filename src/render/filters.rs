//! Filters Podium adds to Tera for themes.
//!
//! `json_script` exists because the obvious way to put data in a `<script>` element
//! (`serde_json::to_string`, which is all Tera's `json_encode` does) lets a value such as
//! `</script><script>alert(1)` close the element. We escape `<`, `>`, `&` and the two line
//! separators JavaScript treats as newlines, so the JSON parses back equal and cannot break out.

use tera::{Kwargs, State, Tera, TeraResult, Value};

pub fn register(tera: &mut Tera) {
    tera.register_filter(
        "json_script",
        |value: Value, _: Kwargs, _: &State| -> TeraResult<Value> {
            let json =
                serde_json::to_string(&value).map_err(|e| tera::Error::message(e.to_string()))?;
            Ok(Value::safe_string(&escape_json_for_script(&json)))
        },
    );
}

pub fn escape_json_for_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_for_script_cannot_close_the_element_and_parses_back() {
        let input = "</script><script>alert(1)</script> <!-- & \u{2028}";
        let json = escape_json_for_script(&serde_json::to_string(input).unwrap());
        assert!(
            !json.contains("</") && !json.contains("<!--") && !json.contains('\u{2028}'),
            "{json}"
        );
        let back: String = serde_json::from_str(&json).unwrap();
        assert_eq!(back, input);
    }
}
