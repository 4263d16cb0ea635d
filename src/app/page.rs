//! The root component: the state, the side effects and the layout of the page.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use web_sys::File;
use yew::prelude::*;

use super::components::{CancelButton, DataPanel, Results, RunButton, RunProgress, SuiteEditor};
use super::services::{files, runner::Runner, storage};
use super::state::{Action, DataState, RunState};
use super::suite_doc::SuiteEdit;
use super::worker::RunRequest;
use crate::suite::suggest::suggest;
use crate::table::{read_csv, LoadOptions};

/// Renders the page into `<body>`.
pub fn start() {
    yew::Renderer::<App>::new().render();
}

#[component]
pub fn App() -> Html {
    // The suite and data of the last visit (localStorage), else the initial sample and suite.
    let state = use_reducer(|| storage::load().unwrap_or_default());
    {
        let state = state.clone();
        use_effect_with((state.suite.text.clone(), state.data.clone()), move |_| storage::save(&state));
    }
    let runner = use_mut_ref(Runner::default);

    let on_sample = {
        let dispatch = state.dispatcher();
        Callback::from(move |name: String| dispatch.dispatch(Action::SelectSample(name)))
    };
    let on_file = {
        let dispatch = state.dispatcher();
        Callback::from(move |file: File| {
            let dispatch = dispatch.clone();
            spawn_local(async move {
                let name = file.name();
                dispatch.dispatch(match files::read(&file).await {
                    Ok(bytes) => Action::LoadCsv { name, bytes: Rc::from(bytes) },
                    Err(message) => Action::FileUnreadable { name, message },
                });
            });
        })
    };
    let on_paste = {
        let dispatch = state.dispatcher();
        Callback::from(move |text: String| {
            dispatch
                .dispatch(Action::LoadCsv { name: "pasted.csv".into(), bytes: Rc::from(text.into_bytes()) })
        })
    };
    let on_edit = {
        let dispatch = state.dispatcher();
        Callback::from(move |text: String| dispatch.dispatch(Action::EditSuite(text)))
    };
    let on_form = {
        let dispatch = state.dispatcher();
        Callback::from(move |edit: SuiteEdit| dispatch.dispatch(Action::EditForm(edit)))
    };
    let columns: Rc<Vec<String>> = Rc::new(match &state.data {
        DataState::Loaded(data) => data.profile.iter().map(|c| c.name.clone()).collect(),
        DataState::Failed { .. } => Vec::new(),
    });
    // Suggestions are computed here, from the loaded bytes, and reach the reducer as an edit.
    let on_suggest = match &state.data {
        DataState::Loaded(data) => {
            let data = data.clone();
            let state = state.clone();
            Some(Callback::from(move |()| {
                let Ok(table) = read_csv(&data.bytes, &data.name, &LoadOptions::default()) else { return };
                let target = serde_json::from_str::<serde_json::Value>(&state.suite.text)
                    .ok()
                    .and_then(|doc| doc.get("target").and_then(|t| t.as_str()).map(str::to_owned));
                let proposals = suggest(&table, target.as_deref());
                state.dispatch(Action::EditForm(SuiteEdit::AddTests(proposals)));
            }))
        }
        DataState::Failed { .. } => None,
    };
    let on_run = {
        let state = state.clone();
        let runner = runner.clone();
        Callback::from(move |()| {
            if let Some((data, suite)) = state.runnable() {
                let request =
                    RunRequest { suite: suite.to_owned(), csv: data.bytes.to_vec(), file: data.name.clone() };
                runner.borrow_mut().start(request, state.dispatcher());
            }
        })
    };

    let on_cancel = {
        let dispatch = state.dispatcher();
        let runner = runner.clone();
        Callback::from(move |()| runner.borrow_mut().cancel(dispatch.clone()))
    };

    let outcome = match &state.run {
        RunState::Done { report, .. } => Some(Ok(report.clone())),
        RunState::Failed { message, .. } => Some(Err(AttrValue::from(message.clone()))),
        RunState::Idle | RunState::Running { .. } | RunState::Cancelled { .. } => None,
    };
    html! {
        <>
            <header class="top">
                <h1>{ "mltest" }</h1>
                <p>{ "Automated tests for ML code and data — run in your browser; no data leaves this machine." }</p>
            </header>
            <main class="layout">
                <div class="column">
                    <DataPanel data={state.data.clone()} error={state.load_error.clone()} {on_sample} {on_file} {on_paste} />
                    <SuiteEditor suite={state.suite.clone()} {columns} {on_edit} {on_form} {on_suggest} />
                </div>
                <div class="column">
                    <div class="run-bar">
                        <RunButton disabled={state.runnable().is_none()} onclick={on_run} />
                        if let RunState::Running { stage, .. } = &state.run {
                            <RunProgress stage={AttrValue::from(stage.clone())} />
                            <CancelButton onclick={on_cancel} />
                        }
                        if let RunState::Cancelled { .. } = &state.run {
                            <span class="run-message" data-testid="run-message" role="status">{ "run cancelled" }</span>
                        }
                        if matches!(state.data, DataState::Failed { .. }) {
                            <span class="hint">{ "load a readable CSV to run" }</span>
                        }
                    </div>
                    if let Some(outcome) = outcome {
                        <Results {outcome} />
                    }
                </div>
            </main>
        </>
    }
}
