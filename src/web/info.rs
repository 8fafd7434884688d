//! The pages that explain rather than ask: the start page, what happens after a
//! report, how the receipt code works, and how to stay safe. A frightened reader
//! should find each in one click from every page.

use maud::{html, Markup};

use super::pages::{layout, Ctx};

/// What a code looks like. Fixed, so no reporter mistakes it for theirs; joined
/// by non-breaking hyphens so a narrow screen does not split it.
const EXAMPLE_CODE: &str = "7KQ2\u{2011}M9XD\u{2011}4HTB\u{2011}W3NC";

/// `/`: what this is, who may report, where to start, and the steps in short.
pub fn home(ctx: &Ctx<'_>) -> Markup {
    let body = html! {
        h1 { (ctx.t("home-title")) }
        p class="lead" { (ctx.t("home-intro")) }
        p { (ctx.t("home-who")) }
        div class="actions" {
            a class="button" href=(ctx.href("/report")) { (ctx.t("home-report-button")) }
            a class="button secondary" href=(ctx.href("/check")) { (ctx.t("home-check-button")) }
        }
        div class="callout" {
            p { (ctx.t("home-kids")) }
            a href=(ctx.href("/kids")) { (ctx.t("home-kids-link")) }
        }
        h2 { (ctx.t("home-safe-title")) }
        p { (ctx.t("home-safe-text")) }
        h2 { (ctx.t("home-steps-title")) }
        ol class="steps" {
            li { (ctx.t("home-step-1")) }
            li { (ctx.t("home-step-2")) }
            li { (ctx.t("home-step-3")) }
            li { (ctx.t("home-step-4")) }
        }
        p { a href=(ctx.href("/what-happens")) { (ctx.t("home-more-after")) } }
    };
    layout(ctx, &ctx.t("nav-home"), body)
}

/// `/what-happens`: the reporting point's process, in the reporter's words.
pub fn what_happens(ctx: &Ctx<'_>) -> Markup {
    let body = html! {
        h1 { (ctx.t("after-title")) }
        p class="lead" { (ctx.t("after-intro")) }
        ol class="steps" {
            @for n in 1..=7 {
                li { (ctx.t(&format!("after-step-{n}"))) }
            }
        }
        p class="notice" { (ctx.t("after-police")) }
        p { (ctx.t("after-time")) }
        div class="actions" {
            a class="button" href=(ctx.href("/report")) { (ctx.t("home-report-button")) }
        }
    };
    layout(ctx, &ctx.t("after-title"), body)
}

/// `/your-code`: what to do with the code, and what a finder can and cannot do.
pub fn your_code(ctx: &Ctx<'_>) -> Markup {
    let body = html! {
        h1 { (ctx.t("code-title")) }
        p class="lead" { (ctx.t("code-intro")) }
        p { (ctx.t1("code-example", "example", EXAMPLE_CODE.to_string())) }
        ul class="tips" {
            li { strong { (ctx.t("code-write")) } }
            li { (ctx.t("code-not-shared")) }
            li { (ctx.t("code-lost")) }
        }
        h2 { (ctx.t("code-finder-title")) }
        ul class="tips" {
            li { (ctx.t("code-finder-can")) }
            li { (ctx.t("code-finder-cannot")) }
        }
        p class="notice" { (ctx.t("code-worried")) }
    };
    layout(ctx, &ctx.t("code-title"), body)
}

/// `/safety`: private browsing, clearing history (browser by browser), the exit
/// button, the code.
pub fn safety(ctx: &Ctx<'_>) -> Markup {
    let body = html! {
        h1 { (ctx.t("safety-title")) }
        p { (ctx.t("safety-intro")) }
        ul class="tips" {
            li { (ctx.t("safety-private")) }
            li { (ctx.t("safety-history")) }
            li { (ctx.t("safety-exit")) }
            li { (ctx.t("safety-code")) }
            li { (ctx.t("safety-tor")) }
        }
        h2 id="history" { (ctx.t("safety-history-title")) }
        p class="notice" { (ctx.t("safety-history-careful")) }
        ul class="tips" {
            li { (ctx.t("safety-history-chrome")) }
            li { (ctx.t("safety-history-safari")) }
            li { (ctx.t("safety-history-firefox")) }
            li { (ctx.t("safety-history-samsung")) }
        }
    };
    layout(ctx, &ctx.t("safety-title"), body)
}

/// Where the security contact is shown.
pub const SECURITY_PATH: &str = "/security";

/// `/security`: how to report a flaw in this site, to the contact `site.toml`
/// names (SECURITY.md points here). Rendered only when one is set.
pub fn security(ctx: &Ctx<'_>) -> Markup {
    let contact = ctx.content.site.security_contact.as_deref().unwrap_or("");
    let shown = contact.strip_prefix("mailto:").unwrap_or(contact);
    let body = html! {
        h1 { (ctx.t("security-title")) }
        p { (ctx.t("security-text")) }
        p { a id="security-contact" href=(contact) dir="ltr" { (shown) } }
    };
    layout(ctx, &ctx.t("security-title"), body)
}
