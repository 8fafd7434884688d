//! The core promise: what goes in is stored only as age ciphertext that the
//! reference `age` opens with the centre identity, and the code is nowhere: not
//! under `--data`, not in the server's output, not in the report ids.

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
fn no_plaintext_reaches_the_data_directory_or_the_server_output() {
    // Arrange
    let mut s = Server::start(&[]);
    let report_marker = marker("report");
    let follow_up_marker = marker("followup");
    let reply_marker = marker("reply");
    let file_name_marker = marker("filename");
    let file_content_marker = marker("filecontent");
    let file_name = format!("{file_name_marker}.txt");
    let file_content = format!("begin {file_content_marker} end\n").repeat(50);

    // Act: a report with an attachment, a follow-up, a reply, a check-in.
    let resp = s.post_report(
        &format!("report text {report_marker}"),
        &[(&file_name, "text/plain", file_content.as_bytes())],
    );
    assert_eq!(resp.status, 200, "{}", resp.text());
    let code = receipt_code(&resp.text()).unwrap();
    let report = s.only_report();
    let id = report["id"].as_str().unwrap().to_string();
    let page = s.check_ok(&code);
    let token = input_value(&page, "token").unwrap();
    let sent = s.follow_up(&token, &format!("follow-up {follow_up_marker}"));
    assert_eq!(sent.status, 200, "{}", sent.text());
    let reply = format!("reply {reply_marker}");
    let posted = s.reply_with_age(&id, report["reporter_recipient"].as_str().unwrap(), &reply);
    assert_eq!(posted.status, 201);
    assert_eq!(replies(&s.check_ok(&code)), vec![reply.clone()]);
    // Sanity: the staff side can read everything back, so the markers exist.
    let messages = s.messages(&id);
    assert_eq!(messages.len(), 3);
    let first = s.message_json(&id, messages[0]["id"].as_str().unwrap());
    assert!(first["message"].as_str().unwrap().contains(&report_marker));
    assert_eq!(first["attachments"][0]["name"], file_name.as_str());

    // Assert: nothing under --data (while running and after a hard stop), nothing
    // in what the server printed.
    let secrets: Vec<String> = vec![
        report_marker,
        follow_up_marker,
        reply_marker,
        file_name_marker,
        file_content_marker,
        code.clone(),
        code.replace('-', ""),
    ];
    let data_dir = s.data.clone();
    let check_files = |when: &str| {
        let files = files_under(&data_dir);
        assert!(!files.is_empty());
        for file in files {
            let bytes = std::fs::read(&file).unwrap_or_default();
            for secret in &secrets {
                assert!(
                    !contains_ignore_case(&bytes, secret.as_bytes()),
                    "{secret} found in {} ({when})",
                    file.display()
                );
            }
            let name = file.to_string_lossy().to_ascii_lowercase();
            for secret in &secrets {
                assert!(
                    !name.contains(&secret.to_ascii_lowercase()),
                    "{secret} in a file name ({when})"
                );
            }
        }
    };
    check_files("running");
    s.kill();
    check_files("stopped");
    let output = s.output().into_bytes();
    assert!(!output.is_empty(), "the server's output was not captured");
    for secret in &secrets {
        assert!(
            !contains_ignore_case(&output, secret.as_bytes()),
            "{secret} in the server's output:\n{}",
            s.output()
        );
    }
    assert!(
        !contains_ignore_case(&output, token.as_bytes()),
        "the check-in token was logged"
    );
    assert!(
        !contains_ignore_case(&output, s.token.as_bytes()),
        "the staff token was logged"
    );
}

#[test]
fn the_report_text_is_never_shown_back_to_whoever_has_the_code() {
    let s = Server::start(&[]);
    let code = s.report("SECRET-WHAT-I-SAW-2291");
    let resp = s.check(&code.to_lowercase().replace('-', " "));
    assert_eq!(resp.status, 200);
    let page = resp.text();
    assert!(element_text(&page, "report-status").is_some());
    assert!(!page.contains("SECRET-WHAT-I-SAW-2291"));
}

#[test]
fn receipt_codes_are_distinct_and_look_like_four_groups_of_crockford_base32() {
    // Arrange
    let s = Server::start(&[]);

    // Act
    let codes: Vec<String> = (0..8).map(|i| s.report(&format!("report {i}"))).collect();

    // Assert
    let unique: std::collections::BTreeSet<_> = codes.iter().collect();
    assert_eq!(unique.len(), codes.len());
    for code in &codes {
        let groups: Vec<&str> = code.split('-').collect();
        assert_eq!(groups.len(), 4, "{code}");
        for g in groups {
            assert_eq!(g.len(), 4, "{code}");
            assert!(
                g.chars()
                    .all(|c| "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c)),
                "{code}"
            );
        }
    }
    // Report ids are not derived from the codes, nor sequential-looking.
    for r in s.reports() {
        let id = r["id"].as_str().unwrap();
        assert_eq!(id.len(), 32, "{id}");
        for code in &codes {
            assert!(!id
                .to_ascii_uppercase()
                .contains(&code.replace('-', "")[..8]));
        }
    }
}
