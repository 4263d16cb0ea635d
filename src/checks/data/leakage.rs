//! Target leakage: no single feature predicts the target almost perfectly on its own,
//! scored on rows it did not learn from.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{feature_columns, label, listed_once};
use crate::checks::{Context, Evaluation, Family, ParamError, Ratio, TestKind};
use crate::report::fmt::num;
use crate::report::Trace;
use crate::table::rows::{distinct_count, FastMap, RowGroups};
use crate::table::{stats, Column, ColumnType};
use crate::vocab::Task;
use crate::vocab::{Param, ParamType};

// ---------------------------------------------------------------------------------------
// no_target_leakage

/// No single feature predicts the target almost perfectly on its own.
///
/// Each feature's predictive power score: the feature is cut into at most ten quantile bins
/// (categories are their own bins, missing values one more), the majority label (or mean
/// target, for regression) of each bin is learnt on one half of the rows and predicts the
/// other half. The score is the gain over always predicting the first half's majority (or mean), scaled to
/// 0..1: 0 = no better than the baseline, 1 = perfect. Scoring on held-out rows keeps an id
/// column from scoring 1 by memorising every row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoTargetLeakage {
    pub max_score: Ratio,
    #[serde(default)]
    pub column: Option<String>,
    #[serde(default)]
    pub features: Option<Vec<String>>,
}

impl TestKind for NoTargetLeakage {
    const FAMILY: Family = Family::Data;
    const SUMMARY: &'static str = "no single feature predicts the target almost perfectly";
    const PARAMS: &'static [Param] = &[
        Param::required("max_score", ParamType::Ratio, "0.95", "the best score one feature may reach alone"),
        Param::optional("column", ParamType::Column, "the suite's target", "the label column"),
        Param::optional("features", ParamType::Columns, "every other column", "the features tried"),
    ];

    fn validate(&self) -> Result<(), ParamError> {
        listed_once("features", self.features.as_deref())
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        // Scored on the loaded table: with an engine that queries files, the seeded sample it
        // drew (its steps say so).
        let table = ctx.sample;
        let target = label(ctx, table, trace, self.column.as_deref(), "no_target_leakage")?;
        let features = feature_columns(ctx, table, trace, &target, self.features.as_deref())?;
        if table.n_rows() < ctx.data.n_rows() {
            trace.step(
                format!("sample_rows({})", ctx.data.name()),
                format!("{} of {} rows, drawn with a fixed seed", table.n_rows(), ctx.data.n_rows()),
                "scored on the sample",
            );
        }
        let target = table.column(&target.name).ok_or("the target left the table")?;
        let features: Vec<&Column> = features.iter().filter_map(|f| table.column(&f.name)).collect();
        let task = ctx.task.unwrap_or_else(|| infer_task(target));
        if task == Task::Regression && !target.ty().is_numeric() {
            return Err(format!(
                "`{}` is a {} column: a regression target must be numeric",
                target.name(),
                target.ty()
            ));
        }
        let rows: Vec<usize> = (0..target.len()).filter(|&row| !target.is_missing(row)).collect();
        if rows.len() < 4 {
            return Err(format!(
                "`{}` has {} labelled rows: too few to score features",
                target.name(),
                rows.len()
            ));
        }
        let mut worst: Option<(&str, f64)> = None;
        for feature in &features {
            let score = leakage_score(feature, target, &rows, task);
            trace.step(
                format!("score_feature({} → {})", feature.name(), target.name()),
                "learnt on one half of the rows, scored on the other",
                format!("score = {}", num(score)),
            );
            if worst.is_none_or(|(_, w)| score > w) {
                worst = Some((feature.name(), score));
                trace.set("max_score", num(score));
                trace.set("feature", feature.name());
            }
        }
        let (feature, score) = worst.unwrap_or(("", 0.0));
        let max = self.max_score.get();
        let passed = score <= max;
        trace.assert(format!("max_score <= {}", num(max)), format!("{} <= {}", num(score), num(max)), passed);
        let message = if passed {
            format!(
                "no feature predicts `{}` on its own above {} (best: `{feature}`, {})",
                target.name(),
                num(max),
                num(score)
            )
        } else {
            format!(
                "`{feature}` alone predicts `{}` with score {} (above {}): check it is not derived from the target",
                target.name(),
                num(score),
                num(max)
            )
        };
        Ok(Evaluation {
            passed,
            message,
            observed: json!({ "feature": feature, "score": score }),
            failures: None,
        })
    }
}

/// Whether row `i` is in the half a leakage score learns from. The halves are drawn by a fixed
/// hash of the row index, not by even and odd rows, so a file whose labels repeat in a
/// pattern (A, B, A, B, …) still puts every class in both halves.
fn in_learning_half(i: usize) -> bool {
    // SplitMix64's finaliser: a fixed, well-mixed function of the index.
    let mut z = (i as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) & 1 == 0
}

/// Classification when the target holds labels or few distinct numbers.
fn infer_task(target: &Column) -> Task {
    if target.ty() == ColumnType::Float || (target.ty() == ColumnType::Int && distinct_count(target) > 20) {
        Task::Regression
    } else {
        Task::Classification
    }
}

fn leakage_score(feature: &Column, target: &Column, rows: &[usize], task: Task) -> f64 {
    let bins = bin_feature(feature, rows);
    let (learn, score): (Vec<usize>, Vec<usize>) = (0..rows.len()).partition(|&i| in_learning_half(i));
    match task {
        Task::Classification => {
            // Each label as the number of its value (in order of first appearance): values are
            // compared, so two labels never merge because their hashes collide.
            let targets = [target];
            let mut labels = RowGroups::new(&targets);
            let label: Vec<usize> = rows.iter().map(|&row| labels.insert(row)).collect();
            let mut per_bin: FastMap<u64, FastMap<usize, usize>> = FastMap::default();
            let mut overall: FastMap<usize, usize> = FastMap::default();
            for &i in &learn {
                *per_bin.entry(bins[i]).or_default().entry(label[i]).or_default() += 1;
                *overall.entry(label[i]).or_default() += 1;
            }
            let majority = |counts: &FastMap<usize, usize>| {
                // Highest count; ties go to the label seen first, so the result never depends
                // on the map's iteration order (which the hasher's seed changes every run).
                counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(&l, _)| l)
            };
            let baseline = majority(&overall);
            let (mut hits, mut base_hits) = (0usize, 0usize);
            for &i in &score {
                let guess = per_bin.get(&bins[i]).and_then(majority).or(baseline);
                hits += usize::from(guess == Some(label[i]));
                base_hits += usize::from(baseline == Some(label[i]));
            }
            let n = score.len() as f64;
            let (accuracy, base) = (hits as f64 / n, base_hits as f64 / n);
            if base >= 1.0 {
                0.0
            } else {
                ((accuracy - base) / (1.0 - base)).max(0.0)
            }
        }
        Task::Regression => {
            let y: Vec<f64> = rows.iter().map(|&row| target.number(row).unwrap_or(0.0)).collect();
            let mut sums: FastMap<u64, (f64, usize)> = FastMap::default();
            let mut total = 0.0;
            for &i in &learn {
                let entry = sums.entry(bins[i]).or_default();
                entry.0 += y[i];
                entry.1 += 1;
                total += y[i];
            }
            let mean = total / learn.len() as f64;
            let (mut sse, mut sse_base) = (0.0, 0.0);
            for &i in &score {
                let guess = sums.get(&bins[i]).map_or(mean, |(s, n)| s / *n as f64);
                sse += (y[i] - guess) * (y[i] - guess);
                sse_base += (y[i] - mean) * (y[i] - mean);
            }
            if sse_base == 0.0 {
                0.0
            } else {
                (1.0 - sse / sse_base).max(0.0)
            }
        }
    }
}

/// Each of `rows`' bin for a feature: ten quantile bins for numbers, the value otherwise, and
/// one bin for missing cells.
fn bin_feature(feature: &Column, rows: &[usize]) -> Vec<u64> {
    const MISSING: u64 = u64::MAX;
    if !feature.ty().is_numeric() {
        // A bin per value, numbered by first appearance (missing cells are one value there).
        let columns = [feature];
        let mut values = RowGroups::new(&columns);
        return rows.iter().map(|&row| values.insert(row) as u64).collect();
    }
    let mut sorted: Vec<f64> = rows.iter().filter_map(|&row| feature.number(row)).collect();
    sorted.sort_by(f64::total_cmp);
    let mut edges: Vec<f64> = (1..10).filter_map(|k| stats::quantile(&sorted, k as f64 / 10.0)).collect();
    edges.dedup();
    rows.iter()
        .map(|&row| match feature.number(row) {
            Some(x) => edges.partition_point(|&edge| edge < x) as u64,
            None => MISSING,
        })
        .collect()
}
