//! The security headers, set on every response in this one place, and the
//! access log (see `access_log.rs`), which sees method, route pattern and
//! status only.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;

/// What varies between deployments.
#[derive(Clone, Debug, Default)]
pub struct HeaderSettings {
    /// Send HSTS (only when we terminate TLS ourselves).
    pub hsts: bool,
    /// The onion address (`http://...onion`) to advertise to Tor Browser.
    pub onion_location: Option<String>,
}

const FIXED: &[(&str, &str)] = &[
    // No scripts, no frames, no foreign anything: only our stylesheet and the
    // empty data: icon; forms post only to us.
    (
        "content-security-policy",
        "default-src 'none'; style-src 'self'; img-src data:; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'",
    ),
    // A link out (the quick exit) must not tell the next site where we came from.
    ("referrer-policy", "no-referrer"),
    // Never guess a type: an attachment must not become a page.
    ("x-content-type-options", "nosniff"),
    // The pages need no device feature at all.
    (
        "permissions-policy",
        "accelerometer=(), autoplay=(), camera=(), clipboard-read=(), clipboard-write=(), \
         display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), \
         magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), \
         publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), \
         web-share=(), xr-spatial-tracking=()",
    ),
    // No other window may hold a handle to ours, no other site may embed our files.
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    // Older browsers that ignore frame-ancestors.
    ("x-frame-options", "DENY"),
    // Do not let search engines list a reporting page or its history.
    ("x-robots-tag", "noindex, nofollow"),
];

/// The middleware: adds the fixed headers, HSTS and Onion-Location as configured,
/// and `Cache-Control: no-store` where a handler did not choose a cache policy
/// (nothing of this site should linger in a shared device's cache).
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let settings = req
        .app_data::<actix_web::web::Data<HeaderSettings>>()
        .cloned();
    let state = req
        .app_data::<actix_web::web::Data<super::AppState>>()
        .cloned();
    let path = req.path().to_string();
    let method = req.method().clone();
    let mut res = next.call(req).await?;

    if let Some(state) = state {
        let route = res
            .request()
            .match_pattern()
            .unwrap_or_else(|| "(unmatched)".to_string());
        state
            .access_log
            .record(method.as_str(), &route, res.status().as_u16());
    }

    let headers = res.headers_mut();
    for (name, value) in FIXED {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    headers.remove(header::SERVER);
    if let Some(settings) = settings {
        if settings.hsts {
            headers.insert(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=63072000; includeSubDomains"),
            );
        }
        if let Some(onion) = &settings.onion_location {
            let value = format!("{}{}", onion.trim_end_matches('/'), path);
            if let Ok(v) = HeaderValue::from_str(&value) {
                headers.insert(HeaderName::from_static("onion-location"), v);
            }
        }
    }
    Ok(res)
}
