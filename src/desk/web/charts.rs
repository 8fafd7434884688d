//! Charts for the Figures page, drawn on the workstation as SVG by `plotters`
//! (its SVG backend only: text goes out as SVG `<text>`, so no font is loaded
//! or downloaded, and plotters-svg escapes it).

use plotters::prelude::*;

use crate::desk::figures::Table;

/// Size of every chart, in CSS pixels.
const SIZE: (u32, u32) = (720, 300);

/// A chart label: short enough to stay under its bar (the table has it whole).
fn short_label(s: &str) -> String {
    crate::desk::view::clip(s, 16)
}

/// A bar chart of `table` (one bar per value, in the table's order) as an SVG
/// document; `None` if plotters could not draw it.
pub fn bars(table: &Table, y_label: &str) -> Option<String> {
    let labels: Vec<String> = table.keys().map(|k| short_label(k)).collect();
    let counts: Vec<u32> = table
        .values()
        .map(|c| u32::try_from(*c).unwrap_or(u32::MAX))
        .collect();
    let max = counts.iter().copied().max().unwrap_or(0);
    let n = u32::try_from(labels.len()).ok()?.max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let bar = RGBColor(29, 78, 137);
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(48)
            .build_cartesian_2d((0u32..n - 1).into_segmented(), 0u32..max.saturating_add(1))
            .ok()?;
        let formatter = |v: &SegmentValue<u32>| match v {
            SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(labels.len().max(1))
            .y_labels(usize::try_from(max.min(10)).unwrap_or(10).max(1))
            .x_label_formatter(&formatter)
            .y_label_formatter(&|v: &u32| v.to_string())
            .y_desc(y_label)
            .label_style(label_style())
            .axis_desc_style(label_style())
            .draw()
            .ok()?;
        chart
            .draw_series(
                Histogram::vertical(&chart)
                    .style(bar.filled())
                    .margin(10)
                    .data(counts.iter().enumerate().map(|(i, c)| (i as u32, *c))),
            )
            .ok()?;
        root.present().ok()?;
    }
    Some(svg)
}

/// Size of a chart per month, legend included, in CSS pixels: fits a
/// 1024 px laptop beside the page's margins (and scales down below that).
const MONTHLY_SIZE: (u32, u32) = (800, 340);

/// Width of the legend at the right of a chart per month.
const LEGEND_WIDTH: u32 = 210;

/// Series colours: distinct hues, each at least 4.5:1 against white (so also
/// the 3:1 WCAG asks of graphics), in an order that keeps neighbours apart;
/// stacked segments are also parted by a white line.
const PALETTE: [RGBColor; 9] = [
    RGBColor(0x1d, 0x4e, 0x89), // blue
    RGBColor(0xb3, 0x58, 0x06), // orange
    RGBColor(0x1b, 0x78, 0x37), // green
    RGBColor(0x76, 0x2a, 0x83), // purple
    RGBColor(0xa5, 0x00, 0x26), // red
    RGBColor(0x01, 0x66, 0x5e), // teal
    RGBColor(0x8c, 0x51, 0x0a), // brown
    RGBColor(0xc5, 0x1b, 0x7d), // magenta
    RGBColor(0x4d, 0x4d, 0x4d), // grey
];

/// The colour of series number `i` (the legend and the chart agree).
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Most series a chart draws apart; the rest are drawn together as one
/// (the table beside the chart has every value).
pub const MAX_SERIES: usize = PALETTE.len();

/// One series of a chart per month: its name and one number per month.
pub struct Series {
    /// The value it counts (shown in the legend).
    pub name: String,
    /// Per month, in the chart's month order.
    pub counts: Vec<u64>,
}

fn label_style() -> TextStyle<'static> {
    ("sans-serif", 14).into_font().color(&BLACK)
}

/// A legend entry: as much of the name as the legend's width holds.
fn legend_label(s: &str) -> String {
    crate::desk::view::clip(s, 22)
}

/// The legend at the right: a swatch and the series' name per line.
fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    names: &[(String, RGBColor)],
    mark: impl Fn(i32, i32, RGBColor) -> Vec<DynElement<'static, DB, (i32, i32)>>,
) -> Option<()>
where
    DB::ErrorType: 'static,
{
    for (i, (name, colour)) in names.iter().enumerate() {
        let y = 24 + 22 * i32::try_from(i).ok()?;
        for e in mark(8, y, *colour) {
            area.draw(&e).ok()?;
        }
        area.draw(&Text::new(legend_label(name), (30, y - 7), label_style()))
            .ok()?;
    }
    Some(())
}

/// Month labels on the x axis: every month when they fit, else every k-th.
fn month_label(months: &[String], v: &SegmentValue<u32>) -> String {
    let step = months.len().div_ceil(12).max(1);
    match v {
        SegmentValue::CenterOf(i) if (*i as usize).is_multiple_of(step) => {
            months.get(*i as usize).cloned().unwrap_or_default()
        }
        _ => String::new(),
    }
}

/// The axes of every chart per month: one segment per month along x, counts
/// or days up to `max` along y, labelled alike.
fn month_axes<'a, 'b>(
    plot: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    months: &[String],
    max: u32,
    y_label: &str,
) -> Option<
    ChartContext<
        'a,
        SVGBackend<'b>,
        Cartesian2d<
            plotters::coord::ranged1d::SegmentedCoord<plotters::coord::types::RangedCoordu32>,
            plotters::coord::types::RangedCoordu32,
        >,
    >,
> {
    let n = u32::try_from(months.len()).ok()?.max(1);
    let mut chart = ChartBuilder::on(plot)
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(52)
        .build_cartesian_2d((0u32..n - 1).into_segmented(), 0u32..max.saturating_add(1))
        .ok()?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(months.len().max(1))
        .y_labels(usize::try_from(max.min(8)).unwrap_or(8).max(1))
        .x_label_formatter(&|v| month_label(months, v))
        .y_label_formatter(&|v: &u32| v.to_string())
        .y_desc(y_label)
        .label_style(label_style())
        .axis_desc_style(label_style())
        .draw()
        .ok()?;
    Some(chart)
}

/// Stacked bars per month (x: `months`, one segment per series, bottom up in
/// the series' order) with a legend, as an SVG document; `None` if plotters
/// could not draw it.
pub fn stacked(months: &[String], series: &[Series], y_label: &str) -> Option<String> {
    let n = u32::try_from(months.len()).ok()?.max(1);
    let totals: Vec<u64> = (0..months.len())
        .map(|m| {
            series
                .iter()
                .map(|s| s.counts.get(m).copied().unwrap_or(0))
                .sum()
        })
        .collect();
    let max = u32::try_from(totals.iter().copied().max().unwrap_or(0)).unwrap_or(u32::MAX);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, MONTHLY_SIZE).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let (plot, key) = root.split_horizontally(MONTHLY_SIZE.0 - LEGEND_WIDTH);
        let chart = month_axes(&plot, months, max, y_label)?;
        let mut base = vec![0u32; months.len()];
        for (i, s) in series.iter().enumerate() {
            let fill = colour(i);
            for (m, count) in s.counts.iter().enumerate() {
                let count = u32::try_from(*count).unwrap_or(u32::MAX);
                let Some(b) = base.get_mut(m) else { continue };
                if count == 0 {
                    continue;
                }
                let x = u32::try_from(m).ok()?;
                // The last segment ends at `Last`: past the range, `Exact`
                // maps nowhere sensible (a single month would draw nothing).
                let right = if x + 1 >= n {
                    SegmentValue::Last
                } else {
                    SegmentValue::Exact(x + 1)
                };
                let corners = [
                    (SegmentValue::Exact(x), *b),
                    (right, b.saturating_add(count)),
                ];
                for style in [fill.filled(), WHITE.stroke_width(1)] {
                    let mut bar = Rectangle::new(corners.clone(), style);
                    bar.set_margin(0, 0, 6, 6);
                    chart.plotting_area().draw(&bar).ok()?;
                }
                *b = b.saturating_add(count);
            }
        }
        let names: Vec<(String, RGBColor)> = series
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.clone(), colour(i)))
            .collect();
        legend(&key, &names, |x, y, c| {
            vec![Rectangle::new([(x, y - 7), (x + 14, y + 7)], c.filled()).into_dyn()]
        })?;
        root.present().ok()?;
    }
    Some(svg)
}

/// Days to the first reply per month as two lines with markers (median:
/// circles, 90th percentile: triangles), a gap where a month has no answered
/// report; as an SVG document, `None` if plotters could not draw it.
pub fn first_reply(
    months: &[String],
    median: &[Option<i64>],
    p90: &[Option<i64>],
    names: [&str; 2],
    y_label: &str,
) -> Option<String> {
    let max = median
        .iter()
        .chain(p90)
        .flatten()
        .copied()
        .max()
        .unwrap_or(0);
    let max = u32::try_from(max).unwrap_or(u32::MAX);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, MONTHLY_SIZE).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let (plot, key) = root.split_horizontally(MONTHLY_SIZE.0 - LEGEND_WIDTH);
        let chart = month_axes(&plot, months, max, y_label)?;
        for (k, values) in [median, p90].into_iter().enumerate() {
            let c = colour(k);
            let points: Vec<Option<(SegmentValue<u32>, u32)>> = values
                .iter()
                .enumerate()
                .map(|(m, v)| {
                    let d = u32::try_from((*v)?).ok()?;
                    Some((SegmentValue::CenterOf(u32::try_from(m).ok()?), d))
                })
                .collect();
            // Lines only between neighbouring months that both have a value.
            for pair in points.windows(2) {
                if let [Some(a), Some(b)] = pair {
                    chart
                        .plotting_area()
                        .draw(&PathElement::new(
                            vec![a.clone(), b.clone()],
                            c.stroke_width(2),
                        ))
                        .ok()?;
                }
            }
            for p in points.into_iter().flatten() {
                if k == 0 {
                    chart
                        .plotting_area()
                        .draw(&Circle::new(p, 5, c.filled()))
                        .ok()?;
                } else {
                    chart
                        .plotting_area()
                        .draw(&TriangleMarker::new(p, 6, c.filled()))
                        .ok()?;
                }
            }
        }
        let names: Vec<(String, RGBColor)> = names
            .iter()
            .enumerate()
            .map(|(i, s)| (s.to_string(), colour(i)))
            .collect();
        legend(&key, &names, |x, y, c| {
            let line = PathElement::new(vec![(x - 2, y), (x + 16, y)], c.stroke_width(2));
            if c == colour(0) {
                vec![
                    line.into_dyn(),
                    Circle::new((x + 7, y), 5, c.filled()).into_dyn(),
                ]
            } else {
                vec![
                    line.into_dyn(),
                    TriangleMarker::new((x + 7, y), 6, c.filled()).into_dyn(),
                ]
            }
        })?;
        root.present().ok()?;
    }
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months() -> Vec<String> {
        vec!["2026-01".into(), "2026-02".into(), "2026-03".into()]
    }

    #[test]
    fn a_stacked_chart_per_month_draws_a_segment_per_nonzero_count_and_a_legend() {
        let series = vec![
            Series {
                name: "labour".into(),
                counts: vec![1, 0, 2],
            },
            Series {
                name: "<b>online</b>".into(),
                counts: vec![0, 3, 1],
            },
        ];
        let svg = stacked(&months(), &series, "reports").unwrap();
        assert!(svg.trim_start().starts_with("<svg"), "{svg}");
        assert!(svg.contains("viewBox"), "scales down: {svg}");
        for m in months() {
            assert!(svg.contains(&m), "{m}: {svg}");
        }
        assert!(
            svg.contains("labour") && svg.contains("&lt;b&gt;online"),
            "{svg}"
        );
        assert!(!svg.contains("<b>"), "{svg}");
        let blue = svg.matches("fill=\"#1D4E89\"").count();
        let orange = svg.matches("fill=\"#B35806\"").count();
        // Two segments and a legend swatch each.
        assert_eq!((blue, orange), (3, 3), "{svg}");
    }

    #[test]
    fn a_single_month_still_gets_bars_of_positive_width() {
        let series = vec![Series {
            name: "received".into(),
            counts: vec![4],
        }];
        let svg = stacked(&months()[..1], &series, "reports").unwrap();
        let bar = svg
            .lines()
            .find(|l| {
                l.starts_with("<rect")
                    && l.contains("fill=\"#1D4E89\"")
                    && !l.contains("width=\"14\"")
            })
            .unwrap_or_else(|| panic!("no bar: {svg}"));
        let width: i32 = bar
            .split("width=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(width > 0, "{bar}");
    }

    #[test]
    fn a_first_reply_chart_has_a_marker_per_month_with_a_value() {
        let svg = first_reply(
            &months(),
            &[Some(1), None, Some(3)],
            &[Some(2), None, Some(9)],
            ["median", "90th percentile"],
            "days",
        )
        .unwrap();
        assert!(
            svg.contains("median") && svg.contains("90th percentile"),
            "{svg}"
        );
        assert_eq!(
            svg.matches("<circle").count(),
            3,
            "two months and the legend: {svg}"
        );
    }

    #[test]
    fn thirty_months_label_every_third_month_so_labels_never_overlap() {
        let months: Vec<String> = (0..30)
            .map(|i| format!("{:04}-{:02}", 2024 + i / 12, i % 12 + 1))
            .collect();
        let series = vec![Series {
            name: "received".into(),
            counts: vec![1; 30],
        }];
        let svg = stacked(&months, &series, "reports").unwrap();
        let shown: Vec<&String> = months.iter().filter(|m| svg.contains(m.as_str())).collect();
        let every_third: Vec<&String> = months.iter().step_by(3).collect();
        assert_eq!(shown, every_third, "{svg}");
    }

    #[test]
    fn empty_charts_per_month_still_draw() {
        assert!(stacked(&[], &[], "reports").is_some());
        assert!(first_reply(&[], &[], &[], ["a", "b"], "days").is_some());
    }

    #[test]
    fn a_chart_is_svg_with_its_labels_escaped() {
        let mut t = Table::new();
        t.insert("<script>alert(1)</script>".into(), 2);
        t.insert("labour".into(), 5);
        let svg = bars(&t, "reports").unwrap();
        assert!(svg.trim_start().starts_with("<svg"), "{svg}");
        assert!(svg.contains("labour"), "{svg}");
        assert!(!svg.contains("<script"), "{svg}");
    }

    #[test]
    fn a_legend_per_month_escapes_what_a_reporter_wrote() {
        let series = [Series {
            name: "<img src=x onerror=alert(1)>".into(),
            counts: vec![3],
        }];
        let svg = stacked(&["2026-11".to_string()], &series, "reports").unwrap();
        assert!(svg.contains("&lt;img"), "{svg}");
        assert!(!svg.contains("<img"), "{svg}");
    }

    #[test]
    fn an_empty_table_still_draws_a_chart() {
        assert!(bars(&Table::new(), "reports").is_some());
    }
}
