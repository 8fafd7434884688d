//! Case-file figures for `desk figures`: counts by tag and by assignee (from
//! the folded case files), and the days from arrival to the first staff reply,
//! median and 90th percentile per month of arrival (from the mirror's message
//! list alone: no key needed).

use std::collections::BTreeMap;

use super::signing::Roster;
use super::summary;
use crate::desk::figures::Table;
use crate::desk::identity::DeskIdentity;
use crate::desk::mirror::Mirror;
use crate::desk::DeskError;
use crate::message::Author;

/// The `--by` values that come from the case file, not the questionnaire.
pub const DIMENSIONS: [&str; 2] = ["tag", "assignee"];

/// Adds the `--by tag` / `--by assignee` tables named in `by`.
pub fn by_case(
    mirror: &Mirror,
    identity: &DeskIdentity,
    roster: &Roster,
    by: &[&str],
    tables: &mut BTreeMap<String, Table>,
) -> Result<(), DeskError> {
    if by.is_empty() {
        return Ok(());
    }
    let ids: Vec<_> = mirror.reports()?.iter().map(|r| r.id).collect();
    let summaries = summary::load_all(mirror, identity, roster, &ids)?;
    for case in ids.iter().filter_map(|id| summaries.get(id)) {
        if by.contains(&"tag") {
            let table = tables.entry("tag".into()).or_default();
            if case.tags.is_empty() {
                *table.entry("(no tag)".into()).or_default() += 1;
            }
            for t in &case.tags {
                *table.entry(t.clone()).or_default() += 1;
            }
        }
        if by.contains(&"assignee") {
            let who = case.assigned.clone().unwrap_or_else(|| "(nobody)".into());
            *tables
                .entry("assignee".into())
                .or_default()
                .entry(who)
                .or_default() += 1;
        }
    }
    Ok(())
}

/// The `p`-th percentile (nearest rank) of sorted `days`.
fn percentile(sorted: &[i64], p: usize) -> i64 {
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank.min(sorted.len()) - 1]
}

/// Days from arrival to the first staff reply, for the reports of one month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FirstReply {
    /// Reports that have a staff reply.
    pub answered: usize,
    /// Reports that have none yet.
    pub unanswered: usize,
    /// Median days (nearest rank), when any was answered.
    pub median: Option<i64>,
    /// 90th percentile days (nearest rank), when any was answered.
    pub p90: Option<i64>,
}

/// Days to the first staff reply per month of arrival (`YYYY-MM`).
pub fn first_reply_by_month(mirror: &Mirror) -> Result<BTreeMap<String, FirstReply>, DeskError> {
    let mut by_month: BTreeMap<String, (Vec<i64>, usize)> = BTreeMap::new();
    for report in mirror.reports()? {
        let month = report.received.get(..7).unwrap_or("unknown").to_string();
        let entry = by_month.entry(month).or_default();
        let reply = mirror
            .messages(report.id)?
            .into_iter()
            .find(|m| m.author == Author::Staff);
        let days = reply.and_then(|m| {
            let from = crate::day::parse_day(&report.received)?;
            let to = crate::day::parse_day(&m.received)?;
            Some((to - from).whole_days().max(0))
        });
        match days {
            Some(d) => entry.0.push(d),
            None => entry.1 += 1,
        }
    }
    Ok(by_month
        .into_iter()
        .map(|(month, (mut days, unanswered))| {
            days.sort_unstable();
            let of = |p| (!days.is_empty()).then(|| percentile(&days, p));
            let figure = FirstReply {
                answered: days.len(),
                unanswered,
                median: of(50),
                p90: of(90),
            };
            (month, figure)
        })
        .collect())
}

/// `days to first reply`: per month of arrival, `YYYY-MM median`, `YYYY-MM
/// p90` (days), and how many reports were `answered` and `unanswered`.
pub fn first_reply(mirror: &Mirror) -> Result<Table, DeskError> {
    let mut table = Table::new();
    for (month, f) in first_reply_by_month(mirror)? {
        table.insert(format!("{month} answered"), f.answered);
        table.insert(format!("{month} unanswered"), f.unanswered);
        let days = |d: i64| usize::try_from(d).unwrap_or(0);
        if let (Some(median), Some(p90)) = (f.median, f.p90) {
            table.insert(format!("{month} median days"), days(median));
            table.insert(format!("{month} p90 days"), days(p90));
        }
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let days = [0, 1, 2, 3, 4, 5, 6, 7, 8, 30];
        assert_eq!(percentile(&days, 50), 4);
        assert_eq!(percentile(&days, 90), 8);
        assert_eq!(percentile(&[3], 90), 3);
    }
}
