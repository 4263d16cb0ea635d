//! Threshold tests run as a suite runs them: a suite file read with `suite::parse` on a bundled
//! sample, the pipeline trained once by `run::run`, each test's report found by its id.
//!
//! Numbers come from the same split (seed 42, 20% held out) as the shipped example suites;
//! baselines follow scikit-learn's `DummyClassifier(strategy="most_frequent")` and
//! `DummyRegressor()`.

use serde_json::{json, Value};

use super::relative_drop;
use crate::report::{Report, Status, TestReport, Verdict};
use crate::run::{builtin_data, run};
use crate::suite::{parse, Format, SuiteError};
use crate::table::{stats, LoadOptions};

const FILE: &str = "t.json";

// ---------------------------------------------------------------------------------------
// Helpers: a pipeline on a bundled sample, with the tests given.

/// Logistic regression on iris, standard scaling, a stratified split.
fn iris(tests: Value) -> Value {
    json!({
        "version": 1,
        "data": {"source": "sample:iris"},
        "target": "species",
        "task": "classification",
        "split": {"test_size": 0.2, "seed": 42, "stratify": true},
        "preprocess": [{"scale": "standard"}],
        "model": {"kind": "logistic_regression", "max_iterations": 100},
        "tests": tests,
    })
}

/// Logistic regression on penguins, with its missing values imputed and its islands one-hot.
fn penguins(tests: Value) -> Value {
    json!({
        "version": 1,
        "data": {"source": "sample:penguins"},
        "target": "species",
        "task": "classification",
        "split": {"test_size": 0.2, "seed": 42, "stratify": true},
        "preprocess": [{"impute": "mean"}, {"scale": "standard"}, {"one_hot": "auto"}],
        "model": {"kind": "logistic_regression"},
        "tests": tests,
    })
}

/// Ordinary least squares on diabetes, standard scaling.
fn diabetes(tests: Value) -> Value {
    json!({
        "version": 1,
        "data": {"source": "sample:diabetes"},
        "target": "progression",
        "task": "regression",
        "split": {"test_size": 0.2, "seed": 42},
        "preprocess": [{"scale": "standard"}],
        "model": {"kind": "linear_regression"},
        "tests": tests,
    })
}

/// An unpruned decision tree on breast cancer: it learns its train rows by heart.
fn breast_cancer_tree(tests: Value) -> Value {
    json!({
        "version": 1,
        "data": {"source": "sample:breast_cancer"},
        "target": "diagnosis",
        "task": "classification",
        "split": {"test_size": 0.2, "seed": 42, "stratify": true},
        "preprocess": [{"scale": "standard"}],
        "model": {"kind": "decision_tree"},
        "tests": tests,
    })
}

fn run_suite(suite: &Value) -> Report {
    let suite = parse(&suite.to_string(), Format::Json, FILE).expect("the suite is valid");
    let table = builtin_data(&suite, &LoadOptions::default()).expect("a bundled sample").expect("it loads");
    run(&suite, &table)
}

/// Runs a suite whose only test is `test` (its id is `t`) and returns that test's report.
fn one(setup: fn(Value) -> Value, test: Value) -> TestReport {
    let mut test = test;
    test["id"] = json!("t");
    let report = run_suite(&setup(json!([test])));
    report.tests.into_iter().find(|t| t.id == "t").expect("the test ran")
}

/// The error of a suite whose only test is `test` (id `t`), which must not parse.
fn param_error(setup: fn(Value) -> Value, test: Value) -> SuiteError {
    let mut test = test;
    test["id"] = json!("t");
    parse(&setup(json!([test])).to_string(), Format::Json, FILE).expect_err("the parameters are invalid")
}

/// The error names the test's parameter `field` by its path.
fn assert_param_error(err: &SuiteError, field: &str, part: &str) {
    assert_eq!(err.path(), format!("tests[0] (`t`).{field}"), "{err}");
    assert!(err.message().contains(part), "`{part}` not in: {err}");
}

fn observed(t: &TestReport) -> f64 {
    t.observed.as_f64().unwrap_or_else(|| panic!("a numeric observed value: {}", t.observed))
}

/// A tracked variable's value after the last step.
fn var<'t>(t: &'t TestReport, name: &str) -> Option<&'t str> {
    t.variables.iter().find(|v| v.name == name)?.values.last()?.as_deref()
}

fn actions(t: &TestReport) -> Vec<&str> {
    t.steps.iter().map(|s| s.action.as_str()).collect()
}

/// The test's status, with its message and table on failure to make a mismatch readable.
fn assert_status(t: &TestReport, status: Status) {
    assert_eq!(t.status, status, "{}: {}\n{:#?}", t.id, t.message, t.steps);
    if matches!(status, Status::Pass | Status::Fail) {
        let last = t.steps.last().expect("steps");
        assert!(last.action.starts_with("assert "), "the assertion is the last step: {last:?}");
        assert_eq!(last.result, if status == Status::Pass { "PASS" } else { "FAIL" });
        assert_eq!(t.steps[0].action, "train_model()", "the first step says what was trained");
    }
}

fn assert_close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 1e-4, "{actual} is not {expected}");
}

fn failing_values(t: &TestReport) -> Vec<&str> {
    t.failures.as_ref().expect("a row-level test").sample.iter().map(|c| c.value.as_str()).collect()
}

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

// ---------------------------------------------------------------------------------------
// time_budget

#[test]
fn time_budget_passes_a_generous_training_budget() {
    let t = one(iris, json!({"kind": "time_budget", "phase": "train", "max_ms": 60000}));
    assert_status(&t, Status::Pass);
    assert_eq!(t.steps[1].action, "time(train_model())");
    assert!(observed(&t) > 0.0);
}

#[test]
fn time_budget_fails_a_budget_no_model_can_meet() {
    for phase in ["train", "predict_per_row"] {
        let t = one(iris, json!({"kind": "time_budget", "phase": phase, "max_ms": 1e-12}));
        assert_status(&t, Status::Fail);
        assert!(t.message.ends_with("over the budget of 1.00e-12 ms"), "{}", t.message);
    }
}

#[test]
fn time_budget_per_row_repeats_fast_predictions() {
    let t = one(iris, json!({"kind": "time_budget", "phase": "predict_per_row", "max_ms": 1000}));
    assert_status(&t, Status::Pass);
    assert_eq!(t.steps[1].action, "time(predict(X_test))");
    assert!(t.steps[1].evaluation.contains(" × 30 test rows in "), "{}", t.steps[1].evaluation);
    assert!(var(&t, "per_row_ms").is_some());
}

#[test]
fn time_budget_refuses_no_budget() {
    let err = param_error(iris, json!({"kind": "time_budget", "phase": "train", "max_ms": 0}));
    assert_param_error(&err, "max_ms", "no budget");
    let err = param_error(iris, json!({"kind": "time_budget", "phase": "inference", "max_ms": 5}));
    assert_param_error(&err, "phase", "inference");
}

// ---------------------------------------------------------------------------------------
// invariance

#[test]
fn invariance_passes_with_tiny_noise() {
    let t = one(
        iris,
        json!({"kind": "invariance", "feature": "sepal_width", "sigma": 0.001, "min_unchanged_ratio": 1}),
    );
    assert_status(&t, Status::Pass);
    assert_eq!(t.steps[1].action, "perturb(sepal_width, sigma = 0.001)");
    assert!(t.steps[1].evaluation.ends_with("seed 42, on 30 test rows"), "{}", t.steps[1].evaluation);
    assert_eq!(var(&t, "unchanged"), Some("30"));
    assert_eq!(t.failures.as_ref().map(|f| f.count), Some(0));
}

#[test]
fn invariance_fails_with_huge_noise_naming_the_rows_that_changed() {
    let test =
        json!({"kind": "invariance", "feature": "petal_length", "sigma": 5, "min_unchanged_ratio": 0.95});
    let t = one(iris, test.clone());
    assert_status(&t, Status::Fail);
    let failures = t.failures.as_ref().unwrap();
    assert!(failures.count > 0);
    assert!(failures.sample.iter().all(|c| c.column == "species" && c.line >= 2 && c.line <= 151));
    assert!(failing_values(&t).iter().all(|v| v.contains(" → ")), "{:?}", failing_values(&t));
    assert_eq!(var(&t, "unchanged").map(|u| u.parse::<usize>().unwrap()), Some(30 - failures.count));
    // The noise is seeded: the same run gives the same rows, another seed others.
    assert_eq!(one(iris, test.clone()).failures, t.failures);
    let mut other = test;
    other["seed"] = json!(7);
    assert_ne!(one(iris, other).failures, t.failures);
}

#[test]
fn invariance_swaps_a_category_in_the_rows_that_hold_it() {
    let t = one(
        penguins,
        json!({"kind": "invariance", "feature": "island", "swap": {"from": "Dream", "to": "Biscoe"},
               "min_unchanged_ratio": 0.5}),
    );
    assert_status(&t, Status::Pass);
    assert_eq!(t.steps[1].action, "swap(island: Dream → Biscoe)");
    // Only the 24 test rows from Dream are perturbed, and only they count; the 5 Chinstraps
    // the model moves to Adelie show that it leans on the island.
    assert_eq!(t.steps[1].evaluation, "24 of 69 test rows have island = Dream");
    assert_eq!(var(&t, "perturbed"), Some("24"));
    assert_eq!(var(&t, "unchanged"), Some("19"));
    assert!(failing_values(&t).iter().all(|v| *v == "Chinstrap → Adelie"), "{:?}", failing_values(&t));
}

#[test]
fn invariance_on_a_regressor_compares_values_within_tol() {
    let t = one(
        diabetes,
        json!({"kind": "invariance", "feature": "bmi", "sigma": 0.01, "tol": 0.05, "min_unchanged_ratio": 1}),
    );
    assert_status(&t, Status::Pass);
    assert_eq!(t.steps[2].evaluation, "values within 5% of before, 89 rows");
    let t = one(
        diabetes,
        json!({"kind": "invariance", "feature": "bmi", "sigma": 3, "min_unchanged_ratio": 0.9}),
    );
    assert_status(&t, Status::Fail);
    assert!(failing_values(&t).iter().all(|v| v.contains(" → ")));
}

#[test]
fn invariance_errors_name_the_feature_or_level() {
    let cases = [
        (json!({"feature": "wing_span", "sigma": 0.1}), "column `wing_span` is not in penguins.csv"),
        (json!({"feature": "species", "sigma": 0.1}), "`species` is the target"),
        (json!({"feature": "island", "sigma": 0.1}), "`island` holds categories: perturb it with `swap`"),
        (json!({"feature": "bill_length_mm", "swap": {"from": "a", "to": "b"}}), "`bill_length_mm` is numeric"),
        (
            json!({"feature": "island", "swap": {"from": "Atlantis", "to": "Dream"}}),
            "`Atlantis` is not a level of `island` in the train rows (levels: `Biscoe`, `Dream`, `Torgersen`)",
        ),
        (json!({"feature": "bill_length_mm", "tol": 0.1}), "`tol` is read for regression"),
    ];
    for (params, expected) in cases {
        let mut test = params;
        test["kind"] = json!("invariance");
        test["min_unchanged_ratio"] = json!(0.9);
        let t = one(penguins, test);
        assert_status(&t, Status::Error);
        assert!(t.message.starts_with(expected), "{}", t.message);
    }
}

#[test]
fn invariance_refuses_noise_and_swap_together_and_a_bad_ratio() {
    let err = param_error(
        penguins,
        json!({"kind": "invariance", "feature": "island", "sigma": 0.1,
               "swap": {"from": "Dream", "to": "Biscoe"}, "min_unchanged_ratio": 0.9}),
    );
    assert_param_error(&err, "swap", "not both");
    let err = param_error(penguins, json!({"kind": "invariance", "feature": "", "min_unchanged_ratio": 0.9}));
    assert_param_error(&err, "feature", "empty");
    let err =
        param_error(penguins, json!({"kind": "invariance", "feature": "year", "min_unchanged_ratio": 2}));
    assert_param_error(&err, "min_unchanged_ratio", "not a ratio");
    let err = param_error(
        penguins,
        json!({"kind": "invariance", "feature": "year", "sigma": 0, "min_unchanged_ratio": 1}),
    );
    assert_param_error(&err, "sigma", "no noise");
}

// ---------------------------------------------------------------------------------------
// directional

#[test]
fn directional_passes_for_a_feature_with_a_positive_coefficient() {
    let t = one(diabetes, json!({"kind": "directional", "feature": "bmi"}));
    assert_status(&t, Status::Pass);
    assert!(t.steps[1].evaluation.contains("(one train std) on 89 test rows"), "{}", t.steps[1].evaluation);
    assert_eq!(t.steps[2].result, "lower = 0 of 89");
    assert_eq!(observed(&t), 0.0);
}

#[test]
fn directional_fails_for_a_feature_with_a_negative_coefficient() {
    // `sex` has a negative coefficient in the linear model (as in scikit-learn's
    // LinearRegression on the whole data set, -239.8 on its scaled copy): raising it lowers
    // every prediction by the same amount.
    let t = one(diabetes, json!({"kind": "directional", "feature": "sex", "delta": 1}));
    assert_status(&t, Status::Fail);
    assert_eq!(t.steps[1].evaluation, "sex + 1 (as given) on 89 test rows");
    assert_eq!(var(&t, "lower"), Some("89"));
    let failures = t.failures.as_ref().unwrap();
    assert_eq!((failures.count, failures.sample.len()), (89, 20));
    assert!(failures.sample.iter().all(|c| c.column == "progression" && c.value.contains(" → ")));
    assert!(t
        .message
        .starts_with("raising `sex` by 1 lowers the predicted progression on 89 of 89 test rows"));
}

#[test]
fn directional_on_a_classifier_reads_the_probability_of_class() {
    let t = one(
        iris,
        json!({"kind": "directional", "feature": "petal_width", "class": "virginica", "max_violation_ratio": 0.1}),
    );
    assert_status(&t, Status::Pass);
    assert_eq!(t.steps[2].evaluation, "P(virginica) before and after, 30 rows");
    let t = one(iris, json!({"kind": "directional", "feature": "petal_width", "class": "setosa"}));
    assert_status(&t, Status::Fail);
    assert!(t.failures.as_ref().unwrap().sample.iter().all(|c| c.column == "P(setosa)"));
}

#[test]
fn directional_errors_without_class_on_a_classifier_and_with_class_on_a_regressor() {
    let t = one(iris, json!({"kind": "directional", "feature": "petal_width"}));
    assert_status(&t, Status::Error);
    assert!(t.message.starts_with("directional on a classifier needs `class`"), "{}", t.message);
    let t = one(diabetes, json!({"kind": "directional", "feature": "bmi", "class": "x"}));
    assert_status(&t, Status::Error);
    let t = one(penguins, json!({"kind": "directional", "feature": "island", "class": "Gentoo"}));
    assert_status(&t, Status::Error);
    assert!(t.message.contains("holds categories"), "{}", t.message);
    let t = one(diabetes, json!({"kind": "directional", "feature": "weight"}));
    assert!(t.message.starts_with("column `weight` is not in diabetes.csv"), "{}", t.message);
}

#[test]
fn directional_refuses_a_delta_that_does_not_raise() {
    let err = param_error(diabetes, json!({"kind": "directional", "feature": "bmi", "delta": -1}));
    assert_param_error(&err, "delta", "positive");
    let err = param_error(iris, json!({"kind": "directional", "feature": "bmi", "class": ""}));
    assert_param_error(&err, "class", "empty");
    let err =
        param_error(diabetes, json!({"kind": "directional", "feature": "bmi", "max_violation_ratio": -0.5}));
    assert_param_error(&err, "max_violation_ratio", "not a ratio");
}

// ---------------------------------------------------------------------------------------
// Every kind together

/// The chart's bounds (`TestKind::bounds`), read from each test's parameters and observed value.
#[test]
fn threshold_tests_report_each_bound_with_its_value() {
    let suite = parse(
        r#"{"version": 1, "data": {"source": "sample:iris"}, "target": "species",
            "task": "classification", "model": {"kind": "gaussian_nb"},
            "tests": [{"id": "acc", "kind": "metric_threshold", "metric": "accuracy", "op": ">", "value": 0.99},
                      {"id": "recall", "kind": "per_class_metric", "metric": "recall", "op": ">=", "value": 0.8},
                      {"id": "cv", "kind": "cross_validation", "folds": 3, "min_mean": 0.9, "max_std": 0.1},
                      {"id": "rows", "kind": "row_count_between", "min": 1}]}"#,
        Format::Json,
        "s.json",
    )
    .unwrap();
    let table = builtin_data(&suite, &LoadOptions::default()).unwrap().unwrap();
    let report = run(&suite, &table);
    let names = |i: usize| report.tests[i].bounds.iter().map(|b| b.name.clone()).collect::<Vec<_>>();
    let acc = &report.tests[0].bounds[0];
    assert_eq!((acc.op.as_str(), acc.value, acc.holds), (">", 0.99, false));
    assert_eq!(Some(acc.observed), report.tests[0].observed.as_f64());
    assert_eq!(names(1), ["recall[setosa]", "recall[versicolor]", "recall[virginica]"]);
    assert_eq!(names(2), ["mean accuracy", "std accuracy"]);
    assert_eq!(report.tests[2].bounds[1].op, "<=");
    assert!(report.tests[3].bounds.is_empty());
}

#[test]
fn a_run_of_every_threshold_kind_is_deterministic_but_for_timing() {
    // time_budget is left out: timing is the one measurement that differs between runs.
    let tests = json!([
        {"id": "a", "kind": "metric_threshold", "metric": "r2", "op": ">", "value": 0.3},
        {"id": "b", "kind": "beats_baseline"},
        {"id": "c", "kind": "train_test_gap", "max_relative_drop": 0.25},
        {"id": "d", "kind": "cross_validation", "min_mean": 0.3},
        {"id": "e", "kind": "invariance", "feature": "age", "sigma": 0.5, "min_unchanged_ratio": 0.5},
        {"id": "f", "kind": "directional", "feature": "bmi"},
    ]);
    let first = run_suite(&diabetes(tests.clone()));
    let second = run_suite(&diabetes(tests));
    assert_eq!(first.tests, second.tests);
    assert_eq!(first.verdict, Verdict::Pass, "{:#?}", first.tests);
}
