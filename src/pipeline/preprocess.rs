//! Preprocessing, fitted on the train rows only: imputation, one-hot encoding, scaling.
//!
//! Whatever order the suite lists them in, the steps apply as a scikit-learn
//! `ColumnTransformer` usually arranges them: missing values are filled first, category
//! columns are one-hot encoded, and the numeric columns (not the one-hot ones) are scaled.
//! Every statistic (means, levels, scales) comes from the train rows, so nothing about the
//! test rows leaks into the model.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::limits::{self, MAX_MODEL_INPUTS};
use super::prepare::Prepared;
use crate::table::{stats, Column, ColumnType, Table};
use crate::vocab::{Param, ParamError, ParamType};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Impute {
    Mean,
    Median,
    MostFrequent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// (x − mean) / std, std with ddof = 0 as scikit-learn's `StandardScaler`.
    Standard,
    /// (x − min) / (max − min), as `MinMaxScaler`.
    Minmax,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OneHot {
    /// Encode every category column; a level not seen in training encodes as all zeros
    /// (`handle_unknown="ignore"`).
    Auto,
}

/// One item of the suite's `preprocess` list: exactly one of its fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreprocessStep {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impute: Option<Impute>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<Scale>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_hot: Option<OneHot>,
}

impl PreprocessStep {
    /// The steps as the suite editor's pipeline form shows them, one menu each (its tests
    /// check the list against the fields serde reads).
    pub const PARAMS: &'static [Param] = &[
        Param::optional(
            "impute",
            ParamType::Choice(&["mean", "median", "most_frequent"]),
            "none",
            "fills missing values",
        ),
        Param::optional("scale", ParamType::Choice(&["standard", "minmax"]), "none", "scales numeric inputs"),
        Param::optional("one_hot", ParamType::Choice(&["auto"]), "none", "encodes category columns"),
    ];
}

/// The suite's preprocessing, read from its list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PreprocessSpec {
    pub impute: Option<Impute>,
    pub scale: Option<Scale>,
    pub one_hot: Option<OneHot>,
}

impl PreprocessSpec {
    /// Reads the list; each item has one step and each step appears once.
    pub fn from_steps(steps: &[PreprocessStep]) -> Result<PreprocessSpec, (usize, ParamError)> {
        let mut spec = PreprocessSpec::default();
        for (index, step) in steps.iter().enumerate() {
            let given = [step.impute.is_some(), step.scale.is_some(), step.one_hot.is_some()];
            if given.iter().filter(|&&g| g).count() != 1 {
                let message =
                    "each item is one step: {\"impute\": …}, {\"scale\": …} or {\"one_hot\": \"auto\"}";
                return Err((index, ParamError::new("impute", message)));
            }
            let twice = |field| Err((index, ParamError::new(field, "this step is already in the list")));
            if step.impute.is_some() {
                if spec.impute.is_some() {
                    return twice("impute");
                }
                spec.impute = step.impute;
            }
            if step.scale.is_some() {
                if spec.scale.is_some() {
                    return twice("scale");
                }
                spec.scale = step.scale;
            }
            if step.one_hot.is_some() {
                if spec.one_hot.is_some() {
                    return twice("one_hot");
                }
                spec.one_hot = step.one_hot;
            }
        }
        Ok(spec)
    }
}

/// How one source column becomes model inputs.
#[derive(Debug, Clone, PartialEq)]
enum Encoder {
    /// A number (bools read as 0/1): filled with `fill` when missing, then `(x − shift) / scale`.
    Numeric { fill: Option<f64>, shift: f64, scale: f64 },
    /// One input per level seen in training; a missing cell takes `fill`'s level.
    OneHot { levels: Vec<String>, fill: Option<usize> },
}

/// Preprocessing fitted on the train rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Preprocessor {
    spec: PreprocessSpec,
    encoders: Vec<Encoder>,
    names: Vec<String>,
}

/// Fitted scaling of one numeric input, for the unit tests of the scaler.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScaleParams {
    pub input: usize,
    pub shift: f64,
    pub scale: f64,
}

impl Preprocessor {
    /// Fits on the rows of `prepared` at `train` positions. Errors name the column and line.
    pub fn fit(
        prepared: &Prepared<'_>,
        train: &[usize],
        spec: PreprocessSpec,
    ) -> Result<Preprocessor, String> {
        let mut encoders = Vec::with_capacity(prepared.features.len());
        let mut names = Vec::new();
        // The table rows of the train part, the same for every column.
        let rows: Vec<usize> = train.iter().map(|&p| prepared.rows.get(p)).collect();
        for column in &prepared.features {
            let encoder = match column.ty() {
                ColumnType::Int | ColumnType::Float | ColumnType::Bool => {
                    fit_numeric(column, &rows, spec, prepared.table)?
                }
                ColumnType::Category => {
                    if spec.one_hot.is_none() {
                        return Err(format!(
                            "the feature `{}` holds categories: add {{\"one_hot\": \"auto\"}} to `preprocess`, or add it to `drop`",
                            column.name()
                        ));
                    }
                    fit_one_hot(column, &rows, spec)
                }
                ColumnType::Text => {
                    return Err(format!("the feature `{}` is free text: add it to `drop`", column.name()))
                }
            };
            match &encoder {
                Encoder::Numeric { .. } => names.push(column.name().to_owned()),
                Encoder::OneHot { levels, .. } => {
                    names.extend(levels.iter().map(|level| format!("{}={level}", column.name())))
                }
            }
            encoders.push(encoder);
        }
        check_width(&prepared.features, &encoders)?;
        limits::check_matrix(
            prepared.len(),
            names.len(),
            "the encoded model inputs",
            "sample the rows, or drop the category columns with the most levels",
        )?;
        Ok(Preprocessor { spec, encoders, names })
    }

    /// The model's input names: numeric columns by name, one-hot inputs as `column=level`.
    pub fn input_names(&self) -> &[String] {
        &self.names
    }

    pub fn width(&self) -> usize {
        self.names.len()
    }

    pub fn spec(&self) -> PreprocessSpec {
        self.spec
    }

    /// The model inputs of the rows at `positions`. A missing cell with no imputer is an
    /// error naming its column and line.
    pub fn transform(&self, prepared: &Prepared<'_>, positions: &[usize]) -> Result<Array2<f64>, String> {
        self.encode(prepared, positions, true)
    }

    /// Like [`transform`](Self::transform) but without scaling: what the scaler receives.
    pub fn transform_unscaled(
        &self,
        prepared: &Prepared<'_>,
        positions: &[usize],
    ) -> Result<Array2<f64>, String> {
        self.encode(prepared, positions, false)
    }

    /// Undoes the scaling of a transformed matrix.
    pub fn inverse_scale(&self, x: &Array2<f64>) -> Array2<f64> {
        let mut out = x.clone();
        for p in self.scale_params() {
            out.column_mut(p.input).mapv_inplace(|v| v * p.scale + p.shift);
        }
        out
    }

    /// The model inputs of the `feature`-th feature column of the prepared rows: one input
    /// for a number, one per train level for a category (`None` past the last feature). The
    /// threshold tests that perturb one feature (`invariance`, `directional`) read it.
    pub fn inputs_of(&self, feature: usize) -> Option<std::ops::Range<usize>> {
        let mut start = 0;
        for (index, encoder) in self.encoders.iter().enumerate() {
            let width = match encoder {
                Encoder::Numeric { .. } => 1,
                Encoder::OneHot { levels, .. } => levels.len(),
            };
            if index == feature {
                return Some(start..start + width);
            }
            start += width;
        }
        None
    }

    /// The scaling of every numeric input (identity when the suite does not scale).
    pub fn scale_params(&self) -> Vec<ScaleParams> {
        let mut input = 0;
        let mut params = Vec::new();
        for encoder in &self.encoders {
            match encoder {
                Encoder::Numeric { shift, scale, .. } => {
                    params.push(ScaleParams { input, shift: *shift, scale: *scale });
                    input += 1;
                }
                Encoder::OneHot { levels, .. } => input += levels.len(),
            }
        }
        params
    }

    fn encode(
        &self,
        prepared: &Prepared<'_>,
        positions: &[usize],
        scaled: bool,
    ) -> Result<Array2<f64>, String> {
        let mut x = Array2::zeros((positions.len(), self.width()));
        let mut input = 0;
        for (column, encoder) in prepared.features.iter().zip(&self.encoders) {
            match encoder {
                Encoder::Numeric { fill, shift, scale } => {
                    for (i, &p) in positions.iter().enumerate() {
                        let row = prepared.rows.get(p);
                        let value = match numeric_value(column, row).or(*fill) {
                            Some(value) => value,
                            None => return Err(missing_without_imputer(column, prepared.table.line(row))),
                        };
                        x[[i, input]] = if scaled { (value - shift) / scale } else { value };
                    }
                    input += 1;
                }
                Encoder::OneHot { levels, fill } => {
                    for (i, &p) in positions.iter().enumerate() {
                        let row = prepared.rows.get(p);
                        let level = if column.is_missing(row) {
                            match fill {
                                Some(level) => Some(*level),
                                None => {
                                    return Err(missing_without_imputer(column, prepared.table.line(row)))
                                }
                            }
                        } else {
                            let text = column.text(row);
                            levels.iter().position(|l| *l == text)
                        };
                        if let Some(level) = level {
                            x[[i, input + level]] = 1.0;
                        }
                    }
                    input += levels.len();
                }
            }
        }
        Ok(x)
    }
}

/// Refuses more than [`MAX_MODEL_INPUTS`] inputs, naming the columns that add the most, before
/// any matrix of that width is made (4,000 categories of 50 levels asked for 6.4 GB).
fn check_width(columns: &[&Column], encoders: &[Encoder]) -> Result<(), String> {
    let widths: Vec<usize> = encoders
        .iter()
        .map(|e| match e {
            Encoder::Numeric { .. } => 1,
            Encoder::OneHot { levels, .. } => levels.len(),
        })
        .collect();
    let width: usize = widths.iter().sum();
    if width <= MAX_MODEL_INPUTS {
        return Ok(());
    }
    let mut order: Vec<usize> = (0..widths.len()).collect();
    order.sort_by(|&a, &b| widths[b].cmp(&widths[a]).then(a.cmp(&b)));
    const NAMED: usize = 5;
    let mut named: Vec<String> = order
        .iter()
        .take(NAMED)
        .map(|&i| format!("`{}` ({})", columns[i].name(), limits::count(widths[i])))
        .collect();
    if order.len() > NAMED {
        named.push(format!("and {} more", limits::count(order.len() - NAMED)));
    }
    Err(format!(
        "the model would have {} inputs after one-hot encoding (one per level of a category); the engine takes at most {}: \
         the columns adding the most are {}; drop some, or use `features` to pick the ones the model needs",
        limits::count(width),
        limits::count(MAX_MODEL_INPUTS),
        named.join(", ")
    ))
}

fn missing_without_imputer(column: &Column, line: u64) -> String {
    format!(
        "`{}` is missing on line {line} and the pipeline has no imputer: add {{\"impute\": \"mean\"}} (or median, most_frequent) to `preprocess`",
        column.name()
    )
}

fn numeric_value(column: &Column, row: usize) -> Option<f64> {
    match column.values() {
        crate::table::Values::Bool(v) if !column.is_missing(row) => Some(if v[row] { 1.0 } else { 0.0 }),
        _ => column.number(row),
    }
}

fn fit_numeric(
    column: &Column,
    rows: &[usize],
    spec: PreprocessSpec,
    table: &Table,
) -> Result<Encoder, String> {
    let mut values: Vec<f64> = rows.iter().filter_map(|&row| numeric_value(column, row)).collect();
    if let Some(bad) = rows.iter().find(|&&row| numeric_value(column, row).is_some_and(|x| !x.is_finite())) {
        return Err(format!(
            "`{}` is infinite on line {}: a model cannot use it",
            column.name(),
            table.line(*bad)
        ));
    }
    if values.is_empty() {
        return Err(format!(
            "the feature `{}` has no value in the train rows: add it to `drop`",
            column.name()
        ));
    }
    let fill = match spec.impute {
        None => None,
        Some(Impute::Mean) => stats::mean(&values),
        Some(Impute::Median) => {
            values.sort_by(f64::total_cmp);
            stats::median(&values)
        }
        Some(Impute::MostFrequent) => most_frequent_number(&values),
    };
    // Imputed cells take part in the scaler's statistics, as in a scikit-learn pipeline
    // where the imputer's output feeds the scaler.
    let missing = rows.len() - values.len();
    if let Some(fill) = fill {
        values.extend(std::iter::repeat_n(fill, missing));
    }
    let (shift, scale) = match spec.scale {
        None => (0.0, 1.0),
        Some(Scale::Standard) => {
            let (mean, std) = stats::mean_and_population_std(&values).unwrap_or((0.0, 0.0));
            // A constant column keeps scale 1, as scikit-learn does, instead of dividing by 0.
            (mean, if std > 0.0 { std } else { 1.0 })
        }
        Some(Scale::Minmax) => {
            let (min, max) = (stats::min(&values).unwrap_or(0.0), stats::max(&values).unwrap_or(0.0));
            (min, if max > min { max - min } else { 1.0 })
        }
    };
    Ok(Encoder::Numeric { fill, shift, scale })
}

/// The most frequent value; ties go to the smallest, as scikit-learn's `SimpleImputer` does.
fn most_frequent_number(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut best: Option<(f64, usize)> = None;
    for run in sorted.chunk_by(|a, b| a == b) {
        if best.is_none_or(|(_, n)| run.len() > n) {
            best = Some((run[0], run.len()));
        }
    }
    best.map(|(value, _)| value)
}

fn fit_one_hot(column: &Column, rows: &[usize], spec: PreprocessSpec) -> Encoder {
    let mut levels: Vec<String> = rows
        .iter()
        .filter(|&&row| !column.is_missing(row))
        .map(|&row| column.text(row).into_owned())
        .collect();
    let mut counts: Vec<(String, usize)> = Vec::new();
    levels.sort();
    for run in levels.chunk_by(|a, b| a == b) {
        counts.push((run[0].clone(), run.len()));
    }
    // Any imputer fills a category with its most frequent level (ties: the first in sorted
    // order): a mean of labels does not exist.
    let fill = spec.impute.and_then(|_| {
        counts.iter().enumerate().max_by(|a, b| a.1 .1.cmp(&b.1 .1).then(b.0.cmp(&a.0))).map(|(i, _)| i)
    });
    Encoder::OneHot { levels: counts.into_iter().map(|(level, _)| level).collect(), fill }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::prepare::{prepare, InputSpec};
    use crate::table::{read_csv, LoadOptions};
    use crate::vocab::Task;

    fn table(csv: &str) -> Table {
        read_csv(csv.as_bytes(), "t.csv", &LoadOptions::default()).unwrap()
    }

    fn prepared(t: &Table) -> Prepared<'_> {
        prepare(
            t,
            &InputSpec {
                target: "y",
                task: Task::Classification,
                features: None,
                drop: &[],
                predicted: None,
            },
        )
        .unwrap()
    }

    fn spec(impute: Option<Impute>, scale: Option<Scale>, one_hot: bool) -> PreprocessSpec {
        PreprocessSpec { impute, scale, one_hot: one_hot.then_some(OneHot::Auto) }
    }

    #[test]
    fn standard_scaling_uses_train_rows_only() {
        // Train rows 0..3 hold 1, 2, 3: mean 2, std (ddof 0) sqrt(2/3). Row 3 (100) is test.
        let t = table("x,y\n1,a\n2,b\n3,a\n100,b\n");
        let p = prepared(&t);
        let pre = Preprocessor::fit(&p, &[0, 1, 2], spec(None, Some(Scale::Standard), false)).unwrap();
        let x = pre.transform(&p, &[0, 1, 2, 3]).unwrap();
        let sd = (2.0f64 / 3.0).sqrt();
        assert!((x[[0, 0]] - (-1.0 / sd)).abs() < 1e-12);
        assert!((x[[3, 0]] - (98.0 / sd)).abs() < 1e-12);
    }

    #[test]
    fn minmax_maps_train_range_to_unit_interval() {
        let t = table("x,y\n2,a\n4,b\n6,a\n8,b\n");
        let p = prepared(&t);
        let pre = Preprocessor::fit(&p, &[0, 1, 2], spec(None, Some(Scale::Minmax), false)).unwrap();
        let x = pre.transform(&p, &[0, 1, 2, 3]).unwrap();
        assert_eq!(x.column(0).to_vec(), [0.0, 0.5, 1.0, 1.5]);
    }

    #[test]
    fn constant_column_keeps_scale_one() {
        let t = table("x,y\n5,a\n5,b\n5,a\n");
        let p = prepared(&t);
        let pre = Preprocessor::fit(&p, &[0, 1, 2], spec(None, Some(Scale::Standard), false)).unwrap();
        assert_eq!(pre.transform(&p, &[0]).unwrap()[[0, 0]], 0.0);
    }

    #[test]
    fn imputers_fill_with_train_statistics() {
        let t = table("x,y\n1,a\n2,b\n2,a\n9,b\nNA,a\n");
        let p = prepared(&t);
        for (impute, expected) in [(Impute::Mean, 3.5), (Impute::Median, 2.0), (Impute::MostFrequent, 2.0)] {
            let pre = Preprocessor::fit(&p, &[0, 1, 2, 3, 4], spec(Some(impute), None, false)).unwrap();
            assert_eq!(pre.transform(&p, &[4]).unwrap()[[0, 0]], expected, "{impute:?}");
        }
    }

    #[test]
    fn missing_value_without_imputer_names_column_and_line() {
        let t = table("x,y\n1,a\nNA,b\n");
        let p = prepared(&t);
        let pre = Preprocessor::fit(&p, &[0, 1], PreprocessSpec::default()).unwrap();
        let err = pre.transform(&p, &[0, 1]).unwrap_err();
        assert!(err.starts_with("`x` is missing on line 3 and the pipeline has no imputer"), "{err}");
    }

    #[test]
    fn one_hot_has_one_input_per_train_level_and_ignores_unseen_levels() {
        let t = table("c,y\nred,a\nblue,b\nred,a\nblue,b\ngreen,a\ngreen,b\nred,a\nblue,b\n");
        let p = prepared(&t);
        let pre = Preprocessor::fit(&p, &[0, 1, 2, 3], spec(None, None, true)).unwrap();
        assert_eq!(pre.input_names(), ["c=blue", "c=red"]);
        let x = pre.transform(&p, &[0, 4]).unwrap();
        assert_eq!(x.row(0).to_vec(), [0.0, 1.0]);
        assert_eq!(x.row(1).to_vec(), [0.0, 0.0], "green was not seen in training");
    }

    #[test]
    fn inputs_of_a_feature_span_its_one_hot_levels() {
        let t = table("x,c,z,y\n1,red,5,a\n2,blue,6,b\n3,green,7,a\n4,red,8,b\n5,blue,9,a\n6,green,1,b\n");
        let p = prepared(&t);
        let pre = Preprocessor::fit(&p, &[0, 1, 2, 3, 4, 5], spec(None, None, true)).unwrap();
        assert_eq!(pre.input_names(), ["x", "c=blue", "c=green", "c=red", "z"]);
        assert_eq!(pre.inputs_of(0), Some(0..1));
        assert_eq!(pre.inputs_of(1), Some(1..4));
        assert_eq!(pre.inputs_of(2), Some(4..5));
        assert_eq!(pre.inputs_of(3), None);
    }

    #[test]
    fn category_without_one_hot_is_refused_naming_the_column() {
        let t = table("c,y\nred,a\nblue,b\nred,a\nblue,b\n");
        let p = prepared(&t);
        let err = Preprocessor::fit(&p, &[0, 1], PreprocessSpec::default()).unwrap_err();
        assert!(err.starts_with("the feature `c` holds categories"), "{err}");
    }

    #[test]
    fn inverse_scale_round_trips() {
        let t = table("x,z,y\n1,10,a\n2,30,b\n4,20,a\n");
        let p = prepared(&t);
        let pre = Preprocessor::fit(&p, &[0, 1, 2], spec(None, Some(Scale::Standard), false)).unwrap();
        let x = pre.transform(&p, &[0, 1, 2]).unwrap();
        let back = pre.inverse_scale(&x);
        let raw = pre.transform_unscaled(&p, &[0, 1, 2]).unwrap();
        assert!(back.iter().zip(raw.iter()).all(|(a, b)| (a - b).abs() < 1e-12));
    }

    #[test]
    fn preprocess_list_takes_each_step_once() {
        let steps: Vec<PreprocessStep> =
            serde_json::from_str(r#"[{"impute": "median"}, {"scale": "minmax"}, {"one_hot": "auto"}]"#)
                .unwrap();
        let spec = PreprocessSpec::from_steps(&steps).unwrap();
        assert_eq!(spec.impute, Some(Impute::Median));
        let twice: Vec<PreprocessStep> =
            serde_json::from_str(r#"[{"scale": "minmax"}, {"scale": "standard"}]"#).unwrap();
        assert_eq!(PreprocessSpec::from_steps(&twice).unwrap_err().0, 1);
        let two_in_one: Vec<PreprocessStep> =
            serde_json::from_str(r#"[{"scale": "minmax", "impute": "mean"}]"#).unwrap();
        assert!(PreprocessSpec::from_steps(&two_in_one).is_err());
    }

    #[test]
    fn regression_a_wide_one_hot_is_refused_naming_the_widest_columns() {
        // 400 categories of 40 levels (the report's case was 4,000 of 50: 6.4 GB of inputs),
        // and one of 50 levels (the most a category has) that should be named first.
        let mut csv: String = (0..400).map(|c| format!("c{c},")).collect();
        csv.push_str("wide,y\n");
        for row in 0..120 {
            for c in 0..400 {
                csv.push_str(&format!("l{},", (row + c) % 40));
            }
            csv.push_str(&format!("w{},{}\n", row % 50, row % 2));
        }
        let t = table(&csv);
        let p = prepared(&t);
        let train: Vec<usize> = (0..120).collect();
        let err = Preprocessor::fit(&p, &train, spec(None, None, true)).unwrap_err();
        assert!(
            err.starts_with("the model would have 16,050 inputs after one-hot encoding (one per level of a category); the engine takes at most 10,000: the columns adding the most are `wide` (50), `c0` (40), `c1` (40), `c2` (40), `c3` (40), and 396 more;"),
            "{err}"
        );
    }
}
