//! The mirror: an encrypted copy of the server's reports on the workstation's disk.
//!
//! It holds only what the server holds (ciphertext, statuses, days, reporter
//! recipients) plus the outbox. Every file is written to `tmp/` and renamed into
//! place, and a report's `messages.json` is written only after every file it
//! names is present: an interrupted pull leaves a mirror that is consistent,
//! just older.
//!
//! ```text
//! MIRROR/reports/<id>/report.json        the API's report entry
//! MIRROR/reports/<id>/messages.json      the API's message list (written last)
//! MIRROR/reports/<id>/first.json         the first message's id, written once
//! MIRROR/reports/<id>/messages/<mid>.age
//! MIRROR/reports/<id>/attachments/<aid>.age
//! MIRROR/reports/<id>/events.json        the case file's event list (see desk::casefile::sync)
//! MIRROR/reports/<id>/events/<eid>.age   signed, encrypted case events
//! MIRROR/casefile-index.age              encrypted case summaries (desk::casefile::index)
//! MIRROR/outbox/<seq>.json (+ <seq>.age)  queued replies, status changes, case events
//! MIRROR/quarantine/<id>/                 reports the server stopped listing
//! MIRROR/audit/<random>.age               the desk's audit log (see desk::delete)
//! ```

use std::fs;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::client::{ApiMessage, ApiReport};
use super::DeskError;
use crate::ids::{AttachmentId, MessageId, ReportId};

/// A mirror directory.
#[derive(Clone, Debug)]
pub struct Mirror {
    root: PathBuf,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DeskError + '_ {
    move |e| DeskError::Io(path.display().to_string(), e)
}

impl Mirror {
    /// Opens (creating if needed, mode 0700) the mirror at `root`.
    pub fn open(root: &Path) -> Result<Self, DeskError> {
        for sub in ["", "reports", "outbox", "tmp"] {
            crate::fsutil::private_dir(&root.join(sub)).map_err(io(root))?;
        }
        Ok(Self {
            root: root.to_path_buf(),
        })
    }

    /// Opens an existing mirror; a missing one is an error (a typo must not
    /// silently show an empty list).
    pub fn existing(root: &Path) -> Result<Self, DeskError> {
        if !root.join("reports").is_dir() {
            return Err(DeskError::Mirror(format!(
                "{} is not a mirror yet: run `tipline desk pull` first",
                root.display()
            )));
        }
        Self::open(root)
    }

    /// The mirror's root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub(super) fn report_dir(&self, id: ReportId) -> PathBuf {
        self.root.join("reports").join(id.to_string())
    }

    /// Where a message's age file lives.
    pub fn message_path(&self, report: ReportId, id: MessageId) -> PathBuf {
        self.report_dir(report)
            .join("messages")
            .join(format!("{id}.age"))
    }

    /// Where an attachment's age file lives.
    pub fn attachment_path(&self, report: ReportId, id: AttachmentId) -> PathBuf {
        self.report_dir(report)
            .join("attachments")
            .join(format!("{id}.age"))
    }

    pub(super) fn outbox_dir(&self) -> PathBuf {
        self.root.join("outbox")
    }

    /// Writes `path` atomically: through a temporary file, synced, then renamed.
    pub fn write_atomic(
        &self,
        path: &Path,
        fill: impl FnOnce(&mut fs::File) -> Result<(), DeskError>,
    ) -> Result<(), DeskError> {
        if let Some(parent) = path.parent() {
            crate::fsutil::private_dir(parent).map_err(io(parent))?;
        }
        let tmp = self
            .root
            .join("tmp")
            .join(format!("{}.part", MessageId::generate()));
        let result = (|| {
            let mut f = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&tmp)
                .map_err(io(&tmp))?;
            fill(&mut f)?;
            f.flush().map_err(io(&tmp))?;
            f.sync_all().map_err(io(&tmp))?;
            fs::rename(&tmp, path).map_err(io(path))
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }

    /// Writes a JSON file atomically.
    pub fn write_json<T: serde::Serialize>(&self, path: &Path, value: &T) -> Result<(), DeskError> {
        let bytes = serde_json::to_vec_pretty(value)
            .map_err(|e| DeskError::Mirror(format!("{}: {e}", path.display())))?;
        self.write_atomic(path, |f| f.write_all(&bytes).map_err(io(path)))
    }

    fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, DeskError> {
        let bytes = fs::read(path).map_err(io(path))?;
        serde_json::from_slice(&bytes)
            .map_err(|e| DeskError::Mirror(format!("{}: {e}", path.display())))
    }

    /// Saves a report's entry.
    pub fn save_report(&self, report: &ApiReport) -> Result<(), DeskError> {
        self.write_json(&self.report_dir(report.id).join("report.json"), report)
    }

    /// Saves a report's message list (after its files).
    pub fn save_messages(
        &self,
        report: ReportId,
        messages: &[ApiMessage],
    ) -> Result<(), DeskError> {
        self.write_json(&self.report_dir(report).join("messages.json"), &messages)
    }

    /// Every report in the mirror, oldest first.
    pub fn reports(&self) -> Result<Vec<ApiReport>, DeskError> {
        let dir = self.root.join("reports");
        let mut out = Vec::new();
        for entry in fs::read_dir(&dir).map_err(io(&dir))? {
            let path = entry.map_err(io(&dir))?.path().join("report.json");
            if path.is_file() {
                out.push(Self::read_json::<ApiReport>(&path)?);
            }
        }
        out.sort_by(|a, b| a.received.cmp(&b.received).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    /// One report's messages as last pulled (empty if none pulled yet).
    pub fn messages(&self, report: ReportId) -> Result<Vec<ApiMessage>, DeskError> {
        let path = self.report_dir(report).join("messages.json");
        if !path.is_file() {
            return Ok(Vec::new());
        }
        Self::read_json(&path)
    }

    /// The report's first message as first pulled (see [`super::trust`]);
    /// `None` before that.
    pub fn pinned_first(&self, report: ReportId) -> Result<Option<MessageId>, DeskError> {
        let path = self.report_dir(report).join("first.json");
        if !path.is_file() {
            return Ok(None);
        }
        Self::read_json(&path).map(Some)
    }

    /// Records the report's first message once; later pulls never change it,
    /// so a server cannot put another "first document" in its place.
    pub fn pin_first(&self, report: ReportId, first: MessageId) -> Result<(), DeskError> {
        if self.pinned_first(report)?.is_some() {
            return Ok(());
        }
        self.write_json(&self.report_dir(report).join("first.json"), &first)
    }

    /// Deletes a report's files from the mirror: only for a deletion staff asked
    /// for (`desk delete`); a report the server stops listing goes to quarantine.
    pub fn remove_report(&self, id: ReportId) -> Result<(), DeskError> {
        let dir = self.report_dir(id);
        fs::remove_dir_all(&dir).map_err(io(&dir))?;
        super::casefile::index::drop_all(self)
    }

    /// Finds a report by full id or unique prefix.
    pub fn find_report(&self, prefix: &str) -> Result<ApiReport, DeskError> {
        let prefix = prefix.trim().to_ascii_lowercase();
        if prefix.len() < 4 {
            return Err(DeskError::Usage(
                "give at least 4 characters of the report id".into(),
            ));
        }
        let matches: Vec<ApiReport> = self
            .reports()?
            .into_iter()
            .filter(|r| r.id.to_string().starts_with(&prefix))
            .collect();
        match matches.len() {
            0 => Err(DeskError::NotFound(format!(
                "no report {prefix} in the mirror"
            ))),
            1 => Ok(matches
                .into_iter()
                .next()
                .ok_or_else(|| DeskError::NotFound(prefix.clone()))?),
            n => Err(DeskError::Usage(format!(
                "{n} reports start with {prefix}; give more characters"
            ))),
        }
    }
}
