//! What the desk's pages show, read from the mirror with the identity: plain
//! data, decrypted in memory, no HTML (the views render it).

use std::cmp::Reverse;
use std::io::Read;

use super::image::{self, ImageKind};
use crate::desk::casefile::list::{ListFilter, Lister};
use crate::desk::client::{ApiMessage, ApiReport};
use crate::desk::identity::DeskIdentity;
use crate::desk::mirror::Mirror;
use crate::desk::outbox::{self, Queued};
use crate::desk::trust::{self, FollowUp};
use crate::desk::view::{self, Labels, Opened, Unopened};
use crate::desk::DeskError;
use crate::ids::{AttachmentId, ReportId};
use crate::message::{Author, Kind};
use crate::questionnaire::Questionnaire;
use crate::status::Status;

/// One row of the inbox.
pub struct InboxRow {
    /// The report.
    pub id: ReportId,
    /// Day of arrival.
    pub received: String,
    /// Status on the server.
    pub status: Status,
    /// Changes waiting in the outbox.
    pub queued: usize,
    /// Someone is in danger now.
    pub danger: bool,
    /// Sent with the children's form.
    pub kids: bool,
    /// The first words of the report; or `None` when it is not pulled yet,
    /// or why it cannot be read (as `desk read` says it).
    pub first_words: Result<String, Option<String>>,
    /// Attachments over all its messages.
    pub attachments: usize,
    /// Messages in the conversation.
    pub messages: usize,
    /// Who works it, from the case file (when the desk has a roster).
    pub assigned: Option<String>,
    /// Its tags, from the case file (when the desk has a roster).
    pub tags: Vec<String>,
    /// Something in it this staff member has not seen (when the desk has
    /// a signing key).
    pub unseen: bool,
}

/// Filters of the inbox, as `desk list` has them.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Filter {
    /// Only this status.
    #[serde(default)]
    pub status: Option<String>,
    /// Only DANGER and children's reports.
    #[serde(default)]
    pub urgent: Option<String>,
    /// Only reports with a reminder on or before today (`desk list --due`).
    #[serde(default)]
    pub due: Option<String>,
    /// Only reports with something this staff member has not seen
    /// (`desk list --unseen`).
    #[serde(default)]
    pub unseen: Option<String>,
    /// Only reports with this tag (`desk list --tag`).
    #[serde(default)]
    pub tag: Option<String>,
    /// Only reports assigned to this name, `me` or `none`
    /// (`desk list --assigned`).
    #[serde(default)]
    pub assigned: Option<String>,
}

impl Filter {
    /// The same filter as `desk list` takes it, so both faces of the desk
    /// keep the same rows (an empty choice in a form means no filter).
    pub fn as_list_filter(&self) -> ListFilter {
        fn chosen(v: &Option<String>) -> Option<String> {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        }
        ListFilter {
            tag: chosen(&self.tag),
            assigned: chosen(&self.assigned),
            unseen: self.unseen.is_some(),
            due: self.due.is_some(),
            status: chosen(&self.status),
        }
    }
}

fn first_words(text: &str) -> String {
    view::clip(&text.split_whitespace().collect::<Vec<_>>().join(" "), 60)
}

/// The inbox: DANGER first, then children's reports, then the rest; newest
/// first within each. The case-file columns and filters come from the
/// encrypted summary index `desk list` keeps (only reports whose events
/// changed are decrypted again), and the first messages are opened on every
/// core, so a mirror of thousands of reports still lists quickly. Also
/// every tag in the mirror's case files, for the tag filter.
pub fn inbox(
    mirror: &Mirror,
    identity: &DeskIdentity,
    questionnaire: &Questionnaire,
    filter: &Filter,
    lister: &Lister<'_>,
) -> Result<(Vec<InboxRow>, Vec<String>), DeskError> {
    let queued = outbox::entries(mirror)?;
    let reports = mirror.reports()?;
    let summaries = lister.summaries(mirror, identity, &reports)?;
    let tags: std::collections::BTreeSet<&String> =
        summaries.values().flat_map(|s| s.tags.iter()).collect();
    let tags: Vec<String> = tags.into_iter().cloned().collect();
    // The filters that need no decryption first.
    let kept = lister.kept(mirror, &summaries, &reports)?;
    let firsts = crate::desk::parallel::map(&kept, |k| {
        first_of(mirror, identity, questionnaire, k.report, k.first.as_ref())
    });
    let mut rows = Vec::new();
    for (k, first) in kept.into_iter().zip(firsts) {
        let (danger, kids, first_words) = first;
        if filter.urgent.is_some() && !danger && !kids {
            continue;
        }
        let r = k.report;
        let case = summaries.get(&r.id);
        rows.push(InboxRow {
            id: r.id,
            received: r.received.clone(),
            status: r.status,
            queued: queued
                .iter()
                .filter(|e| e.item.report() == r.id && !matches!(e.item, Queued::Event { .. }))
                .count(),
            danger,
            kids,
            first_words,
            attachments: k.messages.iter().map(|m| m.attachments.len()).sum(),
            messages: k.messages.len(),
            assigned: case.and_then(|c| c.assigned.clone()),
            tags: case
                .map(|c| c.tags.iter().cloned().collect())
                .unwrap_or_default(),
            unseen: k.columns.unseen,
        });
    }
    rows.sort_by(|a, b| {
        (!a.danger, !a.kids, Reverse(&a.received)).cmp(&(!b.danger, !b.kids, Reverse(&b.received)))
    });
    Ok((rows, tags))
}

/// A row's first words, or why there are none (see [`InboxRow::first_words`]).
type FirstWords = Result<String, Option<String>>;

/// A report's flags (danger, children's form) and first words, from its
/// first document (as pinned in the mirror).
fn first_of(
    mirror: &Mirror,
    identity: &DeskIdentity,
    questionnaire: &Questionnaire,
    r: &ApiReport,
    first: Option<&ApiMessage>,
) -> (bool, bool, FirstWords) {
    let Some(m) = first else {
        return (false, false, Err(None));
    };
    match view::open_message(mirror, identity, r, m) {
        Ok(Opened::Reporter(doc)) => (
            questionnaire.is_urgent(&doc.answers),
            doc.from_kids_form(),
            Ok(first_words(&doc.message)),
        ),
        Ok(Opened::Staff(t)) => (false, false, Ok(first_words(&t))),
        Err(e) => (
            false,
            false,
            Err(Some(
                Unopened::default().note(&e, &mirror.message_path(r.id, m.id)),
            )),
        ),
    }
}

/// One attachment as the report page offers it.
pub struct Attachment {
    /// Its id.
    pub id: AttachmentId,
    /// The name the reporter's browser gave, escaped as the CLI shows it: a
    /// bidi control could make `invoice<U+202E>gpj.exe` read as a picture.
    pub name: String,
    /// Its size in bytes, as the reporter's document says.
    pub size: u64,
    /// The image type its bytes show, if any and if its metadata could be
    /// stripped: only those are shown inline.
    pub image: Option<ImageKind>,
}

/// One item of the conversation.
pub enum Item {
    /// A reporter's document.
    Reporter {
        /// Day of arrival.
        received: String,
        /// The report itself (the first document) or a follow-up.
        first: bool,
        /// How far a follow-up traces to the reporter's code (None for the report).
        trust: Option<FollowUp>,
        /// A follow-up that claims to be a second report.
        second_report: bool,
        /// Someone is in danger now.
        danger: bool,
        /// The children's form.
        kids: bool,
        /// Language the reporter wrote in.
        lang: String,
        /// The answers in words.
        answers: Vec<(String, String)>,
        /// The free text.
        text: String,
        /// Its files.
        attachments: Vec<Attachment>,
    },
    /// A staff reply.
    Staff {
        /// Day it was stored.
        received: String,
        /// The reply.
        text: String,
    },
    /// A message that could not be opened, and why.
    Unopened {
        /// Day of arrival.
        received: String,
        /// Whose.
        author: Author,
        /// Why (as `desk read` says it).
        why: String,
    },
}

/// A change waiting in the outbox.
pub enum Pending {
    /// A reply (its text, or why it cannot be read back).
    Reply {
        /// Day written.
        written: String,
        /// Its text.
        text: Result<String, String>,
    },
    /// A status change.
    Status(Status),
}

/// Everything the report page shows.
pub struct ReportPage {
    /// The report's listing.
    pub report: ApiReport,
    /// The conversation, oldest first.
    pub items: Vec<Item>,
    /// What waits in the outbox for it.
    pub pending: Vec<Pending>,
}

/// The report of full id `id`: pages name reports by full id only; a
/// prefix is for the terminal.
pub fn exact(mirror: &Mirror, id: &str) -> Result<ApiReport, DeskError> {
    let report = mirror.find_report(id)?;
    if report.id.to_string() == id {
        Ok(report)
    } else {
        Err(DeskError::NotFound("no such report".into()))
    }
}

/// Reads one report for its page (one item per message, in order).
pub fn report(
    mirror: &Mirror,
    identity: &DeskIdentity,
    labels: &Labels<'_>,
    id: &str,
) -> Result<ReportPage, DeskError> {
    let report = exact(mirror, id)?;
    let traced = trust::trace_for_reading(mirror, identity, &report);
    let first = trust::first_id(mirror, &report)?;
    let mut items = Vec::new();
    for m in mirror.messages(report.id)? {
        let is_first = first == Some(m.id);
        items.push(match view::open_message(mirror, identity, &report, &m) {
            Err(e) => Item::Unopened {
                received: m.received.clone(),
                author: m.author,
                why: Unopened::default().note(&e, &mirror.message_path(report.id, m.id)),
            },
            Ok(Opened::Staff(text)) => Item::Staff {
                received: m.received.clone(),
                text,
            },
            Ok(Opened::Reporter(doc)) => Item::Reporter {
                received: m.received.clone(),
                first: is_first,
                trust: (!is_first).then(|| trust::follow_up(&traced, &report, &m, &doc)),
                second_report: !is_first && doc.kind == Kind::Report,
                danger: labels.urgent(&doc.answers),
                kids: doc.from_kids_form(),
                lang: doc.lang.clone(),
                answers: labels.pairs(&doc.answers),
                text: doc.message.clone(),
                attachments: attachments(mirror, identity, &report, &m, &doc.attachments),
            },
        });
    }
    let mut pending = Vec::new();
    for e in outbox::entries(mirror)?
        .iter()
        .filter(|e| e.item.report() == report.id)
    {
        pending.push(match &e.item {
            Queued::Reply { written, .. } => Pending::Reply {
                written: written.clone(),
                text: identity
                    .open_file("queued reply", e.age_path())
                    .map(|p| String::from_utf8_lossy(&p).trim_end().to_string())
                    .map_err(|err| Unopened::default().note(&err, e.age_path())),
            },
            Queued::Status { status, .. } => Pending::Status(*status),
            // Case events are internal and not shown in the browser desk.
            Queued::Event { .. } => continue,
        });
    }
    Ok(ReportPage {
        report,
        items,
        pending,
    })
}

/// The document's attachments that the message listing confirms, each with
/// the image type its decrypted bytes show.
fn attachments(
    mirror: &Mirror,
    identity: &DeskIdentity,
    report: &ApiReport,
    message: &ApiMessage,
    listed: &[crate::message::AttachmentInfo],
) -> Vec<Attachment> {
    listed
        .iter()
        .filter(|a| message.attachments.iter().any(|m| m.id == a.id))
        .map(|a| Attachment {
            id: a.id,
            name: crate::desk::terminal::line(&a.name).into_owned(),
            size: a.size,
            // Listed: the filter above checked this message's listing.
            image: open_attachment(mirror, identity, report.id, a.id)
                .ok()
                .and_then(|b| image::inline(&b))
                .map(|(kind, _)| kind),
        })
        .collect()
}

/// Whether `attachment` belongs to a message of `report` in the mirror.
fn listed(mirror: &Mirror, report: ReportId, attachment: AttachmentId) -> Result<bool, DeskError> {
    Ok(mirror
        .messages(report)?
        .iter()
        .any(|m| m.attachments.iter().any(|a| a.id == attachment)))
}

/// One attachment the mirror lists for `report`, decrypted into memory.
pub fn attachment_bytes(
    mirror: &Mirror,
    identity: &DeskIdentity,
    report: ReportId,
    attachment: AttachmentId,
) -> Result<zeroize::Zeroizing<Vec<u8>>, DeskError> {
    if !listed(mirror, report, attachment)? {
        return Err(DeskError::NotFound("no such attachment".into()));
    }
    open_attachment(mirror, identity, report, attachment)
}

/// One attachment known to be listed, decrypted into memory.
fn open_attachment(
    mirror: &Mirror,
    identity: &DeskIdentity,
    report: ReportId,
    attachment: AttachmentId,
) -> Result<zeroize::Zeroizing<Vec<u8>>, DeskError> {
    let path = mirror.attachment_path(report, attachment);
    let file =
        std::fs::File::open(&path).map_err(|e| DeskError::Io(path.display().to_string(), e))?;
    let mut reader = identity.open(
        &format!("attachment {}", view::short(&attachment.to_string())),
        std::io::BufReader::new(file),
    )?;
    let mut data = zeroize::Zeroizing::new(Vec::new());
    reader
        .read_to_end(&mut data)
        .map_err(|e| DeskError::Mirror(format!("attachment {attachment}: {e}")))?;
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_words_flatten_lines_and_stop_at_sixty_characters() {
        assert_eq!(first_words("a\nb\r\n  c"), "a b c");
        let long = "x".repeat(100);
        assert_eq!(first_words(&long).chars().count(), 61);
    }
}
