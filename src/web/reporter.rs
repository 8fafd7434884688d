//! The reporter's routes: landing, report (standard and children's form), receipt
//! and its confirmation, check-in, follow-up, and the explaining pages.
//!
//! No cookies: the language travels in the query (`?lang=`) or a form field, and a
//! check-in continues through a single-use token in a hidden field.

use std::sync::Arc;

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;
use zeroize::Zeroizing;

use crate::envelope;
use crate::ids::{MessageId, ReportId};
use crate::message::{self, Author, Kind, ReporterMessage};
use crate::questionnaire::Answers;
use crate::receipt::{ReceiptCode, ReporterKeys};
use crate::reporter_signing;
use crate::store::{AttachmentRef, NewMessage};

use super::error::{PageError, PageErrorKind};
use super::form::{self, FormError, Submission};
use super::kdf::KdfError;
use super::pages::{self, CodeShown, Ctx, FormNotice};
use super::questions::{Prefill, Variant};
use super::AppState;

/// One snapshot of the centre's recipients (see [`crate::keys::CentreKeys`]).
type Recipients = Arc<Vec<crate::hybrid::AnyRecipient>>;

/// The language asked for in the query string.
#[derive(serde::Deserialize)]
pub struct LangQuery {
    /// A language code; unknown ones mean the default.
    pub lang: Option<String>,
}

impl LangQuery {
    /// The `lang` of a request's query string, for handlers that take no query
    /// extractor (errors, multipart forms whose `lang` field may come late).
    pub fn of(req: &HttpRequest) -> Option<String> {
        web::Query::<Self>::from_query(req.query_string())
            .ok()
            .and_then(|q| q.into_inner().lang)
    }
}

/// The check-in form.
#[derive(serde::Deserialize)]
pub struct CheckForm {
    code: String,
    lang: Option<String>,
}

/// The receipt page's "I wrote it down" form: the code shown and the code typed.
#[derive(serde::Deserialize)]
pub struct ConfirmForm {
    shown: String,
    typed: String,
    lang: Option<String>,
    kind: Option<String>,
}

/// Registers the reporter routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    // One resource per path, so a wrong method gets 405 rather than 404.
    let page = |path: &'static str, route: actix_web::Route| web::resource(path).route(route);
    cfg.service(page("/", cached("/")))
        .service(page("/report", cached("/report")).route(web::post().to(report_submit)))
        .service(page("/check", cached("/check")).route(web::post().to(check_submit)))
        .service(page("/check/message", web::post().to(followup_submit)))
        .service(page("/receipt/confirm", web::post().to(receipt_confirm)))
        .service(page("/kids", cached("/kids")))
        .service(page("/what-happens", cached("/what-happens")))
        .service(page("/your-code", cached("/your-code")))
        .service(page("/safety", cached("/safety")))
        .service(page(
            super::info::SECURITY_PATH,
            cached(super::info::SECURITY_PATH),
        ))
        .service(page(pages::STYLESHEET_PATH, read().to(stylesheet)));
}

/// GET, and HEAD for monitors and link checkers (the body is left off for HEAD).
pub(super) fn read() -> actix_web::Route {
    web::route().guard(actix_web::guard::Any(actix_web::guard::Get()).or(actix_web::guard::Head()))
}

impl AppState {
    pub(super) fn lang(&self, requested: Option<&str>) -> String {
        self.content.pick_lang(requested).to_string()
    }

    pub(super) fn ctx<'a>(&'a self, lang: &'a str, path: &'a str) -> Ctx<'a> {
        Ctx {
            content: &self.content,
            lang,
            demo: self.demo,
            path,
        }
    }

    /// A failure to be shown in `lang`.
    pub(super) fn page_error(&self, lang: &str, kind: PageErrorKind) -> PageError {
        PageError {
            kind,
            lang: lang.to_string(),
            content: Arc::clone(&self.content),
            demo: self.demo,
        }
    }
}

/// Pages with a code, replies or a token: never kept by a browser or proxy.
pub(super) fn secret_html(markup: Markup) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

/// A page that is the same for everyone, in the language asked for, from the
/// page cache.
fn cached(path: &'static str) -> actix_web::Route {
    read().to(
        move |state: web::Data<AppState>, q: web::Query<LangQuery>| async move {
            let lang = state.lang(q.lang.as_deref());
            match state.pages.get(path, &lang) {
                Some(body) => Ok(HttpResponse::Ok()
                    .content_type("text/html; charset=utf-8")
                    .body(body)),
                None => Err(state.page_error(&lang, PageErrorKind::NotFound)),
            }
        },
    )
}

/// The reporter typed back the code from the receipt. Nothing is looked up or
/// stored: the two are compared, and a mismatch shows the receipt again.
async fn receipt_confirm(
    state: web::Data<AppState>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let (shown, typed) = (Zeroizing::new(form.shown), Zeroizing::new(form.typed));
    let lang = state.lang(form.lang.as_deref());
    // Only a real code is shown again, so this page cannot be made to display
    // someone else's text as "your code".
    let Ok(shown) = shown.parse::<ReceiptCode>() else {
        return Err(state.page_error(&lang, PageErrorKind::BadRequest("not a code")));
    };
    let ctx = state.ctx(&lang, "/");
    if typed.parse::<ReceiptCode>().ok().as_ref() == Some(&shown) {
        return Ok(secret_html(pages::receipt_confirmed(&ctx)));
    }
    Ok(secret_html(pages::receipt(
        &ctx,
        shown.to_display().as_str(),
        CodeShown::from_field(form.kind.as_deref()),
        true,
    )))
}

async fn stylesheet(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        // Not kept either: a cached copy would outlive the reporter's cleaning
        // of the history, and it is 5 KB.
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(state.content.stylesheet.clone())
}

/// Reads a form; maps its failures to pages in the language the form asked for
/// (the `lang` field may not have arrived yet, so the query decides then).
async fn read_form(
    state: &AppState,
    recipients: &Recipients,
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<Submission, PageError> {
    let query_lang = LangQuery::of(req);
    // Past the bound, "busy" at once: the body is not read at all.
    let Some(_admitted) = state.uploads.admit() else {
        return Err(state.page_error(&state.lang(query_lang.as_deref()), PageErrorKind::Busy));
    };
    let multipart = Multipart::new(req.headers(), payload);
    let sink = form::FileSink {
        store: &state.store,
        recipients,
        seal: &state.length_seal,
        uploads: &state.uploads,
    };
    form::read(multipart, sink, state.form_limits)
        .await
        .map_err(|failure| {
            let lang = state.lang(failure.lang.as_deref().or(query_lang.as_deref()));
            let kind = match failure.error {
                FormError::Malformed(why) => PageErrorKind::BadRequest(why),
                FormError::TooLarge(limit) => PageErrorKind::TooLarge { limit },
                FormError::StorageFull => PageErrorKind::StorageFull,
                FormError::Store(cause) => PageErrorKind::Internal(cause),
            };
            state.page_error(&lang, kind)
        })
}

/// What a reporter document carries besides the reporter's words.
enum DocKeys<'a> {
    /// The report itself: the anchor, the keys derived from the new code.
    Anchor(&'a ReporterKeys),
    /// A follow-up: signed with the check-in's key as message `id` of `report`.
    Signed {
        key: &'a ed25519_dalek::SigningKey,
        report: ReportId,
        id: MessageId,
    },
}

/// Builds, pads and seals a reporter message to the centre. Only the report
/// itself carries questionnaire answers.
fn seal_message(
    recipients: &Recipients,
    keys: DocKeys<'_>,
    lang: &str,
    sub: &Submission,
    text: String,
    answers: Answers,
) -> Result<Vec<u8>, PageErrorKind> {
    let variant = Variant::from_field(sub.field("variant"))
        .field_value()
        .map(str::to_string);
    let kind = match keys {
        DocKeys::Anchor(_) => Kind::Report,
        DocKeys::Signed { .. } => Kind::FollowUp,
    };
    let mut doc = ReporterMessage {
        version: message::VERSION,
        kind,
        lang: lang.to_string(),
        message: text,
        answers,
        attachments: sub.attachments.clone(),
        variant,
        reporter_recipient: None,
        verifying_key: None,
        signature: None,
        intake: None,
    };
    match keys {
        DocKeys::Anchor(keys) => {
            // A report staff took down by phone (`desk intake`): the channel and
            // the staff member's name go only in here, encrypted.
            doc.intake = message::Intake::from_fields(
                sub.field(message::INTAKE_CHANNEL_FIELD),
                sub.field(message::INTAKE_BY_FIELD),
            );
            // The same recipient `store_report` stores: hybrid for a hybrid centre.
            let hybrid = crate::hybrid::any_hybrid(recipients);
            doc.reporter_recipient = Some(keys.reporter_recipient(hybrid).to_string());
            doc.verifying_key = Some(reporter_signing::encode_key(&keys.signing.verifying_key()));
        }
        DocKeys::Signed { key, report, id } => {
            reporter_signing::sign_follow_up(key, report, id, &mut doc)
                .map_err(|e| PageErrorKind::Internal(e.to_string()))?;
        }
    }
    let padded = doc
        .to_padded_json()
        .map_err(|e| PageErrorKind::Internal(e.to_string()))?;
    envelope::seal(&padded, envelope::as_recipients(recipients))
        .map_err(|e| PageErrorKind::Internal(e.to_string()))
}

/// Checks the free text: present, and within the length limit.
fn message_text(state: &AppState, sub: &Submission) -> Result<String, &'static str> {
    let text = sub.field("message").unwrap_or("").trim();
    if text.is_empty() {
        return Err("report-error-empty");
    }
    if text.chars().count() > state.max_message_chars {
        return Err("report-error-too-long");
    }
    Ok(text.to_string())
}

fn attachment_refs(sub: &Submission) -> Vec<AttachmentRef> {
    sub.stored.clone()
}

async fn report_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    // One snapshot of the centre's keys for the whole report, so its files and
    // its text go to the same recipients even if `kill -HUP` reloads meanwhile.
    let recipients = state.recipients.current();
    let sub = read_form(&state, &recipients, &req, payload).await?;
    let lang = state.lang(sub.field("lang"));
    let result = store_report(&state, &recipients, &lang, &sub).await;
    if result.is_err() {
        state.store.discard_blobs(&sub.attachment_ids());
    }
    match result {
        Ok(stored) => Ok(secret_html(pages::receipt(
            &state.ctx(&lang, "/"),
            stored.code.as_str(),
            CodeShown::Report {
                urgent: stored.urgent,
            },
            false,
        ))),
        Err(ReportOutcome::Retry(notice)) => {
            // Keep what the reporter wrote and chose; only files need choosing again.
            let prefill = Prefill::from_fields(&sub.fields);
            let status = match notice {
                FormNotice::Busy => actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
                _ => actix_web::http::StatusCode::BAD_REQUEST,
            };
            let page = match Variant::from_field(sub.field("variant")) {
                Variant::Standard => {
                    pages::report_form(&state.ctx(&lang, "/report"), prefill, notice)
                }
                Variant::Kids => pages::kids(&state.ctx(&lang, "/kids"), prefill, notice),
            };
            Ok(HttpResponse::build(status)
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .content_type("text/html; charset=utf-8")
                .body(page.into_string()))
        }
        Err(ReportOutcome::Failed(kind)) => Err(state.page_error(&lang, kind)),
    }
}

enum ReportOutcome {
    /// Show the form again with the reporter's text and a notice.
    Retry(FormNotice),
    /// Show an error page.
    Failed(PageErrorKind),
}

/// A stored report: the code to show once, and whether someone is in danger.
struct Stored {
    code: Zeroizing<String>,
    urgent: bool,
}

/// Encrypts and stores a report; returns the receipt code to show.
async fn store_report(
    state: &AppState,
    recipients: &Recipients,
    lang: &str,
    sub: &Submission,
) -> Result<Stored, ReportOutcome> {
    let text = message_text(state, sub).map_err(|k| ReportOutcome::Retry(FormNotice::Error(k)))?;
    let questionnaire = &state.content.questionnaire;
    let answers = questionnaire
        .answers(&sub.fields)
        .map_err(|_| ReportOutcome::Retry(FormNotice::Error("report-error-answer")))?;
    let urgent = questionnaire.is_urgent(&answers);
    let code = ReceiptCode::generate();
    let shown = code.to_display();
    let keys = match state.report_kdf.derive(code).await {
        Ok(keys) => keys,
        Err(KdfError::Busy) => return Err(ReportOutcome::Retry(FormNotice::Busy)),
        Err(e) => {
            return Err(ReportOutcome::Failed(PageErrorKind::Internal(
                e.to_string(),
            )))
        }
    };
    let ciphertext = seal_message(recipients, DocKeys::Anchor(&keys), lang, sub, text, answers)
        .map_err(ReportOutcome::Failed)?;
    let first = NewMessage {
        id: MessageId::generate(),
        author: Author::Reporter,
        ciphertext,
        attachments: attachment_refs(sub),
    };
    let store = state.store.clone();
    let recipient = keys
        .reporter_recipient(crate::hybrid::any_hybrid(recipients))
        .to_string();
    let lookup = keys.lookup;
    drop(keys);
    web::block(move || store.create_report(ReportId::generate(), lookup, recipient, first))
        .await
        .map_err(|e| ReportOutcome::Failed(PageErrorKind::Internal(e.to_string())))?
        .map_err(|e| ReportOutcome::Failed(e.into()))?;
    state.notifier.note();
    Ok(Stored {
        code: shown,
        urgent,
    })
}

async fn check_submit(
    state: web::Data<AppState>,
    form: web::Form<CheckForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let code_input = Zeroizing::new(form.code);
    let lang = state.lang(form.lang.as_deref());
    let unknown = || secret_html(pages::check_unknown(&state.ctx(&lang, "/check")));

    let Ok(code) = code_input.parse::<ReceiptCode>() else {
        return Ok(unknown());
    };
    let keys = match state.check_kdf.derive(code).await {
        Ok(keys) => keys,
        Err(KdfError::Busy) => return Err(state.page_error(&lang, PageErrorKind::Busy)),
        Err(e) => return Err(state.page_error(&lang, PageErrorKind::Internal(e.to_string()))),
    };
    let store = state.store.clone();
    let recipients = state.recipients.current();
    let hybrid = crate::hybrid::any_hybrid(&recipients);
    // Look up, load and decrypt on a blocking thread: the replies exist in clear
    // only there and in the page, and are wiped after.
    let found = web::block(move || -> Result<_, PageErrorKind> {
        let Some(id) = store.find_by_lookup(&keys.lookup)? else {
            return Ok(None);
        };
        let Some(record) = store.report(id)? else {
            return Ok(None);
        };
        // A report made before the centre switched to hybrid keys gets its hybrid
        // reporter key now, with its replies re-encrypted (as a code change does).
        let upgrade = (hybrid && !record.reporter_recipient.starts_with("age1pq1"))
            .then(|| keys.reporter_recipient(true));
        let crate::receipt::ReporterKeys {
            identity,
            hybrid: hybrid_identity,
            signing,
            ..
        } = keys;
        let identity = crate::hybrid::ReporterIdentity::new(identity, hybrid_identity);
        let mut reencrypted = Vec::new();
        let mut replies = Vec::new();
        for m in store.messages(id)? {
            if m.author != Author::Staff {
                continue;
            }
            let Some(ct) = store.ciphertext(m.id)? else {
                continue;
            };
            // A reply not encrypted to this reporter (a staff mistake) is skipped,
            // not shown as an error to the reporter.
            if let Ok(plain) = envelope::open(&ct, std::iter::once(&identity as &dyn age::Identity))
            {
                if let Some(to) = &upgrade {
                    let all = std::iter::once(to as &dyn age::Recipient)
                        .chain(envelope::as_recipients(&recipients));
                    let sealed = envelope::seal(&plain, all)
                        .map_err(|e| PageErrorKind::Internal(e.to_string()))?;
                    reencrypted.push((m.id, sealed));
                }
                // Replies are padded with trailing spaces by the desk.
                replies.push(Zeroizing::new(
                    String::from_utf8_lossy(&plain).trim_end().to_string(),
                ));
            }
        }
        if let Some(to) = upgrade {
            // The check-in holds the code's signing key, so it vouches for the
            // upgrade as a code change does: the desk traces the hybrid key.
            let to = to.to_string();
            let statement =
                reporter_signing::sign_code_change(&signing, id, &to, &signing.verifying_key());
            store.replace_reporter_key(id, to, statement, reencrypted)?;
        }
        Ok(Some((id, record.status, replies, identity, signing)))
    })
    .await
    .map_err(|e| state.page_error(&lang, PageErrorKind::Internal(e.to_string())))?
    .map_err(|k| state.page_error(&lang, k))?;

    let Some((id, status, replies, identity, signing)) = found else {
        return Ok(unknown());
    };
    // A full token table costs the actions (follow-up, new code, delete), never
    // the status and the replies.
    let token = state.checkins.issue(id, identity, signing);
    let page = pages::check_result(
        &state.ctx(&lang, "/check"),
        status,
        &replies,
        token.as_ref().map(|t| t.as_str()),
    );
    drop(replies);
    Ok(secret_html(page))
}

async fn followup_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let recipients = state.recipients.current();
    let sub = read_form(&state, &recipients, &req, payload).await?;
    let lang = state.lang(sub.field("lang"));
    let result = store_followup(&state, &recipients, &lang, &sub).await;
    if result.is_err() {
        state.store.discard_blobs(&sub.attachment_ids());
    }
    match result {
        Ok(()) => Ok(secret_html(pages::followup_sent(&state.ctx(&lang, "/")))),
        Err(FollowupOutcome::Expired) => Ok(secret_html(pages::check_form(
            &state.ctx(&lang, "/check"),
            Some("followup-expired"),
        ))),
        Err(FollowupOutcome::Failed(kind)) => Err(state.page_error(&lang, kind)),
    }
}

enum FollowupOutcome {
    Expired,
    Failed(PageErrorKind),
}

async fn store_followup(
    state: &AppState,
    recipients: &Recipients,
    lang: &str,
    sub: &Submission,
) -> Result<(), FollowupOutcome> {
    // The text first: a refused text must not spend the token.
    let text = message_text(state, sub)
        .map_err(|_| FollowupOutcome::Failed(PageErrorKind::BadRequest("empty follow-up")))?;
    let Some(checkin) = sub.field("token").and_then(|t| state.checkins.redeem(t)) else {
        return Err(FollowupOutcome::Expired);
    };
    let report = checkin.report;
    let id = MessageId::generate();
    let signed = DocKeys::Signed {
        key: &checkin.signing,
        report,
        id,
    };
    let ciphertext = seal_message(recipients, signed, lang, sub, text, Answers::new())
        .map_err(FollowupOutcome::Failed)?;
    drop(checkin);
    let msg = NewMessage {
        id,
        author: Author::Reporter,
        ciphertext,
        attachments: attachment_refs(sub),
    };
    let store = state.store.clone();
    let max = state.max_follow_ups;
    web::block(move || store.add_message(report, msg, max))
        .await
        .map_err(|e| FollowupOutcome::Failed(PageErrorKind::Internal(e.to_string())))?
        .map_err(|e| match e {
            crate::store::StoreError::NoSuchReport => FollowupOutcome::Expired,
            crate::store::StoreError::TooManyMessages => {
                FollowupOutcome::Failed(PageErrorKind::BadRequest("too many follow-ups"))
            }
            other => FollowupOutcome::Failed(other.into()),
        })?;
    state.notifier.note();
    Ok(())
}
