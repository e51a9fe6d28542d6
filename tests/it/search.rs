//! Search (issue 15): every matching rule as a query and the first result it must give, the
//! ranking rules, the search page with and without JavaScript, and `podium search`. The
//! queries run through `podium::search::search`, the matcher the browser's `search.js`
//! mirrors rule for rule (the folding itself is checked on both sides against
//! tests/search/fold-vectors.json).

use crate::support::Site;
use podium::search::{OutputFolder, search};

const SITE: &str = r#"
-- content/_index.md --
---
title: Civic Archive
base_url: https://example.org/
---
-- content/speakers/aygun-aliyeva.md --
---
name: Aygün Əliyeva
aliases: [Айгюн Алиева]
---
-- content/organizations/youth-foundation.md --
---
name: Azerbaijan Youth Foundation
aliases: [Gənclər Fondu]
kind: foundation
---
-- content/forums/2025/shusha-forum.md --
---
title: Shusha Civic Forum
date: 2025-05-10
city: Şuşa
country: Azerbaijan
organizers: [Azerbaijan Youth Foundation]
speakers:
  - name: Aygün Əliyeva
    title: Executive Director
  - name: Ali Həsənov
    title: Lawyer
  - name: Rauf Aliyev
    title: Researcher
  - name: Leyla Aliyeva
    title: Journalist
topics: [Civic space]
---
The forum opened with words by Elnur Hacıyev on mediation in Xankəndi.
-- content/forums/2024/goychay-dialogue.md --
---
title: Göyçay Dialogue
date: 2024-03-02
city: Ağdam
speakers:
  - name: Elnur Hacıyev
    title: Mediator
  - name: Nigar Şükürova
    title: Teacher
  - name: Çingiz Qasımov
    title: Farmer
  - name: Ümid Öztürk
    title: Student
topics: [Youth]
---
A day of talks in the town.
"#;

fn first(site: &Site, query: &str) -> String {
    let found = search(&OutputFolder(&site.out()), query, 10).expect("search runs");
    found
        .hits
        .first()
        .map(|h| h.title.clone())
        .unwrap_or_else(|| panic!("nothing found for {query:?}"))
}

/// The titles of everything `query` finds in the built site (also used by the privacy tests).
pub fn titles(site: &Site, query: &str) -> Vec<String> {
    search(&OutputFolder(&site.out()), query, 50)
        .expect("search runs")
        .hits
        .into_iter()
        .map(|h| h.title)
        .collect()
}

#[test]
fn every_matching_rule_finds_its_entity_first() {
    let site = Site::built(SITE);
    let cases = [
        // Case, Turkic-aware: dotted and dotless I meet.
        ("ƏLİYEVA", "Aygün Əliyeva"),
        ("AYGÜN", "Aygün Əliyeva"),
        ("ALİ HƏSƏNOV", "Ali Həsənov"),
        // Diacritics.
        ("Sukurova", "Nigar Şükürova"),
        ("Ozturk", "Ümid Öztürk"),
        // The Azerbaijani letters and their romanisations.
        ("Eliyeva", "Aygün Əliyeva"),
        ("Hasanov", "Ali Həsənov"),
        ("Hajiyev", "Elnur Hacıyev"),
        ("Hacıyev", "Elnur Hacıyev"),
        ("Shukurova", "Nigar Şükürova"),
        ("Chingiz", "Çingiz Qasımov"),
        ("Cingiz", "Çingiz Qasımov"),
        ("Gasimov", "Çingiz Qasımov"),
        ("Aghdam", "Göyçay Dialogue"),
        ("Goychay", "Göyçay Dialogue"),
        ("Khankendi", "Shusha Civic Forum"),
        ("Umid", "Ümid Öztürk"),
        // Cyrillic, Russian and Azerbaijani.
        ("Алиева", "Aygün Əliyeva"),
        ("Шуша", "Shusha Civic Forum"),
        ("Гаджиев", "Elnur Hacıyev"),
        ("Һәсәнов", "Ali Həsənov"),
        // Every alias and translated name.
        ("Айгюн", "Aygün Əliyeva"),
        ("Gencler Fondu", "Azerbaijan Youth Foundation"),
        // Prefixes while typing.
        ("Shus", "Shusha Civic Forum"),
        ("Şükü", "Nigar Şükürova"),
        ("Azerbaijan You", "Azerbaijan Youth Foundation"),
        // One typo in a word of five letters or more.
        ("Sukurpva", "Nigar Şükürova"),
        ("Qasimvo", "Çingiz Qasımov"),
    ];
    let mut wrong = Vec::new();
    for (query, expected) in cases {
        let got = titles(&site, query);
        if got.first().map(String::as_str) != Some(expected) {
            wrong.push(format!(
                "{query:?}: expected {expected:?} first, got {got:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn names_and_titles_given_by_translations_find_their_entity() {
    let site = Site::built(
        "-- content/_index.md --\n---\ntitle: T\nlanguages: [en, ru]\n---\n\
-- content/speakers/tom-black.md --\n---\nname: Tom Black\n---\n\
-- content/speakers/tom-black.ru.md --\n---\nname: Фома Чёрный\n---\n\
-- content/organizations/civic-union.md --\n---\nname: Civic Union\n---\n\
-- content/organizations/civic-union.ru.md --\n---\nname: Гражданский союз\n---\n\
-- content/forums/2025/meet.md --\n---\ntitle: Spring Meeting\ndate: 2025-04-01\ncity: Baku\nspeakers:\n  - name: Tom Black\n    organization: Civic Union\n---\n\
-- content/forums/2025/meet.ru.md --\n---\ntitle: Весенняя встреча\ncity: Баку\n---\n",
    );
    assert_eq!(titles(&site, "Чёрный"), ["Tom Black"]);
    assert_eq!(titles(&site, "Гражданский"), ["Civic Union"]);
    assert_eq!(titles(&site, "Весенняя"), ["Spring Meeting"]);
    // The names readers know stay first.
    assert_eq!(first(&site, "Tom Black"), "Tom Black");
}

#[test]
fn a_typo_needs_five_letters_and_a_wrong_word_finds_nothing() {
    let site = Site::built(SITE);
    // `Rauv` is one letter from `Rauf` but has four letters: no typo allowed.
    assert!(titles(&site, "Rauv").is_empty());
    assert!(titles(&site, "Zzyzx").is_empty());
    // Every word must match.
    assert!(titles(&site, "Aliyeva Zzyzx").is_empty());
    // A single letter searches nothing (it would match a whole shard).
    assert!(titles(&site, "A").is_empty());
}

#[test]
fn ranking_puts_the_exact_name_first_and_names_before_mentions() {
    let site = Site::built(SITE);
    // `Ali` is the whole first name of Ali Həsənov and only the start of every Aliyev.
    let ali = titles(&site, "Ali");
    assert_eq!(ali[0], "Ali Həsənov", "{ali:?}");
    let aliyev_pos = ali.iter().position(|t| t == "Rauf Aliyev").unwrap();
    assert!(aliyev_pos > 0);
    // Exact spelling before another spelling: `Əliyeva` is Aygün, `Aliyeva` is Leyla.
    assert_eq!(first(&site, "Əliyeva"), "Aygün Əliyeva");
    assert_eq!(first(&site, "Aliyeva"), "Leyla Aliyeva");
    let both = titles(&site, "Aliyeva");
    assert_eq!(both[1], "Aygün Əliyeva", "{both:?}");
    // A name before a mention in a report's text: Hacıyev is named in the Shusha report.
    let hajiyev = titles(&site, "Hajiyev");
    assert_eq!(hajiyev[0], "Elnur Hacıyev");
    assert!(
        hajiyev.contains(&"Shusha Civic Forum".to_string()),
        "{hajiyev:?}"
    );
    // A whole word before its prefix, a prefix before a typo.
    let found = search(&OutputFolder(&site.out()), "Şuşa", 10).unwrap();
    assert_eq!(found.hits[0].title, "Shusha Civic Forum");
    assert_eq!(found.hits[0].field, "name");
}

#[test]
fn results_carry_kind_link_snippet_and_filter_counts() {
    let site = Site::built(SITE);
    let found = search(&OutputFolder(&site.out()), "Aliyev", 10).unwrap();
    let aygun = found
        .hits
        .iter()
        .find(|h| h.title == "Aygün Əliyeva")
        .unwrap();
    assert_eq!(aygun.path, "speakers/aygun-eliyeva/");
    assert_eq!(aygun.snippet, "Executive Director");
    assert!(site.exists(&format!("{}index.html", aygun.path)));
    let forum = search(&OutputFolder(&site.out()), "Shusha", 10).unwrap();
    let hit = forum
        .hits
        .iter()
        .find(|h| h.title == "Shusha Civic Forum")
        .unwrap();
    assert_eq!(hit.snippet, "10 May 2025 · Şuşa");
    let org = search(&OutputFolder(&site.out()), "Youth Foundation", 10).unwrap();
    assert_eq!(org.hits[0].snippet, "Foundation");
    // Counts by kind, and by year, city and topic over the forums found.
    let civic = search(&OutputFolder(&site.out()), "Civic", 10).unwrap();
    assert_eq!(civic.counts.kind.get("forum"), Some(&1));
    assert_eq!(civic.counts.year.get(&2025), Some(&1));
    assert_eq!(civic.counts.city.get("Şuşa"), Some(&1));
    assert_eq!(civic.counts.topic.get("Civic space"), Some(&1));
}

#[test]
fn the_search_page_works_without_javascript_and_every_page_has_the_form() {
    let site = Site::built(SITE);
    let page = site.page("search/index.html");
    // The form: GET to the page itself, `q` of type search.
    assert_eq!(page.attr("main form[role=search]", "action"), ["/search/"]);
    assert_eq!(page.attr("main form[role=search]", "method"), ["get"]);
    assert_eq!(
        page.attr("main form[role=search] input[name=q]", "type"),
        ["search"]
    );
    // Without JavaScript: said so, with the A-Z indexes.
    let nojs = page.text("#search-nojs");
    assert!(nojs.contains("needs JavaScript"), "{nojs}");
    assert!(page.link_to("/speakers/"));
    assert!(page.link_to("/organizations/"));
    // The results' part is hidden until the script shows it; counts are announced.
    assert_eq!(page.count("#search-app[hidden]"), 1);
    assert_eq!(page.attr("#search-status", "aria-live"), ["polite"]);
    // Scripts from files only.
    assert_eq!(
        page.attr("script[src]", "src"),
        ["/search-fold.js", "/search.js"]
    );
    assert_eq!(page.count("script:not([src]):not([type])"), 0);
    assert!(site.exists("search.js") && site.exists("search-fold.js"));
    // The header form on every kind of page, submitting to the search page.
    for path in [
        "index.html",
        "forums/2025/shusha-forum/index.html",
        "speakers/aygun-eliyeva/index.html",
        "organizations/azerbaijan-youth-foundation/index.html",
        "404.html",
        "search/index.html",
    ] {
        let p = site.page(path);
        assert_eq!(
            p.attr("header form[role=search]", "action"),
            ["/search/"],
            "{path}"
        );
        assert_eq!(
            p.count("header form input[type=search][name=q]"),
            1,
            "{path}"
        );
    }
}

#[test]
fn the_index_follows_an_edited_report_and_keeps_the_others() {
    let site = Site::built(SITE);
    assert!(titles(&site, "Mugham").is_empty());
    // Report text is indexed for the names it mentions (capitalised words) only.
    site.write(
        "content/forums/2024/goychay-dialogue.md",
        &SITE
            .split("-- content/forums/2024/goychay-dialogue.md --\n")
            .nth(1)
            .unwrap()
            .replace(
                "A day of talks in the town.",
                "A day of Mugham in the town.",
            ),
    );
    site.build();
    assert_eq!(first(&site, "Mugham"), "Göyçay Dialogue");
    // The other report's page was kept as it was; its text is still in the index.
    assert_eq!(titles(&site, "Xankəndi"), ["Shusha Civic Forum"]);
    assert!(titles(&site, "mediation").is_empty(), "not a name");
}

#[test]
fn podium_search_prints_json_and_explains_a_missing_index() {
    let site = Site::built(SITE);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_podium"))
        .args(["search", "Алиева", "--format", "json", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["hits"][0]["title"], "Aygün Əliyeva");
    assert_eq!(json["hits"][0]["kind"], "speaker");
    assert_eq!(json["hits"][0]["path"], "speakers/aygun-eliyeva/");
    let empty = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_podium"))
        .args(["search", "x", "--root"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("no search index") && err.contains("podium build"),
        "{err}"
    );
}
