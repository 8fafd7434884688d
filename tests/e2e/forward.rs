//! Forwarding a case to a partner (`desk forward`, `tipline open-bundle`), the
//! print view (`desk print`), and the consent rules that decide what may go.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::harness::*;

const CONTACT: &str = "bel 06-98765432 na zes uur";
const WHEN: &str = "alleen op dinsdag";
const TEXT: &str = "Mijn nicht moet elke nacht in een nagelsalon werken";

/// A report with contact details and the given answer to the police question;
/// pulled into a fresh mirror. Returns (mirror, short id).
fn report_pulled(s: &Server, police: &str) -> (String, String) {
    let resp = s.post_parts(
        "/report",
        &[
            Part::Text("message", TEXT.as_bytes()),
            Part::Text("q-contact", b"contact"),
            Part::Text("q-contact-how", CONTACT.as_bytes()),
            Part::Text("q-contact-when", WHEN.as_bytes()),
            Part::Text("q-where", b"Almere"),
            Part::Text("q-police", police.as_bytes()),
        ],
    );
    assert_eq!(resp.status, 200, "{}", resp.text());
    let m = s.dir.path().join("mirror").to_str().unwrap().to_string();
    let pulled = s.desk(&["pull", "--server", &s.url, "--mirror", &m]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    let id = s.reports()[0]["id"].as_str().unwrap()[..8].to_string();
    (m, id)
}

/// `desk forward ID --to TO --partners P --mirror M --out OUT` with `extra`.
fn forward(s: &Server, id: &str, to: &str, p: &str, m: &str, out: &Path, extra: &[&str]) -> Output {
    let out = out.to_str().unwrap();
    let args = [
        "forward",
        id,
        "--to",
        to,
        "--partners",
        p,
        "--mirror",
        m,
        "--out",
        out,
    ];
    s.desk(&[&args[..], extra].concat())
}

/// A partner key made with the reference `age-keygen`: (identity file, recipient).
fn partner_key(dir: &Path, name: &str) -> (PathBuf, String) {
    let key = dir.join(format!("{name}.key"));
    let out = Command::new("age-keygen")
        .arg("-o")
        .arg(&key)
        .output()
        .expect("run age-keygen");
    assert!(out.status.success());
    let text = std::fs::read_to_string(&key).unwrap();
    let recipient = text
        .lines()
        .find_map(|l| l.strip_prefix("# public key: "))
        .unwrap()
        .to_string();
    (key, recipient)
}

/// Writes partners.toml with one partner `name` of `kind`.
fn partners(dir: &Path, name: &str, kind: &str, recipient: &str) -> String {
    let path = dir.join("partners.toml");
    std::fs::write(
        &path,
        format!(
            "[partner.{name}]\nkind = \"{kind}\"\nrecipients = [\"{recipient}\"]\ndescription = \"Test partner\"\n"
        ),
    )
    .unwrap();
    path.to_str().unwrap().to_string()
}

/// Opens a bundle with the reference `age -d` and `tar -x`; returns the
/// extracted directory.
fn open_with_reference_tools(bundle: &Path, key: &Path, into: &Path) -> PathBuf {
    let plain = into.join("bundle.tar");
    let out = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(key)
        .arg("-o")
        .arg(&plain)
        .arg(bundle)
        .output()
        .expect("run age");
    assert!(
        out.status.success(),
        "age -d: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new("tar")
        .arg("-xf")
        .arg(&plain)
        .arg("-C")
        .arg(into)
        .output()
        .expect("run tar");
    assert!(
        out.status.success(),
        "tar: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    into.join("bundle")
}

fn all_text_under(dir: &Path) -> String {
    files_under(dir)
        .iter()
        .map(|f| String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_forward_to_a_partner_key_from_age_keygen_opens_with_the_reference_age_and_tar() {
    let s = Server::start(&[]);
    let (m, id) = report_pulled(&s, "with-name");
    let dir = s.dir.path();
    let (key, recipient) = partner_key(dir, "zorg");
    let p = partners(dir, "zorg-oost", "care", &recipient);
    let out = dir.join("zorg.age");
    let extra = ["--with-conversation", "--from", "Meldpunt Test"];
    let fwd = forward(&s, &id, "zorg-oost", &p, &m, &out, &extra);
    assert!(fwd.status.success(), "{}", stderr(&fwd));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let unpacked = dir.join("unpacked");
    std::fs::create_dir(&unpacked).unwrap();
    let bundle = open_with_reference_tools(&out, &key, &unpacked);
    let message = std::fs::read_to_string(bundle.join("report/message.txt")).unwrap();
    assert!(message.contains(TEXT));
    let readme = std::fs::read_to_string(bundle.join("README.txt")).unwrap();
    assert!(readme.contains("Meldpunt Test"), "{readme}");
    assert!(readme.contains("police: with-name"), "{readme}");
    let cover: serde_json::Value =
        serde_json::from_slice(&std::fs::read(bundle.join("cover.json")).unwrap()).unwrap();
    assert_eq!(cover["anonymised"], false);
    assert_eq!(cover["to"], "zorg-oost");
    let raw: serde_json::Value =
        serde_json::from_slice(&std::fs::read(bundle.join("report/answers.json")).unwrap())
            .unwrap();
    assert_eq!(raw["where"][0], "Almere");

    // Encrypted to the partner only: the centre's own identity cannot open it.
    let centre = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&s.identity)
        .arg(&out)
        .output()
        .unwrap();
    assert!(!centre.status.success());

    // The partner's view in tipline.
    let shown = tipline(&[
        "open-bundle",
        out.to_str().unwrap(),
        "--identity",
        key.to_str().unwrap(),
    ]);
    assert!(shown.status.success(), "{}", stderr(&shown));
    assert!(stdout(&shown).contains(TEXT));
    assert!(stdout(&shown).contains("Meldpunt Test"));

    // The forward is in the desk's audit log.
    let audit = s.desk(&["audit", "--mirror", &m]);
    assert!(stdout(&audit).contains("forward"), "{}", stdout(&audit));
    assert!(stdout(&audit).contains("zorg-oost"), "{}", stdout(&audit));
}

/// The server's `received` names the conversation's files in a bundle: a
/// long one with `../` (which the tar crate would only check in its first 100
/// bytes) becomes `unknown-day`, and the bundle still opens.
#[test]
fn a_day_the_server_made_up_never_names_a_file_in_a_bundle() {
    let s = Server::start(&[]);
    let (m, id) = report_pulled(&s, "with-name");
    let dir = s.dir.path();
    let reply = dir.join("reply.txt");
    std::fs::write(&reply, "Dank je, we nemen contact op.\n").unwrap();
    let sent = s.desk(&[
        "reply",
        &id,
        "--mirror",
        &m,
        "--server",
        &s.url,
        "--file",
        reply.to_str().unwrap(),
    ]);
    assert!(sent.status.success(), "{}", stderr(&sent));
    let pulled = s.desk(&["pull", "--server", &s.url, "--mirror", &m]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    let full = s.reports()[0]["id"].as_str().unwrap().to_string();
    let listed = Path::new(&m)
        .join("reports")
        .join(&full)
        .join("messages.json");
    let mut messages: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&listed).unwrap()).unwrap();
    let hostile = format!("{}/../../../tmp/x", "9".repeat(90));
    messages[1]["received"] = serde_json::Value::String(hostile);
    std::fs::write(&listed, serde_json::to_vec(&messages).unwrap()).unwrap();

    let (key, recipient) = partner_key(dir, "zorg");
    let p = partners(dir, "zorg-oost", "care", &recipient);
    let out = dir.join("zorg.age");
    let fwd = forward(&s, &id, "zorg-oost", &p, &m, &out, &["--with-conversation"]);
    assert!(fwd.status.success(), "{}", stderr(&fwd));
    let unpacked = dir.join("unpacked");
    std::fs::create_dir(&unpacked).unwrap();
    let bundle = open_with_reference_tools(&out, &key, &unpacked);
    let names: Vec<String> = std::fs::read_dir(bundle.join("conversation"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["001-unknown-day-staff.txt"], "{names:?}");
    let text = std::fs::read_to_string(bundle.join("conversation").join(&names[0])).unwrap();
    assert!(text.contains("we nemen contact op"), "{text}");
}

#[test]
fn an_anonymised_bundle_holds_none_of_the_contact_answers_and_the_full_one_does() {
    let s = Server::start(&[]);
    let (m, id) = report_pulled(&s, "with-name");
    let dir = s.dir.path();
    let (key, recipient) = partner_key(dir, "rp");
    let p = partners(dir, "meldpunt-west", "reporting_point", &recipient);
    let mut texts = Vec::new();
    for (name, extra) in [("full", None), ("anon", Some("--anonymised"))] {
        let out = dir.join(format!("{name}.age"));
        let extra: Vec<&str> = extra.into_iter().collect();
        let fwd = forward(&s, &id, "meldpunt-west", &p, &m, &out, &extra);
        assert!(fwd.status.success(), "{}", stderr(&fwd));
        let into = dir.join(name);
        std::fs::create_dir(&into).unwrap();
        texts.push(all_text_under(&open_with_reference_tools(
            &out, &key, &into,
        )));
    }
    let (full, anon) = (&texts[0], &texts[1]);
    assert!(full.contains(CONTACT) && full.contains(WHEN));
    assert!(!anon.contains(CONTACT), "{anon}");
    assert!(!anon.contains(WHEN), "{anon}");
    assert!(!anon.contains("06-98765432"));
    assert!(anon.contains(TEXT) && anon.contains("Almere"));
}

#[test]
fn a_police_forward_without_consent_is_refused_unless_anonymised_or_for_acute_danger_with_a_reason()
{
    let s = Server::start(&[]);
    let (m, id) = report_pulled(&s, "no");
    let dir = s.dir.path();
    let (key, recipient) = partner_key(dir, "avim");
    let p = partners(dir, "avim-oost", "police", &recipient);
    let out = |n: &str| dir.join(n).to_str().unwrap().to_string();
    let base = [
        "forward",
        &id,
        "--to",
        "avim-oost",
        "--partners",
        &p,
        "--mirror",
        &m,
    ];

    let refused = s.desk(&[&base[..], &["--out", &out("refused.age")]].concat());
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("--anonymised"),
        "{}",
        stderr(&refused)
    );
    assert!(!dir.join("refused.age").exists());

    let no_reason = s.desk(
        &[
            &base[..],
            &["--acute-danger", "--out", &out("noreason.age")],
        ]
        .concat(),
    );
    assert!(!no_reason.status.success());
    assert!(!dir.join("noreason.age").exists());

    let anon = s.desk(
        &[
            &base[..],
            &[
                "--anonymised",
                "--set-status",
                "--server",
                &s.url,
                "--out",
                &out("anon.age"),
            ],
        ]
        .concat(),
    );
    assert!(anon.status.success(), "{}", stderr(&anon));
    assert_eq!(s.reports()[0]["status"], "forwarded_police");

    let danger = s.desk(
        &[
            &base[..],
            &[
                "--acute-danger",
                "--reason",
                "het meisje wordt vanavond opgehaald",
                "--out",
                &out("danger.age"),
            ],
        ]
        .concat(),
    );
    assert!(danger.status.success(), "{}", stderr(&danger));
    let into = dir.join("danger");
    std::fs::create_dir(&into).unwrap();
    let bundle = open_with_reference_tools(&dir.join("danger.age"), &key, &into);
    let readme = std::fs::read_to_string(bundle.join("README.txt")).unwrap();
    assert!(readme.contains("vanavond opgehaald"), "{readme}");
    assert!(readme.contains("Consent: police: no"), "{readme}");
}

#[test]
fn the_print_view_has_no_script_no_external_url_and_the_report_text() {
    let s = Server::start(&[]);
    let (m, id) = report_pulled(&s, "no");
    let out = s.dir.path().join("print.html");
    let printed = s.desk(&["print", &id, "--mirror", &m, "--out", out.to_str().unwrap()]);
    assert!(printed.status.success(), "{}", stderr(&printed));
    assert!(stderr(&printed).contains("paper"));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains(TEXT));
    assert!(html.contains(CONTACT));
    assert!(html.contains("@page"));
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"));
    assert!(!lower.contains("http://") && !lower.contains("https://") && !lower.contains("src="));

    let anon = s.dir.path().join("anon.html");
    let printed = s.desk(&[
        "print",
        &id,
        "--anonymised",
        "--mirror",
        &m,
        "--out",
        anon.to_str().unwrap(),
    ]);
    assert!(printed.status.success(), "{}", stderr(&printed));
    let html = std::fs::read_to_string(&anon).unwrap();
    assert!(html.contains(TEXT) && !html.contains(CONTACT));
}

#[test]
fn a_phone_intake_gives_a_working_code_shows_as_phone_counts_by_channel_and_leaves_no_clear_trace()
{
    let s = Server::start(&[]);
    s.report("Een gewone melding via het web");
    let answers = s.dir.path().join("call.toml");
    std::fs::write(
        &answers,
        "message = \"Beller zag kinderen werken in een kas\"\ndanger = \"no\"\nforms = [\"labour\"]\ncontact-how = \"06-11223344\"\n",
    )
    .unwrap();
    let staff = "Medewerker Jansen-Intake";
    let out = s.desk(&[
        "intake",
        "--server",
        &s.url,
        "--answers",
        answers.to_str().unwrap(),
        "--lang",
        "nl",
        "--as",
        staff,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let code = last_line(&out);
    let page = s.check_ok(&code);
    assert!(!page.is_empty());

    let m = s.dir.path().join("mirror").to_str().unwrap().to_string();
    let pulled = s.desk(&["pull", "--server", &s.url, "--mirror", &m]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    let list = stdout(&s.desk(&["list", "--mirror", &m]));
    let phone_lines: Vec<&str> = list.lines().filter(|l| l.contains("phone")).collect();
    assert_eq!(phone_lines.len(), 1, "{list}");
    assert!(phone_lines[0].contains("Beller zag"), "{list}");
    let figures = s.desk(&["figures", "--by", "channel", "--csv", "--mirror", &m]);
    assert!(figures.status.success(), "{}", stderr(&figures));
    let csv = stdout(&figures);
    assert!(csv.contains("channel,\"phone\",1"), "{csv}");
    assert!(csv.contains("channel,\"web\",1"), "{csv}");

    // Neither the channel's marker nor the staff member is readable on the server.
    let data = String::from_utf8_lossy(&s.data_bytes()).into_owned();
    for secret in [
        staff,
        "intake-channel",
        "intake-by",
        "06-11223344",
        "Beller zag",
    ] {
        assert!(!data.contains(secret), "{secret} under --data");
        assert!(
            !s.output().contains(secret),
            "{secret} in the server's output"
        );
    }
}

#[test]
fn forwarded_photos_lose_their_gps_metadata_and_anonymised_ones_their_file_names() {
    let s = Server::start(&[]);
    let photo = jpeg_with_gps();
    let resp = s.post_report(TEXT, &[("Anna de Vries.jpg", "image/jpeg", &photo)]);
    assert_eq!(resp.status, 200, "{}", resp.text());
    let m = s.dir.path().join("mirror").to_str().unwrap().to_string();
    let pulled = s.desk(&["pull", "--server", &s.url, "--mirror", &m]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    let id = s.reports()[0]["id"].as_str().unwrap()[..8].to_string();
    let dir = s.dir.path();
    let (key, recipient) = partner_key(dir, "zorg");
    let p = partners(dir, "zorg", "care", &recipient);
    for (name, anonymised) in [("full", false), ("anon", true)] {
        let out = dir.join(format!("{name}.age"));
        let mut extra = vec!["--with-attachments"];
        if anonymised {
            extra.push("--anonymised");
        }
        let fwd = forward(&s, &id, "zorg", &p, &m, &out, &extra);
        assert!(fwd.status.success(), "{}", stderr(&fwd));
        let into = dir.join(name);
        std::fs::create_dir(&into).unwrap();
        let bundle = open_with_reference_tools(&out, &key, &into);
        let files = files_under(&bundle.join("attachments"));
        assert_eq!(files.len(), 1);
        let file_name = files[0].file_name().unwrap().to_str().unwrap().to_string();
        let bytes = std::fs::read(&files[0]).unwrap();
        assert!(bytes.starts_with(&[0xFF, 0xD8]));
        assert!(!String::from_utf8_lossy(&bytes).contains("GPS"));
        let all = all_text_under(&bundle);
        if anonymised {
            assert_eq!(file_name, "attachment-1.jpg");
            assert!(!all.contains("Anna de Vries"), "{all}");
        } else {
            assert!(file_name.contains("Anna de Vries"), "{file_name}");
        }
    }
}

/// A forward that cannot write its bundle (here: the file exists) leaves
/// the existing file alone and no entry in the audit log.
#[test]
fn a_forward_that_writes_no_bundle_leaves_no_audit_entry_and_the_existing_file_alone() {
    let s = Server::start(&[]);
    let (m, id) = report_pulled(&s, "with-name");
    let dir = s.dir.path();
    let (_, recipient) = partner_key(dir, "zorg");
    let p = partners(dir, "zorg-oost", "care", &recipient);
    let out = dir.join("zorg.age");
    std::fs::write(&out, b"earlier bundle").unwrap();
    let fwd = forward(&s, &id, "zorg-oost", &p, &m, &out, &[]);
    assert!(!fwd.status.success());
    assert_eq!(std::fs::read(&out).unwrap(), b"earlier bundle");
    let audit = s.desk(&["audit", "--mirror", &m]);
    assert!(audit.status.success(), "{}", stderr(&audit));
    assert!(!stdout(&audit).contains("forward"), "{}", stdout(&audit));
}
