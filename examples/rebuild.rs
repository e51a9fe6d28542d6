//! How long `podium serve` takes from a saved report to the new site in memory, for
//! `docs/benchmarks.md`: build once, then edit one report `N` times (its body, then its
//! title), rebuilding after each save exactly as the dev server does, and print each time.
//!
//! `cargo run --release --example rebuild -- <site root> [N]`
//! The report is restored afterwards. The watcher's wait for a burst to end (30 ms) comes on
//! top; `bench/serve.py` measures the whole loop through a real server.

use podium::serve::{site, watch::Change};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = std::path::PathBuf::from(args.next().expect("usage: rebuild <site root> [N]"));
    let root = root.canonicalize().expect("the site folder");
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
    let mut options = podium::BuildOptions::new(&root);
    options.today = podium::Today::Fixed(jiff::civil::date(2025, 11, 1));
    let mut builder = site::Builder::new(options);
    let mut snapshot = site::Snapshot::default();
    let started = Instant::now();
    let everything = Change {
        paths: Vec::new(),
        rescan: true,
        watcher_failed: false,
    };
    let (pages, rest) = rebuild(&mut builder, &mut snapshot, &everything);
    println!(
        "first build: {} ms (entity pages {pages:.0} ms, site-wide files {rest:.0} ms)",
        started.elapsed().as_millis()
    );

    let report = walkdir::WalkDir::new(root.join("content/forums"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .find(|e| {
            e.path().extension().is_some_and(|x| x == "md")
                && !e.file_name().to_string_lossy().starts_with('_')
        })
        .expect("a report")
        .into_path();
    let original = std::fs::read_to_string(&report).unwrap();
    let _restore = Restore(report.clone(), original.clone());
    let saved = Change {
        paths: vec![report.clone()],
        rescan: false,
        watcher_failed: false,
    };
    for (what, edit) in [
        ("body", edit_body as fn(&str, usize) -> String),
        ("title", edit_title),
    ] {
        let mut times = Vec::new();
        let mut rests = Vec::new();
        for round in 0..rounds {
            std::fs::write(&report, edit(&original, round)).unwrap();
            let (pages, rest) = rebuild(&mut builder, &mut snapshot, &saved);
            times.push(pages);
            rests.push(rest);
        }
        times.sort_by(f64::total_cmp);
        rests.sort_by(f64::total_cmp);
        println!(
            "save ({what}) -> its page rebuilt: median {:.1} ms (min {:.1}, max {:.1}); every other step: median {:.0} ms",
            times[times.len() / 2],
            times[0],
            times[times.len() - 1],
            rests[rests.len() / 2],
        );
    }
    std::fs::write(&report, &original).unwrap();
    rebuild(&mut builder, &mut snapshot, &saved);

    // A new report beside it (the same people, another title and address), then deleted.
    let added = report.with_file_name("zz-added-by-the-rebuild-example.md");
    let _remove = Remove(added.clone());
    let change = Change {
        paths: vec![added.clone()],
        rescan: false,
        watcher_failed: false,
    };
    for what in ["new", "deleted"] {
        let mut times = Vec::new();
        let mut rests = Vec::new();
        for round in 0..rounds {
            if what == "new" {
                std::fs::write(&added, edit_title(&original, round)).unwrap();
            } else {
                std::fs::write(&added, edit_title(&original, round)).unwrap();
                rebuild(&mut builder, &mut snapshot, &change);
                std::fs::remove_file(&added).unwrap();
            }
            let (pages, rest) = rebuild(&mut builder, &mut snapshot, &change);
            times.push(pages);
            rests.push(rest);
            if what == "new" {
                std::fs::remove_file(&added).unwrap();
                rebuild(&mut builder, &mut snapshot, &change);
            }
        }
        times.sort_by(f64::total_cmp);
        rests.sort_by(f64::total_cmp);
        println!(
            "{what} report -> first step: median {:.1} ms (min {:.1}, max {:.1}); every other step: median {:.0} ms",
            times[times.len() / 2],
            times[0],
            times[times.len() - 1],
            rests[rests.len() / 2],
        );
    }
}

/// Deletes the added report, also when a build panics.
struct Remove(std::path::PathBuf);

impl Drop for Remove {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Puts the report back as it was, also when a build panics.
struct Restore(std::path::PathBuf, String);

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = std::fs::write(&self.0, &self.1);
    }
}

/// Every step of a `serve` rebuild; returns the milliseconds of the first and of the rest.
fn rebuild(
    builder: &mut site::Builder,
    snapshot: &mut site::Snapshot,
    change: &Change,
) -> (f64, f64) {
    let built = builder.rebuild(change, snapshot);
    let fresh = match built.result {
        Ok(fresh) => fresh,
        Err(e) => panic!("build failed: {e:?}"),
    };
    eprintln!("  {} made first ({})", fresh.rendered, fresh.how.describe());
    *snapshot = site::Snapshot {
        files: fresh.files,
        base_path: fresh.base_path,
        errors: None,
        version: snapshot.version + 1,
        pending: Some(std::sync::Arc::new(fresh.pending)),
    };
    let started = Instant::now();
    while let Some(step) = builder.next_step(snapshot) {
        let step = step.expect("a step");
        snapshot.files = step.files;
        snapshot.pending = step.pending.map(std::sync::Arc::new);
        eprintln!(
            "    then {} ({:.0} ms in)",
            step.made,
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    (
        built.elapsed.as_secs_f64() * 1000.0,
        started.elapsed().as_secs_f64() * 1000.0,
    )
}

fn edit_body(text: &str, round: usize) -> String {
    format!("{text}\nAn added sentence, number {round}.\n")
}

fn edit_title(text: &str, round: usize) -> String {
    text.replacen("title: \"", &format!("title: \"Edited {round} "), 1)
}
