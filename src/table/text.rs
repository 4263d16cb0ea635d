//! A text column's cells stored back to back in one string.
//!
//! One `String` per cell cost 24 bytes of header and a heap block (32 bytes or more) for
//! cells that are often a few bytes long: a file of short text took about 35 times its size.
//! Here a cell costs its bytes and a 4-byte end offset.

use std::fmt;
use std::ops::Index;

use super::LoadErrorKind;

/// The cells of a text column, one per row ("" for a missing row), read like a `Vec<String>`:
/// `column[row]` is a `&str`, with [`TextColumn::len`] and [`TextColumn::iter`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TextColumn {
    /// Every cell's text, back to back.
    text: String,
    /// Where each row's cell ends in `text`; it starts where the previous one ends. `u32`
    /// rather than `usize` halves the offsets' memory and still allows 4 GiB of text, far
    /// beyond the loader's size limit.
    ends: Vec<u32>,
}

impl TextColumn {
    pub fn new() -> TextColumn {
        TextColumn::default()
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// A row's cell, or `None` past the last row.
    pub fn get(&self, row: usize) -> Option<&str> {
        let end = *self.ends.get(row)? as usize;
        let start = if row == 0 { 0 } else { self.ends[row - 1] as usize };
        // Offsets are char boundaries by construction (each is the end of a pushed `&str`).
        self.text.get(start..end)
    }

    /// The cells in row order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + DoubleEndedIterator + '_ {
        (0..self.len()).map(|row| self.get(row).unwrap_or(""))
    }

    /// Room for `rows` more rows of `bytes` bytes in all.
    pub(crate) fn reserve(&mut self, rows: usize, bytes: usize) {
        self.ends.reserve(rows);
        self.text.reserve(bytes);
    }

    /// The bytes of text held so far.
    pub(crate) fn text_len(&self) -> usize {
        self.text.len()
    }

    /// Adds a row's cell. Fails only when the column's text outgrows the `u32` offsets,
    /// which takes a file far beyond any sensible size limit.
    pub(crate) fn push(&mut self, cell: &str) -> Result<(), LoadErrorKind> {
        let end = self.text.len() + cell.len();
        let end = u32::try_from(end)
            .map_err(|_| LoadErrorKind::TooLarge { bytes: end as u64, limit: u64::from(u32::MAX) })?;
        self.text.push_str(cell);
        self.ends.push(end);
        Ok(())
    }

    /// Adds every row of `other` after this column's rows.
    pub(crate) fn append(&mut self, other: &TextColumn) -> Result<(), LoadErrorKind> {
        self.reserve(other.len(), other.text.len());
        for cell in other.iter() {
            self.push(cell)?;
        }
        Ok(())
    }

    /// Gives back spare capacity: the loader reserves from an estimate of the rows to come.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

impl Index<usize> for TextColumn {
    type Output = str;

    /// The cell of `row`; panics past the last row, as indexing a `Vec` does.
    fn index(&self, row: usize) -> &str {
        match self.get(row) {
            Some(cell) => cell,
            None => panic!("row {row} is past the end of a text column of {} rows", self.len()),
        }
    }
}

/// Shown as the list of its cells, as the `Vec<String>` it replaces was.
impl fmt::Debug for TextColumn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(cells: &[&str]) -> TextColumn {
        let mut column = TextColumn::new();
        for cell in cells {
            column.push(cell).expect("fits");
        }
        column
    }

    #[test]
    fn cells_read_back_as_pushed() {
        let c = column(&["alice", "", "bøb", "x\ny"]);
        assert_eq!(c.len(), 4);
        assert_eq!(&c[0], "alice");
        assert_eq!(&c[1], "");
        assert_eq!(&c[2], "bøb");
        assert_eq!(c.get(3), Some("x\ny"));
        assert_eq!(c.get(4), None);
        assert_eq!(c.iter().collect::<Vec<_>>(), ["alice", "", "bøb", "x\ny"]);
        assert_eq!(c.iter().next_back(), Some("x\ny"));
        assert_eq!(format!("{c:?}"), r#"["alice", "", "bøb", "x\ny"]"#);
    }

    #[test]
    fn empty_column() {
        let c = TextColumn::new();
        assert!(c.is_empty());
        assert_eq!(c.iter().count(), 0);
        assert_eq!(c.get(0), None);
    }

    #[test]
    fn append_keeps_both_parts_in_order() {
        let mut a = column(&["1.50", ""]);
        a.append(&column(&["oops", "3e0"])).expect("fits");
        assert_eq!(a, column(&["1.50", "", "oops", "3e0"]));
    }

    #[test]
    fn equal_columns_are_equal_whatever_their_capacity() {
        let mut a = column(&["a", "b"]);
        a.reserve(100, 1000);
        assert_eq!(a, column(&["a", "b"]));
        assert_ne!(column(&["ab", ""]), column(&["a", "b"]));
    }
}
