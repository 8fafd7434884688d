//! The outbox: replies and status changes made at the desk wait here until the
//! server confirms them. A reply is never lost: its entry is removed only after
//! the server answered 201, and a copy of the age file is kept in the mirror.

use std::fs;
use std::path::PathBuf;

use super::client::{ApiMessage, Client};
use super::mirror::Mirror;
use super::DeskError;
use crate::ids::ReportId;
use crate::message::Author;
use crate::status::Status;

/// One queued change.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Queued {
    /// A reply; its age file sits next to the entry.
    Reply {
        /// The report.
        report: ReportId,
        /// Day it was written.
        written: String,
        /// The reporter recipient it is encrypted to (sent along, so the server
        /// refuses it if the reporter changed code meanwhile). Missing in
        /// entries queued by older desks.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        recipient: Option<String>,
    },
    /// A status change.
    Status {
        /// The report.
        report: ReportId,
        /// The new status.
        status: Status,
    },
    /// A signed case event; its age file sits next to the entry.
    Event {
        /// The report.
        report: ReportId,
        /// Day it was made.
        written: String,
    },
}

impl Queued {
    /// The report this change is for.
    pub fn report(&self) -> ReportId {
        match self {
            Queued::Reply { report, .. }
            | Queued::Status { report, .. }
            | Queued::Event { report, .. } => *report,
        }
    }
}

/// A queued entry and where it lives.
#[derive(Debug, Clone)]
pub struct Entry {
    /// What is queued.
    pub item: Queued,
    json: PathBuf,
    age: PathBuf,
}

impl Entry {
    /// The reply's age file (for replies).
    pub fn age_path(&self) -> &std::path::Path {
        &self.age
    }

    /// Hex SHA-256 of the age file as it is queued now: what a Reply case
    /// event names, so the audit trail points at the file the server got.
    pub fn sha256(&self) -> Result<String, DeskError> {
        let bytes = fs::read(&self.age).map_err(io(&self.age))?;
        Ok(hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes)))
    }
}

fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> DeskError + '_ {
    move |e| DeskError::Io(path.display().to_string(), e)
}

/// Every queued entry, oldest first.
pub fn entries(mirror: &Mirror) -> Result<Vec<Entry>, DeskError> {
    let dir = mirror.outbox_dir();
    let mut names: Vec<PathBuf> = fs::read_dir(&dir)
        .map_err(io(&dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("json"))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for json in names {
        let bytes = fs::read(&json).map_err(io(&json))?;
        let item: Queued = serde_json::from_slice(&bytes)
            .map_err(|e| DeskError::Mirror(format!("{}: {e}", json.display())))?;
        out.push(Entry {
            item,
            age: json.with_extension("age"),
            json,
        });
    }
    Ok(out)
}

fn next_name(mirror: &Mirror) -> Result<PathBuf, DeskError> {
    let next = entries(mirror)?
        .last()
        .and_then(|e| e.json.file_stem()?.to_str()?.parse::<u64>().ok())
        .map_or(1, |n| n + 1);
    Ok(mirror.outbox_dir().join(format!("{next:08}.json")))
}

/// Queues a reply (already encrypted to `recipient` and the centre).
pub fn queue_reply(
    mirror: &Mirror,
    report: ReportId,
    ciphertext: &[u8],
    recipient: &str,
) -> Result<Entry, DeskError> {
    let item = Queued::Reply {
        report,
        written: crate::day::today(),
        recipient: Some(recipient.to_string()),
    };
    queue_file(mirror, item, ciphertext)
}

/// Queues a case event (already signed and encrypted).
pub fn queue_event(
    mirror: &Mirror,
    report: ReportId,
    ciphertext: &[u8],
) -> Result<Entry, DeskError> {
    let item = Queued::Event {
        report,
        written: crate::day::today(),
    };
    queue_file(mirror, item, ciphertext)
}

/// Queues `item` with its age file.
fn queue_file(mirror: &Mirror, item: Queued, ciphertext: &[u8]) -> Result<Entry, DeskError> {
    let json = next_name(mirror)?;
    let age = json.with_extension("age");
    // The age file first: an entry never points at a missing file.
    mirror.write_atomic(&age, |f| {
        std::io::Write::write_all(f, ciphertext).map_err(io(&age))
    })?;
    mirror.write_json(&json, &item)?;
    Ok(Entry { item, json, age })
}

/// Replaces a queued reply's ciphertext after the reporter's key changed: the
/// age file is rewritten first, then the entry names the new recipient.
pub fn requeue_reply(
    mirror: &Mirror,
    entry: &Entry,
    ciphertext: &[u8],
    recipient: &str,
) -> Result<Entry, DeskError> {
    let Queued::Reply {
        report, written, ..
    } = &entry.item
    else {
        return Err(DeskError::Mirror(
            "only a reply can be encrypted again".into(),
        ));
    };
    mirror.write_atomic(&entry.age, |f| {
        std::io::Write::write_all(f, ciphertext).map_err(io(&entry.age))
    })?;
    let item = Queued::Reply {
        report: *report,
        written: written.clone(),
        recipient: Some(recipient.to_string()),
    };
    mirror.write_json(&entry.json, &item)?;
    Ok(Entry {
        item,
        json: entry.json.clone(),
        age: entry.age.clone(),
    })
}

/// Replaces a queued case event's age file (an event signed again, see
/// `casefile::sync::amend_queued_reply`).
pub fn replace_event(mirror: &Mirror, entry: &Entry, ciphertext: &[u8]) -> Result<(), DeskError> {
    if !matches!(entry.item, Queued::Event { .. }) {
        return Err(DeskError::Mirror(
            "only a case event can be replaced".into(),
        ));
    }
    mirror.write_atomic(&entry.age, |f| {
        std::io::Write::write_all(f, ciphertext).map_err(io(&entry.age))
    })
}

/// What to do with a reply the server refused because the reporter changed
/// their code: return the entry encrypted again to the new key, or an error
/// that tells the staff member what to do.
pub type Reseal<'a> = &'a dyn Fn(&Entry) -> Result<Entry, DeskError>;

/// Sends one entry; a reply refused with 409 (the reporter's key changed) is
/// encrypted again by `reseal` and sent once more.
pub fn send_or_reseal(
    client: &Client,
    mirror: &Mirror,
    entry: &Entry,
    reseal: Reseal<'_>,
) -> Result<(), DeskError> {
    match send(client, mirror, entry) {
        Err(DeskError::Server { status: 409, .. })
            if matches!(entry.item, Queued::Reply { .. }) =>
        {
            let fresh = reseal(entry)?;
            send(client, mirror, &fresh)
        }
        other => other,
    }
}

/// Queues a status change.
pub fn queue_status(mirror: &Mirror, report: ReportId, status: Status) -> Result<Entry, DeskError> {
    let json = next_name(mirror)?;
    let item = Queued::Status { report, status };
    mirror.write_json(&json, &item)?;
    Ok(Entry {
        item,
        age: json.with_extension("age"),
        json,
    })
}

/// Sends every queued entry in order; stops at the first failure, leaving it and
/// everything after it queued. Returns how many were sent.
pub fn push(client: &Client, mirror: &Mirror, reseal: Reseal<'_>) -> Result<usize, DeskError> {
    let mut sent = 0;
    for entry in entries(mirror)? {
        match send_or_reseal(client, mirror, &entry, reseal) {
            Ok(()) => sent += 1,
            // The report is gone (deleted by the reporter or purged): nobody can
            // receive this any more, and it must not block the rest of the queue.
            Err(DeskError::Server { status: 404, .. }) => {
                eprintln!(
                    "report {} no longer exists on the server; dropped a queued {}",
                    entry.item.report(),
                    match entry.item {
                        Queued::Reply { .. } => "reply",
                        Queued::Status { .. } => "status change",
                        Queued::Event { .. } => "case event",
                    }
                );
                fs::remove_file(&entry.json).map_err(io(&entry.json))?;
                let _ = fs::remove_file(&entry.age);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(sent)
}

/// Sends one entry and, once the server confirmed, records it in the mirror and
/// removes it from the outbox.
pub fn send(client: &Client, mirror: &Mirror, entry: &Entry) -> Result<(), DeskError> {
    match &entry.item {
        Queued::Reply {
            report, recipient, ..
        } => {
            let id = client.post_reply(*report, &entry.age, recipient.as_deref())?;
            let copy = mirror.message_path(*report, id);
            let bytes = fs::read(&entry.age).map_err(io(&entry.age))?;
            mirror.write_atomic(&copy, |f| {
                std::io::Write::write_all(f, &bytes).map_err(io(&copy))
            })?;
            let mut messages = mirror.messages(*report)?;
            messages.push(ApiMessage {
                id,
                author: Author::Staff,
                received: crate::day::today(),
                attachments: Vec::new(),
            });
            mirror.save_messages(*report, &messages)?;
        }
        Queued::Event { report, .. } => {
            let bytes = fs::read(&entry.age).map_err(io(&entry.age))?;
            let id = client.post_event(*report, &bytes)?;
            super::casefile::sync::sent(mirror, *report, id, &bytes)?;
        }
        Queued::Status { report, status } => {
            client.put_status(*report, *status)?;
            if let Ok(mut r) = mirror.find_report(&report.to_string()) {
                r.status = *status;
                mirror.save_report(&r)?;
            }
        }
    }
    fs::remove_file(&entry.json).map_err(io(&entry.json))?;
    let _ = fs::remove_file(&entry.age);
    Ok(())
}
