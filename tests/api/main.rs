//! Integration tests of `tipline` against the real binary over HTTP on loopback:
//! the reporter's pages, the staff API, what reaches the disk, the command line,
//! and clients that misbehave. Ciphertext is checked with the reference `age` CLI.
//!
//! One server per test (a fresh temporary install, a cheap KDF), so the tests
//! run in parallel and never see each other's data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
mod helpers;
mod nasty;
mod privacy;
mod reporter;
mod staff;
