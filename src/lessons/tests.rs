use super::*;
use crate::report::Verdict;
use crate::{run, samples, table};

fn table_of(suite: &Suite) -> Table {
    run::builtin_data(suite, &table::LoadOptions::default()).expect("a lesson names a sample").unwrap()
}

/// The focus test of a run: its status, the last row's result and the report's verdict.
fn outcome(suite: &Suite, focus: &str) -> (Status, String, Verdict, Value) {
    let report = run::run(suite, &table_of(suite));
    let test = report.tests.iter().find(|t| t.id == focus).unwrap();
    let last = test.steps.last().map(|s| s.result.clone()).unwrap_or_default();
    (test.status, last, report.verdict, test.observed.clone())
}

#[test]
fn there_are_six_lessons_with_unique_ids() {
    let lessons = all().unwrap();
    let ids: Vec<&str> = lessons.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(
        ids,
        ["accuracy-gate", "data-quality", "unit-tests", "flaky-seed", "integration", "ci-verdict"]
    );
    assert_eq!(super::ids(), ids);
    assert_eq!(get("flaky-seed").unwrap().unwrap().id, "flaky-seed");
    assert!(get("no-such-lesson").is_none());
}

/// Each lesson's focus test and "what if", run on the engine: the outcome its text describes.
#[test]
fn every_lesson_and_its_what_if_end_as_the_text_says() {
    use Status::*;
    use Verdict::{Fail as VFail, Pass as VPass};
    let expected = [
        ("accuracy-gate", (Pass, "PASS", VPass), (Fail, "FAIL", VFail)),
        ("data-quality", (Fail, "FAIL", VFail), (Pass, "PASS", VPass)),
        ("unit-tests", (Pass, "PASS", VPass), (Fail, "FAIL", VFail)),
        ("flaky-seed", (Fail, "FAIL", VFail), (Pass, "PASS", VPass)),
        ("integration", (Pass, "PASS", VPass), (Fail, "FAIL", VFail)),
        ("ci-verdict", (Warn, "FAIL", VPass), (Fail, "FAIL", VFail)),
    ];
    for (lesson, (status, result, verdict), (if_status, if_result, if_verdict)) in expected {
        let lesson = get(lesson).unwrap().unwrap();
        let (s, r, v, observed) = outcome(&lesson.suite, &lesson.focus);
        assert_eq!((s, r.as_str(), v), (status, result, verdict), "{}: {observed}", lesson.id);
        let what_if = lesson.what_if.as_ref().unwrap();
        let (s, r, v, observed) = outcome(&what_if.suite, &lesson.focus);
        assert_eq!(
            (s, r.as_str(), v),
            (if_status, if_result, if_verdict),
            "{} what if: {observed}",
            lesson.id
        );
    }
}

#[test]
fn the_accuracy_gate_measures_what_its_text_says() {
    let lesson = get("accuracy-gate").unwrap().unwrap();
    // scikit-learn 1.9.1 gives the same 0.9333 on this split (see `make compare`).
    let (_, _, _, observed) = outcome(&lesson.suite, "acc");
    assert_eq!(observed, 0.9333333333333333);
    let (_, _, _, observed) = outcome(&lesson.what_if.unwrap().suite, "acc");
    assert_eq!(observed, 0.5);
}

#[test]
fn the_flaky_test_passes_on_some_seeds_and_fails_on_others() {
    let lesson = get("flaky-seed").unwrap().unwrap();
    let reruns_of = |suite: &Suite| {
        let seeds = &lesson.reruns.as_ref().unwrap().seeds;
        reruns(suite, &table_of(suite), &lesson.focus, seeds).unwrap()
    };
    let runs = reruns_of(&lesson.suite);
    let statuses: Vec<Status> = runs.iter().map(|r| r.status).collect();
    use Status::{Fail, Pass};
    assert_eq!(statuses, [Pass, Pass, Pass, Pass, Fail, Fail, Fail, Fail, Fail, Pass]);
    assert_eq!(runs[4].observed, 0.9333333333333333);
    // Judged across folds, the verdict no longer depends on the seed.
    let stable = reruns_of(&lesson.what_if.as_ref().unwrap().suite);
    assert!(stable.iter().all(|r| r.status == Pass), "{stable:?}");
}

#[test]
fn step_mode_reveals_rows_and_variables_one_at_a_time() {
    let lesson = get("accuracy-gate").unwrap().unwrap();
    let report = run::run(&lesson.suite, &table_of(&lesson.suite));
    let test = &report.tests[0];
    assert_eq!(test.steps.len(), 3);

    let start = reveal(test, 0);
    assert!(start.rows.is_empty() && !start.ask && !start.done);
    assert!(start.variables.iter().all(|(_, value)| value.is_none()), "{:?}", start.variables);

    let trained = reveal(test, 1);
    assert_eq!(trained.rows.len(), 1);
    assert_eq!(trained.variables[0], ("model", Some("trained logistic_regression")));
    assert_eq!(trained.variables[1].1, None, "accuracy is not known after step 1");

    let before_assertion = reveal(test, 2);
    assert!(before_assertion.ask && !before_assertion.done);
    assert_eq!(before_assertion.variables[1].1, Some("0.9333"));

    let end = reveal(test, 3);
    assert!(end.done && !end.ask);
    assert_eq!(end.rows[2].result, "PASS");
    assert_eq!(reveal(test, 99), end, "past the end is the end");
}

#[test]
fn a_patch_replaces_fields_and_tests_by_id() {
    let suite = serde_json::json!({ "a": 1, "tests": [ { "id": "x", "v": 1 }, { "id": "y", "v": 2 } ] });
    let patch = serde_json::json!({ "a": 2, "tests": [ { "id": "y", "v": 3 }, { "id": "z" } ] });
    assert_eq!(
        patched(suite, patch),
        serde_json::json!({ "a": 2, "tests": [ { "id": "x", "v": 1 }, { "id": "y", "v": 3 }, { "id": "z" } ] })
    );
}

#[test]
fn a_lesson_without_its_focus_test_is_refused() {
    let text = include_str!("../../static/lessons/1-accuracy-gate.json")
        .replace("\"focus\": \"acc\"", "\"focus\": \"nope\"");
    let err = parse("1-accuracy-gate.json", &text).unwrap_err();
    assert_eq!(err.to_string(), "lessons/1-accuracy-gate.json: the suite has no test `nope` to focus on");
    let _ = samples::SAMPLES;
}
