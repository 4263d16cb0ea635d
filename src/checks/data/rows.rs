//! The table's rows: how many there are, and rows that repeat an earlier one.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{find_all, listed_once, names_of, Bounds};
use crate::checks::{Context, Evaluation, Family, ParamError, Ratio, TestKind};
use crate::report::fmt::{num, pct};
use crate::report::Trace;
use crate::vocab::{Param, ParamType};

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
        let rows = ctx.data.n_rows();
        let bounds = Bounds::new(self.min.map(|m| m as f64), self.max.map(|m| m as f64), false, false);
        trace.step(
            format!("count_rows({})", ctx.data.name()),
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
        let data = ctx.data;
        let columns = match &self.columns {
            Some(names) => find_all(data, trace, names)?,
            None => data.columns(),
        };
        let scope = match &self.columns {
            Some(names) => names.join(", "),
            None => "*".into(),
        };
        let failures = data.duplicate_rows(&names_of(&columns), &scope)?;
        let rows = data.n_rows();
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
                "{} of {rows} rows repeat an earlier row ({}; at most {} may), first on {} ({})",
                failures.count,
                pct(ratio),
                pct(max),
                first.place(),
                first.value
            ),
        };
        Ok(Evaluation { passed, message, observed: json!(ratio), failures: Some(failures) })
    }
}
