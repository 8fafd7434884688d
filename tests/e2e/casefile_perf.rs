//! The case file at scale and its audit trail's accuracy (issue 13): the
//! desk's one encrypted summary index, which a tampered or stale copy can
//! never fool, and the Reply event of a reply encrypted again after a 409.

use std::path::{Path, PathBuf};
use std::process::Output;

use tipline::desk::casefile::{event, index, signing, summary};
use tipline::ids::{EventId, MessageId, ReportId};

use crate::harness::*;

fn hex_sha256(bytes: &[u8]) -> String {
    hex::encode(<sha2::Sha256 as sha2::Digest>::digest(bytes))
}

/// Checks in with `code` and asks for a new code; returns the new code.
pub(crate) fn rotate(s: &Server, code: &str) -> String {
    let page = s.check_ok(code);
    let (status, rotated) = post_form(
        &format!("{}/check/rotate", s.url),
        &[("token", &token_field(&page).unwrap()), ("lang", "en")],
    );
    assert_eq!(status, 200, "{rotated}");
    receipt_code(&rotated).unwrap()
}

/// A signing key for `name` and a roster holding it: (key, team).
fn signing(s: &Server, name: &str) -> (PathBuf, PathBuf) {
    let (key, line) = keygen_signing(s.dir.path(), name);
    let team = s.dir.path().join("team.toml");
    std::fs::write(&team, format!("{line}\n")).unwrap();
    (key, team)
}

/// After `sent` (a reply or push the server refused once with 409): the desk
/// said the reporter changed code, the server holds one staff file, and the
/// Reply event in `desk log` names that file. Returns the log.
fn reply_event_names_the_file_sent(
    s: &Server,
    sent: &Output,
    mirror: &Path,
    id: &str,
    team: &str,
) -> String {
    assert!(sent.status.success(), "{}", stderr(sent));
    assert!(
        stderr(sent).contains("changed their code"),
        "{}",
        stderr(sent)
    );
    let files = staff_files(mirror, id);
    assert_eq!(files.len(), 1);
    let sent_sha = hex_sha256(&files[0]);
    let ms = mirror.to_str().unwrap();
    let log = s.desk(&["log", &id[..8], "--mirror", ms, "--team", team]);
    assert!(log.status.success(), "{}", stderr(&log));
    let log = stdout(&log);
    assert!(
        log.contains(&format!("reply (age file sha256 {})", &sent_sha[..16])),
        "the Reply event must name the file the server accepted ({}):\n{log}",
        &sent_sha[..16]
    );
    log
}

/// The age files of the staff messages of `report` in the mirror.
fn staff_files(mirror: &Path, report: &str) -> Vec<Vec<u8>> {
    let dir = mirror.join("reports").join(report);
    let list: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("messages.json")).unwrap()).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .filter(|m| m["author"] == "staff")
        .map(|m| {
            let id = m["id"].as_str().unwrap();
            std::fs::read(dir.join("messages").join(format!("{id}.age"))).unwrap()
        })
        .collect()
}

#[test]
fn a_reply_encrypted_again_after_a_409_names_the_file_actually_sent_in_its_case_event() {
    let s = Server::start(&[]);
    let code = s.report("een melding met een nieuwe code");
    let m = s.dir.path().join("mirror");
    let ms = m.to_str().unwrap();
    let pulled = s.desk(&["pull", "--server", &s.url, "--mirror", ms]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let (key, team) = signing(&s, "alice");
    // The reporter changes code after the pull: the desk's first file goes to
    // the stale key, the server answers 409, the desk encrypts again.
    rotate(&s, &code);
    let reply = s.dir.path().join("reply.txt");
    std::fs::write(&reply, "Dank je, we lezen mee.\n").unwrap();
    let case = [
        "--as",
        "alice",
        "--signing-key",
        key.to_str().unwrap(),
        "--team",
        team.to_str().unwrap(),
    ];
    let mut args = vec![
        "reply",
        &id[..8],
        "--mirror",
        ms,
        "--server",
        &s.url,
        "--file",
        reply.to_str().unwrap(),
    ];
    args.extend(case);
    let sent = s.desk(&args);
    reply_event_names_the_file_sent(&s, &sent, &m, &id, team.to_str().unwrap());
}

#[test]
fn a_reply_queued_offline_and_encrypted_again_on_push_is_named_by_the_file_sent_and_the_chain_holds(
) {
    let s = Server::start(&[]);
    let code = s.report("een melding uit de wachtrij");
    let m = s.dir.path().join("mirror");
    let ms = m.to_str().unwrap();
    let pulled = s.desk(&["pull", "--server", &s.url, "--mirror", ms]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let (key, team) = signing(&s, "alice");
    let (key, team) = (key.to_str().unwrap(), team.to_str().unwrap());
    let case = ["--as", "alice", "--signing-key", key, "--team", team];
    let reply = s.dir.path().join("reply.txt");
    std::fs::write(&reply, "We lezen je melding.\n").unwrap();
    // Offline: the reply and its Reply event wait in the outbox; reading
    // queues "seen", which names the Reply event.
    let mut args = vec![
        "reply",
        &id[..8],
        "--mirror",
        ms,
        "--file",
        reply.to_str().unwrap(),
    ];
    args.extend(case);
    let queued = s.desk(&args);
    assert!(queued.status.success(), "{}", stderr(&queued));
    let mut args = vec!["read", &id[..8], "--mirror", ms];
    args.extend(case);
    let read = s.desk(&args);
    assert!(read.status.success(), "{}", stderr(&read));
    rotate(&s, &code);

    let mut args = vec!["push", "--server", &s.url, "--mirror", ms];
    args.extend(case);
    let pushed = s.desk(&args);
    let log = reply_event_names_the_file_sent(&s, &pushed, &m, &id, team);
    assert!(log.contains("seen"), "{log}");
    assert!(!log.contains("UNVERIFIED") && !log.contains("GAP"), "{log}");
}

fn seal(plain: &[u8], recipient: &age::x25519::Recipient) -> Vec<u8> {
    tipline::envelope::seal(plain, std::iter::once(recipient as &dyn age::Recipient)).unwrap()
}

/// Writes one report into `mirror` as `desk pull` would have left it: its
/// first message and a chain of signed tag events by alice, one per tag.
/// Returns the report and the name of its last event (empty without one).
pub(crate) fn write_report(
    mirror: &Path,
    recipient: &age::x25519::Recipient,
    alice: &signing::SigningIdentity,
    tags: &[String],
) -> (ReportId, String) {
    let id = ReportId::generate();
    let dir = mirror.join("reports").join(id.to_string());
    std::fs::create_dir_all(dir.join("messages")).unwrap();
    let mid = MessageId::generate();
    let doc = serde_json::json!({
        "version": 1, "kind": "report", "lang": "nl",
        "message": format!("melding {id}"), "answers": {}, "attachments": []
    });
    let plain = tipline::envelope::pad(serde_json::to_vec(&doc).unwrap());
    std::fs::write(
        dir.join("messages").join(format!("{mid}.age")),
        seal(&plain, recipient),
    )
    .unwrap();
    std::fs::write(
        dir.join("messages.json"),
        serde_json::json!([{"id": mid, "author": "reporter", "received": "2026-11-23", "attachments": []}]).to_string(),
    )
    .unwrap();
    let mut head = String::new();
    for (seq, tag) in (1..).zip(tags) {
        head = append_tag(mirror, recipient, alice, id, seq, head, tag);
    }
    std::fs::write(
        dir.join("report.json"),
        serde_json::json!({"id": id, "reporter_recipient": recipient.to_string(), "status": "received", "received": "2026-11-23"}).to_string(),
    )
    .unwrap();
    (id, head)
}

/// Adds one signed tag event (alice's `seq`-th, having seen `head`) to a
/// report's pulled events; returns its name.
pub(crate) fn append_tag(
    mirror: &Path,
    recipient: &age::x25519::Recipient,
    alice: &signing::SigningIdentity,
    report: ReportId,
    seq: u64,
    head: String,
    tag: &str,
) -> String {
    let dir = mirror.join("reports").join(report.to_string());
    std::fs::create_dir_all(dir.join("events")).unwrap();
    let e = event::Event {
        v: event::VERSION,
        report,
        author: "alice".into(),
        day: "2026-11-23".into(),
        seq,
        seen: if head.is_empty() { vec![] } else { vec![head] },
        action: event::Action::Tag {
            tags: vec![tag.to_string()],
            remove: false,
        },
    };
    let (plain, hash) = event::sign(&e, alice).unwrap();
    let eid = EventId::generate();
    std::fs::write(
        dir.join("events").join(format!("{eid}.age")),
        seal(&plain, recipient),
    )
    .unwrap();
    let list = dir.join("events.json");
    let mut listed: Vec<serde_json::Value> = std::fs::read(&list)
        .map(|b| serde_json::from_slice(&b).unwrap())
        .unwrap_or_default();
    listed.push(serde_json::json!({"id": eid, "posted_by": "alice", "received": "2026-11-23"}));
    std::fs::write(&list, serde_json::Value::from(listed).to_string()).unwrap();
    hash
}

/// A mirror written directly, as `desk pull` leaves it, with one centre key
/// and one signing key (alice) in the roster.
struct Written {
    dir: tempfile::TempDir,
    key: PathBuf,
    team: PathBuf,
    recipient: age::x25519::Recipient,
    alice: signing::SigningIdentity,
}

impl Written {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("centre.key");
        let recipient = last_line(&tipline(&["keygen", "--out", key.to_str().unwrap()]))
            .parse()
            .unwrap();
        let alice = signing::SigningIdentity::generate("alice").unwrap();
        let team = dir.path().join("team.toml");
        std::fs::write(&team, alice.roster_line()).unwrap();
        Self {
            dir,
            key,
            team,
            recipient,
            alice,
        }
    }

    fn mirror(&self) -> PathBuf {
        self.dir.path().join("mirror")
    }

    fn report(&self, tags: &[&str]) -> (ReportId, String) {
        let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        write_report(&self.mirror(), &self.recipient, &self.alice, &tags)
    }

    /// `desk list` with the roster, as alice; its stdout.
    fn list(&self) -> String {
        let out = tipline(&[
            "desk",
            "list",
            "--mirror",
            self.mirror().to_str().unwrap(),
            "--identity",
            self.key.to_str().unwrap(),
            "--team",
            self.team.to_str().unwrap(),
            "--as",
            "alice",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    }

    fn index(&self) -> PathBuf {
        self.mirror().join(index::FILE)
    }
}

/// The list row of `report`.
fn row(list: &str, report: ReportId) -> &str {
    let short = &report.to_string()[..8];
    list.lines()
        .find(|l| l.starts_with(short))
        .unwrap_or_else(|| panic!("no row for {short}:\n{list}"))
}

#[test]
fn the_summary_index_is_one_encrypted_file_and_no_tag_reaches_the_mirror_in_clear() {
    let w = Written::new();
    let reports: Vec<_> = (0..3)
        .map(|i| w.report(&[&format!("geheimetag{i}")]).0)
        .collect();
    let list = w.list();
    for (i, r) in reports.iter().enumerate() {
        assert!(row(&list, *r).contains(&format!("geheimetag{i}")), "{list}");
    }
    let index = std::fs::read(w.index()).unwrap();
    assert!(index.starts_with(b"age-encryption.org/"));
    for file in files_under(&w.mirror()) {
        assert_ne!(file.file_name().unwrap(), "casefile.age");
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !bytes.windows(10).any(|w| w == b"geheimetag"),
            "{} holds a tag in clear",
            file.display()
        );
    }
}

#[test]
fn a_damaged_or_forged_summary_index_is_rebuilt_never_trusted_and_never_an_error() {
    let w = Written::new();
    let (a, _) = w.report(&["echt"]);
    w.list();

    // Damaged: not an age file at all.
    std::fs::write(w.index(), b"not an age file").unwrap();
    assert!(row(&w.list(), a).contains("echt"));

    // Forged: encrypted to the centre's public recipient (which the server
    // and whoever carries the mirror know), with the right entry key, a
    // summary that hides the real tag, and a MAC under a guessed key.
    let roster = signing::Roster::parse(&w.alice.roster_line()).unwrap();
    let listed = std::fs::read(
        w.mirror()
            .join("reports")
            .join(a.to_string())
            .join("events.json"),
    )
    .unwrap();
    let forged = summary::Summary {
        tags: ["vervalst".to_string()].into(),
        ..Default::default()
    };
    let body = serde_json::to_vec(&serde_json::json!({
        a.to_string(): {"key": index::entry_key(&roster, a, &listed), "summary": forged}
    }))
    .unwrap();
    let mut mac = <hmac::Hmac<sha2::Sha256> as hmac::Mac>::new_from_slice(&[7u8; 32]).unwrap();
    hmac::Mac::update(&mut mac, b"tipline case summary index v1\0");
    hmac::Mac::update(&mut mac, &body);
    let mut plain = hex::encode(hmac::Mac::finalize(mac).into_bytes()).into_bytes();
    plain.push(b'\n');
    plain.extend_from_slice(&body);
    let sealed =
        tipline::envelope::seal(&plain, std::iter::once(&w.recipient as &dyn age::Recipient))
            .unwrap();
    std::fs::write(w.index(), &sealed).unwrap();
    let list = w.list();
    assert!(row(&list, a).contains("echt"), "{list}");
    assert!(!list.contains("vervalst"), "{list}");
    assert_ne!(std::fs::read(w.index()).unwrap(), sealed, "rebuilt");
}

#[test]
fn a_new_event_rebuilds_only_its_reports_summary() {
    let w = Written::new();
    let (a, head) = w.report(&["eerste"]);
    let (b, _) = w.report(&["tweede"]);
    w.list();
    // B's events vanish from the disk: a rebuild would show B without its
    // tag, the cached summary still has it.
    let b_events = w
        .mirror()
        .join("reports")
        .join(b.to_string())
        .join("events");
    std::fs::remove_dir_all(&b_events).unwrap();
    append_tag(&w.mirror(), &w.recipient, &w.alice, a, 2, head, "nieuw");
    let list = w.list();
    assert!(row(&list, a).contains("eerste,nieuw"), "{list}");
    assert!(row(&list, b).contains("tweede"), "{list}");
}

#[test]
fn purging_quarantined_reports_drops_the_summary_index_so_no_summary_outlives_them() {
    let w = Written::new();
    let (gone, _) = w.report(&["weg"]);
    let (kept, _) = w.report(&["blijft"]);
    w.list();
    assert!(w.index().is_file());
    // What `desk pull` does when the server stops listing a report.
    let quarantine = w.mirror().join("quarantine");
    std::fs::create_dir_all(&quarantine).unwrap();
    std::fs::rename(
        w.mirror().join("reports").join(gone.to_string()),
        quarantine.join(gone.to_string()),
    )
    .unwrap();
    std::fs::write(
        quarantine.join(gone.to_string()).join("quarantined.json"),
        r#"{"since": "2026-11-29", "reason": "not listed"}"#,
    )
    .unwrap();
    let purged = tipline(&[
        "desk",
        "quarantine",
        "purge",
        "--mirror",
        w.mirror().to_str().unwrap(),
    ]);
    assert!(purged.status.success(), "{}", stderr(&purged));
    assert!(
        !w.index().exists(),
        "the index must not keep the purged report's summary"
    );
    let list = w.list();
    assert!(row(&list, kept).contains("blijft"), "{list}");
    assert!(w.index().is_file(), "rebuilt by the next list");
}
