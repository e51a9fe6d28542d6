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
//! serves `podium search` and the tests. docs/search.md has the rules and the figures.
//!
//! The entry point for building is `files`; for querying, `matcher::search`.

pub mod fold;
pub mod index;
pub mod matcher;

pub use index::{ReportPages, Texts, indexed_speaker};
pub use matcher::{Found, OutputFolder, SearchError, search};

use crate::model::Model;
use crate::render::routes::Route;
use crate::write::{Contents, OutputFile};

/// The version of the index's file format; the browser and `podium search` refuse another.
pub const FORMAT_VERSION: u32 = 1;

/// The search index's files, each handed to `sink` as it is made. `pages` gives each
/// report's page fingerprint and its text as the render stage renders it (HTML); `texts`
/// holds the words already taken from reports, by page fingerprint; `locale` is the site's
/// default language (the index's words).
pub fn files(
    model: &Model,
    pages: &ReportPages,
    texts: &mut Texts,
    locale: &crate::i18n::Locale,
    sink: &(dyn Fn(OutputFile<'static>) + Sync),
) {
    let started = std::time::Instant::now();
    let emit = |name: String, bytes: Vec<u8>| {
        sink(OutputFile {
            path: Route::SearchData(&name).output_file(),
            contents: Contents::Bytes(bytes),
            origin: format!("search index {name}"),
        })
    };
    index::build(model, pages, texts, &index::Labels::new(locale), &emit);
    if std::env::var_os("PODIUM_TIMINGS").is_some() {
        // A part of a stage of `crate::timing` (render), timed alone.
        eprintln!(
            "search index: {:>6.0} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
}
