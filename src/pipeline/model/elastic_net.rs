//! `elastic_net`: least squares with L1 and L2 penalties, linfa 0.8's coordinate descent,
//! as scikit-learn's `ElasticNet`:
//! 1/(2n)‖y − Xw‖² + alpha·l1_ratio‖w‖₁ + alpha(1 − l1_ratio)/2‖w‖².

use linfa::prelude::*;
use ndarray::{ArrayView1, ArrayView2};
use serde::{Deserialize, Serialize};

use super::{failed, iterations, non_negative, regression_values, Fitted, ModelKind, Output, REGRESSION};
use crate::pipeline::prepare::Target;
use crate::vocab::Task;
use crate::vocab::{Param, ParamError, ParamType};

/// The hyperparameters, named as scikit-learn's (`alpha`, `l1_ratio`, `max_iter`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElasticNet {
    #[serde(default = "one")]
    pub alpha: f64,
    #[serde(default = "half")]
    pub l1_ratio: f64,
    #[serde(default = "default_iterations")]
    pub max_iterations: u32,
}

fn one() -> f64 {
    1.0
}

fn half() -> f64 {
    0.5
}

fn default_iterations() -> u32 {
    1000
}

impl ModelKind for ElasticNet {
    const NAME: &'static str = "elastic_net";
    const TASKS: &'static [Task] = REGRESSION;
    const SUMMARY: &'static str = "least squares with L1 and L2 penalties";
    const PARAMS: &'static [Param] = &[
        Param::optional("alpha", ParamType::Number, "1", "the penalty's strength"),
        Param::optional("l1_ratio", ParamType::Number, "0.5", "the L1 share of the penalty, 0..1"),
        Param::optional(
            "max_iterations",
            ParamType::Integer,
            "1000",
            "coordinate descent iterations, at most 10,000",
        ),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        non_negative("alpha", self.alpha)?;
        if !(0.0..=1.0).contains(&self.l1_ratio) {
            return Err(ParamError::new("l1_ratio", format!("{} is not from 0 to 1", self.l1_ratio)));
        }
        iterations(self.max_iterations.into())
    }

    fn describe(&self) -> String {
        format!("alpha = {}, l1_ratio = {}", self.alpha, self.l1_ratio)
    }

    fn fit(&self, x: ArrayView2<'_, f64>, y: &Target) -> Result<Box<dyn Fitted>, String> {
        let values = regression_values(Self::NAME, y)?;
        // Views of the inputs and targets: linfa reads them without a copy.
        let dataset = DatasetBase::new(x, ArrayView1::from(values));
        let fitted = linfa_elasticnet::ElasticNet::params()
            .penalty(self.alpha)
            .l1_ratio(self.l1_ratio)
            .max_iterations(self.max_iterations)
            .fit(&dataset)
            .map_err(|e| failed(Self::NAME)(&e))?;
        Ok(Box::new(fitted))
    }
}

impl Fitted for linfa_elasticnet::ElasticNet<f64> {
    fn predict(&self, x: ArrayView2<'_, f64>) -> Output {
        Output::Values(linfa::traits::Predict::predict(self, &x).to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regression_elastic_net_iterations_are_capped_as_logistic_regressions() {
        use crate::pipeline::model::logistic_regression::LogisticRegression;
        // 4×10⁹ coordinate-descent sweeps ran for hours.
        let net = ElasticNet { alpha: 1.0, l1_ratio: 0.5, max_iterations: 4_000_000_000 };
        let err = net.validate().unwrap_err();
        assert_eq!(err.field, "max_iterations");
        assert_eq!(
            err.message,
            "4,000,000,000 is above the limit of 10,000 iterations; a fit that has not converged by then will not"
        );
        let logistic = LogisticRegression { max_iterations: 10_001, c: 1.0 };
        assert!(logistic.validate().unwrap_err().message.starts_with("10,001 is above the limit of 10,000"));
        let at_limit = ElasticNet { alpha: 1.0, l1_ratio: 0.5, max_iterations: 10_000 };
        assert!(at_limit.validate().is_ok());
    }
}
