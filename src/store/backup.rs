//! Consistent backups while the server runs.
//!
//! Writers hold the store's gate shared; a backup holds it exclusively just long
//! enough to copy every tree into a fresh database and hard-link the blob files
//! (instant, and immune to later deletion), then releases it and writes a tar
//! of that snapshot. The tar unpacks into a ready data directory: ciphertext and
//! metadata only. The pepper is not in it; a restore needs the pepper too.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use super::{Store, StoreError};

impl Store {
    /// Writes a tar of a consistent snapshot to `out`; returns the reports in it.
    pub fn backup(&self, data: &Path, out: &mut dyn Write) -> Result<usize, StoreError> {
        let work = data.join(format!("backup-{}", crate::ids::ReportId::generate()));
        crate::fsutil::private_dir(&work)?;
        let result = self.snapshot_into(&work).and_then(|reports| {
            let mut tar = tar::Builder::new(out);
            let day = day_start();
            append_tree(&mut tar, Path::new("db"), &work.join("db"), day)?;
            append_tree(&mut tar, Path::new("blobs"), &work.join("blobs"), day)?;
            tar.into_inner()?.flush()?;
            Ok(reports)
        });
        let _ = fs::remove_dir_all(&work);
        result
    }

    fn snapshot_into(&self, work: &Path) -> Result<usize, StoreError> {
        let _exclusive = self.gate.write().unwrap_or_else(|p| p.into_inner());
        let copy = sled::Config::new().path(work.join("db")).open()?;
        {
            let live = self.live();
            super::compact::copy_trees(&super::trees(&live)?.db, &copy)?;
        }
        copy.flush()?;
        let reports = copy.open_tree("reports")?.len();
        drop(copy);
        let blobs = work.join("blobs");
        crate::fsutil::private_dir(&blobs)?;
        crate::fsutil::private_dir(&blobs.join("tmp"))?;
        for entry in fs::read_dir(self.blobs.dir())? {
            let entry = entry?;
            if entry.file_type()?.is_file() {
                fs::hard_link(entry.path(), blobs.join(entry.file_name()))?;
            }
        }
        Ok(reports)
    }
}

/// Midnight (UTC) of today, in Unix seconds: every entry of a backup carries
/// the day it was made, and no finer time (the files' own times would say when
/// reports arrived).
fn day_start() -> u64 {
    let now = time::OffsetDateTime::now_utc();
    u64::try_from(now.date().midnight().assume_utc().unix_timestamp()).unwrap_or(0)
}

/// Appends `dir` as `name` and everything under it, in name order, with
/// owner, mode and time normalised (the tar crate's deterministic mode, but
/// dated `mtime` rather than its fixed day in 2006).
fn append_tree(
    tar: &mut tar::Builder<&mut dyn Write>,
    name: &Path,
    dir: &Path,
    mtime: u64,
) -> io::Result<()> {
    let header = |meta: &fs::Metadata| {
        let mut h = tar::Header::new_gnu();
        h.set_metadata_in_mode(meta, tar::HeaderMode::Deterministic);
        h.set_mtime(mtime);
        h
    };
    tar.append_data(&mut header(&fs::metadata(dir)?), name, io::empty())?;
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let inner = name.join(entry.file_name());
        let meta = fs::metadata(&path)?;
        if meta.is_dir() {
            append_tree(tar, &inner, &path, mtime)?;
        } else if meta.is_file() {
            tar.append_data(&mut header(&meta), &inner, fs::File::open(&path)?)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_entries_are_dated_today_and_no_finer() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("data")).unwrap();
        let mut out: Vec<u8> = Vec::new();
        store.backup(&dir.path().join("data"), &mut out).unwrap();
        let mut archive = tar::Archive::new(&out[..]);
        let mut n = 0;
        for entry in archive.entries().unwrap() {
            let entry = entry.unwrap();
            assert_eq!(entry.header().mtime().unwrap(), day_start());
            n += 1;
        }
        assert!(n > 2);
        assert_eq!(day_start() % 86_400, 0);
    }
}
