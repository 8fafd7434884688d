//! # tipline: an anonymous tip-line that stores what it cannot read
//!
//! Reporters (citizens, professionals, victims, often minors) write a report in a
//! browser without JavaScript. The server encrypts it at once to the reporting
//! centre's age recipients and stores only ciphertext. The reporter leaves with a
//! receipt code, the only key back to the conversation. Staff pull the ciphertext
//! to a separate workstation (`tipline desk`), decrypt it there, and reply.
//!
//! ```text
//!  reporter's browser        server (untrusted for content)         staff workstation
//!  HTML forms, no JS  --->   web::reporter  -> envelope -> store  <---  desk (identity)
//!                            receipt: code -> Argon2id -> lookup hash + reporter key
//!                            web::staff_api serves and accepts ciphertext only
//! ```
//!
//! Modules, each with one job:
//! - [`receipt`]: codes, and what they derive (lookup hash, reporter key).
//! - [`envelope`]: padding and age encryption.
//! - [`hybrid`]: age's post-quantum `mlkem768x25519` recipient and identity.
//! - [`message`]: the plaintext document a reporter's message becomes.
//! - [`reporter_signing`]: follow-up signatures and code-change statements with
//!   the code-derived Ed25519 key, and how the desk traces them.
//! - [`store`]: the only module that touches sled and the blob files.
//! - [`web`]: the actix app: reporter pages, staff API, headers, limits.
//! - [`content`]: texts (Fluent), site settings and stylesheet from `templates/`.
//! - [`config`]: settings from flags, environment and file.
//! - [`install`]: what is fixed at installation (salt, Argon2id, pepper check).
//! - [`desk`]: the staff workstation: a core (mirror, decrypt, act) with two
//!   faces, the CLI (`desk::cli`) and the local web interface (`desk::web`,
//!   `tipline desk serve`, loopback only).

pub mod config;
pub mod content;
pub mod control;
pub mod day;
pub mod desk;
pub mod envelope;
pub mod fsutil;
pub mod health;
pub mod hybrid;
pub mod ids;
pub mod install;
pub mod keygen;
pub mod keys;
pub mod message;
pub mod notify;
pub mod passphrase;
pub mod pepper;
pub mod questionnaire;
pub mod receipt;
pub mod reporter_signing;
pub mod serve;
pub mod sizes;
pub mod staff_token;
pub mod status;
pub mod store;
pub mod tls;
pub mod web;
