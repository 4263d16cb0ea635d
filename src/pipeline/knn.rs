//! The k nearest train rows of each query row, by Euclidean distance: a k-d tree in low
//! dimensions, a scan of every train row by blocks of matrix products in high ones, chosen
//! as scikit-learn's `KNeighborsClassifier(algorithm="auto")` chooses.
//!
//! # Which search
//!
//! scikit-learn 1.9.1 (`sklearn/neighbors/_base.py`) searches by brute force when there are
//! more than 15 inputs or k is at least half the train rows, else with a k-d tree: a tree
//! prunes well in few dimensions and barely in many, where it visits most leaves and pays
//! for the traversal. [`Neighbours`] follows the same rule ([`Neighbours::method`]), and also
//! scans when a train value is not finite (a box cannot bound NaN) or the rows fit in a leaf.
//!
//! - The k-d tree (`KdTree`, written for this crate after scikit-learn's `KDTree`
//!   design): leaves of at most 32 rows (scikit-learn's `leaf_size` is 30), each node split
//!   at the median of its widest input and bounded by its rows' box. A query goes down its
//!   own side of each split first and skips a node whose box is farther than its k-th
//!   nearest so far. Queries run in the order of the leaves they fall in, so one search
//!   finds in the cache the rows the last one read; a leaf stores its rows four side by
//!   side, input by input, so four distances are summed at once.
//! - The scan (`Rows`): a block of 256 queries against a run of 256 train rows at a time.
//!   One matrix product (matrixmultiply's, vectorised) gives |q|² − 2 q·t + |t|² for the
//!   whole block. That form rounds differently from a distance summed input by input, so
//!   it only passes over rows that a bound on the rounding proves farther than the k-th
//!   nearest so far; the few others have their distance computed as the tree computes it.
//!   A query with a NaN or an infinite input, and rows with one, are compared a distance
//!   at a time.
//!
//! # Equal distances
//!
//! Every search computes a distance the same way (the squared differences summed input by
//! input, in order), and the k nearest are the k smallest (distance, train row) pairs: equal
//! distances are ordered by train row, whatever the search. scikit-learn's brute force keeps
//! the lowest rows too (its heap admits a row only when strictly nearer, rows in order), but
//! its k-d tree keeps the rows its traversal meets first, so when the k-th and the next
//! distance are exactly equal the two may keep different, equally near rows: on iris's
//! unscaled measurements, 6 of the 150 rows' 5 nearest differ so, and none of their votes.
//! On the bundled data sets (as `scripts/compare_sklearn.py` prepares them; `bench_knn.py
//! --bundled` compares each row) and on the generated files below, every prediction equals
//! scikit-learn's.
//!
//! # Measured
//!
//! Fit and predict on generated data (`src/synth.rs`, standard normal inputs;
//! `scripts/bench_knn.py`, which splits 80/20 and standardises as the benchmark does),
//! k = 5, one thread, on a two-core AMD EPYC shared with other work (load 2–3). "Before" is
//! the brute force this module had: one distance per train row and query, then a selection
//! of the k smallest.
//!
//! | rows | inputs | here | before | scikit-learn 1.9.1 `auto` | scikit-learn brute force |
//! |---:|---:|---:|---:|---:|---:|
//! | 10,000 | 10 | 43 ms (tree) | 147 ms | 149 ms (k-d tree) | 44 ms |
//! | 100,000 | 10 | 1.45 s (tree) | 14.7 s | 7.08 s (k-d tree) | 4.11 s |
//! | 10,000 | 30 | 46 ms (scan) | 339 ms | 60 ms (brute force) | the same |
//! | 100,000 | 30 | 4.29 s (scan) | 39.7 s | 5.77 s (brute force) | the same |
//!
//! The predictions equal scikit-learn's on every test row of the four files. With ten
//! inputs the scan alone takes 25 ms and 2.18 s: the tree loses at 10,000 rows but its lead
//! grows with the rows, and scikit-learn's rule is kept rather than one tuned to this
//! machine (in the browser the matrix product is not vectorised). The tree's leaves hold 32
//! rows: 16, 24 and 48 measured within 10%.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use ndarray::linalg::general_mat_mul;
use ndarray::{ArrayView1, ArrayView2, ArrayViewMut2};

/// A k-d tree is built for at most this many inputs (scikit-learn's `algorithm="auto"` rule:
/// more than 15 features is brute force).
pub const TREE_MAX_WIDTH: usize = 15;

/// The most train rows of a leaf of the tree, and of a step of its scan. A multiple of
/// [`GROUP`].
const LEAF: usize = 32;

/// Rows of the tree stored together, input by input: their distances are computed together.
const GROUP: usize = 4;

/// Queries scanned together.
const QUERY_BLOCK: usize = 256;

/// Train rows scanned together: their products with a query block (256 × 256 numbers,
/// 512 KB) stay in the second-level cache. Larger blocks of queries spread the packing of
/// the rows for the product over more of them (64 × 512 took 15% longer at 30 inputs).
const RUN: usize = 256;

/// How a search runs, chosen by [`Neighbours::method`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    KdTree,
    Scan,
}

/// The train rows, indexed for nearest-neighbour queries.
pub struct Neighbours {
    width: usize,
    len: usize,
    index: Index,
}

enum Index {
    Tree(KdTree),
    Rows(Rows),
}

/// The train rows as they came, for a scan.
struct Rows {
    width: usize,
    len: usize,
    /// Row-major, `stride` numbers a row: its `width` values, then, when every value is
    /// finite, minus half its squared norm, for the scan by products ([`Rows::scan_products`]).
    values: Vec<f64>,
    stride: usize,
    /// The largest squared norm of a row, when every value is finite.
    largest_norm: Option<f64>,
}

/// The buffers of a scan, reused from one query block to the next.
#[derive(Default)]
struct Scratch {
    /// The query block, each row followed by a 1.
    queries: Vec<f64>,
    /// The products of the query block and a run of rows.
    products: Vec<f64>,
}

/// A k-d tree over the train rows, all finite, reordered so each node's rows are contiguous.
struct KdTree {
    width: usize,
    /// The rows in the tree's order, in groups of [`GROUP`] positions, each group stored
    /// input by input (the group's first inputs, then its second inputs, …) so its distances
    /// to a query are computed side by side. The last group is padded with zeros that are
    /// never offered.
    points: Vec<f64>,
    /// The train row at each position.
    rows: Vec<usize>,
    /// Node 0 is the root.
    nodes: Vec<Node>,
    /// Each node's bounding box: its rows' smallest then largest value of every input
    /// (`2 * width` numbers a node, in node order).
    boxes: Vec<f64>,
}

enum Node {
    /// Rows whose input `dim` is below `value` are all on the left, above it on the right.
    Split { dim: usize, value: f64, left: usize, right: usize },
    /// The rows at positions `start..end`; `start` is the first of a group.
    Leaf { start: usize, end: usize },
}

impl Neighbours {
    /// Copies the rows of `train` and builds the tree when [`TREE_MAX_WIDTH`] allows it, the
    /// values are all finite and there is more than a leaf of rows.
    pub fn new(train: ArrayView2<'_, f64>) -> Neighbours {
        let (len, width) = train.dim();
        if !(1..=TREE_MAX_WIDTH).contains(&width) || len <= LEAF || !train.iter().all(|v| v.is_finite()) {
            return Neighbours::without_tree(train);
        }
        Neighbours { width, len, index: Index::Tree(KdTree::new(train)) }
    }

    /// Copies the rows of `train` without building a tree: every search scans them.
    pub fn without_tree(train: ArrayView2<'_, f64>) -> Neighbours {
        let (len, width) = train.dim();
        // `iter` walks in logical (row-major) order whatever the memory order.
        let values: Vec<f64> = train.iter().copied().collect();
        let rows = if width > 0 && values.iter().all(|v| v.is_finite()) {
            let norms: Vec<f64> = values.chunks_exact(width).map(|row| dot(row, row)).collect();
            let largest_norm = norms.iter().fold(0.0, |a: f64, &b| a.max(b));
            let values = values
                .chunks_exact(width)
                .zip(&norms)
                .flat_map(|(row, norm)| row.iter().copied().chain([-norm / 2.0]));
            Rows { width, len, values: values.collect(), stride: width + 1, largest_norm: Some(largest_norm) }
        } else {
            Rows { width, len, values, stride: width, largest_norm: None }
        };
        Neighbours { width, len, index: Index::Rows(rows) }
    }

    /// The number of train rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no train rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How a search for `k` neighbours runs: the tree when there is one and `k` is under half
    /// the train rows (scikit-learn's rule again: a search for that many visits most leaves),
    /// else a scan.
    pub fn method(&self, k: usize) -> Method {
        match self.index {
            Index::Tree(_) if k < self.len / 2 => Method::KdTree,
            _ => Method::Scan,
        }
    }

    /// Calls `visit(i, found)` once for each row `i` of `queries`, not in row order, with its
    /// `k` nearest train rows (all of them when there are fewer) as (squared distance, train
    /// row), nearest first. Equal distances are ordered by train row, so the result does not
    /// depend on the search; a NaN distance sorts after every number. `queries` has the train
    /// rows' inputs (a model's preprocessing sees to it): another width is a bug, and panics.
    pub fn for_each_nearest(
        &self,
        queries: ArrayView2<'_, f64>,
        k: usize,
        mut visit: impl FnMut(usize, &[(f64, usize)]),
    ) {
        let width = self.width;
        assert_eq!(queries.ncols(), width, "queries have {} inputs, the train rows {width}", queries.ncols());
        let k = k.min(self.len);
        let mut query = Vec::with_capacity(width * QUERY_BLOCK);
        match (&self.index, self.method(k)) {
            (Index::Tree(tree), Method::KdTree) => {
                // Queries in the order of their leaves: the next query's search then runs over
                // the rows the last one brought into the cache.
                let mut order: Vec<(usize, usize)> =
                    queries.rows().into_iter().enumerate().map(|(i, row)| (tree.home(row), i)).collect();
                order.sort_unstable();
                let mut best = Best::new(k);
                let mut stack = Vec::new();
                for (_, i) in order {
                    query.clear();
                    query.extend(queries.row(i).iter().copied());
                    best.clear();
                    if query.iter().all(|v| v.is_finite()) {
                        tree.search(&query, &mut best, &mut stack);
                    } else {
                        // The tree's bounds assume numbers: a NaN input is compared with every row.
                        tree.scan(&query, &mut best);
                    }
                    visit(i, best.sorted());
                }
            }
            (index, _) => {
                // Fewer queries at a time when each keeps many neighbours, so the block's
                // neighbours stay within about 64 K entries (1 MB).
                let block = (65_536 / k.max(1)).clamp(1, QUERY_BLOCK);
                let mut best: Vec<Best> = (0..block).map(|_| Best::new(k)).collect();
                let mut scratch = Scratch::default();
                let n = queries.nrows();
                for first in (0..n).step_by(block) {
                    let last = (first + block).min(n);
                    query.clear();
                    for i in first..last {
                        query.extend(queries.row(i).iter().copied());
                    }
                    let best = &mut best[..last - first];
                    best.iter_mut().for_each(Best::clear);
                    match index {
                        Index::Tree(tree) => {
                            for (i, best) in best.iter_mut().enumerate() {
                                tree.scan(&query[i * width..(i + 1) * width], best);
                            }
                        }
                        Index::Rows(rows) => rows.scan(&query, best, &mut scratch),
                    }
                    for (i, best) in (first..last).zip(best.iter_mut()) {
                        visit(i, best.sorted());
                    }
                }
            }
        }
    }

    /// The `k` train rows nearest to `query`, as [`Neighbours::for_each_nearest`] finds them.
    pub fn nearest(&self, query: &[f64], k: usize) -> Vec<(f64, usize)> {
        let mut out = Vec::new();
        if let Ok(query) = ArrayView2::from_shape((1, query.len()), query) {
            self.for_each_nearest(query, k, |_, found| out.extend_from_slice(found));
        }
        out
    }
}

/// The squared Euclidean distance, summed input by input in order: every search computes
/// distances this way (four rows at a time in [`group_distances`]), so they are the same
/// numbers whichever search runs.
#[inline(always)]
fn distance(row: &[f64], query: &[f64]) -> f64 {
    let mut sum = 0.0;
    for (&t, &q) in row.iter().zip(query) {
        let diff = t - q;
        sum += diff * diff;
    }
    sum
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| a * b).sum()
}

/// Whether a row at distance `d` may enter a set whose k-th distance is `worst`: unless it is
/// farther. A NaN on either side may: [`Best::offer`] orders it.
#[inline(always)]
fn not_farther(d: f64, worst: f64) -> bool {
    d.partial_cmp(&worst) != Some(Ordering::Greater)
}

/// Offers `best` every row of `distances` that can enter, keeping its threshold at hand.
#[inline(always)]
fn offer_all(best: &mut Best, distances: &[f64], rows: impl IntoIterator<Item = usize>) {
    let mut worst = best.worst();
    for (&d, row) in distances.iter().zip(rows) {
        if not_farther(d, worst) {
            best.offer(d, row);
            worst = best.worst();
        }
    }
}

impl Rows {
    /// The values of the row at `row`.
    fn row(&self, row: usize) -> &[f64] {
        &self.values[row * self.stride..row * self.stride + self.width]
    }

    /// Offers every train row to the queries back to back in `queries`, one [`Best`] each,
    /// by products ([`Rows::scan_products`]) when the rows and queries are finite, else one
    /// distance at a time.
    fn scan(&self, queries: &[f64], best: &mut [Best], scratch: &mut Scratch) {
        match self.largest_norm {
            Some(largest) if queries.iter().all(|v| v.is_finite()) => {
                self.scan_products(queries, best, largest, scratch)
            }
            _ => self.scan_distances(queries, best),
        }
    }

    /// A run of rows at a time, every query against the run while it is in cache.
    fn scan_distances(&self, queries: &[f64], best: &mut [Best]) {
        let width = self.width;
        let mut distances = [0.0; RUN];
        for start in (0..self.len).step_by(RUN) {
            let end = (start + RUN).min(self.len);
            let distances = &mut distances[..end - start];
            for (i, best) in best.iter_mut().enumerate() {
                let query = &queries[i * width..(i + 1) * width];
                for (d, row) in distances.iter_mut().zip(start..end) {
                    *d = distance(self.row(row), query);
                }
                offer_all(best, distances, start..end);
            }
        }
    }

    /// [`Rows::scan`] by products, for finite rows and queries: |t − q|² = |t|² − 2 t·q + |q|²,
    /// where t·q − |t|²/2 for a block of queries and a run of rows is one matrix product
    /// (matrixmultiply's, vectorised; each row carries −|t|²/2, each query a 1). That form
    /// rounds differently from [`distance`], so it only decides which rows cannot be among
    /// the k nearest: a row is passed over when its distance by products exceeds the current
    /// k-th distance by more than a bound on the rounding of both; every other row has its
    /// [`distance`] computed and is offered. The result is therefore the same as the other
    /// searches', equal distances included.
    fn scan_products(&self, queries: &[f64], best: &mut [Best], largest: f64, scratch: &mut Scratch) {
        let (width, stride, count) = (self.width, self.stride, best.len());
        scratch.queries.clear();
        for query in queries.chunks_exact(width) {
            scratch.queries.extend_from_slice(query);
            scratch.queries.push(1.0);
        }
        let Ok(q) = ArrayView2::from_shape((count, stride), &scratch.queries[..]) else {
            return self.scan_distances(queries, best);
        };
        // The product form is within about 3·(width + 1)·ε/2·(|q|² + |t|²) of the exact
        // |t − q|² (the rounding of the norms and of the dot product, whatever its order of
        // sums), and a computed distance within (width + 2)·ε/2 of itself. The slack below,
        // 4·(width + 8)·ε·(|q|² + the largest |t|²), and the margin on the k-th distance cover
        // both several times over: a row passed over is strictly farther than the k-th.
        let epsilon = (width + 8) as f64 * f64::EPSILON;
        scratch.products.resize(count * RUN, 0.0);
        for start in (0..self.len).step_by(RUN) {
            let end = (start + RUN).min(self.len);
            let products = &mut scratch.products[..count * (end - start)];
            let run =
                ArrayView2::from_shape((end - start, stride), &self.values[start * stride..end * stride]);
            let out = ArrayViewMut2::from_shape((count, end - start), &mut products[..]);
            let (Ok(run), Ok(mut out)) = (run, out) else { return self.scan_distances(queries, best) };
            general_mat_mul(1.0, &q, &run.t(), 0.0, &mut out);
            for ((best, query), products) in
                best.iter_mut().zip(queries.chunks_exact(width)).zip(products.chunks_exact(end - start))
            {
                let norm = dot(query, query);
                let slack = 4.0 * epsilon * (norm + largest);
                // Row t is passed over when t·q − |t|²/2 < floor, that is when its distance by
                // products, |q|² − 2 (t·q − |t|²/2), less the slack, still exceeds the k-th
                // distance.
                let floor = |worst: f64| (norm - slack - worst * (1.0 + 4.0 * epsilon)) / 2.0;
                let mut worst = best.worst();
                let mut pass = floor(worst);
                for (row, &product) in (start..end).zip(products.iter()) {
                    // A NaN (an overflow) is not passed over.
                    if product.partial_cmp(&pass) != Some(Ordering::Less) {
                        let d = distance(self.row(row), query);
                        if not_farther(d, worst) {
                            best.offer(d, row);
                            worst = best.worst();
                            pass = floor(worst);
                        }
                    }
                }
            }
        }
    }
}

impl KdTree {
    /// Reorders the rows of `train` (all finite, at least one input) into a tree.
    fn new(train: ArrayView2<'_, f64>) -> KdTree {
        let (len, width) = train.dim();
        let flat: Vec<f64> = train.iter().copied().collect();
        let mut order: Vec<usize> = (0..len).collect();
        let mut tree =
            KdTree { width, points: Vec::new(), rows: Vec::new(), nodes: Vec::new(), boxes: Vec::new() };
        tree.build(&flat, &mut order, 0);
        let mut points = Vec::with_capacity(len.next_multiple_of(GROUP) * width);
        for group in order.chunks(GROUP) {
            for j in 0..width {
                points.extend(group.iter().map(|&row| flat[row * width + j]));
                points.extend(std::iter::repeat_n(0.0, GROUP - group.len()));
            }
        }
        tree.points = points;
        tree.rows = order;
        tree
    }

    /// Adds the node of the rows `order` of `train` (which it reorders so each child's rows
    /// are contiguous), the first of them at position `start`, and its subtree; returns its
    /// index.
    fn build(&mut self, train: &[f64], order: &mut [usize], start: usize) -> usize {
        let width = self.width;
        let node = self.nodes.len();
        self.nodes.push(Node::Leaf { start, end: start + order.len() });
        let (mut lo, mut hi) = (vec![f64::INFINITY; width], vec![f64::NEG_INFINITY; width]);
        for &row in order.iter() {
            for (j, &v) in train[row * width..(row + 1) * width].iter().enumerate() {
                lo[j] = lo[j].min(v);
                hi[j] = hi[j].max(v);
            }
        }
        self.boxes.extend_from_slice(&lo);
        self.boxes.extend_from_slice(&hi);
        if order.len() <= LEAF {
            return node;
        }
        // Split the input of widest spread at its median, by count, so duplicate rows cannot
        // unbalance the tree; rounded down to whole groups, so only the last leaf (the
        // remainder always goes right) ends inside a group.
        let dim = (0..width).max_by(|&a, &b| (hi[a] - lo[a]).total_cmp(&(hi[b] - lo[b]))).unwrap_or(0);
        let mid = order.len() / 2 / GROUP * GROUP;
        let key = |row: &usize| train[row * width + dim];
        order.select_nth_unstable_by(mid, |a, b| key(a).total_cmp(&key(b)).then(a.cmp(b)));
        let value = key(&order[mid]);
        let (left, right) = order.split_at_mut(mid);
        let left = self.build(train, left, start);
        let right = self.build(train, right, start + mid);
        self.nodes[node] = Node::Split { dim, value, left, right };
        node
    }

    /// The start of the leaf whose region holds `query`.
    fn home(&self, query: ArrayView1<'_, f64>) -> usize {
        let mut node = 0;
        loop {
            match self.nodes[node] {
                Node::Split { dim, value, left, right } => {
                    node = if query[dim] < value { left } else { right }
                }
                Node::Leaf { start, .. } => return start,
            }
        }
    }

    /// A lower bound of the distance from `query` to any row of `node`: each input's gap to
    /// the node's box is no larger than its gap to a row inside (subtraction and squaring
    /// round monotonically), and the gaps are summed in the same order as [`distance`] sums.
    /// Only for finite numbers (a NaN gap would count as 0).
    #[inline(always)]
    fn bound(&self, node: usize, query: &[f64]) -> f64 {
        let width = self.width;
        let (lo, hi) = self.boxes[node * 2 * width..(node + 1) * 2 * width].split_at(width);
        let mut sum = 0.0;
        for ((&lo, &hi), &q) in lo.iter().zip(hi).zip(query) {
            // At most one of the two is positive (lo <= hi); inside the box neither is. Written
            // as comparisons rather than `f64::max`, which would also handle NaN, so it
            // compiles to two `maxsd` and no branch.
            let (below, above) = (lo - q, q - hi);
            let gap = if below > above { below } else { above };
            let gap = if gap > 0.0 { gap } else { 0.0 };
            sum += gap * gap;
        }
        sum
    }

    /// Offers `best` the rows near `query` (all finite), depth first, the child on the
    /// query's side of the split first, skipping a node whose box is farther than the current
    /// k-th distance. A box exactly as far is still visited: it may hold an equally far row
    /// that comes first. A node's box is measured when it is taken from the stack, where it
    /// waits with its parent's (smaller) bound, so boxes left behind by a closer k-th
    /// distance are never measured.
    fn search(&self, query: &[f64], best: &mut Best, stack: &mut Vec<(f64, usize)>) {
        let mut distances = [0.0; LEAF];
        stack.clear();
        stack.push((0.0, 0));
        while let Some((parent, node)) = stack.pop() {
            let worst = best.worst();
            if parent > worst {
                continue;
            }
            let bound = self.bound(node, query);
            if bound > worst {
                continue;
            }
            match self.nodes[node] {
                Node::Split { dim, value, left, right } => {
                    let (near, far) = if query[dim] < value { (left, right) } else { (right, left) };
                    stack.push((bound, far));
                    stack.push((bound, near));
                }
                Node::Leaf { start, end } => self.offer(start, end, query, best, &mut distances),
            }
        }
    }

    /// Offers `best` every row, a leaf's worth at a time.
    fn scan(&self, query: &[f64], best: &mut Best) {
        let mut distances = [0.0; LEAF];
        for start in (0..self.rows.len()).step_by(LEAF) {
            self.offer(start, (start + LEAF).min(self.rows.len()), query, best, &mut distances);
        }
    }

    /// Offers `best` the rows at positions `start..end` (`start` the first of a group).
    #[inline(always)]
    fn offer(&self, start: usize, end: usize, query: &[f64], best: &mut Best, distances: &mut [f64; LEAF]) {
        // Whole groups: the padding's distances are computed but not offered.
        let stored = start..end.next_multiple_of(GROUP);
        let distances = &mut distances[..stored.len()];
        let width = self.width;
        group_distances(&self.points[stored.start * width..stored.end * width], query, distances);
        offer_all(best, distances, self.rows[start..end].iter().copied());
    }
}

/// The squared Euclidean distances from `query` to the rows of whole groups (`points`), into
/// `out`, one per row, each summed as [`distance`] sums. A group's four sums are independent:
/// the compiler keeps them in registers, and the values are read in memory order.
#[inline(always)]
fn group_distances(points: &[f64], query: &[f64], out: &mut [f64]) {
    for (group, out) in points.chunks_exact(GROUP * query.len()).zip(out.chunks_exact_mut(GROUP)) {
        let mut sums = [0.0; GROUP];
        for (values, &q) in group.chunks_exact(GROUP).zip(query) {
            let diffs = [values[0] - q, values[1] - q, values[2] - q, values[3] - q];
            sums[0] += diffs[0] * diffs[0];
            sums[1] += diffs[1] * diffs[1];
            sums[2] += diffs[2] * diffs[2];
            sums[3] += diffs[3] * diffs[3];
        }
        out.copy_from_slice(&sums);
    }
}

/// The `k` smallest (distance, row) pairs offered so far: a max-heap, so a row enters in
/// O(log k) however large k is.
struct Best {
    k: usize,
    heap: BinaryHeap<Entry>,
    /// The heap's entries in order, once [`Best::sorted`] has drained it.
    sorted: Vec<(f64, usize)>,
}

/// (distance, train row), ordered by distance (NaN last) then row.
#[derive(Debug, Clone, Copy)]
struct Entry(f64, usize);

impl Ord for Entry {
    fn cmp(&self, other: &Entry) -> Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Entry) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Entry) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

impl Best {
    fn new(k: usize) -> Best {
        Best { k, heap: BinaryHeap::new(), sorted: Vec::new() }
    }

    fn clear(&mut self) {
        self.heap.clear();
    }

    /// The distance a row must not exceed to enter: the k-th smallest so far, or infinity
    /// while fewer than k are found.
    #[inline(always)]
    fn worst(&self) -> f64 {
        match self.heap.len() < self.k {
            true => f64::INFINITY,
            false => self.heap.peek().map_or(f64::NEG_INFINITY, |e| e.0),
        }
    }

    /// Keeps (distance, row) if it is among the k smallest by distance then row.
    fn offer(&mut self, distance: f64, row: usize) {
        // One NaN for all, so every NaN sorts after every number under `total_cmp`.
        let entry = Entry(if distance.is_nan() { f64::NAN } else { distance }, row);
        if self.heap.len() < self.k {
            self.heap.push(entry);
        } else if let Some(mut farthest) = self.heap.peek_mut() {
            if entry < *farthest {
                *farthest = entry;
            }
        }
    }

    /// The pairs kept, nearest first; empties the heap.
    fn sorted(&mut self) -> &[(f64, usize)] {
        self.sorted.clear();
        self.sorted.extend(self.heap.drain().map(|Entry(d, row)| (d, row)));
        self.sorted.sort_unstable_by_key(|&(d, row)| Entry(d, row));
        &self.sorted
    }
}

#[cfg(test)]
mod tests {
    use ndarray::{array, Array2};

    use super::*;
    use crate::pipeline::fixtures::iris;
    use crate::pipeline::split::SplitMix64;

    fn rows(found: &[(f64, usize)]) -> Vec<usize> {
        found.iter().map(|&(_, i)| i).collect()
    }

    /// The `k` nearest by sorting every distance, summed input by input, NaN last, ties by
    /// row: what every search must return.
    fn sorted(train: &Array2<f64>, query: &[f64], k: usize) -> Vec<(f64, usize)> {
        let mut all: Vec<(f64, usize)> = train
            .rows()
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                let d: f64 = row.iter().zip(query).map(|(a, b)| (a - b) * (a - b)).sum();
                (if d.is_nan() { f64::NAN } else { d }, i)
            })
            .collect();
        all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        all.truncate(k);
        all
    }

    /// Every query row's neighbours as `for_each_nearest` gives them, by query row.
    fn all_nearest(index: &Neighbours, queries: &Array2<f64>, k: usize) -> Vec<Vec<(f64, usize)>> {
        let mut out = vec![None; queries.nrows()];
        index.for_each_nearest(queries.view(), k, |i, found| {
            assert!(out[i].replace(found.to_vec()).is_none(), "query {i} visited twice");
        });
        out.into_iter().map(|found| found.expect("every query visited")).collect()
    }

    /// `n` rows of `width` values drawn from `levels` evenly spaced values: few levels make
    /// many equal distances and duplicate rows.
    fn grid(rng: &mut SplitMix64, n: usize, width: usize, levels: u64) -> Array2<f64> {
        Array2::from_shape_fn((n, width), |_| (rng.next_u64() % levels) as f64 * 0.5 - 1.0)
    }

    #[test]
    fn nearest_first_with_ties_by_row() {
        let train: Array2<f64> = array![[0.0, 0.0], [3.0, 4.0], [1.0, 0.0], [0.0, 1.0], [10.0, 10.0]];
        let index = Neighbours::new(train.view());
        // Rows 2 and 3 are both at distance 1 from the origin.
        assert_eq!(index.nearest(&[0.0, 0.0], 3), [(0.0, 0), (1.0, 2), (1.0, 3)]);
        assert_eq!(rows(&index.nearest(&[3.0, 4.0], 1)), [1]);
        assert_eq!(rows(&index.nearest(&[0.0, 0.0], 9)), [0, 2, 3, 1, 4]);
    }

    #[test]
    fn agrees_with_sorting_every_distance_on_iris() {
        let (x, _) = iris();
        let index = Neighbours::new(x.view());
        assert_eq!(index.method(5), Method::KdTree);
        for (q, query) in x.rows().into_iter().enumerate().step_by(7) {
            let query = query.to_vec();
            assert_eq!(index.nearest(&query, 5), sorted(&x, &query, 5), "query row {q}");
        }
    }

    #[test]
    fn finds_scikit_learns_neighbours_on_iris() {
        // Expected from scikit-learn 1.9.1:
        // `KNeighborsClassifier(5).fit(X, species).kneighbors(X[[i]], return_distance=False)`
        // on iris's four unscaled measurements (its k-d tree), sorted.
        let (x, _) = iris();
        let index = Neighbours::new(x.view());
        let nearest = |i: usize| {
            let mut found = rows(&index.nearest(&x.row(i).to_vec(), 5));
            found.sort_unstable();
            found
        };
        assert_eq!(nearest(17), [0, 4, 17, 39, 40]);
        assert_eq!(nearest(50), [50, 52, 65, 76, 86]);
        assert_eq!(nearest(100), [100, 104, 136, 143, 144]);
        assert_eq!(nearest(142), [101, 113, 121, 142, 149]);
        assert_eq!(nearest(149), [101, 127, 138, 142, 149]);
        // Rows 27 and 28 are equally far from row 0 (and rows 76 and 110 from row 77) and
        // only one fits in 5: scikit-learn keeps the one its tree meets first (28, 110), this
        // search the lower row.
        assert_eq!(nearest(0), [0, 4, 17, 27, 39]);
        assert_eq!(nearest(77), [52, 76, 77, 86, 147]);
    }

    #[test]
    fn the_tree_finds_what_sorting_finds_among_many_equal_distances() {
        let mut rng = SplitMix64::new(7);
        for (n, width, levels) in
            [(200, 1, 5), (200, 2, 3), (300, 3, 4), (500, 4, 3), (400, 10, 2), (1000, 5, 7), (3000, 2, 40)]
        {
            let train = grid(&mut rng, n, width, levels);
            let queries = grid(&mut rng, 60, width, levels + 1);
            let index = Neighbours::new(train.view());
            for k in [1, 3, 5, 17, n / 2 - 1, n / 2, n, n + 5] {
                let expected = if k < n / 2 { Method::KdTree } else { Method::Scan };
                assert_eq!(index.method(k), expected, "n {n}, k {k}");
                for (q, found) in all_nearest(&index, &queries, k).iter().enumerate() {
                    let query = queries.row(q).to_vec();
                    assert_eq!(found, &sorted(&train, &query, k), "n {n}, width {width}, k {k}, query {q}");
                }
            }
        }
    }

    #[test]
    fn the_scan_finds_what_sorting_finds_in_high_dimensions() {
        let mut rng = SplitMix64::new(11);
        // 16 inputs: past the tree's limit, as in scikit-learn's rule. More queries than a
        // block and more rows than a run of them.
        let train = grid(&mut rng, 2 * RUN + 7, TREE_MAX_WIDTH + 1, 3);
        let queries = grid(&mut rng, QUERY_BLOCK + 3, TREE_MAX_WIDTH + 1, 3);
        let index = Neighbours::new(train.view());
        assert_eq!(index.method(5), Method::Scan);
        for k in [1, 5, 2 * RUN + 7] {
            for (q, found) in all_nearest(&index, &queries, k).iter().enumerate() {
                assert_eq!(found, &sorted(&train, &queries.row(q).to_vec(), k), "k {k}, query {q}");
            }
        }
        // The tree, where it applies, agrees with the scan.
        let train = grid(&mut rng, 400, 6, 3);
        let (tree, scan) = (Neighbours::new(train.view()), Neighbours::without_tree(train.view()));
        let queries = grid(&mut rng, 100, 6, 3);
        assert_eq!(all_nearest(&tree, &queries, 9), all_nearest(&scan, &queries, 9));
    }

    #[test]
    fn the_scan_by_products_is_exact_where_they_cancel_or_overflow() {
        let mut rng = SplitMix64::new(5);
        // Far from the origin, |t|² − 2 t·q + |q|² loses every digit of the distance, and at
        // 1e200 the squares overflow: the products then pass nothing over and every distance
        // is computed.
        for (offset, scale) in [(1e8, 1.0), (1e200, 1e200)] {
            // Uniform in [offset, offset + scale).
            let mut shifted = |n: usize| {
                Array2::from_shape_fn((n, 20), |_| {
                    offset + (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * scale
                })
            };
            let (train, queries) = (shifted(300), shifted(20));
            let index = Neighbours::new(train.view());
            for (q, found) in all_nearest(&index, &queries, 7).iter().enumerate() {
                assert_eq!(found, &sorted(&train, &queries.row(q).to_vec(), 7), "offset {offset}, query {q}");
            }
        }
    }

    #[test]
    fn duplicate_rows_come_in_row_order() {
        let train = Array2::from_elem((100, 3), 1.5);
        let index = Neighbours::new(train.view());
        assert_eq!(index.nearest(&[0.0, 0.0, 0.0], 4), [(6.75, 0), (6.75, 1), (6.75, 2), (6.75, 3)]);
    }

    #[test]
    fn nan_and_infinite_values_are_ordered_not_refused() {
        let mut rng = SplitMix64::new(3);
        let mut train = grid(&mut rng, 120, 3, 5);
        let queries = array![[f64::NAN, 0.0, 0.0], [f64::INFINITY, 0.0, 0.0], [0.5, -0.5, 0.0]];
        // A finite train set has a tree; a query with NaN is at NaN from every row, one with
        // an infinite value at infinity: all tied, so the first rows.
        let index = Neighbours::new(train.view());
        let found = all_nearest(&index, &queries, 3);
        assert!(found[0].iter().all(|d| d.0.is_nan()));
        assert_eq!(rows(&found[0]), [0, 1, 2]);
        assert_eq!(found[1], [(f64::INFINITY, 0), (f64::INFINITY, 1), (f64::INFINITY, 2)]);
        // NaN in the train rows: no tree, and those rows come after every number.
        train[[0, 1]] = f64::NAN;
        train[[5, 0]] = -f64::NAN;
        let index = Neighbours::new(train.view());
        assert_eq!(index.method(3), Method::Scan);
        for (q, found) in all_nearest(&index, &queries, 120).iter().enumerate() {
            assert_eq!(rows(found), rows(&sorted(&train, &queries.row(q).to_vec(), 120)), "query {q}");
        }
        assert_eq!(rows(&all_nearest(&index, &queries, 120)[2][118..]), [0, 5]);
    }

    #[test]
    fn without_inputs_every_row_is_at_distance_zero() {
        let train = Array2::<f64>::zeros((40, 0));
        let index = Neighbours::new(train.view());
        assert_eq!(index.nearest(&[], 3), [(0.0, 0), (0.0, 1), (0.0, 2)]);
        assert_eq!(Neighbours::new(Array2::<f64>::zeros((0, 2)).view()).nearest(&[1.0, 2.0], 3), []);
    }

    #[test]
    fn a_transposed_view_is_read_by_rows() {
        let train: Array2<f64> = array![[0.0, 5.0], [1.0, 6.0]];
        // Its rows are (0, 1) and (5, 6).
        let view = train.t();
        assert_eq!(rows(&Neighbours::new(view).nearest(&[5.0, 6.0], 2)), [1, 0]);
    }
}
