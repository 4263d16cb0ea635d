use ndarray::{Axis, Slice};

use super::*;
use crate::pipeline::fixtures::{assert_all_close as assert_close, iris};

/// Fitted to scikit-learn's own precision, to compare the minimum itself.
fn tight(x: ArrayView2<'_, f64>, y: &[usize], n_classes: usize) -> LogisticRegression {
    let settings = Settings { max_iterations: 10_000, gradient_tolerance: 1e-10 };
    LogisticRegression::fit(x, y, n_classes, 1.0, settings).unwrap()
}

// Expected values: scikit-learn 1.9.1, `LogisticRegression(C=1.0, tol=1e-12,
// max_iter=100000).fit(X, y)` on the same rows (`coef_`, `intercept_`, `predict_proba`).

#[test]
fn three_classes_reach_scikit_learns_multinomial_minimum() {
    let (x, y) = iris();
    let model = tight(x.view(), &y, 3);
    let expected = [
        [-0.4235055, 0.9673499, -2.5171537, -1.0793361, 9.8495499],
        [0.5344596, -0.3215887, -0.2063918, -0.9442974, 2.2372167],
        [-0.110954, -0.6457612, 2.7235456, 2.0236335, -12.0867666],
    ];
    assert_close(&model.params, &expected.concat(), 1e-4);
    let proba = model.predict_proba(x.select(ndarray::Axis(0), &[0, 60, 120]).view());
    assert_close(
        proba.as_slice().unwrap(),
        &[0.9815835, 0.0184165, 0.0, 0.0557668, 0.9377655, 0.0064677, 5.6e-06, 0.0238414, 0.976153],
        1e-6,
    );
}

#[test]
fn two_classes_reach_scikit_learns_binomial_minimum() {
    // Versicolor (0) against virginica (1): the two iris species that overlap.
    let (x, y) = iris();
    let (x, y) =
        (x.slice_axis(Axis(0), Slice::from(50..)), y[50..].iter().map(|c| c - 1).collect::<Vec<_>>());
    let model = tight(x, &y, 2);
    assert_close(&model.params, &[-0.3944335, -0.5132774, 2.9307514, 2.4170322, -14.4307582], 1e-4);
    let proba = model.predict_proba(x.select(ndarray::Axis(0), &[0, 50]).view());
    assert_close(proba.as_slice().unwrap(), &[0.8423613, 0.1576387, 0.006577, 0.993423], 1e-6);
}

#[test]
fn the_default_tolerance_stops_near_the_minimum_with_scikit_learns_predictions() {
    // scikit-learn stops this fit after 32 iterations at 0.96 train accuracy.
    let (x, y) = iris();
    let (x, y) =
        (x.slice_axis(Axis(0), Slice::from(50..)), y[50..].iter().map(|c| c - 1).collect::<Vec<_>>());
    let model = LogisticRegression::fit(x, &y, 2, 1.0, stopping(100)).unwrap();
    assert!(model.converged && model.iterations < 100, "{} iterations", model.iterations);
    assert_close(&model.params, &tight(x, &y, 2).params, 0.05);
    let proba = model.predict_proba(x);
    let correct = y.iter().enumerate().filter(|&(i, &c)| (proba[[i, 1]] > 0.5) == (c == 1)).count();
    assert_eq!(correct, 96);
}

#[test]
fn probabilities_are_rows_that_sum_to_one() {
    let (x, y) = iris();
    let model = LogisticRegression::fit(x.view(), &y, 3, 1.0, stopping(100)).unwrap();
    let proba = model.predict_proba(x.view());
    assert_eq!(proba.dim(), (150, 3));
    for row in proba.rows() {
        assert!((row.sum() - 1.0).abs() < 1e-12 && row.iter().all(|p| (0.0..=1.0).contains(p)), "{row}");
    }
}

#[test]
fn no_iteration_leaves_every_class_equally_likely() {
    let (x, y) = iris();
    let model = LogisticRegression::fit(x.view(), &y, 3, 1.0, stopping(0)).unwrap();
    assert_eq!((model.iterations, model.converged), (0, false));
    assert!(model.predict_proba(x.view()).iter().all(|p| (p - 1.0 / 3.0).abs() < 1e-15));
}

#[test]
fn separable_classes_with_almost_no_penalty_stay_finite() {
    // Setosa against the rest is separable: with C = 1e12 the weights grow each iteration
    // and the fit stops at max_iterations, with finite weights and confident predictions.
    let (x, y) = iris();
    let y: Vec<usize> = y.iter().map(|&c| usize::from(c == 0)).collect();
    let model = LogisticRegression::fit(x.view(), &y, 2, 1e12, stopping(100)).unwrap();
    assert!(model.params.iter().all(|w| w.is_finite()));
    let proba = model.predict_proba(x.view());
    assert!(y.iter().enumerate().all(|(i, &c)| (proba[[i, 1]] > 0.5) == (c == 1)));
}

#[test]
fn bad_inputs_are_errors_that_say_what_is_wrong() {
    let (x, y) = iris();
    let fit = |y: &[usize], n_classes, c| {
        LogisticRegression::fit(x.view(), y, n_classes, c, stopping(100)).unwrap_err()
    };
    assert!(fit(&y, 3, 0.0).contains("c = 0"), "{}", fit(&y, 3, 0.0));
    assert!(fit(&y, 3, f64::NAN).contains("must be positive"));
    assert!(fit(&y, 2, 1.0).contains("classes 0..2"));
    assert!(fit(&y[..10], 3, 1.0).contains("150 train rows and 10 labels"));
    let mut wild = x.clone();
    wild[[0, 0]] = f64::INFINITY;
    let err = LogisticRegression::fit(wild.view(), &y, 3, 1.0, stopping(100)).unwrap_err();
    assert_eq!(err, "train row 0, input 0 is not a finite number");
}
