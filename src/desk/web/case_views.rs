//! The case file's reminder and "seen by" on the report page, and the inbox's
//! case-file filters (due, unseen) and marker. Views only: data in, markup out.

use maud::{html, Markup};

use super::model::Filter;
use super::views::{token, InboxCase, Ui};
use crate::desk::casefile::fold::CaseFile;
use crate::desk::texts::{t, t_args, Lang};

/// Longest reminder note: a reminder says what to do, a note says more.
pub const MAX_REMINDER_NOTE: usize = 500;

/// The current reminder and who has seen the report, for the case panel.
pub fn state(l: Lang, case: &CaseFile, today: &str) -> Markup {
    html! {
        p id="reminder" {
            @match &case.reminder {
                Some(r) => {
                    (t(l, "remind-on")) " " strong { (r.date) }
                    " (" (t_args(l, "remind-set-by", &[("name", r.author.as_str().into())])) ")"
                    @if r.date.as_str() <= today { " " strong class="badge due" { (t(l, "remind-due")) } }
                    @if let Some(note) = &r.note { ": " (note) }
                }
                None => { (t(l, "remind-none")) }
            }
        }
        p id="seen-by" {
            @if case.seen.is_empty() {
                (t(l, "seen-by-nobody"))
            } @else {
                (t(l, "seen-by")) " "
                @for (i, (who, (day, _))) in case.seen.iter().enumerate() {
                    @if i > 0 { ", " }
                    (who) " (" (day) ")"
                }
            }
        }
    }
}

/// The reminder form: a date (a date picker where the browser has one, a
/// text field taking YYYY-MM-DD where not) and an optional note.
pub fn remind_form(ui: &Ui<'_>, id: &str, case: &CaseFile) -> Markup {
    let l = ui.lang;
    let action = format!("/reports/{id}/remind");
    let current = case.reminder.as_ref().map(|r| r.date.as_str());
    html! {
        form method="post" action=(action) id="remind-form" {
            h3 { (t(l, "remind-heading")) }
            (token(ui, &action))
            label for="remind-date" { (t(l, "remind-date")) }
            p class="hint" id="remind-date-hint" { (t(l, "remind-date-hint")) }
            input type="date" id="remind-date" name="date" required
                pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}" placeholder="YYYY-MM-DD"
                value=[current] aria-describedby="remind-date-hint";
            label for="remind-note" { (t(l, "remind-note")) }
            input type="text" id="remind-note" name="note" maxlength=(MAX_REMINDER_NOTE);
            button type="submit" class="secondary" { (t(l, "remind-button")) }
        }
    }
}

/// The inbox filters that need the case file (shown when the desk has one):
/// tag and assignee as lists to choose from (no typing, no typos), then
/// reminder due and not seen by me.
pub fn inbox_filters(l: Lang, filter: &Filter, case: &InboxCase) -> Markup {
    let tag = filter.tag.as_deref().unwrap_or("");
    let assigned = filter.assigned.as_deref().unwrap_or("");
    html! {
        label for="tag-filter" { (t(l, "filter-tag")) }
        select id="tag-filter" name="tag" {
            option value="" selected[tag.is_empty()] { (t(l, "filter-any")) }
            @for known in &case.tags {
                option value=(known) selected[tag == known.as_str()] { (known) }
            }
        }
        label for="assigned-filter" { (t(l, "filter-assigned")) }
        select id="assigned-filter" name="assigned" {
            option value="" selected[assigned.is_empty()] { (t(l, "filter-any")) }
            option value="me" selected[assigned == "me"] { (t(l, "filter-assigned-me")) }
            option value="none" selected[assigned == "none"] { (t(l, "filter-assigned-none")) }
            @for name in &case.names {
                option value=(name) selected[assigned == name.as_str()] { (name) }
            }
        }
        div class="check" {
            input type="checkbox" id="due-filter" name="due" value="1" checked[filter.due.is_some()];
            label for="due-filter" { (t(l, "filter-due")) }
        }
        div class="check" {
            input type="checkbox" id="unseen-filter" name="unseen" value="1" checked[filter.unseen.is_some()];
            label for="unseen-filter" { (t(l, "filter-unseen")) }
        }
    }
}

/// The inbox's marker for a report with something this staff member has
/// not seen.
pub fn unseen_badge(l: Lang) -> Markup {
    html! {
        strong class="badge unseen" { (t(l, "unseen-badge")) }
        span class="visually-hidden" { " (" (t(l, "unseen-hidden")) ")" }
    }
}
