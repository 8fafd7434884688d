//! What a reporting point changes without touching Rust: the texts of every page
//! in every language (Fluent files), the site settings (phone numbers, the quick
//! exit address), and the stylesheet.
//!
//! The shipped `templates/` directory is compiled into the binary; `--templates DIR`
//! replaces any of its files with the operator's own (same names, same layout).

use std::collections::BTreeMap;
use std::path::Path;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

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
}

const SHIPPED_LOCALES: &[(&str, &str)] = &[
    ("en", include_str!("../templates/locales/en.ftl")),
    ("nl", include_str!("../templates/locales/nl.ftl")),
];
const SHIPPED_SITE: &str = include_str!("../templates/site.toml");
const SHIPPED_STYLE: &str = include_str!("../templates/style.css");

/// A telephone line shown on every page.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Phone {
    /// The number as dialled, e.g. `0800-2000`.
    pub number: String,
    /// What the line is, per language code; falls back to the default language.
    pub label: BTreeMap<String, String>,
}

/// Settings of the reporting point itself.
#[derive(Clone, Debug, serde::Deserialize)]
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
    /// Chat opening hours, per language; empty if there is no chat.
    #[serde(default)]
    pub chat_hours: BTreeMap<String, String>,
}

fn default_emergency() -> String {
    "112".to_string()
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
    /// The one stylesheet.
    pub stylesheet: String,
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
        let mut stylesheet = SHIPPED_STYLE.to_string();
        if let Some(dir) = overrides {
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
                        sources.insert(lang, read(&path)?);
                    }
                }
            }
            if dir.join("site.toml").is_file() {
                site = read(&dir.join("site.toml"))?;
            }
            if dir.join("style.css").is_file() {
                stylesheet = read(&dir.join("style.css"))?;
            }
        }
        let site: Site = toml::from_str(&site).map_err(|e| ContentError::Site(e.to_string()))?;
        let mut locales = BTreeMap::new();
        for (lang, source) in sources {
            locales.insert(lang.clone(), Locale::parse(&lang, source)?);
        }
        if !locales.contains_key(default_lang) {
            return Err(ContentError::NoDefault(default_lang.to_string()));
        }
        Ok(Self {
            locales,
            default_lang: default_lang.to_string(),
            site,
            stylesheet,
        })
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
        self.locale(lang)
            .format(key, args)
            .or_else(|| self.locale(&self.default_lang).format(key, args))
            .unwrap_or_else(|| key.to_string())
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

    /// Keys that `lang` lacks compared with the default language.
    pub fn missing_keys(&self, lang: &str) -> Vec<String> {
        let Some(reference) = self.locales.get(&self.default_lang) else {
            return Vec::new();
        };
        let Some(other) = self.locales.get(lang) else {
            return reference.keys.clone();
        };
        reference
            .keys
            .iter()
            .filter(|k| !other.bundle.has_message(k))
            .cloned()
            .collect()
    }
}

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

fn read(path: &Path) -> Result<String, ContentError> {
    std::fs::read_to_string(path).map_err(|e| read_err(path, e))
}

fn read_err(path: &Path, source: std::io::Error) -> ContentError {
    ContentError::Read {
        path: path.display().to_string(),
        source,
    }
}
