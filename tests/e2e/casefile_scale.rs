//! How `desk list` scales with a case file: a generator that writes a mirror
//! directly (N reports, each with its report and 5 signed events), then times
//! `desk list` with and without the case file. Ignored in the normal suite
//! (it takes minutes); run it with
//! `cargo test --test e2e casefile_scale -- --ignored --nocapture`
//! (`TIPLINE_SCALE_REPORTS`, default 10,000). The figures are in BENCHMARKS.md.

use std::path::Path;
use std::time::Instant;

use tipline::desk::casefile::{event, signing};
use tipline::ids::{EventId, MessageId, ReportId};

use crate::harness::*;

fn seal(plain: &[u8], recipient: &age::x25519::Recipient) -> Vec<u8> {
    tipline::envelope::seal(plain, std::iter::once(recipient as &dyn age::Recipient)).unwrap()
}

/// Writes `n` reports, each with `events` signed tag events, as `desk pull`
/// would have left them.
fn generate(
    mirror: &Path,
    recipient: &age::x25519::Recipient,
    alice: &signing::SigningIdentity,
    n: usize,
    events: u64,
) {
    for i in 0..n {
        let id = ReportId::generate();
        let dir = mirror.join("reports").join(id.to_string());
        std::fs::create_dir_all(dir.join("messages")).unwrap();
        std::fs::create_dir_all(dir.join("events")).unwrap();
        let mid = MessageId::generate();
        let doc = serde_json::json!({
            "version": 1, "kind": "report", "lang": "nl",
            "message": format!("melding {i}"), "answers": {}, "attachments": []
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
        let mut listed = Vec::new();
        let mut seen = Vec::new();
        for seq in 1..=events {
            let e = event::Event {
                v: event::VERSION,
                report: id,
                author: "alice".into(),
                day: "2026-11-23".into(),
                seq,
                seen: seen.clone(),
                action: event::Action::Tag {
                    tags: vec![format!("tag{seq}")],
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
            listed.push(
                serde_json::json!({"id": eid, "posted_by": "alice", "received": "2026-11-23"}),
            );
            seen = vec![hash];
        }
        std::fs::write(
            dir.join("events.json"),
            serde_json::Value::from(listed).to_string(),
        )
        .unwrap();
        std::fs::write(
            dir.join("report.json"),
            serde_json::json!({"id": id, "reporter_recipient": recipient.to_string(), "status": "received", "received": "2026-11-23"}).to_string(),
        )
        .unwrap();
    }
}

fn timed_list(args: &[&str]) -> f64 {
    let t = Instant::now();
    let out = tipline(args);
    assert!(out.status.success(), "{}", stderr(&out));
    t.elapsed().as_secs_f64()
}

#[test]
#[ignore = "minutes: run by hand for BENCHMARKS.md"]
fn desk_list_over_ten_thousand_reports_with_five_events_each_stays_interactive() {
    let n: usize = std::env::var("TIPLINE_SCALE_REPORTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("centre.key");
    let recipient: age::x25519::Recipient =
        last_line(&tipline(&["keygen", "--out", key.to_str().unwrap()]))
            .parse()
            .unwrap();
    let alice = signing::SigningIdentity::generate("alice").unwrap();
    let team = dir.path().join("team.toml");
    std::fs::write(&team, alice.roster_line()).unwrap();
    let with = dir.path().join("with-events");
    let without = dir.path().join("without-events");
    generate(&with, &recipient, &alice, n, 5);
    generate(&without, &recipient, &alice, n, 0);
    let (k, t) = (key.to_str().unwrap(), team.to_str().unwrap());
    let plain = timed_list(&[
        "desk",
        "list",
        "--mirror",
        without.to_str().unwrap(),
        "--identity",
        k,
    ]);
    let cased = timed_list(&[
        "desk",
        "list",
        "--mirror",
        with.to_str().unwrap(),
        "--identity",
        k,
        "--team",
        t,
        "--as",
        "alice",
    ]);
    let again = timed_list(&[
        "desk",
        "list",
        "--mirror",
        with.to_str().unwrap(),
        "--identity",
        k,
        "--team",
        t,
        "--as",
        "alice",
    ]);
    let filtered = timed_list(&[
        "desk",
        "list",
        "--mirror",
        with.to_str().unwrap(),
        "--identity",
        k,
        "--team",
        t,
        "--as",
        "alice",
        "--tag",
        "tag3",
        "--unseen",
    ]);
    println!("desk list, {n} reports without events: {plain:.1} s");
    println!("desk list, {n} reports x 5 events, first run (decrypt, verify, fold, write the encrypted summary cache): {cased:.1} s");
    println!("desk list, same mirror, later runs (one cached summary per report): {again:.1} s");
    println!("desk list --tag --unseen, same mirror: {filtered:.1} s");
}
