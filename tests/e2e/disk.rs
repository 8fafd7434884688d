//! What the data directory tells someone who copies it: file times, the order
//! of records, deleted reports, and the install's fixed settings (pepper check
//! value, Argon2id parameters) that keep a restore or a restart honest.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::harness::*;

/// Seconds into the UTC day of a Unix time (0 at midnight).
fn time_of_day(secs: i64) -> i64 {
    secs.rem_euclid(86_400)
}

/// Every attachment file with an access or modification time finer than the
/// day, and blob directory with such a modification time (listing a directory,
/// as this test does, sets its access time).
fn blob_times_finer_than_a_day(data: &Path) -> Vec<String> {
    let blobs = data.join("blobs");
    let dirs = [blobs.clone(), blobs.join("tmp")];
    let files = files_under(&blobs);
    files
        .iter()
        .chain(&dirs)
        .filter_map(|p| {
            let m = std::fs::metadata(p).unwrap();
            let atime = if p.is_dir() {
                0
            } else {
                time_of_day(m.atime())
            };
            (time_of_day(m.mtime()) != 0 || atime != 0).then(|| {
                format!(
                    "{}: mtime {} atime {}",
                    p.display(),
                    time_of_day(m.mtime()),
                    time_of_day(m.atime())
                )
            })
        })
        .collect()
}

#[test]
fn no_attachment_file_keeps_a_time_of_day_even_after_staff_download_it() {
    let s = Server::start(&[]);
    let resp = s.post_report(
        "a report with two files",
        &[
            ("a.jpg", "image/jpeg", b"first file".as_slice()),
            ("b.pdf", "application/pdf", b"second file".as_slice()),
        ],
    );
    assert_eq!(resp.status, 200, "{}", resp.text());
    let report = s.only_report();
    let id = report["id"].as_str().unwrap().to_string();
    let messages = s.messages(&id);
    let attachments = messages[0]["attachments"].as_array().unwrap().clone();
    assert_eq!(attachments.len(), 2);
    assert_eq!(files_under(&s.data.join("blobs")).len(), 2);
    assert_eq!(blob_times_finer_than_a_day(&s.data), Vec::<String>::new());
    for a in &attachments {
        let aid = a["id"].as_str().unwrap();
        api_bytes(&s, &format!("/reports/{id}/attachments/{aid}"));
    }
    assert_eq!(blob_times_finer_than_a_day(&s.data), Vec::<String>::new());
    // Outside the database (whose files show its last write, see SECURITY.md),
    // no file under --data was modified at a time of day either.
    let stamped: Vec<String> = files_under(&s.data)
        .iter()
        .chain([&s.data.join("control.sock")])
        .filter(|p| !p.starts_with(s.data.join("db")))
        .filter(|p| time_of_day(std::fs::metadata(p).unwrap().mtime()) != 0)
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(stamped, Vec::<String>::new());
}

/// The report ids in the order they arrived, and their codes.
fn reports_in_arrival_order(s: &Server, n: usize) -> (Vec<String>, Vec<String>) {
    let (mut ids, mut codes) = (Vec::new(), Vec::new());
    for i in 0..n {
        codes.push(s.report(&format!("report number {i} {}", marker("arrival"))));
        let new = s
            .reports()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .find(|id| !ids.contains(id))
            .unwrap();
        ids.push(new);
    }
    (ids, codes)
}

/// Where an id's bytes first occur in sled's log file, if anywhere.
fn offset_in_log(data: &Path, id: &str) -> Option<usize> {
    let log = std::fs::read(data.join("db").join("db")).unwrap();
    let raw = hex::decode(id).unwrap();
    log.windows(raw.len()).position(|w| w == raw.as_slice())
}

/// Pairs out of order: 0 for a sorted list, n(n-1)/2 for a reversed one.
fn inversions(offsets: &[usize]) -> usize {
    let mut n = 0;
    for i in 0..offsets.len() {
        for j in i + 1..offsets.len() {
            if offsets[i] > offsets[j] {
                n += 1;
            }
        }
    }
    n
}

/// Deletes a report the way its reporter does: check in, delete, confirm.
fn delete_as_reporter(s: &Server, code: &str) {
    let page = s.check(code).text();
    let (status, confirm) = post_form(
        &format!("{}/check/delete", s.url),
        &[("token", &token_field(&page).unwrap())],
    );
    assert_eq!(status, 200);
    let (status, _) = post_form(
        &format!("{}/check/delete/confirm", s.url),
        &[("token", &token_field(&confirm).unwrap())],
    );
    assert_eq!(status, 200);
}

/// Posts an opaque case event (an age file no one can read) to `report`;
/// returns its bytes.
fn post_event(s: &Server, report: &str) -> Vec<u8> {
    let recipient = age::x25519::Identity::generate().to_public();
    let event = tipline::envelope::seal(
        marker("event").as_bytes(),
        std::iter::once(&recipient as &dyn age::Recipient),
    )
    .unwrap();
    let resp = s.api_request(
        "POST",
        &format!("/reports/{report}/events"),
        Some(&s.bearer()),
        Some(&event),
    );
    assert!(resp.status < 300, "{}: {}", resp.status, resp.text());
    event
}

fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn compaction_leaves_no_byte_of_a_deleted_report_and_no_order_of_arrival_on_disk() {
    // Arrange: 30 reports in a known order; one deleted by its reporter.
    let mut s = Server::start(&[]);
    let (ids, codes) = reports_in_arrival_order(&s, 30);
    let gone = ids[10].clone();
    let mid = s.messages(&gone)[0]["id"].as_str().unwrap().to_string();
    let ciphertext = api_bytes(&s, &format!("/reports/{gone}/messages/{mid}"));
    let sample = ciphertext[ciphertext.len() / 2..][..64].to_vec();
    // A case event on the deleted report and on a kept one: the event's age
    // file must go with its report and the other must survive the copy.
    let gone_event = post_event(&s, &gone);
    let event_sample = gone_event[gone_event.len() / 2..][..64].to_vec();
    let kept = ids[3].clone();
    let kept_event = post_event(&s, &kept);
    delete_as_reporter(&s, &codes[10]);
    s.kill();
    let before: Vec<usize> = ids
        .iter()
        .filter(|id| **id != gone)
        .filter_map(|id| offset_in_log(&s.data, id))
        .collect();

    // Act
    let out = s.with_data(&["compact"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // Assert: nothing of the deleted report anywhere under --data ...
    let all = s.data_bytes();
    assert!(!contains_bytes(&all, &hex::decode(&gone).unwrap()));
    assert!(!contains_bytes(&all, gone.as_bytes()));
    assert!(
        !contains_bytes(&all, &sample),
        "its ciphertext is still on disk"
    );
    assert!(
        !contains_bytes(&all, &event_sample),
        "its case event is still on disk"
    );
    // ... and the ids' order in the log is far from the order of arrival.
    let after: Vec<usize> = ids
        .iter()
        .filter(|id| **id != gone)
        .map(|id| offset_in_log(&s.data, id).expect("a live id in the log"))
        .collect();
    let max = after.len() * (after.len() - 1) / 2;
    let inv = inversions(&after);
    eprintln!(
        "pairs out of arrival order: {} before, {inv} after, of {max}",
        inversions(&before)
    );
    assert!(
        inv > max * 15 / 100 && inv < max * 85 / 100,
        "{inv} of {max} pairs out of arrival order after compaction (before: {})",
        inversions(&before)
    );
    // And every other report still works.
    s.start_again();
    assert_eq!(s.reports().len(), 29);
    let events = s.api_json(&format!("/reports/{kept}/events"));
    let eid = events["events"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        api_bytes(&s, &format!("/reports/{kept}/events/{eid}")),
        kept_event,
        "the kept report's case event survives compaction"
    );
    for (i, code) in codes.iter().enumerate() {
        if i != 10 {
            s.check_ok(code);
        }
    }
}

/// Starts a process with stderr going to a file; returns both.
fn spawn_logged(mut cmd: Command, log: &Path) -> Child {
    cmd.stdin(Stdio::null())
        .stdout(std::fs::File::create(log.with_extension("out")).unwrap())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap()
}

/// Waits (generously) until `file` contains `text`; returns its content.
fn wait_for(file: &Path, text: &str) -> String {
    let mut content = String::new();
    let found = eventually(Duration::from_secs(60), || {
        content = String::from_utf8_lossy(&std::fs::read(file).unwrap_or_default()).into_owned();
        content.contains(text)
    });
    assert!(found, "never saw {text:?} in {}: {content}", file.display());
    content
}

/// `tipline serve` on `s`'s data and keys with extra environment, as the
/// harness starts it; returns the child, its URL and its stderr file.
fn serve_with_env(s: &Server, env: &[(&str, &str)]) -> (Child, String, PathBuf) {
    let log = s.dir.path().join(format!("serve-{}.log", random_u64()));
    let mut cmd = Command::new(bin());
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&s.data)
        .arg("--keys")
        .arg(&s.keys)
        .env_remove("TIPLINE_CONFIG")
        .env("TIPLINE_KDF_MEMORY_KIB", "1024")
        .env("TIPLINE_KDF_ITERATIONS", "1")
        .env("TIPLINE_LOG", "info")
        .envs(env.iter().copied());
    let child = spawn_logged(cmd, &log);
    let out = wait_for(&log.with_extension("out"), "listening on ");
    let url = out
        .lines()
        .find_map(|l| l.strip_prefix("listening on "))
        .unwrap()
        .trim()
        .trim_end_matches('/')
        .to_string();
    (child, url, log)
}

#[test]
fn a_report_that_arrives_during_an_online_compaction_is_kept() {
    // Arrange: a server whose compaction pauses (test hook) after copying.
    let mut s = Server::start(&[]);
    let codes: Vec<String> = (0..5).map(|i| s.report(&format!("before {i}"))).collect();
    s.kill();
    let log = s.dir.path().join("compact.log");
    let (mut server, url, server_log) =
        serve_with_env(&s, &[("TIPLINE_TEST_COMPACT_PAUSE", "copied:3")]);

    // Act: compact through the running server; send a report while it copies.
    let mut compact = Command::new(bin());
    compact.args(["compact", "--data"]).arg(&s.data);
    let mut compacting = spawn_logged(compact, &log);
    wait_for(&server_log, "compaction paused at copied");
    let resp = send_parts(
        &format!("{url}/report"),
        &[Part::Text("message", b"arrived during the compaction")],
    );
    let status = compacting.wait().unwrap();

    // Assert
    assert!(status.success(), "{}", wait_for(&log, ""));
    assert_eq!(resp.status, 200, "{}", resp.text());
    let during = receipt_code(&resp.text()).unwrap();
    let _ = server.kill();
    let _ = server.wait();
    s.start_again();
    assert_eq!(s.reports().len(), 6);
    for code in codes.iter().chain([&during]) {
        s.check_ok(code);
    }
}

#[test]
fn a_compaction_killed_at_any_stage_leaves_the_old_or_the_new_database_whole() {
    let mut s = Server::start(&[]);
    let codes: Vec<String> = (0..8).map(|i| s.report(&format!("keep {i}"))).collect();
    s.kill();
    for stage in ["copied", "marked", "old-moved"] {
        // Act: kill -9 the compaction while it waits at `stage`.
        let log = s.dir.path().join(format!("compact-{stage}.log"));
        let mut cmd = Command::new(bin());
        cmd.args(["compact", "--data"])
            .arg(&s.data)
            .env("TIPLINE_TEST_COMPACT_PAUSE", stage);
        let mut child = spawn_logged(cmd, &log);
        wait_for(&log, &format!("compaction paused at {stage}"));
        child.kill().unwrap();
        child.wait().unwrap();

        // Assert: the next start has every report.
        s.start_again();
        assert_eq!(s.reports().len(), 8, "after a kill at {stage}");
        for code in &codes {
            s.check_ok(code);
        }
        s.kill();
        for leftover in ["db.next", "db.old", "compact.swap"] {
            assert!(!s.data.join(leftover).exists(), "{leftover} after {stage}");
        }
    }
}

#[test]
fn the_servers_own_retention_purge_compacts_so_no_byte_of_a_purged_report_remains() {
    // Arrange: a closed report past a retention of 0 days, with an attachment.
    let mut s = Server::start(&["--retention-days", "0"]);
    let resp = s.post_report(
        "purge me",
        &[("a.bin", "application/octet-stream", b"attached")],
    );
    assert_eq!(resp.status, 200);
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let mid = s.messages(&id)[0]["id"].as_str().unwrap().to_string();
    let ciphertext = api_bytes(&s, &format!("/reports/{id}/messages/{mid}"));
    let sample = ciphertext[ciphertext.len() / 2..][..64].to_vec();
    assert_eq!(s.set_status(&id, "closed").status, 204);

    // Act: the purge at start (then daily) runs with the compaction.
    s.restart();

    // Assert
    let raw_id = hex::decode(&id).unwrap();
    let gone = eventually(Duration::from_secs(30), || {
        let all = s.data_bytes();
        s.reports().is_empty()
            && !contains_bytes(&all, &sample)
            && !contains_bytes(&all, &raw_id)
            && files_under(&s.data.join("blobs")).is_empty()
    });
    assert!(gone, "the purged report is still on disk: {}", s.log_text());
}

#[test]
fn compacting_a_stopped_server_removes_attachment_files_no_message_names() {
    let mut s = Server::start(&[]);
    let resp = s.post_report("kept", &[("a.txt", "text/plain", b"kept file")]);
    assert_eq!(resp.status, 200);
    s.kill();
    // What a crash between storing a file and its message would leave.
    let orphan = s
        .data
        .join("blobs")
        .join("0123456789abcdef0123456789abcdef");
    std::fs::write(&orphan, b"an attachment nobody refers to").unwrap();

    let out = s.with_data(&["compact"]);

    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!orphan.exists());
    assert_eq!(files_under(&s.data.join("blobs")).len(), 1);
}
