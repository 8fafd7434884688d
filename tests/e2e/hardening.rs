//! The server's hardening rules, each shown against the real server.

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use crate::harness::*;

#[test]
fn no_client_address_or_user_agent_reaches_the_data_or_the_logs() {
    let s = Server::start(&[]);
    let agent_name = "ProbeBrowser/7.3.1-unique-4f9a";
    let url = s.url.clone();
    // Traffic from another loopback address, with a unique user agent and referrer.
    let curl = |args: &[&str]| {
        let out = Command::new("curl")
            .args([
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "--interface",
                "127.0.0.2",
            ])
            .args([
                "-A",
                agent_name,
                "-e",
                "https://referrer.example/unique-ref-77",
            ])
            .args(args)
            .output()
            .expect("curl");
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    assert_eq!(curl(&[&format!("{url}/")]), "200");
    assert_eq!(
        curl(&[
            "-F",
            "message=sent from 127.0.0.2",
            &format!("{url}/report")
        ]),
        "200"
    );
    assert_eq!(
        curl(&["-d", "code=AAAA-BBBB-CCCC-DDDD", &format!("{url}/check")]),
        "200"
    );
    assert_eq!(curl(&[&format!("{url}/nope")]), "404");
    s.report("and one more from 127.0.0.1");

    let data = s.data_bytes();
    let logs = format!("{}{}", s.log_text(), s.stdout_text());
    assert!(logs.contains("route"), "the access log is on: {logs}");
    for needle in ["127.0.0.2", agent_name, "unique-ref-77", "ProbeBrowser"] {
        assert!(!logs.contains(needle), "{needle} in the server output");
        assert!(
            !data.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{needle} under --data"
        );
    }
    // Logs carry no time of day.
    let time = regex_like_time(&logs);
    assert!(time.is_none(), "a time in the logs: {time:?}");
}

/// Finds something like `12:34:56` (a time of day) in `text`.
fn regex_like_time(text: &str) -> Option<String> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(8)).find_map(|i| {
        let w = &b[i..i + 8];
        let d = |j: usize| w[j].is_ascii_digit();
        (d(0) && d(1) && w[2] == b':' && d(3) && d(4) && w[5] == b':' && d(6) && d(7))
            .then(|| String::from_utf8_lossy(w).to_string())
    })
}

#[test]
fn every_response_carries_the_security_headers_from_one_place() {
    let s = Server::start(&["--onion-location", "http://exampleonionaddressxyz.onion"]);
    let urls = [
        format!("{}/", s.url),
        format!("{}/report?lang=en", s.url),
        format!("{}/style.css", s.url),
        format!("{}/does-not-exist", s.url),
        format!("{}/api/v1/reports", s.url),
    ];
    for url in &urls {
        let (_, body, h) = get(url);
        let header = |n: &str| {
            h.get(n)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        };
        let csp = header("content-security-policy");
        for part in [
            "default-src 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "base-uri 'none'",
        ] {
            assert!(csp.contains(part), "{url}: CSP lacks {part}: {csp}");
        }
        assert_eq!(header("referrer-policy"), "no-referrer", "{url}");
        assert_eq!(header("x-content-type-options"), "nosniff", "{url}");
        assert!(header("permissions-policy").contains("camera=()"), "{url}");
        assert!(
            header("permissions-policy").contains("geolocation=()"),
            "{url}"
        );
        assert_eq!(header("cross-origin-opener-policy"), "same-origin", "{url}");
        assert_eq!(
            header("cross-origin-resource-policy"),
            "same-origin",
            "{url}"
        );
        assert!(h.get("server").is_none(), "{url}: a Server header");
        assert!(
            h.get("strict-transport-security").is_none(),
            "{url}: HSTS without TLS"
        );
        let path = url
            .trim_start_matches(&s.url)
            .split('?')
            .next()
            .unwrap()
            .to_string();
        assert_eq!(
            header("onion-location"),
            format!("http://exampleonionaddressxyz.onion{path}")
        );
        assert!(!body.contains("<script"), "{url}");
    }
}

/// A self-signed certificate for 127.0.0.1 (PEM cert, PEM key).
fn certificate() -> (String, String) {
    let c =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .unwrap();
    (c.cert.pem(), c.signing_key.serialize_pem())
}

fn tls_agent(root_pem: &str) -> ureq::Agent {
    let certs: Vec<_> = ureq::tls::parse_pem(root_pem.as_bytes())
        .filter_map(|i| match i {
            Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
            _ => None,
        })
        .collect();
    ureq::Agent::config_builder()
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::new_with_certs(&certs))
                .build(),
        )
        .http_status_as_error(false)
        .build()
        .new_agent()
}

#[test]
fn https_sends_hsts_and_a_new_certificate_is_used_after_sighup() {
    let dir = tempfile::tempdir().unwrap();
    let (cert1, key1) = certificate();
    let cert_path = dir.path().join("cert.pem");
    let key_path = dir.path().join("key.pem");
    std::fs::write(&cert_path, &cert1).unwrap();
    std::fs::write(&key_path, &key1).unwrap();
    let s = Server::start(&[
        "--tls-cert",
        cert_path.to_str().unwrap(),
        "--tls-key",
        key_path.to_str().unwrap(),
    ]);
    assert!(s.url.starts_with("https://"), "{}", s.url);
    let resp = tls_agent(&cert1).get(format!("{}/", s.url)).call().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert!(resp.headers().get("strict-transport-security").is_some());

    let (cert2, key2) = certificate();
    std::fs::write(&cert_path, &cert2).unwrap();
    std::fs::write(&key_path, &key2).unwrap();
    assert!(Command::new("kill")
        .args(["-HUP", &s.pid().to_string()])
        .status()
        .unwrap()
        .success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let fresh = tls_agent(&cert2).get(format!("{}/", s.url)).call();
        if fresh.is_ok() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the new certificate was not loaded"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(
        tls_agent(&cert1).get(format!("{}/", s.url)).call().is_err(),
        "old certificate still served"
    );

    // The desk reaches the staff API over HTTPS, trusting the private certificate.
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &cert2).unwrap();
    let mirror = dir.path().join("mirror");
    let pulled = s.desk(&[
        "pull",
        "--server",
        &s.url,
        "--mirror",
        mirror.to_str().unwrap(),
        "--ca",
        ca.to_str().unwrap(),
    ]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    let untrusted = s.desk(&[
        "pull",
        "--server",
        &s.url,
        "--mirror",
        mirror.to_str().unwrap(),
    ]);
    assert_eq!(
        untrusted.status.code(),
        Some(3),
        "an unknown certificate is refused"
    );
}

#[test]
fn a_new_code_kills_the_old_one_at_once_and_keeps_the_replies() {
    let s = Server::start(&[]);
    let old = s.report("rotate me");
    let report = &s.reports()[0];
    let id = report["id"].as_str().unwrap();
    let recipient = report["reporter_recipient"].as_str().unwrap();
    let centre = std::fs::read_to_string(s.keys.join("centre.pub")).unwrap();
    assert_eq!(
        post_reply(
            &s,
            id,
            &age_encrypt(b"eerste antwoord", &[recipient, centre.trim()])
        ),
        201
    );

    let (_, page) = s.check(&old);
    let (status, rotated) = post_form(
        &format!("{}/check/rotate", s.url),
        &[("token", &token_field(&page).unwrap()), ("lang", "en")],
    );
    assert_eq!(status, 200);
    let new = receipt_code(&rotated).unwrap();
    assert_ne!(new, old);
    let (_, dead) = s.check(&old);
    assert!(
        element_text(&dead, "report-status").is_none(),
        "old code still works"
    );
    let (_, alive) = s.check(&new);
    assert_eq!(replies(&alive), vec!["eerste antwoord"]);
    // Staff see the new recipient; a reply to it reaches the new code.
    let recipient = s.reports()[0]["reporter_recipient"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        post_reply(&s, id, &age_encrypt(b"tweede", &[&recipient])),
        201
    );
    let (_, alive) = s.check(&new);
    assert_eq!(replies(&alive), vec!["eerste antwoord", "tweede"]);
    // The page with the new code is not cached.
    let resp = agent()
        .post(format!("{}/check", s.url))
        .send_form([("code", new.as_str())])
        .unwrap();
    assert_eq!(resp.headers().get("cache-control").unwrap(), "no-store");
}

#[test]
fn deleting_needs_a_confirmation_and_then_removes_everything() {
    let s = Server::start(&[]);
    let (_, receipt) = post_multipart(
        &format!("{}/report", s.url),
        &[
            ("message", None, b"delete me"),
            ("attachment", Some("a.txt"), b"attached bytes"),
        ],
    );
    let code = receipt_code(&receipt).unwrap();
    let blobs = || {
        std::fs::read_dir(s.data.join("blobs"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().is_file())
            .count()
    };
    assert_eq!(blobs(), 1);
    let (_, page) = s.check(&code);
    let (status, confirm) = post_form(
        &format!("{}/check/delete", s.url),
        &[("token", &token_field(&page).unwrap())],
    );
    assert_eq!(status, 200);
    assert_eq!(
        s.reports().len(),
        1,
        "nothing deleted before the confirmation"
    );
    let (status, _) = post_form(
        &format!("{}/check/delete/confirm", s.url),
        &[("token", &token_field(&confirm).unwrap())],
    );
    assert_eq!(status, 200);
    assert!(s.reports().is_empty());
    assert_eq!(blobs(), 0);
    let (_, after) = s.check(&code);
    assert!(element_text(&after, "report-status").is_none());
}

#[test]
fn closed_reports_past_retention_are_purged_and_open_ones_stay() {
    let mut s = Server::start(&[]);
    s.report("closed one");
    s.report("open one");
    let reports = s.reports();
    let closed = reports[0]["id"].as_str().unwrap().to_string();
    assert_eq!(put_status(&s, &closed, "closed"), 204);
    s.kill();
    let out = tipline(&[
        "purge",
        "--data",
        s.data.to_str().unwrap(),
        "--retention-days",
        "1",
    ]);
    assert!(
        stdout(&out).contains("purged 0"),
        "closed today, kept for a day: {}",
        stdout(&out)
    );
    let out = tipline(&[
        "purge",
        "--data",
        s.data.to_str().unwrap(),
        "--retention-days",
        "0",
    ]);
    assert!(stdout(&out).contains("purged 1"), "{}", stdout(&out));
    s.start_again();
    let left = s.reports();
    assert_eq!(left.len(), 1);
    assert_ne!(left[0]["id"].as_str().unwrap(), closed);
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
        agent()
            .get(format!("{}/reports", s.api()))
            .header("Authorization", format!("Bearer {token}"))
            .call()
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(status(&second), 401);
    assert_eq!(status(&s.token), 200);
}

#[test]
fn many_failed_token_checks_are_slowed_down_but_valid_tokens_still_work() {
    let s = Server::start(&[]);
    let bad = format!("tipline_{}", "1".repeat(64));
    let mut codes = Vec::new();
    for _ in 0..40 {
        codes.push(
            agent()
                .get(format!("{}/reports", s.api()))
                .header("Authorization", format!("Bearer {bad}"))
                .call()
                .unwrap()
                .status()
                .as_u16(),
        );
    }
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

#[test]
fn the_server_refuses_a_private_key_in_keys_and_an_empty_keys_directory() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    let serve = |keys: &std::path::Path| {
        tipline(&[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data",
            dir.path().join("data").to_str().unwrap(),
            "--keys",
            keys.to_str().unwrap(),
        ])
    };
    let empty = serve(&keys);
    assert!(!empty.status.success());
    assert!(
        stderr(&empty).contains("no recipient"),
        "{}",
        stderr(&empty)
    );
    last_line(&tipline(&[
        "keygen",
        "--out",
        keys.join("oops.key").to_str().unwrap(),
    ]));
    let private = serve(&keys);
    assert!(!private.status.success());
    assert!(
        stderr(&private).contains("private key"),
        "{}",
        stderr(&private)
    );
    assert_eq!(
        stderr(&private)
            .trim()
            .lines()
            .filter(|l| l.contains("error"))
            .count(),
        1
    );
}

#[test]
fn data_key_and_pepper_files_are_private() {
    let s = Server::start(&[]);
    s.report("modes");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&s.data), 0o700);
    assert_eq!(mode(&s.data.join("pepper")), 0o600);
    assert_eq!(mode(&s.identity), 0o600);
    assert_eq!(mode(&s.data.join("db")), 0o700);
    for entry in std::fs::read_dir(s.data.join("db")).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            assert_eq!(mode(&p) & 0o077, 0, "{} readable by others", p.display());
        }
    }
}

#[test]
fn a_full_check_in_pool_answers_busy_but_reports_still_go_through() {
    let s = Server::start(&[
        "--kdf-workers",
        "1",
        "--kdf-queue",
        "0",
        "--kdf-memory-kib",
        "65536",
        "--kdf-iterations",
        "4",
    ]);
    let url = s.url.clone();
    let flood: Vec<_> = (0..8)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut resp = agent()
                    .post(format!("{url}/check"))
                    .send_form([("code", "AAAA-BBBB-CCCC-DDDD"), ("lang", "en")])
                    .unwrap();
                let retry = resp.headers().get("retry-after").is_some();
                (
                    resp.status().as_u16(),
                    retry,
                    resp.body_mut().read_to_string().unwrap(),
                )
            })
        })
        .collect();
    let code = s.report("while the check-in pool is flooded");
    let results: Vec<_> = flood.into_iter().map(|t| t.join().unwrap()).collect();
    let busy: Vec<_> = results.iter().filter(|r| r.0 == 503).collect();
    assert!(
        !busy.is_empty(),
        "no busy answer: {:?}",
        results.iter().map(|r| r.0).collect::<Vec<_>>()
    );
    assert!(busy.iter().all(|r| r.1 && r.2.contains("busy")));
    let (_, page) = s.check(&code);
    assert!(element_text(&page, "report-status").is_some());
}

#[test]
fn follow_ups_are_limited_per_report() {
    let s = Server::start(&["--max-follow-ups", "1"]);
    let code = s.report("limits");
    let send = |n: &str| {
        let (_, page) = s.check(&code);
        post_multipart(
            &format!("{}/check/message", s.url),
            &[
                ("token", None, token_field(&page).unwrap().as_bytes()),
                ("message", None, n.as_bytes()),
            ],
        )
        .0
    };
    assert_eq!(send("first"), 200);
    assert_eq!(send("second"), 400);
    let id = s.reports()[0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        s.api_json(&format!("/reports/{id}/messages"))["messages"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
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
fn every_receipt_shown_survives_a_kill_during_load() {
    let mut s = Server::start(&[]);
    let mut codes = Vec::new();
    for round in 0..3 {
        let url = s.url.clone();
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let url = url.clone();
                std::thread::spawn(move || {
                    let mut got = Vec::new();
                    for i in 0..50 {
                        let text = format!("round {round} writer {w} report {i}");
                        match std::panic::catch_unwind(|| {
                            post_multipart(
                                &format!("{url}/report"),
                                &[("message", None, text.as_bytes())],
                            )
                        }) {
                            Ok((200, page)) => got.push(receipt_code(&page).unwrap()),
                            _ => break,
                        }
                    }
                    got
                })
            })
            .collect();
        std::thread::sleep(std::time::Duration::from_millis(300));
        s.kill(); // SIGKILL in the middle of the load
        for w in writers {
            codes.extend(w.join().unwrap_or_default());
        }
        s.start_again();
    }
    assert!(codes.len() >= 10, "the load made receipts: {}", codes.len());
    for code in &codes {
        let (_, page) = s.check(code);
        assert!(
            element_text(&page, "report-status").is_some(),
            "a shown code was lost"
        );
    }
    assert!(s.reports().len() >= codes.len());
}

/// A small tmpfs, unmounted on drop.
struct SmallDisk(tempfile::TempDir);

impl SmallDisk {
    fn mount(megabytes: u32) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(
            ok || std::env::var_os("TIPLINE_SKIP_MOUNT_TESTS").is_some(),
            "mounting a tmpfs needs root; set TIPLINE_SKIP_MOUNT_TESTS=1 to skip this test"
        );
        SmallDisk(dir)
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .args(["-l"])
            .arg(self.0.path())
            .status();
    }
}

#[test]
fn a_full_disk_gets_a_clear_page_and_no_receipt_and_the_server_recovers_when_space_returns() {
    let disk = SmallDisk::mount(80);
    if std::env::var_os("TIPLINE_SKIP_MOUNT_TESTS").is_some() {
        return;
    }
    let mut s = Server::start(&[]);
    s.kill();
    // Move the install onto the small disk.
    let data = disk.0.path().join("data");
    Command::new("cp")
        .arg("-a")
        .arg(&s.data)
        .arg(&data)
        .status()
        .unwrap();
    s.data = data;
    s.start_again();
    let before = s.report("before the disk fills");

    let filler = disk.0.path().join("filler");
    std::fs::write(&filler, vec![0u8; 70 * 1024 * 1024]).unwrap();
    let (status, page) = post_multipart(
        &format!("{}/report", s.url),
        &[
            ("lang", None, b"en"),
            ("message", None, b"while the disk is full"),
        ],
    );
    assert_eq!(status, 503);
    assert!(
        receipt_code(&page).is_none(),
        "a receipt for a report that was not stored"
    );
    assert!(page.contains("NOT saved"), "{page}");

    std::fs::remove_file(&filler).unwrap();
    let after = s.report("after space returned");
    for code in [before, after] {
        let (_, page) = s.check(&code);
        assert!(element_text(&page, "report-status").is_some());
    }
    assert_eq!(s.reports().len(), 2);
    s.kill();
}

#[test]
fn a_client_that_stops_sending_its_headers_is_cut_off() {
    use std::io::{Read, Write};
    let s = Server::start(&[]);
    let addr = s.url.trim_start_matches("http://").to_string();
    let mut slow = std::net::TcpStream::connect(&addr).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap(); // and then nothing
    slow.set_read_timeout(Some(std::time::Duration::from_secs(15)))
        .unwrap();
    let started = std::time::Instant::now();
    let mut buf = Vec::new();
    let _ = slow.read_to_end(&mut buf);
    let waited = started.elapsed();
    assert!(
        waited < std::time::Duration::from_secs(14),
        "the connection was held {waited:?}"
    );
    let text = String::from_utf8_lossy(&buf);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 408"),
        "{text}"
    );
    s.report("others are still served");
}

#[test]
fn the_server_purges_closed_reports_by_itself_at_start_and_daily() {
    let mut s = Server::start(&["--retention-days", "0"]);
    s.report("closed and past retention");
    let id = s.reports()[0]["id"].as_str().unwrap().to_string();
    assert_eq!(put_status(&s, &id, "closed"), 204);
    s.restart();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !s.reports().is_empty() {
        assert!(std::time::Instant::now() < deadline, "not purged");
        std::thread::sleep(std::time::Duration::from_millis(50));
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
            let mut req = agent().get(format!("{}{path}", s.api()));
            if let Some(h) = h {
                req = req.header("Authorization", h);
            }
            let mut resp = req.call().unwrap();
            assert_eq!(resp.status().as_u16(), 401, "{path} with {h:?}");
            assert!(resp.body_mut().read_to_string().unwrap().is_empty());
        }
    }
    let put = agent()
        .put(format!("{}/reports/{id}/status", s.api()))
        .send_json(serde_json::json!({"status": "closed"}))
        .unwrap();
    assert_eq!(put.status().as_u16(), 401);
    assert_eq!(s.reports()[0]["status"], "received");
}

#[test]
fn a_client_that_disconnects_mid_upload_leaves_no_report_and_no_file() {
    use std::io::Write;
    let s = Server::start(&[]);
    let addr = s.url.trim_start_matches("http://").to_string();
    let boundary = "xYzBoundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nhalf sent\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"big.bin\"\r\n\r\n"
    )
    .into_bytes();
    body.extend(vec![9u8; 512 * 1024]);
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "POST /report HTTP/1.1\r\nHost: {addr}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
        body.len() + 2 * 1024 * 1024
    )
    .unwrap();
    stream.write_all(&body).unwrap();
    stream.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    drop(stream); // gone, mid-file
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let files = |dir: &std::path::Path| {
        std::fs::read_dir(dir)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().is_file())
            .count()
    };
    while files(&s.data.join("blobs/tmp")) + files(&s.data.join("blobs")) > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "a half upload was left behind"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(s.reports().is_empty());
    s.report("the server still serves");
}
