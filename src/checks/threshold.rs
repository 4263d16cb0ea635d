//! Threshold tests on the trained model (PRODUCT.md §3): a metric against a bound, as the
//! seed lesson's `assert accuracy > 0.8`, and the checks built on the same steps.
//!
//! - Scores: [`MetricThreshold`], [`PerClassMetric`] (each class on its own),
//!   [`BeatsBaseline`] (against a model that learnt nothing), [`TrainTestGap`] (overfitting),
//!   [`CrossValidation`] (k folds: the mean and the spread).
//! - Cost: [`TimeBudget`], the one measurement that is not deterministic.
//! - Behaviour: [`Invariance`] (a perturbation that should not matter does not change the
//!   predictions) and [`Directional`] (raising a feature does not lower the output), both
//!   perturbing the test rows' model inputs consistently with the fitted preprocessing.
//!
//! Every test here reads the pipeline the runner trained once for the suite
//! ([`Context::trained`]); its first step says what was trained on what.

use ndarray::Array2;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub use super::budget::{check_fit_budget, fit_budget_error, fits_of};
use super::catalog::{self, Param, ParamType};
pub use super::metric::{Op, Part};

use super::metric::{check_task, default_metric, mean_std, validate_average, validate_metric};
use super::{Context, Evaluation, Family, ParamError, Ratio, TestKind};
use crate::pipeline::evaluate::Metric;
use crate::pipeline::fit::{fit_on, Trained};
use crate::pipeline::limits::{self, MAX_FOLDS};
use crate::pipeline::metrics::{self, Average, ClassScores};
use crate::pipeline::model::Output;
use crate::pipeline::prepare::Target;
use crate::pipeline::split::{k_folds, SplitMix64};
use crate::report::fmt::{names, num, pct};
use crate::report::{Bound, Failures, Trace};
use crate::run::now_ms;
use crate::suite::Task;
use crate::table::{stats, ColumnType};

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
    const SUMMARY: &'static str = "a metric of the model against a bound";
    const PARAMS: &'static [Param] = &[
        Param::required("metric", ParamType::Choice(catalog::METRICS), r#""accuracy""#, "the score"),
        Param::required("op", ParamType::Choice(catalog::OPS), r#"">""#, "the comparison"),
        Param::required("value", ParamType::Number, "0.8", "the bound"),
        catalog::AVERAGE,
        Param::optional("on", ParamType::Choice(&["test", "train", "cv"]), "test", "the rows scored"),
        Param::optional("folds", ParamType::Integer, "5", "folds, with on cv"),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        validate_average(self.metric, self.average)?;
        if !self.value.is_finite() {
            return Err(ParamError::new("value", "the bound must be a finite number"));
        }
        match (self.on, self.folds) {
            (Part::Cv, Some(k)) => validate_folds(k),
            (Part::Test | Part::Train, Some(_)) => {
                Err(ParamError::new("folds", "`folds` is only read with `\"on\": \"cv\"`"))
            }
            _ => Ok(()),
        }
    }

    fn bounds(&self, observed: &Value, _task: Option<Task>) -> Vec<Bound> {
        let name = match self.on {
            Part::Test => self.metric.name().to_owned(),
            Part::Train => format!("{} (train)", self.metric.name()),
            Part::Cv => format!("{} (cv)", self.metric.name()),
        };
        self.op.bound(name, observed.as_f64(), self.value).into_iter().collect()
    }

    fn fits(&self) -> usize {
        match self.on {
            Part::Cv => self.folds.unwrap_or(5),
            Part::Test | Part::Train => 0,
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

/// `folds` from 2 to [`MAX_FOLDS`]; more folds than labelled rows is checked when the data is known.
fn validate_folds(folds: usize) -> Result<(), ParamError> {
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

fn finite(field: &'static str, value: f64) -> Result<(), ParamError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(ParamError::new(field, "must be a finite number"))
    }
}

fn not_empty(field: &'static str, value: Option<&str>) -> Result<(), ParamError> {
    match value {
        Some(text) if text.trim().is_empty() => Err(ParamError::new(field, "is empty")),
        _ => Ok(()),
    }
}

/// The test rows' true and predicted classes; an error on regression.
fn test_classes<'a>(trained: &'a Trained<'_>, kind: &str) -> Result<(&'a [usize], &'a [usize]), String> {
    match (&trained.fitted.y_test, &trained.fitted.test_output) {
        (Target::Classes { codes, .. }, Output::Classes { labels, .. }) => Ok((codes, labels)),
        _ => Err(format!("{kind} needs classes; the suite's task is {}", trained.spec.task.name())),
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

/// A number written after a minus sign: a negative one in parentheses, `0.5 − (-0.02)`.
fn operand(x: f64) -> String {
    if x < 0.0 {
        format!("({})", num(x))
    } else {
        num(x)
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
        return Err(format!("column `{name}` is not in {} (columns: {})", table.name(), names(&header, 12)));
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

// ---------------------------------------------------------------------------------------
// per_class_metric

/// A score of one class against the rest, as scikit-learn's
/// `precision_recall_fscore_support(average=None)` gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClassMetric {
    Precision,
    Recall,
    F1,
}

impl ClassMetric {
    pub fn name(self) -> &'static str {
        match self {
            ClassMetric::Precision => "precision",
            ClassMetric::Recall => "recall",
            ClassMetric::F1 => "f1",
        }
    }

    fn of(self, scores: &ClassScores) -> f64 {
        match self {
            ClassMetric::Precision => scores.precision,
            ClassMetric::Recall => scores.recall,
            ClassMetric::F1 => scores.f1,
        }
    }
}

/// Each class's precision, recall or F1 on the test rows compares to `value` with `op`: every
/// class, or only `class` (its label as written in the CSV). A macro average can hide one
/// class the model never gets right; this cannot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerClassMetric {
    pub metric: ClassMetric,
    pub op: Op,
    pub value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
}

impl TestKind for PerClassMetric {
    const FAMILY: Family = Family::Threshold;
    const SUMMARY: &'static str = "each class's precision, recall or F1 against a bound";
    const PARAMS: &'static [Param] = &[
        Param::required(
            "metric",
            ParamType::Choice(&["precision", "recall", "f1"]),
            r#""recall""#,
            "the score",
        ),
        Param::required("op", ParamType::Choice(catalog::OPS), r#"">""#, "the comparison"),
        Param::required("value", ParamType::Number, "0.5", "the bound"),
        Param::optional("class", ParamType::Text, "every class", "one class only"),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        finite("value", self.value)?;
        not_empty("class", self.class.as_deref())
    }

    /// One bound per class: `recall[setosa]`, from the map of class → value it observes, or
    /// the one class it names.
    fn bounds(&self, observed: &Value, _task: Option<Task>) -> Vec<Bound> {
        let name = |class: &str| format!("{}[{class}]", self.metric.name());
        match (&self.class, observed) {
            (Some(class), _) => {
                self.op.bound(name(class), observed.as_f64(), self.value).into_iter().collect()
            }
            (None, Value::Object(values)) => values
                .iter()
                .filter_map(|(class, value)| self.op.bound(name(class), value.as_f64(), self.value))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let (truth, labels) = test_classes(trained, "per_class_metric")?;
        let classes = trained.prepared.target.class_names();
        let chosen: Vec<usize> = match &self.class {
            Some(class) => vec![class_index(trained, class)?],
            None => (0..classes.len()).collect(),
        };
        train_step(trace, trained);
        let name = self.metric.name();
        let scores = metrics::per_class_scores(truth, labels, classes.len())
            .map_err(|e| format!("{name} could not be computed: {e}"))?;
        let rows = truth.len();
        let bound = format!("{} {}", self.op.symbol(), num(self.value));
        let mut values = serde_json::Map::new();
        let mut failing: Vec<(&str, f64)> = Vec::new();
        for &class in &chosen {
            let (label, value) = (classes[class].as_str(), self.metric.of(&scores[class]));
            trace.step(
                format!("evaluate_class({label})"),
                format!("{name} on {rows} test rows, {} of them {label}", scores[class].support),
                format!("{name} = {}", num(value)),
            );
            trace.set(format!("{name}[{label}]"), num(value));
            values.insert(label.to_owned(), json!(value));
            if !self.op.holds(value, self.value) {
                failing.push((label, value));
            }
        }
        let passed = failing.is_empty();
        let listed = failing.iter().map(|(c, v)| format!("{c} ({})", num(*v))).collect::<Vec<_>>().join(", ");
        if let Some(class) = &self.class {
            let value = self.metric.of(&scores[chosen[0]]);
            let claim = format!("{name}[{class}] {bound}");
            trace.assert(&claim, format!("{} {bound}", num(value)), passed);
            let message = format!(
                "{name} of class `{class}` is {} on {rows} test rows{}",
                num(value),
                if passed {
                    format!(", and {name} {bound} holds")
                } else {
                    format!(": {name} {bound} does not hold")
                }
            );
            return Ok(Evaluation { passed, message, observed: json!(value), failures: None });
        }
        let n = chosen.len();
        let claim = format!("{name} {bound} for every class");
        let evaluation = if passed {
            format!("{n} of {n} classes hold")
        } else {
            let verb = if failing.len() == 1 { "does" } else { "do" };
            format!("{} of {n} classes {verb} not: {listed}", failing.len())
        };
        trace.assert(&claim, evaluation, passed);
        let target = &trained.prepared.target_name;
        let message = if passed {
            // The class nearest the bound is the one to watch.
            let closest = chosen
                .iter()
                .map(|&c| (classes[c].as_str(), self.metric.of(&scores[c])))
                .min_by(|a, b| (a.1 - self.value).abs().total_cmp(&(b.1 - self.value).abs()))
                .map(|(c, v)| format!(" (closest: {c}, {})", num(v)))
                .unwrap_or_default();
            format!("{name} {bound} holds for all {n} classes of `{target}` on {rows} test rows{closest}")
        } else {
            format!(
                "{name} {bound} does not hold for {} of {n} classes of `{target}` on {rows} test rows: {listed}",
                failing.len(),
            )
        };
        Ok(Evaluation { passed, message, observed: serde_json::Value::Object(values), failures: None })
    }
}

// ---------------------------------------------------------------------------------------
// beats_baseline

/// The model scores better than a model that learnt nothing, by at least `min_gain`: the
/// baseline is scikit-learn's `DummyClassifier(strategy="most_frequent")` (the train part's
/// majority class, with the train class shares as probabilities) or `DummyRegressor()` (the
/// train mean). The gain is model − baseline, or baseline − model for a loss or an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BeatsBaseline {
    /// Default: accuracy, or r2 for regression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average: Option<Average>,
    #[serde(default)]
    pub min_gain: f64,
}

impl TestKind for BeatsBaseline {
    const FAMILY: Family = Family::Threshold;
    const SUMMARY: &'static str = "the model beats a majority-class or mean predictor";
    const PARAMS: &'static [Param] = &[
        catalog::METRIC_DEFAULTED,
        catalog::AVERAGE,
        Param::optional("min_gain", ParamType::Number, "0", "how much better it must score"),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        validate_metric(self.metric, self.average)?;
        finite("min_gain", self.min_gain)
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let metric = self.metric.unwrap_or(default_metric(trained.spec.task));
        check_task(metric, trained)?;
        train_step(trace, trained);
        let name = metric.name();
        let model = evaluate_step(trace, trained, metric, self.average, Part::Test)?;
        trace.set(name, num(model));
        let fitted = &trained.fitted;
        let (output, strategy, predicts) = baseline(trained);
        let rows = fitted.y_test.len();
        let base = metric
            .compute(&fitted.y_test, &output, self.average)
            .map_err(|e| format!("the baseline's {e}"))?;
        trace.step(
            format!("evaluate_baseline({strategy})"),
            format!("{predicts}, on {rows} test rows"),
            format!("{name} = {}", num(base)),
        );
        trace.set("baseline", num(base));
        let higher = metric.higher_is_better();
        let gain = if higher { model - base } else { base - model };
        let (action, evaluation) = if higher {
            ("gain = model − baseline", format!("{} − {}", num(model), operand(base)))
        } else {
            ("gain = baseline − model (lower is better)", format!("{} − {}", num(base), operand(model)))
        };
        trace.step(action, evaluation, format!("gain = {}", num(gain)));
        trace.set("gain", num(gain));
        let passed = gain >= self.min_gain;
        let min = num(self.min_gain);
        trace.assert(format!("gain >= {min}"), format!("{} >= {min}", num(gain)), passed);
        let compared = if gain >= 0.0 {
            format!("beats the baseline's {} ({predicts}) by {}", num(base), num(gain))
        } else {
            format!("falls short of the baseline's {} ({predicts}) by {}", num(base), num(-gain))
        };
        let message = format!(
            "the model's {name} {} {compared} on {rows} test rows; a gain of at least {min} is {}",
            num(model),
            if passed { "required, and it holds" } else { "required" }
        );
        Ok(Evaluation { passed, message, observed: json!(gain), failures: None })
    }
}

/// The baseline fitted on the train rows, its predictions for the test rows, its strategy's
/// name and what it predicts, in words.
fn baseline(trained: &Trained<'_>) -> (Output, &'static str, String) {
    let fitted = &trained.fitted;
    let rows = fitted.y_test.len();
    match &fitted.y_train {
        Target::Classes { codes, names } => {
            let mut counts = vec![0usize; names.len()];
            for &c in codes {
                counts[c] += 1;
            }
            // Ties go to the first class in sorted order, as numpy's argmax does.
            let majority =
                (0..counts.len()).fold(0, |best, c| if counts[c] > counts[best] { c } else { best });
            let total = codes.len().max(1) as f64;
            let priors: Vec<f64> = counts.iter().map(|&n| n as f64 / total).collect();
            let proba = Array2::from_shape_fn((rows, names.len()), |(_, c)| priors[c]);
            let predicts = format!("always `{}`, {} of train rows", names[majority], pct(priors[majority]));
            (Output::Classes { labels: vec![majority; rows], proba }, "most_frequent", predicts)
        }
        Target::Values(values) => {
            let mean = stats::mean(values).unwrap_or(0.0);
            (Output::Values(vec![mean; rows]), "mean", format!("always the train mean {}", num(mean)))
        }
    }
}

// ---------------------------------------------------------------------------------------
// train_test_gap

/// The test score is not much worse than the train score: an overfit model learns its train
/// rows by heart. The relative drop is (train − test) / |train| for a score, (test − train) /
/// |train| for a loss or an error; a train value of 0 makes any drop infinite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainTestGap {
    /// Default: accuracy, or r2 for regression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average: Option<Average>,
    pub max_relative_drop: Ratio,
}

impl TestKind for TrainTestGap {
    const FAMILY: Family = Family::Threshold;
    const SUMMARY: &'static str = "the test score is not far below the train score";
    const PARAMS: &'static [Param] = &[
        catalog::METRIC_DEFAULTED,
        catalog::AVERAGE,
        Param::required(
            "max_relative_drop",
            ParamType::Ratio,
            "0.1",
            "the largest allowed drop, relative to train",
        ),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        validate_metric(self.metric, self.average)
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let metric = self.metric.unwrap_or(default_metric(trained.spec.task));
        check_task(metric, trained)?;
        train_step(trace, trained);
        let name = metric.name();
        let train = evaluate_step(trace, trained, metric, self.average, Part::Train)?;
        trace.set(format!("train_{name}"), num(train));
        let test = evaluate_step(trace, trained, metric, self.average, Part::Test)?;
        trace.set(format!("test_{name}"), num(test));
        let (worse, formula) = if metric.higher_is_better() {
            (train - test, format!("({} − {}) / |{}|", num(train), operand(test), num(train)))
        } else {
            (test - train, format!("({} − {}) / |{}|", num(test), operand(train), num(train)))
        };
        let drop = relative_drop(worse, train);
        trace.step("relative_drop(train, test)", formula, format!("drop = {}", num(drop)));
        trace.set("drop", num(drop));
        let max = self.max_relative_drop.get();
        let passed = drop <= max;
        trace.assert(format!("drop <= {}", num(max)), format!("{} <= {}", num(drop), num(max)), passed);
        let found = format!(
            "{name} is {} on {} train rows and {} on {} test rows, a relative drop of {}",
            num(train),
            trained.split.train.len(),
            num(test),
            trained.split.test.len(),
            pct(drop)
        );
        let message = if passed {
            format!("{found}; at most {} is allowed", pct(max))
        } else {
            format!("{found}; at most {} is allowed: the model does worse on rows it has not seen", pct(max))
        };
        Ok(Evaluation { passed, message, observed: json!(drop), failures: None })
    }
}

/// `worse / |train|`, where a train value of 0 makes any worsening infinite.
fn relative_drop(worse: f64, train: f64) -> f64 {
    if train != 0.0 {
        worse / train.abs()
    } else if worse > 0.0 {
        f64::INFINITY
    } else if worse < 0.0 {
        f64::NEG_INFINITY
    } else {
        0.0
    }
}

// ---------------------------------------------------------------------------------------
// cross_validation

/// The pipeline trained and scored on `folds` folds of the labelled rows: the mean score is
/// at least `min_mean` (at most `max_mean` for a loss or an error) and, with `max_std`, the
/// folds agree: their sample standard deviation (ddof = 1) is at most `max_std`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossValidation {
    #[serde(default = "five_folds")]
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

fn five_folds() -> usize {
    5
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
        let metric = self.metric.unwrap_or(default_metric(trained.spec.task));
        check_task(metric, trained)?;
        train_step(trace, trained);
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

#[cfg(test)]
mod tests;
