//! Related forums: for every forum, up to five others ranked by what they share, without
//! comparing every pair of forums.
//!
//! Each forum is a set of weighted features: its speakers, the organizations that organized,
//! partnered or sent a speaker, its series, its topics and its city. The lists of forums per
//! feature are the model's reverse edges (inverted indexes), so the candidates of a forum are
//! the forums on its features' lists, scored by adding up the weights of the features they
//! share. A feature on very many forums (a city, a broad topic, a busy organizer) would make
//! that quadratic, so it only counts between forums among its `NEAREST` nearest in time
//! (found by binary search in its chronological list): the work per forum is bounded by
//! features × `NEAREST` whatever the size of the site. docs/connections.md has the weights
//! and tie-breaks.

use crate::model::slug::slugify;
use crate::model::{Forum, ForumId, Model};
use rayon::prelude::*;
use std::collections::HashMap;

/// How many related forums a forum page shows.
pub const SHOWN: usize = 5;
/// A feature on more forums than this counts only among the forums nearest in time.
pub const NEAREST: usize = 32;
/// Below this score forums are not related: a shared city or one shared topic alone is not
/// enough.
pub const MIN_SCORE: u32 = 2;

/// What a shared feature is worth.
pub const SERIES: u32 = 4;
pub const SPEAKER: u32 = 3;
pub const ORGANIZATION: u32 = 2;
pub const TOPIC: u32 = 1;
pub const CITY: u32 = 1;

/// The related forums of every forum, best first, indexed by forum id.
pub fn related(model: &Model) -> Vec<Vec<ForumId>> {
    let index = Index::new(model);
    let days: Vec<i32> = model.forums.iter().map(day_number).collect();
    // One scratch array per chunk of forums rather than per forum (or per rayon split, of
    // which there can be thousands): each is as long as the site has forums.
    let chunks: Vec<Vec<Vec<ForumId>>> = model
        .forums
        .par_chunks(CHUNK)
        .map(|forums| {
            let mut scratch = Scratch::new(model.forums.len());
            forums
                .iter()
                .map(|f| ranked(model, &index, &days, &mut scratch, f))
                .collect()
        })
        .collect();
    chunks.into_iter().flatten().collect()
}

/// The forums whose related forums may have changed when the forum `id` was inserted into
/// the chronology (`model::insert_report`), itself included, each with its related forums
/// now. They are the forums near it on the list of a feature it has: a forum's candidates
/// come from its features' lists, cut to the `NEAREST` around it when long (`nearest`), so
/// only a list that gained `id` can change them, and on a long list only for the forums
/// whose cut can reach it or lost an entry at its edge because of it.
pub fn after_insert(model: &Model, id: ForumId) -> Vec<(ForumId, Vec<ForumId>)> {
    let index = Index::new(model);
    let mut touched = vec![id];
    for (list, _) in features(model, &index, model.forum(id)) {
        if list.len() <= 2 * NEAREST + 2 {
            touched.extend_from_slice(list);
        } else {
            let at = list.partition_point(|&x| x < id);
            let from = at.saturating_sub(NEAREST + 1);
            let to = (at + NEAREST + 2).min(list.len());
            touched.extend_from_slice(&list[from..to]);
        }
    }
    touched.sort_unstable();
    touched.dedup();
    let days: Vec<i32> = model.forums.iter().map(day_number).collect();
    let mut scratch = Scratch::new(model.forums.len());
    touched
        .into_iter()
        .map(|t| {
            (
                t,
                ranked(model, &index, &days, &mut scratch, model.forum(t)),
            )
        })
        .collect()
}

/// Forums per parallel task: enough that a scratch array is allocated rarely, few enough
/// that both cores stay busy on a small site.
const CHUNK: usize = 2048;

/// The inverted indexes the model does not hold as plain chronological lists of forums.
struct Index {
    speakers: Vec<Vec<ForumId>>,
    organizations: Vec<Vec<ForumId>>,
    /// Forums by city, cities compared as slugs (`Baku` and `baku` meet).
    cities: Vec<Vec<ForumId>>,
    /// Each forum's city, as an index into `cities`.
    city_of: Vec<Option<usize>>,
}

impl Index {
    fn new(model: &Model) -> Index {
        let speakers = model
            .speakers
            .par_iter()
            .map(|s| {
                let mut ids: Vec<ForumId> = s.appearances.iter().map(|(f, _)| *f).collect();
                ids.dedup();
                ids
            })
            .collect();
        let organizations = model.organizations.par_iter().map(|o| o.forums()).collect();
        let mut by_name: HashMap<String, usize> = HashMap::new();
        let mut cities: Vec<Vec<ForumId>> = Vec::new();
        let mut city_of = Vec::with_capacity(model.forums.len());
        for f in &model.forums {
            let city = f.city.as_ref().map(|c| {
                let next = cities.len();
                let i = *by_name.entry(slugify(c)).or_insert(next);
                if i == next {
                    cities.push(Vec::new());
                }
                cities[i].push(f.id);
                i
            });
            city_of.push(city);
        }
        Index {
            speakers,
            organizations,
            cities,
            city_of,
        }
    }
}

/// What a forum's related forums depend on besides its names (speakers, organizations,
/// series, topics): its city and its date.
pub type Inputs = (Option<String>, i32);

pub fn inputs(f: &Forum) -> Inputs {
    (f.city.as_deref().map(slugify), day_number(f))
}

/// Days since 1970 of a forum's start; `UNDATED` for an undated one. Four bytes a forum:
/// the array is read once per candidate, so at 100,000 forums its size is cache misses.
fn day_number(f: &Forum) -> i32 {
    f.start.as_ref().map_or(UNDATED, |w| {
        (w.date() - jiff::civil::date(1970, 1, 1)).get_days()
    })
}

const UNDATED: i32 = i32::MAX;

/// Scores of one forum's candidates, reused from forum to forum on a thread: a dense array
/// (no hashing) and the list of entries touched, so clearing costs what was used.
struct Scratch {
    score: Vec<u16>,
    touched: Vec<ForumId>,
}

impl Scratch {
    fn new(forums: usize) -> Scratch {
        Scratch {
            score: vec![0; forums],
            touched: Vec::new(),
        }
    }

    fn add(&mut self, id: ForumId, weight: u32) {
        let s = &mut self.score[id.index()];
        if *s == 0 {
            self.touched.push(id);
        }
        *s = s.saturating_add(weight as u16);
    }
}

fn ranked(
    model: &Model,
    index: &Index,
    days: &[i32],
    scratch: &mut Scratch,
    f: &Forum,
) -> Vec<ForumId> {
    for (list, weight) in features(model, index, f) {
        for &other in nearest(list, f.id) {
            scratch.add(other, weight);
        }
    }
    let mut candidates: Vec<(u32, i64, ForumId)> = Vec::new();
    for &id in &scratch.touched {
        let score = u32::from(scratch.score[id.index()]);
        if id != f.id && score >= MIN_SCORE {
            candidates.push((score, distance(days, f.id, id), id));
        }
    }
    for &id in &scratch.touched {
        scratch.score[id.index()] = 0;
    }
    scratch.touched.clear();
    // Highest score first; then nearest in time; then the earlier forum. Only the best
    // few are wanted: select them (linear), then sort those.
    let order = |a: &(u32, i64, ForumId), b: &(u32, i64, ForumId)| {
        b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
    };
    if candidates.len() > SHOWN {
        candidates.select_nth_unstable_by(SHOWN - 1, order);
        candidates.truncate(SHOWN);
    }
    candidates.sort_unstable_by(order);
    candidates.into_iter().map(|(_, _, id)| id).collect()
}

/// Days between two forums; an undated forum is as far from everything as can be.
fn distance(days: &[i32], a: ForumId, b: ForumId) -> i64 {
    match (days[a.index()], days[b.index()]) {
        (UNDATED, _) | (_, UNDATED) => i64::MAX,
        (x, y) => (i64::from(x) - i64::from(y)).abs(),
    }
}

/// The forum lists of a forum's features with their weights; each feature once.
fn features<'m>(model: &'m Model, index: &'m Index, f: &Forum) -> Vec<(&'m [ForumId], u32)> {
    let mut out: Vec<(&[ForumId], u32)> = Vec::new();
    let mut speakers: Vec<_> = f.appearances.iter().map(|a| a.speaker).collect();
    speakers.sort_unstable();
    speakers.dedup();
    for s in speakers {
        out.push((&index.speakers[s.index()], SPEAKER));
    }
    let mut orgs: Vec<_> = f
        .organizers
        .iter()
        .chain(&f.partners)
        .copied()
        .chain(f.appearances.iter().filter_map(|a| a.organization))
        .collect();
    orgs.sort_unstable();
    orgs.dedup();
    for o in orgs {
        out.push((&index.organizations[o.index()], ORGANIZATION));
    }
    if let Some(s) = f.series {
        out.push((&model.series_of(s).forums, SERIES));
    }
    for &t in &f.topics {
        out.push((&model.topic(t).forums, TOPIC));
    }
    if let Some(c) = index.city_of[f.id.index()] {
        out.push((&index.cities[c], CITY));
    }
    out
}

/// All of a chronological list, or, if it is long, the `NEAREST` entries around `id`.
fn nearest(list: &[ForumId], id: ForumId) -> &[ForumId] {
    if list.len() <= NEAREST {
        return list;
    }
    let at = list.partition_point(|&x| x < id);
    let start = at.saturating_sub(NEAREST / 2).min(list.len() - NEAREST);
    &list[start..start + NEAREST]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_is_cut_around_the_forum() {
        let list: Vec<ForumId> = (0..1000).map(ForumId).collect();
        let near = nearest(&list, ForumId(500));
        assert_eq!(near.len(), NEAREST);
        assert!(near.contains(&ForumId(500)));
        assert_eq!(near[0], ForumId(500 - NEAREST as u32 / 2));
        assert_eq!(nearest(&list, ForumId(0))[0], ForumId(0));
        assert_eq!(nearest(&list, ForumId(999)).last(), Some(&ForumId(999)));
        assert_eq!(nearest(&list[..10], ForumId(3)).len(), 10);
    }
}
