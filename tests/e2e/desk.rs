//! `tipline desk` against a real server: pull, read, reply, status, push,
//! offline work, passphrases, wrong identities, interrupted pulls, attachments.

use crate::harness::*;

fn mirror(s: &Server) -> String {
    s.dir.path().join("mirror").to_str().unwrap().to_string()
}

fn short_id(s: &Server) -> String {
    s.reports()[0]["id"].as_str().unwrap()[..8].to_string()
}

/// Pulls into a fresh mirror and reads the first report: (mirror, id, output).
fn pull_and_read(s: &Server) -> (String, String, String) {
    let m = mirror(s);
    let pulled = s.desk(&["pull", "--server", &s.url, "--mirror", &m]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    let id = short_id(s);
    let read = stdout(&s.desk(&["read", &id, "--mirror", &m]));
    (m, id, read)
}

#[test]
fn a_report_is_pulled_read_answered_with_desk_reply_and_the_reply_shows_on_check() {
    let s = Server::start(&[]);
    let code = s.report("De buurjongen moet elke nacht pakketjes rondbrengen");
    let m = mirror(&s);

    let pulled = s.desk(&["pull", "--server", &s.url, "--mirror", &m]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    assert!(stdout(&pulled).contains("1 new message"));
    let id = short_id(&s);
    let read = s.desk(&["read", &id, "--mirror", &m]);
    assert!(read.status.success(), "{}", stderr(&read));
    assert!(stdout(&read).contains("De buurjongen moet elke nacht pakketjes rondbrengen"));
    assert!(stdout(&read).contains("Status: received"));

    let mut reply = std::process::Command::new(bin())
        .args(["desk", "reply", &id, "--mirror", &m, "--server", &s.url])
        .env("TIPLINE_TOKEN", &s.token)
        .env("TIPLINE_IDENTITY", &s.identity)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        &mut reply.stdin.take().unwrap(),
        b"Dank je. Ben je nu veilig? <b>niet vet</b>",
    )
    .unwrap();
    let reply = reply.wait_with_output().unwrap();
    assert!(reply.status.success(), "{}", stderr(&reply));
    let status = s.desk(&[
        "status",
        &id,
        "forwarded_care",
        "--mirror",
        &m,
        "--server",
        &s.url,
    ]);
    assert!(status.status.success(), "{}", stderr(&status));

    let page = s.check(&code).text();
    assert_eq!(
        replies(&page),
        vec!["Dank je. Ben je nu veilig? <b>niet vet</b>"]
    );
    // The reporter sees a safe text, not where the report went.
    assert_eq!(
        element_text(&page, "report-status").unwrap(),
        "We are working on your report."
    );
    // The reply is readable back at the desk (it was encrypted to the centre too).
    let read = s.desk(&["read", &id, "--mirror", &m]);
    assert!(stdout(&read).contains("staff reply"));
    assert!(stdout(&read).contains("Ben je nu veilig?"));
}

#[test]
fn the_desk_works_offline_and_push_delivers_the_queue_later() {
    let mut s = Server::start(&[]);
    let code = s.report("offline flow");
    let m = mirror(&s);
    assert!(s
        .desk(&["pull", "--server", &s.url, "--mirror", &m])
        .status
        .success());
    let id = short_id(&s);
    s.kill();

    // No server: reading and writing still work, and the reply waits in the outbox.
    let read = s.desk(&["read", &id, "--mirror", &m]);
    assert!(stdout(&read).contains("offline flow"));
    let reply_file = s.dir.path().join("reply.txt");
    std::fs::write(
        &reply_file,
        "# a guide line that is dropped\nWe lezen mee.\n",
    )
    .unwrap();
    let queued = s.desk(&[
        "reply",
        &id,
        "--mirror",
        &m,
        "--file",
        reply_file.to_str().unwrap(),
    ]);
    assert!(queued.status.success(), "{}", stderr(&queued));
    assert!(stdout(&queued).contains("queued"));
    assert!(s
        .desk(&["status", &id, "in_progress", "--mirror", &m])
        .status
        .success());
    assert!(stdout(&s.desk(&["read", &id, "--mirror", &m])).contains("QUEUED"));

    // Pushing to a dead server fails with the "unreachable" code and keeps the queue.
    let dead = s.desk(&["push", "--server", "http://127.0.0.1:9", "--mirror", &m]);
    assert_eq!(dead.status.code(), Some(3), "{}", stderr(&dead));
    assert!(stdout(&s.desk(&["read", &id, "--mirror", &m])).contains("QUEUED"));

    s.start_again();
    let pushed = s.desk(&["push", "--server", &s.url, "--mirror", &m]);
    assert!(pushed.status.success(), "{}", stderr(&pushed));
    assert!(stdout(&pushed).contains("sent 2"));
    let page = s.check(&code).text();
    assert_eq!(replies(&page), vec!["We lezen mee."]);
    assert!(element_text(&page, "report-status")
        .unwrap()
        .contains("working on"));
    assert!(!stdout(&s.desk(&["read", &id, "--mirror", &m])).contains("QUEUED"));
}

#[test]
fn a_passphrase_identity_reads_and_a_wrong_passphrase_is_refused_clearly() {
    let s = Server::start(&[]);
    let pass = s.dir.path().join("pass");
    std::fs::write(&pass, "lange zin met paarden\n").unwrap();
    let key = s.dir.path().join("staff2.key");
    let made = tipline_with(
        &["keygen", "--out", key.to_str().unwrap(), "--passphrase"],
        &[("TIPLINE_PASSPHRASE_FILE", pass.to_str().unwrap())],
        "",
    );
    let recipient = last_line(&made);
    let text = std::fs::read_to_string(&key).unwrap();
    assert!(text.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));
    assert!(!text.contains("AGE-SECRET-KEY"));

    // Two staff identities, one recipient each: both read everything new.
    std::fs::write(s.keys.join("staff2.pub"), format!("{recipient}\n")).unwrap();
    let mut s = s;
    s.restart();
    s.report("voor twee sleutels");
    let m = mirror(&s);
    assert!(s
        .desk(&["pull", "--server", &s.url, "--mirror", &m])
        .status
        .success());
    let id = short_id(&s);
    let read_with_passphrase = || {
        tipline_with(
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
        )
    };
    let read = read_with_passphrase();
    assert!(read.status.success(), "{}", stderr(&read));
    assert!(stdout(&read).contains("voor twee sleutels"));
    assert!(stdout(&s.desk(&["read", &id, "--mirror", &m])).contains("voor twee sleutels"));

    std::fs::write(&pass, "verkeerd\n").unwrap();
    let wrong = read_with_passphrase();
    assert_eq!(wrong.status.code(), Some(5));
    assert!(
        stderr(&wrong).contains("wrong passphrase"),
        "{}",
        stderr(&wrong)
    );
    assert_eq!(
        stderr(&wrong).lines().count(),
        1,
        "one line: {}",
        stderr(&wrong)
    );
}

#[test]
fn a_wrong_identity_gets_a_clear_error_and_its_own_exit_code() {
    let s = Server::start(&[]);
    s.report("niet voor jou");
    let m = mirror(&s);
    assert!(s
        .desk(&["pull", "--server", &s.url, "--mirror", &m])
        .status
        .success());
    let other = s.dir.path().join("other.key");
    last_line(&tipline(&["keygen", "--out", other.to_str().unwrap()]));
    let out = tipline(&[
        "desk",
        "read",
        &short_id(&s),
        "--mirror",
        &m,
        "--identity",
        other.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(5));
    assert!(stderr(&out).contains("cannot open"), "{}", stderr(&out));
    assert!(!stdout(&out).contains("niet voor jou"));
}

#[test]
fn a_refused_token_and_an_unreachable_server_get_their_own_exit_codes() {
    let s = Server::start(&[]);
    let m = mirror(&s);
    let refused = std::process::Command::new(bin())
        .args(["desk", "pull", "--server", &s.url, "--mirror", &m])
        .env("TIPLINE_TOKEN", format!("tipline_{}", "0".repeat(64)))
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(4), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("refused the token"));
}

#[test]
fn an_interrupted_pull_leaves_a_readable_mirror_and_the_next_pull_fetches_only_what_is_missing() {
    let s = Server::start(&[]);
    for i in 0..3 {
        s.report(&format!("melding nummer {i}"));
    }
    let m = mirror(&s);
    let first = s.desk(&["pull", "--server", &s.url, "--mirror", &m]);
    assert!(
        stdout(&first).contains("pulled 3 new message"),
        "{}",
        stdout(&first)
    );

    // What an interruption leaves: files are renamed into place whole and a
    // report's index last, so at worst some files or indexes are missing, and a
    // half-written download sits in tmp/.
    let reports = std::path::Path::new(&m).join("reports");
    let mut dirs: Vec<_> = std::fs::read_dir(&reports)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    std::fs::remove_file(dirs[0].join("messages.json")).unwrap();
    let msg_dir = dirs[1].join("messages");
    let one = std::fs::read_dir(&msg_dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::remove_file(one).unwrap();
    std::fs::remove_file(dirs[1].join("messages.json")).unwrap();
    std::fs::write(std::path::Path::new(&m).join("tmp").join("x.part"), b"half").unwrap();

    let listed = s.desk(&["list", "--mirror", &m]);
    assert!(
        listed.status.success(),
        "the mirror stays readable: {}",
        stderr(&listed)
    );

    let second = s.desk(&["pull", "--server", &s.url, "--mirror", &m]);
    assert!(
        stdout(&second).contains("pulled 1 new message"),
        "{}",
        stdout(&second)
    );
    let third = s.desk(&["pull", "--server", &s.url, "--mirror", &m]);
    assert!(
        stdout(&third).contains("pulled 0 new message"),
        "{}",
        stdout(&third)
    );
    let listed = stdout(&s.desk(&["list", "--mirror", &m]));
    for i in 0..3 {
        assert!(listed.contains(&format!("melding nummer {i}")), "{listed}");
    }
}

#[test]
fn attachments_are_listed_with_names_and_saved_exactly_or_without_metadata() {
    let s = Server::start(&[]);
    let photo = jpeg_with_gps();
    let (status, _) = post_multipart(
        &format!("{}/report", s.url),
        &[
            ("message", None, b"zie foto"),
            ("attachment", Some("strand.jpg"), &photo),
        ],
    );
    assert_eq!(status, 200);
    let (m, id, read) = pull_and_read(&s);
    assert!(read.contains("strand.jpg"), "{read}");
    assert!(read.contains("metadata"));
    let att = read
        .lines()
        .find(|l| l.contains("strand.jpg"))
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();

    let exact = s.dir.path().join("exact.jpg");
    let saved = s.desk(&[
        "save-attachment",
        &id,
        &att,
        "--mirror",
        &m,
        "--out",
        exact.to_str().unwrap(),
    ]);
    assert!(saved.status.success(), "{}", stderr(&saved));
    assert_eq!(std::fs::read(&exact).unwrap(), photo);
    assert!(stderr(&saved).contains("--strip-metadata"));

    let clean = s.dir.path().join("clean.jpg");
    let stripped = s.desk(&[
        "save-attachment",
        &id,
        &att,
        "--mirror",
        &m,
        "--out",
        clean.to_str().unwrap(),
        "--strip-metadata",
    ]);
    assert!(stripped.status.success(), "{}", stderr(&stripped));
    let clean = std::fs::read(&clean).unwrap();
    assert!(!String::from_utf8_lossy(&clean).contains("GPS"));
    assert!(
        clean.ends_with(&[0x55, 0xAA, 0xFF, 0xD9]),
        "image data kept"
    );

    // Never overwrites.
    let again = s.desk(&[
        "save-attachment",
        &id,
        &att,
        "--mirror",
        &m,
        "--out",
        exact.to_str().unwrap(),
    ]);
    assert!(!again.status.success());
}

#[test]
fn a_report_the_reporter_deleted_leaves_the_mirror_on_the_next_pull() {
    let s = Server::start(&[]);
    let code = s.report("wordt verwijderd");
    let m = mirror(&s);
    assert!(s
        .desk(&["pull", "--server", &s.url, "--mirror", &m])
        .status
        .success());
    let page = s.check(&code).text();
    let (_, confirm) = post_form(
        &format!("{}/check/delete", s.url),
        &[("token", &token_field(&page).unwrap())],
    );
    let (status, _) = post_form(
        &format!("{}/check/delete/confirm", s.url),
        &[("token", &token_field(&confirm).unwrap())],
    );
    assert_eq!(status, 200);
    let pulled = stdout(&s.desk(&["pull", "--server", &s.url, "--mirror", &m]));
    assert!(
        pulled.contains("moved 1 report(s) to quarantine"),
        "{pulled}"
    );
    assert!(!stdout(&s.desk(&["list", "--mirror", &m])).contains("wordt verwijderd"));
}

#[test]
fn figures_count_by_month_status_and_language_and_name_no_free_text() {
    let s = Server::start(&[]);
    for (lang, text, forms) in [
        ("nl", "eerste", &["labour", "criminal"][..]),
        ("nl", "tweede", &["labour"][..]),
        ("en", "CONTACT ME AT 06-12345678", &[][..]),
    ] {
        let mut parts: Vec<(&str, Option<&str>, &[u8])> = vec![
            ("lang", None, lang.as_bytes()),
            ("message", None, text.as_bytes()),
            ("q-contact-how", None, b"06-99887766"),
        ];
        for f in forms {
            parts.push(("q-forms", None, f.as_bytes()));
        }
        let (status, _) = post_multipart(&format!("{}/report", s.url), &parts);
        assert_eq!(status, 200);
    }
    let id = s.reports()[0]["id"].as_str().unwrap().to_string();
    assert_eq!(s.set_status(&id, "closed").status, 204);
    let m = mirror(&s);
    assert!(s
        .desk(&["pull", "--server", &s.url, "--mirror", &m])
        .status
        .success());
    let refused = s.desk(&["figures", "--mirror", &m, "--by", "contact-how"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(!stdout(&refused).contains("06-99887766"));
    let unknown = s.desk(&["figures", "--mirror", &m, "--by", "no-such-question"]);
    assert_eq!(unknown.status.code(), Some(2));
    let out = s.desk(&["figures", "--mirror", &m, "--csv", "--by", "forms"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = stdout(&out);
    let month = s.reports()[0]["received"].as_str().unwrap()[..7].to_string();
    assert!(csv.contains(&format!("month,\"{month}\",3")), "{csv}");
    assert!(
        csv.contains("language,\"nl\",2") && csv.contains("language,\"en\",1"),
        "{csv}"
    );
    assert!(
        csv.contains("status,\"closed\",1") && csv.contains("status,\"received\",2"),
        "{csv}"
    );
    assert!(csv.contains("forms,\"labour\",2"), "{csv}");
    assert!(csv.contains("forms,\"criminal\",1"), "{csv}");
    assert!(csv.contains("forms,\"(not answered)\",1"), "{csv}");
    assert!(
        !csv.contains("06-12345678"),
        "free text must not appear in figures"
    );
}

#[test]
fn desk_list_flags_danger_and_read_shows_the_questions_in_words_danger_first() {
    let s = Server::start(&[]);
    let (status, _) = post_multipart(
        &format!("{}/report", s.url),
        &[
            ("lang", None, b"nl"),
            ("variant", None, b"kids"),
            ("q-danger", None, b"yes"),
            ("q-role", None, b"victim"),
            ("message", None, b"Hij staat voor de deur."),
        ],
    );
    assert_eq!(status, 200);
    let (m, id, read) = pull_and_read(&s);
    assert!(read.contains("RIGHT NOW"), "{read}");
    assert!(read.contains("children's form"), "{read}");
    let role = read.lines().find(|l| l.contains("[victim]")).unwrap_or("");
    assert!(role.starts_with("Wie ben jij?"), "{read}");
    let listed = stdout(&s.desk(&["list", "--mirror", &m]));
    let line = listed.lines().find(|l| l.starts_with(&id)).unwrap_or("");
    assert!(line.contains("DANGER,kids"), "{listed}");
    let english = stdout(&s.desk(&["read", &id, "--mirror", &m, "--lang", "en"]));
    assert!(
        english.contains("Who are you?: It is about me [victim]"),
        "{english}"
    );
    assert!(
        english.find("RIGHT NOW").unwrap() < english.find("Hij staat").unwrap(),
        "{english}"
    );
}
