//! Connections: what the archive shows between its entities, beyond who took part in what.
//! Who said what (quotes attributed in report bodies), which forums belong together (related
//! forums), what posts a person held over the years (careers), and who keeps appearing with
//! whom (co-appearances, organizations working together).
//!
//! Derived from a finished `Model` by one entry point, `Connections::new`, after the model
//! and before rendering, so the model stays the plain resolved input and every page reads
//! its connections by id. Pure: no I/O. How each connection is drawn, with the weights of
//! related forums, is in docs/connections.md.

pub mod careers;
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
}

impl Connections {
    pub fn new(model: &Model) -> Connections {
        let found: Vec<(Vec<Quote>, Vec<Diagnostic>)> = model
            .forums
            .par_iter()
            .map(|f| quotes::find(model, f))
            .collect();
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
        Connections {
            quotes: all,
            forum_quotes,
            speaker_quotes,
            organization_quotes,
            unattributed,
            related,
            careers,
            often_with,
            works_with,
        }
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

    /// The forums whose related forums differ between `self` and `other` (`serve`, after a
    /// report changed in place: their pages and records must be made again).
    pub fn related_changed(&self, other: &Connections) -> Vec<ForumId> {
        (0..self.related.len().max(other.related.len()))
            .filter(|&i| self.related.get(i) != other.related.get(i))
            .map(|i| ForumId(i as u32))
            .collect()
    }
}
