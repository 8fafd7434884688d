//! Replies at the desk: to whom they are encrypted, and sending them again when
//! the reporter changed their code meanwhile.
//!
//! A reply is encrypted to the traced reporter recipient (see [`super::trust`]),
//! the sending identity, and every centre recipient in the workstation's own
//! trusted copy (`MIRROR/keys/*.pub` or `--keys DIR`), so every colleague can
//! read it. The server's list of recipients is compared, never adopted.

use std::path::{Path, PathBuf};

use super::casefile::sync::Actor;
use super::client::Client;
use super::identity::DeskIdentity;
use super::mirror::Mirror;
use super::outbox::{self, Entry, Queued};
use super::{trust, view, DeskError};
use crate::hybrid::AnyRecipient;

/// What to keep in mind when replying, shown in the editor (`desk reply`) and
/// beside the reply box (`desk serve`).
pub const GUIDANCE: &[&str] = &[
    "Whoever has the receipt code can read this reply: it may be the reporter, or someone checking their phone. Say nothing that endangers them.",
    "Take your time, be personal and plain; do not question a possible victim in depth about the offence before a police statement (keep it authentic).",
];

/// The trusted copy's default place, inside the mirror (`desk pull` never
/// writes there).
pub const KEYS_IN_MIRROR: &str = "keys";

/// The centre recipients this workstation trusts.
pub struct CentreKeys {
    /// Every recipient of every `*.pub` file, classical (`age1...`) or hybrid
    /// (`age1pq1...`); both kinds may sit side by side while a centre switches.
    pub recipients: Vec<AnyRecipient>,
    /// Where they came from; `None` when there is no trusted copy.
    pub source: Option<PathBuf>,
}

impl CentreKeys {
    /// Loads `--keys DIR`, else `MIRROR/keys` if it exists, else nothing.
    pub fn load(mirror: &Mirror, keys: Option<&Path>) -> Result<Self, DeskError> {
        let dir = match keys {
            Some(dir) => dir.to_path_buf(),
            None => {
                let dir = mirror.root().join(KEYS_IN_MIRROR);
                if !dir.is_dir() {
                    return Ok(Self {
                        recipients: Vec::new(),
                        source: None,
                    });
                }
                dir
            }
        };
        let recipients = crate::keys::load_recipients(&dir)
            .map_err(|e| DeskError::Usage(format!("trusted centre keys: {e}")))?;
        Ok(Self {
            recipients,
            source: Some(dir),
        })
    }

    /// The kind of key the desk's own records (the deletion audit log) are
    /// encrypted to: hybrid when the trusted copy holds a hybrid key (or, with no
    /// trusted copy, when the identity does), since age refuses to mix kinds.
    pub fn audit_kind_is_hybrid(&self, identity: &DeskIdentity) -> bool {
        if self.recipients.is_empty() {
            crate::hybrid::any_hybrid(&identity.recipients)
        } else {
            crate::hybrid::any_hybrid(&self.recipients)
        }
    }

    /// Who the desk's own records (the audit log of deletions and forwards)
    /// are encrypted to: this identity and the trusted copy, of one kind only.
    pub fn audit_recipients<'a>(
        &'a self,
        identity: &'a DeskIdentity,
    ) -> Vec<&'a dyn age::Recipient> {
        let hybrid = self.audit_kind_is_hybrid(identity);
        identity
            .recipients
            .iter()
            .chain(self.recipients.iter())
            .filter(|r| r.is_hybrid() == hybrid)
            .map(|r| r as &dyn age::Recipient)
            .collect()
    }

    /// Says on stderr when replies reach only the reporter and this identity.
    pub fn warn_if_missing(&self, mirror: &Mirror) {
        if self.source.is_none() {
            eprintln!(
                "warning: no trusted copy of the centre recipients ({}/*.pub or --keys DIR): \
                 this reply is encrypted to the reporter and your own identity only, so \
                 colleagues with other keys cannot read it",
                mirror.root().join(KEYS_IN_MIRROR).display()
            );
        }
    }

    /// Compares with the server's list; a warning per difference, never adopted.
    pub fn compare(&self, server: &[String]) -> Vec<String> {
        let Some(source) = &self.source else {
            return vec![format!(
                "no trusted copy of the centre recipients to compare the server's {} with; \
                 put your own copy of the *.pub files in MIRROR/{KEYS_IN_MIRROR} or give --keys DIR",
                server.len()
            )];
        };
        let mine: Vec<String> = self.recipients.iter().map(|r| r.to_string()).collect();
        let mut out = Vec::new();
        for r in server.iter().filter(|r| !mine.contains(r)) {
            out.push(format!(
                "the server encrypts to {r}, which is not in your trusted copy ({}); it was not added",
                source.display()
            ));
        }
        for r in mine.iter().filter(|r| !server.contains(r)) {
            out.push(format!(
                "your trusted copy ({}) has {r}, which the server does not encrypt new reports to",
                source.display()
            ));
        }
        out
    }
}

/// Encrypts padded reply text to the reporter, the identity and the centre.
/// Only the identity's and the centre's recipients of the reporter key's kind
/// (hybrid or classical) are used: age refuses to mix the two kinds in one file,
/// and a report not yet upgraded still has a classical reporter key.
pub fn seal(
    reporter: &AnyRecipient,
    identity: &DeskIdentity,
    centre: &CentreKeys,
    plaintext: &[u8],
) -> Result<Vec<u8>, DeskError> {
    let mut recipients: Vec<&dyn age::Recipient> = vec![reporter];
    recipients.extend(
        identity
            .recipients
            .iter()
            .chain(centre.recipients.iter())
            .filter(|r| r.is_hybrid() == reporter.is_hybrid())
            .map(|r| r as &dyn age::Recipient),
    );
    crate::envelope::seal(plaintext, recipients.into_iter())
        .map_err(|e| DeskError::Mirror(format!("encrypting the reply: {e}")))
}

/// After a 409: pulls the report's new recipient, checks that it traces to the
/// report, and encrypts the queued reply again to it.
pub fn reseal_after_code_change(
    client: &Client,
    mirror: &Mirror,
    identity: &DeskIdentity,
    centre: &CentreKeys,
    entry: &Entry,
    trust_server_key: bool,
) -> Result<Entry, DeskError> {
    let id = entry.item.report();
    let fresh = client
        .reports()?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| DeskError::NotFound(format!("report {id} is gone from the server")))?;
    mirror.save_report(&fresh)?;
    let first = trust::first_document(mirror, identity, &fresh)?;
    let reporter = trust::reply_recipient(&fresh, &first, trust_server_key)?;
    let plain = identity.open_file("queued reply", entry.age_path())?;
    let sealed = seal(&reporter, identity, centre, &plain)?;
    eprintln!(
        "the reporter of {} changed their code; the reply was encrypted again to their new key",
        view::short(&id.to_string())
    );
    outbox::requeue_reply(mirror, entry, &sealed, &reporter.to_string())
}

/// [`reseal_after_code_change`] for a reply from the outbox, whose Reply case
/// event may already be queued naming the first file: with `actor`, that
/// event (and the queued events that had seen it) is signed again to name the
/// file now sent; without, a warning says it was not.
#[allow(clippy::too_many_arguments)]
pub fn reseal_on_push(
    client: &Client,
    mirror: &Mirror,
    identity: &DeskIdentity,
    centre: &CentreKeys,
    keys: Option<&Path>,
    actor: Option<&Actor>,
    entry: &Entry,
    trust_server_key: bool,
) -> Result<Entry, DeskError> {
    let first = entry.sha256()?;
    let fresh =
        reseal_after_code_change(client, mirror, identity, centre, entry, trust_server_key)?;
    let report = entry.item.report();
    match actor {
        Some(actor) => {
            let recipients = super::recipients::trusted(identity, mirror, keys)?;
            super::casefile::sync::amend_queued_reply(
                mirror,
                identity,
                &recipients,
                actor,
                report,
                &first,
                &fresh.sha256()?,
            )?;
        }
        None => {
            let events_queued = outbox::entries(mirror)?
                .iter()
                .any(|q| matches!(q.item, Queued::Event { report: r, .. } if r == report));
            if events_queued {
                eprintln!(
                    "warning: case events of {} are queued; without --as, --signing-key and --team \
                     a Reply event among them keeps naming the reply's first file",
                    view::short(&report.to_string())
                );
            }
        }
    }
    Ok(fresh)
}

/// The error when a reply needs encrypting again but no identity was given.
pub fn needs_identity(entry: &Entry) -> DeskError {
    let what = match entry.item {
        Queued::Reply { .. } => "a queued reply",
        Queued::Status { .. } | Queued::Event { .. } => "a queued change",
    };
    DeskError::ReporterKeyChanged(format!(
        "the reporter of {} changed their code since {what} was written; it stays queued. \
         Run `tipline desk push` with --identity (or TIPLINE_IDENTITY) to encrypt it to their new key",
        view::short(&entry.item.report().to_string())
    ))
}
