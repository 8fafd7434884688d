//! Durability under load and backups taken while the server runs.

use std::process::Command;

use crate::harness::*;

#[test]
fn hundreds_of_concurrent_reports_are_all_stored_and_all_decrypt() {
    let s = Server::start(&[]);
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let url = s.url.clone();
            std::thread::spawn(move || {
                (0..40)
                    .map(|i| {
                        let text = format!("load writer {w} report {i}");
                        let (status, page) = post_multipart(
                            &format!("{url}/report"),
                            &[("message", None, text.as_bytes())],
                        );
                        assert_eq!(status, 200);
                        (text, receipt_code(&page).unwrap())
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let sent: Vec<(String, String)> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert_eq!(sent.len(), 320);

    // Every acknowledged report is listed and opens with the centre identity.
    let reports = s.reports();
    assert_eq!(reports.len(), sent.len());
    let mut texts = std::collections::HashSet::new();
    // The mirror holds every first message; decrypting them all with the
    // reference age would take long, so the desk decrypts, and age checks a sample.
    let mirror = s.dir.path().join("mirror");
    let pulled = s.desk(&[
        "pull",
        "--server",
        &s.url,
        "--mirror",
        mirror.to_str().unwrap(),
    ]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    let listed = stdout(&s.desk(&["list", "--mirror", mirror.to_str().unwrap()]));
    for (text, _) in &sent {
        assert!(
            listed.contains(text.as_str()),
            "{text} missing from the desk's list"
        );
        texts.insert(text.clone());
    }
    for r in reports.iter().step_by(40) {
        let id = r["id"].as_str().unwrap();
        let mid = s.api_json(&format!("/reports/{id}/messages"))["messages"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let plain = age_decrypt(
            &s.identity,
            &api_bytes(&s, &format!("/reports/{id}/messages/{mid}")),
        );
        let json: serde_json::Value = serde_json::from_slice(&plain).unwrap();
        assert!(texts.contains(json["message"].as_str().unwrap()));
    }
    // And every code works.
    for (_, code) in sent.iter().step_by(16) {
        let page = s.check(code).text();
        assert!(element_text(&page, "report-status").is_some());
    }
}

#[test]
fn a_backup_taken_while_the_server_runs_restores_to_the_same_reports_and_codes() {
    let mut s = Server::start(&[]);
    let (_, page) = post_multipart(
        &format!("{}/report", s.url),
        &[
            ("message", None, b"kept in the backup"),
            ("attachment", Some("f.bin"), b"file bytes"),
        ],
    );
    let code = receipt_code(&page).unwrap();
    let id = s.reports()[0]["id"].as_str().unwrap().to_string();
    let recipient = s.reports()[0]["reporter_recipient"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        s.post_reply(&id, &age_encrypt(b"antwoord in de backup", &[&recipient]))
            .status,
        201
    );
    // A case event (opaque to the server) goes into the backup too.
    let centre = std::fs::read_to_string(s.keys.join("centre.pub")).unwrap();
    let centre = centre.lines().find(|l| l.starts_with("age1")).unwrap();
    let event = age_encrypt(b"interne notitie", &[centre]);
    let posted = s.api_request(
        "POST",
        &format!("/reports/{id}/events"),
        Some(&s.bearer()),
        Some(&event),
    );
    assert_eq!(posted.status, 201, "{}", posted.text());

    // While the server runs (and keeps taking reports).
    let backup = s.dir.path().join("backup.tar");
    let out = tipline(&[
        "backup",
        "--data",
        s.data.to_str().unwrap(),
        "--out",
        backup.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("running server"), "{}", stdout(&out));
    let later = s.report("after the backup");
    let tar = std::fs::read(&backup).unwrap();
    for needle in [
        "kept in the backup",
        "antwoord in de backup",
        "interne notitie",
        "f.bin",
        code.as_str(),
    ] {
        assert!(
            !tar.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{needle} in clear in the backup"
        );
    }
    let pepper = std::fs::read(s.data.join("pepper")).unwrap();
    assert!(
        !tar.windows(pepper.len()).any(|w| w == pepper.as_slice()),
        "the pepper is in the backup"
    );
    // A second backup to the same name is refused, the first is left alone.
    let again = tipline(&[
        "backup",
        "--data",
        s.data.to_str().unwrap(),
        "--out",
        backup.to_str().unwrap(),
    ]);
    assert!(!again.status.success());

    // Restore: untar into a new data directory, add the pepper, serve it.
    s.kill();
    let restored = s.dir.path().join("restored");
    std::fs::create_dir(&restored).unwrap();
    assert!(Command::new("tar")
        .arg("-xf")
        .arg(&backup)
        .arg("-C")
        .arg(&restored)
        .status()
        .unwrap()
        .success());
    std::fs::copy(s.data.join("pepper"), restored.join("pepper")).unwrap();
    std::fs::set_permissions(
        restored.join("pepper"),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    s.data = restored;
    s.start_again();
    let page = s.check(&code).text();
    assert_eq!(replies(&page), vec!["antwoord in de backup"]);
    let missing = s.check(&later).text();
    assert!(
        element_text(&missing, "report-status").is_none(),
        "a report made after the backup"
    );
    let events = s.api_json(&format!("/reports/{id}/events"))["events"].clone();
    let eid = events[0]["id"].as_str().unwrap();
    assert_eq!(
        api_bytes(&s, &format!("/reports/{id}/events/{eid}")),
        event,
        "the case event is restored"
    );
    let messages = s.api_json(&format!("/reports/{id}/messages"))["messages"].clone();
    let aid = messages[0]["attachments"][0]["id"].as_str().unwrap();
    let file = age_decrypt(
        &s.identity,
        &api_bytes(&s, &format!("/reports/{id}/attachments/{aid}")),
    );
    assert_eq!(file, b"file bytes");
}

#[test]
fn a_backup_of_a_stopped_server_works_too() {
    let mut s = Server::start(&[]);
    s.report("stopped backup");
    s.kill();
    let backup = s.dir.path().join("b.tar");
    let out = tipline(&[
        "backup",
        "--data",
        s.data.to_str().unwrap(),
        "--out",
        backup.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 report"), "{}", stdout(&out));
}
