//! The install's fixed settings and the commands around the data directory: a
//! restore without its pepper, other Argon2id settings, a pepper made where one
//! is already needed, and every data command reading the same configuration
//! and refusing a directory that holds no database.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::harness::*;

/// Runs `tipline serve` that must exit by itself (with the harness's cheap KDF
/// unless `args` names one), with a deadline.
fn serve_until_exit(data: &Path, keys: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(bin());
    if !args.iter().any(|a| a.starts_with("--kdf-memory")) {
        cmd.env("TIPLINE_KDF_MEMORY_KIB", "1024")
            .env("TIPLINE_KDF_ITERATIONS", "1");
    }
    let mut child = cmd
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .arg("--keys")
        .arg(keys)
        .args(args)
        .env_remove("TIPLINE_CONFIG")
        .env("TIPLINE_LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!("serve kept running: {}", stdout(&out));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Unpacks a backup tar into a new directory.
fn restore(backup: &Path, into: &Path) {
    std::fs::create_dir(into).unwrap();
    tar::Archive::new(std::fs::File::open(backup).unwrap())
        .unpack(into)
        .unwrap();
}

/// A backup of the running server, taken through its control socket.
fn backup_of(s: &Server) -> PathBuf {
    let out = s.dir.path().join("backup.tar");
    let done = tipline(&[
        "backup",
        "--data",
        s.data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(done.status.success(), "{}", stderr(&done));
    out
}

#[test]
fn a_restore_without_its_pepper_is_refused_naming_the_pepper_file_and_with_it_everything_works() {
    // Arrange: a report with an attachment, backed up, the server gone.
    let mut s = Server::start(&[]);
    let resp = s.post_report("restore me", &[("a.txt", "text/plain", b"attached bytes")]);
    assert_eq!(resp.status, 200);
    let code = receipt_code(&resp.text()).unwrap();
    let backup = backup_of(&s);
    s.kill();
    let restored = s.dir.path().join("restored");
    restore(&backup, &restored);

    // Act: serve the restore without the pepper.
    let out = serve_until_exit(&restored, &s.keys, &[]);

    // Assert: refused in one line that names the pepper file; no new pepper made.
    let line = assert_fails_with_one_line(&out);
    let pepper = restored.join("pepper");
    assert!(line.contains(pepper.to_str().unwrap()), "{line}");
    assert!(!pepper.exists(), "a new pepper was made");

    // With the pepper back, the code and the attachment work.
    std::fs::copy(s.data.join("pepper"), &pepper).unwrap();
    std::fs::set_permissions(&pepper, std::fs::Permissions::from_mode(0o600)).unwrap();
    s.data = restored;
    s.start_again();
    s.check_ok(&code);
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let aid = s.messages(&id)[0]["attachments"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let file = api_bytes(&s, &format!("/reports/{id}/attachments/{aid}"));
    assert_eq!(age_decrypt(&s.identity, &file), b"attached bytes");
}

#[test]
fn a_pepper_of_another_installation_is_refused_naming_the_pepper_file() {
    let mut s = Server::start(&[]);
    s.kill();
    let other = Server::start(&[]);
    let pepper = s.data.join("pepper");
    std::fs::remove_file(&pepper).unwrap();
    std::fs::copy(other.data.join("pepper"), &pepper).unwrap();
    std::fs::set_permissions(&pepper, std::fs::Permissions::from_mode(0o600)).unwrap();

    let out = serve_until_exit(&s.data, &s.keys, &[]);

    let line = assert_fails_with_one_line(&out);
    assert!(line.contains(pepper.to_str().unwrap()), "{line}");
    assert!(line.contains("does not match"), "{line}");
}

#[test]
fn a_new_pepper_is_announced_with_its_path_and_never_made_for_a_database_that_holds_reports() {
    let mut s = Server::start(&[]);
    let pepper = s.data.join("pepper");
    let log = s.log_text();
    assert!(
        log.contains(pepper.to_str().unwrap()) && log.contains("back this file up"),
        "{log}"
    );
    s.report("a report that needs the pepper");
    s.kill();
    std::fs::remove_file(&pepper).unwrap();

    let out = serve_until_exit(&s.data, &s.keys, &[]);

    let line = assert_fails_with_one_line(&out);
    assert!(line.contains(pepper.to_str().unwrap()), "{line}");
    assert!(line.contains("missing"), "{line}");
    assert!(!pepper.exists(), "a new pepper was made");
}

#[test]
fn changing_the_argon2id_settings_after_installation_is_refused_with_a_reason() {
    // The harness installs with 1024 KiB and 1 pass.
    let mut s = Server::start(&[]);
    let code = s.report("made under the installed settings");
    s.kill();

    for other in [
        ["--kdf-memory-kib", "2048", "--kdf-iterations", "1"],
        ["--kdf-memory-kib", "1024", "--kdf-iterations", "2"],
    ] {
        let out = serve_until_exit(&s.data, &s.keys, &other);
        let line = assert_fails_with_one_line(&out);
        assert!(line.contains("Argon2id"), "{line}");
        assert!(line.contains("fixed at installation"), "{line}");
        assert!(line.contains("memory 1024 KiB, 1 passes"), "{line}");
    }

    s.start_again();
    s.check_ok(&code);
}

/// Writes a config file naming `data` and returns its path.
fn config_naming(dir: &Path, data: &Path) -> PathBuf {
    let file = dir.join(format!("tipline-{}.toml", random_u64()));
    std::fs::write(&file, format!("data = {:?}\n", data.to_str().unwrap())).unwrap();
    file
}

/// Runs `tipline ARGS` in `cwd` with `TIPLINE_*` from the environment removed.
fn tipline_in(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(cwd)
        .env_remove("TIPLINE_CONFIG")
        .env_remove("TIPLINE_DATA")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn every_data_command_reads_the_config_file_as_serve_does() {
    let mut s = Server::start(&[]);
    s.report("one report");
    s.kill();
    let cwd = tempfile::tempdir().unwrap();
    let config = config_naming(s.dir.path(), &s.data);
    // The harness installs with a cheap KDF; check-config must be told the same.
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("kdf-memory-kib = 1024\nkdf-iterations = 1\n");
    std::fs::write(&config, text).unwrap();
    let cfg = config.to_str().unwrap();
    let keys = s.keys.to_str().unwrap();
    let out_tar = s.dir.path().join("via-config.tar");

    let by_flag = [
        vec!["staff", "list", "--config", cfg],
        vec!["purge", "--config", cfg],
        vec!["compact", "--config", cfg],
        vec![
            "backup",
            "--config",
            cfg,
            "--out",
            out_tar.to_str().unwrap(),
        ],
        vec!["check-config", "--config", cfg, "--keys", keys],
    ];
    for args in &by_flag {
        let out = tipline_in(cwd.path(), args, &[]);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    assert!(stdout(&tipline_in(cwd.path(), &by_flag[0], &[])).contains("tester"));
    assert!(stdout(&tipline_in(
        cwd.path(),
        &["staff", "list"],
        &[("TIPLINE_CONFIG", cfg)]
    ))
    .contains("tester"));
    assert!(out_tar.exists());
    assert!(
        !cwd.path().join("data").exists(),
        "a command made ./data instead of reading the config"
    );
    s.start_again();
    assert_eq!(s.reports().len(), 1);
}

#[test]
fn every_data_command_refuses_a_directory_without_a_database_and_makes_none() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("nothing-here");
    let config = config_naming(dir.path(), &empty);
    let cfg = config.to_str().unwrap();
    let out_tar = dir.path().join("b.tar");
    let keys = dir.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    let recipient = last_line(&tipline(&[
        "keygen",
        "--out",
        dir.path().join("c.key").to_str().unwrap(),
    ]));
    std::fs::write(keys.join("c.pub"), recipient).unwrap();

    let commands = [
        vec!["staff", "list", "--config", cfg],
        vec!["staff", "revoke", "bob", "--config", cfg],
        vec!["purge", "--config", cfg],
        vec!["compact", "--config", cfg],
        vec![
            "backup",
            "--config",
            cfg,
            "--out",
            out_tar.to_str().unwrap(),
        ],
        vec![
            "check-config",
            "--config",
            cfg,
            "--keys",
            keys.to_str().unwrap(),
        ],
        // The default ./data, which does not exist in this working directory.
        vec!["staff", "list"],
        vec!["staff", "add", "alice"],
        vec!["purge"],
        vec!["compact"],
    ];
    for args in &commands {
        let out = tipline_in(dir.path(), args, &[]);
        let line = assert_fails_with_one_line(&out);
        assert!(line.contains("no database"), "{args:?}: {line}");
    }
    assert!(!empty.exists(), "a command made the data directory");
    assert!(!dir.path().join("data").exists(), "a command made ./data");
    assert!(!out_tar.exists());
}

#[test]
fn check_config_accepts_a_good_setup_and_says_what_is_wrong_in_one_line() {
    let mut s = Server::start(&[]);
    s.kill();
    let data = s.data.to_str().unwrap();
    let cheap = ["--kdf-memory-kib", "1024", "--kdf-iterations", "1"];
    let empty_keys = s.dir.path().join("no-keys");
    std::fs::create_dir(&empty_keys).unwrap();
    let keys = s.keys.to_str().unwrap();

    let good = tipline(
        &[
            &["check-config", "--data", data, "--keys", keys][..],
            &cheap,
        ]
        .concat(),
    );
    assert!(good.status.success(), "{}", stderr(&good));

    let no_recipient = tipline(
        &[
            &[
                "check-config",
                "--data",
                data,
                "--keys",
                empty_keys.to_str().unwrap(),
            ][..],
            &cheap,
        ]
        .concat(),
    );
    assert!(assert_fails_with_one_line(&no_recipient).contains("no recipient"));

    let other_kdf = tipline(&["check-config", "--data", data, "--keys", keys]);
    assert!(assert_fails_with_one_line(&other_kdf).contains("Argon2id"));

    s.start_again();
    assert_eq!(s.reports().len(), 0);
}
