//! `logistic_regression`: L2-regularised logistic regression (binary, or multinomial for
//! three or more classes) fitted with L-BFGS, as scikit-learn's
//! `LogisticRegression(solver="lbfgs")`. The algorithm is [`crate::pipeline::logistic`].

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use super::{failed, fit_classifier, iterations, positive, Fitted, ModelKind, Proba, CLASSIFICATION};
use crate::pipeline::limits::{count, MAX_LOGISTIC_WEIGHTS};
use crate::pipeline::logistic;
use crate::pipeline::prepare::Target;
use crate::vocab::Task;
use crate::vocab::{Param, ParamError, ParamType};

/// The hyperparameters; `c` is the inverse regularisation strength, as scikit-learn's `C`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogisticRegression {
    #[serde(default = "default_iterations")]
    pub max_iterations: u64,
    #[serde(default = "one")]
    pub c: f64,
}

fn default_iterations() -> u64 {
    100
}

fn one() -> f64 {
    1.0
}

impl ModelKind for LogisticRegression {
    const NAME: &'static str = "logistic_regression";
    const TASKS: &'static [Task] = CLASSIFICATION;
    const SUMMARY: &'static str = "L2-regularised logistic regression (L-BFGS)";
    const PARAMS: &'static [Param] = &[
        Param::optional("max_iterations", ParamType::Integer, "100", "L-BFGS iterations, at most 10,000"),
        Param::optional("c", ParamType::Number, "1", "inverse regularisation strength, as scikit-learn's C"),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        iterations(self.max_iterations)?;
        positive("c", self.c)
    }

    fn describe(&self) -> String {
        format!("c = {}, max {} iterations", self.c, self.max_iterations)
    }

    fn fit(&self, x: ArrayView2<'_, f64>, y: &Target) -> Result<Box<dyn Fitted>, String> {
        fit_classifier(Self::NAME, y, |labels, classes| {
            check_weights(x.ncols(), classes)?;
            let max_iterations = usize::try_from(self.max_iterations).unwrap_or(usize::MAX);
            logistic::LogisticRegression::fit(x, labels, classes, self.c, logistic::stopping(max_iterations))
                .map_err(|e| failed(Self::NAME)(&e))
        })
    }
}

impl Proba for logistic::LogisticRegression {
    fn proba(&self, x: ArrayView2<'_, f64>) -> ndarray::Array2<f64> {
        self.predict_proba(x)
    }
}

/// Refuses a logistic regression whose weights and their L-BFGS history would pass
/// [`MAX_LOGISTIC_WEIGHTS`], before the optimiser allocates them.
fn check_weights(inputs: usize, classes: usize) -> Result<(), String> {
    let models = if classes == 2 { 1 } else { classes };
    let weights = inputs.saturating_add(1).saturating_mul(models);
    if weights <= MAX_LOGISTIC_WEIGHTS {
        return Ok(());
    }
    Err(format!(
        "logistic_regression would learn (inputs + 1) × classes = {} × {} = {} weights; the engine learns at most {} \
         (L-BFGS keeps 25 copies of them): drop inputs or classes, or choose another model (gaussian_nb, decision_tree)",
        count(inputs + 1),
        count(models),
        count(weights),
        count(MAX_LOGISTIC_WEIGHTS)
    ))
}

#[cfg(test)]
mod tests {
    use ndarray::Array2;

    use super::*;
    use crate::pipeline::model::ModelSpec;

    #[test]
    fn regression_logistic_weights_past_the_budget_are_refused_before_l_bfgs() {
        // 5,000 inputs × 1,000 classes: 5 million weights, 25 copies kept by L-BFGS (1 GB).
        let spec = ModelSpec::LogisticRegression(LogisticRegression { max_iterations: 100, c: 1.0 });
        let x = Array2::<f64>::zeros((1_000, 4_999));
        let y = Target::Classes {
            codes: (0..1_000).collect(),
            names: (0..1_000).map(|c| c.to_string()).collect(),
        };
        let err = spec.fit(x.view(), &y).err().unwrap();
        assert!(
            err.starts_with("logistic_regression would learn (inputs + 1) × classes = 5,000 × 1,000 = 5,000,000 weights; the engine learns at most 2,097,152"),
            "{err}"
        );
    }
}
