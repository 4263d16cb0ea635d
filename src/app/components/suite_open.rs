//! Open a suite file (JSON or YAML) from the user's machine into the editor: a suite exported
//! from the page, written for CI or decoded from a link by `mltest link decode`, or a Great
//! Expectations suite (JSON), which is imported (`crate::gx`).

use web_sys::File;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SuiteOpenProps {
    pub on_file: Callback<File>,
}

#[component]
pub fn SuiteOpen(props: &SuiteOpenProps) -> Html {
    let onchange = super::on_file_picked(props.on_file.clone());
    html! {
        <div class="suite-open">
            <label for="suite-file" title="an mltest suite (JSON or YAML) or a Great Expectations suite (JSON)">
                { "Open a suite file" }
            </label>
            <input id="suite-file" type="file" accept=".json,.yaml,.yml,application/json,text/yaml"
                data-testid="suite-file" {onchange} />
        </div>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::render;

    #[tokio::test]
    async fn offers_json_and_yaml_files_with_a_label() {
        let html = render::<SuiteOpen>(SuiteOpenProps { on_file: Callback::noop() }).await;
        assert!(html.contains("for=\"suite-file\"") && html.contains("id=\"suite-file\""), "{html}");
        assert!(html.contains(".yaml") && html.contains(".json"), "{html}");
    }
}
