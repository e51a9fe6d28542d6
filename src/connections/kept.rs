//! The connections drawn from the front matter (`Drawn`), kept beside the output
//! (`.<output>.podium/connections`) from one build to the next: an edit of a report's body
//! changes none of them, and drawing them again took a quarter of a second at 10,000
//! reports. A shortcut only: a missing, damaged or foreign file is ignored, and `Drawn::key`
//! decides whether what it holds is taken.

use super::Drawn;
use std::path::Path;

/// The first line of the file, with its format's version; then the checksum of the rest.
const MAGIC: &[u8] = b"podium-connections 1\n";

/// What the file at `path` holds, if it is whole. (A temporary file that a build killed
/// while writing it left is removed: one build at a time holds the output's lock.)
pub fn read(path: &Path) -> Option<Drawn> {
    let _ = std::fs::remove_file(path.with_extension("tmp"));
    let bytes = std::fs::read(path).ok()?;
    let rest = bytes.strip_prefix(MAGIC)?;
    let (checksum, payload) = rest.split_at_checked(8)?;
    if xxhash_rust::xxh3::xxh3_64(payload).to_le_bytes() != checksum {
        return None;
    }
    rmp_serde::from_slice(payload).ok()
}

/// Keep `drawn` at `path` (through a temporary file renamed over it). Failing to is no
/// error: the next build draws them again.
pub fn write(path: &Path, drawn: &Drawn) {
    let Ok(payload) = rmp_serde::to_vec(drawn) else {
        return;
    };
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&payload).to_le_bytes());
    bytes.extend_from_slice(&payload);
    let temporary = path.with_extension("tmp");
    if std::fs::write(&temporary, bytes).is_ok() {
        let _ = std::fs::rename(&temporary, path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ForumId, SpeakerId};

    #[test]
    fn what_is_kept_reads_back_and_a_damaged_file_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("connections");
        let drawn = Drawn {
            key: 7,
            related: vec![vec![ForumId(1)], vec![ForumId(0)]],
            often_with: vec![vec![(SpeakerId(1), 2)], vec![(SpeakerId(0), 2)]],
            ..Drawn::default()
        };
        write(&path, &drawn);
        assert_eq!(read(&path), Some(drawn));
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(read(&path), None);
        std::fs::write(&path, &bytes[..10]).unwrap();
        assert_eq!(read(&path), None);
    }
}
