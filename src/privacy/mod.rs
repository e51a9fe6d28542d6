//! Privacy: people at risk, shown only as much as `privacy:` allows, and nothing of them
//! leaking anywhere.
//!
//! A profile's `privacy:` applies to the person everywhere, a speaker entry's to that one
//! appearance; the stricter wins (`no-photo` < `initials` < `unlisted`). `protect` runs at
//! the end of the model stage and rewrites the model itself, so that no later stage (pages,
//! feeds, calendars, the API, structured data, search) ever holds what it must not show:
//!
//! - `no-photo`: the portrait is dropped, and its file is not published.
//! - `initials`: the person becomes "A. A." with an address made by `key::Key` (stable,
//!   and not a hash anyone could recompute from a guess); no bio, photo, links or aliases;
//!   left out of every list but the reports they spoke at (`Speaker::listed`).
//! - `unlisted`: the person is gone; each of their parts becomes an `Unnamed` one ("a
//!   participant", with the organization they spoke for).
//!
//! The names themselves (every spelling: name, aliases, spellings seen in reports) stay in
//! one place only, the `Redactions`, which the render stage uses to replace them in report
//! text and which nothing renders. Every place a name was replaced is a warning at
//! file:line:col, so editors can also fix the sources. As a last guard, `Redactions::leak`
//! lets the build refuse to publish any file in which a protected name still appears.

pub mod fold;
pub mod key;
mod protect;
mod redactions;

use crate::model::Privacy;
pub use key::Key;
pub use protect::protect;
pub use redactions::{Redaction, Redactions};

/// What is shown in place of a person who must not be named.
pub const PARTICIPANT: &str = "a participant";

/// "Nərgiz Səfərova" -> "N. S.": the first letter of each word of the name.
pub fn initials(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .flat_map(char::to_uppercase)
        .map(|c| format!("{c}."))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a site's sources ask for any address that needs the privacy key.
pub fn needs_key(content: &crate::load::Content) -> bool {
    let initials = |p: &Option<crate::load::documents::Text>| {
        p.as_deref().and_then(Privacy::parse) == Some(Privacy::Initials)
    };
    content.speakers.iter().any(|d| initials(&d.front.privacy))
        || content.reports.iter().any(|d| {
            let f = &d.front;
            f.speakers.0.iter().any(|a| initials(&a.privacy))
                || f.sessions.0.iter().any(|s| {
                    s.moderator.iter().any(|m| initials(&m.privacy))
                        || s.speakers.0.iter().any(|a| initials(&a.privacy))
                })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_take_the_first_letter_of_each_word() {
        assert_eq!(initials("Nərgiz Səfərova"), "N. S.");
        assert_eq!(initials("Anna-Maria  van Dijk"), "A. M. V. D.");
        assert_eq!(initials("Наргиз Сафарова"), "Н. С.");
    }
}
