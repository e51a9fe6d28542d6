//! Atom 1.0 feeds: the site's (`/feed.xml`) and one beside every speaker, organization,
//! topic and series page. Newest first, the latest `FEED_ENTRIES` forums with a date.
//!
//! Written directly rather than through templates: the format is fixed, and escaping every
//! value in one function is easier to trust than in every theme.

use super::dates::{forum_updated, rfc3339_date};
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
    let entries: Vec<ForumId> = forums
        .iter()
        .rev()
        .copied()
        .filter(|&id| forum_updated(model.forum(id)).is_some())
        .take(FEED_ENTRIES)
        .collect();
    let updated = entries
        .iter()
        .filter_map(|&id| forum_updated(model.forum(id)))
        .max()
        .unwrap_or(model.today);
    let author = model.site.author.as_deref().unwrap_or(&model.site.title);
    let mut xml = String::with_capacity(1024 + entries.len() * 700);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape(&model.site.language)
    ));
    xml.push_str(&format!("<title>{}</title>\n", escape(title)));
    if let Some(d) = &model.site.description {
        xml.push_str(&format!("<subtitle>{}</subtitle>\n", escape(d)));
    }
    xml.push_str(&format!("<id>{}</id>\n", escape(&id(urls, owner.page()))));
    xml.push_str(&format!(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&urls.permalink(route))
    ));
    xml.push_str(&format!(
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&urls.permalink(owner.page()))
    ));
    xml.push_str(&format!("<updated>{}</updated>\n", rfc3339_date(updated)));
    xml.push_str(&format!(
        "<author><name>{}</name></author>\n",
        escape(author)
    ));
    xml.push_str("<generator>Podium</generator>\n");
    for forum_id in entries {
        let f = model.forum(forum_id);
        let page = Route::Forum(&f.path);
        let updated = forum_updated(f).unwrap_or(model.today);
        xml.push_str("<entry>\n");
        xml.push_str(&format!("<title>{}</title>\n", escape(&f.title)));
        xml.push_str(&format!("<id>{}</id>\n", escape(&id(urls, page))));
        xml.push_str(&format!(
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&urls.permalink(page))
        ));
        if let Some(start) = &f.start {
            xml.push_str(&format!(
                "<published>{}</published>\n",
                super::dates::rfc3339(start)
            ));
        }
        xml.push_str(&format!("<updated>{}</updated>\n", rfc3339_date(updated)));
        let summary = entry_summary(model, locale, forum_id);
        xml.push_str(&format!(
            "<summary type=\"text\">{}</summary>\n",
            escape(&summary)
        ));
        for &t in &f.topics {
            let topic = model.topic(t);
            xml.push_str(&format!(
                "<category term=\"{}\" label=\"{}\"/>\n",
                escape(&topic.slug),
                escape(&topic.name)
            ));
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

/// The summary, else who spoke where: never an empty entry. In the feed's language.
fn entry_summary(model: &Model, locale: &crate::i18n::Locale, id: ForumId) -> String {
    let f = model.forum(id);
    let mut text = f.summary.clone().unwrap_or_default();
    let place = super::views::place(f);
    let when = super::views::date_range(f.start.as_ref(), f.end.as_ref(), locale);
    let facts: Vec<String> = [when, place].into_iter().flatten().collect();
    if !facts.is_empty() {
        if !text.is_empty() {
            text.push(' ');
        }
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
    text.trim().to_string()
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
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
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
