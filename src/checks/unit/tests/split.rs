//! The kinds of `unit/split.rs`, run through the real runner on the bundled samples.

use super::*;

// ---------------------------------------------------------------------------------------
// split_sizes

#[test]
fn split_sizes_default_to_ceil_of_test_size() {
    let test = run_one(&iris(), "split_sizes", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(step(&test, "expected_sizes()").evaluation, "ceil(0.2 × 150) = 30 test rows, the rest train");
    assert_last(
        &test,
        "train == 120 and test == 30 and train + test == 150",
        "120 == 120, 30 == 30, 150 == 150",
        "PASS",
    );
    assert_eq!(test.observed, json!({"train": 120, "test": 30}));
    // 0.2 × 344 = 68.8 → 69 test rows; 0.25 × 150 = 37.5 → 38 (scikit-learn's counts).
    let test = run_one(&penguins(), "split_sizes", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(test.observed, json!({"train": 275, "test": 69}));
    let quarter = with(iris(), json!({"split": {"test_size": 0.25, "seed": 3}}));
    let test = run_one(&quarter, "split_sizes", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(test.observed, json!({"train": 112, "test": 38}));
}

#[test]
fn split_sizes_fails_on_wrong_expectations() {
    let test = run_one(&iris(), "split_sizes", json!({"expected_train": 100, "expected_test": 50}));
    assert_status(&test, Status::Fail);
    assert_eq!(
        test.message,
        "the split is not the expected size: 120 train rows, 100 expected; 30 test rows, 50 expected"
    );
    assert_last(
        &test,
        "train == 100 and test == 50 and train + test == 150",
        "120 == 100, 30 == 50, 150 == 150",
        "FAIL",
    );
    // Only the train count given: the test count is still ceil(test_size × n).
    let test = run_one(&iris(), "split_sizes", json!({"expected_train": 121}));
    assert_status(&test, Status::Fail);
    assert_eq!(test.message, "the split is not the expected size: 120 train rows, 121 expected");
}

// ---------------------------------------------------------------------------------------
// split_no_overlap

#[test]
fn split_no_overlap_passes_when_no_test_row_repeats_a_train_row() {
    let test = run_one(&penguins(), "split_no_overlap", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(step(&test, "hash_rows(train)").evaluation, "275 train rows × (7 features + target)");
    assert_last(&test, "overlap_ratio <= 0", "0 <= 0", "PASS");
    // Iris lines 103 and 144 are the same flower; seed 42 keeps both in one part.
    let test = run_one(&iris(), "split_no_overlap", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(step(&test, "hash_rows(train)").result, "119 distinct rows");
}

#[test]
fn split_no_overlap_fails_when_iris_duplicates_fall_in_both_parts() {
    // With seed 10, line 144 is a test row and its twin, line 103, a train row.
    let base = with(iris(), json!({"split": {"test_size": 0.2, "seed": 10, "stratify": true}}));
    let test = run_one(&base, "split_no_overlap", json!({}));
    assert_status(&test, Status::Fail);
    assert_eq!(failing_lines(&test), [144]);
    let cell = &test.failures.as_ref().unwrap().sample[0];
    assert_eq!((cell.column.as_str(), cell.value.as_str()), ("*", "same as train line 103"));
    assert_eq!(step(&test, "find_in_train(test)").result, "overlap = 1");
    assert_eq!(var(&test, "overlap"), "1");
    assert!(test.message.starts_with("1 of 30 test rows (3.3%) repeat a train row"), "{}", test.message);
    assert!(test.message.ends_with("First: line 144 (same as train line 103)"), "{}", test.message);
    // With seed 20 it is the other way round.
    let base = with(iris(), json!({"split": {"test_size": 0.2, "seed": 20, "stratify": true}}));
    let test = run_one(&base, "split_no_overlap", json!({}));
    assert_eq!(failing_lines(&test), [103]);
    // max_overlap_ratio allows it.
    let base = with(iris(), json!({"split": {"test_size": 0.2, "seed": 10, "stratify": true}}));
    let test = run_one(&base, "split_no_overlap", json!({"max_overlap_ratio": 0.05}));
    assert_status(&test, Status::Pass);
}

#[test]
fn split_no_overlap_compares_features_and_target_only() {
    // Rows 1 and 2 differ only in the dropped id: the same content, so they overlap when split.
    let mut csv = String::from("id,x,y\n");
    for i in 0..20 {
        csv.push_str(&format!(
            "{i},{},{}\n",
            if i < 2 { 5 } else { i * 10 },
            if i % 2 == 0 { "a" } else { "b" }
        ));
    }
    csv = csv.replace("1,5,b", "1,5,a");
    let mut apart = None;
    for seed in 0..50 {
        let base = with(inline(&csv, json!({"test_size": 0.25, "seed": seed})), json!({"drop": ["id"]}));
        let test = run_one(&base, "split_no_overlap", json!({}));
        if test.status == Status::Fail {
            apart = Some(test);
            break;
        }
    }
    let test = apart.expect("some seed puts lines 2 and 3 in different parts");
    let lines = failing_lines(&test);
    assert!(lines == [2] || lines == [3], "{lines:?}");
}

// ---------------------------------------------------------------------------------------
// split_label_coverage

#[test]
fn split_label_coverage_passes_on_iris() {
    let test = run_one(&iris(), "split_label_coverage", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(step(&test, "classes(train)").result, "3 classes: setosa, versicolor, virginica");
    assert_last(&test, "classes(test) ⊆ classes(train)", "every test class is in train", "PASS");
    assert_eq!(test.observed, json!([]));
}

/// 20 rows: 10 `a`, 9 `b` and one `c` on the last line (21).
fn rare_class_csv() -> String {
    let mut csv = String::from("x,y\n");
    for i in 0..19 {
        csv.push_str(&format!("{i},{}\n", if i % 2 == 0 { "a" } else { "b" }));
    }
    csv.push_str("19,c\n");
    csv
}

#[test]
fn split_label_coverage_fails_when_a_rare_class_is_only_in_test() {
    // Seed 0 puts the one `c` row in the test part.
    let base = inline(&rare_class_csv(), json!({"test_size": 0.25, "seed": 0}));
    let test = run_one(&base, "split_label_coverage", json!({}));
    assert_status(&test, Status::Fail);
    assert_eq!(test.observed, json!(["c"]));
    assert_eq!(failing_lines(&test), [21]);
    assert_last(&test, "classes(test) ⊆ classes(train)", "not in train: `c`", "FAIL");
    assert!(
        test.message.starts_with("1 of the 3 test classes never occur in the train part (`c`)"),
        "{}",
        test.message
    );
    // Seed 1 keeps it in train.
    let base = inline(&rare_class_csv(), json!({"test_size": 0.25, "seed": 1}));
    assert_status(&run_one(&base, "split_label_coverage", json!({})), Status::Pass);
}

#[test]
fn split_label_coverage_is_an_error_for_regression() {
    let test = run_one(&diabetes(), "split_label_coverage", json!({}));
    assert_status(&test, Status::Error);
    assert!(
        test.message.starts_with("split_label_coverage compares classes; the suite's task is regression"),
        "{}",
        test.message
    );
}

// ---------------------------------------------------------------------------------------
// split_stratified

#[test]
fn split_stratified_passes_with_a_stratified_split() {
    let test = run_one(&iris(), "split_stratified", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(step(&test, "class_shares(all)").result, "setosa 33.3%, versicolor 33.3%, virginica 33.3%");
    assert_eq!(step(&test, "class_shares(test)").result, "setosa 33.3%, versicolor 33.3%, virginica 33.3%");
    assert_eq!(test.observed.as_f64(), Some(0.0));
    let test = run_one(&penguins(), "split_stratified", json!({"tol": 0.01}));
    assert_status(&test, Status::Pass);
}

#[test]
fn split_stratified_fails_without_stratify() {
    // Seed 1 without stratify puts 14 setosa, 3 versicolor and 13 virginica in the test part.
    let base = with(iris(), json!({"split": {"test_size": 0.2, "seed": 1}}));
    let test = run_one(&base, "split_stratified", json!({}));
    assert_status(&test, Status::Fail);
    assert_eq!(step(&test, "class_shares(test)").result, "setosa 46.7%, versicolor 10%, virginica 43.3%");
    let gap = test.observed.as_f64().unwrap();
    assert!((gap - (1.0 / 3.0 - 0.1)).abs() < 1e-12, "{gap}");
    assert_last(&test, "max |share − overall share| <= 0.05", "0.2333 <= 0.05 (versicolor in test)", "FAIL");
    assert!(
        test.message.starts_with("with a split without `stratify`, `versicolor` makes up 10% of the test rows but 33.3% of all rows: 23.3 percentage points apart"),
        "{}",
        test.message
    );
}

#[test]
fn split_stratified_is_an_error_for_regression() {
    assert_status(&run_one(&diabetes(), "split_stratified", json!({})), Status::Error);
}
