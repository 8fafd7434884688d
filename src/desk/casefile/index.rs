//! The summary index: every report's case-file summary in one age file
//! (`MIRROR/casefile-index.age`), so a cached `desk list` decrypts one file
//! instead of one per report.
//!
//! The file is encrypted to the identity's own recipients, like the rest of the
//! mirror, and its content carries an HMAC under a key only the identity's
//! holder can derive ([`DeskIdentity::cache_key`]): the recipients are public,
//! so without the MAC whoever can write the mirror (a networked pull machine,
//! a stick carried to the offline desk) could plant summaries that hide an
//! unverified or dropped event. Each entry is keyed by the report's event
//! list and the roster; an index that is missing, unreadable or fails its MAC
//! is simply rebuilt, never trusted and never an error.

use std::collections::BTreeMap;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::signing::Roster;
use super::summary::Summary;
use crate::desk::identity::DeskIdentity;
use crate::desk::mirror::Mirror;
use crate::desk::DeskError;
use crate::ids::ReportId;

/// The index's file name in the mirror's root.
pub const FILE: &str = "casefile-index.age";

/// Bump when the summary, the fold or this format changes meaning.
const VERSION: &[u8] = b"tipline case summary index v1\0";

/// One report's summary and the key it was built for.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Cached {
    key: String,
    summary: Summary,
}

/// The summaries of a mirror, as last written.
#[derive(Default)]
pub struct Index {
    entries: BTreeMap<String, Cached>,
    changed: bool,
}

/// The key a report's summary is valid for: the format, the roster, the
/// report and its event list exactly as pulled.
pub fn entry_key(roster: &Roster, report: ReportId, listed: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(VERSION);
    h.update(roster.fingerprint());
    h.update(report.to_string().as_bytes());
    h.update(listed);
    hex::encode(h.finalize())
}

/// The HMAC of the index's JSON (`None` only if HMAC refused the key, which
/// it does for no length).
fn mac(identity: &DeskIdentity, body: &[u8]) -> Option<Hmac<Sha256>> {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(identity.cache_key()).ok()?;
    m.update(VERSION);
    m.update(body);
    Some(m)
}

impl Index {
    /// Reads the index; empty when it is missing, cannot be opened, or fails
    /// its MAC (then every summary is rebuilt).
    pub fn open(mirror: &Mirror, identity: &DeskIdentity) -> Self {
        let path = mirror.root().join(FILE);
        let entries = path
            .is_file()
            .then(|| identity.open_file("case summary index", &path).ok())
            .flatten()
            .and_then(|plain| Self::parse(identity, &plain))
            .unwrap_or_default();
        Self {
            entries,
            changed: false,
        }
    }

    /// `HEX-HMAC \n JSON` then padding; the MAC covers the JSON exactly.
    fn parse(identity: &DeskIdentity, plain: &[u8]) -> Option<BTreeMap<String, Cached>> {
        let split = plain.iter().position(|b| *b == b'\n')?;
        let tag = hex::decode(&plain[..split]).ok()?;
        let body = plain[split + 1..].trim_ascii_end();
        mac(identity, body)?.verify_slice(&tag).ok()?;
        serde_json::from_slice(body).ok()
    }

    /// The summary of `report` if it was built for `key`.
    pub fn get(&self, report: ReportId, key: &str) -> Option<&Summary> {
        self.entries
            .get(&report.to_string())
            .filter(|c| c.key == key)
            .map(|c| &c.summary)
    }

    /// Records a summary just built for `key`.
    pub fn insert(&mut self, report: ReportId, key: String, summary: Summary) {
        self.entries
            .insert(report.to_string(), Cached { key, summary });
        self.changed = true;
    }

    /// Forgets reports that are no longer in the mirror.
    pub fn keep_only(&mut self, reports: &std::collections::HashSet<String>) {
        let before = self.entries.len();
        self.entries.retain(|id, _| reports.contains(id));
        self.changed |= self.entries.len() != before;
    }

    /// Writes the index if anything changed: encrypted to the identity's own
    /// recipients, through a private temporary file and a rename, without
    /// syncing (an index lost to a crash is simply rebuilt).
    pub fn save(&self, mirror: &Mirror, identity: &DeskIdentity) -> Result<(), DeskError> {
        if !self.changed {
            return Ok(());
        }
        let bad = |e: String| DeskError::Mirror(format!("case summary index: {e}"));
        let body = zeroize::Zeroizing::new(
            serde_json::to_vec(&self.entries).map_err(|e| bad(e.to_string()))?,
        );
        let tag = mac(identity, &body)
            .ok_or_else(|| bad("no MAC key".into()))?
            .finalize()
            .into_bytes();
        let tag = hex::encode(tag);
        let mut plain = zeroize::Zeroizing::new(Vec::with_capacity(tag.len() + 1 + body.len()));
        plain.extend_from_slice(tag.as_bytes());
        plain.push(b'\n');
        plain.extend_from_slice(&body);
        let recipients = crate::desk::recipients::own(identity);
        let padded = crate::envelope::pad(plain.to_vec());
        let sealed =
            crate::envelope::seal(&padded, recipients.iter()).map_err(|e| bad(e.to_string()))?;
        write_unsynced(mirror, &mirror.root().join(FILE), &sealed)
    }
}

/// Removes the whole index (it is rebuilt by the next list): after a report
/// is deleted or purged, no summary of it (its tags, who had it) may outlive
/// it, and removing needs no key.
pub fn drop_all(mirror: &Mirror) -> Result<(), DeskError> {
    let path = mirror.root().join(FILE);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(DeskError::Io(path.display().to_string(), e))
        }
        _ => Ok(()),
    }
}

/// Writes through a private temporary file and a rename, without syncing.
fn write_unsynced(mirror: &Mirror, path: &std::path::Path, bytes: &[u8]) -> Result<(), DeskError> {
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
