//! Writing an imported report as a person would: the documented front matter in plain YAML,
//! keys in the order `docs/content.md` lists them, quotes only where YAML needs them.
//!
//! The emitter is ours rather than serde_yaml's serializer: the report should look like the
//! examples in the content guide (a speaker with only a name as `- Name`, lists one item a
//! line, times in quotes as the guide asks), and the rules for when a value needs quotes are
//! few enough to state and test here. Every value goes through [`scalar`], whose output the
//! tests read back through the loader's own YAML parser, for chosen and for random text.

use super::{Person, Report, Session};
use std::fmt::Write;

/// The whole file: front matter, then the body.
pub fn render(report: &Report) -> String {
    let mut y = String::from("---\n");
    field(&mut y, "title", Some(&report.title));
    field(&mut y, "date", report.date.as_deref());
    field(&mut y, "end", report.end.as_deref());
    field(&mut y, "status", report.status.as_deref());
    field(&mut y, "series", report.series.as_deref());
    field(&mut y, "venue", report.venue.as_deref());
    field(&mut y, "city", report.city.as_deref());
    field(&mut y, "country", report.country.as_deref());
    list(&mut y, "organizers", &report.organizers);
    list(&mut y, "partners", &report.partners);
    if !report.speakers.is_empty() {
        y.push_str("speakers:\n");
        for p in &report.speakers {
            person(&mut y, "  ", p);
        }
    }
    if !report.sessions.is_empty() {
        y.push_str("sessions:\n");
        for s in &report.sessions {
            session(&mut y, s);
        }
    }
    list(&mut y, "topics", &report.topics);
    field(&mut y, "summary", report.summary.as_deref());
    y.push_str("---\n");
    if !report.body.is_empty() {
        y.push_str(&report.body);
        if !report.body.ends_with('\n') {
            y.push('\n');
        }
    }
    y
}

fn field(y: &mut String, key: &str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        let _ = writeln!(y, "{key}: {}", scalar(v));
    }
}

fn list(y: &mut String, key: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(y, "{key}:");
    for item in items {
        let _ = writeln!(y, "  - {}", scalar(item));
    }
}

/// A speaker entry: just the name when that is all there is, else a map.
fn person(y: &mut String, indent: &str, p: &Person) {
    if p.title.is_none() && p.organization.is_none() && p.role.is_none() {
        let _ = writeln!(y, "{indent}- {}", scalar(&p.name));
        return;
    }
    let _ = writeln!(y, "{indent}- name: {}", scalar(&p.name));
    for (key, value) in [
        ("title", &p.title),
        ("organization", &p.organization),
        ("role", &p.role),
    ] {
        if let Some(v) = value {
            let _ = writeln!(y, "{indent}  {key}: {}", scalar(v));
        }
    }
}

fn session(y: &mut String, s: &Session) {
    let _ = writeln!(y, "  - title: {}", scalar(&s.title));
    if let Some(t) = &s.time {
        let _ = writeln!(y, "    time: {}", scalar(t));
    }
    if let Some(t) = &s.summary {
        let _ = writeln!(y, "    summary: {}", scalar(t));
    }
    if !s.speakers.is_empty() {
        y.push_str("    speakers:\n");
        for p in &s.speakers {
            person(y, "      ", p);
        }
    }
}

/// A YAML scalar for `text`: as written when YAML reads it back as that same text, in double
/// quotes otherwise.
pub fn scalar(text: &str) -> String {
    if plain_is_safe(text) {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// Whether `text` written unquoted after `key: ` (or `- `) reads back as exactly `text`.
/// Errs on the side of quoting: a needless pair of quotes costs nothing.
fn plain_is_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let last = text.chars().next_back().unwrap_or(first);
    // Indicators that start something else (a list, a map, an anchor, a tag, a comment, a
    // block scalar, a quote, a directive or a reserved character).
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) || first.is_whitespace() {
        return false;
    }
    if last.is_whitespace() || last == ':' {
        return false;
    }
    // `: ` starts a map, ` #` a comment; `:` anywhere is quoted so times read as text in
    // every YAML version (`14:00` is a number in YAML 1.1), as the content guide asks.
    if text.contains(':') || text.contains(" #") {
        return false;
    }
    // Line breaks and other control characters, including those YAML 1.1 counts as line
    // breaks (NEL, LS, PS) and the byte-order mark, only survive escaped.
    if text
        .chars()
        .any(|c| c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}'))
    {
        return false;
    }
    // Words and numbers YAML reads as something other than text. Our fields read numbers
    // back as text, but not as the same text (`1.10` becomes `1.1`).
    let lower = text.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~"
    ) || lower.starts_with(".inf")
        || lower.starts_with(".nan")
        || lower.starts_with("+.inf")
        || lower.starts_with("-.inf")
    {
        return false;
    }
    if first.is_ascii_digit() || first == '+' || first == '.' {
        let numeric = text
            .chars()
            .all(|c| c.is_ascii_hexdigit() || "+-._xXoO".contains(c));
        // A date (`2025-10-20`) is fine as it is: it reads back as the same text.
        let date = text.len() == 10
            && text.chars().enumerate().all(|(i, c)| match i {
                4 | 7 => c == '-',
                _ => c.is_ascii_digit(),
            });
        if numeric && !date {
            return false;
        }
    }
    true
}

/// A double-quoted YAML scalar: `\` and `"` escaped, control characters and the characters
/// YAML treats as line breaks as `\u` escapes, everything else as it is (readable UTF-8).
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}') => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::documents::Text;
    use proptest::prelude::*;

    fn read_back(text: &str) -> String {
        let yaml = format!("k: {}\n", scalar(text));
        let map: std::collections::BTreeMap<String, Text> =
            serde_yaml::from_str(&yaml).unwrap_or_else(|e| panic!("{yaml:?}: {e}"));
        map["k"].0.clone()
    }

    #[test]
    fn plain_where_plain_reads_back_the_same() {
        for plain in [
            "Forum for Cooperation of Azerbaijani NGOs",
            "2025-10-20",
            "Martin Haase/maha",
            "3d-Flo",
            "Chip & PIN",
            "Xankəndi",
            "C# for NGOs",
            "back\\slash \"and\" quotes",
        ] {
            assert_eq!(scalar(plain), plain);
            assert_eq!(read_back(plain), plain);
        }
    }

    #[test]
    fn quoted_where_yaml_would_read_something_else() {
        for text in [
            "#CRYPTOLEAKS",
            "@pkoerner81929",
            " Fully Open, Fully Sovereign mobile devices",
            "\"Service Point\" The Display",
            "Forum: the next step",
            "14:00",
            "1.10",
            "2025",
            "yes",
            "NO",
            "~",
            "- not a list",
            "[not a list]",
            "a # comment?",
            "line\nbreak",
            "",
            "ends with a colon:",
            "0x1F",
            ".inf",
        ] {
            assert!(
                scalar(text).starts_with('"'),
                "{text:?} -> {}",
                scalar(text)
            );
            assert_eq!(read_back(text), text);
        }
    }

    proptest! {
        #[test]
        fn any_text_reads_back_exactly(text in "\\PC{0,40}|[ -~]{0,40}|[\\t\\n\\u{85}\\u{2028}\\u{feff}a:# -]{0,12}") {
            prop_assert_eq!(read_back(&text), text);
        }
    }
}
