//! The case file in `desk list`: the columns (assignee, tags, unseen by me)
//! and the filters (`--tag`, `--assigned`, `--unseen`, `--due`, `--status`).

use std::collections::HashMap;

use clap::Args;

use super::signing::Roster;
use super::summary::{self, Summary};
use crate::desk::client::{ApiMessage, ApiReport};
use crate::desk::identity::DeskIdentity;
use crate::desk::mirror::Mirror;
use crate::desk::terminal::line;
use crate::desk::DeskError;
use crate::ids::ReportId;
use crate::status::Status;

/// `desk list` filters. The case-file ones need `--team` (and `--as` for
/// `me` and `--unseen`).
#[derive(Args, Debug, Clone, Default)]
pub struct ListFilter {
    /// Only reports with this tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// Only reports assigned to NAME, to `me` (--as), or to `none`.
    #[arg(long)]
    pub assigned: Option<String>,
    /// Only reports with something you (--as) have not seen.
    #[arg(long)]
    pub unseen: bool,
    /// Only reports with a reminder on or before today.
    #[arg(long)]
    pub due: bool,
    /// Only reports with this status.
    #[arg(long)]
    pub status: Option<String>,
}

/// The case-file columns of one row.
#[derive(Debug, Default, Clone)]
pub struct Columns {
    /// Who works it (escaped), or empty.
    pub assignee: String,
    /// Tags, comma-separated (escaped).
    pub tags: String,
    /// `new` when the person listing has not seen it.
    pub unseen: bool,
}

/// One report a listing keeps.
pub struct Kept<'r> {
    /// The report.
    pub report: &'r ApiReport,
    /// Its messages as the mirror lists them.
    pub messages: Vec<ApiMessage>,
    /// Its case-file columns.
    pub columns: Columns,
    /// Its first document as pinned (see [`crate::desk::trust::first_listed`]).
    pub first: Option<ApiMessage>,
}

/// What `desk list` needs to fill the columns and apply the filters.
pub struct Lister<'a> {
    filter: &'a ListFilter,
    status: Option<Status>,
    roster: Option<Roster>,
    me: Option<String>,
    today: String,
}

impl<'a> Lister<'a> {
    /// Checks the filters against what was given.
    pub fn new(
        filter: &'a ListFilter,
        roster: Option<Roster>,
        me: Option<String>,
    ) -> Result<Self, DeskError> {
        let needs_team =
            filter.tag.is_some() || filter.assigned.is_some() || filter.unseen || filter.due;
        if needs_team && roster.is_none() {
            return Err(DeskError::Usage(
                "--tag, --assigned, --unseen and --due need the team roster (--team or TIPLINE_TEAM)".into(),
            ));
        }
        let needs_me = filter.unseen || filter.assigned.as_deref() == Some("me");
        if needs_me && me.is_none() {
            return Err(DeskError::Usage(
                "--unseen and --assigned me need your name (--as or TIPLINE_STAFF)".into(),
            ));
        }
        let status = filter
            .status
            .as_deref()
            .map(str::parse::<Status>)
            .transpose()
            .map_err(|e| DeskError::Usage(e.to_string()))?;
        Ok(Self {
            filter,
            status,
            roster,
            me,
            today: crate::day::today(),
        })
    }

    /// Whether the status filter keeps `report` (checked before anything
    /// is decrypted for it).
    pub fn keeps_status(&self, report: &ApiReport) -> bool {
        self.status.is_none_or(|s| s == report.status)
    }

    /// The case-file summaries of `reports` (every report of the mirror, so
    /// the index keeps them all); empty without a roster.
    pub fn summaries(
        &self,
        mirror: &Mirror,
        identity: &DeskIdentity,
        reports: &[ApiReport],
    ) -> Result<HashMap<ReportId, Summary>, DeskError> {
        let Some(roster) = &self.roster else {
            return Ok(HashMap::new());
        };
        let ids: Vec<ReportId> = reports.iter().map(|r| r.id).collect();
        summary::load_all(mirror, identity, roster, &ids)
    }

    /// The `reports` this listing keeps, in their order: `desk list` and the
    /// browser inbox go through the same filters. The status filter comes
    /// first, so no message list is read for a report left out by it.
    pub fn kept<'r>(
        &self,
        mirror: &Mirror,
        summaries: &HashMap<ReportId, Summary>,
        reports: &'r [ApiReport],
    ) -> Result<Vec<Kept<'r>>, DeskError> {
        let mut kept = Vec::new();
        for report in reports {
            if !self.keeps_status(report) {
                continue;
            }
            let messages = mirror.messages(report.id)?;
            if let Some(columns) = self.row(summaries, report, messages.len()) {
                let first = crate::desk::trust::first_listed(mirror, report, &messages)?.cloned();
                kept.push(Kept {
                    report,
                    messages,
                    columns,
                    first,
                });
            }
        }
        Ok(kept)
    }

    /// The row's columns, or `None` when a filter leaves the report out;
    /// `summaries` comes from [`Self::summaries`].
    pub fn row(
        &self,
        summaries: &HashMap<ReportId, Summary>,
        report: &ApiReport,
        messages: usize,
    ) -> Option<Columns> {
        if !self.keeps_status(report) {
            return None;
        }
        if self.roster.is_none() {
            return Some(Columns::default());
        }
        let default = Summary::default();
        let case = summaries.get(&report.id).unwrap_or(&default);
        if !self.keeps(case, messages) {
            return None;
        }
        Some(Columns {
            assignee: case
                .assigned
                .as_deref()
                .map(|a| line(a).into_owned())
                .unwrap_or_default(),
            tags: line(&case.tags.iter().cloned().collect::<Vec<_>>().join(",")).into_owned(),
            unseen: self
                .me
                .as_deref()
                .is_some_and(|me| case.unseen_by(me, messages)),
        })
    }

    fn keeps(&self, case: &Summary, messages: usize) -> bool {
        let f = self.filter;
        if let Some(tag) = &f.tag {
            if !case.tags.contains(&tag.trim().to_lowercase()) {
                return false;
            }
        }
        if let Some(who) = f.assigned.as_deref() {
            let wanted = match who {
                "none" => None,
                "me" => self.me.as_deref(),
                name => Some(name),
            };
            if case.assigned.as_deref() != wanted {
                return false;
            }
        }
        if f.unseen
            && !self
                .me
                .as_deref()
                .is_some_and(|me| case.unseen_by(me, messages))
        {
            return false;
        }
        if f.due && case.reminder.as_ref().is_none_or(|date| *date > self.today) {
            return false;
        }
        true
    }
}
