//! The Figures page's charts per month: each an inline SVG in a `figure`
//! with its caption and CSV link, and the same numbers as a table beside it.
//! Views only: data in, markup out.

use maud::{html, Markup, PreEscaped};

use super::figures_monthly::{month_header, MonthlyFigure};
use crate::desk::texts::{t, Lang};

/// Where a monthly figure's CSV is served.
pub fn csv_href(slug: &str) -> String {
    format!("/figures/per-month/{slug}.csv")
}

/// An SVG drawn by the chart library with a role and the text alternative
/// `label` (already escaped markup): announced as one image so named (the
/// table below gives the numbers).
pub fn labelled_svg(svg: &str, label: &Markup) -> PreEscaped<String> {
    // maud escapes quotes too, so the label is safe inside the attribute.
    PreEscaped(svg.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-label=\"{}\" focusable=\"false\" ",
            label.0
        ),
        1,
    ))
}

/// One chart per month: heading, figure (SVG, caption, CSV link) and table.
fn figure(l: Lang, f: &MonthlyFigure) -> Markup {
    let heading = format!("fig-month-{}", f.slug);
    html! {
        section class="monthly" aria-labelledby=(heading) {
            h2 id=(heading) { (f.title) }
            @if let Some(svg) = &f.svg {
                figure class="chart" {
                    (labelled_svg(svg, &html! { (f.title) ". " (f.how) " " (t(l, "figures-month-svg-end")) }))
                    figcaption {
                        (f.title) ". " (f.how) " "
                        a href=(csv_href(&f.slug)) download {
                            (t(l, "figures-month-csv"))
                            span class="visually-hidden" { " (" (f.title) ")" }
                        }
                    }
                }
            }
            div class="table-scroll" role="region" tabindex="0"
                aria-label=(format!("{}: {}", t(l, "figures-month-table"), f.title)) {
                table class="figures monthly" {
                    caption class="visually-hidden" { (f.title) }
                    thead {
                        tr {
                            th scope="col" { (month_header(l)) }
                            @for c in &f.labels { th scope="col" { (c) } }
                        }
                    }
                    tbody {
                        @for (month, cells) in &f.rows {
                            tr {
                                th scope="row" { (month) }
                                @for c in cells {
                                    td { @if c.is_empty() { "–" } @else { (c) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Every chart per month, in order.
pub fn monthly(l: Lang, figures: &[MonthlyFigure]) -> Markup {
    html! { @for f in figures { (figure(l, f)) } }
}
