//! The plaintext documents inside the envelopes: what a reporter's message holds.
//!
//! The server builds these from the form and encrypts them at once; the desk
//! decrypts and reads them. Staff replies are plain UTF-8 text, not JSON.

use std::collections::BTreeMap;

use crate::ids::AttachmentId;

/// The `variant` of a message sent with the children's form.
pub const KIDS_VARIANT: &str = "kids";

/// Current document version; readers accept this and older.
pub const VERSION: u32 = 1;

/// Who wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    /// The person who reported.
    Reporter,
    /// The reporting point.
    Staff,
}

/// Whether a reporter message opened the report or followed up on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The first message: the report itself.
    Report,
    /// A later message sent from `/check`.
    FollowUp,
}

/// A file sent with a message; its name and type exist only in here, encrypted.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AttachmentInfo {
    /// Where the encrypted bytes are (staff API `attachments/{id}`).
    pub id: AttachmentId,
    /// The file name the reporter's browser gave.
    pub name: String,
    /// The media type the browser claimed (not checked; never trust it).
    pub content_type: String,
    /// Plaintext size in bytes.
    pub size: u64,
}

/// How a report reached the reporting point when staff took it down (a phone
/// call): only inside the encrypted document, so the server cannot tell.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Intake {
    /// The channel: [`PHONE_CHANNEL`].
    pub channel: String,
    /// The staff member who took it down.
    pub by: String,
}

/// The channel of a report taken by phone.
pub const PHONE_CHANNEL: &str = "phone";
/// The form field (never on a reporter's form) that carries the channel.
pub const INTAKE_CHANNEL_FIELD: &str = "intake-channel";
/// The form field that carries the staff member's name.
pub const INTAKE_BY_FIELD: &str = "intake-by";
/// Most characters of a staff member's name kept.
const MAX_BY_CHARS: usize = 80;

impl Intake {
    /// From the intake form fields: only the phone channel is known; the name
    /// is trimmed, cut short and stripped of control characters.
    pub fn from_fields(channel: Option<&str>, by: Option<&str>) -> Option<Self> {
        if channel?.trim() != PHONE_CHANNEL {
            return None;
        }
        let by: String = by
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_BY_CHARS)
            .collect();
        Some(Self {
            channel: PHONE_CHANNEL.into(),
            by: by.trim().to_string(),
        })
    }
}

/// What a reporter sent, as encrypted to the centre.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReporterMessage {
    /// Document version ([`VERSION`]).
    pub version: u32,
    /// Report or follow-up.
    pub kind: Kind,
    /// The language the reporter used the site in.
    pub lang: String,
    /// The free text.
    pub message: String,
    /// Questionnaire answers: question id to the chosen option ids or free text.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<String, Vec<String>>,
    /// Files sent with this message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentInfo>,
    /// Which form was used when not the standard one: `kids` for the children's
    /// form, so staff know to answer in the simplest words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// The first document only: the reporter's recipient (`age1...`) when the
    /// report was made, sealed here so the desk need not take it from the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter_recipient: Option<String>,
    /// The first document only: the Ed25519 verifying key derived from the
    /// receipt code (hex), the anchor for follow-up signatures and code changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verifying_key: Option<String>,
    /// Follow-ups: the signature with the code-derived key (hex), see
    /// [`crate::reporter_signing`]. Missing on documents made before signatures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// The first document only, when staff took the report down (by phone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intake: Option<Intake>,
}

impl ReporterMessage {
    /// Sent with the children's form: staff answer in the simplest words.
    pub fn from_kids_form(&self) -> bool {
        self.variant.as_deref() == Some(KIDS_VARIANT)
    }

    /// Taken down by staff on the phone.
    pub fn by_phone(&self) -> bool {
        self.intake
            .as_ref()
            .is_some_and(|i| i.channel == PHONE_CHANNEL)
    }

    /// Serialises and pads for encryption.
    pub fn to_padded_json(&self) -> Result<zeroize::Zeroizing<Vec<u8>>, serde_json::Error> {
        Ok(crate::envelope::pad(serde_json::to_vec(self)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_padded_message_reads_back_with_every_field() {
        let mut answers = BTreeMap::new();
        answers.insert("form".to_string(), vec!["labour".to_string()]);
        let m = ReporterMessage {
            version: VERSION,
            kind: Kind::Report,
            lang: "nl".into(),
            message: "Ze werken \"dag en nacht\" \u{1F622}".into(),
            answers,
            attachments: vec![AttachmentInfo {
                id: AttachmentId::generate(),
                name: "chat.png".into(),
                content_type: "image/png".into(),
                size: 12,
            }],
            variant: Some(KIDS_VARIANT.into()),
            reporter_recipient: Some("age1example".into()),
            verifying_key: Some("00".repeat(32)),
            signature: None,
            intake: Some(Intake {
                channel: PHONE_CHANNEL.into(),
                by: "Anna".into(),
            }),
        };
        let padded = m.to_padded_json().unwrap();
        let back: ReporterMessage = serde_json::from_slice(&padded).unwrap();
        assert_eq!(back, m);
    }

    #[test]
    fn only_the_phone_channel_is_taken_and_the_name_is_cleaned() {
        assert_eq!(Intake::from_fields(None, Some("Anna")), None);
        assert_eq!(Intake::from_fields(Some("fax"), Some("Anna")), None);
        let i = Intake::from_fields(Some("phone"), Some(" An\u{1b}na ")).unwrap();
        assert_eq!(i.by, "Anna");
        let long = "x".repeat(500);
        let i = Intake::from_fields(Some("phone"), Some(&long)).unwrap();
        assert_eq!(i.by.len(), 80);
    }

    proptest::proptest! {
        #[test]
        fn any_text_and_answers_survive_padding_and_parsing(
            message in "\\PC{0,400}",
            lang in "[a-z]{2}",
            answers in proptest::collection::btree_map("[a-z-]{1,12}", proptest::collection::vec("\\PC{0,30}", 0..4), 0..6),
        ) {
            let m = ReporterMessage { version: VERSION, kind: Kind::FollowUp, lang, message, answers, attachments: vec![], variant: None, reporter_recipient: None, verifying_key: None, signature: Some("ab".repeat(64)), intake: None };
            let padded = m.to_padded_json().unwrap();
            proptest::prop_assert!(padded.len() >= crate::envelope::MIN_PADDED);
            let back: ReporterMessage = serde_json::from_slice(&padded).unwrap();
            proptest::prop_assert_eq!(back, m);
        }

        #[test]
        fn arbitrary_bytes_never_panic_the_document_parser(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
            let _ = serde_json::from_slice::<ReporterMessage>(&data);
        }
    }
}
