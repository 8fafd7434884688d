//! The staff API client: blocking HTTP(S) with rustls (ring), optionally through
//! a SOCKS5 proxy for a staff API served as an onion service.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use serde::de::DeserializeOwned;

use super::DeskError;
use crate::ids::{AttachmentId, EventId, MessageId, ReportId};
use crate::status::Status;

/// How to reach the server.
#[derive(Clone, Debug)]
pub struct Connection {
    /// Base URL, e.g. `https://staff.example.org` or `http://127.0.0.1:8080`.
    pub server: String,
    /// The bearer token.
    pub token: String,
    /// `socks5h://127.0.0.1:9050` for Tor.
    pub proxy: Option<String>,
    /// Extra CA certificate (PEM) for a server with a private certificate.
    pub ca: Option<std::path::PathBuf>,
}

/// A report as the API lists it.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ApiReport {
    /// Report id.
    pub id: ReportId,
    /// Where replies must be encrypted to.
    pub reporter_recipient: String,
    /// Current status.
    pub status: Status,
    /// Day of arrival.
    pub received: String,
    /// Day of the last change.
    #[serde(default)]
    pub updated: Option<String>,
    /// Statements vouching for each code change, oldest first; the desk traces
    /// `reporter_recipient` through them to the keys sealed in the report.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipient_chain: Vec<crate::reporter_signing::CodeChange>,
}

/// An attachment reference in a message listing.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ApiAttachment {
    /// Attachment id.
    pub id: AttachmentId,
}

/// A message as the API lists it.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ApiMessage {
    /// Message id.
    pub id: MessageId,
    /// `reporter` or `staff`.
    pub author: crate::message::Author,
    /// Day of arrival.
    pub received: String,
    /// Its attachments.
    #[serde(default)]
    pub attachments: Vec<ApiAttachment>,
}

/// A case event as the API lists it: the server knows only who posted it
/// (the token's name) and the day.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ApiEvent {
    /// The server's id for it.
    pub id: EventId,
    /// The name of the staff token that posted it.
    pub posted_by: String,
    /// Day of arrival.
    pub received: String,
}

#[derive(serde::Deserialize)]
struct Events {
    events: Vec<ApiEvent>,
}

#[derive(serde::Deserialize)]
struct CreatedEvent {
    id: EventId,
}

#[derive(serde::Deserialize)]
struct Reports {
    reports: Vec<ApiReport>,
}

#[derive(serde::Deserialize)]
struct Messages {
    messages: Vec<ApiMessage>,
}

#[derive(serde::Deserialize)]
struct Recipients {
    recipients: Vec<String>,
}

#[derive(serde::Deserialize)]
struct Created {
    id: MessageId,
}

/// Names a failure to connect. A certificate marked as a CA (what a plain
/// `openssl req -x509` makes) is refused by rustls as a server's own
/// certificate; that gets its own error, since "unreachable" would send the
/// operator looking at the network.
fn connect_error(e: ureq::Error) -> DeskError {
    let text = e.to_string();
    if text.contains("CaUsedAsEndEntity") {
        DeskError::Certificate(
            "the server's certificate is marked as a CA (basicConstraints CA:TRUE, as a plain `openssl req -x509` makes it), and a CA certificate cannot be a server's own: make a leaf certificate with `-addext basicConstraints=critical,CA:FALSE` (see docs/tls.md)".into(),
        )
    } else {
        DeskError::Unreachable(text)
    }
}

/// A connected client.
pub struct Client {
    agent: ureq::Agent,
    base: String,
    auth: String,
}

impl Client {
    /// Prepares a client; nothing is sent yet.
    pub fn new(conn: &Connection) -> Result<Self, DeskError> {
        let mut tls = ureq::tls::TlsConfig::builder();
        if let Some(ca) = &conn.ca {
            let pem = std::fs::read(ca).map_err(|e| DeskError::Io(ca.display().to_string(), e))?;
            let certs: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(&pem)
                .filter_map(|item| match item {
                    Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                    _ => None,
                })
                .collect();
            if certs.is_empty() {
                return Err(DeskError::Usage(format!(
                    "{}: no certificate in it",
                    ca.display()
                )));
            }
            tls = tls.root_certs(ureq::tls::RootCerts::new_with_certs(&certs));
        }
        let proxy = match &conn.proxy {
            Some(p) => {
                Some(ureq::Proxy::new(p).map_err(|e| DeskError::Usage(format!("proxy {p}: {e}")))?)
            }
            None => None,
        };
        let agent = ureq::Agent::config_builder()
            .tls_config(tls.build())
            .proxy(proxy)
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(30)))
            .timeout_recv_body(Some(Duration::from_secs(600)))
            .build()
            .new_agent();
        Ok(Self {
            agent,
            base: conn.server.trim_end_matches('/').to_string(),
            auth: format!("Bearer {}", conn.token.trim()),
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    fn check(
        &self,
        what: &str,
        resp: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<ureq::http::Response<ureq::Body>, DeskError> {
        let mut resp = resp.map_err(connect_error)?;
        let status = resp.status().as_u16();
        match status {
            200..=299 => Ok(resp),
            401 => Err(DeskError::TokenRefused),
            _ => {
                let body = resp
                    .body_mut()
                    .read_to_string()
                    .unwrap_or_default()
                    .chars()
                    .take(200)
                    .collect();
                Err(DeskError::Server {
                    status,
                    what: what.to_string(),
                    body,
                })
            }
        }
    }

    /// POSTs a form to a reporter page (`/report`) as a browser would: no
    /// token. Returns the status and the page.
    pub fn post_reporter_form(
        &self,
        path: &str,
        content_type: &str,
        body: &[u8],
    ) -> Result<(u16, String), DeskError> {
        let mut resp = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Content-Type", content_type)
            .send(body)
            .map_err(connect_error)?;
        let status = resp.status().as_u16();
        let page = resp
            .body_mut()
            .read_to_string()
            .map_err(|e| DeskError::Unreachable(e.to_string()))?;
        Ok((status, page))
    }

    /// An authorised GET, checked.
    fn get(&self, path: &str) -> Result<ureq::http::Response<ureq::Body>, DeskError> {
        let resp = self
            .agent
            .get(self.url(path))
            .header("Authorization", &self.auth)
            .call();
        self.check(path, resp)
    }

    fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, DeskError> {
        let mut resp = self.get(path)?;
        resp.body_mut().read_json().map_err(|e| DeskError::Server {
            status: 200,
            what: path.to_string(),
            body: format!("unreadable JSON: {e}"),
        })
    }

    /// Every report on the server.
    pub fn reports(&self) -> Result<Vec<ApiReport>, DeskError> {
        Ok(self.get_json::<Reports>("/reports")?.reports)
    }

    /// One report's messages, oldest first.
    pub fn messages(&self, report: ReportId) -> Result<Vec<ApiMessage>, DeskError> {
        Ok(self
            .get_json::<Messages>(&format!("/reports/{report}/messages"))?
            .messages)
    }

    /// Streams a raw age file (message or attachment) into `out`.
    pub fn download(&self, path: &str, out: &mut dyn std::io::Write) -> Result<u64, DeskError> {
        let mut resp = self.get(path)?;
        let mut reader = resp.body_mut().with_config().limit(u64::MAX).reader();
        let mut buf = vec![0u8; 64 * 1024];
        let mut total = 0u64;
        loop {
            let n = reader
                .read(&mut buf)
                .map_err(|e| DeskError::Unreachable(format!("{path}: {e}")))?;
            if n == 0 {
                break;
            }
            out.write_all(&buf[..n])
                .map_err(|e| DeskError::Io("download".into(), e))?;
            total += n as u64;
        }
        Ok(total)
    }

    /// The centre recipients the server encrypts to; `None` from a server
    /// too old to say.
    pub fn recipients(&self) -> Result<Option<Vec<String>>, DeskError> {
        match self.get_json::<Recipients>("/recipients") {
            Ok(r) => Ok(Some(r.recipients)),
            Err(DeskError::Server { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Posts a reply (an age file); returns the id the server gave it.
    /// `encrypted_to` names the reporter recipient it was encrypted to: the
    /// server answers 409 if the reporter's code (and key) changed since.
    pub fn post_reply(
        &self,
        report: ReportId,
        age_file: &Path,
        encrypted_to: Option<&str>,
    ) -> Result<MessageId, DeskError> {
        let body = std::fs::read(age_file)
            .map_err(|e| DeskError::Io(age_file.display().to_string(), e))?;
        let path = format!("/reports/{report}/replies");
        let mut request = self
            .agent
            .post(self.url(&path))
            .header("Authorization", &self.auth)
            .content_type("application/octet-stream");
        if let Some(recipient) = encrypted_to {
            request = request.header(crate::reporter_signing::REPLY_RECIPIENT_HEADER, recipient);
        }
        let resp = request.send(&body[..]);
        let mut resp = self.check(&path, resp)?;
        let created: Created = resp.body_mut().read_json().map_err(|e| DeskError::Server {
            status: 201,
            what: path,
            body: format!("unreadable JSON: {e}"),
        })?;
        Ok(created.id)
    }

    /// Sets a report's status.
    pub fn put_status(&self, report: ReportId, status: Status) -> Result<(), DeskError> {
        let path = format!("/reports/{report}/status");
        let resp = self
            .agent
            .put(self.url(&path))
            .header("Authorization", &self.auth)
            .send_json(serde_json::json!({ "status": status }));
        self.check(&path, resp)?;
        Ok(())
    }

    /// One report's case events (an older server without the route: none).
    pub fn events(&self, report: ReportId) -> Result<Vec<ApiEvent>, DeskError> {
        match self.get_json::<Events>(&format!("/reports/{report}/events")) {
            Ok(e) => Ok(e.events),
            Err(DeskError::Server { status: 404, .. }) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    /// Posts a case event (an age file); returns the id the server gave it.
    pub fn post_event(&self, report: ReportId, body: &[u8]) -> Result<EventId, DeskError> {
        let path = format!("/reports/{report}/events");
        let resp = self
            .agent
            .post(self.url(&path))
            .header("Authorization", &self.auth)
            .content_type("application/octet-stream")
            .send(body);
        let mut resp = self.check(&path, resp)?;
        let created: CreatedEvent = resp.body_mut().read_json().map_err(|e| DeskError::Server {
            status: 201,
            what: path,
            body: format!("unreadable JSON: {e}"),
        })?;
        Ok(created.id)
    }

    /// Deletes a report on the server (everything of it).
    pub fn delete_report(&self, report: ReportId) -> Result<(), DeskError> {
        let path = format!("/reports/{report}");
        let resp = self
            .agent
            .delete(self.url(&path))
            .header("Authorization", &self.auth)
            .call();
        self.check(&path, resp)?;
        Ok(())
    }
}
