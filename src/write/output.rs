//! Writing a build over the previous output, touching only what changed.
//!
//! Rendering threads hand every file to `Output::add`. A file whose bytes equal what the
//! output already holds is left alone, bytes and modification time (so `rsync`, `aws s3 sync`
//! and CDN uploads move only the difference); a new or changed file is written whole into a
//! staging folder. Nothing in the output is touched until every file has been rendered
//! without error: `commit` then writes a journal (see `journal`), renames the staged files
//! into place, deletes the files no longer produced and records the new manifest (see
//! `manifest`). A failed build leaves the output byte for byte; a killed one is finished by
//! the next. A first build into a missing or empty folder skips all that and renames the
//! staging folder into place whole.
//!
//! Podium's own files live beside the output, in `.<name>.podium/`: the manifest, the
//! journal, the staging folder and a lock that keeps two builds from writing one output.

use super::journal::Journal;
use super::manifest::{self, Entry, Manifest, Placing, Stamp};
use super::sweep::Sweep;
use super::{Collisions, Contents, MARKER, OutputFile, check_output_dir, contained_path};
use crate::diagnostic::{Diagnostic, Diagnostics};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Entries of an existing output that are neither ours nor removed (a deploy repository).
const PRESERVED: &[&str] = &[".git"];

/// A poisoned lock only means another writer thread panicked; its data is still a set of
/// paths and messages, safe to keep using (the build fails on the panic anyway).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What a finished build did to the output.
#[derive(Debug, Clone, Default)]
pub struct WriteReport {
    /// Files the output now holds.
    pub files: usize,
    /// Their bytes.
    pub bytes: u64,
    /// Files written because they were new or changed.
    pub written: usize,
    /// Files removed because no longer produced.
    pub removed: usize,
    /// Files not even made: the output held them as made from the same inputs.
    pub kept: usize,
    /// Files this build did not make that it left in place because no manifest said a
    /// build had made them (see `made_by_a_build`).
    pub kept_unknown: Vec<String>,
}

/// One file of the new output, as it will be recorded in the manifest.
#[derive(Debug, Clone, Copy)]
struct Produced {
    entry: Entry,
    /// Written into the staging folder (new or changed), rather than already in place.
    staged: bool,
}

/// The output being written. Dropped without a commit (an error, a panic), it removes its
/// staging folder and the output is untouched.
#[derive(Debug)]
pub struct Output {
    out: PathBuf,
    state: PathBuf,
    staging: PathBuf,
    /// Shared with `sweep` while it looks at the files.
    previous: Arc<Manifest>,
    /// Which files of `previous` are no longer as it says.
    sweep: Sweep,
    /// Held for the whole build: one writer per output.
    _lock: std::fs::File,
    collisions: Mutex<Collisions>,
    errors: Mutex<Diagnostics>,
    dirs: Mutex<HashSet<PathBuf>>,
    produced: Mutex<rustc_hash::FxHashMap<String, Produced>>,
    /// Files of the previous output kept as they are, for pages not made again (see
    /// `keep_all`): each is in `previous`, and in neither `produced` nor here twice.
    kept: Mutex<Vec<String>>,
    /// Set by the first I/O error; later files are counted, not written.
    failed: AtomicBool,
    skipped: AtomicUsize,
    /// The staging folder is named by a journal: it must stay until the journal is played.
    journaled: bool,
    /// The output was missing or empty when the build began: no file of it need be looked
    /// for (a first build creates tens of thousands; each look is a path walk in the kernel).
    began_empty: bool,
}

/// Where Podium keeps what it knows of the output `out`: `.<name>.podium/` beside it.
pub fn state_dir(out: &Path) -> PathBuf {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("public");
    parent.join(format!(".{name}.podium"))
}

impl Output {
    /// Check the output folder, finish a change a killed build left half done, and prepare
    /// an empty staging folder.
    pub fn begin(root: &Path, out: &Path) -> Result<Output, Diagnostics> {
        check_output_dir(root, out).map_err(Diagnostics::from)?;
        let fail = |what: String, e: std::io::Error| Diagnostic::error(format!("{what}: {e}"));
        let state = state_dir(out);
        std::fs::create_dir_all(&state)
            .map_err(|e| fail(format!("cannot create {}", state.display()), e))?;
        spread_builds(&state);
        let lock_file = std::fs::File::create(state.join("lock"))
            .map_err(|e| fail(format!("cannot create {}", state.join("lock").display()), e))?;
        if lock_file.try_lock().is_err() {
            return Err(Diagnostic::error(format!(
                "another `podium build` is writing {} right now",
                out.display()
            ))
            .with_help("wait for it to finish, then build again")
            .into());
        }
        recover(out, &state).map_err(|e| {
            Diagnostic::error(format!(
                "cannot finish the change an interrupted build left in {}: {e}",
                out.display()
            ))
            .with_help("fix what the message names (space, permissions) and build again; the change is finished then")
        })?;
        // An output deleted since the last build holds nothing its manifest lists: the build
        // starts as a first one (every page made, no file of it looked for).
        let began_empty = is_empty_output(out);
        let previous = Arc::new(if began_empty {
            Manifest::default()
        } else {
            Manifest::read(&state)
        });
        let staging = state.join(format!(
            "staging-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos())
        ));
        std::fs::create_dir_all(&staging)
            .map_err(|e| fail(format!("cannot create {}", staging.display()), e))?;
        let mut dirs = HashSet::new();
        dirs.insert(staging.clone());
        Ok(Output {
            out: out.to_path_buf(),
            state,
            staging,
            previous,
            sweep: Sweep::not_started(),
            _lock: lock_file,
            collisions: Mutex::new(Collisions::default()),
            errors: Mutex::new(Diagnostics::new()),
            dirs: Mutex::new(dirs),
            produced: Mutex::new(Default::default()),
            failed: AtomicBool::new(false),
            skipped: AtomicUsize::new(0),
            kept: Mutex::new(Vec::new()),
            journaled: false,
            began_empty,
        })
    }

    /// Whether the output was missing or empty when the build began: every page of the
    /// build is then made and written.
    pub fn began_empty(&self) -> bool {
        self.began_empty
    }

    /// Start looking, in the background, at every file the previous output should hold, for
    /// `intact` and `made_with` to ask about (see `sweep`). Without it each file is looked
    /// at when asked about.
    pub fn sweep_previous(&mut self) {
        // The manifest's lines go to the look, which lets them go once it has the paths.
        let listing = Arc::get_mut(&mut self.previous).and_then(Manifest::take_listing);
        self.sweep = Sweep::start(&self.out, &self.previous, listing);
    }

    /// The folder beside the output where Podium keeps what it knows of it.
    pub fn state(&self) -> &Path {
        &self.state
    }

    /// What the output held after the last build, if every file of it is still there as
    /// that build left it (by size and modification time): files and bytes.
    pub fn previous_if_intact(&self) -> Option<WriteReport> {
        if self.previous.files.is_empty() {
            return None;
        }
        // Asked only when no source changed: the build then waits for this answer alone,
        // so it is found on every core rather than from the sweep's one.
        let intact = super::sweep::all_untouched(&self.out, &self.previous);
        intact.then(|| WriteReport {
            files: self.previous.files.len(),
            bytes: self.previous.files.values().map(|e| e.stamp.len).sum(),
            written: 0,
            removed: 0,
            kept: self.previous.files.len(),
            kept_unknown: Vec::new(),
        })
    }

    /// Whether the output still holds, untouched, the file the last build made at `path`
    /// from inputs with this `fingerprint`: then it need not be made again (see `keep`).
    pub fn intact(&self, path: &str, fingerprint: u64) -> bool {
        let Some(entry) = self.previous.files.get(path) else {
            return false;
        };
        entry.fingerprint == Some(fingerprint) && self.sweep.untouched(&self.out, path, entry)
    }

    /// The files the last build made from inputs with this `fingerprint`, if the output
    /// still holds every one of them untouched: then a part of the site made of several files
    /// (the open data, the search index) need not be made again.
    pub fn made_with(&self, fingerprint: u64) -> Option<Vec<String>> {
        use rayon::prelude::*;
        let made: Vec<(&String, &Entry)> = self
            .previous
            .files
            .iter()
            .filter(|(_, e)| e.fingerprint == Some(fingerprint))
            .collect();
        let intact = !made.is_empty()
            && made
                .par_iter()
                .all(|(path, entry)| self.sweep.untouched(&self.out, path, entry));
        intact.then(|| made.into_iter().map(|(path, _)| path.clone()).collect())
    }

    /// The bytes of the file the last build made at `path`, if the output still holds it as
    /// that build wrote it (its bytes hash as the manifest says).
    pub fn read_previous(&self, path: &str) -> Option<Vec<u8>> {
        let entry = self.previous.files.get(path)?;
        let bytes = std::fs::read(contained_path(&self.out, path).ok()?).ok()?;
        (manifest::hash(&bytes) == entry.hash).then_some(bytes)
    }

    /// Keep the files at `paths` as they are, for pages not rendered because `intact` said
    /// so. All at once, after rendering: an edit's rebuild keeps 355,000 of them at 100,000
    /// reports, each checked (on every core) against the files this build made, and recorded
    /// as a path, not as an entry of the new output (see `swap_in`).
    pub fn keep_all(&self, paths: Vec<String>, origin: &str) {
        use rayon::prelude::*;
        let mut collisions = lock(&self.collisions);
        let (kept, clashing): (Vec<String>, Vec<String>) = paths
            .into_par_iter()
            .filter(|path| self.previous.files.contains_key(path))
            .partition(|path| !collisions.is_claimed(path));
        // A page kept at a path a page made now claims too: the error names both.
        for path in clashing {
            collisions.claim(&path, origin);
        }
        lock(&self.kept).extend(kept);
    }

    /// Add one file of the new output; callable from many threads at once. Problems are
    /// recorded and reported by `commit`; writing goes on so that one run reports them all.
    pub fn add(&self, file: OutputFile<'_>) {
        if !lock(&self.collisions).claim(&file.path, &file.origin) {
            return;
        }
        // After a disk error (full, read-only, quota) every further write would fail the same
        // way: stop writing and report the first one, not thousands.
        if self.failed.load(Ordering::Relaxed) {
            self.skipped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let (target, staged) = match (
            contained_path(&self.out, &file.path),
            contained_path(&self.staging, &file.path),
        ) {
            (Ok(t), Ok(s)) => (t, s),
            (Err(why), _) | (_, Err(why)) => {
                let why = format!(
                    "{}: refusing to write outside the output folder: {why}",
                    file.origin
                );
                return lock(&self.errors).push(Diagnostic::error(why));
            }
        };
        match self.place(&file, &target, &staged) {
            Ok(produced) => {
                // Held until the commit, one per file (355,000 at 100,000 reports): without
                // the spare room a path built up piece by piece may have, up to half its size.
                let mut path = file.path;
                path.shrink_to_fit();
                lock(&self.produced).insert(path, produced);
            }
            Err((e, what)) => {
                self.failed.store(true, Ordering::Relaxed);
                let help = format!(
                    "nothing was changed in the output folder; {}",
                    what_to_do(e.kind())
                );
                lock(&self.errors).push(Diagnostic::error(format!("{what}: {e}")).with_help(help));
            }
        }
    }

    /// Decide whether `file` is already at `target` and, if not, write it to `staged`.
    fn place(
        &self,
        file: &OutputFile,
        target: &Path,
        staged: &Path,
    ) -> Result<Produced, (std::io::Error, String)> {
        let previous = self.previous.files.get(&file.path);
        // (A file someone puts into an empty output during the build is not looked at here;
        // the commit then finds the output not empty and replaces it like any other.)
        let on_disk = if self.began_empty {
            None
        } else {
            Stamp::read(target)
        };
        let unchanged = |entry: Entry| Produced {
            entry,
            staged: false,
        };
        let read_error = |e, from: &Path| (e, format!("cannot read {}", from.display()));
        let (copied, fingerprint) = match &file.contents {
            Contents::Bytes(_) | Contents::Streamed(_) => (None, None),
            Contents::Copy(from) => {
                // A copied file is known by its source's size and time: unchanged ones are
                // not even read.
                let source = std::fs::metadata(from).map_err(|e| read_error(e, from))?;
                let fingerprint = Some(copy_fingerprint(&source));
                if let Some(&e) = previous
                    && e.fingerprint == fingerprint
                    && on_disk == Some(e.stamp)
                {
                    return Ok(unchanged(e));
                }
                let b = std::fs::read(from).map_err(|e| read_error(e, from))?;
                (Some(Contents::Bytes(b)), fingerprint)
            }
        };
        let contents = copied.as_ref().unwrap_or(&file.contents);
        // Only a file that is there can be unchanged; one that is not is written as it is
        // made. A streamed file that is there is made twice if it changed, once to compare
        // and once to write: holding it in between would cost its size in memory.
        let mut known = None;
        if let Some(stamp) = on_disk {
            let (hash, len) = hash_contents(contents);
            known = Some(hash);
            if let Some(&e) = previous
                && e.hash == hash
                && e.stamp == stamp
            {
                return Ok(unchanged(Entry { fingerprint, ..e }));
            }
            // No manifest, or the file was touched since: compare what is really there.
            if stamp.len == len && hash_file(target).is_ok_and(|there| there == hash) {
                return Ok(unchanged(Entry {
                    hash,
                    stamp,
                    fingerprint,
                }));
            }
        }
        if let Some(parent) = staged.parent()
            && !lock(&self.dirs).contains(parent)
        {
            // Two threads may both create it; create_dir_all accepts that.
            std::fs::create_dir_all(parent)
                .map_err(|e| (e, format!("cannot create {}", parent.display())))?;
            lock(&self.dirs).insert(parent.to_path_buf());
        }
        let what = || format!("cannot write `{}` (from {})", file.path, file.origin);
        let (hash, stamp) = write_stamped(staged, contents, known).map_err(|e| (e, what()))?;
        Ok(Produced {
            entry: Entry {
                hash,
                stamp,
                fingerprint,
            },
            staged: true,
        })
    }

    /// Put the new output in place, if nothing went wrong. `fingerprints` (output path ->
    /// page fingerprint) go into the manifest, so that the next build can skip those pages;
    /// unless `remember` is false (the build had warnings, which only rendering the pages
    /// again shows again): then those pages' fingerprints are forgotten.
    pub fn commit(
        mut self,
        fingerprints: &super::Fingerprints,
        remember: bool,
    ) -> Result<WriteReport, Diagnostics> {
        let mut problems = std::mem::take(&mut *lock(&self.collisions)).into_diagnostics();
        problems.extend(std::mem::take(&mut *lock(&self.errors)));
        let skipped = self.skipped.load(Ordering::Relaxed);
        if skipped > 0 {
            problems.push(Diagnostic::error(format!(
                "{skipped} more files were not written after that error"
            )));
        }
        if problems.has_errors() {
            return Err(problems.sorted());
        }
        let produced = std::mem::take(&mut *lock(&self.produced));
        self.swap_in(produced, fingerprints, remember).map_err(|e| {
            Diagnostics::from(
                Diagnostic::error(format!("cannot update {}: {e}", self.out.display()))
                    .with_help("the next build finishes the change; fix what the message names (space, permissions) and build again"),
            )
        })
    }

    fn swap_in(
        &mut self,
        produced: rustc_hash::FxHashMap<String, Produced>,
        fingerprints: &super::Fingerprints,
        remember: bool,
    ) -> std::io::Result<WriteReport> {
        // The output is about to change: the record of the inputs it was made from goes.
        crate::unchanged::forget(&self.state);
        let kept = std::mem::take(&mut *lock(&self.kept));
        let mut report = WriteReport {
            files: produced.len() + kept.len(),
            kept: kept.len(),
            ..WriteReport::default()
        };
        // What differs from the last build's manifest: only these are recorded (see
        // `manifest`), and the files staged are those to put in place.
        let mut changes: Vec<manifest::Change> = Vec::new();
        let mut replace = Vec::new();
        let mut made_again = 0;
        for (path, p) in &produced {
            let mut entry = p.entry;
            if let Some(&fp) = fingerprints.get(path) {
                entry.fingerprint = remember.then_some(fp);
            }
            report.bytes += entry.stamp.len;
            if p.staged {
                replace.push(path.clone());
            }
            match self.previous.files.get(path) {
                Some(before) if *before == entry => made_again += 1,
                Some(_) => {
                    made_again += 1;
                    changes.push((path.clone(), Some(entry)));
                }
                None => changes.push((path.clone(), Some(entry))),
            }
        }
        // A kept file is the one its page's fingerprint was found with, unless that page is
        // to be made again next time (`remember` false). A file kept from a part patched
        // rather than made again (the search index) now stands for the new fingerprint.
        for path in &kept {
            let entry = self.previous.files[path];
            report.bytes += entry.stamp.len;
            let fingerprint = match fingerprints.get(path) {
                Some(&fp) if remember => Some(fp),
                Some(_) => None,
                None => entry.fingerprint,
            };
            if fingerprint != entry.fingerprint {
                changes.push((
                    path.clone(),
                    Some(Entry {
                        fingerprint,
                        ..entry
                    }),
                ));
            }
        }
        report.written = replace.len();
        crate::timing("manifest made");
        if is_empty_output(&self.out) {
            // A first build: the staging folder becomes the output whole.
            std::fs::write(self.staging.join(MARKER), MARKER_TEXT)?;
            for file in [manifest::FILE, manifest::CHANGES_FILE] {
                let _ = std::fs::remove_file(self.state.join(file));
            }
            if self.out.exists() {
                std::fs::remove_dir_all(&self.out)?;
            }
            std::fs::rename(&self.staging, &self.out)?;
            let mut manifest = Manifest::default();
            manifest.apply(changes);
            manifest.save(&self.state, Placing::Now)?;
            return Ok(report);
        }
        // What the previous build wrote and this one does not. Without a manifest (a first
        // incremental build, a lost one), whatever the folder holds; with one, walking the
        // folder (a third of a second at 28,000 files on this machine's disk) is not needed,
        // and files someone put in the output by hand are left alone.
        // When every file of the manifest is made again or kept (they are counted, as the
        // kept ones are in it and listed once), none goes: the usual edit.
        let mut delete: Vec<String> = if self.previous.files.is_empty() {
            let (ours, unknown): (Vec<String>, Vec<String>) = existing_files(&self.out)
                .into_iter()
                .filter(|p| !produced.contains_key(p))
                .partition(|p| made_by_a_build(p));
            report.kept_unknown = unknown;
            report.kept_unknown.sort();
            ours
        } else if made_again + kept.len() == self.previous.files.len() {
            Vec::new()
        } else {
            let kept: rustc_hash::FxHashSet<&str> = kept.iter().map(String::as_str).collect();
            self.previous
                .files
                .keys()
                .filter(|p| !produced.contains_key(*p) && !kept.contains(p.as_str()))
                .cloned()
                .collect()
        };
        delete.sort();
        replace.sort();
        report.removed = delete.len();
        changes.extend(
            delete
                .iter()
                .filter(|p| self.previous.files.contains_key(*p))
                .map(|p| (p.clone(), None)),
        );
        // The sweep holds the manifest until it is done.
        self.sweep.finish();
        let mut manifest =
            Arc::try_unwrap(std::mem::take(&mut self.previous)).unwrap_or_else(|s| (*s).clone());
        manifest.apply(changes);
        if !self.out.join(MARKER).is_file() {
            std::fs::write(self.out.join(MARKER), MARKER_TEXT)?;
        }
        if delete.is_empty() && replace.is_empty() {
            if manifest.is_changed() {
                manifest.save(&self.state, Placing::Now)?;
            }
            return Ok(report);
        }
        // The manifest of the new output is ready before the journal, which makes the change
        // certain to be finished: a replay then only has to move it into place.
        manifest.save(&self.state, Placing::WithJournal)?;
        crate::timing("manifest written");
        let journal = Journal {
            staging: self.staging.clone(),
            delete,
            replace,
        };
        journal.write(&self.state.join("journal"))?;
        self.journaled = true;
        finish(&self.out, &self.state, &journal)?;
        Ok(report)
    }
}

const MARKER_TEXT: &str = "This folder is written by `podium build`: it changes the files it made, and removes them when they are no longer part of the site.\n";

impl Drop for Output {
    /// Whatever happened, the staging folder goes (if a commit did not move it into place),
    /// unless a journal names it: then the next build plays the journal.
    fn drop(&mut self) {
        if !self.journaled || !self.state.join("journal").exists() {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Write `contents` to `path`; its manifest hash and stamp. The hash is `known` if it was
/// taken already, else taken of the bytes as they are written.
fn write_stamped(
    path: &Path,
    contents: &Contents,
    known: Option<u128>,
) -> std::io::Result<(u128, Stamp)> {
    use std::io::Write;
    let mut file = std::fs::File::create(path)?;
    let mut hasher = known.is_none().then(manifest::Hasher::default);
    let mut failed = None;
    contents.each_piece(&mut |piece| {
        if failed.is_none() {
            if let Some(h) = &mut hasher {
                h.update(piece);
            }
            failed = file.write_all(piece).err();
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    let hash = known.or(hasher.map(|h| h.finish())).unwrap_or_default();
    Ok((hash, Stamp::of(&file.metadata()?)))
}

/// Ask the file system to place each folder made in `state` (each build's staging folder,
/// which becomes the output of a first build) wherever the disk has room, as it places the
/// folders at its top, rather than beside `state`'s own inodes. This is ext2/3/4's "T"
/// attribute (`chattr +T`) for the Orlov allocator. Without it a whole output lands where
/// the last one was, and when that was just deleted (`rm -rf public` and build again) ext4
/// without a journal checks each new file against the inodes freed there in the last minute
/// and passes over them one by one: on this machine's disk a fresh build at 10,000 reports
/// took 12.7–24.8 s with 17–40 s of kernel time, against 4.5–4.9 s with the attribute set
/// (docs/benchmarks.md). Best effort: other file systems refuse or ignore the flag, and
/// nothing depends on it.
#[cfg(target_os = "linux")]
fn spread_builds(state: &Path) {
    use rustix::fs::{IFlags, ioctl_getflags, ioctl_setflags};
    let Ok(folder) = std::fs::File::open(state) else {
        return;
    };
    if let Ok(flags) = ioctl_getflags(&folder)
        && !flags.contains(IFlags::TOPDIR)
    {
        let _ = ioctl_setflags(&folder, flags | IFlags::TOPDIR);
    }
}

#[cfg(not(target_os = "linux"))]
fn spread_builds(_state: &Path) {}

/// What an editor can do about a file the output could not take.
fn what_to_do(kind: std::io::ErrorKind) -> &'static str {
    use std::io::ErrorKind as Kind;
    match kind {
        Kind::InvalidFilename => {
            "a name in that path is longer than this file system allows (usually 255 bytes): shorten the file name, folder or `slug:` it is made from, and build again"
        }
        Kind::StorageFull | Kind::QuotaExceeded | Kind::FileTooLarge => {
            "free some space and build again"
        }
        Kind::PermissionDenied | Kind::ReadOnlyFilesystem => {
            "fix the permissions of the output folder and build again"
        }
        _ => "free some space (or fix the permissions) and build again",
    }
}

/// The manifest hash of `contents` and its length in bytes, without keeping its bytes.
fn hash_contents(contents: &Contents) -> (u128, u64) {
    let mut hasher = manifest::Hasher::default();
    contents.each_piece(&mut |piece| hasher.update(piece));
    (hasher.finish(), hasher.byte_count())
}

/// The manifest hash of the file at `path`, read a block at a time.
fn hash_file(path: &Path) -> std::io::Result<u128> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = manifest::Hasher::default();
    let mut block = vec![0; 1 << 16];
    loop {
        match file.read(&mut block) {
            Ok(0) => return Ok(hasher.finish()),
            Ok(n) => hasher.update(&block[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// The fingerprint recorded for a copied file: its source's size and modification time.
fn copy_fingerprint(source: &std::fs::Metadata) -> u64 {
    // Size and times and inode, as the document cache knows a source: the change time,
    // which no tool sets back, tells a file replaced by one of the same size whose
    // modification time was kept (`cp -p`, `rsync -a`).
    use std::hash::{Hash, Hasher};
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    crate::load::SourceStamp::of(source).hash(&mut h);
    h.finish()
}

/// Carry out a written journal, then put the manifest it goes with in place.
fn finish(out: &Path, state: &Path, journal: &Journal) -> std::io::Result<()> {
    journal.apply(out)?;
    // The whole manifest if it was written again, then its changes (see `manifest`).
    for (next, file) in [
        (manifest::NEXT_FILE, manifest::FILE),
        (manifest::NEXT_CHANGES_FILE, manifest::CHANGES_FILE),
    ] {
        let next = state.join(next);
        if next.exists() {
            std::fs::rename(&next, state.join(file))?;
        }
    }
    std::fs::remove_file(state.join("journal"))?;
    let _ = std::fs::remove_dir_all(&journal.staging);
    Ok(())
}

/// Before a build: finish the change a killed build committed to, and clear what a build
/// killed before committing left (a staging folder, a half-written manifest).
fn recover(out: &Path, state: &Path) -> std::io::Result<()> {
    let journal_path = state.join("journal");
    if let Some(journal) = Journal::read(&journal_path)
        && journal.staging.starts_with(state)
    {
        finish(out, state, &journal)?;
    }
    // A journal that is not whole was never acted on; nor was a manifest without one.
    for leftover in [
        "journal",
        "journal.tmp",
        manifest::NEXT_FILE,
        manifest::NEXT_CHANGES_FILE,
        "manifest.tmp",
        "manifest.changes.tmp",
        "manifest.next.tmp",
        "manifest.changes.next.tmp",
    ] {
        let _ = std::fs::remove_file(state.join(leftover));
    }
    for entry in std::fs::read_dir(state).into_iter().flatten().flatten() {
        if entry.file_name().to_string_lossy().starts_with("staging-") {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    // Earlier versions staged beside the output, as `.<name>.podium-staging-…`.
    if let (Some(parent), Some(name)) = (out.parent(), out.file_name()) {
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        let prefix = format!(".{}.podium-", name.to_string_lossy());
        for entry in std::fs::read_dir(parent).into_iter().flatten().flatten() {
            let n = entry.file_name().to_string_lossy().into_owned();
            if n.starts_with(&prefix) && (n.contains("-staging-") || n.contains("-old-")) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    Ok(())
}

/// Missing, or holding nothing but our marker.
fn is_empty_output(out: &Path) -> bool {
    match std::fs::read_dir(out) {
        Ok(entries) => entries
            .flatten()
            .all(|e| e.file_name().to_str() == Some(MARKER)),
        Err(_) => !out.exists(),
    }
}

/// Every file in the output (`/`-separated, relative), but our marker and what is preserved.
/// Whether a file found in an output without a manifest (lost, damaged, or never written)
/// is one a build made: a page, a feed or calendar, or anything in a folder a build fills
/// (`forums/`, `speakers/`, ... at any depth, so also in a language's folder). Such a file
/// that this build does not make is left over from an earlier one and goes. Any other file
/// (`CNAME`, a search engine's verification file, `.well-known/`) may be the user's own
/// and stays: without the manifest nothing tells the two apart.
fn made_by_a_build(path: &str) -> bool {
    const FOLDERS: [&str; 7] = [
        "forums",
        "speakers",
        "organizations",
        "topics",
        "series",
        "api",
        "search",
    ];
    const FILES: [&str; 5] = [
        "index.html",
        "404.html",
        "feed.xml",
        "calendar.ics",
        "event.ics",
    ];
    let mut parts = path.split('/').collect::<Vec<_>>();
    let name = parts.pop().unwrap_or_default();
    FILES.contains(&name) || parts.iter().any(|folder| FOLDERS.contains(folder))
}

fn existing_files(out: &Path) -> Vec<String> {
    let walker = walkdir::WalkDir::new(out)
        .min_depth(1)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            e.depth() != 1
                || !PRESERVED
                    .iter()
                    .chain(&[MARKER])
                    .any(|p| e.file_name().to_str() == Some(p))
        });
    walker
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| {
            let relative = e.path().strip_prefix(out).ok()?;
            let parts: Option<Vec<&str>> = relative.iter().map(|c| c.to_str()).collect();
            // A name that is not UTF-8 cannot be one of ours: remove it by its own name.
            Some(parts.map_or_else(|| relative.to_string_lossy().into_owned(), |p| p.join("/")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{hash_contents, hash_file, what_to_do, write_stamped};
    use crate::write::{Contents, Stream, manifest};

    /// Where the file system takes the "T" attribute (ext2/3/4), Podium's folder carries it,
    /// so that each build's folders are placed away from an output just deleted.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_state_folder_asks_for_each_build_to_be_placed_apart() {
        use rustix::fs::{IFlags, ioctl_getflags, ioctl_setflags};
        let dir = tempfile::tempdir().unwrap();
        let flags = |path: &std::path::Path| ioctl_getflags(std::fs::File::open(path).unwrap());
        let probe = dir.path().join("probe");
        std::fs::create_dir(&probe).unwrap();
        let takes_it = flags(&probe).is_ok_and(|f| {
            ioctl_setflags(std::fs::File::open(&probe).unwrap(), f | IFlags::TOPDIR).is_ok()
                && flags(&probe).is_ok_and(|f| f.contains(IFlags::TOPDIR))
        });
        if !takes_it {
            eprintln!("this file system does not keep the T attribute; nothing to check");
            return;
        }
        let root = dir.path().join("site");
        std::fs::create_dir(&root).unwrap();
        let output = super::Output::begin(&root, &root.join("public")).unwrap();
        assert!(flags(output.state()).unwrap().contains(IFlags::TOPDIR));
    }

    #[test]
    fn a_name_too_long_for_the_file_system_gets_its_own_advice() {
        let dir = tempfile::tempdir().unwrap();
        let e = std::fs::File::create(dir.path().join("x".repeat(300))).unwrap_err();
        assert!(
            what_to_do(e.kind()).contains("longer than this file system allows"),
            "{e:?}"
        );
        assert!(what_to_do(std::io::ErrorKind::StorageFull).contains("free some space"));
    }

    #[test]
    fn a_streamed_file_is_written_and_hashed_as_its_pieces_joined() {
        let pieces: [&[u8]; 4] = [b"{\"items\":[", b"1,2", b"", b"]}"];
        let streamed =
            Contents::Streamed(Stream::new(move |each| pieces.iter().for_each(|p| each(p))));
        let joined = b"{\"items\":[1,2]}";
        assert_eq!(&streamed.joined()[..], joined);
        let whole = manifest::hash(joined);
        assert_eq!(hash_contents(&streamed), (whole, joined.len() as u64));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("forums.json");
        let (hash, stamp) = write_stamped(&path, &streamed, None).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), joined);
        assert_eq!((hash, stamp.len), (whole, joined.len() as u64));
        assert_eq!(hash_file(&path).unwrap(), whole);
        // A hash already taken (to compare with the output) is not taken again.
        let again = dir.path().join("again.json");
        let (hash, _) = write_stamped(&again, &streamed, Some(whole)).unwrap();
        assert_eq!(
            (hash, std::fs::read(&again).unwrap()),
            (whole, joined.to_vec())
        );
        std::fs::write(&path, b"{\"items\":[1,3]}").unwrap();
        assert_ne!(hash_file(&path).unwrap(), whole, "a file with other bytes");
    }
}
