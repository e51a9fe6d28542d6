//! Stage 3, `render`: turn the model into the files of the site.
//!
//! Markdown bodies are rendered first (they need every URL, for `@/` links), then every page
//! is rendered through the theme's templates in parallel. A page's template context is made
//! of borrowed views (see `views`), never a copy of the site. Output is sorted by path, so it
//! does not depend on thread timing.

pub mod api;
pub mod calendar;
pub mod dates;
pub mod feeds;
pub mod filters;
pub mod markdown;
mod pages;
pub mod routes;
pub mod sitemap;
pub mod structured;
pub mod theme;
pub mod views;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::write::{Contents, OutputFile};
use markdown::LinkIndex;
use pages::{Job, PageRenderer};
use rayon::prelude::*;
use routes::{FeedOwner, Route, Urls};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use theme::{Theme, ThemeFile};
use views::*;

/// How many pages of each kind a build made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
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
    /// Output path -> fingerprint of every page that has one (see `render_site_reusing`).
    pub fingerprints: HashMap<String, u64>,
    /// Pages not rendered because their fingerprint matched: the caller still has them.
    pub reused: Vec<String>,
}

/// The HTML of every Markdown text of the site, rendered once.
pub(super) struct Bodies {
    pub(super) speakers: Vec<Option<String>>,
    pub(super) organizations: Vec<Option<String>>,
    pub(super) pages: Vec<String>,
    pub(super) intro: String,
}

/// Where rendered files go: a writer, or (for `check`) a collision check.
pub type Sink<'s> = &'s (dyn Fn(OutputFile) + Sync);

/// Render every file of the site into `sink`, from many threads, in no particular order.
pub fn render_site(model: &Model, theme: &Theme, sink: Sink) -> Result<Rendered, Diagnostics> {
    render_site_reusing(model, theme, sink, &HashMap::new())
}

/// `render_site`, except that a page whose fingerprint equals the one in `previous` (an
/// earlier build's `Rendered::fingerprints`) is not rendered: it is listed in
/// `Rendered::reused` and the caller keeps its earlier bytes. Site-wide pages and files
/// (indexes, feeds, calendars, sitemap, API) are always made.
pub fn render_site_reusing(
    model: &Model,
    theme: &Theme,
    sink: Sink,
    previous: &HashMap<String, u64>,
) -> Result<Rendered, Diagnostics> {
    let urls = Urls::new(&model.site.base_url, &model.site.base_path);
    let links = link_index(model, &urls);
    let mut warnings = Diagnostics::new();
    let bodies = render_bodies(model, &links, &mut warnings);

    let years = forum_years(model);
    let mut jobs = vec![
        Job::Home,
        Job::Forums,
        Job::Speakers,
        Job::Organizations,
        Job::Topics,
        Job::SeriesIndex,
        Job::NotFound,
    ];
    jobs.extend(years.iter().map(|(y, _)| Job::Year(*y)));
    jobs.extend(model.forums.iter().map(|f| Job::Forum(f.id)));
    jobs.extend(model.speakers.iter().map(|s| Job::Speaker(s.id)));
    jobs.extend(model.organizations.iter().map(|o| Job::Organization(o.id)));
    jobs.extend((0..model.topics.len()).map(|i| Job::Topic(TopicId(i as u32))));
    jobs.extend((0..model.series.len()).map(|i| Job::Series(SeriesId(i as u32))));
    jobs.extend((0..model.pages.len()).map(Job::Page));

    let renderer = PageRenderer {
        model,
        theme,
        urls: &urls,
        views: Views::new(model, &urls),
        links: &links,
        bodies: &bodies,
        years: &years,
        site: site_value(model, &urls)?,
        site_latest: model.forums.iter().filter_map(dates::forum_updated).max(),
        warnings: std::sync::Mutex::new(Diagnostics::new()),
    };
    // Pages go to the sink as soon as they are rendered (the writer streams them to disk),
    // so the site's bytes are never all in memory at once.
    let base = structure_digest(model, theme);
    enum Outcome {
        Rendered(String, Option<u64>),
        Reused(String, u64),
        Failed(Diagnostic),
    }
    let outcomes: Vec<Outcome> = jobs
        .par_iter()
        .map(|&job| {
            let fingerprint = renderer.fingerprint(job, base);
            if let Some(fp) = fingerprint {
                let path = renderer.output_file(job);
                if previous.get(&path) == Some(&fp) {
                    return Outcome::Reused(path, fp);
                }
            }
            match renderer.render(job) {
                Ok(file) => {
                    let path = file.path.clone();
                    sink(file);
                    Outcome::Rendered(path, fingerprint)
                }
                Err(d) => Outcome::Failed(d),
            }
        })
        .collect();
    let mut failed = Vec::new();
    let mut fingerprints = HashMap::new();
    let mut reused = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Rendered(path, Some(fp)) => {
                fingerprints.insert(path, fp);
            }
            Outcome::Rendered(_, None) => {}
            Outcome::Reused(path, fp) => {
                fingerprints.insert(path.clone(), fp);
                reused.push(path);
            }
            Outcome::Failed(d) => failed.push(d),
        }
    }
    let mut errors = Diagnostics::new();
    let mut reported: HashSet<String> = HashSet::new();
    for d in failed {
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
    if errors.has_errors() {
        return Err(errors.sorted());
    }

    let entity_pages = model.forums.len()
        + model.speakers.len()
        + model.organizations.len()
        + model.topics.len()
        + model.series.len();
    let redirects = redirect_pages(model, &urls);
    let counts = PageCounts {
        forums: model.forums.len(),
        speakers: model.speakers.len(),
        organizations: model.organizations.len(),
        topics: model.topics.len(),
        series: model.series.len(),
        other: jobs.len() - entity_pages + redirects.len(),
    };
    for (path, fp, was_kept) in
        machine_readable(model, &urls, &renderer, &jobs, sink, base, previous)
    {
        if was_kept {
            reused.push(path.clone());
        }
        fingerprints.insert(path, fp);
    }
    warnings.extend(std::mem::take(
        &mut *renderer.warnings.lock().unwrap_or_else(|p| p.into_inner()),
    ));
    redirects.into_iter().for_each(sink);
    for asset in &model.assets {
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
    Ok(Rendered {
        counts,
        warnings: warnings.sorted(),
        fingerprints,
        reused,
    })
}

/// Everything every page may show of the rest of the site: settings, templates, "today", and
/// the name and address of every forum, speaker, organization, topic, series and page. Any
/// change here (an added, removed or renamed report, say) re-renders every page.
fn structure_digest(model: &Model, theme: &Theme) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (model.site.digest, theme.digest, model.today.to_string()).hash(&mut h);
    for f in &model.forums {
        (&f.path, f.upcoming).hash(&mut h);
    }
    for s in &model.speakers {
        (&s.slug, &s.name).hash(&mut h);
    }
    for o in &model.organizations {
        (&o.slug, &o.name, o.kind.map(|k| k.as_str())).hash(&mut h);
    }
    for t in model.topics.iter().chain(&model.series) {
        (&t.slug, &t.name).hash(&mut h);
    }
    for p in &model.pages {
        (&p.path, &p.title).hash(&mut h);
    }
    for a in &model.assets {
        a.output.hash(&mut h);
    }
    h.finish()
}

/// Feeds, calendars, sitemap, robots.txt and the open-data API. An entity's feed and a
/// forum's calendar show what its page shows, so they share its fingerprint and, like it, are
/// kept when it matches `previous`. Returns (path, fingerprint, kept) for those.
fn machine_readable(
    model: &Model,
    urls: &Urls,
    renderer: &PageRenderer,
    jobs: &[Job],
    sink: Sink,
    base: u64,
    previous: &HashMap<String, u64>,
) -> Vec<(String, u64, bool)> {
    let all: Vec<ForumId> = model.forums.iter().map(|f| f.id).collect();
    let mut feeds: Vec<(FeedOwner, String, Vec<ForumId>, Option<Job>)> =
        vec![(FeedOwner::Site, model.site.title.clone(), all, None)];
    let named = |name: &str| format!("{name} · {}", model.site.title);
    for s in &model.speakers {
        let mut ids: Vec<ForumId> = s.appearances.iter().map(|(f, _)| *f).collect();
        ids.dedup();
        feeds.push((
            FeedOwner::Speaker(&s.slug),
            named(&s.name),
            ids,
            Some(Job::Speaker(s.id)),
        ));
    }
    for o in &model.organizations {
        feeds.push((
            FeedOwner::Organization(&o.slug),
            named(&o.name),
            o.forums(),
            Some(Job::Organization(o.id)),
        ));
    }
    for (i, t) in model.topics.iter().enumerate() {
        feeds.push((
            FeedOwner::Topic(&t.slug),
            named(&t.name),
            t.forums.clone(),
            Some(Job::Topic(TopicId(i as u32))),
        ));
    }
    for (i, t) in model.series.iter().enumerate() {
        feeds.push((
            FeedOwner::Series(&t.slug),
            named(&t.name),
            t.forums.clone(),
            Some(Job::Series(SeriesId(i as u32))),
        ));
    }
    // Make a file unless its page's fingerprint says the previous one still stands.
    let make = |path: String,
                job: Option<Job>,
                produce: &dyn Fn() -> Option<OutputFile>|
     -> Option<(String, u64, bool)> {
        let fingerprint = job.and_then(|j| renderer.fingerprint(j, base));
        if let Some(fp) = fingerprint {
            if previous.get(&path) == Some(&fp) {
                return Some((path, fp, true));
            }
        }
        let file = produce()?;
        sink(file);
        fingerprint.map(|fp| (path, fp, false))
    };
    let mut kept: Vec<(String, u64, bool)> = feeds
        .par_iter()
        .filter_map(|(owner, title, ids, job)| {
            make(Route::Feed(*owner).output_file(), *job, &|| {
                Some(feeds::atom(model, urls, *owner, title, ids))
            })
        })
        .collect();
    kept.extend(
        model
            .forums
            .par_iter()
            .filter(|f| f.start.is_some())
            .filter_map(|f| {
                make(
                    Route::ForumCalendar(&f.path).output_file(),
                    Some(Job::Forum(f.id)),
                    &|| calendar::forum_calendar(model, urls, f),
                )
            })
            .collect::<Vec<_>>(),
    );
    sink(calendar::site_calendar(model, urls));
    let pages: Vec<_> = jobs
        .iter()
        .filter_map(|&j| renderer.sitemap_entry(j))
        .collect();
    sink(sitemap::sitemap(urls, &pages));
    sink(sitemap::robots(urls));
    api::files(model, urls).into_iter().for_each(sink);
    kept
}

/// Every link target a Markdown body may name.
fn link_index(model: &Model, urls: &Urls) -> LinkIndex {
    let mut index = LinkIndex {
        base_path: urls.base_path().to_string(),
        ..LinkIndex::default()
    };
    for f in &model.forums {
        let key = content_key(&f.file);
        index.pages.insert(key, urls.href(Route::Forum(&f.path)));
        // `@/forums/<final path>` works too, also when `slug:` changed the last segment.
        index.pages.insert(
            format!("forums/{}", f.path),
            urls.href(Route::Forum(&f.path)),
        );
    }
    for s in &model.speakers {
        let href = urls.href(Route::Speaker(&s.slug));
        index
            .pages
            .insert(format!("speakers/{}", s.slug), href.clone());
        if let Some(p) = &s.profile {
            index.pages.insert(content_key(p), href);
        }
    }
    for o in &model.organizations {
        let href = urls.href(Route::Organization(&o.slug));
        index
            .pages
            .insert(format!("organizations/{}", o.slug), href.clone());
        if let Some(p) = &o.profile {
            index.pages.insert(content_key(p), href);
        }
    }
    for t in &model.topics {
        index.pages.insert(
            format!("topics/{}", t.slug),
            urls.href(Route::Topic(&t.slug)),
        );
    }
    for t in &model.series {
        index.pages.insert(
            format!("series/{}", t.slug),
            urls.href(Route::Series(&t.slug)),
        );
    }
    for p in &model.pages {
        index
            .pages
            .insert(content_key(&p.file), urls.href(Route::Page(&p.path)));
        index
            .pages
            .insert(p.path.clone(), urls.href(Route::Page(&p.path)));
    }
    for (name, route) in [
        ("forums", Route::Forums),
        ("speakers", Route::Speakers),
        ("organizations", Route::Organizations),
        ("topics", Route::Topics),
        ("series", Route::SeriesIndex),
        ("", Route::Home),
    ] {
        index.pages.insert(name.to_string(), urls.href(route));
    }
    index.files = model.assets.iter().map(|a| a.output.clone()).collect();
    index
}

/// `content/forums/2025/x.md` -> `forums/2025/x`.
fn content_key(file: &std::path::Path) -> String {
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
    let render = |md: &Markdown| markdown::render(md, links);
    let speakers: Vec<Option<(String, Vec<Diagnostic>)>> = model
        .speakers
        .par_iter()
        .map(|s| s.bio.as_ref().map(render))
        .collect();
    let organizations: Vec<Option<(String, Vec<Diagnostic>)>> = model
        .organizations
        .par_iter()
        .map(|o| o.description.as_ref().map(render))
        .collect();
    let pages: Vec<(String, Vec<Diagnostic>)> =
        model.pages.par_iter().map(|p| render(&p.body)).collect();
    let intro = render(&model.site.intro);
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

fn site_value(model: &Model, urls: &Urls) -> Result<tera::Value, Diagnostics> {
    let site = &model.site;
    let nav = [
        ("Forums", Route::Forums, "forums"),
        ("Speakers", Route::Speakers, "speakers"),
        ("Organizations", Route::Organizations, "organizations"),
        ("Topics", Route::Topics, "topics"),
    ]
    .into_iter()
    .map(|(label, route, section)| NavLink {
        label,
        href: urls.href(route),
        section,
    })
    .collect();
    let view = SiteView {
        title: &site.title,
        description: site.description.as_deref(),
        base_url: &site.base_url,
        base_path: &site.base_path,
        language: &site.language,
        timezone: &site.timezone_name,
        author: site.author.as_deref(),
        extra: &site.extra,
        nav,
        stylesheet: urls.href(Route::File("style.css")),
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
fn redirect_pages(model: &Model, urls: &Urls) -> Vec<OutputFile> {
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
