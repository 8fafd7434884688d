//! The `tipline desk` subcommands: argument parsing and the steps of each command.

use std::io::{IsTerminal, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::client::{Client, Connection};
use super::identity::DeskIdentity;
use super::mirror::Mirror;
use super::reply::{self, CentreKeys};
use super::{outbox, pull, trust, view, DeskError};
use crate::status::Status;

/// Where the mirror is.
#[derive(Args, Debug, Clone)]
pub struct MirrorArg {
    /// The mirror directory.
    #[arg(long, env = "TIPLINE_MIRROR", default_value = "./mirror")]
    pub mirror: PathBuf,
}

/// The centre identity.
#[derive(Args, Debug, Clone)]
pub struct IdentityArg {
    /// The centre identity file (age format; may be passphrase-protected: the
    /// passphrase is asked on the terminal, or read from the file named by
    /// TIPLINE_PASSPHRASE_FILE).
    #[arg(long, env = "TIPLINE_IDENTITY")]
    pub identity: PathBuf,
}

/// How to reach the staff API.
#[derive(Args, Debug, Clone)]
pub struct ServerArgs {
    /// Base URL of the server (its staff listener).
    #[arg(long, env = "TIPLINE_SERVER")]
    pub server: Option<String>,
    /// Staff API token (prefer the environment variable: arguments show in `ps`).
    #[arg(long, env = "TIPLINE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Proxy, e.g. socks5h://127.0.0.1:9050 for a staff API on an onion service.
    #[arg(long, env = "TIPLINE_PROXY")]
    pub proxy: Option<String>,
    /// Extra CA certificate (PEM) to trust, for a server with a private
    /// certificate (the server's own must be a leaf, not a CA: see docs/tls.md).
    #[arg(long, env = "TIPLINE_CA")]
    pub ca: Option<PathBuf>,
}

impl ServerArgs {
    /// The connection, when a server was given (an error when its token is missing).
    pub(crate) fn connection(&self) -> Option<Result<Connection, DeskError>> {
        let server = self.server.clone()?;
        Some(match &self.token {
            Some(token) => Ok(Connection {
                server,
                token: token.clone(),
                proxy: self.proxy.clone(),
                ca: self.ca.clone(),
            }),
            None => Err(DeskError::Usage(
                "--server needs --token (or TIPLINE_TOKEN)".into(),
            )),
        })
    }

    fn required(&self) -> Result<Connection, DeskError> {
        self.connection().unwrap_or_else(|| {
            Err(DeskError::Usage(
                "--server is required (or TIPLINE_SERVER)".into(),
            ))
        })
    }
}

/// The desk's commands. (Flattened argument groups document their own fields;
/// a doc comment on the field itself would only clutter `--help`.)
#[allow(missing_docs)]
#[derive(Subcommand, Debug)]
pub enum DeskCommand {
    /// Bring the encrypted mirror up to date (no identity needed). Reports the
    /// server no longer lists move to the mirror's quarantine, never deleted.
    Pull {
        #[command(flatten)]
        server: ServerArgs,
        #[command(flatten)]
        mirror: MirrorArg,
        /// The trusted copy of the centre recipients to compare the server's
        /// with (default: MIRROR/keys); the server's list is never adopted.
        #[arg(long, env = "TIPLINE_KEYS")]
        keys: Option<PathBuf>,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
        /// Move reports the server no longer lists to quarantine even when they
        /// are many (more than 3, or more than a quarter of the mirror).
        #[arg(long)]
        accept_removals: bool,
    },
    /// Reports the server stopped listing, kept aside by `pull`: list them,
    /// restore one into the mirror, or purge them all for good.
    Quarantine {
        #[command(subcommand)]
        action: QuarantineAction,
    },
    /// List the reports in the mirror, flagging DANGER (someone in danger now)
    /// and kids (the children's form).
    List {
        /// The reporting point's templates directory, if it changed the
        /// questionnaire.
        #[arg(long, env = "TIPLINE_TEMPLATES")]
        templates: Option<PathBuf>,
        #[command(flatten)]
        mirror: MirrorArg,
        #[command(flatten)]
        identity: IdentityArg,
        #[command(flatten)]
        filter: Box<super::casefile::list::ListFilter>,
        #[command(flatten)]
        case: Box<super::casefile::cli::CaseView>,
    },
    /// Show one report: answers, text, attachments, the conversation, the status.
    Read {
        /// Report id (or its first characters).
        report: String,
        /// Language of the questionnaire's questions and answers.
        #[arg(long, env = "TIPLINE_DESK_LANG", default_value = "nl")]
        lang: String,
        /// The reporting point's templates directory, if it changed the
        /// questionnaire (as given to `tipline serve --templates`).
        #[arg(long, env = "TIPLINE_TEMPLATES")]
        templates: Option<PathBuf>,
        #[command(flatten)]
        mirror: MirrorArg,
        #[command(flatten)]
        identity: IdentityArg,
        #[command(flatten)]
        case: Box<super::casefile::cli::CaseView>,
    },
    /// Decrypt one attachment to a file you name. It is never opened for you.
    SaveAttachment {
        /// Report id (or its first characters).
        report: String,
        /// Attachment id (or its first characters).
        attachment: String,
        /// Where to write it (must not exist).
        #[arg(long)]
        out: PathBuf,
        /// Remove EXIF/XMP/comments (JPEG), text/eXIf chunks (PNG), comment
        /// and application extensions (GIF) and EXIF/XMP chunks (WebP): GPS
        /// location, camera, time and author can identify the reporter.
        #[arg(long)]
        strip_metadata: bool,
        #[command(flatten)]
        mirror: MirrorArg,
        #[command(flatten)]
        identity: IdentityArg,
    },
    /// Write a reply; it is queued, and sent at once with --server.
    Reply {
        /// Report id (or its first characters).
        report: String,
        /// Read the reply from this file ("-" for standard input). Without it:
        /// standard input if it is not a terminal, else $EDITOR.
        #[arg(long)]
        file: Option<PathBuf>,
        /// The workstation's trusted copy of the centre recipients (*.pub
        /// files); every reply is encrypted to all of them. Default: MIRROR/keys.
        #[arg(long, env = "TIPLINE_KEYS")]
        keys: Option<PathBuf>,
        /// Reply to a report made before reporter keys were sealed in it, taking
        /// the reporter key from the server alone.
        #[arg(long)]
        trust_server_key: bool,
        #[command(flatten)]
        mirror: MirrorArg,
        #[command(flatten)]
        identity: IdentityArg,
        #[command(flatten)]
        server: ServerArgs,
        #[command(flatten)]
        case: Box<super::casefile::cli::CaseView>,
    },
    /// Change a report's status; queued, and sent at once with --server.
    /// Without a status: list every status with what the reporter will see on
    /// /check (a safe text set in site.toml), and change nothing.
    Status {
        /// Report id (or its first characters).
        report: String,
        /// One of: received, in_progress, forwarded_care, forwarded_police,
        /// forwarded_reporting_point, advice_given, closed.
        status: Option<String>,
        /// Language of the reporter's text shown.
        #[arg(long, env = "TIPLINE_DESK_LANG", default_value = "nl")]
        lang: String,
        /// The reporting point's templates directory (as given to `tipline
        /// serve --templates`): its site.toml decides what the reporter sees.
        #[arg(long, env = "TIPLINE_TEMPLATES")]
        templates: Option<PathBuf>,
        #[command(flatten)]
        mirror: MirrorArg,
        #[command(flatten)]
        server: ServerArgs,
        /// The centre identity, to record the change in the case file (with
        /// --as, --signing-key and --team).
        #[arg(long, env = "TIPLINE_IDENTITY")]
        identity: Option<PathBuf>,
        #[command(flatten)]
        case: Box<super::casefile::cli::CaseView>,
    },
    /// Counts for statistics: by month, status and language, and by any
    /// questionnaire question named with --by (e.g. --by forms --by role), or
    /// by channel (web or phone).
    Figures {
        /// A question id to count answers of (repeatable): choice questions,
        /// and free-text ones the questionnaire marks countable (where).
        #[arg(long)]
        by: Vec<String>,
        /// The reporting point's templates directory, if it changed the
        /// questionnaire.
        #[arg(long, env = "TIPLINE_TEMPLATES")]
        templates: Option<PathBuf>,
        /// CSV instead of text.
        #[arg(long)]
        csv: bool,
        #[command(flatten)]
        mirror: MirrorArg,
        #[command(flatten)]
        identity: IdentityArg,
        /// The team roster, for --by tag and --by assignee.
        #[arg(long, env = "TIPLINE_TEAM")]
        team: Option<PathBuf>,
    },
    /// Delete a report on the server for good (a test report, a duplicate):
    /// its messages, files and code. Asks you to type the id's first 8
    /// characters unless --yes. The reason goes to the audit log in the mirror,
    /// encrypted to the centre (`desk audit` shows it); the server only counts.
    Delete {
        /// Report id (or its first characters).
        report: String,
        /// Why it is deleted (kept encrypted in the mirror's audit log).
        #[arg(long)]
        reason: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
        /// The trusted centre recipients (*.pub), else MIRROR/keys: the audit
        /// entry is encrypted to them too.
        #[arg(long, env = "TIPLINE_KEYS")]
        keys: Option<PathBuf>,
        #[command(flatten)]
        mirror: MirrorArg,
        #[command(flatten)]
        identity: IdentityArg,
        #[command(flatten)]
        server: ServerArgs,
    },
    /// Show the desk's audit log (deletions and forwards, with their reasons).
    Audit {
        #[command(flatten)]
        mirror: MirrorArg,
        #[command(flatten)]
        identity: IdentityArg,
    },
    /// Forward a case to a partner in partners.toml: one age file encrypted to
    /// the partner's recipients only (a tar with a cover sheet); the
    /// questionnaire's consent rules decide whether it may name the reporter.
    Forward(Box<super::cli_forward::ForwardArgs>),
    /// A self-contained HTML print view of a report (for a partner that takes
    /// paper). Printing puts the plaintext on paper and on the printer.
    Print(super::cli_forward::PrintArgs),
    /// Take a report by phone: the questionnaire on the terminal (or --answers
    /// FILE), submitted through the report form as a browser would; the
    /// channel and your name go only inside the encrypted report. Prints the
    /// receipt code last, after the words that explain it to the caller.
    Intake(super::cli_forward::IntakeArgs),
    /// The desk in the browser: a local web interface on this workstation,
    /// loopback only. Prints the URL to open (with a one-time key) last.
    Serve(super::web::ServeArgs),
    /// Send everything queued in the outbox. With the identity, a reply the
    /// server refuses because the reporter changed code is encrypted again.
    Push {
        #[command(flatten)]
        server: ServerArgs,
        #[command(flatten)]
        mirror: MirrorArg,
        /// The centre identity, to encrypt a reply again after a code change.
        #[arg(long, env = "TIPLINE_IDENTITY")]
        identity: Option<PathBuf>,
        /// The trusted copy of the centre recipients (default: MIRROR/keys).
        #[arg(long, env = "TIPLINE_KEYS")]
        keys: Option<PathBuf>,
        /// See `desk reply --trust-server-key`.
        #[arg(long)]
        trust_server_key: bool,
        /// With name, signing key and roster: a queued Reply case event is
        /// signed again when its reply had to be encrypted again.
        #[command(flatten)]
        case: super::casefile::cli::CaseView,
    },
    #[command(flatten)]
    Case(Box<super::casefile::cli::CaseCommand>),
}

/// What to do with the quarantine.
#[allow(missing_docs)]
#[derive(Subcommand, Debug)]
pub enum QuarantineAction {
    /// Show the quarantined reports, when and why they moved.
    List {
        #[command(flatten)]
        mirror: MirrorArg,
    },
    /// Move one back into the mirror (it moves aside again on the next pull if
    /// the server still does not list it).
    Restore {
        /// Report id (or its first characters).
        report: String,
        #[command(flatten)]
        mirror: MirrorArg,
    },
    /// Delete every quarantined report for good.
    Purge {
        #[command(flatten)]
        mirror: MirrorArg,
    },
}

impl QuarantineAction {
    fn mirror(&self) -> &MirrorArg {
        match self {
            Self::List { mirror } | Self::Restore { mirror, .. } | Self::Purge { mirror } => mirror,
        }
    }
}

/// Loads the identity, asking for its passphrase on the terminal (or from
/// TIPLINE_PASSPHRASE_FILE) when it has one.
pub(crate) fn load_identity(arg: &IdentityArg) -> Result<DeskIdentity, DeskError> {
    DeskIdentity::load(&arg.identity, || {
        crate::passphrase::ask(&format!("Passphrase for {}: ", arg.identity.display()))
            .map_err(|e| DeskError::Identity(arg.identity.display().to_string(), e.to_string()))
    })
}

/// The mirror, one report in it, and the identity to read it with.
fn open_report(
    mirror: &MirrorArg,
    report: &str,
    identity: &IdentityArg,
) -> Result<(Mirror, super::client::ApiReport, DeskIdentity), DeskError> {
    let mirror = Mirror::existing(&mirror.mirror)?;
    let report = mirror.find_report(report)?;
    let identity = load_identity(identity)?;
    Ok((mirror, report, identity))
}

/// Runs one desk command.
pub fn run(cmd: DeskCommand) -> Result<(), DeskError> {
    let stdout = std::io::stdout();
    match cmd {
        DeskCommand::Serve(args) => super::web::run(args),
        DeskCommand::Pull {
            server,
            mirror,
            keys,
            quiet,
            accept_removals,
        } => {
            let client = Client::new(&server.required()?)?;
            let mirror = Mirror::open(&mirror.mirror)?;
            let progress = !quiet && std::io::stderr().is_terminal();
            let s = pull::pull(&client, &mirror, progress, accept_removals)?;
            // Advisory only: the pull itself succeeded, so a bad answer here is a
            // warning, never a reason to lose what was pulled.
            match client.recipients() {
                Ok(Some(listed)) => {
                    let centre = CentreKeys::load(&mirror, keys.as_deref())?;
                    for warning in centre.compare(&listed) {
                        eprintln!("warning: {}", super::terminal::line(&warning));
                    }
                }
                Ok(None) => {}
                Err(e) => eprintln!(
                    "warning: could not compare the server's centre recipients with the trusted copy: {}",
                    super::terminal::line(&e.to_string())
                ),
            }
            println!(
                "pulled {} new message(s), {} attachment(s) and {} case event(s) ({} bytes); the mirror holds {} report(s)",
                s.messages, s.attachments, s.events, s.bytes, s.reports
            );
            if s.removed > 0 {
                println!(
                    "moved {} report(s) to quarantine: {}; see `tipline desk quarantine list`",
                    s.removed,
                    super::quarantine::NOT_LISTED
                );
            }
            Ok(())
        }
        DeskCommand::Quarantine { action } => {
            let mirror = Mirror::existing(&action.mirror().mirror)?;
            quarantine(&mirror, action, &mut stdout.lock())
        }
        DeskCommand::List {
            templates,
            mirror,
            identity,
            filter,
            case,
        } => {
            let lister =
                super::casefile::list::Lister::new(&filter, case.roster()?, case.as_name.clone())?;
            let content = load_content(templates.as_deref())?;
            let mirror = Mirror::existing(&mirror.mirror)?;
            let identity = load_identity(&identity)?;
            view::list(
                &mirror,
                &identity,
                &content.questionnaire,
                &lister,
                &mut stdout.lock(),
            )
        }
        DeskCommand::Read {
            report,
            lang,
            templates,
            mirror,
            identity,
            case,
        } => {
            let content = load_content(templates.as_deref())?;
            let labels = view::Labels::new(&content, &lang);
            let (mirror, report, identity) = open_report(&mirror, &report, &identity)?;
            let file = super::casefile::cli::load_case(&case, &mirror, &identity, &report)?;
            let internal = file
                .as_ref()
                .map(super::casefile::cli::timeline)
                .unwrap_or_default();
            let shown = view::read(
                &mirror,
                &identity,
                &report,
                &labels,
                &internal,
                &mut stdout.lock(),
            );
            super::casefile::cli::after_read(
                &case,
                file.as_ref(),
                &mirror,
                &identity,
                &report,
                &mut stdout.lock(),
            )?;
            shown
        }
        DeskCommand::SaveAttachment {
            report,
            attachment,
            out,
            strip_metadata,
            mirror,
            identity,
        } => {
            let (mirror, report, identity) = open_report(&mirror, &report, &identity)?;
            let (size, outcome) = save_attachment(
                &mirror,
                &identity,
                &report,
                &attachment,
                &out,
                strip_metadata,
            )?;
            let note = match outcome {
                None => "Files can carry metadata (EXIF, GPS location, camera, author) that may identify the reporter; use --strip-metadata for JPEG, PNG, GIF and WebP, and do not forward files as they are.".to_string(),
                Some(outcome) => outcome.describe(),
            };
            eprintln!("Wrote {size} bytes to {}. {note}", out.display());
            Ok(())
        }
        DeskCommand::Reply {
            report,
            file,
            keys,
            trust_server_key,
            mirror,
            identity,
            server,
            case,
        } => {
            let (mirror, report, identity) = open_report(&mirror, &report, &identity)?;
            let centre = CentreKeys::load(&mirror, keys.as_deref())?;
            // Refuse before the editor opens: a reply must go to a traced key.
            let first = trust::first_document(&mirror, &identity, &report)?;
            let reporter = trust::reply_recipient(&report, &first, trust_server_key)?;
            let text = compose(file.as_deref(), &mirror)?;
            centre.warn_if_missing(&mirror);
            let padded = crate::envelope::pad(text.into_bytes());
            let ciphertext = reply::seal(&reporter, &identity, &centre, &padded)?;
            let entry =
                outbox::queue_reply(&mirror, report.id, &ciphertext, &reporter.to_string())?;
            // The event names the file actually sent: after a 409 that is the
            // one encrypted again to the reporter's new key, not the first.
            let sha256 = std::cell::RefCell::new(entry.sha256()?);
            let reseal = |e: &outbox::Entry| {
                let client = Client::new(&server.required()?)?;
                let fresh = reply::reseal_after_code_change(
                    &client,
                    &mirror,
                    &identity,
                    &centre,
                    e,
                    trust_server_key,
                )?;
                *sha256.borrow_mut() = fresh.sha256()?;
                Ok(fresh)
            };
            // The event is recorded even if sending fails: both stay queued.
            let sent = deliver(&server, &mirror, &entry, "reply", &reseal);
            let action = super::casefile::event::Action::Reply {
                sha256: sha256.into_inner(),
            };
            let recorded = super::casefile::cli::record_after(
                &case,
                &mirror,
                Some(&identity),
                keys.as_deref(),
                &report,
                action,
                &server,
            );
            sent.and(recorded)
        }
        DeskCommand::Status {
            report,
            status,
            lang,
            templates,
            mirror,
            server,
            identity,
            case,
        } => {
            let content = load_content(templates.as_deref())?;
            let lang = content.pick_lang(Some(&lang)).to_string();
            let reporter_sees = |st: Status| content.text(&lang, &content.reporter_status_key(st));
            let mirror = Mirror::existing(&mirror.mirror)?;
            let report = mirror.find_report(&report)?;
            let Some(status) = status else {
                println!("Report {} is now: {}", report.id, report.status);
                println!("The reporter sees on /check ({lang}), per status:");
                for st in Status::ALL {
                    println!("  {:<26} {}", st.as_str(), reporter_sees(st));
                }
                return Ok(());
            };
            let status: Status = status
                .parse()
                .map_err(|e: crate::status::UnknownStatus| DeskError::Usage(e.to_string()))?;
            eprintln!("The reporter will see ({lang}): {}", reporter_sees(status));
            let entry = outbox::queue_status(&mirror, report.id, status)?;
            let sent = deliver(
                &server,
                &mirror,
                &entry,
                "status change",
                &|e: &outbox::Entry| Err(reply::needs_identity(e)),
            );
            let identity = match (&identity, case.actor()?) {
                (Some(path), Some(_)) => Some(load_identity(&IdentityArg {
                    identity: path.clone(),
                })?),
                _ => None,
            };
            let action = super::casefile::event::Action::Status { status };
            let recorded = super::casefile::cli::record_after(
                &case,
                &mirror,
                identity.as_ref(),
                None,
                &report,
                action,
                &server,
            );
            sent.and(recorded)
        }
        DeskCommand::Figures {
            by,
            templates,
            csv,
            mirror,
            identity,
            team,
        } => {
            let content = load_content(templates.as_deref())?;
            let (case_by, by): (Vec<String>, Vec<String>) = by
                .into_iter()
                .partition(|b| super::casefile::figures::DIMENSIONS.contains(&b.as_str()));
            for id in by.iter().filter(|id| *id != super::figures::CHANNEL) {
                match content.questionnaire.question(id) {
                    None => {
                        return Err(DeskError::Usage(format!(
                            "--by {id}: the questionnaire has no such question"
                        )))
                    }
                    Some(q) if !q.may_count() => {
                        return Err(DeskError::Usage(format!(
                            "--by {id}: free-text answers are not counted (they can name people)"
                        )))
                    }
                    Some(_) => {}
                }
            }
            let mirror = Mirror::existing(&mirror.mirror)?;
            let identity = load_identity(&identity)?;
            let mut unopened = view::Unopened::default();
            let mut tables = super::figures::compute(&mirror, &identity, &by, &mut unopened)?;
            if !case_by.is_empty() {
                let team = team.ok_or_else(|| {
                    DeskError::Usage(
                        "--by tag and --by assignee need --team (or TIPLINE_TEAM)".into(),
                    )
                })?;
                let roster = super::casefile::signing::Roster::load(&team)?;
                let case_by: Vec<&str> = case_by.iter().map(String::as_str).collect();
                super::casefile::figures::by_case(
                    &mirror,
                    &identity,
                    &roster,
                    &case_by,
                    &mut tables,
                )?;
            }
            tables.insert(
                "days to first reply".into(),
                super::casefile::figures::first_reply(&mirror)?,
            );
            super::figures::write(&tables, csv, &mut stdout.lock())?;
            unopened.finish("left out of the counts by language and question")
        }
        DeskCommand::Delete {
            report,
            reason,
            yes,
            keys,
            mirror,
            identity,
            server,
        } => {
            let client = Client::new(&server.required()?)?;
            let (mirror, report, identity) = open_report(&mirror, &report, &identity)?;
            if !yes {
                eprint!(
                    "Delete report {} and everything of it, on the server, for good? Type its first {} characters to confirm: ",
                    report.id,
                    super::delete::CONFIRM_CHARS
                );
                let mut typed = String::new();
                std::io::stdin()
                    .read_line(&mut typed)
                    .map_err(|e| DeskError::Io("standard input".into(), e))?;
                if !super::delete::confirms(&report, &typed) {
                    return Err(DeskError::Usage(
                        "not confirmed; nothing was deleted".into(),
                    ));
                }
            }
            // The same trusted copy replies use, so colleagues can read the entry.
            let centre = CentreKeys::load(&mirror, keys.as_deref())?;
            // One kind only (age refuses a mix): hybrid once the centre is.
            let recipients = centre.audit_recipients(&identity);
            super::delete::delete(&client, &mirror, &report, &reason, &recipients)?;
            println!(
                "deleted report {} on the server and from the mirror; the reason is in the audit log",
                report.id
            );
            Ok(())
        }
        DeskCommand::Audit { mirror, identity } => {
            let mirror = Mirror::existing(&mirror.mirror)?;
            let identity = load_identity(&identity)?;
            let mut out = stdout.lock();
            for e in super::delete::audit_log(&mirror, &identity)? {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}",
                    super::terminal::line(&e.day),
                    super::terminal::line(&e.action),
                    super::terminal::line(&e.report),
                    super::terminal::line(&e.reason)
                )
                .map_err(|e| DeskError::Io("standard output".into(), e))?;
            }
            Ok(())
        }
        DeskCommand::Case(cmd) => super::casefile::cli::run(*cmd),
        DeskCommand::Forward(args) => super::cli_forward::forward(*args),
        DeskCommand::Print(args) => super::cli_forward::print(args),
        DeskCommand::Intake(args) => super::cli_forward::intake(args),
        DeskCommand::Push {
            server,
            mirror,
            identity,
            keys,
            trust_server_key,
            case,
        } => {
            let client = Client::new(&server.required()?)?;
            let mirror = Mirror::existing(&mirror.mirror)?;
            let centre = CentreKeys::load(&mirror, keys.as_deref())?;
            let identity = match identity {
                Some(path) => Some(load_identity(&IdentityArg { identity: path })?),
                None => None,
            };
            let actor = case.actor()?;
            let reseal = |e: &outbox::Entry| match &identity {
                Some(identity) => reply::reseal_on_push(
                    &client,
                    &mirror,
                    identity,
                    &centre,
                    keys.as_deref(),
                    actor.as_ref(),
                    e,
                    trust_server_key,
                ),
                None => Err(reply::needs_identity(e)),
            };
            let n = outbox::push(&client, &mirror, &reseal)?;
            println!("sent {n} queued change(s); the outbox is empty");
            Ok(())
        }
    }
}

/// `desk quarantine`: list, restore or purge.
fn quarantine(
    mirror: &Mirror,
    action: QuarantineAction,
    out: &mut dyn Write,
) -> Result<(), DeskError> {
    use super::quarantine as q;
    use super::terminal::line;
    let w = |e| DeskError::Io("output".into(), e);
    match action {
        QuarantineAction::List { .. } => {
            let all = q::list(mirror)?;
            if all.is_empty() {
                writeln!(out, "The quarantine is empty.").map_err(w)?;
            }
            for e in all {
                writeln!(
                    out,
                    "{}  received {}  quarantined {}  {}",
                    view::short(&e.report.id.to_string()),
                    line(&e.report.received),
                    line(&e.record.since),
                    line(&e.record.reason)
                )
                .map_err(w)?;
            }
        }
        QuarantineAction::Restore { report, .. } => {
            let id = q::restore(mirror, &report)?;
            writeln!(out, "report {id} is back in the mirror").map_err(w)?;
        }
        QuarantineAction::Purge { .. } => {
            let n = q::purge(mirror)?;
            writeln!(out, "purged {n} quarantined report(s)").map_err(w)?;
        }
    }
    Ok(())
}

/// Sends a just-queued entry when a server was given; otherwise says it waits.
pub(crate) fn deliver(
    server: &ServerArgs,
    mirror: &Mirror,
    entry: &outbox::Entry,
    what: &str,
    reseal: outbox::Reseal<'_>,
) -> Result<(), DeskError> {
    match server.connection() {
        None => {
            println!("{what} queued in the outbox; send it with `tipline desk push`");
            Ok(())
        }
        Some(conn) => {
            let client = Client::new(&conn?)?;
            match outbox::send_or_reseal(&client, mirror, entry, reseal) {
                Ok(()) => {
                    println!("{what} sent");
                    Ok(())
                }
                Err(e) => {
                    eprintln!("{what} stays queued in the outbox (send it later with `tipline desk push`)");
                    Err(e)
                }
            }
        }
    }
}

/// Guidance shown in the editor (the same as beside the desk's reply box);
/// lines starting with `#` are dropped.
fn reply_guide() -> String {
    let mut guide =
        String::from("\n# Write your reply above. Lines starting with # are removed.\n");
    for line in reply::GUIDANCE {
        guide.push_str("# ");
        guide.push_str(line);
        guide.push('\n');
    }
    guide
}

fn compose(file: Option<&Path>, mirror: &Mirror) -> Result<String, DeskError> {
    compose_text(file, mirror.root(), &reply_guide(), "reply")
}

/// Staff text (a reply, a note): from a file ("-": standard input), piped
/// standard input, or $EDITOR on a private draft under `mirror_root`; lines
/// starting with `#` are dropped, and empty text is refused.
pub(crate) fn compose_text(
    file: Option<&Path>,
    mirror_root: &Path,
    guide: &str,
    what: &str,
) -> Result<String, DeskError> {
    let text = match file {
        Some(p) if p == Path::new("-") => read_stdin()?,
        Some(p) => {
            std::fs::read_to_string(p).map_err(|e| DeskError::Io(p.display().to_string(), e))?
        }
        None if !std::io::stdin().is_terminal() => read_stdin()?,
        None => edit(mirror_root, guide)?,
    };
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let text = text.trim().to_string();
    if text.is_empty() {
        return Err(DeskError::Usage(format!(
            "the {what} is empty; nothing queued"
        )));
    }
    Ok(text)
}

fn read_stdin() -> Result<String, DeskError> {
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .map_err(|e| DeskError::Io("standard input".into(), e))?;
    Ok(s)
}

/// Opens $EDITOR on a draft in a private directory (see [`super::draft`]),
/// reads it, and wipes the directory.
fn edit(mirror_root: &Path, guide: &str) -> Result<String, DeskError> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "nano".into());
    let runtime = std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from);
    let base = super::draft::base(runtime, &mirror_root.join("tmp"));
    let draft = super::draft::Draft::create(&base, guide)?;
    let status = std::process::Command::new(&editor)
        .arg(draft.file())
        .status();
    match status {
        Ok(s) if s.success() => draft.read(),
        _ => Err(DeskError::Usage(format!(
            "the editor ({editor}) did not finish; nothing queued"
        ))),
    }
}

fn save_attachment(
    mirror: &Mirror,
    identity: &DeskIdentity,
    report: &super::client::ApiReport,
    prefix: &str,
    out: &Path,
    strip: bool,
) -> Result<(u64, Option<super::metadata::Outcome>), DeskError> {
    let prefix = prefix.trim().to_ascii_lowercase();
    let ids: Vec<_> = mirror
        .messages(report.id)?
        .into_iter()
        .flat_map(|m| m.attachments.into_iter().map(|a| a.id))
        .filter(|id| id.to_string().starts_with(&prefix))
        .collect();
    let id = match ids.as_slice() {
        [one] => *one,
        [] => {
            return Err(DeskError::NotFound(format!(
                "no attachment {prefix} in this report"
            )))
        }
        _ => {
            return Err(DeskError::Usage(format!(
                "several attachments start with {prefix}"
            )))
        }
    };
    let path = mirror.attachment_path(report.id, id);
    let file =
        std::fs::File::open(&path).map_err(|e| DeskError::Io(path.display().to_string(), e))?;
    let mut reader = identity.open(
        &format!("attachment {}", view::short(&id.to_string())),
        std::io::BufReader::new(file),
    )?;
    // Plaintext: 0600 whatever the umask.
    let mut target = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(out)
        .map_err(|e| DeskError::Io(out.display().to_string(), e))?;
    let result = if strip {
        // Stripping needs the whole file in memory (attachments are bounded by
        // the server's per-file limit).
        let mut data = Vec::new();
        reader
            .read_to_end(&mut data)
            .map_err(|e| DeskError::Mirror(format!("attachment {id}: {e}")))
            .and_then(|_| {
                let (clean, outcome) = super::metadata::strip(data);
                target
                    .write_all(&clean)
                    .and_then(|()| target.flush())
                    .map(|()| (clean.len() as u64, Some(outcome)))
                    .map_err(|e| DeskError::Io(out.display().to_string(), e))
            })
    } else {
        std::io::copy(&mut reader, &mut target)
            .and_then(|n| target.flush().map(|()| (n, None)))
            .map_err(|e| DeskError::Mirror(format!("attachment {id}: {e}")))
    };
    if result.is_err() {
        let _ = std::fs::remove_file(out);
    }
    result
}

/// The questionnaire and its texts: shipped, or the reporting point's own.
pub(crate) fn load_content(
    templates: Option<&std::path::Path>,
) -> Result<crate::content::Content, DeskError> {
    crate::content::Content::load(templates, "en").map_err(|e| DeskError::Content(e.to_string()))
}
