//! The charts of a run: the trained model's confusion matrix and ROC curves, and every
//! threshold test's metrics against their thresholds. Nothing when the run trained no model
//! and checked no bound.

use std::rc::Rc;

use yew::prelude::*;

use super::{BoundsChart, ConfusionMatrix, RocChart};
use crate::report::{Bound, Report};

#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    pub report: Rc<Report>,
}

#[component]
pub fn Charts(props: &ChartsProps) -> Html {
    let report = &props.report;
    // Each bound named by its test when several tests report one.
    let several = report.tests.iter().filter(|t| !t.bounds.is_empty()).count() > 1;
    let bounds: Vec<Bound> = report
        .tests
        .iter()
        .flat_map(|t| {
            t.bounds.iter().map(move |b| Bound {
                name: if several { format!("{}: {}", t.id, b.name) } else { b.name.clone() },
                ..b.clone()
            })
        })
        .collect();
    let model = report.model.as_ref();
    let has_matrix = model.is_some_and(|m| !m.confusion_matrix.is_empty());
    let has_roc = model.is_some_and(|m| !m.roc.is_empty());
    if !has_matrix && !has_roc && bounds.is_empty() {
        return Html::default();
    }
    html! {
        <section class="charts" aria-labelledby="charts-heading">
            <h3 id="charts-heading">{ "Charts" }</h3>
            if let Some(model) = model {
                <p class="hint">{ format!("{} on {} test rows", model.description, model.test_rows) }</p>
            }
            <div class="chart-grid">
                if let (true, Some(model)) = (has_matrix, model) {
                    <ConfusionMatrix model={model.clone()} />
                }
                if let (true, Some(model)) = (has_roc, model) {
                    <RocChart model={model.clone()} />
                }
                if !bounds.is_empty() {
                    <BoundsChart title="Metrics against their thresholds" {bounds} />
                }
            </div>
        </section>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::{render, sample_report};

    #[tokio::test]
    async fn a_classifier_run_draws_its_matrix_its_roc_and_its_bounds() {
        let html = render::<Charts>(ChartsProps { report: sample_report("iris-accuracy-gate.json") }).await;
        for chart in ["confusion-matrix", "roc-chart", "bounds-chart"] {
            assert!(html.contains(&format!("data-testid=\"{chart}\"")), "{chart}: {html}");
        }
    }

    #[tokio::test]
    async fn a_run_of_data_tests_draws_nothing() {
        let html =
            render::<Charts>(ChartsProps { report: sample_report("penguins-missing-values.json") }).await;
        assert_eq!(html, "");
    }
}
