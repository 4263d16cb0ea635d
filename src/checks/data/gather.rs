//! A suite's aggregates asked at once. A data test asks its aggregates as it runs (how many
//! cells a rule fails, a statistic, a few distinct values): the memory engine answers each
//! from the table, where an engine that scans files ([`Facts::gathers`]) would scan them for
//! each. Before such a run, each data test runs against a `Recorder`, which knows the data's
//! header and counts alone, records the first aggregate the test asks and stops it there
//! ([`first_asks`]); the engine answers all of them in one scan ([`Facts::gather`]), and the
//! tests, run for real, find their answers waiting. What a test asks after its first
//! aggregate, or of an engine that cannot gather it, is asked then as before: the same
//! answers either way.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::{CellRule, Checked, ColumnFacts, Conflicts, Facts, StatOf};
use crate::checks::{Check, Context};
use crate::report::{Failures, Trace};
use crate::table::Table;

/// The first aggregate each of `checks` asks of `ctx.data`, in order. Each runs against a
/// `Recorder` of the data's header, with no rows of its own to read (a table without rows,
/// no reference, no model), so what is not an aggregate of the data ends at once.
pub fn first_asks<'c>(checks: impl IntoIterator<Item = &'c Check>, ctx: &Context<'_>) -> Vec<Ask> {
    record(checks, ctx).0
}

/// How many scans of `ctx.data` `checks` start with: one for the aggregates [`first_asks`]
/// finds (answered together), one for each other reading of the rows a test begins with
/// (its duplicates, its classes, …). What a test reads after its first reading is not
/// counted: a lower bound, for an engine to choose how to hold the data before the run.
pub fn first_scans<'c>(checks: impl IntoIterator<Item = &'c Check>, ctx: &Context<'_>) -> usize {
    let (asks, others) = record(checks, ctx);
    usize::from(!asks.is_empty()) + others
}

/// Each of `checks` run against a `Recorder` until its first reading of the rows: the
/// aggregates asked, and how many other readings there were.
fn record<'c>(checks: impl IntoIterator<Item = &'c Check>, ctx: &Context<'_>) -> (Vec<Ask>, usize) {
    let recorder = Recorder::new(ctx.data);
    let no_rows = no_rows(ctx.data);
    let dry = Context {
        table: &no_rows,
        sample: &no_rows,
        data: &recorder,
        reference: None,
        trained: None,
        ..*ctx
    };
    for check in checks {
        // Every test stops at its first reading of the rows: its result says nothing.
        let _ = check.run(&dry, &mut Trace::default());
    }
    recorder.recorded()
}

/// A table named as `data` with no rows: what a test runs on when only what it asks of
/// `data` counts.
pub fn no_rows(data: &dyn Facts) -> Table {
    Table::new(data.name().to_owned(), Vec::new(), Vec::new(), String::new(), b',')
}

/// An aggregate a data test asks ([`Facts::check_cells`], [`Facts::stat`],
/// [`Facts::distinct`], [`Facts::duplicate_rows`], [`Facts::repeated_cells`]), named ahead.
#[derive(Debug, Clone, PartialEq)]
pub enum Ask {
    /// How many present cells of `column` there are, and how many fail `rule`.
    Cells { column: String, rule: CellRule },
    /// A statistic of `column`'s finite values, with their count.
    Stat { column: String, stat: StatOf },
    /// Each column's distinct values, counted up to `at_most` + 1.
    Distinct { columns: Vec<String>, at_most: Option<usize> },
    /// The rows that repeat an earlier row in `columns` ([`Facts::duplicate_rows`]): an
    /// engine gathers what finds them (the rows' hashes that repeat), the rest comes after.
    DuplicateRows { columns: Vec<String> },
    /// The cells of `column` whose value another row has ([`Facts::repeated_cells`]): an
    /// engine gathers what finds them (the values' hashes that repeat).
    Repeated { column: String },
}

/// The answer of a [`Recorder`] to whatever reads more than the header: the test stops
/// there, and its result is dropped.
const RECORDED: &str = "recorded, to be gathered";

/// The data's header and counts, and a record of the aggregates asked and of the other
/// readings of the rows.
struct Recorder<'a> {
    data: &'a dyn Facts,
    asks: Mutex<Vec<Ask>>,
    others: AtomicUsize,
}

impl<'a> Recorder<'a> {
    fn new(data: &'a dyn Facts) -> Recorder<'a> {
        Recorder { data, asks: Mutex::new(Vec::new()), others: AtomicUsize::new(0) }
    }

    /// The aggregates asked so far, in the order asked, and how many other readings there were.
    fn recorded(self) -> (Vec<Ask>, usize) {
        (self.asks.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner()), self.others.into_inner())
    }

    fn record<T>(&self, ask: Ask) -> Result<T, String> {
        self.asks.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(ask);
        Err(RECORDED.to_owned())
    }

    /// A reading of the rows that is not gathered.
    fn other<T>(&self) -> Result<T, String> {
        self.others.fetch_add(1, Ordering::Relaxed);
        Err(RECORDED.to_owned())
    }
}

impl Facts for Recorder<'_> {
    fn name(&self) -> &str {
        self.data.name()
    }

    fn n_rows(&self) -> usize {
        self.data.n_rows()
    }

    fn column_names(&self) -> Vec<&str> {
        self.data.column_names()
    }

    fn column(&self, name: &str) -> Option<ColumnFacts> {
        self.data.column(name)
    }

    fn columns(&self) -> Vec<ColumnFacts> {
        self.data.columns()
    }

    fn check_cells(&self, column: &str, rule: &CellRule, _: usize) -> Result<Checked, String> {
        self.record(Ask::Cells { column: column.to_owned(), rule: rule.clone() })
    }

    fn stat(&self, column: &str, stat: StatOf) -> Result<(usize, Option<f64>), String> {
        self.record(Ask::Stat { column: column.to_owned(), stat })
    }

    fn distinct(
        &self,
        columns: &[&str],
        at_most: Option<usize>,
    ) -> Result<Vec<(usize, Option<String>)>, String> {
        let columns = columns.iter().map(|&c| c.to_owned()).collect();
        self.record(Ask::Distinct { columns, at_most })
    }

    fn repeated_cells(&self, column: &str) -> Result<Checked, String> {
        self.record(Ask::Repeated { column: column.to_owned() })
    }

    fn missing_cells(&self, _: &[&str]) -> Result<Failures, String> {
        self.other()
    }

    fn duplicate_rows(&self, columns: &[&str], _: &str) -> Result<Failures, String> {
        self.record(Ask::DuplicateRows { columns: columns.iter().map(|&c| c.to_owned()).collect() })
    }

    fn class_counts(&self, _: &str, _: usize) -> Result<(Vec<(String, usize)>, usize), String> {
        self.other()
    }

    fn level_counts(&self, _: &str) -> Result<Vec<(String, usize)>, String> {
        self.other()
    }

    fn numbers(&self, _: &str) -> Result<Vec<f64>, String> {
        self.other()
    }

    fn conflicting_labels(&self, _: &str, _: &[&str]) -> Result<Conflicts, String> {
        self.other()
    }
}
