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
nav-kids = For young people
nav-after = What happens after you report
nav-code = How your code works
nav-security = Report a security problem
footer-more = More information
language-switch = Language
exit-button = Leave this site now
exit-hint = This button opens another, ordinary website at once. This site stays in the history.
emergency = Are you or someone else in danger right now? Call { $number }.
helplines-title = Talk to someone
chat-link = Chat with us
demo-banner = DEMO. This is a test installation. Do not report real things here.

# The one rule about the police. Every page that speaks of the police shows it
# through this text, so the rule reads the same everywhere.
police-rule = We only pass your report on to the police if you agree. You choose if the police may also see what shows who you are, such as your name or phone number. Is someone in danger right now? Then we may warn the police without asking you, but we do not tell them who you are.
# Beside every file field: no pictures of abuse.
attachment-warning = Never send nude or sexual pictures of anyone under 18, also not of yourself. Describe what you saw, or tell us where it is (for example a website or an account name).

home-title = Tell us what you saw. You can stay anonymous.
home-intro = Do you think someone is being forced to work, to have sex, or to commit crimes? Are you maybe in this situation yourself? Tell us. We do not need your name.
home-who = Anyone can report: a young person, a parent, a friend, a neighbour, a teacher or a care worker.
home-safe-title = Your report is safe
home-safe-text = Your report is locked before it is saved. Only the staff of the reporting point can open it. We do not keep your IP address: the number of your internet connection, which can lead to you.
home-report-button = Make a report
home-check-button = I already made a report
home-steps-title = What happens after you report
home-step-1 = You tell us what you saw or what happened. You get a secret code.
home-step-2 = We read your report. We may ask you questions. You see them when you come back with your code.
home-step-3 = We decide with experts what is needed. Sometimes that is advice. Sometimes we pass it on: to a care coordinator (a person who arranges help for a victim), to another reporting point, or to the police.
home-step-4 = { police-rule }
home-more-after = Read more about what happens
home-kids = Are you younger than 18? There is a page with simple words for you.
home-kids-link = Go to the page for young people

report-title = Make a report
report-intro = Write what you saw or what happened. Only the question "What happened?" is needed. You can skip all other questions. You do not have to give your name.
report-kids = Younger than 18? There is a shorter form with simple words.
report-message-label = What happened?
report-message-hint = For example: who, where, when, and what you noticed.
report-attachment-label = Add screenshots or other files (you do not have to)
report-attachment-hint = A photo file can hold hidden data, such as the place where it was taken. A screenshot of the photo does not have that data.
report-submit = Send report
report-error-empty = Please write something in the box first.
report-error-too-long = Your text is too long. Please make it shorter, or send the rest later as an extra message.
report-error-answer = One of your answers is too long or not clear. Please check your answers.

receipt-title = Your report has been sent
receipt-intro = Thank you. Below is your secret code. You need it to read our answer.
receipt-code-label = Your code
receipt-write-down = Write the code on paper, or remember it. We cannot show it again and we cannot find it for you.
receipt-safe-place = Do not save the code on a phone or computer that someone else can see.
receipt-what-it-shows = Someone who finds the code can read our answers, send messages as if they were you, and delete your report. They can never read what you reported. Worried that someone saw it? Get a new code on the page "Check for an answer".
receipt-come-back = Come back in a few days. Choose "Check for an answer" and type the code.
receipt-urgent-title = Someone is in danger: call { $number } now
receipt-urgent-text = You told us that someone is in danger right now. We do not read reports at once. Call { $number } now. Your report has been saved as well.
receipt-check-title = Did you write it down?
receipt-check-intro = Type the code you wrote down. Then you know that it is correct.
receipt-confirm-label = The code you wrote down
receipt-confirm-submit = I wrote it down: check my code
receipt-confirm-wrong = This is not the same code. Look carefully at your code above and try again.
receipt-confirmed-title = Your code is written down correctly
receipt-confirmed-text = Well done. Keep the paper in a safe place. Come back in a few days to read our answer.
receipt-confirmed-close = Close this page now. Does someone else check your phone or computer? Then also delete this site from the history.
receipt-confirmed-how = How to delete the history

check-title = Check for an answer
check-intro = Type the code you got when you made your report.
check-code-label = Your code
check-code-hint = 16 letters and numbers. Spaces and dashes do not matter.
check-submit = Show our answers
check-status-label = Status of your report
check-replies-title = Answers from the reporting point
check-no-replies = There is no answer yet. Please come back later.
check-reply-label = Answer
check-followup-title = Send an extra message
check-followup-label = Your message
check-followup-submit = Send message
check-unknown-title = We do not recognise this code
check-unknown-text = Check the code and try again. Did you type it right? Codes have 16 letters and numbers.
check-leave = Close this page when you are done. Nobody can see our answers without the code.
check-actions-busy = It is very busy right now, so you cannot send a message, get a new code or delete your report at this moment. The status and our answers are above. Please try again in a few minutes.

followup-sent-title = Your message has been sent
followup-sent-text = Thank you. We will read it soon. Come back later with your code to read our answer.
followup-expired = This page was open too long. Please type your code again.

# What the reporter sees as the status on /check: a few safe texts. Which
# staff status shows which text is set in site.toml ([reporter_status]).
check-status-received = We have received your report. We will read it soon.
check-status-in-progress = We are working on your report.
check-status-handled = We have finished working on your report. You can still send us a message.

# The page /security (shown when site.toml names a security contact).
security-title = Report a security problem
security-text = Did you find a weakness in the security of this site? Please tell us, so we can fix it. Please do not send test reports through the form.

safety-title = Stay safe online
safety-intro = Does someone else use or check your phone or computer? These tips help you leave fewer traces.
safety-private = Use a private window (also called incognito). Then the browser does not remember which pages you visited.
safety-history = Already used a normal window? Delete the history: open the browser menu, choose History, and delete the pages of this site.
safety-exit = The button "Leave this site now" opens another, ordinary website at once. It is a normal link: this site stays in the history, and the Back button brings you back here. So afterwards, also delete this site from the history (see below).
safety-tor = Tor Browser hides which sites you visit, also from your internet provider. It forgets everything when you close it. But someone who checks your phone or computer can see that Tor Browser is installed, and that can stand out.
safety-code = Keep your code on paper in a safe place, not on your phone.
safety-history-title = How to delete this site from the history
safety-history-chrome = Chrome (phone or computer): open the menu (⋮), choose History, and remove the pages of this site.
safety-history-safari = Safari on an iPhone: tap the book icon, then the clock, and swipe the pages of this site away.
safety-history-firefox = Firefox: open the menu (☰), choose History, and remove the pages of this site.
safety-history-samsung = Samsung Internet: open the menu (☰), choose History, and remove the pages of this site.
safety-history-careful = Does someone check your phone? Then do not delete all history: that can stand out. Only remove the pages of this site.

error-title = Something went wrong
error-back = Back to the start
error-not-found = This page does not exist.
error-bad-request = We could not read what was sent. Please try again.
error-too-large = What you sent is too big. It can be at most { $limit } in total. Please send fewer or smaller files.
error-busy = It is very busy right now. Please wait a minute and try again. Nothing was lost: your text is below.
error-busy-short = It is very busy right now. Please wait a minute and try again.
error-internal = Something went wrong on our side. Your report was NOT saved. Please try again later, or call one of the numbers below.

# Changing the code and deleting a report (from the check page).
code-actions-title = Your code and your report
rotate-hint = Worried that someone saw your code? Get a new one. The old code stops working at once.
rotate-button = Give me a new code
rotate-done-title = This is your new code
rotate-done-intro = Your old code does not work any more. Use this new code from now on.
delete-hint = You can delete your report. Then we cannot read it or answer it any more. What we already passed on to others (for example a care coordinator or the police) is not deleted.
delete-button = Delete my report
delete-confirm-title = Do you really want to delete your report?
delete-confirm-text = Everything here will be deleted: your report, your messages and our answers. This cannot be undone. What we already passed on to others stays with them.
delete-confirm-yes = Yes, delete everything
delete-confirm-no = No, keep my report
delete-done-title = Your report has been deleted
delete-done-text = Your report and all messages are gone. Your code does not work any more.
error-storage-full = We cannot take files right now. Your report was NOT sent. Please send it again without files, or call one of the numbers below.

# What happens after a report (its own page).
after-title = What happens after you report
after-intro = This is what we do with your report, step by step.
after-step-1 = You tell us what you saw or what happened. You get a secret code. With the code you can read our answers and send more information.
after-step-2 = We read your report. We may have questions. You see them when you come back with your code.
after-step-3 = We decide what is needed. Sometimes advice is enough. Sometimes we open a case.
after-step-4 = For a case, we check if other organisations are also worried about this situation. A team of experts looks at it together.
after-step-5 = Is it maybe human trafficking or sexual exploitation of a child? Then a care coordinator helps. This is a person who arranges help for the victim and stays in touch for a long time.
after-step-6 = We can pass your report on. For example to a care coordinator, or to a reporting point in the region. Or to a team of digital investigators: they look for evidence about the people who may be exploiting someone, for example online. For the police, the rule below is always true.
after-step-7 = The people who get the report look into it. They tell us what they found. We tell you what we can.
after-police = { police-rule }
after-time = It can take a few days before you get an answer. Please come back with your code to check.

# How the receipt code works (its own page).
code-title = How your code works
code-intro = After your report you get a secret code of 16 letters and numbers. With this code you can read our answers. Nobody else needs it.
code-example = A code looks like this: { $example }
code-write = Write the code on paper. Keep the paper in a safe place.
code-not-shared = Do not save the code on a phone or computer that someone else uses or checks. Do not send it in a chat.
code-lost = We cannot find your code for you, because we do not know who you are. Lost it? Make a new report and say that you made a report before.
code-finder-title = If someone finds your code
code-finder-can = Someone who has your code can read our answers, send messages as you, and delete your report.
code-finder-cannot = They can never read your report or your own messages. Only the reporting point can open those.
code-worried = Worried that someone saw your code? Type it at "Check for an answer" and choose "Give me a new code". The old code stops working at once.

# The page for children and young people (simple words).
kids-title = Is something happening that is not OK?
kids-intro = Does someone make you do things you do not want? For example sex, sexy photos, working or stealing? Or is this happening to a friend? Tell us. It is not your fault.
kids-secret = You do not have to say your name. Only the people who help at the reporting point can read what you write.
kids-code = After you send it, you get a secret code. With the code you can come back and read our answer.
kids-talk = Would you rather talk to someone first?
kids-danger = Are you in danger now? Call { $number }. It is free.
kids-message-label = What happened?
kids-message-hint = Write it in your own words. Short is fine.
kids-attachment-label = Do you have screenshots? You can add them. You do not have to.
kids-attachment-hint = A photo can hide the place where it was taken. A screenshot does not.
kids-attachment-warning = Do not send nude or sexy pictures of anyone under 18. Also not of yourself. Tell us in words what you saw, or where it is. You are not in trouble for telling us.
kids-submit = Send
kids-q-danger = Are you or someone else in danger right now?
kids-q-danger-hint = Yes? Call { $number } first. It is free. After that you can still send this.
kids-q-role = Is this about you or about someone else?
kids-q-role-victim = About me
kids-q-role-worried = About someone else
kids-q-where = In which town or city does it happen?
kids-q-where-hint = You can skip this.
kids-q-contact = Can we call, text or e-mail you?
kids-q-contact-hint = If you give us your phone number or e-mail, we know who you are.
kids-q-contact-anonymous = No. I will come back with my code to read your answer.
kids-q-contact-contact = Yes
kids-q-contact-how = How can we call, text or e-mail you safely?
kids-q-contact-how-hint = Does someone else read your phone or e-mail? Then do not write it here. They could see our messages.

# The questionnaire of the report form (templates/questionnaire.toml).
s-now = Safety first
q-danger = Is someone in danger right now?
q-danger-hint = If yes: call { $number } now. After that you can still send this report.
q-danger-yes = Yes
q-danger-no = No
q-danger-unknown = I do not know

s-situation = About the situation
s-situation-hint = You can skip these questions. Your answers help us to understand it faster. Choose only what you know. Is the report about you? Then "the person" means you.
q-role = Who are you?
q-role-victim = It is about me
q-role-worried = I am worried about someone (a friend, family member, neighbour)
q-role-parent = I am a parent or carer
q-role-teacher = I am a teacher
q-role-professional = I see this in my work
q-role-other = Something else
q-field = Do you see this in your work? In which field?
q-field-youth-care = Youth care
q-field-education = Education
q-field-health = Health care
q-field-social-work = Social work or youth work
q-field-police = Police or justice
q-field-municipality = Municipality
q-field-hospitality = Hotel, restaurant or bar
q-field-other = Other work
q-forms = What do you think is happening? You can choose more than one.
q-forms-sex-work = Someone is forced into prostitution
q-forms-online = Online: forced webcam sex, or nude photos or sex videos shared without consent
q-forms-grooming = A "loverboy" (a trafficker who pretends to be in love), grooming (an adult wins a child's trust to abuse them), or sextortion (threats to share nude photos or sex videos)
q-forms-child-prostitution = A child or teenager is sexually exploited: made to do sexual things for money, a place to sleep, or other things
q-forms-labour = Forced work or very bad work. For example: long hours, little or no pay, the person cannot leave. On a farm, in a restaurant, in cleaning or in building.
q-forms-criminal = Someone is forced to commit crimes (for example stealing or selling drugs)
q-forms-begging = Someone is forced to beg
q-forms-organs = Someone is forced to give up an organ
q-forms-unknown = I do not know, or something else
q-signals = What did you notice? You can choose more than one.
q-signals-unequal-relationship = A friend or family member has power over the person
q-signals-injuries = The person has injuries
q-signals-drugs-or-goods = The person has drugs or stolen things, but was never in trouble with the police before
q-signals-withdrawn = The person stays away from friends and family
q-signals-new-contacts = The person suddenly has many new contacts
q-signals-protective = The person keeps new friends or contacts secret, or defends them
q-signals-debts = The person suddenly owes money and cannot say what for
q-signals-no-id = Someone else keeps the person's passport or ID card
q-signals-begging = The person begs on the street
q-signals-no-dutch = The person does not speak Dutch or cannot read
q-signals-threats = The person is threatened or blackmailed
q-signals-money-taken = Someone else takes the person's money
q-signals-sees-self-as-offender = The person thinks they did something wrong themselves
q-minor = Is the person maybe younger than 18?
q-minor-yes = Yes, I am sure
q-minor-maybe = I think so
q-minor-no = No
q-minor-unknown = I do not know
q-where = Where does it happen? (town, city or region)
q-where-hint = You do not have to give an address.

s-contact = Contact and sharing
s-contact-hint = You can stay anonymous. You can always read our answers with your code.
q-contact = May we contact you?
q-contact-anonymous = No, I will stay anonymous. I will read your answers with my code.
q-contact-contact = Yes, you may contact me
q-contact-how = If yes: how can we reach you safely? (phone number, e-mail)
q-contact-how-hint = If you give a phone number or e-mail address, we know who you are. Someone else who reads that phone or e-mail may see our messages too. Only give it if that is safe.
q-contact-when = When is it safe to contact you?
q-police = May we share your report with the police?
q-police-hint = { police-rule }
q-police-with-name = Yes, also with what shows who I am (such as my name or phone number)
q-police-anonymised = Yes, but without anything that shows who I am
q-police-no = No
q-police-unsure = I do not know yet
