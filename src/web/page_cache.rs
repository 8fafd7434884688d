//! Pages that are the same for every reader of a language (the explaining pages
//! and the empty forms) are rendered once, at start-up: a page view then costs a
//! map lookup, not Fluent and maud, so a flood of views leaves the cores to the
//! key derivations that reports need.

use std::collections::HashMap;

use actix_web::web::Bytes;
use maud::Markup;

use super::info;
use super::pages::{self, Ctx, FormNotice};
use super::questions::Prefill;
use crate::content::Content;

/// Renders one page for a language.
type Render = fn(&Ctx<'_>) -> Markup;

fn blank_report(ctx: &Ctx<'_>) -> Markup {
    pages::report_form(ctx, Prefill::default(), FormNotice::None)
}

fn blank_kids(ctx: &Ctx<'_>) -> Markup {
    pages::kids(ctx, Prefill::default(), FormNotice::None)
}

fn blank_check(ctx: &Ctx<'_>) -> Markup {
    pages::check_form(ctx, None)
}

/// Every page served from the cache, by path.
pub const PAGES: &[(&str, Render)] = &[
    ("/", info::home),
    ("/report", blank_report),
    ("/kids", blank_kids),
    ("/check", blank_check),
    ("/safety", info::safety),
    ("/what-happens", info::what_happens),
    ("/your-code", info::your_code),
    (info::SECURITY_PATH, info::security),
];

/// The rendered pages, by path, then language (looked up without allocating).
pub struct PageCache {
    pages: HashMap<&'static str, HashMap<String, Bytes>>,
}

impl PageCache {
    /// Renders every page of [`PAGES`] in every language.
    pub fn render(content: &Content, demo: bool) -> Self {
        let mut pages: HashMap<&'static str, HashMap<String, Bytes>> = HashMap::new();
        for lang in content.lang_codes() {
            for (path, render) in PAGES {
                if *path == info::SECURITY_PATH && content.site.security_contact.is_none() {
                    continue; // no contact set: no page (404)
                }
                let ctx = Ctx {
                    content,
                    lang,
                    demo,
                    path,
                };
                let html = render(&ctx).into_string();
                pages
                    .entry(path)
                    .or_default()
                    .insert(lang.to_string(), Bytes::from(html));
            }
        }
        Self { pages }
    }

    /// The page at `path` in `lang` (a language `Content::pick_lang` returned).
    pub fn get(&self, path: &str, lang: &str) -> Option<Bytes> {
        self.pages.get(path)?.get(lang).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_is_rendered_in_every_language_and_says_which() {
        let content = Content::load(None, "nl").unwrap();
        let cache = PageCache::render(&content, false);
        for lang in content.lang_codes() {
            for (path, _) in PAGES.iter().filter(|(p, _)| *p != info::SECURITY_PATH) {
                let page = cache.get(path, lang).unwrap();
                let text = std::str::from_utf8(&page).unwrap();
                assert!(
                    text.contains(&format!("<html lang=\"{lang}\"")),
                    "{path} {lang}"
                );
            }
        }
        assert!(cache.get("/nowhere", "nl").is_none());
        // The shipped site names no security contact, so there is no page for it.
        assert!(cache.get(info::SECURITY_PATH, "nl").is_none());
    }

    #[test]
    fn the_demo_banner_is_in_the_cached_pages_of_a_demo() {
        let content = Content::load(None, "nl").unwrap();
        let demo = content.text("nl", "demo-banner");
        assert!(
            std::str::from_utf8(&PageCache::render(&content, true).get("/", "nl").unwrap())
                .unwrap()
                .contains(&demo)
        );
        assert!(
            !std::str::from_utf8(&PageCache::render(&content, false).get("/", "nl").unwrap())
                .unwrap()
                .contains(&demo)
        );
    }
}
