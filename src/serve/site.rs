//! The site as `serve` holds it, and how a save turns into a new version of it.
//!
//! Every output file is in memory, keyed by its output path. Serving from memory means a
//! request can only ever name a file the build produced (no path on disk is opened on a
//! request's behalf, so traversal has nothing to reach), and each version replaces the
//! snapshot at once: no reader sees half a build.
//!
//! A rebuild comes in steps, so that the page being written is back first:
//! 1. `Builder::rebuild`. When the save only rewrote reports in place (the common case while
//!    writing), just those reports are read again, their forums replaced in the model
//!    (`model::update_report`) and their pages made. Otherwise the whole site is loaded and
//!    resolved again, and every entity page whose fingerprint changed is made.
//! 2. `Builder::next_step`, until it returns `None`: the pages and feeds of everyone the
//!    saved reports name, then the files that show the whole site (home, indexes, site feed
//!    and calendar, sitemap, API).
//!
//! Each step is published as it is done. Until the last, the snapshot lists what is still
//! `pending`; the server holds a request for a pending file (or for one that does not exist
//! yet) until it is made, so nothing stale is ever served.

use super::watch::Change;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::LoadCache;
use crate::model::{self, Model};
use crate::render::{self, Context, SiteWide, theme::Theme};
use crate::write::{Collisions, Contents, OutputFile};
use crate::{BuildOptions, prepare_cached};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One file, ready to send.
#[derive(Debug, Clone)]
pub struct Served {
    pub bytes: axum::body::Bytes,
    /// A strong validator, new whenever the bytes change (see `etag`), so a rebuild within
    /// the same second still changes it (mtime-based validators would not).
    pub etag: String,
}

/// A consistent view of the site for the server.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub files: Files,
    /// `/` or the path part of `base_url` (`/archive/`): requests are resolved under it.
    pub base_path: String,
    /// The problems of the latest build, if it failed; `files` are then the last good build.
    pub errors: Option<Diagnostics>,
    /// Counts every build, failed ones included; live-reload clients compare it.
    pub version: u64,
    /// While a rebuild still has steps to go: the files it will make again. A request for
    /// one of them, or for a file not in `files` yet, waits.
    pub pending: Option<Arc<HashSet<String>>>,
}

impl Snapshot {
    /// Whether a request for `path` must wait for a later step.
    pub fn must_wait(&self, path: &str) -> bool {
        self.pending.as_ref().is_some_and(|p| {
            p.contains(path) || !(self.files.contains_key(path) || self.files.is_gone(path))
        })
    }
}

/// The files of a snapshot. A save remakes a few dozen of a large site's 25,000 files;
/// holding those in a small map over a shared base means a new version copies only them.
#[derive(Debug, Clone, Default)]
pub struct Files {
    base: Arc<HashMap<String, Served>>,
    recent: HashMap<String, Served>,
    /// Files of `base` taken down: no later step brings them back (a deleted report's).
    gone: Arc<HashSet<String>>,
}

impl Files {
    fn new(files: HashMap<String, Served>) -> Files {
        Files {
            base: Arc::new(files),
            recent: HashMap::new(),
            gone: Default::default(),
        }
    }

    pub fn get(&self, path: &str) -> Option<&Served> {
        if self.gone.contains(path) {
            return None;
        }
        self.recent.get(path).or_else(|| self.base.get(path))
    }

    /// Whether `path` was taken down, so a request need not wait for it.
    pub fn is_gone(&self, path: &str) -> bool {
        self.gone.contains(path)
    }

    /// These files without `gone`.
    fn without(&self, gone: &[String]) -> Files {
        let mut next = self.clone();
        let mut all = (*next.gone).clone();
        for path in gone {
            next.recent.remove(path);
            all.insert(path.clone());
        }
        next.gone = Arc::new(all);
        next
    }

    pub fn contains_key(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// These files with `more` added or replacing. `settle` folds the recent files into
    /// the base once there are many (a copy of the whole map, so not on the way to the
    /// first page).
    fn with(&self, more: HashMap<String, Served>, settle: bool) -> Files {
        let mut next = self.clone();
        if more.keys().any(|p| next.gone.contains(p)) {
            let mut gone = (*next.gone).clone();
            gone.retain(|p| !more.contains_key(p));
            next.gone = Arc::new(gone);
        }
        next.recent.extend(more);
        if settle && next.recent.len() > 4096 {
            let mut base = (*next.base).clone();
            base.extend(std::mem::take(&mut next.recent));
            next.base = Arc::new(base);
        }
        next
    }
}

/// A rebuild's outcome: its files, or what went wrong; and how long it took.
pub struct Built {
    pub result: Result<Fresh, Diagnostics>,
    pub elapsed: Duration,
}

/// The first step of a successful rebuild.
pub struct Fresh {
    /// The files to serve now.
    pub files: Files,
    pub base_path: String,
    /// What the next steps will make again.
    pub pending: HashSet<String>,
    pub warnings: Diagnostics,
    /// How many pages and feeds were made.
    pub rendered: usize,
    /// How much was read again.
    pub how: How,
}

/// The path a rebuild took (see `Builder::rebuild`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// Only the saved report(s) were read again and their forums replaced in place.
    InPlace,
    /// Only a new report was read and its forum put in its place in the chronology.
    Inserted,
    /// A deleted report's page was taken down; the rest follows in the next step.
    Deleted,
    /// The whole site was read and resolved again.
    Whole,
}

impl How {
    /// For the terminal: "Built 3 pages and feeds in 40 ms (the saved report read again)".
    pub fn describe(self) -> &'static str {
        match self {
            How::InPlace => "the saved report read again",
            How::Inserted => "the new report read and put in its place",
            How::Deleted => "the deleted report's page taken down, the whole site read next",
            How::Whole => "the whole site read again",
        }
    }
}

/// A later step of a rebuild.
pub struct Step {
    /// The files to serve now.
    pub files: Files,
    /// What later steps will still make, or `None` after the last.
    pub pending: Option<HashSet<String>>,
    pub warnings: Diagnostics,
    /// What the step made, for the terminal: "12 pages and feeds that name the saved report".
    pub made: String,
}

/// What the last good build leaves for the next save: the model and the render context
/// (both updated in place by the quick path), the theme, the output paths claimed, and the
/// warnings (shown again after each save).
struct Live {
    model: Model,
    theme: Theme,
    context: Context,
    claimed: Collisions,
    warnings: Diagnostics,
}

/// How many entity pages one step makes at most: small enough that a save made meanwhile
/// waits a fraction of a second, large enough that a step's overhead does not count.
const PAGES_PER_STEP: usize = 1000;

/// What the steps after the first still have to make.
#[derive(Default)]
struct Todo {
    /// Forums whose mentions (speakers' pages, ...) are still to be made again.
    mentions: Vec<model::ForumId>,
    /// The entity pages still to be made again (those whose fingerprint changed), by
    /// number (see `render::entity_page_count`); made a slice per step.
    pages: std::ops::Range<usize>,
    /// The parts of the site-wide files still to make, in order.
    site_wide: Vec<SiteWide>,
    /// A whole-site rebuild for this change, still to do (after a deleted report's page
    /// was taken down at once).
    reload: Option<Change>,
}

/// Builds the site again and again, keeping what it can between builds.
pub struct Builder {
    options: BuildOptions,
    cache: LoadCache,
    live: Option<Live>,
    /// The fingerprint of each page and feed that is up to date in the snapshot.
    fingerprints: HashMap<String, u64>,
    todo: Todo,
    /// The paths the last complete set of site-wide steps made.
    site_wide: HashSet<String>,
    /// The paths the site-wide steps of this rebuild have made so far, and all paths
    /// claimed so far.
    site_wide_made: HashSet<String>,
    site_claims: Option<Collisions>,
    /// The path of every entity page and feed of the last model: all may change when a
    /// report is added, so all are pending until checked (kept here, as making them anew
    /// costs 50 ms at 10,000 reports).
    entity_paths: HashSet<String>,
    /// Images made so far, in memory; those a `podium build` of this site cached are read
    /// from its cache. Only new or changed images are processed on a rebuild.
    images: crate::images::ImageCache,
}

impl Builder {
    pub fn new(options: BuildOptions) -> Builder {
        let images = crate::images::ImageCache::in_memory(Some(
            crate::write::state_dir(&options.output_dir()).join("images"),
        ));
        Builder {
            images,
            options,
            cache: LoadCache::default(),
            live: None,
            fingerprints: HashMap::new(),
            todo: Todo::default(),
            site_wide: HashSet::new(),
            site_wide_made: HashSet::new(),
            site_claims: None,
            entity_paths: HashSet::new(),
        }
    }

    /// Every rebuild makes the site-wide files from the first part on.
    fn restart_site_wide(&mut self) {
        self.todo.site_wide = SiteWide::ALL.to_vec();
        self.site_wide_made.clear();
        self.site_claims = None;
    }

    /// The site-wide paths still to be made by this rebuild's steps.
    fn site_wide_pending(&self) -> HashSet<String> {
        self.site_wide
            .difference(&self.site_wide_made)
            .cloned()
            .collect()
    }

    /// The first step after `change` (for the first build, pass `Change { rescan: true,
    /// .. }`). `previous` is the snapshot being served.
    pub fn rebuild(&mut self, change: &Change, previous: &Snapshot) -> Built {
        let started = Instant::now();
        let quick = self
            .quick(change, previous)
            .or_else(|| self.quick_insert(change, previous))
            .or_else(|| self.quick_delete(change, previous));
        let result = match quick {
            Some(result) => result,
            None => self.full(change, previous),
        };
        if result.is_err() {
            // The next save starts from the files, not from what this build half-did.
            self.live = None;
            self.todo = Todo::default();
        }
        Built {
            result,
            elapsed: started.elapsed(),
        }
    }

    /// The quick path: every changed file is a report the last build read, and each still
    /// names what it named (`model::update_report`). `None` when that does not hold.
    fn quick(
        &mut self,
        change: &Change,
        previous: &Snapshot,
    ) -> Option<Result<Fresh, Diagnostics>> {
        if change.rescan || change.paths.is_empty() || self.todo.reload.is_some() {
            return None;
        }
        let live = self.live.as_mut()?;
        // A site in several languages is made whole on each save (see `full`).
        if live.model.translations.is_multilingual() {
            return None;
        }
        let mut edits = Vec::new();
        for path in &change.paths {
            edits.push(self.cache.reload_report(&self.options.root, path)?);
        }
        // A report that now shows other images needs them processed: the whole path.
        let images = |d: &crate::load::Document<crate::load::documents::ReportFront>| {
            (
                d.front.image.as_ref().map(|t| t.0.clone()),
                d.body.facts().images.clone(),
            )
        };
        if edits.iter().any(|(old, new)| images(old) != images(new)) {
            return None;
        }
        let mut changed = Vec::new();
        for (old, new) in &edits {
            changed.push(model::update_report(&mut live.model, old, new)?);
        }
        for &id in &changed {
            live.context.forum_changed(&live.model, id);
        }
        // The paths are those of the last build, so only claims among these files count.
        let collector = Collector::new(previous, None, &live.model.redactions);
        let sink = |file: OutputFile| collector.add(file);
        let mut made = Vec::new();
        let mut warnings = Diagnostics::new();
        for &id in &changed {
            match render::render_forum_page(&live.model, &live.theme, &live.context, id, &sink) {
                Ok(r) => {
                    warnings.extend(r.warnings);
                    made.extend(r.fingerprints);
                }
                Err(errors) => return Some(Err(errors)),
            }
        }
        let files = match collector.finish() {
            Ok((files, _)) => files,
            Err(errors) => return Some(Err(errors)),
        };
        let rendered = made.len();
        self.fingerprints.extend(made);
        // This build's warnings about the saved reports replace the last build's.
        let saved: Vec<&std::path::Path> =
            edits.iter().map(|(_, new)| new.file.as_path()).collect();
        let mut all: Diagnostics = live
            .warnings
            .iter()
            .filter(|w| {
                !w.span
                    .as_ref()
                    .is_some_and(|s| saved.contains(&s.file.as_path()))
            })
            .cloned()
            .collect();
        all.extend(warnings);
        live.warnings = all.sorted();

        for id in changed {
            if !self.todo.mentions.contains(&id) {
                self.todo.mentions.push(id);
            }
        }
        let mut pending: HashSet<String> =
            render::forum_mention_paths(&live.model, &live.context, &self.todo.mentions)
                .into_iter()
                .collect();
        pending.extend(self.site_wide.iter().cloned());
        // The pages a whole-site rebuild cut short had still to make stay pending.
        if !self.todo.pages.is_empty() {
            let left = self.todo.pages.clone();
            pending.extend(render::entity_paths_in(&live.model, &live.context, left));
        }
        let base_path = live.model.site.base_path.clone();
        let warnings = live.warnings.clone();
        self.restart_site_wide();
        let files = previous.files.with(files, false);
        Some(Ok(Fresh {
            files,
            base_path,
            pending,
            warnings,
            rendered,
            how: How::InPlace,
        }))
    }

    /// The one file a change names, for the new- and deleted-report paths; `None` for a
    /// rescan, for several files, or while a whole-site rebuild is still to do (the kept
    /// model is then out of date).
    fn one_saved_path<'c>(&self, change: &'c Change) -> Option<&'c std::path::PathBuf> {
        match change.paths.as_slice() {
            [path] if !change.rescan && self.todo.reload.is_none() => Some(path),
            _ => None,
        }
    }

    /// The quick path for a new report: one new file naming only names the site has, each as
    /// the site spells it, with no images (`model::insert_report`). Its forum is put into the
    /// kept model and context and its page made first; then the pages that list it; then
    /// every other entity page is checked against its fingerprint, as after `full`. `None`
    /// when that does not hold (then the kept model is dropped if it was already changed).
    fn quick_insert(
        &mut self,
        change: &Change,
        previous: &Snapshot,
    ) -> Option<Result<Fresh, Diagnostics>> {
        let path = self.one_saved_path(change)?;
        let live = self.live.as_mut()?;
        // Warnings may be about this very file (a link to it, say): a full build says.
        if live.model.translations.is_multilingual() || !live.warnings.is_empty() {
            return None;
        }
        let doc = self.cache.read_new_report(&self.options.root, path)?;
        if doc.front.image.is_some() || !doc.body.facts().images.is_empty() {
            return None;
        }
        let id = model::insert_report(&mut live.model, &doc)?;
        if !live.context.forum_inserted(&live.model, id) {
            self.live = None;
            return None;
        }
        let collector = Collector::new(previous, None, &live.model.redactions);
        let sink = |file: OutputFile| collector.add(file);
        let new_files;
        let made =
            match render::render_forum_page(&live.model, &live.theme, &live.context, id, &sink) {
                Ok(made) => made,
                Err(errors) => return Some(Err(errors)),
            };
        // A warning, or an address another file has: the full build reports it.
        let taken = made
            .fingerprints
            .keys()
            .any(|p| previous.files.contains_key(p));
        if taken || !made.warnings.is_empty() {
            self.live = None;
            return None;
        }
        // The later steps check what they make against this page; the other files stay
        // as they were, and the new page's paths were free of them.
        match collector.finish() {
            Ok((files, claimed)) => {
                live.claimed = claimed;
                new_files = files;
            }
            Err(errors) => return Some(Err(errors)),
        }
        let rendered = made.fingerprints.len();
        for m in &mut self.todo.mentions {
            if *m >= id {
                m.0 += 1;
            }
        }
        self.todo.mentions.push(id);
        self.todo.pages = 0..render::entity_page_count(&live.model, &live.context);
        self.entity_paths.extend(made.fingerprints.keys().cloned());
        let mut pending = self.entity_paths.clone();
        pending.extend(render::forum_mention_paths(
            &live.model,
            &live.context,
            &self.todo.mentions,
        ));
        for path in made.fingerprints.keys() {
            pending.remove(path);
        }
        pending.extend(self.site_wide.iter().cloned());
        self.fingerprints.extend(made.fingerprints);
        let base_path = live.model.site.base_path.clone();
        let warnings = live.warnings.clone();
        self.restart_site_wide();
        Some(Ok(Fresh {
            files: previous.files.with(new_files, false),
            base_path,
            pending,
            warnings,
            rendered,
            how: How::Inserted,
        }))
    }

    /// The quick first step for a deleted report: its page and calendar are taken down at
    /// once (no build has them any more) and everything else is pending until the next
    /// step, which reads and resolves the whole site again (`full`).
    fn quick_delete(
        &mut self,
        change: &Change,
        previous: &Snapshot,
    ) -> Option<Result<Fresh, Diagnostics>> {
        let path = self.one_saved_path(change)?;
        if std::fs::symlink_metadata(path).is_ok() {
            return None;
        }
        let live = self.live.as_ref()?;
        // (A site in several languages has the page in each: the whole path makes them.)
        if live.model.translations.is_multilingual() {
            return None;
        }
        let root = &self.options.root;
        let forum = live
            .model
            .forums
            .iter()
            .find(|f| root.join(&f.file) == *path)?;
        let gone = render::forum_paths(&live.model, forum.id);
        let mut pending = self.entity_paths.clone();
        pending.extend(self.site_wide.iter().cloned());
        for path in &gone {
            pending.remove(path);
        }
        let base_path = live.model.site.base_path.clone();
        let warnings = live.warnings.clone();
        // The kept model still has the report: the next step (or save) reads the whole
        // site again, taking from it only what `full` does (dropping it here would cost a
        // deleted page 100 ms at 10,000 reports).
        self.todo = Todo {
            reload: Some(change.clone()),
            ..Todo::default()
        };
        Some(Ok(Fresh {
            files: previous.files.without(&gone),
            base_path,
            pending,
            warnings,
            rendered: 0,
            how: How::Deleted,
        }))
    }

    /// Load and resolve the whole site again. The first step makes the pages of the saved
    /// reports and the files that are not pages (redirects, static files); every other
    /// entity page is pending until the next step, which makes those whose fingerprint
    /// changed.
    fn full(&mut self, change: &Change, previous: &Snapshot) -> Result<Fresh, Diagnostics> {
        let fresh = self.load_whole(change, previous);
        // What loading and rendering no longer need (the documents, another language's
        // render context) is freed once the step is done.
        crate::free_set_aside();
        fresh
    }

    fn load_whole(&mut self, change: &Change, previous: &Snapshot) -> Result<Fresh, Diagnostics> {
        // The report words the search index took from pages that may be kept.
        let search_texts = self
            .live
            .take()
            .map(|mut live| live.context.take_search_texts())
            .unwrap_or_default();
        self.todo = Todo::default();
        if change.rescan {
            self.cache = LoadCache::default();
        } else {
            // A watcher that compares contents may report a file whose size and time
            // did not change: read what it names again whatever the clock says.
            self.cache.forget(&change.paths);
        }
        let (model, theme, mut warnings) =
            prepare_cached(&self.options, &mut self.cache, true, false)?;
        let gallery = crate::process_images(&model, &self.images, &warnings)?;
        let languages = model.translations.languages.clone();
        let locale = crate::i18n::Locale::new(&languages[0], &languages, theme.words.clone());
        let mut context = Context::new(&model, gallery.clone(), locale, None)?;
        crate::timing("context");
        context.keep_api_records();
        context.set_search_texts(search_texts);
        let collector = Collector::new(previous, None, &model.redactions);
        let sink = |file: OutputFile| collector.add(file);
        let saved: Vec<model::ForumId> = model
            .forums
            .iter()
            .filter(|f| change.paths.contains(&self.options.root.join(&f.file)))
            .map(|f| f.id)
            .collect();
        let mut made = HashMap::new();
        for &id in &saved {
            let r = render::render_forum_page(&model, &theme, &context, id, &sink)?;
            warnings.extend(r.warnings);
            made.extend(r.fingerprints);
        }
        crate::timing("saved pages");
        render::render_other_files(&model, &theme, &context, &sink, &|_, _| false);
        // Other languages are made now, not in steps; a page whose fingerprint did not
        // change keeps its bytes (so a translation edit remakes only the pages it shows on).
        let fingerprints = &self.fingerprints;
        let keep = |path: &str, fp: u64| {
            fingerprints.get(path) == Some(&fp) && previous.files.contains_key(path)
        };
        let others = render::render_other_languages(
            &model,
            &theme,
            gallery,
            (&sink, &keep, &render::PreviousOutput::NONE),
            None,
        )?;
        warnings.extend(others.warnings);
        let (mut files, claimed) = collector.finish()?;
        for path in &others.reused {
            if let Some(file) = previous.files.get(path) {
                files.entry(path.clone()).or_insert_with(|| file.clone());
            }
        }
        self.fingerprints.extend(others.fingerprints);
        // Every other page keeps its previous bytes, pending, until the next step.
        let all = 0..render::entity_page_count(&model, &context);
        self.entity_paths = render::entity_paths_in(&model, &context, all)
            .into_iter()
            .collect();
        let mut pending: HashSet<String> = self
            .entity_paths
            .iter()
            .filter(|p| !made.contains_key(*p))
            .cloned()
            .collect();
        pending.extend(self.site_wide.iter().cloned());
        for path in &pending {
            if let Some(file) = previous.files.get(path) {
                files.entry(path.clone()).or_insert_with(|| file.clone());
            }
        }
        warnings.extend(context.warnings().clone());
        let warnings = warnings.sorted();
        let base_path = model.site.base_path.clone();
        let rendered = made.len();
        self.fingerprints.extend(made);
        self.todo.pages = 0..render::entity_page_count(&model, &context);
        self.live = Some(Live {
            model,
            theme,
            context,
            claimed,
            warnings: warnings.clone(),
        });
        self.restart_site_wide();
        Ok(Fresh {
            files: Files::new(files),
            base_path,
            pending,
            warnings,
            rendered,
            how: How::Whole,
        })
    }

    /// The next step of the last rebuild, on top of `current` (the snapshot being served);
    /// `None` when there is nothing left to do.
    pub fn next_step(&mut self, current: &Snapshot) -> Option<Result<Step, Diagnostics>> {
        if let Some(change) = self.todo.reload.take() {
            return Some(self.full(&change, current).map(|fresh| Step {
                made: format!(
                    "the whole site read again: {} pages made first",
                    fresh.rendered
                ),
                files: fresh.files,
                pending: Some(fresh.pending),
                warnings: fresh.warnings,
            }));
        }
        let live = self.live.as_ref()?;
        let result = if !self.todo.mentions.is_empty() {
            let ids = std::mem::take(&mut self.todo.mentions);
            let collector = Collector::new(current, None, &live.model.redactions);
            let sink = |file: OutputFile| collector.add(file);
            render::render_forum_mentions(&live.model, &live.theme, &live.context, &ids, &sink)
                .and_then(|r| {
                    let made = format!(
                        "{} pages and feeds that name the saved report",
                        r.fingerprints.len()
                    );
                    self.fingerprints.extend(r.fingerprints);
                    let (files, _) = collector.finish()?;
                    Ok(Step {
                        files: current.files.with(files, true),
                        pending: Some(self.site_wide_pending()),
                        warnings: r.warnings,
                        made,
                    })
                })
        } else if !self.todo.pages.is_empty() {
            let slice = self.todo.pages.start
                ..(self.todo.pages.start + PAGES_PER_STEP).min(self.todo.pages.end);
            self.todo.pages.start = slice.end;
            let last = self.todo.pages.is_empty();
            // The claims go with the collector and come back with its result.
            let claimed = self.live.as_mut().map(|l| std::mem::take(&mut l.claimed));
            let live = self.live.as_ref()?;
            let collector = Collector::new(current, claimed, &live.model.redactions);
            let sink = |file: OutputFile| collector.add(file);
            // A page is kept if the snapshot still holds it as made with this fingerprint.
            let fingerprints = &self.fingerprints;
            let keep = |path: &str, fp: u64| {
                fingerprints.get(path) == Some(&fp) && current.files.contains_key(path)
            };
            let (model, theme, context) = (&live.model, &live.theme, &live.context);
            let later = if last {
                Vec::new()
            } else {
                render::entity_paths_in(model, context, self.todo.pages.clone())
            };
            let rendered =
                render::render_entity_pages_in(model, theme, context, &sink, &keep, slice.clone());
            rendered.and_then(|r| {
                let (files, claimed) = collector.finish()?;
                let mut pending = self.site_wide_pending();
                pending.extend(later);
                self.fingerprints.extend(r.fingerprints);
                if let Some(live) = self.live.as_mut() {
                    live.claimed = claimed;
                    let mut all = std::mem::take(&mut live.warnings);
                    all.extend(r.warnings.clone());
                    live.warnings = all.sorted();
                }
                Ok(Step {
                    made: format!(
                        "{} pages and feeds whose inputs changed, of pages {}-{} ({} unchanged)",
                        files.len(),
                        slice.start + 1,
                        slice.end,
                        r.reused.len()
                    ),
                    files: current.files.with(files, true),
                    pending: Some(pending),
                    warnings: r.warnings,
                })
            })
        } else if !self.todo.site_wide.is_empty() {
            let part = self.todo.site_wide.remove(0);
            // Each part's paths must be free of the entity pages' and the earlier parts'.
            let claimed = self
                .site_claims
                .take()
                .unwrap_or_else(|| live.claimed.clone());
            let collector = Collector::new(current, Some(claimed), &live.model.redactions);
            let sink = |file: OutputFile| collector.add(file);
            render::render_site_wide_part(&live.model, &live.theme, &live.context, part, &sink)
                .and_then(|warnings| {
                    let (files, claimed) = collector.finish()?;
                    self.site_claims = Some(claimed);
                    let made = format!("{} site-wide files ({part:?})", files.len());
                    self.site_wide_made.extend(files.keys().cloned());
                    let pending = if self.todo.site_wide.is_empty() {
                        self.site_wide = std::mem::take(&mut self.site_wide_made);
                        None
                    } else {
                        Some(self.site_wide_pending())
                    };
                    Ok(Step {
                        made,
                        files: current.files.with(files, true),
                        pending,
                        warnings,
                    })
                })
        } else {
            return None;
        };
        if result.is_err() {
            self.live = None;
            self.todo = Todo::default();
        }
        Some(result)
    }
}

/// Gathers rendered files into memory from many threads: checks that no path is claimed
/// twice, reads copied files, and gives each its ETag (or the previous `Served` when the
/// bytes are the same, which is cheaper than hashing them again).
struct Collector<'p> {
    previous: &'p Snapshot,
    /// Protected names no served file may hold (`crate::privacy`).
    redactions: std::sync::Arc<crate::privacy::Redactions>,
    state: Mutex<(Collisions, HashMap<String, Served>, Diagnostics)>,
}

impl<'p> Collector<'p> {
    fn new(
        previous: &'p Snapshot,
        claimed: Option<Collisions>,
        redactions: &std::sync::Arc<crate::privacy::Redactions>,
    ) -> Collector<'p> {
        Collector {
            previous,
            redactions: redactions.clone(),
            state: Mutex::new((
                claimed.unwrap_or_default(),
                HashMap::new(),
                Diagnostics::new(),
            )),
        }
    }

    fn add(&self, file: OutputFile<'_>) {
        if let Some(error) = self.redactions.leaked(&file) {
            let mut guard = self.state.lock().unwrap_or_else(|p| p.into_inner());
            guard.2.push(error);
            return;
        }
        let OutputFile {
            path,
            contents,
            origin,
        } = file;
        let bytes = match contents {
            Contents::Bytes(b) => Ok(b),
            Contents::Streamed(_) => Ok(contents.joined().into_owned()),
            Contents::Copy(source) => std::fs::read(source),
        };
        let served = bytes.map(|bytes| match self.previous.files.get(&path) {
            Some(old) if old.bytes[..] == bytes[..] => old.clone(),
            _ => Served {
                etag: etag(&bytes),
                bytes: bytes.into(),
            },
        });
        let mut guard = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let (collisions, files, errors) = &mut *guard;
        if !collisions.claim(&path, &origin) {
            return;
        }
        match served {
            Ok(served) => {
                files.insert(path, served);
            }
            Err(e) => errors.push(Diagnostic::error(format!("cannot read {origin}: {e}"))),
        }
    }

    fn finish(self) -> Result<(HashMap<String, Served>, Collisions), Diagnostics> {
        let (collisions, files, mut errors) =
            self.state.into_inner().unwrap_or_else(|p| p.into_inner());
        let claimed = collisions.clone();
        errors.extend(collisions.into_diagnostics());
        if errors.has_errors() {
            return Err(errors.sorted());
        }
        Ok((files, claimed))
    }
}

/// A strong validator for new bytes: this process's start time and a counter. A file whose
/// bytes did not change keeps its `Served` and so its ETag (see `Collector::add`); any other
/// gets a value never given before, also across restarts (a browser may hold a page from the
/// last run). Cheaper than hashing the 65 MB of a large site's API after each save.
fn etag(bytes: &[u8]) -> String {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static STARTED: OnceLock<u128> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let started = STARTED.get_or_init(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    });
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("\"{started:x}-{n:x}-{}\"", bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served(text: &str) -> Served {
        Served {
            bytes: axum::body::Bytes::from(text.to_string()),
            etag: etag(text.as_bytes()),
        }
    }

    /// A deleted report's page answers at once while the rest is pending, and comes back if
    /// a later step makes it again.
    #[test]
    fn a_taken_down_file_does_not_wait_and_can_come_back() {
        let page = "forums/2025/gone/index.html".to_string();
        let files = Files::new(HashMap::from([
            (page.clone(), served("old")),
            ("index.html".to_string(), served("home")),
        ]));
        let snapshot = Snapshot {
            files: files.without(std::slice::from_ref(&page)),
            pending: Some(Arc::new(HashSet::from(["index.html".to_string()]))),
            ..Snapshot::default()
        };
        assert!(snapshot.files.get(&page).is_none());
        assert!(!snapshot.must_wait(&page));
        assert!(snapshot.must_wait("index.html"));
        assert!(snapshot.must_wait("forums/2025/new/index.html"));
        let again = snapshot
            .files
            .with(HashMap::from([(page.clone(), served("new"))]), false);
        assert_eq!(&again.get(&page).unwrap().bytes[..], b"new");
        assert!(!again.is_gone(&page));
    }
}
