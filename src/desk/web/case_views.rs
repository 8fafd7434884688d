//! The case file's reminder and "seen by" on the report page, and the inbox's
//! case-file filters (due, unseen) and marker. Views only: data in, markup out.

use maud::{html, Markup};

use super::gate::Gate;
use super::model::Filter;
use super::views::token;
use crate::desk::casefile::fold::CaseFile;

/// The English texts of this module, in one place for translation.
mod text {
    pub const REMINDER_ON: &str = "Reminder on ";
    pub const SET_BY: &str = "set by ";
    pub const DUE: &str = "due";
    pub const NO_REMINDER: &str = "No reminder.";
    pub const SEEN_BY: &str = "Seen by: ";
    pub const SEEN_BY_NOBODY: &str = "Not seen by anyone in the team yet.";
    pub const REMIND_HEADING: &str = "Set a reminder";
    pub const REMIND_DATE: &str = "Day";
    pub const REMIND_DATE_HINT: &str =
        "As YYYY-MM-DD, e.g. 2026-03-01. The inbox's \"reminder due\" filter shows the report from that day.";
    pub const REMIND_NOTE: &str = "What to remember (optional, internal)";
    pub const REMIND_BUTTON: &str = "Set reminder";
    pub const FILTER_DUE: &str = "Only with a reminder due (today or earlier)";
    pub const FILTER_UNSEEN: &str = "Only with something I have not seen";
    pub const UNSEEN_BADGE: &str = "new";
    pub const UNSEEN_HIDDEN: &str = " (not seen by you yet)";
    pub const BAD_DATE: &str = "Give the reminder's day as YYYY-MM-DD (for example 2026-03-01).";
    pub const LONG_NOTE: &str = "The reminder's note is too long (at most 500 characters).";
}

/// Longest reminder note: a reminder says what to do, a note says more.
pub const MAX_REMINDER_NOTE: usize = 500;

/// The message for a reminder day that is not YYYY-MM-DD.
pub fn bad_date() -> String {
    text::BAD_DATE.into()
}

/// The message for a reminder note over [`MAX_REMINDER_NOTE`].
pub fn long_note() -> String {
    text::LONG_NOTE.into()
}

/// The current reminder and who has seen the report, for the case panel.
pub fn state(case: &CaseFile, today: &str) -> Markup {
    html! {
        p id="reminder" {
            @match &case.reminder {
                Some(r) => {
                    (text::REMINDER_ON) strong { (r.date) }
                    " (" (text::SET_BY) (r.author) ")"
                    @if r.date.as_str() <= today { " " strong class="badge due" { (text::DUE) } }
                    @if let Some(note) = &r.note { ": " (note) }
                }
                None => { (text::NO_REMINDER) }
            }
        }
        p id="seen-by" {
            @if case.seen.is_empty() {
                (text::SEEN_BY_NOBODY)
            } @else {
                (text::SEEN_BY)
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
pub fn remind_form(gate: &Gate, id: &str, case: &CaseFile) -> Markup {
    let action = format!("/reports/{id}/remind");
    let current = case.reminder.as_ref().map(|r| r.date.as_str());
    html! {
        form method="post" action=(action) id="remind-form" {
            h3 { (text::REMIND_HEADING) }
            (token(gate, &action))
            label for="remind-date" { (text::REMIND_DATE) }
            p class="hint" id="remind-date-hint" { (text::REMIND_DATE_HINT) }
            input type="date" id="remind-date" name="date" required
                pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}" placeholder="YYYY-MM-DD"
                value=[current] aria-describedby="remind-date-hint";
            label for="remind-note" { (text::REMIND_NOTE) }
            input type="text" id="remind-note" name="note" maxlength=(MAX_REMINDER_NOTE);
            button type="submit" class="secondary" { (text::REMIND_BUTTON) }
        }
    }
}

/// The inbox filters that need the case file (shown when the desk has one).
pub fn inbox_filters(filter: &Filter) -> Markup {
    html! {
        div class="check" {
            input type="checkbox" id="due-filter" name="due" value="1" checked[filter.due.is_some()];
            label for="due-filter" { (text::FILTER_DUE) }
        }
        div class="check" {
            input type="checkbox" id="unseen-filter" name="unseen" value="1" checked[filter.unseen.is_some()];
            label for="unseen-filter" { (text::FILTER_UNSEEN) }
        }
    }
}

/// The inbox's marker for a report with something this staff member has
/// not seen.
pub fn unseen_badge() -> Markup {
    html! {
        strong class="badge unseen" { (text::UNSEEN_BADGE) }
        span class="visually-hidden" { (text::UNSEEN_HIDDEN) }
    }
}
