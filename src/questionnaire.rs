//! The report form's questions, as data (`templates/questionnaire.toml`), so a
//! reporting point can change them without a new build; and the one place that
//! turns submitted fields into answers.
//!
//! Only ids live here; every text a person reads comes from the locale files, so
//! a new language stays one file.

use std::collections::BTreeMap;

/// Answers as they travel in the encrypted report: question id to option ids (or
/// the one free text).
pub type Answers = BTreeMap<String, Vec<String>>;

/// A questionnaire that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QuestionnaireError {
    /// Not valid TOML, or not the expected shape.
    #[error("questionnaire.toml: {0}")]
    Syntax(String),
    /// A rule of the file format is broken; the text says which and where.
    #[error("questionnaire.toml: {0}")]
    Invalid(String),
}

/// Why submitted answers were refused. Browsers keep to the form's limits, so
/// this is what a hand-made request gets.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AnswerError {
    /// More text than the question allows.
    #[error("answer to {0} is too long")]
    TooLong(String),
    /// Several values for a question that takes one.
    #[error("several answers to {0}")]
    Several(String),
}

/// How a question is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    /// One of the options (radio buttons).
    One,
    /// Any of the options (check boxes).
    Many,
    /// One line of free text.
    Text,
    /// A few lines of free text.
    Long,
}

impl QuestionKind {
    fn takes_options(self) -> bool {
        matches!(self, Self::One | Self::Many)
    }

    fn default_max(self) -> usize {
        match self {
            Self::Long => 2000,
            _ => 200,
        }
    }
}

/// The partner kinds a `consent_for` may name (the desk's partner kinds).
pub const CONSENT_KINDS: [&str; 4] = ["care", "reporting_point", "police", "other"];

/// One question.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Id: the form field is `q-<id>`, the texts `q-<id>...`.
    pub id: String,
    /// How it is answered.
    pub kind: QuestionKind,
    /// Option ids, in display order (for `one` and `many`).
    #[serde(default)]
    pub options: Vec<String>,
    /// Most characters of a free-text answer.
    #[serde(default)]
    pub max: Option<usize>,
    /// The option that means someone is in danger right now.
    #[serde(default)]
    pub urgent: Option<String>,
    /// Asked on the children's form too.
    #[serde(default)]
    pub kids: bool,
    /// The options shown on the children's form (all if empty).
    #[serde(default)]
    pub kids_options: Vec<String>,
    /// A free-text question whose answers may be counted in figures (a region,
    /// say). Choice questions always may; other free text never is, as it can
    /// name people.
    #[serde(default)]
    pub countable: bool,
    /// The answer can identify the reporter (contact details): left out of an
    /// anonymised forward or print view.
    #[serde(default)]
    pub identifies: bool,
    /// This question asks for consent to forward to partners of this kind
    /// (`police`, `care`, ...): forwarding with the reporter's identifying
    /// answers needs the option named in `consent_named`.
    #[serde(default)]
    pub consent_for: Option<String>,
    /// The option that consents to forwarding with the reporter's name.
    #[serde(default)]
    pub consent_named: Option<String>,
}

impl Question {
    /// Most characters of a free-text answer.
    pub fn max_chars(&self) -> usize {
        self.max.unwrap_or_else(|| self.kind.default_max())
    }

    /// The options to show on the adult or the children's form.
    pub fn options_for(&self, kids: bool) -> &[String] {
        if kids && !self.kids_options.is_empty() {
            &self.kids_options
        } else {
            &self.options
        }
    }

    /// Whether `desk figures` may print this question's answers.
    pub fn may_count(&self) -> bool {
        self.kind.takes_options() || self.countable
    }

    /// The form field's name.
    pub fn field(&self) -> String {
        format!("q-{}", self.id)
    }
}

/// A group of questions under one heading.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Id: the heading text is `s-<id>`.
    pub id: String,
    /// Shown before the free text (for the few questions that matter first).
    #[serde(default)]
    pub before_message: bool,
    /// Folded away under its heading until opened (HTML `details`, no script),
    /// so a hurried reporter sees a short form.
    #[serde(default)]
    pub collapsed: bool,
    /// The questions, in display order.
    #[serde(default, rename = "question")]
    pub questions: Vec<Question>,
}

/// The whole questionnaire.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    /// Sections in display order.
    #[serde(default, rename = "section")]
    pub sections: Vec<Section>,
}

impl Questionnaire {
    /// Reads and checks a questionnaire file's text.
    pub fn parse(source: &str) -> Result<Self, QuestionnaireError> {
        let q: Self =
            toml::from_str(source).map_err(|e| QuestionnaireError::Syntax(e.to_string()))?;
        q.check()?;
        Ok(q)
    }

    fn check(&self) -> Result<(), QuestionnaireError> {
        let bad = |m: String| Err(QuestionnaireError::Invalid(m));
        let mut sections = std::collections::BTreeSet::new();
        let mut questions = std::collections::BTreeSet::new();
        for s in &self.sections {
            if !is_id(&s.id) || !sections.insert(s.id.as_str()) {
                return bad(format!(
                    "section id '{}' is not a unique [a-z0-9-] id",
                    s.id
                ));
            }
            for q in &s.questions {
                if !is_id(&q.id) || !questions.insert(q.id.as_str()) {
                    return bad(format!(
                        "question id '{}' is not a unique [a-z0-9-] id",
                        q.id
                    ));
                }
                let mut options = std::collections::BTreeSet::new();
                for o in &q.options {
                    if !is_id(o) || !options.insert(o.as_str()) {
                        return bad(format!(
                            "question '{}': option '{o}' is not a unique [a-z0-9-] id",
                            q.id
                        ));
                    }
                }
                if q.kind.takes_options() == q.options.is_empty() {
                    return bad(format!(
                        "question '{}': kinds one and many need options, text and long take none",
                        q.id
                    ));
                }
                if let Some(o) = q
                    .kids_options
                    .iter()
                    .find(|o| !options.contains(o.as_str()))
                {
                    return bad(format!(
                        "question '{}': kids option '{o}' is not an option",
                        q.id
                    ));
                }
                if let Some(u) = &q.urgent {
                    if !options.contains(u.as_str()) {
                        return bad(format!(
                            "question '{}': urgent '{u}' is not an option",
                            q.id
                        ));
                    }
                }
                if q.consent_for.is_some() != q.consent_named.is_some() {
                    return bad(format!(
                        "question '{}': consent_for and consent_named go together",
                        q.id
                    ));
                }
                if let Some(kind) = &q.consent_for {
                    // A misspelt kind would match no partner: no consent asked.
                    if !CONSENT_KINDS.contains(&kind.as_str()) {
                        return bad(format!(
                            "question '{}': consent_for '{kind}' is not one of {}",
                            q.id,
                            CONSENT_KINDS.join(", ")
                        ));
                    }
                }
                if let Some(c) = &q.consent_named {
                    if !options.contains(c.as_str()) {
                        return bad(format!(
                            "question '{}': consent_named '{c}' is not an option",
                            q.id
                        ));
                    }
                }
                if q.max == Some(0) {
                    return bad(format!("question '{}': max must be above 0", q.id));
                }
            }
        }
        Ok(())
    }

    /// Every question, in display order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    /// The text keys every locale must have for this questionnaire (hints and
    /// children's variants are optional: they fall back).
    pub fn text_keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        for s in &self.sections {
            keys.push(format!("s-{}", s.id));
            for q in &s.questions {
                keys.push(format!("q-{}", q.id));
                keys.extend(q.options.iter().map(|o| format!("q-{}-{o}", q.id)));
            }
        }
        keys
    }

    /// Turns submitted form fields into answers: only known questions and known
    /// options are kept (a form opened before the questionnaire changed still
    /// goes through), blanks are dropped, choices keep the questionnaire's order.
    pub fn answers(&self, fields: &BTreeMap<String, Vec<String>>) -> Result<Answers, AnswerError> {
        let mut answers = Answers::new();
        for q in self.questions() {
            let given: Vec<&str> = fields
                .get(&q.field())
                .map(|v| {
                    v.iter()
                        .map(|s| s.trim())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            if given.is_empty() {
                continue;
            }
            let values: Vec<String> = match q.kind {
                QuestionKind::One | QuestionKind::Many => {
                    if q.kind == QuestionKind::One && given.len() > 1 {
                        return Err(AnswerError::Several(q.id.clone()));
                    }
                    q.options
                        .iter()
                        .filter(|o| given.contains(&o.as_str()))
                        .cloned()
                        .collect()
                }
                QuestionKind::Text | QuestionKind::Long => {
                    if given.len() > 1 {
                        return Err(AnswerError::Several(q.id.clone()));
                    }
                    if given[0].chars().count() > q.max_chars() {
                        return Err(AnswerError::TooLong(q.id.clone()));
                    }
                    vec![given[0].to_string()]
                }
            };
            if !values.is_empty() {
                answers.insert(q.id.clone(), values);
            }
        }
        Ok(answers)
    }

    /// Whether the answers say someone is in danger right now.
    pub fn is_urgent(&self, answers: &Answers) -> bool {
        self.questions().any(|q| {
            q.urgent
                .as_ref()
                .is_some_and(|u| answers.get(&q.id).is_some_and(|v| v.contains(u)))
        })
    }

    /// Whether `answers` consent to forwarding with the reporter's name to a
    /// partner of `kind`: `None` when the questionnaire asks nothing about that
    /// kind (no rule), else whether the consenting option was chosen.
    pub fn consents_named(&self, kind: &str, answers: &Answers) -> Option<bool> {
        let q = self
            .questions()
            .find(|q| q.consent_for.as_deref() == Some(kind))?;
        let named = q.consent_named.as_deref()?;
        Some(
            answers
                .get(&q.id)
                .is_some_and(|v| v.iter().any(|a| a == named)),
        )
    }

    /// Answers without those the questionnaire marks as identifying the
    /// reporter (for an anonymised forward or print view).
    pub fn without_identifying(&self, answers: &Answers) -> Answers {
        answers
            .iter()
            .filter(|(id, _)| !self.question(id).is_some_and(|q| q.identifies))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().find(|q| q.id == id)
    }
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Questionnaire {
        Questionnaire::parse(include_str!("../templates/questionnaire.toml")).unwrap()
    }

    fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
        let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in pairs {
            m.entry(k.to_string()).or_default().push(v.to_string());
        }
        m
    }

    #[test]
    fn the_shipped_questionnaire_asks_what_the_reporting_points_need() {
        let q = shipped();
        for id in [
            "role",
            "field",
            "forms",
            "signals",
            "minor",
            "where",
            "danger",
            "contact",
            "contact-how",
            "contact-when",
            "police",
        ] {
            assert!(q.question(id).is_some(), "no question {id}");
        }
        assert!(q.questions().any(|q| q.urgent.is_some()));
        assert!(q.questions().any(|q| q.kids));
    }

    #[test]
    fn answers_keep_known_choices_in_order_and_drop_the_rest() {
        let q = shipped();
        let a = q
            .answers(&fields(&[
                ("q-forms", "criminal"),
                ("q-forms", "labour"),
                ("q-forms", "made-up"),
                ("q-role", "worried"),
                ("q-where", "  Almere "),
                ("q-minor", ""),
                ("q-nonsense", "x"),
                ("message", "not an answer"),
            ]))
            .unwrap();
        assert_eq!(a["forms"], ["labour", "criminal"]);
        assert_eq!(a["role"], ["worried"]);
        assert_eq!(a["where"], ["Almere"]);
        assert_eq!(a.len(), 3, "{a:?}");
    }

    #[test]
    fn two_answers_to_a_single_choice_or_an_overlong_text_are_refused() {
        let q = shipped();
        assert_eq!(
            q.answers(&fields(&[("q-role", "victim"), ("q-role", "parent")])),
            Err(AnswerError::Several("role".into()))
        );
        let long = "x".repeat(201);
        assert_eq!(
            q.answers(&fields(&[("q-where", &long)])),
            Err(AnswerError::TooLong("where".into()))
        );
        let exact = "é".repeat(200);
        assert!(q.answers(&fields(&[("q-where", &exact)])).is_ok());
    }

    #[test]
    fn the_shipped_consent_rule_lets_only_with_name_reach_the_police_named() {
        let q = shipped();
        let with = q.answers(&fields(&[("q-police", "with-name")])).unwrap();
        let anon = q.answers(&fields(&[("q-police", "anonymised")])).unwrap();
        assert_eq!(q.consents_named("police", &with), Some(true));
        assert_eq!(q.consents_named("police", &anon), Some(false));
        assert_eq!(q.consents_named("police", &Answers::new()), Some(false));
        assert_eq!(q.consents_named("care", &with), None);
    }

    #[test]
    fn identifying_answers_are_left_out_and_the_rest_kept() {
        let q = shipped();
        let a = q
            .answers(&fields(&[
                ("q-contact-how", "06-12345678"),
                ("q-contact-when", "evenings"),
                ("q-where", "Almere"),
            ]))
            .unwrap();
        let kept = q.without_identifying(&a);
        assert!(!kept.contains_key("contact-how"));
        assert!(!kept.contains_key("contact-when"));
        assert_eq!(kept["where"], ["Almere"]);
    }

    #[test]
    fn danger_now_is_urgent_and_nothing_else_is() {
        let q = shipped();
        let yes = q.answers(&fields(&[("q-danger", "yes")])).unwrap();
        let no = q.answers(&fields(&[("q-danger", "no")])).unwrap();
        assert!(q.is_urgent(&yes));
        assert!(!q.is_urgent(&no));
        assert!(!q.is_urgent(&Answers::new()));
    }

    #[test]
    fn broken_questionnaires_are_refused_with_the_reason() {
        for (src, why) in [
            ("[[section]]\nid='a'\n[[section.question]]\nid='x'\nkind='one'\n", "need options"),
            ("[[section]]\nid='a'\n[[section.question]]\nid='x'\nkind='text'\noptions=['a']\n", "need options"),
            ("[[section]]\nid='a'\n[[section.question]]\nid='X'\nkind='text'\n", "unique"),
            ("[[section]]\nid='a'\n[[section.question]]\nid='x'\nkind='text'\n[[section.question]]\nid='x'\nkind='text'\n", "unique"),
            ("[[section]]\nid='a'\n[[section.question]]\nid='x'\nkind='one'\noptions=['a']\nurgent='b'\n", "urgent"),
            ("[[section]]\nid='a'\n[[section.question]]\nid='x'\nkind='one'\noptions=['a']\nkids_options=['b']\n", "kids option"),
            ("[[section]]\nid='a'\n[[section.question]]\nid='x'\nkind='many'\noptions=['a','a']\n", "unique"),
            ("[[section]]\nid='a'\n[[section.question]]\nid='x'\nkind='one'\noptions=['y']\nconsent_for='politie'\nconsent_named='y'\n", "consent_for 'politie'"),
            ("[[section]]\nid='a'\n[[section.question]]\nid='x'\nkind='maybe'\n", ""),
            ("[[section]]\nid='a'\nextra=1\n", ""),
        ] {
            let err = Questionnaire::parse(src).unwrap_err().to_string();
            assert!(err.contains(why), "{src}: {err}");
        }
    }

    #[test]
    fn text_keys_name_every_section_question_and_option() {
        let q = Questionnaire::parse(
            "[[section]]\nid='a'\n[[section.question]]\nid='x'\nkind='one'\noptions=['p','q']\n",
        )
        .unwrap();
        assert_eq!(q.text_keys(), ["s-a", "q-x", "q-x-p", "q-x-q"]);
    }
}
