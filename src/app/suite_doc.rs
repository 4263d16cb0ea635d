//! The suite editor's forms edit the suite's JSON text: each [`SuiteEdit`] parses the text
//! as a `serde_json::Value` (key order kept), changes it and writes it back, one line per
//! test. The textarea and the forms therefore show one document, and every edit is checked
//! by [`crate::suite::parse`] as typing in the textarea is.
//!
//! A form field's text goes into the document as typed: a number when it reads as a JSON
//! number, else a string, so a wrong value reaches the engine and its error (whose path
//! [`ErrorPlace`] reads) is shown beside the field.

use std::collections::HashSet;

use serde_json::{json, Map, Value};

pub use fields::{field_text, field_value, ErrorPlace};

use crate::checks::{catalog, KindInfo, Param, ParamType};
use crate::pipeline::model::model_info;
use crate::pipeline::prepare::sort_labels;
use crate::suite::Severity;
use crate::table::{ColumnProfile, ColumnType};

/// One change a form makes to the suite. Tests are named by their index in `tests`.
#[derive(Debug, Clone, PartialEq)]
pub enum SuiteEdit {
    /// A test of this kind, with a fresh id and parameters chosen from the data.
    AddTest {
        kind: String,
    },
    /// Complete test objects (suggestions); an id already taken gets a suffix `-2`, `-3`, ….
    AddTests(Vec<Value>),
    /// A parameter of a test; `None` leaves it out.
    SetParam {
        test: usize,
        name: String,
        value: Option<Value>,
    },
    SetId {
        test: usize,
        id: String,
    },
    SetEnabled {
        test: usize,
        enabled: bool,
    },
    SetSeverity {
        test: usize,
        severity: Severity,
    },
    Remove {
        test: usize,
    },
    /// Swaps the test with the one before it (`up`) or after it.
    Move {
        test: usize,
        up: bool,
    },
    /// `target`, `task`, `features` or `drop`; `None` leaves it out.
    SetTop {
        field: &'static str,
        value: Option<Value>,
    },
    /// A field of `split`; an empty `split` is left out.
    SetSplit {
        name: String,
        value: Option<Value>,
    },
    /// The `impute`, `scale` or `one_hot` step of `preprocess`; `None` removes the step.
    SetPreprocess {
        step: &'static str,
        value: Option<String>,
    },
    /// A model of this kind with default hyperparameters; an empty kind removes the model.
    SetModelKind(String),
    SetModelParam {
        name: String,
        value: Option<Value>,
    },
}

/// Applies `edit` to the suite `text`; `columns` (the loaded data's profile) chooses a new
/// test's parameters. Errors say why the text could not be edited.
pub fn apply(text: &str, edit: &SuiteEdit, columns: &[ColumnProfile]) -> Result<String, String> {
    let mut doc: Value = serde_json::from_str(text)
        .map_err(|e| format!("the suite is not valid JSON ({e}): fix it in the text"))?;
    let Value::Object(top) = &mut doc else {
        return Err("the suite is not a JSON object: fix it in the text".into());
    };
    edit_object(top, edit, columns)?;
    Ok(write(&doc))
}

fn test_at(tests: &mut [Value], index: usize) -> Result<&mut Map<String, Value>, String> {
    let count = tests.len();
    tests
        .get_mut(index)
        .and_then(Value::as_object_mut)
        .ok_or_else(|| format!("there is no test {index} of {count}"))
}

fn edit_object(
    top: &mut Map<String, Value>,
    edit: &SuiteEdit,
    columns: &[ColumnProfile],
) -> Result<(), String> {
    let target = top.get("target").and_then(Value::as_str).map(str::to_owned);
    let tests = match top.entry("tests").or_insert_with(|| json!([])) {
        Value::Array(tests) => tests,
        _ => return Err("`tests` is not a list: fix it in the text".into()),
    };
    let count = tests.len();
    match edit {
        SuiteEdit::AddTest { kind } => {
            let info = catalog::kind(kind).ok_or_else(|| format!("`{kind}` is not a test kind"))?;
            let mut taken = ids(tests);
            let id = fresh_id(&info.name.replace('_', "-"), &mut taken);
            tests.push(Value::Object(new_test(info, id, columns, target.as_deref())));
        }
        SuiteEdit::AddTests(proposals) => {
            let mut taken = ids(tests);
            for proposal in proposals {
                let Value::Object(mut test) = proposal.clone() else { continue };
                let id = test.get("id").and_then(Value::as_str).unwrap_or("suggested").to_owned();
                test.insert("id".into(), json!(fresh_id(&id, &mut taken)));
                tests.push(Value::Object(test));
            }
        }
        SuiteEdit::SetParam { test, name, value } => set(test_at(tests, *test)?, name, value.clone()),
        SuiteEdit::SetId { test, id } => {
            test_at(tests, *test)?.insert("id".into(), json!(id));
        }
        SuiteEdit::SetEnabled { test, enabled } => {
            // `enabled` is true unless written: a test switched back on loses the field.
            set(test_at(tests, *test)?, "enabled", (!enabled).then_some(json!(false)))
        }
        SuiteEdit::SetSeverity { test, severity } => {
            let value = (*severity == Severity::Warn).then_some(json!("warn"));
            set(test_at(tests, *test)?, "severity", value)
        }
        SuiteEdit::Remove { test } => {
            test_at(tests, *test)?;
            tests.remove(*test);
        }
        SuiteEdit::Move { test, up } => {
            let other = if *up { test.checked_sub(1) } else { Some(test + 1) };
            match other {
                Some(other) if other < count && *test < count => tests.swap(*test, other),
                _ => {}
            }
        }
        SuiteEdit::SetTop { field, value } => set(top, field, value.clone()),
        SuiteEdit::SetSplit { name, value } => set_in(top, "split", name, value.clone()),
        SuiteEdit::SetPreprocess { step, value } => set_step(top, step, value.as_deref()),
        SuiteEdit::SetModelKind(kind) if kind.is_empty() => set(top, "model", None),
        SuiteEdit::SetModelKind(kind) => {
            let info = model_info(kind).ok_or_else(|| format!("`{kind}` is not a model"))?;
            let mut model = info.starter();
            if info.name == "predictions" {
                let target = top.get("target").and_then(Value::as_str).map(str::to_owned);
                outputs_from_data(&mut model, columns, target.as_deref());
                // Nothing is trained: the engine refuses a split or preprocessing with it.
                top.shift_remove("split");
                top.shift_remove("preprocess");
            }
            top.insert("model".into(), model);
            // A model needs a task: the model's own when the suite has none yet.
            if !top.contains_key("task") {
                top.insert("task".into(), json!(info.tasks[0].name()));
            }
        }
        SuiteEdit::SetModelParam { name, value } => set_in(top, "model", name, value.clone()),
    }
    Ok(())
}

/// The target's classes in the engine's order, when the profile shows every one (its most
/// frequent values are all its values); empty otherwise.
pub fn class_labels(column: &ColumnProfile) -> Vec<String> {
    if column.distinct < 2 || column.distinct > column.top.len() {
        return Vec::new();
    }
    let mut labels: Vec<String> = column.top.iter().map(|t| t.value.clone()).collect();
    sort_labels(&mut labels);
    labels
}

/// A model brought as predictions, pointed at the data's columns: the prediction column is
/// one whose name says so (`pred`), else the first column that is not the target; the
/// scores, the positive class's probability (`p_yes`, `proba`, `score`) for two classes or a
/// column per class (`p_<class>`), when the data has such columns.
fn outputs_from_data(model: &mut Value, columns: &[ColumnProfile], target: Option<&str>) {
    let others = || columns.iter().filter(move |c| Some(c.name.as_str()) != target);
    let named = |c: &&ColumnProfile| c.name.to_lowercase().contains("pred");
    if let Some(prediction) = others().find(named).or_else(|| others().next()) {
        model["prediction"] = json!(prediction.name);
    }
    let classes =
        columns.iter().find(|c| Some(c.name.as_str()) == target).map(class_labels).unwrap_or_default();
    let probability = |c: &ColumnProfile| {
        c.ty == ColumnType::Float && c.min.is_some_and(|m| m >= 0.0) && c.max.is_some_and(|m| m <= 1.0)
    };
    let column_of = |class: &str| {
        let wanted =
            [format!("p_{class}"), format!("proba_{class}"), format!("{class}_proba"), format!("p({class})")];
        others()
            .find(|c| probability(c) && wanted.iter().any(|w| w.eq_ignore_ascii_case(&c.name)))
            .map(|c| c.name.clone())
    };
    match classes.len() {
        2 => {
            let positive = column_of(&classes[1]).or_else(|| {
                let hint = |c: &&ColumnProfile| {
                    ["prob", "score", "p_"].iter().any(|h| c.name.to_lowercase().contains(h))
                };
                others().filter(|c| probability(c)).find(hint).map(|c| c.name.clone())
            });
            if let Some(column) = positive {
                model["scores"] = json!(column);
            }
        }
        n if n > 2 => {
            let per_class: Option<Map<String, Value>> = classes
                .iter()
                .map(|class| column_of(class).map(|column| (class.clone(), json!(column))))
                .collect();
            if let Some(per_class) = per_class {
                model["scores"] = Value::Object(per_class);
            }
        }
        _ => {}
    }
}

/// Sets `name` in `object`, or removes it for `None`.
fn set(object: &mut Map<String, Value>, name: &str, value: Option<Value>) {
    match value {
        Some(value) => {
            object.insert(name.to_owned(), value);
        }
        None => {
            object.shift_remove(name);
        }
    }
}

/// Sets `name` in the object `top[field]`, which is made when missing and left out when it
/// ends up empty.
fn set_in(top: &mut Map<String, Value>, field: &str, name: &str, value: Option<Value>) {
    let entry = top.entry(field).or_insert_with(|| json!({}));
    if !entry.is_object() {
        *entry = json!({});
    }
    if let Value::Object(inner) = entry {
        set(inner, name, value);
        if inner.is_empty() {
            top.shift_remove(field);
        }
    }
}

/// Replaces, adds or removes the `preprocess` item whose key is `step`.
fn set_step(top: &mut Map<String, Value>, step: &str, value: Option<&str>) {
    let mut steps = match top.shift_remove("preprocess") {
        Some(Value::Array(steps)) => steps,
        _ => Vec::new(),
    };
    let at = steps.iter().position(|item| item.get(step).is_some());
    match (at, value) {
        (Some(at), Some(value)) => steps[at] = json!({ step: value }),
        (None, Some(value)) => steps.push(json!({ step: value })),
        (Some(at), None) => {
            steps.remove(at);
        }
        (None, None) => {}
    }
    if !steps.is_empty() {
        top.insert("preprocess".into(), Value::Array(steps));
    }
}

fn ids(tests: &[Value]) -> HashSet<String> {
    tests.iter().filter_map(|t| t.get("id").and_then(Value::as_str)).map(str::to_owned).collect()
}

/// `base`, or `base-2`, `base-3`, … : the first not in `taken`, which then holds it.
fn fresh_id(base: &str, taken: &mut HashSet<String>) -> String {
    let id = std::iter::once(base.to_owned())
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(|id| !taken.contains(id))
        .unwrap_or_default();
    taken.insert(id.clone());
    id
}

/// A new test of kind `info`: the start value of each parameter that has one, with the
/// columns and bounds read from the data where the kind reads a column.
fn new_test(
    info: &KindInfo,
    id: String,
    columns: &[ColumnProfile],
    target: Option<&str>,
) -> Map<String, Value> {
    let mut test = Map::new();
    test.insert("id".into(), json!(id));
    test.insert("kind".into(), json!(info.name));
    for param in info.params {
        if let Some(start) = param.start {
            test.insert(param.name.into(), serde_json::from_str(start).unwrap_or(Value::Null));
        }
    }
    let is_numeric = |c: &&ColumnProfile| matches!(c.ty, ColumnType::Int | ColumnType::Float);
    let is_text = |c: &&ColumnProfile| matches!(c.ty, ColumnType::Text | ColumnType::Category);
    let features = || columns.iter().filter(|c| Some(c.name.as_str()) != target);
    let chosen = match info.name {
        "values_between" | "column_stat_between" | "invariance" | "directional" => {
            features().find(is_numeric).or_else(|| features().next())
        }
        "matches_regex" => features().find(is_text).or_else(|| features().next()),
        // Slices by a group: a category column (species, island), else the first feature.
        "slice_metric" | "slice_gap" | "fairness" => features()
            .find(|c| matches!(c.ty, ColumnType::Category | ColumnType::Bool))
            .or_else(|| features().next()),
        "values_in_set" => columns
            .iter()
            .find(|c| Some(c.name.as_str()) == target)
            .or_else(|| features().find(|c| c.ty == ColumnType::Category)),
        _ => features().next(),
    }
    .or(columns.first());
    let Some(chosen) = chosen else { return test };
    let given: Vec<&Param> = info.params.iter().filter(|p| test.contains_key(p.name)).collect();
    for param in given {
        let value = match param.ty {
            ParamType::Column => json!(chosen.name),
            ParamType::Columns => json!(columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>()),
            ParamType::Values if chosen.distinct <= chosen.top.len() => {
                Value::Array(chosen.top.iter().map(|t| fields::typed(&t.value)).collect())
            }
            ParamType::Choice(_) if param.name == "type" => json!(chosen.ty.name()),
            _ => continue,
        };
        test.insert(param.name.into(), value);
    }
    // Bounds that the data as loaded meets: a new test starts green, and the person
    // tightens it.
    if let (Some(min), Some(max)) = (chosen.min, chosen.max) {
        if info.param("max").is_some() && info.param("column").map(|p| p.ty) == Some(ParamType::Column) {
            test.insert("min".into(), json!(min));
            test.insert("max".into(), json!(max));
        }
    }
    test
}

/// The document as text, as the example suites are written (see [`suite::write`]).
pub use crate::suite::write;

mod fields;
#[cfg(test)]
mod tests;
