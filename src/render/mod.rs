//! Stage 3, `render`: turn the model into the files of the site.
//!
//! What every page needs (link targets, the profile and page texts in HTML (they need every
//! URL, for `@/` links), shared list items, the structure digest) is made once into a
//! `Context`; then every page is rendered through the theme's templates in parallel. A
//! page's template context is made of borrowed views (see `views`), never a copy of the site.
//! Output does not depend on thread timing.
//!
//! `render_site` makes everything at once (`build`, `check`). The parts it is made of are
//! public for `serve`, which makes them in steps and keeps the `Context` between saves:
//! entity pages (`render_entity_pages_in`, by slice; `render_forum_page` and
//! `render_forum_mentions` after one report changed), other files, and the site-wide files
//! (`render_site_wide_part`). Every entity page has a fingerprint (see `fingerprint`)
//! so a page whose inputs did not change can be kept.

pub mod api;
pub mod calendar;
pub mod charts;
pub mod connections;
pub mod dates;
pub mod feeds;
pub mod filters;
pub(crate) mod fingerprint;
pub mod languages;
pub mod markdown;
mod pages;
pub mod paginate;
pub mod pictures;
pub mod routes;
pub mod sitemap;
pub mod structured;
pub mod theme;
pub mod views;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::write::{Contents, OutputFile};
use markdown::LinkIndex;
use pages::{Job, PageRenderer, job_route};
use rayon::prelude::*;
use routes::{FeedOwner, Route, Urls};
use serde::Serialize;
use std::collections::HashSet;
use theme::{Theme, ThemeFile};
use views::{NavLink, SiteCounts, SiteView, Views};

/// How many pages of each kind a build made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct PageCounts {
    pub forums: usize,
    pub speakers: usize,
    pub organizations: usize,
    pub topics: usize,
    pub series: usize,
    /// Home, indexes, year archives, plain pages, redirects, 404.
    pub other: usize,
}

impl PageCounts {
    pub fn total(&self) -> usize {
        self.forums + self.speakers + self.organizations + self.topics + self.series + self.other
    }
}

/// What rendering made, besides the files it sent to the sink.
#[derive(Debug)]
pub struct Rendered {
    pub counts: PageCounts,
    pub warnings: Diagnostics,
    /// Some of `warnings` were found while making pages, which a build that keeps those
    /// pages would not find again (the others, about profiles, plain pages and quotes, are
    /// found on every build).
    pub pages_warned: bool,
    /// Output path -> fingerprint of every page that has one (see `PageRenderer::fingerprint`).
    pub fingerprints: crate::write::Fingerprints,
    /// Pages not rendered because their fingerprint matched: the caller still has them.
    pub reused: Vec<String>,
}

/// The images of a site: what `images::process` made.
pub type Gallery = std::sync::Arc<crate::images::Gallery>;

/// The HTML of every Markdown text of the site, rendered once.
pub(super) struct Bodies {
    pub(super) speakers: Vec<Option<String>>,
    pub(super) organizations: Vec<Option<String>>,
    pub(super) pages: Vec<String>,
    pub(super) intro: String,
}

/// A page or feed that has a fingerprint: its path, the fingerprint, and whether it was kept
/// from the previous build rather than made.
type Made = (String, u64, bool);

/// Whether the caller still has the file at this path as made with this fingerprint (then
/// it is not made again).
pub type Keep<'k> = &'k (dyn Fn(&str, u64) -> bool + Sync);

/// What the caller still has of the previous output, for the site-wide parts, whose files
/// are only known once made.
pub struct PreviousOutput<'r> {
    /// The files made with this fingerprint, if it still has every one of them as made
    /// (then they are not made again).
    pub made_with: &'r (dyn Fn(u64) -> Option<Vec<String>> + Sync),
    /// The bytes of the file at this path, if it still has it as made (the search index is
    /// patched from its files, see `crate::search::patch`).
    pub read: &'r (dyn Fn(&str) -> Option<Vec<u8>> + Sync),
}

impl PreviousOutput<'_> {
    /// Nothing: every part is made.
    pub const NONE: PreviousOutput<'static> = PreviousOutput {
        made_with: &|_| None,
        read: &|_| None,
    };
}

/// See `PreviousOutput`.
pub type Reuse<'r> = &'r PreviousOutput<'r>;

/// Where rendered files go: a writer, or (for `check`) a collision check.
pub type Sink<'s> = &'s (dyn Fn(OutputFile<'_>) + Sync);

/// What every page needs besides its own entity: addresses, link targets, the rendered
/// profile and page texts, shared list items, the site's settings as a template value and the
/// digest of its structure. Made once per model; `serve` keeps it between saves and, when a
/// report changed alone (`model::update_report`), refreshes only that forum's part.
pub struct Context {
    /// The language this context renders in.
    locale: crate::i18n::Locale,
    urls: Urls,
    links: LinkIndex,
    bodies: Bodies,
    cache: views::Cache,
    years: Vec<(i16, Vec<ForumId>)>,
    site: tera::Value,
    /// See `fingerprint::structure_digest`.
    base: u64,
    /// What each forum and name shows, for fingerprints.
    shown: fingerprint::Shown,
    /// Problems found in the profile and page texts.
    warnings: Diagnostics,
    /// The API's serialized records, when kept between builds (`keep_api_records`).
    api_records: std::sync::Mutex<Option<api::Records>>,
    /// Quotes, related forums, careers, co-appearances (see `crate::connections`).
    connections: crate::connections::Connections,
    /// Every dated forum's calendar event, shared by the calendars that list it.
    events: calendar::Events,
    /// The words of each report's rendered text, for the search index (kept between `serve`
    /// rebuilds, made again for a changed report).
    search_texts: std::sync::Mutex<crate::search::Texts>,
    /// Forums whose related forums changed since this context was made (`serve`): their
    /// pages are among the pages that mention a changed forum.
    related_moved: Vec<ForumId>,
}

impl Context {
    /// The context of `model` in `locale`'s language (`model` is `i18n::localize`d to it).
    pub fn new(
        model: &Model,
        gallery: Gallery,
        locale: crate::i18n::Locale,
        drawn: Option<crate::connections::Drawn>,
    ) -> Result<Context, Diagnostics> {
        let urls =
            Urls::new(&model.site.base_url, &model.site.base_path).in_language(&locale.prefix());
        let digest = gallery.digest;
        // The connections need only the model: they are found beside the rest, which has
        // stretches that run on one thread.
        let (connections, (links, bodies, names, events, cache, warnings)) = rayon::join(
            || crate::connections::Connections::reusing(model, drawn),
            || {
                let links = link_index(model, &urls, gallery);
                let mut warnings = Diagnostics::new();
                let bodies = render_bodies(model, &links, &mut warnings);
                let names = fingerprint::Names::new(model, &links);
                let events = calendar::Events::new(model, &urls);
                let cache = views::Cache::new(model);
                (links, bodies, names, events, cache, warnings)
            },
        );
        // Quotes that name none of their report's speakers are found for every report on
        // every build: they are the context's warnings, not a page's.
        let mut warnings = warnings;
        warnings.extend(connections.unattributed.iter().flatten().cloned().collect());
        Ok(Context {
            shown: names.with_quotes(model, &connections),
            events,
            cache,
            years: forum_years(model),
            site: site_value(model, &urls, &locale)?,
            base: fingerprint::structure_digest(model) ^ digest ^ crate::load::digest(&locale.lang),
            locale,
            urls,
            links,
            bodies,
            warnings,
            api_records: Default::default(),
            search_texts: Default::default(),
            connections,
            related_moved: Vec::new(),
        })
    }

    /// Keep the API's serialized records from one build to the next (`serve`): after a
    /// report changed in place only its records are made again.
    pub fn keep_api_records(&mut self) {
        *self
            .api_records
            .get_mut()
            .unwrap_or_else(|p| p.into_inner()) = Some(api::Records::default());
    }

    /// Take in a forum that `model::update_report` replaced.
    pub fn forum_changed(&mut self, model: &Model, id: ForumId) {
        self.cache.refresh_forum(id);
        self.events.refresh(id);
        // A new city or date can change other forums' related forums.
        let related = self.connections.forum_changed(model, id);
        self.shown.forum_changed(model, id, &self.connections);
        for &r in &related {
            if !self.related_moved.contains(&r) {
                self.related_moved.push(r);
            }
        }
        let records = self
            .api_records
            .get_mut()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(records) = records {
            records.forum_changed(model, id);
            for other in related {
                records.forum_changed(model, other);
            }
        }
    }

    /// Take in a forum that `model::insert_report` put at `id` (every later forum's id moved
    /// up by one). Returns `false` when the new report's quotes name nobody: a warning that
    /// belongs in the context's warnings, which only `Context::new` gathers; this context is
    /// then not to be used.
    pub fn forum_inserted(&mut self, model: &Model, id: ForumId) -> bool {
        let f = model.forum(id);
        let href = self.urls.href(Route::Forum(&f.path));
        let keys = [content_key(&f.file), format!("forums/{}", f.path)];
        for key in &keys {
            // A key another page has would change what an old link means: a full build.
            if self.links.pages.contains_key(key) {
                return false;
            }
        }
        for key in &keys {
            self.links.pages.insert(key.clone(), href.clone());
        }
        self.cache.insert_forum(id);
        self.events.insert(id);
        let moved = self.connections.forum_inserted(model, id);
        if !self.connections.unattributed(id).is_empty() {
            return false;
        }
        for r in &mut self.related_moved {
            if *r >= id {
                r.0 += 1;
            }
        }
        for r in moved {
            if !self.related_moved.contains(&r) {
                self.related_moved.push(r);
            }
        }
        let added: Vec<(&String, &String)> = keys.iter().map(|k| (k, &href)).collect();
        self.shown
            .forum_inserted(model, id, &added, &self.connections);
        self.years = forum_years(model);
        // The counts changed.
        match site_value(model, &self.urls, &self.locale) {
            Ok(site) => self.site = site,
            Err(_) => return false,
        }
        // The API's records are numbered by forum: all are made again.
        let records = self
            .api_records
            .get_mut()
            .unwrap_or_else(|p| p.into_inner());
        if records.is_some() {
            *records = Some(api::Records::default());
        }
        true
    }

    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }

    /// Start from the report words an earlier build noted (see `crate::search::Texts`).
    pub fn set_search_texts(&mut self, texts: crate::search::Texts) {
        *self
            .search_texts
            .get_mut()
            .unwrap_or_else(|p| p.into_inner()) = texts;
    }

    /// A digest of every report's words as the search index takes them (noting the words of
    /// those not known yet).
    fn search_words_digest(&self, model: &Model, theme: &Theme) -> u64 {
        let renderer = self.renderer(model, theme);
        let mut texts = self.search_texts.lock().unwrap_or_else(|p| p.into_inner());
        let fingerprints =
            with_report_pages(&renderer, self.base, |pages| texts.complete(model, pages));
        texts.digest(&fingerprints)
    }

    /// The connections drawn from the front matter, for the next build (the context is
    /// left without them).
    pub fn take_drawn(&mut self, model: &Model) -> crate::connections::Drawn {
        self.connections.take_drawn(model)
    }

    /// The report words noted so far, for the next build.
    pub fn take_search_texts(&mut self) -> crate::search::Texts {
        std::mem::take(
            self.search_texts
                .get_mut()
                .unwrap_or_else(|p| p.into_inner()),
        )
    }

    fn renderer<'a>(&'a self, model: &'a Model, theme: &'a Theme) -> PageRenderer<'a> {
        PageRenderer {
            model,
            theme,
            urls: &self.urls,
            locale: &self.locale,
            views: Views::new(model, &self.urls, &self.cache, &self.locale),
            links: &self.links,
            bodies: &self.bodies,
            years: &self.years,
            site: self.site.clone(),
            site_latest: model.forums.iter().filter_map(dates::forum_updated).max(),
            warnings: std::sync::Mutex::new(Diagnostics::new()),
            connections: &self.connections,
            calendar_events: &self.events,
            first_pages: Default::default(),
            search_texts: &self.search_texts,
            base: self.base,
            shown: &self.shown,
            speaker_letters: Default::default(),
        }
    }
}

/// Render every file of the site into `sink`, from many threads, in no particular order.
/// (`podium build` and `check`; `serve` makes the same files in steps, see `serve::site`.)
pub fn render_site(
    model: &Model,
    theme: &Theme,
    gallery: Gallery,
    sink: Sink,
    keep: Keep,
) -> Result<Rendered, Diagnostics> {
    render_site_with(
        model,
        theme,
        gallery,
        sink,
        keep,
        &PreviousOutput::NONE,
        &mut Carried::default(),
    )
}

/// What one build hands the next to spare it work: the words of each report for the search
/// index (`crate::search::Texts`), and the connections drawn from the front matter
/// (`crate::connections::Drawn`). `render_site_with` takes them and leaves this build's.
#[derive(Default)]
pub struct Carried {
    pub search_texts: crate::search::Texts,
    pub connections: Option<crate::connections::Drawn>,
}

/// `render_site`, starting from (and leaving in `carried`) what an earlier build worked out:
/// the report words, so that the search index need not render the reports whose pages are
/// kept (see `crate::search::Texts`), and the connections drawn from the front matter.
pub fn render_site_with(
    model: &Model,
    theme: &Theme,
    gallery: Gallery,
    sink: Sink,
    keep: Keep,
    reuse: Reuse,
    carried: &mut Carried,
) -> Result<Rendered, Diagnostics> {
    let languages = &model.translations.languages;
    let mut rendered = render_language(
        model,
        theme,
        gallery.clone(),
        (sink, keep, reuse),
        carried,
        crate::i18n::Locale::new(&languages[0], languages, theme.words.clone()),
    )?;
    let more = render_other_languages(
        model,
        theme,
        gallery,
        (sink, keep, reuse),
        carried.connections.as_ref(),
    )?;
    rendered.absorb(more, "");
    rendered.warnings = std::mem::take(&mut rendered.warnings).sorted();
    Ok(rendered)
}

/// Every language but the default, one after the other (each in parallel, so one localized
/// model at a time is in memory); their files go under `<code>/`. Nothing for a site in one
/// language. `drawn`: the connections the default language's pages drew, if at hand; every
/// language shows those, translated.
pub fn render_other_languages(
    model: &Model,
    theme: &Theme,
    gallery: Gallery,
    (sink, keep, reuse): (Sink, Keep, Reuse),
    drawn: Option<&crate::connections::Drawn>,
) -> Result<Rendered, Diagnostics> {
    let languages = &model.translations.languages;
    let mut rendered =
        Rendered::from_outcomes(PageCounts::default(), Diagnostics::new(), Vec::new());
    if languages.len() < 2 {
        return Ok(rendered);
    }
    let drawn = crate::connections::Drawn::of(model, drawn);
    for lang in &languages[1..] {
        let localized = crate::i18n::localize(model, lang);
        crate::timing("localize");
        let prefix = routes::language_folder(lang, languages);
        let sink_in = |mut file: OutputFile| {
            file.path.insert_str(0, &prefix);
            sink(file)
        };
        let keep_in = |path: &str, fp: u64| keep(&format!("{prefix}{path}"), fp);
        let made_with_in = |fp: u64| {
            let paths = (reuse.made_with)(fp)?;
            let inside = paths
                .iter()
                .map(|p| p.strip_prefix(&prefix).map(str::to_string));
            inside.collect::<Option<Vec<String>>>()
        };
        let read_in = |path: &str| (reuse.read)(&format!("{prefix}{path}"));
        let reuse_in = PreviousOutput {
            made_with: &made_with_in,
            read: &read_in,
        };
        let locale = crate::i18n::Locale::new(lang, languages, theme.words.clone());
        let mut carried = Carried {
            connections: Some(drawn.in_language(model, &localized)),
            ..Carried::default()
        };
        let more = render_language(
            &localized,
            theme,
            gallery.clone(),
            (&sink_in, &keep_in, &reuse_in),
            &mut carried,
            locale,
        )?;
        rendered.absorb(more, &prefix);
    }
    Ok(rendered)
}

/// The site in one language: everything for the default language, only the language's own
/// pages and feeds for another (shared files are made once, with the default).
fn render_language(
    model: &Model,
    theme: &Theme,
    gallery: Gallery,
    (sink, keep, reuse): (Sink, Keep, Reuse),
    carried: &mut Carried,
    locale: crate::i18n::Locale,
) -> Result<Rendered, Diagnostics> {
    let mut context = Context::new(model, gallery, locale, carried.connections.take())?;
    context.set_search_texts(std::mem::take(&mut carried.search_texts));
    crate::timing("context");
    // The site-wide files that take nothing from the entity pages are made beside them:
    // each has long stretches on one core (a sitemap of every page, the open data's files of
    // hundreds of megabytes, each written in order), which the entity pages fill on the
    // other. The search index needs the words the forums' pages note, so it comes after.
    let (pages, beside) = rayon::join(
        || render_pages(model, theme, &context, sink, keep),
        || {
            let parts = [SiteWide::Pages, SiteWide::Files, SiteWide::Api];
            render_site_wide(model, theme, &context, &parts, sink, reuse)
        },
    );
    let (mut rendered, beside) = match (pages, beside) {
        (Ok(pages), Ok(beside)) => (pages, beside),
        (Err(mut errors), Err(more)) => {
            errors.extend(more);
            return Err(errors);
        }
        (Err(errors), _) | (_, Err(errors)) => return Err(errors),
    };
    crate::timing("entity pages");
    let mut site_wide = render_site_wide(model, theme, &context, &[SiteWide::Search], sink, reuse)?;
    site_wide.absorb(beside, "");
    carried.search_texts = context.take_search_texts();
    carried.connections = Some(context.take_drawn(model));
    rendered.absorb(site_wide, "");
    rendered
        .warnings
        .extend(std::mem::take(&mut context.warnings));
    crate::set_aside(context);
    rendered.warnings = std::mem::take(&mut rendered.warnings).sorted();
    Ok(rendered)
}

/// The jobs of the pages that show one entity (a forum, a person, a year...) rather than the
/// whole site; each has a fingerprint.
fn entity_jobs(model: &Model, years: &[(i16, Vec<ForumId>)]) -> Vec<Job> {
    let mut jobs: Vec<Job> = years.iter().map(|(y, _)| Job::Year(*y)).collect();
    jobs.extend(model.forums.iter().map(|f| Job::Forum(f.id)));
    jobs.extend(model.speakers.iter().map(|s| Job::Speaker(s.id)));
    jobs.extend(model.organizations.iter().map(|o| Job::Organization(o.id)));
    jobs.extend((0..model.topics.len()).map(|i| Job::Topic(TopicId(i as u32))));
    jobs.extend((0..model.series.len()).map(|i| Job::Series(SeriesId(i as u32))));
    jobs.extend((0..model.pages.len()).map(Job::Page));
    // The later pages of long lists go last, so that adding one does not renumber the rest.
    let more: Vec<Job> = jobs
        .iter()
        .flat_map(|&job| pages::with_more_pages(model, years, job).skip(1))
        .collect();
    jobs.extend(more);
    jobs
}

/// The pages that show the whole site: none has a fingerprint, all change with anything.
const SITE_WIDE_JOBS: [Job; 7] = [
    Job::Home,
    Job::Forums,
    Job::Speakers,
    Job::Organizations,
    Job::Topics,
    Job::SeriesIndex,
    Job::NotFound,
];

/// The site-wide pages, with the later pages of the speakers' index when it is long, and the
/// search page when the theme has one.
fn site_wide_jobs(model: &Model, theme: &Theme, years: &[(i16, Vec<ForumId>)]) -> Vec<Job> {
    SITE_WIDE_JOBS
        .iter()
        .flat_map(|&job| pages::with_more_pages(model, years, job))
        .chain(has_search_page(theme).then_some(Job::Search))
        .collect()
}

/// Whether the theme has a search page (the default theme does; a theme of one's own that
/// does not extend it may not).
fn has_search_page(theme: &Theme) -> bool {
    theme.template_origin.contains_key("search.html")
}

/// Everything but the site-wide files (see `render_site_wide`): every entity's page with its
/// feed or calendar, plain pages, redirects, the site's and the theme's static files.
pub fn render_pages(
    model: &Model,
    theme: &Theme,
    context: &Context,
    sink: Sink,
    keep: Keep,
) -> Result<Rendered, Diagnostics> {
    let all = 0..entity_page_count(model, context);
    let mut rendered = render_entity_pages_in(model, theme, context, sink, keep, all)?;
    if !context.locale.is_default() {
        return Ok(rendered);
    }
    let (redirects, images) = render_other_files(model, theme, context, sink, keep);
    rendered.counts.other += redirects;
    for (path, fingerprint, kept) in images {
        if kept {
            rendered.reused.push(path.clone());
        }
        rendered.fingerprints.insert(path, fingerprint);
    }
    Ok(rendered)
}

/// How many entity pages a site has (each may come with a feed or calendar).
pub fn entity_page_count(model: &Model, context: &Context) -> usize {
    entity_jobs(model, &context.years).len()
}

/// The entity pages numbered `range` (of `entity_page_count`), with their feeds or
/// calendars, so that `serve` can make a large site's pages a slice at a time. A page for
/// which `keep(path, fingerprint)` holds is not rendered: it is listed in `Rendered::reused`
/// and the caller keeps the bytes it made earlier with that fingerprint.
pub fn render_entity_pages_in(
    model: &Model,
    theme: &Theme,
    context: &Context,
    sink: Sink,
    keep: Keep,
    range: std::ops::Range<usize>,
) -> Result<Rendered, Diagnostics> {
    let renderer = context.renderer(model, theme);
    let mut jobs = entity_jobs(model, &context.years);
    jobs.truncate(range.end);
    let jobs = jobs.split_off(range.start.min(jobs.len()));
    let jobs = fingerprinted(&renderer, &jobs, context.base);
    let mut kept = render_jobs(&renderer, &jobs, sink, keep)?;
    kept.extend(entity_files(model, &renderer, &jobs, sink, keep));
    let counts = PageCounts {
        forums: model.forums.len(),
        speakers: model.speakers.len(),
        organizations: model.organizations.len(),
        topics: model.topics.len(),
        series: model.series.len(),
        other: SITE_WIDE_JOBS.len()
            + usize::from(has_search_page(theme))
            + context.years.len()
            + model.pages.len(),
    };
    Ok(Rendered::from_outcomes(
        counts,
        renderer.take_warnings(),
        kept,
    ))
}

/// The output paths of a forum's page and its calendar.
pub fn forum_paths(model: &Model, id: ForumId) -> Vec<String> {
    let job = Job::Forum(id);
    std::iter::once(job_route(model, job).output_file())
        .chain(entity_file_paths(model, job).into_iter().map(|(p, _)| p))
        .collect()
}

/// The output paths of `render_entity_pages_in` for the same `range`.
pub fn entity_paths_in(
    model: &Model,
    context: &Context,
    range: std::ops::Range<usize>,
) -> Vec<String> {
    entity_jobs(model, &context.years)
        .into_iter()
        .skip(range.start)
        .take(range.len())
        .flat_map(|job| {
            std::iter::once(job_route(model, job).output_file())
                .chain(entity_file_paths(model, job).into_iter().map(|(p, _)| p))
        })
        .collect()
}

/// The files that are not rendered from templates: redirects from old addresses, the site's
/// images (as `images::process` made them; never a raster file as it is) and other files,
/// and the theme's static files. Returns how many redirects there are, and (path,
/// fingerprint, kept) of each image file: one for which `keep` holds is not sent (it is the
/// same file as the one the output holds; at 10,000 reports with a photo in ten, checking
/// 7,000 copies by their sources took 0.8 s of a rebuild).
pub fn render_other_files(
    model: &Model,
    theme: &Theme,
    context: &Context,
    sink: Sink,
    keep: Keep,
) -> (usize, Vec<Made>) {
    let redirects = redirect_pages(model, &context.urls);
    let count = redirects.len();
    redirects.into_iter().for_each(sink);
    let images: Vec<Made> = context
        .links
        .gallery
        .files()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(file, fingerprint)| {
            let path = file.path.clone();
            if keep(&path, fingerprint) {
                return (path, fingerprint, true);
            }
            sink(file);
            (path, fingerprint, false)
        })
        .collect();
    for asset in model
        .assets
        .iter()
        .filter(|a| !crate::images::publishes(&a.output))
    {
        sink(OutputFile {
            path: asset.output.clone(),
            contents: Contents::Copy(asset.source.clone()),
            origin: asset.display.display().to_string(),
        });
    }
    // A site's own static file replaces the theme's file of the same name.
    let site_files: HashSet<&str> = model.assets.iter().map(|a| a.output.as_str()).collect();
    for (path, file) in &theme.static_files {
        if site_files.contains(path.as_str()) {
            continue;
        }
        sink(OutputFile {
            path: path.clone(),
            contents: match file {
                ThemeFile::Disk(p) => Contents::Copy(p.clone()),
                ThemeFile::Embedded(b) => Contents::Bytes(b.to_vec()),
            },
            origin: format!("theme {} (static/{path})", theme.name),
        });
    }
    (count, images)
}

/// The pages and files that show the whole site: home, the indexes, the 404 page, the site's
/// feed and calendar, the sitemap, robots.txt, the open-data API and the search index.
/// Returns the warnings, and the fingerprint of every file: a part whose files `reuse` still
/// has, made with the same fingerprint, is not made again (see `fingerprint::site_wide`).
/// `parts`: which of them.
pub fn render_site_wide(
    model: &Model,
    theme: &Theme,
    context: &Context,
    parts: &[SiteWide],
    sink: Sink,
    reuse: Reuse,
) -> Result<Rendered, Diagnostics> {
    let site = fingerprint::site_digest(model, theme, context.base);
    let part = |part| {
        let started = std::time::Instant::now();
        let made = site_wide_part_unless_kept(model, theme, context, part, site, sink, reuse);
        if std::env::var_os("PODIUM_TIMINGS").is_some() {
            let (made, kept) = made
                .as_ref()
                .map_or((0, 0), |m| (m.fingerprints.len(), m.reused.len()));
            let how = match kept {
                0 => "",
                _ if kept == made => " (kept)",
                _ => " (partly kept)",
            };
            eprintln!("  {part:?}: {} ms{how}", started.elapsed().as_millis());
        }
        made
    };
    // One after the other, each in parallel inside. Made beside each other, the search index
    // and the open data were both held at once, each in memory of its own.
    let mut made = Rendered::from_outcomes(PageCounts::default(), Diagnostics::new(), Vec::new());
    for &p in parts {
        made.absorb(part(p)?, "");
    }
    Ok(made)
}

/// One part of `render_site_wide`, or the files the output has of it when they were made
/// from the same inputs (`site`, the digest of everything but the reports' bodies, and what
/// the part takes from the bodies).
fn site_wide_part_unless_kept(
    model: &Model,
    theme: &Theme,
    context: &Context,
    part: SiteWide,
    site: u64,
    sink: Sink,
    reuse: Reuse,
) -> Result<Rendered, Diagnostics> {
    let from_bodies = match part {
        // Home, the indexes and the 404 page list forums as their front matter says, and
        // the home page's introduction is part of the settings: nothing from the bodies.
        SiteWide::Pages | SiteWide::Files => 0,
        SiteWide::Api => fingerprint::hash(&context.connections.quotes),
        SiteWide::Search => context.search_words_digest(model, theme),
    };
    let fp = fingerprint::site_wide(site, part, from_bodies);
    let mut made = Rendered::from_outcomes(PageCounts::default(), Diagnostics::new(), Vec::new());
    if let Some(paths) = (reuse.made_with)(fp) {
        if part == SiteWide::Search {
            let mut texts = context
                .search_texts
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            texts.index_kept(fp);
        }
        made.fingerprints = paths.iter().map(|p| (p.clone(), fp)).collect();
        made.reused = paths;
        return Ok(made);
    }
    let paths = std::sync::Mutex::new(Vec::new());
    let sink_part = |file: OutputFile| {
        paths
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(file.path.clone());
        sink(file)
    };
    let stamp = crate::search::Stamp {
        site,
        fingerprint: fp,
    };
    let from = Some((stamp, reuse));
    let (warnings, kept) = render_part(model, theme, context, part, &sink_part, from)?;
    made.warnings = warnings;
    made.pages_warned = !made.warnings.is_empty();
    let paths = paths.into_inner().unwrap_or_else(|p| p.into_inner());
    made.fingerprints = paths
        .into_iter()
        .chain(kept.iter().cloned())
        .map(|p| (p, fp))
        .collect();
    made.reused = kept;
    Ok(made)
}

/// The parts of `render_site_wide`, from the quickest to make to the slowest, so that `serve`
/// can make them one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteWide {
    /// Home, the indexes and the 404 page.
    Pages,
    /// The site's feed and calendar, the sitemap and robots.txt.
    Files,
    /// The open-data API.
    Api,
    /// The search index (see `crate::search`).
    Search,
}

impl SiteWide {
    pub const ALL: [SiteWide; 4] = [
        SiteWide::Pages,
        SiteWide::Files,
        SiteWide::Search,
        SiteWide::Api,
    ];
}

/// One part of `render_site_wide`, made whole.
pub fn render_site_wide_part(
    model: &Model,
    theme: &Theme,
    context: &Context,
    part: SiteWide,
    sink: Sink,
) -> Result<Diagnostics, Diagnostics> {
    render_part(model, theme, context, part, sink, None).map(|(warnings, _)| warnings)
}

/// One part of `render_site_wide`: its warnings, and the paths of the files it kept as
/// `previous` holds them rather than making them again (the search index is patched; see
/// `crate::search::patch`). `from`: what the part's files are made from, and the previous
/// output (none: the part is made whole).
fn render_part(
    model: &Model,
    theme: &Theme,
    context: &Context,
    part: SiteWide,
    sink: Sink,
    from: Option<(crate::search::Stamp, Reuse)>,
) -> Result<(Diagnostics, Vec<String>), Diagnostics> {
    let renderer = context.renderer(model, theme);
    let urls = &context.urls;
    // The open data and the search index are shared by every language.
    if !context.locale.is_default() && matches!(part, SiteWide::Api | SiteWide::Search) {
        return Ok((Diagnostics::new(), Vec::new()));
    }
    let mut kept = Vec::new();
    match part {
        SiteWide::Pages => {
            let jobs = site_wide_jobs(model, theme, &context.years);
            let jobs = fingerprinted(&renderer, &jobs, context.base);
            render_jobs(&renderer, &jobs, sink, &|_, _| false)?;
        }
        SiteWide::Files => {
            let all: Vec<ForumId> = model.forums.iter().map(|f| f.id).collect();
            sink(feeds::atom(
                model,
                urls,
                &context.locale,
                FeedOwner::Site,
                &model.site.title,
                &all,
            ));
            sink(calendar::site_calendar(model, &context.events));
            if !context.locale.is_default() {
                return Ok((renderer.take_warnings(), kept));
            }
            let languages = &model.translations.languages;
            let pages: Vec<_> = site_wide_jobs(model, theme, &context.years)
                .into_iter()
                .chain(entity_jobs(model, &context.years))
                .filter_map(|j| {
                    let (route, lastmod) = renderer.sitemap_entry(j)?;
                    let languages = if languages.len() < 2 {
                        Vec::new()
                    } else {
                        languages
                            .iter()
                            .filter(|l| languages::translated(model, j, l))
                            .map(|l| (routes::language_folder(l, languages), l.clone()))
                            .collect()
                    };
                    Some(sitemap::Entry {
                        route,
                        lastmod,
                        languages,
                    })
                })
                .collect();
            sink(sitemap::sitemap(urls, &pages));
            sink(sitemap::robots(urls));
        }
        SiteWide::Api => {
            let mut kept = context
                .api_records
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            api::files(model, urls, &context.connections, kept.as_mut(), &sink);
        }
        SiteWide::Search => {
            let mut texts = context
                .search_texts
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            kept = with_report_pages(&renderer, context.base, |pages| {
                crate::search::files(model, pages, &mut texts, &context.locale, from, &sink)
            });
        }
    }
    Ok((renderer.take_warnings(), kept))
}

/// Each report's page fingerprint and its text as rendered for its page, as the search index
/// takes them: the index holds the text readers see (noted while the page was rendered;
/// rendered for the index when a page kept as it was has no words noted).
fn with_report_pages<R>(
    renderer: &PageRenderer,
    base: u64,
    then: impl FnOnce(&crate::search::ReportPages) -> R,
) -> R {
    let body = |f: &Forum| renderer.report_body(f).0;
    let fingerprint = |f: &Forum| {
        renderer
            .fingerprint(Job::Forum(f.id), base)
            .unwrap_or_default()
    };
    then(&crate::search::ReportPages {
        fingerprint: &fingerprint,
        body: &body,
    })
}

/// A forum's page and calendar, made again after `model::update_report` replaced it (and
/// `Context::forum_changed` took it in). The pages that mention it are
/// `render_forum_mentions`; site-wide files are `render_site_wide`.
pub fn render_forum_page(
    model: &Model,
    theme: &Theme,
    context: &Context,
    id: ForumId,
    sink: Sink,
) -> Result<Rendered, Diagnostics> {
    let mut rendered = render_entities(model, theme, context, &[Job::Forum(id)], sink)?;
    // Its quotes' warnings are the context's (found for every report on every build), but
    // `serve` shows what this page's rebuild found about its report.
    let unattributed = context.connections.unattributed(id).iter().cloned();
    rendered.warnings = rendered
        .warnings
        .into_iter()
        .chain(unattributed)
        .collect::<Diagnostics>()
        .sorted();
    Ok(rendered)
}

/// The other pages a changed forum shows up in: its year's page, the page and feed of every
/// speaker, organization, topic and series it names, and the pages of the forums it is a
/// related forum of (or whose related forums it changed). No other entity's page shows
/// anything of it (their fingerprints do not include it).
pub fn render_forum_mentions(
    model: &Model,
    theme: &Theme,
    context: &Context,
    ids: &[ForumId],
    sink: Sink,
) -> Result<Rendered, Diagnostics> {
    let jobs = mention_jobs(model, context, ids);
    render_entities(model, theme, context, &jobs, sink)
}

/// The output paths `render_forum_mentions` makes.
pub fn forum_mention_paths(model: &Model, context: &Context, ids: &[ForumId]) -> Vec<String> {
    mention_jobs(model, context, ids)
        .into_iter()
        .flat_map(|job| {
            std::iter::once(job_route(model, job).output_file())
                .chain(entity_file_paths(model, job).into_iter().map(|(p, _)| p))
        })
        .collect()
}

fn mention_jobs(model: &Model, context: &Context, ids: &[ForumId]) -> Vec<Job> {
    let mut jobs: Vec<Job> = Vec::new();
    let mut once = |job: Job| {
        if !jobs.iter().any(|j| j.same(job)) {
            jobs.push(job);
        }
    };
    for (i, related) in context.connections.related.iter().enumerate() {
        if related.iter().any(|r| ids.contains(r)) {
            once(Job::Forum(ForumId(i as u32)));
        }
    }
    for &r in &context.related_moved {
        once(Job::Forum(r));
    }
    for &id in ids {
        let f = model.forum(id);
        if let Some(y) = f.year() {
            once(Job::Year(y));
        }
        for a in &f.appearances {
            once(Job::Speaker(a.speaker));
            if let Some(o) = a.organization {
                once(Job::Organization(o));
            }
        }
        for &o in f.organizers.iter().chain(&f.partners) {
            once(Job::Organization(o));
        }
        for &t in &f.topics {
            once(Job::Topic(t));
        }
        if let Some(s) = f.series {
            once(Job::Series(s));
        }
    }
    // A forum may be on any page of a long list (and moves between pages as others come).
    jobs.into_iter()
        .flat_map(|job| pages::with_more_pages(model, &context.years, job))
        .collect()
}

/// Render entity jobs and their feeds or calendars, whatever their fingerprints say.
fn render_entities(
    model: &Model,
    theme: &Theme,
    context: &Context,
    jobs: &[Job],
    sink: Sink,
) -> Result<Rendered, Diagnostics> {
    let renderer = context.renderer(model, theme);
    let jobs = fingerprinted(&renderer, jobs, context.base);
    let mut made = render_jobs(&renderer, &jobs, sink, &|_, _| false)?;
    made.extend(entity_files(model, &renderer, &jobs, sink, &|_, _| false));
    Ok(Rendered::from_outcomes(
        PageCounts::default(),
        renderer.take_warnings(),
        made,
    ))
}

impl Rendered {
    /// Take in what rendering another language made, its paths under `prefix`.
    fn absorb(&mut self, other: Rendered, prefix: &str) {
        let c = other.counts;
        self.counts.forums += c.forums;
        self.counts.speakers += c.speakers;
        self.counts.organizations += c.organizations;
        self.counts.topics += c.topics;
        self.counts.series += c.series;
        self.counts.other += c.other;
        self.pages_warned |= other.pages_warned;
        // An untranslated text's problems were found in every language: report them once.
        let seen: HashSet<String> = self
            .warnings
            .iter()
            .map(|d| format!("{:?}{}", d.span, d.message))
            .collect();
        for d in other.warnings {
            if !seen.contains(&format!("{:?}{}", d.span, d.message)) {
                self.warnings.push(d);
            }
        }
        self.fingerprints.extend(
            other
                .fingerprints
                .into_iter()
                .map(|(p, fp)| (format!("{prefix}{p}"), fp)),
        );
        self.reused
            .extend(other.reused.into_iter().map(|p| format!("{prefix}{p}")));
    }

    fn from_outcomes(counts: PageCounts, warnings: Diagnostics, outcomes: Vec<Made>) -> Rendered {
        let mut fingerprints = crate::write::Fingerprints::default();
        fingerprints.reserve(outcomes.len());
        let mut reused = Vec::new();
        for (path, fp, was_kept) in outcomes {
            if was_kept {
                reused.push(path.clone());
            }
            fingerprints.insert(path, fp);
        }
        Rendered {
            counts,
            pages_warned: !warnings.is_empty(),
            warnings: warnings.sorted(),
            fingerprints,
            reused,
        }
    }
}

/// Render `jobs` in parallel into `sink`, skipping those whose fingerprint matches
/// `keep`. Returns (path, fingerprint, kept) of every job that has a fingerprint.
/// Each job with its page's fingerprint (`None` for a page made on every build), found once
/// for its page and the feed or calendar beside it.
fn fingerprinted(renderer: &PageRenderer, jobs: &[Job], base: u64) -> Vec<(Job, Option<u64>)> {
    jobs.par_iter()
        .map(|&job| (job, renderer.fingerprint(job, base)))
        .collect()
}

fn render_jobs(
    renderer: &PageRenderer,
    jobs: &[(Job, Option<u64>)],
    sink: Sink,
    keep: Keep,
) -> Result<Vec<Made>, Diagnostics> {
    // Pages go to the sink as soon as they are rendered (the writer streams them to disk),
    // so the site's bytes are never all in memory at once.
    let outcomes: Vec<Result<Option<Made>, Diagnostic>> = jobs
        .par_iter()
        .map(|&(job, fingerprint)| {
            if let Some(fp) = fingerprint {
                let path = renderer.output_file(job);
                if keep(&path, fp) {
                    return Ok(Some((path, fp, true)));
                }
            }
            let file = renderer.render(job)?;
            let path = file.path.clone();
            sink(file);
            Ok(fingerprint.map(|fp| (path, fp, false)))
        })
        .collect();
    let mut made = Vec::new();
    let mut errors = Diagnostics::new();
    let mut reported: HashSet<String> = HashSet::new();
    for outcome in outcomes {
        match outcome {
            Ok(Some(m)) => made.push(m),
            Ok(None) => {}
            Err(d) => {
                // One broken template fails every page that uses it: report it once.
                let key = format!(
                    "{:?}{}",
                    d.span,
                    d.message
                        .split(" (while rendering")
                        .next()
                        .unwrap_or_default()
                );
                if reported.insert(key) {
                    errors.push(d);
                }
            }
        }
    }
    if errors.has_errors() {
        return Err(errors.sorted());
    }
    Ok(made)
}

/// Which Podium renders: its version and its executable's size and modification time, so that
/// a page another build of Podium made (which may render it differently) is made again rather
/// than kept by `podium build` or `serve`.
pub fn podium_identity() -> &'static str {
    static IDENTITY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    IDENTITY.get_or_init(|| {
        let executable = std::env::current_exe()
            .and_then(std::fs::metadata)
            .ok()
            .map(|m| crate::write::manifest::Stamp::of(&m));
        format!("{} {executable:?}", env!("CARGO_PKG_VERSION"))
    })
}

/// The feed of each speaker, organization, topic and series among `jobs`, the calendar of
/// each speaker and organization, and the calendar of each dated forum among them. They show
/// what their page shows, so they share its fingerprint and, like it, are kept when `keep`
/// says so. Returns (path, fingerprint, kept) for each.
fn entity_files(
    model: &Model,
    renderer: &PageRenderer,
    jobs: &[(Job, Option<u64>)],
    sink: Sink,
    keep: Keep,
) -> Vec<Made> {
    jobs.par_iter()
        .flat_map_iter(|&(job, fingerprint)| {
            entity_file_paths(model, job)
                .into_iter()
                .filter_map(move |(path, kind)| {
                    let fp = fingerprint?;
                    if keep(&path, fp) {
                        return Some((path, fp, true));
                    }
                    sink(entity_file(model, renderer, job, kind)?);
                    Some((path, fp, false))
                })
        })
        .collect()
}

/// The files beside an entity's page.
#[derive(Debug, Clone, Copy)]
enum EntityFile {
    Feed,
    Calendar,
}

fn entity_file(
    model: &Model,
    renderer: &PageRenderer,
    job: Job,
    kind: EntityFile,
) -> Option<OutputFile<'static>> {
    let (urls, events) = (renderer.urls, renderer.calendar_events);
    let named = |name: &str| format!("{name} · {}", model.site.title);
    let (owner, title, ids) = match job {
        Job::Forum(id) => {
            return calendar::forum_calendar(model, events, model.forum(id));
        }
        Job::Speaker(id) => {
            let s = model.speaker(id);
            let mut ids: Vec<ForumId> = s.appearances.iter().map(|(f, _)| *f).collect();
            ids.dedup();
            (FeedOwner::Speaker(&s.slug), named(&s.name), ids)
        }
        Job::Organization(id) => {
            let o = model.organization(id);
            (FeedOwner::Organization(&o.slug), named(&o.name), o.forums())
        }
        Job::Topic(id) => {
            let t = model.topic(id);
            (FeedOwner::Topic(&t.slug), named(&t.name), t.forums.clone())
        }
        Job::Series(id) => {
            let t = model.series_of(id);
            (FeedOwner::Series(&t.slug), named(&t.name), t.forums.clone())
        }
        _ => return None,
    };
    Some(match kind {
        EntityFile::Feed => feeds::atom(model, urls, renderer.locale, owner, &title, &ids),
        EntityFile::Calendar => calendar::owner_calendar(model, events, owner, &title, &ids),
    })
}

/// Where the files beside a job's page go: the feed of a speaker, organization, topic or
/// series, the calendar of a speaker or organization, the calendar of a dated forum.
fn entity_file_paths(model: &Model, job: Job) -> Vec<(String, EntityFile)> {
    let feed = |owner| (Route::Feed(owner).output_file(), EntityFile::Feed);
    let calendar = |owner| {
        (
            Route::OwnerCalendar(owner).output_file(),
            EntityFile::Calendar,
        )
    };
    match job {
        Job::Forum(id) => {
            let f = model.forum(id);
            if f.start.is_none() {
                return Vec::new();
            }
            vec![(
                Route::ForumCalendar(&f.path).output_file(),
                EntityFile::Calendar,
            )]
        }
        Job::Speaker(id) => {
            let owner = FeedOwner::Speaker(&model.speaker(id).slug);
            vec![feed(owner), calendar(owner)]
        }
        Job::Organization(id) => {
            let owner = FeedOwner::Organization(&model.organization(id).slug);
            vec![feed(owner), calendar(owner)]
        }
        Job::Topic(id) => vec![feed(FeedOwner::Topic(&model.topic(id).slug))],
        Job::Series(id) => vec![feed(FeedOwner::Series(&model.series_of(id).slug))],
        _ => Vec::new(),
    }
}

/// Every link target a Markdown body may name.
fn link_index(model: &Model, urls: &Urls, gallery: Gallery) -> LinkIndex {
    // Tens of thousands of addresses at 10,000 reports: made on every core, then put in the
    // map in this order (where two keys are one, the later address stands).
    let forums: Vec<(String, String)> = model
        .forums
        .par_iter()
        .flat_map_iter(|f| {
            let href = urls.href(Route::Forum(&f.path));
            // `@/forums/<final path>` works too, also when `slug:` changed the last segment.
            [
                (content_key(&f.file), href.clone()),
                (format!("forums/{}", f.path), href),
            ]
        })
        .collect();
    let people =
        |section: &'static str, slug: &str, profile: &Option<std::path::PathBuf>, href: String| {
            let profile = profile.as_ref().map(|p| (content_key(p), href.clone()));
            std::iter::once((format!("{section}/{slug}"), href)).chain(profile)
        };
    let speakers: Vec<(String, String)> = model
        .speakers
        .par_iter()
        .flat_map_iter(|s| {
            let href = urls.href(Route::Speaker(&s.slug));
            people("speakers", &s.slug, &s.profile, href)
        })
        .collect();
    let organizations: Vec<(String, String)> = model
        .organizations
        .par_iter()
        .flat_map_iter(|o| {
            let href = urls.href(Route::Organization(&o.slug));
            people("organizations", &o.slug, &o.profile, href)
        })
        .collect();
    let topics = model.topics.iter().map(|t| {
        (
            format!("topics/{}", t.slug),
            urls.href(Route::Topic(&t.slug)),
        )
    });
    let series = model.series.iter().map(|t| {
        (
            format!("series/{}", t.slug),
            urls.href(Route::Series(&t.slug)),
        )
    });
    let pages = model.pages.iter().flat_map(|p| {
        let href = urls.href(Route::Page(&p.path));
        [(content_key(&p.file), href.clone()), (p.path.clone(), href)]
    });
    let indexes = [
        ("forums", Route::Forums),
        ("speakers", Route::Speakers),
        ("organizations", Route::Organizations),
        ("topics", Route::Topics),
        ("series", Route::SeriesIndex),
        ("", Route::Home),
    ]
    .map(|(name, route)| (name.to_string(), urls.href(route)));
    let mut index = LinkIndex {
        base_path: urls.base_path().to_string(),
        redactions: model.redactions.clone(),
        gallery,
        ..LinkIndex::default()
    };
    index
        .pages
        .reserve(forums.len() + speakers.len() + organizations.len());
    index.pages.extend(
        forums
            .into_iter()
            .chain(speakers)
            .chain(organizations)
            .chain(topics)
            .chain(series)
            .chain(pages)
            .chain(indexes),
    );
    index.files = model.assets.iter().map(|a| a.output.clone()).collect();
    index.drafts = model.drafts.iter().cloned().collect();
    index
}

/// `content/forums/2025/x.md` -> `forums/2025/x`.
fn content_key(file: &std::path::Path) -> String {
    // The walk's paths are plain `/`-separated text: cut as text (a link index is made of
    // 125,000 of them at 100,000 reports, and taking each apart as a path cost 3 % of the
    // render context of an edit's rebuild).
    if cfg!(unix)
        && let Some(text) = file.to_str()
        && let Some(inner) = text.strip_prefix("content/")
        && !text.ends_with('/')
        && !text.contains("//")
        && !text.split('/').any(|c| c == "." || c == "..")
    {
        let name_start = inner.rfind('/').map_or(0, |slash| slash + 1);
        // (A name starting with a dot, which the walk skips, is left to the general way.)
        match inner[name_start..].rfind('.') {
            Some(dot) if dot > 0 && !inner[name_start..].starts_with('.') => {
                return inner[..name_start + dot].to_string();
            }
            None => return inner.to_string(),
            Some(_) => {}
        }
    }
    content_key_of_path(file)
}

/// `content_key` of any path, taken apart as one.
fn content_key_of_path(file: &std::path::Path) -> String {
    let inner = file
        .strip_prefix("content")
        .unwrap_or(file)
        .with_extension("");
    inner
        .iter()
        .filter_map(|c| c.to_str())
        .collect::<Vec<_>>()
        .join("/")
}

fn render_bodies(model: &Model, links: &LinkIndex, warnings: &mut Diagnostics) -> Bodies {
    // A body's first image is its page's first unless a portrait or logo stands above it.
    let render = |md: &Markdown, eager_first: bool| markdown::render(md, links, eager_first);
    let speakers: Vec<Option<(String, Vec<Diagnostic>)>> = model
        .speakers
        .par_iter()
        .map(|s| s.bio.as_ref().map(|b| render(b, s.photo.is_none())))
        .collect();
    let organizations: Vec<Option<(String, Vec<Diagnostic>)>> = model
        .organizations
        .par_iter()
        .map(|o| o.description.as_ref().map(|d| render(d, o.logo.is_none())))
        .collect();
    let pages: Vec<(String, Vec<Diagnostic>)> = model
        .pages
        .par_iter()
        .map(|p| render(&p.body, true))
        .collect();
    let intro = render(&model.site.intro, true);
    let mut take = |(html, w): (String, Vec<Diagnostic>)| {
        warnings.extend(w.into_iter().collect());
        html
    };
    Bodies {
        speakers: speakers.into_iter().map(|b| b.map(&mut take)).collect(),
        organizations: organizations
            .into_iter()
            .map(|b| b.map(&mut take))
            .collect(),
        pages: pages.into_iter().map(&mut take).collect(),
        intro: take(intro),
    }
}

/// Years with at least one forum, newest first, with their forums (chronological).
fn forum_years(model: &Model) -> Vec<(i16, Vec<ForumId>)> {
    let mut years: Vec<(i16, Vec<ForumId>)> = Vec::new();
    for f in &model.forums {
        if let Some(y) = f.year() {
            match years.last_mut() {
                Some((last, ids)) if *last == y => ids.push(f.id),
                _ => years.push((y, vec![f.id])),
            }
        }
    }
    years.reverse();
    years
}

fn site_value(
    model: &Model,
    urls: &Urls,
    locale: &crate::i18n::Locale,
) -> Result<tera::Value, Diagnostics> {
    let site = &model.site;
    let nav = [
        ("nav.forums", Route::Forums, "forums"),
        ("nav.speakers", Route::Speakers, "speakers"),
        ("nav.organizations", Route::Organizations, "organizations"),
        ("nav.topics", Route::Topics, "topics"),
    ]
    .into_iter()
    .map(|(key, route, section)| NavLink {
        label: locale.word(key),
        href: urls.href(route),
        section,
    })
    .collect();
    let mark = |untranslated: bool| {
        if untranslated {
            locale.default_lang().to_string()
        } else {
            String::new()
        }
    };
    let marks = model.localized.site;
    let view = SiteView {
        title: &site.title,
        description: site.description.as_deref(),
        base_url: &site.base_url,
        base_path: &site.base_path,
        language: &locale.lang,
        languages: &model.translations.languages,
        home: urls.href(Route::Home),
        title_lang: mark(marks.title),
        description_lang: mark(marks.summary),
        intro_lang: mark(marks.body),
        timezone: &site.timezone_name,
        author: site.author.as_deref(),
        extra: &site.extra,
        nav,
        stylesheet: urls.href(Route::File("style.css")),
        search: urls.href(Route::Search),
        counts: SiteCounts {
            forums: model.forums.len(),
            speakers: model.speakers.len(),
            organizations: model.organizations.len(),
            topics: model.topics.len(),
            series: model.series.len(),
        },
    };
    tera::Value::try_from_serializable(&view).map_err(|e| {
        Diagnostic::error(format!("cannot prepare site settings for templates: {e}")).into()
    })
}

/// Small HTML pages at old URLs that send readers to the new one.
fn redirect_pages(model: &Model, urls: &Urls) -> Vec<OutputFile<'static>> {
    let mut out = Vec::new();
    let mut add = |alias: &str, target: Route, origin: &std::path::Path| {
        let href = urls.permalink(target);
        let escaped = html_escape(&href);
        let html = format!(
            "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>Moved</title>\
             <link rel=\"canonical\" href=\"{escaped}\"><meta name=\"robots\" content=\"noindex\">\
             <meta http-equiv=\"refresh\" content=\"0; url={escaped}\"></head>\
             <body><p>This page has moved to <a href=\"{escaped}\">{escaped}</a>.</p></body></html>\n",
            html_escape(&model.site.language)
        );
        out.push(OutputFile {
            path: Route::Alias(alias).output_file(),
            contents: Contents::Bytes(html.into_bytes()),
            origin: format!("{} (alias `{alias}`)", origin.display()),
        });
    };
    for f in &model.forums {
        for a in &f.aliases {
            add(a, Route::Forum(&f.path), &f.file);
        }
    }
    for p in &model.pages {
        for a in &p.aliases {
            add(a, Route::Page(&p.path), &p.file);
        }
    }
    for s in &model.speakers {
        for a in &s.redirects {
            add(
                a,
                Route::Speaker(&s.slug),
                s.profile
                    .as_deref()
                    .unwrap_or(std::path::Path::new("speaker")),
            );
        }
    }
    for o in &model.organizations {
        for a in &o.redirects {
            add(
                a,
                Route::Organization(&o.slug),
                o.profile
                    .as_deref()
                    .unwrap_or(std::path::Path::new("organization")),
            );
        }
    }
    out
}

/// Escape text for HTML (text and quoted attributes alike); the XML rules are a safe subset.
pub fn html_escape(s: &str) -> String {
    feeds::escape(s)
}

#[cfg(test)]
mod tests {
    use super::{content_key, content_key_of_path};
    use std::path::Path;

    #[test]
    fn a_content_key_cut_as_text_is_the_key_of_the_path() {
        for file in [
            "content/forums/2025/x.md",
            "content/forums/2025/x.tar.md",
            "content/a.b/x",
            "content/.hidden",
            "content/..x",
            "content/x.",
            "content/speakers/aygün.md",
            "content/x.md",
            "content",
            "content/",
            "content/a/",
            "content//a.md",
            "content/./a.md",
            "content/a/../b.md",
            "/abs/content/x.md",
            "contents/x.md",
            "other/x.md",
        ] {
            let path = Path::new(file);
            assert_eq!(content_key(path), content_key_of_path(path), "{file}");
        }
        assert_eq!(
            content_key(Path::new("content/forums/2025/x.md")),
            "forums/2025/x"
        );
    }
}
