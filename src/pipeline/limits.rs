//! What the engine will hold in memory or spend in time for one suite, and the checks that
//! refuse more before anything is allocated.
//!
//! A suite and its data can come from a share link, that is from a stranger; a few KB of
//! either can ask for gigabytes (an id column as a classification target, a wide one-hot) or
//! for hours (billions of iterations, thousands of cross-validation fits, an SVM on a
//! million rows). Each limit below is checked where the size first becomes known, and the error names
//! the column or parameter, the size asked for and the limit, so the person can act on it.
//! The page runs in a wasm32 tab (4 GiB of address space at most), so the budgets are set
//! for it, not for a server.

/// Numbers (8-byte floats) one matrix of the pipeline may hold: the encoded model inputs
/// (rows × inputs), the class probabilities (rows × classes).
///
/// 2²⁶ numbers are 512 MiB. It is also what the largest CSV the loader accepts (128 MiB)
/// holds in cells at most (two bytes a cell, a digit and a comma), so a numeric file that
/// loads always fits; only an expansion (one-hot, classes) can exceed it.
pub const MAX_MATRIX_CELLS: usize = 1 << 26;

/// Classes a classification target may hold. A target with more is almost always an id or a
/// free-text column picked by mistake (each class then has a row or two to learn from), and
/// every classifier's cost grows with it: probabilities are rows × classes, the report has a
/// confusion matrix of classes² and a ROC curve per class.
pub const MAX_CLASSES: usize = 1_000;

/// Model inputs after encoding (a numeric column is one, a category one per level). Ten
/// thousand is far past what a tabular suite needs, and keeps a model's own state (ridge's
/// inputs² normal equations, logistic regression's inputs × classes weights and their
/// L-BFGS history) within [`MAX_MATRIX_CELLS`].
pub const MAX_MODEL_INPUTS: usize = 10_000;

/// Weights logistic regression may learn: (inputs + 1) × classes (one set for two classes).
/// L-BFGS keeps 25 vectors of them (the weights, the gradient, a trial point and its
/// gradient, the direction, ten remembered steps and gradient changes), so this is
/// [`MAX_MATRIX_CELLS`] / 32: about 400 MiB at the limit. 10,000 inputs over 200 classes fit.
pub const MAX_LOGISTIC_WEIGHTS: usize = MAX_MATRIX_CELLS / 32;

/// Train rows an SVM may learn from. Its memory is bounded (the kernel rows it keeps are a
/// cache of [`crate::pipeline::svm::CACHE_BYTES`]), its time is not: the solver's steps and
/// the kernel rows each step reads both grow with the rows, so a fit's time grows with their
/// square or faster. 50,000 train rows of the benchmark's generated data (10 inputs, the
/// default `c` and rbf kernel) take about 8 s natively, a fifth of the work one fit may do
/// ([`crate::pipeline::svm::MAX_WORK`]); more rows would leave a harder data set no room.
pub const MAX_SVM_TRAIN_ROWS: usize = 50_000;

/// Cross-validation folds. Each fold is one more model fit; scikit-learn's default is 5 and
/// 10 is common, leave-one-out over more than a hundred rows is not what a gate needs.
pub const MAX_FOLDS: usize = 100;

/// Iterations of an iterative fit (`max_iterations` of logistic regression and elastic
/// net). scikit-learn's defaults are 100 and 1,000, and its advice for a fit that has not
/// converged is to raise them; ten thousand leaves room for that, while a fit still moving
/// after it is not going to converge (and 4×10⁹ iterations take hours).
pub const MAX_ITERATIONS: u64 = 10_000;

/// Model fits one run may start across all its tests: the suite's own, each
/// cross-validation fold, each refit of a determinism or end-to-end test. A hundred
/// cross-validation tests of five folds fit, two thousand do not: such a suite runs for
/// hours on a file that takes a second to train on.
pub const MAX_SUITE_FITS: usize = 500;

/// Classes whose ROC curve the report carries for the page's chart: a chart of more curves
/// cannot be read, and each curve holds up to one point per test row.
pub const MAX_ROC_CURVES: usize = 20;

/// Points of one ROC curve in the report (its area is computed from every point first): a
/// chart a few hundred pixels wide shows no more, and a curve holds up to one point per
/// distinct score.
pub const MAX_ROC_POINTS: usize = 1_000;

/// Classes up to which the report carries the confusion matrix (classes² counts).
pub const MAX_CONFUSION_CLASSES: usize = 100;

/// The size of `cells` 8-byte numbers, for a message: "512 MiB", "5.4 GiB".
pub fn bytes(cells: usize) -> String {
    let mib = cells as f64 * 8.0 / (1u64 << 20) as f64;
    if mib >= 1024.0 {
        format!("{:.1} GiB", mib / 1024.0)
    } else {
        format!("{:.0} MiB", mib.max(1.0))
    }
}

/// A count with thousands separators, as messages print limits: 60,000.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `rows × width` numbers, refused past [`MAX_MATRIX_CELLS`]; `what` says what the matrix
/// is and `advice` what to do instead.
pub fn check_matrix(rows: usize, width: usize, what: &str, advice: &str) -> Result<(), String> {
    let cells = rows.saturating_mul(width);
    if cells <= MAX_MATRIX_CELLS {
        return Ok(());
    }
    Err(format!(
        "{what} would be {} rows × {} = {} numbers ({}); the engine holds at most {} numbers ({}) in one matrix: {advice}",
        count(rows),
        count(width),
        count(cells),
        bytes(cells),
        count(MAX_MATRIX_CELLS),
        bytes(MAX_MATRIX_CELLS),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_sizes_read_as_people_write_them() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(60_000), "60,000");
        assert_eq!(count(67_108_864), "67,108,864");
        assert_eq!(bytes(MAX_MATRIX_CELLS), "512 MiB");
        assert_eq!(bytes(12_000 * 60_000), "5.4 GiB");
    }
}
