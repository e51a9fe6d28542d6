//! Languages: one site in several (`languages: [en, az, ru]`), every page in every language.
//!
//! The default language's pages sit at the site root, the others' under `/<code>/` with
//! the same slugs. The model is made once; `localize` gives each other language its own
//! copy with the translations' texts in place (untranslated texts stay the original's and
//! are marked so the page says which language they are in). Each language is rendered
//! through the same templates with a `Locale`: its words (the theme's catalogs, `words`),
//! its month names and plural rules (CLDR through ICU4X, `calendar`) and its address prefix.

pub mod calendar;
mod localize;
pub mod words;

pub use localize::localize;
use std::sync::Arc;
pub use words::Words;

/// What rendering one language needs besides its model.
#[derive(Debug, Clone)]
pub struct Locale {
    /// This language's code.
    pub lang: String,
    /// The site's languages, the default first.
    pub languages: Vec<String>,
    pub words: Arc<Words>,
}

/// Languages' names for themselves, for a site language whose catalog does not name it
/// (`language.name`): the languages of the region Podium was made for and the most written.
const AUTONYMS: &[(&str, &str)] = &[
    ("ar", "العربية"),
    ("az", "Azərbaycanca"),
    ("be", "Беларуская"),
    ("bg", "Български"),
    ("cs", "Čeština"),
    ("da", "Dansk"),
    ("de", "Deutsch"),
    ("el", "Ελληνικά"),
    ("en", "English"),
    ("es", "Español"),
    ("et", "Eesti"),
    ("fa", "فارسی"),
    ("fi", "Suomi"),
    ("fr", "Français"),
    ("he", "עברית"),
    ("hi", "हिन्दी"),
    ("hu", "Magyar"),
    ("hy", "Հայերեն"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("ka", "ქართული"),
    ("kk", "Қазақша"),
    ("ko", "한국어"),
    ("ky", "Кыргызча"),
    ("lt", "Lietuvių"),
    ("lv", "Latviešu"),
    ("nl", "Nederlands"),
    ("no", "Norsk"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("ro", "Română"),
    ("ru", "Русский"),
    ("sk", "Slovenčina"),
    ("sr", "Српски"),
    ("sv", "Svenska"),
    ("tg", "Тоҷикӣ"),
    ("tk", "Türkmençe"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("uz", "Oʻzbekcha"),
    ("zh", "中文"),
];

impl Locale {
    pub fn new(lang: &str, languages: &[String], words: Arc<Words>) -> Locale {
        Locale {
            lang: lang.to_string(),
            languages: languages.to_vec(),
            words,
        }
    }

    /// The site's default language: the originals'.
    pub fn default_lang(&self) -> &str {
        self.languages.first().map_or("en", String::as_str)
    }

    pub fn is_default(&self) -> bool {
        self.lang == self.default_lang()
    }

    /// The folder of this language's pages inside the site: `""` or `az/`.
    pub fn prefix(&self) -> String {
        crate::render::routes::language_folder(&self.lang, &self.languages)
    }

    pub fn word(&self, key: &str) -> String {
        self.words.word(&self.lang, key, &[])
    }

    pub fn word_with(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.words.word(&self.lang, key, args)
    }

    pub fn count(&self, key: &str, n: usize) -> String {
        self.words.count(&self.lang, key, n)
    }

    /// A language's own name for itself (`language.name` in its catalog): English,
    /// Azərbaycanca, Русский.
    /// A language the theme has no words for is named from `AUTONYMS` (never by the
    /// English fallback's "English"), or by its code.
    pub fn name_of(&self, code: &str) -> String {
        if let Some(name) = self.words.own_word(code, "language.name") {
            return name;
        }
        let base = code
            .split(['-', '_'])
            .next()
            .unwrap_or(code)
            .to_ascii_lowercase();
        AUTONYMS
            .iter()
            .find(|(c, _)| *c == base)
            .map_or_else(|| code.to_string(), |(_, name)| name.to_string())
    }

    /// A month's name as it reads inside a date (`1` is January).
    pub fn month(&self, month: i8) -> &str {
        &self.words.calendar(&self.lang).months[(month.clamp(1, 12) - 1) as usize]
    }

    /// `text` in upper case by this language's rules.
    pub fn upper(&self, text: &str) -> String {
        upper(&self.lang, text)
    }
}

/// Dates as people read them, in a locale: the theme's patterns (`date.day`, `date.days`...)
/// filled with CLDR's month names.
impl Locale {
    /// `20 October 2025`, `20 oktyabr 2025`, `20 октября 2025`.
    pub fn date(&self, d: jiff::civil::Date) -> String {
        let (day, year) = (d.day().to_string(), d.year().to_string());
        self.word_with(
            "date.day",
            &[
                ("day", &day),
                ("month", self.month(d.month())),
                ("year", &year),
            ],
        )
    }

    /// `20 October 2025, 10:00`.
    pub fn date_time(&self, d: jiff::civil::Date, hour: i8, minute: i8) -> String {
        let time = format!("{hour:02}:{minute:02}");
        self.word_with("date.time", &[("date", &self.date(d)), ("time", &time)])
    }

    /// `20–22 October 2025`, `30 September – 2 October 2025`, `30 December 2025 – 2 January
    /// 2026`; one date when both are the same day.
    pub fn date_range(&self, a: jiff::civil::Date, b: jiff::civil::Date) -> String {
        if a == b {
            return self.date(a);
        }
        let (from, to, year) = (
            a.day().to_string(),
            b.day().to_string(),
            b.year().to_string(),
        );
        if a.year() == b.year() && a.month() == b.month() {
            self.word_with(
                "date.days",
                &[
                    ("from", &from),
                    ("to", &to),
                    ("month", self.month(a.month())),
                    ("year", &year),
                ],
            )
        } else if a.year() == b.year() {
            self.word_with(
                "date.months",
                &[
                    ("from", &from),
                    ("from_month", self.month(a.month())),
                    ("to", &to),
                    ("to_month", self.month(b.month())),
                    ("year", &year),
                ],
            )
        } else {
            self.word_with(
                "date.years",
                &[("from", &self.date(a)), ("to", &self.date(b))],
            )
        }
    }
}

/// Upper case by the language's rules: in Azerbaijani, Turkish, Tatar, Crimean Tatar and
/// Kazakh the dotted `i` becomes `İ` and the dotless `ı` becomes `I` (Unicode's default
/// mapping, which Rust's `to_uppercase` follows, gives `I` for both).
/// Whether `lang` writes `i` and `ı` as two letters, with `İ` and `I` as their capitals.
pub fn turkic_i(lang: &str) -> bool {
    matches!(lang, "az" | "tr" | "tt" | "crh" | "kk")
}

pub fn upper(lang: &str, text: &str) -> String {
    if turkic_i(lang) {
        text.chars()
            .map(|c| match c {
                'i' => "İ".to_string(),
                c => c.to_uppercase().collect(),
            })
            .collect()
    } else {
        text.to_uppercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_follows_the_language() {
        assert_eq!(upper("az", "ilham"), "İLHAM");
        assert_eq!(upper("az", "ılıq"), "ILIQ");
        assert_eq!(upper("en", "ilham"), "ILHAM");
    }
}
