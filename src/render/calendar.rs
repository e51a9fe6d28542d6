//! iCalendar (RFC 5545): `/calendar.ics` with every dated forum, one `event.ics` beside
//! each dated forum's page, and one `calendar.ics` beside each speaker's and organization's
//! page with their dated forums.
//!
//! All-day forums are `DTSTART;VALUE=DATE` with an exclusive `DTEND` (the day after the last
//! day); timed ones are written in UTC. `DTSTAMP` is the build's "today", so two builds of the
//! same input are identical. Lines end in CRLF and are folded at 75 octets, never inside a
//! UTF-8 character; text values escape `\`, `;`, `,` and newlines.

use super::routes::{FeedOwner, Route, Urls};
use crate::model::{Forum, ForumId, Model, Status, When};
use crate::write::{Contents, OutputFile};

/// Each dated forum's `VEVENT`, written at most once per build and shared by every calendar
/// that lists the forum: the site's, the forum's own, and those of its speakers and
/// organizations (a forum is in a dozen calendars; writing it a dozen times was most of
/// the cost of the per-entity calendars). Written when a calendar that lists it is first
/// made: a rebuild after a report's text was edited makes only that report's calendar, and
/// writing all 10,000 events up front was a tenth of its render context.
pub struct Events {
    urls: Urls,
    events: Vec<std::sync::OnceLock<Option<String>>>,
}

impl Events {
    pub fn new(model: &Model, urls: &Urls) -> Events {
        Events {
            urls: urls.clone(),
            events: model
                .forums
                .iter()
                .map(|_| std::sync::OnceLock::new())
                .collect(),
        }
    }

    /// Forget a forum's event after it changed in place (`serve`).
    pub fn refresh(&mut self, id: ForumId) {
        if let Some(slot) = self.events.get_mut(id.index()) {
            *slot = std::sync::OnceLock::new();
        }
    }

    /// Take in a forum `model::insert_report` put at `id` (`serve`).
    pub fn insert(&mut self, id: ForumId) {
        self.events.insert(id.index(), std::sync::OnceLock::new());
    }

    /// The events of `ids` that are dated, in that order; those not written yet are
    /// written on every core (an organization's calendar may list thousands).
    fn of(&self, model: &Model, ids: impl IntoIterator<Item = ForumId>) -> Vec<&str> {
        use rayon::prelude::*;
        let ids: Vec<ForumId> = ids.into_iter().collect();
        ids.par_iter()
            .filter_map(|&id| {
                self.events
                    .get(id.index())?
                    .get_or_init(|| event(model, &self.urls, model.forum(id)))
                    .as_deref()
            })
            .collect()
    }
}

pub fn site_calendar(model: &Model, events: &Events) -> OutputFile<'static> {
    let all = events.of(model, model.forums.iter().map(|f| f.id));
    let origin = format!("calendar {}", Route::Calendar.path());
    file(model, Route::Calendar, &model.site.title, &all, origin)
}

pub fn forum_calendar(
    model: &Model,
    events: &Events,
    forum: &Forum,
) -> Option<OutputFile<'static>> {
    forum.start.as_ref()?;
    Some(file(
        model,
        Route::ForumCalendar(&forum.path),
        &forum.title,
        &events.of(model, [forum.id]),
        // The report itself: two reports whose pages collide also collide here, and naming
        // the same source lets that be one error rather than two.
        forum.file.display().to_string(),
    ))
}

/// The forums of a speaker or an organization (`ids`, chronological), upcoming and past,
/// as one calendar beside its page: the same events as the site's calendar, fewer of them.
pub fn owner_calendar(
    model: &Model,
    events: &Events,
    owner: FeedOwner,
    name: &str,
    ids: &[ForumId],
) -> OutputFile<'static> {
    let listed = events.of(model, ids.iter().copied());
    let route = Route::OwnerCalendar(owner);
    let origin = format!("calendar {}", route.path());
    file(model, route, name, &listed, origin)
}

fn file(
    model: &Model,
    route: Route,
    name: &str,
    events: &[&str],
    origin: String,
) -> OutputFile<'static> {
    let mut ics = Calendar(String::with_capacity(
        512 + events.iter().map(|e| e.len()).sum::<usize>(),
    ));
    ics.line("BEGIN:VCALENDAR");
    ics.line("VERSION:2.0");
    ics.line("PRODID:-//Podium//Podium static site generator//EN");
    ics.line("CALSCALE:GREGORIAN");
    ics.line("METHOD:PUBLISH");
    ics.property("X-WR-CALNAME", &text(name));
    ics.property("X-WR-TIMEZONE", &model.site.timezone_name);
    for e in events {
        ics.0.push_str(e);
    }
    if events.is_empty() {
        // RFC 5545 wants at least one component; a calendar with no dated forum yet gets
        // the definition of UTC, which every client accepts and nothing displays.
        for line in [
            "BEGIN:VTIMEZONE",
            "TZID:UTC",
            "BEGIN:STANDARD",
            "DTSTART:19700101T000000",
            "TZOFFSETFROM:+0000",
            "TZOFFSETTO:+0000",
            "END:STANDARD",
            "END:VTIMEZONE",
        ] {
            ics.line(line);
        }
    }
    ics.line("END:VCALENDAR");
    OutputFile {
        path: route.output_file(),
        contents: Contents::Bytes(ics.0.into_bytes()),
        origin,
    }
}

/// A dated forum's `VEVENT`, its lines folded and ended; `None` for an undated one.
fn event(model: &Model, urls: &Urls, f: &Forum) -> Option<String> {
    let start = f.start.as_ref()?;
    let stamp = format!("{}T000000Z", basic_date(model.today));
    let host = host(&model.site.base_url);
    let mut ics = Calendar::default();
    ics.line("BEGIN:VEVENT");
    ics.property(
        "UID",
        &format!(
            "{}forums/{}@{host}",
            base_path(&model.site.base_url),
            f.path
        ),
    );
    ics.property("DTSTAMP", &stamp);
    match (start, &f.end) {
        (When::Date(d), end) => {
            let last = end.as_ref().map_or(*d, When::date);
            ics.property("DTSTART;VALUE=DATE", &basic_date(*d));
            ics.property(
                "DTEND;VALUE=DATE",
                &basic_date(last.tomorrow().unwrap_or(last)),
            );
        }
        (When::DateTime(z), end) => {
            ics.property("DTSTART", &utc(z));
            // An end at the start itself is no end: RFC 5545 wants `DTEND` later than
            // `DTSTART`, and without one the event is the instant it starts.
            let end = match end {
                Some(When::DateTime(e)) => Some(e.clone()),
                // A last day without a time: the forum runs to that day's end, in its own
                // time zone (`DTEND` is a date-time too, as `DTSTART` is).
                Some(When::Date(d)) => d
                    .tomorrow()
                    .ok()
                    .and_then(|next| next.to_zoned_datetime(z.time_zone().clone()).ok()),
                None => None,
            };
            if let Some(e) = end
                && e.timestamp() > z.timestamp()
            {
                ics.property("DTEND", &utc(&e));
            }
        }
    }
    ics.property("SUMMARY", &text(&f.title));
    if let Some(s) = &f.summary {
        ics.property("DESCRIPTION", &text(s));
    }
    if let Some(place) = super::views::place(f) {
        ics.property("LOCATION", &text(&place));
    }
    ics.property(
        "STATUS",
        match f.status {
            Status::Held => "CONFIRMED",
            Status::Announced | Status::Postponed => "TENTATIVE",
            Status::Cancelled => "CANCELLED",
        },
    );
    ics.property("URL", &urls.permalink(Route::Forum(&f.path)));
    ics.line("END:VEVENT");
    Some(ics.0)
}

#[derive(Default)]
struct Calendar(String);

impl Calendar {
    fn property(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{value}"));
    }

    /// Append one content line, folded at 75 octets with CRLF + space.
    fn line(&mut self, line: &str) {
        let mut width = 0;
        for c in line.chars() {
            if width + c.len_utf8() > 75 {
                self.0.push_str("\r\n ");
                width = 1;
            }
            self.0.push(c);
            width += c.len_utf8();
        }
        self.0.push_str("\r\n");
    }
}

/// TEXT value escaping (RFC 5545 3.3.11).
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn basic_date(d: jiff::civil::Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

fn utc(z: &jiff::ZonedDateTime) -> String {
    let u = z.timestamp().to_zoned_datetime(jiff::tz::TimeZone::UTC);
    format!(
        "{}T{:02}{:02}{:02}Z",
        basic_date(u.date()),
        u.hour(),
        u.minute(),
        u.second()
    )
}

/// The path of the base URL after its host (`archive/` for `https://example.org/archive/`,
/// else empty): two sites on one host have UIDs of their own. With the forum's path after
/// it, whole, a UID is unique (folders once became dashes, and `2025/spring/forum` and
/// `2025/spring-forum` shared one).
fn base_path(base_url: &str) -> String {
    let Some((_, rest)) = base_url.split_once("://") else {
        return String::new();
    };
    let path = rest
        .find('/')
        .map_or("", |slash| rest[slash..].trim_matches('/'));
    if path.is_empty() {
        String::new()
    } else {
        format!("{path}/")
    }
}

/// The host of the base URL, for globally unique UIDs; `podium.invalid` without one.
fn host(base_url: &str) -> String {
    base_url
        .split_once("://")
        .and_then(|(_, rest)| rest.split('/').next())
        .filter(|h| !h.is_empty())
        .unwrap_or("podium.invalid")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_hold_the_base_path_and_the_whole_forum_path() {
        assert_eq!(base_path("https://example.org/archive/"), "archive/");
        assert_eq!(base_path("https://example.org/a/b/"), "a/b/");
        assert_eq!(base_path("https://example.org/"), "");
        assert_eq!(base_path("https://example.org"), "");
        assert_eq!(base_path("https://example.org/archive"), "archive/");
        assert_eq!(base_path("/archive/"), "");
    }

    #[test]
    fn folding_never_splits_a_character_and_keeps_lines_short() {
        let mut c = Calendar::default();
        c.property("SUMMARY", &"Əliyeva ".repeat(30));
        for line in c.0.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = c.0.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "Əliyeva ".repeat(30)));
    }

    #[test]
    fn text_escaping() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
