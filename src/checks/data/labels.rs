//! The label column: every class holds enough rows, and rows with equal features have equal
//! labels.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{feature_columns, label, listed_once, names_of, Conflicts};
use crate::checks::{Context, Evaluation, Family, ParamError, Ratio, TestKind};
use crate::report::fmt::{num, pct};
use crate::report::Trace;
use crate::vocab::{Param, ParamType};

// ---------------------------------------------------------------------------------------
// class_balance

/// The rarest class of the label column (default: the suite's target) holds at least
/// `min_minority_ratio` of the labelled rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassBalance {
    #[serde(default)]
    pub column: Option<String>,
    pub min_minority_ratio: Ratio,
}

impl TestKind for ClassBalance {
    const FAMILY: Family = Family::Data;
    const SUMMARY: &'static str = "the rarest class has at least a share of the rows";
    const PARAMS: &'static [Param] = &[
        Param::optional("column", ParamType::Column, "the suite's target", "the label column"),
        Param::required(
            "min_minority_ratio",
            ParamType::Ratio,
            "0.1",
            "the rarest class's smallest allowed share",
        ),
    ];

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let column = label(ctx, ctx.data, trace, self.column.as_deref(), "class_balance")?;
        let (classes, distinct) = ctx.data.class_counts(&column.name, MAX_CLASSES)?;
        if distinct > MAX_CLASSES {
            return Err(format!(
                "`{}` has {distinct} distinct values: class_balance is for class labels (at most {MAX_CLASSES})",
                column.name
            ));
        }
        let total: usize = classes.iter().map(|(_, n)| n).sum();
        let listed: Vec<String> = classes.iter().map(|(c, n)| format!("{c} {n}")).collect();
        let (rarest, rarest_count) = classes.last().cloned().unwrap_or_default();
        // One class is as unbalanced as labels get: nothing to tell apart.
        let ratio = if classes.len() < 2 { 0.0 } else { rarest_count as f64 / total as f64 };
        let counted = match classes.len() {
            0 => "no labelled rows".to_owned(),
            1 => format!("1 class: {}", listed.join(", ")),
            n => format!("{n} classes: {}", listed.join(", ")),
        };
        let minority = if classes.is_empty() {
            "no class".to_owned()
        } else {
            format!("minority = {rarest} ({})", pct(ratio))
        };
        trace.step(format!("count_classes({})", column.name), counted, minority);
        trace.set("minority_ratio", num(ratio));
        let min = self.min_minority_ratio.get();
        let passed = ratio >= min;
        trace.assert(
            format!("minority_ratio >= {}", num(min)),
            format!("{} >= {}", num(ratio), num(min)),
            passed,
        );
        let message = if classes.is_empty() {
            format!("`{}` has no non-missing value: there are no classes to balance or to learn", column.name)
        } else if classes.len() < 2 {
            format!(
                "`{}` holds a single class (`{rarest}`): there is nothing to balance or to learn",
                column.name
            )
        } else {
            format!(
                "the rarest class of `{}`, `{rarest}`, has {rarest_count} of {total} rows ({}); at least {} required",
                column.name,
                pct(ratio),
                pct(min)
            )
        };
        Ok(Evaluation { passed, message, observed: json!(ratio), failures: None })
    }
}

/// Above this many distinct values a column is not treated as class labels.
const MAX_CLASSES: usize = 50;

// ---------------------------------------------------------------------------------------
// no_conflicting_labels

/// At most `max_ratio` of the labelled rows share all their feature values with a row of
/// another label (Deepchecks' "conflicting labels"): no model can get both right.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoConflictingLabels {
    #[serde(default)]
    pub column: Option<String>,
    #[serde(default)]
    pub features: Option<Vec<String>>,
    #[serde(default)]
    pub max_ratio: Ratio,
}

impl TestKind for NoConflictingLabels {
    const FAMILY: Family = Family::Data;
    const SUMMARY: &'static str = "rows with equal features have equal labels";
    const PARAMS: &'static [Param] = &[
        Param::optional("column", ParamType::Column, "the suite's target", "the label column"),
        Param::optional("features", ParamType::Columns, "every other column", "the columns compared"),
        Param::optional("max_ratio", ParamType::Ratio, "0", "share of rows that may conflict"),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        listed_once("features", self.features.as_deref())
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let data = ctx.data;
        let target = label(ctx, data, trace, self.column.as_deref(), "no_conflicting_labels")?;
        let features = feature_columns(ctx, data, trace, &target, self.features.as_deref())?;
        let Conflicts { labelled, groups: conflicting_groups, failures } =
            data.conflicting_labels(&target.name, &names_of(&features))?;
        let ratio = if labelled == 0 { 0.0 } else { failures.count as f64 / labelled as f64 };
        trace.step(
            format!("group_by_features({} features)", features.len()),
            format!("{labelled} labelled rows; {conflicting_groups} groups with more than one label"),
            format!("conflicting rows = {}", failures.count),
        );
        trace.set("conflicting", failures.count.to_string());
        trace.set("conflict_ratio", num(ratio));
        let max = self.max_ratio.get();
        let passed = ratio <= max;
        trace.assert(
            format!("conflict_ratio <= {}", num(max)),
            format!("{} <= {}", num(ratio), num(max)),
            passed,
        );
        let message = if failures.is_empty() {
            format!("no two rows with the same features have different `{}`", target.name)
        } else {
            format!(
                "{} of {labelled} rows ({}) share their features with a row of another `{}`, in {conflicting_groups} groups; at most {} may",
                failures.count,
                pct(ratio),
                target.name,
                pct(max)
            )
        };
        Ok(Evaluation { passed, message, observed: json!(ratio), failures: Some(failures) })
    }
}
