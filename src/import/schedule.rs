//! Conference schedules as pretalx and frab export them: `schedule.json` (`schedule` ->
//! `conference` -> `days` -> `rooms` -> talks) or the older `schedule.xml` of frab and
//! pentabarf (`<schedule>` -> `<day>` -> `<room>` -> `<event>`). Many civil-society
//! conferences run on these tools; their exports are the archive.
//!
//! Both formats are read into one [`Conference`], which becomes one report (its days as
//! `date`/`end`, each talk a session with its time, room, summary and speakers, tracks as
//! topics) or, per talk, one report each. Times are written with the offset the export gave
//! them, so a talk at 11:00 in Hamburg stays at 11:00 +01:00 whatever the site's zone.

use super::text::{markdown_paragraphs, summary};
use super::{Person, Report, Session, people, stem_for};
use crate::diagnostic::{Diagnostic, Diagnostics, Span, line_col};
use crate::model::names::clean;
use jiff::civil;
use serde_json::Value;
use std::path::Path;

/// Where exports put a person's affiliation: a JSON field, or an XML attribute or child
/// element of `<person>`, by any of these names.
const AFFILIATION_KEYS: &[&str] = &["organization", "organisation", "affiliation", "company"];

/// Longest session or report summary, in characters: a sentence or two.
const SUMMARY_CHARS: usize = 300;

/// A conference as any of the formats describes it.
#[derive(Debug, Default)]
struct Conference {
    title: String,
    acronym: Option<String>,
    start: Option<civil::Date>,
    end: Option<civil::Date>,
    venue: Option<String>,
    city: Option<String>,
    /// The IANA zone the schedule is in, for times written without an offset.
    time_zone: Option<String>,
    description: Option<String>,
    /// The dates of the schedule's days.
    days: Vec<civil::Date>,
    talks: Vec<Talk>,
}

#[derive(Debug)]
struct Talk {
    title: String,
    subtitle: Option<String>,
    /// When it starts, on the schedule's clock, and the offset from UTC when the export gives
    /// one.
    start: civil::DateTime,
    offset: Option<jiff::tz::Offset>,
    duration: Option<jiff::Span>,
    room: Option<String>,
    track: Option<String>,
    abstract_: Option<String>,
    description: Option<String>,
    /// Names with their affiliation, when the export has one.
    persons: Vec<(String, Option<String>)>,
    /// Where the talk is in the file, for messages about it.
    at: Span,
}

/// Read a schedule export into reports, with every problem found.
pub fn read(file: &Path, bytes: &[u8], per_talk: bool) -> (Vec<Report>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let (line, col) = line_col(&String::from_utf8_lossy(&bytes[..at]), at);
            diags.push(
                Diagnostic::error(format!("not valid UTF-8 at byte {at}"))
                    .at(Span::new(file, line, col))
                    .with_help("schedule exports are UTF-8; download the export again"),
            );
            return (Vec::new(), diags);
        }
    };
    let conference = match text.trim_start().chars().next() {
        Some('{') => from_json(file, text, &mut diags),
        Some('<') => from_xml(file, text, &mut diags),
        _ => {
            diags.push(
                Diagnostic::error("not a schedule export: neither JSON nor XML")
                    .at(Span::file_start(file))
                    .with_help("export the schedule as `schedule.json` (pretalx, frab) or `schedule.xml` (frab, pentabarf)"),
            );
            None
        }
    };
    let Some(mut conference) = conference else {
        return (Vec::new(), diags);
    };
    if diags.has_errors() {
        return (Vec::new(), diags);
    }
    conference
        .talks
        .sort_by(|a, b| (a.start, &a.room).cmp(&(b.start, &b.room)));
    let reports = if per_talk {
        talk_reports(&conference, &mut diags)
    } else {
        vec![conference_report(&conference, &mut diags)]
    };
    (reports, diags)
}

/// The speakers of a talk as report entries: names cleaned, two people in one name split
/// (with a warning), unnamed persons left out (with a warning), repeats dropped.
fn speakers(talk: &Talk, role: Option<&str>, diags: &mut Diagnostics) -> Vec<Person> {
    let mut out: Vec<Person> = Vec::new();
    for (name, organization) in &talk.persons {
        let (name, organization) = match organization {
            Some(_) => (name.as_str(), organization.clone()),
            None => affiliation_in_name(name),
        };
        if crate::model::slug::slugify(name).is_empty() {
            diags.push(
                Diagnostic::warning(format!(
                    "a speaker of `{}` has no usable name (`{name}`) and is left out",
                    talk.title
                ))
                .at(talk.at.clone())
                .with_help("add the person to the report by hand if you know who it was"),
            );
            continue;
        }
        // An affiliation with nothing to make an address from (`-`, `?`) says nothing.
        let organization = organization.filter(|o| !crate::model::slug::slugify(o).is_empty());
        for name in people(name, &talk.at, diags) {
            let p = Person {
                name,
                title: None,
                organization: organization.clone(),
                role: role.map(str::to_string),
            };
            if !out.iter().any(|o| o.name == p.name) {
                out.push(p);
            }
        }
    }
    out
}

/// `Ana Lima [Civic Lab]` -> `Ana Lima` of `Civic Lab`: pretalx can be set to show a
/// speaker's affiliation after the name in brackets, and exports it so.
fn affiliation_in_name(name: &str) -> (&str, Option<String>) {
    let trimmed = name.trim_end();
    if let Some(inside) = trimmed.strip_suffix(']')
        && let Some((person, affiliation)) = inside.rsplit_once(" [")
        && !affiliation.contains(['[', ']'])
        && !crate::model::slug::slugify(person).is_empty()
    {
        return (person, nonempty(Some(affiliation)));
    }
    (name, None)
}

/// `2019-08-21 11:00–11:30 +02:00, Curie`: the session's time as the schedule gave it. A
/// talk given on the clock of the schedule's named `zone` (no offset of its own) gets the
/// zone's offset on that day, as a talk with its full `date` has its own: a report never
/// mixes times with and without.
fn session_time(talk: &Talk, zone: Option<&str>) -> String {
    let start = talk.start;
    let mut out = format!("{} {}", start.date(), hh_mm(start.time()));
    if let Some(end) = talk.duration.and_then(|d| start.checked_add(d).ok()) {
        out.push('–');
        out.push_str(&hh_mm(end.time()));
    }
    let offset = talk.offset.or_else(|| {
        let zone = jiff::tz::TimeZone::get(zone?).ok()?;
        Some(start.to_zoned_datetime(zone).ok()?.offset())
    });
    if let Some(offset) = offset {
        out.push(' ');
        out.push_str(&offset_text(offset));
    }
    if let Some(room) = &talk.room {
        out.push_str(", ");
        out.push_str(room);
    }
    out
}

fn hh_mm(t: civil::Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// `+02:00`, `-03:30`, `+00:00`.
fn offset_text(offset: jiff::tz::Offset) -> String {
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A moment as the report format reads it: with its offset, else in the schedule's named
/// zone, else as a local time (read in the site's zone).
fn moment(at: civil::DateTime, offset: Option<jiff::tz::Offset>, zone: Option<&str>) -> String {
    let base = format!("{}T{}", at.date(), hh_mm(at.time()));
    match (offset, zone) {
        (Some(o), _) => format!("{base}{}", offset_text(o)),
        (None, Some(z)) => format!("{base}[{z}]"),
        (None, None) => base,
    }
}

fn conference_report(c: &Conference, diags: &mut Diagnostics) -> Report {
    // The conference's own first and last day, widened by any day the schedule lists
    // outside them (a trimmed export may list fewer days than the conference had).
    let first = c.days.iter().copied().chain(c.start).min();
    let last = c.days.iter().copied().chain(c.end).max();
    let mut topics: Vec<String> = Vec::new();
    let mut sessions = Vec::new();
    for talk in &c.talks {
        // A track with nothing to make an address from (`-`) cannot be a topic.
        if let Some(track) = talk
            .track
            .as_ref()
            .filter(|t| !crate::model::slug::slugify(t).is_empty())
            && !topics.contains(track)
        {
            topics.push(track.clone());
        }
        sessions.push(Session {
            title: talk.title.clone(),
            time: Some(session_time(talk, c.time_zone.as_deref())),
            summary: talk_summary(talk),
            // A talk's people gave it: `speaker`, not the `panelist` a session defaults to.
            speakers: speakers(talk, Some("speaker"), diags),
        });
    }
    Report {
        folder: first.map_or_else(|| "announced".to_string(), |d| d.year().to_string()),
        stem: stem_for(&c.title, c.acronym.as_deref().unwrap_or("conference")),
        title: c.title.clone(),
        date: first.map(|d| d.to_string()),
        end: last.filter(|l| Some(*l) != first).map(|d| d.to_string()),
        venue: c.venue.clone(),
        city: c.city.clone(),
        sessions,
        topics,
        summary: c
            .description
            .as_deref()
            .and_then(|d| summary(d, SUMMARY_CHARS)),
        ..Report::default()
    }
}

fn talk_summary(talk: &Talk) -> Option<String> {
    [&talk.abstract_, &talk.description, &talk.subtitle]
        .into_iter()
        .flatten()
        .find_map(|t| summary(t, SUMMARY_CHARS))
}

fn talk_reports(c: &Conference, diags: &mut Diagnostics) -> Vec<Report> {
    let conference_stem = stem_for(&c.title, c.acronym.as_deref().unwrap_or("conference"));
    c.talks
        .iter()
        .map(|talk| {
            let zone = c.time_zone.as_deref();
            let end = talk
                .duration
                .and_then(|d| talk.start.checked_add(d).ok())
                .filter(|e| *e > talk.start);
            let body = [&talk.description, &talk.abstract_]
                .into_iter()
                .flatten()
                .map(|t| markdown_paragraphs(t))
                .find(|t| !t.is_empty())
                .unwrap_or_default();
            Report {
                folder: format!("{}/{conference_stem}", talk.start.date().year()),
                stem: stem_for(&talk.title, "talk"),
                title: talk.title.clone(),
                date: Some(moment(talk.start, talk.offset, zone)),
                end: end.map(|e| moment(e, talk.offset, zone)),
                series: Some(c.title.clone())
                    .filter(|t| !crate::model::slug::slugify(t).is_empty()),
                venue: talk.room.clone(),
                city: c.city.clone(),
                speakers: speakers(talk, None, diags),
                topics: talk
                    .track
                    .iter()
                    .filter(|t| !crate::model::slug::slugify(t).is_empty())
                    .cloned()
                    .collect(),
                summary: talk_summary(talk),
                body,
                ..Report::default()
            }
        })
        .collect()
}

/// Text from an export: cleaned of stray white space; `None` when nothing is left.
fn nonempty(text: Option<&str>) -> Option<String> {
    text.map(clean).filter(|t| !t.is_empty())
}

/// Free text (an abstract): kept with its line breaks for the body, `None` when empty.
fn prose(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// `00:30`, `1:15`, `01:00:00` (hours and minutes), `90` (minutes, as pretalx's API gives
/// them) or `PT1H30M` (ISO 8601) -> a span.
fn duration(text: &str) -> Option<jiff::Span> {
    let text = text.trim();
    if text.starts_with(['P', 'p']) {
        return text.parse::<jiff::Span>().ok();
    }
    if !text.contains(':') {
        return jiff::Span::new()
            .try_minutes(text.parse::<i64>().ok()?)
            .ok();
    }
    let mut parts = text.split(':').map(|p| p.parse::<i64>().ok());
    let hours = parts.next()??;
    let minutes = parts.next().unwrap_or(Some(0))?;
    jiff::Span::new()
        .try_hours(hours)
        .ok()?
        .try_minutes(minutes)
        .ok()
}

/// A talk's start: the export's full `date` (with its offset) when it has one, else the
/// day's date and the `HH:MM` start. `zone`: the schedule's named zone, if any.
fn talk_start(
    full: Option<&str>,
    day: Option<civil::Date>,
    start: Option<&str>,
    zone: Option<&str>,
) -> Option<(civil::DateTime, Option<jiff::tz::Offset>)> {
    let clock = start.and_then(|start| {
        let start = start.trim();
        // `9:00` has no leading zero.
        start
            .parse::<civil::Time>()
            .ok()
            .or_else(|| format!("0{start}").parse().ok())
    });
    if let Some(full) = full.map(str::trim).filter(|f| f.contains('T'))
        && let Ok(p) = jiff::fmt::temporal::Pieces::parse(full)
        && let Some(time) = p.time()
    {
        let at = p.date().to_datetime(time);
        let offset = p.to_numeric_offset();
        // Some tools (wafer, for DebConf) write `date` in UTC and `start` on the conference's
        // clock. When the schedule's zone turns the one into the other, the talk is shown on
        // the conference's clock, as its programme printed it: the same moment either way.
        if let (Some(offset), Some(zone), Some(clock)) = (offset, zone, clock)
            && hh_mm(clock) != hh_mm(time)
            && let Ok(zone) = jiff::tz::TimeZone::get(zone)
            && let Ok(moment) = at.to_zoned_datetime(jiff::tz::TimeZone::fixed(offset))
        {
            let there = moment.with_time_zone(zone);
            if hh_mm(there.time()) == hh_mm(clock) {
                return Some((there.datetime(), Some(there.offset())));
            }
        }
        return Some((at, offset));
    }
    let day = day.or_else(|| full.and_then(|f| f.get(..10)?.parse().ok()))?;
    Some((day.to_datetime(clock?), None))
}

fn missing(at: Span, what: &str, help: &str, diags: &mut Diagnostics) {
    diags.push(
        Diagnostic::error(what.to_string())
            .at(at)
            .with_help(help.to_string()),
    );
}

// ---- JSON (pretalx, frab) ----

fn from_json(file: &Path, text: &str, diags: &mut Diagnostics) -> Option<Conference> {
    let root: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let message = e.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            diags.push(
                Diagnostic::error(format!("not valid JSON: {message}"))
                    .at_in(Span::new(file, e.line(), e.column()), text)
                    .with_help("download the export again; an export cut short ends in the middle of a value"),
            );
            return None;
        }
    };
    let Some(conf) = root.pointer("/schedule/conference") else {
        missing(
            Span::file_start(file),
            "not a pretalx or frab schedule: no `schedule` -> `conference`",
            "export the schedule as JSON from pretalx (`/<event>/schedule/export/schedule.json`) or frab (`/schedule.json`)",
            diags,
        );
        return None;
    };
    let s = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    let mut c = Conference {
        title: nonempty(s(conf, "title").as_deref()).unwrap_or_default(),
        acronym: nonempty(s(conf, "acronym").as_deref()),
        start: s(conf, "start").and_then(|d| d.get(..10)?.parse().ok()),
        end: s(conf, "end").and_then(|d| d.get(..10)?.parse().ok()),
        venue: nonempty(s(conf, "venue").as_deref()),
        city: nonempty(s(conf, "city").as_deref()),
        time_zone: nonempty(s(conf, "time_zone_name").as_deref())
            .filter(|z| jiff::tz::TimeZone::get(z).is_ok()),
        description: nonempty(s(conf, "description").as_deref()),
        ..Conference::default()
    };
    if c.title.is_empty() {
        missing(
            locate(file, text, "\"conference\"", 0),
            "the conference has no `title`",
            "the export's `schedule.conference.title` names the report; add it to the export",
            diags,
        );
    }
    let Some(days) = conf.get("days").and_then(Value::as_array) else {
        missing(
            locate(file, text, "\"conference\"", 0),
            "the conference has no `days`",
            "export the schedule after it is published: talks are listed by day",
            diags,
        );
        return None;
    };
    // Talks are found in the text in order, each search starting after the previous one,
    // so messages point at the right talk even when two share a title.
    // Where the search for each day's rooms starts. (`rooms` is an object, which serde_json
    // hands over in key order, not the file's, so each room is found from its day on.)
    let mut day_cursor = 0;
    for (d, day) in days.iter().enumerate() {
        let date: Option<civil::Date> = s(day, "date").and_then(|d| d.get(..10)?.parse().ok());
        match date {
            Some(date) => c.days.push(date),
            None => missing(
                locate(file, text, "\"days\"", 0),
                &format!("day {} has no `date`", d + 1),
                "each day of `days` needs `date: YYYY-MM-DD`",
                diags,
            ),
        }
        let Some(rooms) = day.get("rooms").and_then(Value::as_object) else {
            continue;
        };
        day_cursor = offset_of(text, "\"rooms\"", day_cursor).map_or(day_cursor, |o| o + 1);
        for (room, events) in rooms {
            let key = serde_json::to_string(room).unwrap_or_default();
            let mut cursor = offset_of(text, &key, day_cursor).unwrap_or(day_cursor);
            for event in events.as_array().into_iter().flatten() {
                let title = nonempty(s(event, "title").as_deref()).unwrap_or_default();
                let needle = match event.get("guid").or_else(|| event.get("id")) {
                    Some(id) => id.to_string(),
                    None => serde_json::to_string(&title).unwrap_or_default(),
                };
                let at = locate(file, text, &needle, cursor);
                cursor = offset_of(text, &needle, cursor).map_or(cursor, |o| o + 1);
                if title.is_empty() {
                    missing(
                        at,
                        "a talk has no `title`",
                        "give the talk a title in the conference tool and export again",
                        diags,
                    );
                    continue;
                }
                let Some((start, offset)) = talk_start(
                    s(event, "date").as_deref(),
                    date,
                    s(event, "start").as_deref(),
                    c.time_zone.as_deref(),
                ) else {
                    missing(
                        at,
                        &format!("the talk `{title}` has no readable start (`date` or `start`)"),
                        "a talk needs `date` (2019-08-21T11:00:00+02:00) or a day's `date` with `start` (11:00)",
                        diags,
                    );
                    continue;
                };
                let persons = event
                    .get("persons")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|p| {
                        let name = ["public_name", "name", "full_public_name", "full_name"]
                            .iter()
                            .find_map(|k| s(p, k))
                            .or_else(|| p.as_str().map(str::to_string))
                            .unwrap_or_default();
                        let organization = AFFILIATION_KEYS
                            .iter()
                            .find_map(|k| nonempty(s(p, k).as_deref()));
                        (name, organization)
                    })
                    .collect();
                c.talks.push(Talk {
                    title,
                    subtitle: nonempty(s(event, "subtitle").as_deref()),
                    start,
                    offset,
                    // A number is minutes (pretalx's API), text as `duration` reads it.
                    duration: match event.get("duration") {
                        Some(Value::Number(n)) => n
                            .as_i64()
                            .and_then(|m| jiff::Span::new().try_minutes(m).ok()),
                        _ => s(event, "duration").as_deref().and_then(duration),
                    },
                    room: nonempty(s(event, "room").as_deref()).or_else(|| nonempty(Some(room))),
                    track: nonempty(s(event, "track").as_deref()),
                    abstract_: prose(s(event, "abstract").as_deref()),
                    description: prose(s(event, "description").as_deref()),
                    persons,
                    at,
                });
            }
        }
    }
    Some(c)
}

fn offset_of(text: &str, needle: &str, from: usize) -> Option<usize> {
    text.get(from..)?.find(needle).map(|i| i + from)
}

/// The line and column where `needle` first occurs at or after byte `from`, or the file's
/// start.
fn locate(file: &Path, text: &str, needle: &str, from: usize) -> Span {
    match offset_of(text, needle, from) {
        Some(o) => {
            let (line, col) = line_col(text, o);
            Span::new(file, line, col)
        }
        None => Span::file_start(file),
    }
}

// ---- XML (frab, pentabarf) ----

fn from_xml(file: &Path, text: &str, diags: &mut Diagnostics) -> Option<Conference> {
    let doc = match roxmltree::Document::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let pos = e.pos();
            diags.push(
                Diagnostic::error(format!("not valid XML: {e}"))
                    .at_in(Span::new(file, pos.row as usize, pos.col as usize), text)
                    .with_help("download the export again; an export cut short ends in the middle of an element"),
            );
            return None;
        }
    };
    let root = doc.root_element();
    let span = |node: roxmltree::Node| {
        let pos = doc.text_pos_at(node.range().start);
        Span::new(file, pos.row as usize, pos.col as usize)
    };
    if !root.has_tag_name("schedule") {
        missing(
            span(root),
            &format!(
                "not a frab or pentabarf schedule: the root element is `<{}>`",
                root.tag_name().name()
            ),
            "export the schedule as `schedule.xml` from frab or pentabarf (its root element is `<schedule>`)",
            diags,
        );
        return None;
    }
    let child = |node: roxmltree::Node, name: &str| -> Option<String> {
        node.children()
            .find(|n| n.has_tag_name(name))
            .map(|n| n.text().unwrap_or_default().to_string())
    };
    let conf = root.children().find(|n| n.has_tag_name("conference"));
    let mut c = Conference::default();
    if let Some(conf) = conf {
        c.title = nonempty(child(conf, "title").as_deref()).unwrap_or_default();
        c.acronym = nonempty(child(conf, "acronym").as_deref());
        c.start = child(conf, "start").and_then(|d| d.trim().get(..10)?.parse().ok());
        c.end = child(conf, "end").and_then(|d| d.trim().get(..10)?.parse().ok());
        c.venue = nonempty(child(conf, "venue").as_deref());
        c.city = nonempty(child(conf, "city").as_deref());
        c.time_zone = nonempty(child(conf, "time_zone_name").as_deref())
            .filter(|z| jiff::tz::TimeZone::get(z).is_ok());
        c.description = nonempty(child(conf, "description").as_deref());
    }
    if c.title.is_empty() {
        missing(
            conf.map_or_else(|| span(root), span),
            "the conference has no `<title>`",
            "the export's `<conference><title>` names the report; add it to the export",
            diags,
        );
    }
    for day in root.children().filter(|n| n.has_tag_name("day")) {
        let date: Option<civil::Date> = day
            .attribute("date")
            .and_then(|d| d.trim().get(..10)?.parse().ok());
        match date {
            Some(d) => c.days.push(d),
            None => missing(
                span(day),
                "a `<day>` has no `date`",
                "each `<day>` needs `date=\"YYYY-MM-DD\"`",
                diags,
            ),
        }
        // Talks by room (`<day>` -> `<room>` -> `<event>`), or, in early pentabarf exports,
        // straight under the day with the room inside each.
        let events = day.children().flat_map(|n| {
            let (room, events): (Option<&str>, Vec<roxmltree::Node>) = if n.has_tag_name("room") {
                let events = n.children().filter(|e| e.has_tag_name("event")).collect();
                (n.attribute("name"), events)
            } else if n.has_tag_name("event") {
                (None, vec![n])
            } else {
                (None, Vec::new())
            };
            events.into_iter().map(move |e| (room, e))
        });
        for (room_name, event) in events {
            let at = span(event);
            let title = nonempty(child(event, "title").as_deref()).unwrap_or_default();
            if title.is_empty() {
                missing(
                    at,
                    "a talk has no `<title>`",
                    "give the talk a title in the conference tool and export again",
                    diags,
                );
                continue;
            }
            let Some((start, offset)) = talk_start(
                child(event, "date").as_deref(),
                date,
                child(event, "start").as_deref(),
                c.time_zone.as_deref(),
            ) else {
                missing(
                    at,
                    &format!("the talk `{title}` has no readable start (`<date>` or `<start>`)"),
                    "a talk needs `<date>` (2019-08-21T11:00:00+02:00) or its day's date with `<start>` (11:00)",
                    diags,
                );
                continue;
            };
            // `<persons><person>Name</person>`, the name in a `<name>` of its own (FOSDEM
            // since pretalx), or `<person>` with no `<persons>` around it.
            let persons = event
                .children()
                .flat_map(|n| {
                    if n.has_tag_name("persons") {
                        n.children().filter(|p| p.has_tag_name("person")).collect()
                    } else if n.has_tag_name("person") {
                        vec![n]
                    } else {
                        Vec::new()
                    }
                })
                .map(|p| {
                    let organization = AFFILIATION_KEYS.iter().find_map(|a| {
                        nonempty(p.attribute(*a)).or_else(|| nonempty(child(p, a).as_deref()))
                    });
                    let name = match child(p, "name").or_else(|| child(p, "public_name")) {
                        Some(name) => name,
                        None => p.text().unwrap_or_default().to_string(),
                    };
                    (name, organization)
                })
                // An empty `<person/>` (a break's slot) names nobody: not worth a warning.
                .filter(|(name, _)| !name.trim().is_empty())
                .collect();
            c.talks.push(Talk {
                title,
                subtitle: nonempty(child(event, "subtitle").as_deref()),
                start,
                offset,
                duration: child(event, "duration").as_deref().and_then(duration),
                room: nonempty(child(event, "room").as_deref()).or_else(|| nonempty(room_name)),
                track: nonempty(child(event, "track").as_deref()),
                abstract_: prose(child(event, "abstract").as_deref()),
                description: prose(child(event, "description").as_deref()),
                persons,
                at,
            });
        }
    }
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duration_is_hours_and_minutes_minutes_alone_or_iso() {
        let minutes = |text: &str| {
            duration(text).map(|d| d.total(jiff::Unit::Minute).unwrap_or_default() as i64)
        };
        assert_eq!(minutes("00:30"), Some(30));
        assert_eq!(minutes("1:15"), Some(75));
        assert_eq!(minutes("01:00:00"), Some(60));
        assert_eq!(minutes("90"), Some(90));
        assert_eq!(minutes(" 45 "), Some(45));
        assert_eq!(minutes("PT1H30M"), Some(90));
        assert_eq!(minutes("soon"), None);
    }

    const XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <conference><title>Civic Tech Days</title><acronym>ctd</acronym>
    <city>Tbilisi</city><time_zone_name>Asia/Tbilisi</time_zone_name></conference>
  <day index="1" date="2025-03-01">
    <room name="Hall A">
      <event id="1">
        <date>2025-03-01T10:00:00+04:00</date><start>10:00</start><duration>00:45</duration>
        <room>Hall A</room><title>#OpenData in practice</title><track>Open data</track>
        <abstract>&lt;p&gt;How cities &lt;b&gt;publish&lt;/b&gt; data.&lt;/p&gt;</abstract>
        <persons><person id="7">Ana Lima + Rui Costa</person></persons>
      </event>
    </room>
  </day>
  <day index="2" date="2025-03-02">
    <room name="Hall B">
      <event id="2"><start>9:30</start><duration>01:00</duration>
        <title>Closing</title><persons><person id="8" organization="Civic Lab">Nino Beridze</person></persons>
      </event>
    </room>
  </day>
</schedule>
"#;

    #[test]
    fn frab_xml_becomes_one_report_with_sessions() {
        let (reports, diags) = read(Path::new("schedule.xml"), XML.as_bytes(), false);
        let warnings: Vec<String> = diags.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "schedule.xml:7:7: `Ana Lima + Rui Costa` looks like 2 people in one name; written as `Ana Lima` and `Rui Costa`"
            ]
        );
        let r = &reports[0];
        assert_eq!(
            (r.folder.as_str(), r.stem.as_str()),
            ("2025", "civic-tech-days")
        );
        assert_eq!(r.date.as_deref(), Some("2025-03-01"));
        assert_eq!(r.end.as_deref(), Some("2025-03-02"));
        assert_eq!(r.topics, ["Open data"]);
        let s = &r.sessions[0];
        assert_eq!(
            s.time.as_deref(),
            Some("2025-03-01 10:00–10:45 +04:00, Hall A")
        );
        assert_eq!(s.summary.as_deref(), Some("How cities publish data."));
        assert_eq!(s.speakers.len(), 2);
        // Given on the clock of the schedule's zone (no `<date>`): that zone's offset.
        let closing = &r.sessions[1];
        assert_eq!(
            closing.time.as_deref(),
            Some("2025-03-02 09:30–10:30 +04:00, Hall B")
        );
        assert_eq!(
            closing.speakers[0].organization.as_deref(),
            Some("Civic Lab")
        );
    }

    #[test]
    fn older_and_newer_xml_shapes_are_read_alike() {
        // Early pentabarf (FOSDEM 2007): talks straight under the day. A `<person>` with no
        // `<persons>` around it, one with its name in `<name>` (FOSDEM since pretalx), an
        // affiliation in brackets (pretalx), an empty `<person/>`, and wafer's `<date>` in
        // UTC beside a `<start>` on the conference's clock (DebConf 23, Asia/Kolkata).
        let xml = r#"<schedule><conference><title>Mixed</title><time_zone_name>Asia/Kolkata</time_zone_name></conference>
<day index="1" date="2023-09-10">
  <event id="1"><start>10:00</start><duration>00:30</duration><room>Hall</room><title>Early</title>
    <person>Ana Lima [Civic Lab]</person><person/></event>
  <room name="Annex"><event id="2"><date>2023-09-10T05:30:00+00:00</date><start>11:00</start>
    <duration>00:20</duration><title>Late</title>
    <persons><person id="3"><name>Rui Costa</name><slug>rui</slug></person></persons></event></room>
</day></schedule>"#;
        let (reports, diags) = read(Path::new("schedule.xml"), xml.as_bytes(), false);
        assert!(diags.is_empty(), "{diags:?}");
        let sessions = &reports[0].sessions;
        let shown: Vec<(&str, Option<&str>, &str, Option<&str>)> = sessions
            .iter()
            .map(|s| {
                (
                    s.title.as_str(),
                    s.time.as_deref(),
                    s.speakers[0].name.as_str(),
                    s.speakers[0].organization.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "Early",
                    Some("2023-09-10 10:00–10:30 +05:30, Hall"),
                    "Ana Lima",
                    Some("Civic Lab")
                ),
                (
                    "Late",
                    Some("2023-09-10 11:00–11:20 +05:30, Annex"),
                    "Rui Costa",
                    None
                ),
            ]
        );
    }

    #[test]
    fn json_talks_are_found_in_the_file_whatever_their_rooms_are_called() {
        // Rooms come out of the JSON object in key order (`A` before `Z`), not the file's.
        let json = r#"{"schedule": {"conference": {"title": "T", "days": [{"date": "2025-01-01", "rooms": {
"Z": [{"id": 1, "title": "First", "date": "2025-01-01T10:00:00+01:00", "persons": [{"full_public_name": "Ana Lima & Rui Costa"}]}],
"A": [{"id": 2, "title": "Second", "date": "2025-01-01T11:00:00+01:00", "persons": [{"full_public_name": "Nino Beridze & Eka Lomidze"}]}]
}}]}}}"#;
        let (reports, diags) = read(Path::new("s.json"), json.as_bytes(), false);
        let at: Vec<String> = diags
            .iter()
            .map(|d| {
                d.to_string()
                    .split(": ")
                    .next()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        assert_eq!(at, ["s.json:2:14", "s.json:3:14"]);
        assert_eq!(reports[0].sessions[0].speakers.len(), 2);
    }

    #[test]
    fn per_talk_reports_keep_offsets_or_name_the_zone() {
        let (reports, _) = read(Path::new("schedule.xml"), XML.as_bytes(), true);
        assert_eq!(reports.len(), 2);
        assert_eq!(reports[0].folder, "2025/civic-tech-days");
        assert_eq!(reports[0].date.as_deref(), Some("2025-03-01T10:00+04:00"));
        assert_eq!(reports[0].end.as_deref(), Some("2025-03-01T10:45+04:00"));
        assert_eq!(
            reports[1].date.as_deref(),
            Some("2025-03-02T09:30[Asia/Tbilisi]")
        );
        assert_eq!(reports[1].series.as_deref(), Some("Civic Tech Days"));
    }

    #[test]
    fn broken_exports_are_positioned() {
        let (_, diags) = read(
            Path::new("s.json"),
            b"{\n  \"schedule\": {\n    \"conference\": [1,\n",
            false,
        );
        let d = diags.iter().next().unwrap();
        assert!(d.to_string().starts_with("s.json:4:"), "{d}");
        let (_, diags) = read(
            Path::new("s.xml"),
            b"<schedule>\n<day date='2025-01-01'>\n</schedule>",
            false,
        );
        let d = diags.iter().next().unwrap();
        assert!(d.to_string().starts_with("s.xml:3:"), "{d}");
        let (_, diags) = read(Path::new("s.json"), b"{\"schedule\": {}}", false);
        assert!(
            diags
                .iter()
                .next()
                .unwrap()
                .message
                .contains("no `schedule` -> `conference`")
        );
    }
}
