//! `mltest link encode|decode` and `mltest run LINK` (PRODUCT.md §5, §7): the CLI reads the
//! links the page makes, and the frozen links of every format version keep running.

use crate::util::{fixture, mltest, without_timings};

const IRIS_GATE: &str = "static/suites/iris-accuracy-gate.json";

fn encode(args: &[&str]) -> String {
    let mut all = vec!["link", "encode"];
    all.extend_from_slice(args);
    let run = mltest(&all);
    run.expect_code(0);
    let link = run.stdout.trim_end().to_owned();
    assert!(link.starts_with("http://127.0.0.1:8080/#s=1."), "{link}");
    link
}

#[test]
fn a_link_runs_to_the_same_report_as_its_suite_file() {
    let link = encode(&[IRIS_GATE]);
    let from_file = mltest(&["run", IRIS_GATE, "--format", "json"]);
    let from_link = mltest(&["run", &link, "--format", "json"]);
    from_file.expect_code(0);
    from_link.expect_code(0);
    assert_eq!(without_timings(&from_link.stdout), without_timings(&from_file.stdout));
}

#[test]
fn decode_prints_the_suite_the_link_holds() {
    let link = encode(&[IRIS_GATE, "--run"]);
    assert!(link.ends_with("&run=1"), "{link}");
    let decoded = mltest(&["link", "decode", &link]);
    decoded.expect_code(0);
    let suite: serde_json::Value = serde_json::from_str(&decoded.stdout).unwrap();
    // The link carries the checked suite: every default written out, so a default changed by a
    // later version cannot change what an old link tests.
    let ids: Vec<&str> =
        suite["tests"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["no-nulls", "acc", "f1-macro", "cv-accuracy", "end-to-end"]);
    assert_eq!(suite["tests"][1]["value"], 0.8);
    assert_eq!(suite["tests"][1]["on"], "test");
    assert_eq!(suite["split"]["seed"], 42);
}

#[test]
fn small_data_travels_in_the_link() {
    let csv = fixture("suites/csv/penguins-complete.csv");
    let link = encode(&[&fixture("suites/any-file.json"), "--data", &csv]);
    // The link alone runs: the data is in it.
    let run = mltest(&["run", &link, "--format", "json"]);
    run.expect_code(0);
    assert_eq!(run.json()["dataset"]["rows"], 15);
}

#[test]
fn large_data_is_asked_for_and_checked_against_its_fingerprint() {
    let link = encode(&["static/suites/diabetes-regression.json", "--data", "static/data/diabetes.csv"]);
    let made = mltest(&[
        "link",
        "encode",
        "static/suites/diabetes-regression.json",
        "--data",
        "static/data/diabetes.csv",
    ]);
    assert!(
        made.stderr.contains("too large to inline") && made.stderr.contains("442 rows"),
        "{}",
        made.stderr
    );

    mltest(&["run", &link]).expect_no_run(&["the link carries no data", "diabetes.csv", "--data"]);
    mltest(&["run", &link, "--data", "static/data/diabetes.csv"]).expect_code(0);
    // Another file is reported by the run, not silently tested.
    let other = mltest(&["run", &link, "--data", "static/data/wine.csv", "--format", "json"]);
    other.expect_code(1);
    let report = other.json();
    let data = report["tests"].as_array().unwrap().iter().find(|t| t["id"] == "data").unwrap();
    assert_eq!(data["status"], "error");
}

#[test]
fn a_bad_link_is_refused_with_the_reason() {
    let link = encode(&[IRIS_GATE]);
    let cut = &link[..link.len() - 40];
    mltest(&["run", cut]).expect_no_run(&["the link is truncated"]);
    mltest(&["link", "decode", &link.replace("#s=1.", "#s=9.")])
        .expect_no_run(&["newer mltest (link format 9)"]);
    mltest(&["link", "decode", "http://127.0.0.1:8080/#s=1.abc$def"])
        .expect_no_run(&["malformed", "character 4"]);
}

/// Frozen links of format version 1 (tests/data/links, made once by `mltest link encode`):
/// they must open and run with the same verdict in every later version.
#[test]
fn frozen_version_1_links_keep_their_verdicts() {
    let cases: [(&str, &[&str], i32); 4] = [
        ("v1-iris-accuracy-gate", &[], 0),
        ("v1-penguins-missing-values", &[], 1),
        ("v1-inline-data", &[], 0),
        ("v1-file-fingerprint", &["--data", "static/data/diabetes.csv"], 0),
    ];
    for (name, extra, code) in cases {
        let link = std::fs::read_to_string(crate::util::root().join(fixture(&format!("links/{name}.link"))))
            .unwrap();
        let mut args = vec!["run", link.trim()];
        args.extend_from_slice(extra);
        let run = mltest(&args);
        assert_eq!(run.code, code, "{name}:\n{}{}", run.stdout, run.stderr);
    }
}

/// §12: `--reference` travels in the link as `--data` does, and the link alone reproduces the
/// drift run that the files give.
#[test]
fn a_reference_travels_in_the_link_beside_the_data() {
    let (suite, now, then) = (
        "static/suites/penguins-drift.json",
        "static/data/penguins_2009.csv",
        "static/data/penguins_2007.csv",
    );
    let link = encode(&[suite, "--data", now, "--reference", then]);
    let decoded = mltest(&["link", "decode", &link]);
    decoded.expect_code(0);
    let carried: serde_json::Value = serde_json::from_str(&decoded.stdout).unwrap();
    assert_eq!(
        (&carried["data"]["source"], &carried["reference"]["source"]),
        (&"inline".into(), &"inline".into())
    );
    let from_link = mltest(&["run", &link, "--format", "json"]);
    let from_files = mltest(&["run", suite, "--data", now, "--reference", then, "--format", "json"]);
    from_link.expect_code(1);
    from_files.expect_code(1);
    let drift = |report: serde_json::Value| -> Vec<serde_json::Value> {
        report["tests"].as_array().unwrap().iter().map(|t| t["drift"].clone()).collect()
    };
    assert_eq!(drift(from_link.json()), drift(from_files.json()));
}
