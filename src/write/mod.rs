//! Stage 4, `write`: put the rendered site on disk, atomically.
//!
//! Everything is written into a staging folder beside the output, which replaces the old
//! output only once every file is in place; a failed build (bad input, full disk, a kill)
//! leaves the previous `public/` exactly as it was. Every output path goes through
//! `contained_path`, the one containment guard, and two sources claiming one path (even if
//! they differ only in letter case, as they would collide on macOS and Windows) is an error
//! naming both. The output folder is refused when it is the site itself or a folder Podium
//! did not make, so a typo in `--output` can never delete someone's files.

use crate::diagnostic::{Diagnostic, Diagnostics};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

/// A poisoned lock only means another writer thread panicked; its data is still a set of
/// paths and messages, safe to keep using (the build fails on the panic anyway).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
use std::path::{Component, Path, PathBuf};

/// Left in every output folder Podium writes, so a later build knows the folder is its own.
pub const MARKER: &str = ".podium-output";

/// Entries of an existing output that are kept across builds (a deploy repository, say).
const PRESERVED: &[&str] = &[".git"];

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    pub contents: Contents,
    /// What produced it, for collision messages (`content/forums/2025/x.md`, `theme default`).
    pub origin: String,
}

#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    Copy(PathBuf),
}

/// Join `relative` (a `/`-separated output path) onto `base`, refusing anything that could
/// land outside it: empty, `.` or `..` segments, absolute paths, drive prefixes, backslashes,
/// NUL and other control characters.
pub fn contained_path(base: &Path, relative: &str) -> Result<PathBuf, String> {
    if relative.is_empty() {
        return Err("empty path".into());
    }
    let mut out = base.to_path_buf();
    for segment in relative.split('/') {
        if segment.is_empty() || segment == "." || segment == ".." {
            return Err(format!("`{relative}` has an empty, `.` or `..` segment"));
        }
        if segment
            .chars()
            .any(|c| c.is_control() || matches!(c, '\\' | ':'))
        {
            return Err(format!(
                "`{relative}` has a character not allowed in output paths"
            ));
        }
        let mut components = Path::new(segment).components();
        match (components.next(), components.next()) {
            (Some(Component::Normal(_)), None) => out.push(segment),
            _ => return Err(format!("`{relative}` is not a plain relative path")),
        }
    }
    Ok(out)
}

/// Refuse output folders whose replacement would destroy something that is not ours.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let absolute = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Canonicalise the nearest existing ancestor so `..` and symlinks cannot disguise it.
        let mut existing = p.clone();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (
                existing.file_name().map(|n| n.to_os_string()),
                existing.parent(),
            ) {
                (Some(name), Some(parent)) => {
                    rest.push(name);
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut c = existing.canonicalize().unwrap_or(existing);
        for name in rest.into_iter().rev() {
            c.push(name);
        }
        c
    };
    let out_abs = absolute(out);
    let root_abs = absolute(root);
    let refuse = |why: String| {
        Err(Diagnostic::error(format!("refusing to write the site into {}: {why}", out.display()))
            .with_help("choose an empty folder, or one a previous `podium build` wrote (the default is <root>/public)"))
    };
    if out_abs.parent().is_none() {
        return refuse("it is the file-system root".into());
    }
    if root_abs.starts_with(&out_abs) {
        return refuse("it contains the site itself, which the build replaces".into());
    }
    for protected in ["content", "themes"] {
        if out_abs.starts_with(root_abs.join(protected)) {
            return refuse(format!("it is inside the site's `{protected}/` folder"));
        }
    }
    if let Some(home) = std::env::var_os("HOME") {
        if out_abs == absolute(Path::new(&home)) {
            return refuse("it is your home folder".into());
        }
    }
    if out_abs.is_file() {
        return refuse("it is a file".into());
    }
    if out_abs.is_dir() && !out_abs.join(MARKER).exists() {
        let mut entries = std::fs::read_dir(&out_abs)
            .map_err(|e| Diagnostic::error(format!("cannot read {}: {e}", out.display())))?;
        if entries.next().is_some() {
            return refuse(format!(
                "it is not empty and has no `{MARKER}` file, so Podium did not make it"
            ));
        }
    }
    Ok(())
}

/// What a finished `Staging` wrote.
#[derive(Debug, Clone, Default)]
pub struct WriteReport {
    pub files: usize,
    pub bytes: u64,
}

/// Finds output paths claimed twice, including paths that differ only in letter case (they
/// collide on macOS and Windows). Files arrive in any order, so messages are made at the end,
/// one per pair of sources however many files the pair both writes (two reports at one
/// address collide on the page and on its `event.ics`: one mistake, one error).
#[derive(Debug, Default, Clone)]
pub struct Collisions {
    seen: HashMap<String, (String, String)>,
    /// By pair of origins (in sorted order): every path they both write, as each wrote it.
    pairs: std::collections::BTreeMap<(String, String), Vec<(String, String)>>,
}

impl Collisions {
    /// Record `path` as written by `origin`; false if another source already claimed it.
    pub fn claim(&mut self, path: &str, origin: &str) -> bool {
        match self.seen.entry(path.to_lowercase()) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert((path.to_string(), origin.to_string()));
                true
            }
            std::collections::hash_map::Entry::Occupied(o) => {
                let (first_path, first_origin) = o.get();
                // The pair in a stable order whichever thread sent its file first.
                let (a, b, pa, pb) = if first_origin.as_str() <= origin {
                    (first_origin.as_str(), origin, first_path.as_str(), path)
                } else {
                    (origin, first_origin.as_str(), path, first_path.as_str())
                };
                self.pairs
                    .entry((a.to_string(), b.to_string()))
                    .or_default()
                    .push((pa.to_string(), pb.to_string()));
                false
            }
        }
    }

    pub fn into_diagnostics(self) -> Diagnostics {
        let mut found = Diagnostics::new();
        for ((a, b), mut paths) in self.pairs {
            // Name the page when a page is among them: it is what the editor recognises.
            paths.sort_by_key(|(x, _)| (!x.ends_with(".html"), x.to_lowercase()));
            let (x, y) = &paths[0];
            let case = if x == y {
                String::new()
            } else {
                let (x, y) = if x <= y { (x, y) } else { (y, x) };
                format!(" (as `{x}` and `{y}`; the names differ only in case)")
            };
            let more = match paths.len() - 1 {
                0 => String::new(),
                1 => format!(" and `{}`", paths[1].0.to_lowercase()),
                n => format!(" and {n} more files"),
            };
            found.push(
                Diagnostic::error(format!(
                    "{a} and {b} both write `{}`{more}{case}",
                    x.to_lowercase()
                ))
                .with_help("give one of them another `slug:` or file name"),
            );
        }
        found.sorted()
    }
}

/// A build being written: files go into a staging folder beside the output as they are
/// rendered, and `commit` swaps the folder in once everything succeeded. Dropped without a
/// commit (an error, a panic), it removes the staging folder and the output is untouched.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    parent: PathBuf,
    name: String,
    /// Shared by the rendering threads, which write their own files; each lock is held
    /// only for a lookup, never during I/O.
    collisions: Mutex<Collisions>,
    errors: Mutex<Diagnostics>,
    dirs: Mutex<std::collections::HashSet<PathBuf>>,
    files: AtomicUsize,
    bytes: AtomicU64,
    /// Set by the first I/O error; later files are counted, not written.
    failed: AtomicBool,
    skipped: AtomicUsize,
    committed: bool,
}

impl Staging {
    /// Check the output folder and create an empty staging folder beside it.
    pub fn begin(root: &Path, out: &Path) -> Result<Staging, Diagnostics> {
        check_output_dir(root, out).map_err(Diagnostics::from)?;
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        std::fs::create_dir_all(&parent)
            .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", parent.display())))?;
        let name = out
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("public")
            .to_string();
        remove_leftovers(&parent, &name);
        let dir = unique_sibling(&parent, &name, "staging");
        std::fs::create_dir_all(&dir)
            .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", dir.display())))?;
        let mut dirs = std::collections::HashSet::new();
        dirs.insert(dir.clone());
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            parent,
            name,
            collisions: Mutex::new(Collisions::default()),
            errors: Mutex::new(Diagnostics::new()),
            dirs: Mutex::new(dirs),
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            failed: AtomicBool::new(false),
            skipped: AtomicUsize::new(0),
            committed: false,
        })
    }

    /// Write one file; callable from many threads at once. Problems are recorded and
    /// reported by `commit`; writing goes on so that one run reports them all.
    pub fn add(&self, file: OutputFile) {
        if !lock(&self.collisions).claim(&file.path, &file.origin) {
            return;
        }
        // After a disk error (full, read-only, quota) every further write would fail the same
        // way: stop writing and report the first one, not thousands.
        if self.failed.load(Ordering::Relaxed) {
            self.skipped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let target = match contained_path(&self.dir, &file.path) {
            Ok(t) => t,
            Err(why) => {
                let why = format!(
                    "{}: refusing to write outside the output folder: {why}",
                    file.origin
                );
                return lock(&self.errors).push(Diagnostic::error(why));
            }
        };
        let io_error = |e: std::io::Error, what: String| {
            self.failed.store(true, Ordering::Relaxed);
            lock(&self.errors).push(Diagnostic::error(format!("{what}: {e}")).with_help(
                "nothing was changed in the output folder; free some space (or fix the permissions) and build again",
            ));
        };
        if let Some(parent) = target.parent() {
            if !lock(&self.dirs).contains(parent) {
                // Two threads may both create it; create_dir_all accepts that.
                if let Err(e) = std::fs::create_dir_all(parent) {
                    return io_error(e, format!("cannot create {}", parent.display()));
                }
                lock(&self.dirs).insert(parent.to_path_buf());
            }
        }
        let written = match &file.contents {
            Contents::Bytes(b) => std::fs::write(&target, b).map(|_| b.len() as u64),
            Contents::Copy(from) => std::fs::copy(from, &target),
        };
        match written {
            Ok(bytes) => {
                self.files.fetch_add(1, Ordering::Relaxed);
                self.bytes.fetch_add(bytes, Ordering::Relaxed);
            }
            Err(e) => io_error(
                e,
                format!("cannot write `{}` (from {})", file.path, file.origin),
            ),
        }
    }

    /// How many files have been written so far.
    pub fn written(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// Swap the staging folder in for the output, if nothing went wrong.
    pub fn commit(mut self) -> Result<WriteReport, Diagnostics> {
        let mut problems = std::mem::take(&mut *lock(&self.collisions)).into_diagnostics();
        problems.extend(std::mem::take(&mut *lock(&self.errors)));
        let skipped = self.skipped.load(Ordering::Relaxed);
        if skipped > 0 {
            problems.push(Diagnostic::error(format!(
                "{skipped} more files were not written after that error"
            )));
        }
        if problems.has_errors() {
            return Err(problems.sorted());
        }
        std::fs::write(
            self.dir.join(MARKER),
            "This folder is written by `podium build`; it is replaced on every build.\n",
        )
        .map_err(|e| Diagnostic::error(format!("cannot write the output marker: {e}")))?;
        swap(&self.dir, &self.out, &self.parent, &self.name).map_err(|e| {
            Diagnostic::error(format!("cannot replace {}: {e}", self.out.display()))
        })?;
        self.committed = true;
        Ok(WriteReport {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Write `files` as the new contents of `out`, atomically.
pub fn write_site(
    root: &Path,
    files: Vec<OutputFile>,
    out: &Path,
) -> Result<WriteReport, Diagnostics> {
    let staging = Staging::begin(root, out)?;
    for f in files {
        staging.add(f);
    }
    staging.commit()
}

/// A build killed mid-way leaves its staging folder behind (the previous output is intact);
/// the next build of the same output clears it.
fn remove_leftovers(parent: &Path, name: &str) {
    let prefix = format!(".{name}.podium-");
    for entry in std::fs::read_dir(parent).into_iter().flatten().flatten() {
        let file_name = entry.file_name();
        let Some(n) = file_name.to_str() else {
            continue;
        };
        if n.starts_with(&prefix) && (n.contains("-staging-") || n.contains("-old-")) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn unique_sibling(parent: &Path, name: &str, what: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    parent.join(format!(
        ".{name}.podium-{what}-{}-{nanos}",
        std::process::id()
    ))
}

/// Put `staging` in place of `out`, keeping the old tree until the new one is in.
fn swap(staging: &Path, out: &Path, parent: &Path, name: &str) -> std::io::Result<()> {
    if !out.exists() {
        return std::fs::rename(staging, out);
    }
    for keep in PRESERVED {
        let old = out.join(keep);
        let new = staging.join(keep);
        if old.exists() && !new.exists() {
            std::fs::rename(&old, &new)?;
        }
    }
    let retired = unique_sibling(parent, name, "old");
    std::fs::rename(out, &retired)?;
    if let Err(e) = std::fs::rename(staging, out) {
        // Put the previous site back before reporting.
        let _ = std::fs::rename(&retired, out);
        return Err(e);
    }
    std::fs::remove_dir_all(&retired)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containment_guard_refuses_escapes() {
        let base = Path::new("/srv/out");
        for bad in [
            "",
            "../x",
            "a/../../b",
            "/etc/passwd",
            "a//b",
            "./a",
            "..\\x",
            "C:/x",
            "a\0b",
            "a/",
        ] {
            assert!(contained_path(base, bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            contained_path(base, "forums/2025/index.html").unwrap(),
            Path::new("/srv/out/forums/2025/index.html")
        );
    }

    #[test]
    fn collisions_name_both_sources_even_across_case() {
        let mut c = Collisions::default();
        assert!(c.claim("about/index.html", "content/About.md"));
        assert!(!c.claim("About/index.html", "content/about.md"));
        let err = c.into_diagnostics();
        let text = err.iter().next().unwrap().message.clone();
        assert!(
            text.contains("content/About.md") && text.contains("content/about.md"),
            "{text}"
        );
    }

    #[test]
    fn one_error_per_pair_of_sources_however_many_files_collide() {
        let mut c = Collisions::default();
        // The calendar may arrive first: the message still names the page.
        assert!(c.claim("forums/a/x/event.ics", "content/forums/a/x.md"));
        assert!(c.claim("forums/a/x/index.html", "content/forums/a/x.md"));
        assert!(!c.claim("forums/a/x/event.ics", "content/forums/A/x.md"));
        assert!(!c.claim("forums/a/x/index.html", "content/forums/A/x.md"));
        let all = c.into_diagnostics().into_vec();
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(
            all[0].message,
            "content/forums/A/x.md and content/forums/a/x.md both write \
             `forums/a/x/index.html` and `forums/a/x/event.ics`"
        );
    }
}
