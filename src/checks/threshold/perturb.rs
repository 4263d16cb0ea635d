//! Perturbations of the test rows' model inputs, applied consistently with the fitted
//! preprocessing: one that should not matter leaves the predictions as they were, and raising
//! a feature does not lower the output.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{class_index, not_empty, train_step};
use crate::checks::metric::mean_std;
use crate::checks::{Context, Evaluation, Family, ParamError, Ratio, TestKind};
use crate::pipeline::fit::Trained;
use crate::pipeline::model::Output;
use crate::pipeline::split::SplitMix64;
use crate::report::fmt::{names, num, pct};
use crate::report::{Failures, Trace};
use crate::table::ColumnType;
use crate::vocab::Task;
use crate::vocab::{Param, ParamType};

// ---------------------------------------------------------------------------------------
// invariance

/// A category swap: test rows whose feature is `from` get `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Swap {
    pub from: String,
    pub to: String,
}

/// Noise, as a fraction of the feature's train standard deviation, when a test gives neither
/// `sigma` nor `swap`.
const DEFAULT_SIGMA: f64 = 0.01;

/// How far a regression prediction may move, relative to its own size, and still count as
/// unchanged, when a test gives no `tol`.
const DEFAULT_TOL: f64 = 0.01;

/// Predictions do not change when a feature that should not matter is perturbed: at least
/// `min_unchanged_ratio` of the perturbed test rows keep their prediction.
///
/// - A numeric feature gets Gaussian noise: `sigma` (default 0.01) is a fraction of the
///   feature's train standard deviation (ddof 0, as the scaler computes it; imputed cells
///   included), so `sigma: 0.1` adds noise of a tenth of the feature's usual spread. The
///   noise is drawn with `seed` (default: the split's seed), so a run is reproducible.
/// - A category feature gets `swap`: the rows that hold `from` hold `to` instead, and only
///   those rows count.
///
/// The perturbation is applied to the model inputs, consistently with the fitted
/// preprocessing. A classifier's prediction is unchanged when its label is; a regressor's
/// when it moved by at most `tol` (default 0.01) times its own magnitude. The failing rows
/// are the test rows whose prediction changed: `species = Adelie → Chinstrap`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Invariance {
    pub feature: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sigma: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swap: Option<Swap>,
    pub min_unchanged_ratio: Ratio,
    /// Regression only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tol: Option<Ratio>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

impl TestKind for Invariance {
    fn needs_training(&self) -> Option<&'static str> {
        Some(
            "it changes inputs and predicts again, and a `predictions` model's outputs are fixed in the data",
        )
    }

    const FAMILY: Family = Family::Threshold;
    const SUMMARY: &'static str = "predictions keep when a feature is perturbed";
    const PARAMS: &'static [Param] = &[
        Param::required("feature", ParamType::Column, r#""a""#, "the feature perturbed"),
        Param::optional("sigma", ParamType::Number, "0.01", "noise, as a fraction of the feature's std"),
        Param::optional("swap", ParamType::Swap, "none: noise", "a category swapped for another"),
        Param::required(
            "min_unchanged_ratio",
            ParamType::Ratio,
            "0.9",
            "share of predictions that must keep",
        ),
        Param::optional("tol", ParamType::Ratio, "0.01", "relative change a regression prediction may make"),
        Param::optional("seed", ParamType::Integer, "the split's seed", "seed of the noise"),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        not_empty("feature", Some(&self.feature))?;
        match (&self.sigma, &self.swap) {
            (Some(_), Some(_)) => Err(ParamError::new(
                "swap",
                "give `sigma` (noise on a number) or `swap` (a category), not both",
            )),
            (Some(sigma), None) if !(*sigma > 0.0 && sigma.is_finite()) => Err(ParamError::new(
                "sigma",
                format!("{sigma} is no noise: use a positive fraction of the train std, such as 0.01"),
            )),
            (None, Some(swap)) => {
                not_empty("swap.from", Some(&swap.from))?;
                not_empty("swap.to", Some(&swap.to))?;
                if swap.from == swap.to {
                    return Err(ParamError::new(
                        "swap.to",
                        format!("swapping `{}` for itself changes nothing", swap.to),
                    ));
                }
                if self.seed.is_some() {
                    return Err(ParamError::new("seed", "`seed` is read with `sigma`: a swap is not random"));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let task = trained.spec.task;
        if self.tol.is_some() && task == Task::Classification {
            return Err("`tol` is read for regression; a classifier's label is unchanged or not".to_owned());
        }
        let feature = self.feature.as_str();
        let inputs = feature_inputs(ctx, trained, feature)?;
        train_step(trace, trained);
        let fitted = &trained.fitted;
        let mut x = fitted.x_test.clone();
        let rows = x.nrows();
        let (perturbed, how): (Vec<usize>, String) = match (&self.swap, inputs) {
            (None, FeatureInputs::Numeric { input, scale, std }) => {
                let sigma = self.sigma.unwrap_or(DEFAULT_SIGMA);
                let seed = self.seed.unwrap_or(trained.spec.split.seed);
                let mut rng = SplitMix64::new(seed);
                for row in 0..rows {
                    x[[row, input]] += sigma * std * rng.normal();
                }
                trace.step(
                    format!("perturb({feature}, sigma = {})", num(sigma)),
                    format!(
                        "noise N(0, ({} × train std {})²), seed {seed}, on {rows} test rows",
                        num(sigma),
                        num(std * scale)
                    ),
                    format!("perturbed = {rows}"),
                );
                (
                    (0..rows).collect(),
                    format!(
                        "noise of {} × its train std ({}) is added to `{feature}`",
                        num(sigma),
                        num(std * scale)
                    ),
                )
            }
            (Some(swap), FeatureInputs::Category { start, levels }) => {
                let level = |name: &str| {
                    levels.iter().position(|l| l == name).ok_or_else(|| {
                        format!(
                            "`{name}` is not a level of `{feature}` in the train rows (levels: {})",
                            names(&levels, 12)
                        )
                    })
                };
                let (from, to) = (start + level(&swap.from)?, start + level(&swap.to)?);
                let mut moved = Vec::new();
                for row in 0..rows {
                    if x[[row, from]] == 1.0 {
                        x[[row, from]] = 0.0;
                        x[[row, to]] = 1.0;
                        moved.push(row);
                    }
                }
                if moved.is_empty() {
                    return Err(format!(
                        "no test row has `{feature}` = `{}`: there is nothing to swap",
                        swap.from
                    ));
                }
                trace.step(
                    format!("swap({feature}: {} → {})", swap.from, swap.to),
                    format!("{} of {rows} test rows have {feature} = {}", moved.len(), swap.from),
                    format!("perturbed = {}", moved.len()),
                );
                let how = format!("`{feature}` = `{}` becomes `{}`", swap.from, swap.to);
                (moved, how)
            }
            (None, FeatureInputs::Category { .. }) => {
                return Err(format!(
                    "`{feature}` holds categories: perturb it with `swap` (\"from\", \"to\"), not noise"
                ))
            }
            (Some(_), FeatureInputs::Numeric { .. }) => {
                return Err(format!("`{feature}` is numeric: perturb it with `sigma`, not `swap`"))
            }
        };
        let n = perturbed.len();
        trace.set("perturbed", n.to_string());
        let after = fitted.model.predict(x.view());
        let before = &fitted.test_output;
        let tol = self.tol.map_or(DEFAULT_TOL, Ratio::get);
        let mut failures = Failures::default();
        for &row in &perturbed {
            let changed = match (before, &after) {
                (Output::Classes { labels: old, .. }, Output::Classes { labels: new, .. }) => {
                    old[row] != new[row]
                }
                (Output::Values(old), Output::Values(new)) => {
                    (new[row] - old[row]).abs() > tol * old[row].abs()
                }
                _ => return Err("the model's output does not match the target's kind".to_owned()),
            };
            if changed {
                let value = format!(
                    "{} → {}",
                    prediction_text(trained, before, row),
                    prediction_text(trained, &after, row)
                );
                failures.push(test_line(trained, row), &trained.prepared.target_name, value);
            }
        }
        let unchanged = n - failures.count;
        let ratio = unchanged as f64 / n as f64;
        let compared = match task {
            Task::Classification => format!("labels before and after, {n} rows"),
            Task::Regression => format!("values within {} of before, {n} rows", pct(tol)),
        };
        trace.step("predict(perturbed)", compared, format!("unchanged = {unchanged} of {n}"));
        trace.set("unchanged", unchanged.to_string());
        trace.set("unchanged_ratio", num(ratio));
        let min = self.min_unchanged_ratio.get();
        let passed = ratio >= min;
        trace.assert(
            format!("unchanged_ratio >= {}", num(min)),
            format!("{} >= {}", num(ratio), num(min)),
            passed,
        );
        let kept = match task {
            Task::Classification => "keep their label",
            Task::Regression => "keep their value",
        };
        let message = format!(
            "{unchanged} of {n} test predictions {kept} ({}) when {how}; at least {} must",
            pct(ratio),
            pct(min)
        );
        Ok(Evaluation { passed, message, observed: json!(ratio), failures: Some(failures) })
    }
}

// ---------------------------------------------------------------------------------------
// directional

/// Raising a feature must not lower the prediction: every test row's `feature` goes up by
/// `delta` (in the feature's own units; default one train standard deviation, ddof 0), and
/// at most `max_violation_ratio` of the rows may see their output go down (by more than
/// 1e-12). The output is the predicted value for regression, and the probability of `class`
/// for classification, where `class` is required. The failing rows are the test rows whose
/// output went down: `progression = 151.2 → 140.7`, `P(Adelie) = 0.81 → 0.77`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Directional {
    pub feature: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delta: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    #[serde(default)]
    pub max_violation_ratio: Ratio,
}

/// A decrease smaller than this is rounding, not a violation.
const DIRECTION_EPS: f64 = 1e-12;

impl TestKind for Directional {
    fn needs_training(&self) -> Option<&'static str> {
        Some(
            "it changes inputs and predicts again, and a `predictions` model's outputs are fixed in the data",
        )
    }

    const FAMILY: Family = Family::Threshold;
    const SUMMARY: &'static str = "raising a feature does not lower the prediction";
    const PARAMS: &'static [Param] = &[
        Param::required("feature", ParamType::Column, r#""a""#, "the feature raised"),
        Param::optional("delta", ParamType::Number, "the feature's std", "how much it is raised"),
        Param::optional(
            "class",
            ParamType::Text,
            "none: needed for classification",
            "the class whose probability is read",
        ),
        Param::optional("max_violation_ratio", ParamType::Ratio, "0", "share of rows that may go down"),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        not_empty("feature", Some(&self.feature))?;
        not_empty("class", self.class.as_deref())?;
        match self.delta {
            Some(delta) if !(delta > 0.0 && delta.is_finite()) => Err(ParamError::new(
                "delta",
                format!("{delta} does not raise the feature: use a positive amount, in its own units"),
            )),
            _ => Ok(()),
        }
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let feature = self.feature.as_str();
        let class = match (trained.spec.task, &self.class) {
            (Task::Classification, Some(class)) => Some(class_index(trained, class)?),
            (Task::Classification, None) => {
                return Err(format!(
                    "directional on a classifier needs `class`: the class whose probability must not go down when `{feature}` rises"
                ))
            }
            (Task::Regression, Some(_)) => {
                return Err("`class` is read for classification; this suite is regression".to_owned())
            }
            (Task::Regression, None) => None,
        };
        let (input, scale, std) = match feature_inputs(ctx, trained, feature)? {
            FeatureInputs::Numeric { input, scale, std } => (input, scale, std),
            FeatureInputs::Category { .. } => {
                return Err(format!("`{feature}` holds categories: directional raises a number"))
            }
        };
        let (delta, what_delta) = match self.delta {
            Some(delta) => (delta, "as given".to_owned()),
            None => (std * scale, "one train std".to_owned()),
        };
        if delta == 0.0 {
            return Err(format!("`{feature}` is constant in the train rows: give `delta` to raise it by"));
        }
        train_step(trace, trained);
        let fitted = &trained.fitted;
        let mut x = fitted.x_test.clone();
        let rows = x.nrows();
        x.column_mut(input).mapv_inplace(|v| v + delta / scale);
        trace.step(
            format!("raise({feature}, +{})", num(delta)),
            format!("{feature} + {} ({what_delta}) on {rows} test rows", num(delta)),
            format!("raised = {rows}"),
        );
        let after = fitted.model.predict(x.view());
        let output = match class {
            Some(class) => format!("P({})", trained.prepared.target.class_names()[class]),
            None => format!("the predicted {}", trained.prepared.target_name),
        };
        // A failing row names what went down: the target, or the class's probability.
        let column = match class {
            Some(_) => output.clone(),
            None => trained.prepared.target_name.clone(),
        };
        // The probability of `class`, or the predicted value.
        let values = |out: &Output, row: usize| match (out, class) {
            (Output::Classes { proba, .. }, Some(class)) => proba[[row, class]],
            (Output::Classes { labels, .. }, None) => labels[row] as f64,
            (Output::Values(values), _) => values[row],
        };
        let mut failures = Failures::default();
        for row in 0..rows {
            let (old, new) = (values(&fitted.test_output, row), values(&after, row));
            if new < old - DIRECTION_EPS {
                failures.push(test_line(trained, row), &column, format!("{} → {}", num(old), num(new)));
            }
        }
        let lower = failures.count;
        let ratio = if rows == 0 { 0.0 } else { lower as f64 / rows as f64 };
        trace.step(
            "predict(raised)",
            format!("{output} before and after, {rows} rows"),
            format!("lower = {lower} of {rows}"),
        );
        trace.set("lower", lower.to_string());
        trace.set("violation_ratio", num(ratio));
        let max = self.max_violation_ratio.get();
        let passed = ratio <= max;
        trace.assert(
            format!("violation_ratio <= {}", num(max)),
            format!("{} <= {}", num(ratio), num(max)),
            passed,
        );
        let message = format!(
            "raising `{feature}` by {} lowers {output} on {lower} of {rows} test rows ({}); at most {} may",
            num(delta),
            pct(ratio),
            pct(max)
        );
        Ok(Evaluation { passed, message, observed: json!(ratio), failures: Some(failures) })
    }
}

// ---------------------------------------------------------------------------------------
// Helpers

/// The 1-based CSV line of the `i`-th test row.
fn test_line(trained: &Trained<'_>, i: usize) -> u64 {
    trained.prepared.line(trained.split.test[i])
}

/// A prediction as text: the class label, or the value.
fn prediction_text(trained: &Trained<'_>, output: &Output, row: usize) -> String {
    match output {
        Output::Classes { labels, .. } => trained.prepared.target.class_names()[labels[row]].clone(),
        Output::Values(values) => num(values[row]),
    }
}

/// Where one feature column sits among the model's inputs.
enum FeatureInputs {
    /// One input, `(raw − shift) / scale`; `std` is the input's train std (ddof 0), so the raw
    /// column's train std is `std × scale`.
    Numeric { input: usize, scale: f64, std: f64 },
    /// One input per train level, from `start`, in `levels` order.
    Category { start: usize, levels: Vec<String> },
}

/// Finds `name` among the model's inputs. A name that is not a column, or a column that is
/// not a feature, is an error naming it.
fn feature_inputs(ctx: &Context<'_>, trained: &Trained<'_>, name: &str) -> Result<FeatureInputs, String> {
    let table = ctx.table;
    if table.column(name).is_none() {
        let header: Vec<&str> = table.column_names().collect();
        let hint = table.column_hint(name);
        return Err(format!(
            "column `{name}` is not in {}{hint} (columns: {})",
            table.name(),
            names(&header, 12)
        ));
    }
    let prepared = &trained.prepared;
    let Some(index) = prepared.features.iter().position(|c| c.name() == name) else {
        return Err(if name == prepared.target_name {
            format!("`{name}` is the target, not one of the model's features")
        } else {
            format!("`{name}` is not one of the model's features (see the suite's `features` and `drop`)")
        });
    };
    let preprocessor = &trained.fitted.preprocessor;
    let range = preprocessor
        .inputs_of(index)
        .ok_or_else(|| format!("`{name}` has no input in the fitted preprocessing"))?;
    if prepared.features[index].ty() == ColumnType::Category {
        let prefix = format!("{name}=");
        let levels = preprocessor.input_names()[range.clone()]
            .iter()
            .map(|input| input.strip_prefix(&prefix).unwrap_or(input).to_owned())
            .collect();
        return Ok(FeatureInputs::Category { start: range.start, levels });
    }
    let input = range.start;
    let scale = preprocessor.scale_params().into_iter().find(|p| p.input == input).map_or(1.0, |p| p.scale);
    let column: Vec<f64> = trained.fitted.x_train.column(input).to_vec();
    Ok(FeatureInputs::Numeric { input, scale, std: mean_std(&column).1 })
}
