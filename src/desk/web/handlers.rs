//! The desk's routes: each checks its form token, runs the core on the
//! blocking pool, and hands data to a view.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use maud::Markup;

use super::actions::{Desk, Outcome};
use super::error::WebDeskError;
use super::gate::{self, Gate};
use super::views::{self, Notice, Ui};
use super::{image, model};
use crate::desk::casefile::event::Action;
use crate::desk::casefile::list::Lister;
use crate::desk::texts::{status_name, t, t_args, Lang};
use crate::desk::view::Labels;
use crate::desk::DeskError;
use crate::ids::AttachmentId;
use crate::status::Status;

type Answer = Result<HttpResponse, WebDeskError>;

/// The routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(inbox))
        .route(views::STYLESHEET_PATH, web::get().to(stylesheet))
        .route("/sync", web::post().to(sync))
        .route("/reports/{id}", web::get().to(report))
        .route("/reports/{id}/reply", web::post().to(reply))
        .route("/reports/{id}/status", web::post().to(status))
        .route("/reports/{id}/print", web::get().to(print))
        .route("/reports/{id}/note", web::post().to(note))
        .route("/reports/{id}/tag", web::post().to(tag))
        .route("/reports/{id}/assign", web::post().to(assign))
        .route("/reports/{id}/remind", web::post().to(remind))
        .route("/reports/{id}/attachments/{aid}", web::get().to(attachment))
        .route("/reports/{id}/attachments/{aid}/save", web::get().to(save))
        .route("/figures", web::get().to(figures))
        .route("/figures/{name}.csv", web::get().to(figures_csv))
        .route("/figures/per-month/{slug}.csv", web::get().to(monthly_csv))
        .route("/outbox", web::get().to(outbox))
        .route("/outbox/retry", web::post().to(retry))
        .route("/intake", web::get().to(intake_form))
        .route("/intake", web::post().to(intake_send))
        .route("/help", web::get().to(help))
        .route(views::LANG_PATH, web::post().to(switch_lang));
}

fn page(markup: Markup) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

fn see_other(to: String) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish()
}

/// Runs desk work on the blocking pool.
async fn blocking<T: Send + 'static>(
    desk: &web::Data<Desk>,
    f: impl FnOnce(&Desk) -> Result<T, DeskError> + Send + 'static,
) -> Result<T, WebDeskError> {
    let desk = desk.clone();
    Ok(web::block(move || f(&desk)).await??)
}

fn check_token(gate: &Gate, action: &str, token: Option<&str>) -> Result<(), WebDeskError> {
    if gate.form_token_ok(action, token) {
        Ok(())
    } else {
        Err(WebDeskError::FormToken)
    }
}

/// The banner after an action, from the fixed words in the query (never text).
#[derive(Debug, Default, serde::Deserialize)]
struct Done {
    done: Option<String>,
    pulled: Option<u64>,
    sent: Option<u64>,
    show: Option<String>,
}

impl Done {
    fn notice(&self, l: Lang) -> Option<Notice> {
        let pulled = self.pulled.unwrap_or(0);
        let sent = self.sent.unwrap_or(0);
        let (ok, done, text) = match self.done.as_deref()? {
            "reply-sent" => (true, "reply-sent", t(l, "done-reply-sent")),
            "reply-queued" => (true, "reply-queued", t(l, "done-reply-queued")),
            "reply-held" => (false, "reply-held", t(l, "done-reply-held")),
            "status-sent" => (true, "status-sent", t(l, "done-status-sent")),
            "status-queued" => (true, "status-queued", t(l, "done-status-queued")),
            "status-held" => (false, "status-held", t(l, "done-status-held")),
            "synced" => (
                true,
                "synced",
                t_args(
                    l,
                    "done-synced",
                    &[("pulled", pulled.into()), ("sent", sent.into())],
                ),
            ),
            "case-sent" => (true, "case-sent", t(l, "done-case-sent")),
            "case-queued" => (true, "case-queued", t(l, "done-case-queued")),
            "case-held" => (false, "case-held", t(l, "done-case-held")),
            "retried" => (
                true,
                "retried",
                t_args(l, "done-retried", &[("count", sent.into())]),
            ),
            _ => return None,
        };
        Some(Notice { ok, text, done })
    }
}

async fn inbox(
    desk: web::Data<Desk>,
    gate: web::Data<Gate>,
    filter: web::Query<model::Filter>,
    done: web::Query<Done>,
) -> Answer {
    let filter = filter.into_inner();
    let can_sync = desk.connection.is_some();
    let (rows, filter, case) = blocking(&desk, move |d| {
        let list_filter = filter.as_list_filter();
        let me = d.actor.as_ref().map(|a| a.key.name.clone());
        let roster = d.actor.as_ref().map(|a| a.roster.clone());
        let lister = Lister::new(&list_filter, roster, me)?;
        let (rows, tags) = d.with_identity(|id| {
            model::inbox(&d.mirror, id, &d.content.questionnaire, &filter, &lister)
        })?;
        let case = d.actor.as_ref().map(|a| views::InboxCase {
            tags,
            names: a.roster.names().map(str::to_string).collect(),
        });
        Ok((rows, filter, case))
    })
    .await?;
    let ui = Ui::new(&gate);
    Ok(page(views::inbox(
        &ui,
        &rows,
        &filter,
        can_sync,
        case.as_ref(),
        done.notice(ui.lang).as_ref(),
    )))
}

async fn report(
    desk: web::Data<Desk>,
    gate: web::Data<Gate>,
    req: actix_web::HttpRequest,
    path: web::Path<String>,
    done: web::Query<Done>,
) -> Answer {
    let id = path.into_inner();
    let ui = Ui::new(&gate);
    let lang = ui.lang;
    // Opening the page records "seen by" (a GET with a side effect, as
    // `desk read` has). A cross-site request reaches the gate without the
    // SameSite=Strict cookie and gets 403; but a page on another loopback
    // port is the same site and sends it, so only a fetch the browser says
    // came from the desk's own pages (or the address bar) records it.
    let own = gate::own_fetch(req.headers());
    let (report, sees, case) = blocking(&desk, move |d| {
        let answers_lang = d.answers_lang(lang);
        let labels = Labels::new(&d.content, &answers_lang);
        let report =
            d.with_identity(|identity| model::report(&d.mirror, identity, &labels, &id))?;
        let messages = report.items.len();
        let case = d
            .case_for_page(&report.report, messages, own)?
            .map(|case| views::CasePanel {
                case,
                names: d
                    .actor
                    .iter()
                    .flat_map(|a| a.roster.names().map(str::to_string))
                    .collect(),
            });
        Ok((report, d.reporter_sees_in(&answers_lang), case))
    })
    .await?;
    let shown: Vec<String> = done.show.iter().cloned().collect();
    Ok(page(views::report(
        &ui,
        &report,
        &shown,
        &sees,
        case.as_ref(),
        done.notice(ui.lang).as_ref(),
    )))
}

/// A reply form.
#[derive(serde::Deserialize)]
struct ReplyForm {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    text: String,
}

async fn reply(
    desk: web::Data<Desk>,
    gate: web::Data<Gate>,
    path: web::Path<String>,
    form: web::Form<ReplyForm>,
) -> Answer {
    let id = path.into_inner();
    check_token(
        &gate,
        &format!("/reports/{id}/reply"),
        form.token.as_deref(),
    )?;
    let text = form.into_inner().text.trim().to_string();
    if text.is_empty() {
        return Err(WebDeskError::Input("error-reply-empty"));
    }
    let (report, outcome) = blocking(&desk, move |d| d.reply(&id, &text)).await?;
    Ok(see_other(format!(
        "/reports/{report}?done=reply-{}",
        outcome.as_str()
    )))
}

/// A status form.
#[derive(serde::Deserialize)]
struct StatusForm {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    status: String,
}

async fn status(
    desk: web::Data<Desk>,
    gate: web::Data<Gate>,
    path: web::Path<String>,
    form: web::Form<StatusForm>,
) -> Answer {
    let id = path.into_inner();
    check_token(
        &gate,
        &format!("/reports/{id}/status"),
        form.token.as_deref(),
    )?;
    let status: Status = form
        .status
        .parse()
        .map_err(|_| WebDeskError::Input("error-status-unknown"))?;
    let (report, outcome): (_, Outcome) = blocking(&desk, move |d| d.status(&id, status)).await?;
    Ok(see_other(format!(
        "/reports/{report}?done=status-{}",
        outcome.as_str()
    )))
}

/// The print page's choices, as `desk print` has them.
#[derive(Debug, Default, serde::Deserialize)]
struct PrintChoice {
    #[serde(default)]
    anonymised: Option<String>,
    #[serde(default)]
    conversation: Option<String>,
}

/// The print page allows exactly `desk print`'s stylesheet, by its hash; no script.
static PRINT_POLICY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    use base64::Engine as _;
    use sha2::Digest as _;
    let hash = sha2::Sha256::digest(crate::desk::print::STYLE.as_bytes());
    format!(
        "default-src 'none'; style-src 'sha256-{}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        base64::engine::general_purpose::STANDARD.encode(hash)
    )
});

async fn print(
    desk: web::Data<Desk>,
    gate: web::Data<Gate>,
    path: web::Path<String>,
    choice: web::Query<PrintChoice>,
) -> Answer {
    let id = path.into_inner();
    let lang = gate.lang();
    let choice = choice.into_inner();
    let anonymised = choice.anonymised.is_some();
    let conversation = choice.conversation.is_some();
    let page = blocking(&desk, move |d| {
        let report = d.exact(&id)?;
        let gathered = d.with_identity(|identity| {
            crate::desk::case_content::gather(
                &d.mirror,
                identity,
                &report,
                &d.content.questionnaire,
                crate::desk::case_content::Include {
                    anonymised,
                    conversation,
                    attachments: false,
                },
            )
        })?;
        let answers_lang = d.answers_lang(lang);
        let labels = Labels::new(&d.content, &answers_lang);
        let screen = views::print_screen(lang, &report.id.to_string(), anonymised, conversation);
        Ok(crate::desk::print::render_with(&gathered, &labels, screen, lang).into_string())
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, PRINT_POLICY.as_str()))
        .body(page))
}

/// The intake page's language.
#[derive(Debug, Default, serde::Deserialize)]
struct IntakeLang {
    #[serde(default)]
    lang: Option<String>,
}

async fn intake_form(
    desk: web::Data<Desk>,
    gate: web::Data<Gate>,
    query: web::Query<IntakeLang>,
) -> HttpResponse {
    let lang = desk
        .content
        .pick_lang(query.lang.as_deref().or(Some(&desk.lang)));
    let by = desk.actor.as_ref().map_or("", |a| a.key.name.as_str());
    let ui = Ui::new(&gate);
    page(views::layout(
        &ui,
        &t(ui.lang, "intake-page-title"),
        views::Section::Intake,
        "/intake",
        None,
        views::intake(&ui, &desk.content, lang, by, desk.connection.is_some()),
    ))
}

/// The intake form's fields as sent: questions repeat for check boxes.
fn intake_call(
    desk: &Desk,
    fields: Vec<(String, String)>,
) -> Result<(crate::desk::intake::Call, String, String), WebDeskError> {
    let mut call = crate::desk::intake::Call::default();
    let (mut lang, mut by) = (None, String::new());
    for (name, value) in fields {
        match name.as_str() {
            "token" => {}
            "lang" => lang = Some(value),
            "by" => by = value.trim().to_string(),
            "message" => call.message = value.trim().to_string(),
            _ => {
                let q = name
                    .strip_prefix("q-")
                    .and_then(|id| desk.content.questionnaire.question(id))
                    .ok_or(WebDeskError::Input("error-intake-field"))?;
                if !q.options.is_empty() && !q.options.contains(&value) {
                    return Err(WebDeskError::Input("error-intake-answer"));
                }
                let value = value.trim().to_string();
                if !value.is_empty() {
                    call.answers.entry(q.id.clone()).or_default().push(value);
                }
            }
        }
    }
    if call.message.is_empty() {
        return Err(WebDeskError::Input("error-intake-message"));
    }
    if by.is_empty() {
        return Err(WebDeskError::Input("error-intake-by"));
    }
    let lang = desk.content.pick_lang(lang.as_deref()).to_string();
    Ok((call, lang, by))
}

async fn intake_send(
    desk: web::Data<Desk>,
    gate: web::Data<Gate>,
    form: web::Form<Vec<(String, String)>>,
) -> Answer {
    let fields = form.into_inner();
    let token = fields
        .iter()
        .find(|(n, _)| n == "token")
        .map(|(_, v)| v.as_str());
    check_token(&gate, "/intake", token)?;
    let Some(conn) = desk.connection.clone() else {
        return Err(WebDeskError::Input("intake-unavailable"));
    };
    let (call, lang, by) = intake_call(&desk, fields)?;
    let (code, explanation, lang) = blocking(&desk, move |d| {
        // `submit` posts to the reporter route as a browser would: the
        // client sends its staff token only on API calls.
        let client = crate::desk::client::Client::new(&conn)?;
        let code = crate::desk::intake::submit(&client, &call, &lang, &by)?;
        Ok((
            code,
            crate::desk::intake::explanation(&d.content, &lang),
            lang,
        ))
    })
    .await?;
    let ui = Ui::new(&gate);
    let dir = desk.content.locale(&lang).dir.clone();
    Ok(page(views::layout(
        &ui,
        &t(ui.lang, "intake-sent-page-title"),
        views::Section::Intake,
        "/intake",
        None,
        views::intake_done(ui.lang, &explanation, &code, &lang, &dir),
    )))
}

/// The note form.
#[derive(serde::Deserialize)]
struct NoteForm {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    text: String,
}

/// Records a case event from a form and redirects back with the banner.
async fn case_event(
    desk: web::Data<Desk>,
    gate: web::Data<Gate>,
    id: String,
    what: &str,
    token: Option<&str>,
    action: Action,
) -> Answer {
    check_token(&gate, &format!("/reports/{id}/{what}"), token)?;
    let (report, outcome) = blocking(&desk, move |d| d.case_event(&id, action)).await?;
    Ok(see_other(format!(
        "/reports/{report}?done=case-{}",
        outcome.as_str()
    )))
}

async fn note(
    desk: web::Data<Desk>,
    gate: web::Data<Gate>,
    path: web::Path<String>,
    form: web::Form<NoteForm>,
) -> Answer {
    let form = form.into_inner();
    let text = form.text.trim().to_string();
    if text.is_empty() {
        return Err(WebDeskError::Input("error-note-empty"));
    }
    let id = path.into_inner();
    case_event(
        desk,
        gate,
        id,
        "note",
        form.token.as_deref(),
        Action::Note { text },
    )
    .await
}

/// The tag form (add, or remove with `remove`).
#[derive(serde::Deserialize)]
struct TagForm {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    remove: Option<String>,
}

/// A tag as `desk tag` takes it: one lower-case word.
fn checked_tag(tag: &str) -> Result<String, WebDeskError> {
    crate::desk::casefile::cli::normal_tag(tag).ok_or(WebDeskError::Input("error-tag"))
}

async fn tag(
    desk: web::Data<Desk>,
    gate: web::Data<Gate>,
    path: web::Path<String>,
    form: web::Form<TagForm>,
) -> Answer {
    let form = form.into_inner();
    let action = Action::Tag {
        tags: vec![checked_tag(&form.tag)?],
        remove: form.remove.is_some(),
    };
    case_event(
        desk,
        gate,
        path.into_inner(),
        "tag",
        form.token.as_deref(),
        action,
    )
    .await
}

/// The assign form: a roster name, or empty for nobody.
#[derive(serde::Deserialize)]
struct AssignForm {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    to: String,
}

async fn assign(
    desk: web::Data<Desk>,
    gate: web::Data<Gate>,
    path: web::Path<String>,
    form: web::Form<AssignForm>,
) -> Answer {
    let form = form.into_inner();
    let to = Some(form.to.trim().to_string()).filter(|n| !n.is_empty());
    case_event(
        desk,
        gate,
        path.into_inner(),
        "assign",
        form.token.as_deref(),
        Action::Assign { to },
    )
    .await
}

/// The reminder form: a day and an optional note.
#[derive(serde::Deserialize)]
struct RemindForm {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    date: String,
    #[serde(default)]
    note: String,
}

async fn remind(
    desk: web::Data<Desk>,
    gate: web::Data<Gate>,
    path: web::Path<String>,
    form: web::Form<RemindForm>,
) -> Answer {
    let form = form.into_inner();
    let id = path.into_inner();
    // The token first: a forged post learns nothing, not even about the date.
    check_token(
        &gate,
        &format!("/reports/{id}/remind"),
        form.token.as_deref(),
    )?;
    // `desk remind`'s rule: a real calendar day as YYYY-MM-DD.
    let date = form.date.trim().to_string();
    if !crate::desk::casefile::cli::reminder_day_ok(&date) {
        return Err(WebDeskError::Input("error-remind-date"));
    }
    let note = Some(form.note.trim().to_string()).filter(|n| !n.is_empty());
    if note
        .as_ref()
        .is_some_and(|n| n.chars().count() > super::case_views::MAX_REMINDER_NOTE)
    {
        return Err(WebDeskError::Input("error-remind-note"));
    }
    case_event(
        desk,
        gate,
        id,
        "remind",
        form.token.as_deref(),
        Action::Remind { date, note },
    )
    .await
}

/// A form with nothing but its token.
#[derive(serde::Deserialize)]
struct TokenOnly {
    #[serde(default)]
    token: Option<String>,
}

async fn sync(desk: web::Data<Desk>, gate: web::Data<Gate>, form: web::Form<TokenOnly>) -> Answer {
    check_token(&gate, "/sync", form.token.as_deref())?;
    let s = blocking(&desk, |d| d.sync()).await?;
    Ok(see_other(format!(
        "/?done=synced&pulled={}&sent={}",
        s.pulled, s.sent
    )))
}

async fn retry(desk: web::Data<Desk>, gate: web::Data<Gate>, form: web::Form<TokenOnly>) -> Answer {
    check_token(&gate, "/outbox/retry", form.token.as_deref())?;
    let sent = blocking(&desk, |d| d.retry()).await?;
    Ok(see_other(format!("/outbox?done=retried&sent={sent}")))
}

async fn outbox(desk: web::Data<Desk>, gate: web::Data<Gate>, done: web::Query<Done>) -> Answer {
    let can_sync = desk.connection.is_some();
    let l = gate.lang();
    let entries = blocking(&desk, move |d| {
        Ok(crate::desk::outbox::entries(&d.mirror)?
            .iter()
            .map(|e| {
                let what = match &e.item {
                    crate::desk::outbox::Queued::Reply { written, .. } => {
                        t_args(l, "outbox-reply", &[("day", written.as_str().into())])
                    }
                    crate::desk::outbox::Queued::Status { status, .. } => t_args(
                        l,
                        "conv-status-change",
                        &[("status", status_name(l, *status).into())],
                    ),
                    crate::desk::outbox::Queued::Event { written, .. } => {
                        t_args(l, "outbox-event", &[("day", written.as_str().into())])
                    }
                };
                (e.item.report().to_string(), what)
            })
            .collect::<Vec<_>>())
    })
    .await?;
    let ui = Ui::new(&gate);
    Ok(page(views::outbox(
        &ui,
        &entries,
        can_sync,
        done.notice(ui.lang).as_ref(),
    )))
}

async fn help(gate: web::Data<Gate>) -> HttpResponse {
    page(views::help(&Ui::new(&gate)))
}

/// The language switch's form.
#[derive(serde::Deserialize)]
struct LangForm {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    back: String,
}

/// Where the switch returns to: one of our own paths, never another site.
fn back_path(back: &str) -> &str {
    let ours = back.starts_with('/')
        && !back.starts_with("//")
        && back
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'-' || b == b'_');
    if ours {
        back
    } else {
        "/"
    }
}

async fn switch_lang(gate: web::Data<Gate>, form: web::Form<LangForm>) -> Answer {
    check_token(&gate, views::LANG_PATH, form.token.as_deref())?;
    let lang = Lang::from_code(&form.lang).ok_or(WebDeskError::Input("error-lang"))?;
    gate.set_lang(lang);
    Ok(see_other(back_path(&form.back).to_string()))
}

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .body(include_str!("desk.css"))
}

/// One attachment of a report, decrypted, with the image type of its bytes
/// and, for an image, its metadata removed (`None` when it could not be:
/// then it is saved as it is, never shown).
async fn decrypted(
    desk: &web::Data<Desk>,
    id: String,
    aid: AttachmentId,
) -> Result<(Vec<u8>, Option<image::ImageKind>), WebDeskError> {
    blocking(desk, move |d| {
        let report = d.exact(&id)?;
        let mut bytes = d.with_identity(|identity| {
            model::attachment_bytes(&d.mirror, identity, report.id, aid)
        })?;
        Ok(match image::inline(&bytes) {
            Some((kind, clean)) => (clean, Some(kind)),
            None => (std::mem::take(&mut *bytes), None),
        })
    })
    .await
}

/// The attachment id of a path, else 404.
fn attachment_id(aid: &str) -> Result<AttachmentId, WebDeskError> {
    aid.parse().map_err(|_| WebDeskError::NotFound)
}

/// A reporter's file is hostile: no script, no plugin, no navigation, even if
/// a browser were to take it for a page.
const SANDBOX: &str = "sandbox; default-src 'none'; img-src 'self'; style-src 'none'";

async fn attachment(desk: web::Data<Desk>, path: web::Path<(String, String)>) -> Answer {
    let (id, aid) = path.into_inner();
    let (bytes, kind) = decrypted(&desk, id, attachment_id(&aid)?).await?;
    let kind = kind.ok_or(WebDeskError::NotAnImage)?;
    Ok(HttpResponse::Ok()
        .content_type(kind.mime())
        .insert_header((header::CONTENT_SECURITY_POLICY, SANDBOX))
        .insert_header((header::CONTENT_DISPOSITION, "inline"))
        .body(bytes))
}

async fn save(desk: web::Data<Desk>, path: web::Path<(String, String)>) -> Answer {
    let (id, aid) = path.into_inner();
    let aid = attachment_id(&aid)?;
    // `decrypted` found the report by this full id: the path's id is its id.
    let (bytes, kind) = decrypted(&desk, id.clone(), aid).await?;
    // The reporter's file name never reaches a header: ids only.
    let name = format!(
        "report-{}-file-{}.{}",
        crate::desk::view::short(&id),
        crate::desk::view::short(&aid.to_string()),
        kind.map_or("bin", image::ImageKind::extension)
    );
    Ok(HttpResponse::Ok()
        .content_type("application/octet-stream")
        .insert_header((header::CONTENT_SECURITY_POLICY, SANDBOX))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(bytes))
}

/// All tables of the Figures page in one pass over the mirror: the counts,
/// the dimensions per month, and the reports that could not be opened.
type AllCounts = (
    std::collections::BTreeMap<String, crate::desk::figures::Table>,
    std::collections::BTreeMap<String, crate::desk::figures::ByMonth>,
    usize,
);

fn counts_and_months(d: &Desk) -> Result<AllCounts, DeskError> {
    let by: Vec<String> = d
        .content
        .questionnaire
        .questions()
        .filter(|q| q.may_count())
        .map(|q| q.id.clone())
        .collect();
    let monthly = super::figures_monthly::dimensions(&d.content.questionnaire);
    let mut unopened = crate::desk::view::Unopened::default();
    let (tables, months) = d.with_identity(|identity| {
        crate::desk::figures::compute_with_months(&d.mirror, identity, &by, &monthly, &mut unopened)
    })?;
    Ok((tables, months, unopened.count()))
}

/// The charts per month, from the counts and the mirror's reply days.
fn monthly_figures(
    d: &Desk,
    tables: &std::collections::BTreeMap<String, crate::desk::figures::Table>,
    months: &std::collections::BTreeMap<String, crate::desk::figures::ByMonth>,
    l: Lang,
) -> Result<Vec<super::figures_monthly::MonthlyFigure>, DeskError> {
    let first_reply = crate::desk::casefile::figures::first_reply_by_month(&d.mirror)?;
    let empty = crate::desk::figures::Table::new();
    Ok(super::figures_monthly::figures(
        l,
        &|dimension, value| value_words(d, dimension, value, l),
        &d.content.questionnaire,
        tables.get("month").unwrap_or(&empty),
        months,
        &first_reply,
    ))
}

fn chart_title(d: &Desk, name: &str, l: Lang) -> String {
    match name {
        "month" => t(l, "figures-by-month"),
        "status" => t(l, "figures-by-status"),
        "language" => t(l, "figures-by-language"),
        q => {
            let question = d
                .content
                .text_opt(&d.answers_lang(l), &format!("q-{q}"), None)
                .unwrap_or_else(|| q.to_string());
            t_args(l, "figures-by-question", &[("title", question.into())])
        }
    }
}

/// A counted value as staff read it: a status's name, an option's text in
/// the answers' language; else the value itself (months, language codes,
/// countable free text). The CSV keeps the values.
fn value_words(d: &Desk, dimension: &str, value: &str, l: Lang) -> String {
    // The two markers `desk figures` counts besides answers.
    match value {
        "(not answered)" => return t(l, "figures-not-answered"),
        "(empty)" => return t(l, "figures-empty"),
        _ => {}
    }
    match dimension {
        "status" => value
            .parse::<Status>()
            .map_or_else(|_| value.to_string(), |st| status_name(l, st)),
        "month" | "language" => value.to_string(),
        q => d
            .content
            .questionnaire
            .question(q)
            .filter(|q| q.options.iter().any(|o| o == value))
            .and_then(|_| {
                d.content
                    .text_opt(&d.answers_lang(l), &format!("q-{q}-{value}"), None)
            })
            .unwrap_or_else(|| value.to_string()),
    }
}

async fn figures(desk: web::Data<Desk>, gate: web::Data<Gate>) -> Answer {
    let l = gate.lang();
    let (charts, unopened, monthly) = blocking(&desk, move |d| {
        let (tables, months, unopened) = counts_and_months(d)?;
        let monthly = monthly_figures(d, &tables, &months, l)?;
        // Month, status and language first; then the questions in id order.
        let mut ordered: Vec<_> = tables.iter().collect();
        ordered.sort_by_key(|(name, _)| {
            ["month", "status", "language"]
                .iter()
                .position(|f| f == name)
                .unwrap_or(3)
        });
        let charts = ordered
            .into_iter()
            .map(|(name, table)| {
                let rows: Vec<(String, usize)> = table
                    .iter()
                    .map(|(v, c)| (value_words(d, name, v, l), *c))
                    .collect();
                // The chart's labels in words; as counted if two values
                // would read the same.
                let shown: crate::desk::figures::Table = rows.iter().cloned().collect();
                let shown = if shown.len() == table.len() {
                    shown
                } else {
                    table.clone()
                };
                views::Chart {
                    name: name.clone(),
                    title: chart_title(d, name, l),
                    svg: super::charts::bars(&shown, &t(l, "figures-axis")),
                    rows,
                }
            })
            .collect::<Vec<_>>();
        Ok((charts, unopened, monthly))
    })
    .await?;
    Ok(page(views::figures(
        &Ui::new(&gate),
        &charts,
        unopened,
        super::figure_views::monthly(l, &monthly),
    )))
}

/// One chart per month's table as CSV: the same rows and columns as the page.
async fn monthly_csv(
    desk: web::Data<Desk>,
    gate: web::Data<Gate>,
    path: web::Path<String>,
) -> Answer {
    let l = gate.lang();
    let slug = path.into_inner();
    let wanted = slug.clone();
    let figure = blocking(&desk, move |d| {
        let (tables, months, _) = counts_and_months(d)?;
        Ok(monthly_figures(d, &tables, &months, l)?
            .into_iter()
            .find(|f| f.slug == wanted))
    })
    .await?
    .ok_or(WebDeskError::NotFound)?;
    // The slug is one we made (a known dimension), never reporter text.
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"tipline-per-month-{}.csv\"",
                figure.slug
            ),
        ))
        .body(figure.csv()))
}

async fn figures_csv(desk: web::Data<Desk>, path: web::Path<String>) -> Answer {
    let name = path.into_inner();
    let (tables, _, _) = blocking(&desk, counts_and_months).await?;
    let table = tables.get(&name).ok_or(WebDeskError::NotFound)?;
    let mut csv = String::from("value,count\n");
    for (value, count) in table {
        csv.push_str(&format!(
            "{},{count}\n",
            crate::desk::terminal::csv_cell(value)
        ));
    }
    // The name is a known dimension (a questionnaire id), never reporter text.
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"tipline-{name}.csv\""),
        ))
        .body(csv))
}
