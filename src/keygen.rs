//! `tipline keygen`: a centre identity in the standard age identity-file format,
//! classical (X25519) or, with `--pq`, hybrid (`mlkem768x25519`, see `hybrid`).

use std::path::Path;

use age::secrecy::ExposeSecret;
use std::io::Write;

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
    /// No usable passphrase.
    #[error(transparent)]
    Passphrase(#[from] crate::passphrase::PassphraseError),
    /// Encrypting the identity failed.
    #[error("encrypting the identity: {0}")]
    Encrypt(String),
}

/// Writes a new identity to `out` (mode 0600, never overwriting) and returns its
/// recipient: hybrid when `pq`. The file reads with the reference `age -d -i FILE`
/// (hybrid identities: age 1.3 and later).
pub fn write_identity(out: &Path, protect: bool, pq: bool) -> Result<String, KeygenError> {
    let name = out.display().to_string();
    if out.exists() {
        return Err(KeygenError::Exists(name));
    }
    let (recipient, secret) = if pq {
        let identity = crate::hybrid::HybridIdentity::generate();
        (identity.to_public().to_string(), identity.to_text())
    } else {
        let identity = age::x25519::Identity::generate();
        let secret = Zeroizing::new(identity.to_string().expose_secret().to_string());
        (identity.to_public().to_string(), secret)
    };
    let text = Zeroizing::new(format!(
        "# created: {}\n# public key: {recipient}\n{}\n",
        crate::day::today(),
        secret.as_str()
    ));
    let contents = if protect {
        let passphrase = crate::passphrase::ask_new(&format!("New passphrase for {name}: "))?;
        protect_with(passphrase, text.as_bytes())?
    } else {
        Zeroizing::new(text.as_bytes().to_vec())
    };
    crate::fsutil::write_new_private(out, &contents).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => KeygenError::Exists(name.clone()),
        _ => KeygenError::Io(name.clone(), e),
    })?;
    Ok(recipient)
}

/// Encrypts an identity file with a passphrase (age scrypt, ASCII-armored), the
/// format `age -d` asks a passphrase for when given it with `-i`.
fn protect_with(
    passphrase: age::secrecy::SecretString,
    plain: &[u8],
) -> Result<Zeroizing<Vec<u8>>, KeygenError> {
    let enc = |e: &dyn std::fmt::Display| KeygenError::Encrypt(e.to_string());
    let encryptor = age::Encryptor::with_user_passphrase(passphrase);
    let mut out = Vec::new();
    let armor = age::armor::ArmoredWriter::wrap_output(&mut out, age::armor::Format::AsciiArmor)
        .map_err(|e| enc(&e))?;
    let mut w = encryptor.wrap_output(armor).map_err(|e| enc(&e))?;
    w.write_all(plain).map_err(|e| enc(&e))?;
    w.finish()
        .and_then(|armor| armor.finish())
        .map_err(|e| enc(&e))?;
    Ok(Zeroizing::new(out))
}
