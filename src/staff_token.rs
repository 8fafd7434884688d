//! Staff API tokens: 256 random bits, shown once, stored only as a hash.

use std::fmt;
use std::str::FromStr;

use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Prefix that makes a token recognisable in a config file or a leak scan.
const PREFIX: &str = "tipline_";
/// Domain separation for the stored hash.
const HASH_LABEL: &[u8] = b"tipline/v1/staff-token";

/// A staff bearer token. Not printed by `Debug`; wiped on drop.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct StaffToken([u8; 32]);

/// A string that is not a token.
#[derive(Debug, thiserror::Error)]
#[error("not a staff token")]
pub struct InvalidToken;

impl StaffToken {
    /// A fresh token from the OS RNG.
    pub fn generate() -> Self {
        let mut b = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut b);
        Self(b)
    }

    /// The text to hand to the staff member, once.
    pub fn reveal(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("{PREFIX}{}", hex::encode(self.0)))
    }

    /// The value kept in the store. Tokens carry 256 bits, so a plain hash is
    /// enough: there is nothing to brute-force. Lookup by hash also means no
    /// secret is compared byte by byte (no timing signal about the token).
    pub fn hash(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(HASH_LABEL);
        h.update(self.0);
        h.finalize().into()
    }
}

impl fmt::Debug for StaffToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaffToken(..)")
    }
}

impl FromStr for StaffToken {
    type Err = InvalidToken;
    fn from_str(s: &str) -> Result<Self, InvalidToken> {
        let hexpart = s.strip_prefix(PREFIX).ok_or(InvalidToken)?;
        let mut b = [0u8; 32];
        hex::decode_to_slice(hexpart, &mut b).map_err(|_| InvalidToken)?;
        Ok(Self(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revealed_token_parses_back_to_the_same_hash() {
        let t = StaffToken::generate();
        let back: StaffToken = t.reveal().parse().unwrap();
        assert_eq!(back.hash(), t.hash());
        assert_ne!(StaffToken::generate().hash(), t.hash());
        assert!("tipline_zz".parse::<StaffToken>().is_err());
        assert!(hex::encode([0u8; 32]).parse::<StaffToken>().is_err());
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_header_values_never_panic_and_rarely_parse(s in "\\PC{0,100}") {
            // Only the exact prefix plus 64 hex digits is a token.
            if let Ok(t) = s.parse::<StaffToken>() {
                let shown = t.reveal();
                proptest::prop_assert_eq!(shown.as_str(), s.to_ascii_lowercase());
            }
        }
    }
}
