//! The case file in the mirror: pulled events, queued ones, and making new
//! ones.
//!
//! ```text
//! MIRROR/reports/<id>/events.json        the API's event list (written last)
//! MIRROR/reports/<id>/events/<eid>.age   one signed, encrypted event each
//! MIRROR/outbox/<seq>.json + .age        events not sent yet (kind "event")
//! ```

use std::fs;
use std::path::PathBuf;

use super::event::{self, Action, Event};
use super::fold::{self, CaseFile, Item, Source};
use super::signing::{Roster, SigningIdentity};
use crate::desk::client::{ApiEvent, Client};
use crate::desk::identity::DeskIdentity;
use crate::desk::mirror::Mirror;
use crate::desk::outbox::{self, Queued};
use crate::desk::recipients::Trusted;
use crate::desk::DeskError;
use crate::ids::{EventId, ReportId};

/// Where a report's pulled event list lives.
pub(super) fn list_path(mirror: &Mirror, report: ReportId) -> PathBuf {
    mirror.report_dir(report).join("events.json")
}

fn event_path(mirror: &Mirror, report: ReportId, id: EventId) -> PathBuf {
    mirror
        .report_dir(report)
        .join("events")
        .join(format!("{id}.age"))
}

/// One report's pulled event list (empty if none pulled yet).
pub fn listed(mirror: &Mirror, report: ReportId) -> Result<Vec<ApiEvent>, DeskError> {
    let path = list_path(mirror, report);
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let bytes = fs::read(&path).map_err(|e| DeskError::Io(path.display().to_string(), e))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| DeskError::Mirror(format!("{}: {e}", path.display())))
}

/// Pulls a report's events: fetches the files the mirror lacks, then writes
/// the list. Returns (files fetched, bytes).
pub fn pull(client: &Client, mirror: &Mirror, report: ReportId) -> Result<(usize, u64), DeskError> {
    let events = client.events(report)?;
    let (mut files, mut bytes) = (0, 0);
    for e in &events {
        let path = event_path(mirror, report, e.id);
        if !path.is_file() {
            let url = format!("/reports/{report}/events/{}", e.id);
            mirror.write_atomic(&path, |f| {
                bytes += client.download(&url, f)?;
                Ok(())
            })?;
            files += 1;
        }
    }
    mirror.write_json(&list_path(mirror, report), &events)?;
    Ok((files, bytes))
}

/// Records an event the server accepted: its file and list entry in the mirror.
pub fn sent(mirror: &Mirror, report: ReportId, id: EventId, bytes: &[u8]) -> Result<(), DeskError> {
    let path = event_path(mirror, report, id);
    mirror.write_atomic(&path, |f| {
        std::io::Write::write_all(f, bytes)
            .map_err(|e| DeskError::Io(path.display().to_string(), e))
    })?;
    let mut events = listed(mirror, report)?;
    events.push(ApiEvent {
        id,
        posted_by: "(this desk)".into(),
        received: crate::day::today(),
    });
    mirror.write_json(&list_path(mirror, report), &events)
}

/// Reads, decrypts and folds one report's events: pulled and queued.
pub fn load(
    mirror: &Mirror,
    identity: &DeskIdentity,
    roster: &Roster,
    report: ReportId,
) -> Result<CaseFile, DeskError> {
    load_with(mirror, identity, roster, report, &outbox::entries(mirror)?)
}

/// [`load`] with the outbox already read (`queued`), so a list of thousands
/// of reports reads the outbox once, not once per report.
pub fn load_with(
    mirror: &Mirror,
    identity: &DeskIdentity,
    roster: &Roster,
    report: ReportId,
    queued: &[outbox::Entry],
) -> Result<CaseFile, DeskError> {
    let mut items = Vec::new();
    for e in listed(mirror, report)? {
        let path = event_path(mirror, report, e.id);
        items.push(Item {
            source: Source::Server {
                id: e.id,
                posted_by: e.posted_by,
                received: e.received,
            },
            opened: open_file(identity, &path, report, roster),
        });
    }
    for q in queued {
        if matches!(q.item, Queued::Event { report: r, .. } if r == report) {
            items.push(Item {
                source: Source::Queued,
                opened: open_file(identity, q.age_path(), report, roster),
            });
        }
    }
    Ok(fold::fold(items))
}

fn open_file(
    identity: &DeskIdentity,
    path: &std::path::Path,
    report: ReportId,
    roster: &Roster,
) -> Result<event::Opened, String> {
    if !path.is_file() {
        return Err("not in the mirror; pull again".into());
    }
    let plain = identity
        .open_file("case event", path)
        .map_err(|e| e.to_string())?;
    event::open(&plain, report, roster)
}

/// After a queued reply was encrypted again (a 409 at `desk push`): the
/// queued Reply event that names its first file (`old_sha`) is signed again
/// naming the file sent (`new_sha`), and every later queued event of the
/// report that had seen a re-signed one is signed again to name the new
/// event, so the chain holds. Only `actor`'s own verified events are signed
/// again; returns how many were.
pub fn amend_queued_reply(
    mirror: &Mirror,
    identity: &DeskIdentity,
    recipients: &Trusted<'_>,
    actor: &Actor,
    report: ReportId,
    old_sha: &str,
    new_sha: &str,
) -> Result<usize, DeskError> {
    let mut renamed = std::collections::HashMap::new();
    let mut amended = 0;
    for q in outbox::entries(mirror)? {
        if !matches!(q.item, Queued::Event { report: r, .. } if r == report) {
            continue;
        }
        let plain = identity.open_file("queued case event", q.age_path())?;
        let Ok(opened) = event::open(&plain, report, &actor.roster) else {
            continue;
        };
        let mut e = opened.event;
        let mut changed = false;
        if let Action::Reply { sha256 } = &mut e.action {
            if sha256 == old_sha {
                *sha256 = new_sha.to_string();
                changed = true;
            }
        }
        for seen in &mut e.seen {
            if let Some(new) = renamed.get(seen.as_str()) {
                *seen = String::clone(new);
                changed = true;
            }
        }
        if !changed {
            continue;
        }
        if e.author != actor.key.name || opened.verdict != super::signing::Verdict::Good {
            eprintln!(
                "a queued case event by {} names the reply's first file; only its author can sign it again",
                crate::desk::terminal::line(&e.author)
            );
            continue;
        }
        let (plain, hash) = event::sign(&e, &actor.key)?;
        let sealed = crate::envelope::seal(&plain, recipients.iter())
            .map_err(|e| DeskError::Mirror(format!("encrypting the event: {e}")))?;
        outbox::replace_event(mirror, &q, &sealed)?;
        renamed.insert(opened.hash, hash);
        amended += 1;
    }
    Ok(amended)
}

/// Who acts: the signing key, checked against the roster.
pub struct Actor {
    /// The signing key.
    pub key: SigningIdentity,
    /// The team roster.
    pub roster: Roster,
}

impl Actor {
    /// Checks that the roster holds `name` with this key's public half: an
    /// event the team cannot verify would be worse than none.
    pub fn new(name: &str, key: SigningIdentity, roster: Roster) -> Result<Self, DeskError> {
        if key.name != name {
            return Err(DeskError::Usage(format!(
                "--as {name}: the signing key was made for {}",
                key.name
            )));
        }
        match roster.key(name) {
            Some(k) if *k == key.verifying_key() => Ok(Self { key, roster }),
            Some(_) => Err(DeskError::Usage(format!(
                "the team roster holds another key for {name}: append the line `tipline desk keygen-signing` printed, or use your own key"
            ))),
            None => Err(DeskError::Usage(format!(
                "{name} is not in the team roster: append the line `tipline desk keygen-signing` printed"
            ))),
        }
    }
}

/// Makes, signs, encrypts and queues one event on `report`; returns the
/// outbox entry (send it with `desk push`, or at once).
pub fn record(
    mirror: &Mirror,
    identity: &DeskIdentity,
    recipients: &Trusted<'_>,
    actor: &Actor,
    report: ReportId,
    action: Action,
) -> Result<outbox::Entry, DeskError> {
    let case = load(mirror, identity, &actor.roster, report)?;
    let event = Event {
        v: event::VERSION,
        report,
        author: actor.key.name.clone(),
        day: crate::day::today(),
        seq: case.next_seq(&actor.key.name),
        seen: case.heads.clone(),
        action,
    };
    let (plain, _hash) = event::sign(&event, &actor.key)?;
    let ciphertext = crate::envelope::seal(&plain, recipients.iter())
        .map_err(|e| DeskError::Mirror(format!("encrypting the event: {e}")))?;
    outbox::queue_event(mirror, report, &ciphertext)
}
