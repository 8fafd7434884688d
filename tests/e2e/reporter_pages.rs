//! The reporter's side as the reporting points need it: the questionnaire (data
//! in templates/, answers only inside the ciphertext), the children's form, the
//! urgent path to 112, the "I wrote it down" flow, every language on every page,
//! and the safety furniture (exit button, phones, neutral title).

use crate::harness::*;

/// The reporter's first message, decrypted with the reference `age`.
fn first_report_json(s: &Server) -> serde_json::Value {
    let reports = s.reports();
    let id = reports[0]["id"].as_str().unwrap();
    let messages = s.api_json(&format!("/reports/{id}/messages"))["messages"].clone();
    let mid = messages[0]["id"].as_str().unwrap();
    let plain = age_decrypt(
        &s.identity,
        &api_bytes(s, &format!("/reports/{id}/messages/{mid}")),
    );
    serde_json::from_slice(&plain).unwrap()
}

fn has_element_with_class(html: &str, class: &str) -> bool {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(&format!(".{class}")).unwrap();
    doc.select(&sel).next().is_some()
}

/// Attribute values of every element matching a CSS selector.
fn attrs(html: &str, selector: &str, attr: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

#[test]
fn questionnaire_answers_travel_only_inside_the_ciphertext_and_unknown_choices_are_dropped() {
    let s = Server::start(&[]);
    let (_, form) = get(&format!("{}/report?lang=en", s.url));
    // The form offers what the shipped questionnaire asks, as named fields.
    for field in [
        "q-role",
        "q-forms",
        "q-signals",
        "q-minor",
        "q-where",
        "q-danger",
        "q-contact",
        "q-police",
    ] {
        assert!(
            !attrs(&form, &format!("[name=\"{field}\"]"), "name").is_empty(),
            "no field {field}"
        );
    }
    // The optional situation questions start folded, without script.
    assert_eq!(attrs(&form, "details.s-situation", "class").len(), 1);
    assert!(attrs(&form, "details.s-situation[open]", "class").is_empty());
    let place = "Zeewolde-uniek-9317";
    let (status, page) = post_multipart(
        &format!("{}/report", s.url),
        &[
            ("lang", None, b"en"),
            ("q-role", None, b"professional"),
            ("q-field", None, b"education"),
            ("q-forms", None, b"criminal"),
            ("q-forms", None, b"labour"),
            ("q-forms", None, b"invented-option"),
            ("q-signals", None, b"no-id"),
            ("q-minor", None, b"maybe"),
            ("q-where", None, place.as_bytes()),
            ("q-police", None, b"anonymised"),
            ("q-not-a-question", None, b"x"),
            ("message", None, b"Two boys sell drugs for an older man."),
        ],
    );
    assert_eq!(status, 200, "{page}");
    assert!(receipt_code(&page).is_some());
    assert!(
        !has_element_with_class(&page, "urgent"),
        "no danger was reported"
    );

    let json = first_report_json(&s);
    let answers = &json["answers"];
    assert_eq!(answers["role"], serde_json::json!(["professional"]));
    assert_eq!(answers["field"], serde_json::json!(["education"]));
    assert_eq!(answers["forms"], serde_json::json!(["labour", "criminal"]));
    assert_eq!(answers["signals"], serde_json::json!(["no-id"]));
    assert_eq!(answers["minor"], serde_json::json!(["maybe"]));
    assert_eq!(answers["where"], serde_json::json!([place]));
    assert_eq!(answers["police"], serde_json::json!(["anonymised"]));
    assert_eq!(answers.as_object().unwrap().len(), 7, "{answers}");
    assert!(json.get("variant").is_none());

    let stored = s.data_bytes();
    assert!(
        !stored.windows(place.len()).any(|w| w == place.as_bytes()),
        "a free-text answer reached the disk in clear"
    );
}

#[test]
fn someone_in_danger_now_puts_the_emergency_number_first_on_the_receipt() {
    let s = Server::start(&[]);
    let (status, page) = post_multipart(
        &format!("{}/report", s.url),
        &[
            ("lang", None, b"en"),
            ("q-danger", None, b"yes"),
            ("message", None, b"He is hitting her right now."),
        ],
    );
    assert_eq!(status, 200);
    assert!(receipt_code(&page).is_some(), "the report still goes in");
    assert!(has_element_with_class(&page, "urgent"), "{page}");
    assert!(attrs(&page, ".urgent a", "href").contains(&"tel:112".to_string()));
    let urgent_at = page.find("class=\"urgent\"").unwrap();
    assert!(urgent_at < page.find("id=\"receipt-code\"").unwrap());
    assert_eq!(
        first_report_json(&s)["answers"]["danger"],
        serde_json::json!(["yes"])
    );
}

#[test]
fn two_answers_to_a_single_choice_question_return_the_form_with_everything_kept() {
    let s = Server::start(&[]);
    let (status, page) = post_multipart(
        &format!("{}/report", s.url),
        &[
            ("lang", None, b"en"),
            ("q-role", None, b"victim"),
            ("q-role", None, b"parent"),
            ("q-forms", None, b"online"),
            ("q-where", None, b"Lelystad"),
            ("message", None, b"kept text 4417"),
        ],
    );
    assert_eq!(status, 400);
    assert!(page.contains("kept text 4417"));
    assert_eq!(attrs(&page, "#q-where", "value"), ["Lelystad"]);
    assert!(!attrs(&page, "#q-forms-online[checked]", "id").is_empty());
    assert_eq!(
        attrs(&page, "details.s-situation[open]", "class").len(),
        1,
        "answered questions are not folded away"
    );
    assert!(s.reports().is_empty(), "nothing stored");
}

#[test]
fn the_childrens_form_is_short_simple_and_marks_its_reports() {
    let s = Server::start(&[]);
    let (status, kids) = get(&format!("{}/kids?lang=nl", s.url));
    assert_eq!(status, 200);
    assert_eq!(attrs(&kids, "input[name=variant]", "value"), ["kids"]);
    assert_eq!(attrs(&kids, "form[action=\"/report\"]", "method"), ["post"]);
    // Fewer questions than the full form, and the role question offers two choices.
    let (_, full) = get(&format!("{}/report?lang=nl", s.url));
    let count = |html: &str| attrs(html, "input[name^=q-], textarea[name^=q-]", "name").len();
    assert!(
        count(&kids) < count(&full) / 2,
        "{} vs {}",
        count(&kids),
        count(&full)
    );
    assert_eq!(
        attrs(&kids, "input[name=q-role]", "value"),
        ["victim", "worried"]
    );

    // An empty text comes back as the children's form, not the adult one.
    let (status, again) = post_multipart(
        &format!("{}/report", s.url),
        &[
            ("lang", None, b"nl"),
            ("variant", None, b"kids"),
            ("q-role", None, b"victim"),
            ("message", None, b"  "),
        ],
    );
    assert_eq!(status, 400);
    assert_eq!(attrs(&again, "input[name=variant]", "value"), ["kids"]);
    assert!(!attrs(&again, "#q-role-victim[checked]", "id").is_empty());

    let (status, page) = post_multipart(
        &format!("{}/report", s.url),
        &[
            ("lang", None, b"nl"),
            ("variant", None, b"kids"),
            ("q-role", None, b"victim"),
            ("message", None, b"Hij wil foto's van me."),
        ],
    );
    assert_eq!(status, 200);
    assert!(receipt_code(&page).is_some());
    let json = first_report_json(&s);
    assert_eq!(json["variant"], "kids");
    assert_eq!(json["answers"]["role"], serde_json::json!(["victim"]));
}

#[test]
fn typing_the_code_back_confirms_it_and_a_mistyped_one_shows_the_same_code_again() {
    let s = Server::start(&[]);
    let (_, page) = post_multipart(
        &format!("{}/report", s.url),
        &[("lang", None, b"en"), ("message", None, b"confirm flow")],
    );
    let code = receipt_code(&page).unwrap();
    assert_eq!(
        attrs(&page, "form[action=\"/receipt/confirm\"]", "method"),
        ["post"]
    );
    let kind = attrs(&page, "input[name=kind]", "value");

    let typed = code.replace('-', "").to_lowercase();
    let (status, ok) = post_form(
        &format!("{}/receipt/confirm", s.url),
        &[
            ("shown", &code),
            ("typed", &typed),
            ("kind", &kind[0]),
            ("lang", "en"),
        ],
    );
    assert_eq!(status, 200);
    assert!(
        element_text(&ok, "receipt-code").is_none(),
        "the code is not shown again"
    );
    assert!(!attrs(&ok, "a[href^=\"/safety\"]", "href").is_empty());

    let mut wrong = code.clone();
    wrong.replace_range(0..1, if code.starts_with('A') { "B" } else { "A" });
    let (status, again) = post_form(
        &format!("{}/receipt/confirm", s.url),
        &[
            ("shown", &code),
            ("typed", &wrong),
            ("kind", &kind[0]),
            ("lang", "en"),
        ],
    );
    assert_eq!(status, 200);
    assert_eq!(receipt_code(&again).as_deref(), Some(code.as_str()));
    assert!(has_element_with_class(&again, "error"));

    // Only a real code is ever shown as "your code".
    let (status, _) = post_form(
        &format!("{}/receipt/confirm", s.url),
        &[
            ("shown", "CALL 0900 1234 NOW"),
            ("typed", "x"),
            ("lang", "en"),
        ],
    );
    assert_eq!(status, 400);
    assert_eq!(s.reports().len(), 1, "confirming stores nothing");
}

#[test]
fn every_page_in_every_language_has_the_exit_button_112_the_phones_and_a_language_switch() {
    let s = Server::start(&[]);
    let pages = [
        "/",
        "/report",
        "/kids",
        "/check",
        "/safety",
        "/what-happens",
        "/your-code",
    ];
    for lang in ["nl", "en", "ar"] {
        for path in pages {
            let (status, html) = get(&format!("{}{path}?lang={lang}", s.url));
            assert_eq!(status, 200, "{path} {lang}");
            assert_eq!(attrs(&html, "html", "lang"), [lang], "{path}");
            let dir = if lang == "ar" { "rtl" } else { "ltr" };
            assert_eq!(attrs(&html, "html", "dir"), [dir], "{path} {lang}");
            assert_eq!(
                attrs(&html, "a.exit", "href"),
                ["https://www.weeronline.nl/"],
                "{path} {lang}"
            );
            assert!(html.contains("112"), "{path} {lang}");
            assert!(!attrs(&html, "a[href=\"tel:08002000\"]", "href").is_empty());
            let switch = attrs(&html, "ul.langs a", "href");
            for other in ["nl", "en", "ar"] {
                assert!(
                    switch.contains(&format!("{path}?lang={other}")),
                    "{path} {lang}: {switch:?}"
                );
            }
            assert!(
                html.len() < 30 * 1024,
                "{path} {lang} weighs {} bytes",
                html.len()
            );
            for link in ["/what-happens", "/your-code", "/safety", "/kids"] {
                assert!(
                    attrs(&html, "a", "href").contains(&format!("{link}?lang={lang}")),
                    "{path} {lang} has no link to {link}"
                );
            }
        }
    }
}

#[test]
fn a_reporting_point_changes_the_questionnaire_and_the_site_without_code() {
    let templates = tempfile::tempdir().unwrap();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut questionnaire = std::fs::read_to_string(shipped.join("questionnaire.toml")).unwrap();
    questionnaire.push_str(
        "\n[[section]]\nid = \"extra\"\n\n[[section.question]]\nid = \"sector\"\nkind = \"many\"\noptions = [\"bulb-fields\", \"car-wash\"]\n",
    );
    std::fs::write(templates.path().join("questionnaire.toml"), questionnaire).unwrap();
    std::fs::create_dir(templates.path().join("locales")).unwrap();
    let mut nl = std::fs::read_to_string(shipped.join("locales/nl.ftl")).unwrap();
    nl.push_str("\ns-extra = Werk\nq-sector = In welke sector?\nq-sector-bulb-fields = Bollenvelden\nq-sector-car-wash = Wasstraat\n");
    std::fs::write(templates.path().join("locales/nl.ftl"), nl).unwrap();
    let mut site = std::fs::read_to_string(shipped.join("site.toml")).unwrap();
    site = site
        .replace("neutral_title = false", "neutral_title = true")
        .replace("https://www.weeronline.nl/", "https://nos.nl/")
        .replace("0800-2000", "088-2220500");
    std::fs::write(templates.path().join("site.toml"), site).unwrap();

    let s = Server::start(&["--templates", templates.path().to_str().unwrap()]);
    let (_, form) = get(&format!("{}/report?lang=nl", s.url));
    assert!(form.contains("Bollenvelden"));
    assert_eq!(attrs(&form, "a.exit", "href"), ["https://nos.nl/"]);
    assert!(!attrs(&form, "a[href=\"tel:0882220500\"]", "href").is_empty());
    let title = {
        let doc = scraper::Html::parse_document(&form);
        let sel = scraper::Selector::parse("title").unwrap();
        doc.select(&sel).next().unwrap().text().collect::<String>()
    };
    assert_eq!(title, "Notities", "a neutral title hides what the site is");
    // English lacks the new texts: it falls back to Dutch, and the log says so.
    let (_, en) = get(&format!("{}/report?lang=en", s.url));
    assert!(en.contains("Wasstraat"));
    assert!(s.log_text().contains("q-sector"), "{}", s.log_text());

    post_multipart(
        &format!("{}/report", s.url),
        &[
            ("q-sector", None, b"car-wash"),
            ("message", None, b"Mannen slapen in de wasstraat."),
        ],
    );
    assert_eq!(
        first_report_json(&s)["answers"]["sector"],
        serde_json::json!(["car-wash"])
    );
}

#[test]
fn a_questionnaire_without_texts_in_the_default_language_stops_the_server_with_one_line() {
    let templates = tempfile::tempdir().unwrap();
    std::fs::write(
        templates.path().join("questionnaire.toml"),
        "[[section]]\nid = \"x\"\n[[section.question]]\nid = \"untranslated\"\nkind = \"text\"\n",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    let identity = dir.path().join("c.key");
    let recipient = last_line(&tipline(&["keygen", "--out", identity.to_str().unwrap()]));
    std::fs::write(keys.join("c.pub"), recipient).unwrap();
    let out = tipline(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--keys",
        keys.to_str().unwrap(),
        "--data",
        dir.path().join("data").to_str().unwrap(),
        "--templates",
        templates.path().to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("q-untranslated"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn head_answers_like_get_without_a_body_and_a_wrong_method_gets_405_with_allow() {
    let s = Server::start(&[]);
    let host = s.url.trim_start_matches("http://").to_string();
    let ask = |method: &str, path: &str| {
        crate::raw::raw_http(
            &host,
            format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
    };
    for path in ["/", "/report", "/kids", "/check", "/safety", "/style.css"] {
        let head = ask("HEAD", path);
        assert_eq!(head.status, 200, "HEAD {path}");
        assert!(head.body.is_empty(), "HEAD {path} sent a body");
        assert!(head.head.to_lowercase().contains("content-security-policy"));
    }
    let put = ask("PUT", "/report");
    assert_eq!(put.status, 405);
    assert!(
        put.head.to_lowercase().contains("allow: get, head, post"),
        "{}",
        put.head
    );
    assert_eq!(ask("GET", "/receipt/confirm").status, 405);
    assert_eq!(ask("GET", "/no-such-page").status, 404);
    assert!(s.reports().is_empty());
}
