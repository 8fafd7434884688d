# Nederlandse teksten. Schrijf kort en eenvoudig (taalniveau B1 of eenvoudiger).
language-name = Nederlands
language-dir = ltr

site-name = Uitbuiting melden
neutral-title = Notities
skip-to-content = Naar de inhoud
nav-home = Start
nav-report = Melden
nav-check = Antwoord bekijken
nav-safety = Veilig online
language-switch = Taal
exit-button = Verlaat deze site nu
exit-hint = Met deze knop ga je meteen naar een weersite.
emergency = Ben jij of is iemand anders nu in gevaar? Bel { $number }.
helplines-title = Praat met iemand
demo-banner = DEMO. Dit is een testversie. Meld hier geen echte dingen.

home-title = Vertel ons wat je zag. Je mag anoniem blijven.
home-intro = Denk je dat iemand gedwongen wordt om te werken, seks te hebben of misdaden te plegen? Zit je misschien zelf in zo'n situatie? Vertel het ons. Je naam hoeven we niet te weten.
home-who = Iedereen kan melden: een jongere, een ouder, een vriend, een buur, een leraar of een hulpverlener.
home-safe-title = Je melding is veilig
home-safe-text = Je melding wordt op slot gedaan voordat we hem bewaren. Alleen de medewerkers van het meldpunt kunnen hem openen. We bewaren je internetadres niet.
home-report-button = Melding maken
home-check-button = Ik heb al een melding gedaan
home-steps-title = Wat gebeurt er na je melding?
home-step-1 = Je vertelt wat je zag of wat er gebeurde. Je krijgt een geheime code.
home-step-2 = Wij lezen je melding. Misschien stellen we vragen. Die zie je als je terugkomt met je code.
home-step-3 = We bepalen samen met deskundigen wat nodig is. Soms is dat advies. Soms geven we het door aan een zorgcoördinator, een ander meldpunt of de politie.
home-step-4 = We geven je naam alleen aan de politie als jij dat goed vindt.

report-title = Melding maken
report-intro = Schrijf op wat je zag of wat er gebeurde. Je hoeft je naam niet te geven. Schrijf alleen wat je wilt delen.
report-message-label = Wat is er gebeurd?
report-message-hint = Bijvoorbeeld: wie, waar, wanneer, en wat je opviel.
report-attachment-label = Foto's of bestanden toevoegen (hoeft niet)
report-attachment-hint = Op een foto kan staan waar hij gemaakt is. Stuur voor de zekerheid een schermafbeelding van de foto in plaats van de foto zelf.
report-submit = Melding versturen
report-error-empty = Schrijf eerst iets in het vak.
report-error-too-long = Je tekst is te lang. Maak hem korter, of stuur de rest later als extra bericht.

receipt-title = Je melding is verstuurd
receipt-intro = Dank je wel. Hieronder staat je geheime code. Die heb je nodig om ons antwoord te lezen.
receipt-code-label = Je code
receipt-write-down = Schrijf de code op papier, of onthoud hem. We kunnen hem niet nog een keer laten zien en we kunnen hem niet voor je opzoeken.
receipt-safe-place = Bewaar de code niet op een telefoon of computer waar iemand anders op kan kijken.
receipt-what-it-shows = Wie de code vindt, kan onze antwoorden zien. Wat jij gemeld hebt, kan niemand met de code zien.
receipt-come-back = Kom over een paar dagen terug. Kies "Antwoord bekijken" en typ de code.
receipt-done = Ik heb de code opgeschreven

check-title = Antwoord bekijken
check-intro = Typ de code die je kreeg toen je de melding deed.
check-code-label = Je code
check-code-hint = 16 letters en cijfers. Spaties en streepjes maken niet uit.
check-submit = Antwoorden tonen
check-status-label = Stand van je melding
check-replies-title = Antwoorden van het meldpunt
check-no-replies = Er is nog geen antwoord. Kom later terug.
check-reply-label = Antwoord
check-followup-title = Extra bericht sturen
check-followup-label = Je bericht
check-followup-submit = Bericht versturen
check-unknown-title = We herkennen deze code niet
check-unknown-text = Kijk de code na en probeer het opnieuw. Heb je hem goed getypt? Een code heeft 16 letters en cijfers.
check-leave = Sluit deze pagina als je klaar bent. Zonder de code kan niemand je antwoorden zien.

followup-sent-title = Je bericht is verstuurd
followup-sent-text = Dank je wel. We lezen het snel. Kom later terug met je code om ons antwoord te lezen.
followup-expired = Deze pagina stond te lang open. Typ je code nog een keer.

status-received = Ontvangen. We lezen je melding snel.
status-in-progress = We zijn met je melding bezig.
status-forwarded-care = We hebben je melding doorgegeven aan een zorgcoördinator.
status-forwarded-police = We hebben je melding doorgegeven aan de politie.
status-forwarded-reporting-point = We hebben je melding doorgegeven aan een ander meldpunt.
status-advice-given = We hebben advies gegeven.
status-closed = Deze melding is afgesloten.

safety-title = Veilig online
safety-intro = Gebruikt of bekijkt iemand anders jouw telefoon of computer? Met deze tips laat je minder sporen achter.
safety-private = Gebruik een privévenster (ook wel incognito). Dan onthoudt de browser niet welke pagina's je bezocht.
safety-history = Toch een gewoon venster gebruikt? Wis de geschiedenis: open het menu van de browser, kies Geschiedenis en verwijder de pagina's van deze site.
safety-exit = Gebruik de knop "Verlaat deze site nu" als er iemand aankomt. Dan gaat er een weersite open.
safety-tor = Wil je zo veel mogelijk privacy? Gebruik dan Tor Browser.
safety-code = Bewaar je code op papier op een veilige plek, niet op je telefoon.

error-title = Er ging iets mis
error-back = Terug naar het begin
error-not-found = Deze pagina bestaat niet.
error-bad-request = We konden niet lezen wat er verstuurd werd. Probeer het opnieuw.
error-too-large = Wat je stuurde is te groot. Bestanden mogen samen hoogstens { $limit } zijn. Stuur minder of kleinere bestanden.
error-busy = Het is nu erg druk. Wacht een minuut en probeer het opnieuw. Er is niets verloren: je tekst staat hieronder.
error-busy-short = Het is nu erg druk. Wacht een minuut en probeer het opnieuw.
error-internal = Er ging bij ons iets mis. Je melding is NIET bewaard. Probeer het later opnieuw, of bel een van de nummers hieronder.

# De code vervangen en een melding verwijderen (vanaf de antwoordpagina).
code-actions-title = Je code en je melding
rotate-hint = Ben je bang dat iemand je code heeft gezien? Vraag een nieuwe. De oude code werkt dan meteen niet meer.
rotate-button = Geef me een nieuwe code
rotate-done-title = Dit is je nieuwe code
rotate-done-intro = Je oude code werkt niet meer. Gebruik vanaf nu deze nieuwe code.
delete-hint = Je kunt je melding verwijderen. Dan kunnen wij hem niet meer lezen of beantwoorden.
delete-button = Verwijder mijn melding
delete-confirm-title = Wil je je melding echt verwijderen?
delete-confirm-text = Alles wordt verwijderd: je melding, je berichten en onze antwoorden. Dit kun je niet terugdraaien.
delete-confirm-yes = Ja, verwijder alles
delete-confirm-no = Nee, bewaar mijn melding
delete-done-title = Je melding is verwijderd
delete-done-text = Je melding en alle berichten zijn weg. Je code werkt niet meer.
error-storage-full = We kunnen nu geen bestanden aannemen. Je melding is NIET verstuurd. Stuur hem opnieuw zonder bestanden, of bel een van de nummers hieronder.
