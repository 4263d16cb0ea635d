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

/// The columns the preview shows before "Show all": its rows × columns cells are drawn on
/// the page's thread, and 2,000 columns (22,000 cells) held the page for long; no bundled
/// sample has more than 31 columns.
pub const PREVIEW_COLUMNS: usize = 50;

#[component]
pub fn PreviewTable(props: &PreviewProps) -> Html {
    let show_all = use_state(|| false);
    let preview = &props.preview;
    let total = preview.header.len();
    let shown = if *show_all { total } else { total.min(PREVIEW_COLUMNS) };
    let on_show_all = {
        let show_all = show_all.clone();
        Callback::from(move |_: MouseEvent| show_all.set(true))
    };
    let columns = if shown < total { format!(", first {shown} of {total} columns") } else { String::new() };
    html! {
        <div class="preview" data-testid="preview">
            if shown < total {
                <p class="capped" data-testid="preview-capped">
                    { format!("The first {shown} of {total} columns. ") }
                    <button type="button" onclick={on_show_all}>{ format!("Show all {total} columns") }</button>
                </p>
            }
            <div class="scroll" tabindex="0" role="region" aria-label="Preview of the first rows">
                <table>
                    <caption>{ format!("First {} of {} rows{columns}", preview.rows.len(), props.total_rows) }</caption>
                    <thead><tr>{ for preview.header.iter().take(shown).map(|h| html! { <th scope="col">{ h }</th> }) }</tr></thead>
                    <tbody>
                        { for preview.rows.iter().map(|row| html! {
                            <tr>{ for row.iter().take(shown).map(|cell| match cell {
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
        assert!(html.contains("First 1 of 7 rows</caption>"), "{html}");
        assert!(!html.contains("preview-capped"), "{html}");
    }

    #[tokio::test]
    async fn regression_a_preview_of_2000_columns_shows_the_first_and_says_so() {
        let header: Vec<String> = (0..2000).map(|i| format!("c{i}")).collect();
        let rows = vec![header.iter().map(|_| Some("1".to_owned())).collect()];
        let preview = Preview { header, rows };
        let html = render::<PreviewTable>(PreviewProps { preview: Rc::new(preview), total_rows: 1 }).await;
        assert_eq!(html.matches("<th scope=\"col\">").count(), PREVIEW_COLUMNS);
        assert_eq!(html.matches("<td>").count(), PREVIEW_COLUMNS);
        assert!(html.contains("First 1 of 1 rows, first 50 of 2000 columns"), "{html}");
        assert!(html.contains("Show all 2000 columns"), "{html}");
    }
}
