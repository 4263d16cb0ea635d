use super::*;

use crate::checks::Check;
use crate::report::{Step, Variable, FAILURE_SAMPLE};
use crate::table::{read_csv, LoadOptions};

// ---------------------------------------------------------------------------------------
// Helpers: tables come from the real CSV reader, tests from their suite-file parameters.

const PENGUINS: &[u8] = include_bytes!("../../../static/data/penguins.csv");
const IRIS: &[u8] = include_bytes!("../../../static/data/iris.csv");

/// Floats from pandas are compared to this absolute tolerance.
const TOL: f64 = 1e-12;

fn table(csv: &str) -> Table {
    read_csv(csv.as_bytes(), "t.csv", &LoadOptions::default()).expect("test CSV reads")
}

fn penguins() -> Table {
    read_csv(PENGUINS, "penguins.csv", &LoadOptions::default()).unwrap()
}

fn iris() -> Table {
    read_csv(IRIS, "iris.csv", &LoadOptions::default()).unwrap()
}

/// A test as the suite file writes it: its kind and parameters, read and validated.
fn check(kind: &str, params: Value) -> Check {
    let check = Check::from_params(kind, params).expect("a known kind").expect("parameters read");
    check.validate().expect("parameters valid");
    check
}

/// What a run left behind: the evaluation, the execution table and the tracked variables.
struct Ran {
    eval: Evaluation,
    steps: Vec<Step>,
    vars: Vec<Variable>,
}

impl Ran {
    fn last_step(&self) -> &Step {
        self.steps.last().expect("at least one step")
    }

    /// A tracked variable's value after the last step.
    fn var(&self, name: &str) -> Option<&str> {
        let var = self.vars.iter().find(|v| v.name == name)?;
        var.values.last()?.as_deref()
    }

    fn observed(&self) -> f64 {
        self.eval.observed.as_f64().expect("a numeric observed value")
    }

    fn failing_lines(&self) -> Vec<u64> {
        let failures = self.eval.failures.as_ref().expect("a row-level test");
        failures.sample.iter().map(|c| c.line).collect()
    }

    fn failure_count(&self) -> usize {
        self.eval.failures.as_ref().expect("a row-level test").count
    }
}

fn run_in(ctx: &Context<'_>, check: &Check) -> Ran {
    let mut trace = Trace::default();
    let eval = check.run(ctx, &mut trace).expect("the test can be evaluated");
    let (steps, vars) = trace.finish();
    Ran { eval, steps, vars }
}

fn run(table: &Table, check: &Check) -> Ran {
    run_in(&Context::new(table), check)
}

fn run_err_in(ctx: &Context<'_>, check: &Check) -> (String, Vec<Step>) {
    let mut trace = Trace::default();
    let err = check.run(ctx, &mut trace).expect_err("the test cannot be evaluated");
    (err, trace.finish().0)
}

fn run_err(table: &Table, check: &Check) -> String {
    run_err_in(&Context::new(table), check).0
}

fn with_target<'a>(table: &'a Table, target: &'a str) -> Context<'a> {
    Context { target: Some(target), ..Context::new(table) }
}

fn assert_close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() <= TOL, "{actual} is not {expected} within {TOL}");
}

fn assert_asserts(ran: &Ran, action: &str, evaluation: &str, result: &str) {
    let last = ran.last_step();
    assert_eq!(last.action, format!("assert {action}"), "{:?}", ran.steps);
    assert_eq!(last.evaluation, evaluation, "{:?}", ran.steps);
    assert_eq!(last.result, result, "{:?}", ran.steps);
    assert_eq!(last.step, ran.steps.len());
}

// ---------------------------------------------------------------------------------------
// Errors shared by the kinds that read a column

#[test]
fn missing_column_is_an_error_naming_the_column_and_the_file() {
    let t = table("a,b\n1,x\n2,y\n");
    let (err, steps) =
        run_err_in(&Context::new(&t), &check("values_between", json!({"column": "zz", "min": 0})));
    assert!(err.contains("`zz`"), "{err}");
    assert!(err.contains("t.csv"), "{err}");
    assert!(err.contains("`a`, `b`"), "lists the columns there: {err}");
    assert_eq!(steps.last().unwrap().action, "select_column(zz)");
    assert_eq!(steps.last().unwrap().result, "ERROR");
}

#[test]
fn every_column_reading_kind_errors_on_a_missing_column() {
    let t = table("a,y\n1,x\n2,y\n3,x\n4,y\n");
    let checks = [
        check("not_null", json!({"column": "zz"})),
        check("column_type", json!({"column": "zz", "type": "int"})),
        check("values_in_set", json!({"column": "zz", "allowed": [1]})),
        check("unique", json!({"column": "zz"})),
        check("no_duplicate_rows", json!({"columns": ["a", "zz"]})),
        check("matches_regex", json!({"column": "zz", "pattern": "x"})),
        check("column_stat_between", json!({"column": "zz", "stat": "mean", "min": 0})),
        check("not_constant", json!({"column": "zz"})),
        check("class_balance", json!({"column": "zz", "min_minority_ratio": 0.1})),
        check("no_conflicting_labels", json!({"column": "zz"})),
        check("no_target_leakage", json!({"column": "y", "features": ["zz"], "max_score": 0.9})),
    ];
    for c in &checks {
        let err = run_err(&t, c);
        assert!(err.contains("`zz`") && err.contains("t.csv"), "{}: {err}", c.kind());
    }
}

// ---------------------------------------------------------------------------------------
// not_null

#[test]
fn not_null_passes_a_complete_column() {
    let t = table("a,b\n1,x\n2,y\n");
    let ran = run(&t, &check("not_null", json!({"column": "a"})));
    assert!(ran.eval.passed);
    assert_eq!(ran.observed(), 0.0);
    assert_eq!(ran.eval.message, "no value in `a` is missing");
    assert_asserts(&ran, "missing_ratio <= 0", "0 <= 0", "PASS");
    assert_eq!(ran.failure_count(), 0);
}

#[test]
fn not_null_fails_naming_the_line_of_the_missing_cell() {
    // The 3rd data row is on line 4 (line 1 is the header).
    let t = table("a,b\n1,x\n2,y\nNA,z\n");
    let ran = run(&t, &check("not_null", json!({"column": "a"})));
    assert!(!ran.eval.passed);
    assert_close(ran.observed(), 1.0 / 3.0);
    assert_eq!(ran.failing_lines(), [4]);
    let cell = &ran.eval.failures.as_ref().unwrap().sample[0];
    assert_eq!((cell.column.as_str(), cell.value.as_str()), ("a", ""));
    assert_eq!(ran.steps[1].action, "count_missing(a)");
    assert_eq!(ran.steps[1].evaluation, "1 of 3 rows");
    assert_eq!(ran.var("missing"), Some("1"));
    assert_asserts(&ran, "missing_ratio <= 0", "0.3333 <= 0", "FAIL");
    assert!(ran.eval.message.contains("1 of 3 values in `a` are missing"), "{}", ran.eval.message);
}

#[test]
fn not_null_allows_up_to_max_missing_ratio() {
    let t = table("a,b\n1,x\n,y\n3,z\n4,w\n");
    let at_limit = run(&t, &check("not_null", json!({"column": "a", "max_missing_ratio": 0.25})));
    assert!(at_limit.eval.passed, "1 of 4 is exactly the 25% allowed");
    assert_asserts(&at_limit, "missing_ratio <= 0.25", "0.25 <= 0.25", "PASS");
    let below = run(&t, &check("not_null", json!({"column": "a", "max_missing_ratio": 0.2})));
    assert!(!below.eval.passed);
}

#[test]
fn not_null_star_checks_every_column_and_names_the_bad_ones() {
    let t = table("a,b,c\n1,x,1\n2,,2\nNA,z,3\n4,w,\n5,v,5\n");
    let ran = run(&t, &check("not_null", json!({"column": "*", "max_missing_ratio": 0.2})));
    // Every column has 1 of 5 missing (20%): all within the limit.
    assert!(ran.eval.passed, "{}", ran.eval.message);
    let strict = run(&t, &check("not_null", json!({"column": "*"})));
    assert!(!strict.eval.passed);
    assert!(strict.eval.message.starts_with("3 of 3 columns"), "{}", strict.eval.message);
    // Lines of every failing column, column by column.
    assert_eq!(strict.failing_lines(), [4, 3, 5]);
    assert_eq!(strict.steps[0].action, "count_missing(*)");
    assert_eq!(strict.steps[0].evaluation, "5 rows × 3 columns; 3 with missing values");
}

#[test]
fn not_null_star_passes_a_complete_table_and_skips_nothing() {
    let t = table("a,b\n1,x\n2,y\n");
    let ran = run(&t, &check("not_null", json!({"column": "*"})));
    assert!(ran.eval.passed);
    assert_asserts(&ran, "missing_ratio <= 0", "0 <= 0", "PASS");
}

#[test]
fn not_null_star_reports_only_the_columns_over_the_limit() {
    let t = table("a,b\n1,x\n2,y\nNA,z\n");
    let ran = run(&t, &check("not_null", json!({"column": "*"})));
    assert!(!ran.eval.passed);
    assert!(
        ran.eval.message.contains("1 of 2 columns") && ran.eval.message.contains("`a` 1"),
        "{}",
        ran.eval.message
    );
    assert!(ran.eval.failures.as_ref().unwrap().sample.iter().all(|c| c.column == "a"));
}

#[test]
fn not_null_on_penguins_finds_the_real_missing_values() {
    // pandas 3.1.1: df[df.bill_length_mm.isna()].index + 2 == [5, 273]
    let t = penguins();
    let bill = run(&t, &check("not_null", json!({"column": "bill_length_mm"})));
    assert!(!bill.eval.passed);
    assert_eq!(bill.failing_lines(), [5, 273]);
    assert_close(bill.observed(), 2.0 / 344.0);
    assert!(
        bill.eval.message.starts_with("2 of 344 values in `bill_length_mm` are missing (0.6%)"),
        "{}",
        bill.eval.message
    );
    // pandas 3.1.1: df[df.sex.isna()].index + 2
    let sex = run(&t, &check("not_null", json!({"column": "sex"})));
    assert_eq!(sex.failing_lines(), [5, 10, 11, 12, 13, 49, 180, 220, 258, 270, 273]);
    assert_eq!(sex.failure_count(), 11);
}

// ---------------------------------------------------------------------------------------
// columns_present

#[test]
fn columns_present_passes_when_every_listed_column_is_there() {
    let t = table("a,b,c\n1,2,3\n");
    let ran = run(&t, &check("columns_present", json!({"columns": ["c", "a"]})));
    assert!(ran.eval.passed);
    assert_eq!(ran.eval.observed, json!(["a", "b", "c"]));
    assert_eq!(ran.var("missing_columns"), Some("0"));
    assert_asserts(&ran, "header matches the expected columns", "0 problems", "PASS");
}

#[test]
fn columns_present_fails_naming_the_missing_columns() {
    let t = table("a,b\n1,2\n");
    let ran = run(&t, &check("columns_present", json!({"columns": ["a", "z", "y"]})));
    assert!(!ran.eval.passed);
    assert_eq!(ran.eval.message, "`z`, `y` are not in the header");
    assert_eq!(ran.var("missing_columns"), Some("2"));
    assert_eq!(ran.last_step().result, "FAIL");
}

#[test]
fn columns_present_exact_rejects_extra_columns() {
    let t = table("a,b,c\n1,2,3\n");
    let extra = run(&t, &check("columns_present", json!({"columns": ["a", "b"], "exact": true})));
    assert!(!extra.eval.passed);
    assert_eq!(extra.eval.message, "`c` is not expected");
    let same = run(&t, &check("columns_present", json!({"columns": ["c", "b", "a"], "exact": true})));
    assert!(same.eval.passed, "exact without ordered ignores the order");
}

#[test]
fn columns_present_ordered_checks_the_order_of_the_listed_columns() {
    let t = table("a,b,c\n1,2,3\n");
    let in_order = run(&t, &check("columns_present", json!({"columns": ["a", "c"], "ordered": true})));
    assert!(in_order.eval.passed, "other columns may sit between them");
    let swapped = run(&t, &check("columns_present", json!({"columns": ["c", "a"], "ordered": true})));
    assert!(!swapped.eval.passed);
    assert_eq!(swapped.eval.message, "the columns are in the order a, c, not as listed");
    assert_eq!(swapped.steps[2].result, "different order");
}

#[test]
fn columns_present_counts_an_all_missing_column_as_present() {
    let t = table("a,b\n1,NA\n2,NA\n");
    let ran = run(&t, &check("columns_present", json!({"columns": ["a", "b"]})));
    assert!(ran.eval.passed);
}

// ---------------------------------------------------------------------------------------
// column_type

#[test]
fn column_type_passes_the_inferred_type() {
    let t = table("n,x,s\n1,1.5,a\n2,2,a\n3,3,b\n4,4,b\n");
    let ran = run(&t, &check("column_type", json!({"column": "x", "type": "float"})));
    assert!(ran.eval.passed);
    assert_eq!(ran.eval.observed, json!("float"));
    assert_eq!(ran.var("type"), Some("float"));
    assert_asserts(&ran, "type is float", "float is float", "PASS");
}

#[test]
fn column_type_int_passes_as_float() {
    let t = table("n\n1\n2\n3\n");
    let ran = run(&t, &check("column_type", json!({"column": "n", "type": "float"})));
    assert!(ran.eval.passed);
    assert_eq!(ran.eval.observed, json!("int"));
    assert_eq!(ran.eval.message, "`n` holds int values, as expected");
}

#[test]
fn column_type_category_passes_as_text() {
    let t = table("s\na\na\nb\nb\n");
    let ran = run(&t, &check("column_type", json!({"column": "s", "type": "text"})));
    assert!(ran.eval.passed);
    assert_eq!(ran.eval.observed, json!("category"));
}

#[test]
fn column_type_fails_listing_the_rows_that_cannot_be_read() {
    let t = table("n\n1\n2\nx\n4\n");
    let ran = run(&t, &check("column_type", json!({"column": "n", "type": "int"})));
    assert!(!ran.eval.passed);
    assert_eq!(ran.eval.observed, json!("text"));
    assert_eq!(ran.failing_lines(), [4]);
    assert_eq!(ran.eval.failures.as_ref().unwrap().sample[0].value, "x");
    assert_eq!(
        ran.eval.message,
        "`n` holds text values, expected int: 1 values cannot be read as int, first `x` on line 4"
    );
    assert_asserts(&ran, "type is int", "text is int", "FAIL");
}

#[test]
fn column_type_float_is_not_int_but_whole_floats_read_as_int() {
    let t = table("x\n1.5\n2.0\n3\n");
    let ran = run(&t, &check("column_type", json!({"column": "x", "type": "int"})));
    assert!(!ran.eval.passed);
    assert_eq!(ran.failing_lines(), [2], "2.0 and 3 could be ints");
}

#[test]
fn column_type_skips_missing_cells() {
    let t = table("n,b\n1,x\n2,y\nNA,z\n4,w\n");
    let ran = run(&t, &check("column_type", json!({"column": "n", "type": "int"})));
    assert!(ran.eval.passed, "a missing cell does not make `n` text");
    let t = table("x,b\n1.5,x\nNA,y\nabc,z\n");
    let ran = run(&t, &check("column_type", json!({"column": "x", "type": "float"})));
    assert!(!ran.eval.passed);
    assert_eq!(ran.failing_lines(), [4], "the NA on line 3 is not a failure");
}

// ---------------------------------------------------------------------------------------
// values_between

#[test]
fn values_between_passes_with_inclusive_bounds() {
    let t = table("x\n1\n5\n10\n");
    let ran = run(&t, &check("values_between", json!({"column": "x", "min": 1, "max": 10})));
    assert!(ran.eval.passed);
    assert_eq!(ran.observed(), 1.0);
    assert_eq!(ran.eval.message, "all 3 values in `x` are within [1, 10]");
    assert_eq!(ran.steps[1].action, "check_between(x, [1, 10])");
    assert_eq!(ran.var("failing"), Some("0"));
    assert_asserts(&ran, "failing == 0", "0 == 0", "PASS");
}

#[test]
fn values_between_fails_naming_lines_and_values() {
    let t = table("x\n1\n-2\n10\n11.5\n");
    let ran = run(&t, &check("values_between", json!({"column": "x", "min": 0, "max": 10})));
    assert!(!ran.eval.passed);
    assert_eq!(ran.failing_lines(), [3, 5]);
    let values: Vec<&str> =
        ran.eval.failures.as_ref().unwrap().sample.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(values, ["-2", "11.5"]);
    assert_close(ran.observed(), 0.5);
    assert_eq!(ran.eval.message, "2 of 4 values in `x` are outside [0, 10]; none may be");
    assert_eq!(ran.var("failing"), Some("2"));
    assert_asserts(&ran, "failing == 0", "2 == 0", "FAIL");
}

#[test]
fn values_between_strict_bounds_exclude_the_bound() {
    let t = table("x\n0\n5\n10\n");
    let strict = run(
        &t,
        &check(
            "values_between",
            json!({"column": "x", "min": 0, "max": 10, "strict_min": true, "strict_max": true}),
        ),
    );
    assert!(!strict.eval.passed);
    assert_eq!(strict.failing_lines(), [2, 4]);
    assert_eq!(strict.steps[1].action, "check_between(x, (0, 10))");
    let half_open = run(&t, &check("values_between", json!({"column": "x", "min": 0, "strict_min": true})));
    assert_eq!(half_open.failing_lines(), [2]);
    assert_eq!(half_open.steps[1].action, "check_between(x, (0, inf))");
}

#[test]
fn values_between_mostly_passes_when_enough_values_are_in_range() {
    let t = table("x\n1\n2\n3\n99\n");
    let enough = run(&t, &check("values_between", json!({"column": "x", "max": 10, "mostly": 0.75})));
    assert!(enough.eval.passed);
    assert_close(enough.observed(), 0.75);
    assert_eq!(enough.var("pass_ratio"), Some("0.75"));
    assert_asserts(&enough, "pass_ratio >= 0.75", "0.75 >= 0.75", "PASS");
    let not_enough = run(&t, &check("values_between", json!({"column": "x", "max": 10, "mostly": 0.8})));
    assert!(!not_enough.eval.passed);
    assert_asserts(&not_enough, "pass_ratio >= 0.8", "0.75 >= 0.8", "FAIL");
    assert!(not_enough.eval.message.contains("(75% pass; at least 80% must)"), "{}", not_enough.eval.message);
}

#[test]
fn values_between_skips_missing_cells() {
    let t = table("x,y\n1,a\n2,b\nNA,c\n100,d\n");
    let ran = run(&t, &check("values_between", json!({"column": "x", "min": 0, "max": 10})));
    assert!(!ran.eval.passed);
    assert_eq!(ran.failing_lines(), [5], "the missing cell on line 4 is skipped");
    assert_close(ran.observed(), 2.0 / 3.0);
    assert_eq!(ran.steps[1].evaluation, "3 non-missing values (1 missing skipped)");
}

#[test]
fn values_between_passes_an_all_missing_column_with_nothing_to_check() {
    let t = table("x,y\nNA,a\nNA,b\n");
    let ran = run(&t, &check("values_between", json!({"column": "x", "min": 0})));
    assert!(ran.eval.passed);
    assert_eq!(ran.eval.message, "`x` has no non-missing value to check");
}

#[test]
fn values_between_on_a_category_column_is_an_error_naming_its_type() {
    let t = table("s\na\na\nb\nb\n");
    let err = run_err(&t, &check("values_between", json!({"column": "s", "min": 0})));
    assert_eq!(err, "`s` is a category column: values_between reads numbers");
}

#[test]
fn values_between_rejects_min_above_max() {
    let c =
        Check::from_params("values_between", json!({"column": "x", "min": 5, "max": 1})).unwrap().unwrap();
    let err = c.validate().unwrap_err();
    assert_eq!(err.field, "min");
    assert!(err.message.contains("min 5 is above max 1"), "{}", err.message);
    let equal_strict =
        Check::from_params("values_between", json!({"column": "x", "min": 1, "max": 1, "strict_max": true}))
            .unwrap()
            .unwrap();
    assert!(equal_strict.validate().is_err(), "no value can pass (1, 1)");
    let none = Check::from_params("values_between", json!({"column": "x"})).unwrap().unwrap();
    assert!(none.validate().is_err(), "a range needs a bound");
}

#[test]
fn failure_sample_is_capped_while_count_is_full() {
    let csv: String =
        std::iter::once("x\n".to_string()).chain((0..30).map(|i| format!("{}\n", 100 + i))).collect();
    let t = table(&csv);
    let ran = run(&t, &check("values_between", json!({"column": "x", "max": 10})));
    let failures = ran.eval.failures.as_ref().unwrap();
    assert_eq!(failures.count, 30);
    assert_eq!(failures.sample.len(), FAILURE_SAMPLE);
    assert_eq!(FAILURE_SAMPLE, 20);
    assert_eq!(ran.failing_lines(), (2..22).collect::<Vec<u64>>());
    assert_eq!(ran.var("failing"), Some("30"));
}

// ---------------------------------------------------------------------------------------
// values_in_set

#[test]
fn values_in_set_passes_when_every_value_is_allowed() {
    let t = table("s\na\nb\na\n");
    let ran = run(&t, &check("values_in_set", json!({"column": "s", "allowed": ["a", "b", "c"]})));
    assert!(ran.eval.passed);
    assert_eq!(ran.steps[1].action, "check_in_set(s, {a, b, c})");
    assert_asserts(&ran, "failing == 0", "0 == 0", "PASS");
}

#[test]
fn values_in_set_fails_listing_the_unexpected_values() {
    let t = table("s\na\nz\nb\nz\ny\n");
    let ran = run(&t, &check("values_in_set", json!({"column": "s", "allowed": ["a", "b"]})));
    assert!(!ran.eval.passed);
    assert_eq!(ran.failing_lines(), [3, 5, 6]);
    assert!(ran.eval.message.ends_with("; unexpected: `z` (2), `y` (1)"), "{}", ran.eval.message);
    assert_asserts(&ran, "failing == 0", "3 == 0", "FAIL");
}

#[test]
fn values_in_set_numeric_column_matches_1_and_1_0() {
    let ints = table("n\n1\n2\n1\n");
    let ran = run(&ints, &check("values_in_set", json!({"column": "n", "allowed": [1.0, 2]})));
    assert!(ran.eval.passed, "{}", ran.eval.message);
    let floats = table("x\n1.0\n2.5\n");
    let ran = run(&floats, &check("values_in_set", json!({"column": "x", "allowed": [1, "2.5"]})));
    assert!(ran.eval.passed, "{}", ran.eval.message);
    let ran = run(&floats, &check("values_in_set", json!({"column": "x", "allowed": [1]})));
    assert_eq!(ran.failing_lines(), [3]);
}

#[test]
fn values_in_set_compares_booleans_as_text() {
    let t = table("f\ntrue\nfalse\n");
    let ran = run(&t, &check("values_in_set", json!({"column": "f", "allowed": [true, false]})));
    assert!(ran.eval.passed, "{}", ran.eval.message);
}

#[test]
fn values_in_set_mostly_tolerates_a_share_of_other_values() {
    let t = table("s\na\na\na\nz\n");
    let ran = run(&t, &check("values_in_set", json!({"column": "s", "allowed": ["a"], "mostly": 0.7})));
    assert!(ran.eval.passed);
    assert_close(ran.observed(), 0.75);
    assert_asserts(&ran, "pass_ratio >= 0.7", "0.75 >= 0.7", "PASS");
}

#[test]
fn values_in_set_skips_missing_cells() {
    let t = table("s,n\na,1\nb,2\nNA,3\nq,4\n");
    let ran = run(&t, &check("values_in_set", json!({"column": "s", "allowed": ["a", "b"]})));
    assert_eq!(ran.failing_lines(), [5], "NA on line 4 is missing, not a value");
    assert_close(ran.observed(), 2.0 / 3.0);
}

#[test]
fn values_in_set_rejects_an_empty_or_nested_set() {
    let empty = Check::from_params("values_in_set", json!({"column": "s", "allowed": []})).unwrap().unwrap();
    assert_eq!(empty.validate().unwrap_err().field, "allowed");
    let nested =
        Check::from_params("values_in_set", json!({"column": "s", "allowed": [[1]]})).unwrap().unwrap();
    assert!(nested.validate().unwrap_err().message.contains("[1]"));
}

// ---------------------------------------------------------------------------------------
// unique

#[test]
fn unique_passes_distinct_values() {
    let t = table("id\n1\n2\n3\n");
    let ran = run(&t, &check("unique", json!({"column": "id"})));
    assert!(ran.eval.passed);
    assert_eq!(ran.eval.message, "all 3 values in `id` are unique");
}

#[test]
fn unique_fails_every_row_holding_a_repeated_value() {
    let t = table("id\n1\n2\n1\n3\n");
    let ran = run(&t, &check("unique", json!({"column": "id"})));
    assert!(!ran.eval.passed);
    assert_eq!(ran.failing_lines(), [2, 4]);
    assert_eq!(ran.var("failing"), Some("2"));
    assert_asserts(&ran, "failing == 0", "2 == 0", "FAIL");
}

#[test]
fn unique_ignores_repeated_missing_cells() {
    let t = table("id,v\n1,a\nNA,b\nNA,c\n2,d\n");
    let ran = run(&t, &check("unique", json!({"column": "id"})));
    assert!(ran.eval.passed, "{}", ran.eval.message);
    assert_eq!(ran.steps[1].evaluation, "2 non-missing values (2 missing skipped)");
}

#[test]
fn unique_mostly_tolerates_some_repeats() {
    let t = table("id\na\na\nb\nc\nd\ne\nf\ng\nh\ni\n");
    let ran = run(&t, &check("unique", json!({"column": "id", "mostly": 0.8})));
    assert!(ran.eval.passed);
    assert_close(ran.observed(), 0.8);
}

// ---------------------------------------------------------------------------------------
// no_duplicate_rows

#[test]
fn no_duplicate_rows_passes_distinct_rows() {
    let t = table("a,b\n1,x\n1,y\n2,x\n");
    let ran = run(&t, &check("no_duplicate_rows", json!({})));
    assert!(ran.eval.passed);
    assert_eq!(ran.eval.message, "no row of 3 repeats an earlier one");
    assert_asserts(&ran, "duplicate_ratio <= 0", "0 <= 0", "PASS");
}

#[test]
fn no_duplicate_rows_fails_naming_the_repeat_and_the_original() {
    let t = table("a,b\n1,x\n2,y\n1,x\n");
    let ran = run(&t, &check("no_duplicate_rows", json!({})));
    assert!(!ran.eval.passed);
    assert_close(ran.observed(), 1.0 / 3.0);
    let cell = &ran.eval.failures.as_ref().unwrap().sample[0];
    assert_eq!(cell.line, 4);
    assert_eq!(cell.column, "*");
    assert_eq!(cell.value, "same as line 2");
    assert_eq!(ran.var("duplicates"), Some("1"));
    assert_asserts(&ran, "duplicate_ratio <= 0", "0.3333 <= 0", "FAIL");
}

#[test]
fn no_duplicate_rows_compares_only_the_listed_columns() {
    let t = table("a,b\n1,x\n1,y\n2,x\n");
    let ran = run(&t, &check("no_duplicate_rows", json!({"columns": ["a"]})));
    assert!(!ran.eval.passed);
    assert_eq!(ran.failing_lines(), [3]);
    assert_eq!(ran.eval.failures.as_ref().unwrap().sample[0].column, "a");
    assert_eq!(ran.steps.last().unwrap().result, "FAIL");
    let allowed = run(&t, &check("no_duplicate_rows", json!({"columns": ["a"], "max_ratio": 0.34})));
    assert!(allowed.eval.passed);
}

#[test]
fn no_duplicate_rows_treats_missing_cells_as_equal() {
    // As pandas' `duplicated()`: NaN in the same place is the same value.
    let t = table("a,b\n1,NA\n2,x\n1,\n");
    let ran = run(&t, &check("no_duplicate_rows", json!({})));
    assert_eq!(ran.failing_lines(), [4]);
    let t = table("a,b\n1,NA\n1,x\n");
    assert!(run(&t, &check("no_duplicate_rows", json!({}))).eval.passed);
}

#[test]
fn no_duplicate_rows_finds_the_one_duplicate_in_iris() {
    // pandas 3.1.1: df[df.duplicated(keep=False)].index + 2 == [103, 144]
    let t = iris();
    let ran = run(&t, &check("no_duplicate_rows", json!({})));
    assert!(!ran.eval.passed);
    assert_eq!(ran.failure_count(), 1);
    let cell = &ran.eval.failures.as_ref().unwrap().sample[0];
    assert_eq!((cell.line, cell.value.as_str()), (144, "same as line 103"));
    assert_close(ran.observed(), 1.0 / 150.0);
}

// ---------------------------------------------------------------------------------------
// row_count_between

#[test]
fn row_count_between_passes_within_bounds() {
    let t = table("a\n1\n2\n3\n");
    let ran = run(&t, &check("row_count_between", json!({"min": 1, "max": 5})));
    assert!(ran.eval.passed);
    assert_eq!(ran.eval.observed, json!(3));
    assert_eq!(ran.var("rows"), Some("3"));
    assert_asserts(&ran, "1 <= rows <= 5", "1 <= 3 <= 5", "PASS");
}

#[test]
fn row_count_between_fails_outside_bounds() {
    let t = table("a\n1\n2\n3\n");
    let ran = run(&t, &check("row_count_between", json!({"min": 5})));
    assert!(!ran.eval.passed);
    assert_eq!(ran.eval.message, "3 rows, outside the [5, inf) expected");
    assert_asserts(&ran, "5 <= rows", "5 <= 3", "FAIL");
}

#[test]
fn row_count_between_counts_rows_whose_cells_are_all_missing() {
    let t = table("a,b\n1,2\nNA,\n3,4\n");
    let ran = run(&t, &check("row_count_between", json!({"min": 3, "max": 3})));
    assert!(ran.eval.passed, "{}", ran.eval.message);
    let ran = run(&penguins(), &check("row_count_between", json!({"max": 344})));
    assert!(ran.eval.passed);
    assert_eq!(ran.eval.observed, json!(344));
}

// ---------------------------------------------------------------------------------------
// matches_regex

#[test]
fn matches_regex_passes_matching_values() {
    let t = table("code\nAB-1\nCD-2\n");
    let ran = run(&t, &check("matches_regex", json!({"column": "code", "pattern": "^[A-Z]{2}-\\d$"})));
    assert!(ran.eval.passed);
    assert_eq!(ran.steps[1].action, "match(code, /^[A-Z]{2}-\\d$/)");
    assert_asserts(&ran, "failing == 0", "0 == 0", "PASS");
}

#[test]
fn matches_regex_fails_naming_the_lines_that_do_not_match() {
    let t = table("code\nAB-1\nab-2\nCD-3\nx\n");
    let ran = run(&t, &check("matches_regex", json!({"column": "code", "pattern": "^[A-Z]{2}-\\d$"})));
    assert!(!ran.eval.passed);
    assert_eq!(ran.failing_lines(), [3, 5]);
    assert_eq!(ran.eval.message, "2 of 4 values in `code` are not matched by /^[A-Z]{2}-\\d$/; none may be");
}

#[test]
fn matches_regex_skips_missing_cells_and_reads_numbers_as_text() {
    let t = table("year,v\n2007,a\nNA,b\n208,c\n");
    let ran = run(&t, &check("matches_regex", json!({"column": "year", "pattern": "^\\d{4}$"})));
    assert_eq!(ran.failing_lines(), [4]);
    assert_close(ran.observed(), 0.5);
    let ran =
        run(&penguins(), &check("matches_regex", json!({"column": "year", "pattern": "^20(07|08|09)$"})));
    assert!(ran.eval.passed, "{}", ran.eval.message);
}

#[test]
fn matches_regex_mostly_tolerates_a_share_of_misses() {
    let t = table("s\nab\nac\nad\nzz\n");
    let ran = run(&t, &check("matches_regex", json!({"column": "s", "pattern": "^a", "mostly": 0.75})));
    assert!(ran.eval.passed);
    assert_asserts(&ran, "pass_ratio >= 0.75", "0.75 >= 0.75", "PASS");
}

// ---------------------------------------------------------------------------------------
// column_stat_between: values pinned to pandas 3.1.1 on the bundled data

fn stat(column: &str, stat: &str, q: Option<f64>) -> Check {
    let mut params = json!({"column": column, "stat": stat, "min": -1e9, "max": 1e9});
    if let Some(q) = q {
        params["q"] = json!(q);
    }
    check("column_stat_between", params)
}

#[test]
fn column_stat_mean_matches_pandas() {
    // pandas 3.1.1: penguins.bill_length_mm.mean(), iris.sepal_length.mean()
    let ran = run(&penguins(), &stat("bill_length_mm", "mean", None));
    assert_close(ran.observed(), 43.9219298245614);
    assert_eq!(ran.var("mean"), Some("43.9219"));
    assert_eq!(ran.steps[1].evaluation, "mean of 342 non-missing values");
    let ran = run(&iris(), &stat("sepal_length", "mean", None));
    assert_close(ran.observed(), 5.843333333333334);
}

#[test]
fn column_stat_std_is_the_sample_std_of_pandas() {
    // pandas 3.1.1: .std() (ddof=1)
    let ran = run(&penguins(), &stat("bill_length_mm", "std", None));
    assert_close(ran.observed(), 5.4595837139265315);
    let ran = run(&iris(), &stat("sepal_length", "std", None));
    assert_close(ran.observed(), 0.828066127977863);
}

#[test]
fn column_stat_min_and_max_skip_missing_cells() {
    // The extremes are cells of the files themselves (checked with Python's csv module):
    // penguins bill_length_mm 32.1..59.6 over its 342 non-missing cells, iris sepal_length 4.3..7.9.
    let ran = run(&penguins(), &stat("bill_length_mm", "min", None));
    assert_close(ran.observed(), 32.1);
    let ran = run(&penguins(), &stat("bill_length_mm", "max", None));
    assert_close(ran.observed(), 59.6);
    let ran = run(&iris(), &stat("sepal_length", "min", None));
    assert_close(ran.observed(), 4.3);
    let ran = run(&iris(), &stat("sepal_length", "max", None));
    assert_close(ran.observed(), 7.9);
}

#[test]
fn column_stat_median_matches_pandas() {
    // pandas 3.1.1: .median()
    let ran = run(&penguins(), &stat("bill_length_mm", "median", None));
    assert_close(ran.observed(), 44.45);
    let ran = run(&iris(), &stat("sepal_length", "median", None));
    assert_close(ran.observed(), 5.8);
}

#[test]
fn column_stat_quantile_matches_pandas() {
    // pandas 3.1.1: .quantile(0.9)
    let ran = run(&penguins(), &stat("bill_length_mm", "quantile", Some(0.9)));
    assert_close(ran.observed(), 50.8);
    assert_eq!(ran.steps[1].action, "quantile(bill_length_mm, q=0.9)");
    assert_eq!(ran.var("q0.9"), Some("50.8"));
    let ran = run(&iris(), &stat("sepal_length", "quantile", Some(0.9)));
    assert_close(ran.observed(), 6.9);
    let ran = run(&iris(), &stat("petal_width", "quantile", Some(0.9)));
    assert_close(ran.observed(), 2.2);
}

#[test]
fn column_stat_between_passes_within_bounds() {
    let ran = run(
        &penguins(),
        &check(
            "column_stat_between",
            json!({"column": "bill_length_mm", "stat": "mean", "min": 40, "max": 50}),
        ),
    );
    assert!(ran.eval.passed);
    assert_eq!(ran.eval.message, "the mean of `bill_length_mm` is 43.9219, within [40, 50]");
    assert_asserts(&ran, "40 <= mean <= 50", "40 <= 43.9219 <= 50", "PASS");
}

#[test]
fn column_stat_between_fails_outside_bounds() {
    let ran = run(
        &iris(),
        &check(
            "column_stat_between",
            json!({"column": "sepal_length", "stat": "std", "max": 0.5, "strict_max": true}),
        ),
    );
    assert!(!ran.eval.passed);
    assert_eq!(ran.eval.message, "the std of `sepal_length` is 0.8281, outside (-inf, 0.5)");
    assert_asserts(&ran, "std < 0.5", "0.8281 < 0.5", "FAIL");
}

#[test]
fn column_stat_between_skips_missing_cells() {
    let t = table("x,y\n1,a\nNA,b\n3,c\n");
    let ran =
        run(&t, &check("column_stat_between", json!({"column": "x", "stat": "mean", "min": 2, "max": 2})));
    assert!(ran.eval.passed);
    assert_eq!(ran.observed(), 2.0);
}

#[test]
fn column_stat_of_an_all_missing_column_is_an_error() {
    let t = table("x,y\nNA,a\nNA,b\n");
    let err = run_err(&t, &stat("x", "mean", None));
    assert_eq!(err, "the mean of `x` is undefined: it has 0 non-missing finite values");
    let t = table("x,y\n1,a\nNA,b\n");
    let err = run_err(&t, &stat("x", "std", None));
    assert!(err.contains("the std of `x` is undefined: it has 1"), "{err}");
}

#[test]
fn column_stat_of_a_category_column_is_an_error_naming_its_type() {
    let err = run_err(&penguins(), &stat("species", "mean", None));
    assert_eq!(err, "`species` is a category column: column_stat_between reads numbers");
}

#[test]
fn column_stat_between_checks_q_against_stat() {
    let no_q =
        Check::from_params("column_stat_between", json!({"column": "x", "stat": "quantile", "min": 0}))
            .unwrap()
            .unwrap();
    assert_eq!(no_q.validate().unwrap_err().field, "q");
    let stray_q =
        Check::from_params("column_stat_between", json!({"column": "x", "stat": "mean", "q": 0.5, "min": 0}))
            .unwrap()
            .unwrap();
    assert_eq!(stray_q.validate().unwrap_err().field, "q");
}

// ---------------------------------------------------------------------------------------
// not_constant

#[test]
fn not_constant_passes_two_distinct_values() {
    let t = table("c\n5\n6\n5\n");
    let ran = run(&t, &check("not_constant", json!({"column": "c"})));
    assert!(ran.eval.passed);
    assert_eq!(ran.eval.observed, json!(2));
    assert_eq!(ran.eval.message, "`c` holds 2 distinct values");
    assert_asserts(&ran, "distinct >= 2", "2 >= 2", "PASS");
}

#[test]
fn not_constant_fails_a_constant_column() {
    let t = table("c\n5\n5\n5\n");
    let ran = run(&t, &check("not_constant", json!({"column": "c"})));
    assert!(!ran.eval.passed);
    assert_eq!(ran.eval.message, "`c` holds only `5` in all 3 rows");
    assert_eq!(ran.var("distinct"), Some("1"));
    assert_asserts(&ran, "distinct >= 2", "1 >= 2", "FAIL");
}

#[test]
fn not_constant_does_not_count_missing_as_a_value() {
    let t = table("c,d\n5,a\nNA,b\n5,c\n");
    let ran = run(&t, &check("not_constant", json!({"column": "c"})));
    assert!(!ran.eval.passed, "5 and a missing cell are one value");
}

#[test]
fn not_constant_fails_an_all_missing_column() {
    let t = table("c,d\nNA,a\nNA,b\n");
    let ran = run(&t, &check("not_constant", json!({"column": "c"})));
    assert!(!ran.eval.passed);
    assert_eq!(ran.eval.observed, json!(0));
    assert_eq!(ran.eval.message, "`c` is missing in all 2 rows");
}

#[test]
fn not_constant_star_names_the_constant_columns() {
    let t = table("a,b,c\n1,x,7\n2,x,7\n3,x,7\n");
    let ran = run(&t, &check("not_constant", json!({"column": "*"})));
    assert!(!ran.eval.passed);
    assert_eq!(ran.eval.message, "`b` holds only `x`; `c` holds only `7` in all 3 rows");
    let ran = run(&iris(), &check("not_constant", json!({"column": "*"})));
    assert!(ran.eval.passed);
    assert_eq!(ran.eval.observed, json!(3), "species has 3 values");
}

// ---------------------------------------------------------------------------------------
// class_balance

#[test]
fn class_balance_of_penguins_is_the_share_of_chinstrap() {
    // pandas 3.1.1: penguins.species.value_counts() == Adelie 152, Gentoo 124, Chinstrap 68
    let t = penguins();
    let ran =
        run_in(&with_target(&t, "species"), &check("class_balance", json!({"min_minority_ratio": 0.19})));
    assert!(ran.eval.passed);
    assert_close(ran.observed(), 68.0 / 344.0);
    assert_eq!(ran.steps[1].evaluation, "3 classes: Adelie 152, Gentoo 124, Chinstrap 68");
    assert_eq!(ran.var("minority_ratio"), Some("0.1977"));
    assert_asserts(&ran, "minority_ratio >= 0.19", "0.1977 >= 0.19", "PASS");
}

#[test]
fn class_balance_fails_below_the_minimum_ratio() {
    let t = penguins();
    let ran = run(&t, &check("class_balance", json!({"column": "species", "min_minority_ratio": 0.25})));
    assert!(!ran.eval.passed);
    assert_eq!(
        ran.eval.message,
        "the rarest class of `species`, `Chinstrap`, has 68 of 344 rows (19.8%); at least 25% required"
    );
    assert_eq!(ran.last_step().result, "FAIL");
}

#[test]
fn class_balance_skips_missing_labels() {
    let t = table("y,x\na,1\nNA,2\nb,3\nb,4\n");
    let ran = run(&t, &check("class_balance", json!({"column": "y", "min_minority_ratio": 0.3})));
    assert!(ran.eval.passed);
    assert_close(ran.observed(), 1.0 / 3.0);
}

#[test]
fn class_balance_of_a_single_class_is_zero() {
    let t = table("y\na\na\na\n");
    let ran = run(&t, &check("class_balance", json!({"column": "y", "min_minority_ratio": 0.1})));
    assert!(!ran.eval.passed);
    assert_eq!(ran.observed(), 0.0);
    assert!(ran.eval.message.contains("`y` holds a single class (`a`)"), "{}", ran.eval.message);
}

#[test]
fn class_balance_of_an_all_missing_label_says_it_has_no_label() {
    let t = table("y,x\nNA,1\nNA,2\n");
    let ran = run(&t, &check("class_balance", json!({"column": "y", "min_minority_ratio": 0.1})));
    assert!(!ran.eval.passed);
    assert!(ran.eval.message.contains("`y` has no non-missing value"), "{}", ran.eval.message);
}

#[test]
fn class_balance_without_a_target_is_an_error() {
    let t = table("y\na\nb\n");
    let c = check("class_balance", json!({"min_minority_ratio": 0.1}));
    let err = run_err(&t, &c);
    assert!(err.contains("class_balance needs a label column"), "{err}");
    let (err, _) = run_err_in(&with_target(&t, "label"), &c);
    assert!(err.contains("`label`") && err.contains("t.csv"), "{err}");
}

#[test]
fn class_balance_refuses_a_column_of_many_values() {
    let csv: String = std::iter::once("id\n".to_string()).chain((0..60).map(|i| format!("{i}\n"))).collect();
    let err =
        run_err(&table(&csv), &check("class_balance", json!({"column": "id", "min_minority_ratio": 0.1})));
    assert!(err.contains("`id` has 60 distinct values"), "{err}");
}

// ---------------------------------------------------------------------------------------
// no_conflicting_labels

#[test]
fn no_conflicting_labels_passes_consistent_labels() {
    let t = table("x,y\n1,a\n1,a\n2,b\n");
    let ran = run_in(&with_target(&t, "y"), &check("no_conflicting_labels", json!({})));
    assert!(ran.eval.passed);
    assert_eq!(ran.eval.message, "no two rows with the same features have different `y`");
    assert_asserts(&ran, "conflict_ratio <= 0", "0 <= 0", "PASS");
}

#[test]
fn no_conflicting_labels_fails_every_row_of_a_conflicting_group() {
    let t = table("x,y\n1,a\n2,a\n1,b\n");
    let ran = run_in(&with_target(&t, "y"), &check("no_conflicting_labels", json!({})));
    assert!(!ran.eval.passed);
    assert_eq!(ran.failing_lines(), [2, 4]);
    assert_close(ran.observed(), 2.0 / 3.0);
    assert_eq!(ran.var("conflicting"), Some("2"));
    assert_eq!(ran.steps[1].evaluation, "3 labelled rows; 1 groups with more than one label");
    assert_asserts(&ran, "conflict_ratio <= 0", "0.6667 <= 0", "FAIL");
}

#[test]
fn no_conflicting_labels_skips_unlabelled_rows_and_matches_missing_features() {
    let t = table("x,y\n1,a\n1,NA\n");
    let ran = run(&t, &check("no_conflicting_labels", json!({"column": "y"})));
    assert!(ran.eval.passed, "a row without a label conflicts with nothing");
    let t = table("x,z,y\nNA,1,a\nNA,1,b\n2,1,a\n");
    let ran = run(&t, &check("no_conflicting_labels", json!({"column": "y"})));
    assert_eq!(ran.failing_lines(), [2, 3], "missing features are equal");
}

#[test]
fn no_conflicting_labels_reads_only_the_listed_features() {
    let t = table("x,w,y\n1,1,a\n1,2,b\n");
    let all = run(&t, &check("no_conflicting_labels", json!({"column": "y"})));
    assert!(all.eval.passed);
    let listed = run(&t, &check("no_conflicting_labels", json!({"column": "y", "features": ["x"]})));
    assert!(!listed.eval.passed);
}

#[test]
fn no_conflicting_labels_leaves_out_the_suites_dropped_columns() {
    let t = table("id,x,y\n1,1,a\n2,1,b\n");
    let c = check("no_conflicting_labels", json!({}));
    assert!(run_in(&with_target(&t, "y"), &c).eval.passed);
    let drop = ["id".to_string()];
    let ctx = Context { drop: &drop, ..with_target(&t, "y") };
    assert!(!run_in(&ctx, &c).eval.passed, "without `id` the rows conflict");
}

#[test]
fn no_conflicting_labels_without_a_target_is_an_error() {
    let t = table("x,y\n1,a\n");
    let err = run_err(&t, &check("no_conflicting_labels", json!({})));
    assert!(err.contains("no_conflicting_labels needs a label column"), "{err}");
}

// ---------------------------------------------------------------------------------------
// no_target_leakage

/// 60 rows: a text id, a row number, a copy of the label under other names, and a label that
/// does not follow the row order (a fixed pseudo-random sequence).
fn leaky_table() -> Table {
    let mut csv = String::from("id,row,leak,y\n");
    let mut state: u32 = 12345;
    for i in 0..60 {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let label = ["cat", "dog", "eel"][((state >> 16) % 3) as usize];
        let leak = label.to_uppercase();
        csv.push_str(&format!("u{i},{i},{leak},{label}\n"));
    }
    table(&csv)
}

#[test]
fn no_target_leakage_scores_a_copy_of_the_target_1() {
    let t = leaky_table();
    let ran = run_in(&with_target(&t, "y"), &check("no_target_leakage", json!({"max_score": 0.9})));
    assert!(!ran.eval.passed);
    assert_eq!(ran.eval.observed, json!({"feature": "leak", "score": 1.0}));
    assert_eq!(ran.var("feature"), Some("leak"));
    assert_eq!(ran.var("max_score"), Some("1"));
    assert_eq!(
        ran.eval.message,
        "`leak` alone predicts `y` with score 1 (above 0.9): check it is not derived from the target"
    );
    assert_asserts(&ran, "max_score <= 0.9", "1 <= 0.9", "FAIL");
}

#[test]
fn no_target_leakage_does_not_score_an_id_column_high() {
    let t = leaky_table();
    let ran = run_in(
        &with_target(&t, "y"),
        &check("no_target_leakage", json!({"max_score": 0.2, "features": ["id", "row"]})),
    );
    assert!(ran.eval.passed, "{}", ran.eval.message);
    let score = ran.eval.observed["score"].as_f64().unwrap();
    assert!(score <= 0.2, "an id is no predictor: {score}");
    let id = ran.steps.iter().find(|s| s.action == "score_feature(id → y)").unwrap();
    assert_eq!(id.result, "score = 0", "unique ids never repeat in held-out rows");
}

#[test]
fn no_target_leakage_skips_unlabelled_rows() {
    // Eight labelled rows in which `leak` decides `y`: whichever half learns, the other is
    // predicted right; the two unlabelled rows are left out, not learnt as a label.
    let t = table("leak,y\nA,a\nA,a\nA,NA\nB,b\nB,b\nA,a\nA,a\nB,NA\nB,b\nB,b\n");
    let ran = run(&t, &check("no_target_leakage", json!({"column": "y", "max_score": 0.9})));
    assert_eq!(ran.eval.observed["score"], json!(1.0));
}

#[test]
fn no_target_leakage_needs_enough_labelled_rows() {
    let t = table("x,y\n1,a\n2,b\n3,NA\n");
    let err = run_err(&t, &check("no_target_leakage", json!({"column": "y", "max_score": 0.9})));
    assert_eq!(err, "`y` has 2 labelled rows: too few to score features");
}

#[test]
fn no_target_leakage_regression_needs_a_numeric_target() {
    let t = table("x,y\n1,a\n2,b\n3,a\n4,b\n");
    let ctx = Context { task: Some(Task::Regression), ..with_target(&t, "y") };
    let (err, _) = run_err_in(&ctx, &check("no_target_leakage", json!({"max_score": 0.9})));
    assert_eq!(err, "`y` is a category column: a regression target must be numeric");
}

#[test]
fn no_target_leakage_finds_a_leak_in_labels_that_alternate() {
    // Regression: the halves were once the even and the odd rows, so with labels a, b, a, b
    // the learning half held only `a` and a perfect copy of the target scored 0.
    let csv: String = std::iter::once("copy,y\n".to_owned())
        .chain((0..40).map(|i| if i % 2 == 0 { "A,a\n".to_owned() } else { "B,b\n".to_owned() }))
        .collect();
    let t = table(&csv);
    let ran = run(&t, &check("no_target_leakage", json!({"column": "y", "max_score": 0.9})));
    assert!(!ran.eval.passed, "{}", ran.eval.message);
    assert_eq!(ran.eval.observed["score"], json!(1.0));
}

// ---------------------------------------------------------------------------------------
// Failure counts

#[test]
fn row_level_kinds_count_their_failing_rows_whatever_the_status() {
    // Every test below passes within its tolerance, and still counts each row that fails its
    // condition, as Great Expectations' `unexpected_count` does. A passing `not_null` with
    // `max_missing_ratio` once reported 0.
    let t = table("id,x,s,y\n1,5,ab,p\n2,,ab,p\n2,50,cd,q\n4,7,??,p\n5,8,ef,p\n5,8,ef,p\n");
    let ctx = with_target(&t, "y");
    for (kind, params, failing) in [
        ("not_null", json!({"column": "x", "max_missing_ratio": 0.5}), 1),
        ("not_null", json!({"column": "*", "max_missing_ratio": 0.5}), 1),
        ("values_between", json!({"column": "x", "min": 0, "max": 10, "mostly": 0.5}), 1),
        ("values_in_set", json!({"column": "s", "allowed": ["ab", "cd", "ef"], "mostly": 0.5}), 1),
        ("unique", json!({"column": "id", "mostly": 0.1}), 4),
        ("matches_regex", json!({"column": "s", "pattern": "^[a-z]+$", "mostly": 0.5}), 1),
        ("no_duplicate_rows", json!({"max_ratio": 0.5}), 1),
        ("no_conflicting_labels", json!({"features": ["id"], "max_ratio": 0.5}), 2),
        // A column passes `column_type` only when every value reads as the type: none fails.
        ("column_type", json!({"column": "id", "type": "float"}), 0),
    ] {
        let ran = run_in(&ctx, &check(kind, params.clone()));
        assert!(ran.eval.passed, "{kind} {params}: {}", ran.eval.message);
        assert_eq!(ran.failure_count(), failing, "{kind} {params}");
        assert_eq!(ran.failing_lines().len(), failing, "{kind} {params}");
    }
}

#[test]
fn not_null_star_lists_the_columns_over_the_limit_first_and_counts_every_missing_cell() {
    let t = table("a,b\n,1\n2,\n3,\n4,5\n");
    let ran = run(&t, &check("not_null", json!({"column": "*", "max_missing_ratio": 0.25})));
    assert!(!ran.eval.passed);
    // `b` (2 of 4) is over the limit, `a` (1 of 4) within it: all three cells count.
    assert_eq!(ran.failure_count(), 3);
    assert_eq!(ran.failing_lines(), [3, 4, 2]);
}

mod equality;
mod scale;
