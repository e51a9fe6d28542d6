//! One image's bytes to its published files: decode with bounded memory, turn upright, resize,
//! encode. Nothing of the source's metadata survives, because nothing of it is carried over:
//! every file is encoded from pixels alone (no EXIF, XMP, IPTC, ICC or text chunks).

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::imageops::FilterType;
use image::{
    DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader, Limits, RgbImage, RgbaImage,
};
use std::io::Cursor;

/// Bump when the files made from the same source and parameters change (the cache key has it).
const VERSION: u32 = 1;

/// The chunks of a PNG that `png_without_texts` keeps beside the critical ones (those whose
/// type starts with a capital: the header, the palette, the pixels, the end): transparency,
/// the colour space and gamma the decoder may apply, and an animation's frames.
const PNG_KEPT: [&[u8; 4]; 9] = [
    b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"bKGD", b"acTL", b"fcTL", b"fdAT",
];

/// A PNG without its text, colour-profile, EXIF and other chunks, which the published files
/// never carry anyway. Some of them are compressed, and the decoder inflates them whole
/// outside the limit on decoded memory: a 1 MB colour profile that inflates to a gigabyte is a
/// bomb the header check does not see. A file whose chunks run past its end is kept as it is,
/// for the decoder to tell what is wrong with it.
fn png_without_texts(bytes: &[u8]) -> Vec<u8> {
    const SIGNATURE: usize = 8;
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..SIGNATURE.min(bytes.len())]);
    let mut at = SIGNATURE;
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap_or_default()) as usize;
        let kind = &bytes[at + 4..at + 8];
        let kept = kind[0].is_ascii_uppercase() || PNG_KEPT.iter().any(|k| k.as_slice() == kind);
        let end = at.saturating_add(12).saturating_add(len);
        if end > bytes.len() {
            // Cut short inside a chunk: the decoder says so, of the pixels it reaches.
            if kept {
                out.extend_from_slice(&bytes[at..]);
            }
            return out;
        }
        if kept {
            out.extend_from_slice(&bytes[at..end]);
        }
        at = end;
    }
    out.extend_from_slice(&bytes[at.min(bytes.len())..]);
    out
}

/// The largest side Podium decodes (WebP cannot hold more than 16,383).
pub const MAX_SIDE: u32 = 16_383;
/// The most memory one decoded image may take (a 48-megapixel photo takes 144 MB).
pub const MAX_DECODED_BYTES: u64 = 512 * 1024 * 1024;

/// What to make of a source.
#[derive(Debug, Clone, Copy)]
pub struct Params<'a> {
    pub widths: &'a [u32],
    pub quality: u8,
    pub card: bool,
    pub original: bool,
}

impl Params<'_> {
    /// A digest of everything that decides the output besides the source.
    pub fn key(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = xxhash_rust::xxh3::Xxh3Default::new();
        (
            VERSION,
            self.widths,
            self.quality,
            self.card,
            self.original,
            super::CARD,
        )
            .hash(&mut h);
        h.finish()
    }
}

/// What a file made from the source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Role {
    Variant,
    Card,
    Original,
}

/// One file made from a source.
#[derive(Debug)]
pub struct MadeFile {
    pub role: Role,
    pub width: u32,
    pub height: u32,
    /// `webp`, `jpg` or `png`.
    pub extension: &'static str,
    pub bytes: Vec<u8>,
}

/// Everything made from a source.
#[derive(Debug)]
pub struct Made {
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
    pub files: Vec<MadeFile>,
}

/// Decode `bytes`, apply the EXIF orientation and make every file `params` asks for. The
/// error says what is wrong with the image, for a message that names its file.
pub fn make(bytes: &[u8], params: &Params) -> Result<Made, String> {
    // A decoder bug must not take the build down: it is this image's error.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        make_unguarded(bytes, params)
    }))
    .unwrap_or_else(|_| Err("the image decoder failed on it (a damaged file?)".into()))
}

fn make_unguarded(bytes: &[u8], params: &Params) -> Result<Made, String> {
    let format = image::guess_format(bytes).map_err(|_| {
        "it is not a JPEG, PNG or WebP image (its first bytes are not those of any)".to_string()
    })?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(format!(
            "{format:?} images are not supported; Podium publishes JPEG, PNG and WebP"
        ));
    }
    if format == ImageFormat::Jpeg && !jpeg_is_whole(bytes) {
        return Err("it cannot be read: the file is cut short (its JPEG data has no end marker); copy it again from the camera or the sender".into());
    }
    let pixels_only;
    let bytes = if format == ImageFormat::Png {
        pixels_only = png_without_texts(bytes);
        &pixels_only
    } else {
        bytes
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(describe)?;
    let (w, h) = decoder.dimensions();
    if decoder.total_bytes() > MAX_DECODED_BYTES {
        return Err(too_large(w, h));
    }
    // A broken EXIF block only loses the rotation, not the image.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(describe)?;
    image.apply_orientation(orientation);
    let alpha = image.color().has_alpha() && image.to_rgba8().pixels().any(|p| p.0[3] < 255);
    let (width, height) = (image.width(), image.height());
    let mut files = Vec::new();
    let quality = params.quality.clamp(1, 100);
    if params.original {
        files.push(original(&image, format, alpha, quality)?);
    }
    if params.card {
        files.push(card(&image, quality)?);
    }
    let widths = widths(params.widths, width);
    // Each width is made from the next larger one: quicker, and as sharp at these ratios.
    let mut larger: Option<Pixels> = None;
    for &target in widths.iter().rev() {
        let target_height = scaled_height(width, height, target);
        let pixels = match &larger {
            None if target == width => Pixels::of(&image, alpha),
            None => Pixels::of(&image, alpha).resize(target, target_height),
            Some(p) => p.resize(target, target_height),
        };
        files.push(MadeFile {
            role: Role::Variant,
            width: target,
            height: target_height,
            extension: "webp",
            bytes: pixels.webp(quality)?,
        });
        let (extension, bytes) = pixels.fallback(quality)?;
        files.push(MadeFile {
            role: Role::Variant,
            width: target,
            height: target_height,
            extension,
            bytes,
        });
        larger = Some(pixels);
    }
    files.sort_by_key(|f| (f.role as u8, f.width, f.extension));
    Ok(Made {
        width,
        height,
        alpha,
        files,
    })
}

/// Whether a JPEG's last scan is followed by its end marker (`FF D9`). Decoders fill a file
/// cut short with grey rather than fail; a half-grey photo must not be published. (Scan data
/// escapes `FF` bytes, so an end marker after the last start-of-scan is the real one; data
/// some cameras append after it is allowed.)
fn jpeg_is_whole(bytes: &[u8]) -> bool {
    let last = |marker: u8| bytes.windows(2).rposition(|w| w == [0xFF, marker]);
    match (last(0xDA), last(0xD9)) {
        (Some(scan), Some(end)) => end > scan,
        _ => false,
    }
}

/// The widths made of an image `source` pixels wide: the configured ones narrower than it
/// (never upscaled; none within 10 % of it), and the source width itself when it is narrower
/// than the widest configured one.
pub fn widths(configured: &[u32], source: u32) -> Vec<u32> {
    let widest = configured.iter().copied().max().unwrap_or(source);
    let mut out: Vec<u32> = configured
        .iter()
        .copied()
        .filter(|&w| w > 0 && (w as u64) * 10 < (source as u64) * 9)
        .collect();
    out.push(source.min(widest).max(1));
    out.sort_unstable();
    out.dedup();
    out
}

fn scaled_height(width: u32, height: u32, target: u32) -> u32 {
    ((height as u64 * target as u64 + width as u64 / 2) / width.max(1) as u64).max(1) as u32
}

fn describe(e: image::ImageError) -> String {
    match e {
        image::ImageError::Limits(_) => "it is too large to decode safely: at most 16,383 pixels a side and 512 MB decoded (a \"decompression bomb\" looks like this)".into(),
        image::ImageError::Unsupported(u) => format!("this kind of image is not supported: {u}"),
        other => format!("it cannot be read (damaged or cut short?): {other}"),
    }
}

fn too_large(w: u32, h: u32) -> String {
    format!(
        "it is too large to decode safely: {w} x {h} pixels would take more than 512 MB (a \"decompression bomb\" looks like this)"
    )
}

/// Pixels ready to encode: RGB when the image is opaque, RGBA when it has transparency.
enum Pixels {
    Rgb(RgbImage),
    Rgba(RgbaImage),
}

impl Pixels {
    fn of(image: &DynamicImage, alpha: bool) -> Pixels {
        if alpha {
            Pixels::Rgba(image.to_rgba8())
        } else {
            Pixels::Rgb(image.to_rgb8())
        }
    }

    fn resize(&self, w: u32, h: u32) -> Pixels {
        match self {
            Pixels::Rgb(p) => Pixels::Rgb(image::imageops::resize(p, w, h, FilterType::CatmullRom)),
            Pixels::Rgba(p) => {
                Pixels::Rgba(image::imageops::resize(p, w, h, FilterType::CatmullRom))
            }
        }
    }

    fn webp(&self, quality: u8) -> Result<Vec<u8>, String> {
        let encoder = match self {
            Pixels::Rgb(p) => webp::Encoder::from_rgb(p.as_raw(), p.width(), p.height()),
            Pixels::Rgba(p) => webp::Encoder::from_rgba(p.as_raw(), p.width(), p.height()),
        };
        encoder
            .encode_simple(false, quality as f32)
            .map(|m| m.to_vec())
            .map_err(|e| format!("cannot encode it as WebP: {e:?}"))
    }

    /// JPEG for an opaque image, PNG for one with transparency.
    fn fallback(&self, quality: u8) -> Result<(&'static str, Vec<u8>), String> {
        match self {
            Pixels::Rgb(p) => Ok(("jpg", jpeg(p, quality)?)),
            Pixels::Rgba(p) => Ok(("png", png(p)?)),
        }
    }
}

fn jpeg(p: &RgbImage, quality: u8) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(p)
        .map_err(|e| format!("cannot encode it as JPEG: {e}"))?;
    Ok(out)
}

fn png(p: &RgbaImage) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(
            p.as_raw(),
            p.width(),
            p.height(),
            image::ExtendedColorType::Rgba8,
        )
        .map_err(|e| format!("cannot encode it as PNG: {e}"))?;
    Ok(out)
}

/// The whole image, upright, in its own format, without metadata.
fn original(
    image: &DynamicImage,
    format: ImageFormat,
    alpha: bool,
    quality: u8,
) -> Result<MadeFile, String> {
    let pixels = Pixels::of(image, alpha || format == ImageFormat::Png);
    let high = quality.max(90);
    let (extension, bytes) = match (format, &pixels) {
        (ImageFormat::WebP, p) => ("webp", p.webp(high)?),
        (ImageFormat::Png, Pixels::Rgba(p)) => ("png", png(p)?),
        (_, Pixels::Rgb(p)) => ("jpg", jpeg(p, high)?),
        (_, Pixels::Rgba(p)) => ("png", png(p)?),
    };
    Ok(MadeFile {
        role: Role::Original,
        width: image.width(),
        height: image.height(),
        extension,
        bytes,
    })
}

/// The sharing card: the middle of the image at the card's proportions, at most `CARD` (a
/// smaller image is not blown up), transparency laid on white, as JPEG.
fn card(image: &DynamicImage, quality: u8) -> Result<MadeFile, String> {
    let (cw, ch) = super::CARD;
    let (w, h) = (image.width(), image.height());
    // The largest crop of the card's proportions.
    let (crop_w, crop_h) = if (w as u64) * (ch as u64) > (h as u64) * (cw as u64) {
        (((h as u64 * cw as u64) / ch as u64).max(1) as u32, h)
    } else {
        (w, ((w as u64 * ch as u64) / cw as u64).max(1) as u32)
    };
    let (x, y) = ((w - crop_w) / 2, (h - crop_h) / 2);
    let cropped = image.crop_imm(x, y, crop_w, crop_h);
    let mut rgb = on_white(&cropped);
    let out_w = crop_w.min(cw);
    let out_h = scaled_height(crop_w, crop_h, out_w);
    if out_w != crop_w {
        rgb = image::imageops::resize(&rgb, out_w, out_h, FilterType::CatmullRom);
    }
    Ok(MadeFile {
        role: Role::Card,
        width: rgb.width(),
        height: rgb.height(),
        extension: "jpg",
        bytes: jpeg(&rgb, quality)?,
    })
}

fn on_white(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend = |c: u8| ((c as u32 * a as u32 + 255 * (255 - a as u32)) / 255) as u8;
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_upscale() {
        assert_eq!(widths(&[480, 960, 1600], 4000), vec![480, 960, 1600]);
        assert_eq!(widths(&[480, 960, 1600], 1000), vec![480, 1000]);
        assert_eq!(widths(&[480, 960, 1600], 300), vec![300]);
        assert_eq!(widths(&[480, 960, 1600], 1600), vec![480, 960, 1600]);
    }

    /// A PNG's text and colour-profile chunks are left out before decoding (one that inflates
    /// to a gigabyte is a bomb), and the pixels and transparency come through as they were.
    #[test]
    fn a_png_is_decoded_without_its_text_and_profile_chunks() {
        let mut png = Vec::new();
        let pixels = RgbaImage::from_fn(3, 2, |x, y| {
            image::Rgba([x as u8 * 80, y as u8 * 90, 7, 128])
        });
        PngEncoder::new(&mut png)
            .write_image(&pixels, 3, 2, image::ExtendedColorType::Rgba8)
            .unwrap();
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            c.extend_from_slice(&[0, 0, 0, 0]);
            c
        };
        // After the header (8 bytes of signature, 25 of IHDR).
        let extra = [
            chunk(b"iCCP", b"bomb\0\0not really compressed"),
            chunk(b"tEXt", b"Location\0Baku 40.4"),
            chunk(b"eXIf", b"MM\0*GPS"),
        ]
        .concat();
        let with_texts = [&png[..33], &extra, &png[33..]].concat();
        let stripped = png_without_texts(&with_texts);
        assert_eq!(stripped, png);
        assert!(!stripped.windows(4).any(|w| w == b"Baku"));
        let decoded = image::load_from_memory(&stripped).unwrap().to_rgba8();
        assert_eq!(decoded, pixels);
        // Cut short inside a chunk left out: what comes before it, which the decoder refuses;
        // inside the pixels: kept to there, for the decoder to refuse.
        assert_eq!(png_without_texts(&with_texts[..50]), &png[..33]);
        let cut = &png[..png.len() - 20];
        assert_eq!(png_without_texts(cut), cut);
        assert!(
            make(
                cut,
                &Params {
                    widths: &[480],
                    quality: 80,
                    card: false,
                    original: false
                }
            )
            .is_err()
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let params = Params {
            widths: &[480],
            quality: 80,
            card: false,
            original: false,
        };
        assert!(make(b"not an image at all", &params).is_err());
        assert!(make(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", &params).is_err());
        assert!(
            make(b"GIF89a....", &params)
                .unwrap_err()
                .contains("not supported")
        );
    }
}
