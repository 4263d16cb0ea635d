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
