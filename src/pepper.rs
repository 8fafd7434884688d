//! The server pepper: a secret mixed into every code derivation and kept outside
//! the database, so a stolen database alone cannot even be used to test guesses.

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use rand::RngCore;
use zeroize::Zeroizing;

use crate::receipt::PEPPER_BYTES;

/// Why the pepper could not be had.
#[derive(Debug, thiserror::Error)]
pub enum PepperError {
    /// Reading or creating the file failed.
    #[error("pepper file {0}: {1}")]
    Io(String, std::io::Error),
    /// The file is not 64 hex digits.
    #[error("pepper file {0}: expected 64 hex digits")]
    Format(String),
    /// Others may read the file.
    #[error("pepper file {0} is readable by group or others; chmod 600 it")]
    Permissions(String),
}

/// Reads the pepper from `path`, creating it (0600) on first start.
pub fn load_or_create(path: &Path) -> Result<Zeroizing<[u8; PEPPER_BYTES]>, PepperError> {
    let name = path.display().to_string();
    if !path.exists() {
        let mut pepper = Zeroizing::new([0u8; PEPPER_BYTES]);
        rand::rngs::OsRng.fill_bytes(pepper.as_mut_slice());
        let text = Zeroizing::new(format!("{}\n", hex::encode(pepper.as_slice())));
        if let Some(parent) = path.parent() {
            crate::fsutil::private_dir(parent).map_err(|e| PepperError::Io(name.clone(), e))?;
        }
        crate::fsutil::write_new_private(path, text.as_bytes())
            .and_then(|()| crate::fsutil::stamp_day(path))
            .map_err(|e| PepperError::Io(name.clone(), e))?;
        return Ok(pepper);
    }
    let meta = std::fs::metadata(path).map_err(|e| PepperError::Io(name.clone(), e))?;
    if meta.permissions().mode() & 0o077 != 0 {
        return Err(PepperError::Permissions(name));
    }
    let mut text = Zeroizing::new(String::new());
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_string(&mut text))
        .map_err(|e| PepperError::Io(name.clone(), e))?;
    let mut pepper = Zeroizing::new([0u8; PEPPER_BYTES]);
    hex::decode_to_slice(text.trim(), pepper.as_mut_slice())
        .map_err(|_| PepperError::Format(name))?;
    Ok(pepper)
}
