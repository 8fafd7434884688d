//! The Debian package and its systemd unit (issue 17): the unit's sandbox as
//! `systemd-analyze` rates it, the package built by `cargo deb` from the binary
//! under test, installed and removed with dpkg, and the shipped config file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::harness::*;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e} (scripts/test installs what it needs)"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}): {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A copy of a unit whose ExecStart names the binary under test (verify checks
/// that the program exists).
fn unit_copy(dir: &Path, name: &str) -> PathBuf {
    let text = std::fs::read_to_string(repo().join("packaging").join(name)).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text.replace("/usr/bin/tipline", bin())).unwrap();
    path
}

/// The number in "Overall exposure level for tipline.service: 1.1 OK".
fn exposure(report: &str) -> (f64, String) {
    let line = report
        .lines()
        .find(|l| l.contains("Overall exposure level"))
        .unwrap_or_else(|| panic!("no overall exposure in: {report}"));
    let mut words = line.rsplit_once(':').unwrap().1.split_whitespace();
    let level: f64 = words.next().unwrap().parse().unwrap();
    (level, words.next().unwrap_or_default().to_string())
}

#[test]
fn the_systemd_unit_rates_ok_and_verifies_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_copy(dir.path(), "tipline.service");
    let verify = run(Command::new("systemd-analyze").arg("verify").arg(&unit));
    assert_eq!(stderr(&verify), "", "systemd-analyze verify is clean");

    let security = run(Command::new("systemd-analyze")
        .args(["security", "--offline=true", "--no-pager"])
        .arg(&unit));
    let (level, word) = exposure(&stdout(&security));
    assert!(level <= 2.0, "exposure {level} {word}");
    assert!(["OK", "SAFE"].contains(&word.as_str()), "rated {word}");

    let text = std::fs::read_to_string(&unit).unwrap();
    for line in [
        "DynamicUser=yes",
        "StateDirectory=tipline",
        "CapabilityBoundingSet=\n",
        "ProtectSystem=strict",
        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
        "SystemCallFilter=@system-service",
        "UMask=0077",
        "ExecReload=/bin/kill -HUP $MAINPID",
        " serve --config /etc/tipline/config.toml\n",
    ] {
        assert!(text.contains(line), "the unit has {line:?}");
    }
}

#[test]
fn the_sample_desk_user_unit_verifies_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_copy(dir.path(), "tipline-desk.service");
    let runtime = dir.path().join("runtime");
    std::fs::create_dir(&runtime).unwrap();
    let verify = run(Command::new("systemd-analyze")
        .args(["verify", "--user"])
        .arg(&unit)
        .env("XDG_RUNTIME_DIR", &runtime));
    assert_eq!(stderr(&verify), "");
}

#[test]
fn the_shipped_config_file_is_accepted_by_serve() {
    // The harness's --data, --keys and --listen win over the file's paths; the
    // rest of the file (every commented line included) must parse.
    let config = repo().join("packaging/config.toml");
    let s = Server::start(&["--config", config.to_str().unwrap()]);
    assert_eq!(s.get("/").status, 200);
}

#[test]
fn the_debian_package_installs_and_removes_cleanly_with_dpkg() {
    // The package is built from the binary under test: cargo-deb takes
    // target/release/tipline, here a copy of this build's binary.
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir(work.path().join("release")).unwrap();
    std::fs::copy(bin(), work.path().join("release/tipline")).unwrap();
    let out_dir = work.path().join("out");
    run(Command::new("cargo")
        .args(["deb", "--no-build", "--fast", "--output"])
        .arg(&out_dir)
        .current_dir(repo())
        .env("CARGO_TARGET_DIR", work.path()));
    let deb = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "deb"))
        .expect("a .deb");

    let conffiles = run(Command::new("dpkg-deb")
        .args(["--info"])
        .arg(&deb)
        .arg("conffiles"));
    assert_eq!(
        stdout(&conffiles),
        "/etc/tipline/config.toml\n/etc/tipline/keys/README\n"
    );

    run(Command::new("dpkg").arg("-i").arg(&deb));
    let installed = [
        "/usr/bin/tipline",
        "/etc/tipline/config.toml",
        "/etc/tipline/keys/README",
        "/usr/lib/systemd/system/tipline.service",
        "/usr/share/tipline/templates/site.toml",
        "/usr/share/tipline/templates/locales/nl.ftl",
        "/usr/share/doc/tipline/examples/tipline-desk.service",
    ];
    for path in installed {
        assert!(Path::new(path).is_file(), "{path} installed");
    }
    let version = run(Command::new("/usr/bin/tipline").arg("--version"));
    assert!(stdout(&version).starts_with("tipline "));
    let verify = run(Command::new("systemd-analyze")
        .arg("verify")
        .arg("/usr/lib/systemd/system/tipline.service"));
    assert_eq!(stderr(&verify), "");
    // As installed, before any key is added, the server refuses to start and
    // says what to do: the config parses and the keys README is no key.
    let first_start = Command::new("/usr/bin/tipline")
        .args(["serve", "--config", "/etc/tipline/config.toml", "--data"])
        .arg(work.path().join("data"))
        .env_remove("TIPLINE_CONFIG")
        .output()
        .unwrap();
    let said = assert_fails_with_one_line(&first_start);
    assert!(
        said.contains("no recipient found in /etc/tipline/keys"),
        "{said}"
    );

    run(Command::new("dpkg").args(["-r", "tipline"]));
    assert!(!Path::new("/usr/bin/tipline").exists(), "binary removed");
    assert!(
        Path::new("/etc/tipline/config.toml").exists(),
        "dpkg -r keeps the operator's config"
    );
    run(Command::new("dpkg").args(["--purge", "tipline"]));
    for path in installed {
        assert!(!Path::new(path).exists(), "{path} gone after purge");
    }
    assert!(!Path::new("/etc/tipline").exists(), "/etc/tipline gone");
}
