//! One case event: what a staff member did to a report, signed by them.
//!
//! The plaintext inside the age file is `{"payload": "<event JSON>", "sig":
//! "<hex>"}`: the payload is kept as the exact string that was signed, so
//! verification never depends on re-serialising. An event's name is the
//! SHA-256 of its payload; each event lists the names of the events its
//! author had seen for that report (`seen`), which makes a DAG: two desks may
//! act at once, and an event the server drops leaves a dangling name.
//!
//! Time: an event carries the day and a per-author sequence number, never a
//! clock time. The DAG already orders what one person saw before acting, and
//! the day is what the rest of tipline keeps; a minute-resolution time would
//! add little and could line staff activity up with network logs.

use sha2::{Digest, Sha256};

use super::signing::{Roster, SigningIdentity, Verdict};
use crate::desk::DeskError;
use crate::ids::ReportId;
use crate::status::Status;

/// Domain separation for event names.
const HASH_CONTEXT: &[u8] = b"tipline case event hash v1\0";

/// The format version written now.
pub const VERSION: u8 = 1;

/// What was done.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// An internal note, never sent to the reporter.
    Note {
        /// The note.
        text: String,
    },
    /// Tags added (or, with `remove`, removed: only the additions its author
    /// had seen, so a concurrent addition survives).
    Tag {
        /// The tags.
        tags: Vec<String>,
        /// Removal instead of addition.
        #[serde(default)]
        remove: bool,
    },
    /// Who works the case (`None`: nobody).
    Assign {
        /// The staff name.
        to: Option<String>,
    },
    /// A reminder on a day.
    Remind {
        /// `YYYY-MM-DD`.
        date: String,
        /// What to remember.
        #[serde(default)]
        note: Option<String>,
    },
    /// The author read the report, with this many messages in it.
    Seen {
        /// Messages the conversation had (a later one is unseen).
        #[serde(default)]
        messages: usize,
    },
    /// The author queued a reply (its ciphertext's SHA-256, so the log can
    /// name the reply without holding its text twice).
    Reply {
        /// Hex SHA-256 of the reply's age file.
        sha256: String,
    },
    /// The author changed the status.
    Status {
        /// The new status.
        status: Status,
    },
    /// The author forwarded the case to a partner (`desk forward`), so the
    /// team sees it in the audit trail, not only the author's own audit log.
    Forward {
        /// The partner's name in partners.toml.
        partner: String,
        /// Whether the answers identifying the reporter were left out.
        anonymised: bool,
        /// The files in the bundle.
        included: Vec<String>,
        /// Why it went without consent (someone in danger now), if so.
        #[serde(default)]
        reason: Option<String>,
    },
    /// The author deleted the report on the server.
    Delete {
        /// Why.
        reason: String,
    },
}

impl Action {
    /// The kind's name, for the log.
    pub fn kind(&self) -> &'static str {
        match self {
            Action::Note { .. } => "note",
            Action::Tag { remove: false, .. } => "tag",
            Action::Tag { remove: true, .. } => "untag",
            Action::Assign { .. } => "assign",
            Action::Remind { .. } => "remind",
            Action::Seen { .. } => "seen",
            Action::Reply { .. } => "reply",
            Action::Status { .. } => "status",
            Action::Forward { .. } => "forward",
            Action::Delete { .. } => "delete",
        }
    }
}

/// The signed content of an event.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    /// Format version.
    pub v: u8,
    /// The report it belongs to (checked against where it was found: the
    /// server cannot move an event to another report).
    pub report: ReportId,
    /// The staff name (as in the roster).
    pub author: String,
    /// The day (UTC) it was made.
    pub day: String,
    /// The author's sequence number on this report (1, 2, ...): a missing
    /// number is an event the server dropped.
    pub seq: u64,
    /// Names of the events the author had seen on this report (the heads).
    pub seen: Vec<String>,
    /// What was done.
    #[serde(flatten)]
    pub action: Action,
}

/// The plaintext inside an event's age file.
#[derive(serde::Serialize, serde::Deserialize)]
struct Envelope {
    payload: String,
    sig: String,
}

/// An event as read back: its name, content and what its signature says.
#[derive(Clone, Debug)]
pub struct Opened {
    /// Hex SHA-256 of the payload.
    pub hash: String,
    /// The content.
    pub event: Event,
    /// Whether the roster vouches for it.
    pub verdict: Verdict,
}

/// The name of a payload.
fn name(payload: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(HASH_CONTEXT);
    h.update(payload);
    hex::encode(h.finalize())
}

/// Signs `event` and returns the padded plaintext for the age file and the
/// event's name.
pub fn sign(
    event: &Event,
    signer: &SigningIdentity,
) -> Result<(zeroize::Zeroizing<Vec<u8>>, String), DeskError> {
    let payload =
        serde_json::to_string(event).map_err(|e| DeskError::Mirror(format!("event: {e}")))?;
    let sig = signer.sign(payload.as_bytes());
    let hash = name(payload.as_bytes());
    let envelope = Envelope {
        payload,
        sig: hex::encode(sig.to_bytes()),
    };
    let json =
        serde_json::to_vec(&envelope).map_err(|e| DeskError::Mirror(format!("event: {e}")))?;
    Ok((crate::envelope::pad(json), hash))
}

/// Parses and checks decrypted event plaintext found under `report`. `Err`
/// says why it is not an event at all.
pub fn open(plain: &[u8], report: ReportId, roster: &Roster) -> Result<Opened, String> {
    let text = std::str::from_utf8(plain).map_err(|_| "not UTF-8".to_string())?;
    let envelope: Envelope =
        serde_json::from_str(text.trim_end()).map_err(|e| format!("not an event ({e})"))?;
    let event: Event =
        serde_json::from_str(&envelope.payload).map_err(|e| format!("not an event ({e})"))?;
    let mut sig = [0u8; 64];
    let verdict = match hex::decode_to_slice(&envelope.sig, &mut sig) {
        Ok(()) => roster.verifies(
            &event.author,
            envelope.payload.as_bytes(),
            &ed25519_dalek::Signature::from_bytes(&sig),
        ),
        Err(_) => Verdict::BadSignature,
    };
    if event.report != report {
        return Err("it belongs to another report".into());
    }
    Ok(Opened {
        hash: name(envelope.payload.as_bytes()),
        event,
        verdict,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(report: ReportId) -> Event {
        Event {
            v: VERSION,
            report,
            author: "alice".into(),
            day: "2026-11-29".into(),
            seq: 1,
            seen: vec![],
            action: Action::Tag {
                tags: vec!["loverboy".into()],
                remove: false,
            },
        }
    }

    #[test]
    fn a_signed_event_opens_verified_and_a_tampered_one_does_not() {
        let alice = SigningIdentity::generate("alice").unwrap();
        let roster = Roster::parse(&alice.roster_line()).unwrap();
        let report = ReportId::generate();
        let (plain, hash) = sign(&event(report), &alice).unwrap();
        let opened = open(&plain, report, &roster).unwrap();
        assert_eq!(opened.verdict, Verdict::Good);
        assert_eq!(opened.hash, hash);
        assert_eq!(opened.event, event(report));

        let tampered = String::from_utf8(plain.to_vec())
            .unwrap()
            .replace("loverboy", "nothing!");
        let opened = open(tampered.as_bytes(), report, &roster).unwrap();
        assert_eq!(opened.verdict, Verdict::BadSignature);
        assert!(open(&plain, ReportId::generate(), &roster).is_err());
    }
}
