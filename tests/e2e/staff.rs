//! The staff API: who may use it (tokens, their listing and revocation, the
//! failure limiter, a listener of its own), and what it answers to wrong requests.

use crate::harness::*;

/// A report with one attachment, and every staff route filled in with its ids:
/// (method, path, body).
fn every_route(s: &Server) -> Vec<(&'static str, String, Option<Vec<u8>>)> {
    let resp = s.post_report("route map", &[("a.txt", "text/plain", b"attached")]);
    assert_eq!(resp.status, 200, "{}", resp.text());
    let report = s.only_report();
    let id = report["id"].as_str().unwrap().to_string();
    let messages = s.messages(&id);
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
fn assert_every_route_refuses(s: &Server, routes: &[Route], authorization: Option<&str>) {
    for (method, path, body) in routes {
        let resp = s.api_request(method, path, authorization, body.as_deref());
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
    let report = s.only_report();
    assert_eq!(report["status"], "received");
    let id = report["id"].as_str().unwrap();
    assert_eq!(s.messages(id).len(), 1);
}

/// The valid token with one character changed: the right shape, unknown.
fn wrong_token(s: &Server) -> String {
    let mut wrong: Vec<char> = s.token.chars().collect();
    let last = wrong.len() - 1;
    wrong[last] = if wrong[last] == 'a' { 'b' } else { 'a' };
    let wrong: String = wrong.into_iter().collect();
    assert_ne!(wrong, s.token);
    wrong
}

#[test]
fn the_staff_api_refuses_every_route_without_a_token() {
    // Arrange
    let s = Server::start(&[]);
    let routes = every_route(&s);

    // Act and assert
    assert_every_route_refuses(&s, &routes, None);
}

#[test]
fn the_staff_api_refuses_every_route_with_a_wrong_token() {
    // Arrange
    let s = Server::start(&[]);
    let routes = every_route(&s);
    let wrong = wrong_token(&s);

    // Act and assert
    assert_every_route_refuses(&s, &routes, Some(&format!("Bearer {wrong}")));
}

#[test]
fn the_staff_api_refuses_every_route_with_a_malformed_authorization_header() {
    // Arrange
    let s = Server::start(&[]);
    let routes = every_route(&s);
    let token = s.token.clone();

    // Act and assert: few enough per server that the failure limiter does not
    // turn 401 into 429.
    assert_every_route_refuses(&s, &routes, Some(&token));
    assert_every_route_refuses(&s, &routes, Some(&format!("Basic {token}")));
    assert_every_route_refuses(&s, &routes, Some("Bearer"));
}

#[test]
fn the_staff_api_refuses_other_malformed_authorization_headers() {
    // Arrange
    let s = Server::start(&[]);
    let routes = every_route(&s);
    let token = s.token.clone();

    // Act and assert
    assert_every_route_refuses(&s, &routes, Some("Bearer "));
    assert_every_route_refuses(&s, &routes, Some(&format!("Bearer {token}x")));
    assert_every_route_refuses(
        &s,
        &routes,
        Some(&format!("Bearer {}", &token[..token.len() / 2])),
    );
}

#[test]
fn a_wrong_token_gets_a_bare_401_even_when_the_body_is_also_wrong() {
    // Arrange
    let s = Server::start(&[]);
    s.report("a report");
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let bearer = format!("Bearer {}", wrong_token(&s));
    let status_url = format!("{}/reports/{id}/status", s.api());
    let replies_url = format!("{}/reports/{id}/replies", s.api());
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
    let s = Server::start(&[]);

    for (method, path, body) in every_route(&s) {
        // Act
        let resp = s.api_request(method, &path, Some(&s.bearer()), body.as_deref());

        // Assert
        let expected = match (method, path.as_str()) {
            ("POST", _) => 201,
            ("PUT", _) => 204,
            (_, "/no-such-route") => 404,
            _ => 200,
        };
        assert_eq!(resp.status, expected, "{method} {path}: {}", resp.text());
    }
    assert_eq!(s.only_report()["status"], "closed");
}

#[test]
fn a_revoked_token_stops_working_after_a_restart_and_others_keep_working() {
    // Arrange: a second staff member, added while the server is stopped.
    let mut s = Server::start(&[]);
    s.report("something for the staff");
    s.kill();
    let bob = last_line(&s.with_data(&["staff", "add", "bob"]));
    s.start_again();
    let as_bob = format!("Bearer {bob}");
    assert_eq!(
        s.api_request("GET", "/reports", Some(&as_bob), None).status,
        200
    );

    // Act
    s.kill();
    let revoked = s.with_data(&["staff", "revoke", "bob"]);
    s.start_again();

    // Assert
    assert!(
        revoked.status.success(),
        "{}",
        String::from_utf8_lossy(&revoked.stderr)
    );
    let resp = s.api_request("GET", "/reports", Some(&as_bob), None);
    assert_eq!(resp.status, 401);
    assert!(resp.body.is_empty());
    assert_eq!(s.reports().len(), 1, "the other token still works");
    let listed = s.with_data(&["staff", "list"]);
    // The server holds the lock; listing may fail, but must never show a token.
    assert!(!String::from_utf8_lossy(&listed.stdout).contains(&bob));
}

#[test]
fn revoking_an_unknown_name_fails_with_one_line() {
    // Arrange
    let mut s = Server::start(&[]);
    s.kill();

    // Act
    let out = s.with_data(&["staff", "revoke", "nobody"]);

    // Assert
    assert_fails_with_one_line(&out);
}

#[test]
fn tokens_are_shown_once_and_never_stored_in_clear() {
    // Arrange
    let mut s = Server::start(&[]);
    s.kill();

    // Act
    let listed = s.with_data(&["staff", "list"]);

    // Assert
    assert!(listed.status.success());
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(text.contains("tester"), "{text}");
    assert!(!text.contains(&s.token));
    for file in s.data_files() {
        let bytes = std::fs::read(&file).unwrap_or_default();
        assert!(
            !contains_ignore_case(&bytes, s.token.as_bytes()),
            "the staff token is in {}",
            file.display()
        );
    }
}

#[test]
fn a_reply_that_is_not_an_age_file_is_refused_and_not_stored() {
    // Arrange
    let s = Server::start(&[]);
    let code = s.report("reply me");
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let bodies: [&[u8]; 4] = [
        b"",
        b"hello, this is plain text",
        b"age-encryption.org/v1\n-> garbage\n",
        b"-----BEGIN AGE ENCRYPTED FILE-----\nnot base64 !!\n-----END AGE ENCRYPTED FILE-----\n",
    ];

    for body in bodies {
        // Act
        let resp = s.post_reply(&id, body);

        // Assert
        assert_eq!(
            resp.status,
            400,
            "{:?}: {}",
            String::from_utf8_lossy(body),
            resp.text()
        );
    }
    assert_eq!(s.messages(&id).len(), 1);
    assert!(replies(&s.check_ok(&code)).is_empty());
}

#[test]
fn a_status_with_bad_json_or_an_unknown_name_is_refused_and_changes_nothing() {
    // Arrange
    let s = Server::start(&[]);
    s.report("status me");
    let id = s.only_report()["id"].as_str().unwrap().to_string();
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
        let resp = s.api_request(
            "PUT",
            &format!("/reports/{id}/status"),
            Some(&s.bearer()),
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
    assert_eq!(s.only_report()["status"], "received");
}

#[test]
fn an_unknown_report_gets_404_on_every_report_route() {
    // Arrange
    let s = Server::start(&[]);
    s.report("exists");
    let unknown = format!("{:016x}{:016x}", random_u64(), random_u64());
    let other = format!("{:016x}{:016x}", random_u64(), random_u64());
    let reply = age_encrypt(b"to nobody", &[&s.centre_recipient]);
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
        let resp = s.api_request(method, &path, Some(&s.bearer()), body.as_deref());

        // Assert
        assert_eq!(resp.status, 404, "{method} {path}: {}", resp.text());
    }
    assert_eq!(s.reports().len(), 1);
}

#[test]
fn a_message_or_attachment_of_another_report_is_not_served_through_this_one() {
    // Arrange
    let s = Server::start(&[]);
    s.post_report("first", &[("a.txt", "text/plain", b"first's file")]);
    s.report("second");
    let reports = s.reports();
    let with_file = reports
        .iter()
        .find(|r| {
            let id = r["id"].as_str().unwrap();
            !s.messages(id)[0]["attachments"]
                .as_array()
                .unwrap()
                .is_empty()
        })
        .unwrap();
    let other = reports.iter().find(|r| r["id"] != with_file["id"]).unwrap();
    let a = with_file["id"].as_str().unwrap();
    let b = other["id"].as_str().unwrap();
    let m = &s.messages(a)[0];
    let mid = m["id"].as_str().unwrap();
    let aid = m["attachments"][0]["id"].as_str().unwrap();

    // Act
    let message = s.api_get(&format!("/reports/{b}/messages/{mid}"));
    let attachment = s.api_get(&format!("/reports/{b}/attachments/{aid}"));

    // Assert
    assert_eq!(message.status, 404);
    assert_eq!(attachment.status, 404);
}

#[test]
fn api_dates_are_coarse_days() {
    // Arrange
    let s = Server::start(&[]);
    s.report("dated");

    // Act
    let report = s.only_report();
    let messages = s.messages(report["id"].as_str().unwrap());

    // Assert
    let is_day = |v: &serde_json::Value| {
        let day = v.as_str().unwrap_or_default();
        day.len() == 10
            && day.chars().enumerate().all(|(i, c)| {
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
        s.api_get("/reports").text(),
        s.api_get(&format!(
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

#[test]
fn the_staff_api_answers_401_and_nothing_else_without_a_valid_token() {
    let s = Server::start(&[]);
    s.report("hidden from strangers");
    let id = s.reports()[0]["id"].as_str().unwrap().to_string();
    let paths = [
        "/reports".to_string(),
        format!("/reports/{id}/messages"),
        format!("/reports/{id}/messages/{}", "0".repeat(32)),
        format!("/reports/{id}/attachments/{}", "0".repeat(32)),
    ];
    let headers: [Option<String>; 4] = [
        None,
        Some("Bearer".into()),
        Some(format!("Bearer tipline_{}", "2".repeat(64))),
        Some(format!("Basic {}", s.token)),
    ];
    for path in &paths {
        for h in &headers {
            let resp = s.api_request("GET", path, h.as_deref(), None);
            assert_eq!(resp.status, 401, "{path} with {h:?}");
            assert!(resp.body.is_empty(), "{path} with {h:?}: {}", resp.text());
        }
    }
    let put = s.api_request(
        "PUT",
        &format!("/reports/{id}/status"),
        None,
        Some(br#"{"status":"closed"}"#),
    );
    assert_eq!(put.status, 401);
    assert_eq!(s.reports()[0]["status"], "received");
}

#[test]
fn staff_tokens_are_listed_without_the_token_and_revoked_tokens_stop_working() {
    let mut s = Server::start(&[]);
    s.kill();
    let data = s.data.to_str().unwrap().to_string();
    let second = last_line(&tipline(&["staff", "add", "bob", "--data", &data]));
    let list = stdout(&tipline(&["staff", "list", "--data", &data]));
    assert!(list.contains("tester") && list.contains("bob"), "{list}");
    assert!(!list.contains(&s.token) && !list.contains(&second));
    assert!(!list.contains("tipline_"));
    assert!(tipline(&["staff", "revoke", "bob", "--data", &data])
        .status
        .success());
    assert!(!tipline(&["staff", "revoke", "nobody", "--data", &data])
        .status
        .success());
    s.start_again();
    let status = |token: &str| {
        s.api_request("GET", "/reports", Some(&format!("Bearer {token}")), None)
            .status
    };
    assert_eq!(status(&second), 401);
    assert_eq!(status(&s.token), 200);
}

#[test]
fn many_failed_token_checks_are_slowed_down_but_valid_tokens_still_work() {
    let s = Server::start(&[]);
    let bad = format!("Bearer tipline_{}", "1".repeat(64));
    let codes: Vec<u16> = (0..40)
        .map(|_| s.api_request("GET", "/reports", Some(&bad), None).status)
        .collect();
    assert_eq!(codes[0], 401);
    assert_eq!(*codes.last().unwrap(), 429);
    assert_eq!(s.reports().len(), 0, "a valid token still gets through");
}

#[test]
fn the_staff_api_can_live_on_its_own_address_only() {
    let s = Server::start(&["--staff-listen", "127.0.0.1:0"]);
    let staff = s.staff_url.clone().unwrap();
    assert_ne!(staff, s.url);
    let on_main = agent()
        .get(format!("{}/api/v1/reports", s.url))
        .header("Authorization", format!("Bearer {}", s.token))
        .call()
        .unwrap();
    assert_eq!(
        on_main.status().as_u16(),
        404,
        "staff API on the reporter address"
    );
    assert_eq!(s.reports().len(), 0, "staff API on its own address");
    assert_eq!(
        get(&format!("{staff}/report")).0,
        404,
        "reporter pages on the staff address"
    );
}
