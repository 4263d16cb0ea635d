//! How well predicted probabilities match observed frequencies (PRODUCT.md §11): the
//! reliability curve, the Brier score and the expected calibration error.
//!
//! This module owns the numbers of the `calibration` test and the points of its reliability
//! diagram. Each follows scikit-learn 1.9.1, and the tests at the bottom pin values computed
//! with it:
//!
//! - [`calibration_curve`] is `sklearn.calibration.calibration_curve(y, p, n_bins,
//!   strategy="uniform")`: edges `numpy.linspace(0, 1, n_bins + 1)` ([`unit_edges`]), so the
//!   edge written 0.3 is 0.30000000000000004; a probability goes to bin
//!   `searchsorted(edges[1:-1], p, side="left")`, so one on an inner edge falls in the lower
//!   bin and 0 in the first; only bins holding rows are returned; per-bin sums are added in
//!   row order, as `numpy.bincount` adds its weights.
//! - [`brier`] is `brier_score_loss`: for two classes on the positive class's probability, for
//!   more the mean over rows of Σₖ (pₖ − yₖ)² (not halved, as 1.9.1 gives it for three or more
//!   classes), with every class `0..n_classes` a label.
//! - [`ece`] is Σ_b (n_b / n) · |mean(y in b) − mean(p in b)| over the curve's bins, on the
//!   positive class's probability for two classes and in the top-label form for more.
//!
//! Probabilities are row-major, `proba[row * n_classes + class]`, and classes are codes
//! `0..n_classes`, as in [`metrics`](super::metrics). Bad input is an `Err` whose message
//! names the row (0-based) and the class; nothing panics.

use serde::{Deserialize, Serialize};

use crate::table::stats::{self, sum as pairwise_sum};

/// The points of a reliability diagram: for each bin that holds rows, in bin order, the
/// fraction of positives, the mean predicted probability and the number of rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationCurve {
    /// The mean of `y` (true = 1) over the bin's rows: scikit-learn's `prob_true`.
    pub prob_true: Vec<f64>,
    /// The mean predicted probability over the bin's rows: scikit-learn's `prob_pred`.
    pub prob_pred: Vec<f64>,
    /// The number of rows in the bin (never 0).
    pub counts: Vec<usize>,
}

impl CalibrationCurve {
    /// The expected calibration error of the curve: Σ_b (n_b / n) · |prob_true_b −
    /// prob_pred_b|, the terms added as `numpy.sum` adds them. 0 for a curve without bins.
    pub fn expected_error(&self) -> f64 {
        let n: usize = self.counts.iter().sum();
        let terms: Vec<f64> = self
            .counts
            .iter()
            .zip(self.prob_true.iter().zip(&self.prob_pred))
            .map(|(&count, (t, p))| count as f64 / n as f64 * (t - p).abs())
            .collect();
        pairwise_sum(&terms)
    }
}

/// `numpy.linspace(0, 1, n_parts + 1)`: `i · (1 / n_parts)` for each `i`, the last set to
/// exactly 1, which is how numpy computes it (so the fourth of eleven edges is
/// 0.30000000000000004, not 0.3). Empty for `n_parts = 0`.
pub fn unit_edges(n_parts: usize) -> Vec<f64> {
    if n_parts == 0 {
        return Vec::new();
    }
    let step = 1.0 / n_parts as f64;
    let mut edges: Vec<f64> = (0..=n_parts).map(|i| i as f64 * step).collect();
    edges[n_parts] = 1.0;
    edges
}

/// scikit-learn's `calibration_curve(y, p, n_bins=n_bins, strategy="uniform")`, with the
/// row count of every returned bin.
///
/// Errors: `y` and `p` of different lengths, no rows, `n_bins = 0`, or a probability that is
/// not a number in [0, 1] (the message names its row).
pub fn calibration_curve(y: &[bool], p: &[f64], n_bins: usize) -> Result<CalibrationCurve, String> {
    if y.len() != p.len() {
        return Err(format!("y has {} values but the probabilities have {}", y.len(), p.len()));
    }
    if y.is_empty() {
        return Err("there are no rows to bin (y is empty)".into());
    }
    if n_bins == 0 {
        return Err("n_bins must be at least 1".into());
    }
    if let Some((row, value)) = p.iter().enumerate().find(|(_, v)| !(0.0..=1.0).contains(*v)) {
        return Err(format!("row {row}: the probability is {value}; probabilities must lie in [0, 1]"));
    }
    let edges = unit_edges(n_bins);
    let inner = &edges[1..n_bins];
    let mut sums = vec![0.0; n_bins];
    let mut positives = vec![0.0; n_bins];
    let mut counts = vec![0usize; n_bins];
    for (&truth, &prob) in y.iter().zip(p) {
        // searchsorted(side="left"): the number of inner edges strictly below the value.
        let bin = inner.partition_point(|&edge| edge < prob);
        sums[bin] += prob;
        positives[bin] += f64::from(u8::from(truth));
        counts[bin] += 1;
    }
    let mut curve = CalibrationCurve { prob_true: Vec::new(), prob_pred: Vec::new(), counts: Vec::new() };
    for bin in (0..n_bins).filter(|&b| counts[b] > 0) {
        let count = counts[bin] as f64;
        curve.prob_true.push(positives[bin] / count);
        curve.prob_pred.push(sums[bin] / count);
        curve.counts.push(counts[bin]);
    }
    Ok(curve)
}

/// The Brier score (scikit-learn's `brier_score_loss`).
///
/// Two classes: `brier_score_loss(codes == positive, proba[:, positive])`, which scikit-learn
/// computes as half the two-column score of `[1 − p, p]` against `[1 − y, y]`; this does the
/// same operations. Three or more: the mean over rows of Σₖ (pₖ − yₖ)² with `y` one-hot over
/// the classes `0..n_classes` (`labels=range(n_classes)`), not halved. Rows are not
/// renormalised (scikit-learn only warns when they do not sum to 1).
pub fn brier(codes: &[usize], proba: &[f64], n_classes: usize, positive: usize) -> Result<f64, String> {
    check_proba(codes, proba, n_classes, positive)?;
    let rows = proba.chunks_exact(n_classes).zip(codes);
    if n_classes == 2 {
        let squares: Vec<f64> = rows
            .map(|(row, &code)| {
                let (y, p) = (f64::from(u8::from(code == positive)), row[positive]);
                let (negative, positive) = ((1.0 - y) - (1.0 - p), y - p);
                negative * negative + positive * positive
            })
            .collect();
        return Ok(mean(&squares)? * 0.5);
    }
    let squares: Vec<f64> = rows
        .map(|(row, &code)| {
            let terms: Vec<f64> = row
                .iter()
                .enumerate()
                .map(|(class, &p)| {
                    let diff = f64::from(u8::from(class == code)) - p;
                    diff * diff
                })
                .collect();
            pairwise_sum(&terms)
        })
        .collect();
    mean(&squares)
}

/// The expected calibration error over `n_bins` uniform bins, with the curve it was taken
/// from (for the reliability diagram).
///
/// Two classes: `p` is the probability of `positive` and `y` whether the row's class is
/// `positive`. More: the top-label form, `p` the row's highest probability and `y` whether
/// that class is the row's class; on a tie the first class in code order is the top one, as
/// `numpy.argmax` picks.
pub fn ece(
    codes: &[usize],
    proba: &[f64],
    n_classes: usize,
    positive: usize,
    n_bins: usize,
) -> Result<(f64, CalibrationCurve), String> {
    check_proba(codes, proba, n_classes, positive)?;
    let rows = proba.chunks_exact(n_classes).zip(codes);
    let (y, p): (Vec<bool>, Vec<f64>) = if n_classes == 2 {
        rows.map(|(row, &code)| (code == positive, row[positive])).unzip()
    } else {
        rows.map(|(row, &code)| {
            let top = argmax(row);
            (top == code, row[top])
        })
        .unzip()
    };
    let curve = calibration_curve(&y, &p, n_bins)?;
    Ok((curve.expected_error(), curve))
}

/// The first position of the largest value (`numpy.argmax` on values without NaN).
fn argmax(row: &[f64]) -> usize {
    let mut best = 0;
    for (class, &p) in row.iter().enumerate() {
        if p > row[best] {
            best = class;
        }
    }
    best
}

/// Shape, codes, the positive class and every probability in [0, 1].
fn check_proba(codes: &[usize], proba: &[f64], n_classes: usize, positive: usize) -> Result<(), String> {
    if n_classes < 2 {
        return Err(format!("calibration needs at least 2 classes, but n_classes = {n_classes}"));
    }
    if positive >= n_classes {
        return Err(format!("the positive class is {positive}, but the classes are 0..={}", n_classes - 1));
    }
    if codes.is_empty() {
        return Err("there are no rows to score (y_true is empty)".into());
    }
    if codes.len().checked_mul(n_classes) != Some(proba.len()) {
        return Err(format!(
            "the probabilities should hold {} rows × {n_classes} classes, but hold {} values",
            codes.len(),
            proba.len()
        ));
    }
    if let Some((row, &code)) = codes.iter().enumerate().find(|(_, &code)| code >= n_classes) {
        return Err(format!("row {row}: class {code} is not one of the classes 0..={}", n_classes - 1));
    }
    match proba.iter().enumerate().find(|(_, p)| !(0.0..=1.0).contains(*p)) {
        Some((i, value)) => Err(format!(
            "row {}: the probability of class {} is {value}; probabilities must lie in [0, 1]",
            i / n_classes,
            i % n_classes
        )),
        None => Ok(()),
    }
}

/// numpy's mean of the per-row losses (the table's pairwise mean).
fn mean(losses: &[f64]) -> Result<f64, String> {
    stats::mean(losses).ok_or_else(|| "there are no rows to score".to_string())
}

#[cfg(test)]
mod tests {
    //! Expected values are computed with scikit-learn 1.9.1 (numpy 2.4.6), each once, with the
    //! Python call cited next to it. The ECE reference is
    //! `np.sum(counts / n * np.abs(prob_true - prob_pred))` on `calibration_curve`'s output,
    //! with `counts` the non-zero `np.bincount(np.searchsorted(edges[1:-1], p), minlength=n_bins)`.

    use super::*;

    use crate::pipeline::fixtures::assert_close;

    #[track_caller]
    fn assert_all_close(actual: &[f64], expected: &[f64]) {
        assert_eq!(actual.len(), expected.len(), "{actual:?}\nexpected {expected:?}");
        for (&a, &e) in actual.iter().zip(expected) {
            assert_close(a, e);
        }
    }

    /// Row-major `[1 - p, p]` rows, class 1 positive.
    fn binary_proba(p: &[f64]) -> Vec<f64> {
        p.iter().flat_map(|&s| [1.0 - s, s]).collect()
    }

    /// 20 rows of breast_cancer (every 29th from row 0) and a logistic regression's probability
    /// of `malignant` on them, from
    /// `X = StandardScaler().fit_transform(df[["mean_radius", "mean_texture"]])`,
    /// `y = df.diagnosis == "malignant"`,
    /// `p = LogisticRegression(C=0.05).fit(X, y).predict_proba(X)[:, 1][::29]` (scikit-learn 1.9.1).
    const CANCER_Y: [usize; 20] = [1, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0];
    const CANCER_P: [f64; 20] = [
        0.5021245434019841,
        0.6117206461115986,
        0.2341910205578898,
        0.9246566634918402,
        0.02389750619400939,
        0.08271454467497434,
        0.049766324107978856,
        0.4533175581441079,
        0.4850095398012084,
        0.8126205992405383,
        0.3885779412494483,
        0.14005081420390186,
        0.0812475374676457,
        0.5656197332491368,
        0.4306068327758446,
        0.3359519766088504,
        0.21788416694024826,
        0.08441425245596407,
        0.11947718284088547,
        0.15494996466363684,
    ];

    /// 200 rows reproduced in Python as `y = [1 if (i*i+3*i)%7<3 else 0 for i in range(200)]`,
    /// `p = [((i*37)%101)/100 for i in range(200)]`: many probabilities sit exactly on a
    /// hundredth (0.3, 0.7, …), two are 0 and two are 1.
    fn hundredths() -> (Vec<bool>, Vec<f64>) {
        let y = (0..200usize).map(|i| (i * i + 3 * i) % 7 < 3).collect();
        let p = (0..200usize).map(|i| (i * 37 % 101) as f64 / 100.0).collect();
        (y, p)
    }

    #[test]
    fn edges_are_numpys_linspace() {
        // np.linspace(0, 1, 11).tolist()
        assert_eq!(
            unit_edges(10),
            [
                0.0,
                0.1,
                0.2,
                0.30000000000000004,
                0.4,
                0.5,
                0.6000000000000001,
                0.7000000000000001,
                0.8,
                0.9,
                1.0
            ]
        );
        // np.linspace(0, 1, 4).tolist()
        assert_eq!(unit_edges(3), [0.0, 0.3333333333333333, 0.6666666666666666, 1.0]);
        assert_eq!(unit_edges(1), [0.0, 1.0]);
        assert!(unit_edges(0).is_empty());
    }

    #[test]
    fn curve_of_a_fitted_model_on_breast_cancer() {
        let y: Vec<bool> = CANCER_Y.iter().map(|&c| c == 1).collect();
        // calibration_curve(y, p, n_bins=5)
        let curve = calibration_curve(&y, &CANCER_P, 5).unwrap();
        assert_all_close(&curve.prob_true, &[0.0, 0.25, 0.4, 1.0, 1.0]);
        assert_all_close(
            &curve.prob_pred,
            &[
                0.09206476582612456,
                0.2941512763391092,
                0.4873356414744564,
                0.6117206461115986,
                0.8686386313661892,
            ],
        );
        assert_eq!(curve.counts, [8, 4, 5, 1, 2]);
        assert_close(curve.expected_error(), 0.10004017652468691);
        // calibration_curve(y, p, n_bins=10): bins 0.7–0.8 and 0.9–1 hold no row
        let curve = calibration_curve(&y, &CANCER_P, 10).unwrap();
        assert_all_close(&curve.prob_true, &[0.0, 0.0, 0.0, 0.5, 0.3333333333333333, 0.5, 1.0, 1.0, 1.0]);
        assert_all_close(
            &curve.prob_pred,
            &[
                0.06440803298011447,
                0.13815932056947475,
                0.226037593749069,
                0.36226495892914934,
                0.456311310240387,
                0.5338721383255605,
                0.6117206461115986,
                0.8126205992405383,
                0.9246566634918402,
            ],
        );
        assert_eq!(curve.counts, [5, 3, 2, 2, 3, 2, 1, 1, 1]);
    }

    #[test]
    fn brier_and_ece_of_a_fitted_model_on_breast_cancer() {
        let proba = binary_proba(&CANCER_P);
        // brier_score_loss(y, p) = 0.11273294088233687
        assert_close(brier(&CANCER_Y, &proba, 2, 1).unwrap(), 0.11273294088233687);
        let (value, curve) = ece(&CANCER_Y, &proba, 2, 1, 10).unwrap();
        assert_close(value, 0.12758718473885702);
        assert_eq!(curve.counts, [5, 3, 2, 2, 3, 2, 1, 1, 1]);
        // The positive class may be code 0: the same rows with the columns swapped.
        let swapped: Vec<f64> = CANCER_P.iter().flat_map(|&s| [s, 1.0 - s]).collect();
        let codes: Vec<usize> = CANCER_Y.iter().map(|&c| 1 - c).collect();
        assert_close(brier(&codes, &swapped, 2, 0).unwrap(), 0.11273294088233687);
        assert_close(ece(&codes, &swapped, 2, 0, 10).unwrap().0, 0.12758718473885702);
    }

    #[test]
    fn probabilities_on_hundredths_fall_as_sklearn_bins_them() {
        let (y, p) = hundredths();
        // calibration_curve(y, p, n_bins=10)
        let curve = calibration_curve(&y, &p, 10).unwrap();
        assert_all_close(
            &curve.prob_true,
            &[
                0.2727272727272727,
                0.35,
                0.3157894736842105,
                0.2,
                0.3,
                0.35,
                0.2631578947368421,
                0.25,
                0.3,
                0.25,
            ],
        );
        assert_all_close(
            &curve.prob_pred,
            &[
                0.05,
                0.155,
                0.2542105263157895,
                0.355,
                0.45499999999999996,
                0.555,
                0.6557894736842105,
                0.7550000000000001,
                0.8549999999999999,
                0.9550000000000001,
            ],
        );
        assert_eq!(curve.counts, [22, 20, 19, 20, 20, 20, 19, 20, 20, 20]);
        assert_close(curve.expected_error(), 0.31515000000000004);
        // n_bins=3 and n_bins=7
        let curve = calibration_curve(&y, &p, 3).unwrap();
        assert_all_close(&curve.prob_true, &[0.29850746268656714, 0.27692307692307694, 0.27941176470588236]);
        assert_all_close(&curve.prob_pred, &[0.16343283582089554, 0.4978461538461538, 0.835]);
        assert_eq!(curve.counts, [67, 65, 68]);
        assert_close(curve.expected_error(), 0.30595);
        let curve = calibration_curve(&y, &p, 7).unwrap();
        assert_eq!(curve.counts, [30, 27, 28, 30, 27, 28, 30]);
        assert_all_close(
            &curve.prob_pred,
            &[
                0.07,
                0.212962962962963,
                0.35500000000000004,
                0.5,
                0.6451851851851852,
                0.785,
                0.9299999999999999,
            ],
        );
        assert_close(curve.expected_error(), 0.30695);
        // brier_score_loss(y, p) = 0.34333749999999996
        let codes: Vec<usize> = y.iter().map(|&t| usize::from(t)).collect();
        assert_close(brier(&codes, &binary_proba(&p), 2, 1).unwrap(), 0.34333749999999996);
    }

    #[test]
    fn a_value_on_an_inner_edge_goes_to_the_lower_bin() {
        // np.searchsorted(np.linspace(0, 1, 11)[1:-1], p) = [0, 9, 2, 2, 0, 1, 6, 6, 4]: 0.3 is
        // below the edge 0.30000000000000004 and the edge itself is in bin 2 too; 0.1 and 0.2
        // are edges exactly and stay in the bin below; 0 is in the first bin, 1 in the last.
        let p = [0.0, 1.0, 0.3, 0.30000000000000004, 0.1, 0.2, 0.7, 0.7000000000000001, 0.5];
        let y = [false, true, true, false, true, false, false, true, true];
        let curve = calibration_curve(&y, &p, 10).unwrap();
        // calibration_curve(y, p, n_bins=10)
        assert_eq!(curve.counts, [2, 1, 2, 1, 2, 1]);
        assert_all_close(&curve.prob_true, &[0.5, 0.0, 0.5, 1.0, 0.5, 1.0]);
        assert_all_close(&curve.prob_pred, &[0.05, 0.2, 0.30000000000000004, 0.5, 0.7, 1.0]);
        assert_close(curve.expected_error(), 0.26666666666666666);
        // brier_score_loss(y, p) = 0.25111111111111106
        let codes: Vec<usize> = y.iter().map(|&t| usize::from(t)).collect();
        assert_close(brier(&codes, &binary_proba(&p), 2, 1).unwrap(), 0.25111111111111106);
    }

    #[test]
    fn multiclass_brier_is_the_unhalved_sum_over_classes() {
        let (y, proba) = crate::pipeline::fixtures::three_classes();
        // brier_score_loss(y, P, labels=[0, 1, 2]) = 0.4993177299526448
        assert_close(brier(&y, &proba, 3, 2).unwrap(), 0.4993177299526448);
        // brier_score_loss([2], [[.2, .3, .5]], labels=[0, 1, 2]) = 0.38 (0.04 + 0.09 + 0.25)
        assert_close(brier(&[2], &[0.2, 0.3, 0.5], 3, 2).unwrap(), 0.38);
    }

    #[test]
    fn multiclass_brier_counts_a_class_absent_from_the_rows() {
        // brier_score_loss([0, 1, 0], P, labels=[0, 1, 2, 3]) with
        // P = [[.7, .1, .1, .1], [.2, .5, .2, .1], [.25, .25, .25, .25]] = 0.4033333333333334
        let proba = [0.7, 0.1, 0.1, 0.1, 0.2, 0.5, 0.2, 0.1, 0.25, 0.25, 0.25, 0.25];
        assert_close(brier(&[0, 1, 0], &proba, 4, 3).unwrap(), 0.4033333333333334);
    }

    #[test]
    fn multiclass_ece_is_top_label() {
        let (y, proba) = crate::pipeline::fixtures::three_classes();
        // top = P.max(1); yt = P.argmax(1) == y; calibration_curve(yt, top, n_bins=10)
        let (value, curve) = ece(&y, &proba, 3, 2, 10).unwrap();
        assert_close(value, 0.18636178677015794);
        assert_eq!(curve.counts, [132, 20, 40, 8]);
        assert_all_close(&curve.prob_true, &[0.36363636363636365, 1.0, 1.0, 1.0]);
        assert_all_close(
            &curve.prob_pred,
            &[0.45630427614204944, 0.5747338134838135, 0.6427180142658102, 0.719551282051282],
        );
        // n_bins=5
        let (value, curve) = ece(&y, &proba, 3, 2, 5).unwrap();
        assert_close(value, 0.10130854946692075);
        assert_eq!(curve.counts, [152, 48]);
    }

    #[test]
    fn a_tie_for_the_top_class_goes_to_the_first_class() {
        // Rows (0.4, 0.4, 0.2) of class 1: argmax picks class 0, so the row counts as wrong
        // at p = 0.4; the same scores of class 0 count as right.
        let proba = [0.4, 0.4, 0.2, 0.4, 0.4, 0.2, 0.1, 0.1, 0.8];
        let (value, curve) = ece(&[1, 0, 2], &proba, 3, 0, 10).unwrap();
        assert_eq!(curve.counts, [2, 1]);
        assert_all_close(&curve.prob_true, &[0.5, 1.0]);
        assert_all_close(&curve.prob_pred, &[0.4, 0.8]);
        // P.max(1), P.argmax(1) == y through calibration_curve(n_bins=10): 0.1333333333333333
        assert_close(value, 0.1333333333333333);
    }

    #[test]
    fn one_bin_holds_every_row() {
        // calibration_curve([1, 0, 0], [1, 0, 0.5], n_bins=1) = ([1/3], [0.5])
        let curve = calibration_curve(&[true, false, false], &[1.0, 0.0, 0.5], 1).unwrap();
        assert_eq!(curve.counts, [3]);
        assert_all_close(&curve.prob_true, &[1.0 / 3.0]);
        assert_all_close(&curve.prob_pred, &[0.5]);
    }

    #[test]
    fn bad_input_is_an_error_that_says_where() {
        assert_eq!(
            calibration_curve(&[true, false], &[0.5, 1.5], 10).unwrap_err(),
            "row 1: the probability is 1.5; probabilities must lie in [0, 1]"
        );
        assert!(calibration_curve(&[true], &[f64::NAN], 10).unwrap_err().starts_with("row 0:"));
        assert!(calibration_curve(&[true], &[-0.1], 10).is_err());
        assert_eq!(
            calibration_curve(&[true], &[0.5, 0.5], 10).unwrap_err(),
            "y has 1 values but the probabilities have 2"
        );
        assert!(calibration_curve(&[], &[], 10).is_err());
        assert_eq!(calibration_curve(&[true], &[0.5], 0).unwrap_err(), "n_bins must be at least 1");

        assert_eq!(
            brier(&[0, 1], &[0.5, 0.5, 0.2, 1.2], 2, 1).unwrap_err(),
            "row 1: the probability of class 1 is 1.2; probabilities must lie in [0, 1]"
        );
        assert_eq!(
            brier(&[0, 3], &[0.5, 0.5, 0.2, 0.8], 2, 1).unwrap_err(),
            "row 1: class 3 is not one of the classes 0..=1"
        );
        assert!(brier(&[0, 1], &[0.5, 0.5, 0.2], 2, 1).unwrap_err().contains("2 rows × 2 classes"));
        assert!(brier(&[], &[], 2, 1).is_err());
        assert!(brier(&[0], &[1.0], 1, 0).is_err());
        assert!(brier(&[0], &[0.5, 0.5], 2, 2).unwrap_err().contains("positive class is 2"));
        assert!(ece(&[0], &[0.5, 0.5], 2, 1, 0).is_err());
        assert!(ece(&[0], &[f64::INFINITY, 0.5], 2, 1, 10).is_err());
    }
}
