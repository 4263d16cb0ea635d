//! Metrics against their thresholds, as SVG: one horizontal bar per bound a threshold test
//! checked (`metric_threshold`, `per_class_metric`, `cross_validation`), the observed value
//! as the bar and the threshold as a line across it, coloured pass or fail.

use yew::prelude::*;

use super::confusion_matrix::short;
use crate::report::fmt::num;
use crate::report::Bound;

/// Room on the left for the name, the track's length, and each bar's row; shared with the
/// slice chart, whose bars are drawn the same way.
pub(super) const LABEL: f64 = 150.0;
pub(super) const PLOT: f64 = 200.0;
pub(super) const ROW: f64 = 24.0;
/// Room on the right for the value.
const VALUE: f64 = 56.0;

/// The scale of a bar chart's track, from `LABEL` to `LABEL + PLOT`: scores in [0, 1] share
/// that scale; errors and losses are scaled to the largest value drawn.
#[derive(Debug, Clone, Copy)]
pub(super) struct Track {
    end: f64,
}

impl Track {
    /// The track for every value the chart draws (bars and thresholds alike).
    pub(super) fn over(values: impl IntoIterator<Item = f64>) -> Track {
        let largest = values.into_iter().fold(0.0_f64, f64::max);
        Track { end: if largest <= 1.0 { 1.0 } else { largest * 1.1 } }
    }

    /// The x of a value: a negative value at the track's start, one past its end at the end.
    pub(super) fn at(self, value: f64) -> f64 {
        LABEL + (value.max(0.0) / self.end).min(1.0) * PLOT
    }
}

/// A bound in words: `accuracy = 0.9211 (> 0.97 does not hold)`.
/// One row of a bar chart: its label, the track, the bar up to `bar_end` (none for a row
/// without a value) and the value's text, as the bounds, slice and drift charts draw a row.
pub(super) fn bar_row(
    top: f64,
    label: &str,
    label_chars: usize,
    bar_end: Option<f64>,
    value: String,
) -> Html {
    html! {
        <>
            <text class="tick" x={(LABEL - 6.0).to_string()} y={(top + 15.0).to_string()} text-anchor="end">{ short(label, label_chars) }</text>
            <rect class="track" x={LABEL.to_string()} y={(top + 4.0).to_string()} width={PLOT.to_string()} height="14" />
            if let Some(end) = bar_end {
                <rect class="bar" x={LABEL.to_string()} y={(top + 4.0).to_string()} width={format!("{:.2}", end - LABEL)} height="14" />
            }
            <text class="value" x={(LABEL + PLOT + 6.0).to_string()} y={(top + 15.0).to_string()}>{ value }</text>
        </>
    }
}

pub(super) fn summary(b: &Bound) -> String {
    let verdict = if b.holds { "holds" } else { "does not hold" };
    format!("{} = {} ({} {} {verdict})", b.name, num(b.observed), b.op, num(b.value))
}

#[derive(Properties, PartialEq)]
pub struct BoundsChartProps {
    pub title: AttrValue,
    pub bounds: Vec<Bound>,
}

#[component]
pub fn BoundsChart(props: &BoundsChartProps) -> Html {
    let track = Track::over(props.bounds.iter().flat_map(|b| [b.observed, b.value]));
    let at = |v: f64| track.at(v);
    let (width, height) = (LABEL + PLOT + VALUE, props.bounds.len() as f64 * ROW + 4.0);
    let summary: Vec<String> = props.bounds.iter().map(summary).collect();
    let label = format!("{}: {}", props.title, summary.join("; "));
    html! {
        <figure class="chart bounds">
            <svg role="img" aria-label={label.clone()} viewBox={format!("0 0 {width} {height}")} width="100%"
                style={format!("max-width: {}px", width * 1.4)} data-testid="bounds-chart">
                <title>{ label }</title>
                { for props.bounds.iter().enumerate().map(|(i, b)| {
                    let top = 2.0 + i as f64 * ROW;
                    let class = if b.holds { "bound pass" } else { "bound fail" };
                    html! {
                        <g class={class} data-testid="bound" data-name={b.name.clone()} data-holds={b.holds.to_string()}>
                            { bar_row(top, &b.name, 24, Some(at(b.observed)), num(b.observed)) }
                            <line class="threshold" x1={format!("{:.2}", at(b.value))} x2={format!("{:.2}", at(b.value))} y1={top.to_string()} y2={(top + 22.0).to_string()}>
                                <title>{ format!("{} {}", b.op, num(b.value)) }</title>
                            </line>
                        </g>
                    }
                }) }
            </svg>
        </figure>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::{render, sample_report};

    #[tokio::test]
    async fn a_failing_bound_is_a_bar_below_its_threshold_line() {
        let report = sample_report("breast-cancer-overfit.json");
        let bounds = report.tests.iter().find(|t| t.id == "accuracy").unwrap().bounds.clone();
        let html = render::<BoundsChart>(BoundsChartProps { title: "accuracy".into(), bounds }).await;
        assert!(html.contains("data-name=\"accuracy\" data-holds=\"false\""), "{html}");
        assert!(html.contains("accuracy = 0.9211 (&gt; 0.97 does not hold)"), "{html}");
        // The threshold 0.97 sits at 150 + 0.97 × 200.
        assert!(html.contains("x1=\"344.00\""), "{html}");
        assert!(html.contains("viewBox=\"0 0 406 28\""), "{html}");
    }
}
