//! PRODUCT.md §8 for the CLI: bad CSV and suite files get a message that names the file and
//! the line, column or field, with exit status 2 (the run could not happen), and never a
//! panic (every run goes through `util::mltest`, which checks that). Awkward but valid files
//! load; problems in the data that a test can judge are reported by the run (status 1).

use std::fs::File;

use serde_json::Value;

use crate::util::{failing_lines, fixture, mltest, root, test, Scratch};

/// A CSV file is refused by both commands that read one, `inspect CSV` and
/// `run SUITE --data CSV`, with a message holding every fragment.
fn csv_is_refused(csv: &str, fragments: &[&str]) {
    mltest(&["inspect", csv]).expect_no_run(fragments);
    mltest(&["run", &fixture("suites/any-file.json"), "--data", csv]).expect_no_run(fragments);
    mltest(&["run", &fixture("suites/any-file.json"), "--data", csv, "--format", "json"])
        .expect_no_run(fragments);
}

/// Runs a suite fixture with `--format json`, expecting `code`, and returns the report.
fn report(suite: &str, code: i32) -> Value {
    let run = mltest(&["run", &fixture(suite), "--format", "json"]);
    run.expect_code(code);
    assert_eq!(run.stderr, "", "a run that happened writes nothing on stderr");
    run.json()
}

fn message(test: &Value) -> &str {
    test["message"].as_str().expect("a message")
}

// --- CSV files that cannot be read ---------------------------------------------------------

#[test]
fn an_empty_csv_file_is_refused() {
    csv_is_refused(&fixture("suites/csv/empty.csv"), &["empty.csv", "empty"]);
}

#[test]
fn a_header_only_csv_file_is_refused() {
    csv_is_refused(&fixture("suites/csv/header-only.csv"), &["header-only.csv", "no data rows"]);
}

#[test]
fn a_ragged_row_is_refused_naming_its_line() {
    csv_is_refused(&fixture("suites/csv/ragged.csv"), &["ragged.csv", "line 4", "4 fields", "header has 3"]);
}

#[test]
fn non_utf8_bytes_are_refused_naming_line_and_column() {
    // "Zürich" in Latin-1 on line 3, column 1 (`city`).
    csv_is_refused(
        &fixture("suites/csv/latin1.csv"),
        &["latin1.csv", "line 3", "column 1", "`city`", "UTF-8"],
    );
}

#[test]
fn a_character_split_across_two_fields_is_refused_naming_the_first() {
    // D9 9A is one character; with a comma between its bytes each field is bad UTF-8 even
    // though the record's bytes without the comma are not (the fuzzer's first find).
    csv_is_refused(
        &fixture("suites/csv/split-character.csv"),
        &["split-character.csv", "line 2", "column 1", "`name`"],
    );
}

#[test]
fn duplicate_header_names_are_refused_naming_both_columns() {
    csv_is_refused(
        &fixture("suites/csv/duplicate-header.csv"),
        &["duplicate-header.csv", "`age`", "column 2", "column 4"],
    );
}

#[test]
fn an_empty_header_name_is_refused_naming_its_column() {
    csv_is_refused(&fixture("suites/csv/empty-header.csv"), &["empty-header.csv", "column 2"]);
}

/// The loader's limit is `LoadOptions::DEFAULT_MAX_BYTES` (128 MiB) and the CLI offers no
/// flag to lower it, so the test makes a sparse file one byte over it: the CLI checks the
/// size before reading, so the file's (zero) bytes are never read. `inspect` and the memory
/// engine refuse it; a run's default engine for such a file is DataFusion (PRODUCT.md §14),
/// which a build without it says it lacks.
#[test]
fn a_csv_file_over_the_size_limit_is_refused_before_it_is_read() {
    let limit = mltest::table::LoadOptions::DEFAULT_MAX_BYTES;
    let scratch = Scratch::new("too-large");
    let path = scratch.join("huge.csv");
    {
        let file = File::create(&path).expect("create the sparse file");
        file.set_len(limit + 1).expect("extend the sparse file");
    }
    let shown = path.to_str().unwrap();
    let started = std::time::Instant::now();
    mltest(&["inspect", shown]).expect_no_run(&["huge.csv", "larger than", "limit"]);
    mltest(&["run", &fixture("suites/any-file.json"), "--data", shown, "--engine", "memory"])
        .expect_no_run(&["huge.csv", "larger than the memory engine's 128 MB limit", "--engine datafusion"]);
    if !cfg!(feature = "datafusion") {
        mltest(&["run", &fixture("suites/any-file.json"), "--data", shown])
            .expect_no_run(&["huge.csv", "datafusion engine is not in this build"]);
    }
    assert!(started.elapsed().as_secs() < 20, "refusing a file for its size must not read it");
    std::fs::remove_file(&path).expect("delete the sparse file");
}

#[test]
fn a_missing_csv_path_is_refused_naming_it() {
    csv_is_refused("tests/data/suites/csv/no-such-file.csv", &["no-such-file.csv"]);
}

#[test]
fn a_missing_csv_path_in_the_suite_names_the_suite_field_and_the_file() {
    mltest(&["run", &fixture("suites/data-path-missing.json")]).expect_no_run(&[
        "data-path-missing.json",
        "data.path",
        "no-such-file.csv",
    ]);
}

#[test]
fn a_file_source_without_a_path_or_data_asks_for_data() {
    mltest(&["run", &fixture("suites/any-file.json")]).expect_no_run(&[
        "any-file.json",
        "data.source",
        "--data",
    ]);
}

// --- Awkward CSV files that must load ------------------------------------------------------

#[test]
fn a_bom_crlf_quoted_newline_semicolon_file_loads_with_editor_line_numbers() {
    let bytes = std::fs::read(root().join(fixture("suites/csv/bom-crlf-semicolon.csv"))).unwrap();
    // Guard the fixture itself: an editor or a checkout must not have normalised it.
    assert!(bytes.starts_with(b"\xEF\xBB\xBFid;name;score\r\n"), "BOM and CRLF");
    assert!(bytes.windows(9).any(|w| w == b"\"two\r\nlin"), "a quoted CRLF");

    let report = report("suites/bom-crlf-semicolon.json", 1);
    assert_eq!(report["dataset"]["rows"], 5);
    assert_eq!(report["dataset"]["columns"], 3);
    // The BOM is not part of the first name, and `;` was found as the delimiter.
    assert_eq!(test(&report, "header")["status"], "pass", "{report:#}");
    assert_eq!(test(&report, "five-rows")["status"], "pass");
    // Rows start on lines 2, 4, 5, 6 and 9: quoted newlines span lines 2–3 and 6–8.
    let score = test(&report, "score-known");
    assert_eq!(score["status"], "fail");
    assert_eq!(score["failures"]["count"], 3);
    assert_eq!(failing_lines(score), [4, 5, 9]);

    let profile =
        mltest(&["inspect", &fixture("suites/csv/bom-crlf-semicolon.csv"), "--format", "json"]).json();
    assert_eq!(profile["delimiter"], ";");
    assert_eq!(profile["profile"][0]["name"], "id");
}

/// Bug: `mltest inspect` printed a quoted newline inside a cell as a real line break, so the
/// profile table of `bom-crlf-semicolon.csv` was cut in two in the middle of a row (the
/// `name` column's top value "two\r\nlines").
#[test]
fn regression_inspect_keeps_a_cell_with_a_quoted_newline_on_one_table_line() {
    let run = mltest(&["inspect", &fixture("suites/csv/bom-crlf-semicolon.csv")]);
    run.expect_code(0);
    let table: Vec<&str> = run.stdout.lines().skip_while(|l| !l.starts_with('|')).collect();
    assert_eq!(table.len(), 2 + 3, "header, rule and 3 columns:\n{}", run.stdout);
    let width = table[0].chars().count();
    for line in &table {
        assert!(line.starts_with('|') && line.ends_with('|'), "{line:?}");
        assert_eq!(line.chars().count(), width, "{line:?}");
    }
}

#[test]
fn tab_and_bar_delimited_files_load() {
    for (csv, delimiter) in [("suites/csv/tab.tsv", "\t"), ("suites/csv/pipe.csv", "|")] {
        let csv = fixture(csv);
        let run = mltest(&["run", &fixture("suites/delimited.json"), "--data", &csv]);
        run.expect_code(0);
        assert_eq!(run.stdout.lines().last(), Some("5 passed, 0 failed, 0 warned, 0 errored"), "{csv}");
        let profile = mltest(&["inspect", &csv, "--format", "json"]).json();
        assert_eq!(profile["delimiter"], delimiter, "{csv}");
        assert_eq!(profile["columns"], 3, "{csv}");
    }
}

#[test]
fn nan_na_and_question_mark_cells_are_missing_and_inf_is_a_value() {
    let report = report("suites/missing-tokens.json", 1);
    // score: NaN, NA, ?, na on lines 2–5; only line 6 holds a value.
    let score = test(&report, "score-known");
    assert_eq!(score["status"], "fail");
    assert_eq!(failing_lines(score), [2, 3, 4, 5]);
    // grade: "?" on line 3.
    assert_eq!(failing_lines(test(&report, "grade-known")), [3]);
    // ratio: inf and -inf are numbers, not missing, and fall outside [0, 10].
    assert_eq!(test(&report, "ratio-known")["status"], "pass");
    let finite = test(&report, "ratio-finite");
    assert_eq!(finite["status"], "fail");
    assert_eq!(failing_lines(finite), [3, 5]);

    let profile = mltest(&["inspect", &fixture("suites/csv/missing-tokens.csv"), "--format", "json"]).json();
    let column = |name: &str| {
        profile["profile"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("{name} is profiled"))
            .clone()
    };
    assert_eq!(column("ratio")["type"], "float");
    assert_eq!(column("ratio")["missing"], 0);
    assert_eq!(column("score")["missing"], 4);
    assert_eq!(column("grade")["missing"], 1);
}

// --- Data problems that the run reports ----------------------------------------------------

#[test]
fn a_constant_and_an_all_missing_column_fail_not_constant_naming_them() {
    let report = report("suites/constant.json", 1);
    let site = test(&report, "site-varies");
    assert_eq!(site["status"], "fail");
    assert!(message(site).contains("`site`"), "{site:#}");
    let empty = test(&report, "empty-varies");
    assert_eq!(empty["status"], "fail");
    assert!(message(empty).contains("`empty`"), "{empty:#}");
    let all = test(&report, "all-vary");
    assert_eq!(all["status"], "fail");
    let text = message(all);
    assert!(text.contains("`site`") && text.contains("`empty`"), "{text}");
    assert!(!text.contains("`value`") && !text.contains("`id`"), "{text}");
    assert_eq!(test(&report, "value-varies")["status"], "pass");
    let known = test(&report, "empty-known");
    assert_eq!(known["failures"]["count"], 3);
}

#[test]
fn a_target_with_one_class_fails_class_balance_naming_the_column() {
    let report = report("suites/one-class.json", 1);
    let balanced = test(&report, "balanced");
    assert_eq!(balanced["status"], "fail");
    assert!(message(balanced).contains("`label`"), "{balanced:#}");
}

#[test]
fn a_text_target_for_regression_is_an_error_naming_the_column() {
    let report = report("suites/text-target.json", 1);
    let leakage = test(&report, "no-leakage");
    assert_eq!(leakage["status"], "error");
    assert!(message(leakage).contains("`label`"), "{leakage:#}");
}

#[test]
fn a_test_on_a_missing_column_is_an_error_and_the_run_still_happens() {
    let report = report("suites/missing-column.json", 1);
    assert_eq!(report["verdict"], "fail");
    assert_eq!(report["summary"]["errored"], 1);
    assert_eq!(test(&report, "rows")["status"], "pass");
    let missing = test(&report, "petal-colour-known");
    assert_eq!(missing["status"], "error");
    assert!(message(missing).contains("`petal_colour`"), "{missing:#}");

    let text = mltest(&["run", &fixture("suites/missing-column.json")]);
    text.expect_code(1);
    assert!(text.stdout.contains("ERROR petal-colour-known"), "{}", text.stdout);
    assert_eq!(text.stdout.lines().last(), Some("1 passed, 0 failed, 0 warned, 1 errored"));

    let junit = mltest(&["run", &fixture("suites/missing-column.json"), "--format", "junit"]);
    junit.expect_code(1);
    let doc = roxmltree::Document::parse(&junit.stdout).expect("JUnit XML");
    let suite = doc.descendants().find(|n| n.has_tag_name("testsuite")).unwrap();
    assert_eq!(suite.attribute("errors"), Some("1"));
    assert_eq!(suite.attribute("failures"), Some("0"));
    let error = doc
        .descendants()
        .find(|n| n.has_tag_name("error"))
        .expect("an <error> for the test that could not run");
    assert!(error.attribute("message").unwrap_or_default().contains("`petal_colour`"));
}

// --- Suite files that cannot be read -------------------------------------------------------

fn suite_is_refused(suite: &str, fragments: &[&str]) {
    mltest(&["run", &fixture(suite)]).expect_no_run(fragments);
    mltest(&["run", &fixture(suite), "--format", "json"]).expect_no_run(fragments);
}

#[test]
fn a_missing_suite_path_is_refused_naming_it() {
    suite_is_refused("suites/no-such-suite.json", &["no-such-suite.json"]);
}

#[test]
fn an_empty_suite_file_is_refused() {
    suite_is_refused("suites/empty.json", &["empty.json"]);
}

#[test]
fn a_json_syntax_error_names_its_line() {
    // Line 5 lacks the comma after `"id": "rows"`.
    suite_is_refused("suites/syntax-error.json", &["syntax-error.json", "line 5"]);
}

#[test]
fn a_yaml_syntax_error_names_its_line() {
    // Line 7 is indented less than the mapping it belongs to.
    suite_is_refused("suites/syntax-error.yaml", &["syntax-error.yaml", "line 7"]);
}

#[test]
fn non_utf8_bytes_in_a_suite_are_refused_naming_the_line() {
    // "Zürich" in Latin-1 on line 3.
    suite_is_refused("suites/latin1.json", &["latin1.json", "line 3", "UTF-8"]);
}

#[test]
fn an_unknown_field_is_refused_naming_its_path() {
    suite_is_refused("suites/unknown-field.json", &["unknown-field.json", "tests[1]", "colour"]);
}

#[test]
fn an_unknown_test_kind_is_refused_naming_it() {
    suite_is_refused("suites/unknown-kind.json", &["unknown-kind.json", "tests[0]", "kind", "is_shiny"]);
}

#[test]
fn a_misspelt_test_kind_gets_the_closest_kind_suggested_before_the_list() {
    let run = mltest(&["run", &fixture("suites/misspelt-kind.json")]);
    let stderr = run.expect_no_run(&[]);
    let kinds = mltest::checks::KINDS.join(", ");
    assert_eq!(
        stderr,
        format!(
            "mltest: error: tests/data/suites/misspelt-kind.json: tests[0] (`complete`).kind: `not_nul` is not a test kind; did you mean `not_null`? kinds: {kinds}\n"
        )
    );
}

#[test]
fn a_ratio_parameter_above_1_is_refused_naming_it() {
    suite_is_refused("suites/bad-mostly.json", &["bad-mostly.json", "tests[0]", "mostly", "2"]);
}

#[test]
fn a_suite_from_a_newer_version_is_refused() {
    suite_is_refused("suites/version-2.json", &["version-2.json", "version", "2"]);
}
