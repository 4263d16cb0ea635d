//! The suite as JSON in a text area, validated by [`crate::suite::parse`] as it is typed.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::app::state::SuiteState;

#[derive(Properties, PartialEq)]
pub struct SuiteEditorProps {
    pub suite: SuiteState,
    /// The new text, on every keystroke.
    pub on_edit: Callback<String>,
}

#[component]
pub fn SuiteEditor(props: &SuiteEditorProps) -> Html {
    let oninput =
        props.on_edit.reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value());
    let (status, invalid) = match &props.suite.parsed {
        Ok(suite) => {
            (html! { <p class="suite-ok">{ format!("valid: {} tests", suite.tests.len()) }</p> }, false)
        }
        Err(err) => (html! { <p class="suite-error" role="alert">{ err.to_string() }</p> }, true),
    };
    html! {
        <section class="panel suite-editor" aria-labelledby="suite-heading">
            <h2 id="suite-heading"><label for="suite-text">{ "Suite" }</label></h2>
            <textarea id="suite-text" class={classes!(invalid.then_some("invalid"))} spellcheck="false"
                aria-invalid={invalid.to_string()} rows="18" value={props.suite.text.clone()} {oninput} />
            { status }
        </section>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::render;

    #[tokio::test]
    async fn shows_the_parse_error_of_an_invalid_suite() {
        let suite = SuiteState::new("{ \"version\": 1, \"tests\": [] }".into());
        let html = render::<SuiteEditor>(SuiteEditorProps { suite, on_edit: Callback::noop() }).await;
        assert!(html.contains("suite-error") && html.contains("suite.json"), "{html}");
    }

    #[tokio::test]
    async fn counts_the_tests_of_a_valid_suite() {
        let suite = SuiteState::new(crate::app::state::INITIAL_SUITE.into());
        let html = render::<SuiteEditor>(SuiteEditorProps { suite, on_edit: Callback::noop() }).await;
        assert!(html.contains("valid: 5 tests"), "{html}");
    }
}
