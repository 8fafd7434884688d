//! What a report holds, decrypted and gathered for passing on (a forward
//! bundle, a print view): answers, text, conversation, attachments; with the
//! anonymised variant decided in one place.

use zeroize::Zeroizing;

use super::client::ApiReport;
use super::identity::DeskIdentity;
use super::mirror::Mirror;
use super::view::{self, Opened};
use super::DeskError;
use crate::message::Author;
use crate::questionnaire::{Answers, Questionnaire};

/// One message of the conversation after the report.
pub struct Exchange {
    /// Day received, checked as `YYYY-MM-DD` (else `unknown-day`): the
    /// server's text never names a file in a bundle.
    pub day: String,
    /// `reporter` or `staff`.
    pub author: &'static str,
    /// The text.
    pub text: String,
}

/// One attachment, decrypted (metadata stripped where the desk can).
pub struct File {
    /// The name to give it: the reporter's, or a neutral one when anonymised.
    pub name: String,
    /// The bytes.
    pub data: Zeroizing<Vec<u8>>,
    /// What stripping did.
    pub stripped: super::metadata::Outcome,
}

/// A report's content, ready to pass on.
pub struct CaseContent {
    /// The report id.
    pub report: String,
    /// Day received.
    pub received: String,
    /// The language the reporter used.
    pub lang: String,
    /// The answers (without identifying ones when anonymised).
    pub answers: Answers,
    /// The report's free text.
    pub message: String,
    /// Follow-ups and replies, oldest first (empty unless asked for).
    pub conversation: Vec<Exchange>,
    /// Attachments (empty unless asked for).
    pub files: Vec<File>,
    /// Whether identifying answers were left out.
    pub anonymised: bool,
}

/// Which parts to gather.
#[derive(Clone, Copy, Debug, Default)]
pub struct Include {
    /// Leave out the answers the questionnaire marks as identifying, and the
    /// attachments' own file names.
    pub anonymised: bool,
    /// Follow-ups and staff replies.
    pub conversation: bool,
    /// The attachments of the report's first document.
    pub attachments: bool,
}

/// Decrypts and gathers `report` from the mirror.
pub fn gather(
    mirror: &Mirror,
    identity: &DeskIdentity,
    report: &ApiReport,
    questionnaire: &Questionnaire,
    include: Include,
) -> Result<CaseContent, DeskError> {
    let first = super::trust::first_document(mirror, identity, report)?;
    let first_id = super::trust::first_id(mirror, report)?;
    let answers = if include.anonymised {
        questionnaire.without_identifying(&first.answers)
    } else {
        first.answers.clone()
    };
    let mut conversation = Vec::new();
    if include.conversation {
        for m in mirror.messages(report.id)? {
            if Some(m.id) == first_id {
                continue;
            }
            let text = match view::open_message(mirror, identity, report, &m)? {
                Opened::Reporter(doc) => doc.message,
                Opened::Staff(t) => t,
            };
            conversation.push(Exchange {
                // The server's text: only a real day may name a file in a bundle.
                day: crate::day::parse_day(&m.received)
                    .map_or_else(|| "unknown-day".into(), crate::day::format_day),
                author: match m.author {
                    Author::Reporter => "reporter",
                    Author::Staff => "staff",
                },
                text,
            });
        }
    }
    let mut files = Vec::new();
    if include.attachments {
        for (n, a) in first.attachments.iter().enumerate() {
            let path = mirror.attachment_path(report.id, a.id);
            let plain = identity.open_file(&format!("attachment {}", a.id), &path)?;
            let (clean, stripped) = super::metadata::strip(plain.to_vec());
            let name = if include.anonymised {
                format!("attachment-{}{}", n + 1, extension(&a.name))
            } else {
                safe_name(&a.name, n + 1)
            };
            files.push(File {
                name,
                data: Zeroizing::new(clean),
                stripped,
            });
        }
    }
    Ok(CaseContent {
        report: report.id.to_string(),
        received: report.received.clone(),
        lang: first.lang.clone(),
        answers,
        message: first.message.clone(),
        conversation,
        files,
        anonymised: include.anonymised,
    })
}

/// A file name's extension (with the dot), if short and plain.
fn extension(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((_, ext))
            if (1..=5).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            format!(".{}", ext.to_ascii_lowercase())
        }
        _ => String::new(),
    }
}

/// The reporter's file name made safe as one path component inside a bundle,
/// numbered so two files never collide.
fn safe_name(name: &str, n: usize) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if c == ':' { '_' } else { c })
        .take(80)
        .collect();
    let clean = clean.trim_start_matches('.');
    if clean.is_empty() {
        format!("{n:02}-attachment")
    } else {
        format!("{n:02}-{clean}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hostile_file_name_stays_one_path_component() {
        assert_eq!(safe_name("../../etc/passwd", 1), "01-passwd");
        assert_eq!(safe_name("..", 2), "02-attachment");
        assert_eq!(safe_name("a\u{1b}[2Jb.jpg", 3), "03-a[2Jb.jpg");
        assert_eq!(extension("Foto Anna.JPG"), ".jpg");
        assert_eq!(extension("noext"), "");
    }
}
