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
    /// Show a bundle forwarded with `tipline desk forward`, with the partner's
    /// identity: the cover sheet and the texts, escaped for the terminal.
    OpenBundle(tipline::desk::cli_forward::OpenBundleArgs),
    /// Delete closed reports past the retention period (the server does this
    /// daily by itself; this is for a stopped server or a one-off run).
    Purge {
        #[command(flatten)]
        at: DataArgs,
        /// Days after its last change a closed report is kept [default: 180].
        #[arg(long, env = "TIPLINE_RETENTION_DAYS")]
        retention_days: Option<u32>,
    },
    /// Rewrite the database so no byte of a deleted report remains and the
    /// order on disk no longer follows arrival (the server also does this daily).
    /// Works while the server runs.
    Compact {
        #[command(flatten)]
        at: DataArgs,
    },
    /// Check the configuration, keys, templates and data directory without serving.
    CheckConfig {
        /// TOML config file, as for `serve`.
        #[arg(long, env = "TIPLINE_CONFIG")]
        config: Option<PathBuf>,
        #[command(flatten)]
        settings: Box<ServeSettings>,
    },
    /// Write a consistent backup (a tar of a ready data directory, ciphertext
    /// only; not the pepper). Works while the server runs.
    Backup {
        #[command(flatten)]
        at: DataArgs,
        /// The backup file to write (must not exist).
        #[arg(long)]
        out: PathBuf,
    },
    /// Manage staff API tokens (directly when the server is stopped, through
    /// its control socket while it runs).
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Create a token for NAME; it is printed once, as the last line. Before the
    /// first start it may make the database, in a data directory named on purpose
    /// (--data, TIPLINE_DATA or the config file).
    Add {
        /// Who the token is for (1-64 characters, no control characters).
        name: String,
        #[command(flatten)]
        at: DataArgs,
    },
    /// List who holds tokens (never the tokens).
    List {
        #[command(flatten)]
        at: DataArgs,
    },
    /// Revoke every token of NAME.
    Revoke {
        /// Whose tokens.
        name: String,
        #[command(flatten)]
        at: DataArgs,
    },
}

/// Where a command finds the server's data: the same sources, in the same
/// order, as `serve` (flag, environment, config file, default).
#[derive(clap::Args)]
struct DataArgs {
    /// TOML config file, the one `serve` reads (kebab-case keys).
    #[arg(long, env = "TIPLINE_CONFIG")]
    config: Option<PathBuf>,
    /// The server's data directory [default: ./data].
    #[arg(long, env = "TIPLINE_DATA")]
    data: Option<PathBuf>,
}

impl DataArgs {
    /// The resolved settings, with `flags` (this command's own) on top.
    fn resolve(&self, flags: ServeSettings) -> Result<ServeConfig, Error> {
        let file = match &self.config {
            Some(path) => ServeSettings::from_file(path)?,
            None => ServeSettings::default(),
        };
        let flags = ServeSettings {
            data: self.data.clone(),
            ..flags
        };
        Ok(ServeConfig::resolve(flags.or(file))?)
    }
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
    #[error("{0}")]
    Usage(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = init_logging() {
        eprintln!("tipline: error: {e}");
        return ExitCode::from(2);
    }
    let desk = match cli.command {
        Command::Desk { command } => tipline::desk::cli::run(command),
        Command::OpenBundle(args) => tipline::desk::cli_forward::open_bundle(args),
        command => {
            return match run(Cli { command }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("tipline: error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    };
    match desk {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // The error may quote the server or a report: escaped like all desk output.
            let shown = tipline::desk::terminal::line(&e.to_string()).into_owned();
            eprintln!("tipline: error: {shown}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Logs go to stderr without timestamps: a time next to a route is exactly what
/// would let someone line a report up with network logs.
fn init_logging() -> Result<(), String> {
    let filter = match std::env::var("TIPLINE_LOG") {
        Ok(value) => log_filter(&value)?,
        Err(std::env::VarError::NotPresent) => tracing_subscriber::EnvFilter::new("info"),
        Err(std::env::VarError::NotUnicode(_)) => {
            return Err("TIPLINE_LOG is not valid text".into())
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .without_time()
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
    Ok(())
}

/// Levels `TIPLINE_LOG` takes.
const LOG_LEVELS: [&str; 6] = ["off", "error", "warn", "info", "debug", "trace"];

/// Parses `TIPLINE_LOG`: a level, or comma-separated `target=level` directives.
/// Anything else is refused: the filter would read an unknown word as a target
/// name and silently log nothing.
fn log_filter(value: &str) -> Result<tracing_subscriber::EnvFilter, String> {
    let refuse = || {
        format!(
            "TIPLINE_LOG={value:?} is not a log level: use one of {} (or target=level)",
            LOG_LEVELS.join(", ")
        )
    };
    for directive in value.split(',').map(str::trim) {
        let level = directive.rsplit_once('=').map_or(directive, |(_, l)| l);
        if !LOG_LEVELS.contains(&level.to_ascii_lowercase().as_str()) {
            return Err(refuse());
        }
    }
    tracing_subscriber::EnvFilter::try_new(value).map_err(|_| refuse())
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
        Command::Backup { at, out } => {
            let data = at.resolve(ServeSettings::default())?.data;
            if !tipline::store::Store::holds_database(&data) {
                return Err(
                    tipline::serve::StartError::NoDatabase(data.display().to_string()).into(),
                );
            }
            backup(&data, &out)
        }
        Command::Purge { at, retention_days } => {
            let config = at.resolve(ServeSettings {
                retention_days,
                ..ServeSettings::default()
            })?;
            let store = tipline::serve::open_existing_store(&config.data)?;
            let days = config.retention_days;
            let n = store.purge_closed(i64::from(days))?;
            if n > 0 {
                // As the server does daily: no byte of a purged report stays.
                store.compact()?;
            }
            println!("purged {n} closed report(s) older than {days} days");
            Ok(())
        }
        Command::Compact { at } => {
            let data = at.resolve(ServeSettings::default())?.data;
            let kept = match tipline::serve::open_existing_store(&data) {
                Ok(store) => {
                    // Stopped, nothing is half-written: files no message names go too.
                    store.sweep_orphans()?;
                    store.compact()?
                }
                Err(tipline::serve::StartError::Locked(_)) => {
                    tipline::control::request_compact(&data)?
                }
                Err(e) => return Err(e.into()),
            };
            println!(
                "compacted the database in {} ({kept} report(s))",
                data.display()
            );
            Ok(())
        }
        Command::CheckConfig { config, settings } => {
            let file = match config {
                Some(path) => ServeSettings::from_file(&path)?,
                None => ServeSettings::default(),
            };
            let config = ServeConfig::resolve((*settings).or(file))?;
            tipline::serve::check(&config)?;
            println!("configuration is good ({})", config.data.display());
            Ok(())
        }
        Command::Desk { .. } | Command::OpenBundle(_) => unreachable!("handled in main"),
    }
}

/// The staff commands work on the store directly when no server runs, and
/// through the running server's control socket when one holds the database:
/// revoking a stolen token needs no downtime.
fn staff(command: StaffCommand) -> Result<(), Error> {
    let at = match &command {
        StaffCommand::Add { at, .. }
        | StaffCommand::List { at }
        | StaffCommand::Revoke { at, .. } => at,
    };
    let data = at.resolve(ServeSettings::default())?.data;
    // The one exception to "no database, no command": a first token may be made
    // before the first start, in a data directory named on purpose (flag,
    // environment or config file), never in ./data by default.
    let may_create =
        matches!(command, StaffCommand::Add { .. }) && (at.data.is_some() || at.config.is_some());
    let fresh = !tipline::store::Store::holds_database(&data);
    if fresh && !may_create {
        return Err(tipline::serve::StartError::NoDatabase(data.display().to_string()).into());
    }
    let store = match tipline::store::Store::open(&data) {
        Ok(store) => Some(store),
        Err(e) if e.is_locked() => None,
        Err(e) => return Err(tipline::serve::open_store_error(&data, e).into()),
    };
    if fresh && store.is_some() {
        eprintln!("No database was in {}; made a new one.", data.display());
    }
    match command {
        StaffCommand::Add { name, .. } => {
            let name: tipline::staff_token::StaffName =
                name.parse().map_err(|e| Error::Usage(format!("{e}")))?;
            let token = tipline::staff_token::StaffToken::generate();
            match store {
                Some(store) => store.add_staff(name.as_str(), token.hash())?,
                None => tipline::control::staff_add(&data, name.as_str(), &token.hash())?,
            }
            eprintln!("Created a staff API token for '{name}'. It is shown once; store it safely:");
            println!("{}", token.reveal().as_str());
            Ok(())
        }
        StaffCommand::List { .. } => {
            let list = match store {
                Some(store) => store
                    .staff()?
                    .into_iter()
                    .map(|r| (r.name, r.created))
                    .collect(),
                None => tipline::control::staff_list(&data)?,
            };
            for (name, created) in list {
                println!("{name}\tcreated {created}");
            }
            Ok(())
        }
        StaffCommand::Revoke { name, .. } => {
            if name.chars().any(char::is_control) {
                return Err(Error::NoSuchStaff(name.escape_debug().to_string()));
            }
            let n = match store {
                Some(store) => store.revoke_staff(&name)?,
                None => tipline::control::staff_revoke(&data, &name)?,
            };
            match n {
                0 => Err(Error::NoSuchStaff(name)),
                n => {
                    println!("revoked {n} token(s) of '{name}'; the API refuses them from now on");
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
