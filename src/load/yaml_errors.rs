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
    if let Some(context) = context.clone().filter(|_| {
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
    // A quoted value that ends before its line does: `"The "Zefer" Forum"`.
    if !quoted_or_bracketed && let Some(m) = quote_ends_early(yaml) {
        return at(m.line, m.col, m.message, m.help);
    }
    if let Some(loc) = error.location()
        && let Some(m) = value_starts_badly(yaml, loc.line(), &message, context.as_deref())
    {
        return at(m.line, m.col, m.message, m.help);
    }
    // A map expected and text found: often a first field without its colon.
    let map_expected = message.contains("expected struct") || message.contains("expected a map");
    if found != Some('\t') && !quoted_or_bracketed && (is_layout_error(&message) || map_expected) {
        if let Some(loc) = error.location()
            && message.contains("mapping values are not allowed")
            && let Some(m) = colon_in_value(yaml, loc.line(), loc.column(), first_line)
        {
            return at(loc.line(), loc.column(), m.message, m.help);
        }
        if let Some(loc) = error.location()
            && let Some(m) = quote_runs_over(yaml, loc.line(), first_line)
        {
            return at(m.line, m.col, m.message, m.help);
        }
        if let Some(m) = misplaced_line(yaml) {
            return at(m.line, m.col, m.message, m.help);
        }
    }
    if message.contains("untagged enum")
        && let Some(loc) = error.location()
    {
        let path = message.split(':').next().unwrap_or_default();
        if let Some((field, lines)) = given_twice(yaml, loc.line(), loc.column()) {
            let shown: Vec<String> = lines
                .iter()
                .map(|l| (l + first_line - 1).to_string())
                .collect();
            return at(
                lines[1],
                1 + yaml
                    .lines()
                    .nth(lines[1] - 1)
                    .map_or(0, |l| l.len() - l.trim_start().len()),
                format!(
                    "`{field}` is given twice in an entry of `{path}` (lines {})",
                    shown.join(" and ")
                ),
                "keep one of them".into(),
            );
        }
        return at(
            loc.line(),
            loc.column(),
            format!("this entry of `{path}` is neither a name nor a map of its fields"),
            "write a name (`- Ann Lee`), or `- name: Ann Lee` with the entry's other fields on the lines below, lined up with `name:`, each given once, each value text"
                .into(),
        );
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

/// The mistakes of a front matter besides the first, `first`, which stopped the parse:
/// serde stops at one, and an editor should not need a run per misspelt field. Each
/// top-level field is read again on its own (only once the whole has failed, and only when
/// the YAML itself is well formed), and an unknown field or a value of the wrong kind in it is
/// told at its line. Mistakes of other kinds are left for the next run.
pub(super) fn further_mistakes<F: serde::de::DeserializeOwned>(
    yaml: &str,
    display: &Path,
    first_line: usize,
    file_text: &str,
    first: &Diagnostic,
) -> Vec<Diagnostic> {
    let Ok(serde_yaml::Value::Mapping(fields)) = serde_yaml::from_str::<serde_yaml::Value>(yaml)
    else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (key, value) in fields {
        let Some(name) = key.as_str().map(str::to_string) else {
            continue;
        };
        // A value of the wrong kind is placed only when it is the field's own: a parse of
        // a value alone names no path into a list or a map.
        let nested = value.is_mapping() || value.is_sequence();
        let mut alone = serde_yaml::Mapping::new();
        alone.insert(key, value);
        // Read back from text, as the whole was: from a parsed value, text fields would
        // refuse numbers they take as written (`summary: 12`).
        let Ok(text) = serde_yaml::to_string(&serde_yaml::Value::Mapping(alone)) else {
            continue;
        };
        let Err(e) = serde_yaml::from_str::<F>(&text) else {
            continue;
        };
        // Without the parser's place in that text (it is not the file's).
        let message = e.to_string();
        let message = match message.find(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        let wrong_kind = message.contains("invalid type: ") && !nested;
        if !(wrong_kind || message.contains("unknown field `")) {
            continue;
        }
        let Some(line) = mistake_line(yaml, &name, &message) else {
            continue;
        };
        let text = yaml.lines().nth(line - 1).unwrap_or_default();
        let col = text.len() - text.trim_start_matches([' ', '-']).len() + 1;
        let span = Span::new(display, line + first_line - 1, col);
        if first.span.as_ref().is_some_and(|s| s.line == span.line) {
            continue;
        }
        let (message, help) = explain_yaml_error(&message, None);
        let mut d = Diagnostic::error(message).at_in(span, file_text);
        if let Some(help) = help {
            d = d.with_help(help);
        }
        found.push(d);
    }
    found
}

/// The line (1-based, in the front matter) of the mistake serde's `message` names inside
/// the top-level field `name`: the field's own line, or, for a path into it
/// (`speakers[0]: unknown field `job``), the first line of its block that names the field.
fn mistake_line(yaml: &str, name: &str, message: &str) -> Option<usize> {
    let lines: Vec<&str> = yaml.lines().collect();
    let top = lines.iter().position(|l| {
        l.strip_prefix(name)
            .is_some_and(|r| r.trim_start().starts_with(':'))
    })?;
    let inner = if let Some((_, rest)) = message.split_once("unknown field `") {
        rest.split('`').next()
    } else {
        // `speakers[0].title: invalid type: …`: the last part of the path.
        message
            .split_once(": invalid type")
            .map(|(path, _)| path.rsplit(['.', ']']).next().unwrap_or(path))
    }
    .filter(|f| !f.is_empty() && *f != name);
    let Some(inner) = inner else {
        return Some(top + 1);
    };
    lines[top + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty() || l.starts_with([' ', '#']))
        .position(|l| {
            l.trim_start_matches([' ', '-'])
                .strip_prefix(inner)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .map(|i| top + 2 + i)
        .or(Some(top + 1))
}

/// The value after `key: ` on a line whose key is plain (not quoted or bracketed).
fn value_after_key(text: &str) -> Option<&str> {
    let (key, value) = text.split_once(": ")?;
    let key = key.trim_start();
    (!key.starts_with(['"', '\'', '[', '{']) && !key.contains(['"', '\''])).then_some(value)
}

/// A value written after `key: ` or `- ` that starts with a YAML tag (`!Important forum`),
/// other than the standard `!!str`-like ones: where it is (line in the front matter, column)
/// and the value as written. Cheap enough to ask of every file: most have no `!` at all.
pub(super) fn tagged_value(yaml: &str) -> Option<(usize, usize, String)> {
    if !yaml.contains('!') {
        return None;
    }
    // Lines of a block of text (`summary: |`) are text, whatever they start with.
    let mut block: Option<usize> = None;
    yaml.lines().enumerate().find_map(|(i, line)| {
        let indent = line.len() - line.trim_start().len();
        match block {
            Some(owner) if indent > owner || line.trim().is_empty() => return None,
            _ => block = None,
        }
        if line.trim_end().ends_with(['|', '>']) || line.contains(": |") || line.contains(": >") {
            block = Some(indent);
        }
        // Only after a plain field name: `- ": !x"` is a quoted item, not a field.
        let value = match line.trim_start().strip_prefix("- ") {
            Some(item) if item.trim_start().starts_with(['"', '\'']) => return None,
            Some(item) => value_after_key(item).unwrap_or(item),
            None => value_after_key(line)?,
        }
        .trim_start();
        let tagged = value.starts_with('!') && !value.starts_with("!!") && value.len() > 1;
        tagged.then(|| {
            let col = line.len() - value.len() + 1;
            (i + 1, col, value.trim_end().to_string())
        })
    })
}

/// A quoted value left open on its line (`city: "Xankəndi`), which YAML lets run on over
/// the lines after it to the next quote (`venue: "Konqres Mərkəzi"`): the parser then
/// stops on that later line, which looks fine. Where the quote opened, when the line the
/// parser `stopped` on (in the front matter) holds the quote that closed it.
fn quote_runs_over(yaml: &str, stopped: usize, first_line: usize) -> Option<Misplaced> {
    let lines: Vec<&str> = yaml.lines().collect();
    // The first quote of `text` that is not escaped (`\"`, or `''` in single quotes).
    let closing = |text: &str, quote: char| {
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' if quote == '"' => {
                    chars.next();
                }
                c if c == quote => {
                    if quote == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') {
                        chars.next();
                        continue;
                    }
                    return Some(i);
                }
                _ => {}
            }
        }
        None
    };
    let mut open: Option<(usize, usize, char)> = None;
    for (i, line) in lines.iter().enumerate().take(stopped.checked_sub(1)?) {
        if let Some((_, _, quote)) = open {
            if closing(line, quote).is_some() {
                open = None;
            }
            continue;
        }
        let item = line.trim_start().strip_prefix("- ");
        let Some(value) = item.map_or_else(
            || value_after_key(line),
            |v| Some(value_after_key(v).unwrap_or(v)),
        ) else {
            continue;
        };
        let value = value.trim_start();
        let Some(quote) = value.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
            continue;
        };
        if closing(&value[1..], quote).is_none() {
            open = Some((i + 1, line.len() - value.len() + 1, quote));
        }
    }
    let (line, col, quote) = open?;
    closing(lines.get(stopped - 1)?, quote)?;
    Some(Misplaced {
        line,
        col,
        message: format!(
            "the quote opened here is not closed on its line, so the value runs on to the quote on line {}",
            stopped + first_line - 1
        ),
        help: format!("add the closing {quote} at the end of this line"),
    })
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

/// When the parser stopped on the second `: ` of a line `key: value: more`: what to say,
/// with the value as written (the title of a forum often has a colon).
fn colon_in_value(yaml: &str, line: usize, col: usize, first_line: usize) -> Option<Misplaced> {
    let lines: Vec<&str> = yaml.lines().collect();
    let text = lines.get(line.checked_sub(1)?)?;
    let trimmed = text.trim_start_matches([' ', '-']);
    let offset = text.len() - trimmed.len();
    let (key, value) = trimmed.split_once(": ")?;
    let key = key.trim();
    // The parser stops at the colon after the value's first part, past the key's own.
    let key_colon = text[..offset].chars().count() + key.chars().count() + 1;
    if col <= key_colon || !is_plain_key(key) && key.contains(['"', '\'']) {
        return None;
    }
    let value = value.split(" #").next().unwrap_or(value).trim();
    if value.starts_with(['"', '\'', '[', '{']) {
        return None;
    }
    // A value that goes on over the lines below is quoted whole.
    let indent = text.len() - text.trim_start().len();
    let more = lines[line..]
        .iter()
        .take_while(|l| {
            let t = l.trim_start();
            !t.is_empty() && l.len() - t.len() > indent
        })
        .count();
    let quoted = if more == 0 {
        format!("`{key}: \"{}\"`", value.replace('"', "\\\""))
    } else {
        format!(
            "`{key}: \"{} …\"`, the quotes around all of it, to the end of line {}",
            value.replace('"', "\\\""),
            line + more + first_line - 1
        )
    };
    let mut help = format!("put the value in quotes: {quoted}");
    // In a map of names (`series_names:`, `extra:`), the colon may belong to the name.
    if indent > 0
        && let Some((name, rest)) = value.split_once(": ")
    {
        help.push_str(&format!(
            "; or, if the colon is part of the name before it, quote the name: `\"{key}: {name}\": {rest}`"
        ));
    }
    Some(Misplaced {
        line,
        col,
        message: format!(
            "the value of `{key}` has `: ` in it, which YAML reads as the start of another field"
        ),
        help,
    })
}

/// A value whose first character YAML reads as syntax (`*` an alias, `&` an anchor, `>` or
/// `|` a block of text, `@` and `` ` `` reserved, `-` a list item, `%` a directive): where the
/// parser failed on one, what to write.
fn value_starts_badly(
    yaml: &str,
    line: usize,
    message: &str,
    context: Option<&str>,
) -> Option<Misplaced> {
    let text = yaml.lines().nth(line.checked_sub(1)?)?;
    let trimmed = text.trim_start_matches([' ', '-']);
    let (key, value) = trimmed.split_once(": ")?;
    let value = value.trim();
    let first = value.chars().next()?;
    let syntax = match first {
        '*' | '&' => {
            context.is_some_and(|c| c.contains("alias") || c.contains("anchor"))
                || message.contains("alphabetic or numeric")
        }
        '>' | '|' => message.contains("comment or line break"),
        '@' | '`' | '%' => message.contains("cannot start any token"),
        '-' => message.contains("block sequence entries are not allowed"),
        _ => false,
    };
    if !syntax {
        return None;
    }
    let col = text
        .find(value)
        .map_or(1, |i| text[..i].chars().count() + 1);
    if first == '-' {
        let item = value[1..].trim();
        return Some(Misplaced {
            line,
            col,
            message: format!("a list cannot start on the line of its field `{key}:`"),
            help: format!(
                "put each item on a line of its own below `{key}:`, starting with `- ` (`  - {item}`), or write the list in brackets: `{key}: [{item}]`"
            ),
        });
    }
    Some(Misplaced {
        line,
        col,
        message: format!("a value cannot start with `{first}`, which YAML reads as syntax"),
        help: format!(
            "put the value in quotes: `{key}: \"{}\"`",
            value.replace('"', "\\\"")
        ),
    })
}

/// A quoted value followed by more text on its line: the quote inside the value ended it.
fn quote_ends_early(yaml: &str) -> Option<Misplaced> {
    for (i, text) in yaml.lines().enumerate() {
        let trimmed = text.trim_start_matches([' ', '-']);
        let Some((key, value)) = trimmed.split_once(": ") else {
            continue;
        };
        let value = value.trim();
        let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        // Where the quoted part ends: the next quote not escaped (`\"` in double quotes,
        // `''` in single quotes).
        let inner = &value[1..];
        let mut end = None;
        let mut chars = inner.char_indices().peekable();
        while let Some((j, c)) = chars.next() {
            if quote == '"' && c == '\\' {
                chars.next();
            } else if c == quote {
                if quote == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                    chars.next();
                } else {
                    end = Some(j);
                    break;
                }
            }
        }
        let Some(end) = end else {
            continue;
        };
        let after = inner[end + 1..].trim();
        if after.is_empty() || after.starts_with('#') || !is_plain_key(key.trim()) {
            continue;
        }
        let whole = value;
        let help = if quote == '"' && !whole[1..whole.len() - 1].contains('\'') {
            format!(
                "quote it with the other kind of quotes: `{}: '{}'`",
                key.trim(),
                &whole[1..whole.len().saturating_sub(1).max(1)]
            )
        } else if quote == '\'' {
            let bare = &whole[1..whole.len().saturating_sub(1).max(1)];
            format!(
                "quote it with double quotes, `{k}: \"{bare}\"`, or write each `'` inside it twice: `{k}: '{}'`",
                bare.replace('\'', "''"),
                k = key.trim()
            )
        } else {
            format!(
                "write each `\"` inside the value as `\\\"`: `{}: \"{}\"`",
                key.trim(),
                whole[1..whole.len().saturating_sub(1).max(1)].replace('"', "\\\"")
            )
        };
        let col = text
            .find(value)
            .map_or(1, |p| text[..p].chars().count() + 1)
            + 1
            + inner[..end].chars().count();
        return Some(Misplaced {
            line: i + 1,
            col,
            message: format!(
                "the value of `{}` ends at this quote, and `{after}` is left over after it",
                key.trim()
            ),
            help,
        });
    }
    None
}

/// A field given twice in the map at `line`, `col` (an entry `- name: …` or a map): its name
/// and the two lines it is on.
fn given_twice(yaml: &str, line: usize, col: usize) -> Option<(String, Vec<usize>)> {
    let keys = map_keys(yaml, line, col);
    keys.iter().enumerate().find_map(|(i, (key, second))| {
        let (_, first) = keys[..i].iter().find(|(k, _)| k == key)?;
        Some((key.clone(), vec![*first, *second]))
    })
}

/// The fields of the map that starts at `line`, `col` (1-based, in the front matter; at an
/// entry's `- ` or at its first field), each with its line: those at the map's indentation,
/// up to the first line indented less.
fn map_keys(yaml: &str, line: usize, col: usize) -> Vec<(String, usize)> {
    let Some(text) = yaml.lines().nth(line.saturating_sub(1)) else {
        return Vec::new();
    };
    let at = text.get(col.saturating_sub(1)..).unwrap_or_default();
    // An entry's fields start after its `- `.
    let col = match at.strip_prefix("- ") {
        Some(rest) => col + 2 + rest.len() - rest.trim_start().len(),
        None => col,
    };
    let indent = col.saturating_sub(1);
    let mut keys = Vec::new();
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
        if let Some((key, _)) = here.split_once(':') {
            keys.push((key.trim_end().to_string(), i + 1));
        }
    }
    keys
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
        // A heading (`## Opening`) reads as a comment: it is where the text starts, not a
        // field.
        if line.starts_with('#') {
            continue;
        }
        let after_blank = i > 0
            && lines[..i]
                .iter()
                .rev()
                .take_while(|l| l.starts_with('#') || l.trim().is_empty())
                .any(|l| l.trim().is_empty());
        if after_blank && !line.starts_with([' ', '-']) && i < error_line && is_prose(line) {
            // The text starts at the first line after the fields (a heading, say).
            let start = lines[last_field..i]
                .iter()
                .position(|l| !l.trim().is_empty())
                .map_or(i, |p| last_field + p);
            return Some((start + 1, last_field));
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
/// `line`, `col` (the parser's place for a duplicate key).
fn key_lines(yaml: &str, line: usize, col: usize, key: &str) -> Vec<usize> {
    map_keys(yaml, line, col)
        .into_iter()
        .filter(|(k, _)| k == key)
        .map(|(_, line)| line)
        .collect()
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

/// The line before, as the layout check remembers it.
#[derive(Debug, Clone, Default)]
struct Before {
    line: usize,
    indent: usize,
    /// Where its value's continuation lines must be indented past: the field's (or the
    /// item's) own indentation, when its value is plain text that may go on.
    plain_owner: Option<usize>,
    /// Its field's name, if it is a field.
    key: Option<String>,
    /// Its text when it is neither a field nor empty: a plain `- ` item's, or a value
    /// written on the line below its field.
    text: Option<String>,
    item: bool,
}

/// The first line of block YAML indented unlike the lines around it, or not a `key: value`
/// line where one must be. `None` when the lines are laid out well, or hold something
/// (a quote or bracket over several lines) beyond this check: the parser's own message is
/// then given.
fn misplaced_line(yaml: &str) -> Option<Misplaced> {
    let mut levels: Vec<Level> = Vec::new();
    let mut before = Before::default();
    // The indentation of the field before, when it has no value of its own (the next lines
    // may be its nested block).
    let mut opens: Option<usize> = None;
    let mut block: Option<BlockText> = None;
    // A comment right above the line (blank lines between do not count).
    let mut comment: Option<(usize, String)> = None;
    for (i, text) in yaml.lines().enumerate() {
        let line = i + 1;
        let trimmed = text.trim_start_matches(' ');
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with('\t') {
            return None;
        }
        if let Some(body) = trimmed.strip_prefix('#') {
            if block.is_none() {
                comment = Some((line, body.trim().to_string()));
            }
            continue;
        }
        let comment_above = comment.take();
        let s = shape(text)?;
        if let Some(text) = block.take() {
            match in_block_text(text, line, &s) {
                BlockStep::Inside(text) => {
                    block = Some(text);
                    continue;
                }
                BlockStep::Misplaced(m) => return Some(m),
                BlockStep::After => {}
            }
        }
        if before
            .plain_owner
            .is_some_and(|owner| s.indent > owner && s.key.is_none() && !s.item)
        {
            continue;
        }
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
                before = Before {
                    line,
                    indent: s.indent,
                    plain_owner: opened,
                    key: None,
                    text: Some(s.value.to_string()),
                    item: false,
                };
                continue;
            }
        } else if levels.is_empty() {
            if s.item {
                return None;
            }
            if s.key.is_none() {
                return Some(no_colon(line, &s, &Before::default()));
            }
            levels.push(Level::Fields {
                indent: s.indent,
                last: String::new(),
            });
        } else {
            // Back out to the level this line's indentation belongs to.
            let mut passed: Vec<Level> = Vec::new();
            while levels.last().is_some_and(|l| l.indent() > s.indent) {
                passed.extend(levels.pop());
            }
            // A list written at its field's own indentation ends where the next field starts.
            let list_ends = matches!(levels.last(), Some(Level::Items { indent }) if *indent == s.indent)
                && !s.item
                && matches!(levels.iter().rev().nth(1), Some(Level::Fields { indent, .. }) if *indent == s.indent);
            if list_ends {
                levels.pop();
            }
            let Some(level) = levels.last() else {
                return Some(misaligned(line, &s, &passed, &levels));
            };
            if level.indent() < s.indent {
                if !passed.is_empty() {
                    return Some(misaligned(line, &s, &passed, &levels));
                }
                return Some(deeper(line, &s, level, &before, comment_above.as_ref()));
            }
            if let Some(m) =
                unlike_its_level(line, &s, level, &passed, &before, comment_above.as_ref())
            {
                return Some(m);
            }
        }
        // The line is where it belongs: note what it opens.
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
            *last = s.key.map_or(String::new(), |(k, _)| k.to_string());
        }
        let owner = match s.key {
            Some((_, col)) if s.item => col,
            _ => s.indent,
        };
        before = Before {
            line,
            indent: s.indent,
            plain_owner: None,
            key: s.key.map(|(k, _)| k.to_string()),
            text: None,
            item: s.item,
        };
        match (s.key, s.value) {
            (_, "") => opens = Some(owner),
            (key, value) => {
                if value.starts_with(['|', '>']) {
                    if let Some((key, _)) = key {
                        block = Some(BlockText {
                            key: key.to_string(),
                            owner,
                            first: None,
                        });
                    }
                } else if value.starts_with(['"', '\'', '[', '{']) && !closes_on_its_line(value) {
                    return None;
                } else {
                    before.plain_owner = Some(owner);
                    if key.is_none() {
                        before.text = Some(value.to_string());
                    }
                }
            }
        }
    }
    None
}

/// A block of text (`summary: |`) being read: its field's name and indentation, and the
/// indentation of its first line once seen.
struct BlockText {
    key: String,
    owner: usize,
    first: Option<usize>,
}

/// Where a line stands to the block of text above it.
enum BlockStep {
    /// One of its lines: the block goes on.
    Inside(BlockText),
    /// Past its end: the line is read as YAML again.
    After,
    Misplaced(Misplaced),
}

fn in_block_text(text: BlockText, line: usize, s: &Shape) -> BlockStep {
    let BlockText { key, owner, first } = &text;
    if s.indent <= *owner {
        if first.is_none() && s.key.is_none() && !s.item {
            return BlockStep::Misplaced(Misplaced {
                line,
                col: 1,
                message: format!("the text of `{key}` is not indented under `{key}:`"),
                help: format!(
                    "after `{key}: |` or `{key}: >`, the text goes on the lines below, each indented under `{key}:` ({} or more)",
                    spaces(owner + 2)
                ),
            });
        }
        return BlockStep::After;
    }
    match *first {
        None => BlockStep::Inside(BlockText {
            first: Some(s.indent),
            ..text
        }),
        Some(first) if s.indent >= first => BlockStep::Inside(text),
        Some(first) => BlockStep::Misplaced(Misplaced {
            line,
            col: s.indent + 1,
            message: format!(
                "this line of the text of `{key}` is indented less than its first line"
            ),
            help: format!(
                "indent every line of the text at least as far as the first ({})",
                spaces(first)
            ),
        }),
    }
}

/// A line at the indentation of `level` that is not what the level holds: an item among
/// fields, a field where the list's items start, or text where a field must be. `passed`:
/// the levels the line backed out of.
fn unlike_its_level(
    line: usize,
    s: &Shape,
    level: &Level,
    passed: &[Level],
    before: &Before,
    comment_above: Option<&(usize, String)>,
) -> Option<Misplaced> {
    match (level, s.item, s.key) {
        (Level::Fields { .. }, false, Some(_)) | (Level::Items { .. }, true, _) => {}
        (Level::Fields { last, .. }, true, _) => {
            let help = match commented_field(comment_above) {
                Some(help) => help,
                None => format!(
                    "indent the item under the field it belongs to (a field written `name:` with nothing after the colon), or give `{last}` its items in brackets: `{last}: [first, second]`"
                ),
            };
            return Some(Misplaced {
                line,
                col: s.indent + 1,
                message: format!("a `- ` list item among fields: `{last}:` above is no list"),
                help,
            });
        }
        (Level::Items { .. }, false, Some((key, _))) => {
            let item_fields = passed.iter().find_map(|p| match p {
                Level::Fields { indent, last } if !last.is_empty() => Some((*indent, last.clone())),
                _ => None,
            });
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
        (_, false, None) => return Some(no_colon(line, s, before)),
    }
    None
}

/// A line indented more than the level it is on, right after a line that cannot hold it.
fn deeper(
    line: usize,
    s: &Shape,
    level: &Level,
    before: &Before,
    comment_above: Option<&(usize, String)>,
) -> Misplaced {
    // The line above was meant as a field: `name Ann` over `  title: Director`, or
    // `publisher Trend` written under `source:`.
    if let Some(text) = &before.text
        && (s.key.is_some() || s.item)
        && (before.item || before.indent == s.indent)
    {
        let shape = Shape {
            indent: before.indent,
            item: false,
            key: None,
            value: text,
        };
        return no_colon(before.line, &shape, &Before::default());
    }
    let what = match s.key {
        Some((key, _)) => format!("`{key}:`"),
        None => "this list item".to_string(),
    };
    let above = match level {
        Level::Fields { last, .. } if !last.is_empty() => last.clone(),
        _ => before.key.clone().unwrap_or_default(),
    };
    if let Some(help) = commented_field(comment_above) {
        return Misplaced {
            line,
            col: s.indent + 1,
            message: format!("{what} is indented under a field that is not there"),
            help,
        };
    }
    if above.is_empty() {
        return Misplaced {
            line,
            col: s.indent + 1,
            message: format!("{what} is indented more than the line above it"),
            help: format!(
                "line it up with the line above ({})",
                spaces(level.indent())
            ),
        };
    }
    let otherwise = if before.plain_owner.is_some() && before.key.as_deref() == Some(&above) {
        format!(
            "; if it goes on from the value of `{above}`, put that whole value in quotes: `{above}: \"…\"`"
        )
    } else {
        format!("; or, if it belongs under `{above}`, remove the value after `{above}:`")
    };
    Misplaced {
        line,
        col: s.indent + 1,
        message: format!(
            "{what} is indented more than `{above}:` above it, which already has a value"
        ),
        help: format!(
            "line it up with `{above}:` ({}){otherwise}",
            spaces(level.indent())
        ),
    }
}

/// A line that is no field where a field must be.
fn no_colon(line: usize, s: &Shape, before: &Before) -> Misplaced {
    let text = s.value;
    let col = s.indent + 1;
    if let Some(rest) = text.strip_prefix('-') {
        return Misplaced {
            line,
            col,
            message: format!(
                "`{text}` is no list item: a `-` starts one only with a space after it"
            ),
            help: format!("write `- {}`", rest.trim_start()),
        };
    }
    let as_field = match text.split_once(' ') {
        Some((first, rest)) if is_plain_key(first) && first.chars().all(|c| !c.is_uppercase()) => {
            Some(format!("`{first}: {}`", rest.trim()))
        }
        _ => None,
    };
    let sentence =
        text.chars().next().is_some_and(char::is_uppercase) && text.split_whitespace().count() >= 3;
    // `date 2025-01-02` names a field; `for NGOs` under a long title goes on from it.
    let names_a_field = text
        .split_whitespace()
        .next()
        .is_some_and(|first| FIELD_NAMES.contains(&first));
    match (&before.key, before.plain_owner) {
        (Some(above), Some(_)) if !names_a_field => {
            let goes_on = format!(
                "if it goes on from the value of `{above}`, indent it further than `{above}:` (or join the two lines)"
            );
            let text_starts = "if the report's text starts here, the closing `---` of the front matter is missing: add a line `---` above it".to_string();
            let mut options = if sentence {
                vec![text_starts, goes_on]
            } else {
                vec![goes_on, text_starts]
            };
            if let Some(field) = &as_field {
                options.push(format!("if it is a field, write a colon after its name: {field}"));
            }
            Misplaced {
                line,
                col,
                message: format!(
                    "`{text}` is neither a field nor part of the value of `{above}` above it"
                ),
                help: options.join("; "),
            }
        }
        _ => Misplaced {
            line,
            col,
            message: format!("`{text}` has no `: ` after a field's name"),
            help: match as_field {
                Some(field) => format!("write a colon after the field's name: {field}"),
                None => "each line of the front matter is `field: value`; the report's text goes after the closing `---`".to_string(),
            },
        },
    }
}

/// The fields of Podium's front matter, all kinds of file together (docs/content.md): a
/// line that starts with one is taken for a field that lost its colon.
const FIELD_NAMES: &[&str] = &[
    "title",
    "date",
    "end",
    "status",
    "series",
    "theme",
    "venue",
    "city",
    "country",
    "organizers",
    "partners",
    "speakers",
    "topics",
    "sessions",
    "source",
    "summary",
    "image",
    "slug",
    "aliases",
    "draft",
    "extra",
    "name",
    "organization",
    "role",
    "privacy",
    "time",
    "moderator",
    "publisher",
    "url",
    "photo",
    "logo",
    "kind",
    "website",
    "parent",
    "links",
    "label",
    "languages",
    "base_url",
    "timezone",
    "author",
    "paginate",
    "images",
    "description",
    "topic_names",
    "series_names",
    "extends",
    "facts",
    "language",
    "originals",
    "quality",
    "topic",
    "widths",
];

/// When the comment right above reads as a field put out of use (`# speakers:`), what to do.
fn commented_field(comment: Option<&(usize, String)>) -> Option<String> {
    let (_, text) = comment?;
    let key = text.strip_suffix(':')?.trim();
    is_plain_key(key).then(|| {
        format!("the field above it is commented out (`# {key}:`): remove the `#`, or comment out its lines too")
    })
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

/// A line whose indentation lines up with no level above it: between the levels it backed
/// out of (`passed`, innermost first) and the level around them.
fn misaligned(line: usize, s: &Shape, passed: &[Level], levels: &[Level]) -> Misplaced {
    let what = match s.key {
        Some((key, _)) => format!("`{key}:`"),
        None if s.item => "this list item".to_string(),
        None => "this line".to_string(),
    };
    let mut places: Vec<String> = Vec::new();
    for level in passed.iter().chain(levels.iter().rev()) {
        let place = match level {
            Level::Items { indent } if s.item => {
                Some(format!("{}, as the `- ` items above", spaces(*indent)))
            }
            Level::Fields { indent, last } if !s.item && !last.is_empty() => {
                Some(format!("{}, as `{last}:`", spaces(*indent)))
            }
            _ => None,
        };
        if let Some(place) = place
            && places.len() < 2
            && !places.contains(&place)
        {
            places.push(place);
        }
    }
    let with = if s.item { "the items" } else { "the fields" };
    let help = if places.is_empty() {
        format!("indent it as {with} it belongs with")
    } else {
        format!(
            "indent it as {with} it belongs with: {}",
            places.join(", or ")
        )
    };
    Misplaced {
        line,
        col: s.indent + 1,
        message: format!(
            "{what} is indented {}, which lines up with none of the {} above it",
            match s.indent {
                1 => "1 space".to_string(),
                n => format!("{n} spaces"),
            },
            if s.item { "lists" } else { "fields" }
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
        "a map" => ("a map of `field: value` lines", None),
        other if other.starts_with("struct ") => ("a map of `field: value` lines", None),
        other => (other, None),
    };
    let found = if let Some(text) = found.strip_prefix("string ") {
        format!("the text {text}")
    } else if let Some(n) = found
        .strip_prefix("integer ")
        .or_else(|| found.strip_prefix("floating point "))
    {
        // A number too large for 64 bits comes `as u128`.
        let n = n.split(" as ").next().unwrap_or(n);
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
        None if wanted == "text" && field.ends_with(']') => {
            "put the item in quotes, inside the brackets: `[first, \"second: more\"]`".to_string()
        }
        None if wanted == "text" && !field.is_empty() => {
            format!("put the value in quotes: `{key}: \"...\"`")
        }
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
        (d.to_string(), d.help.map(String::from).unwrap_or_default())
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

    #[test]
    fn lines_meant_as_fields_or_values_are_told_apart_with_each_fix() {
        // A value going on at the margin: the three ways out, the likeliest first.
        let (error, help) =
            error_of("---\ntitle: F\nsummary: NGOs met in Khankendi\nto review the year.\n---\n");
        assert_eq!(
            error,
            "a.md:4:1: `to review the year.` is neither a field nor part of the value of `summary` above it"
        );
        assert!(
            help.starts_with("if it goes on from the value of `summary`, indent it"),
            "{help}"
        );
        assert!(
            help.contains("the closing `---` of the front matter is missing"),
            "{help}"
        );
        assert!(
            help.ends_with("write a colon after its name: `to: review the year.`"),
            "{help}"
        );
        // The report's text straight after the fields: that reading first.
        let (_, help) = error_of(
            "---\ntitle: F\ndate: 2025-01-02\nThe forum opened at the Congress Center.\n---\nMore.\n",
        );
        assert!(
            help.starts_with("if the report's text starts here"),
            "{help}"
        );
        // The first field of the file, of a map, of a list entry.
        for (file, expected) in [
            (
                "---\ntitle Forum\ndate: 2025-01-02\n---\n",
                "a.md:2:1: `title Forum` has no `: `",
            ),
            (
                "---\ntitle: F\nsource:\n  publisher Trend\n  date: 2025-01-01\n---\n",
                "a.md:4:3: `publisher Trend` has no `: `",
            ),
            (
                "---\ntitle: F\nspeakers:\n  - name A B\n    title: Director\n---\n",
                "a.md:4:3: `name A B` has no `: `",
            ),
        ] {
            let (error, help) = error_of(file);
            assert!(error.starts_with(expected), "{error}");
            assert!(
                help.starts_with("write a colon after the field's name: `"),
                "{help}"
            );
        }
    }

    #[test]
    fn values_yaml_reads_as_syntax_are_told_with_the_quoted_value() {
        for (file, error, help) in [
            (
                "---\ntitle: *Important* forum\n---\n",
                "a.md:2:8: a value cannot start with `*`, which YAML reads as syntax",
                "put the value in quotes: `title: \"*Important* forum\"`",
            ),
            (
                "---\ntitle: F\nvenue: @Congress Center\n---\n",
                "a.md:3:8: a value cannot start with `@`, which YAML reads as syntax",
                "put the value in quotes: `venue: \"@Congress Center\"`",
            ),
            (
                "---\ntitle: \"The \"Zefer\" Forum\"\n---\n",
                "a.md:2:13: the value of `title` ends at this quote, and `Zefer\" Forum\"` is left over after it",
                "quote it with the other kind of quotes: `title: 'The \"Zefer\" Forum'`",
            ),
            (
                "---\ntitle: 'People's Artist'\n---\n",
                "a.md:2:15: the value of `title` ends at this quote, and `s Artist'` is left over after it",
                "quote it with double quotes, `title: \"People's Artist\"`, or write each `'` inside it twice: `title: 'People''s Artist'`",
            ),
            (
                "---\ntitle: F\nspeakers: - Aygun Aliyeva\n---\n",
                "a.md:3:11: a list cannot start on the line of its field `speakers:`",
                "put each item on a line of its own below `speakers:`, starting with `- ` (`  - Aygun Aliyeva`), or write the list in brackets: `speakers: [Aygun Aliyeva]`",
            ),
            (
                "---\ntitle: F\nspeakers:\n  - Aygun Aliyeva\n  -Tural Aliyev\n---\n",
                "a.md:5:3: `-Tural Aliyev` is no list item: a `-` starts one only with a space after it",
                "write `- Tural Aliyev`",
            ),
            (
                "---\ntitle: F\nsummary: |\n  NGOs met\n to review.\n---\n",
                "a.md:5:2: this line of the text of `summary` is indented less than its first line",
                "indent every line of the text at least as far as the first (2 spaces in)",
            ),
            (
                "---\ntitle: F\n# speakers:\n  - name: Ann\n---\n",
                "a.md:4:3: `name:` is indented under a field that is not there",
                "the field above it is commented out (`# speakers:`): remove the `#`, or comment out its lines too",
            ),
            (
                "---\ntitle: F\nspeakers:\n  - name: Ann\n    title: X\n   - Tural\n---\n",
                "a.md:6:4: this list item is indented 3 spaces, which lines up with none of the lists above it",
                "indent it as the items it belongs with: 2 spaces in, as the `- ` items above",
            ),
            (
                "---\ntitle: F\nspeakers:\n  - name: Ann\n    title: X\n organization: Y\n---\n",
                "a.md:6:2: `organization:` is indented 1 space, which lines up with none of the fields above it",
                "indent it as the fields it belongs with: 4 spaces in, as `title:`, or at the start of the line, as `speakers:`",
            ),
        ] {
            assert_eq!(
                error_of(file),
                (error.to_string(), help.to_string()),
                "{file}"
            );
        }
    }

    #[test]
    fn a_colon_in_a_value_over_several_lines_or_in_a_name_is_quoted_whole() {
        let (_, help) =
            error_of("---\ntitle: F\nsummary: A summary: with a colon\n  that goes on\n---\n");
        assert_eq!(
            help,
            "put the value in quotes: `summary: \"A summary: with a colon …\"`, the quotes around all of it, to the end of line 4"
        );
        let (_, help) = error_of("---\ntitle: F\nextra:\n  Session: Annual: İllik\n---\n");
        assert!(
            help.ends_with("quote the name: `\"Session: Annual\": İllik`"),
            "{help}"
        );
    }

    #[test]
    fn a_translation_entry_given_a_field_twice_is_told_so() {
        use super::super::documents::TranslationFront;
        let d = parse_document::<TranslationFront>(
            Path::new("a.az.md"),
            "a.az.md".into(),
            "---\ntitle: F\nspeakers:\n  - name: Ann\n    title: A\n    title: B\n---\n",
        )
        .expect_err("a field twice");
        assert_eq!(
            d.to_string(),
            "a.az.md:6:5: `title` is given twice in an entry of `speakers` (lines 5 and 6)"
        );
    }

    #[test]
    fn a_key_given_twice_in_free_data_or_in_names_is_an_error_not_a_lost_value() {
        let (error, help) =
            error_of("---\ntitle: F\nextra:\n  live: a\n  video:\n    url: x\n    url: y\n---\n");
        assert_eq!(
            error,
            "a.md:7:5: `url` is given twice in `extra.video` (lines 6 and 7)"
        );
        assert_eq!(help, "keep one of them");
        let (error, _) = error_of("---\ntitle: F\nextra:\n  live: a\n  live: b\n---\n");
        assert_eq!(
            error,
            "a.md:5:3: `live` is given twice in `extra` (lines 4 and 5)"
        );
        use super::super::documents::TranslationFront;
        let d = parse_document::<TranslationFront>(
            Path::new("_index.az.md"),
            "_index.az.md".into(),
            "---\ntopic_names:\n  grants: qrantlar\n  grants: qrant\n---\n",
        )
        .expect_err("a name twice");
        assert_eq!(
            d.to_string(),
            "_index.az.md:4:3: `grants` is given twice in `topic_names` (lines 3 and 4)"
        );
        // Free data as it was: numbers, lists, nesting, nothing.
        let ok = parse_document::<ReportFront>(
            Path::new("a.md"),
            "a.md".into(),
            "---\ntitle: F\nextra:\n  n: 3\n  r: 0.5\n  l: [1, two, null, true]\n  m: {a: 1}\n---\n",
        )
        .unwrap();
        assert_eq!(
            serde_json::Value::Object(ok.front.extra),
            serde_json::json!({"n": 3, "r": 0.5, "l": [1, "two", null, true], "m": {"a": 1}})
        );
    }

    /// Every mistake of a front matter, with the field it is in, in one run; never a false
    /// one for the well-written fields beside them.
    #[test]
    fn every_misspelt_field_and_wrong_value_of_a_file_is_told_at_once() {
        let d = parse_document::<ReportFront>(
            Path::new("a.md"),
            "a.md".into(),
            "---\ntitle: F\nstauts: held\nvenu: Hall\nspeakers:\n  - name: Ann\n    job: X\ndraft: maybe\n---\n",
        )
        .expect_err("mistakes");
        let all = crate::diagnostic::Diagnostics::from(d);
        let told: Vec<String> = all.iter().map(ToString::to_string).collect();
        assert_eq!(
            told,
            [
                "a.md:3:1: unknown field `stauts`",
                "a.md:4:1: unknown field `venu`",
                "a.md:7:5: unknown field `job` in `speakers[0]`",
                "a.md:8:1: `draft` must be `true` or `false`, not the text \"maybe\"",
            ]
        );
        let d = parse_document::<ReportFront>(
            Path::new("a.md"),
            "a.md".into(),
            "---\ntitle: 2025\ndate: 2025-01-02\nend: 2025-01-03\nstatus: held\nseries: 7\n\
             summary: 12\ntopics: [a, 3]\nspeakers:\n  - Ann Lee\n  - name: Bo\n    title: 14.30\n    role: moderator\n\
             sessions:\n  - title: M\n    time: 14.30\n    speakers: [Bo]\n\
             source: {publisher: X, url: \"https://e.org\", date: 2025-01-02}\n\
             aliases: /old/\ndraft: false\nextra: {n: 3, l: [1, x]}\nnope: 1\n---\n",
        )
        .expect_err("one mistake");
        let all = crate::diagnostic::Diagnostics::from(d);
        let told: Vec<String> = all.iter().map(ToString::to_string).collect();
        assert_eq!(told, ["a.md:22:1: unknown field `nope`"]);
    }

    #[test]
    fn a_tag_that_would_eat_a_values_first_word_is_refused() {
        let (error, help) = error_of("---\ntitle: !Important forum\n---\n");
        assert_eq!(
            error,
            "a.md:2:8: a value cannot start with `!`: YAML reads `!Important` as a tag and drops it"
        );
        assert_eq!(
            help,
            "put the value in quotes: `title: \"!Important forum\"`"
        );
        assert_eq!(
            tagged_value("speakers:\n  - !Ann Lee\n"),
            Some((2, 5, "!Ann Lee".to_string()))
        );
        for fine in [
            "title: Hello!\n",
            "title: \"!Important\"\n",
            "n: !!str 3\n",
            "speakers:\n  - \": !Ə\"\n",
            "\"a: b\": !x\n",
            "summary: |\n  - see: !this\n  more\ntitle: A\n",
        ] {
            assert_eq!(tagged_value(fine), None, "{fine}");
        }
    }
}
