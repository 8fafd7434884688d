//! The case file on the staff API: the desk posts signed, encrypted events and
//! pulls them back. The server stores each opaquely with the posting token's
//! name and the day; it cannot read, sign or verify them, and no reporter page
//! ever shows them.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde_json::json;

use crate::ids::{EventId, ReportId};

use super::error::ApiError;
use super::staff_api::Staff;
use super::AppState;

/// Registers the event routes (inside the authenticated `/api/v1` scope).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/reports/{id}/events", web::post().to(post_event))
        .route("/reports/{id}/events", web::get().to(list_events))
        .route("/reports/{id}/events/{eid}", web::get().to(get_event));
}

fn parse<T: std::str::FromStr>(s: &str) -> Result<T, ApiError> {
    s.parse().map_err(|_| ApiError::NotFound)
}

/// `POST /api/v1/reports/{id}/events`: body an age file; 201 `{"id": ...}`.
async fn post_event(
    staff: Staff,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let id: ReportId = parse(&path)?;
    // Only an age file is accepted; what is inside is the desk's business.
    if age::Decryptor::new(&body[..]).is_err() {
        return Err(ApiError::BadRequest(
            "the body must be an age file (a signed case event encrypted to the centre)".into(),
        ));
    }
    let store = state.store.clone();
    let name = staff.name.clone();
    let eid = web::block(move || store.add_event(id, &name, &body)).await??;
    tracing::info!(staff = %staff.name, "case event stored");
    Ok(HttpResponse::Created().json(json!({ "id": eid })))
}

/// `GET /api/v1/reports/{id}/events`:
/// `{"events": [{"id", "posted_by", "received"}]}` in no meaningful order.
async fn list_events(
    _staff: Staff,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id: ReportId = parse(&path)?;
    let store = state.store.clone();
    let events = web::block(move || -> Result<_, ApiError> {
        store.report(id)?.ok_or(ApiError::NotFound)?;
        Ok(store.events(id)?)
    })
    .await??;
    Ok(HttpResponse::Ok().json(json!({ "events": events })))
}

/// `GET /api/v1/reports/{id}/events/{eid}`: the raw age file.
async fn get_event(
    _staff: Staff,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let id: ReportId = parse(&path.0)?;
    let eid: EventId = parse(&path.1)?;
    let store = state.store.clone();
    let bytes = web::block(move || store.event_ciphertext(id, eid))
        .await??
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("application/octet-stream")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes))
}
