//! Staff signing keys and the team roster: the trust anchor of the case file.
//!
//! Each staff member has an Ed25519 signing key (`desk keygen-signing`), kept
//! on the workstation, mode 0600. The team shares a roster (`team.toml`, one
//! line per person: `"name" = "ed25519:HEX"`), exchanged out of band like the
//! centre recipients. The server never sees either.

use std::collections::BTreeMap;
use std::path::Path;

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use zeroize::Zeroizing;

use crate::desk::DeskError;

/// Domain separation: an event signature can never be taken for a signature
/// over anything else the key might sign later.
pub const SIGNATURE_CONTEXT: &[u8] = b"tipline case event v1\0";

/// Prefix of a verifying key in the roster.
const KEY_PREFIX: &str = "ed25519:";

/// Whether `name` may be a staff name: short, one line, no quotes, so it
/// prints safely and fits one roster line.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' '))
        && name.trim() == name
}

/// The signing key file's content.
#[derive(serde::Serialize, serde::Deserialize)]
struct KeyFile {
    name: String,
    key: String,
}

/// One staff member's signing key, with the name it was made for.
pub struct SigningIdentity {
    /// The staff name.
    pub name: String,
    key: SigningKey,
}

impl SigningIdentity {
    /// A fresh key from the OS RNG.
    pub fn generate(name: &str) -> Result<Self, DeskError> {
        if !valid_name(name) {
            return Err(DeskError::Usage(format!(
                "--name {name:?}: use letters, digits, space, '-', '_' or '.' (at most 64)"
            )));
        }
        Ok(Self {
            name: name.to_string(),
            key: SigningKey::generate(&mut rand::rngs::OsRng),
        })
    }

    /// Writes the key to a new file (mode 0600; refuses to overwrite).
    pub fn save(&self, path: &Path) -> Result<(), DeskError> {
        let file = KeyFile {
            name: self.name.clone(),
            key: hex::encode(self.key.to_bytes()),
        };
        let text = Zeroizing::new(format!(
            "# tipline case-file signing key of {}: keep it private\nname = {}\nkey = \"{}\"\n",
            self.name,
            toml_string(&file.name),
            file.key
        ));
        crate::fsutil::write_new_private(path, text.as_bytes())
            .map_err(|e| DeskError::Io(path.display().to_string(), e))
    }

    /// Reads a key file written by [`SigningIdentity::save`].
    pub fn load(path: &Path) -> Result<Self, DeskError> {
        let bad = |why: String| DeskError::Identity(path.display().to_string(), why);
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?);
        let file: KeyFile =
            toml::from_str(&text).map_err(|_| bad("not a tipline signing key file".into()))?;
        let mut bytes = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(&file.key, &mut bytes[..])
            .map_err(|_| bad("the key is not 64 hex digits".into()))?;
        Ok(Self {
            name: file.name,
            key: SigningKey::from_bytes(&bytes),
        })
    }

    /// The public half.
    pub fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// The line to append to the team roster.
    pub fn roster_line(&self) -> String {
        format!(
            "{} = \"{KEY_PREFIX}{}\"",
            toml_string(&self.name),
            hex::encode(self.verifying_key().to_bytes())
        )
    }

    /// Signs an event's payload (with [`SIGNATURE_CONTEXT`] in front).
    pub fn sign(&self, payload: &[u8]) -> Signature {
        let mut msg = SIGNATURE_CONTEXT.to_vec();
        msg.extend_from_slice(payload);
        self.key.sign(&msg)
    }
}

/// A TOML basic string (names are checked to hold no quote or backslash).
fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The team roster: who may sign case events.
#[derive(Debug, Default, Clone)]
pub struct Roster {
    keys: BTreeMap<String, VerifyingKey>,
}

impl Roster {
    /// The staff names, sorted: who a case can be assigned to.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }

    /// Reads `team.toml`.
    pub fn load(path: &Path) -> Result<Self, DeskError> {
        let bad = |why: String| DeskError::Usage(format!("team roster {}: {why}", path.display()));
        let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
        Self::parse(&text).map_err(bad)
    }

    /// Parses roster text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let table: BTreeMap<String, String> = toml::from_str(text)
            .map_err(|e| format!("not `\"name\" = \"ed25519:HEX\"` lines ({e})"))?;
        let mut keys = BTreeMap::new();
        for (name, value) in table {
            let hex_key = value
                .strip_prefix(KEY_PREFIX)
                .ok_or_else(|| format!("{name}: the key must start with {KEY_PREFIX}"))?;
            let mut bytes = [0u8; 32];
            hex::decode_to_slice(hex_key, &mut bytes)
                .map_err(|_| format!("{name}: the key is not 64 hex digits"))?;
            let key = VerifyingKey::from_bytes(&bytes)
                .map_err(|_| format!("{name}: not an Ed25519 public key"))?;
            keys.insert(name, key);
        }
        Ok(Self { keys })
    }

    /// Whether `author` is in the roster and signed `payload` with `signature`.
    pub fn verifies(&self, author: &str, payload: &[u8], signature: &Signature) -> Verdict {
        let Some(key) = self.keys.get(author) else {
            return Verdict::UnknownAuthor;
        };
        let mut msg = SIGNATURE_CONTEXT.to_vec();
        msg.extend_from_slice(payload);
        match key.verify_strict(&msg, signature) {
            Ok(()) => Verdict::Good,
            Err(_) => Verdict::BadSignature,
        }
    }

    /// A digest of every name and key, so caches built on this roster notice
    /// when it changes.
    pub fn fingerprint(&self) -> [u8; 32] {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        for (name, key) in &self.keys {
            h.update((name.len() as u64).to_be_bytes());
            h.update(name.as_bytes());
            h.update(key.as_bytes());
        }
        h.finalize().into()
    }

    /// The roster's key for `name`.
    pub fn key(&self, name: &str) -> Option<&VerifyingKey> {
        self.keys.get(name)
    }
}

/// What checking an event's signature found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Signed by the roster's key for its author.
    Good,
    /// The author is not in the roster.
    UnknownAuthor,
    /// The signature does not match the roster's key.
    BadSignature,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_roster_line_from_keygen_verifies_what_that_key_signs_and_nothing_else() {
        let alice = SigningIdentity::generate("alice").unwrap();
        let mallory = SigningIdentity::generate("alice").unwrap();
        let roster = Roster::parse(&alice.roster_line()).unwrap();
        let sig = alice.sign(b"payload");
        assert_eq!(roster.verifies("alice", b"payload", &sig), Verdict::Good);
        assert_eq!(
            roster.verifies("alice", b"other", &sig),
            Verdict::BadSignature
        );
        let forged = mallory.sign(b"payload");
        assert_eq!(
            roster.verifies("alice", b"payload", &forged),
            Verdict::BadSignature
        );
        assert_eq!(
            roster.verifies("bob", b"payload", &sig),
            Verdict::UnknownAuthor
        );
    }

    #[test]
    fn a_signing_key_survives_a_round_trip_through_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alice.key");
        let alice = SigningIdentity::generate("Anna de Vries").unwrap();
        alice.save(&path).unwrap();
        let back = SigningIdentity::load(&path).unwrap();
        assert_eq!(back.name, "Anna de Vries");
        assert_eq!(back.verifying_key(), alice.verifying_key());
        assert!(alice.save(&path).is_err(), "never overwrites");
        assert!(!valid_name("a\"b") && !valid_name("") && !valid_name("x\ny"));
    }
}
