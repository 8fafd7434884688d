//! A bounded pool for the memory-hard key derivation.
//!
//! Argon2id is what makes a report or a check-in cost something, so it must never
//! run on an async worker and never pile up without limit. Each pool has as many
//! permits as the machine has cores and a bounded waiting line; past that, the
//! caller gets `Busy` at once and shows a "try again in a minute" page. Reports and
//! check-ins use separate pools, so a flood of guessed codes cannot starve reports.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::receipt::{DeriveError, Deriver, ReceiptCode, ReporterKeys};

/// Why a derivation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum KdfError {
    /// The pool and its waiting line are full, or the wait took too long.
    #[error("key derivation pool is busy")]
    Busy,
    /// The derivation itself failed (configuration).
    #[error(transparent)]
    Derive(#[from] DeriveError),
    /// The blocking task died.
    #[error("key derivation task failed")]
    Join,
}

/// One bounded pool.
#[derive(Clone)]
pub struct KdfPool {
    deriver: Arc<Deriver>,
    permits: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
    max_wait: Duration,
}

/// Decrements the waiting count however the wait ends.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl KdfPool {
    /// A pool running at most `workers` derivations at once, with at most
    /// `max_waiting` callers waiting up to `max_wait` each.
    pub fn new(
        deriver: Arc<Deriver>,
        workers: usize,
        max_waiting: usize,
        max_wait: Duration,
    ) -> Self {
        Self {
            deriver,
            permits: Arc::new(Semaphore::new(workers.max(1))),
            waiting: Arc::new(AtomicUsize::new(0)),
            max_waiting,
            max_wait,
        }
    }

    /// Derives the keys for `code` on a blocking thread.
    pub async fn derive(&self, code: ReceiptCode) -> Result<ReporterKeys, KdfError> {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(KdfError::Busy);
                }
                let _waiting = Waiting(&self.waiting);
                tokio::time::timeout(self.max_wait, self.permits.clone().acquire_owned())
                    .await
                    .map_err(|_| KdfError::Busy)?
                    .map_err(|_| KdfError::Busy)?
            }
        };
        let deriver = self.deriver.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            deriver.derive(&code)
        })
        .await
        .map_err(|_| KdfError::Join)?
        .map_err(KdfError::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::receipt::KdfCost;

    fn pool(workers: usize, queue: usize) -> KdfPool {
        let deriver = Deriver::new(
            KdfCost {
                memory_kib: 8 * 1024,
                iterations: 2,
                parallelism: 1,
            },
            [1u8; 16],
            zeroize::Zeroizing::new([2u8; 32]),
        )
        .unwrap();
        KdfPool::new(Arc::new(deriver), workers, queue, Duration::from_secs(10))
    }

    #[test]
    fn callers_past_the_workers_and_the_queue_are_told_busy_at_once() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let pool = pool(1, 1);
        let results = rt.block_on(async {
            let calls: Vec<_> = (0..6)
                .map(|_| {
                    let p = pool.clone();
                    tokio::spawn(async move { p.derive(ReceiptCode::generate()).await })
                })
                .collect();
            let mut out = Vec::new();
            for c in calls {
                out.push(c.await.unwrap());
            }
            out
        });
        let busy = results
            .iter()
            .filter(|r| matches!(r, Err(KdfError::Busy)))
            .count();
        let done = results.iter().filter(|r| r.is_ok()).count();
        assert!(
            (1..=2).contains(&done),
            "one running and one queued at most: {done}"
        );
        assert_eq!(busy + done, 6);
    }

    #[test]
    fn a_free_worker_is_used_even_with_no_queue() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        assert!(rt
            .block_on(pool(1, 0).derive(ReceiptCode::generate()))
            .is_ok());
    }
}
