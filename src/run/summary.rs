//! What the report adds for the page's charts, from the pipeline trained once for the suite:
//! the stage strip (rule in [`crate::report::stages`]) and the model's confusion matrix and
//! ROC curves on the test rows.

use crate::pipeline::fit::{self, StageError, Trained};
use crate::pipeline::limits::{MAX_CONFUSION_CLASSES, MAX_ROC_CURVES, MAX_ROC_POINTS};
use crate::pipeline::model::Output;
use crate::pipeline::roc;
use crate::pipeline::{calibration, metrics};
use crate::report::{ModelSummary, Outcome, RocCurve, Stage, StageOutcome, TestReport, Verdict};
use crate::vocab::Family;

/// The stage strip of a run whose tests are `tests` and whose pipeline went as `trained`.
pub fn stages(
    tests: &[TestReport],
    trained: Option<&Result<Trained<'_>, StageError>>,
    verdict: Verdict,
) -> Vec<StageOutcome> {
    let failed_at = match trained {
        Some(Err(failed)) => Some(failed.stage),
        _ => None,
    };
    // A pipeline stage: not run without a pipeline, else pass before the failed stage,
    // error at it, skipped after it.
    let pipeline = |stage: fit::Stage| match (trained, failed_at) {
        (None, _) => Outcome::NotRun,
        (Some(_), Some(failed)) if stage == failed => Outcome::Error,
        (Some(_), Some(failed)) if stage > failed => Outcome::Skipped,
        (Some(_), _) => Outcome::Pass,
    };
    let family = |wanted: &[Family]| {
        Outcome::worst(
            tests
                .iter()
                .filter(|t| wanted.contains(&t.family) && t.kind != super::PIPELINE_FAILURE)
                .map(|t| t.status),
        )
    };
    Stage::ALL
        .into_iter()
        .map(|stage| {
            let outcome = match stage {
                Stage::Data if failed_at == Some(fit::Stage::Prepare) => Outcome::Error,
                Stage::Data => family(&[Family::Data]),
                Stage::Split => pipeline(fit::Stage::Split),
                Stage::Preprocess => pipeline(fit::Stage::Preprocess),
                Stage::Train => pipeline(fit::Stage::Train).max(pipeline(fit::Stage::Predict)),
                Stage::Evaluate => family(&[Family::Unit, Family::Threshold, Family::Integration]),
                Stage::Verdict => match verdict {
                    Verdict::Pass => Outcome::Pass,
                    Verdict::Fail => Outcome::Fail,
                },
            };
            StageOutcome { stage, outcome }
        })
        .collect()
}

/// The trained model on its test rows: for a classifier its confusion matrix and ROC curves,
/// and its reliability curve in `calibration_bins` bins when a `calibration` test asks.
pub fn model_summary(trained: &Trained<'_>, calibration_bins: Option<usize>) -> ModelSummary {
    let fitted = &trained.fitted;
    let mut summary = ModelSummary {
        description: trained.spec.model.describe(),
        task: trained.spec.task,
        target: trained.prepared.target_name.clone(),
        test_rows: trained.split.test.len(),
        classes: fitted.y_test.class_names().to_vec(),
        confusion_matrix: Vec::new(),
        roc: Vec::new(),
        calibration: None,
    };
    let (Some((truth, n)), Output::Classes { labels, proba }) =
        (fitted.y_test.classes(), &fitted.test_output)
    else {
        return summary;
    };
    // The charts' data is bounded whatever the classes and rows: a matrix of classes² counts
    // and a curve per class of up to a point per test row would make the report larger
    // than the data.
    if n <= MAX_CONFUSION_CLASSES {
        if let Ok(matrix) = metrics::confusion_matrix(truth, labels, n) {
            summary.confusion_matrix = (0..n).map(|t| (0..n).map(|p| matrix.get(t, p)).collect()).collect();
        }
    }
    // Binary: the second class is the positive one (scikit-learn's pos_label=1 after label
    // encoding); multiclass: each class against the rest.
    let scored: Vec<usize> = match n {
        _ if proba.ncols() != n => Vec::new(),
        2 => vec![1],
        _ if n > MAX_ROC_CURVES => Vec::new(),
        _ => (0..n).collect(),
    };
    for class in scored {
        let positive: Vec<bool> = truth.iter().map(|&t| t == class).collect();
        let scores: Vec<f64> = proba.column(class).to_vec();
        if let Some(points) = roc::roc_curve(&positive, &scores) {
            summary.roc.push(RocCurve {
                class: summary.classes[class].clone(),
                auc: roc::area(&points),
                points: roc::thin(points, MAX_ROC_POINTS),
            });
        }
    }
    if let (Some(bins), true) = (calibration_bins, proba.ncols() == n) {
        let proba = proba.as_standard_layout();
        // The curve ECE is computed from: the positive class's, or each row's top label's.
        summary.calibration =
            calibration::ece(truth, proba.as_slice().unwrap_or(&[]), n, 1, bins).ok().map(|(_, curve)| curve);
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::evaluate::Metric;
    use crate::report::Report;
    use crate::run::{builtin_data, run};
    use crate::suite::{parse, Format};
    use crate::table::LoadOptions;

    fn run_text(text: &str) -> Report {
        let suite = parse(text, Format::Json, "s.json").unwrap();
        let table = builtin_data(&suite, &LoadOptions::default()).unwrap().unwrap();
        run(&suite, &table)
    }

    fn outcomes(report: &Report) -> Vec<Outcome> {
        report.stages.iter().map(|s| s.outcome).collect()
    }

    #[test]
    fn the_overfit_tree_has_scikit_learns_confusion_matrix_and_a_failing_evaluate_stage() {
        let report = run_text(include_str!("../../static/suites/breast-cancer-overfit.json"));
        let model = report.model.as_ref().unwrap();
        assert_eq!(model.classes, ["benign", "malignant"]);
        // scikit-learn 1.9.1: confusion_matrix(y_true, y_pred, labels=["benign", "malignant"])
        // on the rows of `mltest run --predictions` for this suite.
        assert_eq!(model.confusion_matrix, [[67, 5], [4, 38]]);
        assert_eq!(model.test_rows, 114);
        // A binary target has one curve, for its second class; its area is the roc_auc metric.
        let [curve] = model.roc.as_slice() else { panic!("one curve: {:?}", model.roc) };
        assert_eq!(curve.class, "malignant");
        let test_rows = report.tests.iter().find(|t| t.id == "accuracy").unwrap();
        assert_eq!(test_rows.bounds[0].name, "accuracy");
        use Outcome::*;
        assert_eq!(outcomes(&report), [NotRun, Pass, Pass, Pass, Fail, Fail]);
    }

    #[test]
    fn a_binary_curve_area_is_the_roc_auc_metric() {
        let suite = include_str!("../../static/suites/breast-cancer-overfit.json")
            .replace(r#""kind": "decision_tree""#, r#""kind": "gaussian_nb""#);
        let parsed = parse(&suite, Format::Json, "s.json").unwrap();
        let table = builtin_data(&parsed, &LoadOptions::default()).unwrap().unwrap();
        let trained = fit::train(&table, parsed.pipeline.as_ref().unwrap()).unwrap();
        let summary = model_summary(&trained, None);
        let auc = Metric::RocAuc.compute(&trained.fitted.y_test, &trained.fitted.test_output, None).unwrap();
        assert!((summary.roc[0].auc - auc).abs() < 1e-12, "{} vs {auc}", summary.roc[0].auc);
        assert!(summary.roc[0].points.len() > 3);
    }

    #[test]
    fn multiclass_has_one_curve_per_class_and_every_stage_passes() {
        let report = run_text(include_str!("../../static/suites/iris-accuracy-gate.json"));
        let model = report.model.as_ref().unwrap();
        let classes: Vec<&str> = model.roc.iter().map(|c| c.class.as_str()).collect();
        assert_eq!(classes, ["setosa", "versicolor", "virginica"]);
        assert_eq!(model.confusion_matrix, [[10, 0, 0], [0, 9, 1], [0, 1, 9]]);
        assert_eq!(outcomes(&report), [Outcome::Pass; 6]);
    }

    #[test]
    fn a_failed_stage_is_an_error_and_the_stages_after_it_are_skipped() {
        let report = run_text(
            r#"{"version": 1, "data": {"source": "sample:penguins"}, "target": "species",
                "task": "classification", "model": {"kind": "gaussian_nb"},
                "tests": [{"id": "rows", "kind": "row_count_between", "min": 1},
                          {"id": "acc", "kind": "metric_threshold", "metric": "accuracy", "op": ">", "value": 0.5}]}"#,
        );
        use Outcome::*;
        assert_eq!(outcomes(&report), [Pass, Pass, Error, Skipped, Skipped, Fail]);
        assert!(report.model.is_none());
    }

    #[test]
    fn a_suite_of_data_tests_trains_nothing() {
        let report = run_text(include_str!("../../static/suites/penguins-missing-values.json"));
        use Outcome::*;
        assert_eq!(outcomes(&report), [Fail, NotRun, NotRun, NotRun, NotRun, Fail]);
        assert!(report.model.is_none());
    }

    /// `rows` rows of two numeric features and a target of `classes` classes.
    fn many_classes(rows: usize, classes: usize) -> crate::table::Table {
        let mut rng = crate::pipeline::split::SplitMix64::new(3);
        let mut csv = String::from("a,b,y\n");
        for i in 0..rows {
            let class = i % classes;
            csv.push_str(&format!("{},{},c{class}\n", class as f64 + rng.normal(), rng.normal()));
        }
        crate::table::read_csv(csv.as_bytes(), "t.csv", &LoadOptions::default()).unwrap()
    }

    /// Naive Bayes trained on `table` to predict `y`.
    fn trained_on(table: &crate::table::Table) -> fit::Trained<'_> {
        let suite = parse(
            r#"{"version": 1, "data": {"source": "file", "path": "t.csv"}, "target": "y",
                "task": "classification", "model": {"kind": "gaussian_nb"}, "tests": []}"#,
            Format::Json,
            "s.json",
        )
        .unwrap();
        fit::train(table, suite.pipeline.as_ref().unwrap()).unwrap()
    }

    fn summary_of(table: &crate::table::Table) -> ModelSummary {
        model_summary(&trained_on(table), None)
    }

    #[test]
    fn regression_the_reports_charts_are_bounded_whatever_the_classes() {
        // 150 classes: a ROC curve per class and a 150 × 150 matrix grew with classes × rows
        // and classes²; 20 classes keep both.
        let wide = summary_of(&many_classes(3_000, 150));
        assert_eq!(wide.classes.len(), 150);
        assert!(wide.roc.is_empty() && wide.confusion_matrix.is_empty());
        let narrow = summary_of(&many_classes(2_000, MAX_ROC_CURVES));
        assert_eq!(narrow.roc.len(), MAX_ROC_CURVES);
        assert_eq!(narrow.confusion_matrix.len(), MAX_ROC_CURVES);
    }

    #[test]
    fn regression_a_roc_curve_of_many_scores_is_thinned_after_its_area() {
        // Two overlapping classes over 20k rows: the test part's curve bends at most rows.
        let table = many_classes(20_000, 2);
        let summary = summary_of(&table);
        let [curve] = summary.roc.as_slice() else { panic!("{:?}", summary.roc.len()) };
        assert_eq!(curve.points.len(), MAX_ROC_POINTS);
        let (first, last) = (curve.points[0], curve.points[MAX_ROC_POINTS - 1]);
        assert_eq!((first.fpr, first.tpr, last.fpr, last.tpr), (0.0, 0.0, 1.0, 1.0));
        // The area is the full curve's: the roc_auc metric, not the thinned curve's.
        let trained = trained_on(&table);
        let auc = Metric::RocAuc.compute(&trained.fitted.y_test, &trained.fitted.test_output, None).unwrap();
        assert!((curve.auc - auc).abs() < 1e-12);
    }
}
