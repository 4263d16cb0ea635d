//! What a data test asks of the data, and the memory engine's answers.
//!
//! A data kind is two halves: the **facts** it needs (a column's type and missing cells, the
//! cells that break a rule, a statistic, the rows that repeat) and the **judgement** it makes
//! of them (the steps, the assertion, the message). The judgement is written once, in the
//! kind; the facts come from a [`Facts`]: the loaded [`Table`] here, or DataFusion's queries
//! over files of any size (`query`, PRODUCT.md §14). The rules a cell is judged by
//! ([`CellRule`]) are code both engines call, so a cell passes or fails the same way in each.

use std::borrow::Cow;

use super::CellRule;
use crate::report::{Failures, FAILURE_SAMPLE};
use crate::table::rows::{same_row, FastMap, RowGroups};
use crate::table::stats::{self, Interpolation};
use crate::table::{Column, ColumnType, Table, Values};

/// A column as a test first sees it: its type and how many of its cells are missing.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnFacts {
    pub name: String,
    pub ty: ColumnType,
    pub missing: usize,
}

/// A present cell's value, typed as its column is.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A category's level or a text cell (trimmed).
    Text(Cow<'a, str>),
}

impl<'a> Cell<'a> {
    /// Row `row` of `column`, `None` when missing.
    pub fn of(column: &'a Column, row: usize) -> Option<Cell<'a>> {
        if column.is_missing(row) {
            return None;
        }
        Some(match column.values() {
            Values::Int(v) => Cell::Int(v[row]),
            Values::Float(v) => Cell::Float(v[row]),
            Values::Bool(v) => Cell::Bool(v[row]),
            Values::Category { .. } | Values::Text(_) => Cell::Text(column.text(row)),
        })
    }

    /// The value as a number, for an int or float column.
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Int(v) => Some(*v as f64),
            Cell::Float(v) => Some(*v),
            _ => None,
        }
    }

    /// The value as text, as [`Column::text`] writes it (a float in the shortest text that
    /// reads back to it), so a rule on text sees what the report shows.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Cell::Int(v) => Cow::Owned(v.to_string()),
            Cell::Float(v) => Cow::Owned(v.to_string()),
            Cell::Bool(v) => Cow::Borrowed(if *v { "true" } else { "false" }),
            Cell::Text(text) => Cow::Borrowed(text),
        }
    }
}

/// What a per-value rule found in a column: the present cells checked, the failing ones (a
/// count and the first [`FAILURE_SAMPLE`]) and, when asked, the first few distinct failing
/// values with how often each occurs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checked {
    pub checked: usize,
    pub failures: Failures,
    pub unexpected: Vec<(String, usize)>,
}

/// A statistic of a column's finite values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StatOf {
    Mean,
    /// Sample standard deviation (ddof = 1).
    Std,
    Min,
    Max,
    Quantile(f64, Interpolation),
}

/// Rows that share their features but not their label.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Conflicts {
    /// Rows whose label is present.
    pub labelled: usize,
    /// Groups of equal features holding more than one label.
    pub groups: usize,
    /// Every row of those groups, the groups in order of first appearance.
    pub failures: Failures,
}

/// The data a data test reads: the loaded table, or files queried where they lie. Columns
/// are named as the header names them; a name two columns share means the first.
pub trait Facts {
    /// The file (or sample) name, for messages.
    fn name(&self) -> &str;
    fn n_rows(&self) -> usize;
    fn column_names(&self) -> Vec<&str>;
    fn column(&self, name: &str) -> Option<ColumnFacts>;
    fn columns(&self) -> Vec<ColumnFacts>;
    /// `"; did you mean `x`?"` for a name the data lacks.
    fn column_hint(&self, name: &str) -> String {
        crate::vocab::spelling::column_hint(name, self.column_names())
    }

    /// The present cells of `column` that `rule` fails, with up to `unexpected` distinct
    /// failing values (in order of first appearance) and their counts.
    fn check_cells(&self, column: &str, rule: &CellRule, unexpected: usize) -> Result<Checked, String>;
    /// The present cells of `column` whose value another present cell repeats.
    fn repeated_cells(&self, column: &str) -> Result<Checked, String>;
    /// Every missing cell of `columns`, a column's cells in row order, the columns in the order
    /// given (the sample is of the first ones).
    fn missing_cells(&self, columns: &[&str]) -> Result<Failures, String>;
    /// `stat` of the column's finite values, with how many there are (`None` when undefined).
    fn stat(&self, column: &str, stat: StatOf) -> Result<(usize, Option<f64>), String>;
    /// How many distinct present values each of `columns` holds, counted up to `at_most` + 1
    /// when given (a count past `at_most` says only "more"), and its first present value as
    /// text when it holds fewer than two. Asked of several columns at once, so a query engine
    /// can count them all in one scan.
    fn distinct(
        &self,
        columns: &[&str],
        at_most: Option<usize>,
    ) -> Result<Vec<(usize, Option<String>)>, String>;
    /// Rows equal on `columns` to an earlier row, each failing cell in column `scope` with
    /// the value `same as line N` (N the earlier row's line).
    fn duplicate_rows(&self, columns: &[&str], scope: &str) -> Result<Failures, String>;
    /// Up to `limit` classes of a label column with their counts, most frequent first (ties
    /// in order of first appearance), and how many distinct labels there are.
    fn class_counts(&self, column: &str, limit: usize) -> Result<(Vec<(String, usize)>, usize), String>;
    /// Every distinct present value of `column` as text, with its count, in any order: a
    /// categorical column's levels, as `drift` compares them.
    fn level_counts(&self, column: &str) -> Result<Vec<(String, usize)>, String>;
    /// Every present value of an int or float column as a float (NaN and ±inf included), in
    /// any order: a numeric column as `drift` compares it.
    fn numbers(&self, column: &str) -> Result<Vec<f64>, String>;
    /// Rows that share every feature of `features` with a row of another `label`.
    fn conflicting_labels(&self, label: &str, features: &[&str]) -> Result<Conflicts, String>;

    /// Whether answering `asks` together first ([`Facts::gather`]) saves work: an engine
    /// that scans files for each aggregate.
    fn gathers(&self) -> bool {
        false
    }
    /// Answers `asks` together, keeping the answers for when they are asked
    /// ([`super::gather`]). An ask it cannot answer is left to be asked again, which reports
    /// what failed.
    fn gather(&self, _asks: &[super::Ask]) -> Result<(), String> {
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// The memory engine: the loaded table answers from its columns.

impl Table {
    /// The column `name` names, or why it cannot be read (a check asks only for columns it
    /// has looked up, so this is the engine's own slip).
    fn named(&self, name: &str) -> Result<&Column, String> {
        self.column(name).ok_or_else(|| format!("column `{name}` is not in {}", self.name()))
    }
}

fn facts_of(column: &Column) -> ColumnFacts {
    ColumnFacts { name: column.name().to_owned(), ty: column.ty(), missing: column.missing_count() }
}

/// Counts a failing cell; its value is only made while the sample has room, so a million
/// failing rows cost a count, not a million strings.
fn push_failure(failures: &mut Failures, line: u64, column: &str, value: impl FnOnce() -> String) {
    if failures.sample.len() < FAILURE_SAMPLE {
        failures.push(line, column, value());
    } else {
        failures.count += 1;
    }
}

/// Counts `value` among the first `limit` distinct failing values (in order of appearance).
fn note_unexpected(unexpected: &mut Vec<(String, usize)>, limit: usize, value: &str) {
    match unexpected.iter().position(|(v, _)| v == value) {
        Some(i) => unexpected[i].1 += 1,
        None if unexpected.len() < limit => unexpected.push((value.to_owned(), 1)),
        None => {}
    }
}

/// Each distinct present value of `column` on `rows` as text, with its count, in order of
/// first appearance.
pub(crate) fn level_counts_of(column: &Column, rows: impl Iterator<Item = usize>) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut index: FastMap<String, usize> = FastMap::default();
    for row in rows.filter(|&row| !column.is_missing(row)) {
        let text = column.text(row);
        match index.get(text.as_ref()) {
            Some(&i) => counts[i].1 += 1,
            None => {
                index.insert(text.to_string(), counts.len());
                counts.push((text.into_owned(), 1));
            }
        }
    }
    counts
}

impl Facts for Table {
    fn name(&self) -> &str {
        Table::name(self)
    }

    fn n_rows(&self) -> usize {
        Table::n_rows(self)
    }

    fn column_names(&self) -> Vec<&str> {
        Table::column_names(self).collect()
    }

    fn column(&self, name: &str) -> Option<ColumnFacts> {
        Table::column(self, name).map(facts_of)
    }

    fn columns(&self) -> Vec<ColumnFacts> {
        Table::columns(self).iter().map(facts_of).collect()
    }

    fn check_cells(&self, column: &str, rule: &CellRule, unexpected: usize) -> Result<Checked, String> {
        let column = self.named(column)?;
        let judge = rule.judge();
        let mut checked = Checked::default();
        for row in 0..column.len() {
            let Some(cell) = Cell::of(column, row) else { continue };
            checked.checked += 1;
            if judge.fails(&cell) {
                push_failure(&mut checked.failures, self.line(row), column.name(), || {
                    cell.text().into_owned()
                });
                if unexpected > 0 {
                    note_unexpected(&mut checked.unexpected, unexpected, &cell.text());
                }
            }
        }
        Ok(checked)
    }

    fn repeated_cells(&self, column: &str) -> Result<Checked, String> {
        let column = self.named(column)?;
        // Values compared, not hashes: a hash only says where to look for an equal value.
        let columns = [column];
        let present = (0..column.len()).filter(|&row| !column.is_missing(row));
        let groups = RowGroups::of(&columns, present.clone());
        let mut repeated = vec![false; column.len()];
        for (first, row) in groups.repeats() {
            repeated[first] = true;
            repeated[row] = true;
        }
        let mut checked = Checked::default();
        for row in present {
            checked.checked += 1;
            if repeated[row] {
                push_failure(&mut checked.failures, self.line(row), column.name(), || {
                    column.text(row).into_owned()
                });
            }
        }
        Ok(checked)
    }

    fn missing_cells(&self, columns: &[&str]) -> Result<Failures, String> {
        let mut failures = Failures::default();
        for name in columns {
            let column = self.named(name)?;
            for row in (0..column.len()).filter(|&row| column.is_missing(row)) {
                failures.push(self.line(row), column.name(), "");
            }
        }
        Ok(failures)
    }

    fn stat(&self, column: &str, stat: StatOf) -> Result<(usize, Option<f64>), String> {
        let column = self.named(column)?;
        let mut values: Vec<f64> =
            (0..column.len()).filter_map(|row| column.number(row)).filter(|x| x.is_finite()).collect();
        let value = match stat {
            StatOf::Mean => stats::mean(&values),
            StatOf::Std => stats::std(&values),
            StatOf::Min => stats::min(&values),
            StatOf::Max => stats::max(&values),
            StatOf::Quantile(q, method) => {
                values.sort_by(f64::total_cmp);
                stats::quantile_by(&values, q, method)
            }
        };
        Ok((values.len(), value))
    }

    fn distinct(
        &self,
        columns: &[&str],
        at_most: Option<usize>,
    ) -> Result<Vec<(usize, Option<String>)>, String> {
        let count = |name: &str| {
            let column = self.named(name)?;
            let counted = crate::table::rows::distinct_count_up_to(column, at_most.unwrap_or(usize::MAX));
            let first = (0..column.len()).find(|&row| !column.is_missing(row)).filter(|_| counted < 2);
            Ok((counted, first.map(|row| column.text(row).into_owned())))
        };
        columns.iter().map(|name| count(name)).collect()
    }

    fn duplicate_rows(&self, columns: &[&str], scope: &str) -> Result<Failures, String> {
        let columns: Vec<&Column> = columns.iter().map(|name| self.named(name)).collect::<Result<_, _>>()?;
        let groups = RowGroups::of(&columns, 0..self.n_rows());
        let mut failures = Failures::default();
        for (first, row) in groups.repeats() {
            push_failure(&mut failures, self.line(row), scope, || {
                format!("same as line {}", self.line(first))
            });
        }
        Ok(failures)
    }

    fn class_counts(&self, column: &str, limit: usize) -> Result<(Vec<(String, usize)>, usize), String> {
        let mut counts = self.level_counts(column)?;
        counts.sort_by_key(|&(_, n)| std::cmp::Reverse(n)); // stable: ties keep their first appearance
        let distinct = counts.len();
        counts.truncate(limit);
        Ok((counts, distinct))
    }

    /// In order of first appearance.
    fn level_counts(&self, column: &str) -> Result<Vec<(String, usize)>, String> {
        let column = self.named(column)?;
        Ok(level_counts_of(column, 0..column.len()))
    }

    fn numbers(&self, column: &str) -> Result<Vec<f64>, String> {
        let column = self.named(column)?;
        Ok((0..column.len()).filter_map(|row| column.number(row)).collect())
    }

    fn conflicting_labels(&self, label: &str, features: &[&str]) -> Result<Conflicts, String> {
        let target = self.named(label)?;
        let features: Vec<&Column> =
            features.iter().map(|name| self.named(name)).collect::<Result<_, _>>()?;
        let labelled: Vec<usize> = (0..self.n_rows()).filter(|&row| !target.is_missing(row)).collect();
        let groups = RowGroups::of(&features, labelled.iter().copied());
        let mut conflicts = Conflicts { labelled: labelled.len(), ..Conflicts::default() };
        for members in groups.repeated() {
            if members.iter().any(|&row| !same_row(&[target], members[0], row)) {
                conflicts.groups += 1;
                for &row in &members {
                    push_failure(&mut conflicts.failures, self.line(row), target.name(), || {
                        target.text(row).into_owned()
                    });
                }
            }
        }
        Ok(conflicts)
    }
}
