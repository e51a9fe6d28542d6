//! What machines read: Atom feeds, iCalendar files, schema.org JSON-LD, the sitemap, the
//! open-data API and its schemas, the appearances CSV, redirects. Every format is parsed with
//! an independent parser, never matched as a string.

use crate::support::*;

const SITE: &str = r#"
-- content/_index.md --
---
title: Civic Forums
base_url: https://example.org/archive/
timezone: Asia/Baku
---
-- content/forums/2024/dialogue.md --
---
title: Civic Dialogue, Baku; 2024
date: 2024-05-14
end: 2024-05-16
venue: Congress Hall
city: Baku
country: Azerbaijan
organizers: [State Support Agency for NGOs]
speakers:
  - name: Aygun Aliyeva
    title: Deputy Director
    organization: State Support Agency for NGOs
topics: [civic space]
summary: "A long summary that goes on and on, with commas; semicolons, and a backslash \\ so that the calendar line must be folded more than once to fit."
---
-- content/forums/2025/timed.md --
---
title: Evening Session
date: 2025-10-20T18:00:00+04:00
end: 2025-10-20T20:30:00+04:00
status: cancelled
speakers: [Aygun Aliyeva]
aliases: [/news/evening-session/]
---
-- content/forums/upcoming.md --
---
title: Turkic NGO Forum
status: announced
---
-- content/speakers/aygun-aliyeva.md --
---
name: Aygun Aliyeva
aliases: [Айгюн Алиева, /people/aygun/]
links: [https://example.net/aygun]
---
-- content/organizations/agency.md --
---
name: State Support Agency for NGOs
kind: government
parent: Cabinet of Ministers
---
"#;

fn built() -> Site {
    Site::built(SITE)
}

#[test]
fn atom_feeds_are_valid_newest_first_and_linked_from_pages() {
    let site = built();
    let feed: atom_syndication::Feed = site.read("feed.xml").parse().expect("valid Atom");
    assert_eq!(feed.title().as_str(), "Civic Forums");
    let titles: Vec<&str> = feed.entries().iter().map(|e| e.title().as_str()).collect();
    assert_eq!(
        titles,
        vec!["Evening Session", "Civic Dialogue, Baku; 2024"],
        "dated forums, newest first"
    );
    let entry = &feed.entries()[1];
    assert_eq!(
        entry.id(),
        "https://example.org/archive/forums/2024/dialogue/"
    );
    assert_eq!(entry.updated().to_rfc3339(), "2024-05-16T00:00:00+00:00");
    assert!(
        entry
            .summary()
            .unwrap()
            .as_str()
            .starts_with("A long summary")
    );
    assert_eq!(
        feed.links()
            .iter()
            .find(|l| l.rel() == "self")
            .unwrap()
            .href(),
        "https://example.org/archive/feed.xml"
    );

    // Evening Session runs from 18:00 to 20:30 at +04:00: updated is its end, a moment, not
    // the midnight before it, so never before published.
    let evening = &feed.entries()[0];
    assert_eq!(
        evening.published().unwrap().to_rfc3339(),
        "2025-10-20T14:00:00+00:00"
    );
    assert_eq!(evening.updated().to_rfc3339(), "2025-10-20T16:30:00+00:00");
    assert_eq!(feed.updated().to_rfc3339(), "2025-10-20T16:30:00+00:00");
    // An undated announcement counts by its source's date: an old one is not first, and
    // does not push a newer forum out of the 20.
    let mut text = String::new();
    for day in 1..=20 {
        text.push_str(&format!(
            "-- content/forums/f{day:02}.md --\n---\ntitle: Forum {day:02}\ndate: 2025-10-{day:02}\n---\n"
        ));
    }
    text.push_str("-- content/forums/old.md --\n---\ntitle: Old news\nstatus: announced\nsource:\n  publisher: Paper\n  date: 2020-01-01\n---\n");
    let many = Site::built(&text);
    let feed: atom_syndication::Feed = many.read("feed.xml").parse().expect("valid Atom");
    let titles: Vec<&str> = feed.entries().iter().map(|e| e.title().as_str()).collect();
    assert_eq!(titles.len(), 20);
    assert_eq!(titles[0], "Forum 20");
    assert_eq!(titles[19], "Forum 01", "{titles:?}");

    let speaker_feed: atom_syndication::Feed = site
        .read("speakers/aygun-aliyeva/feed.xml")
        .parse()
        .unwrap();
    assert_eq!(speaker_feed.entries().len(), 2);
    let org_feed: atom_syndication::Feed = site
        .read("organizations/state-support-agency-for-ngos/feed.xml")
        .parse()
        .unwrap();
    assert_eq!(org_feed.entries().len(), 1);
    let _: atom_syndication::Feed = site.read("topics/civic-space/feed.xml").parse().unwrap();
    let page = site.page("speakers/aygun-aliyeva/index.html");
    assert_eq!(
        page.attr("link[rel=alternate][type='application/atom+xml']", "href"),
        vec!["/archive/speakers/aygun-aliyeva/feed.xml"]
    );
    assert!(
        site.page("index.html")
            .attr("link[rel=alternate]", "href")
            .contains(&"/archive/feed.xml".to_string())
    );
}

/// A property's value and its parameters.
type Prop = (String, Vec<(String, String)>);

fn events(ics: &str) -> Vec<std::collections::BTreeMap<String, Prop>> {
    let unfolded = icalendar::parser::unfold(ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("valid iCalendar");
    calendar
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .map(|c| {
            c.properties
                .iter()
                .map(|p| {
                    let params = p
                        .params
                        .iter()
                        .map(|x| {
                            (
                                x.key.as_str().to_string(),
                                x.val
                                    .as_ref()
                                    .map(|v| v.as_str().to_string())
                                    .unwrap_or_default(),
                            )
                        })
                        .collect();
                    (
                        p.name.as_str().to_string(),
                        (p.val.as_str().to_string(), params),
                    )
                })
                .collect()
        })
        .collect()
}

#[test]
fn calendars_follow_rfc_5545() {
    let site = built();
    let ics = site.read("calendar.ics");
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "line over 75 octets: {line:?}");
    }
    assert!(
        !ics.replace("\r\n", "").contains('\n'),
        "every line ends in CRLF"
    );
    let all = events(&ics);
    assert_eq!(all.len(), 2, "undated announcements are not events");
    let dialogue = all
        .iter()
        .find(|e| e["SUMMARY"].0.contains("Dialogue"))
        .unwrap();
    assert_eq!(dialogue["DTSTART"].0, "20240514");
    assert_eq!(
        dialogue["DTSTART"].1,
        vec![("VALUE".to_string(), "DATE".to_string())]
    );
    assert_eq!(dialogue["DTEND"].0, "20240517", "exclusive end");
    // The parser unescapes TEXT values: what comes back is what the editor wrote.
    assert_eq!(dialogue["SUMMARY"].0, "Civic Dialogue, Baku; 2024");
    assert!(
        ics.contains("SUMMARY:Civic Dialogue\\, Baku\\; 2024\r\n"),
        "escaped on the wire"
    );
    assert_eq!(dialogue["LOCATION"].0, "Congress Hall, Baku, Azerbaijan");
    assert!(
        dialogue["DESCRIPTION"].0.contains("backslash \\ so"),
        "{}",
        dialogue["DESCRIPTION"].0
    );
    assert_eq!(dialogue["STATUS"].0, "CONFIRMED");
    assert_eq!(
        dialogue["UID"].0,
        "archive/forums/2024/dialogue@example.org"
    );
    assert_eq!(dialogue["DTSTAMP"].0, "20251101T000000Z");
    let timed = all
        .iter()
        .find(|e| e["SUMMARY"].0 == "Evening Session")
        .unwrap();
    assert_eq!(
        timed["DTSTART"].0, "20251020T140000Z",
        "18:00 at +04:00 in UTC"
    );
    assert_eq!(timed["DTEND"].0, "20251020T163000Z");
    assert_eq!(timed["STATUS"].0, "CANCELLED");

    // Forums whose paths differ only by a folder have UIDs of their own; an end at the
    // start itself is no DTEND.
    let two = Site::built(
        "-- content/forums/2025/spring/ngo-forum.md --\n---\ntitle: A\ndate: 2025-10-21T10:00+04:00\nend: 2025-10-21T10:00+04:00\n---\n-- content/forums/2025/spring-ngo-forum.md --\n---\ntitle: B\ndate: 2025-10-22\n---\n-- content/forums/2025/till.md --\n---\ntitle: C\ndate: 2025-10-21T10:00+04:00\nend: 2025-10-22\n---\n",
    );
    let both = events(&two.read("calendar.ics"));
    let uids: std::collections::BTreeSet<&str> = both.iter().map(|e| e["UID"].0.as_str()).collect();
    assert_eq!(uids.len(), 3, "{uids:?}");
    let instant = both.iter().find(|e| e["SUMMARY"].0 == "A").unwrap();
    assert_eq!(instant["DTSTART"].0, "20251021T060000Z");
    assert!(!instant.contains_key("DTEND"), "{instant:?}");
    // A timed start and a last day: the end of that day, where the forum is.
    let till = both.iter().find(|e| e["SUMMARY"].0 == "C").unwrap();
    assert_eq!(till["DTSTART"].0, "20251021T060000Z");
    assert_eq!(till["DTEND"].0, "20251022T200000Z");

    let single = events(&site.read("forums/2025/timed/event.ics"));
    assert_eq!(single.len(), 1);
    assert_eq!(
        single[0]["UID"].0, timed["UID"].0,
        "the same UID in both files"
    );
    let page = site.page("forums/2025/timed/index.html");
    assert!(
        page.link_to("/archive/forums/2025/timed/event.ics"),
        "Add to calendar"
    );
    assert!(!site.exists("forums/upcoming/event.ics"));
}

fn json_ld(site: &Site, path: &str) -> serde_json::Value {
    let page = site.page(path);
    let scripts = page.texts("script[type='application/ld+json']");
    assert_eq!(scripts.len(), 1, "{path}");
    serde_json::from_str(&scripts[0]).expect("JSON-LD parses")
}

#[test]
fn structured_data_describes_events_people_and_organizations() {
    let site = built();
    let event = json_ld(&site, "forums/2024/dialogue/index.html");
    assert_eq!(event["@type"], "Event");
    assert_eq!(event["startDate"], "2024-05-14");
    assert_eq!(event["endDate"], "2024-05-16");
    assert_eq!(event["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(event["location"]["@type"], "Place");
    assert_eq!(event["location"]["address"]["addressLocality"], "Baku");
    // Only a venue: its name is the address, not an empty PostalAddress.
    let venue = Site::built(
        "-- content/forums/v.md --\n---\ntitle: V\ndate: 2025-01-01\nvenue: Hall of Unions\n---\n",
    );
    let event_v = json_ld(&venue, "forums/v/index.html");
    assert_eq!(event_v["location"]["name"], "Hall of Unions");
    assert_eq!(event_v["location"]["address"], "Hall of Unions");
    assert_eq!(
        event["organizer"][0]["name"],
        "State Support Agency for NGOs"
    );
    assert_eq!(event["performer"][0]["name"], "Aygun Aliyeva");
    assert_eq!(event["performer"][0]["jobTitle"], "Deputy Director");
    assert_eq!(
        event["url"],
        "https://example.org/archive/forums/2024/dialogue/"
    );
    assert_eq!(
        json_ld(&site, "forums/2025/timed/index.html")["eventStatus"],
        "https://schema.org/EventCancelled"
    );

    let person = json_ld(&site, "speakers/aygun-aliyeva/index.html");
    assert_eq!(person["@type"], "Person");
    assert_eq!(person["sameAs"][0], "https://example.net/aygun");
    assert_eq!(
        person["affiliation"][0]["name"],
        "State Support Agency for NGOs"
    );

    let org = json_ld(
        &site,
        "organizations/state-support-agency-for-ngos/index.html",
    );
    assert_eq!(org["@type"], "GovernmentOrganization");
    assert_eq!(org["parentOrganization"]["name"], "Cabinet of Ministers");
    let parent = json_ld(&site, "organizations/cabinet-of-ministers/index.html");
    assert_eq!(
        parent["subOrganization"][0]["name"],
        "State Support Agency for NGOs"
    );
    assert_eq!(parent["subOrganization"][0]["@type"], "Organization");
}

#[test]
fn json_ld_cannot_be_broken_out_of() {
    // (U+2028 is a line break to the YAML parser; `json_script` escapes it, see its unit test.)
    let hostile = "</script><script>alert(1)</script> <!--<script> & \"quotes\" ]]>";
    let site = Site::new(&format!(
        "-- content/forums/x.md --\n---\ntitle: {}\ndate: 2025-01-01\nsummary: {}\n---\n",
        serde_json::to_string(hostile).unwrap(),
        serde_json::to_string(hostile).unwrap()
    ));
    site.build();
    let html = site.read("forums/x/index.html");
    let start = html.find("<script type=\"application/ld+json\">").unwrap();
    let script = &html[start + 35..];
    let script = &script[..script.find("</script>").unwrap()];
    assert!(
        !script.contains("</") && !script.contains("<!--") && !script.contains('\u{2028}'),
        "{script}"
    );
    let data: serde_json::Value = serde_json::from_str(script).unwrap();
    assert_eq!(data["name"], hostile);
    assert_eq!(data["description"], hostile);
    let page = site.page("forums/x/index.html");
    assert_eq!(
        page.attr("meta[property='og:title']", "content"),
        vec![hostile.to_string()]
    );
    assert_eq!(page.count("script"), 1, "no script element was injected");
}

#[test]
fn every_page_has_sharing_meta() {
    let site = built();
    for path in [
        "index.html",
        "forums/2024/dialogue/index.html",
        "speakers/aygun-aliyeva/index.html",
        "organizations/index.html",
        "topics/civic-space/index.html",
    ] {
        let page = site.page(path);
        let canonical = page.attr("link[rel=canonical]", "href");
        assert_eq!(canonical.len(), 1, "{path}");
        assert!(
            canonical[0].starts_with("https://example.org/archive/"),
            "{path}"
        );
        assert_eq!(
            page.attr("meta[property='og:url']", "content"),
            canonical,
            "{path}"
        );
        assert_eq!(page.count("meta[property='og:title']"), 1, "{path}");
        assert_eq!(page.count("meta[name='twitter:card']"), 1, "{path}");
        assert_eq!(page.count("head > title"), 1, "{path}");
    }
    let forum = site.page("forums/2024/dialogue/index.html");
    assert!(forum.attr("meta[name=description]", "content")[0].starts_with("A long summary"));
}

#[test]
fn sitemap_lists_every_page_and_robots_points_to_it() {
    let site = built();
    let xml = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let urls: Vec<(String, Option<String>)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .map(|n| {
            let text = |tag: &str| {
                n.children()
                    .find(|c| c.has_tag_name(tag))
                    .and_then(|c| c.text())
                    .map(str::to_string)
            };
            (text("loc").unwrap(), text("lastmod"))
        })
        .collect();
    let html_pages = site
        .tree()
        .keys()
        .filter(|p| p.ends_with("index.html"))
        .filter(|p| !p.starts_with("news/") && !p.starts_with("people/"))
        .count();
    assert_eq!(urls.len(), html_pages, "every page, no redirects");
    let dialogue = urls
        .iter()
        .find(|(u, _)| u == "https://example.org/archive/forums/2024/dialogue/")
        .unwrap();
    assert_eq!(dialogue.1.as_deref(), Some("2024-05-16"));
    assert!(!urls.iter().any(|(u, _)| u.contains("404")));
    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/archive/sitemap.xml\n"
    );
    assert_eq!(site.page("404.html").text("h1"), "Page not found");
}

#[test]
fn open_data_matches_its_schemas() {
    let site = built();
    for name in ["forums", "speakers", "organizations"] {
        let data: serde_json::Value =
            serde_json::from_str(&site.read(&format!("api/{name}.json"))).unwrap();
        let schema: serde_json::Value =
            serde_json::from_str(&site.read(&format!("api/schema/{name}.json"))).unwrap();
        let validator = jsonschema::validator_for(&schema).expect("the schema is valid");
        let errors: Vec<String> = validator
            .iter_errors(&data)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
        assert_eq!(
            data["$schema"],
            format!("https://example.org/archive/api/schema/{name}.json")
        );
    }
    let forums: serde_json::Value = serde_json::from_str(&site.read("api/forums.json")).unwrap();
    let dialogue = forums["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "2024/dialogue")
        .unwrap();
    assert_eq!(dialogue["appearances"][0]["speaker"]["id"], "aygun-aliyeva");
    assert_eq!(dialogue["appearances"][0]["title"], "Deputy Director");
    let speakers: serde_json::Value =
        serde_json::from_str(&site.read("api/speakers.json")).unwrap();
    let aygun = &speakers["items"][0];
    assert_eq!(aygun["appearances"].as_array().unwrap().len(), 2);
    let orgs: serde_json::Value =
        serde_json::from_str(&site.read("api/organizations.json")).unwrap();
    let agency = orgs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "state-support-agency-for-ngos")
        .unwrap();
    assert_eq!(agency["parent"], "cabinet-of-ministers");
    assert_eq!(agency["organized"][0], "2024/dialogue");

    // A schema that does not fit the data would fail: the check can fail.
    let mut broken = dialogue.clone();
    broken["status"] = "finished".into();
    let schema: serde_json::Value =
        serde_json::from_str(&site.read("api/schema/forums.json")).unwrap();
    let wrapped = serde_json::json!({ "$schema": "x", "generated": "2025-01-01", "site": "s", "items": [broken] });
    assert!(!jsonschema::is_valid(&schema, &wrapped));
}

#[test]
fn appearances_csv_has_one_row_per_appearance() {
    let site = built();
    let text = site.read("api/appearances.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "forum_id");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        &rows[0][1], "Civic Dialogue, Baku; 2024",
        "commas survive quoting"
    );
    assert_eq!(&rows[0][6], "Aygun Aliyeva");
    assert_eq!(&rows[0][8], "Deputy Director");
    assert_eq!(&rows[0][10], "State Support Agency for NGOs");
}

#[test]
fn old_urls_of_reports_and_profiles_redirect() {
    let site = built();
    for (old, new) in [
        (
            "news/evening-session/index.html",
            "https://example.org/archive/forums/2025/timed/",
        ),
        (
            "people/aygun/index.html",
            "https://example.org/archive/speakers/aygun-aliyeva/",
        ),
    ] {
        let page = site.page(old);
        assert_eq!(
            page.attr("link[rel=canonical]", "href"),
            vec![new.to_string()]
        );
        assert_eq!(
            page.attr("meta[http-equiv=refresh]", "content"),
            vec![format!("0; url={new}")]
        );
        assert!(page.link_to(new));
    }
    // `/people/aygun/` is a URL, not a spelling of the name.
    assert!(
        !site
            .page("speakers/aygun-aliyeva/index.html")
            .text(".aliases")
            .contains("/people/")
    );
}

#[test]
fn a_calendar_without_dated_forums_is_still_valid() {
    let site = Site::new("-- content/forums/a.md --\n---\ntitle: A\nstatus: announced\n---\n");
    site.build();
    let ics = site.read("calendar.ics");
    let unfolded = icalendar::parser::unfold(&ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("valid iCalendar");
    assert_eq!(
        calendar.components.len(),
        1,
        "one component, as RFC 5545 requires"
    );
    assert_eq!(calendar.components[0].name.as_str(), "VTIMEZONE");
}
