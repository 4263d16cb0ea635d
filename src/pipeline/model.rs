//! The models, behind one enum: logistic regression ([`super::logistic`]), naive Bayes
//! ([`super::naive_bayes`]), ridge ([`super::ridge`]), the trees ([`super::tree`]) and the
//! nearest-neighbour search ([`super::knn`]) are the engine's own, the others linfa 0.8's
//! (all pure Rust: the same code trains natively and in the browser).
//!
//! [`ModelSpec`] is the suite's `model`: the kind and its hyperparameters, named and scaled
//! as in scikit-learn where the two differ (logistic regression's `c` is sklearn's `C`;
//! ridge's `alpha` is `Ridge(alpha)`), so a suite reads the same to a scikit-learn user.
//! [`Model`] is a trained model; [`Output`] its predictions, with class probabilities for
//! classifiers so ROC AUC and log loss can be computed.

use linfa::prelude::*;
use linfa_elasticnet::ElasticNet;
use linfa_linear::{FittedLinearRegression, LinearRegression};
use linfa_svm::Svm;
use ndarray::{Array1, Array2, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

use super::knn::Neighbours;
use super::limits::{self, count, MAX_ITERATIONS, MAX_LOGISTIC_WEIGHTS, MAX_SVM_TRAIN_ROWS};
use super::logistic::{self, LogisticRegression};
use super::naive_bayes::GaussianNb;
use super::prepare::Target;
use super::ridge::Ridge;
use super::tree::{ClassificationTree, RegressionTree, TreeParams};
use crate::checks::{Param, ParamError, ParamType};
use crate::suite::Task;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Criterion {
    #[default]
    Gini,
    Entropy,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kernel {
    Linear,
    #[default]
    Rbf,
}

/// The suite's `model`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ModelSpec {
    /// L2-regularised logistic regression (binary, or multinomial for three or more classes),
    /// fitted with L-BFGS; `c` is the inverse regularisation strength, as scikit-learn's `C`.
    LogisticRegression {
        #[serde(default = "default_iterations")]
        max_iterations: u64,
        #[serde(default = "one")]
        c: f64,
    },
    /// CART classification tree, as scikit-learn's `DecisionTreeClassifier` (see [`super::tree`]).
    DecisionTree {
        #[serde(default)]
        max_depth: Option<usize>,
        #[serde(default = "two")]
        min_samples_split: usize,
        #[serde(default)]
        criterion: Criterion,
    },
    GaussianNb {
        #[serde(default = "default_var_smoothing")]
        var_smoothing: f64,
    },
    /// k nearest neighbours (Euclidean, uniform weights): majority label, or mean target.
    Knn {
        #[serde(default = "five")]
        k: usize,
    },
    /// C-support vector classifier; several classes are one-vs-rest. `gamma` defaults to
    /// scikit-learn's "scale", 1 / (features × variance of the inputs).
    Svm {
        #[serde(default = "one")]
        c: f64,
        #[serde(default)]
        kernel: Kernel,
        #[serde(default)]
        gamma: Option<f64>,
    },
    LinearRegression {},
    /// Least squares with an L2 penalty: minimises ‖y − Xw‖² + alpha‖w‖², as `Ridge`.
    Ridge {
        #[serde(default = "one")]
        alpha: f64,
    },
    /// As scikit-learn's `ElasticNet`: 1/(2n)‖y − Xw‖² + alpha·l1_ratio‖w‖₁ + alpha(1 − l1_ratio)/2‖w‖².
    ElasticNet {
        #[serde(default = "one")]
        alpha: f64,
        #[serde(default = "half")]
        l1_ratio: f64,
        #[serde(default = "default_cd_iterations")]
        max_iterations: u32,
    },
    /// CART regression tree (squared error, leaf means), as scikit-learn's
    /// `DecisionTreeRegressor` (see [`super::tree`]).
    DecisionTreeRegressor {
        #[serde(default)]
        max_depth: Option<usize>,
        #[serde(default = "two")]
        min_samples_split: usize,
    },
}

/// A model kind as the suite editor's model form shows it: its hyperparameters are
/// described once here and the form is generated from them (tests in
/// `checks::catalog` check the list against [`ModelSpec`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelInfo {
    pub name: &'static str,
    /// The tasks it can learn.
    pub tasks: &'static [Task],
    pub summary: &'static str,
    pub params: &'static [Param],
}

const CLASSIFICATION: &[Task] = &[Task::Classification];
const REGRESSION: &[Task] = &[Task::Regression];
const MAX_DEPTH: Param =
    Param::optional("max_depth", ParamType::Integer, "no limit", "the deepest a leaf may be");
const MIN_SAMPLES_SPLIT: Param =
    Param::optional("min_samples_split", ParamType::Integer, "2", "fewest rows a node needs to split");

/// Every model kind, in the order the model form lists them.
pub const MODELS: &[ModelInfo] = &[
    ModelInfo {
        name: "logistic_regression",
        tasks: CLASSIFICATION,
        summary: "L2-regularised logistic regression (L-BFGS)",
        params: &[
            Param::optional("max_iterations", ParamType::Integer, "100", "L-BFGS iterations, at most 10,000"),
            Param::optional(
                "c",
                ParamType::Number,
                "1",
                "inverse regularisation strength, as scikit-learn's C",
            ),
        ],
    },
    ModelInfo {
        name: "decision_tree",
        tasks: CLASSIFICATION,
        summary: "CART classification tree",
        params: &[
            MAX_DEPTH,
            MIN_SAMPLES_SPLIT,
            Param::optional(
                "criterion",
                ParamType::Choice(&["gini", "entropy"]),
                "gini",
                "the impurity measure",
            ),
        ],
    },
    ModelInfo {
        name: "gaussian_nb",
        tasks: CLASSIFICATION,
        summary: "Gaussian naive Bayes",
        params: &[Param::optional(
            "var_smoothing",
            ParamType::Number,
            "1e-9",
            "share of the largest variance added to all",
        )],
    },
    ModelInfo {
        name: "knn",
        tasks: &[Task::Classification, Task::Regression],
        summary: "k nearest neighbours (Euclidean)",
        params: &[Param::optional("k", ParamType::Integer, "5", "neighbours that vote")],
    },
    ModelInfo {
        name: "svm",
        tasks: CLASSIFICATION,
        summary: "C-support vector classifier",
        params: &[
            Param::optional("c", ParamType::Number, "1", "penalty of a misclassified row"),
            Param::optional("kernel", ParamType::Choice(&["linear", "rbf"]), "rbf", "the kernel"),
            Param::optional(
                "gamma",
                ParamType::Number,
                "scale: 1 / (features × variance)",
                "the RBF kernel's width",
            ),
        ],
    },
    ModelInfo {
        name: "linear_regression",
        tasks: REGRESSION,
        summary: "ordinary least squares",
        params: &[],
    },
    ModelInfo {
        name: "ridge",
        tasks: REGRESSION,
        summary: "least squares with an L2 penalty",
        params: &[Param::optional("alpha", ParamType::Number, "1", "the penalty's strength")],
    },
    ModelInfo {
        name: "elastic_net",
        tasks: REGRESSION,
        summary: "least squares with L1 and L2 penalties",
        params: &[
            Param::optional("alpha", ParamType::Number, "1", "the penalty's strength"),
            Param::optional("l1_ratio", ParamType::Number, "0.5", "the L1 share of the penalty, 0..1"),
            Param::optional(
                "max_iterations",
                ParamType::Integer,
                "1000",
                "coordinate descent iterations, at most 10,000",
            ),
        ],
    },
    ModelInfo {
        name: "decision_tree_regressor",
        tasks: REGRESSION,
        summary: "CART regression tree",
        params: &[MAX_DEPTH, MIN_SAMPLES_SPLIT],
    },
];

/// The model form's entry for the kind named `name`.
pub fn model_info(name: &str) -> Option<&'static ModelInfo> {
    MODELS.iter().find(|m| m.name == name)
}

fn default_iterations() -> u64 {
    100
}
fn default_cd_iterations() -> u32 {
    1000
}
fn default_var_smoothing() -> f64 {
    1e-9
}
fn one() -> f64 {
    1.0
}
fn half() -> f64 {
    0.5
}
fn two() -> usize {
    2
}
fn five() -> usize {
    5
}

impl ModelSpec {
    /// The kind's name in the suite file.
    pub fn kind(&self) -> &'static str {
        match self {
            ModelSpec::LogisticRegression { .. } => "logistic_regression",
            ModelSpec::DecisionTree { .. } => "decision_tree",
            ModelSpec::GaussianNb { .. } => "gaussian_nb",
            ModelSpec::Knn { .. } => "knn",
            ModelSpec::Svm { .. } => "svm",
            ModelSpec::LinearRegression {} => "linear_regression",
            ModelSpec::Ridge { .. } => "ridge",
            ModelSpec::ElasticNet { .. } => "elastic_net",
            ModelSpec::DecisionTreeRegressor { .. } => "decision_tree_regressor",
        }
    }

    /// Whether the model can learn `task`.
    pub fn supports(&self, task: Task) -> bool {
        match self {
            ModelSpec::Knn { .. } => true,
            ModelSpec::LogisticRegression { .. }
            | ModelSpec::DecisionTree { .. }
            | ModelSpec::GaussianNb { .. }
            | ModelSpec::Svm { .. } => task == Task::Classification,
            ModelSpec::LinearRegression {}
            | ModelSpec::Ridge { .. }
            | ModelSpec::ElasticNet { .. }
            | ModelSpec::DecisionTreeRegressor { .. } => task == Task::Regression,
        }
    }

    /// Checks each hyperparameter's range, naming the parameter.
    pub fn validate(&self) -> Result<(), ParamError> {
        let positive = |field: &'static str, value: f64| {
            if value > 0.0 && value.is_finite() {
                Ok(())
            } else {
                Err(ParamError::new(field, format!("{value} must be a positive number")))
            }
        };
        let non_negative = |field: &'static str, value: f64| {
            if value >= 0.0 && value.is_finite() {
                Ok(())
            } else {
                Err(ParamError::new(field, format!("{value} must be zero or more")))
            }
        };
        match *self {
            ModelSpec::LogisticRegression { max_iterations, c } => {
                iterations(max_iterations)?;
                positive("c", c)
            }
            ModelSpec::DecisionTree { max_depth, min_samples_split, .. }
            | ModelSpec::DecisionTreeRegressor { max_depth, min_samples_split } => {
                if max_depth == Some(0) {
                    return Err(ParamError::new(
                        "max_depth",
                        "a tree of depth 0 has no split; use at least 1",
                    ));
                }
                if min_samples_split < 2 {
                    return Err(ParamError::new(
                        "min_samples_split",
                        format!("{min_samples_split} is below 2: a split needs two rows"),
                    ));
                }
                Ok(())
            }
            ModelSpec::GaussianNb { var_smoothing } => non_negative("var_smoothing", var_smoothing),
            ModelSpec::Knn { k } => {
                if k == 0 {
                    return Err(ParamError::new("k", "k = 0 asks no neighbour; use at least 1"));
                }
                Ok(())
            }
            ModelSpec::Svm { c, gamma, .. } => {
                positive("c", c)?;
                gamma.map_or(Ok(()), |g| positive("gamma", g))
            }
            ModelSpec::LinearRegression {} => Ok(()),
            ModelSpec::Ridge { alpha } => non_negative("alpha", alpha),
            ModelSpec::ElasticNet { alpha, l1_ratio, max_iterations } => {
                non_negative("alpha", alpha)?;
                if !(0.0..=1.0).contains(&l1_ratio) {
                    return Err(ParamError::new("l1_ratio", format!("{l1_ratio} is not from 0 to 1")));
                }
                iterations(max_iterations.into())
            }
        }
    }

    /// Refuses a train part the model cannot hold: an SVM computes the whole train × train
    /// kernel matrix before it starts (40k train rows asked for 8.2 GB and aborted). Checked
    /// before preprocessing, and again by [`fit`](Self::fit).
    pub fn check_train_rows(&self, rows: usize) -> Result<(), String> {
        match self {
            ModelSpec::Svm { .. } if rows > MAX_SVM_TRAIN_ROWS => Err(format!(
                "svm would train on {} rows, and its kernel matrix holds rows² = {} numbers ({}); \
                 the engine holds an svm's kernel for at most {} train rows: sample the rows, or choose \
                 another model (logistic_regression, decision_tree, knn)",
                count(rows),
                count(rows.saturating_mul(rows)),
                limits::bytes(rows.saturating_mul(rows)),
                count(MAX_SVM_TRAIN_ROWS)
            )),
            _ => Ok(()),
        }
    }

    /// A short description for execution tables: `logistic_regression (c = 1, 100 iterations)`.
    pub fn describe(&self) -> String {
        let params = match *self {
            ModelSpec::LogisticRegression { max_iterations, c } => {
                format!("c = {c}, max {max_iterations} iterations")
            }
            ModelSpec::DecisionTree { max_depth, min_samples_split, criterion } => format!(
                "max_depth = {}, min_samples_split = {min_samples_split}, {criterion:?}",
                max_depth.map_or("none".to_owned(), |d| d.to_string())
            )
            .to_lowercase(),
            ModelSpec::GaussianNb { var_smoothing } => format!("var_smoothing = {var_smoothing:e}"),
            ModelSpec::Knn { k } => format!("k = {k}"),
            ModelSpec::Svm { c, kernel, gamma } => format!(
                "c = {c}, {} kernel{}",
                format!("{kernel:?}").to_lowercase(),
                gamma.map_or(String::new(), |g| format!(", gamma = {g}"))
            ),
            ModelSpec::LinearRegression {} => "ordinary least squares".to_owned(),
            ModelSpec::Ridge { alpha } => format!("alpha = {alpha}"),
            ModelSpec::ElasticNet { alpha, l1_ratio, .. } => {
                format!("alpha = {alpha}, l1_ratio = {l1_ratio}")
            }
            ModelSpec::DecisionTreeRegressor { max_depth, min_samples_split } => format!(
                "max_depth = {}, min_samples_split = {min_samples_split}",
                max_depth.map_or("none".to_owned(), |d| d.to_string())
            ),
        };
        format!("{} ({params})", self.kind())
    }

    /// Trains on `x` (one row per sample) and `y`. Errors say what went wrong in plain words.
    pub fn fit(&self, x: ArrayView2<'_, f64>, y: &Target) -> Result<Model, String> {
        let (n, width) = x.dim();
        if n == 0 {
            return Err("there are no train rows".to_owned());
        }
        self.check_train_rows(n)?;
        let failed = |e: &dyn std::fmt::Display| format!("{} could not be trained: {e}", self.kind());
        let inner = match (self, y) {
            (ModelSpec::Knn { k }, target) => {
                if *k > n {
                    return Err(format!("knn asks for k = {k} neighbours but there are {n} train rows"));
                }
                Inner::Knn { x: x.to_owned(), y: target.clone(), k: *k }
            }
            (_, Target::Classes { codes, names }) => {
                // A class can be absent from a small train part; models learn the classes
                // present and report probability 0 for the others.
                let present = present_classes(codes, names.len());
                if present.len() < 2 {
                    return Err(format!(
                        "the train rows hold one class (`{}`): a classifier needs at least two",
                        names[present[0]]
                    ));
                }
                let local: Vec<usize> = codes.iter().map(|c| present.binary_search(c).unwrap_or(0)).collect();
                let model = match *self {
                    ModelSpec::LogisticRegression { max_iterations, c } => {
                        check_logistic_weights(width, present.len())?;
                        let max_iterations = usize::try_from(max_iterations).unwrap_or(usize::MAX);
                        let fitted = LogisticRegression::fit(
                            x,
                            &local,
                            present.len(),
                            c,
                            logistic::stopping(max_iterations),
                        )
                        .map_err(|e| failed(&e))?;
                        Classifier::Logistic(fitted)
                    }
                    ModelSpec::DecisionTree { max_depth, min_samples_split, criterion } => {
                        let params = TreeParams { max_depth, min_samples_split, criterion };
                        let fitted = ClassificationTree::fit(x, &local, present.len(), &params)
                            .map_err(|e| failed(&e))?;
                        Classifier::Tree(fitted)
                    }
                    ModelSpec::GaussianNb { var_smoothing } => {
                        let fitted = GaussianNb::fit(x, &local, present.len(), var_smoothing)
                            .map_err(|e| failed(&e))?;
                        Classifier::Bayes(fitted)
                    }
                    ModelSpec::Svm { c, kernel, gamma } => {
                        let gamma = gamma.unwrap_or_else(|| scale_gamma(x, width));
                        let machines = (0..present.len())
                            .take(if present.len() == 2 { 1 } else { present.len() })
                            .map(|class| {
                                // Binary: one machine for class 1 (the larger label) against 0.
                                let positive = if present.len() == 2 { 1 } else { class };
                                let labels: Array1<bool> = local.iter().map(|&l| l == positive).collect();
                                let params = Svm::<f64, bool>::params().pos_neg_weights(c, c);
                                let params = match kernel {
                                    Kernel::Linear => params.linear_kernel(),
                                    Kernel::Rbf => params.gaussian_kernel(1.0 / gamma),
                                };
                                params.fit(&Dataset::new(x.to_owned(), labels)).map_err(|e| failed(&e))
                            })
                            .collect::<Result<Vec<_>, _>>()?;
                        Classifier::Svm(machines)
                    }
                    _ => {
                        return Err(format!(
                            "{} is a regression model: use it with `\"task\": \"regression\"`",
                            self.kind()
                        ))
                    }
                };
                Inner::Classifier { model, present, n_classes: names.len() }
            }
            (_, Target::Values(values)) => {
                let dataset = Dataset::new(x.to_owned(), Array1::from(values.clone()));
                let model = match *self {
                    ModelSpec::LinearRegression {} => {
                        if width >= n {
                            return Err(format!(
                                "linear_regression has {width} inputs but only {n} train rows: the fit is not determined; drop features or use ridge"
                            ));
                        }
                        Regressor::Linear(LinearRegression::new().fit(&dataset).map_err(|e| failed(&e))?)
                    }
                    ModelSpec::Ridge { alpha } => Regressor::Ridge(Ridge::fit(x, values, alpha)?),
                    ModelSpec::ElasticNet { alpha, l1_ratio, max_iterations } => {
                        let fitted = ElasticNet::params()
                            .penalty(alpha)
                            .l1_ratio(l1_ratio)
                            .max_iterations(max_iterations)
                            .fit(&dataset)
                            .map_err(|e| failed(&e))?;
                        Regressor::ElasticNet(fitted)
                    }
                    ModelSpec::DecisionTreeRegressor { max_depth, min_samples_split } => {
                        // The criterion is squared error; `criterion` only applies to classifiers.
                        let params = TreeParams { max_depth, min_samples_split, criterion: Criterion::Gini };
                        Regressor::Tree(RegressionTree::fit(x, values, &params).map_err(|e| failed(&e))?)
                    }
                    _ => {
                        return Err(format!(
                            "{} is a classifier: use it with `\"task\": \"classification\"`",
                            self.kind()
                        ))
                    }
                };
                Inner::Regressor(model)
            }
        };
        Ok(Model { inner })
    }
}

/// Refuses a logistic regression whose weights and their L-BFGS history would pass
/// [`MAX_LOGISTIC_WEIGHTS`], before the optimiser allocates them.
fn check_logistic_weights(inputs: usize, classes: usize) -> Result<(), String> {
    let models = if classes == 2 { 1 } else { classes };
    let weights = inputs.saturating_add(1).saturating_mul(models);
    if weights <= MAX_LOGISTIC_WEIGHTS {
        return Ok(());
    }
    Err(format!(
        "logistic_regression would learn (inputs + 1) × classes = {} × {} = {} weights; the engine learns at most {} \
         (L-BFGS keeps 25 copies of them): drop inputs or classes, or choose another model (gaussian_nb, decision_tree)",
        count(inputs + 1),
        count(models),
        count(weights),
        count(MAX_LOGISTIC_WEIGHTS)
    ))
}

/// `max_iterations` from 1 to [`MAX_ITERATIONS`].
fn iterations(max_iterations: u64) -> Result<(), ParamError> {
    if max_iterations == 0 {
        return Err(ParamError::new("max_iterations", "0 iterations train nothing; use at least 1"));
    }
    if max_iterations > MAX_ITERATIONS {
        return Err(ParamError::new(
            "max_iterations",
            format!(
                "{} is above the limit of {} iterations; a fit that has not converged by then will not",
                count(usize::try_from(max_iterations).unwrap_or(usize::MAX)),
                count(MAX_ITERATIONS as usize)
            ),
        ));
    }
    Ok(())
}

/// The checks every model of the engine's own makes of its train inputs: rows to learn from,
/// one label per row, and only finite numbers (preprocessing imputes missing cells, so a
/// NaN or infinity here is a bug or an unscaled extreme, named by its row and input).
pub(super) fn check_train_inputs<T>(x: ArrayView2<'_, f64>, y: &[T]) -> Result<(), String> {
    if x.nrows() == 0 || x.nrows() != y.len() {
        return Err(format!("{} train rows and {} labels", x.nrows(), y.len()));
    }
    if x.ncols() == 0 {
        return Err("the train rows have no inputs".to_owned());
    }
    if x.iter().all(|v| v.is_finite()) {
        return Ok(());
    }
    // Only on the error path: indexed iteration is several times slower than plain.
    let ((row, column), _) = x.indexed_iter().find(|(_, v)| !v.is_finite()).expect("a value is not finite");
    Err(format!("train row {row}, input {column} is not a finite number"))
}

/// scikit-learn's `gamma="scale"`: 1 / (features × variance of all inputs).
fn scale_gamma(x: ArrayView2<'_, f64>, width: usize) -> f64 {
    let n = x.len() as f64;
    let mean = x.sum() / n;
    let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    if var > 0.0 {
        1.0 / (width as f64 * var)
    } else {
        1.0
    }
}

/// The classes that occur in `codes`, ascending.
fn present_classes(codes: &[usize], n_classes: usize) -> Vec<usize> {
    let mut seen = vec![false; n_classes];
    for &c in codes {
        seen[c] = true;
    }
    (0..n_classes).filter(|&c| seen[c]).collect()
}

/// A trained model.
pub struct Model {
    inner: Inner,
}

enum Inner {
    /// `present[i]` is the global class of the model's class `i`.
    Classifier {
        model: Classifier,
        present: Vec<usize>,
        n_classes: usize,
    },
    Regressor(Regressor),
    Knn {
        x: Array2<f64>,
        y: Target,
        k: usize,
    },
}

enum Classifier {
    Logistic(LogisticRegression),
    Tree(ClassificationTree),
    Bayes(GaussianNb),
    /// One machine (binary) or one per class (one-vs-rest).
    Svm(Vec<Svm<f64, bool>>),
}

enum Regressor {
    Linear(FittedLinearRegression<f64>),
    Ridge(Ridge),
    ElasticNet(ElasticNet<f64>),
    Tree(RegressionTree),
}

/// A model's predictions for some rows.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// The predicted class of each row and each class's probability (rows × classes).
    Classes {
        labels: Vec<usize>,
        proba: Array2<f64>,
    },
    Values(Vec<f64>),
}

impl Output {
    pub fn len(&self) -> usize {
        match self {
            Output::Classes { labels, .. } => labels.len(),
            Output::Values(values) => values.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Model {
    /// Predicts the rows of `x`.
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Output {
        match &self.inner {
            Inner::Classifier { model, present, n_classes } => {
                let local = model.proba(x, present.len());
                let mut proba = Array2::zeros((x.nrows(), *n_classes));
                for (i, &class) in present.iter().enumerate() {
                    proba.column_mut(class).assign(&local.column(i));
                }
                let labels = argmax_rows(&proba);
                Output::Classes { labels, proba }
            }
            Inner::Regressor(Regressor::Linear(model)) => Output::Values(model.predict(&x).to_vec()),
            Inner::Regressor(Regressor::Ridge(model)) => Output::Values(model.predict(x)),
            Inner::Regressor(Regressor::ElasticNet(model)) => Output::Values(model.predict(&x).to_vec()),
            Inner::Regressor(Regressor::Tree(tree)) => Output::Values(tree.predict(x)),
            Inner::Knn { x: train, y, k } => knn_predict(train, y, *k, x),
        }
    }
}

impl Classifier {
    /// Probabilities over the model's own classes (rows × present classes).
    fn proba(&self, x: ArrayView2<'_, f64>, n: usize) -> Array2<f64> {
        match self {
            Classifier::Logistic(model) => model.predict_proba(x),
            Classifier::Tree(tree) => tree.predict_proba(x),
            Classifier::Bayes(model) => model.predict_proba(x),
            Classifier::Svm(machines) => {
                let decision = |m: &Svm<f64, bool>, row| m.weighted_sum(&x.row(row)) - m.rho;
                let mut proba = Array2::zeros((x.nrows(), n));
                for row in 0..x.nrows() {
                    if let [machine] = machines.as_slice() {
                        let p1 = 1.0 / (1.0 + (-decision(machine, row)).exp());
                        proba[[row, 0]] = 1.0 - p1;
                        proba[[row, 1]] = p1;
                    } else {
                        // One-vs-rest decision values, turned into probabilities by a softmax:
                        // the order of the scores, which ROC AUC reads, is the machines' own.
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
    }
}

/// Each row's most probable class; ties go to the lower class, as numpy's argmax.
fn argmax_rows(proba: &Array2<f64>) -> Vec<usize> {
    proba
        .axis_iter(Axis(0))
        .map(|row| {
            let mut best = 0;
            for (class, &p) in row.iter().enumerate() {
                if p > row[best] {
                    best = class;
                }
            }
            best
        })
        .collect()
}

fn knn_predict(train: &Array2<f64>, y: &Target, k: usize, x: ArrayView2<'_, f64>) -> Output {
    let mut index = Neighbours::new(train.view());
    let mut query = Vec::with_capacity(x.ncols());
    let mut neighbours = |row: usize| -> Vec<usize> {
        query.clear();
        query.extend(x.row(row).iter().copied());
        index.nearest(&query, k).iter().map(|&(_, i)| i).collect()
    };
    match y {
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

#[cfg(test)]
mod tests {
    use ndarray::Array2;

    use super::*;

    #[test]
    fn regression_elastic_net_iterations_are_capped_as_logistic_regressions() {
        // 4×10⁹ coordinate-descent sweeps ran for hours.
        let net = ModelSpec::ElasticNet { alpha: 1.0, l1_ratio: 0.5, max_iterations: 4_000_000_000 };
        let err = net.validate().unwrap_err();
        assert_eq!(err.field, "max_iterations");
        assert_eq!(
            err.message,
            "4,000,000,000 is above the limit of 10,000 iterations; a fit that has not converged by then will not"
        );
        let logistic = ModelSpec::LogisticRegression { max_iterations: 10_001, c: 1.0 };
        assert!(logistic.validate().unwrap_err().message.starts_with("10,001 is above the limit of 10,000"));
        let at_limit = ModelSpec::ElasticNet { alpha: 1.0, l1_ratio: 0.5, max_iterations: 10_000 };
        assert!(at_limit.validate().is_ok());
    }

    #[test]
    fn regression_an_svm_train_set_past_its_kernel_budget_is_refused() {
        // 40k rows (32k train) asked linfa for an 8.2 GB kernel and aborted. The check comes
        // before the kernel: the inputs here are zeros, one column, never read.
        let spec = ModelSpec::Svm { c: 1.0, kernel: Kernel::Rbf, gamma: None };
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

    #[test]
    fn regression_logistic_weights_past_the_budget_are_refused_before_l_bfgs() {
        // 5,000 inputs × 1,000 classes: 5 million weights, 25 copies kept by L-BFGS (1 GB).
        let spec = ModelSpec::LogisticRegression { max_iterations: 100, c: 1.0 };
        let x = Array2::<f64>::zeros((1_000, 4_999));
        let y = Target::Classes {
            codes: (0..1_000).collect(),
            names: (0..1_000).map(|c| c.to_string()).collect(),
        };
        let err = spec.fit(x.view(), &y).err().unwrap();
        assert!(
            err.starts_with("logistic_regression would learn (inputs + 1) × classes = 5,000 × 1,000 = 5,000,000 weights; the engine learns at most 2,097,152"),
            "{err}"
        );
    }
}
