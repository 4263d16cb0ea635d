//! The kinds of `data/labels.rs`, on tables read by the real CSV reader.

use super::*;

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
