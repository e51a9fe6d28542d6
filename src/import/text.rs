//! Turning the free text of other tools into what a report holds: HTML descriptions into
//! plain text, long abstracts into a one-line summary, and plain text into Markdown that says
//! only what it said.
//!
//! Conference tools export abstracts as HTML (frab, pentabarf), Markdown (pretalx) or HTML
//! escaped inside XML. Reports show raw HTML as text, so tags must go; and an abstract copied
//! into a report body must not turn into headings, lists or links by accident (a line that
//! starts with `#`, a `[` that makes a link to nowhere and a broken-link warning).

/// `<p>Open source &amp; more</p>` -> `Open source & more`: tags removed (block tags become
/// paragraph breaks, `<br>` a line break), the content of `<script>` and `<style>` dropped,
/// character references decoded. Text without tags passes through unchanged.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut skipping: Option<&str> = None;
    while let Some(open) = rest.find('<') {
        if skipping.is_none() {
            out.push_str(&decode_entities(&rest[..open]));
        }
        let after = &rest[open + 1..];
        // A `<` that does not start a tag (`a < b`) is text.
        let starts_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        let Some(close) = after.find('>').filter(|_| starts_tag) else {
            if skipping.is_none() {
                out.push('<');
            }
            rest = after;
            continue;
        };
        let tag = after[..close].trim_start_matches('/');
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let closing = after.starts_with('/');
        match (skipping, name.as_str(), closing) {
            (Some(s), n, true) if n == s => skipping = None,
            (Some(_), _, _) => {}
            (None, "script" | "style", false) => {
                skipping = Some(if name == "script" { "script" } else { "style" })
            }
            (None, "br", _) => out.push('\n'),
            (
                None,
                "p" | "div" | "ul" | "ol" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                | "blockquote" | "pre" | "table" | "tr",
                _,
            ) => out.push_str("\n\n"),
            (None, _, _) => {}
        }
        rest = &after[close + 1..];
    }
    if skipping.is_none() {
        out.push_str(&decode_entities(rest));
    }
    out
}

/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#39;`, `&#x27;`, `&nbsp;` and a few common
/// named references; anything else is left as written.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &after[..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                "ndash" => Some('–'),
                "mdash" => Some('—'),
                "hellip" => Some('…'),
                "laquo" => Some('«'),
                "raquo" => Some('»'),
                "rsquo" => Some('’'),
                "lsquo" => Some('‘'),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// One line of at most `max` characters from free text: HTML removed, white space collapsed,
/// cut at a word boundary with `…` when too long. `None` when nothing is left.
pub fn summary(text: &str, max: usize) -> Option<String> {
    let plain = crate::model::names::clean(&strip_html(text));
    if plain.is_empty() {
        return None;
    }
    if plain.chars().count() <= max {
        return Some(plain);
    }
    let cut: String = plain.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > max / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    Some(format!(
        "{}…",
        cut.trim_end_matches([' ', ',', ';', ':', '.'])
    ))
}

/// Plain text as Markdown paragraphs that render as the same words: HTML removed, blank lines
/// kept as paragraph breaks, and every character Markdown would act on escaped.
pub fn markdown_paragraphs(text: &str) -> String {
    let plain = strip_html(text).replace("\r\n", "\n");
    let mut paragraphs = Vec::new();
    for block in plain.split("\n\n") {
        let line = crate::model::names::clean(block);
        if !line.is_empty() {
            paragraphs.push(escape_markdown(&line));
        }
    }
    paragraphs.join("\n\n")
}

fn escape_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (i, c) in line.chars().enumerate() {
        let special = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '!' | '|' | '~'
        ) || (i == 0 && matches!(c, '#' | '-' | '+' | '='));
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    // `1. ` at the start would become a numbered list.
    if let Some(dot) = out.find(". ")
        && dot > 0
        && out[..dot].chars().all(|c| c.is_ascii_digit())
    {
        out.insert(dot, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_text() {
        assert_eq!(
            strip_html("<p>Open source &amp; more</p><p>Second<br>line &#8211; &#x2014; a < b</p>"),
            "\n\nOpen source & more\n\n\n\nSecond\nline – — a < b\n\n"
        );
        assert_eq!(strip_html("x<script>alert(1)</script>y"), "xy");
        assert_eq!(
            strip_html("AT&T &unknown; 5 &lt 6"),
            "AT&T &unknown; 5 &lt 6"
        );
    }

    #[test]
    fn summaries_are_one_line_and_cut_at_words() {
        assert_eq!(
            summary("<p>A  long\nabstract</p>", 100).as_deref(),
            Some("A long abstract")
        );
        assert_eq!(
            summary("one two three four five", 12).as_deref(),
            Some("one two…")
        );
        assert_eq!(summary("<p> </p>", 10), None);
    }

    #[test]
    fn paragraphs_say_only_what_they_said() {
        assert_eq!(
            markdown_paragraphs("#Fusionbleibt [link](x.md)\n\n1. not a list *really*"),
            "\\#Fusionbleibt \\[link\\](x.md)\n\n1\\. not a list \\*really\\*"
        );
    }
}
