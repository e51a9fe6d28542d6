//! Charts that tell the archive's story, drawn at build time as inline SVG (no script):
//! forums per year (`/forums/`), organizations by forums organized (`/organizations/`), a
//! speaker's appearances per year (their page) and the main topics over time (`/topics/`).
//!
//! The numbers and the geometry are made here; the markup is the theme's
//! `partials/chart.html`, so a theme can restyle it (classes and the page's CSS custom
//! properties, hence dark mode and print) or replace it (the data table and the numbers are
//! in the value too). A charting crate (plotters, charts-rs) was not taken: they write
//! complete SVG documents with inline styles and fixed colours (against the themes' strict
//! Content-Security-Policy, and not restylable), without `<title>`/`<desc>` or a data table,
//! and at several times the size. Bars of one series are one `<path>`, which keeps a chart
//! of thirty years under 2 kB.

use crate::i18n::Locale;
use crate::model::{ForumId, Model};
use serde::Serialize;
use std::collections::BTreeMap;

/// The drawing's width in SVG units (it scales to the column).
const WIDTH: f64 = 480.0;
/// Most topics drawn in the topics chart; most organizations in theirs.
const TOP_TOPICS: usize = 4;
const TOP_ORGANIZATIONS: usize = 10;

/// A chart as a template draws it.
#[derive(Debug, Clone, Serialize)]
pub struct ChartView {
    /// Unique on the page; prefixes the ids of `<title>` and `<desc>`.
    pub id: &'static str,
    /// `columns` (bars over years, one band per series) or `bars` (labelled horizontal bars).
    pub kind: &'static str,
    pub title: String,
    /// Every number, in words, for `<desc>`.
    pub desc: String,
    pub width: f64,
    pub height: f64,
    /// The width of a bar of a `columns` chart: its bars are lines of this stroke width.
    pub bar_width: f64,
    pub series: Vec<SeriesView>,
    /// Labels under the time axis (`columns`).
    pub ticks: Vec<Tick>,
    /// The same numbers as a table.
    pub table: TableView,
}

/// One band of a `columns` chart, or one bar of a `bars` chart.
#[derive(Debug, Clone, Serialize)]
pub struct SeriesView {
    pub label: String,
    /// The bars, as one SVG path.
    pub path: String,
    /// Where the label and the value are written.
    pub label_x: f64,
    pub label_y: f64,
    pub value_x: f64,
    /// The band's highest value (`columns`) or the bar's value (`bars`).
    pub max: u32,
    /// Where the highest value is written (`columns`).
    pub top_y: f64,
    /// The band's baseline, as an SVG path (`columns`; empty for `bars`).
    pub axis: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    pub x: f64,
    pub y: f64,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Count forums per year, every year from the first to the last (empty years are zero).
fn per_year(model: &Model, forums: impl IntoIterator<Item = ForumId>) -> BTreeMap<i16, u32> {
    let mut counts: BTreeMap<i16, u32> = BTreeMap::new();
    for id in forums {
        if let Some(y) = model.forum(id).year() {
            *counts.entry(y).or_default() += 1;
        }
    }
    fill_years(&mut counts);
    counts
}

fn fill_years(counts: &mut BTreeMap<i16, u32>) {
    if let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) {
        for y in first..=last {
            counts.entry(y).or_default();
        }
    }
}

/// `/forums/`: forums per year.
pub fn forums_per_year(model: &Model, locale: &Locale) -> Option<ChartView> {
    let counts = per_year(model, model.forums.iter().map(|f| f.id));
    columns(
        "forums-per-year",
        locale.word("chart.forums_per_year"),
        vec![(String::new(), counts)],
        locale,
    )
}

/// A speaker's page: appearances (forums they took part in) per year.
pub fn speaker_per_year(
    model: &Model,
    speaker: crate::model::SpeakerId,
    locale: &Locale,
) -> Option<ChartView> {
    let s = model.speaker(speaker);
    let mut forums: Vec<ForumId> = s.appearances.iter().map(|(f, _)| *f).collect();
    forums.dedup();
    let counts = per_year(model, forums);
    // One year says nothing a sentence would not.
    if counts.len() < 2 {
        return None;
    }
    columns(
        "appearances-per-year",
        locale.word_with("chart.speaker_per_year", &[("name", &s.name)]),
        vec![(String::new(), counts)],
        locale,
    )
}

/// `/topics/`: forums per year of the topics with the most forums.
pub fn topics_over_time(model: &Model, locale: &Locale) -> Option<ChartView> {
    // A topic of undated forums only has nothing to draw, and takes no place.
    let mut topics: Vec<(&crate::model::Term, BTreeMap<i16, u32>)> = model
        .topics
        .iter()
        .filter(|t| !t.forums.is_empty())
        .map(|t| (t, per_year(model, t.forums.iter().copied())))
        .filter(|(_, counts)| counts.values().any(|&n| n > 0))
        .collect();
    // Ties go by address, which every language shares (names differ between them).
    topics.sort_by(|(a, _), (b, _)| {
        b.forums
            .len()
            .cmp(&a.forums.len())
            .then(a.slug.cmp(&b.slug))
    });
    topics.truncate(TOP_TOPICS);
    // One time axis for all: from the first year any of them has to the last.
    let mut all: BTreeMap<i16, u32> = BTreeMap::new();
    let mut series = Vec::new();
    for (t, counts) in topics {
        all.extend(counts.keys().map(|&y| (y, 0)));
        series.push((t.name.clone(), counts));
    }
    fill_years(&mut all);
    for (_, counts) in &mut series {
        for &y in all.keys() {
            counts.entry(y).or_default();
        }
    }
    let title = locale.count("chart.topics_over_time", series.len());
    columns("topics-over-time", title, series, locale)
}

/// `/organizations/`: the organizations that organized the most forums.
pub fn organizations_by_forums(model: &Model, locale: &Locale) -> Option<ChartView> {
    let mut orgs: Vec<(&str, u32)> = model
        .organizations
        .iter()
        .filter(|o| !o.organized.is_empty())
        .map(|o| (o.name.as_str(), o.organized.len() as u32))
        .collect();
    orgs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    orgs.truncate(TOP_ORGANIZATIONS);
    if orgs.is_empty() {
        return None;
    }
    let max = orgs.iter().map(|o| o.1).max().unwrap_or(1).max(1) as f64;
    let (label_w, row_h, bar_h) = (200.0, 24.0, 16.0);
    let plot_w = WIDTH - label_w - 40.0;
    let series = orgs
        .iter()
        .enumerate()
        .map(|(i, (name, n))| {
            let y = i as f64 * row_h;
            let w = round(plot_w * *n as f64 / max).max(1.0);
            SeriesView {
                label: shorten(name, 28),
                path: format!("M{label_w} {}h{w}v{bar_h}h-{w}z", round(y + 2.0)),
                label_x: label_w - 8.0,
                label_y: round(y + 15.0),
                value_x: round(label_w + w + 6.0),
                max: *n,
                top_y: 0.0,
                axis: String::new(),
            }
        })
        .collect();
    let count = orgs.len();
    let title = if count < TOP_ORGANIZATIONS {
        locale.word("chart.organizations")
    } else {
        locale.word_with("chart.organizations_top", &[("count", &count.to_string())])
    };
    let desc = orgs
        .iter()
        .map(|(name, n)| format!("{name}: {n}"))
        .collect::<Vec<_>>()
        .join("; ");
    Some(ChartView {
        id: "organizations-by-forums",
        kind: "bars",
        table: TableView {
            caption: title.clone(),
            headers: vec![
                locale.word("chart.organization"),
                locale.word("chart.forums_organized"),
            ],
            rows: orgs
                .iter()
                .map(|(name, n)| vec![name.to_string(), n.to_string()])
                .collect(),
        },
        title,
        desc: format!("{desc}."),
        width: WIDTH,
        height: count as f64 * row_h,
        bar_width: bar_h,
        series,
        ticks: Vec::new(),
    })
}

/// Bars over years, one band per series (each scaled to its own highest value).
/// Most columns a chart draws. Past it, years are counted together in periods (of 5, 10,
/// 25... years), so that an archive of a century, or a date mistyped by centuries
/// (`0205-10-20`), still draws a chart of a few kilobytes.
const MOST_COLUMNS: usize = 40;
const PERIODS: [i32; 9] = [1, 5, 10, 25, 50, 100, 250, 500, 1000];

/// Each series' counts per year as counts per column: a year each, or a period each when the
/// years are more than `MOST_COLUMNS`. Every series gets the same columns, labelled as
/// `1990` or `1990–1999`.
fn in_periods(series: &[(String, BTreeMap<i16, u32>)]) -> (Vec<String>, Vec<Vec<u32>>) {
    let years = || {
        series
            .iter()
            .flat_map(|(_, c)| c.keys().map(|&y| i32::from(y)))
    };
    let (Some(first), Some(last)) = (years().min(), years().max()) else {
        return (Vec::new(), vec![Vec::new(); series.len()]);
    };
    let columns = |period: i32| (last.div_euclid(period) - first.div_euclid(period) + 1) as usize;
    let period = PERIODS
        .into_iter()
        .find(|&p| columns(p) <= MOST_COLUMNS)
        .unwrap_or_else(|| (last - first) / (MOST_COLUMNS as i32 - 1) + 1);
    let start = first.div_euclid(period);
    let labels = (start..=last.div_euclid(period))
        .map(|column| match period {
            1 => column.to_string(),
            p => format!("{}–{}", column * p, column * p + p - 1),
        })
        .collect::<Vec<_>>();
    let counts = series
        .iter()
        .map(|(_, c)| {
            let mut counts = vec![0; labels.len()];
            for (&year, &n) in c {
                counts[(i32::from(year).div_euclid(period) - start) as usize] += n;
            }
            counts
        })
        .collect();
    (labels, counts)
}

fn columns(
    id: &'static str,
    title: String,
    series: Vec<(String, BTreeMap<i16, u32>)>,
    locale: &Locale,
) -> Option<ChartView> {
    let (years, counted) = in_periods(&series);
    if years.is_empty() || counted.iter().all(|c| c.iter().all(|&n| n == 0)) {
        return None;
    }
    let series: Vec<(String, Vec<u32>)> = series
        .into_iter()
        .map(|(label, _)| label)
        .zip(counted)
        .collect();
    let labelled = series.len() > 1;
    let left = if labelled { 150.0 } else { 34.0 };
    let plot_w = WIDTH - left - 4.0;
    let band_h = if labelled { 44.0 } else { 120.0 };
    let gap = 12.0;
    let slot = plot_w / years.len() as f64;
    let bar_w = (slot * 0.8).clamp(1.0, 40.0).round();
    let mut views = Vec::new();
    for (i, (label, counts)) in series.iter().enumerate() {
        let top = i as f64 * (band_h + gap) + 4.0;
        let base = (top + band_h).round();
        let highest = counts.iter().copied().max().unwrap_or(0);
        let max = highest.max(1);
        let mut path = String::new();
        for (j, n) in counts.iter().enumerate() {
            if *n == 0 {
                continue;
            }
            // A bar is a vertical line as wide as `bar_width` (stroke-width): `M12 100V40` is
            // half the bytes of a closed rectangle, which keeps 20 years of 4 topics < 5 kB.
            let h = (band_h * *n as f64 / max as f64).round().max(1.0);
            let x = (left + j as f64 * slot + slot / 2.0).round();
            path.push_str(&format!("M{x} {base}V{}", base - h));
        }
        views.push(SeriesView {
            label: shorten(label, 20),
            path,
            label_x: left - 8.0,
            label_y: round(top + band_h / 2.0 + 4.0),
            value_x: left - 6.0,
            max: highest,
            top_y: round(top + 9.0),
            axis: format!("M{left} {}H{}", base + 0.5, WIDTH - 4.0),
        });
    }
    let height = series.len() as f64 * (band_h + gap) + 14.0;
    // Years under the axis: all of them when they fit, else about eight.
    let step = years.len().div_ceil(8).max(1);
    let ticks = years
        .iter()
        .enumerate()
        .filter(|(j, _)| j % step == 0 || *j == years.len() - 1)
        .filter(|(j, _)| *j == years.len() - 1 || years.len() - 1 - j >= step.min(2))
        .map(|(j, y)| Tick {
            x: round(left + j as f64 * slot + slot / 2.0),
            y: height - 2.0,
            label: y.clone(),
        })
        .collect();
    let desc = series
        .iter()
        .map(|(label, counts)| {
            let numbers = years
                .iter()
                .zip(counts)
                .map(|(y, n)| format!("{y}: {n}"))
                .collect::<Vec<_>>()
                .join(", ");
            if label.is_empty() {
                numbers
            } else {
                format!("{label}: {numbers}")
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    let mut headers = vec![locale.word("chart.year")];
    headers.extend(series.iter().map(|(label, _)| {
        if label.is_empty() {
            locale.word("chart.forums")
        } else {
            label.clone()
        }
    }));
    let rows = years
        .iter()
        .enumerate()
        .map(|(j, y)| {
            std::iter::once(y.clone())
                .chain(series.iter().map(|(_, c)| c[j].to_string()))
                .collect()
        })
        .collect();
    Some(ChartView {
        id,
        kind: "columns",
        table: TableView {
            caption: title.clone(),
            headers,
            rows,
        },
        title,
        desc: format!("{desc}."),
        width: WIDTH,
        height,
        bar_width: bar_w,
        series: views,
        ticks,
    })
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A label that fits its column: at most `max` characters, with an ellipsis.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out = out.trim_end().to_string();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_years_are_zero_and_labels_are_short() {
        let mut c: BTreeMap<i16, u32> = [(2019, 2), (2022, 1)].into_iter().collect();
        fill_years(&mut c);
        assert_eq!(c.len(), 4);
        assert_eq!(c[&2020], 0);
        assert_eq!(shorten("State Support Agency for NGOs", 10), "State Sup…");
    }

    #[test]
    fn thirty_years_of_bars_stay_small() {
        let counts: BTreeMap<i16, u32> = (1995..2025).map(|y| (y, (y % 7) as u32 + 1)).collect();
        let words = crate::i18n::Words::new(&[], &["en".to_string()]).unwrap();
        let locale = Locale::new("en", &["en".to_string()], std::sync::Arc::new(words));
        let chart = columns("x", "T".into(), vec![(String::new(), counts)], &locale).unwrap();
        assert_eq!(chart.table.rows.len(), 30);
        assert!(
            chart.series[0].path.len() < 1500,
            "{}",
            chart.series[0].path.len()
        );
        assert!(chart.ticks.len() <= 9);
        assert!(chart.desc.starts_with("1995: 1, 1996: 2"), "{}", chart.desc);
    }

    /// An archive of 66 years, or one date mistyped by centuries, is drawn in periods: at
    /// most `MOST_COLUMNS` columns, every forum counted once, the chart a few kilobytes.
    #[test]
    fn a_long_span_of_years_is_drawn_in_periods() {
        let words = crate::i18n::Words::new(&[], &["en".to_string()]).unwrap();
        let locale = Locale::new("en", &["en".to_string()], std::sync::Arc::new(words));
        let mut sixty_six: BTreeMap<i16, u32> = (1960..=2025).map(|y| (y, 1)).collect();
        fill_years(&mut sixty_six);
        let chart = columns("x", "T".into(), vec![(String::new(), sixty_six)], &locale).unwrap();
        assert_eq!(chart.table.rows.len(), 14);
        assert_eq!(chart.table.rows[0], ["1960–1964", "5"]);
        assert_eq!(chart.table.rows[13], ["2025–2029", "1"]);

        let mut typo: BTreeMap<i16, u32> = [(205, 1), (2024, 3), (2025, 2)].into_iter().collect();
        fill_years(&mut typo);
        let series: Vec<(String, BTreeMap<i16, u32>)> = (0..4)
            .map(|i| (format!("topic {i}"), typo.clone()))
            .collect();
        let chart = columns("x", "T".into(), series, &locale).unwrap();
        assert!(
            chart.table.rows.len() <= MOST_COLUMNS,
            "{}",
            chart.table.rows.len()
        );
        assert_eq!(chart.table.rows[0], ["200–249", "1", "1", "1", "1"]);
        assert_eq!(chart.table.rows.last().unwrap()[1], "5");
        let size = chart.desc.len()
            + chart
                .series
                .iter()
                .map(|s| s.path.len() + s.axis.len())
                .sum::<usize>();
        assert!(size < 3000, "{size}");
    }
}
