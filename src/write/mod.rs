//! Stage 4, `write`: put the rendered site on disk, atomically, touching only what changed.
//!
//! `Output` (in `output`) writes new and changed files into a staging folder and moves them
//! into place only once every file is rendered, through a journal that a killed build's
//! successor finishes (`journal`); unchanged files keep their bytes and modification time,
//! known by the manifest of the previous output (`manifest`). A failed build (bad input, full
//! disk) leaves the previous `public/` exactly as it was. Every output path goes through
//! `contained_path`, the one containment guard, and two sources claiming one path (even if
//! they differ only in letter case, as they would collide on macOS and Windows) is an error
//! naming both. The output folder is refused when it is the site itself or a folder Podium
//! did not make, so a typo in `--output` can never delete someone's files.

mod journal;
pub mod manifest;
mod output;
pub mod state_file;
mod sweep;

pub use output::{Output, WriteReport, state_dir};

use crate::diagnostic::{Diagnostic, Diagnostics};
use std::path::{Component, Path, PathBuf};

/// Left in every output folder Podium writes, so a later build knows the folder is its own.
pub const MARKER: &str = ".podium-output";

/// One file of the built site. `'m` is what a streamed file's bytes are made from (the
/// model): such a file is written while the sink it is handed to runs, never kept.
#[derive(Debug, Clone)]
pub struct OutputFile<'m> {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    pub contents: Contents<'m>,
    /// What produced it, for collision messages (`content/forums/2025/x.md`, `theme default`).
    pub origin: String,
}

#[derive(Debug, Clone)]
pub enum Contents<'m> {
    Bytes(Vec<u8>),
    /// Bytes made as they are written, a piece at a time, and never all in memory: a file of
    /// hundreds of megabytes (the open data at 100,000 reports) costs a few megabytes.
    Streamed(Stream<'m>),
    /// A file copied as it is (an asset, an image from the cache).
    Copy(PathBuf),
}

impl Contents<'_> {
    /// Hand the bytes made in memory to `each`, a piece at a time, in order (none for a
    /// copied file). A streamed file's pieces are made again on every call.
    pub fn each_piece(&self, each: &mut dyn FnMut(&[u8])) {
        match self {
            Contents::Bytes(b) => each(b),
            Contents::Streamed(s) => s.each_piece(each),
            Contents::Copy(_) => {}
        }
    }

    /// The bytes made in memory, joined (a copy only for a streamed file).
    pub fn joined(&self) -> std::borrow::Cow<'_, [u8]> {
        match self {
            Contents::Bytes(b) => std::borrow::Cow::Borrowed(b),
            _ => {
                let mut all = Vec::new();
                self.each_piece(&mut |piece| all.extend_from_slice(piece));
                std::borrow::Cow::Owned(all)
            }
        }
    }
}

/// The maker of a streamed file: each call hands every piece of the file, in order, to the
/// function it is given. Making the same bytes on every call is the maker's promise.
#[derive(Clone)]
pub struct Stream<'m>(std::sync::Arc<StreamMaker<'m>>);

type StreamMaker<'m> = dyn Fn(&mut dyn FnMut(&[u8])) + Send + Sync + 'm;

impl<'m> Stream<'m> {
    pub fn new(make: impl Fn(&mut dyn FnMut(&[u8])) + Send + Sync + 'm) -> Self {
        Stream(std::sync::Arc::new(make))
    }

    pub fn each_piece(&self, each: &mut dyn FnMut(&[u8])) {
        (self.0)(each)
    }
}

impl std::fmt::Debug for Stream<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stream(..)")
    }
}

/// Join `relative` (a `/`-separated output path) onto `base`, refusing anything that could
/// land outside it: empty, `.` or `..` segments, absolute paths, drive prefixes, backslashes,
/// NUL and other control characters.
pub fn contained_path(base: &Path, relative: &str) -> Result<PathBuf, String> {
    check_contained(relative)?;
    let mut out = base.to_path_buf();
    out.extend(relative.split('/'));
    Ok(out)
}

/// Whether `relative` is a path `contained_path` accepts (the reason if not).
pub fn check_contained(relative: &str) -> Result<(), String> {
    if relative.is_empty() {
        return Err("empty path".into());
    }
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
            (Some(Component::Normal(_)), None) => {}
            _ => return Err(format!("`{relative}` is not a plain relative path")),
        }
    }
    Ok(())
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
    if let Some(home) = std::env::var_os("HOME")
        && out_abs == absolute(Path::new(&home))
    {
        return refuse("it is your home folder".into());
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

/// Output path -> the fingerprint of the inputs its file was made from (see
/// `render::PageRenderer::fingerprint`): one per file of the site, 355,000 at 100,000
/// reports, so hashed with Fx rather than SipHash.
pub type Fingerprints = rustc_hash::FxHashMap<String, u64>;

/// Finds output paths claimed twice, including paths that differ only in letter case (they
/// collide on macOS and Windows). Files arrive in any order, so messages are made at the end,
/// one per pair of sources however many files the pair both writes (two reports at one
/// address collide on the page and on its `event.ics`: one mistake, one error).
#[derive(Debug, Default, Clone)]
pub struct Collisions {
    /// Every path claimed, in lower case, with the source that claimed it first. A build
    /// holds one per output file (355,000 at 100,000 reports), so the path as it was written
    /// is kept only where it differs from the key.
    seen: rustc_hash::FxHashMap<Box<str>, Claim>,
    /// By pair of origins (in sorted order): every path they both write, as each wrote it.
    pairs: std::collections::BTreeMap<(String, String), Vec<(String, String)>>,
}

#[derive(Debug, Clone)]
struct Claim {
    /// The path as claimed, if not all in lower case.
    cased: Option<Box<str>>,
    origin: Box<str>,
}

impl Collisions {
    /// Record `path` as written by `origin`; false if another source already claimed it.
    pub fn claim(&mut self, path: &str, origin: &str) -> bool {
        let lower = path.to_lowercase();
        match self.seen.entry(lower.into_boxed_str()) {
            std::collections::hash_map::Entry::Vacant(v) => {
                let cased = (**v.key() != *path).then(|| path.into());
                v.insert(Claim {
                    cased,
                    origin: origin.into(),
                });
                true
            }
            std::collections::hash_map::Entry::Occupied(o) => {
                let first_path = o.get().cased.as_deref().unwrap_or(o.key());
                let first_origin = &*o.get().origin;
                // The pair in a stable order whichever thread sent its file first.
                let (a, b, pa, pb) = if first_origin <= origin {
                    (first_origin, origin, first_path, path)
                } else {
                    (origin, first_origin, path, first_path)
                };
                self.pairs
                    .entry((a.to_string(), b.to_string()))
                    .or_default()
                    .push((pa.to_string(), pb.to_string()));
                false
            }
        }
    }

    /// Whether a file this build made claimed `path` (in any letter case). For the files the
    /// previous output holds that this build keeps as they are, checked after every file this
    /// build made was claimed: the kept files are the previous build's, which claimed them
    /// all without a collision, so each need only be checked against what this build made (a
    /// lookup, not a record of 355,000 more paths at 100,000 reports); one that is claimed is
    /// then `claim`ed, which records the collision.
    pub fn is_claimed(&self, path: &str) -> bool {
        // Most paths are lower case already: looked up as they are, with no copy.
        if path
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        {
            self.seen.contains_key(path)
        } else {
            self.seen.contains_key(path.to_lowercase().as_str())
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

/// Write `files` as the new contents of `out`, touching only what changed.
pub fn write_site(
    root: &Path,
    files: Vec<OutputFile<'_>>,
    out: &Path,
) -> Result<WriteReport, Diagnostics> {
    let output = Output::begin(root, out)?;
    for f in files {
        output.add(f);
    }
    output.commit(&Fingerprints::default(), true)
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
