//! The partners a case can be forwarded to (`partners.toml` on the workstation):
//! who they are and the age recipients their bundles are encrypted to.

use std::collections::BTreeMap;
use std::path::Path;

use super::DeskError;

/// What kind of body a partner is; consent rules in the questionnaire name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerKind {
    /// A care coordinator or care organisation.
    Care,
    /// Another (regional) reporting point.
    ReportingPoint,
    /// The police.
    Police,
    /// Anyone else.
    Other,
}

impl PartnerKind {
    /// The name used in partners.toml and in the questionnaire's `consent_for`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Care => "care",
            Self::ReportingPoint => "reporting_point",
            Self::Police => "police",
            Self::Other => "other",
        }
    }

    /// The status a report gets when forwarded to this kind of partner.
    pub fn forwarded_status(self) -> Option<crate::status::Status> {
        use crate::status::Status;
        match self {
            Self::Care => Some(Status::ForwardedCare),
            Self::ReportingPoint => Some(Status::ForwardedReportingPoint),
            Self::Police => Some(Status::ForwardedPolice),
            Self::Other => None,
        }
    }
}

/// One partner, as written in partners.toml.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    /// What kind of body it is.
    pub kind: PartnerKind,
    /// Its age recipients (`age1...`): the bundle is encrypted to these only.
    pub recipients: Vec<String>,
    /// Who it is, in words, for the staff member choosing.
    #[serde(default)]
    pub description: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    partner: BTreeMap<String, Partner>,
}

/// Every configured partner, by name.
#[derive(Debug)]
pub struct Partners(BTreeMap<String, Partner>);

impl Partners {
    /// Reads and checks partners.toml: unknown keys, an unknown kind, a partner
    /// without recipients or with one that is not an age recipient are refused.
    pub fn load(path: &Path) -> Result<Self, DeskError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| DeskError::Io(name.clone(), e))?;
        Self::parse(&text).map_err(|e| DeskError::Usage(format!("{name}: {e}")))
    }

    /// Parses partners.toml's text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        for (name, p) in &file.partner {
            if p.recipients.is_empty() {
                return Err(format!("partner {name} has no recipients"));
            }
            p.parsed_recipients()
                .map_err(|e| format!("partner {name}: {e}"))?;
        }
        Ok(Self(file.partner))
    }

    /// The partner called `name`.
    pub fn get(&self, name: &str) -> Result<&Partner, DeskError> {
        self.0.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.0.keys().map(String::as_str).collect();
            DeskError::Usage(format!(
                "no partner {name} in partners.toml (known: {})",
                known.join(", ")
            ))
        })
    }
}

impl Partner {
    /// The recipients as age recipients: X25519 (`age1...`) only, the kind the
    /// reference `age-keygen` makes.
    pub fn parsed_recipients(&self) -> Result<Vec<age::x25519::Recipient>, String> {
        self.recipients
            .iter()
            .map(|r| {
                r.trim()
                    .parse::<age::x25519::Recipient>()
                    .map_err(|e| format!("'{r}' is not an age recipient ({e})"))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

    #[test]
    fn a_partner_in_the_documented_shape_is_read() {
        let p = Partners::parse(&format!(
            "[partner.avim-oost]\nkind = \"police\"\nrecipients = [\"{KEY}\"]\ndescription = \"Politie AVIM\"\n"
        ))
        .unwrap();
        let a = p.get("avim-oost").unwrap();
        assert_eq!(a.kind, PartnerKind::Police);
        assert_eq!(a.parsed_recipients().unwrap().len(), 1);
        assert!(p.get("other").is_err());
    }

    /// The questionnaire refuses a `consent_for` outside its list: the list
    /// must name exactly these kinds, or a consent rule could never match.
    #[test]
    fn the_questionnaires_consent_kinds_are_the_partner_kinds() {
        let kinds = [
            PartnerKind::Care,
            PartnerKind::ReportingPoint,
            PartnerKind::Police,
            PartnerKind::Other,
        ]
        .map(PartnerKind::as_str);
        assert_eq!(kinds, crate::questionnaire::CONSENT_KINDS);
    }

    #[test]
    fn unknown_keys_kinds_and_bad_recipients_are_refused() {
        for bad in [
            format!("[partner.a]\nkind = \"police\"\nrecipients = [\"{KEY}\"]\nemail = \"x\"\n"),
            format!("[partner.a]\nkind = \"friends\"\nrecipients = [\"{KEY}\"]\n"),
            "[partner.a]\nkind = \"care\"\nrecipients = []\n".to_string(),
            "[partner.a]\nkind = \"care\"\nrecipients = [\"age1nonsense\"]\n".to_string(),
            format!("[partners.a]\nkind = \"care\"\nrecipients = [\"{KEY}\"]\n"),
        ] {
            assert!(Partners::parse(&bad).is_err(), "accepted: {bad}");
        }
    }
}
