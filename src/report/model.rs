//! What the report says about the model the suite trained, for the page's charts: the
//! confusion matrix and ROC curves on the test rows, and each threshold test's bounds.
//!
//! Plain serde data like the rest of the report; the runner fills it from the pipeline it
//! trained once for the suite ([`crate::run`]), so the charts show the very model the tests
//! judged.

use serde::{Deserialize, Serialize};

pub use crate::pipeline::calibration::CalibrationCurve;
pub use crate::pipeline::fairness::GroupRates;
pub use crate::pipeline::roc::RocPoint;
use crate::vocab::Task;

/// The trained model on its test rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelSummary {
    /// The model and its parameters: `logistic_regression (c = 1, max 100 iterations)`.
    pub description: String,
    pub task: Task,
    pub target: String,
    pub test_rows: usize,
    /// Class labels as the CSV writes them, in scikit-learn's sorted order; empty for regression.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<String>,
    /// `confusion_matrix[t][p]`: test rows of true class `t` predicted as `p` (scikit-learn's
    /// `confusion_matrix` convention: rows = true, columns = predicted).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub confusion_matrix: Vec<Vec<usize>>,
    /// Binary: one curve, for the second class (scikit-learn's `pos_label=1`). Multiclass: one
    /// curve per class against the rest. A class absent from the test rows has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roc: Vec<RocCurve>,
    /// The reliability curve (scikit-learn's `calibration_curve`, the suite's first
    /// `calibration` test's bins), when the suite has such a test: the page draws it
    /// against the diagonal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<CalibrationCurve>,
}

/// One column a `drift` test compared (`tests[].drift[]`, PRODUCT.md §12): the method (the
/// one `auto` chose), the statistic (a p-value for `ks`, `chi2` and `z`, else a distance),
/// the threshold and whether the column drifted; a column not tested says why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftOutcome {
    pub column: String,
    pub method: String,
    pub statistic: Option<f64>,
    pub threshold: f64,
    pub drifted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Both data sets' shares per bin, for the page's overlaid histograms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub histogram: Option<DriftHistogram>,
}

/// A compared column's values binned as Evidently bins them for `jensen_shannon` and `psi`
/// (equal-width bins over both samples, or one per value), each data set's share of its own
/// values per bin. A column with more than [`DriftHistogram::MAX_BINS`] values keeps its
/// most frequent ones and sums the rest into one last bin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftHistogram {
    /// Each bin's label: `lo – hi` for a range, else the value.
    pub bins: Vec<String>,
    pub reference: Vec<f64>,
    pub current: Vec<f64>,
}

impl DriftHistogram {
    pub const MAX_BINS: usize = 24;
}

/// One slice of the evaluated rows, as `slice_metric`, `slice_gap` and `fairness` report it
/// (`tests[].slices[]`): its size, its value, and whether it was judged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SliceOutcome {
    pub name: String,
    pub rows: usize,
    /// The slice's metric or, for a fairness group, its selection rate; none when the metric
    /// is undefined on the slice.
    pub value: Option<f64>,
    pub judged: bool,
    /// Why the slice was not judged (too few rows, an undefined metric).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A fairness group's rates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rates: Option<GroupRates>,
}

/// A ROC curve: `class` against the rest, scored by its predicted probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RocCurve {
    pub class: String,
    /// The area under `points` (for a binary target, the `roc_auc` metric).
    pub auc: f64,
    pub points: Vec<RocPoint>,
}

/// One bound a threshold test checked: `accuracy > 0.8` with the value it found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bound {
    /// What was measured: `accuracy`, `recall[Adelie]`, `mean accuracy`, `std accuracy`.
    pub name: String,
    pub observed: f64,
    /// `>`, `>=`, `<` or `<=`, as the suite writes it.
    pub op: String,
    pub value: f64,
    pub holds: bool,
}
