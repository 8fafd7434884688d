//! `GET /healthz` (issue 17): on the staff listener, no token, `ok` or the name
//! of what is wrong, and nothing else.

use crate::harness::*;

fn healthz(s: &Server) -> Resp {
    let base = s.staff_url.clone().unwrap_or_else(|| s.url.clone());
    fetch(&format!("{base}/healthz"))
}

#[test]
fn healthz_says_ok_without_a_token_and_nothing_else() {
    let s = Server::start(&[]);
    let r = healthz(&s);
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), "ok");
    assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
    assert!(
        !s.data.join("healthz.probe").exists(),
        "the write probe is removed"
    );
}

#[test]
fn healthz_is_on_the_staff_listener_and_not_on_the_reporter_side() {
    let s = Server::start(&["--staff-listen", "127.0.0.1:0"]);
    assert_eq!(healthz(&s).text(), "ok");
    assert_eq!(fetch(&format!("{}/healthz", s.url)).status, 404);
}

#[test]
fn healthz_names_a_key_directory_that_cannot_be_read() {
    let s = Server::start(&[]);
    std::fs::rename(&s.keys, s.dir.path().join("keys-moved")).unwrap();
    let r = healthz(&s);
    assert_eq!(r.status, 503);
    assert_eq!(r.text(), "keys unreadable");
}

#[test]
fn healthz_names_a_data_directory_that_takes_no_writes() {
    let s = Server::start(&[]);
    // The tests run as root, which file modes do not stop: a directory where
    // the probe writes its file makes the write fail the same way.
    std::fs::create_dir(s.data.join("healthz.probe")).unwrap();
    let r = healthz(&s);
    assert_eq!(r.status, 503);
    assert_eq!(r.text(), "store not writable");
}
