//! The kinds of `unit/seed.rs`, run through the real runner on the bundled samples.

use super::*;
use ndarray::Array2;

use crate::checks::unit::seed::{differing_prediction, positions_differing};
use crate::pipeline::model::Output;
use crate::pipeline::prepare::prepare;
use crate::vocab::Task;

// ---------------------------------------------------------------------------------------
// deterministic_with_seed

#[test]
fn deterministic_with_seed_runs_the_pipeline_twice() {
    for base in [iris(), penguins(), diabetes()] {
        let test = run_one(&base, "deterministic_with_seed", json!({}));
        assert_status(&test, Status::Pass);
        assert_eq!(test.observed, json!({"split_identical": true, "differing_predictions": 0}));
        assert!(test.steps[0].action.starts_with("run 1: split + fit + predict (seed = 42)"));
        assert!(test.steps[1].action.starts_with("run 2: split + fit + predict (seed = 42)"));
        assert_eq!(step(&test, "compare(split 1, split 2)").result, "identical");
    }
    let test = run_one(&diabetes(), "deterministic_with_seed", json!({}));
    assert_eq!(
        step(&test, "compare(predictions 1, predictions 2)").evaluation,
        "89 test predictions: values, bit for bit"
    );
    let test = run_one(&iris(), "deterministic_with_seed", json!({}));
    assert_eq!(
        step(&test, "compare(predictions 1, predictions 2)").evaluation,
        "30 test predictions: labels and probabilities, bit for bit"
    );
}

#[test]
fn differences_between_runs_are_counted_bit_for_bit() {
    assert_eq!(positions_differing(&[1, 2, 3], &[1, 2, 3]), 0);
    assert_eq!(positions_differing(&[1, 2, 3], &[1, 3, 4]), 2);
    let table = crate::table::read_csv(b"x,y\n1,a\n2,b\n", "t.csv", &LoadOptions::default()).unwrap();
    let inputs = crate::pipeline::prepare::InputSpec {
        target: "y",
        task: Task::Classification,
        features: None,
        drop: &[],
        predicted: None,
    };
    let prepared = prepare(&table, &inputs).unwrap();
    let proba = |p: f64| Array2::from_shape_vec((1, 2), vec![1.0 - p, p]).unwrap();
    let a = Output::Classes { labels: vec![1], proba: proba(0.75) };
    assert_eq!(differing_prediction(&a, &a.clone(), 0, &prepared), None);
    let b = Output::Classes { labels: vec![1], proba: proba(0.75 + 1e-15) };
    let (one, two) = differing_prediction(&a, &b, 0, &prepared).expect("one bit apart is a difference");
    assert_ne!(one, two);
    let c = Output::Classes { labels: vec![0], proba: proba(0.25) };
    assert_eq!(
        differing_prediction(&a, &c, 0, &prepared),
        Some(("b (p = 0.75)".to_owned(), "a (p = 0.75)".to_owned()))
    );
    let v = Output::Values(vec![1.0]);
    assert_eq!(differing_prediction(&v, &Output::Values(vec![1.0]), 0, &prepared), None);
    assert!(differing_prediction(&v, &Output::Values(vec![1.0 + f64::EPSILON]), 0, &prepared).is_some());
}
