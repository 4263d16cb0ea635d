//! Drift of one column between a reference and a current data set (PRODUCT.md §12): the
//! statistics of the `drift` test, each computed as Evidently 0.7.23 computes it
//! (`evidently.legacy.calculations.stattests`, on SciPy 1.17.1 and numpy 2.4).
//!
//! This module owns the numbers and the drift decision for one column; choosing columns,
//! the share of drifted columns and the report belong to the `drift` test kind. A column's
//! values come in as a [`Sample`] per data set, numeric or categorical; missing cells are
//! left out by the caller, and NaN and ±infinity are dropped here (Evidently drops both
//! before any test). [`drift`] applies a [`DriftMethod`] and a threshold and returns a
//! [`DriftResult`]; one `pub fn` per method gives the bare statistic.
//!
//! The methods, with the Evidently stattest each reproduces, its score and when it drifts:
//!
//! - [`ks`] — `ks`: `scipy.stats.ks_2samp(ref, cur)`, two-sided, method auto (exact up to
//!   10,000 values per sample; `drift/kolmogorov.rs`). The p-value; drift at p ≤ threshold
//!   (default 0.05).
//! - [`chi2`] — `chisquare`: `scipy.stats.chisquare(f_obs, f_exp)`, observed the current
//!   counts per level, expected the reference counts × n_cur/n_ref. The p-value; drift at
//!   p < threshold (0.05).
//! - [`z`] — `z`: the pooled two-proportion z-test of "not the first level" (levels sorted).
//!   The p-value; drift at p < threshold (0.05).
//! - [`wasserstein`] — `wasserstein`: `scipy.stats.wasserstein_distance` ÷ max(population std
//!   of the reference, 0.001). Drift at ≥ threshold (0.1).
//! - [`jensen_shannon`] — `jensenshannon`: `scipy.spatial.distance.jensenshannon` (natural
//!   log) of the [`binned`] shares. Drift at ≥ threshold (0.1).
//! - [`psi`] — `psi`: Σ (r − c) ln(r/c) over the [`binned`] shares, empty bins filled. Drift
//!   at ≥ threshold (0.1).
//!
//! [`auto`] is Evidently's `_get_default_stattest`: with at most 1,000 reference values,
//! `ks` for a numeric column with more than 5 distinct values, else `chi2` (more than 2
//! distinct values) or `z`; with more, `wasserstein` for a numeric column with more than 5
//! distinct values, else `jensen_shannon`. Distinct values are counted over both samples.
//!
//! Evidently's edge cases are kept: a level seen only in the current sample makes the
//! chi-square statistic infinite and p = 0; `chi2` on a single level gives p = NaN (SciPy's
//! `chdtrc(0, 0)`), which never counts as drift; `z` gives p = 1 when both samples hold the
//! same single value. The tests (`drift/tests.rs`) pin every statistic to Evidently's on
//! generated and bundled data.

mod kolmogorov;
mod special;
#[cfg(test)]
mod tests;

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::table::stats;

pub use kolmogorov::{kolmogorov_sf, smirnov_sf, KsTwoSample, MAX_EXACT_N};
pub use special::{chi2_sf, normal_cdf};

/// A drift statistic, by its name in a suite (`"method": "ks"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftMethod {
    Ks,
    Chi2,
    Z,
    Wasserstein,
    JensenShannon,
    Psi,
    /// Evidently's default choice by column kind, size and distinct values ([`auto`]).
    Auto,
}

impl DriftMethod {
    pub const ALL: [DriftMethod; 7] = [
        DriftMethod::Ks,
        DriftMethod::Chi2,
        DriftMethod::Z,
        DriftMethod::Wasserstein,
        DriftMethod::JensenShannon,
        DriftMethod::Psi,
        DriftMethod::Auto,
    ];

    /// The name in a suite and a report.
    pub fn name(self) -> &'static str {
        match self {
            DriftMethod::Ks => "ks",
            DriftMethod::Chi2 => "chi2",
            DriftMethod::Z => "z",
            DriftMethod::Wasserstein => "wasserstein",
            DriftMethod::JensenShannon => "jensen_shannon",
            DriftMethod::Psi => "psi",
            DriftMethod::Auto => "auto",
        }
    }

    /// The name of the Evidently stattest it reproduces (`get_stattest(...).name`);
    /// `None` for `auto`, which chooses one.
    pub fn evidently_name(self) -> Option<&'static str> {
        match self {
            DriftMethod::Ks => Some("ks"),
            DriftMethod::Chi2 => Some("chisquare"),
            DriftMethod::Z => Some("z"),
            DriftMethod::Wasserstein => Some("wasserstein"),
            DriftMethod::JensenShannon => Some("jensenshannon"),
            DriftMethod::Psi => Some("psi"),
            DriftMethod::Auto => None,
        }
    }

    /// Evidently's default threshold: 0.05 for the tests (a p-value), 0.1 for the distances.
    /// `None` for `auto`: the method it chooses decides.
    pub fn default_threshold(self) -> Option<f64> {
        match self {
            DriftMethod::Ks | DriftMethod::Chi2 | DriftMethod::Z => Some(0.05),
            DriftMethod::Wasserstein | DriftMethod::JensenShannon | DriftMethod::Psi => Some(0.1),
            DriftMethod::Auto => None,
        }
    }

    /// Whether the score is a p-value (drift when it is small) rather than a distance (drift
    /// when it is large).
    pub fn is_test(self) -> bool {
        matches!(self, DriftMethod::Ks | DriftMethod::Chi2 | DriftMethod::Z)
    }

    /// Whether the method may be named for a column of this kind (Evidently's
    /// `allowed_feature_types`). [`auto`] may still give `chi2` or `z` to a numeric column
    /// with few distinct values, as Evidently does.
    pub fn applies_to(self, kind: ColumnKind) -> bool {
        match self {
            DriftMethod::Ks | DriftMethod::Wasserstein => kind == ColumnKind::Numeric,
            DriftMethod::Chi2 | DriftMethod::Z => kind == ColumnKind::Categorical,
            DriftMethod::JensenShannon | DriftMethod::Psi | DriftMethod::Auto => true,
        }
    }

    /// Whether `score` crosses `threshold`, with Evidently's comparison for the method:
    /// `ks` at p ≤ threshold, `chi2` and `z` at p < threshold, the distances at ≥. A NaN
    /// score never drifts.
    pub fn crosses(self, score: f64, threshold: f64) -> bool {
        match self {
            DriftMethod::Ks => score <= threshold,
            DriftMethod::Chi2 | DriftMethod::Z => score < threshold,
            DriftMethod::Wasserstein | DriftMethod::JensenShannon | DriftMethod::Psi => score >= threshold,
            DriftMethod::Auto => false,
        }
    }
}

impl std::fmt::Display for DriftMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Evidently's two column types that drift is computed for: numeric (mltest's `int` and
/// `float`) and categorical (the others but text, which Evidently tests with a classifier).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    Numeric,
    Categorical,
}

impl ColumnKind {
    pub fn name(self) -> &'static str {
        match self {
            ColumnKind::Numeric => "numeric",
            ColumnKind::Categorical => "categorical",
        }
    }
}

/// One data set's values of the column, missing cells already left out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sample<'a> {
    /// Numbers held as floats by pandas: a `float` column, or an `int` column with a missing
    /// cell in that data set (pandas reads it as float64). NaN and ±inf are dropped.
    Numeric(&'a [f64]),
    /// The whole numbers of an `int` column without a missing cell, which pandas holds as
    /// int64. It matters in one place: numpy's Sturges bin width for integer data is at
    /// least 1 ([`binned`], past 2¹⁹ values). NaN and ±inf are dropped.
    Integer(&'a [f64]),
    /// The labels of a categorical (`category` or `bool`) column.
    Categorical(&'a [&'a str]),
    /// The same, as each distinct label with how many values hold it: what an engine that
    /// counts by `GROUP BY` returns (any order; a label named twice adds up).
    Counted(&'a [(String, usize)]),
}

impl Sample<'_> {
    pub fn kind(&self) -> ColumnKind {
        match self {
            Sample::Numeric(_) | Sample::Integer(_) => ColumnKind::Numeric,
            Sample::Categorical(_) | Sample::Counted(_) => ColumnKind::Categorical,
        }
    }
}

/// A test's statistic and p-value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TestOutcome {
    /// The chi-square statistic, or z.
    pub statistic: f64,
    pub p_value: f64,
}

/// The outcome of [`drift`] for one column.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DriftResult {
    /// The method applied (never `auto`: the one it chose).
    pub method: DriftMethod,
    /// The number compared with the threshold, Evidently's `drift_score`: the p-value for
    /// `ks`, `chi2` and `z`, the distance otherwise.
    pub score: f64,
    /// The method's own statistic: D for `ks`, χ² for `chi2`, z for `z` (0 when both samples
    /// hold one and the same value), the distance otherwise (equal to `score`).
    pub statistic: f64,
    /// The p-value, for the tests.
    pub p_value: Option<f64>,
    pub threshold: f64,
    pub drifted: bool,
}

/// Applies `method` to the two samples and decides drift against `threshold` (the method's
/// [`default_threshold`](DriftMethod::default_threshold) when `None`; with `auto`, the
/// chosen method's).
///
/// Errors: a sample with no values once NaN and ±inf are left out, samples of different
/// kinds, a method named for the other kind (`ks`/`wasserstein` on categories,
/// `chi2`/`z` on numbers), a threshold that is not a finite number, and numpy's "too many
/// bins" for a numeric range too narrow for its Sturges bins. Messages name the sample and
/// the method; the caller adds the column.
pub fn drift(
    method: DriftMethod,
    reference: Sample,
    current: Sample,
    threshold: Option<f64>,
) -> Result<DriftResult, String> {
    check_threshold(threshold)?;
    let (reference, current) = clean_pair(reference, current)?;
    drift_clean(method, &reference, &current, threshold)
}

/// [`drift`] and [`binned`] of the same samples, which are cleaned (and sorted) once: a
/// drift test reports both, and preparing a million values is most of either's time.
pub fn drift_and_bins(
    method: DriftMethod,
    reference: Sample,
    current: Sample,
    threshold: Option<f64>,
) -> Result<(DriftResult, Option<Binned>), String> {
    check_threshold(threshold)?;
    let (reference, current) = clean_pair(reference, current)?;
    let result = drift_clean(method, &reference, &current, threshold)?;
    Ok((result, binned_clean(&reference, &current).ok()))
}

/// A threshold given must be a finite number.
fn check_threshold(threshold: Option<f64>) -> Result<(), String> {
    match threshold {
        Some(t) if !t.is_finite() => Err(format!("the threshold must be a finite number, got {t}")),
        _ => Ok(()),
    }
}

/// [`drift`] of cleaned samples.
fn drift_clean(
    method: DriftMethod,
    reference: &Clean,
    current: &Clean,
    threshold: Option<f64>,
) -> Result<DriftResult, String> {
    let chosen = match method {
        DriftMethod::Auto => choose(reference, current),
        named => {
            let kind = reference.kind();
            if !named.applies_to(kind) {
                let fits = match kind {
                    ColumnKind::Numeric => "ks, wasserstein, jensen_shannon, psi or auto",
                    ColumnKind::Categorical => "chi2, z, jensen_shannon, psi or auto",
                };
                return Err(format!(
                    "the method {named} does not apply to a {} column; use {fits}",
                    kind.name()
                ));
            }
            named
        }
    };
    let threshold = match threshold.or(chosen.default_threshold()) {
        Some(t) => t,
        None => return Err(format!("the method {chosen} has no default threshold")),
    };
    let (statistic, p_value) = match chosen {
        DriftMethod::Ks => {
            let ks = kolmogorov::ks_2samp(sorted_numbers(reference), sorted_numbers(current));
            (ks.statistic, Some(ks.p_value))
        }
        DriftMethod::Chi2 => {
            let t = chi2_clean(reference, current);
            (t.statistic, Some(t.p_value))
        }
        DriftMethod::Z => {
            let t = z_clean(reference, current);
            (t.statistic, Some(t.p_value))
        }
        DriftMethod::Wasserstein => (wasserstein_clean(reference, current), None),
        DriftMethod::JensenShannon => (jensen_shannon_clean(reference, current)?, None),
        DriftMethod::Psi => (psi_clean(reference, current)?, None),
        // `choose` never returns auto; an error keeps the match total without a panic.
        DriftMethod::Auto => return Err("auto did not choose a method (a bug in mltest)".into()),
    };
    let score = p_value.unwrap_or(statistic);
    Ok(DriftResult {
        method: chosen,
        score,
        statistic,
        p_value,
        threshold,
        drifted: chosen.crosses(score, threshold),
    })
}

/// Evidently's default stattest for the column ([`DriftMethod::Auto`]): see the module
/// documentation. Errors as [`drift`]'s for the samples.
pub fn auto(reference: Sample, current: Sample) -> Result<DriftMethod, String> {
    let (reference, current) = clean_pair(reference, current)?;
    Ok(choose(&reference, &current))
}

/// `scipy.stats.ks_2samp(reference, current)` (Evidently's `ks`): D and the two-sided
/// p-value, exact while both samples have at most [`MAX_EXACT_N`] values.
pub fn ks(reference: &[f64], current: &[f64]) -> Result<KsTwoSample, String> {
    let (r, c) = clean_pair(Sample::Numeric(reference), Sample::Numeric(current))?;
    Ok(kolmogorov::ks_2samp(sorted_numbers(&r), sorted_numbers(&c)))
}

/// Evidently's `chisquare`: observed = the current counts per level, expected = the
/// reference counts × n_cur/n_ref, over the levels of both samples; the p-value from
/// χ² with (levels − 1) degrees of freedom. Numbers count as levels by value.
pub fn chi2(reference: Sample, current: Sample) -> Result<TestOutcome, String> {
    let (r, c) = clean_pair(reference, current)?;
    Ok(chi2_clean(&r, &c))
}

/// Evidently's `z`: with the levels of both samples sorted (numbers numerically, labels by
/// code point), the share of values that are not the first level in each sample, compared
/// by the pooled two-proportion z-test; p = 2 (1 − Φ(|z|)), computed in that order as
/// Evidently does (so p is 0 once Φ rounds to 1). With more than two levels this still
/// compares "first level or not", as Evidently does.
pub fn z(reference: Sample, current: Sample) -> Result<TestOutcome, String> {
    let (r, c) = clean_pair(reference, current)?;
    Ok(z_clean(&r, &c))
}

/// Evidently's `wasserstein`: `scipy.stats.wasserstein_distance(reference, current)`
/// divided by max(population std of the reference, 0.001).
pub fn wasserstein(reference: &[f64], current: &[f64]) -> Result<f64, String> {
    let (r, c) = clean_pair(Sample::Numeric(reference), Sample::Numeric(current))?;
    Ok(wasserstein_clean(&r, &c))
}

/// Evidently's `jensenshannon`: the Jensen–Shannon distance (natural log, so at most
/// √ln 2) between the [`binned`] shares, without filling empty bins.
pub fn jensen_shannon(reference: Sample, current: Sample) -> Result<f64, String> {
    let (r, c) = clean_pair(reference, current)?;
    jensen_shannon_clean(&r, &c)
}

/// Evidently's `psi`: Σ (r − c) ln(r / c) over the [`binned`] shares, after an empty bin's
/// share is replaced by 0.0001, or by the smallest non-zero share ÷ 10⁶ when that share is
/// at most 0.0001 (each sample separately).
pub fn psi(reference: Sample, current: Sample) -> Result<f64, String> {
    let (r, c) = clean_pair(reference, current)?;
    psi_clean(&r, &c)
}

/// What the shares of [`Binned`] count.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BinKeys {
    /// The edges of equal-width bins (one more than the bins); each bin holds
    /// edgeᵢ ≤ x < edgeᵢ₊₁, the last one also its right edge.
    Edges(Vec<f64>),
    /// One bin per distinct number, ascending.
    Numbers(Vec<f64>),
    /// One bin per label, in code-point order.
    Labels(Vec<String>),
}

/// The share of each sample's values per bin, as Evidently's `get_binned_data` makes them
/// for `jensen_shannon` and `psi` (and for the page's overlaid histograms).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Binned {
    pub keys: BinKeys,
    /// Count ÷ the reference's number of values, per bin.
    pub reference: Vec<f64>,
    /// Count ÷ the current sample's number of values, per bin.
    pub current: Vec<f64>,
}

/// Evidently's `get_binned_data`: for a numeric column whose reference has more than 20
/// distinct values, equal-width bins over both samples with numpy's Sturges rule
/// (`np.histogram_bin_edges(concat, bins="sturges")`: ⌈range ÷ (range / (log₂ n + 1))⌉
/// bins, width at least 1 for integer data, edges by `np.linspace`); otherwise one bin per
/// distinct value of either sample.
pub fn binned(reference: Sample, current: Sample) -> Result<Binned, String> {
    let (r, c) = clean_pair(reference, current)?;
    binned_clean(&r, &c)
}

// ---------------------------------------------------------------------------------------
// Cleaned samples

/// A sample after NaN and ±inf are dropped: never empty. Numbers are sorted once, here:
/// every statistic of numbers reads them in order (the KS and Wasserstein CDFs, the levels,
/// the bins), and one sort per sample replaces one per statistic.
enum Clean<'a> {
    Numbers {
        /// Ascending (`total_cmp`).
        sorted: Vec<f64>,
        integer: bool,
        /// The population std, summed in the sample's own order as SciPy and numpy do (the
        /// Wasserstein norm).
        std: f64,
    },
    /// Each distinct label with its count, in code-point order: every statistic of labels
    /// reads their counts only.
    Labels { counted: Vec<(&'a str, usize)>, len: usize },
}

impl Clean<'_> {
    fn kind(&self) -> ColumnKind {
        match self {
            Clean::Numbers { .. } => ColumnKind::Numeric,
            Clean::Labels { .. } => ColumnKind::Categorical,
        }
    }

    fn len(&self) -> usize {
        match self {
            Clean::Numbers { sorted, .. } => sorted.len(),
            Clean::Labels { len, .. } => *len,
        }
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn clean<'a>(sample: Sample<'a>, which: &str) -> Result<Clean<'a>, String> {
    let cleaned = match sample {
        Sample::Numeric(v) | Sample::Integer(v) => {
            let values: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
            let std = stats::mean_and_population_std(&values).map_or(0.0, |(_, s)| s);
            let mut sorted = values;
            sorted.sort_unstable_by(f64::total_cmp);
            Clean::Numbers { sorted, integer: matches!(sample, Sample::Integer(_)), std }
        }
        Sample::Categorical(labels) => {
            let mut sorted = labels.to_vec();
            sorted.sort_unstable();
            let counted = runs(sorted.into_iter().map(|label| (label, 1)), |a, b| a.cmp(b));
            Clean::Labels { counted, len: labels.len() }
        }
        Sample::Counted(counts) => {
            let mut sorted: Vec<(&str, usize)> =
                counts.iter().filter(|(_, n)| *n > 0).map(|(label, n)| (label.as_str(), *n)).collect();
            sorted.sort_unstable();
            let counted = runs(sorted, |a, b| a.cmp(b));
            let len = counted.iter().map(|(_, n)| n).sum();
            Clean::Labels { counted, len }
        }
    };
    if cleaned.is_empty() {
        return Err(format!(
            "the {which} data has no values in this column (missing, NaN and infinite cells are left out)"
        ));
    }
    Ok(cleaned)
}

fn clean_pair<'a>(reference: Sample<'a>, current: Sample<'a>) -> Result<(Clean<'a>, Clean<'a>), String> {
    let (r, c) = (clean(reference, "reference")?, clean(current, "current")?);
    if r.kind() != c.kind() {
        return Err(format!(
            "the column is {} in the reference data but {} in the current data",
            r.kind().name(),
            c.kind().name()
        ));
    }
    Ok((r, c))
}

/// A sample's numbers, ascending (none for labels).
fn sorted_numbers<'s>(sample: &'s Clean) -> &'s [f64] {
    match sample {
        Clean::Numbers { sorted, .. } => sorted,
        Clean::Labels { .. } => &[],
    }
}

// ---------------------------------------------------------------------------------------
// Levels: the distinct values of both samples and their counts

/// The distinct values of both samples in ascending order (numbers numerically, labels by
/// code point), with each sample's count of each.
struct Levels {
    /// `BinKeys::Numbers` or `BinKeys::Labels`.
    keys: BinKeys,
    reference: Vec<usize>,
    current: Vec<usize>,
}

impl Levels {
    fn of(r: &Clean, c: &Clean) -> Levels {
        match (r, c) {
            (Clean::Labels { counted: a, .. }, Clean::Labels { counted: b, .. }) => {
                let (keys, reference, current) = merge_runs(a, b, |x: &&str, y: &&str| x.cmp(y));
                Levels {
                    keys: BinKeys::Labels(keys.iter().map(|k| k.to_string()).collect()),
                    reference,
                    current,
                }
            }
            _ => {
                // −0 and 0 are one value, as in pandas (next to each other in the sort, so
                // the values stay sorted).
                let level =
                    |v: &[f64]| runs(v.iter().map(|&x| (if x == 0.0 { 0.0 } else { x }, 1)), f64::total_cmp);
                let (keys, reference, current) =
                    merge_runs(&level(sorted_numbers(r)), &level(sorted_numbers(c)), f64::total_cmp);
                Levels { keys: BinKeys::Numbers(keys), reference, current }
            }
        }
    }

    /// Distinct values over both samples (`pd.concat([ref, cur]).nunique()`).
    fn len(&self) -> usize {
        self.reference.len()
    }

    fn distinct_in_reference(&self) -> usize {
        self.reference.iter().filter(|&&n| n > 0).count()
    }

    fn distinct_in_current(&self) -> usize {
        self.current.iter().filter(|&&n| n > 0).count()
    }
}

/// The distinct keys of keys in order, each with its counts added up.
fn runs<K>(
    sorted: impl IntoIterator<Item = (K, usize)>,
    cmp: impl Fn(&K, &K) -> Ordering,
) -> Vec<(K, usize)> {
    let mut runs: Vec<(K, usize)> = Vec::new();
    for (key, count) in sorted {
        match runs.last_mut() {
            Some((last, n)) if cmp(last, &key) == Ordering::Equal => *n += count,
            _ => runs.push((key, count)),
        }
    }
    runs
}

/// Merges two samples' sorted [`runs`] into the distinct keys of both and each sample's
/// count of each (0 where it lacks the key).
fn merge_runs<K: Copy>(
    r: &[(K, usize)],
    c: &[(K, usize)],
    cmp: impl Fn(&K, &K) -> Ordering,
) -> (Vec<K>, Vec<usize>, Vec<usize>) {
    let (mut keys, mut r_counts, mut c_counts) = (Vec::new(), Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    loop {
        let (key, in_r, in_c) = match (r.get(i), c.get(j)) {
            (Some(a), Some(b)) => match cmp(&a.0, &b.0) {
                Ordering::Less => (a.0, a.1, 0),
                Ordering::Greater => (b.0, 0, b.1),
                Ordering::Equal => (a.0, a.1, b.1),
            },
            (Some(a), None) => (a.0, a.1, 0),
            (None, Some(b)) => (b.0, 0, b.1),
            (None, None) => break,
        };
        i += usize::from(in_r > 0);
        j += usize::from(in_c > 0);
        keys.push(key);
        r_counts.push(in_r);
        c_counts.push(in_c);
    }
    (keys, r_counts, c_counts)
}

// ---------------------------------------------------------------------------------------
// The methods on cleaned samples

/// Evidently's `_get_default_stattest`.
fn choose(r: &Clean, c: &Clean) -> DriftMethod {
    let distinct = Levels::of(r, c).len();
    let numeric = r.kind() == ColumnKind::Numeric;
    if r.len() <= 1000 {
        if numeric && distinct > 5 {
            DriftMethod::Ks
        } else if distinct > 2 {
            DriftMethod::Chi2
        } else {
            DriftMethod::Z
        }
    } else if numeric && distinct > 5 {
        DriftMethod::Wasserstein
    } else {
        DriftMethod::JensenShannon
    }
}

fn chi2_clean(r: &Clean, c: &Clean) -> TestOutcome {
    let (n_ref, n_cur) = (r.len() as f64, c.len() as f64);
    let Levels { reference: ref_counts, current: cur_counts, .. } = Levels::of(r, c);
    let k_norm = n_cur / n_ref;
    let terms: Vec<f64> = ref_counts
        .iter()
        .zip(&cur_counts)
        .map(|(&expected, &observed)| {
            let expected = expected as f64 * k_norm;
            let gap = observed as f64 - expected;
            // A level absent from the reference: x/0 = inf, as numpy divides.
            gap * gap / expected
        })
        .collect();
    let statistic = stats::sum(&terms);
    let df = (terms.len() - 1) as f64;
    TestOutcome { statistic, p_value: chi2_sf(df, statistic) }
}

fn z_clean(r: &Clean, c: &Clean) -> TestOutcome {
    let levels = Levels::of(r, c);
    if levels.distinct_in_reference() == 1 && levels.distinct_in_current() == 1 && levels.len() == 1 {
        // Evidently: p = 1 when both samples hold one and the same value.
        return TestOutcome { statistic: 0.0, p_value: 1.0 };
    }
    let (ref_counts, cur_counts) = (levels.reference, levels.current);
    let (n1, n2) = (r.len(), c.len());
    // 1 for a value that is not the first level, as Evidently maps them.
    let p1 = (n1 - ref_counts[0]) as f64 / n1 as f64;
    let p2 = (n2 - cur_counts[0]) as f64 / n2 as f64;
    let (n1, n2) = (n1 as f64, n2 as f64);
    let pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
    let statistic = (p1 - p2) / (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    let p_value = 2.0 * (1.0 - normal_cdf(statistic.abs()));
    TestOutcome { statistic, p_value }
}

fn wasserstein_clean(r: &Clean, c: &Clean) -> f64 {
    let std = match r {
        Clean::Numbers { std, .. } => *std,
        Clean::Labels { .. } => 0.0,
    };
    cdf_distance(sorted_numbers(r), sorted_numbers(c)) / std.max(0.001)
}

/// SciPy's `_cdf_distance(1, u, v)`: Σ |U(xᵢ) − V(xᵢ)| (xᵢ₊₁ − xᵢ) over the sorted values
/// of both samples, U and V the empirical CDFs (values ≤ xᵢ over n). SciPy adds the terms
/// with a dot product; here they are added pairwise, which differs in the last bits only.
fn cdf_distance(u: &[f64], v: &[f64]) -> f64 {
    let all = merge_sorted(u, v);
    let (nu, nv) = (u.len() as f64, v.len() as f64);
    let (mut i, mut j) = (0, 0);
    let terms: Vec<f64> = all
        .windows(2)
        .map(|pair| {
            let x = pair[0];
            while i < u.len() && u[i] <= x {
                i += 1;
            }
            while j < v.len() && v[j] <= x {
                j += 1;
            }
            (i as f64 / nu - j as f64 / nv).abs() * (pair[1] - pair[0])
        })
        .collect();
    stats::sum(&terms)
}

/// The values of two ascending samples, ascending (`total_cmp`): a merge, not a sort.
fn merge_sorted(u: &[f64], v: &[f64]) -> Vec<f64> {
    let mut all = Vec::with_capacity(u.len() + v.len());
    let (mut i, mut j) = (0, 0);
    while i < u.len() && j < v.len() {
        if v[j].total_cmp(&u[i]).is_lt() {
            all.push(v[j]);
            j += 1;
        } else {
            all.push(u[i]);
            i += 1;
        }
    }
    all.extend_from_slice(&u[i..]);
    all.extend_from_slice(&v[j..]);
    all
}

fn binned_clean(r: &Clean, c: &Clean) -> Result<Binned, String> {
    let (n_ref, n_cur) = (r.len() as f64, c.len() as f64);
    let levels = Levels::of(r, c);
    let (keys, ref_counts, cur_counts) = match (r, c) {
        (Clean::Numbers { integer: ri, .. }, Clean::Numbers { integer: ci, .. })
            if levels.distinct_in_reference() > 20 =>
        {
            let (u, v) = (sorted_numbers(r), sorted_numbers(c));
            let edges = sturges_edges(u, v, *ri && *ci)?;
            let (ref_counts, cur_counts) = (histogram(u, &edges), histogram(v, &edges));
            (BinKeys::Edges(edges), ref_counts, cur_counts)
        }
        _ => (levels.keys, levels.reference, levels.current),
    };
    Ok(Binned {
        keys,
        reference: ref_counts.iter().map(|&k| k as f64 / n_ref).collect(),
        current: cur_counts.iter().map(|&k| k as f64 / n_cur).collect(),
    })
}

/// `np.histogram_bin_edges(concat(u, v), bins="sturges")` for two sorted samples: width =
/// range / (log₂ n + 1) (at least 1 for integer data), ⌈range / width⌉ bins, edges
/// `np.linspace(min, max, bins + 1)`: first + i · step with the last edge exactly max.
fn sturges_edges(u: &[f64], v: &[f64], integer: bool) -> Result<Vec<f64>, String> {
    let (umin, umax) = (u[0], u[u.len() - 1]);
    let (vmin, vmax) = (v[0], v[v.len() - 1]);
    let (lo, hi) = (umin.min(vmin), umax.max(vmax));
    let (first, last) = if lo == hi { (lo - 0.5, hi + 0.5) } else { (lo, hi) };
    let n = (u.len() + v.len()) as f64;
    let mut width = (hi - lo) / (n.log2() + 1.0);
    if integer && width < 1.0 {
        width = 1.0;
    }
    let bins = if width != 0.0 { ((last - first) / width).ceil() as usize } else { 1 };
    let step = (last - first) / bins as f64;
    let mut edges: Vec<f64> = (0..=bins).map(|i| i as f64 * step + first).collect();
    edges[bins] = last;
    if edges.windows(2).any(|w| w[0] >= w[1]) {
        return Err(format!(
            "the values span too narrow a range ({first} to {last}) for {bins} equal-width bins \
             (numpy's Sturges rule)"
        ));
    }
    Ok(edges)
}

/// `np.histogram(sorted, edges)[0]`: counts of edgeᵢ ≤ x < edgeᵢ₊₁, the last bin closed.
fn histogram(sorted: &[f64], edges: &[f64]) -> Vec<usize> {
    let below = |e: f64| sorted.partition_point(|&x| x < e);
    let at_or_below = |e: f64| sorted.partition_point(|&x| x <= e);
    let last = edges.len() - 1;
    let cumulative: Vec<usize> =
        edges.iter().enumerate().map(|(i, &e)| if i == last { at_or_below(e) } else { below(e) }).collect();
    cumulative.windows(2).map(|w| w[1] - w[0]).collect()
}

/// SciPy's `rel_entr(x, y)`: x ln(x/y), 0 at x = 0, ∞ where y = 0 < x.
fn rel_entr(x: f64, y: f64) -> f64 {
    if x > 0.0 && y > 0.0 {
        x * (x / y).ln()
    } else if x == 0.0 && y >= 0.0 {
        0.0
    } else {
        f64::INFINITY
    }
}

fn jensen_shannon_clean(r: &Clean, c: &Clean) -> Result<f64, String> {
    let shares = binned_clean(r, c)?;
    let (sum_p, sum_q) = (stats::sum(&shares.reference), stats::sum(&shares.current));
    let p: Vec<f64> = shares.reference.iter().map(|x| x / sum_p).collect();
    let q: Vec<f64> = shares.current.iter().map(|x| x / sum_q).collect();
    let m: Vec<f64> = p.iter().zip(&q).map(|(a, b)| (a + b) / 2.0).collect();
    let left: Vec<f64> = p.iter().zip(&m).map(|(&a, &b)| rel_entr(a, b)).collect();
    let right: Vec<f64> = q.iter().zip(&m).map(|(&a, &b)| rel_entr(a, b)).collect();
    let js = stats::sum(&left) + stats::sum(&right);
    Ok((js / 2.0).sqrt())
}

/// Evidently's empty-bin fill for PSI: zeros become 0.0001, or the smallest non-zero share
/// ÷ 10⁶ when that share is at most 0.0001.
fn fill_empty(shares: &mut [f64]) {
    let smallest = shares.iter().copied().filter(|&s| s != 0.0).fold(f64::INFINITY, f64::min);
    let fill = if smallest <= 0.0001 { smallest / 1e6 } else { 0.0001 };
    for s in shares.iter_mut().filter(|s| **s == 0.0) {
        *s = fill;
    }
}

fn psi_clean(r: &Clean, c: &Clean) -> Result<f64, String> {
    let mut shares = binned_clean(r, c)?;
    fill_empty(&mut shares.reference);
    fill_empty(&mut shares.current);
    let terms: Vec<f64> =
        shares.reference.iter().zip(&shares.current).map(|(&a, &b)| (a - b) * (a / b).ln()).collect();
    Ok(stats::sum(&terms))
}
