//! The desk's pages (maud: every string from a report or the server is
//! escaped), in the staff member's language ([`crate::desk::texts`]).
//! Views render data and never call handlers.

use maud::{html, Markup, DOCTYPE};

use super::gate::Gate;
use super::model::{Attachment, Filter, InboxRow, Item, Pending, ReportPage};
use crate::content::Content;
use crate::desk::casefile::event::Action;
use crate::desk::casefile::fold::{CaseFile, Problem, Source};
use crate::desk::texts::{status_name, t, t_args, Lang};
use crate::desk::trust::FollowUp;
use crate::desk::view::short;
use crate::message::Author;
use crate::questionnaire::QuestionKind;
use crate::status::Status;

/// Path of the desk's stylesheet.
pub const STYLESHEET_PATH: &str = "/desk.css";

/// Path the language switch posts to.
pub const LANG_PATH: &str = "/lang";

/// What every page needs besides its data: the staff language, and the gate
/// that signs its forms (none on a page rendered without a session).
#[derive(Clone, Copy)]
pub struct Ui<'a> {
    /// The staff member's language.
    pub lang: Lang,
    /// The session's form tokens.
    pub gate: Option<&'a Gate>,
}

impl<'a> Ui<'a> {
    /// The session's language and tokens.
    pub fn new(gate: &'a Gate) -> Self {
        Ui {
            lang: gate.lang(),
            gate: Some(gate),
        }
    }
}

/// Which page of the sub-navigation is current.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The inbox and the report pages.
    Inbox,
    /// The counts as charts.
    Figures,
    /// What waits to be sent.
    Outbox,
    /// A report taken down by phone.
    Intake,
    /// How to keep the workstation.
    Help,
}

/// The language switch: a plain form (no script), one button per other
/// language, back to `here` afterwards.
fn lang_switch(ui: &Ui<'_>, here: &str) -> Markup {
    let l = ui.lang;
    html! {
        @if ui.gate.is_some() {
            form method="post" action=(LANG_PATH) id="lang-form" class="lang-switch" aria-label=(t(l, "lang-switch-label")) {
                (token(ui, LANG_PATH))
                input type="hidden" name="back" value=(here);
                @for other in Lang::ALL.into_iter().filter(|o| *o != l) {
                    button type="submit" name="lang" value=(other.code()) lang=(other.code()) class="secondary" {
                        (other.name())
                    }
                }
            }
        }
    }
}

/// The frame of every desk page; `here` is the page's path, where the
/// language switch returns to.
pub fn layout(
    ui: &Ui<'_>,
    title: &str,
    section: Section,
    here: &str,
    notice: Option<&Notice>,
    body: Markup,
) -> Markup {
    let l = ui.lang;
    let nav = [
        (Section::Inbox, "/", t(l, "nav-inbox")),
        (Section::Figures, "/figures", t(l, "nav-figures")),
        (Section::Outbox, "/outbox", t(l, "nav-outbox")),
        (Section::Intake, "/intake", t(l, "nav-intake")),
        (Section::Help, "/help", t(l, "nav-help")),
    ];
    html! {
        (DOCTYPE)
        html lang=(l.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " · " (t(l, "layout-name")) }
                link rel="icon" href="data:,";
                link rel="stylesheet" href=(STYLESHEET_PATH);
            }
            body {
                a class="skip" href="#main" { (t(l, "layout-skip")) }
                header class="desk" {
                    p class="name" { (t(l, "layout-name")) }
                    nav aria-label=(t(l, "nav-label")) {
                        ul {
                            @for (s, href, label) in nav {
                                li {
                                    @if s == section {
                                        a href=(href) aria-current="page" { (label) }
                                    } @else {
                                        a href=(href) { (label) }
                                    }
                                }
                            }
                        }
                    }
                    (lang_switch(ui, here))
                }
                main id="main" {
                    @if let Some(n) = notice {
                        div class=(if n.ok { "banner ok" } else { "banner problem" }) role="status" data-done=(n.done) {
                            p { (n.text) }
                        }
                    }
                    (body)
                }
            }
        }
    }
}

/// A line shown after an action ("Reply sent").
pub struct Notice {
    /// Whether it went as wished.
    pub ok: bool,
    /// What happened, in the staff language.
    pub text: String,
    /// The fixed word for it (`reply-sent`), a hook for tests in any language.
    pub done: &'static str,
}

/// A form's hidden token field.
pub(super) fn token(ui: &Ui<'_>, action: &str) -> Markup {
    let value = ui.gate.map(|g| g.form_token(action)).unwrap_or_default();
    html! { input type="hidden" name="token" value=(value); }
}

fn report_href(row_id: &str) -> String {
    format!("/reports/{row_id}")
}

fn badges(l: Lang, danger: bool, kids: bool) -> Markup {
    html! {
        @if danger { strong class="badge danger" { (t(l, "badge-danger")) } " " }
        @if kids { strong class="badge kids" { (t(l, "badge-kids")) } }
    }
}

/// What the inbox's case-file filters offer (when the desk has a roster).
pub struct InboxCase {
    /// Every tag in the mirror's case files.
    pub tags: Vec<String>,
    /// The roster's names.
    pub names: Vec<String>,
}

/// The inbox: filters beside the table of reports, and the sync button.
pub fn inbox(
    ui: &Ui<'_>,
    rows: &[InboxRow],
    filter: &Filter,
    can_sync: bool,
    case: Option<&InboxCase>,
    notice: Option<&Notice>,
) -> Markup {
    let l = ui.lang;
    let chosen = filter.status.as_deref().unwrap_or("");
    layout(
        ui,
        &t(l, "inbox-title"),
        Section::Inbox,
        "/",
        notice,
        html! {
            h1 { (t(l, "inbox-title")) }
            div class="columns inbox-columns" {
                div class="filters" {
                    form method="get" action="/" id="filter-form" {
                        h2 { (t(l, "filter-title")) }
                        label for="status-filter" { (t(l, "filter-status")) }
                        select id="status-filter" name="status" {
                            option value="" selected[chosen.is_empty()] { (t(l, "filter-any")) }
                            @for st in Status::ALL {
                                option value=(st.as_str()) selected[chosen == st.as_str()] { (status_name(l, st)) }
                            }
                        }
                        div class="check" {
                            input type="checkbox" id="urgent-filter" name="urgent" value="1" checked[filter.urgent.is_some()];
                            label for="urgent-filter" { (t(l, "filter-urgent")) }
                        }
                        @if let Some(case) = case { (super::case_views::inbox_filters(l, filter, case)) }
                        button type="submit" class="secondary" { (t(l, "filter-apply")) }
                    }
                    form method="post" action="/sync" id="sync-form" {
                        h2 { (t(l, "sync-title")) }
                        (token(ui, "/sync"))
                        @if can_sync {
                            p class="hint" { (t(l, "sync-hint")) }
                            button type="submit" { (t(l, "sync-button")) }
                        } @else {
                            p class="hint" { (t(l, "sync-offline")) }
                            button type="submit" disabled { (t(l, "sync-button")) }
                        }
                    }
                }
                div class="list" {
                    @if rows.is_empty() {
                        p { (t(l, "inbox-empty")) }
                    }
                    table id="inbox" {
                        caption class="visually-hidden" { (t(l, "inbox-caption")) }
                        thead {
                            tr {
                                th scope="col" { (t(l, "col-report")) }
                                th scope="col" { (t(l, "col-received")) }
                                th scope="col" { (t(l, "col-status")) }
                                th scope="col" { (t(l, "col-flags")) }
                                th scope="col" { (t(l, "col-assigned")) }
                                th scope="col" { (t(l, "col-tags")) }
                                th scope="col" { (t(l, "col-first-words")) }
                                th scope="col" { (t(l, "col-files")) }
                            }
                        }
                        tbody {
                            @for r in rows {
                                @let id = r.id.to_string();
                                tr data-report=(id) {
                                    td { a href=(report_href(&id)) { code { (short(&id)) } } }
                                    td { (r.received) }
                                    td {
                                        (status_name(l, r.status))
                                        @if r.queued > 0 { " " (t_args(l, "inbox-queued", &[("count", r.queued.into())])) }
                                    }
                                    td {
                                        (badges(l, r.danger, r.kids))
                                        @if r.unseen { " " (super::case_views::unseen_badge(l)) }
                                    }
                                    td { (r.assigned.as_deref().unwrap_or("")) }
                                    td { (r.tags.join(", ")) }
                                    td {
                                        @match &r.first_words {
                                            Ok(words) => (words),
                                            Err(None) => (t(l, "inbox-not-pulled")),
                                            Err(Some(why)) => { span class="warning" { (t(l, "mark-unreadable")) } " " span lang="en" { (why) } },
                                        }
                                    }
                                    td { (r.attachments) }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn trust_line(l: Lang, trust: FollowUp) -> Markup {
    match trust {
        FollowUp::Verified => html! { p class="hint" { (t(l, "trust-verified")) } },
        FollowUp::Predates => html! { p class="warning" { (t(l, "trust-predates")) } },
        FollowUp::Unverified => html! {
            p class="warning" {
                strong { (t(l, "trust-unverified")) }
                " " (t(l, "trust-unverified-why"))
            }
        },
    }
}

fn attachment(l: Lang, page_id: &str, a: &Attachment, shown: &[String]) -> Markup {
    let aid = a.id.to_string();
    let src = format!("/reports/{page_id}/attachments/{aid}");
    let save = format!("{src}/save");
    let visible = shown.contains(&aid);
    let size = crate::web::pages::human_size(a.size);
    html! {
        li id=(format!("file-{aid}")) {
            @if a.image.is_some() {
                figure class="attachment" {
                    img src=(src) alt=(t_args(l, "attach-image-alt", &[("file", a.name.as_str().into())]))
                        class=(if visible { "shown" } else { "blurred" });
                    figcaption {
                        (a.name) " · " (size)
                        @if !visible {
                            " · " a href=(format!("/reports/{page_id}?show={aid}#file-{aid}")) class="show-image" { (t(l, "attach-show")) }
                            span class="hint" { " " (t(l, "attach-show-hint")) }
                        }
                    }
                }
            } @else {
                p {
                    (a.name) " · " (size) " · " (t(l, "attach-not-image")) " "
                    a href=(save) download class="save-file" { (t(l, "attach-save")) }
                }
                p class="warning" { (t(l, "attach-save-warning")) }
            }
        }
    }
}

/// The report page: answers, text, conversation, attachments and the actions.
pub fn report(
    ui: &Ui<'_>,
    page: &ReportPage,
    shown: &[String],
    reporter_sees: &[(Status, String)],
    case: Option<&CasePanel>,
    notice: Option<&Notice>,
) -> Markup {
    let l = ui.lang;
    let id = page.report.id.to_string();
    let reply_action = format!("/reports/{id}/reply");
    let status_action = format!("/reports/{id}/status");
    layout(
        ui,
        &t_args(l, "report-title", &[("id", short(&id).into())]),
        Section::Inbox,
        &report_href(&id),
        notice,
        html! {
            p {
                a href="/" { (t(l, "back-to-inbox")) } " · "
                a href=(format!("/reports/{id}/print")) id="print-link" { (t(l, "report-print")) }
            }
            h1 { (t(l, "report-heading")) " " code { (short(&id)) } }
            dl class="summary" {
                div { dt { (t(l, "report-id")) } dd { code { (id) } } }
                div { dt { (t(l, "col-received")) } dd { (page.report.received) } }
                div { dt { (t(l, "col-status")) } dd { (status_name(l, page.report.status)) } }
            }
            h2 { (t(l, "conv-title")) }
            ol class="timeline" {
                @for item in &page.items {
                    li {
                        @match item {
                            Item::Unopened { received, author, why } => {
                                h3 {
                                    (received) " · "
                                    (match author { Author::Reporter => t(l, "conv-reporter"), Author::Staff => t(l, "conv-staff-reply") })
                                }
                                p class="warning" { strong { (t(l, "mark-unreadable")) } " " span lang="en" { (why) } }
                            }
                            Item::Staff { received, text } => {
                                h3 { (received) " · " (t(l, "conv-staff-reply")) }
                                div class="text" { (text) }
                            }
                            Item::Reporter { received, first, trust, second_report, danger, kids, lang, answers, text, attachments } => {
                                h3 {
                                    (received) " · " (t(l, "conv-reporter")) " · "
                                    @if *first { (t(l, "conv-report")) } @else if *second_report { (t(l, "conv-second-report")) } @else { (t(l, "conv-follow-up")) }
                                    " · " (t_args(l, "conv-language", &[("lang", lang.as_str().into())]))
                                }
                                @if let Some(tr) = trust { (trust_line(l, *tr)) }
                                @if *danger {
                                    p class="banner problem" { strong { (t(l, "conv-danger")) } }
                                }
                                @if *kids {
                                    p class="banner info" { (t(l, "conv-kids")) }
                                }
                                @if !answers.is_empty() {
                                    dl class="summary answers" {
                                        @for (q, a) in answers { div { dt { (q) } dd { (a) } } }
                                    }
                                }
                                div id=[first.then_some("report-text")] class="text" lang=(lang) { (text) }
                                @if !attachments.is_empty() {
                                    div id=[first.then_some("attachments")] class="attachments" {
                                        h4 { (t(l, "attach-title")) }
                                        p class="hint" { (t(l, "attach-hint")) }
                                        ul { @for a in attachments { (attachment(l, &id, a, shown)) } }
                                    }
                                }
                            }
                        }
                    }
                }
                @for p in &page.pending {
                    li class="pending" {
                        @match p {
                            Pending::Reply { written, text } => {
                                h3 { (written) " · " (t(l, "conv-staff-reply")) " · " (t(l, "mark-queued")) }
                                @match text {
                                    Ok(text) => div class="text" { (text) },
                                    Err(why) => p class="warning" { strong { (t(l, "mark-unreadable")) } " " span lang="en" { (why) } },
                                }
                            }
                            Pending::Status(st) => {
                                h3 { (t_args(l, "conv-status-change", &[("status", status_name(l, *st).into())])) " · " (t(l, "mark-queued")) }
                            }
                        }
                    }
                }
                @if let Some(c) = case { (case_timeline(l, &c.case)) }
            }
            div class="columns actions" {
                form method="post" action=(reply_action) id="reply-form" {
                    h2 { label for="reply-text" { (t(l, "reply-title")) } }
                    (token(ui, &reply_action))
                    textarea id="reply-text" name="text" rows="8" required aria-describedby="reply-guidance" {}
                    button type="submit" { (t(l, "reply-send")) }
                }
                aside id="reply-guidance" class="guidance" {
                    h2 { (t(l, "guidance-title")) }
                    ul {
                        li { (t(l, "guidance-who-reads")) }
                        li { (t(l, "guidance-helps")) }
                        li { (t(l, "guidance-hinders")) }
                        li { (t(l, "guidance-statement")) }
                    }
                }
            }
            form method="post" action=(status_action) id="status-form" {
                h2 { label for="status-select" { (t(l, "col-status")) } }
                (token(ui, &status_action))
                p class="hint" id="status-hint" { (t(l, "status-form-hint")) }
                select id="status-select" name="status" aria-describedby="status-hint" {
                    @for (st, sees) in reporter_sees {
                        option value=(st.as_str()) selected[*st == page.report.status] {
                            (t_args(l, "status-form-option", &[("status", status_name(l, *st).into()), ("sees", sees.as_str().into())]))
                        }
                    }
                }
                button type="submit" class="secondary" { (t(l, "status-form-set")) }
            }
            @match case {
                Some(c) => (case_forms(ui, &id, c)),
                None => p id="case-file" class="hint" { (t(l, "case-none")) }
            }
        },
    )
}

/// On top of the print page, never printed: the warning, the choices and the
/// way back.
pub fn print_screen(l: Lang, id: &str, anonymised: bool, conversation: bool) -> Markup {
    let action = format!("/reports/{id}/print");
    html! {
        div class="screen-only" id="print-warning" {
            p { strong { (t(l, "print-warning")) } " " (t(l, "print-warning-more")) }
            form method="get" action=(action) id="print-form" {
                input type="checkbox" id="print-anonymised" name="anonymised" value="1" checked[anonymised];
                label for="print-anonymised" { " " (t(l, "print-anonymised")) }
                br;
                input type="checkbox" id="print-conversation" name="conversation" value="1" checked[conversation];
                label for="print-conversation" { " " (t(l, "print-conversation")) }
                br;
                button type="submit" { (t(l, "print-show")) }
            }
            p { a href=(report_href(id)) { (t(l, "back-to-report")) } }
        }
    }
}

/// The intake page: the questionnaire as a plain form in the caller's
/// language (marked with its `lang` and `dir`, right to left for Arabic),
/// sent to the server as a web report (`desk intake`).
pub fn intake(ui: &Ui<'_>, content: &Content, lang: &str, by: &str, can_send: bool) -> Markup {
    let l = ui.lang;
    let caller = |key: &str| content.text(lang, key);
    let dir = content.locale(lang).dir.as_str();
    html! {
        h1 { (t(l, "intake-title")) }
        @if !can_send {
            p id="intake-unavailable" { (t(l, "intake-unavailable")) }
        } @else {
            form method="get" action="/intake" id="intake-lang-form" {
                label for="intake-lang" { (t(l, "intake-caller-lang")) " " }
                select id="intake-lang" name="lang" {
                    @for (code, name) in content.languages() {
                        option value=(code) lang=(code) selected[code == lang] { (name) }
                    }
                }
                " "
                button type="submit" class="secondary" { (t(l, "intake-switch")) }
            }
            p class="hint" { (t(l, "intake-hint")) }
            form method="post" action="/intake" id="intake-form" {
                (token(ui, "/intake"))
                input type="hidden" name="lang" value=(lang);
                div id="intake-questions" lang=(lang) dir=(dir) {
                    @for q in content.questionnaire.questions() {
                        @let name = format!("q-{}", q.id);
                        @match q.kind {
                            QuestionKind::One | QuestionKind::Many => {
                                fieldset {
                                    legend { (caller(&name)) }
                                    @for o in &q.options {
                                        @let oid = format!("{name}-{o}");
                                        div class="check" {
                                            @if matches!(q.kind, QuestionKind::One) {
                                                input type="radio" id=(oid) name=(name) value=(o);
                                            } @else {
                                                input type="checkbox" id=(oid) name=(name) value=(o);
                                            }
                                            label for=(oid) { (caller(&oid)) }
                                        }
                                    }
                                }
                            }
                            _ => {
                                div class="field" {
                                    label for=(name) { (caller(&name)) }
                                    input type="text" id=(name) name=(name) maxlength=[q.max];
                                }
                            }
                        }
                    }
                    div class="field" {
                        label for="intake-message" { (caller("report-message-label")) }
                        textarea id="intake-message" name="message" rows="8" required {}
                    }
                }
                div class="field" {
                    label for="intake-by" { (t(l, "intake-by")) }
                    input type="text" id="intake-by" name="by" value=(by) required;
                }
                button type="submit" { (t(l, "intake-send")) }
            }
        }
    }
}

/// After an intake: the explanation to read out, then the code.
pub fn intake_done(l: Lang, explanation: &[String], code: &str, lang: &str, dir: &str) -> Markup {
    html! {
        h1 { (t(l, "intake-sent-title")) }
        p { (t(l, "intake-read-out")) }
        div lang=(lang) dir=(dir) {
            @for line in explanation { p { (line) } }
        }
        p { (t(l, "intake-the-code")) }
        p { strong id="receipt-code" class="code" { (code) } }
        p class="hint" { (t(l, "intake-code-once")) }
        p { a href="/intake" { (t(l, "intake-another")) } }
    }
}

/// The case file of one report, for the report page.
pub struct CasePanel {
    /// The folded case file.
    pub case: CaseFile,
    /// The roster's names, for the assign form.
    pub names: Vec<String>,
}

/// One case action in words, as `desk log` says it (`describe`), in the
/// staff language.
fn describe(l: Lang, action: &Action) -> String {
    let word = |s: &str| crate::desk::terminal::line(s).into_owned();
    match action {
        Action::Note { .. } => t(l, "event-note"),
        Action::Tag { tags, remove } => {
            let args = [
                ("count", tags.len().into()),
                ("tags", word(&tags.join(", ")).into()),
            ];
            if *remove {
                t_args(l, "event-untagged", &args)
            } else {
                t_args(l, "event-tagged", &args)
            }
        }
        Action::Assign { to: Some(n) } => t_args(l, "event-assigned", &[("name", word(n).into())]),
        Action::Assign { to: None } => t(l, "event-assigned-nobody"),
        Action::Remind { date, note } => {
            let when = t_args(l, "event-reminder", &[("date", word(date).into())]);
            match note {
                Some(n) => format!("{when}: {}", word(n)),
                None => when,
            }
        }
        Action::Seen { messages } => t_args(l, "event-seen", &[("count", (*messages).into())]),
        Action::Reply { sha256 } => t_args(
            l,
            "event-reply",
            &[("id", word(sha256.get(..16).unwrap_or(sha256)).into())],
        ),
        Action::Status { status } => t_args(
            l,
            "event-status",
            &[("status", status_name(l, *status).into())],
        ),
        Action::Forward {
            partner,
            anonymised,
            included,
            reason,
        } => {
            let how = if *anonymised {
                t(l, "event-forward-anonymised")
            } else {
                t(l, "event-forward-identifying")
            };
            let mut s = t_args(
                l,
                "event-forwarded",
                &[
                    ("partner", word(partner).into()),
                    ("how", how.into()),
                    ("what", word(&included.join(", ")).into()),
                ],
            );
            if let Some(r) = reason {
                s.push_str(" · ");
                s.push_str(&t_args(
                    l,
                    "event-forward-acute",
                    &[("reason", word(r).into())],
                ));
            }
            s
        }
        Action::Delete { reason } => t_args(l, "event-deleted", &[("reason", word(reason).into())]),
    }
}

/// A case event's verdict as `desk log` gives it, in words; why a file was
/// unreadable stays in the core's (English) words.
fn verdict(l: Lang, problem: Option<&Problem>) -> Markup {
    match problem {
        None => html! { (t(l, "case-verified")) },
        Some(Problem::UnknownAuthor) => {
            html! { strong { (t(l, "mark-unverified")) } " " (t(l, "case-unknown-author")) }
        }
        Some(Problem::BadSignature) => {
            html! { strong { (t(l, "mark-unverified")) } " " (t(l, "case-bad-signature")) }
        }
        Some(Problem::Unreadable(why)) => {
            html! { strong { (t(l, "mark-unreadable")) } " " span lang="en" { (why) } }
        }
    }
}

/// The case file's events in the timeline: internal, with author and verdict
/// as `desk log` marks them.
fn case_timeline(l: Lang, case: &CaseFile) -> Markup {
    html! {
        @for entry in &case.log {
            @let queued = matches!(entry.source, Source::Queued);
            li class="internal" {
                @match &entry.event {
                    Some(e) => {
                        h3 {
                            (e.day) " · " strong { (t(l, "mark-internal")) } " · " (e.author) " · " (describe(l, &e.action))
                            @if queued { " · " (t(l, "mark-queued")) }
                        }
                        p class=(if entry.problem.is_some() { "warning" } else { "hint" }) { (verdict(l, entry.problem.as_ref())) }
                        @if let Action::Note { text } = &e.action {
                            div class="text" { (text) }
                        }
                    }
                    None => {
                        h3 { strong { (t(l, "mark-internal")) } " · " (t(l, "case-unreadable-event")) }
                        p class="warning" { (verdict(l, entry.problem.as_ref())) }
                    }
                }
            }
        }
        @for gap in &case.gaps {
            li class="internal" { p class="warning" { strong { (t(l, "mark-gap")) } " " span lang="en" { (gap) } } }
        }
    }
}

/// The case file's state and its note, tag and assign forms.
fn case_forms(ui: &Ui<'_>, id: &str, c: &CasePanel) -> Markup {
    let l = ui.lang;
    let note_action = format!("/reports/{id}/note");
    let tag_action = format!("/reports/{id}/tag");
    let assign_action = format!("/reports/{id}/assign");
    let assigned = c.case.assigned.as_deref();
    let nobody = t(l, "case-nobody");
    html! {
        section id="case-file" class="case" aria-labelledby="case-title" {
            h2 id="case-title" { (t(l, "case-title")) }
            p { (t(l, "case-assigned-to")) " " (assigned.unwrap_or(&nobody)) }
            (super::case_views::state(l, &c.case, &crate::day::today()))
            div class="columns actions" {
                form method="post" action=(note_action) id="note-form" {
                    h3 { label for="note-text" { (t(l, "case-note-label")) } }
                    (token(ui, &note_action))
                    textarea id="note-text" name="text" rows="4" required {}
                    button type="submit" class="secondary" { (t(l, "case-note-add")) }
                }
                div {
                    form method="post" action=(tag_action) id="tag-form" {
                        h3 { label for="tag-input" { (t(l, "case-tag-label")) } }
                        (token(ui, &tag_action))
                        p class="hint" id="tag-hint" { (t(l, "case-tag-hint")) }
                        input type="text" id="tag-input" name="tag" required maxlength="64" aria-describedby="tag-hint";
                        button type="submit" class="secondary" { (t(l, "case-tag-add")) }
                    }
                    @if c.case.tags.is_empty() {
                        p { (t(l, "case-no-tags")) }
                    } @else {
                        ul class="tags" aria-label=(t(l, "case-tags-current")) {
                            @for tag in &c.case.tags {
                                li {
                                    form method="post" action=(tag_action) class="remove-tag" {
                                        (token(ui, &tag_action))
                                        input type="hidden" name="tag" value=(tag);
                                        input type="hidden" name="remove" value="1";
                                        (tag) " "
                                        button type="submit" class="secondary" aria-label=(t_args(l, "case-tag-remove-label", &[("tag", tag.as_str().into())])) { (t(l, "case-tag-remove")) }
                                    }
                                }
                            }
                        }
                    }
                    form method="post" action=(assign_action) id="assign-form" {
                        h3 { label for="assign-select" { (t(l, "case-assign-label")) } }
                        (token(ui, &assign_action))
                        select id="assign-select" name="to" {
                            option value="" selected[assigned.is_none()] { (nobody) }
                            @for n in &c.names {
                                option value=(n) selected[assigned == Some(n.as_str())] { (n) }
                            }
                        }
                        button type="submit" class="secondary" { (t(l, "case-assign")) }
                    }
                    (super::case_views::remind_form(ui, id, &c.case))
                }
            }
        }
    }
}

/// The outbox: what waits to be sent, and a retry.
pub fn outbox(
    ui: &Ui<'_>,
    entries: &[(String, String)],
    can_sync: bool,
    notice: Option<&Notice>,
) -> Markup {
    let l = ui.lang;
    layout(
        ui,
        &t(l, "outbox-title"),
        Section::Outbox,
        "/outbox",
        notice,
        html! {
            h1 { (t(l, "outbox-title")) }
            @if entries.is_empty() {
                p { (t(l, "outbox-empty")) }
            } @else {
                table id="outbox" {
                    caption { (t(l, "outbox-caption")) }
                    thead { tr { th scope="col" { (t(l, "col-report")) } th scope="col" { (t(l, "outbox-what")) } } }
                    tbody {
                        @for (report, what) in entries {
                            tr { td { a href=(report_href(report)) { code { (short(report)) } } } td { (what) } }
                        }
                    }
                }
                form method="post" action="/outbox/retry" id="retry-form" {
                    (token(ui, "/outbox/retry"))
                    @if can_sync {
                        button type="submit" { (t(l, "outbox-send")) }
                    } @else {
                        p class="hint" { (t(l, "outbox-offline")) }
                    }
                }
            }
        },
    )
}

/// One chart of the Figures page.
pub struct Chart {
    /// Its dimension's name (also its CSV's name).
    pub name: String,
    /// What it counts, in words.
    pub title: String,
    /// The SVG document plotters drew, if it could.
    pub svg: Option<String>,
    /// The counts, in the chart's order.
    pub rows: Vec<(String, usize)>,
}

/// The Figures page: per count, a chart, its table and its CSV; then the
/// charts per month (`monthly`, from [`super::figure_views`]).
pub fn figures(ui: &Ui<'_>, charts: &[Chart], unopened: usize, monthly: Markup) -> Markup {
    let l = ui.lang;
    layout(
        ui,
        &t(l, "figures-title"),
        Section::Figures,
        "/figures",
        None,
        html! {
            h1 { (t(l, "figures-title")) }
            p class="hint" { (t(l, "figures-hint")) }
            @if unopened > 0 {
                p class="warning" { (t_args(l, "figures-unopened", &[("count", unopened.into())])) }
            }
            @for c in charts {
                section aria-labelledby=(format!("fig-{}", c.name)) {
                    h2 id=(format!("fig-{}", c.name)) { (c.title) }
                    @if let Some(svg) = &c.svg {
                        figure class="chart" {
                            (super::figure_views::labelled_svg(svg, &html! { (t_args(l, "figures-alt", &[("title", c.title.as_str().into())])) }))
                            figcaption {
                                (c.title) ". "
                                a href=(format!("/figures/{}.csv", c.name)) {
                                (t(l, "figures-csv"))
                                span class="visually-hidden" { " (" (c.title) ")" }
                            }
                            }
                        }
                    }
                    table class="figures" {
                        caption class="visually-hidden" { (c.title) }
                        thead { tr { th scope="col" { (t(l, "figures-value")) } th scope="col" { (t(l, "figures-reports")) } } }
                        tbody {
                            @for (value, count) in &c.rows {
                                tr { td { (value) } td { (count) } }
                            }
                        }
                    }
                }
            }
            (monthly)
        },
    )
}

/// How the workstation should be kept.
pub fn help(ui: &Ui<'_>) -> Markup {
    let l = ui.lang;
    layout(
        ui,
        &t(l, "help-title"),
        Section::Help,
        "/help",
        None,
        html! {
            h1 { (t(l, "help-heading")) }
            h2 { (t(l, "help-mirror-title")) }
            p { (t(l, "help-mirror")) }
            p { (t(l, "help-offline")) }
            h2 { (t(l, "help-passphrase-title")) }
            p { (t(l, "help-passphrase")) }
            h2 { (t(l, "help-away-title")) }
            p { (t(l, "help-away")) }
            h2 { (t(l, "help-attachments-title")) }
            p { (t(l, "help-attachments")) }
            h2 { (t(l, "help-language-title")) }
            p { (t(l, "help-language")) }
        },
    )
}

/// A page that says what went wrong.
pub fn problem(ui: &Ui<'_>, title: &str, message: &Markup) -> Markup {
    let l = ui.lang;
    layout(
        ui,
        title,
        Section::Inbox,
        "/",
        None,
        html! {
            h1 { (title) }
            p { (message) }
            p { a href="/" { (t(l, "back-to-inbox")) } }
        },
    )
}
