//! `linear_regression`: ordinary least squares, as scikit-learn's `LinearRegression`.

use linfa::prelude::*;
use linfa_linear::FittedLinearRegression;
use ndarray::{Array1, ArrayView2};
use serde::{Deserialize, Serialize};

use super::{failed, regression_values, Fitted, ModelKind, Output, REGRESSION};
use crate::checks::Param;
use crate::pipeline::prepare::Target;
use crate::suite::Task;

/// No hyperparameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinearRegression {}

impl ModelKind for LinearRegression {
    const NAME: &'static str = "linear_regression";
    const TASKS: &'static [Task] = REGRESSION;
    const SUMMARY: &'static str = "ordinary least squares";
    const PARAMS: &'static [Param] = &[];

    fn describe(&self) -> String {
        "ordinary least squares".to_owned()
    }

    fn fit(&self, x: ArrayView2<'_, f64>, y: &Target) -> Result<Box<dyn Fitted>, String> {
        let values = regression_values(Self::NAME, y)?;
        let (n, width) = x.dim();
        if width >= n {
            return Err(format!(
                "linear_regression has {width} inputs but only {n} train rows: the fit is not determined; drop features or use ridge"
            ));
        }
        let dataset = Dataset::new(x.to_owned(), Array1::from(values.to_vec()));
        let fitted =
            linfa_linear::LinearRegression::new().fit(&dataset).map_err(|e| failed(Self::NAME)(&e))?;
        Ok(Box::new(fitted))
    }
}

impl Fitted for FittedLinearRegression<f64> {
    fn predict(&self, x: ArrayView2<'_, f64>) -> Output {
        Output::Values(linfa::traits::Predict::predict(self, &x).to_vec())
    }
}
