//! The reporter's pages, rendered with maud (which escapes every value).
//!
//! Every page shares one layout: the quick-exit button first in the tab order,
//! the emergency number, the language switch, and the help lines. No script, no
//! image, no font: the page and one stylesheet are all a browser fetches.

use fluent_bundle::FluentArgs;
use maud::{html, Markup, DOCTYPE};

use super::questions::{self, Prefill, Variant};
use crate::content::Content;
use crate::status::Status;

/// What every page needs to know about the request it answers.
pub struct Ctx<'a> {
    /// Texts and site settings.
    pub content: &'a Content,
    /// The language chosen (already checked against the known ones).
    pub lang: &'a str,
    /// Announce a demo installation on every page.
    pub demo: bool,
    /// The path the language switch should point at (a GET page).
    pub path: &'a str,
}

impl Ctx<'_> {
    pub(crate) fn t(&self, key: &str) -> String {
        self.content.text(self.lang, key)
    }

    pub(crate) fn t1(&self, key: &str, name: &'static str, value: String) -> String {
        let mut args = FluentArgs::new();
        args.set(name, value);
        self.content.text_args(self.lang, key, Some(&args))
    }

    /// A text that names the emergency number (`{ $number }`).
    pub(crate) fn t_number(&self, key: &str) -> String {
        self.t1(key, "number", self.content.site.emergency_number.clone())
    }

    /// A link to `path` that keeps the language.
    pub(crate) fn href(&self, path: &str) -> String {
        format!("{path}?lang={}", self.lang)
    }

    pub(crate) fn lang_field(&self) -> Markup {
        html! { input type="hidden" name="lang" value=(self.lang); }
    }
}

/// Link to the stylesheet; the version makes a changed stylesheet load fresh.
pub const STYLESHEET_PATH: &str = "/style.css";

/// The frame of every page; `body` goes into `<main>`.
pub(crate) fn layout(ctx: &Ctx<'_>, title: &str, body: Markup) -> Markup {
    let locale = ctx.content.locale(ctx.lang);
    let site = &ctx.content.site;
    let page_title = if site.neutral_title {
        ctx.t("neutral-title")
    } else {
        format!("{title} · {}", ctx.t("site-name"))
    };
    html! {
        (DOCTYPE)
        html lang=(ctx.lang) dir=(locale.dir) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                meta name="robots" content="noindex, nofollow";
                title { (page_title) }
                // An empty icon keeps browsers from asking for /favicon.ico.
                link rel="icon" href="data:,";
                link rel="stylesheet" href=(STYLESHEET_PATH);
            }
            body {
                a class="skip" href="#main" { (ctx.t("skip-to-content")) }
                div class="topbar" {
                    a class="exit" href=(site.exit_url) rel="noreferrer noopener" title=(ctx.t("exit-hint")) {
                        (ctx.t("exit-button"))
                    }
                    nav aria-label=(ctx.t("language-switch")) {
                        ul class="langs" {
                            @for (code, name) in ctx.content.languages() {
                                li {
                                    @if code == ctx.lang {
                                        a href=(format!("{}?lang={code}", ctx.path)) lang=(code) aria-current="true" { (name) }
                                    } @else {
                                        a href=(format!("{}?lang={code}", ctx.path)) lang=(code) hreflang=(code) { (name) }
                                    }
                                }
                            }
                        }
                    }
                }
                p class="emergency" { (ctx.t_number("emergency")) }
                @if ctx.demo {
                    p class="demo" { (ctx.t("demo-banner")) }
                }
                header class="site" {
                    p class="name" { (ctx.t("site-name")) }
                    nav class="main" aria-label=(ctx.t("site-name")) {
                        ul {
                            li { a href=(ctx.href("/")) { (ctx.t("nav-home")) } }
                            li { a href=(ctx.href("/report")) { (ctx.t("nav-report")) } }
                            li { a href=(ctx.href("/check")) { (ctx.t("nav-check")) } }
                            li { a href=(ctx.href("/kids")) { (ctx.t("nav-kids")) } }
                            li { a href=(ctx.href("/safety")) { (ctx.t("nav-safety")) } }
                        }
                    }
                }
                main id="main" { (body) }
                (help_footer(ctx))
            }
        }
    }
}

fn help_footer(ctx: &Ctx<'_>) -> Markup {
    let site = &ctx.content.site;
    html! {
        footer class="help" {
            div {
                h2 { (ctx.t("helplines-title")) }
                (phone_list(ctx, false))
                @if let Some(chat) = &site.chat_url {
                    p {
                        a href=(chat) rel="noreferrer noopener" { (ctx.t("chat-link")) }
                        @if let Some(hours) = ctx.content.localised(&site.chat_hours, ctx.lang) {
                            " " (hours)
                        }
                    }
                }
                nav aria-label=(ctx.t("footer-more")) {
                    h2 { (ctx.t("footer-more")) }
                    ul {
                        li { a href=(ctx.href("/what-happens")) { (ctx.t("nav-after")) } }
                        li { a href=(ctx.href("/your-code")) { (ctx.t("nav-code")) } }
                        li { a href=(ctx.href("/safety")) { (ctx.t("nav-safety")) } }
                        @if site.security_contact.is_some() {
                            li { a href=(ctx.href("/security")) { (ctx.t("nav-security")) } }
                        }
                    }
                }
            }
        }
    }
}

/// The help lines: the children's ones (`kids`) or the others.
fn phone_list(ctx: &Ctx<'_>, kids: bool) -> Markup {
    html! {
        ul {
            @for phone in ctx.content.site.phones.iter().filter(|p| p.kids == kids) {
                li {
                    a class="phone" href=(format!("tel:{}", phone.number.replace(['-', ' '], ""))) { (phone.number) }
                    @if let Some(label) = ctx.content.localised(&phone.label, ctx.lang) {
                        ": " (label)
                    }
                }
            }
        }
    }
}

/// Why the report form is shown again.
pub enum FormNotice {
    /// First visit.
    None,
    /// An error to fix, as a text key.
    Error(&'static str),
    /// The server was too busy; the text is kept.
    Busy,
}

/// `/report`: the form. `prefill` keeps what the reporter wrote and chose when
/// the form comes back.
pub fn report_form(ctx: &Ctx<'_>, prefill: Prefill<'_>, notice: FormNotice) -> Markup {
    let body = html! {
        h1 { (ctx.t("report-title")) }
        (form_notice(ctx, notice))
        p { (ctx.t("report-intro")) }
        p { a href=(ctx.href("/kids")) { (ctx.t("report-kids")) } }
        (report_fields(ctx, Variant::Standard, prefill))
    };
    layout(ctx, &ctx.t("report-title"), body)
}

/// `/kids`: a short report form in the simplest words, on the page that
/// explains it, so a child needs no second click.
pub fn kids(ctx: &Ctx<'_>, prefill: Prefill<'_>, notice: FormNotice) -> Markup {
    let body = html! {
        h1 { (ctx.t("kids-title")) }
        (form_notice(ctx, notice))
        p class="lead" { (ctx.t("kids-intro")) }
        p { (ctx.t("kids-secret")) }
        p { (ctx.t("kids-code")) }
        p class="urgent" { (ctx.t_number("kids-danger")) }
        @if ctx.content.site.phones.iter().any(|p| p.kids) {
            div class="callout" {
                h2 { (ctx.t("kids-talk")) }
                (phone_list(ctx, true))
            }
        }
        (report_fields(ctx, Variant::Kids, prefill))
    };
    layout(ctx, &ctx.t("kids-title"), body)
}

fn form_notice(ctx: &Ctx<'_>, notice: FormNotice) -> Markup {
    html! {
        @match notice {
            FormNotice::None => {},
            FormNotice::Error(key) => { p class="error" role="alert" { (ctx.t(key)) } },
            FormNotice::Busy => { p class="error" role="alert" { (ctx.t("error-busy")) } },
        }
    }
}

/// The report form itself: the urgent questions, the free text, files, then the
/// rest of the questionnaire.
fn report_fields(ctx: &Ctx<'_>, variant: Variant, prefill: Prefill<'_>) -> Markup {
    let sections = &ctx.content.questionnaire.sections;
    let (message_label, message_hint, files, submit) = match variant {
        Variant::Standard => (
            "report-message-label",
            "report-message-hint",
            FileTexts::REPORT,
            "report-submit",
        ),
        Variant::Kids => (
            "kids-message-label",
            "kids-message-hint",
            FileTexts::KIDS,
            "kids-submit",
        ),
    };
    html! {
        form method="post" action="/report" enctype="multipart/form-data" {
            (ctx.lang_field())
            @if let Some(v) = variant.field_value() {
                input type="hidden" name="variant" value=(v);
            }
            @for s in sections.iter().filter(|s| s.before_message) {
                (questions::section(ctx, s, variant, prefill))
            }
            label for="message" { (ctx.t(message_label)) }
            span class="hint" id="message-hint" { (ctx.t(message_hint)) }
            textarea id="message" name="message" rows="10" autocomplete="off" required aria-describedby="message-hint" { (prefill.value("message")) }
            (attachment_field(ctx, files))
            @for s in sections.iter().filter(|s| !s.before_message) {
                (questions::section(ctx, s, variant, prefill))
            }
            div class="actions" {
                button type="submit" { (ctx.t(submit)) }
            }
        }
    }
}

/// Why a code is shown: a new report (maybe urgent) or a new code for an old one.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum CodeShown {
    /// After a report; `urgent`: someone is in danger now.
    Report {
        /// The emergency number comes first.
        urgent: bool,
    },
    /// After "give me a new code".
    NewCode,
}

impl CodeShown {
    /// The hidden field value that brings this back after a mistyped code.
    fn field_value(self) -> &'static str {
        match self {
            Self::Report { urgent: false } => "report",
            Self::Report { urgent: true } => "urgent",
            Self::NewCode => "new-code",
        }
    }

    /// From the hidden field (a report, unless it says otherwise).
    pub fn from_field(value: Option<&str>) -> Self {
        match value {
            Some("urgent") => Self::Report { urgent: true },
            Some("new-code") => Self::NewCode,
            _ => Self::Report { urgent: false },
        }
    }
}

/// The receipt: the code, shown once, with what to do with it, and a form to
/// type it back so the reporter knows it was written down right. After an urgent
/// report the emergency number comes first.
pub fn receipt(ctx: &Ctx<'_>, code: &str, shown: CodeShown, typed_wrong: bool) -> Markup {
    let number = &ctx.content.site.emergency_number;
    let (title, intro) = match shown {
        CodeShown::Report { .. } => ("receipt-title", "receipt-intro"),
        CodeShown::NewCode => ("rotate-done-title", "rotate-done-intro"),
    };
    let body = html! {
        h1 { (ctx.t(title)) }
        @if shown == (CodeShown::Report { urgent: true }) {
            div class="urgent" role="alert" {
                h2 { (ctx.t_number("receipt-urgent-title")) }
                p { (ctx.t_number("receipt-urgent-text")) }
                a class="button call" href=(format!("tel:{number}")) { (number) }
            }
        }
        p { (ctx.t(intro)) }
        h2 id="code-label" { (ctx.t("receipt-code-label")) }
        p id="receipt-code" class="code" dir="ltr" aria-labelledby="code-label" { (code) }
        ul class="tips" {
            li { strong { (ctx.t("receipt-write-down")) } }
            li { (ctx.t("receipt-safe-place")) }
            li { (ctx.t("receipt-what-it-shows")) }
            li { (ctx.t("receipt-come-back")) }
        }
        h2 id="confirm" { (ctx.t("receipt-check-title")) }
        @if typed_wrong {
            p class="error" role="alert" { (ctx.t("receipt-confirm-wrong")) }
        }
        p { (ctx.t("receipt-check-intro")) }
        form method="post" action="/receipt/confirm" {
            (ctx.lang_field())
            input type="hidden" name="shown" value=(code);
            input type="hidden" name="kind" value=(shown.field_value());
            label for="typed" { (ctx.t("receipt-confirm-label")) }
            (code_input("typed", None))
            div class="actions" {
                button type="submit" { (ctx.t("receipt-confirm-submit")) }
            }
        }
    };
    layout(ctx, &ctx.t(title), body)
}

/// The code was typed back right: what to do now.
pub fn receipt_confirmed(ctx: &Ctx<'_>) -> Markup {
    let body = html! {
        h1 { (ctx.t("receipt-confirmed-title")) }
        p class="lead" { (ctx.t("receipt-confirmed-text")) }
        p class="notice" { (ctx.t("receipt-confirmed-close")) }
        p { a href=(format!("{}#history", ctx.href("/safety"))) { (ctx.t("receipt-confirmed-how")) } }
    };
    layout(ctx, &ctx.t("receipt-confirmed-title"), body)
}

/// The texts of a file field: label, hint, and the warning against sending
/// pictures of abuse.
struct FileTexts {
    label: &'static str,
    hint: &'static str,
    warning: &'static str,
}

impl FileTexts {
    const REPORT: Self = Self {
        label: "report-attachment-label",
        hint: "report-attachment-hint",
        warning: "attachment-warning",
    };
    const KIDS: Self = Self {
        label: "kids-attachment-label",
        hint: "kids-attachment-hint",
        warning: "kids-attachment-warning",
    };
}

/// Files for a message (several; no script, so the browser's own picker). The
/// warning sits in the field's own group, read out with the input: a child may
/// otherwise send a nude picture of themselves, which is illegal material.
fn attachment_field(ctx: &Ctx<'_>, texts: FileTexts) -> Markup {
    html! {
        div class="field files" {
            label for="attachment" { (ctx.t(texts.label)) }
            p class="warning" id="attachment-warning" { strong { (ctx.t(texts.warning)) } }
            span class="hint" id="attachment-hint" { (ctx.t(texts.hint)) }
            input type="file" id="attachment" name="attachment" multiple aria-describedby="attachment-warning attachment-hint";
        }
    }
}

/// A field for a receipt code: left to right in every language, never filled
/// in, capitalised or spell-checked by the browser.
fn code_input(name: &str, described_by: Option<&str>) -> Markup {
    html! {
        input type="text" id=(name) name=(name) dir="ltr" autocomplete="off" autocapitalize="characters"
            spellcheck="false" maxlength="64" required aria-describedby=[described_by];
    }
}

fn code_form(ctx: &Ctx<'_>) -> Markup {
    html! {
        form method="post" action="/check" {
            (ctx.lang_field())
            label for="code" { (ctx.t("check-code-label")) }
            span class="hint" id="code-hint" { (ctx.t("check-code-hint")) }
            (code_input("code", Some("code-hint")))
            div class="actions" {
                button type="submit" { (ctx.t("check-submit")) }
            }
        }
    }
}

/// `/check`: the code form, with an optional notice above it.
pub fn check_form(ctx: &Ctx<'_>, notice: Option<&'static str>) -> Markup {
    let body = html! {
        h1 { (ctx.t("check-title")) }
        @if let Some(key) = notice {
            p class="notice" role="status" { (ctx.t(key)) }
        }
        p { (ctx.t("check-intro")) }
        (code_form(ctx))
    };
    layout(ctx, &ctx.t("check-title"), body)
}

/// The same page for an unknown and a malformed code.
pub fn check_unknown(ctx: &Ctx<'_>) -> Markup {
    let body = html! {
        h1 { (ctx.t("check-unknown-title")) }
        p class="error" role="alert" { (ctx.t("check-unknown-text")) }
        (code_form(ctx))
    };
    layout(ctx, &ctx.t("check-unknown-title"), body)
}

/// A successful check-in: status, replies, and the follow-up form. Without a
/// token (the token table is full) the actions are replaced by a notice.
pub fn check_result(
    ctx: &Ctx<'_>,
    status: Status,
    replies: &[zeroize::Zeroizing<String>],
    token: Option<&str>,
) -> Markup {
    let body = html! {
        h1 { (ctx.t("check-title")) }
        h2 { (ctx.t("check-status-label")) }
        // Only the safe text site.toml maps the status to: whoever holds the
        // code may be the person reported.
        p id="report-status" class="status" { (ctx.t(&ctx.content.reporter_status_key(status))) }
        h2 { (ctx.t("check-replies-title")) }
        @if replies.is_empty() {
            p { (ctx.t("check-no-replies")) }
        }
        @for reply in replies {
            div class="reply" { (reply.as_str()) }
        }
        @if let Some(token) = token {
            h2 { (ctx.t("check-followup-title")) }
            form method="post" action="/check/message" enctype="multipart/form-data" {
                (ctx.lang_field())
                input type="hidden" name="token" value=(token);
                label for="message" { (ctx.t("check-followup-label")) }
                textarea id="message" name="message" rows="6" autocomplete="off" required {}
                (attachment_field(ctx, FileTexts::REPORT))
                div class="actions" {
                    button type="submit" { (ctx.t("check-followup-submit")) }
                }
            }
            (super::lifecycle::code_actions(ctx, token))
        } @else {
            p id="actions-busy" class="notice" role="status" { (ctx.t("check-actions-busy")) }
        }
        p class="notice" { (ctx.t("check-leave")) }
    };
    layout(ctx, &ctx.t("check-title"), body)
}

/// After a follow-up was stored.
pub fn followup_sent(ctx: &Ctx<'_>) -> Markup {
    let body = html! {
        h1 { (ctx.t("followup-sent-title")) }
        p { (ctx.t("followup-sent-text")) }
        div class="actions" {
            a class="button" href=(ctx.href("/")) { (ctx.t("nav-home")) }
        }
    };
    layout(ctx, &ctx.t("followup-sent-title"), body)
}

/// An error page with a message (already in the reporter's language).
pub fn error(ctx: &Ctx<'_>, message: &str) -> Markup {
    let body = html! {
        h1 { (ctx.t("error-title")) }
        p class="error" role="alert" { (message) }
        div class="actions" {
            a class="button" href=(ctx.href("/")) { (ctx.t("error-back")) }
        }
    };
    layout(ctx, &ctx.t("error-title"), body)
}

/// A formatted byte size for limits shown to people ("100 MB").
pub fn human_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB {
        format!("{} MB", bytes / MIB)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}
