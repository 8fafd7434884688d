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

/// The SVG with a role and a text alternative: announced as one image named
/// by its title and how to read it (the table below gives the numbers).
fn labelled(l: Lang, svg: &str, f: &MonthlyFigure) -> PreEscaped<String> {
    // maud escapes quotes too, so the text is safe inside the attribute.
    let label = html! { (f.title) ". " (f.how) " " (t(l, "figures-month-svg-end")) }.into_string();
    PreEscaped(svg.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{label}\" focusable=\"false\" "),
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
                    (labelled(l, svg, f))
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
