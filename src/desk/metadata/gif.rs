//! GIF metadata stripping by walking the block structure (GIF89a spec):
//! comment, plain-text and application extensions go, except the looping
//! extensions browsers need (NETSCAPE2.0, ANIMEXTS1.0); graphic-control
//! extensions and image data are copied byte for byte. Anything the walker
//! cannot follow to the trailer is refused, never passed through.

/// Why a GIF was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed;

const EXTENSION: u8 = 0x21;
const IMAGE: u8 = 0x2C;
const TRAILER: u8 = 0x3B;
const GRAPHIC_CONTROL: u8 = 0xF9;
const COMMENT: u8 = 0xFE;
const PLAIN_TEXT: u8 = 0x01;
const APPLICATION: u8 = 0xFF;

/// Application extensions that only say how often an animation loops.
const LOOPING: [&[u8; 11]; 2] = [b"NETSCAPE2.0", b"ANIMEXTS1.0"];

/// A cursor over the input that fails instead of reading past the end.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Malformed> {
        let end = self.pos.checked_add(n).ok_or(Malformed)?;
        let bytes = self.data.get(self.pos..end).ok_or(Malformed)?;
        self.pos = end;
        Ok(bytes)
    }

    fn byte(&mut self) -> Result<u8, Malformed> {
        Ok(self.take(1)?[0])
    }

    /// Data sub-blocks up to and including the zero-length terminator.
    fn sub_blocks(&mut self) -> Result<&'a [u8], Malformed> {
        let start = self.pos;
        loop {
            let len = self.byte()?;
            if len == 0 {
                return self.data.get(start..self.pos).ok_or(Malformed);
            }
            self.take(usize::from(len))?;
        }
    }
}

/// Size of a colour table announced by a packed field, if any.
fn color_table(packed: u8) -> usize {
    if packed & 0x80 == 0 {
        0
    } else {
        3 << ((packed & 0x07) + 1)
    }
}

/// The GIF without its metadata extensions, and how many were removed.
pub fn strip(data: &[u8]) -> Result<(Vec<u8>, usize), Malformed> {
    let mut r = Reader { data, pos: 0 };
    let header = r.take(6)?;
    if header != b"GIF87a" && header != b"GIF89a" {
        return Err(Malformed);
    }
    let screen = r.take(7)?;
    let global = r.take(color_table(screen[4]))?;
    let mut out = Vec::with_capacity(data.len());
    out.extend_from_slice(header);
    out.extend_from_slice(screen);
    out.extend_from_slice(global);
    let mut removed = 0;
    // A graphic-control extension belongs to the next image (or plain text):
    // held until we know whether that block stays.
    let mut control: Option<&[u8]> = None;
    loop {
        let start = r.pos;
        match r.byte()? {
            IMAGE => {
                let descriptor = r.take(9)?;
                r.take(color_table(descriptor[8]))?;
                r.byte()?; // LZW minimum code size
                r.sub_blocks()?;
                if let Some(c) = control.take() {
                    out.extend_from_slice(c);
                }
                out.extend_from_slice(data.get(start..r.pos).ok_or(Malformed)?);
            }
            EXTENSION => {
                let label = r.byte()?;
                let first = r.pos;
                r.sub_blocks()?;
                let block = data.get(start..r.pos).ok_or(Malformed)?;
                match label {
                    GRAPHIC_CONTROL => {
                        if control.replace(block).is_some() {
                            removed += 1;
                        }
                    }
                    APPLICATION => {
                        // The first sub-block: length 11, identifier and code.
                        let id = data.get(first..first + 12);
                        // Kept only in its exact shape (identifier, then the
                        // sub-block `3, 1, count lo, count hi` and the end),
                        // so no other bytes can ride along with it.
                        let looping = id.is_some_and(|id| {
                            id[0] == 11 && LOOPING.iter().any(|l| &id[1..] == l.as_slice())
                        }) && block.len() == 19
                            && block[14..16] == [3, 1]
                            && block[18] == 0;
                        if looping {
                            out.extend_from_slice(block);
                        } else {
                            removed += 1;
                        }
                    }
                    PLAIN_TEXT => {
                        // Its graphic control goes with it.
                        removed += 1 + usize::from(control.take().is_some());
                    }
                    COMMENT => removed += 1,
                    // Extensions we do not know: not needed to draw.
                    _ => removed += 1,
                }
            }
            TRAILER => {
                removed += usize::from(control.is_some());
                out.push(TRAILER);
                // Whatever follows the trailer is not part of the image.
                return Ok((out, removed));
            }
            _ => return Err(Malformed),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A valid 2x1 GIF89a: global colour table of two colours, one image
    /// whose LZW data is fixed bytes, with the extensions asked for.
    pub(crate) fn gif(extensions: &[&[u8]]) -> Vec<u8> {
        let mut v = b"GIF89a".to_vec();
        v.extend([2, 0, 1, 0, 0x80, 0, 0]); // 2x1, global table of 2
        v.extend([0, 0, 0, 255, 255, 255]);
        for e in extensions {
            v.extend_from_slice(e);
        }
        v.extend_from_slice(&image());
        v.push(TRAILER);
        v
    }

    /// The image block: descriptor, code size 2, one data sub-block.
    pub(crate) fn image() -> Vec<u8> {
        let mut v = vec![IMAGE, 0, 0, 0, 0, 2, 0, 1, 0, 0];
        v.extend([2, 2, 0x4C, 0x01, 0]);
        v
    }

    pub(crate) fn comment(text: &[u8]) -> Vec<u8> {
        let mut v = vec![EXTENSION, COMMENT, u8::try_from(text.len()).unwrap()];
        v.extend_from_slice(text);
        v.push(0);
        v
    }

    pub(crate) fn application(id: &[u8; 11], data: &[u8]) -> Vec<u8> {
        let mut v = vec![EXTENSION, APPLICATION, 11];
        v.extend_from_slice(id);
        v.push(u8::try_from(data.len()).unwrap());
        v.extend_from_slice(data);
        v.push(0);
        v
    }

    fn control() -> Vec<u8> {
        vec![EXTENSION, GRAPHIC_CONTROL, 4, 0, 10, 0, 0, 0]
    }

    fn plain_text(text: &[u8]) -> Vec<u8> {
        let mut v = vec![EXTENSION, PLAIN_TEXT, 12];
        v.extend([0; 12]);
        v.push(u8::try_from(text.len()).unwrap());
        v.extend_from_slice(text);
        v.push(0);
        v
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn gif_comments_xmp_and_plain_text_go_while_looping_control_and_image_data_stay() {
        let looping = application(b"NETSCAPE2.0", &[1, 0, 0]);
        let xmp = application(b"XMP DataXMP", b"<x:xmpmeta>GPS 52.37N</x:xmpmeta>");
        let input = gif(&[
            &looping,
            &comment(b"taken by J. Jansen"),
            &xmp,
            &control(),
            &plain_text(b"Straat 12"),
            &control(),
        ]);
        let (out, removed) = strip(&input).unwrap();
        assert_eq!(removed, 4, "comment, XMP, plain text and its control");
        for gone in [&b"Jansen"[..], b"GPS", b"XMP", b"Straat"] {
            assert!(!contains(&out, gone), "{gone:?} left");
        }
        assert!(contains(&out, &looping));
        assert!(contains(&out, &[control(), image()].concat()));
        assert_eq!(out, gif(&[&looping, &control()]));
        // What comes out walks again and has nothing left to remove.
        assert_eq!(strip(&out).unwrap(), (out.clone(), 0));
    }

    #[test]
    fn a_looping_extension_carrying_more_than_its_loop_count_goes() {
        let mut smuggled = application(b"NETSCAPE2.0", &[1, 0, 0]);
        smuggled.pop();
        smuggled.extend([9]);
        smuggled.extend(b"Jansen 06");
        smuggled.push(0);
        let long = application(b"ANIMEXTS1.0", b"\x01\x00\x00Jansen");
        for extra in [smuggled, long] {
            let (out, removed) = strip(&gif(&[&extra])).unwrap();
            assert_eq!((out, removed), (gif(&[]), 1));
        }
    }

    #[test]
    fn a_gif_without_metadata_comes_out_byte_for_byte() {
        let input = gif(&[&control()]);
        assert_eq!(strip(&input).unwrap(), (input, 0));
    }

    #[test]
    fn bytes_after_the_gif_trailer_are_dropped() {
        let mut input = gif(&[]);
        input.extend(b"appended secret");
        let (out, _) = strip(&input).unwrap();
        assert_eq!(out, gif(&[]));
    }

    #[test]
    fn truncated_or_malformed_gifs_are_refused() {
        let input = gif(&[&comment(b"x")]);
        for n in 0..input.len() {
            assert_eq!(strip(&input[..n]), Err(Malformed), "cut at {n}");
        }
        let mut bad = gif(&[]);
        bad[13 + 6] = 0x99; // an unknown block where the image should start
        assert_eq!(strip(&bad), Err(Malformed));
        assert_eq!(strip(b"GIF90a......."), Err(Malformed));
    }
}
