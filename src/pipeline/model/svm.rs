//! `svm`: a C-support vector classifier, scikit-learn's `SVC`; several classes are
//! one-vs-one. The solver is [`crate::pipeline::svm`].

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::{failed, fit_classifier, positive, Fitted, ModelKind, Proba, CLASSIFICATION};
use crate::pipeline::limits::{count, MAX_SVM_TRAIN_ROWS};
use crate::pipeline::prepare::Target;
use crate::pipeline::svm::{self, Prediction, Svc};
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

    /// The solver's time grows with the square of its rows or faster; past the limit a fit
    /// would run for many minutes, in a browser tab too.
    fn check_train_rows(&self, rows: usize) -> Result<(), String> {
        if rows <= MAX_SVM_TRAIN_ROWS {
            return Ok(());
        }
        Err(format!(
            "svm would train on {} rows; an svm's training time grows with the square of its rows or \
             faster, and the engine trains one on at most {} rows: sample the rows, or choose another \
             model (logistic_regression, decision_tree, knn)",
            count(rows),
            count(MAX_SVM_TRAIN_ROWS)
        ))
    }

    fn fit(&self, x: ArrayView2<'_, f64>, y: &Target) -> Result<Box<dyn Fitted>, String> {
        let Svm { c, kernel, gamma } = *self;
        fit_classifier(Self::NAME, y, |labels, classes| {
            let kernel = match kernel {
                Kernel::Linear => svm::Kernel::Linear,
                Kernel::Rbf => svm::Kernel::Rbf { gamma: gamma.unwrap_or_else(|| svm::scale_gamma(x)) },
            };
            let svc = Svc::fit(x, labels, classes, c, kernel).map_err(|e| failed(Self::NAME)(&e))?;
            Ok(Trained(svc))
        })
    }
}

/// The one-vs-one machines.
struct Trained(Svc);

impl Proba for Trained {
    fn proba(&self, x: ArrayView2<'_, f64>) -> Array2<f64> {
        self.classify(x).1
    }

    /// The classes are scikit-learn's `predict`, the vote. `SVC(probability=False)` has no
    /// probabilities; the scores ROC AUC and log loss read are its `decision_function` made
    /// into probabilities: for two classes the logistic sigmoid of the decision value, for
    /// more a softmax over the one-vs-rest scores (votes plus squashed confidences), so each
    /// row ranks the classes as the decision function does.
    fn classify(&self, x: ArrayView2<'_, f64>) -> (Vec<usize>, Array2<f64>) {
        let Prediction { labels, decision } = self.0.predict(x);
        let proba = if decision.ncols() == 1 {
            Array2::from_shape_fn((x.nrows(), 2), |(row, class)| {
                let p1 = 1.0 / (1.0 + (-decision[[row, 0]]).exp());
                if class == 1 {
                    p1
                } else {
                    1.0 - p1
                }
            })
        } else {
            let mut proba = decision;
            for mut row in proba.rows_mut() {
                let top = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                row.mapv_inplace(|s| (s - top).exp());
                let total = row.sum();
                row.mapv_inplace(|e| e / total);
            }
            proba
        };
        (labels, proba)
    }
}

#[cfg(test)]
mod tests {
    use ndarray::Array2;

    use super::*;
    use crate::pipeline::model::{ModelSpec, Output};

    #[test]
    fn regression_an_svm_train_set_past_its_time_budget_is_refused() {
        // 40k rows (32k train) asked linfa's SVM for an 8.2 GB kernel and aborted; the
        // engine's own solver holds a bounded cache, but its time still grows with the rows
        // squared. The check comes before the solver: the inputs here are zeros, never read.
        let spec = ModelSpec::Svm(Svm { c: 1.0, kernel: Kernel::Rbf, gamma: None });
        let rows = MAX_SVM_TRAIN_ROWS + 1;
        let x = Array2::<f64>::zeros((rows, 1));
        let y = Target::Classes {
            codes: (0..rows).map(|i| i % 2).collect(),
            names: vec!["a".into(), "b".into()],
        };
        let err = spec.fit(x.view(), &y).err().unwrap();
        assert_eq!(
            err,
            "svm would train on 50,001 rows; an svm's training time grows with the square of its rows or \
             faster, and the engine trains one on at most 50,000 rows: sample the rows, or choose another \
             model (logistic_regression, decision_tree, knn)"
        );
        assert!(spec.check_train_rows(MAX_SVM_TRAIN_ROWS).is_ok());
    }

    #[test]
    fn two_classes_score_class_1_by_the_sigmoid_of_scikit_learns_decision_value() {
        // Class 1 on the right: a row far right is class 1 with a probability above ½.
        let spec = ModelSpec::Svm(Svm { c: 1.0, kernel: Kernel::Linear, gamma: None });
        let x = ndarray::array![[-2.0], [-1.0], [1.0], [2.0]];
        let y = Target::Classes { codes: vec![0, 0, 1, 1], names: vec!["a".into(), "b".into()] };
        let model = spec.fit(x.view(), &y).unwrap();
        let Output::Classes { labels, proba } = model.predict(ndarray::array![[3.0], [-3.0]].view()) else {
            panic!("classes expected")
        };
        assert_eq!(labels, [1, 0]);
        assert!(proba[[0, 1]] > 0.5 && proba[[1, 1]] < 0.5, "{proba}");
        for row in proba.rows() {
            assert!((row.sum() - 1.0).abs() < 1e-12);
        }
    }
}
