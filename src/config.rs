//! Settings for `tipline serve`: flags, then environment (`TIPLINE_*`), then a
//! TOML config file (`--config`), then defaults. Each setting is declared once,
//! here, with its documentation; the resolved [`ServeConfig`] is passed down.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crate::receipt::KdfCost;
use crate::web::form::FormLimits;

/// Settings as given; every one optional so the sources can be layered.
/// The same names work as flags (`--max-file-mib`), environment variables
/// (`TIPLINE_MAX_FILE_MIB`) and config-file keys (`max-file-mib = 100`).
#[derive(clap::Args, serde::Deserialize, Debug, Default, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServeSettings {
    /// Address to bind [default: 127.0.0.1:8080]. Port 0 picks a free port.
    #[arg(long, env = "TIPLINE_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Directory for everything the server writes [default: ./data].
    #[arg(long, env = "TIPLINE_DATA")]
    pub data: Option<PathBuf>,
    /// Directory of centre recipients: every *.pub file, one age1... per line;
    /// re-read on `kill -HUP` [default: ./keys].
    #[arg(long, env = "TIPLINE_KEYS")]
    pub keys: Option<PathBuf>,
    /// PEM certificate chain: serve HTTPS with rustls (needs --tls-key).
    #[arg(long, env = "TIPLINE_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key for --tls-cert.
    #[arg(long, env = "TIPLINE_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Serve the staff API only on this address (e.g. a VPN address), not on --listen.
    #[arg(long, env = "TIPLINE_STAFF_LISTEN")]
    pub staff_listen: Option<SocketAddr>,
    /// The pepper file (created on first start) [default: DATA/pepper]. Keep a copy
    /// apart from backups of the database: restoring needs both.
    #[arg(long, env = "TIPLINE_PEPPER_FILE")]
    pub pepper_file: Option<PathBuf>,
    /// Directory whose files replace the shipped templates (locales/*.ftl, site.toml,
    /// questionnaire.toml, style.css); it must exist, and the log names each file used.
    #[arg(long, env = "TIPLINE_TEMPLATES")]
    pub templates: Option<PathBuf>,
    /// Language of pages when none is chosen [default: nl].
    #[arg(long, env = "TIPLINE_DEFAULT_LANG")]
    pub default_lang: Option<String>,
    /// Advertise this onion address (http://....onion) to Tor Browser.
    #[arg(long, env = "TIPLINE_ONION_LOCATION")]
    pub onion_location: Option<String>,
    /// Argon2id memory in KiB [default: 19456]; fixed at installation, like the next two.
    #[arg(long, env = "TIPLINE_KDF_MEMORY_KIB")]
    pub kdf_memory_kib: Option<u32>,
    /// Argon2id passes [default: 2].
    #[arg(long, env = "TIPLINE_KDF_ITERATIONS")]
    pub kdf_iterations: Option<u32>,
    /// Argon2id lanes [default: 1].
    #[arg(long, env = "TIPLINE_KDF_PARALLELISM")]
    pub kdf_parallelism: Option<u32>,
    /// Derivations running at once, per pool [default: number of cores].
    #[arg(long, env = "TIPLINE_KDF_WORKERS")]
    pub kdf_workers: Option<usize>,
    /// Requests that may wait for a derivation before "busy" [default: 64].
    #[arg(long, env = "TIPLINE_KDF_QUEUE")]
    pub kdf_queue: Option<usize>,
    /// Largest attachment in MiB [default: 100].
    #[arg(long, env = "TIPLINE_MAX_FILE_MIB")]
    pub max_file_mib: Option<u64>,
    /// Largest total of attachments per message in MiB [default: 500].
    #[arg(long, env = "TIPLINE_MAX_REPORT_MIB")]
    pub max_report_mib: Option<u64>,
    /// Most disk space all attachments together may take, in GiB; fractions
    /// such as 0.5 work [default: 20].
    #[arg(long, env = "TIPLINE_MAX_DISK_GIB")]
    pub max_disk_gib: Option<f64>,
    /// Forms (reports, follow-ups) that may stream in at once; past it, "busy"
    /// at once [default: 256].
    #[arg(long, env = "TIPLINE_MAX_UPLOADS")]
    pub max_uploads: Option<usize>,
    /// Check-in tokens that may be outstanding at once [default: 10000].
    #[arg(long, env = "TIPLINE_MAX_CHECKINS")]
    pub max_checkins: Option<usize>,
    /// Log every request (method, route, status) for debugging. Off by default:
    /// a journal stamps each line with the time, which would date every report.
    #[arg(long, env = "TIPLINE_ACCESS_LOG", num_args = 0..=1, default_missing_value = "true")]
    pub access_log: Option<bool>,
    /// Longest free text in characters [default: 20000].
    #[arg(long, env = "TIPLINE_MAX_MESSAGE_CHARS")]
    pub max_message_chars: Option<usize>,
    /// Most follow-up messages per report [default: 100].
    #[arg(long, env = "TIPLINE_MAX_FOLLOW_UPS")]
    pub max_follow_ups: Option<u32>,
    /// Closed reports are deleted this many days after their last change [default: 180].
    #[arg(long, env = "TIPLINE_RETENTION_DAYS")]
    pub retention_days: Option<u32>,
    /// Show a DEMO banner on every page (for the quick-start instance).
    #[arg(long, env = "TIPLINE_DEMO", num_args = 0..=1, default_missing_value = "true")]
    pub demo: Option<bool>,
    /// Mail new-report notices through this server: smtps://USER:PASS@HOST:465,
    /// or smtp://HOST:587 (STARTTLS required; without TLS only to loopback).
    #[arg(long, env = "TIPLINE_NOTIFY_SMTP", hide_env_values = true)]
    pub notify_smtp: Option<String>,
    /// Who gets the notices (repeat the flag; comma-separated in the environment).
    #[arg(long, env = "TIPLINE_NOTIFY_TO", value_delimiter = ',')]
    pub notify_to: Option<Vec<String>>,
    /// Sender of the notices [default: the first --notify-to].
    #[arg(long, env = "TIPLINE_NOTIFY_FROM")]
    pub notify_from: Option<String>,
    /// POST a small JSON notice here (https://; http:// only to loopback).
    #[arg(long, env = "TIPLINE_NOTIFY_WEBHOOK", hide_env_values = true)]
    pub notify_webhook: Option<String>,
    /// At most one notice per interval: 90s, 10m, 1h [default: 1h].
    #[arg(long, env = "TIPLINE_NOTIFY_INTERVAL")]
    pub notify_interval: Option<String>,
    /// The site's name in the notices [default: tipline].
    #[arg(long, env = "TIPLINE_NOTIFY_SITE")]
    pub notify_site: Option<String>,
    /// With hybrid (age1pq1...) and classical (age1...) keys mixed in --keys,
    /// start anyway and encrypt to the classical ones only (NOT post-quantum).
    #[arg(long, env = "TIPLINE_ALLOW_CLASSICAL_RECIPIENTS", num_args = 0..=1, default_missing_value = "true")]
    pub allow_classical_recipients: Option<bool>,
}

macro_rules! layer {
    ($a:ident, $b:ident, $($f:ident),*) => {
        ServeSettings { $($f: $a.$f.or($b.$f)),* }
    };
}

impl ServeSettings {
    /// Fills what is unset here from `other` (a lower-priority source).
    pub fn or(self, other: ServeSettings) -> ServeSettings {
        let (a, b) = (self, other);
        layer!(
            a,
            b,
            listen,
            data,
            keys,
            tls_cert,
            tls_key,
            staff_listen,
            pepper_file,
            templates,
            default_lang,
            onion_location,
            kdf_memory_kib,
            kdf_iterations,
            kdf_parallelism,
            kdf_workers,
            kdf_queue,
            max_file_mib,
            max_report_mib,
            max_disk_gib,
            max_uploads,
            max_checkins,
            access_log,
            max_message_chars,
            max_follow_ups,
            retention_days,
            demo,
            notify_smtp,
            notify_to,
            notify_from,
            notify_webhook,
            notify_interval,
            notify_site,
            allow_classical_recipients
        )
    }

    /// Reads a TOML config file. Relative paths in it are read from the file's
    /// own directory, as people expect of a config file (a service's working
    /// directory is rarely where its config lives).
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError(format!("{}: {e}", path.display())))?;
        let mut s: Self =
            toml::from_str(&text).map_err(|e| ConfigError(format!("{}: {e}", path.display())))?;
        let base = path.parent().unwrap_or(Path::new(""));
        for p in [
            &mut s.data,
            &mut s.keys,
            &mut s.tls_cert,
            &mut s.tls_key,
            &mut s.pepper_file,
            &mut s.templates,
        ]
        .into_iter()
        .flatten()
        {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
        Ok(s)
    }
}

/// A configuration problem, said in one line.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(pub String);

/// The resolved settings of a running server.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// Reporter (and, unless `staff_listen`, staff) listener.
    pub listen: SocketAddr,
    /// Data directory.
    pub data: PathBuf,
    /// Recipients directory.
    pub keys: PathBuf,
    /// TLS certificate.
    pub tls_cert: Option<PathBuf>,
    /// TLS key.
    pub tls_key: Option<PathBuf>,
    /// Separate staff listener.
    pub staff_listen: Option<SocketAddr>,
    /// Pepper file.
    pub pepper_file: PathBuf,
    /// Template overrides.
    pub templates: Option<PathBuf>,
    /// Default language.
    pub default_lang: String,
    /// Onion-Location value.
    pub onion_location: Option<String>,
    /// Argon2id cost.
    pub kdf: KdfCost,
    /// Derivations at once per pool.
    pub kdf_workers: usize,
    /// Waiting line per pool.
    pub kdf_queue: usize,
    /// Form bounds.
    pub form_limits: FormLimits,
    /// Forms streaming in at once.
    pub max_uploads: usize,
    /// Check-in tokens outstanding at once.
    pub max_checkins: usize,
    /// Per-request access log lines (debugging only).
    pub access_log: bool,
    /// Longest free text.
    pub max_message_chars: usize,
    /// Most follow-ups.
    pub max_follow_ups: u32,
    /// Days a closed report is kept.
    pub retention_days: u32,
    /// Demo banner.
    pub demo: bool,
    /// New-report notices, when asked for.
    pub notify: Option<crate::notify::NotifySettings>,
    /// A mix of hybrid and classical recipients is tolerated (classical only).
    pub allow_classical_recipients: bool,
}

const MIB: u64 = 1024 * 1024;

/// Default days a closed report is kept before it is purged.
pub const DEFAULT_RETENTION_DAYS: u32 = 180;

impl ServeConfig {
    /// Applies defaults and checks combinations.
    pub fn resolve(s: ServeSettings) -> Result<Self, ConfigError> {
        let data = s.data.unwrap_or_else(|| PathBuf::from("./data"));
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        let defaults = KdfCost::default();
        let max_file = s.max_file_mib.unwrap_or(100) * MIB;
        let max_total = s.max_report_mib.unwrap_or(500) * MIB;
        if max_file == 0 || max_total == 0 {
            return Err(ConfigError(
                "file size limits must be at least 1 MiB".into(),
            ));
        }
        let max_disk_gib = s.max_disk_gib.unwrap_or(20.0);
        if !(max_disk_gib.is_finite() && max_disk_gib > 0.0) {
            return Err(ConfigError("max-disk-gib must be a positive number".into()));
        }
        let max_message_chars = s.max_message_chars.unwrap_or(20_000);
        if let Some(onion) = &s.onion_location {
            if !(onion.starts_with("http://") || onion.starts_with("https://"))
                || !onion.contains(".onion")
            {
                return Err(ConfigError(
                    "onion-location must look like http://xxxx.onion".into(),
                ));
            }
        }
        let notify = crate::notify::NotifySettings::new(
            s.notify_smtp,
            s.notify_to.unwrap_or_default(),
            s.notify_from,
            s.notify_webhook,
            s.notify_interval.as_deref(),
            s.notify_site,
        )
        .map_err(|e| ConfigError(e.to_string()))?;
        Ok(Self {
            notify,
            listen: s
                .listen
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080))),
            keys: s.keys.unwrap_or_else(|| PathBuf::from("./keys")),
            tls_cert: s.tls_cert,
            tls_key: s.tls_key,
            staff_listen: s.staff_listen,
            pepper_file: s.pepper_file.unwrap_or_else(|| data.join("pepper")),
            templates: s.templates,
            default_lang: s.default_lang.unwrap_or_else(|| "nl".into()),
            onion_location: s.onion_location,
            kdf: KdfCost {
                memory_kib: s.kdf_memory_kib.unwrap_or(defaults.memory_kib),
                iterations: s.kdf_iterations.unwrap_or(defaults.iterations),
                parallelism: s.kdf_parallelism.unwrap_or(defaults.parallelism),
            },
            kdf_workers: s.kdf_workers.unwrap_or(cores).max(1),
            kdf_queue: s.kdf_queue.unwrap_or(64),
            form_limits: FormLimits {
                max_fields: 200,
                max_field_bytes: 256 * 1024,
                // The longest message in the widest UTF-8, and room for the
                // questionnaire's fields: well under 1 MiB per form.
                max_text_bytes: max_message_chars.saturating_mul(4) + 64 * 1024,
                max_files: 50,
                max_file_bytes: max_file,
                max_total_bytes: max_total,
                idle: std::time::Duration::from_secs(60),
                // Long enough for 100 MiB over a slow Tor circuit.
                deadline: std::time::Duration::from_secs(30 * 60),
                max_disk_bytes: (max_disk_gib * (1024 * MIB) as f64) as u64,
            },
            max_uploads: s.max_uploads.unwrap_or(256).max(1),
            max_checkins: s.max_checkins.unwrap_or(10_000).max(1),
            access_log: s.access_log.unwrap_or(false),
            max_message_chars,
            max_follow_ups: s.max_follow_ups.unwrap_or(100),
            retention_days: s.retention_days.unwrap_or(DEFAULT_RETENTION_DAYS),
            demo: s.demo.unwrap_or(false),
            allow_classical_recipients: s.allow_classical_recipients.unwrap_or(false),
            data,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_in_a_config_file_are_read_from_the_files_directory() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("tipline.toml");
        std::fs::write(&file, "data = \"data\"\nkeys = \"/etc/tipline/keys\"\n").unwrap();
        let s = ServeSettings::from_file(&file).unwrap();
        assert_eq!(s.data.unwrap(), dir.path().join("data"));
        assert_eq!(s.keys.unwrap(), PathBuf::from("/etc/tipline/keys"));
    }
}
