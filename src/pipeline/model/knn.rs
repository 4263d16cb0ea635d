//! `knn`: k nearest neighbours (Euclidean, uniform weights): the majority label, or the mean
//! target, as scikit-learn's `KNeighborsClassifier` and `KNeighborsRegressor`. The search is
//! [`crate::pipeline::knn`], built once at fit (a k-d tree or the rows for a scan). A tied
//! vote goes to the class that sorts first, as scikit-learn's `mode` gives it.

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

#[cfg(test)]
mod tests {
    use ndarray::array;

    use super::*;

    #[test]
    fn a_tied_vote_goes_to_the_first_class_and_values_are_averaged() {
        // Expected from scikit-learn 1.9.1: `KNeighborsClassifier(2).fit(X, ["b", "a", "b",
        // "a"])` predicts ["a", "a", "a"] with probabilities 0.5, 0.5 for [[0.5], [5.2], [3.0]];
        // `KNeighborsRegressor(3).fit(X, [1, 2, 4, 8]).predict([[0.5], [5.2]])` is
        // [2.3333333333333335, 4.666666666666667].
        let x = array![[0.0], [1.2], [5.0], [5.5]];
        let queries = array![[0.5], [5.2], [3.0]];
        let classes = Target::Classes { codes: vec![1, 0, 1, 0], names: vec!["a".into(), "b".into()] };
        let Output::Classes { labels, proba } =
            Knn { k: 2 }.fit(x.view(), &classes).unwrap().predict(queries.view())
        else {
            panic!("classes expected")
        };
        assert_eq!(labels, [0, 0, 0]);
        assert_eq!(proba, array![[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]);
        let values = Target::Values(vec![1.0, 2.0, 4.0, 8.0]);
        let Output::Values(predicted) = Knn { k: 3 }.fit(x.view(), &values).unwrap().predict(queries.view())
        else {
            panic!("values expected")
        };
        assert_eq!(predicted[..2], [2.3333333333333335, 4.666666666666667]);
    }

    #[test]
    fn more_neighbours_than_rows_is_an_error() {
        let x = array![[0.0], [1.0]];
        let err = Knn { k: 3 }.fit(x.view(), &Target::Values(vec![1.0, 2.0])).err().unwrap();
        assert_eq!(err, "knn asks for k = 3 neighbours but there are 2 train rows");
    }
}
