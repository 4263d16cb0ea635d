//! Suites that train a model: the seed lesson's accuracy gate from the command line, the
//! `--predictions` file, determinism, and the bad pipeline inputs of PRODUCT.md §8 (one
//! class, a text target for regression, an all-missing feature, more features than rows,
//! a split that leaves no rows) — each an `error` in the report or status 2, never a panic.

use serde_json::{json, Value};

use crate::util::{mltest, test, without_timings, Scratch};

const GATE: &str = "static/suites/iris-accuracy-gate.json";

/// Writes `suite` into a scratch directory and returns the directory and the file's path.
fn write_suite(name: &str, suite: &Value) -> (Scratch, String) {
    let dir = Scratch::new(name);
    let path = dir.join("suite.json");
    std::fs::write(&path, serde_json::to_string_pretty(suite).unwrap()).unwrap();
    let path = path.to_string_lossy().into_owned();
    (dir, path)
}

/// A suite on inline CSV with a model and one integration test.
fn inline_suite(csv: &str, target: &str, task: &str, model: Value, extra: Value) -> Value {
    let mut suite = json!({
        "version": 1,
        "data": { "source": "inline", "csv": csv },
        "target": target,
        "task": task,
        "split": { "test_size": 0.25, "seed": 1 },
        "preprocess": [ { "impute": "mean" } ],
        "model": model,
        "tests": [ { "id": "e2e", "kind": "pipeline_end_to_end" } ]
    });
    if let (Some(suite), Some(extra)) = (suite.as_object_mut(), extra.as_object()) {
        for (key, value) in extra {
            suite.insert(key.clone(), value.clone());
        }
    }
    suite
}

#[test]
fn accuracy_gate_prints_the_three_step_table_and_passes() {
    let run = mltest(&["run", GATE]);
    run.expect_code(0);
    for row in [
        "| 1    | train_model()         | logistic_regression on 120 rows × 4 features | Model trained     |",
        "| 2    | evaluate_model(model) | accuracy on 30 test rows                     | accuracy = 0.9333 |",
        "| 3    | assert accuracy > 0.8 | 0.9333 > 0.8                                 | PASS              |",
    ] {
        assert!(run.stdout.contains(row), "missing row {row:?} in:\n{}", run.stdout);
    }
}

#[test]
fn accuracy_gate_at_0_99_fails_with_status_1() {
    let mut suite: Value =
        serde_json::from_str(&std::fs::read_to_string(crate::util::root().join(GATE)).unwrap()).unwrap();
    suite["tests"][1]["value"] = json!(0.99);
    let (_dir, path) = write_suite("gate-099", &suite);
    let run = mltest(&["run", path.as_str()]);
    run.expect_code(1);
    assert!(run.stdout.contains("| 3    | assert accuracy > 0.99 | 0.9333 > 0.99"), "{}", run.stdout);
    assert!(run.stdout.contains("FAIL  acc · metric_threshold · threshold"), "{}", run.stdout);
}

#[test]
fn same_suite_data_and_seed_give_the_same_report_byte_for_byte() {
    let first = mltest(&["run", GATE, "--format", "json"]);
    let second = mltest(&["run", GATE, "--format", "json"]);
    assert_eq!(without_timings(&first.stdout), without_timings(&second.stdout));
    assert_eq!(first.json()["seed"], 42);
}

#[test]
fn predictions_file_has_one_row_per_test_row_with_csv_labels() {
    let dir = Scratch::new("predictions");
    let out = dir.join("predictions.csv");
    let report = mltest(&["run", GATE, "--format", "json", "--predictions", out.to_str().unwrap()]);
    report.expect_code(0);
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("line,y_true,y_pred,score"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 30, "one row per test row");
    let species = ["setosa", "versicolor", "virginica"];
    let mut seen = std::collections::BTreeSet::new();
    for row in &rows {
        let line: u64 = row[0].parse().unwrap();
        assert!((2..=151).contains(&line), "iris data lines are 2..=151: {line}");
        assert!(seen.insert(line), "line {line} twice");
        assert!(species.contains(&row[1]) && species.contains(&row[2]), "labels as in the CSV: {row:?}");
        let score: f64 = row[3].parse().unwrap();
        assert!((0.0..=1.0).contains(&score));
    }
    // The file's accuracy is the report's.
    let correct = rows.iter().filter(|r| r[1] == r[2]).count() as f64;
    let observed = test(&report.json(), "acc")["observed"].as_f64().unwrap();
    assert!((correct / 30.0 - observed).abs() < 1e-12);
}

#[test]
fn predictions_need_a_model() {
    mltest(&["run", "static/suites/iris-data-quality.json", "--predictions", "/tmp/never.csv"])
        .expect_no_run(&["iris-data-quality.json", "--predictions needs a suite with a `model`"]);
}

/// Runs `suite` and returns the report, expecting the run to happen and fail.
fn failing_report(name: &str, suite: &Value) -> Value {
    let (_dir, path) = write_suite(name, suite);
    let run = mltest(&["run", path.as_str(), "--format", "json"]);
    run.expect_code(1);
    run.json()
}

#[test]
fn a_target_with_one_class_is_an_error_naming_it() {
    let suite = inline_suite(
        "x,y\n1,a\n2,a\n3,a\n4,a\n",
        "y",
        "classification",
        json!({"kind": "gaussian_nb"}),
        json!({}),
    );
    let report = failing_report("one-class", &suite);
    let pipeline = test(&report, "pipeline");
    assert_eq!(pipeline["status"], "error");
    assert!(
        pipeline["message"].as_str().unwrap().contains("the target `y` holds one class (`a`)"),
        "{pipeline:#}"
    );
    let e2e = test(&report, "e2e");
    assert_eq!(e2e["status"], "fail");
    assert_eq!(e2e["observed"]["failed_stage"], "validate");
}

#[test]
fn a_text_target_for_regression_is_an_error_naming_it() {
    let suite = inline_suite(
        "x,y\n1,a\n2,b\n3,a\n4,b\n",
        "y",
        "regression",
        json!({"kind": "linear_regression"}),
        json!({}),
    );
    let report = failing_report("text-target", &suite);
    let message = test(&report, "pipeline")["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains("the target `y` is a category column: a regression target must be numeric"),
        "{message}"
    );
}

#[test]
fn an_all_missing_feature_is_an_error_naming_it() {
    let csv = "x,empty,y\n1,NA,a\n2,NA,b\n3,NA,a\n4,NA,b\n5,NA,a\n6,NA,b\n7,NA,a\n8,NA,b\n";
    let suite = inline_suite(csv, "y", "classification", json!({"kind": "gaussian_nb"}), json!({}));
    let report = failing_report("all-missing", &suite);
    let message = test(&report, "pipeline")["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains("the feature `empty` has no value in the train rows: add it to `drop`"),
        "{message}"
    );
}

#[test]
fn more_features_than_rows_is_an_error_for_least_squares() {
    let csv = "a,b,c,d,e,y\n1,2,3,4,5,1\n2,1,4,3,6,2\n3,5,1,2,7,3\n4,4,2,1,8,4\n5,3,5,5,9,5\n";
    let suite = inline_suite(csv, "y", "regression", json!({"kind": "linear_regression"}), json!({}));
    let report = failing_report("wide", &suite);
    let message = test(&report, "pipeline")["message"].as_str().unwrap().to_owned();
    assert!(message.contains("linear_regression has 5 inputs but only 3 train rows"), "{message}");
}

#[test]
fn test_size_0_or_1_is_refused_naming_the_field() {
    for size in [0.0, 1.0] {
        let suite = inline_suite(
            "x,y\n1,a\n2,b\n",
            "y",
            "classification",
            json!({"kind": "knn", "k": 1}),
            json!({"split": {"test_size": size}}),
        );
        let (_dir, path) = write_suite("test-size", &suite);
        mltest(&["run", path.as_str()]).expect_no_run(&[
            "suite.json",
            "split.test_size",
            "use a share between 0 and 1",
        ]);
    }
}

#[test]
fn a_model_for_the_other_task_and_a_bad_hyperparameter_are_refused() {
    let suite =
        inline_suite("x,y\n1,2\n", "y", "regression", json!({"kind": "logistic_regression"}), json!({}));
    let (_dir, path) = write_suite("task-mismatch", &suite);
    mltest(&["run", path.as_str()])
        .expect_no_run(&["model.kind", "logistic_regression is a classification model"]);
    let suite = inline_suite("x,y\n1,a\n", "y", "classification", json!({"kind": "svm", "c": -1}), json!({}));
    let (_dir, path) = write_suite("bad-c", &suite);
    mltest(&["run", path.as_str()]).expect_no_run(&["model.c", "-1 must be a positive number"]);
    let suite =
        inline_suite("x,y\n1,a\n", "y", "classification", json!({"kind": "knn", "neighbours": 3}), json!({}));
    let (_dir, path) = write_suite("unknown-param", &suite);
    mltest(&["run", path.as_str()]).expect_no_run(&["model", "unknown field `neighbours`"]);
}
