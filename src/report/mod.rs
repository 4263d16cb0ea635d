//! The report of a run (PRODUCT.md §4): results as data, and its renderings.
//!
//! A [`Report`] is plain serde data: the JSON report is its serialisation, and the text
//! ([`text`]), JUnit XML ([`junit`]) and Markdown ([`markdown`]) renderings read nothing else.
//! (The HTML report is the page's components, so it lives with them: `app::html_report`.) Every test carries its
//! execution table (Step | Action | Evaluation | Result), built with a [`Trace`], and the
//! named variables it tracked across those steps. For the page's charts a report also holds
//! the stage strip ([`stages`]), the trained model's confusion matrix and ROC curves, and each
//! threshold test's bounds ([`model`]); these fields are left out of the JSON when empty.

mod trace;

pub mod fmt;
pub mod junit;
pub mod markdown;
pub mod model;
pub mod stages;
pub mod text;

pub use model::{Bound, DriftHistogram, DriftOutcome, ModelSummary, RocCurve, SliceOutcome};
pub use stages::{Outcome, Stage, StageOutcome};
pub use trace::Trace;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::vocab::Family;

/// At most this many failing rows are kept per test, as Great Expectations'
/// `partial_unexpected_list` does: enough to find the problem, bounded for a 1M-row file.
pub const FAILURE_SAMPLE: usize = 20;

/// A test's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    /// Failed, but the test's severity is `warn`: reported, does not fail the suite.
    Warn,
    /// Could not be evaluated (a missing column, a column of the wrong type, …).
    Error,
    /// Not run because a stage it needs failed.
    Skipped,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Warn => "WARN",
            Status::Error => "ERROR",
            Status::Skipped => "SKIPPED",
        }
    }
}

/// The suite's verdict: `pass` when no test failed or errored (warnings do not count) and at
/// least one test was evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Fail,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Fail => "FAIL",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub passed: usize,
    pub failed: usize,
    pub warned: usize,
    pub errored: usize,
    pub skipped: usize,
}

impl Summary {
    pub fn count(statuses: impl IntoIterator<Item = Status>) -> Summary {
        let mut summary = Summary::default();
        for status in statuses {
            *match status {
                Status::Pass => &mut summary.passed,
                Status::Fail => &mut summary.failed,
                Status::Warn => &mut summary.warned,
                Status::Error => &mut summary.errored,
                Status::Skipped => &mut summary.skipped,
            } += 1;
        }
        summary
    }

    pub fn total(&self) -> usize {
        self.passed + self.failed + self.warned + self.errored + self.skipped
    }

    /// Pass when no test failed or errored and at least one was evaluated: a suite whose
    /// tests are all disabled (or that has none) checked nothing, and nothing is not a pass.
    pub fn verdict(&self) -> Verdict {
        if self.failed == 0 && self.errored == 0 && self.passed + self.warned > 0 {
            Verdict::Pass
        } else {
            Verdict::Fail
        }
    }

    /// The closing line: `N passed, N failed, N warned, N errored` and `, N skipped` if any.
    pub fn line(&self) -> String {
        let mut line = format!(
            "{} passed, {} failed, {} warned, {} errored",
            self.passed, self.failed, self.warned, self.errored
        );
        if self.skipped > 0 {
            line.push_str(&format!(", {} skipped", self.skipped));
        }
        line
    }
}

/// The data set a run read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dataset {
    pub name: String,
    pub rows: usize,
    pub columns: usize,
    pub sha256: String,
}

impl Dataset {
    /// A loaded table as the report describes it.
    pub fn of(table: &crate::table::Table) -> Dataset {
        Dataset {
            name: table.name().to_owned(),
            rows: table.n_rows(),
            columns: table.n_cols(),
            sha256: table.sha256().to_owned(),
        }
    }
}

/// One row of a test's execution table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub step: usize,
    pub action: String,
    pub evaluation: String,
    pub result: String,
}

/// A named value tracked across a test's steps: `values[i]` is its value after step `i + 1`,
/// `None` before it is first set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variable {
    pub name: String,
    pub values: Vec<Option<String>>,
}

/// The most characters of a failing cell's value a report keeps: enough to recognise it, so
/// that twenty cells of a megabyte each do not make a 20 MB report.
pub const MAX_FAILING_VALUE: usize = 200;

/// One failing cell: the 1-based CSV line of its row, its column and its value as text (cut
/// to [`MAX_FAILING_VALUE`] characters with `… (N characters)`). An engine that reads several
/// files (PRODUCT.md §14) also names the file and the row in it (1-based, the header not
/// counted: a CSV's row n is its line n + 1; a Parquet file has rows, and `line` is the row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailingCell {
    pub line: u64,
    pub column: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
}

impl FailingCell {
    /// Where the cell is, for a message: `line 12`, or `line 12 of logs/b.csv` when the data
    /// is several files.
    pub fn place(&self) -> String {
        match &self.file {
            Some(file) => format!("line {} of {file}", self.line),
            None => format!("line {}", self.line),
        }
    }
}

/// How many rows failed a row-level test, with the first [`FAILURE_SAMPLE`] of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failures {
    pub count: usize,
    pub sample: Vec<FailingCell>,
}

impl Failures {
    /// Counts a failing cell, keeping it in the sample while there is room.
    pub fn push(&mut self, line: u64, column: &str, value: impl Into<String>) {
        self.count += 1;
        if self.sample.len() < FAILURE_SAMPLE {
            let value = value.into();
            let value = match fmt::excerpt_to(&value, MAX_FAILING_VALUE) {
                std::borrow::Cow::Borrowed(_) => value,
                std::borrow::Cow::Owned(cut) => cut,
            };
            self.sample.push(FailingCell { line, column: column.to_owned(), value, file: None, row: None });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// One test's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestReport {
    pub id: String,
    pub kind: String,
    pub family: Family,
    pub severity: crate::vocab::Severity,
    pub status: Status,
    pub message: String,
    pub observed: serde_json::Value,
    pub steps: Vec<Step>,
    pub variables: Vec<Variable>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub failures: Option<Failures>,
    /// For `metric_threshold`, `per_class_metric` and `cross_validation`: each bound checked,
    /// with the value found (the page draws them as bars against their thresholds).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub bounds: Vec<Bound>,
    /// For `slice_metric`, `slice_gap` and `fairness`: every slice (group) of the evaluated
    /// rows, judged or not.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub slices: Vec<SliceOutcome>,
    /// For `drift`: every column compared.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub drift: Vec<DriftOutcome>,
}

/// The whole run: PRODUCT.md §4's JSON report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The version of mltest that made the report.
    pub mltest: String,
    pub suite: String,
    /// The engine that answered the data tests (PRODUCT.md §14): `memory`, `datafusion` or
    /// `ballista`.
    #[serde(default = "memory_engine")]
    pub engine: String,
    pub verdict: Verdict,
    pub summary: Summary,
    pub dataset: Dataset,
    pub seed: Option<u64>,
    /// Wall-clock time per stage; the only part of a report that differs between two runs.
    pub timings_ms: BTreeMap<String, f64>,
    pub tests: Vec<TestReport>,
    /// The stage strip: data → split → preprocess → train → evaluate → verdict.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub stages: Vec<StageOutcome>,
    /// The model the suite trained, on its test rows; absent when no pipeline trained.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub model: Option<ModelSummary>,
    /// The seeded samples an engine that queries files drew for what runs in memory;
    /// absent when it read every row (and always on the memory engine).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub samples: Vec<Sample>,
}

/// A seeded sample of the data (PRODUCT.md §14): the model's training and its tests,
/// `no_target_leakage` and `drift` between the split's parts read `rows` of its `total` rows.
/// (Drift against a reference reads every row of both.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    /// What was sampled: `data` (a reference is read whole).
    pub of: String,
    pub rows: usize,
    pub total: usize,
    pub seed: u64,
}

impl Sample {
    /// `1000000 of 10000000 rows of the data, seed 42`.
    pub fn line(&self) -> String {
        format!("{} of {} rows of the {}, seed {}", self.rows, self.total, self.of, self.seed)
    }
}

/// What reads a sample, for the reports' line about it.
pub const SAMPLE_READERS: &str = "the model, no_target_leakage and drift between the split's parts read it";

/// The engine of a report written before reports named one.
fn memory_engine() -> String {
    "memory".to_owned()
}

impl Report {
    pub fn to_json(&self) -> String {
        // A report holds only strings, numbers and maps with string keys: it always serialises.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The JSON report as a file: what `mltest run --format json` writes and the page downloads.
    pub fn to_json_file(&self) -> String {
        self.to_json() + "\n"
    }

    /// The verdict in a few words, as the banner of the page and the end of the text report.
    pub fn headline(&self) -> String {
        let s = &self.summary;
        match self.verdict {
            Verdict::Pass if s.warned > 0 => format!(
                "{} of {} tests pass, {} with warnings — ready to deploy",
                s.passed + s.warned,
                s.total(),
                s.warned
            ),
            Verdict::Pass => format!("{} of {} tests pass — ready to deploy", s.passed, s.total()),
            Verdict::Fail if s.failed == 0 && s.errored == 0 => {
                "no test was evaluated — add or enable a test".to_owned()
            }
            Verdict::Fail => {
                let mut parts = Vec::new();
                if s.failed > 0 {
                    parts.push(format!("{} failed", s.failed));
                }
                if s.errored > 0 {
                    parts.push(format!("{} could not run", s.errored));
                }
                format!("{} — fix the code or the tests", parts.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(statuses: &[Status]) -> Summary {
        Summary::count(statuses.iter().copied())
    }

    #[test]
    fn warnings_do_not_fail_the_verdict() {
        assert_eq!(summary(&[Status::Pass, Status::Warn, Status::Skipped]).verdict(), Verdict::Pass);
    }

    #[test]
    fn a_failure_or_an_error_fails_the_verdict() {
        assert_eq!(summary(&[Status::Pass, Status::Fail]).verdict(), Verdict::Fail);
        assert_eq!(summary(&[Status::Pass, Status::Error]).verdict(), Verdict::Fail);
    }

    #[test]
    fn a_suite_that_evaluated_nothing_does_not_pass() {
        assert_eq!(summary(&[]).verdict(), Verdict::Fail);
        assert_eq!(summary(&[Status::Skipped, Status::Skipped]).verdict(), Verdict::Fail);
    }

    #[test]
    fn regression_a_huge_failing_value_is_cut_in_the_report() {
        let mut failures = Failures::default();
        failures.push(2, "text", "v".repeat(1 << 20));
        failures.push(3, "text", "short");
        let kept = &failures.sample[0].value;
        assert_eq!(*kept, format!("{}… (1048576 characters)", "v".repeat(MAX_FAILING_VALUE)));
        assert_eq!(failures.sample[1].value, "short");
        assert_eq!(failures.count, 2);
    }

    #[test]
    fn closing_line_names_skipped_only_when_there_are_some() {
        assert_eq!(summary(&[Status::Pass, Status::Fail]).line(), "1 passed, 1 failed, 0 warned, 0 errored");
        assert_eq!(
            summary(&[Status::Pass, Status::Skipped]).line(),
            "1 passed, 0 failed, 0 warned, 0 errored, 1 skipped"
        );
    }
}
