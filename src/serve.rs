//! `tipline serve`: loads keys, store, pepper and content, checks them, and runs
//! the web server. Every check that can fail does so here, before binding.

use crate::config::ServeConfig;
use crate::content::{Content, ContentError};
use crate::keys::KeysError;
use crate::pepper::PepperError;
use crate::receipt::{DeriveError, Deriver};
use crate::store::{Store, StoreError};
use crate::web::{self, AppState, ServeError};

/// Why the server did not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The recipients.
    #[error(transparent)]
    Keys(#[from] KeysError),
    /// Hybrid and classical recipients mixed.
    #[error(transparent)]
    MixedRecipients(#[from] crate::hybrid::MixedRecipients),
    /// The database.
    #[error("database in {path}: {source}{hint}")]
    Store {
        /// Where.
        path: String,
        /// What.
        source: StoreError,
        /// What to do.
        hint: &'static str,
    },
    /// Another process holds the database.
    #[error("the database in {0} is in use by another process (is the server running?)")]
    Locked(String),
    /// The pepper.
    #[error(transparent)]
    Pepper(#[from] PepperError),
    /// The KDF settings.
    #[error(transparent)]
    Kdf(#[from] DeriveError),
    /// The templates.
    #[error("templates: {0}")]
    Content(#[from] ContentError),
    /// Serving.
    #[error(transparent)]
    Serve(#[from] ServeError),
}

/// Opens the store with a message that says what to do when it is locked.
pub fn open_store(data: &std::path::Path) -> Result<Store, StartError> {
    Store::open(data).map_err(|source| {
        let path = data.display().to_string();
        if source.is_locked() {
            StartError::Locked(path)
        } else {
            StartError::Store {
                path,
                source,
                hint: "",
            }
        }
    })
}

/// Starts the server and runs it until stopped.
pub async fn run(config: ServeConfig) -> Result<(), StartError> {
    let (recipients, warning) = crate::hybrid::one_kind(
        crate::keys::load_recipients(&config.keys)?,
        config.allow_classical_recipients,
    )?;
    if let Some(warning) = warning {
        tracing::warn!("{warning}");
    }
    let content = Content::load(config.templates.as_deref(), &config.default_lang)?;
    for lang in content.lang_codes() {
        let missing = content.missing_keys(lang);
        if !missing.is_empty() {
            tracing::warn!(
                lang,
                missing = missing.join(", "),
                "texts missing in this language; the default language is shown instead"
            );
        }
    }
    let store = open_store(&config.data)?;
    let store_err = |source| StartError::Store {
        path: config.data.display().to_string(),
        source,
        hint: "",
    };
    let swept = store.sweep_orphans().map_err(store_err)?;
    if swept > 0 {
        tracing::info!(swept, "removed unfinished attachment files");
    }
    let salt = store.install_salt().map_err(store_err)?;
    let pepper = crate::pepper::load_or_create(&config.pepper_file)?;
    let length_seal = crate::sizes::LengthSeal::new(pepper.as_slice());
    let deriver = Deriver::new(config.kdf, salt, pepper)?;
    tracing::info!(
        recipients = recipients.len(),
        kdf_memory_kib = config.kdf.memory_kib,
        kdf_iterations = config.kdf.iterations,
        "starting"
    );
    crate::control::listen(&config.data, store.clone()).map_err(|source| StartError::Store {
        path: crate::control::socket_path(&config.data)
            .display()
            .to_string(),
        source: source.into(),
        hint: "",
    })?;
    let purge_store = store.clone();
    let retention = i64::from(config.retention_days);
    actix_web::rt::spawn(async move {
        // Once at start, then daily: closed reports past retention are deleted.
        let mut every_day =
            actix_web::rt::time::interval(std::time::Duration::from_secs(24 * 3600));
        loop {
            every_day.tick().await;
            let store = purge_store.clone();
            match actix_web::web::block(move || store.purge_closed(retention)).await {
                Ok(Ok(0)) => {}
                Ok(Ok(n)) => tracing::info!(purged = n, "purged closed reports past retention"),
                Ok(Err(e)) => tracing::error!(cause = %e, "purge failed"),
                Err(e) => tracing::error!(cause = %e, "purge task failed"),
            }
        }
    });
    let state = AppState::new(&config, store, recipients, content, deriver, length_seal);
    web::run(config, state).await?;
    Ok(())
}
