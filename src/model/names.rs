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
    clean_into(name, &mut out);
    out
}

/// `clean(name)`, appended to `out`.
pub fn clean_into(name: &str, out: &mut String) {
    // Most names are tidy ASCII already: visible characters and single spaces between
    // words. Those are copied whole (a model of 100,000 reports cleans a million names).
    let bytes = name.as_bytes();
    let tidy = bytes.first().is_some_and(|&b| b != b' ')
        && bytes.last().is_some_and(|&b| b != b' ')
        && bytes.iter().all(|&b| b.is_ascii_graphic() || b == b' ')
        && !bytes.windows(2).any(|w| w == b"  ");
    if tidy {
        out.push_str(name);
        return;
    }
    let start = out.len();
    let mut pending_space = false;
    for c in name.chars() {
        if invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && out.len() > start {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
}

/// The people a name field plainly holds when it holds more than one: `Kirsten Fiedler +
/// Diego Naranjo`, `A & B`, `Ana Lima and Rui Costa`, `Ana Lima; Rui Costa`, `Stefan, Yannik
/// & Rike`, `Dr. Sebastian Tramp, Andreas Heinecke`. `None` for one person.
///
/// Deliberately narrow, because a false alarm on a real name is worse than a missed pair:
/// `/` is not a separator (`Martin Haase/maha` is one person with a nickname); `and` and a
/// comma alone only count between capitalised names of two words or more each, so `Ben and
/// Jerry` style names of duos and `Doe, Jane` or `Ana Lima, Director` are left alone; and a
/// list before `&` is split at its commas only when the name after `&` has none (in `Doe,
/// Jane & Roe, Rui` the commas put surnames first).
pub fn two_people(name: &str) -> Option<Vec<String>> {
    if !may_hold_two(name) {
        return None;
    }
    // Each part is looked at again (`Ana Lima and Rui Costa, Eka Lomidze`), so that no name
    // an import writes is one `check` would warn about.
    let parts = split_once_into_people(name)?;
    Some(
        parts
            .into_iter()
            .flat_map(|p| two_people(&p).unwrap_or_else(|| vec![p]))
            .collect(),
    )
}

/// Whether `name` has anything `split_once_into_people` splits at: a separator character,
/// or a joining word standing alone (invisible characters could hide one). Almost no name
/// has, and every mention of every speaker is checked: those are passed over without being
/// cleaned and searched eight times.
fn may_hold_two(name: &str) -> bool {
    name.contains(['+', '&', ';', ','])
        || name.contains(" - ")
        || name.contains(" – ")
        || (!name.is_ascii() && name.chars().any(invisible))
        || name
            .split_whitespace()
            .any(|w| matches!(w, "and" | "und" | "et" | "y" | "и" | "və" | "ve" | "та"))
}

fn split_once_into_people(name: &str) -> Option<Vec<String>> {
    let name = clean(name);
    let usable = |p: &String| !super::slug::slugify(p).is_empty();
    let looks_like_a_person = |p: &str| {
        let words: Vec<&str> = p.split(' ').collect();
        words.len() >= 2
            && words
                .iter()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase))
    };
    for separator in [" + ", " & ", "; "] {
        if name.contains(separator) {
            let mut parts: Vec<String> = name.split(separator).map(clean).collect();
            if separator != "; " && parts.last().is_some_and(|last| !last.contains(',')) {
                parts = parts
                    .iter()
                    .flat_map(|p| p.split(", ").map(clean))
                    .collect();
            }
            // Each part must be a usable name on its own (`ع` alone gives no address).
            if parts.len() > 1 && parts.iter().all(usable) {
                return Some(parts);
            }
        }
    }
    // ` - ` too: a list item indented under a name (`speakers: Ann Lee` over `  - Bo Ray`)
    // reads in YAML as one name, `Ann Lee - Bo Ray`.
    // `və` and `ve` as Azerbaijani and Turkish join two names, `та` as Ukrainian does.
    for separator in [
        " and ", " und ", " et ", " y ", " и ", " və ", " ve ", " та ", " - ", " – ",
    ] {
        if let Some((a, b)) = name.split_once(separator)
            && looks_like_a_person(a)
            && looks_like_a_person(b)
        {
            return Some(vec![clean(a), clean(b)]);
        }
    }
    let parts: Vec<&str> = name.split(", ").collect();
    if parts.len() > 1 && parts.iter().all(|p| looks_like_a_person(p)) {
        return Some(parts.into_iter().map(clean).collect());
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
        assert_eq!(clean(""), "");
        // Tidy ASCII is copied whole; anything else goes character by character.
        assert_eq!(clean("Ana Lima"), "Ana Lima");
        assert_eq!(clean("Ana  Lima"), "Ana Lima");
        assert_eq!(clean(" Ana Lima"), "Ana Lima");
        assert_eq!(clean("Ana\tLima\n"), "Ana Lima");
        assert_eq!(clean("Ana\rLima"), "Ana Lima");
        let mut out = String::from("kept ");
        clean_into(" Rui  Costa ", &mut out);
        assert_eq!(out, "kept Rui Costa");
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
        assert_eq!(
            two_people("Əli Həsənov və Leyla Məmmədova"),
            Some(vec!["Əli Həsənov".into(), "Leyla Məmmədova".into()])
        );
        assert_eq!(
            two_people("Ayşe Kaya ve Mehmet Demir"),
            Some(vec!["Ayşe Kaya".into(), "Mehmet Demir".into()])
        );
        // Not a name with the word inside it, nor a joined name of one word each side.
        assert_eq!(two_people("Əli və Leyla"), None);
        assert_eq!(
            two_people("Stefan, Yannik & Rike"),
            Some(vec!["Stefan".into(), "Yannik".into(), "Rike".into()])
        );
        assert_eq!(
            two_people("Ana Lima and Rui Costa, Eka Lomidze"),
            Some(vec![
                "Ana Lima".into(),
                "Rui Costa".into(),
                "Eka Lomidze".into()
            ])
        );
        assert_eq!(
            two_people("Dr. Sebastian Tramp, Andreas Heinecke"),
            Some(vec![
                "Dr. Sebastian Tramp".into(),
                "Andreas Heinecke".into()
            ])
        );
        // Found through the white space and invisible characters `clean` tidies.
        let pair = Some(vec!["Ana Lima".into(), "Rui Costa".into()]);
        assert_eq!(two_people("Ana Lima\tand\u{A0}Rui Costa"), pair);
        assert_eq!(two_people("Ana Lima an\u{200B}d Rui Costa"), pair);
        assert_eq!(
            two_people("Ана Лима и Руи Коста"),
            Some(vec!["Ана Лима".into(), "Руи Коста".into()])
        );
        // A list item YAML read into the name above it.
        assert_eq!(
            two_people("Aygun Aliyeva - Tural Aliyev"),
            Some(vec!["Aygun Aliyeva".into(), "Tural Aliyev".into()])
        );
        assert_eq!(two_people("Ana Lima - Director"), None);
        assert_eq!(two_people("Jean-Pierre Dupont"), None);
        // One person, however spelled.
        assert_eq!(two_people("Aygün Əliyeva"), None);
        assert_eq!(two_people("Andreas Anderson"), None);
    }

    #[test]
    fn commas_that_belong_to_one_name_are_left_alone() {
        assert_eq!(two_people("Doe, Jane"), None);
        assert_eq!(two_people("Ana Lima, Director"), None);
        assert_eq!(two_people("Tural Aliyev, MP"), None);
        assert_eq!(two_people("Ursula von der Leyen, Charles Michel"), None);
        assert_eq!(
            two_people("Doe, Jane & Roe, Rui"),
            Some(vec!["Doe, Jane".into(), "Roe, Rui".into()])
        );
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
