//! Why a suite file could not be read: the file, the line (for syntax errors), the field's
//! path (for everything else) and what to do. A value the message quotes is cut to a line
//! ([`crate::report::fmt::shorten_quoted`]): a 10 MB value must not make 10 MB of error.

use std::fmt;

use crate::report::fmt::shorten_quoted;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuiteError {
    file: String,
    /// 1-based line and column, when the parser knows them.
    line: Option<(usize, usize)>,
    /// The field's path, `tests[2] (\`range\`).max`; empty for the whole file.
    path: String,
    message: String,
}

impl SuiteError {
    pub(crate) fn at_line(
        file: &str,
        line: usize,
        column: usize,
        path: Option<&str>,
        message: String,
    ) -> SuiteError {
        SuiteError {
            file: file.to_owned(),
            line: (line > 0).then_some((line, column)),
            path: shorten_quoted(path.unwrap_or_default()).into_owned(),
            message: shorten_quoted(&message).into_owned(),
        }
    }

    pub(crate) fn at_path(file: &str, path: &str, message: String) -> SuiteError {
        SuiteError {
            file: file.to_owned(),
            line: None,
            path: shorten_quoted(path).into_owned(),
            message: shorten_quoted(&message).into_owned(),
        }
    }

    pub fn file(&self) -> &str {
        &self.file
    }

    pub fn line(&self) -> Option<usize> {
        self.line.map(|(line, _)| line)
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for SuiteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, column)) = self.line {
            write!(f, ": line {line}, column {column}")?;
        }
        if !self.path.is_empty() {
            write!(f, ": {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for SuiteError {}
