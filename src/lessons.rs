//! The tutorials (PRODUCT.md §6): short lessons, each a suite on a bundled data set, a few
//! paragraphs, one test to step through, a question to answer before its assertion is
//! revealed, and a "what if" — the same suite changed in one place, with the verdict that
//! change brings.
//!
//! Lessons are data (`static/lessons/*.json`, listed in [`LESSONS`]; compiled in, but for the
//! page's build, which fetches a lesson's file when it is opened) and run on the same engine as
//! every suite: no number in a lesson's text is made up, and the tests of this module run
//! each lesson and its "what if" and check the outcome the text describes.
//!
//! [`reveal`] is step mode: the first rows of a test's execution table with the tracked
//! variables as they stand after the last row shown. [`reruns`] runs one suite under several
//! seeds, which is how the flaky-test lesson shows a verdict changing from run to run.

use std::fmt;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::report::{Report, Status, Step, TestReport};
use crate::suite::{self, Suite, SuiteError};
use crate::table::Table;

/// A lesson as the menu lists it, and where its file is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry {
    /// The name in links (`#lesson=ID`); the file's `id`.
    pub id: &'static str,
    /// The menu's label; the file's `title` (a test checks both against the files).
    pub title: &'static str,
    /// The file in `static/lessons/`.
    pub file: &'static str,
    /// The file's text when this build compiles it in (empty otherwise: see [`Entry::text`]).
    text: &'static str,
}

impl Entry {
    /// The file's text, when this build holds it (every build but the page's).
    pub fn text(&self) -> Option<&'static str> {
        (!self.text.is_empty()).then_some(self.text)
    }

    /// Reads this lesson from its file's text (compiled in, or fetched by the page).
    pub fn parse(&self, text: &str) -> Result<Lesson, LessonError> {
        let lesson = parse(self.file, text)?;
        let listed = |field: &str, file: &str, list: &str| LessonError {
            file: self.file.to_owned(),
            message: format!("the file's {field} is `{file}`, where the lessons' list says `{list}`"),
        };
        if lesson.id != self.id {
            return Err(listed("id", &lesson.id, self.id));
        }
        if lesson.title != self.title {
            return Err(listed("title", &lesson.title, self.title));
        }
        Ok(lesson)
    }
}

/// Every lesson, in order: what the lesson menu lists without reading a file.
pub const LESSONS: &[Entry] = &[
    Entry {
        id: "accuracy-gate",
        title: "1. The accuracy gate",
        file: "1-accuracy-gate.json",
        text: static_file!(include_str!("../static/lessons/1-accuracy-gate.json")),
    },
    Entry {
        id: "data-quality",
        title: "2. Test the data before the model",
        file: "2-data-quality.json",
        text: static_file!(include_str!("../static/lessons/2-data-quality.json")),
    },
    Entry {
        id: "unit-tests",
        title: "3. Unit tests of scaling and splitting",
        file: "3-unit-tests.json",
        text: static_file!(include_str!("../static/lessons/3-unit-tests.json")),
    },
    Entry {
        id: "flaky-seed",
        title: "4. A flaky test without a seed",
        file: "4-flaky-seed.json",
        text: static_file!(include_str!("../static/lessons/4-flaky-seed.json")),
    },
    Entry {
        id: "integration",
        title: "5. The integration test",
        file: "5-integration.json",
        text: static_file!(include_str!("../static/lessons/5-integration.json")),
    },
    Entry {
        id: "ci-verdict",
        title: "6. The CI verdict",
        file: "6-ci-verdict.json",
        text: static_file!(include_str!("../static/lessons/6-ci-verdict.json")),
    },
    Entry {
        id: "fails-a-group",
        title: "7. Your model passes on average — and fails a group",
        file: "7-fails-a-group.json",
        text: static_file!(include_str!("../static/lessons/7-fails-a-group.json")),
    },
    Entry {
        id: "fine-last-month",
        title: "8. The model was fine last month",
        file: "8-fine-last-month.json",
        text: static_file!(include_str!("../static/lessons/8-fine-last-month.json")),
    },
];

/// One lesson, checked: its suite and its "what if" suite are valid and contain its focus.
#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    /// The name in links: `#lesson=ID`.
    pub id: String,
    pub title: String,
    pub summary: String,
    /// Paragraphs; `code` in backticks.
    pub text: Vec<String>,
    /// The id of the test stepped through.
    pub focus: String,
    /// Asked before the focus test's assertion row is revealed.
    pub question: String,
    pub suite: Suite,
    pub what_if: Option<WhatIf>,
    pub reruns: Option<Reruns>,
}

/// The lesson's suite changed in one place, and what that shows.
#[derive(Debug, Clone, PartialEq)]
pub struct WhatIf {
    pub text: String,
    pub suite: Suite,
}

/// The seeds a lesson reruns its suite with.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reruns {
    pub seeds: Vec<u64>,
    pub text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLesson {
    #[allow(dead_code)]
    version: u32,
    id: String,
    title: String,
    summary: String,
    text: Vec<String>,
    focus: String,
    question: String,
    suite: Value,
    #[serde(default)]
    what_if: Option<RawWhatIf>,
    #[serde(default)]
    reruns: Option<Reruns>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWhatIf {
    text: String,
    patch: Value,
}

/// A lesson file that is not valid: a bug in the bundled lessons, caught by the tests.
#[derive(Debug, Clone, PartialEq)]
pub struct LessonError {
    pub file: String,
    pub message: String,
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "lessons/{}: {}", self.file, self.message)
    }
}

impl std::error::Error for LessonError {}

/// The ids of the lessons, in order, without reading them.
pub fn ids() -> Vec<&'static str> {
    LESSONS.iter().map(|entry| entry.id).collect()
}

/// The lesson listed as `id`.
pub fn entry(id: &str) -> Option<&'static Entry> {
    LESSONS.iter().find(|entry| entry.id == id)
}

/// Every lesson, in order, read from the files this build compiles in (the page's build
/// fetches its lessons instead: [`Entry::text`]).
pub fn all() -> Result<Vec<Lesson>, LessonError> {
    LESSONS.iter().map(|entry| entry.parse(entry.text().unwrap_or_default())).collect()
}

/// The lesson with this id, read from its compiled-in file.
pub fn get(id: &str) -> Option<Result<Lesson, LessonError>> {
    entry(id).map(|entry| entry.parse(entry.text().unwrap_or_default()))
}

fn read(text: &str) -> Result<RawLesson, serde_json::Error> {
    serde_json::from_str(text)
}

fn parse(file: &str, text: &str) -> Result<Lesson, LessonError> {
    let error = |message: String| LessonError { file: file.to_owned(), message };
    let raw = read(text).map_err(|e| error(e.to_string()))?;
    let suite_file = format!("lessons/{file}");
    let checked = |value: Value| -> Result<Suite, LessonError> {
        let suite = suite::from_value(value, &suite_file).map_err(|e: SuiteError| error(e.to_string()))?;
        if suite.tests.iter().any(|t| t.id == raw.focus) {
            Ok(suite)
        } else {
            Err(error(format!("the suite has no test `{}` to focus on", raw.focus)))
        }
    };
    let suite = checked(raw.suite.clone())?;
    let what_if = match raw.what_if {
        Some(what_if) => {
            Some(WhatIf { text: what_if.text, suite: checked(patched(raw.suite.clone(), what_if.patch))? })
        }
        None => None,
    };
    Ok(Lesson {
        id: raw.id,
        title: raw.title,
        summary: raw.summary,
        text: raw.text,
        focus: raw.focus,
        question: raw.question,
        suite,
        what_if,
        reruns: raw.reruns,
    })
}

/// The suite with `patch` applied: each field of the patch replaces the suite's, except
/// `tests`, whose entries replace the suite's test of the same id (so a lesson's "what if"
/// changes one test without restating the others).
fn patched(mut suite: Value, patch: Value) -> Value {
    let (Value::Object(target), Value::Object(patch)) = (&mut suite, patch) else { return suite };
    for (key, value) in patch {
        match (key.as_str(), target.get_mut("tests"), value) {
            ("tests", Some(Value::Array(tests)), Value::Array(replacements)) => {
                for replacement in replacements {
                    let id = replacement.get("id").cloned();
                    match tests.iter_mut().find(|t| t.get("id") == id.as_ref()) {
                        Some(test) => *test = replacement,
                        None => tests.push(replacement),
                    }
                }
            }
            (_, _, value) => {
                target.insert(key, value);
            }
        }
    }
    suite
}

/// What step mode shows after `shown` rows of a test's execution table.
#[derive(Debug, Clone, PartialEq)]
pub struct Reveal<'a> {
    pub rows: &'a [Step],
    /// Each tracked variable and its value after the last row shown (`None`: not yet set).
    pub variables: Vec<(&'a str, Option<&'a str>)>,
    /// The next row is the assertion: ask what will happen before showing it.
    pub ask: bool,
    /// Every row is shown.
    pub done: bool,
}

/// The first `shown` rows of `test`'s execution table (clamped to its length) and the
/// tracked variables as they stand after them.
pub fn reveal(test: &TestReport, shown: usize) -> Reveal<'_> {
    let shown = shown.min(test.steps.len());
    let variables = test
        .variables
        .iter()
        .map(|v| {
            let value = shown.checked_sub(1).and_then(|i| v.values.get(i)).and_then(|v| v.as_deref());
            (v.name.as_str(), value)
        })
        .collect();
    Reveal {
        rows: &test.steps[..shown],
        variables,
        ask: !test.steps.is_empty() && shown + 1 == test.steps.len(),
        done: shown == test.steps.len(),
    }
}

/// One run of a suite under another seed: the focus test's status and observed value.
#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
pub struct Rerun {
    pub seed: u64,
    pub status: Status,
    pub observed: Value,
}

/// Runs `suite` on `table` once per seed (the split's seed replaced) and reports the test
/// `focus` of each run.
pub fn reruns(suite: &Suite, table: &Table, focus: &str, seeds: &[u64]) -> Result<Vec<Rerun>, SuiteError> {
    let base: Value = serde_json::to_value(suite).unwrap_or_default();
    seeds
        .iter()
        .map(|&seed| {
            let mut value = base.clone();
            if let Value::Object(top) = &mut value {
                let split = top.entry("split").or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(split) = split {
                    split.insert("seed".into(), seed.into());
                }
            }
            let reseeded = suite::from_value(value, "lesson")?;
            let report: Report = crate::run::run(&reseeded, table);
            let test = report.tests.into_iter().find(|t| t.id == focus);
            Ok(Rerun {
                seed,
                status: test.as_ref().map_or(Status::Skipped, |t| t.status),
                observed: test.map_or(Value::Null, |t| t.observed),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
