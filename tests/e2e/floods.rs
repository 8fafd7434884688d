//! Floods that once stalled or exhausted the server (issue 11): slow uploads,
//! forms full of text, empty file parts, concurrent uploads against the disk
//! budget, one code checking in again and again; and what the server logs and
//! lets a browser keep. Every flood is bounded in count and time, on loopback.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::harness::*;
use crate::raw::raw_post_head;

/// Opens a connection and sends a report head announcing `length` bytes, then
/// `start` of the body; the rest never comes. Write errors are ignored (the
/// server may refuse and close early).
fn hold_open(host_port: &str, length: usize, start: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(host_port).expect("connect");
    stream
        .set_write_timeout(Some(Duration::from_secs(5)))
        .expect("write timeout");
    let head = raw_post_head(host_port, "/report", &multipart_content_type(), length);
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(start);
    stream
}

/// The start of a file part, and its first byte.
fn file_part_start() -> Vec<u8> {
    format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"attachment\"; \
         filename=\"slow.bin\"\r\nContent-Type: application/octet-stream\r\n\r\nx"
    )
    .into_bytes()
}

#[test]
fn hundreds_of_trickling_uploads_hold_no_threads_and_a_real_report_and_check_in_still_succeed() {
    let s = Server::start(&[]);
    let code = s.report("a report made before the flood");
    let start = file_part_start();
    let mut trickles: Vec<TcpStream> = (0..200)
        .map(|_| hold_open(s.host_port(), 10_000_000, &start))
        .collect();
    // They trickle: one more byte each, well within the idle limit.
    std::thread::sleep(Duration::from_millis(1500));
    for t in &mut trickles {
        let _ = t.write_all(b"y");
    }
    std::thread::sleep(Duration::from_millis(500));
    let threads = thread_count(s.pid());

    let began = Instant::now();
    let report = s.post_report("a real report during the flood", &[]);
    let check = s.post_form("/check", &[("code", &code), ("lang", "en")]);
    let took = began.elapsed();
    drop(trickles);
    eprintln!("server threads with 200 trickling uploads: {threads}; report + check-in: {took:?}");

    assert_eq!(report.status, 200, "{}", report.text());
    assert!(receipt_code(&report.text()).is_some());
    assert_eq!(check.status, 200);
    assert!(element_text(&check.text(), "report-status").is_some());
    assert!(took < Duration::from_secs(20), "took {took:?}");
    assert!(
        threads < 64,
        "{threads} server threads for 200 waiting uploads"
    );
}

#[test]
fn uploads_past_the_bound_are_told_busy_at_once_and_admitted_again_after() {
    let s = Server::start(&["--max-uploads", "3"]);
    let start = file_part_start();
    let held: Vec<TcpStream> = (0..3)
        .map(|_| hold_open(s.host_port(), 10_000_000, &start))
        .collect();
    let mut busy = None;
    assert!(
        eventually(Duration::from_secs(10), || {
            let r = s.post_report("one too many", &[]);
            let refused = r.status == 503;
            busy = Some(r);
            refused
        }),
        "never busy: {:?}",
        busy.map(|r| r.status)
    );
    let busy = busy.unwrap();
    assert_eq!(busy.header("retry-after").as_deref(), Some("60"));
    assert!(busy.text().contains("class=\"error\""), "{}", busy.text());
    drop(held);
    assert!(eventually(Duration::from_secs(20), || s
        .post_report("after the flood", &[])
        .status
        == 200));
}

#[test]
fn forty_forms_full_of_text_held_open_keep_the_server_under_200_mib() {
    let s = Server::start(&[]);
    let field = vec![b'a'; 256 * 1024];
    let mut body = Vec::new();
    for i in 0..32 {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"q{i}\"\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(&field);
        body.extend_from_slice(b"\r\n");
    }
    let length = body.len() + 1024;
    let held: Vec<TcpStream> = std::thread::scope(|scope| {
        let senders: Vec<_> = (0..40)
            .map(|_| scope.spawn(|| hold_open(s.host_port(), length, &body)))
            .collect();
        senders.into_iter().map(|h| h.join().unwrap()).collect()
    });
    std::thread::sleep(Duration::from_millis(500));
    let rss = rss_bytes(s.pid());
    drop(held);
    eprintln!(
        "server RSS with 40 forms full of text: {} MiB",
        rss / (1024 * 1024)
    );
    assert!(rss > 0);
    assert!(rss < 200 * 1024 * 1024, "RSS {} MiB", rss / (1024 * 1024));
    // And the server still takes a report.
    assert_eq!(s.post_report("still here", &[]).status, 200);
}

#[test]
fn twenty_thousand_empty_file_parts_are_refused_with_little_server_cpu() {
    let s = Server::start(&[]);
    let empty = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n\r\n"
    );
    let mut body = empty.repeat(20_000).into_bytes();
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    let before = cpu_time(s.pid());
    let mut stream = TcpStream::connect(s.host_port()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let head = raw_post_head(
        s.host_port(),
        "/report",
        &multipart_content_type(),
        body.len(),
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    drop(stream);
    let used = cpu_time(s.pid()).saturating_sub(before);
    eprintln!("server CPU for 20,000 empty file parts: {used:?}");
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 4"),
        "{answer:.200}"
    );
    assert!(used < Duration::from_secs(1), "{used:?} of server CPU");
    assert_eq!(s.post_report("still here", &[]).status, 200);
}

#[test]
fn concurrent_uploads_never_store_more_than_the_disk_budget() {
    // 0.01 GiB: about 10 MiB for all attachments together.
    let s = Server::start(&["--max-disk-gib", "0.01"]);
    let budget = (0.01 * 1024.0 * 1024.0 * 1024.0) as u64;
    let file = vec![7u8; 2 * 1024 * 1024];
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let uploads: Vec<_> = (0..12)
            .map(|_| {
                scope.spawn(|| {
                    s.post_report(
                        "with a file",
                        &[("a.bin", "application/octet-stream", &file)],
                    )
                    .status
                })
            })
            .collect();
        uploads.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let stored: u64 = files_under(&s.data.join("blobs"))
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    assert!(
        stored <= budget,
        "{stored} bytes stored for a budget of {budget}"
    );
    assert!(statuses.contains(&200), "{statuses:?}");
    assert!(statuses.contains(&507), "{statuses:?}");
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 507),
        "{statuses:?}"
    );
    // Reports without files still work.
    assert_eq!(s.post_report("no file", &[]).status, 200);
}

/// Checks in with `code`; the page.
fn check_in(s: &Server, code: &str) -> Resp {
    s.post_form("/check", &[("code", code), ("lang", "en")])
}

#[test]
fn one_code_checked_in_again_and_again_cannot_lock_others_out_of_check() {
    let s = Server::start(&["--max-checkins", "20"]);
    let mine = s.report("the report checked in again and again");
    let theirs = s.report("another reporter's report");
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..100 {
                    assert_eq!(check_in(&s, &mine).status, 200);
                }
            });
        }
    });
    let page = check_in(&s, &theirs);
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(element_text(&html, "report-status").is_some());
    assert!(token_field(&html).is_some(), "the actions are there");
}

#[test]
fn a_full_token_table_still_shows_status_and_replies() {
    let s = Server::start(&["--max-checkins", "2"]);
    let first = s.report("fills the table");
    let second = s.report("reads the replies");
    let second_id = s
        .reports()
        .into_iter()
        .find(|r| {
            let id = r["id"].as_str().unwrap();
            let m = &s.messages(id)[0];
            s.message_json(id, m["id"].as_str().unwrap())["message"] == "reads the replies"
        })
        .unwrap();
    let reply = s.reply_with_age(
        second_id["id"].as_str().unwrap(),
        second_id["reporter_recipient"].as_str().unwrap(),
        "we read your report",
    );
    assert_eq!(reply.status, 201);
    check_in(&s, &first);
    check_in(&s, &first);

    let page = check_in(&s, &second);
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(element_text(&html, "report-status").is_some());
    assert_eq!(replies(&html), ["we read your report"]);
    assert!(token_field(&html).is_none());
    assert!(element_text(&html, "actions-busy").is_some(), "{html}");
}

#[test]
fn the_stylesheet_is_not_kept_in_the_browser_cache() {
    let s = Server::start(&[]);
    let css = s.get("/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("cache-control").as_deref(), Some("no-store"));
}

#[test]
fn every_textarea_on_the_reporter_pages_turns_autocomplete_off() {
    let s = Server::start(&[]);
    let code = s.report("for the check page");
    let pages = [
        s.get("/report").text(),
        s.get("/kids").text(),
        check_in(&s, &code).text(),
    ];
    let mut seen = 0;
    for html in &pages {
        let doc = scraper::Html::parse_document(html);
        let sel = scraper::Selector::parse("textarea").unwrap();
        for t in doc.select(&sel) {
            seen += 1;
            assert_eq!(
                t.value().attr("autocomplete"),
                Some("off"),
                "{:?}",
                t.value().attr("name")
            );
        }
    }
    assert!(seen >= 3, "{seen} textareas");
}

#[test]
fn by_default_reporter_requests_leave_no_line_of_their_own_only_a_summary() {
    let mut s = Server::start(&[]);
    let code = s.report("not in the log");
    assert_eq!(s.get("/").status, 200);
    assert_eq!(check_in(&s, &code).status, 200);
    assert_eq!(s.get("/no-such-page").status, 404);
    let before = s.log_text();
    assert!(!before.contains("route="), "{before}");
    assert!(!before.contains("/report"), "{before}");
    assert!(s.terminate(Duration::from_secs(20)), "no graceful stop");
    let log = s.log_text();
    let summary = log
        .lines()
        .find(|l| l.contains("reporter requests since the last summary"))
        .unwrap_or_else(|| panic!("no summary: {log}"));
    assert!(summary.contains("POST /report 200: 1"), "{summary}");
    assert!(summary.contains("POST /check 200: 1"), "{summary}");
    assert!(summary.contains("404: 1"), "{summary}");
}

#[test]
fn with_the_access_log_on_every_request_is_logged_and_a_warning_says_why_not_to() {
    let s = Server::start(&["--access-log"]);
    s.report("logged one by one");
    let log = s.log_text();
    assert!(log.contains("route=\"/report\""), "{log}");
    let warning = log
        .lines()
        .find(|l| l.contains("WARN") && l.contains("--access-log"))
        .unwrap_or_else(|| panic!("no warning: {log}"));
    assert!(warning.contains("date"), "{warning}");
}
