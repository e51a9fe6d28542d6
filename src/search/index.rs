//! Building the index: every speaker, organization and forum becomes a document; every word
//! of its names, details and (for forums) rendered report text is filed under its folded key
//! (`fold::fold`), in shards by the key's first two letters so that a reader's browser
//! fetches only the shard of the word being typed.
//!
//! The files, all under `search/` (see docs/search.md for their format):
//! `index.json` (what the other files are: document ranges, shard list, facet names),
//! `facets.json` (each forum's year, city and topics, for the filters' counts),
//! `terms/<key>.json` (folded key -> spellings -> postings) and `docs/<n>.json` (title, URL
//! and snippet of 32 documents each, fetched for the results shown).

use super::fold;
use crate::model::*;
use crate::render::routes::Route;
use crate::render::views::{date_range, kind_singular};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Where in a document a word was found, best first (the ranking's first rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// Its name, an alias or a translated name.
    Name = 0,
    /// Forums: city, country, venue, series, topics, theme, people; people: titles held and
    /// organizations; organizations: kind and parent.
    Details = 1,
    /// A forum's report text.
    Body = 2,
}

/// Documents per `docs/<n>.json` file.
pub const DOCS_PER_FILE: usize = 32;

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

/// Whether a person enters the search index. Every speaker of the model does: people hidden
/// by a privacy setting are left out of the model itself, before this stage. This is the one
/// place to add a rule of the index's own.
pub fn indexed_speaker(_speaker: &Speaker) -> bool {
    true
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
struct Doc<'a> {
    title: &'a str,
    path: String,
    snippet: String,
    fields: Vec<(Field, &'a str)>,
    /// For forums: its place in `model.forums`, to find its report text.
    forum: Option<ForumId>,
}

/// The text of each report as rendered (tags stripped), kept between `serve` rebuilds: a
/// `None` entry is made again.
#[derive(Debug, Default)]
pub struct Texts {
    words: Vec<Option<Vec<String>>>,
}

impl Texts {
    /// Forget a forum's text after its report changed.
    pub fn forum_changed(&mut self, id: ForumId) {
        if let Some(w) = self.words.get_mut(id.index()) {
            *w = None;
        }
    }
}

/// The distinct words of an HTML fragment's text.
fn html_words(html: &str) -> Vec<String> {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut in_entity = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            '&' if !in_tag => in_entity = true,
            ';' if in_entity => {
                in_entity = false;
                text.push(' ');
            }
            c if !in_tag && !in_entity => text.push(c),
            c if in_entity && !c.is_ascii_alphanumeric() && c != '#' => {
                in_entity = false;
                text.push(' ');
            }
            _ => {}
        }
    }
    let mut seen = HashSet::new();
    fold::words(&text)
        .filter(|w| seen.insert(*w))
        .map(str::to_string)
        .collect()
}

/// Every document of the site, in id order: speakers (most appearances first),
/// organizations (most forums first), forums (newest first). Ties in ranking go to the lower
/// id, so this order is the last ranking rule.
fn documents(model: &Model) -> (Vec<Doc<'_>>, [usize; 3]) {
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
        for &(f, i) in s.appearances.iter().rev() {
            if let Some(t) = model.forum(f).appearances[i].title.as_deref()
                && !titles.contains(&t)
            {
                titles.push(t);
                fields.push((Field::Details, t));
            }
        }
        for &o in &s.organizations {
            fields.push((Field::Details, &model.organization(o).name));
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
        let kind = o.kind.map(kind_singular);
        if let Some(k) = kind {
            fields.push((Field::Details, k));
        }
        if let Some(p) = o.parent {
            fields.push((Field::Details, &model.organization(p).name));
        }
        docs.push(Doc {
            title: &o.name,
            path: Route::Organization(&o.slug).path(),
            snippet: kind.unwrap_or("Organization").to_string(),
            fields,
            forum: None,
        });
    }
    let organizations_end = docs.len();
    for f in model.forums.iter().rev() {
        let mut fields: Vec<(Field, &str)> = vec![(Field::Name, &f.title)];
        fields.extend(f.aliases.iter().map(|a| (Field::Name, a.as_str())));
        let details = [&f.city, &f.country, &f.venue, &f.theme, &f.summary];
        fields.extend(
            details
                .into_iter()
                .flatten()
                .map(|d| (Field::Details, d.as_str())),
        );
        if let Some(s) = f.series {
            fields.push((Field::Details, &model.series_of(s).name));
        }
        for &t in &f.topics {
            fields.push((Field::Details, &model.topic(t).name));
        }
        for a in &f.appearances {
            let s = model.speaker(a.speaker);
            if indexed_speaker(s) {
                fields.push((Field::Details, &s.name));
            }
        }
        for &o in f.organizers.iter().chain(&f.partners) {
            fields.push((Field::Details, &model.organization(o).name));
        }
        let when = date_range(f.start.as_ref(), f.end.as_ref())
            .unwrap_or_else(|| "Date to be announced".into());
        let snippet = match &f.city {
            Some(city) => format!("{when} · {city}"),
            None => when,
        };
        docs.push(Doc {
            title: &f.title,
            path: Route::Forum(&f.path).path(),
            snippet,
            fields,
            forum: Some(f.id),
        });
    }
    let forums_end = docs.len();
    (docs, [speakers_end, organizations_end, forums_end])
}

#[derive(Serialize)]
struct IndexMeta<'a> {
    /// The format's version; a reader refuses another.
    version: u32,
    /// The end (exclusive) of each kind's ids: speakers, organizations, forums.
    ends: [usize; 3],
    docs_per_file: usize,
    /// Every shard that exists, by key; with its file name when that differs.
    shards: BTreeMap<&'a str, String>,
}

#[derive(Serialize)]
struct Facets<'a> {
    years: Vec<i16>,
    cities: Vec<&'a str>,
    topics: Vec<&'a str>,
    /// Per forum document (in id order): [year index or -1, city index or -1, topic indexes...].
    forums: Vec<Vec<i32>>,
}

/// The search index's files, as (path under `search/`, bytes). `body` renders a forum's
/// report to HTML (the render stage's own rendering, so that the index holds what readers
/// see); `texts` keeps what it gave between calls.
pub fn build(
    model: &Model,
    body: &(dyn Fn(&Forum) -> String + Sync),
    texts: &mut Texts,
) -> Vec<(String, Vec<u8>)> {
    let (docs, ends) = documents(model);
    texts.words.resize(model.forums.len(), None);
    texts
        .words
        .par_iter_mut()
        .enumerate()
        .filter(|(_, w)| w.is_none())
        .for_each(|(i, w)| *w = Some(html_words(&body(&model.forums[i]))));
    // Fold every distinct word once.
    let mut distinct: HashSet<&str> = HashSet::new();
    for d in &docs {
        for (_, text) in &d.fields {
            distinct.extend(fold::words(text));
        }
    }
    for w in texts.words.iter().flatten() {
        distinct.extend(w.iter().map(String::as_str));
    }
    let distinct: Vec<&str> = distinct.into_iter().collect();
    let folded: HashMap<&str, (String, String)> = distinct
        .par_iter()
        .map(|&w| (w, (fold::fold(w), fold::plain(w))))
        .collect();
    // key -> spelling -> doc -> best field
    let mut terms: HashMap<&str, HashMap<&str, HashMap<u32, Field>>> = HashMap::new();
    let mut file = |word: &str, doc: u32, field: Field| {
        let Some((key, plain)) = folded.get(word) else {
            return;
        };
        if key.is_empty() {
            return;
        }
        let best = terms
            .entry(key.as_str())
            .or_default()
            .entry(plain.as_str())
            .or_default()
            .entry(doc)
            .or_insert(field);
        *best = (*best).min(field);
    };
    for (id, d) in docs.iter().enumerate() {
        for (field, text) in &d.fields {
            for w in fold::words(text) {
                file(w, id as u32, *field);
            }
        }
    }
    // Report text, leaving out the words too many reports use.
    let limit = body_word_limit(model.forums.len());
    let mut forums_using: HashMap<&str, usize> = HashMap::new();
    let body_words = |d: &Doc| {
        d.forum
            .and_then(|f| texts.words[f.index()].as_ref())
            .into_iter()
            .flatten()
    };
    for d in &docs {
        let mut keys: HashSet<&str> = HashSet::new();
        for w in body_words(d) {
            if let Some((key, _)) = folded.get(w.as_str()) {
                keys.insert(key);
            }
        }
        for k in keys {
            *forums_using.entry(k).or_default() += 1;
        }
    }
    for (id, d) in docs.iter().enumerate() {
        for w in body_words(d) {
            let common = folded.get(w.as_str()).is_some_and(|(key, _)| {
                forums_using.get(key.as_str()).copied().unwrap_or(0) > limit
            });
            if !common {
                file(w, id as u32, Field::Body);
            }
        }
    }
    let mut shards: BTreeMap<&str, BTreeMap<&str, Vec<(&str, Vec<u32>)>>> = BTreeMap::new();
    for (key, spellings) in &terms {
        let mut groups: Vec<(&str, Vec<u32>)> = spellings
            .iter()
            .map(|(plain, docs)| {
                let mut postings: Vec<u32> = docs.iter().map(|(&d, &f)| d * 4 + f as u32).collect();
                postings.sort_unstable();
                (*plain, postings)
            })
            .collect();
        groups.sort();
        shards
            .entry(shard_key(key))
            .or_default()
            .insert(key, groups);
    }
    let mut out = Vec::new();
    for (key, terms) in &shards {
        // Each spelling as ["spelling", posting, posting, ...]: compact and plain JSON.
        let value: BTreeMap<&str, Vec<serde_json::Value>> = terms
            .iter()
            .map(|(k, groups)| {
                let groups = groups
                    .iter()
                    .map(|(plain, postings)| {
                        let mut row = vec![serde_json::Value::from(*plain)];
                        row.extend(postings.iter().map(|&p| serde_json::Value::from(p)));
                        serde_json::Value::Array(row)
                    })
                    .collect();
                (*k, groups)
            })
            .collect();
        out.push((format!("terms/{}.json", shard_file(key)), json(&value)));
    }
    for (n, chunk) in docs.chunks(DOCS_PER_FILE).enumerate() {
        let rows: Vec<[&str; 3]> = chunk
            .iter()
            .map(|d| [d.title, d.path.as_str(), d.snippet.as_str()])
            .collect();
        out.push((format!("docs/{n}.json"), json(&rows)));
    }
    out.push(("facets.json".into(), json(&facets(model, &docs))));
    let meta = IndexMeta {
        version: super::FORMAT_VERSION,
        ends,
        docs_per_file: DOCS_PER_FILE,
        shards: shards.keys().map(|k| (*k, shard_file(k))).collect(),
    };
    out.push(("index.json".into(), json(&meta)));
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
    let index = |list: &[&str], v: Option<&str>| {
        v.and_then(|v| list.binary_search(&v).ok())
            .map_or(-1, |i| i as i32)
    };
    let forums = docs
        .iter()
        .filter_map(|d| d.forum)
        .map(|id| {
            let f = model.forum(id);
            let mut row = vec![
                f.year()
                    .and_then(|y| years.binary_search(&y).ok())
                    .map_or(-1, |i| i as i32),
                index(&cities, f.city.as_deref()),
            ];
            row.extend(f.topics.iter().map(|t| t.0 as i32));
            row
        })
        .collect();
    Facets {
        years,
        cities,
        topics,
        forums,
    }
}

fn json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}
