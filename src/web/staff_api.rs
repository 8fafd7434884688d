//! The staff API: JSON under `/api/v1`, bearer tokens, ciphertext only.
//!
//! It serves the age files as stored and accepts age files from the desk; it never
//! decrypts anything. Authorization is the [`Staff`] extractor: a handler that
//! takes it cannot run without a valid token.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError};
use futures_util::StreamExt;
use serde_json::json;

use crate::ids::{AttachmentId, MessageId, ReportId};
use crate::message::Author;
use crate::reporter_signing::REPLY_RECIPIENT_HEADER;
use crate::staff_token::StaffToken;
use crate::status::Status;
use crate::store::NewMessage;

use super::error::ApiError;
use super::AppState;

/// Largest reply the API takes (an age file of a text reply).
const MAX_REPLY_BYTES: usize = 1024 * 1024;

/// Registers the staff routes under `/api/v1`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .wrap(actix_web::middleware::from_fn(authenticate))
            .app_data(web::PayloadConfig::new(MAX_REPLY_BYTES))
            .app_data(
                web::JsonConfig::default()
                    .limit(4096)
                    .error_handler(|e, _| {
                        ApiError::BadRequest(format!("invalid JSON body: {e}")).into()
                    }),
            )
            .route("/reports", web::get().to(list_reports))
            .route("/reports/{id}", web::delete().to(delete_report))
            .route("/deletions", web::get().to(list_deletions))
            .route("/reports/{id}/messages", web::get().to(list_messages))
            .route("/reports/{id}/messages/{mid}", web::get().to(get_message))
            .route(
                "/reports/{id}/attachments/{aid}",
                web::get().to(get_attachment),
            )
            .route("/reports/{id}/replies", web::post().to(post_reply))
            .route("/reports/{id}/status", web::put().to(put_status))
            .route("/statuses", web::get().to(list_statuses))
            .configure(super::staff_events::routes)
            .route("/recipients", web::get().to(list_recipients))
            .default_service(web::to(not_found)),
    );
}

/// A caller who presented a valid staff token.
#[derive(Clone)]
pub struct Staff {
    /// Whose token it was (for the log line, never the token).
    pub name: String,
}

impl FromRequest for Staff {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    /// The identity [`authenticate`] established for this request.
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            req.extensions()
                .get::<Staff>()
                .cloned()
                .ok_or(ApiError::Unauthorized),
        )
    }
}

/// Checks the bearer token before anything else about the request is looked at
/// (body, JSON, size), so a caller without a valid token gets 401 and nothing
/// else. Valid tokens always pass; failures count towards the global limiter, and
/// past it further failures get 429 (staff with a valid token are never locked out).
pub async fn authenticate(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(|t| t.trim().parse::<StaffToken>().ok());
    match verify(state, token).await {
        Ok(staff) => {
            req.extensions_mut().insert(staff);
            Ok(next.call(req).await?.map_into_boxed_body())
        }
        Err(e) => Ok(req.into_response(e.error_response()).map_into_boxed_body()),
    }
}

async fn verify(
    state: Option<web::Data<AppState>>,
    token: Option<StaffToken>,
) -> Result<Staff, ApiError> {
    let state = state.ok_or_else(|| ApiError::Internal("no state".into()))?;
    let found = match token {
        Some(token) => {
            let store = state.store.clone();
            let hash = token.hash();
            web::block(move || store.staff_by_token_hash(&hash)).await??
        }
        None => None,
    };
    match found {
        Some(rec) => Ok(Staff { name: rec.name }),
        None if !state.staff_limiter.allow() => Err(ApiError::RateLimited),
        None => {
            state.staff_limiter.record_failure();
            Err(ApiError::Unauthorized)
        }
    }
}

fn parse<T: std::str::FromStr>(s: &str) -> Result<T, ApiError> {
    s.parse().map_err(|_| ApiError::NotFound)
}

async fn not_found(_staff: Staff) -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}

/// Every status, and what a reporter sees for each on `/check`, per language
/// (the server's own `site.toml` mapping), so staff tools can show it first.
async fn list_statuses(_staff: Staff, state: web::Data<AppState>) -> HttpResponse {
    let content = &state.content;
    let all: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
    let reporter_sees: serde_json::Map<String, serde_json::Value> = Status::ALL
        .iter()
        .map(|st| {
            let key = content.reporter_status_key(*st);
            let texts: serde_json::Map<String, serde_json::Value> = content
                .lang_codes()
                .map(|l| (l.to_string(), content.text(l, &key).into()))
                .collect();
            (st.as_str().to_string(), texts.into())
        })
        .collect();
    HttpResponse::Ok().json(json!({ "statuses": all, "reporter_sees": reporter_sees }))
}

/// The centre recipients this server encrypts to, so a desk can compare them
/// with its own trusted copy (it never adopts them).
async fn list_recipients(_staff: Staff, state: web::Data<AppState>) -> HttpResponse {
    let all: Vec<String> = state
        .recipients
        .current()
        .iter()
        .map(|r| r.to_string())
        .collect();
    HttpResponse::Ok().json(json!({ "recipients": all }))
}

async fn list_reports(_staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let store = state.store.clone();
    let reports = web::block(move || store.reports()).await??;
    let list: Vec<_> = reports
        .into_iter()
        .map(|(id, r)| {
            json!({
                "id": id,
                "reporter_recipient": r.reporter_recipient,
                "status": r.status,
                "received": r.received,
                "updated": r.updated,
                "messages": r.next_seq,
                "recipient_chain": r.recipient_chain,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "reports": list })))
}

async fn list_messages(
    _staff: Staff,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id: ReportId = parse(&path)?;
    let store = state.store.clone();
    let messages = web::block(move || -> Result<_, ApiError> {
        store.report(id)?.ok_or(ApiError::NotFound)?;
        Ok(store.messages(id)?)
    })
    .await??;
    let list: Vec<_> = messages
        .into_iter()
        .map(|m| {
            let attachments: Vec<_> = m
                .attachments
                .iter()
                .map(|a| json!({ "id": a.id }))
                .collect();
            json!({
                "id": m.id,
                "author": m.author,
                "received": m.received,
                "attachments": attachments,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "messages": list })))
}

async fn get_message(
    _staff: Staff,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let id: ReportId = parse(&path.0)?;
    let mid: MessageId = parse(&path.1)?;
    let store = state.store.clone();
    let bytes = web::block(move || -> Result<_, ApiError> {
        if !store.messages(id)?.iter().any(|m| m.id == mid) {
            return Err(ApiError::NotFound);
        }
        store.ciphertext(mid)?.ok_or(ApiError::NotFound)
    })
    .await??;
    Ok(HttpResponse::Ok()
        .content_type("application/octet-stream")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes))
}

async fn get_attachment(
    _staff: Staff,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let id: ReportId = parse(&path.0)?;
    let aid: AttachmentId = parse(&path.1)?;
    let store = state.store.clone();
    let (file, sealed_len) = web::block(move || -> Result<_, ApiError> {
        let sealed_len = store
            .messages(id)?
            .into_iter()
            .flat_map(|m| m.attachments)
            .find(|a| a.id == aid)
            .ok_or(ApiError::NotFound)?
            .sealed_len;
        Ok((store.open_blob(aid)?.ok_or(ApiError::NotFound)?, sealed_len))
    })
    .await??;
    // The file on disk is padded; serve exactly the age file.
    let len = state
        .length_seal
        .open(&sealed_len)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/octet-stream")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(actix_web::body::SizedStream::new(
            len,
            super::file_stream::chunks(std::io::Read::take(file, len)).boxed_local(),
        )))
}

async fn post_reply(
    staff: Staff,
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let id: ReportId = parse(&path)?;
    let encrypted_to = match req.headers().get(REPLY_RECIPIENT_HEADER) {
        None => None,
        Some(v) => Some(
            v.to_str()
                .ok()
                .and_then(|t| t.trim().parse::<crate::hybrid::AnyRecipient>().ok())
                .ok_or_else(|| {
                    ApiError::BadRequest(format!(
                        "{REPLY_RECIPIENT_HEADER} must be an age1... or age1pq1... recipient"
                    ))
                })?
                .to_string(),
        ),
    };
    // Only an age file is accepted: its header must parse. Whether it is really
    // encrypted to the reporter is the desk's job; the server cannot tell.
    if age::Decryptor::new(&body[..]).is_err() {
        return Err(ApiError::BadRequest(
            "the body must be an age file encrypted to the report's reporter_recipient".into(),
        ));
    }
    let store = state.store.clone();
    let mid = MessageId::generate();
    let msg = NewMessage {
        id: mid,
        author: Author::Staff,
        ciphertext: body.to_vec(),
        attachments: Vec::new(),
    };
    web::block(move || store.add_reply(id, msg, encrypted_to.as_deref())).await??;
    tracing::info!(staff = %staff.name, "reply stored");
    Ok(HttpResponse::Created().json(json!({ "id": mid })))
}

/// Body of `PUT /status`.
#[derive(serde::Deserialize)]
pub struct StatusBody {
    status: String,
}

async fn put_status(
    staff: Staff,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Json<StatusBody>,
) -> Result<HttpResponse, ApiError> {
    let id: ReportId = parse(&path)?;
    let status: Status = body
        .status
        .parse()
        .map_err(|e: crate::status::UnknownStatus| ApiError::BadRequest(e.to_string()))?;
    let store = state.store.clone();
    web::block(move || store.set_status(id, status)).await??;
    tracing::info!(staff = %staff.name, %status, "status set");
    Ok(HttpResponse::NoContent().finish())
}

/// Deletes a report and everything of it (ciphertext, messages, attachment
/// files, the code's lookup entry): `desk delete`, for test reports and the
/// like. The reason is not sent; the server only counts deletions per month.
async fn delete_report(
    staff: Staff,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id: ReportId = parse(&path)?;
    let store = state.store.clone();
    web::block(move || store.delete_by_staff(id)).await??;
    tracing::info!(staff = %staff.name, "report deleted by staff");
    Ok(HttpResponse::NoContent().finish())
}

/// How many reports staff deleted, per month: `{"deletions": [{"month": "YYYY-MM", "count": n}]}`.
async fn list_deletions(
    _staff: Staff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let store = state.store.clone();
    let list = web::block(move || store.staff_deletions()).await??;
    let list: Vec<_> = list
        .into_iter()
        .map(|(month, count)| json!({ "month": month, "count": count }))
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "deletions": list })))
}
