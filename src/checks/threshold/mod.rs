//! Threshold tests on the trained model (PRODUCT.md §3): a metric against a bound, as the
//! seed lesson's `assert accuracy > 0.8`, and the checks built on the same steps.
//!
//! One file per subject:
//!
//! - `score.rs`: the model's score against a bound: [`MetricThreshold`], [`PerClassMetric`]
//!   (each class on its own), [`BeatsBaseline`] (against a model that learnt nothing),
//!   [`TrainTestGap`] (overfitting).
//! - `cross_validation.rs`: [`CrossValidation`] (k folds: the mean and the spread), and the
//!   folds `metric_threshold` scores with `"on": "cv"`.
//! - `time.rs`: [`TimeBudget`], the one measurement that is not deterministic.
//! - `slices.rs`: the model on each group of its rows: [`SliceMetric`], [`SliceGap`],
//!   [`Fairness`] (fairlearn's measures).
//! - `calibration.rs`: [`Calibration`] (Brier score, expected calibration error).
//! - `perturb.rs`: [`Invariance`] (a perturbation that should not matter does not change the
//!   predictions) and [`Directional`] (raising a feature does not lower the output), both
//!   perturbing the test rows' model inputs consistently with the fitted preprocessing.
//!
//! Every test here reads the pipeline the runner trained once for the suite
//! ([`Context::trained`](super::Context::trained)); its first step (shared here, with the
//! evaluation step) says what was trained on what. The comparison and metric words are in
//! [`super::metric`]; the suite's budget of model fits in `checks/budget.rs` (re-exported
//! here for its callers). Their tests are in `tests/`, a file per subject.

mod calibration;
mod cross_validation;
mod perturb;
mod score;
mod slices;
mod time;

pub use calibration::{Calibration, CalibrationMeasure, DEFAULT_CALIBRATION_BINS};
pub use cross_validation::CrossValidation;
pub use perturb::{Directional, Invariance, Swap};
pub use score::{BeatsBaseline, ClassMetric, MetricThreshold, PerClassMetric, TrainTestGap};
pub use slices::{Fairness, SliceGap, SliceMetric, DEFAULT_MIN_ROWS};
pub use time::{Phase, TimeBudget};

pub use crate::checks::budget::{check_fit_budget, fit_budget_error, fits_of};
pub use crate::checks::metric::{Op, Part};

use crate::checks::metric::{check_task, default_metric};
use crate::checks::ParamError;
use crate::pipeline::evaluate::Metric;
use crate::pipeline::fit::Trained;
use crate::pipeline::metrics::Average;
use crate::report::fmt::{names, num};
use crate::report::Trace;

// ---------------------------------------------------------------------------------------
// Shared steps

/// Step 1 of every model test: what was trained, on how many rows and inputs.
fn train_step(trace: &mut Trace, trained: &Trained<'_>) {
    let fitted = &trained.fitted;
    if let Some(outputs) = trained.spec.model.reads_outputs() {
        // Nothing was trained: the step says where the outputs came from.
        let scores = match &outputs.scores {
            Some(scores) => format!(
                ", scores {}",
                scores.columns().iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
            ),
            None => String::new(),
        };
        trace.step(
            "read_predictions()",
            format!("`{}`{scores} on {} labelled rows", outputs.prediction, fitted.y_test.len()),
            "outputs read",
        );
        trace.set("model", "predictions");
        return;
    }
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

/// The metric a model test scores, checked against the suite's task (the task's default
/// metric when the test names none), then the train step.
fn scored_metric(trace: &mut Trace, trained: &Trained<'_>, metric: Option<Metric>) -> Result<Metric, String> {
    let metric = metric.unwrap_or(default_metric(trained.spec.task));
    check_task(metric, trained)?;
    train_step(trace, trained);
    Ok(metric)
}

/// The `evaluate_model(model)` step: the metric on the test or train rows.
fn evaluate_step(
    trace: &mut Trace,
    trained: &Trained<'_>,
    metric: Metric,
    average: Option<Average>,
    part: Part,
) -> Result<f64, String> {
    let fitted = &trained.fitted;
    let (truth, output, label) = match part {
        Part::Train => (&fitted.y_train, fitted.train_output(), "train"),
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

fn finite(field: &'static str, value: f64) -> Result<(), ParamError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(ParamError::new(field, "must be a finite number"))
    }
}

/// A bound on a gap or an error: zero or a positive finite number.
fn non_negative(field: &'static str, value: f64) -> Result<(), ParamError> {
    if value >= 0.0 && value.is_finite() {
        Ok(())
    } else {
        Err(ParamError::new(field, "must be zero or a positive number"))
    }
}

fn not_empty(field: &'static str, value: Option<&str>) -> Result<(), ParamError> {
    match value {
        Some(text) if text.trim().is_empty() => Err(ParamError::new(field, "is empty")),
        _ => Ok(()),
    }
}

/// The index of the class written `class` in the CSV, or an error listing the classes.
fn class_index(trained: &Trained<'_>, class: &str) -> Result<usize, String> {
    let classes = trained.prepared.target.class_names();
    classes.iter().position(|name| name == class).ok_or_else(|| {
        format!(
            "`{class}` is not a class of `{}` (classes: {})",
            trained.prepared.target_name,
            names(classes, 12)
        )
    })
}

#[cfg(test)]
mod tests;
