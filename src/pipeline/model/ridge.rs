//! `ridge`: least squares with an L2 penalty, minimising ‖y − Xw‖² + alpha‖w‖², as
//! scikit-learn's `Ridge`. The solver is [`crate::pipeline::ridge`].

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use super::{non_negative, regression_values, Fitted, ModelKind, Output, REGRESSION};
use crate::pipeline::prepare::Target;
use crate::pipeline::ridge;
use crate::vocab::Task;
use crate::vocab::{Param, ParamError, ParamType};

/// The hyperparameters, named as scikit-learn's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ridge {
    #[serde(default = "one")]
    pub alpha: f64,
}

fn one() -> f64 {
    1.0
}

impl ModelKind for Ridge {
    const NAME: &'static str = "ridge";
    const TASKS: &'static [Task] = REGRESSION;
    const SUMMARY: &'static str = "least squares with an L2 penalty";
    const PARAMS: &'static [Param] =
        &[Param::optional("alpha", ParamType::Number, "1", "the penalty's strength")];

    fn validate(&self) -> Result<(), ParamError> {
        non_negative("alpha", self.alpha)
    }

    fn describe(&self) -> String {
        format!("alpha = {}", self.alpha)
    }

    fn fit(&self, x: ArrayView2<'_, f64>, y: &Target) -> Result<Box<dyn Fitted>, String> {
        let values = regression_values(Self::NAME, y)?;
        Ok(Box::new(ridge::Ridge::fit(x, values, self.alpha)?))
    }
}

impl Fitted for ridge::Ridge {
    fn predict(&self, x: ArrayView2<'_, f64>) -> Output {
        Output::Values(ridge::Ridge::predict(self, x))
    }
}
