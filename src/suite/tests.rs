use super::*;

use serde_json::json;

use crate::checks::data::{NotNull, ValuesBetween};
use crate::checks::{ColumnSel, Ratio};

const FILE: &str = "s.json";

/// A suite of data tests on the iris sample, with `tests` as given.
fn suite_with(tests: Value) -> String {
    json!({"version": 1, "data": {"source": "sample:iris"}, "tests": tests}).to_string()
}

/// A suite with one test, `{"id": "x", …params}`.
fn one_test(params: Value) -> String {
    let mut test = json!({"id": "x"});
    test.as_object_mut().unwrap().extend(params.as_object().unwrap().clone());
    suite_with(json!([test]))
}

fn parse_err(text: &str) -> SuiteError {
    parse(text, Format::Json, FILE).expect_err("the suite is invalid")
}

/// The error names the file, the path and, in its message, `part`; its text says all three.
fn assert_error(err: &SuiteError, path: &str, part: &str) {
    let text = err.to_string();
    assert_eq!(err.file(), FILE, "{text}");
    assert_eq!(err.path(), path, "{text}");
    assert!(err.message().contains(part), "`{part}` not in: {text}");
    assert!(text.starts_with(&format!("{FILE}: {path}: ")), "{text}");
    assert!(text.contains(part), "{text}");
}

const JSON_SUITE: &str = r#"{
  "version": 1,
  "name": "Penguins: data quality",
  "data": { "source": "sample:penguins" },
  "target": "species",
  "task": "classification",
  "drop": ["year"],
  "tests": [
    { "id": "no-nulls", "kind": "not_null", "column": "*", "max_missing_ratio": 0.05 },
    { "id": "bill", "kind": "values_between", "column": "bill_length_mm",
      "min": 30, "max": 60, "strict_max": true, "mostly": 0.99, "severity": "warn" },
    { "id": "islands", "kind": "values_in_set", "column": "island",
      "allowed": ["Biscoe", "Dream", "Torgersen"], "enabled": false,
      "description": "three islands" }
  ]
}"#;

const YAML_SUITE: &str = r#"# The same suite as JSON_SUITE.
version: 1
name: "Penguins: data quality"
data:
  source: sample:penguins
target: species
task: classification
drop: [year]
tests:
  - id: no-nulls
    kind: not_null
    column: "*"
    max_missing_ratio: 0.05
  - id: bill
    kind: values_between
    column: bill_length_mm
    min: 30
    max: 60
    strict_max: true
    mostly: 0.99
    severity: warn
  - id: islands
    kind: values_in_set
    column: island
    allowed: [Biscoe, Dream, Torgersen]
    enabled: false
    description: three islands
"#;

// ---------------------------------------------------------------------------------------
// Valid suites

#[test]
fn json_suite_parses_into_checked_values() {
    let suite = parse(JSON_SUITE, Format::Json, "penguins.json").unwrap();
    assert_eq!(suite.version, 1);
    assert_eq!(suite.title("penguins.json"), "Penguins: data quality");
    assert_eq!(suite.data.kind(), DataSource::Sample("penguins"));
    assert_eq!(suite.target.as_deref(), Some("species"));
    assert_eq!(suite.task, Some(Task::Classification));
    assert_eq!(suite.drop, Some(vec!["year".to_string()]));
    assert_eq!(suite.tests.len(), 3);

    let first = &suite.tests[0];
    assert_eq!(first.id, "no-nulls");
    assert_eq!(first.severity, Severity::Fail, "fail is the default");
    assert!(first.enabled, "tests are enabled by default");
    assert_eq!(
        first.check,
        Check::NotNull(NotNull {
            column: ColumnSel::All,
            max_missing_ratio: Ratio::new(0.05).unwrap(),
            mostly: None
        })
    );

    let bill = &suite.tests[1];
    assert_eq!(bill.severity, Severity::Warn);
    assert_eq!(
        bill.check,
        Check::ValuesBetween(ValuesBetween {
            column: "bill_length_mm".into(),
            min: Some(30.0),
            max: Some(60.0),
            strict_min: false,
            strict_max: true,
            mostly: Ratio::new(0.99).unwrap(),
        })
    );

    let islands = &suite.tests[2];
    assert!(!islands.enabled);
    assert_eq!(islands.description.as_deref(), Some("three islands"));
    assert_eq!(islands.check.kind(), "values_in_set");
}

#[test]
fn yaml_and_json_of_one_suite_are_equal() {
    let json = parse(JSON_SUITE, Format::Json, "s.json").unwrap();
    let yaml = parse(YAML_SUITE, Format::Yaml, "s.yaml").unwrap();
    assert_eq!(json, yaml);
}

#[test]
fn to_json_round_trips_through_parse() {
    let suite = parse(JSON_SUITE, Format::Json, FILE).unwrap();
    let again = parse(&suite.to_json(), Format::Json, FILE).unwrap();
    assert_eq!(again, suite);
}

#[test]
fn to_json_round_trips_every_kind_of_parameter() {
    let text = every_kind_suite().to_string();
    let suite = parse(&text, Format::Json, FILE).unwrap();
    assert_eq!(suite.tests.len(), KINDS.len(), "one test of every kind");
    let again = parse(&suite.to_json(), Format::Json, FILE).unwrap();
    assert_eq!(again, suite);
}

/// A suite with one test of every kind, each with parameters (the suite editor's catalogue
/// checks its metadata against it).
pub(crate) fn every_kind_suite() -> Value {
    // The unit tests are written apart: one json! call holding every kind passes the macro's
    // recursion limit.
    let unit_tests = json!([
        {"id": "u1", "kind": "scaler_standardizes", "tol": 1e-8},
        {"id": "u2", "kind": "scaler_range", "tol": 0.001},
        {"id": "u3", "kind": "scaler_inverse_roundtrip", "tol": 1e-10},
        {"id": "u4", "kind": "split_sizes", "expected_train": 3, "expected_test": 1},
        {"id": "u5", "kind": "split_no_overlap", "max_overlap_ratio": 0.1},
        {"id": "u6", "kind": "split_label_coverage"},
        {"id": "u7", "kind": "split_stratified", "tol": 0.1},
        {"id": "u8", "kind": "imputer_fills_all"},
        {"id": "u9", "kind": "one_hot_width", "expected": 2},
        {"id": "u10", "kind": "deterministic_with_seed"},
        {"id": "u11", "kind": "predict_batch_invariance", "tol": 1e-6},
        {"id": "u12", "kind": "prediction_shape"}
    ]);
    let mut value = json!({
        "version": 1,
        "description": "every kind once",
        "data": {"source": "inline", "csv": "a,b\n1,x\n", "rows": 1,
                 "sha256": "ab".repeat(32)},
        "target": "b",
        "task": "classification",
        "features": ["a"],
        "split": {"test_size": 0.25, "seed": 7, "stratify": true},
        "preprocess": [{"impute": "median"}, {"scale": "minmax"}, {"one_hot": "auto"}],
        "model": {"kind": "decision_tree", "max_depth": 3, "criterion": "entropy"},
        "tests": [
            {"id": "t1", "kind": "not_null", "column": "a"},
            {"id": "t2", "kind": "columns_present", "columns": ["a", "b"], "exact": true,
             "ordered": true},
            {"id": "t3", "kind": "column_type", "column": "a", "type": "int"},
            {"id": "t4", "kind": "values_between", "column": "a", "min": 0, "strict_min": true},
            {"id": "t5", "kind": "values_in_set", "column": "a", "allowed": [1, "2", true, 1.5],
             "mostly": 0.5},
            {"id": "t6", "kind": "unique", "column": "a"},
            {"id": "t7", "kind": "no_duplicate_rows", "columns": ["a"], "max_ratio": 0.1},
            {"id": "t8", "kind": "row_count_between", "min": 1, "max": 10},
            {"id": "t9", "kind": "matches_regex", "column": "b", "pattern": "^\\w+$"},
            {"id": "t10", "kind": "column_stat_between", "column": "a", "stat": "quantile",
             "q": 0.9, "max": 5},
            {"id": "t11", "kind": "not_constant", "column": "*"},
            {"id": "t12", "kind": "class_balance", "min_minority_ratio": 0.2},
            {"id": "t13", "kind": "no_conflicting_labels", "column": "b", "features": ["a"]},
            {"id": "t14", "kind": "no_target_leakage", "max_score": 0.95, "severity": "warn"},
            {"id": "m1", "kind": "metric_threshold", "metric": "f1", "average": "weighted", "op": ">=",
             "value": 0.5, "on": "cv", "folds": 3},
            {"id": "m2", "kind": "per_class_metric", "metric": "recall", "op": ">", "value": 0.5,
             "class": "x"},
            {"id": "m3", "kind": "beats_baseline", "metric": "f1", "average": "macro", "min_gain": 0.1},
            {"id": "m4", "kind": "train_test_gap", "metric": "mcc", "max_relative_drop": 0.2},
            {"id": "m5", "kind": "cross_validation", "folds": 3, "metric": "log_loss", "max_mean": 2.5,
             "max_std": 0.5},
            {"id": "m6", "kind": "time_budget", "phase": "predict_per_row", "max_ms": 0.5},
            {"id": "m7", "kind": "invariance", "feature": "a", "sigma": 0.05, "seed": 3, "tol": 0.02,
             "min_unchanged_ratio": 0.9},
            {"id": "m8", "kind": "directional", "feature": "a", "delta": 2, "class": "x",
             "max_violation_ratio": 0.1},
            {"id": "i1", "kind": "pipeline_end_to_end", "metric": "mcc"}
        ]
    });
    let group_tests = json!([
        {"id": "g1", "kind": "slice_metric", "metric": "f1", "average": "macro", "op": ">=", "value": 0.5,
         "by": "a", "bins": 3, "min_rows": 5},
        {"id": "g2", "kind": "slice_gap", "metric": "accuracy", "by": "a", "min_rows": 2, "max_gap": 0.1},
        {"id": "g3", "kind": "fairness", "by": "a", "measure": "equalized_odds_ratio", "min": 0.8,
         "positive": "x", "bins": 2},
        {"id": "g4", "kind": "calibration", "measure": "ece", "max": 0.1, "n_bins": 5},
        {"id": "g5", "kind": "drift", "column": "*", "method": "psi", "threshold": 0.2, "drift_share": 0.3}
    ]);
    value["tests"].as_array_mut().unwrap().extend(unit_tests.as_array().unwrap().iter().cloned());
    value["tests"].as_array_mut().unwrap().extend(group_tests.as_array().unwrap().iter().cloned());
    value
}

#[test]
fn a_suite_of_data_tests_needs_only_version_data_and_tests() {
    let suite = parse(&suite_with(json!([])), Format::Json, FILE).unwrap();
    assert_eq!(suite.name, None);
    assert_eq!(suite.title("fallback.json"), "fallback.json");
    assert!(suite.tests.is_empty());
}

#[test]
fn format_is_yaml_only_for_yaml_file_names() {
    assert_eq!(Format::from_path("suite.yaml"), Format::Yaml);
    assert_eq!(Format::from_path("ci/SUITE.YML"), Format::Yaml);
    assert_eq!(Format::from_path("suite.json"), Format::Json);
    assert_eq!(Format::from_path("suite"), Format::Json);
}

#[test]
fn data_sources_read_as_their_kind() {
    let inline = parse(
        &json!({"version": 1, "data": {"source": "inline", "csv": "a\n1\n"}, "tests": []}).to_string(),
        Format::Json,
        FILE,
    )
    .unwrap();
    assert_eq!(inline.data.kind(), DataSource::Inline("a\n1\n"));
    let file = parse(
        &json!({"version": 1, "data": {"source": "file", "path": "d.csv"}, "tests": []}).to_string(),
        Format::Json,
        FILE,
    )
    .unwrap();
    assert_eq!(file.data.kind(), DataSource::File(Some("d.csv")));
}

// ---------------------------------------------------------------------------------------
// Errors: the top level

#[test]
fn unknown_top_level_field_is_named() {
    let text = json!({"version": 1, "data": {"source": "sample:iris"}, "tests": [], "modle": {}}).to_string();
    let err = parse_err(&text);
    assert_error(&err, "modle", "unknown field `modle`; did you mean `model`? expected one of `version`, ");
}

#[test]
fn unknown_field_of_data_names_its_path() {
    let text = json!({"version": 1, "data": {"source": "sample:iris", "url": "x"}, "tests": []}).to_string();
    let err = parse_err(&text);
    assert_error(&err, "data.url", "unknown field `url`, expected one of `source`, ");
}

#[test]
fn a_suite_that_is_not_an_object_is_an_error() {
    let err = parse_err("[1, 2]");
    assert_eq!(err.path(), "");
    assert_eq!(err.to_string(), "s.json: a suite is a JSON object with `version`, `data` and `tests`");
}

#[test]
fn version_from_a_newer_mltest_says_so() {
    let text = json!({"version": 2, "data": {"source": "sample:iris"}, "tests": [], "future": 1}).to_string();
    let err = parse_err(&text);
    assert_error(&err, "version", "the suite is version 2, made by a newer mltest");
    assert!(err.message().contains("reads up to version 1"), "{err}");
}

#[test]
fn missing_version_is_an_error() {
    let text = json!({"data": {"source": "sample:iris"}, "tests": []}).to_string();
    assert_error(&parse_err(&text), "version", "missing; this mltest writes `\"version\": 1`");
}

#[test]
fn missing_top_level_field_is_named_without_a_stray_path() {
    let err = parse_err(&json!({"version": 1, "data": {"source": "sample:iris"}}).to_string());
    assert_eq!(err.path(), "");
    assert_eq!(err.to_string(), "s.json: missing field `tests`");
}

#[test]
fn missing_source_names_data() {
    let err = parse_err(&json!({"version": 1, "data": {}, "tests": []}).to_string());
    assert_error(&err, "data", "missing field `source`");
}

#[test]
fn tests_that_are_not_a_list_is_an_error() {
    let err = parse_err(&json!({"version": 1, "data": {"source": "sample:iris"}, "tests": {}}).to_string());
    assert_error(&err, "tests", "invalid type: map, expected a sequence");
}

#[test]
fn version_that_is_not_a_number_is_an_error() {
    let text = json!({"version": "1", "data": {"source": "sample:iris"}, "tests": []}).to_string();
    assert_error(&parse_err(&text), "version", "\"1\" is not a suite version; use 1");
}

#[test]
fn unknown_sample_lists_the_samples() {
    let text = json!({"version": 1, "data": {"source": "sample:nope"}, "tests": []}).to_string();
    assert_error(
        &parse_err(&text),
        "data.source",
        "no sample named `nope`; samples: iris, penguins, wine, breast_cancer, diabetes",
    );
}

#[test]
fn unknown_source_says_what_sources_are() {
    let text = json!({"version": 1, "data": {"source": "http://x"}, "tests": []}).to_string();
    assert_error(&parse_err(&text), "data.source", "use `sample:NAME`, `inline` or `file`");
}

#[test]
fn inline_source_without_csv_is_an_error() {
    let text = json!({"version": 1, "data": {"source": "inline"}, "tests": []}).to_string();
    assert_error(&parse_err(&text), "data.csv", "an `inline` source needs the CSV text in `csv`");
}

#[test]
fn csv_text_with_a_sample_source_is_an_error() {
    let text =
        json!({"version": 1, "data": {"source": "sample:iris", "csv": "a\n1\n"}, "tests": []}).to_string();
    assert_error(&parse_err(&text), "data.csv", "only read with");
}

#[test]
fn a_sha256_that_is_not_64_hex_digits_is_an_error() {
    let text = json!({"version": 1, "data": {"source": "file", "sha256": "abc"}, "tests": []}).to_string();
    assert_error(&parse_err(&text), "data.sha256", "`abc` is not a SHA-256");
}

#[test]
fn features_and_drop_together_are_an_error() {
    let text = json!({
        "version": 1, "data": {"source": "sample:iris"}, "tests": [],
        "features": ["sepal_length"], "drop": ["species"]
    })
    .to_string();
    assert_error(&parse_err(&text), "drop", "give `features` (columns to use) or `drop`");
}

#[test]
fn json_syntax_error_names_line_and_column() {
    let text = "{\n  \"version\": 1,\n  \"tests\": [,]\n}";
    let err = parse_err(text);
    assert_eq!(err.line(), Some(3));
    // serde_json's own " at line 3 column 13" is dropped: the location is said once.
    assert_eq!(err.to_string(), "s.json: line 3, column 13: expected value");
}

#[test]
fn yaml_syntax_error_names_its_line() {
    // A block item (`- id: x`, line 5) inside a flow list opened on line 4. The location is
    // said once, up front; the parser's context after it is kept.
    let text = "version: 1\ndata:\n  source: sample:iris\ntests: [\n  - id: x\n";
    let err = parse(text, Format::Yaml, "s.yaml").unwrap_err();
    assert_eq!(err.line(), Some(5), "{err}");
    assert_eq!(err.path(), "");
    assert_eq!(
        err.to_string(),
        "s.yaml: line 5, column 3: did not find expected node content, while parsing a flow node"
    );
}

#[test]
fn yaml_errors_after_parsing_name_the_path() {
    let text = "version: 1\ndata:\n  source: sample:iris\ntests:\n  - id: x\n    kind: nope\n";
    let err = parse(text, Format::Yaml, "s.yaml").unwrap_err();
    assert_eq!(err.path(), "tests[0] (`x`).kind");
    assert!(err.to_string().starts_with("s.yaml: tests[0] (`x`).kind: "), "{err}");
}

// ---------------------------------------------------------------------------------------
// Errors: one test

#[test]
fn a_test_that_is_not_an_object_is_an_error() {
    let err = parse_err(&suite_with(json!(["not_null"])));
    assert_error(&err, "tests[0]", "a test is an object with `id` and `kind`");
}

#[test]
fn missing_id_is_an_error() {
    let err = parse_err(&suite_with(json!([{"kind": "unique", "column": "a"}])));
    assert_error(&err, "tests[0].id", "missing: every test has an `id`");
}

#[test]
fn empty_id_is_an_error() {
    let err = parse_err(&one_test(json!({"id": " ", "kind": "unique", "column": "a"})));
    assert_error(&err, "tests[0].id", "the id is empty");
}

#[test]
fn duplicate_id_names_the_second_test() {
    let err = parse_err(&suite_with(json!([
        {"id": "a", "kind": "unique", "column": "x"},
        {"id": "b", "kind": "unique", "column": "y"},
        {"id": "a", "kind": "unique", "column": "z"},
    ])));
    assert_error(&err, "tests[2].id", "`a` is the id of an earlier test; ids must be unique");
}

#[test]
fn missing_kind_is_an_error() {
    let err = parse_err(&one_test(json!({"column": "a"})));
    assert_error(&err, "tests[0] (`x`).kind", "missing: every test has a `kind`");
}

#[test]
fn unknown_kind_lists_the_known_kinds_after_the_closest() {
    let err = parse_err(&one_test(json!({"kind": "not_nul", "column": "a"})));
    let expected = "`not_nul` is not a test kind; did you mean `not_null`? kinds: not_null, ";
    assert_error(&err, "tests[0] (`x`).kind", expected);
    assert!(err.message().ends_with(&KINDS.join(", ")), "{err}");
    // Garbage gets the list alone.
    let err = parse_err(&one_test(json!({"kind": "banana", "column": "a"})));
    assert_error(&err, "tests[0] (`x`).kind", "`banana` is not a test kind; kinds: not_null, ");
}

#[test]
fn a_misspelt_model_kind_gets_the_closest_model_suggested() {
    let text = json!({
        "version": 1, "data": {"source": "sample:iris"}, "target": "species",
        "task": "classification", "model": {"kind": "logistic_regresion"}, "tests": []
    });
    let err = parse_err(&text.to_string());
    let expected =
        "unknown variant `logistic_regresion`; did you mean `logistic_regression`? expected one of `logistic_regression`, ";
    assert_error(&err, "model.kind", expected);
}

#[test]
fn a_misspelt_metric_gets_the_closest_metric_suggested() {
    let text = json!({
        "version": 1, "data": {"source": "sample:iris"}, "target": "species",
        "task": "classification", "model": {"kind": "logistic_regression"},
        "tests": [{"id": "acc", "kind": "metric_threshold", "metric": "acuracy", "op": ">", "value": 0.8}]
    });
    let err = parse_err(&text.to_string());
    let expected = "unknown variant `acuracy`; did you mean `accuracy`? expected one of `accuracy`, ";
    assert_error(&err, "tests[0] (`acc`).metric", expected);
}

#[test]
fn a_misspelt_field_gets_the_closest_field_suggested_at_every_level() {
    let text = json!({"version": 1, "data": {"source": "sample:iris"}, "tests": [], "taget": "species"});
    let err = parse_err(&text.to_string());
    assert_error(&err, "taget", "unknown field `taget`; did you mean `target`? expected one of `version`, ");
    let text = json!({"version": 1, "data": {"source": "sample:iris", "pth": "x.csv"}, "tests": []});
    assert_error(&parse_err(&text.to_string()), "data.pth", "unknown field `pth`; did you mean `path`? ");
    let err = parse_err(&one_test(json!({"kind": "not_null", "colum": "a"})));
    let expected = "unknown field `colum`; did you mean `column`? expected one of `column`, `max_missing_ratio`, `mostly`";
    assert_error(&err, "tests[0] (`x`).colum", expected);
    // Far from every field: serde's message as it is.
    let err = parse_err(&one_test(json!({"kind": "not_null", "zz_not_a_parameter": 1})));
    assert_eq!(
        err.message(),
        "unknown field `zz_not_a_parameter`, expected one of `column`, `max_missing_ratio`, `mostly`"
    );
}

#[test]
fn a_misspelt_sample_or_source_gets_the_closest_suggested() {
    let text = json!({"version": 1, "data": {"source": "sample:penguin"}, "tests": []});
    assert_error(
        &parse_err(&text.to_string()),
        "data.source",
        "no sample named `penguin`; did you mean `penguins`? ",
    );
    let text = json!({"version": 1, "data": {"source": "fiel"}, "tests": []});
    assert_error(
        &parse_err(&text.to_string()),
        "data.source",
        "`fiel` is not a source; did you mean `file`? ",
    );
}

#[test]
fn unknown_parameter_names_the_parameter_and_the_test() {
    let err = parse_err(&suite_with(json!([
        {"id": "ok", "kind": "unique", "column": "a"},
        {"id": "range", "kind": "values_between", "column": "a", "min": 0, "maximum": 5},
    ])));
    assert_error(&err, "tests[1] (`range`).maximum", "unknown field `maximum`");
}

#[test]
fn missing_parameter_is_named() {
    let err = parse_err(&one_test(json!({"kind": "values_in_set", "column": "a"})));
    assert_error(&err, "tests[0] (`x`)", "missing field `allowed`");
}

#[test]
fn parameter_of_the_wrong_type_names_its_path() {
    let err = parse_err(&one_test(json!({"kind": "values_between", "column": "a", "min": "zero"})));
    assert_error(&err, "tests[0] (`x`).min", "invalid type");
}

#[test]
fn mostly_above_one_is_an_error_naming_the_value() {
    let err = parse_err(&one_test(json!({"kind": "values_between", "column": "a", "min": 0, "mostly": 1.5})));
    assert_error(&err, "tests[0] (`x`).mostly", "1.5 is not a ratio: it must be from 0 to 1");
}

#[test]
fn min_above_max_is_an_error() {
    let err = parse_err(&one_test(json!({"kind": "values_between", "column": "a", "min": 5, "max": 1})));
    assert_error(&err, "tests[0] (`x`).min", "min 5 is above max 1: no value can pass");
}

#[test]
fn bad_regex_is_an_error_naming_the_pattern() {
    let err = parse_err(&one_test(json!({"kind": "matches_regex", "column": "a", "pattern": "(ab"})));
    assert_error(&err, "tests[0] (`x`).pattern", "`(ab` is not a valid regular expression");
}

#[test]
fn quantile_without_q_is_an_error() {
    let err = parse_err(&one_test(
        json!({"kind": "column_stat_between", "column": "a", "stat": "quantile", "min": 0}),
    ));
    assert_error(&err, "tests[0] (`x`).q", "`quantile` needs `q`, from 0 to 1");
}

#[test]
fn q_with_another_stat_is_an_error() {
    let err = parse_err(&one_test(
        json!({"kind": "column_stat_between", "column": "a", "stat": "mean", "q": 0.5, "min": 0}),
    ));
    assert_error(&err, "tests[0] (`x`).q", "`q` is only read with `\"stat\": \"quantile\"`");
}

#[test]
fn unknown_stat_is_an_error() {
    let err = parse_err(&one_test(json!({"kind": "column_stat_between", "column": "a", "stat": "mode"})));
    assert_error(&err, "tests[0] (`x`).stat", "unknown variant `mode`");
}

#[test]
fn unknown_severity_is_an_error() {
    let err = parse_err(&one_test(json!({"kind": "unique", "column": "a", "severity": "maybe"})));
    assert_error(&err, "tests[0] (`x`).severity", "\"maybe\" is not a severity; use \"fail\" or \"warn\"");
}

#[test]
fn enabled_that_is_not_a_bool_is_an_error() {
    let err = parse_err(&one_test(json!({"kind": "unique", "column": "a", "enabled": "yes"})));
    assert_error(&err, "tests[0] (`x`).enabled", "\"yes\" is not true or false");
}

#[test]
fn empty_column_name_is_an_error() {
    let err = parse_err(&one_test(json!({"kind": "not_null", "column": ""})));
    assert_error(&err, "tests[0] (`x`).column", "the column name is empty");
}

#[test]
fn errors_in_yaml_tests_name_the_same_path_as_in_json() {
    let text = "version: 1\ndata: {source: sample:iris}\ntests:\n  - {id: x, kind: values_between, column: a, mostly: 1.5, min: 0}\n";
    let err = parse(text, Format::Yaml, FILE).unwrap_err();
    assert_error(&err, "tests[0] (`x`).mostly", "1.5 is not a ratio");
}

#[test]
fn version_written_as_a_whole_float_is_read() {
    let suite =
        parse(r#"{"version": 1.0, "data": {"source": "sample:iris"}, "tests": []}"#, Format::Json, "s.json")
            .unwrap();
    assert_eq!(suite.version, 1);
}

#[test]
fn empty_suite_file_says_so() {
    let err = parse("  \n", Format::Json, "s.json").unwrap_err();
    assert_eq!(err.to_string(), "s.json: the suite file is empty");
}

// ---------------------------------------------------------------------------------------
// Hostile text: duplicate keys, deep nesting, huge values, YAML's non-numbers

#[test]
fn regression_a_key_given_twice_is_refused_with_its_path_and_line() {
    let text = "{\n  \"version\": 1,\n  \"data\": { \"source\": \"sample:iris\" },\n  \"tests\": [\n    { \"id\": \"rows\", \"kind\": \"row_count_between\", \"min\": 1000, \"min\": 1 }\n  ]\n}";
    let err = parse_err(text);
    assert_eq!(err.path(), "tests[0].min", "{err}");
    assert_eq!(err.line(), Some(5), "{err}");
    assert!(err.to_string().starts_with("s.json: line 5, column "), "{err}");
    assert!(err.to_string().contains("tests[0].min: duplicate key"), "{err}");

    // Two `tests` lists: the reviewer reads the first, the run would take the second.
    let two_lists = r#"{"version": 1, "data": {"source": "sample:iris"},
        "tests": [{"id": "a", "kind": "row_count_between", "min": 1000}],
        "tests": []}"#;
    let err = parse_err(two_lists);
    assert_eq!(err.path(), "tests", "{err}");
    assert_eq!(err.line(), Some(3), "{err}");

    let yaml = "version: 1\ndata:\n  source: sample:iris\ntests:\n  - id: rows\n    kind: row_count_between\n    min: 1000\n    min: 1\n";
    let err = parse(yaml, Format::Yaml, "s.yaml").unwrap_err();
    assert_eq!(err.path(), "tests[0].min", "{err}");
    assert_eq!(err.line(), Some(8), "{err}");
    assert!(err.message().contains("duplicate key"), "{err}");
    let yaml = "version: 1\ndata:\n  source: sample:iris\ntests: []\ntests: []\n";
    assert_eq!(parse(yaml, Format::Yaml, "s.yaml").unwrap_err().path(), "tests");
}

/// The YAML parser is quadratic in flow nesting: 100,000 `[` took 25 s.
#[test]
fn regression_deep_nesting_is_refused_fast_naming_the_line_and_the_limit() {
    let deep_yaml = format!(
        "version: 1\ndata:\n  source: sample:iris\ntests: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let deep_json = format!(
        "{{\"version\": 1,\n\"data\": {{\"source\": \"sample:iris\"}},\n\"tests\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    for (text, format) in [(&deep_yaml, Format::Yaml), (&deep_json, Format::Json)] {
        let started = std::time::Instant::now();
        let err = parse(text, format, "s").unwrap_err();
        assert!(started.elapsed().as_millis() < 500, "{format:?} took {:?}", started.elapsed());
        assert_eq!(err.line(), Some(4).filter(|_| format == Format::Yaml).or(Some(3)), "{err}");
        assert!(err.message().contains(&format!("more than {MAX_DEPTH} levels")), "{err}");
    }
    // Block nesting counts too.
    let mut block = String::from("version: 1\ndata:\n  source: sample:iris\ntests: []\nname:\n");
    for level in 1..=100 {
        block.push_str(&format!("{}k:\n", "  ".repeat(level)));
    }
    let err = parse(&block, Format::Yaml, "s.yaml").unwrap_err();
    assert!(err.message().contains("nested more than"), "{err}");
    // At the limit, nesting is read (and refused by what the field expects, not the depth).
    let at_limit = format!("{}{}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
    let text =
        format!("{{\"version\": 1, \"data\": {{\"source\": \"sample:iris\"}}, \"tests\": {at_limit}}}");
    assert!(!parse_err(&text).message().contains("nested"), "{}", parse_err(&text));
}

#[test]
fn brackets_and_escaped_quotes_inside_json_strings_are_not_nesting() {
    // A string of brackets and escaped quotes (an inline CSV, a regex) is text; the nesting
    // after it is still counted, at its own line and column.
    let inside = format!("\\\"{}\\\\", "[".repeat(1_000));
    let text = format!(
        "{{\"version\": 1, \"name\": \"{inside}\",\n\"data\": {{\"source\": \"sample:iris\"}},\n \"tests\": []}}"
    );
    assert!(parse(&text, Format::Json, "s").is_ok(), "{}", parse_err(&text));
    let deep = text.replace("\"tests\": []", &format!("\"tests\": {}{}", "[".repeat(100), "]".repeat(100)));
    let err = parse(&deep, Format::Json, "s").unwrap_err();
    assert_eq!(err.line(), Some(3), "{err}");
    assert!(err.to_string().contains("line 3, column 74"), "{err}");
}

#[test]
fn regression_a_suite_over_the_size_limit_is_refused_before_parsing() {
    let csv = "x\n".repeat(MAX_SUITE_BYTES / 2);
    let text = json!({"version": 1, "data": {"source": "inline", "csv": csv}, "tests": []}).to_string();
    let err = parse_err(&text);
    assert!(err.message().contains("suites over 10 MB"), "{err}");
    assert!(err.to_string().len() < 300, "{err}");
}

#[test]
fn regression_yaml_nan_and_inf_are_refused_naming_the_field() {
    for (value, shown) in [(".nan", ".nan"), (".inf", ".inf"), ("-.inf", "-.inf"), (".NaN", ".nan")] {
        let yaml = format!(
            "version: 1\ndata:\n  source: sample:iris\ntests:\n  - id: r\n    kind: values_between\n    column: sepal_length\n    max: {value}\n"
        );
        let err = parse(&yaml, Format::Yaml, "s.yaml").unwrap_err();
        assert_eq!(err.path(), "tests[0].max", "{err}");
        assert_eq!(err.line(), Some(8), "{err}");
        assert!(err.message().contains(&format!("YAML {shown} is not a number a suite can use")), "{err}");
    }
}

#[test]
fn regression_a_huge_value_in_an_error_is_cut_to_a_line() {
    let huge = "w".repeat(1_500_000);
    for text in [
        one_test(json!({"kind": "not_null", "column": "a", "severity": huge})),
        one_test(json!({"kind": "matches_regex", "column": "a", "pattern": format!("({huge}")})),
        one_test(json!({"kind": "values_between", "column": "a", "min": huge})),
        one_test(json!({"kind": huge})),
        suite_with(json!([{"id": huge, "kind": "not_null", "column": "a", "mostly": 2}])),
        json!({"version": 1, "data": {"source": huge}, "tests": []}).to_string(),
        json!({"version": 1, "data": {"source": "sample:iris"}, "tests": [], huge.clone(): 1}).to_string(),
    ] {
        let err = parse_err(&text).to_string();
        assert!(err.len() < 2_000, "{} bytes: {}", err.len(), &err[..300]);
        assert!(
            err.contains("(1500000 characters)") || err.contains("(1500001 characters)"),
            "{}",
            &err[..err.len().min(600)]
        );
    }
}

/// Every suite the product ships or tests with is within the bounds a suite's text must keep.
#[test]
fn every_bundled_suite_is_within_the_text_bounds() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    for dir in ["static/suites", "static/lessons", "tests/data/suites"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            let shown = path.display().to_string();
            if !(shown.ends_with(".json") || shown.ends_with(".yaml")) {
                continue;
            }
            check_bounds(&text, Format::from_path(&shown), &shown).unwrap();
            // The suites that are meant to parse still do (the bad ones are refused for
            // their own reasons, tested in tests/bad_input).
            if dir.starts_with("static/suites") {
                parse(&text, Format::from_path(&shown), &shown).unwrap();
            }
            seen += 1;
        }
    }
    assert!(seen > 20, "{seen} suites");
}

/// 10 MB of one-character list items took 700 MB and 14 s in the parsers.
#[test]
fn regression_a_suite_of_millions_of_values_is_refused_before_parsing() {
    let items = "1, ".repeat(3_000_000);
    let yaml = format!("version: 1\ndata:\n  source: sample:iris\ntests: [{items}1]\n");
    let json =
        format!("{{\"version\": 1, \"data\": {{\"source\": \"sample:iris\"}},\n\"tests\": [{items}1]}}");
    for (text, format, line) in [(&yaml, Format::Yaml, 4), (&json, Format::Json, 2)] {
        let started = std::time::Instant::now();
        let err = parse(text, format, "s").unwrap_err();
        assert!(started.elapsed().as_millis() < 1_000, "{format:?} took {:?}", started.elapsed());
        assert_eq!(err.line(), Some(line), "{err}");
        assert!(err.message().contains(&format!("more than {MAX_VALUES} values")), "{err}");
    }
    // A large inline CSV is one value.
    let csv = format!("a,b\n{}", "1,2\n".repeat(500_000));
    let text = json!({"version": 1, "data": {"source": "inline", "csv": csv}, "tests": []}).to_string();
    parse(&text, Format::Json, FILE).unwrap();
}

#[test]
fn regression_two_thousand_cross_validations_are_refused_when_the_suite_is_read() {
    // 2,000 cross-validation tests in a link with `run=1` started hours of fitting on opening.
    let tests: Vec<Value> = (0..2_000)
        .map(|i| json!({"id": format!("cv{i}"), "kind": "cross_validation", "folds": 10, "min_mean": 0.0}))
        .collect();
    let text = json!({
        "version": 1, "data": {"source": "sample:iris"}, "target": "species", "task": "classification",
        "model": {"kind": "gaussian_nb"}, "tests": tests,
    })
    .to_string();
    // The suite's own training is one fit; each test ten: the 50th test reaches 501.
    assert_error(&parse_err(&text), "tests[49] (`cv49`)", "500");
}

/// A `predictions` model (PRODUCT.md §9) has no split, no preprocessing and no training:
/// what needs them is refused when the suite is read, naming the field or test and why.
#[test]
fn a_predictions_model_refuses_what_needs_training() {
    let suite = |extra: Value, tests: Value| {
        let mut doc = json!({
            "version": 1,
            "data": {"source": "sample:penguins_predictions"},
            "target": "sex",
            "task": "classification",
            "model": {"kind": "predictions", "prediction": "sex_pred", "scores": "p_male"},
            "tests": tests
        });
        for (key, value) in extra.as_object().unwrap() {
            doc[key] = value.clone();
        }
        doc.to_string()
    };
    let accuracy =
        json!([{"id": "acc", "kind": "metric_threshold", "metric": "accuracy", "op": ">", "value": 0.7}]);
    assert!(parse(&suite(json!({}), accuracy.clone()), Format::Json, "s.json").is_ok());
    let err = parse_err(&suite(json!({"split": {"test_size": 0.2}}), accuracy.clone()));
    assert_error(&err, "split", "a `predictions` model is not trained");
    let err = parse_err(&suite(json!({"preprocess": [{"scale": "standard"}]}), accuracy));
    assert_error(&err, "preprocess", "leave it out");
    for (test, reason) in [
        (json!({"id": "gap", "kind": "train_test_gap", "max_relative_drop": 0.1}), "has no train rows"),
        (
            json!({"id": "cv", "kind": "cross_validation", "folds": 5, "max_std": 0.1}),
            "retrains the model on folds",
        ),
        (json!({"id": "e2e", "kind": "pipeline_end_to_end"}), "runs the whole pipeline"),
        (json!({"id": "split", "kind": "split_no_overlap"}), "checks the split"),
        (
            json!({"id": "on-train", "kind": "metric_threshold", "metric": "accuracy", "op": ">", "value": 0.7, "on": "train"}),
            "`on: train` scores the train rows",
        ),
    ] {
        let id = test["id"].as_str().unwrap().to_owned();
        let err = parse_err(&suite(json!({}), json!([test])));
        assert_error(&err, &format!("tests[0] (`{id}`)"), "cannot test a `predictions` model");
        assert!(err.to_string().contains(reason), "{err}");
    }
    // A switched-off test is kept: it does not run.
    let off = json!([{"id": "e2e", "kind": "pipeline_end_to_end", "enabled": false}]);
    assert!(parse(&suite(json!({}), off), Format::Json, "s.json").is_ok());
}
