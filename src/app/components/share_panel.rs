//! Share: the button that makes a link of the suite, its seed and (when small) its data,
//! the link itself with its length, and how it carries the data.

use yew::prelude::*;

/// A link made by the Share button.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareView {
    pub link: AttrValue,
    /// How the link carries the data ([`crate::app::sharing::carried_note`]).
    pub note: AttrValue,
    /// The link was copied to the clipboard.
    pub copied: bool,
}

#[derive(Properties, PartialEq)]
pub struct SharePanelProps {
    /// The last link made, or why none could be; `None` before the first click.
    pub shared: Option<Result<ShareView, AttrValue>>,
    pub on_share: Callback<()>,
}

#[component]
pub fn SharePanel(props: &SharePanelProps) -> Html {
    let onclick = props.on_share.reform(|_: MouseEvent| ());
    let select_all = Callback::from(|e: FocusEvent| {
        if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            input.select();
        }
    });
    html! {
        <section class="panel share" aria-labelledby="share-heading">
            <h2 id="share-heading">{ "Share" }</h2>
            <p class="hint">{ "A link that restores this suite, its seed and, when small, its data. It stays in the address's fragment: nothing is uploaded." }</p>
            <button type="button" class="share-button" data-testid="share-button" {onclick}>{ "Copy a share link" }</button>
            {
                match &props.shared {
                    None => html! {},
                    Some(Err(message)) => html! {
                        <p class="share-error" role="alert">{ message }</p>
                    },
                    Some(Ok(view)) => html! {
                        <div class="share-result">
                            <label for="share-link">{ "Link" }</label>
                            <input id="share-link" type="text" readonly=true data-testid="share-link"
                                value={view.link.clone()} onfocus={select_all} />
                            <p class="share-meta" role="status">
                                { format!("{} characters · {}", view.link.chars().count(), view.note) }
                                if view.copied { { " · copied to the clipboard" } }
                            </p>
                        </div>
                    },
                }
            }
        </section>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::render;

    #[tokio::test]
    async fn a_link_shows_with_its_length_and_how_it_carries_the_data() {
        let view = ShareView {
            link: "http://127.0.0.1:8080/#s=1.abc".into(),
            note: "the sample `iris` (bundled with mltest)".into(),
            copied: true,
        };
        let html =
            render::<SharePanel>(SharePanelProps { shared: Some(Ok(view)), on_share: Callback::noop() })
                .await;
        assert!(html.contains("data-testid=\"share-button\""), "{html}");
        assert!(
            html.contains("data-testid=\"share-link\"")
                && html.contains("value=\"http://127.0.0.1:8080/#s=1.abc\""),
            "{html}"
        );
        assert!(
            html.contains(
                "30 characters · the sample `iris` (bundled with mltest) · copied to the clipboard"
            ),
            "{html}"
        );
    }

    #[tokio::test]
    async fn before_the_first_click_there_is_only_the_button() {
        let html = render::<SharePanel>(SharePanelProps { shared: None, on_share: Callback::noop() }).await;
        assert!(html.contains("share-button") && !html.contains("share-link"), "{html}");
    }

    #[tokio::test]
    async fn a_suite_that_cannot_be_shared_says_why() {
        let shared = Some(Err(AttrValue::from("fix the suite before sharing it: suite.json: line 1")));
        let html = render::<SharePanel>(SharePanelProps { shared, on_share: Callback::noop() }).await;
        assert!(
            html.contains("role=\"alert\"") && html.contains("fix the suite before sharing it"),
            "{html}"
        );
    }
}
