//! The suite file (PRODUCT.md §2): one format for the page, the share link and the CLI.
//!
//! Reading is two steps, as ripgrep turns low-level flags into high-level ones: the text is
//! parsed (JSON or YAML) into serde types that reject unknown fields and kinds, then
//! [`parse`] validates what serde cannot see (a version it does not know, `min` above `max`,
//! two tests with one id) and returns a [`Suite`] that is known to be valid. Errors name the
//! file, the line where the parser knows it, and the field's path (`tests[2].mostly`).
//!
//! Before the parser, the text's size and nesting are bounded, and while it is parsed a key
//! given twice or a YAML `.nan` is refused ([`read_value`]): a suite comes from links and
//! pull requests, and must read to a reviewer as it runs.

mod error;
mod read;
pub mod suggest;

pub use error::SuiteError;
pub use read::{check_bounds, read_value, MAX_DEPTH, MAX_OPEN_BRACKETS, MAX_SUITE_BYTES, MAX_VALUES};

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::checks::{self, Check, Family, KINDS};
use crate::pipeline::fit::PipelineSpec;
use crate::pipeline::model::ModelSpec;
use crate::pipeline::preprocess::{PreprocessSpec, PreprocessStep};
use crate::pipeline::split::SplitSpec;
use crate::samples;
use crate::vocab::spelling::{did_you_mean, with_suggestion};
pub use crate::vocab::{Severity, Task};

/// The suite format this build writes and the newest it reads.
pub const VERSION: u32 = 1;

/// The text format of a suite file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

impl Format {
    /// JSON unless the file name ends in `.yaml` or `.yml`.
    pub fn from_path(path: &str) -> Format {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            Format::Yaml
        } else {
            Format::Json
        }
    }

    /// The format of a text with no file name (an editor, a paste): JSON when it starts with
    /// `{`, else YAML.
    pub fn of_text(text: &str) -> Format {
        match text.trim_start_matches('\u{feff}').trim_start().starts_with('{') {
            true => Format::Json,
            false => Format::Yaml,
        }
    }

    /// The name an edited suite of this format is given in errors.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Json => "suite.json",
            Format::Yaml => "suite.yaml",
        }
    }
}

/// Where the data comes from: `sample:NAME`, `inline` (the CSV is in the suite) or `file`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSpec {
    pub source: String,
    /// The CSV text, for `inline`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csv: Option<String>,
    /// The file's path relative to the suite file, for `file` (the CLI's `--data` overrides it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The data's SHA-256 and row count, so a different file is reported, not silently tested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<usize>,
}

/// [`DataSpec::source`], checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataSource<'a> {
    Sample(&'a str),
    Inline(&'a str),
    File(Option<&'a str>),
}

impl DataSpec {
    /// A bundled sample, `sample:NAME`.
    pub fn sample(name: &str) -> DataSpec {
        DataSpec { source: format!("sample:{name}"), csv: None, path: None, sha256: None, rows: None }
    }

    /// The CSV text itself, as a link carries small data.
    pub fn inline(csv: &str) -> DataSpec {
        DataSpec { source: "inline".into(), csv: Some(csv.to_owned()), path: None, sha256: None, rows: None }
    }

    /// A file the user supplies, fingerprinted so a different one is reported.
    pub fn file(path: &str, sha256: &str, rows: usize) -> DataSpec {
        DataSpec {
            source: "file".into(),
            csv: None,
            path: Some(path.to_owned()),
            sha256: Some(sha256.to_owned()),
            rows: Some(rows),
        }
    }

    pub fn kind(&self) -> DataSource<'_> {
        match (self.source.as_str(), self.source.strip_prefix("sample:")) {
            (_, Some(name)) => DataSource::Sample(name),
            ("inline", _) => DataSource::Inline(self.csv.as_deref().unwrap_or("")),
            _ => DataSource::File(self.path.as_deref()),
        }
    }

    fn validate(&self) -> Result<(), (&'static str, String)> {
        match self.source.as_str() {
            "inline" if self.csv.is_none() => {
                return Err(("csv", "an `inline` source needs the CSV text in `csv`".into()))
            }
            "inline" | "file" => {}
            source => match source.strip_prefix("sample:") {
                Some(name) if samples::get(name).is_none() => {
                    let known: Vec<&str> = samples::SAMPLES.iter().map(|s| s.name).collect();
                    let hint = did_you_mean(name, known.iter().copied());
                    return Err((
                        "source",
                        format!("no sample named `{name}`; {hint}samples: {}", known.join(", ")),
                    ));
                }
                Some(_) => {}
                None => {
                    let hint = did_you_mean(source, ["inline", "file"]);
                    return Err((
                        "source",
                        format!("`{source}` is not a source; {hint}use `sample:NAME`, `inline` or `file`"),
                    ));
                }
            },
        }
        if self.csv.is_some() && self.source != "inline" {
            return Err(("csv", "`csv` is only read with `\"source\": \"inline\"`".into()));
        }
        if self.path.is_some() && self.source != "file" {
            return Err(("path", "`path` is only read with `\"source\": \"file\"`".into()));
        }
        if let Some(sha) = &self.sha256 {
            if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(("sha256", format!("`{sha}` is not a SHA-256 (64 hex digits)")));
            }
        }
        Ok(())
    }
}

/// One test of the suite: the fields every test has, and its kind with its parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestSpec {
    pub id: String,
    #[serde(flatten)]
    pub check: Check,
    pub severity: Severity,
    #[serde(skip_serializing_if = "is_true")]
    pub enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

fn is_true(value: &bool) -> bool {
    *value
}

/// A validated suite. Only [`parse`] makes one, so every value in it is known to be valid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suite {
    pub version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub data: DataSpec,
    /// The data `drift` compares with (PRODUCT.md §12), in the forms `data` takes; without
    /// it, drift compares the split's train part with its test part.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<DataSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task: Option<Task>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub features: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drop: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<SplitSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preprocess: Option<Vec<PreprocessStep>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelSpec>,
    pub tests: Vec<TestSpec>,
    /// The pipeline, checked: present when the suite has a `model`.
    #[serde(skip)]
    pub pipeline: Option<PipelineSpec>,
}

impl Suite {
    /// The suite's name for reports: its `name`, else the file it came from.
    pub fn title<'a>(&'a self, fallback: &'a str) -> &'a str {
        self.name.as_deref().unwrap_or(fallback)
    }

    /// The suite as JSON, in the form [`parse`] reads back.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// The top level of the file, before validation; tests stay raw so that each can be read
/// with its own path in errors.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuite {
    /// Checked before the rest is read (see [`from_value`]).
    #[allow(dead_code)]
    version: serde::de::IgnoredAny,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    data: DataSpec,
    #[serde(default)]
    reference: Option<DataSpec>,
    #[serde(default)]
    target: Option<String>,
    #[serde(default)]
    task: Option<Task>,
    #[serde(default)]
    features: Option<Vec<String>>,
    #[serde(default)]
    drop: Option<Vec<String>>,
    #[serde(default)]
    split: Option<SplitSpec>,
    #[serde(default)]
    preprocess: Option<Vec<PreprocessStep>>,
    #[serde(default)]
    model: Option<ModelSpec>,
    tests: Vec<Value>,
}

/// Reads and validates a suite; `file` names the source in errors.
pub fn parse(text: &str, format: Format, file: &str) -> Result<Suite, SuiteError> {
    if text.trim().is_empty() {
        return Err(SuiteError::at_path(file, "", "the suite file is empty".into()));
    }
    check_bounds(text, format, file)?;
    from_value(read_value(text, format, file)?, file)
}

/// Validates a suite already parsed into a JSON value (as a share link carries it).
pub fn from_value(value: Value, file: &str) -> Result<Suite, SuiteError> {
    let error = |path: &str, message: String| SuiteError::at_path(file, path, message);
    // The version is read first: a suite from a newer mltest gets that explanation, not a
    // complaint about a field this build has never heard of.
    let Value::Object(top) = &value else {
        return Err(error("", "a suite is a JSON object with `version`, `data` and `tests`".into()));
    };
    match top.get("version") {
        None => {
            return Err(error("version", format!("missing; this mltest writes `\"version\": {VERSION}`")))
        }
        Some(Value::Number(n)) if n.as_u64().is_some_and(|v| v > VERSION as u64) => {
            return Err(error(
                "version",
                format!(
                "the suite is version {n}, made by a newer mltest; this one reads up to version {VERSION}"
            ),
            ))
        }
        // `1.0` is version 1 too: YAML and some JSON writers print whole numbers that way.
        Some(Value::Number(n)) if n.as_f64() == Some(VERSION as f64) => {}
        Some(other) => {
            return Err(error("version", format!("{other} is not a suite version; use {VERSION}")))
        }
    }

    let raw: RawSuite = serde_path_to_error::deserialize(value).map_err(|e| {
        // serde_path_to_error writes the top level as "."; the error's path for it is empty.
        let path = e.path().to_string();
        error(if path == "." { "" } else { &path }, with_suggestion(&e.into_inner().to_string()).into_owned())
    })?;
    raw.data.validate().map_err(|(field, message)| error(&format!("data.{field}"), message))?;
    if let Some(reference) = &raw.reference {
        reference.validate().map_err(|(field, message)| error(&format!("reference.{field}"), message))?;
    }
    if raw.features.is_some() && raw.drop.is_some() {
        return Err(error(
            "drop",
            "give `features` (columns to use) or `drop` (columns to leave out), not both".into(),
        ));
    }

    let pipeline = read_pipeline(&raw).map_err(|(path, message)| error(&path, message))?;

    let mut ids = HashSet::new();
    let mut tests = Vec::with_capacity(raw.tests.len());
    for (index, test) in raw.tests.into_iter().enumerate() {
        let spec = read_test(test, index).map_err(|(path, message)| error(&path, message))?;
        if !ids.insert(spec.id.clone()) {
            return Err(error(
                &format!("tests[{index}].id"),
                format!("`{}` is the id of an earlier test; ids must be unique", spec.id),
            ));
        }
        let brought = pipeline.as_ref().is_some_and(|p| p.model.reads_outputs().is_some());
        if let Some(reason) = spec.check.needs_training().filter(|_| brought && spec.enabled) {
            return Err(error(
                &format!("tests[{index}] (`{}`)", spec.id),
                format!("{} cannot test a `predictions` model: {reason}", spec.check.kind()),
            ));
        }
        if spec.check.family() != Family::Data && pipeline.is_none() {
            return Err(error(
                &format!("tests[{index}] (`{}`)", spec.id),
                format!(
                    "{} is a {} test: the suite needs a `model` (with `target` and `task`) to train",
                    spec.check.kind(),
                    spec.check.family().name()
                ),
            ));
        }
        tests.push(spec);
    }
    // Bound the work a suite can start (a link with `run=1` starts it on opening).
    checks::check_fit_budget(tests.iter().map(|t| (t.id.as_str(), &t.check, t.enabled)), pipeline.is_some())
        .map_err(|(index, message)| error(&format!("tests[{index}] (`{}`)", tests[index].id), message))?;

    Ok(Suite {
        version: VERSION,
        name: raw.name,
        description: raw.description,
        data: raw.data,
        reference: raw.reference,
        target: raw.target,
        task: raw.task,
        features: raw.features,
        drop: raw.drop,
        split: raw.split,
        preprocess: raw.preprocess,
        model: raw.model,
        tests,
        pipeline,
    })
}

/// The checked pipeline, when the suite has a `model`. Errors are (path, message).
fn read_pipeline(raw: &RawSuite) -> Result<Option<PipelineSpec>, (String, String)> {
    let Some(model) = &raw.model else {
        for (field, given) in [("split", raw.split.is_some()), ("preprocess", raw.preprocess.is_some())] {
            if given {
                return Err((field.into(), "is only read with a `model` to train".into()));
            }
        }
        return Ok(None);
    };
    let target = raw.target.clone().ok_or_else(|| {
        ("target".to_owned(), "missing: a model needs the column it learns to predict".to_owned())
    })?;
    let task = raw
        .task
        .ok_or_else(|| ("task".to_owned(), "missing: say `classification` or `regression`".to_owned()))?;
    model.validate().map_err(|e| (format!("model.{}", e.field), e.message))?;
    if !model.supports(task) {
        let other = match task {
            Task::Classification => "regression",
            Task::Regression => "classification",
        };
        return Err((
            "model.kind".into(),
            format!("{} is a {other} model; the task is {}", model.kind(), task.name()),
        ));
    }
    if model.reads_outputs().is_some() {
        // Nothing is trained: there is nothing to split or preprocess.
        for (field, given) in [("split", raw.split.is_some()), ("preprocess", raw.preprocess.is_some())] {
            if given {
                return Err((
                    field.into(),
                    "a `predictions` model is not trained: every labelled row is evaluated as it is; leave it out".into(),
                ));
            }
        }
    }
    let split = raw.split.clone().unwrap_or_default();
    split.validate().map_err(|e| (format!("split.{}", e.field), e.message))?;
    if split.stratify && task == Task::Regression {
        return Err(("split.stratify".into(), "stratifying needs classes; the task is regression".into()));
    }
    let preprocess = PreprocessSpec::from_steps(raw.preprocess.as_deref().unwrap_or_default())
        .map_err(|(index, e)| (format!("preprocess[{index}].{}", e.field), e.message))?;
    Ok(Some(PipelineSpec {
        target,
        task,
        features: raw.features.clone(),
        drop: raw.drop.clone().unwrap_or_default(),
        split,
        preprocess,
        model: model.clone(),
    }))
}

/// Reads one test: the common fields first, then the rest must be exactly its kind's
/// parameters. Errors are (path, message).
fn read_test(value: Value, index: usize) -> Result<TestSpec, (String, String)> {
    let at = |field: &str| format!("tests[{index}].{field}");
    let Value::Object(mut fields) = value else {
        return Err((format!("tests[{index}]"), "a test is an object with `id` and `kind`".into()));
    };
    let id = match fields.remove("id") {
        Some(Value::String(id)) if !id.trim().is_empty() => id,
        Some(Value::String(_)) => return Err((at("id"), "the id is empty".into())),
        Some(other) => return Err((at("id"), format!("{other} is not an id; use a string"))),
        None => return Err((at("id"), "missing: every test has an `id`".into())),
    };
    // From here on, errors also name the test's id, so the person can find it by eye.
    let at = |field: &str| format!("tests[{index}] (`{id}`).{field}");
    let take = |fields: &mut Map<String, Value>, name: &str| fields.remove(name);
    let severity = match take(&mut fields, "severity") {
        None => Severity::Fail,
        Some(v) => serde_json::from_value(v.clone())
            .map_err(|_| (at("severity"), format!("{v} is not a severity; use \"fail\" or \"warn\"")))?,
    };
    let enabled = match take(&mut fields, "enabled") {
        None => true,
        Some(Value::Bool(b)) => b,
        Some(v) => return Err((at("enabled"), format!("{v} is not true or false"))),
    };
    let description = match take(&mut fields, "description") {
        None => None,
        Some(Value::String(s)) => Some(s),
        Some(v) => return Err((at("description"), format!("{v} is not a string"))),
    };
    let kind = match fields.remove("kind") {
        Some(Value::String(kind)) => kind,
        Some(v) => return Err((at("kind"), format!("{v} is not a test kind name"))),
        None => return Err((at("kind"), "missing: every test has a `kind`".into())),
    };
    let Some(read) = Check::from_params(&kind, Value::Object(fields)) else {
        let hint = did_you_mean(&kind, KINDS.iter().copied());
        return Err((at("kind"), format!("`{kind}` is not a test kind; {hint}kinds: {}", KINDS.join(", "))));
    };
    let check = read.map_err(|e| {
        let path = e.path().to_string();
        let at = if path == "." { at("").trim_end_matches('.').to_owned() } else { at(&path) };
        (at, with_suggestion(&e.into_inner().to_string()).into_owned())
    })?;
    check.validate().map_err(|e| (at(e.field), e.message))?;
    Ok(TestSpec { id, check, severity, enabled, description })
}

/// A suite file's bytes as text; the error names the file (`name`) and the line of the first
/// bytes that are not UTF-8. The CLI and the page's "Open a suite file" read files this way.
pub fn text_of(name: &str, bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
        format!("{name}: line {line}: the bytes are not valid UTF-8; save the suite as UTF-8")
    })
}

/// A suite document as text: two-space indented at the top, each test and each nested value
/// on one line, as the example suites are written (the suite editor's forms and `mltest
/// import` write suites this way).
pub fn write(doc: &Value) -> String {
    let Value::Object(top) = doc else { return inline(doc) };
    let mut out = String::from("{\n");
    for (i, (key, value)) in top.iter().enumerate() {
        out.push_str(&format!("  {}: ", inline(&json!(key))));
        match value {
            Value::Array(items) if key == "tests" && !items.is_empty() => {
                out.push_str("[\n");
                let lines: Vec<String> = items.iter().map(|t| format!("    {}", inline(t))).collect();
                out.push_str(&lines.join(",\n"));
                out.push_str("\n  ]");
            }
            value => out.push_str(&inline(value)),
        }
        out.push_str(if i + 1 < top.len() { ",\n" } else { "\n" });
    }
    out.push('}');
    out
}

fn inline(value: &Value) -> String {
    match value {
        Value::Object(map) if map.is_empty() => "{}".into(),
        Value::Object(map) => {
            let fields: Vec<String> =
                map.iter().map(|(k, v)| format!("{}: {}", inline(&json!(k)), inline(v))).collect();
            format!("{{ {} }}", fields.join(", "))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(inline).collect::<Vec<_>>().join(", ")),
        scalar => scalar.to_string(),
    }
}

/// Parsers put " at line L column C" in their messages, which the error already says up front.
fn strip_location(message: &str) -> String {
    let Some(at) = message.find(" at line ") else {
        return message.to_owned();
    };
    // Skip "at line L column C" (digits and the word column) and keep what follows, such as
    // YAML's ", while parsing a block mapping".
    let rest = &message[at + " at line ".len()..];
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix(" column ").unwrap_or(rest);
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    format!("{}{rest}", &message[..at])
}

#[cfg(test)]
pub(crate) mod tests;
