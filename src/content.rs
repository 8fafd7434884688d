//! What a reporting point changes without touching Rust: the texts of every page
//! in every language (Fluent files), the questions of the report form, the site
//! settings (phone numbers, the quick exit address), and the stylesheet.
//!
//! The shipped `templates/` directory is compiled into the binary; `--templates DIR`
//! replaces any of its files with the operator's own (same names, same layout).

use std::collections::BTreeMap;
use std::path::Path;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

use crate::questionnaire::{Questionnaire, QuestionnaireError};
use crate::status::Status;

/// Failures loading content; each names the file at fault.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A Fluent file has syntax errors.
    #[error("{0}: not valid Fluent")]
    Fluent(String),
    /// `site.toml` is not valid.
    #[error("site.toml: {0}")]
    Site(String),
    /// The default language has no locale file.
    #[error("no locale file for the default language '{0}'")]
    NoDefault(String),
    /// `--templates` names no directory: starting with the shipped texts would
    /// hide the operator's numbers and exit site without a word.
    #[error("templates directory {0} does not exist (or is not a directory)")]
    NoDirectory(String),
    /// `questionnaire.toml` is not valid.
    #[error(transparent)]
    Questionnaire(#[from] QuestionnaireError),
    /// The default language lacks texts the pages or the questionnaire need.
    #[error("{lang}.ftl (the default language) lacks texts: {keys}")]
    MissingTexts {
        /// The default language.
        lang: String,
        /// The missing keys, comma-separated.
        keys: String,
    },
}

const SHIPPED_LOCALES: &[(&str, &str)] = &[
    ("ar", include_str!("../templates/locales/ar.ftl")),
    ("en", include_str!("../templates/locales/en.ftl")),
    ("nl", include_str!("../templates/locales/nl.ftl")),
];
const SHIPPED_QUESTIONNAIRE: &str = include_str!("../templates/questionnaire.toml");
const SHIPPED_SITE: &str = include_str!("../templates/site.toml");
const SHIPPED_STYLE: &str = include_str!("../templates/style.css");

/// A telephone line shown on every page.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phone {
    /// The number as dialled, e.g. `0800-2000`.
    pub number: String,
    /// What the line is, per language code; falls back to the default language.
    pub label: BTreeMap<String, String>,
    /// A line for children: shown on the children's page, not in the footer.
    #[serde(default)]
    pub kids: bool,
}

/// Settings of the reporting point itself. Unknown keys are refused: a
/// misspelt or misplaced setting (a key under the last `[[phones]]`) would
/// otherwise be ignored without a word.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Where the quick-exit button goes: a neutral, common site.
    pub exit_url: String,
    /// Show a neutral page title (e.g. "Notes") instead of the site's purpose.
    #[serde(default)]
    pub neutral_title: bool,
    /// The emergency number.
    #[serde(default = "default_emergency")]
    pub emergency_number: String,
    /// Help lines, in display order.
    #[serde(default)]
    pub phones: Vec<Phone>,
    /// The chat's page; its hours are shown only with it, as a link.
    #[serde(default)]
    pub chat_url: Option<String>,
    /// Chat opening hours, per language.
    #[serde(default)]
    pub chat_hours: BTreeMap<String, String>,
    /// Where a security flaw is reported (`mailto:` or `https://`), shown on
    /// `/security`; none: the page does not exist.
    #[serde(default)]
    pub security_contact: Option<String>,
    /// Staff status (wire name) -> what the reporter sees: the `<value>` of a
    /// `check-status-<value>` text. A code can be forced out of a victim, so the
    /// reporter sees only a few safe words, never where a report went.
    #[serde(default)]
    pub reporter_status: BTreeMap<String, String>,
}

fn default_emergency() -> String {
    "112".to_string()
}

/// What the reporter sees for a status `site.toml` does not map.
fn shipped_reporter_status(status: Status) -> &'static str {
    match status {
        Status::Received => "received",
        Status::AdviceGiven | Status::Closed => "handled",
        Status::InProgress
        | Status::ForwardedCare
        | Status::ForwardedPolice
        | Status::ForwardedReportingPoint => "in-progress",
    }
}

impl Site {
    /// Checks what serde cannot: addresses and status names.
    fn check(&self) -> Result<(), ContentError> {
        let bad = |what: &str| Err(ContentError::Site(what.to_string()));
        for url in [&self.security_contact, &self.chat_url]
            .into_iter()
            .flatten()
        {
            if !(url.starts_with("mailto:")
                || url.starts_with("https://")
                || url.starts_with("http://"))
            {
                return bad(&format!("{url}: use a mailto: or https:// address"));
            }
        }
        for (status, shown) in &self.reporter_status {
            if status.parse::<Status>().is_err() {
                return bad(&format!(
                    "[reporter_status] {status}: {}",
                    crate::status::UnknownStatus
                ));
            }
            let id_like = !shown.is_empty()
                && shown
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !id_like {
                return bad(&format!("[reporter_status] {status} = \"{shown}\": use lower-case letters, digits and dashes"));
            }
        }
        if self.phones.iter().any(|p| p.number.trim().is_empty()) {
            return bad("a [[phones]] entry has no number");
        }
        Ok(())
    }
}

/// One language: its texts and its writing direction.
pub struct Locale {
    bundle: FluentBundle<FluentResource>,
    keys: Vec<String>,
    /// `ltr` or `rtl`, from the locale's own `language-dir` text.
    pub dir: String,
    /// The language's name in itself, for the switch.
    pub name: String,
}

/// All content, loaded once at start-up and shared read-only.
pub struct Content {
    locales: BTreeMap<String, Locale>,
    default_lang: String,
    /// Site settings.
    pub site: Site,
    /// The questions of the report form.
    pub questionnaire: Questionnaire,
    /// The one stylesheet.
    pub stylesheet: String,
    /// Where each file came from (name, path or "shipped"), for the start-up log.
    pub sources: Vec<(String, String)>,
}

impl Content {
    /// Loads the shipped content, with files from `overrides` taking precedence
    /// (and extra `locales/*.ftl` there adding languages).
    pub fn load(overrides: Option<&Path>, default_lang: &str) -> Result<Self, ContentError> {
        let mut sources: BTreeMap<String, String> = SHIPPED_LOCALES
            .iter()
            .map(|(l, s)| (l.to_string(), s.to_string()))
            .collect();
        let mut site = SHIPPED_SITE.to_string();
        let mut questionnaire = SHIPPED_QUESTIONNAIRE.to_string();
        let mut stylesheet = SHIPPED_STYLE.to_string();
        let mut from: BTreeMap<String, String> = ["site.toml", "questionnaire.toml", "style.css"]
            .into_iter()
            .chain(SHIPPED_LOCALES.iter().map(|(l, _)| *l))
            .map(|name| (locale_file(name), "shipped".to_string()))
            .collect();
        if let Some(dir) = overrides {
            if !dir.is_dir() {
                return Err(ContentError::NoDirectory(dir.display().to_string()));
            }
            let locales = dir.join("locales");
            if locales.is_dir() {
                let entries = std::fs::read_dir(&locales).map_err(|e| read_err(&locales, e))?;
                for entry in entries {
                    let path = entry.map_err(|e| read_err(&locales, e))?.path();
                    let lang = path
                        .file_stem()
                        .and_then(|s| s.to_str())
                        .map(str::to_string);
                    if let (Some(lang), Some("ftl")) =
                        (lang, path.extension().and_then(|e| e.to_str()))
                    {
                        sources.insert(lang.clone(), read(&path)?);
                        from.insert(format!("locales/{lang}.ftl"), path.display().to_string());
                    }
                }
            }
            if dir.join("site.toml").is_file() {
                site = read(&dir.join("site.toml"))?;
                from.insert(
                    "site.toml".into(),
                    dir.join("site.toml").display().to_string(),
                );
            }
            if dir.join("questionnaire.toml").is_file() {
                questionnaire = read(&dir.join("questionnaire.toml"))?;
                from.insert(
                    "questionnaire.toml".into(),
                    dir.join("questionnaire.toml").display().to_string(),
                );
            }
            if dir.join("style.css").is_file() {
                stylesheet = read(&dir.join("style.css"))?;
                from.insert(
                    "style.css".into(),
                    dir.join("style.css").display().to_string(),
                );
            }
        }
        let site: Site = toml::from_str(&site).map_err(|e| ContentError::Site(e.to_string()))?;
        site.check()?;
        let mut locales = BTreeMap::new();
        for (lang, source) in sources {
            locales.insert(lang.clone(), Locale::parse(&lang, source)?);
        }
        if !locales.contains_key(default_lang) {
            return Err(ContentError::NoDefault(default_lang.to_string()));
        }
        let content = Self {
            locales,
            default_lang: default_lang.to_string(),
            site,
            questionnaire: Questionnaire::parse(&questionnaire)?,
            stylesheet,
            sources: from.into_iter().collect(),
        };
        // Other languages fall back to the default one; the default has nothing
        // to fall back to, so a gap there would show a raw key to a reporter.
        let missing = content.missing_required(default_lang);
        if !missing.is_empty() {
            return Err(ContentError::MissingTexts {
                lang: default_lang.to_string(),
                keys: missing.join(", "),
            });
        }
        Ok(content)
    }

    /// The language to use for a request's `lang` value: a known one, or the default.
    pub fn pick_lang<'a>(&'a self, requested: Option<&str>) -> &'a str {
        requested
            .and_then(|l| self.locales.get_key_value(l))
            .map(|(k, _)| k.as_str())
            .unwrap_or(&self.default_lang)
    }

    /// The default language.
    pub fn default_lang(&self) -> &str {
        &self.default_lang
    }

    /// Every language, for the switch: code, name in itself.
    pub fn languages(&self) -> impl Iterator<Item = (&str, &str)> {
        self.locales
            .iter()
            .map(|(k, l)| (k.as_str(), l.name.as_str()))
    }

    /// Every language code.
    pub fn lang_codes(&self) -> impl Iterator<Item = &str> {
        self.locales.keys().map(String::as_str)
    }

    /// The locale of `lang` (which must come from `pick_lang`), else the default.
    pub fn locale(&self, lang: &str) -> &Locale {
        self.locales
            .get(lang)
            .or_else(|| self.locales.get(&self.default_lang))
            .unwrap_or_else(|| unreachable_locale())
    }

    /// A text in `lang`, falling back to the default language, then to the key
    /// itself (a visible gap rather than a crash).
    pub fn text(&self, lang: &str, key: &str) -> String {
        self.text_args(lang, key, None)
    }

    /// A text with Fluent arguments.
    pub fn text_args(&self, lang: &str, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        self.text_opt(lang, key, args)
            .unwrap_or_else(|| key.to_string())
    }

    /// A text that may be absent (hints): in `lang`, else the default language.
    pub fn text_opt(&self, lang: &str, key: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
        self.locale(lang)
            .format(key, args)
            .or_else(|| self.locale(&self.default_lang).format(key, args))
    }

    /// A per-language setting from `site.toml`, falling back to the default language.
    pub fn localised<'a>(
        &'a self,
        map: &'a BTreeMap<String, String>,
        lang: &str,
    ) -> Option<&'a str> {
        map.get(lang)
            .or_else(|| map.get(&self.default_lang))
            .map(String::as_str)
    }

    /// The text key of what the reporter sees for `status` on `/check`.
    pub fn reporter_status_key(&self, status: Status) -> String {
        let shown = self
            .site
            .reporter_status
            .get(status.as_str())
            .map(String::as_str)
            .unwrap_or_else(|| shipped_reporter_status(status));
        format!("check-status-{shown}")
    }

    /// Keys that `lang` lacks: those of the default language and those the
    /// questionnaire needs. Shown to the operator at start-up.
    pub fn missing_keys(&self, lang: &str) -> Vec<String> {
        let mut missing = self.missing_required(lang);
        if let (Some(reference), Some(other)) =
            (self.locales.get(&self.default_lang), self.locales.get(lang))
        {
            for k in &reference.keys {
                if !other.bundle.has_message(k) && !missing.contains(k) {
                    missing.push(k.clone());
                }
            }
        }
        missing
    }

    /// Keys that `lang` has and the default language does not: usually typos.
    pub fn extra_keys(&self, lang: &str) -> Vec<String> {
        match (self.locales.get(&self.default_lang), self.locales.get(lang)) {
            (Some(reference), Some(other)) => other
                .keys
                .iter()
                .filter(|k| !reference.bundle.has_message(k))
                .cloned()
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Keys the pages and the questionnaire cannot do without.
    fn missing_required(&self, lang: &str) -> Vec<String> {
        let Some(locale) = self.locales.get(lang) else {
            return Vec::new();
        };
        REQUIRED_KEYS
            .iter()
            .map(|k| k.to_string())
            .chain(self.questionnaire.text_keys())
            .chain(Status::ALL.into_iter().map(|s| self.reporter_status_key(s)))
            .filter(|k| !locale.bundle.has_message(k))
            .collect::<std::collections::BTreeSet<String>>()
            .into_iter()
            .collect()
    }
}

/// Texts without which no page can be built (the layout's frame); a gap in
/// any other text shows its key, and tests keep the shipped locales complete.
const REQUIRED_KEYS: &[&str] = &["language-name", "language-dir", "site-name", "exit-button"];

// `Content::load` guarantees the default locale exists, so this is never reached;
// it exists to avoid an `expect` on a request path.
fn unreachable_locale() -> &'static Locale {
    static EMPTY: std::sync::OnceLock<Locale> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Locale {
        bundle: FluentBundle::new_concurrent(Vec::new()),
        keys: Vec::new(),
        dir: "ltr".into(),
        name: String::new(),
    })
}

impl Locale {
    fn parse(lang: &str, source: String) -> Result<Self, ContentError> {
        let resource = FluentResource::try_new(source)
            .map_err(|_| ContentError::Fluent(format!("{lang}.ftl")))?;
        let langid = lang
            .parse::<unic_langid::LanguageIdentifier>()
            .map_err(|_| ContentError::Fluent(format!("{lang}.ftl: bad language code")))?;
        let keys = resource
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect();
        let mut bundle = FluentBundle::new_concurrent(vec![langid]);
        // No Unicode isolation marks: our arguments are plain numbers and words.
        bundle.set_use_isolating(false);
        bundle
            .add_resource(resource)
            .map_err(|_| ContentError::Fluent(format!("{lang}.ftl: duplicate keys")))?;
        let mut locale = Self {
            bundle,
            keys,
            dir: String::new(),
            name: String::new(),
        };
        locale.dir = match locale.format("language-dir", None).as_deref() {
            Some("rtl") => "rtl".into(),
            _ => "ltr".into(),
        };
        locale.name = locale
            .format("language-name", None)
            .unwrap_or_else(|| lang.to_string());
        Ok(locale)
    }

    fn format(&self, key: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
        let msg = self.bundle.get_message(key)?;
        let pattern = msg.value()?;
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        Some(text.into_owned())
    }
}

/// `nl` -> `locales/nl.ftl`; other names unchanged.
fn locale_file(name: &str) -> String {
    if name.contains('.') {
        name.to_string()
    } else {
        format!("locales/{name}.ftl")
    }
}

fn read(path: &Path) -> Result<String, ContentError> {
    std::fs::read_to_string(path).map_err(|e| read_err(path, e))
}

fn read_err(path: &Path, source: std::io::Error) -> ContentError {
    ContentError::Read {
        path: path.display().to_string(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Content {
        Content::load(None, "nl").unwrap()
    }

    #[test]
    fn every_shipped_language_has_every_text_and_no_stray_ones() {
        let c = shipped();
        assert!(
            c.lang_codes().count() >= 3,
            "nl, en and a right-to-left language"
        );
        for lang in c.lang_codes() {
            assert_eq!(
                c.missing_keys(lang),
                Vec::<String>::new(),
                "{lang} lacks texts"
            );
            assert_eq!(
                c.extra_keys(lang),
                Vec::<String>::new(),
                "{lang} has stray texts"
            );
        }
        // The check above compares with Dutch; Dutch itself against English:
        let en = Content::load(None, "en").unwrap();
        assert_eq!(en.missing_keys("nl"), Vec::<String>::new());
    }

    #[test]
    fn every_text_formats_without_errors_in_every_language() {
        let c = shipped();
        let mut args = FluentArgs::new();
        args.set("number", "112");
        args.set("limit", "100 MB");
        args.set("example", "7KQ2-M9XD-4HTB-W3NC");
        for lang in c.lang_codes() {
            let locale = c.locale(lang);
            for key in &locale.keys {
                let msg = locale.bundle.get_message(key).unwrap();
                let mut errors = Vec::new();
                let text =
                    locale
                        .bundle
                        .format_pattern(msg.value().unwrap(), Some(&args), &mut errors);
                assert!(errors.is_empty(), "{lang} {key}: {errors:?}");
                assert!(!text.trim().is_empty(), "{lang} {key} is empty");
                assert!(!text.contains('{'), "{lang} {key}: {text}");
            }
        }
    }

    #[test]
    fn every_text_the_code_asks_for_exists() {
        // Text keys appear in the page code as string literals; a typo there
        // would show the raw key to a reporter.
        let sources = [
            include_str!("web/pages.rs"),
            include_str!("web/info.rs"),
            include_str!("web/reporter.rs"),
            include_str!("web/lifecycle.rs"),
            include_str!("web/error.rs"),
            include_str!("web/questions.rs"),
        ];
        let prefixes = [
            "nav-",
            "home-",
            "report-",
            "receipt-",
            "check-",
            "kids-",
            "after-",
            "code-",
            "safety-",
            "error-",
            "delete-",
            "rotate-",
            "followup-",
            "footer-",
            "language-",
            "site-",
            "exit-",
            "skip-",
            "helplines-",
            "demo-",
            "neutral-",
            "emergency",
            "police-",
            "attachment-",
            "security-",
            "chat-",
        ];
        let c = shipped();
        let mut checked = 0;
        for source in sources {
            for literal in source.split('"').skip(1).step_by(2) {
                let is_key = literal
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && prefixes.iter().any(|p| literal.starts_with(p))
                    && !literal.ends_with('-');
                // HTML ids that look like keys.
                let ids = [
                    "code-label",
                    "code-hint",
                    "message-hint",
                    "receipt-code",
                    "report-status",
                    "attachment-hint",
                    "security-contact",
                ];
                if !is_key || ids.contains(&literal) {
                    continue;
                }
                checked += 1;
                for lang in c.lang_codes() {
                    assert!(
                        c.locale(lang).bundle.has_message(literal),
                        "{lang} has no text {literal}"
                    );
                }
            }
        }
        assert!(
            checked > 80,
            "only {checked} keys found: is the scan broken?"
        );
        for status in Status::ALL {
            for lang in c.lang_codes() {
                assert!(c
                    .locale(lang)
                    .bundle
                    .has_message(&c.reporter_status_key(status)));
            }
        }
    }

    #[test]
    fn the_shipped_help_lines_speak_every_shipped_language() {
        let c = shipped();
        for lang in c.lang_codes() {
            for phone in &c.site.phones {
                assert!(
                    phone.label.contains_key(lang),
                    "{} has no {lang} label",
                    phone.number
                );
            }
        }
    }

    #[test]
    fn the_shipped_site_names_only_public_national_lines_and_the_childrens_helpline() {
        // A reporting point's own line, chat and security contact are theirs to
        // set: the shipped file names none, so none can go live by mistake.
        let c = shipped();
        let numbers: Vec<&str> = c.site.phones.iter().map(|p| p.number.as_str()).collect();
        assert_eq!(numbers, ["0800-2000", "0800-0432"]);
        assert!(c
            .site
            .phones
            .iter()
            .any(|p| p.kids && p.number == "0800-0432"));
        assert!(c.site.chat_url.is_none() && c.site.chat_hours.is_empty());
        assert!(c.site.security_contact.is_none());
        assert!(
            c.site.neutral_title,
            "a glance at the tab shows nothing telling"
        );
    }

    /// Every formatted text of every shipped language, with its key.
    fn all_texts(c: &Content) -> Vec<(String, String, String)> {
        let mut args = FluentArgs::new();
        args.set("number", "112");
        args.set("limit", "100 MB");
        args.set("example", "7KQ2-M9XD-4HTB-W3NC");
        let mut out = Vec::new();
        for lang in c.lang_codes() {
            for key in &c.locale(lang).keys {
                let text = c.text_args(lang, key, Some(&args));
                out.push((lang.to_string(), key.clone(), text));
            }
        }
        out
    }

    #[test]
    fn arabic_texts_say_you_need_not_rather_than_you_must_not() {
        // «لا يجب أن» reads to most as a prohibition ("you must not give your name").
        let c = shipped();
        for (lang, key, text) in all_texts(&c) {
            assert!(!text.contains("لا يجب أن"), "{lang} {key}: {text}");
        }
    }

    #[test]
    fn shipped_texts_use_no_words_that_blame_victims_or_suggest_a_choice() {
        let c = shipped();
        let banned = [
            "jeugdprostitutie",
            "kinderprostitutie",
            "child prostitution",
            "sekswerk",
            "sex work",
            "العمل في الجنس",
            "دعارة الأطفال",
            "internetadres",
        ];
        let site_labels = c
            .site
            .phones
            .iter()
            .flat_map(|p| p.label.iter())
            .map(|(l, t)| (l.clone(), "site.toml".to_string(), t.clone()));
        for (lang, key, text) in all_texts(&c).into_iter().chain(site_labels) {
            let lower = text.to_lowercase();
            for word in banned {
                assert!(!lower.contains(word), "{lang} {key} says {word:?}: {text}");
            }
        }
    }

    #[test]
    fn the_police_rule_is_worded_the_same_wherever_it_is_stated() {
        let c = shipped();
        for lang in c.lang_codes() {
            let rule = c.text(lang, "police-rule");
            assert!(rule.len() > 40, "{lang}: {rule}");
            for key in ["home-step-4", "after-police", "q-police-hint"] {
                assert_eq!(c.text(lang, key), rule, "{lang} {key}");
            }
        }
    }

    #[test]
    fn an_unknown_staff_status_or_a_reporter_status_without_text_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let site = SHIPPED_SITE.replace("closed = \"handled\"", "shut = \"handled\"");
        std::fs::write(dir.path().join("site.toml"), site).unwrap();
        let err = Content::load(Some(dir.path()), "nl")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("shut"), "{err}");

        let site = SHIPPED_SITE.replace("closed = \"handled\"", "closed = \"gone\"");
        std::fs::write(dir.path().join("site.toml"), site).unwrap();
        let err = Content::load(Some(dir.path()), "nl")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("check-status-gone"), "{err}");
    }

    #[test]
    fn a_staff_status_the_site_does_not_map_shows_the_shipped_safe_text() {
        let dir = tempfile::tempdir().unwrap();
        let site = SHIPPED_SITE.replace("forwarded_police = \"in-progress\"\n", "");
        assert_ne!(site, SHIPPED_SITE);
        std::fs::write(dir.path().join("site.toml"), site).unwrap();
        let c = Content::load(Some(dir.path()), "nl").unwrap();
        assert_eq!(
            c.reporter_status_key(Status::ForwardedPolice),
            "check-status-in-progress"
        );
    }

    #[test]
    fn a_misplaced_site_setting_is_refused_rather_than_ignored() {
        // After a [[phones]] entry, a top-level key belongs to that phone.
        let dir = tempfile::tempdir().unwrap();
        let site = format!(
            "{SHIPPED_SITE}\n[[phones]]\nnumber = \"1\"\nchat_url = \"https://x.example/\"\n"
        );
        std::fs::write(dir.path().join("site.toml"), site).unwrap();
        let err = Content::load(Some(dir.path()), "nl")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("chat_url"), "{err}");
    }

    #[test]
    fn a_security_contact_or_chat_that_is_not_a_mailto_or_web_address_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        for setting in [
            "security_contact = \"security@x.example\"",
            "chat_url = \"javascript:x\"",
        ] {
            let site = format!("{setting}\n{SHIPPED_SITE}");
            std::fs::write(dir.path().join("site.toml"), site).unwrap();
            assert!(Content::load(Some(dir.path()), "nl").is_err(), "{setting}");
        }
        let site = format!("security_contact = \"mailto:s@x.example\"\n{SHIPPED_SITE}");
        std::fs::write(dir.path().join("site.toml"), site).unwrap();
        assert!(Content::load(Some(dir.path()), "nl").is_ok());
    }

    #[test]
    fn a_templates_directory_that_does_not_exist_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        let err = Content::load(Some(&missing), "nl").err().unwrap();
        assert!(matches!(err, ContentError::NoDirectory(_)), "{err}");
    }

    #[test]
    fn right_to_left_languages_say_so() {
        let c = shipped();
        let rtl: Vec<&str> = c
            .lang_codes()
            .filter(|l| c.locale(l).dir == "rtl")
            .collect();
        assert_eq!(rtl, ["ar"]);
        assert_eq!(c.locale("nl").dir, "ltr");
    }

    #[test]
    fn an_operator_locale_adds_a_language_and_gaps_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("locales")).unwrap();
        std::fs::write(
            dir.path().join("locales/pl.ftl"),
            "language-name = Polski\nlanguage-dir = ltr\nsite-name = Zgłoś wyzysk\n",
        )
        .unwrap();
        let c = Content::load(Some(dir.path()), "nl").unwrap();
        assert!(c
            .languages()
            .any(|(code, name)| code == "pl" && name == "Polski"));
        let missing = c.missing_keys("pl");
        assert!(missing.contains(&"q-role".to_string()));
        assert!(missing.contains(&"home-title".to_string()));
        // Missing texts fall back to the default language.
        assert_eq!(c.text("pl", "nav-home"), c.text("nl", "nav-home"));
        assert_eq!(c.text("pl", "site-name"), "Zgłoś wyzysk");
    }
}
