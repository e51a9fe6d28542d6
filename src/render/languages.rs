//! The language links of a page: the switcher (the same page in every language), the
//! `hreflang` alternates (the languages the page is really translated into, plus
//! `x-default`), and, on a page whose own text is not translated into its language, the
//! note of the original's language and the canonical link to the original.

use super::pages::{Job, job_route};
use super::routes::Urls;
use super::routes::language_folder;
use crate::i18n::Locale;
use crate::model::Model;
use serde::Serialize;

/// One entry of the language switcher.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageLink {
    pub code: String,
    /// The language's name in itself: English, Azərbaycanca, Русский.
    pub name: String,
    pub href: String,
    pub current: bool,
}

/// A `<link rel="alternate" hreflang>`.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    pub hreflang: String,
    pub href: String,
}

/// What a page says of its languages (see `PageMeta`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageLanguages {
    pub languages: Vec<LanguageLink>,
    pub alternates: Vec<Alternate>,
    /// The original's language when this page's own text is untranslated, else `""`.
    pub fallback_lang: String,
    /// The original's address when `fallback_lang` is set: the page's canonical URL.
    pub canonical: Option<String>,
}

/// Whether `job`'s page has its own text in `lang` (a translation, or no text of its own
/// beyond what the theme's words say).
pub(super) fn translated(m: &Model, job: Job, lang: &str) -> bool {
    let t = &m.translations;
    if t.languages.first().is_some_and(|d| d == lang) {
        return true;
    }
    match job.first_page() {
        Job::Forum(id) => in_list(t.forums.get(&m.forum(id).file), |x| &x.lang, lang),
        Job::Speaker(id) => {
            let s = m.speaker(id);
            s.bio.is_none() || in_list(t.speakers.get(&s.slug), |x| &x.lang, lang)
        }
        Job::Organization(id) => {
            let o = m.organization(id);
            o.description.is_none() || in_list(t.organizations.get(&o.slug), |x| &x.lang, lang)
        }
        Job::Page(i) => in_list(t.pages.get(&m.pages[i].file), |x| &x.lang, lang),
        Job::Home => m.site.intro.source.is_blank() || in_list(Some(&t.site), |x| &x.lang, lang),
        _ => true,
    }
}

fn in_list<T>(list: Option<&Vec<T>>, lang_of: impl Fn(&T) -> &String, lang: &str) -> bool {
    list.is_some_and(|v| v.iter().any(|x| lang_of(x) == lang))
}

/// The language links of `job`'s page in `locale`'s language.
pub(super) fn page_languages(m: &Model, urls: &Urls, locale: &Locale, job: Job) -> PageLanguages {
    let languages = &m.translations.languages;
    if languages.len() < 2 {
        return PageLanguages::default();
    }
    let route = job_route(m, job);
    let in_lang = |code: &str| urls.in_language(&language_folder(code, languages));
    let switcher = languages
        .iter()
        .map(|code| LanguageLink {
            code: code.clone(),
            name: locale.name_of(code),
            href: in_lang(code).href(route),
            current: *code == locale.lang,
        })
        .collect();
    let mut alternates: Vec<Alternate> = languages
        .iter()
        .filter(|code| translated(m, job, code))
        .map(|code| Alternate {
            hreflang: code.clone(),
            href: in_lang(code).permalink(route),
        })
        .collect();
    let original = in_lang(locale.default_lang()).permalink(route);
    alternates.push(Alternate {
        hreflang: "x-default".into(),
        href: original.clone(),
    });
    let fallback = !translated(m, job, &locale.lang);
    PageLanguages {
        languages: switcher,
        alternates,
        fallback_lang: if fallback {
            locale.default_lang().to_string()
        } else {
            String::new()
        },
        canonical: fallback.then_some(original),
    }
}
