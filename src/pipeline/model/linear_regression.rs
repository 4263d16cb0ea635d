//! `linear_regression`: ordinary least squares, as scikit-learn's `LinearRegression`: the
//! least-norm fit when the inputs are linearly dependent. The solver is
//! [`crate::pipeline::ridge`]'s, without a penalty ([`ridge::Ridge::least_squares`]).

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use super::{failed, regression_values, Fitted, ModelKind, REGRESSION};
use crate::pipeline::prepare::Target;
use crate::pipeline::ridge;
use crate::vocab::Param;
use crate::vocab::Task;

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
        let fitted = ridge::Ridge::least_squares(x, values).map_err(|e| failed(Self::NAME)(&e))?;
        Ok(Box::new(fitted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::fit::{train, PipelineSpec};
    use crate::pipeline::model::{ModelSpec, Output};
    use crate::pipeline::preprocess::{Impute, OneHot, PreprocessSpec, Scale};
    use crate::pipeline::split::SplitSpec;
    use crate::samples;
    use crate::table::{read_csv, LoadOptions};

    fn predictions(model: ModelSpec) -> Vec<f64> {
        let s = samples::get("penguins").unwrap();
        let table = read_csv(s.csv, s.file, &LoadOptions::default()).unwrap();
        let spec = PipelineSpec {
            target: "body_mass_g".into(),
            task: Task::Regression,
            features: None,
            drop: Vec::new(),
            split: SplitSpec { test_size: 0.2, seed: 42, stratify: false },
            preprocess: PreprocessSpec {
                impute: Some(Impute::Mean),
                scale: Some(Scale::Standard),
                one_hot: Some(OneHot::Auto),
            },
            model,
        };
        match train(&table, &spec).unwrap().fitted.test_output {
            Output::Values(values) => values,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn regression_one_hot_categories_fit_as_the_least_norm_limit_of_ridge() {
        // species, island and sex one-hot in full each sum to one: the inputs are linearly
        // dependent. linfa's QR least squares has no rank check and fitted such inputs with
        // weights set by rounding (see the crafted cases in `pipeline::ridge`). Ridge's fit
        // tends to the least-norm one as alpha goes to 0, which is scikit-learn's answer.
        let ols = predictions(ModelSpec::LinearRegression(LinearRegression {}));
        let ridge = predictions(ModelSpec::Ridge(super::super::ridge::Ridge { alpha: 1e-7 }));
        for (a, b) in ols.iter().zip(&ridge) {
            assert!((a - b).abs() < 1e-3, "{a} vs {b}");
        }
        assert!(ols.iter().all(|v| (2_000.0..7_000.0).contains(v)), "{ols:?}");
    }
}
