//! The playground's context: the state (`use_reducer` over [`AppState`]) and the services
//! that feed it (workers, localStorage, the address), provided once by
//! [`PlaygroundProvider`]; the page's sections reach them with [`use_playground`] and call its
//! domain verbs (`load_sample`, `load_file`, `run`, `cancel`, `share`, `open_lesson`, …)
//! instead of callbacks threaded through the root.
//!
//! Side effects live here, in `use_effect_with`: saving to localStorage, opening a link in
//! the address, reading a pending load in the worker, a run a link or lesson asks for, the
//! clipboard.

use std::cell::{Cell, RefCell};
use std::ops::Deref;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use web_sys::File;
use yew::prelude::*;

use super::services::job::Job;
use super::services::{files, loader::Loader, location, runner::Runner, statics, storage};
use super::state::{
    links, Action, AppState, Bytes, LessonAction, LinkAction, LoadedData, ReferenceAction, IN_MEMORY_MAX,
};
use super::suite_doc::SuiteEdit;
use super::worker::{LoadRequest, Request, Response, RunRequest, SuggestRequest};
use crate::table::{LoadError, LoadErrorKind, LoadOptions};

/// The file name given to CSV text pasted into the data panel.
pub const PASTED_FILE: &str = "pasted.csv";

/// The state and the verbs that change it. Cloning is cheap (a few `Rc`s).
#[derive(Clone)]
pub struct Playground {
    state: UseReducerHandle<AppState>,
    runner: Rc<RefCell<Runner>>,
    /// The worker proposing tests ("Suggest tests"), if one is at work: a newer request
    /// replaces it.
    suggester: Rc<RefCell<Option<Job>>>,
    /// Data chosen so far (samples, files, pastes): a file still being read from disk when
    /// other data is chosen is dropped once read, as the reducer drops a superseded load.
    choices: Rc<Cell<u64>>,
    /// The same, for the reference slot.
    reference_choices: Rc<Cell<u64>>,
}

impl PartialEq for Playground {
    fn eq(&self, other: &Playground) -> bool {
        self.state == other.state
    }
}

impl Deref for Playground {
    type Target = AppState;

    fn deref(&self) -> &AppState {
        &self.state
    }
}

impl Playground {
    fn dispatch(&self, action: Action) {
        self.state.dispatch(action);
    }

    /// Counts one more choice of data (or of a reference); returns its number.
    fn choose(choices: &Cell<u64>) -> u64 {
        choices.set(choices.get() + 1);
        choices.get()
    }

    /// A bundled sample (read at once: the samples are small).
    pub fn load_sample(&self, name: String) {
        Self::choose(&self.choices);
        self.dispatch(Action::SelectSample(name));
    }

    /// A file picked or dropped: its bytes are read without holding the page, then the worker
    /// reads them as a CSV. A file past the loader's cap is refused before it is read (it
    /// must not fill the tab's memory).
    pub fn load_file(&self, file: File) {
        self.read_file(file, &self.choices, |name, read| match read {
            Ok(bytes) => Action::LoadCsv { name, bytes },
            Err(message) => Action::FileUnreadable { name, message },
        });
    }

    /// A file picked or dropped on the reference panel (PRODUCT.md §12), read as the data's.
    pub fn load_reference_file(&self, file: File) {
        self.read_file(file, &self.reference_choices, |name, read| {
            Action::Reference(match read {
                Ok(bytes) => ReferenceAction::Load { name, bytes },
                Err(message) => ReferenceAction::Unreadable { name, message },
            })
        });
    }

    /// A bundled sample as the reference.
    pub fn load_reference_sample(&self, name: String) {
        Self::choose(&self.reference_choices);
        self.dispatch(Action::Reference(ReferenceAction::Sample(name)));
    }

    /// No reference in the page: runs take the suite's own.
    pub fn clear_reference(&self) {
        Self::choose(&self.reference_choices);
        self.dispatch(Action::Reference(ReferenceAction::Clear));
    }

    /// Reads a picked file off the page's thread (a large one is left in the browser's `File`
    /// for the worker) and dispatches the action `load` makes of its bytes, or of why it could
    /// not be read; a file still being read when other data is chosen is dropped.
    fn read_file(
        &self,
        file: File,
        choices: &Rc<Cell<u64>>,
        load: impl FnOnce(String, Result<Bytes, String>) -> Action + 'static,
    ) {
        let name = file.name();
        let choice = Self::choose(choices);
        let limit = LoadOptions::default().max_bytes;
        if file.size() > limit as f64 {
            let error = LoadError::new(&name, LoadErrorKind::TooLarge { bytes: file.size() as u64, limit });
            return self.dispatch(load(name, Err(error.to_string())));
        }
        // A large file stays in the browser: the worker that reads it gets the `File`.
        if file.size() > IN_MEMORY_MAX as f64 {
            return self.dispatch(load(name, Ok(Bytes::file(file))));
        }
        let (dispatch, choices) = (self.state.dispatcher(), choices.clone());
        spawn_local(async move {
            let read = files::read(&file).await;
            if choices.get() != choice {
                return;
            }
            dispatch.dispatch(load(name, read.map(Bytes::from)));
        });
    }

    /// CSV text pasted into the data panel, read by the worker as a file.
    pub fn paste(&self, text: String) {
        Self::choose(&self.choices);
        self.dispatch(Action::LoadCsv { name: PASTED_FILE.into(), bytes: Bytes::from(text) });
    }

    /// A suite file opened from disk replaces the editor's text.
    pub fn open_suite_file(&self, file: File) {
        let dispatch = self.state.dispatcher();
        spawn_local(async move {
            let name = file.name();
            dispatch.dispatch(match files::read(&file).await {
                Ok(bytes) => Action::OpenSuite { name, bytes },
                Err(message) => Action::FileUnreadable { name, message },
            });
        });
    }

    /// The notice of what an imported Great Expectations suite left out was read.
    pub fn dismiss_import_notice(&self) {
        self.dispatch(Action::DismissImportNotice);
    }

    pub fn edit_suite(&self, text: String) {
        self.dispatch(Action::EditSuite(text));
    }

    pub fn edit_form(&self, edit: SuiteEdit) {
        self.dispatch(Action::EditForm(edit));
    }

    /// Tests proposed from the data held, appended to the suite once the worker has read the
    /// data (off the page's thread: the file may be 100 MB).
    pub fn suggest(&self) {
        let Some(data) = self.data.loaded() else { return };
        let target = serde_json::from_str::<serde_json::Value>(&self.suite.text)
            .ok()
            .and_then(|doc| doc.get("target").and_then(|t| t.as_str()).map(str::to_owned));
        let request = SuggestRequest {
            file: data.name.clone(),
            csv: data.bytes.clone(),
            target,
            reference_columns: self
                .reference
                .as_ref()
                .map(|r| r.profile.iter().map(|c| c.name.clone()).collect()),
        };
        let (dispatch, name) = (self.state.dispatcher(), data.name.clone());
        let job = Job::start("suggestions", Request::Suggest(request), move |response| match response {
            Response::Suggested(tests) => dispatch.dispatch(Action::EditForm(SuiteEdit::AddTests(tests))),
            Response::Failed(message) => {
                dispatch.dispatch(Action::FileUnreadable { name: name.clone(), message })
            }
            _ => {}
        });
        *self.suggester.borrow_mut() = job;
    }

    /// Runs the suite on the data in a new worker (replacing a run in progress).
    pub fn run(&self) {
        if let Some(input) = self.state.runnable() {
            let request = RunRequest {
                suite: input.suite.to_owned(),
                csv: input.data.bytes.clone(),
                file: input.data.name.clone(),
                reruns: self.state.rerun_request(),
                reference: input.reference.map(load_request),
            };
            self.runner.borrow_mut().start(request, self.state.dispatcher());
        }
    }

    /// Stops the run at once; the suite and data stay.
    pub fn cancel(&self) {
        self.runner.borrow_mut().cancel(self.state.dispatcher());
    }

    /// Makes the share link of the suite and data (then copied to the clipboard).
    pub fn share(&self) {
        self.dispatch(Action::Link(LinkAction::Share { base: location::base() }));
    }

    pub fn open_lesson(&self, id: String) {
        self.dispatch(Action::Lesson(LessonAction::Open(id)));
    }

    pub fn close_lesson(&self) {
        self.dispatch(Action::Lesson(LessonAction::Close));
    }

    /// Reveals the next row of the lesson's focus test.
    pub fn next_step(&self) {
        self.dispatch(Action::Lesson(LessonAction::Next));
    }

    pub fn answer(&self, answer: String) {
        self.dispatch(Action::Lesson(LessonAction::Answer(answer)));
    }

    /// Loads the lesson's what-if suite (`true`) or its own (`false`), and runs it.
    pub fn what_if(&self, what_if: bool) {
        self.dispatch(Action::Lesson(LessonAction::WhatIf(what_if)));
    }
}

/// A data set the page holds, as a worker's request carries it (the bytes are shared, not
/// copied).
fn load_request(data: &LoadedData) -> LoadRequest {
    LoadRequest { file: data.name.clone(), csv: data.bytes.clone() }
}

#[derive(Properties, PartialEq)]
pub struct PlaygroundProviderProps {
    #[prop_or_default]
    pub children: Html,
}

/// Holds the state and the services, runs the side effects, and provides [`Playground`].
#[component]
pub fn PlaygroundProvider(props: &PlaygroundProviderProps) -> Html {
    // The suite and data of the last visit (localStorage), else the initial sample and suite.
    let state = use_reducer(|| storage::load().unwrap_or_default());
    let runner = use_mut_ref(Runner::default);
    let suggester = use_mut_ref(|| None);
    let choices: Rc<Cell<u64>> = use_memo((), |_| Cell::new(0));
    let reference_choices: Rc<Cell<u64>> = use_memo((), |_| Cell::new(0));
    let loader = use_mut_ref(Loader::default);
    let reference_loader = use_mut_ref(Loader::default);
    {
        let state = state.clone();
        let saver = use_mut_ref(storage::Saver::default);
        let chosen = (
            state.loading.as_ref().and_then(|l| l.sample),
            state.reference_loading.as_ref().and_then(|l| l.sample),
        );
        use_effect_with(
            (state.suite.text.clone(), state.data.clone(), state.reference.clone(), chosen),
            move |_| saver.borrow_mut().save_soon(move || state.saved()),
        );
    }
    // A file to read (picked, dropped, pasted, from a link or from localStorage) goes to a
    // worker; a newer one, or none, stops the worker of the older.
    {
        let (loader, dispatch) = (loader.clone(), state.dispatcher());
        let loading = state.loading.clone();
        use_effect_with(loading.as_ref().map(|l| l.load), move |_| {
            loader.borrow_mut().follow(loading.as_ref(), dispatch);
        });
    }
    // The reference's files have their own worker, started when the first is chosen: a link
    // brings both data sets at once.
    {
        let dispatch = state.dispatcher();
        let loading = state.reference_loading.clone();
        use_effect_with(loading.as_ref().map(|l| l.load), move |_| {
            reference_loader.borrow_mut().follow(loading.as_ref(), dispatch);
        });
    }
    // The loader's and the runs' workers start with the page, while the person reads it.
    {
        let (dispatch, runner) = (state.dispatcher(), runner.clone());
        use_effect_with((), move |_| {
            runner.borrow_mut().warm(dispatch.clone());
            loader.borrow_mut().warm(dispatch);
        });
    }
    // A share link or lesson in the address opens once the page is up, and again whenever the
    // fragment changes; the fragment is then dropped so a reload keeps later edits.
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let open = move |href: String| {
                if links::is_link(&href[href.find('#').unwrap_or(href.len())..]) {
                    dispatch.dispatch(Action::Link(LinkAction::Open(href)));
                    location::clear_hash();
                }
            };
            open(location::href());
            location::on_hash_change(open);
        });
    }
    // A lesson this build does not hold (the page's): its file is fetched, then it opens.
    {
        let dispatch = state.dispatcher();
        use_effect_with(state.lesson_fetch, move |entry| {
            if let Some(entry) = *entry {
                spawn_local(async move {
                    let text = statics::text(&format!("lessons/{}", entry.file)).await;
                    dispatch
                        .dispatch(Action::Lesson(LessonAction::Fetched { id: entry.id.to_owned(), text }));
                });
            }
        });
    }
    let playground = Playground { state: state.clone(), runner, suggester, choices, reference_choices };
    // `run=1` in a link, or a lesson: run as soon as the suite and data are ready.
    {
        let playground = playground.clone();
        let ready = state.links.run_requested && state.runnable().is_some();
        use_effect_with(ready, move |ready| {
            if *ready {
                playground.run();
            }
        });
    }
    // A new link goes to the clipboard; the panel says when it got there.
    {
        let dispatch = state.dispatcher();
        use_effect_with(state.links.shared.clone(), move |shared| {
            if let Some(Ok(shared)) = shared {
                if !shared.copied {
                    let (link, dispatch) = (shared.link.clone(), dispatch.clone());
                    spawn_local(async move {
                        if location::copy(&link).await.is_ok() {
                            dispatch.dispatch(Action::Link(LinkAction::Copied));
                        }
                    });
                }
            }
        });
    }
    html! {
        <ContextProvider<Playground> context={playground}>
            { props.children.clone() }
        </ContextProvider<Playground>>
    }
}

/// The playground of the enclosing [`PlaygroundProvider`].
#[hook]
pub fn use_playground() -> Playground {
    // The page's sections are rendered only inside the provider (`page::App`).
    use_context::<Playground>().expect("use_playground() is called inside <PlaygroundProvider>")
}
