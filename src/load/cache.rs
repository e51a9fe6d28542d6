//! The parsed documents of the last build, kept on disk so that the next `podium build`
//! parses only the files that changed.
//!
//! Reading YAML is most of what loading costs (at 10,000 reports, three quarters of a second
//! of the load's second). So a build keeps every report, profile and page it parsed in one
//! file beside the output (`.<output>.podium/documents`), each with the size, modification
//! time, change time and inode its source had; the next build takes a document from there
//! when its source still has exactly that stamp, and parses only the others.
//!
//! The cache is only a shortcut. Its index carries a checksum and the identity of the
//! Podium that wrote it, so a truncated or foreign file is ignored whole; each document
//! carries a checksum too, and one that is damaged or cannot be decoded is parsed from its
//! source instead. Documents are read one by one where the index says they are, not the
//! whole file at once: at 10,000 reports the file is 100 MB, and reading it into fresh
//! memory cost more than decoding the documents. A
//! document is stored only if it decodes back equal to what was parsed, and only if its
//! source was last modified two seconds or more before it was read: a file saved again within
//! the clock's granularity of the first save (same size, same time) would otherwise look
//! unchanged. The change time, which no tool can set back, catches a file whose modification
//! time was restored (`touch -d`, `tar`, `rsync -t`).
//!
//! Documents go to the file as they are parsed (a fresh build never holds them twice), and a
//! changed one is appended after the others with a new index, so an edit writes kilobytes,
//! not the whole cache; the file is written anew once most of it is superseded documents.

use super::documents::{OrganizationFront, PageFront, ReportFront, SiteFront, SpeakerFront};
use super::text::CacheFile;
use super::{Document, Parsed, Translation};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// The file: this line, the documents back to back (each its front matter's fields and the
/// facts of its text, then the text's words, then the front matter as written: see
/// `super::text`), the index (`Header`), where the
/// index starts and how long it is, and a checksum of the index and those two numbers. The
/// front matter is MessagePack with structs as lists, read by position rather than by field
/// name: a tenth quicker to decode, and safe because a cache another build of Podium wrote
/// is never read (its index names the Podium that wrote it).
const MAGIC: &[u8] = b"podium-documents 6\n";

/// The index's place and length and the checksum, at the very end of the file.
const TRAILER: usize = 24;

/// A source must be this much older than its reading for its document to be kept.
const SETTLED: Duration = Duration::from_secs(2);

/// What tells, without reading it, that a source file is the one a document was parsed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SourceStamp {
    len: u64,
    modified: i64,
    changed: i64,
    inode: u64,
}

impl SourceStamp {
    pub fn of(meta: &std::fs::Metadata) -> SourceStamp {
        let nanos = |t: Option<SystemTime>| {
            t.and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as i64)
        };
        #[cfg(unix)]
        let (changed, inode) = {
            use std::os::unix::fs::MetadataExt;
            (
                meta.ctime()
                    .saturating_mul(1_000_000_000)
                    .saturating_add(meta.ctime_nsec()),
                meta.ino(),
            )
        };
        #[cfg(not(unix))]
        let (changed, inode) = (0, 0);
        SourceStamp {
            len: meta.len(),
            modified: nanos(meta.modified().ok()),
            changed,
            inode,
        }
    }

    /// Whether the source had been left alone long enough before `now` to be kept.
    fn settled(&self, now: SystemTime) -> bool {
        let now = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i64);
        self.modified > 0 && self.modified.saturating_add(SETTLED.as_nanos() as i64) <= now
    }
}

/// The kinds of document kept: every Markdown source, so that an edit parses only the file
/// edited (site settings and translations are few, but a site in three languages has a
/// translation or two of every report).
#[derive(Serialize)]
enum StoredRef<'a> {
    Report(&'a Document<ReportFront>),
    Speaker(&'a Document<SpeakerFront>),
    Organization(&'a Document<OrganizationFront>),
    Page(&'a Document<PageFront>),
    Site(&'a Document<SiteFront>),
    Translation(&'a Translation),
}

// Decoded once and moved into `Parsed` at once (which is as large, for the same reason).
#[allow(clippy::large_enum_variant)]
#[derive(Deserialize)]
enum Stored {
    Report(Document<ReportFront>),
    Speaker(Document<SpeakerFront>),
    Organization(Document<OrganizationFront>),
    Page(Document<PageFront>),
    Site(Document<SiteFront>),
    Translation(Translation),
}

impl Stored {
    fn into_parsed(self) -> Parsed {
        match self {
            Stored::Report(d) => Parsed::Report(d),
            Stored::Speaker(d) => Parsed::Speaker(d),
            Stored::Organization(d) => Parsed::Organization(d),
            Stored::Page(d) => Parsed::Page(d),
            Stored::Site(d) => Parsed::Site(d),
            Stored::Translation(t) => Parsed::Translation(t),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Header {
    identity: String,
    /// Source path (absolute, as the walk found it), its stamp, and where its document is.
    entries: Vec<(String, SourceStamp, Place)>,
}

/// Where a document is in a cache file: its encoded front matter (with its text's facts)
/// from `start`, then its text's words, then its front matter's YAML, each with its own
/// checksum (the words are read only when a page needs them, the YAML only for a message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Place {
    start: u64,
    front_len: u64,
    front_checksum: u64,
    text_len: u64,
    text_checksum: u64,
    yaml_len: u64,
    yaml_checksum: u64,
}

impl Place {
    fn front(&self) -> Range<usize> {
        self.start as usize..(self.start + self.front_len) as usize
    }

    fn text(&self) -> Range<usize> {
        let start = (self.start + self.front_len) as usize;
        start..start + self.text_len as usize
    }

    fn yaml(&self) -> Range<usize> {
        let start = (self.start + self.front_len + self.text_len) as usize;
        start..start + self.yaml_len as usize
    }

    fn len(&self) -> usize {
        (self.front_len + self.text_len + self.yaml_len) as usize
    }

    fn end(&self) -> Option<usize> {
        usize::try_from(
            self.start
                .checked_add(self.front_len)?
                .checked_add(self.text_len)?
                .checked_add(self.yaml_len)?,
        )
        .ok()
    }
}

/// Where a document's bytes are for the next cache: in the previous file (which the new one
/// keeps, or copies from), or already written to the new one.
#[derive(Debug)]
pub(super) enum Kept {
    Old(Place),
    Written(Place),
}

/// One document of the previous file: its source's stamp and where it is.
#[derive(Debug, Clone)]
struct Entry {
    stamp: SourceStamp,
    place: Place,
}

/// The cache as the previous build left it, and the next one as it is being written.
#[derive(Default)]
pub(super) struct DocumentCache {
    path: PathBuf,
    identity: String,
    /// The previous file, read a document at a time (by position: the loading threads
    /// share it without a lock), and later the texts of those documents.
    file: Option<Arc<CacheFile>>,
    index: Index,
    /// Where the previous file's documents end (0 without a previous file).
    blob_end: usize,
    /// Whether the next cache is written anew rather than after the previous documents.
    rewrite: bool,
    /// The next cache, opened when its first document is written: documents go to the disk
    /// as they are parsed, so a build never holds them twice in memory.
    next: std::sync::OnceLock<std::io::Result<NextFile>>,
}

impl DocumentCache {
    /// The cache at `path`, written by a Podium of this `identity`; empty when it is missing
    /// or not whole.
    pub(super) fn open(path: PathBuf, identity: &str) -> DocumentCache {
        // What a build killed while writing the cache anew left (only one build at a time
        // runs: the output's lock is held).
        let _ = std::fs::remove_file(path.with_extension("tmp"));
        let mut cache = DocumentCache {
            path,
            identity: identity.to_string(),
            rewrite: true,
            ..DocumentCache::default()
        };
        if let Ok(mut file) = std::fs::File::open(&cache.path)
            && let Some((index, blob_end)) = read_index(&mut file, identity)
        {
            // Appended to until more than half of it is documents no longer used.
            let live: usize = index.values().map(|e| e.place.len()).sum();
            cache.rewrite = blob_end - MAGIC.len() > 2 * live;
            cache.file = Some(Arc::new(CacheFile::new(file)));
            cache.index = index;
            cache.blob_end = blob_end;
        }
        cache
    }

    /// Hand `then` the bytes at `range` of the previous file, if they are there and match
    /// `checksum`. They are read into a buffer each thread keeps: a build reads every
    /// document (a gigabyte at 100,000 reports), and a fresh zeroed buffer for each cost a
    /// third as much as decoding them.
    fn read<R>(
        &self,
        range: Range<usize>,
        checksum: u64,
        then: impl FnOnce(&[u8]) -> R,
    ) -> Option<R> {
        thread_local! {
            static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let file = &self.file.as_ref()?.file;
        BUFFER.with(|buffer| {
            let mut buffer = buffer.borrow_mut();
            // Only grown, never shrunk: a longer document zeroes just the new part.
            if buffer.len() < range.len() {
                buffer.resize(range.len(), 0);
            }
            let bytes = &mut buffer[..range.len()];
            read_at(file, bytes, range.start as u64).ok()?;
            (xxhash_rust::xxh3::xxh3_64(bytes) == checksum).then(|| then(bytes))
        })
    }

    /// The document kept for `source` if its stamp is still `stamp`, with where it was.
    pub(super) fn get(
        &self,
        source: &Path,
        stamp: SourceStamp,
        shown_as: &Path,
    ) -> Option<(Parsed, Kept)> {
        let entry = self.index.get(source.to_str()?)?;
        if entry.stamp != stamp {
            return None;
        }
        let place = entry.place;
        let stored: Stored = self
            .read(place.front(), place.front_checksum, |bytes| {
                rmp_serde::from_slice(bytes).ok()
            })
            .flatten()?;
        let mut parsed = stored.into_parsed();
        attach_text(&mut parsed, self.file.clone()?, place, source);
        // The same file reached by another spelling of the site's root is shown otherwise.
        (shown_file(&parsed) == Some(shown_as)).then_some((parsed, Kept::Old(place)))
    }

    /// The previous file, from which the documents taken from it read their texts.
    pub(super) fn texts(&self) -> Option<Arc<CacheFile>> {
        self.file.clone()
    }

    /// Write a document just parsed from a source with `stamp`, read at `now`, to the next
    /// cache. `None` for a kind that is not kept, a source too freshly saved, a document that
    /// would not come back equal, or a cache that cannot be written.
    pub(super) fn keep(
        &self,
        parsed: &Parsed,
        stamp: SourceStamp,
        now: SystemTime,
    ) -> Option<Kept> {
        if !stamp.settled(now) {
            return None;
        }
        let (stored, words, yaml) = match parsed {
            Parsed::Report(d) => (StoredRef::Report(d), d.body.here()?, d.yaml.here()?),
            Parsed::Speaker(d) => (StoredRef::Speaker(d), d.body.here()?, d.yaml.here()?),
            Parsed::Organization(d) => (StoredRef::Organization(d), d.body.here()?, d.yaml.here()?),
            Parsed::Page(d) => (StoredRef::Page(d), d.body.here()?, d.yaml.here()?),
            Parsed::Site(d) => (StoredRef::Site(d), d.body.here()?, d.yaml.here()?),
            Parsed::Translation(t) => (
                StoredRef::Translation(t),
                t.doc.body.here()?,
                t.doc.yaml.here()?,
            ),
            _ => return None,
        };
        let bytes = rmp_serde::to_vec(&stored).ok()?;
        // Decoded back, with the words it is stored beside, it must be what was parsed.
        let same = match (rmp_serde::from_slice(&bytes).ok()?, parsed) {
            (Stored::Report(mut a), Parsed::Report(b)) => {
                a.body = a.body.with_words_of(&b.body);
                a.yaml = a.yaml.with_words_of(&b.yaml);
                a == *b
            }
            (Stored::Speaker(mut a), Parsed::Speaker(b)) => {
                a.body = a.body.with_words_of(&b.body);
                a.yaml = a.yaml.with_words_of(&b.yaml);
                a == *b
            }
            (Stored::Organization(mut a), Parsed::Organization(b)) => {
                a.body = a.body.with_words_of(&b.body);
                a.yaml = a.yaml.with_words_of(&b.yaml);
                a == *b
            }
            (Stored::Page(mut a), Parsed::Page(b)) => {
                a.body = a.body.with_words_of(&b.body);
                a.yaml = a.yaml.with_words_of(&b.yaml);
                a == *b
            }
            (Stored::Site(mut a), Parsed::Site(b)) => {
                a.body = a.body.with_words_of(&b.body);
                a.yaml = a.yaml.with_words_of(&b.yaml);
                a == *b
            }
            (Stored::Translation(mut a), Parsed::Translation(b)) => {
                a.doc.body = a.doc.body.with_words_of(&b.doc.body);
                a.doc.yaml = a.doc.yaml.with_words_of(&b.doc.yaml);
                a == *b
            }
            _ => false,
        };
        if !same {
            return None;
        }
        let file = self.next.get_or_init(|| self.start()).as_ref().ok()?;
        let start = file
            .append(&[&bytes, words.as_bytes(), yaml.as_bytes()])
            .ok()?;
        Some(Kept::Written(Place {
            start,
            front_len: bytes.len() as u64,
            front_checksum: xxhash_rust::xxh3::xxh3_64(&bytes),
            text_len: words.len() as u64,
            text_checksum: xxhash_rust::xxh3::xxh3_64(words.as_bytes()),
            yaml_len: yaml.len() as u64,
            yaml_checksum: xxhash_rust::xxh3::xxh3_64(yaml.as_bytes()),
        }))
    }

    /// Open the next cache: a new file, or the previous one cut after its documents.
    fn start(&self) -> std::io::Result<NextFile> {
        if self.rewrite {
            let file = std::fs::File::create(self.path.with_extension("tmp"))?;
            let next = NextFile::new(file, 0);
            next.append(&[MAGIC])?;
            Ok(next)
        } else {
            let file = std::fs::OpenOptions::new().write(true).open(&self.path)?;
            file.set_len(self.blob_end as u64)?;
            Ok(NextFile::new(file, self.blob_end))
        }
    }

    /// Close the cache for the next build: `kept` holds, for each source, its stamp and
    /// where its document is. Nothing is written when it would be the same cache. Failing to
    /// write is no error: the next build parses more.
    ///
    /// Returns the texts of the documents written to it, attached to the file as written
    /// (a fresh build then holds none of them in memory: at 100,000 reports that was 880 MB
    /// of its peak), or `None` if it was not written.
    pub(super) fn save(self, kept: Vec<(PathBuf, SourceStamp, Kept)>) -> Option<Written> {
        let places: HashMap<PathBuf, Place> = kept
            .iter()
            .filter_map(|(path, _, at)| match at {
                Kept::Written(place) => Some((path.clone(), *place)),
                Kept::Old(_) => None,
            })
            .collect();
        self.write(kept)?;
        let file = std::fs::File::open(&self.path).ok()?;
        Some(Written {
            file: Arc::new(CacheFile::new(file)),
            places,
        })
    }

    fn write(&self, kept: Vec<(PathBuf, SourceStamp, Kept)>) -> Option<()> {
        let unchanged = kept.len() == self.index.len()
            && kept.iter().all(|(path, stamp, bytes)| {
                matches!(bytes, Kept::Old(..))
                    && path
                        .to_str()
                        .and_then(|p| self.index.get(p))
                        .is_some_and(|e| e.stamp == *stamp)
            });
        if unchanged {
            return None;
        }
        let next = self.next.get_or_init(|| self.start()).as_ref().ok()?;
        // A cut file fails its checksum: the next build parses everything.
        self.finish(next, kept).ok()?;
        if self.rewrite {
            std::fs::rename(self.path.with_extension("tmp"), &self.path).ok()?;
        }
        Some(())
    }

    /// The documents a new file copies from the previous one, the index, and the trailer.
    fn finish(
        &self,
        next: &NextFile,
        kept: Vec<(PathBuf, SourceStamp, Kept)>,
    ) -> std::io::Result<()> {
        // Documents copied from the previous file are written a megabyte at a time.
        const COPIED: usize = 1 << 20;
        let mut copied_bytes = Vec::new();
        let mut header = Header {
            identity: self.identity.clone(),
            entries: Vec::with_capacity(kept.len()),
        };
        for (path, stamp, bytes) in kept {
            let Some(path) = path.to_str().map(str::to_string) else {
                continue;
            };
            let place = match bytes {
                Kept::Old(place) if self.rewrite => {
                    // A document that is no longer as it was is left out: parsed next time.
                    if copied_bytes.len() >= COPIED {
                        next.append(&[&copied_bytes])?;
                        copied_bytes.clear();
                    }
                    let start = next.end() + copied_bytes.len() as u64;
                    let before = copied_bytes.len();
                    let copied = [
                        (place.front(), place.front_checksum),
                        (place.text(), place.text_checksum),
                        (place.yaml(), place.yaml_checksum),
                    ]
                    .into_iter()
                    .all(|(range, checksum)| {
                        self.read(range, checksum, |old| copied_bytes.extend_from_slice(old))
                            .is_some()
                    });
                    if !copied {
                        copied_bytes.truncate(before);
                        continue;
                    }
                    Place { start, ..place }
                }
                Kept::Old(place) | Kept::Written(place) => place,
            };
            header.entries.push((path, stamp, place));
        }
        next.append(&[&copied_bytes])?;
        let header = rmp_serde::to_vec(&header).map_err(std::io::Error::other)?;
        let mut trailer = Vec::with_capacity(header.len() + TRAILER);
        trailer.extend_from_slice(&header);
        trailer.extend_from_slice(&next.end().to_le_bytes());
        trailer.extend_from_slice(&(header.len() as u64).to_le_bytes());
        let checksum = xxhash_rust::xxh3::xxh3_64(&trailer);
        trailer.extend_from_slice(&checksum.to_le_bytes());
        next.append(&[&trailer])?;
        Ok(())
    }
}

/// The cache file a load wrote, and where in it each newly parsed document is.
pub(super) struct Written {
    pub(super) file: Arc<CacheFile>,
    places: HashMap<PathBuf, Place>,
}

impl Written {
    /// Leave the words of the document parsed from `source` in the file, if it was written
    /// there.
    pub(super) fn take_text(&self, source: &Path, parsed: &mut Parsed) {
        if let Some(&place) = self.places.get(source) {
            attach_text(parsed, self.file.clone(), place, source);
        }
    }
}

/// Let the text and the front matter of `parsed` (parsed from `source`) be read from
/// `cache`, where `place` says they are.
fn attach_text(parsed: &mut Parsed, cache: Arc<CacheFile>, place: Place, source: &Path) {
    use super::text::{Origin, Part, Stored};
    if let Some((text, yaml, digest)) = parsed.kept_texts_mut() {
        let origin = Arc::new(Origin {
            cache,
            source: source.to_path_buf(),
            digest,
        });
        text.attach(Stored {
            part: Part::Body,
            start: place.text().start as u64,
            len: place.text().len(),
            checksum: place.text_checksum,
            origin: origin.clone(),
        });
        yaml.attach(Stored {
            part: Part::FrontMatter,
            start: place.yaml().start as u64,
            len: place.yaml().len(),
            checksum: place.yaml_checksum,
            origin,
        });
    }
}

/// The next cache file as it is written, and where it ends.
///
/// The loading threads write their documents side by side: each takes its room at the end
/// and writes there, holding no lock while the kernel copies the bytes. Behind one lock, at
/// 100,000 reports, the other thread waited out most of a gigabyte of copying.
struct NextFile {
    file: std::fs::File,
    end: std::sync::atomic::AtomicU64,
}

impl NextFile {
    fn new(file: std::fs::File, end: usize) -> NextFile {
        NextFile {
            file,
            end: std::sync::atomic::AtomicU64::new(end as u64),
        }
    }

    /// Write `parts` one after the other at the end; returns where the first begins. After
    /// an error their room holds whatever was written: no index entry points into it.
    fn append(&self, parts: &[&[u8]]) -> std::io::Result<u64> {
        let len = parts.iter().map(|p| p.len() as u64).sum();
        let start = self
            .end
            .fetch_add(len, std::sync::atomic::Ordering::Relaxed);
        let mut at = start;
        for part in parts {
            write_at(&self.file, part, at)?;
            at += part.len() as u64;
        }
        Ok(start)
    }

    /// Where the file ends, once every thread is done appending.
    fn end(&self) -> u64 {
        self.end.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Where each document sits in a cache `file` of this `identity` whose index is whole, and
/// where its documents end.
/// Fill `bytes` from `file` at `offset`, leaving the file's position alone, so that
/// threads may read one file at once.
#[cfg(unix)]
pub(super) fn read_at(file: &std::fs::File, bytes: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
}

#[cfg(windows)]
pub(super) fn read_at(
    file: &std::fs::File,
    mut bytes: &mut [u8],
    mut offset: u64,
) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !bytes.is_empty() {
        match file.seek_read(bytes, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                bytes = &mut bytes[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

/// Write all of `bytes` to `file` at `offset`, leaving the file's position alone (on Windows
/// it moves, but no one uses it), so that threads may write one file at once.
#[cfg(unix)]
fn write_at(file: &std::fs::File, bytes: &[u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

#[cfg(windows)]
fn write_at(file: &std::fs::File, mut bytes: &[u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !bytes.is_empty() {
        match file.seek_write(bytes, offset)? {
            0 => return Err(std::io::ErrorKind::WriteZero.into()),
            n => {
                bytes = &bytes[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(not(any(unix, windows)))]
fn write_at(_: &std::fs::File, _: &[u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Elsewhere the cache is not read: every source is parsed.
#[cfg(not(any(unix, windows)))]
pub(super) fn read_at(_: &std::fs::File, _: &mut [u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

fn read_index(file: &mut std::fs::File, identity: &str) -> Option<(Index, usize)> {
    use std::io::{Read, Seek, SeekFrom};
    let len = usize::try_from(file.metadata().ok()?.len()).ok()?;
    let mut magic = vec![0; MAGIC.len()];
    file.read_exact(&mut magic).ok()?;
    if magic != MAGIC || len < MAGIC.len() + TRAILER {
        return None;
    }
    let mut end = [0; TRAILER];
    file.seek(SeekFrom::Start((len - TRAILER) as u64)).ok()?;
    file.read_exact(&mut end).ok()?;
    let number = |b: &[u8]| usize::try_from(u64::from_le_bytes(b.try_into().ok()?)).ok();
    let header_start = number(&end[..8])?;
    let header_len = number(&end[8..16])?;
    if header_start < MAGIC.len() || header_start.checked_add(header_len)? != len - TRAILER {
        return None;
    }
    let mut trailer = vec![0; header_len + 16];
    file.seek(SeekFrom::Start(header_start as u64)).ok()?;
    file.read_exact(&mut trailer).ok()?;
    if xxhash_rust::xxh3::xxh3_64(&trailer).to_le_bytes() != end[16..] {
        return None;
    }
    let header: Header = rmp_serde::from_slice(&trailer[..header_len]).ok()?;
    if header.identity != identity {
        return None;
    }
    let index = header
        .entries
        .into_iter()
        .map(|(path, stamp, place)| {
            let inside = place.start >= MAGIC.len() as u64 && place.end()? <= header_start;
            inside.then_some((path, Entry { stamp, place }))
        })
        .collect::<Option<Index>>()?;
    Some((index, header_start))
}

/// Source path (as the walk found it, UTF-8 only: see `finish`) -> its document. Looked
/// up once per source, 100,000 times at 100,000 reports: hashed as text, which is a
/// tenth of what hashing a `Path` component by component costs.
type Index = rustc_hash::FxHashMap<String, Entry>;

fn shown_file(parsed: &Parsed) -> Option<&Path> {
    Some(match parsed {
        Parsed::Report(d) => &d.file,
        Parsed::Speaker(d) => &d.file,
        Parsed::Organization(d) => &d.file,
        Parsed::Page(d) => &d.file,
        Parsed::Site(d) => &d.file,
        Parsed::Translation(t) => &t.doc.file,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{Content, LoadCache, load_content_cached};
    use super::*;

    const IDENTITY: &str = "podium test";

    /// Every kind of document kept, with every shape of front matter the format allows.
    const FILES: &[(&str, &str)] = &[
        (
            "content/forums/2025/alpha.md",
            "---\ntitle: Alpha\ndate: 2025-03-01\ntheme: 5\nseries: Spring\ntopics: water\n\
             organizers: [Green Org]\npartners: Blue Org\n\
             speakers:\n  - Ann Lee\n  - name: Bob Ray\n    title: Director\n    organization: Green Org\n    role: moderator\n    privacy: initials\n\
             sessions:\n  - title: Morning\n    time: \"09:00\"\n    moderator: Ann Lee\n    speakers: [Bob Ray]\n\
             source: { publisher: Daily, url: \"https://example.org/a\", date: 2025-03-02 }\n\
             aliases: /old/alpha/\ndraft: false\n\
             extra: { count: 3, ratio: 0.5, nested: { list: [1, \"two\", null, true] } }\n---\n\
             Body with [a link](@/forums/2025/alpha.md) and ünïcödé.\n",
        ),
        (
            "content/speakers/ann-lee.md",
            "---\nname: Ann Lee\naliases: [Анн Ли]\nlinks:\n  - https://example.org/ann\n  - { label: Site, url: \"https://ann.example\" }\n---\nBio.\n",
        ),
        (
            "content/organizations/green-org.md",
            "---\nname: Green Org\nkind: ngo\nwebsite: https://green.example\n---\n",
        ),
        (
            "content/about.md",
            "---\ntitle: About\nsummary: 12\n---\nAbout us.\n",
        ),
    ];

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in FILES {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, text).unwrap();
            age(&full);
        }
        dir
    }

    /// Make a file look saved an hour ago, long enough to be kept.
    fn age(path: &Path) {
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(SystemTime::now() - Duration::from_secs(3600))
            .unwrap();
    }

    fn load(root: &Path, cache_file: &Path) -> (Content, super::super::LoadCounts) {
        let mut cache = LoadCache::on_disk(cache_file.to_path_buf(), IDENTITY);
        let (content, diags) = load_content_cached(root, &mut cache);
        assert!(!diags.has_errors(), "{diags:?}");
        (content, cache.counts)
    }

    fn same(a: &Content, b: &Content) -> bool {
        a.reports == b.reports
            && a.speakers == b.speakers
            && a.organizations == b.organizations
            && a.pages == b.pages
    }

    #[test]
    fn documents_come_back_from_the_cache_equal_to_parsing_them() {
        let dir = site();
        let cache_file = dir.path().join("documents");
        let (parsed, counts) = load(dir.path(), &cache_file);
        assert_eq!(counts.parsed, 4);
        assert_eq!(counts.reused, 0);
        assert!(cache_file.exists());
        let (cached, counts) = load(dir.path(), &cache_file);
        assert_eq!((counts.parsed, counts.reused), (0, 4));
        assert!(same(&parsed, &cached));
        assert_eq!(parsed.reports[0].front.speakers.0.len(), 2);
        assert_eq!(cached.reports[0].front.extra["nested"]["list"][1], "two");
    }

    #[test]
    fn texts_are_read_from_the_cache_once_it_is_written_not_kept_in_memory() {
        let dir = site();
        let cache_file = dir.path().join("documents");
        let mut cache = LoadCache::on_disk(cache_file.clone(), IDENTITY);
        let (fresh, _) = load_content_cached(dir.path(), &mut cache);
        let (again, _) = load(dir.path(), &cache_file);
        // The sources gone, the words come from the cache file: both as the first load
        // wrote it and as the second read it.
        std::fs::remove_dir_all(dir.path().join("content")).unwrap();
        for content in [&fresh, &again] {
            assert!(content.reports.iter().all(|d| !d.body.is_here()));
            assert!(content.reports[0].body.get().contains("ünïcödé"));
            assert_eq!(content.speakers[0].body.get(), "Bio.\n");
            assert_eq!(content.pages[0].body.get(), "About us.\n");
        }
        assert!(cache.lost_texts().is_none());
    }

    #[test]
    fn a_changed_file_is_parsed_again_even_with_its_old_size_and_time_restored() {
        let dir = site();
        let cache_file = dir.path().join("documents");
        load(dir.path(), &cache_file);
        let alpha = dir.path().join(FILES[0].0);
        let before = std::fs::metadata(&alpha).unwrap().modified().unwrap();
        // The same length, another title, and the modification time set back: only the
        // change time tells.
        std::fs::write(&alpha, FILES[0].1.replace("title: Alpha", "title: Omega")).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&alpha)
            .unwrap()
            .set_modified(before)
            .unwrap();
        let (content, counts) = load(dir.path(), &cache_file);
        assert_eq!((counts.parsed, counts.reused), (1, 3));
        assert_eq!(content.reports[0].front.title.as_deref(), Some("Omega"));
    }

    #[test]
    fn a_freshly_saved_file_is_not_kept() {
        let dir = site();
        let cache_file = dir.path().join("documents");
        std::fs::write(dir.path().join(FILES[3].0), FILES[3].1).unwrap();
        load(dir.path(), &cache_file);
        let (_, counts) = load(dir.path(), &cache_file);
        assert_eq!((counts.parsed, counts.reused), (1, 3));
    }

    #[test]
    fn a_damaged_or_foreign_cache_is_ignored_whole() {
        let dir = site();
        let cache_file = dir.path().join("documents");
        let (parsed, _) = load(dir.path(), &cache_file);
        let good = std::fs::read(&cache_file).unwrap();
        // A changed bit in the index, or in its place at the end.
        let mut in_index = good.clone();
        in_index[good.len() - TRAILER - 5] ^= 0x20;
        let mut at_end = good.clone();
        at_end[good.len() - 12] ^= 0x01;
        let damages = [
            good[..good.len() / 2].to_vec(),
            good[..good.len() - 1].to_vec(),
            in_index,
            at_end,
            b"podium-documents 4\ngarbage".to_vec(),
            Vec::new(),
        ];
        for (i, damage) in damages.into_iter().enumerate() {
            std::fs::write(&cache_file, damage).unwrap();
            let (content, counts) = load(dir.path(), &cache_file);
            assert_eq!((counts.parsed, counts.reused), (4, 0), "damage {i}");
            assert!(same(&parsed, &content), "damage {i}");
            // Written whole again.
            assert_eq!(load(dir.path(), &cache_file).1.reused, 4, "damage {i}");
        }
        // Another Podium's cache is not trusted.
        let mut other = LoadCache::on_disk(cache_file.clone(), "another podium");
        load_content_cached(dir.path(), &mut other);
        assert_eq!(other.counts.reused, 0);
    }

    #[test]
    fn a_damaged_document_is_parsed_from_its_source_and_the_others_are_kept() {
        let dir = site();
        let cache_file = dir.path().join("documents");
        let (parsed, _) = load(dir.path(), &cache_file);
        let mut bytes = std::fs::read(&cache_file).unwrap();
        // A bit of the first document, which is the first report's.
        bytes[MAGIC.len() + 40] ^= 0x04;
        std::fs::write(&cache_file, bytes).unwrap();
        let (content, counts) = load(dir.path(), &cache_file);
        assert_eq!((counts.parsed, counts.reused), (1, 3));
        assert!(same(&parsed, &content));
        // Kept again, whole.
        assert_eq!(load(dir.path(), &cache_file).1.reused, 4);
    }

    #[test]
    fn a_text_damaged_in_the_cache_is_read_from_its_source() {
        let dir = site();
        let cache_file = dir.path().join("documents");
        let (parsed, _) = load(dir.path(), &cache_file);
        let mut bytes = std::fs::read(&cache_file).unwrap();
        // The first report's words, after its front matter: only read when asked for.
        let at = bytes
            .windows(4)
            .position(|w| w == b"\xc3\xbcn\xc3")
            .expect("the report's words are stored as they are");
        bytes[at + 1] ^= 0x01;
        std::fs::write(&cache_file, bytes).unwrap();
        let mut cache = LoadCache::on_disk(cache_file.clone(), IDENTITY);
        let (content, _) = load_content_cached(dir.path(), &mut cache);
        assert_eq!(cache.counts.reused, 4);
        assert!(!content.reports[0].body.is_here());
        assert!(same(&parsed, &content));
        assert!(cache.lost_texts().is_none());
        // And with the source changed since, the build is told it cannot have it.
        std::fs::write(dir.path().join(FILES[0].0), "---\ntitle: Changed\n---\n").unwrap();
        assert_eq!(content.reports[0].body.get(), "");
        let lost = cache.lost_texts().expect("a lost text is an error");
        assert!(lost.message.contains("alpha.md"), "{}", lost.message);
    }

    #[test]
    fn a_changed_document_is_appended_and_the_file_written_anew_once_mostly_unused() {
        let dir = site();
        let cache_file = dir.path().join("documents");
        load(dir.path(), &cache_file);
        let size = |p: &Path| std::fs::metadata(p).unwrap().len();
        let first = size(&cache_file);
        let about = dir.path().join(FILES[3].0);
        let mut sizes = vec![first];
        for round in 0..30 {
            std::fs::write(&about, format!("{}Round {round}.\n", FILES[3].1)).unwrap();
            age(&about);
            let (content, counts) = load(dir.path(), &cache_file);
            assert_eq!((counts.parsed, counts.reused), (1, 3), "round {round}");
            assert!(
                content.pages[0]
                    .body
                    .get()
                    .ends_with(&format!("Round {round}.\n"))
            );
            let (again, counts) = load(dir.path(), &cache_file);
            assert_eq!((counts.parsed, counts.reused), (0, 4), "round {round}");
            assert!(same(&content, &again), "round {round}");
            sizes.push(size(&cache_file));
        }
        // Appends make the file grow by about one small document; once the old versions
        // outweigh the live documents, it is written anew and shrinks.
        assert!(sizes[1] > first && sizes[1] - first < 400, "{sizes:?}");
        assert!(sizes.windows(2).any(|w| w[1] < w[0]), "{sizes:?}");
        assert!(*sizes.iter().max().unwrap() < 3 * first, "{sizes:?}");
    }
}
