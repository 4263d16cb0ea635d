//! `gaussian_nb`: Gaussian naive Bayes, as scikit-learn's `GaussianNB`. The algorithm is
//! [`crate::pipeline::naive_bayes`].

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::{failed, fit_classifier, non_negative, Fitted, ModelKind, Proba, CLASSIFICATION};
use crate::pipeline::naive_bayes;
use crate::pipeline::prepare::Target;
use crate::vocab::Task;
use crate::vocab::{Param, ParamError, ParamType};

/// The hyperparameters, named as scikit-learn's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GaussianNb {
    #[serde(default = "default_var_smoothing")]
    pub var_smoothing: f64,
}

fn default_var_smoothing() -> f64 {
    1e-9
}

impl ModelKind for GaussianNb {
    const NAME: &'static str = "gaussian_nb";
    const TASKS: &'static [Task] = CLASSIFICATION;
    const SUMMARY: &'static str = "Gaussian naive Bayes";
    const PARAMS: &'static [Param] = &[Param::optional(
        "var_smoothing",
        ParamType::Number,
        "1e-9",
        "share of the largest variance added to all",
    )];

    fn validate(&self) -> Result<(), ParamError> {
        non_negative("var_smoothing", self.var_smoothing)
    }

    fn describe(&self) -> String {
        format!("var_smoothing = {:e}", self.var_smoothing)
    }

    fn fit(&self, x: ArrayView2<'_, f64>, y: &Target) -> Result<Box<dyn Fitted>, String> {
        fit_classifier(Self::NAME, y, |labels, classes| {
            naive_bayes::GaussianNb::fit(x, labels, classes, self.var_smoothing)
                .map_err(|e| failed(Self::NAME)(&e))
        })
    }
}

impl Proba for naive_bayes::GaussianNb {
    fn proba(&self, x: ArrayView2<'_, f64>) -> Array2<f64> {
        self.predict_proba(x)
    }
}
