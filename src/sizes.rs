//! Hiding sizes at rest. Attachment files are padded with random bytes to a
//! Padmé bucket, and the true length (needed to serve the exact age file) is
//! kept sealed with a key derived from the pepper: someone holding the database
//! and the blob files but not the pepper learns only bucket sizes.

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use hkdf::Hkdf;
use rand::RngCore;
use sha2::Sha256;
use zeroize::Zeroizing;

/// HKDF label for the length-sealing key (domain separation from code derivation).
const LENGTH_KEY_LABEL: &[u8] = b"tipline/v1/blob-length-key";

/// A sealed length that could not be opened (damaged, or another pepper).
#[derive(Debug, thiserror::Error)]
#[error("a stored length could not be opened (damaged record, or a different pepper)")]
pub struct SealedLengthError;

/// Seals and opens lengths. Holds a key derived from the pepper.
pub struct LengthSeal {
    cipher: ChaCha20Poly1305,
}

impl LengthSeal {
    /// Derives the key from the pepper.
    pub fn new(pepper: &[u8]) -> Self {
        let hk = Hkdf::<Sha256>::new(None, pepper);
        let mut key = Zeroizing::new([0u8; 32]);
        // 32 bytes is always a valid HKDF-SHA256 output length.
        let _ = hk.expand(LENGTH_KEY_LABEL, key.as_mut_slice());
        Self {
            cipher: ChaCha20Poly1305::new(key.as_slice().into()),
        }
    }

    /// Seals `len` as hex (nonce, then ciphertext and tag).
    pub fn seal(&self, len: u64) -> String {
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        // Encryption of 8 bytes with a fresh nonce cannot fail.
        let ct = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), len.to_be_bytes().as_slice())
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        hex::encode(out)
    }

    /// Opens a sealed length.
    pub fn open(&self, sealed: &str) -> Result<u64, SealedLengthError> {
        let raw = hex::decode(sealed).map_err(|_| SealedLengthError)?;
        if raw.len() < 12 {
            return Err(SealedLengthError);
        }
        let (nonce, ct) = raw.split_at(12);
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), ct)
            .map_err(|_| SealedLengthError)?;
        let bytes: [u8; 8] = plain.as_slice().try_into().map_err(|_| SealedLengthError)?;
        Ok(u64::from_be_bytes(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_length_opens_only_with_the_same_pepper() {
        let a = LengthSeal::new(&[1u8; 32]);
        let b = LengthSeal::new(&[2u8; 32]);
        let sealed = a.seal(123_456);
        assert_eq!(a.open(&sealed).unwrap(), 123_456);
        assert!(b.open(&sealed).is_err());
        assert!(a.open("00").is_err());
        assert_ne!(a.seal(5), a.seal(5), "nonces must differ");
    }
}
