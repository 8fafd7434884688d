//! `tipline keygen`: a centre identity in the standard age identity-file format.

use std::path::Path;

use age::secrecy::ExposeSecret;
use zeroize::Zeroizing;

/// Why no identity was written.
#[derive(Debug, thiserror::Error)]
pub enum KeygenError {
    /// The file exists; we never overwrite a key.
    #[error("{0} already exists; refusing to overwrite a key")]
    Exists(String),
    /// Writing failed.
    #[error("cannot write {0}: {1}")]
    Io(String, std::io::Error),
}

/// Writes a new identity to `out` (mode 0600, never overwriting) and returns its
/// recipient. The file reads with the reference `age -d -i FILE`.
pub fn write_identity(out: &Path) -> Result<age::x25519::Recipient, KeygenError> {
    let name = out.display().to_string();
    if out.exists() {
        return Err(KeygenError::Exists(name));
    }
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public();
    let text = Zeroizing::new(format!(
        "# created: {}\n# public key: {recipient}\n{}\n",
        crate::day::today(),
        identity.to_string().expose_secret()
    ));
    crate::fsutil::write_new_private(out, text.as_bytes()).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => KeygenError::Exists(name.clone()),
        _ => KeygenError::Io(name.clone(), e),
    })?;
    Ok(recipient)
}
