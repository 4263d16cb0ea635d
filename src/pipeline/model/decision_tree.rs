//! `decision_tree`: a CART classification tree, as scikit-learn's `DecisionTreeClassifier`.
//! The algorithm is [`crate::pipeline::tree`].

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::{failed, fit_classifier, Fitted, ModelKind, Proba, CLASSIFICATION};
use crate::pipeline::prepare::Target;
use crate::pipeline::tree::{ClassificationTree, TreeParams};
use crate::vocab::Task;
use crate::vocab::{Param, ParamError, ParamType};

/// The impurity a classification tree's splits lower.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Criterion {
    #[default]
    Gini,
    Entropy,
}

/// The hyperparameters, named as scikit-learn's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionTree {
    #[serde(default)]
    pub max_depth: Option<usize>,
    #[serde(default = "two")]
    pub min_samples_split: usize,
    #[serde(default)]
    pub criterion: Criterion,
}

pub(super) fn two() -> usize {
    2
}

/// `max_depth`, shared with the regression tree.
pub(super) const MAX_DEPTH: Param =
    Param::optional("max_depth", ParamType::Integer, "no limit", "the deepest a leaf may be");
/// `min_samples_split`, shared with the regression tree.
pub(super) const MIN_SAMPLES_SPLIT: Param =
    Param::optional("min_samples_split", ParamType::Integer, "2", "fewest rows a node needs to split");

/// The ranges of a tree's `max_depth` and `min_samples_split`.
pub(super) fn validate_tree(max_depth: Option<usize>, min_samples_split: usize) -> Result<(), ParamError> {
    if max_depth == Some(0) {
        return Err(ParamError::new("max_depth", "a tree of depth 0 has no split; use at least 1"));
    }
    if min_samples_split < 2 {
        return Err(ParamError::new(
            "min_samples_split",
            format!("{min_samples_split} is below 2: a split needs two rows"),
        ));
    }
    Ok(())
}

impl ModelKind for DecisionTree {
    const NAME: &'static str = "decision_tree";
    const TASKS: &'static [Task] = CLASSIFICATION;
    const SUMMARY: &'static str = "CART classification tree";
    const PARAMS: &'static [Param] = &[
        MAX_DEPTH,
        MIN_SAMPLES_SPLIT,
        Param::optional("criterion", ParamType::Choice(&["gini", "entropy"]), "gini", "the impurity measure"),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        validate_tree(self.max_depth, self.min_samples_split)
    }

    fn describe(&self) -> String {
        format!(
            "max_depth = {}, min_samples_split = {}, {:?}",
            self.max_depth.map_or("none".to_owned(), |d| d.to_string()),
            self.min_samples_split,
            self.criterion
        )
        .to_lowercase()
    }

    fn fit(&self, x: ArrayView2<'_, f64>, y: &Target) -> Result<Box<dyn Fitted>, String> {
        let params = TreeParams {
            max_depth: self.max_depth,
            min_samples_split: self.min_samples_split,
            criterion: self.criterion,
        };
        fit_classifier(Self::NAME, y, |labels, classes| {
            ClassificationTree::fit(x, labels, classes, &params).map_err(|e| failed(Self::NAME)(&e))
        })
    }
}

impl Proba for ClassificationTree {
    fn proba(&self, x: ArrayView2<'_, f64>) -> Array2<f64> {
        self.predict_proba(x)
    }
}
