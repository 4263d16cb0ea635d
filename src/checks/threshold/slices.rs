//! The model on each group of its evaluated rows (PRODUCT.md §10): a model can pass on
//! average and fail a group. The rows (a trained model's test rows, a `predictions` model's
//! labelled rows) are cut by a column `by` (`pipeline::slices`), and each slice is a step
//! and an entry of the report's `slices`:
//!
//! - [`SliceMetric`]: every judged slice's metric holds against a bound;
//! - [`SliceGap`]: the best and worst judged slices are at most `max_gap` apart;
//! - [`Fairness`]: one of fairlearn's four group measures (demographic parity and equalized
//!   odds, as a difference or a ratio), each group's selection rate, TPR and FPR shown.
//!
//! A slice smaller than `min_rows`, or on which the metric is undefined (ROC AUC with one
//! class present), is reported and not judged; fairness judges every group, as fairlearn.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{non_negative, scored_metric, train_step};
use crate::checks::catalog;
use crate::checks::metric::{validate_average, Op};
use crate::checks::{Context, Evaluation, Family, ParamError, TestKind};
use crate::pipeline::evaluate::Metric;
use crate::pipeline::fairness::{self, FairnessMeasure};
use crate::pipeline::fit::Trained;
use crate::pipeline::metrics::Average;
use crate::pipeline::model::Output;
use crate::pipeline::prepare::Target;
use crate::pipeline::slices::{slice_rows, Slices};
use crate::report::fmt::{names, num};
use crate::report::{Bound, SliceOutcome, Trace};
use crate::vocab::Task;
use crate::vocab::{Param, ParamType};

/// Slices with fewer rows are reported and not judged, unless the test says otherwise.
pub const DEFAULT_MIN_ROWS: usize = 20;

const BY: Param =
    Param::required("by", ParamType::Column, r#""species""#, "the column that cuts the rows into slices");
const BINS: Param = Param::optional(
    "bins",
    ParamType::Integer,
    "4 quantile bins for a numeric column of more than 50 levels",
    "quantile bins of a numeric column",
);
const MIN_ROWS: Param =
    Param::optional("min_rows", ParamType::Integer, "20", "smaller slices are shown, not judged");

/// The evaluated rows cut by `by`: their table rows' slices, after a step that says how.
fn cut(
    ctx: &Context<'_>,
    trace: &mut Trace,
    trained: &Trained<'_>,
    by: &str,
    bins: Option<usize>,
) -> Result<Slices, String> {
    let table = ctx.table;
    let column = table.column(by).ok_or_else(|| {
        format!("`by` names `{by}`, which is not a column of {}{}", table.name(), table.column_hint(by))
    })?;
    let rows: Vec<usize> = trained.split.test.iter().map(|&p| trained.prepared.rows.get(p)).collect();
    let slices = slice_rows(column, &rows, bins)?;
    trace.step(
        format!("slice_rows({by})"),
        format!("{} evaluated rows by `{by}`", rows.len()),
        format!("{} slices: {}", slices.names.len(), slices.names.join(", ")),
    );
    Ok(slices)
}

/// Each slice's rows, as indices into the evaluated rows.
fn members(slices: &Slices) -> Vec<Vec<usize>> {
    let mut members = vec![Vec::new(); slices.names.len()];
    for (i, &slice) in slices.of_row.iter().enumerate() {
        members[slice].push(i);
    }
    members
}

/// A metric on every slice: a step and an outcome each, judged when it has `min_rows` rows and
/// the metric is defined.
fn score_slices(
    trace: &mut Trace,
    trained: &Trained<'_>,
    slices: &Slices,
    metric: Metric,
    average: Option<Average>,
    min_rows: usize,
) -> Vec<SliceOutcome> {
    let fitted = &trained.fitted;
    let name = metric.name();
    let mut outcomes = Vec::new();
    for (slice, rows) in slices.names.iter().zip(members(slices)) {
        let value =
            metric.compute_in_group(&fitted.y_test.select(&rows), &fitted.test_output.select(&rows), average);
        let (value, note) = match value {
            Ok(v) if rows.len() >= min_rows => (Some(v), None),
            Ok(v) => (Some(v), Some(format!("{} rows, fewer than min_rows {min_rows}", rows.len()))),
            Err(reason) => (None, Some(reason)),
        };
        let result = match (&value, &note) {
            (Some(v), None) => format!("{name} = {}", num(*v)),
            (Some(v), Some(why)) => format!("{name} = {}, not judged: {why}", num(*v)),
            (None, Some(why)) => format!("not judged: {why}"),
            (None, None) => String::new(),
        };
        trace.step(format!("evaluate_slice({slice})"), format!("{name} on {} rows", rows.len()), result);
        let outcome = SliceOutcome {
            name: slice.clone(),
            rows: rows.len(),
            value,
            judged: note.is_none(),
            note,
            rates: None,
        };
        trace.slice(outcome.clone());
        outcomes.push(outcome);
    }
    outcomes
}

/// What a slice test scores on which slices.
struct Cut<'a> {
    metric: Metric,
    average: Option<Average>,
    by: &'a str,
    bins: Option<usize>,
    min_rows: Option<usize>,
}

impl<'a> Cut<'a> {
    fn new(
        metric: Metric,
        average: Option<Average>,
        by: &'a str,
        bins: Option<usize>,
        min_rows: Option<usize>,
    ) -> Cut<'a> {
        Cut { metric, average, by, bins, min_rows }
    }

    fn min_rows(&self) -> usize {
        self.min_rows.unwrap_or(DEFAULT_MIN_ROWS)
    }

    /// The train step, the cut and every slice's metric (steps and outcomes).
    fn score(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<(Metric, Vec<SliceOutcome>), String> {
        let trained = ctx.trained()?;
        let metric = scored_metric(trace, trained, Some(self.metric))?;
        let slices = cut(ctx, trace, trained, self.by, self.bins)?;
        Ok((metric, score_slices(trace, trained, &slices, metric, self.average, self.min_rows())))
    }
}

/// The judged slices' values, or why no slice could be judged.
fn judged(outcomes: &[SliceOutcome], min_rows: usize) -> Result<Vec<(&str, f64)>, String> {
    let judged: Vec<(&str, f64)> =
        outcomes.iter().filter(|o| o.judged).filter_map(|o| Some((o.name.as_str(), o.value?))).collect();
    if judged.is_empty() {
        return Err(format!(
            "no slice could be judged: each has fewer than {min_rows} rows (min_rows) or an undefined metric"
        ));
    }
    Ok(judged)
}

fn positive_count(field: &'static str, value: Option<usize>) -> Result<(), ParamError> {
    match value {
        Some(0) => Err(ParamError::new(field, "must be at least 1")),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------
// slice_metric

/// Every judged slice's metric compares to `value` with `op`: `accuracy >= 0.75` for each
/// species. Observed: the worst judged slice's value (the lowest score, the highest loss).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SliceMetric {
    pub metric: Metric,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average: Option<Average>,
    pub op: Op,
    pub value: f64,
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bins: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_rows: Option<usize>,
}

impl TestKind for SliceMetric {
    const FAMILY: Family = Family::Threshold;
    const SUMMARY: &'static str = "a metric of the model on every slice of a column against a bound";
    const PARAMS: &'static [Param] = &[
        Param::required("metric", ParamType::Choice(catalog::METRICS), r#""accuracy""#, "the score"),
        Param::required("op", ParamType::Choice(catalog::OPS), r#"">=""#, "the comparison"),
        Param::required("value", ParamType::Number, "0.7", "the bound every slice must meet"),
        catalog::AVERAGE,
        BY,
        BINS,
        MIN_ROWS,
    ];

    fn validate(&self) -> Result<(), ParamError> {
        validate_average(self.metric, self.average)?;
        if !self.value.is_finite() {
            return Err(ParamError::new("value", "the bound must be a finite number"));
        }
        positive_count("bins", self.bins)?;
        positive_count("min_rows", self.min_rows)
    }

    fn bounds(&self, observed: &Value, _task: Option<Task>) -> Vec<Bound> {
        let name = format!("worst slice's {} by {}", self.metric.name(), self.by);
        self.op.bound(name, observed.as_f64(), self.value).into_iter().collect()
    }

    fn columns_read(&self) -> Vec<&str> {
        vec![&self.by]
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let by = Cut::new(self.metric, self.average, &self.by, self.bins, self.min_rows);
        let (metric, outcomes) = by.score(ctx, trace)?;
        let judged = judged(&outcomes, by.min_rows())?;
        let worse = |a: f64, b: f64| if metric.higher_is_better() { a < b } else { a > b };
        let (worst_name, worst) =
            judged.iter().copied().fold(judged[0], |w, s| if worse(s.1, w.1) { s } else { w });
        let failing: Vec<&str> =
            judged.iter().filter(|(_, v)| !self.op.holds(*v, self.value)).map(|(n, _)| *n).collect();
        let name = metric.name();
        trace.set(format!("worst {name}"), num(worst));
        let claim = format!("{name} {} {} for every judged slice", self.op.symbol(), num(self.value));
        let passed = failing.is_empty();
        trace.assert(
            &claim,
            format!("{} of {} judged slices hold", judged.len() - failing.len(), judged.len()),
            passed,
        );
        let by = &self.by;
        let message = if passed {
            format!(
                "{name} {} {} holds for all {} judged slices of `{by}` (worst: {worst_name}, {})",
                self.op.symbol(),
                num(self.value),
                judged.len(),
                num(worst)
            )
        } else {
            format!(
                "{name} {} {} fails for {} of {} judged slices of `{by}`: {} (worst: {worst_name}, {})",
                self.op.symbol(),
                num(self.value),
                failing.len(),
                judged.len(),
                names(&failing, 10),
                num(worst)
            )
        };
        Ok(Evaluation { passed, message, observed: json!(worst), failures: None })
    }
}

// ---------------------------------------------------------------------------------------
// slice_gap

/// The best and the worst judged slices' metric are at most `max_gap` apart. Observed: the gap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SliceGap {
    pub metric: Metric,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average: Option<Average>,
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bins: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_rows: Option<usize>,
    pub max_gap: f64,
}

impl TestKind for SliceGap {
    const FAMILY: Family = Family::Threshold;
    const SUMMARY: &'static str = "the best and worst slices of a column score close together";
    const PARAMS: &'static [Param] = &[
        Param::required("metric", ParamType::Choice(catalog::METRICS), r#""accuracy""#, "the score"),
        catalog::AVERAGE,
        BY,
        BINS,
        MIN_ROWS,
        Param::required("max_gap", ParamType::Number, "0.1", "the largest gap allowed between slices"),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        validate_average(self.metric, self.average)?;
        non_negative("max_gap", self.max_gap)?;
        positive_count("bins", self.bins)?;
        positive_count("min_rows", self.min_rows)
    }

    fn bounds(&self, observed: &Value, _task: Option<Task>) -> Vec<Bound> {
        let name = format!("{} gap by {}", self.metric.name(), self.by);
        Op::Le.bound(name, observed.as_f64(), self.max_gap).into_iter().collect()
    }

    fn columns_read(&self) -> Vec<&str> {
        vec![&self.by]
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let by = Cut::new(self.metric, self.average, &self.by, self.bins, self.min_rows);
        let (metric, outcomes) = by.score(ctx, trace)?;
        let judged = judged(&outcomes, by.min_rows())?;
        let (low, high) = judged.iter().copied().fold((judged[0], judged[0]), |(lo, hi), s| {
            (if s.1 < lo.1 { s } else { lo }, if s.1 > hi.1 { s } else { hi })
        });
        let gap = high.1 - low.1;
        let name = metric.name();
        trace.step(
            "gap = max − min",
            format!("{} ({}) − {} ({})", num(high.1), high.0, num(low.1), low.0),
            format!("gap = {}", num(gap)),
        );
        trace.set("gap", num(gap));
        let passed = gap <= self.max_gap;
        let max = num(self.max_gap);
        trace.assert(format!("gap <= {max}"), format!("{} <= {max}", num(gap)), passed);
        let message = format!(
            "{name} ranges from {} ({}) to {} ({}) over {} judged slices of `{}`: a gap of {}, {} {max}",
            num(low.1),
            low.0,
            num(high.1),
            high.0,
            judged.len(),
            self.by,
            num(gap),
            if passed { "within" } else { "more than" }
        );
        Ok(Evaluation { passed, message, observed: json!(gap), failures: None })
    }
}

// ---------------------------------------------------------------------------------------
// fairness

/// One of fairlearn 0.15's group fairness measures of a binary classifier over the groups of
/// `by`: at most `max` for a difference, at least `min` for a ratio (0.8 is the four-fifths
/// rule). The positive label is `positive`, else the larger label; every other label is 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fairness {
    pub by: String,
    pub measure: FairnessMeasure,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub positive: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bins: Option<usize>,
}

const MEASURES: &[&str] = &[
    "demographic_parity_difference",
    "demographic_parity_ratio",
    "equalized_odds_difference",
    "equalized_odds_ratio",
];

impl TestKind for Fairness {
    const FAMILY: Family = Family::Threshold;
    const SUMMARY: &'static str =
        "a fairness measure of a binary classifier across the groups of a column (fairlearn's)";
    const PARAMS: &'static [Param] = &[
        BY,
        Param::required(
            "measure",
            ParamType::Choice(MEASURES),
            r#""demographic_parity_difference""#,
            "the measure, as fairlearn defines it",
        ),
        Param::optional("max", ParamType::Number, "none", "a difference's largest value").starting_at("0.1"),
        Param::optional("min", ParamType::Number, "none", "a ratio's smallest value (0.8: four-fifths)"),
        Param::optional("positive", ParamType::Text, "the larger label", "the label that counts as selected"),
        BINS,
    ];

    fn validate(&self) -> Result<(), ParamError> {
        let (field, other) = if self.measure.is_ratio() { ("min", "max") } else { ("max", "min") };
        let (given, wrong) =
            if self.measure.is_ratio() { (self.min, self.max) } else { (self.max, self.min) };
        let kind = if self.measure.is_ratio() { "a ratio" } else { "a difference" };
        if wrong.is_some() {
            return Err(ParamError::new(
                other,
                format!("{} is {kind}: bound it with `{field}`", self.measure.name()),
            ));
        }
        match given {
            None => Err(ParamError::new(field, format!("{} is {kind}: give `{field}`", self.measure.name()))),
            Some(x) if !(0.0..=1.0).contains(&x) => {
                Err(ParamError::new(field, format!("{x} must be from 0 to 1")))
            }
            Some(_) => positive_count("bins", self.bins),
        }
    }

    fn bounds(&self, observed: &Value, _task: Option<Task>) -> Vec<Bound> {
        let name = format!("{} by {}", self.measure.name(), self.by);
        match (self.max, self.min) {
            (Some(max), _) => Op::Le.bound(name, observed.as_f64(), max).into_iter().collect(),
            (None, Some(min)) => Op::Ge.bound(name, observed.as_f64(), min).into_iter().collect(),
            (None, None) => Vec::new(),
        }
    }

    fn columns_read(&self) -> Vec<&str> {
        vec![&self.by]
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let Target::Classes { codes, names: classes } = &trained.fitted.y_test else {
            return Err("fairness measures a classifier; the task is regression".to_owned());
        };
        if classes.len() != 2 {
            return Err(format!(
                "fairness measures a binary classifier; the target has {} classes ({})",
                classes.len(),
                classes.join(", ")
            ));
        }
        let positive = match &self.positive {
            Some(label) => classes.iter().position(|c| c == label).ok_or_else(|| {
                format!(
                    "`positive` is `{label}`, which is not a class; the classes are {}",
                    classes.join(", ")
                )
            })?,
            None => 1,
        };
        let Output::Classes { labels, .. } = &trained.fitted.test_output else {
            return Err("the model's output does not match the target's kind".to_owned());
        };
        train_step(trace, trained);
        let slices = cut(ctx, trace, trained, &self.by, self.bins)?;
        let y_true: Vec<bool> = codes.iter().map(|&c| c == positive).collect();
        let y_pred: Vec<bool> = labels.iter().map(|&c| c == positive).collect();
        let groups = fairness::group_rates(&y_true, &y_pred, &slices.of_row, slices.names.len())?;
        for (name, rates) in slices.names.iter().zip(&groups) {
            trace.step(
                format!("group_rates({name})"),
                format!("{} rows, positive = {}", rates.rows, classes[positive]),
                format!(
                    "selection rate {}, TPR {}, FPR {}",
                    num(rates.selection_rate),
                    num(rates.tpr),
                    num(rates.fpr)
                ),
            );
            trace.slice(SliceOutcome {
                name: name.clone(),
                rows: rates.rows,
                value: Some(rates.selection_rate),
                judged: rates.rows > 0,
                note: None,
                rates: Some(*rates),
            });
        }
        let measure = self.measure.name();
        let value = fairness::measure_of(self.measure, &groups)?;
        trace.step(
            format!("{measure}()"),
            format!("{} groups of `{}`", slices.names.len(), self.by),
            format!("{measure} = {}", num(value)),
        );
        trace.set(measure, num(value));
        let (passed, claim) = match (self.max, self.min) {
            (Some(max), _) => (value <= max, format!("{measure} <= {}", num(max))),
            (None, Some(min)) => (value >= min, format!("{measure} >= {}", num(min))),
            (None, None) => return Err("the test has no bound (`max` or `min`)".to_owned()),
        };
        let bound = self.max.or(self.min).unwrap_or_default();
        let symbol = if self.max.is_some() { "<=" } else { ">=" };
        trace.assert(&claim, format!("{} {symbol} {}", num(value), num(bound)), passed);
        let message = format!(
            "{measure} across the {} groups of `{}` is {}: {claim} {}",
            slices.names.len(),
            self.by,
            num(value),
            if passed { "holds" } else { "does not hold" }
        );
        Ok(Evaluation { passed, message, observed: json!(value), failures: None })
    }
}
