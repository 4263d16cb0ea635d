//! Limited-memory BFGS: minimises a smooth function from its value and gradient.
//!
//! It stops where SciPy's L-BFGS-B (without bounds) stops, because that is the solver
//! scikit-learn's `LogisticRegression(solver="lbfgs")` calls with `gtol = tol`,
//! `ftol = 64 ε` and `maxls = 50`: when the largest gradient component is at most
//! [`Settings::gradient_tolerance`] (checked at the start point too), when one iteration
//! lowers the value by at most 64 ε relative to it, or after
//! [`Settings::max_iterations`]. Both keep the last ten steps (`maxcor = 10`).
//!
//! The line search asks only for the weak Wolfe conditions (sufficient decrease, 1e-4, and
//! curvature, 0.9, as SciPy's), bracketing by quadratic interpolation and widening by 4×:
//! the objectives minimised here are convex, where a step meeting them always exists and
//! the first trial step (1, or 1/‖g‖ on the first iteration as L-BFGS-B) is usually taken
//! at the cost of one evaluation.

use std::collections::VecDeque;

/// When to stop.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub max_iterations: usize,
    /// Stop once every gradient component is within ± this.
    pub gradient_tolerance: f64,
}

/// Where the minimiser stopped.
#[derive(Debug, Clone)]
pub struct Minimum {
    pub x: Vec<f64>,
    pub value: f64,
    pub iterations: usize,
    /// The gradient tolerance or the relative-decrease test was met (not `max_iterations`).
    pub converged: bool,
}

/// Steps remembered for the inverse Hessian estimate (SciPy's `maxcor`).
const MEMORY: usize = 10;
/// Evaluations one line search may spend (scikit-learn's `maxls`).
const MAX_LINE_SEARCH: usize = 50;
/// Sufficient decrease and curvature constants of the Wolfe conditions (SciPy's `ftol`,
/// `gtol` of its line search).
const ARMIJO: f64 = 1e-4;
const CURVATURE: f64 = 0.9;
/// SciPy's `ftol` as scikit-learn sets it: an iteration lowering the value by no more than
/// this, relative to it, ends the run.
const RELATIVE_DECREASE: f64 = 64.0 * f64::EPSILON;

/// One remembered step: `s` the move, `y` the change of gradient, `rho` = 1 / s·y.
struct Pair {
    s: Vec<f64>,
    y: Vec<f64>,
    rho: f64,
}

/// Minimises `objective`, which returns the value at `x` and writes the gradient into its
/// second argument, starting from `x0`.
pub fn minimize(
    x0: Vec<f64>,
    settings: Settings,
    mut objective: impl FnMut(&[f64], &mut [f64]) -> f64,
) -> Minimum {
    let n = x0.len();
    let mut x = x0;
    let mut g = vec![0.0; n];
    let mut value = objective(&x, &mut g);
    let mut pairs: VecDeque<Pair> = VecDeque::with_capacity(MEMORY);
    let mut direction = vec![0.0; n];
    let mut trial = vec![0.0; n];
    let mut trial_g = vec![0.0; n];
    let mut iterations = 0;
    let mut converged = max_abs(&g) <= settings.gradient_tolerance;
    while !converged && iterations < settings.max_iterations && value.is_finite() {
        two_loop(&g, &pairs, &mut direction);
        let mut slope = dot(&g, &direction);
        if slope >= 0.0 {
            // The estimate lost positive definiteness (rounding): restart from steepest descent.
            pairs.clear();
            two_loop(&g, &pairs, &mut direction);
            slope = dot(&g, &direction);
        }
        let first_step = if pairs.is_empty() { 1.0 / dot(&direction, &direction).sqrt() } else { 1.0 };
        let Some(trial_value) =
            line_search(&x, value, slope, &direction, first_step, &mut trial, &mut trial_g, &mut objective)
        else {
            if pairs.is_empty() {
                break;
            }
            // No acceptable step along the quasi-Newton direction: forget the estimate once.
            pairs.clear();
            continue;
        };
        iterations += 1;
        let s: Vec<f64> = trial.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = trial_g.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        // On a strictly convex objective s·y > 0; a step that shows no curvature is not kept.
        if sy > f64::EPSILON * dot(&y, &y) {
            if pairs.len() == MEMORY {
                pairs.pop_front();
            }
            pairs.push_back(Pair { s, y, rho: 1.0 / sy });
        }
        let decrease = (value - trial_value) / value.abs().max(trial_value.abs()).max(1.0);
        std::mem::swap(&mut x, &mut trial);
        std::mem::swap(&mut g, &mut trial_g);
        value = trial_value;
        converged = max_abs(&g) <= settings.gradient_tolerance || decrease <= RELATIVE_DECREASE;
    }
    Minimum { x, value, iterations, converged }
}

/// `direction` = −H·g, H the L-BFGS inverse Hessian estimate from `pairs` (oldest first),
/// scaled by s·y / y·y of the newest pair (the identity when there is none).
fn two_loop(g: &[f64], pairs: &VecDeque<Pair>, direction: &mut [f64]) {
    direction.iter_mut().zip(g).for_each(|(d, g)| *d = -g);
    let mut alphas = [0.0; MEMORY];
    for (i, pair) in pairs.iter().enumerate().rev() {
        let alpha = pair.rho * dot(&pair.s, direction);
        alphas[i] = alpha;
        axpy(-alpha, &pair.y, direction);
    }
    if let Some(newest) = pairs.back() {
        let gamma = 1.0 / (newest.rho * dot(&newest.y, &newest.y));
        direction.iter_mut().for_each(|d| *d *= gamma);
    }
    for (i, pair) in pairs.iter().enumerate() {
        let beta = pair.rho * dot(&pair.y, direction);
        axpy(alphas[i] - beta, &pair.s, direction);
    }
}

/// Finds a step `t` along `direction` meeting the weak Wolfe conditions; leaves `x + t·d`
/// in `trial`, its gradient in `trial_g`, and returns its value. `None` when no such step
/// was found in [`MAX_LINE_SEARCH`] evaluations.
#[allow(clippy::too_many_arguments)]
fn line_search(
    x: &[f64],
    value: f64,
    slope: f64,
    direction: &[f64],
    first_step: f64,
    trial: &mut [f64],
    trial_g: &mut [f64],
    objective: &mut impl FnMut(&[f64], &mut [f64]) -> f64,
) -> Option<f64> {
    let (mut low, mut high) = (0.0, f64::INFINITY);
    let mut t = first_step;
    for _ in 0..MAX_LINE_SEARCH {
        trial.iter_mut().zip(x.iter().zip(direction)).for_each(|(out, (x, d))| *out = x + t * d);
        let trial_value = objective(trial, trial_g);
        // Written so that a NaN value counts as too long.
        let decreased_enough = trial_value <= value + ARMIJO * t * slope;
        if !decreased_enough {
            // Too long (or not finite): the minimiser of the quadratic through value, slope
            // and the trial, kept inside the middle 80% of the bracket.
            high = t;
            let curvature = trial_value - value - slope * t;
            let quadratic = if trial_value.is_finite() && curvature > 0.0 {
                -slope * t * t / (2.0 * curvature)
            } else {
                (low + high) / 2.0
            };
            let margin = 0.1 * (high - low);
            t = quadratic.clamp(low + margin, high - margin);
        } else if dot(trial_g, direction) < CURVATURE * slope {
            // Too short: the slope is still steep.
            low = t;
            t = if high.is_finite() { (low + high) / 2.0 } else { 4.0 * t };
        } else {
            return Some(trial_value);
        }
    }
    None
}

/// a·b.
pub(super) fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| a * b).sum()
}

/// `y += a·x`.
pub(super) fn axpy(a: f64, x: &[f64], y: &mut [f64]) {
    y.iter_mut().zip(x).for_each(|(y, x)| *y += a * x);
}

/// The largest |v_i|; NaN if any is NaN, so that a broken gradient never counts as small.
fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| if x.is_nan() || m.is_nan() { f64::NAN } else { m.max(x.abs()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(max_iterations: usize) -> Settings {
        Settings { max_iterations, gradient_tolerance: 1e-8 }
    }

    /// Rosenbrock's valley: curved and badly scaled, the textbook test of a quasi-Newton method.
    fn rosenbrock(x: &[f64], g: &mut [f64]) -> f64 {
        let (a, b) = (x[0], x[1]);
        g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
        g[1] = 200.0 * (b - a * a);
        (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
    }

    #[test]
    fn finds_the_minimum_of_rosenbrocks_valley() {
        let found = minimize(vec![-1.2, 1.0], settings(200), rosenbrock);
        assert!(found.converged, "{found:?}");
        assert!((found.x[0] - 1.0).abs() < 1e-6 && (found.x[1] - 1.0).abs() < 1e-6, "{found:?}");
        // SciPy's L-BFGS-B takes 38 iterations from the same start.
        assert!(found.iterations < 60, "{} iterations", found.iterations);
    }

    #[test]
    fn solves_a_badly_conditioned_quadratic_in_few_iterations() {
        // f = Σ c_i (x_i − 1)² with curvatures spanning 1e3.5. SciPy's L-BFGS-B (1.17) stops
        // after 89 iterations with the same settings; gradient descent would need thousands.
        let curvatures: Vec<f64> = (0..8).map(|i| 10f64.powf(i as f64 / 2.0)).collect();
        let found = minimize(vec![0.0; 8], settings(200), |x, g| {
            let mut f = 0.0;
            for ((x, g), c) in x.iter().zip(g.iter_mut()).zip(&curvatures) {
                f += c * (x - 1.0).powi(2);
                *g = 2.0 * c * (x - 1.0);
            }
            f
        });
        assert!(found.converged);
        assert!(found.x.iter().all(|x| (x - 1.0).abs() < 1e-6), "{:?}", found.x);
        assert!(found.iterations <= 120, "{} iterations", found.iterations);
    }

    #[test]
    fn a_start_at_the_minimum_takes_no_iteration() {
        let found = minimize(vec![1.0, 1.0], settings(100), rosenbrock);
        assert_eq!((found.iterations, found.converged, found.value), (0, true, 0.0));
    }

    #[test]
    fn stops_at_max_iterations_without_claiming_convergence() {
        let found = minimize(vec![-1.2, 1.0], settings(3), rosenbrock);
        assert_eq!(found.iterations, 3);
        assert!(!found.converged);
        assert!(found.value < rosenbrock(&[-1.2, 1.0], &mut [0.0; 2]), "each iteration lowers the value");
    }

    #[test]
    fn an_objective_that_is_not_finite_beyond_a_wall_is_still_minimised() {
        // −ln(x) + x, minimum at 1, undefined for x ≤ 0: a long trial step lands in the wall.
        let found = minimize(vec![5.0], settings(100), |x, g| {
            g[0] = -1.0 / x[0] + 1.0;
            if x[0] > 0.0 {
                -x[0].ln() + x[0]
            } else {
                f64::NAN
            }
        });
        assert!(found.converged && (found.x[0] - 1.0).abs() < 1e-6, "{found:?}");
    }
}
