use serde_json::{json, Value};

use super::*;
use crate::checks::data::{Ask, CellRule, Facts, StatOf};
use crate::report::{Dataset, Failures, Report, Status, TestReport};
use crate::run::{self, Input};
use crate::samples;
use crate::suite::{self, DataSource, Format as SuiteFormat, Suite};
use crate::table::stats::Interpolation;
use crate::table::LoadOptions;
use crate::vocab::Family;

/// A folder of the system's temporary directory for one test, removed when it ends.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("mltest-query-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A session over the file at `path`, spilling to `dir`.
fn open(path: &Path, dir: &Path) -> Session {
    open_on(path, &Runner::Here { memory_limit: 64 << 20, spill_dir: dir })
}

fn open_on(path: &Path, runner: &Runner<'_>) -> Session {
    Session::open(&Source::resolve(&path.display().to_string()).unwrap(), runner).unwrap()
}

/// The scheduler of a cluster in this process, started by the first test that asks.
#[cfg(feature = "ballista")]
fn local_cluster() -> &'static str {
    static SCHEDULER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SCHEDULER.get_or_init(|| {
        // One folder, emptied by each run: the executor keeps its jobs' files after them.
        let work = std::env::temp_dir().join("mltest-cluster-test");
        let _ = std::fs::remove_dir_all(&work);
        std::fs::create_dir_all(&work).unwrap();
        super::cluster::start_local(64 << 20, work).unwrap()
    })
}

/// `csv` written to `dir` as `file`, read by both engines: the memory engine's table and a
/// session over the file.
fn read_both(dir: &Path, file: &str, csv: &[u8]) -> (table::Table, Session) {
    let path = dir.join(file);
    std::fs::write(&path, csv).unwrap();
    (table::read_csv(csv, file, &LoadOptions::default()).unwrap(), open(&path, dir))
}

/// What a table says of its rows, missing cells and types, as a session says it.
fn counts_and_types(table: &table::Table) -> (Counts, Vec<(String, ColumnType)>) {
    let counts = Counts {
        rows: table.n_rows(),
        missing: table.columns().iter().map(|c| (c.name().to_owned(), c.missing_count())).collect(),
    };
    (counts, table.columns().iter().map(|c| (c.name().to_owned(), c.ty())).collect())
}

/// Every bundled data set read by both engines: the same rows, the same missing cells in
/// every column (penguins' `NA`s, diabetes' blanks) and the type `read_csv` infers.
#[test]
fn the_rows_missing_cells_and_types_of_every_sample_are_the_memory_engines() {
    let dir = Scratch::new("counts");
    for sample in samples::SAMPLES {
        let (table, session) = read_both(&dir.0, sample.file, sample.csv);
        assert_eq!((session.counts(), session.column_types()), counts_and_types(&table), "{}", sample.file);
    }
}

/// A CSV source is typed into a copy in the spill folder when a run expects enough scans of
/// it, or at its [`COPY_AT_SCAN`]th scan; every later query reads the copy (the plans scan
/// it, not the CSV), with the same answers, and it goes with the session.
#[test]
fn a_csv_sources_typed_copy_is_what_queries_read_and_goes_with_the_session() {
    let dir = Scratch::new("copy");
    let spill = dir.0.join("spill");
    std::fs::create_dir_all(&spill).unwrap();
    let sample = samples::SAMPLES.iter().find(|s| s.file == "penguins.csv").expect("penguins");
    let path = dir.0.join(sample.file);
    std::fs::write(&path, sample.csv).unwrap();
    let copies = || {
        std::fs::read_dir(&spill)
            .unwrap()
            .filter(|entry| entry.as_ref().unwrap().path().extension().is_some_and(|e| e == "arrow"))
            .count()
    };
    let reads_copy = |session: &Session| {
        [TYPED, NUMBERED].map(|view| {
            let plan =
                session.run_on(&session.ordered, &format!("EXPLAIN SELECT count(*) FROM {view}")).unwrap();
            let text = format!("{plan:?}");
            assert_eq!(text.contains(".arrow"), !text.contains("penguins.csv"), "{view}: {text}");
            text.contains(".arrow")
        })
    };
    let table = table::read_csv(sample.csv, sample.file, &LoadOptions::default()).unwrap();
    let long = "SELECT count(*) FROM typed WHERE bill_length_mm > 40";
    let column = table.column("bill_length_mm").unwrap();
    let expected = (0..table.n_rows()).filter(|&row| column.number(row).is_some_and(|x| x > 40.0)).count();

    // A run that expects few scans reads the CSV.
    let session = open(&path, &spill);
    session.expect_scans(COPY_FOR_SCANS - 1).unwrap();
    assert_eq!((copies(), reads_copy(&session)), (0, [false, false]));
    // One that expects more is copied first.
    session.expect_scans(COPY_FOR_SCANS).unwrap();
    assert_eq!((copies(), reads_copy(&session)), (1, [true, true]));
    // The first rows in file order come from the copy as the file holds them.
    let first =
        session.query(&format!("SELECT {ROW} FROM {NUMBERED} ORDER BY {FILE}, {ROW} LIMIT 3")).unwrap();
    assert_eq!(int_at(&first[0], 0, 2).unwrap(), 3);
    assert_eq!(session.counts(), counts_and_types(&table).0);
    // Values in order of their first row: the least position of each group is the same read
    // over the cores from the copy.
    let not_adelie = CellRule::NotIn(vec!["Adelie".into()]);
    let unexpected = |facts: &dyn Facts| facts.check_cells("species", &not_adelie, 2).unwrap().unexpected;
    assert_eq!(unexpected(&session), unexpected(&table));
    assert_eq!(unexpected(&session).len(), 2);
    drop(session);
    assert_eq!(copies(), 0);

    // Without a word of what is coming, the source is copied before its sixth scan, and the
    // answers do not change.
    let session = open(&path, &spill);
    for _ in 1..COPY_AT_SCAN {
        assert_eq!(session.count(long).unwrap(), expected);
    }
    assert_eq!((copies(), reads_copy(&session)), (0, [false, false]));
    assert_eq!(session.count(long).unwrap(), expected);
    assert_eq!((copies(), reads_copy(&session)), (1, [true, true]));
    session.expect_scans(COPY_FOR_SCANS).unwrap();
    assert_eq!(copies(), 1, "copied once");
    drop(session);
    assert_eq!(copies(), 0);

    // Several files are not copied (see `Session::open`): their rows stay in file order.
    let parts = dir.0.join("parts");
    std::fs::create_dir_all(&parts).unwrap();
    let lines: Vec<&str> = std::str::from_utf8(sample.csv).unwrap().lines().collect();
    std::fs::write(parts.join("a.csv"), lines[..100].join("\n") + "\n").unwrap();
    let rest: Vec<&str> = std::iter::once(lines[0]).chain(lines[100..].iter().copied()).collect();
    std::fs::write(parts.join("b.csv"), rest.join("\n") + "\n").unwrap();
    let session = open(&parts, &spill);
    session.expect_scans(COPY_FOR_SCANS).unwrap();
    assert_eq!(copies(), 0);
    let numbers = |t: &table::Table| {
        let column = t.column("bill_length_mm").expect("bill_length_mm");
        (0..t.n_rows()).map(|row| column.number(row)).collect::<Vec<_>>()
    };
    assert_eq!(numbers(&session.project(&["bill_length_mm"]).unwrap()), numbers(&table));
}

/// Every bundled data set written as Parquet with the types `read_csv` gives it (through this
/// engine's own reading of the CSV) reads back with the same rows, missing cells and types.
#[test]
fn every_sample_as_typed_parquet_reads_as_its_csv() {
    let dir = Scratch::new("parquet");
    for sample in samples::SAMPLES {
        let (table, session) = read_both(&dir.0, sample.file, sample.csv);
        let parquet = dir.0.join(format!("{}.parquet", sample.name));
        session.write_parquet(&parquet).unwrap();
        let read = open(&parquet, &dir.0);
        assert_eq!((read.counts(), read.column_types()), counts_and_types(&table), "{}", sample.file);
        // What runs in memory reads the Parquet file's rows as the CSV's.
        let names: Vec<&str> = table.column_names().collect();
        assert_eq!(cells(&read.project(&names).unwrap()), cells(&table), "{}", sample.file);
        assert_eq!(cells(&read.sample(1_000_000, 3).unwrap()), cells(&table), "{}", sample.file);
    }
}

// ---------------------------------------------------------------------------------------
// Parity: every data kind's report through DataFusion equals the memory engine's

/// A suite of every data kind over every column of `table`, with parameters that make many
/// of them fail (so failure counts and failing rows are compared, not only passes).
fn every_kind(table: &table::Table, target: &str) -> Suite {
    let mut tests: Vec<Value> = Vec::new();
    let names: Vec<&str> = table.column_names().collect();
    tests.push(json!({ "kind": "columns_present", "columns": names, "exact": true, "ordered": true }));
    tests.push(json!({ "kind": "columns_present", "columns": [names[0], "nope"], "exact": true }));
    tests.push(json!({ "kind": "row_count_between", "min": 1, "max": table.n_rows() }));
    tests.push(json!({ "kind": "row_count_between", "min": table.n_rows() + 1 }));
    tests.push(json!({ "kind": "not_null", "column": "*" }));
    tests.push(json!({ "kind": "not_null", "column": "*", "mostly": 0.99 }));
    tests.push(json!({ "kind": "not_constant", "column": "*" }));
    tests.push(json!({ "kind": "no_duplicate_rows" }));
    tests.push(json!({ "kind": "no_duplicate_rows", "columns": [names[0], names[1]], "max_ratio": 0.5 }));
    tests.push(json!({ "kind": "class_balance", "min_minority_ratio": 0.2 }));
    tests.push(json!({ "kind": "no_conflicting_labels" }));
    tests.push(json!({ "kind": "no_conflicting_labels", "features": [names[0]], "max_ratio": 0.3 }));
    tests
        .push(json!({ "kind": "no_conflicting_labels", "features": [names[1], names[2]], "max_ratio": 0.3 }));
    for column in table.columns() {
        let c = column.name();
        let some: Vec<String> =
            (0..column.len()).step_by(7).take(3).map(|row| column.text(row).into_owned()).collect();
        tests.push(json!({ "kind": "not_null", "column": c, "max_missing_ratio": 0.01 }));
        tests.push(json!({ "kind": "column_type", "column": c, "type": "int" }));
        tests.push(json!({ "kind": "column_type", "column": c, "type": "bool" }));
        tests.push(json!({ "kind": "not_constant", "column": c }));
        tests.push(json!({ "kind": "unique", "column": c, "mostly": 0.5 }));
        tests.push(json!({ "kind": "matches_regex", "column": c, "pattern": "^[0-4a-m]" }));
        tests.push(json!({ "kind": "values_in_set", "column": c, "allowed": some, "mostly": 0.4 }));
        tests.push(json!({ "kind": "class_balance", "column": c, "min_minority_ratio": 0.05 }));
        if column.ty().is_numeric() {
            tests.push(
                json!({ "kind": "values_between", "column": c, "min": 1, "max": 5, "strict_max": true }),
            );
            for stat in ["mean", "std", "min", "max", "median"] {
                tests.push(
                    json!({ "kind": "column_stat_between", "column": c, "stat": stat, "min": 2, "max": 50 }),
                );
            }
            for method in ["linear", "lower", "higher", "midpoint", "nearest"] {
                tests.push(json!({
                    "kind": "column_stat_between", "column": c, "stat": "quantile", "q": 0.37,
                    "interpolation": method, "max": 4
                }));
            }
        }
    }
    for (i, test) in tests.iter_mut().enumerate() {
        test["id"] = json!(format!("t{i}"));
    }
    let suite = json!({
        "version": 1,
        "name": "every data kind",
        "data": { "source": "file" },
        "target": target,
        "tests": tests,
    });
    suite::parse(&suite.to_string(), SuiteFormat::Json, "every-kind.json").unwrap()
}

/// A CSV file by name and bytes.
type CsvFile<'a> = (&'a str, &'a [u8]);

/// The data tests of `suite` on `data` (written to `dir`), with `reference` for drift,
/// through the memory engine and DataFusion run as `runner` says (`engine` names it in the
/// report): the memory engine reads the loaded tables, DataFusion both files where they lie.
fn both_engines(
    dir: &Path,
    data: CsvFile<'_>,
    reference: Option<CsvFile<'_>>,
    suite: &Suite,
    (runner, engine): (&Runner<'_>, &'static str),
) -> (Report, Report) {
    let read = |(file, csv): CsvFile<'_>| {
        let path = dir.join(file);
        std::fs::write(&path, csv).unwrap();
        (table::read_csv(csv, file, &LoadOptions::default()).unwrap(), open_on(&path, runner))
    };
    let (table, session) = read(data);
    let reference = reference.map(read);
    reports(suite, (&table, &session), reference.as_ref().map(|(t, s)| (t, s)), engine)
}

/// The reports of `suite` on `data` (a table and a session of the same rows), with
/// `reference` the same way for drift, through the memory engine and through the session
/// (`engine` names it).
fn reports(
    suite: &Suite,
    (table, session): (&table::Table, &Session),
    reference: Option<(&table::Table, &Session)>,
    engine: &'static str,
) -> (Report, Report) {
    let memory = run::run_input(suite, &Input::memory(table, reference.map(|r| r.0)), false, &mut |_| {}).0;
    let input = Input {
        table,
        sample: table,
        data: session,
        dataset: Dataset::of(table),
        engine,
        reference: reference.map(|r| r.1 as &dyn Facts),
        samples: Vec::new(),
    };
    let queried = run::run_input(suite, &input, false, &mut |_| {}).0;
    (memory, queried)
}

/// Two reports' data tests say the same: status, message, observed value (a float to 1e-12
/// relative: a mean summed in another order may differ in its last bits), failure count and
/// failing cells (line, column, value).
fn assert_same(memory: &TestReport, queried: &TestReport, context: &str) {
    let at = format!("{context}, test {} ({})", memory.id, memory.kind);
    assert_eq!(memory.status, queried.status, "{at}: {} | {}", memory.message, queried.message);
    match (memory.observed.as_f64(), queried.observed.as_f64()) {
        (Some(a), Some(b)) => {
            assert!((a - b).abs() <= 1e-12 * a.abs().max(1e-300), "{at}: observed {a} vs {b}")
        }
        _ => assert_eq!(memory.observed, queried.observed, "{at}"),
    }
    assert_eq!(memory.message, queried.message, "{at}");
    let cells = |t: &TestReport| {
        t.failures.as_ref().map(|f| {
            (
                f.count,
                f.sample.iter().map(|c| (c.line, c.column.clone(), c.value.clone())).collect::<Vec<_>>(),
            )
        })
    };
    assert_eq!(cells(memory), cells(queried), "{at}");
}

/// Every data kind, with passing and failing parameters, on every column of every bundled
/// data set: DataFusion's report equals the memory engine's, test by test.
#[test]
fn every_data_kind_on_every_sample_equals_the_memory_engine() {
    let dir = Scratch::new("parity");
    let here = Runner::Here { memory_limit: 64 << 20, spill_dir: &dir.0 };
    every_kind_on(samples::SAMPLES.iter().collect(), &dir.0, (&here, "datafusion"));
}

/// The same through a Ballista cluster (a scheduler and an executor in this process, which
/// the plans reach over gRPC as they would another machine's), on the data sets with every
/// type of column and missing cells; wine's and breast cancer's many float columns only
/// repeat iris's queries, at about 150 ms a query there.
#[cfg(feature = "ballista")]
#[test]
fn every_data_kind_through_ballista_equals_the_memory_engine() {
    let dir = Scratch::new("parity-ballista");
    let chosen =
        samples::SAMPLES.iter().filter(|s| !["wine.csv", "breast_cancer.csv"].contains(&s.file)).collect();
    every_kind_on(chosen, &dir.0, (&Runner::Cluster { scheduler: local_cluster() }, "ballista"));
}

/// A scheduler with no executor queues a job for ever, and Ballista's client waits for it:
/// the session's first question is a one-row query it gives up on, naming the scheduler.
#[cfg(feature = "ballista")]
#[test]
fn a_scheduler_without_executors_is_named_instead_of_waited_for() {
    let [address] = super::cluster::free_addresses([1]).unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
        let _ = runtime.block_on(super::cluster::scheduler(address));
    });
    let url = format!("df://{address}");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let waited = runtime.block_on(async {
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(address).await.is_ok() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let ctx = super::cluster::connect(&url, SessionConfig::new()).await?;
        super::cluster::ready(&ctx, &url, std::time::Duration::from_secs(2)).await
    });
    let err = waited.unwrap_err();
    assert!(
        err.starts_with(&format!("--scheduler {url}: no executor ran a one-row query within 2 s")),
        "{err}"
    );
    // With an executor, the same question is answered.
    let ctx = runtime.block_on(super::cluster::connect(local_cluster(), SessionConfig::new())).unwrap();
    runtime.block_on(super::cluster::ready(&ctx, local_cluster(), super::cluster::EXECUTOR_WAIT)).unwrap();
}

fn every_kind_on(chosen: Vec<&samples::Sample>, dir: &Path, engine: (&Runner<'_>, &'static str)) {
    for sample in chosen {
        let table = table::read_csv(sample.csv, sample.file, &LoadOptions::default()).unwrap();
        let suite = every_kind(&table, sample.target);
        let (memory, queried) = both_engines(dir, (sample.file, sample.csv), None, &suite, engine);
        assert_eq!(queried.engine, engine.1);
        assert_same_data_tests(&memory, &queried, sample.file);
    }
}

/// The data tests of two reports of `every_kind` say the same, and some fail.
fn assert_same_data_tests(memory: &Report, queried: &Report, file: &str) {
    let data_tests = memory.tests.iter().filter(|t| t.family == Family::Data).count();
    assert!(data_tests > 30, "{file}: {data_tests} data tests");
    for (m, q) in memory.tests.iter().zip(&queried.tests).filter(|(m, _)| m.family == Family::Data) {
        assert_same(m, q, file);
    }
    // Not a suite that passes everything: failures are compared too.
    assert!(memory.tests.iter().any(|t| t.failures.as_ref().is_some_and(|f| f.count > 0)));
}

/// The same on the bundled data sets (those with every type of column) written as Parquet
/// in row groups of 40 rows, which the context that splits files reads in two parts at once
/// (DataFusion splits a file of at least 10 MB and more rows than a batch: here batches of
/// 16): each reader numbers its rows, and the rows a report names, the groups' first rows
/// and the sample are the memory engine's.
#[test]
fn every_data_kind_on_every_sample_as_parquet_in_parts_equals_the_memory_engine() {
    let dir = Scratch::new("parity-parquet");
    for sample in samples::SAMPLES.iter().filter(|s| !["wine.csv", "breast_cancer.csv"].contains(&s.file)) {
        let (table, session) = read_both(&dir.0, sample.file, sample.csv);
        let parquet = dir.0.join(format!("{}.parquet", sample.name));
        session.run_on(&session.ordered, "SET datafusion.execution.parquet.max_row_group_size = 40").unwrap();
        session.write_parquet(&parquet).unwrap();
        let read = open(&parquet, &dir.0);
        for setting in
            ["datafusion.optimizer.repartition_file_min_size = 0", "datafusion.execution.batch_size = 16"]
        {
            read.run_on(&read.parallel, &format!("SET {setting}")).unwrap();
        }
        let plan = read
            .run_on(&read.parallel, &format!("EXPLAIN SELECT count(*), min({POS}) FROM {NUMBERED}"))
            .unwrap();
        let plan = datafusion::arrow::util::pretty::pretty_format_batches(&plan).unwrap().to_string();
        assert!(plan.contains("file_groups={2 groups"), "{plan}");
        // A Parquet file's rows are named by number, not line: the memory engine reads the
        // same rows so named.
        let table = read.project(&table.column_names().collect::<Vec<_>>()).unwrap();
        let suite = every_kind(&table, sample.target);
        let (memory, queried) = reports(&suite, (&table, &read), None, "datafusion");
        assert_same_data_tests(&memory, &queried, sample.file);
        // A sample of a third of the rows: those the CSV's session draws, in file order.
        let (drawn, from_csv) =
            (read.sample(table.n_rows() / 3, 5).unwrap(), session.sample(table.n_rows() / 3, 5).unwrap());
        let lines = |t: &table::Table| (0..t.n_rows()).map(|r| t.line(r)).collect::<Vec<u64>>();
        assert!(lines(&drawn).windows(2).all(|w| w[0] < w[1]), "{}", sample.file);
        // Row r of the Parquet file is the CSV's line r + 1.
        let as_csv_lines: Vec<u64> = lines(&drawn).iter().map(|row| row + 1).collect();
        assert_eq!(
            (as_csv_lines.len(), as_csv_lines),
            (table.n_rows() / 3, lines(&from_csv)),
            "{}",
            sample.file
        );
        assert_eq!(cells(&drawn), cells(&from_csv), "{}", sample.file);
    }
}

/// Every shipped example suite's data tests on its bundled data, through both engines.
#[test]
fn every_example_suites_data_tests_equal_the_memory_engines() {
    let dir = Scratch::new("examples");
    every_example_suite(&dir.0, (&Runner::Here { memory_limit: 64 << 20, spill_dir: &dir.0 }, "datafusion"));
}

/// The same through a Ballista cluster.
#[cfg(feature = "ballista")]
#[test]
fn every_example_suites_data_tests_through_ballista_equal_the_memory_engines() {
    let dir = Scratch::new("examples-ballista");
    every_example_suite(&dir.0, (&Runner::Cluster { scheduler: local_cluster() }, "ballista"));
}

fn every_example_suite(dir: &Path, engine: (&Runner<'_>, &'static str)) {
    let suites = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static/suites");
    let mut names: Vec<_> = std::fs::read_dir(&suites).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    for path in names {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let format = if file.ends_with(".json") { SuiteFormat::Json } else { SuiteFormat::Yaml };
        let suite = suite::parse(&std::fs::read_to_string(&path).unwrap(), format, &file).unwrap();
        let Some(Ok(table)) = run::builtin_data(&suite, &LoadOptions::default()) else { continue };
        let sample = samples::SAMPLES.iter().find(|s| s.file == table.name()).unwrap();
        let reference = suite.reference.as_ref().map(|spec| match spec.kind() {
            DataSource::Sample(name) => samples::get(name).unwrap(),
            other => panic!("{file}: a reference of {other:?}"),
        });
        let bytes = reference.map(|r| r.bytes().unwrap());
        let reference = reference.zip(bytes.as_deref()).map(|(r, bytes)| (r.file, bytes));
        let data = sample.bytes().unwrap();
        let (memory, queried) = both_engines(dir, (sample.file, &data), reference, &suite, engine);
        for (m, q) in memory.tests.iter().zip(&queried.tests).filter(|(m, _)| m.family == Family::Data) {
            assert_same(m, q, &file);
        }
    }
}

/// Drift of every column with every method that applies to it, each data set's second half
/// against its first as the reference: DataFusion reads both files whole (numbers and level
/// counts) and gives the memory engine's statistics, decisions and histograms.
#[test]
fn drift_against_a_reference_equals_the_memory_engine() {
    let dir = Scratch::new("drift");
    drift_on(
        samples::SAMPLES.iter().collect(),
        &dir.0,
        (&Runner::Here { memory_limit: 64 << 20, spill_dir: &dir.0 }, "datafusion"),
    );
}

/// The same through a Ballista cluster, on iris (floats and a category), penguins (ints,
/// categories, missing cells) and diabetes (a numeric target).
#[cfg(feature = "ballista")]
#[test]
fn drift_through_ballista_equals_the_memory_engine() {
    let dir = Scratch::new("drift-ballista");
    let chosen = samples::SAMPLES
        .iter()
        .filter(|s| ["iris.csv", "penguins.csv", "diabetes.csv"].contains(&s.file))
        .collect();
    drift_on(chosen, &dir.0, (&Runner::Cluster { scheduler: local_cluster() }, "ballista"));
}

fn drift_on(chosen: Vec<&samples::Sample>, dir: &Path, engine: (&Runner<'_>, &'static str)) {
    for sample in chosen {
        let bytes = sample.bytes().unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        let rows: Vec<&str> = lines.collect();
        let half = |rows: &[&str]| format!("{header}\n{}\n", rows.join("\n"));
        let (first, second) = (half(&rows[..rows.len() / 2]), half(&rows[rows.len() / 2..]));
        let table = table::read_csv(second.as_bytes(), "now.csv", &LoadOptions::default()).unwrap();
        let mut tests = vec![json!({ "kind": "drift", "column": "*" })];
        for column in table.columns().iter().filter(|c| c.ty() != ColumnType::Text) {
            let methods: &[&str] = if column.ty().is_numeric() {
                &["auto", "ks", "wasserstein", "jensen_shannon", "psi"]
            } else {
                &["auto", "chi2", "z", "jensen_shannon", "psi"]
            };
            for method in methods {
                tests.push(json!({ "kind": "drift", "column": column.name(), "method": method }));
            }
        }
        for (i, test) in tests.iter_mut().enumerate() {
            test["id"] = json!(format!("t{i}"));
        }
        let suite =
            json!({ "version": 1, "data": { "source": "file" }, "target": sample.target, "tests": tests });
        let suite = suite::parse(&suite.to_string(), SuiteFormat::Json, "drift.json").unwrap();
        let (memory, queried) = both_engines(
            dir,
            ("now.csv", second.as_bytes()),
            Some(("then.csv", first.as_bytes())),
            &suite,
            engine,
        );
        let at = |t: &TestReport| format!("{}, {} ({})", sample.file, t.id, t.message);
        assert!(
            memory.tests.iter().all(|t| t.status != Status::Error),
            "{:?}",
            memory.tests.iter().filter(|t| t.status == Status::Error).map(at).collect::<Vec<_>>()
        );
        for (m, q) in memory.tests.iter().zip(&queried.tests) {
            assert_same(m, q, sample.file);
            let outcomes = |t: &TestReport| {
                t.drift
                    .iter()
                    .map(|d| (d.column.clone(), d.method.clone(), d.drifted, d.histogram.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(outcomes(m), outcomes(q), "{}", at(m));
        }
        assert!(memory.tests.iter().any(|t| t.status == Status::Fail), "{}: nothing drifted", sample.file);
    }
}

/// A sample of every row is the table the memory engine loads; a smaller one is the same
/// rows on every draw with a seed, in file order, and other rows with another seed.
#[test]
fn a_sample_of_every_row_is_the_loaded_table_and_a_seeded_one_is_repeatable() {
    let dir = Scratch::new("sample");
    for sample in samples::SAMPLES {
        let (table, session) = read_both(&dir.0, sample.file, sample.csv);
        let whole = session.sample(1_000_000, 7).unwrap();
        assert_eq!(cells(&whole), cells(&table), "{}", sample.file);
    }
    let session = open(&dir.0.join("penguins.csv"), &dir.0);
    let first = session.sample(100, 42).unwrap();
    let again = session.sample(100, 42).unwrap();
    let other = session.sample(100, 43).unwrap();
    assert_eq!(first.n_rows(), 100);
    assert_eq!(cells(&first), cells(&again));
    assert_ne!(cells(&first), cells(&other));
}

/// A projection of every column is the table the memory engine loads (types, levels in
/// order of first appearance, missing cells); over two files each file's rows are numbered
/// from its own line 2.
#[test]
fn a_projection_of_every_column_is_the_loaded_table() {
    let dir = Scratch::new("project");
    for sample in samples::SAMPLES {
        let (table, session) = read_both(&dir.0, sample.file, sample.csv);
        let names: Vec<&str> = table.column_names().collect();
        let projected = session.project(&names).unwrap();
        assert_eq!(cells(&projected), cells(&table), "{}", sample.file);
        let levels = |t: &table::Table| {
            t.columns()
                .iter()
                .map(|c| match c.values() {
                    table::Values::Category { levels, .. } => levels.clone(),
                    _ => Vec::new(),
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(levels(&projected), levels(&table), "{}", sample.file);
        assert_eq!(
            (0..table.n_rows()).map(|r| projected.line(r)).collect::<Vec<_>>(),
            (0..table.n_rows()).map(|r| table.line(r)).collect::<Vec<_>>()
        );
    }
    // A float cell that reads as NaN is missing, as the loader has it.
    let (table, session) = read_both(&dir.0, "nan.csv", b"x,y\n1.5,a\n+nan,b\n2,a\n,b\nNaN,a\n");
    let projected = session.project(&["x", "y"]).unwrap();
    assert_eq!(cells(&projected), cells(&table));
    let missing =
        |t: &table::Table| t.columns().iter().map(|c| c.missing_mask().into_owned()).collect::<Vec<_>>();
    assert_eq!(missing(&projected), missing(&table));
    assert_eq!(table.column("x").unwrap().missing_count(), 3);
    let (table, session) = read_both(&dir.0, "penguins.csv", samples::get("penguins").unwrap().csv);
    let two = [("species", ColumnType::Category), ("body_mass_g", ColumnType::Int)];
    let projected = session.project(&two.map(|(name, _)| name)).unwrap();
    assert_eq!(projected.columns().iter().map(|c| (c.name(), c.ty())).collect::<Vec<_>>(), two);
    assert_eq!(projected.n_rows(), table.n_rows());
    assert!(session.project(&["sepal"]).unwrap_err().contains("`sepal` is not in"));
}

/// A `predictions` model's tests (metrics, slices, fairness, calibration) on the projection
/// of the columns they read equal the memory engine's on the whole table, as does the
/// model's summary (confusion, ROC, calibration curve): the example suite on penguins'
/// predictions (unlabelled rows, slices of a category and of binned numbers, two fairness
/// measures) and a regression model brought as predictions.
#[test]
fn a_predictions_models_tests_on_its_columns_equal_the_memory_engines() {
    let dir = Scratch::new("predictions");
    predictions_on(&dir.0, (&Runner::Here { memory_limit: 64 << 20, spill_dir: &dir.0 }, "datafusion"));
}

/// The same through a Ballista cluster.
#[cfg(feature = "ballista")]
#[test]
fn a_predictions_models_tests_through_ballista_equal_the_memory_engines() {
    let dir = Scratch::new("predictions-ballista");
    predictions_on(&dir.0, (&Runner::Cluster { scheduler: local_cluster() }, "ballista"));
}

fn predictions_on(dir: &Path, (runner, engine): (&Runner<'_>, &'static str)) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let example = std::fs::read_to_string(root.join("static/suites/penguins-your-model.json")).unwrap();
    let regression = json!({
        "version": 1, "data": { "source": "sample:penguins_predictions" }, "target": "body_mass_g",
        "task": "regression", "model": { "kind": "predictions", "prediction": "flipper_length_mm" },
        "tests": [
            { "id": "mae", "kind": "metric_threshold", "metric": "mae", "op": "<=", "value": 4000 },
            { "id": "r2", "kind": "metric_threshold", "metric": "r2", "op": ">=", "value": -1e9 },
            { "id": "by-island", "kind": "slice_metric", "metric": "rmse", "op": "<=", "value": 4500, "by": "island" },
            { "id": "gap-by-year", "kind": "slice_gap", "metric": "mae", "by": "year", "max_gap": 10 }
        ]
    });
    let sample = samples::get("penguins_predictions").unwrap();
    let path = dir.join(sample.file);
    std::fs::write(&path, sample.csv).unwrap();
    let table = table::read_csv(sample.csv, sample.file, &LoadOptions::default()).unwrap();
    let session = open_on(&path, runner);
    for (name, text) in [("your-model", example), ("regression", regression.to_string())] {
        let suite = suite::parse(&text, SuiteFormat::Json, name).unwrap();
        let columns = run::predictions_columns(&suite, false).unwrap();
        let projected = session.project(&columns).unwrap();
        assert!(projected.n_cols() < table.n_cols(), "{name}: {columns:?}");
        let memory = run::run_input(&suite, &Input::memory(&table, None), false, &mut |_| {}).0;
        let input = Input {
            table: &projected,
            sample: &table,
            data: &session,
            dataset: Dataset::of(&table),
            engine,
            reference: None,
            samples: Vec::new(),
        };
        let queried = run::run_input(&suite, &input, false, &mut |_| {}).0;
        assert_eq!(memory.tests.len(), queried.tests.len());
        for (m, q) in memory.tests.iter().zip(&queried.tests) {
            assert_same(m, q, name);
            assert_eq!(m.steps, q.steps, "{name}, {}", m.id);
            assert_eq!(serde_json::to_value(&m.slices).unwrap(), serde_json::to_value(&q.slices).unwrap());
        }
        assert_eq!(
            serde_json::to_value(&memory.model).unwrap(),
            serde_json::to_value(&queried.model).unwrap()
        );
        assert!(memory.model.is_some(), "{name}");
        assert!(memory.tests.iter().any(|t| t.status == Status::Fail), "{name}: nothing fails");
    }
}

/// The sample's threshold, computed from the files' row counts, is the one a sort of every
/// row's hash in `numbered` finds, for files of several sizes and limits at both ends.
/// Quantiles found through their buckets equal the memory engine's: over values spread
/// across most of the floats' range (more buckets than a partition holds, so they are made
/// coarser), ties, -0 and 0, negatives, and a column of close values in one bucket, read
/// here or, past the most read, sorted by DataFusion.
#[test]
fn quantiles_through_their_buckets_equal_the_memory_engines() {
    let scratch = Scratch::new("quantiles");
    let mut csv = String::from("wide,close\n");
    for i in 0..9000u64 {
        let wide = match i % 9 {
            0 => "5.5".to_owned(),
            1 if i % 2 == 0 => "-0.0".to_owned(),
            1 => "0".to_owned(),
            _ => {
                let sign = if i % 4 < 2 { "-" } else { "" };
                format!("{sign}{}e{}", 1.0 + (i * 7919 % 1000) as f64 / 1000.0, (i % 600) as i64 - 300)
            }
        };
        let close =
            if i % 97 == 0 { String::new() } else { format!("{:?}", 1000.0 + (i * 31 % 9000) as f64 * 1e-9) };
        csv.push_str(&format!("{wide},{close}\n"));
    }
    let (table, session) = read_both(&scratch.0, "quantiles.csv", csv.as_bytes());
    for column in ["wide", "close"] {
        for q in [0.0, 0.001, 0.25, 0.37, 0.5, 0.9, 0.999, 1.0] {
            for method in
                [Interpolation::Linear, Interpolation::Lower, Interpolation::Nearest, Interpolation::Midpoint]
            {
                let stat = StatOf::Quantile(q, method);
                let expected = table.stat(column, stat).unwrap();
                assert_eq!(session.stat(column, stat).unwrap(), expected, "{column} q {q} {method:?}");
            }
        }
        // Past the most read, every bucket asked is sorted by DataFusion alone.
        let c = session.column_sql(column).unwrap();
        let answer =
            session.aggregates(&[format!("{}({})", functions::ORDER_BUCKETS, c.sortable())]).unwrap();
        let buckets = functions::read_order_buckets(&answer[0]).unwrap();
        let (count, _) = table.stat(column, StatOf::Min).unwrap();
        assert_eq!(buckets.iter().map(|b| b.count).sum::<usize>(), count, "{column}");
        let positions: Vec<usize> = (0..count).step_by(count / 7).chain([count - 1]).collect();
        let sorted = session.ranked(c, &positions, &buckets, 0).unwrap();
        for &p in &positions {
            let q = p as f64 / (count - 1) as f64;
            let expected = table.stat(column, StatOf::Quantile(q, Interpolation::Lower)).unwrap().1.unwrap();
            assert_eq!(sorted[&p], expected, "{column} at {p}");
        }
    }
}

#[test]
fn the_sample_threshold_from_row_counts_is_the_sorted_hashes() {
    let dir = Scratch::new("threshold");
    let csv =
        std::str::from_utf8(samples::SAMPLES.iter().find(|s| s.file == "penguins.csv").unwrap().csv).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    std::fs::create_dir_all(dir.0.join("parts")).unwrap();
    std::fs::write(dir.0.join("parts/a.csv"), lines[..101].join("\n") + "\n").unwrap();
    let rest: Vec<&str> = std::iter::once(lines[0]).chain(lines[101..].iter().copied()).collect();
    std::fs::write(dir.0.join("parts/b.csv"), rest.join("\n") + "\n").unwrap();
    let session = open(&dir.0.join("parts"), &dir.0);
    for (limit, seed) in [(1, 0), (2, 5), (100, 42), (343, -7), (344, 3), (57, i64::MAX)] {
        let sorted = session
            .one_row(&format!(
                "SELECT __m_hash FROM (SELECT {POSITION_HASH}({POS}, {seed}) AS __m_hash FROM {NUMBERED}) \
                 ORDER BY __m_hash LIMIT 1 OFFSET {}",
                limit - 1
            ))
            .unwrap();
        let expected = sorted.column(0).as_primitive::<Int64Type>().value(0);
        assert_eq!(session.sample_threshold(limit, seed).unwrap(), expected, "limit {limit}, seed {seed}");
    }
    assert_eq!(session.sample(100, 42).unwrap().n_rows(), 100);
}

/// Each column's name, type and cells as text ("" missing): a float column's missing cells
/// hold NaN, which `==` on the columns would never call equal.
fn cells(table: &table::Table) -> Vec<(String, ColumnType, Vec<String>)> {
    table
        .columns()
        .iter()
        .map(|c| (c.name().to_owned(), c.ty(), (0..c.len()).map(|row| c.text(row).into_owned()).collect()))
        .collect()
}

/// The first failing rows of a file, or of several, are read in file order and the scan
/// stops once it has them: their plan has no sort (a sort would read every row first).
#[test]
fn the_first_failing_rows_are_read_without_a_sort() {
    let dir = Scratch::new("explain");
    std::fs::create_dir_all(dir.0.join("parts")).unwrap();
    std::fs::write(dir.0.join("parts/a.csv"), "a,b\n1,\n2,x\n").unwrap();
    std::fs::write(dir.0.join("parts/b.csv"), "a,b\n3,\n4,y\n").unwrap();
    for path in [dir.0.join("parts/a.csv"), dir.0.join("parts")] {
        let session = open(&path, &dir.0);
        let plan: Vec<String> = session
            .query(&format!(
                "EXPLAIN SELECT {FILE}, {ROW} FROM {NUMBERED} WHERE \"b\" IS NULL ORDER BY {FILE}, {ROW} LIMIT 20"
            ))
            .unwrap()
            .iter()
            .flat_map(|batch| {
                let plans = batch.column(1).as_string::<i32>();
                (0..plans.len()).map(|i| plans.value(i).to_owned()).collect::<Vec<_>>()
            })
            .collect();
        let physical = plan.last().unwrap();
        assert!(!physical.contains("SortExec") && physical.contains("fetch=20"), "{physical}");
        let missing = session.missing_cells(&["b"]).unwrap();
        assert_eq!(missing.sample.iter().map(|c| c.line).collect::<Vec<_>>(), vec![2; missing.count]);
    }
}

/// A query that fails names the data first and quotes only the start of its SQL.
#[test]
fn a_failing_query_names_the_data_and_the_start_of_the_query() {
    let dir = Scratch::new("failing");
    let (_, session) = read_both(&dir.0, "iris.csv", samples::get("iris").unwrap().csv);
    let long = format!("SELECT no_such_column, {} FROM {TYPED}", vec!["1"; 200].join(", "));
    let err = session.query(&long).unwrap_err();
    assert!(err.starts_with(&format!("{}: ", dir.0.join("iris.csv").display())), "{err}");
    assert!(
        err.contains("no_such_column") && err.contains("(in the query `SELECT no_such_column, 1, 1"),
        "{err}"
    );
    assert!(err.len() < 600, "{err}");
}

/// A sample's cells as the report shows them: line, column, value.
fn shown(failures: &Failures) -> (usize, Vec<(u64, String, String)>) {
    let cells = failures.sample.iter().map(|c| (c.line, c.column.clone(), c.value.clone())).collect();
    (failures.count, cells)
}

/// Duplicate rows (and `unique`'s repeated values) are found through their hashes: a few
/// repeated rows are compared by value among the rows that share a hash, and past
/// [`facts::SHARED_HASHES`] repeats every row is grouped; both give the memory engine's
/// count and sample, whether the repeated hashes come
/// from the aggregate that holds every row's hash or, for data too big for that, from a
/// `GROUP BY` (each column's values: a session with no room for the hashes).
#[test]
fn duplicate_rows_few_or_many_equal_the_memory_engines() {
    let dir = Scratch::new("duplicates");
    for repeated in [0, 3, facts::SHARED_HASHES + 5] {
        let mut csv = String::from("a,b,x\n");
        let rows = facts::SHARED_HASHES + 20;
        for i in 0..rows {
            csv.push_str(&format!("{i},t{},{}\n", i % 7, if i % 3 == 0 { "NA" } else { "-0" }));
        }
        for i in 0..repeated {
            // -0 and 0 are one value, as the memory engine compares them.
            csv.push_str(&format!("{i},t{},{}\n", i % 7, if i % 3 == 0 { "NA" } else { "0.0" }));
        }
        let (table, mut session) = read_both(&dir.0, "rows.csv", csv.as_bytes());
        for key_room in [session.key_room, 0] {
            session.key_room = key_room;
            for columns in [vec!["a", "b", "x"], vec!["b", "x"]] {
                let expected = table.duplicate_rows(&columns, "*").unwrap();
                let found = session.duplicate_rows(&columns, "*").unwrap();
                assert_eq!(
                    shown(&found),
                    shown(&expected),
                    "{repeated} repeated, {columns:?}, room {key_room}"
                );
            }
            // `unique`'s repeated values, found the same ways: `a` repeats 0, 3 or more values
            // than a query lists, `b` its seven, `x` -0 and 0 as one.
            for column in ["a", "b", "x"] {
                let found = |facts: &dyn Facts| {
                    let checked = facts.repeated_cells(column).unwrap();
                    (checked.checked, shown(&checked.failures))
                };
                assert_eq!(found(&session), found(&table), "{repeated} repeated, {column}, room {key_room}");
            }
        }
    }
}

/// The sample of conflicting labels reads the first groups' rows in file order and stops once
/// it has them, also when the first group's second row is the file's last.
#[test]
fn conflicting_labels_sample_equals_the_memory_engines() {
    let dir = Scratch::new("conflicts");
    let mut csv = String::from("k,g,label\n");
    let rows = 20_000;
    for i in 0..rows {
        // k: the first and the last row share 0 with other labels, the even rows 1 (half of
        // them labelled no): the first group's second row comes after more rows of the second
        // than a batch holds.
        let k = if i == 0 || i == rows - 1 {
            0
        } else if i % 2 == 0 {
            1
        } else {
            i + 10
        };
        let label = if i == rows - 1 || (i % 4 == 2 && i > 0) { "no" } else { "yes" };
        csv.push_str(&format!("{k},{},{label}\n", i % 4));
    }
    let (table, session) = read_both(&dir.0, "labels.csv", csv.as_bytes());
    for features in [vec!["k"], vec!["g"], vec!["k", "g"]] {
        let expected = table.conflicting_labels("label", &features).unwrap();
        let found = session.conflicting_labels("label", &features).unwrap();
        assert_eq!(
            (found.labelled, found.groups, shown(&found.failures)),
            (expected.labelled, expected.groups, shown(&expected.failures)),
            "{features:?}"
        );
    }
}

/// The aggregates a suite's data tests ask are answered in one scan before they run: a
/// session that gathered them answers the tests from what it holds, the same as one asked
/// each in turn.
#[test]
fn a_suites_aggregates_gathered_in_one_scan_answer_its_tests() {
    let dir = Scratch::new("gather");
    for sample in samples::SAMPLES {
        gathered_answers(&dir.0, sample);
    }
}

fn gathered_answers(dir: &Path, sample: &samples::Sample) {
    let (table, session) = read_both(dir, sample.file, sample.csv);
    let suite = every_kind(&table, sample.target);
    let ctx = crate::checks::Context { data: &session, ..crate::checks::Context::new(&table) };
    let asks = crate::checks::data::first_asks(suite.tests.iter().map(|t| &t.check), &ctx);
    assert!(asks.len() > 10, "{}: {asks:?}", sample.file);
    session.gather(&asks).unwrap();
    let gathered = session.answers.lock().unwrap().len();
    // Each ask's answer is one of those gathered: asking again scans nothing more.
    for ask in &asks {
        match ask {
            Ask::Cells { column, rule } => {
                let checked = |facts: &dyn Facts| {
                    let checked = facts.check_cells(column, rule, 0).unwrap();
                    (checked.checked, shown(&checked.failures))
                };
                assert_eq!(checked(&session), checked(&table), "{ask:?}");
            }
            Ask::Stat { column, stat } => {
                let (count, value) = session.stat(column, *stat).unwrap();
                let (expected_count, expected) = table.stat(column, *stat).unwrap();
                assert_eq!(count, expected_count, "{ask:?}");
                let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
                assert!(
                    value.zip(expected).is_none_or(|(a, b)| close(a, b)),
                    "{ask:?}: {value:?} {expected:?}"
                );
            }
            Ask::Distinct { columns, at_most } => {
                let names: Vec<&str> = columns.iter().map(String::as_str).collect();
                assert_eq!(
                    session.distinct(&names, *at_most).unwrap(),
                    table.distinct(&names, *at_most).unwrap()
                );
            }
            Ask::DuplicateRows { columns } => {
                let names: Vec<&str> = columns.iter().map(String::as_str).collect();
                let failures = |facts: &dyn Facts| shown(&facts.duplicate_rows(&names, "x").unwrap());
                assert_eq!(failures(&session), failures(&table), "{ask:?}");
            }
            Ask::Repeated { column } => {
                let repeated = |facts: &dyn Facts| {
                    let checked = facts.repeated_cells(column).unwrap();
                    (checked.checked, shown(&checked.failures))
                };
                assert_eq!(repeated(&session), repeated(&table), "{ask:?}");
            }
        }
        assert_eq!(session.answers.lock().unwrap().len(), gathered, "{ask:?} was not gathered");
    }
}
