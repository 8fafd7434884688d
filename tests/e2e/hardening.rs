//! The server's hardening rules, each shown against the real server: nothing of
//! the client kept, the headers every page carries, TLS, codes, deletion,
//! retention, file modes, limits, kills under load and a full disk.

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use crate::harness::*;

#[test]
fn no_client_address_or_user_agent_reaches_the_data_or_the_logs() {
    // With the per-request log on, the most the server would ever write.
    let s = Server::start(&["--access-log"]);
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
fn the_server_output_holds_no_client_address_or_user_agent() {
    // Arrange
    let s = Server::start(&[]);
    let user_agent = marker("agent");

    // Act
    let resp = agent()
        .get(format!("{}/", s.url))
        .header("User-Agent", &user_agent)
        .header("X-Forwarded-For", "203.0.113.77")
        .call()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    s.report("a report to log about");

    // Assert
    let output = s.output();
    assert!(!output.contains(&user_agent), "{output}");
    assert!(!output.contains("203.0.113.77"), "{output}");
    // The tests connect from loopback: a logged peer address would show up as
    // 127.0.0.1 with a port other than the server's own.
    let own_port = s.host_port().rsplit(':').next().unwrap();
    for (at, _) in output.match_indices("127.0.0.1") {
        let port: String = output[at + "127.0.0.1".len()..]
            .trim_start_matches(':')
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        assert_eq!(port, own_port, "a client address in the log:\n{output}");
    }
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
        let resp = fetch(url);
        let (body, h) = (resp.text(), resp.headers);
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
    let s = Server::start(&[]);
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
        pages.push((path, s.get(path)));
    }
    pages.push(("404", s.get("/no/such/page")));
    let receipt = s.post_report("headers", &[]);
    let code = receipt_code(&receipt.text()).unwrap();
    let report = s.only_report();
    let id = report["id"].as_str().unwrap();
    s.reply_with_age(id, report["reporter_recipient"].as_str().unwrap(), "hi");
    let result = s.check(&code);
    let token = input_value(&result.text(), "token").unwrap();
    let unknown = s.check(&random_code());
    let sent = s.follow_up(&token, "more");
    let expired = s.follow_up(&token, "again");
    let empty = s.post_report("   ", &[]);
    let broken = s.post_raw("/report", "text/plain", b"not a form");
    let huge_code = s.post_form("/check", &[("code", &"A".repeat(20_000))]);

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
    let s = Server::start(&[]);
    let home = s.get("/").text();
    let at = home
        .find("rel=\"stylesheet\" href=\"")
        .expect("a stylesheet link")
        + "rel=\"stylesheet\" href=\"".len();
    let href = &home[at..at + home[at..].find('"').unwrap()];

    // Act
    let css = s.get(href);

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
    // To the reporter and the centre, as the desk does.
    assert_eq!(
        s.reply_with_age(id, recipient, "eerste antwoord").status,
        201
    );

    let page = s.check(&old).text();
    let (status, rotated) = post_form(
        &format!("{}/check/rotate", s.url),
        &[("token", &token_field(&page).unwrap()), ("lang", "en")],
    );
    assert_eq!(status, 200);
    let new = receipt_code(&rotated).unwrap();
    assert_ne!(new, old);
    let dead = s.check(&old).text();
    assert!(
        element_text(&dead, "report-status").is_none(),
        "old code still works"
    );
    let alive = s.check(&new).text();
    assert_eq!(replies(&alive), vec!["eerste antwoord"]);
    // Staff see the new recipient; a reply to it reaches the new code.
    let recipient = s.reports()[0]["reporter_recipient"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        s.post_reply(id, &age_encrypt(b"tweede", &[&recipient]))
            .status,
        201
    );
    let alive = s.check(&new).text();
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
    let page = s.check(&code).text();
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
    let after = s.check(&code).text();
    assert!(element_text(&after, "report-status").is_none());
}

#[test]
fn closed_reports_past_retention_are_purged_and_open_ones_stay() {
    let mut s = Server::start(&[]);
    s.report("closed one");
    s.report("open one");
    let reports = s.reports();
    let closed = reports[0]["id"].as_str().unwrap().to_string();
    assert_eq!(s.set_status(&closed, "closed").status, 204);
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
    let page = s.check(&code).text();
    assert!(element_text(&page, "report-status").is_some());
}

#[test]
fn follow_ups_are_limited_per_report() {
    let s = Server::start(&["--max-follow-ups", "1"]);
    let code = s.report("limits");
    let send = |n: &str| {
        let page = s.check(&code).text();
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
        let page = s.check(code).text();
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
        let page = s.check(&code).text();
        assert!(element_text(&page, "report-status").is_some());
    }
    assert_eq!(s.reports().len(), 2);
    s.kill();
}

#[test]
fn the_server_purges_closed_reports_by_itself_at_start_and_daily() {
    let mut s = Server::start(&["--retention-days", "0"]);
    s.report("closed and past retention");
    let id = s.reports()[0]["id"].as_str().unwrap().to_string();
    assert_eq!(s.set_status(&id, "closed").status, 204);
    s.restart();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !s.reports().is_empty() {
        assert!(std::time::Instant::now() < deadline, "not purged");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
