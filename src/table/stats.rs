//! Summary statistics on plain `&[f64]`, shared by column profiles and by the tests that
//! check a column's statistic (`column_stat_between`) or a scaler's output.
//!
//! Each function follows a named reference convention so that a number shown by mltest is
//! the number a person gets from pandas or numpy on the same data:
//!
//! - sums are numpy's pairwise summation (what `np.sum` and pandas' `Series.sum` do on a
//!   contiguous float64 array), which is also far more accurate than a running sum over a
//!   million rows;
//! - `std` is the *sample* standard deviation (ddof = 1), pandas' default, computed in two
//!   passes as `pandas.core.nanops.nanvar` does;
//! - `quantile` is numpy's default method (`"linear"`, type 7 of Hyndman & Fan), including
//!   numpy's way of interpolating; [`quantile_by`] takes numpy's other discrete methods
//!   (`lower`, `higher`, `midpoint`, `nearest`: Great Expectations' quantiles on pandas use
//!   `nearest`).
//!
//! The functions expect values without NaN: callers pass the non-missing values of a column
//! (the loader turns NaN cells into missing ones). Empty input gives `None`, never a panic.

use serde::{Deserialize, Serialize};

/// Sum with numpy's pairwise algorithm (`pairwise_sum_DOUBLE` in numpy's
/// `loops_utils.h.src`): blocks of up to 128 values summed with eight accumulators, larger
/// inputs split in two at a multiple of 8. The empty sum is 0.
pub fn sum(values: &[f64]) -> f64 {
    sum_of(values, |x| x)
}

/// The pairwise [`sum`] of `term(x)` for each value, in the same order and with the same
/// roundings as `sum` over the terms collected first, without the list of terms (a column's
/// squared deviations were 8 MB at a million rows, twice a column's profile).
fn sum_of(values: &[f64], term: impl Fn(f64) -> f64 + Copy) -> f64 {
    const BLOCK: usize = 128;
    let n = values.len();
    if n < 8 {
        let mut res = 0.0;
        for &v in values {
            res += term(v);
        }
        res
    } else if n <= BLOCK {
        let mut r = [0.0f64; 8];
        for (acc, &v) in r.iter_mut().zip(&values[..8]) {
            *acc = term(v);
        }
        let whole = n - n % 8;
        let mut i = 8;
        while i < whole {
            for (j, acc) in r.iter_mut().enumerate() {
                *acc += term(values[i + j]);
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &v in &values[whole..] {
            res += term(v);
        }
        res
    } else {
        let mut half = n / 2;
        half -= half % 8;
        sum_of(&values[..half], term) + sum_of(&values[half..], term)
    }
}

/// Arithmetic mean (`np.mean`, pandas `Series.mean`): the pairwise [`sum`] divided by the
/// count. `None` for no values.
pub fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    Some(sum(values) / values.len() as f64)
}

/// The mean and the *population* standard deviation (ddof = 0, numpy's `np.std` default and
/// scikit-learn's `StandardScaler`): the pairwise mean first, then the pairwise sum of squared
/// deviations over n. `None` for no values.
pub fn mean_and_population_std(values: &[f64]) -> Option<(f64, f64)> {
    let avg = mean(values)?;
    Some((avg, (sum_of(values, |x| (x - avg) * (x - avg)) / values.len() as f64).sqrt()))
}

/// Sample variance with ddof = 1 (pandas `Series.var`): the mean first, then the pairwise
/// sum of `(mean - x)²` divided by `n - 1`. `None` for fewer than 2 values, where pandas
/// gives NaN.
pub fn variance(values: &[f64]) -> Option<f64> {
    variance_about(values, mean(values)?)
}

/// [`variance`] when the values' [`mean`] is already known (a column profile has it), which
/// saves a pass over the values; `mean` must be `mean(values)`.
pub fn variance_about(values: &[f64], avg: f64) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    Some(sum_of(values, |x| (avg - x) * (avg - x)) / (values.len() - 1) as f64)
}

/// Sample standard deviation with ddof = 1 (pandas `Series.std`; numpy's `np.std` uses
/// ddof = 0 unless told otherwise). `None` for fewer than 2 values.
pub fn std(values: &[f64]) -> Option<f64> {
    variance(values).map(f64::sqrt)
}

/// Smallest value; `None` for no values.
pub fn min(values: &[f64]) -> Option<f64> {
    let first = *values.first()?;
    let least = values.iter().fold(first, |m, &x| if x < m { x } else { m });
    Some(settle(least, || values.iter().copied().reduce(f64::min)))
}

/// Largest value; `None` for no values.
pub fn max(values: &[f64]) -> Option<f64> {
    let first = *values.first()?;
    let most = values.iter().fold(first, |m, &x| if x > m { x } else { m });
    Some(settle(most, || values.iter().copied().reduce(f64::max)))
}

/// [`min`] and [`max`] scan with a comparison, which is a single instruction where
/// `f64::min` also handles NaN (natively a compare-and-blend on every value, in wasm a call
/// to libm's `fmin`). The scan finds the same value, and a value other than zero or NaN has
/// only one bit pattern; for those two, which of `0.0`/`-0.0` or which NaN the result is
/// depends on the order of the reduction, so `f64::min`'s own reduction decides, exactly as
/// before this fast path.
fn settle(found: f64, reduce: impl FnOnce() -> Option<f64>) -> f64 {
    if found == 0.0 || found.is_nan() {
        reduce().unwrap_or(found)
    } else {
        found
    }
}

/// A sorted copy, ascending, for [`quantile`] and [`median`]. Uses the IEEE total order, so
/// it never panics (a NaN, which callers should not pass, would sort last).
pub fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_unstable_by(f64::total_cmp);
    v
}

/// The `q`-quantile of an ascending slice with numpy's default linear interpolation
/// (`np.quantile(a, q)`, method `"linear"`): the virtual index is `(n - 1)·q`, and the value
/// is interpolated between its two neighbours as numpy's `_lerp` does (from the upper
/// neighbour when the fraction is ≥ 0.5, which keeps the result monotone and exact at the
/// ends). `None` for an empty slice or a `q` outside [0, 1] (numpy raises there).
///
/// `sorted` must be sorted ascending (see [`sorted`]); it is not checked.
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    let (lo, hi, gamma) = neighbours(sorted.len(), q)?;
    Some(lerp(sorted[lo], sorted[hi], gamma))
}

/// How [`quantile_by`] picks a value between the two neighbours of the virtual index
/// `(n - 1)·q`: numpy's `method` of the same name (`np.quantile(a, q, method=…)`, pandas'
/// `interpolation=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Interpolation {
    /// Between the neighbours in proportion ([`quantile`]).
    #[default]
    Linear,
    /// The lower neighbour.
    Lower,
    /// The upper neighbour (the lower when the index is whole).
    Higher,
    /// Halfway between the neighbours (the value itself when the index is whole).
    Midpoint,
    /// The neighbour nearer the index, the even position on a tie (numpy's `np.around`).
    Nearest,
}

/// The `q`-quantile of an ascending slice by `method`, bit for bit as numpy computes it.
/// `None` for an empty slice or a `q` outside [0, 1].
pub fn quantile_by(sorted: &[f64], q: f64, method: Interpolation) -> Option<f64> {
    quantile_with(sorted.len(), q, method, |i| sorted[i])
}

/// The positions of the ascending values [`quantile_with`] reads for `n` values: the two
/// neighbours of the virtual index and the nearest one. An engine that sorts elsewhere (a
/// query) fetches only these.
pub fn quantile_positions(n: usize, q: f64) -> Option<[usize; 3]> {
    let (lo, hi, _) = neighbours(n, q)?;
    Some([lo, hi, nearest(n, q)])
}

/// [`quantile_by`] of `n` ascending values, `at(i)` the `i`-th (only the positions
/// [`quantile_positions`] names are read).
pub fn quantile_with(n: usize, q: f64, method: Interpolation, at: impl Fn(usize) -> f64) -> Option<f64> {
    let (lo, hi, gamma) = neighbours(n, q)?;
    let (a, b) = (at(lo), at(hi));
    Some(match method {
        Interpolation::Linear => lerp(a, b, gamma),
        Interpolation::Lower => a,
        Interpolation::Higher if gamma > 0.0 => b,
        Interpolation::Higher => a,
        Interpolation::Nearest => at(nearest(n, q)),
        Interpolation::Midpoint => lerp(a, b, if gamma > 0.0 { 0.5 } else { 0.0 }),
    })
}

/// numpy's `nearest`: it rounds the virtual index itself (to even on a tie), which
/// [`neighbours`] computes the same way.
fn nearest(n: usize, q: f64) -> usize {
    let index = ((n - 1) as f64 * q).round_ties_even() as usize;
    index.min(n - 1)
}

/// The median of an ascending slice: [`quantile`] at 0.5, i.e. the middle value, or the
/// midpoint of the two middle values for an even count (`np.median`). `None` when empty.
pub fn median(sorted: &[f64]) -> Option<f64> {
    quantile(sorted, 0.5)
}

/// [`quantile`] of values in any order, found by selection rather than a sort: O(n) where
/// sorting is O(n log n), which is most of a column profile's time on a large column. The
/// two neighbours are the same elements a sort by the IEEE total order would put at the
/// virtual index, so the result is bit for bit `quantile(&sorted(values), q)`. Reorders
/// `values`.
pub fn quantile_unsorted(values: &mut [f64], q: f64) -> Option<f64> {
    let (lo, hi, gamma) = neighbours(values.len(), q)?;
    let (_, &mut a, above) = values.select_nth_unstable_by(lo, f64::total_cmp);
    // Everything after the lower neighbour is ≥ it, so the upper one is the least of them.
    let b = if hi == lo { a } else { above.iter().copied().min_by(f64::total_cmp).unwrap_or(a) };
    Some(lerp(a, b, gamma))
}

/// [`median`] of values in any order (see [`quantile_unsorted`]); reorders `values`.
pub fn median_unsorted(values: &mut [f64]) -> Option<f64> {
    quantile_unsorted(values, 0.5)
}

/// The ascending positions of the two neighbours of the `q`-quantile among `n` values and
/// the fraction between them; `None` for no values or a `q` outside [0, 1].
fn neighbours(n: usize, q: f64) -> Option<(usize, usize, f64)> {
    if n == 0 || !(0.0..=1.0).contains(&q) {
        return None;
    }
    let last = n - 1;
    let virtual_index = last as f64 * q;
    let below = virtual_index.floor();
    // `below` is in [0, last] because q is in [0, 1]; the casts saturate, and `min` keeps an
    // index of exactly `last` (q = 1) from looking one past the end.
    let lo = (below as usize).min(last);
    Some((lo, (lo + 1).min(last), virtual_index - below))
}

/// numpy's `_lerp`: from the upper neighbour when `gamma` ≥ 0.5.
fn lerp(a: f64, b: f64, gamma: f64) -> f64 {
    let diff = b - a;
    if gamma >= 0.5 {
        b - diff * (1.0 - gamma)
    } else {
        a + diff * gamma
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE_TO_FOUR: [f64; 4] = [1.0, 2.0, 3.0, 4.0];

    #[test]
    fn a_sum_of_terms_is_the_sum_of_the_terms_collected_bit_for_bit() {
        // Sizes around every branch of the pairwise sum: under 8, one block, several.
        let mut x = 0.123_f64;
        for n in [0, 1, 7, 8, 9, 127, 128, 129, 1000, 4099] {
            let values: Vec<f64> = (0..n)
                .map(|_| {
                    x = (x * 9_301.0 + 49_297.0) % 233_280.0;
                    x / 1_000.0 - 100.0
                })
                .collect();
            let avg = mean(&values).unwrap_or(0.0);
            let squares: Vec<f64> = values.iter().map(|&v| (avg - v) * (avg - v)).collect();
            assert_eq!(sum_of(&values, |v| (avg - v) * (avg - v)).to_bits(), sum(&squares).to_bits(), "{n}");
        }
    }

    #[test]
    fn empty_input_gives_none_not_a_panic() {
        assert_eq!(mean(&[]), None);
        assert_eq!(std(&[]), None);
        assert_eq!(min(&[]), None);
        assert_eq!(max(&[]), None);
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(median(&[]), None);
        assert_eq!(sum(&[]), 0.0);
    }

    #[test]
    fn std_is_sample_std_like_pandas() {
        // pandas.Series([1, 2, 3, 4]).std() == 1.2909944487358056
        assert_eq!(std(&ONE_TO_FOUR), Some(1.2909944487358056));
        assert_eq!(variance(&ONE_TO_FOUR), Some(5.0 / 3.0));
        assert_eq!(std(&[7.0]), None, "one value has no sample std");
        assert_eq!(std(&[3.0, 3.0, 3.0]), Some(0.0));
    }

    #[test]
    fn mean_min_max_of_a_small_slice() {
        assert_eq!(mean(&ONE_TO_FOUR), Some(2.5));
        assert_eq!(min(&[3.0, -1.5, 2.0]), Some(-1.5));
        assert_eq!(max(&[3.0, -1.5, 2.0]), Some(3.0));
    }

    #[test]
    fn quantile_matches_numpy_linear() {
        // np.quantile([1, 2, 3, 4], q) for q = 0.9, 0.5, 0.25, 0, 1, 1/3
        assert_eq!(quantile(&ONE_TO_FOUR, 0.9), Some(3.7));
        assert_eq!(quantile(&ONE_TO_FOUR, 0.5), Some(2.5));
        assert_eq!(quantile(&ONE_TO_FOUR, 0.25), Some(1.75));
        assert_eq!(quantile(&ONE_TO_FOUR, 0.0), Some(1.0));
        assert_eq!(quantile(&ONE_TO_FOUR, 1.0), Some(4.0));
        assert_eq!(quantile(&ONE_TO_FOUR, 1.0 / 3.0), Some(2.0));
        assert_eq!(quantile(&[5.0], 0.3), Some(5.0));
    }

    #[test]
    fn quantile_by_matches_numpys_other_methods() {
        // numpy 2.4.6: np.quantile([1, 2, 3, 4], q, method=m) for q = 0.9, 0.5, 0.25, 0, 1,
        // 1/3, 1/6.
        let qs = [0.9, 0.5, 0.25, 0.0, 1.0, 1.0 / 3.0, 1.0 / 6.0];
        for (method, expected) in [
            (Interpolation::Lower, [3.0, 2.0, 1.0, 1.0, 4.0, 2.0, 1.0]),
            (Interpolation::Higher, [4.0, 3.0, 2.0, 1.0, 4.0, 2.0, 2.0]),
            (Interpolation::Midpoint, [3.5, 2.5, 1.5, 1.0, 4.0, 2.0, 1.5]),
            (Interpolation::Nearest, [4.0, 3.0, 2.0, 1.0, 4.0, 2.0, 1.0]),
        ] {
            let found: Vec<f64> = qs.iter().map(|&q| quantile_by(&ONE_TO_FOUR, q, method).unwrap()).collect();
            assert_eq!(found, expected, "{method:?}");
        }
        // Ties of `nearest` go to the even position: np.quantile([1, 2, 3, 4, 5], q,
        // method="nearest") for q = 0.125, 0.375, 0.625, 0.875 (virtual index 0.5 … 3.5).
        let five = [1.0, 2.0, 3.0, 4.0, 5.0];
        let found: Vec<f64> = [0.125, 0.375, 0.625, 0.875]
            .iter()
            .map(|&q| quantile_by(&five, q, Interpolation::Nearest).unwrap())
            .collect();
        assert_eq!(found, [1.0, 3.0, 3.0, 5.0]);
        assert_eq!(quantile_by(&ONE_TO_FOUR, 0.9, Interpolation::Linear), quantile(&ONE_TO_FOUR, 0.9));
        assert_eq!(quantile_by(&[], 0.5, Interpolation::Nearest), None);
    }

    #[test]
    fn quantile_outside_zero_one_is_none() {
        assert_eq!(quantile(&ONE_TO_FOUR, 1.5), None);
        assert_eq!(quantile(&ONE_TO_FOUR, -0.1), None);
        assert_eq!(quantile(&ONE_TO_FOUR, f64::NAN), None);
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&ONE_TO_FOUR), Some(2.5));
        assert_eq!(median(&[1.0, 2.0, 10.0]), Some(2.0));
        assert_eq!(median(&sorted(&[10.0, 1.0, 2.0])), Some(2.0));
    }

    #[test]
    fn pairwise_sum_is_accurate_over_many_values() {
        // numpy 2.4: np.full(10**6, 0.1).sum() == 100000.00000000003, the pairwise result
        // bit for bit; a running sum drifts to 100000.00000133288.
        let values = vec![0.1; 1_000_000];
        assert_eq!(sum(&values), 100000.00000000003);
        // Small inputs add left to right exactly as numpy's loop does.
        assert_eq!(sum(&[0.1, 0.2, 0.3]), 0.1 + 0.2 + 0.3);
    }

    #[test]
    fn selected_quantiles_equal_the_sorted_ones_bit_for_bit() {
        // Every numeric column of every bundled data set (ties, missing values, odd and even
        // counts), then the edge cases.
        let mut cases: Vec<Vec<f64>> = Vec::new();
        for sample in crate::samples::SAMPLES {
            let table = crate::table::read_csv(sample.csv, sample.file, &Default::default()).expect("loads");
            for column in table.columns() {
                if let Some(pairs) = column.numbers() {
                    cases.push(pairs.into_iter().map(|(_, x)| x).collect());
                }
            }
        }
        assert!(cases.len() > 50, "the samples' numeric columns");
        cases.extend([
            vec![7.0],
            vec![2.0, 1.0],
            vec![3.0, -1.0, 2.0, 10.0],
            vec![0.0, -0.0, 0.0, -0.0],
            vec![-0.0, 0.0],
            vec![5.0; 6],
            vec![f64::MAX, -f64::MAX, 1e-300, 0.1, 0.2, 0.3, 0.7],
        ]);
        for values in cases {
            let sorted = sorted(&values);
            for q in [0.0, 0.1, 0.25, 1.0 / 3.0, 0.5, 0.75, 0.9, 1.0] {
                let expected = quantile(&sorted, q).map(f64::to_bits);
                let mut scratch = values.clone();
                assert_eq!(
                    quantile_unsorted(&mut scratch, q).map(f64::to_bits),
                    expected,
                    "{values:?} at {q}"
                );
            }
            let mut scratch = values.clone();
            assert_eq!(median_unsorted(&mut scratch).map(f64::to_bits), median(&sorted).map(f64::to_bits));
        }
        assert_eq!(median_unsorted(&mut []), None);
        assert_eq!(quantile_unsorted(&mut [1.0, 2.0], 1.5), None);
        // np.median([4, 1, 3, 2]) and np.median([3, 1, 2])
        assert_eq!(median_unsorted(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median_unsorted(&mut [3.0, 1.0, 2.0]), Some(2.0));
    }

    #[test]
    fn min_and_max_are_the_reductions_of_f64_min_and_max() {
        let cases: [&[f64]; 7] = [
            &[3.0, -1.5, 2.0, -1.5],
            &[0.0, -0.0, 1.0],
            &[-0.0, 0.0, -1.0, 5.0],
            &[1.0, 0.0, -0.0],
            &[f64::NAN, 2.0, 1.0],
            &[2.0, f64::NAN, 3.0],
            &[f64::INFINITY, -f64::INFINITY, f64::MAX],
        ];
        for values in cases {
            let bits = |x: Option<f64>| x.map(f64::to_bits);
            assert_eq!(bits(min(values)), bits(values.iter().copied().reduce(f64::min)), "min {values:?}");
            assert_eq!(bits(max(values)), bits(values.iter().copied().reduce(f64::max)), "max {values:?}");
        }
    }

    #[test]
    fn sorted_orders_ascending() {
        assert_eq!(sorted(&[3.0, -1.0, 2.0]), vec![-1.0, 2.0, 3.0]);
    }
}
