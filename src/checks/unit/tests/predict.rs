//! The kinds of `unit/predict.rs`, run through the real runner on the bundled samples.

use super::*;
use crate::pipeline::model::Output;

// ---------------------------------------------------------------------------------------
// predict_batch_invariance

#[test]
fn predict_batch_invariance_holds_for_every_model() {
    let models = [
        json!({"kind": "logistic_regression"}),
        json!({"kind": "decision_tree", "max_depth": 3}),
        json!({"kind": "gaussian_nb"}),
        json!({"kind": "knn", "k": 5}),
        json!({"kind": "svm"}),
    ];
    for model in models {
        let base = with(iris(), json!({"model": model}));
        let test = run_one(&base, "predict_batch_invariance", json!({}));
        assert_status(&test, Status::Pass);
        assert_eq!(step(&test, "predict(X_test[i]) for each i").evaluation, "30 calls on 1 × 4 matrices");
        assert_eq!(var(&test, "differing"), "0");
    }
    for base in [penguins(), diabetes(), with(diabetes(), json!({"model": {"kind": "ridge"}}))] {
        let test = run_one(&base, "predict_batch_invariance", json!({}));
        assert_status(&test, Status::Pass);
    }
    let test = run_one(&diabetes(), "predict_batch_invariance", json!({}));
    assert!(step(&test, "compare(batch, one by one)").result.starts_with("max |Δ| = "));
}

// ---------------------------------------------------------------------------------------
// prediction_shape

#[test]
fn prediction_shape_passes_for_classes_and_values() {
    let test = run_one(&penguins(), "prediction_shape", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(
        step(&test, "check_labels(predictions)").evaluation,
        "3 known classes: Adelie, Chinstrap, Gentoo"
    );
    assert_eq!(step(&test, "sum(proba, axis = 1)").evaluation, "69 rows × 3 classes");
    assert_eq!(test.observed, json!({"predictions": 69, "test_rows": 69}));
    let test = run_one(&diabetes(), "prediction_shape", json!({}));
    assert_status(&test, Status::Pass);
    assert_eq!(step(&test, "check_finite(predictions)").result, "not finite = 0");
    assert_last(
        &test,
        "one finite value per test row",
        "89 predictions for 89 rows, all well formed",
        "PASS",
    );
}

#[test]
fn prediction_shape_fails_on_malformed_predictions() {
    let suite = suite(&iris(), json!([]));
    let table = table_of(&suite);
    let mut trained = train(&table, suite.pipeline.as_ref().unwrap()).unwrap();
    let second_line = trained.prepared.line(trained.split.test[1]);
    if let Output::Classes { labels, proba } = &mut trained.fitted.test_output {
        labels[0] = 7;
        proba[[1, 0]] += 0.5;
    }
    let eval = run_on(&table, &suite, trained, &check("prediction_shape", json!({})));
    assert!(!eval.passed);
    assert!(eval.message.contains("1 of 30 labels are not known classes"), "{}", eval.message);
    assert!(eval.message.contains("1 rows of probabilities do not sum to 1 within 1e-6"), "{}", eval.message);
    let failures = eval.failures.unwrap();
    assert_eq!(failures.count, 2);
    assert_eq!(failures.sample[1].line, second_line);

    // One prediction missing.
    let suite = suite_with_values();
    let table = table_of(&suite);
    let mut trained = train(&table, suite.pipeline.as_ref().unwrap()).unwrap();
    if let Output::Values(values) = &mut trained.fitted.test_output {
        values.pop();
        values[0] = f64::NAN;
    }
    let eval = run_on(&table, &suite, trained, &check("prediction_shape", json!({})));
    assert!(!eval.passed);
    assert_eq!(
        eval.message,
        "the predictions are malformed: 88 predictions for 89 test rows; 1 predicted values are not finite"
    );
}

fn suite_with_values() -> Suite {
    suite(&diabetes(), json!([]))
}
