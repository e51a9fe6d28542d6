//! Markdown bodies to HTML: CommonMark with tables, footnotes, strikethrough and smart
//! punctuation, made safe and linked into the site.
//!
//! - Raw HTML in a report is shown as text, never passed through (reports come from many
//!   hands; Hugo's `unsafe = false` default for the same reason).
//! - Every link and image URL is checked: script schemes are neutralised with a warning.
//! - Internal links are resolved here, where URLs are known: `@/forums/2025/x.md`,
//!   `@/speakers/slug`, and relative `../x.md` links become the page's URL; a relative link to
//!   a file beside the report becomes that file's URL. A target that does not exist is a
//!   warning with the file and line of the link.
//! - Headings get ids so `#anchors` work.

use crate::diagnostic::{Diagnostic, Span, line_col};
use crate::links::{UrlKind, classify, join};
use crate::model::entities::Markdown;
use crate::model::slug::slugify;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Everything a Markdown link may point to inside the site.
#[derive(Debug, Default)]
pub struct LinkIndex {
    /// Content path without `.md` (`forums/2025/x`, `speakers/aygun-aliyeva`, `about`) -> href.
    /// (A fast hash: tens of thousands of the site's own paths.)
    pub pages: rustc_hash::FxHashMap<String, String>,
    /// Output paths of copied files (`forums/2025/photo.jpg`).
    pub files: HashSet<String>,
    /// Drafts, by content path without `.md`: not published, so links to them go nowhere.
    pub drafts: HashSet<String>,
    /// `/` or `/archive/`.
    pub base_path: String,
    /// Protected people's names and old addresses (`crate::privacy`): replaced in text,
    /// and links to them go to their new address or become plain text.
    pub redactions: std::sync::Arc<crate::privacy::Redactions>,
    /// The processed images: a Markdown image of one of them becomes a `<picture>`.
    pub gallery: std::sync::Arc<crate::images::Gallery>,
}

enum Target {
    Keep,
    Rewrite(String),
    Missing(String),
    Unsafe,
    /// A link to a person who must not be linked: its text stays, the link goes.
    Withheld,
}

impl Target {
    fn only_if(self, holds: bool) -> Option<Target> {
        holds.then_some(self)
    }
}

impl LinkIndex {
    /// The URL for an image or file named in front matter (`photo:`, `image:`, `logo:`):
    /// external URLs stay, paths relative to the file's folder become site URLs.
    /// A file that does not exist comes back as written, with the reason.
    pub fn resolve_src(&self, url: &str, base_dir: &str) -> (String, Option<String>) {
        match self.resolve(url, base_dir) {
            Target::Rewrite(href) => (href, None),
            Target::Unsafe => (
                "#".to_string(),
                Some(format!("`{url}` uses a scheme that could run code")),
            ),
            Target::Keep => (url.to_string(), None),
            Target::Missing(why) => (url.to_string(), Some(why)),
            Target::Withheld => ("#".to_string(), None),
        }
    }

    fn resolve(&self, url: &str, base_dir: &str) -> Target {
        self.resolve_in(url, base_dir, None)
    }

    /// A link `key` (`speakers/<slug>`) that privacy settings moved or withheld.
    fn protected(&self, key: &str, fragment: &str, file: Option<&Path>) -> Option<Target> {
        let target = self.redactions.link(key, file)?;
        Some(
            match target.and_then(|slug| self.pages.get(&format!("speakers/{slug}"))) {
                Some(href) => Target::Rewrite(format!("{href}{fragment}")),
                None => Target::Withheld,
            },
        )
    }

    /// `resolve` for a link in the Markdown of `file`.
    fn resolve_in(&self, url: &str, base_dir: &str, file: Option<&Path>) -> Target {
        match classify(url) {
            UrlKind::Unsafe => return Target::Unsafe,
            UrlKind::External => return Target::Keep,
            UrlKind::Relative => {}
        }
        if url.starts_with('#') || url.starts_with('?') || url.starts_with('/') || url.is_empty() {
            return Target::Keep;
        }
        // The query (`?download=1`) and the fragment go on the rewritten link as written.
        let (path, fragment) = match url.find(['?', '#']) {
            Some(i) => (&url[..i], &url[i..]),
            None => (url, ""),
        };
        let draft = |key: &str| {
            Target::Missing(format!(
                "`{url}` links to a draft (`draft: true`), which is not published"
            ))
            .only_if(self.drafts.contains(key))
        };
        if let Some(site_path) = path.strip_prefix("@/") {
            let key = site_path.trim_end_matches('/').trim_end_matches(".md");
            if let Some(target) = self.protected(key, fragment, file) {
                return target;
            }
            if let Some(href) = self.pages.get(key) {
                return Target::Rewrite(format!("{href}{fragment}"));
            }
            // A file of the site, named from `content/` (`@/forums/2025/programme.pdf`).
            if let Some(joined) = join("", site_path)
                && self.files.contains(&joined)
            {
                let path = super::routes::file_url_path(&joined);
                return Target::Rewrite(format!("{}{path}{fragment}", self.base_path));
            }
            return draft(key).unwrap_or_else(|| {
                Target::Missing(format!("`{url}` does not name a page or file of this site"))
            });
        }
        let Some(joined) = join(base_dir, path) else {
            return Target::Missing(format!("`{url}` points above the content folder"));
        };
        if let Some(stem) = joined.strip_suffix(".md") {
            if let Some(target) = self.protected(stem, fragment, file) {
                return target;
            }
            return match self.pages.get(stem) {
                Some(href) => Target::Rewrite(format!("{href}{fragment}")),
                None => draft(stem).unwrap_or_else(|| {
                    Target::Missing(format!("`{url}` links to a report that does not exist"))
                }),
            };
        }
        if self.files.contains(&joined) {
            let path = super::routes::file_url_path(&joined);
            return Target::Rewrite(format!("{}{path}{fragment}", self.base_path));
        }
        Target::Missing(format!("`{url}` links to a file that does not exist"))
    }
}

/// The output path of a file of the site named by a relative URL in a Markdown body or front
/// matter (`hall.jpg` in `forums/2025`, or `@/forums/2025/hall.jpg` anywhere ->
/// `forums/2025/hall.jpg`); `None` for external, absolute and fragment-only URLs and for
/// paths that climb out of `content/`.
pub fn asset_path(url: &str, base_dir: &str) -> Option<String> {
    if classify(url) != UrlKind::Relative || url.is_empty() || url.starts_with(['#', '?', '/']) {
        return None;
    }
    let path = url.split(['#', '?']).next().unwrap_or(url);
    // Named from `content/` (`@/forums/2025/hall.jpg`), as links may name any file.
    match path.strip_prefix("@/") {
        Some(site_path) => join("", site_path),
        None => join(base_dir, path),
    }
}

/// Every image (`true`) and link (`false`) URL of a body that may name a raster image file.
/// Bodies that mention no such file name are not parsed (most reports).
pub fn image_references(md: &Markdown) -> Vec<(String, bool)> {
    md.source.facts().images.clone()
}

/// `image_references` of Markdown source.
pub fn image_references_in(source: &str) -> Vec<(String, bool)> {
    if !mentions_raster(source) {
        return Vec::new();
    }
    Parser::new_ext(source, options())
        .filter_map(|event| match event {
            Event::Start(Tag::Image { dest_url, .. }) => Some((dest_url.to_string(), true)),
            Event::Start(Tag::Link { dest_url, .. }) => Some((dest_url.to_string(), false)),
            _ => None,
        })
        .collect()
}

/// Whether the text has the ending of a raster image (`.jpg`, `.png`...: `images::RASTER`)
/// in any case: one pass over the bytes, no copy (it runs over every body of the site on
/// every build).
fn mentions_raster(source: &str) -> bool {
    let bytes = source.as_bytes();
    // `match_indices` of one ASCII character jumps between dots with `memchr`, many bytes
    // at a time; a byte-by-byte walk took 0.5 s of an edit's rebuild at 100,000 reports.
    source.match_indices('.').any(|(i, _)| {
        // Most dots end a sentence: a space or a line's end follows.
        bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic)
            && crate::images::RASTER.iter().any(|e| {
                bytes
                    .get(i + 1..i + 1 + e.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(e.as_bytes()))
            })
    })
}

pub(crate) fn options() -> Options {
    // Never `Options::all()`: it turns on YAML metadata blocks, which eat `---` pairs.
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Render one body. Returns the HTML and warnings about its links. `eager_first`: the body's
/// first image is the page's first (nothing above it has one), so it is not loaded lazily.
pub fn render(md: &Markdown, links: &LinkIndex, eager_first: bool) -> (String, Vec<Diagnostic>) {
    render_quoted(md, links, &[], eager_first)
}

/// An image being read: its alt text is the text events up to its end.
struct OpenImage<'g> {
    picture: Option<&'g crate::images::Picture>,
    title: String,
    alt: String,
    at: Span,
}

/// An attributed quote of a report (see `crate::connections::quotes`), to be rendered as a
/// `<figure>`: the block quote without its attribution line, and a `<figcaption>`.
#[derive(Debug, Clone)]
pub struct QuoteMark {
    /// Byte offset in the body where the block quote starts.
    pub start: usize,
    /// The attribution line, left out of the block quote.
    pub attribution: std::ops::Range<usize>,
    /// The figure's id, for links to the quote.
    pub id: String,
    /// The caption, as HTML.
    pub caption: String,
}

/// The parser's events of `md` with their places. With `join_text`, each run of text and
/// soft line breaks is one text: the parser gives a name broken across a source line
/// (`Nargiz` / `Safarova`) or written with a character reference (`Nargiz&nbsp;Safarova`)
/// in pieces, and a protected name is found only whole. A quote's attribution line (which
/// becomes the caption) is never joined to the words before it.
fn events_of<'a>(
    source: &'a str,
    quotes: &[QuoteMark],
    join_text: bool,
) -> Box<dyn Iterator<Item = (Event<'a>, std::ops::Range<usize>)> + 'a> {
    let parser = Parser::new_ext(source, options()).into_offset_iter();
    if !join_text {
        // Most sites protect nobody: the events as they come.
        return Box::new(parser);
    }
    let events: Vec<(Event<'a>, std::ops::Range<usize>)> = parser.collect();
    let attribution = |at: usize| quotes.iter().any(|q| q.attribution.start == at);
    // The text that may join the one before it: at `i`, or after a soft break there.
    let joinable = |events: &[(Event<'a>, std::ops::Range<usize>)], i: usize| match events.get(i) {
        Some((Event::Text(_), r)) if !attribution(r.start) => Some(i),
        Some((Event::SoftBreak, _)) => match events.get(i + 1) {
            Some((Event::Text(_), r)) if !attribution(r.start) => Some(i + 1),
            _ => None,
        },
        _ => None,
    };
    let mut joined: Vec<(Event<'a>, std::ops::Range<usize>)> = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        let (Event::Text(first), range) = &events[i] else {
            joined.push(events[i].clone());
            i += 1;
            continue;
        };
        let mut text = first.to_string();
        let mut end = range.end;
        let mut next = i + 1;
        while let Some(t) = joinable(&events, next) {
            if t > next {
                text.push('\n');
            }
            if let (Event::Text(more), r) = &events[t] {
                text.push_str(more);
                end = r.end;
            }
            next = t + 1;
        }
        joined.push(if next == i + 1 {
            events[i].clone()
        } else {
            (Event::Text(text.into()), range.start..end)
        });
        i = next;
    }
    Box::new(joined.into_iter())
}

/// `render`, with the block quotes of `quotes` made figures.
pub fn render_quoted(
    md: &Markdown,
    links: &LinkIndex,
    quotes: &[QuoteMark],
    eager_first: bool,
) -> (String, Vec<Diagnostic>) {
    if md.source.is_blank() {
        return (String::new(), Vec::new());
    }
    render_words(&md.source.get(), md, links, quotes, eager_first)
}

/// `render_quoted` of `md`'s words `source`, read once by the caller (perhaps from the
/// document cache).
fn render_words<'a>(
    source: &'a str,
    md: &Markdown,
    links: &LinkIndex,
    quotes: &[QuoteMark],
    eager_first: bool,
) -> (String, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    let mut figures = Figures::new(quotes);
    let position = |offset: usize| {
        let (line, col) = line_col(source, offset);
        Span::new(&md.file, md.first_line + line - 1, col)
    };
    let redactions = &links.redactions;
    let file = Some(md.file.as_path());
    // The end of the text before the current event inside its block: whether a replaced
    // name starts a sentence ("A participant said") or not.
    let mut before = String::new();
    let redact_after = |text: CowStr<'a>, before: &mut String| -> CowStr<'a> {
        let out: CowStr<'a> = match redactions.redact_after(&text, file, before) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(s) => s.into(),
        };
        before.clear();
        let tail = out.char_indices().rev().nth(7).map_or(0, |(i, _)| i);
        before.push_str(&out[tail..]);
        out
    };
    let redact = |text: CowStr<'a>| redact_after(text, &mut String::new());
    // For each open link or image: whether it was dropped (its text stays).
    let mut open: Vec<bool> = Vec::new();
    // Footnote labels that spelled a protected name, and the ones given instead.
    let mut labels: HashMap<String, String> = HashMap::new();
    let mut image: Option<OpenImage> = None;
    let mut eager = eager_first;
    for (event, range) in events_of(source, quotes, !redactions.is_empty()) {
        if let Some(open) = &mut image {
            match &event {
                Event::Text(t) | Event::Code(t) => open.alt.push_str(t),
                Event::End(TagEnd::Image) => {
                    let Some(open) = image.take() else { continue };
                    if open.alt.trim().is_empty() {
                        warnings.push(
                            Diagnostic::warning("image without alt text")
                                .at(open.at)
                                .with_help("say what the image shows for readers who cannot see it: `![The hall during the opening session](hall.jpg)`; an image that only decorates still needs a few words here"),
                        );
                    }
                    if let Some(p) = open.picture {
                        let html = super::pictures::html(
                            p,
                            &links.base_path,
                            &redactions.redact(&open.alt, file),
                            &redactions.redact(&open.title, file),
                            super::pictures::COLUMN_SIZES,
                            std::mem::take(&mut eager),
                        );
                        figures.push(&mut events, Event::InlineHtml(html.into()), range);
                        continue;
                    }
                }
                _ => {}
            }
            if image.as_ref().is_some_and(|i| i.picture.is_some()) {
                continue;
            }
        }
        let event = match event {
            Event::Html(html) | Event::InlineHtml(html) => {
                Event::Text(redact_after(html, &mut before))
            }
            Event::Text(text) => Event::Text(redact_after(text, &mut before)),
            Event::Code(text) => Event::Code(redact_after(text, &mut before)),
            Event::Start(
                tag @ (Tag::Paragraph | Tag::Item | Tag::TableCell | Tag::BlockQuote(_)),
            ) => {
                before.clear();
                Event::Start(tag)
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = checked(
                    links,
                    dest_url,
                    md,
                    &|| position(range.start),
                    &mut warnings,
                );
                let dropped = dest_url.is_none();
                open.push(dropped);
                match dest_url {
                    None => continue,
                    Some(dest_url) => Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title: redact(title),
                        id,
                    }),
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                // An image whose address spells a protected name is not shown; its alt
                // text stays, as text (the model stage has warned about the name).
                if redactions.names_someone(&dest_url, file) {
                    open.push(true);
                    continue;
                }
                let picture =
                    asset_path(&dest_url, &md.base_dir).and_then(|p| links.gallery.picture(&p));
                image = Some(OpenImage {
                    picture,
                    title: title.to_string(),
                    alt: String::new(),
                    at: position(range.start),
                });
                if picture.is_some() {
                    continue;
                }
                eager = false;
                match checked(
                    links,
                    dest_url,
                    md,
                    &|| position(range.start),
                    &mut warnings,
                ) {
                    None => {
                        image = None;
                        open.push(true);
                        continue;
                    }
                    Some(dest_url) => {
                        open.push(false);
                        Event::Start(Tag::Image {
                            link_type,
                            dest_url,
                            title: redact(title),
                            id,
                        })
                    }
                }
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                if open.pop() == Some(true) {
                    continue;
                }
                Event::End(end)
            }
            // A footnote's label and a heading's own `{#id}` become ids and addresses in the
            // page; one that spells a protected name is given another (the model stage has
            // warned about the name where it is written).
            Event::FootnoteReference(label) => {
                Event::FootnoteReference(unnamed_label(label, &mut labels, redactions, file))
            }
            Event::Start(Tag::FootnoteDefinition(label)) => Event::Start(Tag::FootnoteDefinition(
                unnamed_label(label, &mut labels, redactions, file),
            )),
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                before.clear();
                let id = id.filter(|id| !redactions.names_someone(id, file));
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                })
            }
            other => other,
        };
        figures.push(&mut events, event, range);
    }
    add_heading_ids(&mut events);
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    (without_style_attributes(html), warnings)
}

/// `label`, or (when it spells a protected name) the label given instead: the same one for
/// the note's references and its definition, numbered in the order they come.
fn unnamed_label<'a>(
    label: CowStr<'a>,
    given: &mut HashMap<String, String>,
    redactions: &crate::privacy::Redactions,
    file: Option<&Path>,
) -> CowStr<'a> {
    if !redactions.names_someone(&label, file) {
        return label;
    }
    let next = given.len() + 1;
    let instead = given
        .entry(label.to_lowercase())
        .or_insert_with(|| format!("withheld-note-{next}"));
    instead.clone().into()
}

/// Puts the events of marked block quotes in figures as they go by.
struct Figures<'q> {
    quotes: &'q [QuoteMark],
    depth: usize,
    /// The quote being rendered, while inside its block quote.
    open: Option<&'q QuoteMark>,
}

impl<'q> Figures<'q> {
    fn new(quotes: &'q [QuoteMark]) -> Figures<'q> {
        Figures {
            quotes,
            depth: 0,
            open: None,
        }
    }

    fn push<'e>(
        &mut self,
        events: &mut Vec<Event<'e>>,
        event: Event<'e>,
        range: std::ops::Range<usize>,
    ) {
        if self.quotes.is_empty() {
            events.push(event);
            return;
        }
        match &event {
            Event::Start(Tag::BlockQuote(_)) => {
                if self.depth == 0 {
                    self.open = self.quotes.iter().find(|q| q.start == range.start);
                    if let Some(q) = self.open {
                        events.push(Event::Html(
                            format!("<figure class=\"quote\" id=\"{}\">\n", q.id).into(),
                        ));
                    }
                }
                self.depth += 1;
                events.push(event);
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                self.depth = self.depth.saturating_sub(1);
                events.push(event);
                if self.depth == 0
                    && let Some(q) = self.open.take()
                {
                    events.push(Event::Html(
                        format!("<figcaption>{}</figcaption>\n</figure>\n", q.caption).into(),
                    ));
                }
            }
            _ => match self.open {
                // The attribution line becomes the caption; so does the line break before it.
                Some(q) if range.start >= q.attribution.start => {
                    if matches!(events.last(), Some(Event::SoftBreak | Event::HardBreak)) {
                        events.pop();
                    }
                }
                _ => events.push(event),
            },
        }
    }
}

/// pulldown-cmark aligns table columns with `style="text-align: …"`, the only `style`
/// attribute it writes (raw HTML never reaches the output as markup). Themes promise a strict
/// `Content-Security-Policy` with no inline styles, so alignment becomes a class instead.
fn without_style_attributes(html: String) -> String {
    if !html.contains(" style=\"text-align: ") {
        return html;
    }
    html.replace(" style=\"text-align: left\"", " class=\"align-left\"")
        .replace(" style=\"text-align: center\"", " class=\"align-center\"")
        .replace(" style=\"text-align: right\"", " class=\"align-right\"")
}

/// The URL a link or image of `md` points to, or `None` when the link must go (it points at
/// a protected person, or spells their name): its text stays.
/// `at` says where the link is, asked only for a warning: finding a line and column means
/// counting the lines before it.
fn checked<'a>(
    links: &LinkIndex,
    url: CowStr<'a>,
    md: &Markdown,
    at: &dyn Fn() -> Span,
    warnings: &mut Vec<Diagnostic>,
) -> Option<CowStr<'a>> {
    let target = links.resolve_in(&url, &md.base_dir, Some(&md.file));
    let url = match target {
        Target::Keep => url,
        Target::Rewrite(href) => href.into(),
        Target::Withheld => return None,
        // A file or page that spells a protected name was withheld on purpose (the model
        // stage has warned about the name).
        Target::Missing(_) if links.redactions.names_someone(&url, Some(&md.file)) => {
            return None;
        }
        Target::Missing(why) => {
            let help = if why.contains("links to a draft") {
                "publish the draft (remove its `draft: true`), or link to it once it is published"
            } else {
                "link to another report as `@/forums/<path>.md`, to a speaker as `@/speakers/<slug>`, or to a file beside the report"
            };
            warnings.push(
                Diagnostic::warning(format!("broken link: {why}"))
                    .at(at())
                    .with_help(help),
            );
            url
        }
        Target::Unsafe => {
            warnings.push(
                Diagnostic::warning(format!(
                    "link removed: `{url}` uses a scheme that could run code"
                ))
                .at(at())
                .with_help("links may use http, https, mailto or tel, or be a path on this site"),
            );
            "#".into()
        }
    };
    // An address that spells a protected name (a profile elsewhere, a photo's file name)
    // would give the person away; the model stage has already warned about it.
    if links.redactions.names_someone(&url, Some(&md.file)) {
        return None;
    }
    Some(url)
}

/// Ids the default theme gives parts of a page around a report's text: a heading of the
/// text must not take one (`## Main` would be a second `id="main"`).
const THEME_IDS: [&str; 24] = [
    "main",
    "top",
    "content",
    "search-app",
    "search-filters",
    "search-more",
    "search-nojs",
    "search-q",
    "search-results",
    "search-status",
    "search-words",
    "site-search-q",
    "appearances-heading",
    "children-heading",
    "latest-heading",
    "organized-heading",
    "orgs-heading",
    "partnered-heading",
    "people-heading",
    "report-heading",
    "sessions-heading",
    "speakers-heading",
    "spoke-heading",
    "upcoming-heading",
];

/// Give each heading without an explicit `{#id}` an id made from its text, unique per page:
/// unlike any other heading's, any footnote's (a note `[^1]` is `id="1"`, as `## 1` would
/// be) and any the theme gives the page around the text.
fn add_heading_ids(events: &mut [Event]) {
    let mut used: HashSet<String> = THEME_IDS.iter().map(|id| id.to_string()).collect();
    for event in events.iter() {
        if let Event::Start(Tag::FootnoteDefinition(label)) = event {
            used.insert(label.to_string());
        }
    }
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = Some(slugify(&text))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "section".into());
            let mut candidate = base.clone();
            let mut n = 1;
            while used.contains(&candidate) {
                candidate = format!("{base}-{n}");
                n += 1;
            }
            used.insert(candidate.clone());
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(candidate.into());
            }
            i = j;
        } else {
            if let Event::Start(Tag::Heading { id: Some(id), .. }) = &events[i] {
                used.insert(id.to_string());
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(source: &str) -> Markdown {
        Markdown {
            source: source.into(),
            file: "content/forums/2025/a.md".into(),
            first_line: 10,
            base_dir: "forums/2025".into(),
        }
    }

    fn index() -> LinkIndex {
        let mut l = LinkIndex {
            base_path: "/site/".into(),
            ..LinkIndex::default()
        };
        l.pages
            .insert("forums/2025/b".into(), "/site/forums/2025/b/".into());
        l.pages.insert(
            "speakers/aygun-aliyeva".into(),
            "/site/speakers/aygun-aliyeva/".into(),
        );
        l.files.insert("forums/2025/photo.jpg".into());
        l
    }

    #[test]
    fn image_references_are_found_in_any_case() {
        let refs = image_references_in("![A](Hall.JPG) and [b](plan.Png) [c](x.pdf)");
        assert_eq!(
            refs,
            vec![
                ("Hall.JPG".to_string(), true),
                ("plan.Png".to_string(), false),
                ("x.pdf".to_string(), false)
            ]
        );
        assert!(image_references_in("no pictures. here").is_empty());
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let (html, _) = render(
            &md("<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)>"),
            &index(),
            true,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn script_links_are_neutralised_with_a_positioned_warning() {
        let (html, warnings) = render(
            &md("first\n\n[x](javascript:alert(1)) and ![i](JaVaScRiPt:alert(1))"),
            &index(),
            true,
        );
        assert!(!html.to_lowercase().contains("javascript"), "{html}");
        assert_eq!(warnings.len(), 2);
        let span = warnings[0].span.as_ref().unwrap();
        assert_eq!((span.line, span.col), (12, 1));
    }

    #[test]
    fn internal_links_resolve() {
        let (html, warnings) = render(
            &md(
                "[b](b.md#agenda) [c](@/forums/2025/b.md) [s](@/speakers/aygun-aliyeva) ![p](photo.jpg) [ext](https://example.org)",
            ),
            &index(),
            true,
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(
            html.contains(r#"href="/site/forums/2025/b/#agenda""#),
            "{html}"
        );
        assert!(html.contains(r#"href="/site/forums/2025/b/""#), "{html}");
        assert!(
            html.contains(r#"href="/site/speakers/aygun-aliyeva/""#),
            "{html}"
        );
        assert!(
            html.contains(r#"src="/site/forums/2025/photo.jpg""#),
            "{html}"
        );
        assert!(html.contains(r#"href="https://example.org""#), "{html}");
    }

    #[test]
    fn missing_targets_warn() {
        let (_, warnings) = render(
            &md("[x](@/forums/2099/nope.md)\n[y](../../../../etc/passwd)\n[z](nope.md)"),
            &index(),
            true,
        );
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(
            warnings
                .iter()
                .all(|w| w.message.starts_with("broken link"))
        );
    }

    #[test]
    fn headings_get_unique_ids_and_extensions_work() {
        let (html, _) = render(
            &md(
                "## Agenda\n\n## Agenda\n\n| a | b |\n|:---|--:|\n| 1 | 2 |\n\n~~old~~ \"quoted\"[^1]\n\n[^1]: note",
            ),
            &index(),
            true,
        );
        assert!(html.contains(r#"<h2 id="agenda">"#), "{html}");
        assert!(html.contains(r#"<h2 id="agenda-1">"#), "{html}");
        assert!(html.contains("<table>"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("“quoted”"), "{html}");
        assert!(html.contains("footnote"), "{html}");
        // Nor an id of a footnote, or one the theme gives the page around the text.
        let (html, _) = render(
            &md("## Main\n\n## Speakers heading\n\n## 1\n\nText.[^1]\n\n[^1]: note"),
            &index(),
            true,
        );
        assert!(html.contains(r#"<h2 id="main-1">"#), "{html}");
        assert!(html.contains(r#"<h2 id="speakers-heading-1">"#), "{html}");
        assert!(html.contains(r#"<h2 id="1-1">"#), "{html}");
        assert_eq!(html.matches(r#"id="1""#).count(), 1, "{html}");
    }
}
