//! `decision_tree_regressor`: a CART regression tree (squared error, leaf means), as
//! scikit-learn's `DecisionTreeRegressor`. The algorithm is [`crate::pipeline::tree`].

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use super::decision_tree::{two, validate_tree, Criterion, MAX_DEPTH, MIN_SAMPLES_SPLIT};
use super::{failed, regression_values, Fitted, ModelKind, Output, REGRESSION};
use crate::pipeline::prepare::Target;
use crate::pipeline::tree::{RegressionTree, TreeParams};
use crate::vocab::Task;
use crate::vocab::{Param, ParamError};

/// The hyperparameters, named as scikit-learn's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionTreeRegressor {
    #[serde(default)]
    pub max_depth: Option<usize>,
    #[serde(default = "two")]
    pub min_samples_split: usize,
}

impl ModelKind for DecisionTreeRegressor {
    const NAME: &'static str = "decision_tree_regressor";
    const TASKS: &'static [Task] = REGRESSION;
    const SUMMARY: &'static str = "CART regression tree";
    const PARAMS: &'static [Param] = &[MAX_DEPTH, MIN_SAMPLES_SPLIT];

    fn validate(&self) -> Result<(), ParamError> {
        validate_tree(self.max_depth, self.min_samples_split)
    }

    fn describe(&self) -> String {
        format!(
            "max_depth = {}, min_samples_split = {}",
            self.max_depth.map_or("none".to_owned(), |d| d.to_string()),
            self.min_samples_split
        )
    }

    fn fit(&self, x: ArrayView2<'_, f64>, y: &Target) -> Result<Box<dyn Fitted>, String> {
        let values = regression_values(Self::NAME, y)?;
        // The criterion is squared error; `criterion` only applies to classifiers.
        let params = TreeParams {
            max_depth: self.max_depth,
            min_samples_split: self.min_samples_split,
            criterion: Criterion::Gini,
        };
        let tree = RegressionTree::fit(x, values, &params).map_err(|e| failed(Self::NAME)(&e))?;
        Ok(Box::new(tree))
    }
}

impl Fitted for RegressionTree {
    fn predict(&self, x: ArrayView2<'_, f64>) -> Output {
        Output::Values(RegressionTree::predict(self, x))
    }
}
