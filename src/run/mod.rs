//! The one orchestrator: `run(&Suite, &Table) -> Report`.
//!
//! A run is pure and deterministic for a given suite and table: tests run in the suite's
//! order, each yields a [`TestReport`](crate::report::TestReport), and only `timings_ms`
//! differs between two runs. A test whose severity is `warn` reports a failure as `warn`; a
//! test that cannot be evaluated is `error`; a disabled test is `skipped`. The report also
//! gets the stage strip and, when the pipeline trained, the model's confusion matrix and ROC
//! curves (`summary`), for the page's charts.

mod summary;

pub use crate::vocab::now_ms;

use std::collections::BTreeMap;

use serde_json::json;

use crate::checks::data::{first_asks, first_scans, no_rows, Facts};
use crate::checks::{threshold, Check, Context, Family};
use crate::pipeline::fit::{self, Prediction, StageError};
use crate::pipeline::limits::MAX_SUITE_FITS;
use crate::report::{Dataset, Report, Sample, Status, Summary, TestReport, Trace};
use crate::samples;
use crate::suite::{DataSource, DataSpec, Severity, Suite, TestSpec};
use crate::table::{read_csv, LoadError, LoadErrorKind, LoadOptions, Table};

/// The kind of the `error` result that reports a pipeline that did not train.
const PIPELINE_FAILURE: &str = "pipeline_trains";

/// Runs every test of `suite` on `table`.
/// A `reference` the suite carries (a sample, inline CSV) is read here; a reference file is
/// the caller's to read ([`run_with`]), and drift says when it was not given.
pub fn run(suite: &Suite, table: &Table) -> Report {
    let reference = builtin_reference(suite, &LoadOptions::default()).and_then(Result::ok);
    run_with(suite, table, reference.as_ref(), false, &mut |_| {}).0
}

/// [`run`], telling `progress` what it is doing as it goes: each pipeline stage
/// (`prepare`, `split`, `preprocess`, `train`, `predict`) and each test (`test 3 of 12: acc`), for a progress bar.
pub fn run_observed(suite: &Suite, table: &Table, progress: &mut dyn FnMut(&str)) -> Report {
    run_with(suite, table, None, false, progress).0
}

/// Runs the suite as [`run`] does and also returns the test rows' predictions: `None` when
/// the suite has no model, the failed stage when the pipeline did not train.
pub fn run_with_predictions(
    suite: &Suite,
    table: &Table,
) -> (Report, Option<Result<Vec<Prediction>, StageError>>) {
    run_with(suite, table, None, true, &mut |_| {})
}

/// Every way to run: `table` tested, `reference` the data `drift` compares it with (PRODUCT.md
/// §12; without one, drift compares the split's train part with its test part), the test
/// rows' predictions kept when asked ([`run_with_predictions`]), `progress` told each stage.
pub fn run_with(
    suite: &Suite,
    table: &Table,
    reference: Option<&Table>,
    keep_predictions: bool,
    progress: &mut dyn FnMut(&str),
) -> (Report, Option<Result<Vec<Prediction>, StageError>>) {
    run_input(suite, &Input::memory(table, reference), keep_predictions, progress)
}

/// What a run reads besides the suite.
pub struct Input<'a> {
    /// What the model trains on and the pipeline's tests read: the data, or with an engine
    /// that queries files (PRODUCT.md §14) a seeded sample of it.
    pub table: &'a Table,
    /// What `no_target_leakage` scores: `table`, or a seeded sample of every column when
    /// `table` holds only a `predictions` model's columns.
    pub sample: &'a Table,
    /// What data tests ask about the data: `table` itself, or the files queried whole.
    pub data: &'a dyn Facts,
    /// The data as the report describes it.
    pub dataset: Dataset,
    /// The engine that answered the data tests, as the report names it.
    pub engine: &'static str,
    /// The data `drift` compares with: a loaded table, or files queried whole.
    pub reference: Option<&'a dyn Facts>,
    /// The samples `table` and `reference` are, when they are not every row.
    pub samples: Vec<Sample>,
}

impl<'a> Input<'a> {
    /// A loaded table, tested by the memory engine.
    pub fn memory(table: &'a Table, reference: Option<&'a Table>) -> Input<'a> {
        Input {
            table,
            sample: table,
            data: table,
            dataset: Dataset::of(table),
            engine: MEMORY,
            reference: reference.map(|table| table as &dyn Facts),
            samples: Vec::new(),
        }
    }
}

/// The columns a run of `suite` reads for its `predictions` model: the target, the model's
/// outputs and every column an enabled test names (a slice's, a group's), each once. `None`
/// when the model is one mltest trains (it reads every column), or when nothing reads the
/// model (no model test, and its predictions not kept).
pub fn predictions_columns(suite: &Suite, keep_predictions: bool) -> Option<Vec<&str>> {
    let pipeline = suite.pipeline.as_ref()?;
    let outputs = pipeline.model.reads_outputs()?;
    let enabled = || suite.tests.iter().filter(|t| t.enabled);
    if !keep_predictions && enabled().all(|t| t.check.family() == Family::Data) {
        return None;
    }
    let mut columns = vec![pipeline.target.as_str()];
    columns.extend(outputs.columns());
    columns.extend(enabled().flat_map(|t| t.check.columns_read()));
    let mut seen = std::collections::HashSet::new();
    columns.retain(|c| seen.insert(*c));
    Some(columns)
}

/// How many scans of `data` the data tests of `suite` start with ([`first_scans`]): for an
/// engine that scans files to choose, before the run, how to hold them.
pub fn data_scans(suite: &Suite, data: &dyn Facts) -> usize {
    // The count reads no rows: the tests run on none.
    first_scans(data_checks(suite), &context(suite, &no_rows(data), data))
}

/// The enabled data tests of `suite`.
fn data_checks(suite: &Suite) -> impl Iterator<Item = &Check> {
    suite.tests.iter().filter(|t| t.enabled && t.check.family() == Family::Data).map(|t| &t.check)
}

/// What a test of `suite` reads: `table` and `data`, no reference, no model (a run fills in
/// what it has).
fn context<'a>(suite: &'a Suite, table: &'a Table, data: &'a dyn Facts) -> Context<'a> {
    Context {
        table,
        sample: table,
        data,
        reference: None,
        reference_named: suite.reference.is_some(),
        target: suite.target.as_deref(),
        task: suite.task,
        features: suite.features.as_deref(),
        drop: suite.drop.as_deref().unwrap_or_default(),
        pipeline: suite.pipeline.as_ref(),
        trained: None,
    }
}

/// The report's name for the engine that tests a loaded table.
pub const MEMORY: &str = "memory";

/// [`run_with`] on any [`Input`].
pub fn run_input(
    suite: &Suite,
    input: &Input<'_>,
    keep_predictions: bool,
    progress: &mut dyn FnMut(&str),
) -> (Report, Option<Result<Vec<Prediction>, StageError>>) {
    let Input { table, sample, data, ref dataset, engine, reference, ref samples } = *input;
    let mut timings_ms = BTreeMap::new();
    // The pipeline is trained once, before the tests, when an enabled test reads it.
    let needs_model = keep_predictions
        || suite.tests.iter().any(|t| t.enabled && !matches!(t.check.family(), Family::Data));
    let trained = match (&suite.pipeline, needs_model) {
        (Some(spec), true) => {
            let result = fit::train_observed(table, spec, &mut |stage| progress(stage.name()));
            if let Ok(trained) = &result {
                for (stage, ms) in &trained.timings {
                    timings_ms.insert(stage.name().to_owned(), *ms);
                }
            }
            Some(result)
        }
        _ => None,
    };
    let ctx = Context { sample, reference, trained: trained.as_ref(), ..context(suite, table, data) };
    // An engine that scans files answers the data tests' aggregates in one scan, asked first.
    if data.gathers() {
        // What cannot be answered together is asked again by its test, which reports the error.
        let _ = data.gather(&first_asks(data_checks(suite), &ctx));
    }
    let mut tests: Vec<TestReport> = data_mismatch(suite, dataset).into_iter().collect();
    tests.extend(pipeline_failure(trained.as_ref()));
    let started = now_ms();
    // Model fits started so far: a test that would pass the limit is not run (suite
    // validation refuses such a suite; this holds for any suite the runner is given).
    let mut fits = usize::from(trained.is_some());
    for (index, spec) in suite.tests.iter().enumerate() {
        progress(&format!("test {} of {}: {}", index + 1, suite.tests.len(), spec.id));
        let family = spec.check.family();
        let test_started = now_ms();
        let test_fits = if spec.enabled { threshold::fits_of(&spec.check) } else { 0 };
        if test_fits > 0 && fits + test_fits > MAX_SUITE_FITS {
            tests.push(not_run(spec, threshold::fit_budget_error(&spec.id, fits, test_fits)));
            continue;
        }
        fits += test_fits;
        tests.push(run_test(spec, &ctx));
        *timings_ms.entry(format!("{}_tests", family.name())).or_insert(0.0) += now_ms() - test_started;
    }
    timings_ms.insert("tests".to_owned(), now_ms() - started);

    let summary = Summary::count(tests.iter().map(|t| t.status));
    let stages = summary::stages(&tests, trained.as_ref(), summary.verdict());
    let model = match &trained {
        Some(Ok(trained)) => Some(summary::model_summary(trained, calibration_bins(suite))),
        _ => None,
    };
    let predictions = keep_predictions
        .then(|| trained.as_ref().map(|t| t.as_ref().map(fit::Trained::predictions).map_err(Clone::clone)))
        .flatten();
    let report = Report {
        mltest: env!("CARGO_PKG_VERSION").to_owned(),
        suite: suite.title(&dataset.name).to_owned(),
        engine: engine.to_owned(),
        verdict: summary.verdict(),
        summary,
        dataset: dataset.clone(),
        seed: suite.pipeline.as_ref().map(|p| p.split.seed),
        timings_ms,
        tests,
        stages,
        model,
        samples: samples.clone(),
    };
    (report, predictions)
}

fn run_test(spec: &TestSpec, ctx: &Context<'_>) -> TestReport {
    let mut trace = Trace::default();
    // Most unit and threshold tests read the suite's trained pipeline; when it failed they
    // cannot run. Tests that run the stages themselves (the integration test,
    // imputer_fills_all) report the failure as their own.
    let pipeline_failed = match ctx.trained {
        Some(Err(failed)) if spec.check.reads_trained_pipeline() => Some(failed),
        _ => None,
    };
    let (status, message, observed, failures) = if !spec.enabled {
        trace.step("skip()", "the test is disabled in the suite", "SKIPPED");
        (Status::Skipped, "disabled in the suite".to_owned(), json!(null), None)
    } else if let Some(failed) = pipeline_failed {
        trace.step(format!("{}()", failed.stage.name()), failed.message.clone(), "FAILED");
        trace.step("skip()", "needs the trained pipeline", "SKIPPED");
        (
            Status::Skipped,
            format!("not run: the pipeline's {} stage failed", failed.stage.name()),
            json!(null),
            None,
        )
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
    let slices = trace.take_slices();
    let drift = trace.take_drift();
    let (steps, variables) = trace.finish();
    let bounds = spec.check.bounds(&observed, ctx.task);
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
        bounds,
        slices,
        drift,
    }
}

/// The bins of the suite's first enabled `calibration` test: the report's reliability curve.
fn calibration_bins(suite: &Suite) -> Option<usize> {
    suite.tests.iter().filter(|t| t.enabled).find_map(|t| match &t.check {
        Check::Calibration(test) => Some(test.bins()),
        _ => None,
    })
}

/// A result the runner makes itself rather than a test's check (a test it refused to start,
/// the pipeline's failure, the data's mismatch): an `error` until said otherwise, with the
/// steps of `trace` and none of a check's failing rows, bounds, slices or drift.
fn runner_result(id: String, kind: String, family: Family, severity: Severity, trace: Trace) -> TestReport {
    let (steps, variables) = trace.finish();
    TestReport {
        id,
        kind,
        family,
        severity,
        status: Status::Error,
        message: String::new(),
        observed: json!(null),
        steps,
        variables,
        failures: None,
        bounds: Vec::new(),
        slices: Vec::new(),
        drift: Vec::new(),
    }
}

/// The `error` result of a test the runner refused to start.
fn not_run(spec: &TestSpec, reason: String) -> TestReport {
    let mut trace = Trace::default();
    trace.step("skip()", reason.clone(), "ERROR");
    let (id, kind) = (spec.id.clone(), spec.check.kind().to_owned());
    TestReport { message: reason, ..runner_result(id, kind, spec.check.family(), spec.severity, trace) }
}

/// When the suite's pipeline did not train, an `error` result says at which stage and why,
/// so the verdict fails even if no integration test is in the suite.
fn pipeline_failure(trained: Option<&Result<fit::Trained<'_>, fit::StageError>>) -> Option<TestReport> {
    let failed = trained?.as_ref().err()?;
    let mut trace = Trace::default();
    trace.step(format!("{}()", failed.stage.name()), failed.message.clone(), "FAILED");
    Some(TestReport {
        message: format!("the pipeline failed at its {} stage: {}", failed.stage.name(), failed.message),
        observed: json!({ "stage": failed.stage.name() }),
        ..runner_result(
            "pipeline".to_owned(),
            PIPELINE_FAILURE.to_owned(),
            Family::Integration,
            Severity::Fail,
            trace,
        )
    })
}

/// When the suite pins the data's SHA-256 or row count and the table differs, an `error`
/// result says so: a different file must not be tested silently.
fn data_mismatch(suite: &Suite, dataset: &Dataset) -> Option<TestReport> {
    let mut trace = Trace::default();
    let mut problems = Vec::new();
    if let Some(expected) = &suite.data.sha256 {
        let matches = expected.eq_ignore_ascii_case(&dataset.sha256);
        trace.step(
            format!("sha256({})", dataset.name),
            format!("expected {}…", &expected[..12.min(expected.len())]),
            format!("sha256 = {}…", &dataset.sha256[..12.min(dataset.sha256.len())]),
        );
        if !matches {
            problems.push(format!("its SHA-256 is {}, the suite expects {expected}", dataset.sha256));
        }
    }
    if let Some(expected) = suite.data.rows {
        trace.step(
            format!("count_rows({})", dataset.name),
            format!("expected {expected}"),
            format!("rows = {}", dataset.rows),
        );
        if expected != dataset.rows {
            problems.push(format!("it has {} rows, the suite expects {expected}", dataset.rows));
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
    Some(TestReport {
        status: if passed { Status::Pass } else { Status::Error },
        message: if passed {
            format!("{} is the file the suite was written for", dataset.name)
        } else {
            format!("{} is not the file the suite was written for: {}", dataset.name, problems.join("; "))
        },
        observed: json!({ "sha256": dataset.sha256, "rows": dataset.rows }),
        ..runner_result("data".to_owned(), "data_matches".to_owned(), Family::Data, Severity::Fail, trace)
    })
}

/// The table a suite's data source holds when it needs no file: a bundled sample or CSV
/// inlined in the suite. `None` for a `file` source, which the caller reads.
pub fn builtin_data(suite: &Suite, options: &LoadOptions) -> Option<Result<Table, LoadError>> {
    builtin(&suite.data, "inline data", options)
}

/// [`builtin_data`] of the suite's `reference`: `None` without one, or for a `file`.
pub fn builtin_reference(suite: &Suite, options: &LoadOptions) -> Option<Result<Table, LoadError>> {
    builtin(suite.reference.as_ref()?, "inline reference", options)
}

fn builtin(spec: &DataSpec, inline_name: &str, options: &LoadOptions) -> Option<Result<Table, LoadError>> {
    match spec.kind() {
        DataSource::Sample(name) => {
            let sample = samples::get(name)?;
            let bytes = match sample.bytes() {
                Ok(bytes) => bytes,
                Err(message) => {
                    return Some(Err(LoadError::new(sample.file, LoadErrorKind::Read { message })))
                }
            };
            Some(read_csv(&bytes, sample.file, options))
        }
        DataSource::Inline(csv) => Some(read_csv(csv.as_bytes(), inline_name, options)),
        DataSource::File(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::{parse, Format};

    #[test]
    fn progress_names_each_stage_then_each_test() {
        let suite = parse(
            r#"{"version": 1, "data": {"source": "sample:iris"}, "target": "species",
                "task": "classification", "model": {"kind": "gaussian_nb"},
                "tests": [{"id": "rows", "kind": "row_count_between", "min": 1},
                          {"id": "acc", "kind": "metric_threshold", "metric": "accuracy", "op": ">", "value": 0.5}]}"#,
            Format::Json,
            "s.json",
        )
        .unwrap();
        let table = builtin_data(&suite, &LoadOptions::default()).unwrap().unwrap();
        let mut seen = Vec::new();
        let report = run_observed(&suite, &table, &mut |what| seen.push(what.to_owned()));
        assert_eq!(
            seen,
            ["prepare", "split", "preprocess", "train", "predict", "test 1 of 2: rows", "test 2 of 2: acc"]
        );
        assert_eq!(report, Report { timings_ms: report.timings_ms.clone(), ..run(&suite, &table) });
        assert!(report.timings_ms["preprocess"] >= 0.0);
    }

    /// A suite of `n` cross-validation tests (5 folds each) on iris. Reading refuses more than
    /// the fit budget; a `Suite` built in code can still hold them, which the runner bounds too.
    fn many_cross_validations(n: usize) -> Suite {
        let mut suite = parsed_cross_validations(n.min(99));
        let template = suite.tests[0].clone();
        for i in suite.tests.len()..n {
            suite.tests.push(crate::suite::TestSpec { id: format!("cv-{i}"), ..template.clone() });
        }
        suite
    }

    fn parsed_cross_validations(n: usize) -> Suite {
        let tests: Vec<String> = (0..n)
            .map(|i| {
                format!(r#"{{"id": "cv-{i}", "kind": "cross_validation", "folds": 5, "min_mean": 0.5}}"#)
            })
            .collect();
        let text = format!(
            r#"{{"version": 1, "data": {{"source": "sample:iris"}}, "target": "species",
                "task": "classification", "model": {{"kind": "gaussian_nb"}}, "tests": [{}]}}"#,
            tests.join(",")
        );
        parse(&text, Format::Json, "s.json").unwrap()
    }

    #[test]
    fn regression_two_thousand_cross_validations_start_at_most_the_fit_limit() {
        // 2,000 tests × 5 folds = 10,000 fits: hours on a file that trains in a second.
        let suite = many_cross_validations(2_000);
        let checks = suite.tests.iter().map(|t| (t.id.as_str(), &t.check, t.enabled));
        let (index, message) = threshold::check_fit_budget(checks, true).unwrap_err();
        // The suite's training is one fit; 99 tests of 5 folds make 496, the 100th crosses 500.
        assert_eq!(index, 99);
        assert_eq!(
            message,
            "`cv-99` would start 5 model fits after the 496 of the tests before it and the suite's training: \
             a run starts at most 500 (501 of them); remove tests or lower their `folds`"
        );
        let table = builtin_data(&suite, &LoadOptions::default()).unwrap().unwrap();
        let report = run(&suite, &table);
        let ran = report.tests.iter().filter(|t| t.status == Status::Pass).count();
        assert_eq!(ran, 99);
        let refused = &report.tests[99];
        assert_eq!((refused.id.as_str(), refused.status), ("cv-99", Status::Error));
        assert_eq!(refused.message, message);
        assert!(report.tests[100..].iter().all(|t| t.status == Status::Error));
        assert!(threshold::check_fit_budget(
            many_cross_validations(99).tests.iter().map(|t| (t.id.as_str(), &t.check, t.enabled)),
            true
        )
        .is_ok());
    }
}
