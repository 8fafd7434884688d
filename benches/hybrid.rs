//! `cargo bench --bench hybrid`: classical (X25519) against hybrid (ML-KEM-768 +
//! X25519) age recipients, side by side in one run: seal+open of a 1 KiB report,
//! the stored size, the reporter key at check-in, and a report submission and a
//! check-in over real HTTP on loopback (default Argon2id cost). Alternates the two
//! kinds so a noisy machine hurts both alike. Every loop is bounded in count.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tipline::hybrid::{AnyRecipient, HybridIdentity, ReporterIdentity};
use tipline::receipt::{Deriver, KdfCost, ReceiptCode};

const BIN: &str = env!("CARGO_BIN_EXE_tipline");
/// Rounds of in-process work per kind.
const ROUNDS: usize = 300;
/// Requests per kind and per HTTP measure.
const REQUESTS: usize = 30;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

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

fn start(pq: bool) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    let mut keygen = Command::new(BIN);
    keygen
        .args(["keygen", "--out"])
        .arg(dir.path().join("c.key"));
    if pq {
        keygen.arg("--pq");
    }
    let out = keygen.output().unwrap();
    let recipient = String::from_utf8(out.stdout).unwrap();
    std::fs::write(keys.join("c.pub"), recipient.lines().last().unwrap()).unwrap();
    let stdout = dir.path().join("stdout");
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
    let deadline = Instant::now() + Duration::from_secs(30);
    let url = loop {
        let text = std::fs::read_to_string(&stdout).unwrap_or_default();
        if let Some(u) = text.lines().find_map(|l| l.strip_prefix("listening on ")) {
            break u.trim().to_string();
        }
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(5));
    };
    Server {
        child,
        url,
        _dir: dir,
    }
}

fn report_code(a: &ureq::Agent, url: &str, text: &[u8]) -> String {
    let b = "----benchboundaryPQ";
    let mut body =
        format!("--{b}\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n").into_bytes();
    body.extend_from_slice(text);
    body.extend(format!("\r\n--{b}--\r\n").bytes());
    let mut r = a
        .post(format!("{url}/report"))
        .content_type(format!("multipart/form-data; boundary={b}"))
        .send(&body[..])
        .unwrap();
    let page = r.body_mut().read_to_string().unwrap();
    let i = page.find("id=\"receipt-code\"").expect("a receipt page");
    let rest = &page[i..];
    let s = rest.find('>').unwrap() + 1;
    rest[s..s + rest[s..].find('<').unwrap()].to_string()
}

fn main() {
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let mut row = |k: &str, c: String, h: String| {
        println!("{k:<48} {c:>14} {h:>14}");
        rows.push((k.to_string(), c, h));
    };
    println!("{:<48} {:>14} {:>14}", "measure", "classical", "hybrid");

    // In-process: seal + open a padded 1 KiB report to one centre recipient.
    let classical_id = age::x25519::Identity::generate();
    let hybrid_id = HybridIdentity::generate();
    let classical = [AnyRecipient::Classical(classical_id.to_public())];
    let hybrid = [AnyRecipient::Hybrid(Box::new(hybrid_id.to_public()))];
    let report = tipline::envelope::pad(vec![b'x'; 600]);
    let (mut tc, mut th) = (Vec::new(), Vec::new());
    let (mut size_c, mut size_h) = (0, 0);
    for _ in 0..ROUNDS {
        for (list, id, times, size) in [
            (
                &classical,
                &classical_id as &dyn age::Identity,
                &mut tc,
                &mut size_c,
            ),
            (
                &hybrid,
                &hybrid_id as &dyn age::Identity,
                &mut th,
                &mut size_h,
            ),
        ] {
            let began = Instant::now();
            let sealed =
                tipline::envelope::seal(&report, tipline::envelope::as_recipients(list)).unwrap();
            let opened = tipline::envelope::open(&sealed, std::iter::once(id)).unwrap();
            times.push(began.elapsed());
            assert_eq!(opened.len(), report.len());
            *size = sealed.len();
        }
    }
    row(
        "seal+open, 1 KiB report (median)",
        us(median(tc)),
        us(median(th)),
    );
    row(
        "stored message, 1 KiB report",
        format!("{size_c} B"),
        format!("{size_h} B"),
    );
    row(
        "stored reporter recipient",
        format!("{} B", classical_id.to_public().to_string().len()),
        format!("{} B", hybrid_id.to_public().to_string().len()),
    );

    // The reporter key at check-in: forming it from its derived secret, then
    // opening a reply with it.
    let secret = [7u8; 32];
    let (mut kc, mut kh) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let began = Instant::now();
        let id = tipline::receipt::identity_from_secret(&secret).unwrap();
        kc.push(began.elapsed());
        drop(id);
        let began = Instant::now();
        let id = HybridIdentity::from_seed(&secret);
        kh.push(began.elapsed());
        drop(id);
    }
    row(
        "reporter key from its secret",
        us(median(kc)),
        us(median(kh)),
    );
    // At check-in the reporter's identity holds both keys (classical tried first).
    let reply = tipline::envelope::pad(b"Dank je.".to_vec());
    let reporter_h = HybridIdentity::from_seed(&[9u8; 32]);
    let to_h = [AnyRecipient::Hybrid(Box::new(reporter_h.to_public()))];
    let sealed_c =
        tipline::envelope::seal(&reply, tipline::envelope::as_recipients(&classical)).unwrap();
    let sealed_h =
        tipline::envelope::seal(&reply, tipline::envelope::as_recipients(&to_h)).unwrap();
    let both_c = ReporterIdentity::new(classical_id.clone(), HybridIdentity::generate());
    let both_h = ReporterIdentity::new(age::x25519::Identity::generate(), reporter_h);
    let (mut oc, mut oh) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let began = Instant::now();
        tipline::envelope::open(&sealed_c, std::iter::once(&both_c as &dyn age::Identity)).unwrap();
        oc.push(began.elapsed());
        let began = Instant::now();
        tipline::envelope::open(&sealed_h, std::iter::once(&both_h as &dyn age::Identity)).unwrap();
        oh.push(began.elapsed());
    }
    row("open one reply at check-in", us(median(oc)), us(median(oh)));
    let deriver = Deriver::new(
        KdfCost::default(),
        [1u8; 16],
        zeroize::Zeroizing::new([2u8; 32]),
    )
    .unwrap();
    let mut kdf = Vec::new();
    for _ in 0..10 {
        let began = Instant::now();
        deriver.derive(&ReceiptCode::generate()).unwrap();
        kdf.push(began.elapsed());
    }
    let kdf = median(kdf);
    row(
        "code derivation (Argon2id default, both keys)",
        ms(kdf),
        ms(kdf),
    );

    // Over HTTP, default KDF cost: one client, alternating servers.
    let (c, h) = (start(false), start(true));
    let a = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let text = vec![b'x'; 1024];
    let (mut rc, mut rh, mut codes_c, mut codes_h) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..REQUESTS {
        let began = Instant::now();
        codes_c.push(report_code(&a, &c.url, &text));
        rc.push(began.elapsed());
        let began = Instant::now();
        codes_h.push(report_code(&a, &h.url, &text));
        rh.push(began.elapsed());
    }
    row(
        "POST /report 1 KiB, end to end (median)",
        ms(median(rc)),
        ms(median(rh)),
    );
    let (mut cc, mut ch) = (Vec::new(), Vec::new());
    for i in 0..REQUESTS {
        for (url, code, times) in [
            (&c.url, &codes_c[i], &mut cc),
            (&h.url, &codes_h[i], &mut ch),
        ] {
            let began = Instant::now();
            let page = a
                .post(format!("{url}/check"))
                .send_form([("code", code.as_str())])
                .unwrap()
                .body_mut()
                .read_to_string()
                .unwrap();
            times.push(began.elapsed());
            assert!(page.contains("report-status"));
        }
    }
    row(
        "POST /check, end to end (median)",
        ms(median(cc)),
        ms(median(ch)),
    );

    let mut md = String::from("| measure | classical | hybrid |\n| --- | --- | --- |\n");
    for (k, c, h) in rows {
        md.push_str(&format!("| {k} | {c} | {h} |\n"));
    }
    let _ = std::fs::write(
        concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench-hybrid.md"),
        md,
    );
}
