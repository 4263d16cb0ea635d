//! The C-support vector classifier as scikit-learn 1.9's `SVC` trains it (its libsvm): one
//! two-class machine per pair of classes (one-vs-one), each solved by `smo`, and a
//! prediction by the machines' vote.
//!
//! Two classes are one machine. With k classes the k(k−1)/2 machines each learn the rows of
//! their two classes, the lower class as +1; a row is predicted by counting each machine's
//! vote (a positive decision value votes for the lower class), ties going to the lowest
//! class, which is what scikit-learn's `predict` returns. The rows of each problem are
//! ordered as libsvm orders them (the lower class's rows, then the other's, each in train
//! order), since the solver breaks ties by position.
//!
//! The decision values are scikit-learn's `decision_function`: for two classes, positive
//! for class 1 (the negated machine's value); for more, `decision_function_shape="ovr"`:
//! each class's votes plus its summed confidences squashed into (−⅓, ⅓), so that the order
//! of the classes in a row follows the votes and then the confidences.
//!
//! Why not linfa-svm: it computed the whole train × train kernel matrix before it started
//! (8,192 rows were 512 MiB) and took about 10× scikit-learn's time. Here the kernel rows are
//! computed as the solver asks for them and kept in a bounded cache ([`CACHE_BYTES`]).

mod cache;
mod smo;

use ndarray::{Array2, ArrayView2};

use super::limits::count;
use super::model::check_train_inputs;

/// The kernel, K(x, z).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kernel {
    /// x·z.
    Linear,
    /// exp(−γ‖x − z‖²).
    Rbf { gamma: f64 },
}

/// scikit-learn's default `tol`: the largest KKT violation a fit leaves.
pub const TOLERANCE: f64 = 1e-3;

/// Bytes of kernel rows one machine's solver may keep: scikit-learn's default `cache_size`
/// (200 MB), so the two recompute the same rows. A fit of up to √(200 MiB / 4 B) ≈ 7,200
/// rows of a pair keeps its whole kernel (as `f32`, as libsvm does); a larger one keeps the
/// rows it used last, recomputing the others. Memory grows only as rows are asked for, so a
/// small fit holds little; 200 MiB stays well inside the 4 GiB a wasm32 page can address.
/// On the benchmark's generated data 64 MiB was as fast (a row of 10 inputs is cheap to
/// recompute); the cache pays on wide inputs, where a row costs rows × inputs.
pub const CACHE_BYTES: usize = 200 << 20;

/// The work one fit may do over all its machines, in variables visited (a solver step
/// visits each active variable; a kernel entry computed counts as 1 + inputs / 4, a dot
/// product and an exponential): a bound on the time of a fit that converges slowly (a large
/// `c` on classes that overlap). A visit takes about 4.5 ns natively on the benchmark's
/// machine, so this is about 45 s, longer in a browser. scikit-learn has no bound
/// (`max_iter=-1`). On the benchmark's 8,000 generated rows, `c = 1000` with the linear
/// kernel takes half of it (5.1 × 10⁹, 36 million steps; scikit-learn 40 million steps in
/// 32 s); on 50,000 train rows, the defaults take a fifth.
pub const MAX_WORK: u64 = 10_000_000_000;

/// A trained one-vs-one support vector classifier over classes `0..n_classes`.
#[derive(Debug, Clone)]
pub struct Svc {
    kernel: Kernel,
    width: usize,
    n_classes: usize,
    /// The support vectors back to back, grouped by class, each class in train order.
    vectors: Vec<f64>,
    /// Each support vector's class.
    vector_classes: Vec<usize>,
    /// One machine per pair of classes: (0, 1), (0, 2), …, (1, 2), …
    machines: Vec<Machine>,
}

/// The two-class machine of one pair of classes.
#[derive(Debug, Clone)]
pub struct Machine {
    /// The pair, lower class first: the lower class is the positive side.
    pub classes: (usize, usize),
    /// (support vector, αᵢyᵢ), the lower class's vectors first: the order libsvm sums in.
    terms: Vec<(usize, f64)>,
    /// The decision value is Σ αᵢyᵢK(xᵢ, x) − ρ.
    pub rho: f64,
    /// The dual objective at the solution (libsvm's `obj`).
    pub objective: f64,
    /// Solver steps taken.
    pub iterations: usize,
}

/// Predicted classes and decision values.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// The one-vs-one vote, as scikit-learn's `predict`.
    pub labels: Vec<usize>,
    /// scikit-learn's `decision_function`: rows × 1 for two classes (positive for class 1),
    /// rows × classes for more (`decision_function_shape="ovr"`).
    pub decision: Array2<f64>,
}

impl Svc {
    /// Fits rows `x` (finite) with classes `y` (each of `0..n_classes` present, at least
    /// two), penalty `c` (> 0) and `kernel`.
    pub fn fit(
        x: ArrayView2<'_, f64>,
        y: &[usize],
        n_classes: usize,
        c: f64,
        kernel: Kernel,
    ) -> Result<Svc, String> {
        Svc::fit_within(x, y, n_classes, c, kernel, MAX_WORK)
    }

    /// [`fit`](Self::fit) with `budget` work ([`MAX_WORK`]).
    fn fit_within(
        x: ArrayView2<'_, f64>,
        y: &[usize],
        n_classes: usize,
        c: f64,
        kernel: Kernel,
        mut budget: u64,
    ) -> Result<Svc, String> {
        check_train_inputs(x, y)?;
        if n_classes < 2 {
            return Err(format!("{n_classes} class: a classifier needs at least two"));
        }
        if !(c > 0.0 && c.is_finite()) {
            return Err(format!("c = {c}: use a positive number"));
        }
        if let Kernel::Rbf { gamma } = kernel {
            if !(gamma > 0.0 && gamma.is_finite()) {
                return Err(format!("gamma = {gamma}: use a positive number"));
            }
        }
        let width = x.ncols();
        // Rows grouped by class, each class in train order.
        let mut by_class = vec![Vec::new(); n_classes];
        for (row, &class) in y.iter().enumerate() {
            by_class
                .get_mut(class)
                .ok_or_else(|| format!("class {class} is not below {n_classes}"))?
                .push(row);
        }
        if let Some(empty) = by_class.iter().position(Vec::is_empty) {
            return Err(format!(
                "class {empty} has no train rows; each of the {n_classes} classes needs one"
            ));
        }
        check_kernel_range(x, kernel)?;

        let mut machines = Vec::with_capacity(n_classes * (n_classes - 1) / 2);
        let mut rows = Vec::new();
        let mut inputs = Vec::new();
        let mut signs = Vec::new();
        for first in 0..n_classes {
            for second in first + 1..n_classes {
                rows.clear();
                rows.extend(by_class[first].iter().chain(&by_class[second]).copied());
                inputs.clear();
                signs.clear();
                for &row in &rows {
                    inputs.extend(x.row(row).iter().copied());
                    signs.push(if y[row] == first { 1.0 } else { -1.0 });
                }
                let settings = smo::Settings {
                    c,
                    kernel,
                    tolerance: TOLERANCE,
                    shrinking: true,
                    cache_bytes: CACHE_BYTES,
                    max_work: budget,
                };
                let solution = smo::solve(&inputs, width, &signs, &settings).map_err(|steps| {
                    format!(
                        "the solver did not converge within the engine's budget for one fit ({} steps, \
                         about a minute of work): the larger c, the longer an svm takes on classes that \
                         overlap (c = {c}); lower c",
                        count(steps)
                    )
                })?;
                let smo::Solution { alpha, rho, objective, iterations, work } = solution;
                budget = budget.saturating_sub(work);
                if !rho.is_finite() || alpha.iter().any(|a| !a.is_finite()) {
                    return Err(format!(
                        "the solver reached no finite solution (c = {c}); lower c, or scale the inputs"
                    ));
                }
                let terms = rows
                    .iter()
                    .zip(alpha.iter().zip(&signs))
                    .filter(|(_, (&a, _))| a != 0.0)
                    .map(|(&row, (&a, &sign))| (row, a * sign))
                    .collect();
                machines.push(Machine { classes: (first, second), terms, rho, objective, iterations });
            }
        }

        // The support vectors: the rows any machine kept, by class then train order.
        let mut support = vec![false; x.nrows()];
        for machine in &machines {
            for &(row, _) in &machine.terms {
                support[row] = true;
            }
        }
        let mut index = vec![0; x.nrows()];
        let mut vectors = Vec::new();
        let mut vector_classes = Vec::new();
        for (class, members) in by_class.iter().enumerate() {
            for &row in members.iter().filter(|&&row| support[row]) {
                index[row] = vector_classes.len();
                vector_classes.push(class);
                vectors.extend(x.row(row).iter().copied());
            }
        }
        for machine in &mut machines {
            for term in &mut machine.terms {
                term.0 = index[term.0];
            }
        }
        Ok(Svc { kernel, width, n_classes, vectors, vector_classes, machines })
    }

    /// The machines, one per pair of classes in the order (0, 1), (0, 2), …, (1, 2), …
    pub fn machines(&self) -> &[Machine] {
        &self.machines
    }

    /// Support vectors of each class (scikit-learn's `n_support_`).
    pub fn support_vectors(&self) -> Vec<usize> {
        let mut counts = vec![0; self.n_classes];
        for &class in &self.vector_classes {
            counts[class] += 1;
        }
        counts
    }

    /// Each row's class and decision values.
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Prediction {
        let k = self.n_classes;
        let columns = if k == 2 { 1 } else { k };
        let mut labels = Vec::with_capacity(x.nrows());
        let mut decision = Array2::zeros((x.nrows(), columns));
        let mut kernel = vec![0.0; self.vector_classes.len()];
        let mut votes = vec![0usize; k];
        // scikit-learn's `_ovr_decision_function(dec < 0, -dec, k)`, whose votes count a
        // value of exactly 0 for the first class, unlike libsvm's.
        let mut ovr_votes = vec![0.0; k];
        let mut confidence = vec![0.0; k];
        let mut query = Vec::with_capacity(self.width);
        for (r, row) in x.rows().into_iter().enumerate() {
            query.clear();
            query.extend(row.iter().copied());
            for (value, vector) in kernel.iter_mut().zip(self.vectors.chunks_exact(self.width)) {
                *value = self.kernel_value(&query, vector);
            }
            votes.fill(0);
            ovr_votes.fill(0.0);
            confidence.fill(0.0);
            for machine in &self.machines {
                let (first, second) = machine.classes;
                let value =
                    machine.terms.iter().fold(0.0, |sum, &(v, coef)| sum + coef * kernel[v]) - machine.rho;
                // libsvm's vote: a value of exactly 0 goes to the second class.
                votes[if value > 0.0 { first } else { second }] += 1;
                ovr_votes[if value < 0.0 { second } else { first }] += 1.0;
                confidence[first] += value;
                confidence[second] -= value;
                if k == 2 {
                    decision[[r, 0]] = -value;
                }
            }
            // The most votes, the lowest class on a tie.
            labels.push((0..k).fold(0, |best, class| if votes[class] > votes[best] { class } else { best }));
            if k > 2 {
                for class in 0..k {
                    let c = confidence[class];
                    decision[[r, class]] = ovr_votes[class] + c / (3.0 * (c.abs() + 1.0));
                }
            }
        }
        Prediction { labels, decision }
    }

    fn kernel_value(&self, x: &[f64], z: &[f64]) -> f64 {
        match self.kernel {
            Kernel::Linear => x.iter().zip(z).fold(0.0, |sum, (a, b)| sum + a * b),
            Kernel::Rbf { gamma } => {
                let distance = x.iter().zip(z).fold(0.0, |sum, (a, b)| sum + (a - b) * (a - b));
                (-gamma * distance).exp()
            }
        }
    }
}

/// scikit-learn's `gamma="scale"`: 1 / (inputs × variance of all input values), or 1 when
/// they do not vary.
pub fn scale_gamma(x: ArrayView2<'_, f64>) -> f64 {
    let n = x.len() as f64;
    let mean = x.sum() / n;
    let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    if var > 0.0 {
        1.0 / (x.ncols() as f64 * var)
    } else {
        1.0
    }
}

/// Refuses inputs whose kernel values would overflow: the solver caches them as `f32`.
fn check_kernel_range(x: ArrayView2<'_, f64>, kernel: Kernel) -> Result<(), String> {
    let limit = match kernel {
        // K(x, z) ≤ max ‖x‖² by Cauchy–Schwarz.
        Kernel::Linear => f64::from(f32::MAX),
        // Only the squared norms themselves must be finite.
        Kernel::Rbf { .. } => f64::MAX,
    };
    for (row, values) in x.rows().into_iter().enumerate() {
        let norm = values.iter().fold(0.0, |sum, v| sum + v * v);
        if norm > limit || !norm.is_finite() {
            return Err(format!(
                "train row {row}'s inputs are too large for the kernel (squared norm {norm:e}); scale the inputs"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
