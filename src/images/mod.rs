//! Stage between `model` and `render`: the site's pictures, made small, safe and cached.
//!
//! A photo as taken is several megabytes, may need rotating (its EXIF says so rather than its
//! pixels) and carries metadata (the GPS position of whoever took it, the camera's serial
//! number, XMP and IPTC blocks). So no raster image (JPEG, PNG, WebP) of `content/` is
//! published as it is: every image the model references (a report's `image:`, a speaker's
//! `photo:`, an organization's `logo:`, the site's sharing `image:`, `![…](…)` in any Markdown
//! body) is decoded with bounded memory, turned upright, and re-encoded without any metadata
//! as a few widths (never upscaled) of WebP with a JPEG or PNG fallback, plus a 1200 x 630
//! sharing card for the images that need one. An image nothing references is not published
//! (the privacy stage drops a protected person's photo from the model, and that must be the
//! end of it); a Markdown link to an image file, a file of `static/` (a theme may name it by
//! its path) and every referenced image when `images: {originals: true}` is set are published
//! at their own path, full size, re-encoded without metadata.
//!
//! Sources are taken from the model only, never by walking `content/`. Work is cached (see
//! `cache`) by the source's content and the parameters, and runs in parallel: a rebuild with
//! unchanged images reads no image. `process` is the one entry point; `render` turns its
//! `Gallery` into `<picture>` markup.

mod cache;
mod encode;
mod gif;

pub use cache::ImageCache;

use crate::diagnostic::{Diagnostic, Diagnostics, Span};
use crate::model::Model;
use crate::write::{Contents, OutputFile};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// The raster images Podium processes, by their file names' endings (the content decides
/// how it is read): JPEG under all its names, PNG and WebP, and the formats a camera or a
/// scanner also writes, which may carry a GPS position as well and so are never copied as
/// they are: such a file the site shows or links to is an error naming it (it cannot be
/// decoded), one it does not is not published. GIF is not among them (see `gif`).
pub const RASTER: [&str; 14] = [
    "jpg", "jpeg", "jpe", "jfif", "pjpeg", "pjp", "png", "webp", "avif", "heic", "heif", "tif",
    "tiff", "bmp",
];

/// The size platforms ask of a sharing image (OpenGraph, Twitter/X "summary_large_image").
pub const CARD: (u32, u32) = (1200, 630);

/// How images are published: `images:` in `content/_index.md`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageSettings {
    /// The widths made of every image, never wider than the image itself.
    pub widths: Vec<u32>,
    /// Lossy quality (1 to 100) of WebP and JPEG.
    pub quality: u8,
    /// Publish every referenced image at its own path too (full size, without metadata).
    pub originals: bool,
}

impl Default for ImageSettings {
    fn default() -> ImageSettings {
        ImageSettings {
            widths: vec![480, 960, 1600],
            quality: 80,
            originals: false,
        }
    }
}

/// Whether a content file is an image this stage publishes (and `render` must not copy).
pub fn is_raster(output_path: &str) -> bool {
    Path::new(output_path)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| RASTER.iter().any(|r| e.eq_ignore_ascii_case(r)))
}

/// One published width of an image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variant {
    /// Output path, `/`-separated, relative to the output root.
    pub path: String,
    pub width: u32,
    pub height: u32,
}

/// What `render` needs to show one image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Picture {
    /// The upright source's size (after EXIF orientation).
    pub width: u32,
    pub height: u32,
    /// `image/jpeg` or `image/png` (when the image has transparency).
    pub fallback_type: &'static str,
    /// The fallback widths, narrowest first.
    pub fallback: Vec<Variant>,
    /// The WebP widths, narrowest first (the same widths as `fallback`).
    pub webp: Vec<Variant>,
    /// The sharing card (a JPEG at most `CARD`), for a report's or the site's `image:`.
    pub card: Option<Variant>,
}

impl Picture {
    /// The widest fallback: the `src` for browsers without `srcset`, and for feeds.
    pub fn largest(&self) -> &Variant {
        // `process` never makes a picture without variants.
        &self.fallback[self.fallback.len() - 1]
    }
}

/// How much work a build spent on images.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImageCounts {
    /// Images decoded and encoded by this build.
    pub made: usize,
    /// Images whose variants came from the cache.
    pub reused: usize,
}

/// The site's processed images.
#[derive(Debug, Default)]
pub struct Gallery {
    /// Source output path (`forums/2025/hall.jpg`) -> its picture.
    pictures: HashMap<String, Picture>,
    /// Every file to publish, by output path: contents, origin, and a fingerprint of what
    /// it is (cache key and file), which lets a rebuild keep the output's copy untouched.
    files: BTreeMap<String, (Contents<'static>, String, u64)>,
    pub counts: ImageCounts,
    /// Changes whenever any picture does (pages show sizes and paths).
    pub digest: u64,
}

impl Gallery {
    pub fn picture(&self, source_output: &str) -> Option<&Picture> {
        self.pictures.get(source_output)
    }

    /// The files to publish (variants, cards, originals), each with its fingerprint: the
    /// same fingerprint means the same bytes.
    pub fn files(&self) -> impl Iterator<Item = (OutputFile<'static>, u64)> + '_ {
        self.files
            .iter()
            .map(|(path, (contents, origin, fingerprint))| {
                (
                    OutputFile {
                        path: path.clone(),
                        contents: contents.clone(),
                        origin: origin.clone(),
                    },
                    *fingerprint,
                )
            })
    }
}

/// What the site does with one image file.
#[derive(Debug, Clone, Copy, Default)]
struct Wanted<'m> {
    picture: bool,
    card: bool,
    original: bool,
    /// The first file that shows or links it (for an error about the image).
    by: Option<&'m Path>,
}

/// Process every image the model references into `cache`. A broken, unsupported or
/// oversized image is an error naming its file.
pub fn process(model: &Model, cache: &ImageCache) -> Result<Gallery, Diagnostics> {
    let settings = &model.site.images;
    let wanted = references(model);
    let assets: HashMap<&str, &crate::load::Asset> = model
        .assets
        .iter()
        .map(|a| (a.output.as_str(), a))
        .collect();
    let names = variant_names(wanted.keys().map(String::as_str));
    let jobs: Vec<(&String, &Wanted, &crate::load::Asset)> = wanted
        .iter()
        .filter_map(|(path, w)| Some((path, w, *assets.get(path.as_str())?)))
        .collect();
    let outcomes: Vec<Result<(cache::Entry, bool), Diagnostic>> = jobs
        .par_iter()
        .map(|(_, w, asset)| {
            let params = encode::Params {
                widths: &settings.widths,
                quality: settings.quality,
                card: w.card,
                original: w.original,
            };
            cache.get_or_make(&asset.source, &params).map_err(|why| {
                let by =
                    w.by.map(|by| format!(" (shown by {})", by.display()))
                        .unwrap_or_default();
                Diagnostic::error(format!("image {}{by}: {why}", asset.display.display()))
                    .at(Span::file_start(&asset.display))
                    .with_help(
                        "save it again as a JPEG, PNG or WebP of at most 16,383 pixels a side \
                         (a photo editor's \"Export\" does), or remove the reference to it",
                    )
            })
        })
        .collect();
    let mut gallery = Gallery::default();
    let mut errors = Diagnostics::new();
    for ((path, w, asset), outcome) in jobs.iter().zip(outcomes) {
        let (entry, made) = match outcome {
            Ok(e) => e,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        if made {
            gallery.counts.made += 1;
        } else {
            gallery.counts.reused += 1;
        }
        let origin = asset.display.display().to_string();
        let stem = &names[path.as_str()];
        let mut add = |file: &cache::File, name: String| {
            let fingerprint = xxhash_rust::xxh3::xxh3_64(
                format!("{} {} {} {}", entry.key, file.width, file.extension, name).as_bytes(),
            );
            gallery
                .files
                .insert(name, (file.contents.clone(), origin.clone(), fingerprint));
        };
        if w.original
            && let Some(f) = &entry.original
        {
            add(f, path.to_string());
        }
        if !w.picture {
            continue;
        }
        let mut picture = Picture {
            width: entry.width,
            height: entry.height,
            fallback_type: entry.fallback_type(),
            fallback: Vec::new(),
            webp: Vec::new(),
            card: None,
        };
        for f in &entry.variants {
            let out = format!("{stem}-{}w.{}", f.width, f.extension);
            add(f, out.clone());
            let v = Variant {
                path: out,
                width: f.width,
                height: f.height,
            };
            if f.extension == "webp" {
                picture.webp.push(v);
            } else {
                picture.fallback.push(v);
            }
        }
        if w.card
            && let Some(f) = &entry.card
        {
            let out = format!("{stem}-card.jpg");
            add(f, out.clone());
            picture.card = Some(Variant {
                path: out,
                width: f.width,
                height: f.height,
            });
        }
        gallery.pictures.insert(path.to_string(), picture);
    }
    add_gifs(model, &mut gallery, &mut errors);
    if errors.has_errors() {
        return Err(errors.sorted());
    }
    cache.finish();
    gallery.digest = {
        use std::hash::{Hash, Hasher};
        let mut h = xxhash_rust::xxh3::Xxh3Default::new();
        let sorted: BTreeMap<_, _> = gallery.pictures.iter().collect();
        sorted.hash(&mut h);
        h.finish()
    };
    Ok(gallery)
}

/// Every GIF of the site, without its metadata (see `gif`), published at its own path as
/// before: read again on each build, since GIFs are small and copying their blocks costs
/// less than a look in the cache.
fn add_gifs(model: &Model, gallery: &mut Gallery, errors: &mut Diagnostics) {
    let gifs: Vec<&crate::load::Asset> =
        model.assets.iter().filter(|a| is_gif(&a.output)).collect();
    let cleaned: Vec<Result<Vec<u8>, String>> = gifs
        .par_iter()
        .map(|a| {
            let bytes = std::fs::read(&a.source).map_err(|e| format!("cannot read it: {e}"))?;
            gif::without_metadata(&bytes)
        })
        .collect();
    for (asset, outcome) in gifs.into_iter().zip(cleaned) {
        match outcome {
            Ok(bytes) => {
                let fingerprint = xxhash_rust::xxh3::xxh3_64(&bytes);
                let origin = asset.display.display().to_string();
                gallery.files.insert(
                    asset.output.clone(),
                    (Contents::Bytes(bytes), origin, fingerprint),
                );
            }
            Err(why) => errors.push(
                Diagnostic::error(format!("image {}: {why}", asset.display.display()))
                    .at(Span::file_start(&asset.display))
                    .with_help(
                        "save it again as a GIF (an image editor's \"Export\" does), or remove it",
                    ),
            ),
        }
    }
}

/// Whether a file of the site is a GIF, published by this stage without its metadata.
fn is_gif(output_path: &str) -> bool {
    Path::new(output_path)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gif"))
}

/// Whether this stage publishes the content file (and `render` must not copy it).
pub fn publishes(output_path: &str) -> bool {
    is_raster(output_path) || is_gif(output_path)
}

/// The output path of each image's variants without the width and extension:
/// `forums/2025/hall.jpg` -> `forums/2025/hall`; `hall.jpg` and `hall.png` in one folder
/// become `hall-jpg` and `hall-png`.
fn variant_names<'a>(paths: impl Iterator<Item = &'a str>) -> HashMap<&'a str, String> {
    let paths: Vec<&str> = paths.collect();
    let stem = |p: &str| {
        let (base, _) = p.rsplit_once('.').unwrap_or((p, ""));
        base.to_string()
    };
    let mut stems: HashMap<String, usize> = HashMap::new();
    for p in &paths {
        *stems.entry(stem(p)).or_default() += 1;
    }
    paths
        .into_iter()
        .map(|p| {
            let s = stem(p);
            let name = if stems[&s] > 1 {
                let ext = p
                    .rsplit_once('.')
                    .map_or("", |(_, e)| e)
                    .to_ascii_lowercase();
                format!("{s}-{ext}")
            } else {
                s
            };
            (p, name)
        })
        .collect()
}

/// The texts of every translation (an image may be shown in one language only).
fn translated_bodies(
    t: &crate::model::Translations,
) -> impl Iterator<Item = &crate::model::Markdown> {
    let forums = t.forums.values().flatten().filter_map(|f| f.body.as_ref());
    let profiles = (t.speakers.values().chain(t.organizations.values()))
        .flatten()
        .filter_map(|p| p.body.as_ref());
    let pages = (t.pages.values().flatten().chain(&t.site)).filter_map(|p| p.body.as_ref());
    forums.chain(profiles).chain(pages)
}

/// Every raster image of `model.assets` that the site shows or links to, and how.
fn references<'m>(model: &'m Model) -> BTreeMap<String, Wanted<'m>> {
    let rasters: HashSet<&str> = model
        .assets
        .iter()
        .map(|a| a.output.as_str())
        .filter(|p| is_raster(p))
        .collect();
    let originals = model.site.images.originals;
    let mut wanted: BTreeMap<String, Wanted<'m>> = BTreeMap::new();
    let mut want = |url: &str, base_dir: &str, how: Wanted<'m>, by: Option<&'m Path>| {
        let Some(path) = crate::render::markdown::asset_path(url, base_dir) else {
            return;
        };
        if !rasters.contains(path.as_str()) {
            return;
        }
        let w = wanted.entry(path).or_default();
        w.by = w.by.or(by);
        w.picture |= how.picture;
        w.card |= how.card;
        w.original |= how.original || (how.picture && originals);
    };
    let shown = Wanted {
        picture: true,
        ..Wanted::default()
    };
    let card = Wanted {
        picture: true,
        card: true,
        ..Wanted::default()
    };
    if let Some(image) = &model.site.image {
        want(image, "", card, Some(Path::new("content/_index.md")));
    }
    for f in &model.forums {
        if let Some(i) = &f.image {
            want(i, &f.body.base_dir, card, Some(f.file.as_path()));
        }
    }
    for s in &model.speakers {
        if let Some(p) = &s.photo {
            want(p, "speakers", shown, s.profile.as_deref());
        }
    }
    for o in &model.organizations {
        if let Some(l) = &o.logo {
            want(l, "organizations", shown, o.profile.as_deref());
        }
    }
    let bodies = model
        .forums
        .iter()
        .map(|f| &f.body)
        .chain(model.speakers.iter().filter_map(|s| s.bio.as_ref()))
        .chain(
            model
                .organizations
                .iter()
                .filter_map(|o| o.description.as_ref()),
        )
        .chain(model.pages.iter().map(|p| &p.body))
        .chain(std::iter::once(&model.site.intro))
        .chain(translated_bodies(&model.translations));
    // Every text of the site is scanned on every build: in parallel.
    let bodies: Vec<&crate::model::Markdown> = bodies.collect();
    let found: Vec<Vec<(String, bool)>> = bodies
        .par_iter()
        .map(|body| crate::render::markdown::image_references(body))
        .collect();
    for (body, references) in bodies.into_iter().zip(found) {
        for (url, is_image) in references {
            let how = if is_image {
                shown
            } else {
                Wanted {
                    original: true,
                    ..Wanted::default()
                }
            };
            want(&url, &body.base_dir, how, Some(body.file.as_path()));
        }
    }
    // A theme may name a file of `static/` by its path: those stay where they are.
    for a in &model.assets {
        if is_raster(&a.output) && a.display.starts_with(Path::new("content").join("static")) {
            let w = wanted.entry(a.output.clone()).or_default();
            w.original = true;
        }
    }
    wanted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_apart_images_that_share_a_stem() {
        let names = variant_names(
            [
                "forums/a/hall.jpg",
                "forums/a/hall.png",
                "forums/b/hall.jpg",
                "logo.webp",
            ]
            .into_iter(),
        );
        assert_eq!(names["forums/a/hall.jpg"], "forums/a/hall-jpg");
        assert_eq!(names["forums/a/hall.png"], "forums/a/hall-png");
        assert_eq!(names["forums/b/hall.jpg"], "forums/b/hall");
        assert_eq!(names["logo.webp"], "logo");
    }

    #[test]
    fn raster_files_are_known_by_extension() {
        assert!(is_raster("a/B.JPG"));
        assert!(is_raster("x.webp"));
        assert!(!is_raster("logo.svg"));
        assert!(!is_raster("report.pdf"));
    }
}
