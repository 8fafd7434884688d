//! Envelopes: padding and age encryption of everything a reporter sends.
//!
//! Messages are padded with trailing spaces (valid JSON whitespace) to a Padmé
//! bucket before encryption, so a ciphertext's length says little about the text.
//! Attachments are streamed through age's STREAM writer and keep their exact bytes.

use std::io::{Read, Write};

use zeroize::Zeroizing;

/// Smallest padded message: short reports all look alike.
pub const MIN_PADDED: usize = 1024;

/// Failures of sealing and opening.
#[derive(Debug, thiserror::Error)]
pub enum EnvelopeError {
    /// No recipient was given; encrypting to nobody would lose the data.
    #[error("no recipients to encrypt to")]
    NoRecipients,
    /// age refused to encrypt.
    #[error("encryption failed: {0}")]
    Encrypt(#[from] age::EncryptError),
    /// The ciphertext is not for any of our identities, or is damaged.
    #[error("decryption failed: {0}")]
    Decrypt(#[from] age::DecryptError),
    /// Reading or writing the stream failed.
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}

/// The Padmé length for `len`: at most ~12% overhead, and only O(log log n) bits
/// of the length survive.
pub fn padme(len: usize) -> usize {
    if len < 2 {
        return len;
    }
    let e = usize::BITS - 1 - len.leading_zeros(); // floor(log2 len)
    let s = u32::BITS - e.leading_zeros(); // floor(log2 e) + 1
    let last_bits = e.saturating_sub(s);
    let mask = (1usize << last_bits) - 1;
    (len + mask) & !mask
}

/// Pads a JSON document with spaces to `max(MIN_PADDED, padme(len))` bytes.
pub fn pad(mut plaintext: Vec<u8>) -> Zeroizing<Vec<u8>> {
    let target = padme(plaintext.len().max(MIN_PADDED));
    plaintext.resize(target, b' ');
    Zeroizing::new(plaintext)
}

fn encryptor<'a>(
    recipients: impl Iterator<Item = &'a dyn age::Recipient>,
) -> Result<age::Encryptor, EnvelopeError> {
    let mut recipients = recipients.peekable();
    if recipients.peek().is_none() {
        return Err(EnvelopeError::NoRecipients);
    }
    Ok(age::Encryptor::with_recipients(recipients)?)
}

/// Encrypts `plaintext` (already padded if it should be) to every recipient.
pub fn seal<'a>(
    plaintext: &[u8],
    recipients: impl Iterator<Item = &'a dyn age::Recipient>,
) -> Result<Vec<u8>, EnvelopeError> {
    let mut out = Vec::with_capacity(plaintext.len() + 256);
    let mut writer = encryptor(recipients)?.wrap_output(&mut out)?;
    writer.write_all(plaintext)?;
    writer.finish()?;
    Ok(out)
}

/// A writer that encrypts as it goes; call `finish` to write the last chunk.
pub fn seal_stream<'a, W: Write>(
    output: W,
    recipients: impl Iterator<Item = &'a dyn age::Recipient>,
) -> Result<age::stream::StreamWriter<W>, EnvelopeError> {
    Ok(encryptor(recipients)?.wrap_output(output)?)
}

/// Decrypts a whole age file held in memory; the plaintext is wiped when dropped.
pub fn open<'a>(
    ciphertext: &[u8],
    identities: impl Iterator<Item = &'a dyn age::Identity>,
) -> Result<Zeroizing<Vec<u8>>, EnvelopeError> {
    let mut reader = open_stream(ciphertext, identities)?;
    let mut out = Zeroizing::new(Vec::new());
    reader.read_to_end(&mut out)?;
    Ok(out)
}

/// A reader that decrypts an age stream.
pub fn open_stream<'a, R: Read>(
    input: R,
    identities: impl Iterator<Item = &'a dyn age::Identity>,
) -> Result<age::stream::StreamReader<R>, EnvelopeError> {
    let decryptor = age::Decryptor::new(input)?;
    Ok(decryptor.decrypt(identities)?)
}

/// Parses an age recipients file: one `age1...` or `age1pq1...` per line, `#`
/// comments, blanks. A `# comment` after the key on the same line is accepted
/// too (operators write `age1... # Anna`), though the reference `age -R` would
/// refuse it.
pub fn parse_recipients(text: &str) -> Result<Vec<crate::hybrid::AnyRecipient>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = match line.split_once(char::is_whitespace) {
            Some((key, rest)) if rest.trim_start().starts_with('#') => key,
            _ => line,
        };
        let r = line
            .parse::<crate::hybrid::AnyRecipient>()
            .map_err(|e| format!("line {}: {e}", n + 1))?;
        out.push(r);
    }
    Ok(out)
}

/// Views a list of recipients as the trait objects age wants.
pub fn as_recipients<R: age::Recipient>(list: &[R]) -> impl Iterator<Item = &dyn age::Recipient> {
    list.iter().map(|r| r as &dyn age::Recipient)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn padme_matches_the_published_examples() {
        // Worked by hand from the Padmé definition (PURBs paper, section 4).
        assert_eq!(padme(1024), 1024);
        assert_eq!(padme(1025), 1088);
        assert_eq!(padme(9), 10);
        assert_eq!(padme(100), 104);
        assert_eq!(padme(1_000_000), 1_015_808);
    }

    #[test]
    fn short_messages_pad_to_the_same_size() {
        let a = pad(b"{\"message\":\"hi\"}".to_vec());
        let b = pad(vec![b'x'; 900]);
        assert_eq!(a.len(), MIN_PADDED);
        assert_eq!(b.len(), MIN_PADDED);
        assert!(a.ends_with(b"  "));
    }

    #[test]
    fn padded_json_still_parses() {
        let padded = pad(br#"{"message":"hello"}"#.to_vec());
        let v: serde_json::Value = serde_json::from_slice(&padded).unwrap();
        assert_eq!(v["message"], "hello");
    }

    #[test]
    fn every_recipient_can_open_a_sealed_message() {
        let ids: Vec<_> = (0..3).map(|_| age::x25519::Identity::generate()).collect();
        let recipients: Vec<_> = ids.iter().map(|i| i.to_public()).collect();
        let sealed = seal(b"secret words", as_recipients(&recipients)).unwrap();
        for id in &ids {
            let opened = open(&sealed, std::iter::once(id as &dyn age::Identity)).unwrap();
            assert_eq!(opened.as_slice(), b"secret words");
        }
        let stranger = age::x25519::Identity::generate();
        assert!(open(&sealed, std::iter::once(&stranger as &dyn age::Identity)).is_err());
    }

    #[test]
    fn sealing_to_nobody_is_refused() {
        let none: Vec<age::x25519::Recipient> = Vec::new();
        assert!(matches!(
            seal(b"x", as_recipients(&none)),
            Err(EnvelopeError::NoRecipients)
        ));
    }

    #[test]
    fn recipients_files_allow_comments_and_reject_garbage() {
        let id = age::x25519::Identity::generate();
        let text = format!("# team key\n\n{}\n", id.to_public());
        assert_eq!(parse_recipients(&text).unwrap().len(), 1);
        assert!(parse_recipients("age1notakey\n").is_err());
    }

    #[test]
    fn recipients_files_take_hybrid_recipients_too() {
        let hybrid = crate::hybrid::HybridIdentity::generate().to_public();
        let text = format!("# post-quantum\n{hybrid} # Anna\n");
        let list = parse_recipients(&text).unwrap();
        assert_eq!(list.len(), 1);
        assert!(list[0].is_hybrid());
        assert!(parse_recipients("age1pq1notakey\n").is_err());
    }

    #[test]
    fn a_comment_after_the_key_on_the_same_line_is_accepted() {
        let id = age::x25519::Identity::generate();
        let text = format!("{} # Anna, desk 2\n", id.to_public());
        assert_eq!(parse_recipients(&text).unwrap().len(), 1);
        let junk = format!("{} trailing words\n", id.to_public());
        assert!(parse_recipients(&junk).is_err());
    }

    proptest! {
        #[test]
        fn padme_never_shrinks_and_stays_within_twelve_percent(len in 2usize..10_000_000) {
            let p = padme(len);
            prop_assert!(p >= len);
            prop_assert!((p - len) as f64 <= len as f64 * 0.12 + 1.0);
        }

        #[test]
        fn seal_then_open_is_identity(data in proptest::collection::vec(any::<u8>(), 0..5000)) {
            let id = age::x25519::Identity::generate();
            let r = [id.to_public()];
            let sealed = seal(&data, as_recipients(&r)).unwrap();
            let opened = open(&sealed, std::iter::once(&id as &dyn age::Identity)).unwrap();
            prop_assert_eq!(opened.as_slice(), data.as_slice());
        }
    }
}
