//! Privacy: people at risk, shown only as much as `privacy:` allows, and nothing of them
//! leaking anywhere.
//!
//! A profile's `privacy:` applies to the person everywhere, a speaker entry's to that one
//! appearance; the stricter wins (`no-photo` < `initials` < `unlisted`). `protect` runs at
//! the end of the model stage and rewrites the model itself, so that no later stage (pages,
//! feeds, calendars, the API, structured data, search) ever holds what it must not show:
//!
//! - `no-photo`: the portrait is dropped, and its file is not published.
//! - `initials`: the person becomes "A. A." with an address made by `key::Key` (stable,
//!   and not a hash anyone could recompute from a guess); no bio, photo, links or aliases;
//!   left out of every list but the reports they spoke at (`Speaker::listed`).
//! - `unlisted`: the person is gone; each of their parts becomes an `Unnamed` one ("a
//!   participant", with the organization they spoke for).
//!
//! The names themselves (every spelling: name, aliases, spellings seen in reports) stay in
//! one place only, the `Redactions`, which the render stage uses to replace them in report
//! text and which nothing renders. Every place a name was replaced is a warning at
//! file:line:col, so editors can also fix the sources. As a last guard, `Redactions::leak`
//! lets the build refuse to publish any file in which a protected name still appears.

pub mod fold;
pub mod key;

use crate::diagnostic::{Diagnostic, Diagnostics, Span, line_col};
use crate::load::Document;
use crate::load::documents::ReportFront;
use crate::model::*;
use fold::Matcher;
pub use key::Key;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// What is shown in place of a person who must not be named.
pub const PARTICIPANT: &str = "a participant";

/// One protected person, with every spelling of their name. Never rendered.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Redaction {
    /// What is shown instead: their initials, or "a participant".
    pub public: String,
    pub level: Privacy,
    /// The report this protection is for (a setting on one speaker entry), or `None` for
    /// the whole site.
    pub scope: Option<PathBuf>,
    /// The name and every other spelling of it.
    pub spellings: Vec<String>,
    /// Where the setting is written: the profile, or the report.
    pub declared: PathBuf,
}

/// The protected people of a site and how to find their names in text.
#[derive(Debug, Clone, Default)]
pub struct Redactions {
    pub people: Vec<Redaction>,
    /// Names protected everywhere (owners index `people`).
    global: Matcher,
    /// For a report with protections of its own: its names and the global ones.
    scoped: HashMap<PathBuf, Matcher>,
    /// `@/` link keys (`speakers/<slug>`) of people no longer shown under that address:
    /// the slug to link to instead (initials), or `None` (no link at all).
    links: HashMap<String, Option<String>>,
    scoped_links: HashMap<(PathBuf, String), Option<String>>,
    /// Changes whenever anything above does: part of every page's fingerprint.
    pub digest: u64,
}

impl Default for Matcher {
    fn default() -> Matcher {
        Matcher::new([])
    }
}

impl Redactions {
    fn new(
        people: Vec<Redaction>,
        links: HashMap<String, Option<String>>,
        scoped_links: HashMap<(PathBuf, String), Option<String>>,
    ) -> Redactions {
        let global = Matcher::new(
            people
                .iter()
                .enumerate()
                .filter(|(_, r)| r.scope.is_none())
                .flat_map(|(i, r)| r.spellings.iter().map(move |s| (s.as_str(), i))),
        );
        let mut by_file: HashMap<&Path, Vec<usize>> = HashMap::new();
        for (i, r) in people.iter().enumerate() {
            if let Some(file) = &r.scope {
                by_file.entry(file).or_default().push(i);
            }
        }
        let scoped = by_file
            .into_iter()
            .map(|(file, own)| {
                // The report's own protections first: their form is the one for this report.
                let order = own
                    .into_iter()
                    .chain((0..people.len()).filter(|&i| people[i].scope.is_none()));
                let names: Vec<(&str, usize)> = order
                    .flat_map(|i| people[i].spellings.iter().map(move |s| (s.as_str(), i)))
                    .collect();
                (file.to_path_buf(), Matcher::new(names))
            })
            .collect();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        people.hash(&mut h);
        let mut sorted_links: Vec<_> = links.iter().collect();
        sorted_links.sort();
        sorted_links.hash(&mut h);
        let mut sorted_scoped: Vec<_> = scoped_links.iter().collect();
        sorted_scoped.sort();
        sorted_scoped.hash(&mut h);
        Redactions {
            people,
            global,
            scoped,
            links,
            scoped_links,
            digest: h.finish(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    fn matcher(&self, file: Option<&Path>) -> &Matcher {
        file.and_then(|f| self.scoped.get(f))
            .unwrap_or(&self.global)
    }

    /// Every protected name in `text` (of the file `file`, whose own protections apply too).
    pub fn find(&self, text: &str, file: Option<&Path>) -> Vec<(Range<usize>, &Redaction)> {
        if self.is_empty() {
            return Vec::new();
        }
        self.matcher(file)
            .find(text)
            .into_iter()
            .map(|f| (f.range, &self.people[f.owner]))
            .collect()
    }

    /// `text` with every protected name replaced by what may be shown.
    pub fn redact<'t>(&self, text: &'t str, file: Option<&Path>) -> Cow<'t, str> {
        self.redact_after(text, file, "")
    }

    /// `redact` for a piece of a longer text: `before` is what precedes it (a sentence may
    /// start before the piece does, or not).
    pub fn redact_after<'t>(
        &self,
        text: &'t str,
        file: Option<&Path>,
        before: &str,
    ) -> Cow<'t, str> {
        let found = self.find(text, file);
        if found.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (range, who) in found {
            out.push_str(&text[at..range.start]);
            let context = &text[..range.start];
            let context = if context.trim().is_empty() {
                before
            } else {
                context
            };
            out.push_str(&shown_as(who, context));
            at = range.end;
        }
        out.push_str(&text[at..]);
        Cow::Owned(out)
    }

    /// Whether `text` holds a protected name.
    pub fn names_someone(&self, text: &str, file: Option<&Path>) -> bool {
        !self.is_empty() && self.matcher(file).contains(text)
    }

    /// Where an `@/` link to `key` (`speakers/<slug>`) must go instead: `Some(Some(slug))`
    /// for another address, `Some(None)` for no link; `None` when the link is not affected.
    pub fn link(&self, key: &str, file: Option<&Path>) -> Option<Option<&str>> {
        if let Some(f) = file
            && let Some(target) = self.scoped_links.get(&(f.to_path_buf(), key.to_string()))
        {
            return Some(target.as_deref());
        }
        self.links.get(key).map(|t| t.as_deref())
    }

    /// The last guard: where in an output file (its path, then its text, with character
    /// references and JSON escapes read as what they stand for) a name protected everywhere
    /// still stands: a short description of the place, and whose name it is.
    pub fn leak(&self, path: &str, bytes: &[u8]) -> Option<(String, &Redaction)> {
        if self.global.is_empty() {
            return None;
        }
        if let Some(f) = self.global.find(path).first() {
            return Some(("in the file's name".to_string(), &self.people[f.owner]));
        }
        let text = String::from_utf8_lossy(bytes);
        let text = unescape(&text);
        if !self.global.contains(&text) {
            return None;
        }
        self.global.find(&text).first().map(|f| {
            let (line, col) = line_col(&text, f.range.start);
            (format!("line {line}, column {col}"), &self.people[f.owner])
        })
    }

    /// `leak` for a file about to be published, as the error that stops the build. Text
    /// files are read; files copied as they are, by their name only.
    pub fn leaked(&self, file: &crate::write::OutputFile) -> Option<Diagnostic> {
        if self.global.is_empty() {
            return None;
        }
        let text: &[u8] = match &file.contents {
            crate::write::Contents::Bytes(b) if is_text(&file.path) => b,
            _ => &[],
        };
        let (place, who) = self.leak(&file.path, text)?;
        Some(
            Diagnostic::error(format!(
                "refusing to publish `{}`: it would show the name of a person protected by `privacy: {}` ({place}; made from {})",
                file.path,
                who.level.as_str(),
                file.origin
            ))
            .with_help(format!(
                "reports, lists and links are cleaned of protected names; this one came another way (a topic, series or organization named after the person, a value under `extra:`, or a theme template). Rename or remove it (the setting is in {}); nothing was published",
                who.declared.display()
            )),
        )
    }
}

/// Whether an output file is text a name could stand in.
fn is_text(path: &str) -> bool {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "html"
            | "htm"
            | "xml"
            | "json"
            | "csv"
            | "ics"
            | "txt"
            | "js"
            | "css"
            | "svg"
            | "webmanifest"
            | "md"
            | ""
    )
}

/// The public form of a protected person at a place in text: "a participant" starts with a
/// capital at the start of a sentence.
fn shown_as(who: &Redaction, before: &str) -> String {
    if who.level < Privacy::Unlisted {
        return who.public.clone();
    }
    let starts_sentence = before
        .trim_end()
        .chars()
        .last()
        .is_none_or(|c| matches!(c, '.' | '!' | '?' | ':' | '"' | '“' | '«' | '>'));
    if starts_sentence {
        let mut s = who.public.clone();
        s[..1].make_ascii_uppercase();
        s
    } else {
        who.public.clone()
    }
}

/// HTML character references (`&#x259;`, `&#601;`, `&amp;`, `&#39;`) and JSON `\uXXXX`
/// escapes read as the characters they stand for, so a name cannot hide behind an escape.
fn unescape(text: &str) -> Cow<'_, str> {
    if !text.contains("&#") && !text.contains("\\u") && !text.contains("&apos;") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['&', '\\']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let (c, used) = if let Some(r) = rest.strip_prefix("\\u") {
            (
                r.get(..4)
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32),
                6,
            )
        } else if let Some(end) = rest[1..].find(';').filter(|&e| e <= 10) {
            let entity = &rest[1..=end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                e => e
                    .strip_prefix("#x")
                    .or_else(|| e.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| e.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            (c, end + 2)
        } else {
            (None, 1)
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[used..];
            }
            None => {
                let ch = rest.chars().next().unwrap_or('&');
                out.push(ch);
                rest = &rest[ch.len_utf8()..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// "Nərgiz Səfərova" -> "N. S.": the first letter of each word of the name.
pub fn initials(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .flat_map(char::to_uppercase)
        .map(|c| format!("{c}."))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a site's sources ask for any address that needs the privacy key.
pub fn needs_key(content: &crate::load::Content) -> bool {
    let initials = |p: &Option<crate::load::documents::Text>| {
        p.as_deref().and_then(Privacy::parse) == Some(Privacy::Initials)
    };
    content.speakers.iter().any(|d| initials(&d.front.privacy))
        || content.reports.iter().any(|d| {
            let f = &d.front;
            f.speakers.0.iter().any(|a| initials(&a.privacy))
                || f.sessions.0.iter().any(|s| {
                    s.moderator.iter().any(|m| initials(&m.privacy))
                        || s.speakers.0.iter().any(|a| initials(&a.privacy))
                })
        })
}

/// Rewrite `model` so that it holds nothing that protected people's settings withhold, and
/// return their names for the render stage. Runs before the model's reverse edges are made.
/// The warnings point at every place in the sources where a protected name was replaced.
pub fn protect(
    model: &mut Model,
    reports: &[Document<ReportFront>],
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
    let mut people = Vec::new();
    let mut links = HashMap::new();
    let mut scoped_links = HashMap::new();

    // Each part, at the stricter of the entry's and the person's setting.
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

    // People protected everywhere: by their own setting, or because every part they have
    // is protected and no profile makes them a public person.
    let everywhere: Vec<Option<Privacy>> = model
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
        .collect();
    // Where a person without a profile was protected: the first report that did.
    let mut first_report: Vec<Option<PathBuf>> = vec![None; n];
    for forum in &model.forums {
        for a in &forum.appearances {
            let slot = &mut first_report[a.speaker.index()];
            if a.privacy.hides_name() && slot.is_none() {
                *slot = Some(forum.file.clone());
            }
        }
    }
    for (i, s) in model.speakers.iter().enumerate() {
        let Some(level) = everywhere[i] else { continue };
        let public = match level {
            Privacy::Initials => initials(&s.name),
            _ => PARTICIPANT.to_string(),
        };
        people.push(Redaction {
            public,
            level,
            scope: None,
            spellings: spellings(s),
            declared: s
                .profile
                .clone()
                .or_else(|| first_report[i].clone())
                .unwrap_or_default(),
        });
        let target = (level == Privacy::Initials && s.privacy == Privacy::Initials)
            .then(|| key.opaque_slug(&s.slug));
        for k in link_keys(s) {
            links.insert(k, target.clone());
        }
    }

    // Parts protected on their own entry: an unnamed part, or initials with a page of
    // their own for that report; the person's name is replaced in that report's text.
    let mut added: Vec<Speaker> = Vec::new();
    for forum in &mut model.forums {
        let mut kept = Vec::with_capacity(forum.appearances.len());
        for a in std::mem::take(&mut forum.appearances) {
            let s = &model.speakers[a.speaker.index()];
            // Protected everywhere: the site-wide redaction already covers the name.
            let covered = everywhere[a.speaker.index()].is_some();
            let public = match a.privacy {
                Privacy::Initials => initials(&s.name),
                _ => PARTICIPANT.to_string(),
            };
            match a.privacy {
                Privacy::Unlisted => {
                    forum.unnamed.push(Unnamed {
                        role: a.role,
                        organization: a.organization,
                        session: a.session,
                        person: person_token(&s.slug),
                    });
                    if !covered {
                        people.push(scoped(forum, s, public, a.privacy));
                        for k in link_keys(s) {
                            scoped_links.insert((forum.file.clone(), k), None);
                        }
                    }
                }
                // Initials on this entry only: a page of its own for this report, so that
                // nothing ties it to the person's other forums.
                Privacy::Initials if s.privacy != Privacy::Initials => {
                    let slug = key.opaque_slug(&format!("{}\0{}", forum.path, s.slug));
                    if !covered {
                        people.push(scoped(forum, s, public, a.privacy));
                        for k in link_keys(s) {
                            scoped_links.insert((forum.file.clone(), k), Some(slug.clone()));
                        }
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

    // The people themselves.
    let mut withheld_files: Vec<String> = Vec::new();
    for (i, s) in model.speakers.iter_mut().enumerate() {
        if s.privacy >= Privacy::NoPhoto
            && let (Some(photo), Some(profile)) = (&s.photo, &s.profile)
            && let Some(output) = beside(profile, photo)
        {
            withheld_files.push(output);
        }
        if s.privacy >= Privacy::NoPhoto {
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

    let redactions = Redactions::new(people, links, scoped_links);
    let mut warnings = Diagnostics::new();
    if redactions.is_empty() {
        return (redactions, warnings);
    }
    model.assets.retain(|a| {
        !(withheld_files.contains(&a.output) || redactions.names_someone(&a.output, None))
    });
    let docs: HashMap<&Path, &Document<ReportFront>> =
        reports.iter().map(|d| (d.file.as_path(), d)).collect();
    for forum in &mut model.forums {
        redact_forum(
            forum,
            docs.get(forum.file.as_path()).copied(),
            &redactions,
            &mut warnings,
        );
    }
    for page in &mut model.pages {
        let file = page.file.clone();
        let mut field = |text: &mut String| {
            replace_in(text, &redactions, None, &mut warnings, &|_, d| {
                d.at(Span::file_start(&file))
            })
        };
        field(&mut page.title);
        if let Some(s) = &mut page.summary {
            field(s);
        }
        page.aliases.retain(|a| !redactions.names_someone(a, None));
        point_at_names(&page.body, &redactions, &mut warnings);
    }
    for s in &model.speakers {
        if let Some(bio) = &s.bio {
            point_at_names(bio, &redactions, &mut warnings);
        }
    }
    for o in &model.organizations {
        if let Some(d) = &o.description {
            point_at_names(d, &redactions, &mut warnings);
        }
    }
    point_at_names(&model.site.intro, &redactions, &mut warnings);
    (redactions, warnings)
}

/// The protection of one person on one report's entry.
fn scoped(forum: &Forum, s: &Speaker, public: String, level: Privacy) -> Redaction {
    Redaction {
        public,
        level,
        scope: Some(forum.file.clone()),
        spellings: spellings(s),
        declared: forum.file.clone(),
    }
}

/// Every spelling of a person's name the site knows.
fn spellings(s: &Speaker) -> Vec<String> {
    let mut all = vec![s.name.clone()];
    all.extend(s.aliases.iter().cloned());
    all.push(s.slug.replace('-', " "));
    if let Some(stem) = s.profile.as_ref().and_then(|p| p.file_stem()) {
        all.push(stem.to_string_lossy().replace(['-', '_'], " "));
    }
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
        optional(&mut s.summary, "sessions", w);
    }
    for a in &mut forum.appearances {
        optional(&mut a.title, "speakers", w);
        optional(&mut a.topic, "speakers", w);
    }
    if let Some(src) = &mut forum.source {
        optional(&mut src.title, "source", w);
        optional(&mut src.publisher, "source", w);
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
            .with_code(crate::diagnostic::Code::Privacy),
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
                    .with_code(crate::diagnostic::Code::Privacy),
            ));
        }
        !names
    });
    point_at_names(&forum.body, redactions, w);
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
    if md.source.is_empty() {
        return;
    }
    for (range, who) in redactions.find(&md.source, Some(&md.file)) {
        let (line, col) = line_col(&md.source, range.start);
        let mut d = name_warning(who).at(Span::new(&md.file, md.first_line + line - 1, col));
        d.source_line = md.source.lines().nth(line - 1).map(str::to_string);
        warnings.push(d);
    }
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
    .with_code(crate::diagnostic::Code::Privacy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_take_the_first_letter_of_each_word() {
        assert_eq!(initials("Nərgiz Səfərova"), "N. S.");
        assert_eq!(initials("Anna-Maria  van Dijk"), "A. M. V. D.");
        assert_eq!(initials("Наргиз Сафарова"), "Н. С.");
    }

    #[test]
    fn escapes_are_read_before_looking_for_names() {
        assert_eq!(unescape("A&#x259;li &amp; \\u0259"), "Aəli & ə");
        assert_eq!(unescape("no escapes"), "no escapes");
        assert_eq!(unescape("&unknown stays"), "&unknown stays");
    }

    #[test]
    fn a_participant_starts_a_sentence_with_a_capital() {
        let r = Redactions::new(
            vec![Redaction {
                public: PARTICIPANT.into(),
                level: Privacy::Unlisted,
                scope: None,
                spellings: vec!["Nargiz Safarova".into()],
                declared: PathBuf::new(),
            }],
            HashMap::new(),
            HashMap::new(),
        );
        assert_eq!(
            r.redact("Nargiz Safarova spoke. We thanked NARGIZ SAFAROVA.", None),
            "A participant spoke. We thanked a participant."
        );
        assert!(r.leak("x.html", b"<p>Nargiz&#32;Safarova</p>").is_some());
        assert!(
            r.leak("x.json", br#"{"n":"Nargiz \u0053afarova"}"#)
                .is_some()
        );
        assert!(r.leak("speakers/nargiz-safarova/index.html", b"").is_some());
        assert!(r.leak("x.html", b"<p>Nargiz Aliyev</p>").is_none());
    }
}
