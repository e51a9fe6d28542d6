//! Knowing, cheaply, that a build would change nothing.
//!
//! Editors run `podium build` again and again, often with nothing changed since the last
//! time (a deploy script, a habit). Loading, resolving and rendering 10,000 reports only to
//! find every file equal costs seconds; asking the file system whether anything changed costs
//! a stat of every input and every output file. So a build that succeeded without a warning
//! records a digest of its inputs (every file under `content/` the load reads and every
//! file under `themes/`, by path, size, modification time and change time, which no tool
//! sets back; which Podium; "today"; where the output goes) beside the output, and the next
//! build stops early when the digest is the same and every output file is still exactly as
//! the manifest recorded it. Anything else (a touched file, a new or deleted one, another
//! day, an output file edited by hand, a lost record) runs the whole build.

use crate::load::SourceStamp;
use crate::load::walk::Walked;
use crate::{BuildOptions, Today, render::PageCounts};
use std::path::Path;

const HEADER: &str = "podium-inputs 1";

/// Everything a build reads, as the file system describes it: the digest, and `content/`
/// as walked for it (with each file's metadata), which the load then takes instead of
/// walking again.
pub struct Inputs {
    pub digest: u64,
    pub content: Walked,
}

/// Walk and describe everything a build reads. The sources are those the load reads:
/// `content/` without editors' temporary files (a swap file saved beside a report changes
/// nothing), and every file of `themes/`.
pub fn inputs(options: &BuildOptions, out: &Path) -> Inputs {
    use std::hash::{Hash, Hasher};
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    (
        crate::render::podium_identity(),
        out.to_string_lossy(),
        options.root.to_string_lossy(),
    )
        .hash(&mut h);
    match options.today {
        Today::Fixed(d) => d.to_string().hash(&mut h),
        Today::At(moment) => moment.as_second().hash(&mut h),
        // The clock's "today" is read in the site's time zone, which some offsets put at a
        // quarter hour: a record is good for the quarter hour it was made in.
        Today::Clock => (jiff::Timestamp::now().as_second() / 900).hash(&mut h),
    }
    // The privacy key decides protected people's addresses.
    std::env::var_os(crate::privacy::key::KEY_VARIABLE).hash(&mut h);
    std::fs::read(options.root.join(crate::privacy::key::KEY_FILE))
        .ok()
        .hash(&mut h);
    let mut content = crate::load::walk::walk_content(&options.root, &options.root.join("content"));
    content.read_metadata();
    for (file, metadata) in content.files.iter().zip(&content.metadata) {
        let stamp = metadata.as_ref().map(SourceStamp::of);
        (file.absolute.to_string_lossy(), stamp).hash(&mut h);
    }
    // A walk that met a problem (a link out of the site, a loop) fails the build, which then
    // records nothing; counted all the same.
    content.diags.iter().count().hash(&mut h);
    let walker = walkdir::WalkDir::new(options.root.join("themes"))
        .follow_links(true)
        .sort_by_file_name();
    for entry in walker.into_iter().flatten() {
        let stamp = entry.metadata().ok().map(|m| SourceStamp::of(&m));
        (entry.path().to_string_lossy(), stamp).hash(&mut h);
    }
    Inputs {
        digest: h.finish(),
        content,
    }
}

/// The page counts of the last build, if it had these inputs.
pub fn previous_build(state: &Path, digest: u64) -> Option<PageCounts> {
    let text = std::fs::read_to_string(state.join("inputs")).ok()?;
    let mut lines = text.lines();
    (lines.next()? == HEADER).then_some(())?;
    (lines.next()? == format!("{digest:016x}")).then_some(())?;
    serde_json::from_str(lines.next()?).ok()
}

/// Record that a build with these inputs made these pages. Failing to is no error: the next
/// build simply runs whole.
pub fn record(state: &Path, digest: u64, counts: &PageCounts) {
    let Ok(counts) = serde_json::to_string(counts) else {
        return;
    };
    let temporary = state.join("inputs.tmp");
    if std::fs::write(&temporary, format!("{HEADER}\n{digest:016x}\n{counts}\n")).is_ok() {
        let _ = std::fs::rename(&temporary, state.join("inputs"));
    }
}

/// Forget the record (before the output changes).
pub fn forget(state: &Path) {
    let _ = std::fs::remove_file(state.join("inputs"));
}
