//! Test harness: sites written inline as one string, built into a temporary folder.
//!
//! A site is a txtar-like text: each `-- path --` line starts a file, and the lines up to the
//! next such line are its contents. Paths are relative to the site root.

use podium::{BuildOptions, BuildReport, Today};
use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub struct Site {
    pub dir: tempfile::TempDir,
}

/// The "today" every test uses unless it says otherwise.
pub fn today() -> jiff::civil::Date {
    jiff::civil::date(2025, 11, 1)
}

impl Site {
    pub fn new(txtar: &str) -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        let site = Site { dir };
        for (path, contents) in parse_txtar(txtar) {
            site.write(&path, &contents);
        }
        site
    }

    /// A site written and built, for tests that only read the output.
    pub fn built(txtar: &str) -> Site {
        let site = Site::new(txtar);
        site.build();
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, path: &str, contents: &str) {
        let full = self.root().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, contents).unwrap();
    }

    /// Make a file of the site look saved an hour ago: settled, so that the build's cache of
    /// parsed documents keeps it (it leaves out files saved in the last two seconds).
    pub fn age(&self, path: &str) {
        let file = std::fs::File::options()
            .write(true)
            .open(self.root().join(path))
            .unwrap();
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        file.set_modified(hour_ago).unwrap();
    }

    /// `age` every file under `content/`.
    pub fn age_sources(&self) {
        for entry in walkdir::WalkDir::new(self.root().join("content"))
            .into_iter()
            .flatten()
        {
            if entry.file_type().is_file() {
                let relative = entry.path().strip_prefix(self.root()).unwrap();
                self.age(relative.to_str().unwrap());
            }
        }
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root().to_path_buf(),
            output: None,
            today: Today::Fixed(today()),
            progress: false,
        }
    }

    pub fn build(&self) -> BuildReport {
        match podium::build(&self.options()) {
            Ok(report) => report,
            Err(diags) => panic!(
                "build failed:\n{}",
                diags.iter().map(|d| d.render(false)).collect::<String>()
            ),
        }
    }

    /// Build and expect failure; returns every diagnostic rendered as the terminal shows it.
    pub fn build_err(&self) -> String {
        match podium::build(&self.options()) {
            Ok(_) => panic!("build unexpectedly succeeded"),
            Err(diags) => diags.iter().map(|d| d.render(false)).collect(),
        }
    }

    /// Warnings of a successful build, rendered.
    pub fn warnings(&self) -> String {
        self.build()
            .warnings
            .iter()
            .map(|d| d.render(false))
            .collect()
    }

    pub fn read(&self, output_path: &str) -> String {
        let path = self.out().join(output_path);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    pub fn exists(&self, output_path: &str) -> bool {
        self.out().join(output_path).exists()
    }

    pub fn page(&self, output_path: &str) -> Page {
        Page(Html::parse_document(&self.read(output_path)))
    }

    /// Every file of the output, path -> bytes (for comparing whole trees).
    pub fn tree(&self) -> BTreeMap<String, Vec<u8>> {
        tree(&self.out())
    }
}

pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    files
}

pub fn parse_txtar(text: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if let Some(name) = trimmed
            .strip_prefix("-- ")
            .and_then(|r| r.strip_suffix(" --"))
        {
            files.extend(current.take());
            current = Some((name.trim().to_string(), String::new()));
        } else if let Some((_, contents)) = current.as_mut() {
            contents.push_str(line);
        }
    }
    files.extend(current);
    files
}

/// A parsed HTML page with small query helpers.
pub struct Page(pub Html);

impl Page {
    fn select(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let selector = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
        self.0.select(&selector).collect()
    }

    /// Text of every element matching `css`, whitespace collapsed.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.select(css)
            .iter()
            .map(|e| collapse(&e.text().collect::<String>()))
            .collect()
    }

    pub fn text(&self, css: &str) -> String {
        let texts = self.texts(css);
        assert!(!texts.is_empty(), "nothing matches {css}");
        texts.join(" | ")
    }

    /// `(href, text)` of every link inside `css`.
    pub fn links(&self, css: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for e in self.select(css) {
            let anchors = if e.value().name() == "a" {
                vec![e]
            } else {
                let a = Selector::parse("a[href]").unwrap();
                e.select(&a).collect()
            };
            for a in anchors {
                if let Some(href) = a.value().attr("href") {
                    out.push((href.to_string(), collapse(&a.text().collect::<String>())));
                }
            }
        }
        out
    }

    pub fn attr(&self, css: &str, attr: &str) -> Vec<String> {
        self.select(css)
            .iter()
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    pub fn count(&self, css: &str) -> usize {
        self.select(css).len()
    }

    pub fn link_to(&self, href: &str) -> bool {
        self.links("body").iter().any(|(h, _)| h == href)
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every `href` and `src` in every HTML file of `out` that points inside the site (root-
/// relative under `base_path`) must name a file that exists; returns the broken ones.
pub fn dead_internal_links(out: &Path, base_path: &str) -> Vec<String> {
    let files = tree(out);
    let selector = Selector::parse("[href], [src]").unwrap();
    let mut dead = Vec::new();
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = Html::parse_document(&String::from_utf8_lossy(bytes));
        for e in html.select(&selector) {
            for attr in ["href", "src"] {
                let Some(url) = e.value().attr(attr) else {
                    continue;
                };
                if url.starts_with('#') || url.contains("://") || url.starts_with("mailto:") {
                    continue;
                }
                let Some(inner) = url.strip_prefix(base_path) else {
                    dead.push(format!("{path}: {url} (outside base path {base_path})"));
                    continue;
                };
                let inner = inner.split(['#', '?']).next().unwrap_or_default();
                let target = if inner.is_empty() || inner.ends_with('/') {
                    format!("{inner}index.html")
                } else {
                    inner.to_string()
                };
                if !files.contains_key(&target) {
                    dead.push(format!("{path}: {url}"));
                }
            }
        }
    }
    dead
}

/// A small flat-coloured PNG (`width` x `height`), for tests that need a real image file.
pub fn png(width: u32, height: u32, shade: u8) -> Vec<u8> {
    let pixels = image::RgbImage::from_pixel(width, height, image::Rgb([shade, 90, 160]));
    let mut bytes = Vec::new();
    pixels
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}
