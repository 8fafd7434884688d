//! The centre's recipients, read from `--keys DIR/*.pub`. The server refuses to
//! start with none (it would have nobody to encrypt to) and refuses to start if
//! the directory holds anything that looks like a private key.

use std::path::{Path, PathBuf};

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
    /// A private key in the keys directory.
    #[error("{0} contains a private key; the server must never hold one. Move it to the staff workstation and keep only the age1... recipient here")]
    PrivateKey(PathBuf),
}

/// Loads every recipient (classical or hybrid) from every `*.pub` file in `dir`.
pub fn load_recipients(dir: &Path) -> Result<Vec<crate::hybrid::AnyRecipient>, KeysError> {
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
    fn every_pub_file_contributes_its_recipients() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.pub", "b.pub"] {
            let r = age::x25519::Identity::generate().to_public();
            std::fs::write(dir.path().join(name), format!("# staff\n{r}\n")).unwrap();
        }
        std::fs::write(dir.path().join("README"), "not a key file").unwrap();
        assert_eq!(load_recipients(dir.path()).unwrap().len(), 2);
    }
}
