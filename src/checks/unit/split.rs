//! The train/test split: its sizes, no row in both parts, every test class seen in training,
//! and class shares kept by a stratified split.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{names_list, split_step_of, tol_text};
use crate::checks::{Context, Evaluation, Family, Ratio, TestKind};
use crate::pipeline::fit::Trained;
use crate::pipeline::prepare::Target;
use crate::report::fmt::{names, num, pct};
use crate::report::{Failures, Trace};
use crate::table::rows::RowGroups;
use crate::table::Column;
use crate::vocab::Task;
use crate::vocab::{Param, ParamType};

// ---------------------------------------------------------------------------------------
// split_sizes

/// The split holds the expected numbers of train and test rows, and they add up to the
/// labelled rows. By default the test part has `ceil(test_size × n)` rows, as scikit-learn's
/// `train_test_split` counts, and the train part the rest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitSizes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_train: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_test: Option<usize>,
}

impl TestKind for SplitSizes {
    fn needs_training(&self) -> Option<&'static str> {
        Some("it checks the split, and a `predictions` model evaluates every labelled row")
    }

    const FAMILY: Family = Family::Unit;
    const SUMMARY: &'static str = "the split has the expected train and test counts";
    const PARAMS: &'static [Param] = &[
        Param::optional("expected_train", ParamType::Integer, "from test_size", "train rows"),
        Param::optional("expected_test", ParamType::Integer, "from test_size", "test rows"),
    ];

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let prepared = &trained.prepared;
        let n = prepared.len();
        let unlabelled = match prepared.unlabelled {
            0 => String::new(),
            k => format!(" ({k} without a target left out)"),
        };
        trace.step(
            "count_labelled_rows()",
            format!("{} rows of {}{unlabelled}", ctx.table.n_rows(), ctx.table.name()),
            format!("n = {n}"),
        );
        trace.set("n", n.to_string());
        let test_size = trained.spec.split.test_size;
        // The 1e-9 keeps a product such as 0.7 × 10 = 7.000000000000001 from rounding up to 8.
        let from_size = (test_size * n as f64 - 1e-9).ceil().max(0.0) as usize;
        let expected_test = self.expected_test.unwrap_or(from_size);
        let expected_train = self.expected_train.unwrap_or(n.saturating_sub(expected_test));
        let how = match (self.expected_train, self.expected_test) {
            (None, None) => format!("ceil({} × {n}) = {from_size} test rows, the rest train", num(test_size)),
            (Some(_), None) => {
                format!("train as given; ceil({} × {n}) = {from_size} test rows", num(test_size))
            }
            (None, Some(_)) => format!("test as given; train = {n} − {expected_test}"),
            (Some(_), Some(_)) => "as given in the suite".to_owned(),
        };
        trace.step("expected_sizes()", how, format!("train = {expected_train}, test = {expected_test}"));
        let (train, test) = (trained.split.train.len(), trained.split.test.len());
        split_step(trace, trained);
        let mut problems = Vec::new();
        if train != expected_train {
            problems.push(format!("{train} train rows, {expected_train} expected"));
        }
        if test != expected_test {
            problems.push(format!("{test} test rows, {expected_test} expected"));
        }
        if train + test != n {
            problems.push(format!("{train} + {test} = {} rows, but {n} are labelled", train + test));
        }
        let passed = problems.is_empty();
        trace.assert(
            format!("train == {expected_train} and test == {expected_test} and train + test == {n}"),
            format!("{train} == {expected_train}, {test} == {expected_test}, {} == {n}", train + test),
            passed,
        );
        let message = if passed {
            format!("the split has {train} train and {test} test rows, as expected, and they add up to the {n} labelled rows")
        } else {
            format!("the split is not the expected size: {}", problems.join("; "))
        };
        Ok(Evaluation { passed, message, observed: json!({ "train": train, "test": test }), failures: None })
    }
}

// ---------------------------------------------------------------------------------------
// split_no_overlap

/// No row's content (its feature values and target, as in the table) is in both parts: a
/// test row that repeats a train row is scored on something the model was trained on. At most
/// `max_overlap_ratio` of the test rows may.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitNoOverlap {
    #[serde(default)]
    pub max_overlap_ratio: Ratio,
}

impl TestKind for SplitNoOverlap {
    fn needs_training(&self) -> Option<&'static str> {
        Some("it checks the split, and a `predictions` model evaluates every labelled row")
    }

    const FAMILY: Family = Family::Unit;
    const SUMMARY: &'static str = "train and test rows are disjoint";
    const PARAMS: &'static [Param] = &[Param::optional(
        "max_overlap_ratio",
        ParamType::Ratio,
        "0",
        "share of test rows that may also be in train",
    )];

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let prepared = &trained.prepared;
        let target = ctx.table.column(&prepared.target_name).ok_or_else(|| {
            let hint = ctx.table.column_hint(&prepared.target_name);
            format!("the target `{}` is not a column of {}{hint}", prepared.target_name, ctx.table.name())
        })?;
        let mut columns: Vec<&Column> = prepared.features.clone();
        columns.push(target);
        split_step(trace, trained);
        let rows = |positions: &[usize]| positions.iter().map(|&p| prepared.rows.get(p)).collect::<Vec<_>>();
        let (train, test) = (rows(&trained.split.train), rows(&trained.split.test));
        let train_rows = RowGroups::of(&columns, train.iter().copied());
        let distinct = train_rows.distinct();
        trace.step(
            "hash_rows(train)",
            format!("{} train rows × ({} features + target)", train.len(), prepared.features.len()),
            format!("{distinct} distinct rows"),
        );
        let mut failures = Failures::default();
        for &row in &test {
            if let Some(twin) = train_rows.find(row) {
                failures.push(
                    ctx.table.line(row),
                    "*",
                    format!("same as train line {}", ctx.table.line(twin)),
                );
            }
        }
        let ratio = failures.count as f64 / test.len().max(1) as f64;
        trace.step(
            "find_in_train(test)",
            format!("{} test rows looked up by content hash", test.len()),
            format!("overlap = {}", failures.count),
        );
        trace.set("overlap", failures.count.to_string());
        trace.set("overlap_ratio", num(ratio));
        let max = self.max_overlap_ratio.get();
        let passed = ratio <= max;
        trace.assert(
            format!("overlap_ratio <= {}", num(max)),
            format!("{} <= {}", num(ratio), num(max)),
            passed,
        );
        let message = match failures.sample.first() {
            None => format!("none of the {} test rows repeats one of the {} train rows", test.len(), train.len()),
            Some(first) => format!(
                "{} of {} test rows ({}) repeat a train row, so the model is scored on rows it learnt; at most {} may. First: line {} ({})",
                failures.count,
                test.len(),
                pct(ratio),
                pct(max),
                first.line,
                first.value
            ),
        };
        Ok(Evaluation { passed, message, observed: json!(ratio), failures: Some(failures) })
    }
}

// ---------------------------------------------------------------------------------------
// split_label_coverage

/// Every class in the test part also occurs in the train part: a class the model never saw
/// cannot be predicted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitLabelCoverage {}

impl TestKind for SplitLabelCoverage {
    fn needs_training(&self) -> Option<&'static str> {
        Some("it checks the split, and a `predictions` model evaluates every labelled row")
    }

    const FAMILY: Family = Family::Unit;
    const SUMMARY: &'static str = "every test label is seen in training";
    const PARAMS: &'static [Param] = &[];

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let (codes, classes) = classes_of(trace, trained, "split_label_coverage")?;
        let prepared = &trained.prepared;
        split_step(trace, trained);
        let count = |positions: &[usize]| {
            let mut counts = vec![0usize; classes.len()];
            for &p in positions {
                counts[codes[p]] += 1;
            }
            counts
        };
        let (in_train, in_test) = (count(&trained.split.train), count(&trained.split.test));
        let present = |counts: &[usize]| -> Vec<&str> {
            classes.iter().zip(counts).filter(|(_, &c)| c > 0).map(|(n, _)| n.as_str()).collect()
        };
        let (train_classes, test_classes) = (present(&in_train), present(&in_test));
        trace.step(
            "classes(train)",
            format!("{} train rows", trained.split.train.len()),
            format!("{} classes: {}", train_classes.len(), names_list(&train_classes)),
        );
        trace.step(
            "classes(test)",
            format!("{} test rows", trained.split.test.len()),
            format!("{} classes: {}", test_classes.len(), names_list(&test_classes)),
        );
        let unseen: Vec<&str> = (0..classes.len())
            .filter(|&c| in_test[c] > 0 && in_train[c] == 0)
            .map(|c| classes[c].as_str())
            .collect();
        let mut failures = Failures::default();
        for &p in &trained.split.test {
            if in_train[codes[p]] == 0 {
                failures.push(prepared.line(p), &prepared.target_name, classes[codes[p]].clone());
            }
        }
        trace.set("unseen", unseen.len().to_string());
        let passed = unseen.is_empty();
        trace.assert(
            "classes(test) ⊆ classes(train)",
            if passed {
                "every test class is in train".to_owned()
            } else {
                format!("not in train: {}", names(&unseen, 5))
            },
            passed,
        );
        let message = if passed {
            format!(
                "each of the {} classes in the test part also occurs in the {} train rows",
                test_classes.len(),
                trained.split.train.len()
            )
        } else {
            format!(
                "{} of the {} test classes never occur in the train part ({}): the model cannot predict them; {} test rows have them",
                unseen.len(),
                test_classes.len(),
                names(&unseen, 5),
                failures.count
            )
        };
        Ok(Evaluation { passed, message, observed: json!(unseen), failures: Some(failures) })
    }
}

// ---------------------------------------------------------------------------------------
// split_stratified

/// Each class's share of the train part and of the test part is within `tol` of its share of
/// all labelled rows (`tol` 0.05: five percentage points).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitStratified {
    #[serde(default = "stratified_tol")]
    pub tol: Ratio,
}

impl TestKind for SplitStratified {
    fn needs_training(&self) -> Option<&'static str> {
        Some("it checks the split, and a `predictions` model evaluates every labelled row")
    }

    const FAMILY: Family = Family::Unit;
    const SUMMARY: &'static str = "the split keeps each class's share";
    const PARAMS: &'static [Param] =
        &[Param::optional("tol", ParamType::Ratio, "0.05", "allowed difference in a class's share")];

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let (codes, names) = classes_of(trace, trained, "split_stratified")?;
        split_step(trace, trained);
        let all: Vec<usize> = (0..codes.len()).collect();
        let shares = |positions: &[usize]| {
            let mut counts = vec![0usize; names.len()];
            for &p in positions {
                counts[codes[p]] += 1;
            }
            counts.iter().map(|&c| c as f64 / positions.len().max(1) as f64).collect::<Vec<f64>>()
        };
        let show = |shares: &[f64]| {
            names.iter().zip(shares).map(|(n, s)| format!("{n} {}", pct(*s))).collect::<Vec<_>>().join(", ")
        };
        let overall = shares(&all);
        trace.step("class_shares(all)", format!("{} labelled rows", all.len()), show(&overall));
        // (part, class, share, gap) of the class furthest from its overall share, per part.
        let mut gaps: Vec<(&str, usize, f64, f64)> = Vec::new();
        for (part, positions) in [("train", &trained.split.train), ("test", &trained.split.test)] {
            let part_shares = shares(positions);
            trace.step(
                format!("class_shares({part})"),
                format!("{} {part} rows", positions.len()),
                show(&part_shares),
            );
            for (class, (&share, &base)) in part_shares.iter().zip(&overall).enumerate() {
                gaps.push((part, class, share, (share - base).abs()));
            }
        }
        let worst = gaps.iter().copied().reduce(|w, g| if g.3 > w.3 { g } else { w });
        let (part, class, share, gap) = worst.unwrap_or(("test", 0, 0.0, 0.0));
        trace.set("max_share_gap", num(gap));
        let tol = self.tol.get();
        let off = gaps.iter().filter(|g| g.3 > tol).count();
        let passed = off == 0;
        trace.assert(
            format!("max |share − overall share| <= {}", tol_text(tol)),
            format!("{} <= {} ({} in {part})", num(gap), tol_text(tol), names[class]),
            passed,
        );
        let stratify =
            if trained.spec.split.stratify { "a stratified split" } else { "a split without `stratify`" };
        let message = if passed {
            format!(
                "with {stratify}, every class's share of the train and of the test rows is within {} of its share of all rows (largest gap: `{}` in {part}, {} against {})",
                points(tol),
                names[class],
                pct(share),
                pct(overall[class])
            )
        } else {
            format!(
                "with {stratify}, `{}` makes up {} of the {part} rows but {} of all rows: {} apart, more than the {} allowed ({off} class shares off)",
                names[class],
                pct(share),
                pct(overall[class]),
                points(gap),
                points(tol)
            )
        };
        Ok(Evaluation { passed, message, observed: json!(gap), failures: None })
    }
}

// ---------------------------------------------------------------------------------------
// Helpers

fn stratified_tol() -> Ratio {
    Ratio::new(0.05).unwrap_or(Ratio::ZERO)
}

/// A difference of two shares in percentage points: `0.7 percentage points`.
fn points(ratio: f64) -> String {
    let text = format!("{:.1}", ratio * 100.0);
    format!("{} percentage points", text.trim_end_matches('0').trim_end_matches('.'))
}

/// The split step of every split test: the spec and the part sizes.
fn split_step(trace: &mut Trace, trained: &Trained<'_>) {
    split_step_of(trace, &trained.spec.split, &trained.prepared, &trained.split);
}

/// The class codes and names of a classification pipeline; Err naming the kind otherwise.
fn classes_of<'a>(
    trace: &mut Trace,
    trained: &'a Trained<'_>,
    kind: &str,
) -> Result<(&'a [usize], &'a [String]), String> {
    match &trained.prepared.target {
        Target::Classes { codes, names } => Ok((codes, names)),
        Target::Values(_) => {
            trace.step(
                format!("classes({})", trained.prepared.target_name),
                format!("task {}", trained.spec.task.name()),
                "ERROR",
            );
            Err(format!(
                "{kind} compares classes; the suite's task is {} (the target `{}` has values, not classes)",
                Task::Regression.name(),
                trained.prepared.target_name
            ))
        }
    }
}
