//! The store: the only module that touches sled (and the blob directory).
//!
//! Everything in it is ciphertext or metadata that says little: random ids,
//! statuses, days, the reporter's public recipient, hashes of lookup keys and of
//! staff tokens. Writes that acknowledge something to a reporter are flushed to
//! disk before they return.

mod backup;
mod blobs;
mod records;

use std::path::Path;

use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;

pub use blobs::PendingBlob;
pub use records::{AttachmentRef, MessageRecord, ReportRecord, StaffRecord};

use crate::ids::{AttachmentId, MessageId, ReportId};
use crate::message::Author;
use crate::receipt::{LookupHash, SALT_BYTES};
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
    /// The report reached its limit of messages.
    #[error("too many messages on this report")]
    TooManyMessages,
    /// Less free disk space than the reserve: refused before touching the
    /// database, which (sled) cannot recover from a full disk without a restart.
    #[error("the disk is nearly full ({0} bytes free)")]
    DiskFull(u64),
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

/// Handle to the database; cheap to clone, shared by all workers.
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    meta: sled::Tree,
    reports: sled::Tree,
    codes: sled::Tree,
    messages: sled::Tree,
    ciphertexts: sled::Tree,
    staff: sled::Tree,
    blobs: blobs::Blobs,
    /// The data directory, for the free-space check.
    dir: std::path::PathBuf,
    /// Writers hold it shared; a backup snapshot holds it exclusively.
    gate: std::sync::Arc<std::sync::RwLock<()>>,
}

impl Store {
    /// Opens (or creates) the store under `data`: the database in `data/db`,
    /// attachments in `data/blobs`. Only one process may have it open.
    pub fn open(data: &Path) -> Result<Self, StoreError> {
        crate::fsutil::private_dir(data)?;
        crate::fsutil::private_dir(&data.join("db"))?;
        let db = sled::Config::new()
            .path(data.join("db"))
            .mode(sled::Mode::HighThroughput)
            // sled's default page cache is 1 GiB; ciphertext is read rarely.
            .cache_capacity(64 * 1024 * 1024)
            .open()?;
        let store = Self {
            meta: db.open_tree("meta")?,
            reports: db.open_tree("reports")?,
            codes: db.open_tree("codes")?,
            messages: db.open_tree("messages")?,
            ciphertexts: db.open_tree("ciphertexts")?,
            staff: db.open_tree("staff")?,
            blobs: blobs::Blobs::open(&data.join("blobs"))?,
            gate: Default::default(),
            dir: data.to_path_buf(),
            db,
        };
        // sled creates its files with the process umask; only we may read them.
        crate::fsutil::tighten_tree(&data.join("db"))?;
        Ok(store)
    }

    /// The per-install salt for code derivation, created on first use.
    pub fn install_salt(&self) -> Result<[u8; SALT_BYTES], StoreError> {
        if let Some(v) = self.meta.get("salt")? {
            return v
                .as_ref()
                .try_into()
                .map_err(|_| StoreError::Corrupt("salt".into()));
        }
        let mut salt = [0u8; SALT_BYTES];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut salt);
        // compare_and_swap so two first starts cannot end with different salts.
        match self
            .meta
            .compare_and_swap("salt", None as Option<&[u8]>, Some(&salt[..]))?
        {
            Ok(()) => {
                self.db.flush()?;
                Ok(salt)
            }
            Err(_) => self.install_salt(),
        }
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
        self.db.flush()?;
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
        };
        let meta = MessageRecord::new(&first, today);
        (
            &self.reports,
            &self.codes,
            &self.messages,
            &self.ciphertexts,
        )
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
        self.flush()
    }

    /// Appends a message (follow-up or reply) to a report and flushes.
    /// `max_follow_ups` bounds reporter messages (abuse); staff replies are unbounded.
    pub fn add_message(
        &self,
        report: ReportId,
        msg: NewMessage,
        max_follow_ups: u32,
    ) -> Result<(), StoreError> {
        let _shared = self.gate.read().unwrap_or_else(|p| p.into_inner());
        self.ensure_space()?;
        let meta = MessageRecord::new(&msg, crate::day::today());
        (&self.reports, &self.messages, &self.ciphertexts)
            .transaction(|(reports, messages, ciphertexts)| -> TxResult<()> {
                let mut record = tx_report(reports, report)?;
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
        self.flush()
    }

    /// Sets a report's status and flushes; `NoSuchReport` if it is gone.
    pub fn set_status(&self, report: ReportId, status: Status) -> Result<(), StoreError> {
        let _shared = self.gate.read().unwrap_or_else(|p| p.into_inner());
        self.ensure_space()?;
        let today = crate::day::today();
        self.reports
            .transaction(|reports| -> TxResult<()> {
                let mut record = tx_report(reports, report)?;
                record.status = status;
                record.updated = today.clone();
                reports.insert(&report.0, record.to_bytes())?;
                Ok(())
            })
            .map_err(tx_error)?;
        self.flush()
    }

    /// The report a lookup hash points at, if any.
    pub fn find_by_lookup(&self, lookup: &LookupHash) -> Result<Option<ReportId>, StoreError> {
        match self.codes.get(lookup.0)? {
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
        self.reports
            .get(id.0)?
            .map(|raw| {
                ReportRecord::from_bytes(&raw).ok_or_else(|| StoreError::Corrupt("report".into()))
            })
            .transpose()
    }

    /// Every report, in id order (random, so no order of arrival shows).
    pub fn reports(&self) -> Result<Vec<(ReportId, ReportRecord)>, StoreError> {
        let mut out = Vec::new();
        for item in self.reports.iter() {
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
        let mut out = Vec::new();
        for item in self.messages.scan_prefix(report.0) {
            let (_, v) = item?;
            out.push(
                MessageRecord::from_bytes(&v)
                    .ok_or_else(|| StoreError::Corrupt("message".into()))?,
            );
        }
        Ok(out)
    }

    /// A message's age file.
    pub fn ciphertext(&self, message: MessageId) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.ciphertexts.get(message.0)?.map(|v| v.to_vec()))
    }

    /// Starts writing an attachment; commit it before the message that names it.
    pub fn begin_blob(&self) -> Result<PendingBlob, StoreError> {
        self.ensure_space()?;
        Ok(self.blobs.begin()?)
    }

    /// Bytes the stored attachment files take on disk.
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
    pub fn rotate_code(
        &self,
        report: ReportId,
        new_lookup: LookupHash,
        new_recipient: String,
        reencrypted: Vec<(MessageId, Vec<u8>)>,
    ) -> Result<(), StoreError> {
        let _shared = self.gate.read().unwrap_or_else(|p| p.into_inner());
        self.ensure_space()?;
        (&self.reports, &self.codes, &self.ciphertexts)
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
                reports.insert(&report.0, record.to_bytes())?;
                for (mid, ct) in &reencrypted {
                    ciphertexts.insert(&mid.0, ct.as_slice())?;
                }
                Ok(())
            })
            .map_err(tx_error)?;
        self.flush()
    }

    /// Gives a report a new reporter recipient with its replies re-encrypted to it,
    /// in one transaction: how a classical reporter key becomes hybrid at check-in.
    pub fn replace_reporter_key(
        &self,
        report: ReportId,
        new_recipient: String,
        reencrypted: Vec<(MessageId, Vec<u8>)>,
    ) -> Result<(), StoreError> {
        let _shared = self.gate.read().unwrap_or_else(|p| p.into_inner());
        self.ensure_space()?;
        (&self.reports, &self.ciphertexts)
            .transaction(|(reports, ciphertexts)| -> TxResult<()> {
                let mut record = tx_report(reports, report)?;
                record.reporter_recipient = new_recipient.clone();
                reports.insert(&report.0, record.to_bytes())?;
                for (mid, ct) in &reencrypted {
                    ciphertexts.insert(&mid.0, ct.as_slice())?;
                }
                Ok(())
            })
            .map_err(tx_error)?;
        self.flush()
    }

    /// Deletes a report and everything of it: code, messages, attachments.
    pub fn delete_report(&self, report: ReportId) -> Result<(), StoreError> {
        let _shared = self.gate.read().unwrap_or_else(|p| p.into_inner());
        let messages = self.messages(report)?;
        let keys: Vec<sled::IVec> = self
            .messages
            .scan_prefix(report.0)
            .keys()
            .collect::<Result<_, _>>()?;
        (
            &self.reports,
            &self.codes,
            &self.messages,
            &self.ciphertexts,
        )
            .transaction(|(reports, codes, msgs, ciphertexts)| -> TxResult<()> {
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
                Ok(())
            })
            .map_err(tx_error)?;
        self.flush()?;
        for m in &messages {
            for a in &m.attachments {
                self.blobs.remove(a.id);
            }
        }
        // A message added between the scan and the transaction would be left
        // without its report; the orphan sweep at start-up catches its files.
        Ok(())
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
        let mut referenced = std::collections::HashSet::new();
        for item in self.messages.iter() {
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
        self.ensure_space()?;
        let rec = StaffRecord {
            name: name.to_string(),
            created: crate::day::today(),
        };
        self.staff.insert(token_hash, rec.to_bytes())?;
        self.flush()
    }

    /// The staff member whose token hashes to `token_hash`.
    pub fn staff_by_token_hash(
        &self,
        token_hash: &[u8; 32],
    ) -> Result<Option<StaffRecord>, StoreError> {
        Ok(self
            .staff
            .get(token_hash)?
            .and_then(|v| StaffRecord::from_bytes(&v)))
    }

    /// Every staff token's owner and creation day (never the token).
    pub fn staff(&self) -> Result<Vec<StaffRecord>, StoreError> {
        let mut out = Vec::new();
        for item in self.staff.iter() {
            let (_, v) = item?;
            out.extend(StaffRecord::from_bytes(&v));
        }
        Ok(out)
    }

    /// Revokes every token of `name`; returns how many.
    pub fn revoke_staff(&self, name: &str) -> Result<usize, StoreError> {
        let _shared = self.gate.read().unwrap_or_else(|p| p.into_inner());
        let mut n = 0;
        for item in self.staff.iter() {
            let (k, v) = item?;
            if StaffRecord::from_bytes(&v).is_some_and(|r| r.name == name) {
                self.staff.remove(k)?;
                n += 1;
            }
        }
        self.flush()?;
        Ok(n)
    }
}

impl StoreError {
    /// Whether another process holds the database lock.
    pub fn is_locked(&self) -> bool {
        // sled reports the lock as an I/O error of kind Other with this text.
        matches!(self, StoreError::Db(sled::Error::Io(e))
            if e.kind() == std::io::ErrorKind::WouldBlock
                || e.to_string().contains("could not acquire lock"))
    }
}

/// Messages sort by report, then sequence: a prefix scan gives one report's
/// conversation in order.
fn message_key(report: ReportId, seq: u32) -> [u8; 20] {
    let mut k = [0u8; 20];
    k[..16].copy_from_slice(&report.0);
    k[16..].copy_from_slice(&seq.to_be_bytes());
    k
}
