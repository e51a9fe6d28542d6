//! `protect`: the model stage's last step, which rewrites the model so that it holds nothing
//! protected people's settings withhold (see the module above for the levels).
//!
//! In order: every part gets its effective level (the stricter of the entry's and the
//! person's); people protected everywhere are found and their names registered; parts
//! protected on their own entry become unnamed parts or pages of their own; the people
//! themselves lose what they may not show (or go); then every report text is cleaned, with a
//! warning at each name replaced.

use super::{Key, PARTICIPANT, Redaction, Redactions, initials};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Span, line_col};
use crate::load::documents::ReportFront;
use crate::load::{Content, Document};
use crate::model::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Rewrite `model` so that it holds nothing that protected people's settings withhold, and
/// return their names for the render stage. Runs before the model's reverse edges are made.
/// The warnings point at every place in the sources where a protected name was replaced.
pub fn protect(
    model: &mut Model,
    content: &Content,
    key: Option<&Key>,
) -> (Redactions, Diagnostics) {
    let wanted = model.speakers.iter().any(|s| s.privacy > Privacy::Public)
        || model
            .forums
            .iter()
            .any(|f| f.appearances.iter().any(|a| a.privacy > Privacy::Public));
    if !wanted {
        return (Redactions::default(), Diagnostics::new());
    }
    let random;
    let key = match key {
        Some(k) => k,
        None => {
            // Only `podium check` gets here without a key (build and serve make one first):
            // the addresses it works out are never published.
            random = Key::random();
            &random
        }
    };
    let everywhere = protected_everywhere(model);
    let mut names = Names::default();
    names.register_everywhere(model, &everywhere, key);
    let added = names.protect_parts(model, &everywhere, key);
    let withheld_files = withhold_people(model, &everywhere, added, key);
    let redactions = Redactions::new(names.people, names.links, names.scoped_links);
    model.assets.retain(|a| {
        !(withheld_files.contains(&a.output) || redactions.names_someone(&a.output, None))
    });
    let warnings = if redactions.is_empty() {
        Diagnostics::new()
    } else {
        replace_names(model, content, &redactions)
    };
    (redactions, warnings)
}

/// Settle each part's level (the stricter of the entry's and the person's) and say, for each
/// person, whether they are protected everywhere: by their own setting, or because every
/// part they have is protected and no profile makes them a public person.
fn protected_everywhere(model: &mut Model) -> Vec<Option<Privacy>> {
    let n = model.speakers.len();
    let mut public_parts = vec![0usize; n];
    let mut initials_parts = vec![0usize; n];
    for forum in &mut model.forums {
        for a in &mut forum.appearances {
            let s = &model.speakers[a.speaker.index()];
            a.privacy = a.privacy.max(s.privacy);
            match a.privacy {
                p if !p.hides_name() => public_parts[a.speaker.index()] += 1,
                Privacy::Initials => initials_parts[a.speaker.index()] += 1,
                _ => {}
            }
        }
    }
    model
        .speakers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if s.privacy.hides_name() {
                Some(s.privacy)
            } else if s.profile.is_none() && public_parts[i] == 0 {
                Some(if initials_parts[i] > 0 {
                    Privacy::Initials
                } else {
                    Privacy::Unlisted
                })
            } else {
                None
            }
        })
        .collect()
}

/// The protected names found so far, and where links to those people go instead.
#[derive(Default)]
struct Names {
    people: Vec<Redaction>,
    links: HashMap<String, Option<String>>,
    scoped_links: HashMap<(PathBuf, String), Option<String>>,
}

impl Names {
    /// The names of people protected everywhere.
    fn register_everywhere(&mut self, model: &Model, everywhere: &[Option<Privacy>], key: &Key) {
        // Where a person without a profile was protected: the first report that did.
        let mut first_report: Vec<Option<&Path>> = vec![None; model.speakers.len()];
        for forum in &model.forums {
            for a in forum.appearances.iter().filter(|a| a.privacy.hides_name()) {
                first_report[a.speaker.index()].get_or_insert(&forum.file);
            }
        }
        for (i, s) in model.speakers.iter().enumerate() {
            let Some(level) = everywhere[i] else { continue };
            self.people.push(Redaction {
                public: public_form(s, level),
                level,
                scope: None,
                spellings: spellings(s, &model.translations),
                declared: s
                    .profile
                    .clone()
                    .or_else(|| first_report[i].map(Path::to_path_buf))
                    .unwrap_or_default(),
            });
            let target = (level == Privacy::Initials && s.privacy == Privacy::Initials)
                .then(|| key.opaque_slug(&s.slug));
            for k in link_keys(s) {
                self.links.insert(k, target.clone());
            }
        }
    }

    /// Parts protected on their own entry: an unnamed part, or initials with a page of their
    /// own for that report; the person's name is replaced in that report's text. Returns the
    /// people made for those pages, numbered after everyone else.
    fn protect_parts(
        &mut self,
        model: &mut Model,
        everywhere: &[Option<Privacy>],
        key: &Key,
    ) -> Vec<Speaker> {
        let n = model.speakers.len();
        let translations = model.translations.clone();
        let mut added: Vec<Speaker> = Vec::new();
        for forum in &mut model.forums {
            let mut kept = Vec::with_capacity(forum.appearances.len());
            for a in std::mem::take(&mut forum.appearances) {
                let s = &model.speakers[a.speaker.index()];
                // Protected everywhere: the site-wide redaction already covers the name.
                let covered = everywhere[a.speaker.index()].is_some();
                match a.privacy {
                    Privacy::Unlisted => {
                        forum.unnamed.push(Unnamed {
                            role: a.role,
                            organization: a.organization,
                            session: a.session,
                            person: person_token(&s.slug),
                        });
                        if !covered {
                            self.protect_in(forum, s, a.privacy, None, &translations);
                        }
                    }
                    // Initials on this entry only: a page of its own for this report, so that
                    // nothing ties it to the person's other forums.
                    Privacy::Initials if s.privacy != Privacy::Initials => {
                        let slug = key.opaque_slug(&format!("{}\0{}", forum.path, s.slug));
                        if !covered {
                            self.protect_in(forum, s, a.privacy, Some(slug.clone()), &translations);
                        }
                        let id = SpeakerId((n + added.len()) as u32);
                        added.push(withheld_person(id, slug, &s.name, s.digest));
                        kept.push(Appearance { speaker: id, ..a });
                    }
                    _ => kept.push(a),
                }
            }
            forum.appearances = kept;
        }
        added
    }

    /// Protect `s` in the text of one report; links to them there go to `target` or nowhere.
    /// The report's translations are protected the same way: their texts are its texts.
    fn protect_in(
        &mut self,
        forum: &Forum,
        s: &Speaker,
        level: Privacy,
        target: Option<String>,
        translations: &Translations,
    ) {
        let translated = translations.forums.get(&forum.file).into_iter().flatten();
        let files = std::iter::once(forum.file.clone()).chain(translated.map(|t| t.file.clone()));
        for file in files {
            self.people.push(Redaction {
                public: public_form(s, level),
                level,
                scope: Some(file.clone()),
                spellings: spellings(s, translations),
                declared: forum.file.clone(),
            });
            for k in link_keys(s) {
                self.scoped_links.insert((file.clone(), k), target.clone());
            }
        }
    }
}

/// What is shown of `s` at `level`: initials, or "a participant".
fn public_form(s: &Speaker, level: Privacy) -> String {
    match level {
        Privacy::Initials => initials(&s.name),
        _ => PARTICIPANT.to_string(),
    }
}

/// Take from each person what their setting withholds (portraits; everything but initials;
/// unlisted people go altogether), add the people made for parts shown as initials, and
/// renumber. Returns the output paths of files that must not be published.
fn withhold_people(
    model: &mut Model,
    everywhere: &[Option<Privacy>],
    added: Vec<Speaker>,
    key: &Key,
) -> Vec<String> {
    let n = model.speakers.len();
    let mut withheld_files: Vec<String> = Vec::new();
    for (i, s) in model.speakers.iter_mut().enumerate() {
        if s.privacy >= Privacy::NoPhoto {
            if let (Some(photo), Some(profile)) = (&s.photo, &s.profile)
                && let Some(output) = beside(profile, photo)
            {
                withheld_files.push(output);
            }
            s.photo = None;
        }
        if everywhere[i] == Some(Privacy::Initials) && s.privacy == Privacy::Initials {
            let slug = key.opaque_slug(&s.slug);
            *s = withheld_person(s.id, slug, &s.name, s.digest);
        }
    }
    model.speakers.extend(added);
    let gone: Vec<bool> = (0..model.speakers.len())
        .map(|i| {
            i < n
                && (model.speakers[i].privacy == Privacy::Unlisted
                    || (everywhere[i].is_some() && model.speakers[i].listed))
        })
        .collect();
    remove_speakers(model, &gone);
    withheld_files
}

/// Replace protected names in every text of the model, and point at each place in the
/// sources (Markdown texts are replaced by the render stage, which knows links).
fn replace_names(model: &mut Model, content: &Content, redactions: &Redactions) -> Diagnostics {
    let mut warnings = Diagnostics::new();
    let docs: HashMap<&Path, &Document<ReportFront>> = content
        .reports
        .iter()
        .map(|d| (d.file.as_path(), d))
        .collect();
    for forum in &mut model.forums {
        let doc = docs.get(forum.file.as_path()).copied();
        redact_forum(forum, doc, redactions, &mut warnings);
    }
    let page_docs = profile_documents(&content.pages);
    for page in &mut model.pages {
        let file = page.file.clone();
        let doc = page_docs.get(file.as_path());
        let mut field = |text: &mut String, key: &str| {
            replace_in(
                text,
                redactions,
                None,
                &mut warnings,
                &|found, d| match doc {
                    Some(doc) => doc.diagnostic(d, doc.value_span(key, found)),
                    None => d.at(Span::file_start(&file)),
                },
            )
        };
        field(&mut page.title, "title");
        if let Some(s) = &mut page.summary {
            field(s, "summary");
        }
        page.aliases.retain(|a| !redactions.names_someone(a, None));
        point_at_names(&page.body, redactions, &mut warnings);
    }
    let speaker_docs = profile_documents(&content.speakers);
    for s in &mut model.speakers {
        let doc = s.profile.as_deref().and_then(|p| speaker_docs.get(p));
        redact_links(
            &mut s.links,
            s.profile.as_deref(),
            doc,
            redactions,
            &mut warnings,
        );
    }
    let organization_docs = profile_documents(&content.organizations);
    for o in &mut model.organizations {
        let doc = o.profile.as_deref().and_then(|p| organization_docs.get(p));
        redact_links(
            &mut o.links,
            o.profile.as_deref(),
            doc,
            redactions,
            &mut warnings,
        );
    }
    let bios = model.speakers.iter().filter_map(|s| s.bio.as_ref());
    let descriptions = model
        .organizations
        .iter()
        .filter_map(|o| o.description.as_ref());
    for md in bios.chain(descriptions) {
        point_at_names(md, redactions, &mut warnings);
    }
    point_at_names(&model.site.intro, redactions, &mut warnings);
    redact_translations(model, content, redactions, &mut warnings);
    warnings
}

/// Replace protected names in the texts of translations, as in the originals' (the scope
/// of a report's translation is the report: a protection on one of its entries holds in
/// every language).
fn redact_translations(
    model: &mut Model,
    content: &Content,
    redactions: &Redactions,
    w: &mut Diagnostics,
) {
    // Each translation's front matter, to point at the name where it is written.
    let docs: HashMap<&Path, &Document<crate::load::documents::TranslationFront>> = content
        .translations
        .iter()
        .map(|t| (t.doc.file.as_path(), &t.doc))
        .collect();
    let at = |file: &Path, key: &str, found: &str, d: Diagnostic| match docs.get(file) {
        Some(doc) => doc.diagnostic(d, doc.value_span(key, found)),
        None => d.at(Span::file_start(file)),
    };
    let translations = std::sync::Arc::make_mut(&mut model.translations);
    for (original, texts) in translations.forums.iter_mut() {
        for t in texts {
            let file = t.file.clone();
            let mut field = |text: &mut Option<String>, key: &str| {
                if let Some(text) = text {
                    replace_in(text, redactions, Some(original), w, &|found, d| {
                        at(&file, key, found, d)
                    });
                }
            };
            field(&mut t.title, "title");
            field(&mut t.summary, "summary");
            field(&mut t.theme, "theme");
            field(&mut t.venue, "venue");
            field(&mut t.city, "city");
            field(&mut t.country, "country");
            field(&mut t.source_title, "source");
            for (title, summary) in &mut t.sessions {
                field(title, "sessions");
                field(summary, "sessions");
            }
            for (_, title, topic) in &mut t.speakers {
                field(title, "speakers");
                field(topic, "speakers");
            }
            if let Some(body) = &t.body {
                point_at_names(body, redactions, w);
            }
        }
    }
    let pages = translations.pages.values_mut().flatten();
    for t in pages.chain(translations.site.iter_mut()) {
        let file = t.file.clone();
        for (text, key) in [(&mut t.title, "title"), (&mut t.summary, "summary")] {
            if let Some(text) = text {
                replace_in(text, redactions, None, w, &|found, d| {
                    at(&file, key, found, d)
                });
            }
        }
        for (names, key) in [
            (&mut t.topic_names, "topic_names"),
            (&mut t.series_names, "series_names"),
        ] {
            for name in names.values_mut() {
                replace_in(name, redactions, None, w, &|found, d| {
                    at(&file, key, found, d)
                });
            }
        }
        if let Some(body) = &t.body {
            point_at_names(body, redactions, w);
        }
    }
    let profiles = translations
        .speakers
        .values()
        .chain(translations.organizations.values());
    for t in profiles.flatten() {
        if let Some(body) = &t.body {
            point_at_names(body, redactions, w);
        }
    }
    // A protected person's translated profile goes with their page.
    let kept: std::collections::HashSet<&str> = model
        .speakers
        .iter()
        .filter(|s| s.listed && s.privacy <= Privacy::NoPhoto)
        .map(|s| s.slug.as_str())
        .collect();
    translations
        .speakers
        .retain(|slug, _| kept.contains(slug.as_str()));
}

/// Every spelling of a person's name the site knows.
/// (Names written in translations of their profile count too.)
fn spellings(s: &Speaker, translations: &Translations) -> Vec<String> {
    let mut all = vec![s.name.clone()];
    all.extend(s.aliases.iter().cloned());
    let translated = translations.speakers.get(&s.slug).into_iter().flatten();
    all.extend(translated.filter_map(|t| t.name.clone()));
    // An address or file name spells the person only if it has a word of one of their
    // names: `nargiz-s.md` does, `hidden.md` or `person-17` does not (and withholding
    // "hidden" would stop the build at the theme's `visually-hidden`).
    let words: std::collections::HashSet<String> = all
        .iter()
        .flat_map(|n| {
            let folded = super::fold::fold_plain(n);
            folded.split(' ').map(str::to_string).collect::<Vec<_>>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let mut from_addresses = vec![s.slug.replace('-', " ")];
    if let Some(stem) = s.profile.as_ref().and_then(|p| p.file_stem()) {
        from_addresses.push(stem.to_string_lossy().replace(['-', '_'], " "));
    }
    all.extend(from_addresses.into_iter().filter(|spelling| {
        super::fold::fold_plain(spelling)
            .split(' ')
            .any(|w| words.contains(w))
    }));
    all.sort();
    all.dedup();
    all
}

/// The `@/` keys that name a person's page.
fn link_keys(s: &Speaker) -> Vec<String> {
    let mut keys = vec![format!("speakers/{}", s.slug)];
    if let Some(p) = &s.profile {
        let key = p
            .strip_prefix("content")
            .unwrap_or(p)
            .with_extension("")
            .iter()
            .filter_map(|c| c.to_str())
            .collect::<Vec<_>>()
            .join("/");
        keys.push(key);
    }
    keys
}

/// A token that tells two unnamed people apart in counts and says nothing of who they are.
fn person_token(slug: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(slug.as_bytes())
}

/// A person shown as initials: nothing but the initials, the address and the parts.
fn withheld_person(id: SpeakerId, slug: String, name: &str, digest: u64) -> Speaker {
    Speaker {
        id,
        slug,
        name: initials(name),
        aliases: Vec::new(),
        redirects: Vec::new(),
        bio: None,
        photo: None,
        links: Vec::new(),
        profile: None,
        digest,
        extra: Default::default(),
        appearances: Vec::new(),
        organizations: Vec::new(),
        privacy: Privacy::Initials,
        listed: false,
    }
}

/// The output path of a file named relative to a profile (`photo: nargiz.jpg`).
fn beside(profile: &Path, file: &str) -> Option<String> {
    if file.contains("://") || file.starts_with('/') {
        return None;
    }
    let mut parts: Vec<String> = profile
        .parent()?
        .strip_prefix("content")
        .ok()?
        .iter()
        .filter_map(|c| c.to_str().map(str::to_string))
        .collect();
    for segment in file.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s.to_string()),
        }
    }
    Some(parts.join("/"))
}

/// Drop the people marked in `gone` and renumber everyone else.
fn remove_speakers(model: &mut Model, gone: &[bool]) {
    if !gone.contains(&true) {
        return;
    }
    let mut new_ids = Vec::with_capacity(gone.len());
    let mut next = 0u32;
    for &g in gone {
        new_ids.push(SpeakerId(next));
        if !g {
            next += 1;
        }
    }
    let mut i = 0;
    model.speakers.retain(|_| {
        i += 1;
        !gone[i - 1]
    });
    for s in &mut model.speakers {
        s.id = new_ids[s.id.index()];
    }
    for forum in &mut model.forums {
        for a in &mut forum.appearances {
            debug_assert!(!gone[a.speaker.index()]);
            a.speaker = new_ids[a.speaker.index()];
        }
    }
}

/// Replace protected names in a report's plain-text fields, warning at each, and drop old
/// addresses that spell a name; point at the names in its body.
fn redact_forum(
    forum: &mut Forum,
    doc: Option<&Document<ReportFront>>,
    redactions: &Redactions,
    w: &mut Diagnostics,
) {
    let file = forum.file.clone();
    let scope = Some(file.as_path());
    let at = |key: &str, found: &str, d: Diagnostic| match doc {
        Some(doc) => doc.diagnostic(d, doc.value_span(key, found)),
        None => d.at(Span::file_start(&file)),
    };
    let field = |t: &mut String, key: &str, w: &mut Diagnostics| {
        replace_in(t, redactions, scope, w, &|found, d| at(key, found, d));
    };
    let optional = |t: &mut Option<String>, key: &str, w: &mut Diagnostics| {
        if let Some(t) = t {
            field(t, key, w);
        }
    };
    field(&mut forum.title, "title", w);
    optional(&mut forum.summary, "summary", w);
    optional(&mut forum.theme, "theme", w);
    optional(&mut forum.venue, "venue", w);
    optional(&mut forum.city, "city", w);
    optional(&mut forum.country, "country", w);
    for s in &mut forum.sessions {
        field(&mut s.title, "sessions", w);
        optional(&mut s.time, "sessions", w);
        optional(&mut s.summary, "sessions", w);
    }
    for a in &mut forum.appearances {
        optional(&mut a.title, "speakers", w);
        optional(&mut a.topic, "speakers", w);
    }
    if let Some(src) = &mut forum.source {
        optional(&mut src.title, "source", w);
        optional(&mut src.publisher, "source", w);
        // An address cannot be rewritten and still lead somewhere: the source is shown
        // without its link.
        if src
            .url
            .as_deref()
            .is_some_and(|u| redactions.names_someone(u, scope))
        {
            let url = src.url.take().unwrap_or_default();
            w.push(at(
                "source",
                &url,
                Diagnostic::warning(
                    "the source's address spells a protected person's name; the source is shown without its link",
                )
                .with_help("link a page whose address does not name them, or remove `url:`")
                .with_code(Code::Privacy),
            ));
        }
    }
    // The report's own address comes from its file name (or `slug:`): one that spells the
    // name would put it in every link to the report. That the editor must choose.
    if redactions.names_someone(&forum.path, scope) {
        let span = match doc {
            Some(doc) if doc.front.slug.is_some() => doc.key_span("slug"),
            _ => Span::file_start(&file),
        };
        let d = Diagnostic::error(format!(
            "this report's address `forums/{}/` spells the name of a protected person",
            forum.path
        ))
        .with_help("give the report a `slug:` that does not name them (e.g. `slug: award-ceremony`), or rename its file; the address of a report is public, so no name in it can be replaced")
        .with_code(Code::Privacy);
        w.push(match doc {
            Some(doc) => doc.diagnostic(d, span),
            None => d.at(span),
        });
    }
    if forum
        .image
        .as_deref()
        .is_some_and(|i| redactions.names_someone(i, scope))
    {
        w.push(at(
            "image",
            forum.image.as_deref().unwrap_or_default(),
            Diagnostic::warning(
                "the image's file name spells a protected person's name; it is not published",
            )
            .with_help("rename the file (and `image:`), or remove it")
            .with_code(Code::Privacy),
        ));
        forum.image = None;
    }
    forum.aliases.retain(|a| {
        let names = redactions.names_someone(a, scope);
        if names {
            w.push(at(
                "aliases",
                a,
                Diagnostic::warning("an old address of this report spells a protected person's name; no redirect is made from it")
                    .with_help("remove it from `aliases:` (the old address now answers 404)")
                    .with_code(Code::Privacy),
            ));
        }
        !names
    });
    point_at_names(&forum.body, redactions, w);
}

/// Profiles (or plain pages) by their file, to point at a place in one.
fn profile_documents<F>(docs: &[Document<F>]) -> HashMap<&Path, &Document<F>> {
    docs.iter().map(|d| (d.file.as_path(), d)).collect()
}

/// Drop the links of a profile (`links:`) whose address spells a protected name, and
/// replace the names in the labels of the others, warning where each is written: a profile
/// may link an interview with someone who is now protected.
fn redact_links<F>(
    links: &mut Vec<Link>,
    profile: Option<&Path>,
    doc: Option<&&Document<F>>,
    redactions: &Redactions,
    w: &mut Diagnostics,
) {
    let at = |found: &str, d: Diagnostic| match (doc, profile) {
        (Some(doc), _) => doc.diagnostic(d, doc.value_span("links", found)),
        (None, Some(file)) => d.at(Span::file_start(file)),
        (None, None) => d,
    };
    links.retain_mut(|link| {
        if redactions.names_someone(&link.url, None) {
            w.push(at(
                &link.url,
                Diagnostic::warning(
                    "this link's address spells a protected person's name; it is not published",
                )
                .with_help("link a page whose address does not name them, or remove the link")
                .with_code(Code::Privacy),
            ));
            return false;
        }
        replace_in(&mut link.label, redactions, None, w, &at);
        true
    });
}

/// Replace protected names in one text field, with a warning where each was written
/// (`at` positions a warning at the text found).
fn replace_in(
    text: &mut String,
    redactions: &Redactions,
    scope: Option<&Path>,
    warnings: &mut Diagnostics,
    at: &dyn Fn(&str, Diagnostic) -> Diagnostic,
) {
    let found = redactions.find(text, scope);
    if found.is_empty() {
        return;
    }
    for (range, who) in &found {
        warnings.push(at(&text[range.clone()], name_warning(who)));
    }
    *text = redactions.redact(text, scope).into_owned();
}

/// A warning at each protected name in a Markdown text (the render stage replaces them).
fn point_at_names(md: &Markdown, redactions: &Redactions, warnings: &mut Diagnostics) {
    if md.source.is_blank() {
        return;
    }
    let words = md.source.get();
    let source: &str = &words;
    // Read as the page shows it: `Nargiz&nbsp;Safarova` is the name, and its place in the
    // source is where it was written.
    let (read, origin) = references_read(source);
    for (range, who) in redactions.find(&read, Some(&md.file)) {
        let start = origin.as_ref().map_or(range.start, |o| o[range.start]);
        let (line, col) = line_col(source, start);
        let mut d = name_warning(who).at(Span::new(&md.file, md.first_line + line - 1, col));
        d.source_line = source.lines().nth(line - 1).map(str::to_string);
        warnings.push(d);
    }
}

/// `source` with its character references (`&nbsp;`, `&shy;`, `&#160;`, `&#xAD;`) read as
/// the characters they stand for, and for each byte of that, where in `source` it came
/// from (`None` when there was nothing to read).
fn references_read(source: &str) -> (std::borrow::Cow<'_, str>, Option<Vec<usize>>) {
    if !source.contains('&') {
        return (source.into(), None);
    }
    let mut read = String::with_capacity(source.len());
    let mut origin = Vec::with_capacity(source.len());
    let mut at = 0;
    while at < source.len() {
        let rest = &source[at..];
        let reference = super::redactions::reference_at(rest);
        let (c, len) = reference.unwrap_or_else(|| {
            let c = rest.chars().next().unwrap_or(' ');
            (c, c.len_utf8())
        });
        read.push(c);
        origin.extend(std::iter::repeat_n(at, c.len_utf8()));
        at += len;
    }
    (read.into(), Some(origin))
}

fn name_warning(who: &Redaction) -> Diagnostic {
    Diagnostic::warning(format!(
        "the name of a person protected by `privacy: {}` is published here as `{}`",
        who.level.as_str(),
        who.public
    ))
    .with_help(format!(
        "the site already shows `{}`; to take the name out of your sources too, write that instead (setting in {})",
        who.public,
        who.declared.display()
    ))
    .with_code(Code::Privacy)
}
