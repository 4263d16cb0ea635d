//! Model metrics with scikit-learn's definitions.
//!
//! This module owns the numbers that threshold tests compare (`metric_threshold`,
//! `per_class_metric`, `beats_baseline`, `train_test_gap`, `cross_validation`): classification
//! scores on encoded labels, probabilistic scores on predicted probabilities, and regression
//! errors. Every definition follows scikit-learn 1.9.1 exactly, and the tests at the bottom pin
//! values computed with it.
//!
//! # Inputs
//!
//! - Labels are encoded classes `0..n_classes` (the caller maps them to names).
//! - Probabilities are row-major: `proba[row * n_classes + class]`, one row per sample.
//! - Regression targets and predictions are plain `f64` slices.
//!
//! No function panics: empty input, mismatched lengths, a label `>= n_classes`, NaN or infinite
//! values all give a [`MetricError`] whose message names the offending row by its 0-based index.
//!
//! # Choices, each matching scikit-learn
//!
//! - **The label set is all of `0..n_classes`**, as if `labels=range(n_classes)` were passed.
//!   A class absent from both `y_true` and `y_pred` still counts in a macro average (with a
//!   score of 0.0); scikit-learn without `labels` would skip it and report a higher score.
//! - **zero_division**: a precision, recall or F1 whose denominator is 0 counts as 0.0 (what
//!   scikit-learn's default `zero_division="warn"` returns).
//! - **ROC AUC ties**: the trapezoidal area under the ROC curve over distinct score thresholds,
//!   which equals the Mann–Whitney statistic with average ranks; computed on integer counts so
//!   it is exact. Multiclass is one-vs-rest, macro-averaged.
//! - **Log loss**: probabilities are clipped to `[eps, 1 - eps]` with `eps = f64::EPSILON`
//!   (float64 machine epsilon); rows are **not** renormalised (scikit-learn only warns when
//!   they do not sum to one); natural log; mean over rows.
//! - **R² of a constant target** (`force_finite=True`): 1.0 when predictions are perfect,
//!   otherwise 0.0.
//! - **Sums** use numpy's pairwise summation order, so means agree with scikit-learn to the
//!   last bit whenever the element-wise operations do.
//!
//! ```
//! use mltest::pipeline::metrics::{self, Average};
//!
//! let y_true = [0, 1, 2, 0, 1, 2];
//! let y_pred = [0, 2, 1, 0, 0, 1];
//! let f1 = metrics::f1(&y_true, &y_pred, 3, Average::Macro).unwrap();
//! assert!((f1 - 0.26666666666666666).abs() < 1e-12);
//!
//! let err = metrics::accuracy(&y_true, &y_pred[..5], 3).unwrap_err();
//! assert_eq!(err.to_string(), "y_true has 6 values but y_pred has 5");
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

// numpy's pairwise summation, the order `np.sum` and `np.mean` add float64 values in: one
// implementation, the table's.
use crate::table::stats::sum as pairwise_sum;

/// How per-class precision, recall and F1 are combined into one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Average {
    /// The score of class 1 (scikit-learn's `pos_label=1`); needs exactly two classes.
    Binary,
    /// Unweighted mean over all `n_classes` classes, including classes absent from the data.
    Macro,
    /// Mean over classes weighted by support, the number of rows of each class in `y_true`.
    Weighted,
}

impl Average {
    /// The name used in suite files: `binary`, `macro` or `weighted`.
    pub fn as_str(self) -> &'static str {
        match self {
            Average::Binary => "binary",
            Average::Macro => "macro",
            Average::Weighted => "weighted",
        }
    }
}

impl fmt::Display for Average {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a metric could not be computed. Rows and classes are 0-based indexes.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricError {
    /// There are no rows to score.
    Empty,
    /// `y_true` and `y_pred` have different lengths.
    LengthMismatch { y_true: usize, y_pred: usize },
    /// The probability slice does not hold `rows * n_classes` values.
    ProbaShape { rows: usize, n_classes: usize, len: usize },
    /// A label is not one of the classes `0..n_classes`.
    LabelOutOfRange { which: &'static str, index: usize, label: usize, n_classes: usize },
    /// The metric is only defined with at least two classes.
    TooFewClasses { metric: &'static str, n_classes: usize },
    /// [`Average::Binary`] was asked for a problem that does not have exactly two classes.
    BinaryAverage { n_classes: usize },
    /// There are too many classes to hold per-class counts in memory.
    TooManyClasses { n_classes: usize },
    /// A regression target or prediction is NaN or infinite.
    NotFinite { which: &'static str, index: usize, value: f64 },
    /// A probability is NaN or infinite.
    ProbaNotFinite { row: usize, class: usize, value: f64 },
    /// A probability is below 0 or above 1 (log loss).
    ProbaOutOfRange { row: usize, class: usize, value: f64 },
    /// A row of probabilities does not sum to 1 (multiclass ROC AUC; tolerance as `np.allclose`).
    ProbaRowSum { row: usize, sum: f64 },
    /// ROC AUC needs every class it scores in `y_true`; `absent` has no row.
    ClassAbsent { n_classes: usize, absent: usize, present: Vec<usize> },
    /// The metric needs more rows than were given.
    TooFewRows { metric: &'static str, needed: usize, got: usize },
}

impl fmt::Display for MetricError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetricError::Empty => f.write_str("there are no rows to score (y_true is empty)"),
            MetricError::LengthMismatch { y_true, y_pred } => {
                write!(f, "y_true has {y_true} values but y_pred has {y_pred}")
            }
            MetricError::ProbaShape { rows, n_classes, len } => match rows.checked_mul(*n_classes) {
                Some(expected) => write!(
                    f,
                    "the probabilities should hold {rows} rows × {n_classes} classes = \
                         {expected} values, but hold {len}"
                ),
                None => write!(
                    f,
                    "the probabilities should hold {rows} rows × {n_classes} classes, \
                         but hold {len} values"
                ),
            },
            MetricError::LabelOutOfRange { which, index, label, n_classes } => {
                if *n_classes == 0 {
                    write!(f, "{which}[{index}] is class {label}, but there are no classes (n_classes = 0)")
                } else {
                    write!(
                        f,
                        "{which}[{index}] is class {label}, but the classes are 0..={} \
                         (n_classes = {n_classes})",
                        n_classes - 1
                    )
                }
            }
            MetricError::TooFewClasses { metric, n_classes } => {
                write!(f, "{metric} needs at least 2 classes, but n_classes = {n_classes}")
            }
            MetricError::BinaryAverage { n_classes } => write!(
                f,
                "average `binary` scores class 1 of a two-class problem, but this problem has \
                 {n_classes} classes; use average `macro` or `weighted`"
            ),
            MetricError::TooManyClasses { n_classes } => {
                write!(f, "n_classes = {n_classes} is too large to hold per-class counts in memory")
            }
            MetricError::NotFinite { which, index, value } => {
                write!(f, "{which}[{index}] is {value}; regression metrics need finite numbers")
            }
            MetricError::ProbaNotFinite { row, class, value } => write!(
                f,
                "the probability of class {class} in row {row} is {value}; probabilities must be \
                 finite numbers"
            ),
            MetricError::ProbaOutOfRange { row, class, value } => write!(
                f,
                "the probability of class {class} in row {row} is {value}; probabilities must lie \
                 in [0, 1]"
            ),
            MetricError::ProbaRowSum { row, sum } => write!(
                f,
                "multiclass ROC AUC needs each row of probabilities to sum to 1, but row {row} \
                 sums to {sum}"
            ),
            MetricError::ClassAbsent { n_classes, absent, present } => {
                let present = present.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>();
                if *n_classes == 2 {
                    write!(
                        f,
                        "ROC AUC needs both classes in the test rows; only {} is present",
                        present.join(", ")
                    )
                } else {
                    write!(
                        f,
                        "one-vs-rest ROC AUC needs all {n_classes} classes in the test rows; class \
                         `{absent}` is absent (present: {})",
                        present.join(", ")
                    )
                }
            }
            MetricError::TooFewRows { metric, needed, got } => {
                write!(f, "{metric} needs at least {needed} rows, got {got}")
            }
        }
    }
}

impl std::error::Error for MetricError {}

/// Counts of (true class, predicted class) pairs: row = true, column = predicted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfusionMatrix {
    /// The number of classes; the matrix is `n_classes × n_classes`.
    pub n_classes: usize,
    /// Row-major counts: `counts[t * n_classes + p]` rows of true class `t` predicted as `p`.
    pub counts: Vec<usize>,
}

impl ConfusionMatrix {
    /// Rows of true class `t` predicted as `p`; 0 for a class outside `0..n_classes`.
    pub fn get(&self, t: usize, p: usize) -> usize {
        if t < self.n_classes && p < self.n_classes {
            t.checked_mul(self.n_classes)
                .and_then(|i| i.checked_add(p))
                .and_then(|i| self.counts.get(i))
                .copied()
                .unwrap_or(0)
        } else {
            0
        }
    }

    /// Rows whose true class is `t` (the row sum, or support).
    pub fn true_count(&self, t: usize) -> usize {
        (0..self.n_classes).map(|p| self.get(t, p)).sum()
    }

    /// Rows predicted as `p` (the column sum).
    pub fn predicted_count(&self, p: usize) -> usize {
        (0..self.n_classes).map(|t| self.get(t, p)).sum()
    }

    /// Correctly predicted rows (the trace).
    pub fn correct(&self) -> usize {
        (0..self.n_classes).map(|k| self.get(k, k)).sum()
    }

    /// All rows.
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }
}

/// The confusion matrix over the classes `0..n_classes` (scikit-learn's
/// `confusion_matrix(y_true, y_pred, labels=range(n_classes))`).
pub fn confusion_matrix(
    y_true: &[usize],
    y_pred: &[usize],
    n_classes: usize,
) -> Result<ConfusionMatrix, MetricError> {
    check_labels(y_true, y_pred, n_classes)?;
    let cells = n_classes.checked_mul(n_classes).ok_or(MetricError::TooManyClasses { n_classes })?;
    let mut counts = zeros(cells, n_classes)?;
    for (&t, &p) in y_true.iter().zip(y_pred) {
        // Labels are checked to be < n_classes, so the index is in range.
        if let Some(cell) = counts.get_mut(t * n_classes + p) {
            *cell += 1;
        }
    }
    Ok(ConfusionMatrix { n_classes, counts })
}

/// Precision, recall, F1 and support of one class (scikit-learn's
/// `precision_recall_fscore_support(..., average=None)`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClassScores {
    /// The class index.
    pub class: usize,
    /// Correct among the rows predicted as this class; 0.0 when none is.
    pub precision: f64,
    /// Correct among the rows of this class; 0.0 when there is none.
    pub recall: f64,
    /// Harmonic mean of precision and recall, `2·tp / (true + predicted)`; 0.0 when both are 0.
    pub f1: f64,
    /// Rows of this class in `y_true`.
    pub support: usize,
}

/// Scores of every class `0..n_classes`, in class order.
pub fn per_class_scores(
    y_true: &[usize],
    y_pred: &[usize],
    n_classes: usize,
) -> Result<Vec<ClassScores>, MetricError> {
    check_labels(y_true, y_pred, n_classes)?;
    let counts = ClassCounts::new(y_true, y_pred, n_classes)?;
    Ok(counts.scores())
}

/// Fraction of rows predicted correctly (scikit-learn's `accuracy_score`).
pub fn accuracy(y_true: &[usize], y_pred: &[usize], n_classes: usize) -> Result<f64, MetricError> {
    check_labels(y_true, y_pred, n_classes)?;
    let correct = y_true.iter().zip(y_pred).filter(|(t, p)| t == p).count();
    Ok(correct as f64 / y_true.len() as f64)
}

/// Precision (scikit-learn's `precision_score` with `labels=range(n_classes)`).
pub fn precision(
    y_true: &[usize],
    y_pred: &[usize],
    n_classes: usize,
    average: Average,
) -> Result<f64, MetricError> {
    averaged(y_true, y_pred, n_classes, average, |s| s.precision)
}

/// Recall (scikit-learn's `recall_score` with `labels=range(n_classes)`).
pub fn recall(
    y_true: &[usize],
    y_pred: &[usize],
    n_classes: usize,
    average: Average,
) -> Result<f64, MetricError> {
    averaged(y_true, y_pred, n_classes, average, |s| s.recall)
}

/// F1 score (scikit-learn's `f1_score` with `labels=range(n_classes)`).
pub fn f1(
    y_true: &[usize],
    y_pred: &[usize],
    n_classes: usize,
    average: Average,
) -> Result<f64, MetricError> {
    averaged(y_true, y_pred, n_classes, average, |s| s.f1)
}

/// Matthews correlation coefficient with scikit-learn's multiclass formula; 0.0 when it is
/// undefined (all rows of one true class, or all predictions one class), as scikit-learn returns.
pub fn matthews_corrcoef(y_true: &[usize], y_pred: &[usize], n_classes: usize) -> Result<f64, MetricError> {
    check_labels(y_true, y_pred, n_classes)?;
    let counts = ClassCounts::new(y_true, y_pred, n_classes)?;
    // Counts become f64 before any product, as scikit-learn does: no overflow at any size.
    let t_sum: Vec<f64> = counts.true_count.iter().map(|&c| c as f64).collect();
    let p_sum: Vec<f64> = counts.pred_count.iter().map(|&c| c as f64).collect();
    let n_correct = pairwise_sum(&counts.tp.iter().map(|&c| c as f64).collect::<Vec<_>>());
    let n_samples = pairwise_sum(&p_sum);
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let cov_ytyp = n_correct * n_samples - dot(&t_sum, &p_sum);
    let cov_ypyp = n_samples * n_samples - dot(&p_sum, &p_sum);
    let cov_ytyt = n_samples * n_samples - dot(&t_sum, &t_sum);
    let cov_ypyp_ytyt = cov_ypyp * cov_ytyt;
    if cov_ypyp_ytyt == 0.0 {
        Ok(0.0)
    } else {
        Ok(cov_ytyp / cov_ypyp_ytyt.sqrt())
    }
}

/// Area under the ROC curve.
///
/// With two classes, the score of a row is its probability of class 1 (scikit-learn's
/// `roc_auc_score(y_true, proba[:, 1])`). With more, it is the unweighted mean of each class
/// against the rest (`multi_class="ovr", average="macro"`), and each row of probabilities must
/// sum to 1 as `np.allclose` judges it. Tied scores share one threshold: the area is the
/// trapezoid over distinct thresholds, which gives a tied positive/negative pair half a point.
/// Every class scored must appear in `y_true` (scikit-learn returns NaN there; this returns
/// [`MetricError::ClassAbsent`]). Every probability must be finite.
pub fn roc_auc(y_true: &[usize], proba: &[f64], n_classes: usize) -> Result<f64, MetricError> {
    if n_classes < 2 {
        return Err(MetricError::TooFewClasses { metric: "ROC AUC", n_classes });
    }
    check_proba(y_true, proba, n_classes)?;
    let mut support = zeros(n_classes, n_classes)?;
    for &t in y_true {
        if let Some(s) = support.get_mut(t) {
            *s += 1;
        }
    }
    let present: Vec<usize> = (0..n_classes).filter(|&k| support.get(k).is_some_and(|&s| s > 0)).collect();
    let absent =
        |class: usize| MetricError::ClassAbsent { n_classes, absent: class, present: present.clone() };
    let rows = proba.chunks_exact(n_classes);
    if n_classes == 2 {
        if let Some(class) = (0..2).find(|k| !present.contains(k)) {
            return Err(absent(class));
        }
        let scored = rows.zip(y_true).map(|(row, &t)| (row.get(1).copied().unwrap_or(0.0), t == 1)).collect();
        return Ok(binary_auc(scored));
    }
    for (row, values) in rows.clone().enumerate() {
        let sum = pairwise_sum(values);
        // np.allclose(1, sum): |1 - sum| <= atol + rtol * |sum| with atol = 1e-8, rtol = 1e-5.
        if (1.0 - sum).abs() > 1e-8 + 1e-5 * sum.abs() {
            return Err(MetricError::ProbaRowSum { row, sum });
        }
    }
    if let Some(class) = (0..n_classes).find(|k| !present.contains(k)) {
        return Err(absent(class));
    }
    let per_class: Vec<f64> = (0..n_classes)
        .map(|class| {
            let scored = rows
                .clone()
                .zip(y_true)
                .map(|(row, &t)| (row.get(class).copied().unwrap_or(0.0), t == class))
                .collect();
            binary_auc(scored)
        })
        .collect();
    Ok(mean(&per_class))
}

/// Log loss (cross-entropy) in nats, averaged over rows (scikit-learn's `log_loss` with
/// `labels=range(n_classes)`).
///
/// Each probability is clipped to `[eps, 1 - eps]` with `eps = f64::EPSILON`, so a probability
/// of exactly 0 for the true class costs `-ln(eps) ≈ 36.04` rather than infinity. Rows are not
/// renormalised: a row that does not sum to 1 is scored as given (scikit-learn only warns).
/// Probabilities must be finite and within `[0, 1]`.
pub fn log_loss(y_true: &[usize], proba: &[f64], n_classes: usize) -> Result<f64, MetricError> {
    if n_classes < 2 {
        return Err(MetricError::TooFewClasses { metric: "log loss", n_classes });
    }
    check_proba(y_true, proba, n_classes)?;
    if let Some((i, &value)) = proba.iter().enumerate().find(|(_, p)| !(0.0..=1.0).contains(*p)) {
        return Err(MetricError::ProbaOutOfRange { row: i / n_classes, class: i % n_classes, value });
    }
    let eps = f64::EPSILON;
    let losses: Vec<f64> = proba
        .chunks_exact(n_classes)
        .zip(y_true)
        .map(|(row, &t)| -row.get(t).copied().unwrap_or(0.0).clamp(eps, 1.0 - eps).ln())
        .collect();
    Ok(mean(&losses))
}

/// Mean squared error (scikit-learn's `mean_squared_error`).
pub fn mse(y_true: &[f64], y_pred: &[f64]) -> Result<f64, MetricError> {
    check_regression(y_true, y_pred)?;
    Ok(mean(&squared_errors(y_true, y_pred)))
}

/// Root mean squared error, the square root of [`mse`] (scikit-learn's
/// `root_mean_squared_error`).
pub fn rmse(y_true: &[f64], y_pred: &[f64]) -> Result<f64, MetricError> {
    mse(y_true, y_pred).map(f64::sqrt)
}

/// Mean absolute error (scikit-learn's `mean_absolute_error`).
pub fn mae(y_true: &[f64], y_pred: &[f64]) -> Result<f64, MetricError> {
    check_regression(y_true, y_pred)?;
    let errors: Vec<f64> = y_true.iter().zip(y_pred).map(|(t, p)| (p - t).abs()).collect();
    Ok(mean(&errors))
}

/// Coefficient of determination R² (scikit-learn's `r2_score`, `force_finite=True`).
///
/// When `y_true` is constant (zero variance) the score is 1.0 if the predictions are perfect
/// and 0.0 otherwise. "Constant" is judged after numpy's rounding of the mean, exactly as
/// scikit-learn does, so a target such as `[0.1, 0.1, 0.1]` whose computed mean is off by one
/// ulp gets scikit-learn's (huge negative) score. Needs at least two rows (scikit-learn returns
/// NaN with fewer; this returns [`MetricError::TooFewRows`]).
pub fn r2(y_true: &[f64], y_pred: &[f64]) -> Result<f64, MetricError> {
    check_regression(y_true, y_pred)?;
    if y_true.len() < 2 {
        return Err(MetricError::TooFewRows { metric: "R²", needed: 2, got: y_true.len() });
    }
    let numerator = pairwise_sum(&squared_errors(y_true, y_pred));
    let y_mean = mean(y_true);
    let deviations: Vec<f64> = y_true.iter().map(|t| (t - y_mean) * (t - y_mean)).collect();
    let denominator = pairwise_sum(&deviations);
    Ok(match (numerator != 0.0, denominator != 0.0) {
        (false, _) => 1.0,
        (true, true) => 1.0 - numerator / denominator,
        (true, false) => 0.0,
    })
}

/// Per-class true positives, true counts (support) and predicted counts.
struct ClassCounts {
    tp: Vec<usize>,
    true_count: Vec<usize>,
    pred_count: Vec<usize>,
}

impl ClassCounts {
    /// Expects labels already checked to be `< n_classes`.
    fn new(y_true: &[usize], y_pred: &[usize], n_classes: usize) -> Result<Self, MetricError> {
        let mut counts = ClassCounts {
            tp: zeros(n_classes, n_classes)?,
            true_count: zeros(n_classes, n_classes)?,
            pred_count: zeros(n_classes, n_classes)?,
        };
        for (&t, &p) in y_true.iter().zip(y_pred) {
            if let Some(c) = counts.true_count.get_mut(t) {
                *c += 1;
            }
            if let Some(c) = counts.pred_count.get_mut(p) {
                *c += 1;
            }
            if t == p {
                if let Some(c) = counts.tp.get_mut(t) {
                    *c += 1;
                }
            }
        }
        Ok(counts)
    }

    fn scores(&self) -> Vec<ClassScores> {
        // scikit-learn's _prf_divide: a zero denominator gives 0.0 (zero_division="warn").
        let divide = |num: f64, den: f64| if den == 0.0 { 0.0 } else { num / den };
        self.tp
            .iter()
            .zip(&self.true_count)
            .zip(&self.pred_count)
            .enumerate()
            .map(|(class, ((&tp, &t), &p))| {
                let (tp, t_f, p_f) = (tp as f64, t as f64, p as f64);
                ClassScores {
                    class,
                    precision: divide(tp, p_f),
                    recall: divide(tp, t_f),
                    // (1 + β²)·tp / (β²·true + predicted) with β = 1.
                    f1: divide(2.0 * tp, t_f + p_f),
                    support: t,
                }
            })
            .collect()
    }
}

fn averaged(
    y_true: &[usize],
    y_pred: &[usize],
    n_classes: usize,
    average: Average,
    pick: fn(&ClassScores) -> f64,
) -> Result<f64, MetricError> {
    check_labels(y_true, y_pred, n_classes)?;
    if average == Average::Binary && n_classes != 2 {
        return Err(MetricError::BinaryAverage { n_classes });
    }
    let scores = ClassCounts::new(y_true, y_pred, n_classes)?.scores();
    let values: Vec<f64> = scores.iter().map(pick).collect();
    Ok(match average {
        Average::Binary => values.get(1).copied().unwrap_or(0.0),
        Average::Macro => mean(&values),
        Average::Weighted => {
            // np.average(values, weights=support): sum(v·w) / sum(w). The support sums to the
            // number of rows, which is at least 1.
            let weights: Vec<f64> = scores.iter().map(|s| s.support as f64).collect();
            let weighted: Vec<f64> = values.iter().zip(&weights).map(|(v, w)| v * w).collect();
            pairwise_sum(&weighted) / pairwise_sum(&weights)
        }
    })
}

/// Area under the ROC curve of `(score, is_positive)` pairs that hold both kinds.
///
/// Sorted by decreasing score, each run of equal scores is one threshold; the area is the sum
/// of trapezoids between consecutive thresholds (scikit-learn's `roc_curve` + `auc`), kept as
/// twice the area in integer-valued f64 (exact up to 2^53) and divided once at the end.
fn binary_auc(mut scored: Vec<(f64, bool)>) -> f64 {
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut tp, mut fp, mut twice_area) = (0.0_f64, 0.0_f64, 0.0_f64);
    for run in scored.chunk_by(|a, b| a.0 == b.0) {
        let positives = run.iter().filter(|(_, positive)| *positive).count() as f64;
        let negatives = run.len() as f64 - positives;
        twice_area += negatives * (2.0 * tp + positives);
        tp += positives;
        fp += negatives;
    }
    twice_area / (2.0 * tp * fp)
}

fn check_labels(y_true: &[usize], y_pred: &[usize], n_classes: usize) -> Result<(), MetricError> {
    if y_true.len() != y_pred.len() {
        return Err(MetricError::LengthMismatch { y_true: y_true.len(), y_pred: y_pred.len() });
    }
    if y_true.is_empty() {
        return Err(MetricError::Empty);
    }
    check_range("y_true", y_true, n_classes)?;
    check_range("y_pred", y_pred, n_classes)
}

fn check_range(which: &'static str, labels: &[usize], n_classes: usize) -> Result<(), MetricError> {
    match labels.iter().enumerate().find(|(_, &label)| label >= n_classes) {
        Some((index, &label)) => Err(MetricError::LabelOutOfRange { which, index, label, n_classes }),
        None => Ok(()),
    }
}

/// Shape, labels and finiteness of probabilities; expects `n_classes >= 2`.
fn check_proba(y_true: &[usize], proba: &[f64], n_classes: usize) -> Result<(), MetricError> {
    if y_true.is_empty() {
        return Err(MetricError::Empty);
    }
    if y_true.len().checked_mul(n_classes) != Some(proba.len()) {
        return Err(MetricError::ProbaShape { rows: y_true.len(), n_classes, len: proba.len() });
    }
    check_range("y_true", y_true, n_classes)?;
    match proba.iter().enumerate().find(|(_, p)| !p.is_finite()) {
        Some((i, &value)) => {
            Err(MetricError::ProbaNotFinite { row: i / n_classes, class: i % n_classes, value })
        }
        None => Ok(()),
    }
}

fn check_regression(y_true: &[f64], y_pred: &[f64]) -> Result<(), MetricError> {
    if y_true.len() != y_pred.len() {
        return Err(MetricError::LengthMismatch { y_true: y_true.len(), y_pred: y_pred.len() });
    }
    if y_true.is_empty() {
        return Err(MetricError::Empty);
    }
    for (which, values) in [("y_true", y_true), ("y_pred", y_pred)] {
        if let Some((index, &value)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(MetricError::NotFinite { which, index, value });
        }
    }
    Ok(())
}

fn squared_errors(y_true: &[f64], y_pred: &[f64]) -> Vec<f64> {
    y_true.iter().zip(y_pred).map(|(t, p)| (t - p) * (t - p)).collect()
}

/// A vector of `len` zeros, or [`MetricError::TooManyClasses`] if it cannot be allocated.
fn zeros(len: usize, n_classes: usize) -> Result<Vec<usize>, MetricError> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| MetricError::TooManyClasses { n_classes })?;
    v.resize(len, 0);
    Ok(v)
}

/// numpy's mean: the pairwise sum divided by the count. Callers pass a non-empty slice.
fn mean(values: &[f64]) -> f64 {
    pairwise_sum(values) / values.len() as f64
}

#[cfg(test)]
mod tests {
    //! Expected values are computed with scikit-learn 1.9.1 (numpy 2.4.6), each once, with the
    //! Python call cited next to it; labels are passed as `labels=range(n_classes)` wherever the
    //! call accepts them, which is what this module does.

    use super::*;

    use crate::pipeline::fixtures::assert_close;

    /// Equal within 1e-12 relative to the expected value, for values far below 1.
    #[track_caller]
    fn assert_close_rel(actual: f64, expected: f64) {
        assert!((actual - expected).abs() <= 1e-12 * expected.abs(), "got {actual:?}, expected {expected:?}");
    }

    /// Row-major `[1 - s, s]` rows for binary scores.
    fn binary_proba(scores: &[f64]) -> Vec<f64> {
        scores.iter().flat_map(|&s| [1.0 - s, s]).collect()
    }

    const BT: [usize; 10] = [0, 1, 1, 0, 1, 1, 0, 0, 1, 0];
    const BP: [usize; 10] = [0, 1, 0, 0, 1, 1, 1, 0, 1, 1];
    const MT: [usize; 10] = [0, 1, 2, 0, 1, 2, 0, 1, 2, 2];
    const MP: [usize; 10] = [0, 2, 1, 0, 0, 1, 0, 1, 2, 2];

    /// 200 binary rows, reproduced in Python as
    /// `y = [1 if (i*i+3*i)%7<3 else 0 for i in range(200)]; a = [(i*37)%101 for i in range(200)]`
    /// `proba = [[(140-a[i]-40*y[i])/140, (a[i]+40*y[i])/140] for i in range(200)]`.
    /// Ties are frequent and some probabilities are exactly 0 or 1.
    fn large_binary() -> (Vec<usize>, Vec<f64>) {
        let y: Vec<usize> = (0..200usize).map(|i| usize::from((i * i + 3 * i) % 7 < 3)).collect();
        let proba = (0..200usize)
            .flat_map(|i| {
                let a = (i * 37 % 101 + 40 * y[i]) as f64;
                [(140.0 - a) / 140.0, a / 140.0]
            })
            .collect();
        (y, proba)
    }

    // --- confusion matrix and accuracy ---

    #[test]
    fn confusion_matrix_rows_are_true_columns_predicted() {
        let cm = confusion_matrix(&MT, &MP, 3).unwrap();
        // sklearn.metrics.confusion_matrix(MT, MP, labels=[0,1,2]).tolist()
        //   = [[3, 0, 0], [1, 1, 1], [0, 2, 2]] (scikit-learn 1.9.1)
        assert_eq!(cm.counts, vec![3, 0, 0, 1, 1, 1, 0, 2, 2]);
        assert_eq!((cm.get(1, 0), cm.get(2, 1), cm.get(0, 2)), (1, 2, 0));
        assert_eq!((cm.true_count(2), cm.predicted_count(1), cm.correct(), cm.total()), (4, 3, 6, 10));
    }

    #[test]
    fn confusion_matrix_get_outside_the_classes_is_zero() {
        let cm = confusion_matrix(&[0, 1], &[1, 1], 2).unwrap();
        assert_eq!((cm.get(2, 0), cm.get(0, 5), cm.get(usize::MAX, usize::MAX)), (0, 0, 0));
        let broken = ConfusionMatrix { n_classes: 3, counts: vec![1] };
        assert_eq!(broken.get(2, 2), 0);
    }

    #[test]
    fn confusion_matrix_keeps_classes_absent_from_the_data() {
        let cm = confusion_matrix(&[0, 0], &[0, 1], 4).unwrap();
        assert_eq!(cm.counts.len(), 16);
        assert_eq!(cm.true_count(3) + cm.predicted_count(3), 0);
    }

    #[test]
    fn accuracy_binary_and_multiclass() {
        // sklearn.metrics.accuracy_score(BT, BP) = 0.7 (scikit-learn 1.9.1)
        assert_close(accuracy(&BT, &BP, 2).unwrap(), 0.7);
        // sklearn.metrics.accuracy_score(MT, MP) = 0.6 (scikit-learn 1.9.1)
        assert_close(accuracy(&MT, &MP, 3).unwrap(), 0.6);
    }

    // --- precision, recall, F1 ---

    #[test]
    fn binary_average_scores_class_one() {
        // sklearn.metrics.precision_score(BT, BP) = 0.6666666666666666 (scikit-learn 1.9.1)
        assert_close(precision(&BT, &BP, 2, Average::Binary).unwrap(), 0.6666666666666666);
        // sklearn.metrics.recall_score(BT, BP) = 0.8 (scikit-learn 1.9.1)
        assert_close(recall(&BT, &BP, 2, Average::Binary).unwrap(), 0.8);
        // sklearn.metrics.f1_score(BT, BP) = 0.7272727272727273 (scikit-learn 1.9.1)
        assert_close(f1(&BT, &BP, 2, Average::Binary).unwrap(), 0.7272727272727273);
    }

    #[test]
    fn macro_and_weighted_on_two_classes() {
        // sklearn.metrics.{precision,recall,f1}_score(BT, BP, average=..., labels=[0,1])
        // (scikit-learn 1.9.1): macro 0.7083333333333333, 0.7, 0.696969696969697;
        // weighted 0.7083333333333333, 0.7, 0.696969696969697 (supports are equal)
        assert_close(precision(&BT, &BP, 2, Average::Macro).unwrap(), 0.7083333333333333);
        assert_close(recall(&BT, &BP, 2, Average::Macro).unwrap(), 0.7);
        assert_close(f1(&BT, &BP, 2, Average::Macro).unwrap(), 0.696969696969697);
        assert_close(precision(&BT, &BP, 2, Average::Weighted).unwrap(), 0.7083333333333333);
        assert_close(recall(&BT, &BP, 2, Average::Weighted).unwrap(), 0.7);
        assert_close(f1(&BT, &BP, 2, Average::Weighted).unwrap(), 0.696969696969697);
    }

    #[test]
    fn macro_and_weighted_on_three_classes() {
        // sklearn.metrics.{precision,recall,f1}_score(MT, MP, average="macro", labels=[0,1,2])
        //   = 0.5833333333333334, 0.611111111111111, 0.5873015873015873 (scikit-learn 1.9.1)
        assert_close(precision(&MT, &MP, 3, Average::Macro).unwrap(), 0.5833333333333334);
        assert_close(recall(&MT, &MP, 3, Average::Macro).unwrap(), 0.611111111111111);
        assert_close(f1(&MT, &MP, 3, Average::Macro).unwrap(), 0.5873015873015873);
        // same with average="weighted"
        //   = 0.5916666666666666, 0.6, 0.5857142857142856 (scikit-learn 1.9.1)
        assert_close(precision(&MT, &MP, 3, Average::Weighted).unwrap(), 0.5916666666666666);
        assert_close(recall(&MT, &MP, 3, Average::Weighted).unwrap(), 0.6);
        assert_close(f1(&MT, &MP, 3, Average::Weighted).unwrap(), 0.5857142857142856);
    }

    #[test]
    fn macro_f1_of_the_documented_example() {
        // sklearn.metrics.f1_score([0,1,2,0,1,2],[0,2,1,0,0,1], average="macro")
        //   = 0.26666666666666666 (scikit-learn 1.9.1)
        assert_close(
            f1(&[0, 1, 2, 0, 1, 2], &[0, 2, 1, 0, 0, 1], 3, Average::Macro).unwrap(),
            0.26666666666666666,
        );
    }

    #[test]
    fn per_class_scores_match_average_none() {
        // sklearn.metrics.precision_recall_fscore_support(MT, MP, labels=[0,1,2], average=None)
        //   precision [0.75, 0.3333333333333333, 0.6666666666666666]
        //   recall    [1.0, 0.3333333333333333, 0.5]
        //   f1        [0.8571428571428571, 0.3333333333333333, 0.5714285714285714]
        //   support   [3, 3, 4] (scikit-learn 1.9.1)
        let scores = per_class_scores(&MT, &MP, 3).unwrap();
        let expected = [
            (0.75, 1.0, 0.8571428571428571, 3),
            (0.3333333333333333, 0.3333333333333333, 0.3333333333333333, 3),
            (0.6666666666666666, 0.5, 0.5714285714285714, 4),
        ];
        assert_eq!(scores.len(), 3);
        for (class, (s, (p, r, f, support))) in scores.iter().zip(expected).enumerate() {
            assert_eq!((s.class, s.support), (class, support));
            assert_close(s.precision, p);
            assert_close(s.recall, r);
            assert_close(s.f1, f);
        }
    }

    #[test]
    fn class_never_predicted_has_zero_precision() {
        let (t, p) = ([0, 1, 2, 0, 1, 2], [0, 0, 1, 0, 0, 1]);
        assert_eq!(per_class_scores(&t, &p, 3).unwrap()[2].precision, 0.0);
        // sklearn.metrics.precision_score(t, p, average="macro", labels=[0,1,2])
        //   = 0.16666666666666666 (scikit-learn 1.9.1; 0/0 counts as 0.0 with zero_division="warn")
        assert_close(precision(&t, &p, 3, Average::Macro).unwrap(), 0.16666666666666666);
        // same with average="weighted" = 0.16666666666666666 (scikit-learn 1.9.1)
        assert_close(precision(&t, &p, 3, Average::Weighted).unwrap(), 0.16666666666666666);
        // sklearn.metrics.f1_score(t, p, average="macro", labels=[0,1,2]) = 0.2222222222222222
        // and average="weighted" = 0.2222222222222222 (scikit-learn 1.9.1)
        assert_close(f1(&t, &p, 3, Average::Macro).unwrap(), 0.2222222222222222);
        assert_close(f1(&t, &p, 3, Average::Weighted).unwrap(), 0.2222222222222222);
    }

    #[test]
    fn class_absent_from_y_true_counts_as_zero_in_macro_and_nothing_in_weighted() {
        let (t, p) = ([0, 1, 0, 1, 0, 1], [0, 1, 1, 1, 0, 2]);
        // sklearn.metrics.{precision,recall,f1}_score(t, p, average="macro", labels=[0,1,2])
        //   = 0.5555555555555555, 0.4444444444444444, 0.48888888888888893 (scikit-learn 1.9.1)
        assert_close(precision(&t, &p, 3, Average::Macro).unwrap(), 0.5555555555555555);
        assert_close(recall(&t, &p, 3, Average::Macro).unwrap(), 0.4444444444444444);
        assert_close(f1(&t, &p, 3, Average::Macro).unwrap(), 0.48888888888888893);
        // same with average="weighted"
        //   = 0.8333333333333334, 0.6666666666666666, 0.7333333333333334 (scikit-learn 1.9.1)
        assert_close(precision(&t, &p, 3, Average::Weighted).unwrap(), 0.8333333333333334);
        assert_close(recall(&t, &p, 3, Average::Weighted).unwrap(), 0.6666666666666666);
        assert_close(f1(&t, &p, 3, Average::Weighted).unwrap(), 0.7333333333333334);
    }

    #[test]
    fn class_absent_from_both_still_counts_in_macro() {
        let (t, p) = ([0, 1, 0, 1], [0, 1, 1, 1]);
        // sklearn.metrics.{precision,recall,f1}_score(t, p, average="macro", labels=[0,1,2])
        //   = 0.5555555555555555, 0.5, 0.48888888888888893 (scikit-learn 1.9.1)
        assert_close(precision(&t, &p, 3, Average::Macro).unwrap(), 0.5555555555555555);
        assert_close(recall(&t, &p, 3, Average::Macro).unwrap(), 0.5);
        assert_close(f1(&t, &p, 3, Average::Macro).unwrap(), 0.48888888888888893);
        // Without labels= scikit-learn would skip class 2:
        // sklearn.metrics.f1_score(t, p, average="macro") = 0.7333333333333334 (scikit-learn 1.9.1)
        assert_close(f1(&t, &p, 2, Average::Macro).unwrap(), 0.7333333333333334);
    }

    #[test]
    fn binary_scores_zero_when_class_one_never_appears() {
        // sklearn.metrics.{precision,recall,f1}_score([0,0,0],[0,0,0]) = 0.0, 0.0, 0.0
        // (scikit-learn 1.9.1)
        let zeros = [0, 0, 0];
        assert_eq!(precision(&zeros, &zeros, 2, Average::Binary).unwrap(), 0.0);
        assert_eq!(recall(&zeros, &zeros, 2, Average::Binary).unwrap(), 0.0);
        assert_eq!(f1(&zeros, &zeros, 2, Average::Binary).unwrap(), 0.0);
    }

    #[test]
    fn perfect_predictions_score_one() {
        // sklearn.metrics.f1_score(MT, MT, average="macro", labels=[0,1,2]) = 1.0 and
        // sklearn.metrics.matthews_corrcoef(MT, MT) = 1.0 (scikit-learn 1.9.1)
        assert_eq!(accuracy(&MT, &MT, 3).unwrap(), 1.0);
        for average in [Average::Macro, Average::Weighted] {
            assert_eq!(precision(&MT, &MT, 3, average).unwrap(), 1.0);
            assert_eq!(recall(&MT, &MT, 3, average).unwrap(), 1.0);
            assert_eq!(f1(&MT, &MT, 3, average).unwrap(), 1.0);
        }
        assert_close(matthews_corrcoef(&MT, &MT, 3).unwrap(), 1.0);
    }

    #[test]
    fn all_wrong_predictions() {
        let (t, p) = ([0, 1, 0, 1], [1, 0, 1, 0]);
        // sklearn.metrics.accuracy_score(t, p) = 0.0; f1_score(t, p) = 0.0;
        // f1_score(t, p, average="macro", labels=[0,1]) = 0.0; matthews_corrcoef(t, p) = -1.0
        // (scikit-learn 1.9.1)
        assert_eq!(accuracy(&t, &p, 2).unwrap(), 0.0);
        assert_eq!(f1(&t, &p, 2, Average::Binary).unwrap(), 0.0);
        assert_eq!(f1(&t, &p, 2, Average::Macro).unwrap(), 0.0);
        assert_close(matthews_corrcoef(&t, &p, 2).unwrap(), -1.0);
        // sklearn.metrics.matthews_corrcoef([0,1,2,0,1,2],[1,2,0,1,2,0]) = -0.5 (scikit-learn 1.9.1)
        assert_close(matthews_corrcoef(&[0, 1, 2, 0, 1, 2], &[1, 2, 0, 1, 2, 0], 3).unwrap(), -0.5);
    }

    // --- Matthews correlation ---

    #[test]
    fn mcc_binary_and_multiclass() {
        // sklearn.metrics.matthews_corrcoef(BT, BP) = 0.408248290463863 (scikit-learn 1.9.1)
        assert_close(matthews_corrcoef(&BT, &BP, 2).unwrap(), 0.408248290463863);
        // sklearn.metrics.matthews_corrcoef(MT, MP) = 0.4090909090909091 (scikit-learn 1.9.1)
        assert_close(matthews_corrcoef(&MT, &MP, 3).unwrap(), 0.4090909090909091);
    }

    #[test]
    fn mcc_is_zero_when_undefined() {
        // sklearn.metrics.matthews_corrcoef([0,0,0,0],[0,0,0,0]) = 0.0 (scikit-learn 1.9.1)
        assert_eq!(matthews_corrcoef(&[0, 0, 0, 0], &[0, 0, 0, 0], 2).unwrap(), 0.0);
        // sklearn.metrics.matthews_corrcoef([0,1,0,1],[1,1,1,1]) = 0.0 (scikit-learn 1.9.1)
        assert_eq!(matthews_corrcoef(&[0, 1, 0, 1], &[1, 1, 1, 1], 2).unwrap(), 0.0);
    }

    #[test]
    fn mcc_on_a_million_rows_does_not_overflow() {
        // i = np.arange(1_000_000); t = i % 3; p = np.where(i % 4 == 0, (i + 1) % 3, i % 3)
        // sklearn.metrics.matthews_corrcoef(t, p) = 0.625000000001125 (scikit-learn 1.9.1)
        let t: Vec<usize> = (0..1_000_000usize).map(|i| i % 3).collect();
        let p: Vec<usize> =
            (0..1_000_000usize).map(|i| if i % 4 == 0 { (i + 1) % 3 } else { i % 3 }).collect();
        assert_close(matthews_corrcoef(&t, &p, 3).unwrap(), 0.625000000001125);
    }

    // --- ROC AUC ---

    #[test]
    fn roc_auc_gives_tied_pairs_half_a_point() {
        // sklearn.metrics.roc_auc_score([0,0,1,1],[0.5,0.5,0.5,0.8]) = 0.75 (scikit-learn 1.9.1)
        assert_close(roc_auc(&[0, 0, 1, 1], &binary_proba(&[0.5, 0.5, 0.5, 0.8]), 2).unwrap(), 0.75);
        // sklearn.metrics.roc_auc_score([0,1,0,1,1,0],[0.2,0.2,0.6,0.6,0.9,0.1])
        //   = 0.7777777777777778 (scikit-learn 1.9.1)
        let proba = binary_proba(&[0.2, 0.2, 0.6, 0.6, 0.9, 0.1]);
        assert_close(roc_auc(&[0, 1, 0, 1, 1, 0], &proba, 2).unwrap(), 0.7777777777777778);
        // sklearn.metrics.roc_auc_score([0,1,0,1],[0.5,0.5,0.5,0.5]) = 0.5 (scikit-learn 1.9.1)
        assert_close(roc_auc(&[0, 1, 0, 1], &binary_proba(&[0.5; 4]), 2).unwrap(), 0.5);
    }

    #[test]
    fn roc_auc_perfect_and_inverted() {
        // sklearn.metrics.roc_auc_score([0,0,1,1],[0.1,0.2,0.7,0.9]) = 1.0 (scikit-learn 1.9.1)
        assert_close(roc_auc(&[0, 0, 1, 1], &binary_proba(&[0.1, 0.2, 0.7, 0.9]), 2).unwrap(), 1.0);
        // sklearn.metrics.roc_auc_score([0,0,1,1],[0.9,0.7,0.2,0.1]) = 0.0 (scikit-learn 1.9.1)
        assert_close(roc_auc(&[0, 0, 1, 1], &binary_proba(&[0.9, 0.7, 0.2, 0.1]), 2).unwrap(), 0.0);
    }

    #[test]
    fn roc_auc_binary_reads_only_the_class_one_column() {
        // Column 0 is ignored, as when scikit-learn is given proba[:, 1].
        let proba = [9.0, 0.5, -3.0, 0.5, 0.0, 0.5, 7.0, 0.8];
        assert_close(roc_auc(&[0, 0, 1, 1], &proba, 2).unwrap(), 0.75);
    }

    #[test]
    fn roc_auc_multiclass_is_one_vs_rest_macro() {
        let y = [0, 1, 2, 0, 1, 2, 1, 0];
        #[rustfmt::skip]
        let proba = [
            0.5, 0.25, 0.25,
            0.25, 0.5, 0.25,
            0.25, 0.25, 0.5,
            0.5, 0.25, 0.25,
            0.25, 0.25, 0.5,
            0.25, 0.5, 0.25,
            0.5, 0.5, 0.0,
            0.25, 0.25, 0.5,
        ];
        // sklearn.metrics.roc_auc_score(y, proba, multi_class="ovr", average="macro",
        //   labels=[0,1,2]) = 0.6972222222222223 (scikit-learn 1.9.1); one-vs-rest per class
        //   0.7333333333333333, 0.7333333333333333, 0.625
        assert_close(roc_auc(&y, &proba, 3).unwrap(), 0.6972222222222223);
    }

    #[test]
    fn roc_auc_on_200_rows() {
        let (y, proba) = large_binary();
        // sklearn.metrics.roc_auc_score(y, [r[1] for r in proba]) = 0.8071402281928597
        // (scikit-learn 1.9.1)
        assert_close(roc_auc(&y, &proba, 2).unwrap(), 0.8071402281928597);
        let (y, proba) = crate::pipeline::fixtures::three_classes();
        // sklearn.metrics.roc_auc_score(y, proba, multi_class="ovr", average="macro",
        //   labels=[0,1,2]) = 0.8370910315136553 (scikit-learn 1.9.1)
        assert_close(roc_auc(&y, &proba, 3).unwrap(), 0.8370910315136553);
    }

    // --- log loss ---

    #[test]
    fn log_loss_binary_and_multiclass() {
        let proba = [0.9, 0.1, 0.2, 0.8, 0.3, 0.7, 0.35, 0.65];
        // sklearn.metrics.log_loss([0,1,1,0], [[0.9,0.1],[0.2,0.8],[0.3,0.7],[0.35,0.65]],
        //   labels=[0,1]) = 0.4337502838523616 (scikit-learn 1.9.1)
        assert_close(log_loss(&[0, 1, 1, 0], &proba, 2).unwrap(), 0.4337502838523616);
        let proba = [0.7, 0.2, 0.1, 0.1, 0.6, 0.3, 0.2, 0.2, 0.6, 0.3, 0.4, 0.3];
        // sklearn.metrics.log_loss([0,1,2,1], [[0.7,0.2,0.1],[0.1,0.6,0.3],[0.2,0.2,0.6],
        //   [0.3,0.4,0.3]], labels=[0,1,2]) = 0.5736542308362172 (scikit-learn 1.9.1)
        assert_close(log_loss(&[0, 1, 2, 1], &proba, 3).unwrap(), 0.5736542308362172);
    }

    #[test]
    fn log_loss_clips_probabilities_of_zero_and_one() {
        // sklearn.metrics.log_loss([0,1,1], [[1,0],[0,1],[1,0]], labels=[0,1])
        //   = 12.014551129705717 (scikit-learn 1.9.1)
        assert_close(log_loss(&[0, 1, 1], &[1.0, 0.0, 0.0, 1.0, 1.0, 0.0], 2).unwrap(), 12.014551129705717);
        // sklearn.metrics.log_loss([0], [[0,1]], labels=[0,1]) = 36.04365338911715, i.e. -ln(eps)
        // (scikit-learn 1.9.1)
        assert_close(log_loss(&[0], &[0.0, 1.0], 2).unwrap(), 36.04365338911715);
        // sklearn.metrics.log_loss([0,1], [[1,0],[0,1]], labels=[0,1]) = 2.220446049250313e-16,
        // i.e. -ln(1 - eps) (scikit-learn 1.9.1)
        assert_close_rel(log_loss(&[0, 1], &[1.0, 0.0, 0.0, 1.0], 2).unwrap(), 2.220446049250313e-16);
    }

    #[test]
    fn log_loss_does_not_renormalise_rows() {
        // sklearn.metrics.log_loss([0,1], [[0.5,0.3],[0.2,0.2]], labels=[0,1])
        //   = 1.1512925464970227 (scikit-learn 1.9.1, with a warning; renormalised it would be
        //   0.4236489301936017)
        assert_close(log_loss(&[0, 1], &[0.5, 0.3, 0.2, 0.2], 2).unwrap(), 1.1512925464970227);
    }

    #[test]
    fn log_loss_with_one_class_in_y_true() {
        // sklearn.metrics.log_loss([1,1], [[0.2,0.8],[0.4,0.6]], labels=[0,1])
        //   = 0.3669845875401002 (scikit-learn 1.9.1)
        assert_close(log_loss(&[1, 1], &[0.2, 0.8, 0.4, 0.6], 2).unwrap(), 0.3669845875401002);
    }

    #[test]
    fn log_loss_on_200_rows() {
        let (y, proba) = large_binary();
        // sklearn.metrics.log_loss(y, proba, labels=[0,1]) = 0.5103834035901715 (scikit-learn 1.9.1)
        assert_close(log_loss(&y, &proba, 2).unwrap(), 0.5103834035901715);
        let (y, proba) = crate::pipeline::fixtures::three_classes();
        // sklearn.metrics.log_loss(y, proba, labels=[0,1,2]) = 0.8283249848688127
        // (scikit-learn 1.9.1)
        assert_close(log_loss(&y, &proba, 3).unwrap(), 0.8283249848688127);
    }

    // --- regression ---

    #[test]
    fn regression_metrics() {
        let (t, p) = ([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0]);
        // sklearn.metrics.mean_squared_error(t, p) = 0.375; root_mean_squared_error(t, p)
        //   = 0.6123724356957945; mean_absolute_error(t, p) = 0.5; r2_score(t, p)
        //   = 0.9486081370449679 (scikit-learn 1.9.1)
        assert_close(mse(&t, &p).unwrap(), 0.375);
        assert_close(rmse(&t, &p).unwrap(), 0.6123724356957945);
        assert_close(mae(&t, &p).unwrap(), 0.5);
        assert_close(r2(&t, &p).unwrap(), 0.9486081370449679);
        // sklearn.metrics.r2_score(t, t) = 1.0 (scikit-learn 1.9.1)
        assert_eq!(r2(&t, &t).unwrap(), 1.0);
    }

    #[test]
    fn r2_of_a_constant_target() {
        // sklearn.metrics.r2_score([2,2,2],[2,2,2]) = 1.0 (scikit-learn 1.9.1)
        assert_eq!(r2(&[2.0, 2.0, 2.0], &[2.0, 2.0, 2.0]).unwrap(), 1.0);
        // sklearn.metrics.r2_score([2,2,2],[2,2,3]) = 0.0 (scikit-learn 1.9.1)
        assert_eq!(r2(&[2.0, 2.0, 2.0], &[2.0, 2.0, 3.0]).unwrap(), 0.0);
    }

    #[test]
    fn r2_judges_constant_after_numpy_rounding_of_the_mean() {
        // The mean of three 0.1s is one ulp above 0.1, so the target is not constant to numpy:
        // sklearn.metrics.r2_score([0.1,0.1,0.1],[0.1,0.1,0.2]) = -1.7307656195116095e+31
        // (scikit-learn 1.9.1)
        assert_close(r2(&[0.1, 0.1, 0.1], &[0.1, 0.1, 0.2]).unwrap(), -1.7307656195116095e+31);
    }

    #[test]
    fn regression_on_200_rows() {
        // t = [((i*37)%101)/7 for i in range(200)]; p = [((i*53)%89)/9 + 1 for i in range(200)]
        let t: Vec<f64> = (0..200usize).map(|i| (i * 37 % 101) as f64 / 7.0).collect();
        let p: Vec<f64> = (0..200usize).map(|i| (i * 53 % 89) as f64 / 9.0 + 1.0).collect();
        // sklearn.metrics.mean_squared_error(t, p) = 26.122297808012096;
        // root_mean_squared_error(t, p) = 5.110997731168749; mean_absolute_error(t, p)
        // = 4.211111111111111; r2_score(t, p) = -0.49728980798883327 (scikit-learn 1.9.1)
        assert_close(mse(&t, &p).unwrap(), 26.122297808012096);
        assert_close(rmse(&t, &p).unwrap(), 5.110997731168749);
        assert_close(mae(&t, &p).unwrap(), 4.211111111111111);
        assert_close(r2(&t, &p).unwrap(), -0.49728980798883327);
    }

    #[test]
    fn sums_follow_numpy_pairwise_order() {
        // np.sum(np.full(10, 0.1)) = 1.0 (a sequential sum gives 0.9999999999999999)
        assert_eq!(pairwise_sum(&[0.1; 10]), 1.0);
        // np.sum(np.full(1000, 0.1)) = 100.00000000000001 (sequential: 99.9999999999986)
        assert_eq!(pairwise_sum(&[0.1; 1000]), 100.00000000000001);
        // np.sum(1 / np.arange(1, 1001)) = 7.485470860550345 (sequential: 7.485470860550343)
        let harmonic: Vec<f64> = (1..=1000).map(|i| 1.0 / f64::from(i)).collect();
        assert_eq!(pairwise_sum(&harmonic), 7.485470860550345);
        assert_eq!(pairwise_sum(&[]), 0.0);
    }

    // --- errors ---

    #[test]
    fn empty_input_is_an_error() {
        let none: [usize; 0] = [];
        assert_eq!(accuracy(&none, &none, 2), Err(MetricError::Empty));
        assert_eq!(confusion_matrix(&none, &none, 2), Err(MetricError::Empty));
        assert_eq!(precision(&none, &none, 2, Average::Macro), Err(MetricError::Empty));
        assert_eq!(recall(&none, &none, 2, Average::Weighted), Err(MetricError::Empty));
        assert_eq!(f1(&none, &none, 2, Average::Binary), Err(MetricError::Empty));
        assert_eq!(matthews_corrcoef(&none, &none, 2), Err(MetricError::Empty));
        assert_eq!(roc_auc(&none, &[], 2), Err(MetricError::Empty));
        assert_eq!(log_loss(&none, &[], 2), Err(MetricError::Empty));
        for metric in [mse, rmse, mae, r2] {
            assert_eq!(metric(&[], &[]), Err(MetricError::Empty));
        }
        assert_eq!(MetricError::Empty.to_string(), "there are no rows to score (y_true is empty)");
    }

    #[test]
    fn mismatched_lengths_are_an_error() {
        let t = vec![0; 30];
        let err = accuracy(&t, &t[..29], 2).unwrap_err();
        assert_eq!(err, MetricError::LengthMismatch { y_true: 30, y_pred: 29 });
        assert_eq!(err.to_string(), "y_true has 30 values but y_pred has 29");
        assert_eq!(f1(&t, &t[..29], 2, Average::Macro), Err(err.clone()));
        assert_eq!(matthews_corrcoef(&t, &t[..29], 2), Err(err));
        assert_eq!(mse(&[1.0, 2.0], &[1.0]), Err(MetricError::LengthMismatch { y_true: 2, y_pred: 1 }));
    }

    #[test]
    fn probabilities_of_the_wrong_shape_are_an_error() {
        let err = roc_auc(&[0, 1, 2], &[0.2; 8], 3).unwrap_err();
        assert_eq!(err, MetricError::ProbaShape { rows: 3, n_classes: 3, len: 8 });
        assert_eq!(
            err.to_string(),
            "the probabilities should hold 3 rows × 3 classes = 9 values, but hold 8"
        );
        assert!(log_loss(&[0, 1], &[0.5; 3], 2).is_err());
        assert!(log_loss(&[0, 1], &[0.5; 4], usize::MAX).is_err());
    }

    #[test]
    fn label_outside_the_classes_is_an_error() {
        let err = accuracy(&[0, 1, 2], &[0, 1, 3], 3).unwrap_err();
        assert_eq!(err, MetricError::LabelOutOfRange { which: "y_pred", index: 2, label: 3, n_classes: 3 });
        assert_eq!(err.to_string(), "y_pred[2] is class 3, but the classes are 0..=2 (n_classes = 3)");
        assert!(matches!(
            confusion_matrix(&[5], &[0], 2),
            Err(MetricError::LabelOutOfRange { which: "y_true", index: 0, label: 5, .. })
        ));
        assert!(matches!(log_loss(&[0, 2], &[0.5; 4], 2), Err(MetricError::LabelOutOfRange { .. })));
        assert!(matches!(roc_auc(&[0, 2], &[0.5; 4], 2), Err(MetricError::LabelOutOfRange { .. })));
        let err = accuracy(&[0], &[0], 0).unwrap_err();
        assert_eq!(err.to_string(), "y_true[0] is class 0, but there are no classes (n_classes = 0)");
    }

    #[test]
    fn binary_average_needs_two_classes() {
        let err = f1(&MT, &MP, 3, Average::Binary).unwrap_err();
        assert_eq!(err, MetricError::BinaryAverage { n_classes: 3 });
        assert_eq!(
            err.to_string(),
            "average `binary` scores class 1 of a two-class problem, but this problem has 3 classes; \
             use average `macro` or `weighted`"
        );
        assert!(precision(&MT, &MP, 3, Average::Binary).is_err());
        assert!(recall(&MT, &MP, 3, Average::Binary).is_err());
    }

    #[test]
    fn roc_auc_with_one_class_present_is_an_error() {
        // scikit-learn 1.9.1 warns "Only one class is present in y_true" and returns NaN.
        let err = roc_auc(&[0, 0, 0], &binary_proba(&[0.1, 0.5, 0.9]), 2).unwrap_err();
        assert_eq!(err, MetricError::ClassAbsent { n_classes: 2, absent: 1, present: vec![0] });
        assert_eq!(err.to_string(), "ROC AUC needs both classes in the test rows; only `0` is present");
        let err = roc_auc(&[1, 1], &binary_proba(&[0.1, 0.9]), 2).unwrap_err();
        assert_eq!(err.to_string(), "ROC AUC needs both classes in the test rows; only `1` is present");
    }

    #[test]
    fn roc_auc_with_a_class_absent_among_three_is_an_error() {
        let proba = [0.6, 0.3, 0.1, 0.2, 0.7, 0.1, 0.5, 0.4, 0.1];
        let err = roc_auc(&[0, 1, 0], &proba, 3).unwrap_err();
        assert_eq!(err, MetricError::ClassAbsent { n_classes: 3, absent: 2, present: vec![0, 1] });
        assert_eq!(
            err.to_string(),
            "one-vs-rest ROC AUC needs all 3 classes in the test rows; class `2` is absent (present: `0`, `1`)"
        );
    }

    #[test]
    fn roc_auc_multiclass_rows_must_sum_to_one() {
        // scikit-learn 1.9.1 raises "Target scores need to be probabilities for multiclass roc_auc".
        let proba = [0.6, 0.3, 0.1, 0.2, 0.7, 0.1, 0.5, 0.4, 0.3];
        let err = roc_auc(&[0, 1, 2], &proba, 3).unwrap_err();
        assert!(matches!(err, MetricError::ProbaRowSum { row: 2, .. }), "{err:?}");
        assert!(err
            .to_string()
            .starts_with("multiclass ROC AUC needs each row of probabilities to sum to 1, but row 2"));
        // np.allclose tolerance: 1e-9 off is accepted.
        let proba = [0.6, 0.3, 0.1 + 1e-9, 0.2, 0.7, 0.1, 0.5, 0.4, 0.1];
        assert!(roc_auc(&[0, 1, 2], &proba, 3).is_ok());
    }

    #[test]
    fn nan_or_infinite_scores_are_an_error() {
        let err = roc_auc(&[0, 1, 0, 1], &[0.5, 0.5, 0.5, f64::NAN, 0.5, 0.5, 0.2, 0.8], 2).unwrap_err();
        assert!(matches!(err, MetricError::ProbaNotFinite { row: 1, class: 1, value } if value.is_nan()));
        assert_eq!(
            err.to_string(),
            "the probability of class 1 in row 1 is NaN; probabilities must be finite numbers"
        );
        assert!(matches!(
            log_loss(&[0, 1], &[0.5, 0.5, f64::NAN, 0.5], 2),
            Err(MetricError::ProbaNotFinite { row: 1, class: 0, .. })
        ));
        assert!(log_loss(&[0, 1], &[0.5, 0.5, f64::INFINITY, 0.5], 2).is_err());
        let err = mse(&[1.0, 2.0], &[1.0, f64::NAN]).unwrap_err();
        assert!(matches!(err, MetricError::NotFinite { which: "y_pred", index: 1, .. }));
        assert_eq!(err.to_string(), "y_pred[1] is NaN; regression metrics need finite numbers");
        assert!(matches!(
            r2(&[f64::NEG_INFINITY, 2.0], &[1.0, 2.0]),
            Err(MetricError::NotFinite { which: "y_true", index: 0, .. })
        ));
        assert!(mae(&[1.0], &[f64::INFINITY]).is_err());
    }

    #[test]
    fn log_loss_probability_outside_zero_one_is_an_error() {
        // scikit-learn 1.9.1 raises "y_prob contains values greater than 1".
        let err = log_loss(&[0, 1], &[0.5, 0.5, -0.2, 1.2], 2).unwrap_err();
        assert_eq!(err, MetricError::ProbaOutOfRange { row: 1, class: 0, value: -0.2 });
        assert_eq!(
            err.to_string(),
            "the probability of class 0 in row 1 is -0.2; probabilities must lie in [0, 1]"
        );
    }

    #[test]
    fn probabilistic_metrics_need_two_classes() {
        let err = roc_auc(&[0, 0], &[1.0, 1.0], 1).unwrap_err();
        assert_eq!(err, MetricError::TooFewClasses { metric: "ROC AUC", n_classes: 1 });
        assert_eq!(err.to_string(), "ROC AUC needs at least 2 classes, but n_classes = 1");
        assert_eq!(
            log_loss(&[0], &[], 0),
            Err(MetricError::TooFewClasses { metric: "log loss", n_classes: 0 })
        );
    }

    #[test]
    fn r2_of_one_row_is_an_error() {
        // scikit-learn 1.9.1 warns "R^2 score is not well-defined with less than two samples"
        // and returns NaN.
        let err = r2(&[1.0], &[2.0]).unwrap_err();
        assert_eq!(err, MetricError::TooFewRows { metric: "R²", needed: 2, got: 1 });
        assert_eq!(err.to_string(), "R² needs at least 2 rows, got 1");
    }

    #[test]
    fn huge_class_count_is_an_error_not_a_panic() {
        assert_eq!(
            confusion_matrix(&[0], &[0], usize::MAX),
            Err(MetricError::TooManyClasses { n_classes: usize::MAX })
        );
        assert_eq!(accuracy(&[0], &[0], usize::MAX), Ok(1.0));
        assert!(matches!(
            f1(&[0], &[0], usize::MAX, Average::Macro),
            Err(MetricError::TooManyClasses { .. })
        ));
    }

    #[test]
    fn average_reads_and_writes_lowercase_names() {
        for (average, name) in
            [(Average::Binary, "binary"), (Average::Macro, "macro"), (Average::Weighted, "weighted")]
        {
            assert_eq!(serde_json::to_string(&average).unwrap(), format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<Average>(&format!("\"{name}\"")).unwrap(), average);
            assert_eq!(average.to_string(), name);
        }
        assert!(serde_json::from_str::<Average>("\"micro\"").is_err());
    }
}
