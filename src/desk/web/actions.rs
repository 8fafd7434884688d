//! What the desk's forms do, over the same core as the CLI: reply, status,
//! sync (pull and push), retry the outbox. Blocking work: handlers run these
//! on actix's blocking pool.

use std::path::PathBuf;
use std::sync::Mutex;

use crate::content::Content;
use crate::desk::casefile::{
    self,
    event::Action,
    fold::CaseFile,
    sync::{self, Actor},
};
use crate::desk::client::{Client, Connection};
use crate::desk::identity::DeskIdentity;
use crate::desk::mirror::Mirror;
use crate::desk::reply::{self, CentreKeys};
use crate::desk::texts::Lang;
use crate::desk::{outbox, pull, trust, DeskError};
use crate::ids::ReportId;
use crate::status::Status;

/// The desk's state for one `desk serve` run.
pub struct Desk {
    /// The mirror.
    pub mirror: Mirror,
    /// The centre identity, decrypted once at start, in memory only.
    identity: Mutex<DeskIdentity>,
    /// The questionnaire and its texts.
    pub content: Content,
    /// The staff member's language for answers and reporter texts.
    pub lang: String,
    /// The staff API, when given; without it the desk works offline.
    pub connection: Option<Connection>,
    /// The trusted centre recipients (default: MIRROR/keys).
    pub keys: Option<PathBuf>,
    /// Who acts on the case file (`--as`, `--signing-key`, `--team`); without
    /// it the case file is neither shown nor written.
    pub actor: Option<Actor>,
}

/// How an action ended, for the banner after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Sent to the server.
    Sent,
    /// Queued: no server given.
    Queued,
    /// Queued, but sending failed (the cause went to the terminal).
    Held,
}

impl Outcome {
    /// The word in the redirect's query.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Sent => "sent",
            Outcome::Queued => "queued",
            Outcome::Held => "held",
        }
    }
}

/// What a sync did.
pub struct Synced {
    /// Messages pulled.
    pub pulled: usize,
    /// Queued changes sent.
    pub sent: usize,
}

impl Desk {
    /// A desk over these parts.
    pub fn new(
        mirror: Mirror,
        identity: DeskIdentity,
        content: Content,
        lang: String,
        connection: Option<Connection>,
        keys: Option<PathBuf>,
    ) -> Self {
        let lang = content.pick_lang(Some(&lang)).to_string();
        Self {
            mirror,
            identity: Mutex::new(identity),
            content,
            lang,
            connection,
            keys,
            actor: None,
        }
    }

    /// The desk with a staff member's signing key and roster: the case file
    /// is shown and its forms record signed events.
    pub fn with_actor(mut self, actor: Option<Actor>) -> Self {
        self.actor = actor;
        self
    }

    /// Signs, encrypts and queues one case event on the report `id` (full
    /// id), as `desk note/tag/assign` do, then sends it if a server is given.
    pub fn case_event(&self, id: &str, action: Action) -> Result<(ReportId, Outcome), DeskError> {
        let Some(actor) = &self.actor else {
            return Err(DeskError::Usage(
                "start the desk with --as, --signing-key and --team to use the case file".into(),
            ));
        };
        if let Action::Assign { to: Some(name) } = &action {
            crate::desk::casefile::cli::check_assignee(&actor.roster, name)?;
        }
        let report = self.exact(id)?;
        self.with_identity(|identity| {
            Ok((
                report.id,
                self.sign_and_send(identity, actor, &report, action)?,
            ))
        })
    }

    /// The report's case file for its page, after recording "seen by" this
    /// staff member (as `desk read` does) when `record_seen` and the
    /// conversation of `messages` messages holds something they have not seen
    /// yet, so a reload with nothing new records nothing. Queued, then sent at
    /// once with a server like the other case events: an event left behind
    /// while later ones go out would look to colleagues like an action the
    /// server dropped. Reading never fails because the record of it did: that
    /// is said on the terminal. The case file is loaded once, and again only
    /// after a seen was recorded.
    pub fn case_for_page(
        &self,
        report: &crate::desk::client::ApiReport,
        messages: usize,
        record_seen: bool,
    ) -> Result<Option<CaseFile>, DeskError> {
        let Some(actor) = &self.actor else {
            return Ok(None);
        };
        self.with_identity(|identity| {
            // The fold counts queued events too: a seen still in the outbox
            // is not recorded twice.
            let case = sync::load(&self.mirror, identity, &actor.roster, report.id)?;
            if !record_seen || !case.unseen_by(&actor.key.name, messages) {
                return Ok(Some(case));
            }
            let seen = Action::Seen { messages };
            if let Err(e) = self.sign_and_send(identity, actor, report, seen) {
                eprintln!(
                    "desk: could not record \"seen\": {}",
                    crate::desk::terminal::line(&e.to_string())
                );
                return Ok(Some(case));
            }
            sync::load(&self.mirror, identity, &actor.roster, report.id).map(Some)
        })
    }

    /// Runs `f` with the identity (one user at a time; a poisoned lock is an error).
    pub fn with_identity<T>(
        &self,
        f: impl FnOnce(&DeskIdentity) -> Result<T, DeskError>,
    ) -> Result<T, DeskError> {
        let identity = self
            .identity
            .lock()
            .map_err(|_| DeskError::Identity("identity".into(), "unavailable".into()))?;
        f(&identity)
    }

    /// What the reporter sees on /check for each status, in the desk's language.
    pub fn reporter_sees(&self) -> Vec<(Status, String)> {
        self.reporter_sees_in(&self.lang)
    }

    /// As [`Desk::reporter_sees`], in the reporter language `lang`.
    pub fn reporter_sees_in(&self, lang: &str) -> Vec<(Status, String)> {
        Status::ALL
            .into_iter()
            .map(|st| {
                let text = self
                    .content
                    .text(lang, &self.content.reporter_status_key(st));
                (st, text)
            })
            .collect()
    }

    /// The language of the answers in words for a colleague reading the
    /// staff pages in `staff`: the same language, when `--lang` was a staff
    /// language (so the switch turns the whole page); else `--lang` itself.
    pub fn answers_lang(&self, staff: Lang) -> String {
        match Lang::from_code(&self.lang) {
            Some(_) => staff.code().to_string(),
            None => self.lang.clone(),
        }
    }

    fn client(&self) -> Option<Result<Client, DeskError>> {
        self.connection.as_ref().map(Client::new)
    }

    /// Sends a just-queued entry when a server is given.
    fn deliver(
        &self,
        entry: &outbox::Entry,
        identity: &DeskIdentity,
    ) -> Result<Outcome, DeskError> {
        self.send(entry, identity, &|_| Ok(()))
    }

    /// As [`Self::deliver`], telling `resealed` about a reply encrypted
    /// again to the reporter's new key after a 409 (the file actually sent).
    fn send(
        &self,
        entry: &outbox::Entry,
        identity: &DeskIdentity,
        resealed: &dyn Fn(&outbox::Entry) -> Result<(), DeskError>,
    ) -> Result<Outcome, DeskError> {
        let Some(client) = self.client() else {
            return Ok(Outcome::Queued);
        };
        let result = client.and_then(|client| {
            // Only a reply refused with 409 needs the centre keys.
            let reseal = |e: &outbox::Entry| {
                let centre = CentreKeys::load(&self.mirror, self.keys.as_deref())?;
                let fresh = reply::reseal_after_code_change(
                    &client,
                    &self.mirror,
                    identity,
                    &centre,
                    e,
                    false,
                )?;
                resealed(&fresh)?;
                Ok(fresh)
            };
            outbox::send_or_reseal(&client, &self.mirror, entry, &reseal)
        });
        Ok(match result {
            Ok(()) => Outcome::Sent,
            Err(e) => {
                eprintln!(
                    "desk: stays queued in the outbox: {}",
                    crate::desk::terminal::line(&e.to_string())
                );
                Outcome::Held
            }
        })
    }

    /// Signs, encrypts and queues one case event, then sends it if a
    /// server is given (held in the outbox if sending fails).
    fn sign_and_send(
        &self,
        identity: &DeskIdentity,
        actor: &Actor,
        report: &crate::desk::client::ApiReport,
        action: Action,
    ) -> Result<Outcome, DeskError> {
        let entry = casefile::cli::record(
            &self.mirror,
            identity,
            self.keys.as_deref(),
            actor,
            report,
            action,
        )?;
        self.deliver(&entry, identity)
    }

    /// Records a reply or status change in the case file when the desk has a
    /// signing key, as `desk reply/status` do, so the audit trail is whole.
    /// The action itself already went: a failure here is said on the
    /// terminal (the event stays queued if it got that far), not as a page
    /// that would invite sending the reply twice.
    fn record_too(
        &self,
        identity: &DeskIdentity,
        report: &crate::desk::client::ApiReport,
        action: Action,
    ) {
        let Some(actor) = &self.actor else {
            return;
        };
        if let Err(e) = self.sign_and_send(identity, actor, report, action) {
            eprintln!(
                "desk: could not record this in the case file: {}",
                crate::desk::terminal::line(&e.to_string())
            );
        }
    }

    /// Encrypts and queues a reply to the report `id` (full id), then sends it
    /// if a server is given. Refused when the reporter key does not trace.
    pub fn reply(&self, id: &str, text: &str) -> Result<(ReportId, Outcome), DeskError> {
        let report = self.exact(id)?;
        self.with_identity(|identity| {
            let centre = CentreKeys::load(&self.mirror, self.keys.as_deref())?;
            let first = trust::first_document(&self.mirror, identity, &report)?;
            let reporter = trust::reply_recipient(&report, &first, false)?;
            let padded = crate::envelope::pad(text.as_bytes().to_vec());
            let ciphertext = reply::seal(&reporter, identity, &centre, &padded)?;
            let entry =
                outbox::queue_reply(&self.mirror, report.id, &ciphertext, &reporter.to_string())?;
            // The event names the file actually sent: after a 409 that is
            // the one encrypted again to the reporter's new key.
            let sha256 = std::cell::RefCell::new(entry.sha256()?);
            let outcome = self.send(&entry, identity, &|fresh| {
                *sha256.borrow_mut() = fresh.sha256()?;
                Ok(())
            })?;
            let sha256 = sha256.into_inner();
            self.record_too(identity, &report, Action::Reply { sha256 });
            Ok((report.id, outcome))
        })
    }

    /// Queues a status change, then sends it if a server is given.
    pub fn status(&self, id: &str, status: Status) -> Result<(ReportId, Outcome), DeskError> {
        let report = self.exact(id)?;
        let entry = outbox::queue_status(&self.mirror, report.id, status)?;
        self.with_identity(|identity| {
            let outcome = self.deliver(&entry, identity)?;
            self.record_too(identity, &report, Action::Status { status });
            Ok((report.id, outcome))
        })
    }

    /// Pulls, then sends everything queued.
    pub fn sync(&self) -> Result<Synced, DeskError> {
        let Some(client) = self.client() else {
            return Err(DeskError::Usage(
                "no server given: start the desk with --server to sync".into(),
            ));
        };
        let client = client?;
        let pulled = pull::pull(&client, &self.mirror, false, false)?;
        let sent = self.push(&client)?;
        Ok(Synced {
            pulled: pulled.messages,
            sent,
        })
    }

    /// Sends everything queued (the outbox's retry).
    pub fn retry(&self) -> Result<usize, DeskError> {
        match self.client() {
            None => Err(DeskError::Usage(
                "no server given: push from a networked machine".into(),
            )),
            Some(client) => self.push(&client?),
        }
    }

    fn push(&self, client: &Client) -> Result<usize, DeskError> {
        let centre = CentreKeys::load(&self.mirror, self.keys.as_deref())?;
        self.with_identity(|identity| {
            let reseal = |e: &outbox::Entry| {
                reply::reseal_on_push(
                    client,
                    &self.mirror,
                    identity,
                    &centre,
                    self.keys.as_deref(),
                    self.actor.as_ref(),
                    e,
                    false,
                )
            };
            outbox::push(client, &self.mirror, &reseal)
        })
    }

    /// The report with exactly this id (pages never take a prefix).
    pub fn exact(&self, id: &str) -> Result<crate::desk::client::ApiReport, DeskError> {
        super::model::exact(&self.mirror, id)
    }
}
