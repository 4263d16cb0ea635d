//! The model's score against a bound: a metric of the test (or train) rows, each class's
//! score, the gain over a model that learnt nothing, and the drop from train to test.

use ndarray::Array2;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::cross_validation::{cross_validate, validate_folds, DEFAULT_FOLDS};
use super::{class_index, evaluate_step, finite, not_empty, scored_metric, train_step};
use crate::checks::catalog;
use crate::checks::metric::{validate_average, validate_metric, Op, Part};
use crate::checks::{Context, Evaluation, Family, ParamError, Ratio, TestKind};
use crate::pipeline::evaluate::Metric;
use crate::pipeline::fit::Trained;
use crate::pipeline::metrics::{self, Average, ClassScores};
use crate::pipeline::model::Output;
use crate::pipeline::prepare::Target;
use crate::report::fmt::{num, pct};
use crate::report::{Bound, Trace};
use crate::table::stats;
use crate::vocab::Task;
use crate::vocab::{Param, ParamType};

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
    fn needs_training(&self) -> Option<&'static str> {
        match self.on {
            Part::Test => None,
            Part::Train => Some("`on: train` scores the train rows, and a `predictions` model has none"),
            Part::Cv => {
                Some("`on: cv` retrains the model on folds, and a `predictions` model is not trained")
            }
        }
    }

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
            Part::Cv => self.folds.unwrap_or(DEFAULT_FOLDS),
            Part::Test | Part::Train => 0,
        }
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        scored_metric(trace, trained, Some(self.metric))?;
        let name = self.metric.name();
        let value = match self.on {
            Part::Test | Part::Train => {
                let value = evaluate_step(trace, trained, self.metric, self.average, self.on)?;
                trace.set(name, num(value));
                value
            }
            Part::Cv => {
                let k = self.folds.unwrap_or(DEFAULT_FOLDS);
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
            Part::Cv => format!("averaged over {} folds", self.folds.unwrap_or(DEFAULT_FOLDS)),
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
        let metric = scored_metric(trace, trained, self.metric)?;
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

/// The baseline fitted on the train rows (a `predictions` model, which has none, on the
/// evaluated rows: PRODUCT.md §9), its predictions for the test rows, its strategy's name and
/// what it predicts, in words.
fn baseline(trained: &Trained<'_>) -> (Output, &'static str, String) {
    let fitted = &trained.fitted;
    let rows = fitted.y_test.len();
    let (learnt_from, part) = match trained.spec.model.reads_outputs() {
        Some(_) => (&fitted.y_test, "evaluated rows"),
        None => (&fitted.y_train, "train rows"),
    };
    match learnt_from {
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
            let predicts = format!("always `{}`, {} of {part}", names[majority], pct(priors[majority]));
            (Output::Classes { labels: vec![majority; rows], proba }, "most_frequent", predicts)
        }
        Target::Values(values) => {
            let mean = stats::mean(values).unwrap_or(0.0);
            let predicts = match part {
                "train rows" => format!("always the train mean {}", num(mean)),
                _ => format!("always the mean {} of the {part}", num(mean)),
            };
            (Output::Values(vec![mean; rows]), "mean", predicts)
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
    fn needs_training(&self) -> Option<&'static str> {
        Some("it compares the train and test scores, and a `predictions` model has no train rows")
    }

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
        let metric = scored_metric(trace, trained, self.metric)?;
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
pub(super) fn relative_drop(worse: f64, train: f64) -> f64 {
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
// Helpers

/// The test rows' true and predicted classes; an error on regression.
fn test_classes<'a>(trained: &'a Trained<'_>, kind: &str) -> Result<(&'a [usize], &'a [usize]), String> {
    match (&trained.fitted.y_test, &trained.fitted.test_output) {
        (Target::Classes { codes, .. }, Output::Classes { labels, .. }) => Ok((codes, labels)),
        _ => Err(format!("{kind} needs classes; the suite's task is {}", trained.spec.task.name())),
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
