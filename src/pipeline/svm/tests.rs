use ndarray::{array, Array2};

use super::*;
use crate::pipeline::fit::train;
use crate::pipeline::fixtures::{assert_all_close, iris, sample_table, standard_pipeline};
use crate::pipeline::model::{self as models, ModelSpec, Output};
use crate::pipeline::prepare::Target;
use crate::vocab::Task;

// Expected values: scikit-learn 1.9.1, `SVC(C=1.0, kernel=…, gamma="scale").fit(X, y)` on the
// train rows of the standard pipeline below, scikit-learn's twin of it as
// scripts/compare_sklearn.py builds it (the same test rows, SimpleImputer(mean) +
// StandardScaler, OneHotEncoder): `predict`, `n_support_`, `n_iter_`, `intercept_` (ρ for
// two classes; −ρ of each pair for more), `decision_function` of the first test rows, and the
// dual objective ½aᵀKa − Σ|a| from `dual_coef_` and `support_vectors_`.

/// What the standard pipeline trained and what scikit-learn's SVC found on the same rows.
struct Expected {
    /// The predicted class of each test row in file order, as digits.
    labels: &'static str,
    support: &'static [usize],
    iterations: &'static [usize],
    rho: &'static [f64],
    /// `decision_function` of the first test rows (file order), row-major.
    decision: &'static [f64],
    /// The dual objective of a two-class fit.
    objective: Option<f64>,
}

/// Trains `sample`'s `target` through the standard pipeline (20 % stratified test rows with
/// seed 42, mean imputation, standard scaling, one-hot) and checks the model's predictions,
/// then fits the solver on the same train rows and checks its own numbers.
fn matches_scikit_learn(sample: &str, target: &str, kernel: models::Kernel, expected: Expected) {
    let table = sample_table(sample);
    let model = ModelSpec::Svm(models::svm::Svm { c: 1.0, kernel, gamma: None });
    let spec = standard_pipeline(target, Task::Classification, model);
    let trained = train(&table, &spec).unwrap();
    let fitted = &trained.fitted;
    // The test rows in file order.
    let mut order: Vec<usize> = (0..trained.split.test.len()).collect();
    order.sort_by_key(|&i| trained.split.test[i]);
    let Output::Classes { labels, .. } = &fitted.test_output else { panic!("classes expected") };
    let labels: String = order.iter().map(|&i| char::from(b'0' + labels[i] as u8)).collect();
    assert_eq!(labels, expected.labels, "{sample}: predictions");

    let Target::Classes { codes, names } = &fitted.y_train else { panic!("classes expected") };
    let x = fitted.x_train.view();
    let kernel = match kernel {
        models::Kernel::Rbf => Kernel::Rbf { gamma: scale_gamma(x) },
        models::Kernel::Linear => Kernel::Linear,
    };
    let svc = Svc::fit(x, codes, names.len(), 1.0, kernel).unwrap();
    assert_eq!(svc.support_vectors(), expected.support, "{sample}: support vectors");
    let machines = svc.machines();
    assert_eq!(machines.iter().map(|m| m.iterations).collect::<Vec<_>>(), expected.iterations, "{sample}");
    assert_all_close(&machines.iter().map(|m| m.rho).collect::<Vec<_>>(), expected.rho, 1e-9);
    if let Some(objective) = expected.objective {
        // The solver sums Q kept as f32, as libsvm does; the reference sums it in f64.
        assert!(
            (machines[0].objective - objective).abs() < 1e-6 * objective.abs(),
            "{}",
            machines[0].objective
        );
    }
    let first: Vec<usize> = order.iter().copied().take(3).collect();
    let decision = svc.predict(fitted.x_test.select(ndarray::Axis(0), &first).view()).decision;
    assert_all_close(decision.as_slice().unwrap(), expected.decision, 1e-8);
}

#[test]
fn iris_three_classes_match_scikit_learns_svc() {
    matches_scikit_learn(
        "iris",
        "species",
        models::Kernel::Rbf,
        Expected {
            labels: "000000000011111111112221222222",
            support: &[9, 19, 19],
            iterations: &[31, 53, 38],
            rho: &[-0.01770492307570601, 0.08882139898520096, -0.07168724069538633],
            decision: &[
                2.230732052,
                0.871066632,
                -0.20601127,
                2.22874899,
                0.903965477,
                -0.213537913,
                2.223796978,
                0.857940166,
                -0.188432536,
            ],
            objective: None,
        },
    );
}

#[test]
fn iris_with_a_linear_kernel_matches_scikit_learns_svc() {
    matches_scikit_learn(
        "iris",
        "species",
        models::Kernel::Linear,
        Expected {
            labels: "000000000011112111112222222222",
            support: &[2, 13, 10],
            iterations: &[14, 13, 105],
            rho: &[1.4825413424487213, 0.297059644824385, -2.709428699061027],
            decision: &[
                2.254271919,
                1.29005542,
                -0.302803521,
                2.247417385,
                1.290911679,
                -0.302289146,
                2.263823347,
                1.289125705,
                -0.303927582,
            ],
            objective: None,
        },
    );
}

#[test]
fn wine_matches_scikit_learns_svc() {
    matches_scikit_learn(
        "wine",
        "cultivar",
        models::Kernel::Rbf,
        Expected {
            labels: "000000000000111111111111112222222222",
            support: &[17, 28, 19],
            iterations: &[73, 64, 82],
            rho: &[0.6638436439124268, 0.09854949179687171, -0.3595718812317606],
            decision: &[
                2.232762892,
                0.86159123,
                -0.205342993,
                2.248241415,
                0.814689049,
                -0.208274905,
                2.246529026,
                0.816760644,
                -0.206069196,
            ],
            objective: None,
        },
    );
}

#[test]
fn breast_cancer_two_classes_match_scikit_learns_svc() {
    matches_scikit_learn(
        "breast_cancer",
        "diagnosis",
        models::Kernel::Rbf,
        Expected {
            labels: "111011100000001110000001001100101000101100000011000000000100010000010110100010001101110100000101000010011000001111",
            support: &[53, 55],
            iterations: &[207],
            rho: &[0.2411375728331855],
            // Positive for class 1 (malignant), as scikit-learn's decision function.
            decision: &[1.769866683, 1.428085537, 0.478755496],
            objective: Some(-49.90080997480702),
        },
    );
}

#[test]
fn breast_cancer_with_a_linear_kernel_matches_scikit_learns_svc() {
    matches_scikit_learn(
        "breast_cancer",
        "diagnosis",
        models::Kernel::Linear,
        Expected {
            labels: "111011100000001110000001001100101000100100000011000000000100010000010110100010001101110100000101000000011000001111",
            support: &[16, 16],
            iterations: &[841],
            rho: &[-0.02529632930891307],
            decision: &[8.185012697, 8.094275253, 0.555172083],
            objective: Some(-17.020689227865763),
        },
    );
}

/// Iris's measurements standardised, and its species.
fn iris_scaled() -> (Array2<f64>, Vec<usize>) {
    let (mut x, y) = iris();
    for mut column in x.columns_mut() {
        let mean = column.mean().unwrap();
        let std = column.std(0.0);
        column.mapv_inplace(|v| (v - mean) / std);
    }
    (x, y)
}

fn settings(cache_bytes: usize, shrinking: bool) -> smo::Settings {
    smo::Settings {
        c: 1.0,
        kernel: Kernel::Rbf { gamma: 0.25 },
        tolerance: TOLERANCE,
        shrinking,
        cache_bytes,
        max_work: u64::MAX,
    }
}

/// Versicolor (+1) against virginica (−1): the two iris species that overlap.
fn overlapping_pair() -> (Vec<f64>, Vec<f64>) {
    let (x, y) = iris_scaled();
    let x: Vec<f64> = x.rows().into_iter().skip(50).flat_map(|r| r.to_vec()).collect();
    let signs = y[50..].iter().map(|&c| if c == 1 { 1.0 } else { -1.0 }).collect();
    (x, signs)
}

#[test]
fn a_cache_of_two_rows_reaches_the_same_solution_as_a_cache_of_all() {
    // Two rows of 100 is the smallest cache: every step evicts and recomputes.
    let (x, signs) = overlapping_pair();
    let all = smo::solve(&x, 4, &signs, &settings(CACHE_BYTES, true)).unwrap();
    let two = smo::solve(&x, 4, &signs, &settings(0, true)).unwrap();
    assert_eq!(all.alpha, two.alpha);
    assert_eq!((all.rho, all.iterations), (two.rho, two.iterations));
}

#[test]
fn shrinking_or_not_the_solution_is_the_same_within_the_tolerance() {
    let (x, signs) = overlapping_pair();
    let shrunk = smo::solve(&x, 4, &signs, &settings(CACHE_BYTES, true)).unwrap();
    let whole = smo::solve(&x, 4, &signs, &settings(CACHE_BYTES, false)).unwrap();
    assert!((shrunk.objective - whole.objective).abs() < 1e-3, "{} {}", shrunk.objective, whole.objective);
    assert!((shrunk.rho - whole.rho).abs() < 1e-2, "{} {}", shrunk.rho, whole.rho);
    // Feasible: 0 ≤ α ≤ C and yᵀα = 0.
    for solution in [&shrunk, &whole] {
        assert!(solution.alpha.iter().all(|a| (0.0..=1.0).contains(a)));
        let balance: f64 = solution.alpha.iter().zip(&signs).map(|(a, s)| a * s).sum();
        assert!(balance.abs() < 1e-9, "{balance}");
    }
}

#[test]
fn a_fit_past_its_budget_says_so() {
    let (x, signs) = overlapping_pair();
    let full = smo::solve(&x, 4, &signs, &settings(CACHE_BYTES, true)).unwrap();
    let short = smo::Settings { max_work: full.work / 2, ..settings(CACHE_BYTES, true) };
    let steps = smo::solve(&x, 4, &signs, &short).unwrap_err();
    assert!(steps > 0 && steps < full.iterations, "{steps} of {}", full.iterations);

    let (x, y) = iris_scaled();
    let err = Svc::fit_within(x.view(), &y, 3, 1.0, Kernel::Linear, 1_000).unwrap_err();
    assert!(err.starts_with("the solver did not converge within the engine's budget for one fit ("), "{err}");
    assert!(
        err.ends_with(
            " steps, about a minute of work): the larger c, the longer an svm takes on classes that \
             overlap (c = 1); lower c"
        ),
        "{err}"
    );
}

#[test]
fn identical_rows_of_two_classes_predict_the_majority_as_scikit_learn() {
    // scikit-learn 1.9.1: `SVC().fit(np.ones((6, 2)), [0, 1, 1, 0, 1, 1])` predicts 1
    // everywhere, with 2 support vectors a class, `intercept_` [1.0], decision value 1.0.
    let x = Array2::<f64>::ones((6, 2));
    let y = [0, 1, 1, 0, 1, 1];
    let svc = Svc::fit(x.view(), &y, 2, 1.0, Kernel::Rbf { gamma: scale_gamma(x.view()) }).unwrap();
    assert_eq!(svc.support_vectors(), [2, 2]);
    assert_eq!(svc.machines()[0].rho, 1.0);
    let prediction = svc.predict(x.view());
    assert_eq!(prediction.labels, [1; 6]);
    assert_all_close(prediction.decision.as_slice().unwrap(), &[1.0; 6], 1e-12);
}

#[test]
fn a_tiny_or_huge_c_trains_as_scikit_learn() {
    // scikit-learn 1.9.1, `SVC(C=c, gamma=0.25).fit(x, y)` on standardised iris: C = 1e-12
    // keeps every row at the bound (135 right), C = 1e9 separates every row.
    let (x, y) = iris_scaled();
    for (c, right, support, iterations) in
        [(1e-12, 135, [50, 50, 50], [50, 50, 50]), (1e9, 150, [6, 10, 15], [35, 34, 984])]
    {
        let svc = Svc::fit(x.view(), &y, 3, c, Kernel::Rbf { gamma: 0.25 }).unwrap();
        let labels = svc.predict(x.view()).labels;
        assert_eq!(labels.iter().zip(&y).filter(|(a, b)| a == b).count(), right, "c = {c}");
        assert_eq!(svc.support_vectors(), support, "c = {c}");
        assert_eq!(svc.machines().iter().map(|m| m.iterations).collect::<Vec<_>>(), iterations, "c = {c}");
    }
}

#[test]
fn bad_inputs_are_errors_that_say_what() {
    let x = array![[0.0, 1.0], [1.0, f64::NAN], [2.0, 0.0]];
    let err = Svc::fit(x.view(), &[0, 1, 0], 2, 1.0, Kernel::Linear).unwrap_err();
    assert_eq!(err, "train row 1, input 1 is not a finite number");
    let x = array![[0.0], [1.0]];
    assert_eq!(
        Svc::fit(x.view(), &[0, 1], 2, 0.0, Kernel::Linear).unwrap_err(),
        "c = 0: use a positive number"
    );
    assert_eq!(
        Svc::fit(x.view(), &[0, 0], 1, 1.0, Kernel::Linear).unwrap_err(),
        "1 class: a classifier needs at least two"
    );
    assert_eq!(
        Svc::fit(x.view(), &[0, 0], 2, 1.0, Kernel::Linear).unwrap_err(),
        "class 1 has no train rows; each of the 2 classes needs one"
    );
    let huge = array![[1e30], [-1e30]];
    let err = Svc::fit(huge.view(), &[0, 1], 2, 1.0, Kernel::Linear).unwrap_err();
    assert!(err.starts_with("train row 0's inputs are too large for the kernel"), "{err}");
}

/// Machines without support vectors, whose decision values are −ρ.
fn constant_machines(values: &[((usize, usize), f64)]) -> Svc {
    let machines = values
        .iter()
        .map(|&(classes, value)| Machine {
            classes,
            terms: Vec::new(),
            rho: -value,
            objective: 0.0,
            iterations: 0,
        })
        .collect();
    Svc {
        kernel: Kernel::Linear,
        width: 1,
        n_classes: 3,
        vectors: Vec::new(),
        vector_classes: Vec::new(),
        machines,
    }
}

#[test]
fn a_tie_of_votes_goes_to_the_lowest_class() {
    // 0 beats 1, 2 beats 0, 1 beats 2: one vote each, and scikit-learn's predict takes 0.
    let svc = constant_machines(&[((0, 1), 1.0), ((0, 2), -1.0), ((1, 2), 1.0)]);
    let prediction = svc.predict(array![[0.0]].view());
    assert_eq!(prediction.labels, [0]);
    // The one-vs-rest scores: one vote each, confidences summing to 0.
    assert_eq!(prediction.decision.as_slice().unwrap(), &[1.0, 1.0, 1.0]);
}

#[test]
fn a_decision_value_of_zero_votes_as_each_of_scikit_learns_functions_counts_it() {
    // libsvm's predict gives an undecided pair's vote to its second class, scikit-learn's
    // one-vs-rest decision function to its first.
    let svc = constant_machines(&[((0, 1), 0.0), ((0, 2), -2.0), ((1, 2), 3.0)]);
    let prediction = svc.predict(array![[0.0]].view());
    // Votes: 1 (from 0 vs 1), 2, 1: class 1 wins.
    assert_eq!(prediction.labels, [1]);
    // scikit-learn's `_ovr_decision_function` gives each class one vote (0 from the
    // undecided pair, then 2 and 1), plus its confidence c / (3(|c| + 1)), c = (−2, 3, −1).
    let expected = [1.0 - 2.0 / 9.0, 1.0 + 3.0 / 12.0, 1.0 - 1.0 / 6.0];
    assert_all_close(prediction.decision.as_slice().unwrap(), &expected, 1e-15);
}
