//! Finding a name in text however it is written: any case, with or without diacritics, in
//! Latin or Cyrillic letters, with spaces, hyphens or underscores between its words (so the
//! slug in a URL is found too).
//!
//! Both the names and the text are folded the same way: each letter or digit becomes its
//! ASCII transliteration in lower case (Turkic `İ`/`ı` become `i`), everything else becomes
//! one space. A name is found where its folded form stands in the folded text between word
//! boundaries. Every folded byte remembers the original character it came from, so a match
//! maps back to a range of the original text (to replace it, or to point at it).

use aho_corasick::AhoCorasick;
use std::ops::Range;

/// Text folded for matching, with the way back to the original.
pub struct Folded {
    pub text: String,
    /// For each byte of `text`, the byte range of the original character it came from.
    origin: Vec<Range<usize>>,
}

/// Fold `text`: letters and digits to lower-case ASCII, runs of anything else to one space.
pub fn fold(text: &str) -> Folded {
    let mut out = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    fold_into(text, &mut out, Some(&mut origin));
    Folded { text: out, origin }
}

/// `fold` without the way back: for a quick look whether anything is there at all (most
/// text holds no protected name, and the output of a large site is hundreds of megabytes, so
/// ASCII goes byte by byte).
pub fn fold_plain(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut pending = false;
    let push = |b: u8, out: &mut Vec<u8>, pending: &mut bool| {
        if *pending && !out.is_empty() {
            out.push(b' ');
        }
        *pending = false;
        out.push(b.to_ascii_lowercase());
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() {
                push(b, &mut out, &mut pending);
            } else {
                pending = true;
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        i += c.len_utf8();
        if !c.is_alphanumeric() {
            pending = true;
            continue;
        }
        let ascii = match c {
            'İ' | 'ı' => "i",
            c => any_ascii::any_ascii_char(c),
        };
        for b in ascii.bytes().filter(u8::is_ascii_alphanumeric) {
            push(b, &mut out, &mut pending);
        }
    }
    // Only ASCII was pushed.
    String::from_utf8(out).unwrap_or_default()
}

fn fold_into(text: &str, out: &mut String, mut origin: Option<&mut Vec<Range<usize>>>) {
    let mut pending_space: Option<Range<usize>> = None;
    let mut push = |s: &str, range: Range<usize>, pending: &mut Option<Range<usize>>| {
        let mut bytes = s.bytes().filter(u8::is_ascii_alphanumeric).peekable();
        if bytes.peek().is_none() {
            return;
        }
        if let Some(space) = pending.take() {
            out.push(' ');
            if let Some(o) = origin.as_deref_mut() {
                o.push(space);
            }
        }
        for b in bytes {
            out.push(b.to_ascii_lowercase() as char);
            if let Some(o) = origin.as_deref_mut() {
                o.push(range.clone());
            }
        }
    };
    let mut started = false;
    for (start, c) in text.char_indices() {
        let range = start..start + c.len_utf8();
        if !c.is_alphanumeric() {
            if started && pending_space.is_none() {
                pending_space = Some(range);
            }
            continue;
        }
        started = true;
        match c {
            'İ' | 'I' | 'ı' => push("i", range, &mut pending_space),
            c if c.is_ascii() => push(c.encode_utf8(&mut [0; 4]), range, &mut pending_space),
            c => push(any_ascii::any_ascii_char(c), range, &mut pending_space),
        }
    }
}

impl Folded {
    /// The original byte range of the folded range `r`.
    pub fn original(&self, r: Range<usize>) -> Range<usize> {
        self.origin[r.start].start..self.origin[r.end - 1].end
    }
}

/// Finds any of a set of names in text, as whole words.
#[derive(Debug, Clone)]
pub struct Matcher {
    automaton: Option<AhoCorasick>,
    /// For each pattern, the entry it belongs to (what the caller registered it for).
    owners: Vec<usize>,
}

/// One place a name was found: the original byte range and the owner of the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub range: Range<usize>,
    pub owner: usize,
}

impl Matcher {
    /// `names` are (spelling, owner) pairs; spellings that fold to nothing are skipped.
    pub fn new<'a>(names: impl IntoIterator<Item = (&'a str, usize)>) -> Matcher {
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        for (name, owner) in names {
            let folded = fold(name).text;
            if folded.is_empty() || patterns.contains(&folded) {
                continue;
            }
            patterns.push(folded);
            owners.push(owner);
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            // Patterns are a few hundred names at most; building cannot fail for them.
            AhoCorasick::new(&patterns).ok()
        };
        Matcher { automaton, owners }
    }

    pub fn is_empty(&self) -> bool {
        self.automaton.is_none()
    }

    /// Every place in `text` where one of the names stands as whole words, leftmost first,
    /// longest first where two overlap, never overlapping.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        if !self.hit(&fold_plain(text)) {
            return Vec::new();
        }
        let folded = fold(text);
        let bytes = folded.text.as_bytes();
        let mut hits: Vec<(Range<usize>, usize)> = automaton
            .find_overlapping_iter(&folded.text)
            .filter(|m| {
                (m.start() == 0 || bytes[m.start() - 1] == b' ')
                    && (m.end() == bytes.len() || bytes[m.end()] == b' ')
            })
            .map(|m| (m.range(), self.owners[m.pattern().as_usize()]))
            .collect();
        hits.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
        let mut found: Vec<Found> = Vec::new();
        let mut end = 0;
        for (r, owner) in hits {
            if r.start < end {
                continue;
            }
            end = r.end;
            found.push(Found {
                range: folded.original(r),
                owner,
            });
        }
        found
    }

    /// Whether any name stands in `text`.
    pub fn contains(&self, text: &str) -> bool {
        self.hit(&fold_plain(text))
    }

    /// Whether any name stands, as whole words, in already folded text.
    fn hit(&self, folded: &str) -> bool {
        let Some(automaton) = &self.automaton else {
            return false;
        };
        let bytes = folded.as_bytes();
        automaton.find_overlapping_iter(folded).any(|m| {
            (m.start() == 0 || bytes[m.start() - 1] == b' ')
                && (m.end() == bytes.len() || bytes[m.end()] == b' ')
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(names: &[&str], text: &str) -> Vec<String> {
        let m = Matcher::new(names.iter().map(|n| (*n, 0)));
        m.find(text)
            .into_iter()
            .map(|f| text[f.range].to_string())
            .collect()
    }

    #[test]
    fn folds_case_diacritics_scripts_and_separators() {
        assert_eq!(fold("Nərgiz SƏFƏROVA").text, "nergiz seferova");
        assert_eq!(fold("  nargiz-safarova_2/").text, "nargiz safarova 2");
        assert_eq!(fold("Наргиз Сафарова").text, "nargiz safarova");
        assert_eq!(fold("IĞDIR").text, "igdir");
        for text in [
            "Nərgiz SƏFƏROVA",
            "  nargiz-safarova_2/",
            "Наргиз, «Сафарова»!",
            "a–b ü 9",
            "",
        ] {
            assert_eq!(fold_plain(text), fold(text).text, "{text}");
        }
    }

    #[test]
    fn finds_whole_names_in_any_spelling_and_maps_back() {
        let names = ["Nərgiz Səfərova", "Наргиз Сафарова"];
        assert_eq!(
            matches(&names, "We met NERGIZ SEFEROVA and **nərgiz səfərova**."),
            ["NERGIZ SEFEROVA", "nərgiz səfərova"]
        );
        assert_eq!(
            matches(&names, "see https://x.org/people/nergiz-seferova/ now"),
            ["nergiz-seferova"]
        );
        assert_eq!(
            matches(&names, "Говорила Наргиз Сафарова."),
            ["Наргиз Сафарова"]
        );
        // Not inside longer words.
        assert!(matches(&names, "Mnergiz Seferovax").is_empty());
    }

    #[test]
    fn longest_match_wins_where_names_overlap() {
        let names = ["Ali Aliyev", "Ali Aliyev Jr"];
        assert_eq!(matches(&names, "by Ali Aliyev Jr."), ["Ali Aliyev Jr"]);
        assert_eq!(matches(&names, "Ali Ali Aliyev"), ["Ali Aliyev"]);
    }
}
