//! WebP metadata stripping on the RIFF chunks (img-parts parses them): only
//! the chunks that draw the image stay (VP8X, VP8, VP8L, ALPH, ANIM, ANMF and
//! the ICCP colour profile); EXIF, XMP and any unknown chunk go, and the VP8X
//! flags that announce EXIF and XMP are cleared. Image data is not touched.

use img_parts::riff::{RiffChunk, RiffContent};
use img_parts::webp::{
    WebP, CHUNK_ALPH, CHUNK_ANIM, CHUNK_ANMF, CHUNK_ICCP, CHUNK_VP8, CHUNK_VP8L, CHUNK_VP8X,
};
use img_parts::Bytes;

/// Why a WebP was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed;

/// Chunks needed to show the image.
const KEEP: [[u8; 4]; 7] = [
    CHUNK_VP8X, CHUNK_VP8, CHUNK_VP8L, CHUNK_ALPH, CHUNK_ANIM, CHUNK_ANMF, CHUNK_ICCP,
];

/// VP8X flag bits (first byte) that announce EXIF and XMP chunks.
const EXIF_FLAG: u8 = 0b0000_1000;
const XMP_FLAG: u8 = 0b0000_0100;

/// The WebP without its metadata chunks, and how many were removed.
pub fn strip(data: Bytes) -> Result<(Vec<u8>, usize), Malformed> {
    let mut webp = WebP::from_bytes(data).map_err(|_| Malformed)?;
    let chunks = webp.chunks_mut();
    if !chunks
        .iter()
        .any(|c| [CHUNK_VP8, CHUNK_VP8L, CHUNK_ANMF].contains(&c.id()))
    {
        return Err(Malformed);
    }
    let before = chunks.len();
    chunks.retain(|c| KEEP.contains(&c.id()));
    let removed = before - chunks.len();
    for chunk in chunks.iter_mut().filter(|c| c.id() == CHUNK_VP8X) {
        let RiffContent::Data(flags) = chunk.content() else {
            return Err(Malformed);
        };
        let mut flags = flags.to_vec();
        let first = flags.first_mut().ok_or(Malformed)?;
        *first &= !(EXIF_FLAG | XMP_FLAG);
        *chunk = RiffChunk::new(CHUNK_VP8X, RiffContent::Data(Bytes::from(flags)));
    }
    Ok((webp.encoder().bytes().to_vec(), removed))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A 1x1 lossless WebP bitstream (VP8L, 13 bytes).
    pub(crate) const VP8L_1X1: [u8; 13] = [
        0x2f, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07,
    ];

    fn chunk(id: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = id.to_vec();
        v.extend(u32::try_from(body.len()).unwrap().to_le_bytes());
        v.extend_from_slice(body);
        if body.len() % 2 == 1 {
            v.push(0);
        }
        v
    }

    /// A RIFF WEBP file of these chunks.
    pub(crate) fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = chunks.concat();
        let mut v = b"RIFF".to_vec();
        v.extend(u32::try_from(body.len() + 4).unwrap().to_le_bytes());
        v.extend(b"WEBP");
        v.extend(body);
        v
    }

    /// The extended format: VP8X with the ICC, EXIF and XMP flags, then
    /// ICCP, the image, EXIF and XMP (the order the container spec gives).
    pub(crate) fn webp_with_metadata() -> Vec<u8> {
        let vp8x = [0b0010_1100, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        riff(&[
            chunk(b"VP8X", &vp8x),
            chunk(b"ICCP", b"colour profile"),
            chunk(b"VP8L", &VP8L_1X1),
            chunk(b"EXIF", b"Exif\0\0GPS 52.37N 4.89E"),
            chunk(b"XMP ", b"<x:xmpmeta>J. Jansen</x:xmpmeta>"),
        ])
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn webp_exif_and_xmp_go_their_flags_are_cleared_and_the_image_data_stays() {
        let (out, removed) = strip(Bytes::from(webp_with_metadata())).unwrap();
        assert_eq!(removed, 2);
        assert!(!contains(&out, b"GPS") && !contains(&out, b"Jansen"));
        assert!(!contains(&out, b"EXIF") && !contains(&out, b"XMP "));
        let vp8x = [0b0010_0000, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(
            out,
            riff(&[
                chunk(b"VP8X", &vp8x),
                chunk(b"ICCP", b"colour profile"),
                chunk(b"VP8L", &VP8L_1X1),
            ])
        );
        assert_eq!(strip(Bytes::from(out.clone())).unwrap(), (out, 0));
    }

    #[test]
    fn a_simple_webp_comes_out_byte_for_byte() {
        let input = riff(&[chunk(b"VP8L", &VP8L_1X1)]);
        assert_eq!(strip(Bytes::from(input.clone())).unwrap(), (input, 0));
    }

    #[test]
    fn truncated_or_imageless_webps_are_refused() {
        let input = webp_with_metadata();
        for n in 0..input.len() {
            assert!(strip(Bytes::copy_from_slice(&input[..n])).is_err(), "{n}");
        }
        let no_image = riff(&[chunk(b"EXIF", b"Exif\0\0")]);
        assert_eq!(strip(Bytes::from(no_image)), Err(Malformed));
    }
}
