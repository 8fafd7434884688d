//! The staff texts of the desk (browser pages and the print view) in Dutch
//! and English: Fluent files shipped in the binary, looked up by key.
//!
//! These are part of the program, not operator content (that is
//! `templates/`): a reporting point changes the reporter's texts and the
//! questionnaire, never the words of its own staff tools. Use [`t`] for a
//! plain text and [`t_args`] for one with numbers or names (Fluent selects
//! the right plural form per language).

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// The Fluent sources, per language, in [`Lang::ALL`]'s order.
const SOURCES: [(Lang, &str); 2] = [
    (Lang::Nl, include_str!("locales/nl.ftl")),
    (Lang::En, include_str!("locales/en.ftl")),
];

/// A language of the staff pages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// Dutch: the language of the reporting points (and `desk serve`'s default).
    #[default]
    Nl,
    /// English.
    En,
}

impl Lang {
    /// Every staff language, in the order the language switch offers them.
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// The language code (`nl`), as in `html lang` and the switch's form.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// The language with this code, if it is a staff language.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The staff language for `desk serve --lang CODE`: that language when
    /// the staff pages have it, else English (more widely read than Dutch by
    /// a colleague who asked for another language).
    pub fn for_desk(code: &str) -> Lang {
        Lang::from_code(code).unwrap_or(Lang::En)
    }

    /// The language's own name, for the switch.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Nl => "Nederlands",
            Lang::En => "English",
        }
    }
}

/// The parsed texts. Built once on first use from the sources compiled in:
/// they never change while the program runs, so there is nothing to pass
/// around.
fn bundles() -> &'static [FluentBundle<FluentResource>; 2] {
    static BUNDLES: OnceLock<[FluentBundle<FluentResource>; 2]> = OnceLock::new();
    BUNDLES.get_or_init(|| SOURCES.map(|(lang, source)| bundle(lang, source)))
}

fn bundle(lang: Lang, source: &str) -> FluentBundle<FluentResource> {
    // A syntax error keeps the entries that parsed; the unit tests make sure
    // there is none in what we ship.
    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, _)| r);
    let ids = lang
        .code()
        .parse::<unic_langid::LanguageIdentifier>()
        .into_iter()
        .collect();
    let mut bundle = FluentBundle::new_concurrent(ids);
    // No Unicode isolation marks: arguments are numbers, dates and names
    // that maud escapes; the marks would only confuse copy and paste.
    bundle.set_use_isolating(false);
    // Duplicate keys are refused by the unit tests; the first one wins here.
    let _ = bundle.add_resource(resource);
    bundle
}

fn format(lang: Lang, key: &str, args: Option<&FluentArgs<'_>>) -> String {
    let bundle = &bundles()[Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0)];
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        // A missing text shows its key rather than nothing (the tests make
        // sure every key the code names exists).
        return key.to_string();
    };
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, args, &mut errors)
        .into_owned()
}

/// The text `key` in `lang`.
pub fn t(lang: Lang, key: &str) -> String {
    format(lang, key, None)
}

/// The text `key` in `lang` with its arguments (`count` selects the plural).
pub fn t_args(lang: Lang, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        fluent.set(*name, value.clone());
    }
    format(lang, key, Some(&fluent))
}

/// A status's name for staff; the form values stay the wire names.
pub fn status_name(lang: Lang, status: crate::status::Status) -> String {
    t(lang, &format!("status-{}", status.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Status;

    fn keys(source: &str) -> Vec<String> {
        let resource = FluentResource::try_new(source.to_string())
            .unwrap_or_else(|(_, e)| panic!("syntax errors: {e:?}"));
        let mut keys: Vec<String> = resource
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect();
        let all = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), all, "a key appears twice");
        keys
    }

    /// The keys the code names as `t(lang, "key")`, `t_args(lang, "key", ..)`
    /// or `Input("key")` (an error that names its text).
    fn keys_named_in(source: &str) -> Vec<String> {
        let mut found = Vec::new();
        for (at, _) in source.match_indices("Input(\"") {
            let literal = &source[at + "Input(\"".len()..];
            if let Some(end) = literal.find('"') {
                found.push(literal[..end].to_string());
            }
        }
        for call in ["t(", "t_args("] {
            for (at, _) in source.match_indices(call) {
                let before = source[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = source[at + call.len()..].trim_start();
                // The language argument: a name or a field, then `,` and the
                // key (rustfmt may put each on its own line).
                let lang_end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                    .unwrap_or(0);
                let Some(literal) = rest[lang_end..]
                    .strip_prefix(',')
                    .and_then(|r| r.trim_start().strip_prefix('"'))
                else {
                    continue;
                };
                if let Some(end) = literal.find('"') {
                    found.push(literal[..end].to_string());
                }
            }
        }
        found
    }

    const CODE: &[&str] = &[
        include_str!("web/views.rs"),
        include_str!("web/handlers.rs"),
        include_str!("web/error.rs"),
        include_str!("web/gate.rs"),
        include_str!("web/mod.rs"),
        include_str!("print.rs"),
        include_str!("web/case_views.rs"),
        include_str!("web/figure_views.rs"),
        include_str!("web/figures_monthly.rs"),
    ];

    #[test]
    fn both_staff_languages_have_the_same_texts_and_no_stray_ones() {
        let nl = keys(SOURCES[0].1);
        let en = keys(SOURCES[1].1);
        let missing_in_en: Vec<_> = nl.iter().filter(|k| !en.contains(k)).collect();
        let missing_in_nl: Vec<_> = en.iter().filter(|k| !nl.contains(k)).collect();
        assert!(missing_in_en.is_empty(), "en lacks {missing_in_en:?}");
        assert!(missing_in_nl.is_empty(), "nl lacks {missing_in_nl:?}");
        // No stray texts: every key is named by the code (or built from a status).
        let named: Vec<String> = CODE.iter().flat_map(|s| keys_named_in(s)).collect();
        let stray: Vec<_> = nl
            .iter()
            .filter(|k| !named.contains(k))
            .filter(|k| {
                !Status::ALL
                    .iter()
                    .any(|s| **k == format!("status-{}", s.as_str()))
            })
            .collect();
        assert!(stray.is_empty(), "texts no code asks for: {stray:?}");
    }

    #[test]
    fn every_staff_text_the_code_names_exists_in_both_languages() {
        let named: Vec<String> = CODE.iter().flat_map(|s| keys_named_in(s)).collect();
        assert!(
            named.len() > 100,
            "only {} keys found: is the scan broken?",
            named.len()
        );
        for lang in Lang::ALL {
            let bundle = &bundles()[Lang::ALL.iter().position(|l| *l == lang).unwrap()];
            for key in &named {
                assert!(bundle.has_message(key), "{} has no text {key}", lang.code());
            }
            for status in Status::ALL {
                assert_ne!(
                    status_name(lang, status),
                    format!("status-{}", status.as_str())
                );
            }
        }
    }

    #[test]
    fn every_staff_text_formats_without_errors_with_one_and_with_many() {
        for (lang, source) in SOURCES {
            for count in [0u64, 1, 2, 5] {
                let mut args = FluentArgs::new();
                args.set("count", count);
                args.set("pulled", count);
                args.set("sent", count);
                for name in [
                    "name", "date", "tags", "who", "status", "id", "title", "file", "size", "day",
                    "partner", "how", "what", "reason", "note", "sees", "lang", "tag", "detail",
                ] {
                    args.set(name, "x");
                }
                for key in keys(source) {
                    let bundle = &bundles()[Lang::ALL.iter().position(|l| *l == lang).unwrap()];
                    let msg = bundle.get_message(&key).unwrap();
                    let mut errors = Vec::new();
                    let text =
                        bundle.format_pattern(msg.value().unwrap(), Some(&args), &mut errors);
                    assert!(errors.is_empty(), "{} {key}: {errors:?}", lang.code());
                    assert!(!text.trim().is_empty(), "{} {key} is empty", lang.code());
                    assert!(!text.contains('{'), "{} {key}: {text}", lang.code());
                }
            }
        }
    }

    #[test]
    fn counts_take_the_plural_of_their_language() {
        let one = t_args(Lang::Nl, "figures-unopened", &[("count", 1.into())]);
        let many = t_args(Lang::Nl, "figures-unopened", &[("count", 3.into())]);
        assert!(one.starts_with("1 melding kon"), "{one}");
        assert!(many.starts_with("3 meldingen konden"), "{many}");
        let one = t_args(Lang::En, "figures-unopened", &[("count", 1.into())]);
        let many = t_args(Lang::En, "figures-unopened", &[("count", 3.into())]);
        assert!(one.starts_with("1 report could"), "{one}");
        assert!(many.starts_with("3 reports could"), "{many}");
    }

    #[test]
    fn the_desk_language_follows_lang_and_falls_back_to_english() {
        assert_eq!(Lang::for_desk("nl"), Lang::Nl);
        assert_eq!(Lang::for_desk("en"), Lang::En);
        assert_eq!(Lang::for_desk("ar"), Lang::En);
        assert_ne!(t(Lang::Nl, "nav-inbox"), t(Lang::En, "nav-inbox"));
        assert_ne!(t(Lang::Nl, "inbox-empty"), t(Lang::En, "inbox-empty"));
    }
}
