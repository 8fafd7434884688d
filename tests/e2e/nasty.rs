//! Clients that misbehave: wrong bodies, broken multipart, bad bytes, bodies
//! that stop half-way, oversized fields. Each must get a clear 4xx (never a
//! crash, never a half-stored report), and the server must keep serving.

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use crate::harness::*;
use crate::raw::*;

/// A report made before the nasty request, to prove nothing was lost after it.
struct Earlier {
    code: String,
    id: String,
    text: String,
}

fn earlier_report(s: &Server) -> Earlier {
    let text = format!("an earlier, honest report {}", random_u64());
    let code = s.report(&text);
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    Earlier { code, id, text }
}

/// The server still answers pages, takes reports, and the earlier report is
/// still there, readable by staff and reachable with its code. No report other
/// than the earlier one (and the one made here) exists.
fn assert_still_serving(s: &Server, earlier: &Earlier) {
    assert_eq!(s.get("/").status, 200);
    s.check_ok(&earlier.code);
    let messages = s.messages(&earlier.id);
    assert_eq!(messages.len(), 1, "{messages:?}");
    let doc = s.message_json(&earlier.id, messages[0]["id"].as_str().unwrap());
    assert_eq!(doc["message"], earlier.text.as_str());
    assert_eq!(s.reports().len(), 1, "a bad request left a report behind");
    let later = s.report("a report after the bad request");
    s.check_ok(&later);
}

/// No attachment file is left under `data/blobs` (directories may stay).
fn blob_files(s: &Server) -> Vec<std::path::PathBuf> {
    files_under(&s.data.join("blobs"))
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
    let s = Server::start(&[]);
    let earlier = earlier_report(&s);
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
        let resp = s.post_raw("/report", content_type, body);

        // Assert
        assert_bad_request_page(&resp, content_type);
    }
    // And with no Content-Type at all.
    let head = format!(
        "POST /report HTTP/1.1\r\nHost: {}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
        s.host_port()
    );
    let raw = raw_http(s.host_port(), head.as_bytes());
    assert_eq!(raw.status, 400, "{}", raw.text());
    assert_still_serving(&s, &earlier);
}

#[test]
fn broken_multipart_bodies_get_a_400_page_and_leave_nothing() {
    // Arrange
    let s = Server::start(&[]);
    let earlier = earlier_report(&s);
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
        let head = raw_post_head(s.host_port(), "/report", &content_type, body.len());
        let mut request = head.into_bytes();
        request.extend_from_slice(&body);
        let resp = raw_http(s.host_port(), &request);

        // Assert
        assert_eq!(resp.status, 400, "{what}: {}", resp.text());
        assert!(
            resp.head.to_ascii_lowercase().contains("text/html"),
            "{what}"
        );
        assert!(
            eventually(Duration::from_secs(5), || blob_files(&s).is_empty()),
            "{what}: files left in blobs: {:?}",
            blob_files(&s)
        );
    }
    assert_still_serving(&s, &earlier);
}

#[test]
fn a_complete_body_missing_its_closing_boundary_is_refused_at_once() {
    // Arrange: every byte Content-Length announces arrives; the last part ends
    // with its CRLF but the closing boundary never comes.
    let s = Server::start(&[]);
    let body = multipart_body(&[
        Part::Text("lang", b"en"),
        Part::Text("message", b"no closing boundary"),
    ]);
    let body = &body[..body.len() - (BOUNDARY.len() + 6)];
    assert!(body.ends_with(b"no closing boundary\r\n"));
    let mut request = raw_post_head(
        s.host_port(),
        "/report",
        &multipart_content_type(),
        body.len(),
    )
    .into_bytes();
    request.extend_from_slice(body);

    // Act
    let started = std::time::Instant::now();
    let resp = raw_http(s.host_port(), &request);

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
    let s = Server::start(&[]);
    let earlier = earlier_report(&s);

    for bytes in [
        &b"\xff\xfe\xfd"[..],
        b"valid start \xc3\x28 then bad",
        b"\xed\xa0\x80 surrogate",
    ] {
        // Act
        let resp = s.post_parts(
            "/report",
            &[Part::Text("lang", b"en"), Part::Text("message", bytes)],
        );

        // Assert
        assert_bad_request_page(&resp, &format!("{bytes:?}"));
    }
    assert_still_serving(&s, &earlier);
}

#[test]
fn a_client_that_sends_half_a_body_and_disconnects_leaves_no_report_and_no_file() {
    // Arrange
    let s = Server::start(&[]);
    let earlier = earlier_report(&s);
    let file = vec![0x5au8; 2_000_000];
    let body = multipart_body(&[
        Part::Text("lang", b"en"),
        Part::Text("message", b"half a report"),
        Part::File("attachment", "big.bin", "application/octet-stream", &file),
    ]);
    let head = raw_post_head(
        s.host_port(),
        "/report",
        &multipart_content_type(),
        body.len(),
    );

    // Act: the head, the text fields and part of the file; then hang up.
    {
        let mut stream = TcpStream::connect(s.host_port()).unwrap();
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(&body[..body.len() / 3]).unwrap();
        stream.flush().unwrap();
        // Let the server start streaming the file to disk before the cut.
        std::thread::sleep(Duration::from_millis(500));
    }

    // Assert
    let clean = eventually(Duration::from_secs(10), || {
        blob_files(&s).is_empty() && s.reports().len() == 1
    });
    assert!(
        clean,
        "left behind: reports {:?}, files {:?}",
        s.reports(),
        blob_files(&s)
    );
    for dir in std::fs::read_dir(s.data.join("blobs")).unwrap() {
        let path = dir.unwrap().path();
        if path.is_dir() {
            assert!(
                files_under(&path).is_empty(),
                "files left in {}",
                path.display()
            );
        }
    }
    assert_still_serving(&s, &earlier);
}

#[test]
fn many_clients_that_hang_up_mid_body_leave_nothing_and_do_not_stop_the_server() {
    // Arrange
    let s = Server::start(&[]);
    let earlier = earlier_report(&s);
    let file = vec![1u8; 300_000];
    let body = multipart_body(&[
        Part::Text("message", b"cut"),
        Part::File("attachment", "c.bin", "application/octet-stream", &file),
    ]);
    let head = raw_post_head(
        s.host_port(),
        "/report",
        &multipart_content_type(),
        body.len(),
    );

    // Act
    let handles: Vec<_> = (0..16)
        .map(|i| {
            let (host, head, part) = (
                s.host_port().to_string(),
                head.clone(),
                body[..body.len() * (i + 1) / 18].to_vec(),
            );
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(host).unwrap();
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&part);
                std::thread::sleep(Duration::from_millis(100));
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }

    // Assert
    let clean = eventually(Duration::from_secs(10), || blob_files(&s).is_empty());
    assert!(clean, "files left: {:?}", blob_files(&s));
    assert_still_serving(&s, &earlier);
}

#[test]
fn an_empty_message_gets_the_form_again_with_the_text_kept() {
    // Arrange
    let s = Server::start(&[]);
    let earlier = earlier_report(&s);
    let whitespace = "   \t   ";

    // Act
    let resp = s.post_report(whitespace, &[]);
    let missing = s.post_parts("/report", &[Part::Text("lang", b"en")]);

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
    assert_still_serving(&s, &earlier);
}

#[test]
fn an_empty_message_with_a_file_stores_neither() {
    // Arrange
    let s = Server::start(&[]);
    let earlier = earlier_report(&s);

    // Act
    let resp = s.post_report("", &[("f.txt", "text/plain", b"orphan file")]);

    // Assert
    assert_eq!(resp.status, 400, "{}", resp.text());
    assert!(
        eventually(Duration::from_secs(5), || blob_files(&s).is_empty()),
        "the attachment of a refused report stayed: {:?}",
        blob_files(&s)
    );
    assert_still_serving(&s, &earlier);
}

#[test]
fn markup_in_a_refused_message_comes_back_escaped() {
    // Arrange
    let s = Server::start(&[]);
    let long = format!("</textarea><script>alert(1)</script>{}", "x".repeat(25_000));

    // Act
    let resp = s.post_report(&long, &[]);

    // Assert
    assert!(
        (400..500).contains(&resp.status),
        "an over-long message: {}",
        resp.status
    );
    assert!(!resp.text().to_ascii_lowercase().contains("<script"));
    assert!(s.reports().is_empty());
}

#[test]
fn a_huge_code_field_gets_a_4xx_page_not_a_crash() {
    // Arrange
    let s = Server::start(&[]);
    let earlier = earlier_report(&s);
    let body = format!("lang=en&code={}", "A".repeat(100 * 1024));
    let head = raw_post_head(
        s.host_port(),
        "/check",
        "application/x-www-form-urlencoded",
        body.len(),
    );

    // Act
    let mut request = head.into_bytes();
    request.extend_from_slice(body.as_bytes());
    let resp = raw_http(s.host_port(), &request);

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
    assert_still_serving(&s, &earlier);
}

#[test]
fn a_file_name_with_a_path_in_it_writes_nothing_outside_the_blob_store() {
    // Arrange
    let s = Server::start(&[]);
    let pepper_before = std::fs::read(s.data.join("pepper")).unwrap();
    let names = ["../../pepper", "/etc/passwd", "..\\..\\x", "a/../../b"];
    let before: std::collections::BTreeSet<_> = files_under(s.dir.path()).into_iter().collect();

    // Act
    let files: Vec<(&str, &str, &[u8])> = names
        .iter()
        .map(|n| (*n, "text/plain", &b"overwrite?"[..]))
        .collect();
    let resp = s.post_report("path names", &files);

    // Assert
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(std::fs::read(s.data.join("pepper")).unwrap(), pepper_before);
    let after: std::collections::BTreeSet<_> = files_under(s.dir.path()).into_iter().collect();
    for new in after.difference(&before) {
        assert!(
            new.starts_with(s.data.join("blobs")) || new.starts_with(s.data.join("db")),
            "a file outside the store: {}",
            new.display()
        );
    }
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let messages = s.messages(&id);
    let doc = s.message_json(&id, messages[0]["id"].as_str().unwrap());
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
    let s = Server::start(&[]);
    let earlier = earlier_report(&s);
    let id = earlier.id.clone();
    let ct = multipart_content_type();
    let bearer = s.bearer();

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
            s.post_raw("/report", "text/plain", b"not multipart").status,
        ),
        (
            "report bare boundary",
            s.post_raw("/report", &ct, b"--nope").status,
        ),
        (
            "empty follow-up body",
            s.post_raw("/check/message", &ct, b"").status,
        ),
        (
            "check as text/plain",
            s.post_raw("/check", "text/plain", &[0xff; 64]).status,
        ),
        (
            "check with broken urlencoding",
            s.post_raw("/check", "application/x-www-form-urlencoded", b"%zz=%")
                .status,
        ),
        (
            "message not UTF-8",
            s.post_parts("/report", &[Part::Text("message", b"\xff")])
                .status,
        ),
        (
            "file name not UTF-8",
            s.post_raw("/report", &ct, &bad_name).status,
        ),
        (
            "8000-byte path",
            s.get(&format!("/{}", "a".repeat(8000))).status,
        ),
    ];
    // Not an error to refuse, but not one to crash on either.
    let odd_lang = s.get("/check?lang=%ff%fe%00").status;
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
        let status = s.api_request(method, &path, Some(&bearer), body).status;
        statuses.push((method, status));
    }
    // A request line and headers that are not HTTP at all.
    let _ = raw_http_lenient(s.host_port(), b"\x00\x01\x02 GARBAGE\r\n\r\n");
    let _ = raw_http_lenient(
        s.host_port(),
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
        eventually(Duration::from_secs(5), || blob_files(&s).is_empty()),
        "{:?}",
        blob_files(&s)
    );
    assert_still_serving(&s, &earlier);
}

#[test]
fn an_oversized_attachment_gets_413_stores_nothing_and_the_server_keeps_serving() {
    let s = Server::start(&["--max-file-mib", "1"]);
    let big = vec![7u8; 1024 * 1024 + 10];
    // The language comes from the form's own field, as a browser sends it.
    let (status, page) = post_multipart(
        &format!("{}/report", s.url),
        &[
            ("lang", None, b"en"),
            ("message", None, b"x"),
            ("attachment", Some("big.bin"), &big),
        ],
    );
    assert_eq!(status, 413);
    assert!(page.contains("too big"), "a clear page in English: {page}");
    assert!(s.reports().is_empty());
    let files = std::fs::read_dir(s.data.join("blobs"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_file())
        .count();
    assert_eq!(files, 0);
    let tmp = std::fs::read_dir(s.data.join("blobs/tmp")).unwrap().count();
    assert_eq!(tmp, 0);
    s.report("still serving");
}

#[test]
fn a_client_that_stops_sending_its_headers_is_cut_off() {
    let s = Server::start(&[]);
    let mut slow = TcpStream::connect(s.host_port()).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap(); // and then nothing
    slow.set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let started = std::time::Instant::now();
    let mut buf = Vec::new();
    let _ = std::io::Read::read_to_end(&mut slow, &mut buf);
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(14),
        "the connection was held {waited:?}"
    );
    let text = String::from_utf8_lossy(&buf);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 408"),
        "{text}"
    );
    s.report("others are still served");
}
