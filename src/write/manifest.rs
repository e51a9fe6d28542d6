//! The manifest of a built output: every file's content hash, size and modification time as
//! the last build left it, and the fingerprint of the page it holds.
//!
//! It is what lets a rebuild touch only what changed. A file whose new bytes hash the same as
//! the manifest says, and whose size and modification time on disk are still the ones the
//! manifest recorded, is left alone; anything else (a file edited by hand, a manifest lost or
//! from another output) falls back to comparing the bytes on disk, so the manifest is only
//! ever a shortcut: a wrong one costs time, never a wrong output. It lives beside the output
//! (in `.<name>.podium/`), not in it, so it is never uploaded with the site.
//!
//! The format is one text line per file, with a closing line that counts and hashes the
//! others: a truncated or altered manifest is detected and ignored as a whole.

use rustc_hash::FxHashMap;
use std::path::Path;

const HEADER: &str = "podium-manifest 1";

/// What the manifest knows of one output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// xxh3-128 of the file's bytes.
    pub hash: u128,
    /// The file's size and modification time (nanoseconds since the epoch) once written.
    pub stamp: Stamp,
    /// The fingerprint of what the file was made from: a page's inputs (see
    /// `render::PageRenderer::fingerprint`), or a copied file's source size and time.
    pub fingerprint: Option<u64>,
}

/// A file's size and modification time: what tells, without reading it, that a file is
/// still the one a build wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    pub len: u64,
    pub modified: i128,
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        let modified = meta
            .modified()
            .ok()
            .map(|t| match t.duration_since(std::time::UNIX_EPOCH) {
                Ok(d) => d.as_nanos() as i128,
                Err(e) => -(e.duration().as_nanos() as i128),
            })
            .unwrap_or(0);
        Stamp {
            len: meta.len(),
            modified,
        }
    }

    /// The stamp of the file at `path`, if it is a plain file (a symbolic link is not
    /// followed: the output never holds one, so it is a file to replace).
    pub fn read(path: &Path) -> Option<Stamp> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        meta.file_type().is_file().then(|| Stamp::of(&meta))
    }
}

pub fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// `hash` of bytes handed over a piece at a time, and how many there were: the same hash as
/// of the pieces joined.
#[derive(Default)]
pub struct Hasher {
    state: xxhash_rust::xxh3::Xxh3,
    len: u64,
}

impl Hasher {
    pub fn update(&mut self, piece: &[u8]) {
        self.state.update(piece);
        self.len += piece.len() as u64;
    }

    pub fn finish(&self) -> u128 {
        self.state.digest128()
    }

    pub fn byte_count(&self) -> u64 {
        self.len
    }
}

/// Output path (`/`-separated, relative) -> entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    pub files: FxHashMap<String, Entry>,
}

/// One line of the manifest: hash, size, modification time, fingerprint (or `-`), path.
fn parse_line(line: &str) -> Option<(String, Entry)> {
    let mut fields = line.splitn(5, ' ');
    let hash = u128::from_str_radix(fields.next()?, 16).ok()?;
    let len = fields.next()?.parse().ok()?;
    let modified = fields.next()?.parse().ok()?;
    let fingerprint = match fields.next()? {
        "-" => None,
        fp => Some(u64::from_str_radix(fp, 16).ok()?),
    };
    let path = fields.next()?;
    Some((
        path.to_string(),
        Entry {
            hash,
            stamp: Stamp { len, modified },
            fingerprint,
        },
    ))
}

/// `text` in pieces of about `size` bytes, each but the last ending with a line's `\n`.
fn split_at_lines(text: &str, size: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while rest.len() > size {
        // Looked for in bytes: `size` may fall inside a character of a path.
        let cut = rest.as_bytes()[size..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| size + i + 1);
        let (piece, after) = rest.split_at(cut);
        pieces.push(piece);
        rest = after;
    }
    if !rest.is_empty() {
        pieces.push(rest);
    }
    pieces
}

impl Manifest {
    /// The manifest at `path`; empty when it is missing, unreadable, truncated or not one
    /// of ours (then every file is compared on disk instead).
    pub fn read(path: &Path) -> Manifest {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|text| Manifest::parse(&text))
            .unwrap_or_default()
    }

    fn parse(text: &str) -> Option<Manifest> {
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let body_end = text.trim_end_matches('\n').rfind('\n')?;
        let (body, last) = text.split_at(body_end + 1);
        let mut closing = last.trim_end().split(' ');
        let (Some("end"), Some(count), Some(check), None) = (
            closing.next(),
            closing.next(),
            closing.next(),
            closing.next(),
        ) else {
            return None;
        };
        if format!("{:016x}", xxhash_rust::xxh3::xxh3_64(body.as_bytes())) != check {
            return None;
        }
        // Parsed in pieces on every core (355,000 lines at 100,000 reports), each piece
        // ending at a line's end, then gathered into the map.
        let entries = &body[body.find('\n')? + 1..];
        let pieces = split_at_lines(entries, 1 << 20);
        let parsed: Vec<Vec<(String, Entry)>> = {
            use rayon::prelude::*;
            pieces
                .par_iter()
                .map(|piece| piece.lines().map(parse_line).collect::<Option<Vec<_>>>())
                .collect::<Option<Vec<_>>>()?
        };
        let mut files = FxHashMap::default();
        files.reserve(parsed.iter().map(Vec::len).sum());
        for piece in parsed {
            files.extend(piece);
        }
        (files.len().to_string() == count).then_some(Manifest { files })
    }

    /// The manifest as text, files in path order (so equal manifests are equal files).
    pub fn to_text(&self) -> String {
        use rayon::prelude::*;
        use std::fmt::Write;
        let mut paths: Vec<&String> = self.files.keys().collect();
        paths.par_sort_unstable();
        // Lines made on every core, a few thousand to a string (at 100,000 reports the
        // manifest has 355,000 lines), then joined in order.
        let chunks: Vec<String> = paths
            .par_chunks(4096)
            .map(|paths| {
                let mut lines = String::with_capacity(paths.len() * 120);
                for path in paths {
                    let e = &self.files[*path];
                    let _ = write!(
                        lines,
                        "{:032x} {} {} ",
                        e.hash, e.stamp.len, e.stamp.modified
                    );
                    match e.fingerprint {
                        Some(f) => {
                            let _ = write!(lines, "{f:016x}");
                        }
                        None => lines.push('-'),
                    }
                    lines.push(' ');
                    lines.push_str(path);
                    lines.push('\n');
                }
                lines
            })
            .collect();
        let mut body = String::with_capacity(
            HEADER.len() + 64 + chunks.iter().map(String::len).sum::<usize>(),
        );
        body.push_str(HEADER);
        body.push('\n');
        chunks.iter().for_each(|c| body.push_str(c));
        let check = xxhash_rust::xxh3::xxh3_64(body.as_bytes());
        let _ = writeln!(body, "end {} {check:016x}", self.files.len());
        body
    }

    /// Write the manifest to `path` through a temporary file, so that a reader sees the old
    /// manifest or the new one, never half of one. (Not synced to the disk: after a power
    /// cut a lost manifest only costs the next build a comparison of the files themselves.)
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let temporary = path.with_extension("tmp");
        std::fs::write(&temporary, self.to_text())?;
        std::fs::rename(&temporary, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_hash_as_their_bytes_joined() {
        let text = b"{\"items\":[{\"id\":1},{\"id\":2}]}\n".repeat(100);
        for cut in [0, 1, 7, 300, text.len() - 1, text.len()] {
            let (a, b) = text.split_at(cut);
            let mut hasher = Hasher::default();
            [a, &[], b].iter().for_each(|p| hasher.update(p));
            assert_eq!(hasher.finish(), hash(&text), "cut at {cut}");
            assert_eq!(hasher.byte_count(), text.len() as u64);
        }
        let mut other = Hasher::default();
        other.update(&text[1..]);
        assert_ne!(other.finish(), hash(&text));
    }

    fn sample() -> Manifest {
        let mut m = Manifest::default();
        m.files.insert(
            "forums/a b/index.html".into(),
            Entry {
                hash: hash(b"<html>"),
                stamp: Stamp {
                    len: 6,
                    modified: 1_700_000_000_123_456_789,
                },
                fingerprint: Some(42),
            },
        );
        m.files.insert(
            "style.css".into(),
            Entry {
                hash: 7,
                stamp: Stamp {
                    len: 1,
                    modified: -5,
                },
                fingerprint: None,
            },
        );
        m
    }

    #[test]
    fn a_manifest_reads_back_as_written() {
        let m = sample();
        assert_eq!(Manifest::parse(&m.to_text()), Some(m));
    }

    /// Lines are made on several threads in chunks: they must still come out one per file,
    /// in path order, and read back whole.
    #[test]
    fn a_manifest_of_many_files_is_written_in_path_order() {
        let mut m = Manifest::default();
        for i in (0..10_000u32).rev() {
            let entry = Entry {
                hash: i.into(),
                stamp: Stamp {
                    len: i.into(),
                    modified: i.into(),
                },
                fingerprint: (i % 2 == 0).then_some(i.into()),
            };
            m.files.insert(format!("forums/{i:05}/index.html"), entry);
        }
        let text = m.to_text();
        let paths: Vec<&str> = text
            .lines()
            .skip(1)
            .filter_map(|l| l.splitn(5, ' ').nth(4))
            .collect();
        assert_eq!(paths.len(), 10_000);
        assert!(paths.windows(2).all(|w| w[0] < w[1]), "not in order");
        assert_eq!(Manifest::parse(&text), Some(m));
    }

    #[test]
    fn a_truncated_or_altered_manifest_is_not_trusted() {
        let text = sample().to_text();
        for cut in [10, text.len() / 2, text.len() - 3] {
            assert_eq!(Manifest::parse(&text[..cut]), None, "cut at {cut}");
        }
        let altered = text.replacen("style.css", "style.csx", 1);
        assert_eq!(Manifest::parse(&altered), None);
        assert_eq!(Manifest::parse("not a manifest\n"), None);
        assert_eq!(Manifest::parse(""), None);
    }

    #[test]
    fn pieces_of_the_manifest_end_at_lines_even_inside_characters() {
        let text = "a ü\nbb ğğ\n\nccc\nd".repeat(50);
        for size in [1, 2, 3, 5, 17, text.len() - 1, text.len(), text.len() + 1] {
            let pieces = split_at_lines(&text, size);
            assert_eq!(pieces.concat(), text, "size {size}");
            let (last, rest) = pieces.split_last().unwrap();
            assert!(rest.iter().all(|p| p.ends_with('\n')), "size {size}");
            assert!(!last.is_empty());
        }
        assert!(split_at_lines("", 4).is_empty());
    }
}
