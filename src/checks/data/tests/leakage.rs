//! The kinds of `data/leakage.rs`, on tables read by the real CSV reader.

use super::*;

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
