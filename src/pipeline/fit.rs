//! The pipeline run end to end: prepare → split → preprocess → train → predict.
//!
//! [`train`] runs it once for a suite and keeps every intermediate result, because the unit
//! tests inspect them (the split, the scaler, the encoder) and the threshold tests score the
//! predictions. [`fit_on`] trains on any row positions, for cross-validation folds and the
//! determinism test.

use std::cell::OnceCell;

use ndarray::Array2;

use super::model::predictions::{self, Predictions};
use super::model::{Model, ModelSpec, Output};
use super::prepare::{prepare, InputSpec, Prepared, Target};
use super::preprocess::{PreprocessSpec, Preprocessor};
use super::split::{split, Split, SplitSpec};
use crate::table::Table;
use crate::vocab::now_ms;
use crate::vocab::Task;

/// Everything the suite says about the pipeline, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct PipelineSpec {
    pub target: String,
    pub task: Task,
    pub features: Option<Vec<String>>,
    pub drop: Vec<String>,
    pub split: SplitSpec,
    pub preprocess: PreprocessSpec,
    pub model: ModelSpec,
}

impl PipelineSpec {
    pub fn inputs(&self) -> InputSpec<'_> {
        InputSpec {
            target: &self.target,
            task: self.task,
            features: self.features.as_deref(),
            drop: &self.drop,
            predicted: self.model.reads_outputs().map(|p| p.prediction.as_str()),
        }
    }
}

/// A stage of the pipeline, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Prepare,
    Split,
    Preprocess,
    Train,
    Predict,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Prepare => "prepare",
            Stage::Split => "split",
            Stage::Preprocess => "preprocess",
            Stage::Train => "train",
            Stage::Predict => "predict",
        }
    }
}

/// A stage that failed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageError {
    pub stage: Stage,
    pub message: String,
}

impl std::fmt::Display for StageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} failed: {}", self.stage.name(), self.message)
    }
}

/// A model trained on some rows, with its inputs and predictions on both parts.
pub struct Fitted {
    pub preprocessor: Preprocessor,
    pub x_train: Array2<f64>,
    pub x_test: Array2<f64>,
    pub y_train: Target,
    pub y_test: Target,
    pub model: Model,
    /// The train rows' predictions, made the first time a test asks: most suites only read
    /// the test rows', and for a model like kNN predicting every train row costs more than
    /// the whole rest of the run.
    train_output: OnceCell<Output>,
    pub test_output: Output,
    /// Time to fit the preprocessing and transform both parts.
    pub preprocess_ms: f64,
    pub train_ms: f64,
    /// Time to predict the test rows.
    pub predict_ms: f64,
}

impl Fitted {
    /// The model's predictions for the train rows.
    pub fn train_output(&self) -> &Output {
        self.train_output.get_or_init(|| self.model.predict(self.x_train.view()))
    }
}

/// The suite's pipeline, run once.
pub struct Trained<'t> {
    pub spec: PipelineSpec,
    pub prepared: Prepared<'t>,
    pub split: Split,
    pub fitted: Fitted,
    /// Milliseconds per stage.
    pub timings: Vec<(Stage, f64)>,
}

/// One test row's prediction, as `mltest run --predictions` writes it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Prediction {
    /// The row's 1-based line in the CSV file.
    pub line: u64,
    /// The label or value as it appears in the CSV.
    pub y_true: String,
    pub y_pred: String,
    /// The probability the model gives its predicted class; empty for regression.
    pub score: Option<f64>,
}

impl Trained<'_> {
    /// The test rows' predictions, in file order, with labels decoded to the CSV's text.
    pub fn predictions(&self) -> Vec<Prediction> {
        let prepared = &self.prepared;
        self.split
            .test
            .iter()
            .enumerate()
            .map(|(i, &position)| {
                let (y_pred, score) = match &self.fitted.test_output {
                    Output::Classes { labels, proba } => {
                        (prepared.target.class_names()[labels[i]].clone(), proba.get((i, labels[i])).copied())
                    }
                    Output::Values(values) => (values[i].to_string(), None),
                };
                Prediction {
                    line: prepared.line(position),
                    y_true: prepared.target_text(position),
                    y_pred,
                    score,
                }
            })
            .collect()
    }
}

/// Runs the pipeline on `table`; the error names the stage that failed.
pub fn train<'t>(table: &'t Table, spec: &PipelineSpec) -> Result<Trained<'t>, StageError> {
    train_observed(table, spec, &mut |_| {})
}

/// [`train`], telling `progress` each stage as it starts, so a page can show it.
pub fn train_observed<'t>(
    table: &'t Table,
    spec: &PipelineSpec,
    progress: &mut dyn FnMut(Stage),
) -> Result<Trained<'t>, StageError> {
    let mut timings = Vec::new();
    let mut clock = now_ms();
    let mut lap = |stage: Stage, timings: &mut Vec<(Stage, f64)>| {
        let now = now_ms();
        timings.push((stage, now - clock));
        clock = now;
    };
    progress(Stage::Prepare);
    let prepared =
        prepare(table, &spec.inputs()).map_err(|message| StageError { stage: Stage::Prepare, message })?;
    lap(Stage::Prepare, &mut timings);
    if let Some(outputs) = spec.model.reads_outputs() {
        // A model brought as predictions: every labelled row is evaluated, nothing trains.
        let split = Split { train: Vec::new(), test: (0..prepared.len()).collect() };
        let fitted = read_predictions(&prepared, spec, outputs, &split, progress)?;
        timings.push((Stage::Predict, fitted.predict_ms));
        return Ok(Trained { spec: spec.clone(), prepared, split, fitted, timings });
    }
    progress(Stage::Split);
    let split = split_rows(&prepared, &spec.split)?;
    lap(Stage::Split, &mut timings);
    let fitted = fit_on_observed(&prepared, spec, &split, progress)?;
    timings.push((Stage::Preprocess, fitted.preprocess_ms));
    timings.push((Stage::Train, fitted.train_ms));
    timings.push((Stage::Predict, fitted.predict_ms));
    Ok(Trained { spec: spec.clone(), prepared, split, fitted, timings })
}

/// The outputs of a `predictions` model, read from the data for every labelled row (the test
/// part of `parts`); its one input is each row's position (`model::predictions::positions`).
fn read_predictions(
    prepared: &Prepared<'_>,
    spec: &PipelineSpec,
    outputs: &Predictions,
    parts: &Split,
    progress: &mut dyn FnMut(Stage),
) -> Result<Fitted, StageError> {
    progress(Stage::Predict);
    let started = now_ms();
    let at = |message: String| StageError { stage: Stage::Predict, message };
    let (model, test_output) = predictions::fit_outputs(prepared, outputs).map_err(at)?;
    // No feature is read: the preprocessor of no columns, for the report's summary.
    let preprocessor = Preprocessor::fit(prepared, &parts.train, spec.preprocess).map_err(at)?;
    Ok(Fitted {
        preprocessor,
        x_train: predictions::positions(&parts.train),
        x_test: predictions::positions(&parts.test),
        y_train: prepared.target.select(&parts.train),
        y_test: prepared.target.select(&parts.test),
        model,
        train_output: OnceCell::new(),
        test_output,
        preprocess_ms: 0.0,
        train_ms: 0.0,
        predict_ms: now_ms() - started,
    })
}

/// Splits the prepared rows as the suite says; a part left empty is an error.
pub fn split_rows(prepared: &Prepared<'_>, spec: &SplitSpec) -> Result<Split, StageError> {
    let parts = split(prepared.len(), spec, prepared.target.classes());
    if parts.train.is_empty() || parts.test.is_empty() {
        return Err(StageError {
            stage: Stage::Split,
            message: format!(
                "test_size {} of {} labelled rows leaves {} train and {} test rows; both need at least one",
                spec.test_size,
                prepared.len(),
                parts.train.len(),
                parts.test.len()
            ),
        });
    }
    Ok(parts)
}

/// Preprocesses, trains and predicts with the train and test positions of `parts`.
pub fn fit_on(prepared: &Prepared<'_>, spec: &PipelineSpec, parts: &Split) -> Result<Fitted, StageError> {
    fit_on_observed(prepared, spec, parts, &mut |_| {})
}

/// [`fit_on`], telling `progress` as preprocessing, training and prediction start: on a large
/// file each takes seconds, and the page's progress bar names the one running.
pub fn fit_on_observed(
    prepared: &Prepared<'_>,
    spec: &PipelineSpec,
    parts: &Split,
    progress: &mut dyn FnMut(Stage),
) -> Result<Fitted, StageError> {
    let at = |stage: Stage| move |message: String| StageError { stage, message };
    // A train part the model cannot hold is refused before the preprocessing it would waste.
    spec.model.check_train_rows(parts.train.len()).map_err(at(Stage::Train))?;
    progress(Stage::Preprocess);
    let started = now_ms();
    let preprocessor =
        Preprocessor::fit(prepared, &parts.train, spec.preprocess).map_err(at(Stage::Preprocess))?;
    let x_train = preprocessor.transform(prepared, &parts.train).map_err(at(Stage::Preprocess))?;
    let x_test = preprocessor.transform(prepared, &parts.test).map_err(at(Stage::Preprocess))?;
    let y_train = prepared.target.select(&parts.train);
    let y_test = prepared.target.select(&parts.test);
    let preprocess_ms = now_ms() - started;
    progress(Stage::Train);
    let started = now_ms();
    let model = spec.model.fit(x_train.view(), &y_train).map_err(at(Stage::Train))?;
    let train_ms = now_ms() - started;
    progress(Stage::Predict);
    let started = now_ms();
    let test_output = model.predict(x_test.view());
    let predict_ms = now_ms() - started;
    Ok(Fitted {
        preprocessor,
        x_train,
        x_test,
        y_train,
        y_test,
        model,
        train_output: OnceCell::new(),
        test_output,
        preprocess_ms,
        train_ms,
        predict_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::evaluate::Metric;
    use crate::pipeline::fixtures::{sample_table, standard_pipeline};
    use crate::pipeline::model;

    fn test_metric(trained: &Trained<'_>, metric: Metric) -> f64 {
        metric.compute(&trained.fitted.y_test, &trained.fitted.test_output, None).unwrap()
    }

    #[test]
    fn every_classifier_learns_iris() {
        let table = sample_table("iris");
        let models = [
            ModelSpec::LogisticRegression(model::logistic_regression::LogisticRegression {
                max_iterations: 100,
                c: 1.0,
            }),
            ModelSpec::DecisionTree(model::decision_tree::DecisionTree {
                max_depth: None,
                min_samples_split: 2,
                criterion: Default::default(),
            }),
            ModelSpec::GaussianNb(model::gaussian_nb::GaussianNb { var_smoothing: 1e-9 }),
            ModelSpec::Knn(model::knn::Knn { k: 5 }),
            ModelSpec::Svm(model::svm::Svm { c: 1.0, kernel: Default::default(), gamma: None }),
        ];
        for model in models {
            let kind = model.kind();
            let trained = train(&table, &standard_pipeline("species", Task::Classification, model)).unwrap();
            assert_eq!((trained.split.train.len(), trained.split.test.len()), (120, 30));
            let accuracy = test_metric(&trained, Metric::Accuracy);
            assert!(accuracy >= 0.85, "{kind}: accuracy {accuracy}");
        }
    }

    #[test]
    fn regressors_learn_diabetes() {
        let table = sample_table("diabetes");
        for model in [
            ModelSpec::LinearRegression(model::linear_regression::LinearRegression {}),
            ModelSpec::Ridge(model::ridge::Ridge { alpha: 1.0 }),
            ModelSpec::ElasticNet(model::elastic_net::ElasticNet {
                alpha: 0.01,
                l1_ratio: 0.5,
                max_iterations: 1000,
            }),
            ModelSpec::Knn(model::knn::Knn { k: 10 }),
        ] {
            let kind = model.kind();
            let mut s = standard_pipeline("progression", Task::Regression, model);
            s.split.stratify = false;
            let trained = train(&table, &s).unwrap();
            let r2 = test_metric(&trained, Metric::R2);
            assert!(r2 > 0.3, "{kind}: r2 {r2}");
        }
    }

    #[test]
    fn penguins_train_with_imputation_and_one_hot() {
        let table = sample_table("penguins");
        let trained = train(
            &table,
            &standard_pipeline(
                "species",
                Task::Classification,
                ModelSpec::LogisticRegression(model::logistic_regression::LogisticRegression {
                    max_iterations: 100,
                    c: 1.0,
                }),
            ),
        )
        .unwrap();
        // island (3 levels) and sex (2 levels) are one-hot; 4 measurements and year are numbers.
        assert_eq!(trained.fitted.preprocessor.width(), 10);
        assert!(test_metric(&trained, Metric::Accuracy) > 0.95);
    }

    #[test]
    fn a_failing_stage_is_named() {
        let table = sample_table("penguins");
        let mut s = standard_pipeline(
            "species",
            Task::Classification,
            ModelSpec::GaussianNb(model::gaussian_nb::GaussianNb { var_smoothing: 1e-9 }),
        );
        s.preprocess.impute = None;
        let err = train(&table, &s).err().unwrap();
        assert_eq!(err.stage, Stage::Preprocess);
        assert!(err.message.contains("is missing on line"), "{}", err.message);
    }
}
