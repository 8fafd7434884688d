//! The `tipline` command: parses arguments and calls into the library.

use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use tipline::config::{ServeConfig, ServeSettings};

/// A secure anonymous tip-line: reports are encrypted to the reporting centre on
/// arrival; the server cannot read them.
#[derive(Parser)]
#[command(name = "tipline", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a centre identity (age format) and print its public recipient.
    Keygen {
        /// Where to write the identity (mode 0600; never overwritten).
        #[arg(long)]
        out: PathBuf,
        /// Protect the identity with a passphrase (asked on the terminal, or read
        /// from the file named by TIPLINE_PASSPHRASE_FILE).
        #[arg(long)]
        passphrase: bool,
        /// A post-quantum hybrid identity (ML-KEM-768 + X25519,
        /// `AGE-SECRET-KEY-PQ-1...`, recipient `age1pq1...`). Use it for every
        /// centre key: the server refuses a mix of hybrid and classical recipients.
        #[arg(long)]
        pq: bool,
    },
    /// Run the server (reporter pages and staff API).
    Serve {
        /// TOML file with the same settings (kebab-case keys); flags and
        /// environment win over it.
        #[arg(long, env = "TIPLINE_CONFIG")]
        config: Option<PathBuf>,
        #[command(flatten)]
        settings: Box<ServeSettings>,
    },
    /// The staff workstation: pull, read, reply, push.
    Desk {
        #[command(subcommand)]
        command: tipline::desk::cli::DeskCommand,
    },
    /// Delete closed reports past the retention period (the server does this
    /// daily by itself; this is for a stopped server or a one-off run).
    Purge {
        /// The server's data directory.
        #[arg(long, env = "TIPLINE_DATA", default_value = "./data")]
        data: PathBuf,
        /// Days after its last change a closed report is kept.
        #[arg(long, env = "TIPLINE_RETENTION_DAYS", default_value_t = tipline::config::DEFAULT_RETENTION_DAYS)]
        retention_days: u32,
    },
    /// Write a consistent backup (a tar of a ready data directory, ciphertext
    /// only; not the pepper). Works while the server runs.
    Backup {
        /// The server's data directory.
        #[arg(long, env = "TIPLINE_DATA", default_value = "./data")]
        data: PathBuf,
        /// The backup file to write (must not exist).
        #[arg(long)]
        out: PathBuf,
    },
    /// Manage staff API tokens (works while the server is stopped).
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Create a token for NAME; it is printed once, as the last line.
    Add {
        /// Who the token is for.
        name: String,
        /// The server's data directory.
        #[arg(long, env = "TIPLINE_DATA", default_value = "./data")]
        data: PathBuf,
    },
    /// List who holds tokens (never the tokens).
    List {
        /// The server's data directory.
        #[arg(long, env = "TIPLINE_DATA", default_value = "./data")]
        data: PathBuf,
    },
    /// Revoke every token of NAME.
    Revoke {
        /// Whose tokens.
        name: String,
        /// The server's data directory.
        #[arg(long, env = "TIPLINE_DATA", default_value = "./data")]
        data: PathBuf,
    },
}

/// A failure of any command, said in one line.
#[derive(Debug, thiserror::Error)]
enum Error {
    #[error(transparent)]
    Keygen(#[from] tipline::keygen::KeygenError),
    #[error(transparent)]
    Config(#[from] tipline::config::ConfigError),
    #[error(transparent)]
    Start(#[from] tipline::serve::StartError),
    #[error("{0}")]
    Store(#[from] tipline::store::StoreError),
    #[error("no staff token belongs to '{0}'")]
    NoSuchStaff(String),
    #[error(transparent)]
    Control(#[from] tipline::control::ControlError),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    if let Command::Desk { command } = cli.command {
        return match tipline::desk::cli::run(command) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                // The error may quote the server or a report: escaped like all desk output.
                let shown = tipline::desk::terminal::line(&e.to_string()).into_owned();
                eprintln!("tipline: error: {shown}");
                ExitCode::from(e.exit_code())
            }
        };
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tipline: error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr without timestamps: a time next to a route is exactly what
/// would let someone line a report up with network logs.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TIPLINE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .without_time()
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
}

fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Keygen {
            out,
            passphrase,
            pq,
        } => {
            let recipient = tipline::keygen::write_identity(&out, passphrase, pq)?;
            eprintln!(
                "Wrote the identity to {}. Keep it on the staff workstation only.",
                out.display()
            );
            eprintln!(
                "Put this public recipient in the server's keys/ directory (e.g. keys/centre.pub):"
            );
            println!("{recipient}");
            Ok(())
        }
        Command::Serve { config, settings } => {
            let file = match config {
                Some(path) => ServeSettings::from_file(&path)?,
                None => ServeSettings::default(),
            };
            let config = ServeConfig::resolve((*settings).or(file))?;
            actix_web::rt::System::new().block_on(tipline::serve::run(config))?;
            Ok(())
        }
        Command::Staff { command } => staff(command),
        Command::Backup { data, out } => backup(&data, &out),
        Command::Purge {
            data,
            retention_days,
        } => {
            let store = tipline::serve::open_store(&data)?;
            let n = store.purge_closed(i64::from(retention_days))?;
            println!("purged {n} closed report(s) older than {retention_days} days");
            Ok(())
        }
        Command::Desk { .. } => unreachable!("handled in main"),
    }
}

fn staff(command: StaffCommand) -> Result<(), Error> {
    match command {
        StaffCommand::Add { name, data } => {
            let store = tipline::serve::open_store(&data)?;
            let token = tipline::staff_token::StaffToken::generate();
            store.add_staff(&name, token.hash())?;
            eprintln!("Created a staff API token for '{name}'. It is shown once; store it safely:");
            println!("{}", token.reveal().as_str());
            Ok(())
        }
        StaffCommand::List { data } => {
            let store = tipline::serve::open_store(&data)?;
            for rec in store.staff()? {
                println!("{}\tcreated {}", rec.name, rec.created);
            }
            Ok(())
        }
        StaffCommand::Revoke { name, data } => {
            let store = tipline::serve::open_store(&data)?;
            match store.revoke_staff(&name)? {
                0 => Err(Error::NoSuchStaff(name)),
                n => {
                    println!("revoked {n} token(s) of '{name}'");
                    Ok(())
                }
            }
        }
    }
}

/// Backs up through the running server, or straight from the store when no
/// server holds it. Writes to a temporary name and renames when complete.
fn backup(data: &std::path::Path, out: &std::path::Path) -> Result<(), Error> {
    let name = out.display().to_string();
    if out.exists() {
        return Err(Error::Io(
            name,
            std::io::Error::new(std::io::ErrorKind::AlreadyExists, "already exists"),
        ));
    }
    let partial = out.with_extension("partial");
    let io = |e| Error::Io(partial.display().to_string(), e);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&partial)
        .map_err(io)?;
    let result = match tipline::store::Store::open(data) {
        Ok(store) => store
            .backup(data, &mut file)
            .map(|n| format!("{n} report(s)"))
            .map_err(Error::from),
        Err(e) if e.is_locked() => tipline::control::request_backup(data, &mut file)
            .map(|bytes| format!("{bytes} bytes, from the running server"))
            .map_err(Error::from),
        Err(e) => Err(Error::from(e)),
    }
    .and_then(|what| {
        file.sync_all().map_err(io)?;
        std::fs::rename(&partial, out).map_err(|e| Error::Io(name.clone(), e))?;
        Ok(what)
    });
    match result {
        Ok(what) => {
            println!("backup written to {name} ({what}); keep the pepper file apart from it");
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}
