//! Time: training, or predicting one row, within a budget of milliseconds.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::train_step;
use crate::checks::{Context, Evaluation, Family, ParamError, TestKind};
use crate::report::fmt::num;
use crate::report::Trace;
use crate::vocab::now_ms;
use crate::vocab::{Param, ParamType};

// ---------------------------------------------------------------------------------------
// time_budget

/// What a time budget measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Fitting the model on the train rows (preprocessing excluded).
    Train,
    /// Predicting the test rows, divided by their number.
    PredictPerRow,
}

/// Training, or predicting one row, takes at most `max_ms` milliseconds.
///
/// Timing is the one thing in a run that is not deterministic: the same suite gives other
/// milliseconds on another machine, in the browser or under load. The number is reported
/// and decides this test only; no other test reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeBudget {
    pub phase: Phase,
    pub max_ms: f64,
}

/// Predictions are repeated until they have taken this long, so a per-row time of a fast
/// model is not one clock tick divided by the rows.
const MIN_TIMED_MS: f64 = 5.0;

/// ... but never more often than this.
const MAX_REPETITIONS: usize = 1000;

impl TestKind for TimeBudget {
    fn needs_training(&self) -> Option<&'static str> {
        Some("it times training and prediction, and a `predictions` model does neither")
    }

    const FAMILY: Family = Family::Threshold;
    const SUMMARY: &'static str = "training, or predicting one row, stays within a time";
    const PARAMS: &'static [Param] = &[
        Param::required(
            "phase",
            ParamType::Choice(&["train", "predict_per_row"]),
            r#""train""#,
            "what is timed",
        ),
        Param::required("max_ms", ParamType::Number, "1000", "milliseconds allowed"),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        if self.max_ms > 0.0 && self.max_ms.is_finite() {
            Ok(())
        } else {
            Err(ParamError::new("max_ms", format!("{} ms is no budget: use a positive number", self.max_ms)))
        }
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        train_step(trace, trained);
        let fitted = &trained.fitted;
        let kind = trained.spec.model.kind();
        let (variable, ms, found) = match self.phase {
            Phase::Train => {
                let ms = fitted.train_ms;
                trace.step(
                    "time(train_model())",
                    format!("{kind} fitted on {} rows", fitted.x_train.nrows()),
                    format!("train_ms = {}", num(ms)),
                );
                (
                    "train_ms",
                    ms,
                    format!("training {kind} on {} rows took {} ms", fitted.x_train.nrows(), num(ms)),
                )
            }
            Phase::PredictPerRow => {
                let rows = fitted.x_test.nrows().max(1);
                let started = now_ms();
                let mut repetitions = 0;
                let total = loop {
                    std::hint::black_box(fitted.model.predict(std::hint::black_box(fitted.x_test.view())));
                    repetitions += 1;
                    let elapsed = now_ms() - started;
                    if elapsed >= MIN_TIMED_MS || repetitions >= MAX_REPETITIONS {
                        break elapsed;
                    }
                };
                let ms = total / (repetitions * rows) as f64;
                trace.step(
                    "time(predict(X_test))",
                    format!("{repetitions} × {rows} test rows in {} ms", num(total)),
                    format!("per_row_ms = {}", num(ms)),
                );
                (
                    "per_row_ms",
                    ms,
                    format!(
                        "{kind} predicts a row in {} ms ({repetitions} × {rows} test rows in {} ms)",
                        num(ms),
                        num(total)
                    ),
                )
            }
        };
        trace.set(variable, num(ms));
        let passed = ms <= self.max_ms;
        let max = num(self.max_ms);
        trace.assert(format!("{variable} <= {max}"), format!("{} <= {max}", num(ms)), passed);
        let message = if passed {
            format!("{found}, within the budget of {max} ms")
        } else {
            format!("{found}, over the budget of {max} ms")
        };
        Ok(Evaluation { passed, message, observed: json!(ms), failures: None })
    }
}
