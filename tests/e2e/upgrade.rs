//! Data format versions (issue 17): a data directory made by this version
//! opens again as it is, without an upgrade or its backup.

use crate::harness::*;

#[test]
fn a_data_directory_made_by_this_version_opens_again_without_an_upgrade_backup() {
    let mut s = Server::start(&[]);
    let code = s.report(&marker("kept across restarts"));
    s.restart();
    s.check_ok(&code);
    let list = s.with_data(&["staff", "list"]);
    // The server holds the database: staff list goes through its socket.
    assert!(stdout(&list).contains("tester"), "{}", stderr(&list));
    s.kill();
    // Stopped: the commands open the database themselves, and leave it as is.
    let list = s.with_data(&["staff", "list"]);
    assert!(stdout(&list).contains("tester"), "{}", stderr(&list));
    assert!(!s.data.join("upgrade-backups").exists());
    assert!(!s.log_text().contains("upgraded"), "{}", s.log_text());
}
