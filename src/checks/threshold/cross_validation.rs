//! k-fold cross-validation: the pipeline trained and scored on each fold of the labelled
//! rows, the folds' mean and spread against bounds.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{finite, scored_metric};
use crate::checks::catalog;
use crate::checks::metric::{default_metric, validate_metric, Op};
use crate::checks::{Context, Evaluation, Family, ParamError, TestKind};
use crate::pipeline::evaluate::Metric;
use crate::pipeline::fit::{fit_on, Trained};
use crate::pipeline::limits::{self, MAX_FOLDS};
use crate::pipeline::metrics::Average;
use crate::pipeline::split::k_folds;
use crate::report::fmt::num;
use crate::report::{Bound, Trace};
use crate::table::stats;
use crate::vocab::Task;
use crate::vocab::{Param, ParamType};

// ---------------------------------------------------------------------------------------
// cross_validation

/// The pipeline trained and scored on `folds` folds of the labelled rows: the mean score is
/// at least `min_mean` (at most `max_mean` for a loss or an error) and, with `max_std`, the
/// folds agree: their sample standard deviation (ddof = 1) is at most `max_std`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossValidation {
    #[serde(default = "default_folds")]
    pub folds: usize,
    /// Default: accuracy, or r2 for regression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average: Option<Average>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_mean: Option<f64>,
    /// The bound of a loss or an error (log_loss, rmse, mse, mae), where lower is better.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_mean: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_std: Option<f64>,
}

/// Folds when a test gives none: scikit-learn's `cross_val_score` default.
pub(super) const DEFAULT_FOLDS: usize = 5;

fn default_folds() -> usize {
    DEFAULT_FOLDS
}

impl CrossValidation {
    /// The mean's bound: at least `min_mean`, or at most `max_mean`.
    fn mean_bound(&self) -> Option<(Op, f64)> {
        match (self.min_mean, self.max_mean) {
            (Some(min), _) => Some((Op::Ge, min)),
            (_, Some(max)) => Some((Op::Le, max)),
            _ => None,
        }
    }
}

impl TestKind for CrossValidation {
    fn needs_training(&self) -> Option<&'static str> {
        Some("it retrains the model on folds, and a `predictions` model is not trained")
    }

    const FAMILY: Family = Family::Threshold;
    const SUMMARY: &'static str = "k-fold cross-validation: a metric's mean and spread";
    const PARAMS: &'static [Param] = &[
        Param::optional("folds", ParamType::Integer, "5", "number of folds"),
        catalog::METRIC_DEFAULTED,
        catalog::AVERAGE,
        Param::optional(
            "min_mean",
            ParamType::Number,
            "none",
            "lowest allowed mean (higher-is-better metrics)",
        )
        .starting_at("0.8"),
        Param::optional(
            "max_mean",
            ParamType::Number,
            "none",
            "highest allowed mean (lower-is-better metrics)",
        ),
        Param::optional("max_std", ParamType::Number, "none", "largest allowed spread"),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        validate_metric(self.metric, self.average)?;
        validate_folds(self.folds)?;
        // Both default metrics (accuracy, r2) are higher-is-better.
        let metric = self.metric.unwrap_or(Metric::Accuracy);
        match (self.min_mean, self.max_mean) {
            (Some(_), _) if !metric.higher_is_better() => {
                return Err(ParamError::new(
                    "min_mean",
                    format!("{} is lower-is-better: bound its mean with `max_mean`", metric.name()),
                ))
            }
            (_, Some(_)) if metric.higher_is_better() => {
                return Err(ParamError::new(
                    "max_mean",
                    format!("{} is higher-is-better: bound its mean with `min_mean`", metric.name()),
                ))
            }
            (None, None) if self.max_std.is_none() => {
                let field = if metric.higher_is_better() { "min_mean" } else { "max_mean" };
                return Err(ParamError::new(field, format!("missing: give `{field}`, `max_std` or both")));
            }
            _ => {}
        }
        if let Some(bound) = self.min_mean {
            finite("min_mean", bound)?;
        }
        if let Some(bound) = self.max_mean {
            finite("max_mean", bound)?;
        }
        match self.max_std {
            Some(std) if !(std >= 0.0 && std.is_finite()) => {
                Err(ParamError::new("max_std", format!("{std} is not a standard deviation: use 0 or more")))
            }
            _ => Ok(()),
        }
    }

    /// The mean's bound and the spread's, from the `{mean, std, folds}` it observes.
    fn bounds(&self, observed: &Value, task: Option<Task>) -> Vec<Bound> {
        let metric = self.metric.unwrap_or(default_metric(task.unwrap_or(Task::Classification))).name();
        let mean = observed.get("mean").and_then(Value::as_f64);
        let std = observed.get("std").and_then(Value::as_f64);
        let mean = self.mean_bound().and_then(|(op, value)| op.bound(format!("mean {metric}"), mean, value));
        let std = self.max_std.and_then(|max| Op::Le.bound(format!("std {metric}"), std, max));
        mean.into_iter().chain(std).collect()
    }

    fn fits(&self) -> usize {
        self.folds
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let metric = scored_metric(trace, trained, self.metric)?;
        let name = metric.name();
        let k = self.folds;
        let scores = cross_validate(trace, trained, metric, self.average, k)?;
        let listed = scores.iter().map(|s| num(*s)).collect::<Vec<_>>().join(", ");
        let mean = stats::mean(&scores).unwrap_or(f64::NAN);
        trace.step(format!("mean({name} over {k} folds)"), listed.clone(), format!("mean = {}", num(mean)));
        trace.set("mean", num(mean));
        let std = stats::std(&scores).unwrap_or(f64::NAN);
        trace.step(
            format!("std({name} over {k} folds)"),
            "sample std (ddof = 1)",
            format!("std = {}", num(std)),
        );
        trace.set("std", num(std));
        let mut problems = Vec::new();
        let mut checks: Vec<(String, String, bool)> = Vec::new();
        if let Some((op, bound)) = self.mean_bound() {
            let holds = op.holds(mean, bound);
            let claim = format!("mean {} {}", op.symbol(), num(bound));
            if !holds {
                problems.push(format!("the mean {name} {} is not {} {}", num(mean), op.symbol(), num(bound)));
            }
            checks.push((claim, format!("{} {} {}", num(mean), op.symbol(), num(bound)), holds));
        }
        if let Some(max) = self.max_std {
            let holds = std <= max;
            if !holds {
                problems.push(format!("the folds vary too much (std {} > {})", num(std), num(max)));
            }
            checks.push((format!("std <= {}", num(max)), format!("{} <= {}", num(std), num(max)), holds));
        }
        let passed = problems.is_empty();
        for (claim, evaluation, holds) in checks {
            trace.assert(claim, evaluation, holds);
        }
        let found = format!("{name} over {k} folds: mean {}, std {} ({listed})", num(mean), num(std));
        let message = if passed {
            format!("{found}; every bound holds")
        } else {
            format!("{found}: {}", problems.join("; "))
        };
        Ok(Evaluation {
            passed,
            message,
            observed: json!({ "mean": mean, "std": std, "folds": scores }),
            failures: None,
        })
    }
}

// ---------------------------------------------------------------------------------------
// Helpers

/// `folds` from 2 to [`MAX_FOLDS`]; more folds than labelled rows is checked when the data is known.
pub(super) fn validate_folds(folds: usize) -> Result<(), ParamError> {
    if folds < 2 {
        return Err(ParamError::new("folds", format!("{folds} fold cannot cross-validate; use at least 2")));
    }
    if folds > MAX_FOLDS {
        return Err(ParamError::new(
            "folds",
            format!(
                "{} folds are above the limit of {}: each fold trains the model again; 5 or 10 is usual",
                limits::count(folds),
                limits::count(MAX_FOLDS)
            ),
        ));
    }
    Ok(())
}

/// Trains and scores the pipeline on `k` folds of the labelled rows, one step per fold.
pub(super) fn cross_validate(
    trace: &mut Trace,
    trained: &Trained<'_>,
    metric: Metric,
    average: Option<Average>,
    k: usize,
) -> Result<Vec<f64>, String> {
    let prepared = &trained.prepared;
    if prepared.len() < k {
        return Err(format!("{k} folds need at least {k} labelled rows; there are {}", prepared.len()));
    }
    let folds = k_folds(prepared.len(), k, trained.spec.split.seed, prepared.target.classes());
    let mut scores = Vec::with_capacity(k);
    for (i, fold) in folds.enumerate() {
        let fitted = fit_on(prepared, &trained.spec, &fold).map_err(|e| format!("fold {}: {e}", i + 1))?;
        let score = metric
            .compute(&fitted.y_test, &fitted.test_output, average)
            .map_err(|e| format!("fold {}: {e}", i + 1))?;
        trace.step(
            format!("fold {}: train and evaluate", i + 1),
            format!("train {} rows, test {} rows", fold.train.len(), fold.test.len()),
            format!("{} = {}", metric.name(), num(score)),
        );
        scores.push(score);
    }
    Ok(scores)
}
