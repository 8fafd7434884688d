//! `desk intake`: a report taken down by phone, submitted through the reporter
//! route (`POST /report`, multipart) exactly as a browser would, so the server
//! cannot tell it from a web report. The channel and the staff member's name
//! travel in two extra form fields that the server puts only inside the
//! encrypted document ([`crate::message::Intake`]).

use std::collections::BTreeMap;

use rand::RngCore;

use super::client::Client;
use super::DeskError;
use crate::content::Content;
use crate::message::{INTAKE_BY_FIELD, INTAKE_CHANNEL_FIELD, PHONE_CHANNEL};
use crate::questionnaire::{QuestionKind, Questionnaire};

/// What the caller said: the free text and the answers (question id to the
/// values the form would send).
#[derive(Debug, Default)]
pub struct Call {
    /// The free text.
    pub message: String,
    /// Question id to option ids or the one free text.
    pub answers: BTreeMap<String, Vec<String>>,
}

impl Call {
    /// Reads an answers file: `message = "..."` and question ids with a string
    /// or a list of strings. Unknown questions and options are refused, so a
    /// typo is not silently dropped as the server would.
    pub fn parse(text: &str, questionnaire: &Questionnaire) -> Result<Self, String> {
        let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut call = Call::default();
        for (key, value) in table {
            let values: Vec<String> = match value {
                toml::Value::String(s) => vec![s],
                toml::Value::Array(a) => a
                    .into_iter()
                    .map(|v| match v {
                        toml::Value::String(s) => Ok(s),
                        _ => Err(format!("{key}: only strings")),
                    })
                    .collect::<Result<_, _>>()?,
                _ => return Err(format!("{key}: a string or a list of strings")),
            };
            if key == "message" {
                call.message = values.join("\n");
                continue;
            }
            let q = questionnaire
                .question(&key)
                .ok_or_else(|| format!("{key}: the questionnaire has no such question"))?;
            if let Some(v) = values
                .iter()
                .find(|v| !q.options.is_empty() && !q.options.contains(v))
            {
                return Err(format!(
                    "{key}: '{v}' is not one of {}",
                    q.options.join(", ")
                ));
            }
            call.answers.insert(key, values);
        }
        if call.message.trim().is_empty() {
            return Err("message: the free text is required".into());
        }
        check(questionnaire, &call.answers).map_err(|e| e.to_string())?;
        Ok(call)
    }

    /// The form fields a browser would send, plus the intake fields.
    pub fn fields(&self, lang: &str, by: &str) -> Vec<(String, String)> {
        let mut f = vec![
            ("lang".to_string(), lang.to_string()),
            ("message".to_string(), self.message.clone()),
        ];
        for (q, values) in &self.answers {
            f.extend(values.iter().map(|v| (format!("q-{q}"), v.clone())));
        }
        f.push((INTAKE_CHANNEL_FIELD.into(), PHONE_CHANNEL.into()));
        f.push((INTAKE_BY_FIELD.into(), by.to_string()));
        f
    }
}

/// The server's own rule for `answers` (one value for a one-choice question,
/// free text within its length): checked before the call is sent, so a
/// report taken down over the whole call is never refused at the end.
fn check(
    questionnaire: &Questionnaire,
    answers: &BTreeMap<String, Vec<String>>,
) -> Result<(), crate::questionnaire::AnswerError> {
    let fields = answers
        .iter()
        .map(|(q, v)| (format!("q-{q}"), v.clone()))
        .collect();
    questionnaire.answers(&fields).map(|_| ())
}

/// The option ids `given` names (`2` or `1, 3`), or `None` when a number is
/// not one of the options.
fn chosen(given: &str, options: &[String]) -> Option<Vec<String>> {
    given
        .split(',')
        .map(|n| {
            let n = n.trim().parse::<usize>().ok()?;
            options.get(n.checked_sub(1)?).cloned()
        })
        .collect()
}

/// Encodes text fields as `multipart/form-data`; returns (content type, body).
pub fn multipart(fields: &[(String, String)]) -> (String, Vec<u8>) {
    let mut random = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut random);
    let boundary = format!("----tipline{}", hex::encode(random));
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(value.as_bytes());
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The receipt code on the receipt page: the text of `id="receipt-code"`.
pub fn receipt_code(page: &str) -> Option<String> {
    let at = page.find("id=\"receipt-code\"")?;
    let rest = &page[at..];
    let start = rest.find('>')? + 1;
    let end = rest[start..].find('<')?;
    let code = rest[start..start + end].trim();
    (!code.is_empty()).then(|| code.to_string())
}

/// Submits the call; returns the receipt code.
pub fn submit(client: &Client, call: &Call, lang: &str, by: &str) -> Result<String, DeskError> {
    let (content_type, body) = multipart(&call.fields(lang, by));
    let (status, page) = client.post_reporter_form("/report", &content_type, &body)?;
    if status != 200 {
        return Err(DeskError::Server {
            status,
            what: "POST /report".into(),
            body: "the report was not accepted".into(),
        });
    }
    receipt_code(&page).ok_or_else(|| DeskError::Server {
        status,
        what: "POST /report".into(),
        body: "no receipt code on the page".into(),
    })
}

/// The texts that explain the code, in the caller's language, to read out.
pub fn explanation(content: &Content, lang: &str) -> Vec<String> {
    [
        "receipt-write-down",
        "receipt-what-it-shows",
        "receipt-come-back",
    ]
    .iter()
    .map(|k| content.text(lang, k))
    .collect()
}

/// Asks the questionnaire on the terminal, in the caller's language.
pub fn ask(
    content: &Content,
    lang: &str,
    input: &mut dyn std::io::BufRead,
    out: &mut dyn std::io::Write,
) -> Result<Call, DeskError> {
    let io = |e| DeskError::Io("terminal".into(), e);
    let mut read = |out: &mut dyn std::io::Write, prompt: &str| -> Result<String, DeskError> {
        write!(out, "{prompt}").map_err(io)?;
        out.flush().map_err(io)?;
        let mut s = String::new();
        input.read_line(&mut s).map_err(io)?;
        Ok(s.trim().to_string())
    };
    let mut call = Call::default();
    writeln!(out, "Ask each question; press Enter to skip one.").map_err(io)?;
    for q in content.questionnaire.questions() {
        writeln!(out, "\n{}", content.text(lang, &format!("q-{}", q.id))).map_err(io)?;
        for (n, o) in q.options.iter().enumerate() {
            writeln!(
                out,
                "  {}. {}",
                n + 1,
                content.text(lang, &format!("q-{}-{o}", q.id))
            )
            .map_err(io)?;
        }
        let prompt = match q.kind {
            QuestionKind::One => "number: ",
            QuestionKind::Many => "numbers, separated by commas: ",
            _ => "> ",
        };
        // Asked again until the answer is usable or skipped: a typo must not
        // silently drop an answer such as the one that flags danger.
        loop {
            let given = read(out, prompt)?;
            if given.is_empty() {
                break;
            }
            let values = if q.options.is_empty() {
                Some(vec![given])
            } else {
                chosen(&given, &q.options)
            };
            let answer = values.map(|v| BTreeMap::from([(q.id.clone(), v)]));
            match answer {
                Some(a) if check(&content.questionnaire, &a).is_ok() => {
                    call.answers.extend(a);
                    break;
                }
                _ => {
                    let hint = match q.kind {
                        QuestionKind::One => format!("one number from 1 to {}", q.options.len()),
                        QuestionKind::Many => {
                            format!("numbers from 1 to {}, separated by commas", q.options.len())
                        }
                        _ => format!("at most {} characters", q.max_chars()),
                    };
                    writeln!(out, "Not usable: give {hint}, or press Enter to skip.")
                        .map_err(io)?;
                }
            }
        }
    }
    writeln!(out, "\nWhat happened? (end with an empty line)").map_err(io)?;
    let mut lines = Vec::new();
    loop {
        let l = read(out, "")?;
        if l.is_empty() {
            break;
        }
        lines.push(l);
    }
    call.message = lines.join("\n");
    if call.message.trim().is_empty() {
        return Err(DeskError::Usage(
            "the free text is required; nothing sent".into(),
        ));
    }
    Ok(call)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Questionnaire {
        Questionnaire::parse(include_str!("../../templates/questionnaire.toml")).unwrap()
    }

    #[test]
    fn an_answers_file_with_a_typo_is_refused_and_a_good_one_read() {
        let q = shipped();
        assert!(Call::parse("message = 'x'\ndangr = 'no'\n", &q).is_err());
        assert!(Call::parse("message = 'x'\ndanger = 'maybe-not'\n", &q).is_err());
        assert!(Call::parse("danger = 'no'\n", &q).is_err());
        let c = Call::parse("message = 'x'\ndanger = 'no'\nforms = ['labour']\n", &q).unwrap();
        assert_eq!(c.answers["forms"], ["labour"]);
        let f = c.fields("nl", "Anna");
        assert!(f.contains(&("intake-channel".into(), "phone".into())));
        assert!(f.contains(&("q-forms".into(), "labour".into())));
    }

    #[test]
    fn the_terminal_dialogue_turns_numbers_into_option_ids_and_skips_blanks() {
        let content = Content::load(None, "en").unwrap();
        let n = content.questionnaire.questions().count();
        // danger: option 2 ("no"); every other question skipped; then the text.
        let mut typed = String::from("2\n");
        typed.push_str(&"\n".repeat(n - 1));
        typed.push_str("Hij werkt in een kas\nelke nacht\n\n");
        let mut out = Vec::new();
        let call = ask(&content, "en", &mut typed.as_bytes(), &mut out).unwrap();
        assert_eq!(call.answers["danger"], ["no"]);
        assert_eq!(call.answers.len(), 1);
        assert_eq!(call.message, "Hij werkt in een kas\nelke nacht");
    }

    #[test]
    fn an_unusable_number_or_two_for_one_choice_is_asked_again_never_dropped() {
        let content = Content::load(None, "en").unwrap();
        let n = content.questionnaire.questions().count();
        // danger: "yes" (a word), "1,2" (two for one), "9" (no such option),
        // then 1; every other question skipped; then the text.
        let mut typed = String::from("yes\n1,2\n9\n1\n");
        typed.push_str(&"\n".repeat(n - 1));
        typed.push_str("Ze moet nu weg\n\n");
        let mut out = Vec::new();
        let call = ask(&content, "en", &mut typed.as_bytes(), &mut out).unwrap();
        assert_eq!(call.answers["danger"], ["yes"]);
        let said = String::from_utf8(out).unwrap();
        assert_eq!(said.matches("Not usable").count(), 3, "{said}");
    }

    #[test]
    fn an_answers_file_with_two_values_for_one_choice_is_refused() {
        let q = shipped();
        assert!(Call::parse("message = 'x'\nrole = ['victim', 'parent']\n", &q).is_err());
    }

    #[test]
    fn the_receipt_code_is_read_from_its_element() {
        let page = r#"<p><strong id="receipt-code" class="code">ABCD-EFGH</strong></p>"#;
        assert_eq!(receipt_code(page).as_deref(), Some("ABCD-EFGH"));
        assert_eq!(receipt_code("<p>busy</p>"), None);
    }
}
