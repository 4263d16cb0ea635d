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
            format!(
                "`model.{field}` names `{name}`, which is not a column of {}{}",
                table.name(),
                table.column_hint(name)
            )
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
                    prediction
                        .number(prepared.rows.get(p))
                        .ok_or_else(|| missing("prediction", prediction, p))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Output::Values(values))
        }
        Target::Classes { names, .. } => {
            let code = |label: &str| names.iter().position(|n| n == label);
            let labels = (0..prepared.len())
                .map(|p| {
                    let row = prepared.rows.get(p);
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
                match column.number(prepared.rows.get(p)) {
                    Some(x) if (0.0..=1.0).contains(&x) => Ok(x),
                    Some(x) => Err(format!(
                        "the score {x} in `{}` on line {line} is not a probability (from 0 to 1); `model.{field}`",
                        column.name()
                    )),
                    None if column.is_missing(prepared.rows.get(p)) => Err(format!(
                        "the score `{}` is missing on line {line}, a labelled row; `model.{field}`",
                        column.name()
                    )),
                    None => Err(format!(
                        "the score `{}` on line {line} is `{}`, not a number; `model.{field}`",
                        column.name(),
                        column.text(prepared.rows.get(p))
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
        self.output.select(&positions)
    }
}

#[cfg(test)]
mod tests {
    //! Expected values are scikit-learn 1.9.1's on the same columns:
    //! `accuracy_score`, `precision_score`/`recall_score`/`f1_score(pos_label="male")`,
    //! `roc_auc_score(y == "male", p_male)`, `log_loss(y, [1 − p, p])`, `matthews_corrcoef`
    //! (scripts/compare_sklearn.py re-checks the suite's numbers against scikit-learn).

    use serde_json::json;

    use super::*;
    use crate::pipeline::evaluate::Metric;
    use crate::pipeline::fit::{train, PipelineSpec, Trained};
    use crate::pipeline::metrics::Average;
    use crate::pipeline::model::ModelSpec;
    use crate::samples;
    use crate::table::{read_csv, LoadOptions, Table};

    fn table(csv: &str) -> Table {
        read_csv(csv.as_bytes(), "mine.csv", &LoadOptions::default()).unwrap()
    }

    fn spec(target: &str, task: Task, model: serde_json::Value) -> PipelineSpec {
        PipelineSpec {
            target: target.into(),
            task,
            features: None,
            drop: Vec::new(),
            split: Default::default(),
            preprocess: Default::default(),
            model: serde_json::from_value::<ModelSpec>(model).unwrap(),
        }
    }

    fn metric(trained: &Trained<'_>, metric: Metric, average: Option<Average>) -> f64 {
        metric.compute(&trained.fitted.y_test, &trained.fitted.test_output, average).unwrap()
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} vs {b}");
    }

    #[test]
    fn a_scikit_learn_models_predictions_give_scikit_learns_metrics() {
        let sample = samples::get("penguins_predictions").unwrap();
        let table = read_csv(sample.csv, sample.file, &LoadOptions::default()).unwrap();
        let model = json!({"kind": "predictions", "prediction": "sex_pred", "scores": "p_male"});
        let trained = train(&table, &spec("sex", Task::Classification, model)).unwrap();
        // Every labelled row is evaluated; the 9 rows without `sex` are left out.
        assert_eq!(
            (trained.split.train.len(), trained.split.test.len(), trained.prepared.unlabelled),
            (0, 333, 9)
        );
        close(metric(&trained, Metric::Accuracy, None), 0.7867867867867868);
        close(metric(&trained, Metric::Precision, None), 0.793939393939394);
        close(metric(&trained, Metric::Recall, None), 0.7797619047619048);
        close(metric(&trained, Metric::F1, None), 0.7867867867867868);
        close(metric(&trained, Metric::F1, Some(Average::Macro)), 0.7867867867867868);
        close(metric(&trained, Metric::RocAuc, None), 0.854978354978355);
        close(metric(&trained, Metric::LogLoss, None), 0.4883540310903367);
        close(metric(&trained, Metric::Mcc, None), 0.5737012987012987);
        // The model predicts any subset of rows by position, as a trained one does.
        let Output::Classes { labels, proba } = trained.fitted.model.predict(positions(&[2, 0]).view())
        else {
            panic!("classes")
        };
        let Output::Classes { labels: all, proba: all_proba } = &trained.fitted.test_output else { panic!() };
        assert_eq!(labels, [all[2], all[0]]);
        assert_eq!(proba.row(0), all_proba.row(2));
    }

    /// Per-class scores; a predicted label the target never has is a class too (scikit-learn's
    /// `unique_labels`); expected values from `f1_score(average="macro")`,
    /// `roc_auc_score(multi_class="ovr")` and `log_loss` (scikit-learn 1.9.1).
    #[test]
    fn per_class_scores_and_the_union_of_labels() {
        let rows = [
            ("a", "a", [0.7, 0.2, 0.1]),
            ("b", "b", [0.1, 0.6, 0.3]),
            ("c", "b", [0.2, 0.5, 0.3]),
            ("a", "a", [0.8, 0.1, 0.1]),
            ("b", "c", [0.2, 0.3, 0.5]),
            ("c", "c", [0.1, 0.2, 0.7]),
            ("a", "b", [0.3, 0.4, 0.3]),
            ("c", "c", [0.05, 0.15, 0.8]),
        ];
        let mut csv = String::from("y,pred,pa,pb,pc\n");
        for (y, pred, p) in rows {
            csv.push_str(&format!("{y},{pred},{},{},{}\n", p[0], p[1], p[2]));
        }
        let t = table(&csv);
        let scores = json!({"a": "pa", "b": "pb", "c": "pc"});
        let model = json!({"kind": "predictions", "prediction": "pred", "scores": scores});
        let trained = train(&t, &spec("y", Task::Classification, model)).unwrap();
        close(metric(&trained, Metric::Accuracy, None), 0.625);
        close(metric(&trained, Metric::F1, None), 0.6222222222222222);
        close(metric(&trained, Metric::RocAuc, None), 0.9);
        close(metric(&trained, Metric::LogLoss, None), 0.6602976284062104);

        let t = table("y,pred\na,a\nb,b\na,d\nb,b\n");
        let trained =
            train(&t, &spec("y", Task::Classification, json!({"kind": "predictions", "prediction": "pred"})))
                .unwrap();
        assert_eq!(trained.prepared.target.class_names(), ["a", "b", "d"]);
        close(metric(&trained, Metric::F1, Some(Average::Macro)), 0.5555555555555555);
        close(metric(&trained, Metric::Accuracy, None), 0.75);
        let err =
            Metric::RocAuc.compute(&trained.fitted.y_test, &trained.fitted.test_output, None).unwrap_err();
        assert_eq!(err, "roc_auc needs the model's probabilities: the `predictions` model has no `scores`");
    }

    /// `r2_score`, `mean_absolute_error`, `root_mean_squared_error` (scikit-learn 1.9.1).
    #[test]
    fn regression_predictions() {
        let t = table("y,yhat\n3,2.5\n5,5\nNA,1\n2.5,4\n7,8\n");
        let trained =
            train(&t, &spec("y", Task::Regression, json!({"kind": "predictions", "prediction": "yhat"})))
                .unwrap();
        assert_eq!(trained.fitted.y_test.len(), 4, "the unlabelled row is left out");
        close(metric(&trained, Metric::R2, None), 0.7241379310344828);
        close(metric(&trained, Metric::Mae, None), 0.75);
        close(metric(&trained, Metric::Rmse, None), 0.9354143466934853);
    }

    fn error(csv: &str, task: Task, model: serde_json::Value) -> String {
        let t = table(csv);
        train(&t, &spec("y", task, model)).err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn bad_predictions_and_scores_name_the_line_or_the_field() {
        let binary = |scores: serde_json::Value| json!({"kind": "predictions", "prediction": "pred", "scores": scores});
        let classification = Task::Classification;
        assert_eq!(
            error("y,pred,p\na,a,0.2\nb,NA,0.9\n", classification, binary(json!("p"))),
            "predict failed: the prediction `pred` is missing on line 3, a labelled row"
        );
        assert_eq!(
            error("y,pred,p\na,a,0.2\nb,b,1.5\n", classification, binary(json!("p"))),
            "predict failed: the score 1.5 in `p` on line 3 is not a probability (from 0 to 1); `model.scores`"
        );
        assert_eq!(
            error("y,pred,p\na,a,NA\nb,b,0.9\n", classification, binary(json!("p"))),
            "predict failed: the score `p` is missing on line 2, a labelled row; `model.scores`"
        );
        assert_eq!(
            error("y,pred,pa,pb\na,a,0.8,0.2\nb,b,0.1,0.9\n", classification, binary(json!({"a": "pa", "z": "pb"}))),
            "predict failed: `model.scores.z` names a class that is neither a label nor a prediction; the classes are a, b"
        );
        assert_eq!(
            error("y,pred,pa,pb\na,a,0.8,0.2\nb,b,0.1,0.9\n", classification, binary(json!({"a": "pa"}))),
            "predict failed: `model.scores` has no column for the class `b`: name one for every class"
        );
        assert!(error("y,pred,p\na,a,0.1\nb,b,0.2\nc,c,0.3\n", classification, binary(json!("p")))
            .contains("which is for two classes; there are 3 (a, b, c)"));
        assert_eq!(
            error("y,pred,p\na,a,0.1\nb,b,0.2\n", classification, binary(json!("nope"))),
            "predict failed: `model.scores` names `nope`, which is not a column of mine.csv"
        );
        assert_eq!(
            error("y,pred\na,a\nb,b\n", classification, json!({"kind": "predictions", "prediction": "nope"})),
            "prepare failed: `model.prediction` names `nope`, which is not a column of mine.csv"
        );
        assert_eq!(
            error("y,pred\n1,2\n3,x\n", Task::Regression, json!({"kind": "predictions", "prediction": "pred"})),
            "predict failed: `model.prediction` names `pred`, a text column: a regression's predictions are numbers"
        );
        assert_eq!(
            error("y,pred,p\n1,2,0.5\n3,4,0.5\n", Task::Regression, binary(json!("p"))),
            "predict failed: `model.scores` are class probabilities; the task is regression"
        );
    }
}
