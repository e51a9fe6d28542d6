//! Building the index: every speaker, organization and forum becomes a document; every word
//! of its names, details and (for forums) rendered report text is filed under its folded key
//! (`fold::fold`), in shards by the key's first two letters so that a reader's browser
//! fetches only the shard of the word being typed.
//!
//! The files, all under `search/` (see docs/search.md for their format):
//! `index.json` (what the other files are: document ranges, shard list, facet names),
//! `facets.json` (each forum's year, city and topics, for the filters' counts),
//! `terms/<key>.json` (folded key -> spellings -> postings) and `docs/<n>.json` (title, URL
//! and snippet of 4 documents each, fetched for the results shown).

use super::fold;
use crate::model::*;
use crate::render::routes::Route;
use crate::render::views::{date_range, kind_key};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Where in a document a word was found, best first (the ranking's first rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// Its name, an alias or a translated name.
    Name = 0,
    /// Forums: city, country, venue, series, topics, theme; people: titles held;
    /// organizations: kind and parent.
    Details = 1,
    /// The names a forum's summary and report text mention (capitalised words).
    Body = 2,
}

/// Documents per `docs/<n>.json` file.
pub const DOCS_PER_FILE: usize = 4;

/// A word of a report's text is left out of the index when more forums than this use it
/// (it names nothing; its postings would be most of a shard). Names and details are always
/// indexed.
pub fn body_word_limit(forums: usize) -> usize {
    (forums / 50).max(25)
}

/// The shard a folded key is filed in: its first two letters.
pub fn shard_key(key: &str) -> &str {
    match key.char_indices().nth(2) {
        Some((i, _)) => &key[..i],
        None => key,
    }
}

/// A shard's file name: the key itself when it is plain ASCII letters and digits, else `u`
/// and its UTF-8 bytes in hex (Greek, Georgian, ... keys stay safe in any file system).
pub fn shard_file(key: &str) -> String {
    if key
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        key.to_string()
    } else {
        let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
        format!("u{hex}")
    }
}

/// Whether a person enters the search index. People hidden by `privacy: unlisted` are not
/// in the model at all; people shown as initials are in it but not listed anywhere a reader
/// could find them by looking (docs/privacy.md), so not here either. Report text comes from
/// the rendered pages, where protected names are already replaced.
pub fn indexed_speaker(speaker: &Speaker) -> bool {
    speaker.listed
}

/// The kinds of document, in the order their ids run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Speaker,
    Organization,
    Forum,
}

/// One document before it is filed.
pub(super) struct Doc<'a> {
    title: &'a str,
    path: String,
    snippet: String,
    pub(super) fields: Vec<(Field, &'a str)>,
    /// For forums: its place in `model.forums`, to find its report text.
    forum: Option<ForumId>,
}

/// The words of each report as rendered, by the fingerprint of its page (which changes
/// whenever anything that page shows does). The render stage notes them while it renders a
/// report's page (`note`), so the index need not render the report again; a report whose
/// page was kept from an earlier build finds its words here under the same fingerprint
/// (kept in memory by `serve`, on disk beside the output by `build`), and one that does not
/// is rendered for the index.
///
/// On disk they are a whole file and a file of the changes since (see
/// `write::state_file`): an edit's rebuild changes one report's words, a line or two, where
/// the whole file is 37 MB at 100,000 reports.
#[derive(Debug, Default)]
pub struct Texts {
    /// Page fingerprint -> the report's distinct words, separated by spaces.
    words: Words,
    /// The id of the whole file the words were read from or last saved as (0: none).
    id: u64,
    /// Fingerprints whose words differ from that whole file's: kept (`true`) or forgotten.
    changed: HashMap<u64, bool>,
    /// Whether the words differ from those loaded (then `save` writes them).
    unsaved: bool,
    /// The words of the pages that `complete` last found gone, while they are few: what the
    /// index holds of them, for patching it (`super::patch`).
    forgotten: HashMap<u64, Box<str>>,
    /// What the index in the output was made from (see `super::patch`), and whether that
    /// differs from what was loaded.
    pub(super) made: Option<super::patch::Made>,
    made_unsaved: bool,
    /// Each forum's page fingerprint, as `complete` last found them.
    pages: Vec<u64>,
}

/// `Texts::complete` keeps the words of up to this many pages found gone.
const FORGOTTEN_KEPT: usize = 4096;

/// Page fingerprint -> words: those read from the whole file are kept where they are in
/// its text (one allocation of 37 MB at 100,000 reports, rather than a copy of each line,
/// 100,000 allocations that an edit's rebuild spent a tenth of a second of CPU making),
/// those noted since in strings of their own.
#[derive(Debug, Default)]
struct Words {
    file: Box<str>,
    in_file: HashMap<u64, std::ops::Range<usize>>,
    own: HashMap<u64, Box<str>>,
}

impl Words {
    fn get(&self, fingerprint: &u64) -> Option<&str> {
        match self.own.get(fingerprint) {
            Some(words) => Some(words),
            None => self.in_file.get(fingerprint).map(|r| &self.file[r.clone()]),
        }
    }

    fn contains_key(&self, fingerprint: &u64) -> bool {
        self.own.contains_key(fingerprint) || self.in_file.contains_key(fingerprint)
    }

    fn insert(&mut self, fingerprint: u64, words: Box<str>) {
        self.in_file.remove(&fingerprint);
        self.own.insert(fingerprint, words);
    }

    /// Whether there were words to forget.
    fn remove(&mut self, fingerprint: &u64) -> bool {
        let own = self.own.remove(fingerprint).is_some();
        self.in_file.remove(fingerprint).is_some() || own
    }

    fn len(&self) -> usize {
        self.own.len() + self.in_file.len()
    }

    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn keys(&self) -> impl Iterator<Item = &u64> {
        self.own.keys().chain(self.in_file.keys())
    }

    fn iter(&self) -> impl Iterator<Item = (u64, &str)> {
        let own = self.own.iter().map(|(fp, w)| (*fp, &**w));
        own.chain(
            self.in_file
                .iter()
                .map(|(fp, r)| (*fp, &self.file[r.clone()])),
        )
    }

    /// Every report's words, on every core.
    fn par_iter(&self) -> impl ParallelIterator<Item = &str> {
        let own = self.own.par_iter().map(|(_, w)| &**w);
        own.chain(self.in_file.par_iter().map(|(_, r)| &self.file[r.clone()]))
    }
}

/// Two sets of words are equal when they hold the same words under the same fingerprints,
/// wherever they are kept.
impl PartialEq for Words {
    fn eq(&self, other: &Words) -> bool {
        self.len() == other.len() && self.iter().all(|(fp, w)| other.get(&fp) == Some(w))
    }
}

/// The first line of the words' whole file and of its changes, with their format's version.
const TEXTS_HEADER: &str = "podium search words 2";
const CHANGES_HEADER: &str = "podium search words changed 1";

impl Texts {
    /// Keep the words of a report whose page has this fingerprint, as `body_words` took
    /// them from its HTML.
    pub fn note(&mut self, fingerprint: u64, words: Box<str>) {
        if self.words.get(&fingerprint) != Some(&*words) {
            self.words.insert(fingerprint, words);
            self.changed.insert(fingerprint, true);
            self.unsaved = true;
        }
    }

    /// Forget the words of a page that is no longer made.
    fn forget(&mut self, fingerprint: u64) {
        if self.words.remove(&fingerprint) {
            self.changed.insert(fingerprint, false);
            self.unsaved = true;
        }
    }

    /// Make sure every report's words are known: those noted while its page was rendered,
    /// or kept from an earlier build under the same fingerprint, or else taken from the
    /// report rendered now. Words of pages that no longer exist are forgotten. Returns each
    /// forum's page fingerprint, by forum id.
    pub fn complete(&mut self, model: &Model, pages: &ReportPages) -> Vec<u64> {
        let fingerprints: Vec<u64> = model
            .forums
            .par_iter()
            .map(|f| (pages.fingerprint)(f))
            .collect();
        let missing: Vec<(u64, Box<str>)> = model
            .forums
            .par_iter()
            .zip(&fingerprints)
            .filter(|(_, fp)| !self.words.contains_key(fp))
            .map(|(f, &fp)| (fp, body_words(&(pages.body)(f))))
            .collect();
        for (fp, words) in missing {
            self.note(fp, words);
        }
        if self.words.len() != fingerprints.len() {
            let current: HashSet<u64> = fingerprints.iter().copied().collect();
            let gone: Vec<u64> = self
                .words
                .keys()
                .filter(|fp| !current.contains(fp))
                .copied()
                .collect();
            self.forgotten.clear();
            if gone.len() <= FORGOTTEN_KEPT {
                for fp in &gone {
                    let words = self.words.get(fp).map(Box::from);
                    self.forgotten.extend(words.map(|w| (*fp, w)));
                }
            }
            gone.into_iter().for_each(|fp| self.forget(fp));
        }
        self.pages.clone_from(&fingerprints);
        fingerprints
    }

    /// The index made with `fingerprint` is kept as the output holds it: the pages whose
    /// words `complete` last found are the ones it holds (their words are the same, or the
    /// index would have another fingerprint), so a later patch compares with those.
    pub fn index_kept(&mut self, fingerprint: u64) {
        if let Some(made) = &mut self.made
            && made.stamp.fingerprint == fingerprint
            && made.pages != self.pages
        {
            made.pages.clone_from(&self.pages);
            self.made_unsaved = true;
        }
    }

    /// The words of the page with this fingerprint, if known or lately forgotten.
    pub(super) fn words_of(&self, fingerprint: u64) -> Option<&str> {
        let forgotten = || self.forgotten.get(&fingerprint).map(|w| &**w);
        self.words.get(&fingerprint).or_else(forgotten)
    }

    /// Record what the index was made from, for the next build.
    pub(super) fn set_made(&mut self, made: super::patch::Made) {
        if self.made.as_ref() != Some(&made) {
            self.made = Some(made);
            self.made_unsaved = true;
        }
    }

    /// A digest of the words of every forum, in forum order (`fingerprints` from
    /// `complete`): what the search index holds of the reports' texts.
    pub fn digest(&self, fingerprints: &[u64]) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = xxhash_rust::xxh3::Xxh3Default::new();
        for fp in fingerprints {
            self.words.get(fp).hash(&mut h);
        }
        h.finish()
    }

    /// The words kept at `path` (and its changes at `<path>.changes`) by `save`; none when
    /// either is missing, damaged or of another version (they are then made again).
    pub fn load(path: &std::path::Path) -> Texts {
        // What a build killed while saving them left (one build at a time holds the lock).
        for temporary in [
            path.with_extension("tmp"),
            changes_path(path).with_extension("changes.tmp"),
            made_path(path).with_extension("tmp"),
        ] {
            let _ = std::fs::remove_file(temporary);
        }
        let mut texts = Texts::read(path).unwrap_or_default();
        texts.made = super::patch::Made::load(&made_path(path));
        texts
    }

    fn read(path: &std::path::Path) -> Option<Texts> {
        use crate::write::state_file::{checked_body, id_after};
        let whole = std::fs::read_to_string(path).ok()?;
        let (first, lines, count) = checked_body(&whole)?;
        let id = id_after(first, TEXTS_HEADER)?;
        let mut in_file = HashMap::with_capacity(count);
        for line in lines.lines() {
            let (fp, text) = line.split_once('\t')?;
            // Where the text is in `whole`, of which `lines` is a slice.
            let start = (text.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
            let range = start..start + text.len();
            whole.get(range.clone())?;
            in_file.insert(u64::from_str_radix(fp, 16).ok()?, range);
        }
        if in_file.len() != count {
            return None;
        }
        let mut words = Words {
            file: whole.into_boxed_str(),
            in_file,
            own: HashMap::new(),
        };
        let changes = std::fs::read_to_string(changes_path(path)).ok()?;
        let (first, lines, count) = checked_body(&changes)?;
        if id_after(first, CHANGES_HEADER)? != id || lines.lines().count() != count {
            return None;
        }
        let mut changed = HashMap::with_capacity(count);
        for line in lines.lines() {
            match line.split_once('\t') {
                Some((fp, text)) => {
                    let fp = u64::from_str_radix(fp, 16).ok()?;
                    words.insert(fp, Box::from(text));
                    changed.insert(fp, true);
                }
                None => {
                    let fp = u64::from_str_radix(line.strip_prefix('x')?, 16).ok()?;
                    words.remove(&fp);
                    changed.insert(fp, false);
                }
            }
        }
        Some(Texts {
            words,
            id,
            changed,
            ..Texts::default()
        })
    }

    /// Write the words beside the output: only what changed since the whole file was
    /// written, while that is little, or else the whole file again (with no changes). A
    /// cache: when it cannot be written the next build renders the reports again.
    pub fn save(&mut self, path: &std::path::Path) {
        use crate::write::state_file::{closed, few_changes, new_id, write_whole};
        use std::fmt::Write;
        self.forgotten = HashMap::new();
        if let Some(made) = self.made.as_ref().filter(|_| self.made_unsaved) {
            made.save(&made_path(path));
            self.made_unsaved = false;
        }
        if !self.unsaved && self.id != 0 {
            return;
        }
        if self.id == 0 || !few_changes(self.changed.len(), self.words.len()) {
            let id = new_id();
            let mut out = format!("{TEXTS_HEADER} {id:016x}\n");
            let mut entries: Vec<(u64, &str)> = self.words.iter().collect();
            entries.sort_unstable_by_key(|(fp, _)| *fp);
            for (fp, words) in entries {
                let _ = writeln!(out, "{fp:016x}\t{words}");
            }
            if write_whole(path, closed(out, self.words.len())).is_err() {
                return;
            }
            self.id = id;
            self.changed.clear();
        }
        let mut out = format!("{CHANGES_HEADER} {:016x}\n", self.id);
        let mut changed: Vec<(&u64, &bool)> = self.changed.iter().collect();
        changed.sort_unstable();
        for (fp, kept) in changed {
            match self.words.get(fp).filter(|_| *kept) {
                Some(words) => writeln!(out, "{fp:016x}\t{words}"),
                None => writeln!(out, "x{fp:016x}"),
            }
            .unwrap_or_default();
        }
        if write_whole(&changes_path(path), closed(out, self.changed.len())).is_ok() {
            self.unsaved = false;
        }
    }
}

/// Where what the search index was made from is kept, beside the words' file at `path`.
fn made_path(path: &std::path::Path) -> std::path::PathBuf {
    path.with_file_name("search-index-made")
}

/// Where the changes to the words' whole file at `path` are kept.
fn changes_path(path: &std::path::Path) -> std::path::PathBuf {
    let mut changes = path.as_os_str().to_owned();
    changes.push(".changes");
    changes.into()
}

pub(super) fn starts_with_capital(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// What the index needs of the render stage about each report's page: its fingerprint, and
/// the report rendered as on the page (HTML), for a report whose words are not known yet.
pub struct ReportPages<'a> {
    pub fingerprint: &'a (dyn Fn(&Forum) -> u64 + Sync),
    pub body: &'a (dyn Fn(&Forum) -> String + Sync),
}

/// The distinct names an HTML fragment's text mentions (words that start with a capital
/// letter), separated by spaces. Tags and character references are separators (Podium's
/// Markdown writes only `&amp;`, `&lt;`, `&gt;` and `&quot;`).
pub fn body_words(html: &str) -> Box<str> {
    let mut seen: HashSet<&str, Hasher> = HashSet::with_hasher(Hasher::default());
    let mut words = String::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'<' || b == b'&' {
            let close = if b == b'<' { b'>' } else { b';' };
            i = bytes[i..]
                .iter()
                .position(|&c| c == close)
                .map_or(bytes.len(), |p| i + p + 1);
            continue;
        }
        if !WORD_BYTE[b as usize] {
            i += 1;
            continue;
        }
        // A word runs to the next byte that is neither a letter, a digit nor part of a
        // character beyond ASCII (`<` and `&` end it too).
        let start = i;
        while i < bytes.len() && WORD_BYTE[bytes[i] as usize] {
            i += 1;
        }
        // Only names: words that start with a capital (a person, a place, an organization
        // the report mentions). Checked before anything is hashed: most words of a report
        // are not names, and this runs over every report.
        if b.is_ascii_lowercase() || b.is_ascii_digit() {
            continue;
        }
        let text = &html[start..i];
        // Plain ASCII words are whole; others are cut by the Unicode rule.
        if text.is_ascii() {
            if seen.insert(text) {
                words.push_str(text);
                words.push(' ');
            }
        } else {
            for w in fold::words(text).filter(|w| starts_with_capital(w)) {
                if seen.insert(w) {
                    words.push_str(w);
                    words.push(' ');
                }
            }
        }
    }
    words.pop();
    words.into()
}

/// The bytes a word of a report's text is made of: ASCII letters and digits, and every
/// byte of a character beyond ASCII.
const WORD_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = byte.is_ascii_alphanumeric() || byte >= 0x80;
        b += 1;
    }
    table
};

/// The hasher of the index's in-memory maps of words: short keys, millions of them at
/// 100,000 reports, never kept or compared across runs (xxh3's streaming state cost four
/// times as much per word).
type Hasher = rustc_hash::FxBuildHasher;

/// One shard: key -> its spellings, each with its postings.
pub(super) type Shard<'a> = BTreeMap<&'a str, Vec<(&'a str, Vec<u32>)>>;

/// The index's few words of its own, in the site's default language: each organization
/// kind's name and the date of an undated forum (the theme's words, `kind.*`, `date.tba`).
pub struct Labels {
    kinds: Vec<(OrganizationKind, String)>,
    undated: String,
    organization: String,
    locale: crate::i18n::Locale,
}

impl Labels {
    pub fn new(locale: &crate::i18n::Locale) -> Labels {
        Labels {
            kinds: OrganizationKind::NAMES
                .iter()
                .filter_map(|n| OrganizationKind::parse(n))
                .map(|k| (k, locale.word(kind_key(k))))
                .collect(),
            undated: locale.word("date.tba"),
            organization: locale.word("kind.other"),
            locale: locale.clone(),
        }
    }

    fn kind(&self, kind: OrganizationKind) -> &str {
        self.kinds
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(self.organization.as_str(), |(_, name)| name.as_str())
    }
}

/// Every document of the site, in id order: speakers (most appearances first),
/// organizations (most forums first), forums (newest first). Ties in ranking go to the lower
/// id, so this order is the last ranking rule.
fn documents<'a>(model: &'a Model, labels: &'a Labels) -> (Vec<Doc<'a>>, [usize; 3]) {
    let mut docs = Vec::new();
    let mut speakers: Vec<&Speaker> = model
        .speakers
        .iter()
        .filter(|s| indexed_speaker(s))
        .collect();
    speakers.sort_by(|a, b| {
        b.appearances
            .len()
            .cmp(&a.appearances.len())
            .then(a.name.cmp(&b.name))
    });
    for s in speakers {
        let mut titles: Vec<&str> = Vec::new();
        let mut fields: Vec<(Field, &str)> = vec![(Field::Name, &s.name)];
        fields.extend(s.aliases.iter().map(|a| (Field::Name, a.as_str())));
        fields.extend(translated_names(&model.translations.speakers, &s.slug));
        for &(f, i) in s.appearances.iter().rev() {
            if let Some(t) = model.forum(f).appearances[i].title.as_deref()
                && !titles.contains(&t)
            {
                titles.push(t);
                fields.push((Field::Details, t));
            }
        }
        titles.truncate(3);
        docs.push(Doc {
            title: &s.name,
            path: Route::Speaker(&s.slug).path(),
            snippet: titles.join(" · "),
            fields,
            forum: None,
        });
    }
    let speakers_end = docs.len();
    let mut orgs: Vec<&Organization> = model.organizations.iter().collect();
    let forum_count: Vec<usize> = model
        .organizations
        .iter()
        .map(|o| o.forums().len())
        .collect();
    orgs.sort_by(|a, b| {
        forum_count[b.id.index()]
            .cmp(&forum_count[a.id.index()])
            .then(a.name.cmp(&b.name))
    });
    for o in orgs {
        let mut fields: Vec<(Field, &str)> = vec![(Field::Name, &o.name)];
        fields.extend(o.aliases.iter().map(|a| (Field::Name, a.as_str())));
        fields.extend(translated_names(&model.translations.organizations, &o.slug));
        let kind = o.kind.map(|k| labels.kind(k));
        if let Some(k) = kind {
            fields.push((Field::Details, k));
        }
        if let Some(p) = o.parent {
            fields.push((Field::Details, &model.organization(p).name));
        }
        docs.push(Doc {
            title: &o.name,
            path: Route::Organization(&o.slug).path(),
            snippet: kind.unwrap_or(&labels.organization).to_string(),
            fields,
            forum: None,
        });
    }
    let organizations_end = docs.len();
    docs.extend(
        model
            .forums
            .iter()
            .rev()
            .map(|f| forum_doc(model, f, labels)),
    );
    let forums_end = docs.len();
    (docs, [speakers_end, organizations_end, forums_end])
}

/// A forum's document: its names and details as fields (its report text is filed from
/// `Texts`), with the snippet shown among the results.
pub(super) fn forum_doc<'a>(model: &'a Model, f: &'a Forum, labels: &Labels) -> Doc<'a> {
    let mut fields: Vec<(Field, &str)> = vec![(Field::Name, &f.title)];
    fields.extend(f.aliases.iter().map(|a| (Field::Name, a.as_str())));
    let details = [&f.city, &f.country, &f.venue, &f.theme];
    fields.extend(
        details
            .into_iter()
            .flatten()
            .map(|d| (Field::Details, d.as_str())),
    );
    // Its title and place as its translations give them: a reader searches in their
    // own language.
    for t in model.translations.forums.get(&f.file).into_iter().flatten() {
        fields.extend(t.title.as_deref().map(|title| (Field::Name, title)));
        let details = [&t.city, &t.country, &t.venue, &t.theme];
        fields.extend(
            details
                .into_iter()
                .flatten()
                .map(|d| (Field::Details, d.as_str())),
        );
    }
    if let Some(s) = f.series {
        fields.push((Field::Details, &model.series_of(s).name));
    }
    for &t in &f.topics {
        fields.push((Field::Details, &model.topic(t).name));
    }
    let when = date_range(f.start.as_ref(), f.end.as_ref(), &labels.locale)
        .unwrap_or_else(|| labels.undated.clone());
    let snippet = match &f.city {
        Some(city) => format!("{when} · {city}"),
        None => when,
    };
    Doc {
        title: &f.title,
        path: Route::Forum(&f.path).path(),
        snippet,
        fields,
        forum: Some(f.id),
    }
}

/// The names a profile's translations give its person or organization, as fields of its
/// document.
fn translated_names<'a>(
    translations: &'a HashMap<String, Vec<ProfileText>>,
    slug: &str,
) -> impl Iterator<Item = (Field, &'a str)> {
    translations
        .get(slug)
        .into_iter()
        .flatten()
        .filter_map(|t| t.name.as_deref())
        .map(|name| (Field::Name, name))
}

/// `index.json`. Read back too, when the index is patched (see `patch`).
#[derive(Serialize, serde::Deserialize)]
pub(super) struct IndexMeta {
    /// The format's version; a reader refuses another.
    pub(super) version: u32,
    /// The end (exclusive) of each kind's ids: speakers, organizations, forums.
    pub(super) ends: [usize; 3],
    pub(super) docs_per_file: usize,
    /// Every shard that exists, by key, with its file name (see `shard_file`).
    pub(super) shards: BTreeMap<String, String>,
}

/// The forums' years, cities and topics, for the filters' counts. Each forum's values are
/// indexes into the lists, written as fixed-width numbers in `FACET_DIGITS` (0 for none, else
/// index + 1), one forum after the other: 10,000 forums take some 40 kB.
#[derive(Serialize)]
struct Facets<'a> {
    years: Vec<i16>,
    cities: Vec<&'a str>,
    topics: Vec<&'a str>,
    /// Digits per value of `year`, `city` and `topic`.
    digits: [usize; 3],
    year: String,
    city: String,
    /// Each forum's topics, the forums separated by spaces.
    topic: String,
}

/// The digits of the facets' numbers: printable ASCII without `"` and `\\`, so that JSON
/// writes them as they are.
pub const FACET_DIGITS: &str =
    "#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/// How many digits numbers up to `max` need.
fn digits_for(max: usize) -> usize {
    let base = FACET_DIGITS.len();
    let mut digits = 1;
    let mut reach = base;
    while reach <= max {
        digits += 1;
        reach *= base;
    }
    digits
}

fn push_number(out: &mut String, value: usize, digits: usize) {
    let alphabet = FACET_DIGITS.as_bytes();
    let base = alphabet.len();
    let start = out.len();
    let mut v = value;
    for _ in 0..digits {
        out.insert(start, alphabet[v % base] as char);
        v /= base;
    }
}

/// The search index's files, each handed to `emit` as (path under `search/`, bytes) as soon
/// as it is made (at 100,000 reports they are 130 MB). `body` renders a forum's report to
/// HTML (the render stage's own rendering, so that the index holds what readers see) when
/// `texts` does not have its words yet.
pub fn build(
    model: &Model,
    pages: &ReportPages,
    texts: &mut Texts,
    labels: &Labels,
    stamp: Option<super::patch::Stamp>,
    emit: &(dyn Fn(String, Vec<u8>) + Sync),
) {
    let timings = std::env::var_os("PODIUM_TIMINGS").is_some();
    let mut lap_start = std::time::Instant::now();
    let mut lap = |what: &str| {
        if timings {
            eprintln!(
                "  search {what}: {:.0} ms",
                lap_start.elapsed().as_secs_f64() * 1000.0
            );
        }
        lap_start = std::time::Instant::now();
    };
    let (docs, ends) = documents(model, labels);
    let fingerprints = texts.complete(model, pages);
    let report_words = |f: ForumId| texts.words.get(&fingerprints[f.index()]);
    lap("documents and report texts");
    let summary_words: Vec<Vec<&str>> = model
        .forums
        .iter()
        .map(|f| {
            f.summary.as_deref().map_or_else(Vec::new, |s| {
                fold::words(s).filter(|w| starts_with_capital(w)).collect()
            })
        })
        .collect();
    // Every distinct word, numbered, and folded once. Found on every core (five million
    // words at 100,000 reports, fifty thousand of them distinct), each share of the
    // documents and of the reports' words into a set of its own, the sets then joined; in
    // sorted order, so that the numbers do not depend on how the work was shared.
    let field_sets = docs.par_iter().fold(HashSet::default, |mut set, d| {
        set.extend(d.fields.iter().flat_map(|(_, text)| fold::words(text)));
        set
    });
    let body_sets = texts.words.par_iter().fold(HashSet::default, |mut set, w| {
        set.extend(w.split(' '));
        set
    });
    let summary_sets = summary_words
        .par_iter()
        .fold(HashSet::default, |mut set, w| {
            set.extend(w.iter().copied());
            set
        });
    let distinct_words: HashSet<&str, Hasher> = field_sets
        .chain(body_sets)
        .chain(summary_sets)
        .reduce(HashSet::default, |a, b| {
            let (mut larger, smaller) = if a.len() >= b.len() { (a, b) } else { (b, a) };
            larger.extend(smaller);
            larger
        });
    let mut distinct: Vec<&str> = distinct_words.into_iter().collect();
    distinct.par_sort_unstable();
    let numbers: HashMap<&str, u32, Hasher> = distinct
        .iter()
        .enumerate()
        .map(|(n, &w)| (w, n as u32))
        .collect();
    let folded: Vec<(String, String)> = distinct
        .par_iter()
        .map(|&w| (fold::fold(w), fold::plain(w)))
        .collect();
    lap("words numbered and folded");
    // Keys and spellings numbered too, so that filing is indexing, not hashing.
    let mut key_numbers: HashMap<&str, u32, Hasher> = HashMap::with_hasher(Hasher::default());
    let mut keys: Vec<&str> = Vec::new();
    let word_key: Vec<u32> = folded
        .iter()
        .map(|(key, _)| {
            *key_numbers.entry(key).or_insert_with(|| {
                keys.push(key);
                keys.len() as u32 - 1
            })
        })
        .collect();
    // key -> (spelling, posting) pairs, a posting being `document * 4 + field`; each
    // document's words looked up on every core, then filed in document order.
    let mut filed: Vec<Vec<(u32, u32)>> = vec![Vec::new(); keys.len()];
    let numbers = &numbers;
    let field_postings: Vec<Vec<(u32, u32)>> = docs
        .par_iter()
        .enumerate()
        .map(|(id, d)| {
            d.fields
                .iter()
                .flat_map(|(field, text)| {
                    let posting = id as u32 * 4 + *field as u32;
                    fold::words(text).map(move |w| (numbers[w], posting))
                })
                .collect()
        })
        .collect();
    for (n, posting) in field_postings.into_iter().flatten() {
        filed[word_key[n as usize] as usize].push((n, posting));
    }
    // Report text and summaries, leaving out the keys too many reports use.
    let body_of = |d: &Doc| -> Vec<u32> {
        let Some(f) = d.forum else {
            return Vec::new();
        };
        let text = report_words(f).into_iter().flat_map(|w| w.split(' '));
        let mut words: Vec<u32> = text
            .chain(summary_words[f.index()].iter().copied())
            .filter_map(|w| numbers.get(w).copied())
            .collect();
        words.sort_unstable();
        words.dedup();
        words
    };
    let doc_words: Vec<Vec<u32>> = docs.par_iter().map(body_of).collect();
    let mut forums_using = vec![0u32; keys.len()];
    for words in &doc_words {
        let mut doc_keys: Vec<u32> = words.iter().map(|&w| word_key[w as usize]).collect();
        doc_keys.sort_unstable();
        doc_keys.dedup();
        for k in doc_keys {
            forums_using[k as usize] += 1;
        }
    }
    // What the index is made from, for a patch by the next build (when there is one).
    let made = stamp.map(|stamp| super::patch::Made {
        stamp,
        pages: fingerprints.clone(),
        using: keys
            .iter()
            .zip(&forums_using)
            .filter(|&(key, &n)| n > 0 && !key.is_empty())
            .map(|(&key, &n)| (Box::from(key), n))
            .collect(),
    });
    let limit = body_word_limit(model.forums.len()) as u32;
    for (id, words) in doc_words.iter().enumerate() {
        for &w in words {
            let k = word_key[w as usize] as usize;
            if forums_using[k] <= limit {
                filed[k].push((w, id as u32 * 4 + Field::Body as u32));
            }
        }
    }
    lap("words filed");
    // Shards: key -> [(spelling, postings)], each document once per spelling, at its best
    // field.
    let mut shards: BTreeMap<&str, Shard> = BTreeMap::new();
    for (k, mut pairs) in filed.into_iter().enumerate() {
        let key = keys[k];
        if key.is_empty() || pairs.is_empty() {
            continue;
        }
        let mut groups: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        pairs.sort_unstable();
        for (w, posting) in pairs {
            groups
                .entry(&folded[w as usize].1)
                .or_default()
                .push(posting);
        }
        let groups = groups
            .into_iter()
            .map(|(spelling, mut postings)| {
                postings.sort_unstable();
                // One posting per document: the lowest, which is its best field.
                postings.dedup_by_key(|p| *p / 4);
                (spelling, postings)
            })
            .collect();
        shards
            .entry(shard_key(key))
            .or_default()
            .insert(key, groups);
    }
    // Made and handed over on every core: 3,000 small files at 10,000 reports, 31,000 at
    // 100,000, each a file to create.
    shards.par_iter().for_each(|(key, terms)| {
        emit(format!("terms/{}.json", shard_file(key)), shard_json(terms));
    });
    docs.par_chunks(DOCS_PER_FILE)
        .enumerate()
        .for_each(|(n, chunk)| {
            let rows: Vec<[&str; 3]> = chunk
                .iter()
                .map(|d| [d.title, d.path.as_str(), d.snippet.as_str()])
                .collect();
            emit(format!("docs/{n}.json"), json(&rows));
        });
    emit("facets.json".into(), json(&facets(model, &docs)));
    let meta = IndexMeta {
        version: super::FORMAT_VERSION,
        ends,
        docs_per_file: DOCS_PER_FILE,
        shards: shards
            .keys()
            .map(|k| (k.to_string(), shard_file(k)))
            .collect(),
    };
    emit("index.json".into(), json(&meta));
    lap("files written");
    if let Some(made) = made {
        texts.set_made(made);
    }
}

/// A shard as JSON: key -> `[["spelling", "postings"], ...]`. The postings (sorted
/// `document * 4 + field`) are written as differences from the one before, each in
/// `POSTING_DIGITS`: five bits a character, most significant first, the last character from
/// the first half of the alphabet and the others from the second half. Most take one or two
/// characters, half what JSON numbers would.
pub(super) fn shard_json(terms: &Shard) -> Vec<u8> {
    let value: BTreeMap<&str, Vec<[String; 2]>> = terms
        .iter()
        .map(|(k, groups)| {
            let groups = groups
                .iter()
                .map(|(spelling, postings)| [spelling.to_string(), encode_postings(postings)])
                .collect();
            (*k, groups)
        })
        .collect();
    json(&value)
}

/// See `shard_json`.
pub const POSTING_DIGITS: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn encode_postings(postings: &[u32]) -> String {
    let mut out = String::new();
    let mut last = 0;
    for &p in postings {
        let mut step = p - last;
        last = p;
        let mut digits = vec![POSTING_DIGITS[(step & 31) as usize]];
        step >>= 5;
        while step > 0 {
            digits.push(POSTING_DIGITS[32 + (step & 31) as usize]);
            step >>= 5;
        }
        out.extend(digits.iter().rev().map(|&b| b as char));
    }
    out
}

/// The postings `encode_postings` wrote.
pub fn decode_postings(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut last = 0u32;
    let mut n = 0u32;
    for b in text.bytes() {
        let Some(digit) = POSTING_DIGITS.iter().position(|&d| d == b) else {
            continue;
        };
        n = (n << 5) | (digit as u32 & 31);
        if digit < 32 {
            last += n;
            out.push(last);
            n = 0;
        }
    }
    out
}

fn facets<'a>(model: &'a Model, docs: &[Doc]) -> Facets<'a> {
    let mut years: Vec<i16> = model.forums.iter().filter_map(Forum::year).collect();
    years.sort_unstable();
    years.dedup();
    let mut cities: Vec<&str> = model
        .forums
        .iter()
        .filter_map(|f| f.city.as_deref())
        .collect();
    cities.sort_unstable();
    cities.dedup();
    let topics: Vec<&str> = model.topics.iter().map(|t| t.name.as_str()).collect();
    let digits = [
        digits_for(years.len()),
        digits_for(cities.len()),
        digits_for(topics.len()),
    ];
    let (mut year, mut city, mut topic) = (String::new(), String::new(), String::new());
    for (n, id) in docs.iter().filter_map(|d| d.forum).enumerate() {
        let f = model.forum(id);
        let y = f.year().and_then(|y| years.binary_search(&y).ok());
        push_number(&mut year, y.map_or(0, |i| i + 1), digits[0]);
        let c = f
            .city
            .as_deref()
            .and_then(|c| cities.binary_search(&c).ok());
        push_number(&mut city, c.map_or(0, |i| i + 1), digits[1]);
        if n > 0 {
            topic.push(' ');
        }
        for t in &f.topics {
            push_number(&mut topic, t.index() + 1, digits[2]);
        }
    }
    Facets {
        years,
        cities,
        topics,
        digits,
        year,
        city,
        topic,
    }
}

pub(super) fn json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An edit's rebuild saves a line or two of changes beside the whole words' file, and
    /// reads back the same words; changes that are lost, damaged or made for another whole
    /// file make all the words count as lost (they are made again).
    #[test]
    fn search_words_are_saved_as_changes_beside_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("search-words");
        let mut texts = Texts::default();
        for fp in 0..200u64 {
            texts.note(fp, format!("word{fp} other").into());
        }
        texts.save(&path);
        let whole = std::fs::read(&path).unwrap();
        let mut back = Texts::load(&path);
        assert_eq!(back.words, texts.words);

        back.note(7, "changed words".into());
        back.forget(8);
        back.note(1000, "new report".into());
        back.save(&path);
        assert_eq!(std::fs::read(&path).unwrap(), whole, "the whole file stays");
        let changes = std::fs::read_to_string(changes_path(&path)).unwrap();
        assert_eq!(changes.lines().count(), 5, "{changes}");
        let again = Texts::load(&path);
        assert_eq!(again.words, back.words);
        assert_eq!(again.words.get(&7), Some("changed words"));
        assert!(!again.words.contains_key(&8));

        for damaged in [
            changes[..changes.len() / 2].to_string(),
            changes.replace("changed words", "changed wordz"),
            changes.replace(
                &format!("{:016x}", again.id),
                &format!("{:016x}", again.id ^ 1),
            ),
        ] {
            std::fs::write(changes_path(&path), damaged).unwrap();
            assert!(Texts::load(&path).words.is_empty());
        }
        std::fs::remove_file(changes_path(&path)).unwrap();
        assert!(Texts::load(&path).words.is_empty());

        // Many changes: the whole file is written again, with none beside it.
        let mut many = again;
        for fp in 0..100u64 {
            many.note(fp, "all new".into());
        }
        many.save(&path);
        assert_ne!(std::fs::read(&path).unwrap(), whole);
        let changes = std::fs::read_to_string(changes_path(&path)).unwrap();
        assert_eq!(changes.lines().count(), 2, "{changes}");
        assert_eq!(Texts::load(&path).words, many.words);
    }

    #[test]
    fn body_words_are_the_names_a_report_mentions_once_each() {
        let html = "<p>Ana Lima met the <em>Council</em> in Baku &amp; Tbilisi; Ana spoke.</p>\n\
                    <p><a href=\"https://example.org/Hidden\">Qəbələ</a> and 2025 Tbilisi \
                    Şəki-İsmayıllı x<br>Zed&quot;</p>";
        assert_eq!(
            &*body_words(html),
            "Ana Lima Council Baku Tbilisi Qəbələ Şəki İsmayıllı Zed"
        );
        assert_eq!(&*body_words(""), "");
        assert_eq!(&*body_words("<p>only lower case</p>"), "");
        assert_eq!(&*body_words("Unclosed <tag"), "Unclosed");
    }

    #[test]
    fn postings_come_back_as_written() {
        let postings = [
            0,
            1,
            31,
            32,
            33,
            1023,
            1024,
            40_000,
            1_000_000,
            4_000_000_000,
        ];
        let text = encode_postings(&postings);
        assert_eq!(decode_postings(&text), postings);
        assert_eq!(encode_postings(&[5, 6]), "FB");
    }
}
