//! The ML pipeline a suite declares: prepare the inputs, split, preprocess, train, predict,
//! evaluate. Each stage is a module; [`train`](fit::train) runs them in order and returns
//! everything the unit, threshold and integration tests inspect.
//!
//! The models are a registry in [`model`]: a new model is one file in `src/pipeline/model/`
//! and one line in its `models!` list (the module's documentation says which and how). The
//! metadata the suite editor's form shows sits beside each spec: [`model::MODELS`],
//! [`split::SplitSpec::PARAMS`], [`preprocess::PreprocessStep::PARAMS`],
//! [`prepare::InputSpec::PARAMS`].

pub mod calibration;
pub mod drift;
pub mod elementary;
pub mod evaluate;
pub mod fairness;
pub mod fit;
#[cfg(test)]
pub(crate) mod fixtures;
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
pub mod slices;
pub mod split;
pub mod svm;
pub mod tree;
