//! The confusion matrix of the trained model on its test rows, as an SVG grid: rows are the
//! true classes, columns the predicted ones (scikit-learn's convention), each cell shaded by
//! its share of its row and its count printed.

use yew::prelude::*;

use crate::report::ModelSummary;

const CELL: f64 = 60.0;
/// Room for the true-class labels on the left and the predicted-class labels on top.
const LEFT: f64 = 100.0;
const TOP: f64 = 52.0;

#[derive(Properties, PartialEq)]
pub struct ConfusionMatrixProps {
    pub model: ModelSummary,
}

/// A label short enough for a chart's axis: at most `max` characters, cut with `…`.
pub fn short(label: &str, max: usize) -> String {
    if label.chars().count() > max {
        format!("{}…", label.chars().take(max.saturating_sub(1)).collect::<String>())
    } else {
        label.to_owned()
    }
}

#[component]
pub fn ConfusionMatrix(props: &ConfusionMatrixProps) -> Html {
    let model = &props.model;
    let n = model.classes.len();
    let (width, height) = (LEFT + n as f64 * CELL + 8.0, TOP + n as f64 * CELL + 8.0);
    let correct: usize =
        (0..n).map(|k| model.confusion_matrix.get(k).and_then(|r| r.get(k)).copied().unwrap_or(0)).sum();
    let title = format!(
        "Confusion matrix of {} on {} test rows: {correct} correct; rows are true classes, columns predicted",
        model.target, model.test_rows
    );
    html! {
        <figure class="chart confusion-matrix">
            <svg role="img" aria-label={title.clone()} viewBox={format!("0 0 {width} {height}")} width="100%"
                style={format!("max-width: {}px", width * 1.4)} data-testid="confusion-matrix">
                <title>{ title }</title>
                <text class="axis-title" x={(LEFT + n as f64 * CELL / 2.0).to_string()} y="12" text-anchor="middle">{ "predicted" }</text>
                <text class="axis-title" x="4" y="12">{ "true ↓" }</text>
                { for model.classes.iter().enumerate().map(|(k, label)| html! { <>
                    <text class="tick" x={(LEFT + (k as f64 + 0.5) * CELL).to_string()} y={(TOP - 8.0).to_string()} text-anchor="middle">{ short(label, 12) }</text>
                    <text class="tick" x={(LEFT - 6.0).to_string()} y={(TOP + (k as f64 + 0.5) * CELL + 4.0).to_string()} text-anchor="end">{ short(label, 12) }</text>
                </> }) }
                { for model.confusion_matrix.iter().enumerate().flat_map(|(t, row)| {
                    let total = row.iter().sum::<usize>().max(1) as f64;
                    row.iter().enumerate().map(move |(p, &count)| {
                        let share = count as f64 / total;
                        let (x, y) = (LEFT + p as f64 * CELL, TOP + t as f64 * CELL);
                        let class = if t == p { "cell hit" } else { "cell miss" };
                        html! {
                            <g class={class} data-testid="cm-cell" data-true={t.to_string()} data-pred={p.to_string()} data-count={count.to_string()}>
                                <rect x={x.to_string()} y={y.to_string()} width={CELL.to_string()} height={CELL.to_string()}
                                    fill-opacity={format!("{:.3}", 0.08 + 0.85 * share)} />
                                <text x={(x + CELL / 2.0).to_string()} y={(y + CELL / 2.0 + 5.0).to_string()} text-anchor="middle"
                                    class={if share > 0.5 { "count dark" } else { "count" }}>{ count }</text>
                            </g>
                        }
                    })
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
    async fn iris_cells_print_the_counts_with_axis_labels() {
        let model = sample_report("iris-accuracy-gate.json").model.clone().unwrap();
        let html = render::<ConfusionMatrix>(ConfusionMatrixProps { model }).await;
        assert_eq!(html.matches("data-testid=\"cm-cell\"").count(), 9, "{html}");
        assert!(html.contains("data-true=\"1\" data-pred=\"2\" data-count=\"1\""), "{html}");
        assert!(html.contains("data-true=\"0\" data-pred=\"0\" data-count=\"10\""), "{html}");
        assert_eq!(html.matches(">versicolor</text>").count(), 2);
        assert!(html.contains("<title>Confusion matrix of species on 30 test rows: 28 correct"), "{html}");
        assert!(html.contains("viewBox=\"0 0 288 240\"") && html.contains("width=\"100%\""), "{html}");
    }

    #[test]
    fn long_labels_are_cut() {
        assert_eq!(short("a_very_long_class_name", 12), "a_very_long…");
        assert_eq!(short("Adelie", 12), "Adelie");
    }
}
