//! The rows a row-level test found failing: how many, and the sample the report keeps
//! (1-based CSV line, column, value as written).

use yew::prelude::*;

use crate::report::Failures;

#[derive(Properties, PartialEq)]
pub struct FailingRowsProps {
    pub failures: Failures,
}

#[component]
pub fn FailingRows(props: &FailingRowsProps) -> Html {
    let failures = &props.failures;
    let shown = failures.sample.len();
    let caption = if shown < failures.count {
        format!("{} failing rows; the first {shown}", failures.count)
    } else if failures.count == 1 {
        "1 failing row".to_owned()
    } else {
        format!("{} failing rows", failures.count)
    };
    html! {
        <div class="scroll">
            <table class="failing-rows" data-testid="failing-rows" data-count={failures.count.to_string()}>
                <caption>{ caption }</caption>
                <thead><tr><th scope="col">{ "Line" }</th><th scope="col">{ "Column" }</th><th scope="col">{ "Value" }</th></tr></thead>
                <tbody>
                    { for failures.sample.iter().map(|cell| html! {
                        <tr data-testid="failing-row">
                            <td>{ cell.line }</td><td><code>{ &cell.column }</code></td>
                            <td>{ if cell.value.is_empty() { "(empty)".to_owned() } else { cell.value.clone() } }</td>
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
    async fn the_missing_bill_lengths_are_listed_by_line() {
        let report = sample_report("penguins-missing-values.json");
        let test = report.tests.iter().find(|t| t.id == "bill-length-known").unwrap();
        let failures = test.failures.clone().unwrap();
        let html = render::<FailingRows>(FailingRowsProps { failures }).await;
        assert!(html.contains("<caption>2 failing rows</caption>"), "{html}");
        assert_eq!(html.matches("data-testid=\"failing-row\"").count(), 2);
        assert!(html.contains("<td>5</td>") && html.contains("<td>273</td>"), "{html}");
        assert!(html.contains("<code>bill_length_mm</code>"), "{html}");
    }

    #[tokio::test]
    async fn a_cut_sample_says_how_many_are_shown() {
        let mut failures = Failures::default();
        for line in 2..40 {
            failures.push(line, "x", "bad");
        }
        let html = render::<FailingRows>(FailingRowsProps { failures }).await;
        assert!(html.contains("38 failing rows; the first 20"), "{html}");
    }
}
