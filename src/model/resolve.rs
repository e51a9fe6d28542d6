//! Name resolution: turning the names editors write into entities.
//!
//! A speaker or organization is known by its slug (the transliterated name), by the slug of
//! each alias its profile declares, and by the profile's file name. Two spellings that
//! transliterate alike (`Aygün Aliyeva`, `Aygun Aliyeva`) therefore meet at one key and one
//! page, with no profile needed; a profile only adds spellings that do not (`Aygün Əliyeva`,
//! whose `ə` becomes `e`, or `Айгюн Алиева`).

use super::slug::slugify;
use std::path::PathBuf;

/// An entity being collected: the first spelling seen becomes its name unless a profile
/// names it; every other spelling becomes an alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub slug: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub profile: Option<PathBuf>,
    /// How many times a report mentions it (a profile nobody mentions is worth a warning).
    pub mentions: usize,
}

/// Why a profile could not claim a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub key: String,
    pub spelling: String,
    pub other: PathBuf,
}

#[derive(Debug, Default)]
pub struct Registry {
    pub entries: Vec<Entry>,
    /// Looked up once per name a report mentions (200,000 times at 10,000 reports): a fast
    /// hash, since the keys are the site's own names.
    by_key: rustc_hash::FxHashMap<String, usize>,
}

impl Registry {
    /// Register a profile with its own slug, name and aliases. Every key must be free.
    /// `lookup_only` are further keys (the profile's file name) that find the entity
    /// without being shown as spellings of its name.
    pub fn add_profile(
        &mut self,
        slug: String,
        name: String,
        aliases: &[String],
        lookup_only: &[String],
        file: PathBuf,
    ) -> Result<usize, Conflict> {
        let name = super::names::clean(&name);
        let aliases: Vec<String> = aliases.iter().map(|a| super::names::clean(a)).collect();
        let aliases = aliases.as_slice();
        let mut keys = vec![(slug.clone(), name.clone()), (slugify(&name), name.clone())];
        keys.extend(
            aliases
                .iter()
                .chain(lookup_only)
                .map(|a| (slugify(a), a.clone())),
        );
        for (key, spelling) in &keys {
            if let Some(&existing) = self.by_key.get(key) {
                return Err(Conflict {
                    key: key.clone(),
                    spelling: spelling.clone(),
                    other: self.entries[existing].profile.clone().unwrap_or_default(),
                });
            }
        }
        let index = self.entries.len();
        for (key, _) in keys.into_iter().filter(|(k, _)| !k.is_empty()) {
            self.by_key.insert(key, index);
        }
        self.entries.push(Entry {
            slug,
            name,
            aliases: aliases.to_vec(),
            profile: Some(file),
            mentions: 0,
        });
        Ok(index)
    }

    /// The entity a report's name refers to, created on first mention. `None` when the name
    /// has nothing to make a slug from.
    pub fn mention(&mut self, spelling: &str) -> Option<usize> {
        // Trailing, doubled and non-breaking spaces and zero-width characters neither make a
        // second entity nor show on the page.
        let cleaned = super::names::clean(spelling);
        let key = slugify(&cleaned);
        if key.is_empty() {
            return None;
        }
        Some(self.mention_keyed(&cleaned, &key))
    }

    /// `mention` of a spelling already cleaned, whose (non-empty) key is `key`.
    pub fn mention_keyed(&mut self, spelling: &str, key: &str) -> usize {
        let index = match self.by_key.get(key) {
            Some(&i) => i,
            None => {
                let i = self.entries.len();
                self.by_key.insert(key.to_string(), i);
                self.entries.push(Entry {
                    // The key may be too long for an address; the slug is then cut to fit.
                    slug: super::slug::fit(key.to_string()),
                    name: spelling.to_string(),
                    aliases: Vec::new(),
                    profile: None,
                    mentions: 0,
                });
                i
            }
        };
        self.count_mention(index);
        let entry = &mut self.entries[index];
        if entry.name != spelling && !entry.aliases.iter().any(|a| a == spelling) {
            entry.aliases.push(spelling.to_string());
        }
        index
    }

    /// One more mention of entity `index`, by a spelling `mention_keyed` took in before.
    pub fn count_mention(&mut self, index: usize) {
        self.entries[index].mentions += 1;
    }

    /// The entity whose profile is `file`.
    pub fn by_profile(&self, file: &std::path::Path) -> Option<usize> {
        self.entries
            .iter()
            .position(|e| e.profile.as_deref() == Some(file))
    }

    /// Let one more spelling (a translated name) find entity `index`, without showing it as
    /// a spelling of the name. Fails with the other profile's file when it names another.
    pub fn add_lookup(&mut self, index: usize, spelling: &str) -> Result<(), PathBuf> {
        let key = slugify(&super::names::clean(spelling));
        if key.is_empty() {
            return Ok(());
        }
        match self.by_key.get(&key) {
            Some(&i) if i != index => Err(self.entries[i].profile.clone().unwrap_or_default()),
            Some(_) => Ok(()),
            None => {
                self.by_key.insert(key, index);
                Ok(())
            }
        }
    }

    /// Look a name up without creating anything.
    pub fn find(&self, spelling: &str) -> Option<usize> {
        self.by_key.get(&slugify(spelling)).copied()
    }

    /// Every slug in use, for "did you mean" hints.
    pub fn slugs(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.slug.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_that_transliterate_alike_are_one_entity() {
        let mut r = Registry::default();
        let a = r.mention("Aygun Aliyeva").unwrap();
        let b = r.mention("Aygün Alıyeva").unwrap();
        assert_eq!(a, b);
        assert_eq!(r.entries[a].name, "Aygun Aliyeva");
        assert_eq!(r.entries[a].aliases, vec!["Aygün Alıyeva"]);
        assert_eq!(r.entries[a].mentions, 2);
    }

    #[test]
    fn profile_aliases_catch_other_scripts() {
        let mut r = Registry::default();
        let p = r
            .add_profile(
                "aygun-aliyeva".into(),
                "Aygun Aliyeva".into(),
                &["Айгюн Алиева".into()],
                &[],
                "p.md".into(),
            )
            .unwrap();
        assert_eq!(r.mention("Айгюн Алиева"), Some(p));
        assert_eq!(r.mention("AYGUN ALIYEVA"), Some(p));
    }

    #[test]
    fn two_profiles_cannot_claim_one_alias() {
        let mut r = Registry::default();
        r.add_profile(
            "a".into(),
            "A".into(),
            &["Shared".into()],
            &[],
            "a.md".into(),
        )
        .unwrap();
        let err = r
            .add_profile(
                "b".into(),
                "B".into(),
                &["Shared".into()],
                &[],
                "b.md".into(),
            )
            .unwrap_err();
        assert_eq!(err.other, PathBuf::from("a.md"));
        assert_eq!(err.key, "shared");
    }

    #[test]
    fn nameless_mentions_are_refused() {
        let mut r = Registry::default();
        assert_eq!(r.mention("  ?? "), None);
    }
}
