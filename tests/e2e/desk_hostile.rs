//! The desk treats what it pulls as hostile (issue 12): reporter text cannot
//! drive the terminal or a spreadsheet, a lying server cannot empty the mirror,
//! one unreadable message hides nothing after it, and plaintext the desk writes
//! stays private.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::harness::*;

fn mirror(s: &Server) -> String {
    s.dir.path().join("mirror").to_str().unwrap().to_string()
}

fn pull(s: &Server, m: &str) {
    let pulled = s.desk(&["pull", "--server", &s.url, "--mirror", m]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
}

/// Bytes and characters that must never reach a terminal raw.
fn raw_controls(out: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    for b in [0x1b, 0x07, 0x9b] {
        if out.contains(&b) {
            found.push(format!("byte {b:#x}"));
        }
    }
    let text = String::from_utf8_lossy(out);
    for c in text.chars() {
        let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}');
        let control = c.is_control() && c != '\n';
        if bidi || control {
            found.push(format!("U+{:04X}", u32::from(c)));
        }
    }
    found
}

#[test]
fn escape_sequences_and_bidi_controls_from_a_report_are_shown_escaped_by_list_read_and_figures() {
    let s = Server::start(&[]);
    let hostile = "Hallo\u{1b}[1A\u{1b}[2K DANGER weg\u{1b}]0;titel\u{7}\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}\u{1b}[8mverborgen\u{9b}31m rood\u{202E}driaan";
    let (status, body) = post_multipart(
        &format!("{}/report", s.url),
        &[
            ("lang", None, b"nl"),
            ("message", None, hostile.as_bytes()),
            (
                "q-where",
                None,
                "=HYPERLINK(\"http://x\")\u{1b}]52;c;eA==\u{7}".as_bytes(),
            ),
            (
                "attachment",
                Some("invoice\u{202E}gpj.exe"),
                b"MZ not really",
            ),
        ],
    );
    assert_eq!(status, 200, "{body}");
    let m = mirror(&s);
    pull(&s, &m);
    let id = s.reports()[0]["id"].as_str().unwrap()[..8].to_string();

    let listed = s.desk(&["list", "--mirror", &m]);
    let read = s.desk(&["read", &id, "--mirror", &m]);
    let figures = s.desk(&["figures", "--mirror", &m, "--csv", "--by", "where"]);
    for (what, out) in [("list", &listed), ("read", &read), ("figures", &figures)] {
        assert!(out.status.success(), "{what}: {}", stderr(out));
        assert_eq!(raw_controls(&out.stdout), Vec::<String>::new(), "{what}");
        assert_eq!(raw_controls(&out.stderr), Vec::<String>::new(), "{what}");
    }
    let read = stdout(&read);
    assert!(read.contains("\\u{1b}]52;c;"), "shown, not obeyed: {read}");
    assert!(read.contains("\\u{9b}31m"), "{read}");
    assert!(read.contains("invoice\\u{202e}gpj.exe"), "{read}");
    let csv = stdout(&figures);
    assert!(csv.contains("\"'=hyperlink("), "formula neutralised: {csv}");
}

/// A stand-in for a lying (or wrong) server: it answers every request with an
/// empty report list. Loopback only; serves at most `requests` connections.
fn empty_server(requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                line.clear();
            }
            let body = r#"{"reports":[]}"#;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

#[test]
fn a_server_that_lists_nothing_leaves_every_report_readable_and_removals_go_to_quarantine() {
    let s = Server::start(&[]);
    let texts: Vec<String> = (0..5).map(|i| format!("melding {i} blijft")).collect();
    for t in &texts {
        s.report(t);
    }
    let m = mirror(&s);
    pull(&s, &m);
    let liar = empty_server(8);

    let refused = s.desk(&["pull", "--server", &liar, "--mirror", &m]);
    assert_eq!(refused.status.code(), Some(8), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("--accept-removals"),
        "{}",
        stderr(&refused)
    );
    let listed = stdout(&s.desk(&["list", "--mirror", &m]));
    for t in &texts {
        assert!(listed.contains(t.as_str()), "still listed: {listed}");
    }

    // Accepted: moved aside, not deleted, and each one can come back.
    let accepted = s.desk(&[
        "pull",
        "--server",
        &liar,
        "--mirror",
        &m,
        "--accept-removals",
    ]);
    assert!(accepted.status.success(), "{}", stderr(&accepted));
    assert!(
        stdout(&accepted).contains("moved 5 report(s) to quarantine"),
        "{}",
        stdout(&accepted)
    );
    let listed = stdout(&s.desk(&["list", "--mirror", &m]));
    assert!(
        listed.contains("5 report(s) the server stopped listing are in quarantine"),
        "{listed}"
    );
    let quarantined = stdout(&s.desk(&["quarantine", "list", "--mirror", &m]));
    let ids: Vec<String> = s
        .reports()
        .iter()
        .map(|r| r["id"].as_str().unwrap()[..8].to_string())
        .collect();
    for id in &ids {
        assert!(quarantined.contains(id.as_str()), "{quarantined}");
        let restored = s.desk(&["quarantine", "restore", id, "--mirror", &m]);
        assert!(restored.status.success(), "{}", stderr(&restored));
    }
    let listed = stdout(&s.desk(&["list", "--mirror", &m]));
    for t in &texts {
        assert!(
            listed.contains(t.as_str()),
            "restored and readable: {listed}"
        );
    }

    // The real server lists them all; the liar moves them aside again, and purge
    // is the only way they leave for good.
    assert!(s
        .desk(&[
            "pull",
            "--server",
            &liar,
            "--mirror",
            &m,
            "--accept-removals"
        ])
        .status
        .success());
    let purged = s.desk(&["quarantine", "purge", "--mirror", &m]);
    assert!(stdout(&purged).contains("purged 5"), "{}", stdout(&purged));
    assert!(stdout(&s.desk(&["quarantine", "list", "--mirror", &m])).contains("empty"));
}

#[test]
fn a_reply_for_another_identity_is_a_placeholder_and_the_urgent_follow_up_after_it_is_still_shown()
{
    let s = Server::start(&[]);
    let code = s.report("eerste melding");
    let report = s.only_report();
    let id = report["id"].as_str().unwrap().to_string();
    let other = s.dir.path().join("other.key");
    let other_recipient = last_line(&tipline(&["keygen", "--out", other.to_str().unwrap()]));
    let reply = age_encrypt(
        b"a reply only another desk can read",
        &[
            report["reporter_recipient"].as_str().unwrap(),
            &other_recipient,
        ],
    );
    assert_eq!(s.post_reply(&id, &reply).status, 201);
    let page = s.check_ok(&code);
    let sent = s.follow_up(&token_field(&page).unwrap(), "DRINGEND: hij is terug");
    assert_eq!(sent.status, 200, "{}", sent.text());
    let m = mirror(&s);
    pull(&s, &m);

    let read = s.desk(&["read", &id[..8], "--mirror", &m]);
    assert_eq!(read.status.code(), Some(5), "{}", stderr(&read));
    let out = stdout(&read);
    let placeholder = out
        .lines()
        .find(|l| l.contains("CANNOT OPEN"))
        .unwrap_or_else(|| panic!("a placeholder: {out}"));
    assert!(placeholder.contains("X25519 ×2"), "{placeholder}");
    assert!(
        placeholder.contains(report["received"].as_str().unwrap()),
        "{placeholder}"
    );
    assert!(out.contains("eerste melding"), "{out}");
    assert!(
        out.find("CANNOT OPEN").unwrap() < out.find("DRINGEND: hij is terug").unwrap(),
        "the follow-up after it is shown: {out}"
    );
    assert!(stderr(&read).contains("1 message(s)"), "{}", stderr(&read));

    // With an identity that opens nothing, list and figures still show what
    // needs no key, then fail.
    let as_other = |args: &[&str]| {
        let mut all = vec!["desk"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--mirror", &m, "--identity", other.to_str().unwrap()]);
        tipline(&all)
    };
    let listed = as_other(&["list"]);
    assert_eq!(listed.status.code(), Some(5), "{}", stderr(&listed));
    assert!(stdout(&listed).contains(&id[..8]), "{}", stdout(&listed));
    let figures = as_other(&["figures"]);
    assert_eq!(figures.status.code(), Some(5), "{}", stderr(&figures));
    assert!(
        stdout(&figures).contains("received"),
        "{}",
        stdout(&figures)
    );
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Runs `tipline desk ARGS` under `umask 022` with the server's identity.
fn desk_with_umask_022(s: &Server, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg("umask 022; exec \"$@\"")
        .arg("sh")
        .arg(bin())
        .arg("desk")
        .args(args)
        .env("TIPLINE_IDENTITY", &s.identity)
        .env("TIPLINE_TOKEN", &s.token)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn a_saved_attachment_is_private_whatever_the_umask() {
    let s = Server::start(&[]);
    let (status, _) = post_multipart(
        &format!("{}/report", s.url),
        &[
            ("message", None, b"zie bijlage"),
            ("attachment", Some("brief.txt"), b"geheime inhoud"),
        ],
    );
    assert_eq!(status, 200);
    let m = mirror(&s);
    let pulled = desk_with_umask_022(&s, &["pull", "--server", &s.url, "--mirror", &m]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    let id = s.reports()[0]["id"].as_str().unwrap()[..8].to_string();
    let att = s.messages(s.reports()[0]["id"].as_str().unwrap())[0]["attachments"][0]["id"]
        .as_str()
        .unwrap()[..8]
        .to_string();
    let out = s.dir.path().join("saved.txt");
    let saved = desk_with_umask_022(
        &s,
        &[
            "save-attachment",
            &id,
            &att,
            "--mirror",
            &m,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(saved.status.success(), "{}", stderr(&saved));
    assert_eq!(std::fs::read(&out).unwrap(), b"geheime inhoud");
    assert_eq!(mode(&out), 0o600);
    // The mirror holds ciphertext only, but private all the same.
    for file in files_under(Path::new(&m)) {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
}

#[test]
fn the_reply_editor_works_in_a_private_directory_that_is_wiped_and_never_in_the_shared_temp_dir() {
    let s = Server::start(&[]);
    s.report("graag antwoord");
    let m = mirror(&s);
    pull(&s, &m);
    let id = s.reports()[0]["id"].as_str().unwrap()[..8].to_string();
    let shared = s.dir.path().join("shared-tmp");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
    // An "editor" that notes where it was asked to write and how private it is.
    let notes = s.dir.path().join("notes");
    let editor = s.dir.path().join("editor.sh");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\nd=$(dirname \"$1\")\necho \"$d\" > {n}\nstat -c %a \"$d\" >> {n}\nstat -c %a \"$1\" >> {n}\necho 'Dank je, we lezen mee.' > \"$1\"\necho swap > \"$d/.reply.txt.swp\"\n",
            n = notes.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o700)).unwrap();

    // `script` gives the desk a terminal, so it opens the editor.
    let command = format!("{} desk reply {id} --mirror {m}", bin());
    let mut child = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("TIPLINE_IDENTITY", &s.identity)
        .env("EDITOR", &editor)
        .env_remove("VISUAL")
        .env_remove("XDG_RUNTIME_DIR")
        .env("TMPDIR", &shared)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{out}");
    assert!(out.contains("queued"), "{out}");

    let notes = std::fs::read_to_string(&notes).unwrap();
    let lines: Vec<&str> = notes.lines().collect();
    let dir = Path::new(lines[0]);
    assert!(
        !dir.starts_with(&shared),
        "not in the shared temp dir: {notes}"
    );
    assert_eq!(&lines[1..], ["700", "600"], "{notes}");
    assert!(!dir.exists(), "wiped after use: {notes}");
    assert_eq!(std::fs::read_dir(&shared).unwrap().count(), 0);
    let read = stdout(&s.desk(&["read", &id, "--mirror", &m]));
    assert!(read.contains("Dank je, we lezen mee."), "{read}");
}

/// A server that later lists another message first (here the staff reply)
/// cannot take the report's DANGER flag or first words out of `desk list`
/// or `desk figures`: both go by the first document pinned at the first pull.
#[test]
fn a_server_that_lists_another_message_first_changes_neither_list_nor_figures() {
    let s = Server::start(&[]);
    let resp = s.post_parts(
        "/report",
        &[
            Part::Text("lang", b"nl"),
            Part::Text("q-danger", b"yes"),
            Part::Text("message", b"Ze is nu in gevaar"),
        ],
    );
    assert_eq!(resp.status, 200, "{}", resp.text());
    let m = mirror(&s);
    pull(&s, &m);
    let report = s.only_report();
    let id = report["id"].as_str().unwrap();
    let reply = s.reply_with_age(
        id,
        report["reporter_recipient"].as_str().unwrap(),
        "Antwoord van het meldpunt",
    );
    assert_eq!(reply.status, 201);
    pull(&s, &m);
    let listed = Path::new(&m).join("reports").join(id).join("messages.json");
    let mut messages: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&listed).unwrap()).unwrap();
    messages.as_array_mut().unwrap().reverse();
    std::fs::write(&listed, serde_json::to_vec(&messages).unwrap()).unwrap();

    let list = stdout(&s.desk(&["list", "--mirror", &m]));
    assert!(list.contains("DANGER"), "{list}");
    assert!(list.contains("Ze is nu in gevaar"), "{list}");
    let figures = stdout(&s.desk(&["figures", "--mirror", &m, "--by", "danger"]));
    assert!(figures.contains("yes"), "{figures}");
}
