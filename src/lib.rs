//! Podium turns a folder of Markdown forum reports into a static site that readers browse by
//! forum, by speaker and by organization.
//!
//! The pipeline runs one way, each stage taking owned, typed data and handing it on:
//! [`load`] reads `content/` into typed documents (front matter checked, positions kept);
//! [`model`] resolves names into forums, speakers, organizations, topics and series with
//! every edge made in both directions; [`render`] turns the model into pages through the
//! theme's Tera templates (in parallel); [`write`] puts them on disk atomically. Problems at
//! any stage are [`diagnostic::Diagnostic`]s with file, line and column, collected rather
//! than stopping at the first.

pub mod cli;
pub mod connections;
pub mod diagnostic;
pub mod links;
pub mod load;
pub mod model;
pub mod render;
pub mod scaffold;
pub mod serve;
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
    pub files: usize,
    pub bytes: u64,
    pub elapsed: Duration,
    /// Problems that did not stop the build.
    pub warnings: Diagnostics,
}

/// Load, resolve and prepare the theme: everything before rendering. Returns the warnings
/// found so far with the model.
fn prepare(
    options: &BuildOptions,
) -> Result<(model::Model, render::theme::Theme, Diagnostics), Diagnostics> {
    prepare_cached(options, &mut load::LoadCache::one_off())
}

/// `prepare`, reusing the documents `cache` holds for files that did not change.
fn prepare_cached(
    options: &BuildOptions,
    cache: &mut load::LoadCache,
) -> Result<(model::Model, render::theme::Theme, Diagnostics), Diagnostics> {
    let (content, mut diags) = load::load_content_cached(&options.root, cache);
    if diags.has_errors() {
        // Keep going far enough to report model problems of the files that did load, so one
        // run shows as many mistakes as possible. (Its warnings would be guesses: a profile
        // "nobody mentions" may be mentioned by a report that failed to load.)
        if let Err(more) = model::build_model(content, options.today) {
            diags.extend(more.into_iter().filter(|d| d.is_error()).collect());
        }
        return Err(diags.sorted());
    }
    let with_earlier = |mut d: Diagnostics, earlier: &Diagnostics| {
        d.extend(earlier.clone());
        d.sorted()
    };
    let (model, warnings) =
        model::build_model(content, options.today).map_err(|d| with_earlier(d, &diags))?;
    diags.extend(warnings);
    let theme = render::theme::Theme::load(&options.root, &model.site.theme)
        .map_err(|d| with_earlier(d, &diags))?;
    Ok((model, theme, diags))
}

/// Build the site: load, model, render, write. The output is replaced only if everything
/// succeeded.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let out = options.output_dir();
    // Refuse a dangerous output folder before spending time on the build.
    write::check_output_dir(&options.root, &out).map_err(Diagnostics::from)?;
    let (model, theme, mut warnings) = prepare(options)?;
    let staging = write::Staging::begin(&options.root, &out)?;
    let progress = progress_bar(options.progress);
    // Each rendering thread writes the files it renders: disk writes overlap rendering, and
    // the site's bytes are never all in memory at once.
    let sink = |file| {
        staging.add(file);
        progress.inc(1);
    };
    let rendered = render::render_site(&model, &theme, &sink);
    progress.finish_and_clear();
    let rendered = rendered.map_err(|mut d| {
        d.extend(warnings.clone());
        d.sorted()
    })?;
    let written = staging.commit().map_err(|mut d| {
        d.extend(warnings.clone());
        d.sorted()
    })?;
    warnings.extend(rendered.warnings);
    Ok(BuildReport {
        pages: rendered.counts,
        files: written.files,
        bytes: written.bytes,
        elapsed: started.elapsed(),
        warnings: warnings.sorted(),
    })
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
    let (model, theme, mut diags) = match prepare(options) {
        Ok(prepared) => prepared,
        Err(diags) => return diags,
    };
    let collisions = std::sync::Mutex::new(write::Collisions::default());
    let sink = |file: write::OutputFile| {
        if let Ok(mut c) = collisions.lock() {
            c.claim(&file.path, &file.origin);
        }
    };
    match render::render_site(&model, &theme, &sink) {
        Ok(rendered) => diags.extend(rendered.warnings),
        Err(errors) => diags.extend(errors),
    }
    if let Ok(c) = collisions.into_inner() {
        diags.extend(c.into_diagnostics());
    }
    diags.sorted()
}
