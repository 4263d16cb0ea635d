//! One test's result: its status, observed value and message; expanded, the explanation,
//! its execution table (Step | Action | Evaluation | Result), the variables it tracked, its
//! failing rows and, for a threshold test, its metrics against their thresholds.

use std::rc::Rc;

use serde_json::Value;
use yew::prelude::*;

use super::{BoundsChart, FailingRows, VariablesTable};
use crate::report::fmt::num;
use crate::report::Report;

#[derive(Properties, PartialEq)]
pub struct TestRowProps {
    pub report: Rc<Report>,
    /// Which of `report.tests`.
    pub index: usize,
    /// Whether the row starts expanded.
    #[prop_or_default]
    pub open: bool,
    /// A row of the HTML report, a file nobody can click: expanded, the id as plain text.
    #[prop_or_default]
    pub snapshot: bool,
}

#[component]
pub fn TestRow(props: &TestRowProps) -> Html {
    let expanded = use_state(|| props.open || props.snapshot);
    let test = &props.report.tests[props.index];
    let status = test.status.label().to_ascii_lowercase();
    let toggle = {
        let expanded = expanded.clone();
        Callback::from(move |_: MouseEvent| expanded.set(!*expanded))
    };
    let steps_id = format!("steps-{}", props.index);
    let shown = Shown::of(observed(&test.observed));
    html! {
        <tbody class={classes!("test", status.clone())} data-testid="test-row" data-test-id={test.id.clone()} data-status={status.clone()}>
            <tr>
                <td><span class={classes!("badge", status)}>{ test.status.label() }</span></td>
                <td>
                    if props.snapshot {
                        <strong class="test-id">{ &test.id }</strong>
                    } else {
                        <button type="button" class="expand" aria-expanded={expanded.to_string()} aria-controls={steps_id.clone()} onclick={toggle}>
                            { if *expanded { "▾ " } else { "▸ " } }{ &test.id }
                        </button>
                    }
                    <span class="kind">{ &test.kind }</span>
                </td>
                <td class="observed" data-observed={test.observed.to_string()} title={shown.full}>{ shown.text }</td>
                <td class="message">{ &test.message }</td>
            </tr>
            if *expanded {
                <tr class="steps" id={steps_id}>
                    <td colspan="4">
                        <p class="explanation" data-testid="explanation">{ &test.message }</p>
                        <div class="scroll">
                        <table class="execution">
                            <caption>{ "Execution" }</caption>
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
                        </div>
                        <VariablesTable steps={test.steps.len()} variables={test.variables.clone()} />
                        if let Some(failures) = &test.failures {
                            <FailingRows failures={failures.clone()} />
                        }
                        if !test.bounds.is_empty() {
                            <BoundsChart title={format!("{}: metrics against thresholds", test.id)} bounds={test.bounds.clone()} />
                        }
                    </td>
                </tr>
            }
        </tbody>
    }
}

/// The longest observed value a row shows whole; a longer one is cut, whole in its tooltip.
const OBSERVED_CHARS: usize = 24;

/// An observed value as the row shows it, and whole when it had to be cut.
struct Shown {
    text: String,
    full: Option<String>,
}

impl Shown {
    fn of(text: String) -> Shown {
        if text.chars().count() > OBSERVED_CHARS {
            let cut: String = text.chars().take(OBSERVED_CHARS - 1).collect();
            Shown { text: format!("{cut}…"), full: Some(text) }
        } else {
            Shown { text, full: None }
        }
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::{render, sample_report};

    #[tokio::test]
    async fn expanded_a_failing_data_test_explains_itself_with_its_steps_variables_and_rows() {
        let report = sample_report("penguins-missing-values.json");
        let index = report.tests.iter().position(|t| t.id == "bill-length-known").unwrap();
        let html =
            render::<TestRow>(TestRowProps { report: report.clone(), index, open: true, snapshot: false })
                .await;
        let test = &report.tests[index];
        assert!(html.contains("data-status=\"fail\""), "{html}");
        assert_eq!(html.matches("data-testid=\"explanation\"").count(), 1);
        assert_eq!(html.matches("data-testid=\"step-row\"").count(), test.steps.len());
        assert_eq!(html.matches("data-testid=\"variable-row\"").count(), test.variables.len());
        assert!(!test.variables.is_empty());
        assert!(html.contains("data-testid=\"failing-rows\" data-count=\"2\""), "{html}");
        assert!(!html.contains("bounds-chart"));
    }

    #[tokio::test]
    async fn expanded_a_threshold_test_draws_its_bound_and_collapsed_shows_nothing_more() {
        let report = sample_report("breast-cancer-overfit.json");
        let index = report.tests.iter().position(|t| t.id == "accuracy").unwrap();
        let open =
            render::<TestRow>(TestRowProps { report: report.clone(), index, open: true, snapshot: false })
                .await;
        assert!(open.contains("data-testid=\"bounds-chart\""), "{open}");
        let closed = render::<TestRow>(TestRowProps { report, index, open: false, snapshot: false }).await;
        assert!(!closed.contains("step-row") && closed.contains("aria-expanded=\"false\""), "{closed}");
    }

    #[tokio::test]
    async fn a_snapshot_row_is_expanded_with_nothing_to_click() {
        let report = sample_report("iris-accuracy-gate.json");
        let html = render::<TestRow>(TestRowProps { report, index: 0, open: false, snapshot: true }).await;
        assert!(html.contains("data-testid=\"step-row\""), "{html}");
        assert!(!html.contains("<button") && html.contains("<strong class=\"test-id\">"), "{html}");
    }

    #[test]
    fn a_long_observed_value_is_cut_and_kept_whole_in_its_tooltip() {
        let long = Shown::of(r#"{"max_abs_mean":4.49e-16,"max_abs_std_error":4.44e-16}"#.to_owned());
        assert_eq!(long.text, r#"{"max_abs_mean":4.49e-1…"#);
        assert!(long.full.unwrap().ends_with("e-16}"));
        let short = Shown::of("0.9333".to_owned());
        assert_eq!((short.text.as_str(), short.full), ("0.9333", None));
    }

    #[test]
    fn observed_values_are_short() {
        assert_eq!(observed(&Value::Null), "—");
        assert_eq!(observed(&serde_json::json!(0.9333333333333333)), num(0.9333333333333333));
        assert_eq!(observed(&serde_json::json!({ "metric": "accuracy", "value": 0.5 })), num(0.5));
    }
}
