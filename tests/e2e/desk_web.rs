//! `tipline desk serve`, the desk in the browser, over HTTP: the security
//! model (loopback, one-time key, session cookie, Host check, form tokens,
//! headers) and its pages and actions against a real server.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::harness::*;

/// A running `desk serve`, killed when dropped.
pub(crate) struct DeskWeb {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub(crate) base: String,
    /// The printed URL with its one-time key.
    pub(crate) url: String,
    /// Where its standard error goes.
    log: std::path::PathBuf,
}

impl Drop for DeskWeb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn mirror(s: &Server) -> String {
    s.dir.path().join("mirror").to_str().unwrap().to_string()
}

/// Pulls into the mirror, then starts `desk serve` on it with the server.
pub(crate) fn desk_web(s: &Server) -> DeskWeb {
    desk_web_with(s, &mirror(s), &[])
}

/// As [`desk_web`], on the mirror `m`, with more arguments (`--lang nl`
/// unless they name a language).
pub(crate) fn desk_web_with(s: &Server, m: &str, extra: &[&str]) -> DeskWeb {
    let m = m.to_string();
    let pulled = s.desk(&["pull", "--server", &s.url, "--mirror", &m]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    let log = s.dir.path().join("desk-serve.log");
    let mut child = Command::new(bin())
        .args(["desk", "serve", "--no-open", "--listen", "127.0.0.1:0"])
        .args(["--mirror", &m, "--server", &s.url])
        .args(if extra.contains(&"--lang") {
            &[][..]
        } else {
            &["--lang", "nl"][..]
        })
        .args(extra)
        .env("TIPLINE_TOKEN", &s.token)
        .env("TIPLINE_IDENTITY", &s.identity)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let url = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("desk serve printed no URL");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let base = url.split("/?").next().unwrap().to_string();
    DeskWeb {
        child,
        base,
        url,
        log,
    }
}

impl DeskWeb {
    /// Redeems the key: the session cookie (`name=value`) and the Set-Cookie line.
    pub(crate) fn login(&self) -> (String, String) {
        let r = fetch(&self.url);
        assert_eq!(r.status, 303, "{}", r.text());
        let set = r.header("set-cookie").expect("a session cookie");
        let pair = set.split(';').next().unwrap().trim().to_string();
        (pair, set)
    }

    pub(crate) fn get(&self, cookie: &str, path: &str) -> Resp {
        let r = agent()
            .get(format!("{}{path}", self.base))
            .header("Cookie", cookie)
            .call()
            .unwrap();
        resp(r)
    }

    pub(crate) fn post(&self, cookie: &str, path: &str, fields: &[(&str, &str)]) -> Resp {
        let r = agent()
            .post(format!("{}{path}", self.base))
            .header("Cookie", cookie)
            .send_form(fields.iter().copied())
            .unwrap();
        resp(r)
    }

    /// Posts `fields` to `path` with the token of the form `form` (a CSS
    /// selector) on `page`, as a browser submits that form.
    pub(crate) fn submit(
        &self,
        cookie: &str,
        page: &str,
        path: &str,
        form: &str,
        fields: &[(&str, &str)],
    ) -> Resp {
        let token = token(page, form);
        let mut all = fields.to_vec();
        all.push(("token", &token));
        self.post(cookie, path, &all)
    }

    pub(crate) fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

fn resp(mut r: ureq::http::Response<ureq::Body>) -> Resp {
    Resp {
        status: r.status().as_u16(),
        headers: r.headers().clone(),
        body: r.body_mut().read_to_vec().unwrap(),
    }
}

/// The form token inside the element matched by `form` (a CSS selector).
pub(crate) fn token(page: &str, form: &str) -> String {
    let doc = scraper::Html::parse_document(page);
    let sel = scraper::Selector::parse(&format!("{form} input[name=token]")).unwrap();
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr("value"))
        .unwrap_or_else(|| panic!("no token in {form}: {page}"))
        .to_string()
}

pub(crate) fn select_all(page: &str, css: &str) -> Vec<scraper::ElementRef<'static>> {
    let doc: &'static scraper::Html = Box::leak(Box::new(scraper::Html::parse_document(page)));
    let sel = scraper::Selector::parse(css).unwrap();
    doc.select(&sel).collect()
}

pub(crate) fn report_with(s: &Server, fields: &[(&str, &[u8])]) {
    let parts: Vec<Part<'_>> = fields.iter().map(|(n, v)| Part::Text(n, v)).collect();
    let r = s.post_parts("/report", &parts);
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn desk_serve_refuses_to_listen_on_a_non_loopback_address() {
    let s = Server::start(&[]);
    let m = mirror(&s);
    assert!(s
        .desk(&["pull", "--server", &s.url, "--mirror", &m])
        .status
        .success());
    let out = s.desk(&[
        "serve",
        "--no-open",
        "--listen",
        "0.0.0.0:0",
        "--mirror",
        &m,
    ]);
    let line = assert_fails_with_one_line(&out);
    assert!(line.contains("loopback"), "{line}");
    assert!(stdout(&out).is_empty(), "no URL may be printed");
}

#[test]
fn desk_serve_answers_403_without_the_session_and_to_a_second_use_of_the_url_key() {
    let s = Server::start(&[]);
    s.report("Iets om te lezen");
    let d = desk_web(&s);
    for path in ["/", "/help", "/outbox", "/desk.css"] {
        assert_eq!(fetch(&format!("{}{path}", d.base)).status, 403, "{path}");
    }
    assert_eq!(fetch(&format!("{}/?key=wrong", d.base)).status, 403);
    let (cookie, set) = d.login();
    let set = set.to_ascii_lowercase();
    assert!(set.contains("httponly"), "{set}");
    assert!(set.contains("samesite=strict"), "{set}");
    assert!(set.contains("path=/"), "{set}");
    assert_eq!(d.get(&cookie, "/").status, 200);
    // The printed URL works once: a second use (another program, a shoulder
    // surfer, the browser history) buys nothing.
    assert_eq!(fetch(&d.url).status, 403);
    assert_eq!(d.get("tipline_desk=guessed", "/").status, 403);
}

#[test]
fn desk_serve_refuses_a_request_for_another_host_name() {
    let s = Server::start(&[]);
    let d = desk_web(&s);
    let (cookie, _) = d.login();
    let hostport = d.base.strip_prefix("http://").unwrap();
    let mut sock = std::net::TcpStream::connect(hostport).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        sock,
        "GET / HTTP/1.1\r\nHost: evil.example\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    sock.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    assert!(!answer.contains("table"), "{answer}");
    // The right host with the same cookie works.
    assert_eq!(d.get(&cookie, "/").status, 200);
}

#[test]
fn desk_serve_refuses_a_post_without_its_form_token() {
    let s = Server::start(&[]);
    s.report("Een melding");
    let d = desk_web(&s);
    let (cookie, _) = d.login();
    let inbox = d.get(&cookie, "/").text();
    let sync_token = token(&inbox, "#sync-form");
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let reply = format!("/reports/{id}/reply");
    assert_eq!(
        d.post(&cookie, &reply, &[("text", "zonder token")]).status,
        403
    );
    // A token is bound to its form: the sync token does not send a reply.
    assert_eq!(
        d.post(
            &cookie,
            &reply,
            &[("text", "ander token"), ("token", &sync_token)]
        )
        .status,
        403
    );
    assert_eq!(d.post(&cookie, "/sync", &[]).status, 403);
    // A page on another site cannot post even with a token it somehow holds.
    let r = agent()
        .post(format!("{}/sync", d.base))
        .header("Cookie", &cookie)
        .header("Origin", "http://evil.example")
        .send_form([("token", sync_token.as_str())])
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let r = agent()
        .post(format!("{}/sync", d.base))
        .header("Cookie", &cookie)
        .header("Sec-Fetch-Site", "cross-site")
        .send_form([("token", sync_token.as_str())])
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let page = d.get(&cookie, &format!("/reports/{id}")).text();
    assert!(!page.contains("zonder token") && !page.contains("ander token"));
    assert_eq!(s.messages(&id).len(), 1, "nothing was sent");
}

#[test]
fn desk_serve_pages_carry_strict_headers_and_no_script() {
    let s = Server::start(&[]);
    s.report("Een melding");
    let d = desk_web(&s);
    let (cookie, _) = d.login();
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    for path in [
        "/",
        &format!("/reports/{id}"),
        "/figures",
        "/outbox",
        "/help",
    ] {
        let r = d.get(&cookie, path);
        assert_eq!(r.status, 200, "{path}");
        let csp = r.header("content-security-policy").unwrap();
        assert!(csp.contains("default-src 'none'"), "{csp}");
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("script-src"),
            "{csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(r.header("referrer-policy").as_deref(), Some("no-referrer"));
        assert_eq!(
            r.header("x-content-type-options").as_deref(),
            Some("nosniff")
        );
        assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
        assert!(!r.text().contains("<script"), "{path}");
    }
}

#[test]
fn desk_serve_inbox_lists_danger_first_then_children_then_the_rest() {
    let s = Server::start(&[]);
    s.report("Gewone melding");
    report_with(
        &s,
        &[
            ("lang", b"nl"),
            ("variant", b"kids"),
            ("message", b"Kindermelding"),
        ],
    );
    report_with(
        &s,
        &[
            ("lang", b"nl"),
            ("q-danger", b"yes"),
            ("message", b"Nu in gevaar"),
        ],
    );
    let d = desk_web(&s);
    let (cookie, _) = d.login();
    let inbox = d.get(&cookie, "/").text();
    let rows = select_all(&inbox, "table#inbox tr[data-report]");
    assert_eq!(rows.len(), 3, "{inbox}");
    let texts: Vec<String> = rows.iter().map(|r| r.text().collect()).collect();
    assert!(
        rows[0].html().contains("badge danger") && texts[0].contains("Nu in gevaar"),
        "{texts:?}"
    );
    assert!(
        rows[1].html().contains("badge kids") && texts[1].contains("Kindermelding"),
        "{texts:?}"
    );
    assert!(texts[2].contains("Gewone melding"), "{texts:?}");
    for r in &rows {
        let id = r.value().attr("data-report").unwrap();
        assert_eq!(id.len(), 32, "a full id: {id}");
        let link = select_all(&r.html(), "a")[0]
            .value()
            .attr("href")
            .unwrap()
            .to_string();
        assert_eq!(link, format!("/reports/{id}"));
    }
    // The filter form narrows the list without JavaScript.
    let urgent = d.get(&cookie, "/?status=&urgent=1").text();
    assert_eq!(select_all(&urgent, "table#inbox tr[data-report]").len(), 2);
}

#[test]
fn desk_serve_report_page_shows_answers_in_words_and_its_reply_and_status_reach_the_reporter() {
    let s = Server::start(&[]);
    let r = s.post_parts(
        "/report",
        &[
            Part::Text("lang", b"nl"),
            Part::Text("q-role", b"victim"),
            Part::Text("message", b"Ik moet <b>elke</b> nacht werken"),
        ],
    );
    let code = receipt_code(&r.text()).unwrap();
    let d = desk_web(&s);
    let (cookie, _) = d.login();
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let page = d.get(&cookie, &format!("/reports/{id}")).text();
    let text: String = select_all(&page, "#report-text")[0].text().collect();
    assert_eq!(text, "Ik moet <b>elke</b> nacht werken");
    assert!(
        page.contains("Wie ben jij?"),
        "answers in words, in Dutch: {page}"
    );
    assert!(select_all(&page, "#reply-form textarea").len() == 1);
    assert!(select_all(&page, "#status-form select option").len() >= 7);

    let reply = d.submit(
        &cookie,
        &page,
        &format!("/reports/{id}/reply"),
        "#reply-form",
        &[("text", "Dank je. Ben je nu veilig?")],
    );
    assert_eq!(reply.status, 303, "{}", reply.text());
    let back = reply.header("location").unwrap();
    assert!(back.ends_with("done=reply-sent"), "{back}");
    let status = d.submit(
        &cookie,
        &page,
        &format!("/reports/{id}/status"),
        "#status-form",
        &[("status", "forwarded_care")],
    );
    assert_eq!(status.status, 303, "{}", status.text());

    let check = s.check_ok(&code);
    assert_eq!(replies(&check), vec!["Dank je. Ben je nu veilig?"]);
    assert_eq!(
        element_text(&check, "report-status").unwrap(),
        "We are working on your report."
    );
    let after = d.get(&cookie, &back).text();
    assert!(after.contains(r#"data-done="reply-sent""#), "{after}");
    assert!(after.contains("Dank je. Ben je nu veilig?"), "{after}");
}

/// A 1x1 grey PNG whose tEXt chunk names an author.
fn png_with_author(author: &str) -> Vec<u8> {
    fn crc(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in data {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc(&body).to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
    chunk(&mut png, b"tEXt", format!("Author\0{author}").as_bytes());
    // zlib, one stored block holding the filter byte and the grey pixel.
    chunk(
        &mut png,
        b"IDAT",
        &[
            0x78, 0x01, 0x01, 0x02, 0x00, 0xFD, 0xFF, 0, 0, 0x00, 0x02, 0x00, 0x01,
        ],
    );
    chunk(&mut png, b"IEND", &[]);
    png
}

#[test]
fn desk_serve_shows_only_image_bytes_inline_blurred_until_chosen_stripped_and_sandboxed() {
    let s = Server::start(&[]);
    let png = png_with_author("Jan Jansen");
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>";
    let r = s.post_report(
        "Foto's",
        &[
            // The name and type lie both ways: only the bytes count.
            ("notes.txt", "text/plain", &png),
            ("photo.png", "image/png", svg),
        ],
    );
    assert_eq!(r.status, 200);
    let d = desk_web(&s);
    let (cookie, _) = d.login();
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let page = d.get(&cookie, &format!("/reports/{id}")).text();
    let imgs = select_all(&page, "#attachments img");
    assert_eq!(imgs.len(), 1, "only the PNG is an image: {page}");
    assert_eq!(imgs[0].value().attr("class"), Some("blurred"));
    let src = imgs[0].value().attr("src").unwrap().to_string();
    let aid = src.rsplit('/').next().unwrap().to_string();

    let shown = d.get(&cookie, &format!("/reports/{id}?show={aid}")).text();
    assert_eq!(
        select_all(&shown, "#attachments img")[0]
            .value()
            .attr("class"),
        Some("shown")
    );
    let image = d.get(&cookie, &src);
    assert_eq!(image.status, 200);
    assert_eq!(image.header("content-type").as_deref(), Some("image/png"));
    assert!(image
        .header("content-security-policy")
        .unwrap()
        .starts_with("sandbox"));
    assert_eq!(
        image.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert!(image.body.starts_with(b"\x89PNG"));
    assert!(
        !String::from_utf8_lossy(&image.body).contains("Jan Jansen"),
        "metadata stripped"
    );

    // The SVG is never served inline, only offered for saving.
    let save_links: Vec<String> = select_all(&page, "#attachments a[download]")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(save_links.len(), 1, "{page}");
    let inline = save_links[0].trim_end_matches("/save");
    assert_eq!(d.get(&cookie, inline).status, 404);
    let saved = d.get(&cookie, &save_links[0]);
    assert_eq!(saved.status, 200);
    assert_eq!(
        saved.header("content-type").as_deref(),
        Some("application/octet-stream")
    );
    let disposition = saved.header("content-disposition").unwrap();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(
        !disposition.contains("photo"),
        "no reporter name in a header"
    );
    assert!(saved
        .header("content-security-policy")
        .unwrap()
        .starts_with("sandbox"));
    assert_eq!(saved.body, svg);
}

#[test]
fn desk_serve_sync_pulls_new_reports_and_leaves_no_plaintext_on_disk_or_in_its_log() {
    let s = Server::start(&[]);
    s.report("Eerste melding");
    let d = desk_web(&s);
    let (cookie, _) = d.login();
    s.report("Later binnengekomen geheim");
    let inbox = d.get(&cookie, "/").text();
    assert!(!inbox.contains("Later binnengekomen"));
    let synced = d.submit(&cookie, &inbox, "/sync", "#sync-form", &[]);
    assert_eq!(synced.status, 303, "{}", synced.text());
    let after = d.get(&cookie, &synced.header("location").unwrap()).text();
    assert!(after.contains(r#"data-done="synced""#), "{after}");
    assert!(after.contains("Later binnengekomen geheim"), "{after}");
    assert_eq!(select_all(&after, "table#inbox tr[data-report]").len(), 2);

    let id = s.reports()[0]["id"].as_str().unwrap().to_string();
    let page = d.get(&cookie, &format!("/reports/{id}")).text();
    d.submit(
        &cookie,
        &page,
        &format!("/reports/{id}/reply"),
        "#reply-form",
        &[("text", "Antwoord vertrouwelijk")],
    );
    let mirror_dir = std::path::PathBuf::from(mirror(&s));
    for f in files_under(&mirror_dir) {
        let bytes = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        for secret in [
            "Eerste melding",
            "Later binnengekomen",
            "Antwoord vertrouwelijk",
        ] {
            assert!(!bytes.contains(secret), "{secret} in {}", f.display());
        }
    }
    let log = d.log_text();
    for secret in [
        "Eerste melding",
        "Later binnengekomen",
        "Antwoord vertrouwelijk",
    ] {
        assert!(!log.contains(secret), "{secret} in the log: {log}");
    }
}

#[test]
fn desk_serve_figures_page_has_an_svg_chart_with_a_text_alternative_and_a_working_csv_per_count() {
    let s = Server::start(&[]);
    s.report("Eerste");
    report_with(
        &s,
        &[
            ("lang", b"nl"),
            ("q-role", b"victim"),
            ("message", b"Tweede"),
        ],
    );
    let d = desk_web(&s);
    let (cookie, _) = d.login();
    let page = d.get(&cookie, "/figures");
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-security-policy")
        .unwrap()
        .contains("default-src 'none'"));
    let page = page.text();
    assert!(!page.contains("<script"), "{page}");
    let figures = select_all(&page, "figure");
    assert!(
        figures.len() >= 3,
        "month, status, language at least: {page}"
    );
    let charts = select_all(&page, "figure > svg + figcaption");
    assert_eq!(charts.len(), figures.len(), "{page}");
    for svg in select_all(&page, "figure > svg") {
        assert_eq!(svg.value().attr("role"), Some("img"));
        assert!(!svg.value().attr("aria-label").unwrap_or("").is_empty());
    }
    let links: Vec<String> = select_all(&page, "a[href$=\".csv\"]")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(links.len(), figures.len(), "{page}");
    let status_csv = links.iter().find(|l| l.contains("status")).unwrap();
    let csv = d.get(&cookie, status_csv);
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert_eq!(csv.text(), "value,count\n\"received\",2\n");
    let role = d.get(&cookie, "/figures/role.csv").text();
    assert!(role.contains("\"victim\",1"), "{role}");
    assert_eq!(d.get(&cookie, "/figures/nothing.csv").status, 404);
    assert_eq!(fetch(&format!("{}{status_csv}", d.base)).status, 403);
}

#[test]
fn desk_serve_reads_the_passphrase_from_tipline_passphrase_file_and_prints_no_url_with_a_wrong_one()
{
    let s = Server::start(&[]);
    let m = mirror(&s);
    assert!(s
        .desk(&["pull", "--server", &s.url, "--mirror", &m])
        .status
        .success());
    let pass = s.dir.path().join("pass.txt");
    std::fs::write(&pass, "lang genoeg wachtwoord\n").unwrap();
    let key = s.dir.path().join("protected.key");
    let made = tipline_with(
        &["keygen", "--out", key.to_str().unwrap(), "--passphrase"],
        &[("TIPLINE_PASSPHRASE_FILE", pass.to_str().unwrap())],
        "",
    );
    assert!(made.status.success(), "{}", stderr(&made));
    let serve = |pass: &std::path::Path| {
        Command::new(bin())
            .args(["desk", "serve", "--no-open", "--mirror", &m])
            .args(["--identity", key.to_str().unwrap()])
            .env("TIPLINE_PASSPHRASE_FILE", pass)
            .env_remove("TIPLINE_IDENTITY")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let wrong = s.dir.path().join("wrong.txt");
    std::fs::write(&wrong, "verkeerd\n").unwrap();
    let out = serve(&wrong).wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "no URL without the identity");

    let mut child = serve(&pass);
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.starts_with("http://127.0.0.1:"), "{first}");
    assert!(first.trim().contains("/?key="), "{first}");
}

/// Makes a signing key for `name` in the server's directory: (key file, roster line).
pub(crate) fn signing_key(s: &Server, name: &str) -> (String, String) {
    let (key, line) = keygen_signing(s.dir.path(), name);
    (key.to_str().unwrap().to_string(), line)
}

#[test]
fn a_note_a_tag_and_an_assignment_made_in_the_browser_desk_appear_in_desk_log_of_a_second_desk() {
    let s = Server::start(&[]);
    s.report("Mijn buurjongen van veertien moet elke nacht pakketjes rondbrengen.");
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let (alice_key, alice_line) = signing_key(&s, "alice");
    let (_, bob_line) = signing_key(&s, "bob");
    let team = s.dir.path().join("team.toml");
    std::fs::write(&team, format!("{alice_line}\n{bob_line}\n")).unwrap();
    let team = team.to_str().unwrap().to_string();
    let d = desk_web_with(
        &s,
        &mirror(&s),
        &[
            "--as",
            "alice",
            "--signing-key",
            &alice_key,
            "--team",
            &team,
        ],
    );
    let (cookie, _) = d.login();
    let path = format!("/reports/{id}");
    let page = d.get(&cookie, &path).text();
    assert!(select_all(&page, "p#case-file").is_empty(), "{page}");

    let t = token(&page, "#note-form");
    let r = d.post(
        &cookie,
        &format!("{path}/note"),
        &[
            ("token", &t),
            ("text", "Gebeld met de school; MDT dinsdag."),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let page = d.get(&cookie, &path).text();
    let t = token(&page, "#tag-form");
    let r = d.post(
        &cookie,
        &format!("{path}/tag"),
        &[("token", &t), ("tag", "Loverboy")],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let t = token(&page, "#assign-form");
    let r = d.post(
        &cookie,
        &format!("{path}/assign"),
        &[("token", &t), ("to", "bob")],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let r = d.post(
        &cookie,
        &format!("{path}/assign"),
        &[("token", &t), ("to", "mallory")],
    );
    assert_ne!(r.status, 303, "a name outside the roster is refused");

    // The page shows the events as internal, verified, with their author.
    let page = d.get(&cookie, &format!("{path}?done=case-sent")).text();
    // Opening the page recorded "seen" first; then the three actions.
    let internal = select_all(&page, "ol.timeline li.internal");
    assert_eq!(internal.len(), 4, "{page}");
    let text: String = internal
        .iter()
        .map(|e| e.text().collect::<String>())
        .collect();
    assert!(text.contains("INTERN") && text.contains("alice"), "{text}");
    assert!(
        text.contains("gecontroleerd") && text.contains("MDT dinsdag"),
        "{text}"
    );
    assert!(select_all(&page, "ul.tags li").len() == 1, "{page}");
    let inbox = d.get(&cookie, "/").text();
    let row: String = select_all(&inbox, &format!("tr[data-report=\"{id}\"]"))[0]
        .text()
        .collect();
    assert!(row.contains("bob") && row.contains("loverboy"), "{row}");

    // A second desk, with its own mirror, pulls and reads the audit trail.
    let other = s.dir.path().join("mirror-bob");
    let other = other.to_str().unwrap();
    let pulled = s.desk(&["pull", "--server", &s.url, "--mirror", other]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    let log = s.desk(&["log", &id, "--mirror", other, "--team", &team]);
    assert!(log.status.success(), "{}", stderr(&log));
    let log = stdout(&log);
    assert!(log.contains("MDT dinsdag"), "{log}");
    assert!(log.contains("tagged loverboy"), "{log}");
    assert!(log.contains("assigned to bob"), "{log}");
    assert!(log.contains("seen"), "{log}");
    assert_eq!(log.matches("verified").count(), 4, "{log}");
    assert!(!log.contains("UNVERIFIED"), "{log}");
}

#[test]
fn without_a_signing_key_the_report_page_says_how_to_start_the_desk_for_the_case_file() {
    let s = Server::start(&[]);
    s.report("Er wonen zes mannen in een garagebox achter de bakkerij.");
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let d = desk_web(&s);
    let (cookie, _) = d.login();
    let page = d.get(&cookie, &format!("/reports/{id}")).text();
    assert!(
        page.contains("--signing-key") && page.contains("--team"),
        "{page}"
    );
    assert!(select_all(&page, "#note-form, #tag-form, #assign-form").is_empty());
    let r = d.post(
        &cookie,
        &format!("/reports/{id}/note"),
        &[("token", "x"), ("text", "een notitie")],
    );
    assert_ne!(r.status, 303);
}

#[test]
fn desk_serve_print_page_shows_the_report_with_a_warning_under_strict_headers_and_no_script() {
    let s = Server::start(&[]);
    s.report("Op de camping staan caravans waar jonge meisjes worden vastgehouden.");
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let d = desk_web(&s);
    let (cookie, _) = d.login();
    let report = d.get(&cookie, &format!("/reports/{id}")).text();
    let link = select_all(&report, "a#print-link");
    assert_eq!(
        link[0].value().attr("href"),
        Some(format!("/reports/{id}/print").as_str())
    );

    let r = d.get(&cookie, &format!("/reports/{id}/print?conversation=1"));
    assert_eq!(r.status, 200);
    let page = r.text();
    let text: String = select_all(&page, "#report-text")[0].text().collect();
    assert!(text.contains("jonge meisjes worden vastgehouden"), "{page}");
    let warning: String = select_all(&page, "#print-warning")[0].text().collect();
    assert!(warning.contains("leesbaar op papier"), "{warning}");
    assert!(warning.contains("printer"), "{warning}");
    assert!(!page.to_lowercase().contains("<script"), "{page}");
    assert_eq!(
        r.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
    assert_eq!(r.header("referrer-policy").as_deref(), Some("no-referrer"));
    // The policy allows the one stylesheet of `desk print` by its hash, nothing else.
    let csp = r.header("content-security-policy").unwrap();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    assert!(!csp.contains("script") && !csp.contains("unsafe"), "{csp}");
    let style: String = select_all(&page, "style")[0].text().collect();
    use base64::Engine as _;
    use sha2::Digest as _;
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(style.as_bytes()));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
}

#[test]
fn an_intake_through_the_desk_page_gives_a_code_that_works_on_check() {
    let s = Server::start(&[]);
    s.report("Een gewone melding via het web");
    let d = desk_web(&s);
    let (cookie, _) = d.login();
    let inbox = d.get(&cookie, "/").text();
    assert_eq!(
        select_all(&inbox, "nav a[href=\"/intake\"]").len(),
        1,
        "{inbox}"
    );
    let page = d.get(&cookie, "/intake?lang=en").text();
    assert!(
        !select_all(&page, "#intake-form fieldset").is_empty(),
        "{page}"
    );
    assert!(!select_all(&page, "#intake-form input[name=q-danger][value=no]").is_empty());
    let t = token(&page, "#intake-form");
    let r = d.post(
        &cookie,
        "/intake",
        &[
            ("token", &t),
            ("lang", "nl"),
            ("q-danger", "no"),
            ("q-forms", "labour"),
            ("message", "Beller zag kinderen werken in een kas"),
            ("by", "Medewerker Jansen"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let done = r.text();
    let code: String = select_all(&done, "#receipt-code")[0].text().collect();
    assert!(!code.trim().is_empty(), "{done}");
    s.check_ok(code.trim());
    // An answer outside the questionnaire is refused, nothing sent.
    let r = d.post(
        &cookie,
        "/intake",
        &[
            ("token", &t),
            ("lang", "nl"),
            ("q-danger", "maybe"),
            ("message", "x"),
            ("by", "A"),
        ],
    );
    assert_eq!(r.status, 400, "{}", r.text());

    let m = mirror(&s);
    let pulled = s.desk(&["pull", "--server", &s.url, "--mirror", &m]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    let list = stdout(&s.desk(&["list", "--mirror", &m]));
    let phone: Vec<&str> = list.lines().filter(|l| l.contains("phone")).collect();
    assert_eq!(phone.len(), 1, "{list}");
    assert!(phone[0].contains("Beller zag"), "{list}");
}
