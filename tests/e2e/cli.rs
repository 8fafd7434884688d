//! The command line: keygen, `staff add` beside a running server, and serve
//! refusing to start without a usable recipient or with a private key in keys/.

use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::harness::*;

/// Runs `tipline serve` to completion (it must exit by itself), with a deadline.
fn serve_until_exit(data: &std::path::Path, keys: &std::path::Path) -> std::process::Output {
    let mut child = std::process::Command::new(bin())
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .arg("--keys")
        .arg(keys)
        .env_remove("TIPLINE_CONFIG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "serve kept running: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn assert_refuses_to_start_for_lack_of_a_recipient(keys_content: &[(&str, &str)]) {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    for (name, content) in keys_content {
        std::fs::write(keys.join(name), content).unwrap();
    }

    // Act
    let out = serve_until_exit(&dir.path().join("data"), &keys);

    // Assert
    let line = assert_fails_with_one_line(&out);
    assert!(line.contains("recipient"), "{line}");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("listening on"),
        "it started anyway"
    );
}

#[test]
fn serve_with_an_empty_keys_directory_exits_non_zero_with_one_line_about_the_recipient() {
    assert_refuses_to_start_for_lack_of_a_recipient(&[]);
}

#[test]
fn serve_with_only_comments_and_non_pub_files_in_keys_refuses_to_start() {
    assert_refuses_to_start_for_lack_of_a_recipient(&[
        ("centre.pub", "# nobody yet\n\n"),
        (
            "centre.txt",
            "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq\n",
        ),
    ]);
}

#[test]
fn serve_with_a_missing_keys_directory_fails_with_one_line() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();

    // Act
    let out = serve_until_exit(&dir.path().join("data"), &dir.path().join("nokeys"));

    // Assert
    assert_fails_with_one_line(&out);
}

#[test]
fn serve_with_a_bad_recipient_line_refuses_to_start_with_one_line() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    std::fs::write(keys.join("centre.pub"), "age1notarealrecipient\n").unwrap();

    // Act
    let out = serve_until_exit(&dir.path().join("data"), &keys);

    // Assert
    assert_fails_with_one_line(&out);
}

#[test]
fn keygen_writes_a_0600_identity_that_the_reference_age_accepts() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("centre.key");

    // Act
    let out = tipline(&["keygen", "--out", path.to_str().unwrap()]);

    // Assert
    let recipient = last_line(&out);
    assert!(recipient.starts_with("age1"), "{recipient}");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "mode {mode:o}");
    let content = std::fs::read_to_string(&path).unwrap();
    assert!(
        content.contains("AGE-SECRET-KEY-1"),
        "not an age identity file"
    );
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("AGE-SECRET-KEY"),
        "the secret was printed"
    );
    let plain: Vec<u8> = (0..=255u8).collect();
    let ciphertext = age_encrypt(&plain, &[&recipient]);
    assert_eq!(age_decrypt(&path, &ciphertext), plain);
}

#[test]
fn keygen_refuses_to_overwrite_an_existing_file() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("centre.key");
    last_line(&tipline(&["keygen", "--out", path.to_str().unwrap()]));
    let before = std::fs::read(&path).unwrap();
    let other = dir.path().join("notes.txt");
    std::fs::write(&other, "precious").unwrap();

    // Act
    let again = tipline(&["keygen", "--out", path.to_str().unwrap()]);
    let over_other = tipline(&["keygen", "--out", other.to_str().unwrap()]);

    // Assert
    for out in [&again, &over_other] {
        assert_fails_with_one_line(out);
        assert!(!String::from_utf8_lossy(&out.stdout).contains("age1"));
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "precious");
}

#[test]
fn two_keygens_give_two_different_identities() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.key");
    let b = dir.path().join("b.key");

    // Act
    let ra = last_line(&tipline(&["keygen", "--out", a.to_str().unwrap()]));
    let rb = last_line(&tipline(&["keygen", "--out", b.to_str().unwrap()]));

    // Assert
    assert_ne!(ra, rb);
    let ciphertext = age_encrypt(b"for a only", &[&ra]);
    assert!(age_refuses(&b, &ciphertext), "b decrypted what was for a");
}

#[test]
fn staff_add_while_the_server_runs_fails_with_one_line_and_no_token() {
    // Arrange
    let s = Server::start(&[]);

    // Act
    let out = s.with_data(&["staff", "add", "carol"]);

    // Assert: "must work at least while the server is stopped"; if it cannot work
    // now, it must say so in one line and print no token.
    if !out.status.success() {
        assert_fails_with_one_line(&out);
        assert!(String::from_utf8_lossy(&out.stdout).trim().is_empty());
    } else {
        let token = last_line(&out);
        let resp = s.api_request("GET", "/reports", Some(&format!("Bearer {token}")), None);
        assert_eq!(resp.status, 200, "a printed token must work");
    }
}

#[test]
fn the_server_refuses_a_private_key_in_keys_and_an_empty_keys_directory() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    let serve = |keys: &std::path::Path| serve_until_exit(&dir.path().join("data"), keys);
    let empty = serve(&keys);
    assert!(!empty.status.success());
    assert!(
        stderr(&empty).contains("no recipient"),
        "{}",
        stderr(&empty)
    );
    last_line(&tipline(&[
        "keygen",
        "--out",
        keys.join("oops.key").to_str().unwrap(),
    ]));
    let private = serve(&keys);
    assert!(!private.status.success());
    assert!(
        stderr(&private).contains("private key"),
        "{}",
        stderr(&private)
    );
    assert_eq!(
        stderr(&private)
            .trim()
            .lines()
            .filter(|l| l.contains("error"))
            .count(),
        1
    );
}
