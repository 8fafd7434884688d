//! Post-quantum hybrid centre keys (`mlkem768x25519`, issue 16): what is stored,
//! who reads it (the desk, the reference JavaScript age), replies, a mix of key
//! kinds refused, and the reporter key upgrade at check-in.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::harness::*;

fn interop_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop")
}

/// Runs the reference JavaScript age (`tests/interop/age.mjs ARGS`) on `input`.
fn js_age(args: &[&str], input: &[u8]) -> Vec<u8> {
    assert!(
        interop_dir().join("node_modules/age-encryption").is_dir(),
        "tests/interop/node_modules is missing: run scripts/test (it runs npm ci there)"
    );
    let mut child = Command::new("node")
        .arg(interop_dir().join("age.mjs"))
        .args(args)
        .current_dir(interop_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs (scripts/test installs it)");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "reference JS age {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Writes a hybrid identity with `tipline keygen --pq`; returns its recipient.
fn keygen_pq(path: &Path) -> String {
    let out = tipline(&["keygen", "--pq", "--out", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let recipient = last_line(&out);
    assert!(recipient.starts_with("age1pq1"), "{recipient}");
    recipient
}

/// Switches a server to a new hybrid centre key and restarts it. With
/// `keep_old`, the desk's identity file holds the old classical identity too.
fn switch_to_hybrid(s: &mut Server, keep_old: bool) {
    s.kill();
    let new_identity = s.dir.path().join("centre-pq.key");
    let recipient = keygen_pq(&new_identity);
    std::fs::write(
        s.keys.join("centre.pub"),
        format!("# post-quantum\n{recipient}\n"),
    )
    .unwrap();
    s.identity = if keep_old {
        let both = s.dir.path().join("centre-both.key");
        let text = std::fs::read_to_string(&s.identity).unwrap()
            + &std::fs::read_to_string(&new_identity).unwrap();
        std::fs::write(&both, text).unwrap();
        both
    } else {
        new_identity
    };
    s.centre_recipient = recipient;
    s.start_again();
}

fn hybrid_server() -> Server {
    let mut s = Server::start(&[]);
    switch_to_hybrid(&mut s, false);
    s
}

/// The stanza types in an age file's header that can carry a file key: age also
/// writes a random "grease" stanza (`...-grease`) to keep parsers lenient.
fn stanza_tags(age_file: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(age_file);
    let header = &text[..text.find("\n---").expect("an age header")];
    header
        .lines()
        .filter_map(|l| l.strip_prefix("-> "))
        .map(|l| l.split(' ').next().unwrap_or_default().to_string())
        .filter(|tag| !tag.ends_with("-grease"))
        .collect()
}

fn mirror(s: &Server) -> String {
    s.dir.path().join("mirror").to_str().unwrap().to_string()
}

/// Pulls into the mirror and reads the only report with the desk.
fn desk_read(s: &Server) -> String {
    let m = mirror(s);
    let pulled = s.desk(&["pull", "--server", &s.url, "--mirror", &m]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    let id = s.only_report()["id"].as_str().unwrap()[..8].to_string();
    let read = s.desk(&["read", &id, "--mirror", &m]);
    assert!(read.status.success(), "{}", stderr(&read));
    stdout(&read)
}

#[test]
fn a_hybrid_centre_key_stores_reports_and_attachments_with_only_mlkem768x25519_stanzas() {
    let s = hybrid_server();
    let photo: &[u8] = b"\x89PNG\r\n\x1a\nnot really a picture of the house";
    let resp = s.post_report(
        "Het meisje van hiernaast mag niet naar buiten",
        &[("huis.png", "image/png", photo)],
    );
    assert_eq!(resp.status, 200, "{}", resp.text());
    let report = s.only_report();
    let id = report["id"].as_str().unwrap();
    assert!(report["reporter_recipient"]
        .as_str()
        .unwrap()
        .starts_with("age1pq1"));
    let first = &s.messages(id)[0];
    let mid = first["id"].as_str().unwrap();
    let aid = first["attachments"][0]["id"].as_str().unwrap();
    let message = api_bytes(&s, &format!("/reports/{id}/messages/{mid}"));
    let attachment = api_bytes(&s, &format!("/reports/{id}/attachments/{aid}"));
    assert_eq!(stanza_tags(&message), vec!["mlkem768x25519"]);
    assert_eq!(stanza_tags(&attachment), vec!["mlkem768x25519"]);

    // The reference JavaScript age reads both with the `keygen --pq` identity.
    let identity = s.identity.to_str().unwrap();
    let plain = js_age(&["decrypt", identity], &message);
    let json: serde_json::Value =
        serde_json::from_str(String::from_utf8(plain).unwrap().trim_end()).unwrap();
    assert_eq!(
        json["message"],
        "Het meisje van hiernaast mag niet naar buiten"
    );
    assert_eq!(js_age(&["decrypt", identity], &attachment), photo);

    // And so does the desk.
    assert!(desk_read(&s).contains("Het meisje van hiernaast mag niet naar buiten"));
}

#[test]
fn a_desk_reply_to_a_hybrid_reporter_key_reaches_the_reporter_and_stays_hybrid() {
    let s = hybrid_server();
    let code = s.report("Mijn broer moet voor iemand werken en krijgt geen geld");
    desk_read(&s);
    let id = s.only_report()["id"].as_str().unwrap()[..8].to_string();
    let mut reply = Command::new(bin())
        .args([
            "desk",
            "reply",
            &id,
            "--mirror",
            &mirror(&s),
            "--server",
            &s.url,
        ])
        .env("TIPLINE_TOKEN", &s.token)
        .env("TIPLINE_IDENTITY", &s.identity)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    reply
        .stdin
        .take()
        .unwrap()
        .write_all(b"Dank je, we helpen je broer.")
        .unwrap();
    let reply = reply.wait_with_output().unwrap();
    assert!(reply.status.success(), "{}", stderr(&reply));

    assert_eq!(
        replies(&s.check_ok(&code)),
        vec!["Dank je, we helpen je broer."]
    );
    let report = s.only_report();
    let rid = report["id"].as_str().unwrap();
    let staff = s.messages(rid)[1]["id"].as_str().unwrap().to_string();
    let stored = api_bytes(&s, &format!("/reports/{rid}/messages/{staff}"));
    assert_eq!(
        stanza_tags(&stored),
        vec!["mlkem768x25519", "mlkem768x25519"]
    );
}

#[test]
fn a_reply_the_reference_javascript_age_encrypted_reaches_the_reporter_and_the_desk() {
    let s = hybrid_server();
    let code = s.report("Er slapen tien mensen in een garage");
    let report = s.only_report();
    let id = report["id"].as_str().unwrap();
    let reporter = report["reporter_recipient"].as_str().unwrap();
    let sealed = js_age(
        &["encrypt", reporter, &s.centre_recipient],
        b"We nemen contact op met de inspectie.",
    );
    assert_eq!(s.post_reply(id, &sealed).status, 201);
    assert_eq!(
        replies(&s.check_ok(&code)),
        vec!["We nemen contact op met de inspectie."]
    );
    assert!(desk_read(&s).contains("We nemen contact op met de inspectie."));
}

#[test]
fn a_mix_of_hybrid_and_classical_centre_keys_is_refused_at_start_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    let classical = last_line(&tipline(&[
        "keygen",
        "--out",
        dir.path().join("old.key").to_str().unwrap(),
    ]));
    let hybrid = keygen_pq(&dir.path().join("new.key"));
    std::fs::write(keys.join("old.pub"), format!("{classical}\n")).unwrap();
    std::fs::write(keys.join("new.pub"), format!("{hybrid}\n")).unwrap();
    let out = tipline(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--data",
        dir.path().join("data").to_str().unwrap(),
        "--keys",
        keys.to_str().unwrap(),
    ]);
    let line = assert_fails_with_one_line(&out);
    assert!(line.contains("mixes 1 hybrid"), "{line}");
    assert!(line.contains("--allow-classical-recipients"), "{line}");
}

#[test]
fn allowing_classical_recipients_starts_a_mixed_centre_classical_only_with_a_warning() {
    let mut s = Server::start(&["--allow-classical-recipients"]);
    s.kill();
    let hybrid = keygen_pq(&s.dir.path().join("new.key"));
    std::fs::write(s.keys.join("new.pub"), format!("{hybrid}\n")).unwrap();
    s.start_again();
    assert!(
        s.log_text().contains("NOT post-quantum"),
        "{}",
        s.log_text()
    );
    s.report("Klassiek versleuteld");
    let report = s.only_report();
    let id = report["id"].as_str().unwrap();
    assert!(!report["reporter_recipient"]
        .as_str()
        .unwrap()
        .starts_with("age1pq1"));
    let mid = s.messages(id)[0]["id"].as_str().unwrap().to_string();
    let message = api_bytes(&s, &format!("/reports/{id}/messages/{mid}"));
    assert_eq!(stanza_tags(&message), vec!["X25519"]);
}

#[test]
fn a_report_made_before_the_switch_gets_a_hybrid_reporter_key_at_its_next_check_in() {
    let mut s = Server::start(&[]);
    let code = s.report("Ik werd gedwongen om pakketjes te bezorgen");
    let report = s.only_report();
    let id = report["id"].as_str().unwrap().to_string();
    let old_key = report["reporter_recipient"].as_str().unwrap().to_string();
    assert!(!old_key.starts_with("age1pq1"));
    assert_eq!(
        s.reply_with_age(&id, &old_key, "Bedankt, we kijken ernaar.")
            .status,
        201
    );

    switch_to_hybrid(&mut s, true);
    // Before the check-in the report still has its classical key.
    assert_eq!(s.only_report()["reporter_recipient"], old_key.as_str());
    assert_eq!(
        replies(&s.check_ok(&code)),
        vec!["Bedankt, we kijken ernaar."]
    );
    let new_key = s.only_report()["reporter_recipient"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(new_key.starts_with("age1pq1"), "{new_key}");
    let staff = s.messages(&id)[1]["id"].as_str().unwrap().to_string();
    let stored = api_bytes(&s, &format!("/reports/{id}/messages/{staff}"));
    assert_eq!(
        stanza_tags(&stored),
        vec!["mlkem768x25519", "mlkem768x25519"]
    );
    // The reply still reaches the reporter, and the desk (holding the old and the
    // new identity) reads the old report and the re-encrypted reply.
    assert_eq!(
        replies(&s.check_ok(&code)),
        vec!["Bedankt, we kijken ernaar."]
    );
    let read = desk_read(&s);
    assert!(read.contains("Ik werd gedwongen om pakketjes te bezorgen"));
    assert!(read.contains("Bedankt, we kijken ernaar."));
}

#[test]
fn a_passphrase_protected_hybrid_identity_from_keygen_pq_reads_at_the_desk() {
    let mut s = Server::start(&[]);
    s.kill();
    let pass = s.dir.path().join("pass");
    std::fs::write(&pass, "een lange zin over fietsen\n").unwrap();
    let key = s.dir.path().join("centre-pq.key");
    let made = tipline_with(
        &[
            "keygen",
            "--pq",
            "--passphrase",
            "--out",
            key.to_str().unwrap(),
        ],
        &[("TIPLINE_PASSPHRASE_FILE", pass.to_str().unwrap())],
        "",
    );
    assert!(made.status.success(), "{}", stderr(&made));
    let recipient = last_line(&made);
    assert!(recipient.starts_with("age1pq1"), "{recipient}");
    let text = std::fs::read_to_string(&key).unwrap();
    assert!(text.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));
    assert!(!text.contains("AGE-SECRET-KEY"));
    std::fs::write(s.keys.join("centre.pub"), format!("{recipient}\n")).unwrap();
    s.start_again();
    s.report("achter slot en grendel");

    let m = mirror(&s);
    assert!(s
        .desk(&["pull", "--server", &s.url, "--mirror", &m])
        .status
        .success());
    let id = s.only_report()["id"].as_str().unwrap()[..8].to_string();
    let read = tipline_with(
        &[
            "desk",
            "read",
            &id,
            "--mirror",
            &m,
            "--identity",
            key.to_str().unwrap(),
        ],
        &[("TIPLINE_PASSPHRASE_FILE", pass.to_str().unwrap())],
        "",
    );
    assert!(read.status.success(), "{}", stderr(&read));
    assert!(stdout(&read).contains("achter slot en grendel"));
}

#[test]
fn a_code_change_on_a_hybrid_centre_keeps_the_reporter_key_hybrid_and_the_replies_readable() {
    let s = hybrid_server();
    let code = s.report("Ze nemen mijn paspoort af");
    let report = s.only_report();
    let id = report["id"].as_str().unwrap().to_string();
    let reporter = report["reporter_recipient"].as_str().unwrap().to_string();
    let sealed = js_age(
        &["encrypt", &reporter, &s.centre_recipient],
        b"Je bent niet alleen.",
    );
    assert_eq!(s.post_reply(&id, &sealed).status, 201);
    let page = s.check_ok(&code);
    let token = token_field(&page).expect("a check-in token");
    let resp = s.post_form("/check/rotate", &[("token", &token), ("lang", "en")]);
    assert_eq!(resp.status, 200, "{}", resp.text());
    let new_code = receipt_code(&resp.text()).expect("a new code");
    let new_key = s.only_report()["reporter_recipient"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(new_key.starts_with("age1pq1") && new_key != reporter);
    assert_eq!(
        replies(&s.check_ok(&new_code)),
        vec!["Je bent niet alleen."]
    );
}

/// `desk reply ID` with `text` on stdin (after a pull); returns the output.
fn desk_reply(s: &Server, text: &str) -> std::process::Output {
    let m = mirror(s);
    let pulled = s.desk(&["pull", "--server", &s.url, "--mirror", &m]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    let id = s.only_report()["id"].as_str().unwrap()[..8].to_string();
    let mut reply = Command::new(bin())
        .args(["desk", "reply", &id, "--mirror", &m, "--server", &s.url])
        .env("TIPLINE_TOKEN", &s.token)
        .env("TIPLINE_IDENTITY", &s.identity)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    reply
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    reply.wait_with_output().unwrap()
}

#[test]
fn the_hybrid_key_an_old_report_gets_at_check_in_is_vouched_for_so_the_desk_replies_to_it() {
    // Arrange: a classical report, then the centre switches to hybrid keys.
    let mut s = Server::start(&[]);
    let code = s.report("Mijn baas houdt mijn loon in");
    switch_to_hybrid(&mut s, true);

    // Act: the check-in upgrades the reporter key; the desk replies.
    replies(&s.check_ok(&code));
    let report = s.only_report();
    let new_key = report["reporter_recipient"].as_str().unwrap().to_string();
    assert!(new_key.starts_with("age1pq1"), "{new_key}");
    let reply = desk_reply(&s, "We bellen je terug.");

    // Assert: one statement signed with the code's key names the hybrid key, the
    // desk traced it, and the reply is hybrid and reaches the reporter.
    let chain = report["recipient_chain"].as_array().unwrap();
    assert_eq!(chain.len(), 1, "{report}");
    assert_eq!(chain[0]["recipient"], new_key.as_str());
    assert!(reply.status.success(), "{}", stderr(&reply));
    let id = report["id"].as_str().unwrap();
    let staff = s.messages(id)[1]["id"].as_str().unwrap().to_string();
    let stored = api_bytes(&s, &format!("/reports/{id}/messages/{staff}"));
    assert!(stanza_tags(&stored).iter().all(|t| t == "mlkem768x25519"));
    assert_eq!(replies(&s.check_ok(&code)), vec!["We bellen je terug."]);
}

#[test]
fn the_desk_follows_a_code_change_on_a_hybrid_centre_through_the_age1pq1_chain() {
    // Arrange: a hybrid report whose reporter changed their code.
    let s = hybrid_server();
    let code = s.report("Ze slapen met z'n twaalven in een schuur");
    let page = s.check_ok(&code);
    let token = token_field(&page).expect("a check-in token");
    let resp = s.post_form("/check/rotate", &[("token", &token), ("lang", "en")]);
    assert_eq!(resp.status, 200, "{}", resp.text());
    let new_code = receipt_code(&resp.text()).expect("a new code");

    // Act
    let reply = desk_reply(&s, "Dank voor je bericht.");

    // Assert
    assert!(reply.status.success(), "{}", stderr(&reply));
    let report = s.only_report();
    assert!(report["recipient_chain"][0]["recipient"]
        .as_str()
        .unwrap()
        .starts_with("age1pq1"));
    assert_eq!(
        replies(&s.check_ok(&new_code)),
        vec!["Dank voor je bericht."]
    );
}

#[test]
fn a_hangup_that_would_mix_hybrid_and_classical_keys_keeps_the_old_set_and_says_why() {
    // Arrange
    let s = hybrid_server();
    let other = s.dir.path().join("classical.key");
    let classical = last_line(&tipline(&["keygen", "--out", other.to_str().unwrap()]));
    assert!(classical.starts_with("age1") && !classical.starts_with("age1pq1"));
    std::fs::write(s.keys.join("old.pub"), format!("{classical}\n")).unwrap();

    // Act
    let before = s.log_text().matches("reload failed").count();
    assert!(Command::new("kill")
        .args(["-HUP", &s.pid().to_string()])
        .status()
        .unwrap()
        .success());
    assert!(
        eventually(std::time::Duration::from_secs(20), || s
            .log_text()
            .matches("reload failed")
            .count()
            > before),
        "{}",
        s.log_text()
    );

    // Assert: the log says why, and new reports are still hybrid only.
    assert!(s.log_text().contains("mixes"), "{}", s.log_text());
    s.report("na de ophanging");
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let mid = s.messages(&id)[0]["id"].as_str().unwrap().to_string();
    let stored = api_bytes(&s, &format!("/reports/{id}/messages/{mid}"));
    assert_eq!(stanza_tags(&stored), vec!["mlkem768x25519"]);
}
