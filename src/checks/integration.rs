//! The integration test (PRODUCT.md §3): the whole pipeline, stage by stage, on the data.
//!
//! Unlike the unit and threshold tests, which read the pipeline the runner trained once,
//! this test runs every stage itself, so a failure is reported here, at the stage where it
//! happens, with the shapes each earlier stage produced.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::catalog;
use super::metric::{default_metric, validate_average};
use super::{Context, Evaluation, Family, ParamError, TestKind};
use crate::pipeline::evaluate::Metric;
use crate::pipeline::fit::{fit_on, split_rows};
use crate::pipeline::metrics::Average;
use crate::pipeline::prepare::prepare;
use crate::report::fmt::num;
use crate::report::Trace;
use crate::vocab::Param;

/// load → validate → split → preprocess → train → predict → evaluate: every stage succeeds
/// and hands the next one the shapes it expects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineEndToEnd {
    /// The metric of the last stage (default: accuracy, or r2 for regression).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average: Option<Average>,
}

impl TestKind for PipelineEndToEnd {
    fn needs_training(&self) -> Option<&'static str> {
        Some(
            "it runs the whole pipeline (split, preprocess, train), and a `predictions` model is not trained",
        )
    }

    const FAMILY: Family = Family::Integration;
    const SUMMARY: &'static str = "load, split, preprocess, train, predict and evaluate all succeed";
    const PARAMS: &'static [Param] = &[catalog::METRIC_DEFAULTED, catalog::AVERAGE];

    fn validate(&self) -> Result<(), ParamError> {
        self.metric.map_or(Ok(()), |metric| validate_average(metric, self.average))
    }

    /// It fits the pipeline once itself.
    fn fits(&self) -> usize {
        1
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let spec = ctx.pipeline_spec()?;
        let table = ctx.table;
        let fail = |trace: &mut Trace, stage: &str, message: String| {
            trace.assert("every stage succeeds", format!("{stage} failed"), false);
            Ok(Evaluation {
                passed: false,
                message: format!("the pipeline fails at {stage}: {message}"),
                observed: json!({ "failed_stage": stage }),
                failures: None,
            })
        };
        trace.step(
            format!("load_csv({})", table.name()),
            format!("{} rows × {} columns", table.n_rows(), table.n_cols()),
            "Table loaded",
        );
        let prepared = match prepare(table, &spec.inputs()) {
            Ok(prepared) => prepared,
            Err(message) => {
                trace.step(format!("validate(target = {})", spec.target), "inputs and target", "FAILED");
                return fail(trace, "validate", message);
            }
        };
        let dropped = match prepared.unlabelled {
            0 => String::new(),
            n => format!(", {n} without a target left out"),
        };
        trace.step(
            format!("validate(target = {})", spec.target),
            format!("{} labelled rows × {} features{dropped}", prepared.len(), prepared.features.len()),
            "inputs valid",
        );
        let parts = match split_rows(&prepared, &spec.split) {
            Ok(parts) => parts,
            Err(e) => {
                trace.step("split()", format!("test_size {}", spec.split.test_size), "FAILED");
                return fail(trace, "split", e.message);
            }
        };
        trace.step(
            format!("split(test_size = {}, seed = {})", num(spec.split.test_size), spec.split.seed),
            format!("{} + {} = {} rows", parts.train.len(), parts.test.len(), prepared.len()),
            format!("train = {}, test = {}", parts.train.len(), parts.test.len()),
        );
        let fitted = match fit_on(&prepared, spec, &parts) {
            Ok(fitted) => fitted,
            Err(e) => {
                trace.step(format!("{}()", e.stage.name()), "on the train rows", "FAILED");
                return fail(trace, e.stage.name(), e.message);
            }
        };
        let (x_train, x_test) = (&fitted.x_train, &fitted.x_test);
        trace.step(
            "preprocess()",
            format!("fitted on {} train rows", parts.train.len()),
            format!(
                "X_train {} × {}, X_test {} × {}",
                x_train.nrows(),
                x_train.ncols(),
                x_test.nrows(),
                x_test.ncols()
            ),
        );
        trace.step("train_model()", spec.model.describe(), "Model trained");
        trace.set("model", format!("trained {}", spec.model.kind()));
        trace.step(
            "predict(X_test)",
            format!("{} test rows", x_test.nrows()),
            format!("{} predictions", fitted.test_output.len()),
        );
        let metric = self.metric.unwrap_or(default_metric(spec.task));
        let score = match metric.compute(&fitted.y_test, &fitted.test_output, self.average) {
            Ok(score) => score,
            Err(message) => {
                trace.step("evaluate()", metric.name(), "FAILED");
                return fail(trace, "evaluate", message);
            }
        };
        trace.step(
            format!("evaluate({})", metric.name()),
            format!("on {} test rows", fitted.y_test.len()),
            format!("{} = {}", metric.name(), num(score)),
        );
        trace.set(metric.name(), num(score));
        let mut problems = Vec::new();
        if x_train.nrows() != parts.train.len() || x_test.nrows() != parts.test.len() {
            problems.push("the preprocessed rows do not match the split".to_owned());
        }
        if x_train.ncols() != x_test.ncols() {
            problems.push(format!("train has {} inputs but test {}", x_train.ncols(), x_test.ncols()));
        }
        if fitted.test_output.len() != parts.test.len() {
            problems.push(format!(
                "{} predictions for {} test rows",
                fitted.test_output.len(),
                parts.test.len()
            ));
        }
        if !score.is_finite() {
            problems.push(format!("{} is not a number", metric.name()));
        }
        let passed = problems.is_empty();
        trace.assert(
            "every stage succeeds with the expected shapes",
            if passed { "7 of 7 stages, shapes consistent".to_owned() } else { problems.join("; ") },
            passed,
        );
        let message = if passed {
            format!(
                "load → validate → split → preprocess → train → predict → evaluate all ran: {} on {} test rows = {}",
                metric.name(),
                parts.test.len(),
                num(score)
            )
        } else {
            format!("the pipeline ran but {}", problems.join("; "))
        };
        Ok(Evaluation {
            passed,
            message,
            observed: json!({ "metric": metric.name(), "value": score }),
            failures: None,
        })
    }
}
