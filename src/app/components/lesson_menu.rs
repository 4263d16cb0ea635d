//! The lesson menu: opens one of the tutorials (PRODUCT.md §6), listed by
//! [`lessons::LESSONS`] without reading their files.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::lessons;

#[derive(Properties, PartialEq)]
pub struct LessonMenuProps {
    /// The open lesson's id.
    pub open: Option<AttrValue>,
    pub on_open: Callback<String>,
    pub on_close: Callback<()>,
}

#[component]
pub fn LessonMenu(props: &LessonMenuProps) -> Html {
    let onchange = {
        let (on_open, on_close) = (props.on_open.clone(), props.on_close.clone());
        Callback::from(move |e: Event| {
            let id = e.target_unchecked_into::<HtmlSelectElement>().value();
            if id.is_empty() {
                on_close.emit(());
            } else {
                on_open.emit(id);
            }
        })
    };
    let open = props.open.clone().unwrap_or_default();
    html! {
        <div class="lesson-menu">
            <label for="lesson-select">{ "Lessons" }</label>
            <select id="lesson-select" data-testid="lesson-select" {onchange}>
                <option value="" selected={open.is_empty()}>{ "— the playground —" }</option>
                { for lessons::LESSONS.iter().map(|lesson| html! {
                    <option value={lesson.id} selected={lesson.id == open}>{ lesson.title }</option>
                }) }
            </select>
        </div>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::render;

    #[tokio::test]
    async fn every_lesson_is_offered_and_the_open_one_selected() {
        let count = crate::lessons::all().unwrap().len();
        let props = LessonMenuProps {
            open: Some("flaky-seed".into()),
            on_open: Callback::noop(),
            on_close: Callback::noop(),
        };
        let html = render::<LessonMenu>(props).await;
        // Every lesson and the playground.
        assert_eq!(html.matches("<option").count(), count + 1, "{html}");
        assert!(html.contains("4. A flaky test without a seed"), "{html}");
        assert!(html.contains("value=\"flaky-seed\" selected"), "{html}");
    }
}
