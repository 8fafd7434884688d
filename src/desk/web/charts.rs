//! Charts for the Figures page, drawn on the workstation as SVG by `plotters`
//! (its SVG backend only: text goes out as SVG `<text>`, so no font is loaded
//! or downloaded, and plotters-svg escapes it).

use plotters::prelude::*;

use crate::desk::figures::Table;

/// Size of every chart, in CSS pixels.
const SIZE: (u32, u32) = (720, 300);

/// A chart label: short enough to stay under its bar (the table has it whole).
fn short_label(s: &str) -> String {
    let mut out: String = s.chars().take(16).collect();
    if s.chars().count() > 16 {
        out.push('…');
    }
    out
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
            .label_style(("sans-serif", 14).into_font().color(&BLACK))
            .axis_desc_style(("sans-serif", 14).into_font().color(&BLACK))
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn an_empty_table_still_draws_a_chart() {
        assert!(bars(&Table::new(), "reports").is_some());
    }
}
