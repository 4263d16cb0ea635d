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
        // The train rows are the model: a lazy learner keeps them for every prediction.
        Ok(Box::new(Trained { x: x.to_owned(), y: y.clone(), k }))
    }
}

/// The train rows and their targets.
struct Trained {
    x: Array2<f64>,
    y: Target,
    k: usize,
}

impl Fitted for Trained {
    fn predict(&self, x: ArrayView2<'_, f64>) -> Output {
        let mut index = Neighbours::new(self.x.view());
        let mut query = Vec::with_capacity(x.ncols());
        let mut neighbours = |row: usize| -> Vec<usize> {
            query.clear();
            query.extend(x.row(row).iter().copied());
            index.nearest(&query, self.k).iter().map(|&(_, i)| i).collect()
        };
        match &self.y {
            Target::Classes { codes, names } => {
                let mut proba = Array2::zeros((x.nrows(), names.len()));
                for row in 0..x.nrows() {
                    let found = neighbours(row);
                    for &i in &found {
                        proba[[row, codes[i]]] += 1.0 / found.len().max(1) as f64;
                    }
                }
                Output::Classes { labels: argmax_rows(&proba), proba }
            }
            Target::Values(values) => Output::Values(
                (0..x.nrows())
                    .map(|row| {
                        let found = neighbours(row);
                        found.iter().map(|&i| values[i]).sum::<f64>() / found.len().max(1) as f64
                    })
                    .collect(),
            ),
        }
    }
}
