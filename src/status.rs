//! The statuses a reporting point gives a report: the one list, used by the
//! server, the staff API, the desk and the reporter's pages.

use std::fmt;
use std::str::FromStr;

/// Where a report stands, for staff. The reporter never sees it as such: on
/// `/check` each status shows as one of a few safe texts (`site.toml`,
/// `[reporter_status]`, see [`crate::content::Content::reporter_status_key`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Stored, not yet read.
    Received,
    /// Staff are working on it.
    InProgress,
    /// Handed to a care coordinator.
    ForwardedCare,
    /// Handed to the police (with consent, or anonymised).
    ForwardedPolice,
    /// Handed to another (regional) reporting point.
    ForwardedReportingPoint,
    /// Advice was given; no registered report.
    AdviceGiven,
    /// Finished; may be purged after the retention period.
    Closed,
}

impl Status {
    /// Every status, in the order staff tools list them.
    pub const ALL: [Status; 7] = [
        Status::Received,
        Status::InProgress,
        Status::ForwardedCare,
        Status::ForwardedPolice,
        Status::ForwardedReportingPoint,
        Status::AdviceGiven,
        Status::Closed,
    ];

    /// The wire name (`in_progress`), also the suffix of its text key.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::InProgress => "in_progress",
            Status::ForwardedCare => "forwarded_care",
            Status::ForwardedPolice => "forwarded_police",
            Status::ForwardedReportingPoint => "forwarded_reporting_point",
            Status::AdviceGiven => "advice_given",
            Status::Closed => "closed",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status name that is not in [`Status::ALL`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown status; use one of: received, in_progress, forwarded_care, forwarded_police, forwarded_reporting_point, advice_given, closed")]
pub struct UnknownStatus;

impl FromStr for Status {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, UnknownStatus> {
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or(UnknownStatus)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_parses_from_its_own_name_and_serde_agrees() {
        for st in Status::ALL {
            assert_eq!(st.as_str().parse::<Status>().unwrap(), st);
            assert_eq!(serde_json::to_string(&st).unwrap(), format!("\"{st}\""));
        }
        assert!("done".parse::<Status>().is_err());
    }
}
