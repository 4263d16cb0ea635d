use serde_json::json;

use super::*;
use crate::report::{Status, TestReport};
use crate::run;
use crate::table::{read_csv, LoadOptions, Table};

const PENGUINS_GX: &str = include_str!("../../tests/data/gx/penguins.gx1.json");
const IRIS_GX: &str = include_str!("../../tests/data/gx/iris.gx018.json");
const DIABETES_GX: &str = include_str!("../../tests/data/gx/diabetes.gx1.json");
const PENGUINS_TESTS: &str = include_str!("../../tests/data/gx/penguins-data-tests.json");

fn data(name: &str) -> Table {
    let bytes = crate::samples::get(name).expect("a bundled sample").bytes().expect("compiled in");
    read_csv(&bytes, &format!("{name}.csv"), &LoadOptions::default()).unwrap()
}

fn gx_suite(expectations: Value) -> String {
    json!({"name": "s", "expectations": expectations}).to_string()
}

fn import_err(text: &str) -> SuiteError {
    import(text, "gx.json").expect_err("the suite is refused")
}

// ---------------------------------------------------------------------------------------
// Verdicts: pinned from Great Expectations 1.24.1 with pandas 3.1.1, validating each
// expectation of tests/data/gx/ on the bundled CSV read by `pd.read_csv` (printed by
// `scripts/compare_gx.py MLTEST --pins`): (expectation index, GX success, GX
// unexpected_count for the row-level expectations).

const PENGUINS_PINS: &[(usize, bool, Option<usize>)] = &[
    (0, true, Some(0)),
    (1, true, Some(11)),
    (2, false, Some(11)),
    (3, false, Some(2)),
    (4, true, Some(0)),
    (5, true, Some(11)),
    (6, false, Some(11)),
    (7, false, Some(1)),
    (8, true, Some(1)),
    (9, true, Some(0)),
    (10, true, Some(52)),
    (11, false, Some(165)),
    (12, false, Some(344)),
    (13, true, Some(318)),
    (14, true, Some(0)),
    (15, false, Some(176)),
    (16, false, Some(168)),
    (17, true, None),
    (18, false, None),
    (19, true, None),
    (20, true, None),
    (21, true, None),
    (22, true, None),
    (23, false, None),
    (24, false, None),
    (25, true, None),
    (26, true, None),
    (27, false, None),
    (28, true, None),
    (29, false, None),
    (30, true, None),
    (31, true, None),
    (32, false, None),
    (34, true, None),
    (35, false, None),
    (36, true, None),
];

const IRIS_PINS: &[(usize, bool, Option<usize>)] = &[
    (0, true, None),
    (1, true, None),
    (2, true, Some(0)),
    (3, true, Some(0)),
    (4, true, Some(0)),
    (5, false, Some(3)),
    (6, false, Some(9)),
    (7, true, Some(0)),
    (8, true, Some(50)),
    (9, true, Some(0)),
    (10, false, Some(141)),
    (11, true, None),
    (12, true, None),
    (13, true, None),
    (14, true, None),
    (15, false, None),
    (16, true, None),
    (17, false, None),
    (18, true, None),
];

const DIABETES_PINS: &[(usize, bool, Option<usize>)] = &[
    (0, true, None),
    (1, false, None),
    (2, true, Some(0)),
    (3, true, Some(0)),
    (4, true, Some(2)),
    (5, false, Some(2)),
    (6, true, Some(8)),
    (7, true, Some(0)),
    (8, true, None),
    (9, false, None),
    (10, true, None),
    (11, true, None),
    (12, false, None),
    (13, true, None),
    (14, true, None),
    (15, true, None),
    (16, false, Some(367)),
];

/// Imports `text`, runs it on `sample`, and checks each mapped expectation against GX's
/// verdict: it passes in GX exactly when every test made from it passes, with GX's count of
/// unexpected rows failing.
fn assert_pinned(text: &str, sample: &str, pins: &[(usize, bool, Option<usize>)]) {
    let imported = import(text, "gx.json").unwrap();
    let report = run::run(&imported.suite, &data(sample));
    let mut mapped: Vec<usize> = Vec::new();
    for (spec, result) in imported.suite.tests.iter().zip(&report.tests) {
        let description = spec.description.as_deref().unwrap_or_default();
        let index: usize =
            description["expectations[".len()..description.find(']').unwrap()].parse().unwrap();
        if mapped.last() != Some(&index) {
            mapped.push(index);
        }
        let (_, success, unexpected) =
            pins.iter().find(|p| p.0 == index).unwrap_or_else(|| panic!("{index} pinned"));
        if *success {
            assert_eq!(result.status, Status::Pass, "{sample} {}: {}", result.id, result.message);
        }
        if let Some(unexpected) = unexpected {
            let failing = result.failures.as_ref().map(|f| f.count);
            assert_eq!(failing, Some(*unexpected), "{sample} {}: {}", result.id, result.message);
        }
    }
    for &(index, success, _) in pins.iter().filter(|p| !p.1) {
        let from: Vec<&TestReport> = imported
            .suite
            .tests
            .iter()
            .zip(&report.tests)
            .filter(|(spec, _)| {
                spec.description
                    .as_deref()
                    .unwrap_or_default()
                    .starts_with(&format!("expectations[{index}] "))
            })
            .map(|(_, result)| result)
            .collect();
        assert!(
            !from.is_empty() && from.iter().any(|r| r.status != Status::Pass),
            "{sample} expectations[{index}] passes; GX: {success}"
        );
    }
    assert_eq!(mapped, pins.iter().map(|p| p.0).collect::<Vec<_>>(), "{sample}: the expectations mapped");
}

#[test]
fn a_1x_suite_gives_the_verdicts_and_counts_of_great_expectations() {
    assert_pinned(PENGUINS_GX, "penguins", PENGUINS_PINS);
    assert_pinned(DIABETES_GX, "diabetes", DIABETES_PINS);
}

#[test]
fn a_018_suite_gives_the_verdicts_and_counts_of_great_expectations() {
    assert_pinned(IRIS_GX, "iris", IRIS_PINS);
}

// ---------------------------------------------------------------------------------------
// What maps, and what is left out

#[test]
fn expectations_without_a_test_of_the_same_meaning_are_listed_by_type_with_reasons() {
    let imported = import(PENGUINS_GX, "penguins.json").unwrap();
    assert_eq!(imported.expectations, 43);
    let listed: Vec<(&str, usize)> = imported.left_out.iter().map(|l| (l.name.as_str(), l.count)).collect();
    assert_eq!(
        listed,
        [
            ("expect_column_to_exist", 1),
            ("expect_column_unique_value_count_to_be_between", 1),
            ("expect_column_values_to_be_of_type", 1),
            ("expect_column_value_lengths_to_be_between", 1),
            ("expect_column_values_to_not_match_regex", 1),
            ("expect_column_values_to_be_between", 1),
            ("expect_column_mean_to_be_between", 1),
        ]
    );
    let reason = |name: &str| &imported.left_out.iter().find(|l| l.name == name).unwrap().reason;
    assert!(reason("expect_column_values_to_be_between").contains("row_condition"));
    assert!(reason("expect_column_mean_to_be_between").contains("$PARAMETER"));
    assert!(reason("expect_column_values_to_be_of_type").contains("dtype"));
    assert_eq!(
        imported.left_out[0].to_string(),
        "expect_column_to_exist (1): `column_index` asks for a position; mltest checks the order of the columns it lists"
    );
}

#[test]
fn the_same_type_left_out_twice_is_counted_once() {
    let text = gx_suite(json!([
        {"type": "expect_column_values_to_be_increasing", "kwargs": {"column": "a"}},
        {"type": "expect_column_values_to_be_increasing", "kwargs": {"column": "b"}},
    ]));
    let imported = import(&text, "gx.json").unwrap();
    assert_eq!(imported.left_out.len(), 1);
    assert_eq!(imported.left_out[0].count, 2);
    assert!(imported.suite.tests.is_empty());
}

#[test]
fn a_misspelt_type_is_left_out_with_the_mapped_type_it_is_close_to() {
    let text = gx_suite(json!([
        {"type": "expect_column_values_to_not_be_nul", "kwargs": {"column": "a"}},
        {"type": "expect_colum_mean_to_be_between", "kwargs": {"column": "a", "min_value": 0}},
        // A real type mltest does not map, a few edits from one it does: no guess.
        {"type": "expect_column_values_to_be_increasing", "kwargs": {"column": "a"}},
    ]));
    let imported = import(&text, "gx.json").unwrap();
    let reason = |name: &str| imported.left_out.iter().find(|l| l.name == name).unwrap().reason.clone();
    assert_eq!(
        reason("expect_column_values_to_not_be_nul"),
        "not an expectation type mltest maps; did you mean `expect_column_values_to_not_be_null`?"
    );
    assert!(reason("expect_colum_mean_to_be_between")
        .ends_with("did you mean `expect_column_mean_to_be_between`?"));
    assert_eq!(reason("expect_column_values_to_be_increasing"), "no mltest test has this meaning");
}

#[test]
fn every_type_the_suggestions_know_is_mapped() {
    // Each of MAPPED is read by `map`: none is left out as a type without a test (a bound
    // mltest cannot check is another reason).
    for ty in MAPPED {
        let text = gx_suite(
            json!([{"type": ty, "kwargs": {"column": "a", "min_value": 1, "value": 1, "value_set": ["x"],
            "regex": "x", "column_set": ["a"], "column_list": ["a"],
            "quantile_ranges": {"quantiles": [0.5], "value_ranges": [[0, 1]]}}}]),
        );
        let imported = import(&text, "gx.json").unwrap();
        let unknown =
            |reason: &str| reason == unmapped("expect_nothing_like_it") || reason.contains("did you mean");
        assert!(!imported.left_out.iter().any(|l| unknown(&l.reason)), "{ty}: {:?}", imported.left_out);
    }
}

#[test]
fn each_expectation_becomes_the_test_of_the_same_meaning() {
    let text = gx_suite(json!([
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "a", "mostly": 0.9}},
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "a", "min_value": 0, "strict_max": true, "max_value": 5, "mostly": 0.5}},
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "b", "value_set": ["x", null, 2]}},
        {"type": "expect_column_distinct_values_to_be_in_set", "kwargs": {"column": "b", "value_set": ["x"]}},
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "a", "mostly": 1}},
        {"type": "expect_column_values_to_match_regex", "kwargs": {"column": "b", "regex": "^x"}},
        {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 9.5, "max_value": 20, "strict_max": true}},
        {"type": "expect_table_row_count_to_equal", "kwargs": {"value": 12}},
        {"type": "expect_column_stdev_to_be_between", "kwargs": {"column": "a", "max_value": 2}},
        {"type": "expect_column_quantile_values_to_be_between", "kwargs": {"column": "a", "quantile_ranges": {"quantiles": [0.25, 0.5], "value_ranges": [[1, 2], [null, null]]}}},
        {"type": "expect_table_columns_to_match_set", "kwargs": {"column_set": ["a", "b", "a"]}},
        {"type": "expect_table_columns_to_match_ordered_list", "kwargs": {"column_list": ["a", "b"]}},
        {"type": "expect_column_to_exist", "kwargs": {"column": "b"}},
        {"type": "expect_column_unique_value_count_to_be_between", "kwargs": {"column": "b", "min_value": 1, "strict_min": true}},
    ]));
    let imported = import(&text, "gx.json").unwrap();
    assert!(imported.left_out.is_empty(), "{:?}", imported.left_out);
    let tests: Vec<Value> = imported
        .suite
        .tests
        .iter()
        .map(|t| {
            let mut value = serde_json::to_value(&t.check).unwrap();
            value["id"] = json!(t.id);
            value
        })
        .collect();
    let get = |id: &str| tests.iter().find(|t| t["id"] == id).unwrap_or_else(|| panic!("{id} in {tests:#?}"));
    assert_eq!(get("values_to_not_be_null-a")["mostly"], json!(0.9));
    let between = get("values_to_be_between-a");
    assert_eq!(
        (&between["min"], &between["max"], &between["strict_max"]),
        (&json!(0.0), &json!(5.0), &json!(true))
    );
    assert_eq!(between["mostly"], json!(0.5));
    assert_eq!(get("values_to_be_in_set-b")["allowed"], json!(["x", 2]));
    assert_eq!(get("distinct_values_to_be_in_set-b")["kind"], "values_in_set");
    assert_eq!(get("values_to_be_unique-a")["mostly"], json!(1.0));
    assert_eq!(get("values_to_match_regex-b")["pattern"], "^x");
    // 9.5 < rows < 20 over whole rows: 10 to 19.
    let rows = get("row_count_to_be_between");
    assert_eq!((&rows["min"], &rows["max"]), (&json!(10), &json!(19)));
    let equal = get("row_count_to_equal");
    assert_eq!((&equal["min"], &equal["max"]), (&json!(12), &json!(12)));
    assert_eq!(get("stdev_to_be_between-a")["stat"], "std");
    // A quantile without bounds tests nothing; the other is nearest, within GX's tolerance,
    // and as the only test of its expectation takes its id.
    let q = get("quantile_values_to_be_between-a");
    assert_eq!(
        (&q["stat"], &q["q"], &q["interpolation"], &q["rtol"]),
        (&json!("quantile"), &json!(0.25), &json!("nearest"), &json!(1e-4))
    );
    let set = get("columns_to_match_set");
    assert_eq!(
        (&set["columns"], &set["exact"], &set["ordered"]),
        (&json!(["a", "b"]), &json!(true), &json!(false))
    );
    let ordered = get("columns_to_match_ordered_list");
    assert_eq!((&ordered["exact"], &ordered["ordered"]), (&json!(true), &json!(true)));
    assert_eq!(get("to_exist-b")["columns"], json!(["b"]));
    assert_eq!(get("unique_value_count_to_be_between-b")["kind"], "not_constant");
}

#[test]
fn ids_come_from_meta_or_the_type_and_column_made_unique() {
    let text = gx_suite(json!([
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "id"}, "meta": {"mltest_id": "ids"}},
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "id"}, "meta": {"mltest_id": "ids"}},
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "id"}, "meta": {}},
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "id"}},
    ]));
    let imported = import(&text, "gx.json").unwrap();
    let ids: Vec<&str> = imported.suite.tests.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["ids", "ids-2", "values_to_be_unique-id", "values_to_be_unique-id-2"]);
}

#[test]
fn severity_and_description_carry_over() {
    let text = gx_suite(json!([
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "id"}, "severity": "warning", "description": "ids are keys"},
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "id"}, "severity": "info"},
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "id"}, "severity": "critical"},
    ]));
    let suite = import(&text, "gx.json").unwrap().suite;
    let severities: Vec<Severity> = suite.tests.iter().map(|t| t.severity).collect();
    assert_eq!(severities, [Severity::Warn, Severity::Warn, Severity::Fail]);
    assert_eq!(
        suite.tests[0].description.as_deref(),
        Some("expectations[0] expect_column_values_to_be_unique: ids are keys")
    );
}

#[test]
fn what_only_python_or_a_running_gx_knows_is_left_out() {
    let text = gx_suite(json!([
        {"type": "expect_column_values_to_match_regex", "kwargs": {"column": "a", "regex": "(?<=x)y"}},
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "d", "min_value": "2020-01-01"}},
        {"type": "expect_column_quantile_values_to_be_between", "kwargs": {"column": "a", "allow_relative_error": 0.01,
            "quantile_ranges": {"quantiles": [0.5], "value_ranges": [[0, 1]]}}},
        {"type": "expect_column_mean_to_be_between", "kwargs": {"column": "a"}},
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "a", "value_set": []}},
    ]));
    let imported = import(&text, "gx.json").unwrap();
    let reasons: Vec<&str> = imported.left_out.iter().map(|l| l.reason.as_str()).collect();
    assert!(reasons[0].contains("Python's"), "{reasons:?}");
    assert_eq!(reasons[1], NOT_NUMBERS);
    assert!(reasons[2].contains("approximate quantile"), "{reasons:?}");
    assert!(reasons[3].starts_with("no bound"), "{reasons:?}");
    assert!(reasons[4].contains("empty"), "{reasons:?}");
}

// ---------------------------------------------------------------------------------------
// Bad input: the file and the field's path in the GX file

#[test]
fn a_bad_field_is_named_by_its_expectation_and_path() {
    let cases = [
        (
            json!([{"type": "expect_column_values_to_be_unique", "kwargs": {}}]),
            "expectations[0].kwargs.column",
            "missing",
        ),
        (
            json!([{}, {}, {}, {"type": "expect_column_values_to_be_unique", "kwargs": {"column": 3}}]),
            "expectations[0].type",
            "missing",
        ),
        (
            json!([{"type": "expect_column_values_to_be_unique", "kwargs": {"column": 3}}]),
            "expectations[0].kwargs.column",
            "3 is not",
        ),
        (json!([{"type": "expect_table_row_count_to_equal"}]), "expectations[0].kwargs", "missing"),
        (
            json!([{"type": "expect_column_values_to_be_unique", "kwargs": []}]),
            "expectations[0].kwargs",
            "not an object",
        ),
        (json!(["x"]), "expectations[0]", "an expectation is an object"),
        (
            json!([{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "a", "mostly": 1.5}}]),
            "expectations[0].kwargs.mostly",
            "1.5 is not a share",
        ),
        (
            json!([{"type": "expect_column_values_to_be_between", "kwargs": {"column": "a", "min_value": 5, "max_value": 1}}]),
            "expectations[0].kwargs.min_value",
            "above max",
        ),
        (
            json!([{"type": "expect_column_values_to_be_between", "kwargs": {"column": "a"}}]),
            "expectations[0].kwargs.min_value",
            "give",
        ),
        (
            json!([{"type": "expect_column_quantile_values_to_be_between", "kwargs": {"column": "a",
                "quantile_ranges": {"quantiles": [0.5, 0.9], "value_ranges": [[0, 1]]}}}]),
            "expectations[0].kwargs.quantile_ranges.value_ranges",
            "1 ranges for 2 quantiles",
        ),
        (
            json!([{"type": "expect_column_values_to_be_unique", "kwargs": {"column": "a"}, "severity": "high"}]),
            "expectations[0].severity",
            "not a severity",
        ),
        (json!({"a": 1}), "expectations", "not a list"),
    ];
    for (expectations, path, message) in cases {
        let err = import_err(&gx_suite(expectations.clone()));
        assert_eq!(err.file(), "gx.json", "{expectations}");
        assert_eq!(err.path(), path, "{expectations}: {err}");
        assert!(err.message().contains(message), "{expectations}: {err}");
    }
    let err = import_err(
        &json!({"name": "s", "expectations": [
            {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "a"}},
            {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "a"}},
            {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "a"}},
            {"type": "expect_column_values_to_be_unique", "kwargs": {"column": ""}},
        ]})
        .to_string(),
    );
    assert_eq!(err.to_string(), "gx.json: expectations[3].kwargs.column: \"\" is not a column name");
}

#[test]
fn the_018_format_names_its_own_fields_in_errors() {
    let text =
        json!({"expectation_suite_name": "s", "expectations": [{"kwargs": {"column": "a"}}]}).to_string();
    assert_eq!(import_err(&text).path(), "expectations[0].expectation_type");
    let text = json!({"expectation_suite_name": 3, "expectations": []}).to_string();
    assert_eq!(import_err(&text).path(), "expectation_suite_name");
}

#[test]
fn text_that_is_no_gx_suite_is_refused_with_a_reason() {
    assert_eq!(import_err("").message(), "the file is empty");
    let syntax = import_err("{\"expectations\": [\n  {\"type\": }]}");
    assert_eq!(syntax.line(), Some(2));
    assert!(import_err("[1]").message().contains("JSON object"));
    assert!(import_err("{\"name\": \"x\"}").message().contains("missing"));
    let mltest = include_str!("../../static/suites/iris-data-quality.json");
    assert!(import_err(mltest).message().contains("mltest run"));
    let twice = import_err("{\"name\": \"a\", \"name\": \"b\", \"expectations\": []}");
    assert!(twice.message().contains("duplicate key"), "{twice}");
}

#[test]
fn a_gx_suite_is_told_from_an_mltest_suite_by_its_fields() {
    assert!(is_gx_suite(PENGUINS_GX));
    assert!(is_gx_suite(IRIS_GX));
    assert!(is_gx_suite(&format!("\u{feff}{DIABETES_GX}")));
    assert!(!is_gx_suite(PENGUINS_TESTS));
    assert!(!is_gx_suite(include_str!("../../static/suites/diabetes-ranges.yaml")));
    assert!(!is_gx_suite("{\"version\": 1, \"expectations\": []}"));
    assert!(!is_gx_suite("{ not json"));
}

// ---------------------------------------------------------------------------------------
// Export

fn exported_expectations(text: &str) -> Vec<Value> {
    serde_json::from_str::<Value>(text).unwrap()["expectations"].as_array().unwrap().clone()
}

#[test]
fn data_tests_export_to_gx_1x_with_their_ids_and_the_rest_is_listed() {
    let suite = suite::parse(PENGUINS_TESTS, Format::Json, "penguins-data-tests.json").unwrap();
    let columns: Vec<String> = data("penguins").column_names().map(str::to_owned).collect();
    let exported = export(&suite, Some(&columns));
    let expectations = exported_expectations(&exported.text);
    assert_eq!(exported.expectations, expectations.len());
    // `*` became one expectation per column (8 not-null and 8 distinct-count ones).
    let of = |id: &str| expectations.iter().filter(|e| e["meta"]["mltest_id"] == id).count();
    assert_eq!((of("complete"), of("variety"), of("sex-mostly")), (8, 8, 1));
    assert_eq!(expectations.len(), 36);
    let light = expectations.iter().find(|e| e["meta"]["mltest_id"] == "light").unwrap();
    assert_eq!(light["severity"], "warning");
    assert_eq!(light["kwargs"], json!({"column": "body_mass_g", "max_value": 5000.0}));
    let q90 = expectations.iter().find(|e| e["meta"]["mltest_id"] == "bill-q90").unwrap();
    assert_eq!(
        q90["kwargs"]["quantile_ranges"],
        json!({"quantiles": [0.9], "value_ranges": [[50.805, null]]})
    );
    assert!(q90["kwargs"].get("allow_relative_error").is_none(), "nearest is GX's own");
    let q10 = expectations.iter().find(|e| e["meta"]["mltest_id"] == "bill-q10-linear").unwrap();
    assert_eq!(q10["kwargs"]["allow_relative_error"], "linear");
    let listed: Vec<(&str, usize)> = exported.left_out.iter().map(|l| (l.name.as_str(), l.count)).collect();
    assert_eq!(
        listed,
        [
            ("not_null", 1),
            ("columns_present", 1),
            ("column_type", 1),
            ("column_stat_between", 1),
            ("no_duplicate_rows", 1),
            ("unique", 1)
        ]
    );
    assert_eq!(exported.left_out[5].reason, "disabled");
}

#[test]
fn a_test_of_every_column_needs_the_datas_columns() {
    let suite = suite::parse(PENGUINS_TESTS, Format::Json, "t.json").unwrap();
    assert!(needs_columns(&suite));
    let exported = export(&suite, None);
    let every = exported.left_out.iter().find(|l| l.reason.contains("`*`")).unwrap();
    assert_eq!(every.count, 1);
}

#[test]
fn model_tests_are_left_out_of_an_export() {
    let suite =
        suite::parse(include_str!("../../static/suites/iris-accuracy-gate.json"), Format::Json, "s.json")
            .unwrap();
    let exported = export(&suite, None);
    assert!(
        exported.left_out.iter().any(|l| l.reason.contains("GX tests data, not a model")),
        "{:?}",
        exported.left_out
    );
}

#[test]
fn an_export_imports_back_to_the_same_tests() {
    let suite = suite::parse(PENGUINS_TESTS, Format::Json, "t.json").unwrap();
    let columns: Vec<String> = data("penguins").column_names().map(str::to_owned).collect();
    let exported = export(&suite, Some(&columns));
    let back = import(&exported.text, "exported.json").unwrap();
    assert!(back.left_out.is_empty(), "{:?}", back.left_out);
    for test in
        back.suite.tests.iter().filter(|t| !t.id.starts_with("complete") && !t.id.starts_with("variety"))
    {
        let original = suite.tests.iter().find(|t| t.id == test.id).unwrap_or_else(|| panic!("{}", test.id));
        assert_eq!(test.check, original.check, "{}", test.id);
        assert_eq!(test.severity, original.severity, "{}", test.id);
    }
    // And GX's own file of it reads back as the same suite (what GX writes round trips).
    let again = export(&back.suite, Some(&columns));
    assert_eq!(exported_expectations(&again.text).len(), exported.expectations);
}
