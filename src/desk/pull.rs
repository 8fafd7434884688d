//! `desk pull`: brings the mirror up to date. Incremental (message and attachment
//! files never change, so only missing ones are fetched) and resumable (see
//! [`super::mirror`] for why an interruption leaves a consistent mirror).

use indicatif::{ProgressBar, ProgressStyle};

use super::client::Client;
use super::mirror::Mirror;
use super::{quarantine, DeskError};

/// What a pull did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PullSummary {
    /// Reports on the server.
    pub reports: usize,
    /// Message files fetched now.
    pub messages: usize,
    /// Attachment files fetched now.
    pub attachments: usize,
    /// Bytes fetched now.
    pub bytes: u64,
    /// Case-event files fetched now.
    pub events: usize,
    /// Reports moved to quarantine because the server no longer lists them
    /// (deleted by the reporter, purged after retention, or a lying server).
    pub removed: usize,
}

/// Pulls everything new. `progress` draws a bar on stderr. Reports the server
/// no longer lists move to quarantine; more than [`quarantine::quiet_limit`]
/// of them is refused before anything changes, unless `accept_removals`.
pub fn pull(
    client: &Client,
    mirror: &Mirror,
    progress: bool,
    accept_removals: bool,
) -> Result<PullSummary, DeskError> {
    let reports = client.reports()?;
    let local = mirror.reports()?;
    let gone: Vec<_> = local
        .iter()
        .filter(|l| !reports.iter().any(|r| r.id == l.id))
        .map(|l| l.id)
        .collect();
    if gone.len() > quarantine::quiet_limit(local.len()) && !accept_removals {
        return Err(DeskError::Refused(format!(
            "the server no longer lists {} of the mirror's {} report(s); nothing changed. \
             A server that lists far fewer reports may be the wrong one or compromised. \
             If they were really deleted, pull again with --accept-removals \
             (they move to the mirror's quarantine, not deleted)",
            gone.len(),
            local.len()
        )));
    }
    let mut summary = PullSummary {
        reports: reports.len(),
        ..PullSummary::default()
    };
    let bar = if progress {
        let bar = ProgressBar::new(reports.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} reports  {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    for report in &reports {
        mirror.save_report(report)?;
        let messages = client.messages(report.id)?;
        for m in &messages {
            let path = mirror.message_path(report.id, m.id);
            if !path.is_file() {
                let url = format!("/reports/{}/messages/{}", report.id, m.id);
                mirror.write_atomic(&path, |f| {
                    summary.bytes += client.download(&url, f)?;
                    Ok(())
                })?;
                summary.messages += 1;
            }
            for a in &m.attachments {
                let path = mirror.attachment_path(report.id, a.id);
                if !path.is_file() {
                    let url = format!("/reports/{}/attachments/{}", report.id, a.id);
                    bar.set_message(format!("attachment {}", &a.id.to_string()[..8]));
                    mirror.write_atomic(&path, |f| {
                        summary.bytes += client.download(&url, f)?;
                        Ok(())
                    })?;
                    summary.attachments += 1;
                }
            }
        }
        mirror.save_messages(report.id, &messages)?;
        if let Some(first) = messages.first() {
            mirror.pin_first(report.id, first.id)?;
        }
        let (events, bytes) = super::casefile::sync::pull(client, mirror, report.id)?;
        summary.events += events;
        summary.bytes += bytes;
        bar.inc(1);
    }
    bar.finish_and_clear();
    // What the reporter deleted, or retention purged, leaves the list but is
    // kept: the server's word alone never deletes the only copy.
    for id in gone {
        quarantine::quarantine(mirror, id, quarantine::NOT_LISTED)?;
        summary.removed += 1;
    }
    Ok(summary)
}
