//! The words the model tests share to say what they measure and against what: a comparison
//! ([`Op`]), the rows scored ([`Part`]), the metric used when a suite names none, the checks
//! of a metric's parameters, a bound as the report's chart draws it, and the population
//! standard deviation the scaler computes.
//!
//! Used by the threshold tests, the unit tests and the integration test; the metrics
//! themselves are computed in [`crate::pipeline::evaluate`].

use serde::{Deserialize, Serialize};

use super::ParamError;
use crate::pipeline::evaluate::Metric;
use crate::pipeline::fit::Trained;
use crate::pipeline::metrics::Average;
use crate::report::Bound;
use crate::table::stats;
use crate::vocab::Task;

/// A comparison, written as in the suite file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
        }
    }

    pub fn holds(self, left: f64, right: f64) -> bool {
        match self {
            Op::Gt => left > right,
            Op::Ge => left >= right,
            Op::Lt => left < right,
            Op::Le => left <= right,
        }
    }

    /// The bound `name op value` with the value a test `observed`, as the report's chart
    /// draws it; `None` when the test observed nothing (an error, a skipped test).
    pub fn bound(self, name: String, observed: Option<f64>, value: f64) -> Option<Bound> {
        observed.map(|observed| Bound {
            name,
            observed,
            op: self.symbol().to_owned(),
            value,
            holds: self.holds(observed, value),
        })
    }
}

/// Which rows a metric is computed on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    #[default]
    Test,
    Train,
    /// The mean over k cross-validation folds of the whole labelled data.
    Cv,
}

/// The metric a test uses when the suite names none: accuracy, or R² for regression (what
/// scikit-learn's `score` reports).
pub(crate) fn default_metric(task: Task) -> Metric {
    match task {
        Task::Classification => Metric::Accuracy,
        Task::Regression => Metric::R2,
    }
}

/// An `average` only with precision, recall or F1; `binary` only with two classes is
/// checked when the metric is computed.
pub(crate) fn validate_average(metric: Metric, average: Option<Average>) -> Result<(), ParamError> {
    match average {
        Some(_) if !metric.is_averaged() => Err(ParamError::new(
            "average",
            format!("`average` is read with precision, recall and f1, not {}", metric.name()),
        )),
        _ => Ok(()),
    }
}

/// An optional `metric` with its `average`: `average` without `metric` would apply to the
/// default metric, which is never averaged.
pub(crate) fn validate_metric(metric: Option<Metric>, average: Option<Average>) -> Result<(), ParamError> {
    match (metric, average) {
        (Some(metric), _) => validate_average(metric, average),
        (None, Some(_)) => Err(ParamError::new(
            "average",
            "`average` is read with precision, recall and f1; name one in `metric`",
        )),
        (None, None) => Ok(()),
    }
}

/// A classification metric on a regression pipeline (or the reverse) cannot be evaluated.
pub(crate) fn check_task(metric: Metric, trained: &Trained<'_>) -> Result<(), String> {
    if metric.task() == trained.spec.task {
        Ok(())
    } else {
        Err(format!(
            "{} is a {} metric; the suite's task is {}",
            metric.name(),
            metric.task().name(),
            trained.spec.task.name()
        ))
    }
}

/// Mean and standard deviation with ddof = 0, as `np.std` and `StandardScaler`; `(0, 0)`
/// for no values.
pub(crate) fn mean_std(values: &[f64]) -> (f64, f64) {
    stats::mean_and_population_std(values).unwrap_or((0.0, 0.0))
}
