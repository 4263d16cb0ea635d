//! `svm`: a C-support vector classifier, linfa 0.8's; several classes are one-vs-rest.

use linfa::prelude::*;
use ndarray::{Array1, Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::{failed, fit_classifier, positive, Fitted, ModelKind, Proba, CLASSIFICATION};
use crate::pipeline::limits::{self, count, MAX_SVM_TRAIN_ROWS};
use crate::pipeline::prepare::Target;
use crate::vocab::Task;
use crate::vocab::{Param, ParamError, ParamType};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kernel {
    Linear,
    #[default]
    Rbf,
}

/// The hyperparameters. `gamma` defaults to scikit-learn's "scale", 1 / (features ×
/// variance of the inputs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Svm {
    #[serde(default = "one")]
    pub c: f64,
    #[serde(default)]
    pub kernel: Kernel,
    #[serde(default)]
    pub gamma: Option<f64>,
}

fn one() -> f64 {
    1.0
}

impl ModelKind for Svm {
    const NAME: &'static str = "svm";
    const TASKS: &'static [Task] = CLASSIFICATION;
    const SUMMARY: &'static str = "C-support vector classifier";
    const PARAMS: &'static [Param] = &[
        Param::optional("c", ParamType::Number, "1", "penalty of a misclassified row"),
        Param::optional("kernel", ParamType::Choice(&["linear", "rbf"]), "rbf", "the kernel"),
        Param::optional(
            "gamma",
            ParamType::Number,
            "scale: 1 / (features × variance)",
            "the RBF kernel's width",
        ),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        positive("c", self.c)?;
        self.gamma.map_or(Ok(()), |g| positive("gamma", g))
    }

    fn describe(&self) -> String {
        format!(
            "c = {}, {} kernel{}",
            self.c,
            format!("{:?}", self.kernel).to_lowercase(),
            self.gamma.map_or(String::new(), |g| format!(", gamma = {g}"))
        )
    }

    /// An SVM computes the whole train × train kernel matrix before it starts (40k train
    /// rows asked for 8.2 GB and aborted).
    fn check_train_rows(&self, rows: usize) -> Result<(), String> {
        if rows <= MAX_SVM_TRAIN_ROWS {
            return Ok(());
        }
        Err(format!(
            "svm would train on {} rows, and its kernel matrix holds rows² = {} numbers ({}); \
             the engine holds an svm's kernel for at most {} train rows: sample the rows, or choose \
             another model (logistic_regression, decision_tree, knn)",
            count(rows),
            count(rows.saturating_mul(rows)),
            limits::bytes(rows.saturating_mul(rows)),
            count(MAX_SVM_TRAIN_ROWS)
        ))
    }

    fn fit(&self, x: ArrayView2<'_, f64>, y: &Target) -> Result<Box<dyn Fitted>, String> {
        let Svm { c, kernel, gamma } = *self;
        fit_classifier(Self::NAME, y, |labels, classes| {
            let gamma = gamma.unwrap_or_else(|| scale_gamma(x));
            // Binary: one machine for class 1 (the larger label) against 0.
            let machines = if classes == 2 { 1 } else { classes };
            let machines = (0..machines)
                .map(|class| {
                    let positive = if classes == 2 { 1 } else { class };
                    let labels: Array1<bool> = labels.iter().map(|&l| l == positive).collect();
                    let params = linfa_svm::Svm::<f64, bool>::params().pos_neg_weights(c, c);
                    let params = match kernel {
                        Kernel::Linear => params.linear_kernel(),
                        Kernel::Rbf => params.gaussian_kernel(1.0 / gamma),
                    };
                    params.fit(&DatasetBase::new(x, labels.view())).map_err(|e| failed(Self::NAME)(&e))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Machines(machines))
        })
    }
}

/// One machine (binary) or one per class (one-vs-rest).
struct Machines(Vec<linfa_svm::Svm<f64, bool>>);

impl Proba for Machines {
    fn proba(&self, x: ArrayView2<'_, f64>) -> Array2<f64> {
        let machines = &self.0;
        let n = if machines.len() == 1 { 2 } else { machines.len() };
        let decision = |m: &linfa_svm::Svm<f64, bool>, row| m.weighted_sum(&x.row(row)) - m.rho;
        let mut proba = Array2::zeros((x.nrows(), n));
        for row in 0..x.nrows() {
            if let [machine] = machines.as_slice() {
                let p1 = 1.0 / (1.0 + (-decision(machine, row)).exp());
                proba[[row, 0]] = 1.0 - p1;
                proba[[row, 1]] = p1;
            } else {
                // One-vs-rest decision values, turned into probabilities by a softmax: the
                // order of the scores, which ROC AUC reads, is the machines' own.
                let scores: Vec<f64> = machines.iter().map(|m| decision(m, row)).collect();
                let top = scores.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let total: f64 = scores.iter().map(|s| (s - top).exp()).sum();
                for (class, s) in scores.iter().enumerate() {
                    proba[[row, class]] = (s - top).exp() / total;
                }
            }
        }
        proba
    }
}

/// scikit-learn's `gamma="scale"`: 1 / (features × variance of all inputs).
fn scale_gamma(x: ArrayView2<'_, f64>) -> f64 {
    let n = x.len() as f64;
    let mean = x.sum() / n;
    let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    if var > 0.0 {
        1.0 / (x.ncols() as f64 * var)
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use ndarray::Array2;

    use super::*;
    use crate::pipeline::model::ModelSpec;

    #[test]
    fn regression_an_svm_train_set_past_its_kernel_budget_is_refused() {
        // 40k rows (32k train) asked linfa for an 8.2 GB kernel and aborted. The check comes
        // before the kernel: the inputs here are zeros, one column, never read.
        let spec = ModelSpec::Svm(Svm { c: 1.0, kernel: Kernel::Rbf, gamma: None });
        let x = Array2::<f64>::zeros((32_000, 1));
        let y = Target::Classes {
            codes: (0..32_000).map(|i| i % 2).collect(),
            names: vec!["a".into(), "b".into()],
        };
        let err = spec.fit(x.view(), &y).err().unwrap();
        assert!(
            err.starts_with("svm would train on 32,000 rows, and its kernel matrix holds rows² = 1,024,000,000 numbers (7.6 GiB); the engine holds an svm's kernel for at most 8,192 train rows: sample the rows, or choose another model"),
            "{err}"
        );
        assert!(spec.check_train_rows(MAX_SVM_TRAIN_ROWS).is_ok());
    }
}
