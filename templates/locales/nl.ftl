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
nav-kids = Voor jongeren
nav-after = Wat gebeurt er na je melding?
nav-code = Zo werkt je code
nav-security = Beveiligingsprobleem melden
footer-more = Meer informatie
language-switch = Taal
exit-button = Verlaat deze site nu
exit-hint = Met deze knop ga je meteen naar een andere, gewone website. Deze site blijft wel in de geschiedenis staan.
emergency = Ben jij of is iemand anders nu in gevaar? Bel { $number }.
helplines-title = Praat met iemand
chat-link = Chat met ons
demo-banner = DEMO. Dit is een testversie. Meld hier geen echte dingen.

# De ene regel over de politie. Elke pagina die over de politie gaat, toont deze
# tekst, zodat de regel overal hetzelfde luidt.
police-rule = We geven je melding alleen aan de politie als jij dat goed vindt. Jij kiest of de politie ook mag zien wie je bent, zoals je naam of telefoonnummer. Is iemand nu in gevaar? Dan mogen we de politie waarschuwen zonder het je te vragen, maar we vertellen niet wie jij bent.
# Naast elk veld voor bestanden: geen beelden van misbruik.
attachment-warning = Stuur nooit naaktfoto's of seksuele beelden van iemand onder de 18, ook niet van jezelf. Beschrijf wat je zag, of vertel waar het te vinden is (bijvoorbeeld een website of de naam van een account).

home-title = Vertel ons wat je zag. Je mag anoniem blijven.
home-intro = Denk je dat iemand gedwongen wordt om te werken, seks te hebben of misdaden te plegen? Zit je misschien zelf in zo'n situatie? Vertel het ons. Je naam hoeven we niet te weten.
home-who = Iedereen kan melden: een jongere, een ouder, een vriend, een buurman of buurvrouw, een leraar of een hulpverlener.
home-safe-title = Je melding is veilig
home-safe-text = Je melding gaat op slot voordat we hem bewaren. Alleen de medewerkers van het meldpunt kunnen hem openen. We bewaren je IP-adres niet: het nummer van je internetverbinding, waarmee iemand jou zou kunnen vinden.
home-report-button = Melding doen
home-check-button = Ik heb al een melding gedaan
home-steps-title = Wat gebeurt er na je melding?
home-step-1 = Je vertelt wat je zag of wat er gebeurde. Je krijgt een geheime code.
home-step-2 = Wij lezen je melding. Misschien stellen we je vragen. Die zie je als je terugkomt met je code.
home-step-3 = We bepalen samen met deskundigen wat er nodig is. Soms is dat advies. Soms geven we je melding door: aan een zorgcoördinator (iemand die hulp regelt voor een slachtoffer), aan een ander meldpunt of aan de politie.
home-step-4 = { police-rule }
home-more-after = Lees meer over wat er daarna gebeurt
home-kids = Ben je jonger dan 18? Er is een pagina met makkelijke woorden voor jou.
home-kids-link = Naar de pagina voor jongeren

report-title = Melding doen
report-intro = Schrijf op wat je zag of wat er gebeurde. Alleen de vraag "Wat is er gebeurd?" moet je invullen. Alle andere vragen mag je overslaan. Je hoeft je naam niet te geven.
report-kids = Ben je jonger dan 18? Er is ook een korter formulier met makkelijke woorden.
report-message-label = Wat is er gebeurd?
report-message-hint = Bijvoorbeeld: wie, waar, wanneer, en wat jou opviel.
report-attachment-label = Screenshots of andere bestanden toevoegen (hoeft niet)
report-attachment-hint = In het bestand van een foto kunnen verborgen gegevens zitten, zoals de plek waar hij gemaakt is. Een screenshot van de foto heeft die gegevens niet.
report-submit = Melding versturen
report-error-empty = Schrijf eerst iets in het vak.
report-error-too-long = Je tekst is te lang. Maak hem korter, of stuur de rest later als extra bericht.
report-error-answer = Een van je antwoorden is te lang of niet duidelijk. Kijk je antwoorden nog een keer na.

receipt-title = Je melding is verstuurd
receipt-intro = Dank je wel. Hieronder staat je geheime code. Die heb je nodig om ons antwoord te lezen.
receipt-code-label = Je code
receipt-write-down = Schrijf de code op papier, of onthoud hem. We kunnen hem niet nog een keer laten zien. We kunnen hem ook niet voor je opzoeken.
receipt-safe-place = Bewaar de code niet op een telefoon of computer waar iemand anders op kan kijken.
receipt-what-it-shows = Wie de code vindt, kan onze antwoorden lezen, berichten sturen alsof ze van jou komen, en je melding verwijderen. Wat jij gemeld hebt, kan diegene nooit lezen. Ben je bang dat iemand de code heeft gezien? Vraag dan een nieuwe code aan op de pagina "Antwoord bekijken".
receipt-come-back = Kom over een paar dagen terug. Kies "Antwoord bekijken" en typ de code.
receipt-urgent-title = Iemand is in gevaar: bel nu { $number }
receipt-urgent-text = Je schreef dat iemand nu in gevaar is. Wij lezen meldingen niet meteen. Bel daarom nu { $number }. Je melding is ook bewaard.
receipt-check-title = Heb je de code opgeschreven?
receipt-check-intro = Typ de code die je hebt opgeschreven. Dan weet je zeker dat hij klopt.
receipt-confirm-label = De code die je hebt opgeschreven
receipt-confirm-submit = Ik heb hem opgeschreven: controleer mijn code
receipt-confirm-wrong = Dit is niet dezelfde code. Kijk goed naar je code hierboven en probeer het opnieuw.
receipt-confirmed-title = Je hebt de code goed opgeschreven
receipt-confirmed-text = Goed gedaan. Bewaar het papier op een veilige plek. Kom over een paar dagen terug om ons antwoord te lezen.
receipt-confirmed-close = Sluit deze pagina nu. Kijkt iemand anders op je telefoon of computer? Wis deze site dan ook uit de geschiedenis.
receipt-confirmed-how = Zo wis je de geschiedenis

check-title = Antwoord bekijken
check-intro = Typ de code die je kreeg toen je de melding deed.
check-code-label = Je code
check-code-hint = 16 letters en cijfers. Spaties en streepjes maken niet uit.
check-submit = Laat onze antwoorden zien
check-status-label = Status van je melding
check-replies-title = Antwoorden van het meldpunt
check-no-replies = Er is nog geen antwoord. Kom later nog eens terug.
check-reply-label = Antwoord
check-followup-title = Extra bericht sturen
check-followup-label = Je bericht
check-followup-submit = Bericht versturen
check-unknown-title = We herkennen deze code niet
check-unknown-text = Kijk de code goed na en probeer het opnieuw. Heb je hem goed getypt? Een code heeft 16 letters en cijfers.
check-leave = Sluit deze pagina als je klaar bent. Zonder de code kan niemand onze antwoorden zien.
check-actions-busy = Het is nu erg druk. Daarom kun je op dit moment geen bericht sturen, geen nieuwe code maken en je melding niet verwijderen. De status en onze antwoorden staan hierboven. Probeer het over een paar minuten opnieuw.

followup-sent-title = Je bericht is verstuurd
followup-sent-text = Dank je wel. We lezen het snel. Kom later terug met je code om ons antwoord te lezen.
followup-expired = Deze pagina stond te lang open. Typ je code nog een keer.

# Wat de melder als status ziet op /check: een paar veilige teksten. Welke
# status van de medewerkers welke tekst toont, staat in site.toml ([reporter_status]).
check-status-received = We hebben je melding ontvangen. We lezen hem snel.
check-status-in-progress = We zijn met je melding bezig.
check-status-handled = We zijn klaar met je melding. Je kunt ons nog steeds een bericht sturen.

# De pagina /security (alleen als site.toml een beveiligingscontact noemt).
security-title = Een beveiligingsprobleem melden
security-text = Heb je een zwakke plek gevonden in de beveiliging van deze site? Vertel het ons, dan kunnen we het oplossen. Stuur geen testmeldingen via het formulier.

safety-title = Veilig online
safety-intro = Gebruikt of bekijkt iemand anders jouw telefoon of computer? Met deze tips laat je minder sporen achter.
safety-private = Gebruik een privévenster (dat heet ook wel incognito). Dan onthoudt de browser niet welke pagina's je hebt bekeken.
safety-history = Heb je toch een gewoon venster gebruikt? Wis dan de geschiedenis: open het menu van de browser, kies Geschiedenis en verwijder de pagina's van deze site.
safety-exit = De knop "Verlaat deze site nu" opent meteen een andere, gewone website. Het is een gewone link: deze site blijft in de geschiedenis staan, en met de knop Terug kom je hier weer. Wis deze site daarna dus ook uit de geschiedenis (zie hieronder).
safety-tor = Tor Browser verbergt welke sites je bezoekt, ook voor je internetaanbieder. Als je hem sluit, vergeet hij alles. Maar wie op je telefoon of computer kijkt, kan zien dat Tor Browser erop staat. Dat kan opvallen.
safety-code = Bewaar je code op papier op een veilige plek, niet op je telefoon.
safety-history-title = Zo wis je deze site uit de geschiedenis
safety-history-chrome = Chrome (telefoon of computer): open het menu (⋮), kies Geschiedenis en verwijder de pagina's van deze site.
safety-history-safari = Safari op een iPhone: tik op het boekje, dan op het klokje, en veeg de pagina's van deze site weg.
safety-history-firefox = Firefox: open het menu (☰), kies Geschiedenis en verwijder de pagina's van deze site.
safety-history-samsung = Samsung Internet: open het menu (☰), kies Geschiedenis en verwijder de pagina's van deze site.
safety-history-careful = Kijkt iemand op je telefoon? Wis dan niet de hele geschiedenis, want dat kan opvallen. Verwijder alleen de pagina's van deze site.

error-title = Er ging iets mis
error-back = Terug naar het begin
error-not-found = Deze pagina bestaat niet.
error-bad-request = We konden niet lezen wat er verstuurd werd. Probeer het opnieuw.
error-too-large = Wat je stuurde is te groot. Alles samen mag niet groter zijn dan { $limit }. Stuur minder bestanden, of kleinere.
error-busy = Het is nu erg druk. Wacht een minuut en probeer het opnieuw. Er is niets verloren: je tekst staat hieronder.
error-busy-short = Het is nu erg druk. Wacht een minuut en probeer het opnieuw.
error-internal = Er ging bij ons iets mis. Je melding is NIET bewaard. Probeer het later opnieuw, of bel een van de nummers hieronder.

# De code vervangen en een melding verwijderen (vanaf de antwoordpagina).
code-actions-title = Je code en je melding
rotate-hint = Ben je bang dat iemand je code heeft gezien? Vraag dan een nieuwe aan. De oude code werkt meteen niet meer.
rotate-button = Geef me een nieuwe code
rotate-done-title = Dit is je nieuwe code
rotate-done-intro = Je oude code werkt niet meer. Gebruik vanaf nu deze nieuwe code.
delete-hint = Je kunt je melding verwijderen. Dan kunnen wij hem niet meer lezen en ook niet meer beantwoorden. Wat we al aan anderen hebben doorgegeven (bijvoorbeeld aan een zorgcoördinator of de politie), wordt niet verwijderd.
delete-button = Verwijder mijn melding
delete-confirm-title = Wil je je melding echt verwijderen?
delete-confirm-text = Alles hier wordt verwijderd: je melding, je berichten en onze antwoorden. Dit kun je niet terugdraaien. Wat we al aan anderen hebben doorgegeven, blijft bij hen.
delete-confirm-yes = Ja, verwijder alles
delete-confirm-no = Nee, bewaar mijn melding
delete-done-title = Je melding is verwijderd
delete-done-text = Je melding en alle berichten zijn weg. Je code werkt niet meer.
error-storage-full = We kunnen nu geen bestanden ontvangen. Je melding is NIET verstuurd. Stuur hem opnieuw zonder bestanden, of bel een van de nummers hieronder.

# Wat er gebeurt na een melding (eigen pagina).
after-title = Wat gebeurt er na je melding?
after-intro = Dit doen we met je melding, stap voor stap.
after-step-1 = Je vertelt wat je zag of wat er gebeurde. Je krijgt een geheime code. Met die code kun je onze antwoorden lezen en meer informatie sturen.
after-step-2 = Wij lezen je melding. Misschien hebben we vragen. Die zie je als je terugkomt met je code.
after-step-3 = We bepalen wat er nodig is. Soms is advies genoeg. Soms maken we er een dossier van.
after-step-4 = Bij een dossier kijken we of andere organisaties zich ook zorgen maken over deze situatie. Een team van deskundigen bekijkt het samen.
after-step-5 = Gaat het misschien om mensenhandel of seksuele uitbuiting van een kind? Dan helpt een zorgcoördinator. Dat is iemand die hulp regelt voor het slachtoffer en lange tijd contact houdt.
after-step-6 = We kunnen je melding doorgeven. Bijvoorbeeld aan een zorgcoördinator, of aan een meldpunt in de regio. Of aan een team van digitale onderzoekers: zij zoeken bewijs over de mensen die iemand misschien uitbuiten, bijvoorbeeld online. Voor de politie geldt altijd de regel hieronder.
after-step-7 = De mensen die de melding krijgen, zoeken het uit. Ze vertellen ons wat ze gevonden hebben. Wij vertellen jou zo veel als we kunnen.
after-police = { police-rule }
after-time = Het kan een paar dagen duren voordat je antwoord krijgt. Kom terug met je code om te kijken.

# Zo werkt de code (eigen pagina).
code-title = Zo werkt je code
code-intro = Na je melding krijg je een geheime code van 16 letters en cijfers. Met deze code kun je onze antwoorden lezen. Niemand anders heeft hem nodig.
code-example = Een code ziet er zo uit: { $example }
code-write = Schrijf de code op papier. Bewaar het papier op een veilige plek.
code-not-shared = Bewaar de code niet op een telefoon of computer die iemand anders gebruikt of bekijkt. Stuur hem ook niet in een chat.
code-lost = We kunnen je code niet voor je opzoeken, want we weten niet wie je bent. Ben je hem kwijt? Doe dan een nieuwe melding en zeg dat je al eerder iets hebt gemeld.
code-finder-title = Als iemand je code vindt
code-finder-can = Wie jouw code heeft, kan onze antwoorden lezen, berichten sturen alsof ze van jou komen, en je melding verwijderen.
code-finder-cannot = Je melding en je eigen berichten kan diegene nooit lezen. Alleen het meldpunt kan die openen.
code-worried = Ben je bang dat iemand je code heeft gezien? Typ hem bij "Antwoord bekijken" en kies "Geef me een nieuwe code". De oude code werkt dan meteen niet meer.

# De pagina voor kinderen en jongeren (makkelijke woorden).
kids-title = Gebeurt er iets wat niet oké is?
kids-intro = Moet je van iemand dingen doen die je niet wilt? Bijvoorbeeld seks, sexy foto's, werken of stelen? Of gebeurt dit bij een vriend of vriendin? Vertel het ons. Het is niet jouw schuld.
kids-secret = Je hoeft je naam niet te zeggen. Alleen de mensen die helpen bij het meldpunt kunnen lezen wat je schrijft.
kids-code = Als je het verstuurt, krijg je een geheime code. Met die code kun je terugkomen en ons antwoord lezen.
kids-talk = Wil je liever eerst met iemand praten?
kids-danger = Ben je nu in gevaar? Bel { $number }. Dat is gratis.
kids-message-label = Wat is er gebeurd?
kids-message-hint = Schrijf het op in je eigen woorden. Kort is ook goed.
kids-attachment-label = Heb je screenshots? Die kun je erbij doen. Dat hoeft niet.
kids-attachment-hint = Op een foto kan verborgen staan waar hij gemaakt is. Op een screenshot niet.
kids-attachment-warning = Stuur geen naaktfoto's of sexy foto's van iemand onder de 18. Ook niet van jezelf. Vertel ons in woorden wat je zag, of waar het is. Je krijgt geen straf omdat je het ons vertelt.
kids-submit = Versturen
kids-q-danger = Ben jij of is iemand anders nu in gevaar?
kids-q-danger-hint = Ja? Bel dan eerst { $number }. Dat is gratis. Daarna kun je dit nog steeds versturen.
kids-q-role = Gaat het over jou of over iemand anders?
kids-q-role-victim = Over mij
kids-q-role-worried = Over iemand anders
kids-q-where = In welke stad of welk dorp gebeurt het?
kids-q-where-hint = Dit mag je overslaan.
kids-q-contact = Mogen we je bellen, appen of mailen?
kids-q-contact-hint = Geef je ons je telefoonnummer of e-mail? Dan weten we wie je bent.
kids-q-contact-anonymous = Nee. Ik kom terug met mijn code om jullie antwoord te lezen.
kids-q-contact-contact = Ja
kids-q-contact-how = Hoe kunnen we je veilig bellen, appen of mailen?
kids-q-contact-how-hint = Leest iemand anders jouw telefoon of e-mail? Schrijf het dan hier niet op. Die persoon kan dan onze berichten zien.

# De vragenlijst van het meldformulier (templates/questionnaire.toml).
s-now = Veiligheid eerst
q-danger = Is er nu iemand in gevaar?
q-danger-hint = Zo ja: bel nu { $number }. Daarna kun je deze melding nog steeds versturen.
q-danger-yes = Ja
q-danger-no = Nee
q-danger-unknown = Dat weet ik niet

s-situation = Over de situatie
s-situation-hint = Deze vragen mag je overslaan. Met je antwoorden begrijpen we de situatie sneller. Kies alleen wat je weet. Gaat de melding over jou? Dan bedoelen we met "de persoon" jou.
q-role = Wie ben jij?
q-role-victim = Het gaat over mij
q-role-worried = Ik maak me zorgen om iemand (een vriend, familielid of buur)
q-role-parent = Ik ben ouder of verzorger
q-role-teacher = Ik ben leraar
q-role-professional = Ik zie dit in mijn werk
q-role-other = Iets anders
q-field = Zie je dit in je werk? In welk soort werk?
q-field-youth-care = Jeugdzorg
q-field-education = Onderwijs
q-field-health = Gezondheidszorg
q-field-social-work = Maatschappelijk werk of jongerenwerk
q-field-police = Politie of justitie
q-field-municipality = Gemeente
q-field-hospitality = Hotel, restaurant of café
q-field-other = Ander werk
q-forms = Wat denk je dat er gebeurt? Je kunt meer dan één antwoord kiezen.
q-forms-sex-work = Iemand wordt gedwongen tot prostitutie
q-forms-online = Online: gedwongen seks voor de webcam, of naaktfoto's en seksfilmpjes die zonder toestemming worden gedeeld
q-forms-grooming = Een loverboy (een mensenhandelaar die doet alsof hij verliefd is), grooming (een volwassene wint het vertrouwen van een kind om het te misbruiken), of sextortion (dreigen met het delen van naaktfoto's of seksfilmpjes)
q-forms-child-prostitution = Een kind of tiener wordt seksueel uitgebuit: moet seksuele dingen doen voor geld, een slaapplek of spullen
q-forms-labour = Gedwongen werk of heel slecht werk. Bijvoorbeeld: lange dagen, weinig of geen loon, de persoon kan niet weg. Op een boerderij, in een restaurant, in de schoonmaak of in de bouw.
q-forms-criminal = Iemand wordt gedwongen om misdaden te plegen (bijvoorbeeld stelen of drugs verkopen)
q-forms-begging = Iemand wordt gedwongen om te bedelen
q-forms-organs = Iemand wordt gedwongen om een orgaan af te staan
q-forms-unknown = Dat weet ik niet, of iets anders
q-signals = Wat viel je op? Je kunt meer dan één antwoord kiezen.
q-signals-unequal-relationship = Een vriend of familielid heeft macht over de persoon
q-signals-injuries = De persoon is gewond
q-signals-drugs-or-goods = De persoon heeft drugs of gestolen spullen, maar had nooit eerder iets met de politie te maken
q-signals-withdrawn = De persoon zoekt vrienden en familie niet meer op
q-signals-new-contacts = De persoon heeft ineens veel nieuwe contacten
q-signals-protective = De persoon houdt nieuwe vrienden of kennissen geheim, of verdedigt ze
q-signals-debts = De persoon heeft ineens schulden en kan niet zeggen waarvoor
q-signals-no-id = Iemand anders houdt het paspoort of de ID-kaart van de persoon vast
q-signals-begging = De persoon bedelt op straat
q-signals-no-dutch = De persoon spreekt geen Nederlands of kan niet lezen
q-signals-threats = De persoon wordt bedreigd of gechanteerd
q-signals-money-taken = Iemand anders pakt het geld van de persoon af
q-signals-sees-self-as-offender = De persoon denkt dat hij of zij zelf iets fout heeft gedaan
q-minor = Is de persoon misschien jonger dan 18?
q-minor-yes = Ja, dat weet ik zeker
q-minor-maybe = Ik denk het wel
q-minor-no = Nee
q-minor-unknown = Dat weet ik niet
q-where = Waar gebeurt het? (dorp, stad of regio)
q-where-hint = Een adres hoef je niet te geven.

s-contact = Contact en delen
s-contact-hint = Je kunt anoniem blijven. Met je code kun je onze antwoorden altijd lezen.
q-contact = Mogen we contact met je opnemen?
q-contact-anonymous = Nee, ik blijf anoniem. Ik lees jullie antwoorden met mijn code.
q-contact-contact = Ja, jullie mogen contact met mij opnemen
q-contact-how = Zo ja: hoe kunnen we je veilig bereiken? (telefoonnummer, e-mail)
q-contact-how-hint = Geef je een telefoonnummer of e-mailadres? Dan weten we wie je bent. Iemand anders die die telefoon of e-mail leest, kan onze berichten ook zien. Geef het alleen als dat veilig is.
q-contact-when = Wanneer is het veilig om contact met je op te nemen?
q-police = Mogen we je melding delen met de politie?
q-police-hint = { police-rule }
q-police-with-name = Ja, ook met wat laat zien wie ik ben (zoals mijn naam of telefoonnummer)
q-police-anonymised = Ja, maar zonder iets wat laat zien wie ik ben
q-police-no = Nee
q-police-unsure = Dat weet ik nog niet
