//! End-to-end tests of `tipline` against the real binary over HTTP on loopback:
//! the reporter's pages, the staff API and the desk, what reaches the disk and
//! the logs, the command line, the server's hardening, and clients that
//! misbehave. Ciphertext is checked with the reference `age` CLI.
//!
//! One server per test (a fresh temporary install, a cheap KDF), so the tests
//! run in parallel and never see each other's data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod casefile;
mod casefile_perf;
mod casefile_scale;
mod cli;
mod core;
mod desk;
mod desk_hostile;
mod desk_web;
mod desk_web_lang;
mod desk_web_more;
mod disk;
mod docs;
mod floods;
mod forward;
mod hardening;
mod harness;
mod health;
mod hybrid;
mod installation;
mod nasty;
mod notify;
mod onion_docs;
mod operator;
mod packaging;
mod raw;
mod reliability;
mod reporter;
mod reporter_keys;
mod reporter_pages;
mod staff;
mod texts;
mod upgrade;
