//! The one orchestrator: `run(&Suite, &Table) -> Report`.
//!
//! A run is pure and deterministic for a given suite and table: tests run in the suite's
//! order, each yields a [`TestReport`](crate::report::TestReport), and only `timings_ms`
//! differs between two runs. A test whose severity is `warn` reports a failure as `warn`; a
//! test that cannot be evaluated is `error`; a disabled test is `skipped`.

mod clock;

pub use clock::now_ms;

use std::collections::BTreeMap;

use serde_json::json;

use crate::checks::Context;
use crate::report::{Dataset, Report, Status, Summary, TestReport, Trace};
use crate::samples;
use crate::suite::{DataSource, Severity, Suite, TestSpec};
use crate::table::{read_csv, LoadError, LoadOptions, Table};

/// Runs every test of `suite` on `table`.
pub fn run(suite: &Suite, table: &Table) -> Report {
    let started = now_ms();
    let ctx = Context {
        table,
        target: suite.target.as_deref(),
        task: suite.task,
        features: suite.features.as_deref(),
        drop: suite.drop.as_deref().unwrap_or_default(),
    };
    let mut tests: Vec<TestReport> = data_mismatch(suite, table).into_iter().collect();
    tests.extend(suite.tests.iter().map(|spec| run_test(spec, &ctx)));

    let summary = Summary::count(tests.iter().map(|t| t.status));
    let mut timings_ms = BTreeMap::new();
    timings_ms.insert("data_tests".to_owned(), now_ms() - started);
    Report {
        mltest: env!("CARGO_PKG_VERSION").to_owned(),
        suite: suite.title(table.name()).to_owned(),
        verdict: summary.verdict(),
        summary,
        dataset: Dataset {
            name: table.name().to_owned(),
            rows: table.n_rows(),
            columns: table.n_cols(),
            sha256: table.sha256().to_owned(),
        },
        seed: None,
        timings_ms,
        tests,
    }
}

fn run_test(spec: &TestSpec, ctx: &Context<'_>) -> TestReport {
    let mut trace = Trace::default();
    let (status, message, observed, failures) = if !spec.enabled {
        trace.step("skip()", "the test is disabled in the suite", "SKIPPED");
        (Status::Skipped, "disabled in the suite".to_owned(), json!(null), None)
    } else {
        match spec.check.run(ctx, &mut trace) {
            Ok(evaluation) => {
                let status = match (evaluation.passed, spec.severity) {
                    (true, _) => Status::Pass,
                    (false, Severity::Fail) => Status::Fail,
                    (false, Severity::Warn) => Status::Warn,
                };
                (status, evaluation.message, evaluation.observed, evaluation.failures)
            }
            Err(reason) => (Status::Error, reason, json!(null), None),
        }
    };
    let (steps, variables) = trace.finish();
    TestReport {
        id: spec.id.clone(),
        kind: spec.check.kind().to_owned(),
        family: spec.check.family(),
        severity: spec.severity,
        status,
        message,
        observed,
        steps,
        variables,
        failures,
    }
}

/// When the suite pins the data's SHA-256 or row count and the table differs, an `error`
/// result says so: a different file must not be tested silently.
fn data_mismatch(suite: &Suite, table: &Table) -> Option<TestReport> {
    let mut trace = Trace::default();
    let mut problems = Vec::new();
    if let Some(expected) = &suite.data.sha256 {
        let matches = expected.eq_ignore_ascii_case(table.sha256());
        trace.step(
            format!("sha256({})", table.name()),
            format!("expected {}…", &expected[..12.min(expected.len())]),
            format!("sha256 = {}…", &table.sha256()[..12.min(table.sha256().len())]),
        );
        if !matches {
            problems.push(format!("its SHA-256 is {}, the suite expects {expected}", table.sha256()));
        }
    }
    if let Some(expected) = suite.data.rows {
        trace.step(
            format!("count_rows({})", table.name()),
            format!("expected {expected}"),
            format!("rows = {}", table.n_rows()),
        );
        if expected != table.n_rows() {
            problems.push(format!("it has {} rows, the suite expects {expected}", table.n_rows()));
        }
    }
    if trace.steps().is_empty() {
        return None;
    }
    let passed = problems.is_empty();
    trace.assert(
        "data is the file the suite was written for",
        if passed { "same" } else { "different" },
        passed,
    );
    let (steps, variables) = trace.finish();
    Some(TestReport {
        id: "data".to_owned(),
        kind: "data_matches".to_owned(),
        family: crate::checks::Family::Data,
        severity: Severity::Fail,
        status: if passed { Status::Pass } else { Status::Error },
        message: if passed {
            format!("{} is the file the suite was written for", table.name())
        } else {
            format!("{} is not the file the suite was written for: {}", table.name(), problems.join("; "))
        },
        observed: json!({ "sha256": table.sha256(), "rows": table.n_rows() }),
        steps,
        variables,
        failures: None,
    })
}

/// The table a suite's data source holds when it needs no file: a bundled sample or CSV
/// inlined in the suite. `None` for a `file` source, which the caller reads.
pub fn builtin_data(suite: &Suite, options: &LoadOptions) -> Option<Result<Table, LoadError>> {
    match suite.data.kind() {
        DataSource::Sample(name) => {
            let sample = samples::get(name)?;
            Some(read_csv(sample.csv, sample.file, options))
        }
        DataSource::Inline(csv) => Some(read_csv(csv.as_bytes(), "inline data", options)),
        DataSource::File(_) => None,
    }
}
