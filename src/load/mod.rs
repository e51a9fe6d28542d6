//! Stage 1, `load`: read every source file of a site and parse its front matter into typed
//! documents. No meaning is given to the values yet (that is `model`'s job); this stage only
//! guarantees that each document is valid UTF-8, has well-formed front matter with known
//! fields, and remembers where each key sits so later stages can point at it.
//!
//! Every file is read and parsed independently (in parallel), and every failure becomes a
//! diagnostic: one broken report never hides the problems of another.

mod cache;
pub use cache::SourceStamp;
pub mod documents;
pub mod front_matter;
mod text;
pub use text::{Facts, FrontText, Text};
pub mod walk;
mod yaml_errors;

use crate::diagnostic::{Diagnostic, Diagnostics, Span, line_col};
use documents::{
    OrganizationFront, PageFront, ReportFront, SiteFront, SpeakerFront, TranslationFront,
};
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Larger files are refused before they are parsed: no editor writes a 16 MiB report, and a
/// cap keeps a stray binary from eating memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// Front matter is metadata; beyond this it is a mistake (or an attack on the YAML parser).
pub const MAX_FRONT_MATTER_BYTES: usize = 1024 * 1024;

/// A parsed source file: typed front matter, the Markdown body, and enough of the source to
/// point back into it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Document<F> {
    /// Path relative to the site root, as shown in messages (`content/forums/2025/x.md`).
    pub file: PathBuf,
    /// Path relative to its section folder (`2025/x.md` for a report).
    pub relative: PathBuf,
    pub front: F,
    /// The Markdown after the front matter (perhaps still in the document cache: see `text`).
    pub body: Text,
    /// The line of the file on which `body` starts.
    pub body_line: usize,
    /// The front matter text and the file line it starts on, to locate keys and values
    /// (perhaps still in the document cache: see `text`).
    pub yaml: FrontText,
    pub yaml_line: usize,
    /// A hash of the whole file: `serve` re-renders only pages whose inputs' digests changed.
    pub digest: u64,
}

impl<F> Document<F> {
    /// Where a top-level key (`date:`) is written, or the start of the front matter.
    pub fn key_span(&self, key: &str) -> Span {
        self.span_in(&self.yaml.get(), key, None)
    }

    /// Where a value (a name, say) first appears in the front matter, at or after `key`'s line.
    pub fn value_span(&self, key: &str, value: &str) -> Span {
        self.span_in(&self.yaml.get(), key, Some(value))
    }

    /// Where the entry numbered `index` (from 0) of the block list under a top-level key is
    /// written (`speakers:` then `  - name: ...`): the first character after its `-`. The
    /// key's own place when the list is written otherwise (`[a, b]`) or is shorter.
    pub fn list_item_span(&self, key: &str, index: usize) -> Span {
        let yaml = self.yaml.get();
        let key_span = self.span_in(&yaml, key, None);
        let Some(key_line) = key_span.line.checked_sub(self.yaml_line) else {
            return key_span;
        };
        let mut item_indent = None;
        let mut seen = 0;
        for (i, line) in yaml.lines().enumerate().skip(key_line + 1) {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            let is_item = trimmed == "-" || trimmed.starts_with("- ");
            if !is_item {
                if indent == 0 {
                    break; // the next top-level key
                }
                continue; // a field of an entry
            }
            match item_indent {
                None => item_indent = Some(indent),
                Some(first) if first != indent => continue, // a list inside an entry
                Some(_) => {}
            }
            if seen == index {
                let value = trimmed[1..].trim_start();
                let at = line.len() - value.len();
                let col = line[..at].chars().count() + 1;
                return Span::new(&self.file, self.yaml_line + i, col);
            }
            seen += 1;
        }
        key_span
    }

    /// `key_span` or `value_span` in the front matter `yaml`, read once.
    fn span_in(&self, yaml: &str, key: &str, value: Option<&str>) -> Span {
        let key_line = yaml.lines().position(|line| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        });
        let key_span = match key_line {
            Some(i) => Span::new(&self.file, self.yaml_line + i, 1),
            None => Span::new(&self.file, self.yaml_line.saturating_sub(1), 1),
        };
        let Some(value) = value else {
            return key_span;
        };
        let start = key_span.line.saturating_sub(self.yaml_line);
        for (i, line) in yaml.lines().enumerate().skip(start) {
            if let Some(col) = line.find(value) {
                return Span::new(
                    &self.file,
                    self.yaml_line + i,
                    line[..col].chars().count() + 1,
                );
            }
        }
        key_span
    }

    /// A diagnostic at `span` with the source line captured for the caret display.
    pub fn diagnostic(&self, d: Diagnostic, span: Span) -> Diagnostic {
        let line = span.line;
        let mut d = d.at(span);
        if line >= self.yaml_line {
            d.source_line = self
                .yaml
                .get()
                .lines()
                .nth(line - self.yaml_line)
                .map(str::to_string);
        }
        if d.source_line.is_none() && line == self.yaml_line.saturating_sub(1) {
            d.source_line = Some("---".to_string());
        }
        d
    }
}

/// A file copied to the output unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub source: PathBuf,
    /// Path relative to the site root, for messages.
    pub display: PathBuf,
    /// Output path relative to the output folder, with `/` separators.
    pub output: String,
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Content {
    pub site: Option<Document<SiteFront>>,
    pub reports: Vec<Document<ReportFront>>,
    pub speakers: Vec<Document<SpeakerFront>>,
    pub organizations: Vec<Document<OrganizationFront>>,
    pub pages: Vec<Document<PageFront>>,
    pub assets: Vec<Asset>,
    /// The site's privacy key (`crate::privacy::key`), when it has one.
    pub privacy_key: Option<crate::privacy::Key>,
    /// `<name>.<code>.md` files: texts of other languages (the model checks them against
    /// their originals and the site's languages).
    pub translations: Vec<Translation>,
    /// The files that did not load (their errors are reported), as shown in messages
    /// (`content/forums/f.md`): a translation of one is not "without an original".
    pub unloaded: std::collections::HashSet<PathBuf>,
}

/// The kind of source file a translation translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Section {
    Site,
    Report,
    Speaker,
    Organization,
    Page,
}

/// One translation file, parsed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Translation {
    /// The language code from the file name (`az` in `x.az.md`).
    pub lang: String,
    pub section: Section,
    /// Where its original is (or would be), as shown in messages: `content/forums/2025/x.md`.
    pub original: PathBuf,
    pub doc: Document<TranslationFront>,
}

/// `ru`, `az`, `kaa`: what a language code in a file name looks like (ISO 639, lower case).
/// Anything else before `.md` (`v2`, `2025`) is part of an ordinary name.
pub fn is_language_code(s: &str) -> bool {
    (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase())
}

// Each value is moved once, from the parallel parse into its list: boxing would only add
// an allocation per file.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
enum Parsed {
    Site(Document<SiteFront>),
    Report(Document<ReportFront>),
    Speaker(Document<SpeakerFront>),
    Organization(Document<OrganizationFront>),
    Page(Document<PageFront>),
    Translation(Translation),
    Asset(Asset),
    Skipped(Diagnostic),
}

impl Parsed {
    /// The text and the front matter of a document the cache keeps (any but a file that
    /// is not Markdown), with the digest of its source: where the cache attaches the words
    /// it stores.
    fn kept_texts_mut(&mut self) -> Option<(&mut Text, &mut FrontText, u64)> {
        match self {
            Parsed::Site(d) => Some((&mut d.body, &mut d.yaml, d.digest)),
            Parsed::Translation(t) => Some((&mut t.doc.body, &mut t.doc.yaml, t.doc.digest)),
            Parsed::Report(d) => Some((&mut d.body, &mut d.yaml, d.digest)),
            Parsed::Speaker(d) => Some((&mut d.body, &mut d.yaml, d.digest)),
            Parsed::Organization(d) => Some((&mut d.body, &mut d.yaml, d.digest)),
            Parsed::Page(d) => Some((&mut d.body, &mut d.yaml, d.digest)),
            _ => None,
        }
    }
}

/// Read and parse every file under `<root>/content`.
pub fn load_content(root: &Path) -> (Content, Diagnostics) {
    load_content_cached(root, &mut LoadCache::one_off())
}

/// A file's modification time and size when it was parsed, and what parsing it gave.
type Cached = (
    Option<std::time::SystemTime>,
    u64,
    Result<Parsed, Diagnostic>,
);

/// What a previous load parsed, by file, with the modification time and size it had: `serve`
/// keeps one so that a save re-reads only the files that changed.
#[derive(Debug)]
pub struct LoadCache {
    files: HashMap<PathBuf, Cached>,
    /// A one-off build keeps nothing: a copy of every document would double its memory.
    keep: bool,
    /// `podium build`'s documents on disk (`cache::DocumentCache`): the file, and the
    /// identity of this Podium.
    disk: Option<(PathBuf, String)>,
    /// What the last load did.
    pub counts: LoadCounts,
    /// `content/` as walked before the load (with each file's metadata), for the next load
    /// to take instead of walking again.
    pub walked: Option<walk::Walked>,
    /// The document cache files the texts of documents are read from: the one the load
    /// read, and the one it wrote.
    texts: Vec<std::sync::Arc<text::CacheFile>>,
}

/// How many source files a load parsed, and how many documents it took from a cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadCounts {
    pub parsed: usize,
    pub reused: usize,
}

impl Default for LoadCache {
    fn default() -> LoadCache {
        LoadCache {
            files: HashMap::new(),
            keep: true,
            disk: None,
            counts: LoadCounts::default(),
            walked: None,
            texts: Vec::new(),
        }
    }
}

impl LoadCache {
    /// For a single build: remembers nothing.
    pub fn one_off() -> LoadCache {
        LoadCache {
            keep: false,
            ..LoadCache::default()
        }
    }

    /// For a single build that keeps its documents in `file` for the next one (see
    /// `cache`); `identity` names this Podium, whose cache only it trusts.
    pub fn on_disk(file: PathBuf, identity: &str) -> LoadCache {
        LoadCache {
            disk: Some((file, identity.to_string())),
            ..LoadCache::one_off()
        }
    }
}

impl LoadCache {
    /// An error if a text taken from the document cache could not be read back while the
    /// build ran (see `text`). A build asks before it writes anything.
    pub fn lost_texts(&self) -> Option<Diagnostic> {
        self.texts.iter().find_map(|file| file.lost())
    }

    /// Forget what is known of these files (and of everything below these folders), so the
    /// next load reads them again even if their size and modification time look the same: a
    /// watcher that compared contents knows better than the clock.
    pub fn forget(&mut self, paths: &[PathBuf]) {
        self.files
            .retain(|file, _| !paths.iter().any(|p| file.starts_with(p)));
    }

    /// Read again one report the last load parsed successfully, for `serve`'s quick path:
    /// the document as it was and as it is now. `None` when that is not the whole story
    /// (the file was not a report, is gone, is now a folder or a link, or does not parse):
    /// the caller then loads everything, which also reports any problem.
    pub fn reload_report(
        &mut self,
        root: &Path,
        path: &Path,
    ) -> Option<(Document<ReportFront>, Document<ReportFront>)> {
        let (_, _, Ok(Parsed::Report(old))) = self.files.get(path)? else {
            return None;
        };
        let meta = std::fs::symlink_metadata(path).ok()?;
        if !meta.file_type().is_file() {
            return None;
        }
        let content = root.join("content");
        let file = walk::FoundFile {
            absolute: path.to_path_buf(),
            display: walk::display_path(root, path),
            relative: path.strip_prefix(&content).ok()?.to_path_buf(),
        };
        let Ok(Parsed::Report(new)) = parse_file(&file) else {
            return None;
        };
        let old = old.clone();
        self.remember(path, &meta, &new);
        Some((old, new))
    }
}

impl LoadCache {
    /// Keep a report read alone, as a whole load would (a one-off build keeps nothing).
    fn remember(&mut self, path: &Path, meta: &std::fs::Metadata, doc: &Document<ReportFront>) {
        if self.keep {
            let entry = (
                meta.modified().ok(),
                meta.len(),
                Ok(Parsed::Report(doc.clone())),
            );
            self.files.insert(path.to_path_buf(), entry);
        }
    }

    /// Read a report file the last load did not have, for `serve`'s quick path for a new
    /// report. `None` when it is not simply that (a file already known, not a regular file,
    /// one the walk would skip, not a report, or one that does not parse): the caller then
    /// loads everything, which also reports any problem.
    pub fn read_new_report(&mut self, root: &Path, path: &Path) -> Option<Document<ReportFront>> {
        if self.files.contains_key(path) {
            return None;
        }
        let meta = std::fs::symlink_metadata(path).ok()?;
        if !meta.file_type().is_file() {
            return None;
        }
        let content = root.join("content");
        let relative = path.strip_prefix(&content).ok()?.to_path_buf();
        let skipped = relative
            .iter()
            .any(|c| c.to_str().is_none_or(walk::is_temporary));
        if skipped {
            return None;
        }
        let file = walk::FoundFile {
            absolute: path.to_path_buf(),
            display: walk::display_path(root, path),
            relative,
        };
        let Ok(Parsed::Report(new)) = parse_file(&file) else {
            return None;
        };
        self.remember(path, &meta, &new);
        Some(new)
    }
}

/// A file as one load found it.
struct Loaded {
    path: PathBuf,
    /// Its modification time and size, and what it held.
    cached: Cached,
    /// Where its document is in the cache on disk, for the next build, if kept there.
    kept: Option<(cache::SourceStamp, cache::Kept)>,
    /// How it was had: read and parsed, taken from a cache, or neither (an asset).
    how: How,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    Parsed,
    Reused,
    Asset,
}

/// The error for a `root` that has no `content/` folder: podium run in the wrong folder, or a
/// mistyped `--root`. A build says it before it makes anything beside its output.
pub fn not_a_site(root: &Path) -> Option<Diagnostic> {
    let content_dir = root.join("content");
    (!content_dir.is_dir()).then(|| {
        Diagnostic::error(format!("no content folder at {}", content_dir.display()))
            .with_help("run podium in a site folder (one with `content/`), or pass --root")
    })
}

/// `load_content`, reusing what `cache` already parsed for files whose modification time
/// (to the nanosecond) and size are unchanged. The cache is left holding this load.
pub fn load_content_cached(root: &Path, cache: &mut LoadCache) -> (Content, Diagnostics) {
    let content_dir = root.join("content");
    let walk::Walked {
        files,
        mut diags,
        metadata,
    } = cache
        .walked
        .take()
        .unwrap_or_else(|| walk::walk_content(root, &content_dir));
    if let Some(error) = not_a_site(root) {
        diags.push(error);
    }
    crate::timing("content walked");
    let previous = std::mem::take(&mut cache.files);
    let disk = cache
        .disk
        .as_ref()
        .map(|(file, identity)| cache::DocumentCache::open(file.clone(), identity));
    crate::timing("documents read");
    let now = std::time::SystemTime::now();
    let loaded: Vec<Loaded> = files
        .par_iter()
        .enumerate()
        .map(|(i, file)| {
            let known = metadata.get(i).and_then(Option::as_ref);
            load_one(file, known, &previous, disk.as_ref(), now)
        })
        .collect();
    let count = |how| loaded.iter().filter(|l| l.how == how).count();
    cache.counts = LoadCounts {
        parsed: count(How::Parsed),
        reused: count(How::Reused),
    };
    let mut parsed = Vec::with_capacity(loaded.len());
    let mut kept = Vec::new();
    for file in loaded {
        if let Some((stamp, at)) = file.kept {
            kept.push((file.path.clone(), stamp, at));
        }
        parsed.push((file.path, file.cached));
    }
    crate::timing("sources parsed");
    if let Some(disk) = disk {
        cache.texts.extend(disk.texts());
        if let Some(written) = disk.save(kept) {
            for (path, (_, _, result)) in &mut parsed {
                if let Ok(doc) = result {
                    written.take_text(path, doc);
                }
            }
            cache.texts.push(written.file);
        }
    }
    crate::timing("documents kept");
    let mut content = Content::default();
    match crate::privacy::Key::read(root) {
        Ok(key) => content.privacy_key = key,
        Err(why) => diags.push(
            Diagnostic::error(why)
                .at(Span::file_start(root.join(crate::privacy::key::KEY_FILE)))
                .with_help("see docs/privacy.md, \"The privacy key\""),
        ),
    }
    // Each report's document is a large value (a kilobyte): a list grown one doubling at a
    // time copies 100,000 of them over and over into fresh memory.
    let reports = parsed
        .iter()
        .filter(|(_, (_, _, r))| matches!(r, Ok(Parsed::Report(_))))
        .count();
    content.reports.reserve_exact(reports);
    for (path, (modified, len, result)) in parsed {
        if result.is_err() {
            content.unloaded.insert(walk::display_path(root, &path));
        }
        if cache.keep {
            cache.files.insert(path, (modified, len, result.clone()));
        }
        match result {
            Ok(Parsed::Site(d)) => content.site = Some(d),
            Ok(Parsed::Report(d)) => content.reports.push(d),
            Ok(Parsed::Speaker(d)) => content.speakers.push(d),
            Ok(Parsed::Organization(d)) => content.organizations.push(d),
            Ok(Parsed::Page(d)) => content.pages.push(d),
            Ok(Parsed::Translation(t)) => content.translations.push(t),
            Ok(Parsed::Asset(a)) => content.assets.push(a),
            Ok(Parsed::Skipped(d)) | Err(d) => diags.push(d),
        }
    }
    (content, diags)
}

/// One file of a load: from the `previous` load if it has not changed since (`serve`), else
/// from the cache on `disk` if its stamp is the one kept there (`build`), else read and
/// parsed, and then kept on `disk` for the next build.
/// `known`: the file's metadata, when the walk already asked for it.
fn load_one(
    file: &walk::FoundFile,
    known: Option<&std::fs::Metadata>,
    previous: &HashMap<PathBuf, Cached>,
    disk: Option<&cache::DocumentCache>,
    now: std::time::SystemTime,
) -> Loaded {
    let meta = known
        .cloned()
        .or_else(|| std::fs::metadata(&file.absolute).ok());
    let modified = meta.as_ref().and_then(|m| m.modified().ok());
    let len = meta.as_ref().map_or(0, |m| m.len());
    let loaded = |result: Result<Parsed, Diagnostic>, kept, how| Loaded {
        path: file.absolute.clone(),
        cached: (modified, len, result),
        kept,
        how,
    };
    if let Some((m, l, cached)) = previous.get(&file.absolute)
        && modified.is_some()
        && *m == modified
        && *l == len
    {
        let how = match cached {
            Ok(Parsed::Asset(_)) => How::Asset,
            _ => How::Reused,
        };
        return loaded(cached.clone(), None, how);
    }
    let stamp = meta.as_ref().map(cache::SourceStamp::of);
    if let (Some(disk), Some(stamp)) = (disk, stamp)
        && let Some((parsed, at)) = disk.get(&file.absolute, stamp, &file.display)
    {
        return loaded(Ok(parsed), Some((stamp, at)), How::Reused);
    }
    let result = parse_file(file);
    let kept = match (disk, stamp, &result) {
        (Some(disk), Some(stamp), Ok(parsed)) => {
            disk.keep(parsed, stamp, now).map(|at| (stamp, at))
        }
        _ => None,
    };
    let how = match result {
        Ok(Parsed::Asset(_)) => How::Asset,
        _ => How::Parsed,
    };
    loaded(result, kept, how)
}

fn parse_file(file: &walk::FoundFile) -> Result<Parsed, Diagnostic> {
    let components: Vec<&str> = file.relative.iter().filter_map(|c| c.to_str()).collect();
    let is_markdown = file.relative.extension().is_some_and(|e| e == "md");
    let section = if components.len() > 1 {
        components[0]
    } else {
        ""
    };
    // `UP.MD` or `notes.markdown` from another editor: Markdown meant as a report or a
    // profile, but neither read as one (only `.md` is) nor published as it is (raw Markdown
    // would show its names to readers, a protected person's among them).
    let markdown_otherwise = file
        .relative
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| {
            !is_markdown && (e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
        });
    if let Some(extension) = markdown_otherwise
        && section != "static"
    {
        let stem = file
            .relative
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        return Ok(Parsed::Skipped(
            Diagnostic::warning(format!(
                "ignored: `.{extension}` is not `.md`, so this file is neither read nor published"
            ))
            .at(Span::file_start(&file.display))
            .with_help(format!("rename it to `{stem}.md` to publish it; files to publish as they are go in content/static/")),
        ));
    }
    if !is_markdown || section == "static" {
        let output = match section {
            // `content/static/x` is published at `/x`; anything else keeps its place.
            "static" => components[1..].join("/"),
            _ => components.join("/"),
        };
        return Ok(Parsed::Asset(Asset {
            source: file.absolute.clone(),
            display: file.display.clone(),
            output,
        }));
    }
    let text = read_source(&file.absolute, &file.display)?;
    if text.trim().is_empty() {
        return Ok(Parsed::Skipped(
            Diagnostic::warning("skipped: the file is empty")
                .at(Span::file_start(&file.display))
                .with_help("start it with front matter between two `---` lines, or delete it"),
        ));
    }
    let relative_in_section = |depth: usize| file.relative.iter().skip(depth).collect::<PathBuf>();
    if let Some(parsed) = parse_translation(file, section, &components, &text) {
        return parsed;
    }
    match (section, components.len()) {
        ("", 1) if components[0] == "_index.md" => {
            parse_document(&file.display, PathBuf::from("_index.md"), &text).map(Parsed::Site)
        }
        // `_index.md` means site settings only at the top; elsewhere `_` names are reserved.
        _ if components.last().is_some_and(|n| n.starts_with('_')) => Ok(Parsed::Skipped(
            Diagnostic::warning("ignored: names starting with `_` are reserved")
                .at(Span::file_start(&file.display))
                .with_help("site settings go in content/_index.md; rename this file to publish it"),
        )),
        ("", _) => parse_document(&file.display, relative_in_section(0), &text).map(Parsed::Page),
        ("forums", _) => parse_document(&file.display, relative_in_section(1), &text).map(Parsed::Report),
        ("speakers", 2) => parse_document(&file.display, relative_in_section(1), &text).map(Parsed::Speaker),
        ("organizations", 2) => {
            parse_document(&file.display, relative_in_section(1), &text).map(Parsed::Organization)
        }
        _ => Ok(Parsed::Skipped(
            Diagnostic::warning("ignored: Markdown outside `forums/`, `speakers/` and `organizations/`")
                .at(Span::file_start(&file.display))
                .with_help("reports go under content/forums/ (any depth); profiles directly in content/speakers/ or content/organizations/"),
        )),
    }
}

/// A translation (`about.ru.md`, `forums/2025/x.az.md`), or `None` for any other file.
fn parse_translation(
    file: &walk::FoundFile,
    section: &str,
    components: &[&str],
    text: &str,
) -> Option<Result<Parsed, Diagnostic>> {
    let name = components.last()?;
    let (base, lang) = name.strip_suffix(".md")?.rsplit_once('.')?;
    if base.is_empty() || !is_language_code(lang) {
        return None;
    }
    let section = match (section, components.len()) {
        ("", 1) if base == "_index" => Section::Site,
        _ if base.starts_with('_') => return None,
        ("", _) => Section::Page,
        ("forums", _) => Section::Report,
        ("speakers", 2) => Section::Speaker,
        ("organizations", 2) => Section::Organization,
        _ => return None,
    };
    let relative = file.relative.with_file_name(format!("{base}.md"));
    Some(parse_document(&file.display, relative, text).map(|doc| {
        Parsed::Translation(Translation {
            lang: lang.to_string(),
            section,
            original: file.display.with_file_name(format!("{base}.md")),
            doc,
        })
    }))
}

/// Read a file as UTF-8 text: refuse oversized files, UTF-16 and invalid bytes with their
/// position (no lossy replacement), drop a byte-order mark and fold CRLF to LF.
pub fn read_source(path: &Path, display: &Path) -> Result<String, Diagnostic> {
    let at_start = || Span::file_start(display);
    let size = std::fs::metadata(path)
        .map_err(|e| Diagnostic::error(format!("cannot read: {e}")).at(at_start()))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(Diagnostic::error(format!(
            "file is {} MiB; the limit is {} MiB",
            size / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ))
        .at(at_start())
        .with_help("split the report, or move large data to a linked file beside it"));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(format!("cannot read: {e}")).at(at_start()))?;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::error("UTF-16 is not supported")
            .at(at_start())
            .with_help("re-save the file as UTF-8"));
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            let (line, col) = line_col(prefix, valid);
            return Err(Diagnostic::error(format!("not valid UTF-8 at byte {valid}"))
                .at(Span::new(display, line, col))
                .with_help("re-save the file as UTF-8 (it looks like another encoding, such as Latin-1 or Windows-1252)"));
        }
    };
    if let Some(nul) = text.find('\0') {
        let (line, col) = line_col(&text, nul);
        return Err(
            Diagnostic::error("the file contains a NUL byte; is it a binary file?")
                .at_in(Span::new(display, line, col), &text),
        );
    }
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    })
}

/// Split and parse one Markdown file with front matter of type `F`.
pub fn parse_document<F: DeserializeOwned>(
    display: &Path,
    relative: PathBuf,
    text: &str,
) -> Result<Document<F>, Diagnostic> {
    let split = front_matter::split(text).map_err(|e| match e {
        front_matter::SplitError::Missing => Diagnostic::error("expected `---` front matter at the start of the file")
            .at_in(Span::file_start(display), text)
            .with_help("begin the file with a line `---`, then fields such as `title: ...`, then a closing `---`"),
        front_matter::SplitError::Unterminated => Diagnostic::error("unterminated front matter: no closing `---`")
            .at_in(Span::file_start(display), text)
            .with_help("add a line `---` after the last front-matter field"),
    })?;
    if split.yaml.len() > MAX_FRONT_MATTER_BYTES {
        return Err(Diagnostic::error(format!(
            "front matter is {} KiB; the limit is {} KiB",
            split.yaml.len() / 1024,
            MAX_FRONT_MATTER_BYTES / 1024
        ))
        .at(Span::file_start(display)));
    }
    let front = parse_yaml::<F>(split.yaml, display, split.yaml_line, text)?;
    Ok(Document {
        file: display.to_path_buf(),
        relative,
        front,
        body: Text::new(split.body.to_string()),
        body_line: split.body_line,
        yaml: FrontText::new(split.yaml.to_string()),
        yaml_line: split.yaml_line,
        digest: digest(text),
    })
}

/// A stable hash of a text (fingerprints of pages are made of these). xxh3 rather than the
/// standard library's SipHash: every source file is hashed whole, and SipHash took most of
/// a percent of a build.
pub fn digest(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// Parse YAML into `F`, turning errors into diagnostics positioned in the *file*.
pub fn parse_yaml<F: DeserializeOwned>(
    yaml: &str,
    display: &Path,
    first_line: usize,
    file_text: &str,
) -> Result<F, Diagnostic> {
    // An empty block (or only comments) means "all defaults", not an error.
    let has_content = yaml.lines().any(|l| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    });
    if !has_content {
        return serde_yaml::from_str::<F>("{}")
            .map_err(|e| yaml_errors::yaml_diagnostic(&e, yaml, display, first_line, file_text));
    }
    if let Some(offset) = too_deep(yaml) {
        let (line, col) = line_col(yaml, offset);
        return Err(Diagnostic::error("nesting too deep")
            .at_in(Span::new(display, line + first_line - 1, col), file_text)
            .with_help(format!(
                "front matter is never nested more than {MAX_FLOW_DEPTH} brackets deep"
            )));
    }
    // `title: !Important forum` is well-formed YAML: a tag, then the value `forum`. No field
    // of Podium's takes a tag, so it is a value that lost its first word.
    if let Some((line, col, written)) = yaml_errors::tagged_value(yaml) {
        // The field (or the `- `) before the value, as written.
        let before = yaml
            .lines()
            .nth(line - 1)
            .and_then(|l| l.get(..col - 1))
            .map_or("", str::trim_start);
        return Err(Diagnostic::error(format!(
            "a value cannot start with `!`: YAML reads `{}` as a tag and drops it",
            written.split_whitespace().next().unwrap_or(&written)
        ))
        .at_in(Span::new(display, line + first_line - 1, col), file_text)
        .with_help(format!(
            "put the value in quotes: `{before}\"{}\"`",
            written.replace('"', "\\\"")
        )));
    }
    serde_yaml::from_str::<F>(yaml).map_err(|e| {
        let mut first = yaml_errors::yaml_diagnostic(&e, yaml, display, first_line, file_text);
        let more = yaml_errors::further_mistakes::<F>(yaml, display, first_line, file_text, &first);
        first.also = (!more.is_empty()).then(|| Box::new(more));
        first
    })
}

/// The YAML parser refuses nesting past 128 levels, but only after parsing the whole
/// document, in time quadratic in the depth (80 000 `[` take half a minute). Brackets are
/// counted first, cheaply, so such input is refused at once.
const MAX_FLOW_DEPTH: usize = 64;

fn too_deep(yaml: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in yaml.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(i);
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(file: &str) -> Diagnostic {
        parse_document::<documents::ReportFront>(Path::new("a.md"), "a.md".into(), file)
            .unwrap_err()
    }

    #[test]
    fn deep_brackets_are_refused_before_parsing() {
        let started = std::time::Instant::now();
        let d = error_of(&format!("---\ntitle: {}\n---\n", "[".repeat(500_000)));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert_eq!(d.to_string(), "a.md:2:72: nesting too deep");
        // Brackets inside quotes are text.
        let ok = parse_document::<documents::ReportFront>(
            Path::new("a.md"),
            "a.md".into(),
            &format!("---\ntitle: \"{}\"\n---\n", "[".repeat(100)),
        );
        assert!(ok.is_ok());
    }

    #[test]
    fn unclosed_quotes_point_where_they_open() {
        let d = error_of("---\ntitle: \"unclosed\ndate: 2025-01-01\n---\n");
        assert_eq!(
            d.to_string(),
            "a.md:2:8: a quoted scalar opened here is never closed"
        );
    }

    /// A quote left open runs on to the next quote, where the parser stops on a line that
    /// looks fine: the error is where the quote opened, naming that line.
    #[test]
    fn a_quote_left_open_that_a_later_value_closes_points_where_it_opens() {
        let d = error_of(
            "---\ntitle: A\ndate: 2024-01-01\ncity: \"Xankəndi\ncountry: Azerbaijan\nvenue: \"Konqres Mərkəzi\"\n---\n",
        );
        assert_eq!(
            d.to_string(),
            "a.md:4:7: the quote opened here is not closed on its line, so the value runs on to the quote on line 6"
        );
        assert_eq!(
            d.help.as_deref(),
            Some("add the closing \" at the end of this line")
        );
        // In single quotes, and in a list item; a quote closed on its line is no such case.
        let d = error_of("---\ntitle: 'Forum\nspeakers:\n  - 'Ana Lima'\n---\n");
        assert!(
            d.to_string().starts_with("a.md:2:8: the quote opened here"),
            "{d}"
        );
        let d = error_of("---\ntitle: \"A \\\"quoted\\\" word\"\ncity: \"Baku\n---\n");
        assert!(
            d.to_string()
                .contains("a quoted scalar opened here is never closed"),
            "{d}"
        );
    }

    #[test]
    fn unclosed_brackets_point_where_they_open_and_where_parsing_stopped() {
        let d = error_of("---\ntitle: A\ntopics: [a, b\nspeakers: [Ana Lima]\n---\n");
        assert_eq!(
            d.to_string(),
            "a.md:3:9: a `[` list opened here is never closed (the parser gave up at line 4, column 9)"
        );
        assert_eq!(d.source_line.as_deref(), Some("topics: [a, b"));
        let d = error_of("---\ntitle: A\nsource: {publisher: X\ndate: 2025-01-01\n---\n");
        assert!(
            d.to_string().starts_with("a.md:3:9: a `{` map opened here"),
            "{d}"
        );
    }

    #[test]
    fn wrong_types_and_odd_characters() {
        assert_eq!(
            error_of("---\ntitle: [a, b]\n---\n").to_string(),
            "a.md:2:8: `title` must be text, not a list"
        );
        // serde's message, what the editor reads, and the help.
        for (serde, message, help) in [
            (
                r#"paginate: invalid type: string "ten", expected i64"#,
                r#"`paginate` must be a whole number, not the text "ten""#,
                "write e.g. `paginate: 25`, without quotes",
            ),
            (
                "images.originals: invalid type: integer `3`, expected a boolean",
                "`images.originals` must be `true` or `false`, not the number 3",
                "write e.g. `originals: true`, without quotes",
            ),
            (
                r#"languages: invalid type: string "en", expected a sequence"#,
                r#"`languages` must be a list, not the text "en""#,
                "write the items in brackets, `languages: [first, second]`, or one per line under `languages:`, each starting with `- `",
            ),
        ] {
            assert_eq!(
                yaml_errors::explain_wrong_type(serde),
                Some((message.to_string(), Some(help.to_string())))
            );
        }
        let d = error_of("---\nslug: %2e\n---\n");
        assert_eq!(
            d.to_string(),
            "a.md:2:7: a value cannot start with `%`, which YAML reads as syntax"
        );
        assert!(d.help.unwrap().contains("quotes"));
        let d = error_of("---\nspeakers:\n\t- name: x\n---\n");
        assert!(d.help.clone().unwrap().contains("tabs"), "{d}");
    }
}
