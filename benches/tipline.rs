//! `cargo bench --bench tipline`: the server over real HTTP on loopback, the
//! crypto floor in the same run, the desk over a 10,000-report mirror. Prints a
//! table (and writes it to target/bench-results.md). Loopback only; every loop is
//! bounded in time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tipline::desk::client::{ApiAttachment, ApiMessage, ApiReport};
use tipline::desk::identity::DeskIdentity;
use tipline::desk::mirror::Mirror;
use tipline::ids::{MessageId, ReportId};
use tipline::message::{Author, Kind, ReporterMessage};
use tipline::receipt::{Deriver, KdfCost, ReceiptCode};
use tipline::status::Status;

const BIN: &str = env!("CARGO_BIN_EXE_tipline");
const PHASE: Duration = Duration::from_secs(5);

struct Server {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> (Server, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    let identity = dir.path().join("c.key");
    let out = Command::new(BIN)
        .args(["keygen", "--out"])
        .arg(&identity)
        .output()
        .unwrap();
    let recipient = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .to_string();
    std::fs::write(keys.join("c.pub"), recipient).unwrap();
    let stdout = dir.path().join("stdout");
    let began = Instant::now();
    let child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path().join("data"))
        .arg("--keys")
        .arg(&keys)
        .env("TIPLINE_LOG", "warn")
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let url = loop {
        let text = std::fs::read_to_string(&stdout).unwrap_or_default();
        if let Some(u) = text.lines().find_map(|l| l.strip_prefix("listening on ")) {
            break u.trim().to_string();
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let addr = url.trim_start_matches("http://").to_string();
    while std::net::TcpStream::connect(&addr).is_err() {
        std::thread::sleep(Duration::from_millis(1));
    }
    let startup = began.elapsed();
    (
        Server {
            child,
            url,
            _dir: dir,
        },
        startup,
    )
}

fn rss_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Samples VmRSS every 10 ms while it runs; `peak()` gives the highest.
struct RssSampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl RssSampler {
    fn new(pid: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let (s, p) = (stop.clone(), peak.clone());
        let handle = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                p.fetch_max(rss_kib(pid, "VmRSS:"), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        Self {
            stop,
            peak,
            handle: Some(handle),
        }
    }
    fn peak_mib(mut self) -> f64 {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.take().unwrap().join().unwrap();
        self.peak.load(Ordering::Relaxed) as f64 / 1024.0
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent()
}

fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let b = "----benchboundaryQ9x";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend(format!("--{b}\r\n").bytes());
        match file {
            Some(f) => body.extend(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\n\r\n"
                )
                .bytes(),
            ),
            None => body
                .extend(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").bytes()),
        }
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{b}--\r\n").bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

struct Load {
    ops: usize,
    secs: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: usize,
}

/// Runs `op` from `clients` threads for `PHASE`; each thread has its own agent.
fn load(clients: usize, op: impl Fn(&ureq::Agent, usize) -> bool + Send + Sync + 'static) -> Load {
    let op = Arc::new(op);
    let began = Instant::now();
    let threads: Vec<_> = (0..clients)
        .map(|c| {
            let op = op.clone();
            std::thread::spawn(move || {
                let a = agent();
                let mut lat = Vec::new();
                let mut errors = 0;
                let mut i = 0;
                while began.elapsed() < PHASE {
                    let t = Instant::now();
                    if op(&a, c * 1_000_000 + i) {
                        lat.push(t.elapsed());
                    } else {
                        errors += 1;
                    }
                    i += 1;
                }
                (lat, errors)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    for t in threads {
        let (l, e) = t.join().unwrap();
        all.extend(l);
        errors += e;
    }
    let secs = began.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Load {
        ops: all.len(),
        secs,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        errors,
    }
}

fn wrk(url: &str) -> Option<(f64, String, String)> {
    let out = Command::new("wrk")
        .args(["-t2", "-c16", "-d5s", "--latency", url])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let rps = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))?
        .trim()
        .parse()
        .ok()?;
    let pct = |p: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(p))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    Some((rps, pct("50%"), pct("99%")))
}

fn report_code(a: &ureq::Agent, url: &str, text: &[u8]) -> Option<String> {
    let (ct, body) = multipart(&[("message", None, text)]);
    let mut r = a
        .post(format!("{url}/report"))
        .content_type(ct)
        .send(&body[..])
        .ok()?;
    let page = r.body_mut().read_to_string().ok()?;
    let i = page.find("id=\"receipt-code\"")?;
    let rest = &page[i..];
    let s = rest.find('>')? + 1;
    Some(rest[s..s + rest[s..].find('<')?].to_string())
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_default();
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut row = |k: &str, v: String| {
        println!("{k:<58} {v}");
        rows.push((k.to_string(), v));
    };

    // Crypto floor, in-process.
    let deriver = Deriver::new(
        KdfCost::default(),
        [1u8; 16],
        zeroize::Zeroizing::new([2u8; 32]),
    )
    .unwrap();
    let t = Instant::now();
    for _ in 0..10 {
        deriver.derive(&ReceiptCode::generate()).unwrap();
    }
    let kdf = t.elapsed().as_secs_f64() / 10.0;
    row(
        "Argon2id m=19 MiB t=2 p=1, one derivation",
        format!("{:.1} ms", kdf * 1000.0),
    );
    let ceiling = cores as f64 / kdf;
    row(
        "KDF ceiling (cores / derivation time)",
        format!("{ceiling:.0} derivations/s"),
    );
    let id = age::x25519::Identity::generate();
    let recips = [id.to_public()];
    for mib in [1usize, 10, 100] {
        let data = vec![0x5au8; mib << 20];
        let t = Instant::now();
        let mut w = tipline::envelope::seal_stream(
            std::io::sink(),
            tipline::envelope::as_recipients(&recips),
        )
        .unwrap();
        w.write_all(&data).unwrap();
        w.finish().unwrap();
        row(
            &format!("age encryption in-process, {mib} MiB"),
            format!(
                "{:.0} MB/s",
                mib as f64 * 1.048576 / t.elapsed().as_secs_f64()
            ),
        );
    }

    // The server.
    let (server, startup) = start();
    let pid = server.child.id();
    std::thread::sleep(Duration::from_millis(300));
    row(
        "server start-up (spawn to accepting)",
        format!("{:.0} ms", startup.as_secs_f64() * 1000.0),
    );
    row(
        "server idle RSS",
        format!("{:.1} MiB", rss_kib(pid, "VmRSS:") as f64 / 1024.0),
    );
    let url = server.url.clone();

    let sampler = RssSampler::new(pid);
    match wrk(&format!("{url}/report")) {
        Some((rps, p50, p99)) => row(
            "GET /report, 16 clients (wrk)",
            format!("{rps:.0} req/s, p50 {p50}, p99 {p99}"),
        ),
        None => {
            let u = url.clone();
            let l = load(16, move |a, _| {
                a.get(format!("{u}/report"))
                    .call()
                    .map(|r| r.status() == 200)
                    .unwrap_or(false)
            });
            row(
                "GET /report, 16 clients",
                format!(
                    "{:.0} req/s, p50 {:.2} ms, p99 {:.2} ms",
                    l.ops as f64 / l.secs,
                    l.p50_ms,
                    l.p99_ms
                ),
            );
        }
    }
    row("  peak RSS", format!("{:.1} MiB", sampler.peak_mib()));

    let text = vec![b'a'; 1024];
    let codes = Arc::new(std::sync::Mutex::new(Vec::new()));
    for clients in [1usize, 16] {
        let sampler = RssSampler::new(pid);
        let (u, t, c) = (url.clone(), text.clone(), codes.clone());
        let l = load(clients, move |a, _| match report_code(a, &u, &t) {
            Some(code) => {
                c.lock().unwrap().push(code);
                true
            }
            None => false,
        });
        let rate = l.ops as f64 / l.secs;
        row(
            &format!("POST /report (1 KiB), {clients} client(s)"),
            format!(
                "{rate:.1}/s, p50 {:.1} ms, p99 {:.1} ms, errors {}, {:.0}% of KDF ceiling",
                l.p50_ms,
                l.p99_ms,
                l.errors,
                100.0 * rate / ceiling
            ),
        );
        row("  peak RSS", format!("{:.1} MiB", sampler.peak_mib()));
    }
    let codes: Arc<Vec<String>> = Arc::new(codes.lock().unwrap().clone());
    for clients in [1usize, 16] {
        let (u, c) = (url.clone(), codes.clone());
        let l = load(clients, move |a, i| {
            a.post(format!("{u}/check"))
                .send_form([("code", c[i % c.len()].as_str())])
                .map(|mut r| {
                    r.body_mut()
                        .read_to_string()
                        .unwrap_or_default()
                        .contains("report-status")
                })
                .unwrap_or(false)
        });
        row(
            &format!("POST /check (valid code), {clients} client(s)"),
            format!(
                "{:.1}/s, p50 {:.1} ms, p99 {:.1} ms, errors {}",
                l.ops as f64 / l.secs,
                l.p50_ms,
                l.p99_ms,
                l.errors
            ),
        );
    }

    // A flood of wrong codes while two clients report.
    let flooding = Arc::new(AtomicBool::new(true));
    let flooders: Vec<_> = (0..32)
        .map(|_| {
            let (u, f) = (url.clone(), flooding.clone());
            std::thread::spawn(move || {
                let a = agent();
                while f.load(Ordering::Relaxed) {
                    let _ = a
                        .post(format!("{u}/check"))
                        .send_form([("code", "AAAA-BBBB-CCCC-DDDD")])
                        .map(|mut r| r.body_mut().read_to_string());
                }
            })
        })
        .collect();
    let (u, t) = (url.clone(), text.clone());
    let flooded = load(2, move |a, _| report_code(a, &u, &t).is_some());
    flooding.store(false, Ordering::Relaxed);
    for f in flooders {
        f.join().unwrap();
    }
    let (u, t) = (url.clone(), text.clone());
    let calm = load(2, move |a, _| report_code(a, &u, &t).is_some());
    row(
        "POST /report, 2 clients, no flood",
        format!(
            "{:.1}/s, p99 {:.1} ms",
            calm.ops as f64 / calm.secs,
            calm.p99_ms
        ),
    );
    row(
        "POST /report, 2 clients, 32 clients flooding wrong codes",
        format!(
            "{:.1}/s, p99 {:.1} ms ({:.0}% of the calm rate)",
            flooded.ops as f64 / flooded.secs,
            flooded.p99_ms,
            100.0 * (flooded.ops as f64 / flooded.secs) / (calm.ops as f64 / calm.secs)
        ),
    );

    // Attachments.
    for mib in [1usize, 10, 100] {
        let file = vec![0xa5u8; mib << 20];
        let (ct, body) = multipart(&[
            ("message", None, b"file"),
            ("attachment", Some("f.bin"), &file),
        ]);
        let body = Arc::new(body);
        for parallel in [1usize, 4] {
            let sampler = RssSampler::new(pid);
            let t = Instant::now();
            let uploads: Vec<_> = (0..parallel)
                .map(|_| {
                    let (u, b, ct) = (url.clone(), body.clone(), ct.clone());
                    std::thread::spawn(move || {
                        agent()
                            .post(format!("{u}/report"))
                            .content_type(ct)
                            .send(&b[..])
                            .map(|r| r.status() == 200)
                            .unwrap_or(false)
                    })
                })
                .collect();
            let ok = uploads.into_iter().all(|u| u.join().unwrap());
            let secs = t.elapsed().as_secs_f64();
            row(
                &format!("upload {mib} MiB x{parallel}"),
                format!(
                    "{:.0} MB/s total, peak RSS {:.1} MiB{}",
                    (mib * parallel) as f64 * 1.048576 / secs,
                    sampler.peak_mib(),
                    if ok { "" } else { " (FAILED)" }
                ),
            );
        }
    }
    row(
        "server VmHWM over the whole run",
        format!("{:.1} MiB", rss_kib(pid, "VmHWM:") as f64 / 1024.0),
    );
    drop(server);

    // The desk over 10,000 reports.
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("c.key");
    let out = Command::new(BIN)
        .args(["keygen", "--out"])
        .arg(&key)
        .output()
        .unwrap();
    let recipient: age::x25519::Recipient = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .parse()
        .unwrap();
    let mirror = Mirror::open(&dir.path().join("mirror")).unwrap();
    let n = 10_000;
    for i in 0..n {
        let report = ApiReport {
            id: ReportId::generate(),
            reporter_recipient: recipient.to_string(),
            status: Status::Received,
            received: "2026-11-23".into(),
            updated: None,
            recipient_chain: Vec::new(),
        };
        let doc = ReporterMessage {
            version: 1,
            kind: Kind::Report,
            lang: "nl".into(),
            message: format!("report {i}"),
            answers: Default::default(),
            attachments: vec![],
            variant: None,
            reporter_recipient: None,
            verifying_key: None,
            signature: None,
            intake: None,
        };
        let sealed = tipline::envelope::seal(
            &doc.to_padded_json().unwrap(),
            std::iter::once(&recipient as &dyn age::Recipient),
        )
        .unwrap();
        let mid = MessageId::generate();
        mirror
            .write_atomic(&mirror.message_path(report.id, mid), |f| {
                f.write_all(&sealed)
                    .map_err(|e| tipline::desk::DeskError::Io("bench".into(), e))
            })
            .unwrap();
        mirror
            .save_messages(
                report.id,
                &[ApiMessage {
                    id: mid,
                    author: Author::Reporter,
                    received: "2026-11-23".into(),
                    attachments: Vec::<ApiAttachment>::new(),
                }],
            )
            .unwrap();
        mirror.save_report(&report).unwrap();
    }
    let identity = DeskIdentity::load(&key, || unreachable!()).unwrap();
    let t = Instant::now();
    let content = tipline::content::Content::load(None, "en").unwrap();
    let no_filter = tipline::desk::casefile::list::ListFilter::default();
    let plain = tipline::desk::casefile::list::Lister::new(&no_filter, None, None).unwrap();
    tipline::desk::view::list(
        &mirror,
        &identity,
        &content.questionnaire,
        &plain,
        &mut std::io::sink(),
    )
    .unwrap();
    let secs = t.elapsed().as_secs_f64();
    row(
        "desk list over a 10,000-report mirror (decrypt each)",
        format!("{:.0} reports/s ({secs:.1} s)", n as f64 / secs),
    );

    // The same mirror with a case file: 5 signed events per report.
    use tipline::desk::casefile::{event, signing, sync};
    let alice = signing::SigningIdentity::generate("alice").unwrap();
    let roster = signing::Roster::parse(&alice.roster_line()).unwrap();
    for report in mirror.reports().unwrap() {
        let mut seen: Vec<String> = Vec::new();
        for seq in 1..=5u64 {
            let e = event::Event {
                v: event::VERSION,
                report: report.id,
                author: "alice".into(),
                day: "2026-11-23".into(),
                seq,
                seen: seen.clone(),
                action: event::Action::Tag {
                    tags: vec![format!("tag{seq}")],
                    remove: false,
                },
            };
            let (plain, hash) = event::sign(&e, &alice).unwrap();
            let sealed =
                tipline::envelope::seal(&plain, std::iter::once(&recipient as &dyn age::Recipient))
                    .unwrap();
            sync::sent(
                &mirror,
                report.id,
                tipline::ids::EventId::generate(),
                &sealed,
            )
            .unwrap();
            seen = vec![hash];
        }
    }
    let cased =
        tipline::desk::casefile::list::Lister::new(&no_filter, Some(roster), Some("alice".into()))
            .unwrap();
    let t = Instant::now();
    tipline::desk::view::list(
        &mirror,
        &identity,
        &content.questionnaire,
        &cased,
        &mut std::io::sink(),
    )
    .unwrap();
    let secs = t.elapsed().as_secs_f64();
    row(
        "desk list over the same mirror with 5 case events per report (decrypt + verify + fold)",
        format!("{:.0} reports/s ({secs:.1} s)", n as f64 / secs),
    );

    let mut md = format!(
        "# tipline bench\n\nmachine: {cores} cores, {cpu}\n\n| measure | result |\n| --- | --- |\n"
    );
    for (k, v) in &rows {
        md.push_str(&format!("| {} | {} |\n", k.trim(), v));
    }
    std::fs::create_dir_all("target").ok();
    std::fs::write("target/bench-results.md", md).unwrap();
    println!("\nwritten to target/bench-results.md");
}
