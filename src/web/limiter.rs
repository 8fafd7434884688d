//! Slows down guessing of staff tokens without tracking who guesses.
//!
//! We keep no client addresses, so the limit is global: after too many failed
//! token checks in a window, every staff request waits out the window with 429.
//! Tokens have 256 bits, so this is about log noise and load, not brute force;
//! serve the staff API on its own address (VPN) so outsiders cannot reach it.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A fixed-window counter of failures.
pub struct FailureLimiter {
    window: Duration,
    max_failures: u32,
    state: Mutex<(Instant, u32)>,
}

impl FailureLimiter {
    /// Allows `max_failures` failures per `window`.
    pub fn new(max_failures: u32, window: Duration) -> Self {
        Self {
            window,
            max_failures,
            state: Mutex::new((Instant::now(), 0)),
        }
    }

    fn current(&self) -> std::sync::MutexGuard<'_, (Instant, u32)> {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if s.0.elapsed() >= self.window {
            *s = (Instant::now(), 0);
        }
        s
    }

    /// Whether a token check may run now.
    pub fn allow(&self) -> bool {
        self.current().1 < self.max_failures
    }

    /// Counts a failed check.
    pub fn record_failure(&self) {
        let mut s = self.current();
        s.1 = s.1.saturating_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_over_the_limit_block_until_the_window_ends() {
        let l = FailureLimiter::new(2, Duration::from_millis(50));
        assert!(l.allow());
        l.record_failure();
        l.record_failure();
        assert!(!l.allow());
        std::thread::sleep(Duration::from_millis(60));
        assert!(l.allow());
    }
}
