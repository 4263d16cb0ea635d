//! A per-column summary of a [`Table`]: what the page shows beside the preview, what
//! `mltest inspect` prints, and what "Suggest tests" reads to propose types, ranges and
//! allowed sets.
//!
//! Numbers follow [`stats`](super::stats): sample std (ddof = 1) as pandas, numpy's linear
//! median, and numpy's `histogram` binning. Infinite cells are counted in
//! [`ColumnProfile::infinite`] and kept out of every statistic and of the histogram, since
//! one `inf` would make the mean, the std and every bin edge meaningless.

use std::hash::Hash;

use serde::{Deserialize, Serialize};

use super::hash::FastMap;
use super::{stats, Column, ColumnType, Table, Values};

/// Number of bins of a profile's histogram.
const HISTOGRAM_BINS: usize = 10;
/// Number of most frequent values a profile lists.
const TOP_VALUES: usize = 5;

/// The summary of one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnProfile {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: ColumnType,
    /// All rows, missing or not.
    pub rows: usize,
    pub missing: usize,
    /// Distinct non-missing values.
    pub distinct: usize,
    /// Numeric columns only, over finite values; `None` when there are none.
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub mean: Option<f64>,
    /// Sample standard deviation (ddof = 1); `None` for fewer than two finite values.
    pub std: Option<f64>,
    pub median: Option<f64>,
    /// Cells holding `inf` or `-inf` (numeric columns).
    pub infinite: usize,
    /// Up to 5 most frequent non-missing values, most frequent first; ties in
    /// order of first appearance.
    pub top: Vec<TopValue>,
    /// Numeric columns with at least one finite value.
    pub histogram: Option<Histogram>,
}

/// A value and how many rows hold it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopValue {
    /// As [`Column::text`] writes it.
    pub value: String,
    pub count: usize,
}

/// Equal-width bins: `counts[i]` values fall in `[edges[i], edges[i + 1])`, the last bin
/// also holding its right edge, as `numpy.histogram` counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// `counts.len() + 1` ascending edges.
    pub edges: Vec<f64>,
    pub counts: Vec<usize>,
}

impl Histogram {
    /// `numpy.histogram(values, bins)` over `[min, max]` of `values`, which must be finite.
    ///
    /// Bin edges are `numpy.linspace(min, max, bins + 1)` and a value goes to bin
    /// `⌊(x − min)·bins / (max − min)⌋`, corrected against the edges exactly as numpy does,
    /// so counts match numpy's value for value. When every value is the same there is one
    /// bin, `[v − 0.5, v + 0.5]` (numpy's range for a constant array), holding them all.
    /// `None` for no values or zero bins.
    pub fn of(values: &[f64], bins: usize) -> Option<Histogram> {
        Histogram::spanning(values, stats::min(values)?, stats::max(values)?, bins)
    }

    /// [`Histogram::of`] when `lo` and `hi` are already known to be the values' [`stats::min`]
    /// and [`stats::max`]: a profile has them, and each is a pass over every value.
    fn spanning(values: &[f64], lo: f64, hi: f64, bins: usize) -> Option<Histogram> {
        if bins == 0 || !lo.is_finite() || !hi.is_finite() {
            return None;
        }
        if lo == hi {
            return Some(Histogram { edges: vec![lo - 0.5, hi + 0.5], counts: vec![values.len()] });
        }
        let width = hi - lo;
        let edges: Vec<f64> = if width.is_finite() {
            let step = width / bins as f64;
            (0..bins).map(|i| i as f64 * step + lo).chain(std::iter::once(hi)).collect()
        } else {
            // hi − lo overflowed (values near ±f64::MAX): interpolate without the difference.
            (0..bins)
                .map(|i| {
                    let t = i as f64 / bins as f64;
                    lo * (1.0 - t) + hi * t
                })
                .chain(std::iter::once(hi))
                .collect()
        };
        let mut counts = vec![0; bins];
        for &x in values {
            let f = if width.is_finite() {
                (x - lo) * (bins as f64 / width)
            } else {
                (x / 2.0 - lo / 2.0) * (bins as f64 / (hi / 2.0 - lo / 2.0))
            };
            // `as` saturates (NaN → 0), so the index is clamped rather than trusted.
            let mut i = (f as usize).min(bins - 1);
            // numpy's correction for rounding in the division: the edges decide.
            if i > 0 && x < edges[i] {
                i -= 1;
            }
            if i + 1 < bins && x >= edges[i + 1] {
                i += 1;
            }
            counts[i] += 1;
        }
        Some(Histogram { edges, counts })
    }
}

/// Profiles every column of the table, in column order.
pub fn profile(table: &Table) -> Vec<ColumnProfile> {
    table.columns().iter().map(profile_column).collect()
}

fn profile_column(column: &Column) -> ColumnProfile {
    let (distinct, top) = frequencies(column);
    let mut p = ColumnProfile {
        name: column.name().to_owned(),
        ty: column.ty(),
        rows: column.len(),
        missing: column.missing_count(),
        distinct,
        min: None,
        max: None,
        mean: None,
        std: None,
        median: None,
        infinite: 0,
        top,
        histogram: None,
    };
    if let Some(mut finite) = finite_values(column, &mut p.infinite) {
        p.min = stats::min(&finite);
        p.max = stats::max(&finite);
        p.mean = stats::mean(&finite);
        p.std = p.mean.and_then(|m| stats::variance_about(&finite, m)).map(f64::sqrt);
        p.histogram =
            p.min.zip(p.max).and_then(|(lo, hi)| Histogram::spanning(&finite, lo, hi, HISTOGRAM_BINS));
        // Last, because selection reorders the values (and the sums above depend on order).
        p.median = stats::median_unsorted(&mut finite);
    }
    p
}

/// The finite values of a numeric column in row order, counting its infinite ones into
/// `infinite`; `None` for a column that is not numeric.
fn finite_values(column: &Column, infinite: &mut usize) -> Option<Vec<f64>> {
    let mut finite = Vec::with_capacity(column.len());
    let mut keep = |x: f64| {
        if x.is_finite() {
            finite.push(x);
        } else if x.is_infinite() {
            *infinite += 1;
        }
    };
    // Straight over the value and mask slices: `Column::number` per row checks the type and
    // the bounds again for every cell.
    match column.values() {
        Values::Int(v) => {
            v.iter().zip(column.missing_flags()).filter(|(_, m)| !m).for_each(|(&x, _)| keep(x as f64))
        }
        Values::Float(v) => {
            v.iter().zip(column.missing_flags()).filter(|(_, m)| !m).for_each(|(&x, _)| keep(x))
        }
        _ => return None,
    }
    Some(finite)
}

/// The number of distinct non-missing values and the most frequent ones.
///
/// Values are counted by the values themselves (ints exactly, floats by value, texts byte for
/// byte), the same equality as [`rows`](super::rows) uses for `unique` and `not_constant`.
fn frequencies(column: &Column) -> (usize, Vec<TopValue>) {
    let (distinct, top_rows) = match column.values() {
        Values::Int(v) => count_keys(column, |row| v[row]),
        // `+ 0.0` turns -0.0 into 0.0 so the two count as one value; NaN is always missing.
        Values::Float(v) => count_keys(column, |row| (v[row] + 0.0).to_bits()),
        Values::Bool(v) => count_keys(column, |row| v[row]),
        Values::Category { codes, .. } => count_keys(column, |row| codes[row]),
        // Through `text`, which borrows: the text storage is the loader's business.
        Values::Text(_) => count_keys(column, |row| column.text(row)),
    };
    let top = top_rows
        .into_iter()
        .map(|(row, count)| TopValue { value: column.text(row).into_owned(), count })
        .collect();
    (distinct, top)
}

/// Counts the key of each non-missing row; returns the number of distinct keys and, for the
/// [`TOP_VALUES`] most frequent, the row where each first appears with its count.
///
/// One pass with a [`FastMap`] from key to (first row, count): O(n), where sorting the keys
/// was O(n log n) and the largest part of profiling a column of a million measurements. The
/// map compares keys, not only their hashes, and its hasher is seeded, so its iteration order
/// changes from run to run; which keys come first does not depend on it: rows are unique, so
/// (count descending, first row ascending) is a total order.
fn count_keys<K: Hash + Eq>(column: &Column, key: impl Fn(usize) -> K) -> (usize, Vec<(usize, usize)>) {
    let mut counts: FastMap<K, (usize, usize)> = FastMap::default();
    for (row, is_missing) in column.missing_flags().enumerate() {
        if !is_missing {
            // A full table is rebuilt twice as large, every key inserted again; a column of
            // measurements fills it again and again. Growing four-fold moves half as many.
            if counts.len() == counts.capacity() {
                counts.reserve(3 * counts.len().max(4));
            }
            counts.entry(key(row)).or_insert((row, 0)).1 += 1;
        }
    }
    let mut runs: Vec<(usize, usize)> = counts.into_values().collect();
    let distinct = runs.len();
    let order = |a: &(usize, usize), b: &(usize, usize)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
    // Only the first few are needed: partition them out rather than sort every value.
    if runs.len() > TOP_VALUES {
        runs.select_nth_unstable_by(TOP_VALUES - 1, order);
        runs.truncate(TOP_VALUES);
    }
    runs.sort_unstable_by(order);
    (distinct, runs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{read_csv, LoadOptions};

    fn table(text: &str) -> Table {
        match read_csv(text.as_bytes(), "t.csv", &LoadOptions::default()) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        }
    }

    fn top(p: &ColumnProfile) -> Vec<(&str, usize)> {
        p.top.iter().map(|t| (t.value.as_str(), t.count)).collect()
    }

    #[test]
    fn numeric_profile_numbers() {
        let t = table("x\n1\n2\n3\n4\nNA\n");
        let p = &profile(&t)[0];
        assert_eq!(p.ty, ColumnType::Int);
        assert_eq!((p.rows, p.missing, p.distinct, p.infinite), (5, 1, 4, 0));
        assert_eq!(p.min, Some(1.0));
        assert_eq!(p.max, Some(4.0));
        assert_eq!(p.mean, Some(2.5));
        // pandas.Series([1, 2, 3, 4]).std()
        assert_eq!(p.std, Some(1.2909944487358056));
        assert_eq!(p.median, Some(2.5));
        let h = p.histogram.as_ref().expect("numeric column has a histogram");
        // numpy.histogram([1, 2, 3, 4], bins=10)
        assert_eq!(h.counts, [1, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
        assert_eq!(h.edges.len(), 11);
        assert_eq!(h.edges[0], 1.0);
        assert_eq!(h.edges[10], 4.0);
        assert!((h.edges[3] - 1.9).abs() < 1e-12);
    }

    #[test]
    fn histogram_matches_numpy_on_unevenly_spread_values() {
        // numpy 2.4: numpy.histogram([0, 0.1, 0.2, 0.3, 0.7, 0.9, 1.0], bins=10)[0]
        //   -> [1, 1, 2, 0, 0, 0, 1, 0, 0, 2]
        // 0.3 lands in bin 2 because the edge 3 × 0.1 is 0.30000000000000004 > 0.3; a naive
        // ⌊x·10⌋ would say bin 3.
        let h = Histogram::of(&[0.0, 0.1, 0.2, 0.3, 0.7, 0.9, 1.0], 10).expect("values");
        assert_eq!(h.counts, [1, 1, 2, 0, 0, 0, 1, 0, 0, 2]);
        assert_eq!(h.counts.iter().sum::<usize>(), 7);
    }

    #[test]
    fn histogram_of_extreme_values_does_not_overflow() {
        let h = Histogram::of(&[-f64::MAX, 0.0, f64::MAX], 10).expect("values");
        assert_eq!(h.counts.iter().sum::<usize>(), 3);
        assert_eq!((h.counts[0], h.counts[5], h.counts[9]), (1, 1, 1));
        assert!(h.edges.iter().all(|e| e.is_finite()));
    }

    #[test]
    fn constant_column_has_one_bin_and_zero_std() {
        let t = table("k\n7\n7\n7\n");
        let p = &profile(&t)[0];
        assert_eq!(p.std, Some(0.0));
        assert_eq!(p.distinct, 1);
        assert_eq!(p.histogram, Some(Histogram { edges: vec![6.5, 7.5], counts: vec![3] }));
        assert_eq!(top(p), [("7", 3)]);
    }

    #[test]
    fn all_missing_column_has_no_numbers() {
        let t = table("a,b\n1,NA\n2,\n");
        let p = &profile(&t)[1];
        assert_eq!(p.ty, ColumnType::Float);
        assert_eq!((p.missing, p.distinct), (2, 0));
        assert_eq!((p.mean, p.std, p.median, p.min), (None, None, None, None));
        assert_eq!(p.histogram, None);
        assert!(p.top.is_empty());
    }

    #[test]
    fn infinities_are_counted_and_kept_out_of_the_statistics() {
        let t = table("x\n1.0\ninf\n3.0\n-inf\n");
        let p = &profile(&t)[0];
        assert_eq!(p.infinite, 2);
        assert_eq!(p.mean, Some(2.0));
        assert_eq!((p.min, p.max), (Some(1.0), Some(3.0)));
        assert_eq!(p.histogram.as_ref().map(|h| h.counts.iter().sum::<usize>()), Some(2));
        assert_eq!(p.distinct, 4);
    }

    #[test]
    fn single_value_has_no_std() {
        let t = table("a,x\n1,NA\n2,5.5\n");
        let p = &profile(&t)[1];
        assert_eq!((p.mean, p.std, p.median), (Some(5.5), None, Some(5.5)));
    }

    #[test]
    fn category_top_values_by_count_then_first_appearance() {
        let t = table("c\nb\na\nc\na\nc\nb\nNA\nd\nd\ne\ne\nf\nf\n");
        let p = &profile(&t)[0];
        assert_eq!(p.ty, ColumnType::Category);
        assert_eq!(p.distinct, 6);
        assert_eq!(p.missing, 1);
        assert_eq!(top(p), [("b", 2), ("a", 2), ("c", 2), ("d", 2), ("e", 2)]);
        assert_eq!((p.mean, p.histogram.as_ref()), (None, None));
    }

    #[test]
    fn top_values_most_frequent_first() {
        let t = table("x\n1.5\n2.5\n2.5\n-0.0\n0.0\n2.5\n");
        let p = &profile(&t)[0];
        assert_eq!(p.distinct, 3, "-0.0 and 0.0 are one value");
        assert_eq!(top(p), [("2.5", 3), ("-0", 2), ("1.5", 1)]);
    }

    #[test]
    fn text_and_bool_profiles() {
        let t = table("name,ok\nann,true\nbob,false\ncid,true\n");
        let ps = profile(&t);
        assert_eq!(ps[0].ty, ColumnType::Text);
        assert_eq!(ps[0].distinct, 3);
        assert_eq!(top(&ps[1]), [("true", 2), ("false", 1)]);
        assert_eq!(ps[1].histogram, None);
    }

    #[test]
    fn serializes_type_field_and_nulls() {
        let t = table("k\n7\n");
        let json = serde_json::to_value(&profile(&t)[0]).expect("serializes");
        assert_eq!(json["type"], "int");
        assert_eq!(json["std"], serde_json::Value::Null);
        assert_eq!(json["histogram"]["counts"], serde_json::json!([1]));
    }

    #[test]
    fn iris_profile_matches_pandas() {
        let bytes = include_bytes!("../../static/data/iris.csv");
        let t = read_csv(bytes, "iris.csv", &LoadOptions::default()).expect("loads");
        let ps = profile(&t);
        // pandas 3.1: iris.sepal_length.mean(), .std(), .median(); numpy.histogram(.., 10)
        let sepal = &ps[0];
        assert_eq!(sepal.mean, Some(5.843333333333334));
        assert_eq!(sepal.std, Some(0.828066127977863));
        assert_eq!(sepal.median, Some(5.8));
        assert_eq!(
            sepal.histogram.as_ref().map(|h| h.counts.clone()),
            Some(vec![9, 23, 14, 27, 16, 26, 18, 6, 5, 6])
        );
        assert_eq!(ps[4].distinct, 3);
        assert_eq!(top(&ps[4]), [("setosa", 50), ("versicolor", 50), ("virginica", 50)]);
    }

    #[test]
    fn penguins_profile() {
        let bytes = include_bytes!("../../static/data/penguins.csv");
        let t = read_csv(bytes, "penguins.csv", &LoadOptions::default()).expect("loads");
        let ps = profile(&t);
        let bill = ps.iter().find(|p| p.name == "bill_length_mm").expect("bill_length_mm");
        assert_eq!((bill.rows, bill.missing), (344, 2));
        assert_eq!(bill.histogram.as_ref().map(|h| h.counts.iter().sum::<usize>()), Some(342));
        // pandas 3.1 / numpy 2.4 on the same file: bill_length_mm.min(), .max(), .mean(),
        // .std(), .median(), and numpy.histogram(bill_length_mm.dropna(), bins=10).
        assert_eq!((bill.min, bill.max), (Some(32.1), Some(59.6)));
        assert_eq!(bill.mean, Some(43.9219298245614));
        assert_eq!(bill.std, Some(5.4595837139265315));
        assert_eq!(bill.median, Some(44.45));
        assert_eq!(
            bill.histogram.as_ref().map(|h| h.counts.clone()),
            Some(vec![9, 40, 57, 48, 49, 55, 61, 16, 5, 2])
        );
        let species = ps.iter().find(|p| p.name == "species").expect("species");
        assert_eq!(species.distinct, 3);
        assert_eq!(top(species)[0], ("Adelie", 152));
    }
}
