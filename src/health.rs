//! What `GET /healthz` checks: room on the disk, a writable data directory and
//! a readable key directory. Names only the first thing that is wrong, never a
//! path, a count or a version: a monitor needs no more, an outsider learns less.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The first problem found, or that there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    /// Everything checked is fine.
    Ok,
    /// Less free space than the store's reserve: new reports are being refused.
    DiskBelowReserve,
    /// A file cannot be written in the data directory.
    StoreNotWritable,
    /// The key directory (or a key file in it) cannot be read.
    KeysUnreadable,
}

impl Health {
    /// The word a monitor sees.
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Ok => "ok",
            Health::DiskBelowReserve => "disk below reserve",
            Health::StoreNotWritable => "store not writable",
            Health::KeysUnreadable => "keys unreadable",
        }
    }
}

/// The directories a health check looks at, fixed at start-up.
#[derive(Debug, Clone)]
pub struct Probe {
    data: PathBuf,
    keys: PathBuf,
    reserve: u64,
}

/// The file written and removed to prove the data directory takes writes.
const PROBE_FILE: &str = "healthz.probe";

impl Probe {
    /// A probe of `data` and `keys`, warning below `reserve` free bytes.
    pub fn new(data: &Path, keys: &Path, reserve: u64) -> Self {
        Self {
            data: data.to_path_buf(),
            keys: keys.to_path_buf(),
            reserve,
        }
    }

    /// Runs the checks (blocking file system calls).
    pub fn check(&self) -> Health {
        match fs2::available_space(&self.data) {
            Ok(free) => {
                if let Some(problem) = disk_verdict(free, self.reserve) {
                    return problem;
                }
            }
            Err(_) => return Health::StoreNotWritable,
        }
        if write_probe(&self.data.join(PROBE_FILE)).is_err() {
            return Health::StoreNotWritable;
        }
        if crate::keys::load_recipients(&self.keys).is_err() {
            return Health::KeysUnreadable;
        }
        Health::Ok
    }
}

/// The verdict on free space alone.
fn disk_verdict(free: u64, reserve: u64) -> Option<Health> {
    (free < reserve).then_some(Health::DiskBelowReserve)
}

/// Writes, syncs and removes a small file: a read-only or broken file system
/// fails here rather than on the next report.
fn write_probe(path: &Path) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    file.write_all(b"ok")?;
    file.sync_all()?;
    std::fs::remove_file(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_space_under_the_reserve_is_reported_and_space_at_it_is_not() {
        assert_eq!(disk_verdict(99, 100), Some(Health::DiskBelowReserve));
        assert_eq!(disk_verdict(100, 100), None);
    }

    #[test]
    fn a_reserve_larger_than_any_disk_makes_the_probe_say_disk_below_reserve() {
        let dir = tempfile::tempdir().unwrap();
        let probe = Probe::new(dir.path(), dir.path(), u64::MAX);
        assert_eq!(probe.check(), Health::DiskBelowReserve);
    }

    #[test]
    fn the_probe_leaves_no_file_behind() {
        let dir = tempfile::tempdir().unwrap();
        let probe = Probe::new(dir.path(), &dir.path().join("no-keys"), 0);
        assert_eq!(probe.check(), Health::KeysUnreadable);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
