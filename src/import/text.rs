//! Turning the free text of other tools into what a report holds: HTML descriptions into
//! plain text, long abstracts into a one-line summary, and plain text into Markdown that says
//! only what it said.
//!
//! Conference tools export abstracts as HTML (pentabarf), Markdown (pretalx, frab) or HTML
//! escaped inside XML. Reports show raw HTML as text, so tags must go; Markdown marks would
//! show as `**` and `#####` in a one-line summary, so they go too; and an abstract copied
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

/// HTML links and lists (pentabarf, frab XML) written as Markdown's, so that `blocks`
/// keeps them as it keeps pretalx's: `<a href="https://x.org/">X</a>` -> `[X](https://x.org/)`,
/// `<ul><li>A</li><li>B</li></ul>` -> lines `- A` and `- B` (`1.` and on in `<ol>`), and the
/// paragraphs around them (`<p>`, `<div>`, `<br>`) as paragraphs and lines. Other tags stay
/// for `strip_html`. Text with no link or list tag is returned as it is.
fn html_links_and_lists_as_markdown(text: &str) -> std::borrow::Cow<'_, str> {
    let lower = text.to_ascii_lowercase();
    if !["<a ", "<li", "<ul", "<ol"]
        .iter()
        .any(|t| lower.contains(t))
    {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 64);
    // Each open list: the next number of a numbered one, `None` for bullets.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut links: Vec<Option<String>> = Vec::new();
    let mut at = 0;
    while let Some(open) = text[at..].find('<').map(|i| at + i) {
        out.push_str(&text[at..open]);
        let Some(close) = text[open..].find('>').map(|i| open + i) else {
            at = open;
            break;
        };
        let tag = &text[open + 1..close];
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| !c.is_ascii_alphanumeric())
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("a", false) => {
                let href = attribute(tag, "href").filter(|h| {
                    let h = h.to_ascii_lowercase();
                    h.starts_with("https://") || h.starts_with("http://")
                });
                if href.is_some() {
                    out.push('[');
                }
                links.push(href);
            }
            ("a", true) => {
                if let Some(Some(href)) = links.pop() {
                    out.push_str(&format!("]({href})"));
                }
            }
            ("ul", false) => {
                lists.push(None);
                out.push_str("\n\n");
            }
            ("ol", false) => {
                lists.push(Some(1));
                out.push_str("\n\n");
            }
            ("ul" | "ol", true) => {
                lists.pop();
                out.push_str("\n\n");
            }
            ("li", false) => match lists.last_mut() {
                Some(Some(n)) => {
                    out.push_str(&format!("\n{n}. "));
                    *n += 1;
                }
                _ => out.push_str("\n- "),
            },
            ("li", true) => out.push('\n'),
            ("p" | "div", _) => out.push_str("\n\n"),
            ("br", _) => out.push_str("  \n"),
            _ => out.push_str(&text[open..=close]),
        }
        at = close + 1;
    }
    out.push_str(&text[at..]);
    out.into()
}

/// The value of attribute `name` in the inside of a tag (`a href="x" title=y`), quoted or not.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name).map(|i| from + i) {
        from = i + name.len();
        let before_ok = i > 0 && lower.as_bytes()[i - 1].is_ascii_whitespace();
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value_at = tag.len() - rest.len() + 1;
        let value = tag[value_at..].trim_start();
        let value = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or_default(),
            _ => value.split(char::is_whitespace).next().unwrap_or_default(),
        };
        return Some(decode_entities(value.trim()));
    }
    None
}

/// A block of free text as plain words: a paragraph, heading, list item or code block.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Block {
    text: String,
    /// `-` for an item of a bulleted list, `3.` for the third of a numbered one.
    marker: Option<String>,
}

/// The blocks of an abstract as conference tools export it: Markdown (pretalx, frab), HTML
/// (pentabarf, FOSDEM), HTML inside Markdown, or plain text, which reads as Markdown too.
/// Emphasis, headings and code marks go, leaving their words; a link keeps its words and, when
/// they are not the address itself, the address in brackets; HTML tags go as [`strip_html`]
/// removes them (block tags end a block).
fn blocks(text: &str) -> Vec<Block> {
    blocks_within(text, false)
}

/// `blocks`; `in_html`: `text` is what was left of an HTML block, whose own HTML is not
/// looked into again.
fn blocks_within(text: &str, in_html: bool) -> Vec<Block> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut out: Vec<Block> = Vec::new();
    let mut current = String::new();
    let mut marker: Option<String> = None;
    // The next number of each numbered list open, innermost last (`None` for bullets).
    let mut lists: Vec<Option<u64>> = Vec::new();
    // Each open link: its address and where its words start in `current`.
    let mut links: Vec<(String, usize)> = Vec::new();
    let flush = |current: &mut String, marker: &mut Option<String>, out: &mut Vec<Block>| {
        let text = crate::model::names::clean(current);
        if !text.is_empty() {
            out.push(Block {
                text,
                marker: marker.take(),
            });
        }
        current.clear();
    };
    // XML exports indent the lines of a text element with the markup around them, which
    // Markdown would read as code blocks (`[Tickets](…)` shown as written): abstracts hold
    // no code worth that, so lines lose their leading white space first.
    let text: String = html_links_and_lists_as_markdown(text)
        .lines()
        .map(str::trim_start)
        .collect::<Vec<_>>()
        .join("\n");
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(&text, options) {
        match event {
            Event::Text(t) | Event::Code(t) => current.push_str(&t),
            Event::SoftBreak | Event::HardBreak => current.push(' '),
            // What is left of an HTML block has had its tags taken out: a `<b>` there was
            // written escaped (`&lt;b&gt;`), as text.
            Event::Html(ref html) | Event::InlineHtml(ref html) if in_html => {
                current.push_str(&html.replace('\n', " "));
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) => {
                let plain = strip_html(html);
                // Markdown written inside an HTML block (`<p>the [Arduino
                // IDE](https://arduino.cc)</p>`, as some exports mix them) is reduced to its
                // words too; a tag inside a paragraph holds no words of its own.
                let block = matches!(event, Event::Html(_));
                let words = |piece: &str| -> String {
                    if !block {
                        return piece.replace('\n', " ");
                    }
                    // A block comes a line at a time: the break at either end of this
                    // line's words is a space between them and the next line's.
                    let inner = blocks_within(piece, true);
                    let mut words = inner
                        .into_iter()
                        .map(|b| b.text)
                        .collect::<Vec<_>>()
                        .join(" ");
                    if piece.starts_with(char::is_whitespace) {
                        words.insert(0, ' ');
                    }
                    if piece.ends_with(char::is_whitespace) {
                        words.push(' ');
                    }
                    words
                };
                let mut pieces = plain.split("\n\n");
                if let Some(first) = pieces.next() {
                    current.push_str(&words(first));
                }
                for piece in pieces {
                    flush(&mut current, &mut marker, &mut out);
                    current.push_str(&words(piece));
                }
            }
            Event::Start(Tag::List(first)) => {
                flush(&mut current, &mut marker, &mut out);
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut current, &mut marker, &mut out);
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut current, &mut marker, &mut out);
                marker = Some(match lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}.", *n - 1)
                    }
                    _ => "-".to_string(),
                });
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                links.push((dest_url.to_string(), current.len()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((url, from)) = links.pop() {
                    let words = current.get(from..).unwrap_or_default().trim();
                    let web = url.starts_with("https://") || url.starts_with("http://");
                    if web && !words.is_empty() && words != url {
                        current.push_str(&format!(" ({url})"));
                    }
                }
            }
            Event::End(TagEnd::TableCell) => current.push(' '),
            Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::CodeBlock(_)
                | Tag::BlockQuote(_)
                | Tag::TableRow
                | Tag::TableHead,
            )
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::Item
                | TagEnd::TableRow
                | TagEnd::TableHead,
            )
            | Event::Rule => flush(&mut current, &mut marker, &mut out),
            _ => {}
        }
    }
    flush(&mut current, &mut marker, &mut out);
    out
}

/// One line of at most `max` characters from free text: Markdown and HTML reduced to their
/// words ([`blocks`]), each block a sentence, cut at a word boundary with `…` when too long.
/// `None` when nothing is left.
pub fn summary(text: &str, max: usize) -> Option<String> {
    let mut plain = String::new();
    for block in blocks(text) {
        if !plain.is_empty() {
            // A heading or item with no closing mark of its own would run into the next.
            if !plain.ends_with(['.', '!', '?', ':', ';', '…', ',']) {
                plain.push('.');
            }
            plain.push(' ');
        }
        plain.push_str(&block.text);
    }
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

/// Free text as Markdown that says what it said and nothing more: each block of [`blocks`] a
/// paragraph, list items a list, and every character Markdown would act on escaped (a `#` or
/// `[` in the words stays a `#` or `[`, not a heading or a link to nowhere).
pub fn markdown_paragraphs(text: &str) -> String {
    let mut out = String::new();
    let mut last_was_item = false;
    for block in blocks(text) {
        let line = escape_markdown(&block.text);
        if !out.is_empty() {
            out.push_str(if last_was_item && block.marker.is_some() {
                "\n"
            } else {
                "\n\n"
            });
        }
        last_was_item = block.marker.is_some();
        if let Some(marker) = block.marker {
            out.push_str(&marker);
            out.push(' ');
        }
        out.push_str(&line);
    }
    out
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
    fn markdown_inside_html_becomes_its_words_too() {
        let abstract_ = "<p>We talk about <b>open</b> data &amp; the [Arduino IDE](https://arduino.cc).</p>\n\n<p>Then **more**.</p>";
        assert_eq!(
            summary(abstract_, 300).as_deref(),
            Some("We talk about open data & the Arduino IDE (https://arduino.cc). Then more.")
        );
        // Escaped tags read as text stay as they are written.
        assert_eq!(
            summary("<p>Use &lt;b&gt; for bold.</p>", 300).as_deref(),
            Some("Use <b> for bold.")
        );
    }

    #[test]
    fn markdown_in_an_abstract_becomes_its_words() {
        // As pretalx and frab export abstracts.
        let abstract_ = "##### Motivation\nPrivacy **matters**.\n\nBring:\n* a laptop\n* the [Arduino IDE](https://arduino.cc)\n\n`code` and <b>HTML</b> &amp; more";
        assert_eq!(
            summary(abstract_, 300).as_deref(),
            Some(
                "Motivation. Privacy matters. Bring: a laptop. the Arduino IDE (https://arduino.cc). code and HTML & more"
            )
        );
        assert_eq!(
            markdown_paragraphs(abstract_),
            "Motivation\n\nPrivacy matters.\n\nBring:\n\n- a laptop\n- the Arduino IDE (https://arduino.cc)\n\ncode and HTML & more"
        );
        assert_eq!(
            markdown_paragraphs("Steps:\n\n3. one\n4. two"),
            "Steps:\n\n3. one\n4. two"
        );
        // A link whose words are its address says it once.
        assert_eq!(
            summary("See <https://x.org>.", 100).as_deref(),
            Some("See https://x.org.")
        );
    }

    #[test]
    fn lines_indented_by_the_xml_around_them_are_not_code() {
        assert_eq!(
            summary(
                "Come along.\n\n                    [Tickets](https://t.example/) - [Details](https://d.example/)",
                300
            )
            .as_deref(),
            Some("Come along. Tickets (https://t.example/) - Details (https://d.example/)")
        );
    }

    #[test]
    fn html_abstracts_keep_their_paragraphs() {
        assert_eq!(
            markdown_paragraphs(
                "\n<p>First &amp; <a href=\"http://x.org\">x</a>\n</p>\n<p>Second<br>line</p>"
            ),
            "First & x (http://x.org)\n\nSecond line"
        );
        // Links keep their address, lists their items, as in a Markdown abstract.
        assert_eq!(
            markdown_paragraphs(
                "<p>See <a class=\"l\" href='https://jekyllrb.com/'>Jekyll</a> and <a href=\"https://x.org/\">https://x.org/</a>.</p><ul><li>Eins</li><li>Zwei</li></ul><ol><li>One</li><li>Two</li></ol>"
            ),
            "See Jekyll (https://jekyllrb.com/) and https://x.org/.\n\n- Eins\n- Zwei\n1. One\n2. Two"
        );
    }

    #[test]
    fn paragraphs_say_only_what_they_said() {
        assert_eq!(
            markdown_paragraphs("#Fusionbleibt [link](x.md) a\\_b\n\n1) *really* [not a link"),
            "\\#Fusionbleibt link a\\_b\n\n1. really \\[not a link"
        );
    }
}
