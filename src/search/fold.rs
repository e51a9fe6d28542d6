//! The matching rules: how a word is cut out of text and folded into the key that every
//! spelling of it shares. `Əliyeva`, `Aliyeva` and `Алиева` all fold to `aliava`; `Şuşa`,
//! `Shusha` and `Шуша` to `susa`; `Hacıyev`, `Hajiyev` and `Гаджиев` to `gajiav`.
//!
//! The browser runs the same rules (`themes/default/static/search-fold.js`); both are
//! checked against the vectors in `tests/search/fold-vectors.json`, so they cannot drift.
//! The steps, in order (docs/search.md explains each):
//! 1. Turkic-aware case: `İ`, `I` and `ı` become `i` (so `ISMAYILOV`, `İsmayılov` and
//!    `Ismayilov` meet); `й` becomes `y` before its breve could be dropped; then lower case.
//! 2. Diacritics go (canonical decomposition, combining marks dropped): `ş`->`s`,
//!    `ç`->`c`, `ğ`->`g`, `ö`->`o`, `ü`->`u`, `é`->`e`.
//! 3. Cyrillic (Russian and Azerbaijani) becomes Latin letters of the same classes.
//! 4. Romanisations meet: `dzh`, `dj`, `zh`, `ch` -> `j`; `kh` -> `x`; `gh` -> `g`; `sh` -> `s`.
//! 5. Letter classes: `ə`, `ä`, `e` -> `a`; `c` -> `j`; `x`, `h`, `q` -> `g`; `w` -> `v`;
//!    `y` is dropped (`Aliyev`~`Алиев`, `Hüseynov`~`Гусейнов`).
//! 6. A letter repeated is one letter (`Məmmədov`~`Mamedov`).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Whether a character belongs to a word (letters, digits and the marks on them).
fn word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The words of a text, as written.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !word_char(c))
        .filter(|w| !w.is_empty())
}

/// Step 1 alone: the word in lower case, Turkic-aware. Two words that are equal here are an
/// exact match (the best kind).
pub fn plain(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'İ' | 'I' | 'ı' => 'i',
            'Й' | 'й' => 'y',
            c => c,
        })
        .collect::<String>()
        .to_lowercase()
}

/// Cyrillic letters (after decomposition, so `й` and `ё` arrive as `и`/`е` + mark) as Latin
/// letters of the same classes.
fn cyrillic(c: char) -> Option<&'static str> {
    Some(match c {
        'а' | 'ә' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ғ' | 'ҝ' | 'һ' => "g",
        'д' => "d",
        'е' | 'э' | 'є' => "e",
        'ж' | 'ҹ' | 'ч' => "j",
        'з' => "z",
        'и' | 'і' | 'ы' => "i",
        'ј' => "y",
        'к' | 'қ' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' | 'ө' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ү' => "u",
        'ф' => "f",
        'х' => "x",
        'ц' => "ts",
        'ш' | 'щ' => "s",
        'ю' => "yu",
        'я' => "ya",
        'ь' | 'ъ' => "",
        _ => return None,
    })
}

/// Spellings of one sound written with two or three Latin letters, longest first.
const DIGRAPHS: [(&str, &str); 7] = [
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("ch", "j"),
    ("kh", "x"),
    ("gh", "g"),
    ("sh", "s"),
];

/// The key every spelling of a word shares (steps 1 to 6). May be empty (`y`).
pub fn fold(word: &str) -> String {
    let mut latin = String::with_capacity(word.len());
    for c in plain(word).nfd().filter(|&c| !is_combining_mark(c)) {
        match cyrillic(c) {
            Some(s) => latin.push_str(s),
            None => latin.push(c),
        }
    }
    let mut out = String::with_capacity(latin.len());
    let mut rest = latin.as_str();
    let mut last = None;
    while let Some(c) = rest.chars().next() {
        let (class, len) = match DIGRAPHS.iter().find(|(from, _)| rest.starts_with(from)) {
            Some((from, to)) => (letter_class(to.chars().next().unwrap_or(c)), from.len()),
            None => (letter_class(c), c.len_utf8()),
        };
        rest = &rest[len..];
        if let Some(class) = class
            && last != Some(class)
        {
            out.push(class);
            last = Some(class);
        }
    }
    out
}

/// Step 5 for one letter: its class, or `None` for a letter that is dropped.
fn letter_class(c: char) -> Option<char> {
    Some(match c {
        'ə' | 'ä' | 'e' | 'a' => 'a',
        'c' | 'j' => 'j',
        'x' | 'h' | 'q' | 'g' => 'g',
        'w' => 'v',
        'y' => return None,
        c => c,
    })
}

/// Whether `a` and `b` are one edit apart at most (a letter added, dropped, changed, or two
/// neighbours swapped): the typo allowed in words of five letters or more.
pub fn one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let start = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if start == a.len() && start == b.len() {
        return true;
    }
    let (ra, rb) = (&a[start..], &b[start..]);
    let swapped = ra.len() == rb.len()
        && ra.len() >= 2
        && ra[0] == rb[1]
        && ra[1] == rb[0]
        && ra[2..] == rb[2..];
    swapped || ra.get(1..) == rb.get(1..) || ra.get(1..) == Some(rb) || Some(ra) == rb.get(1..)
}

/// The letters a word has, counted as the reader typed them: the typo rule's length.
pub fn letter_count(word: &str) -> usize {
    word.chars().filter(|&c| !is_combining_mark(c)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Vectors {
        fold: Vec<(String, String)>,
        plain: Vec<(String, String)>,
        words: Vec<(String, Vec<String>)>,
        one_edit: Vec<(String, String, bool)>,
    }

    /// The vectors the browser's copy of the rules is checked against too.
    #[test]
    fn folding_meets_the_shared_vectors() {
        let v: Vectors =
            serde_json::from_str(include_str!("../../tests/search/fold-vectors.json")).unwrap();
        for (word, key) in v.fold {
            assert_eq!(fold(&word), key, "fold({word:?})");
        }
        for (word, key) in v.plain {
            assert_eq!(plain(&word), key, "plain({word:?})");
        }
        for (text, expected) in v.words {
            assert_eq!(
                words(&text).collect::<Vec<_>>(),
                expected,
                "words({text:?})"
            );
        }
        for (a, b, near) in v.one_edit {
            assert_eq!(one_edit(&a, &b), near, "one_edit({a:?}, {b:?})");
        }
    }
}
