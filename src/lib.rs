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
pub mod diagnostic;
pub mod links;
pub mod load;
pub mod model;
pub mod render;
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
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            output: None,
            today: Today::Clock,
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

/// Everything up to writing: the files a build would write, plus its warnings.
pub fn render_site(options: &BuildOptions) -> Result<render::Rendered, Diagnostics> {
    let (content, mut diags) = load::load_content(&options.root);
    if diags.has_errors() {
        // Keep going far enough to report model problems of the files that did load, so one
        // run shows as many mistakes as possible.
        if let Err(more) = model::build_model(content, options.today) {
            diags.extend(more.into_iter().filter(|d| d.is_error()).collect());
        }
        return Err(diags.sorted());
    }
    let (model, warnings) = model::build_model(content, options.today).map_err(|mut d| {
        d.extend(diags.clone());
        d.sorted()
    })?;
    diags.extend(warnings);
    let theme = render::theme::Theme::load(&options.root, &model.site.theme).map_err(|mut d| {
        d.extend(diags.clone());
        d.sorted()
    })?;
    let mut rendered = render::render_site(&model, &theme).map_err(|mut d| {
        d.extend(diags.clone());
        d.sorted()
    })?;
    diags.extend(std::mem::take(&mut rendered.warnings));
    rendered.warnings = diags.sorted();
    Ok(rendered)
}

/// Build the site: load, model, render, write.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let out = options.output_dir();
    // Refuse a dangerous output folder before spending time on the build.
    write::check_output_dir(&options.root, &out).map_err(Diagnostics::from)?;
    let rendered = render_site(options)?;
    let written = write::write_site(&options.root, rendered.files, &out)?;
    Ok(BuildReport {
        pages: rendered.counts,
        files: written.files,
        bytes: written.bytes,
        elapsed: started.elapsed(),
        warnings: rendered.warnings,
    })
}

/// Load, resolve and render without writing anything; every problem found.
pub fn check(options: &BuildOptions) -> Diagnostics {
    match render_site(options) {
        Ok(rendered) => rendered.warnings,
        Err(diags) => diags,
    }
}
