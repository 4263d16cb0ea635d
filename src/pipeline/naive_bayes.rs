//! Gaussian naive Bayes as scikit-learn's `GaussianNB`: per class, each input's mean and
//! population variance, the variances widened by `var_smoothing` × the largest variance of
//! any input over all rows (`epsilon_`), and priors from the class counts.
//!
//! Why not linfa-bayes: it builds a copy of the inputs per class and scores each class with
//! several whole-matrix temporaries; here fitting is two passes over the rows in their
//! row-major order and scoring one, with nothing allocated per row, each row a plain slice.

use ndarray::{Array2, ArrayView2};

use super::model::check_train_inputs;

/// A fitted Gaussian naive Bayes over classes `0..n_classes`.
#[derive(Debug, Clone)]
pub struct GaussianNb {
    width: usize,
    /// Per class, `width` means (scikit-learn's `theta_`), row after row.
    means: Vec<f64>,
    /// Per class, `width` variances including the smoothing (`var_`).
    variances: Vec<f64>,
    /// Per class: ln prior − ½ Σ ln(2π var), the part of the log likelihood that does not
    /// depend on the row.
    offsets: Vec<f64>,
}

impl GaussianNb {
    /// Fits rows `x` with classes `y`; every class of `0..n_classes` must occur.
    pub fn fit(
        x: ArrayView2<'_, f64>,
        y: &[usize],
        n_classes: usize,
        var_smoothing: f64,
    ) -> Result<Self, String> {
        let (n, width) = x.dim();
        check_train_inputs(x, y)?;
        let mut counts = vec![0usize; n_classes];
        for &class in y {
            *counts
                .get_mut(class)
                .ok_or_else(|| format!("label {class} is not a class 0..{n_classes}"))? += 1;
        }
        if let Some(empty) = counts.iter().position(|&c| c == 0) {
            return Err(format!("class {empty} has no train rows"));
        }
        let x = x.as_standard_layout();
        let rows = || x.as_slice().expect("standard layout is contiguous").chunks_exact(width);
        let mut means = vec![0.0; n_classes * width];
        let mut all_means = vec![0.0; width];
        for (row, &class) in rows().zip(y) {
            let class_means = &mut means[class * width..(class + 1) * width];
            for ((v, mean), all) in row.iter().zip(class_means).zip(&mut all_means) {
                *mean += v;
                *all += v;
            }
        }
        for (class, count) in counts.iter().enumerate() {
            means[class * width..(class + 1) * width].iter_mut().for_each(|m| *m /= *count as f64);
        }
        all_means.iter_mut().for_each(|m| *m /= n as f64);
        // Variances from squared deviations (two passes, as numpy's `var`), not from
        // E[x²] − E[x]², which cancels badly for inputs far from zero.
        let mut variances = vec![0.0; n_classes * width];
        let mut all_variances = vec![0.0; width];
        for (row, &class) in rows().zip(y) {
            let span = class * width..(class + 1) * width;
            let cells = row.iter().zip(&means[span.clone()]).zip(&mut variances[span]);
            for (((v, mean), var), (all_mean, all_var)) in cells.zip(all_means.iter().zip(&mut all_variances))
            {
                *var += square(v - mean);
                *all_var += square(v - all_mean);
            }
        }
        let epsilon = var_smoothing * all_variances.iter().fold(0.0, |m, v| f64::max(m, v / n as f64));
        for (class, count) in counts.iter().enumerate() {
            for v in &mut variances[class * width..(class + 1) * width] {
                // Floored so that an input constant everywhere with no smoothing scores as
                // "far" for other values rather than dividing by zero.
                *v = (*v / *count as f64 + epsilon).max(f64::MIN_POSITIVE);
            }
        }
        let offsets = counts
            .iter()
            .enumerate()
            .map(|(class, &count)| {
                let spread: f64 = variances[class * width..(class + 1) * width]
                    .iter()
                    .map(|v| (2.0 * std::f64::consts::PI * v).ln())
                    .sum();
                (count as f64 / n as f64).ln() - 0.5 * spread
            })
            .collect();
        Ok(GaussianNb { width, means, variances, offsets })
    }

    /// Each row's probability of each class (rows × classes): the joint log likelihoods
    /// normalised, as scikit-learn's `predict_proba`.
    pub fn predict_proba(&self, x: ArrayView2<'_, f64>) -> Array2<f64> {
        let n_classes = self.offsets.len();
        let x = x.as_standard_layout();
        let rows = x.as_slice().expect("standard layout is contiguous").chunks_exact(self.width);
        let mut proba = Array2::zeros((x.nrows(), n_classes));
        for (row, mut out) in rows.zip(proba.rows_mut()) {
            for (class, p) in out.iter_mut().enumerate() {
                let span = class * self.width..(class + 1) * self.width;
                let distance: f64 = row
                    .iter()
                    .zip(&self.means[span.clone()])
                    .zip(&self.variances[span])
                    .map(|((v, mean), var)| square(v - mean) / var)
                    .sum();
                *p = self.offsets[class] - 0.5 * distance;
            }
            // e^(l − max l) / Σ e^(l' − max l): scikit-learn's exp(l − logsumexp(l)) with
            // one exponential per class instead of two and a logarithm.
            let top = out.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            out.iter_mut().for_each(|l| *l = (*l - top).exp());
            let total = out.sum();
            out.iter_mut().for_each(|p| *p /= total);
        }
        proba
    }
}

/// x², written out: `powi` can become a call into compiler-builtins in the wasm build.
fn square(x: f64) -> f64 {
    x * x
}

#[cfg(test)]
mod tests {
    use ndarray::{Axis, Slice};

    use super::*;
    use crate::pipeline::fixtures::{assert_all_close as assert_close, iris};

    // Expected values: scikit-learn 1.9.1, `GaussianNB().fit(X, y)` on the same rows
    // (`theta_`, `var_`, `predict_proba`).

    #[test]
    fn means_and_smoothed_variances_are_scikit_learns() {
        let (x, y) = iris();
        let model = GaussianNb::fit(x.view(), &y, 3, 1e-9).unwrap();
        assert_close(
            &model.means,
            &[5.006, 3.428, 1.462, 0.246, 5.936, 2.77, 4.26, 1.326, 6.588, 2.974, 5.552, 2.026],
            1e-12,
        );
        assert_close(
            &model.variances,
            &[
                0.121764003096,
                0.140816003096,
                0.029556003096,
                0.010884003096,
                0.261104003096,
                0.096500003096,
                0.216400003096,
                0.038324003096,
                0.396256003096,
                0.101924003096,
                0.298496003096,
                0.073924003096,
            ],
            1e-12,
        );
    }

    #[test]
    fn probabilities_are_scikit_learns() {
        let (x, y) = iris();
        let rows = [0, 60, 70, 120, 133];
        let proba =
            GaussianNb::fit(x.view(), &y, 3, 1e-9).unwrap().predict_proba(x.select(Axis(0), &rows).view());
        #[rustfmt::skip]
        let expected = [
            1.0, 0.0, 0.0,
            0.0, 0.999999764932, 2.35068e-07,
            0.0, 0.154494084944, 0.845505915056,
            0.0, 1.1712e-08, 0.999999988288,
            0.0, 0.712645144216, 0.287354855784,
        ];
        assert_close(proba.as_slice().unwrap(), &expected, 1e-11);
        // Heavy smoothing (half the largest variance added to every variance).
        let proba = GaussianNb::fit(x.view(), &y, 3, 0.5)
            .unwrap()
            .predict_proba(x.select(Axis(0), &[70, 133]).view());
        let expected =
            [0.007593722334, 0.537683216939, 0.454723060727, 0.003417972582, 0.497353278129, 0.499228749289];
        assert_close(proba.as_slice().unwrap(), &expected, 1e-11);
    }

    #[test]
    fn an_input_constant_everywhere_without_smoothing_gives_finite_probabilities() {
        let x = ndarray::array![[1.0, 0.0], [1.0, 1.0], [1.0, 5.0], [1.0, 6.0]];
        let model = GaussianNb::fit(x.view(), &[0, 0, 1, 1], 2, 0.0).unwrap();
        let proba = model.predict_proba(ndarray::array![[1.0, 0.5], [2.0, 5.5]].view());
        assert!(proba.iter().all(|p| p.is_finite()), "{proba}");
        assert!(proba[[0, 0]] > 0.99);
    }

    #[test]
    fn bad_inputs_are_errors_that_say_what_is_wrong() {
        let (x, y) = iris();
        let err = |x: ArrayView2<'_, f64>, y: &[usize], n_classes| {
            GaussianNb::fit(x, y, n_classes, 1e-9).unwrap_err()
        };
        assert_eq!(err(x.view(), &y, 2), "label 2 is not a class 0..2");
        assert_eq!(err(x.view(), &y, 4), "class 3 has no train rows");
        assert_eq!(err(x.view(), &y[..3], 3), "150 train rows and 3 labels");
        assert_eq!(err(x.slice_axis(Axis(1), Slice::from(..0)), &y, 3), "the train rows have no inputs");
        let mut wild = x.clone();
        wild[[4, 2]] = f64::NAN;
        assert_eq!(err(wild.view(), &y, 3), "train row 4, input 2 is not a finite number");
    }
}
