//! Probabilities a person can trust (PRODUCT.md §11): [`Calibration`] bounds the Brier score
//! or the expected calibration error of the model's probabilities on its evaluated rows, as
//! scikit-learn's `brier_score_loss` and `calibration_curve` compute them
//! (`pipeline::calibration`).

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{non_negative, train_step};
use crate::checks::metric::Op;
use crate::checks::{Context, Evaluation, Family, ParamError, TestKind};
use crate::pipeline::calibration::{brier, ece};
use crate::pipeline::model::Output;
use crate::pipeline::prepare::Target;
use crate::report::fmt::num;
use crate::report::{Bound, Trace};
use crate::vocab::Task;
use crate::vocab::{Param, ParamType};

/// The bins of the reliability curve when the test names none (scikit-learn's default).
pub const DEFAULT_CALIBRATION_BINS: usize = 10;

/// How calibration is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalibrationMeasure {
    /// The mean squared gap between probability and outcome.
    Brier,
    /// The rows' share-weighted gap between each bin's mean probability and its frequency.
    Ece,
}

impl CalibrationMeasure {
    pub fn name(self) -> &'static str {
        match self {
            CalibrationMeasure::Brier => "brier",
            CalibrationMeasure::Ece => "ece",
        }
    }
}

/// The model's probabilities are calibrated: `measure` is at most `max`. For two classes the
/// positive (larger) class's probability; for more, Brier sums over every class and ECE reads
/// each row's top probability (top-label calibration).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    pub measure: CalibrationMeasure,
    pub max: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n_bins: Option<usize>,
}

impl Calibration {
    pub fn bins(&self) -> usize {
        self.n_bins.unwrap_or(DEFAULT_CALIBRATION_BINS)
    }
}

impl TestKind for Calibration {
    const FAMILY: Family = Family::Threshold;
    const SUMMARY: &'static str = "the model's probabilities are calibrated (Brier score or ECE)";
    const PARAMS: &'static [Param] = &[
        Param::required(
            "measure",
            ParamType::Choice(&["brier", "ece"]),
            r#""ece""#,
            "how calibration is measured",
        ),
        Param::required("max", ParamType::Number, "0.1", "the largest value allowed"),
        Param::optional("n_bins", ParamType::Integer, "10", "bins of the reliability curve (ECE)"),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        non_negative("max", self.max)?;
        if self.n_bins == Some(0) {
            return Err(ParamError::new("n_bins", "must be at least 1"));
        }
        Ok(())
    }

    fn bounds(&self, observed: &Value, _task: Option<Task>) -> Vec<Bound> {
        Op::Le.bound(self.measure.name().to_owned(), observed.as_f64(), self.max).into_iter().collect()
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let (Target::Classes { codes, names }, output @ Output::Classes { proba, .. }) =
            (&trained.fitted.y_test, &trained.fitted.test_output)
        else {
            return Err(
                "calibration measures a classifier's probabilities; the task is regression".to_owned()
            );
        };
        if !output.has_proba() {
            return Err(
                "calibration needs the model's probabilities: the `predictions` model has no `scores`"
                    .to_owned(),
            );
        }
        train_step(trace, trained);
        let n = names.len();
        let proba = proba.as_standard_layout();
        let proba = proba.as_slice().unwrap_or(&[]);
        let rows = codes.len();
        let of = if n == 2 {
            format!("P({}) on {rows} rows", names[1])
        } else {
            format!("{n} classes on {rows} rows")
        };
        let value = match self.measure {
            CalibrationMeasure::Brier => {
                let value = brier(codes, proba, n, 1)?;
                trace.step("brier_score_loss(y, proba)", of, format!("brier = {}", num(value)));
                value
            }
            CalibrationMeasure::Ece => {
                let bins = self.bins();
                let (value, curve) = ece(codes, proba, n, 1, bins)?;
                let form = if n == 2 { "" } else { ", top label" };
                trace.step(
                    format!("calibration_curve(n_bins = {bins}{form})"),
                    of,
                    format!("{} non-empty bins", curve.counts.len()),
                );
                trace.step(
                    "ece = Σ n_b / n · |freq_b − conf_b|",
                    format!("{} bins", curve.counts.len()),
                    format!("ece = {}", num(value)),
                );
                value
            }
        };
        let name = self.measure.name();
        trace.set(name, num(value));
        let passed = value <= self.max;
        let max = num(self.max);
        trace.assert(format!("{name} <= {max}"), format!("{} <= {max}", num(value)), passed);
        let message = format!(
            "{name} is {} on {rows} test rows: {name} <= {max} {}",
            num(value),
            if passed { "holds" } else { "does not hold" }
        );
        Ok(Evaluation { passed, message, observed: json!(value), failures: None })
    }
}
