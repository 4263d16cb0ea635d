//! Row identity: hashing and comparing cells and rows by value, and grouping equal rows.
//!
//! Several tests ask "is this row the same as that one?" — duplicate rows, conflicting
//! labels, a test row that repeats a train row. They all use the one definition here: cells
//! are equal when both are missing or both hold the same value, numbers compared by value
//! (so `-0` and `0`, or the int `1` and the float `1.0`, are one value).
//!
//! Cells hash with the table's [`FastHasher`], not std's SipHash: SipHash resists hash
//! flooding, which no one can aim at a table they load into their own page, and it was most
//! of the data tests' time (hashing every cell of every column for distinct counts). A single
//! number hashes without collisions (each step of it is a bijection of one word).

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hash, Hasher};

use super::hash::{FastHasher, FastMap};
use super::{Column, Values};

/// A map keyed by cell or row hashes.
pub type ByHash<V> = FastMap<u64, V>;

/// A hash of a cell's value, equal for equal values (missing cells all hash alike).
pub fn cell_hash(column: &Column, row: usize) -> u64 {
    let mut hasher = FastHasher::default();
    hash_cell(column, row, &mut hasher);
    hasher.finish()
}

fn hash_cell(column: &Column, row: usize, hasher: &mut FastHasher) {
    if column.is_missing(row) {
        u8::MAX.hash(hasher);
        return;
    }
    match column.values() {
        Values::Int(v) => (v[row] as f64 + 0.0).to_bits().hash(hasher),
        Values::Float(v) => (v[row] + 0.0).to_bits().hash(hasher),
        Values::Bool(v) => v[row].hash(hasher),
        Values::Category { codes, .. } => codes[row].hash(hasher),
        Values::Text(v) => v[row].hash(hasher),
    }
}

/// A hash of a row's cells in `columns`.
pub fn row_hash(columns: &[&Column], row: usize) -> u64 {
    let mut hasher = FastHasher::default();
    for column in columns {
        hash_cell(column, row, &mut hasher);
    }
    hasher.finish()
}

/// Whether rows `a` and `b` hold equal cells in `columns`: the check behind a hash match,
/// so a collision never makes two different rows one.
pub fn same_row(columns: &[&Column], a: usize, b: usize) -> bool {
    columns.iter().all(|c| match (c.is_missing(a), c.is_missing(b)) {
        (true, true) => true,
        (false, false) => match (c.number(a), c.number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => c.text(a) == c.text(b),
        },
        _ => false,
    })
}

/// The number of distinct non-missing values of a column.
pub fn distinct_count(column: &Column) -> usize {
    (0..column.len())
        .filter(|&row| !column.is_missing(row))
        .map(|row| cell_hash(column, row))
        .collect::<HashSet<_, BuildHasherDefault<FastHasher>>>()
        .len()
}

/// Rows grouped by equal cells in some columns, each group in insertion order.
///
/// Most rows of most tables are unique, so a group is its first row plus a list of later
/// rows that stays empty (and unallocated) until a repeat arrives.
pub struct RowGroups<'c> {
    columns: &'c [&'c Column],
    /// row hash → the newest group with that hash; `collisions[g]` is the group before it with
    /// the same hash (different rows whose hashes collide), `NONE` when there is none.
    by_hash: ByHash<usize>,
    collisions: Vec<usize>,
    first: Vec<usize>,
    later: Vec<Vec<usize>>,
}

const NONE: usize = usize::MAX;

impl<'c> RowGroups<'c> {
    pub fn new(columns: &'c [&'c Column]) -> RowGroups<'c> {
        RowGroups {
            columns,
            by_hash: ByHash::default(),
            collisions: Vec::new(),
            first: Vec::new(),
            later: Vec::new(),
        }
    }

    /// Groups `rows` by their cells.
    pub fn of(columns: &'c [&'c Column], rows: impl IntoIterator<Item = usize>) -> RowGroups<'c> {
        let rows = rows.into_iter();
        let mut groups = RowGroups::new(columns);
        groups.by_hash.reserve(rows.size_hint().0);
        for row in rows {
            groups.insert(row);
        }
        groups
    }

    /// Adds a row to the group of its equals, or to a new group.
    pub fn insert(&mut self, row: usize) {
        let hash = row_hash(self.columns, row);
        let newest = self.by_hash.get(&hash).copied().unwrap_or(NONE);
        match self.group_in_chain(newest, row) {
            Some(g) => self.later[g].push(row),
            None => {
                self.by_hash.insert(hash, self.first.len());
                self.collisions.push(newest);
                self.first.push(row);
                self.later.push(Vec::new());
            }
        }
    }

    /// The group equal to `row` among the groups chained from `group`.
    fn group_in_chain(&self, mut group: usize, row: usize) -> Option<usize> {
        while group != NONE {
            if same_row(self.columns, self.first[group], row) {
                return Some(group);
            }
            group = self.collisions[group];
        }
        None
    }

    /// The first inserted row equal to `row` (which need not be in the groups), if any.
    pub fn find(&self, row: usize) -> Option<usize> {
        let newest = *self.by_hash.get(&row_hash(self.columns, row))?;
        self.group_in_chain(newest, row).map(|g| self.first[g])
    }

    /// How many distinct rows were inserted.
    pub fn distinct(&self) -> usize {
        self.first.len()
    }

    /// Groups of two or more rows, each its rows in insertion order.
    pub fn repeated(&self) -> impl Iterator<Item = Vec<usize>> + '_ {
        self.first
            .iter()
            .zip(&self.later)
            .filter(|(_, later)| !later.is_empty())
            .map(|(&first, later)| std::iter::once(first).chain(later.iter().copied()).collect())
    }

    /// (first row, later row) for every row that repeats an earlier one, by later row.
    pub fn repeats(&self) -> Vec<(usize, usize)> {
        let mut pairs: Vec<(usize, usize)> = self
            .first
            .iter()
            .zip(&self.later)
            .flat_map(|(&first, later)| later.iter().map(move |&row| (first, row)))
            .collect();
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

    #[test]
    fn distinct_numbers_and_texts_hash_apart() {
        // Every value of a 100,000-row generated float column, and texts that differ only in
        // padding, length or order: no two hash alike.
        let csv =
            crate::synth::generate_csv(&crate::synth::SynthSpec { rows: 100_000, ..Default::default() });
        let t = read_csv(&csv, "synth.csv", &LoadOptions::default()).unwrap();
        let x0 = t.column("x0").unwrap();
        let values: HashSet<u64> = (0..t.n_rows()).map(|row| x0.number(row).unwrap().to_bits()).collect();
        assert_eq!(distinct_count(x0), values.len());
        let t = table("a,b\nab,x\nab\0,x\nabcdefgh,x\nabcdefgh\0,x\nx,ab\nba,x\n,\n");
        let columns: Vec<&Column> = t.columns().iter().collect();
        let hashes: HashSet<u64> = (0..t.n_rows()).map(|row| row_hash(&columns, row)).collect();
        assert_eq!(hashes.len(), t.n_rows());
    }
}
