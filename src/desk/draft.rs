//! The reply editor's scratch space: a fresh 0700 directory that only this user
//! can enter, in the runtime directory (`XDG_RUNTIME_DIR`, memory on most
//! systems) or, without a private one, in the mirror's own `tmp/`; never a
//! shared temporary directory such as `/tmp`. Everything in it (the draft and
//! whatever the editor left: swap and backup files) is overwritten and removed
//! after use.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::DeskError;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DeskError + '_ {
    move |e| DeskError::Io(path.display().to_string(), e)
}

/// Where the scratch directory goes: `runtime` when it is a directory no one
/// else may enter (mode 0700 or stricter), else `fallback` (the mirror's
/// private `tmp/`).
pub fn base(runtime: Option<PathBuf>, fallback: &Path) -> PathBuf {
    runtime
        .filter(|dir| {
            fs::metadata(dir)
                .map(|m| m.is_dir() && m.permissions().mode() & 0o077 == 0)
                .unwrap_or(false)
        })
        .unwrap_or_else(|| fallback.to_path_buf())
}

/// A private directory holding one draft file, wiped when dropped.
pub struct Draft {
    dir: PathBuf,
    file: PathBuf,
}

impl Draft {
    /// Creates a new 0700 directory under `base` (it must not exist yet, so no
    /// one can have prepared it) and in it a 0600 file holding `guide`.
    pub fn create(base: &Path, guide: &str) -> Result<Self, DeskError> {
        let dir = base.join(format!(
            "tipline-reply-{}",
            crate::ids::MessageId::generate()
        ));
        fs::DirBuilder::new()
            .mode(0o700)
            .create(&dir)
            .map_err(io(&dir))?;
        let draft = Self {
            file: dir.join("reply.txt"),
            dir,
        };
        crate::fsutil::write_new_private(&draft.file, guide.as_bytes()).map_err(io(&draft.file))?;
        Ok(draft)
    }

    /// The draft file, for the editor.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The draft's text as the editor left it.
    pub fn read(&self) -> Result<String, DeskError> {
        fs::read_to_string(&self.file).map_err(io(&self.file))
    }
}

/// Overwrites a file with zeros before it is removed, so its blocks do not keep
/// the reply (best effort: journalling and flash may keep old copies).
fn wipe_file(path: &Path) {
    if let Ok(len) = fs::metadata(path).map(|m| m.len()) {
        if let Ok(mut f) = fs::OpenOptions::new().write(true).open(path) {
            let zeros = vec![0u8; 64 * 1024];
            let mut left = len;
            while left > 0 {
                let n = left.min(zeros.len() as u64) as usize;
                if f.write_all(&zeros[..n]).is_err() {
                    break;
                }
                left -= n as u64;
            }
            let _ = f.sync_all();
        }
    }
    let _ = fs::remove_file(path);
}

impl Drop for Draft {
    fn drop(&mut self) {
        if let Ok(entries) = fs::read_dir(&self.dir) {
            for entry in entries.flatten() {
                let path = entry.path();
                match entry.file_type() {
                    Ok(t) if t.is_dir() => {
                        let _ = fs::remove_dir_all(&path);
                    }
                    Ok(t) if t.is_file() => wipe_file(&path),
                    _ => {
                        let _ = fs::remove_file(&path);
                    }
                }
            }
        }
        let _ = fs::remove_dir(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_or_missing_runtime_directory_is_never_used_for_the_draft() {
        let root = tempfile::tempdir().unwrap();
        let shared = root.path().join("shared");
        let private = root.path().join("private");
        let mirror_tmp = root.path().join("mirror-tmp");
        for (d, mode) in [(&shared, 0o1777), (&private, 0o700)] {
            fs::create_dir(d).unwrap();
            fs::set_permissions(d, fs::Permissions::from_mode(mode)).unwrap();
        }
        assert_eq!(base(Some(shared), &mirror_tmp), mirror_tmp);
        assert_eq!(base(None, &mirror_tmp), mirror_tmp);
        assert_eq!(
            base(Some(root.path().join("nope")), &mirror_tmp),
            mirror_tmp
        );
        assert_eq!(base(Some(private.clone()), &mirror_tmp), private);
    }

    #[test]
    fn the_draft_lives_in_a_private_directory_that_is_gone_after_use() {
        let root = tempfile::tempdir().unwrap();
        let draft = Draft::create(root.path(), "# guide\n").unwrap();
        let dir = draft.file().parent().unwrap().to_path_buf();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(draft.file()), 0o600);
        // What an editor leaves behind goes too.
        fs::write(dir.join(".reply.txt.swp"), "Antwoord").unwrap();
        fs::write(draft.file(), "Antwoord aan de melder").unwrap();
        assert_eq!(draft.read().unwrap(), "Antwoord aan de melder");
        drop(draft);
        assert!(!dir.exists());
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 0);
    }
}
