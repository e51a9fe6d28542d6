//! Which URLs Podium lets into a page, wherever they come from (Markdown or front matter).
//!
//! Browsers strip ASCII whitespace and control characters inside a scheme and decode HTML
//! entities before reading it, so `java\tscript:`, ` javascript:` and `&#106;avascript:` all
//! run script. We normalise the same way before looking at the scheme, and allow only
//! schemes that cannot run code. Everything without a scheme is a relative link.

/// Schemes a link may use. `data:` is refused everywhere (it can carry HTML).
const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// What a URL turns out to be once normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlKind {
    /// `http(s):`, `mailto:`, `tel:`.
    External,
    /// No scheme: a path, `#fragment`, `?query` or protocol-relative `//host`.
    Relative,
    /// Anything else (`javascript:`, `data:`, `vbscript:`, ...): never emitted.
    Unsafe,
}

pub fn classify(url: &str) -> UrlKind {
    // Remove what a browser would ignore when it reads the scheme.
    let decoded = decode_entities(url);
    let cleaned: String = decoded
        .chars()
        .filter(|c| {
            !c.is_ascii_whitespace() && !c.is_control() && *c != '\u{a0}' && *c != '\u{feff}'
        })
        .collect();
    let Some(colon) = cleaned.find(':') else {
        return UrlKind::Relative;
    };
    let before = &cleaned[..colon];
    // A colon after the first `/`, `?` or `#` belongs to the path, not to a scheme.
    if before.contains(['/', '?', '#']) {
        return UrlKind::Relative;
    }
    let scheme = before.to_ascii_lowercase();
    if ALLOWED_SCHEMES.contains(&scheme.as_str()) {
        UrlKind::External
    } else {
        UrlKind::Unsafe
    }
}

/// `forums/2025` + `../img/a.png` -> `forums/img/a.png`: a relative URL's path resolved
/// against a folder of the site (both `/`-separated, inside `content/`); `None` when it
/// climbs out. The URL's escapes are decoded first (`hall%201.jpg` names `hall 1.jpg`).
pub fn join(base_dir: &str, relative: &str) -> Option<String> {
    let relative = percent_encoding::percent_decode_str(relative)
        .decode_utf8()
        .unwrap_or(relative.into());
    let mut parts: Vec<&str> = base_dir.split('/').filter(|p| !p.is_empty()).collect();
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Decode the numeric and the few named entities that can hide a scheme (`&#106;`,
/// `&#x6A;`, `&colon;`, `&Tab;`, `&NewLine;`), as a browser does in an attribute.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e < 12);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse::<u32>().ok().and_then(char::from_u32)
            } else {
                match name {
                    "colon" => Some(':'),
                    "Tab" => Some('\t'),
                    "NewLine" => Some('\n'),
                    "amp" => Some('&'),
                    _ => None,
                }
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_schemes_in_every_disguise_are_unsafe() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "  javascript:alert(1)",
            "\tjavascript:alert(1)",
            "\u{a0}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "javascript&colon;alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;avascript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:msgbox(1)",
        ] {
            assert_eq!(classify(url), UrlKind::Unsafe, "{url:?}");
        }
    }

    #[test]
    fn ordinary_links_pass() {
        assert_eq!(classify("https://example.org/a"), UrlKind::External);
        assert_eq!(classify("mailto:press@example.org"), UrlKind::External);
        assert_eq!(classify("/forums/"), UrlKind::Relative);
        assert_eq!(classify("photo.jpg"), UrlKind::Relative);
        assert_eq!(classify("#agenda"), UrlKind::Relative);
        assert_eq!(classify("a/b:c"), UrlKind::Relative);
        assert_eq!(classify("@/forums/2025/x.md"), UrlKind::Relative);
    }
}
