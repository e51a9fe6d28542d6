//! The Markdown text of a document, and its front matter's YAML, which a rebuild leaves in
//! the document cache until something needs them.
//!
//! The reports' texts are most of a site's bytes (880 MB at 100,000 reports), and a rebuild
//! after one edit renders the pages of one report. Decoding every text from the cache, only
//! to scan it for the few things other pages depend on, was a third of such a rebuild (and
//! most of its memory). So a text carries those things with it, found once when its file is
//! parsed ([`Facts`]: whether it is blank, links inside the site, its attributed quotes,
//! the pictures it names), and the cache stores them with the front matter and the text
//! itself beside them (`Stored`). A text taken from the cache is read from there when
//! something asks for the words ([`Text::get`]): the renderer, a warning that points into
//! them, the privacy matcher on a site with protected people.
//!
//! The front matter's YAML, once parsed into its fields, is wanted only to point a message
//! at the line of a key or value, so it is kept the same way ([`FrontText`]), with its
//! digest: at 100,000 reports, decoding 120 MB of it from the cache cost a tenth of an
//! edit's rebuild and as much of its memory.
//!
//! Reading it back is checked like every cached document: a text whose bytes no longer match
//! their checksum is read from its source file instead, if that file still hashes as it did
//! when it was parsed. If neither can be read, the build stops with an error (see
//! `CacheFile::lost`) and the previous output stays: a page is never written with a missing
//! text.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// A document's Markdown text, in memory or in the document cache.
#[derive(Clone)]
pub struct Text {
    source: Source,
    facts: Facts,
}

#[derive(Clone)]
enum Source {
    Here(String),
    Stored(Arc<Stored>),
    /// Just decoded from the cache, before the cache says where its words are.
    Unattached,
}

impl Source {
    fn get(&self) -> Cow<'_, str> {
        match self {
            Source::Here(text) => Cow::Borrowed(text),
            Source::Stored(stored) => Cow::Owned(stored.read()),
            // The cache attaches every text it decodes before handing the document on.
            Source::Unattached => {
                debug_assert!(false, "a text decoded from the cache was not attached");
                Cow::Borrowed("")
            }
        }
    }

    fn here(&self) -> Option<&str> {
        match self {
            Source::Here(text) => Some(text),
            _ => None,
        }
    }

    fn describe(&self, kind: &str, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Here(text) => f.debug_tuple(kind).field(text).finish(),
            Source::Stored(s) => write!(f, "{kind}(stored, {} bytes at {})", s.len, s.start),
            Source::Unattached => write!(f, "{kind}(unattached)"),
        }
    }
}

/// Which part of its source file a stored text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// The Markdown after the front matter.
    Body,
    /// The front matter's YAML, between the `---` lines.
    FrontMatter,
}

/// Where a text's words are in the document cache, and how to read them again from the
/// source file if the cache lets them down.
pub(crate) struct Stored {
    pub(crate) part: Part,
    pub(crate) start: u64,
    pub(crate) len: usize,
    pub(crate) checksum: u64,
    /// The cache and the source, shared by the document's text and front matter.
    pub(crate) origin: Arc<Origin>,
}

/// The document cache file a document's texts are in, and the source they were parsed from.
pub(crate) struct Origin {
    pub(crate) cache: Arc<CacheFile>,
    /// The source file as the walk found it, and the digest of its whole text when it was
    /// parsed (`Document::digest`).
    pub(crate) source: PathBuf,
    pub(crate) digest: u64,
}

/// The document cache file a build read, open for as long as a text may be read from it. A
/// build that writes the cache anew renames a new file over it; this one stays readable.
#[derive(Debug)]
pub(crate) struct CacheFile {
    pub(crate) file: std::fs::File,
    /// The sources whose texts could be read neither from here nor from themselves.
    pub(crate) lost: Mutex<Vec<PathBuf>>,
}

impl CacheFile {
    pub(crate) fn new(file: std::fs::File) -> CacheFile {
        CacheFile {
            file,
            lost: Mutex::new(Vec::new()),
        }
    }

    /// An error naming the texts that could not be read back, if any (see the module's
    /// comment). A build calls it before it writes: its pages would lack them.
    pub(crate) fn lost(&self) -> Option<crate::diagnostic::Diagnostic> {
        let lost = std::mem::take(&mut *self.lost.lock().unwrap_or_else(|p| p.into_inner()));
        let first = lost.first()?;
        Some(
            crate::diagnostic::Diagnostic::error(format!(
                "the text of {} ({} file(s) in all) changed while the build ran and could not be read as it was parsed",
                first.display(),
                lost.len()
            ))
            .at(crate::diagnostic::Span::file_start(first))
            .with_help("build again; the previous output was left as it was"),
        )
    }
}

/// What the rest of the site needs to know of a text without reading it. Each is what a
/// scan of the whole text found when its file was parsed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Facts {
    /// The text is empty or only white space.
    pub blank: bool,
    /// A link that may lead inside the site (`](x)` or `]: x` without a scheme), whose
    /// target's address the page then shows.
    pub internal_links: bool,
    /// The block quotes whose last line names who said it (`> — Name`): the attributed
    /// quotes of `crate::connections::quotes`, before the names are resolved.
    pub quotes: Vec<crate::connections::quotes::Block>,
    /// Every image (`true`) and link (`false`) URL that may name a raster image file.
    pub images: Vec<(String, bool)>,
}

impl Facts {
    fn of(text: &str) -> Facts {
        Facts {
            blank: text.trim().is_empty(),
            internal_links: crate::render::fingerprint::has_internal_links(text),
            quotes: crate::connections::quotes::blocks_in(text),
            images: crate::render::markdown::image_references_in(text),
        }
    }
}

impl Text {
    pub fn new(text: String) -> Text {
        Text {
            facts: Facts::of(&text),
            source: Source::Here(text),
        }
    }

    /// What scans of the text found.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// Empty or only white space.
    pub fn is_blank(&self) -> bool {
        self.facts.blank
    }

    /// The words, read from the document cache if that is where they are (each time: a text
    /// is needed once or twice per build, and keeping them all would keep the gigabyte).
    pub fn get(&self) -> Cow<'_, str> {
        self.source.get()
    }

    /// Whether the words are in memory (not in the document cache).
    pub fn is_here(&self) -> bool {
        matches!(self.source, Source::Here(_))
    }

    /// The words in memory, if they are there.
    pub(crate) fn here(&self) -> Option<&str> {
        self.source.here()
    }

    /// The text whose words are `stored` in the cache.
    pub(crate) fn attach(&mut self, stored: Stored) {
        debug_assert_eq!(stored.part, Part::Body);
        self.source = Source::Stored(Arc::new(stored));
    }

    /// These facts with `other`'s words (a document decoded back from its bytes, to be
    /// compared whole with the one it was encoded from).
    pub(crate) fn with_words_of(mut self, other: &Text) -> Text {
        self.source = other.source.clone();
        self
    }
}

/// No words, and so blank: what `Text::new` finds in `""`, without scanning it (every
/// report's model starts from one).
impl Default for Text {
    fn default() -> Text {
        Text {
            source: Source::Here(String::new()),
            facts: Facts {
                blank: true,
                ..Facts::default()
            },
        }
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::new(text.to_string())
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.facts == other.facts && self.get() == other.get()
    }
}

impl Eq for Text {}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.source.describe("Text", f)
    }
}

/// Only the facts: the document cache writes the words beside them, where decoding the
/// document does not read them.
impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.facts.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        Ok(Text {
            facts: Facts::deserialize(deserializer)?,
            source: Source::Unattached,
        })
    }
}

/// A document's front matter as written (its YAML), in memory or in the document cache,
/// with its digest. Parsed into the document's fields when its file was read; what is kept
/// here serves the messages that point at a key's or value's line.
#[derive(Clone)]
pub struct FrontText {
    source: Source,
    digest: u64,
}

impl FrontText {
    pub fn new(yaml: String) -> FrontText {
        FrontText {
            digest: super::digest(&yaml),
            source: Source::Here(yaml),
        }
    }

    /// The YAML, read from the document cache if that is where it is (each time: it is
    /// wanted only for messages).
    pub fn get(&self) -> Cow<'_, str> {
        self.source.get()
    }

    /// `crate::load::digest` of the YAML, known without reading it.
    pub fn digest(&self) -> u64 {
        self.digest
    }

    /// The YAML in memory, if it is there.
    pub(crate) fn here(&self) -> Option<&str> {
        self.source.here()
    }

    /// The front matter whose YAML is `stored` in the cache.
    pub(crate) fn attach(&mut self, stored: Stored) {
        debug_assert_eq!(stored.part, Part::FrontMatter);
        self.source = Source::Stored(Arc::new(stored));
    }

    /// This digest with `other`'s YAML (see `Text::with_words_of`).
    pub(crate) fn with_words_of(mut self, other: &FrontText) -> FrontText {
        self.source = other.source.clone();
        self
    }
}

impl PartialEq for FrontText {
    fn eq(&self, other: &FrontText) -> bool {
        self.digest == other.digest && self.get() == other.get()
    }
}

impl Eq for FrontText {}

impl std::fmt::Debug for FrontText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.source.describe("FrontText", f)
    }
}

/// Only the digest: the document cache writes the YAML beside the document.
impl Serialize for FrontText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.digest.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for FrontText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<FrontText, D::Error> {
        Ok(FrontText {
            digest: u64::deserialize(deserializer)?,
            source: Source::Unattached,
        })
    }
}

impl Stored {
    /// The words from the cache, or else from the source file as it was parsed.
    fn read(&self) -> String {
        let mut bytes = vec![0; self.len];
        let from_cache = super::cache::read_at(&self.origin.cache.file, &mut bytes, self.start)
            .is_ok()
            && xxhash_rust::xxh3::xxh3_64(&bytes) == self.checksum;
        if from_cache && let Ok(text) = String::from_utf8(bytes) {
            return text;
        }
        match self.read_source_again() {
            Some(text) => text,
            None => {
                self.origin
                    .cache
                    .lost
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(self.origin.source.clone());
                String::new()
            }
        }
    }

    /// This part of the source file, if the file is still the one the document was parsed
    /// from.
    fn read_source_again(&self) -> Option<String> {
        let Origin { source, digest, .. } = &*self.origin;
        let text = super::read_source(source, source).ok()?;
        if super::digest(&text) != *digest {
            return None;
        }
        let split = super::front_matter::split(&text).ok()?;
        Some(
            match self.part {
                Part::Body => split.body,
                Part::FrontMatter => split.yaml,
            }
            .to_string(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_empty_text_has_the_facts_a_scan_of_nothing_finds() {
        assert_eq!(Text::default(), Text::new(String::new()));
        assert_eq!(Text::default().facts(), Text::new(String::new()).facts());
    }

    #[test]
    fn facts_are_what_a_scan_of_the_words_finds() {
        let t =
            Text::from("See [the hall](hall.jpg) and [us](../about/).\n\n> Words.\n> — Ann Lee\n");
        assert!(!t.is_blank());
        assert!(t.facts().internal_links);
        assert_eq!(t.facts().quotes[0].name_text, "Ann Lee");
        // Once a body names a picture, its every link is a candidate.
        let urls = |v: &[(String, bool)]| v.iter().map(|(u, _)| u.clone()).collect::<Vec<_>>();
        assert_eq!(urls(&t.facts().images), ["hall.jpg", "../about/"]);
        assert!(Text::from("[us](../about/)").facts().images.is_empty());
        let plain = Text::from(" \n\n");
        assert!(plain.is_blank());
        assert!(!plain.facts().internal_links && plain.facts().quotes.is_empty());
        let external = Text::from("[x](https://example.org/a.png)");
        assert!(!external.facts().internal_links);
    }

    #[test]
    fn front_matter_encodes_its_digest_and_is_read_from_the_cache_or_its_source() {
        let yaml = "title: Alpha\nspeakers: [Ann Lee]\n";
        let parsed = FrontText::new(yaml.to_string());
        assert_eq!(parsed.digest(), super::super::digest(yaml));
        let bytes = rmp_serde::to_vec(&parsed).unwrap();
        assert!(!bytes.windows(5).any(|w| w == b"Alpha"));
        let back: FrontText = rmp_serde::from_slice(&bytes).unwrap();
        assert_eq!(back.digest(), parsed.digest());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache");
        std::fs::write(&path, format!("xx{yaml}yy")).unwrap();
        let source = dir.path().join("alpha.md");
        let file = format!("---\n{yaml}---\nBody.\n");
        std::fs::write(&source, &file).unwrap();
        let cache = Arc::new(CacheFile::new(std::fs::File::open(&path).unwrap()));
        let stored = |checksum, digest| Stored {
            part: Part::FrontMatter,
            start: 2,
            len: yaml.len(),
            checksum,
            origin: Arc::new(Origin {
                cache: cache.clone(),
                source: source.clone(),
                digest,
            }),
        };
        let mut kept = back.clone();
        kept.attach(stored(xxhash_rust::xxh3::xxh3_64(yaml.as_bytes()), 0));
        assert_eq!(kept.get(), yaml);
        assert_eq!(kept, parsed);
        // Damaged in the cache: the front matter of the source, which still is as parsed.
        let mut damaged = back.clone();
        damaged.attach(stored(1, super::super::digest(&file)));
        assert_eq!(damaged.get(), yaml);
        assert!(cache.lost().is_none());
        // Damaged, and the source changed since: lost, and said so.
        let mut lost = back;
        lost.attach(stored(1, 0));
        assert_eq!(lost.get(), "");
        assert!(cache.lost().unwrap().message.contains("alpha.md"));
    }

    #[test]
    fn only_the_facts_are_encoded_and_the_words_come_from_where_the_cache_says() {
        let words = "See [us](../about/).\n";
        let bytes = rmp_serde::to_vec(&Text::from(words)).unwrap();
        assert!(!bytes.windows(3).any(|w| w == b"See"));
        let back: Text = rmp_serde::from_slice(&bytes).unwrap();
        assert_eq!(back.facts(), Text::from(words).facts());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache");
        std::fs::write(&path, format!("xx{words}yy")).unwrap();
        let cache = Arc::new(CacheFile::new(std::fs::File::open(&path).unwrap()));
        let stored = |checksum| Stored {
            part: Part::Body,
            start: 2,
            len: words.len(),
            checksum,
            origin: Arc::new(Origin {
                cache: cache.clone(),
                source: dir.path().join("missing.md"),
                digest: 0,
            }),
        };
        let mut text = back.clone();
        text.attach(stored(xxhash_rust::xxh3::xxh3_64(words.as_bytes())));
        assert_eq!(text.get(), words);
        assert!(cache.lost().is_none());
        // Damaged, and its source gone: lost, and said so.
        let mut damaged = back;
        damaged.attach(stored(1));
        assert_eq!(damaged.get(), "");
        let error = cache.lost().unwrap();
        assert!(error.message.contains("missing.md"), "{}", error.message);
        assert!(cache.lost().is_none());
    }
}
