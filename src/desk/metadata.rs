//! Stripping identifying metadata from photos before they leave the desk.
//!
//! A reporter's photo may carry GPS coordinates, a camera serial, a time and an
//! author in EXIF/XMP (JPEG), in text and eXIf chunks (PNG), in comment and
//! application extensions (GIF) or in EXIF and XMP chunks (WebP). Stripping
//! removes those containers and keeps the image data as it is (no re-encoding);
//! a file of one of these types that does not parse comes back `Unsupported`,
//! unchanged, and the browser desk then refuses to show it inline.

mod gif;
mod webp;

use img_parts::jpeg::{markers, Jpeg};
use img_parts::png::Png;
use img_parts::Bytes;

/// What stripping did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A JPEG; this many metadata segments were removed.
    Jpeg(usize),
    /// A PNG; this many metadata chunks were removed.
    Png(usize),
    /// A GIF; this many metadata extensions were removed.
    Gif(usize),
    /// A WebP; this many metadata chunks were removed.
    Webp(usize),
    /// None of the four, or one that does not parse: left untouched.
    Unsupported,
}

impl Outcome {
    /// What stripping did, in a sentence for the terminal.
    pub fn describe(self) -> String {
        match self {
            Outcome::Jpeg(n) => format!("Removed {n} metadata segment(s) from the JPEG."),
            Outcome::Png(n) => format!("Removed {n} metadata chunk(s) from the PNG."),
            Outcome::Gif(n) => format!("Removed {n} metadata extension(s) from the GIF."),
            Outcome::Webp(n) => format!("Removed {n} metadata chunk(s) from the WebP."),
            Outcome::Unsupported => "Not a JPEG, PNG, GIF or WebP that could be read: saved unchanged. It may still carry metadata that identifies the reporter.".into(),
        }
    }
}

/// JPEG segments that hold metadata rather than image data: EXIF and XMP (APP1),
/// vendor blocks (APP3..APP13, APP15) and comments. APP0 (JFIF), APP2 (ICC
/// colour profile) and APP14 (Adobe colour transform) are needed to show the
/// image correctly and are kept.
fn jpeg_metadata(marker: u8) -> bool {
    marker == markers::APP1
        || (markers::APP3..=markers::APP13).contains(&marker)
        || marker == markers::APP15
        || marker == markers::COM
}

/// PNG chunks that hold metadata: EXIF, text of all kinds, modification time.
const PNG_METADATA: [[u8; 4]; 5] = [*b"eXIf", *b"tEXt", *b"zTXt", *b"iTXt", *b"tIME"];

/// Strips metadata from `data` if it is a JPEG, PNG, GIF or WebP.
pub fn strip(data: Vec<u8>) -> (Vec<u8>, Outcome) {
    let bytes = Bytes::from(data);
    if let Ok(mut jpeg) = Jpeg::from_bytes(bytes.clone()) {
        let before = jpeg.segments().len();
        jpeg.segments_mut().retain(|s| !jpeg_metadata(s.marker()));
        let removed = before - jpeg.segments().len();
        return (jpeg.encoder().bytes().to_vec(), Outcome::Jpeg(removed));
    }
    if let Ok(mut png) = Png::from_bytes(bytes.clone()) {
        let before = png.chunks().len();
        png.chunks_mut()
            .retain(|c| !PNG_METADATA.contains(&c.kind()));
        let removed = before - png.chunks().len();
        return (png.encoder().bytes().to_vec(), Outcome::Png(removed));
    }
    if let Ok((out, removed)) = gif::strip(&bytes) {
        return (out, Outcome::Gif(removed));
    }
    if let Ok((out, removed)) = webp::strip(bytes.clone()) {
        return (out, Outcome::Webp(removed));
    }
    (bytes.to_vec(), Outcome::Unsupported)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal JPEG: SOI, APP0 (JFIF), APP1 (EXIF with a fake GPS tag), COM,
    /// DQT, SOS with one byte of entropy data, EOI.
    fn jpeg_with_exif() -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8];
        let seg = |marker: u8, body: &[u8]| {
            let mut s = vec![0xFF, marker];
            s.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
            s.extend_from_slice(body);
            s
        };
        v.extend(seg(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        v.extend(seg(0xE1, b"Exif\0\0GPS-52.37N-4.89E"));
        v.extend(seg(0xFE, b"taken by J. Jansen"));
        v.extend(seg(0xDB, &[0u8; 65]));
        v.extend(seg(0xDA, &[1, 1, 0, 0, 63, 0]));
        v.extend([0x12, 0x34]);
        v.extend([0xFF, 0xD9]);
        v
    }

    #[test]
    fn exif_and_comments_leave_a_jpeg_and_the_image_data_stays() {
        let (out, outcome) = strip(jpeg_with_exif());
        assert_eq!(outcome, Outcome::Jpeg(2));
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains("GPS"));
        assert!(!text.contains("Jansen"));
        assert!(text.contains("JFIF"));
        assert!(out.windows(2).any(|w| w == [0x12, 0x34]));
    }

    #[test]
    fn gif_and_webp_metadata_are_stripped_too() {
        let gif = gif::tests::gif(&[&gif::tests::comment(b"taken by J. Jansen")]);
        let (out, outcome) = strip(gif);
        assert_eq!(outcome, Outcome::Gif(1));
        assert_eq!(out, gif::tests::gif(&[]));
        let (out, outcome) = strip(webp::tests::webp_with_metadata());
        assert_eq!(outcome, Outcome::Webp(2));
        assert!(!String::from_utf8_lossy(&out).contains("Jansen"));
    }

    /// A small deterministic generator: the fuzz loop is the same every run.
    fn xorshift(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn random_truncations_and_flipped_bytes_never_panic_and_what_passes_parses_again() {
        let gif = gif::tests::gif(&[&gif::tests::application(b"XMP DataXMP", b"<xmp/>")]);
        let samples = [jpeg_with_exif(), gif, webp::tests::webp_with_metadata()];
        let mut state = 0x9E37_79B9_7F4A_7C15;
        for sample in &samples {
            for _ in 0..400 {
                let mut data = sample.clone();
                let cut = usize::try_from(xorshift(&mut state)).unwrap() % (data.len() + 1);
                data.truncate(cut);
                if !data.is_empty() && xorshift(&mut state).is_multiple_of(2) {
                    let at = usize::try_from(xorshift(&mut state)).unwrap() % data.len();
                    data[at] ^= u8::try_from(xorshift(&mut state) % 255 + 1).unwrap();
                }
                let (out, outcome) = strip(data.clone());
                if outcome == Outcome::Unsupported {
                    assert_eq!(out, data, "refused input comes back unchanged");
                } else {
                    assert_ne!(strip(out).1, Outcome::Unsupported);
                }
            }
        }
    }

    #[test]
    fn other_files_are_left_untouched() {
        let data = b"%PDF-1.4 not an image".to_vec();
        let (out, outcome) = strip(data.clone());
        assert_eq!(outcome, Outcome::Unsupported);
        assert_eq!(out, data);
    }
}
