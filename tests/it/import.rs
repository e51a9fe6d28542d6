//! `podium import`: spreadsheets and conference schedules become reports that read back as
//! what was imported, pass `check` with no warning, build, and are left alone on a re-run.
//! The schedule fixtures are real exports (see tests/fixtures/import/README.md).

use crate::support::*;
use podium::import::{ImportOptions, Imported, Kind, import};
use podium::load::documents::{AppearanceFront, ReportFront};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const SETTINGS: &str =
    "-- content/_index.md --\n---\ntitle: Archive\ntimezone: Europe/Berlin\n---\n";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn run(site: &Site, file: &Path, kind: Kind, dry_run: bool) -> Result<Imported, String> {
    import(&ImportOptions {
        root: site.root().to_path_buf(),
        file: file.to_path_buf(),
        kind,
        dry_run,
    })
    .map_err(|d| d.iter().map(|d| d.render(false)).collect())
}

/// Write `bytes` beside the site and import them.
fn run_bytes(site: &Site, name: &str, bytes: &[u8], kind: Kind) -> Result<Imported, String> {
    let file = site.root().join(name);
    std::fs::write(&file, bytes).unwrap();
    run(site, &file, kind, false)
}

/// Every report of the site, parsed back by Podium's own loader, by path under
/// `content/forums/`.
fn reports(site: &Site) -> BTreeMap<String, ReportFront> {
    let (content, diags) = podium::load::load_content(site.root());
    assert!(diags.is_empty(), "{diags:?}");
    content
        .reports
        .into_iter()
        .map(|d| (d.relative.to_string_lossy().replace('\\', "/"), d.front))
        .collect()
}

fn names(list: &[AppearanceFront]) -> Vec<String> {
    list.iter()
        .map(|a| a.name.as_ref().map(|n| n.0.clone()).unwrap_or_default())
        .collect()
}

fn text(t: &Option<podium::load::documents::Text>) -> Option<&str> {
    t.as_ref().map(|t| t.0.as_str())
}

/// `check` finds nothing at all: no error, no warning.
fn assert_clean(site: &Site) {
    let diags = podium::check(&site.options());
    assert!(
        diags.is_empty(),
        "{}",
        diags.iter().map(|d| d.render(false)).collect::<String>()
    );
}

/// Build, then parse every feed as Atom and every calendar as iCalendar.
fn build_and_parse_machine_files(site: &Site) -> (usize, usize) {
    let report = site.build();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let (mut feeds, mut calendars) = (0, 0);
    for (path, bytes) in site.tree() {
        let body = String::from_utf8(bytes).unwrap();
        if path.ends_with("feed.xml") {
            let _: atom_syndication::Feed = body
                .parse()
                .unwrap_or_else(|e| panic!("{path} is not Atom: {e}"));
            feeds += 1;
        } else if path.ends_with(".ics") {
            let unfolded = icalendar::parser::unfold(&body);
            icalendar::parser::read_calendar(&unfolded)
                .unwrap_or_else(|e| panic!("{path} is not iCalendar: {e}"));
            calendars += 1;
        }
    }
    assert!(
        dead_internal_links(&site.out(), "/").is_empty(),
        "{:?}",
        dead_internal_links(&site.out(), "/")
    );
    (feeds, calendars)
}

/// The second run of an import writes nothing and changes no byte.
fn assert_rerun_changes_nothing(site: &Site, file: &Path, kind: Kind) {
    let before = tree(&site.root().join("content"));
    let again = run(site, file, kind, false).unwrap();
    assert_eq!(again.new_reports().count(), 0);
    assert_eq!(again.kept().count(), again.reports.len());
    assert_eq!(tree(&site.root().join("content")), before);
}

#[test]
fn a_csv_with_bom_semicolons_and_quoted_cells_becomes_readable_reports() {
    let site = Site::new(SETTINGS);
    let csv = "\u{feff}Forum;Date;End;City;Organizers;Topics;Speaker;Speaker_Title;Organisation;Role\n\
        NGO Forum;2025-10-20;2025-10-21;Baku;\"State Agency; Civic Lab\";grants;Ana Lima;Director;Civic Lab;host\n\
        NGO Forum;2025-10-20;;;;youth; Rui\u{a0}Costa ;;\"Friends, Inc.\";\n\
        #Hashtag Day;2024-05-01;;Ganja;;;3d-Flo;;;\n";
    let done = run_bytes(&site, "people.csv", csv.as_bytes(), Kind::Csv).unwrap();
    assert!(done.warnings.is_empty(), "{:?}", done.warnings);
    assert_eq!(done.new_reports().count(), 2);
    let all = reports(&site);
    assert_eq!(
        all.keys().collect::<Vec<_>>(),
        ["2024/hashtag-day.md", "2025/ngo-forum.md"]
    );
    let r = &all["2025/ngo-forum.md"];
    assert_eq!(text(&r.title), Some("NGO Forum"));
    assert_eq!(text(&r.date), Some("2025-10-20"));
    assert_eq!(text(&r.end), Some("2025-10-21"));
    assert_eq!(text(&r.city), Some("Baku"));
    let organizers: Vec<&str> = r.organizers.0.iter().map(|t| t.0.as_str()).collect();
    assert_eq!(organizers, ["State Agency", "Civic Lab"]);
    let topics: Vec<&str> = r.topics.0.iter().map(|t| t.0.as_str()).collect();
    assert_eq!(topics, ["grants", "youth"]);
    assert_eq!(names(&r.speakers.0), ["Ana Lima", "Rui Costa"]);
    assert_eq!(text(&r.speakers.0[0].role), Some("host"));
    assert_eq!(text(&r.speakers.0[0].title), Some("Director"));
    assert_eq!(text(&r.speakers.0[1].organization), Some("Friends, Inc."));
    let hashtag = &all["2024/hashtag-day.md"];
    assert_eq!(text(&hashtag.title), Some("#Hashtag Day"));
    // Readable by a person: plain YAML, quotes only where YAML needs them.
    let written =
        std::fs::read_to_string(site.root().join("content/forums/2024/hashtag-day.md")).unwrap();
    assert_eq!(
        written,
        "---\ntitle: \"#Hashtag Day\"\ndate: 2024-05-01\ncity: Ganja\nspeakers:\n  - 3d-Flo\n---\n"
    );
    assert_clean(&site);
    assert_rerun_changes_nothing(&site, &site.root().join("people.csv"), Kind::Csv);
    build_and_parse_machine_files(&site);
}

#[test]
fn quoted_commas_and_line_breaks_inside_cells_survive() {
    let site = Site::new(SETTINGS);
    let csv = "forum,date,speaker,speaker title,organization\n\
        \"Forum, Second Edition\",2025-11-05,\"Lima, Ana\",\"Director,\nProgrammes\",\"Friends of \"\"Nature\"\"\"\n";
    run_bytes(&site, "people.csv", csv.as_bytes(), Kind::Csv).unwrap();
    let all = reports(&site);
    let r = &all["2025/forum-second-edition.md"];
    assert_eq!(text(&r.title), Some("Forum, Second Edition"));
    assert_eq!(names(&r.speakers.0), ["Lima, Ana"]);
    assert_eq!(text(&r.speakers.0[0].title), Some("Director, Programmes"));
    assert_eq!(
        text(&r.speakers.0[0].organization),
        Some("Friends of \"Nature\"")
    );
    assert_clean(&site);
}

#[test]
fn people_on_lines_of_one_cell_are_people_of_their_own_with_a_warning() {
    let site = Site::new(SETTINGS);
    let csv = "forum,date,speaker\nNL Forum,2025-01-01,\"Ana Lima\r\nRui Costa\"\n";
    let imported = run_bytes(&site, "people.csv", csv.as_bytes(), Kind::Csv).unwrap();
    let all = reports(&site);
    assert_eq!(
        names(&all["2025/nl-forum.md"].speakers.0),
        ["Ana Lima", "Rui Costa"]
    );
    let warned: Vec<String> = imported.warnings.iter().map(|d| d.render(false)).collect();
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert!(
        warned[0]
            .contains("people.csv:2:3: `Ana Lima / Rui Costa` holds 2 names on lines of their own"),
        "{warned:?}"
    );
}

#[test]
fn headers_without_separators_are_the_same_columns() {
    let site = Site::new(SETTINGS);
    let csv = "ForumName,StartDate,Speaker,SpeakerTitle\nNGO Forum,2025-01-01,Ana Lima,Director\n";
    run_bytes(&site, "people.csv", csv.as_bytes(), Kind::Csv).unwrap();
    let all = reports(&site);
    assert_eq!(
        text(&all["2025/ngo-forum.md"].speakers.0[0].title),
        Some("Director")
    );
    // A title written with other punctuation is the forum already there.
    let again = run_bytes(
        &site,
        "again.csv",
        b"forum,date,speaker\nN.G.O. Forum,2025-01-01,Ana Lima\n",
        Kind::Csv,
    )
    .unwrap();
    assert_eq!(again.new_reports().count(), 0);
}

#[test]
fn an_end_before_the_start_on_the_same_day_is_an_error_of_the_row() {
    let site = Site::new(SETTINGS);
    let csv = "forum,date,end,speaker\nC,2025-10-20 10:00,2025-10-20 09:00,Z\nD,2025-10-20 10:00+04:00,2025-10-20 09:30+04:00,Z\nE,2025-10-20 10:00,2025-10-20,Z\n";
    let err = run_bytes(&site, "times.csv", csv.as_bytes(), Kind::Csv).unwrap_err();
    assert!(
        err.contains("times.csv:2:3: `end` 2025-10-20 09:00 is before `date`"),
        "{err}"
    );
    assert!(err.contains("times.csv:3:3: `end`"), "{err}");
    // A date-only end on the start's day is fine.
    assert!(!err.contains("times.csv:4:"), "{err}");
    assert!(!site.root().join("content/forums").exists());
}

#[test]
fn excel_unicode_text_is_read() {
    let site = Site::new(SETTINGS);
    let text16 =
        "Forum\tDate\tSpeaker\tOrganization\nФорум НКО\t2025-10-20\tАйгюн Алиева\tАгентство\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text16.encode_utf16().flat_map(u16::to_le_bytes));
    run_bytes(&site, "people.txt", &bytes, Kind::Csv).unwrap();
    let all = reports(&site);
    let r = &all["2025/forum-nko.md"];
    assert_eq!(text(&r.title), Some("Форум НКО"));
    assert_eq!(names(&r.speakers.0), ["Айгюн Алиева"]);
    assert_clean(&site);
}

#[test]
fn every_bad_row_is_reported_at_once_and_nothing_is_written() {
    let site = Site::new(SETTINGS);
    let csv = "forum,date,speaker,organization,notes\n\
        A,2025-13-01,Ana Lima,Civic Lab,\n\
        B,2025-01-01,,Civic Lab,\n\
        C,2025-01-01,Rui Costa,,\n";
    let err = run_bytes(&site, "people.csv", csv.as_bytes(), Kind::Csv).unwrap_err();
    let file = site.root().join("people.csv");
    let at = |rest: &str| format!("{}:{rest}", file.display());
    assert!(err.contains(&at("1:5: unknown column `notes`")), "{err}");
    assert!(
        err.contains(&at(
            "2:2: `date`: `2025-13-01` is no date: there is no month 13"
        )),
        "{err}"
    );
    assert!(err.contains(&at("3:3: no speaker name")), "{err}");
    assert!(err.contains("help: "), "{err}");
    assert!(!site.root().join("content/forums").exists());
}

#[test]
fn a_dry_run_writes_nothing_and_shows_the_reports() {
    let site = Site::new(SETTINGS);
    let file = site.root().join("people.csv");
    std::fs::write(&file, "forum,date,speaker\nA,2025-01-01,Ana Lima\n").unwrap();
    let planned = run(&site, &file, Kind::Csv, true).unwrap();
    assert_eq!(planned.reports.len(), 1);
    assert!(
        planned.reports[0]
            .text
            .contains("speakers:\n  - Ana Lima\n")
    );
    assert!(!site.root().join("content/forums").exists());
}

#[test]
fn an_existing_report_is_left_alone_and_named() {
    let site = Site::new(&format!(
        "{SETTINGS}-- content/forums/2025/a.md --\n---\ntitle: A, edited by hand\ndate: 2025-01-01\n---\n"
    ));
    let file = site.root().join("people.csv");
    std::fs::write(
        &file,
        "forum,date,speaker\nA,2025-01-01,Ana Lima\nB,2025-02-01,Rui Costa\n",
    )
    .unwrap();
    let done = run(&site, &file, Kind::Csv, false).unwrap();
    let kept: Vec<_> = done.kept().map(|p| p.path.clone()).collect();
    assert_eq!(kept, [PathBuf::from("content/forums/2025/a.md")]);
    let all = reports(&site);
    assert_eq!(text(&all["2025/a.md"].title), Some("A, edited by hand"));
    assert_eq!(text(&all["2025/b.md"].title), Some("B"));
}

#[test]
fn a_forum_whose_name_another_days_report_holds_is_written_beside_it() {
    let site = Site::new(SETTINGS);
    let first = run_bytes(
        &site,
        "one.csv",
        b"forum,date,speaker\nNGO Forum,2025-11-05,Ana Lima\n",
        Kind::Csv,
    )
    .unwrap();
    assert_eq!(first.new_reports().count(), 1);
    // A later sheet with an earlier forum of that name: it is not the November one.
    let second = run_bytes(
        &site,
        "two.csv",
        b"forum,date,speaker\nNGO Forum,2025-10-20,Rui Costa\nNGO Forum,2025-11-05,Ana Lima\n",
        Kind::Csv,
    )
    .unwrap();
    let written: Vec<_> = second.new_reports().map(|p| p.path.clone()).collect();
    assert_eq!(
        written,
        [PathBuf::from("content/forums/2025/ngo-forum-2025-10-20.md")]
    );
    let all = reports(&site);
    assert_eq!(all.len(), 2, "{:?}", all.keys());
    assert_eq!(text(&all["2025/ngo-forum.md"].date), Some("2025-11-05"));
    assert_eq!(
        names(&all["2025/ngo-forum-2025-10-20.md"].speakers.0),
        ["Rui Costa"]
    );
    // Run again: nothing new.
    let third = run(&site, &site.root().join("two.csv"), Kind::Csv, false).unwrap();
    assert_eq!(third.new_reports().count(), 0);
}

#[test]
fn a_forum_whose_report_was_renamed_or_moved_is_not_imported_twice() {
    let site = Site::new(SETTINGS);
    let file = site.root().join("people.csv");
    std::fs::write(
        &file,
        "forum,date,speaker\nNGO Forum,2025-01-01,Ana Lima\nCity Talks,2025-02-01,Rui Costa\nCity Talks,2025-03-01,Rui Costa\n",
    )
    .unwrap();
    let first = run(&site, &file, Kind::Csv, false).unwrap();
    assert_eq!(first.new_reports().count(), 3);
    // The editor gives one report a clearer name and moves another into a folder of its own.
    let forums = site.root().join("content/forums");
    std::fs::rename(
        forums.join("2025/ngo-forum.md"),
        forums.join("2025/ngo-forum-on-cities.md"),
    )
    .unwrap();
    std::fs::create_dir_all(forums.join("city-talks")).unwrap();
    std::fs::rename(
        forums.join("2025/city-talks-2025-03-01.md"),
        forums.join("city-talks/march.md"),
    )
    .unwrap();
    let before = reports(&site);
    let again = run(&site, &file, Kind::Csv, false).unwrap();
    assert_eq!(again.new_reports().count(), 0);
    let moved: Vec<_> = again
        .kept()
        .filter_map(|p| Some((p.path.clone(), p.already_as.clone()?)))
        .collect();
    assert_eq!(
        moved,
        [
            (
                PathBuf::from("content/forums/2025/ngo-forum.md"),
                PathBuf::from("content/forums/2025/ngo-forum-on-cities.md")
            ),
            (
                PathBuf::from("content/forums/2025/city-talks-2025-03-01.md"),
                PathBuf::from("content/forums/city-talks/march.md")
            ),
        ]
    );
    assert_eq!(reports(&site), before);
    assert_clean(&site);
    // The same title on another day is another forum.
    std::fs::write(&file, "forum,date,speaker\nNGO Forum,2026-01-01,Ana Lima\n").unwrap();
    let next_year = run(&site, &file, Kind::Csv, false).unwrap();
    assert_eq!(next_year.new_reports().count(), 1);
}

#[test]
fn a_conference_too_large_for_one_page_is_a_warning_with_the_way_out() {
    let talks: Vec<String> = (0..151)
        .map(|i| {
            format!(
                r#"{{"id": {i}, "title": "Talk {i}", "date": "2025-01-01T10:00:00+01:00", "persons": [{{"public_name": "Person {i}"}}]}}"#
            )
        })
        .collect();
    let json = format!(
        r#"{{"schedule": {{"conference": {{"title": "Big Congress", "days": [{{"date": "2025-01-01", "rooms": {{"Hall": [{}]}}}}]}}}}}}"#,
        talks.join(",")
    );
    let site = Site::new(SETTINGS);
    let done = run_bytes(
        &site,
        "big.json",
        json.as_bytes(),
        Kind::Schedule { per_talk: false },
    )
    .unwrap();
    let warnings: Vec<String> = done.warnings.iter().map(|d| d.render(false)).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("`Big Congress` has 151 talks") && warnings[0].contains("--per-talk"),
        "{}",
        warnings[0]
    );
    assert!(warnings[0].contains("delete the report this import wrote first"));
    // A dry run wrote nothing to delete.
    let site = Site::new(SETTINGS);
    let file = site.root().join("big.json");
    std::fs::write(&file, &json).unwrap();
    let dry = run(&site, &file, Kind::Schedule { per_talk: false }, true).unwrap();
    let shown: String = dry.warnings.iter().map(|d| d.render(false)).collect();
    assert!(
        shown.contains("--per-talk") && !shown.contains("delete"),
        "{shown}"
    );
    // One talk per report: nothing to warn of.
    let site = Site::new(SETTINGS);
    let per_talk = run_bytes(
        &site,
        "big.json",
        json.as_bytes(),
        Kind::Schedule { per_talk: true },
    )
    .unwrap();
    assert!(per_talk.warnings.is_empty());
}

#[test]
fn a_report_whose_name_differs_only_in_case_counts_as_existing() {
    let site = Site::new(&format!(
        "{SETTINGS}-- content/forums/2025/A.md --\n---\ntitle: A by hand\ndate: 2025-01-01\n---\n"
    ));
    let file = site.root().join("people.csv");
    std::fs::write(&file, "forum,date,speaker\nA,2025-01-01,Ana Lima\n").unwrap();
    let done = run(&site, &file, Kind::Csv, false).unwrap();
    assert_eq!(done.kept().count(), 1);
    assert_eq!(reports(&site).len(), 1);
    assert_clean(&site);
}

#[test]
fn a_name_holding_two_people_is_a_warning_and_two_speakers() {
    let site = Site::new(SETTINGS);
    let done = run_bytes(
        &site,
        "people.csv",
        b"forum,date,speaker\nA,2025-01-01,Kirsten Fiedler + Diego Naranjo\n",
        Kind::Csv,
    )
    .unwrap();
    let warnings: Vec<String> = done.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].ends_with(":2:3: `Kirsten Fiedler + Diego Naranjo` looks like 2 people in one name; written as `Kirsten Fiedler` and `Diego Naranjo`"),
        "{warnings:?}"
    );
    let all = reports(&site);
    assert_eq!(
        names(&all["2025/a.md"].speakers.0),
        ["Kirsten Fiedler", "Diego Naranjo"]
    );
    assert_clean(&site);
}

#[test]
fn a_pretalx_json_export_becomes_one_report_of_sessions() {
    let site = Site::new(SETTINGS);
    let file = fixture("pretalx-rc3-channels-2020.json");
    let kind = Kind::Schedule { per_talk: false };
    let done = run(&site, &file, kind, false).unwrap();
    assert!(done.warnings.is_empty(), "{:?}", done.warnings);
    let all = reports(&site);
    let r = &all["2020/rc3-channels.md"];
    assert_eq!(text(&r.title), Some("rC3 Channels"));
    assert_eq!(text(&r.date), Some("2020-12-27"));
    assert_eq!(text(&r.end), Some("2020-12-30"));
    let sessions = &r.sessions.0;
    assert_eq!(sessions.len(), 6);
    let leaks = sessions
        .iter()
        .find(|s| text(&s.title) == Some("#CRYPTOLEAKS"))
        .expect("the talk whose title starts with #");
    assert_eq!(
        text(&leaks.time),
        Some("2020-12-28 16:55–17:55 +01:00, r3s - Monheim/Rhein")
    );
    assert_eq!(names(&leaks.speakers.0), ["Markus Kompa"]);
    assert_eq!(text(&leaks.speakers.0[0].role), Some("speaker"));
    assert!(text(&leaks.summary).is_some_and(|s| !s.contains('\n') && s.len() <= 310));
    let everyone: Vec<String> = sessions.iter().flat_map(|s| names(&s.speakers.0)).collect();
    assert!(everyone.contains(&"3d-Flo".to_string()), "{everyone:?}");
    assert!(
        everyone.contains(&"@pkoerner81929".to_string()),
        "{everyone:?}"
    );
    let topics: Vec<&str> = r.topics.0.iter().map(|t| t.0.as_str()).collect();
    assert_eq!(topics, ["MON r3s Rhein VHS", "BAM franconian"]);
    assert_clean(&site);
    assert_rerun_changes_nothing(&site, &file, kind);
    build_and_parse_machine_files(&site);
    // The A-Z index groups `3d-Flo` under a fragment that exists and is valid.
    let page = site.page("speakers/index.html");
    assert!(
        page.attr("h2[id]", "id")
            .contains(&"letter-other".to_string())
    );
}

#[test]
fn a_frab_xml_export_becomes_one_report_with_the_html_removed() {
    let site = Site::new(SETTINGS);
    let file = fixture("fosdem-2018.xml");
    let kind = Kind::Schedule { per_talk: false };
    run(&site, &file, kind, false).unwrap();
    let all = reports(&site);
    let r = &all["2018/fosdem-2018.md"];
    assert_eq!(text(&r.title), Some("FOSDEM 2018"));
    assert_eq!(text(&r.date), Some("2018-02-03"));
    assert_eq!(text(&r.end), Some("2018-02-04"));
    assert_eq!(text(&r.city), Some("Brussels"));
    assert_eq!(text(&r.venue), Some("ULB (Université Libre de Bruxelles)"));
    let s = &r.sessions.0[0];
    assert_eq!(text(&s.title), Some("Consensus as a Service"));
    assert_eq!(text(&s.time), Some("2018-02-03 10:00–10:50, Janson"));
    assert_eq!(names(&s.speakers.0), ["Simon Phipps", "Italo Vignoli"]);
    // The second talk has no abstract: its description is the summary.
    let unix = &r.sessions.0[1];
    assert!(
        text(&unix.summary).is_some_and(|t| t.starts_with("The Unix operating system")),
        "{:?}",
        unix.summary
    );
    assert_clean(&site);
    assert_rerun_changes_nothing(&site, &file, kind);
    build_and_parse_machine_files(&site);
    // Per talk, the description becomes the body: its HTML (escaped inside the XML) is gone.
    run(&site, &file, Kind::Schedule { per_talk: true }, false).unwrap();
    let body = std::fs::read_to_string(
        site.root()
            .join("content/forums/2018/fosdem-2018/consensus-as-a-service.md"),
    )
    .unwrap();
    assert!(
        body.ends_with("---\nOpen source software is now ubiquitous, recognized across industries as a fundamental component to infrastructure, as well as a critical factor for driving innovation.\n"),
        "{body}"
    );
    assert_clean(&site);
}

#[test]
fn per_talk_reports_keep_their_offsets_and_build() {
    let site = Site::new(SETTINGS);
    let file = fixture("frab-camp2019.json");
    let kind = Kind::Schedule { per_talk: true };
    let done = run(&site, &file, kind, false).unwrap();
    assert_eq!(done.new_reports().count(), 6);
    let all = reports(&site);
    let opening = &all["2019/chaos-communication-camp-2019/opening-ceremony.md"];
    assert_eq!(text(&opening.date), Some("2019-08-21T11:00+02:00"));
    assert_eq!(text(&opening.end), Some("2019-08-21T11:30+02:00"));
    assert_eq!(text(&opening.series), Some("Chaos Communication Camp 2019"));
    assert_eq!(text(&opening.venue), Some("Curie"));
    // `Tobias Zillner ` (trailing space in the export) is written cleaned.
    let everyone: Vec<String> = all.values().flat_map(|r| names(&r.speakers.0)).collect();
    assert!(
        everyone.contains(&"Tobias Zillner".to_string()),
        "{everyone:?}"
    );
    assert_clean(&site);
    assert_rerun_changes_nothing(&site, &file, kind);
    let (_, calendars) = build_and_parse_machine_files(&site);
    // Besides those, every speaker and organization has a calendar of its own.
    let own = site
        .tree()
        .keys()
        .filter(|p| {
            (p.starts_with("speakers/") || p.starts_with("organizations/"))
                && p.ends_with("/calendar.ics")
        })
        .count();
    assert!(own > 0);
    assert_eq!(calendars - own, 7, "the site's calendar and one per talk");
    let ics = site.read("forums/2019/chaos-communication-camp-2019/opening-ceremony/event.ics");
    assert!(ics.contains("DTSTART:20190821T090000Z"), "{ics}");
}

#[test]
fn every_real_fixture_imports_checks_and_builds_together() {
    let site = Site::new(SETTINGS);
    for name in [
        "pretalx-rc3-channels-2020.json",
        "frab-camp2019.json",
        "fosdem-2018.xml",
        "fosdem-2007.xml",
        "debconf-23.xml",
        "lswt-2019.xml",
        "pretalx-good-2025.json",
    ] {
        for per_talk in [false, true] {
            run(&site, &fixture(name), Kind::Schedule { per_talk }, false)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
    assert_clean(&site);
    let all = reports(&site);
    let conference = |title: &str| {
        all.values()
            .find(|r| text(&r.title) == Some(title) && !r.sessions.0.is_empty())
            .unwrap_or_else(|| panic!("no report of {title}"))
    };
    // FOSDEM 2007's talks sit straight under their days; each has its speaker.
    let fosdem = conference("FOSDEM 2007");
    assert_eq!(fosdem.sessions.0.len(), 8);
    assert!(fosdem.sessions.0.iter().all(|s| !s.speakers.0.is_empty()));
    // DebConf's talks on Kochi's clock, as its programme printed them.
    let debconf = conference("DebConf 23");
    assert!(
        debconf
            .sessions
            .0
            .iter()
            .all(|s| text(&s.time).is_some_and(|t| t.contains(" +05:30"))),
        "{:?}",
        debconf
            .sessions
            .0
            .iter()
            .map(|s| text(&s.time))
            .collect::<Vec<_>>()
    );
    // Several people in one `<person>`, each a speaker; an empty one, nobody.
    let lswt = conference("7th Leipzig Semantic Web Day");
    let welcome = &lswt.sessions.0[0];
    assert_eq!(
        names(&welcome.speakers.0),
        ["Dr. Sebastian Tramp", "Andreas Heinecke"]
    );
    // pretalx's `Name [Affiliation]`: the name, and the affiliation as organization.
    let good = conference("GOOD 2025");
    let people: Vec<(String, Option<&str>)> = good
        .sessions
        .0
        .iter()
        .flat_map(|s| s.speakers.0.iter())
        .map(|a| {
            (
                a.name.as_ref().map(|n| n.0.clone()).unwrap_or_default(),
                text(&a.organization),
            )
        })
        .collect();
    assert!(
        people
            .iter()
            .all(|(name, org)| !name.contains('[') && org.is_some()),
        "{people:?}"
    );
    let (feeds, calendars) = build_and_parse_machine_files(&site);
    assert!(
        feeds > 10 && calendars > 10,
        "{feeds} feeds, {calendars} calendars"
    );
}

#[test]
fn the_command_line_reports_writes_and_exits_as_documented() {
    let site = Site::new(SETTINGS);
    let podium = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_podium"))
            .args(args)
            .arg("--root")
            .arg(site.root())
            .current_dir(site.root())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    std::fs::write(site.root().join("bad.csv"), "forum,date\nA,someday\n").unwrap();
    let (code, _, err) = podium(&["import", "csv", "bad.csv"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("error: bad.csv:2:2: `date`: cannot read `someday` as a date"),
        "{err}"
    );
    assert!(
        err.contains("import failed; nothing was written: 1 error(s)"),
        "{err}"
    );

    std::fs::write(
        site.root().join("ok.csv"),
        "forum,date,speaker\nA,2025-01-01,Ana Lima\n",
    )
    .unwrap();
    let (code, out, _) = podium(&["import", "csv", "ok.csv", "--dry-run"]);
    assert_eq!(code, Some(0));
    assert!(
        out.starts_with("would write content/forums/2025/a.md\n  | ---\n  | title: A\n"),
        "{out}"
    );
    assert!(!site.root().join("content/forums").exists());

    let (code, out, _) = podium(&["import", "csv", "ok.csv"]);
    assert_eq!(code, Some(0));
    assert!(out.starts_with("wrote content/forums/2025/a.md\n"), "{out}");
    let (code, out, _) = podium(&["import", "csv", "ok.csv"]);
    assert_eq!(code, Some(0));
    assert!(
        out.starts_with("left alone (it exists): content/forums/2025/a.md\n"),
        "{out}"
    );
    assert!(out.contains("Imported 0 report(s)"), "{out}");

    let (code, _, _) = podium(&["import", "spreadsheet", "ok.csv"]);
    assert_eq!(code, Some(2));
}

#[test]
fn a_failed_write_keeps_the_reports_written_and_a_rerun_writes_the_rest() {
    // `content/forums/2025` is a file, so no report can be made inside it.
    let site = Site::new(&format!(
        "{SETTINGS}-- content/forums/2025 --\nnot a folder\n"
    ));
    let file = site.root().join("people.csv");
    std::fs::write(
        &file,
        "forum,date,speaker\nA,2024-01-01,Ana Lima\nB,2025-01-01,Rui Costa\n",
    )
    .unwrap();
    let done = run(&site, &file, Kind::Csv, false).unwrap();
    let errors: Vec<String> = done.write_errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("cannot write content/forums/2025/b.md"),
        "{errors:?}"
    );
    let written: Vec<_> = done
        .reports
        .iter()
        .filter(|p| p.written)
        .map(|p| p.path.clone())
        .collect();
    assert_eq!(written, [PathBuf::from("content/forums/2024/a.md")]);
    std::fs::remove_file(site.root().join("content/forums/2025")).unwrap();
    let again = run(&site, &file, Kind::Csv, false).unwrap();
    assert!(again.write_errors.is_empty());
    let written: Vec<_> = again
        .reports
        .iter()
        .filter(|p| p.written)
        .map(|p| p.path.clone())
        .collect();
    assert_eq!(written, [PathBuf::from("content/forums/2025/b.md")]);
    assert_clean(&site);
}

#[test]
fn a_schedule_without_talks_is_one_report_but_nothing_per_talk() {
    let site = Site::new(SETTINGS);
    let json = br#"{"schedule": {"conference": {"title": "Empty Days", "start": "2025-03-01", "end": "2025-03-02", "days": [{"date": "2025-03-01", "rooms": {}}]}}}"#;
    let err = run_bytes(
        &site,
        "schedule.json",
        json,
        Kind::Schedule { per_talk: true },
    )
    .unwrap_err();
    assert!(
        err.contains("nothing to import: the schedule lists no talks"),
        "{err}"
    );
    run_bytes(
        &site,
        "schedule.json",
        json,
        Kind::Schedule { per_talk: false },
    )
    .unwrap();
    let all = reports(&site);
    let r = &all["2025/empty-days.md"];
    assert_eq!(
        (text(&r.date), text(&r.end)),
        (Some("2025-03-01"), Some("2025-03-02"))
    );
    assert_clean(&site);
}
