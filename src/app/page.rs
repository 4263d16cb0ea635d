//! The root component: the state, the side effects and the layout of the page.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use web_sys::File;
use yew::prelude::*;

use super::components::{
    CancelButton, DataPanel, LessonMenu, LessonPanel, Results, RunButton, RunProgress, SharePanel, ShareView,
    SuiteEditor, SuiteOpen,
};
use super::services::{files, location, runner::Runner, storage};
use super::sharing::{self, LinkAction};
use super::state::{Action, DataState, RunState};
use super::suite_doc::SuiteEdit;
use super::tutorial::{self, LessonAction};
use super::worker::RunRequest;
use crate::lessons;
use crate::suite::suggest::suggest;
use crate::table::{read_csv, LoadError, LoadErrorKind, LoadOptions};

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
        let saver = use_mut_ref(storage::Saver::default);
        use_effect_with((state.suite.text.clone(), state.data.clone()), move |_| {
            saver.borrow_mut().save_soon(move || state.saved())
        });
    }
    let runner = use_mut_ref(Runner::default);

    // A share link or lesson in the address opens once the page is up, and again whenever the
    // fragment changes; the fragment is then dropped so a reload keeps later edits.
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let open = move |href: String| {
                if sharing::is_link(&href[href.find('#').unwrap_or(href.len())..]) {
                    dispatch.dispatch(Action::Link(LinkAction::Open(href)));
                    location::clear_hash();
                }
            };
            open(location::href());
            location::on_hash_change(open);
        });
    }

    let on_sample = {
        let dispatch = state.dispatcher();
        Callback::from(move |name: String| dispatch.dispatch(Action::SelectSample(name)))
    };
    let on_file = {
        let dispatch = state.dispatcher();
        Callback::from(move |file: File| {
            let dispatch = dispatch.clone();
            let name = file.name();
            // Refused before reading: a file past the loader's cap must not fill the tab's memory.
            let limit = LoadOptions::default().max_bytes;
            if file.size() > limit as f64 {
                let error =
                    LoadError::new(&name, LoadErrorKind::TooLarge { bytes: file.size() as u64, limit });
                dispatch.dispatch(Action::FileUnreadable { name, message: error.to_string() });
                return;
            }
            spawn_local(async move {
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
    let on_suite_file = {
        let dispatch = state.dispatcher();
        Callback::from(move |file: File| {
            let dispatch = dispatch.clone();
            spawn_local(async move {
                let name = file.name();
                dispatch.dispatch(match files::read(&file).await {
                    Ok(bytes) => Action::OpenSuite { name, bytes },
                    Err(message) => Action::FileUnreadable { name, message },
                });
            });
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
                let request = RunRequest {
                    suite: suite.to_owned(),
                    csv: data.bytes.to_vec(),
                    file: data.name.clone(),
                    reruns: tutorial::rerun_request(&state),
                };
                runner.borrow_mut().start(request, state.dispatcher());
            }
        })
    };
    // `run=1` in a link, or a lesson: run as soon as the suite and data are ready.
    {
        let on_run = on_run.clone();
        let ready = state.links.run_requested && state.runnable().is_some();
        use_effect_with(ready, move |ready| {
            if *ready {
                on_run.emit(());
            }
        });
    }
    let on_share = {
        let dispatch = state.dispatcher();
        Callback::from(move |()| {
            dispatch.dispatch(Action::Link(LinkAction::Share { base: location::base() }))
        })
    };
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
    let on_lesson = {
        let dispatch = state.dispatcher();
        Callback::from(move |id: String| dispatch.dispatch(Action::Lesson(LessonAction::Open(id))))
    };
    let on_close_lesson = {
        let dispatch = state.dispatcher();
        Callback::from(move |()| dispatch.dispatch(Action::Lesson(LessonAction::Close)))
    };
    let lesson_panel = state.tutorial.as_ref().map(|tutorial| {
        let dispatch = state.dispatcher();
        let report = match &state.run {
            RunState::Done { report, .. } => Some(report.clone()),
            _ => None,
        };
        let on_next = {
            let d = dispatch.clone();
            Callback::from(move |()| d.dispatch(Action::Lesson(LessonAction::Next)))
        };
        let on_answer = {
            let d = dispatch.clone();
            Callback::from(move |a: AttrValue| {
                d.dispatch(Action::Lesson(LessonAction::Answer(a.to_string())))
            })
        };
        let on_what_if =
            Callback::from(move |w: bool| dispatch.dispatch(Action::Lesson(LessonAction::WhatIf(w))));
        html! {
            <LessonPanel lesson={tutorial.lesson.clone()} {report} shown={tutorial.shown}
                answer={tutorial.answer.clone().map(AttrValue::from)} what_if={tutorial.what_if}
                reruns={tutorial.reruns.clone()} {on_next} {on_answer} {on_what_if} />
        }
    });
    // Read once: the page re-renders on every keystroke, and reading a lesson checks its suites.
    let lesson_list = use_memo((), |_| -> Vec<(AttrValue, AttrValue)> {
        lessons::all()
            .unwrap_or_default()
            .into_iter()
            .map(|l| (AttrValue::from(l.id), AttrValue::from(l.title)))
            .collect()
    });
    let shared = state.links.shared.clone().map(|shared| {
        shared
            .map(|s| ShareView { link: s.link.into(), note: s.note.into(), copied: s.copied })
            .map_err(AttrValue::from)
    });

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
                <div>
                    <h1>{ "mltest" }</h1>
                    <p>{ "Automated tests for ML code and data — run in your browser; no data leaves this machine." }</p>
                </div>
                <LessonMenu lessons={(*lesson_list).clone()} open={state.tutorial.as_ref().map(|t| AttrValue::from(t.lesson.id.clone()))}
                    on_open={on_lesson} on_close={on_close_lesson} />
            </header>
            if let Some(error) = &state.links.error {
                <div class="error-banner page-banner" role="alert" data-testid="error-banner"><p>{ error }</p></div>
            }
            if let Some(notice) = &state.links.data_notice {
                <div class="notice-banner page-banner" role="status" data-testid="data-notice"><p>{ notice }</p></div>
            }
            <main class="layout">
                <div class="column">
                    { lesson_panel }
                    <DataPanel data={state.data.clone()} error={state.load_error.clone()} {on_sample} {on_file} {on_paste} />
                    if !state.links.hide_editor {
                        <SuiteEditor suite={state.suite.clone()} {columns} {on_edit} {on_form} {on_suggest} />
                        <SuiteOpen on_file={on_suite_file} />
                    }
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
                        <Results {outcome} suite={AttrValue::from(state.suite.text.clone())} />
                    }
                    <SharePanel {shared} {on_share} />
                </div>
            </main>
        </>
    }
}
