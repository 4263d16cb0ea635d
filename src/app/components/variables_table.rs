//! The named variables a test tracked across its steps (`model`, `accuracy`, …): one row per
//! variable, one column per step, its value after that step.

use yew::prelude::*;

use crate::report::Variable;

#[derive(Properties, PartialEq)]
pub struct VariablesTableProps {
    /// How many steps the test took (the table's columns).
    pub steps: usize,
    pub variables: Vec<Variable>,
}

#[component]
pub fn VariablesTable(props: &VariablesTableProps) -> Html {
    if props.variables.is_empty() {
        return Html::default();
    }
    html! {
        <div class="scroll">
            <table class="variables" data-testid="variables">
                <caption>{ "Tracked variables, after each step" }</caption>
                <thead><tr>
                    <th scope="col">{ "Variable" }</th>
                    { for (1..=props.steps).map(|step| html! { <th scope="col">{ format!("step {step}") }</th> }) }
                </tr></thead>
                <tbody>
                    { for props.variables.iter().map(|variable| html! {
                        <tr data-testid="variable-row" data-variable={variable.name.clone()}>
                            <th scope="row"><code>{ &variable.name }</code></th>
                            { for (0..props.steps).map(|i| match variable.values.get(i).cloned().flatten() {
                                Some(value) => html! { <td>{ value }</td> },
                                None => html! { <td class="unset">{ "—" }</td> },
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::{render, sample_report};

    #[tokio::test]
    async fn one_row_per_variable_and_a_dash_before_it_is_set() {
        let report = sample_report("breast-cancer-overfit.json");
        let test = report.tests.iter().find(|t| t.id == "accuracy").unwrap();
        let html = render::<VariablesTable>(VariablesTableProps {
            steps: test.steps.len(),
            variables: test.variables.clone(),
        })
        .await;
        assert_eq!(html.matches("data-testid=\"variable-row\"").count(), test.variables.len(), "{html}");
        assert!(html.contains("data-variable=\"accuracy\""), "{html}");
        assert!(html.contains("<td>0.9211</td>"), "{html}");
        assert!(html.contains("<td class=\"unset\">—</td>"), "{html}");
        assert_eq!(html.matches("<th scope=\"col\">step ").count(), test.steps.len());
    }
}
