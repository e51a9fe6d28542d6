//! What a YAML mistake in front matter means, said so that an editor can fix it.
//!
//! The YAML library reports where its parser stopped, in its own words ("mapping values are
//! not allowed in this context", "a block collection opened here is never closed"). That
//! place is often a line after the mistake, and the words name the parser's state, not what
//! the editor typed. So the library's error is only where this module starts: it
//! repositions unclosed quotes and brackets to where they open, reads the lines around the
//! error again to recognise the mistakes editors make (a value with `: ` in it, a field
//! indented unlike its neighbours, a line without its colon, front matter that runs on into
//! the report because its closing `---` is missing, a field given twice), and turns serde's
//! type errors into what to write instead. Everything here runs only once parsing has
//! failed, so it never changes what a valid file means.

use crate::diagnostic::{Diagnostic, Span, did_you_mean};
use std::path::Path;

/// The diagnostic for a front matter (`yaml`, starting on `first_line` of the file whose
/// text is `file_text`) that `error` refused.
pub(super) fn yaml_diagnostic(
    error: &serde_yaml::Error,
    yaml: &str,
    display: &Path,
    first_line: usize,
    file_text: &str,
) -> Diagnostic {
    let raw = error.to_string();
    // The library appends its own positions ("at line 3 column 1, while scanning a quoted
    // scalar at line 1 column 8"); we print ours, counted from the start of the file.
    let (mut message, context) = match raw.find(" at line ") {
        Some(i) => (
            raw[..i].to_string(),
            raw[i..].split_once(", while ").map(|(_, c)| c.to_string()),
        ),
        None => (raw.clone(), None),
    };
    let to_file = |line: usize, col: usize| Span::new(display, line + first_line - 1, col);
    let mut span = match error.location() {
        Some(loc) => to_file(loc.line(), loc.column()),
        None => Span::new(display, first_line.saturating_sub(1), 1),
    };
    let at = |line: usize, col: usize, message: String, help: String| {
        Diagnostic::error(message)
            .at_in(to_file(line, col), file_text)
            .with_help(help)
    };
    let yaml_line = error.location().map_or(1, |l| l.line());
    // Before anything else: the report's text read as front matter says nothing useful
    // about its words, and much about the missing `---`.
    if let Some((line, fields_end)) = runaway_front_matter(yaml, yaml_line) {
        let closing = first_line + yaml.lines().count();
        return at(
            line,
            1,
            "the front matter runs on into the report's text: its closing `---` is missing".into(),
            format!(
                "add a line `---` after the last field (line {}); the `---` on line {closing} closed the front matter instead",
                fields_end + first_line - 1
            ),
        );
    }
    let mut help = None;
    let quoted_or_bracketed = context.as_deref().is_some_and(|c| {
        ["a quoted scalar", "a flow sequence", "a flow mapping"]
            .iter()
            .any(|w| c.contains(w))
    });
    // An unterminated quote or bracket is reported at the end of the front matter; the
    // place it was opened is what the editor needs.
    if let Some(context) = context.filter(|_| {
        quoted_or_bracketed
            && (message.contains("end of stream")
                || message.contains("could not find expected")
                || message.contains("did not find expected"))
    }) && let Some((what, position)) = context.split_once(" at line ")
    {
        let mut numbers = position
            .split(" column ")
            .map(|n| n.trim().parse::<usize>().unwrap_or(1));
        if let (Some(line), Some(col)) = (numbers.next(), numbers.next()) {
            // Where the parser gave up (often the next line, which looks fine) is said
            // too, so the editor can connect the two.
            let gave_up = span.clone();
            span = to_file(line, col);
            let what = what
                .trim_start_matches("scanning ")
                .trim_start_matches("parsing ");
            let (what, bracket) = match what {
                "a flow sequence" => ("a `[` list", true),
                "a flow mapping" => ("a `{` map", true),
                other => (other, false),
            };
            message = format!("{what} opened here is never closed");
            // A quote runs to the end of the front matter, which says nothing; a bracket
            // stops at the next line that cannot continue it.
            if bracket && gave_up.line != span.line {
                message.push_str(&format!(
                    " (the parser gave up at line {}, column {})",
                    gave_up.line, gave_up.col
                ));
            }
            help = Some("add the closing quote or bracket".to_string());
        }
    }
    let found = file_text
        .lines()
        .nth(span.line - 1)
        .and_then(|l| l.chars().nth(span.col - 1));
    if found != Some('\t') && !quoted_or_bracketed && is_layout_error(&message) {
        if let Some(loc) = error.location()
            && message.contains("mapping values are not allowed")
            && let Some((key, value)) = colon_in_value(yaml, loc.line(), loc.column())
        {
            return at(
                loc.line(),
                loc.column(),
                format!(
                    "the value of `{key}` has `: ` in it, which YAML reads as the start of another field"
                ),
                format!(
                    "put the value in quotes: `{key}: \"{}\"`",
                    value.replace('"', "\\\"")
                ),
            );
        }
        if let Some(m) = misplaced_line(yaml) {
            return at(m.line, m.col, m.message, m.help);
        }
    }
    if let Some(field) = message
        .split_once("duplicate field `")
        .and_then(|(_, rest)| rest.split('`').next())
        && let Some(loc) = error.location()
    {
        let path =
            message[..message.find("duplicate field").unwrap_or(0)].trim_end_matches([':', ' ']);
        let within = if path.is_empty() {
            String::new()
        } else {
            format!(" in `{path}`")
        };
        let lines = key_lines(yaml, loc.line(), loc.column(), field);
        let shown: Vec<String> = lines
            .iter()
            .map(|l| (l + first_line - 1).to_string())
            .collect();
        let (line, col) = match lines.get(1) {
            Some(&second) => (second, loc.column()),
            None => (loc.line(), loc.column()),
        };
        let listed = if shown.len() > 1 {
            format!(" (lines {})", shown.join(" and "))
        } else {
            String::new()
        };
        return at(
            line,
            col,
            format!("`{field}` is given twice{within}{listed}"),
            "keep one of them".into(),
        );
    }
    let (message, explained) = explain_yaml_error(&message, found);
    let mut d = Diagnostic::error(message).at_in(span, file_text);
    if let Some(help) = explained.or(help) {
        d = d.with_help(help);
    }
    d
}

/// The parser's messages for front matter whose lines are not laid out as YAML wants.
fn is_layout_error(message: &str) -> bool {
    [
        "mapping values are not allowed",
        "did not find expected key",
        "did not find expected '-'",
        "could not find expected ':'",
        "block collection",
        "block mapping",
        "simple key",
    ]
    .iter()
    .any(|m| message.contains(m))
}

/// When the parser stopped on the second `: ` of a line `key: value: more`: the key and the
/// value as written (the title of a forum often has a colon).
fn colon_in_value(yaml: &str, line: usize, col: usize) -> Option<(String, String)> {
    let text = yaml.lines().nth(line.checked_sub(1)?)?;
    let trimmed = text.trim_start_matches([' ', '-']);
    let offset = text.len() - trimmed.len();
    let (key, value) = trimmed.split_once(": ")?;
    let key = key.trim();
    // The parser stops at the colon after the value's first part, past the key's own.
    let key_colon = text[..offset].chars().count() + key.chars().count() + 1;
    if col <= key_colon || !is_plain_key(key) {
        return None;
    }
    let value = value.split(" #").next().unwrap_or(value).trim();
    (!value.starts_with(['"', '\'', '[', '{'])).then(|| (key.to_string(), value.to_string()))
}

/// A field name as editors write them: letters, digits, `_` and `-`, no spaces.
fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// The line of the front matter (1-based) where the report's text starts, when the parser
/// failed at or after it, and the last line of the fields before it: the text after the
/// first blank line that reads as prose (a line that is no `key:`, list item or comment).
fn runaway_front_matter(yaml: &str, error_line: usize) -> Option<(usize, usize)> {
    let lines: Vec<&str> = yaml.lines().collect();
    let mut last_field = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let after_blank = i > 0 && lines[i - 1].trim().is_empty();
        if after_blank && !line.starts_with([' ', '-', '#']) && i < error_line && is_prose(line) {
            return Some((i + 1, last_field));
        }
        last_field = i + 1;
    }
    None
}

/// Whether a line at the left margin reads as a sentence rather than a field: words before
/// any colon, or no colon at all.
fn is_prose(line: &str) -> bool {
    match line.split_once(':') {
        Some((key, _)) => !is_plain_key(key.trim_end()) || key.ends_with(' '),
        None => line.split_whitespace().count() > 1 || !line.trim().ends_with(':'),
    }
}

/// The lines (1-based, in the front matter) where `key` is written in the map that starts at
/// `line`, `col` (the parser's place for a duplicate key): those at the map's indentation,
/// up to the first line indented less.
fn key_lines(yaml: &str, line: usize, col: usize, key: &str) -> Vec<usize> {
    let indent = col.saturating_sub(1);
    let mut found = Vec::new();
    for (i, text) in yaml.lines().enumerate().skip(line.saturating_sub(1)) {
        let trimmed = text.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let here = if i + 1 == line {
            text.get(indent..).unwrap_or_default()
        } else {
            let this_indent = text.len() - trimmed.len();
            if this_indent < indent {
                break;
            }
            if this_indent > indent {
                continue;
            }
            trimmed
        };
        if here
            .strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with(':'))
        {
            found.push(i + 1);
        }
    }
    found
}

/// A line of front matter out of place, with what to say about it (in front-matter lines).
#[derive(Debug, PartialEq)]
struct Misplaced {
    line: usize,
    col: usize,
    message: String,
    help: String,
}

/// What a level of block YAML holds: the fields of a map, all at one indentation (with the
/// last one seen, to name in help), or the `- ` items of a list.
#[derive(Debug)]
enum Level {
    Fields { indent: usize, last: String },
    Items { indent: usize },
}

impl Level {
    fn indent(&self) -> usize {
        match self {
            Level::Fields { indent, .. } | Level::Items { indent } => *indent,
        }
    }
}

/// One line as the layout check reads it: its indentation, whether it is a `- ` item, and
/// the field it gives (with the column the field starts at) or its text.
struct Shape<'a> {
    indent: usize,
    item: bool,
    key: Option<(&'a str, usize)>,
    /// The value after the field's colon (empty when it opens a nested block), or the
    /// line's text when it is no field.
    value: &'a str,
}

fn shape(text: &str) -> Option<Shape<'_>> {
    let trimmed = text.trim_start_matches(' ');
    let indent = text.len() - trimmed.len();
    let (item, rest, rest_col) = match trimmed.strip_prefix('-') {
        Some(after) if after.is_empty() || after.starts_with(' ') => {
            let content = after.trim_start_matches(' ');
            (true, content, indent + 1 + (after.len() - content.len()))
        }
        _ => (false, trimmed, indent),
    };
    // A nested list on one line (`- - a`) is beyond this check.
    if item && (rest.starts_with("- ") || rest == "-") {
        return None;
    }
    // Quoted keys, anchors, tags and the like are beyond this check.
    if !item && rest.starts_with(['"', '\'', '[', '{', '&', '*', '!', '?', '|', '>', '%', '@']) {
        return None;
    }
    let key = match rest.split_once(": ") {
        Some((key, after)) => Some((key, after)),
        None => rest.strip_suffix(':').map(|key| (key, "")),
    }
    .filter(|(key, _)| !key.is_empty() && !key.starts_with(['"', '\'', '[', '{']));
    Some(match key {
        Some((key, after)) => Shape {
            indent,
            item,
            key: Some((key, rest_col)),
            value: after.split(" #").next().unwrap_or(after).trim(),
        },
        None => Shape {
            indent,
            item,
            key: None,
            value: rest.trim_end(),
        },
    })
}

/// The first line of block YAML indented unlike the lines around it, or not a `key: value`
/// line where one must be. `None` when the lines are laid out well, or hold something
/// (a quote or bracket over several lines, a block of text after `|`) beyond this check:
/// the parser's own message is then given.
fn misplaced_line(yaml: &str) -> Option<Misplaced> {
    let mut levels: Vec<Level> = Vec::new();
    // The indentation of the field before, when it has no value of its own (the next lines
    // may be its nested block), and of a field whose value may go on over the next lines.
    let mut opens: Option<usize> = None;
    let mut continues: Option<usize> = None;
    let mut block_text: Option<usize> = None;
    for (i, text) in yaml.lines().enumerate() {
        let line = i + 1;
        let trimmed = text.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if trimmed.starts_with('\t') {
            return None;
        }
        let s = shape(text)?;
        if let Some(owner) = block_text {
            if s.indent > owner {
                continue;
            }
            block_text = None;
        }
        if continues.is_some_and(|owner| s.indent > owner && s.key.is_none() && !s.item) {
            continue;
        }
        let field_name = |s: &Shape| s.key.map_or(String::new(), |(k, _)| k.to_string());
        let opened = opens.take();
        let nested = match opened {
            Some(parent) if s.item => s.indent >= parent,
            Some(parent) => s.indent > parent,
            None => false,
        };
        if nested {
            if s.item {
                levels.push(Level::Items { indent: s.indent });
            } else if s.key.is_some() {
                levels.push(Level::Fields {
                    indent: s.indent,
                    last: String::new(),
                });
            } else {
                // The field's value, written on the lines below it.
                continues = opened;
                continue;
            }
        } else if levels.is_empty() {
            if s.item {
                return None;
            }
            levels.push(Level::Fields {
                indent: s.indent,
                last: String::new(),
            });
        } else {
            // Back out to the level this line's indentation belongs to.
            let mut passed: Option<Level> = None;
            while levels.last().is_some_and(|l| l.indent() > s.indent) {
                passed = levels.pop();
            }
            // A list written at its field's own indentation ends where the next field starts.
            let list_ends = matches!(levels.last(), Some(Level::Items { indent }) if *indent == s.indent)
                && !s.item
                && matches!(levels.iter().rev().nth(1), Some(Level::Fields { indent, .. }) if *indent == s.indent);
            if list_ends {
                levels.pop();
            }
            let Some(level) = levels.last() else {
                return Some(misaligned(line, &s, passed.as_ref(), &levels));
            };
            if level.indent() < s.indent {
                if passed.is_some() {
                    return Some(misaligned(line, &s, passed.as_ref(), &levels));
                }
                // Deeper than the fields around it, under a field that has a value.
                let above = match level {
                    Level::Fields { last, .. } => last.clone(),
                    Level::Items { .. } => String::new(),
                };
                let what = match s.key {
                    Some((key, _)) => format!("`{key}:`"),
                    None if s.item => "this list item".to_string(),
                    None => return None,
                };
                return Some(Misplaced {
                    line,
                    col: s.indent + 1,
                    message: format!(
                        "{what} is indented more than `{above}:` above it, which already has a value"
                    ),
                    help: format!(
                        "line it up with `{above}:` ({}); or, if it belongs under `{above}`, remove the value after `{above}:`",
                        spaces(level.indent())
                    ),
                });
            }
            match (level, s.item, s.key) {
                (Level::Fields { .. }, false, Some(_)) => {}
                (Level::Items { .. }, true, _) => {
                    // A new item: its fields start a new level.
                }
                (Level::Fields { last, .. }, true, _) => {
                    return Some(Misplaced {
                        line,
                        col: s.indent + 1,
                        message: format!(
                            "a `- ` list item among fields: `{last}:` above is no list"
                        ),
                        help: format!(
                            "indent the item under the field it belongs to (a field written `name:` with nothing after the colon), or give `{last}` its items in brackets: `{last}: [first, second]`"
                        ),
                    });
                }
                (Level::Items { .. }, false, Some((key, _))) => {
                    let inside = levels.iter().rev().find_map(|l| match l {
                        Level::Fields { indent, last } if *indent > s.indent => {
                            Some((*indent, last.clone()))
                        }
                        _ => None,
                    });
                    let item_fields = passed
                        .as_ref()
                        .and_then(|p| match p {
                            Level::Fields { indent, last } => Some((*indent, last.clone())),
                            Level::Items { .. } => None,
                        })
                        .or(inside);
                    let help = match item_fields {
                        Some((indent, last)) => format!(
                            "indent it {}, as `{last}:` above, to add it to the entry above; or start it with `- ` for an entry of its own",
                            spaces(indent)
                        ),
                        None => "start it with `- ` for an entry of its own, or indent it as the fields of the entry above".to_string(),
                    };
                    return Some(Misplaced {
                        line,
                        col: s.indent + 1,
                        message: format!(
                            "`{key}:` is where the list's `- ` items start, but is not an item"
                        ),
                        help,
                    });
                }
                (Level::Fields { .. }, false, None) | (Level::Items { .. }, false, None) => {
                    let words = s.value;
                    let help = match words.split_once(' ') {
                        Some((first, rest)) if is_plain_key(first) => format!(
                            "write a colon after the field's name: `{first}: {}`",
                            rest.trim()
                        ),
                        _ => "each line of the front matter is `field: value`; text of the report goes after the closing `---`".to_string(),
                    };
                    return Some(Misplaced {
                        line,
                        col: s.indent + 1,
                        message: format!("`{words}` has no `: ` after a field's name"),
                        help,
                    });
                }
            }
        }
        // The line is where it belongs: note what it opens.
        continues = None;
        if s.item {
            // An item's own fields follow its `- `.
            while levels.last().is_some_and(|l| l.indent() > s.indent) {
                levels.pop();
            }
            if let Some((key, col)) = s.key {
                levels.push(Level::Fields {
                    indent: col,
                    last: key.to_string(),
                });
            }
        } else if let Some(Level::Fields { last, .. }) = levels.last_mut() {
            *last = field_name(&s);
        }
        match (s.key, s.value) {
            (Some((_, col)), "") => opens = Some(if s.item { col } else { s.indent }),
            (Some((_, col)), value) => {
                let owner = if s.item { col } else { s.indent };
                if value.starts_with(['|', '>']) {
                    block_text = Some(owner);
                } else if value.starts_with(['"', '\'', '[', '{']) && !closes_on_its_line(value) {
                    return None;
                } else {
                    continues = Some(owner);
                }
            }
            (None, "") => opens = Some(s.indent),
            (None, value) => {
                if value.starts_with(['"', '\'', '[', '{']) && !closes_on_its_line(value) {
                    return None;
                }
                continues = Some(s.indent);
            }
        }
    }
    None
}

/// An indentation as help gives it.
fn spaces(n: usize) -> String {
    match n {
        0 => "at the start of the line".to_string(),
        1 => "1 space in".to_string(),
        n => format!("{n} spaces in"),
    }
}

/// Whether a quoted or bracketed value ends on the line it starts.
fn closes_on_its_line(value: &str) -> bool {
    let last = value.trim_end().chars().last();
    match value.chars().next() {
        Some('"') => value.len() > 1 && last == Some('"'),
        Some('\'') => value.len() > 1 && last == Some('\''),
        Some('[') => last == Some(']'),
        Some('{') => last == Some('}'),
        _ => true,
    }
}

/// A line whose indentation lines up with no level above it: between the fields of an
/// entry (`passed`, the level it fell short of) and the level around them.
fn misaligned(line: usize, s: &Shape, passed: Option<&Level>, levels: &[Level]) -> Misplaced {
    let what = match s.key {
        Some((key, _)) => format!("`{key}:`"),
        None if s.item => "this list item".to_string(),
        None => "this line".to_string(),
    };
    let mut places: Vec<String> = Vec::new();
    for level in passed.into_iter().chain(levels.iter().rev()) {
        if let Level::Fields { indent, last } = level
            && !last.is_empty()
            && places.len() < 2
        {
            places.push(format!("{}, as `{last}:`", spaces(*indent)));
        }
    }
    let help = if places.is_empty() {
        "indent it as the fields it belongs with".to_string()
    } else {
        format!(
            "indent it as the fields it belongs with: {}",
            places.join(", or ")
        )
    };
    Misplaced {
        line,
        col: s.indent + 1,
        message: format!(
            "{what} is indented {}, which lines up with none of the fields above it",
            match s.indent {
                1 => "1 space".to_string(),
                n => format!("{n} spaces"),
            }
        ),
        help,
    }
}

/// Rewrite serde's messages into what an editor can act on.
fn explain_yaml_error(message: &str, found: Option<char>) -> (String, Option<String>) {
    // Nested fields come with their path: "speakers[0]: unknown field `nmae`, expected ...".
    let (path, message) = match message.find("unknown field `") {
        Some(i) => (message[..i].trim_end_matches([':', ' ']), &message[i..]),
        None => ("", message),
    };
    let at = if path.is_empty() {
        String::new()
    } else {
        format!(" in `{path}`")
    };
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or_default();
        let expected: Vec<&str> = rest
            .split('`')
            .skip(1)
            .collect::<Vec<_>>()
            .chunks(2)
            .filter_map(|c| c.get(1).copied())
            .collect();
        let hint = match did_you_mean(field, expected.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? "),
            None => String::new(),
        };
        let fields = expected
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
        // Only a file's top level takes `extra:`; inside a speaker, session or source
        // entry it is itself an unknown field.
        let extra = if expected.is_empty() || expected.contains(&"extra") {
            "free-form data belongs under `extra:`"
        } else {
            "free-form data belongs under the file's own `extra:`, at its top level"
        };
        let help = if fields.is_empty() {
            format!("{hint}{extra}")
        } else {
            format!("{hint}known fields here: {fields}; {extra}")
        };
        return (format!("unknown field `{field}`{at}"), Some(help));
    }
    if let Some(explained) = explain_wrong_type(message) {
        return explained;
    }
    if found == Some('\t') || message.contains("tab") {
        return (
            "a tab in the front matter".to_string(),
            Some("YAML indentation must use spaces, not tabs".to_string()),
        );
    }
    if message.contains("found character that cannot start any token") {
        let c = found.map(|c| format!(" `{c}`")).unwrap_or_default();
        return (
            format!("a value cannot start with{c}"),
            Some("put the value in quotes: `key: \"...\"`".to_string()),
        );
    }
    if message.contains("recursion limit exceeded") {
        return (
            "nesting too deep".to_string(),
            Some("front matter is nested far deeper than any report needs".to_string()),
        );
    }
    if message.contains("repetition limit exceeded")
        || message.contains("alias") && message.contains("limit")
    {
        return (
            "alias expansion limit exceeded".to_string(),
            Some("the front matter expands YAML aliases (`*name`) too many times".to_string()),
        );
    }
    (message.to_string(), None)
}

/// serde's "title: invalid type: sequence, expected text" as "`title` must be text, not a
/// list", with what to write instead. Rust's type names (`i64`, `u32`) mean nothing to an
/// editor; "a whole number" does.
pub(super) fn explain_wrong_type(message: &str) -> Option<(String, Option<String>)> {
    let at = message.find("invalid type: ")?;
    let field = message[..at].trim_end_matches([':', ' ']);
    let (found, expected) = message[at + "invalid type: ".len()..].split_once(", expected ")?;
    let (wanted, example) = match expected.trim() {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" => {
            ("a whole number", Some("25"))
        }
        "f32" | "f64" => ("a number", Some("2.5")),
        "a boolean" | "bool" => ("`true` or `false`", Some("true")),
        "a string" | "text" => ("text", None),
        "a sequence" => ("a list", None),
        other => (other, None),
    };
    let found = if let Some(text) = found.strip_prefix("string ") {
        format!("the text {text}")
    } else if let Some(n) = found
        .strip_prefix("integer ")
        .or_else(|| found.strip_prefix("floating point "))
    {
        format!("the number {}", n.trim_matches('`'))
    } else if let Some(b) = found.strip_prefix("boolean ") {
        b.to_string()
    } else {
        match found {
            "sequence" => "a list".to_string(),
            "map" => "a map of `key: value` lines".to_string(),
            "unit value" | "unit" => "nothing (an empty value)".to_string(),
            other => other.to_string(),
        }
    };
    let subject = if field.is_empty() {
        "this value".to_string()
    } else {
        format!("`{field}`")
    };
    // The key as written on its line: `widths` of `images.widths`.
    let key = field
        .rsplit(['.', ']'])
        .next()
        .filter(|k| !k.is_empty())
        .unwrap_or(field);
    let help = match example {
        Some(e) if field.is_empty() => format!("write e.g. `{e}`, without quotes"),
        Some(e) => format!("write e.g. `{key}: {e}`, without quotes"),
        None if wanted == "text" => "put the value in quotes: `key: \"...\"`".to_string(),
        None if wanted == "a list" && !field.is_empty() => format!(
            "write the items in brackets, `{key}: [first, second]`, or one per line under `{key}:`, each starting with `- `"
        ),
        None => "see docs/content.md for what this field takes".to_string(),
    };
    Some((
        format!("{subject} must be {wanted}, not {found}"),
        Some(help),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::{documents::ReportFront, parse_document};
    use super::*;

    /// The error for a report, as `path:line:col: message`, and its help.
    fn error_of(file: &str) -> (String, String) {
        let d = parse_document::<ReportFront>(Path::new("a.md"), "a.md".into(), file)
            .expect_err("the file should not parse");
        (d.to_string(), d.help.unwrap_or_default())
    }

    #[test]
    fn a_colon_in_a_value_asks_for_quotes() {
        let (error, help) = error_of("---\ntitle: Forum: the next step\n---\n");
        assert_eq!(
            error,
            "a.md:2:13: the value of `title` has `: ` in it, which YAML reads as the start of another field"
        );
        assert_eq!(
            help,
            "put the value in quotes: `title: \"Forum: the next step\"`"
        );
    }

    #[test]
    fn fields_indented_unlike_their_neighbours_are_named_on_their_own_line() {
        let (error, help) = error_of("---\ntitle: I\n  date: 2025-01-02\n---\n");
        assert_eq!(
            error,
            "a.md:3:3: `date:` is indented more than `title:` above it, which already has a value"
        );
        assert!(
            help.starts_with("line it up with `title:` (at the start of the line)"),
            "{help}"
        );
        let (error, help) = error_of("---\ntitle: F\nspeakers:\n  - name: Ann\n   title: X\n---\n");
        assert_eq!(
            error,
            "a.md:5:4: `title:` is indented 3 spaces, which lines up with none of the fields above it"
        );
        assert_eq!(
            help,
            "indent it as the fields it belongs with: 4 spaces in, as `name:`, or at the start of the line, as `speakers:`"
        );
        let (error, help) = error_of(
            "---\ntitle: H\nspeakers:\n  - name: Ann\n    title: X\n  organization: Y\n---\n",
        );
        assert_eq!(
            error,
            "a.md:6:3: `organization:` is where the list's `- ` items start, but is not an item"
        );
        assert!(
            help.starts_with("indent it 4 spaces in, as `title:` above"),
            "{help}"
        );
        // A list written at its field's indentation, then a field deeper than an item's.
        let (error, _) = error_of(
            "---\ntitle: F\nspeakers:\n- name: Ann\n  title: X\ntopics: [a]\nsessions:\n- title: M\n   time: 9\n---\n",
        );
        assert!(
            error.starts_with("a.md:9:4: `time:` is indented more than `title:`"),
            "{error}"
        );
    }

    #[test]
    fn a_line_without_its_colon_is_named() {
        let (error, help) = error_of("---\ntitle: J\ndate 2025-01-02\ncity: Baku\n---\n");
        assert_eq!(
            error,
            "a.md:3:1: `date 2025-01-02` has no `: ` after a field's name"
        );
        assert_eq!(
            help,
            "write a colon after the field's name: `date: 2025-01-02`"
        );
    }

    #[test]
    fn front_matter_without_its_closing_line_is_said_to_run_into_the_text() {
        let (error, help) = error_of(
            "---\ntitle: G\ndate: 2025-01-02\n\nThe forum: a summary.\nMore text.\n\n---\n\nLater.\n",
        );
        assert_eq!(
            error,
            "a.md:5:1: the front matter runs on into the report's text: its closing `---` is missing"
        );
        assert_eq!(
            help,
            "add a line `---` after the last field (line 3); the `---` on line 8 closed the front matter instead"
        );
    }

    #[test]
    fn a_field_given_twice_is_shown_where_it_is_given_again() {
        let (error, _) = error_of("---\ntitle: D\ncity: Baku\nvenue: Hall\ncity: Ganja\n---\n");
        assert_eq!(error, "a.md:5:1: `city` is given twice (lines 3 and 5)");
        let (error, help) = error_of(
            "---\ntitle: E\nspeakers:\n  - name: Ann\n    title: Director\n    title: Chair\n---\n",
        );
        assert_eq!(
            error,
            "a.md:6:5: `title` is given twice in `speakers[0]` (lines 5 and 6)"
        );
        assert_eq!(help, "keep one of them");
    }

    #[test]
    fn well_laid_out_front_matter_has_no_misplaced_line() {
        for yaml in [
            "title: A\ndate: 2025-01-02\n",
            "title: A\n\n# people\nspeakers:\n  - Ann Lee\n  - name: Bob\n    title: Chair\n    organization: X\ntopics: [a, b]\n",
            "speakers:\n- Ann\n- name: Bob\n  role: moderator\nsessions:\n- title: M\n  speakers:\n  - Ann\n  time: \"09:00\"\ncity: Baku\n",
            "summary: a long text\n  that goes on\n  over lines\ntitle: A\n",
            "summary: |\n  Text: with colons\n    and indents: here\nextra:\n  nested:\n    deep: 1\n  list:\n    - 1\n    - two\n",
            "summary:\n  the value on the next line\ntitle: A # a comment\nsource: {publisher: X, url: \"https://e.org\"}\nlinks:\n  - https://example.org/a\n",
        ] {
            assert_eq!(misplaced_line(yaml), None, "{yaml}");
            assert_eq!(runaway_front_matter(yaml, 100), None, "{yaml}");
        }
        // Beyond the check: a quote or a list over several lines.
        assert_eq!(misplaced_line("title: \"a\n  b\"\n  c: d\n"), None);
        assert_eq!(misplaced_line("topics: [a,\n  b]\n  c: d\n"), None);
    }
}
