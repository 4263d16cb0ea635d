//! CSV → typed columns with a missing mask, type inference and per-column profiles.
//!
//! The table is what every test reads. A [`Table`] is built once by [`read_csv`]: the
//! delimiter is sniffed, a UTF-8 BOM and CRLF line ends are accepted, quoted fields may span
//! lines, and the cells listed in [`MISSING_TOKENS`] become missing. Each column gets one
//! inferred [`ColumnType`]; its values are stored typed ([`Values`]) beside a mask that says
//! which rows are missing, and every row remembers the 1-based line of the CSV file it
//! started on, so a failing row can be reported as the person sees it in an editor.
//!
//! Errors ([`LoadError`]) name the file, and the line and column where that applies.

mod error;
mod hash;
mod load;
mod profile;
pub mod rows;
pub mod stats;
mod text;

pub use error::{LoadError, LoadErrorKind};
#[cfg(feature = "datafusion")]
pub(crate) use load::categories_or_text;
pub use load::{
    cell_float, cell_int, cell_is_missing, cell_present, delimiter_of, hex, is_category, read_bounded,
    read_csv, read_csv_hashed, sha256_hex, LoadOptions, MAX_CATEGORY_LEVELS, MAX_COLUMNS, MISSING_TOKENS,
};
pub use profile::{profile, ColumnProfile, Histogram, TopValue};
pub use text::TextColumn;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// The type inferred for a column from its non-missing cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    Int,
    Float,
    Bool,
    Category,
    Text,
}

impl ColumnType {
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::Int => "int",
            ColumnType::Float => "float",
            ColumnType::Bool => "bool",
            ColumnType::Category => "category",
            ColumnType::Text => "text",
        }
    }

    pub fn is_numeric(self) -> bool {
        matches!(self, ColumnType::Int | ColumnType::Float)
    }
}

impl std::fmt::Display for ColumnType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A column's values, one per row. Missing rows hold a placeholder (0, NaN, false, code 0,
/// ""); the column's missing mask is the only authority on which rows are missing.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    Int(Vec<i64>),
    Float(Vec<f64>),
    Bool(Vec<bool>),
    /// Each row's index into `levels`; levels are in order of first appearance.
    Category {
        codes: Vec<u32>,
        levels: Vec<String>,
    },
    /// The cells' text in one buffer (see [`TextColumn`]): `v[row]` is a `&str`.
    Text(TextColumn),
}

/// One named column: typed values and the mask of missing rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    name: String,
    values: Values,
    /// One flag a row, or none at all when no row is missing: most columns of most files
    /// have no missing cell, and the flags were a byte a row (12 MB of a million rows of
    /// twelve columns).
    missing: Vec<bool>,
    len: usize,
}

impl Column {
    /// Builds a column; `missing` has one entry per value, or none when no value is missing
    /// (the loader then never builds the flags at all).
    pub fn new(name: impl Into<String>, values: Values, mut missing: Vec<bool>) -> Column {
        if !missing.contains(&true) {
            missing = Vec::new();
        }
        let mut column = Column { name: name.into(), values, missing, len: 0 };
        column.len = column.values_len();
        debug_assert!(column.missing.is_empty() || column.missing.len() == column.len);
        column
    }

    fn values_len(&self) -> usize {
        match &self.values {
            Values::Int(v) => v.len(),
            Values::Float(v) => v.len(),
            Values::Bool(v) => v.len(),
            Values::Category { codes, .. } => codes.len(),
            Values::Text(v) => v.len(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn values(&self) -> &Values {
        &self.values
    }

    pub fn ty(&self) -> ColumnType {
        match self.values {
            Values::Int(_) => ColumnType::Int,
            Values::Float(_) => ColumnType::Float,
            Values::Bool(_) => ColumnType::Bool,
            Values::Category { .. } => ColumnType::Category,
            Values::Text(_) => ColumnType::Text,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn is_missing(&self, row: usize) -> bool {
        match self.missing.get(row) {
            Some(&missing) => missing,
            None => {
                assert!(row < self.len, "row {row} of a column of {} rows", self.len);
                false
            }
        }
    }

    /// One flag a row: whether it is missing.
    pub fn missing_mask(&self) -> Cow<'_, [bool]> {
        if self.missing.is_empty() {
            Cow::Owned(vec![false; self.len])
        } else {
            Cow::Borrowed(&self.missing)
        }
    }

    /// Whether each row is missing, in row order, without building a flag a row for a
    /// column that has none.
    pub fn missing_flags(&self) -> impl Iterator<Item = bool> + '_ {
        let none = if self.missing.is_empty() { self.len } else { 0 };
        self.missing.iter().copied().chain(std::iter::repeat_n(false, none))
    }

    pub fn missing_count(&self) -> usize {
        self.missing.iter().filter(|&&m| m).count()
    }

    /// The numeric value of a row of an int or float column; `None` when the row is missing
    /// or the column is not numeric.
    pub fn number(&self, row: usize) -> Option<f64> {
        if self.is_missing(row) {
            return None;
        }
        match &self.values {
            Values::Int(v) => Some(v[row] as f64),
            Values::Float(v) => Some(v[row]),
            _ => None,
        }
    }

    /// The non-missing values of a numeric column with their rows, or `None` when the column
    /// is not numeric.
    pub fn numbers(&self) -> Option<Vec<(usize, f64)>> {
        if !self.ty().is_numeric() {
            return None;
        }
        Some((0..self.len()).filter_map(|row| self.number(row).map(|x| (row, x))).collect())
    }

    /// A row's value as text, as it would be written back to CSV: "" when missing. Floats use
    /// the shortest text that reads back to the same number.
    pub fn text(&self, row: usize) -> Cow<'_, str> {
        if self.is_missing(row) {
            return Cow::Borrowed("");
        }
        match &self.values {
            Values::Int(v) => Cow::Owned(v[row].to_string()),
            Values::Float(v) => Cow::Owned(v[row].to_string()),
            Values::Bool(v) => Cow::Borrowed(if v[row] { "true" } else { "false" }),
            Values::Category { codes, levels } => Cow::Borrowed(&levels[codes[row] as usize]),
            Values::Text(v) => Cow::Borrowed(&v[row]),
        }
    }
}

/// The line each row starts on. Most files hold one record a line, so row `i` starts on line
/// `first + i` and nothing is stored; a file with a record over several lines (a quoted line
/// break) or blank lines between records keeps every row's line (8 bytes a row: 8 MB of a
/// million-row table that held nothing else the engine needs).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lines {
    Consecutive { first: u64, rows: usize },
    Listed(Vec<u64>),
}

impl Lines {
    /// No rows yet; [`Lines::push`] adds them.
    pub(crate) fn empty() -> Lines {
        Lines::Consecutive { first: 0, rows: 0 }
    }

    /// Adds the next row's line. The list is only built at the first row that is not on the
    /// line after the previous one's, with room for `room` more rows beside it.
    pub(crate) fn push(&mut self, line: u64, room: usize) {
        match self {
            Lines::Consecutive { first, rows: rows @ 0 } => (*first, *rows) = (line, 1),
            Lines::Consecutive { first, rows } if line == *first + *rows as u64 => *rows += 1,
            Lines::Consecutive { first, rows } => {
                let mut lines = Vec::with_capacity(*rows + 1 + room);
                lines.extend(*first..*first + *rows as u64);
                lines.push(line);
                *self = Lines::Listed(lines);
            }
            Lines::Listed(lines) => lines.push(line),
        }
    }

    /// The bytes held for the lines listed, 0 while they are consecutive.
    #[cfg(test)]
    pub(crate) fn listed_bytes(&self) -> usize {
        match self {
            Lines::Consecutive { .. } => 0,
            Lines::Listed(lines) => lines.capacity() * std::mem::size_of::<u64>(),
        }
    }

    fn new(lines: Vec<u64>) -> Lines {
        let first = lines.first().copied().unwrap_or(2);
        if lines.iter().enumerate().all(|(row, &line)| line == first + row as u64) {
            Lines::Consecutive { first, rows: lines.len() }
        } else {
            Lines::Listed(lines)
        }
    }

    fn len(&self) -> usize {
        match self {
            Lines::Consecutive { rows, .. } => *rows,
            Lines::Listed(lines) => lines.len(),
        }
    }

    fn get(&self, row: usize) -> u64 {
        match self {
            Lines::Consecutive { first, rows } => {
                assert!(row < *rows, "row {row} of a table of {rows} rows");
                first + row as u64
            }
            Lines::Listed(lines) => lines[row],
        }
    }
}

/// A loaded CSV file: its columns, the line each row starts on, and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    name: String,
    columns: Vec<Column>,
    lines: Lines,
    sha256: String,
    delimiter: u8,
}

impl Table {
    /// Builds a table from columns of equal length; `lines[i]` is the 1-based CSV line on which
    /// row `i` starts.
    pub fn new(
        name: impl Into<String>,
        columns: Vec<Column>,
        lines: Vec<u64>,
        sha256: String,
        delimiter: u8,
    ) -> Table {
        Table::with_lines(name, columns, Lines::new(lines), sha256, delimiter)
    }

    pub(crate) fn with_lines(
        name: impl Into<String>,
        columns: Vec<Column>,
        lines: Lines,
        sha256: String,
        delimiter: u8,
    ) -> Table {
        debug_assert!(columns.iter().all(|c| c.len() == lines.len()));
        Table { name: name.into(), columns, lines, sha256, delimiter }
    }

    /// The file name (or sample name) the table was read from, used in messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn n_rows(&self) -> usize {
        self.lines.len()
    }

    pub fn n_cols(&self) -> usize {
        self.columns.len()
    }

    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn column_names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|c| c.name.as_str())
    }

    /// `"; did you mean `x`?"` when `x`, a column of the table, is a close spelling of `name`,
    /// a column the suite names and the table lacks; else nothing. The tail of every message
    /// that says a column is not in the data.
    pub fn column_hint(&self, name: &str) -> String {
        crate::vocab::spelling::column_hint(name, self.column_names())
    }

    /// The 1-based CSV line on which row `row` (0-based) starts.
    pub fn line(&self, row: usize) -> u64 {
        self.lines.get(row)
    }

    /// Lowercase hex SHA-256 of the file's bytes as read.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }
}
