//! The kinds of `unit/impute.rs`, run through the real runner on the bundled samples.

use super::*;

// ---------------------------------------------------------------------------------------
// imputer_fills_all

#[test]
fn imputer_fills_all_counts_the_filled_cells_of_penguins() {
    let test = run_one(&penguins(), "imputer_fills_all", json!({}));
    assert_status(&test, Status::Pass);
    // pandas: penguins.isna().sum() → 2 in each measurement, 11 in sex.
    assert_eq!(
        test.observed,
        json!({"missing": 19, "filled": 19, "columns": {
            "bill_length_mm": 2, "bill_depth_mm": 2, "flipper_length_mm": 2, "body_mass_g": 2, "sex": 11
        }})
    );
    assert_eq!(
        step(&test, "count_missing(features)").result,
        "missing = 19 in 5 columns: bill_length_mm 2, bill_depth_mm 2, flipper_length_mm 2, body_mass_g 2, sex 11"
    );
    assert_eq!(step(&test, "transform(train, test) with impute mean").result, "NaN = 0, filled = 19 of 19");
    assert_last(
        &test,
        "no input is missing after preprocessing",
        "0 NaN, 19 of 19 missing cells filled",
        "PASS",
    );
}

#[test]
fn imputer_fills_all_passes_when_nothing_is_missing() {
    let test = run_one(&iris(), "imputer_fills_all", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(test.observed["missing"], 0);
    assert!(test.message.contains("no feature cell of the 150 labelled rows is missing"), "{}", test.message);
}

#[test]
fn imputer_fills_all_without_an_imputer_does_not_pass() {
    let base = with(penguins(), json!({"preprocess": [{"scale": "standard"}, {"one_hot": "auto"}]}));
    // Through the runner: the suite's pipeline stops at preprocess, and this test, which runs
    // the stages up to preprocessing itself, fails with its own table (it is not skipped as
    // the tests that read the trained model are); the run also errors, naming the column.
    let report = run_suite(&base, json!([{"id": "t", "kind": "imputer_fills_all"}]));
    assert_status(find(&report, "t"), Status::Fail);
    let pipeline = find(&report, "pipeline");
    assert_status(pipeline, Status::Error);
    assert!(pipeline.message.contains("`bill_length_mm` is missing on line"), "{}", pipeline.message);

    // Run on its own, the test runs the stages itself and fails naming the column and line.
    let suite = suite(&base, json!([]));
    let table = table_of(&suite);
    let ctx = Context {
        target: suite.target.as_deref(),
        task: suite.task,
        pipeline: suite.pipeline.as_ref(),
        ..Context::new(&table)
    };
    let mut trace = Trace::default();
    let eval = check("imputer_fills_all", json!({})).run(&ctx, &mut trace).unwrap();
    assert!(!eval.passed);
    assert!(
        eval.message.starts_with(
            "the preprocessor leaves missing cells unfilled: `bill_length_mm` is missing on line"
        ),
        "{}",
        eval.message
    );
    let failures = eval.failures.unwrap();
    assert_eq!(failures.count, 19);
    assert_eq!((failures.sample[0].line, failures.sample[0].column.as_str()), (5, "bill_length_mm"));
    let (steps, _) = trace.finish();
    assert_eq!(steps.last().unwrap().evaluation, "transform failed: 0 of 19 missing cells filled");
    assert_eq!(steps.last().unwrap().result, "FAIL");
}
