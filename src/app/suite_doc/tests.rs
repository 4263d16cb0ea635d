use super::*;
use crate::app::state::INITIAL_SUITE;
use crate::checks::CATALOG;
use crate::report::Status;
use crate::samples;
use crate::suite::{self, Format, Suite, SuiteError};
use crate::table::{self, LoadOptions, Table};

fn iris() -> (Table, Vec<ColumnProfile>) {
    let sample = samples::get("iris").unwrap();
    let table = table::read_csv(sample.csv, sample.file, &LoadOptions::default()).unwrap();
    let profile = table::profile(&table);
    (table, profile)
}

fn parse(text: &str) -> Result<Suite, SuiteError> {
    suite::parse(text, Format::Json, "suite.json")
}

fn edit(text: &str, edit: SuiteEdit) -> String {
    let (_, profile) = iris();
    apply(text, &edit, &profile).unwrap()
}

fn add(text: &str, kind: &str) -> String {
    edit(text, SuiteEdit::AddTest { kind: kind.into() })
}

/// The status of test `id` when the suite runs on iris.
fn status_of(text: &str, id: &str) -> Status {
    let (table, _) = iris();
    let report = crate::run::run(&parse(text).unwrap(), &table);
    report.tests.iter().find(|t| t.id == id).unwrap_or_else(|| panic!("no test {id}")).status
}

#[test]
fn a_new_values_between_reads_the_first_numeric_column_and_its_range_and_passes() {
    let text = add(INITIAL_SUITE, "values_between");
    let suite = parse(&text).unwrap();
    let added = serde_json::to_value(&suite.tests[5]).unwrap();
    assert_eq!(added["id"], "values-between");
    assert_eq!(added["column"], "sepal_length");
    assert_eq!((added["min"].as_f64(), added["max"].as_f64()), (Some(4.3), Some(7.9)));
    assert_eq!(status_of(&text, "values-between"), Status::Pass);
}

#[test]
fn a_second_test_of_a_kind_gets_a_fresh_id() {
    let text = add(&add(INITIAL_SUITE, "not_null"), "not_null");
    let suite = parse(&text).unwrap();
    let ids: Vec<&str> = suite.tests.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(&ids[5..], ["not-null", "not-null-2"]);
}

#[test]
fn every_kind_can_be_added_to_the_iris_suite_and_it_still_parses() {
    let mut text = INITIAL_SUITE.to_owned();
    for info in CATALOG {
        text = add(&text, info.name);
        if let Err(err) = parse(&text) {
            panic!("after adding {}: {err}", info.name);
        }
    }
    assert_eq!(parse(&text).unwrap().tests.len(), 5 + CATALOG.len());
}

#[test]
fn a_new_class_balance_and_values_in_set_read_the_target() {
    let text = add(&add(INITIAL_SUITE, "class_balance"), "values_in_set");
    let tests = &serde_json::from_str::<Value>(&text).unwrap()["tests"];
    assert_eq!(tests[5].get("column"), None, "class_balance defaults to the target");
    assert_eq!(tests[6]["column"], "species");
    assert_eq!(tests[6]["allowed"], json!(["setosa", "versicolor", "virginica"]));
    assert_eq!(status_of(&text, "class-balance"), Status::Pass);
    assert_eq!(status_of(&text, "values-in-set"), Status::Pass);
}

#[test]
fn a_bad_field_value_is_an_error_at_that_field_until_it_is_fixed() {
    let text = add(INITIAL_SUITE, "values_between");
    let min = |value: &str| SuiteEdit::SetParam {
        test: 5,
        name: "min".into(),
        value: field_value(value, ParamType::Number),
    };
    let bad = edit(&text, min("4.x"));
    let err = parse(&bad).unwrap_err();
    assert_eq!(ErrorPlace::of(&err), ErrorPlace::Test { index: 5, field: Some("min") });
    assert!(err.message().contains("4.x"), "{err}");
    let above = edit(&text, min("9"));
    let err = parse(&above).unwrap_err();
    assert!(err.message().contains("above max"), "{err}");
    let fixed = edit(&bad, min("4"));
    assert!(parse(&fixed).is_ok());
    assert_eq!(status_of(&fixed, "values-between"), Status::Pass);
    // Emptying a field leaves the parameter out.
    let cleared = edit(&fixed, min(" "));
    assert_eq!(serde_json::from_str::<Value>(&cleared).unwrap()["tests"][5].get("min"), None);
}

#[test]
fn enabled_and_severity_are_written_only_when_not_the_default() {
    let off = edit(INITIAL_SUITE, SuiteEdit::SetEnabled { test: 1, enabled: false });
    let warn = edit(&off, SuiteEdit::SetSeverity { test: 2, severity: Severity::Warn });
    let suite = parse(&warn).unwrap();
    assert!(!suite.tests[1].enabled);
    assert_eq!(suite.tests[2].severity, Severity::Warn);
    assert_eq!(status_of(&warn, "acc"), Status::Skipped);
    let on = edit(&warn, SuiteEdit::SetEnabled { test: 1, enabled: true });
    let back = edit(&on, SuiteEdit::SetSeverity { test: 2, severity: Severity::Fail });
    assert!(!back.contains("enabled") && !back.contains("severity"), "{back}");
}

#[test]
fn tests_can_be_removed_and_moved() {
    let removed = edit(INITIAL_SUITE, SuiteEdit::Remove { test: 0 });
    let moved = edit(&removed, SuiteEdit::Move { test: 1, up: true });
    let ids: Vec<String> = parse(&moved).unwrap().tests.into_iter().map(|t| t.id).collect();
    assert_eq!(ids, ["f1-macro", "acc", "cv-accuracy", "end-to-end"]);
    // Past either end nothing moves.
    assert_eq!(edit(&moved, SuiteEdit::Move { test: 0, up: true }), moved);
    assert_eq!(edit(&moved, SuiteEdit::Move { test: 3, up: false }), moved);
    let (_, profile) = iris();
    assert!(apply(&moved, &SuiteEdit::Remove { test: 9 }, &profile).is_err());
}

#[test]
fn the_model_form_changes_the_kind_and_its_hyperparameters() {
    let tree = edit(INITIAL_SUITE, SuiteEdit::SetModelKind("decision_tree".into()));
    let deep = edit(
        &tree,
        SuiteEdit::SetModelParam { name: "max_depth".into(), value: field_value("3", ParamType::Integer) },
    );
    let suite = parse(&deep).unwrap();
    assert_eq!(suite.model.as_ref().map(|m| m.kind()), Some("decision_tree"));
    assert!(deep.contains(r#""model": { "kind": "decision_tree", "max_depth": 3 }"#), "{deep}");
    let zero = edit(&deep, SuiteEdit::SetModelParam { name: "max_depth".into(), value: Some(json!(0)) });
    assert_eq!(ErrorPlace::of(&parse(&zero).unwrap_err()), ErrorPlace::Top("model.max_depth"));
    // A regression model on a classification task is the engine's error, at the model.
    let ridge = edit(INITIAL_SUITE, SuiteEdit::SetModelKind("ridge".into()));
    assert_eq!(parse(&ridge).unwrap_err().path(), "model.kind");
}

#[test]
fn the_pipeline_form_sets_split_preprocess_and_the_top_fields() {
    let text = edit(INITIAL_SUITE, SuiteEdit::SetPreprocess { step: "impute", value: Some("median".into()) });
    let text = edit(&text, SuiteEdit::SetPreprocess { step: "scale", value: Some("minmax".into()) });
    let text = edit(&text, SuiteEdit::SetSplit { name: "test_size".into(), value: Some(json!(0.3)) });
    let text = edit(
        &text,
        SuiteEdit::SetTop { field: "drop", value: field_value("petal_width", ParamType::Columns) },
    );
    let suite = parse(&text).unwrap();
    let pipeline = suite.pipeline.unwrap();
    assert_eq!(pipeline.split.test_size, 0.3);
    assert_eq!(pipeline.drop, ["petal_width"]);
    assert!(text.contains(r#""preprocess": [{ "scale": "minmax" }, { "impute": "median" }]"#), "{text}");
    let none = edit(&text, SuiteEdit::SetPreprocess { step: "scale", value: None });
    let none = edit(&none, SuiteEdit::SetPreprocess { step: "impute", value: None });
    assert!(!none.contains("preprocess"), "{none}");
}

#[test]
fn suggestions_are_appended_with_ids_that_do_not_collide() {
    let proposals = vec![
        json!({"id": "acc", "kind": "not_null", "column": "*"}),
        json!({"id": "rows", "kind": "row_count_between", "min": 100}),
        json!({"id": "acc", "kind": "unique", "column": "sepal_length", "mostly": 0.1}),
    ];
    let text = edit(INITIAL_SUITE, SuiteEdit::AddTests(proposals));
    let ids: Vec<String> = parse(&text).unwrap().tests.into_iter().map(|t| t.id).collect();
    assert_eq!(&ids[5..], ["acc-2", "rows", "acc-3"]);
}

#[test]
fn text_that_is_not_json_is_not_edited() {
    let (_, profile) = iris();
    let err =
        apply("{ \"version\": 1,", &SuiteEdit::AddTest { kind: "unique".into() }, &profile).unwrap_err();
    assert!(err.contains("not valid JSON"), "{err}");
    assert!(apply("[]", &SuiteEdit::Remove { test: 0 }, &profile).is_err());
}

#[test]
fn a_field_reads_a_number_only_when_the_text_is_one() {
    assert_eq!(field_value("0.5", ParamType::Ratio), Some(json!(0.5)));
    assert_eq!(field_value("0.", ParamType::Number), Some(json!("0.")), "half-typed stays text");
    assert_eq!(field_value("  ", ParamType::Number), None);
    assert_eq!(field_value("a, b,", ParamType::Columns), Some(json!(["a", "b"])));
    assert_eq!(field_value("1, x, true", ParamType::Values), Some(json!([1, "x", true])));
    assert_eq!(field_text(&json!(["a", 1])), "a, 1");
    assert_eq!(field_text(&json!(1e-6)), "1e-6");
}

#[test]
fn error_places_are_read_from_the_path() {
    let at = |text: &str| parse(text).unwrap_err();
    let syntax = at("{");
    assert_eq!(ErrorPlace::of(&syntax), ErrorPlace::Whole);
    let no_id = at(r#"{"version": 1, "data": {"source": "sample:iris"}, "tests": [{"kind": "unique"}]}"#);
    assert_eq!(ErrorPlace::of(&no_id), ErrorPlace::Test { index: 0, field: Some("id") });
    let missing =
        at(r#"{"version": 1, "data": {"source": "sample:iris"}, "tests": [{"id": "u", "kind": "unique"}]}"#);
    assert_eq!(ErrorPlace::of(&missing), ErrorPlace::Test { index: 0, field: None });
}

/// A model brought as predictions, built with the forms on the penguins_predictions sample:
/// the model form finds the prediction and probability columns, drops the split and the
/// preprocessing, and a new slice test cuts by the first category column.
#[test]
fn a_predictions_model_is_built_with_the_forms() {
    let sample = samples::get("penguins_predictions").unwrap();
    let table = table::read_csv(sample.csv, sample.file, &LoadOptions::default()).unwrap();
    let profile = table::profile(&table);
    let step = |text: &str, edit: SuiteEdit| apply(text, &edit, &profile).unwrap();
    let text = step(INITIAL_SUITE, SuiteEdit::SetTop { field: "target", value: Some(json!("sex")) });
    let text = step(&text, SuiteEdit::SetModelKind("predictions".into()));
    assert!(
        text.contains(r#""model": { "kind": "predictions", "prediction": "sex_pred", "scores": "p_male" }"#),
        "{text}"
    );
    assert!(!text.contains("\"split\"") && !text.contains("\"preprocess\""), "{text}");
    // The iris tests that train are switched to ones that read predictions.
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    doc["tests"] = json!([]);
    let text = write(&doc);
    let text = step(&text, SuiteEdit::AddTest { kind: "slice_metric".into() });
    assert!(text.contains(r#""by": "species""#), "{text}");
    let text = step(&text, SuiteEdit::AddTest { kind: "calibration".into() });
    let suite = parse(&text).unwrap();
    let report = crate::run::run(&suite, &table);
    let statuses: Vec<Status> = report.tests.iter().map(|t| t.status).collect();
    assert!(statuses.iter().all(|s| matches!(s, Status::Pass | Status::Fail)), "{:#?}", report.tests);
    assert_eq!(class_labels(profile.iter().find(|c| c.name == "sex").unwrap()), ["female", "male"]);
}
