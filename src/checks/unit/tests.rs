use super::*;

use serde_json::Value;

use crate::checks::{Check, KINDS};
use crate::pipeline::fit::train;
use crate::report::{Report, Status, TestReport};
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
        table,
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

// ---------------------------------------------------------------------------------------
// scaler_standardizes

#[test]
fn scaler_standardizes_passes_on_iris() {
    let test = run_one(&iris(), "scaler_standardizes", json!({}));
    assert_status(&test, Status::Pass);
    let s = step(&test, "standardize(train)");
    assert_eq!(s.evaluation, "4 numeric inputs on 120 rows");
    assert!(s.result.starts_with("max |mean| = "), "{}", s.result);
    assert!(test.observed["max_abs_mean"].as_f64().unwrap() < 1e-12);
    assert!(test.observed["max_abs_std_error"].as_f64().unwrap() < 1e-12);
    assert_eq!(test.steps[0].result, "X_train 120 × 4 (4 numeric, 0 one-hot)");
    assert_eq!(test.steps.last().unwrap().action, "assert |mean| <= 1e-6 and |std − 1| <= 1e-6");
    assert_eq!(test.steps.last().unwrap().result, "PASS");
    assert_eq!(var(&test, "X_train"), "120 × 4");
    assert!(test.message.starts_with("after standard scaling, the 4 numeric inputs of the 120 train rows have mean 0 and std 1 within 1e-6"), "{}", test.message);
}

#[test]
fn scaler_standardizes_reads_only_the_numeric_inputs_of_penguins() {
    let test = run_one(&penguins(), "scaler_standardizes", json!({"tol": 1e-9}));
    assert_status(&test, Status::Pass);
    // 4 measurements and year; the 5 one-hot inputs of island and sex are not scaled.
    assert_eq!(step(&test, "standardize(train)").evaluation, "5 numeric inputs on 275 rows");
    assert_eq!(test.steps[0].result, "X_train 275 × 10 (5 numeric, 5 one-hot)");
    assert_eq!(test.observed["inputs"], 5);
}

#[test]
fn scaler_standardizes_reports_and_skips_a_constant_input() {
    let csv = "x,k,y\n1,7,a\n2,7,b\n3,7,a\n4,7,b\n5,7,a\n6,7,b\n7,7,a\n8,7,b\n9,7,a\n10,7,b\n";
    let base = inline(csv, json!({"test_size": 0.2, "seed": 1}));
    let test = run_one(&base, "scaler_standardizes", json!({}));
    assert_status(&test, Status::Pass);
    let s = step(&test, "find_constant_inputs(train)");
    assert_eq!(s.result, "skipped 1 constant (scale 1): `k`");
    assert_eq!(step(&test, "standardize(train)").evaluation, "1 numeric inputs on 8 rows");
    assert!(test.message.ends_with("; skipped 1 constant (scale 1): `k`"), "{}", test.message);
    assert_eq!(test.observed["constant"], json!(["k"]));
}

#[test]
fn scaler_standardizes_fails_on_a_scaler_that_does_not_standardize() {
    // The scaler's output of one input doubled and shifted: mean 0.5 and std 2.
    let suite = suite(&iris(), json!([]));
    let table = table_of(&suite);
    let mut trained = train(&table, suite.pipeline.as_ref().unwrap()).unwrap();
    trained.fitted.x_train.column_mut(2).mapv_inplace(|v| v * 2.0 + 0.5);
    let eval = run_on(&table, &suite, trained, &check("scaler_standardizes", json!({})));
    assert!(!eval.passed);
    assert!(
        eval.message
            .contains("`petal_length` has mean 0.5 and std 2 on the 120 train rows, not 0 and 1 within 1e-6"),
        "{}",
        eval.message
    );
    assert!(eval.message.contains("(1 of 4 inputs are off)"), "{}", eval.message);
    assert!((eval.observed["max_abs_std_error"].as_f64().unwrap() - 1.0).abs() < 1e-12);
}

#[test]
fn scaler_standardizes_is_an_error_without_a_standard_scaler() {
    let minmax = with(iris(), json!({"preprocess": [{"scale": "minmax"}]}));
    let test = run_one(&minmax, "scaler_standardizes", json!({}));
    assert_status(&test, Status::Error);
    assert!(
        test.message
            .starts_with("the suite scales with {\"scale\": \"minmax\"}, not {\"scale\": \"standard\"}"),
        "{}",
        test.message
    );
    let none = with(iris(), json!({"preprocess": null}));
    let test = run_one(&none, "scaler_standardizes", json!({}));
    assert_status(&test, Status::Error);
    assert_eq!(
        test.message,
        "the suite's `preprocess` has no {\"scale\": \"standard\"} step: add it, or remove this test"
    );
    assert_eq!(test.steps.len(), 1);
    assert_eq!(
        (test.steps[0].action.as_str(), test.steps[0].evaluation.as_str(), test.steps[0].result.as_str()),
        ("find_scaler(standard)", "no preprocessing", "ERROR")
    );
}

// ---------------------------------------------------------------------------------------
// scaler_range

#[test]
fn scaler_range_passes_with_minmax_scaling() {
    let base = with(
        penguins(),
        json!({"preprocess": [{"impute": "median"}, {"scale": "minmax"}, {"one_hot": "auto"}]}),
    );
    let test = run_one(&base, "scaler_range", json!({"tol": 0}));
    assert_status(&test, Status::Pass);
    let s = step(&test, "minmax(train)");
    assert_eq!(s.evaluation, "5 numeric inputs on 275 rows");
    assert_eq!(s.result, "min = 0, max = 1; max |min − 0| = 0, max |max − 1| = 0");
    assert_last(&test, "|min| <= 0 and |max − 1| <= 0", "0 <= 0, 0 <= 0", "PASS");
    assert_eq!((var(&test, "min"), var(&test, "max")), ("0", "1"));
}

#[test]
fn scaler_range_fails_on_a_scaler_that_misses_the_unit_interval() {
    let base = with(iris(), json!({"preprocess": [{"scale": "minmax"}]}));
    let suite = suite(&base, json!([]));
    let table = table_of(&suite);
    let mut trained = train(&table, suite.pipeline.as_ref().unwrap()).unwrap();
    trained.fitted.x_train.column_mut(0).mapv_inplace(|v| v * 0.5);
    let eval = run_on(&table, &suite, trained, &check("scaler_range", json!({})));
    assert!(!eval.passed);
    assert!(
        eval.message.contains("`sepal_length` runs from 0 to 0.5 on the 120 train rows"),
        "{}",
        eval.message
    );
}

#[test]
fn scaler_range_is_an_error_with_standard_scaling() {
    let test = run_one(&iris(), "scaler_range", json!({}));
    assert_status(&test, Status::Error);
    assert!(test.message.contains("not {\"scale\": \"minmax\"}"), "{}", test.message);
}

// ---------------------------------------------------------------------------------------
// scaler_inverse_roundtrip

#[test]
fn scaler_inverse_roundtrip_passes_on_train_and_test() {
    for base in [iris(), penguins(), diabetes(), with(iris(), json!({"preprocess": [{"scale": "minmax"}]}))] {
        let test = run_one(&base, "scaler_inverse_roundtrip", json!({}));
        assert_status(&test, Status::Pass);
        assert!(test.observed.as_f64().unwrap() <= 1e-9);
        assert_eq!(test.steps[0].action, "inverse_scale(transform(train))");
        assert_eq!(test.steps[1].action, "inverse_scale(transform(test))");
    }
    let test = run_one(&iris(), "scaler_inverse_roundtrip", json!({}));
    assert_eq!(test.steps[0].evaluation, "120 train rows × 4 inputs against transform_unscaled(train)");
    assert!(test.message.contains("every one of the 600 input values"), "{}", test.message);
}

#[test]
fn scaler_inverse_roundtrip_fails_naming_the_cell_that_does_not_come_back() {
    let suite = suite(&iris(), json!([]));
    let table = table_of(&suite);
    let mut trained = train(&table, suite.pipeline.as_ref().unwrap()).unwrap();
    trained.fitted.x_test[[0, 1]] += 0.5;
    let first_test_line = trained.prepared.line(trained.split.test[0]);
    let eval = run_on(&table, &suite, trained, &check("scaler_inverse_roundtrip", json!({})));
    assert!(!eval.passed);
    let failures = eval.failures.unwrap();
    assert_eq!(failures.count, 1);
    assert_eq!(
        (failures.sample[0].line, failures.sample[0].column.as_str()),
        (first_test_line, "sepal_width")
    );
    assert!(eval.message.contains("misses 1 of 600 input values by more than 1e-9"), "{}", eval.message);
}

#[test]
fn scaler_inverse_roundtrip_is_an_error_without_scaling() {
    let test = run_one(&with(iris(), json!({"preprocess": null})), "scaler_inverse_roundtrip", json!({}));
    assert_status(&test, Status::Error);
    assert!(test.message.starts_with("the suite's `preprocess` has no `scale` step"), "{}", test.message);
}

// ---------------------------------------------------------------------------------------
// split_sizes

#[test]
fn split_sizes_default_to_ceil_of_test_size() {
    let test = run_one(&iris(), "split_sizes", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(step(&test, "expected_sizes()").evaluation, "ceil(0.2 × 150) = 30 test rows, the rest train");
    assert_last(
        &test,
        "train == 120 and test == 30 and train + test == 150",
        "120 == 120, 30 == 30, 150 == 150",
        "PASS",
    );
    assert_eq!(test.observed, json!({"train": 120, "test": 30}));
    // 0.2 × 344 = 68.8 → 69 test rows; 0.25 × 150 = 37.5 → 38 (scikit-learn's counts).
    let test = run_one(&penguins(), "split_sizes", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(test.observed, json!({"train": 275, "test": 69}));
    let quarter = with(iris(), json!({"split": {"test_size": 0.25, "seed": 3}}));
    let test = run_one(&quarter, "split_sizes", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(test.observed, json!({"train": 112, "test": 38}));
}

#[test]
fn split_sizes_fails_on_wrong_expectations() {
    let test = run_one(&iris(), "split_sizes", json!({"expected_train": 100, "expected_test": 50}));
    assert_status(&test, Status::Fail);
    assert_eq!(
        test.message,
        "the split is not the expected size: 120 train rows, 100 expected; 30 test rows, 50 expected"
    );
    assert_last(
        &test,
        "train == 100 and test == 50 and train + test == 150",
        "120 == 100, 30 == 50, 150 == 150",
        "FAIL",
    );
    // Only the train count given: the test count is still ceil(test_size × n).
    let test = run_one(&iris(), "split_sizes", json!({"expected_train": 121}));
    assert_status(&test, Status::Fail);
    assert_eq!(test.message, "the split is not the expected size: 120 train rows, 121 expected");
}

// ---------------------------------------------------------------------------------------
// split_no_overlap

#[test]
fn split_no_overlap_passes_when_no_test_row_repeats_a_train_row() {
    let test = run_one(&penguins(), "split_no_overlap", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(step(&test, "hash_rows(train)").evaluation, "275 train rows × (7 features + target)");
    assert_last(&test, "overlap_ratio <= 0", "0 <= 0", "PASS");
    // Iris lines 103 and 144 are the same flower; seed 42 keeps both in one part.
    let test = run_one(&iris(), "split_no_overlap", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(step(&test, "hash_rows(train)").result, "119 distinct rows");
}

#[test]
fn split_no_overlap_fails_when_iris_duplicates_fall_in_both_parts() {
    // With seed 10, line 144 is a test row and its twin, line 103, a train row.
    let base = with(iris(), json!({"split": {"test_size": 0.2, "seed": 10, "stratify": true}}));
    let test = run_one(&base, "split_no_overlap", json!({}));
    assert_status(&test, Status::Fail);
    assert_eq!(failing_lines(&test), [144]);
    let cell = &test.failures.as_ref().unwrap().sample[0];
    assert_eq!((cell.column.as_str(), cell.value.as_str()), ("*", "same as train line 103"));
    assert_eq!(step(&test, "find_in_train(test)").result, "overlap = 1");
    assert_eq!(var(&test, "overlap"), "1");
    assert!(test.message.starts_with("1 of 30 test rows (3.3%) repeat a train row"), "{}", test.message);
    assert!(test.message.ends_with("First: line 144 (same as train line 103)"), "{}", test.message);
    // With seed 20 it is the other way round.
    let base = with(iris(), json!({"split": {"test_size": 0.2, "seed": 20, "stratify": true}}));
    let test = run_one(&base, "split_no_overlap", json!({}));
    assert_eq!(failing_lines(&test), [103]);
    // max_overlap_ratio allows it.
    let base = with(iris(), json!({"split": {"test_size": 0.2, "seed": 10, "stratify": true}}));
    let test = run_one(&base, "split_no_overlap", json!({"max_overlap_ratio": 0.05}));
    assert_status(&test, Status::Pass);
}

#[test]
fn split_no_overlap_compares_features_and_target_only() {
    // Rows 1 and 2 differ only in the dropped id: the same content, so they overlap when split.
    let mut csv = String::from("id,x,y\n");
    for i in 0..20 {
        csv.push_str(&format!(
            "{i},{},{}\n",
            if i < 2 { 5 } else { i * 10 },
            if i % 2 == 0 { "a" } else { "b" }
        ));
    }
    csv = csv.replace("1,5,b", "1,5,a");
    let mut apart = None;
    for seed in 0..50 {
        let base = with(inline(&csv, json!({"test_size": 0.25, "seed": seed})), json!({"drop": ["id"]}));
        let test = run_one(&base, "split_no_overlap", json!({}));
        if test.status == Status::Fail {
            apart = Some(test);
            break;
        }
    }
    let test = apart.expect("some seed puts lines 2 and 3 in different parts");
    let lines = failing_lines(&test);
    assert!(lines == [2] || lines == [3], "{lines:?}");
}

// ---------------------------------------------------------------------------------------
// split_label_coverage

#[test]
fn split_label_coverage_passes_on_iris() {
    let test = run_one(&iris(), "split_label_coverage", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(step(&test, "classes(train)").result, "3 classes: setosa, versicolor, virginica");
    assert_last(&test, "classes(test) ⊆ classes(train)", "every test class is in train", "PASS");
    assert_eq!(test.observed, json!([]));
}

/// 20 rows: 10 `a`, 9 `b` and one `c` on the last line (21).
fn rare_class_csv() -> String {
    let mut csv = String::from("x,y\n");
    for i in 0..19 {
        csv.push_str(&format!("{i},{}\n", if i % 2 == 0 { "a" } else { "b" }));
    }
    csv.push_str("19,c\n");
    csv
}

#[test]
fn split_label_coverage_fails_when_a_rare_class_is_only_in_test() {
    // Seed 0 puts the one `c` row in the test part.
    let base = inline(&rare_class_csv(), json!({"test_size": 0.25, "seed": 0}));
    let test = run_one(&base, "split_label_coverage", json!({}));
    assert_status(&test, Status::Fail);
    assert_eq!(test.observed, json!(["c"]));
    assert_eq!(failing_lines(&test), [21]);
    assert_last(&test, "classes(test) ⊆ classes(train)", "not in train: `c`", "FAIL");
    assert!(
        test.message.starts_with("1 of the 3 test classes never occur in the train part (`c`)"),
        "{}",
        test.message
    );
    // Seed 1 keeps it in train.
    let base = inline(&rare_class_csv(), json!({"test_size": 0.25, "seed": 1}));
    assert_status(&run_one(&base, "split_label_coverage", json!({})), Status::Pass);
}

#[test]
fn split_label_coverage_is_an_error_for_regression() {
    let test = run_one(&diabetes(), "split_label_coverage", json!({}));
    assert_status(&test, Status::Error);
    assert!(
        test.message.starts_with("split_label_coverage compares classes; the suite's task is regression"),
        "{}",
        test.message
    );
}

// ---------------------------------------------------------------------------------------
// split_stratified

#[test]
fn split_stratified_passes_with_a_stratified_split() {
    let test = run_one(&iris(), "split_stratified", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(step(&test, "class_shares(all)").result, "setosa 33.3%, versicolor 33.3%, virginica 33.3%");
    assert_eq!(step(&test, "class_shares(test)").result, "setosa 33.3%, versicolor 33.3%, virginica 33.3%");
    assert_eq!(test.observed.as_f64(), Some(0.0));
    let test = run_one(&penguins(), "split_stratified", json!({"tol": 0.01}));
    assert_status(&test, Status::Pass);
}

#[test]
fn split_stratified_fails_without_stratify() {
    // Seed 1 without stratify puts 14 setosa, 3 versicolor and 13 virginica in the test part.
    let base = with(iris(), json!({"split": {"test_size": 0.2, "seed": 1}}));
    let test = run_one(&base, "split_stratified", json!({}));
    assert_status(&test, Status::Fail);
    assert_eq!(step(&test, "class_shares(test)").result, "setosa 46.7%, versicolor 10%, virginica 43.3%");
    let gap = test.observed.as_f64().unwrap();
    assert!((gap - (1.0 / 3.0 - 0.1)).abs() < 1e-12, "{gap}");
    assert_last(&test, "max |share − overall share| <= 0.05", "0.2333 <= 0.05 (versicolor in test)", "FAIL");
    assert!(
        test.message.starts_with("with a split without `stratify`, `versicolor` makes up 10% of the test rows but 33.3% of all rows: 23.3 percentage points apart"),
        "{}",
        test.message
    );
}

#[test]
fn split_stratified_is_an_error_for_regression() {
    assert_status(&run_one(&diabetes(), "split_stratified", json!({})), Status::Error);
}

// ---------------------------------------------------------------------------------------
// imputer_fills_all

#[test]
fn imputer_fills_all_counts_the_filled_cells_of_penguins() {
    let test = run_one(&penguins(), "imputer_fills_all", json!({}));
    assert_status(&test, Status::Pass);
    // pandas: penguins.isna().sum() → 2 in each measurement, 11 in sex.
    assert_eq!(
        test.observed,
        json!({"missing": 19, "filled": 19, "columns": {
            "bill_length_mm": 2, "bill_depth_mm": 2, "flipper_length_mm": 2, "body_mass_g": 2, "sex": 11
        }})
    );
    assert_eq!(
        step(&test, "count_missing(features)").result,
        "missing = 19 in 5 columns: bill_length_mm 2, bill_depth_mm 2, flipper_length_mm 2, body_mass_g 2, sex 11"
    );
    assert_eq!(step(&test, "transform(train, test) with impute mean").result, "NaN = 0, filled = 19 of 19");
    assert_last(
        &test,
        "no input is missing after preprocessing",
        "0 NaN, 19 of 19 missing cells filled",
        "PASS",
    );
}

#[test]
fn imputer_fills_all_passes_when_nothing_is_missing() {
    let test = run_one(&iris(), "imputer_fills_all", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(test.observed["missing"], 0);
    assert!(test.message.contains("no feature cell of the 150 labelled rows is missing"), "{}", test.message);
}

#[test]
fn imputer_fills_all_without_an_imputer_does_not_pass() {
    let base = with(penguins(), json!({"preprocess": [{"scale": "standard"}, {"one_hot": "auto"}]}));
    // Through the runner: the suite's pipeline stops at preprocess, and this test, which runs
    // the stages up to preprocessing itself, fails with its own table (it is not skipped as
    // the tests that read the trained model are); the run also errors, naming the column.
    let report = run_suite(&base, json!([{"id": "t", "kind": "imputer_fills_all"}]));
    assert_status(find(&report, "t"), Status::Fail);
    let pipeline = find(&report, "pipeline");
    assert_status(pipeline, Status::Error);
    assert!(pipeline.message.contains("`bill_length_mm` is missing on line"), "{}", pipeline.message);

    // Run on its own, the test runs the stages itself and fails naming the column and line.
    let suite = suite(&base, json!([]));
    let table = table_of(&suite);
    let ctx = Context {
        target: suite.target.as_deref(),
        task: suite.task,
        pipeline: suite.pipeline.as_ref(),
        ..Context::new(&table)
    };
    let mut trace = Trace::default();
    let eval = check("imputer_fills_all", json!({})).run(&ctx, &mut trace).unwrap();
    assert!(!eval.passed);
    assert!(
        eval.message.starts_with(
            "the preprocessor leaves missing cells unfilled: `bill_length_mm` is missing on line"
        ),
        "{}",
        eval.message
    );
    let failures = eval.failures.unwrap();
    assert_eq!(failures.count, 19);
    assert_eq!((failures.sample[0].line, failures.sample[0].column.as_str()), (5, "bill_length_mm"));
    let (steps, _) = trace.finish();
    assert_eq!(steps.last().unwrap().evaluation, "transform failed: 0 of 19 missing cells filled");
    assert_eq!(steps.last().unwrap().result, "FAIL");
}

// ---------------------------------------------------------------------------------------
// one_hot_width

#[test]
fn one_hot_width_counts_levels_from_the_table() {
    let test = run_one(&penguins(), "one_hot_width", json!({"expected": 10}));
    assert_status(&test, Status::Pass);
    assert_eq!(step(&test, "count_levels(train)").result, "island: 3 levels, sex: 2 levels");
    assert_eq!(step(&test, "expected_width()").evaluation, "numeric + Σ levels = 5 + 3 + 2");
    assert_last(
        &test,
        "width == 10 (from the table) and width == 10 (expected)",
        "10 == 10, 10 == 10",
        "PASS",
    );
    assert_eq!(test.observed, json!(10));
    let test = run_one(&iris(), "one_hot_width", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(step(&test, "count_levels(train)").result, "no category column");
    assert_eq!(test.observed, json!(4));
}

#[test]
fn one_hot_width_counts_only_train_levels() {
    // `green` is on one line only; seed 0 puts it in the test part, where it encodes as zeros.
    let mut csv = String::from("c,x,y\n");
    for i in 0..19 {
        csv.push_str(&format!(
            "{},{i},{}\n",
            if i % 2 == 0 { "red" } else { "blue" },
            if i % 3 == 0 { "a" } else { "b" }
        ));
    }
    csv.push_str("green,19,a\n");
    let base = with(
        inline(&csv, json!({"test_size": 0.25, "seed": 0})),
        json!({"preprocess": [{"scale": "standard"}, {"one_hot": "auto"}]}),
    );
    let test = run_one(&base, "one_hot_width", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(step(&test, "count_levels(train)").result, "c: 2 levels");
    assert_eq!(test.observed, json!(3));
}

#[test]
fn one_hot_width_fails_on_a_wrong_expectation() {
    let test = run_one(&penguins(), "one_hot_width", json!({"expected": 12}));
    assert_status(&test, Status::Fail);
    assert_last(
        &test,
        "width == 10 (from the table) and width == 12 (expected)",
        "10 == 10, 10 == 12",
        "FAIL",
    );
    assert!(test.message.ends_with(": the suite expects 12"), "{}", test.message);
}

// ---------------------------------------------------------------------------------------
// deterministic_with_seed

#[test]
fn deterministic_with_seed_runs_the_pipeline_twice() {
    for base in [iris(), penguins(), diabetes()] {
        let test = run_one(&base, "deterministic_with_seed", json!({}));
        assert_status(&test, Status::Pass);
        assert_eq!(test.observed, json!({"split_identical": true, "differing_predictions": 0}));
        assert!(test.steps[0].action.starts_with("run 1: split + fit + predict (seed = 42)"));
        assert!(test.steps[1].action.starts_with("run 2: split + fit + predict (seed = 42)"));
        assert_eq!(step(&test, "compare(split 1, split 2)").result, "identical");
    }
    let test = run_one(&diabetes(), "deterministic_with_seed", json!({}));
    assert_eq!(
        step(&test, "compare(predictions 1, predictions 2)").evaluation,
        "89 test predictions: values, bit for bit"
    );
    let test = run_one(&iris(), "deterministic_with_seed", json!({}));
    assert_eq!(
        step(&test, "compare(predictions 1, predictions 2)").evaluation,
        "30 test predictions: labels and probabilities, bit for bit"
    );
}

#[test]
fn differences_between_runs_are_counted_bit_for_bit() {
    assert_eq!(positions_differing(&[1, 2, 3], &[1, 2, 3]), 0);
    assert_eq!(positions_differing(&[1, 2, 3], &[1, 3, 4]), 2);
    let table = crate::table::read_csv(b"x,y\n1,a\n2,b\n", "t.csv", &LoadOptions::default()).unwrap();
    let inputs = crate::pipeline::prepare::InputSpec {
        target: "y",
        task: Task::Classification,
        features: None,
        drop: &[],
    };
    let prepared = prepare(&table, &inputs).unwrap();
    let proba = |p: f64| Array2::from_shape_vec((1, 2), vec![1.0 - p, p]).unwrap();
    let a = Output::Classes { labels: vec![1], proba: proba(0.75) };
    assert_eq!(differing_prediction(&a, &a.clone(), 0, &prepared), None);
    let b = Output::Classes { labels: vec![1], proba: proba(0.75 + 1e-15) };
    let (one, two) = differing_prediction(&a, &b, 0, &prepared).expect("one bit apart is a difference");
    assert_ne!(one, two);
    let c = Output::Classes { labels: vec![0], proba: proba(0.25) };
    assert_eq!(
        differing_prediction(&a, &c, 0, &prepared),
        Some(("b (p = 0.75)".to_owned(), "a (p = 0.75)".to_owned()))
    );
    let v = Output::Values(vec![1.0]);
    assert_eq!(differing_prediction(&v, &Output::Values(vec![1.0]), 0, &prepared), None);
    assert!(differing_prediction(&v, &Output::Values(vec![1.0 + f64::EPSILON]), 0, &prepared).is_some());
}

// ---------------------------------------------------------------------------------------
// predict_batch_invariance

#[test]
fn predict_batch_invariance_holds_for_every_model() {
    let models = [
        json!({"kind": "logistic_regression"}),
        json!({"kind": "decision_tree", "max_depth": 3}),
        json!({"kind": "gaussian_nb"}),
        json!({"kind": "knn", "k": 5}),
        json!({"kind": "svm"}),
    ];
    for model in models {
        let base = with(iris(), json!({"model": model}));
        let test = run_one(&base, "predict_batch_invariance", json!({}));
        assert_status(&test, Status::Pass);
        assert_eq!(step(&test, "predict(X_test[i]) for each i").evaluation, "30 calls on 1 × 4 matrices");
        assert_eq!(var(&test, "differing"), "0");
    }
    for base in [penguins(), diabetes(), with(diabetes(), json!({"model": {"kind": "ridge"}}))] {
        let test = run_one(&base, "predict_batch_invariance", json!({}));
        assert_status(&test, Status::Pass);
    }
    let test = run_one(&diabetes(), "predict_batch_invariance", json!({}));
    assert!(step(&test, "compare(batch, one by one)").result.starts_with("max |Δ| = "));
}

// ---------------------------------------------------------------------------------------
// prediction_shape

#[test]
fn prediction_shape_passes_for_classes_and_values() {
    let test = run_one(&penguins(), "prediction_shape", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(
        step(&test, "check_labels(predictions)").evaluation,
        "3 known classes: Adelie, Chinstrap, Gentoo"
    );
    assert_eq!(step(&test, "sum(proba, axis = 1)").evaluation, "69 rows × 3 classes");
    assert_eq!(test.observed, json!({"predictions": 69, "test_rows": 69}));
    let test = run_one(&diabetes(), "prediction_shape", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(step(&test, "check_finite(predictions)").result, "not finite = 0");
    assert_last(
        &test,
        "one finite value per test row",
        "89 predictions for 89 rows, all well formed",
        "PASS",
    );
}

#[test]
fn prediction_shape_fails_on_malformed_predictions() {
    let suite = suite(&iris(), json!([]));
    let table = table_of(&suite);
    let mut trained = train(&table, suite.pipeline.as_ref().unwrap()).unwrap();
    let second_line = trained.prepared.line(trained.split.test[1]);
    if let Output::Classes { labels, proba } = &mut trained.fitted.test_output {
        labels[0] = 7;
        proba[[1, 0]] += 0.5;
    }
    let eval = run_on(&table, &suite, trained, &check("prediction_shape", json!({})));
    assert!(!eval.passed);
    assert!(eval.message.contains("1 of 30 labels are not known classes"), "{}", eval.message);
    assert!(eval.message.contains("1 rows of probabilities do not sum to 1 within 1e-6"), "{}", eval.message);
    let failures = eval.failures.unwrap();
    assert_eq!(failures.count, 2);
    assert_eq!(failures.sample[1].line, second_line);

    // One prediction missing.
    let suite = suite_with_values();
    let table = table_of(&suite);
    let mut trained = train(&table, suite.pipeline.as_ref().unwrap()).unwrap();
    if let Output::Values(values) = &mut trained.fitted.test_output {
        values.pop();
        values[0] = f64::NAN;
    }
    let eval = run_on(&table, &suite, trained, &check("prediction_shape", json!({})));
    assert!(!eval.passed);
    assert_eq!(
        eval.message,
        "the predictions are malformed: 88 predictions for 89 test rows; 1 predicted values are not finite"
    );
}

fn suite_with_values() -> Suite {
    suite(&diabetes(), json!([]))
}
