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
/// is never before the entry's `<published>` (the start as `rfc3339` writes it; its
/// `to_string` is that text). An instant rather than text: a feed orders all of its owner's
/// forums (an organization's thousands) to show twenty.
pub fn forum_updated_instant(f: &Forum) -> Option<jiff::Timestamp> {
    let moments = [
        f.start.as_ref().and_then(instant),
        f.end.as_ref().and_then(instant),
        f.source.as_ref().and_then(|s| s.date).and_then(midnight),
    ];
    moments.into_iter().flatten().max()
}

/// The instant `rfc3339` writes.
fn instant(when: &When) -> Option<jiff::Timestamp> {
    match when {
        When::Date(d) => midnight(*d),
        When::DateTime(z) => Some(z.timestamp()),
    }
}

fn midnight(d: Date) -> Option<jiff::Timestamp> {
    d.to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instant_is_written_as_rfc3339_writes_its_moment_and_orders_as_that_text() {
        let whens = [
            When::Date(jiff::civil::date(2025, 10, 20)),
            When::Date(jiff::civil::date(1999, 1, 2)),
            When::DateTime("2025-10-20T18:00:00+04:00[+04:00]".parse().unwrap()),
            When::DateTime("2025-10-19T23:30:00-02:00[-02:00]".parse().unwrap()),
            When::DateTime("2025-10-20T00:00:00+00:00[UTC]".parse().unwrap()),
        ];
        for w in &whens {
            assert_eq!(instant(w).unwrap().to_string(), rfc3339(w));
        }
        for a in &whens {
            for b in &whens {
                assert_eq!(instant(a).cmp(&instant(b)), rfc3339(a).cmp(&rfc3339(b)));
            }
        }
        assert_eq!(
            midnight(jiff::civil::date(2024, 5, 16))
                .unwrap()
                .to_string(),
            rfc3339_date(jiff::civil::date(2024, 5, 16))
        );
    }
}
