//! New-report notices: a mail (`--notify-smtp`, `--notify-to`) and/or a webhook
//! POST (`--notify-webhook`) saying only that there are new reports or follow-ups
//! on the site, and how many. Never an id, a status, a time of arrival or any
//! content; at most one per `--notify-interval`, so a mail or chat provider does
//! not learn when reports arrive. Sending happens on its own thread: a report
//! only bumps a counter, and a failed notice is logged and retried next interval.

use std::net::IpAddr;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::SmtpTransport;
use lettre::Transport;
use secrecy::{ExposeSecret, SecretString};

/// A notification setting that cannot work, or a notice that was not sent.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// `--notify-interval` is not a number with s, m or h.
    #[error("notify-interval {0:?}: use a number with s, m or h, e.g. 90s, 10m, 1h")]
    Interval(String),
    /// An address given to `--notify-to` or `--notify-from`.
    #[error("notify address {0:?}: {1}")]
    Address(String, String),
    /// The SMTP URL (its text is not repeated: it may hold a password).
    #[error("notify-smtp: {0}")]
    Smtp(String),
    /// The webhook URL (its text is not repeated: it may hold a token).
    #[error("notify-webhook: {0}")]
    Webhook(String),
    /// Mail needs both the server and at least one address.
    #[error("notify-smtp and notify-to go together")]
    Incomplete,
    /// Sending failed (said without the URL or the password).
    #[error("{0}")]
    Send(String),
}

/// The default: at most one notice an hour.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(3600);

/// Where and how often notices go; built once from the settings.
#[derive(Clone, Debug)]
pub struct NotifySettings {
    mail: Option<Mail>,
    webhook: Option<Arc<SecretString>>,
    /// At most one notice per this long.
    pub interval: Duration,
    site: String,
}

#[derive(Clone, Debug)]
struct Mail {
    smtp: Arc<SecretString>,
    from: Mailbox,
    to: Vec<Mailbox>,
}

impl NotifySettings {
    /// Checks the settings; `None` when no notice is asked for.
    pub fn new(
        smtp: Option<String>,
        to: Vec<String>,
        from: Option<String>,
        webhook: Option<String>,
        interval: Option<&str>,
        site: Option<String>,
    ) -> Result<Option<Self>, NotifyError> {
        let interval = interval.map_or(Ok(DEFAULT_INTERVAL), parse_interval)?;
        let mail = match (smtp, to.is_empty()) {
            (None, true) => None,
            (Some(url), false) => {
                smtp_transport(&url)?;
                let to = to
                    .iter()
                    .map(|a| mailbox(a))
                    .collect::<Result<Vec<_>, _>>()?;
                let from = match from {
                    Some(f) => mailbox(&f)?,
                    None => to[0].clone(),
                };
                Some(Mail {
                    smtp: Arc::new(url.into()),
                    from,
                    to,
                })
            }
            _ => return Err(NotifyError::Incomplete),
        };
        if let Some(url) = &webhook {
            webhook_url(url)?;
        }
        if mail.is_none() && webhook.is_none() {
            return Ok(None);
        }
        Ok(Some(Self {
            mail,
            webhook: webhook.map(|w| Arc::new(w.into())),
            interval,
            site: site.unwrap_or_else(|| "tipline".into()),
        }))
    }

    /// The one sentence a notice says.
    fn text(&self, count: u64) -> String {
        format!(
            "{}: {count} new report(s) or follow-up(s). Read them on the staff desk.",
            self.site
        )
    }

    fn send(&self, count: u64) -> Result<(), NotifyError> {
        let text = self.text(count);
        if let Some(mail) = &self.mail {
            send_mail(mail, &self.site, &text)?;
        }
        if let Some(url) = &self.webhook {
            send_webhook(url.expose_secret(), &self.site, count, &text)?;
        }
        Ok(())
    }
}

/// `90s`, `10m`, `1h`: a positive whole number and a unit.
pub fn parse_interval(text: &str) -> Result<Duration, NotifyError> {
    let bad = || NotifyError::Interval(text.to_string());
    let trimmed = text.trim();
    let unit = trimmed.chars().last().ok_or_else(bad)?;
    let number = &trimmed[..trimmed.len() - unit.len_utf8()];
    if !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let n: u64 = number.parse().map_err(|_| bad())?;
    let seconds = match unit {
        's' => n,
        'm' => n.checked_mul(60).ok_or_else(bad)?,
        'h' => n.checked_mul(3600).ok_or_else(bad)?,
        _ => return Err(bad()),
    };
    if seconds == 0 {
        return Err(bad());
    }
    Ok(Duration::from_secs(seconds))
}

fn mailbox(text: &str) -> Result<Mailbox, NotifyError> {
    text.parse().map_err(|e: lettre::address::AddressError| {
        NotifyError::Address(text.to_string(), e.to_string())
    })
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        // smtp:// is not a "special" scheme to the URL standard: its
        // addresses arrive as names, so they are parsed here.
        Some(url::Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost")
                || d.trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        None => false,
    }
}

/// The SMTP policy: `smtps://` (TLS from the start), or `smtp://` with STARTTLS
/// required; `smtp://` without TLS only to a loopback relay.
fn smtp_transport(text: &str) -> Result<SmtpTransport, NotifyError> {
    let bad = |why: &str| NotifyError::Smtp(why.to_string());
    let mut url = url::Url::parse(text).map_err(|_| bad("not a URL"))?;
    let tls = url
        .query_pairs()
        .find(|(k, _)| k == "tls")
        .map(|(_, v)| v.into_owned());
    match (url.scheme(), tls.as_deref()) {
        ("smtps", None) | ("smtp", Some("required")) => {}
        ("smtp", None) if is_loopback(&url) => {}
        ("smtp", None) => {
            url.query_pairs_mut().append_pair("tls", "required");
        }
        ("smtp" | "smtps", Some(_)) => {
            return Err(bad("only tls=required is accepted (TLS is never optional)"))
        }
        _ => return Err(bad("use smtps://HOST:465 or smtp://HOST:587")),
    }
    SmtpTransport::from_url(url.as_str())
        .map(|b| b.timeout(Some(Duration::from_secs(30))).build())
        .map_err(|e| bad(&e.to_string()))
}

/// The webhook policy: https, or http to a loopback address.
fn webhook_url(text: &str) -> Result<url::Url, NotifyError> {
    let url = url::Url::parse(text).map_err(|_| NotifyError::Webhook("not a URL".into()))?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        _ => Err(NotifyError::Webhook(
            "use https:// (plain http:// only to a loopback address)".into(),
        )),
    }
}

fn send_mail(mail: &Mail, site: &str, text: &str) -> Result<(), NotifyError> {
    let transport = smtp_transport(mail.smtp.expose_secret())?;
    let mut builder = lettre::Message::builder()
        .from(mail.from.clone())
        .subject(format!("{site}: new reports"))
        .header(ContentType::TEXT_PLAIN);
    for to in &mail.to {
        builder = builder.to(to.clone());
    }
    let message = builder
        .body(text.to_string())
        .map_err(|e| NotifyError::Send(format!("mail: {e}")))?;
    transport
        .send(&message)
        .map_err(|e| NotifyError::Send(format!("mail: {e}")))?;
    Ok(())
}

fn send_webhook(url: &str, site: &str, count: u64, text: &str) -> Result<(), NotifyError> {
    let url = webhook_url(url)?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        // A redirect could lead off https or off loopback: not followed.
        .max_redirects(0)
        .build()
        .into();
    let body = serde_json::json!({ "text": text, "site": site, "new": count });
    agent.post(url.as_str()).send_json(&body).map_err(|e| {
        // Said without the URL: a chat webhook's URL is its secret.
        NotifyError::Send(match e {
            ureq::Error::StatusCode(code) => format!("webhook answered {code}"),
            other => format!(
                "webhook: {}",
                other.to_string().replace(url.as_str(), "URL")
            ),
        })
    })?;
    Ok(())
}

/// The handle reporters' requests use: counting is all they do.
#[derive(Clone, Default)]
pub struct Notifier {
    inner: Option<Arc<Pending>>,
}

#[derive(Default)]
struct Pending {
    count: Mutex<u64>,
    arrived: Condvar,
}

impl Notifier {
    /// No notices.
    pub fn disabled() -> Self {
        Self::default()
    }

    /// Starts the sending thread; without settings, a handle that does nothing.
    pub fn start(settings: Option<&NotifySettings>) -> Self {
        let Some(settings) = settings.cloned() else {
            return Self::disabled();
        };
        let pending = Arc::new(Pending::default());
        let worker = pending.clone();
        let spawned = std::thread::Builder::new()
            .name("notify".into())
            .spawn(move || run(&settings, &worker));
        match spawned {
            Ok(_) => Self {
                inner: Some(pending),
            },
            Err(e) => {
                tracing::error!(cause = %e, "could not start the notification thread");
                Self::disabled()
            }
        }
    }

    /// A report or a follow-up was stored. Never blocks for more than a lock.
    pub fn note(&self) {
        if let Some(p) = &self.inner {
            let mut count = p.count.lock().unwrap_or_else(|e| e.into_inner());
            *count += 1;
            p.arrived.notify_one();
        }
    }
}

/// Waits for something to say, lets a whole interval pass (counted from the
/// first new message, and from the last notice), then sends one notice for all.
fn run(settings: &NotifySettings, pending: &Pending) {
    let mut last_sent: Option<Instant> = None;
    loop {
        {
            let mut count = pending.count.lock().unwrap_or_else(|e| e.into_inner());
            while *count == 0 {
                count = pending
                    .arrived
                    .wait(count)
                    .unwrap_or_else(|e| e.into_inner());
            }
        }
        let mut due = Instant::now() + settings.interval;
        if let Some(last) = last_sent {
            due = due.max(last + settings.interval);
        }
        std::thread::sleep(due.saturating_duration_since(Instant::now()));
        let n = std::mem::take(&mut *pending.count.lock().unwrap_or_else(|e| e.into_inner()));
        last_sent = Some(Instant::now());
        match settings.send(n) {
            Ok(()) => tracing::info!(count = n, "new-report notice sent"),
            Err(e) => {
                tracing::warn!(cause = %e, "new-report notice failed; retrying next interval");
                *pending.count.lock().unwrap_or_else(|e| e.into_inner()) += n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_take_seconds_minutes_and_hours_and_nothing_else() {
        assert_eq!(parse_interval("90s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_interval("10m").unwrap(), Duration::from_secs(600));
        assert_eq!(parse_interval("1h").unwrap(), Duration::from_secs(3600));
        for bad in [
            "",
            "0s",
            "1",
            "h",
            "1d",
            "-1m",
            "+1m",
            "1.5h",
            "1é",
            "99999999999999999h",
        ] {
            assert!(parse_interval(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn plain_smtp_goes_only_to_loopback_and_tls_is_never_optional() {
        assert!(smtp_transport("smtp://127.0.0.1:2525").is_ok());
        assert!(smtp_transport("smtp://localhost:25").is_ok());
        let plain = |u: &str| is_loopback(&url::Url::parse(u).unwrap());
        assert!(plain("smtp://127.0.0.1:25") && plain("smtp://[::1]:25"));
        assert!(!plain("smtp://192.0.2.1:25") && !plain("smtp://mail.example"));
        assert!(smtp_transport("smtps://u:p@mail.example:465").is_ok());
        // Elsewhere, smtp:// means STARTTLS required.
        assert!(smtp_transport("smtp://mail.example").is_ok());
        assert!(smtp_transport("smtp://mail.example?tls=opportunistic").is_err());
        assert!(smtp_transport("http://mail.example").is_err());
    }

    #[test]
    fn a_webhook_needs_https_unless_it_is_on_loopback() {
        assert!(webhook_url("https://chat.example/hook/abc").is_ok());
        assert!(webhook_url("http://127.0.0.1:9/hook").is_ok());
        assert!(webhook_url("http://chat.example/hook").is_err());
    }

    #[test]
    fn errors_about_urls_do_not_repeat_the_url_and_its_password() {
        let e = NotifySettings::new(
            Some("ftp://user:hunter2@mail.example".into()),
            vec!["a@example.org".into()],
            None,
            None,
            None,
            None,
        )
        .unwrap_err();
        assert!(!e.to_string().contains("hunter2"), "{e}");
    }

    #[test]
    fn the_notice_says_the_site_and_the_count_only() {
        let s = NotifySettings::new(
            None,
            vec![],
            None,
            Some("http://127.0.0.1:9/".into()),
            Some("90s"),
            Some("Meldpunt".into()),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            s.text(3),
            "Meldpunt: 3 new report(s) or follow-up(s). Read them on the staff desk."
        );
    }
}
