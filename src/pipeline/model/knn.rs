//! `knn`: k nearest neighbours (Euclidean, uniform weights): the majority label, or the mean
//! target. The search is [`crate::pipeline::knn`].

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::{argmax_rows, Fitted, ModelKind, Output};
use crate::pipeline::knn::Neighbours;
use crate::pipeline::prepare::Target;
use crate::vocab::Task;
use crate::vocab::{Param, ParamError, ParamType};

/// The hyperparameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Knn {
    #[serde(default = "five")]
    pub k: usize,
}

fn five() -> usize {
    5
}

impl ModelKind for Knn {
    const NAME: &'static str = "knn";
    const TASKS: &'static [Task] = &[Task::Classification, Task::Regression];
    const SUMMARY: &'static str = "k nearest neighbours (Euclidean)";
    const PARAMS: &'static [Param] = &[Param::optional("k", ParamType::Integer, "5", "neighbours that vote")];

    fn validate(&self) -> Result<(), ParamError> {
        if self.k == 0 {
            return Err(ParamError::new("k", "k = 0 asks no neighbour; use at least 1"));
        }
        Ok(())
    }

    fn describe(&self) -> String {
        format!("k = {}", self.k)
    }

    fn fit(&self, x: ArrayView2<'_, f64>, y: &Target) -> Result<Box<dyn Fitted>, String> {
        let (k, n) = (self.k, x.nrows());
        if k > n {
            return Err(format!("knn asks for k = {k} neighbours but there are {n} train rows"));
        }
        // The train rows are the model: a lazy learner keeps them, indexed, for every prediction.
        Ok(Box::new(Trained { index: Neighbours::new(x), y: y.clone(), k }))
    }
}

/// The indexed train rows and their targets.
struct Trained {
    index: Neighbours,
    y: Target,
    k: usize,
}

impl Fitted for Trained {
    fn predict(&self, x: ArrayView2<'_, f64>) -> Output {
        match &self.y {
            Target::Classes { codes, names } => {
                let mut proba = Array2::zeros((x.nrows(), names.len()));
                self.index.for_each_nearest(x, self.k, |row, found| {
                    for &(_, i) in found {
                        proba[[row, codes[i]]] += 1.0 / found.len() as f64;
                    }
                });
                Output::Classes { labels: argmax_rows(&proba), proba }
            }
            Target::Values(values) => {
                let mut predicted = vec![0.0; x.nrows()];
                self.index.for_each_nearest(x, self.k, |row, found| {
                    predicted[row] =
                        found.iter().map(|&(_, i)| values[i]).sum::<f64>() / found.len().max(1) as f64;
                });
                Output::Values(predicted)
            }
        }
    }
}
