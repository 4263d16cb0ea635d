//! The page's state: the loaded data, the suite being edited and the run, changed only by
//! [`Action`]s through [`AppState::reduce`] (yew's [`Reducible`]).
//!
//! Plain Rust with no DOM: the reducer is tested natively by `cargo test`. Side effects
//! (reading a file, talking to the worker) live in `services/` and end in an `Action`.

use std::rc::Rc;

use yew::Reducible;

use super::sharing::{self, LinkAction, LinkState};
use super::suite_doc::{self, SuiteEdit};
use super::tutorial::{self, LessonAction, TutorialState};
use crate::report::Report;
use crate::samples;
use crate::suite::{self, Format, Suite, SuiteError};
use crate::table::{self, ColumnProfile, LoadOptions, Table, MISSING_TOKENS};

/// The sample and suite the page opens with.
pub const INITIAL_SAMPLE: &str = "iris";
/// The file name an edited JSON suite is given in errors.
pub const SUITE_FILE: &str = "suite.json";
pub const INITIAL_SUITE: &str = include_str!("../../static/suites/iris-accuracy-gate.json");

/// Reads the suite being edited, JSON or YAML ([`Format::of_text`]); errors name it
/// `suite.json` or `suite.yaml`.
pub fn parse_suite(text: &str) -> Result<Suite, SuiteError> {
    let format = Format::of_text(text);
    suite::parse(text, format, format.file_name())
}

/// A CSV that was read: its bytes (sent to the worker for a run) and its shape.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedData {
    pub name: String,
    /// The sample it came from, if any (the sample menu shows it selected).
    pub sample: Option<&'static str>,
    pub bytes: Rc<[u8]>,
    pub rows: usize,
    pub columns: usize,
    /// The bytes' SHA-256, as reports and share links give it.
    pub sha256: String,
    pub profile: Rc<Vec<ColumnProfile>>,
    /// The header and the first [`PREVIEW_ROWS`] rows as the file writes them.
    pub preview: Rc<Preview>,
}

/// How many rows the preview table shows.
pub const PREVIEW_ROWS: usize = 10;

/// The first rows of a file, cells trimmed as the loader trims them; `None` is a missing cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Preview {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

/// A file or sample that could not be read: shown in the error banner while the data
/// loaded before it stays.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadFailure {
    pub name: String,
    pub message: String,
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
        let parsed = parse_suite(&text).map(Rc::new);
        SuiteState { text, parsed }
    }
}

/// Where the current run is. `run` numbers runs, so messages from a run that was replaced
/// are ignored.
#[derive(Debug, Clone, PartialEq)]
pub enum RunState {
    Idle,
    Running {
        run: u64,
        stage: String,
    },
    Done {
        run: u64,
        report: Rc<Report>,
    },
    Failed {
        run: u64,
        message: String,
    },
    /// Idle again after run `run` was cancelled (its worker terminated): the page says so.
    Cancelled {
        run: u64,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub data: DataState,
    /// Why the last file could not be read; cleared by the next readable one.
    pub load_error: Option<LoadFailure>,
    pub suite: SuiteState,
    pub run: RunState,
    /// Share links: the last made, the last that failed to open, the file one asks for.
    pub links: LinkState,
    /// The open lesson, in step mode.
    pub tutorial: Option<TutorialState>,
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
    /// A suite file was opened: its text replaces the editor's, unless it is not UTF-8.
    OpenSuite {
        name: String,
        bytes: Vec<u8>,
    },
    /// A form of the suite editor changed the suite (see [`suite_doc`]); suggested tests
    /// arrive as [`SuiteEdit::AddTests`], computed outside the reducer.
    EditForm(SuiteEdit),
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
    /// Run number `run` was cancelled (its worker terminated); the suite and data are kept.
    Cancel {
        run: u64,
    },
    Link(LinkAction),
    Lesson(LessonAction),
}

impl Default for AppState {
    fn default() -> AppState {
        AppState {
            data: load_sample(INITIAL_SAMPLE),
            load_error: None,
            suite: SuiteState::new(INITIAL_SUITE.to_owned()),
            run: RunState::Idle,
            links: LinkState::default(),
            tutorial: None,
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
            Action::SelectSample(name) => {
                next.take_data(load_sample(&name));
                next.links.check_data(&next.data);
            }
            Action::LoadCsv { name, bytes } => {
                next.take_data(load_csv(name, bytes, None));
                next.links.check_data(&next.data);
            }
            Action::FileUnreadable { name, message } => next.take_data(DataState::Failed { name, message }),
            Action::EditSuite(text) => next.suite = SuiteState::new(text),
            Action::EditForm(edit) => {
                let columns = match &self.data {
                    DataState::Loaded(data) => data.profile.as_slice(),
                    DataState::Failed { .. } => &[],
                };
                // Text that is not JSON cannot be edited by a form; the forms say so and the
                // text stays as typed.
                if let Ok(text) = suite_doc::apply(&self.suite.text, &edit, columns) {
                    next.suite = SuiteState::new(text);
                }
            }
            Action::OpenSuite { name, bytes } => match String::from_utf8(bytes) {
                Ok(text) => {
                    next.suite = SuiteState::new(text);
                    next.load_error = None;
                }
                Err(err) => {
                    let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
                    let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
                    let message = format!(
                        "{name}: line {line}: the bytes are not valid UTF-8; save the suite as UTF-8"
                    );
                    next.load_error = Some(LoadFailure { name, message });
                }
            },
            Action::StartRun { run } => {
                next.run = RunState::Running { run, stage: "starting".into() };
                next.links.run_requested = false;
            }
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
            Action::Cancel { run } => {
                if matches!(&self.run, RunState::Running { run: current, .. } if *current == run) {
                    next.run = RunState::Cancelled { run };
                }
            }
            Action::Link(action) => sharing::apply(&mut next, action),
            Action::Lesson(action) => tutorial::apply(&mut next, action),
        }
        next
    }
}

impl AppState {
    /// Keeps newly read data, or keeps the data already held and records why the new one
    /// could not be read.
    pub(crate) fn take_data(&mut self, data: DataState) {
        match data {
            DataState::Failed { name, message } if matches!(self.data, DataState::Loaded(_)) => {
                self.load_error = Some(LoadFailure { name, message });
            }
            data => {
                self.load_error = match &data {
                    DataState::Failed { name, message } => {
                        Some(LoadFailure { name: name.clone(), message: message.clone() })
                    }
                    DataState::Loaded(_) => None,
                };
                self.data = data;
            }
        }
    }

    /// What localStorage keeps of this state: the suite text and which data (the sample's
    /// name, or a file's text when it is UTF-8 and under [`MAX_SAVED_CSV`] bytes).
    pub fn saved(&self) -> Saved {
        let data = match &self.data {
            DataState::Loaded(LoadedData { sample: Some(sample), .. }) => {
                SavedData::Sample { name: (*sample).to_owned() }
            }
            DataState::Loaded(data) if data.bytes.len() <= MAX_SAVED_CSV => {
                match std::str::from_utf8(&data.bytes) {
                    Ok(csv) => SavedData::Csv { name: data.name.clone(), csv: csv.to_owned() },
                    Err(_) => SavedData::None,
                }
            }
            _ => SavedData::None,
        };
        Saved { v: SAVED_VERSION, suite: self.suite.text.clone(), data }
    }

    /// The state a saved entry restores; data that no longer loads falls back to the initial
    /// sample.
    pub fn from_saved(saved: Saved) -> AppState {
        let data = match saved.data {
            SavedData::Sample { name } => load_sample(&name),
            SavedData::Csv { name, csv } => load_csv(name, Rc::from(csv.into_bytes()), None),
            SavedData::None => load_sample(INITIAL_SAMPLE),
        };
        let data = match data {
            DataState::Loaded(_) => data,
            DataState::Failed { .. } => load_sample(INITIAL_SAMPLE),
        };
        AppState {
            data,
            load_error: None,
            suite: SuiteState::new(saved.suite),
            run: RunState::Idle,
            links: LinkState::default(),
            tutorial: None,
        }
    }
}

/// The version of the [`Saved`] JSON shape.
pub const SAVED_VERSION: u32 = 1;
/// Larger files are not kept in localStorage (a reload falls back to the initial sample).
pub const MAX_SAVED_CSV: usize = 1_000_000;

/// The localStorage entry: `{"v":1,"suite":"...","data":{"kind":"sample","name":"iris"}}`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Saved {
    pub v: u32,
    pub suite: String,
    pub data: SavedData,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SavedData {
    Sample { name: String },
    Csv { name: String, csv: String },
    None,
}

impl Saved {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads an entry; an unreadable one or one of another version is an error.
    pub fn parse(text: &str) -> Result<Saved, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        match value.get("v").and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(SAVED_VERSION) => {}
            other => return Err(format!("unknown version {other:?}")),
        }
        serde_json::from_value(value).map_err(|e| e.to_string())
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

pub(crate) fn load_sample(name: &str) -> DataState {
    match samples::get(name) {
        Some(sample) => load_csv(sample.file.to_owned(), Rc::from(sample.csv), Some(sample.name)),
        None => DataState::Failed { name: name.to_owned(), message: format!("no sample named `{name}`") },
    }
}

pub(crate) fn load_csv(name: String, bytes: Rc<[u8]>, sample: Option<&'static str>) -> DataState {
    match table::read_csv(&bytes, &name, &LoadOptions::default()) {
        Ok(table) => DataState::Loaded(LoadedData {
            preview: Rc::new(preview(&bytes, &table)),
            rows: table.n_rows(),
            columns: table.n_cols(),
            sha256: table.sha256().to_owned(),
            profile: Rc::new(table::profile(&table)),
            name,
            sample,
            bytes,
        }),
        Err(err) => DataState::Failed { name, message: err.to_string() },
    }
}

/// The header and first rows of a file that [`table::read_csv`] read as `table`.
fn preview(bytes: &[u8], table: &Table) -> Preview {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(table.delimiter())
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader
        .byte_records()
        .map_while(Result::ok)
        .filter(|r| r.iter().any(|cell| !cell.trim_ascii().is_empty()))
        .map(|r| r.iter().map(|cell| String::from_utf8_lossy(cell.trim_ascii()).into_owned()).collect());
    let header: Vec<String> = records.next().unwrap_or_default();
    let rows = records
        .take(PREVIEW_ROWS)
        .map(|cells: Vec<String>| {
            (0..header.len())
                .map(|i| {
                    cells
                        .get(i)
                        .filter(|c| !MISSING_TOKENS.iter().any(|t| c.eq_ignore_ascii_case(t)))
                        .cloned()
                })
                .collect()
        })
        .collect();
    Preview { header, rows }
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
        let Some(LoadFailure { name, message }) = &state.load_error else { panic!("an empty file loaded") };
        assert_eq!(name, "empty.csv");
        assert!(message.contains("empty.csv"), "{message}");
        assert_eq!(state.suite, edited.suite);
        assert_eq!(state.data, edited.data, "the data loaded before is kept");
    }

    #[test]
    fn an_uploaded_csv_replaces_the_sample() {
        let bytes: Rc<[u8]> = Rc::from(&b"a,b\n1,2\n3,4\n"[..]);
        let state = AppState::default().apply(Action::LoadCsv { name: "mine.csv".into(), bytes });
        let DataState::Loaded(data) = &state.data else { panic!("did not load") };
        assert_eq!((data.rows, data.columns, data.sample), (2, 2, None));
    }

    #[test]
    fn a_yaml_suite_is_read_in_the_editor_and_its_errors_name_it() {
        let yaml = include_str!("../../static/suites/diabetes-ranges.yaml");
        let state = AppState::default().apply(Action::EditSuite(yaml.into()));
        assert!(state.suite.parsed.as_ref().is_ok_and(|s| !s.tests.is_empty()), "{:?}", state.suite.parsed);
        let broken = state.apply(Action::EditSuite(yaml.replace("tests:", "tests: [")));
        assert_eq!(broken.suite.parsed.unwrap_err().file(), "suite.yaml");
        let json = AppState::default().apply(Action::EditSuite("{ \"version\": 1 }".into()));
        assert_eq!(json.suite.parsed.unwrap_err().file(), "suite.json");
    }

    #[test]
    fn an_opened_suite_file_replaces_the_editor_text_or_says_why_not() {
        let yaml = include_str!("../../static/suites/diabetes-ranges.yaml");
        let state =
            AppState::default().apply(Action::OpenSuite { name: "ranges.yaml".into(), bytes: yaml.into() });
        assert_eq!(state.suite.text, yaml);
        assert!(state.suite.parsed.is_ok());
        let bad = state.apply(Action::OpenSuite {
            name: "latin1.json".into(),
            bytes: b"{\n\"name\": \"caf\xe9\"}".to_vec(),
        });
        assert_eq!(bad.suite, state.suite, "the suite in the editor is kept");
        let failure = bad.load_error.as_ref().unwrap();
        assert_eq!(
            failure.message,
            "latin1.json: line 2: the bytes are not valid UTF-8; save the suite as UTF-8"
        );
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

    // Data panel and localStorage (issue 4 items 3 and 6).

    fn loaded(state: &AppState) -> &LoadedData {
        let DataState::Loaded(data) = &state.data else { panic!("no data: {:?}", state.data) };
        data
    }

    #[test]
    fn the_preview_shows_the_first_rows_as_written_with_missing_cells() {
        let state = AppState::default().apply(Action::SelectSample("penguins".into()));
        let preview = &loaded(&state).preview;
        assert_eq!(preview.header[0], "species");
        assert_eq!(preview.rows.len(), PREVIEW_ROWS);
        let bill = preview.header.iter().position(|h| h == "bill_length_mm").unwrap();
        assert_eq!(preview.rows[0][bill].as_deref(), Some("39.1"));
        assert_eq!(preview.rows[3][bill], None, "penguins' fourth row has no bill length");
        let profile = loaded(&state).profile.iter().find(|c| c.name == "bill_length_mm").unwrap();
        assert_eq!(profile.missing, 2);
    }

    #[test]
    fn a_preview_of_a_semicolon_file_with_a_short_row() {
        let bytes: Rc<[u8]> = Rc::from(&b"\xEF\xBB\xBFa;b\n\n1; NA\n2;3\n"[..]);
        let state = AppState::default().apply(Action::LoadCsv { name: "s.csv".into(), bytes });
        let preview = &loaded(&state).preview;
        assert_eq!(preview.header, ["a", "b"]);
        assert_eq!(preview.rows, [vec![Some("1".into()), None], vec![Some("2".into()), Some("3".into())]]);
    }

    #[test]
    fn a_good_file_after_a_bad_one_clears_the_error() {
        let bad = AppState::default()
            .apply(Action::LoadCsv { name: "bad.csv".into(), bytes: Rc::from(&b"a\n"[..]) });
        assert!(bad.load_error.is_some());
        assert!(bad.runnable().is_some(), "the previous data can still be run");
        let unreadable = bad.apply(Action::FileUnreadable { name: "x.csv".into(), message: "denied".into() });
        assert_eq!(unreadable.load_error.as_ref().unwrap().message, "denied");
        let good = unreadable.apply(Action::SelectSample("wine".into()));
        assert_eq!(good.load_error, None);
        assert_eq!(loaded(&good).sample, Some("wine"));
    }

    #[test]
    fn the_saved_state_restores_the_suite_and_the_sample() {
        let state = AppState::default()
            .apply(Action::SelectSample("penguins".into()))
            .apply(Action::EditSuite("{ \"version\": 1 }".into()));
        let json = state.saved().to_json();
        assert!(json.starts_with("{\"v\":1,"), "{json}");
        let restored = AppState::from_saved(Saved::parse(&json).unwrap());
        assert_eq!(restored.suite, state.suite);
        assert_eq!(restored.data, state.data);
    }

    #[test]
    fn the_saved_state_keeps_a_small_uploaded_file_but_not_a_large_one() {
        let bytes: Rc<[u8]> = Rc::from(&b"x,y\n1,2\n"[..]);
        let state = AppState::default().apply(Action::LoadCsv { name: "mine.csv".into(), bytes });
        let saved = state.saved();
        assert_eq!(saved.data, SavedData::Csv { name: "mine.csv".into(), csv: "x,y\n1,2\n".into() });
        let restored = AppState::from_saved(Saved::parse(&saved.to_json()).unwrap());
        assert_eq!(restored.data, state.data);

        let mut big = b"x\n".to_vec();
        big.extend(std::iter::repeat_n(&b"1\n"[..], MAX_SAVED_CSV / 2 + 1).flatten());
        let state =
            AppState::default().apply(Action::LoadCsv { name: "big.csv".into(), bytes: Rc::from(big) });
        assert_eq!(state.saved().data, SavedData::None);
        assert_eq!(loaded(&AppState::from_saved(state.saved())).sample, Some(INITIAL_SAMPLE));
    }

    #[test]
    fn a_corrupt_or_foreign_saved_entry_is_refused() {
        assert!(Saved::parse("{").is_err());
        assert!(Saved::parse("[]").is_err());
        assert!(Saved::parse(r#"{"v":2,"suite":"","data":{"kind":"none"}}"#).is_err());
        assert!(Saved::parse(r#"{"v":1,"suite":3}"#).is_err());
        let unknown =
            Saved { v: 1, suite: INITIAL_SUITE.into(), data: SavedData::Sample { name: "nope".into() } };
        assert_eq!(loaded(&AppState::from_saved(unknown)).sample, Some(INITIAL_SAMPLE));
    }

    #[test]
    fn a_cancelled_run_is_idle_and_keeps_the_suite_and_data() {
        let edited = AppState::default().apply(Action::EditSuite(INITIAL_SUITE.replace("0.8", "0.7")));
        let state = edited
            .apply(Action::StartRun { run: 5 })
            .apply(Action::Progress { run: 5, stage: "train".into() })
            .apply(Action::Cancel { run: 5 });
        assert_eq!(state.run, RunState::Cancelled { run: 5 });
        assert!(!state.is_running());
        assert_eq!((&state.suite, &state.data), (&edited.suite, &edited.data));
        assert!(state.runnable().is_some());
    }

    #[test]
    fn late_messages_of_a_cancelled_run_are_ignored() {
        let state = running(6).apply(Action::Cancel { run: 6 });
        let late = state
            .apply(Action::Progress { run: 6, stage: "train".into() })
            .apply(Action::Finished { run: 6, outcome: RunOutcome::Done(report_json()) });
        assert_eq!(late.run, RunState::Cancelled { run: 6 });
    }

    #[test]
    fn cancel_only_stops_the_current_run() {
        // Nothing running, or a stale cancel of a replaced run: no change.
        assert_eq!(AppState::default().apply(Action::Cancel { run: 1 }).run, RunState::Idle);
        let replaced = running(1).apply(Action::StartRun { run: 2 }).apply(Action::Cancel { run: 1 });
        assert_eq!(replaced.run, RunState::Running { run: 2, stage: "starting".into() });
        let done = running(3).apply(Action::Finished { run: 3, outcome: RunOutcome::Failed("x".into()) });
        assert_eq!(done.apply(Action::Cancel { run: 3 }).run, done.run);
        // A new run after a cancel starts normally.
        let again = running(4).apply(Action::Cancel { run: 4 }).apply(Action::StartRun { run: 5 });
        assert!(again.is_running());
    }

    // The suite editor's forms (issue: catalogue and forms).

    #[test]
    fn a_form_edit_rewrites_the_suite_text_and_revalidates_it() {
        let state =
            AppState::default().apply(Action::EditForm(SuiteEdit::AddTest { kind: "values_between".into() }));
        let suite = state.suite.parsed.as_ref().unwrap();
        assert_eq!(suite.tests.len(), 6);
        assert!(state.suite.text.contains(r#""kind": "values_between", "column": "sepal_length""#));
        let bad = state.apply(Action::EditForm(SuiteEdit::SetParam {
            test: 5,
            name: "max".into(),
            value: Some(serde_json::json!("high")),
        }));
        assert_eq!(bad.suite.parsed.as_ref().unwrap_err().path(), "tests[5] (`values-between`).max");
        assert!(bad.runnable().is_none());
    }

    #[test]
    fn a_form_edit_of_text_that_is_not_json_changes_nothing() {
        let broken = AppState::default().apply(Action::EditSuite("{ \"version\": 1,".into()));
        let state = broken.apply(Action::EditForm(SuiteEdit::AddTest { kind: "unique".into() }));
        assert_eq!(state.suite, broken.suite);
    }

    #[test]
    fn suggested_tests_are_appended_through_the_reducer_with_fresh_ids() {
        let proposals = vec![
            serde_json::json!({"id": "no-nulls", "kind": "not_null", "column": "species"}),
            serde_json::json!({"id": "rows", "kind": "row_count_between", "min": 150, "max": 150}),
        ];
        let state = AppState::default().apply(Action::EditForm(SuiteEdit::AddTests(proposals)));
        let suite = state.suite.parsed.as_ref().unwrap();
        let ids: Vec<&str> = suite.tests.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(&ids[5..], ["no-nulls-2", "rows"]);
    }
}
