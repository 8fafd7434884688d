//! The desk in the browser speaks the staff member's language: Dutch or
//! English after `--lang`, switched from any page by a plain form, with the
//! `html lang` to match; the intake's questions in the caller's language and
//! direction.

use crate::desk_web::{desk_web, desk_web_with, mirror, select_all, token, DeskWeb};
use crate::harness::*;

/// The staff texts' English source, read to check that none is left on a
/// Dutch page.
fn english_texts() -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let en = std::fs::read_to_string(format!("{root}/src/desk/locales/en.ftl")).unwrap();
    let nl = std::fs::read_to_string(format!("{root}/src/desk/locales/nl.ftl")).unwrap();
    let value = |source: &str, key: &str| {
        source
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key} = ")).map(str::to_string))
    };
    en.lines()
        .filter_map(|l| l.split_once(" = "))
        .filter(|(key, text)| {
            !key.starts_with('#') && !text.contains('{') && text.split(' ').count() >= 3
        })
        // Texts that are the same in both (`tipline desk`) say nothing.
        .filter(|(key, text)| value(&nl, key).as_deref() != Some(*text))
        .map(|(_, text)| text.to_string())
        .collect()
}

/// The text a person reads on `page` (no attributes, no form values).
fn visible(page: &str) -> String {
    let body = select_all(page, "body");
    body.iter()
        .flat_map(|b| b.text())
        .collect::<Vec<_>>()
        .join(" ")
}

fn html_lang(page: &str) -> String {
    select_all(page, "html")[0]
        .value()
        .attr("lang")
        .unwrap_or_default()
        .to_string()
}

/// A server with one Dutch report answering the role question; its id.
fn one_report(s: &Server) -> String {
    let r = s.post_parts(
        "/report",
        &[
            Part::Text("lang", b"nl"),
            Part::Text("q-role", b"victim"),
            Part::Text("message", b"Ik moet elke nacht werken in de kas"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    s.only_report()["id"].as_str().unwrap().to_string()
}

fn switch(d: &DeskWeb, cookie: &str, page: &str, lang: &str, back: &str) -> Resp {
    d.post(
        cookie,
        "/lang",
        &[
            ("token", &token(page, "#lang-form")),
            ("lang", lang),
            ("back", back),
        ],
    )
}

#[test]
fn with_lang_nl_the_inbox_and_a_report_page_are_dutch_with_html_lang_nl_and_no_english_text_left() {
    let s = Server::start(&[]);
    let id = one_report(&s);
    let d = desk_web(&s);
    let (cookie, _) = d.login();
    let english = english_texts();
    assert!(english.len() > 80, "the scan found only {}", english.len());
    for path in [
        "/".to_string(),
        format!("/reports/{id}"),
        "/figures".into(),
        "/outbox".into(),
        "/intake".into(),
        "/help".into(),
    ] {
        let page = d.get(&cookie, &path).text();
        assert_eq!(html_lang(&page), "nl", "{path}");
        let text = visible(&page);
        for e in &english {
            assert!(
                !text.contains(e.as_str()),
                "{path} still says {e:?}: {text}"
            );
        }
        for e in [
            "Sync now",
            "Inbox",
            "First words",
            "Skip to content",
            "Send reply",
        ] {
            assert!(!text.contains(e), "{path} still says {e:?}: {text}");
        }
    }
    let inbox = visible(&d.get(&cookie, "/").text());
    assert!(inbox.contains("Binnengekomen meldingen"), "{inbox}");
    assert!(inbox.contains("Nu synchroniseren"), "{inbox}");
    assert!(
        inbox.contains("ontvangen"),
        "the status name in Dutch: {inbox}"
    );
    let page = d.get(&cookie, &format!("/reports/{id}")).text();
    let text = visible(&page);
    assert!(text.contains("Antwoord aan de melder"), "{text}");
    assert!(text.contains("Wie ben jij?"), "answers in Dutch: {text}");
    // Status names in words, the form's values still INTERFACE.md's names.
    let values: Vec<&str> = select_all(&page, "#status-form select option")
        .iter()
        .filter_map(|o| o.value().attr("value"))
        .collect();
    assert!(values.contains(&"in_progress") && values.contains(&"forwarded_care"));
    assert!(text.contains("in behandeling"), "{text}");
    // Figures count values; staff read them in words, the CSV keeps the values.
    let figures = visible(&d.get(&cookie, "/figures").text());
    assert!(
        figures.contains("ontvangen") && figures.contains("Het gaat over mij"),
        "{figures}"
    );
    let csv = d.get(&cookie, "/figures/role.csv").text();
    assert!(csv.contains("\"victim\",1"), "{csv}");
}

#[test]
fn with_lang_en_the_inbox_and_a_report_page_are_english_with_html_lang_en() {
    let s = Server::start(&[]);
    let id = one_report(&s);
    let d = desk_web_with(&s, &mirror(&s), &["--lang", "en"]);
    let (cookie, _) = d.login();
    let inbox = d.get(&cookie, "/").text();
    assert_eq!(html_lang(&inbox), "en");
    let text = visible(&inbox);
    assert!(
        text.contains("Sync now") && text.contains("First words"),
        "{text}"
    );
    assert!(!text.contains("Binnengekomen meldingen"), "{text}");
    let page = d.get(&cookie, &format!("/reports/{id}")).text();
    assert_eq!(html_lang(&page), "en");
    let text = visible(&page);
    assert!(text.contains("Reply to the reporter"), "{text}");
    assert!(text.contains("Who are you?"), "answers in English: {text}");
    assert!(!text.contains("Antwoord aan de melder"), "{text}");
}

#[test]
fn the_language_switch_is_a_plain_form_with_its_token_that_turns_every_page_and_returns_to_it() {
    let s = Server::start(&[]);
    let id = one_report(&s);
    let d = desk_web(&s);
    let (cookie, _) = d.login();
    let report = format!("/reports/{id}");
    let page = d.get(&cookie, &report).text();
    assert_eq!(html_lang(&page), "nl");
    // A form, not a script: a POST with a button per other language.
    let buttons = select_all(&page, "form#lang-form[method=post] button[name=lang]");
    assert_eq!(buttons.len(), 1, "{page}");
    assert_eq!(buttons[0].value().attr("value"), Some("en"));
    assert!(!page.contains("<script"));

    // Without the form's token nothing changes.
    let refused = d.post(
        &cookie,
        "/lang",
        &[("lang", "en"), ("back", report.as_str())],
    );
    assert_eq!(refused.status, 403);
    assert_eq!(html_lang(&d.get(&cookie, &report).text()), "nl");

    let switched = switch(&d, &cookie, &page, "en", &report);
    assert_eq!(switched.status, 303, "{}", switched.text());
    assert_eq!(
        switched.header("location").as_deref(),
        Some(report.as_str())
    );
    assert!(
        switched.header("set-cookie").is_none(),
        "no cookie beyond the session"
    );
    let page = d.get(&cookie, &report).text();
    assert_eq!(html_lang(&page), "en");
    assert!(visible(&page).contains("Reply to the reporter"));
    // Every page follows, error pages too.
    let inbox = d.get(&cookie, "/").text();
    assert_eq!(html_lang(&inbox), "en");
    assert!(visible(&inbox).contains("Sync now"));
    let empty = d.submit(
        &cookie,
        &page,
        &format!("{report}/reply"),
        "#reply-form",
        &[("text", " ")],
    );
    assert_eq!(empty.status, 400);
    assert_eq!(html_lang(&empty.text()), "en");
    assert!(visible(&empty.text()).contains("The reply is empty"));

    // And back, with a return address that is not ours sent home instead.
    let back = switch(&d, &cookie, &inbox, "nl", "//evil.example/x");
    assert_eq!(back.status, 303);
    assert_eq!(back.header("location").as_deref(), Some("/"));
    let inbox = d.get(&cookie, "/").text();
    assert_eq!(html_lang(&inbox), "nl");
    let empty = d.submit(
        &cookie,
        &page,
        &format!("{report}/reply"),
        "#reply-form",
        &[("text", " ")],
    );
    assert_eq!(html_lang(&empty.text()), "nl");
    assert!(visible(&empty.text()).contains("Het antwoord is leeg"));
}

#[test]
fn the_intake_page_marks_arabic_questions_right_to_left_and_keeps_the_staff_texts_in_the_staff_language(
) {
    let s = Server::start(&[]);
    let d = desk_web(&s);
    let (cookie, _) = d.login();
    let page = d.get(&cookie, "/intake?lang=ar").text();
    assert_eq!(html_lang(&page), "nl");
    let questions = select_all(&page, "#intake-form #intake-questions");
    assert_eq!(questions.len(), 1, "{page}");
    assert_eq!(questions[0].value().attr("lang"), Some("ar"));
    assert_eq!(questions[0].value().attr("dir"), Some("rtl"));
    assert!(questions[0].text().collect::<String>().contains("من أنت؟"));
    // The staff's own field and button are outside, in Dutch.
    assert!(select_all(&page, "#intake-questions #intake-by").is_empty());
    assert!(visible(&page).contains("Melding versturen"));

    let page = d.get(&cookie, "/intake?lang=nl").text();
    let questions = select_all(&page, "#intake-questions");
    assert_eq!(questions[0].value().attr("dir"), Some("ltr"));
    assert_eq!(questions[0].value().attr("lang"), Some("nl"));
}
