//! New-report notices (issue 17) against a local SMTP sink and a local HTTP
//! sink on loopback: batched, content-free, retried, never in a report's way.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use crate::harness::*;

type Seen = Arc<Mutex<Vec<String>>>;

/// A few lines of SMTP: accepts everything, keeps each message's DATA.
fn smtp_sink() -> (u16, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen: Seen = Arc::default();
    let keep = seen.clone();
    thread::spawn(move || {
        // Bounded: a handful of connections is all a test makes.
        for stream in listener.incoming().take(20).flatten() {
            let _ = smtp_session(stream, &keep);
        }
    });
    (port, seen)
}

fn smtp_session(stream: TcpStream, seen: &Seen) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut out = stream.try_clone()?;
    let mut lines = BufReader::new(stream);
    out.write_all(b"220 sink ESMTP\r\n")?;
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        match verb.as_str() {
            "DATA" => {
                out.write_all(b"354 go on\r\n")?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line)? == 0 || line == ".\r\n" {
                        break;
                    }
                    data.push_str(&line);
                }
                seen.lock().unwrap().push(data);
                out.write_all(b"250 kept\r\n")?;
            }
            "QUIT" => {
                out.write_all(b"221 bye\r\n")?;
                return Ok(());
            }
            _ => out.write_all(b"250 ok\r\n")?,
        }
    }
}

/// An HTTP sink: keeps each request's body, answers with the next status of
/// `statuses` (the last one repeats).
fn http_sink(statuses: &'static [u16]) -> (u16, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen: Seen = Arc::default();
    let keep = seen.clone();
    thread::spawn(move || {
        for (i, stream) in listener.incoming().take(20).flatten().enumerate() {
            let status = statuses[i.min(statuses.len() - 1)];
            let _ = http_exchange(stream, status, &keep);
        }
    });
    (port, seen)
}

fn http_exchange(mut stream: TcpStream, status: u16, seen: &Seen) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut head = String::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        if line == "\r\n" || line.is_empty() {
            break;
        }
        head.push_str(&line);
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    seen.lock()
        .unwrap()
        .push(format!("{head}\r\n{}", String::from_utf8_lossy(&body)));
    write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
}

fn body_json(request: &str) -> serde_json::Value {
    serde_json::from_str(request.split("\r\n\r\n").nth(1).unwrap()).unwrap()
}

fn count(seen: &Seen) -> usize {
    seen.lock().unwrap().len()
}

#[test]
fn three_messages_in_one_window_give_one_notice_by_mail_and_webhook_without_their_text_ids_or_codes(
) {
    let (smtp, mails) = smtp_sink();
    let (hook, posts) = http_sink(&[200]);
    let s = Server::start(&[
        "--notify-smtp",
        &format!("smtp://127.0.0.1:{smtp}"),
        "--notify-to",
        "staff@example.org",
        "--notify-to",
        "backup@example.org",
        "--notify-webhook",
        &format!("http://127.0.0.1:{hook}/hook"),
        "--notify-interval",
        "30s",
        "--notify-site",
        "Meldpunt Test",
    ]);
    // Two reports and a follow-up: follow-ups count too.
    let texts = [marker("first"), marker("second"), marker("follow-up")];
    let first = s.report(&texts[0]);
    let second = s.report(&texts[1]);
    let page = s.check_ok(&second);
    let token = token_field(&page).expect("a follow-up token");
    assert_eq!(s.follow_up(&token, &texts[2]).status, 200);
    let mut secrets: Vec<String> = texts.to_vec();
    secrets.push(first.clone());
    secrets.push(second.clone());
    for code in [&first, &second] {
        secrets.push(code.replace(['-', ' '], ""));
    }
    for report in s.reports() {
        let id = report["id"].as_str().unwrap().to_string();
        for m in s.messages(&id) {
            secrets.push(m["id"].as_str().unwrap().to_string());
        }
        secrets.push(id);
    }

    assert!(
        eventually(Duration::from_secs(120), || count(&mails) >= 1
            && count(&posts) >= 1),
        "no notice: {}",
        s.log_text()
    );
    assert_eq!(count(&mails), 1, "one mail for the whole window");
    assert_eq!(count(&posts), 1, "one webhook call for the whole window");
    let mail = mails.lock().unwrap()[0].clone();
    let post = posts.lock().unwrap()[0].clone();
    assert!(mail.contains("3 new report(s) or follow-up(s)"), "{mail}");
    assert!(mail.contains("Meldpunt Test"), "{mail}");
    assert!(mail.contains("staff@example.org") && mail.contains("backup@example.org"));
    let json = body_json(&post);
    assert_eq!(json["new"], 3);
    assert_eq!(json["site"], "Meldpunt Test");
    for secret in &secrets {
        for notice in [&mail, &post] {
            assert!(
                !contains_ignore_case(notice.as_bytes(), secret.as_bytes()),
                "{secret} in a notice: {notice}"
            );
        }
    }
}

#[test]
fn a_failed_notice_is_logged_and_retried_and_never_holds_up_a_report() {
    // The first call fails (500), the second works.
    let (hook, posts) = http_sink(&[500, 200]);
    let s = Server::start(&[
        "--notify-webhook",
        &format!("http://127.0.0.1:{hook}/hook/secret-token"),
        "--notify-interval",
        "2s",
    ]);
    let code = s.report(&marker("not held up"));
    assert!(!code.is_empty(), "the receipt came at once");
    assert!(
        eventually(Duration::from_secs(120), || count(&posts) >= 2),
        "no retry: {}",
        s.log_text()
    );
    for post in posts.lock().unwrap().iter() {
        assert_eq!(body_json(post)["new"], 1, "{post}");
    }
    let log = s.log_text();
    assert!(log.contains("notice failed"), "{log}");
    assert!(log.contains("webhook answered 500"), "{log}");
    assert!(
        !log.contains("secret-token"),
        "the webhook URL is not logged"
    );
}

#[test]
fn notice_settings_that_would_send_in_clear_or_half_configured_are_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let base = [
        "serve",
        "--keys",
        dir.path().to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
    ];
    for (extra, says) in [
        (
            vec!["--notify-webhook", "http://chat.example/hook/token123"],
            "notify-webhook",
        ),
        (
            vec![
                "--notify-smtp",
                "smtp://u:pw123@mail.example?tls=opportunistic",
                "--notify-to",
                "a@example.org",
            ],
            "notify-smtp",
        ),
        (vec!["--notify-smtp", "smtps://mail.example"], "go together"),
        (
            vec![
                "--notify-webhook",
                "https://x.example",
                "--notify-interval",
                "5d",
            ],
            "notify-interval",
        ),
    ] {
        let args: Vec<&str> = base.iter().copied().chain(extra).collect();
        let said = assert_fails_with_one_line(&tipline(&args));
        assert!(said.contains(says), "{said}");
        assert!(
            !said.contains("token123") && !said.contains("pw123"),
            "{said}"
        );
    }
}
