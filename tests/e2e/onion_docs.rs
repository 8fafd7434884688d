//! docs/onion-service.md and the private Tor network test (tests/tor/) agree, and
//! the network test keeps the safety rules that stop it touching the public Tor
//! network. (The onion tests themselves run in `tests/tor/run.sh`: they need a
//! network namespace, which `cargo test` cannot assume.)

use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The lines of the fenced block of `doc` whose first line starts with `mark`.
fn block(doc: &str, mark: &str) -> Vec<String> {
    let mut fences = doc.split("```").skip(1).step_by(2);
    let body = fences
        .find(|b| {
            b.trim_start_matches(|c: char| c.is_alphanumeric())
                .trim_start()
                .starts_with(mark)
        })
        .unwrap_or_else(|| panic!("no block starting {mark:?}"));
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

#[test]
fn the_onion_docs_configure_v3_client_authorisation_and_never_the_removed_v2_option() {
    let doc = read("docs/onion-service.md");
    let in_blocks: Vec<&str> = doc.split("```").skip(1).step_by(2).collect();
    assert!(
        in_blocks
            .iter()
            .all(|b| !b.contains("HiddenServiceAuthorizeClient")),
        "a torrc block still sets the v2 option HiddenServiceAuthorizeClient"
    );
    assert!(doc.contains("authorized_clients/desk1.auth"));
    assert!(in_blocks
        .iter()
        .any(|b| b.trim() == "descriptor:x25519:PUBLICKEY"));
    assert!(in_blocks
        .iter()
        .any(|b| b.trim() == "STAFFADDRESS:descriptor:x25519:PRIVATEKEY"));
    let desk = block(&doc, "# torrc of the desk machine");
    assert!(desk.iter().any(|l| l.starts_with("ClientOnionAuthDir ")));
    assert!(desk.iter().any(|l| l == "SocksPort 127.0.0.1:9050"));
}

#[test]
fn the_onion_docs_point_both_onion_services_at_the_listeners_of_their_tipline_command() {
    let doc = read("docs/onion-service.md");
    let torrc = block(&doc, "# torrc of the server");
    let ports: Vec<&str> = torrc
        .iter()
        .filter_map(|l| l.strip_prefix("HiddenServicePort 80 "))
        .collect();
    assert_eq!(ports, ["127.0.0.1:8080", "127.0.0.1:8443"]);
    assert_eq!(
        torrc
            .iter()
            .filter(|l| *l == "HiddenServicePoWDefensesEnabled 1")
            .count(),
        2,
        "each onion service asks for the proof-of-work defence"
    );
    let serve = doc
        .split("```")
        .skip(1)
        .step_by(2)
        .find(|b| b.contains("--staff-listen 127.0.0.1:8443"))
        .expect("a tipline serve command with the staff onion's listener");
    assert!(serve.contains("tipline serve --listen 127.0.0.1:8080"));
    assert!(serve.contains("--onion-location http://"));
}

#[test]
fn the_tor_test_network_keeps_to_its_safety_rules() {
    let run = read("tests/tor/run.sh");
    let net = read("tests/tor/net.sh");
    // Everything in a fresh network namespace (only loopback) and PID namespace.
    // (As root, or else as root of a user namespace.)
    for ns in [
        "NS=(unshare --net --pid --fork --kill-child --mount-proc)",
        "NS=(unshare --user --map-root-user --net --pid --fork --kill-child --mount-proc)",
    ] {
        assert!(run.contains(ns), "run.sh lost {ns:?}");
    }
    assert_eq!(run.matches("net.sh\"").count(), 1, "net.sh started once");
    assert!(run.contains("\"${NS[@]}\" bash \"$here/net.sh\" \"$@\" &"));
    assert!(
        net.contains("ip -o link | wc -l"),
        "net.sh checks lo is alone"
    );
    for rule in [
        "TestingTorNetwork 1",
        "UseDefaultFallbackDirs 0",
        "ClientUseIPv6 0",
        "ExitRelay 0",
        "ExitPolicy reject *:*",
        "--verify-config",
    ] {
        assert!(net.contains(rule), "net.sh lost {rule:?}");
    }
    // Every tor started reads no system torrc.
    for start in net.lines().filter(|l| l.trim_start().starts_with("tor ")) {
        assert!(start.contains("--defaults-torrc \"$D/empty\""), "{start}");
    }
    // Own authorities only, every listener on loopback.
    assert!(!net.contains("FallbackDir "));
    for port in ["ORPort ", "DirPort ", "SocksPort "] {
        for (at, _) in net.match_indices(port) {
            let addr = net[at + port.len()..]
                .split(|c: char| c.is_whitespace() || c == '\\' || c == '"')
                .next()
                .unwrap_or("");
            assert!(
                addr == "0" || addr.starts_with("127.0.0.1:"),
                "{port}{addr} in net.sh"
            );
        }
    }
    for line in net.lines().map(str::trim) {
        if let Some(auth) = line.strip_prefix("echo \"DirAuthority ") {
            assert!(auth.contains(" 127.0.0.1:"), "{line}");
        }
    }
}

#[test]
fn scripts_test_runs_the_tor_network_test() {
    let script = read("scripts/test");
    assert!(script.contains("tests/tor/run.sh"));
    assert!(script.contains("missing+=(tor)"));
}
