//! The web server: reporter pages and the staff API on actix-web, TLS by rustls.
//!
//! Handlers get everything through [`AppState`]; nothing is global. The staff API
//! can run on its own listener so the reporter side (e.g. an onion service) never
//! exposes it.

mod access_log;
mod checkin;
pub mod error;
mod file_stream;
pub mod form;
mod headers;
mod health;
mod info;
pub mod kdf;
mod lifecycle;
mod limiter;
mod page_cache;
pub mod pages;
mod questions;
mod reporter;
mod staff_api;
mod staff_events;
pub mod uploads;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpResponse, HttpServer};

pub use headers::HeaderSettings;

use crate::config::ServeConfig;
use crate::content::Content;
use crate::store::Store;

use access_log::AccessLog;
use checkin::Checkins;
use error::PageErrorKind;
use form::FormLimits;
use kdf::KdfPool;
use limiter::FailureLimiter;
use uploads::Uploads;

/// Everything a handler may use, built once at start-up.
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The centre's recipients: every message is encrypted to all of them.
    /// (Replaced on `kill -HUP`; take one snapshot per request, and decide from
    /// that snapshot whether reporter keys are hybrid: `hybrid::any_hybrid`.)
    pub recipients: Arc<crate::keys::CentreKeys>,
    /// Texts, site settings, stylesheet.
    pub content: Arc<Content>,
    /// KDF pool for new reports.
    pub report_kdf: KdfPool,
    /// KDF pool for check-ins (separate, so guessing cannot starve reports).
    pub check_kdf: KdfPool,
    /// Outstanding check-in tokens.
    pub checkins: Checkins,
    /// Bounds on forms.
    pub form_limits: FormLimits,
    /// Forms streaming in at once, and the threads that write their files.
    pub uploads: Uploads,
    /// Request lines or counts.
    pub access_log: AccessLog,
    /// Longest free text, in characters.
    pub max_message_chars: usize,
    /// Most follow-ups per report.
    pub max_follow_ups: u32,
    /// Failed staff-token checks.
    pub staff_limiter: FailureLimiter,
    /// Seals attachment lengths at rest.
    pub length_seal: crate::sizes::LengthSeal,
    /// Demo banner on every page.
    pub demo: bool,
    /// The pages that are the same for everyone, rendered once.
    pub pages: page_cache::PageCache,
    /// What `/healthz` checks.
    pub health: crate::health::Probe,
    /// Counts new reports and follow-ups for the content-free notices.
    pub notifier: crate::notify::Notifier,
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Binding or serving failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// TLS configuration failed.
    #[error("TLS: {0}")]
    Tls(String),
}

impl AppState {
    /// Builds the state from the loaded parts.
    pub fn new(
        config: &ServeConfig,
        store: Store,
        recipients: Arc<crate::keys::CentreKeys>,
        content: Content,
        deriver: crate::receipt::Deriver,
        length_seal: crate::sizes::LengthSeal,
    ) -> Self {
        let deriver = Arc::new(deriver);
        let wait = Duration::from_secs(20);
        let pages = page_cache::PageCache::render(&content, config.demo);
        Self {
            store,
            recipients,
            content: Arc::new(content),
            report_kdf: KdfPool::new(deriver.clone(), config.kdf_workers, config.kdf_queue, wait),
            // Check-ins get half the workers: a flood of guessed codes can then
            // take at most half the derivation capacity from new reports.
            check_kdf: KdfPool::new(
                deriver,
                (config.kdf_workers / 2).max(1),
                config.kdf_queue,
                wait,
            ),
            checkins: Checkins::new(Duration::from_secs(30 * 60), config.max_checkins),
            form_limits: config.form_limits,
            // Two writers: files are encrypted and written in 64 KiB batches, so
            // two threads keep up with the network, and the other blocking
            // threads stay free for key derivations and the store.
            uploads: Uploads::new(config.max_uploads, 2),
            access_log: AccessLog::new(config.access_log),
            max_message_chars: config.max_message_chars,
            max_follow_ups: config.max_follow_ups,
            staff_limiter: FailureLimiter::new(30, Duration::from_secs(60)),
            length_seal,
            demo: config.demo,
            pages,
            health: crate::health::Probe::new(&config.data, &config.keys, Store::DISK_RESERVE),
            notifier: crate::notify::Notifier::start(config.notify.as_ref()),
        }
    }
}

/// Which routes a listener serves.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Surface {
    Reporter,
    Staff,
    Both,
}

fn configure(
    cfg: &mut web::ServiceConfig,
    state: web::Data<AppState>,
    headers: web::Data<HeaderSettings>,
    surface: Surface,
) {
    let form_state = state.clone();
    cfg.app_data(state.clone())
        .app_data(headers)
        .app_data(
            web::FormConfig::default()
                .limit(4096)
                .error_handler(move |_, req| {
                    let lang = web::Query::<std::collections::HashMap<String, String>>::from_query(
                        req.query_string(),
                    )
                    .ok()
                    .and_then(|q| q.get("lang").cloned());
                    let lang = form_state.content.pick_lang(lang.as_deref()).to_string();
                    form_state
                        .page_error(&lang, PageErrorKind::BadRequest("form"))
                        .into()
                }),
        )
        .app_data(web::QueryConfig::default().error_handler(|e, _| {
            actix_web::error::InternalError::from_response(e, HttpResponse::BadRequest().finish())
                .into()
        }));
    if surface != Surface::Staff {
        cfg.configure(reporter::routes).configure(lifecycle::routes);
    }
    if surface != Surface::Reporter {
        cfg.configure(staff_api::routes).configure(health::routes);
    }
    let not_found_state = state;
    cfg.default_service(web::to(move |req: actix_web::HttpRequest| {
        let s = not_found_state.clone();
        async move {
            // In the language the reporter was reading, if the link said so.
            let lang = s.lang(reporter::LangQuery::of(&req).as_deref());
            Err::<HttpResponse, _>(s.page_error(&lang, PageErrorKind::NotFound))
        }
    }));
}

/// Runs the server until it is stopped. Prints `listening on URL` (and, with a
/// separate staff listener, `staff API listening on URL`) once bound.
pub async fn run(config: ServeConfig, state: AppState) -> Result<(), ServeError> {
    let state = web::Data::new(state);
    let (tls, resolver) = match (&config.tls_cert, &config.tls_key) {
        (Some(cert), Some(key)) => {
            let (tls, resolver) = crate::tls::server_config(cert, key).map_err(ServeError::Tls)?;
            (Some(tls), Some(resolver))
        }
        _ => (None, None),
    };
    // Installed on plain HTTP too: without a handler, HUP would kill the process.
    reload_on_sighup(state.recipients.clone(), resolver)?;
    let headers = web::Data::new(HeaderSettings {
        hsts: tls.is_some(),
        onion_location: config.onion_location.clone(),
    });
    let main_surface = if config.staff_listen.is_some() {
        Surface::Reporter
    } else {
        Surface::Both
    };

    // Both listeners are bound before anything is announced: "listening on"
    // means it is, and a failed staff bind stops the start with nothing printed.
    let main = build(
        state.clone(),
        headers.clone(),
        main_surface,
        config.listen,
        tls.clone(),
    )?;
    let staff = match config.staff_listen {
        None => None,
        Some(addr) => Some(build(
            state.clone(),
            headers,
            Surface::Staff,
            addr,
            tls.clone(),
        )?),
    };
    announce("listening on", &main.1, tls.is_some());
    if state.access_log.per_request() {
        tracing::warn!(
            "--access-log is on: every request is logged, and a journal dates each line; \
             this can date every report; use it for debugging only"
        );
    }
    housekeeping(state.clone());

    let served = match staff {
        None => main.0.await,
        Some(staff) => {
            announce("staff API listening on", &staff.1, tls.is_some());
            futures_util::future::try_join(main.0, staff.0)
                .await
                .map(|_| ())
        }
    };
    state.access_log.log_summary();
    served?;
    Ok(())
}

/// Timers: expired check-in tokens swept every minute, the request counts
/// logged once a day.
fn housekeeping(state: web::Data<AppState>) {
    let sweeper = state.clone();
    actix_web::rt::spawn(async move {
        let mut every_minute = tokio::time::interval(Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            sweeper.checkins.sweep();
        }
    });
    actix_web::rt::spawn(async move {
        let day = Duration::from_secs(24 * 3600);
        let mut every_day = tokio::time::interval_at(tokio::time::Instant::now() + day, day);
        loop {
            every_day.tick().await;
            state.access_log.log_summary();
        }
    });
}

/// `kill -HUP` re-reads the centre recipients (`keys/`) and, with TLS, the
/// certificate and key; whatever fails its checks is logged and the old one kept.
fn reload_on_sighup(
    keys: Arc<crate::keys::CentreKeys>,
    tls: Option<Arc<crate::tls::ReloadableCert>>,
) -> Result<(), ServeError> {
    let mut hangups = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;
    actix_web::rt::spawn(async move {
        while hangups.recv().await.is_some() {
            match keys.reload() {
                Ok(()) => tracing::info!(
                    recipients = keys.fingerprints(),
                    "centre recipients reloaded"
                ),
                Err(e) => tracing::error!(
                    cause = %e,
                    recipients = keys.fingerprints(),
                    "centre recipients reload failed; keeping the old set"
                ),
            }
            if let Some(resolver) = &tls {
                match resolver.reload() {
                    Ok(()) => tracing::info!("TLS certificate reloaded"),
                    Err(e) => tracing::error!(
                        cause = %e,
                        "TLS certificate reload failed; keeping the old one"
                    ),
                }
            }
        }
    });
    Ok(())
}

fn announce(what: &str, addrs: &[SocketAddr], tls: bool) {
    let scheme = if tls { "https" } else { "http" };
    for a in addrs {
        // stdout, so scripts and tests can learn the port when binding port 0.
        println!("{what} {scheme}://{a}");
    }
}

type Built = (actix_web::dev::Server, Vec<SocketAddr>);

fn build(
    state: web::Data<AppState>,
    headers: web::Data<HeaderSettings>,
    surface: Surface,
    addr: SocketAddr,
    tls: Option<rustls::ServerConfig>,
) -> Result<Built, ServeError> {
    let server = HttpServer::new(move || {
        App::new()
            .wrap(from_fn(headers::security_headers))
            .configure(|cfg| configure(cfg, state.clone(), headers.clone(), surface))
    })
    // Slow clients may not hold a connection open: headers within 5 s, idle
    // keep-alive for 15 s, and 5 s to say goodbye.
    .client_request_timeout(Duration::from_secs(5))
    .keep_alive(Duration::from_secs(15))
    .client_disconnect_timeout(Duration::from_secs(5))
    .shutdown_timeout(10);
    let server = match tls {
        Some(tls) => server.bind_rustls_0_23(addr, tls)?,
        None => server.bind(addr)?,
    };
    let addrs = server.addrs();
    Ok((server.run(), addrs))
}
