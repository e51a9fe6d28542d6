//! GIF files, published with their frames as they are and nothing else.
//!
//! A GIF is not re-encoded as the photos are: decoding and encoding it again would lose its
//! animation or blow it up. But a GIF may carry more than pictures: comment blocks, and
//! application blocks that hold XMP (where a photo editor puts the author, the place, the
//! camera) or anything else a tool chose to keep. So its blocks are copied one by one, the
//! ones that make the picture (the screen, the colour tables, each frame and its timing, the
//! plain-text frames) and the one that makes it loop; everything else is left out, and so is
//! anything after the file's end marker. The format is GIF89a's own (w3.org/Graphics/GIF):
//! a header, the screen with its colour table, then blocks, each a kind and a run of
//! sub-blocks of at most 255 bytes ended by an empty one.

/// The application blocks kept: the loop count of an animation (Netscape's, and the same
/// block under its other name).
const KEPT_APPLICATIONS: [&[u8]; 2] = [b"NETSCAPE2.0", b"ANIMEXTS1.0"];

/// `bytes` with only the blocks that make the picture, or why they cannot be read.
pub fn without_metadata(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut r = Reader { bytes, at: 0 };
    let mut out = Vec::with_capacity(bytes.len());
    let header = r.take(6)?;
    if header != b"GIF87a" && header != b"GIF89a" {
        return Err("it is not a GIF image (its first bytes are not those of one)".into());
    }
    out.extend_from_slice(header);
    let screen = r.take(7)?;
    out.extend_from_slice(screen);
    out.extend_from_slice(r.take(colour_table_len(screen[4]))?);
    // A file may end without its end marker, between blocks: many tools write them so.
    while let Ok(kind) = r.take(1).map(|b| b[0]) {
        match kind {
            // A frame: where it is, its own colour table, then its compressed pixels.
            0x2C => {
                let descriptor = r.take(9)?;
                out.push(kind);
                out.extend_from_slice(descriptor);
                out.extend_from_slice(r.take(colour_table_len(descriptor[8]))?);
                out.extend_from_slice(r.take(1)?);
                out.extend_from_slice(r.sub_blocks()?);
            }
            0x21 => {
                let label = r.take(1)?[0];
                let blocks = r.sub_blocks()?;
                let kept = match label {
                    // A frame's timing and transparency; text shown as a frame.
                    0xF9 | 0x01 => true,
                    0xFF => KEPT_APPLICATIONS
                        .iter()
                        .any(|name| blocks.get(1..12) == Some(*name)),
                    // Comments (0xFE) and anything else.
                    _ => false,
                };
                if kept {
                    out.extend_from_slice(&[kind, label]);
                    out.extend_from_slice(blocks);
                }
            }
            0x3B => break,
            other => {
                return Err(format!(
                    "it cannot be read: a block of an unknown kind ({other:#04x}) at byte {}; open it in an image editor and save it again",
                    r.at - 1
                ));
            }
        }
    }
    out.push(0x3B);
    Ok(out)
}

/// The length of the colour table a packed byte (of the screen or of a frame) announces.
fn colour_table_len(packed: u8) -> usize {
    if packed & 0x80 == 0 {
        0
    } else {
        3 << ((packed & 0x07) + 1)
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let taken = self
            .bytes
            .get(self.at..self.at + n)
            .ok_or("it cannot be read: the file is cut short; copy it again from where it came")?;
        self.at += n;
        Ok(taken)
    }

    /// A run of sub-blocks with the empty one that ends it.
    fn sub_blocks(&mut self) -> Result<&'a [u8], String> {
        let start = self.at;
        loop {
            let len = self.take(1)?[0] as usize;
            if len == 0 {
                return Ok(&self.bytes[start..self.at]);
            }
            self.take(len)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A GIF89a of two 1 x 1 frames that loops, with a comment, an XMP block and bytes after
    /// its end: `(file, the same without the comment, the XMP and the bytes after)`.
    pub fn animated_with_metadata() -> (Vec<u8>, Vec<u8>) {
        let screen = [
            b"GIF89a".as_slice(),
            &[1, 0, 1, 0, 0x80, 0, 0],
            &[0, 0, 0, 255, 255, 255],
        ]
        .concat();
        let looping = [&[0x21, 0xFF, 11][..], b"NETSCAPE2.0", &[3, 1, 0, 0, 0]].concat();
        let frame = |colour: u8| {
            [
                &[0x21, 0xF9, 4, 0, 10, 0, 0, 0][..],
                &[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0],
                &[2, 2, 0x44 | colour, 0x01, 0],
            ]
            .concat()
        };
        let comment = [&[0x21, 0xFE, 9][..], b"Baku 40.4", &[0]].concat();
        let xmp = [
            &[0x21, 0xFF, 11][..],
            b"XMP DataXMP",
            &[20],
            b"<x:GPSLatitude>40.4 ",
            &[0],
        ]
        .concat();
        let file = [
            screen.as_slice(),
            &looping,
            &comment,
            &frame(0),
            &xmp,
            &frame(1),
            &[0x3B],
            b"appended secret",
        ]
        .concat();
        let clean = [screen.as_slice(), &looping, &frame(0), &frame(1), &[0x3B]].concat();
        (file, clean)
    }

    #[test]
    fn the_frames_and_the_loop_are_kept_and_nothing_else() {
        let (file, clean) = animated_with_metadata();
        let out = without_metadata(&file).unwrap();
        assert_eq!(out, clean);
        assert!(!out.windows(4).any(|w| w == b"Baku"));
        assert!(!out.windows(3).any(|w| w == b"XMP"));
        // Already clean, it comes out as it went in.
        assert_eq!(without_metadata(&clean).unwrap(), clean);
        // Without its end marker, it gets one.
        assert_eq!(without_metadata(&clean[..clean.len() - 1]).unwrap(), clean);
    }

    #[test]
    fn a_file_cut_short_or_not_a_gif_is_refused() {
        let (_, clean) = animated_with_metadata();
        for cut in [3, 10, 30, clean.len() - 4] {
            let why = without_metadata(&clean[..cut]).unwrap_err();
            assert!(why.contains("cut short"), "{cut}: {why}");
        }
        assert!(
            without_metadata(b"\x89PNG\r\n\x1a\n")
                .unwrap_err()
                .contains("not a GIF")
        );
        let mut odd = clean.clone();
        let last = odd.len() - 1;
        odd[last] = 0x77;
        assert!(without_metadata(&odd).unwrap_err().contains("unknown kind"));
    }
}
