//! Clients that misbehave: wrong bodies, broken multipart, bad bytes, bodies
//! that stop half-way, oversized fields. Each must get a clear 4xx (never a
//! crash, never a half-stored report), and the server must keep serving.

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use crate::helpers::*;

/// A report made before the nasty request, to prove nothing was lost after it.
struct Earlier {
    code: String,
    id: String,
    text: String,
}

fn earlier_report(app: &TestApp) -> Earlier {
    let text = format!("an earlier, honest report {}", random_u64());
    let code = app.report(&text);
    let id = app.only_report()["id"].as_str().unwrap().to_string();
    Earlier { code, id, text }
}

/// The server still answers pages, takes reports, and the earlier report is
/// still there, readable by staff and reachable with its code. No report other
/// than the earlier one (and the one made here) exists.
fn assert_still_serving(app: &TestApp, earlier: &Earlier) {
    assert_eq!(app.get("/").status, 200);
    app.check_ok(&earlier.code);
    let messages = app.messages(&earlier.id);
    assert_eq!(messages.len(), 1, "{messages:?}");
    let doc = app.message_json(&earlier.id, messages[0]["id"].as_str().unwrap());
    assert_eq!(doc["message"], earlier.text.as_str());
    assert_eq!(app.reports().len(), 1, "a bad request left a report behind");
    let later = app.report("a report after the bad request");
    app.check_ok(&later);
}

/// No attachment file is left under `data/blobs` (directories may stay).
fn blob_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    files_under(&app.data_dir.join("blobs"))
}

/// A 400 that is one of our HTML pages.
fn assert_bad_request_page(resp: &Resp, what: &str) {
    assert_eq!(resp.status, 400, "{what}: {}", resp.text());
    assert!(
        resp.header("content-type")
            .unwrap_or_default()
            .starts_with("text/html"),
        "{what}"
    );
    assert!(
        resp.header("content-security-policy").is_some(),
        "{what}: no CSP"
    );
    assert!(resp.text().contains("</html>"), "{what}: not a page");
}

#[test]
fn a_report_that_is_not_multipart_gets_a_400_page() {
    // Arrange
    let app = spawn_app();
    let earlier = earlier_report(&app);
    let bodies: [(&str, &[u8]); 4] = [
        (
            "application/x-www-form-urlencoded",
            b"message=hello&lang=en",
        ),
        ("text/plain", b"hello"),
        ("application/json", br#"{"message":"hello"}"#),
        (
            "multipart/mixed; boundary=abc",
            b"--abc\r\n\r\nhello\r\n--abc--\r\n",
        ),
    ];

    for (content_type, body) in bodies {
        // Act
        let resp = app.post_raw("/report", content_type, body);

        // Assert
        assert_bad_request_page(&resp, content_type);
    }
    // And with no Content-Type at all.
    let head = format!(
        "POST /report HTTP/1.1\r\nHost: {}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
        app.host_port
    );
    let raw = raw_http(&app.host_port, head.as_bytes());
    assert_eq!(raw.status, 400, "{}", raw.text());
    assert_still_serving(&app, &earlier);
}

#[test]
fn broken_multipart_bodies_get_a_400_page_and_leave_nothing() {
    // Arrange
    let app = spawn_app();
    let earlier = earlier_report(&app);
    let good = multipart_body(&[
        Part::Text("lang", b"en"),
        Part::Text("message", b"should not be stored"),
        Part::File(
            "attachment",
            "f.bin",
            "application/octet-stream",
            &[7u8; 20_000],
        ),
    ]);
    let ct = multipart_content_type();
    let truncated_in_file = good[..good.len() / 2].to_vec();
    // The whole body but the closing boundary and the CRLF before it.
    let without_closing = good[..good.len() - (BOUNDARY.len() + 8)].to_vec();
    let no_disposition =
        format!("--{BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nno name\r\n--{BOUNDARY}--\r\n");
    let garbage_headers = format!("--{BOUNDARY}\r\n\u{1}\u{2}garbage without colon\r\n\r\nx\r\n");
    let cases: Vec<(&str, String, Vec<u8>)> = vec![
        (
            "another boundary in the body",
            "multipart/form-data; boundary=SomethingElse".into(),
            good.clone(),
        ),
        (
            "no boundary parameter",
            "multipart/form-data".into(),
            good.clone(),
        ),
        ("truncated inside the file", ct.clone(), truncated_in_file),
        ("no closing boundary", ct.clone(), without_closing),
        (
            "a part without a name",
            ct.clone(),
            no_disposition.into_bytes(),
        ),
        (
            "garbage part headers",
            ct.clone(),
            garbage_headers.into_bytes(),
        ),
        ("empty body", ct.clone(), Vec::new()),
    ];

    for (what, content_type, body) in cases {
        // Act: over a raw socket, exactly these bytes with an honest length.
        let head = raw_post_head(&app.host_port, "/report", &content_type, body.len());
        let mut request = head.into_bytes();
        request.extend_from_slice(&body);
        let resp = raw_http(&app.host_port, &request);

        // Assert
        assert_eq!(resp.status, 400, "{what}: {}", resp.text());
        assert!(
            resp.head.to_ascii_lowercase().contains("text/html"),
            "{what}"
        );
        assert!(
            eventually(Duration::from_secs(5), || blob_files(&app).is_empty()),
            "{what}: files left in blobs: {:?}",
            blob_files(&app)
        );
    }
    assert_still_serving(&app, &earlier);
}

#[test]
fn a_complete_body_missing_its_closing_boundary_is_refused_at_once() {
    // Arrange: every byte Content-Length announces arrives; the last part ends
    // with its CRLF but the closing boundary never comes.
    let app = spawn_app();
    let body = multipart_body(&[
        Part::Text("lang", b"en"),
        Part::Text("message", b"no closing boundary"),
    ]);
    let body = &body[..body.len() - (BOUNDARY.len() + 6)];
    assert!(body.ends_with(b"no closing boundary\r\n"));
    let mut request = raw_post_head(
        &app.host_port,
        "/report",
        &multipart_content_type(),
        body.len(),
    )
    .into_bytes();
    request.extend_from_slice(body);

    // Act
    let started = std::time::Instant::now();
    let resp = raw_http(&app.host_port, &request);

    // Assert
    assert_eq!(resp.status, 400, "{}", resp.text());
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "answered only after {:?}",
        started.elapsed()
    );
}

#[test]
fn invalid_utf8_in_the_message_gets_a_400_page() {
    // Arrange
    let app = spawn_app();
    let earlier = earlier_report(&app);

    for bytes in [
        &b"\xff\xfe\xfd"[..],
        b"valid start \xc3\x28 then bad",
        b"\xed\xa0\x80 surrogate",
    ] {
        // Act
        let resp = app.post_multipart(
            "/report",
            &[Part::Text("lang", b"en"), Part::Text("message", bytes)],
        );

        // Assert
        assert_bad_request_page(&resp, &format!("{bytes:?}"));
    }
    assert_still_serving(&app, &earlier);
}

#[test]
fn a_client_that_sends_half_a_body_and_disconnects_leaves_no_report_and_no_file() {
    // Arrange
    let app = spawn_app();
    let earlier = earlier_report(&app);
    let file = vec![0x5au8; 2_000_000];
    let body = multipart_body(&[
        Part::Text("lang", b"en"),
        Part::Text("message", b"half a report"),
        Part::File("attachment", "big.bin", "application/octet-stream", &file),
    ]);
    let head = raw_post_head(
        &app.host_port,
        "/report",
        &multipart_content_type(),
        body.len(),
    );

    // Act: the head, the text fields and part of the file; then hang up.
    {
        let mut stream = TcpStream::connect(&app.host_port).unwrap();
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(&body[..body.len() / 3]).unwrap();
        stream.flush().unwrap();
        // Let the server start streaming the file to disk before the cut.
        std::thread::sleep(Duration::from_millis(500));
    }

    // Assert
    let clean = eventually(Duration::from_secs(10), || {
        blob_files(&app).is_empty() && app.reports().len() == 1
    });
    assert!(
        clean,
        "left behind: reports {:?}, files {:?}",
        app.reports(),
        blob_files(&app)
    );
    for dir in std::fs::read_dir(app.data_dir.join("blobs")).unwrap() {
        let path = dir.unwrap().path();
        if path.is_dir() {
            assert!(
                files_under(&path).is_empty(),
                "files left in {}",
                path.display()
            );
        }
    }
    assert_still_serving(&app, &earlier);
}

#[test]
fn many_clients_that_hang_up_mid_body_leave_nothing_and_do_not_stop_the_server() {
    // Arrange
    let app = spawn_app();
    let earlier = earlier_report(&app);
    let file = vec![1u8; 300_000];
    let body = multipart_body(&[
        Part::Text("message", b"cut"),
        Part::File("attachment", "c.bin", "application/octet-stream", &file),
    ]);
    let head = raw_post_head(
        &app.host_port,
        "/report",
        &multipart_content_type(),
        body.len(),
    );

    // Act
    let handles: Vec<_> = (0..16)
        .map(|i| {
            let (host, head, part) = (
                app.host_port.clone(),
                head.clone(),
                body[..body.len() * (i + 1) / 18].to_vec(),
            );
            std::thread::spawn(move || {
                let mut s = TcpStream::connect(host).unwrap();
                let _ = s.write_all(head.as_bytes());
                let _ = s.write_all(&part);
                std::thread::sleep(Duration::from_millis(100));
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }

    // Assert
    let clean = eventually(Duration::from_secs(10), || blob_files(&app).is_empty());
    assert!(clean, "files left: {:?}", blob_files(&app));
    assert_still_serving(&app, &earlier);
}

#[test]
fn an_empty_message_gets_the_form_again_with_the_text_kept() {
    // Arrange
    let app = spawn_app();
    let earlier = earlier_report(&app);
    let whitespace = "   \t   ";

    // Act
    let resp = app.post_report(whitespace, &[]);
    let missing = app.post_multipart("/report", &[Part::Text("lang", b"en")]);

    // Assert
    assert_bad_request_page(&resp, "whitespace only");
    let page = resp.text();
    assert_eq!(
        textarea_content(&page, "message").as_deref(),
        Some(whitespace),
        "the text area lost what was sent"
    );
    assert!(page.contains("action=\"/report\""), "not the report form");
    assert!(page.contains("Please write something"), "no explanation");
    assert!(receipt_code(&page).is_none());
    assert_bad_request_page(&missing, "no message field");
    assert!(missing.text().contains("action=\"/report\""));
    assert_still_serving(&app, &earlier);
}

#[test]
fn an_empty_message_with_a_file_stores_neither() {
    // Arrange
    let app = spawn_app();
    let earlier = earlier_report(&app);

    // Act
    let resp = app.post_report("", &[("f.txt", "text/plain", b"orphan file")]);

    // Assert
    assert_eq!(resp.status, 400, "{}", resp.text());
    assert!(
        eventually(Duration::from_secs(5), || blob_files(&app).is_empty()),
        "the attachment of a refused report stayed: {:?}",
        blob_files(&app)
    );
    assert_still_serving(&app, &earlier);
}

#[test]
fn markup_in_a_refused_message_comes_back_escaped() {
    // Arrange
    let app = spawn_app();
    let long = format!("</textarea><script>alert(1)</script>{}", "x".repeat(25_000));

    // Act
    let resp = app.post_report(&long, &[]);

    // Assert
    assert!(
        (400..500).contains(&resp.status),
        "an over-long message: {}",
        resp.status
    );
    assert!(!resp.text().to_ascii_lowercase().contains("<script"));
    assert!(app.reports().is_empty());
}

#[test]
fn a_huge_code_field_gets_a_4xx_page_not_a_crash() {
    // Arrange
    let app = spawn_app();
    let earlier = earlier_report(&app);
    let body = format!("lang=en&code={}", "A".repeat(100 * 1024));
    let head = raw_post_head(
        &app.host_port,
        "/check",
        "application/x-www-form-urlencoded",
        body.len(),
    );

    // Act
    let mut request = head.into_bytes();
    request.extend_from_slice(body.as_bytes());
    let resp = raw_http(&app.host_port, &request);

    // Assert
    assert!(
        (400..500).contains(&resp.status),
        "status {}: {}",
        resp.status,
        resp.text()
    );
    assert!(
        resp.text().contains("</html>"),
        "not a page: {}",
        resp.text()
    );
    assert_still_serving(&app, &earlier);
}

#[test]
fn a_file_name_with_a_path_in_it_writes_nothing_outside_the_blob_store() {
    // Arrange
    let app = spawn_app();
    let pepper_before = std::fs::read(app.data_dir.join("pepper")).unwrap();
    let names = ["../../pepper", "/etc/passwd", "..\\..\\x", "a/../../b"];
    let before: std::collections::BTreeSet<_> = files_under(app.dir.path()).into_iter().collect();

    // Act
    let files: Vec<(&str, &str, &[u8])> = names
        .iter()
        .map(|n| (*n, "text/plain", &b"overwrite?"[..]))
        .collect();
    let resp = app.post_report("path names", &files);

    // Assert
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(
        std::fs::read(app.data_dir.join("pepper")).unwrap(),
        pepper_before
    );
    let after: std::collections::BTreeSet<_> = files_under(app.dir.path()).into_iter().collect();
    for new in after.difference(&before) {
        assert!(
            new.starts_with(app.data_dir.join("blobs")) || new.starts_with(app.data_dir.join("db")),
            "a file outside the store: {}",
            new.display()
        );
    }
    let id = app.only_report()["id"].as_str().unwrap().to_string();
    let messages = app.messages(&id);
    let doc = app.message_json(&id, messages[0]["id"].as_str().unwrap());
    let stored: Vec<&str> = doc["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(stored.len(), names.len(), "{doc}");
}

#[test]
fn the_server_keeps_serving_after_a_barrage_of_bad_requests() {
    // Arrange
    let app = spawn_app();
    let earlier = earlier_report(&app);
    let id = earlier.id.clone();
    let ct = multipart_content_type();
    let bearer = app.bearer();

    // Act: every kind of bad request, one after the other, on one server.
    // A file name that is not UTF-8 (and no message, which the form needs).
    let mut bad_name =
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"")
            .into_bytes();
    bad_name.extend_from_slice(b"\xff\xfe.txt\"\r\n\r\nx\r\n");
    bad_name.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    let mut statuses: Vec<(&str, u16)> = vec![
        (
            "report not multipart",
            app.post_raw("/report", "text/plain", b"not multipart")
                .status,
        ),
        (
            "report bare boundary",
            app.post_raw("/report", &ct, b"--nope").status,
        ),
        (
            "empty follow-up body",
            app.post_raw("/check/message", &ct, b"").status,
        ),
        (
            "check as text/plain",
            app.post_raw("/check", "text/plain", &[0xff; 64]).status,
        ),
        (
            "check with broken urlencoding",
            app.post_raw("/check", "application/x-www-form-urlencoded", b"%zz=%")
                .status,
        ),
        (
            "message not UTF-8",
            app.post_multipart("/report", &[Part::Text("message", b"\xff")])
                .status,
        ),
        (
            "file name not UTF-8",
            app.post_raw("/report", &ct, &bad_name).status,
        ),
        (
            "8000-byte path",
            app.get(&format!("/{}", "a".repeat(8000))).status,
        ),
    ];
    // Not an error to refuse, but not one to crash on either.
    let odd_lang = app.get("/check?lang=%ff%fe%00").status;
    for (method, path, body) in [
        ("POST", format!("/reports/{id}/replies"), &b"not age"[..]),
        ("PUT", format!("/reports/{id}/status"), &b"{bad json"[..]),
        (
            "PUT",
            format!("/reports/{id}/status"),
            &br#"{"status":"nope"}"#[..],
        ),
        (
            "GET",
            "/reports/ffffffffffffffffffffffffffffffff/messages".into(),
            &b""[..],
        ),
    ] {
        let body = if method == "GET" { None } else { Some(body) };
        let status = app.api_request(method, &path, Some(&bearer), body).status;
        statuses.push((method, status));
    }
    // A request line and headers that are not HTTP at all.
    let _ = raw_http_lenient(&app.host_port, b"\x00\x01\x02 GARBAGE\r\n\r\n");
    let _ = raw_http_lenient(
        &app.host_port,
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    );

    // Assert
    for (what, status) in &statuses {
        assert!(
            (400..500).contains(status),
            "{what} got {status}: {statuses:?}"
        );
    }
    assert!(odd_lang < 500, "{odd_lang}");
    assert!(
        eventually(Duration::from_secs(5), || blob_files(&app).is_empty()),
        "{:?}",
        blob_files(&app)
    );
    assert_still_serving(&app, &earlier);
}

/// Sends bytes and reads whatever comes back (maybe nothing) within a second.
fn raw_http_lenient(host_port: &str, request: &[u8]) -> Vec<u8> {
    let mut s = TcpStream::connect(host_port).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let _ = s.write_all(request);
    let mut out = Vec::new();
    let _ = std::io::Read::read_to_end(&mut s, &mut out);
    out
}
