//! The `desk forward`, `desk print` and `desk intake` commands (and `tipline
//! open-bundle`): arguments and steps, on top of [`super::forward`],
//! [`super::print`] and [`super::intake`].

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::case_content::{self, Include};
use super::casefile::cli::{record_after, CaseView};
use super::casefile::event::Action;
use super::cli::{IdentityArg, MirrorArg, ServerArgs};
use super::mirror::Mirror;
use super::partners::Partners;
use super::reply::CentreKeys;
use super::terminal::{block, line};
use super::view::Labels;
use super::{forward, outbox, DeskError};

/// `desk forward`.
#[derive(Args, Debug)]
pub struct ForwardArgs {
    /// Report id (or its first characters).
    pub report: String,
    /// The partner's name in partners.toml.
    #[arg(long)]
    pub to: String,
    /// partners.toml: `[partner.NAME]` with kind (care, reporting_point,
    /// police, other), recipients (age1...) and description.
    #[arg(long, env = "TIPLINE_PARTNERS")]
    pub partners: PathBuf,
    /// Leave out the answers the questionnaire marks as identifying the
    /// reporter (contact details) and the attachments' file names.
    #[arg(long)]
    pub anonymised: bool,
    /// Someone is in danger now: forward without the consent the questionnaire
    /// asks for (needs --reason).
    #[arg(long, requires = "reason")]
    pub acute_danger: bool,
    /// Why (with --acute-danger); on the cover sheet and in the audit log.
    #[arg(long, requires = "acute_danger")]
    pub reason: Option<String>,
    /// Include the attachments (JPEG, PNG, GIF and WebP metadata removed).
    #[arg(long)]
    pub with_attachments: bool,
    /// Include follow-ups and staff replies.
    #[arg(long)]
    pub with_conversation: bool,
    /// Also set the status to forwarded_care / forwarded_police /
    /// forwarded_reporting_point (by the partner's kind); queued in the outbox
    /// and sent at once with --server.
    #[arg(long)]
    pub set_status: bool,
    /// The sending reporting point, named on the cover sheet.
    #[arg(
        long,
        env = "TIPLINE_REPORTING_POINT",
        default_value = "the reporting point"
    )]
    pub from: String,
    /// Where to write the age file (must not exist; mode 0600).
    #[arg(long)]
    pub out: PathBuf,
    /// Language of the answers in words.
    #[arg(long, env = "TIPLINE_DESK_LANG", default_value = "nl")]
    pub lang: String,
    /// The reporting point's templates directory (its questionnaire holds the
    /// consent rules).
    #[arg(long, env = "TIPLINE_TEMPLATES")]
    pub templates: Option<PathBuf>,
    /// The trusted centre recipients (*.pub), else MIRROR/keys: the audit
    /// entry is encrypted to them too.
    #[arg(long, env = "TIPLINE_KEYS")]
    pub keys: Option<PathBuf>,
    #[allow(missing_docs)]
    #[command(flatten)]
    pub mirror: MirrorArg,
    #[allow(missing_docs)]
    #[command(flatten)]
    pub identity: IdentityArg,
    #[allow(missing_docs)]
    #[command(flatten)]
    pub server: ServerArgs,
    /// With --as, --signing-key and --team: the forward is recorded in the
    /// case file too (queued; sent with --server or the next push).
    #[allow(missing_docs)]
    #[command(flatten)]
    pub case: CaseView,
}

/// `desk print`.
#[derive(Args, Debug)]
pub struct PrintArgs {
    /// Report id (or its first characters).
    pub report: String,
    /// Leave out the answers that identify the reporter.
    #[arg(long)]
    pub anonymised: bool,
    /// Include follow-ups and staff replies.
    #[arg(long)]
    pub with_conversation: bool,
    /// Where to write the HTML file (must not exist; mode 0600).
    #[arg(long)]
    pub out: PathBuf,
    /// Language of the answers in words.
    #[arg(long, env = "TIPLINE_DESK_LANG", default_value = "nl")]
    pub lang: String,
    /// The reporting point's templates directory.
    #[arg(long, env = "TIPLINE_TEMPLATES")]
    pub templates: Option<PathBuf>,
    #[allow(missing_docs)]
    #[command(flatten)]
    pub mirror: MirrorArg,
    #[allow(missing_docs)]
    #[command(flatten)]
    pub identity: IdentityArg,
}

/// `desk intake`.
#[derive(Args, Debug)]
pub struct IntakeArgs {
    /// The server's reporter address (where the report form is).
    #[arg(long)]
    pub server: String,
    /// The call's answers as TOML (`message = "..."`, question ids with the
    /// values the form would send); without it, a dialogue on the terminal.
    #[arg(long)]
    pub answers: Option<PathBuf>,
    /// The caller's language.
    #[arg(long, default_value = "nl")]
    pub lang: String,
    /// Your name: kept only inside the encrypted report (default: the login
    /// name, $USER).
    #[arg(long = "as", env = "TIPLINE_STAFF")]
    pub staff: Option<String>,
    /// Proxy, e.g. socks5h://127.0.0.1:9050 for an onion service.
    #[arg(long, env = "TIPLINE_PROXY")]
    pub proxy: Option<String>,
    /// Extra CA certificate (PEM) to trust.
    #[arg(long, env = "TIPLINE_CA")]
    pub ca: Option<PathBuf>,
    /// The reporting point's templates directory (its questionnaire and texts).
    #[arg(long, env = "TIPLINE_TEMPLATES")]
    pub templates: Option<PathBuf>,
}

/// Runs `desk intake`: the explanation to read out, then the code, last.
pub fn intake(a: IntakeArgs) -> Result<(), DeskError> {
    use std::io::IsTerminal;
    let content = super::cli::load_content(a.templates.as_deref())?;
    let lang = content.pick_lang(Some(&a.lang)).to_string();
    let call = match &a.answers {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| DeskError::Io(path.display().to_string(), e))?;
            super::intake::Call::parse(&text, &content.questionnaire)
                .map_err(|e| DeskError::Usage(format!("{}: {e}", path.display())))?
        }
        None if std::io::stdin().is_terminal() => super::intake::ask(
            &content,
            &lang,
            &mut std::io::stdin().lock(),
            &mut std::io::stderr(),
        )?,
        None => {
            return Err(DeskError::Usage(
                "--answers FILE is needed when standard input is not a terminal".into(),
            ))
        }
    };
    let staff = a
        .staff
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_default();
    let staff = staff.trim();
    if staff.is_empty() {
        return Err(DeskError::Usage(
            "say who takes the call: --as NAME (or TIPLINE_STAFF)".into(),
        ));
    }
    let client = super::client::Client::new(&super::client::Connection {
        server: a.server.clone(),
        token: String::new(),
        proxy: a.proxy.clone(),
        ca: a.ca.clone(),
    })?;
    let code = super::intake::submit(&client, &call, &lang, staff)?;
    println!("Read this to the caller ({lang}):");
    for t in super::intake::explanation(&content, &lang) {
        println!("  {}", line(&t));
    }
    println!("The code:");
    println!("{}", line(&code));
    Ok(())
}

/// `tipline open-bundle`.
#[derive(Args, Debug)]
pub struct OpenBundleArgs {
    /// The bundle (an age file made by `tipline desk forward`).
    pub file: PathBuf,
    /// The partner's identity file (age format).
    #[arg(long)]
    pub identity: PathBuf,
}

/// Runs `desk forward`.
pub fn forward(a: ForwardArgs) -> Result<(), DeskError> {
    let partners = Partners::load(&a.partners)?;
    let partner = partners.get(&a.to)?;
    let content = super::cli::load_content(a.templates.as_deref())?;
    let questionnaire = &content.questionnaire;
    let mirror = Mirror::existing(&a.mirror.mirror)?;
    let report = mirror.find_report(&a.report)?;
    let identity = super::cli::load_identity(&a.identity)?;
    let first = super::trust::first_document(&mirror, &identity, &report)?;
    let reason = a.reason.as_deref().filter(|_| a.acute_danger);
    forward::check_consent(questionnaire, partner, &first.answers, a.anonymised, reason)?;
    let status = match (a.set_status, partner.kind.forwarded_status()) {
        (false, _) => None,
        (true, Some(s)) => Some(s),
        (true, None) => {
            return Err(DeskError::Usage(format!(
                "--set-status: no forwarded status for a partner of kind {}",
                partner.kind.as_str()
            )))
        }
    };
    let centre = CentreKeys::load(&mirror, a.keys.as_deref())?;
    let gathered = case_content::gather(
        &mirror,
        &identity,
        &report,
        questionnaire,
        Include {
            anonymised: a.anonymised,
            conversation: a.with_conversation,
            attachments: a.with_attachments,
        },
    )?;
    let labels = Labels::new(&content, &a.lang);
    let request = forward::Request {
        partner_name: &a.to,
        partner,
        from: &a.from,
        acute_danger: reason,
    };
    let (cover, tar) =
        forward::bundle(&gathered, &first.answers, &labels, questionnaire, &request)?;
    let sealed = forward::seal(partner, &tar)?;
    // Audited before it exists: never a bundle on disk that the log lacks.
    let recipients = centre.audit_recipients(&identity);
    let audited = forward::record(&mirror, &cover, &recipients)?;
    if let Err(e) = forward::write_private(&a.out, &sealed) {
        let _ = std::fs::remove_file(&audited);
        return Err(e);
    }
    let forwarded = Action::Forward {
        partner: a.to.clone(),
        anonymised: cover.anonymised,
        included: cover.included.clone(),
        reason: cover.acute_danger_reason.clone(),
    };
    record_after(
        &a.case,
        &mirror,
        Some(&identity),
        a.keys.as_deref(),
        &report,
        forwarded,
        &a.server,
    )?;
    for f in &gathered.files {
        if f.stripped == super::metadata::Outcome::Unsupported {
            eprintln!(
                "warning: {} is not a JPEG, PNG, GIF or WebP that could be read: included unchanged; it may carry metadata that identifies the reporter",
                line(&f.name)
            );
        }
    }
    println!(
        "wrote {} for {} ({}), encrypted to its {} recipient(s) only; {}; recorded in the audit log",
        a.out.display(),
        line(&a.to),
        partner.kind.as_str(),
        partner.recipients.len(),
        if cover.anonymised {
            "anonymised"
        } else {
            "with identifying answers"
        }
    );
    if let Some(status) = status {
        let entry = outbox::queue_status(&mirror, report.id, status)?;
        super::cli::deliver(
            &a.server,
            &mirror,
            &entry,
            "status change",
            &|e: &outbox::Entry| Err(super::reply::needs_identity(e)),
        )?;
        record_after(
            &a.case,
            &mirror,
            Some(&identity),
            a.keys.as_deref(),
            &report,
            Action::Status { status },
            &a.server,
        )?;
    }
    Ok(())
}

/// Runs `desk print`.
pub fn print(a: PrintArgs) -> Result<(), DeskError> {
    let content = super::cli::load_content(a.templates.as_deref())?;
    let mirror = Mirror::existing(&a.mirror.mirror)?;
    let report = mirror.find_report(&a.report)?;
    let identity = super::cli::load_identity(&a.identity)?;
    let gathered = case_content::gather(
        &mirror,
        &identity,
        &report,
        &content.questionnaire,
        Include {
            anonymised: a.anonymised,
            conversation: a.with_conversation,
            attachments: false,
        },
    )?;
    let labels = Labels::new(&content, &a.lang);
    let page = super::print::render(&gathered, &labels).into_string();
    forward::write_private(&a.out, page.as_bytes())?;
    println!("wrote {}", a.out.display());
    eprintln!("Printing puts the report in plain text on paper and often in the printer's memory: use a printer you control, and shred the paper when done. Delete the file after printing.");
    Ok(())
}

/// Runs `tipline open-bundle`: the cover sheet, then every text file, escaped
/// for the terminal; other files are listed (extract them with `age -d | tar x`).
pub fn open_bundle(a: OpenBundleArgs) -> Result<(), DeskError> {
    let identity = super::cli::load_identity(&IdentityArg {
        identity: a.identity.clone(),
    })?;
    let opened = forward::open(&identity, &a.file)?;
    let out = std::io::stdout();
    let mut out = out.lock();
    let w = |e| DeskError::Io("standard output".into(), e);
    for (name, data) in &opened.files {
        let shown = line(name.strip_prefix("bundle/").unwrap_or(name));
        if name.ends_with(".txt") {
            writeln!(out, "=== {shown} ===").map_err(w)?;
            let text = String::from_utf8_lossy(data);
            writeln!(out, "{}", block(text.trim_end(), "    ")).map_err(w)?;
        } else if name.ends_with(".json") {
            continue;
        } else {
            writeln!(
                out,
                "=== {shown} === ({} bytes; extract with: age -d -i IDENTITY FILE | tar x)",
                data.len()
            )
            .map_err(w)?;
        }
    }
    Ok(())
}
