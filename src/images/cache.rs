//! What was made of each image, kept between builds so that an unchanged image costs a `stat`.
//!
//! An entry is named by the source's content hash (xxh3-128) and the parameters' digest, so a
//! changed photo, a moved one (same bytes, new path: reused) and a changed `images:` setting
//! are each right without any invalidation logic. To know a source's hash without reading it,
//! the cache keeps each source path's size, modification time and hash (`sources`), the same
//! test the output writer trusts. On disk (`podium build`) it lives in the build's state
//! folder, `.<output>.podium/images/`: `<key>/entry.json` lists the files of `<key>/`, with
//! their lengths. An entry that is missing, unreadable, or whose files are missing or of
//! another length is made again; entries a build did not use are removed at its end.
//! `podium serve` and `podium check` read that folder if there is one but never write to it:
//! what they make stays in memory.

use super::encode::{self, Made, Params, Role};
use crate::load::SourceStamp as Stamp;
use crate::write::Contents;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// One published file of an entry.
#[derive(Debug, Clone)]
pub struct File {
    pub width: u32,
    pub height: u32,
    pub extension: &'static str,
    pub contents: Contents<'static>,
}

/// What was made of one source with one set of parameters.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The cache key: the source's content hash and the parameters' digest.
    pub key: String,
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
    /// Narrowest first; a WebP and a fallback per width.
    pub variants: Vec<File>,
    pub card: Option<File>,
    pub original: Option<File>,
}

impl Entry {
    pub fn fallback_type(&self) -> &'static str {
        if self.alpha {
            "image/png"
        } else {
            "image/jpeg"
        }
    }

    fn from_made(
        key: &str,
        made: Made,
        contents: impl Fn(&str, Vec<u8>) -> Contents<'static>,
    ) -> Entry {
        let mut entry = Entry {
            key: key.to_string(),
            width: made.width,
            height: made.height,
            alpha: made.alpha,
            variants: Vec::new(),
            card: None,
            original: None,
        };
        for f in made.files {
            let name = file_name(f.role, f.width, f.extension);
            let file = File {
                width: f.width,
                height: f.height,
                extension: f.extension,
                contents: contents(&name, f.bytes),
            };
            match f.role {
                Role::Variant => entry.variants.push(file),
                Role::Card => entry.card = Some(file),
                Role::Original => entry.original = Some(file),
            }
        }
        entry
    }
}

fn file_name(role: Role, width: u32, extension: &str) -> String {
    match role {
        Role::Variant => format!("{width}.{extension}"),
        Role::Card => format!("card.{extension}"),
        Role::Original => format!("original.{extension}"),
    }
}

/// `entry.json`.
#[derive(serde::Serialize, serde::Deserialize)]
struct Listing {
    width: u32,
    height: u32,
    alpha: bool,
    files: Vec<Listed>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Listed {
    role: Role,
    width: u32,
    height: u32,
    extension: String,
    len: u64,
}

/// A source's hash, valid while its size, modification and change times and inode stay the
/// same (the change time, which no tool sets back, tells a file replaced by one of the same
/// size with its modification time restored: `cp -p`, `rsync -a`, `tar x`).
type Known = HashMap<PathBuf, (Stamp, u128)>;

/// The image cache of one build, or of one `serve` session.
#[derive(Debug)]
pub struct ImageCache {
    /// `.<output>.podium/images/`, when there is one.
    dir: Option<PathBuf>,
    /// Whether new entries go into `dir` (`build`) or stay in memory (`serve`, `check`).
    writable: bool,
    sources: Mutex<Known>,
    memory: Mutex<HashMap<String, Entry>>,
    used: Mutex<HashSet<String>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl ImageCache {
    /// The cache of `podium build`, in `dir`.
    pub fn on_disk(dir: PathBuf) -> ImageCache {
        let sources = read_sources(&dir.join("sources.json"));
        ImageCache {
            dir: Some(dir),
            writable: true,
            sources: Mutex::new(sources),
            memory: Mutex::default(),
            used: Mutex::default(),
        }
    }

    /// A cache that keeps what it makes in memory, reading the entries a build left in
    /// `dir` (if any) without ever writing there.
    pub fn in_memory(dir: Option<PathBuf>) -> ImageCache {
        let sources = dir
            .as_deref()
            .map(|d| read_sources(&d.join("sources.json")))
            .unwrap_or_default();
        ImageCache {
            dir,
            writable: false,
            sources: Mutex::new(sources),
            memory: Mutex::default(),
            used: Mutex::default(),
        }
    }

    /// The entry for `source` with `params`, and whether it was made now (rather than found).
    pub fn get_or_make(&self, source: &Path, params: &Params) -> Result<(Entry, bool), String> {
        let meta = std::fs::metadata(source).map_err(|e| format!("cannot read it: {e}"))?;
        let stamp = Stamp::of(&meta);
        let known = lock(&self.sources)
            .get(source)
            .filter(|(s, _)| *s == stamp)
            .map(|(_, h)| *h);
        let mut bytes = None;
        let hash = match known {
            Some(h) => h,
            None => {
                let b = std::fs::read(source).map_err(|e| format!("cannot read it: {e}"))?;
                let h = xxhash_rust::xxh3::xxh3_128(&b);
                lock(&self.sources).insert(source.to_path_buf(), (stamp, h));
                bytes = Some(b);
                h
            }
        };
        let key = format!("{hash:032x}-{:016x}", params.key());
        lock(&self.used).insert(key.clone());
        if let Some(e) = lock(&self.memory).get(&key) {
            return Ok((e.clone(), false));
        }
        if let Some(e) = self
            .dir
            .as_deref()
            .and_then(|d| read_entry(&d.join(&key), &key))
        {
            return Ok((e, false));
        }
        let bytes = match bytes {
            Some(b) => b,
            None => std::fs::read(source).map_err(|e| format!("cannot read it: {e}"))?,
        };
        let made = encode::make(&bytes, params)?;
        // The cache is only a shortcut: an entry it cannot keep (a full disk, a folder it
        // may not write) is kept in memory for this build, and made again by the next.
        if let (Some(dir), true) = (&self.dir, self.writable)
            && let Ok(kept) = write_entry(&dir.join(&key), &key, &made)
        {
            let entry = match kept {
                Kept::Written => Entry::from_made(&key, made, |name, _| {
                    Contents::Copy(dir.join(&key).join(name))
                }),
                Kept::Found(entry) => entry,
            };
            return Ok((entry, true));
        }
        let e = Entry::from_made(&key, made, |_, b| Contents::Bytes(b));
        lock(&self.memory).insert(key, e.clone());
        Ok((e, true))
    }

    /// After a build: record the sources' hashes and remove the entries it did not use.
    /// (In memory: forget the entries of images no longer used.) Failing is no error: the
    /// next build reads the images again.
    pub fn finish(&self) {
        let used = std::mem::take(&mut *lock(&self.used));
        lock(&self.memory).retain(|k, _| used.contains(k));
        let (Some(dir), true) = (&self.dir, self.writable) else {
            return;
        };
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.path().is_dir() && !used.contains(&name) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        let sources: Vec<(String, Stamp, String)> = lock(&self.sources)
            .iter()
            .map(|(p, (s, h))| (p.to_string_lossy().into_owned(), *s, format!("{h:032x}")))
            .collect();
        if let Ok(json) = serde_json::to_vec(&sources) {
            let tmp = dir.join("sources.json.tmp");
            if std::fs::write(&tmp, json).is_ok() {
                let _ = std::fs::rename(&tmp, dir.join("sources.json"));
            }
        }
    }
}

fn read_sources(path: &Path) -> Known {
    let Ok(bytes) = std::fs::read(path) else {
        return Known::new();
    };
    let Ok(list) = serde_json::from_slice::<Vec<(String, Stamp, String)>>(&bytes) else {
        return Known::new();
    };
    list.into_iter()
        .filter_map(|(p, stamp, h)| {
            let hash = u128::from_str_radix(&h, 16).ok()?;
            Some((PathBuf::from(p), (stamp, hash)))
        })
        .collect()
}

/// An entry on disk, if it is whole.
fn read_entry(dir: &Path, key: &str) -> Option<Entry> {
    let listing: Listing =
        serde_json::from_slice(&std::fs::read(dir.join("entry.json")).ok()?).ok()?;
    let mut entry = Entry {
        key: key.to_string(),
        width: listing.width,
        height: listing.height,
        alpha: listing.alpha,
        variants: Vec::new(),
        card: None,
        original: None,
    };
    for l in listing.files {
        let extension = ["webp", "jpg", "png"]
            .into_iter()
            .find(|e| *e == l.extension)?;
        let path = dir.join(file_name(l.role, l.width, extension));
        if std::fs::metadata(&path).ok()?.len() != l.len {
            return None;
        }
        let file = File {
            width: l.width,
            height: l.height,
            extension,
            contents: Contents::Copy(path),
        };
        match l.role {
            Role::Variant => entry.variants.push(file),
            Role::Card => entry.card = Some(file),
            Role::Original => entry.original = Some(file),
        }
    }
    (!entry.variants.is_empty()).then_some(entry)
}

/// Write an entry: its files into a fresh folder, the listing last, then the folder into
/// place, so that a killed build leaves no half entry under the key.
/// What `write_entry` did: wrote the entry, or found it made meanwhile (by another thread
/// processing the same bytes under another name, or another build).
enum Kept {
    Written,
    Found(Entry),
}

/// Keep `made` in the cache folder `dir`: written beside it under a name of its own, then
/// renamed into place, so that no reader ever sees half an entry.
fn write_entry(dir: &Path, key: &str, made: &Made) -> std::io::Result<Kept> {
    static WRITING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
    // One folder per thread at work: the same photo in two folders is two jobs with one key.
    let temporary = parent.join(format!(
        "{}.tmp-{}-{}",
        name.unwrap_or_default(),
        std::process::id(),
        WRITING.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&temporary);
    std::fs::create_dir_all(&temporary)?;
    let listing = Listing {
        width: made.width,
        height: made.height,
        alpha: made.alpha,
        files: made
            .files
            .iter()
            .map(|f| Listed {
                role: f.role,
                width: f.width,
                height: f.height,
                extension: f.extension.to_string(),
                len: f.bytes.len() as u64,
            })
            .collect(),
    };
    let written = (|| {
        for f in &made.files {
            std::fs::write(
                temporary.join(file_name(f.role, f.width, f.extension)),
                &f.bytes,
            )?;
        }
        std::fs::write(
            temporary.join("entry.json"),
            serde_json::to_vec(&listing).map_err(std::io::Error::other)?,
        )
    })();
    let found = || read_entry(dir, key).map(Kept::Found);
    let kept = match written {
        Err(e) => Err(e),
        Ok(()) => match found() {
            Some(kept) => Ok(kept),
            None => {
                // A damaged entry is replaced; one put in place meanwhile is taken as it is.
                let _ = std::fs::remove_dir_all(dir);
                match std::fs::rename(&temporary, dir) {
                    Ok(()) => Ok(Kept::Written),
                    Err(e) => found().ok_or(e),
                }
            }
        },
    };
    let _ = std::fs::remove_dir_all(&temporary);
    kept
}
