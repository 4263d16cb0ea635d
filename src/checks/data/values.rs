//! Each non-missing value of a column against a rule (in a range, in a set, matching a
//! pattern, not repeated), with `mostly`: the share of values that must pass.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{find, numeric, push_failure, Bounds};
use crate::checks::{Context, Evaluation, Family, ParamError, Pattern, Ratio, TestKind};
use crate::report::fmt::{num, pct};
use crate::report::{Failures, Trace};
use crate::table::rows::{FastSet, RowGroups};
use crate::table::{Column, Table};
use crate::vocab::{Param, ParamType};

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
        MOSTLY,
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
        MOSTLY,
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
    const PARAMS: &'static [Param] =
        &[Param::required("column", ParamType::Column, r#""a""#, "the column"), MOSTLY];

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
        MOSTLY,
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
// Helpers

/// `mostly`'s default: every value must pass.
fn one() -> Ratio {
    Ratio::ONE
}

/// The `mostly` parameter every kind here reads.
const MOSTLY: Param =
    Param::optional("mostly", ParamType::Ratio, "1", "share of non-missing values that must pass");

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
