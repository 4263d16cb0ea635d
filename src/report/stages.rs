//! The run as the page's stage strip draws it: data → split → preprocess → train → evaluate
//! → verdict, each with an outcome.
//!
//! The rule (what [`crate::run`] derives from the tests and the pipeline):
//!
//! - **data**: the worst status of the data tests (and of the `data_matches` check); `error`
//!   when the pipeline failed at its `prepare` stage (the target or features are not usable).
//! - **split, preprocess, train**: the pipeline's own stages: `pass` when the stage ran,
//!   `error` at the stage that failed, `skipped` after it, `not_run` when no pipeline was
//!   trained (the suite has no model, or no enabled test needs it).
//! - **evaluate**: the worst status of the unit, threshold and integration tests, which all
//!   examine the trained pipeline.
//! - **verdict**: the suite's verdict.
//!
//! "Worst" orders `error` > `fail` > `warn` > `pass` > `skipped`; a stage with no test is
//! `not_run`. Times are not here (a report differs between runs only in `timings_ms`):
//! [`Stage::ms`] adds up the `timings_ms` entries of a stage.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Status;

/// A box of the stage strip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Data,
    Split,
    Preprocess,
    Train,
    Evaluate,
    Verdict,
}

impl Stage {
    pub const ALL: [Stage; 6] =
        [Stage::Data, Stage::Split, Stage::Preprocess, Stage::Train, Stage::Evaluate, Stage::Verdict];

    pub fn name(self) -> &'static str {
        match self {
            Stage::Data => "data",
            Stage::Split => "split",
            Stage::Preprocess => "preprocess",
            Stage::Train => "train",
            Stage::Evaluate => "evaluate",
            Stage::Verdict => "verdict",
        }
    }

    /// The `timings_ms` entries this stage's time is made of.
    fn timing_keys(self) -> &'static [&'static str] {
        match self {
            Stage::Data => &["prepare", "data_tests"],
            Stage::Split => &["split"],
            Stage::Preprocess => &["preprocess"],
            Stage::Train => &["train", "predict"],
            Stage::Evaluate => &["unit_tests", "threshold_tests", "integration_tests"],
            Stage::Verdict => &[],
        }
    }

    /// The stage's time in a report's `timings_ms`; `None` when none of its entries is there.
    pub fn ms(self, timings_ms: &BTreeMap<String, f64>) -> Option<f64> {
        let times: Vec<f64> =
            self.timing_keys().iter().filter_map(|key| timings_ms.get(*key).copied()).collect();
        (!times.is_empty()).then(|| times.iter().sum())
    }
}

/// How a stage went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    NotRun,
    Skipped,
    Pass,
    Warn,
    Fail,
    Error,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::NotRun => "not_run",
            Outcome::Skipped => "skipped",
            Outcome::Pass => "pass",
            Outcome::Warn => "warn",
            Outcome::Fail => "fail",
            Outcome::Error => "error",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::NotRun => "not run",
            other => other.name(),
        }
    }

    /// The worst outcome of some tests (`not_run` when there are none).
    pub fn worst(statuses: impl IntoIterator<Item = Status>) -> Outcome {
        statuses.into_iter().map(Outcome::from).max().unwrap_or(Outcome::NotRun)
    }
}

impl From<Status> for Outcome {
    fn from(status: Status) -> Outcome {
        match status {
            Status::Pass => Outcome::Pass,
            Status::Fail => Outcome::Fail,
            Status::Warn => Outcome::Warn,
            Status::Error => Outcome::Error,
            Status::Skipped => Outcome::Skipped,
        }
    }
}

/// One box of the strip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageOutcome {
    pub stage: Stage,
    pub outcome: Outcome,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_status_colours_a_stage() {
        assert_eq!(Outcome::worst([Status::Pass, Status::Warn, Status::Skipped]), Outcome::Warn);
        assert_eq!(Outcome::worst([Status::Fail, Status::Error, Status::Pass]), Outcome::Error);
        assert_eq!(Outcome::worst([Status::Skipped]), Outcome::Skipped);
        assert_eq!(Outcome::worst([]), Outcome::NotRun);
    }

    #[test]
    fn a_stage_time_adds_up_its_timings() {
        let timings: BTreeMap<String, f64> =
            [("train".to_owned(), 2.0), ("predict".to_owned(), 0.5), ("split".to_owned(), 1.0)].into();
        assert_eq!(Stage::Train.ms(&timings), Some(2.5));
        assert_eq!(Stage::Evaluate.ms(&timings), None);
        assert_eq!(Stage::Verdict.ms(&timings), None);
    }
}
