//! Atom 1.0 feeds: the site's (`/feed.xml`) and one beside every speaker, organization,
//! topic and series page. Newest first, the latest `FEED_ENTRIES` forums with a date.
//!
//! Written directly rather than through templates: the format is fixed, and escaping every
//! value in one function is easier to trust than in every theme.

use super::dates::{forum_updated_instant, rfc3339_date};
use super::routes::{FeedOwner, Route, Urls};
use crate::model::{ForumId, Model};
use crate::write::{Contents, OutputFile};

/// How many entries a feed carries; readers only ever show the latest.
pub const FEED_ENTRIES: usize = 20;

/// One feed: `forums` chronological (oldest first), as the model keeps them.
pub fn atom(
    model: &Model,
    urls: &Urls,
    locale: &crate::i18n::Locale,
    owner: FeedOwner,
    title: &str,
    forums: &[ForumId],
) -> OutputFile<'static> {
    let route = Route::Feed(owner);
    // Newest first by when each last changed (an undated announcement counts by its
    // source's date, so it is not simply last); the same moment keeps the list's order,
    // later forums first.
    let mut newest: Vec<(jiff::Timestamp, ForumId)> = forums
        .iter()
        .rev()
        .filter_map(|&id| Some((forum_updated_instant(model.forum(id))?, id)))
        .collect();
    newest.sort_by_key(|&(moment, _)| std::cmp::Reverse(moment));
    newest.truncate(FEED_ENTRIES);
    let entries: Vec<(String, ForumId)> = newest
        .into_iter()
        .map(|(moment, id)| (moment.to_string(), id))
        .collect();
    let updated = entries
        .first()
        .map_or_else(|| rfc3339_date(model.today), |(moment, _)| moment.clone());
    let author = model.site.author.as_deref().unwrap_or(&model.site.title);
    let mut xml = String::with_capacity(1024 + entries.len() * 700);
    use Part::{Raw, Text};
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    line(
        &mut xml,
        &[
            Raw("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\""),
            Text(&model.site.language),
            Raw("\">"),
        ],
    );
    element(&mut xml, "title", Text(title));
    if let Some(d) = &model.site.description {
        element(&mut xml, "subtitle", Text(d));
    }
    element(&mut xml, "id", Text(&id(urls, owner.page())));
    line(
        &mut xml,
        &[
            Raw("<link rel=\"self\" type=\"application/atom+xml\" href=\""),
            Text(&urls.permalink(route)),
            Raw("\"/>"),
        ],
    );
    line(
        &mut xml,
        &[
            Raw("<link rel=\"alternate\" type=\"text/html\" href=\""),
            Text(&urls.permalink(owner.page())),
            Raw("\"/>"),
        ],
    );
    element(&mut xml, "updated", Raw(&updated));
    line(
        &mut xml,
        &[Raw("<author><name>"), Text(author), Raw("</name></author>")],
    );
    xml.push_str("<generator>Podium</generator>\n");
    for (updated, forum_id) in entries {
        let f = model.forum(forum_id);
        let page = Route::Forum(&f.path);
        // Text shown untranslated on a feed of another language says which it is in.
        let untranslated = model.localized.forum(forum_id);
        let original = locale.default_lang();
        xml.push_str("<entry>\n");
        if untranslated.title {
            line(
                &mut xml,
                &[
                    Raw("<title xml:lang=\""),
                    Text(original),
                    Raw("\">"),
                    Text(&f.title),
                    Raw("</title>"),
                ],
            );
        } else {
            element(&mut xml, "title", Text(&f.title));
        }
        element(&mut xml, "id", Text(&id(urls, page)));
        line(
            &mut xml,
            &[
                Raw("<link rel=\"alternate\" type=\"text/html\" href=\""),
                Text(&urls.permalink(page)),
                Raw("\"/>"),
            ],
        );
        if let Some(start) = &f.start {
            element(&mut xml, "published", Raw(&super::dates::rfc3339(start)));
        }
        element(&mut xml, "updated", Raw(&updated));
        // The summary leads the entry's text; the facts after it are in the feed's language.
        // A summary not in the feed's language is marked as the original's, in HTML (an
        // Atom text element has one language for all it holds).
        let (summary, facts) = entry_summary(model, locale, forum_id);
        match summary {
            Some(summary) if untranslated.summary => {
                let html = format!(
                    "<span lang=\"{}\">{}</span>{}{}",
                    escape(original),
                    escape(&summary),
                    if facts.is_empty() { "" } else { " " },
                    escape(&facts)
                );
                line(
                    &mut xml,
                    &[
                        Raw("<summary type=\"html\">"),
                        Text(&html),
                        Raw("</summary>"),
                    ],
                );
            }
            summary => {
                let text = [summary.unwrap_or_default(), facts].join(" ");
                line(
                    &mut xml,
                    &[
                        Raw("<summary type=\"text\">"),
                        Text(text.trim()),
                        Raw("</summary>"),
                    ],
                );
            }
        }
        for &t in &f.topics {
            let topic = model.topic(t);
            line(
                &mut xml,
                &[
                    Raw("<category term=\""),
                    Text(&topic.slug),
                    Raw("\" label=\""),
                    Text(&topic.name),
                    Raw("\"/>"),
                ],
            );
        }
        xml.push_str("</entry>\n");
    }
    xml.push_str("</feed>\n");
    OutputFile {
        path: route.output_file(),
        contents: Contents::Bytes(xml.into_bytes()),
        origin: format!("feed {}", route.path()),
    }
}

/// A piece of a feed's line: markup as it is, or text to escape.
enum Part<'a> {
    Raw(&'a str),
    Text(&'a str),
}

/// Append one line of a feed. Every piece goes straight into the one string: a feed is a
/// few dozen lines, and there is one beside every speaker, organization, topic and series
/// (thousands in a large site).
fn line(xml: &mut String, parts: &[Part]) {
    for part in parts {
        match part {
            Part::Raw(text) => xml.push_str(text),
            Part::Text(text) => escape_feed_text(xml, text),
        }
    }
    xml.push('\n');
}

/// `escape_into`, and a carriage return as a reference: written as it is, an XML reader
/// takes it for a line end and reads a newline (HTML pages keep it as it is, where a
/// reference to it would be an error).
fn escape_feed_text(xml: &mut String, text: &str) {
    let mut pieces = text.split('\r');
    if let Some(first) = pieces.next() {
        escape_into(xml, first);
    }
    for piece in pieces {
        xml.push_str("&#13;");
        escape_into(xml, piece);
    }
}

/// Append a line `<name>value</name>`.
fn element(xml: &mut String, name: &str, value: Part) {
    line(
        xml,
        &[
            Part::Raw("<"),
            Part::Raw(name),
            Part::Raw(">"),
            value,
            Part::Raw("</"),
            Part::Raw(name),
            Part::Raw(">"),
        ],
    );
}

/// The summary, else who spoke where: never an empty entry. In the feed's language.
/// An entry's summary as written (if any), and the facts the feed adds after it, in the
/// feed's language: `(20 October 2025, Baku) Speakers: ...`.
fn entry_summary(
    model: &Model,
    locale: &crate::i18n::Locale,
    id: ForumId,
) -> (Option<String>, String) {
    let f = model.forum(id);
    let mut text = String::new();
    let place = super::views::place(f);
    let when = super::views::date_range(f.start.as_ref(), f.end.as_ref(), locale);
    let facts: Vec<String> = [when, place].into_iter().flatten().collect();
    if !facts.is_empty() {
        text.push_str(&format!("({})", facts.join(", ")));
    }
    if !f.appearances.is_empty() {
        let names: Vec<&str> = f
            .appearances
            .iter()
            .map(|a| model.speaker(a.speaker).name.as_str())
            .collect();
        text.push(' ');
        text.push_str(&locale.word_with("feed.speakers", &[("names", &names.join(", "))]));
    }
    let summary = f
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    (summary.map(str::to_string), text.trim().to_string())
}

/// Atom ids must be absolute IRIs. With an absolute `base_url` the permalink is one; a site
/// without one gets a stable URN from the path.
fn id(urls: &Urls, route: Route) -> String {
    let permalink = urls.permalink(route);
    if permalink.starts_with("http://") || permalink.starts_with("https://") {
        permalink
    } else {
        let path = route.path();
        let path = path.trim_end_matches('/');
        format!("urn:podium:{}", if path.is_empty() { "site" } else { path })
    }
}

/// XML text and attribute escaping; drops characters XML 1.0 cannot carry.
///
/// Runs of ordinary bytes are copied whole: every feed and calendar of a site goes through
/// here (a tenth of a large site's bytes), and nearly all of it needs no change.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    escape_into(&mut out, s);
    out
}

/// `escape`, appended to `out`.
pub fn escape_into(out: &mut String, s: &str) {
    // The bytes that may need a change: markup, control characters and 0xEF (the first
    // byte of U+FFFE and U+FFFF, and of other characters copied as they are).
    const SPECIAL: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 0x20 {
            table[b] = b != b'\t' as usize && b != b'\n' as usize && b != b'\r' as usize;
            b += 1;
        }
        table[b'&' as usize] = true;
        table[b'<' as usize] = true;
        table[b'>' as usize] = true;
        table[b'"' as usize] = true;
        table[b'\'' as usize] = true;
        table[0xef] = true;
        table
    };
    let bytes = s.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !SPECIAL[b as usize] {
            i += 1;
            continue;
        }
        let (replacement, skip): (&str, usize) = match b {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&apos;", 1),
            // Tab, newline and carriage return are not in the table: never here.
            0..=0x1f => ("", 1),
            // U+FFFE and U+FFFF, the only characters at or above U+0020 that XML 1.0 refuses.
            0xef if bytes.get(i + 1) == Some(&0xbf)
                && matches!(bytes.get(i + 2), Some(0xbe | 0xbf)) =>
            {
                ("", 3)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        // `i` is at an ASCII byte or at the first byte of a character: a boundary.
        out.push_str(&s[copied..i]);
        out.push_str(replacement);
        i += skip;
        copied = i;
    }
    out.push_str(&s[copied..]);
}

#[cfg(test)]
mod tests {
    use super::{escape, escape_feed_text};

    /// The rule `escape` follows, one character at a time.
    fn reference(s: &str) -> String {
        let mut out = String::new();
        for c in s.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&apos;"),
                '\t' | '\n' | '\r' => out.push(c),
                c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn escape_follows_the_rule_on_every_kind_of_character() {
        let cases = [
            "",
            "plain words",
            "Tom & Jerry's <b>\"bold\"</b>",
            "&&<<>>",
            "tab\there\nnew\rline",
            "bell\u{7}and\u{0}null\u{1f}",
            "Qəbələ — Чи\u{AD}шинэу ✓",
            "\u{fffe}\u{ffff}\u{fffd}\u{fefe}\u{efff}end",
            "ends with an ampersand &",
            "\u{ffff}",
            "ﾟ half-width ￼ object",
        ];
        for case in cases {
            assert_eq!(escape(case), reference(case), "{case:?}");
        }
        assert_eq!(escape("a<b"), "a&lt;b");
        let mut feed = String::new();
        escape_feed_text(&mut feed, "two\r\nlines & <more>\r");
        assert_eq!(feed, "two&#13;\nlines &amp; &lt;more&gt;&#13;");
        assert_eq!(escape("x\u{ffff}y"), "xy");
    }
}
