//! The centre's recipients, read from `--keys DIR/*.pub`. The server refuses to
//! start with none (it would have nobody to encrypt to) and refuses to start if
//! the directory holds anything that looks like a private key. `kill -HUP`
//! reads the directory again with the same checks ([`CentreKeys::reload`]); a
//! directory that fails them leaves the old set in use. The checks include
//! [`crate::hybrid::one_kind`]: hybrid (`age1pq1...`) and classical keys mixed
//! are refused unless `--allow-classical-recipients`, at start-up and on reload.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use sha2::{Digest, Sha256};

use crate::hybrid::AnyRecipient;

/// The centre's recipients the server encrypts to now, replaceable while it runs.
pub struct CentreKeys {
    dir: PathBuf,
    /// `--allow-classical-recipients`: a mix is reduced to its classical keys.
    allow_classical: bool,
    current: RwLock<Arc<Vec<AnyRecipient>>>,
}

impl CentreKeys {
    /// Loads `dir` (refusing what [`load_checked`] refuses); logs the warning
    /// of a tolerated mix.
    pub fn load(dir: &Path, allow_classical: bool) -> Result<Self, KeysError> {
        Ok(Self {
            current: RwLock::new(Arc::new(load_logged(dir, allow_classical)?)),
            dir: dir.to_path_buf(),
            allow_classical,
        })
    }

    /// The recipients to encrypt to. One request takes one snapshot, so all it
    /// seals goes to the same set even if a reload happens meanwhile.
    pub fn current(&self) -> Arc<Vec<AnyRecipient>> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Reads the directory again with the start-up checks (a forbidden mix of
    /// hybrid and classical keys included); on error the old set stays in use.
    pub fn reload(&self) -> Result<(), KeysError> {
        let fresh = Arc::new(load_logged(&self.dir, self.allow_classical)?);
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = fresh;
        Ok(())
    }

    /// The short fingerprints of the current set, comma-separated, for the log.
    pub fn fingerprints(&self) -> String {
        self.current()
            .iter()
            .map(fingerprint)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn load_logged(dir: &Path, allow_classical: bool) -> Result<Vec<AnyRecipient>, KeysError> {
    let (recipients, warning) = load_checked(dir, allow_classical)?;
    if let Some(warning) = warning {
        tracing::warn!("{warning}");
    }
    Ok(recipients)
}

/// A recipient's short fingerprint: the first 8 hex digits of the SHA-256 of
/// its `age1...` (or `age1pq1...`) text. Enough to tell a team's few keys apart
/// in the log (and to compare with `printf %s age1... | sha256sum | cut -c1-8`),
/// not a security check.
pub fn fingerprint(recipient: &AnyRecipient) -> String {
    let digest = Sha256::digest(recipient.to_string().as_bytes());
    hex::encode(&digest[..4])
}

/// Why the recipients could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    /// The directory could not be read.
    #[error("cannot read the keys directory {0}: {1}")]
    Dir(PathBuf, std::io::Error),
    /// A file could not be read.
    #[error("cannot read {0}: {1}")]
    File(PathBuf, std::io::Error),
    /// A `.pub` file holds something that is not a recipient.
    #[error("{0}: {1}")]
    Parse(PathBuf, String),
    /// No recipient at all.
    #[error("no recipient found in {0}: put the centre's public key(s) (age1...) in a *.pub file there (tipline keygen prints one)")]
    Empty(PathBuf),
    /// Hybrid and classical recipients mixed without --allow-classical-recipients.
    #[error(transparent)]
    Mixed(#[from] crate::hybrid::MixedRecipients),
    /// A private key in the keys directory.
    #[error("{0} contains a private key; the server must never hold one. Move it to the staff workstation and keep only the age1... recipient here")]
    PrivateKey(PathBuf),
}

/// What the server encrypts to: [`load_recipients`], then
/// [`crate::hybrid::one_kind`] (a mix is refused unless `allow_classical`, and
/// then reduced to its classical keys with the warning returned).
pub fn load_checked(
    dir: &Path,
    allow_classical: bool,
) -> Result<(Vec<AnyRecipient>, Option<String>), KeysError> {
    Ok(crate::hybrid::one_kind(
        load_recipients(dir)?,
        allow_classical,
    )?)
}

/// Loads every recipient (classical or hybrid) from every `*.pub` file in `dir`.
pub fn load_recipients(dir: &Path) -> Result<Vec<AnyRecipient>, KeysError> {
    let entries = std::fs::read_dir(dir).map_err(|e| KeysError::Dir(dir.to_path_buf(), e))?;
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| KeysError::Dir(dir.to_path_buf(), e))?
            .path();
        if path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read(&path).map_err(|e| KeysError::File(path.clone(), e))?;
        // Any file in the directory, .pub or not, is checked for private keys.
        if contains(&text, b"AGE-SECRET-KEY-") || contains(&text, b"-----BEGIN AGE ENCRYPTED FILE")
        {
            return Err(KeysError::PrivateKey(path));
        }
        if path.extension().and_then(|e| e.to_str()) != Some("pub") {
            continue;
        }
        let text = String::from_utf8(text)
            .map_err(|_| KeysError::Parse(path.clone(), "not UTF-8 text".into()))?;
        let list = crate::envelope::parse_recipients(&text)
            .map_err(|e| KeysError::Parse(path.clone(), e))?;
        out.extend(list);
    }
    if out.is_empty() {
        return Err(KeysError::Empty(dir.to_path_buf()));
    }
    Ok(out)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_directory_is_refused_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let err = load_recipients(dir.path()).unwrap_err();
        assert!(matches!(err, KeysError::Empty(_)));
        assert!(err.to_string().contains("no recipient"));
    }

    #[test]
    fn a_private_key_anywhere_in_the_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let id = age::x25519::Identity::generate();
        std::fs::write(dir.path().join("a.pub"), id.to_public().to_string()).unwrap();
        std::fs::write(
            dir.path().join("oops.txt"),
            crate::receipt::identity_text(&id).as_bytes(),
        )
        .unwrap();
        assert!(matches!(
            load_recipients(dir.path()),
            Err(KeysError::PrivateKey(_))
        ));
    }

    #[test]
    fn a_fingerprint_is_the_start_of_the_recipients_sha256() {
        let r = AnyRecipient::Classical(age::x25519::Identity::generate().to_public());
        let full = hex::encode(Sha256::digest(r.to_string().as_bytes()));
        assert_eq!(fingerprint(&r), full[..8]);
    }

    #[test]
    fn a_failed_reload_keeps_the_old_set() {
        let dir = tempfile::tempdir().unwrap();
        let first = AnyRecipient::Classical(age::x25519::Identity::generate().to_public());
        std::fs::write(dir.path().join("a.pub"), first.to_string()).unwrap();
        let keys = CentreKeys::load(dir.path(), false).unwrap();
        std::fs::write(dir.path().join("b.pub"), "age1garbage\n").unwrap();
        assert!(keys.reload().is_err());
        assert_eq!(keys.fingerprints(), fingerprint(&first));
        let second = age::x25519::Identity::generate().to_public();
        std::fs::write(dir.path().join("b.pub"), second.to_string()).unwrap();
        keys.reload().unwrap();
        assert_eq!(keys.current().len(), 2);
    }

    #[test]
    fn a_reload_that_would_mix_hybrid_and_classical_keys_keeps_the_old_set() {
        let dir = tempfile::tempdir().unwrap();
        let pq = AnyRecipient::Hybrid(Box::new(
            crate::hybrid::HybridIdentity::generate().to_public(),
        ));
        std::fs::write(dir.path().join("a.pub"), format!("{pq}\n")).unwrap();
        let keys = CentreKeys::load(dir.path(), false).unwrap();
        let classical = age::x25519::Identity::generate().to_public();
        std::fs::write(dir.path().join("b.pub"), format!("{classical}\n")).unwrap();
        let err = keys.reload().unwrap_err();
        assert!(matches!(err, KeysError::Mixed(_)), "{err}");
        assert_eq!(keys.fingerprints(), fingerprint(&pq));
        assert!(CentreKeys::load(dir.path(), false).is_err());
        // With --allow-classical-recipients the mix is kept to its classical key.
        let tolerant = CentreKeys::load(dir.path(), true).unwrap();
        assert_eq!(tolerant.current().len(), 1);
        assert!(!crate::hybrid::any_hybrid(&tolerant.current()));
    }

    #[test]
    fn every_pub_file_contributes_its_recipients() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.pub", "b.pub"] {
            let r = age::x25519::Identity::generate().to_public();
            std::fs::write(dir.path().join(name), format!("# staff\n{r}\n")).unwrap();
        }
        std::fs::write(dir.path().join("README"), "not a key file").unwrap();
        assert_eq!(load_recipients(dir.path()).unwrap().len(), 2);
    }

    #[test]
    fn the_shipped_keys_directory_is_not_mistaken_for_a_recipient_or_a_private_key() {
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("keys");
        let dir = tempfile::tempdir().unwrap();
        for name in ["README.md", ".gitignore"] {
            std::fs::copy(shipped.join(name), dir.path().join(name)).unwrap();
        }
        // Its README alone: no recipient, so the server refuses to start.
        assert!(matches!(
            load_recipients(dir.path()),
            Err(KeysError::Empty(_))
        ));
        let r = age::x25519::Identity::generate().to_public();
        std::fs::write(dir.path().join("centre.pub"), format!("{r}\n")).unwrap();
        assert_eq!(load_recipients(dir.path()).unwrap().len(), 1);
        let ignore = std::fs::read_to_string(shipped.join(".gitignore")).unwrap();
        assert!(ignore.lines().any(|l| l.trim() == "*.pub"), "{ignore}");
    }
}
