//! `desk delete`: removes a report from the server for good (a test report, a
//! duplicate), after a confirmation, and records why in the desk's audit log.
//!
//! The audit log lives in the mirror (`MIRROR/audit/<random>.age`), one age
//! file per action, encrypted to the centre recipients: the reason may name a
//! colleague or a case, so it never reaches the server, which keeps only a
//! count of deletions per month.

use std::io::Write;

use super::client::{ApiReport, Client};
use super::mirror::Mirror;
use super::DeskError;

/// One entry of the audit log (the plaintext inside its age file).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct AuditEntry {
    /// What was done: `delete`.
    pub action: String,
    /// The report it was done to.
    pub report: String,
    /// Why, as staff wrote it.
    pub reason: String,
    /// The day (UTC).
    pub day: String,
}

/// How many leading characters of the id a person types to confirm.
pub const CONFIRM_CHARS: usize = 8;

/// Whether `typed` confirms deleting `report`: its first [`CONFIRM_CHARS`]
/// characters, case and surrounding spaces ignored.
pub fn confirms(report: &ApiReport, typed: &str) -> bool {
    let id = report.id.to_string();
    typed.trim().to_ascii_lowercase() == id[..CONFIRM_CHARS.min(id.len())]
}

/// Records the deletion, deletes on the server, then drops the report from
/// the mirror. The audit entry is written first, so a deletion is never
/// unrecorded; if the server refuses, the entry is withdrawn.
pub fn delete(
    client: &Client,
    mirror: &Mirror,
    report: &ApiReport,
    reason: &str,
    recipients: &[&dyn age::Recipient],
) -> Result<(), DeskError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(DeskError::Usage(
            "--reason must say why the report is deleted".into(),
        ));
    }
    let entry = AuditEntry {
        action: "delete".into(),
        report: report.id.to_string(),
        reason: reason.to_string(),
        day: crate::day::today(),
    };
    let path = record(mirror, &entry, recipients)?;
    match client.delete_report(report.id) {
        Ok(()) | Err(DeskError::Server { status: 404, .. }) => {}
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
    }
    mirror.remove_report(report.id)
}

/// Writes one audit entry, padded and encrypted to `recipients`, as a new
/// file in `MIRROR/audit/`; returns its path so a failed action can withdraw it.
pub fn record(
    mirror: &Mirror,
    entry: &AuditEntry,
    recipients: &[&dyn age::Recipient],
) -> Result<std::path::PathBuf, DeskError> {
    let json =
        serde_json::to_vec(entry).map_err(|e| DeskError::Mirror(format!("audit entry: {e}")))?;
    let sealed = crate::envelope::seal(&crate::envelope::pad(json), recipients.iter().copied())
        .map_err(|e| DeskError::Mirror(format!("encrypting the audit entry: {e}")))?;
    let path = mirror
        .root()
        .join("audit")
        .join(format!("{}.age", crate::ids::MessageId::generate()));
    mirror.write_atomic(&path, |f| {
        f.write_all(&sealed)
            .map_err(|e| DeskError::Io(path.display().to_string(), e))
    })?;
    Ok(path)
}

/// Every audit entry, decrypted with the identity, oldest day first.
pub fn audit_log(
    mirror: &Mirror,
    identity: &super::identity::DeskIdentity,
) -> Result<Vec<AuditEntry>, DeskError> {
    let dir = mirror.root().join("audit");
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let entries =
        std::fs::read_dir(&dir).map_err(|e| DeskError::Io(dir.display().to_string(), e))?;
    for entry in entries {
        let path = entry
            .map_err(|e| DeskError::Io(dir.display().to_string(), e))?
            .path();
        if path.extension().and_then(|e| e.to_str()) != Some("age") {
            continue;
        }
        let plain = identity.open_file("audit entry", &path)?;
        let entry: AuditEntry = serde_json::from_slice(&plain)
            .map_err(|e| DeskError::Mirror(format!("{}: {e}", path.display())))?;
        out.push(entry);
    }
    out.sort_by(|a, b| a.day.cmp(&b.day).then(a.report.cmp(&b.report)));
    Ok(out)
}
