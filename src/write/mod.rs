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
use rayon::prelude::*;
use std::collections::HashMap;
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

/// What `write_site` did.
#[derive(Debug, Clone, Default)]
pub struct WriteReport {
    pub files: usize,
    pub bytes: u64,
}

/// Write `files` as the new contents of `out`, atomically.
pub fn write_site(
    root: &Path,
    files: Vec<OutputFile>,
    out: &Path,
) -> Result<WriteReport, Diagnostics> {
    check_output_dir(root, out).map_err(Diagnostics::from)?;
    check_collisions(&files)?;
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", parent.display())))?;
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("public");
    remove_leftovers(parent, name);
    let staging = unique_sibling(parent, name, "staging");
    let result = fill(&staging, &files);
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    swap(&staging, out, parent, name).map_err(|e| {
        let _ = std::fs::remove_dir_all(&staging);
        Diagnostics::from(Diagnostic::error(format!(
            "cannot replace {}: {e}",
            out.display()
        )))
    })?;
    let bytes = files
        .iter()
        .map(|f| match &f.contents {
            Contents::Bytes(b) => b.len() as u64,
            Contents::Copy(p) => std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
        })
        .sum();
    Ok(WriteReport {
        files: files.len(),
        bytes,
    })
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

fn check_collisions(files: &[OutputFile]) -> Result<(), Diagnostics> {
    let mut seen: HashMap<String, &OutputFile> = HashMap::with_capacity(files.len());
    let mut diags = Diagnostics::new();
    for f in files {
        if let Some(first) = seen.insert(f.path.to_lowercase(), f) {
            let same_case = first.path == f.path;
            diags.push(
                Diagnostic::error(format!(
                    "{} and {} both write `{}`{}",
                    first.origin,
                    f.origin,
                    f.path,
                    if same_case {
                        String::new()
                    } else {
                        format!(" (as `{}`; the names differ only in case)", first.path)
                    }
                ))
                .with_help("give one of them another `slug:` or file name"),
            );
        }
    }
    if diags.is_empty() { Ok(()) } else { Err(diags) }
}

fn fill(staging: &Path, files: &[OutputFile]) -> Result<(), Diagnostics> {
    std::fs::create_dir_all(staging)
        .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", staging.display())))?;
    let mut targets = Vec::with_capacity(files.len());
    let mut dirs = std::collections::BTreeSet::new();
    let mut diags = Diagnostics::new();
    for f in files {
        match contained_path(staging, &f.path) {
            Ok(p) => {
                if let Some(d) = p.parent() {
                    dirs.insert(d.to_path_buf());
                }
                targets.push((p, f));
            }
            Err(why) => diags.push(Diagnostic::error(format!(
                "{}: refusing to write outside the output folder: {why}",
                f.origin
            ))),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    for d in &dirs {
        std::fs::create_dir_all(d)
            .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", d.display())))?;
    }
    let errors: Vec<Diagnostic> = targets
        .par_iter()
        .filter_map(|(path, f)| {
            let result = match &f.contents {
                Contents::Bytes(b) => std::fs::write(path, b),
                Contents::Copy(from) => std::fs::copy(from, path).map(|_| ()),
            };
            result.err().map(|e| {
                Diagnostic::error(format!(
                    "cannot write `{}` (from {}): {e}",
                    f.path, f.origin
                ))
            })
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors.into_iter().collect());
    }
    std::fs::write(
        staging.join(MARKER),
        "This folder is written by `podium build`; it is replaced on every build.\n",
    )
    .map_err(|e| Diagnostic::error(format!("cannot write the output marker: {e}")))?;
    Ok(())
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
        let file = |path: &str, origin: &str| OutputFile {
            path: path.into(),
            contents: Contents::Bytes(vec![]),
            origin: origin.into(),
        };
        let err = check_collisions(&[
            file("about/index.html", "content/About.md"),
            file("About/index.html", "content/about.md"),
        ])
        .unwrap_err();
        let text = err.iter().next().unwrap().message.clone();
        assert!(
            text.contains("content/About.md") && text.contains("content/about.md"),
            "{text}"
        );
    }
}
