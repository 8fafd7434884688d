//! What `desk list` and `desk figures` need of a case file (tags, assignee,
//! reminder, who saw what), kept in one encrypted, authenticated index
//! ([`super::index`]) so a list of thousands of reports decrypts one file
//! instead of every event. A report's summary is rebuilt whenever its event
//! list or the roster changes, or events of it wait in the outbox; missing
//! summaries are built on every core.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::index::{self, Index};
use super::signing::Roster;
use super::sync;
use crate::desk::identity::DeskIdentity;
use crate::desk::mirror::Mirror;
use crate::desk::outbox::{self, Queued};
use crate::desk::DeskError;
use crate::ids::ReportId;

/// The per-report cache file of earlier desks, removed when its report's
/// summary is rebuilt into the index.
const OLD_CACHE: &str = "casefile.age";

/// The state of a case file, without its text.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// What one report needs: a summary from the index, or one built.
enum Need {
    Ready(Summary),
    /// Build it; cache it under the key when there is one (none while
    /// events of the report wait in the outbox).
    Build(Option<String>),
}

/// The summaries of `reports`, from the index where current, the others
/// decrypted, verified and folded on every core; the index is then written
/// once (it keeps only these reports, so pass every report of the mirror).
pub fn load_all(
    mirror: &Mirror,
    identity: &DeskIdentity,
    roster: &Roster,
    reports: &[ReportId],
) -> Result<HashMap<ReportId, Summary>, DeskError> {
    let queued = outbox::entries(mirror)?;
    let waiting: HashSet<ReportId> = queued
        .iter()
        .filter_map(|q| match q.item {
            Queued::Event { report, .. } => Some(report),
            _ => None,
        })
        .collect();
    let mut index = Index::open(mirror, identity);
    let mut needs = Vec::with_capacity(reports.len());
    for &report in reports {
        let list = sync::list_path(mirror, report);
        let listed = match std::fs::read(&list) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(DeskError::Io(list.display().to_string(), e)),
        };
        let need = match (listed, waiting.contains(&report)) {
            (None, false) => Need::Ready(Summary::default()),
            (_, true) => Need::Build(None),
            (Some(listed), false) => {
                let key = index::entry_key(roster, report, &listed);
                match index.get(report, &key) {
                    Some(summary) => Need::Ready(summary.clone()),
                    None => Need::Build(Some(key)),
                }
            }
        };
        needs.push((report, need));
    }
    let built = crate::desk::parallel::map(&needs, |(report, need)| match need {
        Need::Ready(summary) => Ok(summary.clone()),
        Need::Build(_) => build(mirror, identity, roster, *report, &queued),
    });
    let mut out = HashMap::with_capacity(needs.len());
    for ((report, need), summary) in needs.into_iter().zip(built) {
        let summary = summary?;
        if let Need::Build(Some(key)) = need {
            index.insert(report, key, summary.clone());
        }
        out.insert(report, summary);
    }
    index.keep_only(&reports.iter().map(ReportId::to_string).collect());
    index.save(mirror, identity)?;
    Ok(out)
}

/// Decrypts, verifies and folds one report's events into its summary.
fn build(
    mirror: &Mirror,
    identity: &DeskIdentity,
    roster: &Roster,
    report: ReportId,
    queued: &[outbox::Entry],
) -> Result<Summary, DeskError> {
    let case = sync::load_with(mirror, identity, roster, report, queued)?;
    // The old per-report cache: superseded by the index, and never read again.
    let _ = std::fs::remove_file(mirror.report_dir(report).join(OLD_CACHE));
    Ok(Summary {
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
    })
}
