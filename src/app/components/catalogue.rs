//! The catalogue of test kinds: a menu grouped by family (data, unit, threshold,
//! integration), the chosen kind's summary, and a button that adds a test of that kind.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::checks::{catalog, Family, CATALOG};

#[derive(Properties, PartialEq)]
pub struct CatalogueProps {
    /// A test of this kind is to be added.
    pub on_add: Callback<String>,
}

const FAMILIES: [Family; 4] = [Family::Data, Family::Unit, Family::Threshold, Family::Integration];

#[component]
pub fn Catalogue(props: &CatalogueProps) -> Html {
    let chosen = use_state(|| CATALOG[0].name.to_owned());
    let onchange = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| chosen.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let onclick = {
        let chosen = chosen.clone();
        props.on_add.reform(move |_: MouseEvent| (*chosen).clone())
    };
    let summary = catalog::kind(&chosen).map(|k| k.summary).unwrap_or_default();
    html! {
        <div class="catalogue">
            <label for="catalogue-kind">{ "Test kind" }</label>
            <select id="catalogue-kind" {onchange} aria-describedby="catalogue-summary">
                { for FAMILIES.iter().map(|family| html! {
                    <optgroup label={format!("{} tests", family.name())}>
                        { for CATALOG.iter().filter(|k| k.family == *family).map(|k| html! {
                            <option value={k.name} selected={*chosen == k.name} title={k.summary}>{ k.name }</option>
                        }) }
                    </optgroup>
                }) }
            </select>
            <button type="button" class="add-test" {onclick}>{ "Add test" }</button>
            <p class="help" id="catalogue-summary">{ summary }</p>
        </div>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::render;

    #[tokio::test]
    async fn every_kind_is_offered_in_its_familys_group() {
        let html = render::<Catalogue>(CatalogueProps { on_add: Callback::noop() }).await;
        for family in FAMILIES {
            assert!(html.contains(&format!(r#"<optgroup label="{} tests">"#, family.name())), "{html}");
        }
        for kind in CATALOG {
            assert!(html.contains(&format!(r#"value="{}""#, kind.name)), "{} missing", kind.name);
        }
        let data = html.find("data tests").unwrap();
        let unit = html.find("unit tests").unwrap();
        assert!((data..unit).contains(&html.find(r#"value="values_between""#).unwrap()));
        assert!(html.contains(CATALOG[0].summary), "the chosen kind's summary is shown");
    }
}
