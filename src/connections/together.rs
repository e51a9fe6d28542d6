//! Co-appearances: the people a speaker most often shares a stage with, and the
//! organizations an organization most often organizes or partners forums with.
//!
//! Both are counts of shared forums, found by following the model's edges from the entity's
//! own forums (never by comparing every pair of people): the work is the size of the
//! entity's forums' line-ups.

use crate::model::{ForumId, Model, Organization, OrganizationId, Speaker, SpeakerId};

/// How many co-speakers and partner organizations a page lists.
pub const SHOWN: usize = 10;

/// The people who share the most forums with `s`, with how many; most first, then by name.
pub fn often_with(model: &Model, s: &Speaker) -> Vec<(SpeakerId, u32)> {
    // People shown as initials neither have nor appear in such lists (docs/privacy.md).
    if !s.listed {
        return Vec::new();
    }
    let mut all: Vec<SpeakerId> = Vec::new();
    let mut last: Option<ForumId> = None;
    for &(f, _) in &s.appearances {
        if last == Some(f) {
            continue;
        }
        last = Some(f);
        let start = all.len();
        all.extend(
            model
                .forum(f)
                .appearances
                .iter()
                .map(|a| a.speaker)
                .filter(|&o| o != s.id && model.speaker(o).listed),
        );
        // Each person once per forum, however many parts they had in it.
        let mut this: Vec<SpeakerId> = all.split_off(start);
        this.sort_unstable();
        this.dedup();
        all.extend(this);
    }
    top(all, |id| model.speaker(id).slug.as_str())
}

/// The organizations that organized or partnered the most forums together with `o`.
pub fn works_with(model: &Model, o: &Organization) -> Vec<(OrganizationId, u32)> {
    let mut forums: Vec<ForumId> = o.organized.iter().chain(&o.partnered).copied().collect();
    forums.sort_unstable();
    forums.dedup();
    let mut all: Vec<OrganizationId> = Vec::new();
    for f in forums {
        let f = model.forum(f);
        let mut this: Vec<OrganizationId> = f
            .organizers
            .iter()
            .chain(&f.partners)
            .copied()
            .filter(|&x| x != o.id)
            .collect();
        this.sort_unstable();
        this.dedup();
        all.extend(this);
    }
    top(all, |id| model.organization(id).slug.as_str())
}

/// Count equal ids (sorting, then counting runs: no hashing) and keep the `SHOWN` most
/// frequent, ties by slug.
fn top<'m, K: Copy + Ord>(mut all: Vec<K>, slug: impl Fn(K) -> &'m str) -> Vec<(K, u32)> {
    all.sort_unstable();
    let mut counts: Vec<(K, u32)> = Vec::new();
    for k in all {
        match counts.last_mut() {
            Some((last, n)) if *last == k => *n += 1,
            _ => counts.push((k, 1)),
        }
    }
    counts.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| slug(a.0).cmp(slug(b.0))));
    counts.truncate(SHOWN);
    counts
}
