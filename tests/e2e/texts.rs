//! What the reporter pages say, where it can be checked by a machine: the
//! warning against pictures of abuse beside every file field, the safe status
//! texts a found code shows, the children's page, and site settings that must
//! not fail quietly (a missing templates directory, the exit hint, the
//! security contact, the template files in use).

use crate::harness::*;

const LANGS: [&str; 3] = ["nl", "en", "ar"];

/// The word for "nude" in each shipped language, which the warning must use.
fn nude_word(lang: &str) -> &'static str {
    match lang {
        "nl" => "naakt",
        "en" => "nude",
        _ => "عارية",
    }
}

/// A text of a shipped locale file, as written there.
fn shipped_text(lang: &str, key: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("templates/locales")
        .join(format!("{lang}.ftl"));
    let prefix = format!("{key} = ");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix(&prefix).map(str::to_string))
        .unwrap_or_else(|| panic!("{lang}.ftl has no {key}"))
}

/// A templates directory holding only a `site.toml`: the shipped one with
/// `edit` applied.
fn site_templates(edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/site.toml");
    let site = edit(std::fs::read_to_string(shipped).unwrap());
    std::fs::write(dir.path().join("site.toml"), site).unwrap();
    dir
}

/// Asserts that every file input on the page sits in a group with the warning.
fn assert_every_file_field_warns(html: &str, lang: &str, what: &str) {
    let doc = scraper::Html::parse_document(html);
    let file = scraper::Selector::parse("input[type=file]").unwrap();
    let group = scraper::Selector::parse("div.field").unwrap();
    let warning = scraper::Selector::parse(".warning").unwrap();
    let inputs = doc.select(&file).count();
    assert!(inputs > 0, "{what} {lang}: no file field");
    let mut warned = 0;
    for g in doc.select(&group) {
        if g.select(&file).next().is_none() {
            continue;
        }
        let text: String = g
            .select(&warning)
            .flat_map(|w| w.text())
            .collect::<String>();
        assert!(
            text.contains("18") && text.contains(nude_word(lang)),
            "{what} {lang}: the file field's group lacks the warning: {text:?}"
        );
        warned += g.select(&file).count();
    }
    assert_eq!(
        warned, inputs,
        "{what} {lang}: a file field outside a warned group"
    );
}

#[test]
fn every_attachment_field_warns_against_nude_pictures_of_minors_in_every_language() {
    let s = Server::start(&[]);
    let code = s.report("a report to come back to");
    for lang in LANGS {
        for path in ["/report", "/kids"] {
            let (status, html) = get(&format!("{}{path}?lang={lang}", s.url));
            assert_eq!(status, 200);
            assert_every_file_field_warns(&html, lang, path);
        }
        let check = s.post_form("/check", &[("code", &code), ("lang", lang)]);
        assert_eq!(check.status, 200);
        assert_every_file_field_warns(&check.text(), lang, "/check follow-up");
    }
}

#[test]
fn a_found_code_shows_only_a_safe_status_text_whatever_staff_set() {
    let s = Server::start(&[]);
    let code = s.report("statuses");
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let statuses = s.api_json("/statuses")["statuses"]
        .as_array()
        .unwrap()
        .clone();
    assert!(statuses.iter().any(|st| st == "forwarded_police"));
    let sees = s.api_json("/statuses")["reporter_sees"].clone();
    // Words that would tell a reader of the code where the report went.
    let telling = [
        "police",
        "politie",
        "الشرطة",
        "coordinator",
        "zorgcoördinator",
        "منسق",
        "reporting point",
        "meldpunt",
        "advice",
        "advies",
    ];
    for lang in LANGS {
        let safe: Vec<String> = ["received", "in-progress", "handled"]
            .iter()
            .map(|k| shipped_text(lang, &format!("check-status-{k}")))
            .collect();
        let mut seen = std::collections::BTreeMap::new();
        for status in &statuses {
            let status = status.as_str().unwrap();
            assert_eq!(s.set_status(&id, status).status, 204);
            let page = s.post_form("/check", &[("code", &code), ("lang", lang)]);
            let text = element_text(&page.text(), "report-status").unwrap();
            assert!(safe.contains(&text), "{lang} {status}: {text}");
            for word in telling {
                assert!(!text.contains(word), "{lang} {status}: {text}");
            }
            // The staff API tells staff tools the same text.
            assert_eq!(sees[status][lang], text.as_str(), "{lang} {status}");
            seen.insert(status.to_string(), text);
        }
        // Forwarded anywhere reads exactly like "being worked on".
        for forwarded in [
            "forwarded_police",
            "forwarded_care",
            "forwarded_reporting_point",
        ] {
            assert_eq!(seen[forwarded], seen["in_progress"], "{lang}");
        }
    }
}

#[test]
fn a_reporting_point_maps_staff_statuses_to_its_own_reporter_texts_in_site_toml() {
    let templates = site_templates(|s| s.replace("closed = \"handled\"", "closed = \"archived\""));
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    std::fs::create_dir(templates.path().join("locales")).unwrap();
    let mut nl = std::fs::read_to_string(shipped.join("locales/nl.ftl")).unwrap();
    nl.push_str("\ncheck-status-archived = Deze melding staat in ons archief-7731.\n");
    std::fs::write(templates.path().join("locales/nl.ftl"), nl).unwrap();
    let s = Server::start(&["--templates", templates.path().to_str().unwrap()]);
    let code = s.report("mapping");
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    assert_eq!(s.set_status(&id, "closed").status, 204);
    let page = s.post_form("/check", &[("code", &code), ("lang", "nl")]);
    assert_eq!(
        element_text(&page.text(), "report-status").unwrap(),
        "Deze melding staat in ons archief-7731."
    );
}

#[test]
fn a_reporter_status_that_names_no_staff_status_stops_the_server_with_one_line() {
    let templates = site_templates(|s| s.replace("closed = \"handled\"", "shut = \"handled\""));
    let dir = tempfile::tempdir().unwrap();
    let out = serve_once(&dir, &["--templates", templates.path().to_str().unwrap()]);
    let err = assert_fails_with_one_line(&out);
    assert!(err.contains("shut"), "{err}");
}

/// Runs `tipline serve` on a fresh install; for start-up failures.
fn serve_once(dir: &tempfile::TempDir, extra: &[&str]) -> std::process::Output {
    let keys = dir.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    let identity = dir.path().join("c.key");
    let recipient = last_line(&tipline(&["keygen", "--out", identity.to_str().unwrap()]));
    std::fs::write(keys.join("c.pub"), recipient).unwrap();
    let mut args = vec![
        "serve".to_string(),
        "--listen".into(),
        "127.0.0.1:0".into(),
        "--keys".into(),
        keys.to_str().unwrap().into(),
        "--data".into(),
        dir.path().join("data").to_str().unwrap().into(),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    tipline(&args)
}

#[test]
fn serve_refuses_a_templates_directory_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-templates");
    let out = serve_once(&dir, &["--templates", missing.to_str().unwrap()]);
    let err = assert_fails_with_one_line(&out);
    assert!(err.contains("no-such-templates"), "{err}");
    assert!(!dir.path().join("data").exists(), "nothing was created");
}

#[test]
fn the_log_names_every_template_file_in_use_and_where_it_came_from() {
    let templates = site_templates(|s| s);
    let s = Server::start(&["--templates", templates.path().to_str().unwrap()]);
    let log = s.log_text();
    let site = templates.path().join("site.toml");
    assert!(log.contains(site.to_str().unwrap()), "{log}");
    for file in [
        "locales/nl.ftl",
        "locales/ar.ftl",
        "questionnaire.toml",
        "style.css",
    ] {
        assert!(
            log.lines()
                .any(|l| l.contains(file) && l.contains("shipped")),
            "{file}: {log}"
        );
    }
}

#[test]
fn the_exit_hint_names_no_particular_site_so_it_stays_true_when_the_exit_site_changes() {
    let templates = site_templates(|s| s.replace("https://www.weeronline.nl/", "https://nos.nl/"));
    let s = Server::start(&["--templates", templates.path().to_str().unwrap()]);
    for lang in LANGS {
        for path in ["/", "/safety"] {
            let (_, html) = get(&format!("{}{path}?lang={lang}", s.url));
            for weather in ["weersite", "weather", "طقس"] {
                assert!(
                    !html.contains(weather),
                    "{path} {lang} names a {weather} site"
                );
            }
        }
    }
}

#[test]
fn the_security_contact_from_site_toml_has_its_own_page_linked_from_every_page() {
    let contact = "security@meldpunt-7731.example";
    let templates = site_templates(|s| {
        s.replace(
            "# security_contact = \"mailto:security@your-reporting-point.example\"",
            &format!("security_contact = \"mailto:{contact}\""),
        )
    });
    let s = Server::start(&["--templates", templates.path().to_str().unwrap()]);
    for lang in LANGS {
        let (status, page) = get(&format!("{}/security?lang={lang}", s.url));
        assert_eq!(status, 200, "{lang}");
        assert!(
            page.contains(&format!("href=\"mailto:{contact}\"")),
            "{page}"
        );
        let (_, home) = get(&format!("{}/?lang={lang}", s.url));
        assert!(home.contains(&format!("href=\"/security?lang={lang}\"")));
    }
    // Without a contact there is no page and no link.
    let plain = Server::start(&[]);
    assert_eq!(get(&format!("{}/security", plain.url)).0, 404);
    assert!(!get(&format!("{}/", plain.url)).1.contains("/security"));
}

#[test]
fn the_childrens_page_promises_the_code_before_the_form_and_shows_the_childrens_helpline() {
    let s = Server::start(&[]);
    for lang in LANGS {
        let (_, html) = get(&format!("{}/kids?lang={lang}", s.url));
        let promise = html
            .find(&shipped_text(lang, "kids-code"))
            .unwrap_or_else(|| panic!("{lang}: no word about the code"));
        assert!(
            promise < html.find("<form").unwrap(),
            "{lang}: after the form"
        );
        assert!(html.contains("href=\"tel:08000432\""), "{lang}");
        // The children's line is for the children's page, not every footer.
        let (_, home) = get(&format!("{}/?lang={lang}", s.url));
        assert!(!home.contains("tel:08000432"), "{lang}");
    }
}

#[test]
fn a_chat_is_shown_only_with_its_link() {
    let shipped = Server::start(&[]);
    let (_, home) = get(&format!("{}/?lang=en", shipped.url));
    let chat = shipped_text("en", "chat-link");
    assert!(!home.contains(&chat), "a chat without a link");
    assert!(!home.contains("You can chat"), "chat hours without a chat");
    let templates = site_templates(|s| {
        s.replace("# chat_url = ", "chat_url = ")
            .replace("# [chat_hours]", "[chat_hours]")
            .replace("# en = \"You can chat", "en = \"You can chat")
    });
    let s = Server::start(&["--templates", templates.path().to_str().unwrap()]);
    let (_, home) = get(&format!("{}/?lang=en", s.url));
    assert!(home.contains("href=\"https://www.your-reporting-point.example/chat\""));
    assert!(home.contains(&chat));
    assert!(home.contains("You can chat on working days"));
}

#[test]
fn desk_status_shows_what_the_reporter_will_see_before_a_status_is_set() {
    let s = Server::start(&[]);
    let code = s.report("desk preview");
    let m = s.dir.path().join("mirror").to_str().unwrap().to_string();
    assert!(s
        .desk(&["pull", "--server", &s.url, "--mirror", &m])
        .status
        .success());
    let id = s.reports()[0]["id"].as_str().unwrap()[..8].to_string();
    let in_progress = shipped_text("en", "check-status-in-progress");

    // Without a status: the list, and nothing changes.
    let preview = s.desk(&["status", &id, "--lang", "en", "--mirror", &m]);
    assert!(preview.status.success(), "{}", stderr(&preview));
    let out = stdout(&preview);
    let police = out
        .lines()
        .find(|l| l.contains("forwarded_police"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(police.contains(&in_progress), "{police}");
    assert_eq!(s.only_report()["status"], "received");

    // With one: the reporter's text is said, then the status is set.
    let set = s.desk(&[
        "status",
        &id,
        "forwarded_police",
        "--lang",
        "en",
        "--mirror",
        &m,
        "--server",
        &s.url,
    ]);
    assert!(set.status.success(), "{}", stderr(&set));
    assert!(stderr(&set).contains(&in_progress), "{}", stderr(&set));
    let page = s.post_form("/check", &[("code", &code), ("lang", "en")]);
    assert_eq!(
        element_text(&page.text(), "report-status").unwrap(),
        in_progress
    );
}
