//! What opening a Great Expectations suite left out (PRODUCT.md §13): the expectations that
//! became no test, by type, with the reason, until the person dismisses it or opens another
//! suite file.

use yew::prelude::*;

use crate::app::state::ImportNotice;

#[derive(Properties, PartialEq)]
pub struct ImportNoticeBannerProps {
    pub notice: ImportNotice,
    pub on_dismiss: Callback<()>,
}

#[component]
pub fn ImportNoticeBanner(props: &ImportNoticeBannerProps) -> Html {
    let notice = &props.notice;
    let onclick = props.on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <div class="notice-banner import-notice" role="status" data-testid="import-notice">
            <p>{ notice.summary() }</p>
            if !notice.left_out.is_empty() {
                <ul>
                    { for notice.left_out.iter().map(|entry| html! {
                        <li><code>{ &entry.name }</code>{ format!(" ({}): {}", entry.count, entry.reason) }</li>
                    }) }
                </ul>
            }
            <button type="button" data-testid="import-notice-dismiss" {onclick}>{ "Dismiss" }</button>
        </div>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::render;
    use crate::gx::LeftOut;

    #[tokio::test]
    async fn lists_what_was_left_out_with_counts_and_reasons() {
        let notice = ImportNotice {
            file: "gx.json".into(),
            expectations: 5,
            tests: 4,
            left_out: vec![LeftOut {
                name: "expect_column_values_to_be_of_type".into(),
                count: 2,
                reason: "a dtype".into(),
            }],
        };
        let html =
            render::<ImportNoticeBanner>(ImportNoticeBannerProps { notice, on_dismiss: Callback::noop() })
                .await;
        assert!(
            html.contains("gx.json: 3 of 5 Great Expectations expectations imported as 4 tests; 2 left out"),
            "{html}"
        );
        assert!(html.contains("<code>expect_column_values_to_be_of_type</code> (2): a dtype"), "{html}");
        assert!(html.contains("data-testid=\"import-notice-dismiss\""), "{html}");
    }
}
