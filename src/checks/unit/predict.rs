//! The model's `predict`: one row at a time gives what a batch gives, and the predictions
//! have the shape the task calls for (a known class and probabilities that sum to 1, or a
//! finite value).

use ndarray::{Axis, Slice};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{check_tol, class_name, names_list, nan_max, tol_text, within};
use crate::checks::{Context, Evaluation, Family, ParamError, TestKind};
use crate::pipeline::model::Output;
use crate::report::fmt::num;
use crate::report::{Failures, Trace};
use crate::vocab::{Param, ParamType};

// ---------------------------------------------------------------------------------------
// predict_batch_invariance

/// Predicting the test rows one at a time (each as a 1-row matrix) gives what predicting them
/// in one batch gives: the same labels and probabilities (or values) within `tol`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PredictBatchInvariance {
    #[serde(default = "batch_tol")]
    pub tol: f64,
}

impl TestKind for PredictBatchInvariance {
    fn needs_training(&self) -> Option<&'static str> {
        Some("it predicts in batches, and a `predictions` model's outputs are already in the data")
    }

    const FAMILY: Family = Family::Unit;
    const SUMMARY: &'static str = "predicting rows one by one equals predicting them at once";
    const PARAMS: &'static [Param] =
        &[Param::optional("tol", ParamType::Number, "1e-9", "allowed difference")];

    fn validate(&self) -> Result<(), ParamError> {
        check_tol(self.tol)
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let prepared = &trained.prepared;
        let fitted = &trained.fitted;
        let x = &fitted.x_test;
        let positions = &trained.split.test;
        let batch = fitted.model.predict(x.view());
        trace.step(
            "predict(X_test)",
            format!("{} rows × {} inputs in one batch", x.nrows(), x.ncols()),
            format!("{} predictions", batch.len()),
        );
        let single: Vec<Output> = (0..x.nrows())
            .map(|i| fitted.model.predict(x.slice_axis(Axis(0), Slice::from(i..i + 1))))
            .collect();
        trace.step(
            "predict(X_test[i]) for each i",
            format!("{} calls on 1 × {} matrices", single.len(), x.ncols()),
            format!("{} predictions", single.iter().map(Output::len).sum::<usize>()),
        );
        let tol = self.tol;
        let mut failures = Failures::default();
        let mut worst = 0.0f64;
        let mut labels_differ = 0;
        for (i, one) in single.iter().enumerate() {
            let line = prepared.line(positions[i]);
            match (&batch, one) {
                (Output::Classes { labels, proba }, Output::Classes { labels: l1, proba: p1 }) => {
                    let gap = (0..proba.ncols())
                        .map(|c| (proba[[i, c]] - p1.get((0, c)).copied().unwrap_or(f64::NAN)).abs())
                        .fold(0.0, nan_max);
                    worst = nan_max(worst, gap);
                    let label = l1.first().copied();
                    if label != Some(labels[i]) {
                        labels_differ += 1;
                    }
                    if label != Some(labels[i]) || !within(gap, tol) {
                        let name =
                            |c: Option<usize>| c.map_or("none".to_owned(), |c| class_name(prepared, c));
                        failures.push(
                            line,
                            &prepared.target_name,
                            format!(
                                "batch: {}, alone: {} (|Δp| = {})",
                                name(Some(labels[i])),
                                name(label),
                                num(gap)
                            ),
                        );
                    }
                }
                (Output::Values(values), Output::Values(v1)) => {
                    let alone = v1.first().copied().unwrap_or(f64::NAN);
                    let gap = (values[i] - alone).abs();
                    worst = nan_max(worst, gap);
                    if !within(gap, tol) {
                        failures.push(
                            line,
                            &prepared.target_name,
                            format!("batch: {}, alone: {}", num(values[i]), num(alone)),
                        );
                    }
                }
                _ => return Err("the model's output changed kind between two calls".to_owned()),
            }
        }
        let compared = match batch {
            Output::Classes { .. } => format!("labels differ = {labels_differ}, max |Δp| = {}", num(worst)),
            Output::Values(_) => format!("max |Δ| = {}", num(worst)),
        };
        trace.step("compare(batch, one by one)", format!("{} test rows", single.len()), compared);
        trace.set("differing", failures.count.to_string());
        trace.set("max_diff", num(worst));
        let passed = failures.is_empty();
        trace.assert(
            format!("one by one == batch within {}", tol_text(tol)),
            format!(
                "{} of {} rows differ, max diff {} <= {}",
                failures.count,
                single.len(),
                num(worst),
                tol_text(tol)
            ),
            passed,
        );
        let message = match failures.sample.first() {
            None => format!(
                "predicting the {} test rows one by one gives what one batch gives (max difference {}, within {})",
                single.len(),
                num(worst),
                tol_text(tol)
            ),
            Some(first) => format!(
                "{} of {} test rows get a different prediction alone than in a batch (more than {}); first: line {} ({})",
                failures.count,
                single.len(),
                tol_text(tol),
                first.line,
                first.value
            ),
        };
        Ok(Evaluation { passed, message, observed: json!(worst), failures: Some(failures) })
    }
}

// ---------------------------------------------------------------------------------------
// prediction_shape

/// One prediction per test row; for classification every label is a known class and each
/// row of probabilities has one column per class and sums to 1 (within 1e-6); for regression
/// every value is a finite number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PredictionShape {}

/// How far a row of probabilities may sum from 1.
const PROBA_SUM_TOL: f64 = 1e-6;

impl TestKind for PredictionShape {
    const FAMILY: Family = Family::Unit;
    const SUMMARY: &'static str = "one prediction per test row, labels from the known set";
    const PARAMS: &'static [Param] = &[];

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let prepared = &trained.prepared;
        let fitted = &trained.fitted;
        let positions = &trained.split.test;
        let n = positions.len();
        let output = &fitted.test_output;
        trace.step(
            "predict(X_test)",
            format!("{} test rows × {} inputs", fitted.x_test.nrows(), fitted.x_test.ncols()),
            format!("{} predictions", output.len()),
        );
        trace.set("predictions", output.len().to_string());
        let mut problems = Vec::new();
        if output.len() != n {
            problems.push(format!("{} predictions for {n} test rows", output.len()));
        }
        let mut failures = Failures::default();
        let line = |i: usize| positions.get(i).map_or(0, |&p| prepared.line(p));
        let target = prepared.target_name.as_str();
        match output {
            Output::Classes { labels, proba } => {
                let classes = prepared.target.class_names();
                let k = classes.len();
                let unknown: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] >= k).collect();
                for &i in &unknown {
                    failures.push(line(i), target, format!("label {} is not a class", labels[i]));
                }
                trace.step(
                    "check_labels(predictions)",
                    format!(
                        "{k} known classes: {}",
                        names_list(&classes.iter().map(String::as_str).collect::<Vec<_>>())
                    ),
                    format!("outside = {}", unknown.len()),
                );
                if !unknown.is_empty() {
                    problems.push(format!(
                        "{} of {} labels are not known classes",
                        unknown.len(),
                        labels.len()
                    ));
                }
                if proba.ncols() == 0 {
                    // A `predictions` model without `scores` gives labels only.
                    trace.step(
                        "sum(proba, axis = 1)",
                        "no probabilities (the model has no `scores`)",
                        "skipped",
                    );
                } else {
                    check_proba_rows(proba, labels.len(), k, trace, &mut problems, &mut |i, why| {
                        failures.push(line(i), target, why)
                    });
                }
            }
            Output::Values(values) => {
                let bad: Vec<usize> = (0..values.len()).filter(|&i| !values[i].is_finite()).collect();
                for &i in &bad {
                    failures.push(line(i), target, num(values[i]));
                }
                trace.step(
                    "check_finite(predictions)",
                    format!("{} predicted values", values.len()),
                    format!("not finite = {}", bad.len()),
                );
                if !bad.is_empty() {
                    problems.push(format!("{} predicted values are not finite", bad.len()));
                }
            }
        }
        let passed = problems.is_empty();
        let claim = match output {
            Output::Classes { .. } => "one known label per test row, probabilities sum to 1",
            Output::Values(_) => "one finite value per test row",
        };
        trace.assert(
            claim,
            if passed {
                format!("{} predictions for {n} rows, all well formed", output.len())
            } else {
                problems.join("; ")
            },
            passed,
        );
        let message = if passed {
            match output {
                Output::Classes { .. } => format!(
                    "{n} test rows get {n} predictions, each a known class with probabilities that sum to 1"
                ),
                Output::Values(_) => format!("{n} test rows get {n} predictions, each a finite number"),
            }
        } else {
            format!("the predictions are malformed: {}", problems.join("; "))
        };
        Ok(Evaluation {
            passed,
            message,
            observed: json!({ "predictions": output.len(), "test_rows": n }),
            failures: Some(failures),
        })
    }
}

// ---------------------------------------------------------------------------------------
// Helpers

fn batch_tol() -> f64 {
    1e-9
}

/// The probabilities' shape (rows × `k` classes) and that each row sums to 1 within
/// [`PROBA_SUM_TOL`] with every value in [0, 1]; a failing row goes to `fail`.
fn check_proba_rows(
    proba: &ndarray::Array2<f64>,
    rows: usize,
    k: usize,
    trace: &mut Trace,
    problems: &mut Vec<String>,
    fail: &mut dyn FnMut(usize, String),
) {
    if proba.dim() != (rows, k) {
        problems.push(format!(
            "the probabilities are {} × {}, not {rows} × {k}",
            proba.nrows(),
            proba.ncols()
        ));
    }
    let mut worst = 0.0f64;
    let mut bad_sums = 0;
    for (i, row) in proba.outer_iter().enumerate() {
        let sum: f64 = row.sum();
        let gap = (sum - 1.0).abs();
        worst = nan_max(worst, gap);
        if !within(gap, PROBA_SUM_TOL) || row.iter().any(|p| !(0.0..=1.0).contains(p)) {
            bad_sums += 1;
            fail(i, format!("probabilities sum to {}", num(sum)));
        }
    }
    trace.step(
        "sum(proba, axis = 1)",
        format!("{} rows × {} classes", proba.nrows(), proba.ncols()),
        format!("max |sum − 1| = {}", num(worst)),
    );
    trace.set("max_sum_error", num(worst));
    if bad_sums > 0 {
        problems.push(format!(
            "{bad_sums} rows of probabilities do not sum to 1 within {}",
            tol_text(PROBA_SUM_TOL)
        ));
    }
}
