//! What `desk list` and `desk figures` need of a case file (tags, assignee,
//! reminder, who saw what), kept in an encrypted cache per report so a list
//! of thousands of reports decrypts one file per report instead of every
//! event. The cache is age-encrypted to the identity's own recipients, like
//! everything else in the mirror, and is rebuilt whenever the report's event
//! list or the roster changes, or events of it wait in the outbox.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use super::signing::Roster;
use super::sync;
use crate::desk::identity::DeskIdentity;
use crate::desk::mirror::Mirror;
use crate::desk::outbox::{self, Queued};
use crate::desk::DeskError;
use crate::ids::ReportId;

/// Bump when the summary or the fold changes meaning.
const CACHE_VERSION: &[u8] = b"tipline case summary v1\0";

/// The state of a case file, without its text.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    /// Current tags.
    pub tags: BTreeSet<String>,
    /// Who works it.
    pub assigned: Option<String>,
    /// The reminder's day.
    pub reminder: Option<String>,
    /// Who has seen it, with how many messages.
    pub seen: BTreeMap<String, usize>,
    /// Events that did not verify.
    pub unverified: usize,
    /// Actions the server dropped.
    pub gaps: usize,
}

impl Summary {
    /// Whether `name` has not seen the report with `messages` messages.
    pub fn unseen_by(&self, name: &str, messages: usize) -> bool {
        self.seen.get(name).is_none_or(|seen| *seen < messages)
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Cached {
    key: String,
    summary: Summary,
}

/// A report's summary, from the cache when it is current.
pub fn load(
    mirror: &Mirror,
    identity: &DeskIdentity,
    roster: &Roster,
    report: ReportId,
    queued: &[outbox::Entry],
) -> Result<Summary, DeskError> {
    let has_queued = queued
        .iter()
        .any(|q| matches!(q.item, Queued::Event { report: r, .. } if r == report));
    let list = sync::list_path(mirror, report);
    if !list.is_file() && !has_queued {
        return Ok(Summary::default());
    }
    let cache = mirror.report_dir(report).join("casefile.age");
    let key = if has_queued {
        None
    } else {
        let listed =
            std::fs::read(&list).map_err(|e| DeskError::Io(list.display().to_string(), e))?;
        let mut h = Sha256::new();
        h.update(CACHE_VERSION);
        h.update(roster.fingerprint());
        h.update(&listed);
        Some(hex::encode(h.finalize()))
    };
    if let Some(key) = &key {
        if cache.is_file() {
            if let Ok(plain) = identity.open_file("case summary", &cache) {
                if let Ok(c) = serde_json::from_slice::<Cached>(&plain) {
                    if c.key == *key {
                        return Ok(c.summary);
                    }
                }
            }
        }
    }
    let case = sync::load(mirror, identity, roster, report)?;
    let summary = Summary {
        tags: case.tags.clone(),
        assigned: case.assigned.clone(),
        reminder: case.reminder.as_ref().map(|r| r.date.clone()),
        seen: case
            .seen
            .iter()
            .map(|(k, (_, n))| (k.clone(), *n))
            .collect(),
        unverified: case.unverified(),
        gaps: case.gaps.len(),
    };
    if let Some(key) = key {
        let plain = zeroize::Zeroizing::new(
            serde_json::to_vec(&Cached {
                key,
                summary: summary.clone(),
            })
            .map_err(|e| DeskError::Mirror(format!("case summary: {e}")))?,
        );
        let recipients = crate::desk::recipients::own(identity);
        let sealed =
            crate::envelope::seal(&crate::envelope::pad(plain.to_vec()), recipients.iter())
                .map_err(|e| DeskError::Mirror(format!("case summary: {e}")))?;
        write_cache(mirror, &cache, &sealed)?;
    }
    Ok(summary)
}

/// Writes the cache through a private temporary file and a rename, without
/// syncing: a cache lost to a crash is simply rebuilt, and ten thousand syncs
/// would make the first list of a large mirror crawl.
fn write_cache(mirror: &Mirror, path: &std::path::Path, bytes: &[u8]) -> Result<(), DeskError> {
    let io = |e| DeskError::Io(path.display().to_string(), e);
    let tmp = mirror
        .root()
        .join("tmp")
        .join(format!("{}.cache", crate::ids::MessageId::generate()));
    {
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(io)?;
        std::io::Write::write_all(&mut f, bytes).map_err(io)?;
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })
}
