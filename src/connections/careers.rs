//! Careers: the titles and organizations a person held over time, as ranges of years merged
//! from their appearances.
//!
//! Appearances are taken in chronological order; those that state neither a title nor an
//! organization say nothing about a position and are passed over. Consecutive appearances
//! with the same title and organization are one range, however long the gap between them
//! (an absence from forums is no evidence of a change of post); a different position in
//! between ends the range, so a person who moves and comes back gets two ranges. Titles are
//! compared as written, ignoring case and surrounding spaces.
//!
//! In another language, the ranges are those of the original titles (a post is the same
//! post whether or not a report was translated), shown with the most recent translation of
//! the title among the range's appearances, or the original where none was translated.

use crate::model::{ForumId, Model, OrganizationId, Speaker};

/// One position held over a range of years.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Career {
    pub title: Option<String>,
    pub organization: Option<OrganizationId>,
    /// The years of the first and last dated forum behind it (`None` if none is dated).
    pub from: Option<i16>,
    pub to: Option<i16>,
    /// The forums behind it, chronological, without repeats.
    pub forums: Vec<ForumId>,
    /// In another language: the title is the original's, no appearance behind it having
    /// a translation of it.
    #[serde(default)]
    pub untranslated: bool,
}

/// A speaker's positions, the most recent first.
pub fn careers(model: &Model, s: &Speaker) -> Vec<Career> {
    ranges(model, s, None)
}

/// A speaker's positions as `careers` finds them in `original`, with the titles that
/// `shown`, the same model in another language (`i18n::localize`), gives them.
pub fn careers_in(original: &Model, shown: &Model, s: &Speaker) -> Vec<Career> {
    ranges(original, s, Some(shown))
}

fn trimmed(title: &Option<String>) -> Option<&str> {
    title.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// The ranges of `careers`, by the titles `model` gives; titled as `shown` translates
/// them, if given.
fn ranges(model: &Model, s: &Speaker, shown: Option<&Model>) -> Vec<Career> {
    let mut ranges: Vec<Career> = Vec::new();
    // The most recent translation of each range's title, beside `ranges`.
    let mut translated: Vec<Option<&str>> = Vec::new();
    for &(f, i) in &s.appearances {
        let a = &model.forum(f).appearances[i];
        let title = trimmed(&a.title);
        if title.is_none() && a.organization.is_none() {
            continue;
        }
        let same = |c: &Career| {
            c.organization == a.organization
                && match (c.title.as_deref(), title) {
                    (Some(x), Some(y)) => x == y || x.to_lowercase() == y.to_lowercase(),
                    (x, y) => x == y,
                }
        };
        let year = model.forum(f).year();
        match ranges.last_mut() {
            Some(c) if same(c) => {
                if c.forums.last() != Some(&f) {
                    c.forums.push(f);
                }
                if year.is_some() {
                    c.from = c.from.or(year);
                    c.to = year;
                }
            }
            _ => {
                ranges.push(Career {
                    title: title.map(str::to_string),
                    organization: a.organization,
                    from: year,
                    to: year,
                    forums: vec![f],
                    untranslated: false,
                });
                translated.push(None);
            }
        }
        if let Some(shown) = shown
            && let Some(t) = trimmed(&shown.forum(f).appearances[i].title)
            && Some(t) != title
            && let Some(last) = translated.last_mut()
        {
            *last = Some(t);
        }
    }
    if shown.is_some() {
        for (career, title) in ranges.iter_mut().zip(translated) {
            match title {
                Some(t) => career.title = Some(t.to_string()),
                None => career.untranslated = career.title.is_some(),
            }
        }
    }
    ranges.reverse();
    ranges
}
