//! Pages: one `Job` per page of the site, and the `PageRenderer` that turns a job into its
//! view, its template context and its HTML. Kept apart from `render_site` (which decides what
//! to render and where it goes) so each page kind's data is in one place.

use super::markdown::LinkIndex;
use super::paginate;
use super::routes::{FeedOwner, Listed, Route, Urls};
use super::theme::{self, Theme};
use super::views::*;
use super::{Bodies, dates, structured};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::write::{Contents, OutputFile};
use serde::Serialize;

/// A page ready for its template: its address, the template, what its head shows, its data,
/// and what it is made from (for messages).
type Prepared<'a> = (Route<'a>, &'static str, PageMeta, Data<'a>, String);

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
    /// The search page (when the theme has `search.html`).
    Search,
    /// Page 2, 3, ... of a long list (page 1 is the entity's own job).
    More(Listing, u16),
}

/// An entity page whose list of forums may run over several pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Listing {
    /// The forums index, whose upcoming forums may be many.
    Forums,
    /// The speakers' A-Z index.
    Speakers,
    /// The organizations' index, by kind.
    Organizations,
    Topics,
    SeriesIndex,
    Year(i16),
    Speaker(SpeakerId),
    Organization(OrganizationId),
    Topic(TopicId),
    Series(SeriesId),
}

impl Listing {
    /// The job of the list's first page.
    pub(super) fn job(self) -> Job {
        match self {
            Listing::Forums => Job::Forums,
            Listing::Speakers => Job::Speakers,
            Listing::Organizations => Job::Organizations,
            Listing::Topics => Job::Topics,
            Listing::SeriesIndex => Job::SeriesIndex,
            Listing::Year(y) => Job::Year(y),
            Listing::Speaker(id) => Job::Speaker(id),
            Listing::Organization(id) => Job::Organization(id),
            Listing::Topic(id) => Job::Topic(id),
            Listing::Series(id) => Job::Series(id),
        }
    }

    fn listed(self, m: &Model) -> Listed<'_> {
        match self {
            Listing::Forums => Listed::Forums,
            Listing::Speakers => Listed::Speakers,
            Listing::Organizations => Listed::Organizations,
            Listing::Topics => Listed::Topics,
            Listing::SeriesIndex => Listed::SeriesIndex,
            Listing::Year(y) => Listed::Year(y),
            Listing::Speaker(id) => Listed::Speaker(&m.speaker(id).slug),
            Listing::Organization(id) => Listed::Organization(&m.organization(id).slug),
            Listing::Topic(id) => Listed::Topic(&m.topic(id).slug),
            Listing::Series(id) => Listed::Series(&m.series_of(id).slug),
        }
    }

    /// How many items its list has: forums, or a speaker's appearances; for an
    /// organization, the longest of its three lists (organized, partnered, spoken at).
    fn len(self, m: &Model, years: &[(i16, Vec<ForumId>)]) -> usize {
        match self {
            Listing::Forums => m.forums.iter().filter(|f| f.upcoming).count(),
            Listing::Speakers => m.speakers.iter().filter(|s| s.listed).count(),
            Listing::Organizations => m.organizations.len(),
            Listing::Topics => m.topics.len(),
            Listing::SeriesIndex => m.series.len(),
            Listing::Year(y) => years
                .iter()
                .find(|(year, _)| *year == y)
                .map_or(0, |(_, ids)| ids.len()),
            Listing::Speaker(id) => m.speaker(id).appearances.len(),
            Listing::Organization(id) => {
                let o = m.organization(id);
                o.organized
                    .len()
                    .max(o.partnered.len())
                    .max(spoke_at_forums(o))
            }
            Listing::Topic(id) => m.topic(id).forums.len(),
            Listing::Series(id) => m.series_of(id).forums.len(),
        }
    }

    /// How many items a page of it shows: `paginate:` forums, or ten times as many names in
    /// the indexes of speakers, organizations, topics and series (a name is a tenth of a
    /// forum's lines).
    pub(super) fn per_page(self, m: &Model) -> usize {
        match self {
            Listing::Speakers | Listing::Organizations | Listing::Topics | Listing::SeriesIndex => {
                m.site.paginate * 10
            }
            _ => m.site.paginate,
        }
    }

    /// How many pages its list takes.
    pub(super) fn pages(self, m: &Model, years: &[(i16, Vec<ForumId>)]) -> usize {
        paginate::page_count(self.len(m, years), self.per_page(m))
    }
}

/// Every page of a job: itself, and for a long list the pages after the first.
pub(super) fn with_more_pages(
    m: &Model,
    years: &[(i16, Vec<ForumId>)],
    job: Job,
) -> impl Iterator<Item = Job> {
    let more = job
        .listing()
        .filter(|&(_, page)| page == 1)
        .map_or(0, |(l, _)| l.pages(m, years).saturating_sub(1));
    std::iter::once(job).chain((0..more).filter_map(move |i| {
        let (l, _) = job.listing()?;
        Some(Job::More(l, u16::try_from(i + 2).unwrap_or(u16::MAX)))
    }))
}

/// How many of the latest forums of a year the forums index shows (the year page has all).
const LATEST_PER_YEAR: usize = 5;
/// How many upcoming and latest forums the home page shows.
const HOME_LIST: usize = 10;

/// Renders one page at a time; shared, read-only, by every rendering thread.
pub(super) struct PageRenderer<'a> {
    pub(super) model: &'a Model,
    pub(super) theme: &'a Theme,
    pub(super) urls: &'a Urls,
    pub(super) locale: &'a crate::i18n::Locale,
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
    /// The fingerprint and sitemap date of each long list's first page, which its later
    /// pages share: made once, not once per page (a busy organization has dozens).
    pub(super) first_pages: std::sync::Mutex<FirstPages>,
    /// The words of the reports rendered, for the search index (`crate::search`).
    pub(super) search_texts: &'a std::sync::Mutex<crate::search::Texts>,
    /// The structure digest every fingerprint starts from (`Context::base`).
    pub(super) base: u64,
    /// What each forum and name shows, for fingerprints.
    pub(super) shown: &'a super::fingerprint::Shown,
    /// The speakers' index (`speaker_letters`), made once.
    pub(super) speaker_letters: std::sync::OnceLock<Vec<LetterGroup<'a>>>,
}

#[derive(Default)]
pub(super) struct FirstPages {
    fingerprints: std::collections::HashMap<(Listing, u64), Option<u64>>,
    dates: std::collections::HashMap<Listing, Option<jiff::civil::Date>>,
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
        Job::Search => Route::Search,
        Job::More(l, n) => paginate::route(l.listed(m), n.into()),
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
        Job::Search => "search.html",
        Job::More(l, _) => job_template(l.job()),
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
            (More(a, n), More(b, m)) => a == b && n == m,
            _ => std::mem::discriminant(&self) == std::mem::discriminant(&other),
        }
    }

    /// The list this job shows and which page of it, for the jobs whose list may be long.
    pub(super) fn listing(self) -> Option<(Listing, usize)> {
        let first = |l| Some((l, 1));
        match self {
            Job::Forums => first(Listing::Forums),
            Job::Speakers => first(Listing::Speakers),
            Job::Organizations => first(Listing::Organizations),
            Job::Topics => first(Listing::Topics),
            Job::SeriesIndex => first(Listing::SeriesIndex),
            Job::Year(y) => first(Listing::Year(y)),
            Job::Speaker(id) => first(Listing::Speaker(id)),
            Job::Organization(id) => first(Listing::Organization(id)),
            Job::Topic(id) => first(Listing::Topic(id)),
            Job::Series(id) => first(Listing::Series(id)),
            Job::More(l, n) => Some((l, n.into())),
            _ => None,
        }
    }

    /// The job of this page's entity (its first page).
    pub(super) fn first_page(self) -> Job {
        match self {
            Job::More(l, _) => l.job(),
            job => job,
        }
    }
}

impl<'a> PageRenderer<'a> {
    /// The warnings found so far (broken links in report bodies), taken out.
    pub(super) fn take_warnings(&self) -> Diagnostics {
        std::mem::take(&mut *self.warnings.lock().unwrap_or_else(|p| p.into_inner()))
    }

    pub(super) fn render(&self, job: Job) -> Result<OutputFile<'static>, Diagnostic> {
        let (route, template, mut meta, data, origin) = self.prepare(job)?;
        debug_assert_eq!(
            template,
            job_template(job),
            "the fingerprint uses the template"
        );
        let later_page = matches!(job, Job::More(..));
        self.decorate(job.first_page(), later_page, &mut meta, &data);
        let languages = super::languages::page_languages(self.model, self.urls, self.locale, job);
        if let Some(canonical) = languages.canonical {
            meta.url = canonical;
        }
        meta.languages = languages.languages;
        meta.alternates = languages.alternates;
        meta.fallback_lang = languages.fallback_lang;
        if !matches!(job, Job::More(..)) {
            meta.chart = match job {
                Job::Forums => super::charts::forums_per_year(self.model, self.locale),
                Job::Organizations => {
                    super::charts::organizations_by_forums(self.model, self.locale)
                }
                Job::Topics => super::charts::topics_over_time(self.model, self.locale),
                Job::Speaker(id) => super::charts::speaker_per_year(self.model, id, self.locale),
                _ => None,
            };
        }
        let mut ctx = tera::Context::new();
        ctx.insert("lang", &self.locale.lang);
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
        // Into a buffer the size of a usual page, rather than `render`'s String: that one
        // starts at the template's own size and grows three or four times over a forum's
        // page, then is checked for UTF-8 once more (Tera writes only `str`s).
        let mut html = Vec::with_capacity(PAGE_BUFFER);
        self.theme
            .tera
            .render_to(template, &ctx, &mut html)
            .map_err(|e| {
                theme::template_error(&e, &self.theme.template_origin, Some(&meta.href))
            })?;
        Ok(OutputFile {
            path: route.output_file(),
            contents: Contents::Bytes(html),
            origin,
        })
    }

    fn prepare(&self, job: Job) -> Result<Prepared<'a>, Diagnostic> {
        let listing = job.listing();
        let (route, template, mut meta, data, origin) = self.prepare_first(job)?;
        let Some((l, page)) = listing else {
            return Ok((route, template, meta, data, origin));
        };
        // A long list's page: its own address and title, and the pager.
        let m = self.model;
        let total = l.pages(m, self.years);
        meta.pager = paginate::pager(self.urls, l.listed(m), page, total);
        if page == 1 {
            return Ok((route, template, meta, data, origin));
        }
        let route = paginate::route(l.listed(m), page);
        meta.href = self.urls.href(route);
        meta.url = self.urls.permalink(route);
        let (page, total) = (page.to_string(), total.to_string());
        meta.title = self.locale.word_with(
            "title.page_of",
            &[("title", &meta.title), ("page", &page), ("total", &total)],
        );
        Ok((route, template, meta, data, origin))
    }

    /// The page of a job, with only the items of its list's page when it is a long list.
    fn prepare_first(&self, job: Job) -> Result<Prepared<'a>, Diagnostic> {
        let (page, per_page) = job
            .listing()
            .map_or((1, self.model.site.paginate), |(l, n)| {
                (n, l.per_page(self.model))
            });
        match job.first_page() {
            Job::Home => self.home_page(),
            Job::Forums => self.forums_page(page, per_page),
            Job::Year(year) => self.year_page(year, page, per_page),
            Job::Forum(id) => self.forum_page(id),
            Job::Speakers => self.speakers_page(page, per_page),
            Job::Speaker(id) => self.speaker_page(id, page, per_page),
            Job::Organizations => self.organizations_page(page, per_page),
            Job::Organization(id) => self.organization_page(id, page, per_page),
            Job::Topics | Job::SeriesIndex => self.terms_page(job.first_page(), page, per_page),
            Job::Topic(TopicId(i)) => self.term_page(true, i, page, per_page),
            Job::Series(SeriesId(i)) => self.term_page(false, i, page, per_page),
            Job::Page(i) => self.info_page(i),
            Job::NotFound => self.not_found_page(),
            Job::Search => self.search_page(),
            // `first_page` above made every job a first page.
            Job::More(l, _) => self.prepare_first(l.job()),
        }
    }

    /// What every page's head and frame show, before a page kind adds its own.
    fn meta(
        &self,
        route: Route,
        title: String,
        description: Option<String>,
        section: &'static str,
        kind: &'static str,
    ) -> PageMeta {
        PageMeta {
            title,
            description: description.or_else(|| self.model.site.description.clone()),
            href: self.urls.href(route),
            url: self.urls.permalink(route),
            section,
            kind,
            feed: None,
            calendar: None,
            image: None,
            image_width: None,
            image_height: None,
            image_card: false,
            chart: None,
            jsonld: None,
            pager: None,
            noindex: false,
            language_prefix: self.urls.language_prefix().to_string(),
            languages: Vec::new(),
            alternates: Vec::new(),
            fallback_lang: String::new(),
        }
    }

    /// The home page: what comes next and what happened last.
    fn home_page(&self) -> Result<Prepared<'a>, Diagnostic> {
        let m = self.model;
        let v = &self.views;
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
        Ok((
            Route::Home,
            "home.html",
            self.meta(Route::Home, m.site.title.clone(), None, "home", "home"),
            Data::Any("home", value(&data)?),
            "home page".into(),
        ))
    }

    /// The forums index: the upcoming forums (over pages) and, on the first page, the years.
    fn forums_page(&self, page: usize, per_page: usize) -> Result<Prepared<'a>, Diagnostic> {
        let m = self.model;
        let v = &self.views;
        let range = |len: usize| paginate::range(page, per_page, len);
        // The upcoming forums run over pages; the years are on the first.
        let all_upcoming = self.upcoming();
        let shown = range(all_upcoming.len());
        let upcoming: Vec<Shared> = all_upcoming[shown]
            .iter()
            .map(|&id| v.forum_item(id))
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
            .filter(|_| page == 1)
            .collect();
        let data = ForumsData { upcoming, years };
        Ok((
            Route::Forums,
            "forums.html",
            self.meta(
                Route::Forums,
                self.locale.word("title.forums"),
                None,
                "forums",
                "forums",
            ),
            Data::Any("forums", value(&data)?),
            "forums index".into(),
        ))
    }

    /// A year's forums, newest first, with links to the years around it.
    fn year_page(
        &self,
        year: i16,
        page: usize,
        per_page: usize,
    ) -> Result<Prepared<'a>, Diagnostic> {
        let v = &self.views;
        let range = |len: usize| paginate::range(page, per_page, len);
        let ids = self
            .years
            .iter()
            .find(|(y, _)| *y == year)
            .map(|(_, ids)| ids.as_slice())
            .unwrap_or_default();
        let shown = range(ids.len());
        let data = YearData {
            year,
            count: ids.len(),
            forums: ids
                .iter()
                .rev()
                .skip(shown.start)
                .take(shown.len())
                .map(|&id| v.forum_item(id))
                .collect(),
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
        Ok((
            route,
            "year.html",
            self.meta(
                route,
                self.locale
                    .word_with("title.year", &[("year", &year.to_string())]),
                None,
                "forums",
                "year",
            ),
            Data::Any("year", value(&data)?),
            format!("forums of {year}"),
        ))
    }

    /// A forum's page, with its report.
    fn forum_page(&self, id: ForumId) -> Result<Prepared<'a>, Diagnostic> {
        let m = self.model;
        let v = &self.views;
        let f = m.forum(id);
        let image = f
            .image
            .as_ref()
            .map(|i| self.file_url(i, &f.body.base_dir, &f.file, "image"));
        let picture = f
            .image
            .as_ref()
            .and_then(|i| self.picture(i, &f.body.base_dir));
        // Rendered here rather than up front: a report's body appears on its page only,
        // so holding every body's HTML at once would be memory for nothing.
        let (body, warnings) = self.report_body(f);
        // The search index is the default language's (see `render_site_wide_part`).
        if self.locale.is_default()
            && let Some(fp) = self.fingerprint(Job::Forum(f.id), self.base)
        {
            let words = crate::search::index::body_words(&body);
            self.search_texts
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .note(fp, words);
        }
        if !warnings.is_empty() {
            self.warnings
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .extend(warnings.into_iter().collect());
        }
        let mut view = v.forum(f, body, image);
        view.picture = picture;
        let route = Route::Forum(&f.path);
        let description = f.summary.clone();
        Ok((
            route,
            "forum.html",
            self.meta(route, f.title.clone(), description, "forums", "forum"),
            Data::Forum(view),
            f.file.display().to_string(),
        ))
    }

    /// The A-Z index of speakers, with every letter linked where its names are.
    fn speakers_page(&self, page: usize, per_page: usize) -> Result<Prepared<'a>, Diagnostic> {
        let range = |len: usize| paginate::range(page, per_page, len);
        let letters = self.speaker_letters();
        // Every letter, linked where its names start.
        let (links, before) = self.group_links(
            Listed::Speakers,
            per_page,
            letters.iter().map(|g| (g.id.as_str(), g.items.len())),
        );
        let index = letters
            .iter()
            .zip(links)
            .map(|(g, href)| IndexLetter {
                letter: g.letter.clone(),
                href,
                count: g.items.len(),
            })
            .collect();
        let data = SpeakersData {
            letters: paginate::slice_grouped(
                letters,
                range(before),
                |g| &g.items,
                |g, items| LetterGroup {
                    letter: g.letter.clone(),
                    id: g.id.clone(),
                    items,
                },
            ),
            index,
        };
        Ok((
            Route::Speakers,
            "speakers.html",
            self.meta(
                Route::Speakers,
                self.locale.word("title.speakers"),
                None,
                "speakers",
                "speakers",
            ),
            Data::Any("speakers", value(&data)?),
            "speakers index".into(),
        ))
    }

    /// A speaker's page: the profile on the first page, the appearances over all.
    fn speaker_page(
        &self,
        id: SpeakerId,
        page: usize,
        per_page: usize,
    ) -> Result<Prepared<'a>, Diagnostic> {
        let m = self.model;
        let v = &self.views;
        let range = |len: usize| paginate::range(page, per_page, len);
        let s = m.speaker(id);
        let photo = self.profile_file(
            s.photo.as_deref(),
            "speakers",
            s.profile.as_deref(),
            "photo",
        );
        let bio = self.bodies.speakers[id.index()].as_deref();
        let mut view = v.speaker(s, bio, photo, range(s.appearances.len()));
        view.picture = s.photo.as_ref().and_then(|p| self.picture(p, "speakers"));
        if page > 1 {
            // The profile is on the first page; the others continue its list.
            (view.bio, view.photo, view.links) = (None, None, &[]);
            view.picture = None;
        }
        let route = Route::Speaker(&s.slug);
        let description = Some(speaker_description(&view, self.locale));
        let origin = profile_origin(s.profile.as_deref(), "speaker", &s.name);
        let mut meta = self.meta(route, s.name.clone(), description, "speakers", "speaker");
        // Someone shown as initials: reached from their reports, never from a search
        // engine (docs/privacy.md).
        meta.noindex = !s.listed;
        Ok((route, "speaker.html", meta, Data::Speaker(view), origin))
    }

    /// The organizations index, by kind.
    fn organizations_page(&self, page: usize, per_page: usize) -> Result<Prepared<'a>, Diagnostic> {
        let kinds = self.organization_kinds();
        // Every kind, linked where its names start, as the speakers' index links its letters.
        let (links, before) = self.group_links(
            Listed::Organizations,
            per_page,
            kinds.iter().map(|g| (g.id, g.items.len())),
        );
        let index = kinds
            .iter()
            .zip(links)
            .map(|(g, href)| IndexKind {
                id: g.id,
                label: g.label.clone(),
                href,
                count: g.items.len(),
            })
            .collect();
        let data = OrganizationsData {
            kinds: paginate::slice_grouped(
                &kinds,
                paginate::range(page, per_page, before),
                |g| &g.items,
                |g, items| KindGroup {
                    kind: g.kind,
                    label: g.label.clone(),
                    id: g.id,
                    items,
                },
            ),
            index,
        };
        Ok((
            Route::Organizations,
            "organizations.html",
            self.meta(
                Route::Organizations,
                self.locale.word("title.organizations"),
                None,
                "organizations",
                "organizations",
            ),
            Data::Any("organizations", value(&data)?),
            "organizations index".into(),
        ))
    }

    /// An organization's page: the profile and people on the first page, the forums over all.
    fn organization_page(
        &self,
        id: OrganizationId,
        page: usize,
        per_page: usize,
    ) -> Result<Prepared<'a>, Diagnostic> {
        let m = self.model;
        let v = &self.views;
        let range = |len: usize| paginate::range(page, per_page, len);
        let o = m.organization(id);
        let logo = self.profile_file(
            o.logo.as_deref(),
            "organizations",
            o.profile.as_deref(),
            "logo",
        );
        let description = self.bodies.organizations[id.index()].as_deref();
        let mut view = v.organization(o, description, logo, &range, page == 1);
        view.picture = o
            .logo
            .as_ref()
            .and_then(|l| self.picture(l, "organizations"));
        if page > 1 {
            // The profile and its people are on the first page.
            (view.description, view.logo, view.links) = (None, None, &[]);
            view.picture = None;
            view.people.clear();
            view.unnamed_people = 0;
        }
        // Everyone who spoke for it, as the first page's heading counts them, on
        // every page (not the people a page lists).
        let people = o.people.len() + o.unnamed_people;
        let route = Route::Organization(&o.slug);
        let description = Some(self.locale.word_with(
            "meta.organization",
            &[
                ("name", &o.name),
                (
                    "forums",
                    &self.locale.count("meta.forums", view.forum_count),
                ),
                ("people", &self.locale.count("meta.people", people)),
            ],
        ));
        let origin = profile_origin(o.profile.as_deref(), "organization", &o.name);
        Ok((
            route,
            "organization.html",
            self.meta(
                route,
                o.name.clone(),
                description,
                "organizations",
                "organization",
            ),
            Data::Organization(view),
            origin,
        ))
    }

    /// The index of topics or of series.
    fn terms_page(
        &self,
        job: Job,
        page: usize,
        per_page: usize,
    ) -> Result<Prepared<'a>, Diagnostic> {
        let m = self.model;
        let (terms, route, title, section, kind): (
            &Vec<Term>,
            Route,
            &str,
            &'static str,
            &'static str,
        ) = match job {
            Job::Topics => (&m.topics, Route::Topics, "title.topics", "topics", "topics"),
            _ => (
                &m.series,
                Route::SeriesIndex,
                "title.series",
                "series",
                "series_index",
            ),
        };
        let untranslated = |i: usize| {
            if kind == "topics" {
                m.localized.topic(TopicId(i as u32))
            } else {
                m.localized.series(SeriesId(i as u32))
            }
        };
        let mut items: Vec<Counted> = terms
            .iter()
            .enumerate()
            .map(|(i, t)| Counted {
                name: &t.name,
                lang: if untranslated(i) {
                    self.locale.default_lang()
                } else {
                    ""
                },
                href: self.urls.href(if kind == "topics" {
                    Route::Topic(&t.slug)
                } else {
                    Route::Series(&t.slug)
                }),
                count: t.forums.len(),
                note: None,
                note_lang: "",
            })
            .collect();
        items.sort_by_cached_key(|t| sort_key(t.name));
        let shown = paginate::range(page, per_page, items.len());
        items.truncate(shown.end);
        items.drain(..shown.start);
        let data = TermsData { items };
        Ok((
            route,
            if kind == "topics" {
                "topics.html"
            } else {
                "series_index.html"
            },
            self.meta(route, title.into(), None, section, kind),
            Data::Any("terms", value(&data)?),
            format!("{section} index"),
        ))
    }

    /// A topic's or a series' page: its forums by year, newest first.
    fn term_page(
        &self,
        is_topic: bool,
        i: u32,
        page: usize,
        per_page: usize,
    ) -> Result<Prepared<'a>, Diagnostic> {
        let m = self.model;
        let v = &self.views;
        let range = |len: usize| paginate::range(page, per_page, len);
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
        let untranslated = if is_topic {
            m.localized.topic(TopicId(i))
        } else {
            m.localized.series(SeriesId(i))
        };
        let data = TermData {
            name: &t.name,
            lang: if untranslated {
                self.locale.default_lang()
            } else {
                ""
            },
            slug: &t.slug,
            href: self.urls.href(route),
            count: t.forums.len(),
            // Shown newest first: the page's slice counts from the end.
            years: {
                let shown = range(t.forums.len());
                let len = t.forums.len();
                v.forums_by_year(&t.forums[len - shown.end..len - shown.start])
            },
        };
        let (template, section, title) = if is_topic {
            (
                "topic.html",
                "topics",
                self.locale.word_with("title.topic", &[("name", &t.name)]),
            )
        } else {
            ("series.html", "series", t.name.clone())
        };
        Ok((
            route,
            template,
            self.meta(
                route,
                title,
                None,
                section,
                if is_topic { "topic" } else { "series" },
            ),
            Data::Any("term", value(&data)?),
            format!("{section} {}", t.name),
        ))
    }

    /// A plain page of `content/pages/`.
    fn info_page(&self, i: usize) -> Result<Prepared<'a>, Diagnostic> {
        let m = self.model;
        let p = &m.pages[i];
        let route = Route::Page(&p.path);
        let data = InfoData {
            title: &p.title,
            body: &self.bodies.pages[i],
            extra: &p.extra,
            langs: self.views.langs(m.localized.page(i)),
        };
        Ok((
            route,
            "page.html",
            self.meta(route, p.title.clone(), p.summary.clone(), "page", "page"),
            Data::Any("info", value(&data)?),
            p.file.display().to_string(),
        ))
    }

    /// The page shown for an address the site does not have.
    fn not_found_page(&self) -> Result<Prepared<'a>, Diagnostic> {
        Ok((
            Route::NotFound,
            "404.html",
            self.meta(
                Route::NotFound,
                self.locale.word("title.not_found"),
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
        ))
    }

    /// The search page, with where its index and scripts are.
    fn search_page(&self) -> Result<Prepared<'a>, Diagnostic> {
        Ok((
            Route::Search,
            "search.html",
            self.meta(
                Route::Search,
                self.locale.word("title.search"),
                None,
                "search",
                "search",
            ),
            Data::Any(
                "search",
                value(&SearchPageData {
                    index: self.urls.href(Route::SearchData("")),
                    speakers: self.urls.href(Route::Speakers),
                    organizations: self.urls.href(Route::Organizations),
                    forums: self.urls.href(Route::Forums),
                    script: self.urls.href(Route::File("search.js")),
                    fold_script: self.urls.href(Route::File("search-fold.js")),
                })?,
            ),
            "search page".into(),
        ))
    }

    /// The address of a file a profile names under `key` (a photo, a logo), resolved as the
    /// profile in `section` would resolve it (a speaker or organization without a profile
    /// file, named in reports only, resolves from the section's folder).
    fn profile_file(
        &self,
        url: Option<&str>,
        section: &str,
        profile: Option<&std::path::Path>,
        key: &str,
    ) -> Option<String> {
        let url = url?;
        let folder = std::path::Path::new("content").join(section);
        Some(self.file_url(url, section, profile.unwrap_or(&folder), key))
    }

    /// The processed image named in front matter, if it is one.
    fn processed(&self, url: &str, base_dir: &str) -> Option<&crate::images::Picture> {
        super::markdown::asset_path(url, base_dir).and_then(|p| self.links.gallery.picture(&p))
    }

    /// The `<picture>` of an image named in front matter, if Podium processed it.
    fn picture(&self, url: &str, base_dir: &str) -> Option<super::pictures::PictureView> {
        self.processed(url, base_dir)
            .map(|p| super::pictures::PictureView::new(p, self.urls.base_path()))
    }

    /// The URL of a file named in front matter (`image:`, `photo:`, `logo:`): for an image
    /// Podium processed, its widest fallback; a file that does not exist is a warning at the
    /// front-matter file.
    fn file_url(&self, url: &str, base_dir: &str, file: &std::path::Path, key: &str) -> String {
        if let Some(p) = self.processed(url, base_dir) {
            let path = super::routes::file_url_path(&p.largest().path);
            return format!("{}{path}", self.urls.base_path());
        }
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
    /// have them. The structured data is the first page's only (`later_page`: a later page
    /// of a long list) and is not made for the others (for a busy speaker, making it for
    /// each of their pages was quadratic).
    fn decorate(&self, job: Job, later_page: bool, meta: &mut PageMeta, data: &Data) {
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
                if let Some(card) = f
                    .image
                    .as_deref()
                    .and_then(|i| self.processed(i, &f.body.base_dir))
                    .and_then(|p| p.card.as_ref())
                {
                    meta.image = Some(absolute(&format!(
                        "{}{}",
                        urls.base_path(),
                        super::routes::file_url_path(&card.path)
                    )));
                    (meta.image_width, meta.image_height) = (Some(card.width), Some(card.height));
                    meta.image_card = true;
                }
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
                if let Some(p) = &view.picture {
                    (meta.image_width, meta.image_height) = (Some(p.width), Some(p.height));
                }
                if !later_page {
                    meta.jsonld = Some(structured::person(
                        m,
                        urls,
                        s,
                        view.latest_title,
                        meta.image.as_deref(),
                    ));
                }
            }
            (Job::Organization(id), Data::Organization(view)) => {
                let o = m.organization(id);
                meta.feed = feed(FeedOwner::Organization(&o.slug));
                meta.image = view.logo.as_deref().map(absolute);
                if let Some(p) = &view.picture {
                    (meta.image_width, meta.image_height) = (Some(p.width), Some(p.height));
                }
                if !later_page {
                    meta.jsonld = Some(structured::organization(m, urls, o, meta.image.as_deref()));
                }
            }
            (Job::Topic(id), _) => meta.feed = feed(FeedOwner::Topic(&m.topic(id).slug)),
            (Job::Series(id), _) => meta.feed = feed(FeedOwner::Series(&m.series_of(id).slug)),
            _ => {}
        }
        if meta.image.is_none()
            && let Some(card) = m
                .site
                .image
                .as_deref()
                .and_then(|i| self.processed(i, ""))
                .and_then(|p| p.card.as_ref())
        {
            meta.image = Some(absolute(&format!(
                "{}{}",
                urls.base_path(),
                super::routes::file_url_path(&card.path)
            )));
            (meta.image_width, meta.image_height) = (Some(card.width), Some(card.height));
            meta.image_card = true;
        }
        self.decorate_connections(job, meta);
    }
    /// The fingerprint (with `base`) of a long list's first page, made once.
    pub(super) fn first_fingerprint(&self, l: Listing, base: u64) -> Option<u64> {
        let memo = || self.first_pages.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(&known) = memo().fingerprints.get(&(l, base)) {
            return known;
        }
        let made = self.fingerprint(l.job(), base);
        memo().fingerprints.insert((l, base), made);
        made
    }

    /// The sitemap date of a long list's first page, made once.
    fn first_date(&self, l: Listing) -> Option<jiff::civil::Date> {
        let memo = || self.first_pages.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(&known) = memo().dates.get(&l) {
            return known;
        }
        let made = self.sitemap_entry(l.job()).and_then(|(_, date)| date);
        memo().dates.insert(l, made);
        made
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
        if let Job::Speaker(id) = job
            && !m.speaker(id).listed
        {
            return None;
        }
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
            Job::Search => None,
            Job::More(l, _) => self.first_date(l),
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

    /// Where each group of an index that runs over pages starts (`groups`: each one's
    /// anchor and how many items it has, in order): the address of the page its first item
    /// is on, with the anchor. Also the number of items in all.
    fn group_links<'g>(
        &self,
        listed: Listed<'_>,
        per_page: usize,
        groups: impl Iterator<Item = (&'g str, usize)>,
    ) -> (Vec<String>, usize) {
        let mut before = 0;
        let links = groups
            .map(|(id, len)| {
                let on = before / per_page + 1;
                before += len;
                format!("{}#{id}", self.urls.href(paginate::route(listed, on)))
            })
            .collect();
        (links, before)
    }

    /// Every listed speaker, by name, under the letter the name starts with: made once and
    /// shared by the pages of the speakers' index (at 100,000 reports, 20,000 names over
    /// dozens of pages).
    fn speaker_letters(&self) -> &[LetterGroup<'a>] {
        self.speaker_letters
            .get_or_init(|| self.make_speaker_letters())
    }

    fn make_speaker_letters(&self) -> Vec<LetterGroup<'a>> {
        let mut speakers: Vec<&Speaker> = self.model.speakers.iter().filter(|s| s.listed).collect();
        // In Azerbaijani or Turkish, `Ildırım` starts with the letter `I`, which comes
        // before `İlham`'s `İ`: two letters the slugs (both `i…`) do not tell apart.
        let turkic = crate::i18n::turkic_i(&self.locale.lang);
        let dotless = |s: &Speaker| turkic && s.name.trim_start().starts_with(['I', 'ı']);
        speakers.sort_by_cached_key(|s| {
            let key = sort_key(&s.name);
            (key.as_bytes().first().copied(), !dotless(s), key)
        });
        let mut groups: Vec<LetterGroup> = Vec::new();
        for s in speakers {
            // Grouped by the slug's first letter, shown in the page's language's capitals
            // (`i` is `İ` on an Azerbaijani page).
            let letter = match s.slug.chars().next() {
                Some(_) if dotless(s) => "I".to_string(),
                Some(c) if c.is_ascii_alphabetic() => self.locale.upper(&c.to_string()),
                _ => "#".to_string(),
            };
            let latest = s
                .appearances
                .iter()
                .rev()
                .map(|&(f, i)| &self.model.forum(f).appearances[i])
                .find(|a| a.title.is_some());
            let item = Counted {
                name: &s.name,
                lang: "",
                href: self.urls.href(Route::Speaker(&s.slug)),
                count: s.appearances.len(),
                note: latest.and_then(|a| a.title.as_deref()),
                note_lang: match latest {
                    Some(a) if a.untranslated => self.locale.default_lang(),
                    _ => "",
                },
            };
            match groups.last_mut() {
                Some(g) if g.letter == letter => g.items.push(item),
                _ => groups.push(LetterGroup {
                    // The id is a URL fragment: `#letter-#` is not a valid one, so names that
                    // start with a digit or a symbol share `letter-other`.
                    id: match s.slug.chars().next() {
                        Some(_) if dotless(s) => "letter-dotless-i".to_string(),
                        Some(c) if c.is_ascii_alphabetic() => format!("letter-{c}"),
                        _ => "letter-other".to_string(),
                    },
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
                lang: if self.model.localized.organization(o.id).name {
                    self.locale.default_lang()
                } else {
                    ""
                },
                href: self.urls.href(Route::Organization(&o.slug)),
                count: o.forums().len(),
                note: None,
                note_lang: "",
            };
            match groups.last_mut() {
                Some(g) if g.kind == o.kind => g.items.push(item),
                _ => {
                    let (key, id) = kind_label(o.kind);
                    groups.push(KindGroup {
                        kind: o.kind,
                        label: self.locale.word(key),
                        id,
                        items: vec![item],
                    })
                }
            }
        }
        groups
    }
}

/// The catalog key of a kind's heading on the organizations index, and its anchor.
/// What a speaker's or organization's page is made from, for messages: its profile file,
/// or the name the reports give it.
fn profile_origin(profile: Option<&std::path::Path>, what: &str, name: &str) -> String {
    profile.map_or_else(|| format!("{what} {name}"), |p| p.display().to_string())
}

fn kind_label(kind: Option<OrganizationKind>) -> (&'static str, &'static str) {
    match kind {
        Some(OrganizationKind::Government) => ("kinds.government", "government"),
        Some(OrganizationKind::Ngo) => ("kinds.ngo", "ngo"),
        Some(OrganizationKind::Foundation) => ("kinds.foundation", "foundation"),
        Some(OrganizationKind::Company) => ("kinds.company", "company"),
        Some(OrganizationKind::International) => ("kinds.international", "international"),
        Some(OrganizationKind::Media) => ("kinds.media", "media"),
        Some(OrganizationKind::Academic) => ("kinds.academic", "academic"),
        Some(OrganizationKind::Other) => ("kinds.other", "other"),
        None => ("kinds.unclassified", "unclassified"),
    }
}

/// Sort names the way a reader expects: by their transliteration, ignoring case.
fn sort_key(name: &str) -> String {
    slug::slugify(name)
}

/// `Aygun Aliyeva, Executive Director: 3 appearances at forums.`
fn speaker_description(v: &SpeakerView, locale: &crate::i18n::Locale) -> String {
    let role = v.latest_title.map(|t| format!(", {t}")).unwrap_or_default();
    let count = locale.count("meta.appearances", v.appearance_count);
    locale.word_with(
        "meta.speaker",
        &[
            ("name", &format!("{}{role}", v.name)),
            ("appearances", &count),
        ],
    )
}

/// The first size of a page's buffer: most pages of the default theme are 10-40 kB.
const PAGE_BUFFER: usize = 32 * 1024;

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
struct IndexLetter {
    letter: String,
    href: String,
    count: usize,
}

#[derive(Serialize)]
struct SpeakersData<'a> {
    /// Every letter with a link to where its names are.
    index: Vec<IndexLetter>,
    letters: Vec<LetterGroup<'a>>,
}

#[derive(Serialize)]
struct OrganizationsData<'a> {
    /// The kinds this page shows, with their organizations on it.
    kinds: Vec<KindGroup<'a>>,
    /// Every kind with a link to where its organizations are.
    index: Vec<IndexKind>,
}

#[derive(Serialize)]
struct IndexKind {
    id: &'static str,
    label: String,
    href: String,
    count: usize,
}

#[derive(Serialize)]
struct TermsData<'a> {
    items: Vec<Counted<'a>>,
}

#[derive(Serialize)]
struct TermData<'a> {
    name: &'a str,
    /// The name's language when untranslated, else `""`.
    lang: &'a str,
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
    langs: super::views::TextLangs<'a>,
}

/// What the search page needs: where the index is, the scripts, and the A-Z indexes it
/// offers readers without JavaScript.
#[derive(Serialize)]
struct SearchPageData {
    index: String,
    speakers: String,
    organizations: String,
    forums: String,
    script: String,
    fold_script: String,
}

#[derive(Serialize)]
struct NotFoundData {
    forums: String,
    home: String,
}
