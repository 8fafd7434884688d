# Staff texts of the desk in the browser (`tipline desk serve`) and its print
# view, in English. Keep the same keys as nl.ftl; arguments are in { $name }.

## Frame and navigation
layout-name = tipline desk
layout-skip = Skip to content
nav-label = Desk
nav-inbox = Inbox
nav-figures = Figures
nav-outbox = Outbox
nav-intake = Intake
nav-help = Help
lang-switch-label = Language of the desk
back-to-inbox = Back to the inbox
back-to-report = Back to the report

## Status names (the form values stay the status codes)
status-received = received
status-in_progress = in progress
status-forwarded_care = forwarded to a care coordinator
status-forwarded_police = forwarded to the police
status-forwarded_reporting_point = forwarded to another reporting point
status-advice_given = advice given
status-closed = closed

## Inbox
inbox-title = Inbox
filter-title = Filter
filter-status = Status
filter-any = any
filter-urgent = Only DANGER and children's reports
filter-apply = Apply filters
sync-title = Sync
sync-hint = Pulls new reports and sends what waits in the outbox.
sync-button = Sync now
sync-offline = No server given (--server): this desk works offline. Carry the mirror to a networked machine to pull and push.
inbox-empty = No reports to show. Sync, or change the filters.
inbox-caption = Reports, DANGER and children's reports first
col-report = Report
col-received = Received
col-status = Status
col-flags = Flags
col-assigned = Assigned to
col-tags = Tags
col-first-words = First words
col-files = Files
inbox-queued = { $count ->
    [one] (+1 change queued)
   *[other] (+{ $count } changes queued)
}
inbox-not-pulled = (not pulled yet)
badge-danger = DANGER
badge-kids = kids

## Marks, as the terminal desk marks items
mark-unreadable = UNREADABLE:
mark-unverified = UNVERIFIED:
mark-internal = INTERNAL
mark-queued = queued, not sent yet
mark-gap = GAP:

## Report page
report-title = Report { $id }
report-heading = Report
report-print = Print this report
report-id = Id
conv-title = Conversation
conv-reporter = reporter
conv-staff-reply = staff reply
conv-report = report
conv-second-report = a second "report"
conv-follow-up = follow-up
conv-language = language { $lang }
conv-danger = The reporter said someone is in danger RIGHT NOW.
conv-kids = Sent with the children's form: answer in the simplest words.
conv-status-change = status change to { $status }
trust-verified = verified: signed with the reporter's code
trust-predates = unverified (report predates signatures)
trust-unverified = UNVERIFIED: no valid signature from the reporter's code.
trust-unverified-why = Not signed with this reporter's code: the server (or whoever controls it) may have written this.
attach-title = Attachments
attach-hint = Images are shown with their metadata (GPS, camera, author) removed from JPEG, PNG, GIF and WebP (an image whose metadata cannot be removed is offered for saving only); nothing here is written to disk.
attach-image-alt = Image sent by the reporter: { $file }
attach-show = Look at this image
attach-show-hint = (it may show abuse: it stays blurred until you choose)
attach-not-image = not an image, never shown here.
attach-save = Save this file
attach-save-warning = Saving writes the decrypted file to this computer's disk. A reporter's file is hostile input: open it only in a viewer you trust, on this offline workstation, and delete it when done.
reply-title = Reply to the reporter
reply-send = Send reply
guidance-title = Before you reply
guidance-who-reads = Whoever has the receipt code can read this reply: it may be the reporter, or someone checking their phone. Say nothing that endangers them.
guidance-helps = What helps: take your time; be personal, sincere, neutral and open about what happens next; show real interest; keep their safety in mind; come back to what they said; offer support and understanding.
guidance-hinders = What hinders: standard phrases, judging, threatening with consequences, involving the family, blaming the victim, going faster than the person wants, saying something other than you mean.
guidance-statement = Do not question a possible victim in depth about the offence before a police statement: the statement must stay their own.
status-form-hint = The reporter never sees the status itself, only the text beside it on /check.
status-form-option = { $status } — the reporter sees: { $sees }
status-form-set = Set status

## Case file (internal)
case-none = Case file (notes, tags, assignment): start the desk with --as NAME --signing-key FILE --team team.toml (or TIPLINE_STAFF, TIPLINE_SIGNING_KEY, TIPLINE_TEAM) to see and write it.
case-title = Case file (internal: never shown to the reporter)
case-assigned-to = Assigned to:
case-nobody = nobody
case-note-label = Add an internal note
case-note-add = Add note
case-tag-label = Add a tag
case-tag-hint = One word, no spaces or commas, e.g. loverboy.
case-tag-add = Add tag
case-no-tags = No tags.
case-tags-current = Current tags
case-tag-remove = Remove
case-tag-remove-label = Remove tag { $tag }
case-assign-label = Assign to
case-assign = Assign
case-verified = verified
case-unknown-author = the author is not in the team roster
case-bad-signature = the signature does not match the roster
case-unreadable-event = unreadable case event
event-note = note
event-tagged = tagged { $tags }
event-untagged = { $count ->
    [one] removed tag { $tags }
   *[other] removed tags { $tags }
}
event-assigned = assigned to { $name }
event-assigned-nobody = assigned to nobody
event-reminder = reminder on { $date }
event-seen = { $count ->
    [one] seen (1 message)
   *[other] seen ({ $count } messages)
}
event-reply = reply (age file sha256 { $id })
event-status = status changed to { $status }
event-forwarded = forwarded to { $partner } ({ $how }; { $what })
event-forward-anonymised = anonymised
event-forward-identifying = with identifying answers
event-forward-acute = without consent, acute danger: { $reason }
event-deleted = deleted: { $reason }

remind-on = Reminder on
remind-set-by = set by { $name }
remind-due = due
remind-none = No reminder.
seen-by = Seen by:
seen-by-nobody = Not seen by anyone in the team yet.
remind-heading = Set a reminder
remind-date = Day
remind-date-hint = As YYYY-MM-DD, e.g. 2026-03-01. The inbox's "reminder due" filter shows the report from that day.
remind-note = What to remember (optional, internal)
remind-button = Set reminder
filter-due = Only with a reminder due (today or earlier)
filter-tag = Tag
filter-assigned = Assigned to
filter-assigned-me = me
filter-assigned-none = nobody
filter-unseen = Only with something I have not seen
unseen-badge = new
unseen-hidden = not seen by you yet
## Notices after an action
done-reply-sent = Reply sent. The reporter sees it on /check.
done-reply-queued = Reply queued in the outbox: it is sent at the next sync.
done-reply-held = The reply could not be sent now; it waits in the outbox. Try Sync later (the terminal says why).
done-status-sent = Status set. The reporter sees its text on /check.
done-status-queued = Status change queued in the outbox: it is sent at the next sync.
done-status-held = The status change could not be sent now; it waits in the outbox.
done-synced = Synced: { $pulled ->
    [one] 1 new message pulled
   *[other] { $pulled } new messages pulled
}, { $sent ->
    [one] 1 queued change sent.
   *[other] { $sent } queued changes sent.
}
done-case-sent = Recorded in the case file and sent: the team sees it after their next sync.
done-case-queued = Recorded in the case file and queued in the outbox: it is sent at the next sync.
done-case-held = Recorded in the case file, but it could not be sent now; it waits in the outbox.
done-retried = { $count ->
    [one] Sent 1 queued change.
   *[other] Sent { $count } queued changes.
}

## Print
print-title = Report { $id }
print-warning = Printing puts this report in plain text on paper and often in the printer's memory.
print-warning-more = Use a printer you control, keep the paper locked away and shred it when done. Nothing of this page is saved on this computer unless you print or save it.
print-anonymised = Leave out answers that identify the reporter
print-conversation = With follow-ups and staff replies
print-show = Show
print-confidential = Confidential. This page holds a report in plain text: keep it locked away and destroy it when no longer needed.
print-received = Received
print-language = Language
print-anonymised-title = Anonymised
print-anonymised-yes = yes: answers that identify the reporter are left out (check the text itself)
print-anonymised-no = no
print-danger = The reporter said someone is in danger right now.
print-answers = Answers
print-no-answers = No answers.
print-what-happened = What happened
print-conversation-title = Conversation
print-by-reporter = reporter
print-by-staff = staff

## Intake (a report by phone)
intake-page-title = Intake
intake-sent-page-title = Intake: sent
intake-title = Intake: a report by phone
intake-unavailable = Intake sends the report to the server: start the desk with --server URL to take reports by phone here.
intake-caller-lang = The caller's language
intake-switch = Switch language
intake-hint = Ask each question in the caller's words; leave out what they do not want to answer. The report goes to the server like one from the web form, marked as taken by phone.
intake-by = Taken by (your name, kept inside the encrypted report)
intake-send = Send the report
intake-sent-title = The report was sent
intake-read-out = Read this to the caller:
intake-the-code = The code:
intake-code-once = The code is not kept anywhere: once this page is closed it cannot be shown again.
intake-another = Take another report

## Outbox
outbox-title = Outbox
outbox-empty = Nothing waits to be sent.
outbox-caption = Waiting to be sent, oldest first
outbox-what = What
outbox-reply = reply written { $day }
outbox-event = case event written { $day }
outbox-send = Send now
outbox-offline = No server given (--server): push from a networked machine with `tipline desk push`.

## Figures
figures-title = Figures
figures-hint = Counted on this workstation from the mirror; nothing leaves it. Free-text answers are never counted, except those the questionnaire marks countable.
figures-unopened = { $count ->
    [one] 1 report could not be opened with this identity: it counts by month and status only.
   *[other] { $count } reports could not be opened with this identity: they count by month and status only.
}
figures-by-month = Reports by month
figures-by-status = Reports by status
figures-by-language = Reports by language
figures-by-question = Reports by answer to “{ $title }”
figures-alt = { $title }: bar chart; the numbers are in the table below
figures-csv = Download as CSV
figures-value = Value
figures-reports = Reports
figures-axis = reports
figures-not-answered = (not answered)
figures-empty = (empty)
figures-month-status = Reports per month by status
figures-month-forms = Reports per month by form of exploitation
figures-month-minor = Reports per month by age group (under 18)
figures-month-where = Reports per month by region
figures-month-first-reply = Days to the first reply, per month of arrival
figures-month-answers = answers
figures-month-days = days
figures-month-other = (other values)
figures-month-month = Month
figures-month-answered = answered
figures-month-unanswered = unanswered
figures-month-median = median days
figures-month-p90 = 90th percentile days
figures-month-stacked = Stacked bars, one per month, a colour per value (see the legend).
figures-month-many = A report can give more than one answer, so a month's bar may add up to more than its reports.
figures-month-grouped = The chart draws the values after the first { $count } together as “(other values)”; the table has each.
figures-month-lines = Two lines with markers: the median (circles) and the 90th percentile (triangles) of the days from arrival to the first staff reply; a gap is a month without answered reports.
figures-month-svg-end = The numbers are in the table below.
figures-month-csv = Download as CSV
figures-month-table = The numbers in the chart

## Help
help-title = Help
help-heading = Keeping the workstation safe
help-mirror-title = The mirror
help-mirror = The mirror holds reports only as ciphertext. This desk decrypts them in memory and writes nothing readable to disk, except files you choose to save.
help-offline = Keep this workstation offline where you can: pull on a networked machine, carry the mirror over, and push replies the same way.
help-passphrase-title = The passphrase
help-passphrase = The centre identity opens every report. Protect it with a passphrase, never write the passphrase down near the machine, and never copy the identity to the server.
help-away-title = When you step away
help-away = Lock the screen (every time), and stop the desk (Ctrl+C in its terminal) at the end of the day: the link it printed works once, and a new start gives a new one.
help-attachments-title = Attachments
help-attachments = A reporter's file is hostile input. Images are blurred until you choose to look; other files are never opened here. Save one only when you must, and delete it after.
help-language-title = Language
help-language = The desk starts in the language of --lang (Dutch unless set). The button at the top right switches every page to the other language until the desk stops.

## Errors and refusals
error-refused = Refused
error-not-found = Not found
error-check = Please check
error-wrong = Something went wrong
error-form-token = This form is out of date or came from elsewhere; reload the page and try again.
error-not-in-mirror = Not found in the mirror.
error-not-an-image = This file is not an image the desk shows; save it instead.
error-desk = The desk could not do this. What went wrong (also on the desk's terminal):
error-task = The desk could not finish this task.
error-reply-empty = The reply is empty; nothing was queued.
error-status-unknown = Unknown status; choose one from the list.
error-note-empty = The note is empty; nothing was recorded.
error-tag = A tag is one word (no spaces or commas) of at most 64 characters.
error-intake-field = The form has a field the questionnaire does not know; reload the page and try again. Nothing was sent.
error-intake-answer = The form has an answer the questionnaire does not know; reload the page and try again. Nothing was sent.
error-intake-message = What happened is required; nothing was sent.
error-intake-by = Say who takes the call; nothing was sent.
error-lang = The desk has no such language.
gate-not-set-up = Refused: the desk is not set up.
gate-wrong-host = Refused: this desk answers only to its own address.
gate-key-used = Refused: this link was used already. Restart `tipline desk serve` for a new one.
gate-no-session = Refused: no desk session. Open the link `tipline desk serve` printed.
gate-other-site = Refused: a form from another site.
error-remind-date = Give the reminder's day as YYYY-MM-DD (for example 2026-03-01).
error-remind-note = The reminder's note is too long (at most 500 characters).
