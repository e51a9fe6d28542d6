//! Running a query over a built index, as the browser does (`search.js` is this file's
//! twin, rule for rule): fold the query's words, read the shard of each, keep the documents
//! that have every word, rank them. Used by `podium search` and by the tests.

use super::fold;
use super::index::{Field, Kind, decode_postings, shard_key};
use crate::render::routes::Route;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// How well a word of the query matched a word of a document, best last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// One letter added, dropped, changed or swapped (words of five letters or more).
    Typo = 0,
    /// The start of a word (the reader is typing).
    Prefix = 1,
    /// The same word in another spelling, case, script or romanisation.
    Folded = 2,
    /// The same word, ignoring case only.
    Exact = 3,
}

/// A word of the query, ready to match.
#[derive(Debug, Clone)]
pub struct QueryWord {
    pub plain: String,
    pub fold: String,
    pub letters: usize,
}

/// The words of a query that take part: those whose key has two letters or more (a single
/// letter would match a whole shard).
pub fn query_words(query: &str) -> Vec<QueryWord> {
    fold::words(query)
        .map(|w| QueryWord {
            plain: fold::plain(w),
            fold: fold::fold(w),
            letters: fold::letter_count(w),
        })
        .filter(|w| w.fold.chars().count() >= 2)
        .collect()
}

/// Where the index's files come from (the output folder, or memory in tests).
pub trait Files {
    fn read(&self, path: &str) -> Option<Vec<u8>>;
}

/// A built site's output folder.
pub struct OutputFolder<'a>(pub &'a std::path::Path);

impl Files for OutputFolder<'_> {
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        std::fs::read(self.0.join(path)).ok()
    }
}

/// The output path of one of the index's files.
fn data(name: &str) -> String {
    Route::SearchData(name).output_file()
}

#[derive(Debug, Deserialize)]
struct IndexMeta {
    version: u32,
    ends: [usize; 3],
    docs_per_file: usize,
    shards: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
struct Facets {
    years: Vec<i16>,
    cities: Vec<String>,
    topics: Vec<String>,
    digits: [usize; 3],
    year: String,
    city: String,
    topic: String,
}

/// The numbers written by `index::push_number`: a list's index + 1, 0 for none.
fn numbers(text: &str, digits: usize) -> Vec<usize> {
    let alphabet = super::index::FACET_DIGITS.as_bytes();
    text.as_bytes()
        .chunks(digits.max(1))
        .map(|chunk| {
            chunk.iter().fold(0, |n, b| {
                n * alphabet.len() + alphabet.iter().position(|a| a == b).unwrap_or(0)
            })
        })
        .collect()
}

/// One result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub kind: Kind,
    pub title: String,
    /// Root-relative path (`speakers/aygun-aliyeva/`).
    pub path: String,
    pub snippet: String,
    /// Where the weakest of the query's words was found.
    pub field: &'static str,
    /// How well the weakest matched.
    pub tier: Tier,
}

/// Counts of the matches by kind, year, city and topic (the filters).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub kind: BTreeMap<&'static str, usize>,
    pub year: BTreeMap<i16, usize>,
    pub city: BTreeMap<String, usize>,
    pub topic: BTreeMap<String, usize>,
}

/// What a query found.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    pub query: String,
    pub total: usize,
    pub counts: Counts,
    pub hits: Vec<Hit>,
}

/// Why a query could not run.
#[derive(Debug)]
pub enum SearchError {
    /// No `search/index.json` where it was looked for.
    NoIndex,
    /// The index was written by another version of Podium, or is damaged.
    Unreadable(String),
}

impl std::fmt::Display for SearchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SearchError::NoIndex => write!(f, "no search index (search/index.json) was found"),
            SearchError::Unreadable(why) => write!(f, "the search index cannot be read: {why}"),
        }
    }
}

fn load<T: serde::de::DeserializeOwned>(files: &dyn Files, path: &str) -> Result<T, SearchError> {
    let bytes = files
        .read(path)
        .ok_or_else(|| SearchError::Unreadable(format!("{path} is missing")))?;
    serde_json::from_slice(&bytes).map_err(|e| SearchError::Unreadable(format!("{path}: {e}")))
}

fn kind_of(ends: &[usize; 3], doc: usize) -> Kind {
    if doc < ends[0] {
        Kind::Speaker
    } else if doc < ends[1] {
        Kind::Organization
    } else {
        Kind::Forum
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Speaker => "speaker",
        Kind::Organization => "organization",
        Kind::Forum => "forum",
    }
}

fn field_of(code: u32) -> Field {
    match code & 3 {
        0 => Field::Name,
        1 => Field::Details,
        _ => Field::Body,
    }
}

/// A match of one word in one document: where (lower is better) and how well (higher is
/// better).
type Best = (Field, Tier);

fn better(a: Best, b: Best) -> bool {
    a.0 < b.0 || (a.0 == b.0 && a.1 > b.1)
}

/// How well `word` matches an index key, and with which spelling.
fn tier(word: &QueryWord, key: &str, spelling: &str) -> Option<Tier> {
    if key == word.fold {
        Some(if spelling == word.plain {
            Tier::Exact
        } else {
            Tier::Folded
        })
    } else if key.starts_with(&word.fold) {
        Some(Tier::Prefix)
    } else if word.letters >= 5 && fold::one_edit(&word.fold, key) {
        Some(Tier::Typo)
    } else {
        None
    }
}

/// Run `query` over the index in `files`, returning at most `limit` hits (all counted).
pub fn search(files: &dyn Files, query: &str, limit: usize) -> Result<Found, SearchError> {
    let meta: IndexMeta = files
        .read(&data("index.json"))
        .ok_or(SearchError::NoIndex)
        .and_then(|b| {
            serde_json::from_slice(&b)
                .map_err(|e| SearchError::Unreadable(format!("search/index.json: {e}")))
        })?;
    if meta.version != super::FORMAT_VERSION {
        return Err(SearchError::Unreadable(format!(
            "it is format {}, this Podium reads format {}; build the site again",
            meta.version,
            super::FORMAT_VERSION
        )));
    }
    let words = query_words(query);
    let mut found = Found {
        query: query.to_string(),
        total: 0,
        counts: Counts::default(),
        hits: Vec::new(),
    };
    if words.is_empty() {
        return Ok(found);
    }
    let mut shards: HashMap<String, BTreeMap<String, Vec<[String; 2]>>> = HashMap::new();
    let mut per_word: Vec<HashMap<u32, Best>> = Vec::new();
    for word in &words {
        let key = shard_key(&word.fold).to_string();
        if let std::collections::hash_map::Entry::Vacant(e) = shards.entry(key.clone()) {
            e.insert(match meta.shards.get(&key) {
                Some(file) => load(files, &data(&format!("terms/{file}.json")))?,
                None => BTreeMap::new(),
            });
        }
        let mut best: HashMap<u32, Best> = HashMap::new();
        for (term, groups) in &shards[&key] {
            for [spelling, postings] in groups {
                let Some(t) = tier(word, term, spelling) else {
                    continue;
                };
                for p in decode_postings(postings) {
                    let here = (field_of(p), t);
                    let entry = best.entry(p >> 2).or_insert(here);
                    if better(here, *entry) {
                        *entry = here;
                    }
                }
            }
        }
        per_word.push(best);
    }
    // Documents with every word, ranked: the weakest word's field, then the sum of the
    // words' tiers, then the document order (see docs/search.md).
    let (first, rest) = per_word.split_first().expect("at least one word");
    let mut matched: Vec<(Field, u32, u32, Tier)> = first
        .iter()
        .filter_map(|(&doc, &b)| {
            let mut field = b.0;
            let mut tiers = b.1 as u32;
            let mut weakest = b.1;
            for other in rest {
                let o = other.get(&doc)?;
                field = field.max(o.0);
                tiers += o.1 as u32;
                weakest = weakest.min(o.1);
            }
            Some((field, tiers, doc, weakest))
        })
        .collect();
    matched.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    found.total = matched.len();
    let facets: Facets = load(files, &data("facets.json"))?;
    let years = numbers(&facets.year, facets.digits[0]);
    let cities = numbers(&facets.city, facets.digits[1]);
    let topic_lists: Vec<&str> = facets.topic.split(' ').collect();
    for &(_, _, doc, _) in &matched {
        let kind = kind_of(&meta.ends, doc as usize);
        *found.counts.kind.entry(kind_name(kind)).or_default() += 1;
        if kind != Kind::Forum {
            continue;
        }
        let n = doc as usize - meta.ends[1];
        let listed = |list: &[usize], i: usize| list.get(i).and_then(|v| v.checked_sub(1));
        if let Some(&y) = listed(&years, n).and_then(|i| facets.years.get(i)) {
            *found.counts.year.entry(y).or_default() += 1;
        }
        if let Some(c) = listed(&cities, n).and_then(|i| facets.cities.get(i)) {
            *found.counts.city.entry(c.clone()).or_default() += 1;
        }
        let topics = topic_lists.get(n).map(|t| numbers(t, facets.digits[2]));
        for t in topics.into_iter().flatten() {
            if let Some(t) = t.checked_sub(1).and_then(|i| facets.topics.get(i)) {
                *found.counts.topic.entry(t.clone()).or_default() += 1;
            }
        }
    }
    let mut records: HashMap<usize, Vec<[String; 3]>> = HashMap::new();
    for &(field, _, doc, weakest) in matched.iter().take(limit) {
        let file = doc as usize / meta.docs_per_file;
        if let std::collections::hash_map::Entry::Vacant(e) = records.entry(file) {
            e.insert(load(files, &data(&format!("docs/{file}.json")))?);
        }
        let Some([title, path, snippet]) = records[&file].get(doc as usize % meta.docs_per_file)
        else {
            return Err(SearchError::Unreadable(format!(
                "search/docs/{file}.json lacks document {doc}"
            )));
        };
        found.hits.push(Hit {
            kind: kind_of(&meta.ends, doc as usize),
            title: title.clone(),
            path: path.clone(),
            snippet: snippet.clone(),
            field: match field {
                Field::Name => "name",
                Field::Details => "details",
                Field::Body => "body",
            },
            tier: weakest,
        });
    }
    Ok(found)
}
