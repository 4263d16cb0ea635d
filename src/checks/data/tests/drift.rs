//! `drift`: the data against a reference. The statistics are `pipeline::drift`'s (pinned
//! there to Evidently 0.7.23 and SciPy 1.17.1); these tests pin what the kind adds: which
//! data sets and columns are compared, the share over `*`, the errors, and the values on iris
//! split in halves (Evidently's `ks_stat_test`, `chi_stat_test` on the same halves).

use super::*;

/// Iris's first 75 rows (the reference) and its last 75 (the data).
fn halves() -> (Table, Table) {
    let text = String::from_utf8(IRIS.to_vec()).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let part = |rows: &[&str]| {
        read_csv(format!("{header}\n{}\n", rows.join("\n")).as_bytes(), "part.csv", &LoadOptions::default())
            .unwrap()
    };
    (part(&rows[..75]), part(&rows[75..]))
}

fn against<'a>(current: &'a Table, reference: &'a Table) -> Context<'a> {
    Context { reference: Some(reference as &dyn Facts), target: Some("species"), ..Context::new(current) }
}

#[test]
fn one_column_against_the_reference_is_evidentlys_ks() {
    let (reference, current) = halves();
    let ran = run_in(&against(&current, &reference), &check("drift", json!({"column": "sepal_length"})));
    assert!(!ran.eval.passed, "{}", ran.eval.message);
    // ks_stat_test(first 75, last 75): p = 2.685462386506051e-12 (Evidently 0.7.23).
    assert!((ran.observed() - 2.685462386506051e-12).abs() < 1e-20);
    assert_eq!(ran.steps[2].action, "drift(sepal_length)");
    assert_eq!(ran.steps[2].evaluation, "ks on 75 reference vs 75 current values");
    assert!(
        ran.eval.message.starts_with("`sepal_length` has drifted from the reference (ks "),
        "{}",
        ran.eval.message
    );
}

#[test]
fn every_column_but_the_target_and_the_share_that_drifted() {
    let (reference, current) = halves();
    let mut trace = Trace::default();
    let eval =
        check("drift", json!({"column": "*"})).run(&against(&current, &reference), &mut trace).unwrap();
    let columns: Vec<String> =
        trace.take_drift().into_iter().map(|d| format!("{}:{}:{}", d.column, d.method, d.drifted)).collect();
    assert_eq!(
        columns,
        ["sepal_length:ks:true", "sepal_width:ks:true", "petal_length:ks:true", "petal_width:ks:true"],
        "the target is left out, auto chooses ks for 75 numeric rows"
    );
    assert!(!eval.passed);
    assert_eq!(eval.observed, json!(1.0));
    assert!(eval.message.starts_with("4 of 4 columns drifted (100%)"), "{}", eval.message);
    // Label drift is drift on the target: the halves hold other species (a level only in the
    // current data makes chi-square infinite, p = 0).
    let label = run_in(&against(&current, &reference), &check("drift", json!({"column": "species"})));
    assert!(!label.eval.passed);
    assert_eq!(label.observed(), 0.0);
}

#[test]
fn without_a_reference_the_splits_train_part_is_the_reference() {
    let data = iris();
    let suite = crate::suite::parse(
        r#"{"version": 1, "data": {"source": "sample:iris"}, "target": "species", "task": "classification",
            "split": {"test_size": 0.3, "seed": 1}, "model": {"kind": "gaussian_nb"},
            "tests": [{"id": "d", "kind": "drift", "column": "*"}]}"#,
        crate::suite::Format::Json,
        "s.json",
    )
    .unwrap();
    let ctx = Context { pipeline: suite.pipeline.as_ref(), target: Some("species"), ..Context::new(&data) };
    let ran = run_in(&ctx, &check("drift", json!({"column": "*"})));
    assert_eq!(ran.steps[0].evaluation, "iris.csv (train part)");
    assert_eq!((ran.steps[0].result.as_str(), ran.steps[1].result.as_str()), ("105 rows", "45 rows"));
    assert!(ran.eval.passed, "a random split does not drift: {}", ran.eval.message);
    // With a model test in the suite the run trains once, and drift reads that same split.
    let trained = crate::suite::parse(
        r#"{"version": 1, "data": {"source": "sample:iris"}, "target": "species", "task": "classification",
            "split": {"test_size": 0.3, "seed": 1}, "model": {"kind": "gaussian_nb"},
            "tests": [{"id": "d", "kind": "drift", "column": "*"},
                      {"id": "acc", "kind": "metric_threshold", "metric": "accuracy", "op": ">", "value": 0.5}]}"#,
        crate::suite::Format::Json,
        "s.json",
    )
    .unwrap();
    let report = crate::run::run(&trained, &data);
    let steps: Vec<&str> = report.tests[0].steps.iter().map(|s| s.result.as_str()).collect();
    assert_eq!(&steps[..2], ["105 rows", "45 rows"]);
    assert_eq!(report.tests[0].drift, ran_drift(&ctx));
}

/// The drift entries of `drift` over `*` in `ctx`.
fn ran_drift(ctx: &Context<'_>) -> Vec<crate::report::DriftOutcome> {
    let mut trace = Trace::default();
    check("drift", json!({"column": "*"})).run(ctx, &mut trace).unwrap();
    trace.take_drift()
}

#[test]
fn what_cannot_be_compared_is_an_error_naming_it() {
    let (reference, current) = halves();
    let err = run_err(&current, &check("drift", json!({"column": "sepal_length"})));
    assert!(err.starts_with("drift compares the data with a reference"), "{err}");
    let named = Context { reference_named: true, ..Context::new(&current) };
    let (err, _) = run_err_in(&named, &check("drift", json!({"column": "sepal_length"})));
    assert!(err.starts_with("the suite names a `reference` this run was not given"), "{err}");
    let ctx = against(&current, &reference);
    let (err, _) = run_err_in(&ctx, &check("drift", json!({"column": "nope"})));
    assert_eq!(err, "`nope` is not a column of the data (part.csv)");
    let (err, _) = run_err_in(&ctx, &check("drift", json!({"column": "species", "method": "ks"})));
    assert_eq!(err, "`species`: the method ks does not apply to a categorical column; use chi2, z, jensen_shannon, psi or auto");
    let other = table("sepal_length,species\nshort,setosa\nlong,virginica\n");
    let (err, _) = run_err_in(&against(&current, &other), &check("drift", json!({"column": "sepal_length"})));
    assert!(err.contains("is numeric in one data set and not in the other"), "{err}");
}

#[test]
fn a_threshold_over_every_column_needs_a_fixed_method() {
    let err = Check::from_params("drift", json!({"column": "*", "threshold": 0.1}))
        .unwrap()
        .unwrap()
        .validate()
        .unwrap_err();
    assert_eq!(err.field, "threshold");
    let err = Check::from_params("drift", json!({"column": "a", "drift_share": 0.3}))
        .unwrap()
        .unwrap()
        .validate()
        .unwrap_err();
    assert_eq!(err.field, "drift_share");
    check("drift", json!({"column": "*", "method": "psi", "threshold": 0.2, "drift_share": 0.3}));
}

/// Prediction drift is `drift` on a `predictions` model's prediction column: the first 171
/// penguins of `penguins_predictions` against the other 171, `sex_pred` — `auto` chooses `z`
/// (two levels), p = 0.0002345253265718661 (Evidently 0.7.23 `get_stattest` then its
/// `z_stat_test` on the same halves): the later penguins are predicted male more often.
#[test]
fn prediction_drift_is_drift_on_the_prediction_column() {
    let csv = include_str!("../../../../static/data/penguins_predictions.csv");
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let part = |rows: &[&str]| {
        read_csv(format!("{header}\n{}\n", rows.join("\n")).as_bytes(), "part.csv", &LoadOptions::default())
            .unwrap()
    };
    let (reference, current) = (part(&rows[..171]), part(&rows[171..]));
    let ctx =
        Context { reference: Some(&reference as &dyn Facts), target: Some("sex"), ..Context::new(&current) };
    let mut trace = Trace::default();
    let eval = check("drift", json!({"column": "sex_pred"})).run(&ctx, &mut trace).unwrap();
    let column = &trace.take_drift()[0];
    assert_eq!((column.method.as_str(), column.drifted), ("z", true));
    let p = eval.observed.as_f64().unwrap();
    assert!((p - 0.0002345253265718661).abs() <= 1e-9 * 0.0002345253265718661, "{p}");
}

/// The page's overlaid histograms: Evidently's bins (one per species here), each data set's
/// shares summing to 1; a column of many values keeps the most frequent and sums the rest.
#[test]
fn each_column_carries_both_histograms() {
    let (reference, current) = halves();
    let ran = ran_drift(&against(&current, &reference));
    let sepal = ran[0].histogram.as_ref().unwrap();
    assert_eq!(sepal.bins.len(), sepal.reference.len());
    assert!(sepal.bins[0].contains(" – "), "{:?}", sepal.bins);
    for shares in [&sepal.reference, &sepal.current] {
        assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{shares:?}");
    }
    let mut trace = Trace::default();
    check("drift", json!({"column": "species"})).run(&against(&current, &reference), &mut trace).unwrap();
    let species = trace.take_drift().remove(0).histogram.unwrap();
    // First 75 rows: 50 setosa, 25 versicolor; last 75: 25 versicolor, 50 virginica.
    assert_eq!(species.bins, ["setosa", "versicolor", "virginica"]);
    assert_eq!(species.reference, [50.0 / 75.0, 25.0 / 75.0, 0.0]);
    assert_eq!(species.current, [0.0, 25.0 / 75.0, 50.0 / 75.0]);

    let ids = |n: usize| {
        let rows: Vec<String> = (0..n).map(|i| format!("id{}", i % 40 + i % 7)).collect();
        read_csv(format!("id\n{}\n", rows.join("\n")).as_bytes(), "ids.csv", &LoadOptions::default()).unwrap()
    };
    let (many, more) = (ids(300), ids(310));
    let ctx = Context { reference: Some(&many as &dyn Facts), ..Context::new(&more) };
    let mut trace = Trace::default();
    check("drift", json!({"column": "id", "method": "psi"})).run(&ctx, &mut trace).unwrap();
    let capped = trace.take_drift().remove(0).histogram.unwrap();
    assert_eq!(capped.bins.len(), crate::report::DriftHistogram::MAX_BINS, "{:?}", capped.bins);
    assert_eq!(capped.bins.last().map(String::as_str), Some("23 others"));
    assert!((capped.reference.iter().sum::<f64>() - 1.0).abs() < 1e-12);
}
