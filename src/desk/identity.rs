//! The centre identity at the desk: a plain age identity file, or one protected
//! with a passphrase (age's scrypt format, as `tipline keygen --passphrase` or
//! `age -p` write it). Decrypted key material stays in memory. A file may hold
//! classical and hybrid (`AGE-SECRET-KEY-PQ-1...`) identities side by side, so a
//! centre that switched to post-quantum keys still reads its old reports.

use std::io::Read;
use std::path::Path;

use age::secrecy::SecretString;
use zeroize::Zeroizing;

use super::DeskError;

/// The identities of one file, and their recipients (to encrypt replies so that
/// staff can read them back).
pub struct DeskIdentity {
    identities: Vec<Box<dyn age::Identity + Send + Sync>>,
    /// Public recipients of the identities.
    pub recipients: Vec<crate::hybrid::AnyRecipient>,
    /// A key only the holder of these secret keys can derive; it
    /// authenticates the desk's own caches (see [`Self::cache_key`]).
    cache_key: Zeroizing<[u8; 32]>,
}

/// HKDF salt and info for [`DeskIdentity::cache_key`]: named so the key can
/// never be mistaken for another derivation from the same secret.
const CACHE_KEY_SALT: &[u8] = b"tipline desk cache key";
const CACHE_KEY_INFO: &[u8] = b"tipline desk cache key v1: authenticates the case summary index";

fn is_encrypted(bytes: &[u8]) -> bool {
    let start = bytes.trim_ascii_start();
    start.starts_with(b"age-encryption.org/")
        || start.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----")
}

impl DeskIdentity {
    /// Loads `path`, asking for a passphrase through `passphrase` if it is protected.
    pub fn load(
        path: &Path,
        passphrase: impl FnOnce() -> Result<SecretString, DeskError>,
    ) -> Result<Self, DeskError> {
        let name = path.display().to_string();
        let bytes = Zeroizing::new(
            std::fs::read(path).map_err(|e| DeskError::Identity(name.clone(), e.to_string()))?,
        );
        let text = if is_encrypted(&bytes) {
            let pass = passphrase()?;
            let reader = age::armor::ArmoredReader::new(&bytes[..]);
            let decryptor = age::Decryptor::new(reader)
                .map_err(|e| DeskError::Identity(name.clone(), e.to_string()))?;
            if !decryptor.is_scrypt() {
                return Err(DeskError::Identity(
                    name,
                    "encrypted, but not with a passphrase".into(),
                ));
            }
            let scrypt = age::scrypt::Identity::new(pass);
            let mut plain = Zeroizing::new(Vec::new());
            decryptor
                .decrypt(std::iter::once(&scrypt as &dyn age::Identity))
                .map_err(|_| DeskError::WrongPassphrase(name.clone()))?
                .read_to_end(&mut plain)
                .map_err(|_| DeskError::WrongPassphrase(name.clone()))?;
            plain
        } else {
            bytes
        };
        // The age crate 0.12 does not know hybrid identities: take them out first
        // (when age ships them, hand the whole file to `IdentityFile`).
        let bad = |e: String| DeskError::Identity(name.clone(), e);
        let text = std::str::from_utf8(&text).map_err(|_| bad("not UTF-8 text".into()))?;
        let mut identities: Vec<Box<dyn age::Identity + Send + Sync>> = Vec::new();
        let mut recipients = Vec::new();
        let mut classical = Zeroizing::new(String::new());
        let mut secrets = Zeroizing::new(String::new());
        for line in text.lines() {
            let key = line.trim();
            if key.starts_with("AGE-SECRET-KEY-") {
                secrets.push_str(key);
                secrets.push('\n');
            }
            if key.starts_with("AGE-SECRET-KEY-PQ-1") {
                let id: crate::hybrid::HybridIdentity =
                    key.parse().map_err(|e| bad(format!("{e}")))?;
                recipients.push(crate::hybrid::AnyRecipient::Hybrid(Box::new(
                    id.to_public(),
                )));
                identities.push(Box::new(id));
            } else {
                if key.starts_with("AGE-SECRET-KEY-1") {
                    let id: age::x25519::Identity = key.parse().map_err(|e: &str| bad(e.into()))?;
                    recipients.push(crate::hybrid::AnyRecipient::Classical(id.to_public()));
                }
                classical.push_str(line);
                classical.push('\n');
            }
        }
        let has_classical = classical.lines().any(|l| {
            let l = l.trim();
            !l.is_empty() && !l.starts_with('#')
        });
        if has_classical {
            let file = age::IdentityFile::from_buffer(classical.as_bytes())
                .map_err(|e| bad(e.to_string()))?;
            identities.extend(file.into_identities().map_err(|e| bad(e.to_string()))?);
        }
        if identities.is_empty() {
            return Err(DeskError::Identity(name, "no identity in the file".into()));
        }
        Ok(Self {
            identities,
            recipients,
            cache_key: derive_cache_key(secrets.as_bytes()),
        })
    }

    /// A 32-byte key derived from the secret keys (HKDF-SHA256), for
    /// authenticating what the desk caches in the mirror. The cache is
    /// encrypted to the identity's public recipients, which the server and
    /// anyone who carries the mirror know: without this key, whoever can
    /// write the mirror could plant a cache that hides an unverified event.
    pub fn cache_key(&self) -> &[u8; 32] {
        &self.cache_key
    }

    fn iter(&self) -> impl Iterator<Item = &dyn age::Identity> {
        self.identities
            .iter()
            .map(|i| i.as_ref() as &dyn age::Identity)
    }

    /// Opens an age stream; `what` names it in errors.
    pub fn open<R: Read>(
        &self,
        what: &str,
        input: R,
    ) -> Result<age::stream::StreamReader<R>, DeskError> {
        let decryptor = age::Decryptor::new(input)
            .map_err(|e| DeskError::Mirror(format!("{what}: not an age file ({e})")))?;
        decryptor.decrypt(self.iter()).map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => DeskError::WrongIdentity(what.to_string()),
            other => DeskError::Mirror(format!("{what}: {other}")),
        })
    }

    /// Opens a whole age file from disk into memory (wiped on drop).
    pub fn open_file(&self, what: &str, path: &Path) -> Result<Zeroizing<Vec<u8>>, DeskError> {
        let file =
            std::fs::File::open(path).map_err(|e| DeskError::Io(path.display().to_string(), e))?;
        let mut reader = self.open(what, std::io::BufReader::new(file))?;
        let mut out = Zeroizing::new(Vec::new());
        reader
            .read_to_end(&mut out)
            .map_err(|e| DeskError::Mirror(format!("{what}: {e}")))?;
        Ok(out)
    }
}

/// Derives [`DeskIdentity::cache_key`] from the identity file's secret-key lines.
fn derive_cache_key(secrets: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut key = Zeroizing::new([0u8; 32]);
    // 32 bytes is far below HKDF-SHA256's limit of 8,160: expand cannot fail.
    let _ = hkdf::Hkdf::<sha2::Sha256>::new(Some(CACHE_KEY_SALT), secrets)
        .expand(CACHE_KEY_INFO, key.as_mut());
    key
}

#[cfg(test)]
mod tests {
    use age::secrecy::ExposeSecret;

    use super::*;

    fn load(text: &str) -> DeskIdentity {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("centre.key");
        std::fs::write(&path, text).unwrap();
        DeskIdentity::load(&path, || Err(DeskError::Usage("no passphrase".into()))).unwrap()
    }

    #[test]
    fn the_cache_key_follows_the_secret_keys_and_nothing_else() {
        let one = age::x25519::Identity::generate();
        let one = one.to_string().expose_secret().to_string();
        let two = age::x25519::Identity::generate();
        let two = two.to_string().expose_secret().to_string();
        let a = load(&format!("{one}\n"));
        let commented = load(&format!("# created: today\n{one}\n"));
        let other = load(&format!("{two}\n"));
        assert_eq!(a.cache_key(), commented.cache_key());
        assert_ne!(a.cache_key(), other.cache_key());
        assert_ne!(a.cache_key(), &[0u8; 32]);
    }
}
