//! ROC curves with scikit-learn's definition, for the report's chart.
//!
//! [`roc_curve`] is scikit-learn 1.9.1's `roc_curve(y_true, y_score, drop_intermediate=True)`
//! (its default): one point per distinct score, taken from the highest score down, with
//! collinear points dropped, and a first point `(0, 0)` whose threshold is infinite (here
//! `None`, since JSON has no infinity). The area under it is the `roc_auc` that
//! [`metrics::roc_auc`](super::metrics::roc_auc) computes.

use serde::{Deserialize, Serialize};

/// One point of a ROC curve: at scores `>= threshold` a row is called positive.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RocPoint {
    pub fpr: f64,
    pub tpr: f64,
    /// `None` for the first point, whose threshold is +∞ (nothing is called positive).
    pub threshold: Option<f64>,
}

/// False positives, true positives and the threshold at one point of the curve.
type Counts = (usize, usize, f64);

/// The ROC curve of `scores` for the rows whose `positive` is true; `None` when a class is
/// absent (a rate would divide by zero) or a score is not finite.
pub fn roc_curve(positive: &[bool], scores: &[f64]) -> Option<Vec<RocPoint>> {
    if positive.len() != scores.len() || scores.iter().any(|s| !s.is_finite()) {
        return None;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    // Highest score first; ties are one threshold, so their order does not matter.
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let positives = positive.iter().filter(|&&p| p).count();
    let negatives = positive.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let point = |(f, t, threshold): Counts| RocPoint {
        fpr: f as f64 / negatives as f64,
        tpr: t as f64 / positives as f64,
        threshold: Some(threshold),
    };
    // (false positives, true positives, threshold) at the last row of each distinct score,
    // kept as scikit-learn's drop_intermediate keeps them: the ends and every point where the
    // curve bends (a non-zero second difference of either count), decided for each point when
    // the next one is known, so only the points kept are stored (a million distinct scores
    // made a 24 MB list of counts, held while the report was written).
    let mut points = vec![RocPoint { fpr: 0.0, tpr: 0.0, threshold: None }];
    let (mut before, mut current): (Option<Counts>, Option<Counts>) = (None, None);
    let (mut fp, mut tp) = (0, 0);
    for (i, &row) in order.iter().enumerate() {
        if positive[row] {
            tp += 1;
        } else {
            fp += 1;
        }
        let last_of_score = order.get(i + 1).is_none_or(|&next| scores[next] != scores[row]);
        if !last_of_score {
            continue;
        }
        let next = (fp, tp, scores[row]);
        if let Some(middle) = current {
            let bends = before.is_none_or(|before| {
                let second =
                    |f: fn(&Counts) -> usize| f(&next) as i64 - 2 * f(&middle) as i64 + f(&before) as i64;
                second(|c| c.0) != 0 || second(|c| c.1) != 0
            });
            if bends {
                points.push(point(middle));
            }
        }
        (before, current) = (current, Some(next));
    }
    points.extend(current.map(point));
    Some(points)
}

/// At most `max` points of `points` (at least two), evenly spaced along the curve and
/// keeping both ends, for a chart: a curve has up to one point per distinct score.
pub fn thin(points: Vec<RocPoint>, max: usize) -> Vec<RocPoint> {
    let max = max.max(2);
    if points.len() <= max {
        return points;
    }
    let last = points.len() - 1;
    (0..max).map(|i| points[(i * last + (max - 1) / 2) / (max - 1)]).collect()
}

/// The area under a curve of [`roc_curve`], by the trapezoidal rule.
pub fn area(points: &[RocPoint]) -> f64 {
    points.windows(2).map(|w| (w[1].fpr - w[0].fpr) * (w[1].tpr + w[0].tpr) / 2.0).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::metrics;

    const Y: [u8; 16] = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0];
    const SCORES: [f64; 16] =
        [0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.2, 0.55, 0.7, 0.6, 0.4, 0.05, 0.3, 0.95, 0.65, 0.5];

    fn positive() -> Vec<bool> {
        Y.iter().map(|&y| y == 1).collect()
    }

    #[test]
    fn matches_scikit_learn_with_ties_and_dropped_points() {
        // Expected from scikit-learn 1.9.1: roc_curve(Y, SCORES) (drop_intermediate=True).
        let fpr = [0.0, 0.0, 0.0, 0.125, 0.125, 0.25, 0.5, 0.5, 1.0];
        let tpr = [0.0, 0.125, 0.625, 0.625, 0.75, 0.75, 0.875, 1.0, 1.0];
        let thresholds = [
            None,
            Some(0.95),
            Some(0.65),
            Some(0.6),
            Some(0.55),
            Some(0.5),
            Some(0.4),
            Some(0.35),
            Some(0.05),
        ];
        let points = roc_curve(&positive(), &SCORES).unwrap();
        assert_eq!(points.iter().map(|p| p.fpr).collect::<Vec<_>>(), fpr);
        assert_eq!(points.iter().map(|p| p.tpr).collect::<Vec<_>>(), tpr);
        assert_eq!(points.iter().map(|p| p.threshold).collect::<Vec<_>>(), thresholds);
    }

    #[test]
    fn the_area_is_the_roc_auc_metric() {
        // roc_auc_score(Y, SCORES) = 0.875 in scikit-learn 1.9.1.
        let points = roc_curve(&positive(), &SCORES).unwrap();
        assert_eq!(area(&points), 0.875);
        let codes: Vec<usize> = Y.iter().map(|&y| y as usize).collect();
        let proba: Vec<f64> = SCORES.iter().flat_map(|&s| [1.0 - s, s]).collect();
        assert_eq!(metrics::roc_auc(&codes, &proba, 2).unwrap(), 0.875);
    }

    #[test]
    fn one_class_or_a_nan_score_has_no_curve() {
        assert_eq!(roc_curve(&[true, true], &[0.2, 0.3]), None);
        assert_eq!(roc_curve(&[true, false], &[0.2, f64::NAN]), None);
        assert_eq!(roc_curve(&[true], &[0.2, 0.3]), None);
    }
}
