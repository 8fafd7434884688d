//! The one place where failures become HTTP responses.
//!
//! Reporter pages get a page in the reporter's language; the staff API gets JSON.
//! What a client sees is fixed per variant and safe to show; the cause is logged
//! once, without reporter data.

use std::sync::Arc;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};

use crate::content::Content;
use crate::store::StoreError;

use super::pages::{self, Ctx};

/// What went wrong while serving a reporter page.
#[derive(Debug, thiserror::Error)]
pub enum PageErrorKind {
    /// No such page.
    #[error("not found")]
    NotFound,
    /// The request could not be read (broken multipart, invalid UTF-8, ...).
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// The body or a file is over a limit.
    #[error("too large")]
    TooLarge {
        /// The limit to tell the reporter, in bytes.
        limit: u64,
    },
    /// The KDF pool is saturated.
    #[error("busy")]
    Busy,
    /// Attachments reached their disk budget.
    #[error("attachment storage full")]
    StorageFull,
    /// Temporarily unable to store (the disk is nearly full): nothing was stored.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Storage or encryption failed: nothing was stored.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<StoreError> for PageErrorKind {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::DiskFull(_) => PageErrorKind::Unavailable(e.to_string()),
            other => PageErrorKind::Internal(other.to_string()),
        }
    }
}

/// A reporter-side failure, with what is needed to render it in the right language.
pub struct PageError {
    /// What happened.
    pub kind: PageErrorKind,
    /// The reporter's language.
    pub lang: String,
    /// The content to render with.
    pub content: Arc<Content>,
    /// Demo banner on.
    pub demo: bool,
}

impl std::fmt::Debug for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageError")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.kind.fmt(f)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self.kind {
            PageErrorKind::NotFound => StatusCode::NOT_FOUND,
            PageErrorKind::BadRequest(_) => StatusCode::BAD_REQUEST,
            PageErrorKind::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            PageErrorKind::Busy => StatusCode::SERVICE_UNAVAILABLE,
            PageErrorKind::StorageFull => StatusCode::INSUFFICIENT_STORAGE,
            PageErrorKind::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            PageErrorKind::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        match &self.kind {
            PageErrorKind::Internal(cause) | PageErrorKind::Unavailable(cause) => {
                tracing::error!(%status, cause, "request failed")
            }
            // Refusals are counted in the access summary; a line each would
            // date them in a journal.
            other => tracing::debug!(%status, "request refused: {other}"),
        }
        let ctx = Ctx {
            content: &self.content,
            lang: &self.lang,
            demo: self.demo,
            path: "/",
        };
        let message = match &self.kind {
            PageErrorKind::NotFound => self.content.text(&self.lang, "error-not-found"),
            PageErrorKind::BadRequest(_) => self.content.text(&self.lang, "error-bad-request"),
            PageErrorKind::TooLarge { limit } => {
                let mut args = fluent_bundle::FluentArgs::new();
                args.set("limit", pages::human_size(*limit));
                self.content
                    .text_args(&self.lang, "error-too-large", Some(&args))
            }
            PageErrorKind::Busy => self.content.text(&self.lang, "error-busy-short"),
            PageErrorKind::StorageFull => self.content.text(&self.lang, "error-storage-full"),
            PageErrorKind::Internal(_) | PageErrorKind::Unavailable(_) => {
                self.content.text(&self.lang, "error-internal")
            }
        };
        let mut resp = HttpResponse::build(status);
        resp.insert_header((header::CACHE_CONTROL, "no-store"));
        if matches!(self.kind, PageErrorKind::Busy) {
            resp.insert_header((header::RETRY_AFTER, "60"));
        }
        resp.content_type("text/html; charset=utf-8")
            .body(pages::error(&ctx, &message).into_string())
    }
}

/// What went wrong in the staff API.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Missing, malformed, unknown or revoked token.
    #[error("a valid bearer token is required")]
    Unauthorized,
    /// Too many failed attempts recently.
    #[error("too many failed attempts; wait a minute")]
    RateLimited,
    /// No such report, message or attachment.
    #[error("not found")]
    NotFound,
    /// The body is not what the route takes.
    #[error("{0}")]
    BadRequest(String),
    /// Temporarily unable to store (disk nearly full).
    #[error("temporarily unable to store: {0}")]
    Unavailable(String),
    /// The request was made for a state that changed meanwhile (a reply
    /// encrypted to a reporter key the report no longer has).
    #[error("{0}")]
    Conflict(String),
    /// Storage failed.
    #[error("internal error")]
    Internal(String),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NoSuchReport => ApiError::NotFound,
            StoreError::DiskFull(_) => ApiError::Unavailable(e.to_string()),
            StoreError::RecipientChanged => ApiError::Conflict(
                "the reporter changed their code: the reply is encrypted to a key they no longer have; pull the report and encrypt it again".into(),
            ),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// A blocking job that could not finish (its pool shut down, or it panicked)
/// is an internal error, whatever the job was.
impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(cause, "staff api request failed");
        }
        let mut resp = HttpResponse::build(self.status_code());
        match self {
            ApiError::Unauthorized => {
                // 401 and nothing else: no hint about which part was wrong.
                return resp
                    .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
                    .finish();
            }
            ApiError::RateLimited => {
                resp.insert_header((header::RETRY_AFTER, "60"));
            }
            _ => {}
        }
        resp.json(serde_json::json!({ "error": self.to_string() }))
    }
}
