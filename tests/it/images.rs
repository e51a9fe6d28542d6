//! Images: real files made here (a rotated JPEG with GPS EXIF, XMP and IPTC; a PNG with
//! transparency; a CMYK JPEG; a truncated file; a 50,000 x 50,000 PNG bomb from
//! `tests/fixtures/images/`), built, and read back: sizes and orientation of what was
//! published, no metadata left (read with an EXIF reader and by looking for the blocks),
//! `<picture>` markup on the pages, the cache reused.

use crate::support::Site;
use image::{GenericImageView, Rgb, RgbImage, Rgba, RgbaImage};
use std::io::Cursor;

const SETTINGS: &str = "-- content/_index.md --\n---\ntitle: Pictures\nbase_url: https://example.org/\nimages:\n  widths: [160, 320]\n---\n";

/// An 800 x 500 photo, red on its left half and blue on its right, whose EXIF says "rotate 90°
/// clockwise to show" (orientation 6): upright, it is 500 x 800 with red on top.
fn rotated_photo_with_gps() -> Vec<u8> {
    let pixels = RgbImage::from_fn(800, 500, |x, _| {
        if x < 400 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&pixels)
        .unwrap();
    // EXIF with the orientation, the camera and a GPS position.
    use exif::{Field, In, Rational, Tag, Value};
    let fields = [
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![6]),
        },
        Field {
            tag: Tag::Make,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"SecretCam".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"N".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![
                Rational { num: 40, denom: 1 },
                Rational { num: 24, denom: 1 },
                Rational { num: 0, denom: 1 },
            ]),
        },
    ];
    let mut writer = exif::experimental::Writer::new();
    for f in &fields {
        writer.push_field(f);
    }
    let mut tiff = Cursor::new(Vec::new());
    writer.write(&mut tiff, false).unwrap();
    let segment = |marker: u8, payload: &[u8]| {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(payload);
        s
    };
    let exif_block = [b"Exif\0\0".as_slice(), tiff.get_ref()].concat();
    let xmp = [
        b"http://ns.adobe.com/xap/1.0/\0".as_slice(),
        b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF><rdf:Description exif:GPSLatitude='40,24N' xmp:CreatorTool='SecretCam'/></rdf:RDF></x:xmpmeta>",
    ]
    .concat();
    let iptc = [
        b"Photoshop 3.0\08BIM\x04\x04\0\0\0\0\0\x0f".as_slice(),
        b"\x1c\x02\x50\0\x0aSecretName\0",
    ]
    .concat();
    let mut out = jpeg[..2].to_vec();
    out.extend(segment(0xE1, &exif_block));
    out.extend(segment(0xE1, &xmp));
    out.extend(segment(0xED, &iptc));
    out.extend_from_slice(&jpeg[2..]);
    // The photo really says what the test expects of it.
    let read = exif::Reader::new()
        .read_from_container(&mut Cursor::new(&out))
        .unwrap();
    assert!(read.get_field(Tag::GPSLatitude, In::PRIMARY).is_some());
    out
}

fn logo_with_alpha() -> Vec<u8> {
    let pixels = RgbaImage::from_fn(300, 200, |x, _| {
        if x < 150 {
            Rgba([0, 120, 60, 255])
        } else {
            Rgba([0, 0, 0, 0])
        }
    });
    let mut png = Vec::new();
    pixels
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

fn cmyk_jpeg() -> Vec<u8> {
    let (w, h) = (240u16, 160u16);
    // C, M, Y, K per pixel: a cyan left half, a yellow right half.
    let mut data = Vec::new();
    for _ in 0..h {
        for x in 0..w {
            data.extend_from_slice(if x < w / 2 {
                &[255, 0, 0, 0]
            } else {
                &[0, 0, 255, 0]
            });
        }
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(&data, w, h, jpeg_encoder::ColorType::Cmyk)
        .unwrap();
    out
}

fn write_bytes(site: &Site, path: &str, bytes: &[u8]) {
    let full = site.root().join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, bytes).unwrap();
}

fn read_bytes(site: &Site, path: &str) -> Vec<u8> {
    std::fs::read(site.out().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// What metadata a published file still holds, by name of the block.
fn metadata_left(bytes: &[u8]) -> Vec<&'static str> {
    let mut left = Vec::new();
    if exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .is_ok()
    {
        left.push("EXIF (by the reader)");
    }
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    for (needle, name) in [
        (b"Exif\0".as_slice(), "EXIF"),
        (b"eXIf".as_slice(), "PNG eXIf"),
        (b"EXIF".as_slice(), "WebP EXIF"),
        (b"ns.adobe.com/xap".as_slice(), "XMP"),
        (b"XMP ".as_slice(), "WebP XMP"),
        (b"Photoshop 3.0".as_slice(), "IPTC"),
        (b"SecretCam".as_slice(), "camera"),
        (b"SecretName".as_slice(), "IPTC name"),
        (b"tEXt".as_slice(), "PNG text"),
        (b"iTXt".as_slice(), "PNG text"),
    ] {
        if has(needle) {
            left.push(name);
        }
    }
    left
}

fn report(image: Option<&str>, body: &str) -> String {
    format!(
        "-- content/forums/2025/hall-forum.md --\n---\ntitle: Hall Forum\ndate: 2025-10-20\ncity: Baku\n{}---\n{body}\n",
        image.map(|i| format!("image: {i}\n")).unwrap_or_default()
    )
}

#[test]
fn a_rotated_photo_is_published_upright_resized_and_without_metadata() {
    let site = Site::new(&format!(
        "{SETTINGS}{}",
        report(
            Some("hall.jpg"),
            "Opening.\n\n![The hall during the opening](hall.jpg)\n"
        )
    ));
    write_bytes(
        &site,
        "content/forums/2025/hall.jpg",
        &rotated_photo_with_gps(),
    );
    let report = site.build();
    assert_eq!((report.images.made, report.images.reused), (1, 0));

    // Not the original: it carries the position.
    assert!(!site.exists("forums/2025/hall.jpg"));
    for (path, size) in [
        ("forums/2025/hall-160w.jpg", (160, 256)),
        ("forums/2025/hall-320w.jpg", (320, 512)),
        ("forums/2025/hall-160w.webp", (160, 256)),
        ("forums/2025/hall-320w.webp", (320, 512)),
        ("forums/2025/hall-card.jpg", (500, 262)),
    ] {
        let bytes = read_bytes(&site, path);
        assert_eq!(metadata_left(&bytes), Vec::<&str>::new(), "{path}");
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!(decoded.dimensions(), size, "{path}");
        if !path.contains("card") {
            // Upright: the left (red) half of the stored pixels is now the top.
            let (w, h) = decoded.dimensions();
            let top = decoded.get_pixel(w / 2, h / 8).0;
            let bottom = decoded.get_pixel(w / 2, h * 7 / 8).0;
            assert!(top[0] > 150 && top[2] < 100, "{path}: top is {top:?}");
            assert!(
                bottom[2] > 150 && bottom[0] < 100,
                "{path}: bottom is {bottom:?}"
            );
        }
    }

    let page = site.page("forums/2025/hall-forum/index.html");
    let pictures = page
        .0
        .select(&scraper::Selector::parse("picture").unwrap())
        .count();
    assert_eq!(pictures, 2, "the hero and the body image");
    let webp = page.attr("picture source[type=\"image/webp\"]", "srcset");
    assert_eq!(
        webp[0],
        "/forums/2025/hall-160w.webp 160w, /forums/2025/hall-320w.webp 320w"
    );
    // Never upscaled, never wider than the widest width asked for.
    assert!(!site.exists("forums/2025/hall-500w.webp"));
    let srcset = page.attr("picture img", "srcset");
    assert!(
        srcset[1].contains("/forums/2025/hall-320w.jpg 320w"),
        "{srcset:?}"
    );
    assert_eq!(page.attr("picture img", "width"), ["320", "320"]);
    assert_eq!(page.attr("picture img", "height"), ["512", "512"]);
    assert_eq!(page.attr("picture img", "sizes").len(), 2);
    assert_eq!(page.attr("picture source", "sizes").len(), 2);
    // The hero is the page's first image: loaded at once. The body's is lazy.
    assert_eq!(
        page.attr("picture img[loading=\"lazy\"]", "alt"),
        ["The hall during the opening"]
    );
    assert_eq!(page.attr("picture img[decoding=\"async\"]", "alt").len(), 1);
    assert_eq!(page.attr("img.hero", "loading"), Vec::<String>::new());
    // The sharing card, with its size.
    assert_eq!(
        page.attr("meta[property=\"og:image\"]", "content"),
        ["https://example.org/forums/2025/hall-card.jpg"]
    );
    assert_eq!(
        page.attr("meta[name=\"twitter:image\"]", "content").len(),
        1
    );
    assert_eq!(
        page.attr("meta[property=\"og:image:width\"]", "content"),
        ["500"]
    );
    assert_eq!(
        page.attr("meta[name=\"twitter:card\"]", "content"),
        ["summary_large_image"]
    );
}

#[test]
fn a_report_with_no_text_yet_keeps_its_image_and_file_names_with_spaces_are_escaped_in_urls() {
    // As an import writes a report: front matter only. Its `image:` is still its own folder's.
    let site = Site::new(&format!(
        "{SETTINGS}{}-- content/forums/2025/other.md --\n---\ntitle: Other\ndate: 2025-10-21\n---\n![The hall](<hall 1.jpg>) and ![The room](%D0%97%D0%B0%D0%BB%201.jpg)\n",
        report(Some("hall 1.jpg"), "")
    ));
    write_bytes(
        &site,
        "content/forums/2025/hall 1.jpg",
        &rotated_photo_with_gps(),
    );
    write_bytes(
        &site,
        "content/forums/2025/Зал 1.jpg",
        &rotated_photo_with_gps(),
    );
    let report = site.build();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert!(site.exists("forums/2025/hall 1-160w.webp"));

    let page = site.page("forums/2025/hall-forum/index.html");
    assert_eq!(
        page.attr("picture source[type=\"image/webp\"]", "srcset"),
        ["/forums/2025/hall%201-160w.webp 160w, /forums/2025/hall%201-320w.webp 320w"]
    );
    assert_eq!(
        page.attr("meta[property=\"og:image\"]", "content"),
        ["https://example.org/forums/2025/hall%201-card.jpg"]
    );
    let other = site.page("forums/2025/other/index.html");
    let srcsets = other.attr("picture img", "srcset");
    assert_eq!(srcsets.len(), 2, "{srcsets:?}");
    assert!(
        srcsets[0].starts_with("/forums/2025/hall%201-160w.jpg 160w, "),
        "{srcsets:?}"
    );
    assert!(
        srcsets[1].starts_with("/forums/2025/%D0%97%D0%B0%D0%BB%201-160w.jpg 160w, "),
        "{srcsets:?}"
    );
    for srcset in srcsets {
        assert!(
            !srcset.split(", ").any(|c| c.split(' ').count() != 2),
            "{srcset}"
        );
    }
}

#[test]
fn a_transparent_logo_keeps_its_transparency_and_a_cmyk_photo_is_published() {
    let site = Site::new(&format!(
        "{SETTINGS}{}-- content/organizations/green-fund.md --\n---\nname: Green Fund\nlogo: logo.png\n---\n-- content/speakers/test-speaker.md --\n---\nname: Test Speaker\nphoto: test-speaker.jpg\n---\n",
        "-- content/forums/2025/f.md --\n---\ntitle: F\ndate: 2025-10-20\norganizers: [Green Fund]\nspeakers:\n  - name: Test Speaker\n---\n"
    ));
    write_bytes(&site, "content/organizations/logo.png", &logo_with_alpha());
    write_bytes(&site, "content/speakers/test-speaker.jpg", &cmyk_jpeg());
    let report = site.build();
    assert_eq!(report.images.made, 2);

    let org = site.page("organizations/green-fund/index.html");
    assert_eq!(org.attr("img.logo", "alt"), ["Logo of Green Fund"]);
    assert_eq!(
        org.attr("img.logo", "src"),
        ["/organizations/logo-300w.png"]
    );
    let png = image::load_from_memory(&read_bytes(&site, "organizations/logo-160w.png")).unwrap();
    assert_eq!(png.dimensions(), (160, 107));
    assert_eq!(
        png.get_pixel(150, 50).0[3],
        0,
        "the right half stays transparent"
    );
    assert_eq!(png.get_pixel(10, 50).0[3], 255);
    let webp = image::load_from_memory(&read_bytes(&site, "organizations/logo-300w.webp")).unwrap();
    assert_eq!(webp.get_pixel(290, 50).0[3], 0);

    let speaker = site.page("speakers/test-speaker/index.html");
    assert_eq!(
        speaker.attr("img.portrait", "alt"),
        ["Portrait of Test Speaker"]
    );
    let jpeg =
        image::load_from_memory(&read_bytes(&site, "speakers/test-speaker-240w.jpg")).unwrap();
    assert_eq!(jpeg.dimensions(), (240, 160));
    let [r, g, b] = jpeg.to_rgb8().get_pixel(20, 80).0;
    assert!(r < 100 && g > 150 && b > 150, "cyan, not {r} {g} {b}");
    assert!(metadata_left(&read_bytes(&site, "speakers/test-speaker-240w.webp")).is_empty());
}

#[test]
fn broken_and_oversized_images_are_errors_naming_the_file() {
    let mut truncated = rotated_photo_with_gps();
    truncated.truncate(truncated.len() / 2);
    let bomb = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/images/bomb.png"),
    )
    .unwrap();
    assert!(bomb.len() < 400_000, "the bomb is small on disk");
    for (name, bytes, why) in [
        ("cut.jpg", truncated.as_slice(), "cannot be read"),
        ("bomb.png", bomb.as_slice(), "too large"),
        (
            "notes.png",
            b"just some text".as_slice(),
            "not a JPEG, PNG or WebP",
        ),
        (
            "anim.webp",
            b"GIF89a\x01\0\x01\0\0\0\0;".as_slice(),
            "not supported",
        ),
    ] {
        let site = Site::new(&format!("{SETTINGS}{}", report(Some(name), "Text.\n")));
        write_bytes(&site, &format!("content/forums/2025/{name}"), bytes);
        let err = match podium::build(&site.options()) {
            Ok(_) => panic!("{name}: the build succeeded"),
            Err(d) => d.iter().map(|d| d.render(false)).collect::<String>(),
        };
        assert!(
            err.contains(&format!("content/forums/2025/{name}")),
            "{name}: {err}"
        );
        assert!(err.contains(why), "{name}: {err}");
        assert!(!site.out().join("index.html").exists());
    }
}

#[test]
fn a_rebuild_reuses_the_cache_and_remakes_a_damaged_entry() {
    let site = Site::new(&format!(
        "{SETTINGS}{}",
        report(Some("hall.jpg"), "Text.\n")
    ));
    write_bytes(
        &site,
        "content/forums/2025/hall.jpg",
        &rotated_photo_with_gps(),
    );
    assert_eq!(site.build().images.made, 1);
    let before = read_bytes(&site, "forums/2025/hall-320w.webp");

    // Another report changes: the image is not decoded again.
    site.write(
        "content/forums/2025/other.md",
        "---\ntitle: Other\ndate: 2025-09-01\n---\nText.\n",
    );
    let second = site.build();
    assert_eq!((second.images.made, second.images.reused), (0, 1));
    assert_eq!(read_bytes(&site, "forums/2025/hall-320w.webp"), before);

    // A damaged cache entry is made again, not published.
    let cache = site.root().join(".public.podium/images");
    let entry = std::fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .find(|e| e.path().is_dir())
        .unwrap()
        .path();
    std::fs::write(entry.join("320.webp"), b"damaged").unwrap();
    site.write(
        "content/forums/2025/other.md",
        "---\ntitle: Other\ndate: 2025-09-02\n---\nText.\n",
    );
    let third = site.build();
    assert_eq!(third.images.made, 1);
    assert_eq!(read_bytes(&site, "forums/2025/hall-320w.webp"), before);

    // A deleted cache is no problem either.
    std::fs::remove_dir_all(&cache).unwrap();
    site.write(
        "content/forums/2025/other.md",
        "---\ntitle: Other\ndate: 2025-09-03\n---\nText.\n",
    );
    assert_eq!(site.build().images.made, 1);
}

#[test]
fn unused_images_stay_unpublished_and_originals_only_when_asked_without_metadata() {
    let txt = format!(
        "{SETTINGS}{}",
        report(None, "See [the full photo](hall.jpg).\n")
    );
    let site = Site::new(&txt);
    write_bytes(
        &site,
        "content/forums/2025/hall.jpg",
        &rotated_photo_with_gps(),
    );
    write_bytes(
        &site,
        "content/forums/2025/unused.jpg",
        &rotated_photo_with_gps(),
    );
    write_bytes(&site, "content/static/banner.png", &logo_with_alpha());
    site.build();
    assert!(!site.exists("forums/2025/unused.jpg"));
    assert!(!site.exists("forums/2025/unused-160w.jpg"));
    // A linked image is published at its path, full size, upright, without metadata.
    let original = read_bytes(&site, "forums/2025/hall.jpg");
    assert!(
        metadata_left(&original).is_empty(),
        "{:?}",
        metadata_left(&original)
    );
    assert_eq!(
        image::load_from_memory(&original).unwrap().dimensions(),
        (500, 800)
    );
    let page = site.page("forums/2025/hall-forum/index.html");
    assert!(page.link_to("/forums/2025/hall.jpg"));
    // `static/` files keep their path (a theme may name them), without metadata.
    assert!(site.exists("banner.png"));

    // `originals: true` publishes every shown image's original too.
    let site = Site::new(&format!(
        "{}{}",
        SETTINGS.replace("  widths", "  originals: true\n  widths"),
        report(Some("hall.jpg"), "Text.\n")
    ));
    write_bytes(
        &site,
        "content/forums/2025/hall.jpg",
        &rotated_photo_with_gps(),
    );
    site.build();
    let original = read_bytes(&site, "forums/2025/hall.jpg");
    assert!(metadata_left(&original).is_empty());
    assert!(site.exists("forums/2025/hall-160w.webp"));
}

#[test]
fn an_image_without_alt_text_is_a_warning_and_a_forum_without_image_shares_the_default() {
    let site = Site::new(&format!(
        "{}{}",
        SETTINGS.replace("images:", "image: share.jpg\nimages:"),
        report(None, "Text.\n\n![](hall.jpg)\n")
    ));
    write_bytes(
        &site,
        "content/forums/2025/hall.jpg",
        &rotated_photo_with_gps(),
    );
    let pixels = RgbImage::from_pixel(1600, 1000, Rgb([10, 90, 160]));
    let mut share = Vec::new();
    pixels
        .write_to(&mut Cursor::new(&mut share), image::ImageFormat::Jpeg)
        .unwrap();
    write_bytes(&site, "content/share.jpg", &share);
    let warnings = site.warnings();
    assert!(
        warnings.contains("content/forums/2025/hall-forum.md:8:1")
            && warnings.contains("image without alt text"),
        "{warnings}"
    );
    let page = site.page("forums/2025/hall-forum/index.html");
    // The body's image is the page's first: not lazy.
    assert_eq!(page.attr("picture img", "loading"), Vec::<String>::new());
    assert_eq!(
        page.attr("meta[property=\"og:image\"]", "content"),
        ["https://example.org/share-card.jpg"]
    );
    assert_eq!(
        page.attr("meta[property=\"og:image:width\"]", "content"),
        ["1200"]
    );
    assert_eq!(
        page.attr("meta[property=\"og:image:height\"]", "content"),
        ["630"]
    );
    let card = image::load_from_memory(&read_bytes(&site, "share-card.jpg")).unwrap();
    assert_eq!(card.dimensions(), (1200, 630));
}

/// A GIF89a of two 1 x 1 frames that loops, with a comment and an XMP block naming a place.
fn animated_gif_with_metadata() -> Vec<u8> {
    [
        b"GIF89a".as_slice(),
        &[1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255],
        &[0x21, 0xFF, 11],
        b"NETSCAPE2.0",
        &[3, 1, 0, 0, 0],
        &[0x21, 0xFE, 11],
        b"SecretPlace",
        &[0],
        &[0x21, 0xF9, 4, 0, 10, 0, 0, 0],
        &[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0],
        &[0x21, 0xFF, 11],
        b"XMP DataXMP",
        &[9],
        b"SecretCam",
        &[0],
        &[0x21, 0xF9, 4, 0, 10, 0, 0, 0],
        &[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x45, 0x01, 0],
        &[0x3B],
    ]
    .concat()
}

/// Photos under JPEG's other names are processed as JPEGs; an image in a format Podium does
/// not decode is an error when shown and stays unpublished when not; a GIF keeps its frames
/// and loses its comment and XMP; an image named from `content/` (`@/`) or shown in a
/// translation only is published as any other.
#[test]
fn every_image_a_page_shows_is_processed_or_refused_whatever_its_name_or_language() {
    let site = Site::new(&format!(
        "{}languages: [en, az]\n---\n{}-- content/forums/2025/hall-forum.az.md --\n---\ntitle: Zal\n---\nMətn.\n\n![Zalın şəkli](zal.jpg)\n-- content/forums/2025/other.md --\n---\ntitle: Other\ndate: 2025-09-01\n---\n![The same hall](@/forums/2025/hall.jpg)\n\n![Animated](wave.gif)\n-- content/speakers/aygun-aliyeva.md --\n---\nname: Aygun Aliyeva\nphoto: aygun.jfif\n---\n",
        SETTINGS.trim_end_matches("---\n"),
        report(Some("hall.jpg"), "Text.\n")
            .replace("city: Baku\n", "city: Baku\nspeakers: [Aygun Aliyeva]\n"),
    ));
    let photo = rotated_photo_with_gps();
    for path in [
        "content/forums/2025/hall.jpg",
        "content/forums/2025/zal.jpg",
        "content/speakers/aygun.jfif",
    ] {
        write_bytes(&site, path, &photo);
    }
    // A camera's HEIF, which Podium does not decode, with the photo's EXIF inside.
    let heic = [b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".as_slice(), &photo].concat();
    write_bytes(&site, "content/forums/2025/scan.heic", &heic);
    write_bytes(
        &site,
        "content/forums/2025/wave.gif",
        &animated_gif_with_metadata(),
    );
    let report = site.build();
    // The same photo three times: with a sharing card (the report's), and without (one entry
    // for the picture in the text and the portrait).
    assert_eq!(report.images.made, 2);

    // The portrait under `.jfif`: variants, upright, without metadata.
    let portrait = read_bytes(&site, "speakers/aygun-160w.jpg");
    assert!(
        metadata_left(&portrait).is_empty(),
        "{:?}",
        metadata_left(&portrait)
    );
    assert!(!site.exists("speakers/aygun.jfif"));
    // Shown in the Azerbaijani text only, named from `content/`: pictures.
    assert!(site.exists("forums/2025/zal-160w.webp"));
    let az = site.page("az/forums/2025/hall-forum/index.html");
    assert!(
        az.attr("picture img", "alt")
            .contains(&"Zalın şəkli".to_string())
    );
    let other = site.page("forums/2025/other/index.html");
    assert!(
        other
            .attr("picture img", "alt")
            .contains(&"The same hall".to_string())
    );
    // Not shown: not published, whatever its format.
    assert!(!site.exists("forums/2025/scan.heic"));
    // The GIF: frames, timing and loop as they were; no comment, no XMP.
    let gif = read_bytes(&site, "forums/2025/wave.gif");
    let has = |needle: &[u8]| gif.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"NETSCAPE2.0") && gif.starts_with(b"GIF89a") && gif.ends_with(&[0x3B]));
    assert!(!has(b"SecretPlace") && !has(b"SecretCam") && !has(b"XMP"));
    assert_eq!(gif.len(), animated_gif_with_metadata().len() - 15 - 25);

    // A format Podium cannot decode, shown: an error naming it, and nothing published.
    let before = site.tree();
    site.write(
        "content/forums/2025/other.md",
        "---\ntitle: Other\ndate: 2025-09-01\n---\n![The scan](scan.heic)\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("content/forums/2025/scan.heic:1:1: image content/forums/2025/scan.heic (shown by content/forums/2025/other.md): it is not a JPEG, PNG or WebP image"),
        "{err}"
    );
    assert_eq!(site.tree(), before);
    write_bytes(&site, "content/forums/2025/scan.tiff", b"II*\0 a TIFF scan");
    site.write(
        "content/forums/2025/other.md",
        "---\ntitle: Other\ndate: 2025-09-01\n---\n![The scan](scan.tiff)\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("image content/forums/2025/scan.tiff (shown by content/forums/2025/other.md): Tiff images are not supported"),
        "{err}"
    );
    assert_eq!(site.tree(), before);
}

/// A photo replaced by another of the same size whose modification time was kept (`cp -p`,
/// `rsync -a`) is read again: the cache tells it by its change time.
#[test]
fn a_photo_replaced_with_its_size_and_time_kept_is_processed_again() {
    let site = Site::new(&format!(
        "{SETTINGS}{}",
        report(Some("hall.png"), "Text.\n")
    ));
    let path = site.root().join("content/forums/2025/hall.png");
    let (first, second) = (
        crate::support::png(300, 200, 10),
        crate::support::png(300, 200, 200),
    );
    assert_eq!(
        first.len(),
        second.len(),
        "the two PNGs must be the same size"
    );
    write_bytes(&site, "content/forums/2025/hall.png", &first);
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    site.build();
    let before = read_bytes(&site, "forums/2025/hall-160w.webp");
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&path, &second).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    site.write(
        "content/forums/2025/other.md",
        "---\ntitle: Other\ndate: 2025-09-01\n---\nText.\n",
    );
    assert_eq!(site.build().images.made, 1);
    assert_ne!(read_bytes(&site, "forums/2025/hall-160w.webp"), before);
}

/// The same photo beside many reports is one cache entry, made by whichever job comes
/// first; the others take it (they once failed, racing for the same folder).
#[test]
fn the_same_photo_in_many_folders_builds_every_time() {
    let mut txtar = SETTINGS.to_string();
    for i in 0..8 {
        txtar.push_str(&format!(
            "-- content/forums/{i}/f.md --\n---\ntitle: F{i}\ndate: 2025-10-2{i}\nimage: hall.png\n---\nText.\n"
        ));
    }
    let site = Site::new(&txtar);
    for i in 0..8 {
        write_bytes(
            &site,
            &format!("content/forums/{i}/hall.png"),
            &crate::support::png(400, 300, 90),
        );
    }
    for _ in 0..4 {
        let _ = std::fs::remove_dir_all(site.root().join(".public.podium"));
        let _ = std::fs::remove_dir_all(site.out());
        site.build();
        for i in 0..8 {
            assert!(site.exists(&format!("forums/{i}/hall-320w.webp")));
        }
    }
}
