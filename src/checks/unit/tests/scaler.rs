//! The kinds of `unit/scaler.rs`, run through the real runner on the bundled samples.

use super::*;

// ---------------------------------------------------------------------------------------
// scaler_standardizes

#[test]
fn scaler_standardizes_passes_on_iris() {
    let test = run_one(&iris(), "scaler_standardizes", json!({}));
    assert_status(&test, Status::Pass);
    let s = step(&test, "standardize(train)");
    assert_eq!(s.evaluation, "4 numeric inputs on 120 rows");
    assert!(s.result.starts_with("max |mean| = "), "{}", s.result);
    assert!(test.observed["max_abs_mean"].as_f64().unwrap() < 1e-12);
    assert!(test.observed["max_abs_std_error"].as_f64().unwrap() < 1e-12);
    assert_eq!(test.steps[0].result, "X_train 120 × 4 (4 numeric, 0 one-hot)");
    assert_eq!(test.steps.last().unwrap().action, "assert |mean| <= 1e-6 and |std − 1| <= 1e-6");
    assert_eq!(test.steps.last().unwrap().result, "PASS");
    assert_eq!(var(&test, "X_train"), "120 × 4");
    assert!(test.message.starts_with("after standard scaling, the 4 numeric inputs of the 120 train rows have mean 0 and std 1 within 1e-6"), "{}", test.message);
}

#[test]
fn scaler_standardizes_reads_only_the_numeric_inputs_of_penguins() {
    let test = run_one(&penguins(), "scaler_standardizes", json!({"tol": 1e-9}));
    assert_status(&test, Status::Pass);
    // 4 measurements and year; the 5 one-hot inputs of island and sex are not scaled.
    assert_eq!(step(&test, "standardize(train)").evaluation, "5 numeric inputs on 275 rows");
    assert_eq!(test.steps[0].result, "X_train 275 × 10 (5 numeric, 5 one-hot)");
    assert_eq!(test.observed["inputs"], 5);
}

#[test]
fn scaler_standardizes_reports_and_skips_a_constant_input() {
    let csv = "x,k,y\n1,7,a\n2,7,b\n3,7,a\n4,7,b\n5,7,a\n6,7,b\n7,7,a\n8,7,b\n9,7,a\n10,7,b\n";
    let base = inline(csv, json!({"test_size": 0.2, "seed": 1}));
    let test = run_one(&base, "scaler_standardizes", json!({}));
    assert_status(&test, Status::Pass);
    let s = step(&test, "find_constant_inputs(train)");
    assert_eq!(s.result, "skipped 1 constant (scale 1): `k`");
    assert_eq!(step(&test, "standardize(train)").evaluation, "1 numeric inputs on 8 rows");
    assert!(test.message.ends_with("; skipped 1 constant (scale 1): `k`"), "{}", test.message);
    assert_eq!(test.observed["constant"], json!(["k"]));
}

#[test]
fn scaler_standardizes_fails_on_a_scaler_that_does_not_standardize() {
    // The scaler's output of one input doubled and shifted: mean 0.5 and std 2.
    let suite = suite(&iris(), json!([]));
    let table = table_of(&suite);
    let mut trained = train(&table, suite.pipeline.as_ref().unwrap()).unwrap();
    trained.fitted.x_train.column_mut(2).mapv_inplace(|v| v * 2.0 + 0.5);
    let eval = run_on(&table, &suite, trained, &check("scaler_standardizes", json!({})));
    assert!(!eval.passed);
    assert!(
        eval.message
            .contains("`petal_length` has mean 0.5 and std 2 on the 120 train rows, not 0 and 1 within 1e-6"),
        "{}",
        eval.message
    );
    assert!(eval.message.contains("(1 of 4 inputs are off)"), "{}", eval.message);
    assert!((eval.observed["max_abs_std_error"].as_f64().unwrap() - 1.0).abs() < 1e-12);
}

#[test]
fn scaler_standardizes_is_an_error_without_a_standard_scaler() {
    let minmax = with(iris(), json!({"preprocess": [{"scale": "minmax"}]}));
    let test = run_one(&minmax, "scaler_standardizes", json!({}));
    assert_status(&test, Status::Error);
    assert!(
        test.message
            .starts_with("the suite scales with {\"scale\": \"minmax\"}, not {\"scale\": \"standard\"}"),
        "{}",
        test.message
    );
    let none = with(iris(), json!({"preprocess": null}));
    let test = run_one(&none, "scaler_standardizes", json!({}));
    assert_status(&test, Status::Error);
    assert_eq!(
        test.message,
        "the suite's `preprocess` has no {\"scale\": \"standard\"} step: add it, or remove this test"
    );
    assert_eq!(test.steps.len(), 1);
    assert_eq!(
        (test.steps[0].action.as_str(), test.steps[0].evaluation.as_str(), test.steps[0].result.as_str()),
        ("find_scaler(standard)", "no preprocessing", "ERROR")
    );
}

// ---------------------------------------------------------------------------------------
// scaler_range

#[test]
fn scaler_range_passes_with_minmax_scaling() {
    let base = with(
        penguins(),
        json!({"preprocess": [{"impute": "median"}, {"scale": "minmax"}, {"one_hot": "auto"}]}),
    );
    let test = run_one(&base, "scaler_range", json!({"tol": 0}));
    assert_status(&test, Status::Pass);
    let s = step(&test, "minmax(train)");
    assert_eq!(s.evaluation, "5 numeric inputs on 275 rows");
    assert_eq!(s.result, "min = 0, max = 1; max |min − 0| = 0, max |max − 1| = 0");
    assert_last(&test, "|min| <= 0 and |max − 1| <= 0", "0 <= 0, 0 <= 0", "PASS");
    assert_eq!((var(&test, "min"), var(&test, "max")), ("0", "1"));
}

#[test]
fn scaler_range_fails_on_a_scaler_that_misses_the_unit_interval() {
    let base = with(iris(), json!({"preprocess": [{"scale": "minmax"}]}));
    let suite = suite(&base, json!([]));
    let table = table_of(&suite);
    let mut trained = train(&table, suite.pipeline.as_ref().unwrap()).unwrap();
    trained.fitted.x_train.column_mut(0).mapv_inplace(|v| v * 0.5);
    let eval = run_on(&table, &suite, trained, &check("scaler_range", json!({})));
    assert!(!eval.passed);
    assert!(
        eval.message.contains("`sepal_length` runs from 0 to 0.5 on the 120 train rows"),
        "{}",
        eval.message
    );
}

#[test]
fn scaler_range_is_an_error_with_standard_scaling() {
    let test = run_one(&iris(), "scaler_range", json!({}));
    assert_status(&test, Status::Error);
    assert!(test.message.contains("not {\"scale\": \"minmax\"}"), "{}", test.message);
}

// ---------------------------------------------------------------------------------------
// scaler_inverse_roundtrip

#[test]
fn scaler_inverse_roundtrip_passes_on_train_and_test() {
    for base in [iris(), penguins(), diabetes(), with(iris(), json!({"preprocess": [{"scale": "minmax"}]}))] {
        let test = run_one(&base, "scaler_inverse_roundtrip", json!({}));
        assert_status(&test, Status::Pass);
        assert!(test.observed.as_f64().unwrap() <= 1e-9);
        assert_eq!(test.steps[0].action, "inverse_scale(transform(train))");
        assert_eq!(test.steps[1].action, "inverse_scale(transform(test))");
    }
    let test = run_one(&iris(), "scaler_inverse_roundtrip", json!({}));
    assert_eq!(test.steps[0].evaluation, "120 train rows × 4 inputs against transform_unscaled(train)");
    assert!(test.message.contains("every one of the 600 input values"), "{}", test.message);
}

#[test]
fn scaler_inverse_roundtrip_fails_naming_the_cell_that_does_not_come_back() {
    let suite = suite(&iris(), json!([]));
    let table = table_of(&suite);
    let mut trained = train(&table, suite.pipeline.as_ref().unwrap()).unwrap();
    trained.fitted.x_test[[0, 1]] += 0.5;
    let first_test_line = trained.prepared.line(trained.split.test[0]);
    let eval = run_on(&table, &suite, trained, &check("scaler_inverse_roundtrip", json!({})));
    assert!(!eval.passed);
    let failures = eval.failures.unwrap();
    assert_eq!(failures.count, 1);
    assert_eq!(
        (failures.sample[0].line, failures.sample[0].column.as_str()),
        (first_test_line, "sepal_width")
    );
    assert!(eval.message.contains("misses 1 of 600 input values by more than 1e-9"), "{}", eval.message);
}

#[test]
fn scaler_inverse_roundtrip_is_an_error_without_scaling() {
    let test = run_one(&with(iris(), json!({"preprocess": null})), "scaler_inverse_roundtrip", json!({}));
    assert_status(&test, Status::Error);
    assert!(test.message.starts_with("the suite's `preprocess` has no `scale` step"), "{}", test.message);
}
