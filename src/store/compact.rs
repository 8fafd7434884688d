//! Compaction: the database rewritten into a fresh one, so that deleted reports
//! leave no bytes behind and the physical order of records follows their random
//! keys instead of their arrival.
//!
//! sled's log is append-only: a deleted report's ciphertext stays in `db/` and the
//! byte offsets of records follow the order they were written. A compaction copies
//! every tree, in key order, into `DATA/db.next`, flushes it, and swaps it in:
//!
//! 1. `db.next` is written and flushed (a crash here: `db.next` is removed on start);
//! 2. the marker `compact.swap` is written and synced: from here on, `db.next` is
//!    complete and the swap only goes forward;
//! 3. `db` becomes `db.old`, `db.next` becomes `db`, the directory is synced;
//! 4. the marker is removed, then `db.old`.
//!
//! [`finish_interrupted`] runs at every open and completes steps 3 and 4 when the
//! marker is there, or removes a half-written `db.next` when it is not; so a
//! kill -9 at any point leaves either the old or the new database, never neither.
//! Writers wait on the store's gate for the whole copy, so nothing that arrives
//! during a compaction is lost; it lands in the new database.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use fs2::FileExt;

use super::{trees, Store, StoreError, Trees};

/// The live database.
const DB: &str = "db";
/// The compacted copy being written, or complete once the marker exists.
const NEXT: &str = "db.next";
/// The database being replaced.
const OLD: &str = "db.old";
/// Present from the moment `db.next` is complete until the swap is done.
const MARKER: &str = "compact.swap";
/// The lock file: one process per data directory.
const LOCK: &str = "lock";
/// The name sled gives its default tree.
const DEFAULT_TREE: &[u8] = b"__sled__default";

/// Locks `DATA/lock` for as long as the returned file lives.
pub(super) fn lock_data_dir(data: &Path) -> Result<File, StoreError> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(data.join(LOCK))?;
    match file.try_lock_exclusive() {
        Ok(()) => {
            crate::fsutil::stamp_day(&data.join(LOCK))?;
            Ok(file)
        }
        Err(e) if e.kind() == fs2::lock_contended_error().kind() => Err(StoreError::Locked),
        Err(e) => Err(e.into()),
    }
}

/// Whether `data` holds a database (or a compaction that will become one).
pub(super) fn holds_database(data: &Path) -> bool {
    let complete = |dir: &str| data.join(dir).join("conf").is_file();
    complete(DB) || (data.join(MARKER).is_file() && (complete(NEXT) || complete(OLD)))
}

/// Completes or rolls back a compaction that a crash interrupted. Called with
/// the data directory locked, before the database is opened.
pub(super) fn finish_interrupted(data: &Path) -> Result<(), StoreError> {
    if data.join(MARKER).is_file() {
        if data.join(NEXT).is_dir() {
            if data.join(DB).is_dir() {
                remove_dir_if_present(&data.join(OLD))?;
                fs::rename(data.join(DB), data.join(OLD))?;
                sync_dir(data)?;
            }
            test_pause("old-moved");
            fs::rename(data.join(NEXT), data.join(DB))?;
            sync_dir(data)?;
        }
        fs::remove_file(data.join(MARKER))?;
        sync_dir(data)?;
    }
    // Without the marker, db.next is unfinished and db.old already replaced.
    remove_dir_if_present(&data.join(NEXT))?;
    remove_dir_if_present(&data.join(OLD))?;
    Ok(())
}

/// Copies every tree of `from` into `to`, in key order.
pub(super) fn copy_trees(from: &sled::Db, to: &sled::Db) -> Result<(), StoreError> {
    for name in from.tree_names() {
        let (source, target) = if name == DEFAULT_TREE {
            ((**from).clone(), (**to).clone())
        } else {
            (from.open_tree(&name)?, to.open_tree(&name)?)
        };
        for item in source.iter() {
            let (k, v) = item?;
            target.insert(k, v)?;
        }
    }
    Ok(())
}

impl Store {
    /// Rewrites the database into a fresh one and swaps it in (see the module
    /// docs); then gives every file the day's time again. Returns the reports kept.
    pub fn compact(&self) -> Result<usize, StoreError> {
        let _exclusive = self.gate.write().unwrap_or_else(|p| p.into_inner());
        let next = self.dir.join(NEXT);
        remove_dir_if_present(&next)?;
        remove_dir_if_present(&self.dir.join(OLD))?;
        // The copy needs about as much room as the database; never let it eat
        // the reserve that keeps the live database writable.
        let free = fs2::available_space(&self.dir)?;
        if free < dir_size(&self.dir.join(DB))? + Self::DISK_RESERVE {
            return Err(StoreError::DiskFull(free));
        }
        let copied = (|| {
            let live = self.live();
            let t = trees(&live)?;
            let fresh = sled::Config::new()
                .path(&next)
                .cache_capacity(16 * 1024 * 1024)
                .open()?;
            copy_trees(&t.db, &fresh)?;
            fresh.flush()?;
            Ok::<_, StoreError>(fresh.open_tree("reports")?.len())
        })();
        let reports = match copied {
            Ok(n) => n,
            Err(e) => {
                let _ = remove_dir_if_present(&next);
                return Err(e);
            }
        };
        crate::fsutil::tighten_tree(&next)?;
        // sled syncs its files; their names must be on disk too before the marker.
        sync_dir(&next)?;
        test_pause("copied");
        write_marker(&self.dir)?;
        test_pause("marked");
        let mut slot = self.live.write().unwrap_or_else(|p| p.into_inner());
        // Close the old database before its directory moves.
        drop(slot.take());
        let swapped = finish_interrupted(&self.dir);
        // Reopen whatever `db` is now; if the swap failed half-way, a restart
        // finishes it, and until then the store answers `Closed`.
        if swapped.is_ok() {
            *slot = Some(Trees::open(&self.dir.join(DB))?);
        }
        drop(slot);
        swapped?;
        crate::fsutil::stamp_tree(&self.dir.join(DB))?;
        crate::fsutil::stamp_tree(self.blobs.dir())?;
        Ok(reports)
    }
}

fn write_marker(data: &Path) -> io::Result<()> {
    let mut f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(data.join(MARKER))?;
    f.write_all(b"db.next is complete; swap it in\n")?;
    f.sync_all()?;
    sync_dir(data)
}

/// Bytes of the files under `dir`.
fn dir_size(dir: &Path) -> io::Result<u64> {
    let mut total = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        total += match entry.file_type()?.is_dir() {
            true => dir_size(&entry.path())?,
            false => entry.metadata()?.len(),
        };
    }
    Ok(total)
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

fn remove_dir_if_present(dir: &Path) -> io::Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Test hook, for the crash tests only: with `TIPLINE_TEST_COMPACT_PAUSE` set to
/// `STAGE` or `STAGE:SECONDS`, the compaction says so on stderr and waits there
/// (30 s unless given), so a test can kill it at exactly that point or send a
/// report meanwhile. It only delays; it changes nothing.
fn test_pause(stage: &str) {
    let Ok(value) = std::env::var("TIPLINE_TEST_COMPACT_PAUSE") else {
        return;
    };
    let (name, secs) = value.split_once(':').unwrap_or((value.as_str(), "30"));
    if name == stage {
        eprintln!("compaction paused at {stage} (test hook)");
        let secs = secs.parse().unwrap_or(30).min(60);
        std::thread::sleep(std::time::Duration::from_secs(secs));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in database directory: sled's `conf` and a file saying which it is.
    fn fake_db(data: &Path, name: &str, which: &str) {
        fs::create_dir_all(data.join(name)).unwrap();
        fs::write(data.join(name).join("conf"), "").unwrap();
        fs::write(data.join(name).join("which"), which).unwrap();
    }

    fn live_db(data: &Path) -> String {
        fs::read_to_string(data.join(DB).join("which")).unwrap()
    }

    fn marked(data: &Path) {
        fs::write(data.join(MARKER), "").unwrap();
    }

    #[test]
    fn an_interrupted_swap_rolls_back_before_the_marker_and_goes_forward_after_it() {
        // Killed while copying or before the marker: the old database stays.
        let d = tempfile::tempdir().unwrap();
        fake_db(d.path(), DB, "old");
        fake_db(d.path(), NEXT, "new");
        finish_interrupted(d.path()).unwrap();
        assert_eq!(live_db(d.path()), "old");

        // Marked, nothing moved yet.
        let d = tempfile::tempdir().unwrap();
        fake_db(d.path(), DB, "old");
        fake_db(d.path(), NEXT, "new");
        marked(d.path());
        finish_interrupted(d.path()).unwrap();
        assert_eq!(live_db(d.path()), "new");

        // Marked, the old one moved aside: no `db` at all, yet a database is there.
        let d = tempfile::tempdir().unwrap();
        fake_db(d.path(), OLD, "old");
        fake_db(d.path(), NEXT, "new");
        marked(d.path());
        assert!(holds_database(d.path()));
        finish_interrupted(d.path()).unwrap();
        assert_eq!(live_db(d.path()), "new");

        // Marked, both moved: only the clean-up was missing.
        let d = tempfile::tempdir().unwrap();
        fake_db(d.path(), OLD, "old");
        fake_db(d.path(), DB, "new");
        marked(d.path());
        finish_interrupted(d.path()).unwrap();
        assert_eq!(live_db(d.path()), "new");

        for leftover in [NEXT, OLD, MARKER] {
            assert!(!d.path().join(leftover).exists(), "{leftover}");
        }
    }

    #[test]
    fn an_empty_directory_holds_no_database() {
        let d = tempfile::tempdir().unwrap();
        assert!(!holds_database(d.path()));
        assert!(!holds_database(&d.path().join("missing")));
    }
}
