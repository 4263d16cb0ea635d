//! The suite editor: the catalogue and "Suggest tests", the pipeline and model form, a card
//! per test grouped by family, and the suite's JSON text. Every form edits the JSON (see
//! [`crate::app::suite_doc`]), which [`crate::suite::parse`] validates as it is typed; the
//! engine's error is shown at the field its path names.

use std::rc::Rc;

use serde_json::Value;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::catalogue::Catalogue;
use super::pipeline_form::PipelineForm;
use super::test_card::{CardError, TestCard};
use crate::app::state::SuiteState;
use crate::app::suite_doc::{class_labels, ErrorPlace, SuiteEdit};
use crate::checks::{catalog, Family};
use crate::table::ColumnProfile;

/// The longest suite text put in the editor's text area at once: a longer one (a shared suite
/// listing 100,000 columns is two megabytes, a line per name) held the page for over a second
/// while the browser laid it out, even folded away. It is still the editor's text: a button
/// puts it in the text area when the person asks for it.
pub const OPEN_TEXT_CHARS: usize = 100_000;

#[derive(Properties, PartialEq)]
pub struct SuiteEditorProps {
    pub suite: SuiteState,
    /// The loaded data's column names (empty when none could be read).
    #[prop_or_default]
    pub columns: Rc<Vec<String>>,
    /// The loaded data's column profiles: the target's classes, when the profile shows them
    /// all, give the per-class fields of the model form (see `PipelineForm`).
    #[prop_or_default]
    pub profile: Rc<Vec<ColumnProfile>>,
    /// The new text, on every keystroke in the JSON text.
    pub on_edit: Callback<String>,
    /// An edit made by a form.
    #[prop_or_default]
    pub on_form: Callback<SuiteEdit>,
    /// "Suggest tests" was pressed; `None` hides the button (no data to profile).
    #[prop_or_default]
    pub on_suggest: Option<Callback<()>>,
}

#[component]
pub fn SuiteEditor(props: &SuiteEditorProps) -> Html {
    let oninput =
        props.on_edit.reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value());
    let (status, invalid) = match &props.suite.parsed {
        Ok(suite) => (
            html! { <p class="suite-ok" role="status">{ format!("valid: {} tests", suite.tests.len()) }</p> },
            false,
        ),
        Err(err) => (html! { <p class="suite-error" role="alert">{ err.to_string() }</p> }, true),
    };
    // Read once per text, not on every render (a shared suite can be megabytes).
    let doc = use_memo(props.suite.text.clone(), |text| {
        serde_json::from_str::<Value>(text).ok().filter(Value::is_object).map(Rc::new)
    });
    // The length of the long text the person asked to see: a new long text (another length)
    // from a file or a link is kept out of the text area again.
    let shown = use_state(|| None::<usize>);
    let length = props.suite.text.len();
    let folded = length > OPEN_TEXT_CHARS && !props.suite.typed && *shown != Some(length);
    let show = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(Some(length)))
    };
    html! {
        <section class="panel suite-editor" aria-labelledby="suite-heading">
            <h2 id="suite-heading">{ "Suite" }</h2>
            { status }
            if let Some(doc) = (*doc).clone() {
                { forms(props, doc) }
            } else {
                <p class="hint">{ "The forms need the suite as a JSON object: fix the text below." }</p>
            }
            if folded {
                <p class="hint suite-json-folded" data-testid="suite-text-folded">
                    { format!("The suite's JSON is {} characters, too long to show at once. ", props.suite.text.len()) }
                    <button type="button" onclick={show}>{ "Show and edit the JSON" }</button>
                </p>
            } else {
                <details class="suite-json" open=true>
                    <summary>{ "JSON" }</summary>
                    <label class="visually-hidden" for="suite-text">{ "Suite JSON" }</label>
                    <textarea id="suite-text" class={classes!(invalid.then_some("invalid"))} spellcheck="false"
                        aria-invalid={invalid.to_string()} rows="18" value={props.suite.text.clone()} {oninput} />
                </details>
            }
        </section>
    }
}

fn forms(props: &SuiteEditorProps, doc: Rc<Value>) -> Html {
    let error = props.suite.parsed.as_ref().err();
    let place = error.map(ErrorPlace::of);
    let message = || AttrValue::from(error.map(|e| e.message().to_owned()).unwrap_or_default());
    let top_error = match place {
        Some(ErrorPlace::Top(path)) => Some((AttrValue::from(path.to_owned()), message())),
        _ => None,
    };
    let tests: &[Value] = doc.get("tests").and_then(Value::as_array).map_or(&[], Vec::as_slice);
    let count = tests.len();
    let target = doc.get("target").and_then(Value::as_str);
    let classes: Rc<Vec<String>> = Rc::new(
        props.profile.iter().find(|c| Some(c.name.as_str()) == target).map(class_labels).unwrap_or_default(),
    );
    let family_of =
        |test: &Value| test.get("kind").and_then(Value::as_str).and_then(catalog::kind).map(|k| k.family);
    let group = |family: Option<Family>, title: &str| {
        let cards: Vec<Html> = tests
            .iter()
            .enumerate()
            .filter(|(_, test)| family_of(test) == family)
            .map(|(index, test)| {
                let error = match place {
                    Some(ErrorPlace::Test { index: at, field }) if at == index => {
                        Some(CardError { field: field.map(|f| AttrValue::from(f.to_owned())), message: message() })
                    }
                    _ => None,
                };
                html! { <TestCard key={index} {index} test={test.clone()} columns={props.columns.clone()} {error}
                    last={index + 1 == count} on_edit={props.on_form.clone()} /> }
            })
            .collect();
        if cards.is_empty() {
            return html! {};
        }
        html! {
            <section class="test-group">
                <h3>{ format!("{title} ({})", cards.len()) }</h3>
                <ul class="test-cards">{ for cards }</ul>
            </section>
        }
    };
    let on_add = props.on_form.reform(|kind| SuiteEdit::AddTest { kind });
    html! {
        <>
            <div class="add-bar">
                <Catalogue {on_add} />
                if let Some(on_suggest) = &props.on_suggest {
                    <button type="button" class="suggest" onclick={on_suggest.reform(|_: MouseEvent| ())}>
                        { "Suggest tests" }
                    </button>
                }
            </div>
            <details class="pipeline">
                <summary>{ "Pipeline and model" }</summary>
                <PipelineForm doc={doc.clone()} columns={props.columns.clone()} {classes} error={top_error} on_edit={props.on_form.clone()} />
            </details>
            { group(Some(Family::Data), "Data tests") }
            { group(Some(Family::Unit), "Unit tests") }
            { group(Some(Family::Threshold), "Threshold tests") }
            { group(Some(Family::Integration), "Integration tests") }
            { group(None, "Tests of an unknown kind") }
        </>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::render;
    use crate::app::state::INITIAL_SUITE;

    fn editor(text: &str) -> SuiteEditorProps {
        SuiteEditorProps {
            suite: SuiteState::new(text.into()),
            columns: Rc::new(vec!["sepal_length".into(), "species".into()]),
            profile: Rc::default(),
            on_edit: Callback::noop(),
            on_form: Callback::noop(),
            on_suggest: Some(Callback::noop()),
        }
    }

    #[tokio::test]
    async fn shows_the_parse_error_of_an_invalid_suite() {
        let html = render::<SuiteEditor>(editor("{ \"version\": 1, \"tests\": [] }")).await;
        assert!(html.contains("suite-error") && html.contains("suite.json"), "{html}");
    }

    #[tokio::test]
    async fn counts_the_tests_of_a_valid_suite_and_groups_their_cards_by_family() {
        let html = render::<SuiteEditor>(editor(INITIAL_SUITE)).await;
        assert!(html.contains("valid: 5 tests"), "{html}");
        let data = html.find("Data tests (1)").expect("data group");
        let threshold = html.find("Threshold tests (3)").expect("threshold group");
        let integration = html.find("Integration tests (1)").expect("integration group");
        assert!(data < threshold && threshold < integration);
        assert!(html.contains(r#"data-card-id="cv-accuracy""#) && html.contains("Suggest tests"), "{html}");
        assert!(html.contains(r#"id="suite-text""#), "{html}");
    }

    #[tokio::test]
    async fn the_engines_error_is_shown_on_the_card_of_its_test() {
        let text = INITIAL_SUITE.replace(r#""value": 0.8 }"#, r#""value": "high" }"#);
        let html = render::<SuiteEditor>(editor(&text)).await;
        assert!(html.contains(r#"aria-describedby="t1-value-error""#), "{html}");
    }

    #[tokio::test]
    async fn regression_a_suite_of_100000_names_keeps_its_text_out_of_the_text_area() {
        let names: Vec<String> = (0..100_000).map(|i| format!("col{i}")).collect();
        let text = serde_json::json!({"version": 1, "name": "many-names", "data": {"source": "sample:iris"},
            "tests": [{"id": "names", "kind": "columns_present", "columns": names}]})
        .to_string();
        let html = render::<SuiteEditor>(editor(&text)).await;
        assert!(!html.contains("suite-text\""), "no text area until asked for: {html}");
        assert!(html.contains("characters, too long to show at once"));
        assert!(html.contains("valid: 1 tests") && html.contains(r#"data-testid="long-list""#), "{html}");
        let small = render::<SuiteEditor>(editor(INITIAL_SUITE)).await;
        assert!(small.contains(r#"<details open="open" class="suite-json">"#), "{small}");
    }

    #[tokio::test]
    async fn text_that_is_not_json_keeps_the_text_and_says_the_forms_need_json() {
        let html = render::<SuiteEditor>(editor("{ \"version\": 1,")).await;
        assert!(html.contains("The forms need the suite as a JSON object"), "{html}");
        assert!(!html.contains("test-card") && html.contains(r#"id="suite-text""#), "{html}");
    }
}
