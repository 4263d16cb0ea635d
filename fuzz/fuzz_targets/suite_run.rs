//! Any CSV, run through every bundled example suite and lesson whose target column it has,
//! each as written and again with another model of its task (chosen by the input's length,
//! so every model kind meets the data): a report whose tests may fail or be errors, never a
//! panic. Seeded with the bundled data sets, so the mutations are the awkward data a user
//! loads (missing and non-finite cells, a class left with one row, a constant column, text
//! in a numeric column) run through every stage and test kind the suites use. The report's
//! counts add up to its verdict and it renders as JSON, text and JUnit.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mltest::report::{junit, markdown, text, Verdict};
use mltest::pipeline::model::MODELS;
use mltest::suite::{parse, Format, Suite};
use mltest::table::{read_csv, LoadOptions, Table};
use mltest::{lessons, run};

/// The example suites, written out so that the fuzzer needs no files at run time.
const EXAMPLES: [(&str, &str, Format); 7] = [
    ("breast-cancer-overfit.json", include_str!("../../static/suites/breast-cancer-overfit.json"), Format::Json),
    ("diabetes-ranges.yaml", include_str!("../../static/suites/diabetes-ranges.yaml"), Format::Yaml),
    ("diabetes-regression.json", include_str!("../../static/suites/diabetes-regression.json"), Format::Json),
    ("iris-accuracy-gate.json", include_str!("../../static/suites/iris-accuracy-gate.json"), Format::Json),
    ("iris-data-quality.json", include_str!("../../static/suites/iris-data-quality.json"), Format::Json),
    ("penguins-missing-values.json", include_str!("../../static/suites/penguins-missing-values.json"), Format::Json),
    (
        "penguins-pipeline-unit-tests.json",
        include_str!("../../static/suites/penguins-pipeline-unit-tests.json"),
        Format::Json,
    ),
];

fn suites() -> &'static [Suite] {
    static SUITES: OnceLock<Vec<Suite>> = OnceLock::new();
    SUITES.get_or_init(|| {
        let examples = EXAMPLES.iter().map(|(file, text, format)| parse(text, *format, file).expect("an example suite"));
        let lessons = lessons::all().expect("the lessons").into_iter().flat_map(|lesson| {
            std::iter::once(lesson.suite).chain(lesson.what_if.map(|what_if| what_if.suite))
        });
        examples.chain(lessons).collect()
    })
}

/// `suite` with its model replaced by the `pick`-th (wrapping) model kind of its task, with
/// that kind's defaults.
fn with_other_model(suite: &Suite, pick: usize) -> Option<Suite> {
    let task = suite.task?;
    let kinds: Vec<_> = MODELS.iter().filter(|m| m.tasks.contains(&task)).collect();
    let mut json: serde_json::Value = serde_json::from_str(&suite.to_json()).ok()?;
    // The kind and its required parameters' starts (`predictions` names its column).
    json["model"] = kinds[pick % kinds.len()].starter();
    parse(&json.to_string(), Format::Json, "variant.json").ok()
}

fn check(suite: &Suite, table: &Table) {
    let report = run::run(suite, table);
    assert_eq!(report.summary.total(), report.tests.len());
    let clean = report.summary.failed + report.summary.errored == 0;
    assert_eq!(report.verdict == Verdict::Pass, clean, "{}", report.headline());
    assert!(!report.to_json().is_empty() && !text::render(&report).is_empty() && !junit::render(&report).is_empty());
    // Every test is one row of the summary's table, whatever the data's names and cells hold.
    let summary = markdown::render(&report);
    let table = summary.split("| --- | --- | --- | --- |\n").nth(1).unwrap_or_default();
    assert_eq!(table.lines().take_while(|l| l.starts_with("| ")).count(), report.tests.len(), "{summary}");
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(table) = read_csv(bytes, "fuzz.csv", &LoadOptions::default()) else { return };
    for suite in suites() {
        if suite.target.as_deref().is_some_and(|target| table.column(target).is_none()) {
            continue;
        }
        check(suite, &table);
        if let Some(variant) = with_other_model(suite, bytes.len()) {
            check(&variant, &table);
        }
    }
});
