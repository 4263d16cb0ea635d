//! The kinds of `data/rows.rs`, on tables read by the real CSV reader.

use super::*;

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
