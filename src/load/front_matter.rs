//! Splitting a report into its YAML front matter and its Markdown body.
//!
//! We split ourselves rather than use pulldown-cmark's metadata blocks: those also swallow
//! `---` pairs in the middle of a document and fail on a byte-order mark. The caller hands us
//! text that is already valid UTF-8, with any BOM removed and CRLF folded to LF, so the
//! delimiters are simply lines that read `---` (trailing spaces and tabs allowed).

/// A source file cut at its front-matter delimiters. Line numbers are 1-based and count from
/// the start of the file, so positions inside `yaml` map back to the file by adding
/// `yaml_line - 1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    pub yaml_line: usize,
    pub body: &'a str,
    pub body_line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The first line is not `---`.
    Missing,
    /// `---` opens the front matter on line 1 and no closing `---` follows.
    Unterminated,
}

fn is_delimiter(line: &str) -> bool {
    line.trim_end_matches([' ', '\t']) == "---"
}

pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if !is_delimiter(&text[..first_end]) {
        return Err(SplitError::Missing);
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        if is_delimiter(&text[offset..end]) {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset = end + 1;
        line += 1;
    }
    Err(SplitError::Unterminated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body_with_lines() {
        let s = split("---\ntitle: A\ndate: 2025-01-01\n---\n# Body\n").unwrap();
        assert_eq!(s.yaml, "title: A\ndate: 2025-01-01\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn delimiters_may_carry_trailing_blanks() {
        let s = split("--- \t\ntitle: A\n---  \nbody").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "body");
    }

    #[test]
    fn a_later_rule_in_the_body_is_body() {
        let s = split("---\ntitle: A\n---\npara\n\n---\n\nmore\n").unwrap();
        assert_eq!(s.body, "para\n\n---\n\nmore\n");
    }

    #[test]
    fn empty_front_matter_and_no_body() {
        let s = split("---\n---").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body, "");
    }

    #[test]
    fn missing_and_unterminated() {
        assert_eq!(split("# Title\n"), Err(SplitError::Missing));
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: A\n"), Err(SplitError::Unterminated));
        assert_eq!(split("----\n"), Err(SplitError::Missing));
    }
}
