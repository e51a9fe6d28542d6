//! The site's privacy key: what makes the address of a person shown as initials stable
//! across builds yet impossible to recompute from a guessed name.
//!
//! An address made from a plain hash of the name would give the person away to anyone who
//! hashes a guess. So the address is a keyed hash (HMAC-SHA-256) of the person's slug under
//! a secret kept with the site's sources: `PODIUM_PRIVACY_KEY` in the environment (for CI
//! secrets), else the file `.podium-key` in the site's root folder. When a site first needs
//! one, `podium build` or `serve` writes a fresh random key there and says so. Someone who
//! can read the sources can read the names anyway, so the key may live wherever the sources
//! do; what it must not do is change, or every protected address changes with it.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::path::{Path, PathBuf};

/// The file, in the site's root folder, that holds the key.
pub const KEY_FILE: &str = ".podium-key";
/// The environment variable that overrides the file.
pub const KEY_VARIABLE: &str = "PODIUM_PRIVACY_KEY";

/// A site's secret for protected addresses.
#[derive(Clone, PartialEq, Eq)]
pub struct Key(Vec<u8>);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(…)")
    }
}

impl Key {
    /// The key from the environment or the site's key file, if there is one. A key shorter
    /// than 16 characters is refused: it could be guessed as easily as a name.
    pub fn read(root: &Path) -> Result<Option<Key>, String> {
        if let Some(v) = std::env::var_os(KEY_VARIABLE) {
            let v = v.to_string_lossy().trim().to_string();
            return Key::from_text(&v)
                .map(Some)
                .ok_or_else(|| format!("`{KEY_VARIABLE}` is shorter than 16 characters"));
        }
        match std::fs::read_to_string(root.join(KEY_FILE)) {
            Ok(text) => Key::from_text(text.trim()).map(Some).ok_or_else(|| {
                format!("`{KEY_FILE}` holds fewer than 16 characters; delete it and build again to make a new one (protected addresses will change)")
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read `{KEY_FILE}`: {e}")),
        }
    }

    fn from_text(text: &str) -> Option<Key> {
        (text.chars().count() >= 16).then(|| Key(text.as_bytes().to_vec()))
    }

    /// A new random key (256 bits, as hex).
    pub fn random() -> Key {
        let mut bytes = [0u8; 32];
        // The operating system's generator; without it there is nothing safe to fall back on.
        getrandom::fill(&mut bytes).expect("the operating system's random number generator");
        Key(hex(&bytes).into_bytes())
    }

    /// Write a new random key to the site's key file (never over an existing one).
    pub fn create(root: &Path) -> std::io::Result<(Key, PathBuf)> {
        let key = Key::random();
        let path = root.join(KEY_FILE);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        use std::io::Write;
        writeln!(file, "{}", std::str::from_utf8(&key.0).unwrap_or_default())?;
        file.sync_all()?;
        Ok((key, path))
    }

    /// The address of a protected person: `p-` and 16 letters and digits from the keyed hash
    /// of `what` (a slug, or a report and a slug).
    pub fn opaque_slug(&self, what: &str) -> String {
        // HMAC accepts a key of any length.
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(b"podium person\0");
        mac.update(what.as_bytes());
        let digest = mac.finalize().into_bytes();
        format!("p-{}", &hex(&digest)[..16])
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_stable_keyed_and_reveal_nothing() {
        let a = Key(b"0123456789abcdef-site-a".to_vec());
        let b = Key(b"0123456789abcdef-site-b".to_vec());
        let slug = a.opaque_slug("nargiz-safarova");
        assert_eq!(slug, a.opaque_slug("nargiz-safarova"));
        assert_ne!(slug, b.opaque_slug("nargiz-safarova"));
        assert_ne!(slug, a.opaque_slug("nargiz-aliyev"));
        assert!(slug.starts_with("p-") && slug.len() == 18);
        assert!(!slug.contains("nargiz"));
    }

    #[test]
    fn short_keys_are_refused() {
        assert!(Key::from_text("short").is_none());
        assert!(Key::from_text("long enough for a key").is_some());
    }
}
