//! Reading the dates editors write: `2025-10-20`, `2025-10-20T10:00:00+04:00`, or a local
//! `2025-10-20 10:00` in the site's time zone.
//!
//! A plain date is a civil date and stays one: it is never converted through the build
//! machine's zone, so the same input renders the same day everywhere (reptar #79, 11ty #2968).

use super::entities::When;
use jiff::civil;
use jiff::fmt::temporal::Pieces;
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};

/// For a date written `YYYY-MM-DD` that no calendar has (`2025-02-29`, `2025-13-01`): why.
fn no_such_day(text: &str) -> Option<String> {
    let date = text.get(..10)?;
    let mut parts = date.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (year, month, day): (i16, i8, i8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&month) {
        return Some(format!("`{text}` is no date: there is no month {month}"));
    }
    let days = civil::Date::new(year, month, 1).ok()?.days_in_month();
    (day < 1 || day > days).then(|| {
        let name = civil::Date::new(year, month, 1)
            .ok()
            .map_or(String::new(), |d| d.strftime("%B").to_string());
        format!("`{text}` is no date: {name} {year} has {days} days")
    })
}

pub fn parse_when(text: &str, zone: &TimeZone, zone_name: &str) -> Result<When, String> {
    let text = text.trim();
    let normalised = normalise(text);
    let pieces = Pieces::parse(normalised.as_str()).map_err(|_| {
        no_such_day(text).unwrap_or_else(|| {
            format!("cannot read `{text}` as a date; write `YYYY-MM-DD`, or a date and time such as `2025-10-20T10:00+04:00`")
        })
    })?;
    let date = pieces.date();
    let Some(time) = pieces.time() else {
        return Ok(When::Date(date));
    };
    let datetime = date.to_datetime(time);
    // Offsets run from -12:00 to +14:00 on Earth; the format allows up to ±25:59.
    if let Some(offset) = pieces.to_numeric_offset()
        && offset.seconds().abs() > 14 * 3600
    {
        let seconds = offset.seconds();
        let sign = if seconds < 0 { '-' } else { '+' };
        let (hours, minutes) = (seconds.abs() / 3600, seconds.abs() % 3600 / 60);
        return Err(format!(
            "`{text}` has the offset {sign}{hours:02}:{minutes:02}, which no place on Earth has (they run from -12:00 to +14:00)"
        ));
    }
    let zoned = match pieces.to_numeric_offset() {
        Some(offset) => datetime.to_zoned_datetime(TimeZone::fixed(offset)).map_err(|e| e.to_string())?,
        None if pieces.offset().is_some() => datetime.to_zoned_datetime(TimeZone::fixed(Offset::UTC)).map_err(|e| e.to_string())?,
        None => {
            // `2025-10-20T10:00[Europe/Berlin]` names its own zone; otherwise the site's.
            let named = pieces.to_time_zone().map_err(|e| format!("`{text}`: {e}"))?;
            let zone_name = named.as_ref().and_then(|z| z.iana_name()).unwrap_or(zone_name).to_string();
            let zone = named.unwrap_or_else(|| zone.clone());
            let ambiguous = zone.to_ambiguous_zoned_datetime(datetime);
            if ambiguous.is_ambiguous() {
                return Err(if matches!(ambiguous.offset(), AmbiguousOffset::Gap { .. }) {
                    format!("{datetime} does not exist in {zone_name} (the clocks skip it); add an offset such as `+01:00`")
                } else {
                    format!("{datetime} happens twice in {zone_name} (the clocks go back); add an offset to say which")
                });
            }
            ambiguous.unambiguous()
        }
        .map_err(|e| e.to_string())?,
    };
    Ok(When::DateTime(zoned))
}

/// Accept the YAML timestamp spellings `2025-10-20 10:00:00 +04:00` and `2025-10-20 10:00`.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut seen_date = false;
    for (i, part) in text.split_whitespace().enumerate() {
        match i {
            0 => {
                out.push_str(part);
                seen_date = true;
            }
            1 if seen_date && !part.starts_with(['+', '-']) && part != "Z" => {
                out.push('T');
                out.push_str(part);
            }
            _ => out.push_str(part),
        }
    }
    out
}

/// The moment `SOURCE_DATE_EPOCH` gives (seconds since 1970, UTC), for reproducible builds:
/// "today" is its date in the site's time zone.
pub fn moment_from_epoch(value: &str) -> Result<jiff::Timestamp, String> {
    let seconds: i64 = value
        .trim()
        .parse()
        .map_err(|_| format!("SOURCE_DATE_EPOCH `{value}` is not a number of seconds"))?;
    jiff::Timestamp::from_second(seconds).map_err(|e| format!("SOURCE_DATE_EPOCH: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn baku() -> TimeZone {
        TimeZone::get("Asia/Baku").unwrap()
    }

    #[test]
    fn a_date_no_calendar_has_is_named_as_such() {
        for (text, why) in [
            (
                "2025-02-29",
                "`2025-02-29` is no date: February 2025 has 28 days",
            ),
            (
                "2025-04-31",
                "`2025-04-31` is no date: April 2025 has 30 days",
            ),
            (
                "2025-13-01",
                "`2025-13-01` is no date: there is no month 13",
            ),
        ] {
            assert_eq!(parse_when(text, &baku(), "Asia/Baku").unwrap_err(), why);
        }
        assert!(parse_when("2024-02-29", &baku(), "Asia/Baku").is_ok());
        assert_eq!(
            parse_when("2025-10-20T10:00+25:00", &baku(), "Asia/Baku").unwrap_err(),
            "`2025-10-20T10:00+25:00` has the offset +25:00, which no place on Earth has (they run from -12:00 to +14:00)"
        );
        assert!(parse_when("2025-10-20T10:00+14:00", &baku(), "Asia/Baku").is_ok());
        assert!(parse_when("2025-10-20T10:00-12:00", &baku(), "Asia/Baku").is_ok());
        assert!(
            parse_when("March 1", &baku(), "Asia/Baku")
                .unwrap_err()
                .starts_with("cannot read `March 1` as a date")
        );
    }

    #[test]
    fn plain_dates_stay_civil() {
        assert_eq!(
            parse_when("2025-03-01", &baku(), "Asia/Baku").unwrap(),
            When::Date(civil::date(2025, 3, 1))
        );
    }

    #[test]
    fn offsets_and_yaml_timestamps() {
        let w = parse_when("2025-10-20T10:00:00+04:00", &TimeZone::UTC, "UTC").unwrap();
        let When::DateTime(z) = w else { panic!() };
        assert_eq!(z.hour(), 10);
        assert_eq!(z.offset().seconds(), 4 * 3600);
        let w = parse_when("2025-10-20 10:00:00 +04:00", &TimeZone::UTC, "UTC").unwrap();
        assert!(matches!(w, When::DateTime(_)));
    }

    #[test]
    fn naive_times_use_the_site_zone() {
        let When::DateTime(z) = parse_when("2025-10-20 10:00", &baku(), "Asia/Baku").unwrap()
        else {
            panic!()
        };
        assert_eq!(z.offset().seconds(), 4 * 3600);
    }

    #[test]
    fn a_bracketed_zone_wins_over_the_site_zone() {
        let When::DateTime(z) =
            parse_when("2025-10-20T10:00[Europe/Berlin]", &baku(), "Asia/Baku").unwrap()
        else {
            panic!()
        };
        assert_eq!(z.offset().seconds(), 2 * 3600);
        assert!(parse_when("2025-10-20T10:00[Mars/Olympus]", &baku(), "Asia/Baku").is_err());
    }

    #[test]
    fn gaps_and_nonsense_are_errors() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let err = parse_when("2025-03-30T02:30", &berlin, "Europe/Berlin").unwrap_err();
        assert!(err.contains("does not exist in Europe/Berlin"), "{err}");
        assert!(parse_when("2025-13-45", &berlin, "Europe/Berlin").is_err());
        assert!(parse_when("next tuesday", &berlin, "Europe/Berlin").is_err());
    }

    #[test]
    fn epoch() {
        let moment = moment_from_epoch("1711918800").unwrap();
        assert_eq!(moment.to_string(), "2024-03-31T21:00:00Z");
        let date_in = |zone: &str| {
            moment
                .to_zoned_datetime(TimeZone::get(zone).unwrap())
                .date()
        };
        assert_eq!(date_in("UTC"), civil::date(2024, 3, 31));
        assert_eq!(date_in("Asia/Baku"), civil::date(2024, 4, 1));
        assert!(moment_from_epoch("soon").is_err());
    }
}
