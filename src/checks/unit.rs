//! Unit tests of the pipeline's own functions (PRODUCT.md §3): the scaler, the split, the
//! imputer, the one-hot encoder, seeding, and the model's `predict`.
//!
//! Each test inspects what the suite's pipeline computed ([`Context::trained`]: the split
//! positions, the fitted preprocessor, the model) and checks one property of one function
//! against a value computed here independently, from the table or by calling the function
//! again. Numbers in the execution table are the ones measured, so a failure shows by how
//! much a property missed.

use std::ops::Range;

use ndarray::{s, Array2};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::catalog::{Param, ParamType};
use super::metric::mean_std;
use super::{Context, Evaluation, Family, ParamError, Ratio, TestKind};
use crate::pipeline::fit::{fit_on, split_rows, Fitted, Trained};
use crate::pipeline::model::Output;
use crate::pipeline::prepare::{prepare, Prepared, Target};
use crate::pipeline::preprocess::{Impute, PreprocessSpec, Preprocessor, Scale, ScaleParams};
use crate::pipeline::split::Split;
use crate::report::fmt::{names, num, pct};
use crate::report::{Failures, Trace};
use crate::suite::Task;
use crate::table::rows::RowGroups;
use crate::table::{Column, ColumnType, Values};

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
// split_sizes

/// The split holds the expected numbers of train and test rows, and they add up to the
/// labelled rows. By default the test part has `ceil(test_size × n)` rows, as scikit-learn's
/// `train_test_split` counts, and the train part the rest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitSizes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_train: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_test: Option<usize>,
}

impl TestKind for SplitSizes {
    const FAMILY: Family = Family::Unit;
    const SUMMARY: &'static str = "the split has the expected train and test counts";
    const PARAMS: &'static [Param] = &[
        Param::optional("expected_train", ParamType::Integer, "from test_size", "train rows"),
        Param::optional("expected_test", ParamType::Integer, "from test_size", "test rows"),
    ];

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let prepared = &trained.prepared;
        let n = prepared.len();
        let unlabelled = match prepared.unlabelled {
            0 => String::new(),
            k => format!(" ({k} without a target left out)"),
        };
        trace.step(
            "count_labelled_rows()",
            format!("{} rows of {}{unlabelled}", ctx.table.n_rows(), ctx.table.name()),
            format!("n = {n}"),
        );
        trace.set("n", n.to_string());
        let test_size = trained.spec.split.test_size;
        // The 1e-9 keeps a product such as 0.7 × 10 = 7.000000000000001 from rounding up to 8.
        let from_size = (test_size * n as f64 - 1e-9).ceil().max(0.0) as usize;
        let expected_test = self.expected_test.unwrap_or(from_size);
        let expected_train = self.expected_train.unwrap_or(n.saturating_sub(expected_test));
        let how = match (self.expected_train, self.expected_test) {
            (None, None) => format!("ceil({} × {n}) = {from_size} test rows, the rest train", num(test_size)),
            (Some(_), None) => {
                format!("train as given; ceil({} × {n}) = {from_size} test rows", num(test_size))
            }
            (None, Some(_)) => format!("test as given; train = {n} − {expected_test}"),
            (Some(_), Some(_)) => "as given in the suite".to_owned(),
        };
        trace.step("expected_sizes()", how, format!("train = {expected_train}, test = {expected_test}"));
        let (train, test) = (trained.split.train.len(), trained.split.test.len());
        split_step(trace, trained);
        let mut problems = Vec::new();
        if train != expected_train {
            problems.push(format!("{train} train rows, {expected_train} expected"));
        }
        if test != expected_test {
            problems.push(format!("{test} test rows, {expected_test} expected"));
        }
        if train + test != n {
            problems.push(format!("{train} + {test} = {} rows, but {n} are labelled", train + test));
        }
        let passed = problems.is_empty();
        trace.assert(
            format!("train == {expected_train} and test == {expected_test} and train + test == {n}"),
            format!("{train} == {expected_train}, {test} == {expected_test}, {} == {n}", train + test),
            passed,
        );
        let message = if passed {
            format!("the split has {train} train and {test} test rows, as expected, and they add up to the {n} labelled rows")
        } else {
            format!("the split is not the expected size: {}", problems.join("; "))
        };
        Ok(Evaluation { passed, message, observed: json!({ "train": train, "test": test }), failures: None })
    }
}

// ---------------------------------------------------------------------------------------
// split_no_overlap

/// No row's content (its feature values and target, as in the table) is in both parts: a
/// test row that repeats a train row is scored on something the model was trained on. At most
/// `max_overlap_ratio` of the test rows may.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitNoOverlap {
    #[serde(default = "zero")]
    pub max_overlap_ratio: Ratio,
}

impl TestKind for SplitNoOverlap {
    const FAMILY: Family = Family::Unit;
    const SUMMARY: &'static str = "train and test rows are disjoint";
    const PARAMS: &'static [Param] = &[Param::optional(
        "max_overlap_ratio",
        ParamType::Ratio,
        "0",
        "share of test rows that may also be in train",
    )];

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let prepared = &trained.prepared;
        let target = ctx.table.column(&prepared.target_name).ok_or_else(|| {
            format!("the target `{}` is not a column of {}", prepared.target_name, ctx.table.name())
        })?;
        let mut columns: Vec<&Column> = prepared.features.clone();
        columns.push(target);
        split_step(trace, trained);
        let rows = |positions: &[usize]| positions.iter().map(|&p| prepared.rows[p]).collect::<Vec<_>>();
        let (train, test) = (rows(&trained.split.train), rows(&trained.split.test));
        let train_rows = RowGroups::of(&columns, train.iter().copied());
        let distinct = train_rows.distinct();
        trace.step(
            "hash_rows(train)",
            format!("{} train rows × ({} features + target)", train.len(), prepared.features.len()),
            format!("{distinct} distinct rows"),
        );
        let mut failures = Failures::default();
        for &row in &test {
            if let Some(twin) = train_rows.find(row) {
                failures.push(
                    ctx.table.line(row),
                    "*",
                    format!("same as train line {}", ctx.table.line(twin)),
                );
            }
        }
        let ratio = failures.count as f64 / test.len().max(1) as f64;
        trace.step(
            "find_in_train(test)",
            format!("{} test rows looked up by content hash", test.len()),
            format!("overlap = {}", failures.count),
        );
        trace.set("overlap", failures.count.to_string());
        trace.set("overlap_ratio", num(ratio));
        let max = self.max_overlap_ratio.get();
        let passed = ratio <= max;
        trace.assert(
            format!("overlap_ratio <= {}", num(max)),
            format!("{} <= {}", num(ratio), num(max)),
            passed,
        );
        let message = match failures.sample.first() {
            None => format!("none of the {} test rows repeats one of the {} train rows", test.len(), train.len()),
            Some(first) => format!(
                "{} of {} test rows ({}) repeat a train row, so the model is scored on rows it learnt; at most {} may. First: line {} ({})",
                failures.count,
                test.len(),
                pct(ratio),
                pct(max),
                first.line,
                first.value
            ),
        };
        Ok(Evaluation { passed, message, observed: json!(ratio), failures: Some(failures) })
    }
}

// ---------------------------------------------------------------------------------------
// split_label_coverage

/// Every class in the test part also occurs in the train part: a class the model never saw
/// cannot be predicted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitLabelCoverage {}

impl TestKind for SplitLabelCoverage {
    const FAMILY: Family = Family::Unit;
    const SUMMARY: &'static str = "every test label is seen in training";
    const PARAMS: &'static [Param] = &[];

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let (codes, classes) = classes_of(trace, trained, "split_label_coverage")?;
        let prepared = &trained.prepared;
        split_step(trace, trained);
        let count = |positions: &[usize]| {
            let mut counts = vec![0usize; classes.len()];
            for &p in positions {
                counts[codes[p]] += 1;
            }
            counts
        };
        let (in_train, in_test) = (count(&trained.split.train), count(&trained.split.test));
        let present = |counts: &[usize]| -> Vec<&str> {
            classes.iter().zip(counts).filter(|(_, &c)| c > 0).map(|(n, _)| n.as_str()).collect()
        };
        let (train_classes, test_classes) = (present(&in_train), present(&in_test));
        trace.step(
            "classes(train)",
            format!("{} train rows", trained.split.train.len()),
            format!("{} classes: {}", train_classes.len(), names_list(&train_classes)),
        );
        trace.step(
            "classes(test)",
            format!("{} test rows", trained.split.test.len()),
            format!("{} classes: {}", test_classes.len(), names_list(&test_classes)),
        );
        let unseen: Vec<&str> = (0..classes.len())
            .filter(|&c| in_test[c] > 0 && in_train[c] == 0)
            .map(|c| classes[c].as_str())
            .collect();
        let mut failures = Failures::default();
        for &p in &trained.split.test {
            if in_train[codes[p]] == 0 {
                failures.push(prepared.line(p), &prepared.target_name, classes[codes[p]].clone());
            }
        }
        trace.set("unseen", unseen.len().to_string());
        let passed = unseen.is_empty();
        trace.assert(
            "classes(test) ⊆ classes(train)",
            if passed {
                "every test class is in train".to_owned()
            } else {
                format!("not in train: {}", names(&unseen, 5))
            },
            passed,
        );
        let message = if passed {
            format!(
                "each of the {} classes in the test part also occurs in the {} train rows",
                test_classes.len(),
                trained.split.train.len()
            )
        } else {
            format!(
                "{} of the {} test classes never occur in the train part ({}): the model cannot predict them; {} test rows have them",
                unseen.len(),
                test_classes.len(),
                names(&unseen, 5),
                failures.count
            )
        };
        Ok(Evaluation { passed, message, observed: json!(unseen), failures: Some(failures) })
    }
}

// ---------------------------------------------------------------------------------------
// split_stratified

/// Each class's share of the train part and of the test part is within `tol` of its share of
/// all labelled rows (`tol` 0.05: five percentage points).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitStratified {
    #[serde(default = "stratified_tol")]
    pub tol: Ratio,
}

impl TestKind for SplitStratified {
    const FAMILY: Family = Family::Unit;
    const SUMMARY: &'static str = "the split keeps each class's share";
    const PARAMS: &'static [Param] =
        &[Param::optional("tol", ParamType::Ratio, "0.05", "allowed difference in a class's share")];

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let (codes, names) = classes_of(trace, trained, "split_stratified")?;
        split_step(trace, trained);
        let all: Vec<usize> = (0..codes.len()).collect();
        let shares = |positions: &[usize]| {
            let mut counts = vec![0usize; names.len()];
            for &p in positions {
                counts[codes[p]] += 1;
            }
            counts.iter().map(|&c| c as f64 / positions.len().max(1) as f64).collect::<Vec<f64>>()
        };
        let show = |shares: &[f64]| {
            names.iter().zip(shares).map(|(n, s)| format!("{n} {}", pct(*s))).collect::<Vec<_>>().join(", ")
        };
        let overall = shares(&all);
        trace.step("class_shares(all)", format!("{} labelled rows", all.len()), show(&overall));
        // (part, class, share, gap) of the class furthest from its overall share, per part.
        let mut gaps: Vec<(&str, usize, f64, f64)> = Vec::new();
        for (part, positions) in [("train", &trained.split.train), ("test", &trained.split.test)] {
            let part_shares = shares(positions);
            trace.step(
                format!("class_shares({part})"),
                format!("{} {part} rows", positions.len()),
                show(&part_shares),
            );
            for (class, (&share, &base)) in part_shares.iter().zip(&overall).enumerate() {
                gaps.push((part, class, share, (share - base).abs()));
            }
        }
        let worst = gaps.iter().copied().reduce(|w, g| if g.3 > w.3 { g } else { w });
        let (part, class, share, gap) = worst.unwrap_or(("test", 0, 0.0, 0.0));
        trace.set("max_share_gap", num(gap));
        let tol = self.tol.get();
        let off = gaps.iter().filter(|g| g.3 > tol).count();
        let passed = off == 0;
        trace.assert(
            format!("max |share − overall share| <= {}", tol_text(tol)),
            format!("{} <= {} ({} in {part})", num(gap), tol_text(tol), names[class]),
            passed,
        );
        let stratify =
            if trained.spec.split.stratify { "a stratified split" } else { "a split without `stratify`" };
        let message = if passed {
            format!(
                "with {stratify}, every class's share of the train and of the test rows is within {} of its share of all rows (largest gap: `{}` in {part}, {} against {})",
                points(tol),
                names[class],
                pct(share),
                pct(overall[class])
            )
        } else {
            format!(
                "with {stratify}, `{}` makes up {} of the {part} rows but {} of all rows: {} apart, more than the {} allowed ({off} class shares off)",
                names[class],
                pct(share),
                pct(overall[class]),
                points(gap),
                points(tol)
            )
        };
        Ok(Evaluation { passed, message, observed: json!(gap), failures: None })
    }
}

// ---------------------------------------------------------------------------------------
// imputer_fills_all

/// After preprocessing, no model input of the train or test part is missing or NaN: every
/// missing cell of a feature was filled (a number by the imputer's statistic, a category by
/// its most frequent train level). The cells filled are counted per column. Without an
/// imputer, a missing cell fails the test, named by column and line.
///
/// The stages up to preprocessing are run here from the suite's spec, so that the test can
/// say what the preprocessor does with the missing cells even when the suite's pipeline
/// stops there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImputerFillsAll {}

impl TestKind for ImputerFillsAll {
    const FAMILY: Family = Family::Unit;
    const SUMMARY: &'static str = "imputation leaves no missing value";
    const PARAMS: &'static [Param] = &[];
    const READS_TRAINED_PIPELINE: bool = false;

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let spec = ctx.pipeline_spec()?;
        let prepared = prepare(ctx.table, &spec.inputs())?;
        let parts = split_rows(&prepared, &spec.split).map_err(|e| e.to_string())?;
        split_step_of(trace, &spec.split, &prepared, &parts);
        // Every missing feature cell as (feature index, position), and per column how many
        // are in each part: (column, train, test).
        let mut missing_cells: Vec<(usize, usize)> = Vec::new();
        let mut per_column: Vec<(&str, usize, usize)> = Vec::new();
        for (f, column) in prepared.features.iter().enumerate() {
            let count = |positions: &[usize]| {
                positions.iter().filter(|&&p| column.is_missing(prepared.rows[p])).count()
            };
            let (train, test) = (count(&parts.train), count(&parts.test));
            for &p in parts.train.iter().chain(&parts.test) {
                if column.is_missing(prepared.rows[p]) {
                    missing_cells.push((f, p));
                }
            }
            if train + test > 0 {
                per_column.push((column.name(), train, test));
            }
        }
        missing_cells.sort_by_key(|&(f, p)| (f, prepared.rows[p]));
        let total = missing_cells.len();
        let listed = per_column
            .iter()
            .map(|(name, train, test)| format!("{name} {}", train + test))
            .collect::<Vec<_>>();
        trace.step(
            "count_missing(features)",
            format!(
                "{} train + {} test rows × {} features",
                parts.train.len(),
                parts.test.len(),
                prepared.features.len()
            ),
            if total == 0 {
                "missing = 0".to_owned()
            } else {
                format!("missing = {total} in {} columns: {}", per_column.len(), listed.join(", "))
            },
        );
        trace.set("missing", total.to_string());
        let imputer =
            spec.preprocess.impute.map_or("no imputer".to_owned(), |i| format!("impute {}", impute_name(i)));
        let by_column = |filled: bool| {
            serde_json::Value::Object(
                per_column
                    .iter()
                    .map(|(name, train, test)| {
                        ((*name).to_owned(), json!(if filled { train + test } else { 0 }))
                    })
                    .collect(),
            )
        };
        let pre = Preprocessor::fit(&prepared, &parts.train, spec.preprocess)?;
        let transformed = pre
            .transform(&prepared, &parts.train)
            .and_then(|x_train| pre.transform(&prepared, &parts.test).map(|x_test| (x_train, x_test)));
        let (x_train, x_test) = match transformed {
            Ok(x) => x,
            Err(reason) => {
                trace.step(
                    format!("transform(train, test) with {imputer}"),
                    "fitted on the train rows",
                    "FAILED",
                );
                let mut failures = Failures::default();
                for &(f, p) in &missing_cells {
                    failures.push(prepared.line(p), prepared.features[f].name(), "");
                }
                trace.set("filled", "0");
                trace.assert(
                    "no input is missing after preprocessing",
                    format!("transform failed: 0 of {total} missing cells filled"),
                    false,
                );
                return Ok(Evaluation {
                    passed: false,
                    message: format!("the preprocessor leaves missing cells unfilled: {reason}"),
                    observed: json!({ "missing": total, "filled": 0, "columns": by_column(false) }),
                    failures: Some(failures),
                });
            }
        };
        // Each feature's model inputs, to look a filled cell up in the matrix.
        let inputs = feature_inputs(&prepared, &pre);
        let mut failures = Failures::default();
        let mut nan = 0;
        for (positions, x) in [(&parts.train, &x_train), (&parts.test, &x_test)] {
            for ((i, j), v) in x.indexed_iter() {
                if !v.is_finite() {
                    nan += 1;
                    failures.push(prepared.line(positions[i]), &pre.input_names()[j], num(*v));
                }
            }
        }
        let row_in = |p: usize| -> (&Array2<f64>, usize) {
            match parts.train.binary_search(&p) {
                Ok(i) => (&x_train, i),
                Err(_) => (&x_test, parts.test.binary_search(&p).unwrap_or(0)),
            }
        };
        let mut unfilled = 0;
        for &(f, p) in &missing_cells {
            let (x, i) = row_in(p);
            let range = inputs[f].clone();
            let filled = match prepared.features[f].ty() {
                ColumnType::Category => x.slice(s![i, range]).iter().any(|&v| v == 1.0),
                _ => x.slice(s![i, range]).iter().all(|v| v.is_finite()),
            };
            if !filled {
                unfilled += 1;
                failures.push(prepared.line(p), prepared.features[f].name(), "not filled");
            }
        }
        let filled = total - unfilled;
        trace.step(
            format!("transform(train, test) with {imputer}"),
            format!(
                "X_train {} × {}, X_test {} × {}",
                x_train.nrows(),
                x_train.ncols(),
                x_test.nrows(),
                x_test.ncols()
            ),
            format!("NaN = {nan}, filled = {filled} of {total}"),
        );
        trace.set("filled", filled.to_string());
        let passed = nan == 0 && unfilled == 0;
        trace.assert(
            "no input is missing after preprocessing",
            format!("{nan} NaN, {filled} of {total} missing cells filled"),
            passed,
        );
        let message = match (passed, total) {
            (true, 0) => format!(
                "no feature cell of the {} labelled rows is missing, and no model input is NaN ({imputer})",
                prepared.len()
            ),
            (true, _) => format!(
                "{imputer} filled all {total} missing cells ({}), and no model input is NaN",
                listed.join(", ")
            ),
            (false, _) => match failures.sample.first() {
                Some(first) => format!(
                    "after preprocessing, {nan} inputs are NaN and {unfilled} of {total} missing cells are not filled; first: `{}` on line {}",
                    first.column, first.line
                ),
                None => "after preprocessing, some inputs are missing".to_owned(),
            },
        };
        Ok(Evaluation {
            passed,
            message,
            observed: json!({ "missing": total, "filled": filled, "columns": by_column(true) }),
            failures: Some(failures),
        })
    }
}

// ---------------------------------------------------------------------------------------
// one_hot_width

/// The encoded width is what the features call for: one input per numeric column plus one per
/// distinct train level of each category column, counted here from the table (not read from
/// the encoder); and `expected`, when given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneHotWidth {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<usize>,
}

impl TestKind for OneHotWidth {
    const FAMILY: Family = Family::Unit;
    const SUMMARY: &'static str = "one-hot encoding makes one input per category level";
    const PARAMS: &'static [Param] = &[Param::optional(
        "expected",
        ParamType::Integer,
        "from the levels seen",
        "the number of model inputs",
    )];

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let prepared = &trained.prepared;
        let train_rows: Vec<usize> = trained.split.train.iter().map(|&p| prepared.rows[p]).collect();
        let mut numeric = 0;
        let mut categories: Vec<(&str, usize)> = Vec::new();
        for column in &prepared.features {
            match column.ty() {
                ColumnType::Category => {
                    let mut levels: Vec<&str> = train_rows
                        .iter()
                        .filter(|&&row| !column.is_missing(row))
                        .map(|&row| match column.values() {
                            Values::Category { codes, levels } => levels[codes[row] as usize].as_str(),
                            _ => "",
                        })
                        .collect();
                    levels.sort_unstable();
                    levels.dedup();
                    categories.push((column.name(), levels.len()));
                }
                _ => numeric += 1,
            }
        }
        let levels: usize = categories.iter().map(|c| c.1).sum();
        let expected = numeric + levels;
        trace.step(
            "count_levels(train)",
            format!(
                "{} features on {} train rows: {numeric} numeric, {} category",
                prepared.features.len(),
                train_rows.len(),
                categories.len()
            ),
            if categories.is_empty() {
                "no category column".to_owned()
            } else {
                categories.iter().map(|(n, k)| format!("{n}: {k} levels")).collect::<Vec<_>>().join(", ")
            },
        );
        let sum = std::iter::once(numeric.to_string())
            .chain(categories.iter().map(|c| c.1.to_string()))
            .collect::<Vec<_>>()
            .join(" + ");
        trace.step(
            "expected_width()",
            format!("numeric + Σ levels = {sum}"),
            format!("expected = {expected}"),
        );
        let fitted = &trained.fitted;
        let width = fitted.x_train.ncols();
        trace.step(
            "one_hot(train, test)",
            format!("encoder width {}", fitted.preprocessor.width()),
            format!(
                "X_train {} × {width}, X_test {} × {}",
                fitted.x_train.nrows(),
                fitted.x_test.nrows(),
                fitted.x_test.ncols()
            ),
        );
        trace.set("width", width.to_string());
        let mut problems = Vec::new();
        if width != expected || fitted.preprocessor.width() != expected || fitted.x_test.ncols() != expected {
            problems.push(format!("the encoder gives {width} inputs, the features call for {expected}"));
        }
        if let Some(given) = self.expected.filter(|&given| given != width) {
            problems.push(format!("the suite expects {given}"));
        }
        let passed = problems.is_empty();
        let (claim, evaluation) = match self.expected {
            Some(given) => (
                format!("width == {expected} (from the table) and width == {given} (expected)"),
                format!("{width} == {expected}, {width} == {given}"),
            ),
            None => (format!("width == {expected}"), format!("{width} == {expected}")),
        };
        trace.assert(claim, evaluation, passed);
        let message = if passed {
            format!(
                "the model gets {width} inputs: {numeric} numeric columns and {levels} one-hot levels of {} category columns",
                categories.len()
            )
        } else {
            format!(
                "the model gets {width} inputs ({numeric} numeric + {levels} levels counted from the table = {expected}): {}",
                problems.join("; ")
            )
        };
        Ok(Evaluation { passed, message, observed: json!(width), failures: None })
    }
}

// ---------------------------------------------------------------------------------------
// deterministic_with_seed

/// Two runs of split → preprocess → train → predict with the suite's seed give the same split
/// and the same predictions, bit for bit: a test that passes once passes every time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeterministicWithSeed {}

impl TestKind for DeterministicWithSeed {
    const FAMILY: Family = Family::Unit;
    const SUMMARY: &'static str = "two runs with one seed give the same split and predictions";
    const PARAMS: &'static [Param] = &[];

    /// Two runs of the whole pipeline.
    fn fits(&self) -> usize {
        2
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let spec = &trained.spec;
        let prepared = &trained.prepared;
        let seed = spec.split.seed;
        let mut runs: Vec<(Split, Fitted)> = Vec::with_capacity(2);
        for i in 1..=2 {
            let action = format!("run {i}: split + fit + predict (seed = {seed})");
            let ran = split_rows(prepared, &spec.split)
                .and_then(|parts| fit_on(prepared, spec, &parts).map(|fitted| (fitted, parts)));
            match ran {
                Ok((fitted, parts)) => {
                    trace.step(
                        action,
                        format!(
                            "train {}, test {} rows; {}",
                            parts.train.len(),
                            parts.test.len(),
                            spec.model.kind()
                        ),
                        format!("{} predictions", fitted.test_output.len()),
                    );
                    runs.push((parts, fitted));
                }
                Err(e) => {
                    trace.step(action, format!("{} labelled rows", prepared.len()), "FAILED");
                    trace.assert("both runs are identical", format!("run {i} failed"), false);
                    return Ok(Evaluation {
                        passed: false,
                        message: format!(
                            "run {i} with seed {seed} failed although the suite's run succeeded: {e}"
                        ),
                        observed: json!({ "split_identical": null, "differing_predictions": null }),
                        failures: None,
                    });
                }
            }
        }
        let ((split_a, a), (split_b, b)) = (&runs[0], &runs[1]);
        let moved = positions_differing(&split_a.train, &split_b.train)
            + positions_differing(&split_a.test, &split_b.test);
        let same_split = split_a == split_b;
        trace.step(
            "compare(split 1, split 2)",
            format!("{} train + {} test positions", split_a.train.len(), split_a.test.len()),
            if same_split { "identical".to_owned() } else { format!("{moved} positions differ") },
        );
        let mut failures = Failures::default();
        let n = a.test_output.len().max(b.test_output.len());
        for i in 0..n {
            if let Some((one, two)) = differing_prediction(&a.test_output, &b.test_output, i, prepared) {
                let line = split_a.test.get(i).map_or(0, |&p| prepared.line(p));
                failures.push(line, &prepared.target_name, format!("run 1: {one}, run 2: {two}"));
            }
        }
        let what = match a.test_output {
            Output::Classes { .. } => "labels and probabilities, bit for bit",
            Output::Values(_) => "values, bit for bit",
        };
        trace.step(
            "compare(predictions 1, predictions 2)",
            format!("{n} test predictions: {what}"),
            format!("differing = {}", failures.count),
        );
        trace.set("split_identical", same_split.to_string());
        trace.set("differing", failures.count.to_string());
        let passed = same_split && failures.is_empty();
        trace.assert(
            "split 1 == split 2 and predictions 1 == predictions 2",
            format!(
                "{}, {} of {n} predictions differ",
                if same_split { "same split" } else { "different splits" },
                failures.count
            ),
            passed,
        );
        let message = if passed {
            format!(
                "two runs with seed {seed} gave the same split ({} train, {} test rows) and the same {n} predictions, bit for bit",
                split_a.train.len(),
                split_a.test.len()
            )
        } else {
            let mut parts = Vec::new();
            if !same_split {
                parts.push(format!("the split differs in {moved} positions"));
            }
            if !failures.is_empty() {
                parts.push(format!("{} of {n} predictions differ", failures.count));
            }
            format!("two runs with seed {seed} are not identical: {}", parts.join(" and "))
        };
        Ok(Evaluation {
            passed,
            message,
            observed: json!({ "split_identical": same_split, "differing_predictions": failures.count }),
            failures: Some(failures),
        })
    }
}

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
        let single: Vec<Output> =
            (0..x.nrows()).map(|i| fitted.model.predict(x.slice(s![i..i + 1, ..]))).collect();
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
                if proba.dim() != (labels.len(), k) {
                    problems.push(format!(
                        "the probabilities are {} × {}, not {} × {k}",
                        proba.nrows(),
                        proba.ncols(),
                        labels.len()
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
                        failures.push(line(i), target, format!("probabilities sum to {}", num(sum)));
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
// Shared steps and helpers

fn scale_tol() -> f64 {
    1e-6
}

fn roundtrip_tol() -> f64 {
    1e-9
}

fn batch_tol() -> f64 {
    1e-9
}

fn stratified_tol() -> Ratio {
    Ratio::new(0.05).unwrap_or(Ratio::ZERO)
}

fn zero() -> Ratio {
    Ratio::ZERO
}

/// Whether a measured error is within `tol`; a NaN is not, so a NaN fails every test.
fn within(error: f64, tol: f64) -> bool {
    error <= tol
}

/// The larger of two numbers, NaN if either is (`f64::max` would drop a NaN, and a NaN
/// measured is a failure, not a value to ignore).
fn nan_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}

fn nan_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.min(b)
    }
}

/// A difference of two shares in percentage points: `0.7 percentage points`.
fn points(ratio: f64) -> String {
    let text = format!("{:.1}", ratio * 100.0);
    format!("{} percentage points", text.trim_end_matches('0').trim_end_matches('.'))
}

/// A tolerance as written in a suite: `1e-6`, `0.05`.
fn tol_text(tol: f64) -> String {
    if tol > 0.0 && tol < 1e-4 {
        format!("{tol:e}")
    } else {
        num(tol)
    }
}

fn check_tol(tol: f64) -> Result<(), ParamError> {
    if tol >= 0.0 && tol.is_finite() {
        Ok(())
    } else {
        Err(ParamError::new(
            "tol",
            format!("{tol} is not a tolerance: use a number of 0 or more, such as 1e-6"),
        ))
    }
}

fn scale_name(scale: Scale) -> &'static str {
    match scale {
        Scale::Standard => "standard",
        Scale::Minmax => "minmax",
    }
}

fn impute_name(impute: Impute) -> &'static str {
    match impute {
        Impute::Mean => "mean",
        Impute::Median => "median",
        Impute::MostFrequent => "most_frequent",
    }
}

/// The suite's preprocessing in the order it applies: `impute mean → one_hot → scale standard`.
fn describe_preprocess(spec: PreprocessSpec) -> String {
    let mut steps = Vec::new();
    if let Some(impute) = spec.impute {
        steps.push(format!("impute {}", impute_name(impute)));
    }
    if spec.one_hot.is_some() {
        steps.push("one_hot".to_owned());
    }
    if let Some(scale) = spec.scale {
        steps.push(format!("scale {}", scale_name(scale)));
    }
    if steps.is_empty() {
        "no preprocessing".to_owned()
    } else {
        steps.join(" → ")
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

/// The split step of every split test: the spec and the part sizes.
fn split_step(trace: &mut Trace, trained: &Trained<'_>) {
    split_step_of(trace, &trained.spec.split, &trained.prepared, &trained.split);
}

fn split_step_of(
    trace: &mut Trace,
    spec: &crate::pipeline::split::SplitSpec,
    prepared: &Prepared<'_>,
    parts: &Split,
) {
    trace.step(
        format!(
            "split(test_size = {}, seed = {}{})",
            num(spec.test_size),
            spec.seed,
            if spec.stratify { ", stratify" } else { "" }
        ),
        format!("{} labelled rows", prepared.len()),
        format!("train = {}, test = {}", parts.train.len(), parts.test.len()),
    );
    trace.set("train", parts.train.len().to_string());
    trace.set("test", parts.test.len().to_string());
}

/// The class codes and names of a classification pipeline; Err naming the kind otherwise.
fn classes_of<'a>(
    trace: &mut Trace,
    trained: &'a Trained<'_>,
    kind: &str,
) -> Result<(&'a [usize], &'a [String]), String> {
    match &trained.prepared.target {
        Target::Classes { codes, names } => Ok((codes, names)),
        Target::Values(_) => {
            trace.step(
                format!("classes({})", trained.prepared.target_name),
                format!("task {}", trained.spec.task.name()),
                "ERROR",
            );
            Err(format!(
                "{kind} compares classes; the suite's task is {} (the target `{}` has values, not classes)",
                Task::Regression.name(),
                trained.prepared.target_name
            ))
        }
    }
}

fn class_name(prepared: &Prepared<'_>, class: usize) -> String {
    prepared.target.class_names().get(class).cloned().unwrap_or_else(|| format!("class {class}"))
}

/// Names without backticks, for execution tables: `Adelie, Chinstrap, Gentoo`.
fn names_list(names: &[&str]) -> String {
    const SHOWN: usize = 8;
    let mut text = names.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

/// How many of two sorted position lists' entries differ (by symmetric difference).
fn positions_differing(a: &[usize], b: &[usize]) -> usize {
    let (mut i, mut j, mut differ) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => {
                differ += 1;
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                differ += 1;
                j += 1;
            }
        }
    }
    differ + (a.len() - i) + (b.len() - j)
}

/// The `i`th predictions of two runs as text when they differ in any bit; `None` when equal.
fn differing_prediction(
    a: &Output,
    b: &Output,
    i: usize,
    prepared: &Prepared<'_>,
) -> Option<(String, String)> {
    match (a, b) {
        (Output::Classes { labels: la, proba: pa }, Output::Classes { labels: lb, proba: pb }) => {
            let show = |labels: &[usize], proba: &Array2<f64>| match labels.get(i) {
                Some(&label) => {
                    let p = proba.get((i, label)).copied().unwrap_or(f64::NAN);
                    format!("{} (p = {})", class_name(prepared, label), num(p))
                }
                None => "no prediction".to_owned(),
            };
            let same_label = la.get(i) == lb.get(i);
            let same_proba = match (la.get(i), lb.get(i)) {
                (Some(_), Some(_)) => {
                    pa.ncols() == pb.ncols()
                        && (0..pa.ncols()).all(|c| pa[[i, c]].to_bits() == pb[[i, c]].to_bits())
                }
                _ => false,
            };
            if same_label && same_proba {
                return None;
            }
            let (mut one, mut two) = (show(la, pa), show(lb, pb));
            if one == two {
                // Equal as printed: the difference is below four decimals.
                let bits = |p: &Array2<f64>| {
                    la.get(i).and_then(|&l| p.get((i, l))).map_or("none".to_owned(), |v| format!("{v:e}"))
                };
                one = bits(pa);
                two = bits(pb);
            }
            Some((one, two))
        }
        (Output::Values(va), Output::Values(vb)) => match (va.get(i), vb.get(i)) {
            (Some(x), Some(y)) if x.to_bits() == y.to_bits() => None,
            (x, y) => {
                let show = |v: Option<&f64>| v.map_or("no prediction".to_owned(), |v| format!("{v:e}"));
                Some((show(x), show(y)))
            }
        },
        _ => Some(("classes".to_owned(), "values".to_owned())),
    }
}

/// The model inputs of each feature, in feature order: one for a number, one per train level
/// for a category (named `column=level` by the encoder).
fn feature_inputs(prepared: &Prepared<'_>, pre: &Preprocessor) -> Vec<Range<usize>> {
    let names = pre.input_names();
    let mut at = 0;
    prepared
        .features
        .iter()
        .map(|column| {
            let start = at;
            if column.ty() == ColumnType::Category {
                let prefix = format!("{}=", column.name());
                while at < names.len() && names[at].starts_with(&prefix) {
                    at += 1;
                }
            } else {
                at += 1;
            }
            start..at.min(names.len())
        })
        .collect()
}

#[cfg(test)]
mod tests;
