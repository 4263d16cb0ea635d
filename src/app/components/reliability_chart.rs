//! The reliability diagram of the model's probabilities, as SVG: scikit-learn's
//! `calibration_curve` bins (the suite's first `calibration` test's), each bin's mean predicted
//! probability on x against how often the event happened on y, joined by a line, each point's
//! area by the bin's rows, and the dashed diagonal of a perfectly calibrated model. Drawn on
//! the ROC chart's unit square.
//!
//! For two classes the event is the positive class (the second, as the `calibration` test and
//! the ROC curve take it); for more, the top-label form: the row's highest probability against
//! whether that class is the true one.

use yew::prelude::*;

use super::confusion_matrix::short;
use super::roc_chart::{unit_square, x, y, BOTTOM, LEFT, SIDE, TOP};
use crate::report::fmt::num;
use crate::report::ModelSummary;

/// The radius of the smallest point and what the largest bin adds to it.
const RADIUS: f64 = 2.5;
const GROWTH: f64 = 4.5;

#[derive(Properties, PartialEq)]
pub struct ReliabilityDiagramProps {
    /// The model whose `calibration` curve is drawn; nothing is drawn without one.
    pub model: ModelSummary,
}

/// What the probabilities are of: the chart's title and its axes' titles.
struct Event {
    title: String,
    x_title: String,
    y_title: String,
}

fn event(model: &ModelSummary) -> Event {
    match model.classes.as_slice() {
        [_, positive] => {
            let event = format!("{} = {}", model.target, short(positive, 12));
            Event {
                title: format!("P({event})"),
                x_title: format!("mean predicted P({event})"),
                y_title: format!("fraction with {event}"),
            }
        }
        _ => Event {
            title: "the top class's probability (top-label)".to_owned(),
            x_title: "mean top-class probability".to_owned(),
            y_title: "fraction whose top class is right".to_owned(),
        },
    }
}

#[component]
pub fn ReliabilityDiagram(props: &ReliabilityDiagramProps) -> Html {
    let Some(curve) = props.model.calibration.as_ref().filter(|c| !c.counts.is_empty()) else {
        return Html::default();
    };
    let event = event(&props.model);
    let rows: usize = curve.counts.iter().sum();
    let largest = curve.counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let bins = match curve.counts.len() {
        1 => "1 bin".to_owned(),
        n => format!("{n} bins"),
    };
    let title = format!(
        "Reliability diagram of {} on {rows} rows in {bins}: expected calibration error {}; \
         the dashed diagonal is perfect calibration",
        event.title,
        num(curve.expected_error())
    );
    let points: Vec<(f64, f64, usize)> = curve
        .prob_pred
        .iter()
        .zip(&curve.prob_true)
        .zip(&curve.counts)
        .map(|((&pred, &truth), &count)| (pred, truth, count))
        .collect();
    let listed: Vec<String> = points
        .iter()
        .map(|&(pred, truth, count)| format!("{} → {} ({count} rows)", num(pred), num(truth)))
        .collect();
    let label = format!("{title}. Bins, mean predicted → observed: {}", listed.join(", "));
    let (width, height) = (LEFT + SIDE + 10.0, TOP + SIDE + BOTTOM);
    let line: Vec<String> =
        points.iter().map(|&(pred, truth, _)| format!("{},{}", x(pred), y(truth))).collect();
    html! {
        <figure class="chart reliability">
            <svg role="img" aria-label={label.clone()} viewBox={format!("0 0 {width} {height}")} width="100%"
                style={format!("max-width: {}px", width * 1.4)} data-testid="reliability-diagram">
                <title>{ label }</title>
                { unit_square(&event.x_title, &event.y_title, height) }
                <polyline class="curve" points={line.join(" ")} data-testid="calibration-curve" />
                { for points.iter().map(|&(pred, truth, count)| {
                    // The point's area, not its radius, grows with its rows.
                    let r = RADIUS + GROWTH * (count as f64 / largest).sqrt();
                    html! {
                        <circle class="point" cx={x(pred)} cy={y(truth)} r={format!("{r:.2}")}
                            data-testid="calibration-point" data-count={count.to_string()}>
                            <title>{ format!("{count} rows: mean predicted {}, observed {}", num(pred), num(truth)) }</title>
                        </circle>
                    }
                }) }
            </svg>
            <figcaption>{ format!("{title}. A point is a bin, its area by its rows.") }</figcaption>
        </figure>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::{render, sample_report, suite_report};

    #[tokio::test]
    async fn a_binary_model_draws_its_bins_against_the_diagonal() {
        let model = sample_report("penguins-your-model.json").model.clone().unwrap();
        let html = render::<ReliabilityDiagram>(ReliabilityDiagramProps { model }).await;
        assert_eq!(html.matches("data-testid=\"calibration-point\"").count(), 10, "{html}");
        assert!(
            html.contains("x1=\"40.00\" y1=\"210.00\" x2=\"240.00\" y2=\"10.00\" class=\"diagonal\""),
            "{html}"
        );
        // The first bin: 23 rows, mean predicted 0.0714 and none male (the CLI's report).
        assert!(html.contains("<title>23 rows: mean predicted 0.0714, observed 0</title>"), "{html}");
        assert!(html.contains("points=\"54.27,210.00 "), "{html}");
        // The largest bin (45 rows) has the largest point.
        assert!(html.contains("r=\"7.00\" data-testid=\"calibration-point\" data-count=\"45\""), "{html}");
        assert!(
            html.contains(
                "Reliability diagram of P(sex = male) on 333 rows in 10 bins: expected calibration error 0.1213"
            ),
            "{html}"
        );
        assert!(
            html.contains(">mean predicted P(sex = male)</text>")
                && html.contains(">fraction with sex = male</text>")
        );
        assert!(html.contains("role=\"img\"") && html.contains("<figcaption>"), "{html}");
    }

    #[tokio::test]
    async fn more_classes_draw_the_top_label_curve() {
        let text = r#"{"version": 1, "data": {"source": "sample:iris"}, "target": "species",
            "task": "classification", "model": {"kind": "gaussian_nb"},
            "tests": [{"id": "ece", "kind": "calibration", "measure": "ece", "max": 0.5, "n_bins": 5}]}"#;
        let model = suite_report(text, "iris-ece.json").model.clone().unwrap();
        let bins = model.calibration.as_ref().unwrap().counts.len();
        let html = render::<ReliabilityDiagram>(ReliabilityDiagramProps { model }).await;
        assert_eq!(html.matches("data-testid=\"calibration-point\"").count(), bins, "{html}");
        assert!(html.contains("Reliability diagram of the top class's probability (top-label)"), "{html}");
        assert!(html.contains(">fraction whose top class is right</text>"), "{html}");
    }

    #[tokio::test]
    async fn a_model_without_a_calibration_test_draws_nothing() {
        let model = sample_report("iris-accuracy-gate.json").model.clone().unwrap();
        assert_eq!(render::<ReliabilityDiagram>(ReliabilityDiagramProps { model }).await, "");
    }
}
