//! The local control socket: how a command reaches the running server's
//! database, which only one process may open. It lives at `DATA/control.sock`
//! inside the 0700 data directory, so only the service account can connect.
//! Commands, one line each, answered with `OK <length>\n` and exactly that
//! many bytes, or `ERR <reason>\n`:
//! - `backup`: a tar of a consistent snapshot;
//! - `staff-add <token hash, hex> <name>`: the token itself never crosses the
//!   socket (the command makes it and sends only its hash);
//! - `compact`: rewrites the database; answers how many reports it kept;
//! - `staff-list`: `name<TAB>created` lines;
//! - `staff-revoke <name>`: how many tokens were revoked.

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
        .take(MAX_LINE)
        .read_line(&mut line)?;
    let mut out = std::io::BufWriter::new(stream);
    let (command, arg) = line.trim().split_once(' ').unwrap_or((line.trim(), ""));
    match command {
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
                let answer = n.to_string();
                writeln!(out, "OK {}", answer.len())?;
                out.write_all(answer.as_bytes())?;
            }
            Err(e) => writeln!(out, "ERR {e}")?,
        },
        "staff-add" | "staff-list" | "staff-revoke" => match staff(store, command, arg) {
            Ok(answer) => {
                writeln!(out, "OK {}", answer.len())?;
                out.write_all(answer.as_bytes())?;
            }
            Err(e) => writeln!(out, "ERR {e}")?,
        },
        _ => writeln!(out, "ERR unknown command")?,
    }
    out.flush()
}

/// Longest command line: a token hash and the longest staff name fit.
const MAX_LINE: u64 = 512;

/// Carries out a staff command against the open store.
fn staff(store: &Store, command: &str, arg: &str) -> Result<String, String> {
    use crate::staff_token::StaffName;
    match command {
        "staff-add" => {
            let (hash, name) = arg.split_once(' ').ok_or("usage: staff-add HASH NAME")?;
            let mut token_hash = [0u8; 32];
            hex::decode_to_slice(hash, &mut token_hash).map_err(|_| "bad token hash")?;
            let name: StaffName = name.parse().map_err(|e| format!("{e}"))?;
            store
                .add_staff(name.as_str(), token_hash)
                .map_err(|e| e.to_string())?;
            tracing::info!(staff = %name, "staff token added");
            Ok(String::new())
        }
        "staff-list" => Ok(store
            .staff()
            .map_err(|e| e.to_string())?
            .iter()
            .map(|r| format!("{}\t{}\n", r.name, r.created))
            .collect()),
        _ => {
            let n = store.revoke_staff(arg.trim()).map_err(|e| e.to_string())?;
            if n > 0 {
                tracing::info!(staff = arg.trim(), tokens = n, "staff tokens revoked");
            }
            Ok(n.to_string())
        }
    }
}

/// Adds a staff token (by its hash) through the running server.
pub fn staff_add(data: &Path, name: &str, token_hash: &[u8; 32]) -> Result<(), ControlError> {
    ask(
        data,
        &format!("staff-add {} {name}", hex::encode(token_hash)),
    )?;
    Ok(())
}

/// Lists staff through the running server: `(name, created)` pairs.
pub fn staff_list(data: &Path) -> Result<Vec<(String, String)>, ControlError> {
    let text = String::from_utf8_lossy(&ask(data, "staff-list")?).into_owned();
    Ok(text
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(n, c)| (n.to_string(), c.to_string()))
        .collect())
}

/// Revokes every token of `name` through the running server; returns how many.
pub fn staff_revoke(data: &Path, name: &str) -> Result<usize, ControlError> {
    let answer = ask(data, &format!("staff-revoke {name}"))?;
    String::from_utf8_lossy(&answer)
        .trim()
        .parse()
        .map_err(|_| ControlError::Server("an unreadable answer".into()))
}

/// Sends one command with a short answer (at most 1 MiB) and returns it.
fn ask(data: &Path, command: &str) -> Result<Vec<u8>, ControlError> {
    let mut answer = Vec::new();
    let (reader, len) = send(data, command)?;
    if len > 1024 * 1024 {
        return Err(ControlError::Server("an oversized answer".into()));
    }
    let name = socket_path(data).display().to_string();
    reader
        .take(len)
        .read_to_end(&mut answer)
        .map_err(|e| ControlError::Io(name, e))?;
    Ok(answer)
}

/// Connects, sends `command` and reads the status line; returns the reader
/// positioned at the answer and the answer's announced length.
fn send(data: &Path, command: &str) -> Result<(BufReader<UnixStream>, u64), ControlError> {
    let path = socket_path(data);
    let name = path.display().to_string();
    let io = |e| ControlError::Io(name.clone(), e);
    let mut stream = UnixStream::connect(&path).map_err(io)?;
    stream
        .write_all(format!("{command}\n").as_bytes())
        .map_err(io)?;
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).map_err(io)?;
    match status.trim().strip_prefix("OK ").map(str::parse) {
        Some(Ok(len)) => Ok((reader, len)),
        _ => Err(ControlError::Server(
            status.trim().trim_start_matches("ERR ").to_string(),
        )),
    }
}

/// Asks the running server for a backup; copies the tar into `out`.
pub fn request_backup(data: &Path, out: &mut dyn Write) -> Result<u64, ControlError> {
    let name = socket_path(data).display().to_string();
    let io = |e| ControlError::Io(name.clone(), e);
    let (reader, len) = send(data, "backup")?;
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
    String::from_utf8_lossy(&ask(data, "compact")?)
        .trim()
        .parse()
        .map_err(|_| ControlError::Server("an unreadable answer".into()))
}
