//! The reporter's journey: report, receipt, check-in, replies, status,
//! follow-ups, attachments, and codes that survive restarts and crashes.

use crate::harness::*;

const RECEIVED_TEXT: &str = "We have received your report. We will read it soon.";
const IN_PROGRESS_TEXT: &str = "We are working on your report.";
const SENT_TITLE: &str = "Your message has been sent";

/// The recipient a report's replies must be encrypted to.
fn reporter_recipient(report: &serde_json::Value) -> String {
    let r = report["reporter_recipient"]
        .as_str()
        .expect("reporter_recipient")
        .to_string();
    assert!(r.starts_with("age1"), "{r}");
    r
}

#[test]
fn a_report_sent_through_the_form_decrypts_with_the_reference_age_to_what_was_written() {
    // Arrange
    let s = Server::start(&[]);
    let text = "Ik zag iets vreemds — über café, Ελληνικά, 日本語, العربية, emoji 🚨\n\
                second line with <tags> & \"quotes\"";

    // Act
    let resp = s.post_report(text, &[]);

    // Assert
    assert_eq!(resp.status, 200, "{}", resp.text());
    let code = receipt_code(&resp.text()).expect("receipt code");
    assert_eq!(code.len(), 19, "{code}");
    let report = s.only_report();
    let id = report["id"].as_str().unwrap();
    assert_eq!(report["status"], "received");
    let received = report["received"].as_str().unwrap();
    assert!(
        received.len() == 10 && received.as_bytes()[4] == b'-' && received.as_bytes()[7] == b'-',
        "a coarse date: {received}"
    );
    let messages = s.messages(id);
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["author"], "reporter");
    let doc = s.message_json(id, messages[0]["id"].as_str().unwrap());
    assert_eq!(doc["message"], text);
    assert_eq!(doc["kind"], "report");
    assert_eq!(doc["lang"], "en");
    assert_eq!(doc["version"], 1);
}

#[test]
fn a_report_without_a_lang_field_is_stored_in_the_default_language() {
    // Arrange
    let s = Server::start(&[]);

    // Act
    let resp = s.post_parts("/report", &[Part::Text("message", b"no language chosen")]);

    // Assert
    assert_eq!(resp.status, 200, "{}", resp.text());
    let report = s.only_report();
    let id = report["id"].as_str().unwrap();
    let messages = s.messages(id);
    let doc = s.message_json(id, messages[0]["id"].as_str().unwrap());
    assert_eq!(doc["message"], "no language chosen");
    assert_eq!(doc["lang"], "nl");
}

#[test]
fn a_reply_encrypted_by_the_reference_age_shows_on_check_as_text_not_html() {
    // Arrange
    let s = Server::start(&[]);
    let code = s.report("please answer me");
    let report = s.only_report();
    let id = report["id"].as_str().unwrap();
    let reply = "Thank you! <b>not bold</b> & <script>alert(1)</script> \"quoted\" 'single' café";

    // Act
    let posted = s.reply_with_age(id, &reporter_recipient(&report), reply);
    let page = s.check_ok(&code);

    // Assert
    assert_eq!(posted.status, 201, "{}", posted.text());
    assert_eq!(replies(&page), vec![reply.to_string()]);
    assert!(!page.contains("<b>not bold</b>"), "the reply became markup");
    assert!(!page.to_ascii_lowercase().contains("<script"));
    assert!(page.contains("&lt;b&gt;not bold&lt;/b&gt;"));
    let messages = s.messages(id);
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[1]["author"], "staff");
    // The centre can read its own reply back.
    let back = s.decrypt_message(id, messages[1]["id"].as_str().unwrap());
    assert_eq!(String::from_utf8(back).unwrap(), reply);
}

#[test]
fn several_replies_show_oldest_first() {
    // Arrange
    let s = Server::start(&[]);
    let code = s.report("two answers please");
    let report = s.only_report();
    let id = report["id"].as_str().unwrap();
    let recipient = reporter_recipient(&report);

    // Act
    assert_eq!(s.reply_with_age(id, &recipient, "first answer").status, 201);
    assert_eq!(
        s.reply_with_age(id, &recipient, "second answer").status,
        201
    );
    let page = s.check_ok(&code);

    // Assert
    assert_eq!(replies(&page), vec!["first answer", "second answer"]);
}

#[test]
fn a_reply_not_encrypted_to_the_reporter_is_not_shown_and_breaks_nothing() {
    // Arrange
    let s = Server::start(&[]);
    let code = s.report("a report");
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let ciphertext = age_encrypt(b"only for the centre", &[&s.centre_recipient]);

    // Act
    let posted = s.post_reply(&id, &ciphertext);
    let page = s.check_ok(&code);

    // Assert
    assert_eq!(posted.status, 201, "{}", posted.text());
    assert!(replies(&page).is_empty(), "{:?}", replies(&page));
}

#[test]
fn the_code_works_in_any_case_with_spaces_and_with_or_without_dashes() {
    // Arrange
    let s = Server::start(&[]);
    let code = s.report("code spelling");
    let report = s.only_report();
    let id = report["id"].as_str().unwrap();
    s.reply_with_age(id, &reporter_recipient(&report), "seen");
    let plain = code.replace('-', "");
    let mixed: String = plain
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                c.to_ascii_lowercase()
            } else {
                c
            }
        })
        .collect();
    let variants = [
        code.clone(),
        code.to_lowercase(),
        plain.clone(),
        plain.to_lowercase(),
        code.replace('-', " "),
        format!("  {}  ", code.replace('-', " - ")),
        mixed,
        format!("{} {}", &plain[..8], &plain[8..]),
    ];

    for variant in variants {
        // Act
        let page = s.check_ok(&variant);

        // Assert
        assert_eq!(
            element_text(&page, "report-status").as_deref(),
            Some(RECEIVED_TEXT),
            "{variant:?}"
        );
        assert_eq!(replies(&page), vec!["seen"], "{variant:?}");
    }
}

#[test]
fn wrong_and_malformed_codes_get_the_same_not_recognised_page_without_status_or_replies() {
    // Arrange
    let s = Server::start(&[]);
    let code = s.report("the real one");
    let report = s.only_report();
    let id = report["id"].as_str().unwrap();
    s.reply_with_age(id, &reporter_recipient(&report), "secret answer");
    let wrong = random_code();
    assert_ne!(wrong, code);

    // Act
    let reference = s.check(&wrong);

    // Assert
    assert_eq!(reference.status, 200);
    let reference_page = reference.text();
    assert!(element_text(&reference_page, "report-status").is_none());
    assert!(replies(&reference_page).is_empty());
    assert!(!reference_page.contains("secret answer"));
    assert!(!reference_page.contains("name=\"token\""));
    assert_eq!(
        reference.header("cache-control").as_deref(),
        Some("no-store")
    );
    let malformed = [
        String::new(),
        "hello".to_string(),
        "A".repeat(100),
        "ABCD-EFGH-JKMN-PQRU".to_string(),
        format!("{}X", code.replace('-', "")),
        code[..18].to_string(),
    ];
    for input in malformed {
        let resp = s.check(&input);
        assert_eq!(resp.status, reference.status, "{input:?}");
        assert_eq!(
            resp.text(),
            reference_page,
            "a malformed code ({input:?}) is told apart from an unknown one"
        );
    }
    // And the real code still works after all that.
    assert_eq!(replies(&s.check_ok(&code)), vec!["secret answer"]);
}

#[test]
fn a_status_set_through_the_api_shows_on_check() {
    // Arrange
    let s = Server::start(&[]);
    let code = s.report("what is the status?");
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let before = element_text(&s.check_ok(&code), "report-status").unwrap();

    // Act
    let resp = s.set_status(&id, "in_progress");

    // Assert
    assert_eq!(resp.status, 204, "{}", resp.text());
    assert_eq!(before, RECEIVED_TEXT);
    let after = element_text(&s.check_ok(&code), "report-status").unwrap();
    assert_eq!(after, IN_PROGRESS_TEXT);
    assert_eq!(s.only_report()["status"], "in_progress");
}

#[test]
fn a_follow_up_is_stored_once_as_a_reporter_message_and_its_token_cannot_be_reused() {
    // Arrange
    let s = Server::start(&[]);
    let code = s.report("first message");
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let page = s.check_ok(&code);
    let token = input_value(&page, "token").expect("a follow-up token");
    let text = "Ich habe noch etwas gesehen: ø æ å";

    // Act
    let sent = s.follow_up(&token, text);
    let again = s.follow_up(&token, "a second use of the same token");

    // Assert
    assert_eq!(sent.status, 200, "{}", sent.text());
    assert!(sent.text().contains(SENT_TITLE), "{}", sent.text());
    assert_eq!(sent.header("cache-control").as_deref(), Some("no-store"));
    assert!(!again.text().contains(SENT_TITLE), "the token worked twice");
    assert!(
        again.text().contains("name=\"code\""),
        "the reporter is asked for the code again"
    );
    let messages = s.messages(&id);
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert_eq!(messages[1]["author"], "reporter");
    let doc = s.message_json(&id, messages[1]["id"].as_str().unwrap());
    assert_eq!(doc["kind"], "follow_up");
    assert_eq!(doc["message"], text);
    assert_eq!(doc["lang"], "en");
}

#[test]
fn a_follow_up_with_an_invented_token_stores_nothing() {
    // Arrange
    let s = Server::start(&[]);
    s.report("first message");
    let id = s.only_report()["id"].as_str().unwrap().to_string();

    // Act
    let resp = s.follow_up(&"ab".repeat(32), "sneaking in");

    // Assert
    assert!(!resp.text().contains(SENT_TITLE), "{}", resp.text());
    assert_eq!(s.messages(&id).len(), 1);
}

#[test]
fn an_empty_follow_up_is_refused_and_does_not_spend_the_token() {
    // Arrange
    let s = Server::start(&[]);
    let code = s.report("first message");
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let token = input_value(&s.check_ok(&code), "token").unwrap();

    // Act
    let empty = s.follow_up(&token, "   ");
    let real = s.follow_up(&token, "now with text");

    // Assert
    assert_eq!(empty.status, 400, "{}", empty.text());
    assert_eq!(real.status, 200, "{}", real.text());
    assert!(real.text().contains(SENT_TITLE));
    assert_eq!(s.messages(&id).len(), 2);
}

#[test]
fn attachments_are_listed_on_the_first_message_and_decrypt_byte_exact() {
    // Arrange
    let s = Server::start(&[]);
    let binary: Vec<u8> = (0..=255u8)
        .chain((0..=255u8).rev())
        .cycle()
        .take(70_000)
        .collect();
    let notes = "notes: line 1\r\nline 2 — ✓\n".as_bytes().to_vec();
    let files: [(&str, &str, &[u8]); 2] = [
        ("all-bytes.bin", "application/octet-stream", &binary),
        ("notes.txt", "text/plain", &notes),
    ];

    // Act
    let resp = s.post_report("two files attached", &files);

    // Assert
    assert_eq!(resp.status, 200, "{}", resp.text());
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let messages = s.messages(&id);
    assert_eq!(messages.len(), 1);
    let listed: Vec<String> = messages[0]["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed.len(), 2, "{messages:?}");
    let doc = s.message_json(&id, messages[0]["id"].as_str().unwrap());
    assert_eq!(doc["message"], "two files attached");
    let described = doc["attachments"].as_array().unwrap();
    assert_eq!(described.len(), 2, "{doc}");
    for (name, content_type, bytes) in files {
        let info = described
            .iter()
            .find(|a| a["name"] == name)
            .unwrap_or_else(|| panic!("{name} is not named in the message: {doc}"));
        assert_eq!(info["content_type"], content_type);
        assert_eq!(info["size"], bytes.len());
        let aid = info["id"].as_str().unwrap();
        assert!(listed.iter().any(|l| l == aid), "{aid} not listed");
        let fetched = s.api_get(&format!("/reports/{id}/attachments/{aid}"));
        assert_eq!(fetched.status, 200);
        assert_eq!(
            fetched.header("content-type").as_deref(),
            Some("application/octet-stream")
        );
        assert!(fetched.body.starts_with(b"age-encryption.org/v1\n"));
        let plain = age_decrypt(&s.identity, &fetched.body);
        assert!(plain == bytes, "{name} did not decrypt to its bytes");
    }
}

#[test]
fn an_attachment_with_a_non_ascii_file_name_keeps_its_name() {
    // Arrange
    let s = Server::start(&[]);
    let name = "foto café 写真.jpg";

    // Act
    let resp = s.post_report(
        "a photo",
        &[(name, "image/jpeg", b"\xff\xd8\xff\xe0 not really")],
    );

    // Assert
    assert_eq!(resp.status, 200, "{}", resp.text());
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let messages = s.messages(&id);
    let doc = s.message_json(&id, messages[0]["id"].as_str().unwrap());
    assert_eq!(doc["attachments"][0]["name"], name, "{doc}");
}

#[test]
fn the_code_and_the_reply_still_work_after_a_restart() {
    // Arrange
    let mut s = Server::start(&[]);
    let code = s.report("before the restart");
    let report = s.only_report();
    let id = report["id"].as_str().unwrap().to_string();
    s.reply_with_age(&id, &reporter_recipient(&report), "an answer that persists");
    s.set_status(&id, "in_progress");

    // Act
    s.restart();

    // Assert
    let page = s.check_ok(&code);
    assert_eq!(replies(&page), vec!["an answer that persists"]);
    assert_eq!(
        element_text(&page, "report-status").unwrap(),
        IN_PROGRESS_TEXT
    );
    let messages = s.messages(&id);
    assert_eq!(messages.len(), 2);
    let doc = s.message_json(&id, messages[0]["id"].as_str().unwrap());
    assert_eq!(doc["message"], "before the restart");
}

#[test]
fn a_check_in_token_from_before_a_restart_does_not_store_a_follow_up() {
    // Arrange
    let mut s = Server::start(&[]);
    let code = s.report("token across restart");
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let token = input_value(&s.check_ok(&code), "token").unwrap();

    // Act
    s.restart();
    let resp = s.follow_up(&token, "after the restart");

    // Assert
    assert!(!resp.text().contains(SENT_TITLE));
    assert_eq!(s.messages(&id).len(), 1);
}

#[test]
fn a_server_killed_while_idle_restarts_and_every_earlier_code_still_works() {
    // Arrange
    let mut s = Server::start(&[]);
    let texts: Vec<String> = (0..4).map(|i| format!("report number {i}")).collect();
    let codes: Vec<String> = texts.iter().map(|t| s.report(t)).collect();
    let reports = s.reports();
    for report in &reports {
        let id = report["id"].as_str().unwrap();
        s.reply_with_age(id, &reporter_recipient(report), &format!("reply to {id}"));
    }
    std::thread::sleep(std::time::Duration::from_millis(200));

    // Act: SIGKILL, no chance to flush or clean up.
    s.kill();
    s.start_again();

    // Assert
    for code in &codes {
        let page = s.check_ok(code);
        assert_eq!(replies(&page).len(), 1, "{code}");
    }
    let after = s.reports();
    assert_eq!(after.len(), texts.len());
    let mut found: Vec<String> = after
        .iter()
        .map(|r| {
            let id = r["id"].as_str().unwrap();
            let messages = s.messages(id);
            s.message_json(id, messages[0]["id"].as_str().unwrap())["message"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    found.sort();
    assert_eq!(found, texts);
}
