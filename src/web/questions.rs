//! The questionnaire as form fields: fieldsets with legends for choices, labels
//! and hints tied to every input, so a screen reader announces each question
//! with its help text. What a reporter already chose comes back checked.

use std::collections::BTreeMap;

use fluent_bundle::FluentArgs;
use maud::{html, Markup};

use super::pages::Ctx;
use crate::questionnaire::{Question, QuestionKind, Section};

/// What the reporter sent before, shown again when the form comes back.
#[derive(Clone, Copy, Default)]
pub struct Prefill<'a> {
    fields: Option<&'a BTreeMap<String, Vec<String>>>,
}

impl<'a> Prefill<'a> {
    /// The fields of a submitted form.
    pub fn from_fields(fields: &'a BTreeMap<String, Vec<String>>) -> Self {
        Self {
            fields: Some(fields),
        }
    }

    /// The first value of a field, or "".
    pub fn value(&self, field: &str) -> &'a str {
        self.fields
            .and_then(|f| f.get(field))
            .and_then(|v| v.first())
            .map(String::as_str)
            .unwrap_or("")
    }

    fn chosen(&self, field: &str, option: &str) -> bool {
        self.fields
            .and_then(|f| f.get(field))
            .is_some_and(|v| v.iter().any(|x| x == option))
    }
}

/// Which form the questions are for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The full report form.
    Standard,
    /// The children's form: fewer questions, simpler words.
    Kids,
}

impl Variant {
    /// The hidden field value that marks a submission from this form.
    pub fn field_value(self) -> Option<&'static str> {
        match self {
            Self::Standard => None,
            Self::Kids => Some(crate::message::KIDS_VARIANT),
        }
    }

    /// The form a submission came from.
    pub fn from_field(value: Option<&str>) -> Self {
        match value {
            Some(crate::message::KIDS_VARIANT) => Self::Kids,
            _ => Self::Standard,
        }
    }
}

/// A text of the questionnaire: the children's wording first when there is one.
fn qtext(ctx: &Ctx<'_>, variant: Variant, key: &str) -> Option<String> {
    let mut args = FluentArgs::new();
    // Question texts may name the emergency number, as `Ctx::t_number` does.
    args.set("number", ctx.content.site.emergency_number.clone());
    let content = ctx.content;
    if variant == Variant::Kids {
        if let Some(t) = content.text_opt(ctx.lang, &format!("kids-{key}"), Some(&args)) {
            return Some(t);
        }
    }
    content.text_opt(ctx.lang, key, Some(&args))
}

fn required_text(ctx: &Ctx<'_>, variant: Variant, key: &str) -> String {
    qtext(ctx, variant, key).unwrap_or_else(|| key.to_string())
}

/// A section: a heading, its hint, and its questions; folded when the
/// questionnaire says so, unless the reporter already answered in it. The
/// children's form has no headings, only its own questions.
pub fn section(ctx: &Ctx<'_>, s: &Section, variant: Variant, prefill: Prefill<'_>) -> Markup {
    let questions: Vec<&Question> = s
        .questions
        .iter()
        .filter(|q| variant == Variant::Standard || q.kids)
        .collect();
    if questions.is_empty() {
        return html! {};
    }
    let key = format!("s-{}", s.id);
    let class = format!("section s-{}", s.id);
    let hint = qtext(ctx, variant, &format!("{key}-hint"));
    let body = html! {
        @if let Some(hint) = &hint {
            p class="hint" { (hint) }
        }
        @for q in &questions {
            (question(ctx, q, variant, prefill))
        }
    };
    if variant == Variant::Kids {
        return html! {
            div class=(class) {
                @for q in &questions {
                    (question(ctx, q, variant, prefill))
                }
            }
        };
    }
    let answered = questions
        .iter()
        .any(|q| !prefill.value(&q.field()).is_empty());
    html! {
        @if s.collapsed {
            details class=(class) open[answered] {
                summary { h2 { (required_text(ctx, variant, &key)) } }
                (body)
            }
        } @else {
            div class=(class) {
                h2 { (required_text(ctx, variant, &key)) }
                (body)
            }
        }
    }
}

fn question(ctx: &Ctx<'_>, q: &Question, variant: Variant, prefill: Prefill<'_>) -> Markup {
    let field = q.field();
    let key = format!("q-{}", q.id);
    let hint = qtext(ctx, variant, &format!("{key}-hint"));
    let hint_id = format!("{field}-hint");
    let described = hint.as_ref().map(|_| hint_id.as_str());
    match q.kind {
        QuestionKind::One | QuestionKind::Many => {
            let input_type = if q.kind == QuestionKind::One {
                "radio"
            } else {
                "checkbox"
            };
            html! {
                fieldset class="q" aria-describedby=[described] {
                    legend { (required_text(ctx, variant, &key)) }
                    @if let Some(hint) = &hint {
                        span class="hint" id=(hint_id) { (hint) }
                    }
                    div class="choices" {
                        @for option in q.options_for(variant == Variant::Kids) {
                            @let id = format!("{field}-{option}");
                            div class="choice" {
                                input type=(input_type) id=(id) name=(field) value=(option)
                                    checked[prefill.chosen(&field, option)];
                                label for=(id) { (required_text(ctx, variant, &format!("{key}-{option}"))) }
                            }
                        }
                    }
                }
            }
        }
        QuestionKind::Text => html! {
            label for=(field) { (required_text(ctx, variant, &key)) }
            @if let Some(hint) = &hint {
                span class="hint" id=(hint_id) { (hint) }
            }
            input type="text" id=(field) name=(field) maxlength=(q.max_chars())
                autocomplete="off" value=(prefill.value(&field)) aria-describedby=[described];
        },
        QuestionKind::Long => html! {
            label for=(field) { (required_text(ctx, variant, &key)) }
            @if let Some(hint) = &hint {
                span class="hint" id=(hint_id) { (hint) }
            }
            textarea id=(field) name=(field) rows="4" autocomplete="off" maxlength=(q.max_chars())
                aria-describedby=[described] { (prefill.value(&field)) }
        },
    }
}
