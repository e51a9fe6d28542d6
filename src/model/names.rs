//! Names as people really type them: cleaned for display and matching, and checked for the
//! commonest slip of a spreadsheet or a conference tool, two people in one name field.
//!
//! Real archives carry trailing and doubled spaces, non-breaking spaces pasted from word
//! processors and zero-width characters pasted from web pages. Left alone they make two pages
//! for one person (`Tobias Zillner` and `Tobias Zillner `) or a name that looks right and never
//! matches. Both the loader's model and `podium import` go through [`clean`], so a name is
//! shown and matched the same way wherever it came from.

/// Characters that take no room and carry no meaning in a name: zero-width space, word
/// joiner, byte-order mark, soft hyphen and the direction marks. The zero-width (non-)joiners
/// are kept: inside Persian or Indic words they change how letters join, so they are part of
/// the spelling.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{200E}' | '\u{200F}'
    )
}

/// `"  Aygun\u{A0}\u{A0}Aliyeva\u{200B} "` -> `"Aygun Aliyeva"`: invisible characters dropped,
/// every run of white space (non-breaking spaces, tabs, line breaks included) made one space,
/// and none at either end.
pub fn clean(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_space = false;
    for c in name.chars() {
        if invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out
}

/// The people a name field plainly holds when it holds more than one: `Kirsten Fiedler +
/// Diego Naranjo`, `A & B`, `Ana Lima and Rui Costa`, `Ana Lima; Rui Costa`. `None` for one
/// person.
///
/// Deliberately narrow, because a false alarm on a real name is worse than a missed pair:
/// `/` is not a separator (`Martin Haase/maha` is one person with a nickname), and `and` only
/// counts between two capitalised names of two words or more each, so `Ben and Jerry` style
/// names of organizations or duos are left alone.
pub fn two_people(name: &str) -> Option<Vec<String>> {
    let name = clean(name);
    for separator in [" + ", " & ", "; "] {
        if name.contains(separator) {
            let parts: Vec<String> = name.split(separator).map(clean).collect();
            // Each part must be a usable name on its own (`ع` alone gives no address).
            if parts.len() > 1 && parts.iter().all(|p| !super::slug::slugify(p).is_empty()) {
                return Some(parts);
            }
        }
    }
    for separator in [" and ", " und ", " et ", " y ", " и "] {
        if let Some((a, b)) = name.split_once(separator) {
            let looks_like_a_person = |p: &str| {
                let words: Vec<&str> = p.split(' ').collect();
                words.len() >= 2
                    && words
                        .iter()
                        .all(|w| w.chars().next().is_some_and(char::is_uppercase))
            };
            if looks_like_a_person(a) && looks_like_a_person(b) {
                return Some(vec![clean(a), clean(b)]);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_and_invisible_characters_are_cleaned() {
        assert_eq!(clean("Tobias Zillner "), "Tobias Zillner");
        assert_eq!(clean("\u{A0}Aygun\u{A0}\u{A0}Aliyeva"), "Aygun Aliyeva");
        assert_eq!(clean("Ay\u{200B}gun  Ali\u{FEFF}yeva\t"), "Aygun Aliyeva");
        assert_eq!(clean("  "), "");
        // A zero-width non-joiner is part of a Persian spelling.
        assert_eq!(clean("می\u{200C}خواهم"), "می\u{200C}خواهم");
    }

    #[test]
    fn two_people_in_one_field_are_found() {
        assert_eq!(
            two_people("Kirsten Fiedler + Diego Naranjo"),
            Some(vec!["Kirsten Fiedler".into(), "Diego Naranjo".into()])
        );
        assert_eq!(
            two_people("Ana Lima and Rui Costa"),
            Some(vec!["Ana Lima".into(), "Rui Costa".into()])
        );
        assert_eq!(two_people("A & B"), Some(vec!["A".into(), "B".into()]));
    }

    #[test]
    fn one_person_is_left_alone() {
        for name in [
            "Martin Haase/maha",
            "Ben and Jerry",
            "Paul Gardner-Stephen",
            "3d-Flo",
            "@pkoerner81929",
            "Friends of the Earth and Nature",
            "Tanja Lange",
        ] {
            assert_eq!(two_people(name), None, "{name}");
        }
    }
}
