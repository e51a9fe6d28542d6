//! The manifest of a built output: every file's content hash, size and modification time as
//! the last build left it, and the fingerprint of the page it holds.
//!
//! It is what lets a rebuild touch only what changed. A file whose new bytes hash the same as
//! the manifest says, and whose size and modification time on disk are still the ones the
//! manifest recorded, is left alone; anything else (a file edited by hand, a manifest lost or
//! from another output) falls back to comparing the bytes on disk, so the manifest is only
//! ever a shortcut: a wrong one costs time, never a wrong output. It lives beside the output
//! (in `.<name>.podium/`), not in it, so it is never uploaded with the site.
//!
//! The format is one text line per file, with a closing line that counts and hashes the
//! others: a truncated or altered manifest is detected and ignored as a whole.
//!
//! An edit's rebuild changes a few dozen of the output's files, while the manifest of a
//! large site lists hundreds of thousands (355,000 lines, 48 MB at 100,000 reports: a third
//! of a second to write). So a build records only what it changed, in a second file
//! (`manifest.changes`) that names the whole manifest it applies to by that file's random
//! id; the whole manifest is written again (with empty changes) only when the changes grow
//! past a quarter of it. The two go together: when either is missing, damaged, or names
//! another id (someone's copy of an older one, a build killed between writing the two),
//! the manifest counts as lost, so that a file it recorded is never forgotten.

use super::state_file::{checked_body, closed, few_changes, id_after, new_id, write_whole};
use rustc_hash::FxHashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

const HEADER: &str = "podium-manifest 2";

/// What the manifest knows of one output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// xxh3-128 of the file's bytes.
    pub hash: u128,
    /// The file's size and modification time (nanoseconds since the epoch) once written.
    pub stamp: Stamp,
    /// The fingerprint of what the file was made from: a page's inputs (see
    /// `render::PageRenderer::fingerprint`), or a copied file's source size and time.
    pub fingerprint: Option<u64>,
}

/// A file's size and modification time: what tells, without reading it, that a file is
/// still the one a build wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    pub len: u64,
    pub modified: i128,
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        let modified = meta
            .modified()
            .ok()
            .map(|t| match t.duration_since(std::time::UNIX_EPOCH) {
                Ok(d) => d.as_nanos() as i128,
                Err(e) => -(e.duration().as_nanos() as i128),
            })
            .unwrap_or(0);
        Stamp {
            len: meta.len(),
            modified,
        }
    }

    /// The stamp of the file at `path`, if it is a plain file (a symbolic link is not
    /// followed: the output never holds one, so it is a file to replace).
    pub fn read(path: &Path) -> Option<Stamp> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        meta.file_type().is_file().then(|| Stamp::of(&meta))
    }
}

pub fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// `hash` of bytes handed over a piece at a time, and how many there were: the same hash as
/// of the pieces joined.
#[derive(Default)]
pub struct Hasher {
    state: xxhash_rust::xxh3::Xxh3,
    len: u64,
}

impl Hasher {
    pub fn update(&mut self, piece: &[u8]) {
        self.state.update(piece);
        self.len += piece.len() as u64;
    }

    pub fn finish(&self) -> u128 {
        self.state.digest128()
    }

    pub fn byte_count(&self) -> u64 {
        self.len
    }
}

/// The whole manifest's file, in the state folder.
pub const FILE: &str = "manifest";
/// The changes since the whole manifest was written, in the state folder.
pub const CHANGES_FILE: &str = "manifest.changes";
/// What a commit puts in place of each of them once its journal is played.
pub const NEXT_FILE: &str = "manifest.next";
pub const NEXT_CHANGES_FILE: &str = "manifest.changes.next";

const CHANGES_HEADER: &str = "podium-manifest-changes 1";

/// Output path (`/`-separated, relative) -> entry.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    pub files: FxHashMap<String, Entry>,
    /// The id of the whole manifest on disk these files were read from or last written
    /// as (0: none).
    id: u64,
    /// How the files differ from that whole manifest: path -> entry, or `None` for a file
    /// no longer there.
    changed: FxHashMap<String, Option<Entry>>,
    /// The lines of that whole manifest as read from disk, until taken.
    listing: Option<Arc<Listing>>,
}

/// The lines of a whole manifest as read from disk (its text, and where the lines are in
/// it): already in path order, which `Manifest::in_path_order` then need not sort.
#[derive(Debug)]
pub struct Listing {
    text: String,
    lines: Range<usize>,
}

/// Two manifests are equal when they list the same files, however they are kept on disk.
impl PartialEq for Manifest {
    fn eq(&self, other: &Manifest) -> bool {
        self.files == other.files
    }
}

impl Eq for Manifest {}

/// A file's path with its new entry, or `None` for a file removed.
pub type Change = (String, Option<Entry>);

/// Where `Manifest::save` writes: in place, or beside it for the journal's replay to move
/// into place (see `output::finish`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placing {
    Now,
    WithJournal,
}

/// The size and modification time of one line of the manifest, and its path.
fn stamp_and_path(line: &str) -> Option<(&str, Stamp)> {
    let mut fields = line.splitn(5, ' ');
    let _hash = fields.next()?;
    let len = fields.next()?.parse().ok()?;
    let modified = fields.next()?.parse().ok()?;
    let _fingerprint = fields.next()?;
    Some((fields.next()?, Stamp { len, modified }))
}

/// One line of the manifest: hash, size, modification time, fingerprint (or `-`), path.
fn parse_line(line: &str) -> Option<(String, Entry)> {
    let mut fields = line.splitn(5, ' ');
    let hash = u128::from_str_radix(fields.next()?, 16).ok()?;
    let len = fields.next()?.parse().ok()?;
    let modified = fields.next()?.parse().ok()?;
    let fingerprint = match fields.next()? {
        "-" => None,
        fp => Some(u64::from_str_radix(fp, 16).ok()?),
    };
    let path = fields.next()?;
    Some((
        path.to_string(),
        Entry {
            hash,
            stamp: Stamp { len, modified },
            fingerprint,
        },
    ))
}

/// `parse_line`'s line for `path`, with its `\n`, added to `lines`.
fn push_line(lines: &mut String, path: &str, e: &Entry) {
    use std::fmt::Write;
    let _ = write!(
        lines,
        "{:032x} {} {} ",
        e.hash, e.stamp.len, e.stamp.modified
    );
    match e.fingerprint {
        Some(f) => {
            let _ = write!(lines, "{f:016x}");
        }
        None => lines.push('-'),
    }
    lines.push(' ');
    lines.push_str(path);
    lines.push('\n');
}

/// `text` in pieces of about `size` bytes, each but the last ending with a line's `\n`.
fn split_at_lines(text: &str, size: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while rest.len() > size {
        // Looked for in bytes: `size` may fall inside a character of a path.
        let cut = rest.as_bytes()[size..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| size + i + 1);
        let (piece, after) = rest.split_at(cut);
        pieces.push(piece);
        rest = after;
    }
    if !rest.is_empty() {
        pieces.push(rest);
    }
    pieces
}

impl Manifest {
    /// The manifest kept in the state folder `state`, with its changes; empty when it is
    /// missing, unreadable, truncated or not one of ours (then every file is compared on
    /// disk instead).
    pub fn read(state: &Path) -> Manifest {
        let Some(mut manifest) = std::fs::read_to_string(state.join(FILE))
            .ok()
            .and_then(Manifest::parse)
        else {
            return Manifest::default();
        };
        match std::fs::read_to_string(state.join(CHANGES_FILE))
            .ok()
            .and_then(|text| parse_changes(&text))
        {
            Some((id, changes)) if id == manifest.id => {
                manifest.apply(changes);
                manifest
            }
            _ => Manifest::default(),
        }
    }

    fn parse(text: String) -> Option<Manifest> {
        let (first, entries, count) = checked_body(&text)?;
        let id = id_after(first, HEADER)?;
        let start = entries.as_ptr() as usize - text.as_ptr() as usize;
        let lines = start..start + entries.len();
        // Parsed in pieces on every core (355,000 lines at 100,000 reports), each piece
        // ending at a line's end, then gathered into the map.
        let pieces = split_at_lines(entries, 1 << 20);
        let parsed: Vec<Vec<(String, Entry)>> = {
            use rayon::prelude::*;
            pieces
                .par_iter()
                .map(|piece| piece.lines().map(parse_line).collect::<Option<Vec<_>>>())
                .collect::<Option<Vec<_>>>()?
        };
        let mut files = FxHashMap::default();
        files.reserve(parsed.iter().map(Vec::len).sum());
        for piece in parsed {
            files.extend(piece);
        }
        (files.len() == count).then(|| Manifest {
            files,
            id,
            changed: FxHashMap::default(),
            listing: Some(Arc::new(Listing { text, lines })),
        })
    }

    /// The manifest's lines as read from disk, for `in_path_order_with`: taken, so that the
    /// manifest does not keep them (48 MB at 100,000 reports) once they are no longer needed.
    pub fn take_listing(&mut self) -> Option<Arc<Listing>> {
        self.listing.take()
    }

    /// Every file with its size and modification time, a folder's files one after another
    /// (for looking at them all on disk: see `sweep`). In path order, as the whole manifest
    /// on disk lists them, then the files changed since; sorted only when there is no such
    /// list (355,000 paths at 100,000 reports: a sort cost more than the look at the list).
    pub fn in_path_order(&self) -> Vec<(&str, Stamp)> {
        self.in_path_order_with(None)
    }

    /// `in_path_order`, with the lines `take_listing` took from this manifest (if not, its
    /// own, if it still has them).
    pub fn in_path_order_with<'a>(&'a self, taken: Option<&'a Listing>) -> Vec<(&'a str, Stamp)> {
        let Some(Listing { text, lines }) = taken.or(self.listing.as_deref()) else {
            let mut files: Vec<(&str, Stamp)> = self
                .files
                .iter()
                .map(|(path, entry)| (path.as_str(), entry.stamp))
                .collect();
            files.sort_unstable_by(|a, b| a.0.cmp(b.0));
            return files;
        };
        let mut files = Vec::with_capacity(self.files.len());
        // Each line was read whole when the manifest was, so each has a stamp and a path.
        files.extend(
            text[lines.clone()]
                .lines()
                .filter_map(stamp_and_path)
                .filter(|(path, _)| self.changed.is_empty() || !self.changed.contains_key(*path)),
        );
        files.extend(
            self.changed
                .iter()
                .filter_map(|(path, entry)| Some((path.as_str(), entry.as_ref()?.stamp))),
        );
        files
    }

    /// Record that the output's files changed so: a path with its new entry, or `None` for
    /// a file removed.
    pub fn apply(&mut self, changes: impl IntoIterator<Item = Change>) {
        for (path, entry) in changes {
            match entry {
                Some(entry) => self.files.insert(path.clone(), entry),
                None => self.files.remove(&path),
            };
            if self.id != 0 {
                self.changed.insert(path, entry);
            }
        }
    }

    /// Whether the manifest differs from what was read or last saved.
    pub fn is_changed(&self) -> bool {
        self.id == 0 || !self.changed.is_empty()
    }

    /// Save the manifest in the state folder `state`: only its changes while they are few,
    /// the whole of it (and no changes) otherwise.
    pub fn save(&mut self, state: &Path, placing: Placing) -> std::io::Result<()> {
        let (file, changes_file) = match placing {
            Placing::Now => (FILE, CHANGES_FILE),
            Placing::WithJournal => (NEXT_FILE, NEXT_CHANGES_FILE),
        };
        if self.id == 0 || !few_changes(self.changed.len(), self.files.len()) {
            self.id = new_id();
            self.changed.clear();
            self.listing = None;
            write_whole(&state.join(file), self.to_text())?;
        }
        write_whole(&state.join(changes_file), self.changes_to_text())
    }

    /// The whole manifest as text, files in path order (so equal manifests are equal files).
    pub fn to_text(&self) -> String {
        use rayon::prelude::*;
        let mut paths: Vec<&String> = self.files.keys().collect();
        paths.par_sort_unstable();
        // Lines made on every core, a few thousand to a string (at 100,000 reports the
        // manifest has 355,000 lines), then joined in order.
        let chunks: Vec<String> = paths
            .par_chunks(4096)
            .map(|paths| {
                let mut lines = String::with_capacity(paths.len() * 120);
                for path in paths {
                    push_line(&mut lines, path, &self.files[*path]);
                }
                lines
            })
            .collect();
        let mut body = String::with_capacity(
            HEADER.len() + 64 + chunks.iter().map(String::len).sum::<usize>(),
        );
        body.push_str(&format!("{HEADER} {:016x}\n", self.id));
        chunks.iter().for_each(|c| body.push_str(c));
        closed(body, self.files.len())
    }

    /// The changes since the whole manifest was written, as text: a file's line as in the
    /// manifest, or `x <path>` for a file removed.
    fn changes_to_text(&self) -> String {
        let mut paths: Vec<&String> = self.changed.keys().collect();
        paths.sort_unstable();
        let mut body = format!("{CHANGES_HEADER} {:016x}\n", self.id);
        for path in paths {
            match &self.changed[path] {
                Some(entry) => push_line(&mut body, path, entry),
                None => {
                    body.push_str("x ");
                    body.push_str(path);
                    body.push('\n');
                }
            }
        }
        closed(body, self.changed.len())
    }
}

/// The id of the whole manifest and the changes since, from `changes_to_text`'s text.
fn parse_changes(text: &str) -> Option<(u64, Vec<Change>)> {
    let (first, lines, count) = checked_body(text)?;
    let id = id_after(first, CHANGES_HEADER)?;
    let changes = lines
        .lines()
        .map(|line| match line.strip_prefix("x ") {
            Some(path) => Some((path.to_string(), None)),
            None => parse_line(line).map(|(path, entry)| (path, Some(entry))),
        })
        .collect::<Option<Vec<_>>>()?;
    (changes.len() == count).then_some((id, changes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_hash_as_their_bytes_joined() {
        let text = b"{\"items\":[{\"id\":1},{\"id\":2}]}\n".repeat(100);
        for cut in [0, 1, 7, 300, text.len() - 1, text.len()] {
            let (a, b) = text.split_at(cut);
            let mut hasher = Hasher::default();
            [a, &[], b].iter().for_each(|p| hasher.update(p));
            assert_eq!(hasher.finish(), hash(&text), "cut at {cut}");
            assert_eq!(hasher.byte_count(), text.len() as u64);
        }
        let mut other = Hasher::default();
        other.update(&text[1..]);
        assert_ne!(other.finish(), hash(&text));
    }

    fn sample() -> Manifest {
        let mut m = Manifest::default();
        m.files.insert(
            "forums/a b/index.html".into(),
            Entry {
                hash: hash(b"<html>"),
                stamp: Stamp {
                    len: 6,
                    modified: 1_700_000_000_123_456_789,
                },
                fingerprint: Some(42),
            },
        );
        m.files.insert(
            "style.css".into(),
            Entry {
                hash: 7,
                stamp: Stamp {
                    len: 1,
                    modified: -5,
                },
                fingerprint: None,
            },
        );
        m
    }

    #[test]
    fn a_manifest_reads_back_as_written() {
        let m = sample();
        assert_eq!(Manifest::parse(m.to_text()), Some(m));
    }

    /// Lines are made on several threads in chunks: they must still come out one per file,
    /// in path order, and read back whole.
    #[test]
    fn a_manifest_of_many_files_is_written_in_path_order() {
        let mut m = Manifest::default();
        for i in (0..10_000u32).rev() {
            let entry = Entry {
                hash: i.into(),
                stamp: Stamp {
                    len: i.into(),
                    modified: i.into(),
                },
                fingerprint: (i % 2 == 0).then_some(i.into()),
            };
            m.files.insert(format!("forums/{i:05}/index.html"), entry);
        }
        let text = m.to_text();
        let paths: Vec<&str> = text
            .lines()
            .skip(1)
            .filter_map(|l| l.splitn(5, ' ').nth(4))
            .collect();
        assert_eq!(paths.len(), 10_000);
        assert!(paths.windows(2).all(|w| w[0] < w[1]), "not in order");
        assert_eq!(Manifest::parse(text.clone()), Some(m));
    }

    #[test]
    fn a_truncated_or_altered_manifest_is_not_trusted() {
        let text = sample().to_text();
        for cut in [10, text.len() / 2, text.len() - 3] {
            assert_eq!(
                Manifest::parse(text[..cut].to_string()),
                None,
                "cut at {cut}"
            );
        }
        let altered = text.replacen("style.css", "style.csx", 1);
        assert_eq!(Manifest::parse(altered), None);
        assert_eq!(Manifest::parse("not a manifest\n".into()), None);
        assert_eq!(Manifest::parse(String::new()), None);
    }

    fn entry(i: u32) -> Entry {
        Entry {
            hash: i.into(),
            stamp: Stamp {
                len: i.into(),
                modified: i.into(),
            },
            fingerprint: Some(i.into()),
        }
    }

    fn state_files(state: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(state)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A build that changes a few files writes only those; read back, the whole manifest
    /// and its changes are the manifest the build had.
    #[test]
    fn a_few_changes_are_saved_beside_the_whole_manifest_and_read_back_with_it() {
        let state = tempfile::tempdir().unwrap();
        let mut m = Manifest::default();
        m.apply((0..1000).map(|i| (format!("forums/{i}/index.html"), Some(entry(i)))));
        m.save(state.path(), Placing::Now).unwrap();
        assert_eq!(state_files(state.path()), ["manifest", "manifest.changes"]);
        let whole = std::fs::read(state.path().join(FILE)).unwrap();

        let mut m = Manifest::read(state.path());
        assert_eq!(m.files.len(), 1000);
        assert!(!m.is_changed());
        m.apply([
            ("forums/1/index.html".to_string(), Some(entry(5000))),
            ("forums/2/index.html".to_string(), None),
            ("forums/new/index.html".to_string(), Some(entry(6000))),
        ]);
        assert!(m.is_changed());
        m.save(state.path(), Placing::Now).unwrap();
        assert_eq!(state_files(state.path()), ["manifest", "manifest.changes"]);
        assert_eq!(std::fs::read(state.path().join(FILE)).unwrap(), whole);
        let back = Manifest::read(state.path());
        assert_eq!(back, m);
        assert_eq!(back.files["forums/1/index.html"], entry(5000));
        assert!(!back.files.contains_key("forums/2/index.html"));
        assert_eq!(back.files["forums/new/index.html"], entry(6000));

        // Changes past a quarter of the files: the whole manifest is written again, with
        // none.
        let mut m = back;
        m.apply((0..400).map(|i| (format!("pages/{i}/index.html"), Some(entry(i)))));
        m.save(state.path(), Placing::Now).unwrap();
        assert_ne!(std::fs::read(state.path().join(FILE)).unwrap(), whole);
        assert!(
            parse_changes(&std::fs::read_to_string(state.path().join(CHANGES_FILE)).unwrap())
                .unwrap()
                .1
                .is_empty()
        );
        assert_eq!(Manifest::read(state.path()), m);
        assert_eq!(m.files.len(), 1400);
    }

    /// The files in path order come from the whole manifest's own lines and its changes
    /// when it was read from disk, and from a sort otherwise: the same files, stamps and order
    /// but for the changed files, which come last.
    #[test]
    fn files_in_path_order_are_the_manifests_files_with_their_stamps() {
        let sorted = |m: &Manifest| {
            let mut files: Vec<(String, Stamp)> =
                m.files.iter().map(|(p, e)| (p.clone(), e.stamp)).collect();
            files.sort_by(|a, b| a.0.cmp(&b.0));
            files
        };
        let owned = |order: Vec<(&str, Stamp)>| -> Vec<(String, Stamp)> {
            order.into_iter().map(|(p, s)| (p.to_string(), s)).collect()
        };
        let state = tempfile::tempdir().unwrap();
        let mut m = Manifest::default();
        m.apply((0..300).map(|i| (format!("forums/{}/{i}/index.html", i % 7), Some(entry(i)))));
        assert!(m.listing.is_none());
        assert_eq!(owned(m.in_path_order()), sorted(&m));
        m.save(state.path(), Placing::Now).unwrap();

        let mut read = Manifest::read(state.path());
        assert!(read.listing.is_some());
        assert_eq!(owned(read.in_path_order()), sorted(&read));
        read.apply([
            ("forums/1/1/index.html".to_string(), Some(entry(5000))),
            ("forums/2/2/index.html".to_string(), None),
            ("a/new.html".to_string(), Some(entry(6000))),
        ]);
        read.save(state.path(), Placing::Now).unwrap();
        let back = Manifest::read(state.path());
        assert!(back.listing.is_some());
        let order = owned(back.in_path_order());
        let (listed, changed) = order.split_at(order.len() - 2);
        assert!(listed.windows(2).all(|w| w[0].0 < w[1].0));
        let mut changed = changed.to_vec();
        changed.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            changed,
            [
                ("a/new.html".to_string(), entry(6000).stamp),
                ("forums/1/1/index.html".to_string(), entry(5000).stamp)
            ]
        );
        let mut all = order.clone();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(all, sorted(&back));
        assert_eq!(all.len(), 300);
        // Taken from the manifest, the lines give the same order.
        let mut taken = back.clone();
        let listing = taken.take_listing().unwrap();
        assert!(taken.listing.is_none());
        assert_eq!(owned(taken.in_path_order_with(Some(&listing))), order);
    }

    /// The whole manifest and its changes go together: changes lost, damaged or made for
    /// another whole manifest (even one with the same files) make the manifest count as lost,
    /// as a damaged whole one does.
    #[test]
    fn a_manifest_without_its_own_changes_is_not_trusted() {
        let state = tempfile::tempdir().unwrap();
        let mut m = Manifest::default();
        m.apply((0..100).map(|i| (format!("p/{i}.html"), Some(entry(i)))));
        m.save(state.path(), Placing::Now).unwrap();
        let mut m = Manifest::read(state.path());
        m.apply([("p/1.html".to_string(), None)]);
        m.save(state.path(), Placing::Now).unwrap();
        let changes = std::fs::read_to_string(state.path().join(CHANGES_FILE)).unwrap();
        assert_eq!(Manifest::read(state.path()).files.len(), 99);

        // The same files written whole again, under a new id: the old changes do not apply.
        let mut whole = Manifest::default();
        whole.apply((0..100).map(|i| (format!("p/{i}.html"), Some(entry(i)))));
        whole.save(state.path(), Placing::Now).unwrap();
        assert_eq!(Manifest::read(state.path()), whole);
        std::fs::write(state.path().join(CHANGES_FILE), &changes).unwrap();
        assert!(Manifest::read(state.path()).files.is_empty());

        let mut m = whole;
        m.apply([("p/2.html".to_string(), Some(entry(77)))]);
        m.save(state.path(), Placing::Now).unwrap();
        let good = std::fs::read_to_string(state.path().join(CHANGES_FILE)).unwrap();
        assert_eq!(Manifest::read(state.path()).files["p/2.html"], entry(77));
        for damaged in [
            good[..good.len() / 2].to_string(),
            good.replace("p/2.html", "p/3.html"),
            String::from("garbage"),
        ] {
            std::fs::write(state.path().join(CHANGES_FILE), damaged).unwrap();
            assert!(Manifest::read(state.path()).files.is_empty());
        }
        std::fs::remove_file(state.path().join(CHANGES_FILE)).unwrap();
        assert!(Manifest::read(state.path()).files.is_empty());
    }

    #[test]
    fn pieces_of_the_manifest_end_at_lines_even_inside_characters() {
        let text = "a ü\nbb ğğ\n\nccc\nd".repeat(50);
        for size in [1, 2, 3, 5, 17, text.len() - 1, text.len(), text.len() + 1] {
            let pieces = split_at_lines(&text, size);
            assert_eq!(pieces.concat(), text, "size {size}");
            let (last, rest) = pieces.split_last().unwrap();
            assert!(rest.iter().all(|p| p.ends_with('\n')), "size {size}");
            assert!(!last.is_empty());
        }
        assert!(split_at_lines("", 4).is_empty());
    }
}
