//! How `desk list` scales with a case file: a generator that writes a mirror
//! directly (N reports, each with its report and 5 signed events), then times
//! `desk list` with and without the case file, checking that every run lists
//! every report and that the cached list says what the first one built.
//! Ignored in the normal suite (it takes minutes); run it with
//! `cargo test --release --test e2e casefile_scale -- --ignored --nocapture`
//! (`TIPLINE_SCALE_REPORTS`, default 10,000). The figures are in BENCHMARKS.md.

use std::path::Path;
use std::time::Instant;

use tipline::desk::casefile::signing;

use crate::casefile_perf::write_report;
use crate::harness::*;

/// Writes `n` reports, each with `events` signed tag events, as `desk pull`
/// would have left them.
fn generate(
    mirror: &Path,
    recipient: &age::x25519::Recipient,
    alice: &signing::SigningIdentity,
    n: usize,
    events: u64,
) {
    let tags: Vec<String> = (1..=events).map(|seq| format!("tag{seq}")).collect();
    for _ in 0..n {
        write_report(mirror, recipient, alice, &tags);
    }
}

/// Runs `tipline ARGS`; returns the seconds it took and its stdout.
fn timed_list(args: &[&str]) -> (f64, String) {
    let t = Instant::now();
    let out = tipline(args);
    let took = t.elapsed().as_secs_f64();
    assert!(out.status.success(), "{}", stderr(&out));
    (took, stdout(&out))
}

/// The report rows of a `desk list` (the header is the first line).
fn rows(list: &str) -> usize {
    list.lines().skip(1).count()
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
    let (w, wo) = (with.to_str().unwrap(), without.to_str().unwrap());
    let plain_args = ["desk", "list", "--mirror", wo, "--identity", k];
    let cased_args = [
        "desk",
        "list",
        "--mirror",
        w,
        "--identity",
        k,
        "--team",
        t,
        "--as",
        "alice",
    ];
    let (plain, plain_out) = timed_list(&plain_args);
    let (plain_again, _) = timed_list(&plain_args);
    let (cased, cased_out) = timed_list(&cased_args);
    let (again, again_out) = timed_list(&cased_args);
    let mut filtered_args = cased_args.to_vec();
    filtered_args.extend(["--tag", "tag3", "--unseen"]);
    let (filtered, filtered_out) = timed_list(&filtered_args);
    // Every report listed, every one tagged tag1..tag5, alice has seen none;
    // the cached list says exactly what the first one built.
    assert_eq!(rows(&plain_out), n);
    assert_eq!(rows(&cased_out), n);
    assert_eq!(
        cased_out
            .lines()
            .skip(1)
            .filter(|l| l.contains("tag1,tag2,tag3,tag4,tag5") && l.contains(" new "))
            .count(),
        n,
        "{cased_out}"
    );
    assert_eq!(again_out, cased_out);
    assert_eq!(rows(&filtered_out), n);
    println!("desk list, {n} reports without events: {plain:.1} s, again {plain_again:.1} s");
    println!("desk list, {n} reports x 5 events, first run (decrypt, verify, fold, write the summary index): {cased:.1} s");
    println!("desk list, same mirror, later runs (the summary index): {again:.1} s");
    println!("desk list --tag --unseen, same mirror: {filtered:.1} s");

    // The browser desk's inbox over the same mirror, the index dropped first
    // so its first page builds it again as a first `desk list` does.
    std::fs::remove_file(with.join("casefile-index.age")).unwrap();
    let signing_key = dir.path().join("alice.signing");
    alice.save(&signing_key).unwrap();
    let serve = Serve::start(&[
        "--mirror",
        w,
        "--identity",
        k,
        "--team",
        t,
        "--as",
        "alice",
        "--signing-key",
        signing_key.to_str().unwrap(),
    ]);
    let (first_page, first_rows) = serve.timed_inbox("/");
    let (later_page, later_rows) = serve.timed_inbox("/");
    let (tag_page, tag_rows) = serve.timed_inbox("/?tag=tag3&unseen=1");
    assert_eq!((first_rows, later_rows, tag_rows), (n, n, n));
    println!("desk serve inbox, {n} reports x 5 events, first page (builds the summary index): {first_page:.1} s");
    println!("desk serve inbox, later pages: {later_page:.1} s; filtered by tag and unseen: {tag_page:.1} s");
}

/// `desk serve` on a mirror without a server, logged in.
struct Serve {
    child: std::process::Child,
    base: String,
    cookie: String,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    fn start(args: &[&str]) -> Serve {
        use std::io::BufRead;
        let mut child = std::process::Command::new(bin())
            .args(["desk", "serve", "--no-open", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut url = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut url)
            .unwrap();
        let url = url.trim().to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        let base = url.split("/?").next().unwrap().to_string();
        let login = fetch(&url);
        assert_eq!(login.status, 303);
        let cookie = login.header("set-cookie").unwrap();
        let cookie = cookie.split(';').next().unwrap().to_string();
        Serve {
            child,
            base,
            cookie,
        }
    }

    /// Seconds for one inbox page, and its report rows.
    fn timed_inbox(&self, path: &str) -> (f64, usize) {
        let t = Instant::now();
        let r = agent()
            .get(format!("{}{path}", self.base))
            .header("Cookie", &self.cookie)
            .call()
            .unwrap();
        let status = r.status().as_u16();
        let page = r
            .into_body()
            .with_config()
            .limit(1 << 30)
            .read_to_string()
            .unwrap();
        let took = t.elapsed().as_secs_f64();
        assert_eq!(status, 200);
        (took, page.matches("data-report=").count())
    }
}
