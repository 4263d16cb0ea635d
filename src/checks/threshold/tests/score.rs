//! The kinds of `threshold/score.rs`, run as a suite runs them.

use super::*;
use crate::checks::threshold::score::relative_drop;

// ---------------------------------------------------------------------------------------
// metric_threshold

#[test]
fn metric_threshold_passes_the_seed_lessons_accuracy_gate() {
    let t = one(iris, json!({"kind": "metric_threshold", "metric": "accuracy", "op": ">", "value": 0.8}));
    assert_status(&t, Status::Pass);
    // 28 of the 30 stratified test rows (seed 42) are predicted right.
    assert_close(observed(&t), 28.0 / 30.0);
    assert_eq!(t.steps[2].evaluation, "0.9333 > 0.8");
    assert_eq!(var(&t, "accuracy"), Some("0.9333"));
}

#[test]
fn metric_threshold_above_the_models_accuracy_fails_the_verdict() {
    let report = run_suite(&iris(json!([
        {"id": "t", "kind": "metric_threshold", "metric": "accuracy", "op": ">", "value": 0.99}
    ])));
    let t = &report.tests[0];
    assert_status(t, Status::Fail);
    assert_eq!(t.message, "accuracy is 0.9333 on 30 test rows: accuracy > 0.99 does not hold");
    // The CLI exits 1 on this verdict.
    assert_eq!(report.verdict, Verdict::Fail);
    assert_eq!(report.summary.failed, 1);
}

#[test]
fn metric_threshold_with_a_regression_metric_on_classification_is_an_error() {
    let t = one(iris, json!({"kind": "metric_threshold", "metric": "r2", "op": ">", "value": 0.5}));
    assert_status(&t, Status::Error);
    assert_eq!(t.message, "r2 is a regression metric; the suite's task is classification");
}

#[test]
fn metric_threshold_refuses_folds_without_cross_validation() {
    let err = param_error(
        iris,
        json!({"kind": "metric_threshold", "metric": "accuracy", "op": ">", "value": 0.8, "folds": 3}),
    );
    assert_param_error(&err, "folds", "only read with");
}

// ---------------------------------------------------------------------------------------
// per_class_metric

#[test]
fn per_class_metric_reports_every_class_and_passes_when_all_hold() {
    let t = one(penguins, json!({"kind": "per_class_metric", "metric": "recall", "op": ">=", "value": 0.9}));
    assert_status(&t, Status::Pass);
    assert_eq!(
        actions(&t)[1..4],
        ["evaluate_class(Adelie)", "evaluate_class(Chinstrap)", "evaluate_class(Gentoo)"]
    );
    assert_eq!(t.steps[2].evaluation, "recall on 69 test rows, 14 of them Chinstrap");
    assert_eq!(t.observed, json!({"Adelie": 1.0, "Chinstrap": 1.0, "Gentoo": 0.96}));
    assert_eq!(var(&t, "recall[Gentoo]"), Some("0.96"));
}

#[test]
fn per_class_metric_fails_naming_the_weakest_class() {
    // One of the 25 Gentoo test rows is missed: recall 24/25 = 0.96; the others are perfect.
    let t = one(penguins, json!({"kind": "per_class_metric", "metric": "recall", "op": ">=", "value": 0.99}));
    assert_status(&t, Status::Fail);
    assert_eq!(
        t.message,
        "recall >= 0.99 does not hold for 1 of 3 classes of `species` on 69 test rows: Gentoo (0.96)"
    );
    assert_eq!(t.steps[4].evaluation, "1 of 3 classes does not: Gentoo (0.96)");
}

#[test]
fn per_class_metric_with_a_class_checks_only_that_class() {
    let t = one(
        penguins,
        json!({"kind": "per_class_metric", "metric": "precision", "op": ">", "value": 0.9,
               "class": "Chinstrap"}),
    );
    assert_status(&t, Status::Pass);
    assert_eq!(
        actions(&t),
        ["train_model()", "evaluate_class(Chinstrap)", "assert precision[Chinstrap] > 0.9"]
    );
    assert_eq!(observed(&t), 1.0);
}

#[test]
fn per_class_metric_errors_on_a_class_the_target_does_not_have() {
    let t = one(
        penguins,
        json!({"kind": "per_class_metric", "metric": "f1", "op": ">", "value": 0.9, "class": "Emperor"}),
    );
    assert_status(&t, Status::Error);
    assert_eq!(t.message, "`Emperor` is not a class of `species` (classes: `Adelie`, `Chinstrap`, `Gentoo`)");
}

#[test]
fn per_class_metric_needs_classes() {
    let t = one(diabetes, json!({"kind": "per_class_metric", "metric": "f1", "op": ">", "value": 0.9}));
    assert_status(&t, Status::Error);
    assert!(t.message.contains("needs classes; the suite's task is regression"), "{}", t.message);
}

#[test]
fn per_class_metric_refuses_an_empty_class_and_other_metrics() {
    let err = param_error(
        penguins,
        json!({"kind": "per_class_metric", "metric": "f1", "op": ">", "value": 0.9, "class": " "}),
    );
    assert_param_error(&err, "class", "empty");
    let err = param_error(
        penguins,
        json!({"kind": "per_class_metric", "metric": "accuracy", "op": ">", "value": 0.9}),
    );
    assert_param_error(&err, "metric", "accuracy");
}

// ---------------------------------------------------------------------------------------
// beats_baseline

#[test]
fn beats_baseline_passes_on_iris_against_the_majority_class() {
    let t = one(iris, json!({"kind": "beats_baseline"}));
    assert_status(&t, Status::Pass);
    assert_eq!(
        actions(&t),
        [
            "train_model()",
            "evaluate_model(model)",
            "evaluate_baseline(most_frequent)",
            "gain = model − baseline",
            "assert gain >= 0"
        ]
    );
    // The stratified train part holds 40 of each class; the tie goes to the first class, as
    // DummyClassifier's argmax does, and `setosa` is 10 of the 30 test rows.
    assert_eq!(t.steps[2].evaluation, "always `setosa`, 33.3% of train rows, on 30 test rows");
    assert_eq!(var(&t, "baseline"), Some("0.3333"));
    assert_close(observed(&t), 28.0 / 30.0 - 10.0 / 30.0);
}

#[test]
fn beats_baseline_fails_when_the_gain_is_below_min_gain() {
    let t = one(iris, json!({"kind": "beats_baseline", "min_gain": 0.9}));
    assert_status(&t, Status::Fail);
    assert_eq!(t.steps[4].evaluation, "0.6 >= 0.9");
    assert!(
        t.message.contains("by 0.6 on 30 test rows; a gain of at least 0.9 is required"),
        "{}",
        t.message
    );
}

#[test]
fn beats_baseline_of_an_error_metric_is_baseline_minus_model() {
    let t = one(diabetes, json!({"kind": "beats_baseline", "metric": "rmse", "min_gain": 5}));
    assert_status(&t, Status::Pass);
    assert_eq!(t.steps[3].action, "gain = baseline − model (lower is better)");
    assert!(t.steps[2].evaluation.starts_with("always the train mean "), "{}", t.steps[2].evaluation);
    assert!(observed(&t) > 5.0);
}

#[test]
fn beats_baseline_regression_defaults_to_r2_against_the_mean() {
    let t = one(diabetes, json!({"kind": "beats_baseline"}));
    assert_status(&t, Status::Pass);
    assert_eq!(t.steps[2].action, "evaluate_baseline(mean)");
    // The train mean predicts no better than the test rows' own mean: R² ≤ 0.
    let baseline: f64 = var(&t, "baseline").unwrap().parse().unwrap();
    assert!(baseline <= 0.0, "{baseline}");
}

#[test]
fn beats_baseline_refuses_average_without_metric() {
    let err = param_error(iris, json!({"kind": "beats_baseline", "average": "macro"}));
    assert_param_error(&err, "average", "name one in `metric`");
}

// ---------------------------------------------------------------------------------------
// train_test_gap

#[test]
fn train_test_gap_fails_for_an_unpruned_tree() {
    let t = one(breast_cancer_tree, json!({"kind": "train_test_gap", "max_relative_drop": 0.02}));
    assert_status(&t, Status::Fail);
    // Grown until every leaf is pure, the tree gets every train row right.
    assert_eq!(var(&t, "train_accuracy"), Some("1"));
    // With train accuracy 1 the relative drop is the test error: 9 of the 114 test rows are
    // wrong (accuracy 0.9211, as scikit-learn 1.9.1's DecisionTreeClassifier(random_state=0)
    // on the same split).
    let test: f64 = var(&t, "test_accuracy").unwrap().parse().unwrap();
    assert_eq!(var(&t, "test_accuracy"), Some("0.9211"));
    assert_close(observed(&t), 1.0 - test);
    assert_eq!(t.steps[3].evaluation, "(1 − 0.9211) / |1|");
    assert!(t.message.contains("a relative drop of 7.9%; at most 2% is allowed"), "{}", t.message);
}

#[test]
fn train_test_gap_passes_for_a_model_that_generalises() {
    let t = one(
        iris,
        json!({"kind": "train_test_gap", "metric": "f1", "average": "macro", "max_relative_drop": 0.1}),
    );
    assert_status(&t, Status::Pass);
    assert!(observed(&t) < 0.1);
}

#[test]
fn train_test_gap_of_an_error_is_test_minus_train() {
    let t = one(diabetes, json!({"kind": "train_test_gap", "metric": "mae", "max_relative_drop": 0.5}));
    let (train, test): (f64, f64) =
        (var(&t, "train_mae").unwrap().parse().unwrap(), var(&t, "test_mae").unwrap().parse().unwrap());
    assert!((observed(&t) - (test - train) / train).abs() < 1e-3);
}

#[test]
fn relative_drop_from_a_perfect_zero_error_is_infinite() {
    assert_eq!(relative_drop(0.5, 2.0), 0.25);
    assert_eq!(relative_drop(0.5, -2.0), 0.25, "divided by |train|");
    assert_eq!(relative_drop(0.1, 0.0), f64::INFINITY);
    assert_eq!(relative_drop(0.0, 0.0), 0.0);
}

#[test]
fn train_test_gap_refuses_a_drop_that_is_not_a_ratio() {
    let err = param_error(iris, json!({"kind": "train_test_gap", "max_relative_drop": 1.5}));
    assert_param_error(&err, "max_relative_drop", "not a ratio");
}
