//! More of `tipline desk serve`: "seen by" recorded when a report is opened,
//! the reminder form and the inbox's due and unseen filters, and the Figures
//! page's charts per month, each checked against the real server and a
//! second desk.

use crate::desk_web::{desk_web_with, mirror, select_all, signing_key, token, DeskWeb};
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
    assert!(
        reminder.contains("alice") && reminder.contains("due"),
        "{reminder}"
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
