//! The install's fixed settings, checked at every start: the salt, the Argon2id
//! parameters and a check value of the pepper live in the database, so a restart
//! with other parameters, or a restore without its pepper, is refused with a
//! reason instead of silently making every receipt code unrecognised.

use std::path::Path;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::pepper::PepperError;
use crate::receipt::{KdfCost, PEPPER_BYTES, SALT_BYTES};
use crate::store::{Store, StoreError};

/// HMAC label for the pepper's check value (domain separation: the value is
/// never the pepper and never any derivation input).
const PEPPER_CHECK_LABEL: &[u8] = b"tipline/v1/pepper-check";
/// Where the pepper's check value is recorded.
const PEPPER_CHECK_KEY: &str = "pepper-check";
/// Where the Argon2id parameters are recorded.
const KDF_KEY: &str = "kdf";

/// Why the install's settings do not fit this database.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// The Argon2id settings differ from those recorded at installation.
    #[error("the Argon2id settings ({given}) differ from those this database was installed with ({installed}); they are fixed at installation because every receipt code depends on them: start with the installed values")]
    KdfChanged {
        /// The recorded settings.
        installed: String,
        /// The settings given now.
        given: String,
    },
    /// The pepper file is not the one this database was made with.
    #[error("pepper file {0} does not match this database (a pepper of another installation?): restore the pepper that was kept apart from this database's backups")]
    PepperMismatch(String),
    /// The pepper file is gone, but the database already depends on it.
    #[error("pepper file {0} is missing but this database already holds reports: restore the pepper that was kept apart from the backups (a new one would make every receipt code unrecognised)")]
    PepperMissing(String),
    /// Reading or creating the pepper failed.
    #[error(transparent)]
    Pepper(#[from] PepperError),
    /// The database failed.
    #[error("database: {0}")]
    Store(#[from] StoreError),
}

/// The salt and the pepper of this install, checked against the database.
pub fn salt_and_pepper(
    store: &Store,
    pepper_file: &Path,
) -> Result<([u8; SALT_BYTES], Zeroizing<[u8; PEPPER_BYTES]>), InstallError> {
    let name = pepper_file.display().to_string();
    let recorded = store.install_setting_of(PEPPER_CHECK_KEY)?;
    let creating = !pepper_file.exists();
    if creating && (recorded.is_some() || store.holds_reports()?) {
        return Err(InstallError::PepperMissing(name));
    }
    let pepper = crate::pepper::load_or_create(pepper_file)?;
    if creating {
        tracing::warn!(
            pepper_file = %name,
            "created a new pepper: back this file up now, apart from the database backups; restoring a backup, and serving its attachments, needs it"
        );
    }
    let check = pepper_check(&pepper)?;
    let installed = store.install_setting(PEPPER_CHECK_KEY, &check)?;
    if !bool::from(installed.as_slice().ct_eq(&check)) {
        return Err(InstallError::PepperMismatch(name));
    }
    let salt = store.install_salt()?;
    Ok((salt, pepper))
}

/// Records the Argon2id parameters on first start; refuses others afterwards.
/// Call it once the parameters are known to be valid.
pub fn fix_kdf(store: &Store, kdf: KdfCost) -> Result<(), InstallError> {
    let given = describe(kdf);
    let installed = store.install_setting(KDF_KEY, given.as_bytes())?;
    if installed != given.as_bytes() {
        return Err(InstallError::KdfChanged {
            installed: String::from_utf8_lossy(&installed).into_owned(),
            given,
        });
    }
    Ok(())
}

/// Checks, recording nothing, that the pepper file and the Argon2id settings
/// fit what this database recorded (for `check-config`).
pub fn verify(store: &Store, pepper_file: &Path, kdf: KdfCost) -> Result<(), InstallError> {
    let name = pepper_file.display().to_string();
    let recorded = store.install_setting_of(PEPPER_CHECK_KEY)?;
    if !pepper_file.exists() {
        if recorded.is_some() || store.holds_reports()? {
            return Err(InstallError::PepperMissing(name));
        }
    } else {
        let pepper = crate::pepper::load_or_create(pepper_file)?;
        let check = pepper_check(&pepper)?;
        if recorded.is_some_and(|r| !bool::from(r.as_slice().ct_eq(&check))) {
            return Err(InstallError::PepperMismatch(name));
        }
    }
    let given = describe(kdf);
    match store.install_setting_of(KDF_KEY)? {
        Some(installed) if installed != given.as_bytes() => Err(InstallError::KdfChanged {
            installed: String::from_utf8_lossy(&installed).into_owned(),
            given,
        }),
        _ => Ok(()),
    }
}

/// The parameters as the error message and the record show them.
fn describe(kdf: KdfCost) -> String {
    format!(
        "memory {} KiB, {} passes, {} lanes",
        kdf.memory_kib, kdf.iterations, kdf.parallelism
    )
}

/// A keyed hash that tells whether a pepper is the install's, and nothing else.
fn pepper_check(pepper: &[u8; PEPPER_BYTES]) -> Result<[u8; 32], InstallError> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(pepper)
        .map_err(|_| StoreError::Corrupt("pepper check".into()))?;
    mac.update(PEPPER_CHECK_LABEL);
    Ok(mac.finalize().into_bytes().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pepper_check_value_is_not_the_pepper_and_differs_between_peppers() {
        let a = [1u8; PEPPER_BYTES];
        let b = [2u8; PEPPER_BYTES];
        let check = |p| pepper_check(p).unwrap();
        assert_ne!(check(&a), a);
        assert_ne!(check(&a), check(&b));
        assert_eq!(check(&a), check(&a));
    }
}
