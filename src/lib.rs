//! Podium turns a folder of Markdown forum reports into a static site that readers browse by
//! forum, by speaker and by organization.
//!
//! The pipeline runs one way, each stage taking owned, typed data and handing it on:
//! [`load`] reads `content/` into typed documents (front matter checked, positions kept);
//! [`model`] resolves names into forums, speakers, organizations, topics and series with
//! every edge made in both directions; [`render`] turns the model into pages through the
//! theme's Tera templates (in parallel); [`write`] puts them on disk atomically. Problems at
//! any stage are [`diagnostic::Diagnostic`]s with file, line and column, collected rather
//! than stopping at the first. [`import`] stands beside the pipeline: it turns spreadsheets
//! and conference schedules into reports in `content/`.

pub mod cli;
pub mod connections;
pub mod diagnostic;
pub mod i18n;
pub mod images;
pub mod import;
pub mod links;
pub mod load;
pub mod model;
pub mod privacy;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod unchanged;
pub mod write;

use diagnostic::Diagnostics;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use model::Today;

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (with `content/` and optionally `themes/`).
    pub root: PathBuf,
    /// Where the site is written; `<root>/public` when not given.
    pub output: Option<PathBuf>,
    pub today: Today,
    /// Show a progress spinner on an interactive terminal.
    pub progress: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            output: None,
            today: Today::Clock,
            progress: false,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: render::PageCounts,
    /// What the output holds now, and what this build changed in it.
    pub written: write::WriteReport,
    pub elapsed: Duration,
    /// Nothing had changed since the last build, which was therefore not run again (see
    /// `unchanged`).
    pub unchanged: bool,
    /// Problems that did not stop the build.
    pub warnings: Diagnostics,
    /// Images made by this build and images taken from the cache.
    pub images: images::ImageCounts,
    /// Source files parsed by this build and documents taken from the last one's.
    pub documents: load::LoadCounts,
}

/// Load, resolve and prepare the theme: everything before rendering. Returns the warnings
/// found so far with the model. `cache` holds the documents of files that did not change.
/// `may_write_key`: whether a privacy key may be made for a site that needs one and has
/// none (`build` and `serve`; `check` writes nothing). `renders_all`: whether every page will
/// be made whatever the cache holds (a build into an empty output).
fn prepare_cached(
    options: &BuildOptions,
    cache: &mut load::LoadCache,
    may_write_key: bool,
    renders_all: bool,
) -> Result<(model::Model, render::theme::Theme, Diagnostics), Diagnostics> {
    let (mut content, mut diags) = load::load_content_cached(&options.root, cache);
    timing("load");
    if may_write_key
        && content.privacy_key.is_none()
        && !diags.has_errors()
        && privacy::needs_key(&content)
    {
        match privacy::Key::create(&options.root) {
            Ok((key, path)) => {
                content.privacy_key = Some(key);
                diags.push(
                    diagnostic::Diagnostic::warning(
                        "made a new privacy key for the addresses of people shown as initials",
                    )
                    .at(diagnostic::Span::file_start(&path))
                    .with_help("keep this file with your sources and commit it where they are kept: if it is lost, those addresses change (docs/privacy.md)"),
                );
            }
            Err(e) => {
                diags.push(
                    diagnostic::Diagnostic::error(format!(
                        "cannot write a privacy key to {}: {e}",
                        options.root.join(privacy::key::KEY_FILE).display()
                    ))
                    .with_help(format!("people shown as initials need one; or set `{}` to a secret of at least 16 characters", privacy::key::KEY_VARIABLE)),
                );
                return Err(diags);
            }
        }
    }
    if diags.has_errors() {
        // Keep going far enough to report model problems of the files that did load, so one
        // run shows as many mistakes as possible. (Its warnings would be guesses: a profile
        // "nobody mentions" may be mentioned by a report that failed to load.) Not when the
        // settings themselves did not load: without their languages every translation would
        // be "in a language the site does not have", errors that fixing the settings undoes.
        let settings_failed =
            content.site.is_none() && options.root.join("content").join("_index.md").is_file();
        if !settings_failed && let Err(more) = model::build_model(content, options.today) {
            diags.extend(more.into_iter().filter(|d| d.is_error()).collect());
        }
        return Err(diags.sorted());
    }
    let with_earlier = |mut d: Diagnostics, earlier: &Diagnostics| {
        d.extend(earlier.clone());
        d.sorted()
    };
    // A rebuild that took most documents from the last build renders few pages: it keeps
    // what the model no longer needs until it is done. A build that renders every page (a
    // first build, or one into an output deleted since) frees it at once: its memory peaks
    // while rendering (at 100,000 reports, 3.19 GB with the documents kept, 2.44 GB without).
    let spent = if !renders_all && cache.counts.reused > cache.counts.parsed {
        model::Spent::SetAside
    } else {
        model::Spent::FreeNow
    };
    let (model, warnings) = model::build_model_then(content, options.today, spent)
        .map_err(|d| with_earlier(d, &diags))?;
    diags.extend(warnings);
    timing("model");
    let theme = render::theme::Theme::load(
        &options.root,
        &model.site.theme,
        &model.translations.languages,
    )
    .map_err(|d| with_earlier(d, &diags))?;
    // One warning per language, naming the words it lacks.
    let mut missing: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for (lang, key) in &theme.missing_words {
        missing.entry(lang).or_default().push(key);
    }
    for (lang, keys) in missing {
        let shown: Vec<String> = keys.iter().take(12).map(|k| format!("`{k}`")).collect();
        let more = keys.len().saturating_sub(shown.len());
        let list = if more > 0 {
            format!("{} and {more} more", shown.join(", "))
        } else {
            shown.join(", ")
        };
        diags.push(
            diagnostic::Diagnostic::warning(format!(
                "the theme has no `{lang}` words for {} key(s): {list}; pages in `{lang}` show the default language's or English words there",
                keys.len()
            ))
            .with_help(format!(
                "add them to i18n/{lang}.yaml in your theme (a theme that extends another may add just the missing words; see docs/themes.md, \"Words in every language\")"
            )),
        );
    }
    Ok((model, theme, diags))
}

/// Build the site: load, model, render, write. The output is replaced only if everything
/// succeeded.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let built = build_site(options);
    free_set_aside();
    built
}

fn build_site(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    timing("start");
    let out = options.output_dir();
    // Run in the wrong folder, a build leaves nothing behind (not even its state folder).
    if let Some(error) = load::not_a_site(&options.root) {
        return Err(Diagnostics::from(error));
    }
    // Refuse a dangerous output folder before spending time on the build. Reading the
    // last manifest and looking at every input are both needed before anything else, and
    // neither needs the other: they run side by side.
    let (output, unchanged::Inputs { digest, content }) = rayon::join(
        || write::Output::begin(&options.root, &out),
        || unchanged::inputs(options, &out),
    );
    let mut output = output?;
    timing("output opened, inputs stat");
    if let Some(pages) = unchanged::previous_build(output.state(), digest)
        && let Some(written) = output.previous_if_intact()
    {
        timing("unchanged");
        return Ok(BuildReport {
            pages,
            written,
            elapsed: started.elapsed(),
            unchanged: true,
            warnings: Diagnostics::new(),
            images: images::ImageCounts::default(),
            documents: load::LoadCounts::default(),
        });
    }
    // Which files of the previous output are still as it left them, looked at in the
    // background while the sources load, for the pages that need not be made again.
    output.sweep_previous();
    // The documents of the last build's sources, so that only changed files are parsed.
    let mut documents =
        load::LoadCache::on_disk(output.state().join("documents"), render::podium_identity());
    documents.walked = Some(content);
    let (model, theme, mut warnings) =
        prepare_cached(options, &mut documents, true, output.began_empty())?;
    let cache = images::ImageCache::on_disk(output.state().join("images"));
    let gallery = process_images(&model, &cache, &warnings)?;
    let image_counts = gallery.counts;
    let progress = progress_bar(options.progress);
    // Each rendering thread writes the files it renders: disk writes overlap rendering, and
    // the site's bytes are never all in memory at once. A page whose inputs are those of the
    // page the output already holds is not rendered at all.
    // The last guard of people's privacy: a file that would show a protected name stops the
    // build, and the previous output stays (docs/privacy.md).
    let leaks = std::sync::Mutex::new(Diagnostics::new());
    let sink = |file: write::OutputFile| {
        if let Some(error) = model.redactions.leaked(&file) {
            leaks.lock().unwrap_or_else(|p| p.into_inner()).push(error);
            return;
        }
        output.add(file);
        progress.inc(1);
    };
    let keep = |path: &str, fingerprint: u64| output.intact(path, fingerprint);
    let made_with = |fingerprint: u64| output.made_with(fingerprint);
    let read = |path: &str| output.read_previous(path);
    let previous = render::PreviousOutput {
        made_with: &made_with,
        read: &read,
    };
    // The words of the reports whose pages the output keeps, for the search index.
    let words_file = output.state().join("search-words");
    let connections_file = output.state().join("connections");
    let mut carried = render::Carried {
        search_texts: search::Texts::load(&words_file),
        connections: connections::kept::read(&connections_file),
    };
    let drawn_before = carried.connections.as_ref().map(|d| d.key);
    let rendered = render::render_site_with(
        &model,
        &theme,
        gallery,
        &sink,
        &keep,
        &previous,
        &mut carried,
    );
    progress.finish_and_clear();
    timing("render");
    let rendered = rendered.map_err(|mut d| {
        d.extend(warnings.clone());
        d.sorted()
    })?;
    let leaks = leaks.into_inner().unwrap_or_else(|p| p.into_inner());
    if !leaks.is_empty() {
        let mut errors = leaks;
        errors.extend(warnings.clone());
        return Err(errors.sorted());
    }
    // A text that could not be read back from the document cache (changed under the build)
    // would be missing from its page: nothing is written.
    if let Some(lost) = documents.lost_texts() {
        let mut errors = Diagnostics::from(lost);
        errors.extend(warnings.clone());
        return Err(errors.sorted());
    }
    output.keep_all(rendered.reused, "an unchanged page");
    timing("unchanged pages kept");
    let state = output.state().to_path_buf();
    // Warnings found while making pages show again only if the pages are made again, so
    // such a build forgets its pages' fingerprints. Warnings of loading, the model (a
    // protected name replaced in a report, say) and the render context (a quote that names
    // no speaker, a broken link in a profile) come back with every build that runs.
    let pages_clean = !rendered.pages_warned;
    let clean = warnings.is_empty() && rendered.warnings.is_empty();
    let written = output
        .commit(&rendered.fingerprints, pages_clean)
        .map_err(|mut d| {
            d.extend(warnings.clone());
            d.sorted()
        })?;
    timing("commit");
    if !written.kept_unknown.is_empty() {
        warnings.push(kept_unknown_warning(&out, &written.kept_unknown));
    }
    carried.search_texts.save(&words_file);
    if let Some(drawn) = &carried.connections
        && Some(drawn.key) != drawn_before
    {
        connections::kept::write(&connections_file, drawn);
    }
    timing("search words");
    warnings.extend(rendered.warnings);
    if clean {
        // A build with warnings runs whole next time too, so that they are shown again.
        unchanged::record(&state, digest, &rendered.counts);
    }
    drop_in_background(model);
    Ok(BuildReport {
        pages: rendered.counts,
        written,
        elapsed: started.elapsed(),
        unchanged: false,
        warnings: warnings.sorted(),
        images: image_counts,
        documents: documents.counts,
    })
}

/// The warning for files an output without a manifest held that this build did not make
/// and left in place (see `write::output`): they may be the user's own, or left over.
fn kept_unknown_warning(out: &std::path::Path, kept: &[String]) -> diagnostic::Diagnostic {
    let shown: Vec<&str> = kept.iter().take(8).map(String::as_str).collect();
    let more = kept.len() - shown.len();
    let list = if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    };
    diagnostic::Diagnostic::warning(format!(
        "{} held {} file(s) this build did not make and left them in place, because the record of what the last build wrote ({}) was missing or damaged: {list}",
        out.display(),
        kept.len(),
        state_dir_name(out),
    ))
    .with_help("keep the files you put there yourself (a CNAME, a verification file); delete any left over from an earlier build by hand. From now on the record is kept, and files you add are left alone")
}

/// The name of the folder beside `out` where Podium keeps its state.
fn state_dir_name(out: &std::path::Path) -> String {
    write::state_dir(out).display().to_string()
}

/// What the stages of a build no longer need, until the build is done.
static SET_ASIDE: std::sync::Mutex<Vec<Box<dyn Send>>> = std::sync::Mutex::new(Vec::new());

/// Keep `value` until the build is done, then free it with `free_set_aside`. The documents
/// once the model is made, and the render context once the pages are, are millions of small
/// allocations at 10,000 reports. Freeing them in the middle of the build costs it a tenth
/// of a second, and freeing them on another thread costs more: that thread and the build
/// then take turns at the allocator's lock, and the stages after it slowed by more than the
/// freeing took (measured: an edit's rebuild 1.87 s freeing at once, 1.94 s on another
/// thread, 1.74 s set aside).
pub(crate) fn set_aside<T: Send + 'static>(value: T) {
    SET_ASIDE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(Box::new(value));
}

/// Free what was set aside, on a thread of its own (see `drop_in_background`). Every command
/// that runs a build calls it when the build is done (or failed).
pub(crate) fn free_set_aside() {
    let spent = std::mem::take(&mut *SET_ASIDE.lock().unwrap_or_else(|p| p.into_inner()));
    if !spent.is_empty() {
        drop_in_background(spent);
    }
}

/// Free `value` on a thread of its own. A build's model, documents and render context are
/// millions of small allocations at 10,000 reports, a tenth of a second to free that
/// nobody need wait for (`podium build` exits right after). If no thread can be started, it
/// is freed here.
pub(crate) fn drop_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// The `images` stage, its errors reported with the warnings found before it.
pub(crate) fn process_images(
    model: &model::Model,
    cache: &images::ImageCache,
    earlier: &Diagnostics,
) -> Result<render::Gallery, Diagnostics> {
    let processed = images::process(model, cache);
    timing("images");
    match processed {
        Ok(gallery) => Ok(std::sync::Arc::new(gallery)),
        Err(mut d) => {
            d.extend(earlier.clone());
            Err(d.sorted())
        }
    }
}

/// With `PODIUM_TIMINGS` set, print how long each stage took since the previous one (for
/// benchmarks and profiling; see docs/benchmarks.md).
pub fn timing(stage: &str) {
    static LAST: std::sync::Mutex<Option<Instant>> = std::sync::Mutex::new(None);
    if std::env::var_os("PODIUM_TIMINGS").is_none() {
        return;
    }
    static LAST_CPU: std::sync::Mutex<f64> = std::sync::Mutex::new(0.0);
    let now = Instant::now();
    let mut last = LAST.lock().unwrap_or_else(|p| p.into_inner());
    // CPU time of the whole process (user and system, every thread), so a stage's
    // parallelism shows beside its wall time.
    let cpu = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
            let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
            Some((ticks(11)? + ticks(12)?) * 10.0)
        })
        .unwrap_or(0.0);
    let cpu_spent = cpu
        - std::mem::replace(
            &mut *LAST_CPU.lock().unwrap_or_else(|p| p.into_inner()),
            cpu,
        );
    if let Some(before) = *last {
        // With the memory held at that point and the peak so far, where Linux tells them.
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .map_or(String::new(), |v| v.trim().to_string())
        };
        eprintln!(
            "{stage:>12}: {:>6.0} ms  (cpu {:>6.0} ms, memory {}, peak {})",
            (now - before).as_secs_f64() * 1000.0,
            cpu_spent,
            field("VmRSS:"),
            field("VmHWM:")
        );
    }
    *last = Some(now);
}

/// A spinner with a count on an interactive terminal; hidden in CI, in pipes and when quiet.
fn progress_bar(wanted: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    let interactive = wanted && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    if !interactive {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} files written ({per_sec})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Load, resolve and render everything without writing; every problem found, including
/// output paths claimed twice.
pub fn check(options: &BuildOptions) -> Diagnostics {
    let found = check_site(options);
    free_set_aside();
    found
}

fn check_site(options: &BuildOptions) -> Diagnostics {
    let (model, theme, mut diags) =
        match prepare_cached(options, &mut load::LoadCache::one_off(), false, true) {
            Ok(prepared) => prepared,
            Err(diags) => return diags,
        };
    // Images are checked too, with what a build left in the cache; nothing is written.
    let cache =
        images::ImageCache::in_memory(Some(write::state_dir(&options.output_dir()).join("images")));
    let gallery = match process_images(&model, &cache, &diags) {
        Ok(g) => g,
        Err(d) => return d,
    };
    let collisions = std::sync::Mutex::new(write::Collisions::default());
    let leaks = std::sync::Mutex::new(Diagnostics::new());
    let sink = |file: write::OutputFile| {
        if let Some(error) = model.redactions.leaked(&file)
            && let Ok(mut l) = leaks.lock()
        {
            l.push(error);
        }
        if let Ok(mut c) = collisions.lock() {
            c.claim(&file.path, &file.origin);
        }
    };
    match render::render_site(&model, &theme, gallery, &sink, &|_, _| false) {
        Ok(rendered) => diags.extend(rendered.warnings),
        Err(errors) => diags.extend(errors),
    }
    if let Ok(c) = collisions.into_inner() {
        diags.extend(c.into_diagnostics());
    }
    if let Ok(l) = leaks.into_inner() {
        diags.extend(l);
    }
    diags.sorted()
}
