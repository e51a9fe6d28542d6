//! Property tests: no input makes Podium panic. Arbitrary bytes go through the whole loader
//! and model, and arbitrary front matter through the resolver; every outcome must be a site
//! or diagnostics. 256 cases each by default; run longer with
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
}
