//! Attachment files: each an age file under `blobs/`, written to `blobs/tmp/`
//! first and renamed into place only when complete, so a crash or an aborted
//! upload never leaves a half file where a reader would find it.
//!
//! The disk budget is charged as bytes are written, before they reach the disk,
//! so concurrent uploads together can never pass it; an upload that fails or is
//! dropped gives its charge back.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::ids::AttachmentId;

#[derive(Clone)]
pub(super) struct Blobs {
    dir: PathBuf,
    tmp: PathBuf,
    /// Bytes of all committed blob files and of those being written (for the
    /// disk budget).
    used: Arc<AtomicU64>,
}

/// How often, in bytes written, an upload checks the free space on the disk.
const FREE_SPACE_CHECK_EVERY: u64 = 8 * 1024 * 1024;

fn total_size(dir: &Path) -> io::Result<u64> {
    let mut total = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            total += entry.metadata()?.len();
        }
    }
    Ok(total)
}

impl Blobs {
    pub(super) fn open(dir: &Path) -> io::Result<Self> {
        let tmp = dir.join("tmp");
        crate::fsutil::private_dir(dir)?;
        crate::fsutil::private_dir(&tmp)?;
        Ok(Self {
            used: Arc::new(AtomicU64::new(total_size(dir)?)),
            dir: dir.to_path_buf(),
            tmp,
        })
    }

    /// A new pending blob that may bring the total to at most `budget` bytes
    /// and stops when fewer than `reserve` bytes are free on the disk.
    pub(super) fn begin(&self, budget: u64, reserve: u64) -> io::Result<PendingBlob> {
        let name = format!("{}.part", AttachmentId::generate());
        let path = self.tmp.join(name);
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        Ok(PendingBlob {
            file: Some(file),
            tmp_path: path,
            dir: self.dir.clone(),
            written: 0,
            used: self.used.clone(),
            budget,
            reserve,
            next_space_check: 0,
        })
    }

    pub(super) fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, id: AttachmentId) -> PathBuf {
        self.dir.join(id.to_string())
    }

    pub(super) fn open_file(&self, id: AttachmentId) -> io::Result<Option<File>> {
        // O_NOATIME: a staff download must not put its time on the file. The
        // kernel allows it to the file's owner only (a restore by another
        // account may own them): then the file is opened plainly.
        let path = self.path(id);
        let opened = match OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOATIME)
            .open(&path)
        {
            Err(e) if e.raw_os_error() == Some(libc::EPERM) => File::open(&path),
            other => other,
        };
        match opened {
            Ok(f) => Ok(Some(f)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub(super) fn remove(&self, id: AttachmentId) {
        let path = self.path(id);
        let len = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        if fs::remove_file(&path).is_ok() {
            let _ = self
                .used
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |used| {
                    Some(used.saturating_sub(len))
                });
            let _ = crate::fsutil::stamp_day(&self.dir);
        }
    }

    pub(super) fn used(&self) -> u64 {
        self.used.load(Ordering::SeqCst)
    }

    /// Removes every temporary file and every blob `keep` does not claim.
    pub(super) fn sweep(&self, keep: impl Fn(AttachmentId) -> bool) -> io::Result<usize> {
        let mut removed = 0;
        for entry in fs::read_dir(&self.tmp)? {
            fs::remove_file(entry?.path())?;
            removed += 1;
        }
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            if !entry.file_type()?.is_file() {
                continue;
            }
            let keep_it = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<AttachmentId>().ok())
                .is_some_and(&keep);
            if !keep_it {
                fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        self.used.store(total_size(&self.dir)?, Ordering::SeqCst);
        Ok(removed)
    }
}

/// An attachment being written. Dropped without `commit`, it deletes itself.
pub struct PendingBlob {
    file: Option<File>,
    tmp_path: PathBuf,
    dir: PathBuf,
    written: u64,
    used: Arc<AtomicU64>,
    budget: u64,
    reserve: u64,
    next_space_check: u64,
}

/// The error a write gets when the budget or the disk is spent.
fn storage_full(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::StorageFull, what.to_string())
}

impl PendingBlob {
    /// Charges `n` bytes to the budget, or refuses if that would pass it.
    fn charge(&self, n: u64) -> io::Result<()> {
        self.used
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |used| {
                used.checked_add(n).filter(|total| *total <= self.budget)
            })
            .map(|_| ())
            .map_err(|_| storage_full("the attachment budget is spent"))
    }

    /// Gives back `n` charged bytes.
    fn refund(&self, n: u64) {
        let _ = self
            .used
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |used| {
                Some(used.saturating_sub(n))
            });
    }

    /// Bytes written so far (ciphertext).
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Appends random bytes up to the Padmé bucket of what was written, so the
    /// file size says little; returns the unpadded length.
    pub fn pad(&mut self) -> io::Result<u64> {
        let real = self.written;
        let mut missing = crate::envelope::padme(real as usize) as u64 - real;
        let mut buf = [0u8; 8192];
        while missing > 0 {
            let n = missing.min(buf.len() as u64) as usize;
            rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut buf[..n]);
            self.write_all(&buf[..n])?;
            missing -= n as u64;
        }
        Ok(real)
    }

    /// Syncs the file and moves it into place under `id`.
    pub fn commit(mut self, id: AttachmentId) -> io::Result<()> {
        let file = self
            .file
            .take()
            .ok_or_else(|| io::Error::other("blob already committed"))?;
        file.sync_all()?;
        drop(file);
        let path = self.dir.join(id.to_string());
        if let Err(e) = fs::rename(&self.tmp_path, &path) {
            let _ = fs::remove_file(&self.tmp_path);
            self.refund(self.written);
            return Err(e);
        }
        // The bytes stay charged: they are now a stored file.
        // After the rename: the file and both directories lose the time of arrival.
        crate::fsutil::stamp_day(&path)?;
        crate::fsutil::stamp_day(&self.dir.join("tmp"))?;
        crate::fsutil::stamp_day(&self.dir)?;
        File::open(&self.dir)?.sync_all()?;
        Ok(())
    }
}

impl Write for PendingBlob {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.file.is_none() {
            return Err(io::Error::other("blob already committed"));
        }
        if self.written >= self.next_space_check {
            if fs2::available_space(&self.dir)? < self.reserve {
                return Err(storage_full("the disk is nearly full"));
            }
            self.next_space_check = self.written + FREE_SPACE_CHECK_EVERY;
        }
        let want = buf.len() as u64;
        self.charge(want)?;
        let result = match self.file.as_mut() {
            Some(file) => file.write(buf),
            None => Err(io::Error::other("blob already committed")),
        };
        let n = match result {
            Ok(n) => n,
            Err(e) => {
                self.refund(want);
                return Err(e);
            }
        };
        self.refund(want - n as u64);
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for PendingBlob {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            if fs::remove_file(&self.tmp_path).is_ok() {
                if let Some(tmp) = self.tmp_path.parent() {
                    let _ = crate::fsutil::stamp_day(tmp);
                }
            }
            self.refund(self.written);
        }
    }
}
