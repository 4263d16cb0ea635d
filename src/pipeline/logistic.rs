//! Logistic regression as scikit-learn 1.9's `LogisticRegression(solver="lbfgs")` fits it:
//! the same objective, the same solver's stopping rule, so the engine stops where
//! scikit-learn stops and predicts as it does.
//!
//! The objective is the *mean* log loss over the train rows plus ‖w‖² / (2·C·n), the
//! intercepts unpenalised (scikit-learn's `LinearModelLoss` with `l2_reg_strength =
//! 1 / (C · n)`). Two classes fit one weight vector for the larger class (`HalfBinomialLoss`);
//! three or more fit one per class with the softmax (`HalfMultinomialLoss`), all penalised.
//! [`super::lbfgs`] minimises it with `gtol = 1e-4`, scikit-learn's default `tol`.
//!
//! Why not linfa-logistic: it minimises the *summed* loss with a More–Thuente line search
//! that spent many evaluations per iteration, about 3× scikit-learn's time natively on 80k
//! rows. Here one pass over the rows computes the loss and its gradient together, reading
//! the inputs in their row-major order, and an iteration usually costs one such pass.

use ndarray::{Array2, ArrayView2};

use super::elementary::exp;
use super::lbfgs::{self, axpy, dot, Settings};
use super::model::check_train_inputs;

/// scikit-learn's default `tol`: the largest gradient component at which the fit stops.
const TOLERANCE: f64 = 1e-4;

/// A fitted logistic regression over classes `0..n_classes`.
#[derive(Debug, Clone)]
pub struct LogisticRegression {
    /// Rows of `width` weights followed by the intercept: one row, for class 1, with two
    /// classes; one per class with more.
    params: Vec<f64>,
    width: usize,
    n_classes: usize,
    /// L-BFGS iterations run (scikit-learn's `n_iter_`).
    pub iterations: usize,
    /// Stopped by the tolerance rather than by `max_iterations`.
    pub converged: bool,
}

/// scikit-learn's stopping rule: `tol` = 1e-4 on the largest gradient component, or
/// `max_iterations` L-BFGS iterations.
pub fn stopping(max_iterations: usize) -> Settings {
    Settings { max_iterations, gradient_tolerance: TOLERANCE }
}

impl LogisticRegression {
    /// Fits rows `x` with classes `y` (each below `n_classes`, at least two) and inverse
    /// regularisation strength `c` (> 0), stopping as `settings` say ([`stopping`] for
    /// scikit-learn's rule).
    pub fn fit(
        x: ArrayView2<'_, f64>,
        y: &[usize],
        n_classes: usize,
        c: f64,
        settings: Settings,
    ) -> Result<Self, String> {
        let (n, width) = x.dim();
        check_train_inputs(x, y)?;
        if n_classes < 2 || y.iter().any(|&class| class >= n_classes) {
            return Err(format!("labels must be classes 0..{n_classes}, at least two"));
        }
        if !(c > 0.0 && c.is_finite()) {
            return Err(format!("c = {c}: the inverse regularisation strength must be positive"));
        }
        let x = x.as_standard_layout();
        let rows = x.as_slice().expect("standard layout is contiguous");
        let loss = Loss { rows, width, y, n_classes, l2: 1.0 / (c * n as f64) };
        let found =
            lbfgs::minimize(vec![0.0; loss.models() * (width + 1)], settings, |w, g| loss.evaluate(w, g));
        if !found.x.iter().all(|w| w.is_finite()) {
            return Err("the weights grew without bound".to_owned());
        }
        Ok(LogisticRegression {
            params: found.x,
            width,
            n_classes,
            iterations: found.iterations,
            converged: found.converged,
        })
    }

    /// Each row's probability of each class (rows × classes): the logistic function of the
    /// decision value with two classes, the softmax of the classes' values with more.
    pub fn predict_proba(&self, x: ArrayView2<'_, f64>) -> Array2<f64> {
        let mut proba = Array2::zeros((x.nrows(), self.n_classes));
        let mut scores = vec![0.0; self.n_classes];
        for (row, mut out) in x.rows().into_iter().zip(proba.rows_mut()) {
            for (score, model) in scores.iter_mut().zip(self.params.chunks_exact(self.width + 1)) {
                *score = model[self.width] + row.iter().zip(model).map(|(x, w)| x * w).sum::<f64>();
            }
            if self.n_classes == 2 {
                let p1 = sigmoid(scores[0]);
                out[0] = 1.0 - p1;
                out[1] = p1;
            } else {
                let (_, total) = softmax_terms(&mut scores);
                out.iter_mut().zip(&scores).for_each(|(p, e)| *p = e / total);
            }
        }
        proba
    }
}

/// The objective over row-major inputs.
struct Loss<'a> {
    rows: &'a [f64],
    width: usize,
    y: &'a [usize],
    n_classes: usize,
    /// `l2_reg_strength`: 1 / (C · n).
    l2: f64,
}

impl Loss<'_> {
    /// Weight vectors fitted: one for two classes, one per class for more.
    fn models(&self) -> usize {
        if self.n_classes == 2 {
            1
        } else {
            self.n_classes
        }
    }

    /// The objective at `params` (rows of weights + intercept); writes its gradient to `grad`.
    fn evaluate(&self, params: &[f64], grad: &mut [f64]) -> f64 {
        grad.fill(0.0);
        let total =
            if self.n_classes == 2 { self.binary(params, grad) } else { self.multinomial(params, grad) };
        let n = self.y.len() as f64;
        let stride = self.width + 1;
        let mut penalty = 0.0;
        for (model, g) in params.chunks_exact(stride).zip(grad.chunks_exact_mut(stride)) {
            for (w, g) in model[..self.width].iter().zip(&mut g[..self.width]) {
                penalty += w * w;
                *g = *g / n + self.l2 * w;
            }
            g[self.width] /= n;
        }
        total / n + 0.5 * self.l2 * penalty
    }

    /// Two classes: the summed log(1 + e^z) − y·z over the rows; adds the summed gradient,
    /// (σ(z) − y)·(x, 1), to `grad`.
    ///
    /// Both come from one exponential, e = e^−|z| (which cannot overflow): the loss is
    /// max(z, 0) − y·z + ln(1 + e) and σ(z) is 1/(1 + e) or e/(1 + e). The logarithms are
    /// not taken row by row: 1 + e rounds to u and drops d = e − (u − 1) exactly, and
    /// ln(1 + e) = ln u + d/u to well within the double's precision, so a block of rows adds
    /// ln of the product of its u's (each u in [1, 2], so 256 of them cannot overflow) plus
    /// its d/u's. One logarithm per 256 rows instead of one per row: the loss's largest cost
    /// after the exponential (half the time natively, a third in the page's wasm), and a
    /// well-classified row's e below 2^-53, where u is 1, still counts through d.
    fn binary(&self, params: &[f64], grad: &mut [f64]) -> f64 {
        const BLOCK: usize = 256;
        let width = self.width;
        let (weights, intercept) = params.split_at(width);
        let (grad_w, grad_b) = grad.split_at_mut(width);
        let mut total = 0.0;
        for (rows, y) in self.rows.chunks(BLOCK * width).zip(self.y.chunks(BLOCK)) {
            let (mut product, mut linear) = (1.0, 0.0);
            for (row, &class) in rows.chunks_exact(width).zip(y) {
                let z = intercept[0] + dot(row, weights);
                let y = if class == 1 { 1.0 } else { 0.0 };
                let e = exp(-z.abs());
                let u = 1.0 + e;
                let inverse = 1.0 / u;
                product *= u;
                linear += z.max(0.0) - y * z + (e - (u - 1.0)) * inverse;
                let sigma = if z >= 0.0 { inverse } else { e * inverse };
                axpy(sigma - y, row, grad_w);
                grad_b[0] += sigma - y;
            }
            total += product.ln() + linear;
        }
        total
    }

    /// Three or more classes: the summed log Σ e^z − z_y over the rows; adds the summed
    /// gradients, (softmax − one-hot(y))·(x, 1) for each class's model, to `grad`.
    fn multinomial(&self, params: &[f64], grad: &mut [f64]) -> f64 {
        let stride = self.width + 1;
        let mut scores = vec![0.0; self.models()];
        let mut total = 0.0;
        for (row, &class) in self.rows.chunks_exact(self.width).zip(self.y) {
            for (score, model) in scores.iter_mut().zip(params.chunks_exact(stride)) {
                *score = model[self.width] + dot(row, &model[..self.width]);
            }
            let z_y = scores[class];
            let (top, sum) = softmax_terms(&mut scores);
            total += top + sum.ln() - z_y;
            scores.iter_mut().for_each(|e| *e /= sum);
            scores[class] -= 1.0;
            for (residual, g) in scores.iter().zip(grad.chunks_exact_mut(stride)) {
                axpy(*residual, row, &mut g[..self.width]);
                g[self.width] += residual;
            }
        }
        total
    }
}

/// Replaces `scores` with e^(z − max z) and returns (max z, their sum): the terms of a
/// softmax that cannot overflow.
fn softmax_terms(scores: &mut [f64]) -> (f64, f64) {
    let top = scores.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for s in scores.iter_mut() {
        *s = exp(*s - top);
        sum += *s;
    }
    (top, sum)
}

/// 1 / (1 + e^−z), without overflow at either end.
fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + exp(-z))
    } else {
        let e = exp(z);
        e / (1.0 + e)
    }
}

#[cfg(test)]
mod tests;
