//! The kinds of `data/stats.rs`, on tables read by the real CSV reader.

use super::*;

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
fn column_stat_quantile_takes_numpys_interpolation_methods() {
    // GX 1.24.1 on pandas 3.1.1: expect_column_quantile_values_to_be_between reads
    // penguins.bill_length_mm.quantile([0.1, 0.5, 0.9], interpolation="nearest") =
    // [36.6, 44.4, 50.8] (linear gives 44.45 for the median).
    for (q, expected) in [(0.1, 36.6), (0.5, 44.4), (0.9, 50.8)] {
        let params = json!({"column": "bill_length_mm", "stat": "quantile", "q": q,
                            "interpolation": "nearest", "min": 0});
        let ran = run(&penguins(), &check("column_stat_between", params));
        assert_close(ran.observed(), expected);
        assert_eq!(ran.steps[1].action, format!("quantile(bill_length_mm, q={q}, nearest)"));
    }
    // pandas 3.1.1: iris.sepal_length.quantile(0.3, interpolation=m).
    for (method, expected) in
        [("lower", 5.2), ("higher", 5.3), ("midpoint", 5.25), ("linear", 5.27), ("nearest", 5.3)]
    {
        let params = json!({"column": "sepal_length", "stat": "quantile", "q": 0.3,
                            "interpolation": method, "min": 0});
        assert_close(run(&iris(), &check("column_stat_between", params)).observed(), expected);
    }
}

#[test]
fn column_stat_between_with_rtol_passes_a_statistic_close_to_a_bound() {
    // The mean 5.843333 is 0.00033 above 5.843: within 1e-8 + 1e-4 × 5.843 = 0.00058.
    let params = json!({"column": "sepal_length", "stat": "mean", "max": 5.843, "rtol": 1e-4});
    let ran = run(&iris(), &check("column_stat_between", params));
    assert!(ran.eval.passed, "{}", ran.eval.message);
    assert_eq!(
        ran.eval.message,
        "the mean of `sepal_length` is 5.8433, within the tolerance of (-inf, 5.843]"
    );
    assert_asserts(&ran, "mean <= 5.843 (rtol 0.0001)", "5.8433 <= 5.843 (rtol 0.0001)", "PASS");
    let tight = json!({"column": "sepal_length", "stat": "mean", "max": 5.843, "rtol": 1e-5});
    assert!(!run(&iris(), &check("column_stat_between", tight)).eval.passed);
    let none = json!({"column": "sepal_length", "stat": "mean", "max": 5.843});
    assert!(!run(&iris(), &check("column_stat_between", none)).eval.passed);
}

#[test]
fn column_stat_interpolation_is_for_quantiles_and_rtol_is_not_negative() {
    let invalid =
        |params: Value| Check::from_params("column_stat_between", params).unwrap().unwrap().validate();
    let err =
        invalid(json!({"column": "a", "stat": "mean", "interpolation": "nearest", "min": 0})).unwrap_err();
    assert_eq!(err.field, "interpolation");
    let err = invalid(json!({"column": "a", "stat": "mean", "rtol": -0.1, "min": 0})).unwrap_err();
    assert_eq!(err.field, "rtol");
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
