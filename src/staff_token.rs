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

/// Longest staff name, in characters: a name, not a note.
pub const MAX_NAME_CHARS: usize = 64;

/// Whom a token belongs to, as the operator typed it: not empty, at most
/// [`MAX_NAME_CHARS`] characters, no control characters (a newline or an
/// escape sequence would forge lines in `staff list` and in the log).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffName(String);

/// A string that cannot be a staff name, with the reason.
#[derive(Debug, thiserror::Error)]
pub enum InvalidName {
    /// Nothing but spaces.
    #[error("the staff name is empty")]
    Empty,
    /// Too long.
    #[error("the staff name is longer than {MAX_NAME_CHARS} characters")]
    TooLong,
    /// A control character (newline, tab, escape, ...).
    #[error("the staff name contains a control character")]
    Control,
}

impl StaffName {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for StaffName {
    type Err = InvalidName;
    fn from_str(s: &str) -> Result<Self, InvalidName> {
        let s = s.trim();
        if s.is_empty() {
            return Err(InvalidName::Empty);
        }
        if s.chars().count() > MAX_NAME_CHARS {
            return Err(InvalidName::TooLong);
        }
        if s.chars().any(char::is_control) {
            return Err(InvalidName::Control);
        }
        Ok(Self(s.to_string()))
    }
}

impl fmt::Display for StaffName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_names_must_be_printable_and_not_empty() {
        assert_eq!(
            "  Anna de Vries ".parse::<StaffName>().unwrap().as_str(),
            "Anna de Vries"
        );
        assert!(matches!("".parse::<StaffName>(), Err(InvalidName::Empty)));
        assert!(matches!("  ".parse::<StaffName>(), Err(InvalidName::Empty)));
        assert!(matches!(
            "a\nb".parse::<StaffName>(),
            Err(InvalidName::Control)
        ));
        assert!(matches!(
            "a\u{1b}[31m".parse::<StaffName>(),
            Err(InvalidName::Control)
        ));
        assert!(matches!(
            "x".repeat(65).parse::<StaffName>(),
            Err(InvalidName::TooLong)
        ));
    }

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
