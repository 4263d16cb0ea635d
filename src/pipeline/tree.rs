//! CART decision trees that follow scikit-learn's `DecisionTreeClassifier` and
//! `DecisionTreeRegressor` (`splitter="best"`, every feature at every node,
//! `min_samples_leaf=1`, no sample weights, `min_impurity_decrease=0`).
//!
//! How a tree grows, as in scikit-learn 1.9.1 (`sklearn/tree/_tree.pyx`, `_splitter.pyx`,
//! `_partitioner.pyx`, `_criterion.pyx`):
//!
//! - Inputs are rounded to float32 first, as scikit-learn stores `X` (`DTYPE = np.float32`),
//!   and a prediction compares the float32-rounded value with the threshold, as its `apply`
//!   does. Values closer than float32 precision are therefore tied, as there (and values
//!   beyond ±3.4e38 become infinite, where scikit-learn refuses them).
//! - A node becomes a leaf when its depth reaches `max_depth` (the root has depth 0, so
//!   `max_depth = 1` is a stump), when it has fewer than `min_samples_split` rows, or when it
//!   is pure: impurity ≤ machine epsilon (one class; for regression, zero variance).
//! - Otherwise every feature is searched. The node's rows are sorted by the feature and each
//!   boundary between two consecutive *distinct* values among the node's own rows is a
//!   candidate (scikit-learn's `FEATURE_THRESHOLD`: values no more than 1e-7 apart count as
//!   one), with threshold `x[i] / 2 + x[i + 1] / 2` in f64; rows with `x <= threshold` go
//!   left. Both sides must keep at least one row. The split with the largest impurity
//!   decrease wins (scikit-learn's proxy: −n_left·impurity_left − n_right·impurity_right for
//!   gini and entropy, sum_left²/n_left + sum_right²/n_right for squared error, computed with
//!   scikit-learn's formulas so that equal splits compare equal here too).
//! - Equal splits are common (in a small node several features often cut off the same rows);
//!   scikit-learn keeps the first it meets, visiting the features in a random order. This
//!   tree draws that order exactly as scikit-learn does with `random_state=0` (the same
//!   xorshift generator, seed and Fisher–Yates bookkeeping, see `FeatureOrder` below), so it
//!   picks the same split as `DecisionTreeClassifier(random_state=0)`; within a feature the
//!   lowest threshold wins. Other `random_state` values can pick other, equally good splits.
//! - As in scikit-learn, the best split is taken even when it does not lower the impurity
//!   (XOR data is learnt by a zero-gain first split); a node is a leaf only when no feature
//!   varies within it.
//! - Leaves store class frequencies (`predict_proba`) or the mean target (regression).
//!
//! Where a regression tree can still differ from scikit-learn's:
//!
//! - When two splits lower the squared error by exactly the same amount in exact arithmetic,
//!   scikit-learn's choice is decided by the rounding of its running sums, which depends on
//!   the order its sort leaves tied rows in; here the sums run in another order, so such a
//!   tie can go the other way. (With integer targets the sums are exact and this cannot
//!   happen.)
//! - A node whose targets are all equal is a leaf here, where scikit-learn, computing its
//!   variance as a tiny non-zero number, may split it further into leaves with the same
//!   mean: same predictions, more leaves.
//! - Means can differ in the last bits.
//!
//! The tree is grown with an explicit stack and stored as a flat vector, so neither
//! training, prediction nor dropping recurses: a chain thousands of levels deep is fine.

use ndarray::{Array2, ArrayView1, ArrayView2};

use super::model::Criterion;

/// scikit-learn's `EPSILON` (`np.finfo("double").eps`) in the tree builder.
const EPSILON: f64 = f64::EPSILON;
/// scikit-learn's default `min_samples_leaf`.
const MIN_SAMPLES_LEAF: usize = 1;

/// The hyperparameters, named as scikit-learn's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeParams {
    /// The deepest a node may be (the root is depth 0); `None` grows until the leaves are
    /// pure or too small to split.
    pub max_depth: Option<usize>,
    /// A node with fewer rows is a leaf. Values below 2 act as 2.
    pub min_samples_split: usize,
    /// Classification only; a regression tree always uses squared error.
    pub criterion: Criterion,
}

impl Default for TreeParams {
    fn default() -> TreeParams {
        TreeParams { max_depth: None, min_samples_split: 2, criterion: Criterion::Gini }
    }
}

/// A trained classification tree.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassificationTree {
    tree: Tree,
    /// Class frequencies of each leaf (leaves × classes).
    proba: Array2<f64>,
}

impl ClassificationTree {
    /// Grows a tree on `x` (one row per sample) and the class codes `y`, each below
    /// `n_classes`.
    pub fn fit(
        x: ArrayView2<'_, f64>,
        y: &[usize],
        n_classes: usize,
        params: &TreeParams,
    ) -> Result<ClassificationTree, String> {
        check_inputs(x, y.len())?;
        if let Some((row, &class)) = y.iter().enumerate().find(|(_, &c)| c >= n_classes) {
            return Err(format!("row {row} has class {class} but there are {n_classes} classes"));
        }
        let target = Classes { y, n_classes, criterion: params.criterion };
        let (tree, leaves) = grow(x, &target, params);
        let mut proba = Array2::zeros((leaves.len(), n_classes));
        for (leaf, (counts, n)) in leaves.iter().enumerate() {
            for (class, &count) in counts.iter().enumerate() {
                proba[[leaf, class]] = count / *n as f64;
            }
        }
        Ok(ClassificationTree { tree, proba })
    }

    /// Each row's class probabilities (rows × classes): the class frequencies of the training
    /// rows in its leaf, as scikit-learn's `predict_proba`.
    pub fn predict_proba(&self, x: ArrayView2<'_, f64>) -> Array2<f64> {
        let mut out = Array2::zeros((x.nrows(), self.proba.ncols()));
        for (i, row) in x.rows().into_iter().enumerate() {
            out.row_mut(i).assign(&self.proba.row(self.tree.leaf(row)));
        }
        out
    }

    /// Each row's most frequent class in its leaf; ties go to the lower class, as numpy's
    /// argmax in scikit-learn's `predict`.
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Vec<usize> {
        x.rows()
            .into_iter()
            .map(|row| {
                let p = self.proba.row(self.tree.leaf(row));
                let mut best = 0;
                for (class, &v) in p.iter().enumerate() {
                    if v > p[best] {
                        best = class;
                    }
                }
                best
            })
            .collect()
    }

    /// The depth of the deepest leaf (0 for a single leaf), as scikit-learn's `get_depth()`.
    pub fn depth(&self) -> usize {
        self.tree.depth
    }

    /// The number of leaves, as scikit-learn's `get_n_leaves()`.
    pub fn leaves(&self) -> usize {
        self.tree.leaves
    }
}

/// A trained regression tree (squared error; a leaf predicts the mean of its rows).
#[derive(Debug, Clone, PartialEq)]
pub struct RegressionTree {
    tree: Tree,
    means: Vec<f64>,
}

impl RegressionTree {
    /// Grows a tree on `x` (one row per sample) and the targets `y`. `params.criterion` is
    /// not used.
    pub fn fit(x: ArrayView2<'_, f64>, y: &[f64], params: &TreeParams) -> Result<RegressionTree, String> {
        check_inputs(x, y.len())?;
        if let Some(row) = y.iter().position(|v| !v.is_finite()) {
            return Err(format!("the target of row {row} is {}: it must be a finite number", y[row]));
        }
        let (tree, leaves) = grow(x, &Values { y }, params);
        let means = leaves.iter().map(|(m, n)| m.sum / *n as f64).collect();
        Ok(RegressionTree { tree, means })
    }

    /// Each row's leaf mean.
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Vec<f64> {
        x.rows().into_iter().map(|row| self.means[self.tree.leaf(row)]).collect()
    }

    /// The depth of the deepest leaf (0 for a single leaf), as scikit-learn's `get_depth()`.
    pub fn depth(&self) -> usize {
        self.tree.depth
    }

    /// The number of leaves, as scikit-learn's `get_n_leaves()`.
    pub fn leaves(&self) -> usize {
        self.tree.leaves
    }
}

fn check_inputs(x: ArrayView2<'_, f64>, targets: usize) -> Result<(), String> {
    if x.nrows() == 0 {
        return Err("there are no rows to train on".to_owned());
    }
    if targets != x.nrows() {
        return Err(format!("{} rows of inputs but {targets} targets", x.nrows()));
    }
    if Row::try_from(x.nrows()).is_err() {
        return Err(format!("{} rows are more than a tree indexes ({})", x.nrows(), Row::MAX));
    }
    if let Some(((row, column), _)) = x.indexed_iter().find(|(_, v)| v.is_nan()) {
        return Err(format!("input row {row}, column {column} is NaN: impute missing values first"));
    }
    Ok(())
}

/// A training row's index. Four bytes, not eight: the node's row list and the sorted
/// `(value, row)` pairs are the tree's largest buffers (a row each, 12 bytes a row with
/// `u32` where `usize` took 24), and a table the engine loads has far fewer rows.
type Row = u32;

/// A node of the flat tree; children are indexes into `Tree::nodes`.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Split {
        feature: usize,
        threshold: f64,
        left: usize,
        right: usize,
        /// Where a missing value goes: the larger child, as scikit-learn sends NaN at
        /// prediction time for a tree trained without missing values.
        missing_left: bool,
    },
    /// The leaf's index into the leaf values.
    Leaf(usize),
}

#[derive(Debug, Clone, PartialEq)]
struct Tree {
    /// Preorder (a node, its left subtree, its right subtree), as scikit-learn numbers them.
    nodes: Vec<Node>,
    depth: usize,
    leaves: usize,
}

impl Tree {
    /// The leaf `row` falls in. A column the row lacks counts as missing.
    fn leaf(&self, row: ArrayView1<'_, f64>) -> usize {
        let mut at = 0;
        loop {
            match self.nodes.get(at) {
                Some(&Node::Split { feature, threshold, left, right, missing_left }) => {
                    // As scikit-learn, which stores X as float32, compares the float32 value.
                    let value = row.get(feature).map_or(f64::NAN, |&v| f64::from(v as f32));
                    at = if value.is_nan() {
                        if missing_left {
                            left
                        } else {
                            right
                        }
                    } else if value <= threshold {
                        left
                    } else {
                        right
                    };
                }
                Some(&Node::Leaf(leaf)) => return leaf,
                // Not reached: fit always makes a root and children point inside the vector.
                None => return 0,
            }
        }
    }

    /// Each node's `(feature, threshold)`, `None` for a leaf: scikit-learn's `tree_.feature`
    /// and `tree_.threshold`.
    #[cfg(test)]
    fn structure(&self) -> Vec<Option<(usize, f64)>> {
        self.nodes
            .iter()
            .map(|node| match *node {
                Node::Split { feature, threshold, .. } => Some((feature, threshold)),
                Node::Leaf(_) => None,
            })
            .collect()
    }
}

/// What a node's rows add up to for one criterion, and the impurities computed from it.
trait Target {
    /// A node's sufficient statistics: class counts, or the sum and sum of squares.
    type Stats: Clone;
    fn empty(&self) -> Self::Stats;
    fn add(&self, stats: &mut Self::Stats, row: Row);
    fn impurity(&self, stats: &Self::Stats, n: usize) -> f64;
    /// scikit-learn's `proxy_impurity_improvement` of the split whose left side is `left`
    /// and right side the rest of `total`: larger is better.
    fn proxy(&self, left: &Self::Stats, total: &Self::Stats, n_left: usize, n_right: usize) -> f64;
    /// The impurities of the left side `left` and of the rest of `total`.
    fn children_impurity(
        &self,
        left: &Self::Stats,
        total: &Self::Stats,
        n_left: usize,
        n_right: usize,
    ) -> (f64, f64);
    /// Whether every row has the same target.
    fn constant(&self, rows: &[Row]) -> bool;

    fn stats(&self, rows: &[Row]) -> Self::Stats {
        let mut stats = self.empty();
        for &row in rows {
            self.add(&mut stats, row);
        }
        stats
    }
}

struct Classes<'a> {
    y: &'a [usize],
    n_classes: usize,
    criterion: Criterion,
}

impl Classes<'_> {
    /// Gini or entropy (in bits) of a node with these class counts, as scikit-learn's
    /// `Gini.node_impurity` and `Entropy.node_impurity`.
    fn of(&self, counts: impl Iterator<Item = f64>, n: f64) -> f64 {
        match self.criterion {
            Criterion::Gini => {
                let sq: f64 = counts.map(|c| c * c).sum();
                1.0 - sq / (n * n)
            }
            Criterion::Entropy => {
                let mut entropy = 0.0;
                for c in counts {
                    if c > 0.0 {
                        let p = c / n;
                        entropy -= p * (p.ln() / 2f64.ln());
                    }
                }
                entropy
            }
        }
    }
}

impl Target for Classes<'_> {
    /// Counts as f64, as scikit-learn keeps them (exact for any realistic row count).
    type Stats = Vec<f64>;

    fn empty(&self) -> Vec<f64> {
        vec![0.0; self.n_classes]
    }

    fn add(&self, stats: &mut Vec<f64>, row: Row) {
        if let Some(count) = stats.get_mut(self.y[row as usize]) {
            *count += 1.0;
        }
    }

    fn impurity(&self, stats: &Vec<f64>, n: usize) -> f64 {
        self.of(stats.iter().copied(), n as f64)
    }

    fn proxy(&self, left: &Vec<f64>, total: &Vec<f64>, n_left: usize, n_right: usize) -> f64 {
        let (l, r) = self.children_impurity(left, total, n_left, n_right);
        -(n_right as f64) * r - n_left as f64 * l
    }

    fn children_impurity(
        &self,
        left: &Vec<f64>,
        total: &Vec<f64>,
        n_left: usize,
        n_right: usize,
    ) -> (f64, f64) {
        let right = total.iter().zip(left).map(|(t, l)| t - l);
        (self.of(left.iter().copied(), n_left as f64), self.of(right, n_right as f64))
    }

    fn constant(&self, rows: &[Row]) -> bool {
        rows.iter().all(|&r| self.y[r as usize] == self.y[rows[0] as usize])
    }
}

struct Values<'a> {
    y: &'a [f64],
}

#[derive(Debug, Clone, Copy)]
struct Moments {
    sum: f64,
    sq: f64,
}

impl Target for Values<'_> {
    type Stats = Moments;

    fn empty(&self) -> Moments {
        Moments { sum: 0.0, sq: 0.0 }
    }

    fn add(&self, stats: &mut Moments, row: Row) {
        let y = self.y[row as usize];
        stats.sum += y;
        stats.sq += y * y;
    }

    /// The variance, computed as scikit-learn's `MSE.node_impurity`.
    fn impurity(&self, stats: &Moments, n: usize) -> f64 {
        let n = n as f64;
        stats.sq / n - (stats.sum / n) * (stats.sum / n)
    }

    fn proxy(&self, left: &Moments, total: &Moments, n_left: usize, n_right: usize) -> f64 {
        let right = total.sum - left.sum;
        left.sum * left.sum / n_left as f64 + right * right / n_right as f64
    }

    fn children_impurity(
        &self,
        left: &Moments,
        total: &Moments,
        n_left: usize,
        n_right: usize,
    ) -> (f64, f64) {
        let right = Moments { sum: total.sum - left.sum, sq: total.sq - left.sq };
        (self.impurity(left, n_left), self.impurity(&right, n_right))
    }

    fn constant(&self, rows: &[Row]) -> bool {
        rows.iter().all(|&r| self.y[r as usize] == self.y[rows[0] as usize])
    }
}

/// A node waiting on the stack: its rows are `rows[start..end]`.
struct Pending {
    start: usize,
    end: usize,
    depth: usize,
    /// The parent node and whether this is its left child.
    parent: Option<(usize, bool)>,
    /// How many features are known to be constant here (scikit-learn's
    /// `n_constant_features`): they are constant in an ancestor, so in this node too.
    known_constant: usize,
}

/// The best split found at a node.
struct Split {
    feature: usize,
    threshold: f64,
    /// Rows going left: the first `pos` in the feature's sorted order.
    pos: usize,
}

/// The state of the xorshift generator scikit-learn's splitter starts from with
/// `random_state=0`: `np.random.RandomState(0).randint(0, 2**31 - 1)` (`Splitter.init`).
const SKLEARN_SEED: u32 = 209_652_396;

/// The order in which the features are searched, drawn as scikit-learn's `node_split_best`
/// draws it (`max_features = n_features`): a Fisher–Yates walk over a feature array that
/// persists from node to node, driven by one generator for the whole tree, with features
/// found constant in a node set aside for its descendants. Split quality ties are kept by
/// the first feature drawn, so reproducing the draws reproduces scikit-learn's choice.
struct FeatureOrder {
    /// scikit-learn's `splitter.features`.
    features: Vec<usize>,
    /// scikit-learn's `splitter.constant_features`.
    constant: Vec<usize>,
    /// scikit-learn's `rand_r_state`.
    state: u32,
}

impl FeatureOrder {
    fn new(n_features: usize) -> FeatureOrder {
        FeatureOrder {
            features: (0..n_features).collect(),
            constant: vec![0; n_features],
            state: SKLEARN_SEED,
        }
    }

    /// scikit-learn's `our_rand_r` (`sklearn/utils/_random.pxd`): 32-bit xorshift.
    fn next(&mut self) -> u32 {
        if self.state == 0 {
            self.state = 1;
        }
        self.state ^= self.state << 13;
        self.state ^= self.state >> 17;
        self.state ^= self.state << 5;
        self.state % 0x8000_0000
    }

    /// scikit-learn's `rand_int`: an integer in `[low, high)`.
    fn below(&mut self, low: usize, high: usize) -> usize {
        let r = self.next() as usize;
        if high > low {
            low + r % (high - low)
        } else {
            low
        }
    }
}

/// Grows the tree depth first; returns it and each leaf's statistics and row count.
fn grow<T: Target>(
    x: ArrayView2<'_, f64>,
    target: &T,
    params: &TreeParams,
) -> (Tree, Vec<(T::Stats, usize)>) {
    let n = x.nrows();
    let x = Columns::new(x);
    let max_depth = params.max_depth.unwrap_or(usize::MAX);
    let mut rows: Vec<Row> = (0..n as Row).collect();
    let mut sorted = Sorted(Vec::with_capacity(n));
    let mut order = FeatureOrder::new(x.width);
    let mut nodes = Vec::new();
    let mut leaves = Vec::new();
    let mut deepest = 0;
    let mut stack = vec![Pending { start: 0, end: n, depth: 0, parent: None, known_constant: 0 }];
    while let Some(Pending { start, end, depth, parent, known_constant }) = stack.pop() {
        let id = nodes.len();
        if let Some((parent, is_left)) = parent {
            if let Some(Node::Split { left, right, .. }) = nodes.get_mut(parent) {
                *(if is_left { left } else { right }) = id;
            }
        }
        deepest = deepest.max(depth);
        let count = end - start;
        let total = target.stats(&rows[start..end]);
        let impurity = target.impurity(&total, count);
        let splittable = depth < max_depth
            && count >= params.min_samples_split
            && count >= 2 * MIN_SAMPLES_LEAF
            && impurity > EPSILON
            && !target.constant(&rows[start..end]);
        let (split, constant) = if splittable {
            best_split(&x, target, &rows[start..end], &total, known_constant, &mut order, &mut sorted)
        } else {
            (None, known_constant)
        };
        let Some(split) = split else {
            nodes.push(Node::Leaf(leaves.len()));
            leaves.push((total, count));
            continue;
        };
        // Put the node's rows in the split feature's order: the left child is the first `pos`.
        x.sort(split.feature, &rows[start..end], &mut sorted);
        for (slot, row) in rows[start..end].iter_mut().zip(sorted.rows()) {
            *slot = row;
        }
        let middle = start + split.pos;
        let (n_left, n_right) = (split.pos, end - middle);
        let left = target.stats(&rows[start..middle]);
        let (impurity_left, impurity_right) = target.children_impurity(&left, &total, n_left, n_right);
        // scikit-learn's weighted impurity decrease; it is never below zero but for rounding,
        // which scikit-learn tolerates up to EPSILON.
        let improvement = count as f64 / n as f64
            * (impurity
                - n_right as f64 / count as f64 * impurity_right
                - n_left as f64 / count as f64 * impurity_left);
        if improvement + EPSILON < 0.0 {
            nodes.push(Node::Leaf(leaves.len()));
            leaves.push((total, count));
            continue;
        }
        nodes.push(Node::Split {
            feature: split.feature,
            threshold: split.threshold,
            left: 0,
            right: 0,
            missing_left: n_left > n_right,
        });
        // The right child is pushed first so the left one is grown first: preorder, and the
        // generator is drawn from in scikit-learn's node order.
        let child =
            |start, end| Pending { start, end, depth: depth + 1, parent: None, known_constant: constant };
        stack.push(Pending { parent: Some((id, false)), ..child(middle, end) });
        stack.push(Pending { parent: Some((id, true)), ..child(start, middle) });
    }
    let tree = Tree { nodes, depth: deepest, leaves: leaves.len() };
    (tree, leaves)
}

/// scikit-learn's `FEATURE_THRESHOLD`: sorted float32 values no further apart than this are
/// tied (`_partitioner.pxd`).
const FEATURE_THRESHOLD: f32 = 1e-7;

/// The inputs as scikit-learn's trees see them: each value rounded to float32 (`DTYPE =
/// np.float32`) as it is read. Not copied: a float32 copy of the train matrix was a seventh
/// of the benchmark's peak memory at a million rows, and below the root a node's rows are
/// gathered in no order a column-wise copy would help.
struct Columns<'x> {
    x: ArrayView2<'x, f64>,
    width: usize,
}

impl<'x> Columns<'x> {
    fn new(x: ArrayView2<'x, f64>) -> Columns<'x> {
        Columns { x, width: x.ncols() }
    }

    /// Fills `sorted` with `rows` by `feature`.
    fn sort(&self, feature: usize, rows: &[Row], sorted: &mut Sorted) {
        let column = self.x.column(feature);
        sorted.fill(rows.iter().map(|&row| (column[row as usize] as f32, row)));
    }
}

/// A node's rows in one feature's order, ascending by value then row (so the order does not
/// depend on the sort algorithm). Each `(value, row)` is one `u64` whose integer order is
/// `f32::total_cmp`'s then the row's: the sort, most of a tree's time, compares plain
/// integers rather than a pair through a closure.
struct Sorted(Vec<u64>);

impl Sorted {
    fn fill(&mut self, pairs: impl Iterator<Item = (f32, Row)>) {
        self.0.clear();
        self.0.extend(pairs.map(|(value, row)| u64::from(ordered_bits(value)) << 32 | u64::from(row)));
        self.0.sort_unstable();
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn get(&self, pos: usize) -> (f32, Row) {
        let key = self.0[pos];
        (from_ordered_bits((key >> 32) as u32), key as Row)
    }

    fn rows(&self) -> impl Iterator<Item = Row> + '_ {
        self.0.iter().map(|&key| key as Row)
    }
}

/// `value`'s bits turned so that unsigned order is `f32::total_cmp`'s: negatives (sign bit
/// set) reversed, below every positive.
fn ordered_bits(value: f32) -> u32 {
    let bits = value.to_bits();
    if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    }
}

fn from_ordered_bits(ordered: u32) -> f32 {
    f32::from_bits(if ordered >> 31 == 1 { ordered & !(1 << 31) } else { !ordered })
}

/// Whether two sorted values count as one, as scikit-learn's `b <= a + FEATURE_THRESHOLD`
/// in float32 arithmetic.
fn tied(below: f32, above: f32) -> bool {
    above <= below + FEATURE_THRESHOLD
}

/// The split of `rows` with the largest proxy improvement, or `None` when no feature varies;
/// and how many features are now known to be constant. The features are searched in the
/// order scikit-learn draws (see `FeatureOrder` below); the loop mirrors `node_split_best`.
fn best_split<T: Target>(
    x: &Columns<'_>,
    target: &T,
    rows: &[Row],
    total: &T::Stats,
    known_constant: usize,
    order: &mut FeatureOrder,
    sorted: &mut Sorted,
) -> (Option<Split>, usize) {
    let n = rows.len();
    let n_features = order.features.len();
    let known_constant = known_constant.min(n_features);
    let mut best: Option<(f64, Split)> = None;
    let mut f_i = n_features;
    let (mut visited, mut found_constant, mut drawn_constant) = (0, 0, 0);
    let mut total_constant = known_constant;
    while f_i > total_constant && (visited < n_features || visited <= found_constant + drawn_constant) {
        visited += 1;
        let mut f_j = order.below(drawn_constant, f_i - found_constant);
        if f_j < known_constant {
            // A feature constant in an ancestor: set aside, not searched.
            order.features.swap(drawn_constant, f_j);
            drawn_constant += 1;
            continue;
        }
        f_j += found_constant;
        let feature = order.features[f_j];
        x.sort(feature, rows, sorted);
        if sorted.len() == 0 {
            break;
        }
        let (first, last) = (sorted.get(0).0, sorted.get(sorted.len() - 1).0);
        if tied(first, last) {
            // Constant within the node: remembered for the descendants.
            order.features.swap(f_j, total_constant);
            found_constant += 1;
            total_constant += 1;
            continue;
        }
        f_i -= 1;
        order.features.swap(f_i, f_j);
        let mut left = target.empty();
        for pos in 1..n {
            let (below, row) = sorted.get(pos - 1);
            target.add(&mut left, row);
            let above = sorted.get(pos).0;
            // Only a boundary between two distinct values (-0.0 and 0.0 are equal).
            if tied(below, above) || pos < MIN_SAMPLES_LEAF || n - pos < MIN_SAMPLES_LEAF {
                continue;
            }
            let proxy = target.proxy(&left, total, pos, n - pos);
            // Strictly better only: the first of equal splits stays, as in scikit-learn.
            if best.as_ref().is_none_or(|(b, _)| proxy > *b) {
                let threshold = midpoint(f64::from(below), f64::from(above));
                best = Some((proxy, Split { feature, threshold, pos }));
            }
        }
    }
    // As scikit-learn: restore the known constants' order, record the newly found ones.
    order.features[..known_constant].copy_from_slice(&order.constant[..known_constant]);
    let (features, constant) = (&order.features, &mut order.constant);
    constant[known_constant..total_constant].copy_from_slice(&features[known_constant..total_constant]);
    (best.map(|(_, split)| split), total_constant)
}

/// scikit-learn's threshold `below / 2 + above / 2` (halves first, so it cannot overflow),
/// kept in `[below, above)` so rows at `below` go left and rows at `above` go right also
/// when `above` is infinite (a midpoint of two float32 values is otherwise always between).
fn midpoint(below: f64, above: f64) -> f64 {
    let mid = below / 2.0 + above / 2.0;
    if mid >= below && mid < above {
        mid
    } else {
        below
    }
}

#[cfg(test)]
mod tests {
    use ndarray::{arr2, Array2};

    use super::*;

    // The expected values below were computed once with scikit-learn 1.9.1 (Python 3.11):
    //
    //   DecisionTreeClassifier(criterion=…, max_depth=…, min_samples_split=…, random_state=0)
    //       .fit(X, Y); then .predict_proba(Q), .predict(Q), .get_depth(), .get_n_leaves(),
    //       and the structure from tree_.feature / tree_.threshold (None where feature = -2);
    //
    // where Q is X followed by EXTRA. Each tree is the same for random_state 0..39, so no
    // split depends on scikit-learn's random order of features. X has tied measurements
    // (column 0), a one-hot 0/1 column (column 1) that the gini tree must split below the
    // root (node 2), and two identical rows of different classes ([3.5, 1, 3]).

    const X: [[f64; 3]; 20] = [
        [4.5, 0.0, 3.0],
        [4.0, 1.0, 1.0],
        [5.0, 1.0, 3.0],
        [4.0, 1.0, 3.0],
        [3.5, 1.0, 3.0],
        [1.5, 1.0, 3.0],
        [3.5, 1.0, 3.0],
        [3.5, 0.0, 2.0],
        [1.5, 0.0, 1.0],
        [3.0, 1.0, 3.0],
        [2.0, 1.0, 0.0],
        [4.0, 0.0, 2.0],
        [1.0, 0.0, 2.0],
        [2.5, 0.0, 2.0],
        [1.0, 0.0, 2.0],
        [3.5, 0.0, 3.0],
        [2.5, 0.0, 2.0],
        [2.5, 1.0, 2.0],
        [2.5, 1.0, 1.0],
        [3.5, 1.0, 2.0],
    ];
    const Y: [usize; 20] = [1, 2, 2, 2, 2, 0, 0, 1, 0, 2, 0, 1, 0, 1, 0, 1, 1, 2, 2, 2];
    /// Rows beyond the training range, on thresholds (2.25 goes left) and between one-hot values.
    const EXTRA: [[f64; 3]; 6] = [
        [-1.0, 0.0, 0.0],
        [2.25, 1.0, 1.5],
        [2.25, 0.0, 1.5],
        [6.0, 1.0, 3.0],
        [6.0, 0.0, 0.0],
        [3.0, 0.5, 2.0],
    ];

    type Structure = &'static [Option<(usize, f64)>];

    struct Case {
        params: TreeParams,
        depth: usize,
        leaves: usize,
        structure: Structure,
        labels: &'static [usize],
        proba: &'static [[f64; 3]],
    }

    const A: [f64; 3] = [1.0, 0.0, 0.0];
    const B: [f64; 3] = [0.0, 1.0, 0.0];
    const C: [f64; 3] = [0.0, 0.0, 1.0];
    const HALF: [f64; 3] = [0.5, 0.0, 0.5];
    const NINTH: [f64; 3] = [0.1111111111111111, 0.0, 0.8888888888888888];
    const FIFTH: [f64; 3] = [0.2, 0.0, 0.8];
    const STUMP_RIGHT: [f64; 3] = [0.06666666666666667, 0.4, 0.5333333333333333];

    fn params(max_depth: Option<usize>, min_samples_split: usize, criterion: Criterion) -> TreeParams {
        TreeParams { max_depth, min_samples_split, criterion }
    }

    fn cases() -> Vec<Case> {
        use Criterion::{Entropy, Gini};
        vec![
            // DecisionTreeClassifier(random_state=0)
            Case {
                params: params(None, 2, Gini),
                depth: 5,
                leaves: 6,
                structure: &[
                    Some((0, 2.25)),
                    None,
                    Some((1, 0.5)),
                    None,
                    Some((2, 2.5)),
                    None,
                    Some((0, 3.75)),
                    Some((0, 3.25)),
                    None,
                    None,
                    None,
                ],
                labels: &[1, 2, 2, 2, 0, 0, 0, 1, 0, 2, 0, 1, 0, 1, 0, 1, 1, 2, 2, 2, 0, 0, 0, 2, 1, 1],
                proba: &[B, C, C, C, HALF, A, HALF, B, A, C, A, B, A, B, A, B, B, C, C, C, A, A, A, C, B, B],
            },
            // DecisionTreeClassifier(criterion='entropy', random_state=0)
            Case {
                params: params(None, 2, Entropy),
                depth: 5,
                leaves: 7,
                structure: &[
                    Some((1, 0.5)),
                    Some((0, 2.0)),
                    None,
                    None,
                    Some((0, 2.25)),
                    None,
                    Some((2, 2.5)),
                    None,
                    Some((0, 3.75)),
                    Some((0, 3.25)),
                    None,
                    None,
                    None,
                ],
                labels: &[1, 2, 2, 2, 0, 0, 0, 1, 0, 2, 0, 1, 0, 1, 0, 1, 1, 2, 2, 2, 0, 0, 1, 2, 1, 1],
                proba: &[B, C, C, C, HALF, A, HALF, B, A, C, A, B, A, B, A, B, B, C, C, C, A, A, B, C, B, B],
            },
            // DecisionTreeClassifier(max_depth=2, random_state=0): the left child of the
            // root is pure, so it is a leaf at depth 1.
            Case {
                params: params(Some(2), 2, Gini),
                depth: 2,
                leaves: 3,
                structure: &[Some((0, 2.25)), None, Some((1, 0.5)), None, None],
                labels: &[1, 2, 2, 2, 2, 0, 2, 1, 0, 2, 0, 1, 0, 1, 0, 1, 1, 2, 2, 2, 0, 0, 0, 2, 1, 1],
                proba: &[
                    B, NINTH, NINTH, NINTH, NINTH, A, NINTH, B, A, NINTH, A, B, A, B, A, B, B, NINTH, NINTH,
                    NINTH, A, A, A, NINTH, B, B,
                ],
            },
            // DecisionTreeClassifier(max_depth=2, criterion='entropy', random_state=0)
            Case {
                params: params(Some(2), 2, Entropy),
                depth: 2,
                leaves: 4,
                structure: &[Some((1, 0.5)), Some((0, 2.0)), None, None, Some((0, 2.25)), None, None],
                labels: &[1, 2, 2, 2, 2, 0, 2, 1, 0, 2, 0, 1, 0, 1, 0, 1, 1, 2, 2, 2, 0, 0, 1, 2, 1, 1],
                proba: &[
                    B, NINTH, NINTH, NINTH, NINTH, A, NINTH, B, A, NINTH, A, B, A, B, A, B, B, NINTH, NINTH,
                    NINTH, A, A, B, NINTH, B, B,
                ],
            },
            // DecisionTreeClassifier(max_depth=1, random_state=0): a stump.
            Case {
                params: params(Some(1), 2, Gini),
                depth: 1,
                leaves: 2,
                structure: &[Some((0, 2.25)), None, None],
                labels: &[2, 2, 2, 2, 2, 0, 2, 2, 0, 2, 0, 2, 0, 2, 0, 2, 2, 2, 2, 2, 0, 0, 0, 2, 2, 2],
                proba: &[
                    STUMP_RIGHT,
                    STUMP_RIGHT,
                    STUMP_RIGHT,
                    STUMP_RIGHT,
                    STUMP_RIGHT,
                    A,
                    STUMP_RIGHT,
                    STUMP_RIGHT,
                    A,
                    STUMP_RIGHT,
                    A,
                    STUMP_RIGHT,
                    A,
                    STUMP_RIGHT,
                    A,
                    STUMP_RIGHT,
                    STUMP_RIGHT,
                    STUMP_RIGHT,
                    STUMP_RIGHT,
                    STUMP_RIGHT,
                    A,
                    A,
                    A,
                    STUMP_RIGHT,
                    STUMP_RIGHT,
                    STUMP_RIGHT,
                ],
            },
            // DecisionTreeClassifier(min_samples_split=6, random_state=0)
            Case {
                params: params(None, 6, Gini),
                depth: 3,
                leaves: 4,
                structure: &[Some((0, 2.25)), None, Some((1, 0.5)), None, Some((2, 2.5)), None, None],
                labels: &[1, 2, 2, 2, 2, 0, 2, 1, 0, 2, 0, 1, 0, 1, 0, 1, 1, 2, 2, 2, 0, 0, 0, 2, 1, 1],
                proba: &[
                    B, C, FIFTH, FIFTH, FIFTH, A, FIFTH, B, A, FIFTH, A, B, A, B, A, B, B, C, C, C, A, A, A,
                    FIFTH, B, B,
                ],
            },
            // DecisionTreeClassifier(min_samples_split=6, criterion='entropy', random_state=0)
            Case {
                params: params(None, 6, Entropy),
                depth: 3,
                leaves: 5,
                structure: &[
                    Some((1, 0.5)),
                    Some((0, 2.0)),
                    None,
                    None,
                    Some((0, 2.25)),
                    None,
                    Some((2, 2.5)),
                    None,
                    None,
                ],
                labels: &[1, 2, 2, 2, 2, 0, 2, 1, 0, 2, 0, 1, 0, 1, 0, 1, 1, 2, 2, 2, 0, 0, 1, 2, 1, 1],
                proba: &[
                    B, C, FIFTH, FIFTH, FIFTH, A, FIFTH, B, A, FIFTH, A, B, A, B, A, B, B, C, C, C, A, A, B,
                    FIFTH, B, B,
                ],
            },
        ]
    }

    fn train() -> Array2<f64> {
        arr2(&X)
    }

    fn queries() -> Array2<f64> {
        let mut q = arr2(&X);
        for row in EXTRA {
            q.push_row(ndarray::ArrayView1::from(&row)).unwrap();
        }
        q
    }

    #[test]
    fn classification_matches_scikit_learn() {
        let (x, q) = (train(), queries());
        for case in cases() {
            let tree = ClassificationTree::fit(x.view(), &Y, 3, &case.params).unwrap();
            let name = format!("{:?}", case.params);
            assert_eq!(tree.tree.structure(), case.structure, "{name}");
            assert_eq!((tree.depth(), tree.leaves()), (case.depth, case.leaves), "{name}");
            assert_eq!(tree.predict(q.view()), case.labels, "{name}");
            let expected = Array2::from_shape_fn((case.proba.len(), 3), |(i, j)| case.proba[i][j]);
            // Both compute count / n in f64, so the probabilities are bit for bit the same.
            assert_eq!(tree.predict_proba(q.view()), expected, "{name}");
        }
    }

    #[test]
    fn one_hot_column_is_split_below_the_root() {
        // The case linfa-trees 0.8.1 missed: within the node x0 > 2.25 the one-hot column
        // separates class 1 (x1 = 0) from class 2 (x1 = 1).
        let tree =
            ClassificationTree::fit(train().view(), &Y, 3, &params(Some(2), 2, Criterion::Gini)).unwrap();
        assert_eq!(tree.tree.structure()[2], Some((1, 0.5)));
        let p = tree.predict_proba(arr2(&[[3.0, 0.0, 2.0], [3.0, 1.0, 2.0]]).view());
        assert_eq!(p, arr2(&[B, NINTH]));
    }

    #[test]
    fn identical_rows_of_different_classes_make_a_mixed_leaf_and_ties_go_to_the_lower_class() {
        // Rows 4 and 6 are both [3.5, 1, 3] with classes 2 and 0: no feature can separate
        // them, so the full tree keeps a leaf [0.5, 0, 0.5]; argmax takes class 0.
        let tree = ClassificationTree::fit(train().view(), &Y, 3, &TreeParams::default()).unwrap();
        let row = arr2(&[[3.5, 1.0, 3.0]]);
        assert_eq!(tree.predict_proba(row.view()), arr2(&[HALF]));
        assert_eq!(tree.predict(row.view()), vec![0]);
    }

    #[test]
    fn a_pure_node_is_a_leaf() {
        let x = arr2(&[[1.0, 5.0], [2.0, 3.0], [3.0, 1.0]]);
        let tree = ClassificationTree::fit(x.view(), &[1, 1, 1], 2, &TreeParams::default()).unwrap();
        assert_eq!((tree.depth(), tree.leaves()), (0, 1));
        assert_eq!(tree.predict_proba(x.view()), arr2(&[[0.0, 1.0], [0.0, 1.0], [0.0, 1.0]]));
        let tree = RegressionTree::fit(x.view(), &[2.5, 2.5, 2.5], &TreeParams::default()).unwrap();
        assert_eq!((tree.depth(), tree.leaves()), (0, 1));
        assert_eq!(tree.predict(x.view()), vec![2.5; 3]);
    }

    #[test]
    fn min_samples_split_above_the_row_count_leaves_the_root_a_leaf() {
        // DecisionTreeClassifier(min_samples_split=21, random_state=0) on X, Y: one leaf with
        // the class frequencies 6/20, 6/20, 8/20.
        let tree =
            ClassificationTree::fit(train().view(), &Y, 3, &params(None, 21, Criterion::Gini)).unwrap();
        assert_eq!((tree.depth(), tree.leaves()), (0, 1));
        assert_eq!(tree.predict_proba(arr2(&[[0.0, 0.0, 0.0]]).view()), arr2(&[[0.3, 0.3, 0.4]]));
        assert_eq!(tree.predict(arr2(&[[0.0, 0.0, 0.0]]).view()), vec![2]);
    }

    #[test]
    fn a_split_without_impurity_decrease_is_taken_as_in_scikit_learn() {
        // XOR: no single split lowers the gini impurity, yet scikit-learn splits and reaches
        // pure leaves one level down. DecisionTreeClassifier(random_state=0).fit(X, y) on
        // these 8 rows: depth 2, 4 leaves, every row right, tree_.feature [1, 0, -2, -2, 0,
        // -2, -2] with thresholds 0.5 (both features tie at the root: the draw picks 1);
        // with max_depth=1, 2 leaves of [0.5, 0.5].
        let x = arr2(&[
            [0.0, 0.0],
            [0.0, 1.0],
            [1.0, 0.0],
            [1.0, 1.0],
            [0.0, 0.0],
            [0.0, 1.0],
            [1.0, 0.0],
            [1.0, 1.0],
        ]);
        let y = [0, 1, 1, 0, 0, 1, 1, 0];
        let tree = ClassificationTree::fit(x.view(), &y, 2, &TreeParams::default()).unwrap();
        assert_eq!((tree.depth(), tree.leaves()), (2, 4));
        assert_eq!(
            tree.tree.structure(),
            [Some((1, 0.5)), Some((0, 0.5)), None, None, Some((0, 0.5)), None, None]
        );
        assert_eq!(tree.predict(x.view()), y);
        let stump = ClassificationTree::fit(x.view(), &y, 2, &params(Some(1), 2, Criterion::Gini)).unwrap();
        assert_eq!((stump.depth(), stump.leaves()), (1, 2));
        assert_eq!(stump.predict_proba(x.view()), Array2::from_elem((8, 2), 0.5));
        assert_eq!(stump.predict(x.view()), vec![0; 8]);
    }

    #[test]
    fn equal_splits_are_broken_as_scikit_learn_breaks_them_with_random_state_0() {
        // Binary and three-level columns with many equally good splits: across random_state
        // 0..29 scikit-learn 1.9.1 grows 6 different trees that predict 6 different ways on
        // the grid below. DecisionTreeClassifier(criterion=…, random_state=0).fit(X, y) gives
        // this one for gini and entropy alike (tree_.feature / tree_.threshold), and
        // .predict(grid) as below; features constant in a node are set aside as scikit-learn
        // does, which shifts its later draws.
        let x = arr2(&[
            [0.0, 0.0, 0.0, 1.0],
            [0.0, 1.0, 0.0, 0.0],
            [0.0, 1.0, 0.0, 1.0],
            [1.0, 1.0, 2.0, 1.0],
            [0.0, 1.0, 2.0, 1.0],
            [0.0, 0.0, 0.0, 0.0],
            [1.0, 0.0, 1.0, 0.0],
            [0.0, 0.0, 0.0, 0.0],
            [1.0, 0.0, 1.0, 1.0],
            [1.0, 1.0, 2.0, 0.0],
            [0.0, 0.0, 1.0, 0.0],
            [0.0, 0.0, 0.0, 0.0],
            [1.0, 0.0, 0.0, 0.0],
            [0.0, 1.0, 1.0, 1.0],
            [0.0, 0.0, 0.0, 1.0],
            [1.0, 0.0, 1.0, 0.0],
        ]);
        let y = [0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0];
        // [a, b, c, d] for a in (0, 1) for b in (0, 1) for c in (0, 1, 2) for d in (0, 1).
        let mut grid = Vec::new();
        for a in 0..2 {
            for b in 0..2 {
                for c in 0..3 {
                    for d in 0..2 {
                        grid.extend([a, b, c, d].map(f64::from));
                    }
                }
            }
        }
        let grid = Array2::from_shape_vec((24, 4), grid).unwrap();
        for criterion in [Criterion::Gini, Criterion::Entropy] {
            let tree = ClassificationTree::fit(x.view(), &y, 2, &params(None, 2, criterion)).unwrap();
            assert_eq!((tree.depth(), tree.leaves()), (3, 6));
            assert_eq!(
                tree.tree.structure(),
                [
                    Some((1, 0.5)),
                    Some((3, 0.5)),
                    None,
                    Some((2, 0.5)),
                    None,
                    None,
                    Some((3, 0.5)),
                    Some((2, 1.0)),
                    None,
                    None,
                    None,
                ],
                "{criterion:?}"
            );
            assert_eq!(
                tree.predict(grid.view()),
                [0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1],
                "{criterion:?}"
            );
        }
    }

    #[test]
    fn packed_pairs_sort_as_values_by_total_order_then_rows() {
        let values = [3.5, -0.0, 0.0, -2.0, f32::INFINITY, f32::NEG_INFINITY, 1e-30, -1e-30, 3.5, -2.0];
        let pairs: Vec<(f32, Row)> = values.iter().zip(0..).map(|(&v, r)| (v, r)).collect();
        let mut sorted = Sorted(Vec::new());
        sorted.fill(pairs.iter().copied());
        let mut expected = pairs.clone();
        expected.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let got: Vec<(f32, Row)> = (0..sorted.len()).map(|pos| sorted.get(pos)).collect();
        assert_eq!(
            got.iter().map(|(v, r)| (v.to_bits(), *r)).collect::<Vec<_>>(),
            expected.iter().map(|(v, r)| (v.to_bits(), *r)).collect::<Vec<_>>()
        );
        assert_eq!(sorted.rows().collect::<Vec<_>>(), expected.iter().map(|p| p.1).collect::<Vec<_>>());
    }

    #[test]
    fn the_generator_is_scikit_learns_xorshift() {
        // our_rand_r from sklearn/utils/_random.pxd, by hand: a zero state becomes 1, and
        // 1 → 1 ^ 1 << 13 = 8193 → 8193 ^ 8193 >> 17 = 8193 → 8193 ^ 8193 << 5 = 270369.
        let mut order = FeatureOrder::new(3);
        order.state = 0;
        assert_eq!(order.next(), 270_369);
        assert_eq!(order.state, 270_369);
        // Results are below 2^31 and rand_int stays in [low, high).
        order.state = u32::MAX;
        assert!(order.next() < 0x8000_0000);
        for _ in 0..1000 {
            assert!((2..5).contains(&order.below(2, 5)));
        }
    }

    // DecisionTreeRegressor(max_depth=…, min_samples_split=…, random_state=0).fit(RX, RY),
    // then .predict(RX followed by REXTRA), .get_depth(), .get_n_leaves() and the structure,
    // with scikit-learn 1.9.1; each tree is the same for random_state 0..39. The means agree
    // to 1e-12: the sums are added in another order.
    const RX: [[f64; 2]; 14] = [
        [1.0, 0.0],
        [1.0, 1.0],
        [2.0, 0.0],
        [2.0, 1.0],
        [3.0, 1.0],
        [3.0, 0.0],
        [4.5, 1.0],
        [4.5, 0.0],
        [4.5, 1.0],
        [6.0, 0.0],
        [7.0, 1.0],
        [7.0, 0.0],
        [8.0, 0.0],
        [9.5, 1.0],
    ];
    const RY: [f64; 14] = [1.2, 1.4, 1.1, 2.9, 3.1, 0.6, 5.0, 4.2, 5.0, 7.5, 8.1, 6.3, 7.0, 9.9];
    const REXTRA: [[f64; 2]; 6] = [[0.0, 0.0], [1.5, 0.5], [2.5, 1.0], [5.25, 0.0], [10.0, 1.0], [7.5, 0.0]];

    struct RegCase {
        max_depth: Option<usize>,
        min_samples_split: usize,
        depth: usize,
        leaves: usize,
        structure: Structure,
        predictions: &'static [f64],
    }

    fn regression_cases() -> Vec<RegCase> {
        vec![
            // DecisionTreeRegressor(random_state=0)
            RegCase {
                max_depth: None,
                min_samples_split: 2,
                depth: 6,
                leaves: 13,
                structure: &[
                    Some((0, 3.75)),
                    Some((1, 0.5)),
                    Some((0, 2.5)),
                    Some((0, 1.5)),
                    None,
                    None,
                    None,
                    Some((0, 1.5)),
                    None,
                    Some((0, 2.5)),
                    None,
                    None,
                    Some((0, 5.25)),
                    Some((1, 0.5)),
                    None,
                    None,
                    Some((0, 8.75)),
                    Some((1, 0.5)),
                    Some((0, 6.5)),
                    None,
                    Some((0, 7.5)),
                    None,
                    None,
                    None,
                    None,
                ],
                predictions: &[
                    1.2, 1.4, 1.1, 2.9, 3.1, 0.6, 5.0, 4.2, 5.0, 7.5, 8.1, 6.3, 7.0, 9.9, 1.2, 1.2, 2.9, 4.2,
                    9.9, 6.3,
                ],
            },
            // DecisionTreeRegressor(max_depth=1, random_state=0)
            RegCase {
                max_depth: Some(1),
                min_samples_split: 2,
                depth: 1,
                leaves: 2,
                structure: &[Some((0, 3.75)), None, None],
                predictions: &[
                    1.7166666666666666,
                    1.7166666666666666,
                    1.7166666666666666,
                    1.7166666666666666,
                    1.7166666666666666,
                    1.7166666666666666,
                    6.625,
                    6.625,
                    6.625,
                    6.625,
                    6.625,
                    6.625,
                    6.625,
                    6.625,
                    1.7166666666666666,
                    1.7166666666666666,
                    1.7166666666666666,
                    6.625,
                    6.625,
                    6.625,
                ],
            },
            // DecisionTreeRegressor(max_depth=2, random_state=0)
            RegCase {
                max_depth: Some(2),
                min_samples_split: 2,
                depth: 2,
                leaves: 4,
                structure: &[Some((0, 3.75)), Some((1, 0.5)), None, None, Some((0, 5.25)), None, None],
                predictions: &[
                    0.9666666666666667,
                    2.466666666666667,
                    0.9666666666666667,
                    2.466666666666667,
                    2.466666666666667,
                    0.9666666666666667,
                    4.733333333333333,
                    4.733333333333333,
                    4.733333333333333,
                    7.76,
                    7.76,
                    7.76,
                    7.76,
                    7.76,
                    0.9666666666666667,
                    0.9666666666666667,
                    2.466666666666667,
                    4.733333333333333,
                    7.76,
                    7.76,
                ],
            },
            // DecisionTreeRegressor(max_depth=3, random_state=0)
            RegCase {
                max_depth: Some(3),
                min_samples_split: 2,
                depth: 3,
                leaves: 8,
                structure: &[
                    Some((0, 3.75)),
                    Some((1, 0.5)),
                    Some((0, 2.5)),
                    None,
                    None,
                    Some((0, 1.5)),
                    None,
                    None,
                    Some((0, 5.25)),
                    Some((1, 0.5)),
                    None,
                    None,
                    Some((0, 8.75)),
                    None,
                    None,
                ],
                predictions: &[
                    1.15, 1.4, 1.15, 3.0, 3.0, 0.6, 5.0, 4.2, 5.0, 7.225, 7.225, 7.225, 7.225, 9.9, 1.15,
                    1.15, 3.0, 4.2, 9.9, 7.225,
                ],
            },
            // DecisionTreeRegressor(min_samples_split=5, random_state=0)
            RegCase {
                max_depth: None,
                min_samples_split: 5,
                depth: 3,
                leaves: 5,
                structure: &[
                    Some((0, 3.75)),
                    Some((1, 0.5)),
                    None,
                    None,
                    Some((0, 5.25)),
                    None,
                    Some((0, 8.75)),
                    None,
                    None,
                ],
                predictions: &[
                    0.9666666666666667,
                    2.466666666666667,
                    0.9666666666666667,
                    2.466666666666667,
                    2.466666666666667,
                    0.9666666666666667,
                    4.733333333333333,
                    4.733333333333333,
                    4.733333333333333,
                    7.225,
                    7.225,
                    7.225,
                    7.225,
                    9.9,
                    0.9666666666666667,
                    0.9666666666666667,
                    2.466666666666667,
                    4.733333333333333,
                    9.9,
                    7.225,
                ],
            },
        ]
    }

    #[test]
    fn regression_matches_scikit_learn() {
        let x = arr2(&RX);
        let mut q = arr2(&RX);
        for row in REXTRA {
            q.push_row(ndarray::ArrayView1::from(&row)).unwrap();
        }
        for case in regression_cases() {
            let p = params(case.max_depth, case.min_samples_split, Criterion::Gini);
            let tree = RegressionTree::fit(x.view(), &RY, &p).unwrap();
            assert_eq!(tree.tree.structure(), case.structure, "{p:?}");
            assert_eq!((tree.depth(), tree.leaves()), (case.depth, case.leaves), "{p:?}");
            let predicted = tree.predict(q.view());
            assert_eq!(predicted.len(), case.predictions.len());
            for (got, want) in predicted.iter().zip(case.predictions) {
                assert!((got - want).abs() < 1e-12, "{p:?}: {got} against {want}");
            }
        }
    }

    #[test]
    fn inputs_are_seen_in_float32_as_scikit_learn_sees_them() {
        // DecisionTreeClassifier(random_state=0).fit(X, y) with scikit-learn 1.9.1:
        // 5e-8 and 0.0 are within FEATURE_THRESHOLD (1e-7), 1.0 + 1e-9 is 1.0 in float32, so
        // both pairs are tied and become mixed leaves; 4.0 and the next float32 up are apart.
        // tree_.threshold [4.000000238418579, 2.5, 0.5000000250000003] (the last from the
        // float32 value of 5e-8), depth 3, 4 leaves.
        let next = f64::from(f32::from_bits(4.0f32.to_bits() + 1));
        let x = arr2(&[[0.0], [5e-8], [1.0], [1.0 + 1e-9], [4.0], [next]]);
        let y = [0, 1, 0, 1, 0, 1];
        let tree = ClassificationTree::fit(x.view(), &y, 2, &TreeParams::default()).unwrap();
        assert_eq!((tree.depth(), tree.leaves()), (3, 4));
        assert_eq!(
            tree.tree.structure(),
            [
                Some((0, 4.000000238418579)),
                Some((0, 2.5)),
                Some((0, 0.5000000250000003)),
                None,
                None,
                None,
                None
            ]
        );
        let q = arr2(&[[0.0], [5e-8], [1.0], [1.0 + 1e-9], [4.0], [4.0000004], [4.0000003], [4.0000001]]);
        let half = [0.5, 0.5];
        let expected = arr2(&[half, half, half, half, [1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0]]);
        assert_eq!(tree.predict_proba(q.view()), expected);

        // A prediction compares the float32 value: trained on 4.0 and 4.0 + 2 ulp (float32),
        // the threshold is 4.0 + 1 ulp = 4.000000476837158; 4.0 + 1.3 ulp is above it in f64
        // but rounds to it in float32, so it goes left, as scikit-learn predicts [0, 1] for
        // [4.0 + 1.3 ulp, 4.0 + 1.6 ulp].
        let ulp = 4.76837158203125e-7;
        let x = arr2(&[[4.0], [4.0 + 2.0 * ulp]]);
        let tree = ClassificationTree::fit(x.view(), &[0, 1], 2, &TreeParams::default()).unwrap();
        assert_eq!(tree.tree.structure(), [Some((0, 4.000000476837158)), None, None]);
        assert_eq!(tree.predict(arr2(&[[4.0 + 1.3 * ulp], [4.0 + 1.6 * ulp]]).view()), vec![0, 1]);
    }

    #[test]
    fn a_chain_thousands_of_levels_deep_is_grown_and_read_without_recursion() {
        // Alternating classes along one feature: DecisionTreeClassifier(random_state=0) on
        // x = 0..2000, y = x % 2 grows a chain of depth 1999 with 2000 leaves.
        let n = 2000;
        let x = Array2::from_shape_fn((n, 1), |(i, _)| i as f64);
        let y: Vec<usize> = (0..n).map(|i| i % 2).collect();
        let tree = ClassificationTree::fit(x.view(), &y, 2, &TreeParams::default()).unwrap();
        assert_eq!((tree.depth(), tree.leaves()), (n - 1, n));
        assert_eq!(tree.predict(x.view()), y);
        // A thread with a small stack: a recursive walk of this chain would overflow it.
        std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || {
                assert_eq!(tree.predict(x.view()), y);
                drop(tree);
            })
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn a_hundred_thousand_rows_train_quickly_and_deterministically() {
        // A fixed pseudo-random sample (SplitMix64-style), so the test needs no crate.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) as f64 / u64::MAX as f64
        };
        let n = 100_000;
        let x = Array2::from_shape_fn((n, 3), |(_, j)| if j == 2 { (next() * 2.0).floor() } else { next() });
        let y: Vec<usize> = x
            .rows()
            .into_iter()
            .map(|r| usize::from(r[0] + 0.3 * r[2] > 0.8) + usize::from(r[1] > 0.5))
            .collect();
        let p = params(Some(8), 2, Criterion::Gini);
        let a = ClassificationTree::fit(x.view(), &y, 3, &p).unwrap();
        let b = ClassificationTree::fit(x.view(), &y, 3, &p).unwrap();
        assert_eq!(a, b);
        assert!(a.depth() <= 8);
        let correct = a.predict(x.view()).iter().zip(&y).filter(|(p, t)| p == t).count();
        assert!(correct as f64 / n as f64 > 0.99, "{correct} of {n}");
    }

    #[test]
    fn inputs_that_cannot_be_trained_on_are_errors_not_panics() {
        let x = arr2(&[[1.0], [2.0]]);
        let p = TreeParams::default();
        assert!(ClassificationTree::fit(x.view(), &[0], 2, &p).is_err());
        assert!(ClassificationTree::fit(x.view(), &[0, 2], 2, &p).is_err());
        assert!(ClassificationTree::fit(Array2::<f64>::zeros((0, 1)).view(), &[], 2, &p).is_err());
        assert!(ClassificationTree::fit(arr2(&[[f64::NAN], [1.0]]).view(), &[0, 1], 2, &p).is_err());
        assert!(RegressionTree::fit(x.view(), &[1.0, f64::INFINITY], &p).is_err());
        assert!(RegressionTree::fit(x.view(), &[1.0], &p).is_err());
    }

    #[test]
    fn odd_shapes_and_values_do_not_panic() {
        let p = TreeParams::default();
        // No features: one leaf.
        let none = Array2::<f64>::zeros((3, 0));
        let tree = ClassificationTree::fit(none.view(), &[0, 1, 1], 2, &p).unwrap();
        assert_eq!(tree.leaves(), 1);
        assert_eq!(tree.predict(none.view()), vec![1; 3]);
        // Infinite inputs (and finite ones beyond float32, which become infinite) split at a
        // threshold each side respects, also when the midpoint is infinite.
        for (column, y) in [
            ([1.0, 2.0, f64::INFINITY], [0, 0, 1]),
            ([1.0, 2.0, f64::MAX], [0, 0, 1]),
            ([f64::NEG_INFINITY, 1.0, 2.0], [1, 0, 0]),
        ] {
            let x = Array2::from_shape_vec((3, 1), column.to_vec()).unwrap();
            let tree = ClassificationTree::fit(x.view(), &y, 2, &p).unwrap();
            assert_eq!(tree.predict(x.view()), y, "{column:?}");
        }
        // Fewer columns at prediction than in training: the missing one goes the larger way.
        let wide = arr2(&[[0.0, 0.0], [0.0, 1.0], [0.0, 2.0]]);
        let tree = ClassificationTree::fit(wide.view(), &[0, 1, 1], 2, &p).unwrap();
        assert_eq!(tree.predict(arr2(&[[0.0]]).view()), vec![1]);
        // A transposed (column-major) view trains as the same matrix.
        let t = arr2(&[[1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 0.0, 1.0]]);
        let a = RegressionTree::fit(t.t(), &[1.0, 2.0, 3.0, 4.0], &p).unwrap();
        let b = RegressionTree::fit(t.t().to_owned().view(), &[1.0, 2.0, 3.0, 4.0], &p).unwrap();
        assert_eq!(a, b);
    }
}
