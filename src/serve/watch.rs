//! Watching the site for changes: `content/` and `themes/`, with notify, debounced.
//!
//! Editors save in many ways: in place, by writing a temporary file and renaming it over the
//! original (vim, most IDEs), by deleting and recreating. The debouncer folds each burst into
//! one batch; batches made only of editors' temporary files (`.x.md.swp`, `4913`, `x.md~`,
//! ...) are ignored, so they never trigger a rebuild. If the system watcher cannot start
//! (inotify limits), or `--poll` asks for it, a polling watcher that compares contents takes
//! over.
//!
//! A site may have no `themes/` (or no `content/`) when `serve` starts; the site's own folder
//! is then watched too, for that folder alone, and once it appears the watcher starts again
//! with it (and the site is read again whole: files saved into it meanwhile were not seen).
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

/// How long the watcher lets a file's events settle before reporting them. Saves by rename
/// (vim, IDEs) land within a few milliseconds; a longer wait would be most of the time from
/// save to page. (The debouncer reports each file once its own events are this old, so a
/// burst over many files comes in several batches: see `QUIET`.)
const DEBOUNCE: Duration = Duration::from_millis(20);
/// How long the rebuild loop waits for further batches before it starts: after a batch of
/// several files (a `git checkout` of 200 files is one rebuild, not one per batch), and after
/// a batch of one (its later events, a fix right after a typo, come a tick later).
pub const QUIET: Duration = Duration::from_millis(25);
pub const QUIET_AFTER_ONE: Duration = Duration::from_millis(8);
/// The longest a stream of batches can hold a rebuild back.
pub const MOST_QUIET_WAIT: Duration = Duration::from_millis(500);
/// How often `--poll` looks.
const POLL_INTERVAL: Duration = Duration::from_millis(400);

/// Keeps the watcher alive; dropping it stops watching.
pub struct Watching {
    _watcher: Box<dyn std::any::Any + Send>,
    /// Polling rather than the system's file events.
    pub polling: bool,
    /// Why the system watcher could not be used, and what to do about it.
    pub warning: Option<String>,
    /// The watched folders (`content/`, `themes/`) that did not exist when watching began.
    missing: Vec<PathBuf>,
}

/// Wait for `first` to be followed by a quiet moment (`QUIET`, or `QUIET_AFTER_ONE` while
/// only one file changed), folding in every batch that comes meanwhile, for at most
/// `MOST_QUIET_WAIT`.
pub fn gather(first: Change, changes: &std::sync::mpsc::Receiver<Change>) -> Change {
    let mut change = first;
    let deadline = std::time::Instant::now() + MOST_QUIET_WAIT;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let quiet = if change.rescan || change.paths.len() > 1 {
            QUIET
        } else {
            QUIET_AFTER_ONE
        };
        match changes.recv_timeout(quiet.min(left)) {
            Ok(later) => change.merge(later),
            Err(_) => return change,
        }
        if left.is_zero() {
            return change;
        }
    }
}

/// One batch of changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// The files and folders touched (editors' temporary files left out).
    pub paths: Vec<PathBuf>,
    /// The watcher lost track (an overflowing event queue): anything may have changed.
    pub rescan: bool,
    /// The system watcher cannot cover the site any more (out of inotify watches, say):
    /// `keep_watching` switches to polling.
    pub watcher_failed: bool,
}

impl Change {
    /// Fold a later batch into this one.
    pub fn merge(&mut self, later: Change) {
        self.rescan |= later.rescan;
        self.watcher_failed |= later.watcher_failed;
        for p in later.paths {
            if !self.paths.contains(&p) {
                self.paths.push(p);
            }
        }
    }
}

/// What a watcher reports to: one debounced batch of events at a time.
type Handler = Box<dyn FnMut(DebounceEventResult) + Send>;

/// Starts the system's watcher on `folders`, each with or without what is inside it; fails
/// when it cannot (inotify limits, ...).
pub type StartNative =
    fn(&[(PathBuf, RecursiveMode)], Handler) -> Result<Box<dyn std::any::Any + Send>, String>;

/// The folders a site's sources are in.
const WATCHED: [&str; 2] = ["content", "themes"];

/// Start watching; each relevant batch of changes sends one `Change`.
pub fn watch(root: &Path, poll: bool, changed: Sender<Change>) -> anyhow::Result<Watching> {
    watch_with(root, poll, changed, start_native)
}

/// `watch`, with the system watcher started by `native` (tests inject a failing one).
pub fn watch_with(
    root: &Path,
    poll: bool,
    changed: Sender<Change>,
    native: StartNative,
) -> anyhow::Result<Watching> {
    let (present, missing): (Vec<PathBuf>, Vec<PathBuf>) = WATCHED
        .iter()
        .map(|f| root.join(f))
        .partition(|p| p.is_dir());
    let mut folders: Vec<(PathBuf, RecursiveMode)> = present
        .into_iter()
        .map(|p| (p, RecursiveMode::Recursive))
        .collect();
    if !missing.is_empty() {
        // Only to see the missing folders made (`batch_handler` keeps nothing else of it).
        folders.push((root.to_path_buf(), RecursiveMode::NonRecursive));
    }
    let handler = batch_handler(root.to_path_buf(), changed);
    let mut warning = None;
    if !poll {
        match native(&folders, Box::new(handler.clone())) {
            Ok(watcher) => {
                return Ok(Watching {
                    _watcher: watcher,
                    polling: false,
                    warning: None,
                    missing,
                });
            }
            Err(why) => {
                warning = Some(format!(
                    "cannot watch the site with file-system events ({why}); polling every {} ms instead\n  help: raise fs.inotify.max_user_watches (sysctl), or pass --poll to choose polling",
                    POLL_INTERVAL.as_millis()
                ));
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
    for (folder, mode) in &folders {
        debouncer.watch(folder, *mode)?;
    }
    Ok(Watching {
        _watcher: Box::new(debouncer),
        polling: true,
        warning,
        missing,
    })
}

/// The system's watcher (inotify, FSEvents, ...), debounced.
fn start_native(
    folders: &[(PathBuf, RecursiveMode)],
    handler: Handler,
) -> Result<Box<dyn std::any::Any + Send>, String> {
    let mut debouncer = new_debouncer(DEBOUNCE, None, handler).map_err(|e| e.to_string())?;
    for (folder, mode) in folders {
        debouncer
            .watch(folder, *mode)
            .map_err(|e| format!("{}: {e}", folder.display()))?;
    }
    Ok(Box::new(debouncer))
}

/// Turns each debounced batch into a `Change` (or nothing, for a batch of temporary files
/// and reads) and sends it.
fn batch_handler(
    root: PathBuf,
    changed: Sender<Change>,
) -> impl FnMut(DebounceEventResult) + Clone + Send + 'static {
    move |result: DebounceEventResult| match result {
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
                    let inside = p.strip_prefix(&root).unwrap_or(p);
                    // Of the site's own folder, only `content` and `themes` themselves.
                    let beside_sources = p.parent() == Some(root.as_path())
                        && !WATCHED.iter().any(|f| inside == Path::new(f));
                    !beside_sources
                        && p.as_path() != root.as_path()
                        && !inside
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
            let mut failed = false;
            for e in &errors {
                eprintln!("watch error: {e}");
                failed |= matches!(e.kind, notify::ErrorKind::MaxFilesWatch)
                    || matches!(&e.kind, notify::ErrorKind::Io(io) if io.raw_os_error() == Some(28));
            }
            // Whatever the errors hid may have changed: read everything again.
            let _ = changed.send(Change {
                paths: Vec::new(),
                rescan: true,
                watcher_failed: failed,
            });
        }
    }
}

/// After a batch that says the system watcher failed, poll instead (and say why, with the
/// fix); once a folder missing at the start is there, watch it too (and mark `change` to read
/// the whole site again). Anything else leaves `watching` as it is.
pub fn keep_watching(
    watching: &mut Watching,
    change: &mut Change,
    root: &Path,
    changed: &Sender<Change>,
) -> anyhow::Result<()> {
    if watching.missing.iter().any(|f| f.is_dir()) {
        *watching = watch(root, watching.polling, changed.clone())?;
        change.rescan = true;
        return Ok(());
    }
    if !change.watcher_failed || watching.polling {
        return Ok(());
    }
    *watching = watch(root, true, changed.clone())?;
    eprintln!(
        "warning: the system watcher cannot cover the site any more; polling every {} ms instead\n  help: raise fs.inotify.max_user_watches (sysctl), or start with --poll",
        POLL_INTERVAL.as_millis()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refuse(
        _: &[(PathBuf, RecursiveMode)],
        _: Handler,
    ) -> Result<Box<dyn std::any::Any + Send>, String> {
        Err(notify::Error::new(notify::ErrorKind::MaxFilesWatch).to_string())
    }

    #[test]
    fn a_themes_folder_made_after_the_start_is_watched_from_then_on() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("content")).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let mut watching = watch(site.path(), false, tx.clone()).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        // A file beside the sources is nobody's business.
        std::fs::write(site.path().join("notes.txt"), "x").unwrap();
        let themes = site.path().join("themes");
        std::fs::create_dir_all(themes.join("mine")).unwrap();
        let mut change = rx.recv_timeout(Duration::from_secs(5)).expect("a change");
        assert!(change.paths.contains(&themes), "{change:?}");
        assert!(
            !change.paths.iter().any(|p| p.ends_with("notes.txt")),
            "{change:?}"
        );
        keep_watching(&mut watching, &mut change, site.path(), &tx).unwrap();
        assert!(change.rescan, "the site is read again whole");
        assert!(watching.missing.is_empty());
        std::thread::sleep(Duration::from_millis(100));
        while rx.try_recv().is_ok() {}
        let template = themes.join("mine/page.html");
        std::fs::write(&template, "x").unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            let change = rx
                .recv_timeout(deadline.saturating_duration_since(std::time::Instant::now()))
                .expect("the save inside the new folder is seen");
            if change.paths.contains(&template) {
                break;
            }
        }
    }

    #[test]
    fn a_failing_system_watcher_falls_back_to_polling_that_still_sees_saves() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("content")).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let watching = watch_with(site.path(), false, tx, refuse).unwrap();
        assert!(watching.polling);
        let warning = watching.warning.clone().unwrap();
        assert!(
            warning.contains("max_user_watches") && warning.contains("--poll"),
            "{warning}"
        );
        std::thread::sleep(Duration::from_millis(100));
        let report = site.path().join("content/new.md");
        std::fs::write(&report, "---\ntitle: New\n---\n").unwrap();
        let change = rx.recv_timeout(Duration::from_secs(5)).expect("a change");
        assert!(change.paths.contains(&report), "{change:?}");
    }

    #[test]
    fn a_watcher_that_fails_while_running_is_replaced_by_polling() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("content")).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let mut watching = watch(site.path(), false, tx.clone()).unwrap();
        assert!(!watching.polling);
        // The system runs out of watches: the handler is told so.
        let mut handler = batch_handler(site.path().to_path_buf(), tx.clone());
        let limit = notify::Error::new(notify::ErrorKind::MaxFilesWatch);
        handler(Err(vec![limit]));
        let mut change = rx.recv_timeout(Duration::from_secs(1)).unwrap();
        assert!(change.watcher_failed && change.rescan, "{change:?}");
        keep_watching(&mut watching, &mut change, site.path(), &tx).unwrap();
        assert!(watching.polling);
        // Saves are still seen.
        std::thread::sleep(Duration::from_millis(100));
        let report = site.path().join("content/later.md");
        std::fs::write(&report, "---\ntitle: Later\n---\n").unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            let change = rx.recv_timeout(Duration::from_secs(5)).expect("a change");
            if change.paths.contains(&report) {
                break;
            }
            assert!(std::time::Instant::now() < deadline);
        }
    }
}
