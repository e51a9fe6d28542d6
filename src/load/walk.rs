//! Finding the site's source files: a sorted, symlink-safe walk of `content/`.
//!
//! Output must not depend on directory order, so entries are sorted by file name. Symlinks
//! are followed only while they stay inside the site root; one pointing out (or a loop) is an
//! error naming the link, never a silent skip (Jekyll #3070). Editors' temporary files are
//! ignored so that a half-saved buffer never becomes a page.

use crate::diagnostic::{Diagnostic, Diagnostics, Span};
use std::path::{Path, PathBuf};

/// One file found under `content/`, with its path relative to the site root (for messages)
/// and relative to `content/` (for routing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFile {
    pub absolute: PathBuf,
    pub display: PathBuf,
    pub relative: PathBuf,
}

/// Names editors and tools leave behind while saving: vim swap and backup files, emacs lock
/// and autosave files, JetBrains safe-write files, macOS metadata.
pub fn is_temporary(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bck")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name == "4913"
}

/// What a walk of `content/` found: its files in order, the problems met, and each file's
/// metadata once `read_metadata` has asked for it.
#[derive(Debug, Default)]
pub struct Walked {
    pub files: Vec<FoundFile>,
    pub diags: Diagnostics,
    /// By file, as the walk's links lead (empty until `read_metadata`; `None` for a file
    /// that could not be asked).
    pub metadata: Vec<Option<std::fs::Metadata>>,
}

impl Walked {
    /// Ask for every file's metadata, on every core. A build does it once, for the digest
    /// that tells whether anything changed (`unchanged::Inputs`), and its load takes the
    /// answers from here instead of walking and asking again (at 100,000 reports the second
    /// walk and its stats were half a second of an edit's rebuild).
    pub fn read_metadata(&mut self) {
        use rayon::prelude::*;
        self.metadata = self
            .files
            .par_iter()
            .map(|f| std::fs::metadata(&f.absolute).ok())
            .collect();
    }
}

/// Every file under `content`, sorted, without editors' temporary files; links followed
/// while they stay inside `root`.
pub fn walk_content(root: &Path, content: &Path) -> Walked {
    let (files, diags) = walk_files(root, content);
    Walked {
        files,
        diags,
        metadata: Vec::new(),
    }
}

fn walk_files(root: &Path, content: &Path) -> (Vec<FoundFile>, Diagnostics) {
    let mut files = Vec::new();
    let mut diags = Diagnostics::new();
    if !content.is_dir() {
        return (files, diags);
    }
    let canonical_root = match root.canonicalize() {
        Ok(p) => p,
        Err(e) => {
            diags.push(Diagnostic::error(format!(
                "cannot read the site root {}: {e}",
                root.display()
            )));
            return (files, diags);
        }
    };
    // Walked in the directories' own order and sorted once at the end: walkdir's sort
    // finds both file names again at every comparison (a few percent of an edit's rebuild at
    // 100,000 reports). Sorting the paths component by component gives the order of a walk
    // that sorts each folder's entries by name (tested below).
    let mut walker = walkdir::WalkDir::new(content)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_str().is_some_and(is_temporary));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(|p| display_path(root, p)).unwrap_or_default();
                let dangling = e
                    .path()
                    .and_then(|p| std::fs::read_link(p).ok())
                    .filter(|t| {
                        e.io_error()
                            .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)
                            && !t.as_os_str().is_empty()
                    });
                let (message, help) = if e.loop_ancestor().is_some() {
                    (
                        "symlink loop: this link points back to a folder that contains it"
                            .to_string(),
                        "remove the link",
                    )
                } else if let Some(target) = dangling {
                    (
                        format!("broken symlink: {} does not exist", target.display()),
                        "remove the link, or put back what it points to",
                    )
                } else {
                    match e.io_error() {
                        Some(io) => (format!("cannot read: {io}"), "fix the permissions"),
                        None => (e.to_string(), "fix the permissions"),
                    }
                };
                diags.push(
                    Diagnostic::error(message)
                        .at(Span::file_start(path))
                        .with_help(help),
                );
                continue;
            }
        };
        if entry.path_is_symlink() {
            match entry.path().canonicalize() {
                Ok(target) if target.starts_with(&canonical_root) => {}
                Ok(target) => {
                    diags.push(
                        Diagnostic::error(format!(
                            "symlink points outside the site: {}",
                            target.display()
                        ))
                        .at(Span::file_start(display_path(root, entry.path())))
                        .with_help("copy it into the site instead of linking to it"),
                    );
                    // A linked folder out there is not read at all.
                    if entry.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                    continue;
                }
                Err(e) => {
                    diags.push(
                        Diagnostic::error(format!("broken symlink: {e}"))
                            .at(Span::file_start(display_path(root, entry.path()))),
                    );
                    continue;
                }
            }
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(content)
            .unwrap_or(entry.path())
            .to_path_buf();
        files.push(FoundFile {
            absolute: entry.path().to_path_buf(),
            display: display_path(root, entry.path()),
            relative,
        });
    }
    {
        use rayon::slice::ParallelSliceMut;
        files.par_sort_by_cached_key(|f| walk_order_key(&f.relative));
    }
    (files, diags)
}

/// What sorts the paths a walk gives (relative, with no `.` and no doubled or trailing
/// separator) in `Path`'s own order, component by component, as plain bytes: the path with
/// each separator made the lowest byte, which no file name holds. Up to the first byte that
/// differs, two paths share their components; there, a component that ends comes before one
/// that goes on, as in `Path`'s order. `Path::cmp` parses both paths into components at every
/// comparison, which made sorting 100,000 reports a tenth of a second of an edit's rebuild.
#[cfg(unix)]
fn walk_order_key(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    bytes
        .iter()
        .map(|&b| if b == b'/' { 0 } else { b })
        .collect()
}

#[cfg(not(unix))]
fn walk_order_key(path: &Path) -> PathBuf {
    path.to_path_buf()
}

/// The path as the user would write it: relative to the site root when inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_come_in_the_order_of_a_walk_sorted_by_name_in_every_folder() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        for file in [
            "a.md",
            "a/x.md",
            "a-b.md",
            "a-b/x.md",
            "a b/x.md",
            "a.b/x.md",
            "a/b/c.md",
            "a/b.md",
            "A.md",
            "Ä/x.md",
            "z.md",
            "ab/x.md",
            "2025/10/x.md",
            "2025/9/x.md",
            "2025-x.md",
        ] {
            let path = content.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "x").unwrap();
        }
        let walked: Vec<PathBuf> = walk_content(dir.path(), &content)
            .files
            .into_iter()
            .map(|f| f.relative)
            .collect();
        let sorted_walk: Vec<PathBuf> = walkdir::WalkDir::new(&content)
            .sort_by_file_name()
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(&content).unwrap().to_path_buf())
            .collect();
        assert_eq!(walked.len(), 15);
        assert_eq!(walked, sorted_walk);
    }

    #[test]
    fn the_walk_order_is_the_order_of_paths() {
        // Paths as a walk gives them: relative, no `.`, no doubled or trailing separator.
        let names = [
            "a",
            "a/x",
            "a-b",
            "a-b/x",
            "a b/x",
            "a.b/x",
            "a/b/c",
            "a/b",
            "A",
            "Ä/x",
            "z",
            "ab/x",
            "2025/10/x",
            "2025/9/x",
            "2025-x",
            "é/ü",
            "a/b.md",
            "a.md",
            "a!/x",
        ];
        for a in names {
            for b in names {
                let (a, b) = (Path::new(a), Path::new(b));
                assert_eq!(
                    walk_order_key(a).cmp(&walk_order_key(b)),
                    a.cmp(b),
                    "{a:?} against {b:?}"
                );
            }
        }
    }

    #[test]
    fn editor_temporary_files_are_ignored() {
        for name in [
            ".x.md.swp",
            ".x.md.swx",
            "4913",
            "x.md~",
            "#x.md#",
            ".#x.md",
            "x.md___jb_tmp___",
            ".DS_Store",
        ] {
            assert!(is_temporary(name), "{name}");
        }
        for name in ["x.md", "photo.jpg", "2025"] {
            assert!(!is_temporary(name), "{name}");
        }
    }
}
