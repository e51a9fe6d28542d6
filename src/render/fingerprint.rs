//! Fingerprints: a hash of everything a page can show, so that a page whose fingerprint is
//! the one it was last made with is not made again (`podium build` over an earlier output,
//! `serve` after a save).
//!
//! A fingerprint covers the page's own entity, the templates it uses, and, for every forum
//! it lists, what a list shows of that report (its front matter and its quotes; a forum's own
//! page covers the whole report) and the names of everyone and everything the report names. It does
//! not cover the rest of the site, so adding or deleting a report makes again only the pages
//! that list it (its speakers', organizations', topic, series and year pages, the forums it
//! is related to) and the site-wide pages, not all of them. Two things a page may show of the
//! whole site count only where they are shown: the site's counts (`site.counts`, when the
//! page's templates mention them) and the addresses of other pages (when the page's Markdown
//! has a link that is not to another site). What every page shows (the settings, "today",
//! who is protected, the images) is the base every fingerprint starts from.

use super::markdown::LinkIndex;
use super::pages::{Job, PageRenderer, job_template};
use crate::connections::Connections;
use crate::model::*;
use rayon::prelude::*;
use std::hash::{Hash, Hasher};
use xxhash_rust::xxh3::Xxh3Default;

/// What each forum, speaker, organization, topic and series shows wherever it is listed or
/// named, hashed once per model (see the module's comment).
pub(super) struct Shown {
    names: Names,
    /// What a page that lists a forum shows of it: its front matter and its quotes, not the
    /// rest of its text (`Names::listed_digest`). Editing a report's text outside its quotes
    /// therefore makes its own page again, not its speakers' and organizations' pages.
    listed: Vec<u64>,
}

/// The part of `Shown` that needs only the model and the link index, so that it is made
/// beside the connections (`Context::new`); `with_quotes` then adds what needs the quotes.
pub(super) struct Names {
    /// What a forum's own page shows of its report: all of it.
    forums: Vec<u64>,
    speakers: Vec<u64>,
    organizations: Vec<u64>,
    topics: Vec<u64>,
    series: Vec<u64>,
    /// Every address a Markdown link can resolve to.
    links: u64,
    /// Whether each forum's report has a link that may point into the site.
    links_inside: Vec<bool>,
}

impl Names {
    pub(super) fn new(model: &Model, links: &LinkIndex) -> Names {
        let labels = |slug: &str, name: &str| hash((slug, name));
        let mut names = Names {
            speakers: model
                .speakers
                .iter()
                .map(|s| hash((&s.slug, &s.name, s.listed, s.privacy)))
                .collect(),
            organizations: model
                .organizations
                .iter()
                .map(|o| hash((&o.slug, &o.name, o.kind.map(|k| k.as_str()))))
                .collect(),
            topics: model
                .topics
                .iter()
                .map(|t| labels(&t.slug, &t.name))
                .collect(),
            series: model
                .series
                .iter()
                .map(|t| labels(&t.slug, &t.name))
                .collect(),
            links: links_digest(links),
            links_inside: model
                .forums
                .par_iter()
                .map(|f| f.body.source.facts().internal_links)
                .collect(),
            forums: Vec::new(),
        };
        names.forums = model
            .forums
            .par_iter()
            .map(|f| names.forum_digest(f))
            .collect();
        names
    }

    /// Add what a page that lists each forum shows, now that `connections` found the quotes.
    pub(super) fn with_quotes(self, model: &Model, connections: &Connections) -> Shown {
        let listed = model
            .forums
            .par_iter()
            .map(|f| self.listed_digest(f, connections))
            .collect();
        Shown {
            names: self,
            listed,
        }
    }

    /// What the forum's own page shows of it: its whole report, the names it gives, and the
    /// site's addresses if its text may link to one of them.
    fn forum_digest(&self, f: &Forum) -> u64 {
        let mut h = Xxh3Default::new();
        (f.digest, &f.path, f.upcoming).hash(&mut h);
        self.names_of(f, &mut h);
        self.links_inside[f.id.index()]
            .then_some(self.links)
            .hash(&mut h);
        h.finish()
    }

    /// What a page that lists the forum shows of it: a list item (title, dates, place,
    /// summary: the front matter, with its translations), the names it gives, and its
    /// quotes (on its speakers' and organizations' pages: the words, who said them, and
    /// their place among the report's quotes, which the link to each quote counts). Nothing
    /// else of the report's text is shown where the forum is listed.
    fn listed_digest(&self, f: &Forum, connections: &Connections) -> u64 {
        let mut h = Xxh3Default::new();
        (f.front_digest, &f.path, f.upcoming).hash(&mut h);
        self.names_of(f, &mut h);
        for q in connections.quotes_of_forum(f.id) {
            (q.appearance, &q.paragraphs).hash(&mut h);
        }
        h.finish()
    }

    /// The names a forum gives, as shown.
    fn names_of(&self, f: &Forum, h: &mut Xxh3Default) {
        for a in &f.appearances {
            self.speakers[a.speaker.index()].hash(h);
            a.organization
                .map(|o| self.organizations[o.index()])
                .hash(h);
        }
        for o in f.organizers.iter().chain(&f.partners) {
            self.organizations[o.index()].hash(h);
        }
        for t in &f.topics {
            self.topics[t.index()].hash(h);
        }
        f.series.map(|s| self.series[s.index()]).hash(h);
    }

    /// The addresses of the site, if `text` has a link that may point into it.
    fn links_in(&self, text: &Markdown) -> Option<u64> {
        text.source.facts().internal_links.then_some(self.links)
    }
}

impl Shown {
    /// After `model::update_report` replaced this forum (its names are those it had) and
    /// `connections` took it in.
    pub(super) fn forum_changed(&mut self, model: &Model, id: ForumId, connections: &Connections) {
        let f = model.forum(id);
        let names = &mut self.names;
        names.links_inside[id.index()] = f.body.source.facts().internal_links;
        names.forums[id.index()] = names.forum_digest(f);
        self.listed[id.index()] = names.listed_digest(f, connections);
    }

    /// After `model::insert_report` put a forum at `id` and the link index took in its
    /// addresses (`added`, none of which it had): the forums whose reports link into the
    /// site see every address, so their digests are made again.
    pub(super) fn forum_inserted(
        &mut self,
        model: &Model,
        id: ForumId,
        added: &[(&String, &String)],
        connections: &Connections,
    ) {
        let names = &mut self.names;
        for pair in added {
            names.links = names.links.wrapping_add(hash(pair));
        }
        let f = model.forum(id);
        names
            .links_inside
            .insert(id.index(), f.body.source.facts().internal_links);
        names.forums.insert(id.index(), 0);
        self.listed
            .insert(id.index(), names.listed_digest(f, connections));
        for (i, f) in model.forums.iter().enumerate() {
            if names.links_inside[i] || i == id.index() {
                names.forums[i] = names.forum_digest(f);
            }
        }
    }
}

pub(super) fn hash(value: impl Hash) -> u64 {
    let mut h = Xxh3Default::new();
    value.hash(&mut h);
    h.finish()
}

/// The link targets, in no particular order (each pair hashed alone, then summed).
fn links_digest(links: &LinkIndex) -> u64 {
    let pages = links
        .pages
        .par_iter()
        .map(hash)
        .reduce(|| 0, u64::wrapping_add);
    let files = links
        .files
        .iter()
        .map(|f| hash((1u8, f)))
        .fold(0, u64::wrapping_add);
    pages.wrapping_add(files)
}

/// Whether Markdown `text` may link to a page or file of this site: some link's target is
/// not plainly another site's (`https:`, `http:`, `mailto:`, `tel:`) or a fragment. A quick
/// scan, erring towards yes: a page it says yes for only depends on more.
pub(crate) fn has_internal_links(text: &str) -> bool {
    let bytes = text.as_bytes();
    text.match_indices(']').any(|(i, _)| {
        let rest = &bytes[i + 1..];
        let target = match rest.first() {
            Some(b'(') | Some(b':') => &rest[1..],
            _ => return false,
        };
        let start = target
            .iter()
            .position(|b| !b.is_ascii_whitespace() && *b != b'<')
            .unwrap_or(target.len());
        let target = &target[start..];
        let external = ["https://", "http://", "mailto:", "tel:", "#"]
            .iter()
            .any(|scheme| {
                target.len() >= scheme.len()
                    && target[..scheme.len()].eq_ignore_ascii_case(scheme.as_bytes())
            });
        !external
    })
}

/// What the site-wide files show of the site but the reports' bodies: `base` (see
/// `structure_digest`, with the images and the language), the theme (its words are in the
/// feeds and the search index), and the model but for its texts
/// (`Model::digest_without_bodies`). What a part takes from the bodies (quotes, the words of
/// each report) is added by `site_wide`.
pub(super) fn site_digest(model: &Model, theme: &super::theme::Theme, base: u64) -> u64 {
    hash((base, theme.digest, model.digest_without_bodies()))
}

/// The fingerprint of the files of a site-wide `part`: the `site` digest and what the part
/// takes from the reports' bodies (`from_bodies`).
pub(super) fn site_wide(site: u64, part: super::SiteWide, from_bodies: u64) -> u64 {
    hash((site, format!("{part:?}"), from_bodies))
}

/// Everything every page shows of the site: Podium itself, the settings, "today", who is
/// protected, and which plain pages and static files exist. (Templates are not in it: each
/// page's fingerprint has the templates that page uses.)
pub(super) fn structure_digest(model: &Model) -> u64 {
    let mut h = Xxh3Default::new();
    (
        super::podium_identity(),
        model.site.digest,
        model.redactions.digest,
        model.today.to_string(),
    )
        .hash(&mut h);
    for p in &model.pages {
        (&p.path, &p.title).hash(&mut h);
    }
    for a in &model.assets {
        a.output.hash(&mut h);
    }
    h.finish()
}

impl PageRenderer<'_> {
    /// The fingerprint of `job`'s page with structure digest `base`; `None` for the pages
    /// that show the whole site (home, indexes, search, 404), which are kept or made together
    /// as one site-wide part (`site_wide`).
    pub(super) fn fingerprint(&self, job: Job, base: u64) -> Option<u64> {
        let m = self.model;
        let listed = &self.shown.listed;
        let shown = &self.shown.names;
        if let Job::More(l, page) = job {
            // A later page shows part of what its first page's fingerprint covers.
            let first = self.first_fingerprint(l, base)?;
            return Some(hash((first, page)));
        }
        let mut h = Xxh3Default::new();
        let template = job_template(job);
        (base, self.theme.digest_of(template)).hash(&mut h);
        if self.theme.shows_counts(template) {
            (
                m.forums.len(),
                m.speakers.len(),
                m.organizations.len(),
                m.topics.len(),
                m.series.len(),
            )
                .hash(&mut h);
        }
        // Every page but a forum's own shows the forums it lists as `Names::listed_digest`
        // says.
        let forum = |h: &mut Xxh3Default, id: ForumId| listed[id.index()].hash(h);
        match job {
            Job::Forum(id) => {
                shown.forums[id.index()].hash(&mut h);
                // Its related forums show as list items.
                for &r in self.connections.related(id) {
                    forum(&mut h, r);
                }
            }
            Job::Speaker(id) => {
                let s = m.speaker(id);
                let bio = s.bio.as_ref().and_then(|b| shown.links_in(b));
                (1u8, shown.speakers[id.index()], &s.aliases, s.digest, bio).hash(&mut h);
                for &(f, i) in &s.appearances {
                    forum(&mut h, f);
                    i.hash(&mut h);
                }
            }
            Job::Organization(id) => {
                let o = m.organization(id);
                let description = o.description.as_ref().and_then(|d| shown.links_in(d));
                let own = shown.organizations[id.index()];
                (2u8, own, &o.aliases, o.digest, description).hash(&mut h);
                o.parent
                    .map(|p| shown.organizations[p.index()])
                    .hash(&mut h);
                // Each child organization is listed with its count of forums and years.
                for &c in &o.children {
                    shown.organizations[c.index()].hash(&mut h);
                    for f in m.organization(c).forums() {
                        forum(&mut h, f);
                    }
                }
                (3u8, o.organized.len(), o.partnered.len()).hash(&mut h);
                for f in o.forums() {
                    forum(&mut h, f);
                }
                for &(f, i) in &o.spoke_at {
                    (listed[f.index()], i).hash(&mut h);
                }
            }
            Job::Topic(id) => {
                (4u8, shown.topics[id.index()]).hash(&mut h);
                m.topic(id).forums.iter().for_each(|&f| forum(&mut h, f));
            }
            Job::Series(id) => {
                (5u8, shown.series[id.index()]).hash(&mut h);
                let forums = &m.series_of(id).forums;
                forums.iter().for_each(|&f| forum(&mut h, f));
            }
            Job::Year(y) => {
                // Its neighbours are linked: every year counts.
                (6u8, y).hash(&mut h);
                for (year, ids) in self.years {
                    year.hash(&mut h);
                    if *year == y {
                        ids.iter().for_each(|&f| forum(&mut h, f));
                    }
                }
            }
            Job::Page(i) => {
                let p = &m.pages[i];
                (7u8, p.digest, shown.links_in(&p.body)).hash(&mut h);
            }
            Job::Home
            | Job::Forums
            | Job::Speakers
            | Job::Organizations
            | Job::Topics
            | Job::SeriesIndex
            | Job::NotFound
            | Job::Search
            | Job::More(..) => return None,
        }
        Some(h.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::has_internal_links;

    #[test]
    fn internal_links_are_told_from_other_sites() {
        assert!(!has_internal_links("No links [at all]."));
        assert!(!has_internal_links(
            "[a](https://example.org) [b](HTTP://x) [c](#top)"
        ));
        assert!(!has_internal_links(
            "[m](mailto:a@b.org)\n\n[ref]: https://example.org"
        ));
        assert!(has_internal_links("[a](@/forums/2025/x.md)"));
        assert!(has_internal_links("[a]( ../x.md)"));
        assert!(has_internal_links("![p](photo.jpg)"));
        assert!(has_internal_links("[ref]: <@/speakers/x>"));
        assert!(has_internal_links("[a](/about/)"));
    }
}
