//! Row identity: hashing and comparing cells and rows by value, and grouping equal rows.
//!
//! Several tests ask "is this row the same as that one?" — duplicate rows, repeated values,
//! conflicting labels, a test row that repeats a train row. They all use the one definition
//! here: cells are equal when both are missing or both hold the same value; floats compare
//! by value (so `-0` and `0` are one value), ints exactly (two ids above 2⁵³ that round to one
//! float stay two), texts byte for byte.
//!
//! A row's hash only picks the bucket to look in: [`RowGroups`] compares the cells of every
//! row whose hash matches before calling two rows equal, so a collision costs one comparison
//! and never merges different values. The hash is the table's seeded foldhash
//! ([`RandomState`]), so no file can be crafted to make those comparisons many.

use std::cell::Cell;
use std::hash::{BuildHasher, Hash};

pub use super::hash::{FastMap, FastSet, RandomState};
use super::{Column, Values};

/// A cell's value as a key: two keys are equal exactly when the cells are.
#[derive(PartialEq, Eq)]
enum CellKey<'c> {
    Missing,
    Int(i64),
    /// The bits of the float plus 0.0, which turns -0.0 into 0.0.
    Float(u64),
    Bool(bool),
    Code(u32),
    Text(std::borrow::Cow<'c, str>),
}

fn cell_key(column: &Column, row: usize) -> CellKey<'_> {
    if column.is_missing(row) {
        return CellKey::Missing;
    }
    match column.values() {
        Values::Int(v) => CellKey::Int(v[row]),
        Values::Float(v) => CellKey::Float((v[row] + 0.0).to_bits()),
        Values::Bool(v) => CellKey::Bool(v[row]),
        Values::Category { codes, .. } => CellKey::Code(codes[row]),
        // Through `text`, which borrows: the text storage is the loader's business.
        Values::Text(_) => CellKey::Text(column.text(row)),
    }
}

/// Whether rows `a` and `b` hold equal cells in `columns`.
pub fn same_row(columns: &[&Column], a: usize, b: usize) -> bool {
    columns.iter().all(|c| cell_key(c, a) == cell_key(c, b))
}

/// The number of distinct non-missing values of a column.
///
/// A set of the values themselves, not [`RowGroups`]: a set confirms every hash match by
/// comparing the keys, so equality stays by value, and a million distinct floats take an
/// eighth of the time RowGroups takes to keep a row per group and compare rows through it
/// (`not_constant` on every column of a million rows: 3 s before).
pub fn distinct_count(column: &Column) -> usize {
    distinct_count_up_to(column, usize::MAX)
}

/// [`distinct_count`], but counting stops once it passes `most`: a count above `most` says
/// only "more". `not_constant` asks whether a column holds two values, and a column of a
/// million distinct floats answers within its first rows.
pub fn distinct_count_up_to(column: &Column, most: usize) -> usize {
    let present = (0..column.len()).filter(|&row| !column.is_missing(row));
    match column.values() {
        Values::Int(v) => count_distinct(present.map(|row| v[row]), most),
        // Plus 0.0, as a cell's key: -0 and 0 are one value.
        Values::Float(v) => count_distinct(present.map(|row| (v[row] + 0.0).to_bits()), most),
        Values::Bool(v) => count_distinct(present.map(|row| v[row]), most),
        Values::Category { codes, .. } => count_distinct(present.map(|row| codes[row]), most),
        Values::Text(_) => count_distinct(present.map(|row| column.text(row)), most),
    }
}

fn count_distinct<K: Hash + Eq>(keys: impl Iterator<Item = K>, most: usize) -> usize {
    let mut set = FastSet::default();
    for key in keys {
        if set.insert(key) && set.len() > most {
            break;
        }
    }
    set.len()
}

/// Rows grouped by equal cells in some columns; groups are numbered from 0 in order of their
/// first row's insertion.
///
/// Most rows of most tables are unique, so a group is its first row, and only the rows that
/// join an existing group are listed again (`later`).
pub struct RowGroups<'c> {
    columns: &'c [&'c Column],
    state: RandomState,
    /// row hash → the newest group with that hash; `collisions[g]` is the group before `g`
    /// with the same hash (rows that differ but hash alike), `NONE` when there is none.
    by_hash: FastMap<u64, usize>,
    collisions: Vec<usize>,
    first: Vec<usize>,
    /// (group, row) of every inserted row that joined an existing group, in insertion order.
    later: Vec<(usize, usize)>,
    /// Rows compared cell by cell so far: the work a lookup does beyond hashing.
    compared: Cell<usize>,
    /// The hash bits kept: all of them, except in tests that force collisions.
    mask: u64,
}

const NONE: usize = usize::MAX;

impl<'c> RowGroups<'c> {
    pub fn new(columns: &'c [&'c Column]) -> RowGroups<'c> {
        RowGroups {
            columns,
            state: RandomState::default(),
            by_hash: FastMap::default(),
            collisions: Vec::new(),
            first: Vec::new(),
            later: Vec::new(),
            compared: Cell::new(0),
            mask: u64::MAX,
        }
    }

    /// Groups `rows` by their cells.
    pub fn of(columns: &'c [&'c Column], rows: impl IntoIterator<Item = usize>) -> RowGroups<'c> {
        let mut groups = RowGroups::new(columns);
        let rows: Vec<usize> = rows.into_iter().collect();
        groups.by_hash.reserve(rows.len());
        // The rows' hashes column by column, each column's type matched once: the same
        // hashes as `row_hash` (each row's hash so far hashed again with its next cell, the
        // cell's kind first), but a tight loop a column where a row matched every cell's
        // type and built a key for it (duplicate rows of the benchmark's data tests at 1M
        // rows: the step 376–557 → 171–238 ms natively, builds alternating).
        let mut hashes = vec![0u64; rows.len()];
        for column in columns {
            macro_rules! each {
                ($key:expr) => {
                    for (h, &row) in hashes.iter_mut().zip(&rows) {
                        *h = if column.is_missing(row) {
                            groups.state.hash_one((*h, 0u8))
                        } else {
                            groups.state.hash_one((*h, $key(row)))
                        };
                    }
                };
            }
            match column.values() {
                Values::Int(v) => each!(|row: usize| (1u8, v[row])),
                Values::Float(v) => each!(|row: usize| (2u8, (v[row] + 0.0).to_bits())),
                Values::Bool(v) => each!(|row: usize| (3u8, v[row])),
                Values::Category { codes, .. } => each!(|row: usize| (4u8, codes[row])),
                Values::Text(_) => each!(|row: usize| (5u8, column.text(row))),
            }
        }
        for (&row, &hash) in rows.iter().zip(&hashes) {
            groups.insert_hashed(row, hash & groups.mask);
        }
        groups
    }

    /// A row's hash: each cell hashed with the hash of the cells before it, the cell's
    /// kind first (so an int never hashes as a float of the same bits), as [`RowGroups::of`]
    /// hashes whole columns.
    fn row_hash(&self, row: usize) -> u64 {
        let mut h = 0u64;
        for column in self.columns {
            h = match cell_key(column, row) {
                CellKey::Missing => self.state.hash_one((h, 0u8)),
                CellKey::Int(v) => self.state.hash_one((h, (1u8, v))),
                CellKey::Float(v) => self.state.hash_one((h, (2u8, v))),
                CellKey::Bool(v) => self.state.hash_one((h, (3u8, v))),
                CellKey::Code(v) => self.state.hash_one((h, (4u8, v))),
                CellKey::Text(v) => self.state.hash_one((h, (5u8, v))),
            };
        }
        h & self.mask
    }

    /// Adds a row to the group of its equals, or to a new group; returns the group's number.
    pub fn insert(&mut self, row: usize) -> usize {
        let hash = self.row_hash(row);
        self.insert_hashed(row, hash)
    }

    /// [`RowGroups::insert`] of a row whose hash is known.
    fn insert_hashed(&mut self, row: usize, hash: u64) -> usize {
        let newest = self.by_hash.get(&hash).copied().unwrap_or(NONE);
        match self.group_in_chain(newest, row) {
            Some(g) => {
                self.later.push((g, row));
                g
            }
            None => {
                let g = self.first.len();
                self.by_hash.insert(hash, g);
                self.collisions.push(newest);
                self.first.push(row);
                g
            }
        }
    }

    /// The group equal to `row` among the groups chained from `group`: every hash match is
    /// confirmed cell by cell.
    fn group_in_chain(&self, mut group: usize, row: usize) -> Option<usize> {
        while group != NONE {
            self.compared.set(self.compared.get() + 1);
            if same_row(self.columns, self.first[group], row) {
                return Some(group);
            }
            group = self.collisions[group];
        }
        None
    }

    /// The first inserted row equal to `row` (which need not be in the groups), if any.
    pub fn find(&self, row: usize) -> Option<usize> {
        let newest = *self.by_hash.get(&self.row_hash(row))?;
        self.group_in_chain(newest, row).map(|g| self.first[g])
    }

    /// How many distinct rows were inserted.
    pub fn distinct(&self) -> usize {
        self.first.len()
    }

    /// How many times two rows were compared cell by cell: one per row found equal to an
    /// earlier one, plus one per hash collision between different rows (next to none).
    pub fn comparisons(&self) -> usize {
        self.compared.get()
    }

    /// Groups of two or more rows, in group order, each its rows in insertion order.
    pub fn repeated(&self) -> impl Iterator<Item = Vec<usize>> + '_ {
        let mut later: Vec<(usize, usize)> = self.later.clone();
        // Stable: a group's rows keep their insertion order.
        later.sort_by_key(|&(g, _)| g);
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (i, &(g, row)) in later.iter().enumerate() {
            if i == 0 || later[i - 1].0 != g {
                groups.push(vec![self.first[g]]);
            }
            if let Some(members) = groups.last_mut() {
                members.push(row);
            }
        }
        groups.into_iter()
    }

    /// (first row, later row) for every row that repeats an earlier one, by later row.
    pub fn repeats(&self) -> Vec<(usize, usize)> {
        let mut pairs: Vec<(usize, usize)> =
            self.later.iter().map(|&(g, row)| (self.first[g], row)).collect();
        pairs.sort_by_key(|&(_, row)| row);
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{read_csv, LoadOptions, Table};

    fn table(csv: &str) -> Table {
        read_csv(csv.as_bytes(), "t.csv", &LoadOptions::default()).unwrap()
    }

    #[test]
    fn equal_rows_group_together_and_missing_cells_are_equal() {
        let t = table("a,b\n1,x\n2,y\n1,x\n,y\n,y\n");
        let columns: Vec<&Column> = t.columns().iter().collect();
        let groups = RowGroups::of(&columns, 0..t.n_rows());
        assert_eq!(groups.distinct(), 3);
        assert_eq!(groups.repeats(), [(0, 2), (3, 4)]);
    }

    #[test]
    fn numbers_compare_by_value() {
        let t = table("a\n1.0\n-0.0\n1\n0\n");
        let column = t.column("a").unwrap();
        assert_eq!(distinct_count(column), 2);
        assert!(same_row(&[column], 0, 2));
        assert!(same_row(&[column], 1, 3));
    }

    #[test]
    fn find_looks_up_a_row_that_was_not_inserted() {
        let t = table("a,b\n1,x\n2,y\n2,y\n3,z\n");
        let columns: Vec<&Column> = t.columns().iter().collect();
        let train = RowGroups::of(&columns, [0, 1]);
        assert_eq!(train.find(2), Some(1));
        assert_eq!(train.find(3), None);
    }

    /// Groups whose row hashes keep only the low `bits` bits: 0 makes every row collide.
    fn with_hash_bits<'c>(
        columns: &'c [&'c Column],
        bits: u32,
        rows: std::ops::Range<usize>,
    ) -> RowGroups<'c> {
        let mut groups = RowGroups::new(columns);
        groups.mask = 1u64.checked_shl(bits).map_or(u64::MAX, |b| b - 1);
        for row in rows {
            groups.insert(row);
        }
        groups
    }

    #[test]
    fn regression_ids_whose_hashes_collided_are_two_values() {
        // The hash used before gave usr-0000400 and usr-0008900 one hash, and the count of
        // distinct values took that for one value.
        let t = table("id\nusr-0000400\nusr-0008900\n");
        assert_eq!(distinct_count(t.column("id").unwrap()), 2);
    }

    #[test]
    fn colliding_hashes_never_make_different_rows_equal() {
        // Every row hashes alike (no hash bits kept), or into 4 buckets: the groups are still
        // exactly the rows' values, and each lookup compares until it finds its equal.
        let t = table("a,b\n1,x\n2,y\n1,x\n,y\n,y\n2,x\n-0.0,z\n0,z\n");
        let columns: Vec<&Column> = t.columns().iter().collect();
        for bits in [0, 2, 64] {
            let groups = with_hash_bits(&columns, bits, 0..t.n_rows());
            assert_eq!(groups.distinct(), 5, "{bits} bits");
            assert_eq!(groups.repeats(), [(0, 2), (3, 4), (6, 7)], "{bits} bits");
            assert_eq!(groups.repeated().collect::<Vec<_>>(), [vec![0, 2], vec![3, 4], vec![6, 7]]);
            assert_eq!(groups.find(5), Some(5));
        }
        assert_eq!(with_hash_bits(&columns, 64, 0..t.n_rows()).comparisons(), 3, "one per repeat");
    }

    #[test]
    fn ints_compare_exactly_beyond_the_floats_precision() {
        // 2^53 and 2^53 + 1 are one f64, but two ids.
        let t = table("id\n9007199254740992\n9007199254740993\n");
        let id = t.column("id").unwrap();
        assert_eq!(distinct_count(id), 2);
        assert!(!same_row(&[id], 0, 1));
    }

    #[test]
    #[cfg(feature = "bench")]
    fn distinct_numbers_and_texts_stay_apart() {
        // Every value of a 100,000-row generated float column, and texts that differ only in
        // padding, length or order: each its own group, each found by one comparison.
        let csv =
            crate::synth::generate_csv(&crate::synth::SynthSpec { rows: 100_000, ..Default::default() });
        let t = read_csv(&csv, "synth.csv", &LoadOptions::default()).unwrap();
        let x0 = t.column("x0").unwrap();
        let values: std::collections::HashSet<u64> =
            (0..t.n_rows()).map(|row| x0.number(row).unwrap().to_bits()).collect();
        assert_eq!(distinct_count(x0), values.len());
        // Counted up to a few: one past them, then no more.
        assert_eq!(distinct_count_up_to(x0, 50), 51);
        assert_eq!(distinct_count_up_to(x0, 0), 1);
        assert_eq!(distinct_count_up_to(t.column("label").unwrap(), 50), 2);
        let t = table("a,b\nab,x\nab\0,x\nabcdefgh,x\nabcdefgh\0,x\nx,ab\nba,x\n,\n");
        let columns: Vec<&Column> = t.columns().iter().collect();
        let groups = RowGroups::of(&columns, 0..t.n_rows());
        assert_eq!(groups.distinct(), t.n_rows());
        assert_eq!(groups.comparisons(), 0);
        assert!((0..t.n_rows()).all(|row| groups.find(row) == Some(row)));
        assert_eq!(groups.comparisons(), t.n_rows());
    }
}
