//! `mltest run` and `mltest inspect` as CI calls them (PRODUCT.md §4 and §5).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::util::{failing_lines, fixture, mltest, mltest_in, root, test, without_timings, Scratch};

const PENGUINS: &str = "static/suites/penguins-missing-values.json";

/// The lines of the text report that belong to one test: from its status line to the blank
/// line that ends it.
fn text_block<'a>(stdout: &'a str, id: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = stdout.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.split(" · ").next().is_some_and(|head| head.ends_with(id)))
        .unwrap_or_else(|| panic!("no test {id} in the text report:\n{stdout}"));
    lines[start..].iter().take_while(|l| !l.is_empty()).copied().collect()
}

/// The cells of a `| a | b |` table line, trimmed.
fn cells(line: &str) -> Vec<&str> {
    let line = line.trim();
    assert!(line.starts_with('|') && line.ends_with('|'), "not a table line: {line:?}");
    line[1..line.len() - 1].split(" | ").map(str::trim).collect()
}

#[test]
fn run_text_shows_the_failing_test_with_its_table_explanation_and_lines() {
    let run = mltest(&["run", PENGUINS]);
    run.expect_code(1);
    assert_eq!(run.stderr, "");

    let block = text_block(&run.stdout, "bill-length-known");
    assert!(block[0].starts_with("FAIL  bill-length-known · not_null"), "{}", block[0]);
    assert!(
        block.iter().any(|l| l.contains("2 of 344 values in `bill_length_mm` are missing")),
        "the explanation:\n{}",
        block.join("\n")
    );

    // The execution table: a header, a rule, the steps, every line padded to one width.
    let table: Vec<&str> = block.iter().filter(|l| l.trim_start().starts_with('|')).copied().collect();
    assert!(table.len() >= 3, "{}", block.join("\n"));
    assert!(table[0].trim_start().starts_with("| Step | Action "), "{}", table[0]);
    assert_eq!(cells(table[0]), ["Step", "Action", "Evaluation", "Result"]);
    assert!(table[1].trim().chars().all(|c| matches!(c, '|' | '-' | ' ')), "the rule: {}", table[1]);
    let width = table[0].chars().count();
    for line in &table {
        assert_eq!(line.chars().count(), width, "padded: {line:?}");
    }
    assert_eq!(cells(table.last().unwrap())[3], "FAIL");

    // The failing rows, by their line in the CSV file (the header is line 1).
    for line in [5, 273] {
        assert!(
            block.iter().any(|l| {
                let l = l.trim_start();
                l.starts_with(&format!("line {line} ")) && l.contains("bill_length_mm")
            }),
            "failing line {line}:\n{}",
            block.join("\n")
        );
    }

    assert_eq!(run.stdout.lines().last(), Some("8 passed, 1 failed, 1 warned, 0 errored"));
}

#[test]
fn run_text_is_the_same_on_every_run() {
    let first = mltest(&["run", PENGUINS]);
    let second = mltest(&["run", PENGUINS]);
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn run_json_has_the_report_fields() {
    let run = mltest(&["run", PENGUINS, "--format", "json"]);
    run.expect_code(1);
    let report = run.json();

    assert_eq!(report["verdict"], "fail");
    assert_eq!(report["summary"], json!({"passed": 8, "failed": 1, "warned": 1, "errored": 0, "skipped": 0}));
    let dataset = &report["dataset"];
    assert_eq!(dataset["rows"], 344);
    assert_eq!(dataset["columns"], 8);
    let sha = dataset["sha256"].as_str().expect("sha256 is text");
    assert!(sha.len() == 64 && sha.chars().all(|c| c.is_ascii_hexdigit()), "{sha}");
    let seed = report.get("seed").expect("a seed field");
    assert!(seed.is_null() || seed.is_u64(), "{seed}");
    let timings = report["timings_ms"].as_object().expect("timings_ms");
    assert!(timings.values().all(Value::is_number), "{timings:?}");

    let tests = report["tests"].as_array().expect("tests");
    assert_eq!(tests.len(), 10);
    for t in tests {
        for field in ["id", "kind", "severity", "status", "message"] {
            assert!(t[field].is_string(), "{field} of {t:#}");
        }
        assert!(t.get("observed").is_some(), "observed of {}", t["id"]);
        let steps = t["steps"].as_array().expect("steps");
        assert!(!steps.is_empty(), "{}", t["id"]);
        for (i, step) in steps.iter().enumerate() {
            assert_eq!(step["step"], i + 1, "steps are numbered from 1");
            for field in ["action", "evaluation", "result"] {
                assert!(step[field].is_string(), "{field} of {step}");
            }
        }
        if let Some(failures) = t.get("failures") {
            let count = failures["count"].as_u64().expect("failures.count");
            let sample = failures["sample"].as_array().expect("failures.sample");
            assert!(sample.len() as u64 <= count.min(20));
            for cell in sample {
                assert!(cell["line"].is_u64() && cell["column"].is_string());
                assert!(cell["value"].is_string(), "{cell}");
            }
        }
    }
    // The summary counts the statuses.
    let count = |status: &str| tests.iter().filter(|t| t["status"] == status).count();
    assert_eq!([count("pass"), count("fail"), count("warn"), count("error")], [8, 1, 1, 0]);

    let bill = test(&report, "bill-length-known");
    assert_eq!(bill["kind"], "not_null");
    assert_eq!(bill["severity"], "fail");
    assert_eq!(bill["status"], "fail");
    assert!(bill["message"].as_str().unwrap().contains("2 of 344 values in `bill_length_mm` are missing"));
    assert_eq!(bill["failures"]["count"], 2);
    assert_eq!(failing_lines(bill), [5, 273]);
    assert_eq!(bill["failures"]["sample"][0]["column"], "bill_length_mm");

    let sex = test(&report, "sex-mostly-known");
    assert_eq!((&sex["severity"], &sex["status"]), (&json!("warn"), &json!("warn")));
}

#[test]
fn run_json_is_byte_identical_across_runs_apart_from_timings() {
    let first = mltest(&["run", PENGUINS, "--format", "json"]);
    let second = mltest(&["run", PENGUINS, "--format", "json"]);
    assert_eq!(without_timings(&first.stdout), without_timings(&second.stdout));
    // And the cut really removed only the timings.
    let mut report = first.json();
    report.as_object_mut().unwrap().remove("timings_ms");
    assert_eq!(crate::util::parse_json(&without_timings(&first.stdout)), report);
}

#[test]
fn run_junit_has_a_testcase_per_test_and_a_failure_with_the_explanation() {
    let run = mltest(&["run", PENGUINS, "--format", "junit"]);
    run.expect_code(1);
    let doc = roxmltree::Document::parse(&run.stdout)
        .unwrap_or_else(|e| panic!("JUnit is not XML ({e}):\n{}", run.stdout));
    let suite = doc.descendants().find(|n| n.has_tag_name("testsuite")).expect("a testsuite");
    assert_eq!(suite.attribute("tests"), Some("10"));
    assert_eq!(suite.attribute("failures"), Some("1"));
    assert_eq!(suite.attribute("errors"), Some("0"));

    let json = mltest(&["run", PENGUINS, "--format", "json"]).json();
    let ids: Vec<&str> =
        json["tests"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    let cases: Vec<roxmltree::Node> = suite.children().filter(|n| n.has_tag_name("testcase")).collect();
    let names: Vec<&str> = cases.iter().filter_map(|c| c.attribute("name")).collect();
    assert_eq!(names, ids, "one testcase per test, in order");

    let failing: Vec<&str> = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .filter_map(|c| c.attribute("name"))
        .collect();
    assert_eq!(failing, ["bill-length-known"]);
    let failure = doc.descendants().find(|n| n.has_tag_name("failure")).unwrap();
    let message = failure.attribute("message").expect("a message");
    assert!(message.contains("2 of 344 values in `bill_length_mm` are missing"), "{message}");
    let body = failure.text().unwrap_or_default();
    assert!(body.contains("| Step | Action"), "{body}");
    assert!(body.contains("line 273"), "{body}");
}

#[test]
fn run_output_writes_the_report_to_the_file_and_nothing_on_stdout() {
    let scratch = Scratch::new("output");
    for format in ["text", "json", "junit", "markdown", "html"] {
        let path = scratch.join(&format!("report.{format}"));
        let run = mltest(&["run", PENGUINS, "--format", format, "--output", path.to_str().unwrap()]);
        run.expect_code(1);
        assert_eq!(run.stdout, "", "--format {format} --output prints nothing");
        assert_eq!(run.stderr, "");
        let written = std::fs::read_to_string(&path).expect("the report file was written");
        let printed = mltest(&["run", PENGUINS, "--format", format]).stdout;
        match format {
            "text" | "markdown" => assert_eq!(written, printed),
            "json" => assert_eq!(without_timings(&written), without_timings(&printed)),
            // The stage strip shows each stage's time: the rows are the same.
            "html" => {
                assert!(written.starts_with("<!DOCTYPE html>"), "{written}");
                let rows = |html: &str| html.matches("data-testid=\"test-row\"").count();
                assert_eq!((rows(&written), rows(&printed)), (10, 10));
            }
            _ => {
                roxmltree::Document::parse(&written).expect("the file holds JUnit XML");
            }
        }
    }
}

#[test]
fn run_output_to_an_unwritable_place_is_an_error_naming_it() {
    let scratch = Scratch::new("unwritable");
    let target = scratch.join("no-such-dir/report.json");
    let target = target.to_str().unwrap();
    mltest(&["run", PENGUINS, "--output", target]).expect_no_run(&[target]);
}

#[test]
fn run_data_overrides_the_suites_data() {
    let csv = fixture("suites/csv/penguins-complete.csv");
    let run = mltest(&["run", PENGUINS, "--data", &csv]);
    run.expect_code(0);
    assert_eq!(run.stdout.lines().last(), Some("10 passed, 0 failed, 0 warned, 0 errored"));

    let report = mltest(&["run", PENGUINS, "--data", &csv, "--format", "json"]).json();
    assert_eq!(report["verdict"], "pass");
    assert_eq!(report["dataset"]["rows"], 15);
    let name = report["dataset"]["name"].as_str().unwrap();
    assert!(name.ends_with("penguins-complete.csv"), "{name}");
}

#[test]
fn a_file_source_path_is_relative_to_the_suite_not_the_working_directory() {
    let suite = root().join(fixture("suites/relative-path.json"));
    let elsewhere = Scratch::new("cwd");
    for (dir, suite) in [
        (root(), fixture("suites/relative-path.json")),
        (elsewhere.path(), suite.to_str().unwrap().to_owned()),
    ] {
        let run = mltest_in(dir, &["run", &suite]);
        run.expect_code(0);
        assert_eq!(
            run.stdout.lines().last(),
            Some("3 passed, 0 failed, 0 warned, 0 errored"),
            "run from {}",
            dir.display()
        );
    }
    // From the suite's own directory, the plain file name works too.
    let run = mltest_in(&root().join("tests/data/suites"), &["run", "relative-path.json"]);
    run.expect_code(0);
}

#[test]
fn a_suite_pinning_another_files_sha256_and_rows_reports_an_error() {
    let run = mltest(&["run", &fixture("suites/wrong-sha256.json"), "--format", "json"]);
    run.expect_code(1);
    let report = run.json();
    assert_eq!(report["verdict"], "fail");
    assert_eq!(report["summary"]["errored"], 1);
    let errored: Vec<&Value> =
        report["tests"].as_array().unwrap().iter().filter(|t| t["status"] == "error").collect();
    assert_eq!(errored.len(), 1, "{report:#}");
    let message = errored[0]["message"].as_str().unwrap();
    assert!(message.contains("penguins-complete.csv"), "{message}");
    assert!(message.contains("SHA-256"), "{message}");
    assert!(message.contains("15 rows") && message.contains("344"), "{message}");
    // The other tests still ran.
    assert_eq!(test(&report, "rows")["status"], "pass");

    let text = mltest(&["run", &fixture("suites/wrong-sha256.json")]);
    text.expect_code(1);
    assert!(text.stdout.contains("ERROR "), "{}", text.stdout);
}

#[test]
fn a_suite_pinning_the_right_sha256_and_rows_passes() {
    let scratch = Scratch::new("right-sha");
    let csv = scratch.join("penguins-complete.csv");
    std::fs::copy(root().join(fixture("suites/csv/penguins-complete.csv")), &csv).unwrap();
    let profile = mltest(&["inspect", csv.to_str().unwrap(), "--format", "json"]).json();
    let suite = json!({
        "version": 1,
        "data": {
            "source": "file",
            "path": "penguins-complete.csv",
            "sha256": profile["sha256"],
            "rows": profile["rows"],
        },
        "tests": [{ "id": "rows", "kind": "row_count_between", "min": 1 }],
    });
    let path = scratch.join("pinned.json");
    std::fs::write(&path, suite.to_string()).unwrap();
    let run = mltest(&["run", path.to_str().unwrap(), "--format", "json"]);
    run.expect_code(0);
    let report = run.json();
    assert_eq!(report["summary"]["errored"], 0, "{report:#}");
    assert_eq!(report["dataset"]["sha256"], profile["sha256"]);
}

#[test]
fn inspect_prints_each_column_with_its_type_and_missing_count() {
    let run = mltest(&["inspect", "static/data/penguins.csv"]);
    run.expect_code(0);
    assert!(run.stdout.contains("344 rows"), "{}", run.stdout);
    let rows: Vec<Vec<&str>> = run.stdout.lines().filter(|l| l.starts_with('|')).map(cells).collect();
    assert_eq!(&rows[0][..3], ["Column", "Type", "Missing"]);
    let expected = [
        ("species", "category", "0"),
        ("island", "category", "0"),
        ("bill_length_mm", "float", "2"),
        ("bill_depth_mm", "float", "2"),
        ("flipper_length_mm", "int", "2"),
        ("body_mass_g", "int", "2"),
        ("sex", "category", "11"),
        ("year", "int", "0"),
    ];
    let columns: Vec<(&str, &str, &str)> = rows[2..].iter().map(|r| (r[0], r[1], r[2])).collect();
    assert_eq!(columns, expected);
}

#[test]
fn inspect_json_parses_and_agrees_with_the_run() {
    let run = mltest(&["inspect", "static/data/penguins.csv", "--format", "json"]);
    run.expect_code(0);
    let profile = run.json();
    assert_eq!(profile["rows"], 344);
    assert_eq!(profile["columns"], 8);
    let bill = profile["profile"]
        .as_array()
        .expect("profile is an array")
        .iter()
        .find(|c| c["name"] == "bill_length_mm")
        .expect("bill_length_mm is profiled");
    assert_eq!(bill["type"], "float");
    assert_eq!(bill["missing"], 2);

    let report = mltest(&["run", PENGUINS, "--format", "json"]).json();
    assert_eq!(profile["sha256"], report["dataset"]["sha256"]);
}

#[test]
fn help_and_version_exit_0() {
    let help = mltest(&["--help"]);
    help.expect_code(0);
    assert!(help.stdout.contains("run") && help.stdout.contains("inspect"), "{}", help.stdout);
    let run_help = mltest(&["run", "--help"]);
    run_help.expect_code(0);
    for flag in ["--data", "--format", "--output"] {
        assert!(run_help.stdout.contains(flag), "{}", run_help.stdout);
    }
    let version = mltest(&["--version"]);
    version.expect_code(0);
    assert!(version.stdout.contains(env!("CARGO_PKG_VERSION")), "{}", version.stdout);
}

#[test]
fn bad_arguments_exit_2_with_a_message() {
    let cases: &[&[&str]] = &[
        &[],
        &["frobnicate"],
        &["--frobnicate"],
        &["run"],
        &["run", PENGUINS, "--frobnicate"],
        &["run", PENGUINS, "--format", "xml"],
        &["inspect"],
        &["inspect", "static/data/penguins.csv", "--format", "junit"],
    ];
    for args in cases {
        let run = mltest(args);
        assert_eq!(run.code, 2, "mltest {args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "mltest {args:?}");
        assert!(!run.stderr.is_empty(), "mltest {args:?}: a message on stderr");
    }
    let unknown = mltest(&["frobnicate"]);
    assert!(unknown.stderr.contains("frobnicate"), "{}", unknown.stderr);
    let flag = mltest(&["run", PENGUINS, "--frobnicate"]);
    assert!(flag.stderr.contains("--frobnicate"), "{}", flag.stderr);
}

/// `mltest run … | head` closes the pipe early: the verdict still decides the status.
#[test]
fn a_closed_stdout_does_not_change_the_exit_status() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mltest"))
        .args(["run", PENGUINS])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mltest starts");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("mltest ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

// --- Hostile suites and inputs (issue 11) --------------------------------------------------

/// A suite in `dir` reading `path`, with a test that prints every row's value of every
/// column as failing rows (a value of 20 characters fails `values_between` on a number).
fn write_reading_suite(dir: &Path, name: &str, path: &str) -> String {
    let suite = json!({
        "version": 1,
        "data": { "source": "file", "path": path },
        "tests": [{ "id": "print", "kind": "not_null", "column": "*" }],
    });
    let file = dir.join(name);
    std::fs::write(&file, suite.to_string()).unwrap();
    file.to_str().unwrap().to_owned()
}

/// A suite from a pull request could print any file the CI runner can read into a public
/// log; its `data.path` must stay in the suite's folder.
#[test]
fn regression_a_suite_data_path_outside_its_folder_is_refused() {
    let outside = Scratch::new("outside");
    let secret = outside.join("secret.csv");
    std::fs::write(&secret, "token\nSECRET-VALUE-123\n\n").unwrap();
    let scratch = Scratch::new("data-path");
    let nested = scratch.join("suites");
    std::fs::create_dir_all(nested.join("data")).unwrap();
    std::fs::write(nested.join("data/ok.csv"), "a\n1\n2\n").unwrap();

    let absolute = write_reading_suite(&nested, "absolute.json", secret.to_str().unwrap());
    let stderr = mltest(&["run", &absolute])
        .expect_no_run(&["absolute.json", "data.path", "absolute", "--data"])
        .to_owned();
    assert!(!stderr.contains("SECRET-VALUE"), "{stderr}");

    let up = write_reading_suite(&nested, "up.json", "../../outside/secret.csv");
    mltest(&["run", &up]).expect_no_run(&["up.json", "data.path", "`..`", "--data"]);
    let up_inside = write_reading_suite(&nested, "up-inside.json", "data/../data/ok.csv");
    mltest(&["run", &up_inside]).expect_no_run(&["data.path", "`..`"]);

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, nested.join("data/link.csv")).unwrap();
        let linked = write_reading_suite(&nested, "linked.json", "data/link.csv");
        let run = mltest(&["run", &linked]);
        let stderr =
            run.expect_no_run(&["linked.json", "data.path", "symbolic link", "outside the suite's folder"]);
        assert!(!run.stdout.contains("SECRET-VALUE") && !stderr.contains("SECRET-VALUE"));
        // A link that stays inside the folder is read.
        std::os::unix::fs::symlink(nested.join("data/ok.csv"), nested.join("data/inside.csv")).unwrap();
        let inside = write_reading_suite(&nested, "inside.json", "data/inside.csv");
        mltest(&["run", &inside]).expect_code(0);
    }

    // A path below the suite's folder is read, from any working directory; the same file
    // outside it is read with --data.
    let below = write_reading_suite(&nested, "below.json", "data/ok.csv");
    mltest(&["run", &below]).expect_code(0);
    mltest_in(&nested, &["run", "below.json"]).expect_code(0);
    mltest(&["run", &absolute, "--data", secret.to_str().unwrap()]).expect_code(0);
}

/// `/dev/zero` reports a size of 0: a cap that trusts the reported size read 4 GB.
#[cfg(unix)]
#[test]
fn regression_a_stream_as_data_or_suite_is_read_only_to_the_limit() {
    let started = Instant::now();
    mltest(&["run", &fixture("suites/any-file.json"), "--data", "/dev/zero"])
        .expect_no_run(&["/dev/zero", "larger than the 128 MB limit"]);
    mltest(&["inspect", "/dev/urandom"]).expect_no_run(&["/dev/urandom", "larger than the 128 MB limit"]);
    mltest(&["run", "/dev/zero"]).expect_no_run(&["/dev/zero", "suite is larger than 10 MB"]);
    assert!(started.elapsed() < Duration::from_secs(30), "{:?}", started.elapsed());

    // A pipe too: the size a pipe reports is 0.
    let mut child = Command::new(env!("CARGO_BIN_EXE_mltest"))
        .args(["inspect", "/dev/stdin"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mltest starts");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write as _;
        let chunk = vec![b'1'; 1 << 20];
        // Stops with a broken pipe once mltest has read past the limit and left.
        for _ in 0..512 {
            if stdin.write_all(&chunk).is_err() {
                return;
            }
        }
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("larger than the 128 MB limit"), "{stderr}");
}

/// `--output` onto the data (or the suite) replaced the input with the report.
#[test]
fn regression_output_onto_an_input_file_is_refused() {
    let scratch = Scratch::new("overwrite");
    let csv = scratch.join("data.csv");
    std::fs::write(&csv, "a\n1\n2\n").unwrap();
    let suite = write_reading_suite(scratch.path(), "suite.json", "data.csv");
    let suite_text = std::fs::read_to_string(&suite).unwrap();
    let csv_arg = csv.to_str().unwrap();
    let other_spelling = scratch.path().join(".").join("data.csv");
    for (args, names) in [
        (vec!["run", &suite, "--output", csv_arg], vec!["--output", "data.csv", "the data file"]),
        (vec!["run", &suite, "--data", csv_arg, "--output", csv_arg], vec!["--output", "the data file"]),
        (vec!["run", &suite, "--output", other_spelling.to_str().unwrap()], vec!["the data file"]),
        (vec!["run", &suite, "--output", &suite], vec!["--output", "the suite file"]),
    ] {
        mltest(&args).expect_no_run(&names);
        assert_eq!(std::fs::read_to_string(&csv).unwrap(), "a\n1\n2\n", "mltest {args:?}");
        assert_eq!(std::fs::read_to_string(&suite).unwrap(), suite_text, "mltest {args:?}");
    }
    #[cfg(unix)]
    {
        let hard = scratch.join("hard-link.csv");
        std::fs::hard_link(&csv, &hard).unwrap();
        mltest(&["run", &suite, "--output", hard.to_str().unwrap()]).expect_no_run(&["the data file"]);
        assert_eq!(std::fs::read_to_string(&csv).unwrap(), "a\n1\n2\n");
    }
    // Another file is written as before.
    let report = scratch.join("report.txt");
    mltest(&["run", &suite, "--output", report.to_str().unwrap()]).expect_code(0);
    assert!(std::fs::read_to_string(&report).unwrap().contains("Verdict: PASS"));
}

/// A CSV header could colour the terminal or forge a CI runner's `::error::` command line.
#[test]
fn regression_escape_sequences_in_names_are_escaped_in_text_and_junit_reports() {
    let header = "a\u{1b}[31m\n::error title=x::y";
    let scratch = Scratch::new("inject");
    let csv = scratch.join("inject.csv");
    std::fs::write(&csv, format!("\"{header}\",b\n,1\n\u{1b}]0;pwned\u{7},2\n")).unwrap();
    let suite = json!({
        "version": 1,
        "name": "n\u{202e}ame\r\n::warning::forged",
        "data": { "source": "file", "path": "inject.csv" },
        "tests": [
            { "id": "id\u{1b}[2J\n::error::id", "kind": "not_null", "column": header },
            { "id": "ok", "kind": "not_null", "column": "b" },
        ],
    });
    let path = scratch.join("suite.json");
    std::fs::write(&path, suite.to_string()).unwrap();
    let path = path.to_str().unwrap();

    let run = mltest(&["run", path]);
    run.expect_code(1);
    for (format, out) in
        [("text", run.stdout.clone()), ("junit", mltest(&["run", path, "--format", "junit"]).stdout)]
    {
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{202e}'),
            "{format}: {out}"
        );
        assert!(!out.contains('\r'), "{format}: {out}");
        for line in out.lines() {
            assert!(!line.trim_start().starts_with("::"), "{format}: a forged command line: {line}");
        }
    }
    assert!(run.stdout.contains(r"a\u{1b}[31m\n::error title=x::y"), "{}", run.stdout);
    assert!(run.stdout.contains(r"id\u{1b}[2J\n::error::id"), "{}", run.stdout);
    let junit = mltest(&["run", path, "--format", "junit"]).stdout;
    roxmltree::Document::parse(&junit).unwrap_or_else(|e| panic!("JUnit is not XML ({e}):\n{junit}"));
    // The JSON report keeps the names as they are (JSON escapes them).
    let report = mltest(&["run", path, "--format", "json"]).json();
    assert_eq!(report["tests"][0]["failures"]["sample"][0]["column"], header);

    // An error message quoting the suite is escaped too.
    let bad = scratch.join("bad.json");
    let bad_suite =
        json!({"version": 1, "data": {"source": "sample:iris"}, "tests": [], "x\u{1b}[31m\n::error::k": 1});
    std::fs::write(&bad, bad_suite.to_string()).unwrap();
    let stderr =
        mltest(&["run", bad.to_str().unwrap()]).expect_no_run(&[r"x\u{1b}[31m\n::error::k"]).to_owned();
    assert!(!stderr.contains('\u{1b}') && stderr.lines().count() == 1, "{stderr}");

    let inspect = mltest(&["inspect", csv.to_str().unwrap()]);
    inspect.expect_code(0);
    assert!(!inspect.stdout.contains('\u{1b}'), "{}", inspect.stdout);
    assert!(inspect.stdout.lines().all(|l| !l.starts_with("::")), "{}", inspect.stdout);
}

/// A suite's `reference` (the data `drift` compares with) is read as `data` is: from the
/// suite's folder only, or given with `--reference`; its errors name `reference.path`.
#[test]
fn a_reference_file_is_read_as_the_data_is() {
    let scratch = Scratch::new("reference");
    std::fs::write(scratch.join("now.csv"), "a\n1\n2\n").unwrap();
    std::fs::write(scratch.join("before.csv"), "a\n1\n3\n").unwrap();
    let suite = |reference: &str| {
        let text = json!({
            "version": 1,
            "data": {"source": "file", "path": "now.csv"},
            "reference": {"source": "file", "path": reference},
            "tests": [{"id": "rows", "kind": "row_count_between", "min": 1}]
        });
        let file = scratch.join("suite.json");
        std::fs::write(&file, text.to_string()).unwrap();
        file.to_str().unwrap().to_owned()
    };
    mltest(&["run", &suite("before.csv")]).expect_code(0);
    mltest(&["run", &suite("../before.csv")]).expect_no_run(&[
        "suite.json",
        "reference.path",
        "`..`",
        "--reference",
    ]);
    mltest(&["run", &suite("missing.csv")]).expect_no_run(&["reference.path", "missing.csv"]);
    let outside = Scratch::new("reference-outside");
    let elsewhere = outside.join("before.csv");
    std::fs::write(&elsewhere, "a\n1\n").unwrap();
    mltest(&["run", &suite("missing.csv"), "--reference", elsewhere.to_str().unwrap()]).expect_code(0);
    // The report must not be written over the reference.
    mltest(&["run", &suite("before.csv"), "--output", scratch.join("before.csv").to_str().unwrap()])
        .expect_no_run(&["--output", "the reference file"]);
}
