//! `desk print`: a self-contained HTML page of one report for a partner that
//! takes paper. No script, nothing loaded from anywhere; CSS for A4.
//!
//! Printing puts the plaintext on paper and, often, in the printer's memory:
//! the command says so, and the README too.

use maud::{html, Markup, DOCTYPE};

use super::case_content::CaseContent;
use super::view::Labels;

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

/// The page. Every string from the report goes through maud's escaping.
pub fn render(content: &CaseContent, labels: &Labels<'_>) -> Markup {
    render_with(content, labels, html! {})
}

/// The page with `screen` on top, shown on screen and never printed (the
/// browser desk's warning and choices).
pub fn render_with(content: &CaseContent, labels: &Labels<'_>, screen: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="referrer" content="no-referrer";
                meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'";
                title { "Report " (short(&content.report)) }
                style { (maud::PreEscaped(STYLE)) }
            }
            body {
                (screen)
                p.confidential { "Confidential. This page holds a report in plain text: keep it locked away and destroy it when no longer needed." }
                h1 { "Report " (short(&content.report)) }
                dl {
                    dt { "Received" } dd { (content.received) }
                    dt { "Language" } dd { (content.lang) }
                    dt { "Anonymised" }
                    dd {
                        @if content.anonymised {
                            "yes: answers that identify the reporter are left out (check the text itself)"
                        } @else { "no" }
                    }
                }
                @if labels.urgent(&content.answers) {
                    p.confidential { "The reporter said someone is in danger right now." }
                }
                section {
                    h2 { "Answers" }
                    @if content.answers.is_empty() {
                        p { "No answers." }
                    } @else {
                        ul { @for a in labels.lines(&content.answers) { li { (a) } } }
                    }
                }
                section {
                    h2 { "What happened" }
                    div.text #report-text { (content.message) }
                }
                @if !content.conversation.is_empty() {
                    section {
                        h2 { "Conversation" }
                        @for e in &content.conversation {
                            h3 { (e.day) " · " (e.author) }
                            div.text { (e.text) }
                        }
                    }
                }
            }
        }
    }
}

fn short(id: &str) -> &str {
    super::view::short(id)
}
