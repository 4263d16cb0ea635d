//! The kinds of `data/values.rs`, on tables read by the real CSV reader.

use super::*;

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
