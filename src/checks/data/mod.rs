//! Data tests (PRODUCT.md §3): checks on the loaded table, before any model is trained.
//!
//! Value checks skip missing cells (that is `not_null`'s job) and take `mostly`, the share of
//! non-missing values that must pass, as Great Expectations does. Row-level checks count
//! every row that fails their condition whatever the test's status (Great Expectations'
//! `unexpected_count`: a `mostly` or a ratio only decides how many may), and report a sample
//! of those rows with their 1-based CSV lines.
//!
//! One file per subject:
//!
//! - `columns.rs`: the header and each column's type and missing cells: [`NotNull`],
//!   [`ColumnsPresent`], [`ColumnTypeIs`].
//! - `values.rs`: each value against a rule, with `mostly`: [`ValuesBetween`],
//!   [`ValuesInSet`], [`Unique`], [`MatchesRegex`].
//! - `stats.rs`: a column as a whole: [`ColumnStatBetween`], [`NotConstant`].
//! - `rows.rs`: the table's rows: [`RowCountBetween`], [`NoDuplicateRows`].
//! - `labels.rs`: the label column: [`ClassBalance`], [`NoConflictingLabels`].
//! - `leakage.rs`: a feature that gives the target away: [`NoTargetLeakage`].
//! - `rule.rs`: what makes a cell fail, as data every engine reads: [`CellRule`].
//! - `drift.rs`: the data against a reference data set: [`Drift`] (Evidently's statistics).
//! - `gather.rs`: a suite's aggregates named before it runs, for an engine that answers them
//!   in one scan: [`first_asks`], [`Ask`].
//!
//! This file holds what several of them share: finding columns (each lookup a step of the
//! execution table), counting failing rows, bounds. Their tests are in `tests/`, a file per
//! subject.

mod columns;
mod drift;
mod facts;
mod gather;
mod labels;
mod leakage;
mod rows;
mod rule;
mod stats;
mod values;

pub use columns::{ColumnTypeIs, ColumnsPresent, NotNull};
pub use drift::{Drift, DEFAULT_DRIFT_SHARE};
pub use facts::{Cell, Checked, ColumnFacts, Conflicts, Facts, StatOf};
pub use gather::{first_asks, first_scans, no_rows, Ask};
pub use labels::{ClassBalance, NoConflictingLabels};
pub use leakage::NoTargetLeakage;
pub use rows::{NoDuplicateRows, RowCountBetween};
pub use rule::{CellRule, Judge};
pub use stats::{ColumnStatBetween, NotConstant, Stat};
pub use values::{MatchesRegex, Unique, ValuesBetween, ValuesInSet};

use serde::{Deserialize, Serialize};

use crate::checks::{ColumnSel, Context, ParamError};
use crate::report::fmt::{names, num};
use crate::report::Trace;
use crate::table::rows::{FastMap, FastSet};

// ---------------------------------------------------------------------------------------
// Shared steps

/// The first name listed a second time. A set of the names seen: this runs when a suite is
/// read (on every page load of a saved suite), and comparing every pair took 11 s for 100,000.
pub(crate) fn duplicate_name(names: &[String]) -> Option<&str> {
    let mut seen: FastSet<&str> = FastSet::default();
    names.iter().map(String::as_str).find(|name| !seen.insert(name))
}

/// A list of column names in parameter `param` names each column once: a name listed twice
/// is a slip, and a short suite that lists one column thousands of times would otherwise
/// make a test compare every row that many times.
fn listed_once(param: &'static str, names: Option<&[String]>) -> Result<(), ParamError> {
    match names.and_then(duplicate_name) {
        Some(name) => Err(ParamError::new(param, format!("`{name}` is listed twice"))),
        None => Ok(()),
    }
}

/// Looks a column up, recording the step; a missing column is an error naming the ones there.
fn find(data: &dyn Facts, trace: &mut Trace, name: &str) -> Result<ColumnFacts, String> {
    found(data, trace, name, data.column(name))
}

/// Looks several columns up, as [`find`] does each, with one index of the header: `find`
/// scans the header, which for a list of every column of a wide table was quadratic.
fn find_all(data: &dyn Facts, trace: &mut Trace, names: &[String]) -> Result<Vec<ColumnFacts>, String> {
    let mut index: FastMap<String, ColumnFacts> = FastMap::default();
    for column in data.columns() {
        // The first of equal names, as `Table::column` finds.
        index.entry(column.name.clone()).or_insert(column);
    }
    // A name listed again adds nothing but work (the suite's own `features` are not this
    // kind's to refuse), so each column is looked up once.
    let mut seen: FastSet<&str> = FastSet::default();
    names
        .iter()
        .filter(|name| seen.insert(name.as_str()))
        .map(|name| found(data, trace, name, index.get(name.as_str()).cloned()))
        .collect()
}

/// Records the lookup of column `name`, which found `column`.
fn found(
    data: &dyn Facts,
    trace: &mut Trace,
    name: &str,
    column: Option<ColumnFacts>,
) -> Result<ColumnFacts, String> {
    match column {
        Some(column) => {
            trace.step(
                format!("select_column({name})"),
                format!("{} column, {} rows, {} missing", column.ty, data.n_rows(), column.missing),
                "found",
            );
            Ok(column)
        }
        None => {
            let header = data.column_names();
            trace.step(
                format!("select_column({name})"),
                format!("not among the {} columns", header.len()),
                "ERROR",
            );
            let hint = data.column_hint(name);
            Err(format!("column `{name}` is not in {}{hint} (columns: {})", data.name(), names(&header, 12)))
        }
    }
}

/// The columns a [`ColumnSel`] names.
fn select(data: &dyn Facts, trace: &mut Trace, sel: &ColumnSel) -> Result<Vec<ColumnFacts>, String> {
    match sel {
        ColumnSel::All => Ok(data.columns()),
        ColumnSel::Named(name) => Ok(vec![find(data, trace, name)?]),
    }
}

/// A column that must hold numbers for `kind` to read it.
fn numeric(data: &dyn Facts, trace: &mut Trace, name: &str, kind: &str) -> Result<ColumnFacts, String> {
    let column = find(data, trace, name)?;
    if column.ty.is_numeric() {
        Ok(column)
    } else {
        Err(format!("`{name}` is a {} column: {kind} reads numbers", column.ty))
    }
}

/// The label column: the test's own `column`, else the suite's `target`.
fn label(
    ctx: &Context<'_>,
    data: &dyn Facts,
    trace: &mut Trace,
    column: Option<&str>,
    kind: &str,
) -> Result<ColumnFacts, String> {
    match column.or(ctx.target) {
        Some(name) => find(data, trace, name),
        None => Err(format!("{kind} needs a label column: give the test a `column` or the suite a `target`")),
    }
}

/// The feature columns: the test's list, else the suite's `features`, else every column but
/// the label and the suite's `drop`.
fn feature_columns(
    ctx: &Context<'_>,
    data: &dyn Facts,
    trace: &mut Trace,
    target: &ColumnFacts,
    listed: Option<&[String]>,
) -> Result<Vec<ColumnFacts>, String> {
    let columns = match listed.or(ctx.features) {
        Some(names) => find_all(data, trace, names)?,
        None => {
            let dropped: FastSet<&str> = ctx.drop.iter().map(String::as_str).collect();
            data.columns()
                .into_iter()
                .filter(|c| c.name != target.name && !dropped.contains(c.name.as_str()))
                .collect()
        }
    };
    if columns.is_empty() {
        return Err(format!("there is no feature column beside `{}`", target.name));
    }
    Ok(columns)
}

/// The names of `columns`, to ask the data about them.
fn names_of(columns: &[ColumnFacts]) -> Vec<&str> {
    columns.iter().map(|c| c.name.as_str()).collect()
}

/// Optional lower and upper bounds, inclusive unless strict.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bounds {
    // As bits in a rule's text: exact, and an infinite bound (YAML's `.inf`) is not JSON.
    #[serde(with = "bits")]
    min: Option<f64>,
    #[serde(with = "bits")]
    max: Option<f64>,
    strict_min: bool,
    strict_max: bool,
}

impl Bounds {
    fn new(min: Option<f64>, max: Option<f64>, strict_min: bool, strict_max: bool) -> Bounds {
        Bounds { min, max, strict_min, strict_max }
    }

    fn validate(&self) -> Result<(), ParamError> {
        match (self.min, self.max) {
            (None, None) => Err(ParamError::new("min", "give `min`, `max` or both")),
            (Some(min), Some(max)) if min > max || (min == max && (self.strict_min || self.strict_max)) => {
                Err(ParamError::new(
                    "min",
                    format!("min {} is above max {}: no value can pass", num(min), num(max)),
                ))
            }
            _ => Ok(()),
        }
    }

    pub fn contains(&self, x: f64) -> bool {
        let above = match self.min {
            Some(min) if self.strict_min => x > min,
            Some(min) => x >= min,
            None => true,
        };
        let below = match self.max {
            Some(max) if self.strict_max => x < max,
            Some(max) => x <= max,
            None => true,
        };
        above && below
    }

    /// `[35, 55]`, `(0, inf)`, … as in mathematics.
    fn interval(&self) -> String {
        let open = if self.strict_min || self.min.is_none() { '(' } else { '[' };
        let close = if self.strict_max || self.max.is_none() { ')' } else { ']' };
        let min = self.min.map_or("-inf".into(), num);
        let max = self.max.map_or("inf".into(), num);
        format!("{open}{min}, {max}{close}")
    }

    /// `40 <= mean <= 50`, for an assertion row.
    fn claim(&self, name: &str) -> String {
        let lower = self.min.map(|m| format!("{} {} ", num(m), if self.strict_min { "<" } else { "<=" }));
        let upper = self.max.map(|m| format!(" {} {}", if self.strict_max { "<" } else { "<=" }, num(m)));
        format!("{}{name}{}", lower.unwrap_or_default(), upper.unwrap_or_default())
    }
}

/// An optional float written as its bits.
mod bits {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(x: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
        x.map(f64::to_bits).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
        Ok(Option::<u64>::deserialize(deserializer)?.map(f64::from_bits))
    }
}

#[cfg(test)]
mod tests;
