//! `--data` as files, directories and globs, and `--engine` (PRODUCT.md §14): the memory
//! engine reads one CSV file and says why it will not read more; in a build with the
//! `datafusion` feature, the same suite runs over several CSV files and over Parquet, with
//! the memory engine's verdicts and failing rows named by file and row.

#[cfg(feature = "datafusion")]
use serde_json::Value;

#[cfg(feature = "datafusion")]
use crate::util::test;
use crate::util::{mltest, mltest_in, Scratch};

const PENGUINS: &str = "static/data/penguins.csv";

/// A suite of data tests that read every kind of column, and a model that trains (so the
/// sample the engine draws is read too).
const SUITE: &str = r#"{
  "version": 1, "name": "penguins on files", "data": { "source": "file" }, "target": "species",
  "tests": [
    { "id": "rows", "kind": "row_count_between", "min": 300 },
    { "id": "missing", "kind": "not_null", "column": "*" },
    { "id": "mass", "kind": "values_between", "column": "body_mass_g", "min": 3000, "max": 6000 },
    { "id": "median", "kind": "column_stat_between", "column": "bill_length_mm", "stat": "median", "min": 40, "max": 50 },
    { "id": "islands", "kind": "values_in_set", "column": "island", "allowed": ["Biscoe", "Dream"] },
    { "id": "duplicates", "kind": "no_duplicate_rows" },
    { "id": "balance", "kind": "class_balance", "min_minority_ratio": 0.1 },
    { "id": "leakage", "kind": "no_target_leakage", "max_score": 0.95 }
  ]
}"#;

/// Penguins in two files (the second repeats two rows of the first), and the suite.
fn two_files() -> Scratch {
    let dir = Scratch::new("engines");
    let csv = std::fs::read_to_string(crate::util::root().join(PENGUINS)).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    let first: Vec<&str> = std::iter::once(lines[0]).chain(lines[1..150].iter().copied()).collect();
    let second: Vec<&str> = std::iter::once(lines[0])
        .chain(lines[150..].iter().copied())
        .chain(lines[4..6].iter().copied())
        .collect();
    std::fs::create_dir_all(dir.join("parts")).unwrap();
    std::fs::write(dir.join("parts/a.csv"), first.join("\n") + "\n").unwrap();
    std::fs::write(dir.join("parts/b.csv"), second.join("\n") + "\n").unwrap();
    std::fs::write(dir.join("suite.json"), SUITE).unwrap();
    dir
}

#[test]
fn the_memory_engine_reads_one_csv_file_and_says_why_not_more() {
    let dir = two_files();
    let run = mltest_in(dir.path(), &["run", "suite.json", "--data", "parts", "--engine", "memory"]);
    run.expect_no_run(&["--engine memory reads one CSV file", "parts names 2 files", "--engine datafusion"]);
    let run = mltest_in(dir.path(), &["run", "suite.json", "--data", "parts/none-*.csv"]);
    run.expect_no_run(&["parts/none-*.csv", "no file matches"]);
    // One file in a directory is one CSV file: the memory engine reads it, as the page would.
    std::fs::remove_file(dir.join("parts/b.csv")).unwrap();
    let run = mltest_in(dir.path(), &["run", "suite.json", "--data", "parts", "--format", "json"]);
    assert_eq!(run.json()["engine"], "memory");
}

#[cfg(not(feature = "datafusion"))]
#[test]
fn a_build_without_datafusion_says_how_to_get_it() {
    let dir = two_files();
    let run = mltest_in(dir.path(), &["run", "suite.json", "--data", "parts/*.csv"]);
    run.expect_no_run(&["parts/*.csv", "not in this build", "--features datafusion"]);
}

/// The report of the suite on `data` through `engine`.
#[cfg(feature = "datafusion")]
fn report(dir: &Scratch, data: &str, engine: &str) -> Value {
    let run =
        mltest_in(dir.path(), &["run", "suite.json", "--data", data, "--engine", engine, "--format", "json"]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    run.json()
}

/// Each test's status, observed value and failure count.
#[cfg(feature = "datafusion")]
fn verdicts(report: &Value) -> Vec<(String, Value, Value, Value)> {
    report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (t["id"].to_string(), t["status"].clone(), t["observed"].clone(), t["failures"]["count"].clone())
        })
        .collect()
}

#[cfg(feature = "datafusion")]
#[test]
fn datafusion_gives_the_memory_engines_report_on_one_file() {
    let dir = two_files();
    std::fs::copy(crate::util::root().join(PENGUINS), dir.join("penguins.csv")).unwrap();
    let memory = report(&dir, "penguins.csv", "memory");
    let queried = report(&dir, "penguins.csv", "datafusion");
    assert_eq!(queried["engine"], "datafusion");
    assert_eq!(verdicts(&memory), verdicts(&queried));
    assert_eq!(memory["dataset"], queried["dataset"]);
    assert_eq!(memory["verdict"], "fail");
}

#[cfg(feature = "datafusion")]
#[test]
fn several_files_by_glob_or_directory_are_one_data_set_with_rows_named_by_file() {
    let dir = two_files();
    let by_glob = report(&dir, "parts/*.csv", "datafusion");
    let by_directory = report(&dir, "parts", "datafusion");
    assert_eq!(verdicts(&by_glob), verdicts(&by_directory));
    assert_eq!(by_glob["dataset"]["rows"], 346);
    assert_eq!(test(&by_glob, "rows")["status"], "pass");
    // The two rows the second file repeats from the first: named by file, row and line.
    let duplicates = &test(&by_glob, "duplicates")["failures"];
    assert_eq!(duplicates["count"], 2);
    let first = &duplicates["sample"][0];
    assert_eq!(first["file"], "parts/b.csv");
    assert_eq!(first["row"], 196);
    assert_eq!(first["line"], 197);
    assert_eq!(first["value"], "same as line 5 of parts/a.csv");
    let missing = &test(&by_glob, "missing")["failures"]["sample"];
    assert_eq!((missing[0]["file"].as_str(), missing[0]["row"].as_u64()), (Some("parts/a.csv"), Some(4)));
}

/// Past `--sample-rows`, what runs in memory reads a seeded sample, and every report says
/// so; with every row read, none does.
#[cfg(feature = "datafusion")]
#[test]
fn a_sample_is_named_in_the_report() {
    let dir = two_files();
    let run = mltest_in(
        dir.path(),
        &["run", "suite.json", "--data", "parts", "--sample-rows", "100", "--format", "json"],
    );
    let report = run.json();
    assert_eq!(
        report["samples"],
        serde_json::json!([{ "of": "data", "rows": 100, "total": 346, "seed": 0 }])
    );
    let leakage = test(&report, "leakage")["steps"].to_string();
    assert!(leakage.contains("100 of 346 rows"), "{leakage}");
    let run = mltest_in(dir.path(), &["run", "suite.json", "--data", "parts", "--sample-rows", "100"]);
    assert!(
        run.stdout.contains("sample: 100 of 346 rows of the data, seed 0: the model, no_target_leakage"),
        "{}",
        run.stdout
    );
    let run = mltest_in(dir.path(), &["run", "suite.json", "--data", "parts", "--format", "junit"]);
    assert!(!run.stdout.contains("sample_of"), "{}", run.stdout);
    let run = mltest_in(
        dir.path(),
        &["run", "suite.json", "--data", "parts", "--sample-rows", "100", "--format", "junit"],
    );
    assert!(run
        .stdout
        .contains(r#"<property name="sample_of_data" value="100 of 346 rows of the data, seed 0"/>"#));
}

/// Drift against `--reference` reads both files whole on DataFusion (even past
/// `--sample-rows`): the memory engine's statistics, and no sample in the report.
#[cfg(feature = "datafusion")]
#[test]
fn drift_against_a_reference_reads_both_files_whole() {
    let dir = two_files();
    std::fs::write(
        dir.join("drift.json"),
        r#"{ "version": 1, "data": { "source": "file" }, "reference": { "source": "file" }, "target": "species",
             "tests": [
               { "id": "all", "kind": "drift", "column": "*" },
               { "id": "mass", "kind": "drift", "column": "body_mass_g", "method": "ks" },
               { "id": "island", "kind": "drift", "column": "island", "method": "chi2" },
               { "id": "species", "kind": "drift", "column": "species", "method": "psi" }
             ] }"#,
    )
    .unwrap();
    let run = |engine: &str| {
        let args =
            ["run", "drift.json", "--data", "parts/b.csv", "--reference", "parts/a.csv", "--format", "json"];
        let run = mltest_in(dir.path(), &[&args[..], &["--engine", engine, "--sample-rows", "50"]].concat());
        assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
        run.json()
    };
    let (memory, queried) = (run("memory"), run("datafusion"));
    assert_eq!(queried["engine"], "datafusion");
    assert_eq!(verdicts(&memory), verdicts(&queried));
    assert_eq!(test(&memory, "all")["drift"], test(&queried, "all")["drift"]);
    assert!(queried.get("samples").is_none(), "{}", queried["samples"]);
    // The islands and species moved between the two halves of the file.
    assert_eq!(test(&queried, "island")["status"], "fail");
    let steps = test(&queried, "mass")["steps"].to_string();
    assert!(steps.contains("on 148 reference vs 195 current values"), "{steps}");
}

/// A `predictions` model's tests read every row of the columns they need on DataFusion
/// (even past `--sample-rows`), split over two files: the memory engine's report on the
/// whole file, model summary included, and no sample in the report.
#[cfg(feature = "datafusion")]
#[test]
fn a_predictions_models_tests_read_every_row() {
    let dir = Scratch::new("engines-predictions");
    let root = crate::util::root();
    let suite = std::fs::read_to_string(root.join("static/suites/penguins-your-model.json")).unwrap();
    let suite = suite.replace(r#""source": "sample:penguins_predictions""#, r#""source": "file""#);
    std::fs::write(dir.join("suite.json"), suite).unwrap();
    let csv = std::fs::read_to_string(root.join("static/data/penguins_predictions.csv")).unwrap();
    std::fs::write(dir.join("all.csv"), &csv).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    std::fs::create_dir_all(dir.join("parts")).unwrap();
    std::fs::write(dir.join("parts/a.csv"), lines[..200].join("\n") + "\n").unwrap();
    let rest: Vec<&str> = std::iter::once(lines[0]).chain(lines[200..].iter().copied()).collect();
    std::fs::write(dir.join("parts/b.csv"), rest.join("\n") + "\n").unwrap();
    let run = |data: &str, engine: &str| {
        let args = ["run", "suite.json", "--data", data, "--engine", engine, "--sample-rows", "50"];
        let run = mltest_in(dir.path(), &[&args[..], &["--format", "json"]].concat());
        assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
        run.json()
    };
    let (memory, queried) = (run("all.csv", "memory"), run("parts", "datafusion"));
    assert_eq!(queried["engine"], "datafusion");
    assert_eq!(verdicts(&memory), verdicts(&queried));
    assert_eq!(memory["model"], queried["model"]);
    assert!(queried.get("samples").is_none(), "{}", queried["samples"]);
    assert_eq!(test(&queried, "accuracy-by-species")["status"], "fail");
}

#[cfg(feature = "datafusion")]
#[test]
fn parquet_gives_the_verdicts_of_its_csv() {
    let dir = two_files();
    std::fs::copy(crate::util::root().join(PENGUINS), dir.join("penguins.csv")).unwrap();
    let source = mltest::source::Source::resolve(&dir.join("penguins.csv").display().to_string()).unwrap();
    let session = mltest::query::Session::open(
        &source,
        &mltest::query::Runner::Here { memory_limit: 64 << 20, spill_dir: dir.path() },
    )
    .unwrap();
    session.write_parquet(&dir.join("penguins.parquet")).unwrap();
    let csv = report(&dir, "penguins.csv", "datafusion");
    // Parquet is DataFusion's by default.
    let run = mltest_in(dir.path(), &["run", "suite.json", "--data", "penguins.parquet", "--format", "json"]);
    let parquet = run.json();
    assert_eq!(parquet["engine"], "datafusion");
    assert_eq!(verdicts(&csv), verdicts(&parquet));
}

/// `mltest-cluster`'s scheduler and executor as processes on free ports of 127.0.0.1, as
/// `make cluster` runs them; stopped when dropped.
#[cfg(feature = "ballista")]
struct Cluster {
    processes: Vec<std::process::Child>,
    scheduler: String,
}

#[cfg(feature = "ballista")]
impl Cluster {
    /// Returns once the scheduler and both of the executor's ports answer. A port free when
    /// chosen may be taken before the process binds it (by a connection's own port), and the
    /// process ends: then the cluster starts on new ports, three times at most.
    fn start(dir: &Scratch) -> Cluster {
        let mut ended = String::new();
        for _ in 0..3 {
            match Cluster::try_start(dir) {
                Ok(cluster) => return cluster,
                Err(log) => ended = log,
            }
        }
        panic!("{ended}");
    }

    fn try_start(dir: &Scratch) -> Result<Cluster, String> {
        use std::process::Command;
        let [scheduler, executor] = mltest::query::cluster::free_addresses([1, 2]).unwrap();
        let spawn = |name: &str, args: &[String]| {
            let log = std::fs::File::create(dir.join(&format!("{name}.log"))).unwrap();
            Command::new(env!("CARGO_BIN_EXE_mltest-cluster"))
                .args(args)
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .spawn()
                .unwrap()
        };
        let mut cluster = Cluster { processes: Vec::new(), scheduler: format!("df://{scheduler}") };
        cluster
            .processes
            .push(spawn("scheduler", &["scheduler".into(), "--bind".into(), scheduler.to_string()]));
        let work = dir.join("work").display().to_string();
        cluster.processes.push(spawn(
            "executor",
            &[
                "executor".into(),
                "--bind".into(),
                executor.to_string(),
                "--scheduler".into(),
                scheduler.to_string(),
                "--memory-limit".into(),
                "64".into(),
                "--work-dir".into(),
                work,
            ],
        ));
        let results = mltest::query::cluster::second_address(executor);
        for _ in 0..600 {
            for (process, name) in cluster.processes.iter_mut().zip(["scheduler", "executor"]) {
                if let Ok(Some(status)) = process.try_wait() {
                    let log = std::fs::read_to_string(dir.join(&format!("{name}.log"))).unwrap_or_default();
                    // Dropped, the cluster stops the other process.
                    return Err(format!("mltest-cluster {name} ended ({status}) before it answered:\n{log}"));
                }
            }
            if [scheduler, executor, results].iter().all(|a| std::net::TcpStream::connect(a).is_ok()) {
                return Ok(cluster);
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("mltest-cluster did not listen on {scheduler}, {executor} and {results} within 60 s");
    }
}

#[cfg(feature = "ballista")]
impl Drop for Cluster {
    fn drop(&mut self) {
        for process in &mut self.processes {
            let _ = process.kill();
            let _ = process.wait();
        }
    }
}

/// The suite over two files through a cluster of `mltest-cluster` processes: DataFusion's
/// report, failing rows named by file and row the same way; a scheduler that does not answer
/// is named in a clear error.
#[cfg(feature = "ballista")]
#[test]
fn a_cluster_of_mltest_cluster_processes_gives_datafusions_report() {
    let dir = two_files();
    let cluster = Cluster::start(&dir);
    let run = mltest_in(
        dir.path(),
        &[
            "run",
            "suite.json",
            "--data",
            "parts/*.csv",
            "--engine",
            "ballista",
            "--scheduler",
            &cluster.scheduler,
            "--format",
            "json",
        ]
        .map(String::from),
    );
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let on_cluster = run.json();
    let here = report(&dir, "parts/*.csv", "datafusion");
    assert_eq!(on_cluster["engine"], "ballista");
    assert_eq!(verdicts(&on_cluster), verdicts(&here));
    assert_eq!(test(&on_cluster, "duplicates")["failures"], test(&here, "duplicates")["failures"]);
    assert_eq!(test(&on_cluster, "missing")["failures"], test(&here, "missing")["failures"]);
    drop(cluster);
    let run = mltest_in(
        dir.path(),
        &["run", "suite.json", "--data", "parts", "--engine", "ballista", "--scheduler", "df://127.0.0.1:9"],
    );
    run.expect_no_run(&["--scheduler df://127.0.0.1:9", "cannot reach the Ballista scheduler"]);
}

#[test]
fn help_names_the_engines_and_the_data_it_takes() {
    let run = mltest(&["run", "--help"]);
    for fragment in [
        "--engine",
        "datafusion",
        "ballista",
        "--scheduler",
        "a directory",
        "glob",
        "--memory-limit",
        "--sample-rows",
    ] {
        assert!(run.stdout.contains(fragment), "{fragment} not in\n{}", run.stdout);
    }
}

/// Files the memory engine reads although they are awkward — blank lines between records,
/// CRLF line ends, a quoted line break, a byte-order mark, `;` as delimiter, missing-cell
/// tokens — give DataFusion the same verdicts, observed values and failure counts.
#[cfg(feature = "datafusion")]
#[test]
fn awkward_csv_files_give_datafusion_the_memory_engines_verdicts() {
    let dir = Scratch::new("engines-awkward");
    let suite = r#"{ "version": 1, "name": "awkward", "data": { "source": "file" }, "tests": [
        { "id": "rows", "kind": "row_count_between", "min": 1 },
        { "id": "missing", "kind": "not_null", "column": "*" },
        { "id": "a-int", "kind": "column_type", "column": "a", "type": "int" },
        { "id": "b-set", "kind": "values_in_set", "column": "b", "allowed": ["x", "y"] },
        { "id": "constant", "kind": "not_constant", "column": "*" } ] }"#;
    std::fs::write(dir.join("suite.json"), suite).unwrap();
    let files: [(&str, &[u8]); 5] = [
        ("blank.csv", b"a,b\n1,x\n\n2,y\n\n3,x\n"),
        ("crlf.csv", b"a,b\r\n1,x\r\n2,y\r\n3,\"x\r\ny\"\r\n"),
        ("bom.csv", b"\xef\xbb\xbfa,b\n1,x\n2,NA\n"),
        ("semicolon.csv", b"a;b\n1;x\n2;y\n?;z\n"),
        ("padded.csv", b"a,b\n 1 , x\n2,  y\nnull,x\n"),
    ];
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
        assert_eq!(
            verdicts(&report(&dir, name, "memory")),
            verdicts(&report(&dir, name, "datafusion")),
            "{name}"
        );
    }
}
