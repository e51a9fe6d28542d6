//! `podium check`: everything `build` would report, nothing written, exit codes that tools
//! can rely on.

use crate::support::*;
use std::process::{Command, Output};

fn check(site: &Site, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_podium"))
        .args(["check", "--today", "2025-11-01", "--root"])
        .arg(site.root())
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

const WARNING_ONLY: &str = "-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-01-01\n---\nSee [x](@/forums/missing.md).\n";

#[test]
fn errors_fail_and_nothing_is_written() {
    let site = Site::new("-- content/forums/a.md --\n---\ntitle: A\ndate: 2025-13-45\n---\n");
    let out = check(&site, &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "error: content/forums/a.md:3:1: `date`: `2025-13-45` is no date: there is no month 13"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("3 | date: 2025-13-45"), "{stderr}");
    assert!(stderr.contains("1 error(s)"), "{stderr}");
    assert!(!site.out().exists(), "check wrote output");
    assert!(!stderr.contains("\x1b["), "no colours off a terminal");
}

#[test]
fn warnings_pass_unless_denied() {
    let site = Site::new(WARNING_ONLY);
    let out = check(&site, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("warning: content/forums/a.md:5:5: broken link")
    );
    assert_eq!(check(&site, &["--deny-warnings"]).status.code(), Some(1));
    assert!(!site.out().exists());
}

#[test]
fn json_diagnostics_for_editors() {
    let site = Site::new(&format!(
        "{WARNING_ONLY}-- content/forums/b.md --\n---\ntitle: B\ntittle: C\n---\n"
    ));
    let out = check(&site, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let list = list.as_array().unwrap();
    let unknown = list
        .iter()
        .find(|d| d["message"] == "unknown field `tittle`")
        .expect("the unknown field");
    assert_eq!(unknown["severity"], "error");
    assert_eq!(unknown["span"]["file"], "content/forums/b.md");
    assert_eq!(unknown["span"]["line"], 3);
    assert_eq!(unknown["span"]["col"], 1);
    assert!(
        unknown["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `title`?")
    );

    let warning_only = Site::new(WARNING_ONLY);
    let out = check(&warning_only, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(list[0]["severity"], "warning", "{list}");
    assert_eq!(list[0]["span"]["line"], 5, "{list}");
}

#[test]
fn check_and_build_report_the_same_problems() {
    let site = Site::new("-- content/forums/a.md --\n---\ntitle: A\nstatus: done\n---\n");
    let from_check: String = podium::check(&site.options())
        .iter()
        .map(|d| d.render(false))
        .collect();
    assert_eq!(from_check, site.build_err());
}

#[test]
fn a_bad_today_is_a_usage_error() {
    let site = Site::new(WARNING_ONLY);
    let out = Command::new(env!("CARGO_BIN_EXE_podium"))
        .args(["check", "--today", "someday", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// The `podium` binary run with `args`, and what it printed.
fn podium(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_podium"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn init_and_new_forum_make_files_that_build_without_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let init = podium(&["init", site.to_str().unwrap(), "--theme"]);
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    assert!(
        site.join("themes/default/templates/forum.html").exists(),
        "--theme unpacks the templates"
    );
    let ignored = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    for line in ["/public/", "/.public.podium/"] {
        assert!(
            ignored.lines().any(|l| l == line),
            "{line} not in {ignored}"
        );
    }
    let new_susa_forum = || {
        podium(&[
            "new",
            "forum",
            "Şuşa Youth Forum: \"Next\" steps",
            "--date",
            "2026-05-04",
            "--city",
            "Şuşa",
            "--root",
            site.to_str().unwrap(),
        ])
    };
    let new = new_susa_forum();
    assert!(
        new.status.success(),
        "{}",
        String::from_utf8_lossy(&new.stderr)
    );
    let report = site.join("content/forums/2026/susa-youth-forum-next-steps.md");
    assert!(report.exists());
    // Run inside `content/`, `new` makes no second `content/` there: it names the site.
    let inside = site.join("content");
    let stray = podium(&["new", "forum", "Stray", "--root", inside.to_str().unwrap()]);
    assert_eq!(stray.status.code(), Some(1));
    let said = String::from_utf8_lossy(&stray.stderr);
    assert!(
        said.contains("is not a site's folder") && said.contains("--root"),
        "{said}"
    );
    assert!(!inside.join("content").exists());
    let undated = podium(&[
        "new",
        "forum",
        "Later forum",
        "--root",
        site.to_str().unwrap(),
    ]);
    assert!(undated.status.success());
    assert!(
        std::fs::read_to_string(site.join("content/forums/announced/later-forum.md"))
            .unwrap()
            .contains("status: announced")
    );

    // Nothing is ever overwritten.
    std::fs::write(&report, "my own words").unwrap();
    let again = podium(&[
        "new",
        "forum",
        "Şuşa Youth Forum: \"Next\" steps",
        "--date",
        "2026-05-04",
        "--root",
        site.to_str().unwrap(),
    ]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&report).unwrap(), "my own words");
    assert!(
        !podium(&["init", site.to_str().unwrap()]).status.success(),
        "init refuses an existing site"
    );
    std::fs::remove_file(&report).unwrap();
    new_susa_forum();

    let options = podium::BuildOptions {
        root: site.clone(),
        output: None,
        today: podium::Today::Fixed(jiff::civil::date(2026, 5, 1)),
        progress: false,
    };
    let report = podium::build(&options)
        .unwrap_or_else(|d| panic!("{}", d.iter().map(|d| d.render(false)).collect::<String>()));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let html = std::fs::read_to_string(
        site.join("public/forums/2026/susa-youth-forum-next-steps/index.html"),
    )
    .unwrap();
    assert!(
        html.contains("Şuşa Youth Forum: &quot;Next&quot; steps")
            || html.contains("Şuşa Youth Forum: \"Next\" steps"),
        "{html}"
    );
}

/// `init --theme` never overwrites a theme the editor has; `new forum` writes no status (the
/// date decides it), keeps a time given with the date, and refuses an address another
/// report has.
#[test]
fn init_and_new_forum_overwrite_nothing_and_write_what_was_asked() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let own = site.join("themes/default/templates/base.html");
    std::fs::create_dir_all(own.parent().unwrap()).unwrap();
    std::fs::write(&own, "MY OWN TEMPLATE").unwrap();
    std::fs::write(site.join(".gitignore"), "notes/\n").unwrap();
    let refused = podium(&["init", site.to_str().unwrap(), "--theme"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("nothing was changed"));
    assert_eq!(std::fs::read_to_string(&own).unwrap(), "MY OWN TEMPLATE");
    assert!(!site.join("content").exists());
    let init = podium(&["init", site.to_str().unwrap()]);
    assert!(init.status.success());
    let said = String::from_utf8_lossy(&init.stdout);
    assert!(said.contains("added the build's folders to"), "{said}");
    assert!(
        std::fs::read_to_string(site.join(".gitignore"))
            .unwrap()
            .starts_with("notes/\n")
    );
    assert_eq!(std::fs::read_to_string(&own).unwrap(), "MY OWN TEMPLATE");

    let root = site.to_str().unwrap();
    let later = podium(&[
        "new",
        "forum",
        "Later Forum",
        "--date",
        "2099-03-03",
        "--root",
        root,
    ]);
    assert!(
        later.status.success(),
        "{}",
        String::from_utf8_lossy(&later.stderr)
    );
    let text = std::fs::read_to_string(site.join("content/forums/2099/later-forum.md")).unwrap();
    assert!(!text.lines().any(|l| l.starts_with("status:")), "{text}");
    let timed = podium(&[
        "new",
        "forum",
        "Timed Forum",
        "--date",
        "2025-10-20T10:00+04:00",
        "--root",
        root,
    ]);
    assert!(
        timed.status.success(),
        "{}",
        String::from_utf8_lossy(&timed.stderr)
    );
    let text = std::fs::read_to_string(site.join("content/forums/2025/timed-forum.md")).unwrap();
    assert!(text.contains("date: 2025-10-20T10:00+04:00"), "{text}");
    assert_eq!(
        podium(&["new", "forum", "X", "--date", "tomorrow", "--root", root])
            .status
            .code(),
        Some(2)
    );
    std::fs::write(
        site.join("content/forums/2025/Xankendi Forum.md"),
        "---\ntitle: Xankendi Forum\ndate: 2025-03-03\n---\nText.\n",
    )
    .unwrap();
    let taken = podium(&[
        "new",
        "forum",
        "Xankəndi Forum",
        "--date",
        "2025-03-03",
        "--root",
        root,
    ]);
    assert_eq!(taken.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&taken.stderr).contains("already has this report's address"));

    // (A theme folder of the default's name holding one template is the whole theme.)
    std::fs::remove_dir_all(site.join("themes")).unwrap();
    let options = podium::BuildOptions {
        root: site.clone(),
        output: None,
        today: podium::Today::Fixed(jiff::civil::date(2026, 5, 1)),
        progress: false,
    };
    podium::build(&options)
        .unwrap_or_else(|d| panic!("{}", d.iter().map(|d| d.render(false)).collect::<String>()));
    let api = std::fs::read_to_string(site.join("public/api/forums.json")).unwrap();
    let forums: serde_json::Value = serde_json::from_str(&api).unwrap();
    let later = forums
        .as_array()
        .or_else(|| forums["items"].as_array())
        .unwrap()
        .iter()
        .find(|f| f["title"] == "Later Forum")
        .unwrap()
        .clone();
    assert_eq!(later["status"], "announced", "{later}");
}
