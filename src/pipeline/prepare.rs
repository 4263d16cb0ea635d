//! Table → the model's inputs: which columns are features, and the target encoded.
//!
//! Rows whose target is missing cannot be learnt from or scored, so they are left out here
//! (and counted, so the report can say so). Class labels are encoded in sorted order, as
//! scikit-learn's `LabelEncoder` does, so "class 1" of a binary task is the same class in
//! both tools, and decoded back to the CSV's text for display.

use std::borrow::Cow;

use super::limits::{self, MAX_CLASSES};
use crate::table::rows::FastMap;
use crate::table::{Column, ColumnType, Table};
use crate::vocab::Task;
use crate::vocab::{Param, ParamType};

/// The target, encoded.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// Each row's class index into `names` (sorted as scikit-learn sorts labels).
    Classes {
        codes: Vec<usize>,
        names: Vec<String>,
    },
    Values(Vec<f64>),
}

impl Target {
    pub fn len(&self) -> usize {
        match self {
            Target::Classes { codes, .. } => codes.len(),
            Target::Values(values) => values.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The class codes and the number of classes, for a classification target.
    pub fn classes(&self) -> Option<(&[usize], usize)> {
        match self {
            Target::Classes { codes, names } => Some((codes, names.len())),
            Target::Values(_) => None,
        }
    }

    pub fn class_names(&self) -> &[String] {
        match self {
            Target::Classes { names, .. } => names,
            Target::Values(_) => &[],
        }
    }

    /// The target of the rows at `positions`, as a new target with the same classes.
    pub fn select(&self, positions: &[usize]) -> Target {
        match self {
            Target::Classes { codes, names } => {
                Target::Classes { codes: positions.iter().map(|&p| codes[p]).collect(), names: names.clone() }
            }
            Target::Values(values) => Target::Values(positions.iter().map(|&p| values[p]).collect()),
        }
    }
}

/// The model's inputs before preprocessing.
/// The table rows a pipeline uses, by position: every row when each has a target value (the
/// usual case, stored as a count: a list would be 8 MB of a million rows, held as long as the
/// trained model), else the list of those that have one.
#[derive(Debug, Clone, PartialEq)]
pub enum Rows {
    All(usize),
    Listed(Vec<usize>),
}

impl Rows {
    /// The rows whose `target` is not missing.
    fn labelled(target: &Column) -> Rows {
        let n = target.len();
        match target.missing_count() {
            0 => Rows::All(n),
            missing => {
                let mut rows = Vec::with_capacity(n - missing);
                rows.extend((0..n).filter(|&row| !target.is_missing(row)));
                Rows::Listed(rows)
            }
        }
    }

    /// The table row at `position`.
    pub fn get(&self, position: usize) -> usize {
        match self {
            Rows::All(n) => {
                assert!(position < *n, "position {position} of {n} rows");
                position
            }
            Rows::Listed(rows) => rows[position],
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Rows::All(n) => *n,
            Rows::Listed(rows) => rows.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The table rows, in position order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len()).map(|position| self.get(position))
    }
}

#[derive(Debug, Clone)]
pub struct Prepared<'t> {
    pub table: &'t Table,
    pub task: Task,
    pub target_name: String,
    /// The table rows used: every row with a target value, in file order. Positions into
    /// this list are what splits and folds hold.
    pub rows: Rows,
    pub features: Vec<&'t Column>,
    pub target: Target,
    /// Rows left out because their target is missing.
    pub unlabelled: usize,
}

impl Prepared<'_> {
    /// The 1-based CSV line of the row at `position`.
    pub fn line(&self, position: usize) -> u64 {
        self.table.line(self.rows.get(position))
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The label or value of the row at `position`, as text.
    pub fn target_text(&self, position: usize) -> String {
        match &self.target {
            Target::Classes { codes, names } => names[codes[position]].clone(),
            Target::Values(values) => crate::vocab::num(values[position]),
        }
    }
}

/// What the suite says about the model's inputs.
#[derive(Debug, Clone, Copy)]
pub struct InputSpec<'a> {
    pub target: &'a str,
    pub task: Task,
    pub features: Option<&'a [String]>,
    pub drop: &'a [String],
    /// The column of a `predictions` model's predicted labels: its labels are classes too
    /// (the sorted union, as scikit-learn's `unique_labels`), and such a model has no features.
    pub predicted: Option<&'a str>,
}

impl InputSpec<'_> {
    /// The suite's top-level fields these come from, as the suite editor's pipeline form
    /// shows them.
    pub const PARAMS: &'static [Param] = &[
        Param::optional("target", ParamType::Column, "none", "the column the model learns to predict"),
        Param::optional(
            "task",
            ParamType::Choice(&["classification", "regression"]),
            "none",
            "what the model does",
        ),
        Param::optional("features", ParamType::Columns, "every column but the target", "the model's inputs"),
        Param::optional("drop", ParamType::Columns, "none", "columns left out, such as ids"),
    ];
}

/// Picks the feature columns and encodes the target. Errors name the column.
pub fn prepare<'t>(table: &'t Table, spec: &InputSpec<'_>) -> Result<Prepared<'t>, String> {
    let target = table.column(spec.target).ok_or_else(|| {
        let hint = table.column_hint(spec.target);
        format!("the target `{}` is not a column of {}{hint}", spec.target, table.name())
    })?;
    let predicted = match spec.predicted {
        Some(name) => Some(table.column(name).ok_or_else(|| {
            format!(
                "`model.prediction` names `{name}`, which is not a column of {}{}",
                table.name(),
                table.column_hint(name)
            )
        })?),
        None => None,
    };
    // A model brought as predictions has no inputs: nothing is trained.
    let features = if predicted.is_some() { Vec::new() } else { features(table, spec)? };
    let rows = Rows::labelled(target);
    let unlabelled = table.n_rows() - rows.len();
    let encoded = match spec.task {
        Task::Regression => {
            if !target.ty().is_numeric() {
                return Err(format!(
                    "the target `{}` is a {} column: a regression target must be numeric",
                    target.name(),
                    target.ty()
                ));
            }
            Target::Values(rows.iter().map(|row| target.number(row).unwrap_or(f64::NAN)).collect())
        }
        Task::Classification => {
            let encoded = encode_classes(target, predicted, &rows)?;
            // Every prediction holds a probability per row and class; refused here, before
            // a model trains, rather than as an abort when the predictions are made.
            limits::check_matrix(
                rows.len(),
                encoded.class_names().len(),
                &format!("the class probabilities of the target `{}`", target.name()),
                "sample the rows, or choose a target with fewer classes",
            )?;
            encoded
        }
    };
    if let Some(bad) = rows.iter().position(|row| target.number(row).is_some_and(|x| !x.is_finite())) {
        return Err(format!(
            "the target `{}` is infinite on line {}: a model cannot learn it",
            target.name(),
            table.line(rows.get(bad))
        ));
    }
    Ok(Prepared {
        table,
        task: spec.task,
        target_name: target.name().to_owned(),
        rows,
        features,
        target: encoded,
        unlabelled,
    })
}

/// The feature columns the suite names (or every column but the target and `drop`).
fn features<'t>(table: &'t Table, spec: &InputSpec<'_>) -> Result<Vec<&'t Column>, String> {
    let features: Vec<&Column> = match spec.features {
        Some(names) => names
            .iter()
            .map(|name| {
                if name == spec.target {
                    return Err(format!("`{name}` is the target: it cannot also be a feature"));
                }
                table.column(name).ok_or_else(|| {
                    format!(
                        "the feature `{name}` is not a column of {}{}",
                        table.name(),
                        table.column_hint(name)
                    )
                })
            })
            .collect::<Result<_, _>>()?,
        None => {
            for name in spec.drop {
                if table.column(name).is_none() {
                    let hint = table.column_hint(name);
                    return Err(format!(
                        "`drop` names `{name}`, which is not a column of {}{hint}",
                        table.name()
                    ));
                }
            }
            table
                .columns()
                .iter()
                .filter(|c| c.name() != spec.target && !spec.drop.iter().any(|d| d == c.name()))
                .collect()
        }
    };
    if features.is_empty() {
        return Err(format!("there are no feature columns beside the target `{}`", spec.target));
    }
    if let Some(text) = features.iter().find(|c| c.ty() == ColumnType::Text) {
        return Err(format!(
            "the feature `{}` is free text (too many distinct values for a category): add it to `drop`",
            text.name()
        ));
    }
    Ok(features)
}

/// Sorts class labels as scikit-learn does (`numpy.unique`): numbers by value when every
/// label is a number, else text by code point.
pub fn sort_labels(names: &mut [String]) {
    let number = |n: &str| n.parse::<f64>().ok().filter(|x| x.is_finite());
    if names.iter().all(|n| number(n).is_some()) {
        names.sort_by(|a, b| {
            let (x, y) = (number(a).unwrap_or(0.0), number(b).unwrap_or(0.0));
            x.total_cmp(&y).then_with(|| a.cmp(b))
        });
    } else {
        names.sort();
    }
}

fn encode_classes(target: &Column, predicted: Option<&Column>, rows: &Rows) -> Result<Target, String> {
    if target.ty() == ColumnType::Float {
        return Err(format!(
            "the target `{}` holds decimal numbers: use `\"task\": \"regression\"`, or class labels",
            target.name()
        ));
    }
    // The distinct labels through a hash map, so encoding is linear in the rows (a search
    // of the sorted names for every row was rows × classes: 38 s for an id column of 60k
    // rows in a debug build). The table's seeded hash, not std's SipHash: two lookups a row,
    // and SipHash was a tenth of split + scale in the page's wasm; the map is only looked up
    // (the names are sorted before they get their codes).
    let mut index: FastMap<Cow<'_, str>, usize> = FastMap::default();
    for row in rows.iter() {
        index.entry(target.text(row)).or_insert(0);
        if let Some(predicted) = predicted.filter(|p| !p.is_missing(row)) {
            index.entry(predicted.text(row)).or_insert(0);
        }
    }
    if index.len() > MAX_CLASSES {
        return Err(format!(
            "the target `{}` holds {} classes; a classifier learns at most {} (its probabilities are rows × classes): \
             is it an id or free text? Choose another target, or use `\"task\": \"regression\"` for a number",
            target.name(),
            limits::count(index.len()),
            limits::count(MAX_CLASSES)
        ));
    }
    let mut names: Vec<String> = index.keys().map(|n| n.clone().into_owned()).collect();
    sort_labels(&mut names);
    match names.len() {
        0 => return Err(format!("the target `{}` has no value", target.name())),
        1 => {
            return Err(format!(
                "the target `{}` holds one class (`{}`): a classifier needs at least two",
                target.name(),
                names[0]
            ))
        }
        _ => {}
    }
    for (code, name) in names.iter().enumerate() {
        if let Some(slot) = index.get_mut(name.as_str()) {
            *slot = code;
        }
    }
    let codes = rows.iter().map(|row| index.get(&target.text(row)).copied().unwrap_or(0)).collect();
    Ok(Target::Classes { codes, names })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{read_csv, LoadOptions};

    fn table(csv: &str) -> Table {
        read_csv(csv.as_bytes(), "t.csv", &LoadOptions::default()).unwrap()
    }

    fn spec(target: &str, task: Task) -> InputSpec<'_> {
        InputSpec { target, task, features: None, drop: &[], predicted: None }
    }

    #[test]
    fn classes_are_sorted_as_scikit_learn_sorts_labels() {
        let t = table("x,y\n1,b\n2,a\n3,c\n4,a\n");
        let p = prepare(&t, &spec("y", Task::Classification)).unwrap();
        assert_eq!(
            p.target,
            Target::Classes { codes: vec![1, 0, 2, 0], names: vec!["a".into(), "b".into(), "c".into()] }
        );
        let t = table("x,y\n1,10\n2,9\n3,10\n4,9\n");
        let p = prepare(&t, &spec("y", Task::Classification)).unwrap();
        assert_eq!(p.target.class_names(), ["9", "10"], "numbers sort by value, not as text");
    }

    #[test]
    fn rows_without_a_target_are_left_out_and_counted() {
        let t = table("x,y\n1,a\n2,NA\n3,b\n");
        let p = prepare(&t, &spec("y", Task::Classification)).unwrap();
        assert_eq!(p.rows.iter().collect::<Vec<_>>(), [0, 2]);
        assert_eq!(p.unlabelled, 1);
        assert_eq!(p.line(1), 4);
    }

    #[test]
    fn every_row_labelled_is_held_as_a_count_and_reads_as_the_list() {
        let t = table("x,y\n1,a\n2,b\n3,a\n");
        let p = prepare(&t, &spec("y", Task::Classification)).unwrap();
        assert_eq!(p.rows, Rows::All(3));
        assert_eq!((p.rows.iter().collect::<Vec<_>>(), p.line(2)), (vec![0, 1, 2], 4));
    }

    #[test]
    fn one_class_is_refused_naming_the_target() {
        let t = table("x,y\n1,a\n2,a\n");
        let err = prepare(&t, &spec("y", Task::Classification)).unwrap_err();
        assert_eq!(err, "the target `y` holds one class (`a`): a classifier needs at least two");
    }

    #[test]
    fn regression_needs_a_numeric_target() {
        let t = table("x,y\n1,a\n2,b\n3,a\n4,b\n");
        let err = prepare(&t, &spec("y", Task::Regression)).unwrap_err();
        assert!(err.contains("regression target must be numeric"), "{err}");
    }

    #[test]
    fn features_default_to_all_but_the_target_and_drop() {
        let t = table("id,x,z,y\n1,1,5,a\n2,2,6,b\n");
        let drop = ["id".to_owned()];
        let p = prepare(&t, &InputSpec { drop: &drop, ..spec("y", Task::Classification) }).unwrap();
        let names: Vec<&str> = p.features.iter().map(|c| c.name()).collect();
        assert_eq!(names, ["x", "z"]);
    }

    #[test]
    fn unknown_feature_target_and_drop_are_named() {
        let t = table("x,y\n1,a\n2,b\n");
        assert!(prepare(&t, &spec("nope", Task::Classification)).unwrap_err().contains("`nope`"));
        let listed = ["w".to_owned()];
        let err = prepare(&t, &InputSpec { features: Some(&listed), ..spec("y", Task::Classification) })
            .unwrap_err();
        assert!(err.contains("the feature `w`"), "{err}");
        let err = prepare(&t, &InputSpec { drop: &listed, ..spec("y", Task::Classification) }).unwrap_err();
        assert!(err.contains("`drop` names `w`"), "{err}");
    }

    #[test]
    fn a_misspelt_target_feature_or_drop_gets_the_closest_column_suggested() {
        let t = table("species,bill_length,island\n1,a,x\n2,b,y\n");
        let err = prepare(&t, &spec("specis", Task::Classification)).unwrap_err();
        assert_eq!(err, "the target `specis` is not a column of t.csv; did you mean `species`?");
        let listed = ["bill_lenght".to_owned()];
        let features = InputSpec { features: Some(&listed), ..spec("species", Task::Regression) };
        let err = prepare(&t, &features).unwrap_err();
        assert_eq!(err, "the feature `bill_lenght` is not a column of t.csv; did you mean `bill_length`?");
        let listed = ["islnd".to_owned()];
        let err = prepare(&t, &InputSpec { drop: &listed, ..spec("species", Task::Regression) }).unwrap_err();
        assert_eq!(err, "`drop` names `islnd`, which is not a column of t.csv; did you mean `island`?");
    }

    #[test]
    fn regression_an_id_column_as_target_is_refused_naming_it_and_the_limit() {
        // 60k ids as classes: 12k test rows × 60k classes of probabilities asked for 5.4 GiB
        // and aborted; encoding them took 38 s (debug), quadratic in the classes.
        let mut csv = String::from("x,id\n");
        for i in 0..60_000 {
            csv.push_str(&format!("{},usr-{i:07}\n", i % 7));
        }
        let t = table(&csv);
        let started = std::time::Instant::now();
        let err = prepare(&t, &spec("id", Task::Classification)).unwrap_err();
        assert!(started.elapsed().as_secs_f64() < 5.0, "{:?}", started.elapsed());
        assert!(
            err.starts_with("the target `id` holds 60,000 classes; a classifier learns at most 1,000"),
            "{err}"
        );
    }

    #[test]
    fn regression_a_thousand_classes_encode_in_linear_time() {
        // At the limit: 1,000 classes over 50k rows, each row's code found by a map.
        let mut csv = String::from("x,y\n");
        for i in 0..50_000 {
            csv.push_str(&format!("{},{}\n", i % 7, (i * 7919) % 1000));
        }
        let t = table(&csv);
        let p = prepare(&t, &spec("y", Task::Classification)).unwrap();
        let names = p.target.class_names();
        assert_eq!(names.len(), 1000);
        assert_eq!((names[0].as_str(), names[999].as_str()), ("0", "999"), "integers sort by value");
        let (codes, _) = p.target.classes().unwrap();
        assert!((0..50_000).all(|row| names[codes[row]] == p.target_text(row)));
    }

    #[test]
    fn regression_probabilities_past_the_matrix_budget_are_refused_before_training() {
        // 1,000 classes are allowed, but not over 70k rows: 70 million probabilities.
        let mut csv = String::from("x,y\n");
        for i in 0..70_000 {
            csv.push_str(&format!("{},{}\n", i % 7, i % 1000));
        }
        let err = prepare(&table(&csv), &spec("y", Task::Classification)).unwrap_err();
        assert!(
            err.starts_with("the class probabilities of the target `y` would be 70,000 rows × 1,000 = 70,000,000 numbers (534 MiB); the engine holds at most 67,108,864 numbers (512 MiB)"),
            "{err}"
        );
    }
}
