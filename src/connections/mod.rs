//! Connections: what the archive shows between its entities, beyond who took part in what.
//! Who said what (quotes attributed in report bodies), which forums belong together (related
//! forums), what posts a person held over the years (careers), and who keeps appearing with
//! whom (co-appearances, organizations working together).
//!
//! Derived from a finished `Model` by one entry point, `Connections::new`, after the model
//! and before rendering, so the model stays the plain resolved input and every page reads
//! its connections by id. Pure: no I/O but in `kept`, where a build keeps the connections
//! drawn from the front matter (`Drawn`) for the next one, which takes them when no front
//! matter changed. How each connection is drawn, with the weights of related forums, is in
//! docs/connections.md.

pub mod careers;
pub mod kept;
pub mod quotes;
pub mod related;
pub mod together;

use crate::diagnostic::Diagnostic;
use crate::model::{ForumId, Model, OrganizationId, SpeakerId};
pub use careers::Career;
pub use quotes::Quote;
use rayon::prelude::*;

/// Every connection of a site, by entity id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Connections {
    /// Every quote, in forum order, then in order within the report.
    pub quotes: Vec<Quote>,
    /// Indexes into `quotes`: each forum's (in report order), each speaker's and each
    /// organization's (newest forum first).
    pub forum_quotes: Vec<Vec<usize>>,
    pub speaker_quotes: Vec<Vec<usize>>,
    pub organization_quotes: Vec<Vec<usize>>,
    /// Attributions that name none of the report's speakers, by forum (see `quotes`).
    pub unattributed: Vec<Vec<Diagnostic>>,
    /// Up to `related::SHOWN` related forums of each forum, best first.
    pub related: Vec<Vec<ForumId>>,
    /// Each speaker's positions, most recent first.
    pub careers: Vec<Vec<Career>>,
    /// Each speaker's most frequent co-speakers, with the number of shared forums.
    pub often_with: Vec<Vec<(SpeakerId, u32)>>,
    /// Each organization's most frequent co-organizers and partners, with counts.
    pub works_with: Vec<Vec<(OrganizationId, u32)>>,
    /// What each forum's related forums depend on beyond its names (see `forum_changed`).
    related_inputs: Vec<related::Inputs>,
}

/// Quotes with their indexes by forum, speaker and organization.
type Indexed = (
    Vec<Quote>,
    Vec<Vec<usize>>,
    Vec<Vec<usize>>,
    Vec<Vec<usize>>,
    Vec<Vec<Diagnostic>>,
);

/// Gather every forum's quotes (in forum order) and index them.
fn index_quotes(model: &Model, found: Vec<(Vec<Quote>, Vec<Diagnostic>)>) -> Indexed {
    let mut all = Vec::new();
    let mut forum_quotes = Vec::with_capacity(found.len());
    let mut unattributed = Vec::with_capacity(found.len());
    for (quotes, warnings) in found {
        forum_quotes.push((all.len()..all.len() + quotes.len()).collect());
        all.extend(quotes);
        unattributed.push(warnings);
    }
    let mut speaker_quotes = vec![Vec::new(); model.speakers.len()];
    let mut organization_quotes = vec![Vec::new(); model.organizations.len()];
    // Newest first: forums are chronological, so walk the quotes backwards.
    for (i, q) in all.iter().enumerate().rev() {
        speaker_quotes[q.speaker.index()].push(i);
        if let Some(o) = model.forum(q.forum).appearances[q.appearance].organization {
            organization_quotes[o.index()].push(i);
        }
    }
    // Within one forum, keep the report's order.
    for list in speaker_quotes
        .iter_mut()
        .chain(organization_quotes.iter_mut())
    {
        list.sort_by_key(|&i| (std::cmp::Reverse(all[i].forum), i));
    }
    (
        all,
        forum_quotes,
        speaker_quotes,
        organization_quotes,
        unattributed,
    )
}

/// The connections drawn from the front matter alone (all but the quotes), with the digest
/// of the model they were drawn from (`Drawn::key`): what a build keeps for the next.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Drawn {
    pub key: u64,
    pub related: Vec<Vec<ForumId>>,
    pub careers: Vec<Vec<Career>>,
    pub often_with: Vec<Vec<(SpeakerId, u32)>>,
    pub works_with: Vec<Vec<(OrganizationId, u32)>>,
}

impl Drawn {
    /// A digest of everything related forums, careers and co-appearances are drawn from:
    /// Podium itself and the model but for its texts (`Model::digest_without_bodies`).
    pub fn key(model: &Model) -> u64 {
        xxhash_rust::xxh3::xxh3_64(
            format!(
                "{} {:016x}",
                crate::render::podium_identity(),
                model.digest_without_bodies()
            )
            .as_bytes(),
        )
    }

    /// Those of `shown`, the same model in another language (`i18n::localize`), from these,
    /// drawn from `original`: the same related forums and co-appearances, the same ranges
    /// of posts, the posts' titles translated. (Drawn again from the translated model, a post
    /// would split wherever its reports' translations differ, and related forums would
    /// depend on which reports spell their city in this language.)
    pub fn in_language(&self, original: &Model, shown: &Model) -> Drawn {
        Drawn {
            key: Drawn::key(shown),
            related: self.related.clone(),
            careers: original
                .speakers
                .par_iter()
                .map(|s| careers::careers_in(original, shown, s))
                .collect(),
            often_with: self.often_with.clone(),
            works_with: self.works_with.clone(),
        }
    }

    /// `earlier` if it was drawn from this `model`, else drawn anew.
    pub fn of<'a>(model: &Model, earlier: Option<&'a Drawn>) -> std::borrow::Cow<'a, Drawn> {
        match earlier {
            Some(drawn) if drawn.key == Drawn::key(model) => std::borrow::Cow::Borrowed(drawn),
            _ => std::borrow::Cow::Owned(Drawn::new(model)),
        }
    }

    /// Draw them from `model`.
    fn new(model: &Model) -> Drawn {
        let ((related, careers), (often_with, works_with)) = rayon::join(
            || {
                rayon::join(
                    || related::related(model),
                    || {
                        model
                            .speakers
                            .par_iter()
                            .map(|s| careers::careers(model, s))
                            .collect()
                    },
                )
            },
            || {
                rayon::join(
                    || {
                        model
                            .speakers
                            .par_iter()
                            .map(|s| together::often_with(model, s))
                            .collect()
                    },
                    || {
                        model
                            .organizations
                            .par_iter()
                            .map(|o| together::works_with(model, o))
                            .collect()
                    },
                )
            },
        );
        Drawn {
            key: Drawn::key(model),
            related,
            careers,
            often_with,
            works_with,
        }
    }
}

impl Connections {
    pub fn new(model: &Model) -> Connections {
        Connections::reusing(model, None)
    }

    /// `new`, taking what `earlier` drew when it was drawn from the same front matter.
    pub fn reusing(model: &Model, earlier: Option<Drawn>) -> Connections {
        let (found, drawn) = rayon::join(
            || {
                model
                    .forums
                    .par_iter()
                    .map(|f| quotes::find(model, f))
                    .collect::<Vec<(Vec<Quote>, Vec<Diagnostic>)>>()
            },
            || match earlier {
                Some(drawn) if drawn.key == Drawn::key(model) => drawn,
                _ => Drawn::new(model),
            },
        );
        let (all, forum_quotes, speaker_quotes, organization_quotes, unattributed) =
            index_quotes(model, found);
        Connections {
            quotes: all,
            forum_quotes,
            speaker_quotes,
            organization_quotes,
            unattributed,
            related: drawn.related,
            careers: drawn.careers,
            often_with: drawn.often_with,
            works_with: drawn.works_with,
            related_inputs: model.forums.iter().map(related::inputs).collect(),
        }
    }

    /// What the next build may take (see `Drawn`); the connections are left without it.
    pub fn take_drawn(&mut self, model: &Model) -> Drawn {
        Drawn {
            key: Drawn::key(model),
            related: std::mem::take(&mut self.related),
            careers: std::mem::take(&mut self.careers),
            often_with: std::mem::take(&mut self.often_with),
            works_with: std::mem::take(&mut self.works_with),
        }
    }

    /// Take in a forum that `model::update_report` replaced in place (the same names and
    /// edges, the same place in the chronology): its quotes, and its speakers' careers and
    /// co-speakers, are drawn again; related forums of the whole site only if its city or
    /// date changed (its other features are its names). Much cheaper than `new` on a large
    /// site, for `serve`. Returns the forums whose related forums changed.
    pub fn forum_changed(&mut self, model: &Model, id: ForumId) -> Vec<ForumId> {
        let f = model.forum(id);
        let mut found = self.take_quotes(|q| q);
        found[id.index()] = quotes::find(model, f);
        self.index_quotes(model, found);
        for a in &f.appearances {
            let s = model.speaker(a.speaker);
            self.careers[s.id.index()] = careers::careers(model, s);
            self.often_with[s.id.index()] = together::often_with(model, s);
        }
        let inputs = related::inputs(f);
        if inputs == self.related_inputs[id.index()] {
            return Vec::new();
        }
        self.related_inputs[id.index()] = inputs;
        let before = std::mem::replace(&mut self.related, related::related(model));
        (0..self.related.len())
            .filter(|&i| before.get(i) != self.related.get(i))
            .map(|i| ForumId(i as u32))
            .collect()
    }

    /// Take in a forum that `model::insert_report` put at `id` (every later forum's id moved
    /// up by one; it names only entities that were there): the quotes are indexed again with
    /// its own, the careers and co-speakers of its speakers and the partners of its
    /// organizations drawn again, every other career's forums renumbered, and the related
    /// forums drawn again of the forums it can change (`related::after_insert`).
    /// Returns the forums whose related forums changed (by their new ids).
    pub fn forum_inserted(&mut self, model: &Model, id: ForumId) -> Vec<ForumId> {
        let moved = |f: ForumId| {
            if f >= id { ForumId(f.0 + 1) } else { f }
        };
        let f = model.forum(id);
        let mut found = self.take_quotes(|mut q| {
            q.forum = moved(q.forum);
            q
        });
        found.insert(id.index(), quotes::find(model, f));
        self.index_quotes(model, found);
        for career in self.careers.iter_mut().flatten() {
            career.forums.iter_mut().for_each(|f| *f = moved(*f));
        }
        for a in &f.appearances {
            let s = model.speaker(a.speaker);
            self.careers[s.id.index()] = careers::careers(model, s);
            self.often_with[s.id.index()] = together::often_with(model, s);
        }
        let organizations = f
            .organizers
            .iter()
            .chain(&f.partners)
            .copied()
            .chain(f.appearances.iter().filter_map(|a| a.organization));
        for o in organizations {
            self.works_with[o.index()] = together::works_with(model, model.organization(o));
        }
        self.related_inputs.insert(id.index(), related::inputs(f));
        for list in &mut self.related {
            list.iter_mut().for_each(|f| *f = moved(*f));
        }
        self.related.insert(id.index(), Vec::new());
        let fresh = related::after_insert(model, id);
        let mut changed = Vec::new();
        for (forum, list) in fresh {
            let slot = &mut self.related[forum.index()];
            if *slot != list {
                *slot = list;
                changed.push(forum);
            }
        }
        changed
    }

    /// Index the quotes again from every forum's (see `take_quotes`).
    fn index_quotes(&mut self, model: &Model, found: Vec<(Vec<Quote>, Vec<Diagnostic>)>) {
        (
            self.quotes,
            self.forum_quotes,
            self.speaker_quotes,
            self.organization_quotes,
            self.unattributed,
        ) = index_quotes(model, found);
    }

    /// Every forum's quotes (through `each`) and warnings, taken out to be indexed again.
    /// Each forum's quotes are a run of `quotes`, in forum order: moved, not copied (at
    /// 10,000 reports copying them took 25 ms of a 50 ms save).
    fn take_quotes(&mut self, each: impl Fn(Quote) -> Quote) -> Vec<(Vec<Quote>, Vec<Diagnostic>)> {
        let mut kept = std::mem::take(&mut self.quotes).into_iter();
        self.forum_quotes
            .iter()
            .zip(std::mem::take(&mut self.unattributed))
            .map(|(own, warnings)| {
                let quotes = kept.by_ref().take(own.len()).map(&each).collect();
                (quotes, warnings)
            })
            .collect()
    }

    /// The warnings about the quotes of a forum's report (attributions naming nobody).
    pub fn unattributed(&self, id: ForumId) -> &[Diagnostic] {
        self.unattributed.get(id.index()).map_or(&[], Vec::as_slice)
    }

    pub fn related(&self, id: ForumId) -> &[ForumId] {
        self.related.get(id.index()).map_or(&[], Vec::as_slice)
    }

    /// The quotes of a forum's report, in report order.
    pub fn quotes_of_forum(&self, id: ForumId) -> impl Iterator<Item = &Quote> {
        self.forum_quotes
            .get(id.index())
            .into_iter()
            .flatten()
            .map(|&i| &self.quotes[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::documents::ReportFront;
    use crate::load::{Content, Document, parse_document};
    use crate::model::{Today, build_model, update_report};
    use std::path::PathBuf;

    const A: &str = "---\ntitle: A\ndate: 2025-03-01\ncity: Baku\ntopics: [water]\nspeakers:\n  - name: Ann Lee\n    title: Director\n    organization: Green Org\n  - name: Bob Ray\n---\n> Words.\n> — Ann Lee\n";
    const B: &str = "---\ntitle: B\ndate: 2025-04-01\ncity: Baku\ntopics: [water]\nspeakers: [Bob Ray, Ann Lee]\n---\n";
    const C: &str =
        "---\ntitle: C\ndate: 2025-05-01\ncity: Ganja\ntopics: [water]\nspeakers: [Ann Lee]\n---\n";
    /// Related to A only once A is in Ganja too.
    const D: &str = "---\ntitle: D\ndate: 2025-06-01\ncity: Ganja\ntopics: [water]\n---\n";

    fn report(name: &str, text: &str) -> Document<ReportFront> {
        let file = PathBuf::from(format!("content/forums/{name}.md"));
        parse_document(&file, PathBuf::from(format!("{name}.md")), text).unwrap()
    }

    fn model(a: &str) -> crate::model::Model {
        let reports = vec![
            report("a", a),
            report("b", B),
            report("c", C),
            report("d", D),
        ];
        let content = Content {
            reports,
            ..Content::default()
        };
        build_model(content, Today::Fixed(jiff::civil::date(2025, 11, 1)))
            .unwrap()
            .0
    }

    /// After an in-place edit, the connections taken in step by step are those a full
    /// build draws.
    #[test]
    fn a_forum_changed_in_place_gives_what_a_full_build_gives() {
        let edits = [
            A.replace("Words.", "Other words.\n>\n> And more."),
            A.replace("title: Director", "title: Chair"),
            A.replace("city: Baku", "city: Ganja"),
            A.replace("2025-03-01", "2025-03-20"),
            A.replace("— Ann Lee", "— Ann Leigh"),
        ];
        for edited in &edits {
            let mut m = model(A);
            let mut connections = Connections::new(&m);
            let id = update_report(&mut m, &report("a", A), &report("a", edited))
                .unwrap_or_else(|| panic!("not an in-place edit: {edited}"));
            let moved = connections.forum_changed(&m, id);
            assert_eq!(connections, Connections::new(&m), "{edited}");
            if edited.contains("Ganja") {
                assert!(moved.contains(&id), "A now relates to D");
            }
        }
    }

    /// After a new report is put into the chronology, the connections taken in step by step
    /// are those a full build draws, also where long feature lists are cut around a forum.
    #[test]
    fn a_forum_inserted_gives_what_a_full_build_gives() {
        let many: Vec<Document<ReportFront>> = (0..120)
            .map(|i| {
                let speaker = if i % 3 == 0 { "Ann Lee" } else { "Bob Ray" };
                let text = format!(
                    "---\ntitle: F{i}\ndate: 2020-01-01T{:02}:{:02}:00\ncity: Baku\ntopics: [water]\nspeakers:\n  - name: {speaker}\n    organization: Green Org\n---\n> Said {i}.\n> — {speaker}\n",
                    i / 60,
                    i % 60
                );
                report(&format!("f{i:03}"), &text)
            })
            .collect();
        for (when, quote) in [
            ("2019-06-01", true),
            ("2020-01-01T00:59:30", false),
            ("2021-01-01", true),
        ] {
            let content = Content {
                reports: many.clone(),
                ..Content::default()
            };
            let today = Today::Fixed(jiff::civil::date(2025, 11, 1));
            let mut m = build_model(content, today).unwrap().0;
            let mut connections = Connections::new(&m);
            let said = if quote {
                "> New words.\n> — Ann Lee\n"
            } else {
                ""
            };
            let new = report(
                "new",
                &format!(
                    "---\ntitle: New\ndate: {when}\ncity: Baku\ntopics: [water]\nspeakers: [Ann Lee]\n---\n{said}"
                ),
            );
            let id = crate::model::insert_report(&mut m, &new).expect("an insertable report");
            let moved = connections.forum_inserted(&m, id);
            assert_eq!(connections, Connections::new(&m), "{when}");
            assert!(moved.contains(&id), "{when}");
        }
    }
}
