//! Dates in the formats machines read: RFC 3339 for feeds and sitemaps, iCalendar's basic
//! format. Civil dates stay civil (midnight UTC where a format insists on a moment).

use crate::model::{Forum, When};
use jiff::civil::Date;

/// `2025-10-20T00:00:00Z` for a date; the moment in UTC for a date-time.
pub fn rfc3339(when: &When) -> String {
    match when {
        When::Date(d) => format!("{d}T00:00:00Z"),
        When::DateTime(z) => z.timestamp().to_string(),
    }
}

pub fn rfc3339_date(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

/// When a forum's report last changed, as far as its front matter says: the latest of its
/// start, end and source dates. `None` for an undated announcement.
pub fn forum_updated(f: &Forum) -> Option<Date> {
    let dates = [
        f.start.as_ref().map(When::date),
        f.end.as_ref().map(When::date),
        f.source.as_ref().and_then(|s| s.date),
    ];
    dates.into_iter().flatten().max()
}

/// `forum_updated` as the moment a feed's `<updated>` holds: the latest of the start and end
/// (a date-time as its UTC instant, a date at midnight UTC) and the source's date, so that it
/// is never before the entry's `<published>` (the start as `rfc3339` writes it). RFC 3339 in
/// UTC, which sorts as text.
pub fn forum_updated_moment(f: &Forum) -> Option<String> {
    let moments = [
        f.start.as_ref().map(rfc3339),
        f.end.as_ref().map(rfc3339),
        f.source.as_ref().and_then(|s| s.date).map(rfc3339_date),
    ];
    moments.into_iter().flatten().max()
}
