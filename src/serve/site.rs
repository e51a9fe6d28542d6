//! The site as `serve` holds it: every output file in memory, keyed by its output path.
//!
//! Serving from memory means a request can only ever name a file the build produced (no
//! path on disk is ever opened on a request's behalf, so traversal has nothing to reach),
//! and a rebuild replaces the whole snapshot at once: no reader sees half a build.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::LoadCache;
use crate::write::{Collisions, Contents, OutputFile};
use crate::{BuildOptions, prepare_cached, render};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One file, ready to send.
#[derive(Debug, Clone)]
pub struct Served {
    pub bytes: axum::body::Bytes,
    /// A strong validator from the content, so a rebuild within the same second still
    /// changes it (mtime-based validators would not).
    pub etag: String,
}

/// A consistent view of the site for the server.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub files: HashMap<String, Served>,
    /// `/` or the path part of `base_url` (`/archive/`): requests are resolved under it.
    pub base_path: String,
    /// The problems of the latest build, if it failed; `files` are then the last good build.
    pub errors: Option<Diagnostics>,
    /// Counts every build, failed ones included; live-reload clients compare it.
    pub version: u64,
    /// The fingerprint of each page of `files` (see `render::render_site_reusing`).
    pub fingerprints: HashMap<String, u64>,
}

/// A build's outcome: its files, or what went wrong; and how long it took.
pub struct Built {
    pub result: Result<Fresh, Diagnostics>,
    pub elapsed: Duration,
}

/// A successful build.
pub struct Fresh {
    pub files: HashMap<String, Served>,
    pub base_path: String,
    pub warnings: Diagnostics,
    pub fingerprints: HashMap<String, u64>,
    /// How many pages were rendered, and how many kept from the previous build.
    pub rendered: usize,
    pub reused: usize,
}

/// Load, resolve and render the site into memory, re-reading only files that changed since
/// the build `cache` remembers.
/// Pages whose inputs did not change since `previous` are taken from it, not rendered.
pub fn build(options: &BuildOptions, cache: &mut LoadCache, previous: &Snapshot) -> Built {
    let started = Instant::now();
    let result = build_files(options, cache, previous);
    Built {
        result,
        elapsed: started.elapsed(),
    }
}

fn build_files(
    options: &BuildOptions,
    cache: &mut LoadCache,
    previous: &Snapshot,
) -> Result<Fresh, Diagnostics> {
    let (model, theme, mut warnings) = prepare_cached(options, cache)?;
    let collected: Mutex<(Collisions, HashMap<String, Served>, Diagnostics)> =
        Mutex::new(Default::default());
    let sink = |file: OutputFile| {
        let bytes = match &file.contents {
            Contents::Bytes(b) => Ok(b.clone()),
            Contents::Copy(path) => std::fs::read(path),
        };
        let mut guard = collected.lock().unwrap_or_else(|p| p.into_inner());
        let (collisions, files, errors) = &mut *guard;
        if !collisions.claim(&file.path, &file.origin) {
            return;
        }
        match bytes {
            Ok(bytes) => {
                files.insert(
                    file.path,
                    Served {
                        etag: etag(&bytes),
                        bytes: bytes.into(),
                    },
                );
            }
            Err(e) => errors.push(Diagnostic::error(format!(
                "cannot read {}: {e}",
                file.origin
            ))),
        }
    };
    // Only pages the previous build still holds can be reused.
    let reusable: HashMap<String, u64> = previous
        .fingerprints
        .iter()
        .filter(|(path, _)| previous.files.contains_key(*path))
        .map(|(p, f)| (p.clone(), *f))
        .collect();
    let rendered = render::render_site_reusing(&model, &theme, &sink, &reusable)?;
    let (collisions, mut files, mut errors) =
        collected.into_inner().unwrap_or_else(|p| p.into_inner());
    errors.extend(collisions.into_diagnostics());
    if errors.has_errors() {
        return Err(errors.sorted());
    }
    for path in &rendered.reused {
        if let Some(file) = previous.files.get(path) {
            files.insert(path.clone(), file.clone());
        }
    }
    warnings.extend(rendered.warnings);
    Ok(Fresh {
        files,
        base_path: model.site.base_path.clone(),
        warnings: warnings.sorted(),
        rendered: rendered.fingerprints.len() - rendered.reused.len(),
        reused: rendered.reused.len(),
        fingerprints: rendered.fingerprints,
    })
}

fn etag(bytes: &[u8]) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("\"{:016x}-{}\"", hasher.finish(), bytes.len())
}
