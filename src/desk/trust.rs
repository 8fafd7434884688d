//! Which reporter keys the desk trusts for a report: only what traces back to the
//! keys sealed inside the report's first document, never the server's word.
//!
//! The first document (encrypted to the centre when the report was made) names
//! the reporter's recipient and Ed25519 verifying key; every code change adds a
//! statement signed with the previous key. Follow-ups must be signed by one of
//! the traced keys, and replies go only to the traced recipient.

use super::client::{ApiMessage, ApiReport};
use super::identity::DeskIdentity;
use super::mirror::Mirror;
use super::view::{self, Opened};
use super::DeskError;
use crate::ids::MessageId;
use crate::message::{Kind, ReporterMessage};
use crate::reporter_signing::{self, Trace};

/// How far a follow-up can be trusted to come from the reporter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUp {
    /// Signed with a key traced to the report: the reporter (or the server
    /// during that reporter's own check-in) wrote it.
    Verified,
    /// The report has no sealed key (made before signatures existed).
    Predates,
    /// Not signed with any traced key: the server may have written it.
    Unverified,
}

impl FollowUp {
    /// The words `desk read` shows next to the follow-up.
    pub fn label(self) -> &'static str {
        match self {
            FollowUp::Verified => "verified: signed with the reporter's code",
            FollowUp::Predates => "unverified (report predates signatures)",
            FollowUp::Unverified => "UNVERIFIED: no valid signature from the reporter's code",
        }
    }
}

/// The keys traced from a report's first document (`Predates` when it has none).
pub fn trace(report: &ApiReport, first: &ReporterMessage) -> Trace {
    if first.kind != Kind::Report {
        return Trace::Predates;
    }
    reporter_signing::trace(first, report.id, &report.recipient_chain)
}

/// The keys for `desk read`: traced from the first document; when that cannot
/// be opened, no key at all (every follow-up then shows as unverified).
pub fn trace_for_reading(mirror: &Mirror, identity: &DeskIdentity, report: &ApiReport) -> Trace {
    match first_document(mirror, identity, report) {
        Ok(first) => trace(report, &first),
        Err(_) => Trace::Traced {
            keys: Vec::new(),
            recipient: String::new(),
            broken: 0,
        },
    }
}

/// Checks one reporter follow-up against the traced keys.
pub fn follow_up(
    trace: &Trace,
    report: &ApiReport,
    message: &ApiMessage,
    doc: &ReporterMessage,
) -> FollowUp {
    match trace {
        Trace::Predates => FollowUp::Predates,
        Trace::Traced { keys, .. } => {
            if reporter_signing::verify_follow_up(keys, report.id, message.id, doc) {
                FollowUp::Verified
            } else {
                FollowUp::Unverified
            }
        }
    }
}

/// The id of the report's first document: as pinned at the first pull (a
/// server that later lists another message first changes nothing), else the
/// first one listed.
pub fn first_id(mirror: &Mirror, report: &ApiReport) -> Result<Option<MessageId>, DeskError> {
    match mirror.pinned_first(report.id)? {
        Some(id) => Ok(Some(id)),
        None => Ok(mirror.messages(report.id)?.first().map(|m| m.id)),
    }
}

/// The first document among `messages` (the mirror's list of the report),
/// as pinned: what lists and figures show and count, so a forged document
/// the server later lists first cannot replace it (or hide its DANGER).
pub fn first_listed<'a>(
    mirror: &Mirror,
    report: &ApiReport,
    messages: &'a [ApiMessage],
) -> Result<Option<&'a ApiMessage>, DeskError> {
    let first = first_id(mirror, report)?;
    Ok(messages.iter().find(|m| Some(m.id) == first))
}

/// The report's first document, decrypted.
pub fn first_document(
    mirror: &Mirror,
    identity: &DeskIdentity,
    report: &ApiReport,
) -> Result<ReporterMessage, DeskError> {
    let missing = || {
        DeskError::Mirror(format!(
            "report {} has no first message in the mirror; pull again",
            report.id
        ))
    };
    let id = first_id(mirror, report)?.ok_or_else(missing)?;
    let first = mirror
        .messages(report.id)?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or_else(missing)?;
    match view::open_message(mirror, identity, report, &first)? {
        Opened::Reporter(doc) => Ok(*doc),
        Opened::Staff(_) => Err(DeskError::Untrusted(format!(
            "report {}: its first message is not the reporter's report",
            report.id
        ))),
    }
}

/// The reporter recipient a reply may be encrypted to (`age1...` or, for a
/// hybrid centre, `age1pq1...`): the one the server names, but only if it
/// traces back to the first document. A report made
/// before keys were sealed is refused unless `trust_server_key`.
pub fn reply_recipient(
    report: &ApiReport,
    first: &ReporterMessage,
    trust_server_key: bool,
) -> Result<crate::hybrid::AnyRecipient, DeskError> {
    let claimed = || -> Result<crate::hybrid::AnyRecipient, DeskError> {
        report.reporter_recipient.parse().map_err(|e| {
            DeskError::Mirror(format!(
                "report {}: bad reporter recipient ({e})",
                report.id
            ))
        })
    };
    match trace(report, first) {
        Trace::Predates if trust_server_key => claimed(),
        Trace::Predates => Err(DeskError::Untrusted(format!(
            "report {} predates sealed reporter keys, so its reply key comes from the server alone; \
             if you trust the server, reply with --trust-server-key",
            view::short(&report.id.to_string())
        ))),
        Trace::Traced { recipient, .. } if recipient == report.reporter_recipient => claimed(),
        Trace::Traced { .. } => Err(DeskError::Untrusted(format!(
            "report {}: the reporter key the server names cannot be traced to the report itself \
             (no valid statement from the reporter's earlier code vouches for it); no reply was \
             encrypted to it, because a compromised server could read it. Pull again; if this \
             stays, tell whoever runs the server",
            view::short(&report.id.to_string())
        ))),
    }
}
