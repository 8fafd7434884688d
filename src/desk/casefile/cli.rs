//! The case-file commands of `tipline desk`: `keygen-signing`, `note`, `tag`,
//! `assign`, `remind`, `log`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::event::Action;
use super::fold::{CaseFile, LogEntry, Source};
use super::signing::{Roster, SigningIdentity};
use super::sync::{self, Actor};
use crate::desk::cli::{deliver, load_identity, IdentityArg, MirrorArg, ServerArgs};
use crate::desk::client::ApiReport;
use crate::desk::identity::DeskIdentity;
use crate::desk::mirror::Mirror;
use crate::desk::terminal::{block, line};
use crate::desk::DeskError;

/// The team roster.
#[derive(Args, Debug, Clone)]
pub struct TeamArg {
    /// The team roster (team.toml: `"name" = "ed25519:HEX"`, one line per
    /// person), the trust anchor for case events.
    #[arg(long, env = "TIPLINE_TEAM")]
    pub team: PathBuf,
}

impl TeamArg {
    /// Loads the roster.
    pub fn load(&self) -> Result<Roster, DeskError> {
        Roster::load(&self.team)
    }
}

/// Who is acting, and their signing key. (Flattened groups document their
/// own fields.)
#[allow(missing_docs)]
#[derive(Args, Debug, Clone)]
pub struct StaffArgs {
    /// Your staff name, as in the team roster.
    #[arg(long = "as", env = "TIPLINE_STAFF")]
    pub as_name: String,
    /// Your signing key (from `tipline desk keygen-signing`).
    #[arg(long, env = "TIPLINE_SIGNING_KEY")]
    pub signing_key: PathBuf,
    #[command(flatten)]
    pub team: TeamArg,
}

impl StaffArgs {
    /// The key, checked against the roster.
    pub fn actor(&self) -> Result<Actor, DeskError> {
        let key = SigningIdentity::load(&self.signing_key)?;
        Actor::new(&self.as_name, key, self.team.load()?)
    }
}

/// The case file while reading or writing (`desk read`, `reply`, `status`,
/// `list`): with a roster it is shown; with a name and key as well, reading,
/// replies and status changes are recorded as events.
#[derive(Args, Debug, Clone, Default)]
pub struct CaseView {
    /// The team roster (team.toml); with it, the case file is shown.
    #[arg(long, env = "TIPLINE_TEAM")]
    pub team: Option<PathBuf>,
    /// Your staff name, as in the roster (with --signing-key: your reads,
    /// replies and status changes are recorded in the case file).
    #[arg(long = "as", env = "TIPLINE_STAFF")]
    pub as_name: Option<String>,
    /// Your case-file signing key.
    #[arg(long, env = "TIPLINE_SIGNING_KEY")]
    pub signing_key: Option<PathBuf>,
}

impl CaseView {
    /// The roster, if one was given.
    pub fn roster(&self) -> Result<Option<Roster>, DeskError> {
        self.team.as_deref().map(Roster::load).transpose()
    }

    /// Who acts, when name, key and roster were all given.
    pub fn actor(&self) -> Result<Option<Actor>, DeskError> {
        match (&self.as_name, &self.signing_key, &self.team) {
            (Some(name), Some(key), Some(team)) => Ok(Some(Actor::new(
                name,
                SigningIdentity::load(key)?,
                Roster::load(team)?,
            )?)),
            _ => Ok(None),
        }
    }
}

/// The report's case file for `desk read`, when a roster was given.
pub fn load_case(
    view: &CaseView,
    mirror: &Mirror,
    identity: &DeskIdentity,
    report: &ApiReport,
) -> Result<Option<CaseFile>, DeskError> {
    view.roster()?
        .map(|roster| sync::load(mirror, identity, &roster, report.id))
        .transpose()
}

/// The case events as `desk read` interleaves them with the conversation:
/// (day, lines already made safe to print), by day, in the log's order within
/// a day. Every line says INTERNAL, so staff never mistake one for something
/// the reporter sees.
pub fn timeline(case: &CaseFile) -> Vec<(String, String)> {
    let mut entries: Vec<(String, String)> = case
        .log
        .iter()
        .map(|entry| {
            let (verdict, source) = verdict_and_source(entry);
            match &entry.event {
                Some(e) => {
                    let what = match &e.action {
                        Action::Note { .. } => String::new(),
                        other => format!(": {}", describe(other)),
                    };
                    let mut text = format!(
                        "--- {} · INTERNAL · {} by {}{what} · {verdict}{source} ---",
                        line(&e.day),
                        e.action.kind(),
                        line(&e.author)
                    );
                    if let Action::Note { text: note } = &e.action {
                        text.push('\n');
                        text.push_str(&block(note, "      "));
                    }
                    (e.day.clone(), text)
                }
                None => {
                    let day = match &entry.source {
                        Source::Server { received, .. } => received.clone(),
                        Source::Queued => "?".into(),
                    };
                    let text = format!(
                        "--- {} · INTERNAL · unreadable event · {verdict}{source} ---",
                        line(&day)
                    );
                    (day, text)
                }
            }
        })
        .collect();
    // Stable: the log's order stays within a day.
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries
}

/// After `desk read`: the case file's state and gaps, visibly internal, and
/// "seen by NAME" recorded (queued) when the conversation has something this
/// person has not seen yet.
pub fn after_read(
    view: &CaseView,
    case: Option<&CaseFile>,
    mirror: &Mirror,
    identity: &DeskIdentity,
    report: &ApiReport,
    out: &mut dyn Write,
) -> Result<(), DeskError> {
    let w = |e| DeskError::Io("output".into(), e);
    let Some(case) = case else {
        return Ok(());
    };
    writeln!(out).map_err(w)?;
    writeln!(
        out,
        "=== INTERNAL case file state: staff only, never shown to the reporter ==="
    )
    .map_err(w)?;
    write_state(case, out)?;
    if case.log.is_empty() {
        writeln!(out, "No staff actions recorded.").map_err(w)?;
    }
    write_gaps(case, out)?;
    if let Some(actor) = view.actor()? {
        let messages = mirror.messages(report.id)?.len();
        if case.unseen_by(&actor.key.name, messages) {
            record(
                mirror,
                identity,
                None,
                &actor,
                report,
                Action::Seen { messages },
            )?;
            writeln!(
                out,
                "(recorded: seen by {}; queued, sent with the next `tipline desk push`)",
                line(&actor.key.name)
            )
            .map_err(w)?;
        }
    }
    Ok(())
}

/// After a reply or status change was queued: the matching event, queued
/// too, and sent at once with --server. Without name, key and roster,
/// nothing is recorded.
pub fn record_after(
    view: &CaseView,
    mirror: &Mirror,
    identity: Option<&DeskIdentity>,
    keys: Option<&Path>,
    report: &ApiReport,
    action: Action,
    server: &ServerArgs,
) -> Result<(), DeskError> {
    let (Some(actor), Some(identity)) = (view.actor()?, identity) else {
        return Ok(());
    };
    let entry = record(mirror, identity, keys, &actor, report, action)?;
    deliver(server, mirror, &entry, "case event", &no_reseal)
}

/// Everything an action on a report needs.
#[allow(missing_docs)]
#[derive(Args, Debug, Clone)]
pub struct ActArgs {
    #[command(flatten)]
    pub staff: StaffArgs,
    /// The trusted copy of the centre recipients (default: MIRROR/keys);
    /// events are encrypted to them and the identity, as replies are.
    #[arg(long, env = "TIPLINE_KEYS")]
    pub keys: Option<PathBuf>,
    #[command(flatten)]
    pub mirror: MirrorArg,
    #[command(flatten)]
    pub identity: IdentityArg,
    #[command(flatten)]
    pub server: ServerArgs,
}

/// The case-file commands (flattened into `tipline desk`).
#[allow(missing_docs)]
#[derive(Subcommand, Debug)]
pub enum CaseCommand {
    /// Make your case-file signing key. Prints, last, the line to append to
    /// the team roster (team.toml); share that line, never the key file.
    KeygenSigning {
        /// Your staff name (letters, digits, space, '-', '_', '.').
        #[arg(long)]
        name: String,
        /// Where to write the key (mode 0600; must not exist).
        #[arg(long)]
        out: PathBuf,
    },
    /// Add an internal note to a report (never sent to the reporter). The
    /// text comes from --file, else standard input, else $EDITOR.
    Note {
        /// Report id (or its first characters).
        report: String,
        /// Read the note from this file ("-" for standard input).
        #[arg(long)]
        file: Option<PathBuf>,
        #[command(flatten)]
        act: ActArgs,
    },
    /// Add tags to a report (or remove them with --remove).
    Tag {
        /// Report id (or its first characters).
        report: String,
        /// Tags, e.g. loverboy arbeidsuitbuiting mdt-overleg.
        #[arg(required = true)]
        tags: Vec<String>,
        /// Remove these tags instead.
        #[arg(long)]
        remove: bool,
        #[command(flatten)]
        act: ActArgs,
    },
    /// Say who works a report (e.g. the care coordinator), or --none.
    Assign {
        /// Report id (or its first characters).
        report: String,
        /// The staff name.
        #[arg(required_unless_present = "none", conflicts_with = "none")]
        name: Option<String>,
        /// Nobody works it.
        #[arg(long)]
        none: bool,
        #[command(flatten)]
        act: ActArgs,
    },
    /// Set a reminder on a report; `desk list --due` shows it from that day.
    Remind {
        /// Report id (or its first characters).
        report: String,
        /// The day, YYYY-MM-DD.
        date: String,
        /// What to remember.
        #[arg(long)]
        note: Option<String>,
        #[command(flatten)]
        act: ActArgs,
    },
    /// The audit trail of a report: every staff action, oldest first, with
    /// author, day and whether it verified; and any action the server dropped.
    Log {
        /// Report id (or its first characters).
        report: String,
        #[command(flatten)]
        team: TeamArg,
        #[command(flatten)]
        mirror: MirrorArg,
        #[command(flatten)]
        identity: IdentityArg,
    },
}

/// Longest tag: tags are labels, not notes.
pub const MAX_TAG_CHARS: usize = 64;

/// A tag as the case file keeps it (one lower-case word, no commas, at most
/// [`MAX_TAG_CHARS`]), or `None`: the one rule for the CLI and the browser.
pub fn normal_tag(tag: &str) -> Option<String> {
    let tag = tag.trim().to_lowercase();
    let ok = !tag.is_empty()
        && tag.chars().count() <= MAX_TAG_CHARS
        && !tag
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == ',');
    ok.then_some(tag)
}

/// Whether `name` may be assigned: a staff name in the team roster (the
/// CLI's and the browser's one rule).
pub fn check_assignee(roster: &Roster, name: &str) -> Result<(), DeskError> {
    if !super::signing::valid_name(name) {
        return Err(DeskError::Usage(format!(
            "{}: not a staff name",
            line(name)
        )));
    }
    if roster.key(name).is_none() {
        return Err(DeskError::Usage(format!(
            "{} is not in the team roster",
            line(name)
        )));
    }
    Ok(())
}

/// Whether `date` is a reminder's day: a real calendar day written exactly
/// as `YYYY-MM-DD` (the CLI's and the browser's one rule).
pub fn reminder_day_ok(date: &str) -> bool {
    date.len() == 10 && crate::day::parse_day(date).is_some()
}

fn check_tag(tag: &str) -> Result<String, DeskError> {
    normal_tag(tag).ok_or_else(|| {
        DeskError::Usage(format!(
            "tag {:?}: one word (no spaces or commas), at most {MAX_TAG_CHARS} characters",
            line(&tag.trim().to_lowercase())
        ))
    })
}

/// Runs one case-file command.
pub fn run(cmd: CaseCommand) -> Result<(), DeskError> {
    match cmd {
        CaseCommand::KeygenSigning { name, out } => {
            let key = SigningIdentity::generate(&name)?;
            key.save(&out)?;
            eprintln!(
                "Wrote your signing key to {}. Keep it private; append the next line to the team roster (team.toml):",
                out.display()
            );
            println!("{}", key.roster_line());
            Ok(())
        }
        CaseCommand::Note { report, file, act } => {
            let text = compose(file.as_deref(), &act.mirror.mirror)?;
            act_on(&act, &report, Action::Note { text }, "note")
        }
        CaseCommand::Tag {
            report,
            tags,
            remove,
            act,
        } => {
            let tags = tags
                .iter()
                .map(|t| check_tag(t))
                .collect::<Result<Vec<_>, _>>()?;
            act_on(&act, &report, Action::Tag { tags, remove }, "tag change")
        }
        CaseCommand::Assign {
            report,
            name,
            none: _,
            act,
        } => {
            if let Some(n) = &name {
                check_assignee(&act.staff.team.load()?, n)?;
            }
            act_on(&act, &report, Action::Assign { to: name }, "assignment")
        }
        CaseCommand::Remind {
            report,
            date,
            note,
            act,
        } => {
            if !reminder_day_ok(&date) {
                return Err(DeskError::Usage(format!(
                    "{}: give the day as YYYY-MM-DD",
                    line(&date)
                )));
            }
            act_on(&act, &report, Action::Remind { date, note }, "reminder")
        }
        CaseCommand::Log {
            report,
            team,
            mirror,
            identity,
        } => {
            let roster = team.load()?;
            let mirror = Mirror::existing(&mirror.mirror)?;
            let report = mirror.find_report(&report)?;
            let identity = load_identity(&identity)?;
            let case = sync::load(&mirror, &identity, &roster, report.id)?;
            let stdout = std::io::stdout();
            write_log(&report, &case, &mut stdout.lock())
        }
    }
}

/// Events are never encrypted to a reporter, so the server never refuses one
/// for a changed code; only replies are sealed again.
fn no_reseal(entry: &crate::desk::outbox::Entry) -> Result<crate::desk::outbox::Entry, DeskError> {
    Err(crate::desk::reply::needs_identity(entry))
}

/// Records one action on a report: signed, encrypted, queued, and sent at
/// once with --server.
fn act_on(act: &ActArgs, report: &str, action: Action, what: &str) -> Result<(), DeskError> {
    let actor = act.staff.actor()?;
    let mirror = Mirror::existing(&act.mirror.mirror)?;
    let report = mirror.find_report(report)?;
    let identity = load_identity(&act.identity)?;
    let entry = record(
        &mirror,
        &identity,
        act.keys.as_deref(),
        &actor,
        &report,
        action,
    )?;
    deliver(&act.server, &mirror, &entry, what, &no_reseal)
}

/// Records an action: for the desk's own replies, status changes and reads.
pub fn record(
    mirror: &Mirror,
    identity: &DeskIdentity,
    keys: Option<&Path>,
    actor: &Actor,
    report: &ApiReport,
    action: Action,
) -> Result<crate::desk::outbox::Entry, DeskError> {
    let recipients = crate::desk::recipients::trusted(identity, mirror, keys)?;
    sync::record(mirror, identity, &recipients, actor, report.id, action)
}

/// One action as words for the log and the timeline.
pub fn describe(action: &Action) -> String {
    match action {
        Action::Note { .. } => "note".into(),
        Action::Tag { tags, remove } => format!(
            "{} {}",
            if *remove { "removed tag(s)" } else { "tagged" },
            line(&tags.join(", "))
        ),
        Action::Assign { to: Some(n) } => format!("assigned to {}", line(n)),
        Action::Assign { to: None } => "assigned to nobody".into(),
        Action::Remind { date, note } => match note {
            Some(n) => format!("reminder on {}: {}", line(date), line(n)),
            None => format!("reminder on {}", line(date)),
        },
        Action::Seen { messages } => format!("seen ({messages} message(s))"),
        Action::Reply { sha256 } => format!(
            "reply (age file sha256 {})",
            line(sha256.get(..16).unwrap_or(sha256))
        ),
        Action::Status { status } => format!("status changed to {status}"),
        Action::Forward {
            partner,
            anonymised,
            included,
            reason,
        } => format!(
            "forwarded to {} ({}; {}){}",
            line(partner),
            if *anonymised {
                "anonymised"
            } else {
                "with identifying answers"
            },
            line(&included.join(", ")),
            reason
                .as_deref()
                .map(|r| format!(" without consent, acute danger: {}", line(r)))
                .unwrap_or_default()
        ),
        Action::Delete { reason } => format!("deleted: {}", line(reason)),
    }
}

/// `desk log`.
pub fn write_log(
    report: &ApiReport,
    case: &CaseFile,
    out: &mut dyn Write,
) -> Result<(), DeskError> {
    let w = |e| DeskError::Io("output".into(), e);
    writeln!(
        out,
        "Audit trail of report {} (internal; oldest first)",
        report.id
    )
    .map_err(w)?;
    write_entries(case, out)
}

/// The state, every event with its verdict, and the gaps.
fn write_entries(case: &CaseFile, out: &mut dyn Write) -> Result<(), DeskError> {
    let w = |e| DeskError::Io("output".into(), e);
    write_state(case, out)?;
    if case.log.is_empty() {
        writeln!(out, "No staff actions recorded.").map_err(w)?;
    }
    for entry in &case.log {
        let (verdict, source) = verdict_and_source(entry);
        match &entry.event {
            Some(e) => {
                writeln!(
                    out,
                    "{}  #{:<3} {:<16} {:<7} {} · {verdict}{source}",
                    line(&e.day),
                    e.seq,
                    line(&e.author),
                    e.action.kind(),
                    describe(&e.action)
                )
                .map_err(w)?;
                if let Action::Note { text } = &e.action {
                    writeln!(out, "{}", block(text, "      ")).map_err(w)?;
                }
            }
            None => writeln!(out, "?           ?    {verdict}{source}").map_err(w)?,
        }
    }
    write_gaps(case, out)
}

/// Whether an entry verified, and where it came from when that matters
/// (queued, or posted with another person's token); both safe to print.
fn verdict_and_source(entry: &LogEntry) -> (String, String) {
    let verdict = entry.problem.as_ref().map_or_else(
        || "verified".to_string(),
        |p| line(&p.to_string()).into_owned(),
    );
    let source = match &entry.source {
        Source::Queued => " · QUEUED, not sent yet".to_string(),
        Source::Server {
            posted_by,
            received,
            ..
        } => match &entry.event {
            Some(e) if e.author == *posted_by => String::new(),
            _ => format!(
                " · posted with the token of {} on {}",
                line(posted_by),
                line(received)
            ),
        },
    };
    (verdict, source)
}

/// The gaps, and a warning on standard error when anything did not verify.
fn write_gaps(case: &CaseFile, out: &mut dyn Write) -> Result<(), DeskError> {
    let w = |e| DeskError::Io("output".into(), e);
    for gap in &case.gaps {
        writeln!(out, "GAP: {}", line(gap)).map_err(w)?;
    }
    if !case.gaps.is_empty() || case.unverified() > 0 {
        eprintln!(
            "warning: {} unverified event(s) and {} gap(s) in this report's case file: the server may have forged or dropped actions",
            case.unverified(),
            case.gaps.len()
        );
    }
    Ok(())
}

/// The folded state in a few lines: tags, assignee, reminder, who has seen it.
pub fn write_state(case: &CaseFile, out: &mut dyn Write) -> Result<(), DeskError> {
    let w = |e| DeskError::Io("output".into(), e);
    let tags: Vec<String> = case.tags.iter().map(|t| line(t).into_owned()).collect();
    let tags = if tags.is_empty() {
        "none".to_string()
    } else {
        tags.join(", ")
    };
    let assigned = case
        .assigned
        .as_deref()
        .map_or("nobody".into(), |a| line(a).into_owned());
    writeln!(out, "Tags: {tags} · Assigned to: {assigned}").map_err(w)?;
    if let Some(r) = &case.reminder {
        let note = r
            .note
            .as_deref()
            .map(|n| format!(": {}", line(n)))
            .unwrap_or_default();
        writeln!(
            out,
            "Reminder on {} (set by {}){note}",
            line(&r.date),
            line(&r.author)
        )
        .map_err(w)?;
    }
    if !case.seen.is_empty() {
        let seen: Vec<String> = case
            .seen
            .iter()
            .map(|(who, (day, _))| format!("{} ({})", line(who), line(day)))
            .collect();
        writeln!(out, "Seen by: {}", seen.join(", ")).map_err(w)?;
    }
    Ok(())
}

/// A note's text: from a file, standard input, or $EDITOR.
fn compose(file: Option<&Path>, mirror: &Path) -> Result<String, DeskError> {
    crate::desk::cli::compose_text(file, mirror, NOTE_GUIDE, "note")
}

/// Guidance shown in the editor for a note.
const NOTE_GUIDE: &str = "\n\
# Write your internal note above. Lines starting with # are removed.\n\
# Notes are for the team only (never sent to the reporter), signed with your key.\n";
