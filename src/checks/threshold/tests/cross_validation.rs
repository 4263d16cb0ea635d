//! The kinds of `threshold/cross_validation.rs`, run as a suite runs them.

use super::*;

// ---------------------------------------------------------------------------------------
// cross_validation

#[test]
fn cross_validation_passes_with_one_step_per_fold() {
    let t =
        one(iris, json!({"kind": "cross_validation", "metric": "accuracy", "min_mean": 0.9, "max_std": 0.1}));
    assert_status(&t, Status::Pass);
    let folds: Vec<f64> = serde_json::from_value(t.observed["folds"].clone()).unwrap();
    assert_eq!(folds.len(), 5);
    assert_eq!(t.steps.iter().filter(|s| s.action.starts_with("fold ")).count(), 5);
    // The same folds as metric_threshold's `on: cv` in the iris example: mean 0.9533.
    assert_close(t.observed["mean"].as_f64().unwrap(), 0.9533);
    let std = stats::std(&folds).unwrap();
    assert_eq!(t.observed["std"].as_f64(), Some(std), "sample std, ddof = 1");
    assert_eq!(
        actions(&t)[6..],
        [
            "mean(accuracy over 5 folds)",
            "std(accuracy over 5 folds)",
            "assert mean >= 0.9",
            "assert std <= 0.1"
        ]
    );
}

#[test]
fn cross_validation_fails_when_the_folds_must_agree_exactly() {
    let t = one(iris, json!({"kind": "cross_validation", "min_mean": 0.9, "max_std": 0}));
    assert_status(&t, Status::Fail);
    assert_eq!(t.steps[t.steps.len() - 2].result, "PASS", "the mean holds");
    assert!(t.message.contains("the folds vary too much"), "{}", t.message);
}

#[test]
fn cross_validation_of_an_error_is_bounded_above() {
    let t = one(diabetes, json!({"kind": "cross_validation", "folds": 4, "metric": "rmse", "max_mean": 40}));
    assert_status(&t, Status::Fail);
    assert!(t.message.contains("the mean rmse"), "{}", t.message);
    assert_eq!(t.steps.iter().filter(|s| s.action.starts_with("fold ")).count(), 4);
}

#[test]
fn cross_validation_refuses_one_fold_and_a_bound_the_wrong_way() {
    let err = param_error(iris, json!({"kind": "cross_validation", "folds": 1, "min_mean": 0.9}));
    assert_param_error(&err, "folds", "at least 2");
    let err = param_error(diabetes, json!({"kind": "cross_validation", "metric": "rmse", "min_mean": 40}));
    assert_param_error(&err, "min_mean", "max_mean");
    let err = param_error(iris, json!({"kind": "cross_validation"}));
    assert_param_error(&err, "min_mean", "missing");
    let err = param_error(iris, json!({"kind": "cross_validation", "max_std": -0.1}));
    assert_param_error(&err, "max_std", "not a standard deviation");
}

#[test]
fn regression_folds_as_many_as_rows_are_refused_naming_the_limit() {
    // Leave-one-out on 30k rows (folds = rows) held 30k folds of 30k positions: 5.6 GB.
    let err = param_error(iris, json!({"kind": "cross_validation", "folds": 30_000, "min_mean": 0.9}));
    assert_param_error(&err, "folds", "30,000 folds are above the limit of 100");
    let err = param_error(
        iris,
        json!({"kind": "metric_threshold", "metric": "accuracy", "op": ">", "value": 0.5, "on": "cv", "folds": 101}),
    );
    assert_param_error(&err, "folds", "101 folds are above the limit of 100");
    // At the limit: 100 folds of the 150 labelled rows run.
    let t = one(iris, json!({"kind": "cross_validation", "folds": 100, "min_mean": 0.5}));
    assert_status(&t, Status::Pass);
}
