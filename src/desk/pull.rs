//! `desk pull`: brings the mirror up to date. Incremental (message and attachment
//! files never change, so only missing ones are fetched) and resumable (see
//! [`super::mirror`] for why an interruption leaves a consistent mirror).

use indicatif::{ProgressBar, ProgressStyle};

use super::client::Client;
use super::mirror::Mirror;
use super::DeskError;

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
    /// Reports removed from the mirror because the server no longer has them
    /// (deleted by the reporter, or purged after retention).
    pub removed: usize,
}

/// Pulls everything new. `progress` draws a bar on stderr.
pub fn pull(client: &Client, mirror: &Mirror, progress: bool) -> Result<PullSummary, DeskError> {
    let reports = client.reports()?;
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
        bar.inc(1);
    }
    bar.finish_and_clear();
    // What the reporter deleted, or retention purged, goes from the mirror too.
    for local in mirror.reports()? {
        if !reports.iter().any(|r| r.id == local.id) {
            mirror.remove_report(local.id)?;
            summary.removed += 1;
        }
    }
    Ok(summary)
}
