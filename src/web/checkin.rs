//! Check-in tokens: how a reporter who typed a valid code can send a follow-up
//! without typing it again and without a cookie.
//!
//! A token is 256 random bits in a hidden form field, kept only in this process's
//! memory, good for one use within a short time. A restart forgets them all: the
//! reporter then types the code again, which is the safe failure.
//!
//! The token also holds the reporter keys derived at check-in, because changing
//! the code must re-encrypt the replies to the new key, and follow-ups and code
//! changes are signed with the code-derived Ed25519 key. They live no longer
//! than the token and are wiped when the entry is dropped.
//!
//! A report holds at most [`PER_REPORT`] live tokens (a new check-in replaces the
//! oldest), so one code checked in again and again cannot fill the table for
//! everyone; expired tokens, and the keys in them, are swept on every new token
//! and by a timer, so none outlives its time by more than a minute.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::RngCore;
use zeroize::Zeroizing;

use crate::ids::ReportId;

/// What a token stands for.
pub struct Checkin {
    /// The report checked in to.
    pub report: ReportId,
    /// The reporter keys (classical and hybrid) from the code typed at check-in.
    pub identity: crate::hybrid::ReporterIdentity,
    /// The reporter's signing key from the same code.
    pub signing: ed25519_dalek::SigningKey,
    expires: Instant,
}

/// Live tokens one report may hold: the check page and one more tab.
pub const PER_REPORT: usize = 2;

/// Outstanding tokens, bounded in number and age.
pub struct Checkins {
    tokens: Mutex<HashMap<[u8; 32], Checkin>>,
    ttl: Duration,
    capacity: usize,
}

impl Checkins {
    /// Tokens live `ttl`; at most `capacity` exist at once.
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            tokens: Mutex::new(HashMap::new()),
            ttl,
            capacity,
        }
    }

    /// A new token for `report`, or `None` when the table is full of live tokens
    /// of other reports. The report's oldest token goes if it already holds
    /// [`PER_REPORT`].
    pub fn issue(
        &self,
        report: ReportId,
        identity: crate::hybrid::ReporterIdentity,
        signing: ed25519_dalek::SigningKey,
    ) -> Option<Zeroizing<String>> {
        let mut raw = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut raw);
        let now = Instant::now();
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        tokens.retain(|_, c| c.expires > now);
        let mut own: Vec<([u8; 32], Instant)> = tokens
            .iter()
            .filter(|(_, c)| c.report == report)
            .map(|(k, c)| (*k, c.expires))
            .collect();
        own.sort_by_key(|(_, expires)| *expires);
        let surplus = (own.len() + 1).saturating_sub(PER_REPORT);
        for (key, _) in own.iter().take(surplus) {
            tokens.remove(key);
        }
        if tokens.len() >= self.capacity {
            return None;
        }
        tokens.insert(
            raw,
            Checkin {
                report,
                identity,
                signing,
                expires: now + self.ttl,
            },
        );
        Some(Zeroizing::new(hex::encode(raw)))
    }

    /// Drops every expired token (and the reporter key it holds).
    pub fn sweep(&self) {
        let now = Instant::now();
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        tokens.retain(|_, c| c.expires > now);
    }

    /// Tokens held now, expired ones not yet swept included.
    pub fn len(&self) -> usize {
        self.tokens.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Whether no token is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Spends a token: the report it was for, if it is known and not expired.
    pub fn redeem(&self, token: &str) -> Option<Checkin> {
        let mut raw = [0u8; 32];
        hex::decode_to_slice(token.trim(), &mut raw).ok()?;
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        let checkin = tokens.remove(&raw)?;
        (checkin.expires > Instant::now()).then_some(checkin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> crate::hybrid::ReporterIdentity {
        crate::hybrid::ReporterIdentity::new(
            age::x25519::Identity::generate(),
            crate::hybrid::HybridIdentity::generate(),
        )
    }

    fn signing() -> ed25519_dalek::SigningKey {
        ed25519_dalek::SigningKey::from_bytes(&[3; 32])
    }

    #[test]
    fn a_token_works_once() {
        let c = Checkins::new(Duration::from_secs(60), 10);
        let id = ReportId::generate();
        let t = c.issue(id, key(), signing()).unwrap();
        assert_eq!(c.redeem(&t).map(|c| c.report), Some(id));
        assert!(c.redeem(&t).is_none());
        assert!(c.redeem("nonsense").is_none());
    }

    #[test]
    fn an_expired_token_is_refused() {
        let c = Checkins::new(Duration::from_millis(0), 10);
        let t = c.issue(ReportId::generate(), key(), signing()).unwrap();
        std::thread::sleep(Duration::from_millis(2));
        assert!(c.redeem(&t).is_none());
    }

    #[test]
    fn checking_in_again_and_again_keeps_at_most_two_tokens_per_report() {
        let c = Checkins::new(Duration::from_secs(60), 10);
        let id = ReportId::generate();
        let first = c.issue(id, key(), signing()).unwrap();
        for _ in 0..1000 {
            assert!(c.issue(id, key(), signing()).is_some());
        }
        assert_eq!(c.len(), PER_REPORT);
        assert!(c.redeem(&first).is_none(), "the oldest token was replaced");
        assert!(c.issue(ReportId::generate(), key(), signing()).is_some());
    }

    #[test]
    fn expired_tokens_are_swept_on_every_new_token_and_by_sweep() {
        let c = Checkins::new(Duration::from_millis(0), 10);
        c.issue(ReportId::generate(), key(), signing()).unwrap();
        std::thread::sleep(Duration::from_millis(2));
        c.issue(ReportId::generate(), key(), signing()).unwrap();
        assert_eq!(c.len(), 1, "the expired token went when the new one came");
        std::thread::sleep(Duration::from_millis(2));
        c.sweep();
        assert!(c.is_empty());
    }

    #[test]
    fn a_full_table_refuses_new_tokens() {
        let c = Checkins::new(Duration::from_secs(60), 2);
        assert!(c.issue(ReportId::generate(), key(), signing()).is_some());
        assert!(c.issue(ReportId::generate(), key(), signing()).is_some());
        assert!(c.issue(ReportId::generate(), key(), signing()).is_none());
    }
}
