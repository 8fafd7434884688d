//! The case file (issue 13): signed, encrypted staff events that two
//! workstations share through the server, which can neither read nor forge
//! them, and whose dropping or forging `desk log` and `desk read` catch.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::harness::*;

/// One staff member's workstation: their own mirror, token and signing key.
struct Desk {
    name: String,
    mirror: PathBuf,
    token: String,
    key: PathBuf,
    team: PathBuf,
    identity: PathBuf,
    server: String,
}

impl Desk {
    fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, "")
    }

    fn run_with(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = Command::new(bin())
            .arg("desk")
            .args(args)
            .env("TIPLINE_TOKEN", &self.token)
            .env("TIPLINE_IDENTITY", &self.identity)
            .env("TIPLINE_MIRROR", &self.mirror)
            .env("TIPLINE_STAFF", &self.name)
            .env("TIPLINE_SIGNING_KEY", &self.key)
            .env("TIPLINE_TEAM", &self.team)
            .env_remove("TIPLINE_SERVER")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run tipline desk");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
            .expect("write stdin");
        child.wait_with_output().expect("desk output")
    }

    /// Runs and requires success.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out)
    }

    fn pull(&self) {
        self.ok(&["pull", "--server", &self.server]);
    }
}

/// A server with one report and the desks of alice and bob (each with a
/// staff token of their own name); the roster also names carol, who has no
/// token. Returns the report id too.
fn team(s: &Server) -> (Desk, Desk, String) {
    s.report("Mijn nichtje moet werken in een nagelsalon en krijgt niets betaald.");
    let dir = s.dir.path();
    let (alice_key, alice_line) = keygen_signing(dir, "alice");
    let (bob_key, bob_line) = keygen_signing(dir, "bob");
    let (_, carol_line) = keygen_signing(dir, "carol");
    let team = dir.join("team.toml");
    std::fs::write(&team, format!("{alice_line}\n{bob_line}\n{carol_line}\n")).unwrap();
    let desk = |name: &str, key: PathBuf| Desk {
        name: name.into(),
        mirror: dir.join(format!("mirror-{name}")),
        token: last_line(&s.with_data(&["staff", "add", name])),
        key,
        team: team.clone(),
        identity: s.identity.clone(),
        server: s.url.clone(),
    };
    let alice = desk("alice", alice_key);
    let bob = desk("bob", bob_key);
    alice.pull();
    bob.pull();
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    (alice, bob, id)
}

#[test]
fn two_workstations_see_each_others_notes_tags_assignment_reminders_and_seen_after_push_and_pull() {
    let s = Server::start(&[]);
    let (alice, bob, id) = team(&s);
    let short = &id[..8];

    // Both act before seeing the other: concurrent tag changes, and bob
    // removes a tag he never saw alice add (so hers survives).
    let noted = alice.run_with(
        &["note", short],
        "Gebeld met de school; MDT-overleg dinsdag.",
    );
    assert!(noted.status.success(), "{}", stderr(&noted));
    alice.ok(&["tag", short, "loverboy", "urgent"]);
    alice.ok(&["assign", short, "bob", "--server", &s.url]);
    bob.ok(&["tag", short, "mdt-overleg"]);
    bob.ok(&["tag", short, "urgent", "--remove"]);
    bob.ok(&["remind", short, "2026-12-01", "--note", "terugbellen"]);
    assert!(alice.ok(&["push", "--server", &s.url]).contains("sent 2"));
    assert!(bob.ok(&["push", "--server", &s.url]).contains("sent 3"));
    alice.pull();
    bob.pull();

    let logs = [alice.ok(&["log", short]), bob.ok(&["log", short])];
    for log in &logs {
        assert!(
            log.contains("Tags: loverboy, mdt-overleg, urgent · Assigned to: bob"),
            "{log}"
        );
        assert!(
            log.contains("Reminder on 2026-12-01 (set by bob): terugbellen"),
            "{log}"
        );
        assert!(
            log.contains("Gebeld met de school; MDT-overleg dinsdag."),
            "{log}"
        );
        assert!(!log.contains("UNVERIFIED") && !log.contains("GAP"), "{log}");
        assert_eq!(log.matches("· verified").count(), 6, "{log}");
    }
    // The same events fold to the same state on both desks.
    let state = |log: &str| log.lines().take(3).collect::<Vec<_>>().join("\n");
    assert_eq!(state(&logs[0]), state(&logs[1]));

    // A later removal that had seen every addition removes it everywhere,
    // and bob's reading reaches alice as "seen".
    bob.ok(&["tag", short, "urgent", "--remove", "--server", &s.url]);
    assert!(bob.ok(&["read", short]).contains("recorded: seen by bob"));
    bob.ok(&["push", "--server", &s.url]);
    alice.pull();
    let log = alice.ok(&["log", short]);
    assert!(
        log.contains("Tags: loverboy, mdt-overleg · Assigned to: bob"),
        "{log}"
    );
    assert!(log.contains("Seen by: bob ("), "{log}");
    assert!(!log.contains("Seen by: alice"), "{log}");
}

#[test]
fn no_note_tag_or_assignee_reaches_the_server_data_or_log_and_reporters_see_nothing() {
    let s = Server::start(&[]);
    let (alice, _bob, id) = team(&s);
    let short = &id[..8];
    let note = "Vertrouwelijk-notitie-7Q3 over de zorgcoordinator";
    alice.run_with(&["note", short, "--server", &s.url], note);
    alice.ok(&["tag", short, "geheimlabel42", "--server", &s.url]);
    alice.ok(&["assign", short, "carol", "--server", &s.url]);
    let events = s.api_json(&format!("/reports/{id}/events"))["events"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(events.len(), 3, "{events:?}");
    assert!(events.iter().all(|e| e["posted_by"] == "alice"));

    let data = s.data_bytes();
    let log = s.output();
    for secret in ["Vertrouwelijk-notitie-7Q3", "geheimlabel42", "carol"] {
        assert!(
            !data.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} is under --data"
        );
        assert!(!log.contains(secret), "{secret} is in the server log");
    }
    // The reporter's side knows nothing of it.
    let check = s.get("/check").text();
    assert!(!check.contains("geheimlabel42"));
}

/// A server in front of the real one that hides one event from the lists.
fn dropping_server(s: &Server, hidden: String, requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let upstream = s.url.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            let path = request.split(' ').nth(1).unwrap_or("/").to_string();
            let mut auth = String::new();
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                if let Some((k, v)) = line.split_once(':') {
                    if k.eq_ignore_ascii_case("authorization") {
                        auth = v.trim().to_string();
                    }
                }
                line.clear();
            }
            let resp = agent()
                .get(format!("{upstream}{path}"))
                .header("Authorization", &auth)
                .call()
                .unwrap();
            let status = resp.status().as_u16();
            let mut body = Vec::new();
            resp.into_body()
                .into_reader()
                .read_to_end(&mut body)
                .unwrap();
            if path.ends_with("/events") {
                let mut v: serde_json::Value = serde_json::from_slice(&body).unwrap();
                v["events"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|e| e["id"] != hidden.as_str());
                body = serde_json::to_vec(&v).unwrap();
            }
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    url
}

fn event_ids(s: &Server, id: &str) -> Vec<String> {
    s.api_json(&format!("/reports/{id}/events"))["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_server_that_drops_an_event_mid_chain_or_adds_one_signed_outside_the_roster_is_caught_by_log_and_read(
) {
    let s = Server::start(&[]);
    let (alice, bob, id) = team(&s);
    let short = &id[..8];
    alice.ok(&["tag", short, "een", "--server", &s.url]);
    let before = event_ids(&s, &id);
    alice.ok(&["tag", short, "twee", "--server", &s.url]);
    let middle = event_ids(&s, &id)
        .into_iter()
        .find(|e| !before.contains(e))
        .unwrap();
    alice.ok(&["tag", short, "drie", "--server", &s.url]);

    // Mallory (the server, or whoever holds a token) signs as "alice" with a
    // key the team never listed, and the server serves it.
    let dir = s.dir.path();
    let (mallory_key, mallory_line) = keygen_signing(dir, "alice-mallory");
    let fake_team = dir.join("mallory-team.toml");
    std::fs::write(&fake_team, mallory_line.replace("alice-mallory", "alice")).unwrap();
    std::fs::rename(&mallory_key, dir.join("m.signing")).unwrap();
    let key_text = std::fs::read_to_string(dir.join("m.signing"))
        .unwrap()
        .replace("alice-mallory", "alice");
    let forged_key = dir.join("forged.signing");
    std::fs::write(&forged_key, key_text).unwrap();
    let mallory = Desk {
        name: "alice".into(),
        mirror: dir.join("mirror-mallory"),
        token: s.token.clone(),
        key: forged_key,
        team: fake_team,
        identity: s.identity.clone(),
        server: s.url.clone(),
    };
    mallory.pull();
    mallory.ok(&["assign", short, "alice", "--server", &s.url]);

    let liar = dropping_server(&s, middle, 16);
    let fresh = Desk {
        mirror: dir.join("mirror-fresh"),
        ..bob
    };
    fresh.ok(&["pull", "--server", &liar]);

    let log = fresh.run(&["log", short]);
    assert!(log.status.success(), "{}", stderr(&log));
    let text = stdout(&log);
    assert!(text.contains("GAP: the server dropped an action"), "{text}");
    assert!(text.contains("UNVERIFIED"), "{text}");
    assert!(
        text.contains("Assigned to: nobody"),
        "the forgery changes nothing: {text}"
    );
    assert!(stderr(&log).contains("gap"), "{}", stderr(&log));

    let read = fresh.run(&["read", short]);
    assert!(read.status.success(), "{}", stderr(&read));
    let text = stdout(&read);
    assert!(text.contains("GAP: the server dropped an action"), "{text}");
    assert!(text.contains("UNVERIFIED"), "{text}");
}

#[test]
fn desk_list_shows_assignee_tags_and_new_and_filters_by_tag_assignee_unseen_due_and_status_danger_first(
) {
    let s = Server::start(&[]);
    let (alice, bob, first) = team(&s);
    // A second, later report in which someone is in danger now.
    let (status, _) = post_multipart(
        &format!("{}/report", s.url),
        &[
            ("lang", None, b"nl"),
            ("q-danger", None, b"yes"),
            ("message", None, b"Hij staat nu voor de deur."),
        ],
    );
    assert_eq!(status, 200);
    let danger = s
        .reports()
        .into_iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .find(|id| *id != first)
        .unwrap();
    alice.pull();
    let (one, two) = (&first[..8], &danger[..8]);
    alice.ok(&["tag", one, "loverboy", "--server", &s.url]);
    alice.ok(&["assign", one, "bob", "--server", &s.url]);
    alice.ok(&["remind", one, "2000-01-01", "--server", &s.url]);
    alice.ok(&["remind", two, "2999-01-01", "--server", &s.url]);
    alice.ok(&["status", two, "in_progress", "--server", &s.url]);
    // Bob reads the first report: seen, queued, then sent.
    bob.pull();
    let read = bob.ok(&["read", one]);
    assert!(read.contains("INTERNAL case file"), "{read}");
    assert!(read.contains("recorded: seen by bob"), "{read}");
    bob.ok(&["push", "--server", &s.url]);

    let all = bob.ok(&["list"]);
    let rows: Vec<&str> = all.lines().skip(1).collect();
    assert!(
        rows[0].starts_with(two) && rows[0].contains("DANGER"),
        "{all}"
    );
    let row_one = rows.iter().find(|l| l.starts_with(one)).unwrap();
    assert!(
        row_one.contains("bob") && row_one.contains("loverboy"),
        "{all}"
    );
    assert!(!row_one.contains("new"), "bob has seen it: {all}");
    assert!(rows[0].contains("new"), "{all}");

    let only = |args: &[&str]| -> Vec<String> {
        let mut full = vec!["list"];
        full.extend_from_slice(args);
        bob.ok(&full)
            .lines()
            .skip(1)
            .map(|l| l[..8].to_string())
            .collect()
    };
    assert_eq!(only(&["--tag", "loverboy"]), [one]);
    assert_eq!(only(&["--assigned", "me"]), [one]);
    assert_eq!(only(&["--assigned", "bob"]), [one]);
    assert_eq!(only(&["--assigned", "none"]), [two]);
    assert_eq!(only(&["--unseen"]), [two]);
    assert_eq!(only(&["--due"]), [one]);
    assert_eq!(only(&["--status", "received"]), [one]);

    // A new event after a list (the summary cache) shows on the next list.
    alice.ok(&["tag", two, "nieuw", "--server", &s.url]);
    bob.pull();
    assert_eq!(only(&["--tag", "nieuw"]), [two]);

    // The status change is in the audit trail too.
    let log = bob.ok(&["log", two]);
    assert!(
        log.contains("status changed to in_progress · verified"),
        "{log}"
    );
}

#[test]
fn figures_count_by_tag_and_assignee_and_give_the_days_to_first_reply_per_month() {
    let s = Server::start(&[]);
    let (alice, _bob, first) = team(&s);
    for i in 0..3 {
        s.report(&format!("melding {i}"));
    }
    alice.pull();
    let ids: Vec<String> = s
        .reports()
        .into_iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    alice.ok(&["tag", &first[..8], "loverboy", "arbeidsuitbuiting"]);
    alice.ok(&["assign", &first[..8], "bob"]);
    let answered: Vec<&String> = ids.iter().filter(|id| **id != first).collect();
    for id in &answered {
        let out = alice.run_with(
            &["reply", &id[..8], "--server", &s.url],
            "Dank je, we lezen mee.",
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    // Arrange the mirror's days: three reports of January answered after
    // 1, 4 and 10 days.
    for (id, reply_day) in answered
        .iter()
        .zip(["2026-01-02", "2026-01-05", "2026-01-11"])
    {
        let dir = alice.mirror.join("reports").join(id.as_str());
        let mut report: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
        report["received"] = "2026-01-01".into();
        std::fs::write(dir.join("report.json"), report.to_string()).unwrap();
        let mut messages: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("messages.json")).unwrap()).unwrap();
        for m in messages.as_array_mut().unwrap() {
            m["received"] = if m["author"] == "staff" {
                reply_day
            } else {
                "2026-01-01"
            }
            .into();
        }
        std::fs::write(dir.join("messages.json"), messages.to_string()).unwrap();
    }

    let csv = alice.ok(&["figures", "--csv", "--by", "tag", "--by", "assignee"]);
    for row in [
        "tag,\"loverboy\",1",
        "tag,\"arbeidsuitbuiting\",1",
        "tag,\"(no tag)\",3",
        "assignee,\"bob\",1",
        "assignee,\"(nobody)\",3",
        "days to first reply,\"2026-01 answered\",3",
        "days to first reply,\"2026-01 median days\",4",
        "days to first reply,\"2026-01 p90 days\",10",
    ] {
        assert!(csv.contains(row), "{row} in {csv}");
    }
    let month = s
        .reports()
        .into_iter()
        .find(|r| r["id"] == first.as_str())
        .unwrap()["received"]
        .as_str()
        .unwrap()[..7]
        .to_string();
    assert!(
        csv.contains(&format!("days to first reply,\"{month} unanswered\",1")),
        "{csv}"
    );
    let refused = alice.run(&["figures", "--by", "tag", "--team", "/nonexistent/team.toml"]);
    assert!(!refused.status.success());
}

#[test]
fn a_note_with_terminal_escapes_is_shown_escaped_by_log_read_and_list_and_such_a_tag_is_refused() {
    let s = Server::start(&[]);
    let (alice, _bob, id) = team(&s);
    let short = &id[..8];
    let hostile = "Notitie\u{1b}]52;c;ZWNobw==\u{7}\u{1b}[2J weg\u{202E}gpj.exe";
    let noted = alice.run_with(&["note", short], hostile);
    assert!(noted.status.success(), "{}", stderr(&noted));
    // A tag is one plain word: control characters are refused at once.
    assert!(!alice
        .run(&["tag", short, "label\u{1b}[8m"])
        .status
        .success());
    for args in [&["log", short][..], &["read", short], &["list"]] {
        let out = alice.run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202E}'),
            "{args:?}: {text}"
        );
    }
    assert!(alice.ok(&["log", short]).contains("\\u{1b}]52;c;"));
}

#[test]
fn a_reports_events_are_deleted_with_it_and_only_age_files_are_accepted() {
    let s = Server::start(&[]);
    let (alice, _bob, id) = team(&s);
    let noted = alice.run_with(&["note", &id[..8], "--server", &s.url], "Intern.");
    assert!(noted.status.success(), "{}", stderr(&noted));
    let events = event_ids(&s, &id);
    assert_eq!(events.len(), 1);
    let not_age = s.api_request(
        "POST",
        &format!("/reports/{id}/events"),
        Some(&s.bearer()),
        Some(b"a plain note"),
    );
    assert_eq!(not_age.status, 400);
    let no_token = s.api_request("GET", &format!("/reports/{id}/events"), None, None);
    assert_eq!(no_token.status, 401);

    let deleted = s.api_request("DELETE", &format!("/reports/{id}"), Some(&s.bearer()), None);
    assert_eq!(deleted.status, 204);
    assert_eq!(s.api_get(&format!("/reports/{id}/events")).status, 404);
    assert_eq!(
        s.api_get(&format!("/reports/{id}/events/{}", events[0]))
            .status,
        404
    );
}

#[test]
fn acting_with_a_key_the_roster_does_not_hold_for_that_name_is_refused_and_nothing_is_queued() {
    let s = Server::start(&[]);
    let (alice, bob, id) = team(&s);
    let impostor = Desk {
        key: bob.key.clone(),
        ..alice
    };
    let out = impostor.run(&["tag", &id[..8], "loverboy"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("signing key was made for bob"),
        "{}",
        stderr(&out)
    );
    let outbox = impostor.mirror.join("outbox");
    assert_eq!(std::fs::read_dir(outbox).unwrap().count(), 0);
    // keygen-signing never overwrites a key.
    let again = tipline(&[
        "desk",
        "keygen-signing",
        "--name",
        "bob",
        "--out",
        bob.key.to_str().unwrap(),
    ]);
    assert!(!again.status.success());
}

#[test]
fn a_note_reaches_a_colleague_with_another_identity_through_the_trusted_copy_in_mirror_keys() {
    // A centre of two identities: the harness's and a colleague's.
    let mut s = Server::start(&[]);
    let colleague = s.dir.path().join("colleague.key");
    let recipient = last_line(&tipline(&["keygen", "--out", colleague.to_str().unwrap()]));
    std::fs::write(s.keys.join("colleague.pub"), format!("{recipient}\n")).unwrap();
    s.restart();
    let (alice, bob, id) = team(&s);
    let bob = Desk {
        identity: colleague,
        ..bob
    };
    let short = &id[..8];

    // Without a trusted copy alice's note is encrypted to her identity only.
    let alone = alice.run_with(&["note", short, "--server", &s.url], "Alleen voor mij.");
    assert!(alone.status.success(), "{}", stderr(&alone));
    // With MIRROR/keys (as for replies) the colleague gets it too.
    let trusted = alice.mirror.join("keys");
    std::fs::create_dir(&trusted).unwrap();
    for f in ["centre.pub", "colleague.pub"] {
        std::fs::copy(s.keys.join(f), trusted.join(f)).unwrap();
    }
    let shared = alice.run_with(&["note", short, "--server", &s.url], "Voor het hele team.");
    assert!(shared.status.success(), "{}", stderr(&shared));

    bob.pull();
    let log = bob.ok(&["log", short]);
    assert!(log.contains("Voor het hele team."), "{log}");
    assert!(!log.contains("Alleen voor mij."), "{log}");
}

#[test]
fn desk_read_shows_a_days_case_events_after_that_days_messages_marked_internal_with_author_and_verdict(
) {
    let s = Server::start(&[]);
    let (alice, bob, id) = team(&s);
    let short = &id[..8];
    let noted = alice.run_with(
        &["note", short, "--server", &s.url],
        "Gebeld met de school.",
    );
    assert!(noted.status.success(), "{}", stderr(&noted));
    alice.ok(&["tag", short, "loverboy", "--server", &s.url]);
    bob.pull();

    let read = bob.ok(&["read", short]);
    let at = |needle: &str| {
        read.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in: {read}"))
    };
    let note_line = read
        .lines()
        .find(|l| l.contains("note by alice"))
        .unwrap_or_else(|| panic!("no note line: {read}"));
    assert!(
        note_line.starts_with("--- ")
            && note_line.contains("INTERNAL")
            && note_line.contains("verified"),
        "{note_line}"
    );
    let tag_line = read
        .lines()
        .find(|l| l.contains("tag by alice"))
        .unwrap_or_else(|| panic!("no tag line: {read}"));
    assert!(
        tag_line.contains("INTERNAL") && tag_line.contains("loverboy"),
        "{tag_line}"
    );
    // Same day: the conversation, then the day's events in their order, then
    // the state, no longer a separate list of events.
    assert!(at("· reporter · report") < at("note by alice"), "{read}");
    assert!(at("note by alice") < at("Gebeld met de school."), "{read}");
    assert!(at("Gebeld met de school.") < at("tag by alice"), "{read}");
    assert!(
        at("tag by alice") < at("INTERNAL case file state"),
        "{read}"
    );
    assert_eq!(read.matches("Gebeld met de school.").count(), 1, "{read}");
    assert!(read.contains("recorded: seen by bob"), "{read}");
}

#[test]
fn a_forward_on_one_desk_reaches_the_other_desks_audit_trail_with_partner_and_anonymised_flag() {
    let s = Server::start(&[]);
    let (alice, bob, id) = team(&s);
    let short = &id[..8];
    let dir = s.dir.path();
    let recipient = age::x25519::Identity::generate().to_public().to_string();
    let partners = dir.join("partners.toml");
    std::fs::write(
        &partners,
        format!("[partner.meldpunt-west]\nkind = \"reporting_point\"\nrecipients = [\"{recipient}\"]\ndescription = \"Test partner\"\n"),
    )
    .unwrap();
    let bundle = dir.join("bundle.age");
    let args = [
        "forward",
        short,
        "--to",
        "meldpunt-west",
        "--partners",
        partners.to_str().unwrap(),
        "--anonymised",
        "--out",
        bundle.to_str().unwrap(),
    ];
    alice.ok(&args);
    // Queued on alice's desk, in her own trail before the push.
    assert!(
        alice.ok(&["log", short]).contains("QUEUED, not sent yet"),
        "the forward event is queued"
    );
    assert!(alice.ok(&["push", "--server", &s.url]).contains("sent 1"));
    bob.pull();
    let log = bob.ok(&["log", short]);
    let forward = log
        .lines()
        .find(|l| l.contains("forward "))
        .unwrap_or_else(|| panic!("no forward in bob's log: {log}"));
    assert!(
        forward.contains("alice")
            && forward.contains("forwarded to meldpunt-west (anonymised")
            && forward.contains("verified"),
        "{forward}"
    );
    // It changes nothing in the state.
    assert!(log.contains("Tags: none · Assigned to: nobody"), "{log}");
}
