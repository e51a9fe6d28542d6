//! Rebuilding over an existing output: only changed files are written, unchanged ones keep
//! their bytes and modification time, and whatever happened before (an edit of any kind, a
//! hand-edited output, a lost or corrupt manifest, a build killed at any moment) the output
//! ends equal to a clean build.

use crate::support::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

const SITE: &str = r#"
-- content/_index.md --
---
title: Forums Archive
theme: house
---
Welcome.
-- content/speakers/ann-lee.md --
---
name: Ann Lee
aliases: [Анн Ли]
---
Ann works on water policy.
-- content/forums/2025/alpha.md --
---
title: Alpha Forum
date: 2025-03-01
series: Spring Talks
topics: [water]
organizers: [Green Org]
speakers:
  - name: Ann Lee
    title: Director
    organization: Green Org
  - name: Bob Ray
---
First version, see [Beta](@/forums/2025/beta.md).
-- content/forums/2025/beta.md --
---
title: Beta Meeting
date: 2025-04-01
topics: [air, water]
speakers: [Bob Ray, Ann Lee]
---
Second report.
-- content/forums/2024/gamma.md --
---
title: Gamma Hearing
date: 2024-05-01
speakers: [Ann Lee]
---
-- content/static/notes.txt --
plain notes
-- content/about.md --
---
title: About
---
Start with [the Beta meeting](@/forums/2025/beta.md).
-- themes/house/theme.yaml --
name: house
extends: default
"#;

/// `SITE` with its theme's `forum.html`: the default theme's, with `marker` added.
fn site_with_forum_template(marker: &str) -> String {
    format!(
        "{SITE}-- themes/house/templates/forum.html --\n{}",
        forum_template(marker)
    )
}

fn forum_template(marker: &str) -> String {
    let default = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/templates/forum.html"
    );
    std::fs::read_to_string(default).unwrap().replacen(
        "{% block content %}",
        &format!("{{% block content %}}<p>{marker}</p>"),
        1,
    )
}

/// The tree a clean build of the site writes into an empty folder.
fn clean_build(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let elsewhere = tempfile::tempdir().unwrap();
    let mut options = site.options();
    options.output = Some(elsewhere.path().join("public"));
    podium::build(&options).expect("clean build");
    tree(&elsewhere.path().join("public"))
}

/// Every file's modification time.
fn stamps(dir: &Path) -> BTreeMap<String, SystemTime> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, e.metadata().unwrap().modified().unwrap())
        })
        .collect()
}

fn assert_same_tree(got: &BTreeMap<String, Vec<u8>>, want: &BTreeMap<String, Vec<u8>>, what: &str) {
    let missing: Vec<_> = want.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<_> = got.keys().filter(|k| !want.contains_key(*k)).collect();
    let differ: Vec<_> = want
        .keys()
        .filter(|k| got.get(*k).is_some_and(|g| g != &want[*k]))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && differ.is_empty(),
        "{what}: missing {missing:?}, extra {extra:?}, different {differ:?}"
    );
}

#[test]
fn a_rebuild_with_nothing_changed_touches_no_file() {
    let site = Site::built(SITE);
    let before = stamps(&site.out());
    let bytes = site.tree();
    let report = site.build();
    assert!(
        report.unchanged,
        "nothing changed, so nothing is loaded or rendered"
    );
    assert_eq!(report.written.written, 0, "{:?}", report.written);
    assert_eq!(report.written.removed, 0);
    assert_eq!(stamps(&site.out()), before, "modification times changed");
    assert_eq!(site.tree(), bytes);
    // A report saved again as it was: the whole build runs, and still writes nothing.
    let alpha = site.root().join("content/forums/2025/alpha.md");
    std::fs::write(&alpha, std::fs::read(&alpha).unwrap()).unwrap();
    let report = site.build();
    assert!(!report.unchanged);
    assert_eq!(report.written.written, 0, "{:?}", report.written);
    assert_eq!(stamps(&site.out()), before);
    assert!(site.build().unchanged);
    // An editor's swap file beside a report is not a source: still nothing to do.
    site.write("content/forums/2025/.alpha.md.swp", "half-saved");
    assert!(site.build().unchanged, "a temporary file is not read");
    // A new report is: the whole build runs, and its page is made.
    site.write(
        "content/forums/2025/gamma.md",
        "---\ntitle: Gamma\ndate: 2025-05-01\n---\nA third forum.\n",
    );
    assert!(!site.build().unchanged);
    assert!(site.out().join("forums/2025/gamma/index.html").is_file());
    std::fs::remove_file(site.root().join("content/forums/2025/gamma.md")).unwrap();
    let report = site.build();
    assert!(!report.unchanged);
    assert!(!site.out().join("forums/2025/gamma").exists());
    assert_eq!(site.tree(), bytes);
    assert!(site.build().unchanged);
    // Another day may make a forum past: the whole build runs.
    let mut options = site.options();
    options.today = podium::Today::Fixed(jiff::civil::date(2025, 3, 2));
    assert!(!podium::build(&options).unwrap().unchanged);
    assert!(!site.build().unchanged);
    // An output file changed by hand: the whole build runs and puts it back.
    std::fs::write(site.out().join("index.html"), "changed").unwrap();
    let report = site.build();
    assert!(!report.unchanged);
    assert_eq!(site.tree(), bytes);
    // A build with warnings runs whole every time, to show them again.
    site.write(
        "content/forums/2025/beta.md",
        "---\ntitle: Beta\ndate: 2025-04-01\n---\nSee [x](@/forums/none.md).\n",
    );
    assert!(!site.build().warnings.is_empty());
    let again = site.build();
    assert!(!again.unchanged && !again.warnings.is_empty());
}

#[test]
fn after_every_kind_of_edit_the_output_equals_a_clean_build_and_only_changes_are_written() {
    let site = Site::built(&site_with_forum_template("first"));
    // Sources saved long enough ago are kept parsed for the next build, which then parses
    // only what changed.
    site.age_sources();
    assert_eq!(site.build().documents.reused, 0);
    let alpha = std::fs::read_to_string(site.root().join("content/forums/2025/alpha.md")).unwrap();
    // (what, file, new contents or None to delete, a file that must change, one that must not)
    type Edit<'a> = (&'a str, &'a str, Option<String>, &'a str, &'a str);
    let edits: Vec<Edit> = vec![
        (
            "body",
            "content/forums/2025/alpha.md",
            Some(alpha.replace("First version", "Second version")),
            "forums/2025/alpha/index.html",
            "forums/2024/gamma/index.html",
        ),
        (
            "title",
            "content/forums/2025/alpha.md",
            Some(alpha.replace("title: Alpha Forum", "title: Alpha Renamed")),
            "forums/2025/alpha/index.html",
            "notes.txt",
        ),
        (
            "a speaker's title",
            "content/forums/2025/alpha.md",
            Some(alpha.replace("Director", "Chair")),
            "speakers/ann-lee/index.html",
            "notes.txt",
        ),
        (
            "a new speaker",
            "content/forums/2025/alpha.md",
            Some(alpha.replace("Bob Ray", "Carl Diaz")),
            "speakers/carl-diaz/index.html",
            "notes.txt",
        ),
        (
            "a profile",
            "content/speakers/ann-lee.md",
            Some("---\nname: Ann Lee\n---\nAnn chairs the water network.\n".into()),
            "speakers/ann-lee/index.html",
            "forums/2024/gamma/event.ics",
        ),
        (
            "settings",
            "content/_index.md",
            Some("---\ntitle: The Archive\ntheme: house\n---\nWelcome.\n".into()),
            "index.html",
            "notes.txt",
        ),
        (
            "a template",
            "themes/house/templates/forum.html",
            Some(forum_template("second")),
            "forums/2024/gamma/index.html",
            "speakers/ann-lee/index.html",
        ),
        (
            "a static file",
            "content/static/notes.txt",
            Some("other notes\n".into()),
            "notes.txt",
            "forums/2024/gamma/index.html",
        ),
        (
            "a new report",
            "content/forums/2025/delta.md",
            Some("---\ntitle: Delta Round Table\ndate: 2025-06-01\nspeakers: [Dana Fox]\n---\nNew.\n".into()),
            "forums/2025/delta/index.html",
            // Adding a report (and a person) makes again only the pages that list it.
            "speakers/ann-lee/index.html",
        ),
        (
            "the address of a report another links to",
            "content/forums/2025/beta.md",
            Some(
                std::fs::read_to_string(site.root().join("content/forums/2025/beta.md"))
                    .unwrap()
                    .replace("title: Beta Meeting", "title: Beta Meeting\nslug: beta-meeting"),
            ),
            // The about page links to it with `@/forums/2025/beta.md`, and shows nothing
            // else of it.
            "about/index.html",
            "speakers/dana-fox/index.html",
        ),
        (
            "a deleted report",
            "content/forums/2025/beta.md",
            None,
            "topics/air/index.html",
            "speakers/dana-fox/index.html",
        ),
    ];
    for (what, file, contents, changes, stays) in edits {
        let before = stamps(&site.out());
        let parsed_again =
            contents.is_some() && file.starts_with("content/") && file.ends_with(".md");
        match contents {
            Some(text) => {
                site.write(file, &text);
                site.age(file);
            }
            None => std::fs::remove_file(site.root().join(file)).unwrap(),
        }
        let report = site.build();
        assert_same_tree(&site.tree(), &clean_build(&site), what);
        // Only the file written, if a source (the settings and translations too).
        assert_eq!(
            report.documents.parsed,
            usize::from(parsed_again),
            "{what}: {:?}",
            report.documents
        );
        let after = stamps(&site.out());
        assert_ne!(
            before.get(changes),
            after.get(changes),
            "{what}: {changes} kept"
        );
        assert_eq!(
            before.get(stays),
            after.get(stays),
            "{what}: {stays} rewritten"
        );
        let rewritten = after
            .iter()
            .filter(|(p, t)| before.get(*p) != Some(t))
            .count();
        assert_eq!(
            rewritten, report.written.written,
            "{what}: {:?}",
            report.written
        );
        if what == "body" {
            // The report's page and the open data that carries its text, nothing else.
            assert!(rewritten <= 3, "{what}: {rewritten} files rewritten");
        }
    }
    // The deleted report's pages are gone, folders and all.
    assert!(!site.exists("forums/2025/beta-meeting"));
    assert!(!site.exists("topics/air"));
}

#[test]
fn a_theme_that_shows_the_counts_on_every_page_gets_every_page_made_after_a_new_report() {
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/templates/base.html"
    ))
    .unwrap()
    .replacen(
        "<footer class=\"site-footer\">",
        "<footer class=\"site-footer\"><p class=\"n\">{{ site.counts.forums }} forums</p>",
        1,
    );
    let site = Site::built(&format!(
        "{SITE}-- themes/house/templates/base.html --\n{base}"
    ));
    assert_eq!(
        site.page("speakers/ann-lee/index.html").text(".n"),
        "3 forums"
    );
    site.write(
        "content/forums/2025/delta.md",
        "---\ntitle: Delta Round Table\ndate: 2025-06-01\nspeakers: [Dana Fox]\n---\n",
    );
    site.build();
    assert_eq!(
        site.page("speakers/ann-lee/index.html").text(".n"),
        "4 forums"
    );
    assert_same_tree(&site.tree(), &clean_build(&site), "a new report");
}

#[test]
fn files_edited_or_deleted_by_hand_in_the_output_are_put_back_and_others_left_alone() {
    let site = Site::built(SITE);
    let want = site.tree();
    let out = site.out();
    // Same size, other bytes: only the modification time gives it away.
    let page = out.join("forums/2024/gamma/index.html");
    let original = std::fs::read(&page).unwrap();
    let mut edited = original.clone();
    edited[0] = if edited[0] == b'x' { b'y' } else { b'x' };
    std::fs::write(&page, &edited).unwrap();
    std::fs::write(out.join("speakers/ann-lee/index.html"), "vandalised").unwrap();
    std::fs::remove_file(out.join("feed.xml")).unwrap();
    std::fs::remove_dir_all(out.join("topics/water")).unwrap();
    std::fs::write(out.join("stray.html"), "not ours").unwrap();
    std::fs::create_dir_all(out.join("old/folder")).unwrap();
    std::fs::write(out.join("old/folder/index.html"), "not ours").unwrap();
    std::fs::create_dir_all(out.join(".git")).unwrap();
    std::fs::write(out.join(".git/HEAD"), "deploy repository").unwrap();
    let report = site.build();
    let mut got = site.tree();
    // Files Podium did not write are not its to remove.
    for (path, bytes) in [
        (".git/HEAD", &b"deploy repository"[..]),
        ("stray.html", b"not ours"),
        ("old/folder/index.html", b"not ours"),
    ] {
        assert_eq!(got.remove(path).as_deref(), Some(bytes), "{path}");
    }
    assert_same_tree(&got, &want, "after hand edits");
    assert_eq!(report.written.removed, 0);
    assert!(report.written.written >= 3, "{:?}", report.written);
    // Without a manifest, the folder is all there is to go by: a page this build does not
    // make is left over and goes; any other file may be the user's own (a CNAME) and stays,
    // with a warning naming it.
    std::fs::remove_file(podium::write::state_dir(&out).join("manifest")).unwrap();
    let report = site.build();
    assert_eq!(report.written.removed, 1, "{:?}", report.written);
    assert_eq!(report.written.kept_unknown, ["stray.html"]);
    assert!(!out.join("old").exists(), "emptied folders are removed");
    assert!(out.join(".git/HEAD").exists());
    let warning: String = report.warnings.iter().map(|d| d.render(false)).collect();
    assert!(
        warning.contains("did not make and left them in place") && warning.contains("stray.html"),
        "{warning}"
    );
    let mut got = site.tree();
    assert_eq!(got.remove("stray.html").as_deref(), Some(&b"not ours"[..]));
    let got = got
        .into_iter()
        .filter(|(p, _)| !p.starts_with(".git"))
        .collect();
    assert_same_tree(&got, &want, "without a manifest");
    // The manifest is back: the next build leaves the file alone without a word.
    let report = site.build();
    assert!(report.written.kept_unknown.is_empty());
    assert!(out.join("stray.html").exists());
}

#[test]
fn an_output_deleted_since_the_last_build_is_made_whole_from_the_cached_documents() {
    let site = Site::built(SITE);
    let want = site.tree();
    let out = site.out();
    // `rm -rf public`: what Podium keeps beside the output (manifest, documents) stays.
    std::fs::remove_dir_all(&out).unwrap();
    let report = site.build();
    assert!(
        !report.unchanged,
        "nothing is there, so nothing is unchanged"
    );
    // (The tree also holds the marker that the folder is Podium's, not counted as written.)
    assert_eq!(
        report.written.written, report.written.files,
        "{:?}",
        report.written
    );
    assert_eq!(report.written.files + 1, want.len(), "{:?}", report.written);
    assert_eq!((report.written.removed, report.written.kept), (0, 0));
    assert_same_tree(&site.tree(), &want, "after the output was deleted");
    // The manifest written now is right: the next build finds every file as it left it.
    assert!(site.build().unchanged);
    // An empty folder is the same as none, and an edit after it writes only what changed.
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::create_dir(&out).unwrap();
    site.build();
    assert_same_tree(&site.tree(), &want, "into an emptied folder");
    let beta = site.root().join("content/forums/2025/beta.md");
    let text = std::fs::read_to_string(&beta).unwrap();
    std::fs::write(
        &beta,
        text.replace("Second report.", "Second report, revised."),
    )
    .unwrap();
    let report = site.build();
    assert!(
        report.written.written >= 1 && report.written.written < want.len() / 2,
        "{:?}",
        report.written
    );
    assert_same_tree(&site.tree(), &clean_build(&site), "an edit after it");
}

#[test]
fn a_lost_truncated_corrupt_or_foreign_manifest_changes_nothing_in_the_output() {
    let site = Site::built(SITE);
    let manifest = podium::write::state_dir(&site.out()).join("manifest");
    let text = std::fs::read(&manifest).unwrap();
    let other =
        Site::built("-- content/forums/a.md --\n---\ntitle: Other\ndate: 2020-01-01\n---\n");
    let foreign = std::fs::read(podium::write::state_dir(&other.out()).join("manifest")).unwrap();
    let damages: Vec<(&str, Option<Vec<u8>>)> = vec![
        ("deleted", None),
        ("truncated", Some(text[..text.len() / 2].to_vec())),
        ("garbage", Some(b"\xff\xfe garbage \n end 1 0\n".to_vec())),
        (
            "hashes altered",
            Some(
                String::from_utf8_lossy(&text)
                    .replace(" 0", " 1")
                    .into_bytes(),
            ),
        ),
        ("from another site", Some(foreign)),
    ];
    for (what, damage) in damages {
        let alpha = site.root().join("content/forums/2025/alpha.md");
        let old = std::fs::read_to_string(&alpha).unwrap();
        site.write(
            "content/forums/2025/alpha.md",
            &format!("{old}\nOne more line ({what}).\n"),
        );
        match damage {
            None => std::fs::remove_file(&manifest).unwrap(),
            Some(bytes) => std::fs::write(&manifest, bytes).unwrap(),
        }
        site.build();
        assert_same_tree(&site.tree(), &clean_build(&site), what);
        // And the next build trusts the manifest it wrote again.
        assert_eq!(site.build().written.written, 0, "{what}");
    }
}

/// An edit's rebuild records only the files it changed, beside the whole manifest
/// (`manifest.changes`, see `write::manifest`); those changes, lost or damaged, are only a
/// shortcut too.
#[test]
fn a_rebuild_records_only_its_changes_and_damaged_changes_change_nothing_in_the_output() {
    let site = Site::built(SITE);
    let state = podium::write::state_dir(&site.out());
    let whole = std::fs::read(state.join("manifest")).unwrap();
    let edit = |what: &str| {
        let old = std::fs::read_to_string(site.root().join(ALPHA)).unwrap();
        site.write(ALPHA, &format!("{old}\nOne more line ({what}).\n"));
        site.build()
    };
    assert!(edit("recorded").written.written >= 1);
    assert_eq!(
        std::fs::read(state.join("manifest")).unwrap(),
        whole,
        "the whole manifest is not written again for an edit"
    );
    let changes = std::fs::read_to_string(state.join("manifest.changes")).unwrap();
    assert!(
        changes.contains(" forums/2025/alpha/index.html\n"),
        "{changes}"
    );
    assert!(changes.len() < whole.len() / 2);
    assert!(
        site.build().unchanged,
        "the manifest with its changes is trusted"
    );
    let changes = std::fs::read(state.join("manifest.changes")).unwrap();
    let damages: Vec<(&str, Option<Vec<u8>>)> = vec![
        ("changes deleted", None),
        (
            "changes truncated",
            Some(changes[..changes.len() / 2].to_vec()),
        ),
        ("changes of another manifest", Some(changes_of_another())),
    ];
    for (what, damage) in damages {
        // A page made by a build whose changes are then lost goes when it is no longer made.
        site.write(
            "content/forums/2025/gamma.md",
            "---\ntitle: Gamma\ndate: 2025-03-01\n---\nThird.\n",
        );
        site.build();
        assert!(
            site.out().join("forums/2025/gamma/index.html").exists(),
            "{what}"
        );
        std::fs::remove_file(site.root().join("content/forums/2025/gamma.md")).unwrap();
        match damage {
            None => std::fs::remove_file(state.join("manifest.changes")).unwrap(),
            Some(bytes) => std::fs::write(state.join("manifest.changes"), bytes).unwrap(),
        }
        site.build();
        assert_same_tree(&site.tree(), &clean_build(&site), what);
        assert_eq!(site.build().written.written, 0, "{what}");
    }
}

/// Well-formed changes (see `write::manifest`) that name a whole manifest nobody wrote.
fn changes_of_another() -> Vec<u8> {
    let body = "podium-manifest-changes 1 0000000000000001\n";
    let check = xxhash_rust::xxh3::xxh3_64(body.as_bytes());
    format!("{body}end 0 {check:016x}\n").into_bytes()
}

#[test]
fn a_lost_truncated_corrupt_or_foreign_document_cache_changes_nothing_in_the_output() {
    let site = Site::built(SITE);
    site.age_sources();
    site.build();
    let documents = podium::write::state_dir(&site.out()).join("documents");
    let good = std::fs::read(&documents).unwrap();
    let other =
        Site::new("-- content/forums/2025/alpha.md --\n---\ntitle: Other\ndate: 2020-01-01\n---\n");
    other.age_sources();
    other.build();
    let foreign = std::fs::read(podium::write::state_dir(&other.out()).join("documents")).unwrap();
    // One bit of the index, and one of a document (the index is at the end, after the
    // documents: a third of the way in is a document).
    let mut in_index = good.clone();
    in_index[good.len() - 30] ^= 0x01;
    let mut in_document = good.clone();
    in_document[good.len() / 3] ^= 0x01;
    let damages: Vec<(&str, Option<Vec<u8>>)> = vec![
        ("deleted", None),
        ("truncated", Some(good[..good.len() / 2].to_vec())),
        ("one bit of the index changed", Some(in_index)),
        ("one bit of a document changed", Some(in_document)),
        (
            "garbage",
            Some(b"podium-documents 2\n\xff\xfe garbage".to_vec()),
        ),
        ("from another site", Some(foreign)),
    ];
    let sources = 6; // five Markdown files and the settings
    for (what, damage) in damages {
        let alpha = "content/forums/2025/alpha.md";
        let old = std::fs::read_to_string(site.root().join(alpha)).unwrap();
        site.write(alpha, &format!("{old}\nOne more line ({what}).\n"));
        site.age(alpha);
        match damage {
            None => std::fs::remove_file(&documents).unwrap(),
            Some(bytes) => std::fs::write(&documents, bytes).unwrap(),
        }
        let report = site.build();
        if what == "one bit of a document changed" {
            // That document is parsed from its source (unless it is the one just edited),
            // with the edited one; the others come from the cache.
            let parsed = report.documents.parsed;
            assert!((1..=2).contains(&parsed), "{what}: {:?}", report.documents);
        } else {
            assert_eq!(
                report.documents.parsed, sources,
                "{what}: {:?}",
                report.documents
            );
        }
        assert_same_tree(&site.tree(), &clean_build(&site), what);
        // The cache written again is trusted by the next build.
        site.write(alpha, &format!("{old}\nAnother line ({what}).\n"));
        site.age(alpha);
        let report = site.build();
        assert_eq!(report.documents.parsed, 1, "{what}: {:?}", report.documents);
        assert_same_tree(&site.tree(), &clean_build(&site), what);
    }
}

/// A site large enough that a debug build takes a while, so kills land in every stage.
fn many_reports(version: &str) -> String {
    let mut text = format!("-- content/_index.md --\n---\ntitle: Archive {version}\n---\n");
    for i in 0..150 {
        // Version B drops every fifth report and adds others, so deletions, new files and
        // changed files all happen.
        let keep = version == "A" || i % 5 != 0;
        if keep {
            text.push_str(&format!(
                "-- content/forums/{y}/forum-{i}.md --\n---\ntitle: Forum {i} {version}\ndate: {y}-0{m}-1{d}\nspeakers: [Person {p}, Person {q}]\norganizers: [Org {o}]\ntopics: [t{t}]\n---\nReport {i}, version {version}.\n",
                y = 2010 + i % 12,
                m = 1 + i % 9,
                d = i % 10,
                p = i % 40,
                q = (i * 7) % 40,
                o = i % 15,
                t = i % 6,
            ));
        }
        if version == "B" && i % 10 == 0 {
            text.push_str(&format!(
                "-- content/forums/2030/new-{i}.md --\n---\ntitle: New {i}\ndate: 2030-01-01\nspeakers: [Person {i}]\n---\n"
            ));
        }
    }
    text
}

fn write_site(root: &Path, txtar: &str) {
    let _ = std::fs::remove_dir_all(root.join("content"));
    for (path, contents) in parse_txtar(txtar) {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, contents).unwrap();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let target: PathBuf = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_build_killed_at_any_moment_is_finished_or_undone_by_the_next() {
    assert_killed_builds_recover(&many_reports("A"), &many_reports("B"));
}

/// An edit of one report changes a few files, and the manifest records only those changes
/// (`write::manifest`): a build killed while recording them too is finished or undone.
#[test]
fn a_build_killed_while_recording_a_few_changes_is_finished_or_undone_by_the_next() {
    let a = many_reports("A");
    let b = a.replace("Report 7, version A.", "Report 7, version A, revised.");
    assert_ne!(a, b);
    assert_killed_builds_recover(&a, &b);
}

/// Build site `a`, then kill builds of site `b` over its output at many moments: the build
/// after each kill leaves the output a clean build of `b` makes, and no stray state file.
fn assert_killed_builds_recover(a: &str, b: &str) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = root.join("public");
    let state = podium::write::state_dir(&out);
    write_site(&root, b);
    let site_b = Site {
        dir: tempfile::tempdir().unwrap(),
    };
    write_site(site_b.root(), b);
    let want = clean_build(&site_b);
    // The previous output, version A, kept aside to start every attempt from.
    write_site(&root, a);
    let mut options = site_b.options();
    options.root = root.clone();
    podium::build(&options).expect("version A");
    let saved = dir.path().join("saved");
    copy_dir(&out, &saved.join("public"));
    copy_dir(&state, &saved.join("state"));
    write_site(&root, b);
    // How long an uninterrupted build takes, to spread the kills over it.
    let timed = std::time::Instant::now();
    let status = podium_build(&root).status().unwrap();
    assert!(status.success());
    let full = timed.elapsed();
    let mut interrupted = 0;
    for step in 0..24u32 {
        copy_dir(&saved.join("public"), &out);
        copy_dir(&saved.join("state"), &state);
        let mut child = podium_build(&root).spawn().unwrap();
        std::thread::sleep(full.mul_f64(f64::from(step) / 20.0));
        if child.try_wait().unwrap().is_none() {
            interrupted += 1;
        }
        child.kill().ok(); // SIGKILL
        child.wait().unwrap();
        // Whatever the kill left, no file of the output is torn: each is A's or B's.
        podium::build(&options).expect("the build after a kill");
        assert_same_tree(&tree(&out), &want, &format!("killed at step {step}"));
        let leftovers: Vec<_> = std::fs::read_dir(&state)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            // The state's files (manifest.changes: what the builds since the manifest was
            // written whole changed; search-words: report words kept for the search index, and
            // the changes to them; search-index-made: what the index was made from;
            // documents: the parsed sources; connections: those drawn from front matter).
            .filter(|n| {
                ![
                    "manifest",
                    "manifest.changes",
                    "lock",
                    "inputs",
                    "search-words",
                    "search-words.changes",
                    "search-index-made",
                    "documents",
                    "connections",
                ]
                .contains(&n.as_str())
            })
            .collect();
        assert!(leftovers.is_empty(), "step {step}: {leftovers:?}");
    }
    assert!(
        interrupted >= 10,
        "only {interrupted} builds were killed mid-way"
    );
}

fn podium_build(root: &Path) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_podium"));
    command
        .arg("build")
        .arg("--quiet")
        .arg("--today")
        .arg(today().to_string())
        .arg("--root")
        .arg(root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    command
}

/// The report the edits of the tests below change.
const ALPHA: &str = "content/forums/2025/alpha.md";

/// Rebuild `site` after writing `text` (edit `what`) to its alpha report, check that the
/// output equals a clean build, and return what the build wrote and kept
/// (`WriteReport::kept`: the files kept without being made).
fn rebuilt_with_alpha(site: &Site, what: &str, text: &str) -> podium::write::WriteReport {
    site.write(ALPHA, text);
    site.age(ALPHA);
    let report = site.build();
    assert_same_tree(&site.tree(), &clean_build(site), what);
    report.written
}

/// The site-wide files that take little from the reports' bodies (the open data, the feeds,
/// the calendars, the sitemap, the search index) are made again only when what they show
/// changed: not after a sentence is added to a report, but after a quote (the open data lists
/// quotes) or a new name (the search index finds reports by the names they mention). Each
/// time the output equals a clean build.
#[test]
fn site_wide_files_are_made_again_only_when_what_they_show_changed() {
    let site = Site::built(SITE);
    site.age_sources();
    let alpha = std::fs::read_to_string(site.root().join(ALPHA)).unwrap();
    let edit = |what: &str, text: String| rebuilt_with_alpha(&site, what, &text).kept;
    let count = |folder: &str| {
        site.tree()
            .keys()
            .filter(|p| p.starts_with(folder) && !p.ends_with(".html"))
            .count()
    };
    let (api_files, search_files) = (count("api/"), count("search/"));
    assert!(
        api_files >= 5 && search_files >= 2,
        "{api_files} {search_files}"
    );
    // Each edit changes the same report's page, so the same pages are made again each time
    // (and, for the quote, the pages that list the report: see the next test): what is kept
    // differs by the site-wide parts.
    let names = "First version with Ann Lee, Director, Green Org";
    let with_names = alpha.replace("First version", names);
    let name_added = edit("a name", with_names.clone());
    let sentence = edit(
        "a sentence",
        with_names.replace(names, &format!("{names}, in short")),
    );
    let quote = with_names.replace(names, &format!("{names}, in short"))
        + "\n> the river is everyone's.\n>\n> — Ann Lee\n";
    let (bytes_before, stamps_before) = (site.tree(), stamps(&site.out()));
    let quote_added = edit("a quote", quote);
    // The open data is made again, and its files streamed to the writer are compared with
    // those in the output as they are made: only those whose bytes changed are written.
    let (bytes_after, stamps_after) = (site.tree(), stamps(&site.out()));
    let api_file = |name: &str| format!("api/{name}");
    assert_ne!(
        stamps_after[&api_file("quotes.json")],
        stamps_before[&api_file("quotes.json")]
    );
    for name in ["organizations.json", "appearances.csv"] {
        let path = api_file(name);
        assert_eq!(bytes_after[&path], bytes_before[&path], "{name}");
        assert_eq!(
            stamps_after[&path], stamps_before[&path],
            "{name} holds the same bytes: it is not written again"
        );
    }
    // Of the search index, only the shards of the new names (and the list of shards) are
    // made (see the next test).
    assert!(
        (1..=6).contains(&(sentence - name_added)),
        "a new name files the report again in the search index, a sentence does not: {}",
        sentence - name_added
    );
    assert!(
        sentence - quote_added > api_files,
        "a quote makes the open data again, a sentence does not: {sentence} {quote_added}"
    );
    let api = site.read("api/quotes.json");
    assert!(api.contains("the river is everyone"), "{api}");
}

/// Thirty reports, the first `named` of which mention Zephyrine (the limit on report words
/// is 25 forums here: a name more forums use is not filed from their texts).
fn thirty_reports(named: usize) -> String {
    let mut text = String::from("-- content/_index.md --\n---\ntitle: Archive\n---\n");
    for i in 0..30 {
        let zephyrine = if i < named {
            " Zephyrine attended."
        } else {
            ""
        };
        text.push_str(&format!(
            "-- content/forums/2020/f{i:02}.md --\n---\ntitle: Meeting {i}\ndate: 2020-01-{d:02}\nspeakers: [Person {p}]\n---\nReport {i}.{zephyrine}\n",
            d = 1 + i % 28,
            p = i % 7,
        ));
    }
    text
}

/// An edit that names someone new, or drops a name, files the report again in the search
/// index: only the shards of the names it gained or lost are made, the others are kept
/// without being made. A name that crosses the limit on report words changes every forum's
/// postings of it, and a lost or damaged record of what the index was made from, or a shard
/// edited by hand, leaves nothing to patch from: the index is then made whole. Each time the
/// output equals a clean build.
#[test]
fn the_search_index_is_patched_for_the_names_an_edit_adds_or_drops() {
    let site = Site::built(&thirty_reports(25));
    site.age_sources();
    // The index's files (the search page is one of the site-wide pages).
    let search_files = site
        .tree()
        .keys()
        .filter(|p| p.starts_with("search/") && !p.ends_with(".html"))
        .count();
    let last = "content/forums/2020/f29.md";
    let report = |body: &str| {
        format!(
            "---\ntitle: Meeting 29\ndate: 2020-01-02\nspeakers: [Person 1]\n---\nReport 29.{body}\n"
        )
    };
    // The files kept without being made, after `body` is written to the last report.
    let kept_after = |what: &str, body: &str| {
        site.write(last, &report(body));
        site.age(last);
        let kept = site.build().written.kept;
        assert_same_tree(&site.tree(), &clean_build(&site), what);
        kept
    };
    let shard_of = |word: &str| {
        let key = podium::search::fold::fold(word);
        let file = podium::search::index::shard_file(podium::search::index::shard_key(&key));
        format!("search/terms/{file}.json")
    };
    // A sentence with no new name: the report's own files are made, the index is kept.
    let sentence = kept_after("a sentence", " it rained.");
    let made = |what: &str, body: &str| sentence - kept_after(what, body);
    let new_name = made("a new name", " it rained. Quorvath spoke.");
    assert!(
        (1..=2).contains(&new_name),
        "the new name's shard (and the list of shards, for a new one): {new_name} of {search_files}"
    );
    let shard = shard_of("Quorvath");
    assert!(site.read(&shard).contains("quorvath"), "{shard}");
    assert_eq!(made("the name dropped", " it rained."), 1);
    assert!(!site.exists(&shard));
    // Zephyrine in 26 reports is over the limit: no report is found by it any more.
    let whole = made("over the limit", " it rained. Zephyrine attended.");
    assert_eq!(whole, search_files);
    let over = made(
        "over the limit still",
        " it rained. Zephyrine attended. Quorvath too.",
    );
    assert!((1..=2).contains(&over), "{over}");
    assert_eq!(made("back under the limit", " it rained."), search_files);
    // Nothing to patch from: a damaged record, a lost one, a shard edited by hand.
    let record = podium::write::state_dir(&site.out()).join("search-index-made");
    let text = std::fs::read_to_string(&record).unwrap();
    // One digit of the first page's fingerprint changed (whatever the digits are).
    let at = text.find('\n').unwrap() + 1;
    let digit = if text.as_bytes()[at] == b'0' {
        "1"
    } else {
        "0"
    };
    let damaged = format!("{}{digit}{}", &text[..at], &text[at + 1..]);
    assert_ne!(damaged, text);
    std::fs::write(&record, damaged).unwrap();
    assert_eq!(
        made("a damaged record", " it rained. Quorvath spoke."),
        search_files
    );
    std::fs::remove_file(&record).unwrap();
    assert_eq!(made("a lost record", " it rained."), search_files);
    std::fs::write(site.out().join(shard_of("Meeting")), "{}").unwrap();
    assert_eq!(
        made("a shard edited by hand", " it rained. Quorvath spoke."),
        search_files
    );
    assert_eq!(made("patched again", " it rained."), 1);
}

/// Random edits of the names reports mention, one to three reports at a time: names new to
/// the site, names every report uses, a name near the limit on report words (24 of 30
/// reports, the limit being 25), spellings that share a key (`Əliyeva`, `Aliyeva`,
/// `Алиева`), a word of a forum's title, a word that folds to nothing. After each, a
/// rebuild over the output (the search index patched, or made whole when it must be) equals
/// a clean build.
#[test]
fn any_sequence_of_name_edits_patches_the_search_index_as_a_clean_build_makes_it() {
    let pool = [
        "Zephyrine",
        "Quorvath",
        "Əliyeva",
        "Aliyeva",
        "Алиева",
        "ISMAYILOV",
        "İsmayılov",
        "Meeting",
        "Report",
        "Y",
        "Ivanov",
        "Şuşa",
    ];
    for seed in [7u64, 8, 9] {
        let site = Site::built(&thirty_reports(24));
        site.age_sources();
        let mut next = numbers_from(seed);
        let mut done = Vec::new();
        for _ in 0..12 {
            for _ in 0..1 + next(3) {
                let i = next(30);
                let names: Vec<&str> = (0..next(4)).map(|_| pool[next(pool.len())]).collect();
                let path = format!("content/forums/2020/f{i:02}.md");
                let text = std::fs::read_to_string(site.root().join(&path)).unwrap();
                let front_end = text.rfind("---\n").unwrap() + 4;
                let body = format!("Report {i}. {}\n", names.join(" and "));
                site.write(&path, &format!("{}{body}", &text[..front_end]));
                site.age(&path);
                done.push(format!("f{i:02}: {}", names.join(" ")));
            }
            site.build();
            assert_same_tree(&site.tree(), &clean_build(&site), &done.join(", "));
        }
    }
}

/// Home, the indexes and the 404 page show every forum as its front matter says, and no
/// report's text: a sentence added to a report makes none of them again (only the report's
/// page and calendar are made, besides the static files, copied on every build), a new title makes them again and those that list the forum
/// show it. Each time the output equals a clean build.
#[test]
fn home_and_the_indexes_are_made_again_only_when_a_front_matter_changes() {
    let site = Site::built(SITE);
    site.age_sources();
    let alpha = std::fs::read_to_string(site.root().join(ALPHA)).unwrap();
    let made_after = |what: &str, text: String| {
        let written = rebuilt_with_alpha(&site, what, &text);
        written.files - written.kept
    };
    // The static files (the default theme's and the site's one) are copied on every build.
    let theme_static = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static");
    let copied = std::fs::read_dir(theme_static).unwrap().count() + 1;
    let sentence = made_after(
        "a sentence",
        alpha.replace("First version", "First version, in short"),
    );
    assert_eq!(
        sentence - copied,
        2,
        "a sentence makes only the report's page and calendar"
    );
    let title = made_after(
        "a title",
        alpha.replace("title: Alpha Forum", "title: Alpha Renamed"),
    );
    assert!(title > sentence + 8, "{title}");
    for path in ["index.html", "forums/index.html"] {
        let html = site.read(path);
        assert!(
            html.contains("Alpha Renamed") && !html.contains("Alpha Forum"),
            "{path}: {html}"
        );
    }
}

/// Numbers below the bound asked, from a small linear congruential generator: the same
/// sequence for a seed on every run, so that a failing sequence of edits can be replayed.
fn numbers_from(seed: u64) -> impl FnMut(usize) -> usize {
    let mut state = seed;
    move |below| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize % below
    }
}

/// Edits one after another, in an order no one chose: after each, a rebuild over the output
/// left by the edits before must equal a clean build. Each step gives one file of `SITE` one
/// of a few versions (every mix of them is a valid site), so a sequence can undo, repeat and
/// combine edits that the single-edit tests above take one at a time.
#[test]
fn any_sequence_of_edits_ends_equal_to_a_clean_build() {
    let alpha = parse_txtar(SITE)
        .into_iter()
        .find(|(path, _)| path == ALPHA)
        .unwrap()
        .1;
    let delta = "---\ntitle: Delta Panel\ndate: 2023-02-01\ntopics: [air]\nspeakers:\n  - name: Ann Lee\n  - name: Cem Oz\n    organization: Blue Org\n---\nDelta text.\n";
    // (file, its versions: None deletes it)
    let files: Vec<(&str, Vec<Option<String>>)> = vec![
        (
            ALPHA,
            vec![
                Some(alpha.clone()),
                Some(alpha.replace("First version", "Second version")),
                Some(alpha.replace("title: Alpha Forum", "title: Alpha Renamed")),
                Some(alpha.replace("Director", "Chair")),
                Some(alpha.replace("  - name: Bob Ray", "  - name: Bob Ray\n  - name: Dana Fox")),
                Some(alpha.clone() + "\n> Water is everyone's.\n>\n> — Ann Lee\n"),
                Some(alpha.replace("series: Spring Talks", "series: Autumn Talks")),
                Some(alpha.replace("topics: [water]", "topics: [water, soil]")),
                Some(alpha.replace("date: 2025-03-01", "date: 2023-03-01")),
                Some(alpha.replace("title: Alpha Forum", "title: Alpha Forum\ndraft: true")),
            ],
        ),
        (
            "content/forums/2025/beta.md",
            vec![
                Some("---\ntitle: Beta Meeting\ndate: 2025-04-01\ntopics: [air, water]\nspeakers: [Bob Ray, Ann Lee]\n---\nSecond report.\n".into()),
                None,
            ],
        ),
        ("content/forums/2023/delta.md", vec![None, Some(delta.into())]),
        (
            "content/speakers/ann-lee.md",
            vec![
                Some("---\nname: Ann Lee\naliases: [Анн Ли]\n---\nAnn works on water policy.\n".into()),
                Some("---\nname: Ann Lee\n---\nAnn now works on air.\n".into()),
                Some("---\nname: Ann Lee\nprivacy: initials\n---\nAnn works on water policy.\n".into()),
                None,
            ],
        ),
        (
            "content/_index.md",
            vec![
                Some("---\ntitle: Forums Archive\ntheme: house\n---\nWelcome.\n".into()),
                Some("---\ntitle: Forums Archive\ntheme: house\npaginate: 1\n---\nWelcome.\n".into()),
                Some("---\ntitle: Other Archive\ntheme: house\n---\nWelcome to [Beta](@/forums/2025/beta.md).\n".into()),
            ],
        ),
    ];
    for seed in [1u64, 2, 3] {
        let site = Site::built(SITE);
        site.age_sources();
        let mut next = numbers_from(seed);
        let mut done = Vec::new();
        for _ in 0..10 {
            let (path, versions) = &files[next(files.len())];
            let version = next(versions.len());
            done.push(format!("{path} #{version}"));
            match &versions[version] {
                Some(text) => {
                    site.write(path, text);
                    site.age(path);
                }
                None => {
                    let _ = std::fs::remove_file(site.root().join(path));
                }
            }
            site.build();
            assert_same_tree(&site.tree(), &clean_build(&site), &done.join(", "));
        }
    }
}

/// A report's own page shows all of its text; the pages that list it (its speakers',
/// organizations', topic, series and year pages, its related forums') show its front matter
/// and its quotes. So editing the text outside its quotes makes again its own page (and the
/// site-wide files that take the text), not those; editing a quote's words makes them again
/// too, and the speaker's page shows the new words. Each time the output equals a clean
/// build.
#[test]
fn the_pages_that_list_a_report_are_made_again_only_when_its_front_matter_or_quotes_change() {
    let site = Site::built(SITE);
    site.age_sources();
    let alpha = std::fs::read_to_string(site.root().join(ALPHA)).unwrap();
    let edit = |what: &str, text: String| rebuilt_with_alpha(&site, what, &text).kept;
    let quoted = alpha.replace(
        "First version",
        "First version.\n\n> The river is everyone's.\n>\n> — Ann Lee\n\nThen",
    );
    assert_ne!(quoted, alpha);
    edit("a quote", quoted.clone());
    let api_files = site.tree().keys().filter(|p| p.starts_with("api/")).count();
    // Each edit brings a new capitalized word (the search index takes those of a report's
    // text: names), so that the search index is made again each time.
    let sentence = edit("a sentence", quoted.replace("Then", "Lapwing"));
    let another = edit("another sentence", quoted.replace("Then", "Kestrel"));
    assert_eq!(
        sentence, another,
        "the same files are made for either sentence"
    );
    let words = edit(
        "a quote's words",
        quoted
            .replace("Then", "Kestrel and Heron")
            .replace("everyone's", "the kingfisher's"),
    );
    // The open data (its quotes), and at least Ann Lee's page and Green Org's.
    assert!(
        another - words >= api_files + 2,
        "a quote's words make the pages that list the report again: {another} {words} (open data: {api_files} files)"
    );
    let ann = site.read("speakers/ann-lee/index.html");
    assert!(ann.contains("The river is the kingfisher"), "{ann}");
}

/// The connections a build keeps for the next (related forums, careers, co-appearances) are
/// taken only when no front matter changed, and a lost or damaged file of them changes
/// nothing in the output.
#[test]
fn kept_connections_are_taken_only_from_the_same_front_matter() {
    let site = Site::built(SITE);
    site.age_sources();
    site.build();
    let kept = podium::write::state_dir(&site.out()).join("connections");
    assert!(kept.exists(), "a build keeps its connections");
    let alpha = "content/forums/2025/alpha.md";
    let text = std::fs::read_to_string(site.root().join(alpha)).unwrap();
    let edits = [
        (
            "a body",
            text.replace("First version", "First version, amended"),
            None,
        ),
        (
            "a speaker moved to another forum",
            text.replace("  - name: Bob Ray\n", "  - name: Gil Orr\n"),
            None,
        ),
        (
            "a lost file",
            text.replace("First", "Earliest"),
            Some(Vec::new()),
        ),
        (
            "a damaged file",
            text.replace("First", "Opening"),
            Some(b"podium-connections 1\n\x00\x01\x02garbage".to_vec()),
        ),
    ];
    for (what, new, damage) in edits {
        match damage {
            Some(bytes) if bytes.is_empty() => std::fs::remove_file(&kept).unwrap(),
            Some(bytes) => std::fs::write(&kept, bytes).unwrap(),
            None => {}
        }
        site.write(alpha, &new);
        site.age(alpha);
        site.build();
        assert_same_tree(&site.tree(), &clean_build(&site), what);
    }
}

/// On a rebuild too, a new report whose redirect takes the address of a page the output
/// already has is two sources writing one file: the build stops and the output stays as it
/// was.
#[test]
fn a_new_redirect_at_the_address_of_an_existing_page_is_a_collision_on_a_rebuild() {
    let site = Site::built(SITE);
    site.age_sources();
    site.build();
    let before = site.tree();
    // Its redirect from an old address is where Ann Lee's page is.
    site.write(
        "content/forums/2025/zeta.md",
        "---\ntitle: Zeta Forum\ndate: 2025-05-01\naliases: [/speakers/ann-lee/]\n---\nText.\n",
    );
    let errors = podium::build(&site.options()).expect_err("two sources of one file");
    let text = format!("{errors:?}");
    assert!(
        text.contains("both write `speakers/ann-lee/index.html`"),
        "{text}"
    );
    assert_eq!(site.tree(), before);
}

/// A document taken from the document cache points its messages at the same line, column
/// and source line as one just parsed: its front matter's YAML is read back from the cache
/// only for them, and from the source file if the cache's copy is damaged.
#[test]
fn messages_about_a_cached_document_point_where_they_did_when_it_was_parsed() {
    let site = Site::new(SITE);
    site.write(
        "content/forums/2025/beta.md",
        "---\ntitle: Beta Meeting\ndate: 2025-04-01\nspeakers:\n  - name: Bob Ray\n  - name: Cem Oz and Dana Ek\n    title: Host\n---\nShort.\n",
    );
    site.age_sources();
    let located = |report: &podium::BuildReport| {
        let w = report
            .warnings
            .iter()
            .find(|w| w.message.contains("Cem Oz and Dana Ek"))
            .unwrap_or_else(|| panic!("{:?}", report.warnings));
        let span = w.span.clone().expect("a place");
        (
            span.file,
            span.line,
            span.col,
            w.source_line.clone().unwrap_or_default(),
        )
    };
    let first = site.build();
    assert!(first.documents.parsed > 0 && first.documents.reused == 0);
    let parsed = located(&first);
    assert_eq!(
        parsed,
        (
            PathBuf::from("content/forums/2025/beta.md"),
            6,
            11,
            "  - name: Cem Oz and Dana Ek".to_string()
        )
    );
    // A build with warnings runs again whole: every document now comes from the cache.
    let second = site.build();
    assert_eq!(second.documents.parsed, 0, "{:?}", second.documents);
    assert_eq!(located(&second), parsed);
    // The cache's copy of every front matter damaged: read from the source files instead.
    let cache = podium::write::state_dir(&site.out()).join("documents");
    let mut bytes = std::fs::read(&cache).unwrap();
    let at = bytes
        .windows(b"Cem Oz and Dana Ek\n    title".len())
        .rposition(|w| w == b"Cem Oz and Dana Ek\n    title")
        .expect("the front matter is kept as written");
    bytes[at] = b'X';
    std::fs::write(&cache, &bytes).unwrap();
    let third = site.build();
    assert_eq!(third.documents.parsed, 0, "{:?}", third.documents);
    assert_eq!(located(&third), parsed);
    assert_same_tree(&site.tree(), &clean_build(&site), "a damaged front matter");
}

/// Warnings that every build finds (a quote that names none of its report's speakers, a
/// broken link in a profile) are shown by every build, and do not make every page again: a
/// sentence added to another report makes only that report's page and calendar, as on a
/// site without warnings. A warning found while making a page (a broken link in a report)
/// still makes the pages again, so that it shows again.
#[test]
fn warnings_found_on_every_build_are_shown_again_without_making_every_page_again() {
    let site = Site::new(SITE);
    site.write(
        "content/forums/2025/beta.md",
        "---\ntitle: Beta Meeting\ndate: 2025-04-01\nspeakers: [Bob Ray, Ann Lee]\n---\n> Water first.\n>\n> — Nobody Known\n",
    );
    site.write(
        "content/speakers/ann-lee.md",
        "---\nname: Ann Lee\n---\nAnn works on [water](@/forums/none.md).\n",
    );
    site.age_sources();
    let has_both = |warnings: &podium::diagnostic::Diagnostics| {
        let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
        let quote = messages.iter().any(|m| m.contains("Nobody Known"));
        let link = messages.iter().any(|m| m.contains("none.md"));
        assert!(quote && link, "{messages:?}");
    };
    has_both(&site.build().warnings);
    let theme_static = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static");
    let copied = std::fs::read_dir(theme_static).unwrap().count() + 1;
    let alpha = std::fs::read_to_string(site.root().join(ALPHA)).unwrap();
    site.write(
        ALPHA,
        &alpha.replace("First version", "First version, in short"),
    );
    site.age(ALPHA);
    let report = site.build();
    has_both(&report.warnings);
    let made = report.written.files - report.written.kept;
    assert_eq!(
        made - copied,
        2,
        "a sentence makes only the report's page and calendar"
    );
    assert_same_tree(&site.tree(), &clean_build(&site), "a sentence");
    // A broken link in a report is found while its page is made: every page is made again.
    site.write(
        ALPHA,
        &alpha.replace("First version", "See [x](@/forums/gone.md)"),
    );
    site.age(ALPHA);
    assert!(
        site.build()
            .warnings
            .iter()
            .any(|w| w.message.contains("gone.md"))
    );
    let report = site.build();
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.message.contains("gone.md"))
    );
    assert!(
        report.written.files - report.written.kept > copied + 10,
        "{:?}",
        report.written
    );
}

/// On a site in two languages, an edit of one report parses that file alone: the settings
/// and every translation come from the document cache too (they were parsed on every
/// build). And a file copied as it is (a PDF) replaced by another of the same size with
/// its modification time kept (`cp -p`, `rsync -a`) is copied again.
#[test]
fn an_edit_parses_only_its_file_in_any_language_and_a_replaced_attachment_is_copied_again() {
    let site = Site::new(
        "-- content/_index.md --\n---\ntitle: T\nlanguages: [en, az]\n---\nHome\n-- content/_index.az.md --\n---\ntitle: Ev\n---\nEv\n-- content/forums/f1.md --\n---\ntitle: F1\ndate: 2024-01-01\nspeakers:\n  - name: Əli Vəliyev\n    title: Chair\n---\nx\n-- content/forums/f1.az.md --\n---\ntitle: F1 az\nspeakers:\n  - name: Əli Vəliyev\n    title: Sədr\n---\nx az\n-- content/forums/f2.md --\n---\ntitle: F2\ndate: 2024-01-02\n---\n[The programme](programme.pdf)\n-- content/forums/f2.az.md --\n---\ntitle: F2 az\n---\ny az\n-- content/speakers/eli-veliyev.md --\n---\nname: Əli Vəliyev\n---\nbio\n-- content/speakers/eli-veliyev.az.md --\n---\nname: Əli Vəliyev\n---\nbio az\n-- content/forums/programme.pdf --\n%PDF first\n",
    );
    site.age_sources();
    let first = site.build();
    assert_eq!(first.documents.parsed, 8, "{:?}", first.documents);
    let f2 = "content/forums/f2.md";
    site.write(
        f2,
        "---\ntitle: F2\ndate: 2024-01-02\n---\n[The programme](programme.pdf), and more.\n",
    );
    site.age(f2);
    let report = site.build();
    assert_eq!(report.documents.parsed, 1, "{:?}", report.documents);
    assert_eq!(report.documents.reused, 7, "{:?}", report.documents);
    assert_same_tree(&site.tree(), &clean_build(&site), "an edit");
    assert!(site.read("az/forums/f1/index.html").contains("Sədr"));

    let pdf = site.root().join("content/forums/programme.pdf");
    let modified = std::fs::metadata(&pdf).unwrap().modified().unwrap();
    std::fs::write(&pdf, "%PDF other\n").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&pdf)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    site.write(
        f2,
        "---\ntitle: F2\ndate: 2024-01-02\n---\n[The programme](programme.pdf), and more again.\n",
    );
    site.age(f2);
    site.build();
    assert_eq!(site.read("forums/programme.pdf"), "%PDF other\n");
    assert_same_tree(&site.tree(), &clean_build(&site), "a replaced attachment");
}
