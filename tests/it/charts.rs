//! Charts: drawn at build time as inline SVG, read back as XML (well-formed, `role="img"`,
//! `<title>` and `<desc>` carrying the numbers), with their data table, under 5 kB.

use crate::support::Site;

fn forum(year: u16, n: u16, organizer: &str, topics: &str, speaker: &str) -> String {
    format!(
        "-- content/forums/{year}/f{n}.md --\n---\ntitle: Forum {n} of {year}\ndate: {year}-0{}-1{n}\norganizers: [{organizer}]\ntopics: [{topics}]\nspeakers:\n  - name: {speaker}\n---\nText.\n",
        n % 9 + 1
    )
}

fn site() -> Site {
    let mut text = String::from("-- content/_index.md --\n---\ntitle: Charts\n---\n");
    let mut n = 0;
    for (year, count) in [(2019, 3), (2020, 1), (2022, 4)] {
        for i in 0..count {
            n += 1;
            let org = if i % 2 == 0 {
                "Green Fund"
            } else {
                "Civic Hub"
            };
            let topics = if i == 0 { "water, youth" } else { "water" };
            let speaker = if i == 0 { "Nigar Test" } else { "Other Person" };
            text.push_str(&forum(year, n, org, topics, speaker));
        }
    }
    Site::built(&text)
}

/// The chart of a page, parsed as XML, with its source size.
fn chart(site: &Site, page: &str) -> (String, usize) {
    let html = site.read(page);
    let start = html.find("<svg class=\"chart-drawing\"").expect("a chart");
    let end = html[start..].find("</svg>").unwrap() + start + "</svg>".len();
    let svg = html[start..end].to_string();
    let len = svg.len();
    (svg, len)
}

fn check(svg: &str) -> (String, String) {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(root.attribute("role"), Some("img"));
    let text = |name: &str| {
        root.children()
            .find(|c| c.tag_name().name() == name)
            .and_then(|c| c.text())
            .unwrap_or_else(|| panic!("no <{name}>"))
            .to_string()
    };
    let (title, desc) = (text("title"), text("desc"));
    let labelled: Vec<&str> = root
        .attribute("aria-labelledby")
        .unwrap()
        .split(' ')
        .collect();
    for id in labelled {
        assert!(
            doc.descendants().any(|n| n.attribute("id") == Some(id)),
            "{id}"
        );
    }
    assert!(!svg.contains("style="), "no inline styles (CSP)");
    (title, desc)
}

#[test]
fn the_forums_index_draws_forums_per_year_with_the_numbers() {
    let site = site();
    let (svg, len) = chart(&site, "forums/index.html");
    assert!(len < 5_000, "{len} bytes");
    let (title, desc) = check(&svg);
    assert_eq!(title, "Forums per year");
    assert_eq!(desc, "2019: 3, 2020: 1, 2021: 0, 2022: 4.");
    let page = site.page("forums/index.html");
    assert_eq!(
        page.texts(".chart table tbody th"),
        ["2019", "2020", "2021", "2022"]
    );
    assert_eq!(page.texts(".chart table tbody td"), ["3", "1", "0", "4"]);
    // Three years with forums: three bars in one path.
    assert_eq!(svg.matches('V').count(), 3);
}

#[test]
fn organizations_topics_and_speakers_have_their_charts() {
    let site = site();
    let (svg, len) = chart(&site, "organizations/index.html");
    assert!(len < 5_000, "{len} bytes");
    let (_, desc) = check(&svg);
    assert_eq!(desc, "Green Fund: 5; Civic Hub: 3.");

    let (svg, len) = chart(&site, "topics/index.html");
    assert!(len < 5_000, "{len} bytes");
    let (title, desc) = check(&svg);
    assert_eq!(title, "Forums per year on the 2 most frequent topics");
    assert_eq!(
        desc,
        "water: 2019: 3, 2020: 1, 2021: 0, 2022: 4; youth: 2019: 1, 2020: 1, 2021: 0, 2022: 1."
    );
    let page = site.page("topics/index.html");
    assert_eq!(
        page.texts(".chart table thead th"),
        ["Year", "water", "youth"]
    );

    let (svg, _) = chart(&site, "speakers/nigar-test/index.html");
    let (title, desc) = check(&svg);
    assert_eq!(title, "Forums Nigar Test took part in, per year");
    assert_eq!(desc, "2019: 1, 2020: 1, 2021: 0, 2022: 1.");
}

#[test]
fn a_topic_of_undated_forums_takes_no_place_in_the_topics_chart() {
    let undated = "-- content/forums/later.md --\n---\ntitle: Later\nstatus: announced\ntopics: [aaa, bbb]\n---\n";
    let site = Site::built(&format!(
        "{}{}{undated}",
        forum(2024, 1, "Green Fund", "water", "Solo Person"),
        forum(2025, 2, "Green Fund", "water", "Other Person")
    ));
    let (svg, _) = chart(&site, "topics/index.html");
    let (title, desc) = check(&svg);
    assert_eq!(title, "Forums per year on the most frequent topic");
    assert_eq!(desc, "water: 2024: 1, 2025: 1.");
}

#[test]
fn a_speaker_of_one_year_has_no_chart() {
    let site = Site::built(&forum(2024, 1, "Green Fund", "water", "Solo Person"));
    assert!(
        !site
            .read("speakers/solo-person/index.html")
            .contains("<svg")
    );
}
