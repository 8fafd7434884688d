//! The staff workstation: `tipline desk`.
//!
//! The desk pulls an encrypted mirror over the staff API (no key needed, so this
//! can happen on a networked machine and the mirror be carried to an offline
//! one), decrypts with the centre identity in memory only, and queues replies and
//! status changes in the mirror's outbox until the server confirms them.
//!
//! Layers, so a local web interface can sit on the same modules later:
//! [`client`] (HTTP), [`mirror`] (files), [`pull`] and [`outbox`] (sync),
//! [`identity`] (keys), [`view`] (decrypted reading), [`trust`] (which
//! reporter keys trace to the report), [`reply`] (to whom replies go).

pub mod case_content;
pub mod casefile;
pub mod cli;
pub mod cli_forward;
pub mod client;
pub mod delete;
pub mod draft;
pub mod figures;
pub mod forward;
pub mod header;
pub mod identity;
pub mod intake;
pub mod metadata;
pub mod mirror;
pub mod outbox;
pub mod parallel;
pub mod partners;
pub mod print;
pub mod pull;
pub mod quarantine;
pub mod recipients;
pub mod reply;
pub mod terminal;
pub mod texts;
pub mod trust;
pub mod view;
pub mod web;

/// What can go wrong at the desk. Each variant is one line for a person and has
/// its own exit code, so scripts can tell them apart.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// The server could not be reached (network, DNS, proxy, TLS).
    #[error("cannot reach the server: {0}")]
    Unreachable(String),
    /// The server's certificate cannot be used (e.g. it is a CA certificate).
    #[error("the server's certificate is unusable: {0}")]
    Certificate(String),
    /// The server refused the token.
    #[error("the server refused the token (revoked or mistyped?)")]
    TokenRefused,
    /// The server answered something unexpected.
    #[error("the server answered {status} for {what}: {body}")]
    Server {
        /// HTTP status.
        status: u16,
        /// What we asked for.
        what: String,
        /// What it said (short).
        body: String,
    },
    /// The identity file could not be used.
    #[error("identity {0}: {1}")]
    Identity(String, String),
    /// A passphrase-protected identity and the wrong passphrase.
    #[error("wrong passphrase for {0}")]
    WrongPassphrase(String),
    /// The identity does not open this message.
    #[error("this identity cannot open {0}: it was encrypted to other keys (wrong identity for this report?)")]
    WrongIdentity(String),
    /// Nothing in the mirror matches.
    #[error("{0}")]
    NotFound(String),
    /// The mirror's files.
    #[error("mirror: {0}")]
    Mirror(String),
    /// Reading or writing a local file.
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    /// Invalid input from the user.
    #[error("{0}")]
    Usage(String),
    /// A reporter key that does not trace back to the report: nothing was
    /// encrypted to it.
    #[error("{0}")]
    Untrusted(String),
    /// The reporter changed code since a reply was encrypted, and it could not
    /// be encrypted again here.
    #[error("{0}")]
    ReporterKeyChanged(String),
    /// The templates (questionnaire, texts) could not be loaded.
    #[error("templates: {0}")]
    Content(String),
    /// Refused as suspicious until staff confirm (a pull that would move many
    /// reports to quarantine).
    #[error("{0}")]
    Refused(String),
}

impl DeskError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            DeskError::Usage(_) | DeskError::Content(_) => 2,
            DeskError::Unreachable(_) => 3,
            DeskError::TokenRefused => 4,
            DeskError::Identity(..)
            | DeskError::WrongPassphrase(_)
            | DeskError::WrongIdentity(_) => 5,
            DeskError::NotFound(_) => 6,
            DeskError::Server { .. } => 7,
            DeskError::Refused(_) => 8,
            DeskError::Certificate(_) => 9,
            DeskError::Untrusted(_) => 8,
            DeskError::ReporterKeyChanged(_) => 10,
            DeskError::Mirror(_) | DeskError::Io(..) => 1,
        }
    }
}
