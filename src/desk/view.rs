//! Reading the mirror with the identity: decrypted documents, in memory only.

use std::io::Write;

use super::client::{ApiMessage, ApiReport};
use super::identity::DeskIdentity;
use super::mirror::Mirror;
use super::outbox::{self, Queued};
use super::terminal::{block, line};
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

/// How far text from outside (a report, a reply) is indented: deeper than the
/// desk's own lines, so it cannot pass for them.
const TEXT_INDENT: &str = "    ";

/// Messages that could not be opened, counted while everything else is shown:
/// one message encrypted to another identity (or damaged) must not hide an
/// urgent follow-up after it. [`Unopened::finish`] fails the command at the end.
#[derive(Debug, Default)]
pub struct Unopened {
    wrong_identity: usize,
    damaged: usize,
}

impl Unopened {
    /// Counts a failure to open one message and returns a one-line placeholder
    /// naming why (for another identity: the recipient types of its header).
    pub fn note(&mut self, error: &DeskError, file: &std::path::Path) -> String {
        match error {
            DeskError::WrongIdentity(_) => {
                self.wrong_identity += 1;
                let types = super::header::stanza_types(file);
                format!(
                    "CANNOT OPEN with this identity (encrypted to {})",
                    line(&super::header::describe(types.as_deref()))
                )
            }
            other => {
                self.damaged += 1;
                format!("UNREADABLE: {}", line(&other.to_string()))
            }
        }
    }

    /// How many messages could not be opened, for any reason.
    pub fn count(&self) -> usize {
        self.wrong_identity + self.damaged
    }

    /// Ok when every message opened; otherwise the error whose exit code says
    /// so (another identity first: 5), after the output is complete. `fate`
    /// says what became of them (`shown as placeholders above`).
    pub fn finish(self, fate: &str) -> Result<(), DeskError> {
        if self.wrong_identity > 0 {
            return Err(DeskError::WrongIdentity(format!(
                "{} message(s), {fate}",
                self.wrong_identity
            )));
        }
        if self.damaged > 0 {
            return Err(DeskError::Mirror(format!(
                "{} message(s) could not be read (damaged or missing), {fate}; pull again",
                self.damaged
            )));
        }
        Ok(())
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
/// the children's form), DANGER first. The case-file columns and filters come
/// from `lister`.
pub fn list(
    mirror: &Mirror,
    identity: &DeskIdentity,
    questionnaire: &crate::questionnaire::Questionnaire,
    lister: &super::casefile::list::Lister<'_>,
    out: &mut dyn Write,
) -> Result<(), DeskError> {
    let mut unopened = Unopened::default();
    let reports = mirror.reports()?;
    let queued = outbox::entries(mirror)?;
    if reports.is_empty() {
        writeln!(out, "The mirror holds no reports. Run `tipline desk pull`.").map_err(w)?;
    } else {
        writeln!(
            out,
            "{:<8}  {:<10}  {:<26}  {:>4}  {:<11}  {:<12}  {:<20}  {:<3}  first words",
            "report", "received", "status", "msgs", "flags", "assigned", "tags", "new"
        )
        .map_err(w)?;
    }
    // Every report's case-file summary (the index stays whole), then the
    // filters, so no first document is opened for a row that is left out.
    let summaries = lister.summaries(mirror, identity, &reports)?;
    let kept = lister.kept(mirror, &summaries, &reports)?;
    // The first words and flags on every core; each decrypted document is
    // dropped inside its worker, so no more than one per core is held.
    let firsts = super::parallel::map(&kept, |k| {
        let (r, m) = (k.report, k.first.as_ref()?);
        Some(match open_message(mirror, identity, r, m) {
            Ok(Opened::Reporter(doc)) => {
                let mut flags = Vec::new();
                if questionnaire.is_urgent(&doc.answers) {
                    flags.push("DANGER");
                }
                if doc.from_kids_form() {
                    flags.push("kids");
                }
                if doc.by_phone() {
                    flags.push("phone");
                }
                Ok((flags, first_words(&doc.message)))
            }
            Ok(Opened::Staff(t)) => Ok((Vec::new(), first_words(&t))),
            Err(e) => Err((e, mirror.message_path(r.id, m.id))),
        })
    });
    let mut rows = Vec::new();
    for (k, first) in kept.into_iter().zip(firsts) {
        let (r, messages, case) = (k.report, k.messages, k.columns);
        let (flags, first) = match first {
            Some(Ok(shown)) => shown,
            Some(Err((e, path))) => (Vec::new(), format!("({})", unopened.note(&e, &path))),
            None => (Vec::new(), "(not pulled yet)".into()),
        };
        let pending = queued
            .iter()
            .filter(|e| e.item.report() == r.id && !matches!(e.item, Queued::Event { .. }))
            .count();
        let status = if pending > 0 {
            format!("{} (+{pending} queued)", r.status)
        } else {
            r.status.to_string()
        };
        let row = format!(
            "{:<8}  {:<10}  {:<26}  {:>4}  {:<11}  {:<12}  {:<20}  {:<3}  {first}",
            short(&r.id.to_string()),
            line(&r.received),
            status,
            messages.len(),
            flags.join(","),
            case.assignee,
            case.tags,
            if case.unseen { "new" } else { "" },
        );
        rows.push((!flags.contains(&"DANGER"), row));
    }
    // Someone in danger now comes before everything else; otherwise oldest first.
    rows.sort_by_key(|(not_danger, _)| *not_danger);
    for (_, row) in rows {
        writeln!(out, "{row}").map_err(w)?;
    }
    let quarantined = super::quarantine::list(mirror)?.len();
    if quarantined > 0 {
        writeln!(
            out,
            "{quarantined} report(s) the server stopped listing are in quarantine: `tipline desk quarantine list`"
        )
        .map_err(w)?;
    }
    unopened.finish("shown as placeholders above")
}

/// The first `n` characters of `s`, with `…` when there were more: the
/// browser desk's first words, chart labels and legends.
pub fn clip(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().nth(n).is_some() {
        out.push('…');
    }
    out
}

/// The first 50 characters of a text on one line, made safe to print.
fn first_words(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .take(50)
        .collect();
    line(&flat).into_owned()
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

    /// One answer: the question, then the chosen options or the text.
    fn answer(&self, question: &str, values: &[String]) -> (String, String) {
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
        (title, shown.join("; "))
    }

    /// Every answer as (question, answer) in words, in the questionnaire's
    /// order; unknown ones last. The browser face shows them as a summary list.
    pub fn pairs(&self, answers: &crate::questionnaire::Answers) -> Vec<(String, String)> {
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

    /// Every answer as a line, in the questionnaire's order; unknown ones last.
    pub fn lines(&self, answers: &crate::questionnaire::Answers) -> Vec<String> {
        self.pairs(answers)
            .into_iter()
            .map(|(q, a)| format!("{q}: {a}"))
            .collect()
    }

    /// Whether these answers say someone is in danger right now.
    pub fn urgent(&self, answers: &crate::questionnaire::Answers) -> bool {
        self.content.questionnaire.is_urgent(answers)
    }
}

/// `desk read`: the whole conversation of one report, with `internal` (the
/// case file's events as (day, lines made safe to print), sorted by day)
/// interleaved: a day's events after that day's messages.
pub fn read(
    mirror: &Mirror,
    identity: &DeskIdentity,
    report: &ApiReport,
    labels: &Labels<'_>,
    internal: &[(String, String)],
    out: &mut dyn Write,
) -> Result<(), DeskError> {
    let mut internal = internal.iter().peekable();
    let mut unopened = Unopened::default();
    writeln!(out, "Report {}", report.id).map_err(w)?;
    writeln!(
        out,
        "Received {}   Status: {}",
        line(&report.received),
        report.status
    )
    .map_err(w)?;
    writeln!(
        out,
        "Reporter recipient: {}",
        line(&report.reporter_recipient)
    )
    .map_err(w)?;
    // The keys sealed in the first document, followed through code changes.
    let traced = super::trust::trace_for_reading(mirror, identity, report);
    let first = super::trust::first_id(mirror, report)?;
    for m in mirror.messages(report.id)? {
        while let Some((_, text)) = internal.next_if(|(day, _)| *day < m.received) {
            writeln!(out, "\n{text}").map_err(w)?;
        }
        writeln!(out).map_err(w)?;
        let received = line(&m.received);
        let is_first = first == Some(m.id);
        match open_message(mirror, identity, report, &m) {
            Err(e) => {
                let author = match m.author {
                    Author::Reporter => "reporter",
                    Author::Staff => "staff reply",
                };
                let why = unopened.note(&e, &mirror.message_path(report.id, m.id));
                writeln!(out, "--- {received} · {author} · {why} ---").map_err(w)?;
            }
            Ok(Opened::Reporter(doc)) => {
                let kind = match doc.kind {
                    crate::message::Kind::Report if is_first => "report".to_string(),
                    // Only the first document (pinned at the first pull) opens a report.
                    crate::message::Kind::Report => format!(
                        "a second \"report\" · {}",
                        super::trust::follow_up(&traced, report, &m, &doc).label()
                    ),
                    crate::message::Kind::FollowUp => format!(
                        "follow-up · {}",
                        super::trust::follow_up(&traced, report, &m, &doc).label()
                    ),
                };
                writeln!(
                    out,
                    "--- {received} · reporter · {kind} · language {} ---",
                    line(&doc.lang)
                )
                .map_err(w)?;
                if !is_first
                    && super::trust::follow_up(&traced, report, &m, &doc)
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
                if let Some(intake) = &doc.intake {
                    writeln!(
                        out,
                        "Marked as taken down by {} ({}): the form's own fields say so, not proof",
                        line(&intake.by),
                        line(&intake.channel)
                    )
                    .map_err(w)?;
                }
                for answer in labels.lines(&doc.answers) {
                    writeln!(out, "{}", line(&answer)).map_err(w)?;
                }
                if !doc.answers.is_empty() {
                    writeln!(out).map_err(w)?;
                }
                writeln!(out, "{}", block(&doc.message, TEXT_INDENT)).map_err(w)?;
                if !doc.attachments.is_empty() {
                    writeln!(out, "\nAttachments (may carry metadata such as GPS location that identifies the reporter):").map_err(w)?;
                    for a in &doc.attachments {
                        writeln!(
                            out,
                            "  {}  {}  ({}, {})",
                            short(&a.id.to_string()),
                            line(&a.name),
                            line(&a.content_type),
                            human(a.size)
                        )
                        .map_err(w)?;
                    }
                    writeln!(
                        out,
                        "  save one with: tipline desk save-attachment {} ID --out FILE --strip-metadata (removes GPS, camera and author from JPEG, PNG, GIF and WebP)",
                        short(&report.id.to_string())
                    )
                    .map_err(w)?;
                }
            }
            Ok(Opened::Staff(text)) => {
                writeln!(out, "--- {received} · staff reply ---").map_err(w)?;
                writeln!(out, "{}", block(&text, TEXT_INDENT)).map_err(w)?;
            }
        }
    }
    for (_, text) in internal {
        writeln!(out, "\n{text}").map_err(w)?;
    }
    for e in outbox::entries(mirror)?
        .iter()
        .filter(|e| e.item.report() == report.id && !matches!(e.item, Queued::Event { .. }))
    {
        writeln!(out).map_err(w)?;
        match &e.item {
            Queued::Reply { written, .. } => {
                let written = line(written);
                match identity.open_file("queued reply", e.age_path()) {
                    Ok(plain) => {
                        writeln!(
                            out,
                            "--- {written} · staff reply · QUEUED, not sent yet ---"
                        )
                        .map_err(w)?;
                        let text = String::from_utf8_lossy(&plain);
                        writeln!(out, "{}", block(text.trim_end(), TEXT_INDENT)).map_err(w)?;
                    }
                    Err(err) => {
                        let why = unopened.note(&err, e.age_path());
                        writeln!(out, "--- {written} · staff reply · QUEUED · {why} ---")
                            .map_err(w)?;
                    }
                }
            }
            Queued::Status { status, .. } => {
                writeln!(
                    out,
                    "--- status change to {status} · QUEUED, not sent yet ---"
                )
                .map_err(w)?;
            }
            // Shown with the case file's timeline.
            Queued::Event { .. } => {}
        }
    }
    unopened.finish("shown as placeholders above")
}

fn w(e: std::io::Error) -> DeskError {
    DeskError::Io("output".into(), e)
}
