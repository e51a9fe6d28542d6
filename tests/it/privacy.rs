//! People at risk (issue 14): `privacy:` on a profile or on one speaker entry, and the
//! promise behind it: nothing of a protected person's name reaches any output file. The
//! central test scans every byte of every output file, and every file name, for every
//! spelling, also JSON- and XML-escaped.

use crate::support::*;

/// A site with every level: Nərgiz Səfərova shown as initials everywhere, Rashad Karimov
/// unlisted everywhere, Leyla Mammadova public without a photo (and as initials on one panel),
/// Tural Hasanov unlisted on his only entry. Names stand in titles, summaries, sessions,
/// links, emphasis, quotes, URLs and a file name.
const PROTECTED: &str = r#"
-- content/_index.md --
---
title: Privacy
base_url: https://example.org/
---
Welcome. We once heard **Nərgiz Səfərova** here.
-- content/speakers/nargiz-safarova.md --
---
name: Nərgiz Səfərova
aliases: [Nargiz Safarova, Наргиз Сафарова, /people/nargiz/]
photo: nargiz.jpg
privacy: initials
links: [https://example.com/nargiz]
extra:
  phone: "+994 000 00 00"
---
Nərgiz is a lawyer who defends journalists.
-- content/speakers/nargiz.jpg --
JPEG
-- content/speakers/rashad-karimov.md --
---
name: Rashad Karimov
aliases: [Рашад Керимов, Rəşad Kərimov]
privacy: unlisted
---
A short bio.
-- content/speakers/leyla.md --
---
name: Leyla Mammadova
photo: leyla.jpg
privacy: no-photo
---
Leyla writes about courts.
-- content/speakers/leyla.jpg --
JPEG
-- content/forums/2025/forum-one.md --
---
title: Forum one with Nargiz Safarova
date: 2025-10-20
city: Baku
summary: Rashad Karimov and Nərgiz Səfərova spoke.
organizers: [Civic Union]
topics: [Courts]
speakers:
  - name: Nargiz Safarova
    title: Lawyer
    organization: Civic Union
  - name: Rashad Karimov
    organization: Civic Union
    title: Chair
  - name: Leyla Mammadova
    organization: Press Club
  - name: Tural Hasanov
    organization: Press Club
    privacy: unlisted
sessions:
  - title: Panel with Рашад Керимов
    summary: Tural Hasanov moderated.
    speakers:
      - name: Leyla Mammadova
        privacy: initials
---
Opening remarks by [Nargiz Safarova](@/speakers/nargiz-safarova) and *Rashad Karimov*.
See [her old profile](https://example.com/people/nargiz-safarova) and [his](@/speakers/rashad-karimov).
Tural Hasanov took notes. `RƏŞAD KƏRİMOV` was in the program.

> We need courts that listen.
> — Nargiz Safarova

![Nərgiz Səfərova at the desk](photo-nargiz-safarova.jpg)
-- content/forums/2025/photo-nargiz-safarova.jpg --
JPEG
-- content/forums/2025/forum-two.md --
---
title: Forum two
date: 2025-11-20
topics: [Courts]
speakers:
  - name: Leyla Mammadova
    organization: Press Club
  - name: Nargiz Safarova
    organization: Civic Union
  - name: Rashad Karimov
    organization: Civic Union
---
Leyla Mammadova and Nərgiz Səfərova met; Rashad Karimov's words are not quoted.
"#;

/// Every spelling of the three people whose names must not appear anywhere.
const SPELLINGS: &[&str] = &[
    "Nərgiz Səfərova",
    "Nargiz Safarova",
    "Nergiz Seferova",
    "Наргиз Сафарова",
    "nargiz-safarova",
    "nargiz_safarova",
    "Rashad Karimov",
    "Rəşad Kərimov",
    "Resad Kerimov",
    "Рашад Керимов",
    "rashad-karimov",
    "Tural Hasanov",
    "tural-hasanov",
    "Səfərova",
    "Safarova",
    "Karimov",
    "Kərimov",
    "Керимов",
    "Hasanov",
    "+994 000 00 00",
    "defends journalists",
];

/// `s` as JSON writes it with every non-ASCII character escaped (`\u0259`).
fn json_escaped(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if c.is_ascii() {
                vec![c.to_string()]
            } else {
                let mut buf = [0u16; 2];
                c.encode_utf16(&mut buf)
                    .iter()
                    .map(|u| format!("\\u{u:04x}"))
                    .collect()
            }
        })
        .collect()
}

/// `s` as XML or HTML may write it: non-ASCII as numeric references, decimal and hex.
fn xml_escaped(s: &str) -> [String; 2] {
    let dec = s
        .chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                format!("&#{};", c as u32)
            }
        })
        .collect();
    let hex = s
        .chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                format!("&#x{:x};", c as u32)
            }
        })
        .collect();
    [dec, hex]
}

/// Every place in the output where a spelling stands: (file, spelling, form).
fn leaks(site: &Site) -> Vec<String> {
    let mut found = Vec::new();
    for (path, bytes) in site.tree() {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        let path_l = path.to_lowercase();
        for spelling in SPELLINGS {
            let l = spelling.to_lowercase();
            let mut forms = vec![l.clone(), l.replace(' ', "-"), l.replace(' ', "%20")];
            forms.push(json_escaped(&l).to_lowercase());
            forms.extend(xml_escaped(&l).map(|f| f.to_lowercase()));
            for form in forms {
                if text.contains(&form) || path_l.contains(&form) {
                    found.push(format!("{path}: {spelling} as {form}"));
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn nothing_of_a_protected_name_reaches_any_output_file() {
    let site = Site::new(PROTECTED);
    let report = site.build();
    assert!(report.pages.total() > 10);
    let leaks = leaks(&site);
    assert!(
        leaks.is_empty(),
        "protected names in the output:\n{}",
        leaks.join("\n")
    );
    // The scan can fail: the public person's name is there, in every kind of file.
    let tree = site.tree();
    let with_leyla = tree
        .iter()
        .filter(|(_, b)| String::from_utf8_lossy(b).contains("Leyla Mammadova"))
        .count();
    assert!(with_leyla > 5, "{with_leyla}");
    // Withheld files: the portraits and the photo whose name spells a protected name.
    assert!(!site.exists("speakers/nargiz.jpg"));
    assert!(!site.exists("speakers/leyla.jpg"));
    assert!(!site.exists("forums/2025/photo-nargiz-safarova.jpg"));
    // No redirect from an old address that would confirm the person.
    assert!(!site.exists("people/nargiz/index.html"));
}

#[test]
fn names_broken_over_lines_inflected_or_spelled_with_invisible_characters_are_replaced() {
    // Each form was once published, or stopped the build, where it should have been
    // replaced with a warning.
    let body = [
        "Opening words by Nargiz\nSafarova today.",
        "Nargiz&nbsp;Safarova spoke; Nar&shy;giz Safarova too.",
        // `Rəşad Kərimov` with its accents written apart (decomposed), and a zero-width space.
        "R\u{259}s\u{327}ad K\u{259}rimov and Rashad Kari\u{200B}mov listened.",
        // Case endings: Azerbaijani adds them, Russian changes the last vowel.
        "Nərgiz Səfərovanın çıxışı; Rəşad Kərimova söz verildi. Форум с Наргиз Сафаровой.",
    ]
    .join("\n\n");
    let site = Site::new(&PROTECTED.replace(
        "Leyla Mammadova and Nərgiz Səfərova met; Rashad Karimov's words are not quoted.",
        &body,
    ));
    let report = site.build();
    let leaks = leaks(&site);
    assert!(
        leaks.is_empty(),
        "protected names in the output:\n{}",
        leaks.join("\n")
    );
    let page = site.page("forums/2025/forum-two/index.html");
    let text = page.text(".report");
    assert!(text.contains("Opening words by N. S. today."), "{text}");
    assert!(text.contains("Форум с N. S.."), "{text}");
    assert!(
        text.contains("A participant and a participant listened"),
        "{text}"
    );
    // Each is a warning at its line in the report.
    let warned: Vec<usize> = report
        .warnings
        .iter()
        .filter(|w| {
            w.span
                .as_ref()
                .is_some_and(|s| s.file.ends_with("forum-two.md"))
        })
        .filter_map(|w| w.span.as_ref().map(|s| s.line))
        .collect();
    assert!(warned.len() >= 8, "{warned:?}");
}

#[test]
fn a_source_address_or_report_address_that_spells_the_name_is_handled_at_its_place() {
    // A source's link that names the person is dropped, with a warning.
    let site = Site::new(&PROTECTED.replace(
        "title: Forum two\n",
        "title: Forum two\nsource:\n  title: The news\n  url: https://example.org/news/nargiz-safarova\n",
    ));
    let report = site.build();
    assert!(leaks(&site).is_empty(), "{:?}", leaks(&site));
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.message.contains("the source's address spells")),
        "{:?}",
        report.warnings
    );
    let page = site.page("forums/2025/forum-two/index.html");
    assert!(page.text(".source").contains("The news"));
    // A report whose file name spells it: an error at the report, saying what to do.
    let site = Site::new(&PROTECTED.replace(
        "forums/2025/forum-two.md",
        "forums/2025/nargiz-safarova-award.md",
    ));
    let errors = site.build_err();
    assert!(
        errors.contains("nargiz-safarova-award.md:1:1: this report's address `forums/2025/nargiz-safarova-award/` spells the name of a protected person"),
        "{errors}"
    );
    assert!(errors.contains("`slug:`"), "{errors}");
}

#[test]
fn each_level_shows_the_person_as_it_says() {
    let site = Site::built(PROTECTED);
    let forum = site.page("forums/2025/forum-one/index.html");
    let people = forum.texts(".speakers .person .name");
    assert_eq!(
        people,
        ["N. S.", "Leyla Mammadova", "A participant", "A participant"]
    );
    // Unnamed participants keep the organization they spoke for, and nothing else.
    let rows = forum.texts(".speakers .person");
    assert!(
        rows[2].contains("Civic Union") && !rows[2].contains("Chair"),
        "{rows:?}"
    );
    assert!(rows[3].contains("Press Club"), "{rows:?}");
    // Initials link to a page at an address that says nothing of the name.
    let (href, _) = &forum.links(".speakers .person a.name")[0];
    assert!(href.starts_with("/speakers/p-"), "{href}");
    // One panel shows Leyla as initials, on a page of its own, not her public page.
    let panel = forum.links(".session .person a.name");
    assert_eq!(panel.len(), 1);
    assert_eq!(panel[0].1, "L. M.");
    assert!(panel[0].0.starts_with("/speakers/p-") && panel[0].0 != *href);
    // The text: names replaced, links to protected people kept only where they may go.
    let report = forum.text(".report");
    assert!(
        report.contains("Opening remarks by N. S. and a participant."),
        "{report}"
    );
    assert!(report.contains("A participant took notes."), "{report}");
    assert!(forum.link_to(href));
    assert!(
        !forum
            .links(".report a")
            .iter()
            .any(|(_, t)| t == "his" || t.contains("profile"))
    );
    assert_eq!(forum.text("h1"), "Forum one with N. S.");
    assert!(
        forum
            .text(".lede")
            .starts_with("A participant and N. S. spoke.")
    );

    // The initials page: no bio, photo or links; titles stay; not for search engines.
    let page = site.page(&format!("{}index.html", &href[1..]));
    assert_eq!(page.text("h1"), "N. S.");
    assert_eq!(page.attr("meta[name=robots]", "content"), ["noindex"]);
    assert_eq!(page.count("img.portrait"), 0);
    assert!(page.text("main").contains("Lawyer"));
    assert!(!page.text("main").contains("lawyer who"));
    // Not in any list: the A-Z index, the sitemap, other people's co-speakers.
    let index = site.page("speakers/index.html");
    assert!(!index.text("main").contains("N. S."));
    assert!(!site.read("sitemap.xml").contains("/speakers/p-"));
    let leyla = site.page("speakers/leyla-mammadova/index.html");
    assert!(
        !leyla
            .links("main a")
            .iter()
            .any(|(h, _)| h.starts_with("/speakers/p-"))
    );
    assert_eq!(leyla.count("img.portrait"), 0, "no-photo");
    assert!(leyla.text("main").contains("Leyla writes about courts."));
    // Unlisted people have no page at all.
    assert!(!site.exists("speakers/rashad-karimov/index.html"));
    assert!(!site.exists("speakers/tural-hasanov/index.html"));
    // Organizations count the people they do not name.
    let org = site.page("organizations/civic-union/index.html");
    assert!(org.text("#people-heading").contains("(2)"));
    assert_eq!(
        org.texts(".people .person.unnamed"),
        ["2 participants, not named on this site"]
    );
    let press = site.page("organizations/press-club/index.html");
    assert!(
        press
            .text(".people")
            .contains("1 more participant, not named")
    );
}

#[test]
fn initials_addresses_are_stable_keyed_and_the_key_is_made_once() {
    let site = Site::new(PROTECTED);
    let warnings = site.warnings();
    assert!(
        warnings.contains(".podium-key:1:1: made a new privacy key"),
        "{warnings}"
    );
    let key = std::fs::read_to_string(site.root().join(".podium-key")).unwrap();
    assert!(key.trim().len() >= 32);
    let address = |site: &Site| {
        site.page("forums/2025/forum-one/index.html")
            .links(".speakers a.name")[0]
            .0
            .clone()
    };
    let first = address(&site);
    // Again, and from a clean output: the same address; the key file is not rewritten.
    std::fs::remove_dir_all(site.out()).unwrap();
    assert!(!site.warnings().contains("made a new privacy key"));
    assert_eq!(address(&site), first);
    assert_eq!(
        std::fs::read_to_string(site.root().join(".podium-key")).unwrap(),
        key
    );
    // Another site's key gives another address: nobody can recompute it from a guess.
    site.write(".podium-key", "another site's secret, long enough\n");
    site.build();
    let other = address(&site);
    assert_ne!(other, first);
    assert!(
        !site.exists(&format!("{}index.html", &first[1..])),
        "old address deleted"
    );
}

#[test]
fn every_replaced_name_is_a_warning_at_its_place() {
    let site = Site::new(PROTECTED);
    let warnings = site.warnings();
    for place in [
        "content/forums/2025/forum-one.md:2:23:",  // title
        "content/forums/2025/forum-one.md:5:10:",  // summary
        "content/forums/2025/forum-one.md:21:23:", // session title
        "content/forums/2025/forum-one.md:22:14:", // session summary
        "content/forums/2025/forum-one.md:27:21:", // link text
        "content/forums/2025/forum-one.md:27:49:", // link address
        "content/forums/2025/forum-one.md:27:71:", // emphasis
        "content/forums/2025/forum-one.md:29:1:",  // body, entry-level protection
        "content/forums/2025/forum-one.md:29:28:", // code span, capitals
        "content/_index.md:5:26:",                 // the home introduction
    ] {
        assert!(
            warnings.contains(&format!("{place} the name of a person protected by")),
            "no warning at {place}:\n{warnings}"
        );
    }
    assert!(!warnings.contains("broken link"), "{warnings}");
    assert!(!warnings.contains("who is not a speaker"), "{warnings}");
    // `check --format json` lists the places for the editor, marked as privacy findings.
    let diags = podium::check(&site.options());
    let places: Vec<_> = diags
        .iter()
        .filter(|d| d.code == Some(podium::diagnostic::Code::Privacy))
        .filter_map(|d| d.span.as_ref())
        .collect();
    assert!(places.len() >= 8, "{places:?}");
    let json = serde_json::to_value(diags.iter().collect::<Vec<_>>()).unwrap();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "privacy")
    );
}

#[test]
fn taking_someone_down_later_removes_their_page_and_every_mention() {
    let public = PROTECTED.replace("privacy: unlisted\n---\nA short bio.", "---\nA short bio.");
    let site = Site::new(&public);
    site.build();
    assert!(site.exists("speakers/rashad-karimov/index.html"));
    assert!(site.read("feed.xml").contains("Rashad Karimov"));
    // The takedown: one line.
    site.write(
        "content/speakers/rashad-karimov.md",
        "---\nname: Rashad Karimov\naliases: [Рашад Керимов, Rəşad Kərimov]\nprivacy: unlisted\n---\nA short bio.\n",
    );
    site.build();
    assert!(
        !site.out().join("speakers/rashad-karimov").exists(),
        "old page deleted"
    );
    assert!(leaks(&site).is_empty(), "{:?}", leaks(&site));
    // The incremental output equals a clean build of the same sources.
    let incremental = site.tree();
    std::fs::remove_dir_all(site.out()).unwrap();
    std::fs::remove_dir_all(site.root().join(".public.podium")).unwrap();
    site.build();
    assert_eq!(
        incremental.keys().collect::<Vec<_>>(),
        site.tree().keys().collect::<Vec<_>>()
    );
    assert!(incremental == site.tree());
}

#[test]
fn a_name_that_would_slip_through_stops_the_build_and_keeps_the_output() {
    let site = Site::built(PROTECTED);
    let before = site.tree();
    // A topic named after a protected person: its address and pages would spell the name.
    site.write(
        "content/forums/2025/forum-two.md",
        "---\ntitle: Forum two\ndate: 2025-11-20\ntopics: [The case of Rashad Karimov]\n---\nText.\n",
    );
    let err = site.build_err();
    assert!(err.contains("refusing to publish"), "{err}");
    assert!(err.contains("privacy: unlisted"), "{err}");
    // The open data, written in pieces of records rather than whole, is looked at too.
    assert!(
        err.contains("refusing to publish `api/forums.json`"),
        "{err}"
    );
    assert!(site.tree() == before, "the previous output stays");
}

#[test]
fn an_unknown_privacy_level_is_an_error_with_a_hint() {
    let site = Site::new(
        "-- content/speakers/a.md --\n---\nname: A Person\nprivacy: initals\n---\n\
         -- content/forums/f.md --\n---\ntitle: F\ndate: 2025-01-01\nspeakers:\n  - name: A Person\n  - name: B Person\n    privacy: hidden\n---\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("content/speakers/a.md:3:10: unknown privacy setting `initals`"),
        "{err}"
    );
    assert!(err.contains("did you mean `initials`?"), "{err}");
    assert!(
        err.contains("content/forums/f.md:7:14: unknown privacy setting `hidden`"),
        "{err}"
    );
    assert!(
        err.contains("public, no-photo, initials, unlisted"),
        "{err}"
    );
}

#[test]
fn no_photo_alone_withholds_the_portrait_and_its_file() {
    let site = Site::built(
        "-- content/speakers/leyla.md --\n---\nname: Leyla Mammadova\nphoto: leyla.jpg\nprivacy: no-photo\n---\nBio.\n\
         -- content/speakers/leyla.jpg --\nJPEG\n\
         -- content/forums/f.md --\n---\ntitle: F\ndate: 2025-01-01\nspeakers: [Leyla Mammadova]\n---\n",
    );
    let page = site.page("speakers/leyla-mammadova/index.html");
    assert_eq!(page.count("img"), 0);
    assert!(page.text("main").contains("Bio."));
    assert!(!site.exists("speakers/leyla.jpg"));
    assert!(
        !site
            .read("speakers/leyla-mammadova/index.html")
            .contains("leyla.jpg")
    );
}

#[test]
fn protected_people_never_enter_the_search_index() {
    let site = Site::built(PROTECTED);
    let titles = |query: &str| crate::search::titles(&site, query);
    // The public person is found by name; the protected ones by no spelling of theirs.
    assert!(titles("Mammadova").contains(&"Leyla Mammadova".to_string()));
    for query in [
        "Safarova",
        "Səfərova",
        "Сафарова",
        "Karimov",
        "Керимов",
        "Hasanov",
        "N. S.",
    ] {
        let found = titles(query);
        assert!(
            !found
                .iter()
                .any(|t| t == "N. S." || t.contains("Safarova") || t.contains("Karimov")),
            "{query}: {found:?}"
        );
        assert!(
            !found
                .iter()
                .any(|t| t.starts_with("N.") && !t.contains("Forum")),
            "{query}: {found:?}"
        );
    }
    // Reports are still found, under their cleaned titles.
    assert!(titles("Forum one").contains(&"Forum one with N. S.".to_string()));
}

#[test]
fn pictures_leak_no_protected_name_or_portrait() {
    let png = |shade: u8| png(120, 80, shade);
    let site = Site::new(
        "-- content/speakers/rashad.md --\n---\nname: Rashad Karimov\nphoto: rashad.png\nprivacy: initials\n---\n\
         -- content/forums/f.md --\n---\ntitle: F\ndate: 2025-01-01\nspeakers: [Rashad Karimov, Ann Lee]\n---\n\
         ![Rashad Karimov at the desk](hall.png \"Rashad Karimov\")\n",
    );
    std::fs::write(site.root().join("content/speakers/rashad.png"), png(10)).unwrap();
    std::fs::write(site.root().join("content/forums/hall.png"), png(200)).unwrap();
    site.build();
    // The hall's picture is published, its alt text and title cleaned.
    let page = site.page("forums/f/index.html");
    assert_eq!(page.attr(".report img", "alt"), ["R. K. at the desk"]);
    assert!(!site.read("forums/f/index.html").contains("Karimov"));
    // The portrait is published in no form at all.
    let tree = site.tree();
    assert!(
        tree.keys().any(|p| p.starts_with("forums/hall")),
        "{:?}",
        tree.keys()
    );
    assert!(
        !tree.keys().any(|p| p.contains("rashad")),
        "{:?}",
        tree.keys()
    );
}

/// The other ways a name reaches a page, each of which stopped the build at the last guard
/// (or slipped past it): an address percent-encoded or with the words run together, a
/// footnote's label, a heading's own id, a session's time, the links of someone else's
/// profile, a plain page's title.
const IN_ADDRESSES_AND_LABELS: &str = r#"
-- content/_index.md --
---
title: Privacy
---
-- content/speakers/ns.md --
---
name: Nərgiz Səfərova
aliases: [Nargiz Safarova]
privacy: unlisted
---
-- content/speakers/pub.md --
---
name: Public Person
links:
  - {label: "Interview with Nargiz Safarova", url: "https://example.org/interview"}
  - https://nargiz-safarova.example.org/
  - {label: "Home page", url: "https://example.org/home"}
---
-- content/about.md --
---
title: About Nargiz Safarova
---
About us.
-- content/forums/2025/f.md --
---
title: A forum
date: 2025-10-20
speakers:
  - name: Public Person
sessions:
  - title: Opening
    time: Slot of Nargiz Safarova
---
[one](https://example.org/N%C9%99rgiz-S%C9%99f%C9%99rova) [two](https://example.org/nargiz%20safarova)
[three](https://x.com/NargizSafarova) and a [kept link](https://example.org/kept).
Also at https://example.org/N%C9%99rgiz-S%C9%99f%C9%99rova in the text.

Noted[^nargiz-safarova] twice[^Nargiz-Safarova].

[^nargiz-safarova]: The note.

## Her talk {#nargiz-safarova-talk}
"#;

#[test]
fn names_in_addresses_labels_times_and_others_links_are_replaced_and_the_build_goes_on() {
    let site = Site::new(IN_ADDRESSES_AND_LABELS);
    let report = site.build();
    assert!(report.pages.forums == 1);
    for (path, bytes) in site.tree() {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        for form in [
            "nargiz",
            "nərgiz",
            "nergiz",
            "n%c9%99rgiz",
            "safarova",
            "səfərova",
        ] {
            assert!(!text.contains(form), "{path} holds {form}");
            assert!(!path.to_lowercase().contains(form), "{path}");
        }
    }
    let page = site.page("forums/2025/f/index.html");
    let hrefs: Vec<String> = page.attr("a", "href");
    assert!(
        hrefs.iter().any(|h| h == "https://example.org/kept"),
        "{hrefs:?}"
    );
    assert!(!hrefs.iter().any(|h| h.contains("x.com")), "{hrefs:?}");
    // The note keeps working under its new label: one definition, two references to it.
    let notes = page.attr(".footnote-definition", "id");
    assert_eq!(notes.len(), 1, "{notes:?}");
    let to_note = format!("#{}", notes[0]);
    assert_eq!(
        hrefs.iter().filter(|h| **h == to_note).count(),
        2,
        "{hrefs:?}"
    );
    assert!(page.text("main").contains("Slot of a participant"));
    let person = site.page("speakers/public-person/index.html");
    let links = person.links("main a");
    assert!(
        links
            .iter()
            .any(|(href, text)| text.contains("Interview with a participant")
                && href == "https://example.org/interview"),
        "{links:?}"
    );
    assert!(
        links
            .iter()
            .any(|(href, _)| href == "https://example.org/home"),
        "{links:?}"
    );
    let warnings = site.warnings();
    for place in [
        "content/about.md:2:14:",          // the page's title
        "content/speakers/pub.md:4:29:",   // a link's label
        "content/forums/2025/f.md:8:19:",  // a session's time
        "content/forums/2025/f.md:10:27:", // an address, percent-encoded
        "content/forums/2025/f.md:11:23:", // an address, the words run together
        "content/forums/2025/f.md:14:8:",  // a footnote's label
        "content/forums/2025/f.md:18:15:", // a heading's id
    ] {
        assert!(
            warnings.contains(place),
            "no warning at {place}:\n{warnings}"
        );
    }
    assert!(
        warnings.contains(
            "content/speakers/pub.md:5:5: this link's address spells a protected person's name"
        ),
        "{warnings}"
    );
}

/// A profile's file name spells the person only if it has a word of their name: `hidden.md`
/// for an unlisted person does not, and withholding "hidden" once stopped every build at the
/// theme's `visually-hidden`. `leyla-m.md` does, and is withheld.
#[test]
fn a_profile_file_name_that_is_no_spelling_of_the_name_is_not_withheld() {
    let site = Site::new(
        "-- content/_index.md --\n---\ntitle: T\n---\n-- content/speakers/hidden.md --\n---\nname: Leyla Mammadova\nprivacy: unlisted\n---\n-- content/forums/x.md --\n---\ntitle: F\ndate: 2025-10-20\nspeakers: [Leyla Mammadova, Tural Aliyev]\n---\nText.\n",
    );
    site.build();
    assert!(site.read("style.css").contains("visually-hidden"));
    assert!(!site.read("forums/x/index.html").contains("Leyla"));

    let site = Site::new(
        "-- content/_index.md --\n---\ntitle: T\n---\n-- content/speakers/leyla-m.md --\n---\nname: Leyla Mammadova\nprivacy: unlisted\n---\n-- content/forums/x.md --\n---\ntitle: Leyla M at the forum\ndate: 2025-10-20\nspeakers: [Leyla Mammadova, Tural Aliyev]\n---\nText.\n",
    );
    site.build();
    let page = site.read("forums/x/index.html");
    assert!(!page.contains("Leyla M "), "{page}");
}

/// Official texts put the surname first: `Safarova Nargiz`, `Сафарова Наргиз`. Written so,
/// a protected name is replaced as in its own order, and no file of the output (the search
/// index included) holds it.
#[test]
fn a_protected_name_written_surname_first_is_replaced_everywhere() {
    let site = Site::new(
        "-- content/_index.md --\n---\ntitle: T\n---\n-- content/speakers/nargiz-safarova.md --\n---\nname: Nargiz Safarova\naliases: [Наргиз Сафарова]\nprivacy: unlisted\n---\n-- content/forums/2024/baku.md --\n---\ntitle: Baku Meeting\ndate: 2024-05-05\nspeakers: [Nargiz Safarova, Tural Aliyev]\n---\nNargiz Safarova spoke first. Later Safarova Nargiz answered questions.\n\nВыступила Сафарова Наргиз.\n",
    );
    let report = site.build();
    // Each of the three, in its place.
    let places: Vec<(usize, usize)> = report
        .warnings
        .iter()
        .filter(|w| w.message.contains("is published here as `a participant`"))
        .filter_map(|w| w.span.as_ref().map(|s| (s.line, s.col)))
        .collect();
    assert_eq!(places, [(6, 1), (6, 36), (8, 11)], "{:?}", report.warnings);
    for (path, bytes) in site.tree() {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        for name in ["safarova", "сафарова", "nargiz", "наргиз"] {
            assert!(!text.contains(name), "{path} holds {name}");
        }
    }
}

/// A name replaced in a translation's front matter is told where it is written, each field
/// for itself, as in the original's.
#[test]
fn a_name_in_a_translations_front_matter_is_told_at_its_place() {
    let site = Site::new(
        "-- content/_index.md --\n---\ntitle: T\nlanguages: [en, ru]\n---\n-- content/_index.ru.md --\n---\ntitle: Т\ntopic_names:\n  grants: гранты Наргиз Сафаровой\n---\n-- content/speakers/nargiz-safarova.md --\n---\nname: Nargiz Safarova\naliases: [Наргиз Сафарова]\nprivacy: initials\n---\n-- content/forums/2024/baku.md --\n---\ntitle: Baku Meeting\ndate: 2024-03-05\nspeakers: [Nargiz Safarova, Ali Hasanov]\ntopics: [grants]\n---\n-- content/forums/2024/baku.ru.md --\n---\ntitle: Встреча с Наргиз Сафаровой\nsummary: Выступила Наргиз Сафарова.\n---\n",
    );
    let warnings = site.warnings();
    for place in [
        "content/forums/2024/baku.ru.md:2:18:",
        "content/forums/2024/baku.ru.md:3:20:",
        "content/_index.ru.md:4:18:",
    ] {
        assert!(
            warnings.contains(&format!("{place} the name of a person protected")),
            "missing {place} in:\n{warnings}"
        );
    }
    assert!(!warnings.contains(".md:1:1:"), "{warnings}");
}
