//! What a form field writes into the suite and shows of it, and where the engine's error
//! points, read from its path.

use serde_json::{json, Value};

use crate::checks::ParamType;
use crate::suite::SuiteError;

/// A value as a form field's text: a number when it reads as a JSON number (and `true`,
/// `false` in lists), else the text itself.
pub(super) fn typed(text: &str) -> Value {
    match serde_json::from_str::<Value>(text.trim()) {
        Ok(value @ (Value::Number(_) | Value::Bool(_))) => value,
        _ => json!(text),
    }
}

/// What a form field's `text` puts in the document for a parameter of type `ty`; `None`
/// (leave it out) for an empty field.
pub fn field_value(text: &str, ty: ParamType) -> Option<Value> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    let list = || trimmed.split(',').map(str::trim).filter(|t| !t.is_empty());
    Some(match ty {
        ParamType::Number | ParamType::Ratio | ParamType::Integer => match serde_json::from_str(trimmed) {
            Ok(Value::Number(n)) => Value::Number(n),
            _ => json!(text),
        },
        ParamType::Columns => Value::Array(list().map(|t| json!(t)).collect()),
        ParamType::Values => Value::Array(list().map(typed).collect()),
        ParamType::Regex => json!(text),
        _ => json!(trimmed),
    })
}

/// A parameter's value as its form field shows it.
pub fn field_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(field_text).collect::<Vec<_>>().join(", "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Where an error of [`crate::suite::parse`] points, read from its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorPlace<'a> {
    /// Test `index`, at its parameter `field` (the first name of the path) if any.
    Test { index: usize, field: Option<&'a str> },
    /// Outside the tests: the whole path, such as `target`, `model.c`, `split.test_size`.
    Top(&'a str),
    /// The whole text (a JSON syntax error).
    Whole,
}

impl<'a> ErrorPlace<'a> {
    pub fn of(error: &'a SuiteError) -> ErrorPlace<'a> {
        let path = error.path();
        if path.is_empty() {
            return ErrorPlace::Whole;
        }
        let Some(rest) = path.strip_prefix("tests[") else {
            return ErrorPlace::Top(path);
        };
        let Some((index, rest)) = rest.split_once(']') else { return ErrorPlace::Top("tests") };
        let Ok(index) = index.parse() else { return ErrorPlace::Top("tests") };
        // After the index: ` (`id`)` once the id is known, then `.field…`.
        let rest = match rest.strip_prefix(" (`") {
            Some(named) => named.split_once("`)").map_or("", |(_, after)| after),
            None => rest,
        };
        let field = rest.strip_prefix('.').map(first_name).filter(|f| !f.is_empty());
        ErrorPlace::Test { index, field }
    }
}

fn first_name(path: &str) -> &str {
    path.split(['.', '[']).next().unwrap_or(path)
}
