//! Diagnostics: every problem Podium finds in a site, with where it is and how to fix it.
//!
//! Stages never stop at the first problem: they collect `Diagnostic`s and keep going
//! where that makes sense, so an editor sees every mistake of a run at once. A diagnostic
//! carries an optional `Span` (file, 1-based line and column counted from the start of the
//! *file*, front-matter delimiter included) and renders for the terminal with the source line
//! and a caret under the column.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors fail `build` and `check`, warnings do not (unless denied).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A position in a source file. Line and column are 1-based; the column counts characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Span {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
}

impl Span {
    pub fn new(file: impl Into<PathBuf>, line: usize, col: usize) -> Span {
        Span {
            file: file.into(),
            line: line.max(1),
            col: col.max(1),
        }
    }

    /// The start of a file, for problems that belong to the whole file.
    pub fn file_start(file: impl Into<PathBuf>) -> Span {
        Span::new(file, 1, 1)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Where the problem is, when it is in one place. Paths are as the user would type them
    /// (relative to the site root where possible).
    pub span: Option<Span>,
    /// What to do about it, when we know.
    pub help: Option<Box<str>>,
    /// The source line the span points into, captured when the diagnostic is made so that
    /// rendering never has to read files again (they may have changed since).
    #[serde(skip)]
    pub source_line: Option<String>,
    /// What kind of finding it is, for tools reading `--format json` (`privacy`: a place
    /// where a protected person's name was replaced).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<Code>,
    /// Further problems found with this one (more mistakes in the same front matter, which
    /// one parse cannot return together): `Diagnostics` lists them beside it.
    /// (Boxed: every `Result` of the stages carries a `Diagnostic`, kept small.)
    #[serde(skip)]
    pub also: Option<Box<Vec<Diagnostic>>>,
}

/// Kinds of findings that tools may want to pick out of `--format json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Code {
    /// A place where a protected person's name was replaced (docs/privacy.md).
    Privacy,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span: None,
            help: None,
            source_line: None,
            code: None,
            also: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn at(mut self, span: Span) -> Diagnostic {
        self.span = Some(span);
        self
    }

    /// Attach a span and capture the line it points into from `source`.
    pub fn at_in(mut self, span: Span, source: &str) -> Diagnostic {
        self.source_line = source
            .lines()
            .nth(span.line - 1)
            .map(|l| l.trim_end_matches('\r').to_string());
        self.span = Some(span);
        self
    }

    pub fn with_code(mut self, code: Code) -> Diagnostic {
        self.code = Some(code);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into().into_boxed_str());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Render for a terminal: `error: path:line:col: message`, the source line with a caret
    /// under the column, and a `help:` line. ANSI colours only when `color` is set.
    pub fn render(&self, color: bool) -> String {
        let (label, paint) = match self.severity {
            Severity::Error => ("error", "\x1b[1;31m"),
            Severity::Warning => ("warning", "\x1b[1;33m"),
        };
        let (bold, blue, reset) = if color {
            ("\x1b[1m", "\x1b[1;34m", "\x1b[0m")
        } else {
            ("", "", "")
        };
        let paint = if color { paint } else { "" };
        let mut out = String::new();
        match &self.span {
            Some(span) => out.push_str(&format!(
                "{paint}{label}{reset}{bold}: {}:{}:{}: {}{reset}\n",
                display_path(&span.file),
                span.line,
                span.col,
                self.message
            )),
            None => out.push_str(&format!(
                "{paint}{label}{reset}{bold}: {}{reset}\n",
                self.message
            )),
        }
        if let (Some(span), Some(line)) = (&self.span, &self.source_line) {
            let number = span.line.to_string();
            let gutter = " ".repeat(number.len());
            // Tabs would misplace the caret: show them as single spaces on both lines. Very
            // long lines (minified data, 10 000 brackets) are cut to a window around the column.
            let chars: Vec<char> = line
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect();
            let col = span.col.saturating_sub(1).min(chars.len());
            let start = col.saturating_sub(60);
            let end = (start + 120).min(chars.len());
            let mut shown: String = chars[start..end].iter().collect();
            if start > 0 {
                shown.insert(0, '…');
            }
            if end < chars.len() {
                shown.push('…');
            }
            let caret_pad = " ".repeat(col - start + usize::from(start > 0));
            out.push_str(&format!("{blue}{gutter} |{reset}\n"));
            out.push_str(&format!("{blue}{number} |{reset} {shown}\n"));
            out.push_str(&format!(
                "{blue}{gutter} |{reset} {caret_pad}{paint}^{reset}\n"
            ));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("  {bold}help{reset}: {help}\n"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.span {
            Some(s) => write!(
                f,
                "{}:{}:{}: {}",
                display_path(&s.file),
                s.line,
                s.col,
                self.message
            ),
            None => write!(f, "{}", self.message),
        }
    }
}

fn display_path(path: &Path) -> String {
    path.display().to_string()
}

/// Every diagnostic of one run, in a stable order (by file, line, column, then message).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Diagnostics {
        Diagnostics(Vec::new())
    }

    pub fn push(&mut self, mut d: Diagnostic) {
        let also = d.also.take();
        self.0.push(d);
        for more in also.into_iter().flat_map(|b| *b) {
            self.push(more);
        }
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Sort into the order they are printed in, so output does not depend on thread timing.
    pub fn sorted(mut self) -> Diagnostics {
        self.0.sort_by(|a, b| {
            (&a.span, &a.message, a.severity).cmp(&(&b.span, &b.message, b.severity))
        });
        self.0.dedup();
        self
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.0
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Diagnostics {
        let mut all = Diagnostics::new();
        all.push(d);
        all
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Diagnostics {
        let mut all = Diagnostics::new();
        iter.into_iter().for_each(|d| all.push(d));
        all
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Line and column (1-based, column in characters) of byte offset `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The closest candidate to `word` by edit distance, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbouring letters (the commonest typo, `chidl` for `child`) each cost one.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\nəşx\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // 'x' is after two 2-byte letters
        assert_eq!(line_col(text, 7), (2, 3));
    }

    #[test]
    fn did_you_mean_finds_typos_only() {
        let fields = ["title", "date", "speakers", "summary"];
        assert_eq!(did_you_mean("tittle", fields), Some("title"));
        assert_eq!(did_you_mean("spekers", fields), Some("speakers"));
        assert_eq!(did_you_mean("venue", fields), None);
        assert_eq!(did_you_mean("chidl", ["child", "default"]), Some("child"));
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("title: {}", "[".repeat(10_000));
        let d = Diagnostic::error("deep").at_in(Span::new("a.md", 1, 5000), &line);
        let text = d.render(false);
        assert!(text.len() < 400, "{}", text.len());
        let lines: Vec<&str> = text.lines().collect();
        let caret = lines[3].chars().position(|c| c == '^').unwrap();
        assert_eq!(lines[2].chars().nth(caret), Some('['), "{text}");
    }

    #[test]
    fn render_puts_caret_under_column() {
        let d = Diagnostic::error("bad thing")
            .at_in(Span::new("content/a.md", 2, 3), "---\nti tle: x\n")
            .with_help("fix it");
        let text = d.render(false);
        assert!(
            text.starts_with("error: content/a.md:2:3: bad thing\n"),
            "{text}"
        );
        assert!(text.contains("2 | ti tle: x\n  |   ^\n"), "{text}");
        assert!(text.contains("help: fix it"), "{text}");
    }
}
