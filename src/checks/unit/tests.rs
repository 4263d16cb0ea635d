use super::*;

use serde_json::{json, Value};

use crate::checks::{Check, Context, Evaluation, Family, Ratio, KINDS};
use crate::pipeline::fit::{train, Trained};
use crate::report::{Report, Status, TestReport, Trace};
use crate::run::builtin_data;
use crate::suite::{parse, Format, Suite};
use crate::table::{LoadOptions, Table};

// ---------------------------------------------------------------------------------------
// Helpers: suites are written as the suite file writes them and run through the real runner.

/// Every unit kind, as named in the suite file.
const UNIT_KINDS: [&str; 12] = [
    "scaler_standardizes",
    "scaler_range",
    "scaler_inverse_roundtrip",
    "split_sizes",
    "split_no_overlap",
    "split_label_coverage",
    "split_stratified",
    "imputer_fills_all",
    "one_hot_width",
    "deterministic_with_seed",
    "predict_batch_invariance",
    "prediction_shape",
];

/// Iris as the seed lesson sets it up: stratified 80/20 split with seed 42, standard scaling.
fn iris() -> Value {
    json!({
        "data": {"source": "sample:iris"},
        "target": "species",
        "task": "classification",
        "split": {"test_size": 0.2, "seed": 42, "stratify": true},
        "preprocess": [{"scale": "standard"}],
        "model": {"kind": "logistic_regression", "max_iterations": 100}
    })
}

/// Penguins with their real missing values: mean imputation, scaling and one-hot encoding.
fn penguins() -> Value {
    json!({
        "data": {"source": "sample:penguins"},
        "target": "species",
        "task": "classification",
        "split": {"test_size": 0.2, "seed": 42, "stratify": true},
        "preprocess": [{"impute": "mean"}, {"scale": "standard"}, {"one_hot": "auto"}],
        "model": {"kind": "logistic_regression", "max_iterations": 100}
    })
}

/// Diabetes, a regression: linear regression on standard-scaled inputs.
fn diabetes() -> Value {
    json!({
        "data": {"source": "sample:diabetes"},
        "target": "progression",
        "task": "regression",
        "split": {"test_size": 0.2, "seed": 42},
        "preprocess": [{"scale": "standard"}],
        "model": {"kind": "linear_regression"}
    })
}

/// `base` with `changes` laid over it (a `null` removes the field).
fn with(base: Value, changes: Value) -> Value {
    let mut base = base;
    let fields = base.as_object_mut().expect("a suite object");
    for (key, value) in changes.as_object().expect("an object of changes") {
        if value.is_null() {
            fields.remove(key);
        } else {
            fields.insert(key.clone(), value.clone());
        }
    }
    base
}

fn suite(base: &Value, tests: Value) -> Suite {
    let text = with(with(base.clone(), json!({"version": 1})), json!({"tests": tests})).to_string();
    parse(&text, Format::Json, "unit.json").expect("the suite is valid")
}

fn table_of(suite: &Suite) -> Table {
    builtin_data(suite, &LoadOptions::default()).expect("a built-in source").expect("the data reads")
}

/// Runs `tests` on the pipeline of `base` through the runner.
fn run_suite(base: &Value, tests: Value) -> Report {
    let suite = suite(base, tests);
    crate::run::run(&suite, &table_of(&suite))
}

/// Runs one test `{"id": "t", "kind": kind, …params}` and returns its report.
fn run_one(base: &Value, kind: &str, params: Value) -> TestReport {
    let mut test = json!({"id": "t", "kind": kind});
    test.as_object_mut().unwrap().extend(params.as_object().expect("params object").clone());
    let report = run_suite(base, json!([test]));
    find(&report, "t").clone()
}

fn find<'r>(report: &'r Report, id: &str) -> &'r TestReport {
    report.tests.iter().find(|t| t.id == id).unwrap_or_else(|| panic!("no test `{id}` in the report"))
}

/// A suite with inline CSV data and a logistic regression on it.
fn inline(csv: &str, split: Value) -> Value {
    json!({
        "data": {"source": "inline", "csv": csv},
        "target": "y",
        "task": "classification",
        "split": split,
        "preprocess": [{"scale": "standard"}],
        "model": {"kind": "logistic_regression", "max_iterations": 100}
    })
}

fn assert_status(test: &TestReport, status: Status) {
    assert_eq!(test.status, status, "{}: {}\n{:#?}", test.id, test.message, test.steps);
}

/// The last step is the assertion, with this claim, evaluation and result.
fn assert_last(test: &TestReport, action: &str, evaluation: &str, result: &str) {
    let last = test.steps.last().expect("a step");
    assert_eq!(last.action, format!("assert {action}"), "{:#?}", test.steps);
    assert_eq!(last.evaluation, evaluation, "{:#?}", test.steps);
    assert_eq!(last.result, result, "{:#?}", test.steps);
}

fn step<'t>(test: &'t TestReport, action: &str) -> &'t crate::report::Step {
    test.steps
        .iter()
        .find(|s| s.action == action)
        .unwrap_or_else(|| panic!("no step `{action}` in {:#?}", test.steps))
}

/// A tracked variable's value after the last step.
fn var<'t>(test: &'t TestReport, name: &str) -> &'t str {
    let var =
        test.variables.iter().find(|v| v.name == name).unwrap_or_else(|| panic!("no variable `{name}`"));
    var.values.last().and_then(|v| v.as_deref()).expect("set by the last step")
}

fn failing_lines(test: &TestReport) -> Vec<u64> {
    test.failures.as_ref().expect("failing rows").sample.iter().map(|c| c.line).collect()
}

/// Runs `check` directly on `trained` (perhaps altered), as the runner would.
fn run_on(table: &Table, suite: &Suite, trained: Trained<'_>, check: &Check) -> Evaluation {
    let result = Ok(trained);
    let ctx = Context {
        reference: None,
        reference_named: false,
        table,
        sample: table,
        data: table,
        target: suite.target.as_deref(),
        task: suite.task,
        features: None,
        drop: &[],
        pipeline: suite.pipeline.as_ref(),
        trained: Some(&result),
    };
    let mut trace = Trace::default();
    check.run(&ctx, &mut trace).expect("the test can be evaluated")
}

fn check(kind: &str, params: Value) -> Check {
    let check = Check::from_params(kind, params).expect("a known kind").expect("params read");
    check.validate().expect("params valid");
    check
}

// ---------------------------------------------------------------------------------------
// The registry

#[test]
fn every_unit_kind_is_registered_in_the_unit_family_with_default_parameters() {
    for kind in UNIT_KINDS {
        assert!(KINDS.contains(&kind), "{kind} is not in the registry");
        let check = check(kind, json!({}));
        assert_eq!(check.family(), Family::Unit, "{kind}");
        assert_eq!(check.kind(), kind);
    }
}

#[test]
fn unknown_and_bad_parameters_are_refused_naming_the_field() {
    let err = Check::from_params("split_no_overlap", json!({"max_overlap": 0.1})).unwrap().unwrap_err();
    assert!(err.to_string().contains("unknown field `max_overlap`"), "{err}");
    let err = Check::from_params("prediction_shape", json!({"tol": 1})).unwrap().unwrap_err();
    assert!(err.to_string().contains("unknown field `tol`"), "{err}");
    let err = Check::from_params("split_stratified", json!({"tol": 1.5})).unwrap().unwrap_err();
    assert!(err.to_string().contains("1.5 is not a ratio"), "{err}");
    for kind in
        ["scaler_standardizes", "scaler_range", "scaler_inverse_roundtrip", "predict_batch_invariance"]
    {
        let read = Check::from_params(kind, json!({"tol": -1e-6})).unwrap().unwrap();
        let err = read.validate().unwrap_err();
        assert_eq!(err.field, "tol", "{kind}");
        assert!(err.message.contains("-0.000001 is not a tolerance"), "{kind}: {}", err.message);
    }
}

#[test]
fn defaults_are_the_documented_ones() {
    assert_eq!(
        check("scaler_standardizes", json!({})),
        Check::ScalerStandardizes(ScalerStandardizes { tol: 1e-6 })
    );
    assert_eq!(
        check("split_stratified", json!({})),
        Check::SplitStratified(SplitStratified { tol: Ratio::new(0.05).unwrap() })
    );
    assert_eq!(
        check("predict_batch_invariance", json!({})),
        Check::PredictBatchInvariance(PredictBatchInvariance { tol: 1e-9 })
    );
    assert_eq!(
        check("split_no_overlap", json!({})),
        Check::SplitNoOverlap(SplitNoOverlap { max_overlap_ratio: Ratio::ZERO })
    );
}

#[test]
fn a_unit_test_is_skipped_when_the_pipeline_does_not_train() {
    // Penguins has categories: without one_hot the preprocess stage fails.
    let base = with(penguins(), json!({"preprocess": [{"impute": "mean"}]}));
    let tests: Vec<Value> = UNIT_KINDS.iter().map(|kind| json!({"id": kind, "kind": kind})).collect();
    let report = run_suite(&base, Value::Array(tests));
    for kind in UNIT_KINDS.iter().filter(|&&kind| kind != "imputer_fills_all") {
        let test = find(&report, kind);
        assert_status(test, Status::Skipped);
        assert_eq!(test.message, "not run: the pipeline's preprocess stage failed", "{kind}");
    }
    // imputer_fills_all runs the stages up to preprocessing itself, and reports why they fail.
    let own = find(&report, "imputer_fills_all");
    assert_status(own, Status::Error);
    assert!(own.message.contains("the feature `island` holds categories"), "{}", own.message);
    assert_status(find(&report, "pipeline"), Status::Error);
}

mod encode;
mod impute;
mod predict;
mod scaler;
mod seed;
mod split;
