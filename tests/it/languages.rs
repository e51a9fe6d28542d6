//! One site in several languages (issue 12): every page in every language, translations
//! with fallback marked by `lang`, `hreflang` alternates and the switcher, CLDR month names
//! and plural forms, translated names that find people in reports, and the errors of the
//! translation format.

use crate::support::*;

const TRILINGUAL: &str = r#"
-- content/_index.md --
---
title: NGO Forums
description: Reports of forums.
base_url: https://example.org/
languages: [en, az, ru]
---
Welcome to the archive.
-- content/_index.az.md --
---
title: QHT Forumları
description: Forumların hesabatları.
topic_names:
  civil society: vətəndaş cəmiyyəti
---
Arxivə xoş gəlmisiniz.
-- content/_index.ru.md --
---
title: Форумы НПО
---
Добро пожаловать в архив.
-- content/forums/2025/meet.md --
---
title: Cooperation Forum
date: 2025-10-20
city: Khankendi
summary: NGOs met in Khankendi.
topics: [civil society]
speakers:
  - name: Aygun Aliyeva
    title: Executive Director
sessions:
  - title: Opening
    summary: The forum opened.
---
The forum was opened with a minute of silence.
-- content/forums/2025/meet.az.md --
---
title: Əməkdaşlıq Forumu
summary: QHT-lər Xankəndidə görüşdülər.
city: Xankəndi
speakers:
  - name: Aygun Aliyeva
    title: İcraçı direktor
sessions:
  - title: Açılış
---
-- content/forums/2025/later.md --
---
title: Youth Dialogue
date: 2025-09-30
end: 2025-10-02
speakers: [Айгюн Алиева]
---
A dialogue of young people.
-- content/speakers/aygun-aliyeva.md --
---
name: Aygun Aliyeva
---
She leads the agency.
-- content/speakers/aygun-aliyeva.ru.md --
---
name: Айгюн Алиева
---
Она руководит агентством.
"#;

#[test]
fn every_page_exists_in_every_language_with_its_words_and_dates() {
    let site = Site::built(TRILINGUAL);
    for prefix in ["", "az/", "ru/"] {
        for page in [
            "index.html",
            "forums/index.html",
            "forums/2025/meet/index.html",
            "forums/2025/later/index.html",
            "speakers/aygun-aliyeva/index.html",
            "topics/civil-society/index.html",
            "404.html",
            "feed.xml",
            "calendar.ics",
        ] {
            assert!(site.exists(&format!("{prefix}{page}")), "{prefix}{page}");
        }
    }
    // Shared files are made once, at the root.
    assert!(!site.exists("az/style.css") && !site.exists("az/api/forums.json"));
    assert!(!site.exists("az/sitemap.xml") && site.exists("sitemap.xml"));

    let en = site.page("forums/2025/meet/index.html");
    let az = site.page("az/forums/2025/meet/index.html");
    let ru = site.page("ru/forums/2025/meet/index.html");
    assert_eq!(en.attr("html", "lang"), ["en"]);
    assert_eq!(az.attr("html", "lang"), ["az"]);
    assert_eq!(ru.attr("html", "lang"), ["ru"]);
    // Dates: CLDR month names, the genitive in Russian.
    assert_eq!(en.text("dd time"), "20 October 2025");
    assert_eq!(az.text("dd time"), "20 oktyabr 2025");
    assert_eq!(ru.text("dd time"), "20 октября 2025");
    let ru_later = site.page("ru/forums/2025/later/index.html");
    assert_eq!(ru_later.text("dd time"), "30 сентября – 2 октября 2025");
    // The interface in the page's language; links stay in it.
    assert!(az.link_to("/az/forums/2025/"), "year link in az");
    assert_eq!(
        az.text("nav.site-nav a[href='/az/speakers/']"),
        "Çıxış edənlər"
    );
    assert_eq!(
        ru.text("nav.site-nav a[href='/ru/speakers/']"),
        "Выступающие"
    );
    // Translated site title and a translated topic name.
    assert_eq!(az.text("a.site-title"), "QHT Forumları");
    assert_eq!(
        az.text("a[href='/az/topics/civil-society/']"),
        "vətəndaş cəmiyyəti"
    );
    assert_eq!(
        ru.attr("a[href='/ru/topics/civil-society/']", "lang"),
        ["en"]
    );
}

#[test]
fn a_translation_replaces_the_texts_it_has_and_marks_the_rest() {
    let site = Site::built(TRILINGUAL);
    let az = site.page("az/forums/2025/meet/index.html");
    assert_eq!(az.text("h1"), "Əməkdaşlıq Forumu");
    assert!(
        az.attr("h1", "lang").is_empty(),
        "a translated title is not marked"
    );
    assert_eq!(az.text("p.lede"), "QHT-lər Xankəndidə görüşdülər.");
    assert!(az.text(".job-title").contains("İcraçı direktor"));
    assert!(az.text("section.session h3").contains("Açılış"));
    // The body was not translated: shown in English, marked so.
    assert_eq!(az.attr("section.report", "lang"), ["en"]);
    assert!(az.text("section.report").contains("minute of silence"));
    // A real translation: canonical to itself, no notice.
    assert_eq!(
        az.attr("link[rel=canonical]", "href"),
        ["https://example.org/az/forums/2025/meet/"]
    );
    assert_eq!(az.count("p.notice.untranslated"), 0);
    // hreflang: the original, the real translation, x-default; not ru (it falls back).
    let mut alternates: Vec<(String, String)> = az
        .attr("link[rel=alternate][hreflang]", "hreflang")
        .into_iter()
        .zip(az.attr("link[rel=alternate][hreflang]", "href"))
        .collect();
    alternates.sort();
    assert_eq!(
        alternates,
        [
            (
                "az".to_string(),
                "https://example.org/az/forums/2025/meet/".to_string()
            ),
            (
                "en".to_string(),
                "https://example.org/forums/2025/meet/".to_string()
            ),
            (
                "x-default".to_string(),
                "https://example.org/forums/2025/meet/".to_string()
            ),
        ]
    );

    // Russian has no translation: the original's text, marked, with a notice and the
    // canonical link to the original.
    let ru = site.page("ru/forums/2025/meet/index.html");
    assert_eq!(ru.text("h1"), "Cooperation Forum");
    assert_eq!(ru.attr("h1", "lang"), ["en"]);
    assert_eq!(ru.count("p.notice.untranslated"), 1);
    assert_eq!(
        ru.attr("link[rel=canonical]", "href"),
        ["https://example.org/forums/2025/meet/"]
    );
    // The switcher: the same page in every language, each named in itself.
    let switcher = ru.links("nav.languages");
    assert_eq!(
        switcher,
        [
            ("/forums/2025/meet/".to_string(), "English".to_string()),
            (
                "/az/forums/2025/meet/".to_string(),
                "Azərbaycanca".to_string()
            ),
            ("/ru/forums/2025/meet/".to_string(), "Русский".to_string()),
        ]
    );
    assert_eq!(ru.attr("nav.languages a", "hreflang"), ["en", "az", "ru"]);
    assert_eq!(ru.attr("nav.languages a", "lang"), ["en", "az", "ru"]);
    assert_eq!(ru.attr("nav.languages a[aria-current]", "hreflang"), ["ru"]);
}

#[test]
fn translated_names_find_people_and_show_in_their_language() {
    let site = Site::built(TRILINGUAL);
    // `Айгюн Алиева` in a report is the profile's Russian name: the same person.
    assert!(!site.exists("speakers/aigiun-alieva/index.html"));
    let ru = site.page("ru/speakers/aygun-aliyeva/index.html");
    assert_eq!(ru.text("h1"), "Айгюн Алиева");
    assert!(ru.link_to("/ru/forums/2025/later/") && ru.link_to("/ru/forums/2025/meet/"));
    let en = site.page("speakers/aygun-aliyeva/index.html");
    assert_eq!(en.text("h1"), "Aygun Aliyeva");
}

#[test]
fn feeds_and_calendars_come_in_each_language() {
    let site = Site::built(TRILINGUAL);
    let xml = site.read("az/feed.xml");
    // A title the Azerbaijani feed shows untranslated says it is English; a translated one
    // takes the feed's language.
    assert!(
        xml.contains("<title xml:lang=\"en\">Youth Dialogue</title>"),
        "{xml}"
    );
    assert!(xml.contains("<title>Əməkdaşlıq Forumu</title>"), "{xml}");
    // A summary left untranslated is marked as English; the dates and names after it are
    // the feed's, and not marked so.
    assert!(!xml.contains("<summary type=\"text\" xml:lang"), "{xml}");
    let feed = atom_syndication::Feed::read_from(xml.as_bytes()).expect("az feed parses");
    for entry in feed.entries() {
        if let Some(summary) = entry.summary()
            && summary.r#type == atom_syndication::TextType::Html
        {
            assert!(
                summary.as_str().starts_with("<span lang=\"en\">"),
                "{}",
                summary.as_str()
            );
        }
    }
    let ru = atom_syndication::Feed::read_from(site.read("ru/feed.xml").as_bytes()).unwrap();
    let meet = ru
        .entries()
        .iter()
        .find(|e| e.title().as_str() == "Cooperation Forum")
        .and_then(|e| e.summary().cloned())
        .unwrap();
    assert_eq!(meet.r#type, atom_syndication::TextType::Html);
    assert!(
        meet.as_str()
            .starts_with("<span lang=\"en\">NGOs met in Khankendi.</span> ("),
        "{}",
        meet.as_str()
    );
    assert!(
        feed.entries()
            .iter()
            .any(|e| e.title().as_str() == "Əməkdaşlıq Forumu"),
        "{:?}",
        feed.entries()
            .iter()
            .map(|e| e.title().as_str())
            .collect::<Vec<_>>()
    );
    assert!(
        site.read("az/calendar.ics")
            .contains("SUMMARY:Əməkdaşlıq Forumu")
    );
}

/// A site with `n` forums, to read the count on its Russian home page.
fn footer_count(n: usize) -> String {
    let mut text =
        String::from("-- content/_index.md --\n---\ntitle: T\nlanguages: [en, ru]\n---\n");
    for i in 0..n {
        text.push_str(&format!(
            "-- content/forums/f{i}.md --\n---\ntitle: Forum {i}\ndate: 2025-01-01\n---\n"
        ));
    }
    let site = Site::built(&text);
    site.page("ru/index.html").text(".site-counts")
}

#[test]
fn counts_follow_cldr_plural_rules() {
    assert!(
        footer_count(1).starts_with("1 форум "),
        "{}",
        footer_count(1)
    );
    assert!(footer_count(2).starts_with("2 форума "));
    assert!(footer_count(5).starts_with("5 форумов "));
    assert!(footer_count(21).starts_with("21 форум "));
}

#[test]
fn a_broken_settings_file_is_the_one_error_not_every_translation() {
    // Without the settings the site's languages are unknown: the translations are not
    // wrong, and saying so would bury the one line to fix.
    let broken = TRILINGUAL.replace(
        "languages: [en, az, ru]",
        "languages: [en, az, ru]\npaginate: \"ten\"",
    );
    let err = Site::new(&broken).build_err();
    assert!(
        err.contains(
            "content/_index.md:6:11: `paginate` must be a whole number, not the text \"ten\""
        ),
        "{err}"
    );
    assert!(err.contains("write e.g. `paginate: 25`"), "{err}");
    assert!(!err.contains("not one of the site's languages"), "{err}");
    assert_eq!(err.matches("error:").count(), 1, "{err}");
}

#[test]
fn an_original_that_does_not_load_is_its_translations_only_error() {
    let site = Site::new(&format!(
        "{TRILINGUAL}-- content/forums/2025/broken.md --\n---\ntitle: \"Unclosed\ndate: 2025-01-01\n---\n-- content/forums/2025/broken.az.md --\n---\ntitle: Sınıq\n---\n-- content/forums/2025/broken.ru.md --\n---\ntitle: Сломано\n---\n"
    ));
    let err = site.build_err();
    assert!(err.contains("content/forums/2025/broken.md:"), "{err}");
    assert!(!err.contains("without an original"), "{err}");
    assert_eq!(err.matches("error:").count(), 1, "{err}");
}

#[test]
fn translation_mistakes_are_errors_at_their_place() {
    let with = |extra: &str| Site::new(&format!("{TRILINGUAL}{extra}")).build_err();
    let fact =
        with("-- content/forums/2025/later.az.md --\n---\ntitle: Gənclər\ndate: 2025-01-01\n---\n");
    assert!(fact.contains("later.az.md:3:1"), "{fact}");
    assert!(fact.contains("`date` is a fact"), "{fact}");
    let language = with("-- content/forums/2025/later.de.md --\n---\ntitle: Jugend\n---\n");
    assert!(
        language.contains("not one of the site's languages"),
        "{language}"
    );
    assert!(language.contains("add `de` to `languages:`"), "{language}");
    let orphan = with("-- content/forums/2025/nothing.az.md --\n---\ntitle: Heç nə\n---\n");
    assert!(orphan.contains("without an original"), "{orphan}");
    let stranger = with(
        "-- content/forums/2025/later.ru.md --\n---\nspeakers:\n  - name: Somebody Else\n    title: X\n---\n",
    );
    assert!(
        stranger.contains("`Somebody Else` is not among the speakers"),
        "{stranger}"
    );
    // A plain name, as an original may write it, translates nothing and is no error.
    let plain = Site::new(&format!(
        "{TRILINGUAL}-- content/forums/2025/later.ru.md --\n---\ntitle: Молодёжь\nspeakers: [Айгюн Алиева]\n---\n"
    ));
    plain.build();
    let nested = with(
        "-- content/forums/2025/later.ru.md --\n---\nspeakers:\n  - name: Айгюн Алиева\n    organization: X\n---\n",
    );
    assert!(nested.contains("`organization` in `speakers`"), "{nested}");
}

#[test]
fn topic_names_match_as_addresses_do_and_a_name_for_no_topic_is_a_warning() {
    // `Civil Society` names the topic the report writes `civil society`; `Grant` names none.
    let site = Site::new(&TRILINGUAL.replace(
        "topic_names:\n  civil society: vətəndaş cəmiyyəti\n",
        "topic_names:\n  Civil Society: vətəndaş cəmiyyəti\n  Grant: qrantlar\n",
    ));
    let report = site.build();
    let warnings: Vec<String> = report.warnings.iter().map(|d| d.render(false)).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains(
            "content/_index.az.md:6:3: `Grant` in `topic_names` is not a topic of any report"
        ),
        "{}",
        warnings[0]
    );
    let topic = site.read("az/topics/civil-society/index.html");
    assert!(topic.contains("vətəndaş cəmiyyəti"), "{topic}");
    // Two spellings of one topic: the second is an error, not a value silently lost.
    let twice = Site::new(&TRILINGUAL.replace(
        "topic_names:\n  civil society: vətəndaş cəmiyyəti\n",
        "topic_names:\n  civil society: vətəndaş cəmiyyəti\n  Civil-Society: vətəndaş cəmiyyəti 2\n",
    ))
    .build_err();
    assert!(
        twice.contains(
            "content/_index.az.md:6:3: `Civil-Society` and `civil society` (line 5) in `topic_names` name the same topic"
        ),
        "{twice}"
    );
    // A translation named in capitals is read as a report; the error says what it may be.
    let capitals = Site::new(&format!(
        "{TRILINGUAL}-- content/forums/2025/later.AZ.md --\n---\ntitle: Gənclər\n---\n"
    ))
    .build_err();
    assert!(
        capitals.contains("if this is a translation, name it `later.az.md`"),
        "{capitals}"
    );
}

#[test]
fn a_one_language_site_is_unchanged_by_languages() {
    let site = Site::built(
        "-- content/_index.md --\n---\ntitle: T\nlanguage: en\n---\n-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-10-20\n---\n",
    );
    let page = site.page("forums/a/index.html");
    assert_eq!(page.count("nav.languages"), 0);
    assert_eq!(page.count("link[hreflang]"), 0);
    assert!(!site.exists("en/index.html"));
}

#[test]
fn case_follows_the_language_of_the_page() {
    // Podium's own capitals (the speakers' index letters, see below).
    let words = podium::i18n::Words::new(&[], &["az".to_string()]).unwrap();
    let locale = podium::i18n::Locale::new("az", &["az".to_string()], std::sync::Arc::new(words));
    assert_eq!(locale.upper("ilham"), "İLHAM");
}

#[test]
fn open_data_and_sitemap_know_the_translations() {
    let site = Site::built(TRILINGUAL);
    let forums: serde_json::Value = serde_json::from_str(&site.read("api/forums.json")).unwrap();
    let meet = forums["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "2025/meet")
        .unwrap();
    assert_eq!(meet["translations"][0]["language"], "az");
    assert_eq!(meet["translations"][0]["title"], "Əməkdaşlıq Forumu");
    assert_eq!(
        meet["translations"][0]["url"],
        "https://example.org/az/forums/2025/meet/"
    );
    // Sessions and appearances follow the record's, with their translated texts or null.
    assert_eq!(
        meet["translations"][0]["sessions"],
        serde_json::json!([{"title": "Açılış", "summary": null}])
    );
    assert_eq!(
        meet["translations"][0]["appearances"],
        serde_json::json!([{"title": "İcraçı direktor", "topic": null}])
    );
    assert_eq!(
        meet["translations"][0]["source_title"],
        serde_json::Value::Null
    );
    let speakers: serde_json::Value =
        serde_json::from_str(&site.read("api/speakers.json")).unwrap();
    let aygun = &speakers["items"][0];
    assert_eq!(aygun["translations"][0]["name"], "Айгюн Алиева");

    let sitemap = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains(&"https://example.org/az/forums/2025/meet/"));
    // A page that only falls back is left to its original.
    assert!(!locs.contains(&"https://example.org/ru/forums/2025/meet/"));
    assert!(locs.contains(&"https://example.org/ru/forums/"));
    let url = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("loc") && n.text() == Some("https://example.org/forums/2025/meet/")
        })
        .and_then(|n| n.parent())
        .unwrap();
    let mut langs: Vec<&str> = url
        .children()
        .filter(|n| n.has_tag_name("link"))
        .filter_map(|n| n.attribute("hreflang"))
        .collect();
    langs.sort();
    assert_eq!(langs, ["az", "en", "x-default"]);
}

#[test]
fn new_forum_with_lang_writes_a_skeleton_that_builds_and_never_overwrites() {
    let site = Site::new(TRILINGUAL);
    let path = podium::scaffold::new_translation(site.root(), "Youth Dialogue", "ru").unwrap();
    assert!(
        path.ends_with("content/forums/2025/later.ru.md"),
        "{}",
        path.display()
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("# title: \"Youth Dialogue\""), "{text}");
    // Untranslated lines are comments: the page still says it falls back... in part.
    site.build();
    let again =
        podium::scaffold::new_translation(site.root(), "content/forums/2025/later.md", "ru");
    assert!(again.unwrap_err().contains("already exists"));
    assert!(podium::scaffold::new_translation(site.root(), "Nothing", "ru").is_err());
    // Only into a language the site lists, and not into the originals' own.
    let not_listed = podium::scaffold::new_translation(site.root(), "Youth Dialogue", "de");
    assert!(
        not_listed.unwrap_err().contains("add `de` to `languages:`"),
        "a language the site does not list"
    );
    let default = podium::scaffold::new_translation(site.root(), "Youth Dialogue", "en");
    assert!(default.unwrap_err().contains("the site's default language"));
    assert!(!site.root().join("content/forums/2025/later.de.md").exists());
}

#[test]
fn a_language_the_theme_lacks_words_for_is_warned_about_and_falls_back() {
    let site = Site::new(
        "-- content/_index.md --\n---\ntitle: T\nlanguages: [en, de]\n---\n-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-10-20\n---\n-- themes/mine/theme.yaml --\nextends: default\n-- themes/mine/i18n/de.yaml --\nnav.forums: Foren\n",
    );
    site.write(
        "content/_index.md",
        "---\ntitle: T\nlanguages: [en, de]\ntheme: mine\n---\n",
    );
    let warnings = site.warnings();
    assert!(
        warnings.contains("the theme has no `de` words for"),
        "{warnings}"
    );
    assert!(
        warnings.contains("`appearance.topic`") && warnings.contains(" more"),
        "{warnings}"
    );
    site.build();
    let page = site.page("de/forums/a/index.html");
    assert_eq!(page.attr("html", "lang"), ["de"]);
    // The theme's own word, and English where it has none.
    assert_eq!(page.text("nav.site-nav a[href='/de/forums/']"), "Foren");
    assert_eq!(
        page.text("nav.site-nav a[href='/de/speakers/']"),
        "Speakers"
    );
    // German month names come from CLDR even though the theme has no German dates.
    assert_eq!(page.text("dd time"), "20 Oktober 2025");
    // The switcher names German in German, not by the English fallback's "English".
    assert_eq!(page.text("nav.languages a[hreflang='de']"), "Deutsch");
    assert_eq!(page.text("nav.languages a[hreflang='en']"), "English");
    // The notice of an untranslated report is in the English words, which must not call
    // the page's language "English"; it still names the original's language.
    assert_eq!(
        page.text("p.notice.untranslated"),
        "This report is not yet available in this language. It is shown here in the original English."
    );
    site.write(
        "themes/mine/i18n/de.yaml",
        "nav.forums: Foren\nnotice.untranslated.forum: Dieser Bericht ist noch nicht auf Deutsch verfügbar.\n",
    );
    site.build();
    let page = site.page("de/forums/a/index.html");
    assert!(
        page.text("p.notice.untranslated")
            .starts_with("Dieser Bericht ist noch nicht auf Deutsch verfügbar."),
        "{}",
        page.text("p.notice.untranslated")
    );
}

#[test]
fn a_protected_persons_translated_name_is_protected_in_every_language() {
    let site = Site::built(
        r#"
-- content/_index.md --
---
title: T
base_url: https://example.org/
languages: [en, ru]
---
-- content/speakers/nargiz-safarova.md --
---
name: Nargiz Safarova
privacy: initials
---
A lawyer.
-- content/speakers/nargiz-safarova.ru.md --
---
name: Наргиз Сафарова
---
Юрист.
-- content/forums/2025/meet.md --
---
title: Meeting
date: 2025-10-20
summary: Nargiz Safarova spoke.
speakers: [Nargiz Safarova, Ann Lee]
---
We heard Nargiz Safarova.
-- content/forums/2025/meet.ru.md --
---
title: Встреча
summary: Выступила Наргиз Сафарова.
---
Мы слышали Наргиз Сафарову и Наргиз Сафарова.
"#,
    );
    for (path, bytes) in site.tree() {
        let text = String::from_utf8_lossy(&bytes);
        for name in ["Наргиз Сафарова", "Nargiz Safarova", "Сафарова"] {
            assert!(!text.contains(name), "{name} in {path}");
        }
    }
    let ru = site.page("ru/forums/2025/meet/index.html");
    assert!(ru.text("p.lede").contains("N. S."), "{}", ru.text("p.lede"));
}

#[test]
fn the_speakers_index_capitalizes_by_the_pages_language() {
    let site = Site::built(
        "-- content/_index.md --\n---\ntitle: T\nlanguages: [en, az]\n---\n-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-10-20\nspeakers: [İlham Quliyev]\n---\n",
    );
    assert_eq!(site.page("speakers/index.html").text("section h2"), "I");
    let az = site.page("az/speakers/index.html");
    assert_eq!(az.text("section h2"), "İ");
    assert_eq!(az.attr("section h2", "id"), ["letter-i"]);
    // `Ildırım` starts with the dotless `I`, a letter of its own before `İ` in Azerbaijani.
    let site = Site::built(
        "-- content/_index.md --\n---\ntitle: T\nlanguages: [en, az]\n---\n-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-10-20\nspeakers: [İlham Quliyev, Ildırım Həsənov, Igor Petrov]\n---\n",
    );
    let az = site.page("az/speakers/index.html");
    assert_eq!(az.texts("section h2"), ["I", "İ"]);
    assert_eq!(
        az.attr("section h2", "id"),
        ["letter-dotless-i", "letter-i"]
    );
    assert_eq!(site.page("speakers/index.html").texts("section h2"), ["I"]);
}

#[test]
fn every_text_shown_in_the_originals_language_is_marked_with_it() {
    let site = Site::built(
        "-- content/_index.md --\n---\ntitle: T\nlanguages: [en, az, ru]\n---\n\
-- content/forums/2025/one.md --\n---\ntitle: Forum One\ndate: 2025-10-20\nseries: Annual Session\nvenue: Congress Center\nspeakers:\n  - name: Aygun Aliyeva\n    title: Executive Director\n    topic: grant competitions\n    organization: Civic Union\nsessions:\n  - title: Session A\n    summary: Summary A\n    speakers: [Rahman Gadjiev]\n  - title: Session B\n    summary: Summary B\n---\nText.\n\n> We will do more.\n> — Aygun Aliyeva\n\
-- content/forums/2025/one.az.md --\n---\ntitle: Birinci Forum\nsessions:\n  - title: A sessiyası\n    summary: A xülasəsi\n  - title: B sessiyası\n---\n\
-- content/forums/2025/two.md --\n---\ntitle: Forum Two\ndate: 2025-11-20\nvenue: Hall\ncity: Baku\ncountry: Azerbaijan\n---\n\
-- content/forums/2025/two.ru.md --\n---\ntitle: Форум два\ncity: Баку\n---\n",
    );
    // A place partly translated: each part left in the original's language is marked.
    let two = site.page("ru/forums/2025/two/index.html");
    assert_eq!(two.texts("dd span[lang='en']"), ["Hall", "Azerbaijan"]);
    assert!(
        two.texts("dd")
            .iter()
            .any(|d| d.contains("Hall, Баку, Azerbaijan")),
        "{:?}",
        two.texts("dd")
    );
    let list = site.page("ru/forums/index.html");
    assert!(
        list.texts(".meta span[lang='en']")
            .contains(&"Hall".to_string()),
        "{:?}",
        list.texts(".meta span")
    );
    // The site's title and description, untranslated, are marked where they show.
    assert_eq!(two.attr("a.site-title", "lang"), ["en"]);
    assert_eq!(two.texts("footer span[lang='en']"), ["T"]);
    assert_eq!(site.page("ru/index.html").attr("h1", "lang"), ["en"]);
    // Azerbaijani: the second session's summary is the original's.
    let az = site.page("az/forums/2025/one/index.html");
    assert_eq!(az.texts(".session p[lang='en']"), ["Summary B"]);
    assert_eq!(az.texts(".session h3[lang]").len(), 0);
    // Russian (no translation): the topic within the Russian phrase, and elsewhere.
    let ru = site.page("ru/forums/2025/one/index.html");
    assert_eq!(ru.texts(".topic span[lang='en']"), ["grant competitions"]);
    let speaker = site.page("ru/speakers/aygun-aliyeva/index.html");
    assert_eq!(speaker.texts("p.lede[lang='en']"), ["Executive Director"]);
    assert!(
        speaker
            .texts(".meta span[lang='en']")
            .contains(&"Congress Center".to_string())
    );
    assert_eq!(
        speaker.texts("figcaption .job-title[lang='en']"),
        ["Executive Director"]
    );
    let panelist = site.page("ru/speakers/rahman-gadjiev/index.html");
    assert_eq!(
        panelist.texts(".affiliation span[lang='en']"),
        ["Session A"]
    );
    let index = site.page("ru/speakers/index.html");
    assert_eq!(index.texts(".note[lang='en']"), ["Executive Director"]);
    let series = site.page("ru/series/index.html");
    assert_eq!(series.texts("main a[lang='en']"), ["Annual Session"]);
    // The default language's pages mark nothing.
    let en = site.page("forums/2025/one/index.html");
    assert_eq!(en.texts("main [lang]").len(), 0);
    let en = site.page("forums/2025/two/index.html");
    assert_eq!(en.texts("main [lang]").len(), 0);
    assert!(en.attr("a.site-title", "lang").is_empty());
    assert!(en.texts("footer [lang]").is_empty());
}

/// The repository's example site (point 7 of the issue).
#[test]
fn the_example_site_speaks_three_languages() {
    let site = Site::new("");
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for entry in walkdir::WalkDir::new(&content).into_iter().flatten() {
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(&content).unwrap();
            let target = site.root().join("content").join(relative);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
    site.build();
    assert_eq!(
        site.warnings(),
        "",
        "the example site builds without warnings"
    );
    let report = "forums/2025/khankendi-ngo-forum/index.html";
    let (en, az, ru) = (
        site.page(report),
        site.page(&format!("az/{report}")),
        site.page(&format!("ru/{report}")),
    );
    // Title and summary translated; the body falls back to English, marked.
    assert_ne!(az.text("h1"), en.text("h1"));
    assert_ne!(ru.text("h1"), en.text("h1"));
    assert!(az.attr("h1", "lang").is_empty() && ru.attr("h1", "lang").is_empty());
    assert_eq!(az.attr("section.report", "lang"), ["en"]);
    assert_eq!(ru.attr("section.report", "lang"), ["en"]);
    // Names in their established spellings.
    assert!(az.link_to("/az/speakers/aygun-aliyeva/"));
    assert!(
        az.text("a[href='/az/speakers/aygun-aliyeva/']")
            .contains("Aygün Əliyeva")
    );
    assert!(
        ru.text("a[href='/ru/speakers/aygun-aliyeva/']")
            .contains("Айгюн Алиева")
    );
    // The interface in each language.
    assert_eq!(az.attr("html", "lang"), ["az"]);
    assert_eq!(ru.text("dd time"), "20 октября 2025");
    assert_ne!(
        site.page("az/index.html").text("a.site-title"),
        en.text("a.site-title")
    );
}

#[test]
fn a_post_is_one_post_in_every_language_however_many_of_its_reports_are_translated() {
    let report = |slug: &str, year: u32, speakers: &str| {
        format!(
            "-- content/forums/{year}/{slug}.md --\n---\ntitle: Forum {year}\ndate: {year}-05-01\ncity: Baku\nspeakers:\n{speakers}---\nText.\n"
        )
    };
    let aygun =
        "  - name: Aygun Aliyeva\n    title: Executive Director\n    organization: NGO Agency\n";
    let rahman = "  - name: Rahman Gadjiev\n    title: Chair\n";
    let translated = |slug: &str, year: u32, title: &str| {
        format!(
            "-- content/forums/{year}/{slug}.ru.md --\n---\ntitle: Форум {year}\nspeakers:\n  - name: Aygun Aliyeva\n    title: {title}\n---\n"
        )
    };
    let site = Site::built(&format!(
        "-- content/_index.md --\n---\ntitle: Forums\nlanguages: [en, ru]\n---\n{}{}{}{}{}",
        report("a", 2023, aygun),
        report("b", 2024, aygun),
        report("c", 2025, &format!("{aygun}{rahman}")),
        translated("a", 2023, "Исполнительный директор"),
        translated("b", 2024, "Исполнительный директор агентства"),
    ));
    let en = site.page("speakers/aygun-aliyeva/index.html");
    assert_eq!(
        en.texts("ul.careers .position"),
        ["Executive Director, NGO Agency, 2023–2025"]
    );
    // Two of three reports translated: still one post, titled by its latest translation.
    let ru = site.page("ru/speakers/aygun-aliyeva/index.html");
    assert_eq!(
        ru.texts("ul.careers .position"),
        ["Исполнительный директор агентства, NGO Agency, 2023–2025"]
    );
    assert_eq!(ru.texts("ul.careers summary"), ["3 форума"]);
    assert_eq!(
        ru.attr("ul.careers .job-title", "lang"),
        Vec::<String>::new()
    );
    // A title no report translates is the original's, marked as such.
    let chair = site.page("ru/speakers/rahman-gadjiev/index.html");
    assert_eq!(chair.texts("ul.careers .job-title"), ["Chair"]);
    assert_eq!(chair.attr("ul.careers .job-title", "lang"), ["en"]);
}

#[test]
fn an_organization_page_lists_a_title_once_in_every_language_however_many_reports_translate_it() {
    let report = |year: u32| {
        format!(
            "-- content/forums/{year}/f.md --\n---\ntitle: Forum {year}\ndate: {year}-05-01\nspeakers:\n  - name: Aygun Aliyeva\n    title: Executive Director\n    organization: NGO Agency\n  - name: Rahman Gadjiev\n    title: Chair\n    organization: NGO Agency\n---\nText.\n"
        )
    };
    let translated = |year: u32, title: &str| {
        format!(
            "-- content/forums/{year}/f.ru.md --\n---\ntitle: Форум {year}\nspeakers:\n  - name: Aygun Aliyeva\n    title: {title}\n---\n"
        )
    };
    let site = Site::built(&format!(
        "-- content/_index.md --\n---\ntitle: Forums\nlanguages: [en, ru]\n---\n{}{}{}{}{}",
        report(2023),
        report(2024),
        report(2025),
        translated(2023, "Исполнительный директор"),
        translated(2024, "Исполнительный директор агентства"),
    ));
    let titles = |path: &str| site.page(path).texts("li.person .affiliation");
    assert_eq!(
        titles("organizations/ngo-agency/index.html"),
        ["— Executive Director", "— Chair"]
    );
    // Two of three reports translate her title, differently: one title, the latest words.
    assert_eq!(
        titles("ru/organizations/ngo-agency/index.html"),
        ["— Исполнительный директор агентства", "— Chair"]
    );
    // A title no report translates is marked as the original's language.
    let marked = "li.person .affiliation span[lang]";
    let ru = site.page("ru/organizations/ngo-agency/index.html");
    assert_eq!(ru.texts(marked), ["Chair"]);
    assert_eq!(ru.attr(marked, "lang"), ["en"]);
    assert_eq!(
        site.page("organizations/ngo-agency/index.html")
            .count(marked),
        0
    );
}

/// A translation gives a speaker a title or topic only where the original has one (the
/// original's is replaced): one given for an entry without would be shown nowhere, so it
/// is a warning at its place.
#[test]
fn a_translated_title_for_an_entry_without_one_is_a_warning() {
    let site = Site::new(
        "-- content/_index.md --\n---\ntitle: T\nlanguages: [en, az]\n---\n-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-10-20\nspeakers:\n  - name: Ana Lima\n    title: Chair\n  - name: Rui Costa\n---\n-- content/forums/a.az.md --\n---\ntitle: A az\nspeakers:\n  - name: Ana Lima\n    title: Sədr\n  - name: Rui Costa\n    title: Müdir\n    topic: qrantlar\n---\n",
    );
    let warnings = site.warnings();
    for (place, field) in [
        ("content/forums/a.az.md:7:12:", "title"),
        ("content/forums/a.az.md:8:12:", "topic"),
    ] {
        assert!(
            warnings.contains(&format!(
                "{place} the original (content/forums/a.md) gives `Rui Costa` no `{field}`, so this one is shown nowhere"
            )),
            "{warnings}"
        );
    }
    assert!(!warnings.contains("`Ana Lima` no"), "{warnings}");
    site.build();
    assert!(site.read("az/forums/a/index.html").contains("Sədr"));
}

/// The skeleton offers every title and topic to translate: a session's moderator's and
/// speakers' too, each person once; filled in, the translation is shown.
#[test]
fn a_translation_skeleton_offers_the_sessions_people_too() {
    let site = Site::new(
        "-- content/_index.md --\n---\ntitle: T\nlanguages: [en, az]\n---\n-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-10-20\nspeakers:\n  - name: Ali Hasanov\n    title: Chairman\nsessions:\n  - title: Mines\n    moderator: {name: Ulviyya Gasimova, title: Expert, topic: demining}\n    speakers:\n      - name: Rui Costa\n        title: Engineer\n      - name: Ali Hasanov\n        title: Chairman\n---\n",
    );
    let path = podium::scaffold::new_translation(site.root(), "A", "az").unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    for expected in [
        "#   - name: \"Ali Hasanov\"",
        "#   - name: \"Ulviyya Gasimova\"",
        "#     topic: \"demining\"",
        "#   - name: \"Rui Costa\"",
        "#     title: \"Engineer\"",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert_eq!(text.matches("Ali Hasanov").count(), 1, "{text}");
    let filled = text
        .replace(
            "#   - name: \"Ulviyya Gasimova\"",
            "  - name: \"Ulviyya Gasimova\"",
        )
        .replace("#     title: \"Expert\"", "    title: \"Ekspert\"")
        .replace("# speakers:", "speakers:");
    std::fs::write(&path, filled).unwrap();
    site.build();
    assert!(site.read("az/forums/a/index.html").contains("Ekspert"));
}
