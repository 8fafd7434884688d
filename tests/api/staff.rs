//! The staff API: who may use it, and what it answers to wrong requests.

use crate::helpers::*;

/// A report with one attachment, and every staff route filled in with its ids:
/// (method, path, body).
fn every_route(app: &TestApp) -> Vec<(&'static str, String, Option<Vec<u8>>)> {
    let resp = app.post_report("route map", &[("a.txt", "text/plain", b"attached")]);
    assert_eq!(resp.status, 200, "{}", resp.text());
    let report = app.only_report();
    let id = report["id"].as_str().unwrap().to_string();
    let messages = app.messages(&id);
    let mid = messages[0]["id"].as_str().unwrap().to_string();
    let aid = messages[0]["attachments"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let reply = age_encrypt(
        b"a reply",
        &[report["reporter_recipient"].as_str().unwrap()],
    );
    vec![
        ("GET", "/reports".into(), None),
        ("GET", format!("/reports/{id}/messages"), None),
        ("GET", format!("/reports/{id}/messages/{mid}"), None),
        ("GET", format!("/reports/{id}/attachments/{aid}"), None),
        ("POST", format!("/reports/{id}/replies"), Some(reply)),
        (
            "PUT",
            format!("/reports/{id}/status"),
            Some(br#"{"status":"closed"}"#.to_vec()),
        ),
        ("GET", "/statuses".into(), None),
        ("GET", "/no-such-route".into(), None),
    ]
}

type Route = (&'static str, String, Option<Vec<u8>>);

/// Sends every route with `authorization` and asserts a bare 401 each time.
fn assert_every_route_refuses(app: &TestApp, routes: &[Route], authorization: Option<&str>) {
    for (method, path, body) in routes {
        let resp = app.api_request(method, path, authorization, body.as_deref());
        assert_eq!(
            resp.status,
            401,
            "{method} {path} with {authorization:?}: {}",
            resp.text()
        );
        assert!(
            resp.body.is_empty(),
            "{method} {path}: the 401 has a body: {}",
            resp.text()
        );
    }
    // Nothing was changed by the refused requests.
    let report = app.only_report();
    assert_eq!(report["status"], "received");
    let id = report["id"].as_str().unwrap();
    assert_eq!(app.messages(id).len(), 1);
}

/// The valid token with one character changed: the right shape, unknown.
fn wrong_token(app: &TestApp) -> String {
    let mut wrong: Vec<char> = app.token.chars().collect();
    let last = wrong.len() - 1;
    wrong[last] = if wrong[last] == 'a' { 'b' } else { 'a' };
    let wrong: String = wrong.into_iter().collect();
    assert_ne!(wrong, app.token);
    wrong
}

#[test]
fn the_staff_api_refuses_every_route_without_a_token() {
    // Arrange
    let app = spawn_app();
    let routes = every_route(&app);

    // Act and assert
    assert_every_route_refuses(&app, &routes, None);
}

#[test]
fn the_staff_api_refuses_every_route_with_a_wrong_token() {
    // Arrange
    let app = spawn_app();
    let routes = every_route(&app);
    let wrong = wrong_token(&app);

    // Act and assert
    assert_every_route_refuses(&app, &routes, Some(&format!("Bearer {wrong}")));
}

#[test]
fn the_staff_api_refuses_every_route_with_a_malformed_authorization_header() {
    // Arrange
    let app = spawn_app();
    let routes = every_route(&app);
    let token = app.token.clone();

    // Act and assert: few enough per server that the failure limiter does not
    // turn 401 into 429.
    assert_every_route_refuses(&app, &routes, Some(&token));
    assert_every_route_refuses(&app, &routes, Some(&format!("Basic {token}")));
    assert_every_route_refuses(&app, &routes, Some("Bearer"));
}

#[test]
fn the_staff_api_refuses_other_malformed_authorization_headers() {
    // Arrange
    let app = spawn_app();
    let routes = every_route(&app);
    let token = app.token.clone();

    // Act and assert
    assert_every_route_refuses(&app, &routes, Some("Bearer "));
    assert_every_route_refuses(&app, &routes, Some(&format!("Bearer {token}x")));
    assert_every_route_refuses(
        &app,
        &routes,
        Some(&format!("Bearer {}", &token[..token.len() / 2])),
    );
}

#[test]
fn a_wrong_token_gets_a_bare_401_even_when_the_body_is_also_wrong() {
    // Arrange
    let app = spawn_app();
    app.report("a report");
    let id = app.only_report()["id"].as_str().unwrap().to_string();
    let bearer = format!("Bearer {}", wrong_token(&app));
    let status_url = format!("{}/api/v1/reports/{id}/status", app.addr);
    let replies_url = format!("{}/api/v1/reports/{id}/replies", app.addr);
    let client = agent();
    let send = |method: &str, url: &str, content_type: &str, body: Vec<u8>| {
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(url)
            .header("Authorization", &bearer)
            .header("Content-Type", content_type)
            .body(body)
            .unwrap();
        let mut resp = client.run(request).unwrap();
        let status = resp.status().as_u16();
        let body = resp.body_mut().read_to_string().unwrap_or_default();
        (status, body)
    };

    // Act
    let cases = [
        (
            "PUT status as text/plain",
            send(
                "PUT",
                &status_url,
                "text/plain",
                br#"{"status":"closed"}"#.to_vec(),
            ),
        ),
        (
            "PUT status with broken JSON",
            send("PUT", &status_url, "application/json", b"{bad".to_vec()),
        ),
        (
            "POST a 2 MiB reply",
            send(
                "POST",
                &replies_url,
                "application/octet-stream",
                vec![0u8; 2 * 1024 * 1024],
            ),
        ),
    ];

    // Assert
    for (what, (status, body)) in cases {
        assert_eq!(status, 401, "{what}: {body}");
        assert!(body.is_empty(), "{what}: {body}");
    }
}

#[test]
fn the_staff_api_answers_every_route_with_a_valid_token() {
    // Arrange
    let app = spawn_app();

    for (method, path, body) in every_route(&app) {
        // Act
        let resp = app.api_request(method, &path, Some(&app.bearer()), body.as_deref());

        // Assert
        let expected = match (method, path.as_str()) {
            ("POST", _) => 201,
            ("PUT", _) => 204,
            (_, "/no-such-route") => 404,
            _ => 200,
        };
        assert_eq!(resp.status, expected, "{method} {path}: {}", resp.text());
    }
    assert_eq!(app.only_report()["status"], "closed");
}

#[test]
fn a_revoked_token_stops_working_after_a_restart_and_others_keep_working() {
    // Arrange: a second staff member, added while the server is stopped.
    let mut app = spawn_app();
    app.report("something for the staff");
    app.stop();
    let bob = last_stdout_line(&app.cli_with_data(&["staff", "add", "bob"]));
    app.start();
    let as_bob = format!("Bearer {bob}");
    assert_eq!(
        app.api_request("GET", "/reports", Some(&as_bob), None)
            .status,
        200
    );

    // Act
    app.stop();
    let revoked = app.cli_with_data(&["staff", "revoke", "bob"]);
    app.start();

    // Assert
    assert!(
        revoked.status.success(),
        "{}",
        String::from_utf8_lossy(&revoked.stderr)
    );
    let resp = app.api_request("GET", "/reports", Some(&as_bob), None);
    assert_eq!(resp.status, 401);
    assert!(resp.body.is_empty());
    assert_eq!(app.reports().len(), 1, "the other token still works");
    let listed = app.cli_with_data(&["staff", "list"]);
    // The server holds the lock; listing may fail, but must never show a token.
    assert!(!String::from_utf8_lossy(&listed.stdout).contains(&bob));
}

#[test]
fn revoking_an_unknown_name_fails_with_one_line() {
    // Arrange
    let mut app = spawn_app();
    app.stop();

    // Act
    let out = app.cli_with_data(&["staff", "revoke", "nobody"]);

    // Assert
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn tokens_are_shown_once_and_never_stored_in_clear() {
    // Arrange
    let mut app = spawn_app();
    app.stop();

    // Act
    let listed = app.cli_with_data(&["staff", "list"]);

    // Assert
    assert!(listed.status.success());
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(text.contains("tester"), "{text}");
    assert!(!text.contains(&app.token));
    for file in app.data_files() {
        let bytes = std::fs::read(&file).unwrap_or_default();
        assert!(
            !contains_ignore_case(&bytes, app.token.as_bytes()),
            "the staff token is in {}",
            file.display()
        );
    }
}

#[test]
fn a_reply_that_is_not_an_age_file_is_refused_and_not_stored() {
    // Arrange
    let app = spawn_app();
    let code = app.report("reply me");
    let id = app.only_report()["id"].as_str().unwrap().to_string();
    let bodies: [&[u8]; 4] = [
        b"",
        b"hello, this is plain text",
        b"age-encryption.org/v1\n-> garbage\n",
        b"-----BEGIN AGE ENCRYPTED FILE-----\nnot base64 !!\n-----END AGE ENCRYPTED FILE-----\n",
    ];

    for body in bodies {
        // Act
        let resp = app.api_request(
            "POST",
            &format!("/reports/{id}/replies"),
            Some(&app.bearer()),
            Some(body),
        );

        // Assert
        assert_eq!(
            resp.status,
            400,
            "{:?}: {}",
            String::from_utf8_lossy(body),
            resp.text()
        );
    }
    assert_eq!(app.messages(&id).len(), 1);
    assert!(replies(&app.check_ok(&code)).is_empty());
}

#[test]
fn a_status_with_bad_json_or_an_unknown_name_is_refused_and_changes_nothing() {
    // Arrange
    let app = spawn_app();
    app.report("status me");
    let id = app.only_report()["id"].as_str().unwrap().to_string();
    let bodies: [&[u8]; 6] = [
        b"",
        b"{",
        b"not json",
        br#"{"state":"closed"}"#,
        br#"{"status":"deleted"}"#,
        br#"{"status":"IN_PROGRESS"}"#,
    ];

    for body in bodies {
        // Act
        let resp = app.api_request(
            "PUT",
            &format!("/reports/{id}/status"),
            Some(&app.bearer()),
            Some(body),
        );

        // Assert
        assert_eq!(
            resp.status,
            400,
            "{:?}: {}",
            String::from_utf8_lossy(body),
            resp.text()
        );
    }
    assert_eq!(app.only_report()["status"], "received");
}

#[test]
fn an_unknown_report_gets_404_on_every_report_route() {
    // Arrange
    let app = spawn_app();
    app.report("exists");
    let unknown = format!("{:016x}{:016x}", random_u64(), random_u64());
    let other = format!("{:016x}{:016x}", random_u64(), random_u64());
    let reply = age_encrypt(b"to nobody", &[&app.centre_recipient]);
    let routes: Vec<(&str, String, Option<Vec<u8>>)> = vec![
        ("GET", format!("/reports/{unknown}/messages"), None),
        ("GET", format!("/reports/{unknown}/messages/{other}"), None),
        (
            "GET",
            format!("/reports/{unknown}/attachments/{other}"),
            None,
        ),
        ("POST", format!("/reports/{unknown}/replies"), Some(reply)),
        (
            "PUT",
            format!("/reports/{unknown}/status"),
            Some(br#"{"status":"closed"}"#.to_vec()),
        ),
        ("GET", "/reports/not-an-id/messages".into(), None),
        ("GET", "/reports/..%2F..%2Fpepper/messages".into(), None),
    ];

    for (method, path, body) in routes {
        // Act
        let resp = app.api_request(method, &path, Some(&app.bearer()), body.as_deref());

        // Assert
        assert_eq!(resp.status, 404, "{method} {path}: {}", resp.text());
    }
    assert_eq!(app.reports().len(), 1);
}

#[test]
fn a_message_or_attachment_of_another_report_is_not_served_through_this_one() {
    // Arrange
    let app = spawn_app();
    app.post_report("first", &[("a.txt", "text/plain", b"first's file")]);
    app.report("second");
    let reports = app.reports();
    let with_file = reports
        .iter()
        .find(|r| {
            let id = r["id"].as_str().unwrap();
            !app.messages(id)[0]["attachments"]
                .as_array()
                .unwrap()
                .is_empty()
        })
        .unwrap();
    let other = reports.iter().find(|r| r["id"] != with_file["id"]).unwrap();
    let a = with_file["id"].as_str().unwrap();
    let b = other["id"].as_str().unwrap();
    let m = &app.messages(a)[0];
    let mid = m["id"].as_str().unwrap();
    let aid = m["attachments"][0]["id"].as_str().unwrap();

    // Act
    let message = app.api_get(&format!("/reports/{b}/messages/{mid}"));
    let attachment = app.api_get(&format!("/reports/{b}/attachments/{aid}"));

    // Assert
    assert_eq!(message.status, 404);
    assert_eq!(attachment.status, 404);
}

#[test]
fn api_dates_are_coarse_days() {
    // Arrange
    let app = spawn_app();
    app.report("dated");

    // Act
    let report = app.only_report();
    let messages = app.messages(report["id"].as_str().unwrap());

    // Assert
    let is_day = |v: &serde_json::Value| {
        let s = v.as_str().unwrap_or_default();
        s.len() == 10
            && s.chars().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            })
    };
    assert!(is_day(&report["received"]), "{report}");
    assert!(is_day(&messages[0]["received"]), "{messages:?}");
    // No time of day anywhere in the listings.
    for text in [
        app.api_get("/reports").text(),
        app.api_get(&format!(
            "/reports/{}/messages",
            report["id"].as_str().unwrap()
        ))
        .text(),
    ] {
        let b = text.as_bytes();
        let clock = b.windows(5).any(|w| {
            w[0].is_ascii_digit()
                && w[1].is_ascii_digit()
                && w[2] == b':'
                && w[3].is_ascii_digit()
                && w[4].is_ascii_digit()
        });
        assert!(!clock, "a time of day in {text}");
    }
}
