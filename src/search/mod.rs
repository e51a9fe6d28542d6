//! Search: finding people, organizations and forums by any spelling of their names, in a
//! static site with no server.
//!
//! Readers type names the way they know them (`Aliyeva`, `Əliyeva`, `Алиева`), so every
//! word, on the index side and on the query side alike, is folded by the same rules
//! (`fold`) into a key that its Azerbaijani, Russian and English spellings share. The index
//! (`index`) is built from the model and from the report text the render stage produced,
//! and written as small files under `search/` that a reader's browser fetches as needed:
//! one shard per two-letter start of a word, and the records of the results shown.
//! `matcher` runs a query over those files exactly as `search.js` does in the browser; it
//! serves `podium search` and the tests. When only some reports' words changed since the
//! index in the output was made, `patch` makes again only the shards of the names they
//! gained or lost. docs/search.md has the rules and the figures.
//!
//! The entry point for building is `files`; for querying, `matcher::search`.

pub mod fold;
pub mod index;
pub mod matcher;
pub mod patch;

pub use index::{ReportPages, Texts, indexed_speaker};
pub use matcher::{Found, OutputFolder, SearchError, search};
pub use patch::Stamp;

use crate::model::Model;
use crate::render::PreviousOutput;
use crate::render::routes::Route;
use crate::write::{Contents, OutputFile};

/// The version of the index's file format; the browser and `podium search` refuse another.
pub const FORMAT_VERSION: u32 = 1;

/// The search index's files, each handed to `sink` as it is made; returns the paths of the
/// files kept as the output holds them (when the last index was patched, see `patch`).
/// `pages` gives each report's page fingerprint and its text as the render stage renders it
/// (HTML); `texts` holds the words already taken from reports, by page fingerprint, and
/// what the last index was made from; `locale` is the site's default language (the index's
/// words); `from`: what the files are made from besides the reports' words, and the output
/// the last index is in. Without it (`serve`, `check`) the index is made whole, and what it
/// was made from is not recorded: nothing could be patched from it.
pub fn files(
    model: &Model,
    pages: &ReportPages,
    texts: &mut Texts,
    locale: &crate::i18n::Locale,
    from: Option<(Stamp, &PreviousOutput)>,
    sink: &(dyn Fn(OutputFile<'static>) + Sync),
) -> Vec<String> {
    let started = std::time::Instant::now();
    let path = |name: &str| Route::SearchData(name).output_file();
    let emit = |name: String, bytes: Vec<u8>| {
        sink(OutputFile {
            path: path(&name),
            contents: Contents::Bytes(bytes),
            origin: format!("search index {name}"),
        })
    };
    let labels = index::Labels::new(locale);
    let mut patched = || {
        let (stamp, previous) = from?;
        let made = texts.made.as_ref()?.stamp.fingerprint;
        let old = (previous.made_with)(made)?;
        let fingerprints = texts.complete(model, pages);
        let read = |name: &str| (previous.read)(&path(name));
        let patched = patch::patch(model, texts, &fingerprints, stamp, &labels, &read, &emit)?;
        let changed: std::collections::HashSet<String> = patched
            .written
            .iter()
            .chain(&patched.removed)
            .map(|n| path(n))
            .collect();
        Some(old.into_iter().filter(|p| !changed.contains(p)).collect())
    };
    let kept = patched().unwrap_or_else(|| {
        index::build(
            model,
            pages,
            texts,
            &labels,
            from.map(|(stamp, _)| stamp),
            &emit,
        );
        Vec::new()
    });
    if std::env::var_os("PODIUM_TIMINGS").is_some() {
        // A part of a stage of `crate::timing` (render), timed alone.
        let how = if kept.is_empty() { "" } else { " (patched)" };
        eprintln!(
            "search index: {:>6.0} ms{how}",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    kept
}
