//! Test inputs shared by the model modules' tests: iris as the matrix and class codes a
//! model is fitted on, diabetes as inputs and target, and a comparison of fitted numbers with a reference's.

use ndarray::Array2;

use crate::samples;
use crate::table::{read_csv, LoadOptions};

/// Iris's four measurements, unscaled, and its species as codes 0..3 in sorted name order
/// (as scikit-learn's `LabelEncoder`).
pub fn iris() -> (Array2<f64>, Vec<usize>) {
    let s = samples::get("iris").unwrap();
    let table = read_csv(s.csv, s.file, &LoadOptions::default()).unwrap();
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
    let s = samples::get("diabetes").unwrap();
    let table = read_csv(s.csv, s.file, &LoadOptions::default()).unwrap();
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
