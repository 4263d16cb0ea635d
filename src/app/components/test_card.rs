//! One test of the suite as a form: its id, kind, enabled switch, severity, a field per
//! parameter of its kind, buttons to move or remove it, and the engine's error for it.

use std::rc::Rc;

use serde_json::Value;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::param_field::ParamField;
use crate::app::suite_doc::SuiteEdit;
use crate::checks::catalog;
use crate::suite::Severity;

/// The engine's error when it is in this test: the parameter it names, if any, and the message.
#[derive(Debug, Clone, PartialEq)]
pub struct CardError {
    pub field: Option<AttrValue>,
    pub message: AttrValue,
}

#[derive(Properties, PartialEq)]
pub struct TestCardProps {
    /// The test's index in the suite's `tests`.
    pub index: usize,
    /// The test object as the suite holds it.
    pub test: Value,
    /// The loaded data's column names.
    pub columns: Rc<Vec<String>>,
    #[prop_or_default]
    pub error: Option<CardError>,
    /// Whether this is the last test (it cannot move down).
    #[prop_or_default]
    pub last: bool,
    pub on_edit: Callback<SuiteEdit>,
}

#[component]
pub fn TestCard(props: &TestCardProps) -> Html {
    let test = props.index;
    let text = |name: &str| props.test.get(name).and_then(Value::as_str).unwrap_or_default().to_owned();
    let (id, kind) = (text("id"), text("kind"));
    let enabled = props.test.get("enabled").and_then(Value::as_bool).unwrap_or(true);
    let warn = text("severity") == "warn";
    let info = catalog::kind(&kind);
    let prefix = format!("t{test}");

    let on_id = props.on_edit.reform(move |e: InputEvent| SuiteEdit::SetId {
        test,
        id: e.target_unchecked_into::<HtmlInputElement>().value(),
    });
    let on_enabled = props.on_edit.reform(move |e: Event| SuiteEdit::SetEnabled {
        test,
        enabled: e.target_unchecked_into::<HtmlInputElement>().checked(),
    });
    let on_severity = props.on_edit.reform(move |e: Event| {
        let warn = e.target_unchecked_into::<HtmlSelectElement>().value() == "warn";
        SuiteEdit::SetSeverity { test, severity: if warn { Severity::Warn } else { Severity::Fail } }
    });
    let on_up = props.on_edit.reform(move |_: MouseEvent| SuiteEdit::Move { test, up: true });
    let on_down = props.on_edit.reform(move |_: MouseEvent| SuiteEdit::Move { test, up: false });
    let on_remove = props.on_edit.reform(move |_: MouseEvent| SuiteEdit::Remove { test });

    let error_at = |field: &str| {
        props.error.as_ref().filter(|e| e.field.as_deref() == Some(field)).map(|e| e.message.clone())
    };
    // An error no field shows (a missing parameter, an unknown kind) is shown on the card.
    let shown_in_field = |e: &CardError| {
        e.field.as_deref().is_some_and(|f| f == "id" || info.and_then(|k| k.param(f)).is_some())
    };
    let card_error = props.error.as_ref().filter(|e| !shown_in_field(e)).map(|e| e.message.clone());
    let id_error = error_at("id");

    html! {
        <li class={classes!("test-card", (!enabled).then_some("disabled"), props.error.is_some().then_some("invalid"))}
            data-testid="test-card" data-card-id={id.clone()}>
            <div class="card-head">
                <label class="visually-hidden" for={format!("{prefix}-id")}>{ "id" }</label>
                <input type="text" class="test-id" id={format!("{prefix}-id")} value={id.clone()} oninput={on_id}
                    spellcheck="false" aria-invalid={id_error.is_some().to_string()} />
                <code class="kind">{ kind.clone() }</code>
                <label class="check"><input type="checkbox" id={format!("{prefix}-enabled")} checked={enabled}
                    onchange={on_enabled} />{ "enabled" }</label>
                <span class="severity">
                    <label for={format!("{prefix}-severity")}>{ "severity" }</label>
                    <select id={format!("{prefix}-severity")} onchange={on_severity}>
                        <option value="fail" selected={!warn}>{ "fail" }</option>
                        <option value="warn" selected={warn}>{ "warn" }</option>
                    </select>
                </span>
                <span class="card-buttons">
                    <button type="button" aria-label={format!("Move {id} up")} disabled={test == 0} onclick={on_up}>{ "↑" }</button>
                    <button type="button" aria-label={format!("Move {id} down")} disabled={props.last} onclick={on_down}>{ "↓" }</button>
                    <button type="button" aria-label={format!("Remove {id}")} onclick={on_remove}>{ "Remove" }</button>
                </span>
            </div>
            if let Some(message) = id_error {
                <p class="field-error" role="alert">{ message }</p>
            }
            if let Some(info) = info {
                <p class="help">{ info.summary }</p>
                <div class="params">
                    { for info.params.iter().map(|param| {
                        let name = param.name;
                        let on_change = props.on_edit.reform(move |value| SuiteEdit::SetParam { test, name: name.into(), value });
                        html! { <ParamField id={format!("{prefix}-{name}")} {param} value={props.test.get(name).cloned()}
                            columns={props.columns.clone()} error={error_at(name)} {on_change} /> }
                    }) }
                </div>
            }
            if let Some(message) = card_error {
                <p class="field-error" role="alert">{ message }</p>
            }
        </li>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::app::components::render;

    fn card(test: Value, error: Option<CardError>) -> TestCardProps {
        TestCardProps {
            index: 1,
            test,
            columns: Rc::new(vec!["sepal_length".into(), "species".into()]),
            error,
            last: true,
            on_edit: Callback::noop(),
        }
    }

    #[tokio::test]
    async fn a_card_shows_the_tests_fields_and_its_switches() {
        let test = json!({"id": "acc", "kind": "metric_threshold", "metric": "accuracy", "op": ">", "value": 0.8,
                          "severity": "warn", "enabled": false});
        let html = render::<TestCard>(card(test, None)).await;
        assert!(html.contains(r#"data-card-id="acc""#) && html.contains("disabled"), "{html}");
        assert!(html.contains(r#"<option value="warn" selected="selected">warn</option>"#), "{html}");
        for field in ["t1-metric", "t1-op", "t1-value", "t1-average", "t1-on", "t1-folds"] {
            assert!(html.contains(&format!(r#"for="{field}""#)), "{field}: {html}");
        }
        assert!(html.contains(r#"value="0.8""#), "{html}");
    }

    #[tokio::test]
    async fn the_engines_error_is_shown_at_its_field_or_on_the_card() {
        let test = json!({"id": "r", "kind": "values_between", "column": "sepal_length", "min": "x"});
        let at_min = CardError { field: Some("min".into()), message: "invalid type: string \"x\"".into() };
        let html = render::<TestCard>(card(test.clone(), Some(at_min))).await;
        assert!(html.contains(r#"aria-describedby="t1-min-error""#), "{html}");
        let missing = CardError { field: None, message: "missing field `column`".into() };
        let html = render::<TestCard>(card(test, Some(missing))).await;
        assert!(html.contains("missing field `column`"), "{html}");
    }
}
