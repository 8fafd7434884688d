//! Typed random identifiers for reports, messages and attachments.
//!
//! Ids are 128 random bits, hex in URLs and JSON: not sequential (no count of
//! reports leaks) and not derived from the receipt code.

use std::fmt;
use std::str::FromStr;

use rand::RngCore;

/// Bytes in an id.
pub const ID_BYTES: usize = 16;

/// An id string that is not 32 hex digits.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not an id")]
pub struct InvalidId;

macro_rules! random_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub [u8; ID_BYTES]);

        impl $name {
            /// A fresh id from the OS RNG.
            pub fn generate() -> Self {
                let mut b = [0u8; ID_BYTES];
                rand::rngs::OsRng.fill_bytes(&mut b);
                Self(b)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&hex::encode(self.0))
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self)
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;
            fn from_str(s: &str) -> Result<Self, InvalidId> {
                if s.len() != ID_BYTES * 2 {
                    return Err(InvalidId);
                }
                let mut b = [0u8; ID_BYTES];
                hex::decode_to_slice(s, &mut b).map_err(|_| InvalidId)?;
                Ok(Self(b))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

random_id!(
    /// Identifies a report in the store and the staff API.
    ReportId
);
random_id!(
    /// Identifies one message (the report itself, a follow-up, or a reply).
    MessageId
);
random_id!(
    /// Identifies one encrypted attachment.
    AttachmentId
);
random_id!(
    /// Identifies one stored case-file event (its server-side name; the desk
    /// names events by the hash of their signed content).
    EventId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text_and_reject_other_text() {
        let id = ReportId::generate();
        assert_eq!(id.to_string().parse::<ReportId>().unwrap(), id);
        assert!("xyz".parse::<ReportId>().is_err());
        assert!("g".repeat(32).parse::<ReportId>().is_err());
        assert!("ab".repeat(17).parse::<ReportId>().is_err());
    }
}
