//! The reporter's Ed25519 key: what the server signs for the reporter while they
//! check in, and what the desk verifies.
//!
//! The key is derived from the receipt code like the X25519 key (see
//! [`crate::receipt`]), so the server holds it only while a reporter who typed
//! the code is checking in. The first report document carries its verifying key
//! and the reporter's recipient inside the ciphertext (the anchor); every later
//! follow-up is signed, and every code change leaves a statement signed with the
//! old key that vouches for the new recipient and verifying key. The desk trusts
//! a follow-up or a reply key only if it traces back to the anchor.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::ids::{MessageId, ReportId};
use crate::message::ReporterMessage;

/// Header of a staff reply naming the reporter recipient it was encrypted to.
/// When present and no longer the report's, the server refuses the reply with
/// 409; optional, so the plain raw-age-body form of INTERFACE.md keeps working.
pub const REPLY_RECIPIENT_HEADER: &str = "Tipline-Reporter-Recipient";

/// Domain label of a follow-up signature.
const FOLLOW_UP_LABEL: &[u8] = b"tipline/v1/follow-up-signature";
/// Domain label of a code-change statement.
const CODE_CHANGE_LABEL: &[u8] = b"tipline/v1/code-change-statement";

/// A statement made during a code change: the old code's key vouches for the
/// new reporter recipient and the new verifying key.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CodeChange {
    /// The new reporter recipient (`age1...`, or `age1pq1...` for a hybrid centre).
    pub recipient: String,
    /// The new Ed25519 verifying key, hex.
    pub verifying_key: String,
    /// Signature by the previous key, hex.
    pub signature: String,
}

/// A verifying key as it travels in documents: 64 hex digits.
pub fn encode_key(key: &VerifyingKey) -> String {
    hex::encode(key.as_bytes())
}

/// Parses [`encode_key`]'s form; `None` for anything else.
pub fn parse_key(text: &str) -> Option<VerifyingKey> {
    let mut raw = [0u8; 32];
    hex::decode_to_slice(text.trim(), &mut raw).ok()?;
    VerifyingKey::from_bytes(&raw).ok()
}

fn parse_signature(text: &str) -> Option<Signature> {
    let mut raw = [0u8; 64];
    hex::decode_to_slice(text.trim(), &mut raw).ok()?;
    Some(Signature::from_bytes(&raw))
}

/// What a code change signs: the report (so a statement cannot be moved to
/// another report), the new key, then the new recipient (last: the only
/// variable-length part).
fn code_change_bytes(report: ReportId, recipient: &str, key: &VerifyingKey) -> Vec<u8> {
    let mut out = Vec::with_capacity(CODE_CHANGE_LABEL.len() + 16 + 32 + recipient.len());
    out.extend_from_slice(CODE_CHANGE_LABEL);
    out.extend_from_slice(&report.0);
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(recipient.as_bytes());
    out
}

/// Signs a code change with the old code's key.
pub fn sign_code_change(
    old: &SigningKey,
    report: ReportId,
    new_recipient: &str,
    new_key: &VerifyingKey,
) -> CodeChange {
    let signature = old.sign(&code_change_bytes(report, new_recipient, new_key));
    CodeChange {
        recipient: new_recipient.to_string(),
        verifying_key: encode_key(new_key),
        signature: hex::encode(signature.to_bytes()),
    }
}

/// The new verifying key if `current` signed this statement for `report`.
pub fn verify_code_change(
    current: &VerifyingKey,
    report: ReportId,
    statement: &CodeChange,
) -> Option<VerifyingKey> {
    let new_key = parse_key(&statement.verifying_key)?;
    let signature = parse_signature(&statement.signature)?;
    current
        .verify_strict(
            &code_change_bytes(report, &statement.recipient, &new_key),
            &signature,
        )
        .ok()?;
    Some(new_key)
}

/// What a follow-up signs: the report and the message id (so the server cannot
/// move it to another report or show it twice) and a hash of the whole document
/// without its signature.
fn follow_up_bytes(
    report: ReportId,
    message: MessageId,
    doc: &ReporterMessage,
) -> Result<Vec<u8>, serde_json::Error> {
    let mut unsigned = doc.clone();
    unsigned.signature = None;
    let hash = Sha256::digest(serde_json::to_vec(&unsigned)?);
    let mut out = Vec::with_capacity(FOLLOW_UP_LABEL.len() + 16 + 16 + 32);
    out.extend_from_slice(FOLLOW_UP_LABEL);
    out.extend_from_slice(&report.0);
    out.extend_from_slice(&message.0);
    out.extend_from_slice(&hash);
    Ok(out)
}

/// Signs a follow-up document in place (its `signature` field).
pub fn sign_follow_up(
    key: &SigningKey,
    report: ReportId,
    message: MessageId,
    doc: &mut ReporterMessage,
) -> Result<(), serde_json::Error> {
    let signature = key.sign(&follow_up_bytes(report, message, doc)?);
    doc.signature = Some(hex::encode(signature.to_bytes()));
    Ok(())
}

/// Whether one of `keys` signed this follow-up as message `message` of `report`.
pub fn verify_follow_up(
    keys: &[VerifyingKey],
    report: ReportId,
    message: MessageId,
    doc: &ReporterMessage,
) -> bool {
    let Some(signature) = doc.signature.as_deref().and_then(parse_signature) else {
        return false;
    };
    let Ok(bytes) = follow_up_bytes(report, message, doc) else {
        return false;
    };
    keys.iter()
        .any(|k| k.verify_strict(&bytes, &signature).is_ok())
}

/// Where a report's reporter keys stand after following its code changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trace {
    /// The first document carries no keys: the report predates signatures.
    Predates,
    /// Traced from the first document through every valid statement.
    Traced {
        /// Every verifying key the reporter has had, oldest first.
        keys: Vec<VerifyingKey>,
        /// The recipient the last valid statement (or the first document) names.
        recipient: String,
        /// Statements that did not verify (the chain stops at the first one).
        broken: usize,
    },
}

/// Follows `chain` from the keys sealed in the first document.
pub fn trace(first: &ReporterMessage, report: ReportId, chain: &[CodeChange]) -> Trace {
    let (Some(recipient), Some(key)) = (
        first.reporter_recipient.as_deref(),
        first.verifying_key.as_deref().and_then(parse_key),
    ) else {
        return Trace::Predates;
    };
    let mut keys = vec![key];
    let mut recipient = recipient.to_string();
    let mut broken = 0;
    for (n, statement) in chain.iter().enumerate() {
        let current = keys[keys.len() - 1];
        match verify_code_change(&current, report, statement) {
            Some(next) => {
                keys.push(next);
                recipient = statement.recipient.clone();
            }
            None => {
                broken = chain.len() - n;
                break;
            }
        }
    }
    Trace::Traced {
        keys,
        recipient,
        broken,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{Kind, VERSION};

    fn key(n: u8) -> SigningKey {
        SigningKey::from_bytes(&[n; 32])
    }

    fn doc(kind: Kind, text: &str) -> ReporterMessage {
        ReporterMessage {
            version: VERSION,
            kind,
            lang: "nl".into(),
            message: text.into(),
            answers: Default::default(),
            attachments: vec![],
            variant: None,
            reporter_recipient: None,
            verifying_key: None,
            signature: None,
            intake: None,
        }
    }

    #[test]
    fn a_signed_follow_up_verifies_only_for_its_report_message_and_text() {
        let (report, mid) = (ReportId::generate(), MessageId::generate());
        let mut d = doc(Kind::FollowUp, "hij is terug");
        sign_follow_up(&key(1), report, mid, &mut d).unwrap();
        let keys = [key(1).verifying_key()];
        assert!(verify_follow_up(&keys, report, mid, &d));
        assert!(!verify_follow_up(&keys, ReportId::generate(), mid, &d));
        assert!(!verify_follow_up(&keys, report, MessageId::generate(), &d));
        assert!(!verify_follow_up(
            &[key(2).verifying_key()],
            report,
            mid,
            &d
        ));
        let mut changed = d.clone();
        changed.message = "alles is goed".into();
        assert!(!verify_follow_up(&keys, report, mid, &changed));
        let mut unsigned = d;
        unsigned.signature = None;
        assert!(!verify_follow_up(&keys, report, mid, &unsigned));
    }

    #[test]
    fn a_chain_of_code_changes_traces_to_the_last_vouched_recipient() {
        let report = ReportId::generate();
        let mut first = doc(Kind::Report, "x");
        first.reporter_recipient = Some("age1first".into());
        first.verifying_key = Some(encode_key(&key(1).verifying_key()));
        let one = sign_code_change(&key(1), report, "age1second", &key(2).verifying_key());
        let two = sign_code_change(&key(2), report, "age1third", &key(3).verifying_key());
        match trace(&first, report, &[one.clone(), two]) {
            Trace::Traced {
                keys,
                recipient,
                broken,
            } => {
                assert_eq!(recipient, "age1third");
                assert_eq!(keys.len(), 3);
                assert_eq!(broken, 0);
            }
            other => panic!("{other:?}"),
        }
        // A statement signed by a key the chain does not hold stops the chain.
        let forged = sign_code_change(&key(9), report, "age1evil", &key(9).verifying_key());
        match trace(&first, report, &[one, forged]) {
            Trace::Traced {
                recipient, broken, ..
            } => {
                assert_eq!(recipient, "age1second");
                assert_eq!(broken, 1);
            }
            other => panic!("{other:?}"),
        }
        // A statement for another report does not count here.
        let elsewhere = sign_code_change(
            &key(1),
            ReportId::generate(),
            "age1x",
            &key(2).verifying_key(),
        );
        assert!(matches!(
            trace(&first, report, &[elsewhere]),
            Trace::Traced { broken: 1, .. }
        ));
        assert_eq!(
            trace(&doc(Kind::Report, "old"), report, &[]),
            Trace::Predates
        );
    }
}
