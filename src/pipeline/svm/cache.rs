//! The rows of the kernel matrix the solver has asked for, most recently used kept, within
//! a budget of numbers: what lets the SMO solver train on rows² kernel entries while holding
//! a bounded part of them.
//!
//! A row is kept as a prefix: the solver asks for the entries of its active rows only, and
//! asks again for a longer prefix after it lets shrunk rows back in. Entries are `f32`, as
//! libsvm keeps them: half the memory of `f64` for twice the rows, and the solver's
//! gradient, which sums them, stays in `f64`.

/// No row: the end of the least-recently-used list.
const NONE: usize = usize::MAX;

/// Kernel rows by position, in least-recently-used order.
pub struct RowCache {
    /// `rows[i]` holds entries `0..rows[i].len()` of row `i`; empty when not cached.
    rows: Vec<Vec<f32>>,
    /// The cached rows as a doubly linked list, least recently used first.
    prev: Vec<usize>,
    next: Vec<usize>,
    oldest: usize,
    newest: usize,
    /// Entries that may still be allocated.
    free: usize,
}

impl RowCache {
    /// A cache for `n` rows holding at most `budget` entries, and at least two whole rows
    /// (a step of the solver reads two rows at once).
    pub fn new(n: usize, budget: usize) -> RowCache {
        RowCache {
            rows: vec![Vec::new(); n],
            prev: vec![NONE; n],
            next: vec![NONE; n],
            oldest: NONE,
            newest: NONE,
            free: budget.max(2 * n),
        }
    }

    /// Makes row `i` the most recently used and at least `len` entries long, evicting the
    /// least recently used rows to make room. Returns where the entries still to be computed
    /// start (`len` when the cached prefix was long enough); the caller fills them through
    /// [`row_mut`](Self::row_mut).
    pub fn request(&mut self, i: usize, len: usize) -> usize {
        let have = self.rows[i].len();
        if have > 0 {
            self.unlink(i);
        }
        if len > have {
            let more = len - have;
            while self.free < more && self.oldest != NONE {
                let old = self.oldest;
                self.unlink(old);
                self.free += self.rows[old].len();
                self.rows[old] = Vec::new();
            }
            self.free = self.free.saturating_sub(more);
            // Exactly: a doubling growth would hold up to twice what the budget counts.
            self.rows[i].reserve_exact(more);
            self.rows[i].resize(len, 0.0);
        }
        self.link_newest(i);
        have.min(len)
    }

    /// Row `i`'s cached entries.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.rows[i]
    }

    /// Row `i`'s cached entries, to fill after [`request`](Self::request).
    pub fn row_mut(&mut self, i: usize) -> &mut [f32] {
        &mut self.rows[i]
    }

    /// Follows the solver's swap of positions `i` and `j`: the rows trade places, and every
    /// cached row trades its entries `i` and `j`, or is dropped when it holds one of them
    /// but not the other.
    pub fn swap(&mut self, i: usize, j: usize) {
        if i == j {
            return;
        }
        for k in [i, j] {
            if !self.rows[k].is_empty() {
                self.unlink(k);
            }
        }
        self.rows.swap(i, j);
        for k in [i, j] {
            if !self.rows[k].is_empty() {
                self.link_newest(k);
            }
        }
        let (low, high) = (i.min(j), i.max(j));
        let mut k = self.oldest;
        while k != NONE {
            let after = self.next[k];
            let len = self.rows[k].len();
            if len > high {
                self.rows[k].swap(low, high);
            } else if len > low {
                self.unlink(k);
                self.free += len;
                self.rows[k] = Vec::new();
            }
            k = after;
        }
    }

    fn unlink(&mut self, i: usize) {
        let (before, after) = (self.prev[i], self.next[i]);
        match before {
            NONE => self.oldest = after,
            b => self.next[b] = after,
        }
        match after {
            NONE => self.newest = before,
            a => self.prev[a] = before,
        }
        self.prev[i] = NONE;
        self.next[i] = NONE;
    }

    fn link_newest(&mut self, i: usize) {
        self.prev[i] = self.newest;
        self.next[i] = NONE;
        match self.newest {
            NONE => self.oldest = i,
            n => self.next[n] = i,
        }
        self.newest = i;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fills row `i` up to `len` with `i * 100 + position`, as a kernel would.
    fn fill(cache: &mut RowCache, i: usize, len: usize) -> usize {
        let start = cache.request(i, len);
        for (p, v) in cache.row_mut(i)[start..len].iter_mut().enumerate() {
            *v = (i * 100 + start + p) as f32;
        }
        start
    }

    #[test]
    fn a_row_is_computed_once_and_extended_where_it_stops() {
        let mut cache = RowCache::new(4, 100);
        assert_eq!(fill(&mut cache, 1, 2), 0);
        assert_eq!(fill(&mut cache, 1, 2), 2);
        assert_eq!(fill(&mut cache, 1, 4), 2);
        assert_eq!(cache.row(1), &[100.0, 101.0, 102.0, 103.0]);
        assert_eq!(cache.request(1, 3), 3);
    }

    #[test]
    fn the_least_recently_used_row_makes_room() {
        // Room for two rows of 4 (the minimum): the third evicts the older of the two.
        let mut cache = RowCache::new(4, 0);
        fill(&mut cache, 0, 4);
        fill(&mut cache, 1, 4);
        fill(&mut cache, 0, 4);
        fill(&mut cache, 2, 4);
        assert_eq!(cache.row(1), &[] as &[f32]);
        assert_eq!(cache.row(0).len(), 4);
        assert_eq!(fill(&mut cache, 0, 4), 4);
    }

    #[test]
    fn a_swap_moves_rows_and_entries_and_drops_rows_holding_one_side() {
        let mut cache = RowCache::new(4, 100);
        fill(&mut cache, 0, 4);
        fill(&mut cache, 1, 2);
        fill(&mut cache, 3, 3);
        cache.swap(1, 3);
        // Row 0 trades its entries 1 and 3. Rows 1 and 3 trade places, and each holds entry
        // 1 but not entry 3 (3 and 2 entries long): both are dropped.
        assert_eq!(cache.row(0), &[0.0, 3.0, 2.0, 1.0]);
        assert!(cache.row(1).is_empty() && cache.row(3).is_empty());
        // The dropped rows gave their room back: two rows of 4 and more still fit.
        assert_eq!(fill(&mut cache, 2, 4), 0);
        assert_eq!(fill(&mut cache, 0, 4), 4);
    }
}
