//! The progress of a run: an indeterminate bar and the stage's name.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RunProgressProps {
    pub stage: AttrValue,
}

#[component]
pub fn RunProgress(props: &RunProgressProps) -> Html {
    html! {
        <div class="progress" data-testid="progress" role="status" aria-live="polite">
            <progress aria-label="run in progress"></progress>
            <span class="stage">{ &props.stage }{ "…" }</span>
        </div>
    }
}
