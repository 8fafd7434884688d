//! `GET /healthz` on the staff listener: `ok` (200) or the name of the first
//! problem (503), for a monitor; no token, and nothing else in the answer.

use actix_web::{http::header, web, HttpResponse};

use super::AppState;
use crate::health::Health;

/// Registers the route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz));
}

async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let probe = state.health.clone();
    // The checks touch the disk: off the async workers.
    let health = web::block(move || probe.check())
        .await
        .unwrap_or(Health::StoreNotWritable);
    let mut response = if health == Health::Ok {
        HttpResponse::Ok()
    } else {
        HttpResponse::ServiceUnavailable()
    };
    response
        .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(health.as_str())
}
