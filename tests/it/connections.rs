//! Connections between entities (issue 16): attributed quotes, related forums, careers,
//! co-appearances, per-speaker and per-organization calendars, and their open data. Each
//! test builds a small hand-made site and reads the parsed output.

use crate::support::*;

/// Two reports quoting people under several spellings, and one attribution to nobody.
const QUOTES: &str = r#"
-- content/_index.md --
---
title: Quotes
base_url: https://example.org/
---
-- content/speakers/aygun-aliyeva.md --
---
name: Aygun Aliyeva
aliases: [Aygün Əliyeva, Айгюн Алиева]
---
-- content/forums/2024/first.md --
---
title: First Forum
date: 2024-05-14
speakers:
  - name: Aygun Aliyeva
    title: Deputy Director
    organization: State Support Agency for NGOs
  - name: Tural Aliyev
    organization: Presidential Administration
---
Opening words.

> Words *one*.
> — Aygün Əliyeva

> Words of Tural.
>
> Second paragraph.
>
> -- Tural Aliyev, Presidential Administration

> A plain quotation, attributed to nobody.
-- content/forums/2025/second.md --
---
title: Second Forum
date: 2025-10-20
speakers:
  - name: Aygün Aliyeva
    title: Executive Director
    organization: State Support Agency for NGOs
  - name: Turan Aliyev
---
> Words two.
> — Айгюн Алиева

> Who said this?
> — Tural Aliev
"#;

#[test]
fn quotes_are_attributed_under_any_spelling_and_shown_as_figures() {
    let site = Site::built(QUOTES);
    let first = site.page("forums/2024/first/index.html");
    assert_eq!(first.count(".report figure.quote"), 2);
    assert_eq!(first.count(".report blockquote"), 3, "the plain one stays");
    assert_eq!(
        first.texts(".report figure.quote blockquote"),
        vec!["Words one.", "Words of Tural. Second paragraph."],
        "the attribution line is not part of the words"
    );
    assert_eq!(
        first.texts(".report figure.quote figcaption"),
        vec![
            "— Aygun Aliyeva, Deputy Director, State Support Agency for NGOs",
            "— Tural Aliyev, Presidential Administration"
        ]
    );
    assert_eq!(
        first.links("#quote-1 figcaption")[0],
        ("/speakers/aygun-aliyeva/".into(), "Aygun Aliyeva".into())
    );
    let second = site.page("forums/2025/second/index.html");
    assert_eq!(second.count(".report figure.quote"), 1, "Cyrillic alias");
    assert_eq!(
        second.text("#quote-1 figcaption"),
        "— Aygun Aliyeva, Executive Director, State Support Agency for NGOs",
        "the title held at that forum"
    );
    assert_eq!(second.count(".report blockquote"), 2);
}

#[test]
fn speaker_and_organization_pages_collect_their_words_newest_first() {
    let site = Site::built(QUOTES);
    let page = site.page("speakers/aygun-aliyeva/index.html");
    assert_eq!(page.text("#quotes-heading"), "In their words (2)");
    assert_eq!(
        page.texts("section.quotes blockquote"),
        vec!["Words two.", "Words one."]
    );
    let links = page.links("section.quotes figcaption");
    assert!(links.contains(&("/forums/2025/second/#quote-1".into(), "Second Forum".into())));
    assert!(links.contains(&("/forums/2024/first/#quote-1".into(), "First Forum".into())));
    let org = site.page("organizations/state-support-agency-for-ngos/index.html");
    assert_eq!(
        org.texts("section.quotes blockquote"),
        vec!["Words two.", "Words one."]
    );
    let admin = site.page("organizations/presidential-administration/index.html");
    assert_eq!(
        admin.texts("section.quotes blockquote"),
        vec!["Words of Tural. Second paragraph."]
    );
    // Nobody without quotes gets an empty section.
    assert_eq!(
        site.page("speakers/turan-aliyev/index.html")
            .count("section.quotes"),
        0
    );
}

/// A profile's translated name finds the person like an alias, in an attribution too.
#[test]
fn a_quote_attributed_by_a_translated_profile_name_is_the_persons() {
    let site = Site::new(
        r#"
-- content/_index.md --
---
title: Quotes
languages: [en, ru]
---
-- content/speakers/aygun-aliyeva.md --
---
name: Aygun Aliyeva
---
-- content/speakers/aygun-aliyeva.ru.md --
---
name: Айгюн Алиева
---
-- content/forums/2025/forum.md --
---
title: Forum
date: 2025-10-20
speakers:
  - name: Aygun Aliyeva
    title: Executive Director
---
> Words in her own language.
> — Айгюн Алиева
"#,
    );
    site.build();
    assert!(
        !site.warnings().contains("quote attributed"),
        "{}",
        site.warnings()
    );
    let forum = site.page("forums/2025/forum/index.html");
    assert_eq!(
        forum.text("#quote-1 figcaption"),
        "— Aygun Aliyeva, Executive Director"
    );
    let speaker = site.page("speakers/aygun-aliyeva/index.html");
    assert_eq!(
        speaker.texts("section.quotes blockquote"),
        vec!["Words in her own language."]
    );
}

#[test]
fn an_en_dash_or_a_link_to_the_speaker_attributes_a_quote_too() {
    let site = Site::built(
        "-- content/forums/2025/forum.md --\n---\ntitle: Forum\ndate: 2025-10-20\nspeakers:\n  - name: Aygun Aliyeva\n    title: Director\n  - name: Tural Aliyev\n---\n> First words.\n> – Aygun Aliyeva\n\n> Second words.\n> — [Tural Aliyev](@/speakers/tural-aliyev), at the close\n",
    );
    assert!(
        !site.warnings().contains("quote attributed"),
        "{}",
        site.warnings()
    );
    let forum = site.page("forums/2025/forum/index.html");
    assert_eq!(
        forum.text("#quote-1 figcaption"),
        "— Aygun Aliyeva, Director"
    );
    assert_eq!(forum.text("#quote-2 figcaption"), "— Tural Aliyev");
    assert_eq!(forum.text("#quote-2 blockquote"), "Second words.");
}

#[test]
fn an_attribution_to_someone_not_on_the_report_is_a_positioned_warning() {
    let site = Site::new(QUOTES);
    let warnings = site.warnings();
    let report = parse_txtar(QUOTES)
        .into_iter()
        .find(|(p, _)| p.ends_with("second.md"))
        .unwrap()
        .1;
    let line = report.lines().position(|l| l == "> — Tural Aliev").unwrap() + 1;
    let expected = format!("forums/2025/second.md:{line}:5: quote attributed to `Tural Aliev`");
    assert!(warnings.contains(&expected), "{warnings}");
    assert!(
        warnings.contains("the closest speaker of this report is `Turan Aliyev`"),
        "{warnings}"
    );
    assert_eq!(warnings.matches("warning").count(), 1, "{warnings}");
}

#[test]
fn quotes_are_schema_org_quotations_and_open_data() {
    let site = Site::built(QUOTES);
    let page = site.page("forums/2024/first/index.html");
    let scripts = page.texts("script[type='application/ld+json']");
    let event: serde_json::Value = serde_json::from_str(&scripts[0]).unwrap();
    let quotes = event["recordedIn"].as_array().unwrap();
    assert_eq!(quotes.len(), 2);
    assert_eq!(quotes[0]["@type"], "Quotation");
    assert_eq!(quotes[0]["text"], "Words one.");
    assert_eq!(quotes[0]["spokenByCharacter"]["@type"], "Person");
    assert_eq!(
        quotes[0]["spokenByCharacter"]["url"],
        "https://example.org/speakers/aygun-aliyeva/"
    );
    assert_eq!(
        quotes[0]["spokenByCharacter"]["jobTitle"],
        "Deputy Director"
    );

    let data = valid_api(&site, "quotes");
    let items = data["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[1]["forum"], "2024/first");
    assert_eq!(items[1]["speaker"]["id"], "tural-aliyev");
    assert_eq!(items[1]["text"], "Words of Tural.\n\nSecond paragraph.");
    assert_eq!(
        items[1]["url"],
        "https://example.org/forums/2024/first/#quote-2"
    );
    // Line and column of the block quote in the report file.
    let report = parse_txtar(QUOTES)
        .into_iter()
        .find(|(p, _)| p.ends_with("first.md"))
        .unwrap()
        .1;
    let line = report
        .lines()
        .position(|l| l == "> Words of Tural.")
        .unwrap()
        + 1;
    assert_eq!(items[1]["line"], line);
    assert_eq!(items[1]["column"], 1);
    assert_eq!(items[2]["title"], "Executive Director");
}

/// Check an API file against its shipped schema; returns the data.
fn valid_api(site: &Site, name: &str) -> serde_json::Value {
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
    data
}

/// A forum and seven others, each sharing a known part of it.
const RELATED: &str = r#"
-- content/forums/target.md --
---
title: Target
date: 2025-06-01
series: Water Talks
city: Baku
organizers: [Org One]
speakers: [Ann, Bob]
topics: [water]
---
-- content/forums/r1.md --
---
title: R1 two shared speakers
date: 2020-01-01
speakers: [Ann, Bob]
---
-- content/forums/r2.md --
---
title: R2 same series
date: 2025-05-01
series: Water Talks
---
-- content/forums/r3.md --
---
title: R3 organizer and topic
date: 2025-07-01
organizers: [Org One]
topics: [water]
---
-- content/forums/r4.md --
---
title: R4 one speaker
date: 2024-06-01
speakers: [Ann]
---
-- content/forums/r5.md --
---
title: R5 city and topic
date: 2025-06-02
city: baku
topics: [water]
---
-- content/forums/r6.md --
---
title: R6 city alone
date: 2025-06-01
city: Baku
---
-- content/forums/r7.md --
---
title: R7 city and topic, long ago
date: 2019-01-01
city: Baku
topics: [water]
---
"#;

#[test]
fn related_forums_are_ranked_by_weighted_shared_features_then_nearness() {
    let site = Site::built(RELATED);
    let page = site.page("forums/target/index.html");
    // Scores: R1 3+3, R2 4, R3 2+1, R4 3 (a year away, after R3, a month away), R5 and R7
    // 1+1 (R5 nearer; only five are shown), R6 1 (below the minimum of 2).
    assert_eq!(
        page.texts("section.related .forum-title"),
        vec![
            "R1 two shared speakers",
            "R2 same series",
            "R3 organizer and topic",
            "R4 one speaker",
            "R5 city and topic"
        ]
    );
    let r6 = site.page("forums/r6/index.html");
    assert_eq!(
        r6.count("section.related"),
        0,
        "a city alone relates nothing"
    );
    let data = valid_api(&site, "forums");
    let target = data["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "target")
        .unwrap();
    assert_eq!(
        target["related"],
        serde_json::json!(["r1", "r2", "r3", "r4", "r5"])
    );
}

/// One person over five years and four forums, with the people and organizations around.
const PEOPLE: &str = r#"
-- content/_index.md --
---
title: People
base_url: https://example.org/
timezone: Asia/Baku
---
-- content/forums/f2021.md --
---
title: Forum 2021
date: 2021-03-01
organizers: [Org One, Org Two]
speakers:
  - name: Leyla Karimova
    title: Advisor
    organization: Ministry X
  - name: Ann Lee
  - name: Bob Ray
---
-- content/forums/f2022.md --
---
title: Forum 2022
date: 2022-03-01
organizers: [Org One]
partners: [Org Two, Org Three]
speakers:
  - name: Leyla Karimova
    title: advisor
    organization: Ministry X
  - name: Ann Lee
---
-- content/forums/f2022b.md --
---
title: Forum 2022 autumn
date: 2022-10-01
speakers: [Leyla Karimova, Ann Lee]
---
-- content/forums/f2023.md --
---
title: Forum 2023
date: 2023-05-01T10:00:00+04:00
speakers:
  - name: Leyla Karimova
    title: Deputy Director
    organization: Agency
---
-- content/forums/f2026.md --
---
title: Forum 2026
date: 2026-02-01
status: announced
organizers: [Org One]
speakers:
  - name: Leyla Karimova
    title: Advisor
    organization: Ministry X
---
-- content/forums/someday.md --
---
title: Someday
status: announced
organizers: [Org One]
speakers: [Leyla Karimova]
---
"#;

#[test]
fn careers_merge_consecutive_appearances_into_ranges_of_years() {
    let site = Site::built(PEOPLE);
    let page = site.page("speakers/leyla-karimova/index.html");
    assert_eq!(
        page.texts("ul.careers .position"),
        vec![
            "Advisor, Ministry X, 2026",
            "Deputy Director, Agency, 2023",
            "Advisor, Ministry X, 2021–2022"
        ],
        "most recent first; a return to a post is a new range; the autumn forum with no title neither extends nor breaks a range"
    );
    let behind: Vec<String> = page
        .links("ul.careers > li:last-child .meta")
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    assert_eq!(behind, vec!["Forum 2022", "Forum 2021"]);
    assert_eq!(
        page.texts("ul.careers summary"),
        vec!["1 forum", "1 forum", "2 forums"]
    );
    let data = valid_api(&site, "speakers");
    let leyla = data["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "leyla-karimova")
        .unwrap();
    assert_eq!(
        leyla["careers"][2],
        serde_json::json!({"title": "Advisor", "organization": "ministry-x", "from": 2021, "to": 2022, "forums": ["f2021", "f2022"]})
    );
}

#[test]
fn co_appearances_count_shared_forums() {
    let site = Site::built(PEOPLE);
    let page = site.page("speakers/leyla-karimova/index.html");
    assert_eq!(
        page.texts("section.together li"),
        vec!["Ann Lee (3 forums)", "Bob Ray (1 forum)"]
    );
    assert_eq!(
        page.links("section.together")[0].0,
        "/speakers/ann-lee/".to_string()
    );
    let org = site.page("organizations/org-one/index.html");
    assert_eq!(org.text("#together-heading"), "Works with");
    assert_eq!(
        org.texts("section.together li"),
        vec!["Org Two (2 forums)", "Org Three (1 forum)"]
    );
    let data = valid_api(&site, "organizations");
    let one = data["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "org-one")
        .unwrap();
    assert_eq!(
        one["works_with"],
        serde_json::json!([{"id": "org-two", "forums": 2}, {"id": "org-three", "forums": 1}])
    );
    let speakers = valid_api(&site, "speakers");
    let ann = speakers["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "ann-lee")
        .unwrap();
    assert_eq!(
        ann["often_with"],
        serde_json::json!([{"id": "leyla-karimova", "forums": 3}, {"id": "bob-ray", "forums": 1}])
    );
}

/// The summaries and UIDs of a calendar's events, parsed by an independent parser.
fn calendar_events(ics: &str) -> Vec<(String, String, String)> {
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "line over 75 octets: {line:?}");
    }
    let unfolded = icalendar::parser::unfold(ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("valid iCalendar");
    calendar
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .map(|c| {
            let prop = |name: &str| {
                c.properties
                    .iter()
                    .find(|p| p.name.as_str() == name)
                    .map(|p| p.val.as_str().to_string())
                    .unwrap_or_default()
            };
            (prop("SUMMARY"), prop("UID"), prop("DTSTART"))
        })
        .collect()
}

#[test]
fn speakers_and_organizations_have_calendars_of_their_forums() {
    let site = Site::built(PEOPLE);
    let page = site.page("speakers/leyla-karimova/index.html");
    let href = "/speakers/leyla-karimova/calendar.ics";
    assert!(
        page.links(".actions")
            .contains(&(href.into(), "Subscribe to their forums (iCalendar)".into()))
    );
    assert_eq!(
        page.attr("link[rel=alternate][type='text/calendar']", "href"),
        vec![href]
    );
    let events = calendar_events(&site.read("speakers/leyla-karimova/calendar.ics"));
    let summaries: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        summaries,
        vec![
            "Forum 2021",
            "Forum 2022",
            "Forum 2022 autumn",
            "Forum 2023",
            "Forum 2026"
        ],
        "past and upcoming, undated announcements left out as in the site calendar"
    );
    // The same events as the site's calendar: same UIDs, same times (UTC for a timed one).
    let site_events = calendar_events(&site.read("calendar.ics"));
    for e in &events {
        assert!(site_events.contains(e), "{e:?}");
    }
    assert_eq!(events[3].2, "20230501T060000Z");
    let org = calendar_events(&site.read("organizations/org-one/calendar.ics"));
    let summaries: Vec<&str> = org.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(summaries, vec!["Forum 2021", "Forum 2022", "Forum 2026"]);
    assert!(
        site.page("organizations/org-one/index.html")
            .link_to("/organizations/org-one/calendar.ics")
    );
}
