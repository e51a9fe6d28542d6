//! Which files of the previous output are still as the last build left them.
//!
//! A rebuild keeps a page whose inputs did not change only if the output still holds the
//! file the last build wrote there, untouched: same size and modification time as the
//! manifest recorded. That is one `stat` per file, 355,000 at 100,000 reports. Asked page by
//! page while rendering, in the order of the pages, they cost about a second of CPU in the
//! middle of the render, both cores walking the kernel's directory cache in no useful order.
//! So they are all looked at on a thread of their own as soon as the build knows it will
//! run (some source changed), in the order of their paths (a folder's files one after
//! another: half the kernel's time per file), while loading and the model leave a core idle
//! part of the time; rendering then only asks the answer.
//!
//! A file edited by hand while the build runs may be seen either way, as before: the
//! manifest keeps the stamp the last build wrote, so the next build sees the edit and puts
//! the file back.

use super::contained_path;
use super::manifest::{Entry, Manifest, Stamp};
use rustc_hash::FxHashSet;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;

/// The look at the previous output's files: running, or done.
#[derive(Debug)]
pub(super) struct Sweep {
    running: Mutex<Option<JoinHandle<FxHashSet<String>>>>,
    /// The paths of the files no longer as the manifest says (changed, replaced, gone);
    /// `None` if the look could not be made (no thread to make it on, or it panicked):
    /// each file is then looked at when asked about.
    touched: OnceLock<Option<FxHashSet<String>>>,
}

impl Sweep {
    /// Start looking at every file `previous` lists, in the output folder `out`.
    pub(super) fn start(out: &Path, previous: &Arc<Manifest>) -> Sweep {
        if previous.files.is_empty() {
            return Sweep::done(Some(FxHashSet::default()));
        }
        let (out, previous) = (out.to_path_buf(), Arc::clone(previous));
        let spawned = std::thread::Builder::new()
            .name("podium-output-sweep".into())
            .spawn(move || {
                yield_to_the_build();
                touched_files(&out, &previous)
            });
        match spawned {
            Ok(handle) => Sweep {
                running: Mutex::new(Some(handle)),
                touched: OnceLock::new(),
            },
            Err(_) => Sweep::done(None),
        }
    }

    /// No look: each file is looked at when asked about.
    pub(super) fn not_started() -> Sweep {
        Sweep::done(None)
    }

    fn done(touched: Option<FxHashSet<String>>) -> Sweep {
        Sweep {
            running: Mutex::new(None),
            touched: OnceLock::from(touched),
        }
    }

    /// The files no longer as the manifest says, once the look is done (waiting for it).
    pub(super) fn touched(&self) -> Option<&FxHashSet<String>> {
        self.touched
            .get_or_init(|| {
                let handle = self
                    .running
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .take()?;
                handle.join().ok()
            })
            .as_ref()
    }

    /// Whether the file at `path`, which the manifest lists with `entry`, is still as the
    /// manifest says.
    pub(super) fn untouched(&self, out: &Path, path: &str, entry: &Entry) -> bool {
        match self.touched() {
            Some(touched) => !touched.contains(path),
            None => still_there(out, path, entry),
        }
    }

    /// Wait for the look to be done, so that it no longer holds the manifest.
    pub(super) fn finish(&self) {
        let _ = self.touched();
    }
}

/// Let the build's own threads go first: the look runs on what CPU they leave idle (loading
/// waits on reads, the model registers names on one core), and when rendering asks for its
/// answer before it is done, the thread that waits leaves it a core. On Linux a thread's
/// nice value is its own; elsewhere the look runs at the build's priority.
fn yield_to_the_build() {
    #[cfg(target_os = "linux")]
    let _ = rustix::process::nice(19);
}

/// The paths of the files `previous` lists that are no longer as it says, looked at in
/// the order of their paths.
fn touched_files(out: &Path, previous: &Manifest) -> FxHashSet<String> {
    in_path_order(previous)
        .into_iter()
        .filter(|(path, entry)| !still_there(out, path, entry))
        .map(|(path, _)| path.clone())
        .collect()
}

/// Whether every file `previous` lists is still as it says: the same look, on every core,
/// for a build that has nothing else to do meanwhile (nothing changed in its sources). Each
/// core takes a stretch of paths in order; it stops at the first file touched.
pub(super) fn all_untouched(out: &Path, previous: &Manifest) -> bool {
    use rayon::prelude::*;
    in_path_order(previous)
        .par_iter()
        .all(|(path, entry)| still_there(out, path, entry))
}

fn in_path_order(previous: &Manifest) -> Vec<(&String, &Entry)> {
    let mut files: Vec<(&String, &Entry)> = previous.files.iter().collect();
    files.sort_unstable_by(|a, b| a.0.cmp(b.0));
    files
}

fn still_there(out: &Path, path: &str, entry: &Entry) -> bool {
    contained_path(out, path).ok().and_then(|p| Stamp::read(&p)) == Some(entry.stamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry_of(file: &Path) -> Entry {
        Entry {
            hash: 0,
            stamp: Stamp::read(file).unwrap(),
            fingerprint: None,
        }
    }

    #[test]
    fn names_the_files_changed_replaced_or_gone_and_no_other() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("a/b")).unwrap();
        let names = [
            "kept.html",
            "a/edited.html",
            "a/b/gone.html",
            "a/b/folder.html",
        ];
        let mut manifest = Manifest::default();
        for name in names {
            std::fs::write(out.join(name), "made").unwrap();
            manifest
                .files
                .insert(name.to_string(), entry_of(&out.join(name)));
        }
        std::fs::write(out.join("a/edited.html"), "made by hand").unwrap();
        std::fs::remove_file(out.join("a/b/gone.html")).unwrap();
        std::fs::remove_file(out.join("a/b/folder.html")).unwrap();
        std::fs::create_dir(out.join("a/b/folder.html")).unwrap();
        // A path that would leave the output is never looked at, and counts as touched.
        manifest.files.insert(
            "../outside.html".to_string(),
            entry_of(&out.join("kept.html")),
        );

        let sweep = Sweep::start(&out, &Arc::new(manifest.clone()));
        let mut touched: Vec<&str> = sweep
            .touched()
            .unwrap()
            .iter()
            .map(String::as_str)
            .collect();
        touched.sort();
        assert_eq!(
            touched,
            [
                "../outside.html",
                "a/b/folder.html",
                "a/b/gone.html",
                "a/edited.html"
            ]
        );
        assert!(sweep.untouched(&out, "kept.html", &manifest.files["kept.html"]));
        assert!(!sweep.untouched(&out, "a/edited.html", &manifest.files["a/edited.html"]));

        assert!(!all_untouched(&out, &manifest));
        let mut whole = manifest.clone();
        whole
            .files
            .retain(|path, _| !touched.contains(&path.as_str()));
        assert!(all_untouched(&out, &whole));

        // Without the look, each file is looked at when asked about, with the same answers.
        let asked = Sweep::not_started();
        for (path, entry) in &manifest.files {
            assert_eq!(
                asked.untouched(&out, path, entry),
                !touched.contains(&path.as_str()),
                "{path}"
            );
        }
    }

    #[test]
    fn an_empty_manifest_needs_no_look() {
        let dir = tempfile::tempdir().unwrap();
        let sweep = Sweep::start(dir.path(), &Arc::new(Manifest::default()));
        assert!(sweep.running.lock().unwrap().is_none());
        assert!(sweep.touched().unwrap().is_empty());
    }
}
