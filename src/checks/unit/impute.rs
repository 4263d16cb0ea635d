//! The imputer: after preprocessing no model input is missing, and the cells it filled are
//! counted per column.

use std::ops::Range;

use ndarray::Array2;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{impute_name, split_step_of};
use crate::checks::{Context, Evaluation, Family, TestKind};
use crate::pipeline::fit::split_rows;
use crate::pipeline::prepare::{prepare, Prepared};
use crate::pipeline::preprocess::Preprocessor;
use crate::report::fmt::num;
use crate::report::{Failures, Trace};
use crate::table::ColumnType;
use crate::vocab::Param;

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
    fn needs_training(&self) -> Option<&'static str> {
        Some("it checks the imputer, and a `predictions` model has no preprocessing")
    }

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
                positions.iter().filter(|&&p| column.is_missing(prepared.rows.get(p))).count()
            };
            let (train, test) = (count(&parts.train), count(&parts.test));
            for &p in parts.train.iter().chain(&parts.test) {
                if column.is_missing(prepared.rows.get(p)) {
                    missing_cells.push((f, p));
                }
            }
            if train + test > 0 {
                per_column.push((column.name(), train, test));
            }
        }
        missing_cells.sort_by_key(|&(f, p)| (f, prepared.rows.get(p)));
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
                ColumnType::Category => range.map(|j| x[[i, j]]).any(|v| v == 1.0),
                _ => range.map(|j| x[[i, j]]).all(f64::is_finite),
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
// Helpers

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
