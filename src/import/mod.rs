//! `podium import`: bring an existing archive in as reports, from a spreadsheet saved as CSV
//! (one row per appearance) or from a conference tool's schedule export (pretalx or frab
//! JSON, frab/pentabarf XML).
//!
//! Organizations that adopt Podium already have years of events in these forms and will not
//! retype them. Each format is read into the same [`Report`] (the documented front matter,
//! nothing more), [`write`] renders it as a person would write it, and [`import`] puts it in
//! `content/forums/<year>/` without ever replacing a file that exists: re-running an import
//! changes nothing, and a report someone has since edited by hand is safe. Every problem of
//! the input is reported at once with its position (`FILE:row:column` for a spreadsheet), and
//! an input with errors writes nothing. (A write that fails on a sound input, a full disk say,
//! leaves the reports written before it: a re-run writes the rest.)

mod csv;
mod existing;
mod schedule;
mod text;
pub mod write;

use crate::diagnostic::{Diagnostic, Diagnostics, Span};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// More talks than this in one conference report make a page too heavy to read on a phone.
const LARGE_CONFERENCE: usize = 150;

/// Spreadsheets and schedule exports are small; a bigger file is a mistake (a wrong file).
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// One speaker entry of a report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Person {
    pub name: String,
    pub title: Option<String>,
    pub organization: Option<String>,
    pub role: Option<String>,
}

/// One session of a report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Session {
    pub title: String,
    pub time: Option<String>,
    pub summary: Option<String>,
    pub speakers: Vec<Person>,
}

/// A report to write: the front-matter fields an import can fill, the body, and where it
/// goes (`folder` under `content/forums/`, file name `stem.md`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    pub folder: String,
    pub stem: String,
    pub title: String,
    pub date: Option<String>,
    pub end: Option<String>,
    pub status: Option<String>,
    pub series: Option<String>,
    pub venue: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub organizers: Vec<String>,
    pub partners: Vec<String>,
    pub speakers: Vec<Person>,
    pub sessions: Vec<Session>,
    pub topics: Vec<String>,
    pub summary: Option<String>,
    pub body: String,
}

/// What kind of file is imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A spreadsheet saved as CSV (or Excel's "Unicode text"), one row per appearance.
    Csv,
    /// A pretalx/frab `schedule.json` or a frab/pentabarf `schedule.xml`: one report for the
    /// conference, or with `per_talk` one per talk.
    Schedule { per_talk: bool },
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site folder (with `content/`).
    pub root: PathBuf,
    /// The file to import, as the user named it (shown in messages).
    pub file: PathBuf,
    pub kind: Kind,
    /// Write nothing; say what would be written.
    pub dry_run: bool,
}

/// One report of an import: where it goes (relative to the site folder), its text, and
/// whether a file was already there (then it is left alone).
#[derive(Debug, Clone)]
pub struct Planned {
    pub path: PathBuf,
    pub text: String,
    pub exists: bool,
    /// The report of the same forum (title and day) at another path, which an editor may
    /// have renamed or moved since an earlier import: then this one is left alone too.
    pub already_as: Option<PathBuf>,
    /// Speaker entries in it, sessions included, for the summary line.
    pub appearances: usize,
    /// Whether this run wrote it (never in a dry run).
    pub written: bool,
}

impl Planned {
    /// Whether the import does not write this report: its file, or its forum, is there.
    pub fn left_alone(&self) -> bool {
        self.exists || self.already_as.is_some()
    }
}

/// What an import did, or would do with `dry_run`.
#[derive(Debug, Clone)]
pub struct Imported {
    pub reports: Vec<Planned>,
    /// Problems that did not stop it (a name that holds two people, say).
    pub warnings: Diagnostics,
    /// Reports that could not be written (a full disk, a read-only folder). The input was
    /// fine, so the reports written before stay: `reports` says which (`written`).
    pub write_errors: Diagnostics,
}

impl Imported {
    /// Reports written (or, in a dry run, that would be).
    pub fn new_reports(&self) -> impl Iterator<Item = &Planned> {
        self.reports.iter().filter(|p| !p.left_alone())
    }

    /// Reports left alone because a file is already there, or the forum's report under
    /// another name.
    pub fn kept(&self) -> impl Iterator<Item = &Planned> {
        self.reports.iter().filter(|p| p.left_alone())
    }
}

/// Import `options.file` into the site: read and check all of it, then write every report
/// whose file does not exist yet (nothing at all if the input has an error, or in a dry run).
pub fn import(options: &ImportOptions) -> Result<Imported, Diagnostics> {
    let content = options.root.join("content");
    if !content.is_dir() {
        return Err(Diagnostics::from(
            Diagnostic::error(format!("no content folder at {}", content.display())).with_help(
                "import into a site folder (one with `content/`): pass --root, or start one with `podium init DIR`",
            ),
        ));
    }
    let bytes = read_input(&options.file)?;
    let (reports, mut diags) = match options.kind {
        Kind::Csv => csv::read(&options.file, &bytes, &site_zone(&content)),
        Kind::Schedule { per_talk } => schedule::read(&options.file, &bytes, per_talk),
    };
    if diags.has_errors() {
        return Err(diags.sorted());
    }
    if reports.is_empty() {
        let (message, help) = match options.kind {
            Kind::Csv => (
                "nothing to import: the file holds no forum",
                "check that it is the file you meant, with its header row and at least one row below it",
            ),
            Kind::Schedule { .. } => (
                "nothing to import: the schedule lists no talks",
                "export the schedule once talks are scheduled, or import it without --per-talk for one report of the conference",
            ),
        };
        diags.push(
            Diagnostic::error(message)
                .at(Span::file_start(&options.file))
                .with_help(help),
        );
        return Err(diags.sorted());
    }
    if options.kind == (Kind::Schedule { per_talk: false }) {
        for report in reports
            .iter()
            .filter(|r| r.sessions.len() > LARGE_CONFERENCE)
        {
            diags.push(
                Diagnostic::warning(format!(
                    "`{}` has {} talks: its one report lists them all, a page of about {} kB that every reader downloads whole",
                    report.title,
                    report.sessions.len(),
                    report.sessions.len() * 600 / 1000
                ))
                .at(Span::file_start(&options.file))
                .with_help(if options.dry_run {
                    "import it with --per-talk for a page per talk, linked as one series"
                } else {
                    "import it with --per-talk for a page per talk, linked as one series (delete the report this import wrote first)"
                }),
            );
        }
    }
    let mut planned = Vec::new();
    let forums = content.join("forums");
    let paths = unique_paths(reports);
    let mut taken: HashSet<String> = paths
        .iter()
        .map(|(relative, _)| relative.to_string_lossy().to_lowercase())
        .collect();
    let placed: Vec<(PathBuf, Report, bool)> = paths
        .into_iter()
        .map(|(relative, report)| {
            let there = find_ignoring_case(&forums, &relative);
            match there {
                // Another forum's report holds the name (one of the same title on another
                // day): this one goes beside it, under its date or a number.
                Some(file) if !existing::holds(&file, report.date.as_deref()) => {
                    match free_path(&forums, &relative, &report, &mut taken) {
                        Some(free) => (free, report, false),
                        None => (relative, report, true),
                    }
                }
                Some(_) => (relative, report, true),
                None => (relative, report, false),
            }
        })
        .collect();
    // The site's reports are read only if some file is missing: a re-run reads nothing.
    let existing = if placed.iter().all(|(_, _, exists)| *exists) {
        existing::Existing::default()
    } else {
        existing::Existing::read(&options.root)
    };
    for (relative, report, exists) in placed {
        let path = Path::new("content/forums").join(&relative);
        let already_as = if exists {
            None
        } else {
            existing
                .find(&report.title, report.date.as_deref())
                .map(Path::to_path_buf)
        };
        let appearances = report.speakers.len()
            + report
                .sessions
                .iter()
                .map(|s| s.speakers.len())
                .sum::<usize>();
        planned.push(Planned {
            path,
            text: write::render(&report),
            exists,
            already_as,
            appearances,
            written: false,
        });
    }
    let mut write_errors = Diagnostics::new();
    if !options.dry_run {
        for p in planned.iter_mut().filter(|p| !p.left_alone()) {
            match write_new(&options.root.join(&p.path), &p.text) {
                Ok(true) => p.written = true,
                // Made by someone else since we looked: theirs stays.
                Ok(false) => p.exists = true,
                Err(e) => write_errors.push(
                    Diagnostic::error(format!("cannot write {}: {e}", p.path.display()))
                        .with_help("check that the folder is writable and has room; running the import again writes the reports still missing"),
                ),
            }
        }
    }
    Ok(Imported {
        reports: planned,
        warnings: diags.sorted(),
        write_errors,
    })
}

/// The site's time zone (`timezone:` in `content/_index.md`, else UTC) with its name: a
/// spreadsheet's local time (`2025-03-30 02:30`) is read in it at build time, so the import
/// checks it there (a time the clocks skip is refused now, not by `check` later).
fn site_zone(content: &Path) -> (jiff::tz::TimeZone, String) {
    let settings = content.join("_index.md");
    let name = std::fs::read_to_string(&settings)
        .ok()
        .and_then(|text| {
            crate::load::parse_document::<crate::load::documents::SiteFront>(
                &settings,
                PathBuf::from("_index.md"),
                &text,
            )
            .ok()
        })
        .and_then(|d| d.front.timezone.map(|t| t.0.trim().to_string()))
        .unwrap_or_else(|| "UTC".to_string());
    match jiff::tz::TimeZone::get(&name) {
        Ok(zone) => (zone, name),
        Err(_) => (jiff::tz::TimeZone::UTC, "UTC".to_string()),
    }
}

fn read_input(file: &Path) -> Result<Vec<u8>, Diagnostics> {
    let fail = |message: String, help: &str| {
        Diagnostics::from(
            Diagnostic::error(message)
                .at(Span::file_start(file))
                .with_help(help),
        )
    };
    let meta = std::fs::metadata(file).map_err(|e| {
        fail(
            format!("cannot read {}: {e}", file.display()),
            "check the file name",
        )
    })?;
    if !meta.is_file() {
        return Err(fail(
            format!("{} is not a file", file.display()),
            "name the exported file itself",
        ));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(fail(
            format!(
                "{} is {} MiB; the limit is {} MiB",
                file.display(),
                meta.len() / (1024 * 1024),
                MAX_INPUT_BYTES / (1024 * 1024)
            ),
            "split the archive into several files, a year each",
        ));
    }
    std::fs::read(file).map_err(|e| {
        fail(
            format!("cannot read {}: {e}", file.display()),
            "check the file's permissions",
        )
    })
}

/// `folder/stem.md` for every report, made unique within the import (two forums of one name
/// in one year get their date added, then a number). Case is ignored, as on macOS and
/// Windows disks. The order is the input's, so a re-run makes the same paths.
fn unique_paths(reports: Vec<Report>) -> Vec<(PathBuf, Report)> {
    let mut taken = HashSet::new();
    let mut out = Vec::with_capacity(reports.len());
    for report in reports {
        let base = if report.stem.is_empty() {
            "forum".to_string()
        } else {
            report.stem.clone()
        };
        let mut candidates = vec![base.clone()];
        if let Some(date) = report.date.as_deref() {
            candidates.push(format!("{base}-{}", crate::model::slug::slugify(date)));
        }
        let mut stem = None;
        for c in candidates {
            if taken.insert(format!("{}/{c}", report.folder).to_lowercase()) {
                stem = Some(c);
                break;
            }
        }
        let stem = stem.unwrap_or_else(|| {
            (2..)
                .map(|n| format!("{base}-{n}"))
                .find(|c| taken.insert(format!("{}/{c}", report.folder).to_lowercase()))
                .unwrap_or_default()
        });
        out.push((Path::new(&report.folder).join(format!("{stem}.md")), report));
    }
    out
}

/// A file stem for a report from its title: the slug, kept clear of names Windows reserves.
fn stem_for(title: &str, fallback: &str) -> String {
    let slug = crate::model::slug::slugify(title);
    let slug = if slug.is_empty() {
        fallback.to_string()
    } else {
        slug
    };
    // Long titles make unwieldy file names; cut at a hyphen.
    let slug = crate::model::slug::cut(&slug, 80).to_string();
    if crate::model::slug::check_slug(&slug).is_err() {
        format!("{slug}-forum")
    } else {
        slug
    }
}

/// A path beside `relative` for `report`, whose own is another forum's: with the forum's
/// date, then a number, neither there on disk nor planned for another report.
fn free_path(
    forums: &Path,
    relative: &Path,
    report: &Report,
    taken: &mut HashSet<String>,
) -> Option<PathBuf> {
    let stem = relative.file_stem()?.to_string_lossy().to_string();
    let dated = report
        .date
        .as_deref()
        .map(|d| format!("{stem}-{}", crate::model::slug::slugify(d)));
    let numbered = (2..1000).map(|n| format!("{stem}-{n}"));
    dated.into_iter().chain(numbered).find_map(|candidate| {
        let path = relative.with_file_name(format!("{candidate}.md"));
        let key = path.to_string_lossy().to_lowercase();
        (!taken.contains(&key) && find_ignoring_case(forums, &path).is_none()).then(|| {
            taken.insert(key);
            path
        })
    })
}

/// The file at `relative` under `base`, or at a path that differs from it only in letter
/// case: a report beside `NGO-Forum.md` named `ngo-forum.md` would be a second page at one
/// address (and the same file on macOS and Windows), so it counts as there.
fn find_ignoring_case(base: &Path, relative: &Path) -> Option<PathBuf> {
    if base.join(relative).symlink_metadata().is_ok() {
        return Some(base.join(relative));
    }
    let mut dir = base.to_path_buf();
    for component in relative.components() {
        let wanted = component.as_os_str().to_string_lossy().to_lowercase();
        let found = std::fs::read_dir(&dir).ok().and_then(|entries| {
            entries
                .flatten()
                .find(|e| e.file_name().to_string_lossy().to_lowercase() == wanted)
                .map(|e| e.path())
        });
        match found {
            Some(next) => dir = next,
            None => return None,
        }
    }
    Some(dir)
}

/// Create `path` with `text`, never replacing a file: `Ok(false)` if one is there.
fn write_new(path: &Path, text: &str) -> std::io::Result<bool> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut file) => {
            std::io::Write::write_all(&mut file, text.as_bytes())?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// `` `Ana Lima` and `Rui Costa` ``: the people a name was split into, as a warning says.
fn each_quoted(people: &[String]) -> String {
    people
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// A person's name as an import writes it: cleaned, and split with a warning when it plainly
/// holds two people (the warning says what was done, so a wrong split is easy to undo).
fn people(name: &str, at: &Span, diags: &mut Diagnostics) -> Vec<String> {
    // One name a line: how a spreadsheet cell holds several people (Alt+Enter in Excel).
    let lines: Vec<String> = name
        .lines()
        .map(crate::model::names::clean)
        .filter(|l| !crate::model::slug::slugify(l).is_empty())
        .collect();
    if lines.len() > 1 {
        diags.push(
            Diagnostic::warning(format!(
                "`{}` holds {} names on lines of their own; written as {}",
                lines.join(" / "),
                lines.len(),
                each_quoted(&lines)
            ))
            .at(at.clone())
            .with_help("if it is one person's name, join them again in the report; in the source, give each person a row or cell of their own"),
        );
        return lines.iter().flat_map(|l| people(l, at, diags)).collect();
    }
    let name = crate::model::names::clean(name);
    match crate::model::names::two_people(&name) {
        Some(parts) => {
            diags.push(
                Diagnostic::warning(format!(
                    "`{name}` looks like {} people in one name; written as {}",
                    parts.len(),
                    each_quoted(&parts)
                ))
                .at(at.clone())
                .with_help("if it is one person's name, join them again in the report; in the source, give each person an entry of their own"),
            );
            parts
        }
        None => vec![name],
    }
}
