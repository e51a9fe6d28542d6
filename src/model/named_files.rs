//! Files that front matter names (a report's `image:`, a speaker's `photo:`, an
//! organization's `logo:`, the site's sharing `image:`) and the site does not have.
//!
//! Such a name is a typo or a file not copied yet. It is told here, where the front matter is
//! still at hand, at the line and column of the value; and the model forgets it, so that no
//! page shows a broken picture or shares an address that leads nowhere (a forum's sharing
//! image is then the site's, as for a forum without one).

use super::empty_markdown_of;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::links::{UrlKind, classify, join};
use crate::load::documents::Text;
use crate::load::{Asset, Content, Document};
use std::collections::HashSet;
use std::path::PathBuf;

/// The documents whose named file is missing (each told once, as a warning).
#[derive(Debug, Default)]
pub(super) struct MissingFiles {
    pub documents: HashSet<PathBuf>,
}

impl MissingFiles {
    pub fn of(&self, file: &std::path::Path) -> bool {
        self.documents.contains(file)
    }
}

/// Look for every file named in `content`'s front matter among `assets`.
pub(super) fn missing(
    content: &Content,
    assets: &[Asset],
    diags: &mut Diagnostics,
) -> MissingFiles {
    let files: HashSet<&str> = assets.iter().map(|a| a.output.as_str()).collect();
    let mut missing = MissingFiles::default();
    let mut look = |file: &PathBuf, found: Option<Diagnostic>| {
        if let Some(warning) = found {
            diags.push(warning);
            missing.documents.insert(file.clone());
        }
    };
    for doc in content.reports.iter().filter(|d| !d.front.draft) {
        look(
            &doc.file,
            absent(doc, "image", doc.front.image.as_ref(), &files),
        );
    }
    for doc in &content.speakers {
        look(
            &doc.file,
            absent(doc, "photo", doc.front.photo.as_ref(), &files),
        );
    }
    for doc in &content.organizations {
        look(
            &doc.file,
            absent(doc, "logo", doc.front.logo.as_ref(), &files),
        );
    }
    if let Some(doc) = &content.site {
        look(
            &doc.file,
            absent(doc, "image", doc.front.image.as_ref(), &files),
        );
    }
    missing
}

/// The warning for the file `doc` names under `key`, if it is a path in `content/` that
/// `files` does not hold. Addresses elsewhere (`https://`, `/logo.svg` from the theme) are
/// not looked at.
fn absent<F>(
    doc: &Document<F>,
    key: &str,
    url: Option<&Text>,
    files: &HashSet<&str>,
) -> Option<Diagnostic> {
    let url = url?.trim();
    if url.is_empty() || classify(url) != UrlKind::Relative || url.starts_with(['/', '#', '?']) {
        return None;
    }
    let path = url.split(['#', '?']).next().unwrap_or(url);
    let joined = match path.strip_prefix("@/") {
        Some(site_path) => join("", site_path),
        None => join(&empty_markdown_of(doc).base_dir, path),
    };
    if joined.as_deref().is_some_and(|p| files.contains(p)) {
        return None;
    }
    let why = match joined {
        Some(_) => {
            format!("`{key}`: `{url}` names a file that does not exist; the page shows no picture")
        }
        None => {
            format!("`{key}`: `{url}` points above the content folder; the page shows no picture")
        }
    };
    Some(
        doc.diagnostic(
            Diagnostic::warning(why).with_help(
                "put the file beside the Markdown file that names it (or name it from `content/` as `@/forums/2025/hall.jpg`), or give a full https:// URL",
            ),
            doc.value_span(key, url),
        ),
    )
}
