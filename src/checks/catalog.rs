//! What the suite editor's forms know of each test kind and model: a one-line summary and
//! every parameter with its type, whether it is required, its default and a line of help.
//!
//! The metadata sits next to the serde types it describes (associated consts of
//! [`super::TestKind`], [`crate::pipeline::model::MODELS`]) and the registry lists it
//! ([`super::CATALOG`]); the tests below read serde's own list of each type's fields, so a
//! parameter added to a struct and not described here fails `cargo test`.
//!
//! The parameter types themselves ([`Param`], [`ParamType`]) are in [`crate::vocab`], below
//! both the models and the test kinds that describe themselves with them.

use crate::vocab::{Family, Param, ParamType};

/// A test kind as the catalogue lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindInfo {
    pub name: &'static str,
    pub family: Family,
    pub summary: &'static str,
    pub params: &'static [Param],
}

impl KindInfo {
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// The catalogue entry of the kind named `name`.
pub fn kind(name: &str) -> Option<&'static KindInfo> {
    super::CATALOG.iter().find(|k| k.name == name)
}

// Choices shared by several kinds, spelled as serde spells them.
pub const METRICS: &[&str] =
    &["accuracy", "precision", "recall", "f1", "roc_auc", "log_loss", "mcc", "rmse", "mse", "mae", "r2"];
pub const AVERAGES: &[&str] = &["binary", "macro", "weighted"];
pub const OPS: &[&str] = &[">", ">=", "<", "<="];

/// `metric` and `average` as the threshold and integration kinds that default them take them.
pub const METRIC_DEFAULTED: Param = Param::optional(
    "metric",
    ParamType::Choice(METRICS),
    "accuracy, or r2 for regression",
    "the score compared",
);
pub const AVERAGE: Param = Param::optional(
    "average",
    ParamType::Choice(AVERAGES),
    "binary with two classes, else macro",
    "how per-class precision, recall and F1 combine",
);

#[cfg(test)]
pub(crate) mod tests {
    use serde_json::{json, Map, Value};

    use super::*;
    use crate::checks::{Check, CATALOG, KINDS};
    use crate::pipeline::model::{ModelSpec, MODELS};
    use crate::suite::{self, Format};

    /// The field names serde lists when it rejects an unknown field: the struct's own list,
    /// so the metadata is compared with the code, not with a copy of it.
    pub(crate) fn serde_fields(error: &str) -> Vec<String> {
        let Some((_, expected)) = error.split_once("`, expected ") else { return Vec::new() };
        expected.split('`').skip(1).step_by(2).map(str::to_owned).collect()
    }

    pub(crate) const UNKNOWN: &str = "zz_not_a_parameter";

    #[test]
    fn every_kind_is_in_the_catalogue_in_registry_order() {
        let names: Vec<&str> = CATALOG.iter().map(|k| k.name).collect();
        assert_eq!(names, KINDS);
        for info in CATALOG {
            assert!(!info.summary.is_empty() && !info.summary.ends_with('.'), "{}", info.name);
            assert!(info.params.iter().all(|p| !p.help.is_empty()), "{}", info.name);
        }
    }

    #[test]
    fn each_kinds_metadata_lists_exactly_the_fields_serde_reads() {
        for info in CATALOG {
            let err = match Check::from_params(info.name, json!({ UNKNOWN: 0 })) {
                Some(Err(err)) => err.into_inner().to_string(),
                other => panic!("{}: an unknown field was accepted: {other:?}", info.name),
            };
            assert!(err.contains(UNKNOWN), "{}: {err}", info.name);
            let mut serde: Vec<String> = serde_fields(&err);
            let mut listed: Vec<String> = info.params.iter().map(|p| p.name.to_owned()).collect();
            serde.sort();
            listed.sort();
            assert_eq!(listed, serde, "{}: the metadata and the struct disagree", info.name);
        }
    }

    /// A suite with a model, so tests of every family may appear in it.
    fn suite_with(test: Value) -> Value {
        json!({
            "version": 1, "data": {"source": "sample:iris"}, "target": "species",
            "task": "classification", "model": {"kind": "logistic_regression"}, "tests": [test]
        })
    }

    fn starter(info: &KindInfo) -> Map<String, Value> {
        let mut test = Map::new();
        test.insert("id".into(), json!("t"));
        test.insert("kind".into(), json!(info.name));
        for param in info.params {
            if let Some(start) = param.start {
                let value = serde_json::from_str(start).unwrap_or_else(|e| panic!("{}: {e}", param.name));
                test.insert(param.name.into(), value);
            }
            assert!(!param.required || param.start.is_some(), "{}.{}", info.name, param.name);
        }
        test
    }

    #[test]
    fn a_new_test_of_each_kind_from_its_start_values_parses() {
        for info in CATALOG {
            let value = suite_with(Value::Object(starter(info)));
            if let Err(err) = suite::from_value(value, "s.json") {
                panic!("{}: {err}", info.name);
            }
        }
    }

    #[test]
    fn the_every_kind_suite_uses_only_listed_parameters() {
        let suite = suite::tests::every_kind_suite();
        for test in suite["tests"].as_array().unwrap() {
            let kind = kind(test["kind"].as_str().unwrap()).unwrap();
            for name in test.as_object().unwrap().keys() {
                let common = ["id", "kind", "severity", "enabled", "description"].contains(&name.as_str());
                assert!(common || kind.param(name).is_some(), "{}: {name} is not listed", kind.name);
            }
        }
        assert!(suite::parse(&suite.to_string(), Format::Json, "s.json").is_ok());
    }

    #[test]
    fn each_models_metadata_lists_exactly_its_hyperparameters() {
        let err = serde_json::from_value::<ModelSpec>(json!({"kind": UNKNOWN})).unwrap_err().to_string();
        let mut kinds: Vec<&str> = MODELS.iter().map(|m| m.name).collect();
        let mut serde_kinds = serde_fields(&err);
        kinds.sort();
        serde_kinds.sort();
        assert_eq!(kinds, serde_kinds, "{err}");
        for model in MODELS {
            let err = serde_json::from_value::<ModelSpec>(json!({"kind": model.name, UNKNOWN: 0}))
                .unwrap_err()
                .to_string();
            assert!(err.contains(UNKNOWN), "{}: {err}", model.name);
            let mut serde = serde_fields(&err);
            let mut listed: Vec<String> = model.params.iter().map(|p| p.name.to_owned()).collect();
            serde.sort();
            listed.sort();
            assert_eq!(listed, serde, "{}", model.name);
            // Every hyperparameter has a default, but a column a model reads (the `predictions`
            // model's) has a start: the kind and its starts are a model.
            assert!(model.params.iter().all(|p| !p.required || p.start.is_some()), "{}", model.name);
            let spec: ModelSpec = serde_json::from_value(model.starter()).unwrap();
            assert_eq!(spec.kind(), model.name);
            for param in model.params {
                let ParamType::Choice(choices) = param.ty else { continue };
                for choice in choices {
                    let mut with = model.starter();
                    with[param.name] = json!(choice);
                    let read = serde_json::from_value::<ModelSpec>(with);
                    assert!(read.is_ok(), "{}.{} = {choice}: {read:?}", model.name, param.name);
                }
            }
        }
    }

    #[test]
    fn a_choice_lists_the_names_serde_reads() {
        for info in CATALOG {
            for param in info.params {
                let ParamType::Choice(choices) = param.ty else { continue };
                for choice in choices {
                    let mut test = starter(info);
                    test.insert(param.name.into(), json!(choice));
                    let err = suite::from_value(suite_with(Value::Object(test)), "s.json").err();
                    // A choice may conflict with another parameter (`average` of accuracy);
                    // what it must not be is a name serde does not know.
                    let text = err.map(|e| e.to_string()).unwrap_or_default();
                    assert!(!text.contains("unknown variant"), "{}.{}: {text}", info.name, param.name);
                }
            }
        }
    }
}
