//! The charts of a run: the model's confusion matrix, ROC curves and reliability diagram,
//! every threshold test's metrics against their thresholds, and each slice test's slices.
//! Nothing when the run trained no model, checked no bound and cut no slice.

use std::rc::Rc;

use yew::prelude::*;

use super::{BoundsChart, ConfusionMatrix, DriftChart, ReliabilityDiagram, RocChart, SliceChart};
use crate::report::{Bound, Report};

#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    pub report: Rc<Report>,
    /// Drawn for the HTML report: nothing to click ([`DriftChart`]'s histograms open).
    #[prop_or_default]
    pub snapshot: bool,
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
    let has_calibration = model.is_some_and(|m| m.calibration.as_ref().is_some_and(|c| !c.counts.is_empty()));
    let sliced: Vec<_> = report.tests.iter().filter(|t| !t.slices.is_empty()).collect();
    let drifting: Vec<_> = report.tests.iter().filter(|t| !t.drift.is_empty()).collect();
    if !has_matrix
        && !has_roc
        && !has_calibration
        && bounds.is_empty()
        && sliced.is_empty()
        && drifting.is_empty()
    {
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
                if let (true, Some(model)) = (has_calibration, model) {
                    <ReliabilityDiagram model={model.clone()} />
                }
                if !bounds.is_empty() {
                    <BoundsChart title="Metrics against their thresholds" {bounds} />
                }
                { for sliced.into_iter().map(|test| html! {
                    <SliceChart key={test.id.clone()} test={test.clone()} />
                }) }
                { for drifting.into_iter().map(|test| html! {
                    <DriftChart key={format!("drift-{}", test.id)} test={test.clone()} snapshot={props.snapshot} />
                }) }
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
        let html = render::<Charts>(ChartsProps {
            report: sample_report("iris-accuracy-gate.json"),
            snapshot: false,
        })
        .await;
        for chart in ["confusion-matrix", "roc-chart", "bounds-chart"] {
            assert!(html.contains(&format!("data-testid=\"{chart}\"")), "{chart}: {html}");
        }
    }

    #[tokio::test]
    async fn a_model_brought_as_predictions_draws_its_slices_and_its_reliability() {
        let report = sample_report("penguins-your-model.json");
        let html = render::<Charts>(ChartsProps { report, snapshot: false }).await;
        for chart in ["confusion-matrix", "roc-chart", "reliability-diagram", "bounds-chart"] {
            assert!(html.contains(&format!("data-testid=\"{chart}\"")), "{chart}: {html}");
        }
        // One slice chart per slice test, in the suite's order.
        let sliced: Vec<&str> = html
            .split("data-testid=\"slice-chart\" data-test-id=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        assert_eq!(
            sliced,
            [
                "accuracy-by-species",
                "f1-gap-by-island",
                "auc-by-body-mass",
                "parity-by-species",
                "equal-odds-by-island"
            ],
        );
    }

    #[tokio::test]
    async fn a_run_of_data_tests_draws_nothing() {
        let html = render::<Charts>(ChartsProps {
            report: sample_report("penguins-missing-values.json"),
            snapshot: false,
        })
        .await;
        assert_eq!(html, "");
    }
}
