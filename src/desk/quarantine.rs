//! Reports the server stopped listing, kept aside rather than deleted: the
//! mirror may be the only surviving copy, and a server that lists nothing may be
//! compromised or simply the wrong URL. `desk pull` moves them here (and refuses
//! to move many at once without `--accept-removals`); staff list, restore or
//! purge them.
//!
//! ```text
//! MIRROR/quarantine/<id>/                  the report's directory, moved whole
//! MIRROR/quarantine/<id>/quarantined.json  the day it moved and why
//! ```

use std::fs;
use std::path::PathBuf;

use super::client::ApiReport;
use super::mirror::Mirror;
use super::DeskError;
use crate::ids::ReportId;

/// At most this many reports move to quarantine in one pull without
/// `--accept-removals`, and never more than a quarter of the mirror (though
/// always one, so a single deleted report needs no flag).
pub const QUIET_REMOVALS: usize = 3;

/// Why a report moved, as recorded next to it.
pub const NOT_LISTED: &str = "the server no longer listed it (deleted by the reporter, past retention, or a wrong or compromised server)";

/// The record kept next to a quarantined report.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Record {
    /// Day it moved to quarantine.
    pub since: String,
    /// Why.
    pub reason: String,
}

/// A report in quarantine.
#[derive(Debug, Clone)]
pub struct Quarantined {
    /// The report as last listed by the server.
    pub report: ApiReport,
    /// When and why it moved.
    pub record: Record,
}

/// How many of `total` reports may move to quarantine without the flag.
pub fn quiet_limit(total: usize) -> usize {
    QUIET_REMOVALS.min(total / 4).max(1)
}

fn dir(mirror: &Mirror) -> PathBuf {
    mirror.root().join("quarantine")
}

fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> DeskError + '_ {
    move |e| DeskError::Io(path.display().to_string(), e)
}

/// Moves one report's directory out of the mirror's list into quarantine.
pub fn quarantine(mirror: &Mirror, id: ReportId, reason: &str) -> Result<(), DeskError> {
    let base = dir(mirror);
    crate::fsutil::private_dir(&base).map_err(io(&base))?;
    let target = base.join(id.to_string());
    if target.exists() {
        // An older copy (restored, then gone again): the newer one replaces it.
        fs::remove_dir_all(&target).map_err(io(&target))?;
    }
    let source = mirror.report_dir(id);
    fs::rename(&source, &target).map_err(io(&source))?;
    let record = Record {
        since: crate::day::today(),
        reason: reason.to_string(),
    };
    mirror.write_json(&target.join("quarantined.json"), &record)
}

/// Every quarantined report, oldest report first.
pub fn list(mirror: &Mirror) -> Result<Vec<Quarantined>, DeskError> {
    let base = dir(mirror);
    if !base.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in fs::read_dir(&base).map_err(io(&base))? {
        let path = entry.map_err(io(&base))?.path();
        let read = |name: &str| {
            let file = path.join(name);
            fs::read(&file).map_err(io(&file)).and_then(|b| {
                serde_json::from_slice::<serde_json::Value>(&b)
                    .map_err(|e| DeskError::Mirror(format!("{}: {e}", file.display())))
            })
        };
        let report: ApiReport = serde_json::from_value(read("report.json")?)
            .map_err(|e| DeskError::Mirror(format!("{}: {e}", path.display())))?;
        let record: Record = serde_json::from_value(read("quarantined.json")?)
            .map_err(|e| DeskError::Mirror(format!("{}: {e}", path.display())))?;
        out.push(Quarantined { report, record });
    }
    out.sort_by(|a, b| (&a.report.received, a.report.id).cmp(&(&b.report.received, b.report.id)));
    Ok(out)
}

/// Moves a quarantined report (full id or unique prefix) back into the mirror.
/// The next pull moves it aside again if the server still does not list it.
pub fn restore(mirror: &Mirror, prefix: &str) -> Result<ReportId, DeskError> {
    let prefix = prefix.trim().to_ascii_lowercase();
    if prefix.len() < 4 {
        return Err(DeskError::Usage(
            "give at least 4 characters of the report id".into(),
        ));
    }
    let ids: Vec<ReportId> = list(mirror)?
        .into_iter()
        .map(|q| q.report.id)
        .filter(|id| id.to_string().starts_with(&prefix))
        .collect();
    let id = match ids.as_slice() {
        [one] => *one,
        [] => {
            return Err(DeskError::NotFound(format!(
                "no report {prefix} in quarantine"
            )))
        }
        _ => {
            return Err(DeskError::Usage(format!(
                "several quarantined reports start with {prefix}"
            )))
        }
    };
    let target = mirror.report_dir(id);
    if target.exists() {
        return Err(DeskError::Usage(format!(
            "report {id} is in the mirror again (the server lists it); purge the quarantined copy instead"
        )));
    }
    let source = dir(mirror).join(id.to_string());
    let record = source.join("quarantined.json");
    fs::remove_file(&record).map_err(io(&record))?;
    fs::rename(&source, &target).map_err(io(&source))?;
    Ok(id)
}

/// Deletes every quarantined report for good; returns how many.
pub fn purge(mirror: &Mirror) -> Result<usize, DeskError> {
    let quarantined = list(mirror)?;
    for q in &quarantined {
        let path = dir(mirror).join(q.report.id.to_string());
        fs::remove_dir_all(&path).map_err(io(&path))?;
    }
    if !quarantined.is_empty() {
        super::casefile::index::drop_all(mirror)?;
    }
    Ok(quarantined.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_removals_pass_but_never_more_than_a_quarter_of_the_mirror() {
        assert_eq!(quiet_limit(0), 1);
        assert_eq!(quiet_limit(1), 1);
        assert_eq!(quiet_limit(6), 1);
        assert_eq!(quiet_limit(8), 2);
        assert_eq!(quiet_limit(1000), QUIET_REMOVALS);
    }
}
