//! The page's state: everything the page holds, changed only by [`Action`]s through
//! [`AppState::reduce`] (yew's [`Reducible`]).
//!
//! Plain Rust with no DOM: the reducer is tested natively by `cargo test`. Side effects
//! (reading a file, talking to the workers) live in `services/` and end in an `Action`; the
//! page reaches them through `use_playground()` (`app::playground`).
//!
//! Each child owns a slice and its types, and imports neither its siblings nor this root:
//!
//! - [`data`]: the tables held (the data, and the reference `drift` compares it with), the
//!   files being read by the worker ([`Loading`]), why the last one could not be read;
//! - [`suite`]: the editor's text and what it parses to, and what an opened Great
//!   Expectations suite left out ([`ImportNotice`]);
//! - [`run`]: where the current run is;
//! - [`links`]: share links made and opened, the file a link asks for;
//! - [`lesson`]: the open lesson and the learner's place in it;
//! - [`saved`]: what localStorage keeps.
//!
//! A change that writes more than one slice (a link brings a suite and data, a lesson loads
//! its sample, a loaded file answers a link's request) is a named method here.

use std::rc::Rc;

use yew::Reducible;

pub mod data;
pub mod lesson;
pub mod links;
pub mod run;
pub mod saved;
pub mod suite;

pub use data::{
    summarize, summarize_unhashed, Bytes, DataState, Held, LoadFailure, LoadedData, Loading, Preview,
    ReferenceAction, SampleLoad, TableSummary, IN_MEMORY_MAX, PREVIEW_ROWS,
};
use lesson::Found;
pub use lesson::{LessonAction, TutorialState};
pub use links::{LinkAction, LinkState};
pub use run::{RunOutcome, RunState};
pub use saved::{Saved, SavedData, MAX_SAVED_CSV, SAVED_VERSION};
pub use suite::{parse_suite, ImportNotice, SuiteState, INITIAL_SUITE, SUITE_FILE};

use crate::lessons::{self, Lesson};
use crate::share::{self, Data, Flags, LinkError, Shared};
use crate::suite::DataSource;

/// The sample the page opens with.
pub const INITIAL_SAMPLE: &str = "iris";

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub data: DataState,
    /// Why the last file could not be read; cleared by the next readable one.
    pub load_error: Option<LoadFailure>,
    /// The file the worker is reading, if any; [`AppState::data`] is kept until it answers.
    pub loading: Option<Loading>,
    /// Loads started so far (of both slots): the number of the next one.
    pub loads: u64,
    /// The reference data set (PRODUCT.md §12) the page holds, if any: a run's `drift` tests
    /// compare the data with it, as the CLI's `--reference` does. Without one a run takes the
    /// suite's own `reference` (a sample or inline CSV), else the split's train part.
    pub reference: Option<LoadedData>,
    /// The reference file the worker is reading, if any; [`AppState::reference`] is kept until
    /// it answers.
    pub reference_loading: Option<Loading>,
    /// Why the last reference file could not be read; the reference held stays.
    pub reference_error: Option<LoadFailure>,
    pub suite: SuiteState,
    /// What the last Great Expectations suite opened left out, until dismissed or another
    /// suite file is opened.
    pub import_notice: Option<ImportNotice>,
    pub run: RunState,
    /// Share links: the last made, the last that failed to open, the file one asks for.
    pub links: LinkState,
    /// The open lesson, in step mode.
    pub tutorial: Option<TutorialState>,
    /// The lesson whose file the page is fetching (its build holds none): it opens when the
    /// file comes ([`LessonAction::Fetched`]), unless another was chosen meanwhile.
    pub lesson_fetch: Option<&'static lessons::Entry>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A bundled sample was chosen (read at once: the samples are small).
    SelectSample(String),
    /// A file was read from the user's machine (picked, dropped or pasted): the worker reads
    /// it as a CSV ([`Loading`]), then answers with [`Action::Loaded`].
    LoadCsv {
        name: String,
        bytes: Bytes,
    },
    /// The worker's answer for load number `load`: the table's summary, or why the file
    /// cannot be read.
    Loaded {
        load: u64,
        result: Result<Box<TableSummary>, String>,
    },
    /// The browser could not read the file the user picked.
    FileUnreadable {
        name: String,
        message: String,
    },
    /// The reference slot changed (a sample, a file, or none); a file's answer comes back as
    /// [`Action::Loaded`], as the data's does.
    Reference(ReferenceAction),
    /// The suite text changed.
    EditSuite(String),
    /// A suite file was opened: its text replaces the editor's, unless it is not UTF-8; a
    /// Great Expectations suite is imported first (PRODUCT.md §13).
    OpenSuite {
        name: String,
        bytes: Vec<u8>,
    },
    /// The notice of what an imported Great Expectations suite left out was read.
    DismissImportNotice,
    /// A form of the suite editor changed the suite (see [`suite_doc`](super::suite_doc));
    /// suggested tests arrive as [`SuiteEdit::AddTests`], computed outside the reducer.
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

use super::suite_doc::{self, SuiteEdit};

impl Default for AppState {
    fn default() -> AppState {
        AppState {
            // Compiled into every build (`samples::PAGE_SAMPLE`): read at once.
            data: match data::load_sample(INITIAL_SAMPLE) {
                SampleLoad::Read(data) => data,
                SampleLoad::Fetch { sample, .. } => DataState::Failed {
                    name: sample.file.to_owned(),
                    message: "the page's first sample is not in this build".to_owned(),
                },
            },
            load_error: None,
            loading: None,
            loads: 0,
            reference: None,
            reference_loading: None,
            reference_error: None,
            suite: SuiteState::new(INITIAL_SUITE.to_owned()),
            import_notice: None,
            run: RunState::Idle,
            links: LinkState::default(),
            tutorial: None,
            lesson_fetch: None,
        }
    }
}

impl AppState {
    /// What a run takes, when the data was read, no newer file (of either slot) is being
    /// read, and the suite is valid.
    pub fn runnable(&self) -> Option<RunInput<'_>> {
        match (&self.data, &self.suite.parsed, &self.loading, &self.reference_loading) {
            (DataState::Loaded(data), Ok(_), None, None) => {
                Some(RunInput { data, reference: self.reference.as_ref(), suite: self.suite.text.as_str() })
            }
            _ => None,
        }
    }

    pub fn is_running(&self) -> bool {
        matches!(self.run, RunState::Running { .. })
    }

    /// The state after `action`. Each action's handler is a function of its own ([`on`]).
    pub fn apply(&self, action: Action) -> AppState {
        let mut next = self.clone();
        let state = &mut next;
        match action {
            Action::SelectSample(name) => on(state, |next| next.select_sample(&name)),
            Action::LoadCsv { name, bytes } => {
                on(state, |next| next.loading = Some(next.start_load(name, bytes, false)))
            }
            Action::Loaded { load, result } => on(state, |next| next.finish_load(load, result)),
            Action::FileUnreadable { name, message } => {
                on(state, |next| next.take_data(DataState::Failed { name, message }))
            }
            Action::Reference(ReferenceAction::Sample(name)) => {
                on(state, |next| next.select_reference_sample(&name))
            }
            Action::Reference(ReferenceAction::Load { name, bytes }) => {
                on(state, |next| next.reference_loading = Some(next.start_load(name, bytes, false)))
            }
            Action::Reference(ReferenceAction::Unreadable { name, message }) => {
                state.reference_error = Some(LoadFailure { name, message });
            }
            Action::Reference(ReferenceAction::Clear) => on(state, AppState::clear_reference),
            Action::EditSuite(text) => on(state, |next| next.suite = SuiteState::typed(text)),
            Action::EditForm(edit) => on(state, |next| {
                let columns = self.data.loaded().map(|data| data.profile.as_slice()).unwrap_or_default();
                // Text that is not JSON cannot be edited by a form; the forms say so and the
                // text stays as typed.
                if let Ok(text) = suite_doc::apply(&self.suite.text, &edit, columns) {
                    next.suite = SuiteState::new(text);
                }
            }),
            Action::OpenSuite { name, bytes } => {
                on(state, |next| match SuiteState::from_file(&name, bytes) {
                    Ok((suite, notice)) => {
                        next.suite = suite;
                        next.import_notice = notice;
                        next.load_error = None;
                    }
                    Err(message) => next.load_error = Some(LoadFailure { name, message }),
                })
            }
            Action::DismissImportNotice => state.import_notice = None,
            Action::StartRun { run } => on(state, |next| {
                next.run = RunState::start(run);
                next.links.run_requested = false;
            }),
            Action::Progress { run, stage } => on(state, |next| next.run.progress(run, stage)),
            Action::Finished { run, outcome } => on(state, |next| next.run.finish(run, outcome)),
            Action::Cancel { run } => on(state, |next| next.run.cancel(run)),
            Action::Link(LinkAction::Share { base }) => on(state, |next| next.share(&base)),
            Action::Link(LinkAction::Copied) => state.links.copied(),
            Action::Link(LinkAction::Open(link)) => on(state, |next| next.open_link(&link)),
            Action::Lesson(LessonAction::Open(id)) => on(state, |next| next.open_lesson(&id)),
            Action::Lesson(LessonAction::Fetched { id, text }) => {
                on(state, |next| next.lesson_fetched(&id, text))
            }
            Action::Lesson(LessonAction::Close) => {
                state.tutorial = None;
                state.lesson_fetch = None;
                state.links.hide_editor = false;
            }
            Action::Lesson(LessonAction::Next) => state.tutorial.iter_mut().for_each(TutorialState::next),
            Action::Lesson(LessonAction::Answer(answer)) => {
                if let Some(tutorial) = &mut state.tutorial {
                    tutorial.answer(answer);
                }
            }
            Action::Lesson(LessonAction::WhatIf(what_if)) => on(state, |next| next.lesson_what_if(what_if)),
            Action::Lesson(LessonAction::Reruns { run, reruns }) => {
                // The worker sends them just before the run's report.
                if let (true, Some(tutorial)) = (self.run.is_current(run), &mut state.tutorial) {
                    tutorial.reruns = Some(reruns);
                }
            }
        }
        next
    }
}

/// Runs one action's handler as a function of its own, never inlined into
/// [`AppState::apply`]. The browser compiles a wasm function whole when it is first called:
/// with every handler inlined, the reducer was one function of 100 KB, compiled at the
/// page's first action — the first Run's click, ~10 ms before the run could start. Now the
/// first action compiles its own handler.
#[inline(never)]
fn on(state: &mut AppState, handler: impl FnOnce(&mut AppState)) {
    handler(state)
}

/// Writes across slices.
impl AppState {
    /// Keeps newly read data, or keeps the data already held and records why the new one
    /// could not be read; a file a link asks for is checked against what was read.
    fn take_data(&mut self, data: DataState) {
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
        self.check_link_data();
    }

    /// The file a link asks for, compared with the data now held.
    fn check_link_data(&mut self) {
        if let DataState::Loaded(data) = &self.data {
            self.links.check_data(&data.name, &data.sha256, data.rows);
        }
    }

    /// A sample, read at once (or by the worker, in the page's build); it replaces any file
    /// still being read.
    fn select_sample(&mut self, name: &str) {
        self.loading = None;
        match data::load_sample(name) {
            SampleLoad::Read(data) => self.take_data(data),
            SampleLoad::Fetch { sample, bytes } => self.loading = Some(self.start_sample_load(sample, bytes)),
        }
    }

    /// A load of `bytes` as the file `name`, numbered, for the worker of its slot; the caller
    /// puts it in [`AppState::loading`] or [`AppState::reference_loading`], replacing a load in
    /// progress there (whose answer will then be ignored).
    fn start_load(&mut self, name: String, bytes: Bytes, restored: bool) -> Loading {
        self.loads += 1;
        Loading { load: self.loads, name, bytes, restored, sample: None }
    }

    /// The load of a sample the worker fetches.
    fn start_sample_load(&mut self, sample: &'static crate::samples::Sample, bytes: Bytes) -> Loading {
        Loading { sample: Some(sample.name), ..self.start_load(sample.file.to_owned(), bytes, false) }
    }

    /// The worker read load number `load`: its table, or why not, becomes the data (or the
    /// reference, for a load of that slot).
    fn finish_load(&mut self, load: u64, result: Result<Box<TableSummary>, String>) {
        if let Some(loading) = self.reference_loading.take_if(|loading| loading.load == load) {
            return self.finish_reference_load(loading, result);
        }
        let Some(loading) = self.loading.take_if(|loading| loading.load == load) else { return };
        match result {
            Ok(summary) => {
                let data = LoadedData::new(loading.name, loading.sample, loading.bytes, *summary);
                self.take_data(DataState::Loaded(data));
            }
            // A saved file that no longer loads: the page opens as new (the initial sample).
            Err(_) if loading.restored => {}
            Err(message) => self.take_data(DataState::Failed { name: loading.name, message }),
        }
    }

    /// The reference slot's sample, read at once; it replaces a reference file being read.
    fn select_reference_sample(&mut self, name: &str) {
        self.reference_loading = None;
        match data::load_sample(name) {
            SampleLoad::Read(DataState::Loaded(sample)) => self.take_reference(sample),
            SampleLoad::Read(DataState::Failed { name, message }) => {
                self.reference_error = Some(LoadFailure { name, message })
            }
            SampleLoad::Fetch { sample, bytes } => {
                self.reference_loading = Some(self.start_sample_load(sample, bytes));
            }
        }
    }

    fn finish_reference_load(&mut self, loading: Loading, result: Result<Box<TableSummary>, String>) {
        match result {
            Ok(summary) => {
                self.take_reference(LoadedData::new(loading.name, loading.sample, loading.bytes, *summary))
            }
            // A saved reference that no longer loads is dropped, silently.
            Err(_) if loading.restored => {}
            Err(message) => self.reference_error = Some(LoadFailure { name: loading.name, message }),
        }
    }

    /// Keeps a reference that was read; a reference file a link asks for is checked against it.
    fn take_reference(&mut self, reference: LoadedData) {
        self.links.check_reference(&reference.name, &reference.sha256, reference.rows);
        self.reference = Some(reference);
        self.reference_error = None;
    }

    fn clear_reference(&mut self) {
        self.reference = None;
        self.reference_loading = None;
        self.reference_error = None;
    }

    /// The link of what the page holds, or why there is none.
    pub fn link_of(&self, base: &str, flags: &Flags) -> Result<Shared, String> {
        let parsed =
            self.suite.parsed.as_ref().map_err(|err| format!("fix the suite before sharing it: {err}"))?;
        let data = match &self.data {
            DataState::Loaded(data) => carried(data),
            DataState::Failed { .. } => return Err("load a readable CSV before sharing".to_owned()),
        };
        Ok(share::encode(base, parsed, Some(data), self.reference.as_ref().map(carried), flags))
    }

    /// The Share button: the link of the suite, data and reference, for the page at `base`.
    fn share(&mut self, base: &str) {
        let shared = self.link_of(base, &Flags::default());
        let file = match &self.data {
            DataState::Loaded(data) => data.name.clone(),
            DataState::Failed { name, .. } => name.clone(),
        };
        let reference = self.reference.as_ref().map(|reference| reference.name.as_str());
        self.links.made(shared, &file, reference);
    }

    /// Opens a link (the page's address when it loads, or after its fragment changed): its
    /// suite goes to the editor, its data to the data slice (an inline CSV through the
    /// worker, as a file), its lesson opens.
    fn open_link(&mut self, link: &str) {
        let flags = share::flags(link);
        match links::open(link) {
            // A lesson link may carry no suite: the lesson is the suite.
            Err(LinkError::NoSuite) if flags.lesson.is_some() => self.links = LinkState::default(),
            Err(err) => return self.links.refused(&err),
            Ok(opened) => {
                self.links = LinkState::default();
                self.tutorial = None;
                self.suite = SuiteState::checked(opened.suite_text, opened.suite);
                match opened.data {
                    links::LinkData::Sample(name) => self.select_sample(&name),
                    links::LinkData::Inline(csv) => {
                        let load = self.start_load(links::INLINE_FILE.to_owned(), Bytes::from(csv), false);
                        self.loading = Some(load);
                    }
                    links::LinkData::Expect(expected) => {
                        self.links.expected = Some(expected);
                        self.check_link_data();
                    }
                    links::LinkData::Keep => {}
                }
                // The link reproduces a run: a reference the page held but the link's suite
                // does not name would change it.
                match opened.reference {
                    None => self.clear_reference(),
                    Some(links::LinkData::Sample(name)) => self.select_reference_sample(&name),
                    Some(links::LinkData::Inline(csv)) => {
                        let file = links::INLINE_REFERENCE_FILE.to_owned();
                        let load = self.start_load(file, Bytes::from(csv), false);
                        self.reference_loading = Some(load);
                    }
                    Some(links::LinkData::Expect(expected)) => {
                        self.links.expected_reference = Some(expected);
                        if let Some(held) = &self.reference {
                            self.links.check_reference(&held.name, &held.sha256, held.rows);
                        } else {
                            self.links.ask_for_reference();
                        }
                    }
                    Some(links::LinkData::Keep) => {}
                }
            }
        }
        // Opening a lesson loads its suite and asks for a run, as from the lesson menu.
        if let Some(lesson) = flags.lesson {
            self.open_lesson(&lesson);
        }
        self.links.hide_editor = flags.hide_editor;
        self.links.run_requested |= flags.run;
    }

    /// Opens the lesson `id`: its suite and sample, and a run; in the page's build, once its
    /// file is fetched.
    fn open_lesson(&mut self, id: &str) {
        self.lesson_fetch = None;
        match lesson::find(id) {
            Ok(Found::Lesson(found)) => self.show_lesson(Ok(*found)),
            Ok(Found::Fetch(entry)) => {
                self.lesson_fetch = Some(entry);
                self.links.error = None;
            }
            Err(message) => self.links.error = Some(message),
        }
    }

    /// The file of lesson `id` came (or could not be fetched): the lesson opens if it is still
    /// the one asked for.
    fn lesson_fetched(&mut self, id: &str, text: Result<String, String>) {
        let Some(entry) = self.lesson_fetch.filter(|entry| entry.id == id) else { return };
        self.lesson_fetch = None;
        self.show_lesson(text.and_then(|text| lesson::read(entry, &text)));
    }

    fn show_lesson(&mut self, lesson: Result<Lesson, String>) {
        match lesson {
            Ok(found) => {
                let found = Rc::new(found);
                self.load_lesson_suite(&found, false);
                self.tutorial = Some(TutorialState::new(found, false));
                self.links.error = None;
            }
            Err(message) => self.links.error = Some(message),
        }
    }

    /// Loads the open lesson's what-if suite (`true`) or its own (`false`), and runs it.
    fn lesson_what_if(&mut self, what_if: bool) {
        if let Some(tutorial) = self.tutorial.take() {
            self.load_lesson_suite(&tutorial.lesson, what_if);
            self.tutorial = Some(TutorialState {
                reruns: tutorial.reruns,
                ..TutorialState::new(tutorial.lesson, what_if)
            });
        }
    }

    /// Puts the lesson's suite (or its what-if) in the editor and its sample in the data
    /// panel, and asks for a run: a lesson is read beside its results.
    fn load_lesson_suite(&mut self, lesson: &Lesson, what_if: bool) {
        let suite = lesson::suite_of(lesson, what_if);
        self.suite = SuiteState::new(suite.to_json());
        if let DataSource::Sample(name) = suite.data.kind() {
            self.select_sample(name);
        }
        // The reference slot shows the lesson's reference, or holds none that would change
        // the lesson's run.
        match suite.reference.as_ref().map(|reference| reference.kind()) {
            Some(DataSource::Sample(name)) => self.select_reference_sample(name),
            _ => self.clear_reference(),
        }
        self.run = RunState::Idle;
        self.links.run_requested = true;
    }

    /// The seeds to rerun a request with, when the open lesson asks for reruns of its own suite.
    pub fn rerun_request(&self) -> Option<(String, Vec<u64>)> {
        self.tutorial.as_ref()?.rerun_request()
    }

    /// What localStorage keeps of this state: the suite text, which data and which reference
    /// ([`saved_data`]).
    pub fn saved(&self) -> Saved {
        // A sample being fetched is the person's choice already.
        let chosen = |loading: &Option<Loading>| {
            loading.as_ref().and_then(|l| l.sample).map(|name| SavedData::Sample { name: name.to_owned() })
        };
        let data =
            chosen(&self.loading).unwrap_or_else(|| self.data.loaded().map_or(SavedData::None, saved_data));
        let reference = chosen(&self.reference_loading)
            .unwrap_or_else(|| self.reference.as_ref().map_or(SavedData::None, saved_data));
        Saved { v: SAVED_VERSION, suite: self.suite.text.clone(), data, reference }
    }

    /// The state a saved entry restores: a sample at once, a file through the worker (the
    /// initial sample is held until it answers); data that no longer loads falls back to the
    /// initial sample.
    pub fn from_saved(saved: Saved) -> AppState {
        let mut state = AppState { suite: SuiteState::new(saved.suite), ..AppState::default() };
        match saved.data {
            SavedData::Sample { name } => match data::load_sample(&name) {
                SampleLoad::Read(sample @ DataState::Loaded(_)) => state.data = sample,
                SampleLoad::Read(DataState::Failed { .. }) => {}
                SampleLoad::Fetch { sample, bytes } => {
                    state.loading = Some(Loading { restored: true, ..state.start_sample_load(sample, bytes) })
                }
            },
            SavedData::Csv { name, csv } => {
                state.loading = Some(state.start_load(name, Bytes::from(csv), true))
            }
            SavedData::None => {}
        }
        match saved.reference {
            SavedData::Sample { name } => state.select_reference_sample(&name),
            SavedData::Csv { name, csv } => {
                state.reference_loading = Some(state.start_load(name, Bytes::from(csv), true));
            }
            SavedData::None => {}
        }
        state
    }

    /// Completes the pending load on this thread, as the worker does off the page's: for the
    /// tests (native and in the browser), which drive the reducer without a worker.
    pub fn settle_load(&self) -> AppState {
        let mut state = self.clone();
        for loading in [&self.loading, &self.reference_loading].into_iter().flatten() {
            state = state.apply(Action::Loaded {
                load: loading.load,
                result: match loading.bytes.in_memory() {
                    Some(bytes) => summarize(bytes, &loading.name).map(Box::new),
                    None => Err("a browser file is read by the worker only".to_owned()),
                },
            });
        }
        state
    }
}

/// What localStorage keeps of a data set: the sample's name, or a file's text when it is
/// UTF-8 and under [`MAX_SAVED_CSV`] bytes.
fn saved_data(data: &LoadedData) -> SavedData {
    if let Some(sample) = data.sample {
        return SavedData::Sample { name: sample.to_owned() };
    }
    let text = data.bytes.in_memory().filter(|bytes| bytes.len() <= MAX_SAVED_CSV);
    match text.and_then(|bytes| std::str::from_utf8(bytes).ok()) {
        Some(csv) => SavedData::Csv { name: data.name.clone(), csv: csv.to_owned() },
        None => SavedData::None,
    }
}

/// What a run takes from the page ([`AppState::runnable`]).
#[derive(Debug, Clone, Copy)]
pub struct RunInput<'a> {
    pub data: &'a LoadedData,
    /// The reference the page holds: it replaces the suite's own, as `--reference` does.
    pub reference: Option<&'a LoadedData>,
    pub suite: &'a str,
}

/// How a link carries a data set the page holds: a sample by name, a file by its bytes, or, a
/// large file the browser keeps, by its fingerprint (as a file whose link would be too long is).
fn carried(data: &LoadedData) -> Data<'_> {
    match (data.sample, data.bytes.in_memory()) {
        (Some(sample), _) => Data::Sample(sample),
        (None, Some(bytes)) => Data::File { name: &data.name, bytes, rows: data.rows },
        (None, None) => Data::Fingerprint { name: &data.name, sha256: &data.sha256, rows: data.rows },
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! What the slices' tests share: states and reports made through the reducer.

    use super::*;
    use crate::report::Report;
    use crate::{samples, table};

    pub fn running(run: u64) -> AppState {
        AppState::default().apply(Action::StartRun { run })
    }

    /// The initial suite's report on iris, as the run's worker makes it.
    pub fn iris_report() -> Report {
        let sample = samples::get("iris").unwrap();
        let table = table::read_csv(sample.csv, sample.file, &table::LoadOptions::default()).unwrap();
        let suite = parse_suite(INITIAL_SUITE).unwrap();
        crate::run::run(&suite, &table)
    }

    pub fn loaded(state: &AppState) -> &LoadedData {
        let DataState::Loaded(data) = &state.data else { panic!("no data: {:?}", state.data) };
        data
    }
}
