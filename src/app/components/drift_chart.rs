//! A `drift` test's columns as SVG (PRODUCT.md §12): one bar per column compared, its
//! statistic (a p-value for `ks`, `chi2` and `z`, a distance otherwise) with the column's
//! threshold as a tick across it, drifted columns in the failing colour, columns not tested
//! (free text) grey with the reason. Drawn as the slice chart draws slices.

use yew::prelude::*;

use super::bounds_chart::{bar_row, Track, LABEL, PLOT, ROW};
use crate::report::fmt::{names, num};
use crate::report::{DriftOutcome, TestReport};

/// Room on the right for the statistic and the verdict: `p 0.0119 ≤ 0.05`.
const VALUE: f64 = 128.0;

#[derive(Properties, PartialEq)]
pub struct DriftChartProps {
    /// A `drift` test; its `drift` lists the columns.
    pub test: TestReport,
}

/// A p-value drifts when it is small, a distance when it is large: how the value compares.
fn comparison(column: &DriftOutcome) -> (&'static str, &'static str) {
    match column.method.as_str() {
        "ks" => ("p", if column.drifted { "≤" } else { ">" }),
        "chi2" | "z" => ("p", if column.drifted { "<" } else { "≥" }),
        _ => ("", if column.drifted { "≥" } else { "<" }),
    }
}

fn outcome(column: &DriftOutcome) -> &'static str {
    match (column.statistic, column.drifted) {
        (None, _) => "not-judged",
        (Some(_), true) => "fail",
        (Some(_), false) => "pass",
    }
}

#[component]
pub fn DriftChart(props: &DriftChartProps) -> Html {
    let test = &props.test;
    let columns = &test.drift;
    let track =
        Track::over(columns.iter().filter_map(|c| c.statistic).chain(columns.iter().map(|c| c.threshold)));
    let (width, height) = (LABEL + PLOT + VALUE, columns.len() as f64 * ROW + 4.0);
    let drifted: Vec<&str> = columns.iter().filter(|c| c.drifted).map(|c| c.column.as_str()).collect();
    let tested = columns.iter().filter(|c| c.statistic.is_some()).count();
    let caption = match drifted.len() {
        0 => format!("{}: none of {tested} columns drifted from the reference (red: drifted; the tick: each column's threshold)", test.id),
        n => format!("{}: {n} of {tested} columns drifted from the reference: {} (red; the tick: each column's threshold)", test.id, names(&drifted, 5)),
    };
    let described: Vec<String> = columns
        .iter()
        .map(|c| match c.statistic {
            Some(s) => format!(
                "{} {} {}, threshold {}{}",
                c.column,
                c.method,
                num(s),
                num(c.threshold),
                if c.drifted { ", drifted" } else { "" }
            ),
            None => format!("{} not tested", c.column),
        })
        .collect();
    let label = format!("{caption}. {}", described.join("; "));
    html! {
        <figure class="chart slices drift">
            <svg role="img" aria-label={label.clone()} viewBox={format!("0 0 {width} {height}")} width="100%"
                style={format!("max-width: {}px", width * 1.4)} data-testid="drift-chart" data-test-id={test.id.clone()}>
                <title>{ label }</title>
                { for columns.iter().enumerate().map(|(i, column)| {
                    let top = 2.0 + i as f64 * ROW;
                    let (kind, op) = comparison(column);
                    let value = match column.statistic {
                        Some(s) => format!("{kind} {} {op} {}", num(s), num(column.threshold)).trim().to_owned(),
                        None => "not tested".to_owned(),
                    };
                    let name = if column.method.is_empty() { column.column.clone() } else { format!("{} ({})", column.column, column.method) };
                    html! {
                        <g class={classes!("slice", outcome(column))} data-testid="drift-column" data-column={column.column.clone()}
                            data-method={column.method.clone()} data-outcome={outcome(column)}>
                            <title>{ format!("{name}: {value}{}", column.note.as_ref().map_or_else(String::new, |n| format!(" — {n}"))) }</title>
                            { bar_row(top, &name, 26, column.statistic.map(|s| track.at(s)), value) }
                            if column.statistic.is_some() {
                                <line class="threshold" x1={format!("{:.2}", track.at(column.threshold))} x2={format!("{:.2}", track.at(column.threshold))}
                                    y1={(top + 1.0).to_string()} y2={(top + 21.0).to_string()} />
                            }
                        </g>
                    }
                }) }
            </svg>
            <figcaption>{ caption }</figcaption>
        </figure>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::{render, sample_report};

    fn drift_test(id: &str) -> TestReport {
        let report = sample_report("penguins-drift.json");
        report.tests.iter().find(|t| t.id == id).unwrap_or_else(|| panic!("no test {id}")).clone()
    }

    #[tokio::test]
    async fn every_column_is_a_bar_and_the_drifted_ones_fail() {
        let html = render::<DriftChart>(DriftChartProps { test: drift_test("columns-drift") }).await;
        assert_eq!(html.matches("data-testid=\"drift-column\"").count(), 7, "{html}");
        assert!(
            html.contains("data-column=\"flipper_length_mm\" data-method=\"ks\" data-outcome=\"fail\""),
            "{html}"
        );
        assert!(html.contains("data-column=\"island\" data-method=\"chi2\" data-outcome=\"pass\""), "{html}");
        assert!(html.contains("p 0.0119 ≤ 0.05"), "{html}");
        assert!(
            html.contains("2 of 7 columns drifted from the reference: `flipper_length_mm`, `year`"),
            "{html}"
        );
    }

    #[tokio::test]
    async fn a_distance_drifts_at_or_above_its_threshold() {
        let html = render::<DriftChart>(DriftChartProps { test: drift_test("mass-wasserstein") }).await;
        assert!(html.contains("data-method=\"wasserstein\" data-outcome=\"fail\""), "{html}");
        assert!(html.contains("0.1537 ≥ 0.1"), "{html}");
    }
}
