//! The local control socket: how a command reaches the running server's
//! database, which only one process may open. It lives at `DATA/control.sock`
//! inside the 0700 data directory, so only the service account can connect.
//! Two commands exist: `backup`, answered with `OK <length>\n` and a tar of
//! exactly that length, and `compact`, answered with `OK <reports>\n`; either
//! may answer `ERR <reason>\n`.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

use crate::store::Store;

/// The socket's path for a data directory.
pub fn socket_path(data: &Path) -> PathBuf {
    data.join("control.sock")
}

/// Why a control request failed.
#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    /// Connecting or talking failed.
    #[error("control socket {0}: {1}")]
    Io(String, std::io::Error),
    /// The server refused or failed.
    #[error("the server could not do it: {0}")]
    Server(String),
}

/// Starts answering on the socket in a background thread. A socket file left by
/// a killed server is replaced (we hold the database lock, so no server runs).
pub fn listen(data: &Path, store: Store) -> std::io::Result<()> {
    let path = socket_path(data);
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path)?;
    crate::fsutil::stamp_day(&path)?;
    let data = data.to_path_buf();
    std::thread::Builder::new()
        .name("control".into())
        .spawn(move || {
            for stream in listener.incoming().flatten() {
                if let Err(e) = serve_one(stream, &store, &data) {
                    tracing::error!(cause = %e, "control request failed");
                }
            }
        })?;
    Ok(())
}

fn serve_one(stream: UnixStream, store: &Store, data: &Path) -> std::io::Result<()> {
    let mut line = String::new();
    BufReader::new(stream.try_clone()?)
        .take(64)
        .read_line(&mut line)?;
    let mut out = std::io::BufWriter::new(stream);
    match line.trim() {
        "backup" => {
            // Built in a file first, so the client learns the length up front
            // and a failure is an ERR line, never a silently short tar.
            let path = data.join(format!("backup-{}.tar", crate::ids::ReportId::generate()));
            let built = std::fs::File::create(&path)
                .map_err(crate::store::StoreError::from)
                .and_then(|mut f| store.backup(data, &mut f).map(|n| (f, n)));
            let sent = match built {
                Ok((_, n)) => {
                    let len = std::fs::metadata(&path)?.len();
                    writeln!(out, "OK {len}")?;
                    std::io::copy(&mut std::fs::File::open(&path)?, &mut out)?;
                    tracing::info!(reports = n, "backup sent");
                    Ok(())
                }
                Err(e) => writeln!(out, "ERR {e}"),
            };
            let _ = std::fs::remove_file(&path);
            sent?;
        }
        "compact" => match store.compact() {
            Ok(n) => {
                tracing::info!(reports = n, "database compacted");
                writeln!(out, "OK {n}")?;
            }
            Err(e) => writeln!(out, "ERR {e}")?,
        },
        _ => writeln!(out, "ERR unknown command")?,
    }
    out.flush()
}

/// Asks the running server for a backup; copies the tar into `out`.
pub fn request_backup(data: &Path, out: &mut dyn Write) -> Result<u64, ControlError> {
    let path = socket_path(data);
    let name = path.display().to_string();
    let io = |e| ControlError::Io(name.clone(), e);
    let mut stream = UnixStream::connect(&path).map_err(io)?;
    stream.write_all(b"backup\n").map_err(io)?;
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).map_err(io)?;
    let len: u64 = match status.trim().strip_prefix("OK ").map(str::parse) {
        Some(Ok(len)) => len,
        _ => return Err(ControlError::Server(status.trim().to_string())),
    };
    let copied = std::io::copy(&mut reader.take(len), out).map_err(io)?;
    if copied != len {
        return Err(ControlError::Server(format!(
            "the backup stopped after {copied} of {len} bytes"
        )));
    }
    Ok(copied)
}

/// Asks the running server to compact its database; returns the reports kept.
pub fn request_compact(data: &Path) -> Result<usize, ControlError> {
    let path = socket_path(data);
    let name = path.display().to_string();
    let io = |e| ControlError::Io(name.clone(), e);
    let mut stream = UnixStream::connect(&path).map_err(io)?;
    stream.write_all(b"compact\n").map_err(io)?;
    let mut status = String::new();
    BufReader::new(stream).read_line(&mut status).map_err(io)?;
    match status.trim().strip_prefix("OK ").map(str::parse) {
        Some(Ok(n)) => Ok(n),
        _ => Err(ControlError::Server(status.trim().to_string())),
    }
}
