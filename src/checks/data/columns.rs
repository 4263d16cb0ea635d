//! The header and each column: the columns present (and their order), a column's inferred
//! type, and its missing cells.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{find, listed_once, select, CellRule};
use crate::checks::{ColumnSel, Context, Evaluation, Family, ParamError, Ratio, TestKind};
use crate::report::fmt::{names, num, pct};
use crate::report::{Failures, Trace};
use crate::table::rows::FastSet;
use crate::table::ColumnType;
use crate::vocab::{Param, ParamType};

// ---------------------------------------------------------------------------------------
// not_null

/// At most `max_missing_ratio` of a column's values (of every column's, with `*`) are missing;
/// or, with `mostly`, at least that share of them is present.
///
/// The two say one thing, but not to the last bit: `mostly` is compared as Great
/// Expectations compares it (`(rows - missing) / rows >= mostly`), while `1 - mostly` is
/// not always the float a person means (`1 - 0.9` is 0.09999999999999998, which 1 missing
/// value in 10 exceeds), so a suite imported from GX keeps `mostly`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotNull {
    pub column: ColumnSel,
    #[serde(default)]
    pub max_missing_ratio: Ratio,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mostly: Option<Ratio>,
}

impl TestKind for NotNull {
    const FAMILY: Family = Family::Data;
    const SUMMARY: &'static str = "at most a share of a column's values are missing";
    const PARAMS: &'static [Param] = &[
        Param::required("column", ParamType::ColumnOrAll, r#""*""#, "the column, or * for every column"),
        Param::optional("max_missing_ratio", ParamType::Ratio, "0", "share of values that may be missing"),
        Param::optional(
            "mostly",
            ParamType::Ratio,
            "none",
            "share of values that must be present, as Great Expectations writes it (instead of max_missing_ratio)",
        ),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        match self.mostly {
            Some(_) if self.max_missing_ratio != Ratio::ZERO => Err(ParamError::new(
                "mostly",
                "give `mostly` (the share present) or `max_missing_ratio` (the share missing), not both",
            )),
            _ => Ok(()),
        }
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let data = ctx.data;
        let columns = select(data, trace, &self.column)?;
        let rows = data.n_rows();
        let max = self.max_missing_ratio.get();
        // A table without rows has nothing missing (Great Expectations: vacuously true).
        let too_many = |missing: usize, ratio: f64| match self.mostly {
            Some(_) if rows == 0 => false,
            Some(mostly) => ((rows - missing) as f64 / rows as f64) < mostly.get(),
            None => ratio > max,
        };
        let mut over = Vec::new(); // (column, missing, ratio) of the columns over the limit
        let mut worst: Option<(&str, usize, f64)> = None;
        let mut is_over = Vec::with_capacity(columns.len());
        for column in &columns {
            let missing = column.missing;
            let ratio = missing as f64 / rows as f64;
            if worst.is_none_or(|(_, _, w)| ratio > w) {
                worst = Some((column.name.as_str(), missing, ratio));
            }
            let column_over = too_many(missing, ratio);
            is_over.push(column_over);
            if column_over {
                over.push((column.name.as_str(), missing, ratio));
            }
        }
        // Every missing cell is a failing one, whether or not its column is within the limit
        // (Great Expectations' `unexpected_count`): the columns over the limit first, so the
        // sample shows what made the test fail.
        let failing = columns.iter().zip(&is_over).filter(|(_, &o)| o);
        let within = columns.iter().zip(&is_over).filter(|(_, &o)| !o);
        let with_missing: Vec<&str> =
            failing.chain(within).filter(|(c, _)| c.missing > 0).map(|(c, _)| c.name.as_str()).collect();
        let failures = data.missing_cells(&with_missing)?;
        let (worst_name, worst_missing, worst_ratio) = worst.unwrap_or(("", 0, 0.0));
        match &self.column {
            ColumnSel::Named(name) => trace.step(
                format!("count_missing({name})"),
                format!("{worst_missing} of {rows} rows"),
                format!("missing_ratio = {}", num(worst_ratio)),
            ),
            ColumnSel::All => {
                let with_missing = columns.iter().filter(|c| c.missing > 0).count();
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
        match self.mostly {
            Some(mostly) => {
                let present = if rows == 0 { 1.0 } else { (rows - worst_missing) as f64 / rows as f64 };
                trace.assert(
                    format!("present_ratio >= {}", num(mostly.get())),
                    format!("{} >= {}", num(present), num(mostly.get())),
                    passed,
                );
            }
            None => trace.assert(
                format!("missing_ratio <= {}", num(max)),
                format!("{} <= {}", num(worst_ratio), num(max)),
                passed,
            ),
        }
        // The share that may be missing, for the words only (the test compares `mostly`).
        let shown_max = self.mostly.map_or(max, |mostly| 1.0 - mostly.get());
        // What may be missing, in the message's words.
        let allowed = match self.mostly {
            Some(mostly) => format!("at least {} must be present", pct(mostly.get())),
            None => format!("at most {} may be", pct(max)),
        };
        let message = match (&self.column, passed) {
            (ColumnSel::Named(name), true) if worst_missing == 0 => {
                format!("no value in `{name}` is missing")
            }
            (ColumnSel::Named(name), _) => format!(
                "{worst_missing} of {rows} values in `{name}` are missing ({}); {allowed}",
                pct(worst_ratio),
            ),
            (ColumnSel::All, true) if worst_missing == 0 => {
                format!("no value is missing in any of the {} columns", columns.len())
            }
            (ColumnSel::All, true) => format!(
                "every column is within the {} of missing values allowed (worst: `{worst_name}`, {})",
                pct(shown_max),
                pct(worst_ratio)
            ),
            (ColumnSel::All, false) => {
                let listed: Vec<String> =
                    over.iter().map(|(name, n, r)| format!("`{name}` {n} ({})", pct(*r))).collect();
                format!(
                    "{} of {} columns have more missing values than the {} allowed: {}",
                    over.len(),
                    columns.len(),
                    pct(shown_max),
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
        let header: Vec<&str> = ctx.data.column_names();
        trace.step(
            format!("read_header({})", ctx.data.name()),
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
        let column = find(ctx.data, trace, &self.column)?;
        let inferred = column.ty;
        trace.step(
            format!("infer_type({})", self.column),
            format!("{} non-missing values", ctx.data.n_rows() - column.missing),
            format!("type = {inferred}"),
        );
        trace.set("type", inferred.name());
        let passed = inferred == self.ty
            || (self.ty == ColumnType::Float && inferred == ColumnType::Int)
            || (self.ty == ColumnType::Text && inferred == ColumnType::Category);
        // A passing column has no failing row (every value of an int column reads as a float,
        // of a category as a text, of any column as its own type), so only a failing one is
        // read cell by cell.
        let failures = if passed {
            Failures::default()
        } else {
            ctx.data.check_cells(&column.name, &CellRule::NotReadAs(self.ty), 0)?.failures
        };
        trace.assert(format!("type is {}", self.ty), format!("{inferred} is {}", self.ty), passed);
        let message =
            if passed {
                format!("`{}` holds {inferred} values, as expected", self.column)
            } else if failures.is_empty() {
                format!("`{}` holds {inferred} values, expected {}", self.column, self.ty)
            } else {
                let first = &failures.sample[0];
                format!(
                "`{}` holds {inferred} values, expected {}: {} values cannot be read as {}, first `{}` on {}",
                self.column, self.ty, failures.count, self.ty, first.value, first.place()
            )
            };
        Ok(Evaluation { passed, message, observed: json!(inferred), failures: Some(failures) })
    }
}
