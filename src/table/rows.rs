//! Row identity: hashing and comparing cells and rows by value, and grouping equal rows.
//!
//! Several tests ask "is this row the same as that one?" — duplicate rows, conflicting
//! labels, a test row that repeats a train row. They all use the one definition here: cells
//! are equal when both are missing or both hold the same value, numbers compared by value
//! (so `-0` and `0`, or the int `1` and the float `1.0`, are one value).

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use super::{Column, Values};

/// A hash of a cell's value, equal for equal values (missing cells all hash alike).
pub fn cell_hash(column: &Column, row: usize) -> u64 {
    let mut hasher = DefaultHasher::new();
    hash_cell(column, row, &mut hasher);
    hasher.finish()
}

fn hash_cell(column: &Column, row: usize, hasher: &mut DefaultHasher) {
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
    let mut hasher = DefaultHasher::new();
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
        .collect::<HashSet<_>>()
        .len()
}

/// Rows grouped by equal cells in some columns, each group in insertion order.
pub struct RowGroups<'c> {
    columns: &'c [&'c Column],
    /// row hash → indexes into `groups` (more than one only on a hash collision).
    buckets: HashMap<u64, Vec<usize>>,
    groups: Vec<Vec<usize>>,
}

impl<'c> RowGroups<'c> {
    pub fn new(columns: &'c [&'c Column]) -> RowGroups<'c> {
        RowGroups { columns, buckets: HashMap::new(), groups: Vec::new() }
    }

    /// Groups `rows` by their cells.
    pub fn of(columns: &'c [&'c Column], rows: impl IntoIterator<Item = usize>) -> RowGroups<'c> {
        let mut groups = RowGroups::new(columns);
        for row in rows {
            groups.insert(row);
        }
        groups
    }

    /// Adds a row to the group of its equals, or to a new group.
    pub fn insert(&mut self, row: usize) {
        let bucket = self.buckets.entry(row_hash(self.columns, row)).or_default();
        match bucket.iter().find(|&&g| same_row(self.columns, self.groups[g][0], row)) {
            Some(&g) => self.groups[g].push(row),
            None => {
                bucket.push(self.groups.len());
                self.groups.push(vec![row]);
            }
        }
    }

    /// The group of rows equal to `row` (which need not be in the groups), if any.
    pub fn find(&self, row: usize) -> Option<&[usize]> {
        let bucket = self.buckets.get(&row_hash(self.columns, row))?;
        bucket.iter().map(|&g| self.groups[g].as_slice()).find(|group| same_row(self.columns, group[0], row))
    }

    /// How many distinct rows were inserted.
    pub fn distinct(&self) -> usize {
        self.groups.len()
    }

    /// Groups of two or more rows.
    pub fn repeated(&self) -> impl Iterator<Item = &Vec<usize>> {
        self.groups.iter().filter(|g| g.len() > 1)
    }

    /// (first row, later row) for every row that repeats an earlier one, by later row.
    pub fn repeats(&self) -> Vec<(usize, usize)> {
        let mut pairs: Vec<(usize, usize)> =
            self.repeated().flat_map(|g| g[1..].iter().map(move |&row| (g[0], row))).collect();
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
        assert_eq!(train.find(2), Some(&[1][..]));
        assert_eq!(train.find(3), None);
    }
}
