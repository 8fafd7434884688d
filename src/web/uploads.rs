//! Bounds on uploads: how many multipart forms may stream in at once, and a
//! small pool of blocking threads that encrypt and write their files.
//!
//! An upload waiting for its next byte holds no thread, only its socket and a
//! small buffer; only a batch ready to be written takes one of the writer
//! threads, for as long as that write lasts. So slow uploads, however many, can
//! never take the blocking threads that the key derivation and the store need.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Why a blob job did not run.
#[derive(Debug, thiserror::Error)]
#[error("the blob writer task failed")]
pub struct WriterFailed;

/// The admission bound and the writer pool, shared by every request.
#[derive(Clone)]
pub struct Uploads {
    admitted: Arc<Semaphore>,
    writers: Arc<Semaphore>,
}

impl Uploads {
    /// At most `max_in_flight` forms streaming at once, their files written by
    /// at most `writers` threads at once.
    pub fn new(max_in_flight: usize, writers: usize) -> Self {
        Self {
            admitted: Arc::new(Semaphore::new(max_in_flight.max(1))),
            writers: Arc::new(Semaphore::new(writers.max(1))),
        }
    }

    /// A place for one more form, or `None` when all are taken (the caller
    /// answers "busy" at once rather than queue).
    pub fn admit(&self) -> Option<OwnedSemaphorePermit> {
        self.admitted.clone().try_acquire_owned().ok()
    }

    /// Runs a blob write (encrypt, write, sync) on a blocking thread, waiting
    /// for a free writer first.
    pub async fn run<T, F>(&self, job: F) -> Result<T, WriterFailed>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let permit = self
            .writers
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| WriterFailed)?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            job()
        })
        .await
        .map_err(|_| WriterFailed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_past_the_bound_are_not_admitted_until_one_ends() {
        let uploads = Uploads::new(2, 1);
        let a = uploads.admit();
        let b = uploads.admit();
        assert!(a.is_some() && b.is_some());
        assert!(uploads.admit().is_none());
        drop(a);
        assert!(uploads.admit().is_some());
    }

    #[test]
    fn no_more_jobs_run_at_once_than_there_are_writers() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let uploads = Uploads::new(10, 2);
        let running = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        rt.block_on(async {
            let jobs: Vec<_> = (0..8)
                .map(|_| {
                    let (running, most) = (running.clone(), most.clone());
                    uploads.run(move || {
                        use std::sync::atomic::Ordering::SeqCst;
                        let now = running.fetch_add(1, SeqCst) + 1;
                        most.fetch_max(now, SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(20));
                        running.fetch_sub(1, SeqCst);
                    })
                })
                .collect();
            for r in futures_util::future::join_all(jobs).await {
                r.unwrap();
            }
        });
        assert!(most.load(std::sync::atomic::Ordering::SeqCst) <= 2);
    }
}
