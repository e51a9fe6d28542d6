//! The forums a site already has, found by what they are rather than where their files are.
//!
//! An import leaves a report alone when its file exists. But editors rename and move reports
//! after an import (a clearer file name, a folder per series), and a second run of the same
//! spreadsheet would then write each moved forum again under its old name: two pages of one
//! forum. So before writing, an import reads the title and date of every report the site has
//! and takes a forum with the same title (as its address spells it: case and punctuation
//! aside) on the same day as already there, wherever its file now is.

use crate::load::documents::ReportFront;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The reports under `content/forums/`, by title and day.
#[derive(Debug, Default)]
pub struct Existing {
    by_forum: HashMap<ForumKey, PathBuf>,
}

/// A forum's title as its address spells it, and its day (`YYYY-MM-DD`), if it has one.
type ForumKey = (String, Option<String>);

impl Existing {
    /// Read the front matter of every report under `root/content/forums/`. A report that does
    /// not parse is skipped: `check` reports it, and an import is no place to stop for it.
    pub fn read(root: &Path) -> Existing {
        let forums = root.join("content").join("forums");
        let files: Vec<PathBuf> = walkdir::WalkDir::new(&forums)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.path().extension() == Some("md".as_ref()))
            .map(|e| e.into_path())
            .collect();
        let found: Vec<(ForumKey, PathBuf)> = files
            .par_iter()
            .filter_map(|path| {
                let text = std::fs::read_to_string(path).ok()?;
                let relative = path.strip_prefix(&forums).ok()?.to_path_buf();
                let report =
                    crate::load::parse_document::<ReportFront>(path, relative, &text).ok()?;
                let title = report.front.title.as_ref()?;
                let date = report.front.date.as_ref().map(|d| d.0.as_str());
                let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
                Some((key(title, date)?, shown))
            })
            .collect();
        let mut by_forum = HashMap::with_capacity(found.len());
        for (key, path) in found {
            // Two reports of one forum: either will do to name.
            by_forum.entry(key).or_insert(path);
        }
        Existing { by_forum }
    }

    /// The report (its path from the site folder) of the forum titled `title` on `date`.
    pub fn find(&self, title: &str, date: Option<&str>) -> Option<&Path> {
        self.by_forum.get(&key(title, date)?).map(PathBuf::as_path)
    }
}

/// Whether the report `file` may be the one an import would write for a forum on `date`:
/// unless both have a day and the days differ. An editor may retitle a report (it is still
/// that forum, and left alone); a forum of the same name on another day is another forum,
/// whose report goes beside it. A file that cannot be read or parsed counts as the forum's:
/// it is left alone.
pub fn holds(file: &Path, date: Option<&str>) -> bool {
    let Ok(text) = std::fs::read_to_string(file) else {
        return true;
    };
    let Ok(report) = crate::load::parse_document::<ReportFront>(file, PathBuf::new(), &text) else {
        return true;
    };
    match (report.front.date.as_ref(), date) {
        (Some(there), Some(here)) => day(there) == day(here),
        _ => true,
    }
}

/// The key of a forum: `None` for a title with no letter or digit, which names nothing.
fn key(title: &str, date: Option<&str>) -> Option<ForumKey> {
    // Letters and digits only: `N.G.O. Forum`, `NGO-Forum` and `NGO Forum` are one title.
    let title = crate::model::slug::slugify(title).replace('-', "");
    if title.is_empty() {
        return None;
    }
    Some((title, date.map(day)))
}

/// The day of a date as front matter writes it: `2025-10-20`, `2025-10-20 10:00`,
/// `2025-10-20T10:00:00+04:00` are all `2025-10-20`.
fn day(date: &str) -> String {
    let date = date.trim();
    date.split(['T', ' ']).next().unwrap_or(date).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn a_forum_is_found_by_title_and_day_wherever_its_file_is() {
        let dir = site(&[
            (
                "content/forums/moved/by-hand.md",
                "---\ntitle: \"NGO Forum: Cities\"\ndate: 2025-10-20T10:00:00+04:00\n---\n",
            ),
            (
                "content/forums/2024/other.md",
                "---\ntitle: Other\ndate: 2024-01-01\n---\n",
            ),
            ("content/forums/broken.md", "---\ntitle: [\n---\n"),
            ("content/forums/undated.md", "---\ntitle: Undated\n---\n"),
        ]);
        let existing = Existing::read(dir.path());
        let moved = Path::new("content/forums/moved/by-hand.md");
        assert_eq!(
            existing.find("NGO forum — cities", Some("2025-10-20")),
            Some(moved)
        );
        assert_eq!(
            existing.find("NGO Forum: Cities", Some("2025-10-20 09:00")),
            Some(moved)
        );
        assert_eq!(existing.find("NGO Forum: Cities", Some("2025-10-21")), None);
        assert_eq!(existing.find("NGO Forum: Cities", None), None);
        assert_eq!(
            existing.find("Undated", None),
            Some(Path::new("content/forums/undated.md"))
        );
        assert_eq!(existing.find("Undated", Some("2024-01-01")), None);
        assert_eq!(existing.find("!!!", None), None);
    }

    #[test]
    fn a_site_without_forums_has_none() {
        let dir = site(&[("content/_index.md", "---\ntitle: Site\n---\n")]);
        assert_eq!(Existing::read(dir.path()).find("Site", None), None);
    }
}
