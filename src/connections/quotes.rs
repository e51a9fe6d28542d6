//! Quotes, written the way editors already write them: a block quote whose last line starts
//! with `— ` (or `-- `) and names one of the report's speakers.
//!
//! ```markdown
//! > This marks a transition to a new phase.
//! > — Tural Aliyev
//! ```
//!
//! The name may be any spelling of the person the site knows (their name, a profile alias,
//! another report's spelling, anything that transliterates alike), and may be followed by a
//! comma and whatever the editor adds (`— Tural Aliyev, Presidential Administration`). A
//! name that is none of the report's speakers is a warning at its line and column naming the
//! closest speaker, and the block stays a plain block quote: an unmatched attribution must
//! never put words in the wrong mouth.
//!
//! Found here from the Markdown source (the model keeps bodies unrendered), with the same
//! parser options as rendering, so that `render` can find the same blocks again by offset.

use crate::diagnostic::{Diagnostic, Span, edit_distance, line_col};
use crate::model::slug::slugify;
use crate::model::{Forum, Model, SpeakerId};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::ops::Range;

/// One attributed quote.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Quote {
    pub forum: crate::model::ForumId,
    /// Index into the forum's appearances: the speaker's part in it (their title then).
    pub appearance: usize,
    pub speaker: SpeakerId,
    /// The quoted words as plain text, one string per paragraph, the attribution left out.
    pub paragraphs: Vec<String>,
    /// Position of the block quote in the report file (1-based line, column in characters).
    pub line: usize,
    pub column: usize,
    /// Byte offsets in the body: where the block quote starts, and its attribution line.
    pub start: usize,
    pub attribution: Range<usize>,
}

impl Quote {
    /// The words, paragraphs separated by a blank line.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n\n")
    }
}

/// The quotes of one forum's report, in the order they appear, and a warning for every
/// attribution that names none of its speakers.
pub fn find(model: &Model, forum: &Forum) -> (Vec<Quote>, Vec<Diagnostic>) {
    // The blocks were found when the report was parsed (`crate::load::Facts`): its words
    // are read only to point at a name that is none of its speakers.
    let mut quotes = Vec::new();
    let mut warnings = Vec::new();
    for block in &forum.body.source.facts().quotes {
        let name = block.name_text.as_str();
        match attributed_speaker(model, forum, name) {
            // Someone shown as initials is quoted only where the report itself shows it.
            Some(appearance) if !model.speaker(forum.appearances[appearance].speaker).listed => {}
            Some(appearance) => {
                let (line, column) = (block.line, block.column);
                // The words may name a protected person (docs/privacy.md).
                let paragraphs = block
                    .paragraphs
                    .iter()
                    .map(|p| model.redactions.redact(p, Some(&forum.file)).into_owned())
                    .collect();
                quotes.push(Quote {
                    forum: forum.id,
                    appearance,
                    speaker: forum.appearances[appearance].speaker,
                    paragraphs,
                    line: forum.body.first_line + line - 1,
                    column,
                    start: block.start,
                    attribution: block.attribution.clone(),
                });
            }
            // A protected person's name: the privacy warning already points here.
            None if model.redactions.names_someone(name, Some(&forum.file)) => {}
            None => {
                let words = forum.body.source.get();
                warnings.push(unknown_speaker(
                    model,
                    forum,
                    &words,
                    name,
                    block.name.start,
                ));
            }
        }
    }
    (quotes, warnings)
}

/// Where to stop parsing: after the first blank line that follows the last line that looks
/// like an attribution inside a block quote (`> — Name`), or `None` if there is none.
fn parse_end(source: &str) -> Option<usize> {
    let mut offset = 0;
    let mut last = None;
    for line in source.split_inclusive('\n') {
        let quoted = line
            .trim_start()
            .strip_prefix('>')
            .map(|rest| rest.trim_start_matches(|c: char| c == '>' || c.is_whitespace()));
        if quoted.is_some_and(|r| ATTRIBUTION_DASHES.iter().any(|d| r.starts_with(d))) {
            last = Some(offset + line.len());
        }
        offset += line.len();
    }
    let after = last?;
    let mut end = after;
    for line in source[after..].split_inclusive('\n') {
        end += line.len();
        if line.trim().is_empty() {
            return Some(end);
        }
    }
    Some(source.len())
}

/// A top-level block quote whose last line is an attribution, as a report's text has it
/// (before anyone is found by the name).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Block {
    /// Where the block quote starts: its byte offset, and its line (1-based, in the text)
    /// and column (in characters).
    pub start: usize,
    pub line: usize,
    pub column: usize,
    /// The attribution line, from its first character (after the `>` markers) to its end.
    pub attribution: Range<usize>,
    /// The name as written (up to the first comma), and where.
    pub name: Range<usize>,
    pub name_text: String,
    /// The quoted words as plain text, one string per paragraph.
    pub paragraphs: Vec<String>,
}

/// The attributed block quotes of a report's text. Most texts have no attribution line at
/// all: no parse for them. The others are parsed up to the end of the paragraph of their
/// last one (a prefix parses as the start of the whole, so offsets agree with the
/// renderer's).
pub fn blocks_in(source: &str) -> Vec<Block> {
    let Some(end) = parse_end(source) else {
        return Vec::new();
    };
    let mut blocks = attributed_blocks(&source[..end]);
    for block in &mut blocks {
        (block.line, block.column) = line_col(source, block.start);
        block.name_text = source[block.name.clone()].to_string();
    }
    blocks
}

fn attributed_blocks(source: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<Block> = None;
    let mut paragraph = String::new();
    for (event, range) in
        Parser::new_ext(source, crate::render::markdown::options()).into_offset_iter()
    {
        match event {
            Event::Start(Tag::BlockQuote(_)) => {
                if depth == 0 {
                    current = attribution(source, range.clone()).map(|(attribution, name)| Block {
                        start: range.start,
                        line: 0,
                        column: 0,
                        attribution,
                        name,
                        name_text: String::new(),
                        paragraphs: Vec::new(),
                    });
                    paragraph.clear();
                }
                depth += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                depth = depth.saturating_sub(1);
                if depth == 0
                    && let Some(mut block) = current.take()
                {
                    push_paragraph(&mut block.paragraphs, &mut paragraph);
                    if !block.paragraphs.is_empty() {
                        blocks.push(block);
                    }
                }
            }
            _ => {
                let Some(block) = current.as_mut() else {
                    continue;
                };
                if range.start >= block.attribution.start {
                    continue;
                }
                match event {
                    // Raw HTML is shown as text on the page (docs/content.md), so it is
                    // part of the words: `a<b and x > y` keeps its `<b and x >`.
                    Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
                        paragraph.push_str(&t)
                    }
                    Event::SoftBreak | Event::HardBreak => paragraph.push(' '),
                    Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                        push_paragraph(&mut block.paragraphs, &mut paragraph)
                    }
                    _ => {}
                }
            }
        }
    }
    blocks
}

fn push_paragraph(paragraphs: &mut Vec<String>, paragraph: &mut String) {
    let text = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    if !text.is_empty() {
        paragraphs.push(text);
    }
    paragraph.clear();
}

/// How an attribution line starts: an em dash, an en dash (as Russian and Azerbaijani
/// typing gives a dash) or two hyphens, each with a space after it.
const ATTRIBUTION_DASHES: [&str; 3] = ["— ", "– ", "-- "];

/// The attribution line of the block quote at `range`, if its last non-blank line is one:
/// (the line after its `>` marker, the name in it).
fn attribution(source: &str, range: Range<usize>) -> Option<(Range<usize>, Range<usize>)> {
    let block = &source[range.clone()];
    let mut offset = range.start;
    let mut last = None;
    for line in block.split_inclusive('\n') {
        let content = line.trim_end();
        let after_marker = content
            .trim_start()
            .strip_prefix('>')
            .map(|rest| rest.strip_prefix(' ').unwrap_or(rest));
        let inner = after_marker.unwrap_or(content.trim_start());
        if !inner.trim().is_empty() {
            let inner_start = offset + (content.len() - inner.len());
            last = Some((inner_start, inner));
        }
        offset += line.len();
    }
    let (start, line) = last?;
    let rest = ATTRIBUTION_DASHES
        .iter()
        .find_map(|d| line.strip_prefix(d))?;
    let name_start = start + (line.len() - rest.len());
    let written = rest.split(',').next().unwrap_or(rest);
    let leading = written.len() - written.trim_start().len();
    let name = written.trim();
    if name.is_empty() {
        return None;
    }
    let name_start = name_start + leading;
    Some((
        start..start + line.len(),
        name_start..name_start + name.len(),
    ))
}

/// The appearance (index into the forum's appearances) of the speaker `name` spells.
fn attributed_speaker(model: &Model, forum: &Forum, name: &str) -> Option<usize> {
    // `[Aygun Aliyeva](@/speakers/aygun-aliyeva)`: the link's address names the person
    // as surely as its words; either will do.
    if let Some((words, target)) = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(')'))
        .and_then(|n| n.split_once("]("))
    {
        let slug = target
            .strip_prefix("@/speakers/")
            .map(|s| s.trim_end_matches('/').trim_end_matches(".md"));
        let by_link = slug.and_then(|slug| {
            forum
                .appearances
                .iter()
                .position(|a| model.speaker(a.speaker).slug == slug)
        });
        return by_link.or_else(|| attributed_speaker(model, forum, words));
    }
    let key = slugify(name);
    if key.is_empty() {
        return None;
    }
    // The slug first: it is the key of most spellings, and needs no transliteration.
    let by_slug = |a: &crate::model::Appearance| model.speaker(a.speaker).slug == key;
    forum
        .appearances
        .iter()
        .position(by_slug)
        .or_else(|| {
            forum.appearances.iter().position(|a| {
                let s = model.speaker(a.speaker);
                slugify(&s.name) == key || s.aliases.iter().any(|alias| slugify(alias) == key)
            })
        })
        // A translated profile's name finds the person in reports like an alias
        // (docs/content.md), so it names them in an attribution too: `— Айгюн Алиева` in
        // the original, whose speakers list writes `Aygun Aliyeva`.
        .or_else(|| {
            forum.appearances.iter().position(|a| {
                let s = model.speaker(a.speaker);
                model
                    .translations
                    .speakers
                    .get(&s.slug)
                    .is_some_and(|texts| {
                        texts
                            .iter()
                            .filter_map(|t| t.name.as_deref())
                            .any(|name| slugify(name) == key)
                    })
            })
        })
}

/// The warning for a quote attributed to `name`, at `offset` in the forum's text `source`.
fn unknown_speaker(
    model: &Model,
    forum: &Forum,
    source: &str,
    name: &str,
    offset: usize,
) -> Diagnostic {
    let (line, col) = line_col(source, offset);
    let span = Span::new(&forum.body.file, forum.body.first_line + line - 1, col);
    let closest = forum
        .appearances
        .iter()
        .map(|a| model.speaker(a.speaker).name.as_str())
        .min_by_key(|candidate| edit_distance(&name.to_lowercase(), &candidate.to_lowercase()));
    let help = match closest {
        Some(c) => format!(
            "the closest speaker of this report is `{c}`; attribute a quote to one of the report's `speakers:` (any spelling of their name), or add the person there"
        ),
        None => "this report lists no `speakers:`; add the person there to attribute words to them"
            .into(),
    };
    let mut warning = Diagnostic::warning(format!(
        "quote attributed to `{name}`, who is not a speaker of this report"
    ))
    .at(span)
    .with_help(help);
    // The line with a caret under the name, as every diagnostic shows it.
    warning.source_line = source.lines().nth(line - 1).map(str::to_string);
    warning
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(source: &str) -> Vec<(String, String, Vec<String>)> {
        attributed_blocks(source)
            .into_iter()
            .map(|b| {
                (
                    source[b.name.clone()].to_string(),
                    source[b.attribution.clone()].to_string(),
                    b.paragraphs,
                )
            })
            .collect()
    }

    #[test]
    fn the_last_line_of_a_block_quote_attributes_it() {
        let found = blocks("Intro.\n\n> One *two*.\n> — Tural Aliyev\n\nAfter.\n");
        assert_eq!(
            found,
            vec![(
                "Tural Aliyev".into(),
                "— Tural Aliyev".into(),
                vec!["One two.".into()]
            )]
        );
    }

    #[test]
    fn raw_html_in_a_quote_stays_in_its_words_as_the_page_shows_it() {
        let found =
            blocks("> Tags like <b>bold</b> and <br> stay, as must a<b and x > y.\n> — Ann Lee\n");
        assert_eq!(
            found[0].2,
            vec!["Tags like <b>bold</b> and <br> stay, as must a<b and x > y."]
        );
    }

    #[test]
    fn double_hyphens_a_blank_line_and_a_title_after_a_comma() {
        let found =
            blocks("> First.\n>\n> Second.\n>\n> -- Tural Aliyev, Presidential Administration\n");
        assert_eq!(found[0].0, "Tural Aliyev");
        assert_eq!(found[0].2, vec!["First.", "Second."]);
    }

    #[test]
    fn parsing_stops_after_the_paragraph_of_the_last_attribution() {
        let source = "Intro.\n\n> Words.\n> — Ann Lee\n\nLong rest.\n";
        assert_eq!(
            &source[..parse_end(source).unwrap()],
            "Intro.\n\n> Words.\n> — Ann Lee\n\n"
        );
        let unended = "> Words.\n> — Ann Lee";
        assert_eq!(parse_end(unended), Some(unended.len()));
        assert_eq!(parse_end("> Words, no attribution.\n\n— Ann Lee\n"), None);
    }

    #[test]
    fn block_quotes_without_an_attribution_are_not_quotes() {
        assert!(blocks("> Just a quote.\n").is_empty());
        assert!(blocks("> A dash — inside a line.\n").is_empty());
        assert!(blocks("— Name outside a quote\n").is_empty());
        assert!(blocks("> — \n").is_empty());
    }
}
