//! The core promise: what goes in is stored only as age ciphertext that the
//! reference `age` opens with the centre identity, and the code is nowhere.

use crate::harness::*;

#[test]
fn a_report_from_the_form_opens_with_the_reference_age_and_holds_the_message() {
    let s = Server::start(&[]);
    let text = "Meisje (15?) werkt 's nachts in de nagelstudio — \"schuld\" van €2000";
    let bytes: Vec<u8> = (0..=255u8).collect();
    let (status, page) = post_multipart(
        &format!("{}/report", s.url),
        &[
            ("lang", None, b"nl"),
            ("message", None, text.as_bytes()),
            ("attachment", Some("alle-bytes.bin"), &bytes),
        ],
    );
    assert_eq!(status, 200);
    assert!(receipt_code(&page).is_some());

    let report = &s.reports()[0];
    let id = report["id"].as_str().unwrap();
    assert!(report["reporter_recipient"]
        .as_str()
        .unwrap()
        .starts_with("age1"));
    assert_eq!(report["status"], "received");
    assert_eq!(report["received"].as_str().unwrap().len(), 10);
    let messages = s.api_json(&format!("/reports/{id}/messages"))["messages"].clone();
    let first = &messages[0];
    assert_eq!(first["author"], "reporter");
    let plain = age_decrypt(
        &s.identity,
        &api_bytes(
            &s,
            &format!("/reports/{id}/messages/{}", first["id"].as_str().unwrap()),
        ),
    );
    let json: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(json["message"], text);
    assert_eq!(json["kind"], "report");
    assert_eq!(json["lang"], "nl");
    assert_eq!(json["attachments"][0]["name"], "alle-bytes.bin");
    assert_eq!(json["attachments"][0]["size"], 256);
    assert!(plain.len() >= 1024, "padded");

    let aid = first["attachments"][0]["id"].as_str().unwrap();
    assert_eq!(json["attachments"][0]["id"], aid);
    let file = age_decrypt(
        &s.identity,
        &api_bytes(&s, &format!("/reports/{id}/attachments/{aid}")),
    );
    assert_eq!(file, bytes);
}

#[test]
fn nothing_readable_of_a_report_a_reply_or_the_code_is_stored() {
    let s = Server::start(&[]);
    let (_, page) = post_multipart(
        &format!("{}/report", s.url),
        &[
            ("message", None, b"MARKER-REPORT-91d2"),
            (
                "attachment",
                Some("MARKER-FILENAME-5c1e.png"),
                b"MARKER-FILEBYTES-77aa",
            ),
        ],
    );
    let code = receipt_code(&page).unwrap();
    let report = &s.reports()[0];
    let id = report["id"].as_str().unwrap();
    let recipient = report["reporter_recipient"].as_str().unwrap();
    assert_eq!(
        post_reply(&s, id, &age_encrypt(b"MARKER-REPLY-3b4f", &[recipient])),
        201
    );
    let (_, checked) = s.check(&code);
    assert_eq!(replies(&checked), vec!["MARKER-REPLY-3b4f"]);
    let (status, _) = post_multipart(
        &format!("{}/check/message", s.url),
        &[
            ("token", None, token_field(&checked).unwrap().as_bytes()),
            ("message", None, b"MARKER-FOLLOWUP-e0c9"),
        ],
    );
    assert_eq!(status, 200);

    let data = s.data_bytes();
    let logs = format!("{}{}", s.log_text(), s.stdout_text());
    let compact = code.replace('-', "");
    for needle in [
        "MARKER-REPORT-91d2".to_string(),
        "MARKER-FILENAME-5c1e".to_string(),
        "MARKER-FILEBYTES-77aa".to_string(),
        "MARKER-REPLY-3b4f".to_string(),
        "MARKER-FOLLOWUP-e0c9".to_string(),
        code.clone(),
        compact.clone(),
        compact.to_lowercase(),
    ] {
        assert!(
            !data.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{needle} under --data"
        );
        assert!(!logs.contains(&needle), "{needle} in the server output");
    }
}

#[test]
fn the_report_text_is_never_shown_back_to_whoever_has_the_code() {
    let s = Server::start(&[]);
    let code = s.report("SECRET-WHAT-I-SAW-2291");
    let (status, page) = s.check(&code.to_lowercase().replace('-', " "));
    assert_eq!(status, 200);
    assert!(element_text(&page, "report-status").is_some());
    assert!(!page.contains("SECRET-WHAT-I-SAW-2291"));
}
