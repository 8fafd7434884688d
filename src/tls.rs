//! TLS for the server with rustls and the ring provider (no C build).
//! TLS 1.3 and 1.2 only, and only ring's AEAD suites with forward secrecy.
//! The certificate is re-read on SIGHUP, so a renewed certificate needs no restart.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;

/// The server's certificate, replaceable while running.
#[derive(Debug)]
pub struct ReloadableCert {
    cert: PathBuf,
    key: PathBuf,
    provider: Arc<CryptoProvider>,
    current: RwLock<Arc<CertifiedKey>>,
}

impl ReloadableCert {
    fn load(cert: &Path, key: &Path, provider: &CryptoProvider) -> Result<CertifiedKey, String> {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
            .map_err(|e| format!("{}: {e}", cert.display()))?
            .collect::<Result<_, _>>()
            .map_err(|e| format!("{}: {e}", cert.display()))?;
        if certs.is_empty() {
            return Err(format!("{}: no certificate found", cert.display()));
        }
        let pem = std::fs::read(key).map_err(|e| format!("{}: {e}", key.display()))?;
        if is_encrypted_key(&pem) {
            return Err(format!(
                "{}: the private key is encrypted (passphrase-protected); the server cannot ask for a passphrase. Store it unencrypted, readable only by the service (e.g. openssl pkey -in KEY -out plain.key, mode 0600)",
                key.display()
            ));
        }
        let key_der =
            PrivateKeyDer::from_pem_slice(&pem).map_err(|e| format!("{}: {e}", key.display()))?;
        let signing = provider
            .key_provider
            .load_private_key(key_der)
            .map_err(|e| format!("{}: {e}", key.display()))?;
        let certified = CertifiedKey::new(certs, signing);
        certified
            .keys_match()
            .map_err(|e| format!("{} does not match {}: {e}", key.display(), cert.display()))?;
        Ok(certified)
    }

    /// Re-reads both files; on error the old certificate stays in use.
    pub fn reload(&self) -> Result<(), String> {
        let fresh = Self::load(&self.cert, &self.key, &self.provider)?;
        let mut current = self.current.write().unwrap_or_else(|p| p.into_inner());
        *current = Arc::new(fresh);
        Ok(())
    }
}

impl ResolvesServerCert for ReloadableCert {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(
            self.current
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .clone(),
        )
    }
}

/// Whether a PEM key file holds a passphrase-protected key (PKCS#8
/// `ENCRYPTED PRIVATE KEY`, or the old OpenSSL `Proc-Type: 4,ENCRYPTED`), which
/// the PEM reader would otherwise report as "no items found".
fn is_encrypted_key(pem: &[u8]) -> bool {
    let text = String::from_utf8_lossy(pem);
    text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        || text.contains("Proc-Type: 4,ENCRYPTED")
}

/// Builds the server configuration from PEM files. Errors name the file at fault.
pub fn server_config(
    cert: &Path,
    key: &Path,
) -> Result<(rustls::ServerConfig, Arc<ReloadableCert>), String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let resolver = Arc::new(ReloadableCert {
        current: RwLock::new(Arc::new(ReloadableCert::load(cert, key, &provider)?)),
        cert: cert.to_path_buf(),
        key: key.to_path_buf(),
        provider: provider.clone(),
    });
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_cert_resolver(resolver.clone());
    Ok((config, resolver))
}
