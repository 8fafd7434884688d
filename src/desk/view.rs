//! Reading the mirror with the identity: decrypted documents, in memory only.

use std::io::Write;

use super::client::{ApiMessage, ApiReport};
use super::identity::DeskIdentity;
use super::mirror::Mirror;
use super::outbox::{self, Queued};
use super::DeskError;
use crate::content::Content;
use crate::message::{Author, ReporterMessage};

/// One decrypted message.
pub enum Opened {
    /// A reporter's document.
    Reporter(Box<ReporterMessage>),
    /// A staff reply's text.
    Staff(String),
}

/// Decrypts one message of `report` from the mirror.
pub fn open_message(
    mirror: &Mirror,
    identity: &DeskIdentity,
    report: &ApiReport,
    message: &ApiMessage,
) -> Result<Opened, DeskError> {
    let what = format!(
        "message {} of report {}",
        short(&message.id.to_string()),
        short(&report.id.to_string())
    );
    let path = mirror.message_path(report.id, message.id);
    if !path.is_file() {
        return Err(DeskError::Mirror(format!(
            "{what} is not in the mirror; pull again"
        )));
    }
    let plain = identity.open_file(&what, &path)?;
    match message.author {
        Author::Reporter => {
            let doc: ReporterMessage = serde_json::from_slice(&plain)
                .map_err(|e| DeskError::Mirror(format!("{what}: not a reporter document ({e})")))?;
            Ok(Opened::Reporter(Box::new(doc)))
        }
        Author::Staff => Ok(Opened::Staff(
            String::from_utf8_lossy(&plain).trim_end().to_string(),
        )),
    }
}

/// The first 8 characters of an id: enough to tell reports apart at the desk.
pub fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

fn human(bytes: u64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
        b if b >= 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{b} bytes"),
    }
}

/// `desk list`: one line per report; `flags` marks what staff must see first:
/// `DANGER` (the reporter said someone is in danger now) and `kids` (sent with
/// the children's form).
pub fn list(
    mirror: &Mirror,
    identity: &DeskIdentity,
    questionnaire: &crate::questionnaire::Questionnaire,
    out: &mut dyn Write,
) -> Result<(), DeskError> {
    let reports = mirror.reports()?;
    let queued = outbox::entries(mirror)?;
    if reports.is_empty() {
        writeln!(out, "The mirror holds no reports. Run `tipline desk pull`.").map_err(w)?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<8}  {:<10}  {:<26}  {:>4}  {:<11}  first words",
        "report", "received", "status", "msgs", "flags"
    )
    .map_err(w)?;
    for r in reports {
        let messages = mirror.messages(r.id)?;
        let mut flags = Vec::new();
        let first = match messages.first() {
            Some(m) => match open_message(mirror, identity, &r, m)? {
                Opened::Reporter(doc) => {
                    if questionnaire.is_urgent(&doc.answers) {
                        flags.push("DANGER");
                    }
                    if doc.from_kids_form() {
                        flags.push("kids");
                    }
                    doc.message.replace(['\n', '\r'], " ")
                }
                Opened::Staff(t) => t,
            },
            None => "(not pulled yet)".into(),
        };
        let first: String = first.chars().take(50).collect();
        let pending = queued.iter().filter(|e| e.item.report() == r.id).count();
        let status = if pending > 0 {
            format!("{} (+{pending} queued)", r.status)
        } else {
            r.status.to_string()
        };
        writeln!(
            out,
            "{:<8}  {:<10}  {:<26}  {:>4}  {:<11}  {first}",
            short(&r.id.to_string()),
            r.received,
            status,
            messages.len(),
            flags.join(",")
        )
        .map_err(w)?;
    }
    Ok(())
}

/// The questionnaire's texts, so staff read "Who are you?: It is about me"
/// rather than ids. Answers the questionnaire does not know (it changed since)
/// are shown by id.
pub struct Labels<'a> {
    content: &'a Content,
    lang: String,
}

impl<'a> Labels<'a> {
    /// Labels in `lang` (falling back to English).
    pub fn new(content: &'a Content, lang: &str) -> Self {
        Self {
            content,
            lang: content.pick_lang(Some(lang)).to_string(),
        }
    }

    fn text(&self, key: &str) -> Option<String> {
        self.content.text_opt(&self.lang, key, None)
    }

    /// One answer as a line: the question, then the chosen options or the text.
    fn answer(&self, question: &str, values: &[String]) -> String {
        let q = self.content.questionnaire.question(question);
        let title = q
            .and_then(|_| self.text(&format!("q-{question}")))
            .unwrap_or_else(|| question.to_string());
        let shown: Vec<String> = match q {
            Some(q) if !q.options.is_empty() => values
                .iter()
                .map(|v| {
                    self.text(&format!("q-{question}-{v}"))
                        .map(|t| format!("{t} [{v}]"))
                        .unwrap_or_else(|| v.clone())
                })
                .collect(),
            _ => values.to_vec(),
        };
        format!("{title}: {}", shown.join("; "))
    }

    /// Every answer as a line, in the questionnaire's order; unknown ones last.
    pub fn lines(&self, answers: &crate::questionnaire::Answers) -> Vec<String> {
        let questionnaire = &self.content.questionnaire;
        let known = questionnaire
            .questions()
            .filter_map(|q| answers.get_key_value(&q.id));
        let unknown = answers
            .iter()
            .filter(|(id, _)| questionnaire.question(id).is_none());
        known
            .chain(unknown)
            .map(|(q, v)| self.answer(q, v))
            .collect()
    }

    /// Whether these answers say someone is in danger right now.
    pub fn urgent(&self, answers: &crate::questionnaire::Answers) -> bool {
        self.content.questionnaire.is_urgent(answers)
    }
}

/// `desk read`: the whole conversation of one report.
pub fn read(
    mirror: &Mirror,
    identity: &DeskIdentity,
    report: &ApiReport,
    labels: &Labels<'_>,
    out: &mut dyn Write,
) -> Result<(), DeskError> {
    writeln!(out, "Report {}", report.id).map_err(w)?;
    writeln!(
        out,
        "Received {}   Status: {}",
        report.received, report.status
    )
    .map_err(w)?;
    writeln!(out, "Reporter recipient: {}", report.reporter_recipient).map_err(w)?;
    // The keys sealed in the first document, followed through code changes.
    let traced = super::trust::trace_for_reading(mirror, identity, report);
    let first = super::trust::first_id(mirror, report)?;
    for m in mirror.messages(report.id)?.iter() {
        writeln!(out).map_err(w)?;
        let is_first = first == Some(m.id);
        match open_message(mirror, identity, report, m)? {
            Opened::Reporter(doc) => {
                let kind = match doc.kind {
                    crate::message::Kind::Report if is_first => "report".to_string(),
                    // Only the first document (pinned at the first pull) opens a report.
                    crate::message::Kind::Report => format!(
                        "a second \"report\" · {}",
                        super::trust::follow_up(&traced, report, m, &doc).label()
                    ),
                    crate::message::Kind::FollowUp => format!(
                        "follow-up · {}",
                        super::trust::follow_up(&traced, report, m, &doc).label()
                    ),
                };
                writeln!(
                    out,
                    "--- {} · reporter · {kind} · language {} ---",
                    m.received, doc.lang
                )
                .map_err(w)?;
                if !is_first
                    && super::trust::follow_up(&traced, report, m, &doc)
                        == super::trust::FollowUp::Unverified
                {
                    writeln!(
                        out,
                        "!!! Not signed with this reporter's code: the server (or whoever controls it) may have written this !!!"
                    )
                    .map_err(w)?;
                }
                if labels.urgent(&doc.answers) {
                    writeln!(
                        out,
                        "!!! The reporter said someone is in danger RIGHT NOW !!!"
                    )
                    .map_err(w)?;
                }
                if doc.from_kids_form() {
                    writeln!(
                        out,
                        "Sent with the children's form: answer in the simplest words."
                    )
                    .map_err(w)?;
                }
                for line in labels.lines(&doc.answers) {
                    writeln!(out, "{line}").map_err(w)?;
                }
                if !doc.answers.is_empty() {
                    writeln!(out).map_err(w)?;
                }
                writeln!(out, "{}", doc.message).map_err(w)?;
                if !doc.attachments.is_empty() {
                    writeln!(out, "\nAttachments (may carry metadata such as GPS location that identifies the reporter):").map_err(w)?;
                    for a in &doc.attachments {
                        writeln!(
                            out,
                            "  {}  {}  ({}, {})",
                            short(&a.id.to_string()),
                            a.name,
                            a.content_type,
                            human(a.size)
                        )
                        .map_err(w)?;
                    }
                    writeln!(
                        out,
                        "  save one with: tipline desk save-attachment {} ID --out FILE",
                        short(&report.id.to_string())
                    )
                    .map_err(w)?;
                }
            }
            Opened::Staff(text) => {
                writeln!(out, "--- {} · staff reply ---", m.received).map_err(w)?;
                writeln!(out, "{text}").map_err(w)?;
            }
        }
    }
    for e in outbox::entries(mirror)?
        .iter()
        .filter(|e| e.item.report() == report.id)
    {
        writeln!(out).map_err(w)?;
        match &e.item {
            Queued::Reply { written, .. } => {
                let plain = identity.open_file("queued reply", e.age_path())?;
                writeln!(
                    out,
                    "--- {written} · staff reply · QUEUED, not sent yet ---"
                )
                .map_err(w)?;
                writeln!(out, "{}", String::from_utf8_lossy(&plain).trim_end()).map_err(w)?;
            }
            Queued::Status { status, .. } => {
                writeln!(
                    out,
                    "--- status change to {status} · QUEUED, not sent yet ---"
                )
                .map_err(w)?;
            }
        }
    }
    Ok(())
}

fn w(e: std::io::Error) -> DeskError {
    DeskError::Io("output".into(), e)
}
