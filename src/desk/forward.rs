//! `desk forward`: hands a case on to a partner as one age file encrypted to
//! the partner's recipients only; a tar the partner opens with the reference
//! `age -d` and `tar`, with a cover sheet that says what it is.
//!
//! Consent decides, by rules in the questionnaire (`consent_for`,
//! `consent_named`, `identifies`): without the reporter's consent to be named,
//! only an anonymised bundle goes, unless staff state an acute danger.

use zeroize::Zeroizing;

use super::case_content::CaseContent;
use super::mirror::Mirror;
use super::partners::Partner;
use super::view::Labels;
use super::DeskError;
use crate::questionnaire::{Answers, Questionnaire};

/// The cover sheet's format name, so a partner's tools can recognise a bundle.
pub const FORMAT: &str = "tipline-forward-bundle/1";

/// What the staff member asked for, beyond the content.
pub struct Request<'a> {
    /// The partner's name in partners.toml.
    pub partner_name: &'a str,
    /// The partner.
    pub partner: &'a Partner,
    /// Who sends it (the reporting point), for the cover sheet.
    pub from: &'a str,
    /// Someone is in danger now: the reason staff give for forwarding without
    /// the consent the questionnaire asks for.
    pub acute_danger: Option<&'a str>,
}

/// The cover sheet (`cover.json`), also written in words as `README.txt`.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Cover {
    /// [`FORMAT`].
    pub format: String,
    /// The sending reporting point.
    pub from: String,
    /// The partner it is for.
    pub to: String,
    /// The partner's kind.
    pub to_kind: String,
    /// The day it was made (UTC).
    pub day: String,
    /// The reporting point's report id, to refer back.
    pub report: String,
    /// The day the report arrived.
    pub received: String,
    /// The reporter's consent answers, per kind of partner asked about
    /// (`police: with-name`; `anonymised`, `no`, `unsure`, `not answered`).
    pub consent: String,
    /// Whether answers that identify the reporter were left out.
    pub anonymised: bool,
    /// Why it was forwarded without consent (someone in danger now), if so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acute_danger_reason: Option<String>,
    /// The files in the bundle.
    pub included: Vec<String>,
}

/// Whether the questionnaire's consent rule lets this go; the refusal says what
/// would make it go.
pub fn check_consent(
    questionnaire: &Questionnaire,
    partner: &Partner,
    answers: &Answers,
    anonymised: bool,
    acute_danger: Option<&str>,
) -> Result<(), DeskError> {
    let kind = partner.kind.as_str();
    if anonymised || questionnaire.consents_named(kind, answers) != Some(false) {
        return Ok(());
    }
    match acute_danger.map(str::trim) {
        Some(reason) if !reason.is_empty() => Ok(()),
        Some(_) => Err(DeskError::Usage(
            "--acute-danger needs --reason saying who is in danger now and why".into(),
        )),
        None => Err(DeskError::Refused(format!(
            "the reporter did not consent to be named to a {kind} partner: forward with --anonymised, or, when someone is in danger now, --acute-danger --reason TEXT"
        ))),
    }
}

/// The reporter's consent answers as the cover sheet names them:
/// `police: with-name`, one per consent question in the questionnaire.
fn consent_answers(questionnaire: &Questionnaire, answers: &Answers) -> String {
    let all: Vec<String> = questionnaire
        .questions()
        .filter_map(|q| {
            let kind = q.consent_for.as_deref()?;
            let given = answers
                .get(&q.id)
                .map(|v| v.join(", "))
                .unwrap_or_else(|| "not answered".into());
            Some(format!("{kind}: {given}"))
        })
        .collect();
    if all.is_empty() {
        "no consent question".into()
    } else {
        all.join("; ")
    }
}

/// Builds the bundle (a tar, in memory, wiped on drop). `all_answers` are the
/// report's answers before anonymising, for the consent answer only.
pub fn bundle(
    content: &CaseContent,
    all_answers: &Answers,
    labels: &Labels<'_>,
    questionnaire: &Questionnaire,
    request: &Request<'_>,
) -> Result<(Cover, Zeroizing<Vec<u8>>), DeskError> {
    let mut files: Vec<(String, Zeroizing<Vec<u8>>)> = Vec::new();
    let text = |s: String| Zeroizing::new(s.into_bytes());
    let answers_json = serde_json::to_vec_pretty(&content.answers)
        .map_err(|e| DeskError::Mirror(format!("answers: {e}")))?;
    files.push((
        "report/answers.txt".into(),
        text(labels.lines(&content.answers).join("\n") + "\n"),
    ));
    files.push(("report/answers.json".into(), Zeroizing::new(answers_json)));
    files.push((
        "report/message.txt".into(),
        text(content.message.clone() + "\n"),
    ));
    for (n, e) in content.conversation.iter().enumerate() {
        files.push((
            format!("conversation/{:03}-{}-{}.txt", n + 1, e.day, e.author),
            text(e.text.clone() + "\n"),
        ));
    }
    for f in &content.files {
        files.push((format!("attachments/{}", f.name), f.data.clone()));
    }
    let kind = request.partner.kind.as_str();
    let mut cover = Cover {
        format: FORMAT.into(),
        from: request.from.to_string(),
        to: request.partner_name.to_string(),
        to_kind: kind.into(),
        day: crate::day::today(),
        report: content.report.clone(),
        received: content.received.clone(),
        consent: consent_answers(questionnaire, all_answers),
        anonymised: content.anonymised,
        acute_danger_reason: request.acute_danger.map(|r| r.trim().to_string()),
        included: files.iter().map(|(n, _)| n.clone()).collect(),
    };
    cover.included.sort();
    let cover_json = serde_json::to_vec_pretty(&cover)
        .map_err(|e| DeskError::Mirror(format!("cover sheet: {e}")))?;
    let mut all = vec![
        ("README.txt".to_string(), text(readme(&cover))),
        ("cover.json".to_string(), Zeroizing::new(cover_json)),
    ];
    all.extend(files);
    Ok((cover, tar(&all)?))
}

/// The cover sheet in words.
fn readme(c: &Cover) -> String {
    let mut s = format!(
        "Forwarded report\n================\n\nFrom: {}\nTo: {} ({})\nDay: {}\nReport: {} (received {})\nConsent: {}\nAnonymised: {}\n",
        c.from,
        c.to,
        c.to_kind,
        c.day,
        c.report,
        c.received,
        c.consent,
        if c.anonymised {
            "yes: the answers that identify the reporter are left out; the free text is as written, check it before passing it on"
        } else {
            "no"
        }
    );
    if let Some(r) = &c.acute_danger_reason {
        s.push_str(&format!(
            "Forwarded because someone is in danger now: {r}\n"
        ));
    }
    s.push_str("\nFiles:\n");
    for f in &c.included {
        s.push_str(&format!("  {f}\n"));
    }
    s.push_str("\nThis is a confidential report. Keep it encrypted; do not pass it on without the reporting point.\n");
    s
}

/// Writes the files as a ustar archive, dated to the day, mode 0644.
fn tar(files: &[(String, Zeroizing<Vec<u8>>)]) -> Result<Zeroizing<Vec<u8>>, DeskError> {
    let err = |e: std::io::Error| DeskError::Mirror(format!("building the bundle: {e}"));
    let mut builder = tar::Builder::new(Vec::new());
    let day = u64::try_from(crate::day::midnight_unix()).unwrap_or(0);
    for (name, data) in files {
        let mut header = tar::Header::new_ustar();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(day);
        header.set_entry_type(tar::EntryType::Regular);
        builder
            .append_data(&mut header, format!("bundle/{name}"), &data[..])
            .map_err(err)?;
    }
    builder.into_inner().map(Zeroizing::new).map_err(err)
}

/// Encrypts the bundle to the partner's recipients only.
pub fn seal(partner: &Partner, bundle: &[u8]) -> Result<Vec<u8>, DeskError> {
    let recipients = partner
        .parsed_recipients()
        .map_err(|e| DeskError::Usage(format!("partner: {e}")))?;
    crate::envelope::seal(bundle, crate::envelope::as_recipients(&recipients))
        .map_err(|e| DeskError::Mirror(format!("encrypting the bundle: {e}")))
}

/// Writes `data` to a new file only the owner can read (a partial one is
/// removed).
pub fn write_private(path: &std::path::Path, data: &[u8]) -> Result<(), DeskError> {
    crate::fsutil::write_new_private(path, data)
        .map_err(|e| DeskError::Io(path.display().to_string(), e))
}

/// Records the forward in the desk's audit log (MIRROR/audit), encrypted to the
/// centre: partner, anonymised or not, what was included, the reason if any.
/// Returns its file, so a forward that fails after it can withdraw it.
pub fn record(
    mirror: &Mirror,
    cover: &Cover,
    recipients: &[&dyn age::Recipient],
) -> Result<std::path::PathBuf, DeskError> {
    let mut reason = format!(
        "to {} ({}); {}; included: {}",
        cover.to,
        cover.to_kind,
        if cover.anonymised {
            "anonymised"
        } else {
            "with identifying answers"
        },
        cover.included.join(", ")
    );
    if let Some(r) = &cover.acute_danger_reason {
        reason.push_str(&format!("; acute danger: {r}"));
    }
    let entry = super::delete::AuditEntry {
        action: "forward".into(),
        report: cover.report.clone(),
        reason,
        day: cover.day.clone(),
    };
    super::delete::record(mirror, &entry, recipients)
}

/// A bundle opened: the cover sheet and every file, in memory.
pub struct Opened {
    /// The cover sheet.
    pub cover: Cover,
    /// Every file (path inside the bundle, bytes), in archive order.
    pub files: Vec<(String, Zeroizing<Vec<u8>>)>,
}

/// Decrypts and unpacks a bundle with the partner's identity.
pub fn open(
    identity: &super::identity::DeskIdentity,
    path: &std::path::Path,
) -> Result<Opened, DeskError> {
    use std::io::Read;
    let plain = identity.open_file("bundle", path)?;
    let bad = |e: std::io::Error| DeskError::Mirror(format!("not a forward bundle: {e}"));
    let mut archive = tar::Archive::new(&plain[..]);
    let mut files = Vec::new();
    for entry in archive.entries().map_err(bad)? {
        let mut entry = entry.map_err(bad)?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let mut data = Zeroizing::new(Vec::new());
        entry.read_to_end(&mut data).map_err(bad)?;
        files.push((name, data));
    }
    let cover = files
        .iter()
        .find(|(n, _)| n == "bundle/cover.json")
        .and_then(|(_, d)| serde_json::from_slice::<Cover>(d).ok())
        .ok_or_else(|| DeskError::Mirror("not a forward bundle: no cover sheet".into()))?;
    Ok(Opened { cover, files })
}
