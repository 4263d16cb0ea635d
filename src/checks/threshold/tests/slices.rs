//! `slice_metric`, `slice_gap` and `fairness` on a model brought as predictions and on a
//! trained one. Expected values: fairlearn 0.15.0's `MetricFrame(...).by_group` with
//! scikit-learn 1.9.1's metrics, fairlearn's `demographic_parity_ratio`,
//! `equalized_odds_difference`, `selection_rate`, `true_positive_rate`,
//! `false_positive_rate`, and pandas 3.1.1's `qcut` for the bins; `make compare` re-runs them
//! all against the peers (scripts/compare_fairness.py).

use serde_json::json;

use super::{assert_param_error, brought, iris, one, param_error};
use crate::report::Status;

fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} vs {b}");
}

fn values(t: &crate::report::TestReport) -> Vec<(String, usize, f64, bool)> {
    t.slices.iter().map(|s| (s.name.clone(), s.rows, s.value.unwrap_or(f64::NAN), s.judged)).collect()
}

#[test]
fn slice_metric_names_the_failing_slice() {
    let t = one(
        brought,
        json!({"kind": "slice_metric", "metric": "accuracy", "op": ">=", "value": 0.7, "by": "species"}),
    );
    assert_eq!(t.status, Status::Fail, "{}", t.message);
    assert!(t.message.contains("fails for 1 of 3 judged slices of `species`: `Chinstrap`"), "{}", t.message);
    let slices = values(&t);
    let expected = [
        ("Adelie", 146, 0.8561643835616438),
        ("Chinstrap", 68, 0.5735294117647058),
        ("Gentoo", 119, 0.8235294117647058),
    ];
    for ((name, rows, value, judged), (e_name, e_rows, e_value)) in slices.iter().zip(expected) {
        assert_eq!((name.as_str(), *rows, *judged), (e_name, e_rows, true));
        close(*value, e_value);
    }
    close(t.observed.as_f64().unwrap(), 0.5735294117647058);
    assert_eq!(t.bounds[0].name, "worst slice's accuracy by species");
}

#[test]
fn quantile_bins_of_a_numeric_column_are_pandas_qcut() {
    let t = one(
        brought,
        json!({"kind": "slice_metric", "metric": "roc_auc", "op": ">=", "value": 0.7, "by": "body_mass_g", "bins": 4}),
    );
    assert_eq!(t.status, Status::Pass, "{}", t.message);
    let names: Vec<&str> = t.slices.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["[2700, 3550]", "(3550, 4050]", "(4050, 4775]", "(4775, 6300]"]);
    let rows: Vec<usize> = t.slices.iter().map(|s| s.rows).collect();
    assert_eq!(rows, [86, 86, 78, 83]);
    for (slice, expected) in
        t.slices.iter().zip([0.8904109589041096, 0.7081447963800905, 0.9794973544973544, 0.932935916542474])
    {
        close(slice.value.unwrap(), expected);
    }
}

#[test]
fn small_slices_are_reported_and_not_judged() {
    let t = one(
        brought,
        json!({"kind": "slice_metric", "metric": "accuracy", "op": ">=", "value": 0.7, "by": "species", "min_rows": 100}),
    );
    let judged: Vec<(&str, bool)> = t.slices.iter().map(|s| (s.name.as_str(), s.judged)).collect();
    assert_eq!(judged, [("Adelie", true), ("Chinstrap", false), ("Gentoo", true)]);
    assert_eq!(t.slices[1].note.as_deref(), Some("68 rows, fewer than min_rows 100"));
    assert_eq!(t.status, Status::Pass, "Chinstrap is shown, not judged: {}", t.message);
    let none = one(
        brought,
        json!({"kind": "slice_metric", "metric": "accuracy", "op": ">=", "value": 0.7, "by": "species", "min_rows": 1000}),
    );
    assert_eq!(none.status, Status::Error);
    assert!(none.message.starts_with("no slice could be judged"), "{}", none.message);
}

#[test]
fn slice_gap_is_the_best_minus_the_worst_macro_f1() {
    let t = one(
        brought,
        json!({"kind": "slice_gap", "metric": "f1", "average": "macro", "by": "island", "max_gap": 0.2}),
    );
    assert_eq!(t.status, Status::Fail);
    close(t.observed.as_f64().unwrap(), 0.28777010804321723);
    assert!(t.message.contains("from 0.6483 (Dream) to 0.9361 (Torgersen)"), "{}", t.message);
}

/// A trained model's slices are its test rows: iris's 30, cut by petal length in 3 bins.
#[test]
fn a_trained_models_slices_are_its_test_rows() {
    let t = one(
        iris,
        json!({"kind": "slice_metric", "metric": "accuracy", "op": ">=", "value": 0.5, "by": "petal_length", "bins": 3, "min_rows": 5}),
    );
    assert_eq!(t.slices.iter().map(|s| s.rows).sum::<usize>(), 30, "{:?}", t.slices);
    assert_eq!(t.status, Status::Pass, "{}", t.message);
}

#[test]
fn fairness_gives_fairlearns_measures_and_each_groups_rates() {
    let t = one(
        brought,
        json!({"kind": "fairness", "by": "species", "measure": "demographic_parity_ratio", "min": 0.8}),
    );
    assert_eq!(t.status, Status::Fail);
    close(t.observed.as_f64().unwrap(), 0.380952380952381);
    let chinstrap = t.slices.iter().find(|s| s.name == "Chinstrap").unwrap().rates.unwrap();
    close(chinstrap.selection_rate, 0.9264705882352942);
    close(chinstrap.tpr, 1.0);
    close(chinstrap.fpr, 0.8529411764705882);
    let t = one(
        brought,
        json!({"kind": "fairness", "by": "island", "measure": "equalized_odds_difference", "max": 0.5}),
    );
    assert_eq!(t.status, Status::Pass);
    close(t.observed.as_f64().unwrap(), 0.4831967213114754);
    let t = one(
        brought,
        json!({"kind": "fairness", "by": "species", "measure": "equalized_odds_ratio", "min": 0.01}),
    );
    close(t.observed.as_f64().unwrap(), 0.020214030915576695);
    // `positive` swaps the label that counts as selected.
    let t = one(
        brought,
        json!({"kind": "fairness", "by": "species", "measure": "demographic_parity_difference", "max": 1, "positive": "female"}),
    );
    close(t.observed.as_f64().unwrap(), 0.5735294117647058);
}

#[test]
fn fairness_needs_two_classes_and_the_right_bound() {
    let t = one(
        iris,
        json!({"kind": "fairness", "by": "sepal_length", "measure": "demographic_parity_difference", "max": 0.1}),
    );
    assert_eq!(t.status, Status::Error);
    assert!(
        t.message.starts_with("fairness measures a binary classifier; the target has 3 classes"),
        "{}",
        t.message
    );
    let err = param_error(
        brought,
        json!({"kind": "fairness", "by": "species", "measure": "demographic_parity_ratio", "max": 0.1}),
    );
    assert_param_error(&err, "max", "is a ratio: bound it with `min`");
    let err = param_error(
        brought,
        json!({"kind": "fairness", "by": "species", "measure": "equalized_odds_difference"}),
    );
    assert_param_error(&err, "max", "give `max`");
    let t = one(
        brought,
        json!({"kind": "fairness", "by": "nope", "measure": "demographic_parity_difference", "max": 0.1}),
    );
    assert_eq!(t.message, "`by` names `nope`, which is not a column of penguins_predictions.csv");
}
