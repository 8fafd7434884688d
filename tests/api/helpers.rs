//! The test harness: a fresh install of the real `tipline` binary per test
//! (identity, recipient, staff token, data directory), a running server on a
//! loopback port, and typed ways to talk to it as a browser without JavaScript,
//! as the staff desk, and as a misbehaving client.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tipline")
}

/// Runs `tipline ARGS` to completion.
pub fn tipline(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run tipline")
}

/// The last non-empty stdout line of a successful command (keygen's recipient,
/// `staff add`'s token).
pub fn last_stdout_line(out: &Output) -> String {
    assert!(
        out.status.success(),
        "command failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .expect("a line on stdout")
        .trim()
        .to_string()
}

/// The server flags every test uses: loopback, any free port, a cheap KDF.
const CHEAP_KDF: [&str; 4] = ["--kdf-memory-kib", "1024", "--kdf-iterations", "1"];

/// A running server on a fresh install, killed when dropped.
pub struct TestApp {
    /// `http://127.0.0.1:PORT` of the current run.
    pub addr: String,
    /// `127.0.0.1:PORT`, for raw sockets.
    pub host_port: String,
    /// `--data`.
    pub data_dir: PathBuf,
    /// `--keys`.
    pub keys_dir: PathBuf,
    /// The centre identity (age format), for `age -d -i`.
    pub identity_path: PathBuf,
    /// The centre recipient (`age1...`).
    pub centre_recipient: String,
    /// A valid staff token (of "tester").
    pub token: String,
    /// Keeps the directory alive until the app is dropped.
    pub dir: tempfile::TempDir,
    child: Option<Child>,
    output: Arc<Mutex<Vec<u8>>>,
    agent: ureq::Agent,
}

/// Creates a fresh install and starts a server on it.
pub fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("tempdir");
    let keys_dir = dir.path().join("keys");
    std::fs::create_dir(&keys_dir).expect("keys dir");
    let identity_path = dir.path().join("centre.key");
    let centre_recipient = last_stdout_line(&tipline(&[
        "keygen",
        "--out",
        identity_path.to_str().expect("utf-8 path"),
    ]));
    assert!(centre_recipient.starts_with("age1"), "{centre_recipient}");
    std::fs::write(
        keys_dir.join("centre.pub"),
        format!("# the test centre\n{centre_recipient}\n"),
    )
    .expect("write centre.pub");
    let data_dir = dir.path().join("data");
    // The token is made before the server holds the database lock.
    let token = last_stdout_line(&tipline(&[
        "staff",
        "add",
        "tester",
        "--data",
        data_dir.to_str().expect("utf-8 path"),
    ]));
    let mut app = TestApp {
        addr: String::new(),
        host_port: String::new(),
        data_dir,
        keys_dir,
        identity_path,
        centre_recipient,
        token,
        dir,
        child: None,
        output: Arc::new(Mutex::new(Vec::new())),
        agent: agent(),
    };
    app.start();
    app
}

/// A client that returns 4xx/5xx as responses, follows no redirect, uses no
/// proxy from the environment and never hangs a test for long.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .new_agent()
}

/// A response read whole.
#[derive(Debug)]
pub struct Resp {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: ureq::http::HeaderMap,
    /// Raw body.
    pub body: Vec<u8>,
}

impl Resp {
    fn from(mut r: ureq::http::Response<ureq::Body>) -> Resp {
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let body = r
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_vec()
            .expect("read body");
        Resp {
            status,
            headers,
            body,
        }
    }

    /// The body as (lossy) text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's value, if present and text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// One part of a multipart form.
pub enum Part<'a> {
    /// A text field.
    Text(&'a str, &'a [u8]),
    /// A file field: field name, file name, content type, bytes.
    File(&'a str, &'a str, &'a str, &'a [u8]),
}

/// The boundary every multipart body built here uses.
pub const BOUNDARY: &str = "----tiplineApiTestBoundaryQ7x9Zr";

/// Builds a `multipart/form-data` body with [`BOUNDARY`].
pub fn multipart_body(parts: &[Part<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part {
            Part::Text(name, value) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                );
                body.extend_from_slice(value);
            }
            Part::File(name, file_name, content_type, bytes) => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\
                         Content-Type: {content_type}\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(bytes);
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// The `Content-Type` that goes with [`multipart_body`].
pub fn multipart_content_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

impl TestApp {
    /// Starts the server on the data directory (after [`TestApp::stop`]).
    pub fn start(&mut self) {
        assert!(self.child.is_none(), "already running");
        let mut child = Command::new(bin())
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(&self.data_dir)
            .arg("--keys")
            .arg(&self.keys_dir)
            .args(CHEAP_KDF)
            .env_remove("TIPLINE_CONFIG")
            .env("TIPLINE_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn tipline serve");

        // stderr: kept whole, for server_output().
        let stderr = child.stderr.take().expect("stderr");
        let sink = Arc::clone(&self.output);
        std::thread::spawn(move || {
            let mut stderr = stderr;
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .extend_from_slice(&buf[..n]);
            }
        });
        // stdout: kept whole too, and the URL announced once bound is sent back.
        let stdout = child.stdout.take().expect("stdout");
        let sink = Arc::clone(&self.output);
        let (tx, rx) = mpsc::channel::<String>();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout);
            let mut line = String::new();
            while matches!(lines.read_line(&mut line), Ok(n) if n > 0) {
                sink.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .extend_from_slice(line.as_bytes());
                if let Some(url) = line.trim().strip_prefix("listening on ") {
                    let _ = tx.send(url.to_string());
                }
                line.clear();
            }
        });
        self.child = Some(child);
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(url) => {
                self.host_port = url
                    .strip_prefix("http://")
                    .expect("plain http")
                    .trim_end_matches('/')
                    .to_string();
                self.addr = url;
            }
            Err(_) => {
                let status = self
                    .child
                    .as_mut()
                    .and_then(|c| c.try_wait().ok().flatten());
                panic!(
                    "the server did not announce its address (exit: {status:?}); output:\n{}",
                    self.server_output()
                );
            }
        }
    }

    /// Kills the server (SIGKILL) and waits for it to be gone.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Kills the server and starts it again on the same data directory.
    pub fn restart(&mut self) {
        self.stop();
        self.start();
    }

    /// Everything the server wrote on stdout and stderr, over all its runs.
    pub fn server_output(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }

    /// Raw bytes of the server's output.
    pub fn server_output_bytes(&self) -> Vec<u8> {
        self.output
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Runs `tipline ARGS --data DATA` (the server should be stopped).
    pub fn cli_with_data(&self, args: &[&str]) -> Output {
        let mut all: Vec<&str> = args.to_vec();
        all.push("--data");
        all.push(self.data_dir.to_str().expect("utf-8 path"));
        tipline(&all)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.addr)
    }

    // ----- reporter side -----

    /// GET a page.
    pub fn get(&self, path: &str) -> Resp {
        Resp::from(self.agent.get(self.url(path)).call().expect("GET"))
    }

    /// POST a multipart form built from `parts`.
    pub fn post_multipart(&self, path: &str, parts: &[Part<'_>]) -> Resp {
        self.post_raw(path, &multipart_content_type(), &multipart_body(parts))
    }

    /// POST a body with the given content type.
    pub fn post_raw(&self, path: &str, content_type: &str, body: &[u8]) -> Resp {
        Resp::from(
            self.agent
                .post(self.url(path))
                .content_type(content_type)
                .send(body)
                .expect("POST"),
        )
    }

    /// POST an urlencoded form.
    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        Resp::from(
            self.agent
                .post(self.url(path))
                .send_form(fields.iter().copied())
                .expect("POST form"),
        )
    }

    /// Sends a report through the form (in English), with files as
    /// (file name, content type, bytes).
    pub fn post_report(&self, text: &str, files: &[(&str, &str, &[u8])]) -> Resp {
        let mut parts = vec![
            Part::Text("lang", b"en"),
            Part::Text("message", text.as_bytes()),
        ];
        for (name, content_type, bytes) in files {
            parts.push(Part::File("attachment", name, content_type, bytes));
        }
        self.post_multipart("/report", &parts)
    }

    /// Sends a report and returns its receipt code (asserting it was accepted).
    pub fn report(&self, text: &str) -> String {
        let resp = self.post_report(text, &[]);
        assert_eq!(resp.status, 200, "report refused: {}", resp.text());
        receipt_code(&resp.text()).expect("a receipt code on the receipt page")
    }

    /// Checks in with a code, in English.
    pub fn check(&self, code: &str) -> Resp {
        self.post_form("/check", &[("code", code), ("lang", "en")])
    }

    /// Checks in with a code that must be recognised; returns the page.
    pub fn check_ok(&self, code: &str) -> String {
        let resp = self.check(code);
        assert_eq!(resp.status, 200, "{}", resp.text());
        let page = resp.text();
        assert!(
            element_text(&page, "report-status").is_some(),
            "code {code:?} was not recognised"
        );
        page
    }

    /// Sends a follow-up through the check page's form.
    pub fn follow_up(&self, token: &str, text: &str) -> Resp {
        self.post_multipart(
            "/check/message",
            &[
                Part::Text("lang", b"en"),
                Part::Text("token", token.as_bytes()),
                Part::Text("message", text.as_bytes()),
            ],
        )
    }

    // ----- staff API -----

    /// An API request with an explicit `Authorization` header (or none).
    pub fn api_request(
        &self,
        method: &str,
        path: &str,
        authorization: Option<&str>,
        body: Option<&[u8]>,
    ) -> Resp {
        let uri = self.url(&format!("/api/v1{path}"));
        let builder = ureq::http::Request::builder().method(method).uri(uri);
        let builder = match authorization {
            Some(a) => builder.header("Authorization", a),
            None => builder,
        };
        // Status changes are JSON; replies are age files.
        let content_type = if method == "PUT" {
            "application/json"
        } else {
            "application/octet-stream"
        };
        let response = match body {
            Some(bytes) => self.agent.run(
                builder
                    .header("Content-Type", content_type)
                    .body(bytes.to_vec())
                    .expect("request"),
            ),
            None => self.agent.run(builder.body(()).expect("request")),
        };
        Resp::from(response.expect("API request"))
    }

    /// An authorised API GET.
    pub fn api_get(&self, path: &str) -> Resp {
        self.api_request("GET", path, Some(&self.bearer()), None)
    }

    /// `Bearer TOKEN` for the valid token.
    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.token)
    }

    /// An authorised API GET that must answer 200 with JSON.
    pub fn api_json(&self, path: &str) -> Value {
        let resp = self.api_get(path);
        assert_eq!(resp.status, 200, "GET {path}: {}", resp.text());
        resp.json()
    }

    /// Every report the API lists.
    pub fn reports(&self) -> Vec<Value> {
        self.api_json("/reports")["reports"]
            .as_array()
            .expect("reports array")
            .clone()
    }

    /// The one report there is.
    pub fn only_report(&self) -> Value {
        let reports = self.reports();
        assert_eq!(reports.len(), 1, "{reports:?}");
        reports[0].clone()
    }

    /// The messages of a report, oldest first.
    pub fn messages(&self, report_id: &str) -> Vec<Value> {
        self.api_json(&format!("/reports/{report_id}/messages"))["messages"]
            .as_array()
            .expect("messages array")
            .clone()
    }

    /// Fetches a message's age file and decrypts it with the reference `age`.
    pub fn decrypt_message(&self, report_id: &str, message_id: &str) -> Vec<u8> {
        let resp = self.api_get(&format!("/reports/{report_id}/messages/{message_id}"));
        assert_eq!(resp.status, 200, "{}", resp.text());
        age_decrypt(&self.identity_path, &resp.body)
    }

    /// A reporter message as the JSON it decrypts to.
    pub fn message_json(&self, report_id: &str, message_id: &str) -> Value {
        let plain = self.decrypt_message(report_id, message_id);
        let text = String::from_utf8(plain).expect("a reporter message is UTF-8");
        serde_json::from_str(text.trim_end()).expect("a reporter message is JSON")
    }

    /// Encrypts `text` with the reference `age` CLI to the reporter and the
    /// centre, as the desk does, and posts it as a reply.
    pub fn reply_with_age(&self, report_id: &str, reporter_recipient: &str, text: &str) -> Resp {
        let ciphertext = age_encrypt(
            text.as_bytes(),
            &[reporter_recipient, &self.centre_recipient],
        );
        self.api_request(
            "POST",
            &format!("/reports/{report_id}/replies"),
            Some(&self.bearer()),
            Some(&ciphertext),
        )
    }

    /// Sets a report's status through the API.
    pub fn set_status(&self, report_id: &str, status: &str) -> Resp {
        let body = serde_json::json!({ "status": status }).to_string();
        Resp::from(
            self.agent
                .put(self.url(&format!("/api/v1/reports/{report_id}/status")))
                .header("Authorization", self.bearer())
                .content_type("application/json")
                .send(body.as_bytes())
                .expect("PUT status"),
        )
    }

    /// Every regular file under the data directory.
    pub fn data_files(&self) -> Vec<PathBuf> {
        files_under(&self.data_dir)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Every regular file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => todo.push(path),
                Ok(t) if t.is_file() => out.push(path),
                _ => {}
            }
        }
    }
    out
}

// ----- the reference age CLI -----

/// Runs the reference `age` with `args`, feeding `input`; returns stdout.
fn age(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new("age")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the reference age CLI (/usr/bin/age)");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("age");
    let _ = writer.join();
    out
}

/// Encrypts with the reference `age -r R...`.
pub fn age_encrypt(plain: &[u8], recipients: &[&str]) -> Vec<u8> {
    let mut args = Vec::new();
    for r in recipients {
        args.push("-r");
        args.push(r);
    }
    let out = age(&args, plain);
    assert!(
        out.status.success(),
        "age encrypt failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Decrypts with the reference `age -d -i IDENTITY`.
pub fn age_decrypt(identity: &Path, ciphertext: &[u8]) -> Vec<u8> {
    let out = age(
        &["-d", "-i", identity.to_str().expect("utf-8 path")],
        ciphertext,
    );
    assert!(
        out.status.success(),
        "age -d failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

// ----- reading HTML -----

/// Undoes maud's escaping (and the usual numeric forms of the same characters).
pub fn unescape_html(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// The text of the element whose start tag is at `at` (up to the next `<`).
fn text_after_tag(html: &str, at: usize) -> Option<String> {
    let rest = &html[at..];
    let open_end = rest.find('>')? + 1;
    let len = rest[open_end..].find('<')?;
    Some(unescape_html(rest[open_end..open_end + len].trim()))
}

/// The text of the element with `id="ID"`.
pub fn element_text(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!("id=\"{id}\""))?;
    text_after_tag(html, at)
}

/// The texts of every element with `class="CLASS"`.
pub fn class_texts(html: &str, class: &str) -> Vec<String> {
    html.match_indices(&format!("class=\"{class}\""))
        .filter_map(|(at, _)| text_after_tag(html, at))
        .collect()
}

/// The receipt code on a receipt page.
pub fn receipt_code(html: &str) -> Option<String> {
    element_text(html, "receipt-code")
}

/// The staff replies shown on a check page.
pub fn replies(html: &str) -> Vec<String> {
    class_texts(html, "reply")
}

/// The value of the first (hidden) input named `name`.
pub fn input_value(html: &str, name: &str) -> Option<String> {
    let needle = format!("name=\"{name}\" value=\"");
    let start = html.find(&needle)? + needle.len();
    let len = html[start..].find('"')?;
    Some(unescape_html(&html[start..start + len]))
}

/// The content of the textarea named `name`, unescaped but not trimmed.
pub fn textarea_content(html: &str, name: &str) -> Option<String> {
    let at = html.find("<textarea")?;
    let rest = &html[at..];
    let tag_end = rest.find('>')?;
    if !rest[..tag_end].contains(&format!("name=\"{name}\"")) {
        return None;
    }
    let body = &rest[tag_end + 1..];
    let len = body.find("</textarea>")?;
    Some(unescape_html(&body[..len]))
}

// ----- raw sockets, for what no polite client sends -----

/// A response read off a raw socket.
#[derive(Debug)]
pub struct RawResp {
    /// The status from the status line.
    pub status: u16,
    /// Header block, as text.
    pub head: String,
    /// The body (not de-chunked).
    pub body: Vec<u8>,
}

impl RawResp {
    /// The body as lossy text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `request` (head and body, byte for byte) and reads the answer until the
/// server closes the connection. The request should say `Connection: close`.
pub fn raw_http(host_port: &str, request: &[u8]) -> RawResp {
    let started = Instant::now();
    let mut stream = TcpStream::connect(host_port).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(90)))
        .expect("timeout");
    // The server may answer and close before taking all of an oversized body.
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| {
            panic!(
                "no response head after {:?}: {:?}",
                started.elapsed(),
                String::from_utf8_lossy(&answer)
            )
        });
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line: {head}"));
    RawResp {
        status,
        head,
        body: answer[split + 4..].to_vec(),
    }
}

/// A request head for `POST PATH` with the given content type and length.
pub fn raw_post_head(host_port: &str, path: &str, content_type: &str, length: usize) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: {host_port}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {length}\r\nConnection: close\r\n\r\n"
    )
}

// ----- small utilities -----

/// A fresh random 64-bit number (from the std hasher's random keys).
pub fn random_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish()
}

/// A unique marker for "must never appear in clear" checks.
pub fn marker(what: &str) -> String {
    format!("MARKER-{what}-{:016x}{:016x}", random_u64(), random_u64())
}

/// A random code in the valid format (Crockford base32, four dashed groups).
pub fn random_code() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let (a, b) = (random_u64(), random_u64());
    let mut out = String::new();
    for i in 0..16u32 {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        // 12 characters from the first number (60 bits), 4 from the second.
        let v = if i < 12 {
            a >> (5 * i)
        } else {
            b >> (5 * (i - 12))
        };
        out.push(char::from(ALPHABET[(v & 31) as usize]));
    }
    out
}

/// Waits until `cond` holds, up to `timeout`; returns whether it did.
pub fn eventually(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether `needle` occurs in `haystack`, ignoring ASCII case.
pub fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    if needle.is_empty() || haystack.len() < needle.len() {
        return needle.is_empty();
    }
    let needle = needle.to_ascii_lowercase();
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(&needle))
}
