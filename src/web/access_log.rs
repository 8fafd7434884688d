//! What the server says about requests. A journal or container runtime stamps
//! every line with the time, so one line per report would date every report:
//! by default the reporter's requests are only counted (route and status), and
//! the counts are logged once a day and at shutdown. `--access-log` turns
//! per-request lines back on, for debugging only. Staff API requests (no
//! reporter behind them) are always logged one by one.

use std::collections::BTreeMap;
use std::sync::Mutex;

/// Per-request lines or counts, as configured.
pub struct AccessLog {
    per_request: bool,
    counts: Mutex<BTreeMap<(String, u16), u64>>,
}

/// Whether a route pattern is the staff API's (logged one by one always).
fn is_staff_route(route: &str) -> bool {
    route.starts_with("/api/")
}

impl AccessLog {
    /// Counts only, unless `per_request`.
    pub fn new(per_request: bool) -> Self {
        Self {
            per_request,
            counts: Mutex::new(BTreeMap::new()),
        }
    }

    /// Whether every request gets its own line.
    pub fn per_request(&self) -> bool {
        self.per_request
    }

    /// Notes one answered request: method, route pattern (never the path, which
    /// may carry ids) and status.
    pub fn record(&self, method: &str, route: &str, status: u16) {
        if self.per_request || is_staff_route(route) {
            tracing::info!(target: "access", method, route, status);
            return;
        }
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        *counts
            .entry((format!("{method} {route}"), status))
            .or_default() += 1;
    }

    /// The counts since the last summary, as one line, and starts afresh;
    /// `None` when there was nothing.
    pub fn take_summary(&self) -> Option<String> {
        let counts = std::mem::take(&mut *self.counts.lock().unwrap_or_else(|p| p.into_inner()));
        if counts.is_empty() {
            return None;
        }
        let parts: Vec<String> = counts
            .iter()
            .map(|((route, status), n)| format!("{route} {status}: {n}"))
            .collect();
        Some(parts.join(", "))
    }

    /// Logs the summary line, if there is anything to say.
    pub fn log_summary(&self) {
        if let Some(counts) = self.take_summary() {
            tracing::info!(%counts, "reporter requests since the last summary");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reporter_requests_are_counted_by_route_and_status_not_logged() {
        let log = AccessLog::new(false);
        log.record("POST", "/report", 200);
        log.record("POST", "/report", 200);
        log.record("GET", "/", 200);
        log.record("POST", "/check", 503);
        assert_eq!(
            log.take_summary().as_deref(),
            Some("GET / 200: 1, POST /check 503: 1, POST /report 200: 2")
        );
        assert_eq!(log.take_summary(), None, "a summary starts afresh");
    }

    #[test]
    fn with_the_access_log_on_nothing_is_counted() {
        let log = AccessLog::new(true);
        log.record("POST", "/report", 200);
        log.record("GET", "/api/v1/reports", 200);
        assert_eq!(log.take_summary(), None);
    }
}
