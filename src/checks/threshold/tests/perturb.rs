//! The kinds of `threshold/perturb.rs`, run as a suite runs them.

use super::*;

// ---------------------------------------------------------------------------------------
// invariance

#[test]
fn invariance_passes_with_tiny_noise() {
    let t = one(
        iris,
        json!({"kind": "invariance", "feature": "sepal_width", "sigma": 0.001, "min_unchanged_ratio": 1}),
    );
    assert_status(&t, Status::Pass);
    assert_eq!(t.steps[1].action, "perturb(sepal_width, sigma = 0.001)");
    assert!(t.steps[1].evaluation.ends_with("seed 42, on 30 test rows"), "{}", t.steps[1].evaluation);
    assert_eq!(var(&t, "unchanged"), Some("30"));
    assert_eq!(t.failures.as_ref().map(|f| f.count), Some(0));
}

#[test]
fn invariance_fails_with_huge_noise_naming_the_rows_that_changed() {
    let test =
        json!({"kind": "invariance", "feature": "petal_length", "sigma": 5, "min_unchanged_ratio": 0.95});
    let t = one(iris, test.clone());
    assert_status(&t, Status::Fail);
    let failures = t.failures.as_ref().unwrap();
    assert!(failures.count > 0);
    assert!(failures.sample.iter().all(|c| c.column == "species" && c.line >= 2 && c.line <= 151));
    assert!(failing_values(&t).iter().all(|v| v.contains(" → ")), "{:?}", failing_values(&t));
    assert_eq!(var(&t, "unchanged").map(|u| u.parse::<usize>().unwrap()), Some(30 - failures.count));
    // The noise is seeded: the same run gives the same rows, another seed others.
    assert_eq!(one(iris, test.clone()).failures, t.failures);
    let mut other = test;
    other["seed"] = json!(7);
    assert_ne!(one(iris, other).failures, t.failures);
}

#[test]
fn invariance_swaps_a_category_in_the_rows_that_hold_it() {
    let t = one(
        penguins,
        json!({"kind": "invariance", "feature": "island", "swap": {"from": "Dream", "to": "Biscoe"},
               "min_unchanged_ratio": 0.5}),
    );
    assert_status(&t, Status::Pass);
    assert_eq!(t.steps[1].action, "swap(island: Dream → Biscoe)");
    // Only the 24 test rows from Dream are perturbed, and only they count; the 5 Chinstraps
    // the model moves to Adelie show that it leans on the island.
    assert_eq!(t.steps[1].evaluation, "24 of 69 test rows have island = Dream");
    assert_eq!(var(&t, "perturbed"), Some("24"));
    assert_eq!(var(&t, "unchanged"), Some("19"));
    assert!(failing_values(&t).iter().all(|v| *v == "Chinstrap → Adelie"), "{:?}", failing_values(&t));
}

#[test]
fn invariance_on_a_regressor_compares_values_within_tol() {
    let t = one(
        diabetes,
        json!({"kind": "invariance", "feature": "bmi", "sigma": 0.01, "tol": 0.05, "min_unchanged_ratio": 1}),
    );
    assert_status(&t, Status::Pass);
    assert_eq!(t.steps[2].evaluation, "values within 5% of before, 89 rows");
    let t = one(
        diabetes,
        json!({"kind": "invariance", "feature": "bmi", "sigma": 3, "min_unchanged_ratio": 0.9}),
    );
    assert_status(&t, Status::Fail);
    assert!(failing_values(&t).iter().all(|v| v.contains(" → ")));
}

#[test]
fn invariance_errors_name_the_feature_or_level() {
    let cases = [
        (json!({"feature": "wing_span", "sigma": 0.1}), "column `wing_span` is not in penguins.csv"),
        (json!({"feature": "species", "sigma": 0.1}), "`species` is the target"),
        (json!({"feature": "island", "sigma": 0.1}), "`island` holds categories: perturb it with `swap`"),
        (json!({"feature": "bill_length_mm", "swap": {"from": "a", "to": "b"}}), "`bill_length_mm` is numeric"),
        (
            json!({"feature": "island", "swap": {"from": "Atlantis", "to": "Dream"}}),
            "`Atlantis` is not a level of `island` in the train rows (levels: `Biscoe`, `Dream`, `Torgersen`)",
        ),
        (json!({"feature": "bill_length_mm", "tol": 0.1}), "`tol` is read for regression"),
    ];
    for (params, expected) in cases {
        let mut test = params;
        test["kind"] = json!("invariance");
        test["min_unchanged_ratio"] = json!(0.9);
        let t = one(penguins, test);
        assert_status(&t, Status::Error);
        assert!(t.message.starts_with(expected), "{}", t.message);
    }
}

#[test]
fn invariance_refuses_noise_and_swap_together_and_a_bad_ratio() {
    let err = param_error(
        penguins,
        json!({"kind": "invariance", "feature": "island", "sigma": 0.1,
               "swap": {"from": "Dream", "to": "Biscoe"}, "min_unchanged_ratio": 0.9}),
    );
    assert_param_error(&err, "swap", "not both");
    let err = param_error(penguins, json!({"kind": "invariance", "feature": "", "min_unchanged_ratio": 0.9}));
    assert_param_error(&err, "feature", "empty");
    let err =
        param_error(penguins, json!({"kind": "invariance", "feature": "year", "min_unchanged_ratio": 2}));
    assert_param_error(&err, "min_unchanged_ratio", "not a ratio");
    let err = param_error(
        penguins,
        json!({"kind": "invariance", "feature": "year", "sigma": 0, "min_unchanged_ratio": 1}),
    );
    assert_param_error(&err, "sigma", "no noise");
}

// ---------------------------------------------------------------------------------------
// directional

#[test]
fn directional_passes_for_a_feature_with_a_positive_coefficient() {
    let t = one(diabetes, json!({"kind": "directional", "feature": "bmi"}));
    assert_status(&t, Status::Pass);
    assert!(t.steps[1].evaluation.contains("(one train std) on 89 test rows"), "{}", t.steps[1].evaluation);
    assert_eq!(t.steps[2].result, "lower = 0 of 89");
    assert_eq!(observed(&t), 0.0);
}

#[test]
fn directional_fails_for_a_feature_with_a_negative_coefficient() {
    // `sex` has a negative coefficient in the linear model (as in scikit-learn's
    // LinearRegression on the whole data set, -239.8 on its scaled copy): raising it lowers
    // every prediction by the same amount.
    let t = one(diabetes, json!({"kind": "directional", "feature": "sex", "delta": 1}));
    assert_status(&t, Status::Fail);
    assert_eq!(t.steps[1].evaluation, "sex + 1 (as given) on 89 test rows");
    assert_eq!(var(&t, "lower"), Some("89"));
    let failures = t.failures.as_ref().unwrap();
    assert_eq!((failures.count, failures.sample.len()), (89, 20));
    assert!(failures.sample.iter().all(|c| c.column == "progression" && c.value.contains(" → ")));
    assert!(t
        .message
        .starts_with("raising `sex` by 1 lowers the predicted progression on 89 of 89 test rows"));
}

#[test]
fn directional_on_a_classifier_reads_the_probability_of_class() {
    let t = one(
        iris,
        json!({"kind": "directional", "feature": "petal_width", "class": "virginica", "max_violation_ratio": 0.1}),
    );
    assert_status(&t, Status::Pass);
    assert_eq!(t.steps[2].evaluation, "P(virginica) before and after, 30 rows");
    let t = one(iris, json!({"kind": "directional", "feature": "petal_width", "class": "setosa"}));
    assert_status(&t, Status::Fail);
    assert!(t.failures.as_ref().unwrap().sample.iter().all(|c| c.column == "P(setosa)"));
}

#[test]
fn directional_errors_without_class_on_a_classifier_and_with_class_on_a_regressor() {
    let t = one(iris, json!({"kind": "directional", "feature": "petal_width"}));
    assert_status(&t, Status::Error);
    assert!(t.message.starts_with("directional on a classifier needs `class`"), "{}", t.message);
    let t = one(diabetes, json!({"kind": "directional", "feature": "bmi", "class": "x"}));
    assert_status(&t, Status::Error);
    let t = one(penguins, json!({"kind": "directional", "feature": "island", "class": "Gentoo"}));
    assert_status(&t, Status::Error);
    assert!(t.message.contains("holds categories"), "{}", t.message);
    let t = one(diabetes, json!({"kind": "directional", "feature": "weight"}));
    assert!(t.message.starts_with("column `weight` is not in diabetes.csv"), "{}", t.message);
}

#[test]
fn directional_refuses_a_delta_that_does_not_raise() {
    let err = param_error(diabetes, json!({"kind": "directional", "feature": "bmi", "delta": -1}));
    assert_param_error(&err, "delta", "positive");
    let err = param_error(iris, json!({"kind": "directional", "feature": "bmi", "class": ""}));
    assert_param_error(&err, "class", "empty");
    let err =
        param_error(diabetes, json!({"kind": "directional", "feature": "bmi", "max_violation_ratio": -0.5}));
    assert_param_error(&err, "max_violation_ratio", "not a ratio");
}
