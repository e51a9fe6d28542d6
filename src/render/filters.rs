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
    // Copied a run at a time between the few bytes that need escaping (every page has its
    // JSON-LD, a few kilobytes of it): `<`, `>`, `&`, and 0xE2, the first byte of U+2028
    // and U+2029 (and of other characters, which are copied as they are). The runs are
    // found through a table, a few instructions a byte.
    const SPECIAL: [bool; 256] = {
        let mut table = [false; 256];
        table[b'<' as usize] = true;
        table[b'>' as usize] = true;
        table[b'&' as usize] = true;
        table[0xE2] = true;
        table
    };
    let mut out = String::with_capacity(json.len() + 16);
    let mut copied = 0;
    let bytes = json.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !SPECIAL[bytes[i] as usize] {
            i += 1;
            continue;
        }
        let b = bytes[i];
        let escaped = match b {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            b'&' => "\\u0026",
            _ => match json.get(i..i + 3) {
                Some("\u{2028}") => "\\u2028",
                Some("\u{2029}") => "\\u2029",
                _ => {
                    i += 1;
                    continue;
                }
            },
        };
        out.push_str(&json[copied..i]);
        out.push_str(escaped);
        i += if b == 0xE2 { 3 } else { 1 };
        copied = i;
    }
    out.push_str(&json[copied..]);
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

    #[test]
    fn json_for_script_escapes_exactly_those_characters_and_keeps_the_rest() {
        let input = "a<b>c&d\u{2028}e\u{2029}f — ə “x” \u{2030}<";
        assert_eq!(
            escape_json_for_script(input),
            "a\\u003cb\\u003ec\\u0026d\\u2028e\\u2029f — ə “x” \u{2030}\\u003c"
        );
        assert_eq!(escape_json_for_script(""), "");
        assert_eq!(escape_json_for_script("plain"), "plain");
    }
}
