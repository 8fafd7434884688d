//! The Figures page's charts per month as data: which dimensions get one,
//! the table (months as rows, values as columns) that the chart, the page and
//! the CSV all show, and the CSV itself. No HTML here.

use std::collections::BTreeMap;

use super::charts::{self, Series};
use crate::desk::casefile::figures::FirstReply;
use crate::desk::figures::{ByMonth, Table, STATUS};
use crate::desk::terminal::csv_cell;
use crate::desk::texts::{t, t_args, Lang};
use crate::questionnaire::Questionnaire;

/// The questions that get a chart per month when the questionnaire has them
/// and allows counting them (as `desk figures --by` decides), with what each
/// stands for.
const PER_MONTH: [&str; 3] = ["forms", "minor", "where"];

/// The title of a question's chart per month.
fn question_title(l: Lang, id: &str) -> String {
    match id {
        "forms" => t(l, "figures-month-forms"),
        "minor" => t(l, "figures-month-minor"),
        "where" => t(l, "figures-month-where"),
        other => other.to_string(),
    }
}

/// Slug of the time-to-first-reply chart (no question slug looks like it:
/// those start with `q-`).
pub const FIRST_REPLY: &str = "first-reply";

/// One chart per month with its table.
pub struct MonthlyFigure {
    /// Names its CSV: `status`, `q-<question>`, `first-reply`.
    pub slug: String,
    /// What it shows, in words.
    pub title: String,
    /// How to read the chart, for its caption and text alternative.
    pub how: String,
    /// The SVG document, if plotters could draw it.
    pub svg: Option<String>,
    /// The table's value columns (after the month), as counted: the CSV's.
    pub columns: Vec<String>,
    /// The same columns in words (a status's name, an option's text), for
    /// the chart's legend and the page's table.
    pub labels: Vec<String>,
    /// Per month: the month and one cell per column.
    pub rows: Vec<(String, Vec<String>)>,
}

impl MonthlyFigure {
    /// The table as CSV, cells escaped as `desk figures --csv` escapes them
    /// (quoted, formula characters defused, controls shown not obeyed);
    /// counts as plain numbers, an empty cell where there is none.
    pub fn csv(&self) -> String {
        let mut out = String::from("month");
        for c in &self.columns {
            out.push(',');
            out.push_str(&csv_cell(c));
        }
        out.push('\n');
        for (month, cells) in &self.rows {
            out.push_str(&csv_cell(month));
            for c in cells {
                out.push(',');
                // Numbers are ours and go as numbers; anything else is escaped.
                if c.bytes().all(|b| b.is_ascii_digit()) {
                    out.push_str(c);
                } else {
                    out.push_str(&csv_cell(c));
                }
            }
            out.push('\n');
        }
        out
    }
}

/// The dimensions counted per month: status, then the questions of
/// [`PER_MONTH`] this questionnaire has and may count.
pub fn dimensions(questionnaire: &Questionnaire) -> Vec<String> {
    let mut dims = vec![STATUS.to_string()];
    for id in PER_MONTH {
        if questionnaire.question(id).is_some_and(|q| q.may_count()) {
            dims.push(id.to_string());
        }
    }
    dims
}

/// Gaps are filled only up to this span (20 years); a wider one (days from a
/// hostile server such as `0000-01` and `9999-12`) shows the months present.
const MAX_FILLED_MONTHS: i32 = 240;

/// Every month from the first to the last in `months` (`YYYY-MM`), gaps
/// filled, so the x axis is time; anything else sorts after.
pub fn month_range(months: &Table) -> Vec<String> {
    let parse = |m: &str| -> Option<i32> {
        let b = m.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 7 || b[4] != b'-' || !digits(0..4) || !digits(5..7) {
            return None;
        }
        let (y, mo): (i32, i32) = (m[..4].parse().ok()?, m[5..].parse().ok()?);
        (1..=12).contains(&mo).then_some(y * 12 + mo - 1)
    };
    let parsed: Vec<i32> = months.keys().filter_map(|m| parse(m)).collect();
    let mut out: Vec<String> = match (parsed.iter().min(), parsed.iter().max()) {
        (Some(first), Some(last)) if last - first < MAX_FILLED_MONTHS => (*first..=*last)
            .map(|n| format!("{:04}-{:02}", n / 12, n % 12 + 1))
            .collect(),
        // Keys are sorted, and the well-formed ones sort as time.
        _ => months
            .keys()
            .filter(|m| parse(m).is_some())
            .cloned()
            .collect(),
    };
    out.extend(months.keys().filter(|m| parse(m).is_none()).cloned());
    out
}

/// The chart and table of one dimension per month. Columns go by total,
/// largest first; the chart draws the first few apart and the rest together.
fn counts(
    l: Lang,
    slug: String,
    title: String,
    many: bool,
    months: &[String],
    by_month: &ByMonth,
    words: &dyn Fn(&str) -> String,
) -> MonthlyFigure {
    let mut totals: BTreeMap<&str, u64> = BTreeMap::new();
    for table in by_month.values() {
        for (value, n) in table {
            *totals.entry(value).or_default() += *n as u64;
        }
    }
    let mut columns: Vec<(&str, u64)> = totals.into_iter().collect();
    columns.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let count = |month: &str, value: &str| -> u64 {
        by_month
            .get(month)
            .and_then(|t| t.get(value))
            .map_or(0, |n| *n as u64)
    };
    let mut series: Vec<Series> = columns
        .iter()
        .map(|(value, _)| Series {
            name: words(value),
            counts: months.iter().map(|m| count(m, value)).collect(),
        })
        .collect();
    let mut how = t(l, "figures-month-stacked");
    if series.len() > charts::MAX_SERIES {
        let rest = series.split_off(charts::MAX_SERIES - 1);
        series.push(Series {
            name: t(l, "figures-month-other"),
            counts: (0..months.len())
                .map(|m| rest.iter().map(|s| s.counts[m]).sum())
                .collect(),
        });
        how.push(' ');
        how.push_str(&t_args(
            l,
            "figures-month-grouped",
            &[("count", (charts::MAX_SERIES - 1).into())],
        ));
    }
    if many {
        how.push(' ');
        how.push_str(&t(l, "figures-month-many"));
    }
    let y = if many {
        t(l, "figures-month-answers")
    } else {
        t(l, "figures-axis")
    };
    MonthlyFigure {
        slug,
        title,
        how,
        svg: charts::stacked(months, &series, &y),
        columns: columns.iter().map(|(v, _)| v.to_string()).collect(),
        labels: columns.iter().map(|(v, _)| words(v)).collect(),
        rows: months
            .iter()
            .map(|m| {
                let cells = columns.iter().map(|(v, _)| count(m, v).to_string());
                (m.clone(), cells.collect())
            })
            .collect(),
    }
}

/// Every chart per month: status, the questions, and time to first reply.
/// `words(dimension, value)` gives a counted value as staff read it.
pub fn figures(
    l: Lang,
    words: &dyn Fn(&str, &str) -> String,
    questionnaire: &Questionnaire,
    month_table: &Table,
    by_month: &BTreeMap<String, ByMonth>,
    first_reply: &BTreeMap<String, FirstReply>,
) -> Vec<MonthlyFigure> {
    let months = month_range(month_table);
    let empty = ByMonth::new();
    let mut out = Vec::new();
    for dim in dimensions(questionnaire) {
        let data = by_month.get(&dim).unwrap_or(&empty);
        let (slug, title, many) = if dim == STATUS {
            (STATUS.to_string(), t(l, "figures-month-status"), false)
        } else {
            let what = question_title(l, &dim);
            let many = questionnaire
                .question(&dim)
                .is_some_and(|q| matches!(q.kind, crate::questionnaire::QuestionKind::Many));
            (format!("q-{dim}"), what, many)
        };
        let value_words = |v: &str| words(&dim, v);
        out.push(counts(l, slug, title, many, &months, data, &value_words));
    }
    out.push(first_reply_figure(l, &months, first_reply));
    out
}

fn first_reply_figure(
    l: Lang,
    months: &[String],
    by_month: &BTreeMap<String, FirstReply>,
) -> MonthlyFigure {
    let none = FirstReply::default();
    let of = |m: &String| by_month.get(m).unwrap_or(&none);
    let median: Vec<Option<i64>> = months.iter().map(|m| of(m).median).collect();
    let p90: Vec<Option<i64>> = months.iter().map(|m| of(m).p90).collect();
    let cell = |d: Option<i64>| d.map(|d| d.to_string()).unwrap_or_default();
    let (median_name, p90_name) = (t(l, "figures-month-median"), t(l, "figures-month-p90"));
    let labels = vec![
        t(l, "figures-month-answered"),
        t(l, "figures-month-unanswered"),
        median_name.clone(),
        p90_name.clone(),
    ];
    // The CSV's header stays the same in every staff language, as the other
    // CSVs keep their counted values: a spreadsheet built on it keeps working.
    let columns = [
        "answered",
        "unanswered",
        "median days",
        "90th percentile days",
    ]
    .map(String::from)
    .to_vec();
    MonthlyFigure {
        slug: FIRST_REPLY.into(),
        title: t(l, "figures-month-first-reply"),
        how: t(l, "figures-month-lines"),
        svg: charts::first_reply(
            months,
            &median,
            &p90,
            [median_name.as_str(), p90_name.as_str()],
            &t(l, "figures-month-days"),
        ),
        labels,
        columns,
        rows: months
            .iter()
            .map(|m| {
                let f = of(m);
                let cells = vec![
                    f.answered.to_string(),
                    f.unanswered.to_string(),
                    cell(f.median),
                    cell(f.p90),
                ];
                (m.clone(), cells)
            })
            .collect(),
    }
}

/// The column header of the month in the table.
pub fn month_header(l: Lang) -> String {
    t(l, "figures-month-month")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_month_axis_runs_from_the_first_month_to_the_last_without_gaps() {
        let t: Table = [("2025-11", 1), ("2026-02", 2)]
            .into_iter()
            .map(|(m, n)| (m.to_string(), n))
            .collect();
        assert_eq!(
            month_range(&t),
            ["2025-11", "2025-12", "2026-01", "2026-02"]
        );
        assert!(month_range(&Table::new()).is_empty());
    }

    #[test]
    fn months_from_a_hostile_server_neither_fill_millennia_nor_pass_for_real_ones() {
        let t: Table = [
            ("0000-01", 1),
            ("2026-02", 1),
            ("9999-12", 1),
            ("+999-01", 1),
        ]
        .into_iter()
        .map(|(m, n)| (m.to_string(), n))
        .collect();
        assert_eq!(
            month_range(&t),
            ["0000-01", "2026-02", "9999-12", "+999-01"]
        );
    }

    #[test]
    fn a_monthly_csv_has_months_as_rows_values_as_columns_and_defused_cells() {
        let mut by_month = ByMonth::new();
        by_month
            .entry("2026-01".into())
            .or_default()
            .insert("=cmd|' /C calc'!A0".into(), 2);
        by_month
            .entry("2026-02".into())
            .or_default()
            .insert("amsterdam".into(), 1);
        let months = vec!["2026-01".to_string(), "2026-02".to_string()];
        let f = counts(
            Lang::En,
            "q-where".into(),
            "t".into(),
            false,
            &months,
            &by_month,
            &|v| v.to_string(),
        );
        assert_eq!(
            f.csv(),
            "month,\"'=cmd|' /C calc'!A0\",\"amsterdam\"\n\
             \"2026-01\",2,0\n\
             \"2026-02\",0,1\n"
        );
    }

    #[test]
    fn past_nine_values_the_chart_draws_the_rest_together_and_the_table_keeps_each() {
        let mut by_month = ByMonth::new();
        for i in 0..12 {
            by_month
                .entry("2026-01".into())
                .or_default()
                .insert(format!("town{i:02}"), i + 1);
        }
        let months = vec!["2026-01".to_string()];
        let f = counts(
            Lang::En,
            "q-where".into(),
            "t".into(),
            false,
            &months,
            &by_month,
            &|v| v.to_string(),
        );
        assert_eq!(f.columns.len(), 12);
        assert!(f.how.contains("(other values)"), "{}", f.how);
        let svg = f.svg.unwrap();
        assert!(
            svg.contains("(other values)") && !svg.contains("town00"),
            "{svg}"
        );
    }
}
