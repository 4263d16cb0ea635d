//! Metrics against their thresholds, as SVG: one horizontal bar per bound a threshold test
//! checked (`metric_threshold`, `per_class_metric`, `cross_validation`), the observed value
//! as the bar and the threshold as a line across it, coloured pass or fail.

use yew::prelude::*;

use super::confusion_matrix::short;
use crate::report::fmt::num;
use crate::report::Bound;

const LABEL: f64 = 150.0;
const PLOT: f64 = 200.0;
const ROW: f64 = 24.0;
/// Room on the right for the value.
const VALUE: f64 = 56.0;

#[derive(Properties, PartialEq)]
pub struct BoundsChartProps {
    pub title: AttrValue,
    pub bounds: Vec<Bound>,
}

#[component]
pub fn BoundsChart(props: &BoundsChartProps) -> Html {
    // Scores in [0, 1] share that scale; errors and losses are scaled to the largest value.
    let largest = props.bounds.iter().flat_map(|b| [b.observed, b.value]).fold(0.0_f64, f64::max);
    let scale = if largest <= 1.0 { 1.0 } else { largest * 1.1 };
    let at = |v: f64| LABEL + (v.max(0.0) / scale).min(1.0) * PLOT;
    let (width, height) = (LABEL + PLOT + VALUE, props.bounds.len() as f64 * ROW + 4.0);
    let summary: Vec<String> = props
        .bounds
        .iter()
        .map(|b| {
            let verdict = if b.holds { "holds" } else { "does not hold" };
            format!("{} = {} ({} {} {verdict})", b.name, num(b.observed), b.op, num(b.value))
        })
        .collect();
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
                            <text class="tick" x={(LABEL - 6.0).to_string()} y={(top + 15.0).to_string()} text-anchor="end">{ short(&b.name, 24) }</text>
                            <rect class="track" x={LABEL.to_string()} y={(top + 4.0).to_string()} width={PLOT.to_string()} height="14" />
                            <rect class="bar" x={LABEL.to_string()} y={(top + 4.0).to_string()} width={format!("{:.2}", at(b.observed) - LABEL)} height="14" />
                            <line class="threshold" x1={format!("{:.2}", at(b.value))} x2={format!("{:.2}", at(b.value))} y1={top.to_string()} y2={(top + 22.0).to_string()}>
                                <title>{ format!("{} {}", b.op, num(b.value)) }</title>
                            </line>
                            <text class="value" x={(LABEL + PLOT + 6.0).to_string()} y={(top + 15.0).to_string()}>{ num(b.observed) }</text>
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
