//! `mltest import gx` and `mltest export gx` (PRODUCT.md §13): a Great Expectations suite
//! becomes an mltest suite that runs, what has no counterpart is listed on stderr, bad GX
//! files are refused naming the expectation and field, and an export of the data tests
//! imports back.

use crate::util::{fixture, mltest, test, Scratch};

const PENGUINS_GX: &str = "tests/data/gx/penguins.gx1.json";
const IRIS_GX: &str = "tests/data/gx/iris.gx018.json";

#[test]
fn import_writes_a_suite_that_runs_and_lists_what_it_left_out() {
    let imported = mltest(&["import", "gx", PENGUINS_GX]);
    imported.expect_code(0);
    let suite = imported.json();
    assert_eq!(suite["version"], 1);
    assert_eq!(suite["data"]["source"], "file");
    assert_eq!(suite["tests"].as_array().unwrap().len(), 39);
    let stderr = &imported.stderr;
    assert!(
        stderr.starts_with(
            "mltest: 36 of 43 expectations imported as 39 tests; 7 expectations left out (no mltest test gives the same verdict):\n"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("\n  expect_column_values_to_be_of_type (1): GX compares the dtype"), "{stderr}");

    let scratch = Scratch::new("gx-import");
    let path = scratch.join("penguins.json");
    mltest(&["import", "gx", PENGUINS_GX, "--output", path.to_str().unwrap()]).expect_code(0);
    let run =
        mltest(&["run", path.to_str().unwrap(), "--data", "static/data/penguins.csv", "--format", "json"]);
    // GX fails some of the expectations on this data, and so does the suite.
    run.expect_code(1);
    let report = run.json();
    assert_eq!(test(&report, "sex-known")["status"], "fail");
    assert_eq!(test(&report, "sex-known")["failures"]["count"], 11);
    assert_eq!(test(&report, "values_to_not_be_null-sex")["status"], "pass");
}

#[test]
fn the_018_format_imports_too() {
    let imported = mltest(&["import", "gx", IRIS_GX]);
    imported.expect_code(0);
    assert_eq!(imported.json()["name"], "iris.warning");
    assert!(imported.stderr.contains("19 of 22 expectations imported as 21 tests"), "{}", imported.stderr);
}

#[test]
fn a_bad_gx_suite_is_refused_naming_the_file_and_the_field() {
    let scratch = Scratch::new("gx-bad");
    let path = scratch.join("bad.json");
    std::fs::write(
        &path,
        r#"{"name": "s", "expectations": [{"type": "expect_table_row_count_to_equal", "kwargs": {"value": 3}},
            {"type": "expect_column_values_to_be_in_set", "kwargs": {"value_set": [1]}}]}"#,
    )
    .unwrap();
    let shown = path.to_str().unwrap();
    mltest(&["import", "gx", shown]).expect_no_run(&[shown, "expectations[1].kwargs.column", "missing"]);
    mltest(&["import", "gx", "static/suites/iris-data-quality.json"]).expect_no_run(&["mltest run"]);
    mltest(&["import", "gx", &fixture("suites/latin1.json")]).expect_no_run(&["latin1.json", "UTF-8"]);
    mltest(&["import", "gx", "no-such-file.json"]).expect_no_run(&["no-such-file.json"]);
    mltest(&["import", "gx", PENGUINS_GX, "--output", PENGUINS_GX]).expect_no_run(&["--output"]);
}

#[test]
fn export_writes_the_data_tests_as_gx_1x_and_lists_the_rest() {
    let exported = mltest(&["export", "gx", "tests/data/gx/penguins-data-tests.json"]);
    exported.expect_code(0);
    let gx = exported.json();
    let expectations = gx["expectations"].as_array().unwrap();
    assert_eq!(expectations.len(), 36);
    assert!(expectations.iter().all(|e| e["type"].as_str().unwrap().starts_with("expect_")));
    assert!(
        exported.stderr.starts_with("mltest: 22 of 28 tests exported as 36 expectations; 6 tests left out"),
        "{}",
        exported.stderr
    );
    // Back again: the exported suite imports with every expectation mapped.
    let scratch = Scratch::new("gx-export");
    let path = scratch.join("gx.json");
    std::fs::write(&path, &exported.stdout).unwrap();
    let back = mltest(&["import", "gx", path.to_str().unwrap()]);
    back.expect_code(0);
    assert_eq!(back.stderr, "mltest: 36 of 36 expectations imported as 36 tests\n");
}

#[test]
fn export_reads_the_columns_of_every_column_tests_from_the_data() {
    let scratch = Scratch::new("gx-star");
    let suite = scratch.join("star.json");
    std::fs::write(
        &suite,
        r#"{"version": 1, "data": {"source": "file"}, "tests": [{"id": "all", "kind": "not_null", "column": "*"}]}"#,
    )
    .unwrap();
    let without = mltest(&["export", "gx", suite.to_str().unwrap()]);
    without.expect_code(0);
    assert!(without.stderr.contains("`*` names every column"), "{}", without.stderr);
    let with = mltest(&["export", "gx", suite.to_str().unwrap(), "--data", "static/data/iris.csv"]);
    with.expect_code(0);
    assert_eq!(with.json()["expectations"].as_array().unwrap().len(), 5);
}
