//! Seeded train/test splits and k folds.
//!
//! The shuffle uses its own small generator ([`SplitMix64`]) rather than `rand`, so a seed
//! gives the same rows natively and in the browser, today and after any dependency update:
//! a share link must reproduce its run exactly.

use serde::{Deserialize, Serialize};

use crate::vocab::{Param, ParamError, ParamType};

/// The suite's `split`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitSpec {
    /// The share of rows held out for testing, strictly between 0 and 1.
    #[serde(default = "default_test_size")]
    pub test_size: f64,
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Keep each class's share the same in both parts (classification only).
    #[serde(default)]
    pub stratify: bool,
}

fn default_test_size() -> f64 {
    0.2
}

fn default_seed() -> u64 {
    42
}

impl SplitSpec {
    /// The fields as the suite editor's pipeline form shows them (its tests check the list
    /// against the fields serde reads).
    pub const PARAMS: &'static [Param] = &[
        Param::optional("test_size", ParamType::Ratio, "0.2", "share of rows held out for testing"),
        Param::optional("seed", ParamType::Integer, "42", "seed of the shuffle"),
        Param::optional("stratify", ParamType::Bool, "false", "keep each class's share in both parts"),
    ];
}

impl Default for SplitSpec {
    fn default() -> SplitSpec {
        SplitSpec { test_size: default_test_size(), seed: default_seed(), stratify: false }
    }
}

impl SplitSpec {
    pub fn validate(&self) -> Result<(), ParamError> {
        if !(self.test_size > 0.0 && self.test_size < 1.0) {
            return Err(ParamError::new(
                "test_size",
                format!(
                    "{} leaves no rows to train or to test on; use a share between 0 and 1, such as 0.2",
                    self.test_size
                ),
            ));
        }
        Ok(())
    }

    /// How many of `n` rows are held out: `ceil(test_size × n)`, as scikit-learn's
    /// `train_test_split` counts.
    pub fn test_count(&self, n: usize) -> usize {
        ((self.test_size * n as f64) - 1e-9).ceil().max(0.0) as usize
    }
}

/// Row positions (indexes into the prepared rows) of each part, each sorted ascending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

/// SplitMix64: a tiny, well-mixed, seedable generator (Steele, Lea & Flood 2014).
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform index below `n` (Lemire's multiply-shift; its bias is below n / 2^64).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// A standard normal draw (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
        let u2 = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// Splits `n` rows. With `classes` (one class per row) and `stratify`, each class gives its
/// share of test rows, the counts rounded so they add up to the test size.
pub fn split(n: usize, spec: &SplitSpec, classes: Option<(&[usize], usize)>) -> Split {
    let n_test = spec.test_count(n).min(n);
    let mut rng = SplitMix64::new(spec.seed);
    let mut test = match classes.filter(|_| spec.stratify) {
        Some((classes, n_classes)) => stratified_test_rows(classes, n_classes, n_test, &mut rng),
        None => {
            let mut order: Vec<usize> = (0..n).collect();
            rng.shuffle(&mut order);
            order.truncate(n_test);
            // The test part is a fifth of the rows: its list need not keep room for all of
            // them (8 MB of a million rows, held as long as the trained model).
            order.shrink_to_fit();
            order
        }
    };
    test.sort_unstable();
    let mut in_test = vec![false; n];
    for &row in &test {
        in_test[row] = true;
    }
    let mut train = Vec::with_capacity(n - test.len());
    train.extend((0..n).filter(|&row| !in_test[row]));
    Split { train, test }
}

fn stratified_test_rows(
    classes: &[usize],
    n_classes: usize,
    n_test: usize,
    rng: &mut SplitMix64,
) -> Vec<usize> {
    let n = classes.len();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n_classes];
    for (row, &class) in classes.iter().enumerate() {
        members[class].push(row);
    }
    // Largest-remainder rounding: floor each class's exact share, then hand the remaining
    // test rows to the classes with the largest fractions (ties to the larger class).
    let exact: Vec<f64> = members.iter().map(|m| m.len() as f64 * n_test as f64 / n as f64).collect();
    let mut counts: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut order: Vec<usize> = (0..n_classes).collect();
    order.sort_by(|&a, &b| {
        let (fa, fb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        fb.total_cmp(&fa).then(members[b].len().cmp(&members[a].len())).then(a.cmp(&b))
    });
    let mut left = n_test.saturating_sub(counts.iter().sum());
    for &class in order.iter().cycle().take(n_classes * 2) {
        if left == 0 {
            break;
        }
        if counts[class] < members[class].len() {
            counts[class] += 1;
            left -= 1;
        }
    }
    let mut test = Vec::with_capacity(n_test);
    for (class, rows) in members.iter_mut().enumerate() {
        rng.shuffle(rows);
        test.extend_from_slice(&rows[..counts[class].min(rows.len())]);
    }
    test
}

/// `k` folds of `n` rows for cross-validation: each row is in exactly one fold's test part.
/// With `classes`, rows are dealt class by class so every fold keeps the class shares
/// (as scikit-learn's `StratifiedKFold` aims to).
///
/// The folds are made one at a time as the iterator is read: all of them at once hold k × n
/// positions (30k folds of 30k rows asked for 7 GB).
pub fn k_folds(
    n: usize,
    k: usize,
    seed: u64,
    classes: Option<(&[usize], usize)>,
) -> impl ExactSizeIterator<Item = Split> {
    let mut rng = SplitMix64::new(seed);
    let mut fold_of = vec![0usize; n];
    match classes {
        Some((classes, n_classes)) => {
            // Each class's rows in file order, gathered in one pass (not one pass per class).
            let mut members: Vec<Vec<usize>> = vec![Vec::new(); n_classes];
            for (row, &class) in classes.iter().enumerate().take(n) {
                members[class].push(row);
            }
            let mut next = 0;
            for mut rows in members {
                rng.shuffle(&mut rows);
                for row in rows {
                    fold_of[row] = next % k;
                    next += 1;
                }
            }
        }
        None => {
            let mut order: Vec<usize> = (0..n).collect();
            rng.shuffle(&mut order);
            for (i, row) in order.into_iter().enumerate() {
                fold_of[row] = i % k;
            }
        }
    }
    (0..k).map(move |fold| {
        let (test, train): (Vec<usize>, Vec<usize>) = (0..n).partition(|&row| fold_of[row] == fold);
        Split { train, test }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(test_size: f64, seed: u64, stratify: bool) -> SplitSpec {
        SplitSpec { test_size, seed, stratify }
    }

    #[test]
    fn test_count_rounds_up_as_scikit_learn_does() {
        // sklearn.model_selection.train_test_split(range(150), test_size=0.2) → 30 test rows;
        // range(10), test_size=0.25 → 3 test rows (ceil(2.5)).
        assert_eq!(spec(0.2, 0, false).test_count(150), 30);
        assert_eq!(spec(0.25, 0, false).test_count(10), 3);
        assert_eq!(spec(0.3, 0, false).test_count(344), 104);
    }

    #[test]
    fn split_parts_are_disjoint_and_cover_every_row() {
        let s = split(150, &spec(0.2, 42, false), None);
        assert_eq!((s.train.len(), s.test.len()), (120, 30));
        let mut all: Vec<usize> = s.train.iter().chain(&s.test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..150).collect::<Vec<_>>());
    }

    #[test]
    fn same_seed_same_split_other_seed_other_split() {
        let a = split(100, &spec(0.3, 7, false), None);
        assert_eq!(a, split(100, &spec(0.3, 7, false), None));
        assert_ne!(a, split(100, &spec(0.3, 8, false), None));
    }

    #[test]
    fn stratified_split_keeps_class_shares() {
        // 60 of class 0, 30 of class 1, 10 of class 2; 20% → 12, 6, 2 test rows.
        let classes: Vec<usize> = (0..100)
            .map(|i| {
                if i < 60 {
                    0
                } else if i < 90 {
                    1
                } else {
                    2
                }
            })
            .collect();
        let s = split(100, &spec(0.2, 1, true), Some((&classes, 3)));
        let count = |c: usize| s.test.iter().filter(|&&r| classes[r] == c).count();
        assert_eq!((count(0), count(1), count(2)), (12, 6, 2));
    }

    #[test]
    fn stratified_counts_add_up_when_shares_are_fractional() {
        // 50/50/50 with 0.25 → 37.5 test rows, ceil → 38; shares 12.67 each → 13, 13, 12.
        let classes: Vec<usize> = (0..150).map(|i| i / 50).collect();
        let s = split(150, &spec(0.25, 3, true), Some((&classes, 3)));
        assert_eq!(s.test.len(), 38);
        let mut counts: Vec<usize> =
            (0..3).map(|c| s.test.iter().filter(|&&r| classes[r] == c).count()).collect();
        counts.sort_unstable();
        assert_eq!(counts, [12, 13, 13]);
    }

    #[test]
    fn bad_test_sizes_are_refused_with_the_value() {
        for bad in [0.0, 1.0, -0.1, 1.5, f64::NAN] {
            let err = spec(bad, 0, false).validate().unwrap_err();
            assert_eq!(err.field, "test_size");
        }
        assert!(spec(0.5, 0, false).validate().is_ok());
    }

    #[test]
    fn k_folds_put_each_row_in_exactly_one_test_fold() {
        let folds: Vec<Split> = k_folds(23, 5, 9, None).collect();
        assert_eq!(folds.len(), 5);
        let mut seen = [0; 23];
        for fold in &folds {
            for &row in &fold.test {
                seen[row] += 1;
            }
            assert_eq!(fold.train.len() + fold.test.len(), 23);
        }
        assert!(seen.iter().all(|&n| n == 1));
        let sizes: Vec<usize> = folds.iter().map(|f| f.test.len()).collect();
        assert!(sizes.iter().all(|&s| s == 4 || s == 5), "{sizes:?}");
    }

    #[test]
    fn stratified_folds_spread_each_class() {
        let classes: Vec<usize> = (0..30).map(|i| i / 10).collect();
        for fold in k_folds(30, 5, 2, Some((&classes, 3))) {
            for c in 0..3 {
                assert_eq!(fold.test.iter().filter(|&&r| classes[r] == c).count(), 2);
            }
        }
    }

    #[test]
    fn normal_draws_have_mean_zero_and_unit_variance() {
        let mut rng = SplitMix64::new(5);
        let draws: Vec<f64> = (0..20_000).map(|_| rng.normal()).collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / draws.len() as f64;
        assert!(mean.abs() < 0.03 && (var - 1.0).abs() < 0.05, "{mean} {var}");
    }
}
