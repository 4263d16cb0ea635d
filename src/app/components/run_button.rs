//! The Run button.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RunButtonProps {
    /// No valid data or suite to run.
    pub disabled: bool,
    pub onclick: Callback<()>,
}

#[component]
pub fn RunButton(props: &RunButtonProps) -> Html {
    let onclick = props.onclick.reform(|_: MouseEvent| ());
    html! {
        <button type="button" class="run-button" data-testid="run-button" disabled={props.disabled} {onclick}>
            { "Run the suite" }
        </button>
    }
}
