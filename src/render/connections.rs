//! What templates see of the connections (`crate::connections`): a page's `connections`
//! variable, the `<figure>` around an attributed quote in a report, and the quotes as
//! schema.org `Quotation`s. Kept apart from `views` so the template contract of the other
//! page parts does not move; docs/themes.md documents these fields with the rest.

use super::html_escape;
use super::markdown::QuoteMark;
use super::routes::{Route, Urls};
use super::structured::{Object, named};
use super::views::{Shared, Views};
use crate::connections::{Career, Connections, Quote};
use crate::model::*;
use serde::Serialize;

/// A quote as a speaker's or an organization's page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteView<'a> {
    /// The words, one string per paragraph.
    pub paragraphs: &'a [String],
    pub speaker: Shared,
    /// The speaker's title and organization at that forum.
    pub title: Option<&'a str>,
    /// The title's language when it is shown untranslated, else `""`.
    pub title_lang: &'a str,
    pub organization: Option<Shared>,
    pub forum: Shared,
    /// The quote's place in the report: the forum page's address with `#quote-N`.
    pub href: String,
    /// The words' language when they come from an untranslated report, else `""`.
    pub lang: &'a str,
}

/// One position of a speaker over a range of years.
#[derive(Debug, Clone, Serialize)]
pub struct CareerView<'a> {
    pub title: Option<&'a str>,
    /// The title's language when it is shown untranslated on a page of another, else `""`.
    pub title_lang: &'a str,
    pub organization: Option<Shared>,
    pub from: Option<i16>,
    pub to: Option<i16>,
    /// `2023–2025`, `2025`, or nothing when no forum behind it is dated.
    pub years: Option<String>,
    /// The forums behind it, newest first: the `CAREER_FORUMS` newest (a post held for
    /// years may rest on hundreds).
    pub forums: Vec<Shared>,
    /// How many forums are behind it in all.
    pub forum_count: usize,
}

/// How many of the forums behind a position a speaker's page lists.
const CAREER_FORUMS: usize = 10;

/// Another speaker or organization, with the number of forums shared.
#[derive(Debug, Clone, Serialize)]
pub struct Together {
    pub entity: Shared,
    pub count: u32,
}

/// A forum page's `connections`.
#[derive(Debug, Clone, Serialize)]
pub struct ForumConnections {
    /// Related forums as list items, best first.
    pub related: Vec<Shared>,
}

/// A speaker page's `connections`.
#[derive(Debug, Clone, Serialize)]
pub struct SpeakerConnections<'a> {
    /// "In their words": newest forum first (this page's share of them).
    pub quotes: Vec<QuoteView<'a>>,
    /// How many quotes in all, over every page.
    pub quote_count: usize,
    /// Positions held, most recent first.
    pub careers: Vec<CareerView<'a>>,
    /// "Often on the same stage with": most shared forums first.
    pub often_with: Vec<Together>,
    /// The speaker's iCalendar file.
    pub calendar: String,
}

/// An organization page's `connections`.
#[derive(Debug, Clone, Serialize)]
pub struct OrganizationConnections<'a> {
    /// Words of the people who spoke for it, newest forum first (this page's share).
    pub quotes: Vec<QuoteView<'a>>,
    /// How many quotes in all, over every page.
    pub quote_count: usize,
    /// "Works with": co-organizers and partners, most shared forums first.
    pub works_with: Vec<Together>,
    /// The organization's iCalendar file.
    pub calendar: String,
}

/// The fragment id of a forum's `n`-th quote (0-based) on its page.
pub fn quote_anchor(n: usize) -> String {
    format!("quote-{}", n + 1)
}

pub fn forum(c: &Connections, v: &Views, id: ForumId) -> ForumConnections {
    ForumConnections {
        related: c.related(id).iter().map(|&f| v.forum_item(f)).collect(),
    }
}

/// A speaker's connections, with the quotes `shown` gives for how many there are (a page's
/// share: only those are made into views).
pub fn speaker<'a>(
    c: &'a Connections,
    v: &Views<'a>,
    s: &Speaker,
    shown: &dyn Fn(usize) -> std::ops::Range<usize>,
) -> SpeakerConnections<'a> {
    let model = v.model;
    let quotes = &c.speaker_quotes[s.id.index()];
    SpeakerConnections {
        quotes: quote_views(c, v, &quotes[shown(quotes.len())]),
        quote_count: quotes.len(),
        careers: c.careers[s.id.index()]
            .iter()
            .map(|career| career_view(v, career))
            .collect(),
        often_with: c.often_with[s.id.index()]
            .iter()
            .map(|&(id, count)| Together {
                entity: v.speaker_ref(id),
                count,
            })
            .collect(),
        calendar: v
            .urls
            .href(Route::OwnerCalendar(super::routes::FeedOwner::Speaker(
                &model.speaker(s.id).slug,
            ))),
    }
}

/// An organization's connections, with the quotes `shown` gives (see `speaker`).
pub fn organization<'a>(
    c: &'a Connections,
    v: &Views<'a>,
    o: &Organization,
    shown: &dyn Fn(usize) -> std::ops::Range<usize>,
) -> OrganizationConnections<'a> {
    let quotes = &c.organization_quotes[o.id.index()];
    OrganizationConnections {
        quotes: quote_views(c, v, &quotes[shown(quotes.len())]),
        quote_count: quotes.len(),
        works_with: c.works_with[o.id.index()]
            .iter()
            .map(|&(id, count)| Together {
                entity: v.organization_ref(id),
                count,
            })
            .collect(),
        calendar: v.urls.href(Route::OwnerCalendar(
            super::routes::FeedOwner::Organization(&o.slug),
        )),
    }
}

fn quote_views<'a>(c: &'a Connections, v: &Views<'a>, ids: &[usize]) -> Vec<QuoteView<'a>> {
    ids.iter()
        .map(|&i| {
            let q = &c.quotes[i];
            let f = v.model.forum(q.forum);
            let a = &f.appearances[q.appearance];
            let n = c.forum_quotes[q.forum.index()]
                .iter()
                .position(|&j| j == i)
                .unwrap_or_default();
            QuoteView {
                paragraphs: &q.paragraphs,
                speaker: v.speaker_ref(q.speaker),
                title: a.title.as_deref(),
                title_lang: if a.untranslated {
                    v.locale.default_lang()
                } else {
                    ""
                },
                organization: a.organization.map(|o| v.organization_ref(o)),
                forum: v.forum_item(q.forum),
                href: format!("{}#{}", v.urls.href(Route::Forum(&f.path)), quote_anchor(n)),
                lang: v.langs(v.model.localized.forum(q.forum)).body,
            }
        })
        .collect()
}

fn career_view<'a>(v: &Views<'a>, c: &'a Career) -> CareerView<'a> {
    CareerView {
        title: c.title.as_deref(),
        title_lang: if c.untranslated {
            v.locale.default_lang()
        } else {
            ""
        },
        organization: c.organization.map(|o| v.organization_ref(o)),
        from: c.from,
        to: c.to,
        years: years(c.from, c.to),
        forums: c
            .forums
            .iter()
            .rev()
            .take(CAREER_FORUMS)
            .map(|&f| v.forum_item(f))
            .collect(),
        forum_count: c.forums.len(),
    }
}

/// `2023–2025`, or `2025` for one year.
pub fn years(from: Option<i16>, to: Option<i16>) -> Option<String> {
    match (from?, to?) {
        (a, b) if a == b => Some(a.to_string()),
        (a, b) => Some(format!("{a}–{b}")),
    }
}

/// What the report renderer needs to put each of a forum's quotes in a `<figure>`: where
/// it is, and its caption (the speaker linked, with the title and organization they had).
pub fn quote_marks(c: &Connections, model: &Model, urls: &Urls, id: ForumId) -> Vec<QuoteMark> {
    let f = model.forum(id);
    c.quotes_of_forum(id)
        .enumerate()
        .map(|(n, q)| QuoteMark {
            start: q.start,
            attribution: q.attribution.clone(),
            id: quote_anchor(n),
            caption: caption(model, urls, f, q),
        })
        .collect()
}

fn caption(model: &Model, urls: &Urls, f: &Forum, q: &Quote) -> String {
    let s = model.speaker(q.speaker);
    let a = &f.appearances[q.appearance];
    let mut html = format!(
        "— <a class=\"name\" href=\"{}\">{}</a>",
        html_escape(&urls.href(Route::Speaker(&s.slug))),
        html_escape(&s.name)
    );
    if let Some(t) = &a.title {
        html.push_str(&format!(
            ", <span class=\"job-title\">{}</span>",
            html_escape(t)
        ));
    }
    if let Some(o) = a.organization {
        let o = model.organization(o);
        html.push_str(&format!(
            ", <a class=\"org\" href=\"{}\">{}</a>",
            html_escape(&urls.href(Route::Organization(&o.slug))),
            html_escape(&o.name)
        ));
    }
    html
}

/// A forum's quotes as schema.org `Quotation`s, each spoken by its `Person` (with the title
/// they held) and recorded at the event whose JSON-LD holds them (`recordedIn`).
pub fn quotations(c: &Connections, model: &Model, urls: &Urls, id: ForumId) -> Vec<tera::Value> {
    let f = model.forum(id);
    c.quotes_of_forum(id)
        .enumerate()
        .map(|(n, q)| {
            let s = model.speaker(q.speaker);
            let a = &f.appearances[q.appearance];
            let mut person = named("Person", &s.name, urls.permalink(Route::Speaker(&s.slug)));
            if let Some(t) = &a.title {
                person.set("jobTitle", t.as_str());
            }
            let mut quotation = Object::of("Quotation");
            quotation.set("text", q.text());
            quotation.set("spokenByCharacter", person);
            quotation.set(
                "url",
                format!(
                    "{}#{}",
                    urls.permalink(Route::Forum(&f.path)),
                    quote_anchor(n)
                ),
            );
            quotation.into()
        })
        .collect()
}

impl super::pages::PageRenderer<'_> {
    /// A report's body in HTML with its quotes as figures, and the warnings about its links
    /// (those about its attributions are the context's: see `Context::new`).
    pub(super) fn report_body(&self, f: &Forum) -> (String, Vec<crate::diagnostic::Diagnostic>) {
        let marks = quote_marks(self.connections, self.model, self.urls, f.id);
        super::markdown::render_quoted(&f.body, self.links, &marks, f.image.is_none())
    }

    /// The `connections` variable of a forum's, a speaker's or an organization's page.
    pub(super) fn connections_value(
        &self,
        job: super::pages::Job,
    ) -> Result<Option<tera::Value>, crate::diagnostic::Diagnostic> {
        use super::pages::Job;
        let c = self.connections;
        let v = &self.views;
        // A long list's later pages carry their share of the quotes; the rest is on the
        // first page only. The last page takes whatever quotes are left.
        let (first, page, pages) = match job.listing() {
            Some((l, n)) => (l.job(), n, l.pages(self.model, self.years)),
            None => (job, 1, 1),
        };
        let per_page = self.model.site.paginate;
        let quotes_of = |count: usize| {
            let mut shown = super::paginate::range(page, per_page, count);
            if page == pages {
                shown.end = count;
            }
            shown
        };
        let value = match first {
            Job::Forum(id) => tera::Value::try_from_serializable(&forum(c, v, id)),
            Job::Speaker(id) => {
                let mut connections = speaker(c, v, self.model.speaker(id), &quotes_of);
                if page > 1 {
                    connections.careers.clear();
                    connections.often_with.clear();
                }
                tera::Value::try_from_serializable(&connections)
            }
            Job::Organization(id) => {
                let mut connections = organization(c, v, self.model.organization(id), &quotes_of);
                if page > 1 {
                    connections.works_with.clear();
                }
                tera::Value::try_from_serializable(&connections)
            }
            _ => return Ok(None),
        };
        value.map(Some).map_err(|e| {
            crate::diagnostic::Diagnostic::error(format!(
                "cannot prepare a page's connections for its template: {e}"
            ))
        })
    }

    /// The calendar of a speaker's or organization's page; a forum's quotes in its JSON-LD.
    pub(super) fn decorate_connections(
        &self,
        job: super::pages::Job,
        meta: &mut super::views::PageMeta,
    ) {
        use super::pages::Job;
        use super::routes::FeedOwner;
        let (m, urls) = (self.model, self.urls);
        match job {
            Job::Speaker(id) => {
                let owner = FeedOwner::Speaker(&m.speaker(id).slug);
                meta.calendar = Some(urls.href(Route::OwnerCalendar(owner)));
            }
            Job::Organization(id) => {
                let owner = FeedOwner::Organization(&m.organization(id).slug);
                meta.calendar = Some(urls.href(Route::OwnerCalendar(owner)));
            }
            Job::Forum(id) => {
                let quotations = quotations(self.connections, m, urls, id);
                if let (false, Some(event)) = (quotations.is_empty(), &mut meta.jsonld) {
                    event.set("recordedIn", quotations);
                }
            }
            _ => {}
        }
    }
}
