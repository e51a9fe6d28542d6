//! Co-appearances: the people a speaker most often shares a stage with, and the
//! organizations an organization most often organizes or partners forums with.
//!
//! Both are counts of shared forums, found by following the model's edges from the entity's
//! own forums (never by comparing every pair of people): the work is the size of the
//! entity's forums' line-ups.

use crate::model::{ForumId, Model, Organization, OrganizationId, Speaker, SpeakerId};
use std::collections::HashMap;

/// How many co-speakers and partner organizations a page lists.
pub const SHOWN: usize = 10;

/// The people who share the most forums with `s`, with how many; most first, then by name.
pub fn often_with(model: &Model, s: &Speaker) -> Vec<(SpeakerId, u32)> {
    let mut counts: HashMap<SpeakerId, u32> = HashMap::new();
    let mut last: Option<ForumId> = None;
    for &(f, _) in &s.appearances {
        if last == Some(f) {
            continue;
        }
        last = Some(f);
        let mut others: Vec<SpeakerId> = model
            .forum(f)
            .appearances
            .iter()
            .map(|a| a.speaker)
            .filter(|&o| o != s.id)
            .collect();
        others.sort_unstable();
        others.dedup();
        for o in others {
            *counts.entry(o).or_default() += 1;
        }
    }
    top(counts, |id| model.speaker(id).slug.as_str())
}

/// The organizations that organized or partnered the most forums together with `o`.
pub fn works_with(model: &Model, o: &Organization) -> Vec<(OrganizationId, u32)> {
    let mut forums: Vec<ForumId> = o.organized.iter().chain(&o.partnered).copied().collect();
    forums.sort_unstable();
    forums.dedup();
    let mut counts: HashMap<OrganizationId, u32> = HashMap::new();
    for f in forums {
        let f = model.forum(f);
        let mut others: Vec<OrganizationId> = f
            .organizers
            .iter()
            .chain(&f.partners)
            .copied()
            .filter(|&x| x != o.id)
            .collect();
        others.sort_unstable();
        others.dedup();
        for x in others {
            *counts.entry(x).or_default() += 1;
        }
    }
    top(counts, |id| model.organization(id).slug.as_str())
}

fn top<'m, K: Copy>(counts: HashMap<K, u32>, slug: impl Fn(K) -> &'m str) -> Vec<(K, u32)> {
    let mut all: Vec<(K, u32)> = counts.into_iter().collect();
    all.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| slug(a.0).cmp(slug(b.0))));
    all.truncate(SHOWN);
    all
}
