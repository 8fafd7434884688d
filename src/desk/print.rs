//! `desk print`: a self-contained HTML page of one report for a partner that
//! takes paper. No script, nothing loaded from anywhere; CSS for A4.
//!
//! Printing puts the plaintext on paper and, often, in the printer's memory:
//! the command says so, and the README too.

use maud::{html, Markup, DOCTYPE};

use super::case_content::CaseContent;
use super::texts::{t, t_args, Lang};
use super::view::{short, Labels};

/// Print styles: A4 with margins, readable type, no page break inside a block.
/// Public so the browser desk can allow exactly this style by its hash.
pub const STYLE: &str = "@page { size: A4; margin: 20mm 18mm; }
body { font-family: Georgia, 'Times New Roman', serif; font-size: 11pt; line-height: 1.45; color: #000; max-width: 170mm; margin: 0 auto; }
h1 { font-size: 16pt; margin: 0 0 4mm; }
h2 { font-size: 12.5pt; margin: 7mm 0 2mm; border-bottom: 1px solid #000; }
.confidential { font-weight: bold; border: 2px solid #000; padding: 2mm 3mm; }
dl { margin: 0; } dt { font-weight: bold; margin-top: 2mm; } dd { margin: 0 0 0 6mm; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
section, li { page-break-inside: avoid; break-inside: avoid; }
@media screen { body { margin: 10mm auto; } }
.screen-only { border: 2px solid #a4001d; padding: 2mm 3mm; margin-bottom: 6mm; }
@media print { .screen-only { display: none; } }";

/// The page (in English, as the CLI has always written it). Every string
/// from the report goes through maud's escaping.
pub fn render(content: &CaseContent, labels: &Labels<'_>) -> Markup {
    render_with(content, labels, html! {}, Lang::En)
}

/// The page in the staff language `l` with `screen` on top, shown on screen
/// and never printed (the browser desk's warning and choices).
pub fn render_with(content: &CaseContent, labels: &Labels<'_>, screen: Markup, l: Lang) -> Markup {
    let title = t_args(l, "print-title", &[("id", short(&content.report).into())]);
    html! {
        (DOCTYPE)
        html lang=(l.code()) {
            head {
                meta charset="utf-8";
                meta name="referrer" content="no-referrer";
                meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'";
                title { (title) }
                style { (maud::PreEscaped(STYLE)) }
            }
            body {
                (screen)
                p.confidential { (t(l, "print-confidential")) }
                h1 { (title) }
                dl {
                    dt { (t(l, "print-received")) } dd { (content.received) }
                    dt { (t(l, "print-language")) } dd { (content.lang) }
                    dt { (t(l, "print-anonymised-title")) }
                    dd {
                        @if content.anonymised {
                            (t(l, "print-anonymised-yes"))
                        } @else { (t(l, "print-anonymised-no")) }
                    }
                }
                @if labels.urgent(&content.answers) {
                    p.confidential { (t(l, "print-danger")) }
                }
                section {
                    h2 { (t(l, "print-answers")) }
                    @if content.answers.is_empty() {
                        p { (t(l, "print-no-answers")) }
                    } @else {
                        ul { @for a in labels.lines(&content.answers) { li { (a) } } }
                    }
                }
                section {
                    h2 { (t(l, "print-what-happened")) }
                    div.text #report-text lang=(content.lang) { (content.message) }
                }
                @if !content.conversation.is_empty() {
                    section {
                        h2 { (t(l, "print-conversation-title")) }
                        @for e in &content.conversation {
                            h3 {
                                (e.day) " · "
                                (if e.author == "staff" { t(l, "print-by-staff") } else { t(l, "print-by-reporter") })
                            }
                            div.text { (e.text) }
                        }
                    }
                }
            }
        }
    }
}
