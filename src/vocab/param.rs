//! Parameter metadata: what the suite editor's forms know of a parameter of a test kind or a
//! model, and the error a parameter's validation returns. Models (in `pipeline`) and test
//! kinds (in `checks`) both describe their parameters with it, so it sits below both.

/// What a parameter holds, which decides the input a form shows for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// A column of the data.
    Column,
    /// A column, or `*` for every column.
    ColumnOrAll,
    /// A list of column names.
    Columns,
    /// A column, or a column for each class by its label (`{"yes": "p_yes", …}`).
    ClassColumns,
    Number,
    /// A fraction from 0 to 1.
    Ratio,
    /// A whole number, zero or more.
    Integer,
    Bool,
    Text,
    Regex,
    /// One of these names.
    Choice(&'static [&'static str]),
    /// A list of values (numbers, text or booleans).
    Values,
    /// A category swap: `{"from": …, "to": …}`.
    Swap,
}

impl ParamType {
    /// A short name for the type, as the form's help shows it.
    pub fn describe(self) -> &'static str {
        match self {
            ParamType::Column => "column",
            ParamType::ColumnOrAll => "column or *",
            ParamType::Columns => "columns, comma-separated",
            ParamType::ClassColumns => "a column, or a column per class",
            ParamType::Number => "number",
            ParamType::Ratio => "ratio 0..1",
            ParamType::Integer => "integer",
            ParamType::Bool => "true or false",
            ParamType::Text => "text",
            ParamType::Regex => "regular expression",
            ParamType::Choice(_) => "one of",
            ParamType::Values => "values, comma-separated",
            ParamType::Swap => "from → to",
        }
    }
}

/// One parameter of a test kind or model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// The name in the suite file.
    pub name: &'static str,
    pub ty: ParamType,
    pub required: bool,
    /// For an optional parameter, what leaving it out means, in words (`1`, `the target`).
    pub default: &'static str,
    /// The value (JSON) a new test starts with when the data suggests nothing better:
    /// always given for a required parameter, and for an optional one a new test needs
    /// (`values_between` needs `min` or `max`).
    pub start: Option<&'static str>,
    pub help: &'static str,
}

impl Param {
    pub const fn required(
        name: &'static str,
        ty: ParamType,
        start: &'static str,
        help: &'static str,
    ) -> Param {
        Param { name, ty, required: true, default: "", start: Some(start), help }
    }

    pub const fn optional(
        name: &'static str,
        ty: ParamType,
        default: &'static str,
        help: &'static str,
    ) -> Param {
        Param { name, ty, required: false, default, start: None, help }
    }

    /// This optional parameter, given `start` in a new test.
    pub const fn starting_at(self, start: &'static str) -> Param {
        Param { start: Some(start), ..self }
    }
}

/// A parameter that does not fit with the others (`min` above `max`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// The parameter's name in the suite file.
    pub field: &'static str,
    pub message: String,
}

impl ParamError {
    pub fn new(field: &'static str, message: impl Into<String>) -> ParamError {
        ParamError { field, message: message.into() }
    }
}
