//! Updating a model in place after one report changed, for `serve`: a save that only
//! rewrites a report's text, title, times or the titles people held then (the common case
//! while writing) needs no new model, just that forum replaced.
//!
//! The rule that keeps this exact: a full build registers names in file order, and the
//! first spelling of a name becomes the entity's name. If the report, read alone, mentions
//! the same names with the same spellings in the same order as before, keeps its address,
//! its year, its place in the chronology and whether it is upcoming, then the full build
//! would give every other forum, speaker, organization, topic and series exactly as they
//! are, and this forum as the report now says. Anything else is left to the full build.

use super::entities::*;
use super::forum::{Names, build_forum};
use super::resolve::Registry;
use crate::diagnostic::Diagnostics;
use crate::load::Document;
use crate::load::documents::ReportFront;

/// Replace the forum of the report `old` with what `new` (the same file, read again) says.
/// Returns the forum's id, or `None` (and changes nothing) when the change reaches beyond
/// this forum or the report has a problem: build the model again then.
pub fn update_report(
    model: &mut Model,
    old: &Document<ReportFront>,
    new: &Document<ReportFront>,
) -> Option<ForumId> {
    if old.front.draft || new.front.draft || old.file != new.file {
        return None;
    }
    let index = model.forums.iter().position(|f| f.file == new.file)?;
    let (was, was_names) = read_alone(model, old)?;
    let (now, now_names) = read_alone(model, new)?;
    let current = &model.forums[index];
    let same_shape = was_names == now_names
        && links(&was) == links(&now)
        && now.path == current.path
        && now.aliases == current.aliases
        && now.upcoming == current.upcoming
        && now.year() == current.year()
        && now.start.is_none() == current.start.is_none();
    if !same_shape {
        return None;
    }
    // Its neighbours in the chronology stay its neighbours, so no id moves.
    let key = now.sort_key();
    let after_previous = index == 0 || model.forums[index - 1].sort_key() < key;
    let before_next = model
        .forums
        .get(index + 1)
        .is_none_or(|next| key < next.sort_key());
    if !(after_previous && before_next) {
        return None;
    }
    // The report alone numbered its names from 0; the same positions in the current forum
    // hold their ids in the whole site.
    let ids = Translation::between(&was, current)?;
    let mut forum = now;
    forum.id = ForumId(index as u32);
    for a in &mut forum.appearances {
        a.speaker = ids.speakers[a.speaker.index()];
        a.organization = a.organization.map(|o| ids.organizations[o.index()]);
    }
    for o in forum.organizers.iter_mut().chain(forum.partners.iter_mut()) {
        *o = ids.organizations[o.index()];
    }
    for t in &mut forum.topics {
        *t = ids.topics[t.index()];
    }
    forum.series = forum.series.map(|s| ids.series[s.index()]);
    model.forums[index] = forum;
    Some(ForumId(index as u32))
}

/// The names a report registers, in the order it registers them.
#[derive(PartialEq)]
struct Registered {
    speakers: Vec<super::resolve::Entry>,
    organizations: Vec<super::resolve::Entry>,
    topics: Vec<super::resolve::Entry>,
    series: Vec<super::resolve::Entry>,
}

/// A report as if it were the only one, or `None` if it has any problem.
fn read_alone(model: &Model, doc: &Document<ReportFront>) -> Option<(Forum, Registered)> {
    let mut speakers = Registry::default();
    let mut organizations = Registry::default();
    let mut topics = Registry::default();
    let mut series = Registry::default();
    let mut names = Names {
        speakers: &mut speakers,
        organizations: &mut organizations,
        topics: &mut topics,
        series: &mut series,
    };
    let mut diags = Diagnostics::new();
    let forum = build_forum(doc, &model.site, model.today, &mut names, &mut diags)?;
    if !diags.is_empty() {
        return None;
    }
    let registered = Registered {
        speakers: speakers.entries,
        organizations: organizations.entries,
        topics: topics.entries,
        series: series.entries,
    };
    Some((forum, registered))
}

/// Every edge a forum makes to other entities, in order (what `connect` turns into the
/// reverse edges).
#[allow(clippy::type_complexity)]
fn links(
    f: &Forum,
) -> (
    Vec<(SpeakerId, Option<OrganizationId>)>,
    &[OrganizationId],
    &[OrganizationId],
    &[TopicId],
    Option<SeriesId>,
) {
    (
        f.appearances
            .iter()
            .map(|a| (a.speaker, a.organization))
            .collect(),
        &f.organizers,
        &f.partners,
        &f.topics,
        f.series,
    )
}

/// From the ids a report read alone gives its names to their ids in the whole site.
struct Translation {
    speakers: Vec<SpeakerId>,
    organizations: Vec<OrganizationId>,
    topics: Vec<TopicId>,
    series: Vec<SeriesId>,
}

impl Translation {
    fn between(alone: &Forum, site: &Forum) -> Option<Translation> {
        fn put<T: Copy>(table: &mut Vec<Option<T>>, local: usize, global: T) {
            if table.len() <= local {
                table.resize(local + 1, None);
            }
            table[local] = Some(global);
        }
        let (mut speakers, mut organizations, mut topics, mut series) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (a, b) in alone.appearances.iter().zip(&site.appearances) {
            put(&mut speakers, a.speaker.index(), b.speaker);
            if let (Some(x), Some(y)) = (a.organization, b.organization) {
                put(&mut organizations, x.index(), y);
            }
        }
        let orgs = |f: &Forum| {
            f.organizers
                .iter()
                .chain(&f.partners)
                .copied()
                .collect::<Vec<_>>()
        };
        for (x, y) in orgs(alone).into_iter().zip(orgs(site)) {
            put(&mut organizations, x.index(), y);
        }
        for (x, y) in alone.topics.iter().zip(&site.topics) {
            put(&mut topics, x.index(), *y);
        }
        if let (Some(x), Some(y)) = (alone.series, site.series) {
            put(&mut series, x.index(), y);
        }
        // Every name a report registers occurs in its forum, so no slot stays empty.
        Some(Translation {
            speakers: speakers.into_iter().collect::<Option<_>>()?,
            organizations: organizations.into_iter().collect::<Option<_>>()?,
            topics: topics.into_iter().collect::<Option<_>>()?,
            series: series.into_iter().collect::<Option<_>>()?,
        })
    }
}
