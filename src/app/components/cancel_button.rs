//! The Cancel button, shown while a run is in progress.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CancelButtonProps {
    pub onclick: Callback<()>,
}

#[component]
pub fn CancelButton(props: &CancelButtonProps) -> Html {
    let onclick = props.onclick.reform(|_: MouseEvent| ());
    html! {
        <button type="button" class="cancel-button" data-testid="cancel-button" {onclick}>
            { "Cancel" }
        </button>
    }
}
