//! The names of protected people, and what is shown instead: found in text however they are
//! written (`fold`), replaced where text is made, and looked for one last time in every file
//! before it is written (`Redactions::leaked`).

use super::fold::Matcher;
use crate::diagnostic::{Diagnostic, line_col};
use crate::model::Privacy;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::{Path, PathBuf};

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
    pub(super) fn new(
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
        // A file made in pieces is looked at joined: a name may run across two of them.
        let text = if is_text(&file.path) {
            file.contents.joined()
        } else {
            Cow::Borrowed(&[][..])
        };
        let (place, who) = self.leak(&file.path, &text)?;
        Some(
            Diagnostic::error(format!(
                "refusing to publish `{}`: it would show the name of a person protected by `privacy: {}` ({place}; made from {})",
                file.path,
                who.level.as_str(),
                file.origin
            ))
            .with_help(format!(
                "reports, lists and links are cleaned of protected names; this one came another way (an address: a report's file name or `slug:`; a topic, series or organization named after the person; a value under `extra:`; or a theme template). Rename or remove it (the setting is in {}); nothing was published",
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
/// The character a reference at the start of `text` stands for (`&amp;`, `&nbsp;`, `&shy;`,
/// `&#160;`, `&#xAD;`, ...) and the reference's length; `None` when `text` starts with none.
/// (Only the references a name may be written with, or HTML and XML escape with.)
pub(super) fn reference_at(text: &str) -> Option<(char, usize)> {
    let rest = text.strip_prefix('&')?;
    let end = rest.find(';').filter(|&e| e <= 10)?;
    let c = match &rest[..end] {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "shy" => '\u{AD}',
        e => {
            let number = e.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, end + 2))
}

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
        } else {
            match reference_at(rest) {
                Some((c, used)) => (Some(c), used),
                None => (None, 1),
            }
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

#[cfg(test)]
mod tests {
    use super::super::PARTICIPANT;
    use super::*;

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
