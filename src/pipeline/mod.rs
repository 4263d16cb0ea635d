//! The ML pipeline a suite declares: prepare the inputs, split, preprocess, train, predict,
//! evaluate. Each stage is a module; [`train`](fit::train) runs them in order and returns
//! everything the unit, threshold and integration tests inspect.

pub mod evaluate;
pub mod fit;
#[cfg(test)]
mod fixtures;
pub mod knn;
pub mod lbfgs;
pub mod limits;
pub mod logistic;
pub mod metrics;
pub mod model;
pub mod naive_bayes;
pub mod prepare;
pub mod preprocess;
pub mod ridge;
pub mod roc;
pub mod split;
pub mod tree;
