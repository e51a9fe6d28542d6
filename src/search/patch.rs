//! Patching the search index when only the words of a few reports changed, rather than
//! making it whole again.
//!
//! An edit that names someone new changes one report's words, and with them one or two of
//! the index's shards; making the whole index again files five million words at 100,000
//! reports (over a second). So each build that makes or patches the index keeps beside the
//! output what it made it from (`Made`): which page of each forum the words came from, and
//! how many forums use each folded key (the limit on report words depends on it). The next
//! build, when nothing but report words changed (`Stamp::site` is the same), finds the keys
//! whose postings differ, reads their shards back from the output (only files the manifest
//! still vouches for), takes the changed forums' postings out, files them again, and writes
//! those shards alone. The result is byte for byte what making the index whole would write;
//! whenever that cannot be promised cheaply (a key crossing the limit, many forums changed,
//! a shard or the state unreadable), the index is made whole instead.

use super::fold;
use super::index::{
    Field, IndexMeta, Labels, Shard, Texts, body_word_limit, decode_postings, forum_doc, json,
    shard_file, shard_json, shard_key, starts_with_capital,
};
use crate::model::Model;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What the index's files in the output were made from, besides the report words: the
/// digest of everything else they show (the model but for its texts, the theme, the
/// settings: see `render::fingerprint::site_digest`), and the fingerprint they were made
/// with (which the output's manifest records with each file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub site: u64,
    pub fingerprint: u64,
}

/// What the last index was made from, for patching it (see the module's comment).
#[derive(Debug, Clone, PartialEq)]
pub struct Made {
    pub(super) stamp: Stamp,
    /// The fingerprint of each forum's page whose words the index holds, in model order.
    pub(super) pages: Vec<u64>,
    /// Folded key -> how many forums' report words (and summaries) use it.
    pub(super) using: HashMap<Box<str>, u32>,
}

/// The first line of `Made`'s file, with its format's version.
const HEADER: &str = "podium search index made 1";

impl Made {
    /// The state kept at `path` by `save`; none when missing, damaged or of another version.
    pub(super) fn load(path: &std::path::Path) -> Option<Made> {
        use crate::write::state_file::checked_body;
        let text = std::fs::read_to_string(path).ok()?;
        let (first, lines, count) = checked_body(&text)?;
        let mut head = first.strip_prefix(HEADER)?.split(' ').skip(1);
        let mut hex = || u64::from_str_radix(head.next()?, 16).ok();
        let (site, fingerprint, pages) = (hex()?, hex()?, hex()? as usize);
        let mut lines = lines.lines();
        let pages: Vec<u64> = lines
            .by_ref()
            .take(pages)
            .map(|l| u64::from_str_radix(l, 16).ok())
            .collect::<Option<_>>()?;
        let mut using = HashMap::new();
        for line in lines {
            let (n, key) = line.split_once('\t')?;
            using.insert(Box::from(key), n.parse().ok()?);
        }
        (pages.len() + using.len() == count).then_some(Made {
            stamp: Stamp { site, fingerprint },
            pages,
            using,
        })
    }

    /// Keep the state at `path` (a cache: when it cannot be written, the next build makes
    /// the index whole).
    pub(super) fn save(&self, path: &std::path::Path) {
        use crate::write::state_file::{closed, write_whole};
        use std::fmt::Write;
        let Stamp { site, fingerprint } = self.stamp;
        let mut out = String::with_capacity(self.pages.len() * 17 + self.using.len() * 16);
        let _ = writeln!(
            out,
            "{HEADER} {site:016x} {fingerprint:016x} {:x}",
            self.pages.len()
        );
        for page in &self.pages {
            let _ = writeln!(out, "{page:016x}");
        }
        let mut using: Vec<(&Box<str>, &u32)> = self.using.iter().collect();
        using.sort_unstable();
        for (key, n) in using {
            let _ = writeln!(out, "{n}\t{key}");
        }
        let _ = write_whole(path, closed(out, self.pages.len() + self.using.len()));
    }
}

/// What a patch did, as names under `search/`: the files written again, and the shards no
/// longer made. Every other file of the index is as the output holds it.
pub struct Patched {
    pub written: Vec<String>,
    pub removed: Vec<String>,
}

/// Patching stops being worth it (and is not tried) beyond this share of the forums changed.
fn too_many_changed(changed: usize, forums: usize) -> bool {
    changed > (forums / 20).max(16)
}

/// A forum whose page changed since the index was made, as the index files it.
struct ChangedForum<'a> {
    /// Its document's id.
    doc: u32,
    /// The names its report and summary used when the index was made, and use now.
    before: HashSet<&'a str>,
    now: HashSet<&'a str>,
    /// The words of its names and details (which did not change): key, spelling, posting.
    fields: Vec<(String, String, u32)>,
}

/// A shard as read back: key -> spelling -> postings.
type Terms = BTreeMap<String, BTreeMap<String, Vec<u32>>>;

/// Patch the index that `texts.made` describes for the words of the forums whose pages
/// changed, reading its files by name under `search/` with `read`; the files that differ go
/// to `emit`. `None` (nothing emitted, and `texts.made` forgotten) when the index must be
/// made whole instead.
/// `fingerprints`: each forum's page fingerprint now (see `Texts::complete`).
pub(super) fn patch(
    model: &Model,
    texts: &mut Texts,
    fingerprints: &[u64],
    stamp: Stamp,
    labels: &Labels,
    read: &dyn Fn(&str) -> Option<Vec<u8>>,
    emit: &(dyn Fn(String, Vec<u8>) + Sync),
) -> Option<Patched> {
    // Taken: a patch that gives up is followed by the index made whole, which records anew.
    let made = texts.made.take()?;
    let count = fingerprints.len();
    if made.stamp.site != stamp.site || made.pages.len() != count {
        return None;
    }
    let changed: Vec<usize> = (0..count)
        .filter(|&i| made.pages[i] != fingerprints[i])
        .collect();
    if too_many_changed(changed.len(), count) {
        return None;
    }
    let mut meta: IndexMeta = serde_json::from_slice(&read("index.json")?).ok()?;
    let [_, organizations_end, forums_end] = meta.ends;
    if forums_end.checked_sub(organizations_end)? != count {
        return None;
    }
    let mut forums = Vec::with_capacity(changed.len());
    for i in changed {
        let f = &model.forums[i];
        let summary: Vec<&str> = f.summary.as_deref().map_or_else(Vec::new, |s| {
            fold::words(s).filter(|w| starts_with_capital(w)).collect()
        });
        let body = |fingerprint: u64| -> Option<HashSet<&str>> {
            let words = texts.words_of(fingerprint)?.split(' ');
            Some(words.chain(summary.iter().copied()).collect())
        };
        // Forums are filed newest first, after the people and organizations.
        let doc = (organizations_end + (count - 1 - i)) as u32;
        let fields = forum_doc(model, f, labels)
            .fields
            .iter()
            .flat_map(|&(field, text)| {
                fold::words(text)
                    .map(move |w| (fold::fold(w), fold::plain(w), doc * 4 + field as u32))
            })
            .collect();
        forums.push(ChangedForum {
            doc,
            before: body(made.pages[i])?,
            now: body(fingerprints[i])?,
            fields,
        });
    }
    // The keys whose postings may differ: those of the names a changed report gained or
    // lost. Each name is folded once.
    let mut folded: HashMap<&str, String> = HashMap::new();
    for forum in &forums {
        for &word in forum.before.iter().chain(&forum.now) {
            folded.entry(word).or_insert_with(|| fold::fold(word));
        }
    }
    let mut shards: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for forum in &forums {
        for word in forum.before.symmetric_difference(&forum.now) {
            let key = folded[word].as_str();
            if !key.is_empty() {
                let keys = shards.entry(shard_key(key).to_string()).or_default();
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
    }
    // How many forums use each of those keys now. A key that crosses the limit on report
    // words gains or loses every forum's report postings: the index is then made whole.
    let limit = body_word_limit(count) as u32;
    let mut using = made.using;
    let uses = |words: &HashSet<&str>, key: &str| words.iter().any(|w| folded[w] == key);
    for key in shards.values().flatten() {
        let was = using.get(*key).copied().unwrap_or(0);
        let mut is = was as i64;
        for forum in &forums {
            is += uses(&forum.now, key) as i64 - uses(&forum.before, key) as i64;
        }
        let is = u32::try_from(is).ok()?;
        if (was <= limit) != (is <= limit) {
            return None;
        }
        match is {
            0 => using.remove(*key),
            n => using.insert(Box::from(*key), n),
        };
    }
    // Every file is made before any is handed over: a shard that cannot be read back makes
    // the index whole, and nothing may have been emitted by then.
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut removed = Vec::new();
    let listed = meta.shards.len();
    for (shard, keys) in &shards {
        let name = |file: &str| format!("terms/{file}.json");
        let mut terms: Terms = match meta.shards.get(shard) {
            Some(file) => read_terms(&read(&name(file))?)?,
            None => Terms::new(),
        };
        for &key in keys {
            let with_report_words = using.get(key).is_some_and(|&n| n <= limit);
            let spellings = terms.entry(key.to_string()).or_default();
            for forum in &forums {
                refile(spellings, forum, key, with_report_words, &folded);
            }
            if spellings.is_empty() {
                terms.remove(key);
            }
        }
        let file = shard_file(shard);
        if terms.is_empty() {
            if meta.shards.remove(shard).is_some() {
                removed.push(name(&file));
            }
            continue;
        }
        let borrowed: Shard = terms
            .iter()
            .map(|(key, spellings)| {
                let groups = spellings.iter().map(|(s, p)| (s.as_str(), p.clone()));
                (key.as_str(), groups.collect())
            })
            .collect();
        files.push((name(&file), shard_json(&borrowed)));
        meta.shards.insert(shard.clone(), file);
    }
    // The list of shards, when one came or went.
    if meta.shards.len() != listed || !removed.is_empty() {
        files.push(("index.json".to_string(), json(&meta)));
    }
    let written = files.iter().map(|(name, _)| name.clone()).collect();
    for (name, bytes) in files {
        emit(name, bytes);
    }
    drop(forums);
    texts.set_made(Made {
        stamp,
        pages: fingerprints.to_vec(),
        using,
    });
    Some(Patched { written, removed })
}

/// A shard's file read back into its terms; `None` when it is not one.
fn read_terms(bytes: &[u8]) -> Option<Terms> {
    let written: BTreeMap<String, Vec<(String, String)>> = serde_json::from_slice(bytes).ok()?;
    Some(
        written
            .into_iter()
            .map(|(key, groups)| {
                let spellings = groups
                    .into_iter()
                    .map(|(spelling, postings)| (spelling, decode_postings(&postings)))
                    .collect();
                (key, spellings)
            })
            .collect(),
    )
}

/// File `forum` under `key` again: its postings out of every spelling, then in again as its
/// names, details and (`with_report_words`) report words now give them, one posting per
/// spelling at its best field, as `index::build` files them.
fn refile(
    spellings: &mut BTreeMap<String, Vec<u32>>,
    forum: &ChangedForum,
    key: &str,
    with_report_words: bool,
    folded: &HashMap<&str, String>,
) {
    for postings in spellings.values_mut() {
        postings.retain(|p| p / 4 != forum.doc);
    }
    let mut best: BTreeMap<String, u32> = BTreeMap::new();
    let mut file = |spelling: String, posting: u32| {
        let at = best.entry(spelling).or_insert(posting);
        *at = (*at).min(posting);
    };
    for (word_key, spelling, posting) in &forum.fields {
        if word_key == key {
            file(spelling.clone(), *posting);
        }
    }
    if with_report_words {
        for &word in &forum.now {
            if folded[word] == key {
                file(fold::plain(word), forum.doc * 4 + Field::Body as u32);
            }
        }
    }
    for (spelling, posting) in best {
        let postings = spellings.entry(spelling).or_default();
        if let Err(at) = postings.binary_search(&posting) {
            postings.insert(at, posting);
        }
    }
    spellings.retain(|_, postings| !postings.is_empty());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the index was made from reads back as saved; a damaged or cut file reads as
    /// nothing (the index is then made whole).
    #[test]
    fn what_the_index_was_made_from_reads_back_and_damage_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("search-index-made");
        let made = Made {
            stamp: Stamp {
                site: 0x0123_4567_89ab_cdef,
                fingerprint: 7,
            },
            pages: vec![1, u64::MAX, 0xfeed],
            using: [("aliava", 3), ("susa", 1), ("ზურაბ", 2)]
                .into_iter()
                .map(|(k, n)| (Box::from(k), n))
                .collect(),
        };
        made.save(&path);
        assert_eq!(Made::load(&path), Some(made));
        let text = std::fs::read_to_string(&path).unwrap();
        for damaged in [
            text.replace("susa", "susb"),
            text[..text.len() / 2].to_string(),
            text.replace("made 1", "made 2"),
            String::new(),
        ] {
            std::fs::write(&path, damaged).unwrap();
            assert_eq!(Made::load(&path), None);
        }
    }
}
