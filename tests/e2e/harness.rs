//! Starting the real `tipline` binary on a loopback port with a fresh data
//! directory, and talking to it as a browser without JavaScript would.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tipline")
}

/// Runs `tipline ARGS` to completion.
pub fn tipline(args: &[&str]) -> Output {
    Command::new(bin()).args(args).output().unwrap()
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
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// The last line of stdout (keygen's recipient, staff add's token).
pub fn last_line(out: &Output) -> String {
    assert!(
        out.status.success(),
        "command failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_string()
}

/// A running server and everything around it.
pub struct Server {
    /// Base URL, `http://127.0.0.1:PORT`.
    pub url: String,
    /// The staff listener's base URL, when separate.
    pub staff_url: Option<String>,
    /// Keeps the directory alive.
    pub dir: tempfile::TempDir,
    /// `--data`.
    pub data: PathBuf,
    /// `--keys`.
    pub keys: PathBuf,
    /// The centre identity (age format).
    pub identity: PathBuf,
    /// A staff token.
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
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path().join("keys");
        std::fs::create_dir(&keys).unwrap();
        let identity = dir.path().join("centre.key");
        let recipient = last_line(&tipline(&["keygen", "--out", identity.to_str().unwrap()]));
        std::fs::write(keys.join("centre.pub"), format!("{recipient}\n")).unwrap();
        let data = dir.path().join("data");
        let token = last_line(&tipline(&[
            "staff",
            "add",
            "tester",
            "--data",
            data.to_str().unwrap(),
        ]));
        let mut s = Server {
            url: String::new(),
            staff_url: None,
            log: dir.path().join("server.log"),
            dir,
            data,
            keys,
            identity,
            token,
            args: args.iter().map(|a| a.to_string()).collect(),
            child: None,
            restarts: 0,
        };
        s.launch();
        s
    }

    fn launch(&mut self) {
        let stdout = self.dir.path().join(format!("stdout-{}", self.restarts));
        self.restarts += 1;
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
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
            .stdout(std::fs::File::create(&stdout).unwrap())
            .stderr(log);
        self.child = Some(cmd.spawn().unwrap());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let text = std::fs::read_to_string(&stdout).unwrap_or_default();
            let find = |prefix: &str| {
                text.lines()
                    .find_map(|l| l.strip_prefix(prefix))
                    .map(|u| u.trim().to_string())
            };
            if let Some(url) = find("listening on ") {
                self.url = url;
                self.staff_url = find("staff API listening on ");
                if !self.args.iter().any(|a| a == "--staff-listen") || self.staff_url.is_some() {
                    return;
                }
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
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

    /// Kills the server (SIGKILL) and waits for it.
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

    /// Starts again after `kill`.
    pub fn start_again(&mut self) {
        self.launch();
    }

    /// The process id, for signals.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    /// Everything the server wrote to stderr.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Everything the server wrote to stdout, over all its runs.
    pub fn stdout_text(&self) -> String {
        (0..self.restarts)
            .map(|i| {
                std::fs::read_to_string(self.dir.path().join(format!("stdout-{i}")))
                    .unwrap_or_default()
            })
            .collect()
    }

    /// Makes a report through the form; returns the receipt code.
    pub fn report(&self, text: &str) -> String {
        let resp = post_multipart(
            &format!("{}/report", self.url),
            &[("message", None, text.as_bytes())],
        );
        assert_eq!(resp.0, 200, "report refused: {}", resp.1);
        receipt_code(&resp.1).unwrap()
    }

    /// Checks in with a code; returns the page.
    pub fn check(&self, code: &str) -> (u16, String) {
        post_form(
            &format!("{}/check", self.url),
            &[("code", code), ("lang", "en")],
        )
    }

    /// The staff API's base URL (separate listener or the main one).
    pub fn api(&self) -> String {
        format!("{}/api/v1", self.staff_url.as_deref().unwrap_or(&self.url))
    }

    /// An authorised staff API GET as JSON.
    pub fn api_json(&self, path: &str) -> serde_json::Value {
        let mut resp = agent()
            .get(format!("{}{path}", self.api()))
            .header("Authorization", format!("Bearer {}", self.token))
            .call()
            .unwrap();
        assert_eq!(resp.status().as_u16(), 200);
        resp.body_mut().read_json().unwrap()
    }

    /// The reports the staff API lists.
    pub fn reports(&self) -> Vec<serde_json::Value> {
        self.api_json("/reports")["reports"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// Runs a desk command against this server with its token.
    pub fn desk(&self, args: &[&str]) -> Output {
        let mut full = vec!["desk"];
        full.extend_from_slice(args);
        Command::new(bin())
            .args(&full)
            .env("TIPLINE_TOKEN", &self.token)
            .env("TIPLINE_IDENTITY", &self.identity)
            .output()
            .unwrap()
    }

    /// Every byte of every file under the data directory, as one buffer.
    pub fn data_bytes(&self) -> Vec<u8> {
        let mut all = Vec::new();
        walk(&self.data, &mut all);
        all
    }
}

fn walk(dir: &Path, out: &mut Vec<u8>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if let Ok(mut f) = std::fs::File::open(&path) {
            let _ = f.read_to_end(out);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A client that returns 4xx/5xx as responses and does not follow redirects.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .new_agent()
}

/// GET; status and body.
pub fn get(url: &str) -> (u16, String, ureq::http::HeaderMap) {
    let mut resp = agent().get(url).call().unwrap();
    let headers = resp.headers().clone();
    (
        resp.status().as_u16(),
        resp.body_mut().read_to_string().unwrap_or_default(),
        headers,
    )
}

/// POST an urlencoded form; status and body.
pub fn post_form(url: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let mut resp = agent().post(url).send_form(fields.iter().copied()).unwrap();
    (
        resp.status().as_u16(),
        resp.body_mut().read_to_string().unwrap_or_default(),
    )
}

/// POST multipart: (name, file name, bytes) per part.
pub fn post_multipart(url: &str, parts: &[(&str, Option<&str>, &[u8])]) -> (u16, String) {
    let boundary = "----tiplinetestboundary7MA4YWxk";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend(format!("--{boundary}\r\n").bytes());
        match file {
            Some(f) => body.extend(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").bytes(),
            ),
            None => body.extend(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").bytes()),
        }
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").bytes());
    let mut resp = agent()
        .post(url)
        .content_type(format!("multipart/form-data; boundary={boundary}"))
        .send(&body[..])
        .unwrap();
    (
        resp.status().as_u16(),
        resp.body_mut().read_to_string().unwrap_or_default(),
    )
}

/// The text of the element with `id="ID"`.
pub fn element_text(html: &str, id: &str) -> Option<String> {
    let start = html.find(&format!("id=\"{id}\""))?;
    let rest = &html[start..];
    let open_end = rest.find('>')? + 1;
    let close = rest[open_end..].find('<')?;
    Some(unescape(rest[open_end..open_end + close].trim()))
}

/// The receipt code on a receipt page.
pub fn receipt_code(html: &str) -> Option<String> {
    element_text(html, "receipt-code")
}

/// The texts of every element with `class="reply"`.
pub fn replies(html: &str) -> Vec<String> {
    html.match_indices("class=\"reply\">")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            unescape(&rest[..rest.find("</").unwrap()])
        })
        .collect()
}

/// The value of the first hidden `token` field.
pub fn token_field(html: &str) -> Option<String> {
    let i = html.find("name=\"token\" value=\"")? + "name=\"token\" value=\"".len();
    Some(html[i..i + html[i..].find('"')?].to_string())
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Encrypts `text` with the reference `age` CLI to the given recipients.
pub fn age_encrypt(text: &[u8], recipients: &[&str]) -> Vec<u8> {
    let mut cmd = Command::new("age");
    for r in recipients {
        cmd.args(["-r", r]);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the reference age CLI");
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), text).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    out.stdout
}

/// Posts a staff reply (an age file) to a report.
pub fn post_reply(server: &Server, report: &str, body: &[u8]) -> u16 {
    agent()
        .post(format!("{}/reports/{report}/replies", server.api()))
        .header("Authorization", format!("Bearer {}", server.token))
        .send(body)
        .unwrap()
        .status()
        .as_u16()
}

/// Sets a status through the API.
pub fn put_status(server: &Server, report: &str, status: &str) -> u16 {
    agent()
        .put(format!("{}/reports/{report}/status", server.api()))
        .header("Authorization", format!("Bearer {}", server.token))
        .send_json(serde_json::json!({ "status": status }))
        .unwrap()
        .status()
        .as_u16()
}

/// stdout as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// stderr as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Decrypts with the reference `age` CLI and the given identity file.
pub fn age_decrypt(identity: &std::path::Path, ciphertext: &[u8]) -> Vec<u8> {
    let mut child = Command::new("age")
        .args(["-d", "-i", identity.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the reference age CLI");
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), ciphertext).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "age -d: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// An authorised staff API GET of raw bytes (an age file).
pub fn api_bytes(s: &Server, path: &str) -> Vec<u8> {
    let mut resp = agent()
        .get(format!("{}{path}", s.api()))
        .header("Authorization", format!("Bearer {}", s.token))
        .call()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(
        resp.headers().get("content-type").unwrap(),
        "application/octet-stream"
    );
    resp.body_mut()
        .with_config()
        .limit(1 << 30)
        .read_to_vec()
        .unwrap()
}
