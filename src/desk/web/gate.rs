//! Who may talk to the desk's web face: the one-time URL key, the session
//! cookie it buys, the Host check against DNS rebinding, the per-form tokens,
//! and the strict headers on every answer.
//!
//! The desk listens on loopback, but every program and every web page open on
//! the workstation can reach loopback. So: nothing is served without the
//! session cookie; the cookie is handed out once, in exchange for the key in
//! the printed URL; a page on another site cannot read our answers (the Host
//! check stops a rebound name, SameSite=Strict keeps the cookie off its
//! requests) and cannot make us act (every POST carries a token bound to the
//! session and to the form's action).

use std::net::SocketAddr;
use std::sync::Mutex;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::desk::texts::{t, Lang};

/// The session cookie's name.
pub const COOKIE: &str = "tipline_desk";

/// Label for deriving form tokens from the session secret.
const FORM_TOKEN_LABEL: &[u8] = b"tipline desk form token v1:";

/// The headers of every desk answer. The desk's own pages load only their
/// stylesheet and the report's images from us; no script at all.
const FIXED: &[(&str, &str)] = &[
    (
        "content-security-policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'",
    ),
    // Nothing about a case may travel in a Referer.
    ("referrer-policy", "no-referrer"),
    // A reporter's file must never be sniffed into a page.
    ("x-content-type-options", "nosniff"),
    // Decrypted content must not stay in the browser's cache on disk.
    ("cache-control", "no-store"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    ("x-frame-options", "DENY"),
    ("x-robots-tag", "noindex, nofollow"),
];

/// The secrets of one `desk serve` run, in memory only.
pub struct Gate {
    /// The URL key, until its one use.
    key: Mutex<Option<Zeroizing<String>>>,
    /// The session cookie's value.
    session: Zeroizing<String>,
    /// `Host` values we answer to: the bound address, and `localhost:PORT`
    /// when bound to a loopback address.
    hosts: Vec<String>,
    /// The staff pages' language, held with the session (one per run): no
    /// cookie of its own, changed only by the token-carrying switch form.
    lang: Mutex<Lang>,
}

fn random_hex() -> Zeroizing<String> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(&mut bytes[..]);
    Zeroizing::new(hex::encode(&bytes[..]))
}

/// Whether the browser says the request came from this desk's own pages: its
/// `Sec-Fetch-Site`, when sent, is `same-origin` or `none` (typed or opened
/// from the printed URL). A page on another loopback port is `same-site` and
/// carries the SameSite cookie, so that is refused too.
pub fn own_fetch(headers: &actix_web::http::header::HeaderMap) -> bool {
    match headers.get("sec-fetch-site").map(|o| o.to_str()) {
        None => true,
        Some(Ok(site)) => site == "same-origin" || site == "none",
        Some(Err(_)) => false,
    }
}

fn same(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

impl Gate {
    /// Fresh secrets for a desk bound to `addr`.
    pub fn new(addr: SocketAddr) -> Self {
        Self {
            key: Mutex::new(Some(random_hex())),
            session: random_hex(),
            hosts: vec![addr.to_string(), format!("localhost:{}", addr.port())],
            lang: Mutex::new(Lang::default()),
        }
    }

    /// The same, with the staff pages in `lang` until someone switches.
    pub fn with_lang(self, lang: Lang) -> Self {
        Self {
            lang: Mutex::new(lang),
            ..self
        }
    }

    /// The staff pages' language now.
    pub fn lang(&self) -> Lang {
        self.lang.lock().map(|l| *l).unwrap_or_default()
    }

    /// Switches the staff pages to `lang` (the switch form, after its token).
    pub fn set_lang(&self, lang: Lang) {
        if let Ok(mut l) = self.lang.lock() {
            *l = lang;
        }
    }

    /// The key for the printed URL (empty once used).
    pub fn url_key(&self) -> String {
        self.key
            .lock()
            .ok()
            .and_then(|k| k.as_ref().map(|k| k.to_string()))
            .unwrap_or_default()
    }

    /// Takes the key if `offered` is it: true once, false ever after.
    fn redeem(&self, offered: &str) -> bool {
        let Ok(mut key) = self.key.lock() else {
            return false;
        };
        match key.as_ref() {
            Some(k) if same(k, offered) => {
                *key = None;
                true
            }
            _ => false,
        }
    }

    fn host_ok(&self, req: &ServiceRequest) -> bool {
        req.headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|h| self.hosts.iter().any(|ok| ok.eq_ignore_ascii_case(h)))
    }

    fn session_ok(&self, req: &ServiceRequest) -> bool {
        req.headers()
            .get_all(header::COOKIE)
            .filter_map(|h| h.to_str().ok())
            .flat_map(cookie::Cookie::split_parse)
            .filter_map(Result::ok)
            .any(|c| c.name() == COOKIE && same(c.value(), &self.session))
    }

    /// A POST must not come from another site: its `Origin`, when sent, is
    /// ours or `null` (what browsers send under our `no-referrer` policy), and
    /// its `Sec-Fetch-Site`, when sent, is `same-origin` or `none`.
    fn origin_ok(&self, req: &ServiceRequest) -> bool {
        let origin = match req.headers().get(header::ORIGIN).map(|o| o.to_str()) {
            None => true,
            Some(Ok("null")) => true,
            Some(Ok(origin)) => self
                .hosts
                .iter()
                .any(|h| origin.eq_ignore_ascii_case(&format!("http://{h}"))),
            Some(Err(_)) => false,
        };
        origin && own_fetch(req.headers())
    }

    /// The token a form posting to `action` must carry in this session.
    pub fn form_token(&self, action: &str) -> String {
        // The key is 64 hex characters; HMAC takes keys of any length.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(self.session.as_bytes()) else {
            return String::new();
        };
        mac.update(FORM_TOKEN_LABEL);
        mac.update(action.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Whether `offered` is the token for a form posting to `action`.
    pub fn form_token_ok(&self, action: &str, offered: Option<&str>) -> bool {
        let expected = self.form_token(action);
        !expected.is_empty() && offered.is_some_and(|t| same(&expected, t))
    }

    fn session_cookie(&self) -> String {
        cookie::Cookie::build((COOKIE, self.session.to_string()))
            .http_only(true)
            .same_site(cookie::SameSite::Strict)
            .path("/")
            .build()
            .to_string()
    }
}

/// The `key` query parameter, if the request carries one.
fn offered_key(req: &ServiceRequest) -> Option<String> {
    web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.get("key").cloned())
}

fn forbidden(why: String) -> HttpResponse {
    HttpResponse::Forbidden()
        .content_type("text/plain; charset=utf-8")
        .body(why)
}

/// The middleware: Host check, key exchange, session check, Origin check on
/// POST; then the fixed headers on whatever is answered. Logs nothing about
/// the request but its route and status.
pub async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let gate = req.app_data::<web::Data<Gate>>().cloned();
    let l = gate.as_ref().map(|g| g.lang()).unwrap_or_default();
    let refused = match &gate {
        None => Some(forbidden(t(l, "gate-not-set-up"))),
        Some(gate) if !gate.host_ok(&req) => Some(forbidden(t(l, "gate-wrong-host"))),
        Some(gate) => match offered_key(&req) {
            Some(key) if gate.redeem(&key) => Some(
                HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, "/"))
                    .insert_header((header::SET_COOKIE, gate.session_cookie()))
                    .finish(),
            ),
            Some(_) => Some(forbidden(t(l, "gate-key-used"))),
            None if !gate.session_ok(&req) => Some(forbidden(t(l, "gate-no-session"))),
            None if req.method() == actix_web::http::Method::POST && !gate.origin_ok(&req) => {
                Some(forbidden(t(l, "gate-other-site")))
            }
            None => None,
        },
    };
    let mut res = match refused {
        Some(answer) => {
            tracing::info!(target: "access", status = answer.status().as_u16(), "desk refused a request");
            req.into_response(answer).map_into_right_body()
        }
        None => {
            let res = next.call(req).await?;
            let route = res
                .request()
                .match_pattern()
                .unwrap_or_else(|| "(unmatched)".to_string());
            tracing::info!(target: "access", route, status = res.status().as_u16());
            res.map_into_left_body()
        }
    };
    let headers = res.headers_mut();
    for (name, value) in FIXED {
        // An attachment sets its own, stricter policy (a sandbox).
        if *name == "content-security-policy"
            && headers.contains_key(header::CONTENT_SECURITY_POLICY)
        {
            continue;
        }
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    headers.remove(header::SERVER);
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate() -> Gate {
        Gate::new("127.0.0.1:4000".parse().unwrap())
    }

    #[test]
    fn the_url_key_is_redeemed_once_only() {
        let g = gate();
        let key = g.url_key();
        assert!(!g.redeem("wrong"));
        assert!(g.redeem(&key));
        assert!(!g.redeem(&key));
        assert!(g.url_key().is_empty());
    }

    #[test]
    fn a_form_token_is_bound_to_its_action() {
        let g = gate();
        let t = g.form_token("/sync");
        assert!(g.form_token_ok("/sync", Some(&t)));
        assert!(!g.form_token_ok("/outbox/retry", Some(&t)));
        assert!(!g.form_token_ok("/sync", None));
        assert!(!Gate::new("127.0.0.1:4000".parse().unwrap()).form_token_ok("/sync", Some(&t)));
    }
}
