//! Files and directories that only the service account may read, and whose
//! times say no more than the day.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Creates `dir` (and parents) with mode 0700, or tightens an existing one to 0700.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
}

/// Sets every file under `dir` to 0600 and every directory to 0700.
pub fn tighten_tree(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            fs::set_permissions(&path, fs::Permissions::from_mode(0o700))?;
            tighten_tree(&path)?;
        } else {
            fs::set_permissions(&path, fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(())
}

/// Writes a new file with mode 0600; refuses to overwrite an existing one.
/// A file this call created but could not fill (disk full) is removed: half a
/// key or bundle must not pass for a whole one.
pub fn write_new_private(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    let written = f.write_all(contents).and_then(|()| f.sync_all());
    if written.is_err() {
        let _ = std::fs::remove_file(path);
    }
    written
}

/// Sets a file's (or directory's) access and modification times to today,
/// 00:00 UTC: a time of arrival on the disk would line a file up with network
/// logs. (The kernel's change time cannot be set; see SECURITY.md.)
pub fn stamp_day(path: &Path) -> io::Result<()> {
    let midnight = crate::day::midnight_unix();
    let t = filetime::FileTime::from_unix_time(midnight, 0);
    match filetime::set_file_times(path, t, t) {
        // A socket cannot be opened; stamp it by path (it is no symlink).
        Err(e) if e.raw_os_error() == Some(libc::ENXIO) => {
            filetime::set_symlink_file_times(path, t, t)
        }
        done => done,
    }
}

/// [`stamp_day`] for every file and directory under `dir`, and `dir` itself. A
/// file removed meanwhile (a finished upload's temporary file) is skipped.
pub fn stamp_tree(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let stamped = match entry.file_type()?.is_dir() {
            true => stamp_tree(&entry.path()),
            false => stamp_day(&entry.path()),
        };
        match stamped {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    stamp_day(dir)
}
