//! Watching the site for changes: `content/` and `themes/`, with notify, debounced.
//!
//! Editors save in many ways: in place, by writing a temporary file and renaming it over the
//! original (vim, most IDEs), by deleting and recreating. The debouncer folds each burst into
//! one batch; batches made only of editors' temporary files (`.x.md.swp`, `4913`, `x.md~`,
//! ...) are ignored, so they never trigger a rebuild. If the system watcher cannot start
//! (inotify limits), or `--poll` asks for it, a polling watcher that compares contents takes
//! over.
//!
//! Each batch names the files it touched, so a save of one report can be rebuilt from that
//! report alone; a batch the system could not describe (a queue overflow asks for a rescan)
//! says so, and the whole site is read again.

use crate::load::walk::is_temporary;
use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer, new_debouncer_opt};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// How long the watcher waits for a burst of changes to end before the rebuild starts. Saves
/// by rename (vim, IDEs) and `git checkout` land within a few milliseconds; a longer wait
/// would be most of the time from save to page.
const DEBOUNCE: Duration = Duration::from_millis(30);
/// How often `--poll` looks.
const POLL_INTERVAL: Duration = Duration::from_millis(400);

/// Keeps the watcher alive; dropping it stops watching.
pub struct Watching(#[allow(dead_code)] Box<dyn std::any::Any + Send>);

/// One batch of changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// The files and folders touched (editors' temporary files left out).
    pub paths: Vec<PathBuf>,
    /// The watcher lost track (an overflowing event queue): anything may have changed.
    pub rescan: bool,
}

impl Change {
    /// Fold a later batch into this one.
    pub fn merge(&mut self, later: Change) {
        self.rescan |= later.rescan;
        for p in later.paths {
            if !self.paths.contains(&p) {
                self.paths.push(p);
            }
        }
    }
}

/// Start watching; each relevant batch of changes sends one `Change`.
pub fn watch(root: &Path, poll: bool, changed: Sender<Change>) -> anyhow::Result<Watching> {
    let folders: Vec<PathBuf> = ["content", "themes"]
        .iter()
        .map(|f| root.join(f))
        .filter(|p| p.is_dir())
        .collect();
    let root = root.to_path_buf();
    let handler = move |result: DebounceEventResult| match result {
        Ok(events) => {
            let mut change = Change::default();
            // Reading files (the build itself does) is reported as access: not a change.
            for event in events
                .iter()
                .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)))
            {
                change.rescan |= event.need_rescan() || event.paths.is_empty();
                // Only the part below the site root counts: the root itself may well live
                // in a hidden folder (`/tmp/.tmpXyz`).
                let wanted = event.paths.iter().filter(|p| {
                    !p.strip_prefix(&root)
                        .unwrap_or(p)
                        .components()
                        .any(|c| c.as_os_str().to_str().is_some_and(is_temporary))
                });
                for p in wanted {
                    if !change.paths.contains(p) {
                        change.paths.push(p.clone());
                    }
                }
            }
            if change.rescan || !change.paths.is_empty() {
                let _ = changed.send(change);
            }
        }
        Err(errors) => {
            for e in errors {
                eprintln!("watch error: {e}");
            }
        }
    };
    if !poll {
        let handler = handler.clone();
        match new_debouncer(DEBOUNCE, None, handler) {
            Ok(mut debouncer) => {
                let mut ok = true;
                for folder in &folders {
                    if let Err(e) = debouncer.watch(folder, RecursiveMode::Recursive) {
                        eprintln!("cannot watch {}: {e}", folder.display());
                        eprintln!(
                            "  help: raise fs.inotify.max_user_watches, or use --poll; falling back to polling"
                        );
                        ok = false;
                    }
                }
                if ok {
                    return Ok(Watching(Box::new(debouncer)));
                }
            }
            Err(e) => {
                eprintln!("cannot start the file watcher: {e}");
                eprintln!(
                    "  help: raise fs.inotify.max_user_watches, or use --poll; falling back to polling"
                );
            }
        }
    }
    let config = notify::Config::default()
        .with_poll_interval(POLL_INTERVAL)
        .with_compare_contents(true);
    let mut debouncer = new_debouncer_opt::<_, notify::PollWatcher, notify_debouncer_full::NoCache>(
        DEBOUNCE,
        None,
        handler,
        notify_debouncer_full::NoCache,
        config,
    )?;
    for folder in &folders {
        debouncer.watch(folder, RecursiveMode::Recursive)?;
    }
    Ok(Watching(Box::new(debouncer)))
}
