//! Bad input: every broken file reported in one run, with file, line, column and a fix;
//! a failed build changes nothing.

use crate::support::*;

const GOOD: &str = r#"
-- content/forums/good.md --
---
title: Good
date: 2025-01-01
---
"#;

#[test]
fn every_broken_report_is_reported_in_one_run_with_positions() {
    let site = Site::new(
        r#"
-- content/forums/a-bad-yaml.md --
---
title: "unclosed
date: 2025-01-01
---
-- content/forums/b-unknown-field.md --
---
title: B
date: 2025-01-01
spekers: []
---
-- content/forums/c-no-front-matter.md --
# Just a heading
-- content/forums/d-good.md --
---
title: D
date: 2025-01-01
---
"#,
    );
    let err = site.build_err();
    assert!(
        err.contains(
            "content/forums/a-bad-yaml.md:2:8: a quoted scalar opened here is never closed"
        ),
        "{err}"
    );
    assert!(
        err.contains("content/forums/b-unknown-field.md:4:1: unknown field `spekers`"),
        "{err}"
    );
    assert!(err.contains("did you mean `speakers`?"), "{err}");
    assert!(
        err.contains("content/forums/c-no-front-matter.md:1:1: expected `---` front matter"),
        "{err}"
    );
    assert!(!err.contains("d-good"), "{err}");
    // The caret display shows the offending line.
    assert!(err.contains("4 | spekers: []"), "{err}");
}

#[test]
fn semantic_mistakes_point_at_their_key() {
    let site = Site::new(
        r#"
-- content/forums/a.md --
---
title: A
date: 2025-10-20
end: 2025-10-19
status: hled
---
-- content/forums/b.md --
---
date: next tuesday
---
-- content/forums/c.md --
---
title: C
status: held
speakers:
  - title: Director
---
"#,
    );
    let err = site.build_err();
    assert!(
        err.contains("content/forums/a.md:4:1: `end` 2025-10-19 is before `date` 2025-10-20"),
        "{err}"
    );
    assert!(
        err.contains("content/forums/a.md:5:1: unknown status `hled`"),
        "{err}"
    );
    assert!(err.contains("did you mean `held`?"), "{err}");
    assert!(
        err.contains("content/forums/b.md:2:1: `date`: cannot read `next tuesday` as a date"),
        "{err}"
    );
    assert!(
        err.contains("content/forums/b.md:1:1: missing `title`"),
        "{err}"
    );
    assert!(
        err.contains("content/forums/c.md:1:1: missing `date`"),
        "{err}"
    );
    assert!(err.contains("a speaker entry has no `name`"), "{err}");
}

/// In a long list of speakers the editor must see which entry lacks its name: the message
/// stands at the entry, not at `speakers:`.
#[test]
fn a_speaker_entry_without_a_name_is_told_at_the_entry() {
    let site = Site::new(
        "-- content/_index.md --\n---\ntitle: T\n---\n-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-10-20\nspeakers:\n  - name: Ana Lima\n    title: Chair\n\n  # the panel\n  - title: No name\n    organization: X\n  - name: Rui Costa\nsessions:\n  - title: Opening\n  - title: Panel\n    speakers:\n      - title: Nobody\n---\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("content/forums/a.md:9:5: a speaker entry has no `name`"),
        "{err}"
    );
    assert!(
        err.contains("content/forums/a.md:14:5: a speaker entry of this session has no `name`"),
        "{err}"
    );
}

/// A `base_url` starts every address of the site; one with a space or a `#` would break
/// each of them.
#[test]
fn a_base_url_an_address_cannot_hold_is_an_error() {
    for (base_url, held) in [
        ("https://example.org/our archive/", "' '"),
        ("/archive#top", "'#'"),
    ] {
        let site = Site::new(&format!(
            "-- content/_index.md --\n---\ntitle: T\nbase_url: \"{base_url}\"\n---\n"
        ));
        let err = site.build_err();
        assert!(
            err.contains(&format!(
                "content/_index.md:3:1: `base_url` `{base_url}` holds {held}, which an address cannot hold as it is"
            )),
            "{err}"
        );
        assert!(err.contains("percent-encoded"), "{err}");
    }
}

/// Organizations that are each other's parent, through one or two others, are an error at
/// each `parent:` of the circle; one whose parent is in a circle it is not part of is not.
#[test]
fn parents_that_go_round_in_a_circle_are_an_error_at_each() {
    let site = Site::new(
        r#"
-- content/organizations/a.md --
---
name: Org A
parent: Org B
---
-- content/organizations/b.md --
---
name: Org B
parent: Org C
---
-- content/organizations/c.md --
---
name: Org C
parent: Org A
---
-- content/organizations/d.md --
---
name: Org D
parent: Org A
---
-- content/forums/f.md --
---
title: F
date: 2025-10-20
organizers: [Org A, Org B, Org C, Org D]
---
"#,
    );
    let err = site.build_err();
    for expected in [
        "content/organizations/a.md:3:1: `parent` goes round in a circle: Org A is part of Org B, which is part of Org C, which is part of Org A",
        "content/organizations/b.md:3:1: `parent` goes round in a circle: Org B is part of Org C, which is part of Org A, which is part of Org B",
        "content/organizations/c.md:3:1: `parent` goes round in a circle: Org C is part of Org A, which is part of Org B, which is part of Org C",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    assert!(!err.contains("organizations/d.md"), "{err}");
    assert_eq!(err.matches("goes round in a circle").count(), 3, "{err}");
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte() {
    let site = Site::new(GOOD);
    site.build();
    let before = site.tree();
    site.write("content/forums/broken.md", "---\ntitle: [unclosed\n---\n");
    site.build_err();
    assert_eq!(site.tree(), before, "public/ changed after a failed build");
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().contains("podium-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn deleted_reports_disappear_from_the_next_build() {
    let site = Site::new(GOOD);
    site.write(
        "content/forums/other.md",
        "---\ntitle: Other\ndate: 2024-01-01\n---\n",
    );
    site.build();
    assert!(site.exists("forums/other/index.html"));
    std::fs::remove_file(site.root().join("content/forums/other.md")).unwrap();
    site.build();
    assert!(!site.exists("forums/other/index.html"));
    assert!(site.exists("forums/good/index.html"));
}

#[test]
fn refuses_an_output_folder_podium_did_not_make() {
    let site = Site::new(GOOD);
    site.write("precious/notes.txt", "keep me");
    let mut options = site.options();
    options.output = Some(site.root().join("precious"));
    let err = podium::build(&options).unwrap_err();
    let text: String = err.iter().map(|d| d.render(false)).collect();
    assert!(
        text.contains("refusing to write the site into")
            && text.contains("no `.podium-output` file"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("precious/notes.txt")).unwrap(),
        "keep me"
    );
    for bad in [
        site.root().to_path_buf(),
        site.root().join("content"),
        site.root().join("content/forums/x"),
    ] {
        options.output = Some(bad.clone());
        assert!(podium::build(&options).is_err(), "{}", bad.display());
    }
    assert!(site.root().join("content/forums/good.md").exists());
}

#[test]
fn two_reports_claiming_one_page_name_both() {
    let site = Site::new(
        r#"
-- content/forums/2025/a.md --
---
title: A
date: 2025-01-01
slug: same
---
-- content/forums/2025/same.md --
---
title: B
date: 2025-01-01
---
"#,
    );
    let err = site.build_err();
    assert!(
        err.contains("content/forums/2025/a.md") && err.contains("content/forums/2025/same.md"),
        "{err}"
    );
    assert!(err.contains("forums/2025/same/index.html"), "{err}");
}

#[test]
fn hostile_slugs_and_aliases_are_refused() {
    for value in [
        "../../x",
        "/etc/x",
        "a/../../b",
        "..\\x",
        "C:\\x",
        "%2e%2e",
        ".",
        "..",
        "",
        "con",
        "nul.html",
        "x.",
    ] {
        let site = Site::new(&format!(
            "-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-01-01\nslug: '{value}'\n---\n"
        ));
        let err = site.build_err();
        assert!(
            err.contains("content/forums/a.md:4:1: invalid slug"),
            "{value}: {err}"
        );
    }
    let site = Site::new(
        "-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-01-01\naliases: [../../outside/]\n---\n",
    );
    assert!(site.build_err().contains("invalid alias"));
}

#[test]
fn crlf_bom_and_tabs_after_delimiters_just_work() {
    let site = Site::new("");
    site.write(
        "content/forums/crlf.md",
        "\u{feff}---  \r\ntitle: Windows\r\ndate: 2025-01-01\r\n---\t\r\nBody line\r\n",
    );
    site.build();
    let page = site.page("forums/crlf/index.html");
    assert_eq!(page.text("h1"), "Windows");
    assert!(!site.read("forums/crlf/index.html").contains('\r'));
}

#[test]
fn non_utf8_and_empty_files() {
    let site = Site::new(GOOD);
    std::fs::write(
        site.root().join("content/forums/latin1.md"),
        b"---\ntitle: Caf\xe9\n---\n",
    )
    .unwrap();
    std::fs::write(site.root().join("content/forums/empty.md"), b"").unwrap();
    let err = site.build_err();
    assert!(
        err.contains("content/forums/latin1.md:2:11: not valid UTF-8"),
        "{err}"
    );
    std::fs::remove_file(site.root().join("content/forums/latin1.md")).unwrap();
    let warnings = site.warnings();
    assert!(
        warnings.contains("content/forums/empty.md:1:1: skipped: the file is empty"),
        "{warnings}"
    );
}

#[test]
fn yaml_bombs_and_deep_nesting_fail_fast() {
    // Nine levels of nine aliases under `extra:` (free-form, so nothing stops it before the
    // parser expands it): about 387 million strings if expanded.
    let mut bomb = String::from(
        "---\ntitle: x\ndate: 2025-01-01\nextra:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
        let prev = ["a", "b", "c", "d", "e", "f", "g", "h"][i];
        bomb.push_str(&format!("  {name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    bomb.push_str("---\n");
    let site = Site::new("");
    site.write("content/forums/bomb.md", &bomb);
    site.write(
        "content/forums/deep.md",
        &format!("---\ntitle: {}\n---\n", "[".repeat(10_000)),
    );
    let started = std::time::Instant::now();
    let err = site.build_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert!(
        err.contains("content/forums/bomb.md:1:1: alias expansion limit exceeded"),
        "{err}"
    );
    assert!(
        err.contains("content/forums/deep.md:2:72: nesting too deep"),
        "{err}"
    );
}

#[test]
fn javascript_links_are_neutralised_and_warned() {
    let site = Site::new(
        "-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-01-01\n---\nSee [this](javascript:alert(1)).\n",
    );
    let warnings = site.warnings();
    assert!(
        warnings.contains("content/forums/a.md:5:5: link removed"),
        "{warnings}"
    );
    assert!(!site.read("forums/a/index.html").contains("javascript:"));
}

#[test]
fn broken_internal_links_are_warnings_with_positions() {
    let site = Site::new(
        "-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-01-01\n---\n\nSee [b](@/forums/nope.md) and [c](missing.md).\n",
    );
    let warnings = site.warnings();
    assert!(
        warnings.contains("content/forums/a.md:6:5: broken link"),
        "{warnings}"
    );
    assert!(
        warnings.contains("content/forums/a.md:6:31: broken link"),
        "{warnings}"
    );
}

/// A link's query and fragment stay on it; `@/` names files as well as pages; a link to a
/// draft says so, with what to do.
#[test]
fn links_to_files_with_a_query_or_from_a_bio_and_links_to_drafts() {
    let site = Site::new(
        r#"
-- content/forums/2025/p.md --
---
title: P
date: 2025-01-01
speakers: [Aygun Aliyeva]
---
The [programme](programme.pdf?download=1#page=2), the [draft](d.md) and [again](@/forums/2025/d).
-- content/forums/2025/d.md --
---
title: D
date: 2025-01-02
draft: true
---
-- content/forums/2025/programme.pdf --
pdf
-- content/speakers/aygun-aliyeva.md --
---
name: Aygun Aliyeva
---
Her [programme](@/forums/2025/programme.pdf).
"#,
    );
    let warnings = site.warnings();
    assert!(!warnings.contains("programme"), "{warnings}");
    for expected in [
        "content/forums/2025/p.md:6:55: broken link: `d.md` links to a draft (`draft: true`), which is not published",
        "broken link: `@/forums/2025/d` links to a draft (`draft: true`), which is not published",
        "help: publish the draft (remove its `draft: true`), or link to it once it is published",
    ] {
        assert!(
            warnings.contains(expected),
            "missing {expected:?} in:\n{warnings}"
        );
    }
    let report = site.page("forums/2025/p/index.html");
    assert!(report.link_to("/forums/2025/programme.pdf?download=1#page=2"));
    let speaker = site.page("speakers/aygun-aliyeva/index.html");
    assert!(speaker.link_to("/forums/2025/programme.pdf"));
}

#[test]
fn two_profiles_with_one_slug_are_told_at_the_slug() {
    let site = Site::new(
        "-- content/speakers/a.md --\n---\nname: Aygun Aliyeva\nslug: aliyev\n---\n-- content/speakers/b.md --\n---\nname: Tural Aliyev\nslug: aliyev\n---\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("content/speakers/b.md:3:1: `slug: aliyev` is the address of the speaker in content/speakers/a.md too"),
        "{err}"
    );
    assert!(
        err.contains("help: give one of them another `slug:`"),
        "{err}"
    );
}

#[test]
fn profiles_claiming_one_alias_and_unmentioned_profiles() {
    let site = Site::new(
        r#"
-- content/forums/a.md --
---
title: A
date: 2025-01-01
speakers: [Ann Lee]
---
-- content/speakers/ann-lee.md --
---
name: Ann Lee
aliases: [A. Lee]
---
-- content/speakers/arthur-lee.md --
---
name: Arthur Lee
aliases: [A. Lee]
---
"#,
    );
    let err = site.build_err();
    assert!(err.contains("content/speakers/arthur-lee.md:3:"), "{err}");
    assert!(
        err.contains("already names the speaker in content/speakers/ann-lee.md"),
        "{err}"
    );

    site.write(
        "content/speakers/arthur-lee.md",
        "---\nname: Arthur Lee\n---\n",
    );
    let warnings = site.warnings();
    assert!(
        warnings.contains(
            "content/speakers/arthur-lee.md:1:1: no report mentions the speaker `Arthur Lee`"
        ),
        "{warnings}"
    );
}

#[test]
fn unterminated_front_matter_points_at_its_opening() {
    let site = Site::new(
        "-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-01-01\n\nBody without a closing line.\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("content/forums/a.md:1:1: unterminated front matter"),
        "{err}"
    );
}

#[test]
fn wrong_types_and_tabs_are_positioned() {
    let site = Site::new(
        "-- content/forums/a.md --\n---\ntitle: [not, text]\ndate: 2025-01-01\n---\n-- content/forums/b.md --\n---\ntitle: B\nspeakers:\n\t- name: X\n---\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("content/forums/a.md:2:8: `title` must be text, not a list"),
        "{err}"
    );
    assert!(
        err.contains("content/forums/b.md:4:1: a tab in the front matter"),
        "{err}"
    );
    assert!(err.contains("not tabs"), "{err}");
}

#[test]
fn oversized_reports_are_refused_with_the_limit() {
    let site = Site::new(GOOD);
    let big = format!(
        "---\ntitle: Big\ndate: 2025-01-01\n---\n{}",
        "word ".repeat(10 * 1024 * 1024)
    );
    site.write("content/forums/big.md", &big);
    let started = std::time::Instant::now();
    let err = site.build_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert!(
        err.contains("content/forums/big.md:1:1: file is 50 MiB; the limit is 16 MiB"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_and_loops_are_errors() {
    let site = Site::new(GOOD);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\ndate: 2025-01-01\n---\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.root().join("content/forums/leak.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        site.root().join("content/forums"),
        site.root().join("content/forums/loop"),
    )
    .unwrap();
    // A linked folder out there, with links of its own inside: one error, none of its
    // contents read.
    let folder = outside.path().join("folder/deeper");
    std::fs::create_dir_all(&folder).unwrap();
    std::os::unix::fs::symlink("/tmp", folder.join("elsewhere")).unwrap();
    std::fs::write(folder.join("inside.md"), "---\ntitle: In\n---\n").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("folder"),
        site.root().join("content/static-outside"),
    )
    .unwrap();
    let err = site.build_err();
    assert!(
        err.contains("content/forums/leak.md:1:1: symlink points outside the site"),
        "{err}"
    );
    assert!(
        err.contains("content/static-outside:1:1: symlink points outside the site"),
        "{err}"
    );
    assert!(
        !err.contains("elsewhere") && !err.contains("inside.md"),
        "{err}"
    );
    assert!(err.contains("symlink loop"), "{err}");
    assert!(err.contains("help: remove the link"), "{err}");
    assert!(!site.exists("forums/leak/index.html"));
}

#[cfg(unix)]
#[test]
fn broken_and_unreadable_files_are_named() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::new(GOOD);
    std::os::unix::fs::symlink(
        site.root().join("nowhere.md"),
        site.root().join("content/forums/dangling.md"),
    )
    .unwrap();
    let locked = site.root().join("content/forums/locked.md");
    std::fs::write(&locked, "---\ntitle: L\ndate: 2025-01-01\n---\n").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let err = site.build_err();
    assert!(
        err.contains("content/forums/dangling.md:1:1: broken symlink"),
        "{err}"
    );
    // Root reads any file, so the permission case can only be checked as another user.
    if std::fs::read(&locked).is_err() {
        assert!(
            err.contains("content/forums/locked.md:1:1: cannot read"),
            "{err}"
        );
    }
}

#[test]
fn a_static_file_and_a_page_on_one_path_collide() {
    let site = Site::new(&format!(
        "{GOOD}-- content/static/forums/good/index.html --\n<p>stale</p>\n"
    ));
    let err = site.build_err();
    assert!(
        err.contains("content/forums/good.md")
            && err.contains("content/static/forums/good/index.html"),
        "{err}"
    );
}

#[test]
fn names_that_collide_on_case_insensitive_disks_are_refused() {
    let site = Site::new(&format!(
        "{GOOD}-- content/static/Style.css --\nbody {{}}\n"
    ));
    let err = site.build_err();
    assert!(err.contains("differ only in case"), "{err}");
}

#[test]
fn unknown_roles_and_kinds_get_hints() {
    let site = Site::new(
        "-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-01-01\nspeakers:\n  - name: X\n    role: moderater\n---\n-- content/organizations/o.md --\n---\nname: O\nkind: goverment\n---\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("content/forums/a.md:6:11: unknown role `moderater`")
            && err.contains("did you mean `moderator`?"),
        "{err}"
    );
    assert!(
        err.contains("content/organizations/o.md:3:1: unknown organization kind `goverment`")
            && err.contains("did you mean `government`?"),
        "{err}"
    );
}

#[test]
fn a_killed_build_leaves_a_staging_folder_that_the_next_build_clears() {
    let site = Site::new(GOOD);
    site.build();
    let leftover = site.root().join(".public.podium-staging-999999-1");
    std::fs::create_dir_all(leftover.join("forums")).unwrap();
    site.build();
    assert!(!leftover.exists());
}

#[test]
fn a_write_error_stops_the_build_once_and_leaves_the_output() {
    // A static file named `forums` takes the place the forum pages' folder needs: every
    // forum write fails like a full disk would. One error, a count of the rest, no change.
    let site = Site::new(GOOD);
    site.build();
    let before = site.tree();
    for i in 0..20 {
        site.write(
            &format!("content/forums/extra-{i}.md"),
            "---\ntitle: X\ndate: 2024-01-01\n---\n",
        );
    }
    site.write("content/static/forums", "not a folder");
    let err = site.build_err();
    let errors = err.matches("error:").count();
    assert!(errors <= 3, "{errors} errors:\n{err}");
    assert!(
        err.contains("nothing was changed in the output folder"),
        "{err}"
    );
    assert!(err.contains("more files were not written"), "{err}");
    assert_eq!(site.tree(), before);
}

#[test]
fn end_compares_moments_with_their_offsets_and_days_with_days() {
    let site = Site::new(
        "-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-10-20T10:00+04:00\nend: 2025-10-20T09:00+02:00\n---\n-- content/forums/b.md --\n---\ntitle: B\ndate: 2025-10-20 10:00\nend: 2025-10-20\n---\n",
    );
    // 09:00+02:00 is an hour after 10:00+04:00; a date-only end on the start's day is fine.
    site.build();
}

#[test]
fn missing_image_files_and_nested_typos_are_explained() {
    let site = Site::new(
        "-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-01-01\nimage: missing.jpg\n---\n-- content/speakers/x.md --\n---\nname: Other Person\n---\n",
    );
    let warnings = site.warnings();
    assert!(
        warnings.contains(
            "content/forums/a.md:4:8: `image`: `missing.jpg` names a file that does not exist; the page shows no picture"
        ),
        "{warnings}"
    );
    // The page shows no broken picture and shares no address that leads nowhere.
    let page = site.read("forums/a/index.html");
    assert!(!page.contains("missing.jpg"), "{page}");
    // The profile's file name finds it, but is not a spelling of the name.
    assert!(
        !site
            .read("speakers/other-person/index.html")
            .contains("Also written")
    );

    let site = Site::new(
        "-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-01-01\nspeakers:\n  - nmae: X\n---\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("content/forums/a.md:5:5: unknown field `nmae` in `speakers[0]`"),
        "{err}"
    );
    assert!(err.contains("did you mean `name`?"), "{err}");
    // `extra:` is not a field of a speaker entry: the help sends it to the top level.
    assert!(
        err.contains("free-form data belongs under the file's own `extra:`, at its top level"),
        "{err}"
    );
}

#[test]
fn two_reports_differing_only_in_case_are_one_error_naming_both_files() {
    let site = Site::new(
        r#"
-- content/forums/a/x.md --
---
title: X
date: 2025-01-01
---
-- content/forums/A/x.md --
---
title: Y
date: 2025-01-01
---
"#,
    );
    let err = site.build_err();
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert!(
        errors[0].contains(
            "content/forums/A/x.md and content/forums/a/x.md both write `forums/a/x/index.html`"
        ),
        "{err}"
    );
    assert!(!err.contains("calendar forums"), "{err}");
    let diags = podium::check(&site.options());
    assert_eq!(diags.error_count(), 1, "{diags:?}");
}

#[test]
fn an_unclosed_bracket_is_reported_where_it_opened_and_where_parsing_stopped() {
    let site = Site::new(&format!(
        "{GOOD}-- content/forums/b.md --\n---\ntitle: B\ndate: 2025-01-01\ntopics: [grants, youth\nspeakers: [Ana Lima]\n---\n"
    ));
    let err = site.build_err();
    assert!(
        err.contains("content/forums/b.md:4:9: a `[` list opened here is never closed (the parser gave up at line 5, column 9)"),
        "{err}"
    );
    assert!(err.contains("4 | topics: [grants, youth"), "{err}");
}

#[test]
fn a_build_in_a_folder_that_is_no_site_says_so_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let err = match podium::build(&podium::BuildOptions::new(dir.path())) {
        Ok(_) => panic!("a folder without content/ built"),
        Err(d) => d.iter().map(|d| d.render(false)).collect::<String>(),
    };
    assert!(err.contains("no content folder at"), "{err}");
    assert!(err.contains("pass --root"), "{err}");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["notes.txt"]);
}

#[test]
fn a_base_url_that_is_no_address_is_an_error_and_a_folder_in_another_script_is_encoded() {
    let with = |base: &str| {
        format!(
            "-- content/_index.md --\n---\ntitle: T\nbase_url: \"{base}\"\n---\n-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-01-01\n---\n"
        )
    };
    let err = Site::new(&with("https://exämple.org/")).build_err();
    assert!(
        err.contains("content/_index.md:3:1") && err.contains("ASCII form") && err.contains("xn--"),
        "{err}"
    );
    let err = Site::new(&with("https://example.org/%zz/")).build_err();
    assert!(
        err.contains("`%` not followed by two hexadecimal digits"),
        "{err}"
    );
    let site = Site::built(&with("https://example.org/arxiv-ü/"));
    let page = site.page("forums/a/index.html");
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        ["https://example.org/arxiv-%C3%BC/forums/a/"]
    );
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://example.org/arxiv-%C3%BC/</loc>")
    );
}

/// The YAML mistakes editors make most, each told on the line where it is, with what to
/// write instead, rather than where the YAML parser stopped.
#[test]
fn yaml_layout_mistakes_are_told_on_their_own_line_with_the_fix() {
    let site = Site::new(
        r#"
-- content/forums/colon.md --
---
title: Forum: the next step
date: 2025-01-02
---
-- content/forums/indented.md --
---
title: Indented
date: 2025-01-02
speakers:
  - name: Ann Lee
   title: Director
---
-- content/forums/no-colon.md --
---
title: No colon
date 2025-01-02
---
-- content/forums/runaway.md --
---
title: Runaway
date: 2025-01-02

The forum: a day of talks.

---
-- content/forums/twice.md --
---
title: Twice
date: 2025-01-02
speakers:
  - name: Ann Lee
    title: Director
    title: Chair
---
"#,
    );
    let err = site.build_err();
    for expected in [
        "content/forums/colon.md:2:13: the value of `title` has `: ` in it",
        "help: put the value in quotes: `title: \"Forum: the next step\"`",
        "content/forums/indented.md:6:4: `title:` is indented 3 spaces, which lines up with none of the fields above it",
        "4 spaces in, as `name:`",
        "content/forums/no-colon.md:3:1: `date 2025-01-02` has no `: ` after a field's name",
        "help: write a colon after the field's name: `date: 2025-01-02`",
        "content/forums/runaway.md:5:1: the front matter runs on into the report's text: its closing `---` is missing",
        "add a line `---` after the last field (line 3); the `---` on line 7 closed the front matter instead",
        "content/forums/twice.md:7:5: `title` is given twice in `speakers[0]` (lines 6 and 7)",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(!err.contains("mapping values are not allowed"), "{err}");
    assert!(!err.contains("add the closing quote or bracket"), "{err}");
    assert!(!site.out().exists());
}

/// One run tells every misspelt field of a file, each at its line, not only the first.
#[test]
fn every_misspelt_field_of_one_file_is_told_in_one_run() {
    let site = Site::new(
        "-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-01-01\nstauts: held\nvenu: Hall\nspeakers:\n  - name: Ann Lee\n    job: Chair\n---\n",
    );
    let err = site.build_err();
    for expected in [
        "content/forums/a.md:4:1: unknown field `stauts`",
        "did you mean `status`?",
        "content/forums/a.md:5:1: unknown field `venu`",
        "did you mean `venue`?",
        "content/forums/a.md:8:5: unknown field `job` in `speakers[0]`",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(!site.out().exists());
}

/// A person listed twice among a report's speakers (a line copied, a name typed again in
/// other case or spacing) is a warning at the repeat and shown once; the same person in
/// another role is not a repeat.
#[test]
fn a_speaker_listed_twice_is_a_warning_and_shown_once() {
    let site = Site::new(
        "-- content/_index.md --\n---\ntitle: T\n---\n-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-10-20\nspeakers:\n  - name: Ana Lima\n    title: Chair\n  - name: ana  lima\n  - name: Rui Costa\n  - name: Ana Lima\n    role: moderator\n---\n",
    );
    let warnings = site.warnings();
    assert!(
        warnings.contains("content/forums/a.md:7:5: `ana lima` is listed already among the speakers (line 5, as `Ana Lima`); shown once"),
        "{warnings}"
    );
    site.build();
    let api: serde_json::Value = serde_json::from_str(&site.read("api/speakers.json")).unwrap();
    let ana = api["items"]
        .as_array()
        .and_then(|all| all.iter().find(|s| s["name"] == "Ana Lima"))
        .cloned()
        .unwrap_or_else(|| panic!("{api}"));
    let appearances = ana["appearances"].as_array().map_or(0, Vec::len);
    assert_eq!(appearances, 2, "a speaker and a moderator: {ana}");
}

/// The same in a session: a panelist listed twice is a warning at the repeat and counted
/// once; the session's moderator also among its speakers is not a repeat.
#[test]
fn a_panelist_listed_twice_in_a_session_is_a_warning_and_shown_once() {
    let site = Site::new(
        "-- content/_index.md --\n---\ntitle: T\n---\n-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-10-20\nsessions:\n  - title: S1\n    moderator: Bo Ray\n    speakers: [Bo Ray, Ana Lima, ana  lima]\n---\n",
    );
    let warnings = site.warnings();
    assert!(
        warnings.contains("content/forums/a.md:7:34: `ana lima` is listed twice among this session's speakers; shown once"),
        "{warnings}"
    );
    site.build();
    let api: serde_json::Value = serde_json::from_str(&site.read("api/speakers.json")).unwrap();
    let count = |name: &str| {
        api["items"]
            .as_array()
            .and_then(|all| all.iter().find(|s| s["name"] == name))
            .and_then(|s| s["appearances"].as_array().map(Vec::len))
            .unwrap_or_else(|| panic!("{api}"))
    };
    assert_eq!(count("Ana Lima"), 1);
    assert_eq!(count("Bo Ray"), 2, "moderator and panelist");
}

/// A web address written without `https://` (`www.org.az`, `facebook.com/org`) would be a
/// page of this site that does not exist: it is a warning at the value, and linked in full.
#[test]
fn a_web_address_without_its_scheme_is_a_warning_and_linked_in_full() {
    let site = Site::new(
        "-- content/_index.md --\n---\ntitle: T\nbase_url: https://example.org/\n---\n-- content/organizations/org.md --\n---\nname: Org\nwebsite: www.org.az\nlinks: [facebook.com/org]\n---\n-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-10-20\norganizers: [Org]\nsource: {publisher: Trend, url: en.trend.az/news/1}\n---\n[The programme](programme.pdf)\n-- content/forums/programme.pdf --\n%PDF\n",
    );
    let warnings = site.warnings();
    for expected in [
        "content/organizations/org.md:3:10: `website`: `www.org.az` has no `https://`",
        "content/organizations/org.md:4:9: `links`: `facebook.com/org` has no `https://`",
        "content/forums/a.md:5:33: `source`: `en.trend.az/news/1` has no `https://`",
    ] {
        assert!(
            warnings.contains(expected),
            "missing {expected:?} in:\n{warnings}"
        );
    }
    assert!(!warnings.contains("programme.pdf"), "{warnings}");
    site.build();
    let org = site.read("organizations/org/index.html");
    assert!(org.contains("href=\"https://www.org.az\""), "{org}");
    assert!(org.contains("href=\"https://facebook.com/org\""), "{org}");
    assert!(
        site.read("forums/a/index.html")
            .contains("href=\"https://en.trend.az/news/1\"")
    );
    assert!(crate::support::dead_internal_links(&site.out(), "/").is_empty());
}

/// A session without a title is told at that session's entry, not at `sessions:`.
#[test]
fn a_session_without_a_title_is_told_at_its_entry() {
    let site = Site::new(
        "-- content/_index.md --\n---\ntitle: T\n---\n-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-10-20\nsessions:\n  - title: S1\n    speakers: [Bo Ray]\n  - speakers: [Ana Lima]\n---\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("content/forums/a.md:7:5: a session has no `title`"),
        "{err}"
    );
}
