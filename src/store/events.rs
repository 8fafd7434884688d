//! Case-file events in the store: opaque age files the desk signed and
//! encrypted to the centre. The server keeps each with the name of the staff
//! token that posted it and the day, never shows it to a reporter, and deletes
//! it with its report (see [`Store::delete_report`]).

use super::{abort, trees, tx_error, tx_report, Store, StoreError, Trees, TxResult};
use crate::ids::{EventId, ReportId};
use sled::Transactional;

/// What the server knows of an event: who posted it (the token's name) and
/// when (a day). The content is in the ciphertext, which it cannot read.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct EventRecord {
    /// The event.
    pub id: EventId,
    /// Name of the staff token that posted it.
    pub posted_by: String,
    /// Day it arrived.
    pub received: String,
}

impl EventRecord {
    fn to_bytes(&self) -> Vec<u8> {
        // Serialising this plain struct cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// Events sort by report: a prefix scan finds one report's events.
fn event_key(report: ReportId, event: EventId) -> [u8; 32] {
    let mut k = [0u8; 32];
    k[..16].copy_from_slice(&report.0);
    k[16..].copy_from_slice(&event.0);
    k
}

impl Store {
    /// Stores an event's age file for `report` and flushes; `NoSuchReport` if
    /// the report is gone.
    pub fn add_event(
        &self,
        report: ReportId,
        posted_by: &str,
        ciphertext: &[u8],
    ) -> Result<EventId, StoreError> {
        let _shared = self.gate.read().unwrap_or_else(|p| p.into_inner());
        let live = self.live();
        let t = trees(&live)?;
        self.ensure_space()?;
        let record = EventRecord {
            id: EventId::generate(),
            posted_by: posted_by.to_string(),
            received: crate::day::today(),
        };
        (&t.reports, &t.events, &t.ciphertexts)
            .transaction(|(reports, events, ciphertexts)| -> TxResult<()> {
                tx_report(reports, report)?;
                if ciphertexts.get(record.id.0)?.is_some() {
                    return Err(abort(StoreError::Corrupt("event id in use".into())));
                }
                events.insert(&event_key(report, record.id), record.to_bytes())?;
                ciphertexts.insert(&record.id.0, ciphertext)?;
                Ok(())
            })
            .map_err(tx_error)?;
        t.flush()?;
        Ok(record.id)
    }

    /// A report's events (in id order, which says nothing; the desk orders
    /// them by what each event says it had seen).
    pub fn events(&self, report: ReportId) -> Result<Vec<EventRecord>, StoreError> {
        let live = self.live();
        let t = trees(&live)?;
        event_keys(t, report)?
            .into_iter()
            .map(|(k, _)| {
                let raw = t
                    .events
                    .get(k)?
                    .ok_or_else(|| StoreError::Corrupt("event".into()))?;
                serde_json::from_slice(&raw).map_err(|_| StoreError::Corrupt("event".into()))
            })
            .collect()
    }

    /// One event's age file, if it belongs to `report`.
    pub fn event_ciphertext(
        &self,
        report: ReportId,
        event: EventId,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let live = self.live();
        let t = trees(&live)?;
        if t.events.get(event_key(report, event))?.is_none() {
            return Ok(None);
        }
        Ok(t.ciphertexts.get(event.0)?.map(|v| v.to_vec()))
    }
}

/// The keys (and ids) of a report's events, for listing and deletion.
pub(super) fn event_keys(
    t: &Trees,
    report: ReportId,
) -> Result<Vec<(sled::IVec, EventId)>, StoreError> {
    let mut out = Vec::new();
    for key in t.events.scan_prefix(report.0).keys() {
        let key = key?;
        let id: [u8; 16] = key
            .get(16..)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| StoreError::Corrupt("event key".into()))?;
        out.push((key, EventId(id)));
    }
    Ok(out)
}
