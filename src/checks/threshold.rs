//! Threshold tests on the trained model (PRODUCT.md §3): a metric against a bound, as the
//! seed lesson's `assert accuracy > 0.8`, and the checks built on the same steps.
//!
//! Every test here reads the pipeline the runner trained once for the suite
//! ([`Context::trained`]); its first step says what was trained on what.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Context, Evaluation, Family, ParamError, TestKind};
use crate::pipeline::evaluate::Metric;
use crate::pipeline::fit::{fit_on, Trained};
use crate::pipeline::metrics::Average;
use crate::pipeline::split::k_folds;
use crate::report::fmt::num;
use crate::report::Trace;
use crate::table::stats;

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

// ---------------------------------------------------------------------------------------
// metric_threshold

/// A metric of the trained model compares to `value` with `op`: `accuracy > 0.8`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricThreshold {
    pub metric: Metric,
    pub op: Op,
    pub value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average: Option<Average>,
    #[serde(default)]
    pub on: Part,
    /// Folds, with `on: cv`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folds: Option<usize>,
}

impl TestKind for MetricThreshold {
    const FAMILY: Family = Family::Threshold;

    fn validate(&self) -> Result<(), ParamError> {
        validate_average(self.metric, self.average)?;
        if !self.value.is_finite() {
            return Err(ParamError::new("value", "the bound must be a finite number"));
        }
        match (self.on, self.folds) {
            (Part::Cv, Some(k)) if k < 2 => {
                Err(ParamError::new("folds", format!("{k} fold cannot cross-validate; use at least 2")))
            }
            (Part::Test | Part::Train, Some(_)) => {
                Err(ParamError::new("folds", "`folds` is only read with `\"on\": \"cv\"`"))
            }
            _ => Ok(()),
        }
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        check_task(self.metric, trained)?;
        train_step(trace, trained);
        let name = self.metric.name();
        let value = match self.on {
            Part::Test | Part::Train => {
                let value = evaluate_step(trace, trained, self.metric, self.average, self.on)?;
                trace.set(name, num(value));
                value
            }
            Part::Cv => {
                let k = self.folds.unwrap_or(5);
                let scores = cross_validate(trace, trained, self.metric, self.average, k)?;
                let mean = stats::mean(&scores).unwrap_or(f64::NAN);
                trace.step(
                    format!("mean({name} over {k} folds)"),
                    scores.iter().map(|s| num(*s)).collect::<Vec<_>>().join(", "),
                    format!("{name} = {}", num(mean)),
                );
                trace.set(name, num(mean));
                mean
            }
        };
        let passed = self.op.holds(value, self.value);
        let claim = format!("{name} {} {}", self.op.symbol(), num(self.value));
        trace.assert(&claim, format!("{} {} {}", num(value), self.op.symbol(), num(self.value)), passed);
        let rows = match self.on {
            Part::Test => format!("on {} test rows", trained.split.test.len()),
            Part::Train => format!("on {} train rows", trained.split.train.len()),
            Part::Cv => format!("averaged over {} folds", self.folds.unwrap_or(5)),
        };
        let message = if passed {
            format!("{name} is {} {rows}, and {claim} holds", num(value))
        } else {
            format!("{name} is {} {rows}: {claim} does not hold", num(value))
        };
        Ok(Evaluation { passed, message, observed: json!(value), failures: None })
    }
}

// ---------------------------------------------------------------------------------------
// Shared steps of the model tests

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

/// Step 1 of every model test: what was trained, on how many rows and inputs.
pub(crate) fn train_step(trace: &mut Trace, trained: &Trained<'_>) {
    let fitted = &trained.fitted;
    trace.step(
        "train_model()",
        format!(
            "{} on {} rows × {} features",
            trained.spec.model.kind(),
            fitted.x_train.nrows(),
            fitted.x_train.ncols()
        ),
        "Model trained",
    );
    trace.set("model", format!("trained {}", trained.spec.model.kind()));
}

/// The `evaluate_model(model)` step: the metric on the test or train rows.
pub(crate) fn evaluate_step(
    trace: &mut Trace,
    trained: &Trained<'_>,
    metric: Metric,
    average: Option<Average>,
    part: Part,
) -> Result<f64, String> {
    let fitted = &trained.fitted;
    let (truth, output, label) = match part {
        Part::Train => (&fitted.y_train, &fitted.train_output, "train"),
        Part::Test | Part::Cv => (&fitted.y_test, &fitted.test_output, "test"),
    };
    let averaged = match average {
        Some(average) if metric.is_averaged() => format!(" ({average})"),
        _ => String::new(),
    };
    let value = metric.compute(truth, output, average);
    let evaluation = format!("{}{averaged} on {} {label} rows", metric.name(), truth.len());
    match value {
        Ok(value) => {
            trace.step("evaluate_model(model)", evaluation, format!("{} = {}", metric.name(), num(value)));
            Ok(value)
        }
        Err(reason) => {
            trace.step("evaluate_model(model)", evaluation, "ERROR");
            Err(reason)
        }
    }
}

/// Trains and scores the pipeline on `k` folds of the labelled rows, one step per fold.
pub(crate) fn cross_validate(
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
    for (i, fold) in folds.iter().enumerate() {
        let fitted = fit_on(prepared, &trained.spec, fold).map_err(|e| format!("fold {}: {e}", i + 1))?;
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
