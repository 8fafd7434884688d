//! Consistent backups while the server runs.
//!
//! Writers hold the store's gate shared; a backup holds it exclusively just long
//! enough to copy every tree into a fresh database and hard-link the blob files
//! (instant, and immune to later deletion), then releases it and writes a tar
//! of that snapshot. The tar unpacks into a ready data directory: ciphertext and
//! metadata only. The pepper is not in it; a restore needs the pepper too.

use std::fs;
use std::io::Write;
use std::path::Path;

use super::{Store, StoreError};

impl Store {
    /// Writes a tar of a consistent snapshot to `out`; returns the reports in it.
    pub fn backup(&self, data: &Path, out: &mut dyn Write) -> Result<usize, StoreError> {
        let work = data.join(format!("backup-{}", crate::ids::ReportId::generate()));
        crate::fsutil::private_dir(&work)?;
        let result = self.snapshot_into(&work).and_then(|reports| {
            let mut tar = tar::Builder::new(out);
            tar.mode(tar::HeaderMode::Deterministic);
            tar.append_dir_all("db", work.join("db"))?;
            tar.append_dir_all("blobs", work.join("blobs"))?;
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
