//! A processed image (`crate::images::Picture`) as markup: `<picture>` with a WebP source and
//! a JPEG or PNG `<img>`, both with `srcset` and `sizes`, and the `<img>` with `width` and
//! `height` (so the page does not jump as it loads) and, unless it is the page's first image,
//! `loading="lazy"` and `decoding="async"`.
//!
//! Markdown bodies get the markup from `html` here; templates get a `PictureView` and draw
//! it with the theme's `partials/picture.html`, so a theme can change it.

use super::routes::file_url_path;
use crate::images::{Picture, Variant};
use serde::Serialize;

/// How wide an image is shown: the text column (`--measure`, 46rem) or the screen.
pub const COLUMN_SIZES: &str = "(min-width: 48rem) 46rem, 100vw";
/// A portrait or logo beside a profile.
pub const PROFILE_SIZES: &str = "(min-width: 48rem) 12rem, 40vw";

/// What a template needs to draw a picture (see `partials/picture.html`).
#[derive(Debug, Clone, Serialize)]
pub struct PictureView {
    /// The widest fallback (JPEG or PNG).
    pub src: String,
    /// The fallback's widths, `url 480w, url 960w`.
    pub srcset: String,
    /// The same widths in WebP.
    pub webp_srcset: String,
    /// `image/jpeg` or `image/png`.
    pub fallback_type: &'static str,
    pub width: u32,
    pub height: u32,
}

impl PictureView {
    pub fn new(p: &Picture, base_path: &str) -> PictureView {
        let largest = p.largest();
        PictureView {
            src: format!("{base_path}{}", file_url_path(&largest.path)),
            srcset: srcset(&p.fallback, base_path),
            webp_srcset: srcset(&p.webp, base_path),
            fallback_type: p.fallback_type,
            width: largest.width,
            height: largest.height,
        }
    }
}

fn srcset(variants: &[Variant], base_path: &str) -> String {
    variants
        .iter()
        .map(|v| format!("{base_path}{} {}w", file_url_path(&v.path), v.width))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The markup of a picture in a Markdown body. `alt` and `title` are plain text.
pub fn html(
    p: &Picture,
    base_path: &str,
    alt: &str,
    title: &str,
    sizes: &str,
    eager: bool,
) -> String {
    let view = PictureView::new(p, base_path);
    let e = super::html_escape;
    let title = if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", e(title))
    };
    let lazy = if eager {
        ""
    } else {
        " loading=\"lazy\" decoding=\"async\""
    };
    format!(
        "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\">\
         <img src=\"{}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{}\" height=\"{}\" alt=\"{}\"{title}{lazy}></picture>",
        e(&view.webp_srcset),
        e(&view.src),
        e(&view.srcset),
        view.width,
        view.height,
        e(alt),
    )
}
