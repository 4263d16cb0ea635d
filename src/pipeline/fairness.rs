//! Group fairness measures of a binary classifier (PRODUCT.md §10): how far the groups of a
//! column are from one another in the rate at which they are selected (demographic parity) or
//! in their true and false positive rates (equalized odds).
//!
//! This module owns the number of the `fairness` test and the per-group rates its report
//! lists. Each measure is fairlearn 0.15's function of the same name with its defaults
//! (`method="between_groups"`, and `agg="worst_case"` for equalized odds); the tests at the
//! bottom pin values computed with it. Labels arrive already mapped to booleans, the positive
//! label to `true` (fairlearn expects {0, 1}).
//!
//! Readings that follow fairlearn exactly:
//!
//! - a group with no positive rows has a true positive rate of 0, and one with no negative
//!   rows a false positive rate of 0 (fairlearn takes the rates from scikit-learn's
//!   `confusion_matrix(normalize="true")`, which turns 0/0 into 0);
//! - a difference is the largest group's rate minus the smallest's; a ratio is the smallest
//!   over the largest, undefined (NaN in fairlearn, an `Err` here) when the largest is 0;
//! - equalized odds takes the worse of the TPR and FPR figures as Python's `max`/`min` over
//!   `[tpr, fpr]` do. For the ratio this means an undefined TPR ratio makes the measure
//!   undefined, while an undefined FPR ratio (no group has a false positive) is passed over
//!   and the TPR ratio is the measure: `min([x, nan])` is `x` but `min([nan, x])` is `nan`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The measures of the `fairness` test, named in suite files as fairlearn names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FairnessMeasure {
    /// Largest minus smallest selection rate (`demographic_parity_difference`).
    DemographicParityDifference,
    /// Smallest over largest selection rate (`demographic_parity_ratio`).
    DemographicParityRatio,
    /// The larger of the TPR and FPR differences (`equalized_odds_difference`).
    EqualizedOddsDifference,
    /// The smaller of the TPR and FPR ratios (`equalized_odds_ratio`).
    EqualizedOddsRatio,
}

impl FairnessMeasure {
    /// Every measure, in the order PRODUCT.md lists them.
    pub const ALL: [FairnessMeasure; 4] = [
        FairnessMeasure::DemographicParityDifference,
        FairnessMeasure::DemographicParityRatio,
        FairnessMeasure::EqualizedOddsDifference,
        FairnessMeasure::EqualizedOddsRatio,
    ];

    /// The name used in suite files, e.g. `demographic_parity_ratio`.
    pub fn name(self) -> &'static str {
        match self {
            FairnessMeasure::DemographicParityDifference => "demographic_parity_difference",
            FairnessMeasure::DemographicParityRatio => "demographic_parity_ratio",
            FairnessMeasure::EqualizedOddsDifference => "equalized_odds_difference",
            FairnessMeasure::EqualizedOddsRatio => "equalized_odds_ratio",
        }
    }

    /// A ratio (1 is fair, bounded below by `min`) rather than a difference (0 is fair,
    /// bounded above by `max`).
    pub fn is_ratio(self) -> bool {
        matches!(self, FairnessMeasure::DemographicParityRatio | FairnessMeasure::EqualizedOddsRatio)
    }
}

impl fmt::Display for FairnessMeasure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One group's rows and rates (fairlearn's `selection_rate`, `true_positive_rate`,
/// `false_positive_rate` on the group's rows).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GroupRates {
    /// The group's rows. A group without rows has every rate 0 and takes no part in a measure.
    pub rows: usize,
    /// Predicted positive among the group's rows.
    pub selection_rate: f64,
    /// Predicted positive among the group's positive rows; 0 when it has none.
    pub tpr: f64,
    /// Predicted positive among the group's negative rows; 0 when it has none.
    pub fpr: f64,
}

/// The rates of groups `0..n_groups`, in group order: `group[i]` is row `i`'s group.
///
/// Errors: slices of different lengths, no rows, or a group index `>= n_groups`.
pub fn group_rates(
    y_true: &[bool],
    y_pred: &[bool],
    group: &[usize],
    n_groups: usize,
) -> Result<Vec<GroupRates>, String> {
    if y_true.len() != y_pred.len() || y_true.len() != group.len() {
        return Err(format!(
            "y_true, y_pred and the groups should have one value per row, but have {}, {} and {}",
            y_true.len(),
            y_pred.len(),
            group.len()
        ));
    }
    if y_true.is_empty() {
        return Err("there are no rows to compare groups on".into());
    }
    if let Some((row, &g)) = group.iter().enumerate().find(|(_, &g)| g >= n_groups) {
        return Err(format!("row {row} is in group {g}, but there are {n_groups} groups"));
    }
    // Per group: rows, selected, positives, true positives, false positives.
    let mut counts = vec![[0usize; 5]; n_groups];
    for ((&truth, &pred), &g) in y_true.iter().zip(y_pred).zip(group) {
        let c = &mut counts[g];
        c[0] += 1;
        c[1] += usize::from(pred);
        c[2] += usize::from(truth);
        c[3] += usize::from(truth && pred);
        c[4] += usize::from(!truth && pred);
    }
    // A rate over no rows is 0, as scikit-learn's normalised confusion matrix gives it.
    let rate = |part: usize, whole: usize| if whole == 0 { 0.0 } else { part as f64 / whole as f64 };
    Ok(counts
        .iter()
        .map(|&[rows, selected, positives, tp, fp]| GroupRates {
            rows,
            selection_rate: rate(selected, rows),
            tpr: rate(tp, positives),
            fpr: rate(fp, rows - positives),
        })
        .collect())
}

/// The fairness `measure` over the groups, with every group's rates (see [`group_rates`]).
///
/// Groups without rows are listed but do not count, as fairlearn never sees them. A measure
/// fairlearn gives as NaN is an `Err` that says why.
pub fn fairness(
    measure: FairnessMeasure,
    y_true: &[bool],
    y_pred: &[bool],
    group: &[usize],
    n_groups: usize,
) -> Result<(f64, Vec<GroupRates>), String> {
    let rates = group_rates(y_true, y_pred, group, n_groups)?;
    Ok((measure_of(measure, &rates)?, rates))
}

/// The fairness `measure` over groups whose [`group_rates`] are `rates` (see [`fairness`]).
pub fn measure_of(measure: FairnessMeasure, rates: &[GroupRates]) -> Result<f64, String> {
    let present: Vec<GroupRates> = rates.iter().copied().filter(|r| r.rows > 0).collect();
    let difference = |rate: Rate| {
        let (smallest, largest) = spread(&present, rate);
        largest - smallest
    };
    // `None` where fairlearn's min / max is 0 / 0.
    let ratio = |rate: Rate| {
        let (smallest, largest) = spread(&present, rate);
        (largest > 0.0).then(|| smallest / largest)
    };
    let selection: Rate = |r| r.selection_rate;
    let tpr: Rate = |r| r.tpr;
    let fpr: Rate = |r| r.fpr;
    let value = match measure {
        FairnessMeasure::DemographicParityDifference => difference(selection),
        FairnessMeasure::DemographicParityRatio => ratio(selection).ok_or_else(|| {
            "demographic_parity_ratio is undefined: no group has a positive prediction (every \
             selection rate is 0, and 0 / 0 is NaN in fairlearn)"
                .to_string()
        })?,
        FairnessMeasure::EqualizedOddsDifference => {
            // Python's max([tpr, fpr]): the first unless the second is larger.
            let (t, f) = (difference(tpr), difference(fpr));
            if f > t {
                f
            } else {
                t
            }
        }
        FairnessMeasure::EqualizedOddsRatio => {
            let t = ratio(tpr).ok_or_else(|| {
                "equalized_odds_ratio is undefined: no group has a true positive (every true \
                 positive rate is 0, and 0 / 0 is NaN in fairlearn)"
                    .to_string()
            })?;
            // Python's min([tpr, fpr]): a NaN FPR ratio in second place is passed over.
            match ratio(fpr) {
                Some(f) if f < t => f,
                _ => t,
            }
        }
    };
    Ok(value)
}

/// One of a group's rates.
type Rate = fn(&GroupRates) -> f64;

/// The smallest and largest `rate` over the groups (which are not empty: there is a row).
fn spread(groups: &[GroupRates], rate: Rate) -> (f64, f64) {
    let values = groups.iter().map(rate);
    (values.clone().fold(f64::INFINITY, f64::min), values.fold(f64::NEG_INFINITY, f64::max))
}

#[cfg(test)]
mod tests {
    //! Expected values are computed with fairlearn 0.15.0 (scikit-learn 1.9.1, pandas 3.1.1),
    //! each once: `f(y_true, y_pred, sensitive_features=g)` for the four measures and
    //! `MetricFrame(metrics={"sel": selection_rate, "tpr": true_positive_rate, "fpr":
    //! false_positive_rate}, ...).by_group` for the rates.

    use super::*;
    use FairnessMeasure::*;

    // Rates and their differences and ratios are at most 1: within 1e-12 absolute.
    use crate::pipeline::fixtures::assert_close;

    fn bools(values: &[u8]) -> Vec<bool> {
        values.iter().map(|&v| v == 1).collect()
    }

    /// Each measure's value, or its error.
    fn measures(y_true: &[u8], y_pred: &[u8], group: &[usize], n_groups: usize) -> Vec<Result<f64, String>> {
        let (t, p) = (bools(y_true), bools(y_pred));
        FairnessMeasure::ALL.iter().map(|&m| fairness(m, &t, &p, group, n_groups).map(|(v, _)| v)).collect()
    }

    #[track_caller]
    fn assert_measures(actual: &[Result<f64, String>], expected: [Option<f64>; 4]) {
        for ((a, e), m) in actual.iter().zip(expected).zip(FairnessMeasure::ALL) {
            match (a, e) {
                (Ok(a), Some(e)) => assert_close(*a, e),
                (Err(_), None) => {}
                _ => panic!("{m}: got {a:?}, expected {e:?}"),
            }
        }
    }

    #[test]
    fn names_are_fairleans_and_round_trip_through_serde() {
        for m in FairnessMeasure::ALL {
            let json = serde_json::to_string(&m).unwrap();
            assert_eq!(json, format!("\"{}\"", m.name()));
            assert_eq!(serde_json::from_str::<FairnessMeasure>(&json).unwrap(), m);
        }
        assert!(DemographicParityRatio.is_ratio() && EqualizedOddsRatio.is_ratio());
        assert!(!DemographicParityDifference.is_ratio() && !EqualizedOddsDifference.is_ratio());
    }

    #[test]
    fn three_groups() {
        let (t, p, g) = (
            [1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1],
            [1, 0, 0, 1, 1, 0, 1, 1, 1, 0, 0, 1],
            [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2],
        );
        // by_group: 0 {sel 0.5, tpr 0.6666666666666666, fpr 0.0}, 1 {0.75, 1.0, 0.6666666666666666},
        // 2 {0.5, 0.6666666666666666, 0.0}; measures 0.25, 0.6666666666666666, 0.6666666666666666, 0.0
        assert_measures(
            &measures(&t, &p, &g, 3),
            [Some(0.25), Some(0.6666666666666666), Some(0.6666666666666666), Some(0.0)],
        );
        let (_, rates) = fairness(DemographicParityDifference, &bools(&t), &bools(&p), &g, 3).unwrap();
        assert_eq!(rates.iter().map(|r| r.rows).collect::<Vec<_>>(), [4, 4, 4]);
        assert_close(rates[1].selection_rate, 0.75);
        assert_close(rates[1].fpr, 0.6666666666666666);
        assert_close(rates[2].tpr, 0.6666666666666666);
    }

    #[test]
    fn a_group_without_positives_has_a_true_positive_rate_of_zero() {
        let (t, p, g) =
            ([1, 0, 1, 0, 0, 0, 0, 1, 1, 0], [1, 1, 0, 0, 1, 0, 0, 1, 0, 1], [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
        // by_group 1: {sel 0.3333333333333333, tpr 0.0, fpr 0.3333333333333333};
        // measures 0.3333333333333333, 0.5, 0.6666666666666667, 0.0
        assert_measures(
            &measures(&t, &p, &g, 3),
            [Some(0.3333333333333333), Some(0.5), Some(0.6666666666666667), Some(0.0)],
        );
        let (_, rates) = fairness(EqualizedOddsRatio, &bools(&t), &bools(&p), &g, 3).unwrap();
        assert_eq!(rates[1].tpr, 0.0);
        assert_close(rates[2].fpr, 1.0);
    }

    #[test]
    fn a_group_without_negatives_has_a_false_positive_rate_of_zero() {
        let (t, p, g) = ([1, 1, 1, 0, 1, 0], [1, 0, 1, 1, 1, 0], [0, 0, 0, 1, 1, 1]);
        // by_group 0: {sel 0.6666666666666666, tpr 0.6666666666666666, fpr 0.0};
        // measures 0.0, 1.0, 0.5, 0.0
        assert_measures(&measures(&t, &p, &g, 2), [Some(0.0), Some(1.0), Some(0.5), Some(0.0)]);
    }

    #[test]
    fn a_ratio_over_rates_that_are_all_zero_is_an_error() {
        // Nobody is selected: demographic_parity_ratio and equalized_odds_ratio are nan; the
        // differences are 0.0.
        let results = measures(&[1, 0, 1, 0, 1, 0], &[0; 6], &[0, 0, 1, 1, 2, 2], 3);
        assert_measures(&results, [Some(0.0), None, Some(0.0), None]);
        assert!(results[1].as_ref().unwrap_err().contains("no group has a positive prediction"));
        assert!(results[3].as_ref().unwrap_err().contains("no group has a true positive"));
    }

    #[test]
    fn equalized_odds_ratio_passes_over_an_undefined_fpr_ratio_as_fairlearn_does() {
        // No false positive anywhere (the FPR ratio is 0/0) but TPRs 0.5 and 1.0:
        // equalized_odds_ratio = 0.5 (min([0.5, nan]) in Python); measures 0.25, 0.5, 0.5, 0.5
        let results =
            measures(&[1, 1, 0, 0, 1, 1, 0, 0], &[1, 0, 0, 0, 1, 1, 0, 0], &[0, 0, 0, 0, 1, 1, 1, 1], 2);
        assert_measures(&results, [Some(0.25), Some(0.5), Some(0.5), Some(0.5)]);
        // Every TPR 0 but FPRs 0.5 and 0: equalized_odds_ratio = nan (min([nan, 0.0]));
        // measures 0.3333333333333333, 0.0, 0.5, nan
        let results = measures(&[1, 0, 0, 1, 0, 0], &[0, 1, 0, 0, 0, 0], &[0, 0, 0, 1, 1, 1], 2);
        assert_measures(&results, [Some(0.3333333333333333), Some(0.0), Some(0.5), None]);
    }

    #[test]
    fn penguins_by_island() {
        // d = penguins[penguins.bill_length_mm.notna()]; y_true = d.species == "Adelie";
        // y_pred = d.bill_length_mm < 42; sensitive_features = d.island
        let sample = crate::samples::get("penguins").unwrap();
        let table = crate::table::read_csv(sample.csv, sample.file, &Default::default()).unwrap();
        let column = |name| table.column(name).unwrap();
        let (species, island, bill) = (column("species"), column("island"), column("bill_length_mm"));
        let islands = ["Biscoe", "Dream", "Torgersen"];
        let (mut t, mut p, mut g) = (Vec::new(), Vec::new(), Vec::new());
        for row in 0..table.n_rows() {
            if let Some(length) = bill.number(row) {
                t.push(species.text(row) == "Adelie");
                p.push(length < 42.0);
                g.push(islands.iter().position(|&i| i == island.text(row)).unwrap());
            }
        }
        assert_eq!(t.len(), 342);
        let value = |m| fairness(m, &t, &p, &g, 3).unwrap().0;
        // 0.5780204297287777, 0.2981180496150556, 0.10504201680672276, 0.0
        assert_close(value(DemographicParityDifference), 0.5780204297287777);
        assert_close(value(DemographicParityRatio), 0.2981180496150556);
        assert_close(value(EqualizedOddsDifference), 0.10504201680672276);
        assert_close(value(EqualizedOddsRatio), 0.0);
        // by_group: Biscoe {0.24550898203592814, 0.8863636363636364, 0.016260162601626018},
        // Dream {0.4274193548387097, 0.9285714285714286, 0.014705882352941176},
        // Torgersen {0.8235294117647058, 0.8235294117647058, 0.0}; sizes 167, 124, 51
        let (_, rates) = fairness(DemographicParityRatio, &t, &p, &g, 3).unwrap();
        let expected = [
            (167, 0.24550898203592814, 0.8863636363636364, 0.016260162601626018),
            (124, 0.4274193548387097, 0.9285714285714286, 0.014705882352941176),
            (51, 0.8235294117647058, 0.8235294117647058, 0.0),
        ];
        for (r, (rows, sel, tpr, fpr)) in rates.iter().zip(expected) {
            assert_eq!(r.rows, rows);
            assert_close(r.selection_rate, sel);
            assert_close(r.tpr, tpr);
            assert_close(r.fpr, fpr);
        }
    }

    #[test]
    fn an_empty_group_is_listed_and_does_not_count() {
        // The three_groups case with an unused group 3 between: the same measures.
        let (t, p) =
            (bools(&[1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1]), bools(&[1, 0, 0, 1, 1, 0, 1, 1, 1, 0, 0, 1]));
        let g = [0, 0, 0, 0, 1, 1, 1, 1, 3, 3, 3, 3];
        let (value, rates) = fairness(DemographicParityRatio, &t, &p, &g, 4).unwrap();
        assert_close(value, 0.6666666666666666);
        assert_eq!(rates[2], GroupRates { rows: 0, selection_rate: 0.0, tpr: 0.0, fpr: 0.0 });
        assert_close(fairness(EqualizedOddsRatio, &t, &p, &g, 4).unwrap().0, 0.0);
    }

    #[test]
    fn bad_input_is_an_error_that_says_where() {
        let (t, p) = (bools(&[1, 0]), bools(&[1, 1]));
        assert_eq!(
            fairness(DemographicParityDifference, &t, &p, &[0, 2], 2).unwrap_err(),
            "row 1 is in group 2, but there are 2 groups"
        );
        assert!(fairness(DemographicParityDifference, &t, &p[..1], &[0, 0], 1)
            .unwrap_err()
            .contains("2, 1 and 2"));
        assert!(fairness(DemographicParityDifference, &[], &[], &[], 0).is_err());
    }
}
