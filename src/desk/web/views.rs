//! The desk's pages (maud: every string from a report or the server is
//! escaped). Views render data and never call handlers.

use maud::{html, Markup, DOCTYPE};

use super::gate::Gate;
use super::model::{Attachment, Filter, InboxRow, Item, Pending, ReportPage};
use crate::content::Content;
use crate::desk::casefile::cli::describe;
use crate::desk::casefile::event::Action;
use crate::desk::casefile::fold::{CaseFile, Source};
use crate::desk::trust::FollowUp;
use crate::desk::view::short;
use crate::message::Author;
use crate::questionnaire::QuestionKind;
use crate::status::Status;

/// Path of the desk's stylesheet.
pub const STYLESHEET_PATH: &str = "/desk.css";

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

/// The frame of every desk page.
pub fn layout(title: &str, section: Section, notice: Option<&Notice>, body: Markup) -> Markup {
    let nav = [
        (Section::Inbox, "/", "Inbox"),
        (Section::Figures, "/figures", "Figures"),
        (Section::Outbox, "/outbox", "Outbox"),
        (Section::Intake, "/intake", "Intake"),
        (Section::Help, "/help", "Help"),
    ];
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " · tipline desk" }
                link rel="icon" href="data:,";
                link rel="stylesheet" href=(STYLESHEET_PATH);
            }
            body {
                a class="skip" href="#main" { "Skip to content" }
                header class="desk" {
                    p class="name" { "tipline desk" }
                    nav aria-label="Desk" {
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
                }
                main id="main" {
                    @if let Some(n) = notice {
                        div class=(if n.ok { "banner ok" } else { "banner problem" }) role="status" {
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
    /// What happened.
    pub text: String,
}

/// A form's hidden token field.
pub(super) fn token(gate: &Gate, action: &str) -> Markup {
    html! { input type="hidden" name="token" value=(gate.form_token(action)); }
}

fn report_href(row_id: &str) -> String {
    format!("/reports/{row_id}")
}

fn badges(danger: bool, kids: bool) -> Markup {
    html! {
        @if danger { strong class="badge danger" { "DANGER" } " " }
        @if kids { strong class="badge kids" { "kids" } }
    }
}

/// The inbox: filters beside the table of reports, and the sync button.
pub fn inbox(
    gate: &Gate,
    rows: &[InboxRow],
    filter: &Filter,
    can_sync: bool,
    case_file: bool,
    notice: Option<&Notice>,
) -> Markup {
    let chosen = filter.status.as_deref().unwrap_or("");
    layout(
        "Inbox",
        Section::Inbox,
        notice,
        html! {
            h1 { "Inbox" }
            div class="columns" {
                div class="filters" {
                    form method="get" action="/" id="filter-form" {
                        h2 { "Filter" }
                        label for="status-filter" { "Status" }
                        select id="status-filter" name="status" {
                            option value="" selected[chosen.is_empty()] { "any" }
                            @for st in Status::ALL {
                                option value=(st.as_str()) selected[chosen == st.as_str()] { (st.as_str()) }
                            }
                        }
                        div class="check" {
                            input type="checkbox" id="urgent-filter" name="urgent" value="1" checked[filter.urgent.is_some()];
                            label for="urgent-filter" { "Only DANGER and children's reports" }
                        }
                        @if case_file { (super::case_views::inbox_filters(filter)) }
                        button type="submit" class="secondary" { "Apply filters" }
                    }
                    form method="post" action="/sync" id="sync-form" {
                        h2 { "Sync" }
                        (token(gate, "/sync"))
                        @if can_sync {
                            p class="hint" { "Pulls new reports and sends what waits in the outbox." }
                            button type="submit" { "Sync now" }
                        } @else {
                            p class="hint" { "No server given (--server): this desk works offline. Carry the mirror to a networked machine to pull and push." }
                            button type="submit" disabled { "Sync now" }
                        }
                    }
                }
                div class="list" {
                    @if rows.is_empty() {
                        p { "No reports to show. Sync, or change the filters." }
                    }
                    table id="inbox" {
                        caption class="visually-hidden" { "Reports, DANGER and children's reports first" }
                        thead {
                            tr {
                                th scope="col" { "Report" }
                                th scope="col" { "Received" }
                                th scope="col" { "Status" }
                                th scope="col" { "Flags" }
                                th scope="col" { "Assigned to" }
                                th scope="col" { "Tags" }
                                th scope="col" { "First words" }
                                th scope="col" { "Files" }
                            }
                        }
                        tbody {
                            @for r in rows {
                                @let id = r.id.to_string();
                                tr data-report=(id) {
                                    td { a href=(report_href(&id)) { code { (short(&id)) } } }
                                    td { (r.received) }
                                    td {
                                        (r.status.as_str())
                                        @if r.queued > 0 { " (+" (r.queued) " queued)" }
                                    }
                                    td {
                                        (badges(r.danger, r.kids))
                                        @if r.unseen { " " (super::case_views::unseen_badge()) }
                                    }
                                    td { (r.assigned.as_deref().unwrap_or("")) }
                                    td { (r.tags.join(", ")) }
                                    td { (r.first_words) }
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

fn trust_line(trust: FollowUp) -> Markup {
    match trust {
        FollowUp::Verified => html! { p class="hint" { (trust.label()) } },
        FollowUp::Predates => html! { p class="warning" { (trust.label()) } },
        FollowUp::Unverified => html! {
            p class="warning" {
                strong { (trust.label()) }
                " Not signed with this reporter's code: the server (or whoever controls it) may have written this."
            }
        },
    }
}

fn attachment(page_id: &str, a: &Attachment, shown: &[String]) -> Markup {
    let aid = a.id.to_string();
    let src = format!("/reports/{page_id}/attachments/{aid}");
    let save = format!("{src}/save");
    let visible = shown.contains(&aid);
    html! {
        li {
            @if a.image.is_some() {
                figure class="attachment" {
                    img src=(src) alt=(format!("Image sent by the reporter: {}", a.name))
                        class=(if visible { "shown" } else { "blurred" });
                    figcaption {
                        (a.name) " · " (crate::web::pages::human_size(a.size))
                        @if !visible {
                            " · " a href=(format!("/reports/{page_id}?show={aid}#attachments")) { "Look at this image" }
                            span class="hint" { " (it may show abuse: it stays blurred until you choose)" }
                        }
                    }
                }
            } @else {
                p {
                    (a.name) " · " (crate::web::pages::human_size(a.size)) " · not an image, never shown here. "
                    a href=(save) download { "Save this file" }
                }
                p class="warning" { "Saving writes the decrypted file to this computer's disk. A reporter's file is hostile input: open it only in a viewer you trust, on this offline workstation, and delete it when done." }
            }
        }
    }
}

/// The report page: answers, text, conversation, attachments and the actions.
pub fn report(
    gate: &Gate,
    page: &ReportPage,
    shown: &[String],
    reporter_sees: &[(Status, String)],
    case: Option<&CasePanel>,
    notice: Option<&Notice>,
) -> Markup {
    let id = page.report.id.to_string();
    let reply_action = format!("/reports/{id}/reply");
    let status_action = format!("/reports/{id}/status");
    layout(
        &format!("Report {}", short(&id)),
        Section::Inbox,
        notice,
        html! {
            p {
                a href="/" { "Back to the inbox" } " · "
                a href=(format!("/reports/{id}/print")) id="print-link" { "Print this report" }
            }
            h1 { "Report " code { (short(&id)) } }
            dl class="summary" {
                div { dt { "Id" } dd { code { (id) } } }
                div { dt { "Received" } dd { (page.report.received) } }
                div { dt { "Status" } dd { (page.report.status.as_str()) } }
            }
            h2 { "Conversation" }
            ol class="timeline" {
                @for item in &page.items {
                    li {
                        @match item {
                            Item::Unopened { received, author, why } => {
                                h3 { (received) " · " (match author { Author::Reporter => "reporter", Author::Staff => "staff reply" }) }
                                p class="warning" { (why) }
                            }
                            Item::Staff { received, text } => {
                                h3 { (received) " · staff reply" }
                                div class="text" { (text) }
                            }
                            Item::Reporter { received, first, trust, second_report, danger, kids, lang, answers, text, attachments } => {
                                h3 {
                                    (received) " · reporter · "
                                    @if *first { "report" } @else if *second_report { "a second \"report\"" } @else { "follow-up" }
                                    " · language " (lang)
                                }
                                @if let Some(t) = trust { (trust_line(*t)) }
                                @if *danger {
                                    p class="banner problem" { strong { "The reporter said someone is in danger RIGHT NOW." } }
                                }
                                @if *kids {
                                    p class="banner info" { "Sent with the children's form: answer in the simplest words." }
                                }
                                @if !answers.is_empty() {
                                    dl class="summary answers" {
                                        @for (q, a) in answers { div { dt { (q) } dd { (a) } } }
                                    }
                                }
                                div id=[first.then_some("report-text")] class="text" { (text) }
                                @if !attachments.is_empty() {
                                    div id=[first.then_some("attachments")] class="attachments" {
                                        h4 { "Attachments" }
                                        p class="hint" { "Images are shown with their metadata (GPS, camera, author) removed from JPEG, PNG, GIF and WebP; nothing here is written to disk." }
                                        ul { @for a in attachments { (attachment(&id, a, shown)) } }
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
                                h3 { (written) " · staff reply · queued, not sent yet" }
                                @match text {
                                    Ok(t) => div class="text" { (t) },
                                    Err(why) => p class="warning" { (why) },
                                }
                            }
                            Pending::Status(st) => {
                                h3 { "status change to " (st.as_str()) " · queued, not sent yet" }
                            }
                        }
                    }
                }
                @if let Some(c) = case { (case_timeline(&c.case)) }
            }
            div class="columns actions" {
                form method="post" action=(reply_action) id="reply-form" {
                    h2 { label for="reply-text" { "Reply to the reporter" } }
                    (token(gate, &reply_action))
                    textarea id="reply-text" name="text" rows="8" required aria-describedby="reply-guidance" {}
                    button type="submit" { "Send reply" }
                }
                aside id="reply-guidance" class="guidance" {
                    h2 { "Before you reply" }
                    ul { @for g in crate::desk::reply::GUIDANCE { li { (g) } } }
                }
            }
            form method="post" action=(status_action) id="status-form" {
                h2 { label for="status-select" { "Status" } }
                (token(gate, &status_action))
                p class="hint" id="status-hint" { "The reporter never sees the status itself, only the text beside it on /check." }
                select id="status-select" name="status" aria-describedby="status-hint" {
                    @for (st, sees) in reporter_sees {
                        option value=(st.as_str()) selected[*st == page.report.status] {
                            (st.as_str()) " — the reporter sees: " (sees)
                        }
                    }
                }
                button type="submit" class="secondary" { "Set status" }
            }
            @match case {
                Some(c) => (case_forms(gate, &id, c)),
                None => p id="case-file" class="hint" { (NO_CASE_FILE) }
            }
        },
    )
}

/// On top of the print page, never printed: the warning, the choices and the
/// way back.
pub fn print_screen(id: &str, anonymised: bool, conversation: bool) -> Markup {
    let action = format!("/reports/{id}/print");
    html! {
        div class="screen-only" id="print-warning" {
            p { strong { "Printing puts this report in plain text on paper and often in the printer's memory." } " Use a printer you control, keep the paper locked away and shred it when done. Nothing of this page is saved on this computer unless you print or save it." }
            form method="get" action=(action) id="print-form" {
                input type="checkbox" id="print-anonymised" name="anonymised" value="1" checked[anonymised];
                label for="print-anonymised" { " Leave out answers that identify the reporter" }
                br;
                input type="checkbox" id="print-conversation" name="conversation" value="1" checked[conversation];
                label for="print-conversation" { " With follow-ups and staff replies" }
                br;
                button type="submit" { "Show" }
            }
            p { a href=(format!("/reports/{id}")) { "Back to the report" } }
        }
    }
}

/// The intake page: the questionnaire as a plain form in the caller's
/// language, sent to the server as a web report (`desk intake`).
pub fn intake(gate: &Gate, content: &Content, lang: &str, by: &str, can_send: bool) -> Markup {
    let t = |key: &str| content.text(lang, key);
    html! {
        h1 { "Intake: a report by phone" }
        @if !can_send {
            p id="intake-unavailable" { "Intake sends the report to the server: start the desk with --server URL to take reports by phone here." }
        } @else {
            form method="get" action="/intake" id="intake-lang-form" {
                label for="intake-lang" { "The caller's language " }
                select id="intake-lang" name="lang" {
                    @for (code, name) in content.languages() {
                        option value=(code) selected[code == lang] { (name) }
                    }
                }
                " "
                button type="submit" class="secondary" { "Switch language" }
            }
            p class="hint" { "Ask each question in the caller's words; leave out what they do not want to answer. The report goes to the server like one from the web form, marked as taken by phone." }
            form method="post" action="/intake" id="intake-form" lang=(lang) {
                (token(gate, "/intake"))
                input type="hidden" name="lang" value=(lang);
                @for q in content.questionnaire.questions() {
                    @let name = format!("q-{}", q.id);
                    @match q.kind {
                        QuestionKind::One | QuestionKind::Many => {
                            fieldset {
                                legend { (t(&name)) }
                                @for o in &q.options {
                                    @let oid = format!("{name}-{o}");
                                    div class="check" {
                                        @if matches!(q.kind, QuestionKind::One) {
                                            input type="radio" id=(oid) name=(name) value=(o);
                                        } @else {
                                            input type="checkbox" id=(oid) name=(name) value=(o);
                                        }
                                        label for=(oid) { (t(&oid)) }
                                    }
                                }
                            }
                        }
                        _ => {
                            div class="field" {
                                label for=(name) { (t(&name)) }
                                input type="text" id=(name) name=(name) maxlength=[q.max];
                            }
                        }
                    }
                }
                div class="field" {
                    label for="intake-message" { (t("report-message-label")) }
                    textarea id="intake-message" name="message" rows="8" required {}
                }
                div class="field" {
                    label for="intake-by" { "Taken by (your name, kept inside the encrypted report)" }
                    input type="text" id="intake-by" name="by" value=(by) required;
                }
                button type="submit" { "Send the report" }
            }
        }
    }
}

/// After an intake: the explanation to read out, then the code.
pub fn intake_done(explanation: &[String], code: &str, lang: &str) -> Markup {
    html! {
        h1 { "The report was sent" }
        div lang=(lang) {
            p { "Read this to the caller:" }
            @for line in explanation { p { (line) } }
            p { "The code:" }
            p { strong id="receipt-code" class="code" { (code) } }
        }
        p class="hint" { "The code is not kept anywhere: once this page is closed it cannot be shown again." }
        p { a href="/intake" { "Take another report" } }
    }
}

/// The one line shown instead of the case file when the desk has no signing key.
pub const NO_CASE_FILE: &str = "Case file (notes, tags, assignment): start the desk with --as NAME --signing-key FILE --team team.toml (or TIPLINE_STAFF, TIPLINE_SIGNING_KEY, TIPLINE_TEAM) to see and write it.";

/// The case file of one report, for the report page.
pub struct CasePanel {
    /// The folded case file.
    pub case: CaseFile,
    /// The roster's names, for the assign form.
    pub names: Vec<String>,
}

/// The case file's events in the timeline: internal, with author and verdict
/// as `desk log` marks them.
fn case_timeline(case: &CaseFile) -> Markup {
    html! {
        @for entry in &case.log {
            @let verdict = entry.problem.as_deref().unwrap_or("verified");
            @let queued = matches!(entry.source, Source::Queued);
            li class="internal" {
                @match &entry.event {
                    Some(e) => {
                        h3 {
                            (e.day) " · " strong { "INTERNAL" } " · " (e.author) " · " (describe(&e.action))
                            @if queued { " · queued, not sent yet" }
                        }
                        p class=(if entry.problem.is_some() { "warning" } else { "hint" }) { (verdict) }
                        @if let Action::Note { text } = &e.action {
                            div class="text" { (text) }
                        }
                    }
                    None => {
                        h3 { strong { "INTERNAL" } " · unreadable case event" }
                        p class="warning" { (verdict) }
                    }
                }
            }
        }
        @for gap in &case.gaps {
            li class="internal" { p class="warning" { "GAP: " (gap) } }
        }
    }
}

/// The case file's state and its note, tag and assign forms.
fn case_forms(gate: &Gate, id: &str, c: &CasePanel) -> Markup {
    let note_action = format!("/reports/{id}/note");
    let tag_action = format!("/reports/{id}/tag");
    let assign_action = format!("/reports/{id}/assign");
    let assigned = c.case.assigned.as_deref();
    html! {
        section id="case-file" class="case" aria-labelledby="case-title" {
            h2 id="case-title" { "Case file (internal: never shown to the reporter)" }
            p { "Assigned to: " (assigned.unwrap_or("nobody")) }
            (super::case_views::state(&c.case, &crate::day::today()))
            div class="columns actions" {
                form method="post" action=(note_action) id="note-form" {
                    h3 { label for="note-text" { "Add an internal note" } }
                    (token(gate, &note_action))
                    textarea id="note-text" name="text" rows="4" required {}
                    button type="submit" class="secondary" { "Add note" }
                }
                div {
                    form method="post" action=(tag_action) id="tag-form" {
                        h3 { label for="tag-input" { "Add a tag" } }
                        (token(gate, &tag_action))
                        p class="hint" id="tag-hint" { "One word, no spaces or commas, e.g. loverboy." }
                        input type="text" id="tag-input" name="tag" required maxlength="64" aria-describedby="tag-hint";
                        button type="submit" class="secondary" { "Add tag" }
                    }
                    @if c.case.tags.is_empty() {
                        p { "No tags." }
                    } @else {
                        ul class="tags" aria-label="Current tags" {
                            @for t in &c.case.tags {
                                li {
                                    form method="post" action=(tag_action) class="remove-tag" {
                                        (token(gate, &tag_action))
                                        input type="hidden" name="tag" value=(t);
                                        input type="hidden" name="remove" value="1";
                                        (t) " "
                                        button type="submit" class="secondary" aria-label=(format!("Remove tag {t}")) { "Remove" }
                                    }
                                }
                            }
                        }
                    }
                    form method="post" action=(assign_action) id="assign-form" {
                        h3 { label for="assign-select" { "Assign to" } }
                        (token(gate, &assign_action))
                        select id="assign-select" name="to" {
                            option value="" selected[assigned.is_none()] { "nobody" }
                            @for n in &c.names {
                                option value=(n) selected[assigned == Some(n.as_str())] { (n) }
                            }
                        }
                        button type="submit" class="secondary" { "Assign" }
                    }
                    (super::case_views::remind_form(gate, id, &c.case))
                }
            }
        }
    }
}

/// The outbox: what waits to be sent, and a retry.
pub fn outbox(
    gate: &Gate,
    entries: &[(String, String)],
    can_sync: bool,
    notice: Option<&Notice>,
) -> Markup {
    layout(
        "Outbox",
        Section::Outbox,
        notice,
        html! {
            h1 { "Outbox" }
            @if entries.is_empty() {
                p { "Nothing waits to be sent." }
            } @else {
                table id="outbox" {
                    caption { "Waiting to be sent, oldest first" }
                    thead { tr { th scope="col" { "Report" } th scope="col" { "What" } } }
                    tbody {
                        @for (report, what) in entries {
                            tr { td { a href=(report_href(report)) { code { (short(report)) } } } td { (what) } }
                        }
                    }
                }
                form method="post" action="/outbox/retry" id="retry-form" {
                    (token(gate, "/outbox/retry"))
                    @if can_sync {
                        button type="submit" { "Send now" }
                    } @else {
                        p class="hint" { "No server given (--server): push from a networked machine with `tipline desk push`." }
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

/// The SVG with a role and a text alternative, so a screen reader announces it
/// as one image named by its title (the table below gives the numbers).
fn labelled_svg(svg: &str, title: &str) -> maud::PreEscaped<String> {
    // maud escapes quotes too, so the title is safe inside the attribute.
    let label = html! { (title) ": bar chart; the numbers are in the table below" }.into_string();
    maud::PreEscaped(svg.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{label}\" focusable=\"false\" "),
        1,
    ))
}

/// The Figures page: per count, a chart, its table and its CSV; then the
/// charts per month (`monthly`, from [`super::figure_views`]).
pub fn figures(charts: &[Chart], unopened: usize, monthly: Markup) -> Markup {
    layout(
        "Figures",
        Section::Figures,
        None,
        html! {
            h1 { "Figures" }
            p class="hint" { "Counted on this workstation from the mirror; nothing leaves it. Free-text answers are never counted, except those the questionnaire marks countable." }
            @if unopened > 0 {
                p class="warning" { (unopened) " report(s) could not be opened with this identity: they count by month and status only." }
            }
            @for c in charts {
                section aria-labelledby=(format!("fig-{}", c.name)) {
                    h2 id=(format!("fig-{}", c.name)) { (c.title) }
                    @if let Some(svg) = &c.svg {
                        figure class="chart" {
                            (labelled_svg(svg, &c.title))
                            figcaption {
                                (c.title) ". "
                                a href=(format!("/figures/{}.csv", c.name)) {
                                "Download as CSV"
                                span class="visually-hidden" { " (" (c.title) ")" }
                            }
                            }
                        }
                    }
                    table class="figures" {
                        caption class="visually-hidden" { (c.title) }
                        thead { tr { th scope="col" { "Value" } th scope="col" { "Reports" } } }
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
pub fn help() -> Markup {
    layout(
        "Help",
        Section::Help,
        None,
        html! {
            h1 { "Keeping the workstation safe" }
            h2 { "The mirror" }
            p { "The mirror holds reports only as ciphertext. This desk decrypts them in memory and writes nothing readable to disk, except files you choose to save." }
            p { "Keep this workstation offline where you can: pull on a networked machine, carry the mirror over, and push replies the same way." }
            h2 { "The passphrase" }
            p { "The centre identity opens every report. Protect it with a passphrase, never write the passphrase down near the machine, and never copy the identity to the server." }
            h2 { "When you step away" }
            p { "Lock the screen (every time), and stop the desk (Ctrl+C in its terminal) at the end of the day: the link it printed works once, and a new start gives a new one." }
            h2 { "Attachments" }
            p { "A reporter's file is hostile input. Images are blurred until you choose to look; other files are never opened here. Save one only when you must, and delete it after." }
        },
    )
}

/// A page that says what went wrong.
pub fn problem(title: &str, message: &str) -> Markup {
    layout(
        title,
        Section::Inbox,
        None,
        html! {
            h1 { (title) }
            p { (message) }
            p { a href="/" { "Back to the inbox" } }
        },
    )
}
