//! Spreadsheets saved as CSV: one row per appearance (a person at a forum), rows of one forum
//! (same `forum` and `date`) gathered into one report.
//!
//! Spreadsheets reach us in three encodings: UTF-8 with or without the byte-order mark Excel
//! adds, and the tab-separated UTF-16 Excel writes as "Unicode text". Excel in much of Europe
//! separates with `;`, elsewhere with `,`; we count separators in the header row rather than
//! ask. Positions are `FILE:row:column` as the spreadsheet shows them (the header is row 1,
//! the first column is 1), because that is where the editor will fix it.

use super::{Person, Report, people, stem_for};
use crate::diagnostic::{Diagnostic, Diagnostics, Span, did_you_mean};
use crate::model::dates::parse_when;
use crate::model::names::clean;
use crate::model::{Role, Status, When};
use std::collections::HashMap;
use std::path::Path;

/// The columns a spreadsheet may have. Each is documented in `docs/import.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Forum,
    Date,
    End,
    Status,
    Series,
    Venue,
    City,
    Country,
    Organizers,
    Partners,
    Topics,
    Speaker,
    SpeakerTitle,
    Organization,
    Role,
}

/// Each column's name and the other headers accepted for it (compared after
/// [`header_key`]: case, spaces, `-` and `_` do not matter).
const COLUMNS: &[(Column, &str, &[&str])] = &[
    (
        Column::Forum,
        "forum",
        &[
            "forum name",
            "forum title",
            "event",
            "event name",
            "event title",
            "conference",
            "meeting",
        ],
    ),
    (
        Column::Date,
        "date",
        &[
            "start",
            "start date",
            "from",
            "day",
            "forum date",
            "event date",
        ],
    ),
    (Column::End, "end", &["end date", "to", "until", "last day"]),
    (Column::Status, "status", &[]),
    (Column::Series, "series", &["event series"]),
    (Column::Venue, "venue", &["place", "location", "hall"]),
    (Column::City, "city", &["town"]),
    (Column::Country, "country", &[]),
    (
        Column::Organizers,
        "organizers",
        &[
            "organizer",
            "organisers",
            "organiser",
            "organized by",
            "organised by",
        ],
    ),
    (
        Column::Partners,
        "partners",
        &["partner", "sponsors", "sponsor"],
    ),
    (
        Column::Topics,
        "topics",
        &["topic", "tags", "tag", "keywords", "subjects"],
    ),
    (
        Column::Speaker,
        "speaker",
        &[
            "speakers",
            "speaker name",
            "name",
            "full name",
            "person",
            "participant",
        ],
    ),
    (
        Column::SpeakerTitle,
        "speaker title",
        &["job title", "position", "speaker position", "function"],
    ),
    (
        Column::Organization,
        "organization",
        &[
            "organisation",
            "speaker organization",
            "speaker organisation",
            "affiliation",
            "institution",
            "company",
            "org",
        ],
    ),
    (Column::Role, "role", &["speaker role"]),
];

/// Whether two cells say the same thing, case and spacing aside.
fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| crate::model::names::clean(s).to_lowercase();
    norm(a) == norm(b)
}

/// `20.10.2025` -> `2025-10-20`, `5.3.2025 9:30` -> `2025-03-05 09:30`: day, month and
/// year with dots, as spreadsheets show dates in Azerbaijan, Russia and most of Europe (the
/// order is never month first with dots, unlike with slashes, which stay an error). `None`
/// for anything else, which is read as written.
fn iso_from_dotted(value: &str) -> Option<String> {
    let value = value.trim();
    let (day_part, time) = match value.split_once(' ') {
        Some((d, t)) => (d, Some(t.trim())),
        None => (value, None),
    };
    let mut parts = day_part.split('.');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    // `2025.` (a trailing dot) is fine; anything else after the year is not a date.
    let ends_with_year = parts.next().is_none_or(str::is_empty) && parts.next().is_none();
    let well_formed =
        ends_with_year && digits(day, 1, 2) && digits(month, 1, 2) && digits(year, 4, 4);
    if !well_formed {
        return None;
    }
    let mut iso = format!("{year}-{month:0>2}-{day:0>2}");
    if let Some(time) = time {
        let (h, rest) = time.split_once(':')?;
        if !digits(h, 1, 2) || !rest.bytes().all(|b| b.is_ascii_digit() || b == b':') {
            return None;
        }
        iso.push_str(&format!(" {h:0>2}:{rest}"));
    }
    Some(iso)
}

fn column_name(c: Column) -> &'static str {
    COLUMNS
        .iter()
        .find(|(col, _, _)| *col == c)
        .map_or("", |(_, name, _)| name)
}

/// `Speaker_Title`, ` speaker-title `, `SPEAKER  TITLE` -> `speaker title`.
fn header_key(header: &str) -> String {
    clean(&header.replace(['-', '_'], " ")).to_lowercase()
}

fn column_for(header: &str) -> Option<Column> {
    // Spaces aside too: `SpeakerTitle`, `speakertitle` and `StartDate` are as exports write
    // them.
    let joined = |s: &str| s.replace(' ', "");
    let key = joined(&header_key(header));
    COLUMNS
        .iter()
        .find(|(_, name, synonyms)| {
            joined(name) == key || synonyms.iter().any(|s| joined(s) == key)
        })
        .map(|(c, _, _)| *c)
}

/// Read a spreadsheet into reports, with every problem found.
pub fn read(
    file: &Path,
    bytes: &[u8],
    (zone, zone_name): &(jiff::tz::TimeZone, String),
) -> (Vec<Report>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let text = match decode(file, bytes) {
        Ok(t) => t,
        Err(d) => return (Vec::new(), Diagnostics::from(d)),
    };
    let delimiter = detect_delimiter(&text);
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows: Vec<(usize, ::csv::StringRecord)> = Vec::new();
    // The line each record starts on, counted here: the csv crate's own count is one short
    // after every `\r\n`, which is how Excel ends lines.
    let (mut counted_to, mut line) = (0usize, 1usize);
    for (i, record) in reader.records().enumerate() {
        match record {
            Ok(r) => {
                // The position is where reading the record began, which after `\r\n` is
                // before its `\n`: the record itself starts after any line ends there.
                let mut start = r.position().map_or(counted_to, |p| p.byte() as usize);
                while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
                    start += 1;
                }
                if let Some(between) = text.as_bytes().get(counted_to..start) {
                    line += between.iter().filter(|&&b| b == b'\n').count();
                    counted_to = start;
                }
                rows.push((line, r));
            }
            Err(e) => {
                diags.push(
                    Diagnostic::error(format!("cannot read row {}: {e}", i + 1))
                        .at(Span::new(file, i + 1, 1))
                        .with_help("save the spreadsheet again as CSV (UTF-8)"),
                );
                return (Vec::new(), diags);
            }
        }
    }
    let Some((_, header)) = rows.first() else {
        diags.push(
            Diagnostic::error("the file is empty")
                .at(Span::file_start(file))
                .with_help(
                    "export the sheet with its header row (`forum`, `date`, `speaker`, ...)",
                ),
        );
        return (Vec::new(), diags);
    };
    let columns = read_header(file, header, &mut diags);
    if !columns.contains(&Some(Column::Forum)) || !columns.contains(&Some(Column::Date)) {
        // Said once at the header; every row would otherwise repeat it.
        return (Vec::new(), diags);
    }
    // A column without a name over data: the data would go nowhere, so it is an error, once
    // per column, at its first cell with text.
    for (i, _) in header
        .iter()
        .enumerate()
        .filter(|(_, h)| clean(h).is_empty())
    {
        let first = rows
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, (_, record))| record.get(i).is_some_and(|cell| !clean(cell).is_empty()));
        if let Some((index, (line, _))) = first {
            let line_note = if *line != index + 1 {
                format!(" (line {line} of the file)")
            } else {
                String::new()
            };
            diags.push(
                Diagnostic::error(format!(
                    "column {} has no name in the header, but this row has text in it{line_note}",
                    i + 1
                ))
                .at(Span::new(file, index + 1, i + 1))
                .with_help("give the column one of the names Podium reads (see docs/import.md), or delete the column if its data is not wanted"),
            );
        }
    }
    let mut forums = Forums::default();
    for (index, (line, record)) in rows.iter().enumerate().skip(1) {
        // Row numbers as the spreadsheet shows them; a cell with line breaks makes the text
        // file's line differ, which the message then also gives.
        let row = index + 1;
        if record.iter().all(|c| clean(c).is_empty()) {
            continue;
        }
        let mut cells = Row::new(file, row, *line, record, &columns);
        if cells.has_unnamed_cells(record, columns.len(), delimiter, &mut diags) {
            continue;
        }
        if let Some((facts, appearance)) = cells.read(zone, zone_name, &mut diags) {
            forums.add(file, row, facts, appearance, &mut diags);
        }
    }
    (forums.into_reports(), diags)
}

/// Decode the file: UTF-8 (a BOM dropped), or UTF-16 in either byte order with or without a
/// BOM (Excel's "Unicode text").
fn decode(file: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
    let utf16 = match bytes {
        [0xFF, 0xFE, ..] => Some(encoding_rs::UTF_16LE),
        [0xFE, 0xFF, ..] => Some(encoding_rs::UTF_16BE),
        // No BOM: ASCII text in UTF-16 has a zero byte in every pair.
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 => Some(encoding_rs::UTF_16LE),
        [0, a, 0, b, ..] if *a != 0 && *b != 0 => Some(encoding_rs::UTF_16BE),
        _ => None,
    };
    if let Some(encoding) = utf16 {
        let (text, had_errors) = encoding.decode_with_bom_removal(bytes);
        if had_errors {
            return Err(Diagnostic::error("this UTF-16 file has broken characters")
                .at(Span::file_start(file))
                .with_help("save the spreadsheet again, as CSV UTF-8 or as Unicode text"));
        }
        return Ok(text.into_owned());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let before = String::from_utf8_lossy(&bytes[..at]);
        let (line, col) = crate::diagnostic::line_col(&before, before.len());
        Diagnostic::error(format!("not valid UTF-8 at byte {at}"))
            .at(Span::new(file, line, col))
            .with_help("save the spreadsheet as \"CSV UTF-8\" (Excel) or with the UTF-8 character set (LibreOffice), or as Unicode text")
    })
}

/// The separator of the header row: whichever of tab, `;` and `,` it has most of outside
/// quotes (`,` on a tie, and for a one-column file).
fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            '\t' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            ',' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = counts.iter().copied().max().unwrap_or(0);
    if best == 0 || counts[2] == best {
        b','
    } else if counts[0] == best {
        b'\t'
    } else {
        b';'
    }
}

/// The column of each header cell; `None` for an empty header (an error if any row has text
/// under it: see `read`). Unknown and repeated headers are errors: an import must not drop
/// data silently.
fn read_header(
    file: &Path,
    header: &::csv::StringRecord,
    diags: &mut Diagnostics,
) -> Vec<Option<Column>> {
    let mut columns = Vec::new();
    let mut seen: HashMap<Column, (usize, String)> = HashMap::new();
    let names: Vec<&str> = COLUMNS.iter().map(|(_, n, _)| *n).collect();
    for (i, raw) in header.iter().enumerate() {
        let col = i + 1;
        let shown = clean(raw);
        if shown.is_empty() {
            columns.push(None);
            continue;
        }
        match column_for(raw) {
            Some(c) => {
                if let Some((first, first_name)) = seen.get(&c) {
                    diags.push(
                        Diagnostic::error(format!(
                            "`{shown}` and `{first_name}` (column {first}) are both the `{}` column",
                            column_name(c)
                        ))
                        .at(Span::new(file, 1, col))
                        .with_help("keep one of them, or rename the other to the column it really is"),
                    );
                } else {
                    seen.insert(c, (col, shown.clone()));
                }
                columns.push(Some(c));
            }
            None => {
                let key = header_key(raw);
                let hint = if key == "title" {
                    "is it the forum's name (`forum`) or the person's job title (`speaker title`)? "
                        .to_string()
                } else {
                    let all = COLUMNS
                        .iter()
                        .flat_map(|(_, n, s)| std::iter::once(*n).chain(s.iter().copied()));
                    did_you_mean(&key, all)
                        .map(|b| format!("did you mean `{b}`? "))
                        .unwrap_or_default()
                };
                diags.push(
                    Diagnostic::error(format!("unknown column `{shown}`"))
                        .at(Span::new(file, 1, col))
                        .with_help(format!(
                            "{hint}the columns are {}; rename the column, or delete it if its data is not wanted",
                            names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                        )),
                );
                columns.push(None);
            }
        }
    }
    for required in [Column::Forum, Column::Date] {
        if !seen.contains_key(&required) {
            diags.push(
                Diagnostic::error(format!("no `{}` column", column_name(required)))
                    .at(Span::new(file, 1, 1))
                    .with_help("the first row names the columns; it needs at least `forum` and `date` (see docs/import.md)"),
            );
        }
    }
    columns
}

/// One row of the sheet: its cells by column, and where it is for messages. Reading it
/// reports every mistake in it, each at its cell.
struct Row<'a> {
    file: &'a Path,
    row: usize,
    /// ` (line N of the file)` when a cell with line breaks put the row on another line.
    line_note: String,
    cells: HashMap<Column, Cell>,
    /// A mistake was reported: the row makes no appearance.
    bad: bool,
}

impl<'a> Row<'a> {
    fn new(
        file: &'a Path,
        row: usize,
        line: usize,
        record: &::csv::StringRecord,
        columns: &[Option<Column>],
    ) -> Row<'a> {
        let mut cells = HashMap::new();
        for (i, value) in record.iter().enumerate() {
            if let Some(Some(c)) = columns.get(i) {
                cells.insert(*c, (i + 1, value.to_string()));
            }
        }
        Row {
            file,
            row,
            line_note: if line != row {
                format!(" (line {line} of the file)")
            } else {
                String::new()
            },
            cells,
            bad: false,
        }
    }

    fn at(&self, col: usize) -> Span {
        Span::new(self.file, self.row, col)
    }

    /// The cell of column `c`, cleaned; `None` when the sheet has no such column or the
    /// cell is empty.
    fn cell(&self, c: Column) -> Option<Cell> {
        self.cells
            .get(&c)
            .map(|(col, v)| (*col, clean(v)))
            .filter(|(_, v)| !v.is_empty())
    }

    /// Where column `c` is, for a message about a missing value (the first column if the
    /// sheet lacks it).
    fn col_of(&self, c: Column) -> usize {
        self.cells.get(&c).map_or(1, |(col, _)| *col)
    }

    fn error(&mut self, diags: &mut Diagnostics, col: usize, message: String, help: &str) {
        self.bad = true;
        diags.push(
            Diagnostic::error(format!("{message}{}", self.line_note))
                .at(self.at(col))
                .with_help(help.to_string()),
        );
    }

    /// Whether the row has text in cells beyond the header's columns (reported: most often
    /// a separator inside an unquoted cell).
    fn has_unnamed_cells(
        &self,
        record: &::csv::StringRecord,
        named: usize,
        delimiter: u8,
        diags: &mut Diagnostics,
    ) -> bool {
        let extra = record.len() > named && record.iter().skip(named).any(|c| !clean(c).is_empty());
        if extra {
            diags.push(
                Diagnostic::error(format!(
                    "this row has {} cells but the header names {} columns{}",
                    record.len(),
                    named,
                    self.line_note
                ))
                .at(self.at(named + 1))
                .with_help(format!(
                    "a cell that holds the separator (`{}`) must be in double quotes; or give the extra column a header",
                    delimiter as char
                )),
            );
        }
        extra
    }

    /// The row's forum and appearance; `None` when the row has a mistake (each is reported).
    fn read(
        &mut self,
        zone: &jiff::tz::TimeZone,
        zone_name: &str,
        diags: &mut Diagnostics,
    ) -> Option<(Facts, Vec<Person>)> {
        let forum = self.cell(Column::Forum);
        if forum.is_none() {
            self.error(
                diags,
                self.col_of(Column::Forum),
                "no forum name".into(),
                "every row names its forum in the `forum` column; rows with the same forum and date become one report",
            );
        }
        let status = self.status(diags);
        let (date, end) = self.dates(status, zone, zone_name, diags);
        let role = self.role(diags);
        let speaker = self.speaker(diags);
        self.check_page_names(diags);
        if self.bad {
            return None;
        }
        let (_, forum) = forum?;
        let list = |c: Column| -> Vec<String> {
            self.cell(c)
                .map(|(_, v)| v.split(';').map(clean).filter(|s| !s.is_empty()).collect())
                .unwrap_or_default()
        };
        let facts = Facts {
            forum,
            date: date.map(|(d, _)| d),
            end: end.map(|(e, _)| (self.col_of(Column::End), e)),
            status: status.map(|s| (self.col_of(Column::Status), s.as_str().to_string())),
            series: self.cell(Column::Series),
            venue: self.cell(Column::Venue),
            city: self.cell(Column::City),
            country: self.cell(Column::Country),
            organizers: list(Column::Organizers),
            partners: list(Column::Partners),
            topics: list(Column::Topics),
        };
        let mut appearance = Vec::new();
        if let Some((col, name)) = speaker {
            for name in people(&name, &self.at(col), diags) {
                appearance.push(Person {
                    name,
                    title: self.cell(Column::SpeakerTitle).map(|(_, v)| v),
                    organization: self.cell(Column::Organization).map(|(_, v)| v),
                    role: role.clone(),
                });
            }
        }
        Some((facts, appearance))
    }

    fn status(&mut self, diags: &mut Diagnostics) -> Option<Status> {
        let (col, s) = self.cell(Column::Status)?;
        let status = Status::parse(&s);
        if status.is_none() {
            self.error(
                diags,
                col,
                format!("unknown status `{s}`"),
                &Status::unknown_help(&s),
            );
        }
        status
    }

    /// `date` and `end`, each as written and as read, checked against each other and the
    /// status.
    #[allow(clippy::type_complexity)]
    fn dates(
        &mut self,
        status: Option<Status>,
        zone: &jiff::tz::TimeZone,
        zone_name: &str,
        diags: &mut Diagnostics,
    ) -> (Option<(String, When)>, Option<(String, When)>) {
        let date_help = "write dates as YYYY-MM-DD (2025-10-20) or DD.MM.YYYY (20.10.2025), or a date and time with its offset (2025-10-20T10:00+04:00); in the spreadsheet, format the column as text so it keeps that form";
        let mut when = |row: &mut Row, c: Column| -> Option<(String, When)> {
            let (col, v) = row.cell(c)?;
            // A report's dates are ISO; a day written as in Azerbaijan, Russia and most of
            // Europe is turned into one.
            let iso = iso_from_dotted(&v);
            let read = iso.as_deref().unwrap_or(&v);
            match parse_when(read, zone, zone_name) {
                Ok(w) => Some((read.to_string(), w)),
                Err(e) => {
                    // Messages quote the cell as the spreadsheet shows it.
                    let e = e.replace(read, &v);
                    // The loader's message ends in advice the help line gives more fully.
                    let e = e.split("; write").next().unwrap_or(&e);
                    row.error(diags, col, format!("`{}`: {e}", column_name(c)), date_help);
                    None
                }
            }
        };
        let date = when(self, Column::Date);
        let end = when(self, Column::End);
        if self.cell(Column::Date).is_none() && status != Some(Status::Announced) {
            self.error(
                diags,
                self.col_of(Column::Date),
                "no date".into(),
                "give the forum's date as YYYY-MM-DD; a forum whose date is not known yet takes `announced` in the `status` column",
            );
        }
        if let (Some((d, dw)), Some((e, ew))) = (&date, &end)
            && ew.ends_before(dw)
        {
            self.error(
                diags,
                self.col_of(Column::End),
                format!("`end` {e} is before `date` {d}"),
                "swap the two, or correct the end date",
            );
        }
        if self.cell(Column::End).is_some() && self.cell(Column::Date).is_none() {
            self.error(
                diags,
                self.col_of(Column::End),
                "`end` without `date`".into(),
                "give the first day in the `date` column",
            );
        }
        (date, end)
    }

    fn role(&mut self, diags: &mut Diagnostics) -> Option<String> {
        let (col, r) = self.cell(Column::Role)?;
        match Role::parse(&r) {
            Some(role) => Some(role.as_str().to_string()),
            None => {
                let hint = did_you_mean(&r.to_ascii_lowercase(), Role::NAMES)
                    .map(|b| format!("did you mean `{b}`? "))
                    .unwrap_or_default();
                self.error(
                    diags,
                    col,
                    format!("unknown role `{r}`"),
                    &format!("{hint}a role is one of: {}", Role::NAMES.join(", ")),
                );
                None
            }
        }
    }

    /// The speaker's cell, checked: a row that says something of a speaker names one, and
    /// the name makes an address.
    fn speaker(&mut self, diags: &mut Diagnostics) -> Option<Cell> {
        // With its line breaks, which may separate people (`people` splits there).
        let speaker = self.cell(Column::Speaker).map(|(col, cleaned)| {
            match self.cells.get(&Column::Speaker) {
                Some((_, raw)) if raw.contains('\n') => (col, raw.trim().to_string()),
                _ => (col, cleaned),
            }
        });
        let about_speaker = [Column::SpeakerTitle, Column::Organization, Column::Role]
            .iter()
            .any(|c| self.cell(*c).is_some());
        match &speaker {
            None if about_speaker => self.error(
                diags,
                self.col_of(Column::Speaker),
                "no speaker name".into(),
                "fill in the person's name in the `speaker` column, or clear the row's speaker title, organization and role",
            ),
            Some((col, name)) if crate::model::slug::slugify(name).is_empty() => self.error(
                diags,
                *col,
                format!("`{name}` is not a usable name"),
                "a name needs letters or digits",
            ),
            _ => {}
        }
        speaker
    }

    /// Organizations, topics and series become pages, so each needs something to make an
    /// address from (the loader refuses `??`; an import must not write what it refuses).
    fn check_page_names(&mut self, diags: &mut Diagnostics) {
        for (c, what) in [
            (Column::Organization, "organization name"),
            (Column::Organizers, "organization name"),
            (Column::Partners, "organization name"),
            (Column::Topics, "topic"),
            (Column::Series, "series name"),
        ] {
            let Some((col, value)) = self.cell(c) else {
                continue;
            };
            let items: Vec<&str> = if matches!(c, Column::Organization | Column::Series) {
                vec![value.as_str()]
            } else {
                value
                    .split(';')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .collect()
            };
            for item in items {
                if crate::model::slug::slugify(item).is_empty() {
                    self.error(
                        diags,
                        col,
                        format!("`{item}` is not a usable {what}"),
                        "it needs letters or digits to make a page's address from; correct the cell or clear it",
                    );
                }
            }
        }
    }
}

/// A cell's column (1-based) and its cleaned text.
type Cell = (usize, String);

/// The forum-level cells of one row.
struct Facts {
    forum: String,
    date: Option<String>,
    end: Option<Cell>,
    status: Option<Cell>,
    series: Option<Cell>,
    venue: Option<Cell>,
    city: Option<Cell>,
    country: Option<Cell>,
    organizers: Vec<String>,
    partners: Vec<String>,
    topics: Vec<String>,
}

/// Forums gathered from rows, in the order they first appear.
#[derive(Default)]
struct Forums {
    order: Vec<(String, Option<String>)>,
    by_key: HashMap<(String, Option<String>), Gathered>,
}

struct Gathered {
    report: Report,
    /// The row each single-valued field was first given on, to point at disagreements.
    given: HashMap<&'static str, usize>,
}

impl Forums {
    fn add(
        &mut self,
        file: &Path,
        row: usize,
        facts: Facts,
        speakers: Vec<Person>,
        diags: &mut Diagnostics,
    ) {
        let key = (
            crate::model::slug::slugify(&facts.forum),
            facts.date.clone(),
        );
        let gathered = self.by_key.entry(key.clone()).or_insert_with(|| {
            self.order.push(key.clone());
            let year = facts
                .date
                .as_deref()
                .and_then(|d| d.get(..4))
                .unwrap_or("announced")
                .to_string();
            Gathered {
                report: Report {
                    folder: year,
                    stem: stem_for(&facts.forum, "forum"),
                    title: facts.forum.clone(),
                    date: facts.date.clone(),
                    ..Report::default()
                },
                given: HashMap::new(),
            }
        });
        let r = &mut gathered.report;
        let singles: [(&'static str, Option<Cell>, &mut Option<String>); 6] = [
            ("end", facts.end, &mut r.end),
            ("status", facts.status, &mut r.status),
            ("series", facts.series, &mut r.series),
            ("venue", facts.venue, &mut r.venue),
            ("city", facts.city, &mut r.city),
            ("country", facts.country, &mut r.country),
        ];
        for (name, value, slot) in singles {
            let Some((col, value)) = value else { continue };
            match slot {
                None => {
                    *slot = Some(value);
                    gathered.given.insert(name, row);
                }
                // `1Komona Boredome` and `1komona  Boredome` are one venue typed twice: the
                // first spelling stays.
                Some(existing) if !same_text(existing, &value) => {
                    let first = gathered.given.get(name).copied().unwrap_or(row);
                    diags.push(
                        Diagnostic::error(format!(
                            "`{name}` is `{value}` here but `{existing}` on row {first}, for the same forum"
                        ))
                        .at(Span::new(file, row, col))
                        .with_help(format!(
                            "rows of one forum must agree on its {name}: correct the one that is wrong, or leave the cell empty on all rows but one"
                        )),
                    );
                }
                Some(_) => {}
            }
        }
        for (items, into) in [
            (facts.organizers, &mut r.organizers),
            (facts.partners, &mut r.partners),
            (facts.topics, &mut r.topics),
        ] {
            for item in items {
                let key = crate::model::slug::slugify(&item);
                if !into.iter().any(|x| crate::model::slug::slugify(x) == key) {
                    into.push(item);
                }
            }
        }
        for p in speakers {
            // The same person on two rows of one forum (a row copied twice, a name typed
            // again in other case or spacing) is one entry: the first; the row is named.
            let key = crate::model::slug::slugify(&p.name);
            let agrees = |a: &Option<String>, b: &Option<String>| match (a, b) {
                (Some(a), Some(b)) => same_text(a, b),
                _ => true,
            };
            match r
                .speakers
                .iter()
                .find(|q| crate::model::slug::slugify(&q.name) == key)
            {
                Some(q) if q == &p => {}
                Some(q)
                    if agrees(&q.title, &p.title)
                        && agrees(&q.organization, &p.organization)
                        && agrees(&q.role, &p.role) =>
                {
                    diags.push(
                        Diagnostic::warning(format!(
                            "`{}` is `{}`, listed already for this forum; written once",
                            p.name, q.name
                        ))
                        .at(Span::new(file, row, 1))
                        .with_help(
                            "remove the repeated row, or correct the name if these are two people",
                        ),
                    );
                }
                _ => r.speakers.push(p),
            }
        }
    }

    fn into_reports(mut self) -> Vec<Report> {
        self.order
            .iter()
            .filter_map(|k| self.by_key.remove(k))
            .map(|g| g.report)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> (jiff::tz::TimeZone, String) {
        (jiff::tz::TimeZone::UTC, "UTC".to_string())
    }

    #[test]
    fn local_times_are_checked_in_the_site_zone() {
        let berlin = (
            jiff::tz::TimeZone::get("Europe/Berlin").unwrap(),
            "Europe/Berlin".to_string(),
        );
        let (_, diags) = read(
            Path::new("p.csv"),
            b"forum,date,speaker\nA,2025-03-30 02:30,Ana Lima\n",
            &berlin,
        );
        let d = diags.iter().next().expect("a skipped local time");
        assert!(
            d.to_string().starts_with(
                "p.csv:2:2: `date`: 2025-03-30T02:30:00 does not exist in Europe/Berlin"
            ),
            "{d}"
        );
        let (reports, diags) = read(
            Path::new("p.csv"),
            b"forum,date,speaker\nA,2025-03-30 02:30,Ana Lima\n",
            &utc(),
        );
        assert!(diags.is_empty() && reports.len() == 1);
    }

    fn read_str(text: &str) -> (Vec<Report>, String) {
        let (reports, diags) = read(Path::new("people.csv"), text.as_bytes(), &utc());
        let shown = diags.iter().map(|d| d.to_string() + "\n").collect();
        (reports, shown)
    }

    #[test]
    fn headers_are_matched_loosely_and_synonyms_are_known() {
        assert_eq!(column_for("Speaker_Title"), Some(Column::SpeakerTitle));
        assert_eq!(column_for(" speaker-title "), Some(Column::SpeakerTitle));
        assert_eq!(column_for("ORGANISATION"), Some(Column::Organization));
        assert_eq!(column_for("Organised by"), Some(Column::Organizers));
        assert_eq!(column_for("notes"), None);
    }

    #[test]
    fn delimiters_are_detected_from_the_header() {
        assert_eq!(detect_delimiter("forum;date;speaker\na,b;c;d"), b';');
        assert_eq!(detect_delimiter("forum,date\n"), b',');
        assert_eq!(detect_delimiter("forum\tdate\tspeaker\n"), b'\t');
        assert_eq!(detect_delimiter("\"a;b\",c\n"), b',');
    }

    #[test]
    fn rows_of_one_forum_become_one_report() {
        let (reports, problems) = read_str(
            "forum,date,city,speaker,organization,topics\n\
             NGO Forum,2025-10-20,Baku,Ana Lima,Civic Lab,grants; youth\n\
             NGO Forum,2025-10-20,,Rui Costa,,youth\n\
             Other,2025-11-01,Ganja,Ana Lima,,\n",
        );
        assert_eq!(problems, "");
        assert_eq!(reports.len(), 2);
        let r = &reports[0];
        assert_eq!((r.folder.as_str(), r.stem.as_str()), ("2025", "ngo-forum"));
        assert_eq!(r.city.as_deref(), Some("Baku"));
        assert_eq!(r.topics, ["grants", "youth"]);
        let names: Vec<&str> = r.speakers.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Ana Lima", "Rui Costa"]);
        assert_eq!(r.speakers[0].organization.as_deref(), Some("Civic Lab"));
    }

    #[test]
    fn rows_and_lines_are_counted_alike_whatever_ends_the_lines() {
        // Excel ends lines with `\r\n`; a quoted cell may hold a line break of its own.
        let (_, problems) = read_str(
            "forum,date,speaker\r\nA,2025-01-01,Ana Lima\r\nB,2025-01-02,-\r\n\"C\r\nD\",2025-01-03,Rui Costa\r\nE,2025-01-04,?\r\n",
        );
        assert!(
            problems.contains("people.csv:3:3: `-` is not a usable name\n"),
            "{problems}"
        );
        assert!(
            problems.contains("people.csv:5:3: `?` is not a usable name (line 6 of the file)\n"),
            "{problems}"
        );
    }

    #[test]
    fn dates_with_dots_are_day_month_year() {
        assert_eq!(iso_from_dotted("20.10.2025").as_deref(), Some("2025-10-20"));
        assert_eq!(
            iso_from_dotted(" 5.3.2025 9:30 ").as_deref(),
            Some("2025-03-05 09:30")
        );
        assert_eq!(
            iso_from_dotted("05.03.2025.").as_deref(),
            Some("2025-03-05")
        );
        for not in [
            "2025-10-20",
            "20/10/2025",
            "20.10.25",
            "1.2.3.2025",
            "20.10.2025 x",
            "a.b.cdef",
        ] {
            assert_eq!(iso_from_dotted(not), None, "{not}");
        }
        let (reports, problems) = read_str(
            "forum,date,end,speaker\nA,20.10.2025,21.10.2025,Ana Lima\nB,31.02.2025,,Rui Costa\n",
        );
        assert_eq!(reports[0].date.as_deref(), Some("2025-10-20"));
        assert_eq!(reports[0].end.as_deref(), Some("2025-10-21"));
        assert!(
            problems.contains(
                "people.csv:3:2: `date`: `31.02.2025` is no date: February 2025 has 28 days"
            ),
            "{problems}"
        );
    }

    #[test]
    fn a_person_on_two_rows_of_one_forum_is_written_once() {
        let (reports, problems) = read_str(
            "forum,date,speaker,speaker title\nF,2025-10-20,Ana Lima,Chair\nF,2025-10-20,ana  lima,\nF,2025-10-20,Ana Lima,Chair\nF,2025-10-20,Rui Costa,\n",
        );
        let names: Vec<&str> = reports[0]
            .speakers
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names, ["Ana Lima", "Rui Costa"]);
        assert!(
            problems.contains("people.csv:3:1: `ana lima` is `Ana Lima`, listed already for this forum; written once"),
            "{problems}"
        );
        // Two roles of one person stay two entries.
        let (reports, _) = read_str(
            "forum,date,speaker,role\nF,2025-10-20,Ana Lima,speaker\nF,2025-10-20,Ana Lima,moderator\n",
        );
        assert_eq!(reports[0].speakers.len(), 2);
    }

    #[test]
    fn text_under_a_column_without_a_name_is_an_error_an_empty_one_is_not() {
        let (reports, problems) =
            read_str("forum,date,,speaker\nF,2025-01-01,,Ana Lima\nF,2025-01-01,,Rui Costa\n");
        assert_eq!(reports.len(), 1);
        assert!(problems.is_empty(), "{problems}");
        let (reports, problems) = read_str(
            "forum,date,,speaker\nF,2025-01-01,,Ana Lima\nF,2025-01-01,secret note,Rui Costa\n",
        );
        assert_eq!(
            reports.len(),
            1,
            "read, but the errors keep the import from writing it"
        );
        assert!(
            problems.contains(
                "people.csv:3:3: column 3 has no name in the header, but this row has text in it"
            ),
            "{problems}"
        );
    }

    #[test]
    fn every_bad_row_is_reported_with_row_and_column() {
        let (reports, problems) = read_str(
            "forum,date,speaker,role,Notes\n\
             A,20/10/2025,Ana Lima,host,x\n\
             ,2025-10-20,Rui Costa,,\n\
             B,2025-10-20,,chair,\n",
        );
        assert!(reports.is_empty());
        assert!(
            problems.contains("people.csv:1:5: unknown column `Notes`"),
            "{problems}"
        );
        assert!(
            problems.contains("people.csv:2:2: `date`: cannot read `20/10/2025`"),
            "{problems}"
        );
        assert!(
            problems.contains("people.csv:3:1: no forum name"),
            "{problems}"
        );
        assert!(
            problems.contains("people.csv:4:3: no speaker name"),
            "{problems}"
        );
        assert!(
            problems.contains("people.csv:4:4: unknown role `chair`"),
            "{problems}"
        );
    }

    #[test]
    fn a_missing_required_column_is_said_once() {
        let (reports, problems) = read_str("name,speaker\nA,Ana Lima\nB,Rui Costa\n");
        assert!(reports.is_empty());
        assert_eq!(
            problems,
            "people.csv:1:2: `speaker` and `name` (column 1) are both the `speaker` column\n\
             people.csv:1:1: no `forum` column\npeople.csv:1:1: no `date` column\n"
        );
    }

    #[test]
    fn rows_that_differ_only_in_case_or_spacing_agree() {
        let (reports, problems) = read_str(
            "forum,date,venue,speaker\nA,2025-01-01,1Komona Boredome,Ana Lima\nA,2025-01-01,1komona  boredome ,Rui Costa\n",
        );
        assert_eq!(problems, "");
        assert_eq!(reports[0].venue.as_deref(), Some("1Komona Boredome"));
        assert_eq!(reports[0].speakers.len(), 2);
    }

    #[test]
    fn rows_that_disagree_about_their_forum_are_errors() {
        let (_, problems) = read_str(
            "forum,date,venue,speaker\nA,2025-01-01,Hall 1,X Y\nA,2025-01-01,Hall 2,Z W\n",
        );
        assert_eq!(
            problems,
            "people.csv:3:3: `venue` is `Hall 2` here but `Hall 1` on row 2, for the same forum\n"
        );
    }

    #[test]
    fn organizations_and_topics_without_letters_are_refused_not_written() {
        // Found by the import property test: the loader refuses these, so `check` failed on
        // what the import had written.
        let (reports, problems) =
            read_str("forum,date,speaker,organization,topics\nA,2025-01-01,Ana Lima,{,ok; {:\n");
        assert!(reports.is_empty());
        assert!(
            problems.contains("people.csv:2:4: `{` is not a usable organization name"),
            "{problems}"
        );
        assert!(
            problems.contains("people.csv:2:5: `{:` is not a usable topic"),
            "{problems}"
        );
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let text = "forum\tdate\tspeaker\nFórum\t2025-01-01\tAygün Əliyeva\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend(&le);
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for bytes in [with_bom, le, be] {
            let (reports, diags) = read(Path::new("x.txt"), &bytes, &utc());
            assert!(diags.is_empty(), "{diags:?}");
            assert_eq!(reports[0].title, "Fórum");
            assert_eq!(reports[0].speakers[0].name, "Aygün Əliyeva");
        }
    }

    #[test]
    fn latin1_is_refused_with_its_position() {
        let (_, diags) = read(
            Path::new("x.csv"),
            b"forum,date\nF\xe9,2025-01-01\n",
            &utc(),
        );
        let d = diags.iter().next().unwrap();
        assert_eq!(d.to_string(), "x.csv:2:2: not valid UTF-8 at byte 12");
    }
}
