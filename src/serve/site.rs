//! The site as `serve` holds it: every output file in memory, keyed by its output path.
//!
//! Serving from memory means a request can only ever name a file the build produced (no
//! path on disk is ever opened on a request's behalf, so traversal has nothing to reach),
//! and a rebuild replaces the whole snapshot at once: no reader sees half a build.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::write::{Collisions, Contents, OutputFile};
use crate::load::LoadCache;
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
}

/// A build's outcome: its files, or what went wrong; and how long it took.
pub struct Built {
    pub result: Result<(HashMap<String, Served>, String, Diagnostics), Diagnostics>,
    pub elapsed: Duration,
}

/// Load, resolve and render the site into memory, re-reading only files that changed since
/// the build `cache` remembers.
pub fn build(options: &BuildOptions, cache: &mut LoadCache) -> Built {
    let started = Instant::now();
    let result = build_files(options, cache);
    Built {
        result,
        elapsed: started.elapsed(),
    }
}

fn build_files(
    options: &BuildOptions,
    cache: &mut LoadCache,
) -> Result<(HashMap<String, Served>, String, Diagnostics), Diagnostics> {
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
    let rendered = render::render_site(&model, &theme, &sink)?;
    let (collisions, files, mut errors) = collected.into_inner().unwrap_or_else(|p| p.into_inner());
    errors.extend(collisions.into_diagnostics());
    if errors.has_errors() {
        return Err(errors.sorted());
    }
    warnings.extend(rendered.warnings);
    Ok((files, model.site.base_path.clone(), warnings.sorted()))
}

fn etag(bytes: &[u8]) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("\"{:016x}-{}\"", hasher.finish(), bytes.len())
}
