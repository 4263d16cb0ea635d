//! Great Expectations suites in and out (PRODUCT.md §13): [`import`] turns a GX expectation
//! suite into an mltest suite, [`export`] writes an mltest suite's data tests as a GX 1.x
//! suite. The CLI's `mltest import gx` / `mltest export gx` and the page's "Open a suite file"
//! go through them.
//!
//! Both GX formats are read: 0.18 (`expectation_suite_name`, `expectations[]
//! {expectation_type, kwargs, meta}`) and 1.x (`name`, `expectations[] {type, kwargs, meta,
//! id, severity, description, …}`). An expectation becomes a test only where an mltest kind
//! gives the verdict GX gives on pandas (Great Expectations 1.24.1 read for the rules below);
//! every other one is left out and listed in [`Imported::left_out`] by type, with a count and
//! the reason. `scripts/compare_gx.py` runs GX itself on the bundled data to hold the two to
//! the same verdicts and unexpected counts.
//!
//! | GX expectation | mltest test |
//! |---|---|
//! | `expect_column_values_to_not_be_null` | `not_null` with `mostly` |
//! | `expect_column_values_to_be_between` | `values_between` |
//! | `expect_column_values_to_be_in_set`, `expect_column_distinct_values_to_be_in_set` | `values_in_set` |
//! | `expect_column_values_to_be_unique` | `unique` |
//! | `expect_column_values_to_match_regex` | `matches_regex` |
//! | `expect_table_row_count_to_be_between`, `…_to_equal` | `row_count_between` |
//! | `expect_column_{mean,median,stdev,min,max}_to_be_between` | `column_stat_between` |
//! | `expect_column_quantile_values_to_be_between` | a `column_stat_between` per quantile |
//! | `expect_table_columns_to_match_set`, `…_to_match_ordered_list`, `expect_column_to_exist` | `columns_present` |
//! | `expect_column_unique_value_count_to_be_between` with only `min_value: 2` | `not_constant` |
//!
//! Where the two differ, the mapping follows GX: value checks skip nulls and `mostly` is a
//! share of the non-null values (as mltest's); `not_null` keeps GX's `mostly` rather than a
//! `max_missing_ratio` of `1 - mostly`, which rounds differently; quantiles are pandas'
//! `nearest` unless `allow_relative_error` names another method, and pass within GX's
//! tolerance of 0.01% of a bound (`rtol`). What cannot follow GX is left out with its reason
//! (see [`unmapped`]): a dtype check (`…_to_be_of_type` compares the dtype pandas gives a
//! column, which a single missing cell turns from `int64` to `float64`), a filter
//! (`row_condition`), a value known only when GX runs (`$PARAMETER`), a bound that is a date.
//!
//! Two differences cannot be seen from the suite and are kept: `…_to_match_regex` reads a
//! numeric column as pandas writes its numbers (`181.0` for an integer column with a missing
//! cell) where mltest reads the CSV's text, and `…_in_set` compares pandas' values by type
//! (`"5"` is not `5`) where mltest compares a numeric column's cells as numbers. On text
//! columns, where these checks are used, the two agree. `…_distinct_values_to_be_in_set`
//! counts unexpected distinct values, the `values_in_set` it becomes counts rows: the verdicts
//! are equal, the counts are not.
//!
//! ```
//! use mltest::gx;
//!
//! let text = r#"{ "name": "penguins", "expectations": [
//!     { "type": "expect_column_values_to_not_be_null", "kwargs": { "column": "sex", "mostly": 0.95 } },
//!     { "type": "expect_column_values_to_be_of_type", "kwargs": { "column": "year", "type_": "int64" } } ] }"#;
//! let imported = gx::import(text, "penguins.json").unwrap();
//! assert_eq!(imported.suite.tests[0].check.kind(), "not_null");
//! assert_eq!(imported.left_out[0].name, "expect_column_values_to_be_of_type");
//!
//! let exported = gx::export(&imported.suite, None);
//! assert!(exported.text.contains("\"expect_column_values_to_not_be_null\""));
//! ```

use std::fmt;

use serde_json::{json, Map, Value};

use crate::checks::data::{ColumnStatBetween, Stat};
use crate::checks::{Check, ColumnSel, Family, Pattern};
use crate::report::fmt::{excerpt, num};
use crate::suite::suggest::Tests;
use crate::suite::{self, Format, Severity, Suite, SuiteError, TestSpec};
use crate::table::stats::Interpolation;
use crate::vocab::spelling;

/// The relative tolerance GX's quantile check gives a bound (`isclose(…, rtol=1e-4)` in
/// `_quantile_is_in_range`), with numpy's absolute 1e-8 as `column_stat_between`'s `rtol` has.
pub const QUANTILE_RTOL: f64 = 1e-4;

/// An mltest suite made from a GX suite, and what was left out of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub suite: Suite,
    /// The suite as JSON, as `mltest import gx` writes it: the parameters each test was given,
    /// without the defaults a checked suite spells out.
    pub text: String,
    /// How many expectations the GX suite holds.
    pub expectations: usize,
    /// The expectations that became no test, by type, in order of first appearance.
    pub left_out: Vec<LeftOut>,
}

/// What an export wrote, and the tests it left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    /// The GX 1.x suite, as JSON.
    pub text: String,
    /// How many expectations it holds.
    pub expectations: usize,
    /// The tests that became no expectation, by kind.
    pub left_out: Vec<LeftOut>,
}

/// Expectations of one type (tests of one kind, for an export) left out for one reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// The GX expectation type, or for an export the mltest test kind.
    pub name: String,
    pub count: usize,
    pub reason: String,
}

impl fmt::Display for LeftOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.name, self.count, self.reason)
    }
}

/// How many expectations (tests, for an export) `left_out` lists in all.
pub fn left_out_count(left_out: &[LeftOut]) -> usize {
    left_out.iter().map(|l| l.count).sum()
}

/// The left-out list, counted as entries are added.
#[derive(Default)]
struct LeftOuts(Vec<LeftOut>);

impl LeftOuts {
    fn add(&mut self, name: &str, reason: String) {
        match self.0.iter_mut().find(|l| l.name == name && l.reason == reason) {
            Some(entry) => entry.count += 1,
            None => self.0.push(LeftOut { name: name.to_owned(), count: 1, reason }),
        }
    }
}

/// The two formats of a GX suite file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    /// 0.18 and before: `expectation_suite_name`, `expectation_type`.
    Legacy,
    /// 1.x: `name`, `type`.
    One,
}

impl Version {
    fn of(top: &Map<String, Value>) -> Version {
        if top.contains_key("expectation_suite_name") {
            Version::Legacy
        } else {
            Version::One
        }
    }

    fn name_field(self) -> &'static str {
        match self {
            Version::Legacy => "expectation_suite_name",
            Version::One => "name",
        }
    }

    fn type_field(self) -> &'static str {
        match self {
            Version::Legacy => "expectation_type",
            Version::One => "type",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Version::Legacy => "0.18",
            Version::One => "1.x",
        }
    }
}

/// Whether a suite file's text is a GX suite rather than an mltest one: a JSON object with an
/// `expectations` list and neither `tests` nor `version`. Reads the text without keeping it
/// (an mltest suite may carry megabytes of inline CSV).
pub fn is_gx_suite(text: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Probe {
        expectations: Option<serde::de::IgnoredAny>,
        tests: Option<serde::de::IgnoredAny>,
        version: Option<serde::de::IgnoredAny>,
    }
    if Format::of_text(text) != Format::Json {
        return false;
    }
    let text = text.trim_start_matches('\u{feff}');
    matches!(
        serde_json::from_str::<Probe>(text),
        Ok(Probe { expectations: Some(_), tests: None, version: None })
    )
}

/// Reads a GX suite (JSON, either format) into an mltest suite; `file` names it in errors,
/// which give the field's path in the GX file (`expectations[3].kwargs.column`).
pub fn import(text: &str, file: &str) -> Result<Imported, SuiteError> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(SuiteError::at_path(file, "", "the file is empty".into()));
    }
    // The bounds and the value reader of an mltest suite: no key given twice, nesting bounded.
    suite::check_bounds(text, Format::Json, file)?;
    let value = suite::read_value(text, Format::Json, file)?;
    from_value(value, file)
}

/// [`import`] of a suite already parsed.
pub fn from_value(value: Value, file: &str) -> Result<Imported, SuiteError> {
    let error = |path: &str, message: String| SuiteError::at_path(file, path, message);
    let Value::Object(top) = value else {
        return Err(error("", "a Great Expectations suite is a JSON object with `expectations`".into()));
    };
    if top.contains_key("tests") && top.contains_key("version") {
        return Err(error(
            "",
            "this is an mltest suite, not a Great Expectations one: run it with `mltest run`".into(),
        ));
    }
    let version = Version::of(&top);
    let name = match top.get(version.name_field()) {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name.clone()),
        Some(other) => {
            return Err(error(version.name_field(), format!("{other} is not a name; use a string")))
        }
    };
    let expectations = match top.get("expectations") {
        Some(Value::Array(list)) => list,
        Some(other) => {
            return Err(error(
                "expectations",
                format!("{} is not a list of expectations", excerpt(&other.to_string())),
            ))
        }
        None => {
            return Err(error(
                "expectations",
                "missing: a Great Expectations suite lists its `expectations` (is this a GX suite file?)"
                    .into(),
            ))
        }
    };

    let mut tests = Tests::default();
    let mut left_out = LeftOuts::default();
    for (index, expectation) in expectations.iter().enumerate() {
        let at = format!("expectations[{index}]");
        let read =
            read_expectation(expectation, version, &at).map_err(|(path, message)| error(&path, message))?;
        match read.mapping {
            Mapping::LeftOut(reason) => left_out.add(&read.ty, reason),
            Mapping::Tests(mapped) => {
                let base = read.id.clone().unwrap_or_else(|| default_id(&read.ty, read.column.as_deref()));
                let described = match &read.description {
                    Some(text) => format!("{at} {}: {text}", read.ty),
                    None => format!("{at} {}", read.ty),
                };
                // A suffix tells apart the tests of one expectation; one test takes the id.
                let several = mapped.len() > 1;
                for test in mapped {
                    let id = match &test.suffix {
                        Some(suffix) if several => format!("{base}-{suffix}"),
                        _ => base.clone(),
                    };
                    let mut params = test.params;
                    if read.severity == Severity::Warn {
                        params.insert("severity".into(), json!("warn"));
                    }
                    params.insert("description".into(), json!(described));
                    tests.push(&id, test.kind, Value::Object(params));
                }
            }
        }
    }

    let mut doc = Map::new();
    doc.insert("version".into(), json!(suite::VERSION));
    if let Some(name) = &name {
        doc.insert("name".into(), json!(name));
    }
    doc.insert(
        "description".into(),
        json!(format!("Imported from a Great Expectations suite (format {})", version.label())),
    );
    // The data is given when the suite runs (`--data`, or the page's loaded file).
    doc.insert("data".into(), json!({"source": "file"}));
    doc.insert("tests".into(), Value::Array(tests.list));
    let doc = Value::Object(doc);
    let text = suite::write(&doc) + "\n";
    // Every test was checked as it was made; an error here is the import's own, named as such.
    let suite = suite::from_value(doc, file).map_err(|e| {
        error("", format!("the imported suite does not read back ({e}); this is a bug in mltest"))
    })?;
    Ok(Imported { suite, text, expectations: expectations.len(), left_out: left_out.0 })
}

/// One expectation, read: its type, the test id and description it gives, and its mapping.
struct Read {
    ty: String,
    column: Option<String>,
    id: Option<String>,
    description: Option<String>,
    severity: Severity,
    mapping: Mapping,
}

/// What an expectation becomes.
enum Mapping {
    Tests(Vec<Mapped>),
    LeftOut(String),
}

/// One test an expectation becomes: `suffix` tells apart the tests of one expectation (a
/// quantile each).
struct Mapped {
    suffix: Option<String>,
    kind: &'static str,
    params: Map<String, Value>,
}

impl Mapped {
    fn one(kind: &'static str, params: Map<String, Value>) -> Mapping {
        Mapping::Tests(vec![Mapped { suffix: None, kind, params }])
    }
}

/// A bad field: its path and what is wrong.
type Bad = (String, String);

fn read_expectation(value: &Value, version: Version, at: &str) -> Result<Read, Bad> {
    let Value::Object(fields) = value else {
        return Err((
            at.to_owned(),
            format!("an expectation is an object with `{}` and `kwargs`", version.type_field()),
        ));
    };
    // Either name is taken in either format: files converted by hand mix them.
    let ty = match fields
        .get(version.type_field())
        .or_else(|| fields.get("type"))
        .or_else(|| fields.get("expectation_type"))
    {
        Some(Value::String(ty)) if !ty.trim().is_empty() => ty.clone(),
        Some(other) => {
            return Err((
                format!("{at}.{}", version.type_field()),
                format!("{other} is not an expectation type"),
            ))
        }
        None => {
            return Err((
                format!("{at}.{}", version.type_field()),
                "missing: every expectation names its type (`expect_…`)".into(),
            ))
        }
    };
    let kwargs = match fields.get("kwargs") {
        Some(Value::Object(kwargs)) => kwargs,
        Some(other) => {
            return Err((format!("{at}.kwargs"), format!("{} is not an object", excerpt(&other.to_string()))))
        }
        None => return Err((format!("{at}.kwargs"), "missing: every expectation has its `kwargs`".into())),
    };
    let meta = match fields.get("meta") {
        None | Some(Value::Null) => None,
        Some(Value::Object(meta)) => Some(meta),
        Some(other) => {
            return Err((format!("{at}.meta"), format!("{} is not an object", excerpt(&other.to_string()))))
        }
    };
    let id = match meta.and_then(|m| m.get("mltest_id")) {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) if !id.trim().is_empty() => Some(id.clone()),
        Some(other) => return Err((format!("{at}.meta.mltest_id"), format!("{other} is not a test id"))),
    };
    let severity = match fields.get("severity") {
        None | Some(Value::Null) => Severity::Fail,
        Some(Value::String(s)) if s == "critical" => Severity::Fail,
        // An informational expectation does not fail a GX checkpoint either.
        Some(Value::String(s)) if s == "warning" || s == "info" => Severity::Warn,
        Some(other) => {
            return Err((
                format!("{at}.severity"),
                format!("{other} is not a severity; GX has critical, warning and info"),
            ))
        }
    };
    let description = match fields.get("description") {
        Some(Value::String(text)) if !text.trim().is_empty() => Some(text.clone()),
        _ => None,
    };
    let kw = Kwargs { map: kwargs, at: format!("{at}.kwargs") };
    let column = match kwargs.get("column") {
        Some(Value::String(column)) => Some(column.clone()),
        _ => None,
    };
    let mapping = match unreadable(kwargs) {
        Some(reason) => Mapping::LeftOut(reason),
        None => map(&ty, &kw)?,
    };
    Ok(Read { ty, column, id, description, severity, mapping })
}

/// Why an expectation's kwargs cannot be read before GX runs, whatever its type.
fn unreadable(kwargs: &Map<String, Value>) -> Option<String> {
    for (name, value) in kwargs {
        if is_parameter(value) {
            return Some(format!("`{name}` is a suite parameter (`$PARAMETER`), known only when GX runs"));
        }
    }
    match kwargs.get("row_condition") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(_) => Some("`row_condition` tests only the rows it selects; mltest tests every row".into()),
    }
}

fn is_parameter(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.contains_key("$PARAMETER") || map.values().any(is_parameter),
        Value::Array(items) => items.iter().any(is_parameter),
        _ => false,
    }
}

/// The id of a test made from an expectation without `meta.mltest_id`:
/// `values_to_be_between-bill_length_mm`, `row_count_to_equal`.
fn default_id(ty: &str, column: Option<&str>) -> String {
    let short = ty.strip_prefix("expect_").unwrap_or(ty);
    let short = short.strip_prefix("column_").or_else(|| short.strip_prefix("table_")).unwrap_or(short);
    match column {
        Some(column) => format!("{short}-{column}"),
        None => short.to_owned(),
    }
}

/// The kwargs of one expectation, read with their path for errors.
struct Kwargs<'a> {
    map: &'a Map<String, Value>,
    at: String,
}

/// A GX bound: absent, a number, or something mltest does not compare (a date, a text).
enum Bound {
    None,
    /// The value, and the number as written (`6` stays `6`, not `6.0`).
    Number(f64, serde_json::Number),
    Other,
}

impl Kwargs<'_> {
    fn bad(&self, name: &str, message: String) -> Bad {
        (format!("{}.{name}", self.at), message)
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    fn column(&self) -> Result<String, Bad> {
        match self.get("column") {
            Some(Value::String(column)) if !column.is_empty() => Ok(column.clone()),
            Some(other) => Err(self.bad("column", format!("{other} is not a column name"))),
            None => Err(self.bad("column", "missing: the expectation names no column".into())),
        }
    }

    fn bound(&self, name: &str) -> Result<Bound, Bad> {
        match self.get(name) {
            None => Ok(Bound::None),
            Some(Value::Number(n)) => match n.as_f64() {
                Some(x) if x.is_finite() => Ok(Bound::Number(x, n.clone())),
                _ => Err(self.bad(name, format!("{n} is not a finite number"))),
            },
            Some(Value::String(_)) => Ok(Bound::Other),
            Some(other) => Err(self.bad(name, format!("{} is not a bound", excerpt(&other.to_string())))),
        }
    }

    fn flag(&self, name: &str) -> Result<bool, Bad> {
        match self.get(name) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(self.bad(name, format!("{other} is not true or false"))),
        }
    }

    /// `mostly`, when it lets some values fail (GX's default 1 is left out).
    fn mostly(&self) -> Result<Option<f64>, Bad> {
        match self.get("mostly") {
            None => Ok(None),
            Some(Value::Number(n)) => match n.as_f64() {
                Some(1.0) => Ok(None),
                Some(x) if (0.0..=1.0).contains(&x) => Ok(Some(x)),
                _ => Err(self.bad("mostly", format!("{n} is not a share from 0 to 1"))),
            },
            Some(other) => Err(self.bad("mostly", format!("{other} is not a share from 0 to 1"))),
        }
    }

    /// A list of column names, each once.
    fn names(&self, name: &str) -> Result<Option<Vec<String>>, Bad> {
        let Some(value) = self.get(name) else { return Ok(None) };
        let Value::Array(items) = value else {
            return Err(
                self.bad(name, format!("{} is not a list of column names", excerpt(&value.to_string())))
            );
        };
        let mut names = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::String(s) => names.push(s.clone()),
                other => {
                    return Err(self.bad(&format!("{name}[{i}]"), format!("{other} is not a column name")))
                }
            }
        }
        Ok(Some(names))
    }

    /// A `value_set`: its values, nulls dropped (GX skips null cells before comparing, so a
    /// null in the set allows nothing).
    fn value_set(&self) -> Result<Option<Vec<Value>>, Bad> {
        let Some(value) = self.get("value_set") else { return Ok(None) };
        let Value::Array(items) = value else {
            return Err(
                self.bad("value_set", format!("{} is not a list of values", excerpt(&value.to_string())))
            );
        };
        let mut values = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::Null => {}
                Value::Array(_) | Value::Object(_) => {
                    return Err(self.bad(
                        &format!("value_set[{i}]"),
                        format!("{} is not a value a cell holds", excerpt(&item.to_string())),
                    ))
                }
                value => values.push(value.clone()),
            }
        }
        Ok(Some(values))
    }

    /// `column` as an mltest test's parameters.
    fn column_params(&self) -> Result<Map<String, Value>, Bad> {
        let mut params = Map::new();
        params.insert("column".into(), json!(self.column()?));
        Ok(params)
    }

    /// `params` with `mostly`, when it is below 1.
    fn with_mostly(&self, mut params: Map<String, Value>) -> Result<Map<String, Value>, Bad> {
        if let Some(mostly) = self.mostly()? {
            params.insert("mostly".into(), json!(mostly));
        }
        Ok(params)
    }
}

/// Why a bound that is not a number is not read.
const NOT_NUMBERS: &str = "a bound that is not a number (a date, a text) is not compared by mltest";

/// The test(s) an expectation becomes, or why none.
fn map(ty: &str, kw: &Kwargs<'_>) -> Result<Mapping, Bad> {
    let stat = |stat: &str| -> Result<Mapping, Bad> {
        let mut params = kw.column_params()?;
        params.insert("stat".into(), json!(stat));
        match bounds(kw, &mut params)? {
            Some(reason) => Ok(Mapping::LeftOut(reason)),
            None => Ok(checked(kw, Mapped::one("column_stat_between", params))?),
        }
    };
    let mapping = match ty {
        "expect_column_values_to_not_be_null" => {
            // GX: `(rows - nulls) / rows >= mostly` over every row; mltest's `mostly` is that.
            Mapped::one("not_null", kw.with_mostly(kw.column_params()?)?)
        }
        "expect_column_values_to_be_between" => {
            let mut params = kw.column_params()?;
            match bounds(kw, &mut params)? {
                Some(reason) => return Ok(Mapping::LeftOut(reason)),
                None if !params.contains_key("min") && !params.contains_key("max") => {
                    // GX raises "min_value and max_value cannot both be None" too.
                    return Err(kw.bad("min_value", "give `min_value`, `max_value` or both".into()));
                }
                None => Mapped::one("values_between", kw.with_mostly(params)?),
            }
        }
        "expect_column_values_to_be_in_set" | "expect_column_distinct_values_to_be_in_set" => {
            // The distinct values are all in the set exactly when every value is.
            let mut params = kw.column_params()?;
            match kw.value_set()? {
                None => return Ok(Mapping::LeftOut("no `value_set`: GX passes any value".into())),
                Some(values) if values.is_empty() => {
                    return Ok(Mapping::LeftOut("an empty `value_set`: every value fails".into()))
                }
                Some(values) => params.insert("allowed".into(), Value::Array(values)),
            };
            if ty == "expect_column_values_to_be_in_set" {
                params = kw.with_mostly(params)?;
            }
            Mapped::one("values_in_set", params)
        }
        "expect_column_values_to_be_unique" => {
            // pandas `~column.duplicated(keep=False)` over the non-null values: every row of a
            // repeated value fails, as in `unique`.
            Mapped::one("unique", kw.with_mostly(kw.column_params()?)?)
        }
        "expect_column_values_to_match_regex" => {
            let mut params = kw.column_params()?;
            let pattern = match kw.get("regex") {
                Some(Value::String(pattern)) => pattern.clone(),
                Some(other) => return Err(kw.bad("regex", format!("{other} is not a pattern"))),
                None => return Err(kw.bad("regex", "missing: the pattern to match".into())),
            };
            // pandas `str.contains`, a search like mltest's. Python's `re` reads look-arounds
            // and back-references, which mltest's regex engine does not.
            if let Err(err) = Pattern::new(&pattern) {
                let reason = err.to_string();
                let reason = reason.lines().last().unwrap_or("").trim();
                return Ok(Mapping::LeftOut(format!(
                    "the pattern `{}` is Python's and not one mltest reads ({reason})",
                    excerpt(&pattern)
                )));
            }
            params.insert("pattern".into(), json!(pattern));
            Mapped::one("matches_regex", kw.with_mostly(params)?)
        }
        "expect_table_row_count_to_be_between" => return row_count(kw),
        "expect_table_row_count_to_equal" => {
            let rows = match kw.get("value") {
                Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64().unwrap_or_default(),
                Some(other) => return Err(kw.bad("value", format!("{other} is not a row count"))),
                None => return Err(kw.bad("value", "missing: the row count expected".into())),
            };
            let mut params = Map::new();
            params.insert("min".into(), json!(rows));
            params.insert("max".into(), json!(rows));
            Mapped::one("row_count_between", params)
        }
        "expect_column_mean_to_be_between" => return stat("mean"),
        "expect_column_median_to_be_between" => return stat("median"),
        // pandas `Series.std()`: ddof 1, as mltest's `std`.
        "expect_column_stdev_to_be_between" => return stat("std"),
        "expect_column_min_to_be_between" => return stat("min"),
        "expect_column_max_to_be_between" => return stat("max"),
        "expect_column_quantile_values_to_be_between" => return quantiles(kw),
        "expect_table_columns_to_match_set" => {
            let Some(mut columns) = kw.names("column_set")? else {
                return Ok(Mapping::LeftOut("no `column_set`".into()));
            };
            // A set: a name given twice is one column.
            let mut seen = std::collections::HashSet::new();
            columns.retain(|c| seen.insert(c.clone()));
            if columns.is_empty() {
                return Ok(Mapping::LeftOut("an empty `column_set`".into()));
            }
            // GX's `exact_match` is true unless given.
            let exact = match kw.get("exact_match") {
                None => true,
                Some(Value::Bool(b)) => *b,
                Some(other) => return Err(kw.bad("exact_match", format!("{other} is not true or false"))),
            };
            let mut params = Map::new();
            params.insert("columns".into(), json!(columns));
            if exact {
                params.insert("exact".into(), json!(true));
            }
            Mapped::one("columns_present", params)
        }
        "expect_table_columns_to_match_ordered_list" => {
            let Some(columns) = kw.names("column_list")? else {
                return Ok(Mapping::LeftOut("no `column_list`".into()));
            };
            let mut seen = std::collections::HashSet::new();
            if columns.is_empty() || !columns.iter().all(|c| seen.insert(c)) {
                return Ok(Mapping::LeftOut(
                    "a `column_list` that is empty or names a column twice, which no header of unique names equals".into(),
                ));
            }
            // All listed, nothing else, in this order: the header equals the list.
            let mut params = Map::new();
            params.insert("columns".into(), json!(columns));
            params.insert("exact".into(), json!(true));
            params.insert("ordered".into(), json!(true));
            Mapped::one("columns_present", params)
        }
        "expect_column_to_exist" => {
            if kw.get("column_index").is_some() {
                return Ok(Mapping::LeftOut(
                    "`column_index` asks for a position; mltest checks the order of the columns it lists"
                        .into(),
                ));
            }
            let mut params = Map::new();
            params.insert("columns".into(), json!([kw.column()?]));
            Mapped::one("columns_present", params)
        }
        "expect_column_unique_value_count_to_be_between" => return distinct_count(kw),
        other => return Ok(Mapping::LeftOut(unmapped(other))),
    };
    checked(kw, mapping)
}

/// Copies GX's `min_value`/`max_value`/`strict_*` into `params` as `min`/`max`/`strict_*`;
/// the reason to leave the expectation out when a bound is not a number.
fn bounds(kw: &Kwargs<'_>, params: &mut Map<String, Value>) -> Result<Option<String>, Bad> {
    for (gx, ours) in [("min_value", "min"), ("max_value", "max")] {
        match kw.bound(gx)? {
            Bound::None => {}
            Bound::Number(_, written) => {
                params.insert(ours.into(), Value::Number(written));
            }
            Bound::Other => return Ok(Some(NOT_NUMBERS.into())),
        }
    }
    for name in ["strict_min", "strict_max"] {
        if kw.flag(name)? {
            params.insert(name.into(), json!(true));
        }
    }
    if !params.contains_key("min") && !params.contains_key("max") && params.contains_key("stat") {
        return Ok(Some("no bound: GX passes any value the column has".into()));
    }
    Ok(None)
}

/// `expect_table_row_count_to_be_between`: the row count is a whole number, so GX's bounds
/// (which may be fractional or strict) become the whole counts they allow.
fn row_count(kw: &Kwargs<'_>) -> Result<Mapping, Bad> {
    let (strict_min, strict_max) = (kw.flag("strict_min")?, kw.flag("strict_max")?);
    let number = |name: &str| -> Result<Option<f64>, Bad> {
        match kw.bound(name)? {
            Bound::None => Ok(None),
            Bound::Number(x, _) => Ok(Some(x)),
            Bound::Other => Err(kw.bad(name, "is not a row count".into())),
        }
    };
    let min = number("min_value")?.map(|m| if strict_min { m.floor() + 1.0 } else { m.ceil() });
    let max = number("max_value")?.map(|m| if strict_max { m.ceil() - 1.0 } else { m.floor() });
    if max.is_some_and(|m| m < 0.0) {
        return Err(kw.bad("max_value", "below 0: no table has so few rows".into()));
    }
    let mut params = Map::new();
    // A lower bound of 0 or less allows every table.
    if let Some(min) = min.filter(|&m| m > 0.0) {
        params.insert("min".into(), json!(min as u64));
    }
    if let Some(max) = max {
        params.insert("max".into(), json!(max as u64));
    }
    if params.is_empty() {
        return Ok(Mapping::LeftOut("no bound: GX passes any row count".into()));
    }
    checked(kw, Mapped::one("row_count_between", params))
}

/// `expect_column_quantile_values_to_be_between`: one `column_stat_between` per quantile,
/// interpolated as pandas is asked to (`nearest` unless `allow_relative_error` names another
/// of pandas' methods), each within GX's tolerance of its bounds. GX passes when all pass.
fn quantiles(kw: &Kwargs<'_>) -> Result<Mapping, Bad> {
    let column = kw.column()?;
    let interpolation = match kw.get("allow_relative_error") {
        None | Some(Value::Bool(false)) => Interpolation::Nearest,
        Some(Value::Number(n)) if n.as_f64() == Some(0.0) => Interpolation::Nearest,
        Some(Value::String(name)) => match serde_json::from_value(json!(name)) {
            Ok(method) => method,
            Err(_) => return Err(kw.bad("allow_relative_error", format!("`{name}` is not one of pandas' interpolation methods"))),
        },
        Some(other) => {
            return Ok(Mapping::LeftOut(format!(
                "`allow_relative_error` {other} asks a SQL or Spark engine for an approximate quantile; on pandas GX refuses it"
            )))
        }
    };
    let Some(Value::Object(ranges)) = kw.get("quantile_ranges") else {
        return Err(kw.bad("quantile_ranges", "missing: `quantiles` and their `value_ranges`".into()));
    };
    let at = |field: &str| format!("quantile_ranges.{field}");
    let (Some(Value::Array(qs)), Some(Value::Array(value_ranges))) =
        (ranges.get("quantiles"), ranges.get("value_ranges"))
    else {
        return Err(kw.bad(&at("quantiles"), "`quantiles` and `value_ranges` are two lists".into()));
    };
    if qs.len() != value_ranges.len() {
        return Err(kw.bad(
            &at("value_ranges"),
            format!("{} ranges for {} quantiles: give one range per quantile", value_ranges.len(), qs.len()),
        ));
    }
    let mut mapped = Vec::new();
    for (i, (q, range)) in qs.iter().zip(value_ranges).enumerate() {
        let q = match q.as_f64() {
            Some(q) if (0.0..=1.0).contains(&q) => q,
            _ => {
                return Err(
                    kw.bad(&at(&format!("quantiles[{i}]")), format!("{q} is not a quantile from 0 to 1"))
                )
            }
        };
        let bounds = match range.as_array().map(Vec::as_slice) {
            Some([lo, hi]) => [lo, hi],
            _ => {
                return Err(
                    kw.bad(&at(&format!("value_ranges[{i}]")), format!("{range} is not a pair [min, max]"))
                )
            }
        };
        let mut params = Map::new();
        params.insert("column".into(), json!(column));
        params.insert("stat".into(), json!("quantile"));
        params.insert("q".into(), json!(q));
        if interpolation != Interpolation::Linear {
            params.insert("interpolation".into(), json!(interpolation));
        }
        for (bound, name) in bounds.into_iter().zip(["min", "max"]) {
            match bound {
                Value::Null => {}
                Value::Number(n) if n.as_f64().is_some_and(f64::is_finite) => {
                    params.insert(name.into(), json!(n));
                }
                Value::String(_) => return Ok(Mapping::LeftOut(NOT_NUMBERS.into())),
                other => {
                    return Err(kw.bad(&at(&format!("value_ranges[{i}]")), format!("{other} is not a bound")))
                }
            }
        }
        // A range of [null, null] passes any quantile the column has: nothing to test.
        if params.contains_key("min") || params.contains_key("max") {
            params.insert("rtol".into(), json!(QUANTILE_RTOL));
            mapped.push(Mapped { suffix: Some(format!("q{}", num(q))), kind: "column_stat_between", params });
        }
    }
    if mapped.is_empty() {
        return Ok(Mapping::LeftOut("no bound: GX passes any quantile the column has".into()));
    }
    checked(kw, Mapping::Tests(mapped))
}

/// `expect_column_unique_value_count_to_be_between` is `not_constant` when it asks for at
/// least 2 distinct values and sets no upper bound (GX counts distinct non-null values, as
/// `not_constant` does).
fn distinct_count(kw: &Kwargs<'_>) -> Result<Mapping, Bad> {
    let column = kw.column()?;
    let at_least = match kw.bound("min_value")? {
        Bound::Number(m, _) if kw.flag("strict_min")? => m.floor() + 1.0,
        Bound::Number(m, _) => m.ceil(),
        Bound::None | Bound::Other => 0.0,
    };
    let no_max = matches!(kw.bound("max_value")?, Bound::None);
    if at_least == 2.0 && no_max {
        let mut params = Map::new();
        params.insert("column".into(), json!(column));
        return checked(kw, Mapped::one("not_constant", params));
    }
    Ok(Mapping::LeftOut(
        "mltest's `not_constant` checks for at least 2 distinct values; other counts have no test".into(),
    ))
}

/// Checks each test made as its kind would when the suite is read, so a bad value is reported
/// with its path in the GX file, not in the suite made from it.
fn checked(kw: &Kwargs<'_>, mapping: Mapping) -> Result<Mapping, Bad> {
    if let Mapping::Tests(tests) = &mapping {
        for test in tests {
            let check = match Check::from_params(test.kind, Value::Object(test.params.clone())) {
                Some(Ok(check)) => check,
                Some(Err(err)) => return Err((kw.at.clone(), err.into_inner().to_string())),
                None => return Err((kw.at.clone(), format!("`{}` is not a test kind", test.kind))),
            };
            if let Err(err) = check.validate() {
                let field = match err.field {
                    "min" => "min_value",
                    "max" => "max_value",
                    field => field,
                };
                return Err(kw.bad(field, err.message));
            }
        }
    }
    Ok(mapping)
}

/// Why an expectation type has no mltest test.
pub fn unmapped(ty: &str) -> String {
    let reason = match ty {
        "expect_column_values_to_be_of_type" | "expect_column_values_to_be_in_type_list" => {
            "GX compares the dtype pandas gives the column (one missing cell makes an integer column \
             float64, and pandas 3 reads text as `str`, not `object`); mltest's `column_type` reads \
             the values' type"
        }
        "expect_compound_columns_to_be_unique" | "expect_select_column_values_to_be_unique_within_record" => {
            "GX counts every row of a repeated combination; mltest's `no_duplicate_rows` counts the repeats only"
        }
        "expect_column_proportion_of_unique_values_to_be_between" => {
            "mltest's `unique` counts the rows of repeated values, not the share of distinct values"
        }
        _ => {
            return match spelling::closest_within(ty, MAPPED.iter().copied(), MAX_TYPE_SLIPS) {
                Some(known) => format!("not an expectation type mltest maps; did you mean `{known}`?"),
                None => "no mltest test has this meaning".into(),
            }
        }
    };
    reason.into()
}

/// The expectation types [`map`] reads, for the suggestion a misspelt type gets.
const MAPPED: &[&str] = &[
    "expect_column_values_to_not_be_null",
    "expect_column_values_to_be_between",
    "expect_column_values_to_be_in_set",
    "expect_column_distinct_values_to_be_in_set",
    "expect_column_values_to_be_unique",
    "expect_column_values_to_match_regex",
    "expect_table_row_count_to_be_between",
    "expect_table_row_count_to_equal",
    "expect_column_mean_to_be_between",
    "expect_column_median_to_be_between",
    "expect_column_stdev_to_be_between",
    "expect_column_min_to_be_between",
    "expect_column_max_to_be_between",
    "expect_column_quantile_values_to_be_between",
    "expect_table_columns_to_match_set",
    "expect_table_columns_to_match_ordered_list",
    "expect_column_to_exist",
    "expect_column_unique_value_count_to_be_between",
];

/// The edits a misspelt type may be from a mapped one: GX has hundreds of types, and a third
/// of a 40-letter name would take `…_to_be_increasing` for `…_to_be_in_set`.
const MAX_TYPE_SLIPS: usize = 2;

// ---------------------------------------------------------------------------------------
// export

/// Writes the enabled data tests of `suite` as a GX 1.x suite; `columns` are the data's
/// column names, which a test of every column (`"*"`) needs, since GX names one column per
/// expectation. Each expectation carries its test's id in `meta.mltest_id`, which [`import`]
/// reads back. Tests with no GX expectation of the same meaning are left out and listed.
pub fn export(suite: &Suite, columns: Option<&[String]>) -> Exported {
    let mut expectations = Vec::new();
    let mut left_out = LeftOuts::default();
    for test in &suite.tests {
        match expectations_of(test, columns) {
            Ok(list) => {
                for (ty, kwargs) in list {
                    let mut expectation = Map::new();
                    expectation.insert("type".into(), json!(ty));
                    expectation.insert("kwargs".into(), Value::Object(kwargs));
                    expectation.insert("meta".into(), json!({"mltest_id": test.id}));
                    if let Some(description) = &test.description {
                        expectation.insert("description".into(), json!(description));
                    }
                    let severity = match test.severity {
                        Severity::Fail => "critical",
                        Severity::Warn => "warning",
                    };
                    expectation.insert("severity".into(), json!(severity));
                    expectations.push(Value::Object(expectation));
                }
            }
            Err(reason) => left_out.add(test.check.kind(), reason),
        }
    }
    let count = expectations.len();
    let doc = json!({
        "name": suite.name.clone().unwrap_or_else(|| "mltest".to_owned()),
        "expectations": expectations,
        "meta": {"exported_by": format!("mltest {}", env!("CARGO_PKG_VERSION"))},
    });
    Exported {
        text: serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n",
        expectations: count,
        left_out: left_out.0,
    }
}

/// GX expectations as (type, kwargs).
type Expectations = Vec<(&'static str, Map<String, Value>)>;

/// Whether [`export`] needs the data's columns: a test of every column (`"*"`) becomes an
/// expectation per column.
pub fn needs_columns(suite: &Suite) -> bool {
    suite.tests.iter().any(|test| match &test.check {
        Check::NotNull(p) => p.column == ColumnSel::All,
        Check::NotConstant(p) => p.column == ColumnSel::All,
        _ => false,
    })
}

/// The GX expectations (type, kwargs) of one test, or why it has none.
fn expectations_of(test: &TestSpec, columns: Option<&[String]>) -> Result<Expectations, String> {
    if !test.enabled {
        return Err("disabled".into());
    }
    if test.check.family() != Family::Data {
        return Err(format!("a {} test: GX tests data, not a model", test.check.family().name()));
    }
    let one = |ty: &'static str, kwargs: Value| -> Result<Expectations, String> {
        match kwargs {
            Value::Object(map) => Ok(vec![(ty, map)]),
            _ => Ok(Vec::new()),
        }
    };
    // A test of every column becomes one expectation per column of the data.
    let each = |sel: &ColumnSel, ty: &'static str, kwargs: &dyn Fn(&str) -> Value| {
        let names: Vec<String> = match (sel, columns) {
            (ColumnSel::Named(name), _) => vec![name.clone()],
            (ColumnSel::All, Some(columns)) => columns.to_vec(),
            (ColumnSel::All, None) => {
                return Err("`*` names every column of the data, which the suite does not list: give the data (`--data`) or name the columns".to_owned())
            }
        };
        Ok(names
            .iter()
            .filter_map(|name| match kwargs(name) {
                Value::Object(map) => Some((ty, map)),
                _ => None,
            })
            .collect())
    };
    let mostly = |mostly: f64| (mostly < 1.0).then_some(mostly);
    match &test.check {
        Check::NotNull(p) => {
            // `max_missing_ratio` r is not GX's `mostly: 1 - r` to the last bit (see
            // `NotNull`); 0 is `mostly` 1 exactly.
            let share = match (p.mostly, p.max_missing_ratio.get()) {
                (Some(m), _) => mostly(m.get()),
                (None, 0.0) => None,
                (None, _) => {
                    return Err("`max_missing_ratio` is not GX's `mostly` to the last bit: write `mostly` (the share present) to export it".into())
                }
            };
            each(&p.column, "expect_column_values_to_not_be_null", &|name| {
                with_mostly(json!({"column": name}), share)
            })
        }
        Check::ColumnsPresent(p) => match (p.exact, p.ordered) {
            (true, true) => {
                one("expect_table_columns_to_match_ordered_list", json!({"column_list": p.columns}))
            }
            (exact, false) => one(
                "expect_table_columns_to_match_set",
                json!({"column_set": p.columns, "exact_match": exact}),
            ),
            (false, true) => {
                Err("GX checks the order of the whole header only (`exact` with `ordered`)".into())
            }
        },
        Check::ColumnType(_) => Err(unmapped("expect_column_values_to_be_of_type")),
        Check::ValuesBetween(p) => {
            let mut kwargs = json!({"column": p.column});
            between(&mut kwargs, p.min, p.max, p.strict_min, p.strict_max);
            one("expect_column_values_to_be_between", with_mostly(kwargs, mostly(p.mostly.get())))
        }
        Check::ValuesInSet(p) => one(
            "expect_column_values_to_be_in_set",
            with_mostly(json!({"column": p.column, "value_set": p.allowed}), mostly(p.mostly.get())),
        ),
        Check::Unique(p) => one(
            "expect_column_values_to_be_unique",
            with_mostly(json!({"column": p.column}), mostly(p.mostly.get())),
        ),
        Check::MatchesRegex(p) => one(
            "expect_column_values_to_match_regex",
            with_mostly(json!({"column": p.column, "regex": p.pattern.as_str()}), mostly(p.mostly.get())),
        ),
        Check::RowCountBetween(p) => {
            let mut kwargs = json!({});
            if let Some(min) = p.min {
                kwargs["min_value"] = json!(min);
            }
            if let Some(max) = p.max {
                kwargs["max_value"] = json!(max);
            }
            one("expect_table_row_count_to_be_between", kwargs)
        }
        Check::ColumnStatBetween(p) => {
            let ty = match p.stat {
                Stat::Mean => "expect_column_mean_to_be_between",
                Stat::Median => "expect_column_median_to_be_between",
                Stat::Std => "expect_column_stdev_to_be_between",
                Stat::Min => "expect_column_min_to_be_between",
                Stat::Max => "expect_column_max_to_be_between",
                Stat::Quantile => return quantile_expectation(p),
            };
            if p.rtol.is_some() {
                return Err("`rtol`: GX compares this statistic with its bounds exactly".into());
            }
            let mut kwargs = json!({"column": p.column});
            between(&mut kwargs, p.min, p.max, p.strict_min, p.strict_max);
            one(ty, kwargs)
        }
        Check::NoDuplicateRows(_) => Err(unmapped("expect_compound_columns_to_be_unique")),
        Check::NotConstant(p) => each(
            &p.column,
            "expect_column_unique_value_count_to_be_between",
            &|name| json!({"column": name, "min_value": 2}),
        ),
        other => Err(format!("no GX expectation has the meaning of `{}`", other.kind())),
    }
}

/// A quantile test as GX's quantile expectation, which reads pandas' methods by name and
/// always allows [`QUANTILE_RTOL`] of a bound.
fn quantile_expectation(p: &ColumnStatBetween) -> Result<Expectations, String> {
    if p.rtol != Some(QUANTILE_RTOL) {
        return Err(format!(
            "GX lets a quantile within 0.01% of a bound pass: give the test `\"rtol\": {}` to export it",
            num(QUANTILE_RTOL)
        ));
    }
    if p.strict_min || p.strict_max {
        return Err("GX's quantile bounds are inclusive only".into());
    }
    let q = p.q.map_or(0.5, |q| q.get());
    let mut kwargs = json!({
        "column": p.column,
        "quantile_ranges": {"quantiles": [q], "value_ranges": [[p.min, p.max]]},
    });
    let method = p.interpolation.unwrap_or_default();
    if method != Interpolation::Nearest {
        kwargs["allow_relative_error"] = json!(method);
    }
    let Value::Object(map) = kwargs else { return Ok(Vec::new()) };
    Ok(vec![("expect_column_quantile_values_to_be_between", map)])
}

/// GX's bounds: `min_value`, `max_value` and the strict flags that are set.
fn between(kwargs: &mut Value, min: Option<f64>, max: Option<f64>, strict_min: bool, strict_max: bool) {
    if let Some(min) = min {
        kwargs["min_value"] = json!(min);
    }
    if let Some(max) = max {
        kwargs["max_value"] = json!(max);
    }
    if strict_min {
        kwargs["strict_min"] = json!(true);
    }
    if strict_max {
        kwargs["strict_max"] = json!(true);
    }
}

fn with_mostly(mut kwargs: Value, mostly: Option<f64>) -> Value {
    if let Some(mostly) = mostly {
        kwargs["mostly"] = json!(mostly);
    }
    kwargs
}

#[cfg(test)]
mod tests;
