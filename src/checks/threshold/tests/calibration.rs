//! `calibration` on a model brought as predictions. Expected values: scikit-learn 1.9.1's
//! `brier_score_loss(y == "male", p_male)` and the expected calibration error over
//! `calibration_curve(y, p, n_bins=10, strategy="uniform")`'s bins (scripts/compare_fairness.py).

use serde_json::json;

use super::{brought, one, run_suite};
use crate::report::Status;

#[test]
fn brier_and_ece_are_scikit_learns() {
    let t = one(brought, json!({"kind": "calibration", "measure": "brier", "max": 0.2}));
    assert_eq!(t.status, Status::Pass, "{}", t.message);
    assert!((t.observed.as_f64().unwrap() - 0.15890404188036336).abs() < 1e-12);
    let t = one(brought, json!({"kind": "calibration", "measure": "ece", "max": 0.1}));
    assert_eq!(t.status, Status::Fail, "{}", t.message);
    assert!((t.observed.as_f64().unwrap() - 0.12132840540540536).abs() < 1e-12);
}

#[test]
fn the_report_carries_the_reliability_curve() {
    let report = run_suite(&brought(
        json!([{"id": "c", "kind": "calibration", "measure": "ece", "max": 0.2, "n_bins": 5}]),
    ));
    let curve = report.model.unwrap().calibration.expect("the curve of the calibration test");
    assert_eq!(curve.counts.iter().sum::<usize>(), 333);
    assert_eq!(curve.counts.len(), 5);
    assert!(curve.prob_pred.windows(2).all(|w| w[0] < w[1]), "{curve:?}");
}

#[test]
fn predictions_without_scores_cannot_be_calibrated() {
    let no_scores = |tests| {
        let mut suite = brought(tests);
        suite["model"] = json!({"kind": "predictions", "prediction": "sex_pred"});
        suite
    };
    let t = one(no_scores, json!({"kind": "calibration", "measure": "brier", "max": 0.2}));
    assert_eq!(t.status, Status::Error);
    assert_eq!(
        t.message,
        "calibration needs the model's probabilities: the `predictions` model has no `scores`"
    );
}
