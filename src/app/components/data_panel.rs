//! The data: the sample menu, a file picker, drag and drop onto the panel, pasted CSV text;
//! the loaded table's shape, preview and column profiles, or why the last file could not be
//! read (the data loaded before it stays).

use web_sys::{DragEvent, File, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::preview::PreviewTable;
use super::profile::Profile;
use crate::app::state::{DataState, LoadFailure};
use crate::samples::SAMPLES;

#[derive(Properties, PartialEq)]
pub struct DataPanelProps {
    pub data: DataState,
    /// Why the last file could not be read, shown above the data still held.
    #[prop_or_default]
    pub error: Option<LoadFailure>,
    /// The file being read (by the worker), if any; the data held is shown until it is read.
    #[prop_or_default]
    pub loading: Option<AttrValue>,
    /// A bundled sample was chosen, by name.
    pub on_sample: Callback<String>,
    /// A file was picked or dropped on the panel.
    pub on_file: Callback<File>,
    /// CSV text was pasted and submitted.
    #[prop_or_default]
    pub on_paste: Callback<String>,
}

#[component]
pub fn DataPanel(props: &DataPanelProps) -> Html {
    let dragging = use_state(|| false);
    let pasted = use_node_ref();
    let on_sample = props.on_sample.reform(|e: Event| e.target_unchecked_into::<HtmlSelectElement>().value());
    let on_file = super::on_file_picked(props.on_file.clone());
    let on_dragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_dragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_drop = {
        let dragging = dragging.clone();
        let on_file = props.on_file.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(file) = e.data_transfer().and_then(|d| d.files()).and_then(|files| files.get(0)) {
                on_file.emit(file);
            }
        })
    };
    let on_use_pasted = {
        let pasted = pasted.clone();
        let on_paste = props.on_paste.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(area) = pasted.cast::<HtmlTextAreaElement>() {
                let text = area.value();
                if !text.trim().is_empty() {
                    on_paste.emit(text);
                }
            }
        })
    };
    let selected = match &props.data {
        DataState::Loaded(data) => data.sample,
        DataState::Failed { .. } => None,
    };
    let banner = |name: &str, message: &str| {
        html! {
            <div class="error-banner" role="alert" data-testid="error-banner">
                <strong>{ format!("{name} could not be read") }</strong>
                <p>{ message }</p>
            </div>
        }
    };
    let error = props.error.as_ref().map(|e| banner(&e.name, &e.message));
    let status = match &props.data {
        DataState::Loaded(data) => html! {
            <>
                <p class="data-shape">
                    <strong>{ &data.name }</strong>{ format!(" — {} rows × {} columns", data.rows, data.columns) }
                </p>
                <PreviewTable preview={data.preview.clone()} total_rows={data.rows} />
                <Profile columns={data.profile.clone()} />
            </>
        },
        // Shown once, by `error`, when the state also records it there.
        DataState::Failed { name, message } if error.is_none() => banner(name, message),
        DataState::Failed { .. } => html! {},
    };
    html! {
        <section class={classes!("panel", "data-panel", dragging.then_some("dragging"))} aria-labelledby="data-heading"
            ondragover={on_dragover} ondragleave={on_dragleave} ondrop={on_drop}>
            <h2 id="data-heading">{ "Data" }</h2>
            <div class="controls">
                <label>
                    { "Sample " }
                    <select data-testid="sample-select" onchange={on_sample}>
                        if selected.is_none() {
                            <option value="" selected=true disabled=true>{ "your file" }</option>
                        }
                        { for SAMPLES.iter().map(|s| html! {
                            <option value={s.name} selected={selected == Some(s.name)} title={s.description}>
                                { s.name }
                            </option>
                        }) }
                    </select>
                </label>
                <label>
                    { "or a CSV file " }
                    <input type="file" accept=".csv,.tsv,.txt,text/csv" data-testid="csv-input" onchange={on_file} />
                </label>
                <span class="hint">{ "or drop a CSV file on this panel" }</span>
            </div>
            <details class="paste">
                <summary>{ "Paste CSV text" }</summary>
                <label for="csv-paste">{ "CSV text, header first" }</label>
                <textarea id="csv-paste" data-testid="csv-paste" ref={pasted} rows="5" spellcheck="false" />
                <button type="button" data-testid="csv-paste-use" onclick={on_use_pasted}>{ "Use this data" }</button>
            </details>
            if let Some(name) = &props.loading {
                <p class="data-loading" role="status" data-testid="data-loading">{ format!("reading {name}…") }</p>
            }
            { for error }
            { status }
        </section>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::render;
    use crate::app::state::AppState;

    fn props(data: DataState) -> DataPanelProps {
        DataPanelProps {
            data,
            error: None,
            loading: None,
            on_sample: Callback::noop(),
            on_file: Callback::noop(),
            on_paste: Callback::noop(),
        }
    }

    #[tokio::test]
    async fn lists_every_sample_and_shows_the_shape() {
        let html = render::<DataPanel>(props(AppState::default().data)).await;
        for sample in SAMPLES {
            assert!(html.contains(&format!("value=\"{}\"", sample.name)), "{} missing: {html}", sample.name);
        }
        assert!(html.contains("150 rows × 5 columns"), "{html}");
        assert!(html.contains("data-testid=\"csv-input\""));
        assert!(!html.contains("error-banner"));
    }

    #[tokio::test]
    async fn a_file_that_could_not_be_read_shows_the_error_banner() {
        let data = DataState::Failed { name: "bad.csv".into(), message: "bad.csv: the file is empty".into() };
        let html = render::<DataPanel>(props(data)).await;
        assert!(html.contains("data-testid=\"error-banner\""), "{html}");
        assert!(html.contains("bad.csv: the file is empty"));
    }

    #[tokio::test]
    async fn a_bad_file_shows_the_banner_above_the_data_still_held() {
        let mut p = props(AppState::default().data);
        p.error = Some(LoadFailure { name: "bad.csv".into(), message: "bad.csv: line 3: oops".into() });
        let html = render::<DataPanel>(p).await;
        assert_eq!(html.matches("data-testid=\"error-banner\"").count(), 1, "{html}");
        assert!(html.contains("bad.csv: line 3: oops"));
        assert!(html.contains("150 rows × 5 columns"), "{html}");
        assert!(html.contains("data-testid=\"preview\""));
        assert!(html.contains("<label for=\"csv-paste\">"), "{html}");
    }

    #[tokio::test]
    async fn a_file_being_read_is_said_above_the_data_still_held() {
        let mut p = props(AppState::default().data);
        p.loading = Some("big.csv".into());
        let html = render::<DataPanel>(p).await;
        assert!(html.contains("reading big.csv…"), "{html}");
        assert!(html.contains("150 rows × 5 columns"), "{html}");
    }
}
