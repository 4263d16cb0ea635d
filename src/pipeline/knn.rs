//! The k nearest train rows of each query row, by Euclidean distance: a k-d tree in low
//! dimensions, a blocked scan of every train row in high ones.
//!
//! DOCS: rewritten with the measurements below.

use ndarray::ArrayView2;

/// A k-d tree is built for at most this many inputs (scikit-learn's `algorithm="auto"` rule:
/// more than 15 features is brute force).
pub const TREE_MAX_WIDTH: usize = 15;

/// The most train rows of a block: a leaf of the tree, or a step of the scan.
const BLOCK: usize = 32;

/// Queries scanned together against each run of blocks.
const QUERY_BLOCK: usize = 64;

/// Bytes of train rows in a run of blocks: it stays in the first-level cache while the
/// queries of a query block are compared with it.
const RUN_BYTES: usize = 16 * 1024;

/// How a search runs, chosen by [`Neighbours::method`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    KdTree,
    Scan,
}

/// The train rows, indexed for nearest-neighbour queries.
pub struct Neighbours {
    width: usize,
    /// The train rows in blocks of at most [`BLOCK`] rows (the tree's leaves when there is a
    /// tree), each block stored input by input: its rows' first inputs, then their second
    /// inputs, and so on, so a block's distances to a query are computed a column at a time.
    points: Vec<f64>,
    /// The train row at each position of `points`.
    rows: Vec<usize>,
    /// Where the blocks start, and the number of rows last.
    blocks: Vec<usize>,
    tree: Option<KdTree>,
}

/// A k-d tree over [`Neighbours::points`]. Node 0 is the root.
struct KdTree {
    nodes: Vec<Node>,
    /// Each node's bounding box: its rows' smallest then largest value of every input
    /// (`2 * width` numbers a node, in node order).
    boxes: Vec<f64>,
}

enum Node {
    /// Rows whose input `dim` is below `value` are all on the left, above it on the right.
    Split { dim: usize, value: f64, left: usize, right: usize },
    /// The block of positions `start..end`.
    Leaf { start: usize, end: usize },
}

impl Neighbours {
    /// Copies the rows of `train` and builds the tree when [`TREE_MAX_WIDTH`] allows it, the
    /// values are all finite and there is more than a leaf of rows.
    pub fn new(train: ArrayView2<'_, f64>) -> Neighbours {
        let (n, width) = train.dim();
        if !(1..=TREE_MAX_WIDTH).contains(&width) || n <= BLOCK || !train.iter().all(|v| v.is_finite()) {
            return Neighbours::without_tree(train);
        }
        // `iter` walks in logical (row-major) order whatever the memory order.
        let flat: Vec<f64> = train.iter().copied().collect();
        let mut order: Vec<usize> = (0..n).collect();
        let mut tree = KdTree { nodes: Vec::new(), boxes: Vec::new() };
        let mut blocks = Vec::new();
        tree.build(&flat, width, &mut order, 0, &mut blocks);
        blocks.push(n);
        Neighbours::stored(&flat, width, order, blocks, Some(tree))
    }

    /// Copies the rows of `train` without building a tree: every search scans them.
    pub fn without_tree(train: ArrayView2<'_, f64>) -> Neighbours {
        let (n, width) = train.dim();
        let flat: Vec<f64> = train.iter().copied().collect();
        let blocks = (0..n).step_by(BLOCK).chain([n]).collect();
        Neighbours::stored(&flat, width, (0..n).collect(), blocks, None)
    }

    /// Stores the rows of `flat` (row-major) in the order `order`, in `blocks`.
    fn stored(
        flat: &[f64],
        width: usize,
        order: Vec<usize>,
        blocks: Vec<usize>,
        tree: Option<KdTree>,
    ) -> Neighbours {
        let mut points = Vec::with_capacity(flat.len());
        for run in blocks.windows(2) {
            for j in 0..width {
                points.extend(order[run[0]..run[1]].iter().map(|&row| flat[row * width + j]));
            }
        }
        Neighbours { width, points, rows: order, blocks, tree }
    }

    /// The number of train rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no train rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// How a search for `k` neighbours runs: the tree when there is one and `k` is under half
    /// the train rows (scikit-learn's rule again: a search for that many visits most leaves),
    /// else a scan.
    pub fn method(&self, k: usize) -> Method {
        match self.tree {
            Some(_) if k < self.len() / 2 => Method::KdTree,
            _ => Method::Scan,
        }
    }

    /// Calls `visit(i, found)` once for each row `i` of `queries`, not in row order, with its
    /// `k` nearest train rows (all of them when there are fewer) as (squared distance, train
    /// row), nearest first. Equal distances are ordered by train row, so the result does not
    /// depend on the search; a NaN distance sorts after every number.
    pub fn for_each_nearest(
        &self,
        queries: ArrayView2<'_, f64>,
        k: usize,
        mut visit: impl FnMut(usize, &[(f64, usize)]),
    ) {
        let width = self.width;
        assert_eq!(queries.ncols(), width, "queries have {} inputs, the train rows {width}", queries.ncols());
        let k = k.min(self.len());
        let mut query = Vec::with_capacity(width * QUERY_BLOCK);
        match (&self.tree, self.method(k)) {
            (Some(tree), Method::KdTree) => {
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
                        tree.search(self, &query, &mut best, &mut stack);
                    } else {
                        // The tree's bounds assume numbers: a NaN input is compared with every row.
                        self.scan(&query, std::slice::from_mut(&mut best));
                    }
                    visit(i, best.found());
                }
            }
            _ => {
                let mut best: Vec<Best> = (0..QUERY_BLOCK).map(|_| Best::new(k)).collect();
                let n = queries.nrows();
                for first in (0..n).step_by(QUERY_BLOCK) {
                    let last = (first + QUERY_BLOCK).min(n);
                    query.clear();
                    for i in first..last {
                        query.extend(queries.row(i).iter().copied());
                    }
                    let best = &mut best[..last - first];
                    best.iter_mut().for_each(Best::clear);
                    self.scan(&query, best);
                    for (i, found) in (first..last).zip(best.iter()) {
                        visit(i, found.found());
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

    /// Offers every train row to the queries back to back in `queries`, one [`Best`] each: a
    /// run of blocks at a time, every query against the run while it is in cache.
    fn scan(&self, queries: &[f64], best: &mut [Best]) {
        let width = self.width;
        let blocks = self.blocks.len() - 1;
        let per_run = (RUN_BYTES / (8 * BLOCK * width.max(1))).max(1);
        let mut distances = [0.0; BLOCK];
        for first in (0..blocks).step_by(per_run) {
            let run = first..(first + per_run).min(blocks);
            for (i, best) in best.iter_mut().enumerate() {
                let query = &queries[i * width..(i + 1) * width];
                for b in run.clone() {
                    self.offer_block(self.blocks[b], self.blocks[b + 1], query, best, &mut distances);
                }
            }
        }
    }

    /// Offers the rows of the block at positions `start..end` to `best`.
    #[inline(always)]
    fn offer_block(
        &self,
        start: usize,
        end: usize,
        query: &[f64],
        best: &mut Best,
        distances: &mut [f64; BLOCK],
    ) {
        let distances = &mut distances[..end - start];
        block_distances(&self.points[start * self.width..end * self.width], query, distances);
        let mut worst = best.worst();
        for (&d, &row) in distances.iter().zip(&self.rows[start..end]) {
            // NaN passes too: `offer` orders it.
            if !(d > worst) {
                best.offer(d, row);
                worst = best.worst();
            }
        }
    }
}

/// The squared Euclidean distances from `query` to the rows of a block (`points`, stored
/// input by input), into `out`, one per row. Each is summed input by input in order, as
/// [`box_distance`] sums, so a bound never exceeds a distance it bounds. Four rows at a time,
/// in four independent sums: the compiler keeps them in registers.
#[inline(always)]
fn block_distances(points: &[f64], query: &[f64], out: &mut [f64]) {
    let len = out.len();
    if len == 0 {
        return;
    }
    let mut quads = out.chunks_exact_mut(4);
    let mut first = 0;
    for out in &mut quads {
        let mut sums = [0.0; 4];
        for (column, &q) in points.chunks_exact(len).zip(query) {
            let rows = &column[first..first + 4];
            let diffs = [rows[0] - q, rows[1] - q, rows[2] - q, rows[3] - q];
            sums[0] += diffs[0] * diffs[0];
            sums[1] += diffs[1] * diffs[1];
            sums[2] += diffs[2] * diffs[2];
            sums[3] += diffs[3] * diffs[3];
        }
        out.copy_from_slice(&sums);
        first += 4;
    }
    for (i, sum) in quads.into_remainder().iter_mut().enumerate() {
        *sum = 0.0;
        for (column, &q) in points.chunks_exact(len).zip(query) {
            let diff = column[first + i] - q;
            *sum += diff * diff;
        }
    }
}

/// A lower bound of the distance from `query` to any point of the box `lo..=hi`: each input's
/// gap to the box is no larger than its gap to a point inside (subtraction and squaring round
/// monotonically), and the gaps are summed in the same order as [`block_distances`] sums.
/// Only for finite numbers (a NaN gap would count as 0).
#[inline(always)]
fn box_distance(lo: &[f64], hi: &[f64], query: &[f64]) -> f64 {
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

impl KdTree {
    /// Adds the node of the rows `order` of `train` (which it reorders so each child's rows
    /// are contiguous), the first of them at position `start`, and its subtree; returns its
    /// index. Each leaf's start is pushed onto `leaves`.
    fn build(
        &mut self,
        train: &[f64],
        width: usize,
        order: &mut [usize],
        start: usize,
        leaves: &mut Vec<usize>,
    ) -> usize {
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
        if order.len() <= BLOCK {
            leaves.push(start);
            return node;
        }
        // Split the input of widest spread at its median, by count, so duplicate rows cannot
        // unbalance the tree.
        let dim = (0..width).max_by(|&a, &b| (hi[a] - lo[a]).total_cmp(&(hi[b] - lo[b]))).unwrap_or(0);
        let mid = order.len() / 2;
        let key = |row: &usize| train[row * width + dim];
        order.select_nth_unstable_by(mid, |a, b| key(a).total_cmp(&key(b)).then(a.cmp(b)));
        let value = key(&order[mid]);
        let (left, right) = order.split_at_mut(mid);
        let left = self.build(train, width, left, start, leaves);
        let right = self.build(train, width, right, start + mid, leaves);
        self.nodes[node] = Node::Split { dim, value, left, right };
        node
    }

    /// The start of the leaf whose region holds `query`.
    fn home(&self, query: ndarray::ArrayView1<'_, f64>) -> usize {
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

    fn bound(&self, node: usize, query: &[f64]) -> f64 {
        let width = query.len();
        let b = &self.boxes[node * 2 * width..(node + 1) * 2 * width];
        box_distance(&b[..width], &b[width..], query)
    }

    /// Offers `best` the rows near `query` (all finite), depth first, nearer child first,
    /// skipping a node whose box is farther than the current k-th distance. A box exactly as
    /// far is still visited: it may hold an equally far row that comes first.
    fn search(&self, index: &Neighbours, query: &[f64], best: &mut Best, stack: &mut Vec<(f64, usize)>) {
        let mut distances = [0.0; BLOCK];
        stack.clear();
        stack.push((self.bound(0, query), 0));
        while let Some((bound, node)) = stack.pop() {
            if bound > best.worst() {
                continue;
            }
            match self.nodes[node] {
                Node::Split { left, right, .. } => {
                    let (l, r) = (self.bound(left, query), self.bound(right, query));
                    if l <= r {
                        stack.push((r, right));
                        stack.push((l, left));
                    } else {
                        stack.push((l, left));
                        stack.push((r, right));
                    }
                }
                Node::Leaf { start, end } => index.offer_block(start, end, query, best, &mut distances),
            }
        }
    }
}

/// The `k` smallest (distance, row) pairs offered so far, in order.
struct Best {
    k: usize,
    found: Vec<(f64, usize)>,
}

impl Best {
    fn new(k: usize) -> Best {
        Best { k, found: Vec::with_capacity(k + 1) }
    }

    fn clear(&mut self) {
        self.found.clear();
    }

    fn found(&self) -> &[(f64, usize)] {
        &self.found
    }

    /// The distance a row must not exceed to enter: the k-th smallest so far, or infinity
    /// while fewer than k are found.
    #[inline(always)]
    fn worst(&self) -> f64 {
        match self.found.len() < self.k {
            true => f64::INFINITY,
            false => self.found.last().map_or(f64::NEG_INFINITY, |e| e.0),
        }
    }

    /// Keeps (distance, row) if it is among the k smallest by distance then row.
    fn offer(&mut self, distance: f64, row: usize) {
        // One NaN for all, so every NaN sorts after every number under `total_cmp`.
        let entry = (if distance.is_nan() { f64::NAN } else { distance }, row);
        let before = |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).is_lt();
        if self.found.len() == self.k {
            match self.found.last() {
                Some(last) if before(&entry, last) => {
                    self.found.pop();
                }
                _ => return,
            }
        }
        let at = self.found.partition_point(|e| before(e, &entry));
        self.found.insert(at, entry);
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
            [(200, 1, 5), (200, 2, 3), (300, 3, 4), (500, 4, 3), (400, 10, 2), (1000, 5, 7)]
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
        // 16 inputs: past the tree's limit, as in scikit-learn's rule. 150 queries: more than
        // a block of them.
        let train = grid(&mut rng, 300, TREE_MAX_WIDTH + 1, 3);
        let queries = grid(&mut rng, 150, TREE_MAX_WIDTH + 1, 3);
        let index = Neighbours::new(train.view());
        assert_eq!(index.method(5), Method::Scan);
        for k in [1, 5, 300] {
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
