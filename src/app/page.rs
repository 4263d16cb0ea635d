//! The root component and the page's layout. Each section reads the playground's state and
//! calls its verbs through [`use_playground`]; the components it renders take props and give
//! callbacks, so they render natively in tests.

use std::rc::Rc;

use web_sys::File;
use yew::prelude::*;

use super::components::{
    CancelButton, DataPanel, ImportNoticeBanner, LessonMenu, LessonPanel, Results, RunButton, RunProgress,
    SharePanel, ShareView, Slot, SuiteEditor, SuiteOpen,
};
use super::playground::{use_playground, Playground, PlaygroundProvider};
use super::state::{DataState, RunState};
use super::suite_doc::SuiteEdit;
use crate::suite::{DataSource, Suite};

/// Renders the page into `<body>`.
pub fn start() {
    // The runs' and the loader's workers instantiate the engine while the page renders.
    super::services::job::start_early(&["run", "load"]);
    yew::Renderer::<App>::new().render();
}

#[component]
pub fn App() -> Html {
    html! {
        <PlaygroundProvider>
            <Header />
            <Banners />
            <main class="layout">
                <div class="column">
                    <LessonSection />
                    <DataSection />
                    <ReferenceSection />
                    <EditorSection />
                </div>
                <div class="column">
                    <RunBar />
                    <ResultsSection />
                    <ShareSection />
                </div>
            </main>
        </PlaygroundProvider>
    }
}

#[component]
fn Header() -> Html {
    let playground = use_playground();
    // A lesson being fetched is chosen already.
    let open = playground
        .tutorial
        .as_ref()
        .map(|t| AttrValue::from(t.lesson.id.clone()))
        .or_else(|| playground.lesson_fetch.map(|entry| AttrValue::Static(entry.id)));
    let on_open = use_verb(&playground, |p, id: String| p.open_lesson(id));
    let on_close = use_verb(&playground, |p, ()| p.close_lesson());
    html! {
        <header class="top">
            <div>
                <h1>{ "mltest" }</h1>
                <p>{ "Automated tests for ML code and data — run in your browser; no data leaves this machine." }</p>
            </div>
            <LessonMenu {open} {on_open} {on_close} />
        </header>
    }
}

#[component]
fn Banners() -> Html {
    let playground = use_playground();
    html! {
        <>
            if let Some(error) = &playground.links.error {
                <div class="error-banner page-banner" role="alert" data-testid="error-banner"><p>{ error }</p></div>
            }
            if let Some(notice) = &playground.links.data_notice {
                <div class="notice-banner page-banner" role="status" data-testid="data-notice"><p>{ notice }</p></div>
            }
            if let Some(notice) = &playground.links.reference_notice {
                <div class="notice-banner page-banner" role="status" data-testid="reference-notice"><p>{ notice }</p></div>
            }
            // A lesson's file on its way (the page fetches it when the lesson is opened).
            if let Some(lesson) = playground.lesson_fetch {
                <div class="notice-banner page-banner" role="status" data-testid="lesson-opening">
                    <p>{ format!("Opening the lesson “{}”…", lesson.title) }</p>
                </div>
            }
        </>
    }
}

#[component]
fn LessonSection() -> Html {
    let playground = use_playground();
    let on_next = use_verb(&playground, |p, ()| p.next_step());
    let on_answer = use_verb(&playground, |p, answer: AttrValue| p.answer(answer.to_string()));
    let on_what_if = use_verb(&playground, |p, what_if: bool| p.what_if(what_if));
    let Some(tutorial) = &playground.tutorial else { return html! {} };
    let report = match &playground.run {
        RunState::Done { report, .. } => Some(report.clone()),
        _ => None,
    };
    html! {
        <LessonPanel lesson={tutorial.lesson.clone()} {report} shown={tutorial.shown}
            answer={tutorial.answer.clone().map(AttrValue::from)} what_if={tutorial.what_if}
            reruns={tutorial.reruns.clone()} {on_next} {on_answer} {on_what_if} />
    }
}

#[component]
fn DataSection() -> Html {
    let playground = use_playground();
    let on_sample = use_verb(&playground, |p, name: String| p.load_sample(name));
    let on_file = use_verb(&playground, |p, file: File| p.load_file(file));
    let on_paste = use_verb(&playground, |p, text: String| p.paste(text));
    let loading = playground.loading.as_ref().map(|l| AttrValue::from(l.name.clone()));
    let loading_sample = playground.loading.as_ref().and_then(|l| l.sample);
    html! {
        <DataPanel data={Some(playground.data.clone())} error={playground.load_error.clone()} {loading} {loading_sample}
            {on_sample} {on_file} on_paste={Some(on_paste)} />
    }
}

/// The reference slot (PRODUCT.md §12): the data set the drift tests compare the data with.
#[component]
fn ReferenceSection() -> Html {
    let playground = use_playground();
    let on_sample = use_verb(&playground, |p, name: String| p.load_reference_sample(name));
    let on_file = use_verb(&playground, |p, file: File| p.load_reference_file(file));
    let on_clear = use_verb(&playground, |p, ()| p.clear_reference());
    let loading = playground.reference_loading.as_ref().map(|l| AttrValue::from(l.name.clone()));
    let loading_sample = playground.reference_loading.as_ref().and_then(|l| l.sample);
    let data = playground.reference.clone().map(DataState::Loaded);
    let empty_note = AttrValue::from(without_reference(playground.suite.parsed.as_deref().ok()));
    html! {
        <DataPanel slot={Slot::Reference} {data} error={playground.reference_error.clone()} {loading} {loading_sample}
            {on_sample} {on_file} {on_clear} {empty_note} />
    }
}

/// What the drift tests compare the data with while the page holds no reference.
fn without_reference(suite: Option<&Suite>) -> String {
    let named = suite.and_then(|suite| suite.reference.as_ref()).map(|reference| reference.kind());
    match named {
        Some(DataSource::Sample(name)) => {
            format!("None loaded: drift compares the data with the suite's reference, the sample {name}.")
        }
        Some(DataSource::Inline(_)) => {
            "None loaded: drift compares the data with the CSV in the suite's `reference`.".to_owned()
        }
        Some(DataSource::File(_)) => {
            "None loaded: the suite's `reference` is a file; load it here, or the drift tests cannot run."
                .to_owned()
        }
        None => {
            "None loaded: drift compares the split's train part (reference) with its test part.".to_owned()
        }
    }
}

#[component]
fn EditorSection() -> Html {
    let playground = use_playground();
    // Made again only when the profile is another table's, so the editor's props stay equal.
    let profile = playground.data.loaded().map(|data| data.profile.clone()).unwrap_or_default();
    let columns: Rc<Vec<String>> =
        use_memo(profile.clone(), |profile| profile.iter().map(|c| c.name.clone()).collect());
    let on_edit = use_verb(&playground, |p, text: String| p.edit_suite(text));
    let on_form = use_verb(&playground, |p, edit: SuiteEdit| p.edit_form(edit));
    let suggest = use_verb(&playground, |p, ()| p.suggest());
    let on_suite_file = use_verb(&playground, |p, file: File| p.open_suite_file(file));
    let on_dismiss = use_verb(&playground, |p, ()| p.dismiss_import_notice());
    if playground.links.hide_editor {
        return html! {};
    }
    let on_suggest = playground.data.loaded().is_some().then_some(suggest);
    html! {
        <>
            <SuiteEditor suite={playground.suite.clone()} {columns} {profile} {on_edit} {on_form} {on_suggest} />
            <SuiteOpen on_file={on_suite_file} />
            if let Some(notice) = &playground.import_notice {
                <ImportNoticeBanner notice={notice.clone()} {on_dismiss} />
            }
        </>
    }
}

#[component]
fn RunBar() -> Html {
    let playground = use_playground();
    let on_run = use_verb(&playground, |p, ()| p.run());
    let on_cancel = use_verb(&playground, |p, ()| p.cancel());
    html! {
        <div class="run-bar">
            <RunButton disabled={playground.runnable().is_none()} onclick={on_run} />
            if let RunState::Running { stage, .. } = &playground.run {
                <RunProgress stage={AttrValue::from(stage.clone())} />
                <CancelButton onclick={on_cancel} />
            }
            if let RunState::Cancelled { .. } = &playground.run {
                <span class="run-message" data-testid="run-message" role="status">{ "run cancelled" }</span>
            }
            if matches!(playground.data, DataState::Failed { .. }) {
                <span class="hint">{ "load a readable CSV to run" }</span>
            }
        </div>
    }
}

#[component]
fn ResultsSection() -> Html {
    let playground = use_playground();
    let outcome = match &playground.run {
        RunState::Done { report, .. } => Ok(report.clone()),
        RunState::Failed { message, .. } => Err(AttrValue::from(message.clone())),
        RunState::Idle | RunState::Running { .. } | RunState::Cancelled { .. } => return html! {},
    };
    html! { <Results {outcome} suite={AttrValue::from(playground.suite.text.clone())} /> }
}

#[component]
fn ShareSection() -> Html {
    let playground = use_playground();
    let shared = playground.links.shared.clone().map(|shared| {
        shared
            .map(|s| ShareView { link: s.link.into(), note: s.note.into(), copied: s.copied })
            .map_err(AttrValue::from)
    });
    let on_share = use_verb(&playground, |p, ()| p.share());
    html! { <SharePanel {shared} {on_share} /> }
}

/// A component's callback that calls one of the playground's verbs on the latest state.
///
/// The callback is made once per section and kept: a fresh `Callback` on every render never
/// equals the last one, so every child taking it would re-render on any change of the state
/// (a 2,000-column profile, or a suite of 100,000 names, on a click elsewhere).
#[hook]
fn use_verb<T, F>(playground: &Playground, f: F) -> Callback<T>
where
    T: 'static,
    F: Fn(&Playground, T) + 'static,
{
    let latest = use_mut_ref(|| playground.clone());
    *latest.borrow_mut() = playground.clone();
    let callback = use_memo((), move |_| {
        Callback::from(move |value| {
            // Cloned out first: the verb's dispatch may render this section again, which
            // writes `latest`.
            let current = latest.borrow().clone();
            f(&current, value)
        })
    });
    (*callback).clone()
}
