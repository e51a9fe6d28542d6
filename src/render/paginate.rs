//! Pagination: long lists of forums (a busy speaker's appearances, an organization's forums,
//! a topic, a series, a year) split over pages of `paginate:` forums each, so that no page
//! grows with the archive. The first page stays at the entity's own address; the others are
//! at `<page>/page/2/`, `<page>/page/3/`, ... (see `routes::Route::ListPage`). Each page gets
//! a `Pager` for its template: numbered links, previous and next (also given to the page's
//! `<head>` as `rel="prev"` and `rel="next"`).

use super::routes::{Listed, Route, Urls};
use serde::Serialize;

/// How many pages a list of `len` items takes; an empty list still has its one page.
pub fn page_count(len: usize, per_page: usize) -> usize {
    len.div_ceil(per_page.max(1)).max(1)
}

/// The items page `page` (from 1) shows of a list of `len`.
pub fn range(page: usize, per_page: usize, len: usize) -> std::ops::Range<usize> {
    let start = ((page.max(1) - 1) * per_page).min(len);
    start..(start + per_page).min(len)
}

/// The items of `range` of a list made of groups (`items` gives a group's items), still
/// grouped; a group cut by the range keeps its heading on both pages. Each group of the page
/// is made by `part` from a group of `groups` and its items on the page, so that a page
/// copies only what it shows of a list that every page shares.
pub fn slice_grouped<G, T: Clone, P>(
    groups: &[G],
    range: std::ops::Range<usize>,
    items: impl Fn(&G) -> &[T],
    part: impl Fn(&G, Vec<T>) -> P,
) -> Vec<P> {
    let mut seen = 0;
    let mut out = Vec::new();
    for group in groups {
        let all = items(group);
        let len = all.len();
        let (from, to) = (
            range.start.saturating_sub(seen).min(len),
            range.end.saturating_sub(seen).min(len),
        );
        seen += len;
        if from < to {
            out.push(part(group, all[from..to].to_vec()));
        }
        if seen >= range.end {
            break;
        }
    }
    out
}

/// The pages of a list and where this one stands among them.
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    /// This page's number, from 1.
    pub current: usize,
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// Numbered links: the first, the last, and two on each side of this page; a `None`
    /// number marks a gap (shown as an ellipsis).
    pub links: Vec<PagerLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PagerLink {
    pub number: Option<usize>,
    pub href: Option<String>,
    pub current: bool,
}

/// The address of page `page` of `listed`'s list.
pub fn route(listed: Listed<'_>, page: usize) -> Route<'_> {
    if page <= 1 {
        listed.page()
    } else {
        Route::ListPage(listed, page as u32)
    }
}

/// The pager of page `current` of `total`; `None` when the list fits on one page.
pub fn pager(urls: &Urls, listed: Listed<'_>, current: usize, total: usize) -> Option<Pager> {
    if total <= 1 {
        return None;
    }
    let href = |n: usize| urls.href(route(listed, n));
    let mut links = Vec::new();
    let mut last_shown = 0;
    for n in 1..=total {
        let near = n.abs_diff(current) <= 2;
        if n == 1 || n == total || near {
            if n > last_shown + 1 {
                links.push(PagerLink {
                    number: None,
                    href: None,
                    current: false,
                });
            }
            links.push(PagerLink {
                number: Some(n),
                href: Some(href(n)),
                current: n == current,
            });
            last_shown = n;
        }
    }
    Some(Pager {
        current,
        total,
        previous: (current > 1).then(|| href(current - 1)),
        next: (current < total).then(|| href(current + 1)),
        links,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::views::YearGroup;

    #[test]
    fn pages_split_a_list_without_losing_or_repeating_an_item() {
        assert_eq!(page_count(0, 30), 1);
        assert_eq!(page_count(30, 30), 1);
        assert_eq!(page_count(31, 30), 2);
        assert_eq!(range(2, 30, 31), 30..31);
        assert_eq!(range(3, 30, 31), 31..31);
        let groups = vec![
            YearGroup {
                year: "2025".into(),
                items: vec![1, 2, 3],
            },
            YearGroup {
                year: "2024".into(),
                items: vec![4, 5],
            },
        ];
        let page: Vec<(String, Vec<i32>)> = slice_grouped(
            &groups,
            2..4,
            |g| &g.items,
            |g, items| (g.year.clone(), items),
        );
        assert_eq!(
            page,
            vec![("2025".to_string(), vec![3]), ("2024".to_string(), vec![4])]
        );
    }

    #[test]
    fn the_pager_links_the_ends_and_the_neighbours() {
        let urls = Urls::new("https://example.org/", "/");
        let p = pager(&urls, Listed::Speaker("ann"), 6, 12).unwrap();
        let numbers: Vec<Option<usize>> = p.links.iter().map(|l| l.number).collect();
        assert_eq!(
            numbers,
            [None, Some(4), Some(5), Some(6), Some(7), Some(8), None]
                .iter()
                .copied()
                .fold(vec![Some(1)], |mut v, n| {
                    v.push(n);
                    v
                })
                .into_iter()
                .chain([Some(12)])
                .collect::<Vec<_>>()
        );
        assert_eq!(p.previous.as_deref(), Some("/speakers/ann/page/5/"));
        assert_eq!(p.next.as_deref(), Some("/speakers/ann/page/7/"));
        let first = pager(&urls, Listed::Speaker("ann"), 2, 2).unwrap();
        assert_eq!(first.previous.as_deref(), Some("/speakers/ann/"));
        assert!(pager(&urls, Listed::Speaker("ann"), 1, 1).is_none());
    }
}
