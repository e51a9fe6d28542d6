//! What a draft keeps out of the site besides its own page: the files only drafts link to.
//!
//! An editor preparing a report puts its programme, its slides or its photos beside it and
//! links them. `draft: true` promises that the report is not published; a PDF published at
//! an address anyone can guess from the report's would break that promise. Pictures already
//! follow it (an image is published only when a published page shows it, see `images`);
//! this does the same for every other file: one that a draft links to is left out, unless a
//! published report, profile, page or translation links to it too. Files no draft links to
//! are published as before, linked or not.

use crate::links::{UrlKind, classify};
use crate::load::{Asset, Content, Document};
use pulldown_cmark::{Event, Parser, Tag};
use std::collections::HashSet;

/// The assets to publish: all of `assets` but the files drafts link to and no published text
/// links to. Returns them with the output paths of those left out.
pub(super) fn publishable(content: &Content, assets: Vec<Asset>) -> (Vec<Asset>, Vec<String>) {
    let linked = drafts_links(content);
    if linked.is_empty() {
        return (assets, Vec::new());
    }
    let candidates: Vec<&Asset> = assets
        .iter()
        .filter(|a| linked.contains(a.output.as_str()))
        .collect();
    if candidates.is_empty() {
        return (assets, Vec::new());
    }
    let named = named_by_published_texts(content, &candidates);
    let withheld: HashSet<String> = candidates
        .iter()
        .filter(|a| !named.contains(a.output.as_str()))
        .map(|a| a.output.clone())
        .collect();
    let (withheld_assets, kept): (Vec<Asset>, Vec<Asset>) = assets
        .into_iter()
        .partition(|a| withheld.contains(&a.output));
    let mut left_out: Vec<String> = withheld_assets.into_iter().map(|a| a.output).collect();
    left_out.sort();
    (kept, left_out)
}

/// The drafts, as links name them (`forums/2025/x`, `about`): a link to one is told as such.
pub(super) fn draft_keys(content: &Content) -> Vec<String> {
    let mut keys: Vec<String> = draft_files(content)
        .into_iter()
        .filter_map(|file| {
            let shown = file.to_str()?;
            let inside = shown.split_once("content/").map_or(shown, |(_, rest)| rest);
            inside.strip_suffix(".md").map(str::to_string)
        })
        .collect();
    keys.sort();
    keys
}

/// The files (output paths, relative to `content/`) the drafts link to from their text or
/// name in their `image:` field.
fn drafts_links(content: &Content) -> HashSet<String> {
    let mut linked = HashSet::new();
    for report in content.reports.iter().filter(|d| d.front.draft) {
        linked.extend(links_of(report, &report.body.get()));
        if let Some(image) = &report.front.image {
            linked.extend(resolve(folder_of(report), image));
        }
    }
    for page in content.pages.iter().filter(|d| d.front.draft) {
        linked.extend(links_of(page, &page.body.get()));
    }
    let drafts = draft_files(content);
    for t in content
        .translations
        .iter()
        .filter(|t| drafts.contains(t.original.as_path()))
    {
        linked.extend(links_of(&t.doc, &t.doc.body.get()));
    }
    linked
}

/// The draft reports and pages, as shown in messages (what a translation names as its
/// original).
fn draft_files(content: &Content) -> HashSet<&std::path::Path> {
    let reports = content
        .reports
        .iter()
        .filter(|d| d.front.draft)
        .map(|d| d.file.as_path());
    let pages = content
        .pages
        .iter()
        .filter(|d| d.front.draft)
        .map(|d| d.file.as_path());
    reports.chain(pages).collect()
}

/// The files a document's Markdown links to or shows, as output paths.
fn links_of<F>(doc: &Document<F>, body: &str) -> Vec<String> {
    let folder = folder_of(doc);
    Parser::new(body)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                resolve(folder, &dest_url)
            }
            _ => None,
        })
        .collect()
}

/// The folder of a document inside `content/` (`forums/2025`), from its path as shown
/// (`content/forums/2025/x.md`).
fn folder_of<F>(doc: &Document<F>) -> &str {
    let shown = doc.file.to_str().unwrap_or_default();
    let inside = shown.split_once("content/").map_or(shown, |(_, rest)| rest);
    inside.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// The output path a link from a file in `folder` names, if it names a file of the site:
/// `programme.pdf` from `forums/2025` is `forums/2025/programme.pdf`; `@/` and `/` start
/// at `content/`. `None` for another site, a fragment alone, or a path out of `content/`.
fn resolve(folder: &str, url: &str) -> Option<String> {
    if classify(url) != UrlKind::Relative || url.starts_with("//") {
        return None;
    }
    let path = url.split(['#', '?']).next().unwrap_or_default();
    if path.is_empty() {
        return None;
    }
    let (start, rest) = if let Some(rest) = path.strip_prefix("@/") {
        ("", rest)
    } else if let Some(rest) = path.strip_prefix('/') {
        ("", rest)
    } else {
        (folder, path)
    };
    crate::links::join(start, rest).filter(|joined| !joined.is_empty())
}

/// Which of `candidates` a published report, profile, page or translation links to or
/// shows (its text, or its `image:`, `photo:` or `logo:`). Only the texts that mention a
/// candidate's file name at all (one pass over all of them for all the names) are parsed
/// for their links: a link elsewhere with the same file name (another site's
/// `programme.pdf`) is not one to this file.
fn named_by_published_texts<'a>(
    content: &'a Content,
    candidates: &[&'a Asset],
) -> HashSet<&'a str> {
    let mut needles: Vec<String> = Vec::new();
    for asset in candidates {
        let name = asset.output.rsplit('/').next().unwrap_or(&asset.output);
        let encoded =
            percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        needles.extend([name.to_string(), encoded, name.replace(' ', "%20")]);
    }
    let wanted: HashSet<&str> = candidates.iter().map(|a| a.output.as_str()).collect();
    let Ok(finder) = aho_corasick::AhoCorasick::new(&needles) else {
        // Cannot search: withhold nothing.
        return wanted;
    };
    let mentions = |text: &str| finder.is_match(text);
    let mut named = HashSet::new();
    let mut linked = |links: Vec<String>| {
        for link in links {
            if let Some(&path) = wanted.get(link.as_str()) {
                named.insert(path);
            }
        }
    };
    let field = |doc_folder: &str, value: Option<&crate::load::documents::Text>| {
        value
            .and_then(|v| resolve(doc_folder, v))
            .into_iter()
            .collect::<Vec<_>>()
    };
    for d in content.reports.iter().filter(|d| !d.front.draft) {
        if mentions(&d.body.get()) || mentions(&d.yaml.get()) {
            linked(links_of(d, &d.body.get()));
            linked(field(folder_of(d), d.front.image.as_ref()));
        }
    }
    for d in content.pages.iter().filter(|d| !d.front.draft) {
        if mentions(&d.body.get()) {
            linked(links_of(d, &d.body.get()));
        }
    }
    for d in &content.speakers {
        if mentions(&d.body.get()) || mentions(&d.yaml.get()) {
            linked(links_of(d, &d.body.get()));
            linked(field(folder_of(d), d.front.photo.as_ref()));
        }
    }
    for d in &content.organizations {
        if mentions(&d.body.get()) || mentions(&d.yaml.get()) {
            linked(links_of(d, &d.body.get()));
            linked(field(folder_of(d), d.front.logo.as_ref()));
        }
    }
    if let Some(site) = content.site.as_ref()
        && (mentions(&site.body.get()) || mentions(&site.yaml.get()))
    {
        linked(links_of(site, &site.body.get()));
        // The sharing image is a path in `content/`.
        linked(field("", site.front.image.as_ref()));
    }
    let drafts = draft_files(content);
    for t in &content.translations {
        if !drafts.contains(t.original.as_path()) && mentions(&t.doc.body.get()) {
            linked(links_of(&t.doc, &t.doc.body.get()));
        }
    }
    named
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_from_the_documents_folder() {
        assert_eq!(
            resolve("forums/2025", "programme.pdf").as_deref(),
            Some("forums/2025/programme.pdf")
        );
        assert_eq!(
            resolve("forums/2025", "../files/a%20b.pdf#page=2").as_deref(),
            Some("forums/files/a b.pdf")
        );
        assert_eq!(
            resolve("forums/2025", "@/files/x.pdf").as_deref(),
            Some("files/x.pdf")
        );
        assert_eq!(resolve("forums/2025", "/x.pdf").as_deref(), Some("x.pdf"));
        assert_eq!(resolve("forums/2025", "https://example.org/x.pdf"), None);
        assert_eq!(resolve("forums/2025", "#top"), None);
        assert_eq!(resolve("forums", "../../x.pdf"), None);
    }
}
