//! The data: the sample menu, a file picker, and the loaded table's shape or why it could
//! not be read.

use web_sys::{File, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::app::state::DataState;
use crate::samples::SAMPLES;

#[derive(Properties, PartialEq)]
pub struct DataPanelProps {
    pub data: DataState,
    /// A bundled sample was chosen, by name.
    pub on_sample: Callback<String>,
    /// A file was picked.
    pub on_file: Callback<File>,
}

#[component]
pub fn DataPanel(props: &DataPanelProps) -> Html {
    let on_sample = props.on_sample.reform(|e: Event| e.target_unchecked_into::<HtmlSelectElement>().value());
    let on_file = {
        let on_file = props.on_file.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                on_file.emit(file);
            }
            // Picking the same file again must fire `change` again.
            input.set_value("");
        })
    };
    let selected = match &props.data {
        DataState::Loaded(data) => data.sample,
        DataState::Failed { .. } => None,
    };
    let status = match &props.data {
        DataState::Loaded(data) => html! {
            <p class="data-shape">
                <strong>{ &data.name }</strong>{ format!(" — {} rows × {} columns", data.rows, data.columns) }
            </p>
        },
        DataState::Failed { name, message } => html! {
            <div class="error-banner" role="alert" data-testid="error-banner">
                <strong>{ format!("{name} could not be read") }</strong>
                <p>{ message }</p>
            </div>
        },
    };
    html! {
        <section class="panel data-panel" aria-labelledby="data-heading">
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
            </div>
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
        DataPanelProps { data, on_sample: Callback::noop(), on_file: Callback::noop() }
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
}
