//! The data, and the reference the data is compared with (PRODUCT.md §12): the same panel for
//! each slot ([`Slot`]): the sample menu, a file picker, drag and drop onto the panel, pasted
//! CSV text (the data's only); the loaded table's shape, preview and column profiles, or why
//! the last file could not be read (the data loaded before it stays).

use web_sys::{DragEvent, File, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::preview::PreviewTable;
use super::profile::Profile;
use crate::app::state::{DataState, LoadFailure};
use crate::samples::SAMPLES;

/// Which data set a panel holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Slot {
    /// The data the suite tests.
    #[default]
    Data,
    /// The reference `drift` compares the data with: optional, its preview and profile folded
    /// until asked for (the page already shows the data's).
    Reference,
}

impl Slot {
    /// The element's `data-testid`: the data's as named, the reference's prefixed.
    fn testid(self, name: &str) -> String {
        match self {
            Slot::Data => name.to_owned(),
            Slot::Reference => format!("reference-{name}"),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct DataPanelProps {
    #[prop_or_default]
    pub slot: Slot,
    /// The data held; `None` in the reference slot when it holds none.
    pub data: Option<DataState>,
    /// Why the last file could not be read, shown above the data still held.
    #[prop_or_default]
    pub error: Option<LoadFailure>,
    /// The file being read (by the worker), if any; the data held is shown until it is read.
    #[prop_or_default]
    pub loading: Option<AttrValue>,
    /// The sample being read (the page's build fetches most), shown chosen meanwhile.
    #[prop_or_default]
    pub loading_sample: Option<&'static str>,
    /// A bundled sample was chosen, by name.
    pub on_sample: Callback<String>,
    /// A file was picked or dropped on the panel.
    pub on_file: Callback<File>,
    /// CSV text was pasted and submitted (the data slot offers it).
    #[prop_or_default]
    pub on_paste: Option<Callback<String>>,
    /// "none" was chosen in the reference slot.
    #[prop_or_default]
    pub on_clear: Callback<()>,
    /// What a run compares with while the reference slot holds nothing.
    #[prop_or_default]
    pub empty_note: AttrValue,
}

#[component]
pub fn DataPanel(props: &DataPanelProps) -> Html {
    let slot = props.slot;
    let dragging = use_state(|| false);
    let unfolded = use_state(|| false);
    let pasted = use_node_ref();
    let on_sample = {
        let (on_sample, on_clear) = (props.on_sample.clone(), props.on_clear.clone());
        Callback::from(move |e: Event| match e.target_unchecked_into::<HtmlSelectElement>().value() {
            name if name.is_empty() => on_clear.emit(()),
            name => on_sample.emit(name),
        })
    };
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
    let paste = props.on_paste.clone().map(|on_paste| {
        let area = pasted.clone();
        let on_use_pasted = Callback::from(move |_: MouseEvent| {
            if let Some(area) = area.cast::<HtmlTextAreaElement>() {
                let text = area.value();
                if !text.trim().is_empty() {
                    on_paste.emit(text);
                }
            }
        });
        html! {
            <details class="paste">
                <summary>{ "Paste CSV text" }</summary>
                <label for="csv-paste">{ "CSV text, header first" }</label>
                <textarea id="csv-paste" data-testid="csv-paste" ref={pasted} rows="5" spellcheck="false" />
                <button type="button" data-testid="csv-paste-use" onclick={on_use_pasted}>{ "Use this data" }</button>
            </details>
        }
    });
    let selected = match &props.data {
        _ if props.loading_sample.is_some() => props.loading_sample,
        Some(DataState::Loaded(data)) => data.sample,
        _ => None,
    };
    let banner = |name: &str, message: &str| {
        html! {
            <div class="error-banner" role="alert" data-testid={slot.testid("error-banner")}>
                <strong>{ format!("{name} could not be read") }</strong>
                <p>{ message }</p>
            </div>
        }
    };
    let error = props.error.as_ref().map(|e| banner(&e.name, &e.message));
    let shape = |rows: usize, columns: usize, name: &str| {
        html! {
            <p class="data-shape" data-testid={slot.testid("data-shape")}>
                <strong>{ name.to_owned() }</strong>{ format!(" — {rows} rows × {columns} columns") }
            </p>
        }
    };
    let status = match &props.data {
        Some(DataState::Loaded(data)) if slot == Slot::Data || *unfolded => html! {
            <>
                { shape(data.rows, data.columns, &data.name) }
                <PreviewTable preview={data.preview.clone()} total_rows={data.rows} />
                <Profile columns={data.profile.clone()} />
            </>
        },
        Some(DataState::Loaded(data)) => {
            let unfold = {
                let unfolded = unfolded.clone();
                Callback::from(move |_: MouseEvent| unfolded.set(true))
            };
            html! {
                <>
                    { shape(data.rows, data.columns, &data.name) }
                    <button type="button" class="link-button" data-testid="reference-unfold" onclick={unfold}>
                        { "show its preview and profile" }
                    </button>
                </>
            }
        }
        // Shown once, by `error`, when the state also records it there.
        Some(DataState::Failed { name, message }) if error.is_none() => banner(name, message),
        Some(DataState::Failed { .. }) => html! {},
        None => html! { <p class="hint" data-testid="reference-none">{ props.empty_note.clone() }</p> },
    };
    let (heading_id, heading) = match slot {
        Slot::Data => ("data-heading", "Data"),
        Slot::Reference => ("reference-heading", "Reference"),
    };
    html! {
        <section class={classes!("panel", "data-panel", (slot == Slot::Reference).then_some("reference-panel"), dragging.then_some("dragging"))}
            aria-labelledby={heading_id} ondragover={on_dragover} ondragleave={on_dragleave} ondrop={on_drop}>
            <h2 id={heading_id}>{ heading }</h2>
            if slot == Slot::Reference {
                <p class="hint">{ "The data set the drift tests compare the data with (an earlier batch, the training data)." }</p>
            }
            <div class="controls">
                <label>
                    { "Sample " }
                    <select data-testid={slot.testid("sample-select")} onchange={on_sample}>
                        if slot == Slot::Reference {
                            <option value="" selected={props.data.is_none() && selected.is_none()}>{ "none" }</option>
                        }
                        if selected.is_none() && props.data.is_some() {
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
                    <input type="file" accept=".csv,.tsv,.txt,text/csv" data-testid={slot.testid("csv-input")} onchange={on_file} />
                </label>
                <span class="hint">{ "or drop a CSV file on this panel" }</span>
            </div>
            { for paste }
            if let Some(name) = &props.loading {
                <p class="data-loading" role="status" data-testid={slot.testid("data-loading")}>{ format!("reading {name}…") }</p>
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
            slot: Slot::Data,
            data: Some(data),
            error: None,
            loading: None,
            loading_sample: None,
            on_sample: Callback::noop(),
            on_file: Callback::noop(),
            on_paste: Some(Callback::noop()),
            on_clear: Callback::noop(),
            empty_note: AttrValue::default(),
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

    #[tokio::test]
    async fn the_reference_slot_may_hold_nothing_and_folds_its_preview() {
        let mut p = props(AppState::default().data);
        p.slot = Slot::Reference;
        p.data = None;
        p.on_paste = None;
        p.empty_note = "drift compares the split's train part with its test part".into();
        let html = render::<DataPanel>(p).await;
        assert!(html.contains("data-testid=\"reference-sample-select\""), "{html}");
        assert!(html.contains("selected=\"selected\">none</option>"), "{html}");
        assert!(html.contains("drift compares the split's train part"), "{html}");
        assert!(!html.contains("csv-paste"), "{html}");
        let mut p = props(AppState::default().data);
        (p.slot, p.on_paste) = (Slot::Reference, None);
        let html = render::<DataPanel>(p).await;
        assert!(html.contains("150 rows × 5 columns") && html.contains("reference-unfold"), "{html}");
        assert!(!html.contains("data-testid=\"preview\""), "folded until asked for: {html}");
    }
}
