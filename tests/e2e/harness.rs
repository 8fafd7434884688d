//! The test harness: a fresh install of the real `tipline` binary per test
//! (identity, recipient, staff token, data directory), a running server on a
//! loopback port, and typed ways to talk to it as a browser without JavaScript,
//! as the staff desk and through the staff API. Raw sockets, for what no polite
//! client sends, are in `raw.rs`.
//!
//! Two ways to make a request: the free functions take a whole URL and give
//! `(status, body)` for the common case; the `Server` methods take a path on
//! that server and give the whole [`Resp`]. Both go through the same client.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

// ----- the binary -----

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

/// Runs `tipline ARGS` with extra environment and standard input.
pub fn tipline_with(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut child = Command::new(bin())
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tipline");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("tipline")
}

/// The last non-empty stdout line of a successful command (keygen's recipient,
/// `staff add`'s token).
pub fn last_line(out: &Output) -> String {
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

/// stdout as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// stderr as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts that a command failed with exactly one line on stderr and no panic;
/// returns that line.
pub fn assert_fails_with_one_line(out: &Output) -> String {
    assert!(!out.status.success(), "it succeeded: {}", stdout(out));
    let err = stderr(out);
    assert_eq!(err.trim().lines().count(), 1, "not one line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err.trim().to_string()
}

/// A file's content as (lossy) text; empty when it cannot be read.
fn read_lossy(path: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(path).unwrap_or_default()).into_owned()
}

// ----- the server -----

/// A running server on a fresh install, killed when dropped.
pub struct Server {
    /// Base URL, `http://127.0.0.1:PORT` (or `https://`) of the current run.
    pub url: String,
    /// The staff listener's base URL, when separate.
    pub staff_url: Option<String>,
    /// Keeps the directory alive until the server is dropped.
    pub dir: tempfile::TempDir,
    /// `--data`.
    pub data: PathBuf,
    /// `--keys`.
    pub keys: PathBuf,
    /// The centre identity (age format), for `age -d -i`.
    pub identity: PathBuf,
    /// The centre recipient (`age1...`), as written to `keys/centre.pub`.
    pub centre_recipient: String,
    /// A valid staff token (of "tester").
    pub token: String,
    /// Extra serve arguments, reused on restart.
    pub args: Vec<String>,
    child: Option<Child>,
    log: PathBuf,
    restarts: usize,
}

impl Server {
    /// A fresh install (identity, recipient, staff token) and a running server.
    pub fn start(args: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let keys = dir.path().join("keys");
        std::fs::create_dir(&keys).expect("keys dir");
        let identity = dir.path().join("centre.key");
        let centre_recipient = last_line(&tipline(&[
            "keygen",
            "--out",
            identity.to_str().expect("utf-8 path"),
        ]));
        assert!(centre_recipient.starts_with("age1"), "{centre_recipient}");
        // A comment line too, as an operator would write one.
        std::fs::write(
            keys.join("centre.pub"),
            format!("# the test centre\n{centre_recipient}\n"),
        )
        .expect("write centre.pub");
        let data = dir.path().join("data");
        // The token is made before the server holds the database lock.
        let token = last_line(&tipline(&[
            "staff",
            "add",
            "tester",
            "--data",
            data.to_str().expect("utf-8 path"),
        ]));
        let mut s = Server {
            url: String::new(),
            staff_url: None,
            log: dir.path().join("server.log"),
            dir,
            data,
            keys,
            identity,
            centre_recipient,
            token,
            args: args.iter().map(|a| a.to_string()).collect(),
            child: None,
            restarts: 0,
        };
        s.launch();
        s
    }

    fn launch(&mut self) {
        assert!(self.child.is_none(), "already running");
        let stdout = self.dir.path().join(format!("stdout-{}", self.restarts));
        self.restarts += 1;
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("server log");
        let mut cmd = Command::new(bin());
        if !self.args.iter().any(|a| a.starts_with("--kdf-memory")) {
            // A cheap KDF keeps the suite fast; the cost itself is tested elsewhere.
            cmd.env("TIPLINE_KDF_MEMORY_KIB", "1024")
                .env("TIPLINE_KDF_ITERATIONS", "1");
        }
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(&self.data)
            .arg("--keys")
            .arg(&self.keys)
            .args(&self.args)
            // Nothing from the environment decides what is logged or configured.
            .env_remove("TIPLINE_CONFIG")
            .env("TIPLINE_LOG", "info")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&stdout).expect("stdout file"))
            .stderr(log);
        self.child = Some(cmd.spawn().expect("spawn tipline serve"));
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let text = read_lossy(&stdout);
            let find = |prefix: &str| {
                text.lines()
                    .find_map(|l| l.strip_prefix(prefix))
                    .map(|u| u.trim().trim_end_matches('/').to_string())
            };
            if let Some(url) = find("listening on ") {
                self.url = url;
                self.staff_url = find("staff API listening on ");
                if !self.args.iter().any(|a| a == "--staff-listen") || self.staff_url.is_some() {
                    return;
                }
            }
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!("server exited with {status}: {}", self.log_text());
            }
            assert!(
                Instant::now() < deadline,
                "server did not start: {}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the server (SIGKILL) and waits for it to be gone.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Kills and starts again on the same data.
    pub fn restart(&mut self) {
        self.kill();
        self.launch();
    }

    /// Starts again after `kill` (on `self.data`, which a test may have moved).
    pub fn start_again(&mut self) {
        self.launch();
    }

    /// The process id, for signals.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    /// Everything the server wrote to stderr, over all its runs.
    pub fn log_text(&self) -> String {
        read_lossy(&self.log)
    }

    /// Everything the server wrote to stdout, over all its runs.
    pub fn stdout_text(&self) -> String {
        (0..self.restarts)
            .map(|i| read_lossy(&self.dir.path().join(format!("stdout-{i}"))))
            .collect()
    }

    /// Everything the server wrote, stdout and stderr.
    pub fn output(&self) -> String {
        format!("{}{}", self.stdout_text(), self.log_text())
    }

    /// `127.0.0.1:PORT`, for raw sockets.
    pub fn host_port(&self) -> &str {
        self.url.strip_prefix("http://").expect("plain http")
    }

    /// Runs `tipline ARGS --data DATA` (the server should be stopped).
    pub fn with_data(&self, args: &[&str]) -> Output {
        let mut all = args.to_vec();
        all.extend(["--data", self.data.to_str().expect("utf-8 path")]);
        tipline(&all)
    }

    /// Runs a desk command against this server with its token and identity.
    pub fn desk(&self, args: &[&str]) -> Output {
        Command::new(bin())
            .arg("desk")
            .args(args)
            .env("TIPLINE_TOKEN", &self.token)
            .env("TIPLINE_IDENTITY", &self.identity)
            .stdin(Stdio::null())
            .output()
            .expect("run tipline desk")
    }

    /// Every regular file under the data directory.
    pub fn data_files(&self) -> Vec<PathBuf> {
        files_under(&self.data)
    }

    /// Every byte of every file under the data directory, as one buffer.
    pub fn data_bytes(&self) -> Vec<u8> {
        self.data_files()
            .iter()
            .flat_map(|f| std::fs::read(f).unwrap_or_default())
            .collect()
    }

    // ----- reporter side -----

    fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// GET a page.
    pub fn get(&self, path: &str) -> Resp {
        fetch(&self.at(path))
    }

    /// POST an urlencoded form.
    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        send_form(&self.at(path), fields)
    }

    /// POST a multipart form built from `parts`.
    pub fn post_parts(&self, path: &str, parts: &[Part<'_>]) -> Resp {
        send_parts(&self.at(path), parts)
    }

    /// POST a body with the given content type.
    pub fn post_raw(&self, path: &str, content_type: &str, body: &[u8]) -> Resp {
        send_raw(&self.at(path), content_type, body)
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
        self.post_parts("/report", &parts)
    }

    /// Makes a report through the form; returns the receipt code.
    pub fn report(&self, text: &str) -> String {
        let resp = self.post_parts("/report", &[Part::Text("message", text.as_bytes())]);
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
        self.post_parts(
            "/check/message",
            &[
                Part::Text("lang", b"en"),
                Part::Text("token", token.as_bytes()),
                Part::Text("message", text.as_bytes()),
            ],
        )
    }

    // ----- staff API -----

    /// The staff API's base URL (separate listener or the main one).
    pub fn api(&self) -> String {
        format!("{}/api/v1", self.staff_url.as_deref().unwrap_or(&self.url))
    }

    /// `Bearer TOKEN` for the valid token.
    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.token)
    }

    /// An API request with an explicit `Authorization` header (or none).
    pub fn api_request(
        &self,
        method: &str,
        path: &str,
        authorization: Option<&str>,
        body: Option<&[u8]>,
    ) -> Resp {
        let builder = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.api()));
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
            Some(bytes) => agent().run(
                builder
                    .header("Content-Type", content_type)
                    .body(bytes.to_vec())
                    .expect("request"),
            ),
            None => agent().run(builder.body(()).expect("request")),
        };
        Resp::from(response.expect("API request"))
    }

    /// An authorised API GET.
    pub fn api_get(&self, path: &str) -> Resp {
        self.api_request("GET", path, Some(&self.bearer()), None)
    }

    /// An authorised API GET that must answer 200 with JSON.
    pub fn api_json(&self, path: &str) -> Value {
        let resp = self.api_get(path);
        assert_eq!(resp.status, 200, "GET {path}: {}", resp.text());
        resp.json()
    }

    /// The reports the staff API lists.
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
        age_decrypt(
            &self.identity,
            &api_bytes(self, &format!("/reports/{report_id}/messages/{message_id}")),
        )
    }

    /// A reporter message as the JSON it decrypts to.
    pub fn message_json(&self, report_id: &str, message_id: &str) -> Value {
        let plain = self.decrypt_message(report_id, message_id);
        let text = String::from_utf8(plain).expect("a reporter message is UTF-8");
        serde_json::from_str(text.trim_end()).expect("a reporter message is JSON")
    }

    /// Posts a staff reply (an age file) to a report.
    pub fn post_reply(&self, report_id: &str, body: &[u8]) -> Resp {
        self.api_request(
            "POST",
            &format!("/reports/{report_id}/replies"),
            Some(&self.bearer()),
            Some(body),
        )
    }

    /// Encrypts `text` with the reference `age` CLI to the reporter and the
    /// centre, as the desk does, and posts it as a reply.
    pub fn reply_with_age(&self, report_id: &str, reporter_recipient: &str, text: &str) -> Resp {
        let ciphertext = age_encrypt(
            text.as_bytes(),
            &[reporter_recipient, &self.centre_recipient],
        );
        self.post_reply(report_id, &ciphertext)
    }

    /// Sets a report's status through the API.
    pub fn set_status(&self, report_id: &str, status: &str) -> Resp {
        let body = serde_json::json!({ "status": status }).to_string();
        self.api_request(
            "PUT",
            &format!("/reports/{report_id}/status"),
            Some(&self.bearer()),
            Some(body.as_bytes()),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// An authorised staff API GET of raw bytes (an age file).
pub fn api_bytes(s: &Server, path: &str) -> Vec<u8> {
    let resp = s.api_get(path);
    assert_eq!(resp.status, 200, "GET {path}: {}", resp.text());
    assert_eq!(
        resp.header("content-type").as_deref(),
        Some("application/octet-stream")
    );
    resp.body
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

// ----- HTTP -----

/// A client that returns 4xx/5xx as responses, follows no redirect, uses no
/// proxy from the environment and never hangs a test for long.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(60)))
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
            .limit(1 << 30)
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

/// GET a URL.
pub fn fetch(url: &str) -> Resp {
    Resp::from(agent().get(url).call().expect("GET"))
}

/// POST an urlencoded form to a URL.
pub fn send_form(url: &str, fields: &[(&str, &str)]) -> Resp {
    Resp::from(
        agent()
            .post(url)
            .send_form(fields.iter().copied())
            .expect("POST form"),
    )
}

/// POST a multipart form built from `parts` to a URL.
pub fn send_parts(url: &str, parts: &[Part<'_>]) -> Resp {
    send_raw(url, &multipart_content_type(), &multipart_body(parts))
}

/// POST a body with the given content type to a URL.
pub fn send_raw(url: &str, content_type: &str, body: &[u8]) -> Resp {
    Resp::from(
        agent()
            .post(url)
            .content_type(content_type)
            .send(body)
            .expect("POST"),
    )
}

/// GET; status and body.
pub fn get(url: &str) -> (u16, String) {
    let r = fetch(url);
    (r.status, r.text())
}

/// POST an urlencoded form; status and body.
pub fn post_form(url: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let r = send_form(url, fields);
    (r.status, r.text())
}

/// POST multipart: (name, file name, bytes) per part, files as
/// `application/octet-stream`; status and body.
pub fn post_multipart(url: &str, parts: &[(&str, Option<&str>, &[u8])]) -> (u16, String) {
    let parts: Vec<Part<'_>> = parts
        .iter()
        .map(|&(name, file, bytes)| match file {
            Some(f) => Part::File(name, f, "application/octet-stream", bytes),
            None => Part::Text(name, bytes),
        })
        .collect();
    let r = send_parts(url, &parts);
    (r.status, r.text())
}

/// One part of a multipart form.
pub enum Part<'a> {
    /// A text field: name, bytes.
    Text(&'a str, &'a [u8]),
    /// A file field: field name, file name, content type, bytes.
    File(&'a str, &'a str, &'a str, &'a [u8]),
}

/// The boundary every multipart body built here uses.
pub const BOUNDARY: &str = "----tiplineTestBoundaryQ7x9Zr7MA4";

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

// ----- the reference age CLI -----

/// Runs the reference `age` with `args`, feeding `input` from a thread (so a
/// large input cannot block on a full stdout pipe).
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
    let args: Vec<&str> = recipients.iter().flat_map(|r| ["-r", r]).collect();
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

/// Whether the reference `age -d -i IDENTITY` refuses the ciphertext.
pub fn age_refuses(identity: &Path, ciphertext: &[u8]) -> bool {
    !age(
        &["-d", "-i", identity.to_str().expect("utf-8 path")],
        ciphertext,
    )
    .status
    .success()
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

/// The text of the element whose start tag is at `at` (up to the next `<`),
/// unescaped, not trimmed.
fn text_after_tag(html: &str, at: usize) -> Option<String> {
    let rest = &html[at..];
    let open_end = rest.find('>')? + 1;
    let len = rest[open_end..].find('<')?;
    Some(unescape_html(&rest[open_end..open_end + len]))
}

/// The text of the element with `id="ID"`, trimmed.
pub fn element_text(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!("id=\"{id}\""))?;
    text_after_tag(html, at).map(|t| t.trim().to_string())
}

/// The texts of every element with `class="CLASS"`, exactly as shown.
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

/// The value of the first hidden `token` field (check-in, delete, rotate).
pub fn token_field(html: &str) -> Option<String> {
    input_value(html, "token")
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
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

// ----- stopping gracefully (floods.rs) -----

impl Server {
    /// Stops the server with SIGTERM, as a supervisor does, and waits up to
    /// `timeout` for it to exit; returns whether it did.
    pub fn terminate(&mut self, timeout: Duration) -> bool {
        let Some(mut child) = self.child.take() else {
            return true;
        };
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        false
    }
}

/// A process's resident memory in bytes (`VmRSS` in /proc/PID/status).
pub fn rss_bytes(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kib| kib * 1024)
}

/// A process's thread count (`Threads` in /proc/PID/status).
pub fn thread_count(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

/// CPU time a process has used (user + system), from /proc/PID/stat, assuming
/// the usual 100 clock ticks per second.
pub fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of stat; here 11 and 12 (0-based).
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

/// A JPEG with an EXIF segment holding a fake GPS position.
pub fn jpeg_with_gps() -> Vec<u8> {
    let seg = |marker: u8, body: &[u8]| {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(body);
        s
    };
    let mut v = vec![0xFF, 0xD8];
    v.extend(seg(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    v.extend(seg(0xE1, b"Exif\0\0GPS 52.0907N 5.1214E"));
    v.extend(seg(0xDB, &[0u8; 65]));
    v.extend(seg(0xDA, &[1, 1, 0, 0, 63, 0]));
    v.extend([0x55, 0xAA, 0xFF, 0xD9]);
    v
}

/// Makes a signing key for `name` in `dir` with `desk keygen-signing`:
/// (key file, the roster line it printed last).
pub fn keygen_signing(dir: &Path, name: &str) -> (PathBuf, String) {
    let key = dir.join(format!("{name}.signing"));
    let out = tipline(&[
        "desk",
        "keygen-signing",
        "--name",
        name,
        "--out",
        key.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    (key, last_line(&out))
}
