//! The fitted scaler: standard scaling gives mean 0 and std 1, min-max scaling the range
//! 0..1, and undoing the scaling gives back what the scaler received.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{check_tol, describe_preprocess, nan_max, scale_name, tol_text, within};
use crate::checks::metric::mean_std;
use crate::checks::{Context, Evaluation, Family, ParamError, TestKind};
use crate::pipeline::fit::Trained;
use crate::pipeline::preprocess::{Scale, ScaleParams};
use crate::report::fmt::{names, num};
use crate::report::{Failures, Trace};
use crate::vocab::{Param, ParamType};

// ---------------------------------------------------------------------------------------
// scaler_standardizes

/// After the fitted standard scaler, every numeric input of the train part has mean 0 and
/// standard deviation (ddof 0) 1, within `tol`. One-hot inputs are not scaled and not read; a
/// constant input keeps scale 1 (as scikit-learn's `StandardScaler`) and is reported and
/// skipped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScalerStandardizes {
    #[serde(default = "scale_tol")]
    pub tol: f64,
}

impl TestKind for ScalerStandardizes {
    fn needs_training(&self) -> Option<&'static str> {
        Some("it checks the scaler, and a `predictions` model has no preprocessing")
    }

    const FAMILY: Family = Family::Unit;
    const SUMMARY: &'static str = "standard scaling gives mean 0 and std 1 on the train part";
    const PARAMS: &'static [Param] = &[Param::optional("tol", ParamType::Number, "1e-6", "allowed error")];

    fn validate(&self) -> Result<(), ParamError> {
        check_tol(self.tol)
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        require_scale(trace, trained, Scale::Standard)?;
        let fitted = &trained.fitted;
        preprocess_step(trace, trained);
        let inputs = scaled_inputs(trace, trained)?;
        let x = &fitted.x_train;
        // (name, mean, std) of each scaled input.
        let measured: Vec<(&str, f64, f64)> = inputs
            .iter()
            .map(|input| {
                let (mean, std) = mean_std(&x.column(input.index).to_vec());
                (input.name.as_str(), mean, std)
            })
            .collect();
        let max_mean = measured.iter().map(|m| m.1.abs()).fold(0.0, nan_max);
        let max_std = measured.iter().map(|m| (m.2 - 1.0).abs()).fold(0.0, nan_max);
        trace.step(
            "standardize(train)",
            format!("{} numeric inputs on {} rows", inputs.len(), x.nrows()),
            format!("max |mean| = {}, max |std − 1| = {}", num(max_mean), num(max_std)),
        );
        trace.set("max_abs_mean", num(max_mean));
        trace.set("max_abs_std_error", num(max_std));
        let tol = self.tol;
        let off: Vec<&(&str, f64, f64)> =
            measured.iter().filter(|m| !(within(m.1.abs(), tol) && within((m.2 - 1.0).abs(), tol))).collect();
        let passed = off.is_empty();
        trace.assert(
            format!("|mean| <= {t} and |std − 1| <= {t}", t = tol_text(tol)),
            format!("{} <= {t}, {} <= {t}", num(max_mean), num(max_std), t = tol_text(tol)),
            passed,
        );
        let skipped = inputs.skipped_note();
        let message = match off.first() {
            None => format!(
                "after standard scaling, the {} numeric inputs of the {} train rows have mean 0 and std 1 within {} (max |mean| = {}, max |std − 1| = {}){skipped}",
                inputs.len(),
                x.nrows(),
                tol_text(tol),
                num(max_mean),
                num(max_std)
            ),
            Some((name, mean, std)) => format!(
                "after standard scaling, `{name}` has mean {} and std {} on the {} train rows, not 0 and 1 within {} ({} of {} inputs are off){skipped}",
                num(*mean),
                num(*std),
                x.nrows(),
                tol_text(tol),
                off.len(),
                inputs.len()
            ),
        };
        Ok(Evaluation {
            passed,
            message,
            observed: json!({
                "max_abs_mean": max_mean,
                "max_abs_std_error": max_std,
                "inputs": inputs.len(),
                "constant": inputs.constant,
            }),
            failures: None,
        })
    }
}

// ---------------------------------------------------------------------------------------
// scaler_range

/// After the fitted min-max scaler, every numeric input of the train part lies in
/// [0 − tol, 1 + tol] and reaches 0 and 1 (its train minimum and maximum), within `tol`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScalerRange {
    #[serde(default = "scale_tol")]
    pub tol: f64,
}

impl TestKind for ScalerRange {
    fn needs_training(&self) -> Option<&'static str> {
        Some("it checks the scaler, and a `predictions` model has no preprocessing")
    }

    const FAMILY: Family = Family::Unit;
    const SUMMARY: &'static str = "min-max scaling maps the train part into [0, 1]";
    const PARAMS: &'static [Param] = &[Param::optional("tol", ParamType::Number, "1e-6", "allowed error")];

    fn validate(&self) -> Result<(), ParamError> {
        check_tol(self.tol)
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        require_scale(trace, trained, Scale::Minmax)?;
        preprocess_step(trace, trained);
        let inputs = scaled_inputs(trace, trained)?;
        let x = &trained.fitted.x_train;
        // (name, min, max) of each scaled input.
        let measured: Vec<(&str, f64, f64)> = inputs
            .iter()
            .map(|input| {
                let column = x.column(input.index);
                let min = column.iter().copied().fold(f64::INFINITY, nan_min);
                let max = column.iter().copied().fold(f64::NEG_INFINITY, nan_max);
                (input.name.as_str(), min, max)
            })
            .collect();
        let lowest = measured.iter().map(|m| m.1).fold(f64::INFINITY, nan_min);
        let highest = measured.iter().map(|m| m.2).fold(f64::NEG_INFINITY, nan_max);
        let min_error = measured.iter().map(|m| m.1.abs()).fold(0.0, nan_max);
        let max_error = measured.iter().map(|m| (m.2 - 1.0).abs()).fold(0.0, nan_max);
        trace.step(
            "minmax(train)",
            format!("{} numeric inputs on {} rows", inputs.len(), x.nrows()),
            format!(
                "min = {}, max = {}; max |min − 0| = {}, max |max − 1| = {}",
                num(lowest),
                num(highest),
                num(min_error),
                num(max_error)
            ),
        );
        trace.set("min", num(lowest));
        trace.set("max", num(highest));
        let tol = self.tol;
        let off: Vec<&(&str, f64, f64)> =
            measured.iter().filter(|m| !(within(m.1.abs(), tol) && within((m.2 - 1.0).abs(), tol))).collect();
        let passed = off.is_empty();
        trace.assert(
            format!("|min| <= {t} and |max − 1| <= {t}", t = tol_text(tol)),
            format!("{} <= {t}, {} <= {t}", num(min_error), num(max_error), t = tol_text(tol)),
            passed,
        );
        let skipped = inputs.skipped_note();
        let message = match off.first() {
            None => format!(
                "after min-max scaling, each of the {} numeric inputs of the {} train rows runs from 0 to 1 within {}{skipped}",
                inputs.len(),
                x.nrows(),
                tol_text(tol)
            ),
            Some((name, min, max)) => format!(
                "after min-max scaling, `{name}` runs from {} to {} on the {} train rows, not from 0 to 1 within {} ({} of {} inputs are off){skipped}",
                num(*min),
                num(*max),
                x.nrows(),
                tol_text(tol),
                off.len(),
                inputs.len()
            ),
        };
        Ok(Evaluation {
            passed,
            message,
            observed: json!({ "min": lowest, "max": highest, "inputs": inputs.len(), "constant": inputs.constant }),
            failures: None,
        })
    }
}

// ---------------------------------------------------------------------------------------
// scaler_inverse_roundtrip

/// Undoing the scaling gives back what the scaler received: `inverse_scale(transform(x))`
/// equals `transform_unscaled(x)` within `tol`, cell by cell, on the train and test parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScalerInverseRoundtrip {
    #[serde(default = "roundtrip_tol")]
    pub tol: f64,
}

impl TestKind for ScalerInverseRoundtrip {
    fn needs_training(&self) -> Option<&'static str> {
        Some("it checks the scaler, and a `predictions` model has no preprocessing")
    }

    const FAMILY: Family = Family::Unit;
    const SUMMARY: &'static str = "scaling then unscaling gives the inputs back";
    const PARAMS: &'static [Param] = &[Param::optional("tol", ParamType::Number, "1e-9", "allowed error")];

    fn validate(&self) -> Result<(), ParamError> {
        check_tol(self.tol)
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let Some(scale) = trained.spec.preprocess.scale else {
            trace.step("find_scaler()", describe_preprocess(trained.spec.preprocess), "ERROR");
            return Err(
                "the suite's `preprocess` has no `scale` step: there is no scaling to invert; add {\"scale\": \"standard\"} or {\"scale\": \"minmax\"}"
                    .to_owned(),
            );
        };
        let fitted = &trained.fitted;
        let prepared = &trained.prepared;
        let pre = &fitted.preprocessor;
        let input_names = pre.input_names();
        let tol = self.tol;
        let mut failures = Failures::default();
        let mut worst = 0.0f64;
        let mut cells = 0;
        for (part, positions, x) in
            [("train", &trained.split.train, &fitted.x_train), ("test", &trained.split.test, &fitted.x_test)]
        {
            let back = pre.inverse_scale(x);
            let raw = pre.transform_unscaled(prepared, positions)?;
            let mut part_worst = 0.0f64;
            for ((i, j), &value) in back.indexed_iter() {
                let error = (value - raw[[i, j]]).abs();
                if !within(error, tol) {
                    failures.push(
                        prepared.line(positions[i]),
                        &input_names[j],
                        format!("scaled {} → {} ≠ {}", num(x[[i, j]]), num(value), num(raw[[i, j]])),
                    );
                }
                part_worst = nan_max(part_worst, error);
            }
            cells += back.len();
            trace.step(
                format!("inverse_scale(transform({part}))"),
                format!(
                    "{} {part} rows × {} inputs against transform_unscaled({part})",
                    x.nrows(),
                    x.ncols()
                ),
                format!("max |x − x'| = {}", num(part_worst)),
            );
            worst = nan_max(worst, part_worst);
        }
        trace.set("max_error", num(worst));
        let passed = failures.is_empty();
        trace.assert(
            format!("max |x − x'| <= {}", tol_text(tol)),
            format!("{} <= {}", num(worst), tol_text(tol)),
            passed,
        );
        let scaler = scale_name(scale);
        let message = match failures.sample.first() {
            None => format!(
                "undoing the {scaler} scaling gives back every one of the {cells} input values within {} (max error {})",
                tol_text(tol),
                num(worst)
            ),
            Some(first) => format!(
                "undoing the {scaler} scaling misses {} of {cells} input values by more than {}, first `{}` on line {} ({})",
                failures.count,
                tol_text(tol),
                first.column,
                first.line,
                first.value
            ),
        };
        Ok(Evaluation { passed, message, observed: json!(worst), failures: Some(failures) })
    }
}

// ---------------------------------------------------------------------------------------
// Helpers

fn scale_tol() -> f64 {
    1e-6
}

fn roundtrip_tol() -> f64 {
    1e-9
}

fn nan_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.min(b)
    }
}

/// A scaler test reads the scaler the suite fits; without it the test cannot be evaluated.
fn require_scale(trace: &mut Trace, trained: &Trained<'_>, want: Scale) -> Result<(), String> {
    let found = trained.spec.preprocess.scale;
    if found != Some(want) {
        trace.step(
            format!("find_scaler({})", scale_name(want)),
            describe_preprocess(trained.spec.preprocess),
            "ERROR",
        );
    }
    match found {
        Some(scale) if scale == want => Ok(()),
        Some(other) => Err(format!(
            "the suite scales with {{\"scale\": \"{}\"}}, not {{\"scale\": \"{}\"}}: this test checks the {} scaler",
            scale_name(other),
            scale_name(want),
            scale_name(want)
        )),
        None => Err(format!(
            "the suite's `preprocess` has no {{\"scale\": \"{}\"}} step: add it, or remove this test",
            scale_name(want)
        )),
    }
}

/// The `preprocess(train)` step: what was fitted on which rows, and the inputs it gives.
fn preprocess_step(trace: &mut Trace, trained: &Trained<'_>) {
    let x = &trained.fitted.x_train;
    let numeric = trained.fitted.preprocessor.scale_params().len();
    trace.step(
        "preprocess(train)",
        format!("{} fitted on {} train rows", describe_preprocess(trained.spec.preprocess), x.nrows()),
        format!("X_train {} × {} ({numeric} numeric, {} one-hot)", x.nrows(), x.ncols(), x.ncols() - numeric),
    );
    trace.set("X_train", format!("{} × {}", x.nrows(), x.ncols()));
}

/// A numeric model input the scaler tests check.
struct ScaledInput {
    index: usize,
    name: String,
}

/// The numeric inputs of the model: those a scaler test checks, and the constant ones it
/// skips (the scaler keeps scale 1 for them, so they cannot reach std 1 or the range 0..1).
struct ScaledInputs {
    checked: Vec<ScaledInput>,
    constant: Vec<String>,
}

impl ScaledInputs {
    fn len(&self) -> usize {
        self.checked.len()
    }

    fn iter(&self) -> std::slice::Iter<'_, ScaledInput> {
        self.checked.iter()
    }

    /// `; skipped constant `x`` for messages, or nothing.
    fn skipped_note(&self) -> String {
        if self.constant.is_empty() {
            String::new()
        } else {
            format!("; skipped {} constant (scale 1): {}", self.constant.len(), names(&self.constant, 5))
        }
    }
}

/// The numeric inputs the scaler checks, with a step naming the constant ones it skips. Err
/// when there is none to check.
fn scaled_inputs(trace: &mut Trace, trained: &Trained<'_>) -> Result<ScaledInputs, String> {
    let pre = &trained.fitted.preprocessor;
    // Constant is judged on what the scaler received, not on its output.
    let raw = pre.transform_unscaled(&trained.prepared, &trained.split.train)?;
    let mut checked = Vec::new();
    let mut constant = Vec::new();
    for ScaleParams { input, .. } in pre.scale_params() {
        let column = raw.column(input);
        let first = column.first().copied().unwrap_or(0.0);
        let name = pre.input_names()[input].clone();
        if column.iter().all(|&v| v == first) {
            constant.push(name);
        } else {
            checked.push(ScaledInput { index: input, name });
        }
    }
    if !constant.is_empty() {
        trace.step(
            "find_constant_inputs(train)",
            format!("{} numeric inputs", checked.len() + constant.len()),
            format!("skipped {} constant (scale 1): {}", constant.len(), names(&constant, 5)),
        );
    }
    if checked.is_empty() {
        let why = if constant.is_empty() {
            "the model has no numeric input to scale".to_owned()
        } else {
            format!("every numeric input is constant on the train rows ({})", names(&constant, 5))
        };
        trace.step("find_numeric_inputs()", format!("{} model inputs", pre.width()), "ERROR");
        return Err(format!("{why}: there is nothing for the scaler test to check"));
    }
    Ok(ScaledInputs { checked, constant })
}
