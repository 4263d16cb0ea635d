//! Data tests (PRODUCT.md §3): checks on the loaded table, before any model is trained.
//!
//! Value checks skip missing cells (that is `not_null`'s job) and take `mostly`, the share of
//! non-missing values that must pass, as Great Expectations does. Row-level checks count
//! every row that fails their condition whatever the test's status (Great Expectations'
//! `unexpected_count`: a `mostly` or a ratio only decides how many may), and report a sample
//! of those rows with their 1-based CSV lines.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::catalog::{Param, ParamType};
use super::{ColumnSel, Context, Evaluation, Family, ParamError, Pattern, Ratio, TestKind};
use crate::report::fmt::{names, num, pct};
use crate::report::{Failures, Trace, FAILURE_SAMPLE};
use crate::suite::Task;
use crate::table::rows::{distinct_count, same_row, FastMap, FastSet, RowGroups};
use crate::table::{stats, Column, ColumnType, Table, Values};

// ---------------------------------------------------------------------------------------
// not_null

/// At most `max_missing_ratio` of a column's values (of every column's, with `*`) are missing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotNull {
    pub column: ColumnSel,
    #[serde(default)]
    pub max_missing_ratio: Ratio,
}

impl TestKind for NotNull {
    const FAMILY: Family = Family::Data;
    const SUMMARY: &'static str = "at most a share of a column's values are missing";
    const PARAMS: &'static [Param] = &[
        Param::required("column", ParamType::ColumnOrAll, r#""*""#, "the column, or * for every column"),
        Param::optional("max_missing_ratio", ParamType::Ratio, "0", "share of values that may be missing"),
    ];

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let table = ctx.table;
        let columns = select(ctx, trace, &self.column)?;
        let rows = table.n_rows();
        let max = self.max_missing_ratio.get();
        let mut failures = Failures::default();
        let mut over = Vec::new(); // (column, missing, ratio) of the columns over the limit
        let mut worst: Option<(&str, usize, f64)> = None;
        let mut is_over = Vec::with_capacity(columns.len());
        for column in &columns {
            let missing = column.missing_count();
            let ratio = missing as f64 / rows as f64;
            if worst.is_none_or(|(_, _, w)| ratio > w) {
                worst = Some((column.name(), missing, ratio));
            }
            is_over.push(ratio > max);
            if ratio > max {
                over.push((column.name(), missing, ratio));
            }
        }
        // Every missing cell is a failing one, whether or not its column is within the limit
        // (Great Expectations' `unexpected_count`): the columns over the limit first, so the
        // sample shows what made the test fail.
        let failing = columns.iter().zip(&is_over).filter(|(_, &o)| o);
        let within = columns.iter().zip(&is_over).filter(|(_, &o)| !o);
        for (column, _) in failing.chain(within) {
            for row in (0..rows).filter(|&row| column.is_missing(row)) {
                failures.push(table.line(row), column.name(), "");
            }
        }
        let (worst_name, worst_missing, worst_ratio) = worst.unwrap_or(("", 0, 0.0));
        match &self.column {
            ColumnSel::Named(name) => trace.step(
                format!("count_missing({name})"),
                format!("{worst_missing} of {rows} rows"),
                format!("missing_ratio = {}", num(worst_ratio)),
            ),
            ColumnSel::All => {
                let with_missing = columns.iter().filter(|c| c.missing_count() > 0).count();
                trace.step(
                    "count_missing(*)",
                    format!("{rows} rows × {} columns; {with_missing} with missing values", columns.len()),
                    if with_missing == 0 {
                        "missing_ratio = 0".to_owned()
                    } else {
                        format!("worst: `{worst_name}` missing_ratio = {}", num(worst_ratio))
                    },
                );
            }
        }
        trace.set("missing", worst_missing.to_string());
        trace.set("missing_ratio", num(worst_ratio));
        let passed = over.is_empty();
        trace.assert(
            format!("missing_ratio <= {}", num(max)),
            format!("{} <= {}", num(worst_ratio), num(max)),
            passed,
        );
        let message = match (&self.column, passed) {
            (ColumnSel::Named(name), true) if worst_missing == 0 => {
                format!("no value in `{name}` is missing")
            }
            (ColumnSel::Named(name), _) => format!(
                "{worst_missing} of {rows} values in `{name}` are missing ({}); at most {} may be",
                pct(worst_ratio),
                pct(max)
            ),
            (ColumnSel::All, true) if worst_missing == 0 => {
                format!("no value is missing in any of the {} columns", columns.len())
            }
            (ColumnSel::All, true) => format!(
                "every column is within the {} of missing values allowed (worst: `{worst_name}`, {})",
                pct(max),
                pct(worst_ratio)
            ),
            (ColumnSel::All, false) => {
                let listed: Vec<String> =
                    over.iter().map(|(name, n, r)| format!("`{name}` {n} ({})", pct(*r))).collect();
                format!(
                    "{} of {} columns have more missing values than the {} allowed: {}",
                    over.len(),
                    columns.len(),
                    pct(max),
                    listed.join(", ")
                )
            }
        };
        Ok(Evaluation { passed, message, observed: json!(worst_ratio), failures: Some(failures) })
    }
}

// ---------------------------------------------------------------------------------------
// columns_present

/// The header holds `columns`; with `exact`, nothing else; with `ordered`, in that order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnsPresent {
    pub columns: Vec<String>,
    #[serde(default)]
    pub exact: bool,
    #[serde(default)]
    pub ordered: bool,
}

impl TestKind for ColumnsPresent {
    const FAMILY: Family = Family::Data;
    const SUMMARY: &'static str = "the data has these columns";
    const PARAMS: &'static [Param] = &[
        Param::required("columns", ParamType::Columns, r#"["a"]"#, "the columns that must be there"),
        Param::optional("exact", ParamType::Bool, "false", "no other column may be there"),
        Param::optional("ordered", ParamType::Bool, "false", "the columns come in this order"),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        if self.columns.is_empty() {
            return Err(ParamError::new("columns", "the list is empty; name at least one column"));
        }
        listed_once("columns", Some(&self.columns))
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let header: Vec<&str> = ctx.table.column_names().collect();
        trace.step(
            format!("read_header({})", ctx.table.name()),
            format!("{} columns", header.len()),
            format!("header = {}", header.join(", ")),
        );
        // Sets of both lists: a lookup per name, where searching one list for each name of the
        // other was quadratic (100,000 listed names took 11 s).
        let in_header: FastSet<&str> = header.iter().copied().collect();
        let listed: FastSet<&str> = self.columns.iter().map(String::as_str).collect();
        let missing: Vec<&str> =
            self.columns.iter().map(String::as_str).filter(|c| !in_header.contains(c)).collect();
        trace.step(
            format!("find_columns({})", self.columns.join(", ")),
            format!("{} of {} listed columns found", self.columns.len() - missing.len(), self.columns.len()),
            if missing.is_empty() { "all found".into() } else { format!("missing = {}", missing.join(", ")) },
        );
        trace.set("missing_columns", missing.len().to_string());
        let mut problems = Vec::new();
        if !missing.is_empty() {
            problems.push(format!("{} {} not in the header", names(&missing, 10), verb(missing.len())));
        }
        if self.exact {
            let extra: Vec<&str> = header.iter().copied().filter(|h| !listed.contains(h)).collect();
            trace.step(
                "find_extra_columns()",
                format!("{} columns not listed", extra.len()),
                if extra.is_empty() { "none".into() } else { format!("extra = {}", extra.join(", ")) },
            );
            if !extra.is_empty() {
                problems.push(format!("{} {} not expected", names(&extra, 10), verb(extra.len())));
            }
        }
        if self.ordered && missing.is_empty() {
            let found: Vec<&str> = header.iter().copied().filter(|h| listed.contains(h)).collect();
            let in_order = found.iter().zip(&self.columns).all(|(a, b)| a == b);
            trace.step(
                "compare_order()",
                format!("header order: {}", found.join(", ")),
                if in_order { "same order".to_string() } else { "different order".to_string() },
            );
            if !in_order {
                problems.push(format!("the columns are in the order {}, not as listed", found.join(", ")));
            }
        }
        let passed = problems.is_empty();
        trace.assert("header matches the expected columns", format!("{} problems", problems.len()), passed);
        let message = if passed {
            format!("the header has the {} expected columns", self.columns.len())
        } else {
            problems.join("; ")
        };
        Ok(Evaluation { passed, message, observed: json!(header), failures: None })
    }
}

fn verb(n: usize) -> &'static str {
    if n == 1 {
        "is"
    } else {
        "are"
    }
}

// ---------------------------------------------------------------------------------------
// column_type

/// The column's inferred type is `type`. An int column also passes as `float`, and a
/// category column as `text`: every value of the first reads as the second.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnTypeIs {
    pub column: String,
    #[serde(rename = "type")]
    pub ty: ColumnType,
}

impl TestKind for ColumnTypeIs {
    const FAMILY: Family = Family::Data;
    const SUMMARY: &'static str = "a column's inferred type is the one expected";
    const PARAMS: &'static [Param] = &[
        Param::required("column", ParamType::Column, r#""a""#, "the column"),
        Param::required(
            "type",
            ParamType::Choice(&["int", "float", "bool", "category", "text"]),
            r#""float""#,
            "the expected type",
        ),
    ];

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let column = find(ctx, trace, &self.column)?;
        let inferred = column.ty();
        trace.step(
            format!("infer_type({})", self.column),
            format!("{} non-missing values", column.len() - column.missing_count()),
            format!("type = {inferred}"),
        );
        trace.set("type", inferred.name());
        let passed = inferred == self.ty
            || (self.ty == ColumnType::Float && inferred == ColumnType::Int)
            || (self.ty == ColumnType::Text && inferred == ColumnType::Category);
        let mut failures = Failures::default();
        // A passing column has no failing row (every value of an int column reads as a float,
        // of a category as a text, of any column as its own type), so only a failing one is
        // read cell by cell.
        if !passed {
            for row in (0..column.len()).filter(|&row| !column.is_missing(row)) {
                if !reads_as(column, row, self.ty) {
                    push_failure(&mut failures, ctx.table.line(row), column.name(), || {
                        column.text(row).into_owned()
                    });
                }
            }
        }
        trace.assert(format!("type is {}", self.ty), format!("{inferred} is {}", self.ty), passed);
        let message = if passed {
            format!("`{}` holds {inferred} values, as expected", self.column)
        } else if failures.is_empty() {
            format!("`{}` holds {inferred} values, expected {}", self.column, self.ty)
        } else {
            let first = &failures.sample[0];
            format!(
                "`{}` holds {inferred} values, expected {}: {} values cannot be read as {}, first `{}` on line {}",
                self.column, self.ty, failures.count, self.ty, first.value, first.line
            )
        };
        Ok(Evaluation { passed, message, observed: json!(inferred), failures: Some(failures) })
    }
}

/// Whether a non-missing cell could be a value of type `ty`.
fn reads_as(column: &Column, row: usize, ty: ColumnType) -> bool {
    let text = column.text(row);
    match ty {
        ColumnType::Int => match column.values() {
            Values::Float(v) => v[row].fract() == 0.0 && v[row].is_finite(),
            _ => text.parse::<i64>().is_ok(),
        },
        ColumnType::Float => text.parse::<f64>().is_ok(),
        ColumnType::Bool => text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false"),
        // Any value can be a label or a text; what fails is the column as a whole.
        ColumnType::Category | ColumnType::Text => true,
    }
}

// ---------------------------------------------------------------------------------------
// values_between

/// Non-missing values lie in [`min`, `max`] (bounds exclusive with `strict_min`/`strict_max`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValuesBetween {
    pub column: String,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub strict_min: bool,
    #[serde(default)]
    pub strict_max: bool,
    #[serde(default = "one")]
    pub mostly: Ratio,
}

impl TestKind for ValuesBetween {
    const FAMILY: Family = Family::Data;
    const SUMMARY: &'static str = "a column's values lie in a range";
    const PARAMS: &'static [Param] = &[
        Param::required("column", ParamType::Column, r#""a""#, "a numeric column"),
        Param::optional("min", ParamType::Number, "no lower bound", "lowest allowed value").starting_at("0"),
        Param::optional("max", ParamType::Number, "no upper bound", "highest allowed value"),
        Param::optional("strict_min", ParamType::Bool, "false", "min itself fails"),
        Param::optional("strict_max", ParamType::Bool, "false", "max itself fails"),
        Param::optional("mostly", ParamType::Ratio, "1", "share of non-missing values that must pass"),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        Bounds::new(self.min, self.max, self.strict_min, self.strict_max).validate()
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let column = numeric(ctx, trace, &self.column, "values_between")?;
        let bounds = Bounds::new(self.min, self.max, self.strict_min, self.strict_max);
        let range = bounds.interval();
        Ok(check_values(
            ctx.table,
            trace,
            column,
            format!("check_between({}, {range})", self.column),
            ValueRule { holds: format!("within {range}"), fails: format!("outside {range}") },
            self.mostly,
            |row| column.number(row).is_some_and(|x| !bounds.contains(x)),
        ))
    }
}

/// Optional lower and upper bounds, inclusive unless strict.
#[derive(Debug, Clone, Copy)]
struct Bounds {
    min: Option<f64>,
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

    fn contains(&self, x: f64) -> bool {
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

// ---------------------------------------------------------------------------------------
// values_in_set

/// Non-missing values are among `allowed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValuesInSet {
    pub column: String,
    pub allowed: Vec<Value>,
    #[serde(default = "one")]
    pub mostly: Ratio,
}

impl TestKind for ValuesInSet {
    const FAMILY: Family = Family::Data;
    const SUMMARY: &'static str = "a column's values are among the allowed ones";
    const PARAMS: &'static [Param] = &[
        Param::required("column", ParamType::Column, r#""a""#, "the column"),
        Param::required("allowed", ParamType::Values, r#"["x"]"#, "the allowed values"),
        Param::optional("mostly", ParamType::Ratio, "1", "share of non-missing values that must pass"),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        if self.allowed.is_empty() {
            return Err(ParamError::new("allowed", "the set is empty: no value could pass"));
        }
        match self.allowed.iter().find(|v| v.is_array() || v.is_object() || v.is_null()) {
            Some(v) => Err(ParamError::new("allowed", format!("{v} is not a value a cell can hold"))),
            None => Ok(()),
        }
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let column = find(ctx, trace, &self.column)?;
        let texts: Vec<String> = self
            .allowed
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        // Sets built once, so each cell is one lookup however many values are allowed. A
        // numeric column compares numbers, so `5`, `5.0` and "5" all allow the value 5 (and
        // `-0` allows 0: `+ 0.0` makes the two one key).
        let numbers: FastSet<u64> =
            texts.iter().filter_map(|t| t.trim().parse::<f64>().ok()).map(|x| (x + 0.0).to_bits()).collect();
        let text_set: FastSet<&str> = texts.iter().map(String::as_str).collect();
        let shown = {
            let mut list = texts.iter().take(8).cloned().collect::<Vec<_>>().join(", ");
            if texts.len() > 8 {
                list.push_str(&format!(", … ({} in all)", texts.len()));
            }
            format!("{{{list}}}")
        };
        // The first few unexpected values in order of appearance, with their counts: the message
        // lists no more, so no more are kept (a list of every one was searched once per cell).
        let mut unexpected: Vec<(String, usize)> = Vec::new();
        let mut evaluation = check_values(
            ctx.table,
            trace,
            column,
            format!("check_in_set({}, {shown})", self.column),
            ValueRule { holds: format!("in {shown}"), fails: format!("not in {shown}") },
            self.mostly,
            |row| {
                let allowed = match column.number(row) {
                    Some(x) => numbers.contains(&(x + 0.0).to_bits()),
                    None => text_set.contains(column.text(row).as_ref()),
                };
                if !allowed {
                    let value = column.text(row);
                    match unexpected.iter().position(|(v, _)| *v == value) {
                        Some(i) => unexpected[i].1 += 1,
                        None if unexpected.len() < UNEXPECTED_LISTED => {
                            unexpected.push((value.into_owned(), 1))
                        }
                        None => {}
                    }
                }
                !allowed
            },
        );
        if !unexpected.is_empty() {
            let listed: Vec<String> = unexpected.iter().map(|(v, n)| format!("`{v}` ({n})")).collect();
            evaluation.message.push_str(&format!("; unexpected: {}", listed.join(", ")));
        }
        Ok(evaluation)
    }
}

/// How many unexpected values a failing `values_in_set` names, with their counts.
const UNEXPECTED_LISTED: usize = 5;

// ---------------------------------------------------------------------------------------
// unique

/// No non-missing value occurs twice; every row holding a repeated value fails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unique {
    pub column: String,
    #[serde(default = "one")]
    pub mostly: Ratio,
}

impl TestKind for Unique {
    const FAMILY: Family = Family::Data;
    const SUMMARY: &'static str = "a column's values are all different";
    const PARAMS: &'static [Param] = &[
        Param::required("column", ParamType::Column, r#""a""#, "the column"),
        Param::optional("mostly", ParamType::Ratio, "1", "share of non-missing values that must pass"),
    ];

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let column = find(ctx, trace, &self.column)?;
        // Values compared, not hashes: a hash only says where to look for an equal value.
        let columns = [column];
        let groups = RowGroups::of(&columns, (0..column.len()).filter(|&row| !column.is_missing(row)));
        let mut repeated = vec![false; column.len()];
        for (first, row) in groups.repeats() {
            repeated[first] = true;
            repeated[row] = true;
        }
        Ok(check_values(
            ctx.table,
            trace,
            column,
            format!("count_repeats({})", self.column),
            ValueRule { holds: "unique".into(), fails: "repeated".into() },
            self.mostly,
            |row| repeated[row],
        ))
    }
}

// ---------------------------------------------------------------------------------------
// no_duplicate_rows

/// At most `max_ratio` of the rows repeat an earlier row (on `columns`, default all).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoDuplicateRows {
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    #[serde(default)]
    pub max_ratio: Ratio,
}

impl TestKind for NoDuplicateRows {
    const FAMILY: Family = Family::Data;
    const SUMMARY: &'static str = "no row repeats another";
    const PARAMS: &'static [Param] = &[
        Param::optional("columns", ParamType::Columns, "every column", "the columns that identify a row"),
        Param::optional("max_ratio", ParamType::Ratio, "0", "share of rows that may repeat"),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        match &self.columns {
            Some(columns) if columns.is_empty() => {
                Err(ParamError::new("columns", "the list is empty; leave it out to compare whole rows"))
            }
            columns => listed_once("columns", columns.as_deref()),
        }
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let table = ctx.table;
        let columns = match &self.columns {
            Some(names) => find_all(ctx, trace, names)?,
            None => table.columns().iter().collect(),
        };
        let scope = match &self.columns {
            Some(names) => names.join(", "),
            None => "*".into(),
        };
        let groups = RowGroups::of(&columns, 0..table.n_rows());
        let mut failures = Failures::default();
        for (first, row) in groups.repeats() {
            push_failure(&mut failures, table.line(row), &scope, || {
                format!("same as line {}", table.line(first))
            });
        }
        let rows = table.n_rows();
        let ratio = failures.count as f64 / rows as f64;
        trace.step(
            format!("find_duplicate_rows({scope})"),
            format!("{rows} rows compared on {} columns", columns.len()),
            format!("duplicates = {}", failures.count),
        );
        trace.set("duplicates", failures.count.to_string());
        trace.set("duplicate_ratio", num(ratio));
        let max = self.max_ratio.get();
        let passed = ratio <= max;
        trace.assert(
            format!("duplicate_ratio <= {}", num(max)),
            format!("{} <= {}", num(ratio), num(max)),
            passed,
        );
        let message = match failures.sample.first() {
            None => format!("no row of {rows} repeats an earlier one"),
            Some(first) => format!(
                "{} of {rows} rows repeat an earlier row ({}; at most {} may), first on line {} ({})",
                failures.count,
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
// row_count_between

/// The table has from `min` to `max` rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowCountBetween {
    #[serde(default)]
    pub min: Option<u64>,
    #[serde(default)]
    pub max: Option<u64>,
}

impl TestKind for RowCountBetween {
    const FAMILY: Family = Family::Data;
    const SUMMARY: &'static str = "the number of rows lies in a range";
    const PARAMS: &'static [Param] = &[
        Param::optional("min", ParamType::Integer, "no lower bound", "fewest rows allowed").starting_at("1"),
        Param::optional("max", ParamType::Integer, "no upper bound", "most rows allowed"),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        Bounds::new(self.min.map(|m| m as f64), self.max.map(|m| m as f64), false, false).validate()
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let rows = ctx.table.n_rows();
        let bounds = Bounds::new(self.min.map(|m| m as f64), self.max.map(|m| m as f64), false, false);
        trace.step(
            format!("count_rows({})", ctx.table.name()),
            "data rows after the header",
            format!("rows = {rows}"),
        );
        trace.set("rows", rows.to_string());
        let passed = bounds.contains(rows as f64);
        let claim = bounds.claim("rows");
        trace.assert(&claim, claim.replace("rows", &rows.to_string()), passed);
        let message = if passed {
            format!("{rows} rows, within {}", bounds.interval())
        } else {
            format!("{rows} rows, outside the {} expected", bounds.interval())
        };
        Ok(Evaluation { passed, message, observed: json!(rows), failures: None })
    }
}

// ---------------------------------------------------------------------------------------
// matches_regex

/// Non-missing values, as text, contain a match of `pattern` (anchor it with `^…$` to match
/// whole values).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchesRegex {
    pub column: String,
    pub pattern: Pattern,
    #[serde(default = "one")]
    pub mostly: Ratio,
}

impl TestKind for MatchesRegex {
    const FAMILY: Family = Family::Data;
    const SUMMARY: &'static str = "a column's values match a pattern";
    const PARAMS: &'static [Param] = &[
        Param::required("column", ParamType::Column, r#""a""#, "the column"),
        Param::required("pattern", ParamType::Regex, r#"".+""#, "the pattern each value must match"),
        Param::optional("mostly", ParamType::Ratio, "1", "share of non-missing values that must pass"),
    ];

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let column = find(ctx, trace, &self.column)?;
        let pattern = self.pattern.as_str();
        let regex = self.pattern.regex();
        Ok(check_values(
            ctx.table,
            trace,
            column,
            format!("match({}, /{pattern}/)", self.column),
            ValueRule {
                holds: format!("matched by /{pattern}/"),
                fails: format!("not matched by /{pattern}/"),
            },
            self.mostly,
            |row| !regex.is_match(&column.text(row)),
        ))
    }
}

// ---------------------------------------------------------------------------------------
// column_stat_between

/// A statistic of a column's non-missing finite values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stat {
    Mean,
    /// Sample standard deviation (ddof = 1), as pandas and Great Expectations compute it.
    Std,
    Min,
    Max,
    Median,
    /// The `q` quantile with linear interpolation, numpy's default.
    Quantile,
}

/// A column statistic lies in [`min`, `max`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnStatBetween {
    pub column: String,
    pub stat: Stat,
    #[serde(default)]
    pub q: Option<Ratio>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub strict_min: bool,
    #[serde(default)]
    pub strict_max: bool,
}

impl TestKind for ColumnStatBetween {
    const FAMILY: Family = Family::Data;
    const SUMMARY: &'static str = "a statistic of a column lies in a range";
    const PARAMS: &'static [Param] = &[
        Param::required("column", ParamType::Column, r#""a""#, "a numeric column"),
        Param::required(
            "stat",
            ParamType::Choice(&["mean", "std", "min", "max", "median", "quantile"]),
            r#""mean""#,
            "the statistic",
        ),
        Param::optional("q", ParamType::Ratio, "none", "the quantile, with stat quantile"),
        Param::optional("min", ParamType::Number, "no lower bound", "lowest allowed statistic")
            .starting_at("0"),
        Param::optional("max", ParamType::Number, "no upper bound", "highest allowed statistic"),
        Param::optional("strict_min", ParamType::Bool, "false", "min itself fails"),
        Param::optional("strict_max", ParamType::Bool, "false", "max itself fails"),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        match (self.stat, self.q) {
            (Stat::Quantile, None) => return Err(ParamError::new("q", "`quantile` needs `q`, from 0 to 1")),
            (Stat::Quantile, Some(_)) | (_, None) => {}
            (_, Some(_)) => {
                return Err(ParamError::new("q", "`q` is only read with `\"stat\": \"quantile\"`"))
            }
        }
        Bounds::new(self.min, self.max, self.strict_min, self.strict_max).validate()
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let column = numeric(ctx, trace, &self.column, "column_stat_between")?;
        let mut values: Vec<f64> = column
            .numbers()
            .unwrap_or_default()
            .into_iter()
            .map(|(_, x)| x)
            .filter(|x| x.is_finite())
            .collect();
        // `name` is the tracked variable, `action` the step, `what` the words in the message.
        let (name, action, what) = match (self.stat, self.q) {
            (Stat::Quantile, Some(q)) => {
                let q = num(q.get());
                (format!("q{q}"), format!("quantile({}, q={q})", self.column), format!("{q} quantile"))
            }
            (stat, _) => {
                let name = serde_json::to_value(stat)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                (name.clone(), format!("{name}({})", self.column), name)
            }
        };
        let value = match self.stat {
            Stat::Mean => stats::mean(&values),
            Stat::Std => stats::std(&values),
            Stat::Min => stats::min(&values),
            Stat::Max => stats::max(&values),
            Stat::Median | Stat::Quantile => {
                values.sort_by(f64::total_cmp);
                stats::quantile(&values, self.q.map_or(0.5, Ratio::get))
            }
        };
        let Some(value) = value else {
            trace.step(action, format!("{} values", values.len()), "undefined");
            return Err(format!(
                "the {what} of `{}` is undefined: it has {} non-missing finite values",
                self.column,
                values.len()
            ));
        };
        trace.step(
            action,
            format!("{what} of {} non-missing values", values.len()),
            format!("{name} = {}", num(value)),
        );
        trace.set(&name, num(value));
        let bounds = Bounds::new(self.min, self.max, self.strict_min, self.strict_max);
        let passed = bounds.contains(value);
        let claim = bounds.claim(&name);
        trace.assert(&claim, claim.replace(&name, &num(value)), passed);
        let message = format!(
            "the {what} of `{}` is {}, {} {}",
            self.column,
            num(value),
            if passed { "within" } else { "outside" },
            bounds.interval()
        );
        Ok(Evaluation { passed, message, observed: json!(value), failures: None })
    }
}

// ---------------------------------------------------------------------------------------
// not_constant

/// A column (every column, with `*`) holds at least two distinct non-missing values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotConstant {
    pub column: ColumnSel,
}

impl TestKind for NotConstant {
    const FAMILY: Family = Family::Data;
    const SUMMARY: &'static str = "a column holds more than one value";
    const PARAMS: &'static [Param] =
        &[Param::required("column", ParamType::ColumnOrAll, r#""*""#, "the column, or * for every column")];

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let columns = select(ctx, trace, &self.column)?;
        let mut constant = Vec::new();
        let mut fewest = usize::MAX;
        for column in &columns {
            let distinct = distinct_count(column);
            fewest = fewest.min(distinct);
            if distinct < 2 {
                let first = (0..column.len()).find(|&row| !column.is_missing(row));
                let what = match first {
                    Some(row) => format!("`{}` holds only `{}`", column.name(), column.text(row)),
                    None => format!("`{}` is missing", column.name()),
                };
                constant.push(what);
            }
        }
        trace.step(
            format!("count_distinct({})", self.column),
            format!("{} columns", columns.len()),
            format!("fewest distinct = {fewest}"),
        );
        trace.set("distinct", fewest.to_string());
        let passed = constant.is_empty();
        trace.assert("distinct >= 2", format!("{fewest} >= 2"), passed);
        let message = if passed {
            match &self.column {
                ColumnSel::Named(name) => format!("`{name}` holds {fewest} distinct values"),
                ColumnSel::All => format!("every column holds at least {fewest} distinct values"),
            }
        } else {
            format!("{} in all {} rows", constant.join("; "), ctx.table.n_rows())
        };
        Ok(Evaluation { passed, message, observed: json!(fewest), failures: None })
    }
}

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
        let column = label(ctx, trace, self.column.as_deref(), "class_balance")?;
        let classes = class_counts(column);
        if classes.len() > MAX_CLASSES {
            return Err(format!(
                "`{}` has {} distinct values: class_balance is for class labels (at most {MAX_CLASSES})",
                column.name(),
                classes.len()
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
        trace.step(format!("count_classes({})", column.name()), counted, minority);
        trace.set("minority_ratio", num(ratio));
        let min = self.min_minority_ratio.get();
        let passed = ratio >= min;
        trace.assert(
            format!("minority_ratio >= {}", num(min)),
            format!("{} >= {}", num(ratio), num(min)),
            passed,
        );
        let message = if classes.is_empty() {
            format!(
                "`{}` has no non-missing value: there are no classes to balance or to learn",
                column.name()
            )
        } else if classes.len() < 2 {
            format!(
                "`{}` holds a single class (`{rarest}`): there is nothing to balance or to learn",
                column.name()
            )
        } else {
            format!(
                "the rarest class of `{}`, `{rarest}`, has {rarest_count} of {total} rows ({}); at least {} required",
                column.name(),
                pct(ratio),
                pct(min)
            )
        };
        Ok(Evaluation { passed, message, observed: json!(ratio), failures: None })
    }
}

/// Above this many distinct values a column is not treated as class labels.
const MAX_CLASSES: usize = 50;

/// Each label with its count, most frequent first (ties in order of first appearance).
fn class_counts(column: &Column) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for row in (0..column.len()).filter(|&row| !column.is_missing(row)) {
        let text = column.text(row);
        match index.get(text.as_ref()) {
            Some(&i) => counts[i].1 += 1,
            None => {
                index.insert(text.to_string(), counts.len());
                counts.push((text.into_owned(), 1));
            }
        }
    }
    counts.sort_by_key(|&(_, n)| std::cmp::Reverse(n)); // stable: ties keep their first appearance
    counts
}

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
        let table = ctx.table;
        let target = label(ctx, trace, self.column.as_deref(), "no_conflicting_labels")?;
        let features = feature_columns(ctx, trace, target, self.features.as_deref())?;
        let groups = RowGroups::of(&features, (0..table.n_rows()).filter(|&row| !target.is_missing(row)));
        let labelled = (0..table.n_rows()).filter(|&row| !target.is_missing(row)).count();
        let mut failures = Failures::default();
        let mut conflicting_groups = 0;
        for members in groups.repeated() {
            if members.iter().any(|&row| !same_row(&[target], members[0], row)) {
                conflicting_groups += 1;
                for &row in &members {
                    push_failure(&mut failures, table.line(row), target.name(), || {
                        target.text(row).into_owned()
                    });
                }
            }
        }
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
            format!("no two rows with the same features have different `{}`", target.name())
        } else {
            format!(
                "{} of {labelled} rows ({}) share their features with a row of another `{}`, in {conflicting_groups} groups; at most {} may",
                failures.count,
                pct(ratio),
                target.name(),
                pct(max)
            )
        };
        Ok(Evaluation { passed, message, observed: json!(ratio), failures: Some(failures) })
    }
}

// ---------------------------------------------------------------------------------------
// no_target_leakage

/// No single feature predicts the target almost perfectly on its own.
///
/// Each feature's predictive power score: the feature is cut into at most ten quantile bins
/// (categories are their own bins, missing values one more), the majority label (or mean
/// target, for regression) of each bin is learnt on one half of the rows and predicts the
/// other half. The score is the gain over always predicting the first half's majority (or mean), scaled to
/// 0..1: 0 = no better than the baseline, 1 = perfect. Scoring on held-out rows keeps an id
/// column from scoring 1 by memorising every row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoTargetLeakage {
    pub max_score: Ratio,
    #[serde(default)]
    pub column: Option<String>,
    #[serde(default)]
    pub features: Option<Vec<String>>,
}

impl TestKind for NoTargetLeakage {
    const FAMILY: Family = Family::Data;
    const SUMMARY: &'static str = "no single feature predicts the target almost perfectly";
    const PARAMS: &'static [Param] = &[
        Param::required("max_score", ParamType::Ratio, "0.95", "the best score one feature may reach alone"),
        Param::optional("column", ParamType::Column, "the suite's target", "the label column"),
        Param::optional("features", ParamType::Columns, "every other column", "the features tried"),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        listed_once("features", self.features.as_deref())
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let target = label(ctx, trace, self.column.as_deref(), "no_target_leakage")?;
        let features = feature_columns(ctx, trace, target, self.features.as_deref())?;
        let task = ctx.task.unwrap_or_else(|| infer_task(target));
        if task == Task::Regression && !target.ty().is_numeric() {
            return Err(format!(
                "`{}` is a {} column: a regression target must be numeric",
                target.name(),
                target.ty()
            ));
        }
        let rows: Vec<usize> = (0..target.len()).filter(|&row| !target.is_missing(row)).collect();
        if rows.len() < 4 {
            return Err(format!(
                "`{}` has {} labelled rows: too few to score features",
                target.name(),
                rows.len()
            ));
        }
        let mut worst: Option<(&str, f64)> = None;
        for feature in &features {
            let score = leakage_score(feature, target, &rows, task);
            trace.step(
                format!("score_feature({} → {})", feature.name(), target.name()),
                "learnt on one half of the rows, scored on the other",
                format!("score = {}", num(score)),
            );
            if worst.is_none_or(|(_, w)| score > w) {
                worst = Some((feature.name(), score));
                trace.set("max_score", num(score));
                trace.set("feature", feature.name());
            }
        }
        let (feature, score) = worst.unwrap_or(("", 0.0));
        let max = self.max_score.get();
        let passed = score <= max;
        trace.assert(format!("max_score <= {}", num(max)), format!("{} <= {}", num(score), num(max)), passed);
        let message = if passed {
            format!(
                "no feature predicts `{}` on its own above {} (best: `{feature}`, {})",
                target.name(),
                num(max),
                num(score)
            )
        } else {
            format!(
                "`{feature}` alone predicts `{}` with score {} (above {}): check it is not derived from the target",
                target.name(),
                num(score),
                num(max)
            )
        };
        Ok(Evaluation {
            passed,
            message,
            observed: json!({ "feature": feature, "score": score }),
            failures: None,
        })
    }
}

/// Whether row `i` is in the half a leakage score learns from. The halves are drawn by a fixed
/// hash of the row index, not by even and odd rows, so a file whose labels repeat in a
/// pattern (A, B, A, B, …) still puts every class in both halves.
fn in_learning_half(i: usize) -> bool {
    // SplitMix64's finaliser: a fixed, well-mixed function of the index.
    let mut z = (i as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) & 1 == 0
}

/// Classification when the target holds labels or few distinct numbers.
fn infer_task(target: &Column) -> Task {
    if target.ty() == ColumnType::Float || (target.ty() == ColumnType::Int && distinct_count(target) > 20) {
        Task::Regression
    } else {
        Task::Classification
    }
}

fn leakage_score(feature: &Column, target: &Column, rows: &[usize], task: Task) -> f64 {
    let bins = bin_feature(feature, rows);
    let (learn, score): (Vec<usize>, Vec<usize>) = (0..rows.len()).partition(|&i| in_learning_half(i));
    match task {
        Task::Classification => {
            // Each label as the number of its value (in order of first appearance): values are
            // compared, so two labels never merge because their hashes collide.
            let targets = [target];
            let mut labels = RowGroups::new(&targets);
            let label: Vec<usize> = rows.iter().map(|&row| labels.insert(row)).collect();
            let mut per_bin: FastMap<u64, FastMap<usize, usize>> = FastMap::default();
            let mut overall: FastMap<usize, usize> = FastMap::default();
            for &i in &learn {
                *per_bin.entry(bins[i]).or_default().entry(label[i]).or_default() += 1;
                *overall.entry(label[i]).or_default() += 1;
            }
            let majority = |counts: &FastMap<usize, usize>| {
                // Highest count; ties go to the label seen first, so the result never depends
                // on the map's iteration order (which the hasher's seed changes every run).
                counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(&l, _)| l)
            };
            let baseline = majority(&overall);
            let (mut hits, mut base_hits) = (0usize, 0usize);
            for &i in &score {
                let guess = per_bin.get(&bins[i]).and_then(majority).or(baseline);
                hits += usize::from(guess == Some(label[i]));
                base_hits += usize::from(baseline == Some(label[i]));
            }
            let n = score.len() as f64;
            let (accuracy, base) = (hits as f64 / n, base_hits as f64 / n);
            if base >= 1.0 {
                0.0
            } else {
                ((accuracy - base) / (1.0 - base)).max(0.0)
            }
        }
        Task::Regression => {
            let y: Vec<f64> = rows.iter().map(|&row| target.number(row).unwrap_or(0.0)).collect();
            let mut sums: FastMap<u64, (f64, usize)> = FastMap::default();
            let mut total = 0.0;
            for &i in &learn {
                let entry = sums.entry(bins[i]).or_default();
                entry.0 += y[i];
                entry.1 += 1;
                total += y[i];
            }
            let mean = total / learn.len() as f64;
            let (mut sse, mut sse_base) = (0.0, 0.0);
            for &i in &score {
                let guess = sums.get(&bins[i]).map_or(mean, |(s, n)| s / *n as f64);
                sse += (y[i] - guess) * (y[i] - guess);
                sse_base += (y[i] - mean) * (y[i] - mean);
            }
            if sse_base == 0.0 {
                0.0
            } else {
                (1.0 - sse / sse_base).max(0.0)
            }
        }
    }
}

/// Each of `rows`' bin for a feature: ten quantile bins for numbers, the value otherwise, and
/// one bin for missing cells.
fn bin_feature(feature: &Column, rows: &[usize]) -> Vec<u64> {
    const MISSING: u64 = u64::MAX;
    if !feature.ty().is_numeric() {
        // A bin per value, numbered by first appearance (missing cells are one value there).
        let columns = [feature];
        let mut values = RowGroups::new(&columns);
        return rows.iter().map(|&row| values.insert(row) as u64).collect();
    }
    let mut sorted: Vec<f64> = rows.iter().filter_map(|&row| feature.number(row)).collect();
    sorted.sort_by(f64::total_cmp);
    let mut edges: Vec<f64> = (1..10).filter_map(|k| stats::quantile(&sorted, k as f64 / 10.0)).collect();
    edges.dedup();
    rows.iter()
        .map(|&row| match feature.number(row) {
            Some(x) => edges.partition_point(|&edge| edge < x) as u64,
            None => MISSING,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Shared steps

fn one() -> Ratio {
    Ratio::ONE
}

/// The first name listed a second time. A set of the names seen: this runs when a suite is
/// read (on every page load of a saved suite), and comparing every pair took 11 s for 100,000.
fn duplicate_name(names: &[String]) -> Option<&str> {
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

/// Counts a failing cell; its value is only made (a number formatted, a text copied) while
/// the sample has room, so a million failing rows cost a count, not a million strings.
fn push_failure(failures: &mut Failures, line: u64, column: &str, value: impl FnOnce() -> String) {
    if failures.sample.len() < FAILURE_SAMPLE {
        failures.push(line, column, value());
    } else {
        failures.count += 1;
    }
}

/// Looks a column up, recording the step; a missing column is an error naming the ones there.
fn find<'t>(ctx: &Context<'t>, trace: &mut Trace, name: &str) -> Result<&'t Column, String> {
    found(ctx, trace, name, ctx.table.column(name))
}

/// Looks several columns up, as [`find`] does each, with one index of the header: `find`
/// scans the header, which for a list of every column of a wide table was quadratic.
fn find_all<'t>(ctx: &Context<'t>, trace: &mut Trace, names: &[String]) -> Result<Vec<&'t Column>, String> {
    let mut index: FastMap<&str, &'t Column> = FastMap::default();
    for column in ctx.table.columns() {
        // The first of equal names, as `Table::column` finds.
        index.entry(column.name()).or_insert(column);
    }
    // A name listed again adds nothing but work (the suite's own `features` are not this
    // kind's to refuse), so each column is looked up once.
    let mut seen: FastSet<&str> = FastSet::default();
    names
        .iter()
        .filter(|name| seen.insert(name.as_str()))
        .map(|name| found(ctx, trace, name, index.get(name.as_str()).copied()))
        .collect()
}

/// Records the lookup of column `name`, which found `column`.
fn found<'t>(
    ctx: &Context<'t>,
    trace: &mut Trace,
    name: &str,
    column: Option<&'t Column>,
) -> Result<&'t Column, String> {
    let table = ctx.table;
    match column {
        Some(column) => {
            trace.step(
                format!("select_column({name})"),
                format!("{} column, {} rows, {} missing", column.ty(), column.len(), column.missing_count()),
                "found",
            );
            Ok(column)
        }
        None => {
            trace.step(
                format!("select_column({name})"),
                format!("not among the {} columns", table.n_cols()),
                "ERROR",
            );
            let header: Vec<&str> = table.column_names().collect();
            Err(format!("column `{name}` is not in {} (columns: {})", table.name(), names(&header, 12)))
        }
    }
}

/// The columns a [`ColumnSel`] names.
fn select<'t>(ctx: &Context<'t>, trace: &mut Trace, sel: &ColumnSel) -> Result<Vec<&'t Column>, String> {
    match sel {
        ColumnSel::All => Ok(ctx.table.columns().iter().collect()),
        ColumnSel::Named(name) => Ok(vec![find(ctx, trace, name)?]),
    }
}

/// A column that must hold numbers for `kind` to read it.
fn numeric<'t>(ctx: &Context<'t>, trace: &mut Trace, name: &str, kind: &str) -> Result<&'t Column, String> {
    let column = find(ctx, trace, name)?;
    if column.ty().is_numeric() {
        Ok(column)
    } else {
        Err(format!("`{name}` is a {} column: {kind} reads numbers", column.ty()))
    }
}

/// The label column: the test's own `column`, else the suite's `target`.
fn label<'t>(
    ctx: &Context<'t>,
    trace: &mut Trace,
    column: Option<&str>,
    kind: &str,
) -> Result<&'t Column, String> {
    match column.or(ctx.target) {
        Some(name) => find(ctx, trace, name),
        None => Err(format!("{kind} needs a label column: give the test a `column` or the suite a `target`")),
    }
}

/// The feature columns: the test's list, else the suite's `features`, else every column but
/// the label and the suite's `drop`.
fn feature_columns<'t>(
    ctx: &Context<'t>,
    trace: &mut Trace,
    target: &Column,
    listed: Option<&[String]>,
) -> Result<Vec<&'t Column>, String> {
    let columns = match listed.or(ctx.features) {
        Some(names) => find_all(ctx, trace, names)?,
        None => {
            let dropped: FastSet<&str> = ctx.drop.iter().map(String::as_str).collect();
            ctx.table
                .columns()
                .iter()
                .filter(|c| c.name() != target.name() && !dropped.contains(c.name()))
                .collect()
        }
    };
    if columns.is_empty() {
        return Err(format!("there is no feature column beside `{}`", target.name()));
    }
    Ok(columns)
}

/// The wording of a value rule: values that pass "are within [0, 1]", values that fail "are
/// outside [0, 1]".
struct ValueRule {
    holds: String,
    fails: String,
}

/// Runs a per-value rule over a column's non-missing rows and asserts that at least `mostly`
/// of them pass: the shared core of every `mostly` test.
fn check_values(
    table: &Table,
    trace: &mut Trace,
    column: &Column,
    action: String,
    rule: ValueRule,
    mostly: Ratio,
    mut fails: impl FnMut(usize) -> bool,
) -> Evaluation {
    let mut failures = Failures::default();
    let mut checked = 0usize;
    for row in (0..column.len()).filter(|&row| !column.is_missing(row)) {
        checked += 1;
        if fails(row) {
            push_failure(&mut failures, table.line(row), column.name(), || column.text(row).into_owned());
        }
    }
    let skipped = column.len() - checked;
    let ratio = if checked == 0 { 1.0 } else { (checked - failures.count) as f64 / checked as f64 };
    trace.step(
        action,
        if skipped > 0 {
            format!("{checked} non-missing values ({skipped} missing skipped)")
        } else {
            format!("{checked} values")
        },
        format!("failing = {}", failures.count),
    );
    trace.set("failing", failures.count.to_string());
    let mostly = mostly.get();
    let passed = ratio >= mostly;
    if mostly >= 1.0 {
        trace.assert("failing == 0", format!("{} == 0", failures.count), passed);
    } else {
        trace.set("pass_ratio", num(ratio));
        trace.assert(
            format!("pass_ratio >= {}", num(mostly)),
            format!("{} >= {}", num(ratio), num(mostly)),
            passed,
        );
    }
    let name = column.name();
    let message = if checked == 0 {
        format!("`{name}` has no non-missing value to check")
    } else if failures.is_empty() {
        format!("all {checked} values in `{name}` are {}", rule.holds)
    } else if mostly >= 1.0 {
        format!("{} of {checked} values in `{name}` are {}; none may be", failures.count, rule.fails)
    } else {
        format!(
            "{} of {checked} values in `{name}` are {} ({} pass; at least {} must)",
            failures.count,
            rule.fails,
            pct(ratio),
            pct(mostly)
        )
    };
    Evaluation { passed, message, observed: json!(ratio), failures: Some(failures) }
}

#[cfg(test)]
mod tests;
