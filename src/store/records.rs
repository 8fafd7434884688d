//! The records kept in the database, serialised as JSON.

use crate::ids::{AttachmentId, MessageId};
use crate::message::Author;
use crate::status::Status;

use super::NewMessage;

/// A report's metadata: nothing in it says what was reported.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ReportRecord {
    /// The reporter's age recipient (`age1...`), derived from the receipt code.
    pub reporter_recipient: String,
    /// Current status.
    pub status: Status,
    /// Day of arrival.
    pub received: String,
    /// Day of the last change (retention counts from here).
    pub updated: String,
    /// Hex of the lookup hash, so the code entry can be removed with the report.
    pub lookup: String,
    /// Sequence number for the next message.
    pub next_seq: u32,
    /// Follow-ups the reporter sent (bounded).
    pub follow_ups: u32,
    /// One statement per code change, each signed with the previous code's
    /// key, vouching for the next recipient (see [`crate::reporter_signing`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipient_chain: Vec<crate::reporter_signing::CodeChange>,
}

/// A stored attachment: its id and the sealed length of its age file (the file
/// on disk is longer: padded to hide the size).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AttachmentRef {
    /// The attachment.
    pub id: AttachmentId,
    /// The age file's length, sealed by [`crate::sizes::LengthSeal`].
    pub sealed_len: String,
}

/// A message's metadata; the ciphertext lives in its own tree.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct MessageRecord {
    /// The message.
    pub id: MessageId,
    /// Who wrote it.
    pub author: Author,
    /// Day it arrived.
    pub received: String,
    /// Its attachments.
    #[serde(default)]
    pub attachments: Vec<AttachmentRef>,
}

/// A staff token's owner.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct StaffRecord {
    /// Who holds the token.
    pub name: String,
    /// Day it was made.
    pub created: String,
}

macro_rules! json_record {
    ($t:ty) => {
        impl $t {
            pub(super) fn to_bytes(&self) -> Vec<u8> {
                // Serialising these plain structs cannot fail.
                serde_json::to_vec(self).unwrap_or_default()
            }
            pub(super) fn from_bytes(raw: &[u8]) -> Option<Self> {
                serde_json::from_slice(raw).ok()
            }
        }
    };
}

json_record!(ReportRecord);
json_record!(MessageRecord);
json_record!(StaffRecord);

impl MessageRecord {
    pub(super) fn new(msg: &NewMessage, received: String) -> Self {
        Self {
            id: msg.id,
            author: msg.author,
            received,
            attachments: msg.attachments.clone(),
        }
    }
}
