# English texts. Keep sentences short and plain (reading level B1 or simpler).
language-name = English
language-dir = ltr

site-name = Report exploitation
neutral-title = Notes
skip-to-content = Skip to content
nav-home = Start
nav-report = Make a report
nav-check = Check for an answer
nav-safety = Stay safe online
language-switch = Language
exit-button = Leave this site now
exit-hint = This button takes you to a weather site at once.
emergency = Are you or someone else in danger right now? Call { $number }.
helplines-title = Talk to someone
demo-banner = DEMO. This is a test installation. Do not report real things here.

home-title = Tell us what you saw. You can stay anonymous.
home-intro = Do you think someone is being forced to work, to have sex, or to commit crimes? Are you maybe in this situation yourself? Tell us. We do not need your name.
home-who = Anyone can report: a young person, a parent, a friend, a neighbour, a teacher or a care worker.
home-safe-title = Your report is safe
home-safe-text = Your report is locked before it is saved. Only the staff of the reporting point can open it. We do not save your internet address.
home-report-button = Make a report
home-check-button = I already made a report
home-steps-title = What happens after you report
home-step-1 = You tell us what you saw or what happened. You get a secret code.
home-step-2 = We read your report. We may ask you questions. You see them when you come back with your code.
home-step-3 = We decide with experts what is needed. Sometimes that is advice. Sometimes we pass it on to a care coordinator, to another reporting point, or to the police.
home-step-4 = We only share your name with the police if you agree.

report-title = Make a report
report-intro = Write what you saw or what happened. You do not have to give your name. Write only what you want to share.
report-message-label = What happened?
report-message-hint = For example: who, where, when, and what you noticed.
report-attachment-label = Add photos or files (you do not have to)
report-attachment-hint = Photos can contain the place where they were taken. To be safe, send a screenshot of the photo instead of the photo itself.
report-submit = Send report
report-error-empty = Please write something in the box first.
report-error-too-long = Your text is too long. Please make it shorter, or send the rest later as an extra message.

receipt-title = Your report has been sent
receipt-intro = Thank you. Below is your secret code. You need it to read our answer.
receipt-code-label = Your code
receipt-write-down = Write the code on paper, or remember it. We cannot show it again and we cannot find it for you.
receipt-safe-place = Do not save the code on a phone or computer that someone else can see.
receipt-what-it-shows = Someone who finds the code can see our answers. They can never see what you reported.
receipt-come-back = Come back in a few days. Choose "Check for an answer" and type the code.
receipt-done = I wrote the code down

check-title = Check for an answer
check-intro = Type the code you got when you made your report.
check-code-label = Your code
check-code-hint = 16 letters and numbers. Spaces and dashes do not matter.
check-submit = Show answers
check-status-label = Status of your report
check-replies-title = Answers from the reporting point
check-no-replies = There is no answer yet. Please come back later.
check-reply-label = Answer
check-followup-title = Send an extra message
check-followup-label = Your message
check-followup-submit = Send message
check-unknown-title = We do not recognise this code
check-unknown-text = Check the code and try again. Did you type it right? Codes have 16 letters and numbers.
check-leave = Close this page when you are done. Nobody can see your answers without the code.

followup-sent-title = Your message has been sent
followup-sent-text = Thank you. We will read it soon. Come back later with your code to read our answer.
followup-expired = This page was open too long. Please type your code again.

status-received = Received. We will read it soon.
status-in-progress = We are working on your report.
status-forwarded-care = We have passed your report on to a care coordinator.
status-forwarded-police = We have passed your report on to the police.
status-forwarded-reporting-point = We have passed your report on to another reporting point.
status-advice-given = We have given advice.
status-closed = This report is closed.

safety-title = Stay safe online
safety-intro = Does someone else use or check your phone or computer? These tips help you leave fewer traces.
safety-private = Use a private window (also called incognito). Then the browser does not remember which pages you visited.
safety-history = Already used a normal window? Delete the history: open the browser menu, choose History, and delete the pages of this site.
safety-exit = Use the button "Leave this site now" if someone comes near. It opens a weather site.
safety-tor = For the most privacy, use Tor Browser.
safety-code = Keep your code on paper in a safe place, not on your phone.

error-title = Something went wrong
error-back = Back to the start
error-not-found = This page does not exist.
error-bad-request = We could not read what was sent. Please try again.
error-too-large = What you sent is too big. Files can be at most { $limit }. Please send less, or smaller files.
error-busy = It is very busy right now. Please wait a minute and try again. Nothing was lost: your text is below.
error-busy-short = It is very busy right now. Please wait a minute and try again.
error-internal = Something went wrong on our side. Your report was NOT saved. Please try again later, or call one of the numbers below.

# Changing the code and deleting a report (from the check page).
code-actions-title = Your code and your report
rotate-hint = Worried that someone saw your code? Get a new one. The old code stops working at once.
rotate-button = Give me a new code
rotate-done-title = This is your new code
rotate-done-intro = Your old code does not work any more. Use this new code from now on.
delete-hint = You can delete your report. Then we cannot read it or answer it any more.
delete-button = Delete my report
delete-confirm-title = Do you really want to delete your report?
delete-confirm-text = Everything will be deleted: your report, your messages and our answers. This cannot be undone.
delete-confirm-yes = Yes, delete everything
delete-confirm-no = No, keep my report
delete-done-title = Your report has been deleted
delete-done-text = Your report and all messages are gone. Your code does not work any more.
error-storage-full = We cannot take files right now. Your report was NOT sent. Please send it again without files, or call one of the numbers below.
