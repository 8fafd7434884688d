//! The desk in the browser (`tipline desk serve`): a second actix app, on the
//! workstation, over the same mirror, identity and outbox as the CLI.
//!
//! Security model (see [`gate`]): loopback only; a one-time key in the printed
//! URL bought for an HttpOnly SameSite=Strict session cookie; the Host header
//! checked; a token in every form; strict headers and no script. Decrypted
//! content stays in memory: the disk sees only the mirror's ciphertext and the
//! outbox, as with the CLI.

pub mod actions;
pub mod case_views;
pub mod charts;
pub mod error;
pub mod figure_views;
pub mod figures_monthly;
pub mod gate;
pub mod handlers;
pub mod image;
pub mod model;
pub mod views;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use actix_web::{middleware, web, App, HttpServer};
use clap::Args;

use super::casefile::cli::CaseView;
use super::cli::{load_content, load_identity, IdentityArg, MirrorArg, ServerArgs};
use super::mirror::Mirror;
use super::texts::Lang;
use super::DeskError;

/// `desk serve`'s options.
#[allow(missing_docs)]
#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub mirror: MirrorArg,
    #[command(flatten)]
    pub identity: IdentityArg,
    #[command(flatten)]
    pub server: ServerArgs,
    /// The trusted copy of the centre recipients (default: MIRROR/keys).
    #[arg(long, env = "TIPLINE_KEYS")]
    pub keys: Option<PathBuf>,
    /// The reporting point's templates directory, if it changed the questionnaire.
    #[arg(long, env = "TIPLINE_TEMPLATES")]
    pub templates: Option<PathBuf>,
    /// Language of the staff pages (nl or en; others get English pages) and of
    /// the questionnaire's answers and the reporter's status texts. A switch
    /// in each page's header changes it for the session.
    #[arg(long, env = "TIPLINE_DESK_LANG", default_value = "nl")]
    pub lang: String,
    /// Where to listen: a loopback address only (any other is refused).
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// Do not try to open the URL in the default browser.
    #[arg(long)]
    pub no_open: bool,
    /// The case file: with --as, --signing-key and --team, shown on the
    /// report page with its note, tag and assign forms.
    #[command(flatten)]
    pub case: Box<CaseView>,
}

/// Runs the desk's web face until interrupted.
pub fn run(args: ServeArgs) -> Result<(), DeskError> {
    if !args.listen.ip().is_loopback() {
        return Err(DeskError::Usage(format!(
            "--listen {}: the desk serves decrypted reports and listens on loopback only (127.0.0.1 or ::1)",
            args.listen
        )));
    }
    let content = load_content(args.templates.as_deref())?;
    let connection = args.server.connection().transpose()?;
    let mirror = match connection {
        // With a server the first sync can fill an empty mirror.
        Some(_) => Mirror::open(&args.mirror.mirror)?,
        None => Mirror::existing(&args.mirror.mirror)?,
    };
    let identity = load_identity(&args.identity)?;
    let actor = args.case.actor()?;
    let listener = std::net::TcpListener::bind(args.listen)
        .map_err(|e| DeskError::Io(args.listen.to_string(), e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| DeskError::Io(args.listen.to_string(), e))?;
    // The staff pages follow --lang until a colleague switches.
    let staff_lang = Lang::for_desk(&args.lang);
    let desk = web::Data::new(
        actions::Desk::new(mirror, identity, content, args.lang, connection, args.keys)
            .with_actor(actor),
    );
    let gate = web::Data::new(gate::Gate::new(addr).with_lang(staff_lang));
    let url = format!("http://{addr}/?key={}", gate.url_key());
    let server = {
        let gate = gate.clone();
        HttpServer::new(move || {
            App::new()
                .app_data(desk.clone())
                .app_data(gate.clone())
                .app_data(web::FormConfig::default().limit(256 * 1024))
                .wrap(middleware::from_fn(error::in_staff_language))
                .wrap(middleware::from_fn(gate::guard))
                .configure(handlers::routes)
        })
        .workers(1)
        .listen(listener)
        .map_err(|e| DeskError::Io(addr.to_string(), e))?
    };
    eprintln!("The desk is ready. Open this link once (it works only once); stop with Ctrl+C.");
    println!("{url}");
    let _ = std::io::stdout().flush();
    if !args.no_open {
        // Best effort: a workstation without a desktop still has the printed URL.
        let _ = std::process::Command::new("xdg-open")
            .arg(&url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
    }
    actix_web::rt::System::new()
        .block_on(server.run())
        .map_err(|e| DeskError::Io(addr.to_string(), e))
}
