//! Slugs: the ASCII, lower-case, hyphenated names that speakers, organizations, topics and
//! series get in URLs, and the keys under which their spellings are matched.
//!
//! Generic transliteration crates turn Azerbaijani `ə` into `@`; `any_ascii` maps it to `e`,
//! and we transliterate *before* lower-casing so that Turkic dotted/dotless I never meets
//! Rust's non-Turkic `to_lowercase`.

/// `Aygün Əliyeva` -> `aygun-eliyeva`, `Xankəndi` -> `xankendi`, `Ağdərə` -> `agdere`,
/// `Айгюн Алиева` -> `aygyun-alieva`. Returns an empty string when nothing sluggable is left.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    let mut push = |b: u8, out: &mut String| {
        if b.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(b.to_ascii_lowercase() as char);
        } else if b != b'\'' {
            pending_dash = true;
        }
    };
    // Most names are plain ASCII: byte by byte, no table to look in (a model of 100,000
    // reports makes a million slugs).
    if text.is_ascii() {
        for &b in text.as_bytes() {
            // The apostrophe in "Martyrs'" or "O'Brien" joins, it does not separate.
            if b != b'`' {
                push(b, &mut out);
            }
        }
        return out;
    }
    for c in text.chars() {
        // The apostrophe in "Martyrs'" or "O'Brien" joins, it does not separate.
        if matches!(c, '\'' | '’' | 'ʼ' | '`') {
            continue;
        }
        if c.is_ascii() {
            push(c as u8, &mut out);
            continue;
        }
        for b in transliterate(c).bytes() {
            push(b, &mut out);
        }
    }
    out
}

/// `slug` cut at a hyphen to at most `max` bytes (at `max` when it has no hyphen before),
/// for file names made from titles (`podium new`, `podium import`). Slugs are ASCII, so any
/// byte is a character boundary.
pub fn cut(slug: &str, max: usize) -> &str {
    if slug.len() <= max {
        return slug;
    }
    let head = &slug[..max];
    head[..head.rfind('-').filter(|&i| i > 0).unwrap_or(max)].trim_end_matches('-')
}

/// A slug that fits in one path segment of the output (`MAX_SEGMENT_BYTES`). Names longer
/// than that (a file named after a long Russian title transliterates to more bytes than it
/// had; a block scalar that swallowed a list) would otherwise stop the build with "file name
/// too long". The long slug is cut at a hyphen and given a hash of all of it, so that two
/// long names that begin alike still get two addresses, and the same name the same one on
/// every build.
///
/// A name Windows reserves in every folder (`con`, `nul`, `com1`, ...: a topic `NUL`, an
/// organization `AUX`) gets the same ending, so that the output still copies to the
/// machines editors preview on.
pub fn fit(slug: String) -> String {
    let reserved = WINDOWS_RESERVED.contains(&slug.as_str());
    if slug.len() <= MAX_SEGMENT_BYTES && !reserved {
        return slug;
    }
    let hash = xxhash_rust::xxh3::xxh3_64(slug.as_bytes());
    // 1 hyphen and 8 hex digits.
    format!("{}-{:08x}", cut(&slug, MAX_SEGMENT_BYTES - 9), hash as u32)
}

/// The ASCII spelling of a non-ASCII letter.
fn transliterate(c: char) -> &'static str {
    match c {
        // any_ascii renders these well already; listed for the letters where a generic
        // table disagrees with how Azerbaijani and Turkish names are usually spelled.
        'ə' | 'Ə' => "e",
        'ı' | 'İ' => "i",
        'ğ' | 'Ğ' => "g",
        'ş' | 'Ş' => "s",
        'ç' | 'Ç' => "c",
        'ö' | 'Ö' => "o",
        'ü' | 'Ü' => "u",
        c => any_ascii::any_ascii_char(c),
    }
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn azerbaijani_and_turkish_letters() {
        assert_eq!(slugify("Xankəndi"), "xankendi");
        assert_eq!(slugify("Ağdərə"), "agdere");
        assert_eq!(slugify("Şuşa"), "susa");
        assert_eq!(slugify("Aygün Əliyeva"), "aygun-eliyeva");
        assert_eq!(slugify("İstanbul Işık"), "istanbul-isik");
        assert_eq!(slugify("Sumqayıt"), "sumqayit");
    }

    #[test]
    fn cyrillic_is_transliterated() {
        let s = slugify("Айгюн Алиева");
        assert!(s.is_ascii() && s.starts_with("a") && s.contains('-'), "{s}");
        assert_eq!(slugify("Баку"), "baku");
    }

    #[test]
    fn punctuation_collapses_to_single_hyphens() {
        assert_eq!(
            slugify("  State Support Agency for NGOs!! "),
            "state-support-agency-for-ngos"
        );
        assert_eq!(
            slugify("Martyrs’ Families \"Zefer\""),
            "martyrs-families-zefer"
        );
        assert_eq!(slugify("bp"), "bp");
        assert_eq!(slugify("O'Brien `Jr`"), "obrien-jr");
        assert_eq!(slugify("O’Brien"), "obrien");
        assert_eq!(slugify("--- ..."), "");
    }

    #[test]
    fn long_slugs_are_cut_at_a_hyphen_and_kept_apart_by_a_hash() {
        use super::{MAX_SEGMENT_BYTES, cut, fit};
        assert_eq!(fit("short-name".into()), "short-name");
        let exact = "a".repeat(MAX_SEGMENT_BYTES);
        assert_eq!(fit(exact.clone()), exact);
        let words = |last: &str| format!("{}{last}", "word-".repeat(60));
        let (one, two) = (fit(words("one")), fit(words("two")));
        for s in [&one, &two] {
            assert!(s.len() <= MAX_SEGMENT_BYTES, "{} bytes", s.len());
            assert!(s.starts_with("word-word-"), "{s}");
            assert!(!s.contains("--"), "{s}");
        }
        assert_ne!(
            one, two,
            "two long names that begin alike get two addresses"
        );
        assert_eq!(one, fit(words("one")), "the same name, the same address");
        let unbroken = fit("x".repeat(5000));
        assert_eq!(unbroken.len(), MAX_SEGMENT_BYTES);
        assert_eq!(cut("alpha-beta-gamma", 12), "alpha-beta");
        assert_eq!(cut("alphabetagamma", 5), "alpha");
        assert_eq!(cut("alpha", 80), "alpha");
        let nul = fit("nul".into());
        assert!(nul.starts_with("nul-") && nul.len() == 12, "{nul}");
        assert!(super::check_segment(&nul).is_ok());
        assert_eq!(fit("console".into()), "console");
    }

    #[test]
    fn never_produces_at_signs_or_uppercase() {
        for s in ["ə", "Ə", "Öz", "ÇİN", "ğı"] {
            let slug = slugify(s);
            assert!(
                slug.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{s} -> {slug}"
            );
        }
    }
}

/// Names Windows reserves in every folder, whatever the extension: output must stay portable
/// to the machines editors preview on.
const WINDOWS_RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// The longest path segment we write; file systems stop at 255 bytes.
pub const MAX_SEGMENT_BYTES: usize = 200;

/// Check one URL path segment that an editor chose (`slug:`, a segment of `aliases:`).
/// Returns what is wrong, in words an editor can act on.
pub fn check_segment(segment: &str) -> Result<(), String> {
    if segment.is_empty() {
        return Err("it is empty".into());
    }
    if segment == "." || segment == ".." {
        return Err("`.` and `..` would leave the output folder".into());
    }
    if segment.len() > MAX_SEGMENT_BYTES {
        return Err(format!(
            "it is {} bytes long; the limit is {MAX_SEGMENT_BYTES}",
            segment.len()
        ));
    }
    if let Some(c) = segment
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')))
    {
        return Err(format!(
            "it contains {c:?}; use letters, digits, `-`, `_` and `.` only"
        ));
    }
    if segment.ends_with('.') || segment.starts_with('.') {
        return Err("it starts or ends with a dot".into());
    }
    let stem = segment
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if WINDOWS_RESERVED.contains(&stem.as_str()) {
        return Err(format!("`{stem}` is a reserved file name on Windows"));
    }
    Ok(())
}

/// Check a `slug:` an editor chose: a segment, in lower case like every slug Podium makes.
pub fn check_slug(slug: &str) -> Result<(), String> {
    check_segment(slug)?;
    if slug.chars().any(|c| c.is_ascii_uppercase()) {
        return Err("use lower-case letters".into());
    }
    Ok(())
}

/// Check an old URL kept as a redirect (`aliases: [/old/url/]`) and return it normalised,
/// without leading slash (`old/url/`). Percent-escapes and backslashes are refused outright:
/// they are how traversals sneak past checks.
pub fn check_url_path(path: &str) -> Result<String, String> {
    let trimmed = path.trim();
    if trimmed.contains('\\') || trimmed.contains('%') {
        return Err("backslashes and `%` escapes are not allowed".into());
    }
    if trimmed.contains("://") {
        return Err("give a path on this site (`/old/page/`), not a full URL".into());
    }
    let inner = trimmed.trim_start_matches('/');
    if inner.is_empty() {
        return Err("the site root cannot be an alias".into());
    }
    let (body, trailing) = match inner.strip_suffix('/') {
        Some(b) => (b, "/"),
        None => (inner, ""),
    };
    for segment in body.split('/') {
        check_segment(segment).map_err(|why| format!("segment `{segment}`: {why}"))?;
    }
    Ok(format!("{body}{trailing}"))
}

#[cfg(test)]
mod path_tests {
    use super::*;

    #[test]
    fn hostile_segments_are_refused() {
        for s in [
            "",
            ".",
            "..",
            "../x",
            "a/b",
            "..\\x",
            "C:",
            "con",
            "NUL.html",
            "aux",
            "x.",
            "a\0b",
            "é",
            &"a".repeat(256),
        ] {
            assert!(check_segment(s).is_err(), "{s:?}");
        }
        assert!(check_segment("khankendi-ngo-forum").is_ok());
        assert!(check_segment("report_2025.v2").is_ok());
        assert!(check_slug("Khankendi").is_err());
        assert!(check_slug("khankendi-2025").is_ok());
    }

    #[test]
    fn hostile_url_paths_are_refused() {
        for p in [
            "../../x",
            "/etc/../x",
            "a/../../b",
            "..\\..\\x",
            "C:\\x",
            "%2e%2e/x",
            ".",
            "..",
            "",
            "/",
            "a//b",
            "https://evil.example/",
        ] {
            assert!(check_url_path(p).is_err(), "{p:?}");
        }
        assert_eq!(check_url_path("/old/url/").unwrap(), "old/url/");
        assert_eq!(check_url_path("old/page.html").unwrap(), "old/page.html");
    }
}
