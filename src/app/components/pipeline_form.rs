//! The suite's pipeline as a form: target and task, the model's inputs, the split, the
//! preprocessing steps, and the model with a field per hyperparameter of its kind (from
//! [`crate::pipeline::model::MODELS`], so no model has a hand-written form). Every field's
//! metadata sits next to the type it fills: [`InputSpec::PARAMS`], [`SplitSpec::PARAMS`],
//! [`PreprocessStep::PARAMS`], [`model::KIND_PARAM`].

use std::rc::Rc;

use serde_json::{json, Value};
use yew::prelude::*;

use super::param_field::ParamField;
use crate::app::suite_doc::SuiteEdit;
use crate::checks::Param;
use crate::pipeline::model::{self, model_info};
use crate::pipeline::prepare::InputSpec;
use crate::pipeline::preprocess::PreprocessStep;
use crate::pipeline::split::SplitSpec;

#[derive(Properties, PartialEq)]
pub struct PipelineFormProps {
    /// The suite document.
    pub doc: Rc<Value>,
    pub columns: Rc<Vec<String>>,
    /// The target's classes when the data shows them all (the per-class score columns of a
    /// model brought as predictions).
    #[prop_or_default]
    pub classes: Rc<Vec<String>>,
    /// The engine's error when it is outside the tests: its path (`model.c`) and message.
    #[prop_or_default]
    pub error: Option<(AttrValue, AttrValue)>,
    pub on_edit: Callback<SuiteEdit>,
}

#[component]
pub fn PipelineForm(props: &PipelineFormProps) -> Html {
    let doc = &props.doc;
    let error_at = |path: &str| props.error.as_ref().filter(|(p, _)| p == path).map(|(_, m)| m.clone());
    let field = |id: String,
                 param: &'static Param,
                 value: Option<Value>,
                 error: Option<AttrValue>,
                 on_change| {
        html! { <ParamField id={id} {param} {value} columns={props.columns.clone()} classes={props.classes.clone()} {error} {on_change} /> }
    };
    let top = InputSpec::PARAMS.iter().map(|param| {
        let on_change = props.on_edit.reform(move |value| SuiteEdit::SetTop { field: param.name, value });
        field(
            format!("suite-{}", param.name),
            param,
            doc.get(param.name).cloned(),
            error_at(param.name),
            on_change,
        )
    });
    let split = SplitSpec::PARAMS.iter().map(|param| {
        let on_change =
            props.on_edit.reform(move |value| SuiteEdit::SetSplit { name: param.name.into(), value });
        let value = doc.get("split").and_then(|s| s.get(param.name)).cloned();
        field(
            format!("split-{}", param.name),
            param,
            value,
            error_at(&format!("split.{}", param.name)),
            on_change,
        )
    });
    let steps = doc.get("preprocess").and_then(Value::as_array).cloned().unwrap_or_default();
    let preprocess = PreprocessStep::PARAMS.iter().map(|param| {
        let on_change = props.on_edit.reform(move |value: Option<Value>| SuiteEdit::SetPreprocess {
            step: param.name,
            value: value.and_then(|v| v.as_str().map(str::to_owned)),
        });
        let value = steps.iter().find_map(|s| s.get(param.name)).cloned();
        let error = props.error.as_ref().filter(|(p, _)| p.starts_with("preprocess")).map(|(_, m)| m.clone());
        field(
            format!("step-{}", param.name),
            param,
            value,
            error.filter(|_| param.name == "impute"),
            on_change,
        )
    });
    let model = doc.get("model");
    let kind = model.and_then(|m| m.get("kind")).and_then(Value::as_str).unwrap_or_default();
    let on_kind = props.on_edit.reform(|value: Option<Value>| {
        SuiteEdit::SetModelKind(value.and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default())
    });
    let kind_error = error_at("model.kind").or_else(|| error_at("model"));
    let hyper = model_info(kind).map(|info| info.params).unwrap_or_default().iter().map(|param| {
        let on_change =
            props.on_edit.reform(move |value| SuiteEdit::SetModelParam { name: param.name.into(), value });
        let value = model.and_then(|m| m.get(param.name)).cloned();
        field(
            format!("model-{}", param.name),
            param,
            value,
            error_at(&format!("model.{}", param.name)),
            on_change,
        )
    });
    // A model brought as predictions is not trained: nothing to split or preprocess.
    let trains = model_info(kind).is_none_or(|info| info.name != "predictions");
    // Errors elsewhere outside the tests (`data.source`, …) are shown under the form.
    let shown = ["target", "task", "features", "drop", "split.", "preprocess", "model"];
    let other = props.error.as_ref().filter(|(p, _)| !shown.iter().any(|s| p.starts_with(s)));
    html! {
        <fieldset class="pipeline-form">
            <legend class="visually-hidden">{ "Pipeline and model" }</legend>
            <div class="params">{ for top }</div>
            if trains {
                <h4>{ "Split" }</h4>
                <div class="params">{ for split }</div>
                <h4>{ "Preprocess" }</h4>
                <div class="params">{ for preprocess }</div>
            }
            <h4>{ "Model" }</h4>
            <div class="params">
                { field("model-kind".into(), &model::KIND_PARAM, (!kind.is_empty()).then(|| json!(kind)), kind_error, on_kind) }
                { for hyper }
            </div>
            if let Some((path, message)) = other {
                <p class="field-error" role="alert">{ format!("{path}: {message}") }</p>
            }
        </fieldset>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::render;
    use crate::app::state::INITIAL_SUITE;

    fn form(doc: &str, error: Option<(&str, &str)>) -> PipelineFormProps {
        PipelineFormProps {
            doc: Rc::new(serde_json::from_str(doc).unwrap()),
            columns: Rc::new(vec!["sepal_length".into(), "species".into()]),
            classes: Rc::default(),
            error: error.map(|(p, m)| (AttrValue::from(p.to_owned()), AttrValue::from(m.to_owned()))),
            on_edit: Callback::noop(),
        }
    }

    #[tokio::test]
    async fn the_form_shows_the_iris_pipeline_and_the_models_hyperparameters() {
        let html = render::<PipelineForm>(form(INITIAL_SUITE, None)).await;
        assert!(html.contains(r#"<option value="species" selected="selected">species</option>"#), "{html}");
        assert!(html.contains(r#"<option value="logistic_regression" selected="selected">"#), "{html}");
        assert!(
            html.contains(r#"for="model-max_iterations""#) && html.contains(r#"for="model-c""#),
            "{html}"
        );
        assert!(html.contains(r#"<option value="standard" selected="selected">"#), "{html}");
        assert!(html.contains(r#"<input value="0.2" type="text" id="split-test_size""#), "{html}");
    }

    /// A model brought as predictions: no split or preprocessing; its scores a menu for the
    /// positive class's column (two classes) or one per class.
    #[tokio::test]
    async fn the_predictions_model_picks_its_columns() {
        let binary =
            r#"{"target": "y", "model": {"kind": "predictions", "prediction": "pred", "scores": "p"}}"#;
        let props = PipelineFormProps {
            columns: Rc::new(vec!["y".into(), "pred".into(), "p".into(), "pa".into()]),
            classes: Rc::new(vec!["no".into(), "yes".into()]),
            ..form(binary, None)
        };
        let html = render::<PipelineForm>(props).await;
        assert!(!html.contains("Split") && !html.contains("Preprocess"), "{html}");
        assert!(html.contains("scores (the probability of `yes`)"), "{html}");
        assert!(html.contains(r#"<option value="p" selected="selected">p</option>"#), "{html}");
        let per_class = r#"{"target": "y", "model": {"kind": "predictions", "prediction": "pred", "scores": {"a": "pa"}}}"#;
        let props = PipelineFormProps {
            columns: Rc::new(vec!["y".into(), "pred".into(), "pa".into(), "pb".into(), "pc".into()]),
            classes: Rc::new(vec!["a".into(), "b".into(), "c".into()]),
            ..form(per_class, None)
        };
        let html = render::<PipelineForm>(props).await;
        for class in ["P(a)", "P(b)", "P(c)"] {
            assert!(html.contains(class), "{class}: {html}");
        }
        assert!(html.contains(r#"<option value="pa" selected="selected">pa</option>"#), "{html}");
    }

    #[tokio::test]
    async fn a_model_error_is_shown_at_its_hyperparameter() {
        let html =
            render::<PipelineForm>(form(INITIAL_SUITE, Some(("model.c", "-1 must be a positive number"))))
                .await;
        assert!(html.contains(r#"aria-describedby="model-c-error""#), "{html}");
    }

    /// The form's own fields are checked against the serde types they write, as the
    /// catalogue's are (`checks::catalog` tests).
    #[test]
    fn the_split_and_preprocess_fields_are_the_ones_serde_reads() {
        use crate::checks::catalog::tests::{serde_fields, UNKNOWN};
        let names = |params: &[Param]| {
            let mut names: Vec<String> = params.iter().map(|p| p.name.to_owned()).collect();
            names.sort();
            names
        };
        let fields = |err: String| {
            let mut fields = serde_fields(&err);
            fields.sort();
            fields
        };
        let split = serde_json::from_value::<SplitSpec>(json!({ UNKNOWN: 0 })).unwrap_err();
        assert_eq!(names(SplitSpec::PARAMS), fields(split.to_string()));
        let step = serde_json::from_value::<PreprocessStep>(json!({ UNKNOWN: 0 })).unwrap_err();
        assert_eq!(names(PreprocessStep::PARAMS), fields(step.to_string()));
    }

    #[test]
    fn every_choice_of_the_form_is_read_by_the_engine() {
        use crate::app::suite_doc::apply;
        use crate::checks::ParamType;
        let parse = |text: &str| crate::suite::parse(text, crate::suite::Format::Json, "s.json");
        for step in PreprocessStep::PARAMS {
            let ParamType::Choice(choices) = step.ty else { panic!("{} is a menu", step.name) };
            for choice in choices {
                let edit = SuiteEdit::SetPreprocess { step: step.name, value: Some((*choice).to_owned()) };
                let text = apply(INITIAL_SUITE, &edit, &[]).unwrap();
                assert!(parse(&text).is_ok(), "{}: {choice}", step.name);
            }
        }
        for task in ["classification", "regression"] {
            let text =
                apply(INITIAL_SUITE, &SuiteEdit::SetTop { field: "task", value: Some(json!(task)) }, &[]);
            let err = parse(&text.unwrap()).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(!err.contains("unknown variant"), "{err}");
        }
        for model in model::MODEL_KINDS {
            let text = apply(INITIAL_SUITE, &SuiteEdit::SetModelKind((*model).into()), &[]).unwrap();
            let err = parse(&text).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(!err.contains("unknown variant"), "{model}: {err}");
        }
    }
}
