//! The page's state: the loaded data, the suite being edited and the run, changed only by
//! [`Action`]s through [`AppState::reduce`] (yew's [`Reducible`]).
//!
//! Plain Rust with no DOM: the reducer is tested natively by `cargo test`. Side effects
//! (reading a file, talking to the worker) live in `services/` and end in an `Action`.

use std::rc::Rc;

use yew::Reducible;

use crate::report::Report;
use crate::samples;
use crate::suite::{self, Format, Suite, SuiteError};
use crate::table::{self, ColumnProfile, LoadOptions};

/// The sample and suite the page opens with.
pub const INITIAL_SAMPLE: &str = "iris";
/// The file name the edited suite is given in errors.
pub const SUITE_FILE: &str = "suite.json";
pub const INITIAL_SUITE: &str = include_str!("../../static/suites/iris-accuracy-gate.json");

/// A CSV that was read: its bytes (sent to the worker for a run) and its shape.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedData {
    pub name: String,
    /// The sample it came from, if any (the sample menu shows it selected).
    pub sample: Option<&'static str>,
    pub bytes: Rc<[u8]>,
    pub rows: usize,
    pub columns: usize,
    pub profile: Rc<Vec<ColumnProfile>>,
}

/// The data the page holds: a table, or why the last file could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum DataState {
    Loaded(LoadedData),
    Failed { name: String, message: String },
}

/// The suite being edited and what [`suite::parse`] makes of it.
#[derive(Debug, Clone, PartialEq)]
pub struct SuiteState {
    pub text: String,
    pub parsed: Result<Rc<Suite>, SuiteError>,
}

impl SuiteState {
    pub fn new(text: String) -> SuiteState {
        let parsed = suite::parse(&text, Format::Json, SUITE_FILE).map(Rc::new);
        SuiteState { text, parsed }
    }
}

/// Where the current run is. `run` numbers runs, so messages from a run that was replaced
/// are ignored.
#[derive(Debug, Clone, PartialEq)]
pub enum RunState {
    Idle,
    Running { run: u64, stage: String },
    Done { run: u64, report: Rc<Report> },
    Failed { run: u64, message: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub data: DataState,
    pub suite: SuiteState,
    pub run: RunState,
}

/// What a run's worker answered, as the reducer receives it.
#[derive(Debug, Clone, PartialEq)]
pub enum RunOutcome {
    /// The JSON report.
    Done(String),
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A bundled sample was chosen.
    SelectSample(String),
    /// A file was read from the user's machine.
    LoadCsv {
        name: String,
        bytes: Rc<[u8]>,
    },
    /// The browser could not read the file the user picked.
    FileUnreadable {
        name: String,
        message: String,
    },
    /// The suite text changed.
    EditSuite(String),
    /// Run number `run` was sent to the worker; it replaces any run in progress.
    StartRun {
        run: u64,
    },
    Progress {
        run: u64,
        stage: String,
    },
    Finished {
        run: u64,
        outcome: RunOutcome,
    },
}

impl Default for AppState {
    fn default() -> AppState {
        AppState {
            data: load_sample(INITIAL_SAMPLE),
            suite: SuiteState::new(INITIAL_SUITE.to_owned()),
            run: RunState::Idle,
        }
    }
}

impl AppState {
    /// The request for a run, when the data was read and the suite is valid.
    pub fn runnable(&self) -> Option<(&LoadedData, &str)> {
        match (&self.data, &self.suite.parsed) {
            (DataState::Loaded(data), Ok(_)) => Some((data, self.suite.text.as_str())),
            _ => None,
        }
    }

    pub fn is_running(&self) -> bool {
        matches!(self.run, RunState::Running { .. })
    }

    /// The state after `action`.
    pub fn apply(&self, action: Action) -> AppState {
        let mut next = self.clone();
        match action {
            Action::SelectSample(name) => next.data = load_sample(&name),
            Action::LoadCsv { name, bytes } => next.data = load_csv(name, bytes, None),
            Action::FileUnreadable { name, message } => next.data = DataState::Failed { name, message },
            Action::EditSuite(text) => next.suite = SuiteState::new(text),
            Action::StartRun { run } => next.run = RunState::Running { run, stage: "starting".into() },
            Action::Progress { run, stage } => {
                if let RunState::Running { run: current, .. } = &self.run {
                    if *current == run {
                        next.run = RunState::Running { run, stage };
                    }
                }
            }
            Action::Finished { run, outcome } => {
                if matches!(&self.run, RunState::Running { run: current, .. } if *current == run) {
                    next.run = match outcome {
                        RunOutcome::Done(json) => match serde_json::from_str::<Report>(&json) {
                            Ok(report) => RunState::Done { run, report: Rc::new(report) },
                            Err(err) => {
                                RunState::Failed { run, message: format!("unreadable report: {err}") }
                            }
                        },
                        RunOutcome::Failed(message) => RunState::Failed { run, message },
                    };
                }
            }
        }
        next
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

fn load_sample(name: &str) -> DataState {
    match samples::get(name) {
        Some(sample) => load_csv(sample.file.to_owned(), Rc::from(sample.csv), Some(sample.name)),
        None => DataState::Failed { name: name.to_owned(), message: format!("no sample named `{name}`") },
    }
}

fn load_csv(name: String, bytes: Rc<[u8]>, sample: Option<&'static str>) -> DataState {
    match table::read_csv(&bytes, &name, &LoadOptions::default()) {
        Ok(table) => DataState::Loaded(LoadedData {
            rows: table.n_rows(),
            columns: table.n_cols(),
            profile: Rc::new(table::profile(&table)),
            name,
            sample,
            bytes,
        }),
        Err(err) => DataState::Failed { name, message: err.to_string() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn running(run: u64) -> AppState {
        AppState::default().apply(Action::StartRun { run })
    }

    fn iris_report() -> Report {
        let sample = samples::get("iris").unwrap();
        let table = table::read_csv(sample.csv, sample.file, &LoadOptions::default()).unwrap();
        let suite = suite::parse(INITIAL_SUITE, Format::Json, SUITE_FILE).unwrap();
        crate::run::run(&suite, &table)
    }

    fn report_json() -> String {
        iris_report().to_json()
    }

    #[test]
    fn the_page_opens_with_iris_and_its_accuracy_gate() {
        let state = AppState::default();
        let DataState::Loaded(data) = &state.data else { panic!("iris did not load") };
        assert_eq!((data.name.as_str(), data.rows, data.columns), ("iris.csv", 150, 5));
        assert_eq!(data.sample, Some("iris"));
        assert_eq!(data.profile.len(), 5);
        assert!(state.suite.parsed.is_ok());
        assert_eq!(state.run, RunState::Idle);
        assert!(state.runnable().is_some());
    }

    #[test]
    fn every_sample_can_be_selected() {
        for sample in samples::SAMPLES {
            let state = AppState::default().apply(Action::SelectSample(sample.name.into()));
            let DataState::Loaded(data) = &state.data else { panic!("{} did not load", sample.name) };
            assert_eq!(data.sample, Some(sample.name));
        }
    }

    #[test]
    fn a_bad_file_is_an_error_and_keeps_the_suite() {
        let edited = AppState::default().apply(Action::EditSuite("{ \"version\": 1 }".into()));
        let state = edited.apply(Action::LoadCsv { name: "empty.csv".into(), bytes: Rc::from(&b""[..]) });
        let DataState::Failed { name, message } = &state.data else { panic!("an empty file loaded") };
        assert_eq!(name, "empty.csv");
        assert!(message.contains("empty.csv"), "{message}");
        assert_eq!(state.suite, edited.suite);
        assert!(state.runnable().is_none());
    }

    #[test]
    fn an_uploaded_csv_replaces_the_sample() {
        let bytes: Rc<[u8]> = Rc::from(&b"a,b\n1,2\n3,4\n"[..]);
        let state = AppState::default().apply(Action::LoadCsv { name: "mine.csv".into(), bytes });
        let DataState::Loaded(data) = &state.data else { panic!("did not load") };
        assert_eq!((data.rows, data.columns, data.sample), (2, 2, None));
    }

    #[test]
    fn the_suite_is_validated_as_it_is_edited() {
        let state = AppState::default().apply(Action::EditSuite("{ \"version\": 1, ".into()));
        let err = state.suite.parsed.as_ref().unwrap_err();
        assert_eq!(err.file(), SUITE_FILE);
        assert!(err.line().is_some());
        assert!(state.runnable().is_none());
        let state = state.apply(Action::EditSuite(INITIAL_SUITE.into()));
        assert!(state.runnable().is_some());
    }

    #[test]
    fn progress_and_the_report_of_the_current_run_are_kept() {
        let state = running(1).apply(Action::Progress { run: 1, stage: "run".into() });
        assert_eq!(state.run, RunState::Running { run: 1, stage: "run".into() });
        let state = state.apply(Action::Finished { run: 1, outcome: RunOutcome::Done(report_json()) });
        let RunState::Done { run: 1, report } = &state.run else { panic!("{:?}", state.run) };
        assert_eq!(report.summary.passed, 5);
    }

    /// Regression: without serde_json's `float_roundtrip`, the iris accuracy 28/30 =
    /// 0.9333333333333333 came back from the worker's JSON as 0.9333333333333332.
    #[test]
    fn the_report_reads_back_exactly_as_the_worker_wrote_it() {
        let report = iris_report();
        let state =
            running(1).apply(Action::Finished { run: 1, outcome: RunOutcome::Done(report.to_json()) });
        let RunState::Done { report: read, .. } = &state.run else { panic!("{:?}", state.run) };
        assert_eq!(**read, report);
    }

    #[test]
    fn messages_of_a_replaced_run_are_ignored() {
        let state = running(1).apply(Action::StartRun { run: 2 });
        let stale = state
            .apply(Action::Progress { run: 1, stage: "run".into() })
            .apply(Action::Finished { run: 1, outcome: RunOutcome::Failed("old".into()) });
        assert_eq!(stale.run, RunState::Running { run: 2, stage: "starting".into() });
    }

    #[test]
    fn a_failed_run_or_an_unreadable_report_is_a_failure() {
        let failed =
            running(3).apply(Action::Finished { run: 3, outcome: RunOutcome::Failed("boom".into()) });
        assert_eq!(failed.run, RunState::Failed { run: 3, message: "boom".into() });
        let garbled = running(4).apply(Action::Finished { run: 4, outcome: RunOutcome::Done("{".into()) });
        assert!(matches!(garbled.run, RunState::Failed { run: 4, .. }));
    }
}
