//! Finding a name in text however it is written: any case, with or without diacritics, in
//! Latin or Cyrillic letters, with spaces, hyphens or underscores between its words (so the
//! slug in a URL is found too), percent-encoded as in an address (`N%C9%99rgiz`,
//! `nargiz%20safarova`), or with its words run together as in a handle (`NargizSafarova`).
//!
//! Both the names and the text are folded the same way: each letter or digit becomes its
//! ASCII transliteration in lower case (Turkic `İ`/`ı` become `i`), everything else becomes
//! one space. A name is found where its folded form stands in the folded text between word
//! boundaries. Every folded byte remembers the original character it came from, so a match
//! maps back to a range of the original text (to replace it, or to point at it).

use aho_corasick::AhoCorasick;
use std::ops::Range;
use unicode_normalization::char::is_combining_mark;

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

/// Characters that stand for nothing between two letters: a soft hyphen (`&shy;`, where a
/// word may break), zero-width spaces and joiners, the byte-order mark, and an accent with no
/// letter to go on. `Nar&shy;giz` is `Nargiz`.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{34F}'
    ) || (!c.is_alphanumeric() && is_combining_mark(c))
}

/// The letter or digit at byte `at` of `text` with the accents written apart after it
/// (`s` + U+0327, as text in decomposed form has it) put onto it, as if typed precomposed
/// (`ş`); and where it ends. `None` when no letter or digit is there.
fn letter_at(text: &str, at: usize) -> Option<(char, usize)> {
    let mut chars = text[at..].chars();
    let mut letter = chars.next().filter(|c| c.is_alphanumeric())?;
    let mut end = at + letter.len_utf8();
    for mark in chars {
        if mark.is_alphanumeric() || !is_combining_mark(mark) {
            break;
        }
        if let Some(composed) = unicode_normalization::char::compose(letter, mark) {
            letter = composed;
        }
        end += mark.len_utf8();
    }
    Some((letter, end))
}

/// The character a percent-encoded address spells at byte `at` of `text` (`%C9%99` is `ə`,
/// `%20` a space), and where its escapes end; `None` when no whole UTF-8 character is
/// encoded there (then the `%` is read as any other sign).
fn escaped_at(text: &str, at: usize) -> Option<(char, usize)> {
    let bytes = text.as_bytes();
    let byte_at = |i: usize| -> Option<u8> {
        if *bytes.get(i)? != b'%' {
            return None;
        }
        let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
        u8::from_str_radix(hex, 16).ok()
    };
    let lead = byte_at(at)?;
    let len = match lead {
        0x00..=0x7F => 1,
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let mut encoded = [0u8; 4];
    for (n, slot) in encoded.iter_mut().enumerate().take(len) {
        *slot = byte_at(at + 3 * n)?;
    }
    let c = std::str::from_utf8(&encoded[..len]).ok()?.chars().next()?;
    Some((c, at + 3 * len))
}

/// A letter or digit as the ASCII it folds to.
fn ascii_of(c: char) -> &'static str {
    match c {
        'İ' | 'I' | 'ı' | 'i' => "i",
        c if c.is_ascii() => {
            // The ASCII letters and digits, each its own one-byte string.
            const ASCII: &str = "0123456789abcdefghijklmnopqrstuvwxyz";
            let lower = c.to_ascii_lowercase() as u8;
            let at = match lower {
                b'0'..=b'9' => (lower - b'0') as usize,
                b'a'..=b'z' => (lower - b'a') as usize + 10,
                _ => return "",
            };
            &ASCII[at..at + 1]
        }
        c => any_ascii::any_ascii_char(c),
    }
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
        if b == b'%'
            && let Some((c, end)) = escaped_at(text, i)
        {
            i = end;
            if c.is_alphanumeric() {
                for b in ascii_of(c).bytes().filter(u8::is_ascii_alphanumeric) {
                    push(b, &mut out, &mut pending);
                }
            } else if !invisible(c) {
                pending = true;
            }
            continue;
        }
        // An ASCII letter followed by ASCII: nothing to put onto it.
        if b.is_ascii() && bytes.get(i + 1).is_none_or(u8::is_ascii) {
            if b.is_ascii_alphanumeric() {
                push(b, &mut out, &mut pending);
            } else {
                pending = true;
            }
            i += 1;
            continue;
        }
        let Some((letter, end)) = letter_at(text, i) else {
            let c = text[i..].chars().next().unwrap_or(' ');
            i += c.len_utf8();
            if !invisible(c) {
                pending = true;
            }
            continue;
        };
        i = end;
        for b in ascii_of(letter).bytes().filter(u8::is_ascii_alphanumeric) {
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
    let mut i = 0;
    while i < text.len() {
        if text.as_bytes()[i] == b'%'
            && let Some((c, end)) = escaped_at(text, i)
        {
            let range = i..end;
            i = end;
            if c.is_alphanumeric() {
                started = true;
                push(ascii_of(c), range, &mut pending_space);
            } else if started && pending_space.is_none() && !invisible(c) {
                pending_space = Some(range);
            }
            continue;
        }
        let Some((letter, end)) = letter_at(text, i) else {
            let c = text[i..].chars().next().unwrap_or(' ');
            let range = i..i + c.len_utf8();
            i = range.end;
            if started && pending_space.is_none() && !invisible(c) {
                pending_space = Some(range);
            }
            continue;
        };
        started = true;
        push(ascii_of(letter), i..end, &mut pending_space);
        i = end;
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
    /// For each pattern, whether it is a name of two words or more, found with an ending
    /// after it too (see `ENDING`).
    inflected: Vec<bool>,
}

/// The most letters a name of two words or more is found with after its last word: the case
/// endings languages add to a name. Azerbaijani and Turkish add them (`Səfərova` ->
/// `Səfərovanın`, `Məmmədov` -> `Məmmədova`); Russian changes the last vowel of a surname
/// (`Сафарова` -> `Сафаровой`), so such a name is also looked for without its last vowel. A
/// one-word name is found only as it is written (its endings would find other words).
const ENDING: usize = 4;

/// The fewest letters a name of two words or more is found with run together.
const JOINED_LETTERS: usize = 8;

/// One place a name was found: the original byte range and the owner of the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub range: Range<usize>,
    pub owner: usize,
}

impl Matcher {
    /// `names` are (spelling, owner) pairs; spellings that fold to nothing are skipped.
    pub fn new<'a>(names: impl IntoIterator<Item = (&'a str, usize)>) -> Matcher {
        let mut patterns: Vec<String> = Vec::new();
        let mut owners = Vec::new();
        let mut inflected = Vec::new();
        for (name, owner) in names {
            let folded = fold(name).text;
            let words = folded.split(' ').count();
            // `safarova` -> `safarov`: the stem a Russian ending replaces the vowel of.
            let stem = folded
                .strip_suffix(['a', 'e', 'i', 'o', 'u', 'y'])
                .filter(|stem| words > 1 && stem.rsplit(' ').next().is_some_and(|w| w.len() >= 4))
                .map(str::to_string);
            // `nargizsafarova`: the words run together, as in a handle or an address
            // (`x.com/NargizSafarova`); only a long one, lest a short name so joined be
            // another word (`Li Na`, `lina`).
            let joined = (words > 1)
                .then(|| folded.replace(' ', ""))
                .filter(|joined| joined.len() >= JOINED_LETTERS);
            // `safarova nargiz`: the surname first, as official Azerbaijani and Russian texts
            // write a name (the last word put first: `Сафарова Наргиз Ильхамовна` too).
            let surname_first = folded
                .rsplit_once(' ')
                .map(|(given, surname)| format!("{surname} {given}"));
            let surname_first_joined = surname_first
                .as_ref()
                .map(|s| s.replace(' ', ""))
                .filter(|joined| joined.len() >= JOINED_LETTERS);
            let forms = std::iter::once((folded, words > 1))
                .chain(stem.map(|stem| (stem, true)))
                .chain(joined.map(|joined| (joined, false)))
                .chain(surname_first.map(|s| (s, true)))
                .chain(surname_first_joined.map(|joined| (joined, false)));
            for (pattern, with_ending) in forms {
                if pattern.is_empty() || patterns.contains(&pattern) {
                    continue;
                }
                patterns.push(pattern);
                owners.push(owner);
                inflected.push(with_ending);
            }
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            // Patterns are a few hundred names at most; building cannot fail for them.
            AhoCorasick::new(&patterns).ok()
        };
        Matcher {
            automaton,
            owners,
            inflected,
        }
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
            .filter_map(|m| {
                let end = self.word_end(bytes, &m)?;
                Some((m.start()..end, self.owners[m.pattern().as_usize()]))
            })
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
        automaton
            .find_overlapping_iter(folded)
            .any(|m| self.word_end(bytes, &m).is_some())
    }

    /// Where a match in folded text ends as whole words: at a word's end, or (a name of
    /// two words or more) after an ending of at most `ENDING` letters. `None` when it starts
    /// or ends inside a longer word.
    fn word_end(&self, bytes: &[u8], m: &aho_corasick::Match) -> Option<usize> {
        if m.start() > 0 && bytes[m.start() - 1] != b' ' {
            return None;
        }
        let ending = if self.inflected[m.pattern().as_usize()] {
            ENDING
        } else {
            0
        };
        let letters = bytes[m.end()..]
            .iter()
            .take(ending + 1)
            .take_while(|&&b| b != b' ')
            .count();
        (letters <= ending).then_some(m.end() + letters)
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
    fn decomposed_accents_and_invisible_characters_do_not_hide_a_name() {
        let names = ["Rəşad Məmmədov", "Nargiz Safarova"];
        // The same letters, their accents written apart (NFD), and split by a soft hyphen
        // or a zero-width space.
        for text in [
            "R\u{259}s\u{327}ad M\u{259}mm\u{259}dov spoke.",
            "Nar\u{AD}giz Safa\u{200B}rova spoke.",
        ] {
            let found = matches(&names, text);
            assert_eq!(found.len(), 1, "{text}");
            assert!(text.starts_with(&found[0]), "{found:?}");
            assert_eq!(fold_plain(text), fold(text).text, "{text}");
        }
        // Cyrillic `й` written as `и` and a breve folds as `й` does.
        assert_eq!(fold("Сергеи\u{306}").text, fold("Сергей").text);
        assert_eq!(fold_plain("Сергеи\u{306}"), fold("Сергей").text);
    }

    #[test]
    fn a_name_of_two_words_is_found_with_a_case_ending() {
        let names = [
            "Nərgiz Səfərova",
            "Наргиз Сафарова",
            "Rəşad Məmmədov",
            "Ali",
        ];
        assert_eq!(
            matches(
                &names,
                "Nərgiz Səfərovanın çıxışı; Rəşad Məmmədova söz verildi."
            ),
            ["Nərgiz Səfərovanın", "Rəşad Məmmədova"]
        );
        assert_eq!(
            matches(&names, "Форум с Наргиз Сафаровой."),
            ["Наргиз Сафаровой"]
        );
        // Not a longer word, and a one-word name only as it is.
        assert!(matches(&names, "Rəşad Məmmədovskiyev, Alibek, Alimov").is_empty());
        assert_eq!(matches(&names, "Ali said"), ["Ali"]);
    }

    /// Official texts put the surname first: `Safarova Nargiz`, `Сафарова Наргиз`, with
    /// a case ending after it too; a patronymic's name has its surname put first as well.
    #[test]
    fn a_name_written_surname_first_is_found() {
        let names = [
            "Nargiz Safarova",
            "Наргиз Сафарова",
            "Leyla Ilham qizi Mammadova",
        ];
        for (text, found) in [
            ("Later Safarova Nargiz answered.", "Safarova Nargiz"),
            ("Выступила Сафарова Наргиз.", "Сафарова Наргиз"),
            ("Safarova Nargizin sözləri", "Safarova Nargizin"),
            ("see x.com/SafarovaNargiz", "SafarovaNargiz"),
            (
                "Mammadova Leyla Ilham qizi spoke",
                "Mammadova Leyla Ilham qizi",
            ),
        ] {
            assert_eq!(matches(&names, text), [found], "{text}");
        }
        assert!(matches(&names, "Nargiz met Safarova's colleague").is_empty());
    }

    #[test]
    fn a_name_in_an_address_is_found_percent_encoded_or_run_together() {
        let names = ["Nərgiz Səfərova", "Nargiz Safarova", "Li Na"];
        for text in [
            "https://ex.org/N%C9%99rgiz-S%C9%99f%C9%99rova",
            "https://ex.org/nargiz%20safarova?x=1",
            "https://ex.org/n%61rgiz_safarova",
            "https://x.com/NargizSafarova",
            "@nargizsafarova said",
            "#N%C9%99rgizS%C9%99f%C9%99rova",
        ] {
            let found = matches(&names, text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert_eq!(fold_plain(text), fold(text).text, "{text}");
            let m = Matcher::new(names.iter().map(|n| (*n, 0)));
            assert!(m.contains(text), "{text}");
        }
        assert_eq!(
            matches(
                &names,
                "see https://ex.org/N%C9%99rgiz-S%C9%99f%C9%99rova/ now"
            ),
            ["N%C9%99rgiz-S%C9%99f%C9%99rova"]
        );
        // A short name run together is another word; a `%` that encodes nothing is a sign.
        assert!(matches(&names, "Lina and 100% of Nargiz%ZZSafarova").is_empty());
        for text in [
            "100%",
            "50%ab",
            "%C9",
            "%C9%",
            "%E2%82",
            "a%F0%9F%98%80b",
            "%%41",
        ] {
            assert_eq!(fold_plain(text), fold(text).text, "{text}");
        }
        assert_eq!(fold("a%F0%9F%98%80b").text, "a b");
        assert_eq!(fold("%C9%99").text, "e");
    }

    #[test]
    fn longest_match_wins_where_names_overlap() {
        let names = ["Ali Aliyev", "Ali Aliyev Jr"];
        assert_eq!(matches(&names, "by Ali Aliyev Jr."), ["Ali Aliyev Jr"]);
        assert_eq!(matches(&names, "Ali Ali Aliyev"), ["Ali Aliyev"]);
    }
}
