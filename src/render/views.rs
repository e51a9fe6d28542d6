//! Views: what templates see. These borrowed, serialisable structs *are* the template
//! contract documented in `docs/themes.md`; a field added here is a field themes may use.
//!
//! Views are made per page from the model and the routes, never by cloning the whole site:
//! a list shows `ForumItem`s (a handful of fields), and only a forum's own page carries its
//! full `ForumView`.

use super::routes::{Route, Urls};
use crate::i18n::Locale;
use crate::model::*;
use serde::Serialize;
use std::sync::OnceLock;

/// A link to an entity: its name and where its page is.
#[derive(Debug, Clone, Serialize)]
pub struct Ref<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub href: String,
    /// The name's language when it is shown untranslated on a page of another, else `""`.
    pub lang: &'a str,
}

/// The languages of a page's texts that are shown untranslated: for each text, the
/// original's language code, or `""` when it is in the page's language (`lang_attr`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct TextLangs<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub theme: &'a str,
    pub place: &'a str,
    pub body: &'a str,
    pub sessions: &'a str,
    pub source: &'a str,
    pub name: &'a str,
}

impl<'a> TextLangs<'a> {
    pub fn of(u: Untranslated, original: &'a str) -> TextLangs<'a> {
        let mark = |b: bool| if b { original } else { "" };
        TextLangs {
            title: mark(u.title),
            summary: mark(u.summary),
            theme: mark(u.theme),
            place: mark(u.place),
            body: mark(u.body),
            sessions: mark(u.sessions),
            source: mark(u.source),
            name: mark(u.name),
        }
    }
}

/// A date (or date-time) as machines and people read it.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// `2025-10-20`, or RFC 3339 `2025-10-20T10:00:00+04:00` for a time.
    pub iso: String,
    /// `20 October 2025`, or `20 October 2025, 10:00`.
    pub display: String,
    pub year: i16,
    pub has_time: bool,
}

/// A date (or date-time) in a locale's words.
pub fn date_view(when: &When, locale: &Locale) -> DateView {
    let d = when.date();
    match when {
        When::Date(d) => DateView {
            iso: d.to_string(),
            display: locale.date(*d),
            year: d.year(),
            has_time: false,
        },
        When::DateTime(z) => DateView {
            iso: z.timestamp().display_with_offset(z.offset()).to_string(),
            display: locale.date_time(d, z.hour(), z.minute()),
            year: d.year(),
            has_time: true,
        },
    }
}

/// `20 October 2025`, `20–22 October 2025`, `30 September – 2 October 2025`, in a locale's
/// words (`i18n::Locale::date_range`).
pub fn date_range(start: Option<&When>, end: Option<&When>, locale: &Locale) -> Option<String> {
    let s = start?;
    Some(match end.filter(|e| e.date() != s.date()) {
        None => date_view(s, locale).display,
        Some(e) => locale.date_range(s.date(), e.date()),
    })
}

/// A forum as it appears in lists.
#[derive(Debug, Clone, Serialize)]
pub struct ForumItem<'a> {
    pub title: &'a str,
    /// The title's (and summary's) language when untranslated on this page, else `""`.
    pub title_lang: &'a str,
    /// The place's language when untranslated on this page, else `""`.
    pub place_lang: &'a str,
    pub href: String,
    pub start: Option<DateView>,
    pub date_range: Option<String>,
    pub status: Status,
    pub upcoming: bool,
    pub place: Option<String>,
    /// The parts of `place` when it is partly translated, each with the original's language
    /// where it is the original's, else `""`; empty when the place is in one language.
    pub place_parts: Vec<PlacePart<'a>>,
    pub summary: Option<&'a str>,
}

/// One part of a forum's place (venue, city or country) and its language when it is shown
/// untranslated beside translated parts, else `""`.
#[derive(Debug, Clone, Serialize)]
pub struct PlacePart<'a> {
    pub text: &'a str,
    pub lang: &'a str,
}

/// Everything about one appearance, from the forum's side.
#[derive(Debug, Clone, Serialize)]
pub struct AppearanceView<'a> {
    /// Empty for someone who must not be named (`unnamed`).
    pub name: &'a str,
    pub href: String,
    /// A participant whose name is withheld (`privacy: unlisted`): no name, no link.
    pub unnamed: bool,
    pub role: Role,
    pub title: Option<&'a str>,
    pub organization: Option<Shared>,
    pub topic: Option<&'a str>,
    /// The language of `title` and `topic` when shown untranslated, else `""`.
    pub title_lang: &'a str,
}

#[derive(Debug, Clone, Serialize)]
pub struct SessionView<'a> {
    pub title: &'a str,
    pub time: Option<&'a str>,
    pub summary: Option<&'a str>,
    /// The language of the title, and of the summary, when shown untranslated, else `""`.
    pub title_lang: &'a str,
    pub summary_lang: &'a str,
    pub people: Vec<AppearanceView<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView<'a> {
    pub publisher: Option<&'a str>,
    pub title: Option<&'a str>,
    pub date: Option<DateView>,
    pub url: Option<&'a str>,
}

/// A forum's own page.
#[derive(Debug, Clone, Serialize)]
pub struct ForumView<'a> {
    #[serde(flatten)]
    pub item: ForumItem<'a>,
    pub url: String,
    pub end: Option<DateView>,
    pub year: Option<i16>,
    pub year_href: Option<String>,
    pub series: Option<Shared>,
    pub theme: Option<&'a str>,
    pub venue: Option<&'a str>,
    pub city: Option<&'a str>,
    pub country: Option<&'a str>,
    pub organizers: Vec<Shared>,
    pub partners: Vec<Shared>,
    /// Appearances outside any session.
    pub speakers: Vec<AppearanceView<'a>>,
    pub sessions: Vec<SessionView<'a>>,
    pub topics: Vec<Shared>,
    pub source: Option<SourceView<'a>>,
    pub image: Option<String>,
    /// The report's `image:` as a `<picture>` (see `partials/picture.html`).
    pub picture: Option<super::pictures::PictureView>,
    pub body: String,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// Which texts are shown untranslated, in which language.
    pub langs: TextLangs<'a>,
}

/// A group of list items under a year heading.
#[derive(Debug, Clone, Serialize)]
pub struct YearGroup<T> {
    pub year: String,
    pub items: Vec<T>,
}

/// One appearance, from the speaker's side.
#[derive(Debug, Clone, Serialize)]
pub struct SpeakerAppearance<'a> {
    pub forum: Shared,
    pub role: Role,
    pub title: Option<&'a str>,
    /// The title's language when shown untranslated, else `""`.
    pub title_lang: &'a str,
    pub organization: Option<Shared>,
    pub session: Option<&'a str>,
    /// The session title's language when shown untranslated, else `""`.
    pub session_lang: &'a str,
}

#[derive(Debug, Clone, Serialize)]
pub struct SpeakerView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub href: String,
    pub url: String,
    pub aliases: &'a [String],
    pub bio: Option<&'a str>,
    pub photo: Option<String>,
    /// The photo as a `<picture>` (see `partials/picture.html`).
    pub picture: Option<super::pictures::PictureView>,
    pub links: &'a [Link],
    /// Most recent title, for headers and structured data.
    pub latest_title: Option<&'a str>,
    /// `latest_title`'s language when shown untranslated, else `""`.
    pub latest_title_lang: &'a str,
    pub organizations: Vec<Shared>,
    pub appearance_count: usize,
    /// Newest year first, newest appearance first within a year.
    pub years: Vec<YearGroup<SpeakerAppearance<'a>>>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    pub langs: TextLangs<'a>,
}

/// A person who spoke for an organization, with the titles they held when they did.
#[derive(Debug, Clone, Serialize)]
pub struct Member<'a> {
    pub name: &'a str,
    pub href: String,
    pub titles: Vec<&'a str>,
    /// The same titles, each with the language to mark it in.
    pub held: Vec<HeldTitle<'a>>,
    pub appearance_count: usize,
}

/// A title a person held, as a page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct HeldTitle<'a> {
    pub title: &'a str,
    /// The original's language when no report translates the title into the page's, else
    /// `""`.
    pub lang: &'a str,
    /// The original's words, which tell titles apart in every language.
    #[serde(skip)]
    original: &'a str,
}

/// A forum at which an organization's people spoke, and who.
#[derive(Debug, Clone, Serialize)]
pub struct SpokeAt<'a> {
    pub forum: Shared,
    pub people: Vec<AppearanceView<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrganizationView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub href: String,
    pub url: String,
    pub kind: Option<OrganizationKind>,
    /// `Government body`, `Non-governmental organization`, ...
    pub kind_label: Option<String>,
    pub aliases: &'a [String],
    pub description: Option<&'a str>,
    pub website: Option<&'a str>,
    pub logo: Option<String>,
    /// The logo as a `<picture>` (see `partials/picture.html`).
    pub picture: Option<super::pictures::PictureView>,
    pub links: &'a [Link],
    pub parent: Option<Shared>,
    pub children: Vec<Shared>,
    /// Newest first.
    pub organized: Vec<Shared>,
    pub partnered: Vec<Shared>,
    pub spoke_at: Vec<YearGroup<SpokeAt<'a>>>,
    /// By name: everyone who spoke for it, or the `PEOPLE_SHOWN` who did most often.
    pub people: Vec<Member<'a>>,
    /// Everyone named who spoke for it, shown or not.
    pub people_count: usize,
    pub forum_count: usize,
    /// How many forums it organized and partnered in all (the lists above may be one page).
    pub organized_count: usize,
    pub partnered_count: usize,
    /// People who spoke for it and are not named (privacy settings): counted only.
    pub unnamed_people: usize,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    pub langs: TextLangs<'a>,
}

/// An entry of an index: a name, its page and how many forums it has.
#[derive(Debug, Clone, Serialize)]
pub struct Counted<'a> {
    pub name: &'a str,
    /// The name's language when untranslated on this page, else `""`.
    pub lang: &'a str,
    pub href: String,
    pub count: usize,
    /// A short line under the name (a speaker's latest title, an organization's kind).
    pub note: Option<&'a str>,
    /// The note's language when untranslated on this page, else `""`.
    pub note_lang: &'a str,
}

#[derive(Debug, Clone, Serialize)]
pub struct LetterGroup<'a> {
    pub letter: String,
    pub id: String,
    pub items: Vec<Counted<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KindGroup<'a> {
    pub kind: Option<OrganizationKind>,
    pub label: String,
    pub id: &'static str,
    pub items: Vec<Counted<'a>>,
}

/// A year on the forums index: how many forums, and the latest few.
#[derive(Debug, Clone, Serialize)]
pub struct YearSummary {
    pub year: i16,
    pub href: String,
    pub count: usize,
    pub latest: Vec<Shared>,
}

/// The site-wide values every template gets as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub base_url: &'a str,
    pub base_path: &'a str,
    /// The page's language (all pages of one language share this value).
    pub language: &'a str,
    /// The site's languages, the default first.
    pub languages: &'a [String],
    /// This language's home page (`/` or `/az/`): where the site title links to.
    pub home: String,
    /// The language of the title, description and home introduction when they are shown
    /// untranslated (the default language's), else `""`.
    pub title_lang: String,
    pub description_lang: String,
    pub intro_lang: String,
    pub timezone: &'a str,
    pub author: Option<&'a str>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// Links of the main navigation.
    pub nav: Vec<NavLink>,
    pub stylesheet: String,
    /// The search page, which the header's search form submits to.
    pub search: String,
    pub counts: SiteCounts,
}

#[derive(Debug, Clone, Serialize)]
pub struct NavLink {
    pub label: String,
    pub href: String,
    /// The `page.section` it lights up for.
    pub section: &'static str,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct SiteCounts {
    pub forums: usize,
    pub speakers: usize,
    pub organizations: usize,
    pub topics: usize,
    pub series: usize,
}

/// What every template gets as `page`: the page's own title, address and section.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    pub title: String,
    pub description: Option<String>,
    pub href: String,
    pub url: String,
    /// `home`, `forums`, `speakers`, `organizations`, `topics`, `series`, `page`.
    pub section: &'static str,
    /// The template that renders it, without `.html`.
    pub kind: &'static str,
    /// The page's Atom feed, if it has one (home, speaker, organization, topic, series).
    pub feed: Option<String>,
    /// The forum's iCalendar file, on dated forum pages.
    pub calendar: Option<String>,
    /// An absolute image URL for sharing cards.
    pub image: Option<String>,
    /// Its size in pixels, when Podium made it.
    pub image_width: Option<u32>,
    pub image_height: Option<u32>,
    /// Whether it is a wide sharing card (1200 x 630) rather than a portrait or logo.
    pub image_card: bool,
    /// The page's chart, on the first page of `/forums/`, `/organizations/`, `/topics/` and
    /// of a speaker's page (see `render::charts` and `partials/chart.html`).
    pub chart: Option<super::charts::ChartView>,
    /// schema.org data for the page, printed with `json_script`.
    pub jsonld: Option<super::structured::Object>,
    /// Where the page stands in a list over several pages (see `render::paginate`).
    pub pager: Option<super::paginate::Pager>,
    /// Ask search engines not to index the page (a person shown as initials).
    pub noindex: bool,
    /// This language's folder (`""` or `az/`), for links made in templates.
    pub language_prefix: String,
    /// The language switcher: the same page in every language (empty in a one-language site).
    pub languages: Vec<super::languages::LanguageLink>,
    /// `hreflang` alternates: the real translations and `x-default`.
    pub alternates: Vec<super::languages::Alternate>,
    /// The original's language when this page's own text is not translated, else `""`.
    pub fallback_lang: String,
}

/// A value made once and shared by every page that shows it: a forum as a list item, a
/// link to a speaker, organization, topic or series. Pages list the same forums over and
/// over (a busy speaker's page lists hundreds); converting each once, and cloning the result
/// (a reference-count increment), halved the time to render a 10,000-report site.
pub type Shared = tera::Value;

/// The shared values of a site, by entity id, each made when a page first shows it: a
/// rebuild that renders a few pages makes a few (at 100,000 reports, making all of them
/// was 6 % of an edit's rebuild and a fifth of its memory).
pub struct Cache {
    forum_items: Vec<OnceLock<Shared>>,
    speakers: Vec<OnceLock<Shared>>,
    organizations: Vec<OnceLock<Shared>>,
    topics: Vec<OnceLock<Shared>>,
    series: Vec<OnceLock<Shared>>,
}

/// Makes views from the model; holds references, the URL maker and the shared values.
pub struct Views<'a> {
    pub model: &'a Model,
    pub urls: &'a Urls,
    cache: &'a Cache,
    pub locale: &'a Locale,
}

fn shared<T: Serialize>(value: &T) -> Shared {
    // Views are plain strings, numbers and lists: conversion cannot fail.
    tera::Value::try_from_serializable(value).unwrap_or_else(|_| tera::Value::none())
}

fn entity_ref(name: &str, slug: &str, href: String, lang: &str) -> Shared {
    shared(&Ref {
        name,
        slug,
        href,
        lang,
    })
}

/// How many people an organization's page lists: the busiest have hundreds, which alone
/// would weigh more than the page's forums (the rest are on the pages of their forums, the
/// speakers' index and in the open data).
const PEOPLE_SHOWN: usize = 100;

/// Keep the `most` people who appeared most often (the earlier in the list on a tie), in
/// their order.
fn keep_most_frequent(people: &mut Vec<Member>, most: usize) {
    if people.len() <= most {
        return;
    }
    let mut order: Vec<usize> = (0..people.len()).collect();
    order.sort_by(|&a, &b| {
        people[b]
            .appearance_count
            .cmp(&people[a].appearance_count)
            .then(a.cmp(&b))
    });
    let mut kept = vec![false; people.len()];
    for &i in &order[..most] {
        kept[i] = true;
    }
    let mut kept = kept.into_iter();
    people.retain(|_| kept.next().unwrap_or(false));
}

/// The original's language when `untranslated`, else `""`.
fn mark(untranslated: bool, locale: &Locale) -> &str {
    if untranslated {
        locale.default_lang()
    } else {
        ""
    }
}

impl Cache {
    /// Room for the values of `model`'s entities; `Views` makes each when first asked.
    pub fn new(model: &Model) -> Cache {
        let room = |n: usize| (0..n).map(|_| OnceLock::new()).collect();
        Cache {
            forum_items: room(model.forums.len()),
            speakers: room(model.speakers.len()),
            organizations: room(model.organizations.len()),
            topics: room(model.topics.len()),
            series: room(model.series.len()),
        }
    }

    /// Forget a forum's list item after the forum changed in place.
    pub fn refresh_forum(&mut self, id: ForumId) {
        self.forum_items[id.index()] = OnceLock::new();
    }

    /// Take in a forum `model::insert_report` put at `id` (`serve`).
    pub fn insert_forum(&mut self, id: ForumId) {
        self.forum_items.insert(id.index(), OnceLock::new());
    }
}

impl<'a> Views<'a> {
    pub fn new(
        model: &'a Model,
        urls: &'a Urls,
        cache: &'a Cache,
        locale: &'a Locale,
    ) -> Views<'a> {
        Views {
            model,
            urls,
            cache,
            locale,
        }
    }

    /// `lang_attr` values for an entity's texts.
    pub fn langs(&self, u: Untranslated) -> TextLangs<'a> {
        TextLangs::of(u, self.locale.default_lang())
    }

    pub fn speaker_ref(&self, id: SpeakerId) -> Shared {
        let s = self.model.speaker(id);
        self.cache.speakers[id.index()]
            .get_or_init(|| {
                entity_ref(
                    &s.name,
                    &s.slug,
                    self.urls.href(Route::Speaker(&s.slug)),
                    "",
                )
            })
            .clone()
    }

    pub fn organization_ref(&self, id: OrganizationId) -> Shared {
        self.cache.organizations[id.index()]
            .get_or_init(|| {
                let o = self.model.organization(id);
                let lang = mark(self.model.localized.organization(id).name, self.locale);
                let href = self.urls.href(Route::Organization(&o.slug));
                entity_ref(&o.name, &o.slug, href, lang)
            })
            .clone()
    }

    pub fn topic_ref(&self, id: TopicId) -> Shared {
        self.cache.topics[id.index()]
            .get_or_init(|| {
                let t = &self.model.topics[id.index()];
                let lang = mark(self.model.localized.topic(id), self.locale);
                entity_ref(
                    &t.name,
                    &t.slug,
                    self.urls.href(Route::Topic(&t.slug)),
                    lang,
                )
            })
            .clone()
    }

    pub fn series_ref(&self, id: SeriesId) -> Shared {
        self.cache.series[id.index()]
            .get_or_init(|| {
                let t = &self.model.series[id.index()];
                let lang = mark(self.model.localized.series(id), self.locale);
                entity_ref(
                    &t.name,
                    &t.slug,
                    self.urls.href(Route::Series(&t.slug)),
                    lang,
                )
            })
            .clone()
    }

    pub fn forum_item(&self, id: ForumId) -> Shared {
        self.cache.forum_items[id.index()]
            .get_or_init(|| {
                let marks = self.model.localized.forum(id);
                shared(&make_forum_item(
                    self.urls,
                    self.model.forum(id),
                    self.locale,
                    marks,
                ))
            })
            .clone()
    }

    pub fn appearance(&self, a: &'a Appearance) -> AppearanceView<'a> {
        let s = self.model.speaker(a.speaker);
        AppearanceView {
            name: &s.name,
            href: self.urls.href(Route::Speaker(&s.slug)),
            unnamed: false,
            role: a.role,
            title: a.title.as_deref(),
            organization: a.organization.map(|o| self.organization_ref(o)),
            topic: a.topic.as_deref(),
            title_lang: mark(a.untranslated, self.locale),
        }
    }

    /// The part of someone who must not be named: only the role and the organization.
    pub fn unnamed(&self, u: &Unnamed) -> AppearanceView<'a> {
        AppearanceView {
            name: "",
            href: String::new(),
            unnamed: true,
            role: u.role,
            title: None,
            organization: u.organization.map(|o| self.organization_ref(o)),
            topic: None,
            title_lang: "",
        }
    }

    pub fn forum(&self, f: &'a Forum, body: String, image: Option<String>) -> ForumView<'a> {
        let in_session = |a: &&Appearance| a.session.is_some();
        let untranslated = self.model.localized.forum(f.id);
        ForumView {
            item: make_forum_item(self.urls, f, self.locale, self.model.localized.forum(f.id)),
            url: self.urls.permalink(Route::Forum(&f.path)),
            end: f.end.as_ref().map(|w| date_view(w, self.locale)),
            year: f.year(),
            year_href: f.year().map(|y| self.urls.href(Route::ForumYear(y))),
            series: f.series.map(|s| self.series_ref(s)),
            theme: f.theme.as_deref(),
            venue: f.venue.as_deref(),
            city: f.city.as_deref(),
            country: f.country.as_deref(),
            organizers: f
                .organizers
                .iter()
                .map(|&o| self.organization_ref(o))
                .collect(),
            partners: f
                .partners
                .iter()
                .map(|&o| self.organization_ref(o))
                .collect(),
            speakers: f
                .appearances
                .iter()
                .filter(|a| !in_session(a))
                .map(|a| self.appearance(a))
                .chain(
                    f.unnamed
                        .iter()
                        .filter(|u| u.session.is_none())
                        .map(|u| self.unnamed(u)),
                )
                .collect(),
            sessions: f
                .sessions
                .iter()
                .enumerate()
                .map(|(i, s)| SessionView {
                    title: &s.title,
                    time: s.time.as_deref(),
                    summary: s.summary.as_deref(),
                    title_lang: mark(untranslated.sessions || s.untranslated[0], self.locale),
                    summary_lang: mark(untranslated.sessions || s.untranslated[1], self.locale),
                    people: f
                        .appearances
                        .iter()
                        .filter(|a| a.session == Some(i))
                        .map(|a| self.appearance(a))
                        .chain(
                            f.unnamed
                                .iter()
                                .filter(|u| u.session == Some(i))
                                .map(|u| self.unnamed(u)),
                        )
                        .collect(),
                })
                .collect(),
            topics: f.topics.iter().map(|&t| self.topic_ref(t)).collect(),
            source: f.source.as_ref().map(|s| SourceView {
                publisher: s.publisher.as_deref(),
                title: s.title.as_deref(),
                date: s.date.map(|d| date_view(&When::Date(d), self.locale)),
                url: s.url.as_deref(),
            }),
            image,
            picture: None,
            body,
            extra: &f.extra,
            langs: self.langs(self.model.localized.forum(f.id)),
        }
    }

    /// A speaker's page showing the appearances of `shown` (newest first; a page of a long
    /// list): only those are made into views, so the pages of a speaker with thousands of
    /// appearances cost what they show, not the whole list each.
    pub fn speaker(
        &self,
        s: &'a Speaker,
        bio: Option<&'a str>,
        photo: Option<String>,
        shown: std::ops::Range<usize>,
    ) -> SpeakerView<'a> {
        let mut years: Vec<YearGroup<SpeakerAppearance>> = Vec::new();
        let newest_first = s.appearances.iter().rev();
        for &(forum_id, i) in newest_first.skip(shown.start).take(shown.len()) {
            let f = self.model.forum(forum_id);
            let a = &f.appearances[i];
            let item = SpeakerAppearance {
                forum: self.forum_item(forum_id),
                role: a.role,
                title: a.title.as_deref(),
                title_lang: mark(a.untranslated, self.locale),
                organization: a.organization.map(|o| self.organization_ref(o)),
                session: a.session.map(|i| f.sessions[i].title.as_str()),
                session_lang: mark(
                    a.session.is_some_and(|i| {
                        self.model.localized.forum(forum_id).sessions
                            || f.sessions[i].untranslated[0]
                    }),
                    self.locale,
                ),
            };
            push_grouped(&mut years, year_label(f, self.locale), item);
        }
        let latest = s
            .appearances
            .iter()
            .rev()
            .map(|&(f, i)| &self.model.forum(f).appearances[i])
            .find(|a| a.title.is_some());
        let latest_title = latest.and_then(|a| a.title.as_deref());
        let latest_title_lang = latest.map_or("", |a| mark(a.untranslated, self.locale));
        SpeakerView {
            name: &s.name,
            slug: &s.slug,
            href: self.urls.href(Route::Speaker(&s.slug)),
            url: self.urls.permalink(Route::Speaker(&s.slug)),
            aliases: &s.aliases,
            bio,
            photo,
            picture: None,
            links: &s.links,
            latest_title,
            latest_title_lang,
            organizations: s
                .organizations
                .iter()
                .map(|&o| self.organization_ref(o))
                .collect(),
            appearance_count: s.appearances.len(),
            years,
            extra: &s.extra,
            langs: self.langs(self.model.localized.speaker(s.id)),
        }
    }

    /// An organization's page showing, of each of its three lists (forums it organized,
    /// partnered, and its people spoke at; newest first), the items `shown` gives for the
    /// list's length (a page of a long list), and its people if `with_people` (they are on
    /// the first page): the rest is not made into views.
    pub fn organization(
        &self,
        o: &'a Organization,
        description: Option<&'a str>,
        logo: Option<String>,
        shown: &dyn Fn(usize) -> std::ops::Range<usize>,
        with_people: bool,
    ) -> OrganizationView<'a> {
        let spoke_at_shown = shown(spoke_at_forums(o));
        let mut spoke_at: Vec<YearGroup<SpokeAt>> = Vec::new();
        let mut i = o.spoke_at.len();
        let mut forum_number = 0;
        // Group the (forum, appearance) pairs by forum, newest forum first.
        while i > 0 {
            let forum_id = o.spoke_at[i - 1].0;
            let mut start = i - 1;
            while start > 0 && o.spoke_at[start - 1].0 == forum_id {
                start -= 1;
            }
            forum_number += 1;
            if !spoke_at_shown.contains(&(forum_number - 1)) {
                i = start;
                continue;
            }
            let f = self.model.forum(forum_id);
            let people = o.spoke_at[start..i]
                .iter()
                .map(|&(_, a)| self.appearance(&f.appearances[a]))
                .collect();
            push_grouped(
                &mut spoke_at,
                year_label(f, self.locale),
                SpokeAt {
                    forum: self.forum_item(forum_id),
                    people,
                },
            );
            i = start;
        }
        // One pass over the organization's appearances (the busiest has tens of thousands),
        // not one per person. Titles are told apart by the original's words: in another
        // language a title is shown as the most recent report that translates it does, once.
        let mut by_person: std::collections::HashMap<SpeakerId, (Vec<HeldTitle<'a>>, usize)> =
            std::collections::HashMap::new();
        let all = if with_people { &o.spoke_at[..] } else { &[] };
        for &(f, a) in all {
            let a = &self.model.forum(f).appearances[a];
            let (titles, count) = by_person.entry(a.speaker).or_default();
            *count += 1;
            let Some(title) = a.title.as_deref() else {
                continue;
            };
            let original = a.original_title.as_deref().unwrap_or(title);
            let translated = a.original_title.is_some() || !a.untranslated;
            let lang = mark(!translated, self.locale);
            match titles.iter_mut().find(|t| t.original == original) {
                // Appearances come in chronological order: a later translation wins.
                Some(held) if translated => (held.title, held.lang) = (title, lang),
                Some(_) => {}
                None => titles.push(HeldTitle {
                    title,
                    lang,
                    original,
                }),
            }
        }
        let mut people: Vec<Member> = o
            .people
            .iter()
            .filter(|_| with_people)
            .map(|&p| {
                let s = self.model.speaker(p);
                let (titles, count) = by_person.remove(&p).unwrap_or_default();
                Member {
                    name: &s.name,
                    href: self.urls.href(Route::Speaker(&s.slug)),
                    titles: titles.iter().map(|t| t.title).collect(),
                    held: titles,
                    appearance_count: count,
                }
            })
            .collect();
        let people_count = people.len();
        keep_most_frequent(&mut people, PEOPLE_SHOWN);
        OrganizationView {
            name: &o.name,
            slug: &o.slug,
            href: self.urls.href(Route::Organization(&o.slug)),
            url: self.urls.permalink(Route::Organization(&o.slug)),
            kind: o.kind,
            kind_label: o.kind.map(|k| self.locale.word(kind_key(k))),
            aliases: &o.aliases,
            description,
            website: o.website.as_deref(),
            logo,
            picture: None,
            links: &o.links,
            parent: o.parent.map(|p| self.organization_ref(p)),
            children: o
                .children
                .iter()
                .map(|&c| self.organization_ref(c))
                .collect(),
            organized: self.page_of_forums(&o.organized, shown),
            partnered: self.page_of_forums(&o.partnered, shown),
            spoke_at,
            people,
            forum_count: o.forums().len(),
            organized_count: o.organized.len(),
            partnered_count: o.partnered.len(),
            people_count,
            unnamed_people: o.unnamed_people,
            extra: &o.extra,
            langs: self.langs(self.model.localized.organization(o.id)),
        }
    }

    /// The items `shown` gives of a chronological list of forums, newest first.
    fn page_of_forums(
        &self,
        ids: &[ForumId],
        shown: &dyn Fn(usize) -> std::ops::Range<usize>,
    ) -> Vec<Shared> {
        let range = shown(ids.len());
        ids.iter()
            .rev()
            .skip(range.start)
            .take(range.len())
            .map(|&f| self.forum_item(f))
            .collect()
    }

    /// Forums grouped by year, newest first.
    pub fn forums_by_year(&self, ids: &[ForumId]) -> Vec<YearGroup<Shared>> {
        let mut groups = Vec::new();
        for &id in ids.iter().rev() {
            push_grouped(
                &mut groups,
                year_label(self.model.forum(id), self.locale),
                self.forum_item(id),
            );
        }
        groups
    }
}

/// The catalog key of a kind's name (`kind.ngo`).
pub fn kind_key(kind: OrganizationKind) -> &'static str {
    match kind {
        OrganizationKind::Government => "kind.government",
        OrganizationKind::Ngo => "kind.ngo",
        OrganizationKind::Foundation => "kind.foundation",
        OrganizationKind::Company => "kind.company",
        OrganizationKind::International => "kind.international",
        OrganizationKind::Media => "kind.media",
        OrganizationKind::Academic => "kind.academic",
        OrganizationKind::Other => "kind.other",
    }
}

fn year_label(f: &Forum, locale: &Locale) -> String {
    f.year()
        .map_or_else(|| locale.word("date.tba"), |y| y.to_string())
}

fn push_grouped<T>(groups: &mut Vec<YearGroup<T>>, year: String, item: T) {
    match groups.last_mut() {
        Some(g) if g.year == year => g.items.push(item),
        _ => groups.push(YearGroup {
            year,
            items: vec![item],
        }),
    }
}

fn make_forum_item<'a>(
    urls: &Urls,
    f: &'a Forum,
    locale: &'a Locale,
    marks: Untranslated,
) -> ForumItem<'a> {
    ForumItem {
        title: &f.title,
        title_lang: mark(marks.title, locale),
        place_lang: mark(marks.place, locale),
        href: urls.href(Route::Forum(&f.path)),
        start: f.start.as_ref().map(|w| date_view(w, locale)),
        date_range: date_range(f.start.as_ref(), f.end.as_ref(), locale),
        status: f.status,
        upcoming: f.upcoming,
        place: place(f),
        place_parts: place_parts(f, marks, locale),
        summary: f.summary.as_deref(),
    }
}

/// The parts of a place partly translated, each marked with the original's language when it
/// is the original's; empty otherwise (a place in one language is `place` and `place_lang`),
/// which is every place on the default language's pages: nothing to make for them.
fn place_parts<'a>(f: &'a Forum, marks: Untranslated, locale: &'a Locale) -> Vec<PlacePart<'a>> {
    let parts = [&f.venue, &f.city, &f.country];
    let mixed = !marks.place
        && parts
            .iter()
            .zip(marks.place_parts)
            .any(|(part, untranslated)| part.is_some() && untranslated);
    if !mixed {
        return Vec::new();
    }
    parts
        .into_iter()
        .zip(marks.place_parts)
        .filter_map(|(part, untranslated)| {
            Some(PlacePart {
                text: part.as_deref()?,
                lang: mark(untranslated, locale),
            })
        })
        .collect()
}

/// `Congress Center, Khankendi, Azerbaijan`.
pub fn place(f: &Forum) -> Option<String> {
    let parts: Vec<&str> = [&f.venue, &f.city, &f.country]
        .into_iter()
        .filter_map(|p| p.as_deref())
        .collect();
    if parts.is_empty() {
        None
    } else {
        Some(parts.join(", "))
    }
}

/// How many forums an organization's people spoke at (its `spoke_at` pairs counted by
/// forum: they are grouped by forum, in forum order).
pub fn spoke_at_forums(o: &Organization) -> usize {
    let pairs = &o.spoke_at;
    (0..pairs.len())
        .filter(|&i| i == 0 || pairs[i - 1].0 != pairs[i].0)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// English as the default theme writes it.
    fn english() -> Locale {
        let files: Vec<(String, String, String)> = crate::render::theme::default_theme_files()
            .filter(|(p, _)| p.starts_with("i18n/") && p.ends_with("en.yaml"))
            .map(|(p, b)| ("en".into(), p.into(), String::from_utf8_lossy(b).into()))
            .collect();
        let words = crate::i18n::Words::new(&files, &["en".to_string()]).unwrap();
        Locale::new("en", &["en".to_string()], std::sync::Arc::new(words))
    }

    #[test]
    fn date_ranges_read_naturally() {
        let d = |y, m, d| When::Date(date(y, m, d));
        let en = english();
        let date_range = |a: Option<&When>, b: Option<&When>| date_range(a, b, &en);
        assert_eq!(
            date_range(Some(&d(2025, 10, 20)), Some(&d(2025, 10, 20))).unwrap(),
            "20 October 2025"
        );
        assert_eq!(
            date_range(Some(&d(2025, 10, 20)), Some(&d(2025, 10, 22))).unwrap(),
            "20–22 October 2025"
        );
        assert_eq!(
            date_range(Some(&d(2025, 9, 30)), Some(&d(2025, 10, 2))).unwrap(),
            "30 September – 2 October 2025"
        );
        assert_eq!(
            date_range(Some(&d(2025, 12, 30)), Some(&d(2026, 1, 2))).unwrap(),
            "30 December 2025 – 2 January 2026"
        );
        assert_eq!(date_range(None, None), None);
    }
}
