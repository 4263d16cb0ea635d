//! The kinds of `threshold/time.rs`, run as a suite runs them.

use super::*;

// ---------------------------------------------------------------------------------------
// time_budget

#[test]
fn time_budget_passes_a_generous_training_budget() {
    let t = one(iris, json!({"kind": "time_budget", "phase": "train", "max_ms": 60000}));
    assert_status(&t, Status::Pass);
    assert_eq!(t.steps[1].action, "time(train_model())");
    assert!(observed(&t) > 0.0);
}

#[test]
fn time_budget_fails_a_budget_no_model_can_meet() {
    for phase in ["train", "predict_per_row"] {
        let t = one(iris, json!({"kind": "time_budget", "phase": phase, "max_ms": 1e-12}));
        assert_status(&t, Status::Fail);
        assert!(t.message.ends_with("over the budget of 1.00e-12 ms"), "{}", t.message);
    }
}

#[test]
fn time_budget_per_row_repeats_fast_predictions() {
    let t = one(iris, json!({"kind": "time_budget", "phase": "predict_per_row", "max_ms": 1000}));
    assert_status(&t, Status::Pass);
    assert_eq!(t.steps[1].action, "time(predict(X_test))");
    assert!(t.steps[1].evaluation.contains(" × 30 test rows in "), "{}", t.steps[1].evaluation);
    assert!(var(&t, "per_row_ms").is_some());
}

#[test]
fn time_budget_refuses_no_budget() {
    let err = param_error(iris, json!({"kind": "time_budget", "phase": "train", "max_ms": 0}));
    assert_param_error(&err, "max_ms", "no budget");
    let err = param_error(iris, json!({"kind": "time_budget", "phase": "inference", "max_ms": 5}));
    assert_param_error(&err, "phase", "inference");
}
