//! Test inputs shared by the engine's tests: a bundled sample as a table and the suites'
//! standard pipeline over it, iris as the matrix and class codes a model is fitted on,
//! diabetes as inputs and target, a multiclass set of probabilities, a generator
//! with a Python twin, and the comparison of a computed number with a reference's.

use ndarray::Array2;

use super::fit::PipelineSpec;
use super::model::ModelSpec;
use super::preprocess::{Impute, OneHot, PreprocessSpec, Scale};
use super::split::{SplitMix64, SplitSpec};

use crate::samples;
use crate::table::{read_csv, LoadOptions, Table};
use crate::vocab::Task;

/// The bundled sample `name`, read as a suite reads it.
pub fn sample_table(name: &str) -> Table {
    let s = samples::get(name).unwrap();
    read_csv(s.csv, s.file, &LoadOptions::default()).unwrap()
}

/// The pipeline the example suites use, `model` predicting `target`: 20 % stratified test
/// rows with seed 42, mean imputation, standard scaling, one-hot encoding (scikit-learn's
/// twin in scripts/compare_sklearn.py).
pub fn standard_pipeline(target: &str, task: Task, model: ModelSpec) -> PipelineSpec {
    PipelineSpec {
        target: target.into(),
        task,
        features: None,
        drop: Vec::new(),
        split: SplitSpec { test_size: 0.2, seed: 42, stratify: true },
        preprocess: PreprocessSpec {
            impute: Some(Impute::Mean),
            scale: Some(Scale::Standard),
            one_hot: Some(OneHot::Auto),
        },
        model,
    }
}

/// Iris's four measurements, unscaled, and its species as codes 0..3 in sorted name order
/// (as scikit-learn's `LabelEncoder`).
pub fn iris() -> (Array2<f64>, Vec<usize>) {
    let table = sample_table("iris");
    let columns = table.columns();
    let x = Array2::from_shape_fn((table.n_rows(), 4), |(i, j)| columns[j].number(i).unwrap());
    let species = ["setosa", "versicolor", "virginica"];
    let y =
        (0..table.n_rows()).map(|i| species.iter().position(|&s| s == columns[4].text(i)).unwrap()).collect();
    (x, y)
}

/// 200 rows of 3 classes and their probabilities (rows × classes, row-major), reproduced in
/// Python as `y = [(i*7 + i//3)%3 for i in range(200)]`,
/// `raw = [((i*13 + k*29)%17) + 1 + 6*(k==y[i]) for k in range(3)]`, `proba = raw / sum(raw)`:
/// the multiclass rows of the metrics' and calibration's tests.
pub fn three_classes() -> (Vec<usize>, Vec<f64>) {
    let y: Vec<usize> = (0..200usize).map(|i| (i * 7 + i / 3) % 3).collect();
    let proba = (0..200usize)
        .flat_map(|i| {
            let raw: Vec<f64> =
                (0..3).map(|k| ((i * 13 + k * 29) % 17 + 1 + 6 * usize::from(k == y[i])) as f64).collect();
            let sum: f64 = raw.iter().sum();
            raw.into_iter().map(move |r| r / sum)
        })
        .collect();
    (y, proba)
}

/// Diabetes's ten inputs, unscaled, and its `progression` target.
pub fn diabetes() -> (Array2<f64>, Vec<f64>) {
    let table = sample_table("diabetes");
    let columns = table.columns();
    let x = Array2::from_shape_fn((table.n_rows(), 10), |(i, j)| columns[j].number(i).unwrap());
    let y = (0..table.n_rows()).map(|i| columns[10].number(i).unwrap()).collect();
    (x, y)
}

/// Every `actual[i]` within `tolerance` of `expected[i]`.
pub fn assert_all_close(actual: &[f64], expected: &[f64], tolerance: f64) {
    assert_eq!(actual.len(), expected.len());
    for (a, e) in actual.iter().zip(expected) {
        assert!((a - e).abs() <= tolerance, "{actual:?}\nexpected {expected:?}");
    }
}

/// Equal within 1e-12, relative to the expected value when it is larger than 1.
#[track_caller]
pub fn assert_close(actual: f64, expected: f64) {
    let tolerance = 1e-12 * expected.abs().max(1.0);
    assert!((actual - expected).abs() <= tolerance, "got {actual:?}, expected {expected:?}");
}

/// The tests' generator: the split's SplitMix64, read the way the tests' Python twins read it
/// (`z = s + 0x9E37…; …`, a few lines), so generated inputs can be rebuilt beside a peer.
pub struct TestRng(SplitMix64);

impl TestRng {
    pub fn new(seed: u64) -> TestRng {
        TestRng(SplitMix64::new(seed))
    }

    /// A whole number below `n`: the remainder (the twins' `% n`; its small bias does not
    /// matter to a test).
    pub fn below(&mut self, n: u64) -> u64 {
        self.0.next_u64() % n
    }

    /// A uniform in [0, 1) from the top 53 bits.
    pub fn uniform(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * 2f64.powi(-53)
    }

    /// An approximately standard normal: Irwin–Hall(12) − 6 (exact to rebuild in Python,
    /// unlike Box–Muller's transcendental functions).
    pub fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.uniform()).sum::<f64>() - 6.0
    }
}
