//! Metric names as the suite writes them, computed on a target and a model's output.

use serde::{Deserialize, Serialize};

use super::metrics::{self, Average};
use super::model::Output;
use super::prepare::Target;
use crate::vocab::Task;

/// A metric of PRODUCT.md §3, with scikit-learn's definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Accuracy,
    Precision,
    Recall,
    F1,
    RocAuc,
    LogLoss,
    Mcc,
    Rmse,
    Mse,
    Mae,
    R2,
}

impl Metric {
    pub fn name(self) -> &'static str {
        match self {
            Metric::Accuracy => "accuracy",
            Metric::Precision => "precision",
            Metric::Recall => "recall",
            Metric::F1 => "f1",
            Metric::RocAuc => "roc_auc",
            Metric::LogLoss => "log_loss",
            Metric::Mcc => "mcc",
            Metric::Rmse => "rmse",
            Metric::Mse => "mse",
            Metric::Mae => "mae",
            Metric::R2 => "r2",
        }
    }

    pub fn task(self) -> Task {
        match self {
            Metric::Rmse | Metric::Mse | Metric::Mae | Metric::R2 => Task::Regression,
            _ => Task::Classification,
        }
    }

    /// Whether a larger value is a better model (false for losses and errors).
    pub fn higher_is_better(self) -> bool {
        !matches!(self, Metric::LogLoss | Metric::Rmse | Metric::Mse | Metric::Mae)
    }

    /// Whether the metric reads class probabilities, not only the predicted labels.
    pub fn needs_proba(self) -> bool {
        matches!(self, Metric::RocAuc | Metric::LogLoss)
    }

    /// Whether `average` applies (precision, recall, F1).
    pub fn is_averaged(self) -> bool {
        matches!(self, Metric::Precision | Metric::Recall | Metric::F1)
    }

    /// The metric on a group of rows (a slice), as fairlearn's `MetricFrame` computes it: a
    /// macro or weighted average runs over the classes present in the group's labels and
    /// predictions (scikit-learn's `unique_labels`), where [`Metric::compute`] counts every
    /// class of the data; anything else is [`Metric::compute`]'s (the positive class of a
    /// binary average stays the data's larger label; log loss scores every class).
    pub fn compute_in_group(
        self,
        truth: &Target,
        output: &Output,
        average: Option<Average>,
    ) -> Result<f64, String> {
        let (Target::Classes { codes, names }, Output::Classes { labels, proba }) = (truth, output) else {
            return self.compute(truth, output, average);
        };
        let n = names.len();
        let average = average.unwrap_or(if n == 2 { Average::Binary } else { Average::Macro });
        if !self.is_averaged() || average == Average::Binary {
            return self.compute(truth, output, Some(average));
        }
        let mut present = vec![false; n];
        for &c in codes.iter().chain(labels) {
            present[c] = true;
        }
        let kept: Vec<usize> = (0..n).filter(|&c| present[c]).collect();
        let local = |c: usize| kept.binary_search(&c).unwrap_or(0);
        let truth = Target::Classes {
            codes: codes.iter().map(|&c| local(c)).collect(),
            names: kept.iter().map(|&c| names[c].clone()).collect(),
        };
        // Precision, recall and F1 read the labels only; the probabilities keep their shape.
        let output =
            Output::Classes { labels: labels.iter().map(|&c| local(c)).collect(), proba: proba.clone() };
        self.compute(&truth, &output, Some(average))
    }

    /// The metric of `output` against `truth`. `average` defaults to binary for two classes
    /// and macro otherwise, as a scikit-learn user would pick.
    pub fn compute(self, truth: &Target, output: &Output, average: Option<Average>) -> Result<f64, String> {
        if self.needs_proba() && matches!(output, Output::Classes { .. }) && !output.has_proba() {
            return Err(format!(
                "{} needs the model's probabilities: the `predictions` model has no `scores`",
                self.name()
            ));
        }
        let result = match (truth, output) {
            (Target::Classes { codes, names }, Output::Classes { labels, proba }) => {
                let n = names.len();
                let average = average.unwrap_or(if n == 2 { Average::Binary } else { Average::Macro });
                let proba = proba.as_standard_layout();
                let proba = proba.as_slice().unwrap_or(&[]);
                match self {
                    Metric::Accuracy => metrics::accuracy(codes, labels, n),
                    Metric::Precision => metrics::precision(codes, labels, n, average),
                    Metric::Recall => metrics::recall(codes, labels, n, average),
                    Metric::F1 => metrics::f1(codes, labels, n, average),
                    Metric::RocAuc => metrics::roc_auc(codes, proba, n),
                    Metric::LogLoss => metrics::log_loss(codes, proba, n),
                    Metric::Mcc => metrics::matthews_corrcoef(codes, labels, n),
                    _ => {
                        return Err(format!(
                            "{} is a regression metric; this task is classification",
                            self.name()
                        ))
                    }
                }
                .map_err(|e| e.to_string())
            }
            (Target::Values(truth), Output::Values(predicted)) => match self {
                Metric::Rmse => metrics::rmse(truth, predicted),
                Metric::Mse => metrics::mse(truth, predicted),
                Metric::Mae => metrics::mae(truth, predicted),
                Metric::R2 => metrics::r2(truth, predicted),
                _ => {
                    return Err(format!(
                        "{} is a classification metric; this task is regression",
                        self.name()
                    ))
                }
            }
            .map_err(|e| e.to_string()),
            _ => Err("the model's output does not match the target's kind".to_owned()),
        };
        result.map_err(|e| format!("{} could not be computed: {e}", self.name()))
    }
}
