//! More of `tipline desk serve`: "seen by" recorded when a report is opened,
//! the reminder form and the inbox's due and unseen filters, and the Figures
//! page's charts per month, each checked against the real server and a
//! second desk.

use std::collections::BTreeMap;

use crate::desk_web::{
    desk_web, desk_web_with, mirror, report_with, select_all, signing_key, token, DeskWeb,
};
use crate::harness::*;

/// A team of alice and bob, and a browser desk acting as alice: (desk, team file).
fn desk_as_alice(s: &Server) -> (DeskWeb, String) {
    let (alice_key, alice_line) = signing_key(s, "alice");
    let (_, bob_line) = signing_key(s, "bob");
    let team = s.dir.path().join("team.toml");
    std::fs::write(&team, format!("{alice_line}\n{bob_line}\n")).unwrap();
    let team = team.to_str().unwrap().to_string();
    let d = desk_web_with(
        s,
        &mirror(s),
        &[
            "--as",
            "alice",
            "--signing-key",
            &alice_key,
            "--team",
            &team,
        ],
    );
    (d, team)
}

/// Rows waiting in the browser desk's outbox.
fn queued(d: &DeskWeb, cookie: &str) -> usize {
    select_all(&d.get(cookie, "/outbox").text(), "table#outbox tbody tr").len()
}

/// Case events the server holds for a report.
fn events(s: &Server, id: &str) -> usize {
    s.api_json(&format!("/reports/{id}/events"))["events"]
        .as_array()
        .map_or(0, Vec::len)
}

fn unseen_marked(d: &DeskWeb, cookie: &str, id: &str) -> bool {
    let inbox = d.get(cookie, "/").text();
    !select_all(&inbox, &format!("tr[data-report=\"{id}\"] .badge.unseen")).is_empty()
}

fn sync(d: &DeskWeb, cookie: &str) {
    let t = token(&d.get(cookie, "/").text(), "#sync-form");
    let r = d.post(cookie, "/sync", &[("token", &t)]);
    assert_eq!(r.status, 303, "{}", r.text());
}

#[test]
fn opening_a_report_in_the_browser_desk_records_seen_once_per_new_content_and_a_second_desk_sees_it(
) {
    let s = Server::start(&[]);
    let code = s.report("Twee meisjes slapen in de opslag van de nagelstudio.");
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let (d, team) = desk_as_alice(&s);
    let (cookie, _) = d.login();
    assert!(unseen_marked(&d, &cookie, &id), "new before it is opened");
    let inbox = d.get(&cookie, "/?unseen=1").text();
    assert_eq!(select_all(&inbox, "tr[data-report]").len(), 1, "{inbox}");
    assert_eq!(events(&s, &id), 0);

    let path = format!("/reports/{id}");
    // A page on another loopback port is the same site and sends the
    // cookie: it may see the page's status, but records nothing.
    for site in ["same-site", "cross-site"] {
        let r = agent()
            .get(format!("{}{path}", d.base))
            .header("Cookie", &cookie)
            .header("Sec-Fetch-Site", site)
            .call()
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{site}");
        assert_eq!(events(&s, &id), 0, "a {site} request recorded seen");
    }
    assert_eq!(d.get(&cookie, &path).status, 200);
    assert_eq!(events(&s, &id), 1, "opening it recorded one seen event");
    let page = d.get(&cookie, &path).text();
    assert_eq!(
        events(&s, &id),
        1,
        "a reload with nothing new records nothing"
    );
    assert_eq!(queued(&d, &cookie), 0, "sent, like the other case events");
    let seen: String = select_all(&page, "#seen-by")[0].text().collect();
    assert!(seen.contains("alice"), "{seen}");
    assert!(!unseen_marked(&d, &cookie, &id), "the marker clears");
    let inbox = d.get(&cookie, "/?unseen=1").text();
    assert!(select_all(&inbox, "tr[data-report]").is_empty(), "{inbox}");

    // A colleague's desk, with its own mirror, sees who read it.
    let other = s.dir.path().join("mirror-bob");
    let other = other.to_str().unwrap();
    let pulled = s.desk(&["pull", "--server", &s.url, "--mirror", other]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    let read = s.desk(&["read", &id, "--mirror", other, "--team", &team]);
    assert!(read.status.success(), "{}", stderr(&read));
    assert!(
        stdout(&read).contains("Seen by: alice"),
        "{}",
        stdout(&read)
    );

    // Something new from the reporter makes it unseen again, once.
    let check = s.check_ok(&code);
    let sent = s.follow_up(&token_field(&check).unwrap(), "Er is er nog een bij.");
    assert_eq!(sent.status, 200, "{}", sent.text());
    sync(&d, &cookie);
    assert!(
        unseen_marked(&d, &cookie, &id),
        "new again after a follow-up"
    );
    d.get(&cookie, &path);
    d.get(&cookie, &path);
    assert_eq!(events(&s, &id), 2, "one more seen for the new message");
    assert!(!unseen_marked(&d, &cookie, &id));
}

#[test]
fn the_reminder_form_sets_the_same_reminder_as_desk_remind_and_the_due_filters_show_it() {
    let s = Server::start(&[]);
    s.report("Een melding met een afspraak");
    s.report("Een melding zonder herinnering");
    let (d, team) = desk_as_alice(&s);
    let (cookie, _) = d.login();
    let rows = select_all(&d.get(&cookie, "/").text(), "tr[data-report]")
        .iter()
        .map(|r| r.value().attr("data-report").unwrap().to_string())
        .collect::<Vec<_>>();
    assert_eq!(rows.len(), 2);
    let (id, other) = (rows[0].clone(), rows[1].clone());
    let path = format!("/reports/{id}");
    let page = d.get(&cookie, &path).text();
    assert_eq!(select_all(&page, "#remind-form input[type=date]").len(), 1);
    let t = token(&page, "#remind-form");
    let action = format!("{path}/remind");

    // Without its token, or with a day that is not YYYY-MM-DD, nothing happens.
    let before = queued(&d, &cookie);
    let r = d.post(&cookie, &action, &[("date", "2020-01-02")]);
    assert_eq!(r.status, 403);
    let note_token = token(&page, "#note-form");
    let r = d.post(
        &cookie,
        &action,
        &[("token", &note_token), ("date", "2020-01-02")],
    );
    assert_eq!(r.status, 403, "a token is bound to its form");
    for bad in ["02-01-2020", "2020-02-30", "morgen", ""] {
        let r = d.post(&cookie, &action, &[("token", &t), ("date", bad)]);
        assert_eq!(r.status, 400, "{bad}: {}", r.text());
    }
    assert_eq!(queued(&d, &cookie), before);

    let r = d.post(
        &cookie,
        &action,
        &[
            ("token", &t),
            ("date", "2020-01-02"),
            ("note", "Terugbellen met de school"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let page = d.get(&cookie, &path).text();
    let reminder: String = select_all(&page, "#case-file #reminder")[0]
        .text()
        .collect();
    assert!(
        reminder.contains("2020-01-02") && reminder.contains("Terugbellen met de school"),
        "{reminder}"
    );
    assert!(reminder.contains("alice"), "{reminder}");
    assert_eq!(
        select_all(&page, "#case-file #reminder .badge.due").len(),
        1,
        "the reminder is marked due: {reminder}"
    );

    // The inbox's due filter shows it, and only it.
    let due = d.get(&cookie, "/?due=1").text();
    let due: Vec<_> = select_all(&due, "tr[data-report]")
        .iter()
        .map(|r| r.value().attr("data-report").unwrap().to_string())
        .collect();
    assert_eq!(due, vec![id.clone()]);

    // The CLI, on the same mirror, sees the same reminder.
    let m = mirror(&s);
    let listed = s.desk(&["list", "--due", "--mirror", &m, "--team", &team]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    let listed = stdout(&listed);
    assert!(listed.contains(&id[..8]), "{listed}");
    assert!(!listed.contains(&other[..8]), "{listed}");
    let log = s.desk(&["log", &id, "--mirror", &m, "--team", &team]);
    assert!(
        stdout(&log).contains("reminder on 2020-01-02: Terugbellen met de school"),
        "{}",
        stdout(&log)
    );
}

/// A CSV as rows of cells (quotes removed; the test's values hold no comma).
fn csv_rows(csv: &str) -> Vec<Vec<String>> {
    csv.lines()
        .map(|l| {
            l.split(',')
                .map(|c| {
                    let c = c
                        .strip_prefix('"')
                        .and_then(|c| c.strip_suffix('"'))
                        .unwrap_or(c);
                    c.replace("\"\"", "\"")
                })
                .collect()
        })
        .collect()
}

/// The table after a chart as rows of cells (header first; "–" as empty).
fn table_rows(section: &str) -> Vec<Vec<String>> {
    let cell = scraper::Selector::parse("th, td").unwrap();
    select_all(section, "table tr")
        .iter()
        .map(|tr| {
            tr.select(&cell)
                .map(|c| c.text().collect::<String>().trim().replace('–', ""))
                .collect()
        })
        .collect()
}

/// Expected cells of a per-month table in the chart's column order: the
/// columns are the values by total, largest first, ties by name.
fn expected(month: &str, counts: &BTreeMap<&str, usize>) -> Vec<Vec<String>> {
    let mut cols: Vec<(&str, usize)> = counts.iter().map(|(k, v)| (*k, *v)).collect();
    cols.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut header = vec!["month".to_string()];
    header.extend(cols.iter().map(|(k, _)| k.to_string()));
    let mut row = vec![month.to_string()];
    row.extend(cols.iter().map(|(_, n)| n.to_string()));
    vec![header, row]
}

#[test]
fn the_figures_page_charts_status_forms_age_group_region_and_first_reply_per_month_with_matching_tables_and_csv(
) {
    let s = Server::start(&[]);
    // What the reports say, kept here as the mirror of what is counted.
    let sent: [(&[&str], Option<&str>, Option<&str>); 4] = [
        (&["labour", "online"], Some("yes"), Some("Amsterdam ")),
        (&["labour"], Some("maybe"), Some("=1+2")),
        (&["grooming"], Some("yes"), Some("amsterdam")),
        (&[], None, None),
    ];
    for (i, (forms, minor, place)) in sent.iter().enumerate() {
        let text = format!("Melding {i}");
        let mut fields: Vec<(&str, &[u8])> = vec![("lang", b"nl"), ("message", text.as_bytes())];
        for f in *forms {
            fields.push(("q-forms", f.as_bytes()));
        }
        if let Some(m) = minor {
            fields.push(("q-minor", m.as_bytes()));
        }
        if let Some(p) = place {
            fields.push(("q-where", p.as_bytes()));
        }
        report_with(&s, &fields);
    }
    let reports = s.reports();
    let first = reports[0]["id"].as_str().unwrap().to_string();
    assert_eq!(s.set_status(&first, "forwarded_care").status, 204);
    let recipient = reports[0]["reporter_recipient"].as_str().unwrap();
    assert_eq!(s.reply_with_age(&first, recipient, "Dank je").status, 201);

    let d = desk_web(&s);
    let (cookie, _) = d.login();
    let page = d.get(&cookie, "/figures").text();

    // The mirror of the counts, from what was sent and what the API says.
    let reports = s.reports();
    let month = reports[0]["received"].as_str().unwrap()[..7].to_string();
    assert!(reports
        .iter()
        .all(|r| r["received"].as_str().unwrap().starts_with(&month)));
    let mut status: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &reports {
        *status.entry(r["status"].as_str().unwrap()).or_default() += 1;
    }
    let (mut forms, mut minor, mut region) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    for (f, m, p) in &sent {
        if f.is_empty() {
            *forms.entry("(not answered)").or_default() += 1;
        }
        for f in *f {
            *forms.entry(*f).or_default() += 1;
        }
        *minor.entry(m.unwrap_or("(not answered)")).or_default() += 1;
        let place = p.map(|p| p.trim().to_lowercase());
        let place: &str = Box::leak(place.unwrap_or("(not answered)".into()).into_boxed_str());
        *region.entry(place).or_default() += 1;
    }
    let mut days = Vec::new();
    let mut unanswered = 0;
    for r in &reports {
        let id = r["id"].as_str().unwrap();
        match s.messages(id).iter().find(|m| m["author"] == "staff") {
            Some(m) => {
                let day = |d: &str| {
                    time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]"))
                        .unwrap()
                };
                let from = day(r["received"].as_str().unwrap());
                let to = day(m["received"].as_str().unwrap());
                days.push((to - from).whole_days());
            }
            None => unanswered += 1,
        }
    }
    assert_eq!(days.len(), 1);
    let reply = vec![
        vec![
            "month",
            "answered",
            "unanswered",
            "median days",
            "90th percentile days",
        ]
        .into_iter()
        .map(String::from)
        .collect(),
        vec![
            month.clone(),
            "1".into(),
            unanswered.to_string(),
            days[0].to_string(),
            days[0].to_string(),
        ],
    ];

    let cases = [
        ("status", expected(&month, &status)),
        ("q-forms", expected(&month, &forms)),
        ("q-minor", expected(&month, &minor)),
        ("q-where", expected(&month, &region)),
        ("first-reply", reply),
    ];
    for (slug, want) in cases {
        let href = format!("/figures/per-month/{slug}.csv");
        let sections = select_all(&page, "section.monthly");
        let section = sections
            .iter()
            .find(|sec| !select_all(&sec.html(), &format!("a[href=\"{href}\"]")).is_empty())
            .unwrap_or_else(|| panic!("no chart with {href}: {page}"))
            .html();
        let svg = select_all(&section, "figure > svg + figcaption");
        assert_eq!(svg.len(), 1, "{slug}: {section}");
        let svg = &select_all(&section, "figure > svg")[0];
        assert_eq!(svg.value().attr("role"), Some("img"), "{slug}");
        assert!(!svg.value().attr("aria-label").unwrap_or("").is_empty());
        assert!(svg.html().contains(&month), "{slug}: the month on the axis");
        assert_eq!(
            select_all(&section, "figure figcaption a[href$=\".csv\"]").len(),
            1,
            "{slug}"
        );
        let csv = d.get(&cookie, &href);
        assert_eq!(csv.status, 200, "{slug}");
        assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
        let csv = csv.text();
        let mut rows = csv_rows(&csv);
        let table = table_rows(&section);
        assert_eq!(table.len(), rows.len(), "{slug}: {csv}");
        for (t, c) in table.iter().zip(&rows) {
            assert_eq!(t.len(), c.len(), "{slug}");
        }
        assert_eq!(table[1..], rows[1..], "{slug}: the page and the CSV agree");
        // The region written as a formula is defused in the CSV.
        if slug == "q-where" {
            assert!(csv.contains("\"'=1+2\""), "{csv}");
            for cell in rows[0].iter_mut() {
                *cell = cell.trim_start_matches('\'').to_string();
            }
        }
        assert_eq!(rows, want, "{slug}: {csv}");
    }
    assert_eq!(d.get(&cookie, "/figures/per-month/nothing.csv").status, 404);
    assert_eq!(
        fetch(&format!("{}/figures/per-month/status.csv", d.base)).status,
        403
    );
}

/// The line of `desk log` (on a second desk's own mirror) for the report's
/// reply, after checking the trail verified whole; and the sha256 of the one
/// staff file the server holds.
fn reply_event_and_sent_file(s: &Server, id: &str, team: &str) -> (String, String, String) {
    let other = s.dir.path().join("mirror-bob");
    let other = other.to_str().unwrap();
    let pulled = s.desk(&["pull", "--server", &s.url, "--mirror", other]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    let log = s.desk(&["log", id, "--mirror", other, "--team", team]);
    assert!(log.status.success(), "{}", stderr(&log));
    let log = stdout(&log);
    assert!(!log.contains("UNVERIFIED") && !log.contains("GAP"), "{log}");
    let staff: Vec<_> = s
        .messages(id)
        .into_iter()
        .filter(|m| m["author"] == "staff")
        .collect();
    assert_eq!(staff.len(), 1, "one reply reached the server");
    let sent = api_bytes(
        s,
        &format!(
            "/reports/{id}/messages/{}",
            staff[0]["id"].as_str().unwrap()
        ),
    );
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&sent));
    let line = log
        .lines()
        .find(|l| l.contains("reply (age file sha256"))
        .unwrap_or_else(|| panic!("no reply event: {log}"))
        .to_string();
    (line, sha, log)
}

#[test]
fn a_reply_and_a_status_change_made_in_the_browser_desk_are_signed_events_in_the_audit_trail() {
    let s = Server::start(&[]);
    s.report("Mijn zus moet voor een man werken en krijgt haar paspoort niet terug.");
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let (d, team) = desk_as_alice(&s);
    let (cookie, _) = d.login();
    let path = format!("/reports/{id}");
    let page = d.get(&cookie, &path).text();
    let reply = d.submit(
        &cookie,
        &page,
        &format!("{path}/reply"),
        "#reply-form",
        &[("text", "Dank je. Is je zus nu veilig?")],
    );
    assert_eq!(reply.status, 303, "{}", reply.text());
    let status = d.submit(
        &cookie,
        &page,
        &format!("{path}/status"),
        "#status-form",
        &[("status", "in_progress")],
    );
    assert_eq!(status.status, 303, "{}", status.text());
    assert_eq!(queued(&d, &cookie), 0, "reply, status and events all sent");

    // A second desk pulls and reads the audit trail: the reply names the
    // file the server holds, the status change is there, both verified.
    let (reply_line, sha, log) = reply_event_and_sent_file(&s, &id, &team);
    assert!(reply_line.contains(&sha[..16]), "{reply_line} / {sha}");
    assert!(
        log.lines()
            .any(|l| l.contains("status changed to in_progress") && l.contains("alice")),
        "{log}"
    );
}

#[test]
fn a_browser_reply_encrypted_again_after_the_reporter_changed_code_names_the_file_sent() {
    let s = Server::start(&[]);
    let code = s.report("Ik durf mijn oude code niet meer te gebruiken.");
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let (d, team) = desk_as_alice(&s);
    // The reporter changes code after the desk pulled: the desk's first file
    // goes to the stale key, the server answers 409, the desk encrypts again.
    let new_code = crate::casefile_perf::rotate(&s, &code);
    let (cookie, _) = d.login();
    let path = format!("/reports/{id}");
    let page = d.get(&cookie, &path).text();
    let reply = d.submit(
        &cookie,
        &page,
        &format!("{path}/reply"),
        "#reply-form",
        &[("text", "We lezen mee met je nieuwe code.")],
    );
    assert_eq!(reply.status, 303, "{}", reply.text());
    assert!(
        reply
            .header("location")
            .unwrap()
            .ends_with("done=reply-sent"),
        "{:?}",
        reply.header("location")
    );
    assert_eq!(
        replies(&s.check_ok(&new_code)),
        vec!["We lezen mee met je nieuwe code."]
    );
    assert!(
        d.log_text().contains("changed their code"),
        "the first file went to the old key and was refused: {}",
        d.log_text()
    );
    let (reply_line, sha, _) = reply_event_and_sent_file(&s, &id, &team);
    assert!(reply_line.contains(&sha[..16]), "{reply_line} / {sha}");
}

#[test]
fn the_inbox_filters_by_tag_and_assignee_as_desk_list_does_from_the_summary_index() {
    let s = Server::start(&[]);
    s.report("Een meisje uit mijn klas krijgt dure cadeaus van een veel oudere man.");
    s.report("In de kas werken mensen zeven dagen per week zonder loon.");
    let ids: Vec<String> = s
        .reports()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    let (tagged, other) = (&ids[0], &ids[1]);
    let (d, team) = desk_as_alice(&s);
    let (cookie, _) = d.login();
    let path = format!("/reports/{tagged}");
    let page = d.get(&cookie, &path).text();
    let r = d.submit(
        &cookie,
        &page,
        &format!("{path}/tag"),
        "#tag-form",
        &[("tag", "loverboy")],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let r = d.submit(
        &cookie,
        &page,
        &format!("{path}/assign"),
        "#assign-form",
        &[("to", "bob")],
    );
    assert_eq!(r.status, 303, "{}", r.text());

    let rows = |query: &str| -> Vec<String> {
        let page = d.get(&cookie, &format!("/{query}")).text();
        select_all(&page, "table#inbox tr[data-report]")
            .iter()
            .map(|tr| tr.value().attr("data-report").unwrap().to_string())
            .collect()
    };
    assert_eq!(rows("").len(), 2);
    assert_eq!(rows("?tag=loverboy"), vec![tagged.clone()]);
    assert_eq!(rows("?assigned=bob"), vec![tagged.clone()]);
    assert_eq!(rows("?assigned=none"), vec![other.clone()]);
    assert!(rows("?assigned=me").is_empty(), "nothing is alice's");
    assert_eq!(
        rows("?tag=&assigned=").len(),
        2,
        "an empty choice filters nothing"
    );

    // The filters offer what exists: the tag in use and the roster's names.
    let inbox = d.get(&cookie, "/").text();
    let offered = |sel: &str| -> Vec<String> {
        select_all(&inbox, sel)
            .iter()
            .map(|o| o.value().attr("value").unwrap().to_string())
            .collect()
    };
    assert_eq!(offered("#tag-filter option"), vec!["", "loverboy"]);
    assert_eq!(
        offered("#assigned-filter option"),
        vec!["", "me", "none", "alice", "bob"]
    );

    // The same rows as `desk list` on the same mirror, which reads the same
    // encrypted summary index the inbox wrote.
    let m = mirror(&s);
    assert!(std::path::Path::new(&m)
        .join("casefile-index.age")
        .is_file());
    let listed = s.desk(&["list", "--mirror", &m, "--team", &team, "--tag", "loverboy"]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    let listed = stdout(&listed);
    assert!(
        listed.contains(&tagged[..8]) && !listed.contains(&other[..8]),
        "{listed}"
    );
}

/// The inbox's "queued" count is what the reporter will get (replies and
/// status changes), as in `desk list`: a case event waiting offline, such as
/// the "seen" that opening a report records, is not one.
#[test]
fn a_seen_event_waiting_offline_is_not_counted_as_a_queued_change_in_the_inbox() {
    let mut s = Server::start(&[]);
    s.report("Hij houdt haar telefoon in.");
    let id = s.only_report()["id"].as_str().unwrap().to_string();
    let (d, _) = desk_as_alice(&s);
    let (cookie, _) = d.login();
    s.kill();
    assert_eq!(d.get(&cookie, &format!("/reports/{id}")).status, 200);
    assert_eq!(queued(&d, &cookie), 1, "the seen event waits in the outbox");
    let inbox = d.get(&cookie, "/").text();
    let row: String = select_all(&inbox, &format!("tr[data-report=\"{id}\"]"))[0]
        .text()
        .collect();
    assert!(!row.contains("wachtrij"), "{row}");
}
