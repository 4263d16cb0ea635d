//! The ROC curves of the trained model on its test rows, as SVG: one curve for a binary
//! target (its AUC in the title), one per class against the rest for more classes (each AUC
//! in the legend), and the diagonal of a model that guesses.

use yew::prelude::*;

use super::confusion_matrix::short;
use crate::report::fmt::num;
use crate::report::ModelSummary;

/// The plot's side, and the margins for the axes' ticks and titles; shared with the
/// reliability diagram, also drawn on the unit square.
pub(super) const SIDE: f64 = 200.0;
pub(super) const LEFT: f64 = 40.0;
pub(super) const TOP: f64 = 10.0;
pub(super) const BOTTOM: f64 = 36.0;
/// Room on the right for the legend of a multiclass chart.
const LEGEND: f64 = 120.0;

#[derive(Properties, PartialEq)]
pub struct RocChartProps {
    pub model: ModelSummary,
}

/// A plot coordinate of a rate in [0, 1].
pub(super) fn x(rate: f64) -> String {
    format!("{:.2}", LEFT + rate * SIDE)
}

pub(super) fn y(rate: f64) -> String {
    format!("{:.2}", TOP + (1.0 - rate) * SIDE)
}

/// The unit square both axes of which run over [0, 1]: its frame, the dashed diagonal, ticks at
/// 0, 0.5 and 1, and the axes' titles, below a chart `height` high.
pub(super) fn unit_square(x_title: &str, y_title: &str, height: f64) -> Html {
    html! { <>
        <rect class="plot" x={LEFT.to_string()} y={TOP.to_string()} width={SIDE.to_string()} height={SIDE.to_string()} />
        <line class="diagonal" x1={x(0.0)} y1={y(0.0)} x2={x(1.0)} y2={y(1.0)} />
        { for [0.0, 0.5, 1.0].into_iter().map(|t| html! { <>
            <text class="tick" x={x(t)} y={(TOP + SIDE + 13.0).to_string()} text-anchor="middle">{ num(t) }</text>
            <text class="tick" x={(LEFT - 4.0).to_string()} y={y(t)} text-anchor="end" dy="4">{ num(t) }</text>
        </> }) }
        <text class="axis-title" x={x(0.5)} y={(height - 4.0).to_string()} text-anchor="middle">{ x_title.to_owned() }</text>
        <text class="axis-title" transform={format!("translate(11 {}) rotate(-90)", y(0.5))} text-anchor="middle">{ y_title.to_owned() }</text>
    </> }
}

#[component]
pub fn RocChart(props: &RocChartProps) -> Html {
    let curves = &props.model.roc;
    let binary = curves.len() == 1 && props.model.classes.len() == 2;
    let title = if binary {
        format!("ROC curve of {} = {}: AUC {}", props.model.target, curves[0].class, num(curves[0].auc))
    } else {
        let aucs: Vec<String> = curves.iter().map(|c| format!("{} {}", c.class, num(c.auc))).collect();
        format!("ROC curves, each class against the rest: AUC {}", aucs.join(", "))
    };
    let legend = if binary { 0.0 } else { LEGEND };
    let (width, height) = (LEFT + SIDE + 10.0 + legend, TOP + SIDE + BOTTOM);
    html! {
        <figure class="chart roc">
            <svg role="img" aria-label={title.clone()} viewBox={format!("0 0 {width} {height}")} width="100%"
                style={format!("max-width: {}px", width * 1.4)} data-testid="roc-chart">
                <title>{ title.clone() }</title>
                { unit_square("false positive rate", "true positive rate", height) }
                { for curves.iter().enumerate().map(|(i, curve)| {
                    let points: Vec<String> = curve.points.iter().map(|p| format!("{},{}", x(p.fpr), y(p.tpr))).collect();
                    html! {
                        <polyline class={format!("curve series-{}", i % 6)} points={points.join(" ")} data-testid="roc-curve" data-class={curve.class.clone()}>
                            <title>{ format!("{}: AUC {}", curve.class, num(curve.auc)) }</title>
                        </polyline>
                    }
                }) }
                if !binary {
                    { for curves.iter().enumerate().map(|(i, curve)| {
                        let row = TOP + 14.0 + i as f64 * 16.0;
                        html! { <>
                            <line class={format!("curve series-{}", i % 6)} x1={(LEFT + SIDE + 12.0).to_string()} x2={(LEFT + SIDE + 26.0).to_string()}
                                y1={(row - 4.0).to_string()} y2={(row - 4.0).to_string()} />
                            <text class="legend" x={(LEFT + SIDE + 30.0).to_string()} y={row.to_string()}>{ format!("{} {}", short(&curve.class, 12), num(curve.auc)) }</text>
                        </> }
                    }) }
                }
            </svg>
            <figcaption>{ title }</figcaption>
        </figure>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::{render, sample_report};

    #[tokio::test]
    async fn a_binary_target_has_one_curve_the_diagonal_and_its_auc_in_the_title() {
        let model = sample_report("breast-cancer-overfit.json").model.clone().unwrap();
        let html = render::<RocChart>(RocChartProps { model }).await;
        assert_eq!(html.matches("data-testid=\"roc-curve\"").count(), 1, "{html}");
        assert!(html.contains("<title>ROC curve of diagnosis = malignant: AUC 0.9177</title>"), "{html}");
        assert!(html.contains("class=\"diagonal\""));
        assert!(html.contains("points=\"40.00,210.00 "), "{html}");
    }

    #[tokio::test]
    async fn multiclass_has_a_curve_and_a_legend_entry_per_class() {
        let model = sample_report("iris-accuracy-gate.json").model.clone().unwrap();
        let html = render::<RocChart>(RocChartProps { model }).await;
        assert_eq!(html.matches("data-testid=\"roc-curve\"").count(), 3, "{html}");
        assert!(html.contains(">versicolor 0.99</text>"), "{html}");
        assert!(html.contains("AUC setosa 1, versicolor 0.99, virginica 0.995"), "{html}");
    }
}
