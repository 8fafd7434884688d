//! The case file: notes, tags, assignment, reminders, "seen", and the audit
//! trail of replies and status changes, as signed events the server stores but
//! can neither read nor forge.
//!
//! [`signing`] holds the keys and the team roster (the trust anchor),
//! [`event`] the signed format, [`fold`] turns a report's events into its
//! state, [`sync`] keeps them in the mirror and the outbox, [`cli`] is the
//! command-line face.

pub mod cli;
pub mod event;
pub mod figures;
pub mod fold;
pub mod index;
pub mod list;
pub mod signing;
pub mod summary;
pub mod sync;
