//! One test's result: its status, observed value and message; expanded, its execution
//! table (Step | Action | Evaluation | Result).

use std::rc::Rc;

use serde_json::Value;
use yew::prelude::*;

use crate::report::fmt::num;
use crate::report::Report;

#[derive(Properties, PartialEq)]
pub struct TestRowProps {
    pub report: Rc<Report>,
    /// Which of `report.tests`.
    pub index: usize,
}

#[component]
pub fn TestRow(props: &TestRowProps) -> Html {
    let expanded = use_state(|| false);
    let test = &props.report.tests[props.index];
    let status = test.status.label().to_ascii_lowercase();
    let toggle = {
        let expanded = expanded.clone();
        Callback::from(move |_: MouseEvent| expanded.set(!*expanded))
    };
    let steps_id = format!("steps-{}", props.index);
    html! {
        <tbody class={classes!("test", status.clone())} data-testid="test-row" data-test-id={test.id.clone()} data-status={status.clone()}>
            <tr>
                <td><span class={classes!("badge", status)}>{ test.status.label() }</span></td>
                <td>
                    <button type="button" class="expand" aria-expanded={expanded.to_string()} aria-controls={steps_id.clone()} onclick={toggle}>
                        { if *expanded { "▾ " } else { "▸ " } }{ &test.id }
                    </button>
                    <span class="kind">{ &test.kind }</span>
                </td>
                <td class="observed" data-observed={test.observed.to_string()}>{ observed(&test.observed) }</td>
                <td class="message">{ &test.message }</td>
            </tr>
            if *expanded {
                <tr class="steps" id={steps_id}>
                    <td colspan="4">
                        <table class="execution">
                            <thead><tr><th scope="col">{ "Step" }</th><th scope="col">{ "Action" }</th><th scope="col">{ "Evaluation" }</th><th scope="col">{ "Result" }</th></tr></thead>
                            <tbody>
                                { for test.steps.iter().map(|step| html! {
                                    <tr data-testid="step-row">
                                        <td>{ step.step }</td><td><code>{ &step.action }</code></td>
                                        <td>{ &step.evaluation }</td><td>{ &step.result }</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </td>
                </tr>
            }
        </tbody>
    }
}

/// An observed value in a few characters: numbers as the text report writes them.
fn observed(value: &Value) -> String {
    match value {
        Value::Null => "—".to_owned(),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), num),
        Value::Object(map) => match map.get("value") {
            Some(Value::Number(n)) => n.as_f64().map_or_else(|| n.to_string(), num),
            _ => value.to_string(),
        },
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observed_values_are_short() {
        assert_eq!(observed(&Value::Null), "—");
        assert_eq!(observed(&serde_json::json!(0.9333333333333333)), num(0.9333333333333333));
        assert_eq!(observed(&serde_json::json!({ "metric": "accuracy", "value": 0.5 })), num(0.5));
    }
}
