//! The models: one [`ModelKind`] per file, listed once in the `models!` list below.
//!
//! [`ModelSpec`] is the suite's `model`: a serde enum tagged by `kind`, one variant per
//! model, generated from the list, so the name in the suite file, the hyperparameters'
//! struct and the code that trains it cannot drift apart. Hyperparameters are named and
//! scaled as in scikit-learn where the two differ (logistic regression's `c` is sklearn's
//! `C`; ridge's `alpha` is `Ridge(alpha)`), so a suite reads the same to a scikit-learn user.
//! [`MODELS`] describes every kind for the suite editor's model form. [`Model`] is a trained
//! model; [`Output`] its predictions, with class probabilities for classifiers so ROC AUC and
//! log loss can be computed.
//!
//! Logistic regression ([`super::logistic`]), naive Bayes ([`super::naive_bayes`]), ridge
//! and least squares ([`super::ridge`]), the trees ([`super::tree`]), the nearest-neighbour
//! search ([`super::knn`]) and the support vector classifier ([`super::svm`]) are the
//! engine's own algorithms; elastic net is linfa 0.8's. All are pure Rust: the same code
//! trains natively and in the browser.
//!
//! # Adding a model
//!
//! 1. One file here, `src/pipeline/model/<name>.rs`, holding the hyperparameters' struct
//!    (`#[derive(Serialize, Deserialize)]`, `#[serde(deny_unknown_fields)]`, a
//!    `#[serde(default = …)]` on every field: the kind alone is a model) and its
//!    [`ModelKind`] impl: name, tasks, summary, [`ModelKind::PARAMS`] for the form,
//!    `validate`, `describe` and `fit`, which returns a [`Fitted`] model. A classifier fits
//!    through [`fit_classifier`], a regressor reads its targets with [`regression_values`].
//!    Its tests sit at the bottom of the same file. An algorithm long enough to want its own
//!    file goes in `src/pipeline/` beside [`super::tree`] and [`super::ridge`].
//! 2. One line in the `models!` list below: `VariantName: file::Type,`. The variant's name
//!    in snake case is the `kind` in the suite file and must equal [`ModelKind::NAME`].
//! 3. Nothing else: the model form, the suite reader and the catalogue tests (in
//!    `checks::catalog`, which compare `PARAMS` with the fields serde reads) follow the list.

use std::fmt::Display;

use ndarray::{Array2, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

use super::limits::{count, MAX_ITERATIONS};
use super::prepare::Target;
use crate::vocab::Task;
use crate::vocab::{Param, ParamError, ParamType};

pub mod decision_tree;
pub mod decision_tree_regressor;
pub mod elastic_net;
pub mod gaussian_nb;
pub mod knn;
pub mod linear_regression;
pub mod logistic_regression;
pub mod predictions;
pub mod ridge;
pub mod svm;

pub use decision_tree::Criterion;
pub use svm::Kernel;

/// One model kind: its hyperparameters are the implementing type.
pub trait ModelKind {
    /// The `kind` in the suite file: the variant's name in the `models!` list, in snake case.
    const NAME: &'static str;

    /// The tasks it can learn.
    const TASKS: &'static [Task];

    /// One line for the model form: what the model is.
    const SUMMARY: &'static str;

    /// Every hyperparameter, for the model form (tests in `checks::catalog` check the list
    /// against the serde struct). All are optional.
    const PARAMS: &'static [Param];

    /// Checks each hyperparameter's range, naming the parameter.
    fn validate(&self) -> Result<(), ParamError> {
        Ok(())
    }

    /// The hyperparameters in a few words, for execution tables: `c = 1, max 100 iterations`.
    fn describe(&self) -> String;

    /// Refuses a train part the model cannot hold, before the preprocessing it would waste
    /// (an SVM's kernel is rows × rows).
    fn check_train_rows(&self, _rows: usize) -> Result<(), String> {
        Ok(())
    }

    /// Where a model that is not trained reads its outputs (the `predictions` model); `None`
    /// for a model the engine trains.
    fn reads_outputs(&self) -> Option<&predictions::Predictions> {
        None
    }

    /// Trains on `x` (one row per sample, at least one) and `y`. Errors say what went wrong
    /// in plain words.
    fn fit(&self, x: ArrayView2<'_, f64>, y: &Target) -> Result<Box<dyn Fitted>, String>;
}

/// A trained model of some kind.
pub trait Fitted {
    /// Predicts the rows of `x`: a class and every class's probability, or a value.
    fn predict(&self, x: ArrayView2<'_, f64>) -> Output;
}

/// A model kind as the suite editor's model form shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelInfo {
    pub name: &'static str,
    /// The tasks it can learn.
    pub tasks: &'static [Task],
    pub summary: &'static str,
    pub params: &'static [Param],
}

macro_rules! models {
    ($($variant:ident: $ty:ty,)*) => {
        /// The suite's `model`.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
        pub enum ModelSpec {
            $($variant($ty),)*
        }

        /// Every model kind's name, in the order the model form lists them.
        pub const MODEL_KINDS: &[&str] = &[$(<$ty as ModelKind>::NAME),*];

        /// Every model kind, in the order the model form lists them.
        pub const MODELS: &[ModelInfo] = &[$(ModelInfo {
            name: <$ty as ModelKind>::NAME,
            tasks: <$ty as ModelKind>::TASKS,
            summary: <$ty as ModelKind>::SUMMARY,
            params: <$ty as ModelKind>::PARAMS,
        }),*];

        impl ModelSpec {
            /// The kind's name in the suite file.
            pub fn kind(&self) -> &'static str {
                match self { $(ModelSpec::$variant(_) => <$ty as ModelKind>::NAME,)* }
            }

            /// Whether the model can learn `task`.
            pub fn supports(&self, task: Task) -> bool {
                match self { $(ModelSpec::$variant(_) => <$ty as ModelKind>::TASKS.contains(&task),)* }
            }

            /// Checks each hyperparameter's range, naming the parameter.
            pub fn validate(&self) -> Result<(), ParamError> {
                match self { $(ModelSpec::$variant(p) => p.validate(),)* }
            }

            /// See [`ModelKind::reads_outputs`].
            pub fn reads_outputs(&self) -> Option<&predictions::Predictions> {
                match self { $(ModelSpec::$variant(p) => p.reads_outputs(),)* }
            }

            /// Refuses a train part the model cannot hold (an SVM's kernel matrix). Checked
            /// before preprocessing, and again by [`fit`](Self::fit).
            pub fn check_train_rows(&self, rows: usize) -> Result<(), String> {
                match self { $(ModelSpec::$variant(p) => p.check_train_rows(rows),)* }
            }

            /// A short description for execution tables: `logistic_regression (c = 1, max 100 iterations)`.
            pub fn describe(&self) -> String {
                let params = match self { $(ModelSpec::$variant(p) => p.describe(),)* };
                format!("{} ({params})", self.kind())
            }

            /// Trains on `x` (one row per sample) and `y`. Errors say what went wrong in plain words.
            pub fn fit(&self, x: ArrayView2<'_, f64>, y: &Target) -> Result<Model, String> {
                if x.nrows() == 0 {
                    return Err("there are no train rows".to_owned());
                }
                self.check_train_rows(x.nrows())?;
                let inner = match self { $(ModelSpec::$variant(p) => p.fit(x, y)?,)* };
                Ok(Model { inner })
            }
        }
    };
}

models! {
    LogisticRegression: logistic_regression::LogisticRegression,
    DecisionTree: decision_tree::DecisionTree,
    GaussianNb: gaussian_nb::GaussianNb,
    Knn: knn::Knn,
    Svm: svm::Svm,
    LinearRegression: linear_regression::LinearRegression,
    Ridge: ridge::Ridge,
    ElasticNet: elastic_net::ElasticNet,
    DecisionTreeRegressor: decision_tree_regressor::DecisionTreeRegressor,
    Predictions: predictions::Predictions,
}

impl ModelInfo {
    /// The smallest model of this kind: its `kind` and the start value of each required
    /// parameter (`predictions` needs its column; every other kind is its name alone).
    pub fn starter(&self) -> serde_json::Value {
        let mut model = serde_json::Map::new();
        model.insert("kind".into(), self.name.into());
        for param in self.params.iter().filter(|p| p.required) {
            let start = param.start.and_then(|s| serde_json::from_str(s).ok());
            model.insert(param.name.into(), start.unwrap_or(serde_json::Value::Null));
        }
        serde_json::Value::Object(model)
    }
}

/// The model form's entry for the kind named `name`.
pub fn model_info(name: &str) -> Option<&'static ModelInfo> {
    MODELS.iter().find(|m| m.name == name)
}

/// The model form's menu of kinds.
pub const KIND_PARAM: Param =
    Param::optional("model", ParamType::Choice(MODEL_KINDS), "no model", "the model trained");

// Task lists and hyperparameters several kinds share.
pub(super) const CLASSIFICATION: &[Task] = &[Task::Classification];
pub(super) const REGRESSION: &[Task] = &[Task::Regression];

/// A trained model.
pub struct Model {
    inner: Box<dyn Fitted>,
}

impl Model {
    /// Predicts the rows of `x`.
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Output {
        self.inner.predict(x)
    }
}

/// A model's predictions for some rows.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// The predicted class of each row and each class's probability (rows × classes).
    Classes {
        labels: Vec<usize>,
        proba: Array2<f64>,
    },
    Values(Vec<f64>),
}

impl Output {
    /// Whether a classifier's output holds class probabilities: a `predictions` model without
    /// `scores` gives labels only (its `proba` has no column).
    pub fn has_proba(&self) -> bool {
        match self {
            Output::Classes { proba, .. } => proba.ncols() > 0,
            Output::Values(_) => false,
        }
    }

    /// The outputs of the rows at `rows` (indices into these outputs), in that order.
    pub fn select(&self, rows: &[usize]) -> Output {
        match self {
            Output::Classes { labels, proba } => Output::Classes {
                labels: rows.iter().map(|&r| labels[r]).collect(),
                proba: proba.select(Axis(0), rows),
            },
            Output::Values(values) => Output::Values(rows.iter().map(|&r| values[r]).collect()),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Output::Classes { labels, .. } => labels.len(),
            Output::Values(values) => values.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A classifier trained on the classes present in its train rows.
pub trait Proba {
    /// Probabilities over the classes it was trained on (rows × present classes).
    fn proba(&self, x: ArrayView2<'_, f64>) -> Array2<f64>;

    /// Each row's class among those it was trained on, and the probabilities. The most
    /// probable class unless the model decides otherwise (an SVM's one-vs-one vote, which
    /// its scores do not always rank first).
    fn classify(&self, x: ArrayView2<'_, f64>) -> (Vec<usize>, Array2<f64>) {
        let proba = self.proba(x);
        (argmax_rows(&proba), proba)
    }
}

/// A classifier with the map from its own classes to the target's.
struct Classifier<M> {
    model: M,
    /// `present[i]` is the target's class of the model's class `i`.
    present: Vec<usize>,
    n_classes: usize,
}

impl<M: Proba> Fitted for Classifier<M> {
    fn predict(&self, x: ArrayView2<'_, f64>) -> Output {
        let (local_labels, local) = self.model.classify(x);
        let mut proba = Array2::zeros((x.nrows(), self.n_classes));
        for (i, &class) in self.present.iter().enumerate() {
            proba.column_mut(class).assign(&local.column(i));
        }
        let labels = local_labels.iter().map(|&label| self.present[label]).collect();
        Output::Classes { labels, proba }
    }
}

/// Trains a classifier named `name` with `fit`, which receives the train rows' classes
/// renumbered over the classes present (`0..present`) and their count. A class can be
/// absent from a small train part; the model learns the classes present and predicts
/// probability 0 for the others.
pub(super) fn fit_classifier<M: Proba + 'static>(
    name: &str,
    y: &Target,
    fit: impl FnOnce(&[usize], usize) -> Result<M, String>,
) -> Result<Box<dyn Fitted>, String> {
    let Target::Classes { codes, names } = y else {
        return Err(format!("{name} is a classifier: use it with `\"task\": \"classification\"`"));
    };
    let present = present_classes(codes, names.len());
    if present.len() < 2 {
        return Err(format!(
            "the train rows hold one class (`{}`): a classifier needs at least two",
            names[present[0]]
        ));
    }
    let local: Vec<usize> = codes.iter().map(|c| present.binary_search(c).unwrap_or(0)).collect();
    let model = fit(&local, present.len())?;
    Ok(Box::new(Classifier { model, present, n_classes: names.len() }))
}

/// The train targets of a regressor named `name`.
pub(super) fn regression_values<'y>(name: &str, y: &'y Target) -> Result<&'y [f64], String> {
    match y {
        Target::Values(values) => Ok(values),
        Target::Classes { .. } => {
            Err(format!("{name} is a regression model: use it with `\"task\": \"regression\"`"))
        }
    }
}

/// An algorithm's error, prefixed by the model that failed.
pub(super) fn failed(name: &str) -> impl Fn(&dyn Display) -> String + '_ {
    move |e| format!("{name} could not be trained: {e}")
}

/// The classes that occur in `codes`, ascending.
fn present_classes(codes: &[usize], n_classes: usize) -> Vec<usize> {
    let mut seen = vec![false; n_classes];
    for &c in codes {
        seen[c] = true;
    }
    (0..n_classes).filter(|&c| seen[c]).collect()
}

/// Each row's most probable class; ties go to the lower class, as numpy's argmax.
pub(super) fn argmax_rows(proba: &Array2<f64>) -> Vec<usize> {
    proba
        .axis_iter(Axis(0))
        .map(|row| {
            let mut best = 0;
            for (class, &p) in row.iter().enumerate() {
                if p > row[best] {
                    best = class;
                }
            }
            best
        })
        .collect()
}

/// `value` is a positive finite number.
pub(super) fn positive(field: &'static str, value: f64) -> Result<(), ParamError> {
    if value > 0.0 && value.is_finite() {
        Ok(())
    } else {
        Err(ParamError::new(field, format!("{value} must be a positive number")))
    }
}

/// `value` is zero or a positive finite number.
pub(super) fn non_negative(field: &'static str, value: f64) -> Result<(), ParamError> {
    if value >= 0.0 && value.is_finite() {
        Ok(())
    } else {
        Err(ParamError::new(field, format!("{value} must be zero or more")))
    }
}

/// `max_iterations` from 1 to [`MAX_ITERATIONS`].
pub(super) fn iterations(max_iterations: u64) -> Result<(), ParamError> {
    if max_iterations == 0 {
        return Err(ParamError::new("max_iterations", "0 iterations train nothing; use at least 1"));
    }
    if max_iterations > MAX_ITERATIONS {
        return Err(ParamError::new(
            "max_iterations",
            format!(
                "{} is above the limit of {} iterations; a fit that has not converged by then will not",
                count(usize::try_from(max_iterations).unwrap_or(usize::MAX)),
                count(MAX_ITERATIONS as usize)
            ),
        ));
    }
    Ok(())
}

/// The checks every model of the engine's own makes of its train inputs: rows to learn from,
/// one label per row, and only finite numbers (preprocessing imputes missing cells, so a
/// NaN or infinity here is a bug or an unscaled extreme, named by its row and input).
pub(in crate::pipeline) fn check_train_inputs<T>(x: ArrayView2<'_, f64>, y: &[T]) -> Result<(), String> {
    if x.nrows() == 0 || x.nrows() != y.len() {
        return Err(format!("{} train rows and {} labels", x.nrows(), y.len()));
    }
    if x.ncols() == 0 {
        return Err("the train rows have no inputs".to_owned());
    }
    if x.iter().all(|v| v.is_finite()) {
        return Ok(());
    }
    // Only on the error path: indexed iteration is several times slower than plain.
    let ((row, column), _) = x.indexed_iter().find(|(_, v)| !v.is_finite()).expect("a value is not finite");
    Err(format!("train row {row}, input {column} is not a finite number"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn each_kinds_name_is_its_variant_in_snake_case() {
        for info in MODELS {
            let spec: ModelSpec = serde_json::from_value(info.starter()).unwrap();
            assert_eq!(spec.kind(), info.name);
            assert_eq!(serde_json::to_value(&spec).unwrap()["kind"], json!(info.name));
        }
    }

    #[test]
    fn a_model_serialises_as_the_suite_writes_it() {
        // The suite file's spelling, which share links and saved suites carry.
        let text = r#"{"kind":"logistic_regression","max_iterations":100,"c":1.0}"#;
        let spec: ModelSpec = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&spec).unwrap(), text);
        let tree = r#"{"kind":"decision_tree","max_depth":null,"min_samples_split":2,"criterion":"gini"}"#;
        assert_eq!(serde_json::to_string(&serde_json::from_str::<ModelSpec>(tree).unwrap()).unwrap(), tree);
        let ols = r#"{"kind":"linear_regression"}"#;
        assert_eq!(serde_json::to_string(&serde_json::from_str::<ModelSpec>(ols).unwrap()).unwrap(), ols);
    }

    #[test]
    fn a_regressor_asked_for_classes_says_so() {
        let spec: ModelSpec = serde_json::from_value(json!({"kind": "ridge"})).unwrap();
        let x = Array2::<f64>::zeros((4, 1));
        let y = Target::Classes { codes: vec![0, 1, 0, 1], names: vec!["a".into(), "b".into()] };
        let err = spec.fit(x.view(), &y).err().unwrap();
        assert_eq!(err, "ridge is a regression model: use it with `\"task\": \"regression\"`");
    }
}
