//! Figures for the reporting point's statistics, computed where reports can be
//! read: at the desk. Counts by month of arrival, status and language always;
//! by a questionnaire question only when staff name it (`--by form`), so free
//! text such as contact details is never printed by accident.

use std::collections::BTreeMap;
use std::io::Write;

use super::identity::DeskIdentity;
use super::mirror::Mirror;
use super::terminal::{csv_cell, line};
use super::view::{open_message, Opened, Unopened};
use super::DeskError;

/// The `--by` dimension that counts how reports came in: `web` or `phone`
/// (taken down with `desk intake`), read from inside the encrypted document.
pub const CHANNEL: &str = "channel";

/// One table: a dimension and its counts.
pub type Table = BTreeMap<String, usize>;

/// All tables, by dimension name.
pub type Tables = BTreeMap<String, Table>;

/// One dimension per month of arrival: month (`YYYY-MM`) -> value -> count.
pub type ByMonth = BTreeMap<String, Table>;

/// The dimension that counts by status (the server's word, no key needed).
pub const STATUS: &str = "status";

/// All tables, by dimension name, in a stable order. A report this identity
/// cannot open counts by month and status only, and in `unopened`.
pub fn compute(
    mirror: &Mirror,
    identity: &DeskIdentity,
    by: &[String],
    unopened: &mut Unopened,
) -> Result<BTreeMap<String, Table>, DeskError> {
    Ok(compute_with_months(mirror, identity, by, &[], unopened)?.0)
}

/// As [`compute`], and in the same pass the dimensions in `monthly` (status
/// or question ids, counted as `--by` counts them) per month of arrival.
pub fn compute_with_months(
    mirror: &Mirror,
    identity: &DeskIdentity,
    by: &[String],
    monthly: &[String],
    unopened: &mut Unopened,
) -> Result<(Tables, BTreeMap<String, ByMonth>), DeskError> {
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    let mut months: BTreeMap<String, ByMonth> = monthly
        .iter()
        .map(|d| (d.clone(), ByMonth::new()))
        .collect();
    for report in mirror.reports()? {
        let month = report.received.get(..7).unwrap_or("unknown").to_string();
        *tables
            .entry("month".into())
            .or_default()
            .entry(month.clone())
            .or_default() += 1;
        *tables
            .entry("status".into())
            .or_default()
            .entry(report.status.to_string())
            .or_default() += 1;
        if let Some(m) = months.get_mut(STATUS) {
            *m.entry(month.clone())
                .or_default()
                .entry(report.status.to_string())
                .or_default() += 1;
        }
        let messages = mirror.messages(report.id)?;
        let Some(first) = super::trust::first_listed(mirror, &report, &messages)? else {
            continue;
        };
        let doc = match open_message(mirror, identity, &report, first) {
            Ok(Opened::Reporter(doc)) => doc,
            Ok(Opened::Staff(_)) => continue,
            Err(e) => {
                unopened.note(&e, &mirror.message_path(report.id, first.id));
                continue;
            }
        };
        *tables
            .entry("language".into())
            .or_default()
            .entry(doc.lang.clone())
            .or_default() += 1;
        for question in by {
            let table = tables.entry(question.clone()).or_default();
            for v in values(&doc, question) {
                *table.entry(v).or_default() += 1;
            }
        }
        for (question, m) in months.iter_mut().filter(|(d, _)| *d != STATUS) {
            let table = m.entry(month.clone()).or_default();
            for v in values(&doc, question) {
                *table.entry(v).or_default() += 1;
            }
        }
    }
    Ok((tables, months))
}

/// The values one report counts under for `question`: its answers, trimmed
/// and lower-cased, `(empty)`, or `(not answered)`; or its channel.
fn values(doc: &crate::message::ReporterMessage, question: &str) -> Vec<String> {
    if question == CHANNEL {
        return vec![doc
            .intake
            .as_ref()
            .map_or("web", |i| i.channel.as_str())
            .to_string()];
    }
    match doc.answers.get(question) {
        Some(values) if !values.is_empty() => values
            .iter()
            .map(|v| {
                let v = v.trim().to_lowercase();
                if v.is_empty() {
                    "(empty)".into()
                } else {
                    v
                }
            })
            .collect(),
        _ => vec!["(not answered)".into()],
    }
}

/// Writes the tables as text, or as CSV (`dimension,value,count`).
pub fn write(
    tables: &BTreeMap<String, Table>,
    csv: bool,
    out: &mut dyn Write,
) -> Result<(), DeskError> {
    let w = |e| DeskError::Io("output".into(), e);
    if csv {
        writeln!(out, "dimension,value,count").map_err(w)?;
    }
    for (dimension, table) in tables {
        if !csv {
            writeln!(out, "{}", line(dimension)).map_err(w)?;
        }
        for (value, count) in table {
            if csv {
                let value = csv_cell(value);
                writeln!(out, "{},{value},{count}", line(dimension)).map_err(w)?;
            } else {
                writeln!(out, "  {:<40} {count:>6}", line(value)).map_err(w)?;
            }
        }
    }
    Ok(())
}
