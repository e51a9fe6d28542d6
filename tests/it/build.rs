//! `podium build` end to end: every page kind, the links between them, name merging, dates.

use crate::support::*;

/// Two held forums a year apart, one announced; one person spelt three ways; an
/// organization with a parent; a panel; a photo beside a report.
const SITE: &str = r#"
-- content/_index.md --
---
title: Civic Forums
description: Reports of civil-society forums.
base_url: https://example.org/archive/
timezone: Asia/Baku
---
Welcome to the **archive**.
-- content/forums/2024/baku-dialogue.md --
---
title: Baku Civic Dialogue
date: 2024-05-14
end: 2024-05-15
status: held
series: Civic Dialogue
venue: Congress Hall
city: Baku
country: Azerbaijan
organizers: [State Support Agency for NGOs]
partners: [Open Society Partners]
speakers:
  - name: Aygün Aliyeva
    title: Deputy Director
    organization: State Support Agency for NGOs
  - name: Tural Mammadov
    title: Researcher
    organization: Youth Network
topics: [Civic space, Youth]
sessions:
  - title: Panel on grants
    moderator:
      name: Leyla Karimova
      organization: Media Watch
    speakers:
      - name: Rauf Hasanov
        title: Lawyer
---
The dialogue opened with a review. See the [next edition](../2025/khankendi-forum.md) and [the agenda](agenda.pdf).
-- content/forums/2024/agenda.pdf --
not really a pdf
-- content/forums/2025/khankendi-forum.md --
---
title: Khankendi Forum
date: 2025-10-20
series: Civic Dialogue
city: Khankendi
country: Azerbaijan
organizers: State Support Agency for NGOs
speakers:
  - name: Aygun Aliyeva
    title: Executive Director
    organization: State Support Agency for NGOs
  - name: Айгюн Алиева
    role: video
  - Dilyara Salim
topics: [civic space]
source: { publisher: Trend, date: 2025-10-21, url: "https://example.com/report" }
summary: The second edition.
---
Hosted by [Dilyara Salim](@/speakers/dilyara-salim).
-- content/forums/announced/turkic-forum.md --
---
title: Turkic States NGO Forum
status: announced
organizers: [State Support Agency for NGOs]
---
Announced at Khankendi.
-- content/speakers/aygun-aliyeva.md --
---
name: Aygun Aliyeva
aliases: [Айгюн Алиева]
links:
  - https://example.org/people/aygun
---
Heads the agency.
-- content/organizations/state-support-agency.md --
---
name: State Support Agency for NGOs
kind: government
parent: Cabinet of Ministers
aliases: [NGO Agency]
---
A public body.
"#;

fn built() -> Site {
    Site::built(SITE)
}

#[test]
fn every_page_kind_exists_and_links_onward() {
    let site = built();
    let forum = site.page("forums/2024/baku-dialogue/index.html");
    assert_eq!(forum.text("h1"), "Baku Civic Dialogue");
    assert!(forum.link_to("/archive/speakers/aygun-aliyeva/"));
    assert!(forum.link_to("/archive/organizations/state-support-agency-for-ngos/"));
    assert!(forum.link_to("/archive/series/civic-dialogue/"));
    assert!(forum.link_to("/archive/topics/civic-space/"));
    assert!(forum.link_to("/archive/forums/2024/"));

    let speaker = site.page("speakers/aygun-aliyeva/index.html");
    assert!(speaker.link_to("/archive/forums/2025/khankendi-forum/"));
    assert!(speaker.link_to("/archive/organizations/state-support-agency-for-ngos/"));

    let org = site.page("organizations/state-support-agency-for-ngos/index.html");
    assert!(
        org.link_to("/archive/forums/2024/baku-dialogue/"),
        "organized forum"
    );
    assert!(
        org.link_to("/archive/speakers/aygun-aliyeva/"),
        "its people"
    );
    assert!(
        org.link_to("/archive/organizations/cabinet-of-ministers/"),
        "its parent"
    );
    let parent = site.page("organizations/cabinet-of-ministers/index.html");
    assert!(
        parent.link_to("/archive/organizations/state-support-agency-for-ngos/"),
        "its children"
    );

    for index in [
        "index.html",
        "forums/index.html",
        "forums/2024/index.html",
        "speakers/index.html",
        "organizations/index.html",
        "topics/index.html",
        "series/index.html",
        "topics/youth/index.html",
        "series/civic-dialogue/index.html",
        "404.html",
    ] {
        let page = site.page(index);
        assert_eq!(page.count("h1"), 1, "{index} has one h1");
        assert!(
            page.count("main a[href]") > 0 || index == "404.html",
            "{index} links onward"
        );
    }
    assert!(
        site.page("series/civic-dialogue/index.html")
            .link_to("/archive/forums/2025/khankendi-forum/")
    );
    assert!(
        site.page("speakers/index.html")
            .link_to("/archive/speakers/rauf-hasanov/")
    );
    let orgs = site.page("organizations/index.html");
    assert!(orgs.text("main").contains("Government bodies"));
    assert!(orgs.link_to("/archive/organizations/media-watch/"));
}

#[test]
fn no_internal_link_points_to_a_missing_file() {
    let site = built();
    let dead = dead_internal_links(&site.out(), "/archive/");
    assert!(dead.is_empty(), "dead links:\n{}", dead.join("\n"));
    assert!(site.exists("style.css"));
}

#[test]
fn spellings_and_aliases_merge_into_one_speaker() {
    let site = built();
    // "Aygün Aliyeva" and "Aygun Aliyeva" share a slug; "Айгюн Алиева" is a profile alias.
    let speaker = site.page("speakers/aygun-aliyeva/index.html");
    assert_eq!(
        speaker.count("ul.appearances > li"),
        3,
        "three appearances on one page"
    );
    assert!(!site.exists("speakers/aigyun-alieva/index.html"));
    let speakers = site.page("speakers/index.html");
    let aygun: Vec<_> = speakers
        .links("main")
        .into_iter()
        .filter(|(h, _)| h.contains("aygun"))
        .collect();
    assert_eq!(aygun.len(), 1, "{aygun:?}");
    assert!(speaker.text(".aliases").contains("Aygün Aliyeva"));
}

#[test]
fn appearances_keep_the_title_and_organization_of_their_forum() {
    let site = built();
    let speaker = site.page("speakers/aygun-aliyeva/index.html");
    let items = speaker.texts("ul.appearances > li");
    let baku = items
        .iter()
        .find(|t| t.contains("Baku Civic Dialogue"))
        .unwrap();
    let khankendi = items
        .iter()
        .find(|t| t.contains("Khankendi Forum") && t.contains("Executive"))
        .unwrap();
    assert!(baku.contains("Deputy Director"), "{baku}");
    assert!(!baku.contains("Executive Director"), "{baku}");
    assert!(khankendi.contains("Executive Director"), "{khankendi}");
    assert!(items.iter().any(|t| t.contains("Video")), "{items:?}");
    // The organization lists the person with both titles.
    let org = site.page("organizations/state-support-agency-for-ngos/index.html");
    let people = org.text("ul.people");
    assert!(
        people.contains("Deputy Director") && people.contains("Executive Director"),
        "{people}"
    );
}

#[test]
fn sessions_list_their_moderator_and_panelists() {
    let site = built();
    let forum = site.page("forums/2024/baku-dialogue/index.html");
    let session = forum.text("section.session");
    assert!(
        session.contains("Panel on grants")
            && session.contains("Leyla Karimova")
            && session.contains("moderator"),
        "{session}"
    );
    assert!(
        session.contains("Rauf Hasanov") && session.contains("panelist"),
        "{session}"
    );
    let org = site.page("organizations/media-watch/index.html");
    assert!(org.link_to("/archive/speakers/leyla-karimova/"));
}

#[test]
fn upcoming_and_past_follow_the_given_today() {
    let site = Site::new(SITE);
    // On 1 November 2025 only the announced forum is upcoming.
    site.build();
    let home = site.page("index.html");
    let upcoming = home.text("section[aria-labelledby=upcoming-heading]");
    assert!(upcoming.contains("Turkic States NGO Forum"), "{upcoming}");
    assert!(!upcoming.contains("Khankendi Forum"), "{upcoming}");
    assert!(
        home.text("section[aria-labelledby=latest-heading]")
            .contains("Khankendi Forum")
    );

    // On 1 October 2025 the Khankendi forum is still ahead.
    let mut options = site.options();
    options.today = podium::Today::Fixed(jiff::civil::date(2025, 10, 1));
    podium::build(&options).unwrap();
    let forums = site.page("forums/index.html");
    let upcoming = forums.text("section[aria-labelledby=upcoming-heading]");
    assert!(
        upcoming.contains("Khankendi Forum") && upcoming.contains("Turkic States NGO Forum"),
        "{upcoming}"
    );
    // Soonest first, undated announcements last.
    assert!(upcoming.find("Khankendi").unwrap() < upcoming.find("Turkic").unwrap());
}

#[test]
fn forums_index_groups_past_forums_by_year_newest_first() {
    let site = built();
    let forums = site.page("forums/index.html");
    let headings = forums.texts("main h2");
    let y2025 = headings.iter().position(|h| h == "2025").unwrap();
    let y2024 = headings.iter().position(|h| h == "2024").unwrap();
    assert!(y2025 < y2024, "{headings:?}");
    assert!(forums.link_to("/archive/forums/2024/"));
    let year = site.page("forums/2024/index.html");
    assert_eq!(
        year.links("ul.forum-list")
            .iter()
            .filter(|(h, _)| h.starts_with("/archive/forums/"))
            .count(),
        1
    );
}

#[test]
fn dates_render_as_time_elements_in_every_time_zone() {
    let site = built();
    let forum = site.page("forums/2024/baku-dialogue/index.html");
    assert_eq!(forum.attr(".facts time", "datetime"), vec!["2024-05-14"]);
    assert_eq!(forum.text(".facts time"), "14–15 May 2024");
    // A civil date is never shifted by the machine's zone.
    let other = Site::new(SITE);
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_podium"))
        .args(["build", "--quiet", "--today", "2025-11-01", "--root"])
        .arg(other.root())
        .env("TZ", "America/Los_Angeles")
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        other.read("forums/2024/baku-dialogue/index.html"),
        site.read("forums/2024/baku-dialogue/index.html")
    );
}

#[test]
fn markdown_links_resolve_and_files_beside_reports_are_copied() {
    let site = built();
    let forum = site.page("forums/2024/baku-dialogue/index.html");
    assert!(forum.link_to("/archive/forums/2025/khankendi-forum/"));
    // (Images are processed, not copied: see tests/it/images.rs.)
    assert!(forum.link_to("/archive/forums/2024/agenda.pdf"));
    assert_eq!(site.read("forums/2024/agenda.pdf"), "not really a pdf\n");
    let khankendi = site.page("forums/2025/khankendi-forum/index.html");
    assert!(khankendi.link_to("/archive/speakers/dilyara-salim/"));
    assert!(khankendi.text(".source").contains("Trend"));
    assert!(khankendi.link_to("https://example.com/report"));
}

#[test]
fn front_matter_text_is_escaped() {
    let site = Site::new(
        r#"
-- content/forums/x.md --
---
title: "<script>alert(1)</script> & \" onmouseover=\"alert(2)"
date: 2025-01-01
speakers:
  - name: "<b>Bold</b> Name"
    title: "<img src=x onerror=alert(3)>"
---
Body with <script>alert(4)</script> raw HTML.
"#,
    );
    site.build();
    let html = site.read("forums/x/index.html");
    assert!(!html.contains("<script>"), "no live script element");
    assert!(!html.contains("<img src=x"), "no live img");
    assert!(
        !html.contains("<b>Bold"),
        "no live markup from front matter"
    );
    let page = site.page("forums/x/index.html");
    assert_eq!(
        page.text("h1"),
        "<script>alert(1)</script> & \" onmouseover=\"alert(2)"
    );
    assert!(
        page.text(".report").contains("<script>alert(4)</script>"),
        "raw HTML shown as text"
    );
    for content in page.attr("meta[property='og:title']", "content") {
        assert!(
            content.contains("onmouseover"),
            "attribute kept whole: {content}"
        );
    }
}

#[test]
fn an_empty_settings_file_gives_working_defaults() {
    let site = Site::new(
        r#"
-- content/_index.md --
---
---
-- content/forums/a.md --
---
title: A
date: 2025-01-01
---
"#,
    );
    site.build();
    let home = site.page("index.html");
    assert_eq!(home.attr("html", "lang"), vec!["en"]);
    assert!(home.link_to("/forums/"));
    assert!(site.exists("forums/a/index.html"));
    assert!(dead_internal_links(&site.out(), "/").is_empty());
}

#[test]
fn a_site_without_settings_or_themes_builds_with_the_built_in_theme() {
    let site = Site::new(
        r#"
-- content/forums/only.md --
---
title: Only
date: 2025-01-01
---
"#,
    );
    site.build();
    assert!(
        site.read("style.css").len() > 500,
        "the built-in stylesheet is copied"
    );
    assert_eq!(site.page("forums/only/index.html").text("h1"), "Only");
}

#[test]
fn slug_overrides_and_aliases_redirect() {
    let site = Site::new(
        r#"
-- content/forums/2025/Long Name Of A Forum.md --
---
title: Long
date: 2025-02-02
slug: short
aliases: [/old/long-forum/]
---
"#,
    );
    site.build();
    assert!(site.exists("forums/2025/short/index.html"));
    let redirect = site.page("old/long-forum/index.html");
    assert_eq!(
        redirect.attr("link[rel=canonical]", "href"),
        vec!["/forums/2025/short/"]
    );
    assert!(
        redirect.attr("meta[http-equiv=refresh]", "content")[0]
            .ends_with("url=/forums/2025/short/")
    );
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let site = Site::new(SITE);
    let build_with = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| site.build());
        site.tree()
    };
    let one = build_with(1);
    let many = build_with(4);
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        many.keys().collect::<Vec<_>>()
    );
    assert!(one == many, "outputs differ between 1 and 4 threads");
}

#[test]
fn the_cli_prints_counts_and_honours_quiet_and_output() {
    let site = Site::new(SITE);
    let out = site.root().join("elsewhere");
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_podium"))
            .args(["build", "--today", "2025-11-01", "--root"])
            .arg(site.root())
            .arg("--output")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    let loud = run(&[]);
    assert!(
        loud.status.success(),
        "{}",
        String::from_utf8_lossy(&loud.stderr)
    );
    let stdout = String::from_utf8_lossy(&loud.stdout);
    assert!(
        stdout.contains("3 forums") && stdout.contains("speakers") && stdout.contains(" ms"),
        "{stdout}"
    );
    assert!(out.join("forums/2025/khankendi-forum/index.html").exists());
    let quiet = run(&["--quiet"]);
    assert!(quiet.status.success());
    assert!(
        quiet.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&quiet.stdout)
    );
}

#[test]
fn source_date_epoch_fixes_today() {
    let site = Site::new(SITE);
    let run = |epoch: &str| {
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_podium"))
            .args(["build", "--quiet", "--root"])
            .arg(site.root())
            .env("SOURCE_DATE_EPOCH", epoch)
            .status()
            .unwrap();
        assert!(status.success());
        site.page("index.html").text("main")
    };
    // 2025-10-01: the Khankendi forum is upcoming; 2025-11-01: it is the latest report.
    let before = run("1759276800");
    assert!(
        before.contains("Upcoming")
            && before.find("Khankendi").unwrap() < before.find("Latest").unwrap(),
        "{before}"
    );
    let after = run("1761955200");
    assert!(
        after.find("Khankendi").unwrap() > after.find("Latest").unwrap(),
        "{after}"
    );
}

/// Five forums with the same speaker, organizer, topic and series, in one year, listed two
/// to a page.
fn paginated_site() -> String {
    let mut text = String::from(
        "-- content/_index.md --\n---\ntitle: Paged\npaginate: 2\n---\n-- content/speakers/ann-lee.md --\n---\nname: Ann Lee\n---\nAnn's biography.\n",
    );
    for i in 1..=5 {
        text.push_str(&format!(
            "-- content/forums/2024/f{i}.md --\n---\ntitle: Forum {i}\ndate: 2024-0{i}-01\nseries: Round\ntopics: [water]\norganizers: [Green Org]\nspeakers: [Ann Lee]\n---\n"
        ));
    }
    text
}

#[test]
fn long_lists_go_on_over_numbered_pages_at_the_entitys_address() {
    let site = Site::built(&paginated_site());
    for (first, item) in [
        ("speakers/ann-lee/", "a.forum-title"),
        ("organizations/green-org/", ".forum-list a"),
        ("topics/water/", ".forum-list a"),
        ("series/round/", ".forum-list a"),
        ("forums/2024/", ".forum-list a"),
    ] {
        let mut seen = Vec::new();
        for (n, href) in [
            (1, first.to_string()),
            (2, format!("{first}page/2/")),
            (3, format!("{first}page/3/")),
        ] {
            let page = site.page(&format!("{href}index.html"));
            let titles: Vec<String> = page
                .texts(item)
                .into_iter()
                .filter(|t| t.starts_with("Forum "))
                .collect();
            assert_eq!(
                titles.len(),
                if n == 3 { 1 } else { 2 },
                "{href}: {titles:?}"
            );
            seen.extend(titles);
            // Numbered links to every page, this one marked; previous and next, also in <head>.
            let numbered = page.links("nav.pagination a:not([rel])");
            let targets: Vec<&str> = numbered.iter().map(|(h, _)| h.as_str()).collect();
            assert_eq!(
                targets,
                [
                    format!("/{first}"),
                    format!("/{first}page/2/"),
                    format!("/{first}page/3/")
                ],
                "{href}"
            );
            assert_eq!(
                page.attr("nav.pagination a[aria-current=page]", "href"),
                [format!("/{href}")]
            );
            let next = page.attr("head link[rel=next]", "href");
            let prev = page.attr("head link[rel=prev]", "href");
            assert_eq!(
                next,
                page.attr("nav.pagination a[rel=next]", "href"),
                "{href}"
            );
            assert_eq!(
                prev,
                page.attr("nav.pagination a[rel=prev]", "href"),
                "{href}"
            );
            assert_eq!(next.len(), usize::from(n < 3), "{href}");
            assert_eq!(prev.len(), usize::from(n > 1), "{href}");
            assert_eq!(
                page.attr("link[rel=canonical]", "href"),
                [format!("/{href}")]
            );
        }
        seen.sort();
        assert_eq!(
            seen,
            ["Forum 1", "Forum 2", "Forum 3", "Forum 4", "Forum 5"],
            "{first}"
        );
        assert!(!site.exists(&format!("{first}page/4/index.html")));
        assert!(
            !site.exists(&format!("{first}page/1/index.html")),
            "page 1 is the entity's own page"
        );
    }
    // Newest first, the profile on the first page only; feeds stay whole.
    let first = site.page("speakers/ann-lee/index.html");
    assert_eq!(first.texts("a.forum-title"), ["Forum 5", "Forum 4"]);
    assert!(first.text(".bio").contains("biography"));
    assert!(
        site.page("speakers/ann-lee/page/2/index.html")
            .count(".bio")
            == 0
    );
    assert_eq!(
        site.read("speakers/ann-lee/feed.xml")
            .matches("<entry>")
            .count(),
        5
    );
    assert!(
        site.page("speakers/ann-lee/page/2/index.html")
            .text("title")
            .contains("page 2 of 3")
    );
}

#[test]
fn an_organization_page_lists_its_hundred_most_frequent_people_and_counts_the_rest() {
    let people: String = (1..=101)
        .map(|n| format!("  - name: Person {n:03}\n    organization: Big Org\n"))
        .collect();
    // One forum a page: the organization's two forums are on two pages.
    let site = Site::built(&format!(
        "-- content/_index.md --\n---\ntitle: Forums\npaginate: 1\n---\n\
         -- content/forums/2025/a.md --\n---\ntitle: A\ndate: 2025-01-01\nspeakers:\n{people}---\nText.\n\
         -- content/forums/2025/b.md --\n---\ntitle: B\ndate: 2025-02-01\nspeakers:\n  - name: Person 101\n    organization: Big Org\n  - name: Someone Unnamed\n    organization: Big Org\n    privacy: unlisted\n---\nText.\n"
    ));
    let page = site.page("organizations/big-org/index.html");
    assert_eq!(page.text("#people-heading .count"), "(102)");
    // The description counts everyone who spoke for it, on every page of its forums; the
    // people are listed on the first page only.
    let second = site.page("organizations/big-org/page/2/index.html");
    for p in [&page, &second] {
        assert_eq!(
            p.attr("meta[name=description]", "content"),
            ["Big Org: 2 forums, 102 people."]
        );
    }
    assert_eq!(second.count("#people-heading"), 0);
    let names = page.texts("ul.people li.person:not(.more) a.name");
    assert_eq!(names.len(), 100);
    // Person 101 spoke twice: listed; of the 100 who spoke once, the last by name is not.
    assert!(names.contains(&"Person 101".to_string()), "{names:?}");
    assert!(!names.contains(&"Person 100".to_string()), "{names:?}");
    assert_eq!(names[0], "Person 001");
    assert_eq!(
        page.text("ul.people li.more"),
        "and 1 more person who spoke for it less often"
    );
    // Everyone is still in the open data.
    let api = site.read("api/organizations.json");
    assert!(api.contains("person-100"), "the open data keeps everyone");
}

#[test]
fn paginate_must_be_a_positive_number() {
    let site = Site::new(&paginated_site().replace("paginate: 2", "paginate: 0"));
    let err = site.build_err();
    assert!(
        err.contains("content/_index.md:3:11: `paginate` is 0; it must be a number of forums per page from 1 to 100000"),
        "{err}"
    );
}

#[test]
fn the_indexes_of_organizations_topics_and_series_go_on_over_pages() {
    // paginate: 1 gives ten names a page. 24 organizations in two kinds, 12 topics, 11 series.
    let mut text = String::from("-- content/_index.md --\n---\ntitle: Paged\npaginate: 1\n---\n");
    let orgs: Vec<String> = (1..=24).map(|i| format!("Org {i:02}")).collect();
    for (i, org) in orgs.iter().enumerate().take(8) {
        let slug = format!("org-{:02}", i + 1);
        text.push_str(&format!(
            "-- content/organizations/{slug}.md --\n---\nname: {org}\nkind: ngo\n---\n"
        ));
    }
    for i in 1..=12 {
        let series = if i <= 11 {
            format!("series: Series {i:02}\n")
        } else {
            String::new()
        };
        text.push_str(&format!(
            "-- content/forums/f{i}.md --\n---\ntitle: Forum {i}\ndate: 2020-01-{i:02}\n{series}topics: [Topic {i:02}]\norganizers: [{}, {}]\n---\n",
            orgs[i - 1],
            orgs[i + 11],
        ));
    }
    let site = Site::built(&text);
    let mut listed = Vec::new();
    for href in [
        "organizations/",
        "organizations/page/2/",
        "organizations/page/3/",
    ] {
        let page = site.page(&format!("{href}index.html"));
        let here = page.texts(".index-list a");
        assert!(here.len() <= 10, "{href}: {here:?}");
        listed.extend(here);
        // Both kinds on every page, each linked to the page and heading where it starts.
        for (target, kind) in page.links("nav.letters a") {
            let (path, id) = target.split_once('#').unwrap();
            let there = site.page(&format!("{}index.html", path.trim_start_matches('/')));
            assert_eq!(there.text(&format!("h2#{id}")), kind, "{target}");
        }
        assert_eq!(page.count("nav.letters a"), 2, "{href}");
    }
    listed.sort();
    assert_eq!(listed, orgs);
    assert!(!site.exists("organizations/page/4/index.html"));
    let second = site.page("organizations/page/2/index.html");
    assert_eq!(second.attr("link[rel=prev]", "href"), ["/organizations/"]);
    assert_eq!(
        second.attr("link[rel=next]", "href"),
        ["/organizations/page/3/"]
    );
    assert_eq!(second.text("p.page-of"), "Page 2 of 3");
    for (index, count, pages) in [("topics", 12, 2), ("series", 11, 2)] {
        let mut names = Vec::new();
        for n in 1..=pages {
            let path = if n == 1 {
                format!("{index}/index.html")
            } else {
                format!("{index}/page/{n}/index.html")
            };
            let page = site.page(&path);
            let here = page.texts(".index-list a");
            assert!(here.len() <= 10, "{path}: {here:?}");
            names.extend(here);
        }
        assert_eq!(names.len(), count, "{index}: {names:?}");
        assert!(!site.exists(&format!("{index}/page/{}/index.html", pages + 1)));
    }
    // The later pages are in the sitemap.
    let sitemap = site.read("sitemap.xml");
    for later in ["organizations/page/3/", "topics/page/2/", "series/page/2/"] {
        assert!(sitemap.contains(later), "{later} not in the sitemap");
    }
}

#[test]
fn the_speakers_index_and_the_upcoming_forums_go_on_over_pages_too() {
    // paginate: 1 gives ten names a page in the A-Z index, and one upcoming forum a page.
    let mut text = String::from("-- content/_index.md --\n---\ntitle: Paged\npaginate: 1\n---\n");
    let names: Vec<String> = (0..25)
        .map(|i| {
            format!(
                "{} Person",
                ["Ali", "Bea", "Cem", "Dan", "Eva"][i % 5].to_string() + &"x".repeat(i / 5)
            )
        })
        .collect();
    text.push_str(&format!(
        "-- content/forums/a.md --\n---\ntitle: Past\ndate: 2020-01-01\nspeakers: [{}]\n---\n",
        names.join(", ")
    ));
    for i in 1..=3 {
        text.push_str(&format!(
            "-- content/forums/next-{i}.md --\n---\ntitle: Next {i}\ndate: 2026-0{i}-01\nstatus: announced\n---\n"
        ));
    }
    let site = Site::built(&text);
    let mut listed = Vec::new();
    for href in ["speakers/", "speakers/page/2/", "speakers/page/3/"] {
        let page = site.page(&format!("{href}index.html"));
        let here = page.texts(".index-list a");
        assert!(here.len() <= 10, "{href}: {here:?}");
        listed.extend(here);
        // Every letter on every page, linked to the page and heading where it starts.
        for (target, letter) in page.links("nav.letters a") {
            let (path, id) = target.split_once('#').unwrap();
            let there = site.page(&format!("{}index.html", path.trim_start_matches('/')));
            assert_eq!(there.text(&format!("h2#{id}")), letter, "{target}");
        }
        assert_eq!(page.count("nav.letters a"), 5, "{href}");
    }
    listed.sort();
    let mut want = names.clone();
    want.sort();
    assert_eq!(listed, want);
    assert!(!site.exists("speakers/page/4/index.html"));
    let upcoming: Vec<String> = ["forums/", "forums/page/2/", "forums/page/3/"]
        .iter()
        .flat_map(|p| {
            site.page(&format!("{p}index.html"))
                .texts("#upcoming-heading + ul a")
        })
        .collect();
    assert_eq!(upcoming, ["Next 1", "Next 2", "Next 3"]);
    // The years are on the first page only.
    assert_eq!(site.page("forums/index.html").count("nav.years"), 1);
    assert_eq!(site.page("forums/page/2/index.html").count("nav.years"), 0);
}

#[test]
fn speaker_index_fragments_are_valid_whatever_the_first_character() {
    let site = Site::built(
        r##"
-- content/forums/a.md --
---
title: A
date: 2025-01-01
speakers: ["3d-Flo", "@pkoerner81929", "#hashtag Person", Айгюн Алиева, عمر خالد, 张伟, Ana Lima]
---
"##,
    );
    let page = site.page("speakers/index.html");
    let ids = page.attr("h2[id]", "id");
    assert!(!ids.is_empty());
    for id in &ids {
        assert!(
            id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "bad id {id:?} in {ids:?}"
        );
    }
    for (href, _) in page.links("nav.letters") {
        // The index fits on one page here: every letter links to this page.
        let fragment = href
            .strip_prefix("/speakers/#")
            .expect("a link to a heading of this page");
        assert!(ids.iter().any(|id| id == fragment), "{href} has no target");
    }
    assert!(ids.contains(&"letter-other".to_string()), "{ids:?}");
}

#[test]
fn names_typed_with_stray_spaces_are_one_person_shown_cleanly() {
    let site = Site::new(
        "-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-01-01\nspeakers: [\"Tobias Zillner \", \"Tobias\u{a0}\u{a0}Zillner\", \"Tobias Zil\u{200b}lner\"]\n---\n",
    );
    let report = site.build();
    // One person: the repeats in one report's list are told as such (once: on one line, at
    // one place), nothing else.
    let warnings: Vec<String> = report.warnings.iter().map(|d| d.render(false)).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings
            .iter()
            .all(|w| w.contains("is listed already among the speakers")),
        "{warnings:?}"
    );
    let page = site.page("speakers/index.html");
    let names = page.texts("main li a");
    assert_eq!(
        names.iter().filter(|n| n.contains("Zillner")).count(),
        1,
        "{names:?}"
    );
    assert!(names.iter().any(|n| n == "Tobias Zillner"), "{names:?}");
}

#[test]
fn a_name_holding_two_people_is_a_warning_with_a_hint() {
    let site = Site::new(
        r#"
-- content/forums/a.md --
---
title: A
date: 2025-01-01
speakers:
  - name: Kirsten Fiedler + Diego Naranjo
  - Martin Haase/maha
---
"#,
    );
    let warnings = site.warnings();
    assert!(
        warnings.contains(
            "content/forums/a.md:5:11: `Kirsten Fiedler + Diego Naranjo` looks like 2 people in one name"
        ),
        "{warnings}"
    );
    assert!(
        warnings.contains("`- name: Kirsten Fiedler`, `- name: Diego Naranjo`"),
        "{warnings}"
    );
    assert!(!warnings.contains("maha"), "{warnings}");
}

/// A name or file name that makes a path segment longer than a file system allows (255
/// bytes) used to stop the build with "File name too long". Such a slug is cut to fit, and
/// two long names that begin alike still get a page each.
#[test]
fn names_too_long_for_a_file_name_still_get_a_page_each() {
    let long = |last: &str| {
        format!(
            "{}{last}",
            "Committee for the Protection of Rights ".repeat(8)
        )
    };
    // Each `щ` is two bytes in the file's name and four letters in its address.
    let stem = "щщщ-".repeat(35) + "ф";
    assert!(stem.len() < 255, "the source's own name fits on disk");
    let site = Site::new(&format!(
        r#"
-- content/forums/2025/{stem}.md --
---
title: A forum with a long file name
date: 2025-01-01
speakers:
  - name: Leyla Karimova
    organization: {first}
  - name: Rauf Hasanov
    organization: {second}
---
Text.
"#,
        first = long("of Women"),
        second = long("of Children"),
    ));
    site.build();
    let files = site.tree();
    for path in files.keys() {
        for segment in path.split('/') {
            assert!(segment.len() <= 200, "{} bytes: {segment}", segment.len());
        }
    }
    let organization_pages: Vec<&String> = files
        .keys()
        .filter(|p| {
            p.starts_with("organizations/committee-for-the-protection")
                && p.ends_with("/index.html")
        })
        .collect();
    assert_eq!(organization_pages.len(), 2, "{organization_pages:?}");
    let forum_page = files
        .keys()
        .find(|p| p.starts_with("forums/2025/shchshchshch-") && p.ends_with("/index.html"))
        .expect("the forum has a page");
    let forum = site.page(forum_page);
    for page in organization_pages {
        let href = format!("/{}", page.trim_end_matches("index.html"));
        assert!(forum.link_to(&href), "the forum links to {href}");
        let organization = site.page(page);
        assert!(
            organization
                .text("h1")
                .starts_with("Committee for the Protection")
        );
    }
}

/// Markdown under another ending than `.md` is neither read nor published as it is (its raw
/// text would show every name in it), with a warning that says how to publish it; in
/// `content/static/` it is published as it is, like every file there.
#[test]
fn markdown_not_ending_in_md_is_a_warning_and_not_published() {
    let site = Site::new(
        r#"
-- content/forums/2025/Forum.MD --
---
title: Upper Case
date: 2025-01-01
speakers: [Leyla Karimova]
---
Text.
-- content/speakers/notes.markdown --
Notes on Leyla Karimova.
-- content/static/readme.markdown --
Published as it is.
"#,
    );
    site.build();
    let warnings = site.warnings();
    assert!(
        warnings.contains("content/forums/2025/Forum.MD:1:1: ignored: `.MD` is not `.md`"),
        "{warnings}"
    );
    assert!(warnings.contains("rename it to `Forum.md`"), "{warnings}");
    assert!(
        warnings.contains("content/speakers/notes.markdown:1:1: ignored: `.markdown` is not `.md`"),
        "{warnings}"
    );
    let files = site.tree();
    assert!(
        !files
            .keys()
            .any(|p| p.ends_with(".MD") || p.contains("notes")),
        "{:?}",
        files.keys().collect::<Vec<_>>()
    );
    assert!(!site.exists("speakers/leyla-karimova/index.html"));
    assert_eq!(site.read("readme.markdown"), "Published as it is.\n");
}

#[test]
fn text_that_looks_like_a_number_is_shown_as_written() {
    let site = Site::built(
        "-- content/forums/num.md --\n---\ntitle: Numbers\ndate: 2025-10-01\nvenue: 1.10\ncity: +7\nsummary: 0o17\ntopics: [1e3]\nsessions:\n  - title: Opening\n    time: 14.30\nspeakers:\n  - name: Ann Example\n    title: 1.50\n---\nBody.\n",
    );
    let page = site.page("forums/num/index.html");
    assert_eq!(page.text(".session .meta"), "14.30");
    assert_eq!(page.text("p.lede"), "0o17");
    assert!(
        page.text("dl.facts").contains("1.10, +7"),
        "{}",
        page.text("dl.facts")
    );
    assert!(
        page.text(".facts").contains("1e3"),
        "{}",
        page.text(".facts")
    );
    assert!(site.read("api/forums.json").contains("\"title\":\"1.50\""));
    // A number alone where a list may go is not guessed back into text.
    let err = Site::new(
        "-- content/forums/t.md --\n---\ntitle: T\ndate: 2025-10-02\ntopics: 2025\n---\n",
    )
    .build_err();
    assert!(
        err.contains("t.md:4:9") && err.contains("put the value in quotes, or in a list"),
        "{err}"
    );
}

/// `draft: true` keeps a report out with its attachments: a file only drafts link to is not
/// published until a published text links to it (a link to another site's file of the same
/// name, or the name in plain words, is not one); other files beside the content are, as
/// ever.
#[test]
fn files_only_drafts_link_to_are_not_published() {
    let site = Site::new(
        r#"
-- content/forums/2025/draft.md --
---
title: Draft
date: 2025-01-02
draft: true
---
The [plan](secret%20plan.pdf), the [programme](programme.pdf) and [notes](@/files/notes.txt).
-- content/forums/2025/draft.az.md --
---
title: Qaralama
---
[Slaydlar](slides.pdf).
-- content/forums/2025/published.md --
---
title: Published
date: 2025-01-03
---
The [programme](programme.pdf); the [plan elsewhere](https://other.example.org/secret%20plan.pdf),
and a word about slides.pdf that links nothing.
-- content/forums/2025/secret plan.pdf --
secret
-- content/forums/2025/slides.pdf --
slides
-- content/forums/2025/programme.pdf --
programme
-- content/forums/2025/unlinked.pdf --
unlinked
-- content/files/notes.txt --
notes
-- content/_index.md --
---
title: Site
languages: [en, az]
---
"#,
    );
    site.build();
    assert!(site.exists("forums/2025/programme.pdf"));
    assert!(site.exists("forums/2025/unlinked.pdf"));
    for withheld in [
        "forums/2025/secret plan.pdf",
        "forums/2025/slides.pdf",
        "files/notes.txt",
    ] {
        assert!(!site.exists(withheld), "{withheld} was published");
    }
    let published = site.page("forums/2025/published/index.html");
    assert!(published.link_to("/forums/2025/programme.pdf"));
    // Published, the report takes its files with it; drafted again, they go.
    let draft = std::fs::read_to_string(site.root().join("content/forums/2025/draft.md")).unwrap();
    site.write(
        "content/forums/2025/draft.md",
        &draft.replace("draft: true\n", ""),
    );
    site.build();
    assert_eq!(site.read("forums/2025/secret plan.pdf"), "secret\n");
    assert!(site.exists("forums/2025/slides.pdf"));
    assert!(site.exists("files/notes.txt"));
    site.write("content/forums/2025/draft.md", &draft);
    site.build();
    assert!(!site.exists("forums/2025/secret plan.pdf"));
    assert!(!site.exists("files/notes.txt"));
}
