//! The kinds of `unit/encode.rs`, run through the real runner on the bundled samples.

use super::*;

// ---------------------------------------------------------------------------------------
// one_hot_width

#[test]
fn one_hot_width_counts_levels_from_the_table() {
    let test = run_one(&penguins(), "one_hot_width", json!({"expected": 10}));
    assert_status(&test, Status::Pass);
    assert_eq!(step(&test, "count_levels(train)").result, "island: 3 levels, sex: 2 levels");
    assert_eq!(step(&test, "expected_width()").evaluation, "numeric + Σ levels = 5 + 3 + 2");
    assert_last(
        &test,
        "width == 10 (from the table) and width == 10 (expected)",
        "10 == 10, 10 == 10",
        "PASS",
    );
    assert_eq!(test.observed, json!(10));
    let test = run_one(&iris(), "one_hot_width", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(step(&test, "count_levels(train)").result, "no category column");
    assert_eq!(test.observed, json!(4));
}

#[test]
fn one_hot_width_counts_only_train_levels() {
    // `green` is on one line only; seed 0 puts it in the test part, where it encodes as zeros.
    let mut csv = String::from("c,x,y\n");
    for i in 0..19 {
        csv.push_str(&format!(
            "{},{i},{}\n",
            if i % 2 == 0 { "red" } else { "blue" },
            if i % 3 == 0 { "a" } else { "b" }
        ));
    }
    csv.push_str("green,19,a\n");
    let base = with(
        inline(&csv, json!({"test_size": 0.25, "seed": 0})),
        json!({"preprocess": [{"scale": "standard"}, {"one_hot": "auto"}]}),
    );
    let test = run_one(&base, "one_hot_width", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(step(&test, "count_levels(train)").result, "c: 2 levels");
    assert_eq!(test.observed, json!(3));
}

#[test]
fn one_hot_width_fails_on_a_wrong_expectation() {
    let test = run_one(&penguins(), "one_hot_width", json!({"expected": 12}));
    assert_status(&test, Status::Fail);
    assert_last(
        &test,
        "width == 10 (from the table) and width == 12 (expected)",
        "10 == 10, 10 == 12",
        "FAIL",
    );
    assert!(test.message.ends_with(": the suite expects 12"), "{}", test.message);
}
