//! End-to-end tests of the staff desk and of the server's hardening, against the
//! real binary on loopback, with the reference `age` where it matters.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod core;
mod desk;
mod hardening;
mod harness;
mod reliability;
