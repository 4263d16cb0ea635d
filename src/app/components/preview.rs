//! The first rows of the loaded file, as the file writes them; missing cells are marked.

use std::rc::Rc;

use yew::prelude::*;

use crate::app::state::Preview;

#[derive(Properties, PartialEq)]
pub struct PreviewProps {
    pub preview: Rc<Preview>,
    /// All data rows of the file, to say how many are not shown.
    pub total_rows: usize,
}

#[component]
pub fn PreviewTable(props: &PreviewProps) -> Html {
    let preview = &props.preview;
    html! {
        <div class="preview" data-testid="preview">
            <div class="scroll" tabindex="0" role="region" aria-label="Preview of the first rows">
                <table>
                    <caption>{ format!("First {} of {} rows", preview.rows.len(), props.total_rows) }</caption>
                    <thead><tr>{ for preview.header.iter().map(|h| html! { <th scope="col">{ h }</th> }) }</tr></thead>
                    <tbody>
                        { for preview.rows.iter().map(|row| html! {
                            <tr>{ for row.iter().map(|cell| match cell {
                                Some(value) => html! { <td>{ value }</td> },
                                None => html! { <td class="missing">{ "missing" }</td> },
                            }) }</tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </div>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::render;

    #[tokio::test]
    async fn shows_the_header_the_values_and_missing_cells() {
        let preview =
            Preview { header: vec!["a".into(), "b".into()], rows: vec![vec![Some("1.50".into()), None]] };
        let html = render::<PreviewTable>(PreviewProps { preview: Rc::new(preview), total_rows: 7 }).await;
        assert!(html.contains("<th scope=\"col\">a</th>"), "{html}");
        assert!(html.contains("<td>1.50</td>"), "{html}");
        assert!(html.contains("<td class=\"missing\">missing</td>"), "{html}");
        assert!(html.contains("First 1 of 7 rows"), "{html}");
    }
}
