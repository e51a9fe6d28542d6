//! Pages: one `Job` per page of the site, and the `PageRenderer` that turns a job into its
//! view, its template context and its HTML. Kept apart from `render_site` (which decides what
//! to render and where it goes) so each page kind's data is in one place.

use super::markdown::LinkIndex;
use super::routes::{FeedOwner, Route, Urls};
use super::theme::{self, Theme};
use super::views::*;
use super::{Bodies, dates, structured};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::write::{Contents, OutputFile};
use serde::Serialize;

/// One page to render.
#[derive(Debug, Clone, Copy)]
pub(super) enum Job {
    Home,
    Forums,
    Year(i16),
    Forum(ForumId),
    Speakers,
    Speaker(SpeakerId),
    Organizations,
    Organization(OrganizationId),
    Topics,
    Topic(TopicId),
    SeriesIndex,
    Series(SeriesId),
    Page(usize),
    NotFound,
}

/// How many of the latest forums of a year the forums index shows (the year page has all).
const LATEST_PER_YEAR: usize = 10;
/// How many upcoming and latest forums the home page shows.
const HOME_LIST: usize = 10;

/// Renders one page at a time; shared, read-only, by every rendering thread.
pub(super) struct PageRenderer<'a> {
    pub(super) model: &'a Model,
    pub(super) theme: &'a Theme,
    pub(super) urls: &'a Urls,
    pub(super) views: Views<'a>,
    pub(super) links: &'a LinkIndex,
    pub(super) bodies: &'a Bodies,
    pub(super) years: &'a [(i16, Vec<ForumId>)],
    pub(super) site: tera::Value,
    /// When the newest forum last changed: the index pages' sitemap date.
    pub(super) site_latest: Option<jiff::civil::Date>,
    /// Warnings found while rendering pages (broken links in report bodies).
    pub(super) warnings: std::sync::Mutex<Diagnostics>,
    pub(super) connections: &'a crate::connections::Connections,
    pub(super) calendar_events: &'a super::calendar::Events,
}

/// The page-specific part of a template context, under its own name.
// Made and consumed once per page; boxing would only add an allocation.
#[allow(clippy::large_enum_variant)]
enum Data<'a> {
    Forum(ForumView<'a>),
    Speaker(SpeakerView<'a>),
    Organization(OrganizationView<'a>),
    Any(&'static str, tera::Value),
}

/// The page a job makes.
pub(super) fn job_route(m: &Model, job: Job) -> Route<'_> {
    match job {
        Job::Home => Route::Home,
        Job::Forums => Route::Forums,
        Job::Speakers => Route::Speakers,
        Job::Organizations => Route::Organizations,
        Job::Topics => Route::Topics,
        Job::SeriesIndex => Route::SeriesIndex,
        Job::Year(y) => Route::ForumYear(y),
        Job::Forum(id) => Route::Forum(&m.forum(id).path),
        Job::Speaker(id) => Route::Speaker(&m.speaker(id).slug),
        Job::Organization(id) => Route::Organization(&m.organization(id).slug),
        Job::Topic(id) => Route::Topic(&m.topic(id).slug),
        Job::Series(id) => Route::Series(&m.series_of(id).slug),
        Job::Page(i) => Route::Page(&m.pages[i].path),
        Job::NotFound => Route::NotFound,
    }
}

/// The template a job renders with.
pub(super) fn job_template(job: Job) -> &'static str {
    match job {
        Job::Home => "home.html",
        Job::Forums => "forums.html",
        Job::Year(_) => "year.html",
        Job::Forum(_) => "forum.html",
        Job::Speakers => "speakers.html",
        Job::Speaker(_) => "speaker.html",
        Job::Organizations => "organizations.html",
        Job::Organization(_) => "organization.html",
        Job::Topics => "topics.html",
        Job::Topic(_) => "topic.html",
        Job::SeriesIndex => "series_index.html",
        Job::Series(_) => "series.html",
        Job::Page(_) => "page.html",
        Job::NotFound => "404.html",
    }
}

impl Job {
    /// The same page (jobs hold only ids, so this is equality).
    pub(super) fn same(self, other: Job) -> bool {
        use Job::*;
        match (self, other) {
            (Year(a), Year(b)) => a == b,
            (Forum(a), Forum(b)) => a == b,
            (Speaker(a), Speaker(b)) => a == b,
            (Organization(a), Organization(b)) => a == b,
            (Topic(a), Topic(b)) => a == b,
            (Series(a), Series(b)) => a == b,
            (Page(a), Page(b)) => a == b,
            _ => std::mem::discriminant(&self) == std::mem::discriminant(&other),
        }
    }
}

impl<'a> PageRenderer<'a> {
    /// The warnings found so far (broken links in report bodies), taken out.
    pub(super) fn take_warnings(&self) -> Diagnostics {
        std::mem::take(&mut *self.warnings.lock().unwrap_or_else(|p| p.into_inner()))
    }

    pub(super) fn render(&self, job: Job) -> Result<OutputFile, Diagnostic> {
        let (route, template, mut meta, data, origin) = self.prepare(job)?;
        debug_assert_eq!(
            template,
            job_template(job),
            "the fingerprint uses the template"
        );
        self.decorate(job, &mut meta, &data);
        let mut ctx = tera::Context::new();
        ctx.insert_value("site", self.site.clone());
        ctx.insert_value("page", value(&meta)?);
        match data {
            Data::Forum(v) => ctx.insert_value("forum", value(&v)?),
            Data::Speaker(v) => ctx.insert_value("speaker", value(&v)?),
            Data::Organization(v) => ctx.insert_value("organization", value(&v)?),
            Data::Any(name, v) => ctx.insert_value(name, v),
        }
        if let Some(connections) = self.connections_value(job)? {
            ctx.insert_value("connections", connections);
        }
        let html = self.theme.tera.render(template, &ctx).map_err(|e| {
            theme::template_error(&e, &self.theme.template_origin, Some(&meta.href))
        })?;
        Ok(OutputFile {
            path: route.output_file(),
            contents: Contents::Bytes(html.into_bytes()),
            origin,
        })
    }

    #[allow(clippy::type_complexity)]
    fn prepare(
        &self,
        job: Job,
    ) -> Result<(Route<'a>, &'static str, PageMeta, Data<'a>, String), Diagnostic> {
        let m = self.model;
        let v = &self.views;
        let meta = |route: Route,
                    title: String,
                    description: Option<String>,
                    section: &'static str,
                    kind: &'static str| PageMeta {
            title,
            description: description.or_else(|| m.site.description.clone()),
            href: self.urls.href(route),
            url: self.urls.permalink(route),
            section,
            kind,
            feed: None,
            calendar: None,
            image: None,
            jsonld: None,
        };
        Ok(match job {
            Job::Home => {
                let upcoming: Vec<Shared> = self
                    .upcoming()
                    .into_iter()
                    .take(HOME_LIST)
                    .map(|id| v.forum_item(id))
                    .collect();
                let latest: Vec<Shared> = m
                    .forums
                    .iter()
                    .rev()
                    .filter(|f| !f.upcoming && f.start.is_some())
                    .take(HOME_LIST)
                    .map(|f| v.forum_item(f.id))
                    .collect();
                let data = HomeData {
                    intro: &self.bodies.intro,
                    upcoming,
                    latest,
                };
                (
                    Route::Home,
                    "home.html",
                    meta(Route::Home, m.site.title.clone(), None, "home", "home"),
                    Data::Any("home", value(&data)?),
                    "home page".into(),
                )
            }
            Job::Forums => {
                let upcoming: Vec<Shared> = self
                    .upcoming()
                    .into_iter()
                    .map(|id| v.forum_item(id))
                    .collect();
                let years: Vec<YearSummary> = self
                    .years
                    .iter()
                    .map(|(y, ids)| YearSummary {
                        year: *y,
                        href: self.urls.href(Route::ForumYear(*y)),
                        count: ids.len(),
                        latest: ids
                            .iter()
                            .rev()
                            .filter(|&&id| !m.forum(id).upcoming)
                            .take(LATEST_PER_YEAR)
                            .map(|&id| v.forum_item(id))
                            .collect(),
                    })
                    .collect();
                let data = ForumsData { upcoming, years };
                (
                    Route::Forums,
                    "forums.html",
                    meta(Route::Forums, "Forums".into(), None, "forums", "forums"),
                    Data::Any("forums", value(&data)?),
                    "forums index".into(),
                )
            }
            Job::Year(year) => {
                let ids = self
                    .years
                    .iter()
                    .find(|(y, _)| *y == year)
                    .map(|(_, ids)| ids.as_slice())
                    .unwrap_or_default();
                let data = YearData {
                    year,
                    count: ids.len(),
                    forums: ids.iter().rev().map(|&id| v.forum_item(id)).collect(),
                    forums_href: self.urls.href(Route::Forums),
                    newer: self
                        .years
                        .iter()
                        .rev()
                        .find(|(y, _)| *y > year)
                        .map(|(y, _)| YearLink {
                            year: *y,
                            href: self.urls.href(Route::ForumYear(*y)),
                        }),
                    older: self
                        .years
                        .iter()
                        .find(|(y, _)| *y < year)
                        .map(|(y, _)| YearLink {
                            year: *y,
                            href: self.urls.href(Route::ForumYear(*y)),
                        }),
                };
                let route = Route::ForumYear(year);
                (
                    route,
                    "year.html",
                    meta(route, format!("Forums of {year}"), None, "forums", "year"),
                    Data::Any("year", value(&data)?),
                    format!("forums of {year}"),
                )
            }
            Job::Forum(id) => {
                let f = m.forum(id);
                let image = f
                    .image
                    .as_ref()
                    .map(|i| self.file_url(i, &f.body.base_dir, &f.file, "image"));
                // Rendered here rather than up front: a report's body appears on its page only,
                // so holding every body's HTML at once would be memory for nothing.
                let (body, warnings) = self.report_body(f);
                if !warnings.is_empty() {
                    self.warnings
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .extend(warnings.into_iter().collect());
                }
                let view = v.forum(f, body, image);
                let route = Route::Forum(&f.path);
                let description = f.summary.clone();
                (
                    route,
                    "forum.html",
                    meta(route, f.title.clone(), description, "forums", "forum"),
                    Data::Forum(view),
                    f.file.display().to_string(),
                )
            }
            Job::Speakers => {
                let data = SpeakersData {
                    letters: self.speaker_letters(),
                };
                (
                    Route::Speakers,
                    "speakers.html",
                    meta(
                        Route::Speakers,
                        "Speakers".into(),
                        None,
                        "speakers",
                        "speakers",
                    ),
                    Data::Any("speakers", value(&data)?),
                    "speakers index".into(),
                )
            }
            Job::Speaker(id) => {
                let s = m.speaker(id);
                let photo = s.photo.as_ref().map(|p| {
                    self.file_url(
                        p,
                        "speakers",
                        s.profile
                            .as_deref()
                            .unwrap_or(std::path::Path::new("content/speakers")),
                        "photo",
                    )
                });
                let view = v.speaker(s, self.bodies.speakers[id.index()].as_deref(), photo);
                let route = Route::Speaker(&s.slug);
                let description = Some(speaker_description(&view));
                let origin = s.profile.as_ref().map_or_else(
                    || format!("speaker {}", s.name),
                    |p| p.display().to_string(),
                );
                (
                    route,
                    "speaker.html",
                    meta(route, s.name.clone(), description, "speakers", "speaker"),
                    Data::Speaker(view),
                    origin,
                )
            }
            Job::Organizations => {
                let data = OrganizationsData {
                    kinds: self.organization_kinds(),
                };
                (
                    Route::Organizations,
                    "organizations.html",
                    meta(
                        Route::Organizations,
                        "Organizations".into(),
                        None,
                        "organizations",
                        "organizations",
                    ),
                    Data::Any("organizations", value(&data)?),
                    "organizations index".into(),
                )
            }
            Job::Organization(id) => {
                let o = m.organization(id);
                let logo = o.logo.as_ref().map(|l| {
                    self.file_url(
                        l,
                        "organizations",
                        o.profile
                            .as_deref()
                            .unwrap_or(std::path::Path::new("content/organizations")),
                        "logo",
                    )
                });
                let view =
                    v.organization(o, self.bodies.organizations[id.index()].as_deref(), logo);
                let route = Route::Organization(&o.slug);
                let description = Some(format!(
                    "{}: {} forums, {} people.",
                    o.name,
                    view.forum_count,
                    view.people.len()
                ));
                let origin = o.profile.as_ref().map_or_else(
                    || format!("organization {}", o.name),
                    |p| p.display().to_string(),
                );
                (
                    route,
                    "organization.html",
                    meta(
                        route,
                        o.name.clone(),
                        description,
                        "organizations",
                        "organization",
                    ),
                    Data::Organization(view),
                    origin,
                )
            }
            Job::Topics | Job::SeriesIndex => {
                let (terms, route, title, section, kind): (
                    &Vec<Term>,
                    Route,
                    &str,
                    &'static str,
                    &'static str,
                ) = match job {
                    Job::Topics => (&m.topics, Route::Topics, "Topics", "topics", "topics"),
                    _ => (
                        &m.series,
                        Route::SeriesIndex,
                        "Series",
                        "series",
                        "series_index",
                    ),
                };
                let mut items: Vec<Counted> = terms
                    .iter()
                    .map(|t| Counted {
                        name: &t.name,
                        href: self.urls.href(if kind == "topics" {
                            Route::Topic(&t.slug)
                        } else {
                            Route::Series(&t.slug)
                        }),
                        count: t.forums.len(),
                        note: None,
                    })
                    .collect();
                items.sort_by_cached_key(|t| sort_key(t.name));
                let data = TermsData { items };
                (
                    route,
                    if kind == "topics" {
                        "topics.html"
                    } else {
                        "series_index.html"
                    },
                    meta(route, title.into(), None, section, kind),
                    Data::Any("terms", value(&data)?),
                    format!("{section} index"),
                )
            }
            Job::Topic(TopicId(i)) | Job::Series(SeriesId(i)) => {
                let is_topic = matches!(job, Job::Topic(_));
                let t = if is_topic {
                    &m.topics[i as usize]
                } else {
                    &m.series[i as usize]
                };
                let route = if is_topic {
                    Route::Topic(&t.slug)
                } else {
                    Route::Series(&t.slug)
                };
                let data = TermData {
                    name: &t.name,
                    slug: &t.slug,
                    href: self.urls.href(route),
                    count: t.forums.len(),
                    years: v.forums_by_year(&t.forums),
                };
                let (template, section, title) = if is_topic {
                    ("topic.html", "topics", format!("Topic: {}", t.name))
                } else {
                    ("series.html", "series", t.name.clone())
                };
                (
                    route,
                    template,
                    meta(
                        route,
                        title,
                        None,
                        section,
                        if is_topic { "topic" } else { "series" },
                    ),
                    Data::Any("term", value(&data)?),
                    format!("{section} {}", t.name),
                )
            }
            Job::Page(i) => {
                let p = &m.pages[i];
                let route = Route::Page(&p.path);
                let data = InfoData {
                    title: &p.title,
                    body: &self.bodies.pages[i],
                    extra: &p.extra,
                };
                (
                    route,
                    "page.html",
                    meta(route, p.title.clone(), p.summary.clone(), "page", "page"),
                    Data::Any("info", value(&data)?),
                    p.file.display().to_string(),
                )
            }
            Job::NotFound => (
                Route::NotFound,
                "404.html",
                meta(
                    Route::NotFound,
                    "Page not found".into(),
                    None,
                    "page",
                    "404",
                ),
                Data::Any(
                    "links",
                    value(&NotFoundData {
                        forums: self.urls.href(Route::Forums),
                        home: self.urls.href(Route::Home),
                    })?,
                ),
                "404 page".into(),
            ),
        })
    }

    /// The URL of a file named in front matter (`image:`, `photo:`, `logo:`); a file that
    /// does not exist is a warning at the front-matter file.
    fn file_url(&self, url: &str, base_dir: &str, file: &std::path::Path, key: &str) -> String {
        let (href, problem) = self.links.resolve_src(url, base_dir);
        if let Some(why) = problem {
            let warning = Diagnostic::warning(format!("`{key}`: {why}"))
                .at(crate::diagnostic::Span::file_start(file))
                .with_help("put the file beside the Markdown file that names it, or give a full https:// URL");
            self.warnings
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(warning);
        }
        href
    }

    /// Feeds, calendar links, sharing image and structured data for the page kinds that
    /// have them.
    fn decorate(&self, job: Job, meta: &mut PageMeta, data: &Data) {
        let (m, urls) = (self.model, self.urls);
        let feed = |owner| Some(urls.href(Route::Feed(owner)));
        let absolute = |href: &str| match href.strip_prefix(urls.base_path()) {
            Some(rest) if !href.contains("://") => format!("{}{rest}", m.site.base_url),
            _ => href.to_string(),
        };
        match (job, data) {
            (Job::Home, _) => meta.feed = feed(FeedOwner::Site),
            (Job::Forum(id), Data::Forum(view)) => {
                let f = m.forum(id);
                meta.calendar = f
                    .start
                    .as_ref()
                    .map(|_| urls.href(Route::ForumCalendar(&f.path)));
                meta.image = view.image.as_deref().map(absolute);
                meta.feed = feed(FeedOwner::Site);
                meta.jsonld = Some(structured::event(
                    m,
                    urls,
                    f,
                    f.summary.as_deref(),
                    meta.image.as_deref(),
                ));
            }
            (Job::Speaker(id), Data::Speaker(view)) => {
                let s = m.speaker(id);
                meta.feed = feed(FeedOwner::Speaker(&s.slug));
                meta.image = view.photo.as_deref().map(absolute);
                meta.jsonld = Some(structured::person(
                    m,
                    urls,
                    s,
                    view.latest_title,
                    meta.image.as_deref(),
                ));
            }
            (Job::Organization(id), Data::Organization(view)) => {
                let o = m.organization(id);
                meta.feed = feed(FeedOwner::Organization(&o.slug));
                meta.image = view.logo.as_deref().map(absolute);
                meta.jsonld = Some(structured::organization(m, urls, o, meta.image.as_deref()));
            }
            (Job::Topic(id), _) => meta.feed = feed(FeedOwner::Topic(&m.topic(id).slug)),
            (Job::Series(id), _) => meta.feed = feed(FeedOwner::Series(&m.series_of(id).slug)),
            _ => {}
        }
        self.decorate_connections(job, meta);
    }

    /// A hash of everything a page shows, beyond what `base` (the site's structure, settings
    /// and templates) covers; `None` for pages that show the whole site (home, indexes, 404),
    /// which are always rendered. `serve` skips a page whose fingerprint did not change.
    pub(super) fn fingerprint(&self, job: Job, base: u64) -> Option<u64> {
        use std::hash::{Hash, Hasher};
        let m = self.model;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        // The site's structure, and the templates this page uses (and only those).
        (base, self.theme.digest_of(job_template(job))).hash(&mut h);
        let forum = |h: &mut std::collections::hash_map::DefaultHasher, id: ForumId| {
            let f = m.forum(id);
            (f.digest, &f.path, f.upcoming).hash(h);
        };
        match job {
            Job::Forum(id) => {
                forum(&mut h, id);
                // Its related forums show as list items.
                for &r in self.connections.related(id) {
                    forum(&mut h, r);
                }
            }
            Job::Speaker(id) => {
                let s = m.speaker(id);
                (1u8, s.digest).hash(&mut h);
                for &(f, i) in &s.appearances {
                    forum(&mut h, f);
                    i.hash(&mut h);
                }
            }
            Job::Organization(id) => {
                let o = m.organization(id);
                (2u8, o.digest, o.parent, &o.children).hash(&mut h);
                for f in o.forums() {
                    forum(&mut h, f);
                }
                o.spoke_at.hash(&mut h);
            }
            Job::Topic(id) => m.topic(id).forums.iter().for_each(|&f| forum(&mut h, f)),
            Job::Series(id) => m
                .series_of(id)
                .forums
                .iter()
                .for_each(|&f| forum(&mut h, f)),
            Job::Year(y) => {
                y.hash(&mut h);
                self.years
                    .iter()
                    .find(|(year, _)| *year == y)
                    .into_iter()
                    .flat_map(|(_, ids)| ids)
                    .for_each(|&f| forum(&mut h, f));
            }
            Job::Page(i) => m.pages[i].digest.hash(&mut h),
            Job::Home
            | Job::Forums
            | Job::Speakers
            | Job::Organizations
            | Job::Topics
            | Job::SeriesIndex
            | Job::NotFound => return None,
        }
        Some(h.finish())
    }

    /// The file a job writes.
    pub(super) fn output_file(&self, job: Job) -> String {
        job_route(self.model, job).output_file()
    }

    /// The page a job makes and when its content last changed, for the sitemap.
    pub(super) fn sitemap_entry(&self, job: Job) -> Option<(Route<'a>, Option<jiff::civil::Date>)> {
        let m = self.model;
        let latest = |ids: &[ForumId]| {
            ids.iter()
                .filter_map(|&f| dates::forum_updated(m.forum(f)))
                .max()
        };
        let route = job_route(m, job);
        let date = match job {
            Job::Home
            | Job::Forums
            | Job::Speakers
            | Job::Organizations
            | Job::Topics
            | Job::SeriesIndex => self.site_latest,
            Job::Year(y) => self
                .years
                .iter()
                .find(|(year, _)| *year == y)
                .and_then(|(_, ids)| latest(ids)),
            Job::Forum(id) => dates::forum_updated(m.forum(id)),
            Job::Speaker(id) => {
                let ids: Vec<ForumId> = m.speaker(id).appearances.iter().map(|(f, _)| *f).collect();
                latest(&ids)
            }
            Job::Organization(id) => latest(&m.organization(id).forums()),
            Job::Topic(id) => latest(&m.topic(id).forums),
            Job::Series(id) => latest(&m.series_of(id).forums),
            Job::Page(_) => None,
            Job::NotFound => return None,
        };
        Some((route, date))
    }

    /// Upcoming forums, soonest first; undated announcements last.
    fn upcoming(&self) -> Vec<ForumId> {
        self.model
            .forums
            .iter()
            .filter(|f| f.upcoming)
            .map(|f| f.id)
            .collect()
    }

    fn speaker_letters(&self) -> Vec<LetterGroup<'a>> {
        let mut speakers: Vec<&Speaker> = self.model.speakers.iter().collect();
        speakers.sort_by_cached_key(|s| sort_key(&s.name));
        let mut groups: Vec<LetterGroup> = Vec::new();
        for s in speakers {
            let letter = s
                .slug
                .chars()
                .next()
                .map(|c| c.to_ascii_uppercase())
                .unwrap_or('#');
            let letter = if letter.is_ascii_alphabetic() {
                letter.to_string()
            } else {
                "#".to_string()
            };
            let latest_title = s
                .appearances
                .iter()
                .rev()
                .find_map(|&(f, i)| self.model.forum(f).appearances[i].title.as_deref());
            let item = Counted {
                name: &s.name,
                href: self.urls.href(Route::Speaker(&s.slug)),
                count: s.appearances.len(),
                note: latest_title,
            };
            match groups.last_mut() {
                Some(g) if g.letter == letter => g.items.push(item),
                _ => groups.push(LetterGroup {
                    id: format!("letter-{}", letter.to_ascii_lowercase()),
                    letter,
                    items: vec![item],
                }),
            }
        }
        groups
    }

    fn organization_kinds(&self) -> Vec<KindGroup<'a>> {
        let mut orgs: Vec<&Organization> = self.model.organizations.iter().collect();
        orgs.sort_by(|a, b| {
            (a.kind.is_none(), a.kind, sort_key(&a.name)).cmp(&(
                b.kind.is_none(),
                b.kind,
                sort_key(&b.name),
            ))
        });
        let mut groups: Vec<KindGroup> = Vec::new();
        for o in orgs {
            let item = Counted {
                name: &o.name,
                href: self.urls.href(Route::Organization(&o.slug)),
                count: o.forums().len(),
                note: None,
            };
            match groups.last_mut() {
                Some(g) if g.kind == o.kind => g.items.push(item),
                _ => {
                    let (label, id) = kind_label(o.kind);
                    groups.push(KindGroup {
                        kind: o.kind,
                        label,
                        id,
                        items: vec![item],
                    })
                }
            }
        }
        groups
    }
}

fn kind_label(kind: Option<OrganizationKind>) -> (&'static str, &'static str) {
    match kind {
        Some(OrganizationKind::Government) => ("Government bodies", "government"),
        Some(OrganizationKind::Ngo) => ("Non-governmental organizations", "ngo"),
        Some(OrganizationKind::Foundation) => ("Foundations", "foundation"),
        Some(OrganizationKind::Company) => ("Companies", "company"),
        Some(OrganizationKind::International) => ("International organizations", "international"),
        Some(OrganizationKind::Media) => ("Media", "media"),
        Some(OrganizationKind::Academic) => ("Universities and research", "academic"),
        Some(OrganizationKind::Other) => ("Other organizations", "other"),
        None => ("Not yet classified", "unclassified"),
    }
}

/// Sort names the way a reader expects: by their transliteration, ignoring case.
fn sort_key(name: &str) -> String {
    slug::slugify(name)
}

fn speaker_description(v: &SpeakerView) -> String {
    let role = v.latest_title.map(|t| format!(", {t}")).unwrap_or_default();
    format!(
        "{}{role}: {} appearances at forums.",
        v.name, v.appearance_count
    )
}

fn value<T: Serialize>(data: &T) -> Result<tera::Value, Diagnostic> {
    tera::Value::try_from_serializable(data)
        .map_err(|e| Diagnostic::error(format!("cannot prepare a page for its template: {e}")))
}

#[derive(Serialize)]
struct HomeData<'a> {
    intro: &'a str,
    upcoming: Vec<Shared>,
    latest: Vec<Shared>,
}

#[derive(Serialize)]
struct ForumsData {
    upcoming: Vec<Shared>,
    years: Vec<YearSummary>,
}

#[derive(Serialize)]
struct YearLink {
    year: i16,
    href: String,
}

#[derive(Serialize)]
struct YearData {
    year: i16,
    count: usize,
    forums: Vec<Shared>,
    forums_href: String,
    newer: Option<YearLink>,
    older: Option<YearLink>,
}

#[derive(Serialize)]
struct SpeakersData<'a> {
    letters: Vec<LetterGroup<'a>>,
}

#[derive(Serialize)]
struct OrganizationsData<'a> {
    kinds: Vec<KindGroup<'a>>,
}

#[derive(Serialize)]
struct TermsData<'a> {
    items: Vec<Counted<'a>>,
}

#[derive(Serialize)]
struct TermData<'a> {
    name: &'a str,
    slug: &'a str,
    href: String,
    count: usize,
    years: Vec<YearGroup<Shared>>,
}

#[derive(Serialize)]
struct InfoData<'a> {
    title: &'a str,
    body: &'a str,
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct NotFoundData {
    forums: String,
    home: String,
}
