//! The words of the interface in every language: the theme's catalogs (`i18n/<code>.yaml`,
//! also `i18n/<part>.<code>.yaml`), merged parent theme first, so that a theme adds a
//! language by adding a file and overrides a word by writing it again.
//!
//! A catalog is a flat map of dotted keys to a text (`nav.forums: Forums`), or to the forms
//! of a count by CLDR plural category (`count.forums: {one: "{count} forum", other: "{count}
//! forums"}`). `{name}` placeholders are filled from the caller's arguments. A word missing in
//! a language falls back to the site's default language, then to English; `podium check` warns
//! about each (`Words::missing`).

use super::calendar::Calendar;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// One catalog entry.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
pub enum Entry {
    Text(String),
    /// CLDR plural category (`one`, `few`, `many`, `other`...) -> form.
    Count(BTreeMap<String, String>),
}

/// Every language's words and calendar.
#[derive(Debug, Default)]
pub struct Words {
    catalogs: HashMap<String, HashMap<String, Entry>>,
    /// The site's default language: the second place a word is looked for.
    default: String,
    calendars: HashMap<String, Calendar>,
}

/// Why a word could not be given.
#[derive(Debug)]
pub struct Unknown(pub String);

impl Words {
    /// Words from catalog files (language, file name for messages, YAML text), parents'
    /// first; calendars for `languages`.
    pub fn new(
        files: &[(String, String, String)],
        languages: &[String],
    ) -> Result<Words, crate::diagnostic::Diagnostic> {
        let mut catalogs: HashMap<String, HashMap<String, Entry>> = HashMap::default();
        for (lang, display, text) in files {
            let entries: BTreeMap<String, Entry> =
                crate::load::parse_yaml(text, std::path::Path::new(display), 1, text)?;
            catalogs.entry(lang.clone()).or_default().extend(entries);
        }
        let mut calendars = HashMap::default();
        for lang in languages.iter().map(String::as_str).chain(["en"]) {
            calendars
                .entry(lang.to_string())
                .or_insert_with(|| Calendar::new(lang));
        }
        Ok(Words {
            catalogs,
            default: languages.first().cloned().unwrap_or_else(|| "en".into()),
            calendars,
        })
    }

    /// The entry for `key` in `lang`, or in the default language, or in English, with the
    /// language it was found in.
    fn entry<'w>(&'w self, lang: &'w str, key: &str) -> Option<(&'w str, &'w Entry)> {
        [lang, self.default.as_str(), "en"]
            .into_iter()
            .find_map(|l| Some((l, self.catalogs.get(l)?.get(key)?)))
    }

    pub fn calendar(&self, lang: &str) -> &Calendar {
        self.calendars
            .get(lang)
            .or_else(|| self.calendars.get("en"))
            .expect("English is always there")
    }

    /// The word `key` in `lang`, placeholders filled from `args`; with `count`, the form of
    /// the count's plural category (the form for `other` when the catalog lacks it).
    pub fn get(
        &self,
        lang: &str,
        key: &str,
        count: Option<u64>,
        args: &[(&str, &str)],
    ) -> Result<String, Unknown> {
        let Some((found_in, entry)) = self.entry(lang, key) else {
            return Err(Unknown(format!(
                "no word `{key}` in the theme's catalogs (i18n/{lang}.yaml, i18n/en.yaml)"
            )));
        };
        let text = match (entry, count) {
            (Entry::Text(t), _) => t.as_str(),
            (Entry::Count(forms), n) => {
                let category = self.calendar(found_in).plural(n.unwrap_or(0));
                forms
                    .get(category)
                    .or_else(|| forms.get("other"))
                    .ok_or_else(|| Unknown(format!("`{key}` has no `other` form")))?
            }
        };
        Ok(fill(text, count, args))
    }

    /// `get` for words the code itself needs: the key itself when even English lacks it
    /// (only a broken theme gets there; `missing` has already said so).
    pub fn word(&self, lang: &str, key: &str, args: &[(&str, &str)]) -> String {
        self.get(lang, key, None, args)
            .unwrap_or_else(|_| key.to_string())
    }

    /// The word `key` of `lang`'s own catalog, with no English in its place.
    pub fn own_word(&self, lang: &str, key: &str) -> Option<String> {
        match self.catalogs.get(lang)?.get(key)? {
            Entry::Text(t) => Some(t.clone()),
            Entry::Count(_) => None,
        }
    }

    /// `word` with a count.
    pub fn count(&self, lang: &str, key: &str, n: usize) -> String {
        self.get(lang, key, Some(n as u64), &[])
            .unwrap_or_else(|_| format!("{n}"))
    }

    /// Every word that is plain text (no placeholder, not a count), as a template value, by
    /// language and key, each found as `get` finds it (in the language, or the default, or
    /// English). Templates ask for a few dozen words on every page, almost all of them
    /// these: a value shared by every page rather than a string made for each.
    fn plain_values(&self) -> HashMap<String, HashMap<String, tera::Value>> {
        let keys: std::collections::BTreeSet<&String> =
            self.catalogs.values().flat_map(|c| c.keys()).collect();
        let languages: std::collections::BTreeSet<&String> =
            self.catalogs.keys().chain(self.calendars.keys()).collect();
        languages
            .into_iter()
            .map(|lang| {
                let words = keys
                    .iter()
                    .filter_map(|key| match self.entry(lang, key)?.1 {
                        Entry::Text(t) if !t.contains('{') => {
                            Some(((*key).clone(), tera::Value::from(t.as_str())))
                        }
                        _ => None,
                    })
                    .collect();
                (lang.clone(), words)
            })
            .collect()
    }

    /// (language, key) of every English word a site language has no word for.
    pub fn missing(&self, languages: &[String]) -> Vec<(String, String)> {
        let Some(english) = self.catalogs.get("en") else {
            return Vec::new();
        };
        let mut keys: Vec<&String> = english.keys().collect();
        keys.sort();
        let mut out = Vec::new();
        for lang in languages {
            let own = self.catalogs.get(lang);
            for key in &keys {
                if own.is_none_or(|c| !c.contains_key(*key)) {
                    out.push((lang.clone(), (*key).clone()));
                }
            }
        }
        out
    }
}

/// Fill `{count}` and `{name}` placeholders. A brace that names no placeholder given stays
/// as it is. One pass over the text: every page asks for a few dozen words.
fn fill(text: &str, count: Option<u64>, args: &[(&str, &str)]) -> String {
    if !text.contains('{') {
        return text.to_string();
    }
    let count = count.map(|n| n.to_string());
    let value_of = |name: &str| match name {
        "count" if count.is_some() => count.as_deref(),
        _ => args.iter().find(|(n, _)| *n == name).map(|(_, v)| *v),
    };
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| Some((close, value_of(&after[..close])?)))
        {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `t` function of templates: `t(key="nav.forums")`, `t(key="count.forums", count=3)`,
/// `t(key="pager.page_of", current=2, total=5)`, `t(key="notice.untranslated.forum",
/// own=true)` (the language's own word or an empty string, never another language's). The
/// language is the page's (`lang`).
pub fn register(tera: &mut tera::Tera, words: std::sync::Arc<Words>) {
    let plain = words.plain_values();
    tera.register_function(
        "t",
        move |kwargs: tera::Kwargs, state: &tera::State| -> tera::TeraResult<tera::Value> {
            let key: &str = kwargs.must_get("key")?;
            // As a value (a shared string), not a `String`: that one is made by formatting
            // the value, on every word of every page.
            let lang: Option<tera::Value> = state.get("lang")?;
            let lang = lang.as_ref().and_then(|l| l.as_str()).unwrap_or("en");
            if kwargs.iter().all(|(name, _)| name.as_str() == Some("key"))
                && let Some(word) = plain.get(lang).and_then(|words| words.get(key))
            {
                return Ok(word.clone());
            }
            // `own=true`: the language's own word, or nothing (a word that names the page's
            // language must not be taken from another language's words).
            if kwargs.get::<bool>("own")?.unwrap_or(false) {
                return Ok(words.own_word(lang, key).unwrap_or_default().into());
            }
            let mut count = None;
            let mut args: Vec<(String, String)> = Vec::new();
            for (name, value) in kwargs.iter() {
                let Some(name) = name.as_str() else { continue };
                match name {
                    "key" | "own" => {}
                    "count" => {
                        count = Some(value.as_u64().or_else(|| value.as_i64().map(|i| i.max(0) as u64)).ok_or_else(|| {
                            tera::Error::message(format!("t(key=\"{key}\"): `count` must be a whole number, not `{value}`"))
                        })?)
                    }
                    _ => args.push((name.to_string(), value.to_string())),
                }
            }
            let args: Vec<(&str, &str)> = args.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            // A count's forms without a count: all of them, for a script to choose from.
            if count.is_none()
                && let Some(Entry::Count(forms)) = words.entry(lang, key).map(|(_, e)| e)
            {
                let forms: BTreeMap<String, String> = forms
                    .iter()
                    .map(|(k, v)| (k.clone(), fill(v, None, &args)))
                    .collect();
                return tera::Value::try_from_serializable(&forms)
                    .map_err(|e| tera::Error::message(e.to_string()));
            }
            words
                .get(lang, key, count, &args)
                .map(tera::Value::from)
                .map_err(|e| tera::Error::message(e.0))
        },
    );
    tera.register_filter(
        "lang_attr",
        |value: tera::Value, _: tera::Kwargs, _: &tera::State| -> tera::TeraResult<tera::Value> {
            let code = value.as_str().unwrap_or_default();
            if code.is_empty() {
                return Ok(tera::Value::safe_string(""));
            }
            if !crate::load::is_language_code(code) {
                return Err(tera::Error::message(format!(
                    "`{code}` is not a language code"
                )));
            }
            Ok(tera::Value::safe_string(&format!(" lang=\"{code}\"")))
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> Words {
        let files = [
            ("en".to_string(), "en.yaml".to_string(), "a: Forums\nn:\n  one: \"{count} forum\"\n  other: \"{count} forums\"\np: Page {current} of {total}\nonly: English only\n".to_string()),
            ("ru".to_string(), "ru.yaml".to_string(), "a: Форумы\nn:\n  one: \"{count} форум\"\n  few: \"{count} форума\"\n  many: \"{count} форумов\"\n  other: \"{count} форума\"\n".to_string()),
        ];
        Words::new(&files, &["en".into(), "ru".into()]).unwrap()
    }

    #[test]
    fn placeholders_are_filled_once_each_and_unknown_braces_stay() {
        assert_eq!(
            fill(
                "{title}: page {page} of {total}",
                None,
                &[("title", "Forums"), ("page", "2"), ("total", "5")]
            ),
            "Forums: page 2 of 5"
        );
        // A value that looks like a placeholder is not filled again.
        assert_eq!(
            fill(
                "{title} ({page})",
                None,
                &[("title", "A {page} B"), ("page", "3")]
            ),
            "A {page} B (3)"
        );
        assert_eq!(fill("{count} of {count}", Some(4), &[]), "4 of 4");
        assert_eq!(fill("{count} left", None, &[]), "{count} left");
        assert_eq!(fill("{unknown} {x", None, &[("x", "y")]), "{unknown} {x");
        assert_eq!(fill("{{x}}", None, &[("x", "y")]), "{y}");
        assert_eq!(
            fill("Qəbələ {name}!", None, &[("name", "Şəki")]),
            "Qəbələ Şəki!"
        );
    }

    #[test]
    fn plain_words_are_shared_values_found_as_get_finds_them() {
        let w = words();
        let plain = w.plain_values();
        let word = |lang: &str, key: &str| {
            plain[lang]
                .get(key)
                .map(|v| v.as_str().unwrap().to_string())
        };
        assert_eq!(word("ru", "a").as_deref(), Some("Форумы"));
        assert_eq!(word("ru", "only").as_deref(), Some("English only"));
        assert_eq!(word("en", "a").as_deref(), Some("Forums"));
        // Placeholders and counts are filled for each call.
        assert_eq!(word("en", "p"), None);
        assert_eq!(word("ru", "n"), None);
        for (lang, words) in &plain {
            for (key, value) in words {
                assert_eq!(value.as_str(), Some(w.word(lang, key, &[]).as_str()));
            }
        }
    }

    #[test]
    fn counts_take_the_languages_plural_forms() {
        let w = words();
        let ru: Vec<String> = [1, 2, 5, 21]
            .iter()
            .map(|&n| w.count("ru", "n", n))
            .collect();
        assert_eq!(ru, ["1 форум", "2 форума", "5 форумов", "21 форум"]);
        assert_eq!(w.count("en", "n", 1), "1 forum");
        assert_eq!(w.count("en", "n", 21), "21 forums");
    }

    #[test]
    fn missing_words_fall_back_and_are_listed() {
        let w = words();
        assert_eq!(w.word("ru", "only", &[]), "English only");
        assert_eq!(
            w.word("ru", "p", &[("current", "2"), ("total", "5")]),
            "Page 2 of 5"
        );
        assert!(w.get("ru", "nope", None, &[]).is_err());
        let missing = w.missing(&["en".into(), "ru".into()]);
        assert_eq!(
            missing,
            [
                ("ru".to_string(), "only".to_string()),
                ("ru".to_string(), "p".to_string())
            ]
        );
    }
}
