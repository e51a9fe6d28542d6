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
    // A site with files only drafts link to: a report may now link one (built again).
    if old.front.draft || new.front.draft || old.file != new.file || !model.withheld.is_empty() {
        return None;
    }
    let index = model.forums.iter().position(|f| f.file == new.file)?;
    let (was, was_names) = read_alone(model, old)?;
    let (now, now_names) = read_alone(model, new)?;
    // Privacy settings rewrite the model as a whole (`crate::privacy`): a site with protected
    // people, or a report that now protects someone, is built again.
    let protects = |f: &Forum| f.appearances.iter().any(|a| a.privacy != Privacy::Public);
    if !model.redactions.is_empty() || protects(&was) || protects(&now) {
        return None;
    }
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

/// Put the forum of a new report `doc` into the model at its place in the chronology; every
/// later forum's id moves up by one. Returns its id, or `None` (and changes nothing) when
/// the report reaches beyond itself or has a problem: build the model again then.
///
/// What keeps this exact: the report must name only people, organizations, topics and a
/// series the site already has, each spelled as the site already names it (then where the
/// file sorts among the others cannot change a name: the first spelling stays the name),
/// must not protect anyone or live on a site with protected people, and must take an
/// address no forum has. Then a full build gives every entity as it is, with the new
/// forum added to its reverse edges, which `connect` makes again.
pub fn insert_report(model: &mut Model, doc: &Document<ReportFront>) -> Option<ForumId> {
    if doc.front.draft || !model.redactions.is_empty() || !model.withheld.is_empty() {
        return None;
    }
    if model.forums.iter().any(|f| f.file == doc.file) {
        return None;
    }
    let (mut forum, names) = read_alone(model, doc)?;
    if forum
        .appearances
        .iter()
        .any(|a| a.privacy != Privacy::Public)
        || !forum.unnamed.is_empty()
        || !forum.aliases.is_empty()
    {
        return None;
    }
    let taken = |path: &str| {
        model
            .forums
            .iter()
            .any(|f| f.path == path || f.aliases.iter().any(|a| a == path))
    };
    if taken(&forum.path) {
        return None;
    }
    // Each name, as the report alone numbered it, to the site's entity of that name.
    fn existing<'m, T>(
        entries: &[super::resolve::Entry],
        find: impl Fn(&str) -> Option<(T, &'m str)>,
    ) -> Option<Vec<T>> {
        entries
            .iter()
            .map(|e| {
                let (id, name) = find(&e.slug)?;
                (e.aliases.is_empty() && name == e.name).then_some(id)
            })
            .collect()
    }
    let site: &Model = model;
    let speakers = existing(&names.speakers, |slug| {
        let s = site.speakers.iter().find(|s| s.slug == slug)?;
        Some((s.id, s.name.as_str()))
    })?;
    let organizations = existing(&names.organizations, |slug| {
        let o = site.organizations.iter().find(|o| o.slug == slug)?;
        Some((o.id, o.name.as_str()))
    })?;
    let topics = existing(&names.topics, |slug| {
        let i = site.topics.iter().position(|t| t.slug == slug)?;
        Some((TopicId(i as u32), site.topics[i].name.as_str()))
    })?;
    let series = existing(&names.series, |slug| {
        let i = site.series.iter().position(|t| t.slug == slug)?;
        Some((SeriesId(i as u32), site.series[i].name.as_str()))
    })?;
    for a in &mut forum.appearances {
        a.speaker = speakers[a.speaker.index()];
        a.organization = a.organization.map(|o| organizations[o.index()]);
    }
    for o in forum.organizers.iter_mut().chain(forum.partners.iter_mut()) {
        *o = organizations[o.index()];
    }
    for t in &mut forum.topics {
        *t = topics[t.index()];
    }
    forum.series = forum.series.map(|s| series[s.index()]);
    let at = model
        .forums
        .partition_point(|f| f.sort_key() < forum.sort_key());
    model.forums.insert(at, forum);
    for (i, f) in model.forums.iter_mut().enumerate().skip(at) {
        f.id = ForumId(i as u32);
    }
    reconnect(model);
    Some(ForumId(at as u32))
}

/// Make the reverse edges again from the forums, as a full build does.
fn reconnect(model: &mut Model) {
    for s in &mut model.speakers {
        s.appearances.clear();
        s.organizations.clear();
    }
    for o in &mut model.organizations {
        o.organized.clear();
        o.partnered.clear();
        o.spoke_at.clear();
        o.people.clear();
        o.children.clear();
        o.unnamed_people = 0;
    }
    for t in model.topics.iter_mut().chain(model.series.iter_mut()) {
        t.forums.clear();
    }
    super::connect(model);
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
    let forum = build_forum(
        doc,
        doc.body.clone(),
        &model.site,
        model.today,
        &mut names,
        &mut diags,
    )?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Content, parse_document};
    use crate::model::{Today, build_model};
    use std::path::{Path, PathBuf};

    const ALPHA: &str = "---\ntitle: Alpha\ndate: 2025-03-01\nseries: Spring Talks\ntopics: [water]\norganizers: [Green Org]\nspeakers:\n  - name: Ann Lee\n    title: Director\n    organization: Green Org\n  - name: Bob Ray\n---\nFirst.\n";
    const BETA: &str = "---\ntitle: Beta\ndate: 2025-04-01\ntopics: [air, water]\nspeakers: [Bob Ray, Ann Lee]\n---\nSecond.\n";
    const GAMMA: &str = "---\ntitle: Gamma\ndate: 2025-05-01\nspeakers: [Ann Lee]\n---\n";

    fn report(name: &str, text: &str) -> Document<ReportFront> {
        let file = PathBuf::from(format!("content/forums/2025/{name}.md"));
        parse_document(&file, PathBuf::from(format!("2025/{name}.md")), text).unwrap()
    }

    fn model_of(alpha: &str) -> Model {
        let content = Content {
            reports: vec![
                report("alpha", alpha),
                report("beta", BETA),
                report("gamma", GAMMA),
            ],
            ..Content::default()
        };
        let today = Today::Fixed(jiff::civil::date(2025, 11, 1));
        build_model(content, today).unwrap().0
    }

    /// Update the model of the site with `ALPHA` to `edited`; if it applies, the result must
    /// be exactly the model a full build of the edited site gives.
    fn update(edited: &str) -> Option<ForumId> {
        let mut model = model_of(ALPHA);
        let id = update_report(
            &mut model,
            &report("alpha", ALPHA),
            &report("alpha", edited),
        )?;
        assert_eq!(format!("{model:?}"), format!("{:?}", model_of(edited)));
        Some(id)
    }

    #[test]
    fn edits_within_a_report_update_it_in_place() {
        let edits = [
            ALPHA.replace("First.", "A longer account of the day."),
            ALPHA.replace("title: Alpha", "title: Alpha, renamed"),
            ALPHA.replace("Director", "Chair"),
            ALPHA.replace("2025-03-01", "2025-03-02"),
            ALPHA.replace(
                "---\nFirst",
                "summary: Short.\nvenue: Town Hall\n---\nFirst",
            ),
        ];
        for edited in &edits {
            assert_eq!(update(edited), Some(ForumId(0)), "{edited}");
        }
    }

    #[test]
    fn edits_that_reach_other_entities_are_left_to_a_full_build() {
        let refused = [
            // Another person, organization, topic or series.
            ALPHA.replace("Bob Ray", "Carl Diaz"),
            ALPHA.replace("  - name: Bob Ray\n", ""),
            ALPHA.replace("organizers: [Green Org]", "organizers: [Blue Org]"),
            ALPHA.replace("[water]", "[water, air]"),
            ALPHA.replace("Spring Talks", "Autumn Talks"),
            // The same people in another order, or another spelling.
            ALPHA.replace("Ann Lee", "Ann LEE"),
            // Later than Beta: the chronology changes.
            ALPHA.replace("2025-03-01", "2025-04-15"),
            // Another address, a draft, a problem.
            ALPHA.replace("title: Alpha", "title: Alpha\nslug: alpha-2025"),
            ALPHA.replace("title: Alpha", "title: Alpha\ndraft: true"),
            ALPHA.replace("2025-03-01", "2025-13-01"),
        ];
        for edited in &refused {
            assert_eq!(update(edited), None, "{edited}");
        }
        // Reordered speakers change the reverse edges.
        let swapped = ALPHA.replace(
            "  - name: Ann Lee\n    title: Director\n    organization: Green Org\n  - name: Bob Ray\n",
            "  - name: Bob Ray\n  - name: Ann Lee\n    title: Director\n    organization: Green Org\n",
        );
        assert_eq!(update(&swapped), None);
    }

    /// The model of the site with `ALPHA` after `delta` (a new report) was inserted, if it
    /// can be; it must then be exactly the model of a full build of the four reports.
    fn insert(delta: &str) -> Option<ForumId> {
        let mut model = model_of(ALPHA);
        let id = insert_report(&mut model, &report("delta", delta))?;
        let content = Content {
            reports: vec![
                report("alpha", ALPHA),
                report("beta", BETA),
                report("delta", delta),
                report("gamma", GAMMA),
            ],
            ..Content::default()
        };
        let today = Today::Fixed(jiff::civil::date(2025, 11, 1));
        let full = build_model(content, today).unwrap().0;
        assert_eq!(format!("{model:?}"), format!("{full:?}"));
        Some(id)
    }

    #[test]
    fn a_new_report_naming_known_names_is_inserted_in_its_place() {
        let between = "---\ntitle: Delta\ndate: 2025-03-15\ntopics: [air]\nspeakers:\n  - name: Bob Ray\n    organization: Green Org\n---\nNew.\n";
        assert_eq!(insert(between), Some(ForumId(1)));
        let first =
            "---\ntitle: Delta\ndate: 2024-01-01\nseries: Spring Talks\nspeakers: [Ann Lee]\n---\n";
        assert_eq!(insert(first), Some(ForumId(0)));
        let announced = "---\ntitle: Delta\nstatus: announced\norganizers: [Green Org]\n---\n";
        assert_eq!(insert(announced), Some(ForumId(3)));
        let everything = "---\ntitle: Epsilon Round\ndate: 2025-03-15\nseries: Spring Talks\ntopics: [air, water]\norganizers: [Green Org]\nspeakers:\n  - name: Ann Lee\n    title: Chair\n    organization: Green Org\n  - name: Bob Ray\n---\nSee [Gamma](@/forums/2024/gamma.md).\n\n> Water belongs to everyone.\n>\n> — Ann Lee\n";
        assert_eq!(insert(everything), Some(ForumId(1)));
    }

    #[test]
    fn a_new_report_with_a_new_name_or_a_problem_is_left_to_a_full_build() {
        let refused = [
            "---\ntitle: Delta\ndate: 2025-03-15\nspeakers: [Carl Diaz]\n---\n",
            "---\ntitle: Delta\ndate: 2025-03-15\nspeakers: [Ann LEE]\n---\n",
            "---\ntitle: Delta\ndate: 2025-03-15\ntopics: [fire]\n---\n",
            "---\ntitle: Delta\ndate: 2025-03-15\nseries: Autumn Talks\n---\n",
            "---\ntitle: Delta\ndate: 2025-03-15\ndraft: true\n---\n",
            "---\ntitle: Delta\ndate: 2025-13-15\n---\n",
            "---\ntitle: Delta\ndate: 2025-03-15\nslug: alpha\n---\n",
        ];
        for delta in refused {
            let mut model = model_of(ALPHA);
            let before = format!("{model:?}");
            assert_eq!(
                insert_report(&mut model, &report("delta", delta)),
                None,
                "{delta}"
            );
            assert_eq!(format!("{model:?}"), before, "{delta}");
        }
    }

    #[test]
    fn only_a_report_of_the_model_is_updated() {
        let mut model = model_of(ALPHA);
        let stranger = parse_document(
            Path::new("content/forums/2025/delta.md"),
            "2025/delta.md".into(),
            GAMMA,
        )
        .unwrap();
        assert_eq!(update_report(&mut model, &stranger, &stranger), None);
    }
}
