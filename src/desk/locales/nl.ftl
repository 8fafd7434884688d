# Teksten voor medewerkers in de desk in de browser (`tipline desk serve`) en
# de afdrukweergave, in het Nederlands. Houd dezelfde sleutels als en.ftl.

## Kader en navigatie
layout-name = tipline desk
layout-skip = Naar de inhoud
nav-label = Desk
nav-inbox = Meldingen
nav-figures = Cijfers
nav-outbox = Postvak uit
nav-intake = Telefonische melding
nav-help = Hulp
lang-switch-label = Taal van de desk
back-to-inbox = Terug naar de meldingen
back-to-report = Terug naar de melding

## Namen van de statussen (de waarden in het formulier blijven de statuscodes)
status-received = ontvangen
status-in_progress = in behandeling
status-forwarded_care = doorgezet naar zorgcoördinator
status-forwarded_police = doorgezet naar politie
status-forwarded_reporting_point = doorgezet naar ander meldpunt
status-advice_given = advies gegeven
status-closed = afgesloten

## Meldingen (inbox)
inbox-title = Binnengekomen meldingen
filter-title = Filteren
filter-status = Status
filter-any = alle
filter-urgent = Alleen GEVAAR en meldingen van kinderen
filter-apply = Filters toepassen
sync-title = Synchroniseren
sync-hint = Haalt nieuwe meldingen op en verstuurt wat in het postvak uit wacht.
sync-button = Nu synchroniseren
sync-offline = Geen server opgegeven (--server): deze desk werkt offline. Breng de lokale kopie naar een computer met netwerk om op te halen en te versturen.
inbox-empty = Geen meldingen om te tonen. Synchroniseer, of pas de filters aan.
inbox-caption = Meldingen, GEVAAR en meldingen van kinderen bovenaan
col-report = Melding
col-received = Ontvangen
col-status = Status
col-flags = Urgentie
col-assigned = Toegewezen aan
col-tags = Labels
col-first-words = Eerste woorden
col-files = Bestanden
inbox-queued = { $count ->
    [one] (+1 wijziging in wachtrij)
   *[other] (+{ $count } wijzigingen in wachtrij)
}
inbox-not-pulled = (nog niet opgehaald)
badge-danger = GEVAAR
badge-kids = kind

## Markeringen, zoals de desk in de terminal ze geeft
mark-unreadable = ONLEESBAAR:
mark-unverified = NIET GECONTROLEERD:
mark-internal = INTERN
mark-queued = in de wachtrij, nog niet verstuurd
mark-gap = ONTBREEKT:

## Melding
report-title = Melding { $id }
report-heading = Melding
report-print = Deze melding afdrukken
report-id = Kenmerk
conv-title = Gesprek
conv-reporter = melder
conv-staff-reply = antwoord van het meldpunt
conv-report = melding
conv-second-report = een tweede „melding”
conv-follow-up = aanvulling
conv-language = taal { $lang }
conv-danger = De melder zegt dat iemand NU in gevaar is.
conv-kids = Verstuurd met het formulier voor kinderen: antwoord in zo eenvoudig mogelijke woorden.
conv-status-change = status wordt { $status }
trust-verified = gecontroleerd: ondertekend met de code van de melder
trust-predates = niet gecontroleerd (de melding is ouder dan de ondertekening)
trust-unverified = NIET GECONTROLEERD: geen geldige handtekening met de code van de melder.
trust-unverified-why = Niet ondertekend met de code van deze melder: de server (of wie die in handen heeft) kan dit geschreven hebben.
attach-title = Bijlagen
attach-hint = Afbeeldingen worden getoond zonder hun metadata (gps, camera, maker) bij JPEG, PNG, GIF en WebP (een afbeelding waarvan de metadata niet te verwijderen is, kunt u alleen opslaan); niets hiervan wordt op schijf gezet.
attach-image-alt = Afbeelding van de melder: { $file }
attach-show = Deze afbeelding bekijken
attach-show-hint = (er kan misbruik op staan: ze blijft wazig tot u ervoor kiest)
attach-not-image = geen afbeelding, wordt hier nooit getoond.
attach-save = Dit bestand opslaan
attach-save-warning = Opslaan zet het ontsleutelde bestand op de schijf van deze computer. Een bestand van een melder is onbetrouwbaar: open het alleen in een programma dat u vertrouwt, op deze offline werkplek, en verwijder het daarna.
reply-title = Antwoord aan de melder
reply-send = Antwoord versturen
guidance-title = Voordat u antwoordt
guidance-who-reads = Iedereen die de ontvangstcode heeft, kan dit antwoord lezen: de melder, maar misschien ook iemand die de telefoon van de melder controleert. Schrijf niets wat de melder in gevaar brengt.
guidance-helps = Wat helpt: neem de tijd; wees persoonlijk, oprecht, neutraal en open over wat er gaat gebeuren; toon echte belangstelling; let op de veiligheid; kom terug op wat de melder schreef; bied steun en begrip.
guidance-hinders = Wat niet helpt: standaardzinnen, oordelen, dreigen met gevolgen, de familie erbij halen, het slachtoffer de schuld geven, sneller gaan dan de melder wil, iets anders zeggen dan u bedoelt.
guidance-statement = Vraag een mogelijk slachtoffer niet diepgaand uit over het strafbare feit vóór een aangifte bij de politie: de verklaring moet van het slachtoffer zelf blijven.
status-form-hint = De melder ziet de status zelf nooit, alleen de tekst ernaast op /check.
status-form-option = { $status } — de melder ziet: { $sees }
status-form-set = Status opslaan

## Dossier (intern)
case-none = Dossier (notities, labels, toewijzing): start de desk met --as NAAM --signing-key BESTAND --team team.toml (of TIPLINE_STAFF, TIPLINE_SIGNING_KEY, TIPLINE_TEAM) om het te zien en bij te werken.
case-title = Dossier (intern: de melder ziet dit nooit)
case-assigned-to = Toegewezen aan:
case-nobody = niemand
case-note-label = Interne notitie toevoegen
case-note-add = Notitie toevoegen
case-tag-label = Label toevoegen
case-tag-hint = Eén woord, zonder spaties of komma's, bijvoorbeeld loverboy.
case-tag-add = Label toevoegen
case-no-tags = Geen labels.
case-tags-current = Huidige labels
case-tag-remove = Verwijderen
case-tag-remove-label = Label { $tag } verwijderen
case-assign-label = Toewijzen aan
case-assign = Toewijzen
case-verified = gecontroleerd
case-unknown-author = de schrijver staat niet in de teamlijst
case-bad-signature = de handtekening klopt niet met de teamlijst
case-unreadable-event = onleesbare dossiergebeurtenis
event-note = notitie
event-tagged = label { $tags } toegevoegd
event-untagged = { $count ->
    [one] label { $tags } verwijderd
   *[other] labels { $tags } verwijderd
}
event-assigned = toegewezen aan { $name }
event-assigned-nobody = aan niemand toegewezen
event-reminder = herinnering op { $date }
event-seen = { $count ->
    [one] gelezen (1 bericht)
   *[other] gelezen ({ $count } berichten)
}
event-reply = antwoord (age-bestand sha256 { $id })
event-status = status gewijzigd in { $status }
event-forwarded = doorgezet naar { $partner } ({ $how }; { $what })
event-forward-anonymised = geanonimiseerd
event-forward-identifying = met antwoorden die de melder herkenbaar maken
event-forward-acute = zonder toestemming, acuut gevaar: { $reason }
event-deleted = verwijderd: { $reason }

remind-on = Herinnering op
remind-set-by = gezet door { $name }
remind-due = nu aan de beurt
remind-none = Geen herinnering.
seen-by = Gezien door:
seen-by-nobody = Nog door niemand in het team gezien.
remind-heading = Herinnering zetten
remind-date = Dag
remind-date-hint = Als JJJJ-MM-DD, bijvoorbeeld 2026-03-01. Vanaf die dag toont het filter "herinnering aan de beurt" de melding.
remind-note = Waar het om gaat (niet verplicht, intern)
remind-button = Herinnering zetten
filter-due = Alleen met een herinnering die aan de beurt is (vandaag of eerder)
filter-tag = Label
filter-assigned = Toegewezen aan
filter-assigned-me = mij
filter-assigned-none = niemand
filter-unseen = Alleen met iets wat ik nog niet gezien heb
unseen-badge = nieuw
unseen-hidden = nog niet door u gezien
## Meldingen na een handeling
done-reply-sent = Antwoord verstuurd. De melder ziet het op /check.
done-reply-queued = Antwoord staat in het postvak uit: het gaat mee bij de volgende synchronisatie.
done-reply-held = Het antwoord kon nu niet worden verstuurd; het wacht in het postvak uit. Synchroniseer later opnieuw (de terminal zegt waarom).
done-status-sent = Status opgeslagen. De melder ziet de bijbehorende tekst op /check.
done-status-queued = Statuswijziging staat in het postvak uit: ze gaat mee bij de volgende synchronisatie.
done-status-held = De statuswijziging kon nu niet worden verstuurd; ze wacht in het postvak uit.
done-synced = Gesynchroniseerd: { $pulled ->
    [one] 1 nieuw bericht opgehaald
   *[other] { $pulled } nieuwe berichten opgehaald
}, { $sent ->
    [one] 1 wachtende wijziging verstuurd.
   *[other] { $sent } wachtende wijzigingen verstuurd.
}
done-case-sent = Vastgelegd in het dossier en verstuurd: het team ziet het na hun volgende synchronisatie.
done-case-queued = Vastgelegd in het dossier en in het postvak uit gezet: het gaat mee bij de volgende synchronisatie.
done-case-held = Vastgelegd in het dossier, maar het kon nu niet worden verstuurd; het wacht in het postvak uit.
done-retried = { $count ->
    [one] 1 wachtende wijziging verstuurd.
   *[other] { $count } wachtende wijzigingen verstuurd.
}

## Afdrukken
print-title = Melding { $id }
print-warning = Afdrukken zet deze melding leesbaar op papier en vaak ook in het geheugen van de printer.
print-warning-more = Gebruik een printer die u zelf beheert, bewaar het papier achter slot en vernietig het daarna in de papiervernietiger. Van deze pagina wordt niets op deze computer bewaard, tenzij u afdrukt of opslaat.
print-anonymised = Antwoorden weglaten die de melder herkenbaar maken
print-conversation = Met aanvullingen en antwoorden van het meldpunt
print-show = Tonen
print-confidential = Vertrouwelijk. Op deze pagina staat een melding leesbaar: bewaar haar achter slot en vernietig haar zodra ze niet meer nodig is.
print-received = Ontvangen
print-language = Taal
print-anonymised-title = Geanonimiseerd
print-anonymised-yes = ja: antwoorden die de melder herkenbaar maken zijn weggelaten (controleer de tekst zelf)
print-anonymised-no = nee
print-danger = De melder zegt dat iemand nu in gevaar is.
print-answers = Antwoorden
print-no-answers = Geen antwoorden.
print-what-happened = Wat er is gebeurd
print-conversation-title = Gesprek
print-by-reporter = melder
print-by-staff = meldpunt

## Telefonische melding
intake-page-title = Telefonische melding
intake-sent-page-title = Telefonische melding: verstuurd
intake-title = Een melding aannemen per telefoon
intake-unavailable = Een telefonische melding gaat naar de server: start de desk met --server URL om hier meldingen per telefoon aan te nemen.
intake-caller-lang = Taal van de beller
intake-switch = Taal wisselen
intake-hint = Stel elke vraag in de woorden van de beller; laat weg wat de beller niet wil beantwoorden. De melding gaat naar de server zoals een melding via het webformulier, gemarkeerd als telefonisch aangenomen.
intake-by = Aangenomen door (uw naam, bewaard in de versleutelde melding)
intake-send = Melding versturen
intake-sent-title = De melding is verstuurd
intake-read-out = Lees dit voor aan de beller:
intake-the-code = De code:
intake-code-once = De code wordt nergens bewaard: als deze pagina dicht is, kan hij niet opnieuw worden getoond.
intake-another = Nog een melding aannemen

## Postvak uit
outbox-title = Postvak uit
outbox-empty = Er wacht niets om verstuurd te worden.
outbox-caption = Wacht op verzending, oudste eerst
outbox-what = Wat
outbox-reply = antwoord geschreven op { $day }
outbox-event = dossiergebeurtenis vastgelegd op { $day }
outbox-send = Nu versturen
outbox-offline = Geen server opgegeven (--server): verstuur vanaf een computer met netwerk met `tipline desk push`.

## Cijfers
figures-title = Cijfers
figures-hint = Geteld op deze werkplek uit de lokale kopie; niets verlaat deze computer. Vrije tekst wordt nooit geteld, behalve antwoorden die de vragenlijst als telbaar aanmerkt.
figures-unopened = { $count ->
    [one] 1 melding kon niet worden geopend met deze sleutel: die telt alleen mee per maand en status.
   *[other] { $count } meldingen konden niet worden geopend met deze sleutel: die tellen alleen mee per maand en status.
}
figures-by-month = Meldingen per maand
figures-by-status = Meldingen per status
figures-by-language = Meldingen per taal
figures-by-question = Meldingen per antwoord op „{ $title }”
figures-alt = { $title }: staafdiagram; de aantallen staan in de tabel eronder
figures-csv = Downloaden als CSV
figures-value = Waarde
figures-reports = Meldingen
figures-axis = meldingen
figures-not-answered = (niet beantwoord)
figures-empty = (leeg)
figures-month-status = Meldingen per maand, per status
figures-month-forms = Meldingen per maand, per vorm van uitbuiting
figures-month-minor = Meldingen per maand, per leeftijdsgroep (onder 18)
figures-month-where = Meldingen per maand, per regio
figures-month-first-reply = Dagen tot het eerste antwoord, per maand van binnenkomst
figures-month-answers = antwoorden
figures-month-days = dagen
figures-month-other = (overige waarden)
figures-month-month = Maand
figures-month-answered = beantwoord
figures-month-unanswered = onbeantwoord
figures-month-median = mediaan in dagen
figures-month-p90 = 90e percentiel in dagen
figures-month-stacked = Gestapelde staven, één per maand, een kleur per waarde (zie de legenda).
figures-month-many = Bij een melding kunnen meerdere antwoorden horen; de staaf van een maand kan dus hoger zijn dan het aantal meldingen.
figures-month-grouped = De grafiek telt de waarden na de eerste { $count } samen als „(overige waarden)”; de tabel toont ze allemaal apart.
figures-month-lines = Twee lijnen met punten: de mediaan (rondjes) en het 90e percentiel (driehoekjes) van het aantal dagen van binnenkomst tot het eerste antwoord van een medewerker; een onderbreking is een maand zonder beantwoorde meldingen.
figures-month-svg-end = De aantallen staan in de tabel eronder.
figures-month-csv = Downloaden als CSV
figures-month-table = De aantallen in de grafiek

## Hulp
help-title = Hulp
help-heading = De werkplek veilig houden
help-mirror-title = De lokale kopie
help-mirror = De lokale kopie bevat meldingen alleen versleuteld. Deze desk ontsleutelt ze in het geheugen en zet niets leesbaars op schijf, behalve bestanden die u zelf opslaat.
help-offline = Houd deze werkplek zo veel mogelijk offline: haal op met een computer met netwerk, breng de lokale kopie over, en verstuur antwoorden op dezelfde manier.
help-passphrase-title = Het wachtwoord
help-passphrase = De sleutel van het meldpunt opent elke melding. Bescherm hem met een wachtwoord, schrijf dat wachtwoord nooit op in de buurt van de computer en zet de sleutel nooit op de server.
help-away-title = Als u wegloopt
help-away = Vergrendel het scherm (elke keer) en stop de desk aan het eind van de dag (Ctrl+C in de terminal): de link die de desk gaf werkt maar één keer, en een nieuwe start geeft een nieuwe link.
help-attachments-title = Bijlagen
help-attachments = Een bestand van een melder is onbetrouwbaar. Afbeeldingen blijven wazig tot u ervoor kiest ze te bekijken; andere bestanden worden hier nooit geopend. Sla een bestand alleen op als het moet, en verwijder het daarna.
help-language-title = Taal
help-language = De desk start in de taal van --lang (Nederlands, tenzij anders opgegeven). Met de knop rechtsboven zet u alle pagina's in de andere taal, tot de desk stopt.

## Fouten en weigeringen
error-refused = Geweigerd
error-not-found = Niet gevonden
error-check = Controleer dit
error-wrong = Er ging iets mis
error-form-token = Dit formulier is verlopen of komt van elders; laad de pagina opnieuw en probeer het nog eens.
error-not-in-mirror = Niet gevonden in de lokale kopie.
error-not-an-image = Dit bestand is geen afbeelding die de desk toont; sla het op in plaats daarvan.
error-desk = De desk kon dit niet doen. Wat er misging (ook in de terminal van de desk):
error-task = De desk kon deze taak niet afmaken.
error-reply-empty = Het antwoord is leeg; er is niets in de wachtrij gezet.
error-status-unknown = Onbekende status; kies er een uit de lijst.
error-note-empty = De notitie is leeg; er is niets vastgelegd.
error-tag = Een label is één woord (zonder spaties of komma's) van hoogstens 64 tekens.
error-intake-field = Het formulier heeft een veld dat de vragenlijst niet kent; laad de pagina opnieuw en probeer het nog eens. Er is niets verstuurd.
error-intake-answer = Het formulier heeft een antwoord dat de vragenlijst niet kent; laad de pagina opnieuw en probeer het nog eens. Er is niets verstuurd.
error-intake-message = Wat er is gebeurd moet worden ingevuld; er is niets verstuurd.
error-intake-by = Vul in wie het gesprek aanneemt; er is niets verstuurd.
error-lang = Die taal heeft de desk niet.
gate-not-set-up = Geweigerd: de desk is niet ingesteld.
gate-wrong-host = Geweigerd: deze desk antwoordt alleen op zijn eigen adres.
gate-key-used = Geweigerd: deze link is al gebruikt. Start `tipline desk serve` opnieuw voor een nieuwe link.
gate-no-session = Geweigerd: geen desksessie. Open de link die `tipline desk serve` gaf.
gate-other-site = Geweigerd: een formulier van een andere site.
error-remind-date = Geef de dag van de herinnering als JJJJ-MM-DD (bijvoorbeeld 2026-03-01).
error-remind-note = De notitie bij de herinnering is te lang (hoogstens 500 tekens).
