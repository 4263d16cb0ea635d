//! `predictions`: a model the user trained elsewhere (scikit-learn, XGBoost, PyTorch, R),
//! brought as columns of the data (PRODUCT.md §9): `prediction` holds each row's predicted
//! label or value, `scores` the predicted probabilities (one column of the positive class's
//! for two classes, or a column per class). Nothing is trained: every labelled row is an
//! evaluated ("test") row, and the tests that train, retrain or inspect the split and the
//! preprocessing are refused when the suite is read (`checks::TestKind::needs_training`).
//!
//! [`read_outputs`] reads the columns into the engine's [`Output`], checking every labelled
//! row (a missing prediction or score, a score outside [0, 1]: an error naming the line). The
//! fitted model looks its outputs up by the one input the pipeline gives it, each row's
//! position among the labelled rows, so every part of the engine that predicts a subset of
//! rows (charts, `--predictions`, a batch test) works as for a trained model.

use std::collections::BTreeMap;

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::{Fitted, Model, ModelKind, Output};
use crate::pipeline::prepare::{Prepared, Target};
use crate::table::Column;
use crate::vocab::{Param, ParamError, ParamType, Task};

/// Where the model's outputs are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Predictions {
    /// The column of predicted labels (classification) or values (regression).
    pub prediction: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scores: Option<Scores>,
}

/// The predicted probabilities' columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Scores {
    /// Two classes: the probability of the positive class (the larger label).
    Positive(String),
    /// A column for every class, by the class's label.
    PerClass(BTreeMap<String, String>),
}

impl Scores {
    /// Every column named, in order.
    pub fn columns(&self) -> Vec<&str> {
        match self {
            Scores::Positive(column) => vec![column],
            Scores::PerClass(columns) => columns.values().map(String::as_str).collect(),
        }
    }
}

impl Predictions {
    /// Every column the model reads: not features, and not data to learn from.
    pub fn columns(&self) -> Vec<&str> {
        let mut columns = vec![self.prediction.as_str()];
        columns.extend(self.scores.iter().flat_map(Scores::columns));
        columns
    }
}

impl ModelKind for Predictions {
    const NAME: &'static str = "predictions";
    const TASKS: &'static [Task] = &[Task::Classification, Task::Regression];
    const SUMMARY: &'static str =
        "your own model's outputs, read from columns of the data (nothing is trained)";
    const PARAMS: &'static [Param] = &[
        Param::required(
            "prediction",
            ParamType::Column,
            "\"prediction\"",
            "the column of predicted labels or values",
        ),
        Param::optional(
            "scores",
            ParamType::ClassColumns,
            "none: no probabilities",
            "predicted probabilities: the positive class's column (two classes), or a column per class",
        ),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        if self.prediction.trim().is_empty() {
            return Err(ParamError::new("prediction", "name the column of predictions"));
        }
        if let Some(Scores::PerClass(columns)) = &self.scores {
            if columns.is_empty() {
                return Err(ParamError::new("scores", "name a column for every class"));
            }
        }
        Ok(())
    }

    fn describe(&self) -> String {
        match &self.scores {
            None => format!("read from `{}`, no scores", self.prediction),
            Some(scores) => format!("read from `{}`, scores {}", self.prediction, quoted(&scores.columns())),
        }
    }

    fn reads_outputs(&self) -> Option<&Predictions> {
        Some(self)
    }

    fn fit(&self, _x: ArrayView2<'_, f64>, _y: &Target) -> Result<Box<dyn Fitted>, String> {
        Err("the predictions model reads its outputs from the data; it is not trained".to_owned())
    }
}

fn quoted(columns: &[&str]) -> String {
    columns.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
}

/// The outputs of every labelled row of `prepared`, read from the columns `spec` names.
/// Errors name the field, the column and the line.
pub fn read_outputs(prepared: &Prepared<'_>, spec: &Predictions) -> Result<Output, String> {
    let table = prepared.table;
    let column = |field: &str, name: &str| {
        table.column(name).ok_or_else(|| {
            format!("`model.{field}` names `{name}`, which is not a column of {}", table.name())
        })
    };
    let prediction = column("prediction", &spec.prediction)?;
    if prediction.name() == prepared.target_name {
        return Err(format!(
            "`model.prediction` names the target `{}`: name the column of predictions",
            prediction.name()
        ));
    }
    let missing = |what: &str, column: &Column, position: usize| {
        format!(
            "the {what} `{}` is missing on line {}, a labelled row",
            column.name(),
            prepared.line(position)
        )
    };
    match &prepared.target {
        Target::Values(_) => {
            if spec.scores.is_some() {
                return Err("`model.scores` are class probabilities; the task is regression".to_owned());
            }
            if !prediction.ty().is_numeric() {
                return Err(format!(
                    "`model.prediction` names `{}`, a {} column: a regression's predictions are numbers",
                    prediction.name(),
                    prediction.ty()
                ));
            }
            let values = (0..prepared.len())
                .map(|p| {
                    prediction.number(prepared.rows[p]).ok_or_else(|| missing("prediction", prediction, p))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Output::Values(values))
        }
        Target::Classes { names, .. } => {
            let code = |label: &str| names.iter().position(|n| n == label);
            let labels = (0..prepared.len())
                .map(|p| {
                    let row = prepared.rows[p];
                    if prediction.is_missing(row) {
                        return Err(missing("prediction", prediction, p));
                    }
                    // The classes are the union of the target's and the predictions' labels
                    // (`prepare_predictions`), so every prediction has a code.
                    code(&prediction.text(row)).ok_or_else(|| {
                        format!(
                            "the prediction `{}` on line {} is not a class",
                            prediction.text(row),
                            prepared.line(p)
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let proba = match &spec.scores {
                None => Array2::zeros((labels.len(), 0)),
                Some(scores) => read_scores(prepared, scores, names, &column)?,
            };
            Ok(Output::Classes { labels, proba })
        }
    }
}

/// The probability columns, one per class in the classes' order (rows × classes).
fn read_scores<'t>(
    prepared: &Prepared<'t>,
    scores: &Scores,
    names: &[String],
    column: &dyn Fn(&str, &str) -> Result<&'t Column, String>,
) -> Result<Array2<f64>, String> {
    let rows = prepared.len();
    let read = |field: &str, column: &Column| -> Result<Vec<f64>, String> {
        (0..rows)
            .map(|p| {
                let line = prepared.line(p);
                match column.number(prepared.rows[p]) {
                    Some(x) if (0.0..=1.0).contains(&x) => Ok(x),
                    Some(x) => Err(format!(
                        "the score {x} in `{}` on line {line} is not a probability (from 0 to 1); `model.{field}`",
                        column.name()
                    )),
                    None if column.is_missing(prepared.rows[p]) => Err(format!(
                        "the score `{}` is missing on line {line}, a labelled row; `model.{field}`",
                        column.name()
                    )),
                    None => Err(format!(
                        "the score `{}` on line {line} is `{}`, not a number; `model.{field}`",
                        column.name(),
                        column.text(prepared.rows[p])
                    )),
                }
            })
            .collect()
    };
    let mut proba = Array2::zeros((rows, names.len()));
    match scores {
        Scores::Positive(name) => {
            if names.len() != 2 {
                return Err(format!(
                    "`model.scores` names one column, the positive class's probability, which is for two classes; \
                     there are {} ({}): give an object with a column per class",
                    names.len(),
                    names.join(", ")
                ));
            }
            let positive = read("scores", column("scores", name)?)?;
            for (i, p) in positive.into_iter().enumerate() {
                proba[[i, 0]] = 1.0 - p;
                proba[[i, 1]] = p;
            }
        }
        Scores::PerClass(columns) => {
            if let Some(unknown) = columns.keys().find(|label| !names.contains(label)) {
                return Err(format!(
                    "`model.scores.{unknown}` names a class that is neither a label nor a prediction; the classes are {}",
                    names.join(", ")
                ));
            }
            for (class, label) in names.iter().enumerate() {
                let field = format!("scores.{label}");
                let name = columns.get(label).ok_or_else(|| {
                    format!("`model.scores` has no column for the class `{label}`: name one for every class")
                })?;
                let values = read(&field, column(&field, name)?)?;
                for (i, p) in values.into_iter().enumerate() {
                    proba[[i, class]] = p;
                }
            }
        }
    }
    Ok(proba)
}

/// The model of `spec` on `prepared`: its outputs for every labelled row, and the fitted
/// model that looks them up by position (see [`positions`]).
pub fn fit_outputs(prepared: &Prepared<'_>, spec: &Predictions) -> Result<(Model, Output), String> {
    let output = read_outputs(prepared, spec)?;
    Ok((Model { inner: Box::new(Lookup { output: output.clone() }) }, output))
}

/// The one input the pipeline gives the predictions model: each of `positions` (positions
/// among the labelled rows), as a number.
pub fn positions(positions: &[usize]) -> Array2<f64> {
    Array2::from_shape_fn((positions.len(), 1), |(i, _)| positions[i] as f64)
}

/// The fitted model: the outputs of every labelled row, looked up by position.
struct Lookup {
    output: Output,
}

impl Fitted for Lookup {
    /// `x` holds one input per row, the row's position among the labelled rows.
    fn predict(&self, x: ArrayView2<'_, f64>) -> Output {
        let positions: Vec<usize> =
            x.rows().into_iter().map(|row| row.get(0).copied().unwrap_or(0.0) as usize).collect();
        match &self.output {
            Output::Classes { labels, proba } => Output::Classes {
                labels: positions.iter().map(|&p| labels[p]).collect(),
                proba: proba.select(ndarray::Axis(0), &positions),
            },
            Output::Values(values) => Output::Values(positions.iter().map(|&p| values[p]).collect()),
        }
    }
}
