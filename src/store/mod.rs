//! The store: the only module that touches sled (and the blob directory).
//!
//! Everything in it is ciphertext or metadata that says little: random ids,
//! statuses, days, the reporter's public recipient, hashes of lookup keys and of
//! staff tokens. Writes that acknowledge something to a reporter are flushed to
//! disk before they return.

mod backup;
mod blobs;
mod compact;
mod events;
mod format;
mod records;

use std::path::Path;

use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;

pub use blobs::PendingBlob;
pub use events::EventRecord;
pub use format::CURRENT_FORMAT;
pub use records::{AttachmentRef, MessageRecord, ReportRecord, StaffRecord};

use crate::ids::{AttachmentId, MessageId, ReportId};
use crate::message::Author;
use crate::receipt::{LookupHash, SALT_BYTES};
use crate::reporter_signing::CodeChange;
use crate::status::Status;

/// Failures of the store. None of them carries reporter data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database engine failed (disk full, permissions, corruption).
    #[error("database: {0}")]
    Db(#[from] sled::Error),
    /// A file outside the database failed (blobs).
    #[error("file: {0}")]
    Io(#[from] std::io::Error),
    /// A stored record could not be read back.
    #[error("damaged record: {0}")]
    Corrupt(String),
    /// The report does not exist (any more).
    #[error("no such report")]
    NoSuchReport,
    /// A new lookup hash is already in use (practically impossible with 80-bit codes).
    #[error("code collision")]
    CodeCollision,
    /// A reply was encrypted to a reporter recipient that is no longer the
    /// report's (the reporter changed their code meanwhile).
    #[error("the reporter's key changed")]
    RecipientChanged,
    /// The report reached its limit of messages.
    #[error("too many messages on this report")]
    TooManyMessages,
    /// Another process holds the data directory.
    #[error("the data directory is in use by another process")]
    Locked,
    /// A compaction could not reopen the database; a restart finishes it.
    #[error("the database is closed after a failed compaction; restart the server")]
    Closed,
    /// Less free disk space than the reserve: refused before touching the
    /// database, which (sled) cannot recover from a full disk without a restart.
    #[error("the disk is nearly full ({0} bytes free)")]
    DiskFull(u64),
    /// The data directory was written by a newer tipline.
    #[error("the data is in format {found}, newer than this tipline reads (format {supported}): run the newer tipline, or restore the backup in upgrade-backups/ made before the upgrade")]
    NewerFormat {
        /// The format found.
        found: u32,
        /// The newest format this binary reads.
        supported: u32,
    },
}

type TxResult<T> = Result<T, ConflictableTransactionError<StoreError>>;

fn tx_error(e: TransactionError<StoreError>) -> StoreError {
    match e {
        TransactionError::Abort(e) => e,
        TransactionError::Storage(e) => StoreError::Db(e),
    }
}

fn corrupt(what: &str) -> ConflictableTransactionError<StoreError> {
    abort(StoreError::Corrupt(what.to_string()))
}

fn abort(e: StoreError) -> ConflictableTransactionError<StoreError> {
    ConflictableTransactionError::Abort(e)
}

/// A report's record inside a transaction; `NoSuchReport` if it is gone.
fn tx_report(
    reports: &sled::transaction::TransactionalTree,
    report: ReportId,
) -> TxResult<ReportRecord> {
    let raw = reports
        .get(report.0)?
        .ok_or(abort(StoreError::NoSuchReport))?;
    ReportRecord::from_bytes(&raw).ok_or_else(|| corrupt("report"))
}

/// A message to be stored: its ciphertext and the attachments already committed.
pub struct NewMessage {
    /// The message's id.
    pub id: MessageId,
    /// Who wrote it.
    pub author: Author,
    /// The age file.
    pub ciphertext: Vec<u8>,
    /// Attachments written (and committed) before the message.
    pub attachments: Vec<AttachmentRef>,
}

/// The open database and its trees; a compaction replaces it whole.
struct Trees {
    db: sled::Db,
    meta: sled::Tree,
    reports: sled::Tree,
    codes: sled::Tree,
    messages: sled::Tree,
    ciphertexts: sled::Tree,
    /// Case-file events: report id + event id -> [`EventRecord`]; their age
    /// files live in `ciphertexts` under the event id.
    events: sled::Tree,
    staff: sled::Tree,
}

impl Trees {
    fn open(path: &Path) -> Result<Self, StoreError> {
        crate::fsutil::private_dir(path)?;
        let db = open_db(path)?;
        let trees = Self {
            meta: db.open_tree("meta")?,
            reports: db.open_tree("reports")?,
            codes: db.open_tree("codes")?,
            messages: db.open_tree("messages")?,
            ciphertexts: db.open_tree("ciphertexts")?,
            events: db.open_tree("events")?,
            staff: db.open_tree("staff")?,
            db,
        };
        // sled creates its files with the process umask; only we may read them.
        crate::fsutil::tighten_tree(path)?;
        Ok(trees)
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }
}

/// Opens sled at `path`. The caller holds `DATA/lock`, so a sled lock held
/// elsewhere can only be a database this process just dropped: sled's
/// background writers keep its file locked for a moment after the drop (seen
/// when a test, or a compaction, reopens at once). Wait for them, briefly.
fn open_db(path: &Path) -> Result<sled::Db, StoreError> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let opened = sled::Config::new()
            .path(path)
            .mode(sled::Mode::HighThroughput)
            // sled's default page cache is 1 GiB; ciphertext is read rarely.
            .cache_capacity(64 * 1024 * 1024)
            .open()
            .map_err(StoreError::from);
        match opened {
            Err(e) if e.is_locked() && std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

/// The trees behind a read guard; `Closed` only if a compaction failed to reopen.
fn trees(live: &Option<Trees>) -> Result<&Trees, StoreError> {
    live.as_ref().ok_or(StoreError::Closed)
}

/// Handle to the database; cheap to clone, shared by all workers.
#[derive(Clone)]
pub struct Store {
    /// Every use holds it shared; a compaction's swap holds it exclusively.
    live: std::sync::Arc<std::sync::RwLock<Option<Trees>>>,
    blobs: blobs::Blobs,
    /// The data directory, for the free-space check.
    dir: std::path::PathBuf,
    /// Writers hold it shared; a backup snapshot or a compaction holds it
    /// exclusively (taken before `live`, never after).
    gate: std::sync::Arc<std::sync::RwLock<()>>,
    /// `DATA/lock`, locked for the store's life: one process per data directory.
    _lock: std::sync::Arc<std::fs::File>,
}

impl Store {
    /// Opens (or creates) the store under `data`: the database in `data/db`,
    /// attachments in `data/blobs`. Only one process may have it open.
    pub fn open(data: &Path) -> Result<Self, StoreError> {
        crate::fsutil::private_dir(data)?;
        let lock = compact::lock_data_dir(data)?;
        compact::finish_interrupted(data)?;
        let store = Self {
            live: std::sync::Arc::new(std::sync::RwLock::new(Some(Trees::open(&data.join("db"))?))),
            blobs: blobs::Blobs::open(&data.join("blobs"))?,
            gate: Default::default(),
            dir: data.to_path_buf(),
            _lock: std::sync::Arc::new(lock),
        };
        store.ensure_format(data)?;
        Ok(store)
    }

    /// Whether `data` holds a database: every command but `serve` refuses a
    /// data directory without one, so a wrong path is not a new, empty database.
    pub fn holds_database(data: &Path) -> bool {
        compact::holds_database(data)
    }

    fn live(&self) -> std::sync::RwLockReadGuard<'_, Option<Trees>> {
        self.live.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The per-install salt for code derivation, created on first use.
    pub fn install_salt(&self) -> Result<[u8; SALT_BYTES], StoreError> {
        let live = self.live();
        let t = trees(&live)?;
        if let Some(v) = t.meta.get("salt")? {
            return v
                .as_ref()
                .try_into()
                .map_err(|_| StoreError::Corrupt("salt".into()));
        }
        let mut salt = [0u8; SALT_BYTES];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut salt);
        // compare_and_swap so two first starts cannot end with different salts.
        match t
            .meta
            .compare_and_swap("salt", None as Option<&[u8]>, Some(&salt[..]))?
        {
            Ok(()) => {
                t.db.flush()?;
                Ok(salt)
            }
            Err(sled::CompareAndSwapError {
                current: Some(v), ..
            }) => v
                .as_ref()
                .try_into()
                .map_err(|_| StoreError::Corrupt("salt".into())),
            Err(_) => Err(StoreError::Corrupt("salt".into())),
        }
    }

    /// Records `value` under `key` in the install's settings unless one is
    /// already there; returns the recorded one (the new or the earlier value).
    pub fn install_setting(&self, key: &str, value: &[u8]) -> Result<Vec<u8>, StoreError> {
        let live = self.live();
        let t = trees(&live)?;
        match t
            .meta
            .compare_and_swap(key, None as Option<&[u8]>, Some(value))?
        {
            Ok(()) => {
                t.flush()?;
                Ok(value.to_vec())
            }
            Err(sled::CompareAndSwapError {
                current: Some(v), ..
            }) => Ok(v.to_vec()),
            Err(_) => Err(StoreError::Corrupt(key.into())),
        }
    }

    /// An install setting, if recorded.
    pub fn install_setting_of(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let live = self.live();
        Ok(trees(&live)?.meta.get(key)?.map(|v| v.to_vec()))
    }

    /// Whether any report is stored.
    pub fn holds_reports(&self) -> Result<bool, StoreError> {
        let live = self.live();
        Ok(!trees(&live)?.reports.is_empty())
    }

    /// Free bytes below which writes are refused (the database needs room to
    /// write its log and to compact).
    pub const DISK_RESERVE: u64 = 64 * 1024 * 1024;

    /// Refuses a write when the disk is nearly full, so the database never
    /// meets ENOSPC; when space returns, writes work again.
    fn ensure_space(&self) -> Result<(), StoreError> {
        let free = fs2::available_space(&self.dir)?;
        if free < Self::DISK_RESERVE {
            return Err(StoreError::DiskFull(free));
        }
        Ok(())
    }

    /// Forces everything written so far onto the disk.
    pub fn flush(&self) -> Result<(), StoreError> {
        trees(&self.live())?.db.flush()?;
        Ok(())
    }

    /// Stores a new report with its first message, atomically, and flushes.
    pub fn create_report(
        &self,
        id: ReportId,
        lookup: LookupHash,
        reporter_recipient: String,
        first: NewMessage,
    ) -> Result<(), StoreError> {
        let _shared = self.gate.read().unwrap_or_else(|p| p.into_inner());
        let live = self.live();
        let t = trees(&live)?;
        self.ensure_space()?;
        let today = crate::day::today();
        let record = ReportRecord {
            reporter_recipient,
            status: Status::Received,
            received: today.clone(),
            updated: today.clone(),
            lookup: hex::encode(lookup.0),
            next_seq: 1,
            follow_ups: 0,
            recipient_chain: Vec::new(),
        };
        let meta = MessageRecord::new(&first, today);
        (&t.reports, &t.codes, &t.messages, &t.ciphertexts)
            .transaction(|(reports, codes, messages, ciphertexts)| -> TxResult<()> {
                if codes.get(lookup.0)?.is_some() {
                    return Err(abort(StoreError::CodeCollision));
                }
                codes.insert(&lookup.0, &id.0)?;
                reports.insert(&id.0, record.to_bytes())?;
                messages.insert(&message_key(id, 0), meta.to_bytes())?;
                ciphertexts.insert(&first.id.0, first.ciphertext.as_slice())?;
                Ok(())
            })
            .map_err(tx_error)?;
        t.flush()
    }

    /// Appends a message (follow-up or reply) to a report and flushes.
    /// `max_follow_ups` bounds reporter messages (abuse); staff replies are unbounded.
    pub fn add_message(
        &self,
        report: ReportId,
        msg: NewMessage,
        max_follow_ups: u32,
    ) -> Result<(), StoreError> {
        self.append(report, msg, max_follow_ups, None)
    }

    /// Appends a staff reply and flushes, but only if `encrypted_to` (when
    /// given) is still the report's reporter recipient: checked in the same
    /// transaction as [`Store::rotate_code`] changes it, so a reply can never
    /// land for a key the reporter no longer has.
    pub fn add_reply(
        &self,
        report: ReportId,
        msg: NewMessage,
        encrypted_to: Option<&str>,
    ) -> Result<(), StoreError> {
        self.append(report, msg, u32::MAX, encrypted_to)
    }

    fn append(
        &self,
        report: ReportId,
        msg: NewMessage,
        max_follow_ups: u32,
        encrypted_to: Option<&str>,
    ) -> Result<(), StoreError> {
        let _shared = self.gate.read().unwrap_or_else(|p| p.into_inner());
        let live = self.live();
        let t = trees(&live)?;
        self.ensure_space()?;
        let meta = MessageRecord::new(&msg, crate::day::today());
        (&t.reports, &t.messages, &t.ciphertexts)
            .transaction(|(reports, messages, ciphertexts)| -> TxResult<()> {
                let mut record = tx_report(reports, report)?;
                if encrypted_to.is_some_and(|r| r != record.reporter_recipient) {
                    return Err(abort(StoreError::RecipientChanged));
                }
                if msg.author == Author::Reporter {
                    if record.follow_ups >= max_follow_ups {
                        return Err(abort(StoreError::TooManyMessages));
                    }
                    record.follow_ups += 1;
                }
                let seq = record.next_seq;
                record.next_seq += 1;
                record.updated = meta.received.clone();
                reports.insert(&report.0, record.to_bytes())?;
                messages.insert(&message_key(report, seq), meta.to_bytes())?;
                ciphertexts.insert(&msg.id.0, msg.ciphertext.as_slice())?;
                Ok(())
            })
            .map_err(tx_error)?;
        t.flush()
    }

    /// Sets a report's status and flushes; `NoSuchReport` if it is gone.
    pub fn set_status(&self, report: ReportId, status: Status) -> Result<(), StoreError> {
        let _shared = self.gate.read().unwrap_or_else(|p| p.into_inner());
        let live = self.live();
        let t = trees(&live)?;
        self.ensure_space()?;
        let today = crate::day::today();
        t.reports
            .transaction(|reports| -> TxResult<()> {
                let mut record = tx_report(reports, report)?;
                record.status = status;
                record.updated = today.clone();
                reports.insert(&report.0, record.to_bytes())?;
                Ok(())
            })
            .map_err(tx_error)?;
        t.flush()
    }

    /// The report a lookup hash points at, if any.
    pub fn find_by_lookup(&self, lookup: &LookupHash) -> Result<Option<ReportId>, StoreError> {
        let live = self.live();
        let t = trees(&live)?;
        match t.codes.get(lookup.0)? {
            None => Ok(None),
            Some(v) => {
                let bytes: [u8; 16] = v
                    .as_ref()
                    .try_into()
                    .map_err(|_| StoreError::Corrupt("code".into()))?;
                Ok(Some(ReportId(bytes)))
            }
        }
    }

    /// One report's metadata.
    pub fn report(&self, id: ReportId) -> Result<Option<ReportRecord>, StoreError> {
        let live = self.live();
        let t = trees(&live)?;
        t.reports
            .get(id.0)?
            .map(|raw| {
                ReportRecord::from_bytes(&raw).ok_or_else(|| StoreError::Corrupt("report".into()))
            })
            .transpose()
    }

    /// Every report, in id order (random, so no order of arrival shows).
    pub fn reports(&self) -> Result<Vec<(ReportId, ReportRecord)>, StoreError> {
        let live = self.live();
        let t = trees(&live)?;
        let mut out = Vec::new();
        for item in t.reports.iter() {
            let (k, v) = item?;
            let id: [u8; 16] = k
                .as_ref()
                .try_into()
                .map_err(|_| StoreError::Corrupt("report id".into()))?;
            let rec =
                ReportRecord::from_bytes(&v).ok_or_else(|| StoreError::Corrupt("report".into()))?;
            out.push((ReportId(id), rec));
        }
        Ok(out)
    }

    /// A report's messages, oldest first.
    pub fn messages(&self, report: ReportId) -> Result<Vec<MessageRecord>, StoreError> {
        messages_of(trees(&self.live())?, report)
    }

    /// A message's age file.
    pub fn ciphertext(&self, message: MessageId) -> Result<Option<Vec<u8>>, StoreError> {
        let live = self.live();
        let t = trees(&live)?;
        Ok(t.ciphertexts.get(message.0)?.map(|v| v.to_vec()))
    }

    /// Starts writing an attachment; commit it before the message that names it.
    /// Its writes fail with `StorageFull` once all attachments, stored and being
    /// written, would pass `budget` bytes, or when the disk nears full.
    pub fn begin_blob(&self, budget: u64) -> Result<PendingBlob, StoreError> {
        self.ensure_space()?;
        Ok(self.blobs.begin(budget, Self::DISK_RESERVE)?)
    }

    /// Bytes the attachment files take on disk, those being written included.
    pub fn blob_bytes(&self) -> u64 {
        self.blobs.used()
    }

    /// Opens a stored attachment's age file.
    pub fn open_blob(&self, id: AttachmentId) -> Result<Option<std::fs::File>, StoreError> {
        Ok(self.blobs.open_file(id)?)
    }

    /// Removes attachments whose message never got stored (after an error).
    pub fn discard_blobs(&self, ids: &[AttachmentId]) {
        for id in ids {
            self.blobs.remove(*id);
        }
    }

    /// Replaces a report's code: the old lookup hash stops working in the same
    /// transaction that makes the new one work, the reporter recipient changes,
    /// and the staff replies are replaced by copies re-encrypted to the new key.
    /// `statement` (signed with the old code's key) joins the report's chain.
    pub fn rotate_code(
        &self,
        report: ReportId,
        new_lookup: LookupHash,
        new_recipient: String,
        statement: CodeChange,
        reencrypted: Vec<(MessageId, Vec<u8>)>,
    ) -> Result<(), StoreError> {
        let _shared = self.gate.read().unwrap_or_else(|p| p.into_inner());
        let live = self.live();
        let t = trees(&live)?;
        self.ensure_space()?;
        (&t.reports, &t.codes, &t.ciphertexts)
            .transaction(|(reports, codes, ciphertexts)| -> TxResult<()> {
                let mut record = tx_report(reports, report)?;
                if codes.get(new_lookup.0)?.is_some() {
                    return Err(abort(StoreError::CodeCollision));
                }
                let old = hex::decode(&record.lookup).map_err(|_| corrupt("lookup"))?;
                codes.remove(old)?;
                codes.insert(&new_lookup.0, &report.0)?;
                record.lookup = hex::encode(new_lookup.0);
                record.reporter_recipient = new_recipient.clone();
                record.recipient_chain.push(statement.clone());
                reports.insert(&report.0, record.to_bytes())?;
                for (mid, ct) in &reencrypted {
                    ciphertexts.insert(&mid.0, ct.as_slice())?;
                }
                Ok(())
            })
            .map_err(tx_error)?;
        t.flush()
    }

    /// Gives a report a new reporter recipient with its replies re-encrypted to it,
    /// in one transaction: how a classical reporter key becomes hybrid at check-in.
    /// The code (and so the lookup and the signing key) stays; `statement`, signed
    /// by that key, vouches for the new recipient so the desk can trace it.
    pub fn replace_reporter_key(
        &self,
        report: ReportId,
        new_recipient: String,
        statement: CodeChange,
        reencrypted: Vec<(MessageId, Vec<u8>)>,
    ) -> Result<(), StoreError> {
        let _shared = self.gate.read().unwrap_or_else(|p| p.into_inner());
        let live = self.live();
        let t = trees(&live)?;
        self.ensure_space()?;
        (&t.reports, &t.ciphertexts)
            .transaction(|(reports, ciphertexts)| -> TxResult<()> {
                let mut record = tx_report(reports, report)?;
                record.reporter_recipient = new_recipient.clone();
                record.recipient_chain.push(statement.clone());
                reports.insert(&report.0, record.to_bytes())?;
                for (mid, ct) in &reencrypted {
                    ciphertexts.insert(&mid.0, ct.as_slice())?;
                }
                Ok(())
            })
            .map_err(tx_error)?;
        t.flush()
    }

    /// Deletes a report and everything of it: code, messages, attachments.
    pub fn delete_report(&self, report: ReportId) -> Result<(), StoreError> {
        let _shared = self.gate.read().unwrap_or_else(|p| p.into_inner());
        let live = self.live();
        let t = trees(&live)?;
        let messages = messages_of(t, report)?;
        let keys: Vec<sled::IVec> = t
            .messages
            .scan_prefix(report.0)
            .keys()
            .collect::<Result<_, _>>()?;
        let events = events::event_keys(t, report)?;
        (&t.reports, &t.codes, &t.messages, &t.ciphertexts, &t.events)
            .transaction(|(reports, codes, msgs, ciphertexts, evs)| -> TxResult<()> {
                let record = tx_report(reports, report)?;
                let lookup = hex::decode(&record.lookup).map_err(|_| corrupt("lookup"))?;
                codes.remove(lookup)?;
                reports.remove(&report.0)?;
                for k in &keys {
                    msgs.remove(k)?;
                }
                for m in &messages {
                    ciphertexts.remove(&m.id.0)?;
                }
                for (key, event) in &events {
                    evs.remove(key)?;
                    ciphertexts.remove(&event.0)?;
                }
                Ok(())
            })
            .map_err(tx_error)?;
        t.flush()?;
        for m in &messages {
            for a in &m.attachments {
                self.blobs.remove(a.id);
            }
        }
        // A message added between the scan and the transaction would be left
        // without its report; the orphan sweep at start-up catches its files.
        Ok(())
    }

    /// Deletes a report at staff's request (a test report, a duplicate) and
    /// counts it under the month, so the figures can account for it. The reason
    /// stays on the workstation, encrypted; the server keeps only the count.
    pub fn delete_by_staff(&self, report: ReportId) -> Result<(), StoreError> {
        self.delete_report(report)?;
        let _shared = self.gate.read().unwrap_or_else(|p| p.into_inner());
        let live = self.live();
        let t = trees(&live)?;
        let key = format!("staff-deletions:{}", &crate::day::today()[..7]);
        t.meta.update_and_fetch(&key, |old| {
            let n = old
                .and_then(|v| <[u8; 8]>::try_from(v).ok())
                .map_or(0, u64::from_be_bytes);
            Some((n + 1).to_be_bytes().to_vec())
        })?;
        t.flush()
    }

    /// Reports deleted by staff, per month (`YYYY-MM`, count).
    pub fn staff_deletions(&self) -> Result<Vec<(String, u64)>, StoreError> {
        let live = self.live();
        let t = trees(&live)?;
        let mut out = Vec::new();
        for item in t.meta.scan_prefix("staff-deletions:") {
            let (k, v) = item?;
            let month = String::from_utf8_lossy(&k["staff-deletions:".len()..]).into_owned();
            let n = <[u8; 8]>::try_from(v.as_ref())
                .map_err(|_| StoreError::Corrupt("deletion count".into()))?;
            out.push((month, u64::from_be_bytes(n)));
        }
        Ok(out)
    }

    /// Deletes closed reports whose last change is at least `days` days ago
    /// (0: every closed report).
    /// Returns how many were deleted.
    pub fn purge_closed(&self, days: i64) -> Result<usize, StoreError> {
        let mut purged = 0;
        for (id, record) in self.reports()? {
            if record.status == Status::Closed && crate::day::days_since(&record.updated) >= days {
                match self.delete_report(id) {
                    Ok(()) | Err(StoreError::NoSuchReport) => purged += 1,
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(purged)
    }

    /// Deletes attachment files no message refers to, and half-written ones:
    /// what a crash between writing a file and storing its message leaves.
    pub fn sweep_orphans(&self) -> Result<usize, StoreError> {
        let live = self.live();
        let t = trees(&live)?;
        let mut referenced = std::collections::HashSet::new();
        for item in t.messages.iter() {
            let (_, v) = item?;
            if let Some(m) = MessageRecord::from_bytes(&v) {
                referenced.extend(m.attachments.iter().map(|a| a.id));
            }
        }
        Ok(self.blobs.sweep(|id| referenced.contains(&id))?)
    }

    /// Adds a staff member; stores only the token's hash.
    pub fn add_staff(&self, name: &str, token_hash: [u8; 32]) -> Result<(), StoreError> {
        let _shared = self.gate.read().unwrap_or_else(|p| p.into_inner());
        let live = self.live();
        let t = trees(&live)?;
        self.ensure_space()?;
        let rec = StaffRecord {
            name: name.to_string(),
            created: crate::day::today(),
        };
        t.staff.insert(token_hash, rec.to_bytes())?;
        t.flush()
    }

    /// The staff member whose token hashes to `token_hash`.
    pub fn staff_by_token_hash(
        &self,
        token_hash: &[u8; 32],
    ) -> Result<Option<StaffRecord>, StoreError> {
        let live = self.live();
        Ok(trees(&live)?
            .staff
            .get(token_hash)?
            .and_then(|v| StaffRecord::from_bytes(&v)))
    }

    /// Every staff token's owner and creation day (never the token).
    pub fn staff(&self) -> Result<Vec<StaffRecord>, StoreError> {
        let live = self.live();
        let t = trees(&live)?;
        let mut out = Vec::new();
        for item in t.staff.iter() {
            let (_, v) = item?;
            out.extend(StaffRecord::from_bytes(&v));
        }
        Ok(out)
    }

    /// Revokes every token of `name`; returns how many.
    pub fn revoke_staff(&self, name: &str) -> Result<usize, StoreError> {
        let _shared = self.gate.read().unwrap_or_else(|p| p.into_inner());
        let live = self.live();
        let t = trees(&live)?;
        let mut n = 0;
        for item in t.staff.iter() {
            let (k, v) = item?;
            if StaffRecord::from_bytes(&v).is_some_and(|r| r.name == name) {
                t.staff.remove(k)?;
                n += 1;
            }
        }
        t.flush()?;
        Ok(n)
    }
}

impl StoreError {
    /// Whether another process holds the database lock.
    pub fn is_locked(&self) -> bool {
        // sled reports the lock as an I/O error of kind Other with this text.
        matches!(self, StoreError::Locked)
            || matches!(self, StoreError::Db(sled::Error::Io(e))
            if e.kind() == std::io::ErrorKind::WouldBlock
                || e.to_string().contains("could not acquire lock"))
    }
}

/// A report's messages, oldest first (for callers that hold the trees).
fn messages_of(t: &Trees, report: ReportId) -> Result<Vec<MessageRecord>, StoreError> {
    let mut out = Vec::new();
    for item in t.messages.scan_prefix(report.0) {
        let (_, v) = item?;
        out.push(
            MessageRecord::from_bytes(&v).ok_or_else(|| StoreError::Corrupt("message".into()))?,
        );
    }
    Ok(out)
}

/// Messages sort by report, then sequence: a prefix scan gives one report's
/// conversation in order.
fn message_key(report: ReportId, seq: u32) -> [u8; 20] {
    let mut k = [0u8; 20];
    k[..16].copy_from_slice(&report.0);
    k[16..].copy_from_slice(&seq.to_be_bytes());
    k
}
