//! The journal of a commit in progress: which staged files replace which output files and
//! which output files go, written before the first of them is touched.
//!
//! Every new or changed file is first written whole into a staging folder beside the output;
//! only then is the journal written (through a temporary file and a rename, so it exists
//! whole or not at all), and only then are the staged files renamed into place one by one
//! (each rename is atomic: a reader sees the old file or the new one, never a torn one).
//! A build killed before the journal exists leaves the output as it was; one killed after
//! leaves a journal that the next build plays to the end before doing anything else. Every
//! step is safe to repeat, so a replay killed in turn is played again.

use std::path::{Path, PathBuf};

const HEADER: &str = "podium-journal 1";

/// What one commit does to the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    /// The folder holding the staged files, at the same relative paths as in the output.
    pub staging: PathBuf,
    /// Output files no longer produced.
    pub delete: Vec<String>,
    /// Output files to put in place from `staging`.
    pub replace: Vec<String>,
}

impl Journal {
    fn to_text(&self) -> String {
        let mut text = format!("{HEADER}\nstaging {}\n", self.staging.display());
        for path in &self.delete {
            text.push_str(&format!("D {path}\n"));
        }
        for path in &self.replace {
            text.push_str(&format!("R {path}\n"));
        }
        text.push_str(&format!("end {}\n", self.delete.len() + self.replace.len()));
        text
    }

    fn parse(text: &str) -> Option<Journal> {
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let staging = PathBuf::from(lines.next()?.strip_prefix("staging ")?);
        let mut journal = Journal {
            staging,
            delete: Vec::new(),
            replace: Vec::new(),
        };
        for line in lines {
            if let Some(path) = line.strip_prefix("D ") {
                journal.delete.push(path.to_string());
            } else if let Some(path) = line.strip_prefix("R ") {
                journal.replace.push(path.to_string());
            } else {
                let count: usize = line.strip_prefix("end ")?.parse().ok()?;
                return (count == journal.delete.len() + journal.replace.len()).then_some(journal);
            }
        }
        None
    }

    /// Write the journal at `path`, whole: this is the point after which the change will be
    /// finished even if the build is killed. It is not forced to the disk: a killed process
    /// leaves what it wrote in the kernel's hands, and against a power cut one synced journal
    /// would not help while the staged files it moves are not synced (docs/publishing.md);
    /// on this machine's disk the sync alone cost 130 ms of a 3-second rebuild.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let temporary = path.with_extension("tmp");
        std::fs::write(&temporary, self.to_text())?;
        std::fs::rename(&temporary, path)
    }

    /// The journal at `path`, if a complete one is there.
    pub fn read(path: &Path) -> Option<Journal> {
        Journal::parse(&std::fs::read_to_string(path).ok()?)
    }

    /// Carry the change out on `out`. Deletions go first, so that a folder that becomes a
    /// file (or the reverse) is out of the way. Repeating it after a kill is harmless: a
    /// staged file already moved is simply not there any more.
    pub fn apply(&self, out: &Path) -> std::io::Result<()> {
        let mut emptied: Vec<PathBuf> = Vec::new();
        for path in &self.delete {
            let target = super::contained_path(out, path).map_err(std::io::Error::other)?;
            match std::fs::symlink_metadata(&target) {
                // Only files are listed: a folder here is new, put in its place by a run
                // this one replays.
                Ok(meta) if meta.is_dir() => {}
                Ok(_) => std::fs::remove_file(&target)?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
            if let Some(parent) = target.parent() {
                emptied.push(parent.to_path_buf());
            }
        }
        // Folders left empty go too, deepest first (a removed speaker's folder, say).
        emptied.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
        emptied.dedup();
        for mut dir in emptied {
            while dir != out && dir.starts_with(out) && std::fs::remove_dir(&dir).is_ok() {
                if !dir.pop() {
                    break;
                }
            }
        }
        for path in &self.replace {
            let from = super::contained_path(&self.staging, path).map_err(std::io::Error::other)?;
            let to = super::contained_path(out, path).map_err(std::io::Error::other)?;
            if std::fs::symlink_metadata(&from).is_err() {
                continue; // moved by the run this one replays
            }
            make_parents(out, &to)?;
            if std::fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
                std::fs::remove_dir_all(&to)?;
            }
            std::fs::rename(&from, &to)?;
        }
        Ok(())
    }
}

/// Create the folders above `target` inside `out`, removing a file that stands where a
/// folder must go.
fn make_parents(out: &Path, target: &Path) -> std::io::Result<()> {
    let Some(parent) = target.parent() else {
        return Ok(());
    };
    if parent.is_dir() {
        return Ok(());
    }
    let mut at = out.to_path_buf();
    for part in parent.strip_prefix(out).unwrap_or(parent).components() {
        at.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| !m.is_dir()) {
            std::fs::remove_file(&at)?;
        }
    }
    std::fs::create_dir_all(parent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_reads_back_whole_or_not_at_all() {
        let j = Journal {
            staging: PathBuf::from("/tmp/x/.public.podium/staging-1"),
            delete: vec!["old/index.html".into()],
            replace: vec!["index.html".into(), "a b/c.html".into()],
        };
        let text = j.to_text();
        assert_eq!(Journal::parse(&text), Some(j));
        assert_eq!(Journal::parse(&text[..text.len() - 8]), None);
    }

    #[test]
    fn applying_twice_is_the_same_as_once() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = dir.path().join("staging");
        std::fs::create_dir_all(out.join("gone")).unwrap();
        std::fs::write(out.join("gone/index.html"), "old").unwrap();
        std::fs::write(out.join("page"), "a file where a folder goes").unwrap();
        std::fs::create_dir_all(staging.join("page")).unwrap();
        std::fs::write(staging.join("page/index.html"), "new").unwrap();
        let j = Journal {
            staging,
            delete: vec!["gone/index.html".into(), "page".into()],
            replace: vec!["page/index.html".into()],
        };
        j.apply(&out).unwrap();
        j.apply(&out).unwrap();
        assert!(!out.join("gone").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("page/index.html")).unwrap(),
            "new"
        );
    }
}
