//! One parameter's input, chosen by its [`ParamType`]: a column or choice menu, a checkbox,
//! a pair of inputs for a swap, or a text input whose text goes into the suite as typed
//! (see [`suite_doc::field_value`]), with the engine's error for it beside it.

use std::rc::Rc;

use serde_json::{json, Value};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::app::suite_doc::{field_text, field_value};
use crate::checks::{Param, ParamType};

/// The most list items a field shows and edits: a longer list (a shared suite can list
/// 100,000 columns) is shown as its first items and a count, and edited in the JSON text; as
/// one input of a megabyte of text it took seconds to lay out.
pub const LIST_FIELD_ITEMS: usize = 200;

/// The most columns a column menu lists: past it the field is a text input for the name (a
/// menu per column parameter of thousands of `<option>`s is slow to draw and to use).
pub const MENU_COLUMNS: usize = 500;

#[derive(Properties, PartialEq)]
pub struct ParamFieldProps {
    /// The input's element id, unique on the page.
    pub id: AttrValue,
    pub param: &'static Param,
    /// The value in the suite, if given.
    pub value: Option<Value>,
    /// The loaded data's column names.
    pub columns: Rc<Vec<String>>,
    /// The target's classes, in the engine's order, when the data shows them all: a
    /// per-class field ([`ParamType::ClassColumns`]) gets a column menu for each.
    #[prop_or_default]
    pub classes: Rc<Vec<String>>,
    /// The engine's error for this parameter.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// The new value; `None` leaves the parameter out.
    pub on_change: Callback<Option<Value>>,
}

#[component]
pub fn ParamField(props: &ParamFieldProps) -> Html {
    let param = props.param;
    // The text last typed: a number field shows it while it still means the suite's value,
    // so `0.50` or `1e3` stay as typed instead of being rewritten to `0.5` or `1000.0` under
    // the cursor (the suite holds the number, not its spelling).
    let typed = use_state(|| None::<String>);
    let id = props.id.clone();
    let error_id = format!("{id}-error");
    let invalid = props.error.is_some();
    let described = invalid.then(|| AttrValue::from(error_id.clone()));
    let long_list = props.value.as_ref().and_then(Value::as_array).map_or(0, Vec::len) > LIST_FIELD_ITEMS;
    let input = match param.ty {
        ParamType::Column | ParamType::ColumnOrAll if props.columns.len() > MENU_COLUMNS => {
            let onchange = props.on_change.reform(move |e: Event| {
                field_value(&e.target_unchecked_into::<HtmlInputElement>().value(), ParamType::Column)
            });
            let value = props.value.as_ref().map(field_text).unwrap_or_default();
            let placeholder = format!("a column name (the data has {})", props.columns.len());
            html! { <input type="text" id={id.clone()} spellcheck="false" {value} {placeholder} {onchange}
            aria-invalid={invalid.to_string()} aria-describedby={described.clone()} /> }
        }
        ParamType::Column | ParamType::ColumnOrAll | ParamType::Choice(_) => {
            menu(props, &id, invalid, described.clone())
        }
        _ if long_list => {
            let items = props.value.as_ref().and_then(Value::as_array).cloned().unwrap_or_default();
            let first: Vec<String> = items.iter().take(LIST_FIELD_ITEMS).map(field_text).collect();
            let value = format!("{}, … and {} more", first.join(", "), items.len() - first.len());
            html! { <input type="text" id={id.clone()} readonly=true data-testid="long-list" {value}
            aria-invalid={invalid.to_string()} aria-describedby={described.clone()} /> }
        }
        ParamType::Bool => {
            let required = param.required;
            let onchange = props.on_change.reform(move |e: Event| {
                let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
                // An optional flag is false when left out: unchecking removes it.
                (checked || required).then_some(json!(checked))
            });
            let checked = props.value.as_ref().and_then(Value::as_bool).unwrap_or(false);
            html! { <input type="checkbox" id={id.clone()} {checked} {onchange}
            aria-invalid={invalid.to_string()} aria-describedby={described.clone()} /> }
        }
        ParamType::Swap => swap(props, &id, invalid),
        ParamType::ClassColumns => class_columns(props, &id, invalid, described.clone()),
        ty => {
            let oninput = {
                let typed = typed.clone();
                props.on_change.reform(move |e: InputEvent| {
                    let text = e.target_unchecked_into::<HtmlInputElement>().value();
                    let value = field_value(&text, ty);
                    typed.set(Some(text));
                    value
                })
            };
            let mode = match ty {
                ParamType::Number | ParamType::Ratio => "decimal",
                ParamType::Integer => "numeric",
                _ => "text",
            };
            let value = match typed.as_deref() {
                Some(text) if field_value(text, ty) == props.value => text.to_owned(),
                _ => props.value.as_ref().map(field_text).unwrap_or_default(),
            };
            let placeholder = (!param.required).then(|| format!("default: {}", param.default));
            html! { <input type="text" id={id.clone()} inputmode={mode} spellcheck="false" {value} {placeholder} {oninput}
            aria-invalid={invalid.to_string()} aria-describedby={described.clone()} /> }
        }
    };
    // The default is in the field's placeholder or first menu entry; the help adds the
    // type where the input does not show it.
    let shows_type = matches!(
        param.ty,
        ParamType::Ratio | ParamType::Integer | ParamType::Columns | ParamType::Values | ParamType::Regex
    );
    let notes: Vec<&str> = [shows_type.then(|| param.ty.describe()), param.required.then_some("required")]
        .into_iter()
        .flatten()
        .collect();
    let long_note = long_list.then(|| {
        let count = props.value.as_ref().and_then(Value::as_array).map_or(0, Vec::len);
        format!("{count} items: the first {LIST_FIELD_ITEMS} are shown; edit the list in the JSON text")
    });
    let notes: Vec<&str> = notes.into_iter().chain(long_note.as_deref()).collect();
    let help = if notes.is_empty() {
        param.help.to_owned()
    } else {
        format!("{} ({})", param.help, notes.join(", "))
    };
    html! {
        <div class={classes!("field", invalid.then_some("invalid"))}>
            if !matches!(param.ty, ParamType::Swap | ParamType::ClassColumns) {
                <label for={id.clone()}>{ param.name }</label>
            } else {
                <span class="label">{ param.name }</span>
            }
            { input }
            <small class="help">{ help }</small>
            if let Some(error) = &props.error {
                <p class="field-error" id={error_id} role="alert">{ error.clone() }</p>
            }
        </div>
    }
}

/// A `<select>` of the data's columns or of a choice's names; an optional parameter's first
/// entry leaves it out, and a value not in the list stays shown.
fn menu(props: &ParamFieldProps, id: &AttrValue, invalid: bool, described: Option<AttrValue>) -> Html {
    let param = props.param;
    let current = props.value.as_ref().map(field_text).unwrap_or_default();
    let mut options: Vec<(String, String)> = Vec::new();
    if !param.required {
        options.push((String::new(), format!("(default: {})", param.default)));
    }
    if param.ty == ParamType::ColumnOrAll {
        options.push(("*".into(), "* (every column)".into()));
    }
    match param.ty {
        ParamType::Choice(names) => options.extend(names.iter().map(|n| ((*n).to_owned(), (*n).to_owned()))),
        _ => options.extend(props.columns.iter().map(|c| (c.clone(), c.clone()))),
    }
    if !current.is_empty() && !options.iter().any(|(value, _)| *value == current) {
        options.push((current.clone(), format!("{current} (not in the data)")));
    }
    let onchange = props.on_change.reform(|e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        (!value.is_empty()).then_some(json!(value))
    });
    html! {
        <select id={id.clone()} {onchange} aria-invalid={invalid.to_string()} aria-describedby={described}>
            { for options.into_iter().map(|(value, text)| {
                let selected = value == current;
                html! { <option {value} {selected}>{ text }</option> }
            }) }
        </select>
    }
}

/// A column, or a column for each class (`{"male": "p_male", …}`): the predicted
/// probabilities of a model brought as predictions. One menu (the positive class's column)
/// for two classes, a menu per class for more, or when the suite already names one per class.
fn class_columns(
    props: &ParamFieldProps,
    id: &AttrValue,
    invalid: bool,
    described: Option<AttrValue>,
) -> Html {
    let per_class = props.value.as_ref().and_then(Value::as_object).cloned();
    let classes: Vec<String> = match &per_class {
        Some(given) if props.classes.is_empty() => given.keys().cloned().collect(),
        _ => props.classes.to_vec(),
    };
    let options = |current: &str| {
        let mut options = vec![(String::new(), "(none)".to_owned())];
        options.extend(props.columns.iter().map(|c| (c.clone(), c.clone())));
        if !current.is_empty() && !options.iter().any(|(value, _)| value == current) {
            options.push((current.to_owned(), format!("{current} (not in the data)")));
        }
        let current = current.to_owned();
        options
            .into_iter()
            .map(|(value, text)| {
                let selected = value == current;
                html! { <option {value} {selected}>{ text }</option> }
            })
            .collect::<Vec<Html>>()
    };
    if per_class.is_none() && classes.len() <= 2 {
        let current = props.value.as_ref().and_then(Value::as_str).unwrap_or_default().to_owned();
        let positive = classes.get(1).map_or("the positive class".to_owned(), |c| format!("`{c}`"));
        let onchange = props.on_change.reform(|e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            (!value.is_empty()).then_some(json!(value))
        });
        return html! {
            <>
                <label for={id.clone()}>{ format!("{} (the probability of {positive})", props.param.name) }</label>
                <select id={id.clone()} {onchange} aria-invalid={invalid.to_string()} aria-describedby={described}>
                    { for options(&current) }
                </select>
            </>
        };
    }
    let given = per_class.unwrap_or_default();
    let menus = classes.iter().enumerate().map(|(i, class)| {
        let current = given.get(class).map(field_text).unwrap_or_default();
        let onchange = {
            let (given, class) = (given.clone(), class.clone());
            props.on_change.reform(move |e: Event| {
                let column = e.target_unchecked_into::<HtmlSelectElement>().value();
                let mut object = given.clone();
                if column.is_empty() {
                    object.remove(&class);
                } else {
                    object.insert(class.clone(), json!(column));
                }
                (!object.is_empty()).then_some(Value::Object(object))
            })
        };
        let menu_id = format!("{id}-{i}");
        html! {
            <span class="class-column">
                <label for={menu_id.clone()}>{ format!("P({class})") }</label>
                <select id={menu_id} {onchange} aria-invalid={invalid.to_string()} aria-describedby={described.clone()}>
                    { for options(&current) }
                </select>
            </span>
        }
    });
    html! {
        <>
            <span class="label">{ format!("{} (a column per class)", props.param.name) }</span>
            <span class="class-columns" id={id.clone()}>{ for menus }</span>
        </>
    }
}

/// `swap`: two text inputs, `from` and `to`; both empty leaves the parameter out.
fn swap(props: &ParamFieldProps, id: &AttrValue, invalid: bool) -> Html {
    let part = |name: &'static str| {
        props.value.as_ref().and_then(|v| v.get(name)).map(field_text).unwrap_or_default()
    };
    let (from, to) = (part("from"), part("to"));
    let input = |name: &'static str, value: String| {
        let other_name = if name == "from" { "to" } else { "from" };
        let other = if name == "from" { to.clone() } else { from.clone() };
        let oninput = props.on_change.reform(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            (!text.is_empty() || !other.is_empty()).then(|| json!({ name: text, other_name: other }))
        });
        html! { <input type="text" id={format!("{id}-{name}")} aria-label={format!("swap {name}")} {value} {oninput}
        aria-invalid={invalid.to_string()} /> }
    };
    html! { <span class="swap">{ input("from", from.clone()) }{ " → " }{ input("to", to.clone()) }</span> }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::render;
    use crate::checks::catalog;

    fn field(kind: &str, name: &str, value: Option<Value>, error: Option<&str>) -> ParamFieldProps {
        ParamFieldProps {
            id: "t0-x".into(),
            param: catalog::kind(kind).unwrap().param(name).unwrap(),
            value,
            columns: Rc::new(vec!["sepal_length".into(), "species".into()]),
            classes: Rc::default(),
            error: error.map(AttrValue::from),
            on_change: Callback::noop(),
        }
    }

    #[tokio::test]
    async fn a_column_is_a_menu_of_the_datas_columns_with_the_value_selected() {
        let html =
            render::<ParamField>(field("values_between", "column", Some(json!("species")), None)).await;
        assert!(html.contains(r#"<label for="t0-x">column</label>"#), "{html}");
        assert!(html.contains(r#"<option value="species" selected="selected">species</option>"#), "{html}");
        let all = render::<ParamField>(field("not_null", "column", Some(json!("*")), None)).await;
        assert!(all.contains("* (every column)"), "{all}");
    }

    #[tokio::test]
    async fn a_number_is_a_text_input_that_shows_its_error() {
        let props = field("values_between", "min", Some(json!("4.x")), Some("invalid type: string \"4.x\""));
        let html = render::<ParamField>(props).await;
        assert!(html.contains(r#"value="4.x""#) && html.contains(r#"aria-invalid="true""#), "{html}");
        assert!(html.contains(r#"aria-describedby="t0-x-error""#) && html.contains("field-error"), "{html}");
        assert!(html.contains("default: no lower bound"), "{html}");
    }

    #[tokio::test]
    async fn an_optional_choice_can_be_left_to_its_default() {
        let html = render::<ParamField>(field("metric_threshold", "on", None, None)).await;
        assert!(
            html.contains("(default: test)") && html.contains(r#"<option value="cv">cv</option>"#),
            "{html}"
        );
    }

    #[tokio::test]
    async fn regression_a_list_of_100000_columns_shows_its_first_items_and_its_count() {
        let names: Vec<String> = (0..100_000).map(|i| format!("col{i}")).collect();
        let html = render::<ParamField>(field("columns_present", "columns", Some(json!(names)), None)).await;
        assert!(html.contains("col199, … and 99800 more"), "{}", &html[..html.len().min(2000)]);
        assert!(!html.contains("col200,") && html.contains("readonly"));
        assert!(html.contains("100000 items: the first 200 are shown; edit the list in the JSON text"));
        let short =
            render::<ParamField>(field("columns_present", "columns", Some(json!(["a", "b"])), None)).await;
        assert!(short.contains(r#"value="a, b""#) && !short.contains("readonly"), "{short}");
    }

    #[tokio::test]
    async fn regression_a_column_of_a_table_of_2000_columns_is_typed_not_picked_from_a_menu() {
        let mut props = field("values_between", "column", Some(json!("c7")), None);
        props.columns = Rc::new((0..2000).map(|i| format!("c{i}")).collect());
        let html = render::<ParamField>(props).await;
        assert!(!html.contains("<option") && html.contains(r#"value="c7""#), "{html}");
        assert!(html.contains("a column name (the data has 2000)"), "{html}");
    }

    #[tokio::test]
    async fn a_swap_is_two_labelled_inputs() {
        let html =
            render::<ParamField>(field("invariance", "swap", Some(json!({"from": "a", "to": "b"})), None))
                .await;
        assert!(html.contains(r#"aria-label="swap from""#) && html.contains(r#"value="b""#), "{html}");
    }
}
