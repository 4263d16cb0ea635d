//! Each non-missing value of a column against a rule (in a range, in a set, matching a
//! pattern, not repeated), with `mostly`: the share of values that must pass.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{find, numeric, Bounds, CellRule, Checked, ColumnFacts, Facts};
use crate::checks::{Context, Evaluation, Family, ParamError, Pattern, Ratio, TestKind};
use crate::report::fmt::{num, pct};
use crate::report::Trace;
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
        let column = numeric(ctx.data, trace, &self.column, "values_between")?;
        let bounds = Bounds::new(self.min, self.max, self.strict_min, self.strict_max);
        let range = bounds.interval();
        let checked = ctx.data.check_cells(&column.name, &CellRule::Outside(bounds), 0)?;
        Ok(check_values(
            ctx.data,
            trace,
            &column,
            checked,
            format!("check_between({}, {range})", self.column),
            ValueRule { holds: format!("within {range}"), fails: format!("outside {range}") },
            self.mostly,
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
        let column = find(ctx.data, trace, &self.column)?;
        let texts: Vec<String> = self
            .allowed
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        let shown = {
            let mut list = texts.iter().take(8).cloned().collect::<Vec<_>>().join(", ");
            if texts.len() > 8 {
                list.push_str(&format!(", … ({} in all)", texts.len()));
            }
            format!("{{{list}}}")
        };
        let rule = CellRule::NotIn(texts);
        // The first few unexpected values in order of appearance, with their counts: the
        // message lists no more, so no more are kept.
        let checked = ctx.data.check_cells(&column.name, &rule, UNEXPECTED_LISTED)?;
        let unexpected = checked.unexpected.clone();
        let mut evaluation = check_values(
            ctx.data,
            trace,
            &column,
            checked,
            format!("check_in_set({}, {shown})", self.column),
            ValueRule { holds: format!("in {shown}"), fails: format!("not in {shown}") },
            self.mostly,
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
        let column = find(ctx.data, trace, &self.column)?;
        let checked = ctx.data.repeated_cells(&column.name)?;
        Ok(check_values(
            ctx.data,
            trace,
            &column,
            checked,
            format!("count_repeats({})", self.column),
            ValueRule { holds: "unique".into(), fails: "repeated".into() },
            self.mostly,
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
        let column = find(ctx.data, trace, &self.column)?;
        let pattern = self.pattern.as_str();
        let rule = CellRule::NotMatched(self.pattern.clone());
        let checked = ctx.data.check_cells(&column.name, &rule, 0)?;
        Ok(check_values(
            ctx.data,
            trace,
            &column,
            checked,
            format!("match({}, /{pattern}/)", self.column),
            ValueRule {
                holds: format!("matched by /{pattern}/"),
                fails: format!("not matched by /{pattern}/"),
            },
            self.mostly,
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

/// Judges what a per-value rule found in a column's non-missing cells: at least `mostly` of
/// them must pass. The shared judgement of every `mostly` test.
fn check_values(
    data: &dyn Facts,
    trace: &mut Trace,
    column: &ColumnFacts,
    found: Checked,
    action: String,
    rule: ValueRule,
    mostly: Ratio,
) -> Evaluation {
    let Checked { checked, failures, .. } = found;
    let skipped = data.n_rows() - checked;
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
    let name = &column.name;
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
