//! The reporter's keys at the desk (issues 12.4-12.6, 20.4): replies after a code
//! change, signed follow-ups, reply keys traced to the report itself, and replies
//! every colleague can read.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::harness::*;

fn mirror(s: &Server) -> String {
    s.dir.path().join("mirror").to_str().unwrap().to_string()
}

fn pull(s: &Server, m: &str) -> std::process::Output {
    let pulled = s.desk(&["pull", "--server", &s.url, "--mirror", m]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    pulled
}

/// The full id of the report whose first words are `text`'s (there may be several).
fn report_id_of(s: &Server, code_page_text: &str) -> String {
    for r in s.reports() {
        let id = r["id"].as_str().unwrap().to_string();
        let first = s.messages(&id)[0]["id"].as_str().unwrap().to_string();
        if s.message_json(&id, &first)["message"] == code_page_text {
            return id;
        }
    }
    panic!("no report with text {code_page_text:?}");
}

/// Checks in with `code` and asks for a new code; returns the new code.
fn rotate(s: &Server, code: &str) -> String {
    let page = s.check_ok(code);
    let (status, rotated) = post_form(
        &format!("{}/check/rotate", s.url),
        &[("token", &token_field(&page).unwrap()), ("lang", "en")],
    );
    assert_eq!(status, 200, "{rotated}");
    receipt_code(&rotated).unwrap()
}

fn write_file(s: &Server, name: &str, text: &str) -> String {
    let path = s.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn report_dir(m: &str, id: &str) -> PathBuf {
    Path::new(m).join("reports").join(id)
}

fn new_id() -> String {
    format!("{:016x}{:016x}", random_u64(), random_u64())
}

/// Adds a message to a report in the mirror, as a lying server would list it.
fn inject_message(m: &str, report: &str, author: &str, ciphertext: &[u8]) -> String {
    let dir = report_dir(m, report);
    let mid = new_id();
    std::fs::write(dir.join("messages").join(format!("{mid}.age")), ciphertext).unwrap();
    let list_path = dir.join("messages.json");
    let mut list: Vec<Value> = serde_json::from_slice(&std::fs::read(&list_path).unwrap()).unwrap();
    list.push(serde_json::json!({
        "id": mid, "author": author, "received": "2026-11-29", "attachments": []
    }));
    std::fs::write(&list_path, serde_json::to_vec(&list).unwrap()).unwrap();
    mid
}

/// A reporter document encrypted to the centre, as anyone with its public key
/// (the server) could make one.
fn forged_document(s: &Server, doc: Value) -> Vec<u8> {
    age_encrypt(doc.to_string().as_bytes(), &[&s.centre_recipient])
}

/// The part of `desk read`'s output from the header before `needle` to `needle`.
fn section_before<'a>(read: &'a str, needle: &str) -> &'a str {
    let at = read
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {read}"));
    let start = read[..at].rfind("--- ").unwrap();
    &read[start..at]
}

fn outbox_files(m: &str) -> usize {
    std::fs::read_dir(Path::new(m).join("outbox"))
        .unwrap()
        .count()
}

fn new_identity(s: &Server, name: &str) -> (PathBuf, String) {
    let key = s.dir.path().join(format!("{name}.key"));
    let recipient = last_line(&tipline(&["keygen", "--out", key.to_str().unwrap()]));
    assert!(recipient.starts_with("age1"), "{recipient}");
    (key, recipient)
}

#[test]
fn the_server_refuses_with_409_a_reply_encrypted_to_a_recipient_the_report_no_longer_has() {
    let s = Server::start(&[]);
    let code = s.report("409 please");
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let old = s.only_report()["reporter_recipient"]
        .as_str()
        .unwrap()
        .to_string();
    rotate(&s, &code);
    let new = s.only_report()["reporter_recipient"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(old, new);

    let post = |recipient: Option<&str>| {
        let body = age_encrypt(
            b"antwoord",
            &[recipient.unwrap_or(&new), &s.centre_recipient],
        );
        let mut req = agent()
            .post(format!("{}/reports/{id}/replies", s.api()))
            .header("Authorization", &s.bearer())
            .content_type("application/octet-stream");
        if let Some(r) = recipient {
            req = req.header("Tipline-Reporter-Recipient", r);
        }
        req.send(&body[..]).unwrap().status().as_u16()
    };
    assert_eq!(post(Some(&old)), 409);
    assert_eq!(post(Some(&new)), 201);
    // The raw-age-body form without the header keeps working (INTERFACE.md).
    assert_eq!(post(None), 201);
    // The staff API shows the statement that vouches for the new recipient.
    let chain = s.only_report()["recipient_chain"].clone();
    assert_eq!(chain.as_array().unwrap().len(), 1, "{chain}");
    assert_eq!(chain[0]["recipient"], new.as_str());
}

#[test]
fn a_reply_from_a_stale_mirror_after_a_code_change_is_encrypted_again_and_read_with_the_new_code() {
    let s = Server::start(&[]);
    let code = s.report("stale mirror report");
    let m = mirror(&s);
    pull(&s, &m);
    let id = s.only_report()["id"].as_str().unwrap()[..8].to_string();
    let new_code = rotate(&s, &code);

    let file = write_file(&s, "reply.txt", "Wij hebben je nieuwe code gezien.\n");
    let sent = s.desk(&[
        "reply", &id, "--mirror", &m, "--server", &s.url, "--file", &file,
    ]);
    assert!(sent.status.success(), "{}", stderr(&sent));
    assert!(
        stderr(&sent).contains("changed their code"),
        "{}",
        stderr(&sent)
    );
    assert!(stdout(&sent).contains("reply sent"));
    let page = s.check_ok(&new_code);
    assert_eq!(replies(&page), vec!["Wij hebben je nieuwe code gezien."]);
    assert_eq!(outbox_files(&m), 0);
}

#[test]
fn a_reply_queued_offline_before_a_code_change_is_encrypted_again_on_push() {
    let s = Server::start(&[]);
    let code = s.report("queued before the change");
    let m = mirror(&s);
    pull(&s, &m);
    let id = s.only_report()["id"].as_str().unwrap()[..8].to_string();
    let file = write_file(&s, "reply.txt", "Een antwoord uit de wachtrij.\n");
    let queued = s.desk(&["reply", &id, "--mirror", &m, "--file", &file]);
    assert!(queued.status.success(), "{}", stderr(&queued));
    let new_code = rotate(&s, &code);

    // Without the identity the reply cannot be encrypted again: it stays queued.
    let blind = std::process::Command::new(bin())
        .args(["desk", "push", "--server", &s.url, "--mirror", &m])
        .env("TIPLINE_TOKEN", &s.token)
        .env_remove("TIPLINE_IDENTITY")
        .output()
        .unwrap();
    assert_eq!(blind.status.code(), Some(10), "{}", stderr(&blind));
    assert!(stderr(&blind).contains("changed their code"));
    assert!(outbox_files(&m) > 0);

    let pushed = s.desk(&["push", "--server", &s.url, "--mirror", &m]);
    assert!(pushed.status.success(), "{}", stderr(&pushed));
    assert_eq!(
        replies(&s.check_ok(&new_code)),
        vec!["Een antwoord uit de wachtrij."]
    );
}

#[test]
fn follow_ups_signed_with_the_reporters_code_are_verified_and_forged_or_moved_ones_are_flagged() {
    let s = Server::start(&[]);
    let code = s.report("first report with a sealed key");
    s.report("another report");
    let page = s.check_ok(&code);
    let sent = s.follow_up(&token_field(&page).unwrap(), "a real follow-up");
    assert_eq!(sent.status, 200, "{}", sent.text());
    // A follow-up after a code change is signed with the new code's key.
    let new_code = rotate(&s, &code);
    let page = s.check_ok(&new_code);
    let sent = s.follow_up(&token_field(&page).unwrap(), "after the new code");
    assert_eq!(sent.status, 200, "{}", sent.text());

    let m = mirror(&s);
    pull(&s, &m);
    let id = report_id_of(&s, "first report with a sealed key");
    let other = report_id_of(&s, "another report");

    // What a server with the centre's public key could add.
    inject_message(
        &m,
        &id,
        "reporter",
        &forged_document(
            &s,
            serde_json::json!({"version": 1, "kind": "follow_up", "lang": "en",
                "message": "forged by the server", "signature": "00".repeat(64)}),
        ),
    );
    // The real follow-up, moved to another report.
    let real = &s.messages(&id)[1]["id"];
    let real_file = report_dir(&m, &id)
        .join("messages")
        .join(format!("{}.age", real.as_str().unwrap()));
    inject_message(&m, &other, "reporter", &std::fs::read(real_file).unwrap());

    let read = s.desk(&["read", &id[..8], "--mirror", &m]);
    assert!(read.status.success(), "{}", stderr(&read));
    let read = stdout(&read);
    assert!(section_before(&read, "a real follow-up")
        .contains("verified: signed with the reporter's code"));
    assert!(section_before(&read, "after the new code")
        .contains("verified: signed with the reporter's code"));
    let forged = section_before(&read, "forged by the server");
    assert!(forged.contains("UNVERIFIED"), "{forged}");
    assert!(!forged.contains("verified: signed with the reporter's code"));

    let moved = stdout(&s.desk(&["read", &other[..8], "--mirror", &m]));
    assert!(
        section_before(&moved, "a real follow-up").contains("UNVERIFIED"),
        "{moved}"
    );
}

#[test]
fn follow_ups_of_a_report_made_before_signatures_show_as_unverified_without_failing() {
    let s = Server::start(&[]);
    let code = s.report("an old report");
    let page = s.check_ok(&code);
    s.follow_up(&token_field(&page).unwrap(), "an old follow-up");
    let m = mirror(&s);
    pull(&s, &m);
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    // The first document as the server wrote it before keys were sealed in it.
    let first = s.messages(&id)[0]["id"].as_str().unwrap().to_string();
    let legacy = forged_document(
        &s,
        serde_json::json!({"version": 1, "kind": "report", "lang": "en", "message": "an old report"}),
    );
    std::fs::write(
        report_dir(&m, &id)
            .join("messages")
            .join(format!("{first}.age")),
        legacy,
    )
    .unwrap();

    let read = s.desk(&["read", &id[..8], "--mirror", &m]);
    assert!(read.status.success(), "{}", stderr(&read));
    assert!(section_before(&stdout(&read), "an old follow-up")
        .contains("unverified (report predates signatures)"));

    // Its reply key comes from the server alone: only on request.
    let file = write_file(&s, "reply.txt", "Oud maar gelezen.\n");
    let refused = s.desk(&["reply", &id[..8], "--mirror", &m, "--file", &file]);
    assert_eq!(refused.status.code(), Some(8), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("--trust-server-key"));
    let sent = s.desk(&[
        "reply",
        &id[..8],
        "--mirror",
        &m,
        "--server",
        &s.url,
        "--file",
        &file,
        "--trust-server-key",
    ]);
    assert!(sent.status.success(), "{}", stderr(&sent));
    assert_eq!(replies(&s.check_ok(&code)), vec!["Oud maar gelezen."]);
}

#[test]
fn the_desk_refuses_to_reply_to_a_reporter_key_the_server_swapped() {
    let s = Server::start(&[]);
    let code = s.report("do not let the server read the replies");
    let m = mirror(&s);
    pull(&s, &m);
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let (_, attacker) = new_identity(&s, "attacker");
    let file = write_file(&s, "reply.txt", "Alleen voor de melder.\n");
    let report_json = report_dir(&m, &id).join("report.json");
    let original: Value = serde_json::from_slice(&std::fs::read(&report_json).unwrap()).unwrap();

    // A swapped recipient, and a swapped one with a statement the reporter's
    // key never signed.
    let mut swapped = original.clone();
    swapped["reporter_recipient"] = attacker.clone().into();
    let mut vouched = swapped.clone();
    vouched["recipient_chain"] = serde_json::json!([{
        "recipient": attacker,
        "verifying_key": "11".repeat(32),
        "signature": "22".repeat(64),
    }]);
    for lie in [swapped, vouched] {
        std::fs::write(&report_json, serde_json::to_vec(&lie).unwrap()).unwrap();
        let refused = s.desk(&[
            "reply",
            &id[..8],
            "--mirror",
            &m,
            "--server",
            &s.url,
            "--file",
            &file,
        ]);
        assert_eq!(refused.status.code(), Some(8), "{}", stderr(&refused));
        assert!(
            stderr(&refused).contains("cannot be traced"),
            "{}",
            stderr(&refused)
        );
        assert_eq!(outbox_files(&m), 0);
    }
    assert!(replies(&s.check_ok(&code)).is_empty());

    // The true recipient (pulled again) is traced and used.
    pull(&s, &m);
    let sent = s.desk(&[
        "reply",
        &id[..8],
        "--mirror",
        &m,
        "--server",
        &s.url,
        "--file",
        &file,
    ]);
    assert!(sent.status.success(), "{}", stderr(&sent));
    assert_eq!(replies(&s.check_ok(&code)), vec!["Alleen voor de melder."]);
}

/// A server whose reports go to the centre and a colleague's key, and a
/// trusted copy of both beside the mirror.
fn two_colleagues() -> (Server, PathBuf, String) {
    let mut s = Server::start(&[]);
    let (colleague, recipient) = new_identity(&s, "colleague");
    std::fs::write(s.keys.join("colleague.pub"), format!("{recipient}\n")).unwrap();
    s.restart();
    (s, colleague, recipient)
}

#[test]
fn a_reply_sent_by_one_colleague_is_readable_by_anothers_desk_read() {
    let (s, colleague, _) = two_colleagues();
    s.report("two staff members");
    let m = mirror(&s);
    pull(&s, &m);
    let trusted = Path::new(&m).join("keys");
    std::fs::create_dir(&trusted).unwrap();
    for f in ["centre.pub", "colleague.pub"] {
        std::fs::copy(s.keys.join(f), trusted.join(f)).unwrap();
    }
    let id = s.only_report()["id"].as_str().unwrap()[..8].to_string();
    let file = write_file(&s, "reply.txt", "Mijn collega leest dit ook.\n");
    let sent = s.desk(&[
        "reply", &id, "--mirror", &m, "--server", &s.url, "--file", &file,
    ]);
    assert!(sent.status.success(), "{}", stderr(&sent));
    assert!(!stderr(&sent).contains("warning"), "{}", stderr(&sent));

    let read = s.desk(&[
        "read",
        &id,
        "--mirror",
        &m,
        "--identity",
        colleague.to_str().unwrap(),
    ]);
    assert!(read.status.success(), "{}", stderr(&read));
    assert!(stdout(&read).contains("Mijn collega leest dit ook."));
}

#[test]
fn desk_pull_warns_when_the_servers_recipients_differ_from_the_trusted_copy_and_keeps_its_own() {
    let (s, _, colleague) = two_colleagues();
    s.report("whose keys");
    let listed = s.api_json("/recipients")["recipients"].clone();
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");

    let m = mirror(&s);
    let trusted = s.dir.path().join("trusted");
    std::fs::create_dir(&trusted).unwrap();
    std::fs::copy(s.keys.join("centre.pub"), trusted.join("centre.pub")).unwrap();
    let pulled = s.desk(&[
        "pull",
        "--server",
        &s.url,
        "--mirror",
        &m,
        "--keys",
        trusted.to_str().unwrap(),
    ]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    assert!(stderr(&pulled).contains(&colleague), "{}", stderr(&pulled));
    assert!(stderr(&pulled).contains("not in your trusted copy"));
    // Never adopted: the trusted copy is as it was, and the mirror got none.
    assert_eq!(std::fs::read_dir(&trusted).unwrap().count(), 1);
    assert!(!Path::new(&m).join("keys").exists());
}

/// A lying staff API on loopback: answers a GET of a path in `pages` with its
/// body, every POST with 409 (recording the body), anything else with 404.
/// Serves a bounded number of requests, then stops.
fn lying_server(pages: Vec<(String, Vec<u8>)>) -> (String, std::sync::mpsc::Receiver<Vec<u8>>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (bodies, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(50) {
            let Ok(mut stream) = stream else { break };
            stream
                .set_read_timeout(Some(std::time::Duration::from_secs(30)))
                .unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
            }
            let mut body = vec![0u8; length];
            let _ = reader.read_exact(&mut body);
            let mut parts = request_line.split_whitespace();
            let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let page = pages
                .iter()
                .find(|(p, _)| p == path)
                .map(|(_, b)| b.clone());
            let (status, answer) = match (method, page) {
                ("POST", _) => {
                    let _ = bodies.send(body);
                    (
                        "409 Conflict",
                        br#"{"error":"the reporter changed their code"}"#.to_vec(),
                    )
                }
                ("GET", Some(page)) => ("200 OK", page),
                _ => ("404 Not Found", br#"{"error":"not found"}"#.to_vec()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                answer.len()
            );
            let _ = stream.write_all(&answer);
        }
    });
    (url, received)
}

#[test]
fn a_server_that_answers_409_and_names_a_swapped_key_gets_no_reply_encrypted_to_that_key() {
    let s = Server::start(&[]);
    s.report("the server lies after the reply");
    let m = mirror(&s);
    pull(&s, &m);
    let (attacker_key, attacker) = new_identity(&s, "attacker");
    let mut report = s.only_report();
    report["reporter_recipient"] = attacker.into();
    let listing = serde_json::json!({ "reports": [report.clone()] }).to_string();
    let (fake, bodies) = lying_server(vec![("/api/v1/reports".into(), listing.into_bytes())]);

    let id = report["id"].as_str().unwrap()[..8].to_string();
    let file = write_file(&s, "reply.txt", "Alleen voor de melder.\n");
    let refused = s.desk(&[
        "reply", &id, "--mirror", &m, "--server", &fake, "--file", &file,
    ]);
    assert_eq!(refused.status.code(), Some(8), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("cannot be traced"),
        "{}",
        stderr(&refused)
    );
    // Everything the lying server got stays closed to its key.
    let sent: Vec<Vec<u8>> = bodies.try_iter().collect();
    assert_eq!(sent.len(), 1);
    for body in &sent {
        assert!(age_refuses(&attacker_key, body));
    }
}

#[test]
fn a_server_that_later_lists_another_first_document_cannot_redirect_replies() {
    let s = Server::start(&[]);
    let code = s.report("the true first document");
    let m = mirror(&s);
    pull(&s, &m);
    let (attacker_key, attacker) = new_identity(&s, "attacker");
    let mut report = s.only_report();
    let id = report["id"].as_str().unwrap().to_string();
    report["reporter_recipient"] = attacker.clone().into();

    // The lying server puts its own "first document" (its own keys) first.
    let forged_id = new_id();
    let forged = forged_document(
        &s,
        serde_json::json!({"version": 1, "kind": "report", "lang": "en",
            "message": "a forged first document", "reporter_recipient": attacker,
            "verifying_key": "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"}),
    );
    let mut messages = s.messages(&id);
    messages.insert(
        0,
        serde_json::json!({"id": forged_id, "author": "reporter", "received": "2026-11-29", "attachments": []}),
    );
    let pages = vec![
        (
            "/api/v1/reports".to_string(),
            serde_json::json!({ "reports": [report] })
                .to_string()
                .into_bytes(),
        ),
        (
            format!("/api/v1/reports/{id}/messages"),
            serde_json::json!({ "messages": messages })
                .to_string()
                .into_bytes(),
        ),
        (format!("/api/v1/reports/{id}/messages/{forged_id}"), forged),
    ];
    let (fake, bodies) = lying_server(pages);
    let pulled = s.desk(&["pull", "--server", &fake, "--mirror", &m]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));

    let read = stdout(&s.desk(&["read", &id[..8], "--mirror", &m]));
    assert!(
        section_before(&read, "a forged first document").contains("UNVERIFIED"),
        "{read}"
    );
    let file = write_file(&s, "reply.txt", "Alleen voor de melder.\n");
    let refused = s.desk(&[
        "reply",
        &id[..8],
        "--mirror",
        &m,
        "--server",
        &fake,
        "--file",
        &file,
    ]);
    assert_eq!(refused.status.code(), Some(8), "{}", stderr(&refused));
    assert!(bodies.try_iter().all(|b| age_refuses(&attacker_key, &b)));
    assert!(replies(&s.check_ok(&code)).is_empty());
}
