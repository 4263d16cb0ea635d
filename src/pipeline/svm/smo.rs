//! Sequential minimal optimisation of one two-class C-SVC dual, as libsvm solves it (Fan,
//! Chen and Lin, "Working set selection using second order information for training
//! support vector machines", JMLR 6, 2005; Chang and Lin, "LIBSVM: a library for support
//! vector machines", 2011, §4):
//!
//! ```text
//! minimise  ½ αᵀQα − eᵀα   subject to  yᵀα = 0,  0 ≤ αᵢ ≤ C,   Qᵢⱼ = yᵢyⱼK(xᵢ, xⱼ)
//! ```
//!
//! Each step changes two variables: `i` the most violating one of those that can move up
//! (largest −yᵢ∇ᵢ), `j` the partner whose step lowers the objective most by the second-order
//! estimate −(−yᵢ∇ᵢ + yⱼ∇ⱼ)² / (Kᵢᵢ + Kⱼⱼ − 2Kᵢⱼ) (the paper's WSS 3). The fit stops when the
//! largest violation, −yᵢ∇ᵢ + yⱼ∇ⱼ over the two sets, is below the tolerance. Shrinking sets
//! aside the variables that sit on a bound and would stay there, so a step reads and
//! updates only the active ones; they are let back in, and their gradient rebuilt, before
//! the fit stops, so the stopping rule holds for every variable.
//!
//! Q is never held whole: [`RowCache`] keeps the rows steps asked for within a budget, and a
//! row is computed again after its eviction. The RBF kernel reads precomputed squared
//! norms, exp(−γ(‖xᵢ‖² + ‖xⱼ‖² − 2xᵢ·xⱼ)).
//!
//! The order of the variables, the tie-breaking of each selection and the arithmetic follow
//! libsvm's description so that the engine stops at scikit-learn's solution, not merely at
//! one within the tolerance: the same support vectors and decision values.

use super::cache::RowCache;
use super::Kernel;

/// The curvature used for a pair whose own is not positive (libsvm's τ).
const TAU: f64 = 1e-12;

/// Where a variable sits in its box `[0, C]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    Lower,
    Upper,
    Free,
}

/// How to solve.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub c: f64,
    pub kernel: Kernel,
    /// The largest violation left at the end: scikit-learn's `tol`.
    pub tolerance: f64,
    pub shrinking: bool,
    /// Bytes the kernel rows may hold.
    pub cache_bytes: usize,
    /// The work the solver may do, after which it gives up: see [`Solution::work`].
    pub max_work: u64,
}

/// The solution of one two-class problem.
#[derive(Debug, Clone)]
pub struct Solution {
    /// αᵢ of each row, in the problem's order.
    pub alpha: Vec<f64>,
    /// The decision function is Σ αᵢyᵢK(xᵢ, x) − ρ.
    pub rho: f64,
    /// The dual objective ½ αᵀQα − eᵀα at the solution.
    pub objective: f64,
    pub iterations: usize,
    /// The work done, in variables visited: a step scans and updates the active ones, and a
    /// kernel entry computed counts as 1 + inputs / 4 visits (a dot product and an
    /// exponential). A visit is a few nanoseconds natively, so this measures the time.
    pub work: u64,
}

/// Solves the dual for the rows `x` (`signs.len()` rows of `width` numbers, back to back,
/// finite) with classes `signs` (+1 or −1). Errs with the steps taken when the work passes
/// `settings.max_work`.
pub fn solve(x: &[f64], width: usize, signs: &[f64], settings: &Settings) -> Result<Solution, usize> {
    let mut solver = Solver::new(x, width, signs, settings);
    let n = signs.len();
    let (mut iterations, mut visits) = (0, 0u64);
    // libsvm shrinks every min(n, 1000) steps, the first time one step later.
    let mut countdown = n.min(1000) + 1;
    loop {
        countdown -= 1;
        if countdown == 0 {
            countdown = n.min(1000);
            if settings.shrinking {
                solver.shrink();
            }
        }
        let pair = match solver.select() {
            Some(pair) => pair,
            None => {
                // Optimal over the active variables: let every one back in and check again.
                solver.reconstruct_gradient();
                solver.active = n;
                match solver.select() {
                    Some(pair) => {
                        countdown = 1;
                        pair
                    }
                    None => break,
                }
            }
        };
        visits += solver.active as u64;
        if solver.work(visits) > settings.max_work {
            return Err(iterations);
        }
        iterations += 1;
        solver.step(pair);
    }
    let work = solver.work(visits);
    Ok(solver.solution(iterations, work))
}

/// Q's rows, computed on demand and cached, over the variables in the solver's current order.
struct QMatrix {
    kernel: Kernel,
    /// The rows' inputs back to back, in the solver's order.
    x: Vec<f64>,
    width: usize,
    /// ‖xᵢ‖², for the RBF kernel.
    norms: Vec<f64>,
    /// yᵢ, +1 or −1.
    y: Vec<f64>,
    /// Qᵢᵢ = K(xᵢ, xᵢ).
    diagonal: Vec<f64>,
    cache: RowCache,
    /// Kernel entries computed.
    computed: u64,
}

impl QMatrix {
    fn new(x: &[f64], width: usize, signs: &[f64], settings: &Settings) -> QMatrix {
        let n = signs.len();
        let norms = match settings.kernel {
            Kernel::Rbf { .. } => x.chunks_exact(width).map(|row| dot(row, row)).collect(),
            Kernel::Linear => Vec::new(),
        };
        let mut q = QMatrix {
            kernel: settings.kernel,
            x: x.to_vec(),
            width,
            norms,
            y: signs.to_vec(),
            diagonal: Vec::new(),
            cache: RowCache::new(n, settings.cache_bytes / std::mem::size_of::<f32>()),
            computed: 0,
        };
        q.diagonal = (0..n).map(|i| q.kernel_value(i, i)).collect();
        q
    }

    fn kernel_value(&self, i: usize, j: usize) -> f64 {
        let w = self.width;
        let d = dot(&self.x[i * w..(i + 1) * w], &self.x[j * w..(j + 1) * w]);
        match self.kernel {
            Kernel::Linear => d,
            Kernel::Rbf { gamma } => (-gamma * (self.norms[i] + self.norms[j] - 2.0 * d)).exp(),
        }
    }

    /// Makes row `i` hold at least its first `len` entries.
    fn ensure(&mut self, i: usize, len: usize) {
        let start = self.cache.request(i, len);
        if start >= len {
            return;
        }
        self.computed += (len - start) as u64;
        let QMatrix { kernel, x, width, norms, y, cache, .. } = self;
        let w = *width;
        let xi = &x[i * w..(i + 1) * w];
        let yi = y[i];
        let out = &mut cache.row_mut(i)[start..len];
        let columns = x[start * w..len * w].chunks_exact(w).zip(&y[start..len]);
        match *kernel {
            Kernel::Linear => {
                for (q, (xj, yj)) in out.iter_mut().zip(columns) {
                    *q = (yi * yj * dot(xi, xj)) as f32;
                }
            }
            Kernel::Rbf { gamma } => {
                let ni = norms[i];
                for ((q, (xj, yj)), nj) in out.iter_mut().zip(columns).zip(&norms[start..len]) {
                    *q = (yi * yj * (-gamma * (ni + nj - 2.0 * dot(xi, xj))).exp()) as f32;
                }
            }
        }
    }

    fn row(&self, i: usize) -> &[f32] {
        self.cache.row(i)
    }

    fn swap(&mut self, i: usize, j: usize) {
        self.cache.swap(i, j);
        let w = self.width;
        for k in 0..w {
            self.x.swap(i * w + k, j * w + k);
        }
        if !self.norms.is_empty() {
            self.norms.swap(i, j);
        }
        self.y.swap(i, j);
        self.diagonal.swap(i, j);
    }
}

/// x·y, summed in order.
fn dot(x: &[f64], y: &[f64]) -> f64 {
    x.iter().zip(y).fold(0.0, |sum, (a, b)| sum + a * b)
}

/// The solver's state. Variables are kept in an order that puts the active ones first
/// (`0..active`); `order` maps each position to its row in the problem.
struct Solver {
    q: QMatrix,
    c: f64,
    tolerance: f64,
    alpha: Vec<f64>,
    bound: Vec<Bound>,
    /// ∇ᵢ = (Qα)ᵢ − 1, kept exact for the active variables.
    gradient: Vec<f64>,
    /// C · Σ Qᵢⱼ over the variables j at their upper bound: the part of the gradient the
    /// shrunk variables need to rebuild theirs without the kernel rows of the bounded ones.
    gradient_bar: Vec<f64>,
    order: Vec<usize>,
    active: usize,
    /// Whether the variables were already let back in once near the end.
    unshrunk: bool,
}

impl Solver {
    fn new(x: &[f64], width: usize, signs: &[f64], settings: &Settings) -> Solver {
        let n = signs.len();
        Solver {
            q: QMatrix::new(x, width, signs, settings),
            c: settings.c,
            tolerance: settings.tolerance,
            // α = 0 is feasible, and there ∇ = −e.
            alpha: vec![0.0; n],
            bound: vec![Bound::Lower; n],
            gradient: vec![-1.0; n],
            gradient_bar: vec![0.0; n],
            order: (0..n).collect(),
            active: n,
            unshrunk: false,
        }
    }

    fn n(&self) -> usize {
        self.alpha.len()
    }

    /// [`Solution::work`] after `visits` variables visited by the steps.
    fn work(&self, visits: u64) -> u64 {
        visits + self.q.computed * (1 + self.q.width as u64 / 4)
    }

    fn can_rise(&self, t: usize) -> bool {
        rises(self.q.y[t], self.bound[t])
    }

    fn can_fall(&self, t: usize) -> bool {
        falls(self.q.y[t], self.bound[t])
    }

    /// The working pair by second-order selection, or `None` when the active variables are
    /// optimal within the tolerance. Ties go to the later variable, as in libsvm.
    fn select(&mut self) -> Option<(usize, usize)> {
        // The scans read the variables as zipped slices: they are most of a step's time once
        // the kernel rows are cached.
        let active = self.active;
        let (y, gradient, bound) = (&self.q.y[..active], &self.gradient[..active], &self.bound[..active]);
        let mut gmax = f64::NEG_INFINITY;
        let mut first = None;
        for (t, ((&yt, &gt), &bt)) in y.iter().zip(gradient).zip(bound).enumerate() {
            if rises(yt, bt) {
                let violation = -yt * gt;
                if violation >= gmax {
                    gmax = violation;
                    first = Some(t);
                }
            }
        }
        let i = first?;
        self.q.ensure(i, active);
        let (y, gradient, bound) = (&self.q.y[..active], &self.gradient[..active], &self.bound[..active]);
        let (yi, di) = (y[i], self.q.diagonal[i]);
        let row_i = &self.q.row(i)[..active];
        let diagonal = &self.q.diagonal[..active];
        let mut gmax2 = f64::NEG_INFINITY;
        let mut second = None;
        let mut best = f64::INFINITY;
        let variables = y.iter().zip(gradient).zip(bound).zip(diagonal).zip(row_i);
        for (t, ((((&yt, &gt), &bt), &dt), &q_it)) in variables.enumerate() {
            if !falls(yt, bt) {
                continue;
            }
            let violation = yt * gt;
            if violation >= gmax2 {
                gmax2 = violation;
            }
            let gain = gmax + violation;
            if gain > 0.0 {
                let curvature = di + dt - 2.0 * yi * yt * f64::from(q_it);
                let decrease = -(gain * gain) / if curvature > 0.0 { curvature } else { TAU };
                if decrease <= best {
                    best = decrease;
                    second = Some(t);
                }
            }
        }
        if gmax + gmax2 < self.tolerance {
            return None;
        }
        second.map(|j| (i, j))
    }

    /// Moves αᵢ and αⱼ to the minimum along their constraint line, clipped to the box, and
    /// updates the gradient.
    fn step(&mut self, (i, j): (usize, usize)) {
        let (active, c) = (self.active, self.c);
        self.q.ensure(i, active);
        self.q.ensure(j, active);
        let q_ij = f64::from(self.q.row(i)[j]);
        let (di, dj) = (self.q.diagonal[i], self.q.diagonal[j]);
        let (old_i, old_j) = (self.alpha[i], self.alpha[j]);
        let (gi, gj) = (self.gradient[i], self.gradient[j]);
        let (mut ai, mut aj);
        if self.q.y[i] != self.q.y[j] {
            // αᵢ − αⱼ stays constant.
            let curvature = di + dj + 2.0 * q_ij;
            let delta = (-gi - gj) / if curvature > 0.0 { curvature } else { TAU };
            let diff = old_i - old_j;
            ai = old_i + delta;
            aj = old_j + delta;
            if diff > 0.0 {
                if aj < 0.0 {
                    aj = 0.0;
                    ai = diff;
                }
                if ai > c {
                    ai = c;
                    aj = c - diff;
                }
            } else {
                if ai < 0.0 {
                    ai = 0.0;
                    aj = -diff;
                }
                if aj > c {
                    aj = c;
                    ai = c + diff;
                }
            }
        } else {
            // αᵢ + αⱼ stays constant.
            let curvature = di + dj - 2.0 * q_ij;
            let delta = (gi - gj) / if curvature > 0.0 { curvature } else { TAU };
            let sum = old_i + old_j;
            ai = old_i - delta;
            aj = old_j + delta;
            if sum > c {
                if ai > c {
                    ai = c;
                    aj = sum - c;
                }
                if aj > c {
                    aj = c;
                    ai = sum - c;
                }
            } else {
                if aj < 0.0 {
                    aj = 0.0;
                    ai = sum;
                }
                if ai < 0.0 {
                    ai = 0.0;
                    aj = sum;
                }
            }
        }
        self.alpha[i] = ai;
        self.alpha[j] = aj;

        let (delta_i, delta_j) = (ai - old_i, aj - old_j);
        let (row_i, row_j) = (&self.q.row(i)[..active], &self.q.row(j)[..active]);
        for ((g, &qi), &qj) in self.gradient[..active].iter_mut().zip(row_i).zip(row_j) {
            *g += f64::from(qi) * delta_i + f64::from(qj) * delta_j;
        }

        // A variable that reached or left its upper bound changes the bounded part of the
        // gradient, over every variable.
        for (t, value) in [(i, ai), (j, aj)] {
            let was_upper = self.bound[t] == Bound::Upper;
            self.bound[t] = bound(value, c);
            if was_upper != (self.bound[t] == Bound::Upper) {
                let n = self.n();
                self.q.ensure(t, n);
                let scale = if was_upper { -c } else { c };
                for (g, &q) in self.gradient_bar.iter_mut().zip(&self.q.row(t)[..n]) {
                    *g += scale * f64::from(q);
                }
            }
        }
    }

    /// Sets aside the bounded variables that the current violation says will stay bounded;
    /// near the end (violation within 10 × tolerance), first lets every variable back in
    /// once, since an early guess may have been wrong.
    fn shrink(&mut self) {
        let (mut gmax_up, mut gmax_low) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
        for t in 0..self.active {
            let yg = self.q.y[t] * self.gradient[t];
            if self.can_rise(t) && -yg >= gmax_up {
                gmax_up = -yg;
            }
            if self.can_fall(t) && yg >= gmax_low {
                gmax_low = yg;
            }
        }
        if !self.unshrunk && gmax_up + gmax_low <= self.tolerance * 10.0 {
            self.unshrunk = true;
            self.reconstruct_gradient();
            self.active = self.n();
        }
        let mut t = 0;
        while t < self.active {
            if self.settled(t, gmax_up, gmax_low) {
                // Swap in the last active variable that stays, dropping those that do not.
                self.active -= 1;
                while self.active > t {
                    if !self.settled(self.active, gmax_up, gmax_low) {
                        self.swap(t, self.active);
                        break;
                    }
                    self.active -= 1;
                }
            }
            t += 1;
        }
    }

    /// Whether bounded variable `t` is pushed against its bound harder than any violation.
    fn settled(&self, t: usize, gmax_up: f64, gmax_low: f64) -> bool {
        let (g, positive) = (self.gradient[t], self.q.y[t] > 0.0);
        match self.bound[t] {
            Bound::Upper => -g > if positive { gmax_up } else { gmax_low },
            Bound::Lower => g > if positive { gmax_low } else { gmax_up },
            Bound::Free => false,
        }
    }

    fn swap(&mut self, i: usize, j: usize) {
        self.q.swap(i, j);
        self.alpha.swap(i, j);
        self.bound.swap(i, j);
        self.gradient.swap(i, j);
        self.gradient_bar.swap(i, j);
        self.order.swap(i, j);
    }

    /// Rebuilds the gradient of the shrunk variables from `gradient_bar` and the free
    /// variables, reading whichever set of kernel rows is smaller.
    fn reconstruct_gradient(&mut self) {
        let (n, active) = (self.n(), self.active);
        if active == n {
            return;
        }
        for t in active..n {
            self.gradient[t] = self.gradient_bar[t] - 1.0;
        }
        let free = (0..active).filter(|&t| self.bound[t] == Bound::Free).count();
        if free as u64 * n as u64 > 2 * (active as u64) * ((n - active) as u64) {
            for t in active..n {
                self.q.ensure(t, active);
                let row = &self.q.row(t)[..active];
                let mut g = self.gradient[t];
                for ((&q, &a), &b) in row.iter().zip(&self.alpha).zip(&self.bound) {
                    if b == Bound::Free {
                        g += a * f64::from(q);
                    }
                }
                self.gradient[t] = g;
            }
        } else {
            for s in 0..active {
                if self.bound[s] != Bound::Free {
                    continue;
                }
                self.q.ensure(s, n);
                let a = self.alpha[s];
                for (g, &q) in self.gradient[active..n].iter_mut().zip(&self.q.row(s)[active..n]) {
                    *g += a * f64::from(q);
                }
            }
        }
    }

    /// ρ: the mean of yᵢ∇ᵢ over the free variables, which the KKT conditions make equal;
    /// without any, the middle of the interval the bounded ones leave for it.
    fn rho(&self) -> f64 {
        let (mut upper, mut lower) = (f64::INFINITY, f64::NEG_INFINITY);
        let (mut sum, mut free) = (0.0, 0usize);
        for t in 0..self.active {
            let yg = self.q.y[t] * self.gradient[t];
            let positive = self.q.y[t] > 0.0;
            match self.bound[t] {
                Bound::Upper if positive => lower = lower.max(yg),
                Bound::Upper => upper = upper.min(yg),
                Bound::Lower if positive => upper = upper.min(yg),
                Bound::Lower => lower = lower.max(yg),
                Bound::Free => {
                    free += 1;
                    sum += yg;
                }
            }
        }
        if free > 0 {
            sum / free as f64
        } else {
            (upper + lower) / 2.0
        }
    }

    fn solution(self, iterations: usize, work: u64) -> Solution {
        let rho = self.rho();
        // ½αᵀQα − eᵀα = ½ Σ αᵢ(∇ᵢ − 1), since ∇ = Qα − e.
        let objective = self.alpha.iter().zip(&self.gradient).map(|(a, g)| a * (g - 1.0)).sum::<f64>() / 2.0;
        let mut alpha = vec![0.0; self.n()];
        for (&row, &a) in self.order.iter().zip(&self.alpha) {
            alpha[row] = a;
        }
        Solution { alpha, rho, objective, iterations, work }
    }
}

/// Whether a variable of class `y` at `bound` can move in the direction that raises yα
/// (libsvm's I_up).
#[inline(always)]
fn rises(y: f64, bound: Bound) -> bool {
    if y > 0.0 {
        bound != Bound::Upper
    } else {
        bound != Bound::Lower
    }
}

/// Whether it can move in the direction that lowers yα (libsvm's I_low).
#[inline(always)]
fn falls(y: f64, bound: Bound) -> bool {
    if y > 0.0 {
        bound != Bound::Lower
    } else {
        bound != Bound::Upper
    }
}

/// Where `alpha` sits in `[0, c]`.
fn bound(alpha: f64, c: f64) -> Bound {
    if alpha >= c {
        Bound::Upper
    } else if alpha <= 0.0 {
        Bound::Lower
    } else {
        Bound::Free
    }
}
