//! Threshold tests run as a suite runs them: a suite file read with `suite::parse` on a bundled
//! sample, the pipeline trained once by `run::run`, each test's report found by its id.
//!
//! Numbers come from the same split (seed 42, 20% held out) as the shipped example suites;
//! baselines follow scikit-learn's `DummyClassifier(strategy="most_frequent")` and
//! `DummyRegressor()`.

use serde_json::{json, Value};

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

/// A scikit-learn model's predicted sex and probability, brought as columns (the bundled
/// penguins_predictions sample): nothing is trained.
fn brought(tests: Value) -> Value {
    json!({
        "version": 1,
        "data": {"source": "sample:penguins_predictions"},
        "target": "sex",
        "task": "classification",
        "model": {"kind": "predictions", "prediction": "sex_pred", "scores": "p_male"},
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

mod calibration;
mod cross_validation;
mod perturb;
mod score;
mod slices;
mod time;
