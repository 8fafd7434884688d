//! The data directory's format version, and safe upgrades between versions.
//!
//! The version is a key in the database's `meta` tree, so a backup carries it
//! and a restore knows what it holds. A database without it was made before
//! versions were recorded, in format 1. A binary that meets an older format
//! writes a backup first (exactly as `tipline backup` does), runs each
//! migration in turn and says so; one that meets a newer format refuses in one
//! line before it writes anything.

use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::{Store, StoreError};

/// The format this binary reads and writes.
pub const CURRENT_FORMAT: u32 = 1;

/// The key under which `meta` records the format.
const FORMAT_KEY: &str = "format";

/// One step: migrates a store from format `n` to `n + 1`, in place.
pub(super) type Migration = fn(&Store) -> Result<(), StoreError>;

/// The steps from format 1 on: `MIGRATIONS[i]` takes format `i + 1` to `i + 2`.
/// A change to what is stored adds a step here and raises [`CURRENT_FORMAT`].
const MIGRATIONS: [Migration; (CURRENT_FORMAT - 1) as usize] = [];

impl Store {
    /// The format recorded in the database (format 1 when none is).
    pub fn format(&self) -> Result<u32, StoreError> {
        match self.recorded_format()? {
            None => Ok(1),
            Some(v) => v
                .as_ref()
                .try_into()
                .map(u32::from_be_bytes)
                .map_err(|_| StoreError::Corrupt("format".into())),
        }
    }

    fn recorded_format(&self) -> Result<Option<sled::IVec>, StoreError> {
        let live = self.live();
        Ok(super::trees(&live)?.meta.get(FORMAT_KEY)?)
    }

    fn set_format(&self, format: u32) -> Result<(), StoreError> {
        let live = self.live();
        let t = super::trees(&live)?;
        t.meta.insert(FORMAT_KEY, &format.to_be_bytes())?;
        t.db.flush()?;
        Ok(())
    }

    /// Called on every open: refuses a newer format, upgrades an older one,
    /// records the format of a new or unversioned database.
    pub(super) fn ensure_format(&self, data: &Path) -> Result<(), StoreError> {
        let upgraded = self.upgrade_with(data, CURRENT_FORMAT, &MIGRATIONS)?;
        if let Some((from, backup)) = upgraded {
            tracing::info!(
                from,
                to = CURRENT_FORMAT,
                backup = %backup.display(),
                "upgraded the data format; the data as it was is in the backup"
            );
        }
        Ok(())
    }

    /// The upgrade itself, with the target and the steps as parameters so the
    /// path can be tested before a real migration exists. Returns the old
    /// format and the backup when it upgraded.
    pub(super) fn upgrade_with(
        &self,
        data: &Path,
        target: u32,
        migrations: &[Migration],
    ) -> Result<Option<(u32, PathBuf)>, StoreError> {
        let found = self.format()?;
        if found > target {
            return Err(StoreError::NewerFormat {
                found,
                supported: target,
            });
        }
        if found == target {
            if self.recorded_format()?.is_none() {
                self.set_format(target)?;
            }
            return Ok(None);
        }
        let backup = self.backup_before_upgrade(data, found)?;
        for step in found..target {
            let migrate = migrations
                .get(step as usize - 1)
                .ok_or_else(|| StoreError::Corrupt(format!("no migration from format {step}")))?;
            migrate(self)?;
            self.set_format(step + 1)?;
        }
        Ok(Some((found, backup)))
    }

    /// Writes `DATA/upgrade-backups/before-format-N-DAY.tar`, as `tipline
    /// backup` would; an existing file of that name is never overwritten.
    fn backup_before_upgrade(&self, data: &Path, found: u32) -> Result<PathBuf, StoreError> {
        let dir = data.join("upgrade-backups");
        crate::fsutil::private_dir(&dir)?;
        let name = format!("before-format-{found}-{}", crate::day::today());
        let mut path = dir.join(format!("{name}.tar"));
        let mut n = 1;
        while path.exists() {
            n += 1;
            path = dir.join(format!("{name}-{n}.tar"));
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        self.backup(data, &mut file)?;
        file.sync_all()?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The meta tree, for looking behind the format functions.
    fn meta(store: &Store) -> sled::Tree {
        super::super::trees(&store.live()).unwrap().meta.clone()
    }

    fn legacy_store(dir: &Path) -> Store {
        let store = Store::open(dir).unwrap();
        store.install_salt().unwrap();
        // As a database made before formats were recorded.
        meta(&store).remove(FORMAT_KEY).unwrap();
        store
    }

    #[test]
    fn a_new_or_unversioned_database_is_recorded_as_the_current_format() {
        let dir = tempfile::tempdir().unwrap();
        let store = legacy_store(dir.path());
        assert_eq!(meta(&store).get(FORMAT_KEY).unwrap(), None);
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.format().unwrap(), CURRENT_FORMAT);
        assert!(meta(&store).get(FORMAT_KEY).unwrap().is_some());
        assert!(
            !dir.path().join("upgrade-backups").exists(),
            "no upgrade, no backup"
        );
    }

    /// sled keeps its file locked for a moment after a drop; an upgrade, a
    /// compaction and these tests all reopen at once (this flaked in CI).
    #[test]
    fn a_store_reopened_at_once_after_closing_opens() {
        let dir = tempfile::tempdir().unwrap();
        for n in 0..20u8 {
            let store = Store::open(dir.path()).unwrap();
            meta(&store).insert("n", &[n]).unwrap();
            drop(store);
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(meta(&store).get("n").unwrap().as_deref(), Some(&[19u8][..]));
    }

    #[test]
    fn a_newer_format_is_refused_in_one_line_without_changing_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store.set_format(CURRENT_FORMAT + 1).unwrap();
        drop(store);
        let Err(e) = Store::open(dir.path()) else {
            panic!("a newer format opened")
        };
        let said = e.to_string();
        assert!(matches!(e, StoreError::NewerFormat { .. }), "{said}");
        assert_eq!(said.lines().count(), 1);
        assert!(
            said.contains(&format!("format {}", CURRENT_FORMAT + 1)),
            "{said}"
        );
    }

    fn mark_migrated(store: &Store) -> Result<(), StoreError> {
        meta(store).insert("migrated", b"yes")?;
        Ok(())
    }

    #[test]
    fn an_older_format_is_backed_up_then_migrated_step_by_step() {
        let dir = tempfile::tempdir().unwrap();
        let store = legacy_store(dir.path());
        store.add_staff("anna", [7u8; 32]).unwrap();
        let before = store.staff().unwrap().len();

        let (from, backup) = store
            .upgrade_with(dir.path(), 3, &[mark_migrated, mark_migrated])
            .unwrap()
            .expect("an upgrade");
        assert_eq!(from, 1);
        assert_eq!(store.format().unwrap(), 3);
        assert_eq!(
            meta(&store).get("migrated").unwrap().as_deref(),
            Some(&b"yes"[..])
        );
        assert_eq!(store.staff().unwrap().len(), before, "nothing lost");

        // The backup is a data directory of the old format, as `tipline backup` writes.
        assert!(backup.starts_with(dir.path().join("upgrade-backups")));
        let restored = tempfile::tempdir().unwrap();
        tar::Archive::new(std::fs::File::open(&backup).unwrap())
            .unpack(restored.path())
            .unwrap();
        let old = Store::open(restored.path()).unwrap();
        assert_eq!(meta(&old).get("migrated").unwrap(), None);
        assert_eq!(old.staff().unwrap().len(), before);
    }

    #[test]
    fn a_missing_migration_stops_the_upgrade_with_the_backup_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = legacy_store(dir.path());
        assert!(store.upgrade_with(dir.path(), 2, &[]).is_err());
        assert_eq!(store.format().unwrap(), 1);
        assert_eq!(
            std::fs::read_dir(dir.path().join("upgrade-backups"))
                .unwrap()
                .count(),
            1
        );
    }
}
