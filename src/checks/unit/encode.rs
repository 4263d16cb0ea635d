//! The one-hot encoder: the model gets one input per numeric column and one per train level
//! of each category column.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::checks::{Context, Evaluation, Family, TestKind};
use crate::report::Trace;
use crate::table::{ColumnType, Values};
use crate::vocab::{Param, ParamType};

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
    fn needs_training(&self) -> Option<&'static str> {
        Some("it checks the one-hot encoder, and a `predictions` model has no preprocessing")
    }

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
        let train_rows: Vec<usize> = trained.split.train.iter().map(|&p| prepared.rows.get(p)).collect();
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
