//! The floors under a build, for `docs/benchmarks.md`: how long reading every input takes,
//! parsing it, resolving the model, drawing its connections, rendering every Markdown body
//! alone, and rendering the whole site without writing it. The distance from these to a full build is what the
//! pipeline costs.
//!
//! `cargo run --release --example floors -- <site root>`

use std::time::Instant;

fn main() {
    let root =
        std::path::PathBuf::from(std::env::args().nth(1).expect("usage: floors <site root>"));
    let today = podium::Today::Fixed(jiff::civil::date(2025, 11, 1));

    let started = Instant::now();
    let mut bytes = 0u64;
    for entry in walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_file() {
            bytes += std::fs::read(entry.path())
                .map(|b| b.len() as u64)
                .unwrap_or(0);
        }
    }
    report(
        "read every input file",
        started,
        &format!("{} MB", bytes / 1_000_000),
    );

    let started = Instant::now();
    let (content, diags) = podium::load::load_content(&root);
    report(
        "load: read + split + parse front matter",
        started,
        &format!(
            "{} reports, {} problems",
            content.reports.len(),
            diags.iter().count()
        ),
    );

    let bodies: Vec<String> = content
        .reports
        .iter()
        .map(|d| d.body.get().into_owned())
        .collect();
    let started = Instant::now();
    let html: usize = {
        use rayon::prelude::*;
        bodies
            .par_iter()
            .map(|b| {
                let mut out = String::new();
                let options = pulldown_cmark::Options::ENABLE_TABLES
                    | pulldown_cmark::Options::ENABLE_FOOTNOTES;
                pulldown_cmark::html::push_html(
                    &mut out,
                    pulldown_cmark::Parser::new_ext(b, options),
                );
                out.len()
            })
            .sum()
    };
    report(
        "render every Markdown body alone (pulldown-cmark, all cores)",
        started,
        &format!("{} MB of HTML", html / 1_000_000),
    );

    let started = Instant::now();
    let (model, _) = podium::model::build_model(content, today)
        .unwrap_or_else(|d| panic!("{} errors", d.error_count()));
    report(
        "model: resolve names, build edges",
        started,
        &format!(
            "{} speakers, {} organizations",
            model.speakers.len(),
            model.organizations.len()
        ),
    );

    // Connections (issue 16), whole and by part: what they add to every build.
    let started = Instant::now();
    let connections = podium::connections::Connections::new(&model);
    report(
        "connections: quotes, related forums, careers, co-appearances",
        started,
        &format!("{} quotes", connections.quotes.len()),
    );
    let started = Instant::now();
    let related = podium::connections::related::related(&model);
    report(
        "  of which related forums",
        started,
        &format!(
            "{} forums with some",
            related.iter().filter(|r| !r.is_empty()).count()
        ),
    );
    let started = Instant::now();
    let quotes: usize = {
        use rayon::prelude::*;
        model
            .forums
            .par_iter()
            .map(|f| podium::connections::quotes::find(&model, f).0.len())
            .sum()
    };
    report("  of which quotes", started, &format!("{quotes} quotes"));
    let started = Instant::now();
    let careers: usize = {
        use rayon::prelude::*;
        model
            .speakers
            .par_iter()
            .map(|s| podium::connections::careers::careers(&model, s).len())
            .sum()
    };
    report("  of which careers", started, &format!("{careers} ranges"));
    let started = Instant::now();
    let pairs: usize = {
        use rayon::prelude::*;
        let people: usize = model
            .speakers
            .par_iter()
            .map(|s| podium::connections::together::often_with(&model, s).len())
            .sum();
        let organizations: usize = model
            .organizations
            .par_iter()
            .map(|o| podium::connections::together::works_with(&model, o).len())
            .sum();
        people + organizations
    };
    report(
        "  of which co-appearances",
        started,
        &format!("{pairs} shown"),
    );

    let theme =
        podium::render::theme::Theme::load(&root, &model.site.theme, &model.translations.languages)
            .expect("theme");
    let started = Instant::now();
    let files = std::sync::atomic::AtomicUsize::new(0);
    let out_bytes = std::sync::atomic::AtomicUsize::new(0);
    let sink = |f: podium::write::OutputFile| {
        files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut len = 0;
        f.contents.each_piece(&mut |piece| len += piece.len());
        out_bytes.fetch_add(len, std::sync::atomic::Ordering::Relaxed);
    };
    // Rendering alone: images are measured in docs/benchmarks.md.
    let gallery = Default::default();
    podium::render::render_site(&model, &theme, gallery, &sink, &|_, _| false).expect("render");
    report(
        "render the whole site, writing nothing",
        started,
        &format!(
            "{} files, {} MB",
            files.into_inner(),
            out_bytes.into_inner() / 1_000_000
        ),
    );
}

fn report(what: &str, started: Instant, detail: &str) {
    println!(
        "{:>8.3} s  {what} ({detail})",
        started.elapsed().as_secs_f64()
    );
}
