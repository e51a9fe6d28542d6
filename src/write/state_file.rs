//! Files Podium keeps beside the output between builds (the manifest, the search index's
//! words): written whole through a temporary file, closed by a line that counts and hashes
//! what comes before it, and each kept as a large whole file plus a small file of the
//! changes since, so that a rebuild after one edit writes a few lines rather than tens of
//! megabytes.
//!
//! The whole file's first line ends with a random id, and the changes name it: the two go
//! together. Changes that name another id (someone's copy of an older file, a build killed
//! between writing the two) make the pair count as lost, as a damaged file does: a state
//! file is only ever a shortcut, so a lost one costs time, never a wrong output.

use std::path::Path;

/// The lines of `text` between its first line and a closing `end <count> <check>` line that
/// counts them and hashes everything before it: `(first line, lines, count)`; `None` when
/// that does not hold (a truncated or altered file).
pub fn checked_body(text: &str) -> Option<(&str, &str, usize)> {
    let first_end = text.find('\n')?;
    let body_end = text.trim_end_matches('\n').rfind('\n')?;
    if body_end < first_end {
        return None;
    }
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
    Some((
        &text[..first_end],
        &body[first_end + 1..],
        count.parse().ok()?,
    ))
}

/// `body` (its first line and `count` more) with the closing line `checked_body` expects.
pub fn closed(mut body: String, count: usize) -> String {
    use std::fmt::Write;
    let check = xxhash_rust::xxh3::xxh3_64(body.as_bytes());
    let _ = writeln!(body, "end {count} {check:016x}");
    body
}

/// The id at the end of a first line `<header> <id>`, if the line has that header.
pub fn id_after(first: &str, header: &str) -> Option<u64> {
    match first.rsplit_once(' ')? {
        (h, id) if h == header => u64::from_str_radix(id, 16).ok(),
        _ => None,
    }
}

/// Write `text` to `path` through a temporary file (`<path>.tmp`), so that a reader sees the
/// old file or the new one, never half of one. Not synced to the disk: after a power cut, a
/// lost state file only costs the next build time.
pub fn write_whole(path: &Path, text: String) -> std::io::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, path)
}

/// A whole file's id: random, so that changes are never applied to a whole file written
/// after them, even one with the same lines.
pub fn new_id() -> u64 {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        bytes = (nanos ^ u64::from(std::process::id()).rotate_left(32)).to_le_bytes();
    }
    u64::from_le_bytes(bytes).max(1)
}

/// Whether changes to `whole` entries, `changed` of them, are still few enough to be kept
/// as changes: up to a quarter of the whole (a change to the search index alone gives all of
/// its 31,000 files at 100,000 reports a new fingerprint: a twelfth of the manifest).
pub fn few_changes(changed: usize, whole: usize) -> bool {
    changed <= (whole / 4).max(64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_body_reads_back_and_any_damage_is_seen() {
        let text = closed("head 00000000000000ff\na\nb c\n".to_string(), 2);
        let (first, lines, count) = checked_body(&text).unwrap();
        assert_eq!(
            (first, lines, count),
            ("head 00000000000000ff", "a\nb c\n", 2)
        );
        assert_eq!(id_after(first, "head"), Some(255));
        assert_eq!(id_after(first, "other"), None);
        for cut in [3, text.len() / 2, text.len() - 2] {
            assert_eq!(checked_body(&text[..cut]), None, "cut at {cut}");
        }
        assert_eq!(checked_body(&text.replace("b c", "b d")), None);
        assert_eq!(checked_body(""), None);
    }
}
