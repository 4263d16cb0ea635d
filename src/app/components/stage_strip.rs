//! The run as a strip of stages (data → split → preprocess → train → evaluate → verdict),
//! each coloured by its outcome and labelled with its time. The outcomes are the engine's
//! ([`crate::report::stages`]); this only draws them.

use std::rc::Rc;

use yew::prelude::*;

use crate::report::Report;

#[derive(Properties, PartialEq)]
pub struct StageStripProps {
    pub report: Rc<Report>,
}

#[component]
pub fn StageStrip(props: &StageStripProps) -> Html {
    let report = &props.report;
    html! {
        <ol class="stage-strip" aria-label="Pipeline stages" data-testid="stage-strip">
            { for report.stages.iter().map(|s| {
                let outcome = s.outcome.name();
                let time = s.stage.ms(&report.timings_ms).map(|ms| format!("{ms:.1} ms")).unwrap_or_default();
                html! {
                    <li class={classes!("stage", outcome)} data-stage={s.stage.name()} data-outcome={outcome}
                        title={format!("{}: {}", s.stage.name(), s.outcome.label())}>
                        <span class="stage-name">{ s.stage.name() }</span>
                        <span class="stage-outcome">{ s.outcome.label() }</span>
                        <span class="stage-time">{ time }</span>
                    </li>
                }
            }) }
        </ol>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::render;
    use crate::app::components::sample_report;

    #[tokio::test]
    async fn each_stage_is_coloured_by_its_outcome_with_its_time() {
        let report = sample_report("breast-cancer-overfit.json");
        let html = render::<StageStrip>(StageStripProps { report }).await;
        assert_eq!(html.matches("class=\"stage ").count(), 6, "{html}");
        assert!(html.contains("data-stage=\"data\" data-outcome=\"not_run\""), "{html}");
        assert!(html.contains("data-stage=\"evaluate\" data-outcome=\"fail\""), "{html}");
        assert!(html.contains("data-stage=\"train\" data-outcome=\"pass\""), "{html}");
        assert!(html.matches(" ms</span>").count() >= 4, "{html}");
    }
}
