//! The steps the benchmarks time, in one place for the native run (`mltest-bench native`)
//! and the browser page (`src/bin/bench.rs`), so the wasm and the native engine do exactly
//! the same work on a [`crate::synth`] file:
//!
//! 1. [`parse_profile`]: CSV bytes → typed table → every column's profile;
//! 2. [`data_tests`]: the data-test suite [`DATA_SUITE`] on the table, to its verdict;
//! 3. [`split_scale`]: prepare, split 80/20 (seed 42), impute means and standardise;
//! 4. [`train_evaluate`]: train each of [`models`] on the train rows and score the test rows.
//!
//! The peers (PapaParse and ml.js in the page, pandas and scikit-learn natively) repeat each
//! step with their own code on the same file and the same test rows ([`Scaled::test_rows`]).
//!
//! The drift benchmark reads two files, a reference and a current one whose first features
//! are shifted ([`crate::synth::SynthSpec::shift`]), and has two steps of its own, compared
//! with Evidently's `DataDriftPreset` (scripts/bench_drift.py):
//!
//! 5. [`drift_parse`]: both CSVs → typed tables;
//! 6. [`drift`]: the suite [`DRIFT_SUITE`] (one `drift` test on every column) on the current
//!    table against the reference, to its verdict; [`drift_found`] is what it found.

use ndarray::Array2;

use crate::pipeline::evaluate::Metric;
use crate::pipeline::fit::{split_rows, PipelineSpec};
use crate::pipeline::model::{self, Criterion, ModelSpec};
use crate::pipeline::prepare::{prepare, Target};
use crate::pipeline::preprocess::{Impute, PreprocessSpec, Preprocessor, Scale};
use crate::pipeline::split::SplitSpec;
use crate::report::Report;
use crate::suite::{self, Suite, Task};
use crate::synth::{LABEL, TARGET};
use crate::table::{profile, read_csv, read_csv_hashed, ColumnProfile, LoadError, LoadOptions, Table};

/// The data tests timed on a generated file: the checks a suite runs before training.
pub const DATA_SUITE: &str = r#"{
  "version": 1,
  "name": "Generated data: data quality",
  "data": { "source": "file" },
  "target": "label",
  "task": "classification",
  "tests": [
    { "id": "schema", "kind": "columns_present", "columns": ["x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "label", "target"], "exact": true },
    { "id": "no-missing", "kind": "not_null", "column": "*" },
    { "id": "x0-float", "kind": "column_type", "column": "x0", "type": "float" },
    { "id": "x0-range", "kind": "values_between", "column": "x0", "min": -10, "max": 10 },
    { "id": "label-known", "kind": "values_in_set", "column": "label", "allowed": ["yes", "no"] },
    { "id": "enough-rows", "kind": "row_count_between", "min": 1000 },
    { "id": "x1-mean", "kind": "column_stat_between", "column": "x1", "stat": "mean", "min": -0.1, "max": 0.1 },
    { "id": "balanced", "kind": "class_balance", "min_minority_ratio": 0.3 },
    { "id": "duplicates", "kind": "no_duplicate_rows", "max_ratio": 0.01 },
    { "id": "varied", "kind": "not_constant", "column": "*" }
  ]
}"#;

/// The drift test timed on a reference and a current generated file. No `target`: `*` then
/// tests all twelve columns (the label with `jensen_shannon`, the numbers with `wasserstein`
/// once the reference has over 1,000 rows), as Evidently's `DataDriftPreset` does when its
/// data definition names the label categorical and the rest numerical and gives no target.
pub const DRIFT_SUITE: &str = r#"{
  "version": 1,
  "name": "Generated data: drift",
  "data": { "source": "file" },
  "reference": { "source": "file" },
  "tests": [
    { "id": "drift", "kind": "drift", "column": "*", "method": "auto" }
  ]
}"#;

/// The steps' names, as the results' `step` field says them.
pub const PARSE_PROFILE: &str = "parse_profile";
pub const DATA_TESTS: &str = "data_tests";
pub const SPLIT_SCALE: &str = "split_scale";
pub const DRIFT_PARSE: &str = "drift_parse";
pub const DRIFT: &str = "drift";

/// The models every tool trains, named as the results name them, with the settings the
/// peers are matched to (BENCHMARKS.md says where a peer cannot match them), and the most
/// rows each is timed on: an SVM's training grows with the square of the rows (scikit-learn's
/// `SVC` too: minutes at 100,000), and k nearest neighbours predicts 20% of the file from the
/// other 80% (tens of seconds per run at a million rows, for every tool).
pub fn models() -> [(&'static str, ModelSpec, usize); 5] {
    [
        (
            "logistic_regression",
            ModelSpec::LogisticRegression(model::logistic_regression::LogisticRegression {
                max_iterations: 100,
                c: 1.0,
            }),
            usize::MAX,
        ),
        (
            "decision_tree",
            ModelSpec::DecisionTree(model::decision_tree::DecisionTree {
                max_depth: Some(8),
                min_samples_split: 2,
                criterion: Criterion::Gini,
            }),
            usize::MAX,
        ),
        (
            "gaussian_nb",
            ModelSpec::GaussianNb(model::gaussian_nb::GaussianNb { var_smoothing: 1e-9 }),
            usize::MAX,
        ),
        // scikit-learn's SVC(C=1, kernel="rbf", gamma="scale").
        (
            "svm",
            ModelSpec::Svm(model::svm::Svm { c: 1.0, kernel: model::svm::Kernel::Rbf, gamma: None }),
            20_000,
        ),
        // scikit-learn's KNeighborsClassifier(n_neighbors=5).
        ("knn", ModelSpec::Knn(model::knn::Knn { k: 5 }), 100_000),
    ]
}

/// The models timed on a file of `rows` rows, by name (see [`models`]).
pub fn models_for(rows: usize) -> impl Iterator<Item = (&'static str, ModelSpec)> {
    models().into_iter().filter(move |(_, _, max_rows)| rows <= *max_rows).map(|(name, spec, _)| (name, spec))
}

/// The pipeline of steps 3 and 4: `label` from every `x` (the regression `target` dropped).
pub fn pipeline(model: ModelSpec) -> PipelineSpec {
    PipelineSpec {
        target: LABEL.into(),
        task: Task::Classification,
        features: None,
        drop: vec![TARGET.into()],
        split: SplitSpec { test_size: 0.2, seed: 42, stratify: false },
        preprocess: PreprocessSpec {
            impute: Some(Impute::Mean),
            scale: Some(Scale::Standard),
            one_hot: None,
        },
        model,
    }
}

/// Step 1: the table and its profile.
pub fn parse_profile(csv: &[u8]) -> Result<(Table, Vec<ColumnProfile>), String> {
    profiled(read_csv(csv, "bench.csv", &LoadOptions::default()))
}

/// [`parse_profile`] as the page's loader does it: the SHA-256 is left to the browser, which
/// hashes the bytes on its own threads beside it (src/app/worker.rs, `BrowserSha256`); the
/// benchmark page starts that digest before this step and waits for it after.
pub fn parse_profile_unhashed(csv: &[u8]) -> Result<(Table, Vec<ColumnProfile>), String> {
    profiled(read_csv_hashed(csv, "bench.csv", &LoadOptions::default(), String::new()))
}

fn profiled(read: Result<Table, LoadError>) -> Result<(Table, Vec<ColumnProfile>), String> {
    let table = read.map_err(|e| e.to_string())?;
    let profiles = profile(&table);
    Ok((table, profiles))
}

/// The checked [`DATA_SUITE`].
pub fn data_suite() -> Suite {
    suite::parse(DATA_SUITE, suite::Format::Json, "bench-data.json").expect("DATA_SUITE is a valid suite")
}

/// Step 2: the data tests' report.
pub fn data_tests(suite: &Suite, table: &Table) -> Report {
    crate::run::run(suite, table)
}

/// Step 3's result: standardised inputs of both parts and their labels.
pub struct Scaled {
    pub x_train: Array2<f64>,
    pub x_test: Array2<f64>,
    pub y_train: Target,
    pub y_test: Target,
    /// The test rows as 0-based data rows of the file (line − 2), ascending: the rows every
    /// peer scores.
    pub test_rows: Vec<usize>,
}

/// Step 3: prepare, split, fit the imputer and scaler on the train rows, transform both parts.
pub fn split_scale(table: &Table) -> Result<Scaled, String> {
    let spec = pipeline(models()[0].1.clone());
    let prepared = prepare(table, &spec.inputs())?;
    let parts = split_rows(&prepared, &spec.split).map_err(|e| e.to_string())?;
    let pre = Preprocessor::fit(&prepared, &parts.train, spec.preprocess)?;
    Ok(Scaled {
        x_train: pre.transform(&prepared, &parts.train)?,
        x_test: pre.transform(&prepared, &parts.test)?,
        y_train: prepared.target.select(&parts.train),
        y_test: prepared.target.select(&parts.test),
        test_rows: parts.test.iter().map(|&p| prepared.rows.get(p)).collect(),
    })
}

/// Step 4: train `model` on the train rows, predict the test rows, return the accuracy.
pub fn train_evaluate(scaled: &Scaled, model: &ModelSpec) -> Result<f64, String> {
    let fitted = model.fit(scaled.x_train.view(), &scaled.y_train)?;
    let output = fitted.predict(scaled.x_test.view());
    Metric::Accuracy.compute(&scaled.y_test, &output, None)
}

/// The checked [`DRIFT_SUITE`].
pub fn drift_suite() -> Suite {
    suite::parse(DRIFT_SUITE, suite::Format::Json, "bench-drift.json").expect("DRIFT_SUITE is a valid suite")
}

/// Step 5: the reference's and the current file's tables (no profile: the drift test reads
/// the columns).
pub fn drift_parse(reference: &[u8], current: &[u8]) -> Result<(Table, Table), String> {
    let read = |bytes: &[u8], name: &str| {
        read_csv(bytes, name, &LoadOptions::default()).map_err(|e| format!("{name}: {e}"))
    };
    Ok((read(reference, "reference.csv")?, read(current, "current.csv")?))
}

/// Step 6: the drift suite's report, run as `mltest run --reference` runs it.
pub fn drift(suite: &Suite, reference: &Table, current: &Table) -> Report {
    crate::run::run_with(suite, current, Some(reference), false, &mut |_| {}).0
}

/// What step 6 found, for the results and for the peer to check against: the verdict, the
/// share of drifted columns, their names in the file's order, and every column's outcome
/// (`{column, method, statistic, threshold, drifted}`).
pub fn drift_found(report: &Report) -> Result<serde_json::Value, String> {
    let test = report.tests.first().ok_or("the drift report has no test")?;
    if test.drift.is_empty() {
        return Err(format!("the drift test did not compare the columns: {}", test.message));
    }
    let drifted: Vec<&str> = test.drift.iter().filter(|o| o.drifted).map(|o| o.column.as_str()).collect();
    Ok(serde_json::json!({
        "verdict": report.verdict.label(),
        "share": test.observed,
        "drifted": drifted,
        "columns": test.drift,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Verdict;
    use crate::synth::{generate_csv, SynthSpec};

    fn csv(rows: usize, missing: f64) -> Vec<u8> {
        generate_csv(&SynthSpec { rows, missing, ..SynthSpec::default() })
    }

    #[test]
    fn every_step_runs_on_a_generated_file_and_every_model_scores_as_scikit_learn() {
        let (table, profiles) = parse_profile(&csv(5_000, 0.0)).unwrap();
        assert_eq!(profiles.len(), 12);
        let report = data_tests(&data_suite(), &table);
        assert_eq!(report.verdict, Verdict::Pass, "{:?}", report.summary);
        assert_eq!(report.summary.passed, 10);
        let scaled = split_scale(&table).unwrap();
        assert_eq!((scaled.x_train.nrows(), scaled.x_test.nrows()), (4_000, 1_000));
        assert_eq!(scaled.x_train.ncols(), 10, "the regression target is not a feature");
        // Expected from scikit-learn 1.9.1 on the same 1,000 test rows and settings
        // (scripts/bench_sklearn.py on `mltest-bench gen --rows 5000`). The label's noise keeps
        // the best linear rule near 0.94; a depth-8 tree cuts the oblique boundary into boxes.
        let expected = [("logistic_regression", 0.944), ("decision_tree", 0.766), ("gaussian_nb", 0.942)];
        for ((name, model), (sk_name, sk_accuracy)) in models_for(5_000).zip(expected) {
            assert_eq!(name, sk_name);
            let accuracy = train_evaluate(&scaled, &model).unwrap();
            assert!((accuracy - sk_accuracy).abs() < 1e-12, "{name}: {accuracy}, scikit-learn {sk_accuracy}");
        }
    }

    #[test]
    fn the_drift_step_flags_exactly_the_shifted_columns_with_evidentlys_statistics() {
        let reference = generate_csv(&SynthSpec { rows: 5_000, ..SynthSpec::default() });
        let current =
            generate_csv(&SynthSpec { rows: 5_000, seed: 2027, shift: 0.5, ..SynthSpec::default() });
        let (reference, current) = drift_parse(&reference, &current).unwrap();
        let report = drift(&drift_suite(), &reference, &current);
        let found = drift_found(&report).unwrap();
        assert_eq!(found["drifted"], serde_json::json!(crate::synth::SHIFTED));
        assert_eq!(found["share"], serde_json::json!(2.0 / 12.0), "all twelve columns are tested");
        assert_eq!(report.verdict, Verdict::Pass, "2 of 12 drifted, under the default share 0.5");
        // Expected from Evidently 0.7.23 (scripts/bench_drift.py on the same two files:
        // `mltest-bench gen --rows 5000` and `--rows 5000 --seed 2027 --shift 0.5`),
        // `Report([DataDriftPreset()], include_tests=True)`, each ValueDrift's value.
        let expected = [
            ("x0", "wasserstein", 0.513317548613704),
            ("x1", "wasserstein", 0.4161544200006194),
            ("x2", "wasserstein", 0.026468676426200013),
            ("label", "jensen_shannon", 0.003253062925690147),
            ("target", "wasserstein", 0.015753280700282448),
        ];
        let columns = &report.tests[0].drift;
        for (column, method, evidently) in expected {
            let outcome = columns.iter().find(|o| o.column == column).unwrap();
            assert_eq!(outcome.method, method, "{column}");
            let statistic = outcome.statistic.unwrap();
            assert!(
                (statistic - evidently).abs() <= 1e-9 * evidently,
                "{column}: {statistic}, Evidently {evidently}"
            );
        }
    }

    #[test]
    fn the_test_rows_are_file_rows_and_the_same_each_time() {
        let (table, _) = parse_profile(&csv(1_000, 0.0)).unwrap();
        let a = split_scale(&table).unwrap().test_rows;
        assert_eq!(a.len(), 200);
        assert!(a.windows(2).all(|w| w[0] < w[1]) && *a.last().unwrap() < 1_000);
        assert_eq!(a, split_scale(&table).unwrap().test_rows);
    }

    #[test]
    fn missing_cells_fail_the_null_test_and_are_imputed_before_training() {
        let (table, _) = parse_profile(&csv(2_000, 0.05)).unwrap();
        let report = data_tests(&data_suite(), &table);
        let no_missing = report.tests.iter().find(|t| t.id == "no-missing").unwrap();
        assert_eq!(report.verdict, Verdict::Fail);
        assert!(no_missing.failures.is_some());
        let scaled = split_scale(&table).unwrap();
        assert!(scaled.x_train.iter().all(|v| v.is_finite()));
        assert!(train_evaluate(&scaled, &models()[0].1).unwrap() > 0.85);
    }
}
