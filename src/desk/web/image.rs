//! Which attachments may be shown inline: only PNG, JPEG, GIF and WebP, and
//! only as their bytes say, never as the reporter's file name or type claims.
//!
//! The signatures are the fixed magic numbers at the start of each format (as
//! the WHATWG MIME Sniffing standard lists them for images); a browser decides
//! from the same bytes, so SVG, HTML or PDF can never pass for one of these.

/// An image type the desk shows inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// GIF (87a or 89a).
    Gif,
    /// WebP (RIFF container).
    Webp,
}

impl ImageKind {
    /// The Content-Type it is served with.
    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Gif => "image/gif",
            ImageKind::Webp => "image/webp",
        }
    }

    /// A file extension for saving.
    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpg",
            ImageKind::Gif => "gif",
            ImageKind::Webp => "webp",
        }
    }
}

/// The image type `bytes` start with, if one of the four.
pub fn kind(bytes: &[u8]) -> Option<ImageKind> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageKind::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageKind::Jpeg)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(ImageKind::Gif)
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some(ImageKind::Webp)
    } else {
        None
    }
}

/// The bytes to show inline: an image of the four types whose metadata
/// could be stripped. One whose bytes claim a type but do not parse is
/// `None`: offered for saving only, never shown with its metadata.
pub fn inline(bytes: &[u8]) -> Option<(ImageKind, Vec<u8>)> {
    use crate::desk::metadata::{strip, Outcome};
    let kind = kind(bytes)?;
    let (clean, outcome) = strip(bytes.to_vec());
    let stripped = matches!(
        (kind, outcome),
        (ImageKind::Png, Outcome::Png(_))
            | (ImageKind::Jpeg, Outcome::Jpeg(_))
            | (ImageKind::Gif, Outcome::Gif(_))
            | (ImageKind::Webp, Outcome::Webp(_))
    );
    stripped.then_some((kind, clean))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_image_bytes_count_whatever_the_name_says() {
        assert_eq!(kind(b"\x89PNG\r\n\x1a\nrest"), Some(ImageKind::Png));
        assert_eq!(kind(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(ImageKind::Jpeg));
        assert_eq!(kind(b"GIF89a.."), Some(ImageKind::Gif));
        assert_eq!(kind(b"RIFF\0\0\0\0WEBPVP8 "), Some(ImageKind::Webp));
        assert_eq!(kind(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), None);
        assert_eq!(kind(b"<html><script>"), None);
        assert_eq!(kind(b"%PDF-1.7"), None);
        assert_eq!(kind(b"RIFF\0\0\0\0WAVE"), None);
    }

    #[test]
    fn an_image_whose_metadata_cannot_be_stripped_is_never_shown_inline() {
        // Right magic numbers, then nothing a parser can follow.
        for bytes in [
            &b"GIF89a\x01\x00"[..],
            b"RIFF\x10\0\0\0WEBPVP8X",
            b"\x89PNG\r\n\x1a\ntruncated",
            &[0xFF, 0xD8, 0xFF, 0xE1, 0xFF],
        ] {
            assert!(inline(bytes).is_none(), "{bytes:?}");
        }
    }
}
