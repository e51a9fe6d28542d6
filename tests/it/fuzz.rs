//! Property tests: no input makes Podium panic. Arbitrary bytes go through the whole loader
//! and model, and arbitrary front matter through the resolver; every outcome must be a site
//! or diagnostics. Arbitrary spreadsheets and schedules go through `podium import`, and
//! whatever it accepts must pass `check` with no warning. 256 cases each by default; run longer with
//! `PROPTEST_CASES=100000 cargo test --release --test it fuzz`.

use podium::load::documents::ReportFront;
use podium::load::parse_document;
use proptest::prelude::*;
use std::path::Path;

/// Front-matter-shaped text: keys we know and keys we don't, YAML punctuation, Unicode.
fn yamlish() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "title",
        "date",
        "end",
        "status",
        "speakers",
        "organizers",
        "topics",
        "slug",
        "aliases",
        "sessions",
        "source",
        "extra",
        "tittle",
        "- name",
        "  - name",
        "    title",
        "    organization",
        "    role",
    ]);
    let value = prop::sample::select(vec![
        "",
        "A",
        "2025-10-20",
        "2025-13-45",
        "2025-10-20T10:00+04:00",
        "[a, b]",
        "{x: 1}",
        "\"unclosed",
        "&a [1]",
        "*a",
        "held",
        "announced",
        "../../x",
        "Əliyeva",
        "Айгюн",
        "null",
        "~",
        "|",
        ">",
        "- x",
        "[[[[",
        "\t",
        "yes",
        "0123",
    ]);
    prop::collection::vec((key, value), 0..12).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}: {v}\n"))
            .collect()
    })
}

proptest! {

    #[test]
    fn the_report_parser_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = parse_document::<ReportFront>(Path::new("x.md"), "x.md".into(), &text);
        let _ = parse_document::<ReportFront>(Path::new("x.md"), "x.md".into(), &format!("---\n{text}\n---\n"));
    }

    #[test]
    fn the_whole_build_never_panics_on_front_matter(a in yamlish(), b in yamlish(), body in "[\\[\\]()<>!#*`@/a-z \n]{0,80}") {
        let dir = tempfile::tempdir().unwrap();
        for (name, yaml) in [("a", &a), ("b", &b)] {
            let path = dir.path().join("content/forums").join(format!("{name}.md"));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, format!("---\n{yaml}---\n{body}\n")).unwrap();
        }
        let options = podium::BuildOptions { root: dir.path().to_path_buf(), output: None, today: podium::Today::Fixed(jiff::civil::date(2025, 11, 1)), progress: false };
        // Reaching here without a panic is the property; diagnostics are an expected outcome.
        let _ = podium::check(&options);
    }

    #[test]
    fn the_importers_never_panic_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300), head in prop::sample::select(vec!["", "forum,date,speaker\n", "\u{feff}forum;date\n", "{\"schedule\":{\"conference\":", "<schedule><day date='2025-01-01'><room><event>"])) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        let file = dir.path().join("input");
        let mut all = head.as_bytes().to_vec();
        all.extend(&bytes);
        std::fs::write(&file, &all).unwrap();
        for kind in [podium::import::Kind::Csv, podium::import::Kind::Schedule { per_talk: false }, podium::import::Kind::Schedule { per_talk: true }] {
            let _ = podium::import::import(&podium::import::ImportOptions { root: dir.path().to_path_buf(), file: file.clone(), kind, dry_run: true });
        }
    }

    #[test]
    fn whatever_a_spreadsheet_import_writes_passes_check(rows in prop::collection::vec((cell(), cell(), cell(), cell()), 1..6)) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        let mut csv = ::csv::Writer::from_writer(Vec::new());
        csv.write_record(["forum", "date", "speaker", "organization", "topics"]).unwrap();
        for (i, (forum, speaker, organization, topics)) in rows.iter().enumerate() {
            let date = format!("2025-0{}-1{i}", 1 + i % 9);
            csv.write_record([forum.as_str(), &date, speaker, organization, topics]).unwrap();
        }
        let file = dir.path().join("people.csv");
        std::fs::write(&file, csv.into_inner().unwrap()).unwrap();
        let options = podium::import::ImportOptions { root: dir.path().to_path_buf(), file, kind: podium::import::Kind::Csv, dry_run: false };
        if podium::import::import(&options).is_ok() {
            let site = podium::BuildOptions { root: dir.path().to_path_buf(), output: None, today: podium::Today::Fixed(jiff::civil::date(2025, 11, 1)), progress: false };
            let diags = podium::check(&site);
            prop_assert!(diags.is_empty(), "{}", diags.iter().map(|d| d.render(false)).collect::<String>());
        }
    }
}

/// A spreadsheet cell as real ones come: YAML punctuation, quotes, separators, stray and
/// non-breaking spaces, zero-width characters, digits first, other scripts, `+` between names.
fn cell() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 #:@&*!|>%`'\",;\\[\\]{}+\\-.?~\u{a0}\u{200b}\n\tƏəАяعخ张]{0,24}"
}
