//! A column as a whole: a statistic (mean, median, quantile, …) within bounds, and more than
//! one distinct value.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{numeric, select, Bounds, StatOf};
use crate::checks::{ColumnSel, Context, Evaluation, Family, ParamError, Ratio, TestKind};
use crate::report::fmt::num;
use crate::report::Trace;
use crate::table::stats::Interpolation;
use crate::vocab::{Param, ParamType};

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
    /// The `q` quantile, interpolated as `interpolation` says (numpy's `linear` by default).
    Quantile,
}

/// The absolute part of the closeness `rtol` allows, numpy's `isclose` default: a bound of 0
/// is then not matched by an exact 0 only.
pub const ATOL: f64 = 1e-8;

/// A column statistic lies in [`min`, `max`]. With `rtol`, a statistic close to a bound
/// (numpy's `isclose(stat, bound, rtol)`: `|stat - bound| <= 1e-8 + rtol·|bound|`) passes as
/// if on it: Great Expectations' quantile check allows 0.01% that way (`rtol` 1e-4).
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpolation: Option<Interpolation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rtol: Option<f64>,
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
        Param::optional(
            "interpolation",
            ParamType::Choice(&["linear", "lower", "higher", "midpoint", "nearest"]),
            "linear",
            "how a quantile between two values is picked, as numpy's method",
        ),
        Param::optional(
            "rtol",
            ParamType::Number,
            "0",
            "a statistic this close to a bound, relative to it, passes",
        ),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        if self.interpolation.is_some() && self.stat != Stat::Quantile {
            return Err(ParamError::new(
                "interpolation",
                "`interpolation` is only read with `\"stat\": \"quantile\"`",
            ));
        }
        if let Some(rtol) = self.rtol.filter(|r| !(r.is_finite() && *r >= 0.0)) {
            return Err(ParamError::new(
                "rtol",
                format!("{} is not a tolerance: it must be 0 or more", num(rtol)),
            ));
        }
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
        let column = numeric(ctx.data, trace, &self.column, "column_stat_between")?;
        // `name` is the tracked variable, `action` the step, `what` the words in the message.
        let (name, action, what) = match (self.stat, self.q) {
            (Stat::Quantile, Some(q)) => {
                let q = num(q.get());
                // The method is named when it is not numpy's default.
                let method = match self.interpolation {
                    Some(method) if method != Interpolation::Linear => {
                        format!(
                            ", {}",
                            serde_json::to_value(method)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_owned))
                                .unwrap_or_default()
                        )
                    }
                    _ => String::new(),
                };
                (
                    format!("q{q}"),
                    format!("quantile({}, q={q}{method})", self.column),
                    format!("{q} quantile"),
                )
            }
            (stat, _) => {
                let name = serde_json::to_value(stat)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                (name.clone(), format!("{name}({})", self.column), name)
            }
        };
        let stat = match self.stat {
            Stat::Mean => StatOf::Mean,
            Stat::Std => StatOf::Std,
            Stat::Min => StatOf::Min,
            Stat::Max => StatOf::Max,
            Stat::Median | Stat::Quantile => {
                StatOf::Quantile(self.q.map_or(0.5, Ratio::get), self.interpolation.unwrap_or_default())
            }
        };
        let (count, value) = ctx.data.stat(&column.name, stat)?;
        let Some(value) = value else {
            trace.step(action, format!("{count} values"), "undefined");
            return Err(format!(
                "the {what} of `{}` is undefined: it has {count} non-missing finite values",
                self.column
            ));
        };
        trace.step(
            action,
            format!("{what} of {count} non-missing values"),
            format!("{name} = {}", num(value)),
        );
        trace.set(&name, num(value));
        let bounds = Bounds::new(self.min, self.max, self.strict_min, self.strict_max);
        let within = bounds.contains(value);
        // numpy's `isclose(value, bound)`, in its order of operations, so a statistic on the
        // edge of the tolerance is judged as Great Expectations judges it.
        let close = |bound: Option<f64>| match (bound, self.rtol) {
            (Some(bound), Some(rtol)) => (value - bound).abs() <= ATOL + rtol * bound.abs(),
            _ => false,
        };
        let near = !within && (close(self.min) || close(self.max));
        let passed = within || near;
        let claim = match self.rtol {
            Some(rtol) => format!("{} (rtol {})", bounds.claim(&name), num(rtol)),
            None => bounds.claim(&name),
        };
        trace.assert(&claim, claim.replace(&name, &num(value)), passed);
        let message = format!(
            "the {what} of `{}` is {}, {} {}",
            self.column,
            num(value),
            if within {
                "within"
            } else if near {
                "within the tolerance of"
            } else {
                "outside"
            },
            bounds.interval()
        );
        Ok(Evaluation { passed, message, observed: json!(value), failures: None })
    }
}

// ---------------------------------------------------------------------------------------
// not_constant

/// How far `not_constant` counts each column's values before it knows the column is not the
/// one with the fewest.
const FEW: usize = 50;

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
        let columns = select(ctx.data, trace, &self.column)?;
        // Each column's values counted up to a few: the fewest is what the test reports, and a
        // column with more cannot be the fewest unless every column has more (then each is
        // counted whole). On files queried where they lie, counting a column of a million
        // distinct values whole is a scan; counting to a few, a batch.
        let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        let mut counted = ctx.data.distinct(&names, Some(FEW))?;
        if counted.iter().all(|&(distinct, _)| distinct > FEW) {
            counted = ctx.data.distinct(&names, None)?;
        }
        let mut constant = Vec::new();
        let mut fewest = usize::MAX;
        for (column, (distinct, first)) in columns.iter().zip(counted) {
            fewest = fewest.min(distinct);
            if distinct < 2 {
                let what = match first {
                    Some(value) => format!("`{}` holds only `{value}`", column.name),
                    None => format!("`{}` is missing", column.name),
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
            format!("{} in all {} rows", constant.join("; "), ctx.data.n_rows())
        };
        Ok(Evaluation { passed, message, observed: json!(fewest), failures: None })
    }
}
