//! The reporter's control over their code and report, from the check page:
//! a new code (the old one dies at once) and deletion (after a confirmation).
//! Both continue a check-in through its single-use token.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};

use crate::envelope;
use crate::ids::{MessageId, ReportId};
use crate::message::Author;
use crate::receipt::ReceiptCode;
use crate::reporter_signing;
use crate::store::StoreError;

use super::error::{PageError, PageErrorKind};
use super::kdf::KdfError;
use super::pages::{self, Ctx};
use super::reporter::secret_html;
use super::AppState;

/// Registers the lifecycle routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/check/rotate").route(web::post().to(rotate)))
        .service(web::resource("/check/delete").route(web::post().to(delete_ask)))
        .service(web::resource("/check/delete/confirm").route(web::post().to(delete_confirm)));
}

/// A form that carries only the check-in token.
#[derive(serde::Deserialize)]
pub struct TokenForm {
    token: String,
    lang: Option<String>,
}

/// The buttons shown under a successful check-in.
pub fn code_actions(ctx: &Ctx<'_>, token: &str) -> Markup {
    html! {
        h2 { (ctx.t("code-actions-title")) }
        p { (ctx.t("rotate-hint")) }
        form method="post" action="/check/rotate" {
            (ctx.lang_field())
            input type="hidden" name="token" value=(token);
            button type="submit" class="secondary" { (ctx.t("rotate-button")) }
        }
        p { (ctx.t("delete-hint")) }
        form method="post" action="/check/delete" {
            (ctx.lang_field())
            input type="hidden" name="token" value=(token);
            button type="submit" class="secondary" { (ctx.t("delete-button")) }
        }
    }
}

fn expired(state: &AppState, lang: &str) -> HttpResponse {
    secret_html(pages::check_form(
        &state.ctx(lang, "/check"),
        Some("followup-expired"),
    ))
}

/// The language and the check-in a token stands for, or the "type your code
/// again" page when the token is spent or expired.
fn redeem(
    state: &AppState,
    form: &TokenForm,
) -> Result<(String, super::checkin::Checkin), Box<HttpResponse>> {
    let lang = state.lang(form.lang.as_deref());
    match state.checkins.redeem(&form.token) {
        Some(checkin) => Ok((lang, checkin)),
        None => Err(Box::new(expired(state, &lang))),
    }
}

async fn rotate(
    state: web::Data<AppState>,
    form: web::Form<TokenForm>,
) -> Result<HttpResponse, PageError> {
    let (lang, checkin) = match redeem(&state, &form) {
        Ok(found) => found,
        Err(page) => return Ok(*page),
    };
    let code = ReceiptCode::generate();
    let shown = code.to_display();
    let keys = match state.report_kdf.derive(code).await {
        Ok(keys) => keys,
        Err(KdfError::Busy) => return Err(state.page_error(&lang, PageErrorKind::Busy)),
        Err(e) => return Err(state.page_error(&lang, PageErrorKind::Internal(e.to_string()))),
    };
    let store = state.store.clone();
    let recipients = state.recipients.current();
    let report = checkin.report;
    let done = web::block(move || -> Result<(), StoreError> {
        // The new key is of the kind of this snapshot's centre keys, so a code
        // change also moves a classical report onto a hybrid centre's kind.
        let new_recipient = keys.reporter_recipient(crate::hybrid::any_hybrid(&recipients));
        // The old code's key vouches for the new keys, so the desk can follow
        // the change from the keys sealed in the report (issue 12.6).
        let statement = reporter_signing::sign_code_change(
            &checkin.signing,
            report,
            &new_recipient.to_string(),
            &keys.signing.verifying_key(),
        );
        let mut reencrypted: Vec<(MessageId, Vec<u8>)> = Vec::new();
        for m in store.messages(report)? {
            if m.author != Author::Staff {
                continue;
            }
            let Some(ct) = store.ciphertext(m.id)? else {
                continue;
            };
            let old = std::iter::once(&checkin.identity as &dyn age::Identity);
            // A reply the old key cannot open stays as it is (staff can still read it).
            let Ok(plain) = envelope::open(&ct, old) else {
                continue;
            };
            let to = std::iter::once(&new_recipient as &dyn age::Recipient)
                .chain(envelope::as_recipients(&recipients));
            let sealed =
                envelope::seal(&plain, to).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            reencrypted.push((m.id, sealed));
        }
        store.rotate_code(
            report,
            keys.lookup,
            new_recipient.to_string(),
            statement,
            reencrypted,
        )
    })
    .await
    .map_err(|e| state.page_error(&lang, PageErrorKind::Internal(e.to_string())))?;
    match done {
        Ok(()) => Ok(secret_html(pages::receipt(
            &state.ctx(&lang, "/"),
            &shown,
            pages::CodeShown::NewCode,
            false,
        ))),
        Err(StoreError::NoSuchReport) => Ok(expired(&state, &lang)),
        Err(e) => Err(state.page_error(&lang, e.into())),
    }
}

async fn delete_ask(
    state: web::Data<AppState>,
    form: web::Form<TokenForm>,
) -> Result<HttpResponse, PageError> {
    let (lang, checkin) = match redeem(&state, &form) {
        Ok(found) => found,
        Err(page) => return Ok(*page),
    };
    let Some(token) = state
        .checkins
        .issue(checkin.report, checkin.identity, checkin.signing)
    else {
        return Err(state.page_error(&lang, PageErrorKind::Busy));
    };
    Ok(secret_html(confirm_page(
        &state.ctx(&lang, "/check"),
        &token,
    )))
}

async fn delete_confirm(
    state: web::Data<AppState>,
    form: web::Form<TokenForm>,
) -> Result<HttpResponse, PageError> {
    let (lang, checkin) = match redeem(&state, &form) {
        Ok(found) => found,
        Err(page) => return Ok(*page),
    };
    let store = state.store.clone();
    let report: ReportId = checkin.report;
    drop(checkin);
    match web::block(move || store.delete_report(report))
        .await
        .map_err(|e| state.page_error(&lang, PageErrorKind::Internal(e.to_string())))?
    {
        Ok(()) | Err(StoreError::NoSuchReport) => {
            Ok(secret_html(deleted_page(&state.ctx(&lang, "/"))))
        }
        Err(e) => Err(state.page_error(&lang, e.into())),
    }
}

fn confirm_page(ctx: &Ctx<'_>, token: &str) -> Markup {
    let body = html! {
        h1 { (ctx.t("delete-confirm-title")) }
        p class="error" { (ctx.t("delete-confirm-text")) }
        form method="post" action="/check/delete/confirm" {
            (ctx.lang_field())
            input type="hidden" name="token" value=(token);
            div class="actions" {
                button type="submit" { (ctx.t("delete-confirm-yes")) }
                a class="button secondary" href=(ctx.href("/check")) { (ctx.t("delete-confirm-no")) }
            }
        }
    };
    pages::layout(ctx, &ctx.t("delete-confirm-title"), body)
}

fn deleted_page(ctx: &Ctx<'_>) -> Markup {
    let body = html! {
        h1 { (ctx.t("delete-done-title")) }
        p { (ctx.t("delete-done-text")) }
        div class="actions" {
            a class="button" href=(ctx.href("/")) { (ctx.t("nav-home")) }
        }
    };
    pages::layout(ctx, &ctx.t("delete-done-title"), body)
}
