//! Translations in the model: check each `<name>.<code>.md` against its original and the
//! site's languages, and keep its texts beside the original's facts (`Translations`).
//!
//! A translation carries only text for readers. A fact written in one (a date, a slug, a
//! speaker's organization) is an error saying so, because a fact that could differ between
//! languages would make the archive say two things. What a translation leaves out falls
//! back to the original when the page is made (`crate::i18n::localize`).

use super::resolve::Registry;
use crate::diagnostic::{Diagnostic, Diagnostics, Span, did_you_mean};
use crate::load::documents::{Text, TranslationFront};
use crate::load::{Content, Document, Section, Translation};
use crate::model::{ForumText, PageText, ProfileText, Translations};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The fields a translation of each kind of original may set.
fn text_fields(section: Section) -> &'static [&'static str] {
    match section {
        Section::Report => &[
            "title", "summary", "theme", "venue", "city", "country", "source", "sessions",
            "speakers",
        ],
        Section::Speaker | Section::Organization => &["name"],
        Section::Page => &["title", "summary"],
        Section::Site => &["title", "description", "topic_names", "series_names"],
    }
}

/// The fields of each kind of original that are facts (everything else is unknown).
fn fact_fields(section: Section) -> &'static [&'static str] {
    match section {
        Section::Report => &[
            "date",
            "end",
            "status",
            "series",
            "organizers",
            "partners",
            "topics",
            "image",
            "slug",
            "aliases",
            "draft",
            "extra",
        ],
        Section::Speaker => &["aliases", "photo", "links", "slug", "privacy", "extra"],
        Section::Organization => &[
            "kind", "parent", "aliases", "logo", "website", "links", "slug", "extra",
        ],
        Section::Page => &["slug", "aliases", "draft", "extra"],
        Section::Site => &[
            "base_url",
            "language",
            "languages",
            "timezone",
            "theme",
            "author",
            "paginate",
            "image",
            "images",
            "extra",
        ],
    }
}

fn what(section: Section) -> &'static str {
    match section {
        Section::Report => "report",
        Section::Speaker => "speaker profile",
        Section::Organization => "organization profile",
        Section::Page => "page",
        Section::Site => "site settings file",
    }
}

/// The site's languages from `languages:` (or `language:`), checked: the default first.
pub fn site_languages(content: &Content, diags: &mut Diagnostics) -> Vec<String> {
    languages_of(content.site.as_ref(), diags)
}

/// `site_languages` from the settings' document alone.
pub fn languages_of(
    site: Option<&crate::load::Document<crate::load::documents::SiteFront>>,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let Some(doc) = site else {
        return vec!["en".to_string()];
    };
    let single = doc.front.language.as_ref().map(|l| l.trim().to_string());
    let Some(list) = &doc.front.languages else {
        return vec![
            single
                .filter(|l| !l.is_empty())
                .unwrap_or_else(|| "en".into()),
        ];
    };
    let mut languages: Vec<String> = Vec::new();
    for code in list {
        let code = code.trim();
        if !crate::load::is_language_code(code) {
            diags.push(doc.diagnostic(
                Diagnostic::error(format!("`{code}` is not a language code"))
                    .with_help("write ISO 639 codes in lower case, the default first: `languages: [en, az, ru]`"),
                doc.value_span("languages", code),
            ));
        } else if languages.iter().any(|l| l == code) {
            diags.push(doc.diagnostic(
                Diagnostic::error(format!("`{code}` is listed twice in `languages`")),
                doc.value_span("languages", code),
            ));
        } else {
            languages.push(code.to_string());
        }
    }
    // (A list of codes each wrong is already an error each.)
    if list.is_empty() {
        diags.push(doc.diagnostic(
            Diagnostic::error("`languages` is empty").with_help(
                "list the site's languages, the default first: `languages: [en, az, ru]`",
            ),
            doc.key_span("languages"),
        ));
    }
    if languages.is_empty() {
        languages.push("en".into());
    }
    if let Some(one) = single.filter(|l| !l.is_empty() && *l != languages[0]) {
        diags.push(doc.diagnostic(
            Diagnostic::error(format!(
                "`language: {one}` disagrees with `languages`, whose first (the default) is `{}`",
                languages[0]
            ))
            .with_help("remove `language:`; `languages:` names the default first"),
            doc.key_span("language"),
        ));
    }
    languages
}

/// Check every translation's language and original; report stray fields. Returns the
/// translations worth keeping.
fn checked<'c>(
    content: &'c Content,
    languages: &[String],
    diags: &mut Diagnostics,
) -> Vec<&'c Translation> {
    let originals: HashSet<&Path> = content
        .reports
        .iter()
        .map(|d| d.file.as_path())
        .chain(content.speakers.iter().map(|d| d.file.as_path()))
        .chain(content.organizations.iter().map(|d| d.file.as_path()))
        .chain(content.pages.iter().map(|d| d.file.as_path()))
        .chain(content.site.iter().map(|d| d.file.as_path()))
        .collect();
    let mut seen: HashSet<(&Path, &str)> = HashSet::new();
    let mut ok = Vec::new();
    for t in &content.translations {
        let doc = &t.doc;
        let at = crate::diagnostic::Span::file_start(&doc.file);
        if t.lang == languages[0] {
            diags.push(
                Diagnostic::error(format!(
                    "`{}` is the site's default language: its text is the original, {}",
                    t.lang,
                    t.original.display()
                ))
                .at(at)
                .with_help("write this text in the original, or rename the file with another language's code"),
            );
            continue;
        }
        if !languages.contains(&t.lang) {
            let hint = did_you_mean(&t.lang, languages.iter().map(String::as_str))
                .map(|b| format!("did you mean `{b}`? "))
                .unwrap_or_default();
            diags.push(
                Diagnostic::error(format!(
                    "a translation into `{}`, which is not one of the site's languages ({})",
                    t.lang,
                    languages.join(", ")
                ))
                .at(at)
                .with_help(format!(
                    "{hint}add `{}` to `languages:` in content/_index.md, or rename the file",
                    t.lang
                )),
            );
            continue;
        }
        if !originals.contains(t.original.as_path()) {
            if content.unloaded.contains(&t.original) {
                // The original is there but did not load: its own error says why.
                continue;
            }
            diags.push(
                Diagnostic::error(format!(
                    "a translation without an original: there is no {}",
                    t.original.display()
                ))
                .at(at)
                .with_help("a translation sits beside its original with the same name plus the language code (`x.md`, `x.az.md`); rename it to match, or add the original"),
            );
            continue;
        }
        if !seen.insert((t.original.as_path(), t.lang.as_str())) {
            continue;
        }
        if stray_fields(t, diags) {
            ok.push(t);
        }
    }
    ok
}

/// A warning for each name in a settings translation's `topic_names` or `series_names` that
/// names no topic or series of the site: misspelt, it would leave that topic untranslated
/// with no sign why. Names match as addresses do (case and punctuation aside).
pub fn check_term_names(
    content: &Content,
    topics: &[String],
    series: &[String],
    diags: &mut Diagnostics,
) {
    use crate::model::slug::slugify;
    for t in content
        .translations
        .iter()
        .filter(|t| t.section == Section::Site)
    {
        let doc = &t.doc;
        for (key, names, known, what) in [
            ("topic_names", &doc.front.topic_names, topics, "topic"),
            ("series_names", &doc.front.series_names, series, "series"),
        ] {
            let slugs: HashSet<String> = known.iter().map(|n| slugify(n)).collect();
            let lower: Vec<String> = known.iter().map(|k| k.to_lowercase()).collect();
            // Two spellings of one name (`İnsan hüquqları`, `Insan Huquqlari`) name the same
            // topic: one of them would be used and the other lost without a word.
            let mut by_slug: HashMap<String, Vec<&str>> = HashMap::new();
            for name in names.keys() {
                by_slug.entry(slugify(name)).or_default().push(name.trim());
            }
            let mut twice: Vec<Vec<&str>> = by_slug.into_values().filter(|n| n.len() > 1).collect();
            twice.sort();
            for spellings in twice {
                let mut placed: Vec<(Span, &str)> = spellings
                    .iter()
                    .map(|n| (doc.value_span(key, n), *n))
                    .collect();
                placed.sort_by_key(|(span, _)| (span.line, span.col));
                let (first_span, first) = &placed[0];
                for (span, name) in &placed[1..] {
                    diags.push(doc.diagnostic(
                        Diagnostic::error(format!(
                            "`{name}` and `{first}` (line {}) in `{key}` name the same {what}",
                            first_span.line
                        ))
                        .with_help(format!(
                            "{what} names match as addresses do (case, accents and punctuation aside); keep one of them"
                        )),
                        span.clone(),
                    ));
                }
            }
            for name in names.keys() {
                if slugs.contains(&slugify(name)) {
                    continue;
                }
                let hint = did_you_mean(
                    &name.trim().to_lowercase(),
                    lower.iter().map(String::as_str),
                )
                .and_then(|b| known.iter().find(|k| k.to_lowercase() == b))
                .map(|b| format!("did you mean `{b}`? "))
                .unwrap_or_default();
                diags.push(doc.diagnostic(
                    Diagnostic::warning(format!(
                        "`{}` in `{key}` is not a {what} of any report, so its name is never shown",
                        name.trim()
                    ))
                    .with_help(format!(
                        "{hint}write the {what} as the reports write it (in content/_index.md's language)"
                    )),
                    doc.value_span(key, name.trim()),
                ));
            }
        }
    }
}

/// Report facts and unknown or misplaced fields; `true` when there were none.
fn stray_fields(t: &Translation, diags: &mut Diagnostics) -> bool {
    let doc = &t.doc;
    let f = &doc.front;
    let allowed = text_fields(t.section);
    let mut keys: Vec<(&str, String)> = f.facts.keys().map(|k| (k.as_str(), k.clone())).collect();
    let set = |present: bool, key: &'static str| present.then_some((key, key.to_string()));
    keys.extend(
        [
            set(f.title.is_some(), "title"),
            set(f.summary.is_some(), "summary"),
            set(f.description.is_some(), "description"),
            set(f.name.is_some(), "name"),
            set(f.theme.is_some(), "theme"),
            set(f.venue.is_some(), "venue"),
            set(f.city.is_some(), "city"),
            set(f.country.is_some(), "country"),
            set(f.source.is_some(), "source"),
            set(!f.sessions.is_empty(), "sessions"),
            set(!f.speakers.is_empty(), "speakers"),
            set(!f.topic_names.is_empty(), "topic_names"),
            set(!f.series_names.is_empty(), "series_names"),
        ]
        .into_iter()
        .flatten(),
    );
    let mut clean = true;
    for (key, _) in keys {
        if allowed.contains(&key) {
            continue;
        }
        clean = false;
        let d = if fact_fields(t.section).contains(&key) {
            Diagnostic::error(format!(
                "`{key}` is a fact, and facts live only in the original ({})",
                t.original.display()
            ))
            .with_help("remove it here: the original's value holds in every language; a translation carries only text for readers")
        } else {
            let hint = did_you_mean(key, allowed.iter().copied())
                .map(|b| format!("did you mean `{b}`? "))
                .unwrap_or_default();
            Diagnostic::error(format!(
                "`{key}` is not a field of a {}'s translation",
                what(t.section)
            ))
            .with_help(format!(
                "{hint}a translation may set: {}",
                allowed.join(", ")
            ))
        };
        diags.push(doc.diagnostic(d, doc.key_span(key)));
    }
    if t.section == Section::Report {
        let nested = f
            .speakers
            .iter()
            .flat_map(|s| s.facts.keys().map(move |k| ("speakers", k)))
            .chain(
                f.sessions
                    .iter()
                    .flat_map(|s| s.facts.keys().map(move |k| ("sessions", k))),
            )
            .chain(
                f.source
                    .iter()
                    .flat_map(|s| s.facts.keys().map(move |k| ("source", k))),
            );
        for (list, key) in nested {
            clean = false;
            diags.push(doc.diagnostic(
                Diagnostic::error(format!(
                    "`{key}` in `{list}` is not translatable: it is a fact of the original ({}), or unknown",
                    t.original.display()
                ))
                .with_help(match list {
                    "speakers" => "a speaker entry of a translation has `name` (as in the original, to match it), `title` and `topic`",
                    "sessions" => "a session of a translation has `title` and `summary`, in the original's order",
                    _ => "a translation's `source` has only `title`",
                }),
                doc.value_span(list, key),
            ));
        }
    }
    clean
}

fn text(t: &Option<Text>) -> Option<String> {
    t.as_ref()
        .map(|t| t.0.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Translated profile names find the person or organization in reports like an alias.
pub fn register_names(
    content: &Content,
    speakers: &mut Registry,
    organizations: &mut Registry,
    diags: &mut Diagnostics,
) {
    for t in &content.translations {
        let registry = match t.section {
            Section::Speaker => &mut *speakers,
            Section::Organization => &mut *organizations,
            _ => continue,
        };
        let (Some(name), Some(index)) = (text(&t.doc.front.name), registry.by_profile(&t.original))
        else {
            continue;
        };
        if let Err(other) = registry.add_lookup(index, &name) {
            diags.push(
                t.doc.diagnostic(
                    Diagnostic::error(format!(
                        "the translated name `{name}` is already the name of another {} ({})",
                        what(t.section),
                        other.display()
                    ))
                    .with_help("two profiles cannot share a spelling; correct one of them"),
                    t.doc.value_span("name", &name),
                ),
            );
        }
    }
}

/// Every translation that checks out, by original (see `Translations`): reports and pages by
/// file, profiles by the slug the registries gave them.
pub fn collect(
    content: &Content,
    languages: Vec<String>,
    speakers: &Registry,
    organizations: &Registry,
    diags: &mut Diagnostics,
) -> Translations {
    let mut out = Translations {
        languages: languages.clone(),
        ..Translations::default()
    };
    if languages.len() == 1 && content.translations.is_empty() {
        return out;
    }
    let reports: HashMap<&Path, &Document<crate::load::documents::ReportFront>> = content
        .reports
        .iter()
        .map(|d| (d.file.as_path(), d))
        .collect();
    let slug_of = |registry: &Registry, file: &Path| {
        registry
            .by_profile(file)
            .map(|i| registry.entries[i].slug.clone())
    };
    for t in checked(content, &languages, diags) {
        let f = &t.doc.front;
        let body = super::markdown(&t.doc);
        match t.section {
            Section::Report => {
                let Some(original) = reports.get(t.original.as_path()) else {
                    continue;
                };
                if let Some(text) = report_text(t, original, speakers, body, diags) {
                    out.forums.entry(t.original.clone()).or_default().push(text);
                }
            }
            Section::Speaker | Section::Organization => {
                let (registry, map) = if t.section == Section::Speaker {
                    (speakers, &mut out.speakers)
                } else {
                    (organizations, &mut out.organizations)
                };
                if let Some(slug) = slug_of(registry, &t.original) {
                    map.entry(slug).or_default().push(ProfileText {
                        lang: t.lang.clone(),
                        file: t.doc.file.clone(),
                        name: text(&f.name),
                        body,
                    });
                }
            }
            Section::Page | Section::Site => {
                let names = |m: &BTreeMap<String, Text>| {
                    m.iter()
                        .filter_map(|(k, v)| Some((k.trim().to_string(), text(&Some(v.clone()))?)))
                        .collect()
                };
                let page = PageText {
                    lang: t.lang.clone(),
                    file: t.doc.file.clone(),
                    title: text(&f.title),
                    summary: text(if t.section == Section::Site {
                        &f.description
                    } else {
                        &f.summary
                    }),
                    body,
                    topic_names: names(&f.topic_names),
                    series_names: names(&f.series_names),
                };
                if t.section == Section::Site {
                    out.site.push(page);
                } else {
                    out.pages.entry(t.original.clone()).or_default().push(page);
                }
            }
        }
    }
    // Stable order whatever order the files were read in.
    let order = |lang: &str| languages.iter().position(|l| l == lang);
    out.site.sort_by_key(|t| order(&t.lang));
    for v in out.forums.values_mut() {
        v.sort_by_key(|t| order(&t.lang));
    }
    for v in out
        .speakers
        .values_mut()
        .chain(out.organizations.values_mut())
    {
        v.sort_by_key(|t| order(&t.lang));
    }
    for v in out.pages.values_mut() {
        v.sort_by_key(|t| order(&t.lang));
    }
    out
}

/// A report's translation, its speakers matched to the original's by name and its
/// sessions by position.
fn report_text(
    t: &Translation,
    original: &Document<crate::load::documents::ReportFront>,
    speakers: &Registry,
    body: Option<crate::model::Markdown>,
    diags: &mut Diagnostics,
) -> Option<ForumText> {
    let f: &TranslationFront = &t.doc.front;
    let o = &original.front;
    let entries: Vec<&crate::load::documents::AppearanceFront> = o
        .speakers
        .0
        .iter()
        .chain(
            o.sessions
                .0
                .iter()
                .flat_map(|s| s.speakers.0.iter().chain(&s.moderator)),
        )
        .collect();
    let named: Vec<&str> = entries.iter().filter_map(|a| a.name.as_deref()).collect();
    let mut ok = true;
    let mut matched = Vec::new();
    for s in &f.speakers {
        let Some(name) = text(&s.name) else {
            ok = false;
            diags.push(t.doc.diagnostic(
                Diagnostic::error("a speaker entry of a translation needs `name`, as written in the original, to say whose title it translates"),
                t.doc.key_span("speakers"),
            ));
            continue;
        };
        let key = crate::model::slug::slugify(&name);
        let found = named
            .iter()
            .any(|n| crate::model::slug::slugify(n) == key)
            .then(|| speakers.find(&name))
            .flatten();
        match found {
            Some(i) => {
                // A title or topic is translated where the original has one: one given here
                // for an entry without would be shown nowhere.
                let originals = entries.iter().filter(|a| {
                    a.name
                        .as_deref()
                        .is_some_and(|n| crate::model::slug::slugify(n) == key)
                });
                for (field, given, in_original) in [
                    (
                        "title",
                        &s.title,
                        originals.clone().any(|a| text(&a.title).is_some()),
                    ),
                    (
                        "topic",
                        &s.topic,
                        originals.clone().any(|a| text(&a.topic).is_some()),
                    ),
                ] {
                    if let Some(value) = text(given).filter(|_| !in_original) {
                        diags.push(t.doc.diagnostic(
                            Diagnostic::warning(format!(
                                "the original ({}) gives `{name}` no `{field}`, so this one is shown nowhere",
                                t.original.display()
                            ))
                            .with_help(format!(
                                "add the {field} to the original's entry (in its language), or remove it here"
                            )),
                            t.doc.value_span("speakers", &value),
                        ));
                    }
                }
                matched.push((
                    speakers.entries[i].slug.clone(),
                    text(&s.title),
                    text(&s.topic),
                ))
            }
            None => {
                ok = false;
                let hint = did_you_mean(&name, named.iter().copied())
                    .map(|b| format!("did you mean `{b}`? "))
                    .unwrap_or_default();
                diags.push(
                    t.doc.diagnostic(
                        Diagnostic::error(format!(
                            "`{name}` is not among the speakers of the original ({})",
                            t.original.display()
                        ))
                        .with_help(format!(
                            "{hint}write each speaker's `name` as the original does"
                        )),
                        t.doc.value_span("speakers", &name),
                    ),
                );
            }
        }
    }
    if f.sessions.len() > o.sessions.0.len() {
        ok = false;
        diags.push(t.doc.diagnostic(
            Diagnostic::error(format!(
                "{} sessions, but the original ({}) has {}",
                f.sessions.len(),
                t.original.display(),
                o.sessions.0.len()
            ))
            .with_help("sessions are matched by position: translate the original's sessions in its order, no more"),
            t.doc.key_span("sessions"),
        ));
    }
    ok.then(|| ForumText {
        lang: t.lang.clone(),
        file: t.doc.file.clone(),
        title: text(&f.title),
        summary: text(&f.summary),
        theme: text(&f.theme),
        venue: text(&f.venue),
        city: text(&f.city),
        country: text(&f.country),
        source_title: f.source.as_ref().and_then(|s| text(&s.title)),
        sessions: f
            .sessions
            .iter()
            .map(|s| (text(&s.title), text(&s.summary)))
            .collect(),
        speakers: matched,
        body,
    })
}

/// The digest of an original's translations, folded into its own so that a page is made
/// again when any of its translations changes (its language links change with them).
pub fn digests(content: &Content) -> HashMap<PathBuf, u64> {
    let mut out: HashMap<PathBuf, u64> = HashMap::new();
    for t in &content.translations {
        let d = out.entry(t.original.clone()).or_insert(0);
        *d = d.rotate_left(5) ^ t.doc.digest ^ crate::load::digest(&t.lang);
    }
    out
}
