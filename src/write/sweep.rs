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
//! part of the time; rendering then only asks the answer. If it asks before the look is
//! done, each thread that asks takes a stretch of the files left, rather than wait for the
//! look's one thread (at 100,000 reports an edit's rebuild asked 0.4 s too early).
//!
//! A file edited by hand while the build runs may be seen either way, as before: the
//! manifest keeps the stamp the last build wrote, so the next build sees the edit and puts
//! the file back.

use super::contained_path;
use super::manifest::{Entry, Listing, Manifest, Stamp};
use rustc_hash::FxHashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::thread::JoinHandle;

/// The look at the previous output's files: running, or done.
#[derive(Debug)]
pub(super) struct Sweep {
    running: Mutex<Option<JoinHandle<()>>>,
    /// What is left to look at, once the look has put the paths in order: a thread that
    /// needs the answer before the look is done takes a part of it rather than wait (the
    /// look runs on idle CPU, and at 100,000 reports an edit's rebuild asked for the answer
    /// 0.4 s before it had one). Let go once the answer is known.
    work: Arc<Mutex<Option<Arc<Work>>>>,
    /// The paths of the files no longer as the manifest says (changed, replaced, gone);
    /// `None` if the look could not be made (no thread to make it on, or it panicked):
    /// each file is then looked at when asked about.
    touched: OnceLock<Option<FxHashSet<String>>>,
}

impl Sweep {
    /// Start looking at every file `previous` lists, in the output folder `out`.
    /// `listing`: the manifest's lines as read from disk, if taken from it.
    pub(super) fn start(
        out: &Path,
        previous: &Arc<Manifest>,
        listing: Option<Arc<Listing>>,
    ) -> Sweep {
        if previous.files.is_empty() {
            return Sweep::done(Some(FxHashSet::default()));
        }
        let work = Arc::new(Mutex::new(None));
        let (out, previous, shared) = (out.to_path_buf(), Arc::clone(previous), Arc::clone(&work));
        let spawned = std::thread::Builder::new()
            .name("podium-output-sweep".into())
            .spawn(move || {
                yield_to_the_build();
                let work = Arc::new(Work::in_path_order(out, &previous, listing.as_deref()));
                drop((previous, listing));
                *lock(&shared) = Some(Arc::clone(&work));
                work.take_parts();
            });
        match spawned {
            Ok(handle) => Sweep {
                running: Mutex::new(Some(handle)),
                work,
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
            work: Arc::new(Mutex::new(None)),
            touched: OnceLock::from(touched),
        }
    }

    /// The files no longer as the manifest says, once the look is done (helping it, then
    /// waiting for it).
    pub(super) fn touched(&self) -> Option<&FxHashSet<String>> {
        if self.touched.get().is_none() {
            let work = lock(&self.work).clone();
            if let Some(work) = work {
                work.take_parts();
            }
        }
        self.touched
            .get_or_init(|| {
                let handle = lock(&self.running).take()?;
                // The look's thread ends once every part is taken (or if it panicked, with
                // its work not shared: then each file is looked at when asked about).
                handle.join().ok()?;
                let work = lock(&self.work).take()?;
                Some(work.wait_for_parts())
            })
            .as_ref()
    }

    /// Whether the file at `path`, which the manifest lists with `entry`, is still as the
    /// manifest says.
    pub(super) fn untouched(&self, out: &Path, path: &str, entry: &Entry) -> bool {
        match self.touched() {
            Some(touched) => !touched.contains(path),
            None => still_there(out, path, &entry.stamp),
        }
    }

    /// Wait for the look to be done, so that it no longer holds the manifest.
    pub(super) fn finish(&self) {
        let _ = self.touched();
    }
}

/// The files to look at, in the order of their paths (a folder's files one after another:
/// half the kernel's time per file), taken a stretch at a time by whichever thread comes.
#[derive(Debug)]
struct Work {
    out: Folder,
    /// Every path, one after another, and where each is in it with its stamp: two
    /// allocations rather than one per path (355,000 at 100,000 reports).
    paths: String,
    files: Vec<(std::ops::Range<usize>, Stamp)>,
    /// The first file no thread has taken yet.
    next: AtomicUsize,
    /// The touched files found, and how many files have been looked at.
    found: Mutex<(Vec<String>, usize)>,
    all_looked_at: Condvar,
}

/// How many files a thread takes at a time.
const STRETCH: usize = 512;

impl Work {
    fn in_path_order(out: PathBuf, previous: &Manifest, listing: Option<&Listing>) -> Work {
        let order = previous.in_path_order_with(listing);
        let mut paths = String::with_capacity(order.iter().map(|(p, _)| p.len()).sum());
        let files = order
            .into_iter()
            .map(|(path, stamp)| {
                let start = paths.len();
                paths.push_str(path);
                (start..paths.len(), stamp)
            })
            .collect();
        Work {
            out: Folder::open(out),
            paths,
            files,
            next: AtomicUsize::new(0),
            found: Mutex::new((Vec::new(), 0)),
            all_looked_at: Condvar::new(),
        }
    }

    /// Look at stretches of files until none is left to take.
    fn take_parts(&self) {
        loop {
            let start = self.next.fetch_add(STRETCH, Ordering::Relaxed);
            if start >= self.files.len() {
                return;
            }
            let stretch = &self.files[start..(start + STRETCH).min(self.files.len())];
            let touched: Vec<String> = stretch
                .iter()
                .map(|(range, stamp)| (&self.paths[range.clone()], stamp))
                .filter(|(path, stamp)| !self.out.still_there(path, stamp))
                .map(|(path, _)| path.to_string())
                .collect();
            let mut found = lock(&self.found);
            found.0.extend(touched);
            found.1 += stretch.len();
            if found.1 == self.files.len() {
                self.all_looked_at.notify_all();
            }
        }
    }

    /// The touched files, once every stretch taken is looked at.
    fn wait_for_parts(&self) -> FxHashSet<String> {
        let mut found = lock(&self.found);
        while found.1 < self.files.len() {
            found = self
                .all_looked_at
                .wait(found)
                .unwrap_or_else(|p| p.into_inner());
        }
        std::mem::take(&mut found.0).into_iter().collect()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// Let the build's own threads go first: the look runs on what CPU they leave idle (loading
/// waits on reads, the model registers names on one core), and when rendering asks for its
/// answer before it is done, the threads that ask take what is left at their own priority.
/// On Linux a thread's nice value is its own; elsewhere the look runs at the build's
/// priority.
fn yield_to_the_build() {
    #[cfg(target_os = "linux")]
    let _ = rustix::process::nice(19);
}

/// Whether every file `previous` lists is still as it says: the same look, on every core,
/// for a build that has nothing else to do meanwhile (nothing changed in its sources). Each
/// core takes a stretch of paths in order; it stops at the first file touched.
pub(super) fn all_untouched(out: &Path, previous: &Manifest) -> bool {
    use rayon::prelude::*;
    let folder = Folder::open(out.to_path_buf());
    previous
        .in_path_order()
        .par_iter()
        .all(|(path, stamp)| folder.still_there(path, stamp))
}

fn still_there(out: &Path, path: &str, stamp: &Stamp) -> bool {
    contained_path(out, path).ok().and_then(|p| Stamp::read(&p)) == Some(*stamp)
}

/// The output folder, opened once where the system allows: each file is then looked at by
/// its path inside it, so the kernel does not walk the folder's own path again for each of
/// 355,000 files (a quarter less time per file at 100,000 reports).
#[derive(Debug)]
struct Folder {
    path: PathBuf,
    #[cfg(unix)]
    opened: Option<rustix::fd::OwnedFd>,
}

impl Folder {
    fn open(path: PathBuf) -> Folder {
        Folder {
            #[cfg(unix)]
            opened: {
                use rustix::fs::{Mode, OFlags};
                rustix::fs::open(&path, OFlags::PATH | OFlags::DIRECTORY, Mode::empty()).ok()
            },
            path,
        }
    }

    /// Whether the file at `path` (relative to the folder) still has this stamp.
    fn still_there(&self, path: &str, stamp: &Stamp) -> bool {
        #[cfg(unix)]
        if let Some(folder) = &self.opened {
            if super::check_contained(path).is_err() {
                return false;
            }
            use rustix::fs::{AtFlags, FileType};
            // Not followed if a link, as `Stamp::read`; the time as `Stamp::of` counts it.
            let Ok(stat) = rustix::fs::statat(folder, path, AtFlags::SYMLINK_NOFOLLOW) else {
                return false;
            };
            let plain = FileType::from_raw_mode(stat.st_mode as _) == FileType::RegularFile;
            let modified = stat.st_mtime as i128 * 1_000_000_000 + stat.st_mtime_nsec as i128;
            return plain && stat.st_size as u64 == stamp.len && modified == stamp.modified;
        }
        still_there(&self.path, path, stamp)
    }
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

    /// The output folder opened once answers as a look by the whole path does: for a file
    /// as it was, one touched to another time (to the nanosecond, or before 1970), a link
    /// to the file, a folder in its place, a missing one, a path leaving the folder.
    #[test]
    fn a_look_inside_the_opened_folder_answers_as_a_look_by_the_whole_path() {
        use std::time::{Duration, UNIX_EPOCH};
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("a")).unwrap();
        let times = [
            UNIX_EPOCH + Duration::new(1_700_000_000, 123_456_789),
            UNIX_EPOCH - Duration::new(86_400, 250_000_000),
        ];
        let mut stamps = Vec::new();
        for (n, time) in times.iter().enumerate() {
            let file = out.join(format!("a/{n}.html"));
            std::fs::write(&file, "made").unwrap();
            std::fs::File::options()
                .write(true)
                .open(&file)
                .unwrap()
                .set_modified(*time)
                .unwrap();
            stamps.push(Stamp::read(&file).unwrap());
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(out.join("a/0.html"), out.join("a/link.html")).unwrap();
        std::fs::create_dir(out.join("a/folder.html")).unwrap();
        let folder = Folder::open(out.clone());
        #[cfg(unix)]
        assert!(folder.opened.is_some());
        let paths = [
            "a/0.html",
            "a/1.html",
            "a/link.html",
            "a/folder.html",
            "a/missing.html",
            "../public/a/0.html",
        ];
        let mut other = stamps[0];
        other.modified += 1;
        for stamp in stamps.iter().chain([&other]) {
            for path in paths {
                assert_eq!(
                    folder.still_there(path, stamp),
                    still_there(&out, path, stamp),
                    "{path} {stamp:?}"
                );
            }
        }
        assert!(folder.still_there("a/0.html", &stamps[0]));
        assert!(folder.still_there("a/1.html", &stamps[1]));
        assert!(!folder.still_there("a/0.html", &other));
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

        let sweep = Sweep::start(&out, &Arc::new(manifest.clone()), None);
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
    fn threads_that_ask_before_the_look_is_done_share_its_work_and_its_answer() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut manifest = Manifest::default();
        let mut expected = Vec::new();
        // Enough files for many stretches, in many folders; every seventh one edited.
        for i in 0..(STRETCH * 12 + 7) {
            let path = format!("f{}/p{i}/index.html", i % 13);
            let file = out.join(&path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, "made").unwrap();
            manifest.files.insert(path.clone(), entry_of(&file));
            if i % 7 == 3 {
                std::fs::write(&file, "made by hand").unwrap();
                expected.push(path);
            }
        }
        expected.sort();
        for _ in 0..3 {
            let sweep = Sweep::start(&out, &Arc::new(manifest.clone()), None);
            let answers: Vec<Vec<String>> = std::thread::scope(|scope| {
                let asking: Vec<_> = (0..4)
                    .map(|_| {
                        scope.spawn(|| {
                            let mut touched: Vec<String> =
                                sweep.touched().unwrap().iter().cloned().collect();
                            touched.sort();
                            touched
                        })
                    })
                    .collect();
                asking.into_iter().map(|t| t.join().unwrap()).collect()
            });
            for touched in answers {
                assert_eq!(touched, expected);
            }
            // Once answered, the work is let go.
            assert!(sweep.work.lock().unwrap().is_none());
        }
    }

    #[test]
    fn an_empty_manifest_needs_no_look() {
        let dir = tempfile::tempdir().unwrap();
        let sweep = Sweep::start(dir.path(), &Arc::new(Manifest::default()), None);
        assert!(sweep.running.lock().unwrap().is_none());
        assert!(sweep.touched().unwrap().is_empty());
    }
}
