//! What must never be kept in clear (the data directory, the logs), and the
//! headers every page carries.

use crate::helpers::*;

#[test]
fn no_plaintext_reaches_the_data_directory_or_the_server_output() {
    // Arrange
    let mut app = spawn_app();
    let report_marker = marker("report");
    let follow_up_marker = marker("followup");
    let reply_marker = marker("reply");
    let file_name_marker = marker("filename");
    let file_content_marker = marker("filecontent");
    let file_name = format!("{file_name_marker}.txt");
    let file_content = format!("begin {file_content_marker} end\n").repeat(50);

    // Act: a report with an attachment, a follow-up, a reply, a check-in.
    let resp = app.post_report(
        &format!("report text {report_marker}"),
        &[(&file_name, "text/plain", file_content.as_bytes())],
    );
    assert_eq!(resp.status, 200, "{}", resp.text());
    let code = receipt_code(&resp.text()).unwrap();
    let report = app.only_report();
    let id = report["id"].as_str().unwrap().to_string();
    let page = app.check_ok(&code);
    let token = input_value(&page, "token").unwrap();
    let sent = app.follow_up(&token, &format!("follow-up {follow_up_marker}"));
    assert_eq!(sent.status, 200, "{}", sent.text());
    let reply = format!("reply {reply_marker}");
    let posted = app.reply_with_age(&id, report["reporter_recipient"].as_str().unwrap(), &reply);
    assert_eq!(posted.status, 201);
    assert_eq!(replies(&app.check_ok(&code)), vec![reply.clone()]);
    // Sanity: the staff side can read everything back, so the markers exist.
    let messages = app.messages(&id);
    assert_eq!(messages.len(), 3);
    let first = app.message_json(&id, messages[0]["id"].as_str().unwrap());
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
    let data_dir = app.data_dir.clone();
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
    app.stop();
    check_files("stopped");
    let output = app.server_output_bytes();
    assert!(!output.is_empty(), "the server's output was not captured");
    for secret in &secrets {
        assert!(
            !contains_ignore_case(&output, secret.as_bytes()),
            "{secret} in the server's output:\n{}",
            app.server_output()
        );
    }
    assert!(
        !contains_ignore_case(&output, token.as_bytes()),
        "the check-in token was logged"
    );
    assert!(
        !contains_ignore_case(&output, app.token.as_bytes()),
        "the staff token was logged"
    );
}

#[test]
fn the_server_output_holds_no_client_address_or_user_agent() {
    // Arrange
    let app = spawn_app();
    let user_agent = marker("agent");

    // Act
    let resp = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .build()
        .new_agent()
        .get(format!("{}/", app.addr))
        .header("User-Agent", &user_agent)
        .header("X-Forwarded-For", "203.0.113.77")
        .call()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    app.report("a report to log about");

    // Assert
    let output = app.server_output();
    assert!(!output.contains(&user_agent), "{output}");
    assert!(!output.contains("203.0.113.77"), "{output}");
    // The tests connect from loopback: a logged peer address would show up as
    // 127.0.0.1 with a port other than the server's own.
    let own_port = app.host_port.rsplit(':').next().unwrap();
    for (at, _) in output.match_indices("127.0.0.1") {
        let port: String = output[at + "127.0.0.1".len()..]
            .trim_start_matches(':')
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        assert_eq!(port, own_port, "a client address in the log:\n{output}");
    }
}

/// Checks the headers and markup every HTML response must have.
fn assert_safe_page(resp: &Resp, what: &str) {
    let content_type = resp.header("content-type").unwrap_or_default();
    assert!(
        content_type.starts_with("text/html"),
        "{what}: content-type {content_type}"
    );
    let csp = resp
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"));
    assert!(csp.contains("default-src 'none'"), "{what}: CSP {csp}");
    assert_eq!(
        resp.header("referrer-policy").as_deref(),
        Some("no-referrer"),
        "{what}"
    );
    assert_eq!(
        resp.header("x-content-type-options").as_deref(),
        Some("nosniff"),
        "{what}"
    );
    let body = resp.text().to_ascii_lowercase();
    assert!(!body.contains("<script"), "{what}: a script");
    for foreign in ["src=\"http", "src=\"//", "href=\"//", "@import", "url(http"] {
        assert!(!body.contains(foreign), "{what}: loads {foreign}");
    }
    assert!(
        !body.contains("rel=\"stylesheet\" href=\"http"),
        "{what}: a foreign stylesheet"
    );
    assert!(resp.header("set-cookie").is_none(), "{what}: a cookie");
}

fn assert_no_store(resp: &Resp, what: &str) {
    let cache = resp.header("cache-control").unwrap_or_default();
    assert!(
        cache.contains("no-store"),
        "{what}: cache-control {cache:?}"
    );
}

#[test]
fn every_html_response_carries_the_security_headers_and_no_script() {
    // Arrange
    let app = spawn_app();
    let mut pages: Vec<(&str, Resp)> = Vec::new();

    // Act
    for path in [
        "/",
        "/report",
        "/check",
        "/safety",
        "/?lang=nl",
        "/report?lang=en",
    ] {
        pages.push((path, app.get(path)));
    }
    pages.push(("404", app.get("/no/such/page")));
    let receipt = app.post_report("headers", &[]);
    let code = receipt_code(&receipt.text()).unwrap();
    let report = app.only_report();
    let id = report["id"].as_str().unwrap();
    app.reply_with_age(id, report["reporter_recipient"].as_str().unwrap(), "hi");
    let result = app.check(&code);
    let token = input_value(&result.text(), "token").unwrap();
    let unknown = app.check(&random_code());
    let sent = app.follow_up(&token, "more");
    let expired = app.follow_up(&token, "again");
    let empty = app.post_report("   ", &[]);
    let broken = app.post_raw("/report", "text/plain", b"not a form");
    let huge_code = app.post_form("/check", &[("code", &"A".repeat(20_000))]);

    // Assert
    for (what, resp) in &pages {
        assert_safe_page(resp, what);
    }
    assert_eq!(pages.last().unwrap().1.status, 404);
    let secret_pages = [
        ("receipt", &receipt),
        ("check result", &result),
        ("check unknown", &unknown),
        ("follow-up sent", &sent),
        ("follow-up expired", &expired),
        ("empty report", &empty),
    ];
    for (what, resp) in secret_pages {
        assert_safe_page(resp, what);
        assert_no_store(resp, what);
    }
    assert_safe_page(&broken, "400 page");
    assert_eq!(broken.status, 400);
    assert_safe_page(&huge_code, "huge code page");
    assert_eq!(receipt.status, 200);
    assert_eq!(result.status, 200);
    assert!(element_text(&result.text(), "report-status").is_some());
}

#[test]
fn the_stylesheet_is_served_by_the_app_itself() {
    // Arrange
    let app = spawn_app();
    let home = app.get("/").text();
    let at = home
        .find("rel=\"stylesheet\" href=\"")
        .expect("a stylesheet link")
        + "rel=\"stylesheet\" href=\"".len();
    let href = &home[at..at + home[at..].find('"').unwrap()];

    // Act
    let css = app.get(href);

    // Assert
    assert!(href.starts_with('/'), "{href}");
    assert_eq!(css.status, 200);
    assert!(css
        .header("content-type")
        .unwrap_or_default()
        .starts_with("text/css"));
    assert_eq!(
        css.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
}

#[test]
fn receipt_codes_are_distinct_and_look_like_four_groups_of_crockford_base32() {
    // Arrange
    let app = spawn_app();

    // Act
    let codes: Vec<String> = (0..8).map(|i| app.report(&format!("report {i}"))).collect();

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
    for r in app.reports() {
        let id = r["id"].as_str().unwrap();
        assert_eq!(id.len(), 32, "{id}");
        for code in &codes {
            assert!(!id
                .to_ascii_uppercase()
                .contains(&code.replace('-', "")[..8]));
        }
    }
}
