//! The kinds of `data/columns.rs`, on tables read by the real CSV reader.

use super::*;

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
fn not_null_mostly_is_the_share_present_compared_as_great_expectations_does() {
    // 1 missing in 10: GX 1.24.1's expect_column_values_to_not_be_null(mostly=0.9) passes
    // ((10 - 1) / 10 >= 0.9); `max_missing_ratio: 1 - 0.9` (0.09999999999999998) would not.
    let t = table(&format!("a\n{}NA\n", "1\n".repeat(9)));
    let ran = run(&t, &check("not_null", json!({"column": "a", "mostly": 0.9})));
    assert!(ran.eval.passed, "{}", ran.eval.message);
    assert_eq!(ran.failure_count(), 1);
    assert_asserts(&ran, "present_ratio >= 0.9", "0.9 >= 0.9", "PASS");
    let converted = run(&t, &check("not_null", json!({"column": "a", "max_missing_ratio": 1.0 - 0.9})));
    assert!(!converted.eval.passed);
    let over = run(&t, &check("not_null", json!({"column": "a", "mostly": 0.95})));
    assert!(!over.eval.passed);
    assert_eq!(over.eval.message, "1 of 10 values in `a` are missing (10%); at least 95% must be present");
    let all = run(&t, &check("not_null", json!({"column": "*", "mostly": 0.95})));
    assert!(!all.eval.passed);
    assert!(all.eval.message.contains("than the 5% allowed"), "{}", all.eval.message);
}

#[test]
fn not_null_takes_mostly_or_max_missing_ratio_not_both() {
    let both =
        Check::from_params("not_null", json!({"column": "a", "mostly": 0.9, "max_missing_ratio": 0.1}))
            .unwrap()
            .unwrap();
    assert_eq!(both.validate().unwrap_err().field, "mostly");
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
