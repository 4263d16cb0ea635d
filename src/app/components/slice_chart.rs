//! A slice test's slices as SVG (`slice_metric`, `slice_gap`, `fairness`): one horizontal bar
//! per slice with its value and rows, drawn as the bounds chart draws a bound.
//!
//! What a bar shows and what bounds it depends on the kind. `slice_metric` bounds every slice,
//! so its bound is a line across the bars and a slice that does not hold it is drawn failing.
//! `slice_gap` and `fairness` bound a measure over the slices (the gap, a parity ratio), not any
//! one slice: their bars have no line and the caption states the measure and its bound. A
//! fairness group's bar is its selection rate, with its true and false positive rates below it.
//! A slice that was not judged (too few rows, an undefined metric) is grey, with the reason.

use yew::prelude::*;

use super::bounds_chart::{bar_row, summary, Track, LABEL, PLOT, ROW};
use super::confusion_matrix::short;
use crate::checks::metric::Op;
use crate::report::fmt::{names, num};
use crate::report::{SliceOutcome, TestReport};

/// Room on the right for the value and the rows: `0.5735 · 146 rows`.
const VALUE: f64 = 116.0;
/// The extra height of a row with a line below its bar (a group's rates, why it was not judged).
const SUBLINE: f64 = 12.0;

#[derive(Properties, PartialEq)]
pub struct SliceChartProps {
    /// A test that reports slices; its `bounds` hold the bound it checked.
    pub test: TestReport,
}

/// How a slice is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Judged, and its value holds the per-slice bound.
    Pass,
    /// Judged, and its value does not hold the per-slice bound.
    Fail,
    /// Judged by a measure over all slices: the bar is a value, not a verdict.
    Measured,
    NotJudged,
}

impl Outcome {
    fn of(slice: &SliceOutcome, per_slice: Option<(Op, f64)>) -> Outcome {
        match (slice.judged, slice.value, per_slice) {
            (true, Some(value), Some((op, bound))) if op.holds(value, bound) => Outcome::Pass,
            (true, Some(_), Some(_)) => Outcome::Fail,
            (true, Some(_), None) => Outcome::Measured,
            _ => Outcome::NotJudged,
        }
    }

    /// The class of the slice's group and its `data-outcome`.
    fn name(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Measured => "measured",
            Outcome::NotJudged => "not-judged",
        }
    }
}

/// The bound every slice must hold: `slice_metric`'s, the one bound it reports. The op comes
/// back from the symbol the report writes, so a slice is judged by the test's own comparison.
fn per_slice_bound(test: &TestReport) -> Option<(Op, f64)> {
    let bound = test.bounds.first().filter(|_| test.kind == "slice_metric")?;
    let op = [Op::Gt, Op::Ge, Op::Lt, Op::Le].into_iter().find(|op| op.symbol() == bound.op)?;
    Some((op, bound.value))
}

/// The line below a slice's bar: a fairness group's rates, or why the slice was not judged.
fn subline(slice: &SliceOutcome, outcome: Outcome) -> Option<String> {
    if outcome == Outcome::NotJudged {
        let why = slice.note.as_deref().unwrap_or(if slice.rows == 0 { "no rows" } else { "no value" });
        return Some(format!("not judged: {why}"));
    }
    slice.rates.map(|r| format!("TPR {} · FPR {}", num(r.tpr), num(r.fpr)))
}

/// What the chart says in words: the bound, what it bounds, and how the slices fare.
fn caption(test: &TestReport, per_slice: Option<(Op, f64)>, outcomes: &[Outcome]) -> String {
    let unjudged = outcomes.iter().filter(|&&o| o == Outcome::NotJudged).count();
    let unjudged_text = if unjudged > 0 { format!("; {unjudged} not judged (grey)") } else { String::new() };
    match (per_slice, test.bounds.first()) {
        (Some((op, bound)), _) => {
            let failing: Vec<&str> = test
                .slices
                .iter()
                .zip(outcomes)
                .filter(|(_, &o)| o == Outcome::Fail)
                .map(|(s, _)| s.name.as_str())
                .collect();
            let judged = outcomes.len() - unjudged;
            let fare = if failing.is_empty() {
                format!("all {judged} judged slices hold")
            } else {
                format!("{} of {judged} judged slices fail: {}", failing.len(), names(&failing, 5))
            };
            format!(
                "{}: every slice {} {} (the line); {fare}{unjudged_text}",
                test.id,
                op.symbol(),
                num(bound)
            )
        }
        (None, Some(bound)) if test.kind == "fairness" => format!(
            "{}: {}; bars: each group's selection rate, its TPR and FPR below{unjudged_text}",
            test.id,
            summary(bound)
        ),
        (None, Some(bound)) => format!(
            "{}: {}, the spread of the judged bars, not a bound on each{unjudged_text}",
            test.id,
            summary(bound)
        ),
        (None, None) => format!("{}: {}", test.id, test.message),
    }
}

#[component]
pub fn SliceChart(props: &SliceChartProps) -> Html {
    let test = &props.test;
    let per_slice = per_slice_bound(test);
    let outcomes: Vec<Outcome> = test.slices.iter().map(|s| Outcome::of(s, per_slice)).collect();
    let sublines: Vec<Option<String>> =
        test.slices.iter().zip(&outcomes).map(|(s, &o)| subline(s, o)).collect();
    let row = if sublines.iter().any(Option::is_some) { ROW + SUBLINE } else { ROW };
    let track = Track::over(test.slices.iter().filter_map(|s| s.value).chain(per_slice.map(|(_, v)| v)));
    let (width, height) = (LABEL + PLOT + VALUE, test.slices.len() as f64 * row + 4.0);
    let caption = caption(test, per_slice, &outcomes);
    let values: Vec<String> = test
        .slices
        .iter()
        .map(|s| {
            format!("{} {} ({} rows)", s.name, s.value.map_or_else(|| "no value".to_owned(), num), s.rows)
        })
        .collect();
    let label = format!("{caption}. {}", values.join("; "));
    html! {
        <figure class="chart slices">
            <svg role="img" aria-label={label.clone()} viewBox={format!("0 0 {width} {height}")} width="100%"
                style={format!("max-width: {}px", width * 1.4)} data-testid="slice-chart" data-test-id={test.id.clone()}>
                <title>{ label }</title>
                { for test.slices.iter().zip(&outcomes).zip(&sublines).enumerate().map(|(i, ((slice, &outcome), subline))| {
                    let top = 2.0 + i as f64 * row;
                    let value = slice.value.map_or_else(|| "–".to_owned(), num);
                    let rows = if slice.rows == 1 { "1 row".to_owned() } else { format!("{} rows", slice.rows) };
                    let detail = subline.as_ref().map_or_else(String::new, |s| format!(", {s}"));
                    let verdict = match (outcome, per_slice) {
                        (Outcome::Pass, Some((op, bound))) => format!(", holds {} {}", op.symbol(), num(bound)),
                        (Outcome::Fail, Some((op, bound))) => format!(", does not hold {} {}", op.symbol(), num(bound)),
                        _ => String::new(),
                    };
                    html! {
                        <g class={classes!("slice", outcome.name())} data-testid="slice" data-name={slice.name.clone()}
                            data-rows={slice.rows.to_string()} data-outcome={outcome.name()}>
                            <title>{ format!("{}, {rows}: {value}{verdict}{detail}", slice.name) }</title>
                            { bar_row(top, &slice.name, 24, slice.value.map(|v| track.at(v)), format!("{value} · {rows}")) }
                            if let Some(text) = subline {
                                <text class="note" x={LABEL.to_string()} y={(top + 29.0).to_string()}>{ short(text, 52) }</text>
                            }
                        </g>
                    }
                }) }
                if let Some((op, bound)) = per_slice {
                    <line class="threshold" x1={format!("{:.2}", track.at(bound))} x2={format!("{:.2}", track.at(bound))}
                        y1="0" y2={height.to_string()} data-testid="slice-threshold">
                        <title>{ format!("every slice {} {}", op.symbol(), num(bound)) }</title>
                    </line>
                }
            </svg>
            <figcaption>{ caption }</figcaption>
        </figure>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::{render, sample_test, suite_report};

    /// The test `id` of the example suite of a model brought as predictions, which fails on
    /// Chinstrap penguins on purpose.
    fn your_model_test(id: &str) -> TestReport {
        sample_test("penguins-your-model.json", id)
    }

    #[tokio::test]
    async fn a_slice_below_the_bound_is_a_failing_bar_left_of_the_line() {
        let html =
            render::<SliceChart>(SliceChartProps { test: your_model_test("accuracy-by-species") }).await;
        assert_eq!(html.matches("data-testid=\"slice\"").count(), 3, "{html}");
        assert!(html.contains("data-name=\"Chinstrap\" data-rows=\"68\" data-outcome=\"fail\""), "{html}");
        assert!(html.contains("data-name=\"Adelie\" data-rows=\"146\" data-outcome=\"pass\""), "{html}");
        assert!(html.contains("data-name=\"Gentoo\" data-rows=\"119\" data-outcome=\"pass\""), "{html}");
        assert!(html.contains("class=\"slice fail\""), "{html}");
        // The bound 0.7 sits at 150 + 0.7 × 200; Chinstrap's 0.5735 ends at 150 + 114.71.
        assert!(html.contains("x1=\"290.00\""), "{html}");
        assert!(html.contains("width=\"114.71\""), "{html}");
        assert!(html.contains(">0.5735 · 68 rows</text>"), "{html}");
        assert!(
            html.contains("<title>Chinstrap, 68 rows: 0.5735, does not hold &gt;= 0.7</title>"),
            "{html}"
        );
        assert!(
            html.contains(
                "<figcaption>accuracy-by-species: every slice &gt;= 0.7 (the line); \
                 1 of 3 judged slices fail: `Chinstrap`</figcaption>"
            ),
            "{html}"
        );
        assert!(
            html.contains("role=\"img\"") && html.contains("data-test-id=\"accuracy-by-species\""),
            "{html}"
        );
        assert!(html.contains("viewBox=\"0 0 466 76\""), "{html}");
    }

    #[tokio::test]
    async fn bins_of_a_number_are_bars_that_all_hold() {
        let html = render::<SliceChart>(SliceChartProps { test: your_model_test("auc-by-body-mass") }).await;
        assert_eq!(html.matches("data-outcome=\"pass\"").count(), 4, "{html}");
        assert!(html.contains(">(4775, 6300]</text>"), "{html}");
        assert!(html.contains("all 4 judged slices hold"), "{html}");
    }

    #[tokio::test]
    async fn a_gap_bounds_no_slice_so_its_bars_have_no_line_and_the_caption_states_it() {
        let html = render::<SliceChart>(SliceChartProps { test: your_model_test("f1-gap-by-island") }).await;
        assert_eq!(html.matches("data-outcome=\"measured\"").count(), 3, "{html}");
        assert!(!html.contains("slice-threshold"), "{html}");
        assert!(
            html.contains("f1-gap-by-island: f1 gap by island = 0.2878 (&lt;= 0.2 does not hold), the spread of the judged bars"),
            "{html}"
        );
    }

    #[tokio::test]
    async fn a_fairness_group_is_its_selection_rate_with_its_rates_below() {
        let html = render::<SliceChart>(SliceChartProps { test: your_model_test("parity-by-species") }).await;
        assert_eq!(html.matches("data-outcome=\"measured\"").count(), 3, "{html}");
        assert!(!html.contains("slice-threshold"), "{html}");
        // Chinstrap: selection rate 63/68, TPR 1 and FPR 29/34 (the CLI's report).
        assert!(html.contains(">0.9265 · 68 rows</text>"), "{html}");
        assert!(html.contains(">TPR 1 · FPR 0.8529</text>"), "{html}");
        assert!(
            html.contains("demographic_parity_ratio by species = 0.381 (&gt;= 0.8 does not hold)"),
            "{html}"
        );
        assert!(html.contains("bars: each group's selection rate, its TPR and FPR below"), "{html}");
        // A line below each bar: rows of 36.
        assert!(html.contains("viewBox=\"0 0 466 112\""), "{html}");
    }

    #[tokio::test]
    async fn a_slice_with_too_few_rows_is_grey_with_its_reason() {
        let text = r#"{"version": 1, "data": {"source": "sample:penguins_predictions"}, "target": "sex",
            "task": "classification", "model": {"kind": "predictions", "prediction": "sex_pred", "scores": "p_male"},
            "tests": [{"id": "by-island", "kind": "slice_metric", "metric": "accuracy", "op": ">=", "value": 0.7,
                       "by": "island", "min_rows": 50}]}"#;
        let report = suite_report(text, "by-island.json");
        let html = render::<SliceChart>(SliceChartProps { test: report.tests[0].clone() }).await;
        assert!(
            html.contains("data-name=\"Torgersen\" data-rows=\"47\" data-outcome=\"not-judged\""),
            "{html}"
        );
        assert!(html.contains("class=\"slice not-judged\""), "{html}");
        assert!(html.contains(">not judged: 47 rows, fewer than min_rows 50</text>"), "{html}");
        assert!(html.contains("; 1 not judged (grey)</figcaption>"), "{html}");
        assert_eq!(html.matches("data-outcome=\"not-judged\"").count(), 1, "{html}");
    }
}
