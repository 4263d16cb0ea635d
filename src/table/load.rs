//! Bytes of a CSV file → a typed [`Table`].
//!
//! The loader takes bytes, not a path, so the same code runs in the browser (a dropped file
//! or a sample) and in the CLI. It works in two passes:
//!
//! 1. the csv crate's parser splits records (quotes, doubled quotes, CRLF, quoted newlines)
//!    into two reused buffers that keep at most the header's width of fields ([`Records`]);
//!    a record with no quote is split the same way without it, its fields left in place;
//!    a wider record is refused, never held. Each record is checked for UTF-8, each field
//!    trimmed and tested against [`MISSING_TOKENS`], then kept in the most compact form its
//!    column could still take: parsed ints or floats while every cell so far is a number
//!    (each number is parsed once), the cells' text once one is not. The columns are sized
//!    once from the first rows' length, not grown by doubling.
//! 2. the columns that turned from numbers to text on some row get the text of their
//!    earlier cells, as written, from one more read of the file up to the latest such row,
//!    shared by all of them: loading stays linear in the file's size however many columns
//!    turn, where reading again for each column was cubic on a file whose columns turn one
//!    after another.
//! 3. each column's type is decided from what all its cells could be, and its cells become
//!    typed [`Values`] (the numbers as they are; bools and categories from the text).
//!
//! Line numbers are computed here from byte offsets rather than taken from the parser's
//! line count: the csv crate reports a record's line as it was *after the previous
//! record*, so it is one short after a CRLF and does not count skipped blank lines.
//! Computing from the offset makes `lines[i]` the line an editor shows.

use std::collections::HashMap;
use std::io::Read;

use sha2::{Digest, Sha256};

use super::hash::FastMap;
use super::{Column, Lines, LoadError, LoadErrorKind, Table, TextColumn, Values};

/// Cells that mean "missing", compared after trimming ASCII whitespace and ignoring ASCII
/// case: the empty cell and the spellings pandas, R and spreadsheets write for a missing
/// value. `None` is deliberately absent: it is a real category in many data sets.
pub const MISSING_TOKENS: &[&str] = &["", "na", "n/a", "nan", "-nan", "null", "?", "<na>", "#n/a"];

/// The default largest file accepted: 128 MiB, enough for about a million rows of a dozen
/// numeric columns while keeping a browser tab's memory in bounds.
pub const DEFAULT_MAX_BYTES: u64 = 128 * 1024 * 1024;

/// The most columns a file may have: 16,384, the widest sheet a spreadsheet saves (Excel's
/// last column is XFD, the 16,384th), so any table exported from one loads. It is checked on
/// the header before any per-column memory is allocated; without it a header of millions of
/// short names (a few tens of MB) made the loader and the profile allocate per column until
/// the process aborted. A model takes fewer inputs still (its own limit), but data tests can
/// read every column of a wide table.
pub const MAX_COLUMNS: usize = 16_384;

/// A text column becomes a category only if it has at most this many distinct values.
pub const MAX_CATEGORY_LEVELS: usize = 50;

/// The delimiters the sniffer chooses among, in order of preference when they tie.
const CANDIDATE_DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];
/// The sniffer looks at this many records (quoted newlines do not end a record)...
const SNIFF_RECORDS: usize = 20;
/// ...within at most this many bytes.
const SNIFF_BYTES: usize = 1 << 20;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How to read a CSV file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    /// The field delimiter; `None` sniffs it among `,` `;` tab and `|`.
    pub delimiter: Option<u8>,
    /// Files larger than this are refused before any parsing.
    pub max_bytes: u64,
}

impl LoadOptions {
    /// 128 MiB, the default `max_bytes`.
    pub const DEFAULT_MAX_BYTES: u64 = DEFAULT_MAX_BYTES;
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions { delimiter: None, max_bytes: DEFAULT_MAX_BYTES }
    }
}

/// Reads everything `reader` gives, up to `limit` bytes, for [`read_csv`] (whose
/// [`LoadOptions::max_bytes`] is the usual `limit`).
///
/// A file's reported size cannot be trusted to bound a read: `/dev/zero`, a pipe or a file
/// that grows give more bytes than they announce, or never stop. This reads at most
/// `limit + 1` bytes and refuses the input as soon as it is known to be larger.
pub fn read_bounded(reader: impl Read, limit: u64) -> Result<Vec<u8>, LoadErrorKind> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| LoadErrorKind::Read { message: e.to_string() })?;
    if bytes.len() as u64 > limit {
        return Err(LoadErrorKind::TooLargeStream { limit });
    }
    Ok(bytes)
}

/// Reads a CSV file's bytes into a [`Table`]; `name` is used in the table and in errors.
///
/// - A UTF-8 byte-order mark is skipped; CRLF, LF and CR line ends are all accepted; blank
///   and whitespace-only lines are skipped (as pandas' `skip_blank_lines` does).
/// - The first record is the header: names are trimmed and must be non-empty and unique;
///   there are at most [`MAX_COLUMNS`].
/// - Every cell is trimmed of ASCII whitespace; cells in [`MISSING_TOKENS`] are missing.
/// - Each column's type is inferred from its non-missing cells, first match wins:
///   1. **int**: every cell parses as an `i64`;
///   2. **bool**: every cell is `true` or `false`, in any case;
///   3. **float**: every cell parses as an `f64` (Rust's rules: `1e5`, `.5`, `inf`,
///      `-Infinity` are numbers); a cell that reads as NaN is missing;
///   4. **category**: at most 50 distinct values, and each value
///      appears on average at least twice (`2 × distinct ≤ non-missing`), so iris' three
///      species over 150 rows are a category while 150 unique names are text;
///   5. **text** otherwise.
///
///   A column whose cells are all missing is float (all NaN), as pandas reads it.
pub fn read_csv(bytes: &[u8], name: &str, options: &LoadOptions) -> Result<Table, LoadError> {
    read_csv_with(bytes, name, options, sha256_hex)
}

/// [`read_csv`] for a caller that hashes the bytes itself: the table's [`Table::sha256`] is
/// `sha256`, taken as the bytes' lowercase hex SHA-256 (the page's loader gets it from the
/// browser's own SHA-256, which runs beside the parse at native speed; in wasm the loader's
/// was a quarter of reading a file).
pub fn read_csv_hashed(
    bytes: &[u8],
    name: &str,
    options: &LoadOptions,
    sha256: String,
) -> Result<Table, LoadError> {
    read_csv_with(bytes, name, options, |_| sha256)
}

/// [`read_csv`], the bytes' SHA-256 given by `hash` (called once the size is allowed).
fn read_csv_with(
    bytes: &[u8],
    name: &str,
    options: &LoadOptions,
    hash: impl FnOnce(&[u8]) -> String,
) -> Result<Table, LoadError> {
    let fail = |kind| LoadError::new(name, kind);
    let size = bytes.len() as u64;
    if size > options.max_bytes {
        return Err(fail(LoadErrorKind::TooLarge { bytes: size, limit: options.max_bytes }));
    }
    let sha256 = hash(bytes);
    let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(fail(LoadErrorKind::Empty));
    }
    let delimiter = match options.delimiter {
        Some(d @ (b'"' | b'\r' | b'\n')) => {
            return Err(fail(LoadErrorKind::Csv {
                line: None,
                message: format!(
                    "{:?} cannot be the delimiter; use a comma, semicolon, tab or bar",
                    char::from(d)
                ),
            }))
        }
        Some(d) => d,
        None => sniff_delimiter(body),
    };

    let parsed = parse(body, delimiter).map_err(fail)?;
    let columns = parsed.columns.into_iter().map(|(name, buf)| buf.finish(name)).collect();
    Ok(Table::with_lines(name, columns, parsed.lines, sha256, delimiter))
}

/// Bytes hashed per call of the hasher: see [`sha256_hex`].
const HASH_CHUNK: usize = 64 << 10;

/// Lowercase hex SHA-256, the form `sha256sum` prints and suites store.
///
/// Fed in 64 KiB pieces rather than in one call: a browser first runs a wasm function with
/// its baseline compiler and swaps in the optimised code only for calls that start after the
/// function became hot, so one call over a whole file ran at baseline speed throughout — a
/// page's first file of 8.6 MB took 0.5 s to hash instead of 33 ms. Natively the pieces cost
/// nothing measurable.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let mut hasher = Sha256::new();
    for chunk in bytes.chunks(HASH_CHUNK) {
        hasher.update(chunk);
    }
    hex(&hasher.finalize())
}

/// A digest as lowercase hex, the form `sha256sum` prints.
pub fn hex(digest: &[u8]) -> String {
    use std::fmt::Write;
    let mut hex = String::with_capacity(2 * digest.len());
    for byte in digest {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Whether a CSV cell, as the file holds it (untrimmed), is missing: what `read_csv` decides
/// for each cell, for engines that read the file themselves (`query`).
pub fn cell_is_missing(cell: &str) -> bool {
    present_cell(cell).is_none()
}

/// A CSV cell as `read_csv` keeps it: trimmed of ASCII whitespace, or `None` when missing.
pub fn cell_present(cell: &str) -> Option<&str> {
    present_cell(cell)
}

/// A present cell's value as `read_csv` reads a number: an `i64` when the cell is one (an int
/// column's cells), and an `f64` when it is any number (a float column's), bit for bit.
pub fn cell_int(cell: &str) -> Option<i64> {
    present_cell(cell)?.parse().ok()
}

/// See [`cell_int`].
pub fn cell_float(cell: &str) -> Option<f64> {
    parse_float(present_cell(cell)?)
}

/// The delimiter `read_csv` would choose for a file that starts with `head` (its first MB is
/// enough), for engines that read the file themselves (`query`).
pub fn delimiter_of(head: &[u8]) -> u8 {
    sniff_delimiter(head.strip_prefix(UTF8_BOM).unwrap_or(head))
}

fn is_missing(cell: &str) -> bool {
    // Every token is at most 5 bytes; the length test keeps the common case to one compare.
    cell.len() <= 5 && MISSING_TOKENS.iter().any(|t| cell.eq_ignore_ascii_case(t))
}

/// Picks the delimiter among [`CANDIDATE_DELIMITERS`] from the first records.
///
/// The header decides how many fields a record should have; a candidate is eligible when it
/// splits the header into at least two fields, and scores the number of sampled records
/// that it splits into the header's count. The best score wins, ties going to the earlier
/// candidate. A semicolon file with decimal commas (`1,5;2,0`) is read right because the
/// header has no commas. No eligible candidate means a one-column file: `,`.
fn sniff_delimiter(body: &[u8]) -> u8 {
    let truncated = body.len() > SNIFF_BYTES;
    let sample = &body[..body.len().min(SNIFF_BYTES)];
    let mut best: Option<(usize, u8)> = None;
    for delimiter in CANDIDATE_DELIMITERS {
        let counts = field_counts(sample, delimiter, truncated);
        let Some(&header) = counts.first() else {
            continue;
        };
        if header < 2 {
            continue;
        }
        let score = counts.iter().filter(|&&c| c == header).count();
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, delimiter));
        }
    }
    best.map_or(b',', |(_, d)| d)
}

/// The number of fields of each of the first [`SNIFF_RECORDS`] non-blank records if
/// `delimiter` were the delimiter, with the csv crate's quoting rules: a quote opens a
/// quoted field only at the start of a field, `""` inside it is a literal quote, and line
/// breaks inside it do not end the record. When `truncated`, the last, unfinished record
/// is not counted.
fn field_counts(sample: &[u8], delimiter: u8, truncated: bool) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut fields = 1;
    let mut in_quotes = false;
    let mut at_field_start = true;
    let mut has_content = false;
    let mut i = 0;
    while i < sample.len() && counts.len() < SNIFF_RECORDS {
        let b = sample[i];
        if in_quotes {
            if b == b'"' {
                if sample.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if b == b'\n' || b == b'\r' {
            if has_content {
                counts.push(fields);
            }
            fields = 1;
            at_field_start = true;
            has_content = false;
        } else if b == delimiter {
            fields += 1;
            at_field_start = true;
            has_content = true;
        } else {
            in_quotes = b == b'"' && at_field_start;
            at_field_start = false;
            has_content = true;
        }
        i += 1;
    }
    if has_content && !truncated && counts.len() < SNIFF_RECORDS {
        counts.push(fields);
    }
    counts
}

/// Counts line breaks the way editors number lines: `\n`, `\r\n` and a lone `\r` each end
/// one line.
fn count_breaks(bytes: &[u8]) -> u64 {
    let mut n = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n
}

/// Tracks the 1-based line at a byte offset as records are read in order, so the whole
/// file is scanned once however many records there are.
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> LineCounter<'a> {
        LineCounter { bytes, offset: 0, line: 1 }
    }

    /// The line on which a record that the csv reader says starts at byte `position`
    /// really starts. The reader's position is just after the previous record, which may be
    /// before the `\n` of a CRLF or before blank lines it skipped, so line-break bytes are
    /// stepped over first (a record never begins with one: blank lines are not records).
    /// `quote_free` says that the previous record had no quote, so no line break within it.
    fn record_start(&mut self, position: u64, quote_free: bool) -> u64 {
        let len = self.bytes.len();
        let mut start = usize::try_from(position).unwrap_or(len).clamp(self.offset, len);
        while start < len && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        // `offset` is always a record's first byte (or the start or end of the file), never
        // the `\n` of a CRLF, so no line break is counted twice across two calls.
        let passed = &self.bytes[self.offset..start];
        // A line break inside a record can only be in a quoted field, so without a quote the
        // breaks are all in the run of `\r`/`\n` at the end (the record's terminator and the
        // empty lines after it): counting that run instead of every byte of the record was
        // a few percent of reading a file. A record split in place is known to have no quote.
        let breaks = if !quote_free && passed.contains(&b'"') {
            passed
        } else {
            let content = passed.iter().rposition(|&b| !matches!(b, b'\r' | b'\n')).map_or(0, |i| i + 1);
            &passed[content..]
        };
        self.line += count_breaks(breaks);
        self.offset = start;
        self.line
    }
}

/// A column's missing flags while it is read: none until its first missing cell, then one
/// a row. Most columns of most files have no missing cell, and their flags would be a byte
/// a row that the table drops anyway ([`Column::new`]): 12 MB held while a million rows of
/// twelve columns are read.
#[derive(Default)]
struct Mask {
    flags: Option<Vec<bool>>,
    rows: usize,
    /// The rows the flags make room for when they are built (the loader's estimate).
    expected: usize,
}

impl Mask {
    fn push(&mut self, missing: bool) {
        match &mut self.flags {
            Some(flags) => flags.push(missing),
            None if missing => {
                let mut flags = Vec::with_capacity(self.expected.max(self.rows + 1));
                flags.resize(self.rows, false);
                flags.push(true);
                self.flags = Some(flags);
            }
            None => {}
        }
        self.rows += 1;
    }

    /// Expects `rows` more rows.
    fn reserve(&mut self, rows: usize) {
        self.expected = self.rows.saturating_add(rows);
        if let Some(flags) = &mut self.flags {
            flags.reserve(rows);
        }
    }

    /// The rows still expected.
    fn room(&self) -> usize {
        self.expected.saturating_sub(self.rows)
    }

    fn len(&self) -> usize {
        self.rows
    }

    fn is_missing(&self, row: usize) -> bool {
        self.flags.as_ref().is_some_and(|flags| flags[row])
    }

    /// A flag a row, or none when no row is missing.
    fn into_flags(self) -> Vec<bool> {
        self.flags.unwrap_or_default()
    }
}

/// One column's cells after the first pass, kept in the most compact form they could all
/// still take: parsed numbers while every cell so far is a number, so that a number is
/// parsed once and a numeric column (most columns of most data sets) never keeps its text;
/// the cells' text once some cell is not a number. The missing mask is kept beside them.
struct ColumnBuf {
    missing: Mask,
    /// Non-missing cells.
    present: usize,
    cells: Cells,
}

enum Cells {
    /// Every non-missing cell so far is an `i64`; missing rows hold 0. `negative_zeros` are
    /// the rows written `-0` (or `-00`…), the one int whose float (-0.0) differs from the
    /// int's, should a later cell make the column float.
    Int { values: Vec<i64>, negative_zeros: Vec<usize> },
    /// Every non-missing cell so far is an `f64` and some is not an `i64`; missing rows hold
    /// NaN.
    Float(Vec<f64>),
    /// Some cell is not a number: the trimmed text of every row from row `from` on ("" when
    /// missing), and whether every non-missing cell is `true` or `false` in some case. The
    /// rows before `from` were numbers, kept as numbers until then; their text is read
    /// again once the whole file has been read ([`fill_earlier_text`]), which sets `from`
    /// to 0.
    Text { cells: TextColumn, from: usize, could_be_bool: bool },
}

impl ColumnBuf {
    fn new() -> ColumnBuf {
        ColumnBuf {
            missing: Mask::default(),
            present: 0,
            cells: Cells::Int { values: Vec::new(), negative_zeros: Vec::new() },
        }
    }

    /// Makes room for `rows` more rows, so the column grows once instead of by doubling
    /// (each doubling copies it, and in wasm grows the linear memory it never gives back).
    fn reserve(&mut self, rows: usize) {
        self.missing.reserve(rows);
        match &mut self.cells {
            Cells::Int { values, .. } => values.reserve(rows),
            Cells::Float(values) => values.reserve(rows),
            Cells::Text { cells, .. } => cells.reserve(rows, rows.saturating_mul(text_per_row(cells))),
        }
    }

    /// The bytes [`ColumnBuf::reserve`] takes for each row.
    fn reserve_per_row(&self) -> usize {
        1 + match &self.cells {
            Cells::Int { .. } | Cells::Float(_) => 8,
            Cells::Text { cells, .. } => 4 + text_per_row(cells),
        }
    }

    /// Adds a row's cell (already UTF-8).
    fn push(&mut self, cell: &str) -> Result<(), LoadErrorKind> {
        let Some(cell) = present_cell(cell) else {
            self.missing.push(true);
            match &mut self.cells {
                Cells::Int { values, .. } => values.push(0),
                Cells::Float(values) => values.push(f64::NAN),
                Cells::Text { cells, .. } => cells.push("")?,
            }
            return Ok(());
        };
        if !matches!(self.cells, Cells::Text { .. }) && !self.push_number(cell) {
            self.become_text();
        }
        if let Cells::Text { cells, could_be_bool, .. } = &mut self.cells {
            *could_be_bool &= cell.eq_ignore_ascii_case("true") || cell.eq_ignore_ascii_case("false");
            cells.push(cell)?;
        }
        self.present += 1;
        self.missing.push(false);
        Ok(())
    }

    /// Adds a non-missing cell to a numeric column, or returns false without adding it when
    /// the cell is not a number of the column's kind or any other.
    fn push_number(&mut self, cell: &str) -> bool {
        match &mut self.cells {
            Cells::Int { values, negative_zeros } => match cell.parse::<i64>() {
                Ok(x) => {
                    if x == 0 && cell.starts_with('-') {
                        negative_zeros.push(values.len());
                    }
                    values.push(x);
                }
                Err(_) => {
                    let Some(x) = parse_float(cell) else {
                        return false;
                    };
                    // The earlier cells were ints: an int's float is the int converted
                    // (both round the same exact integer to nearest, ties to even), except
                    // that "-0" reads as -0.0.
                    let mut floats: Vec<f64> = Vec::with_capacity(values.capacity());
                    floats.extend(values.iter().enumerate().map(|(row, &v)| {
                        if self.missing.is_missing(row) {
                            f64::NAN
                        } else {
                            v as f64
                        }
                    }));
                    for &row in negative_zeros.iter() {
                        floats[row] = -0.0;
                    }
                    floats.push(x);
                    self.cells = Cells::Float(floats);
                }
            },
            Cells::Float(values) => match parse_float(cell) {
                Some(x) => values.push(x),
                None => return false,
            },
            Cells::Text { .. } => return false,
        }
        true
    }

    /// Turns a numeric column into a text one from the current row on; the numbers of the
    /// earlier rows are dropped, and their text read again later.
    fn become_text(&mut self) {
        let from = self.missing.len();
        let mut cells = TextColumn::new();
        // The offsets of the rows still expected (the capacity reserved from the estimate),
        // so that they grow once; the text's size is not known yet.
        cells.reserve(self.missing.room(), 0);
        // Every earlier non-missing cell was a number, so the column is only still a bool
        // if it had none.
        self.cells = Cells::Text { cells, from, could_be_bool: self.present == 0 };
    }

    /// Puts `earlier`, the text of the rows before the column turned to text, in front of
    /// the text kept since.
    fn prepend_text(&mut self, mut earlier: TextColumn) -> Result<(), LoadErrorKind> {
        if let Cells::Text { cells, from, .. } = &mut self.cells {
            debug_assert_eq!(earlier.len(), *from);
            earlier.append(cells)?;
            *cells = earlier;
            *from = 0;
        }
        Ok(())
    }

    /// Decides the column's type (see [`read_csv`]) and converts its cells.
    fn finish(self, name: String) -> Column {
        let ColumnBuf { missing, present, cells } = self;
        let rows = missing.len();
        // The room reserved from the row estimate but not used is given back: the table
        // lives on, and a crafted file can make the estimate far too large.
        let mut missing = missing.into_flags();
        missing.shrink_to_fit();
        let values = match cells {
            _ if present == 0 => Values::Float(vec![f64::NAN; rows]),
            Cells::Int { mut values, .. } => {
                values.shrink_to_fit();
                Values::Int(values)
            }
            Cells::Float(mut values) => {
                values.shrink_to_fit();
                // "+nan" and similar spellings parse but carry no value: they are missing,
                // so the mask stays the only authority.
                if missing.is_empty() && values.iter().any(|x| x.is_nan()) {
                    missing = vec![false; rows];
                }
                for (x, is_missing) in values.iter().zip(missing.iter_mut()) {
                    *is_missing |= x.is_nan();
                }
                Values::Float(values)
            }
            Cells::Text { cells, could_be_bool: true, .. } => {
                Values::Bool(cells.iter().map(|cell| cell.eq_ignore_ascii_case("true")).collect())
            }
            Cells::Text { cells, could_be_bool: false, .. } => categories_or_text(cells, &missing, present),
        };
        Column::new(name, values, missing)
    }
}

/// A cell trimmed of ASCII whitespace, or `None` when it is missing.
#[inline]
fn present_cell(cell: &str) -> Option<&str> {
    let cell = cell.trim_ascii();
    (!is_missing(cell)).then_some(cell)
}

/// `cell.parse::<f64>()`, bit for bit, with a fast path for the plain decimals (`-0.5450`,
/// `12`, `3.`) that make up most numeric CSV files.
///
/// A decimal of at most 19 digits whose digits, read as an integer `m`, satisfy
/// `m ≤ 2⁵³`, with `k ≤ 22` digits after the point, is `m / 10ᵏ` where both `m` and `10ᵏ`
/// are exact doubles: one IEEE division rounds that quotient correctly, which is what the
/// standard parser guarantees too (Clinger's fast path, the first step of the standard
/// parser itself). Skipping the standard parser's general machinery made parsing about
/// twice as fast. Everything else (exponents, `inf`, long digit strings) goes to the
/// standard parser.
fn parse_float(cell: &str) -> Option<f64> {
    plain_decimal(cell.as_bytes()).or_else(|| cell.parse().ok())
}

/// Powers of ten that are exact doubles.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    1e19, 1e20, 1e21, 1e22,
];

/// The fast path of [`parse_float`]: `[+-]digits[.digits]` with at least one digit, or
/// `None` for anything else or anything out of its exact range.
fn plain_decimal(bytes: &[u8]) -> Option<f64> {
    // The sign without a branch, here and at the end: in a column of signed values it is
    // a coin toss, and the branch on it mispredicted half the time (a third of this
    // function's samples under perf sat on it).
    let first = *bytes.first()?;
    let negative = first == b'-';
    let number = &bytes[usize::from(negative || first == b'+')..];
    // One pass: digits go into the mantissa (wrapping; more than 19 digits are refused
    // below), and the point's position gives the number of fraction digits.
    let mut mantissa: u64 = 0;
    let mut digits = 0;
    let mut point = None;
    for (i, &b) in number.iter().enumerate() {
        let digit = b.wrapping_sub(b'0');
        if digit <= 9 {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(digit));
            digits += 1;
        } else if b == b'.' && point.is_none() {
            point = Some(i);
        } else {
            return None;
        }
    }
    let fraction_digits = point.map_or(0, |p| number.len() - p - 1);
    if digits == 0 || digits > 19 || mantissa > 1 << 53 || fraction_digits >= EXACT_POWERS_OF_TEN.len() {
        return None;
    }
    let x = mantissa as f64 / EXACT_POWERS_OF_TEN[fraction_digits];
    // `x` is not negative (a count over a power of ten), so setting the sign bit is `-x`,
    // -0.0 included.
    Some(f64::from_bits(x.to_bits() | (u64::from(negative) << 63)))
}

/// The bytes of text per row so far, rounded up: what each row to come is reserved.
fn text_per_row(cells: &TextColumn) -> usize {
    cells.text_len().div_ceil(cells.len().max(1))
}

/// Whether a text column of `levels` distinct values among its `present` cells is a category:
/// at most [`MAX_CATEGORY_LEVELS`] of them, each seen twice on average (see [`read_csv`]).
pub fn is_category(levels: usize, present: usize) -> bool {
    levels <= MAX_CATEGORY_LEVELS && 2 * levels <= present
}

/// A category when the levels are few and repeated (see [`read_csv`]), text otherwise;
/// `present` is the number of non-missing cells; `missing` a flag a cell, or empty when none
/// is missing. Text keeps `cells` as they are.
pub(crate) fn categories_or_text(mut cells: TextColumn, missing: &[bool], present: usize) -> Values {
    let category = {
        let mut levels: Vec<&str> = Vec::new();
        // Looked up once per cell: the fast hasher, not SipHash.
        let mut index: FastMap<&str, u32> = FastMap::default();
        let mut codes = Vec::with_capacity(cells.len());
        let mut too_many = false;
        for (row, cell) in cells.iter().enumerate() {
            if missing.get(row).copied().unwrap_or(false) {
                codes.push(0);
                continue;
            }
            let code = match index.get(cell) {
                Some(&code) => code,
                None if levels.len() >= MAX_CATEGORY_LEVELS => {
                    too_many = true;
                    break;
                }
                None => {
                    // At most MAX_CATEGORY_LEVELS levels, so the code fits in u32.
                    let code = levels.len() as u32;
                    levels.push(cell);
                    index.insert(cell, code);
                    code
                }
            };
            codes.push(code);
        }
        (!too_many && is_category(levels.len(), present))
            .then(|| (codes, levels.into_iter().map(str::to_owned).collect::<Vec<String>>()))
    };
    match category {
        Some((codes, levels)) => Values::Category { codes, levels },
        None => {
            cells.shrink_to_fit();
            Values::Text(cells)
        }
    }
}

struct Parsed {
    columns: Vec<(String, ColumnBuf)>,
    lines: Lines,
}

/// After this many rows the loader estimates the file's row count from their bytes and
/// reserves every column's room at once.
const SIZING_ROWS: usize = 64;

/// The room reserved from that estimate is at most this many bytes of memory per byte of
/// the file still to read. The estimate trusts the first rows to be typical; a crafted file
/// of short rows and then one long quoted field would otherwise have every column reserve
/// room for millions of rows that never come. Four covers ordinary files (a numeric cell of
/// two or more bytes and its delimiter take at most 9 bytes of memory for every 3 in the
/// file); narrower rows beyond it grow as needed.
const RESERVE_PER_BYTE: u64 = 4;

/// The records of a file in memory, split by the csv crate's parser (csv-core: quotes,
/// doubled quotes, CRLF, LF and lone CR line ends, empty lines skipped), keeping at most
/// `limit` fields of a record.
///
/// The csv crate's `ByteRecord` grows to hold every field of a record, 8 bytes of bounds
/// each before the loader could look at the count: one line of 100 million commas (100 MB)
/// took 1.15 GB to be called ragged. Here the field ends stop growing at the limit
/// ([`MAX_COLUMNS`] for the header, then the header's width), and a record with more fields
/// is only counted, in the same two buffers, for its message. The whole file being in
/// memory, the parser reads it in place rather than through a reader's copy.
///
/// A record with no quote in it (most records of most files) is split here without the
/// parser: with no quote, csv-core's rules come down to "fields end at the delimiter, the
/// record at the first `\r` or `\n`", and its fields are left where they are in the file
/// rather than copied. The parser's state machine and copy were a fifth of loading a
/// numeric file; this split is one compare loop over the bytes.
struct Records<'a> {
    parser: csv_core::Reader,
    body: &'a [u8],
    delimiter: u8,
    /// The bytes that end a field when splitting in place (the delimiter, `\r`, `\n`) or
    /// send the record to the parser (`"`); all false when the delimiter is itself a quote
    /// or a line break, whose records are all left to the parser.
    special: [bool; 256],
    /// Bytes of `body` read: where the next record's read begins.
    at: usize,
    /// The fields of the record read last, unescaped and back to back, when the parser read
    /// it.
    fields: Vec<u8>,
    /// Where the record read last starts in `body` when it was split in place; its fields
    /// are then in `body`, one delimiter between each and the next.
    in_place: Option<usize>,
    /// Where each of its fields ends, in `fields` or (split in place) from its start in
    /// `body`; `ends.len()` never exceeds `limit`.
    ends: Vec<usize>,
    /// Its number of fields (0 after a record that did not fit).
    len: usize,
    /// The most fields kept of a record.
    limit: usize,
}

/// What [`Records::next`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Record {
    /// A record of at most the limit's fields, which the reader holds.
    Fits,
    /// A record of `fields` fields, more than the limit; none of its fields is kept.
    TooWide { fields: usize },
}

impl<'a> Records<'a> {
    fn new(body: &'a [u8], delimiter: u8, limit: usize) -> Records<'a> {
        let mut special = [false; 256];
        if !matches!(delimiter, b'"' | b'\r' | b'\n') {
            for b in [delimiter, b'\r', b'\n', b'"'] {
                special[usize::from(b)] = true;
            }
        }
        Records {
            parser: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            body,
            delimiter,
            special,
            at: 0,
            // Never empty: `count_rest` reuses it whole and relies on the parser moving on.
            fields: vec![0; 1024],
            in_place: None,
            ends: vec![0; limit.clamp(1, 64)],
            len: 0,
            limit: limit.max(1),
        }
    }

    /// Keeps at most `limit` fields of the records to come.
    fn set_limit(&mut self, limit: usize) {
        self.limit = limit.max(1);
        self.ends.truncate(self.limit);
    }

    /// Reads the next record: the byte at which its read began (the end of the previous
    /// record, as the csv crate's `position` gives it) and whether it fit, or `None` at the
    /// end of the file.
    fn next(&mut self) -> Option<(usize, Record)> {
        use csv_core::ReadRecordResult as R;
        let start = self.at;
        self.len = 0;
        // The parser's first read strips a byte-order mark, which a split in place would
        // keep: the first record is always the parser's.
        if start > 0 && self.split_in_place() {
            return Some((start, Record::Fits));
        }
        self.in_place = None;
        let (mut out, mut end) = (0, 0);
        loop {
            // An empty input (the end of the file) tells the parser to finish the last record.
            let (result, nin, nout, nend) = self.parser.read_record(
                &self.body[self.at..],
                &mut self.fields[out..],
                &mut self.ends[end..],
            );
            self.at += nin;
            out += nout;
            end += nend;
            match result {
                R::InputEmpty => {}
                R::OutputFull => self.fields.resize(2 * self.fields.len(), 0),
                R::OutputEndsFull if self.ends.len() < self.limit => {
                    let grown = (2 * self.ends.len()).min(self.limit);
                    self.ends.resize(grown, 0);
                }
                R::OutputEndsFull => {
                    return Some((start, Record::TooWide { fields: end + self.count_rest() }))
                }
                R::Record => {
                    self.len = end;
                    return Some((start, Record::Fits));
                }
                R::End => return None,
            }
        }
    }

    /// Splits the next record in place when it has no quote and fits, as the parser would
    /// split it, and returns whether it did; otherwise nothing is read.
    ///
    /// Between records the parser skips every `\r` and `\n` (blank lines are not records,
    /// and the `\n` of a CRLF is left for the next read), whatever state the previous record
    /// left it in, so the records it reads after one split here are the ones it would have
    /// read. Without a quote, a record's fields end at each delimiter and the record at the
    /// first line break, which is consumed (a quote is special only at a field's start, but
    /// any quote sends the record to the parser).
    fn split_in_place(&mut self) -> bool {
        let rest = &self.body[self.at..];
        // At the end of the file the parser reports the end.
        let Some(first) = rest.iter().position(|&b| b != b'\r' && b != b'\n') else {
            return false;
        };
        if !self.special[usize::from(b'"')] {
            return false;
        }
        let mut n = 0;
        let mut i = first;
        loop {
            i += self.plain_run(&rest[i..]);
            match rest.get(i) {
                Some(b'"') => return false,
                Some(&b) if b == self.delimiter => {
                    if n == self.ends.len() && !self.grow_ends() {
                        return false;
                    }
                    self.ends[n] = i - first;
                    n += 1;
                    i += 1;
                }
                // A line break or the end of the file.
                _ => break,
            }
        }
        if n == self.ends.len() && !self.grow_ends() {
            return false;
        }
        self.ends[n] = i - first;
        self.len = n + 1;
        self.in_place = Some(self.at + first);
        // The line break that ended it, if any, is consumed as the parser consumes it.
        self.at += (i + 1).min(rest.len());
        true
    }

    /// The number of bytes at the start of `bytes` before the first one that ends a field
    /// or is a quote (all of them when there is none).
    ///
    /// Eight bytes at a time: a field of a numeric file is about that long, so its end is
    /// usually found in the first word, where a loop over its bytes took a branch each.
    #[inline]
    fn plain_run(&self, bytes: &[u8]) -> usize {
        const ONES: u64 = u64::from_le_bytes([1; 8]);
        const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
        // The high bit of each byte of `word` equal to `b`, and possibly of bytes after
        // such a byte (a borrow), never before it: the lowest bit set marks the first.
        let equal = |word: u64, b: u8| {
            let x = word ^ (ONES * u64::from(b));
            x.wrapping_sub(ONES) & !x & HIGHS
        };
        let mut i = 0;
        while let Some(chunk) = bytes.get(i..i + 8) {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            let word = u64::from_le_bytes(word);
            let found =
                equal(word, self.delimiter) | equal(word, b'\r') | equal(word, b'\n') | equal(word, b'"');
            if found != 0 {
                return i + (found.trailing_zeros() / 8) as usize;
            }
            i += 8;
        }
        while i < bytes.len() && !self.special[usize::from(bytes[i])] {
            i += 1;
        }
        i
    }

    /// Makes room for one more field end within the limit, or returns false.
    #[cold]
    fn grow_ends(&mut self) -> bool {
        let n = self.ends.len();
        if n >= self.limit {
            return false;
        }
        self.ends.resize((2 * n).clamp(n + 1, self.limit), 0);
        true
    }

    /// Reads the rest of a record that did not fit and returns its number of fields still to
    /// come, writing them over the buffers as they are: nothing grows.
    fn count_rest(&mut self) -> usize {
        use csv_core::ReadRecordResult as R;
        let mut count = 0;
        loop {
            let (result, nin, _, nend) =
                self.parser.read_record(&self.body[self.at..], &mut self.fields, &mut self.ends);
            self.at += nin;
            count += nend;
            if matches!(result, R::Record | R::End) {
                return count;
            }
        }
    }

    /// The number of fields of the record read last.
    fn len(&self) -> usize {
        self.len
    }

    /// Where field `i` of the record read last is in [`Records::span`].
    #[inline]
    fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        let end = *self.ends[..self.len].get(i)?;
        // Split in place, a delimiter separates each field from the one before.
        let gap = usize::from(self.in_place.is_some());
        let start = if i == 0 { 0 } else { self.ends[i - 1] + gap };
        Some(start..end)
    }

    /// Field `i` of the record read last.
    fn get(&self, i: usize) -> Option<&[u8]> {
        self.range(i).map(|range| &self.span()[range])
    }

    /// The bytes holding the fields of the record read last, in order: back to back when
    /// the parser read it, as in the file (delimiters between them) when split in place.
    #[inline]
    fn span(&self) -> &[u8] {
        let end = self.len.checked_sub(1).map_or(0, |last| self.ends[last]);
        match self.in_place {
            Some(start) => &self.body[start..start + end],
            None => &self.fields[..end],
        }
    }

    /// The fields of the record read last, in order.
    fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len).filter_map(|i| self.get(i))
    }

    /// The bytes the reader holds for fields and their ends, however long the records.
    #[cfg(test)]
    fn buffered(&self) -> usize {
        self.fields.capacity() + std::mem::size_of::<usize>() * self.ends.capacity()
    }
}

/// The first pass: header checks, ragged rows, UTF-8, and the per-column buffers.
fn parse(body: &[u8], delimiter: u8) -> Result<Parsed, LoadErrorKind> {
    // At most MAX_COLUMNS fields of the header are kept, then at most its width of each row:
    // a wider record is refused with its count, never held (5 million names in a header,
    // 100 million commas in a row, were hundreds of MB of field bounds).
    let mut records = Records::new(body, delimiter, MAX_COLUMNS);
    let mut lines = LineCounter::new(body);

    let header_line = loop {
        match read_record(&mut records, &mut lines) {
            // The file is not all whitespace, so some record comes before the end.
            None => return Err(LoadErrorKind::Empty),
            Some((line, Record::TooWide { fields })) => {
                return Err(LoadErrorKind::TooManyColumns { line, found: fields, limit: MAX_COLUMNS })
            }
            Some(_) if is_blank(&records) => continue,
            Some((line, Record::Fits)) => break line,
        }
    };
    let names = header_names(&records, header_line)?;
    let expected = names.len();
    records.set_limit(expected);
    let mut columns: Vec<(String, ColumnBuf)> = names.into_iter().map(|n| (n, ColumnBuf::new())).collect();
    let mut row_lines = Lines::empty();
    // The rows the estimate expects in all, once made: room a list built later reserves.
    let mut expected_rows = 0;
    let data_start = records.at as u64;

    while let Some((line, record)) = read_record(&mut records, &mut lines) {
        let number = row_lines.len() as u64 + 1;
        let found = match record {
            Record::TooWide { fields } => fields,
            Record::Fits if is_blank(&records) => continue,
            Record::Fits => records.len(),
        };
        if found != expected {
            return Err(LoadErrorKind::Ragged { record: number, line, found, expected });
        }
        if row_lines.len() == SIZING_ROWS {
            let now = records.at as u64;
            let estimate = estimate_rows(body.len() as u64, data_start, now, SIZING_ROWS);
            // Bytes of memory reserved per row: its line, and each column's share.
            let per_row = 8 + columns.iter().map(|(_, buf)| buf.reserve_per_row()).sum::<usize>();
            let rows = estimate.min(reservable_rows(body.len() as u64 - now, per_row));
            expected_rows = SIZING_ROWS + rows;
            for (_, buf) in &mut columns {
                buf.reserve(rows);
            }
        }
        // One UTF-8 check of the whole record rather than one per field: its fields are
        // in order in `span`, so when it is valid and a field both starts and ends on a
        // character boundary, that field is valid. The end matters as much as the start:
        // `Ann\xd9` `,` `\x9a34` is two invalid fields whose bytes, once the comma is gone,
        // spell a valid character. Otherwise the field is checked on its own to name the
        // one at fault.
        let whole = std::str::from_utf8(records.span()).ok();
        for (i, (name, buf)) in columns.iter_mut().enumerate() {
            let cell = match whole.zip(records.range(i)).and_then(|(text, range)| text.get(range)) {
                Some(cell) => cell,
                None => {
                    let field = records.get(i).unwrap_or_default();
                    std::str::from_utf8(field).map_err(|e| LoadErrorKind::NotUtf8 {
                        line: field_line(&records, i, line, e.valid_up_to()),
                        column: i + 1,
                        name: Some(name.clone()),
                    })?
                }
            };
            buf.push(cell)?;
        }
        row_lines.push(line, expected_rows.saturating_sub(row_lines.len() + 1));
    }
    if row_lines.len() == 0 {
        return Err(LoadErrorKind::HeaderOnly);
    }
    fill_earlier_text(body, delimiter, &mut columns)?;
    Ok(Parsed { columns, lines: row_lines })
}

/// The rows still to come in a file of `size` bytes whose data starts at byte `start` and
/// whose first `rows` rows end at byte `now`, with 2% to spare so that a file whose later
/// rows are a little longer still fits.
fn estimate_rows(size: u64, start: u64, now: u64, rows: usize) -> usize {
    let per_row = (now.saturating_sub(start) / rows as u64).max(1);
    let rest = size.saturating_sub(now) / per_row;
    usize::try_from(rest + rest / 50).unwrap_or(usize::MAX)
}

/// At most as many rows as the file's remaining `rest` bytes, taken [`RESERVE_PER_BYTE`]
/// times, hold when each row reserves `per_row` bytes.
fn reservable_rows(rest: u64, per_row: usize) -> usize {
    let rows = rest.saturating_mul(RESERVE_PER_BYTE) / (per_row.max(1) as u64);
    usize::try_from(rows).unwrap_or(usize::MAX)
}

/// Gives every column that turned from numbers to text after its first row the text of its
/// earlier cells, as written (`007`, `1.50`), from one read of the file up to the latest
/// row on which a column turned.
///
/// Numeric columns keep only their numbers, which is what lets most columns of most files
/// skip keeping their text; the few that turn to text need it back. One shared read keeps
/// this linear in the file's size; a read per column, up to its row, was cubic on a file
/// whose columns turn one after another (N columns over N rows: 20 s at N = 2,000).
fn fill_earlier_text(
    body: &[u8],
    delimiter: u8,
    columns: &mut [(String, ColumnBuf)],
) -> Result<(), LoadErrorKind> {
    // (column, row it turned on, its earlier cells), the latest to turn first, so that the
    // columns still wanting a row's cell are always the first ones.
    let mut turned: Vec<(usize, usize, TextColumn)> = columns
        .iter()
        .enumerate()
        .filter_map(|(i, (_, buf))| match buf.cells {
            Cells::Text { from, .. } if from > 0 => {
                let mut earlier = TextColumn::new();
                earlier.reserve(from, 0);
                Some((i, from, earlier))
            }
            _ => None,
        })
        .collect();
    turned.sort_by_key(|&(i, from, _)| (std::cmp::Reverse(from), i));
    let Some(&(_, rows, _)) = turned.first() else {
        return Ok(());
    };
    // These records were read and checked once already: they all fit.
    let mut records = Records::new(body, delimiter, MAX_COLUMNS);
    let mut header = true;
    let mut row = 0;
    let mut wanting = turned.len();
    while row < rows && records.next().is_some() {
        if is_blank(&records) || std::mem::take(&mut header) {
            continue;
        }
        while wanting > 0 && turned[wanting - 1].1 <= row {
            wanting -= 1;
        }
        for (i, _, earlier) in &mut turned[..wanting] {
            let cell = records.get(*i).and_then(|f| std::str::from_utf8(f).ok()).unwrap_or_default();
            earlier.push(present_cell(cell).unwrap_or_default())?;
        }
        row += 1;
    }
    for (i, _, earlier) in turned {
        columns[i].1.prepend_text(earlier)?;
    }
    Ok(())
}

/// Reads the next record and returns the line it starts on and whether it fit, or `None`
/// at the end.
fn read_record(records: &mut Records<'_>, lines: &mut LineCounter<'_>) -> Option<(u64, Record)> {
    // Where the read began is where the previous record stopped; that is the offset
    // `LineCounter` corrects.
    let quote_free = records.in_place.is_some();
    let (at, record) = records.next()?;
    Some((lines.record_start(at as u64, quote_free), record))
}

/// A record that is a single whitespace-only field is a blank line, not a row.
fn is_blank(record: &Records<'_>) -> bool {
    record.len() == 1 && record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace))
}

/// The line of the byte at `offset` in field `index`, for a record starting on `line`:
/// earlier fields and the start of this one may hold quoted line breaks.
fn field_line(record: &Records<'_>, index: usize, line: u64, offset: usize) -> u64 {
    let before: u64 = record.iter().take(index).map(count_breaks).sum();
    let within = record.get(index).map_or(0, |f| count_breaks(&f[..offset.min(f.len())]));
    line + before + within
}

/// The header's names, trimmed, checked to be UTF-8, non-empty and unique.
fn header_names(record: &Records<'_>, line: u64) -> Result<Vec<String>, LoadErrorKind> {
    let mut names: Vec<String> = Vec::with_capacity(record.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, field) in record.iter().enumerate() {
        let column = i + 1;
        let name = std::str::from_utf8(field)
            .map_err(|e| LoadErrorKind::NotUtf8 {
                line: field_line(record, i, line, e.valid_up_to()),
                column,
                name: None,
            })?
            .trim();
        if name.is_empty() {
            return Err(LoadErrorKind::EmptyHeader { column });
        }
        if let Some(&first) = seen.get(name) {
            return Err(LoadErrorKind::DuplicateHeader { name: name.to_owned(), first, second: column });
        }
        seen.insert(name.to_owned(), column);
        names.push(name.to_owned());
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::ColumnType;

    fn load(text: &str) -> Table {
        match read_csv(text.as_bytes(), "t.csv", &LoadOptions::default()) {
            Ok(table) => table,
            Err(e) => panic!("{e}"),
        }
    }

    fn load_err(bytes: &[u8]) -> LoadError {
        match read_csv(bytes, "t.csv", &LoadOptions::default()) {
            Ok(table) => panic!("expected an error, got {table:?}"),
            Err(e) => e,
        }
    }

    fn types(table: &Table) -> Vec<ColumnType> {
        table.columns().iter().map(|c| c.ty()).collect()
    }

    fn texts(table: &Table, column: &str) -> Vec<String> {
        let c = table.column(column).expect("column exists");
        (0..c.len()).map(|r| c.text(r).into_owned()).collect()
    }

    // --- delimiters -------------------------------------------------------------------

    #[test]
    fn sniffs_comma() {
        let t = load("a,b,c\n1,2,3\n4,5,6\n");
        assert_eq!(t.delimiter(), b',');
        assert_eq!(t.n_cols(), 3);
    }

    #[test]
    fn sniffs_semicolon_with_decimal_commas() {
        let t = load("a;b\n1,5;2\n3,0;4\n");
        assert_eq!(t.delimiter(), b';');
        assert_eq!(texts(&t, "a"), ["1,5", "3,0"]);
    }

    #[test]
    fn sniffs_tab() {
        let t = load("a\tb\n1\t2\n");
        assert_eq!(t.delimiter(), b'\t');
        assert_eq!(t.column_names().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn sniffs_pipe() {
        let t = load("a|b|c\nx|1|2.5\ny|2|3.5\n");
        assert_eq!(t.delimiter(), b'|');
        assert_eq!(types(&t)[1..], [ColumnType::Int, ColumnType::Float]);
    }

    #[test]
    fn comma_inside_quotes_does_not_fool_the_sniffer() {
        let t = load("name;city\n\"Smith, J\";\"Paris, FR\"\n\"Doe, A\";\"Rome, IT\"\n");
        assert_eq!(t.delimiter(), b';');
        assert_eq!(texts(&t, "name"), ["Smith, J", "Doe, A"]);
    }

    #[test]
    fn one_column_file_uses_comma() {
        let t = load("x\n1\n2\n");
        assert_eq!(t.delimiter(), b',');
        assert_eq!(t.n_cols(), 1);
        assert_eq!(t.n_rows(), 2);
    }

    #[test]
    fn explicit_delimiter_overrides_the_sniffer() {
        let options = LoadOptions { delimiter: Some(b';'), ..LoadOptions::default() };
        let t = read_csv(b"a,b;c\n1,2;3\n", "t.csv", &options).expect("loads");
        assert_eq!(t.column_names().collect::<Vec<_>>(), ["a,b", "c"]);
    }

    // --- encoding and line ends -----------------------------------------------------

    #[test]
    fn bom_is_skipped_but_hashed() {
        let bytes = b"\xEF\xBB\xBFa,b\n1,2\n";
        let t = read_csv(bytes, "t.csv", &LoadOptions::default()).expect("loads");
        assert_eq!(t.column_names().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(t.line(0), 2);
        assert_eq!(t.sha256(), sha256_hex(bytes));
    }

    #[test]
    fn crlf_line_ends() {
        let t = load("a,b\r\n1,x\r\n2,y\r\n3,z\r\n");
        assert_eq!(texts(&t, "b"), ["x", "y", "z"]);
        assert_eq!((0..3).map(|r| t.line(r)).collect::<Vec<_>>(), [2, 3, 4]);
    }

    #[test]
    fn columns_without_missing_cells_and_one_line_records_read_as_with_flags_and_lines_kept() {
        // Neither a missing flag per row nor a line per row is stored for such a file (the
        // memory a million rows would take); what the table answers is the same.
        let t = load("a,b\n1,x\n2,y\n");
        let a = t.column("a").expect("a");
        assert_eq!((a.len(), a.missing_count(), a.is_missing(0), a.is_missing(1)), (2, 0, false, false));
        assert_eq!(*a.missing_mask(), [false, false]);
        assert_eq!((t.line(0), t.line(1)), (2, 3));
    }

    #[test]
    fn missing_cells_first_seen_after_the_sizing_rows_are_flagged_from_there() {
        // The flags are built at the first missing cell: rows before it read as present, in
        // a column that stays int, one that turns float after it, and one that turns text.
        let mut text = String::from("i,f,t\n");
        for row in 0..200 {
            let cell = |c: &str| if row == 150 { "NA".to_owned() } else { c.to_owned() };
            let t = if row == 180 { "word".to_owned() } else { cell(&row.to_string()) };
            let f = if row == 170 { "0.5".to_owned() } else { cell(&row.to_string()) };
            text.push_str(&format!("{},{f},{t}\n", cell(&row.to_string())));
        }
        let t = load(&text);
        for name in ["i", "f", "t"] {
            let column = t.column(name).expect(name);
            let flagged: Vec<usize> = (0..200).filter(|&r| column.is_missing(r)).collect();
            assert_eq!(flagged, [150], "{name}");
            assert_eq!(column.missing_flags().filter(|&m| m).count(), 1, "{name}");
        }
        assert_eq!(t.column("f").expect("f").number(149), Some(149.0));
        assert_eq!(t.column("t").expect("t").text(149), "149");
    }

    #[test]
    fn lines_are_listed_from_the_first_row_off_the_next_line() {
        let mut text = String::from("a\n");
        for row in 0..100 {
            text.push_str(&format!("{row}\n"));
            if row == 80 {
                text.push('\n');
            }
        }
        let t = load(&text);
        assert_eq!((t.line(0), t.line(80), t.line(81), t.line(99)), (2, 82, 84, 102));
        let mut lines = Lines::empty();
        for line in [2, 3, 4, 6, 7] {
            lines.push(line, 10);
        }
        assert_eq!(lines, Lines::new(vec![2, 3, 4, 6, 7]));
        assert_eq!(lines.listed_bytes(), 8 * (4 + 10));
        let mut consecutive = Lines::empty();
        (5..9).for_each(|line| consecutive.push(line, 10));
        assert_eq!((consecutive.listed_bytes(), consecutive.len(), consecutive.get(3)), (0, 4, 8));
    }

    #[test]
    #[should_panic(expected = "row 2 of a column of 2 rows")]
    fn a_row_past_the_end_of_a_column_without_missing_cells_is_refused() {
        load("a\n1\n2\n").column("a").expect("a").is_missing(2);
    }

    #[test]
    fn quoted_newline_keeps_later_line_numbers_right() {
        // line 1: header; lines 2-3: one record; line 4: the next record.
        let t = load("note,n\n\"two\nlines\",1\nplain,2\n");
        assert_eq!(t.n_rows(), 2);
        assert_eq!(texts(&t, "note"), ["two\nlines", "plain"]);
        assert_eq!(t.line(0), 2);
        assert_eq!(t.line(1), 4);
    }

    #[test]
    fn quoted_crlf_newline_keeps_later_line_numbers_right() {
        let t = load("note,n\r\n\"two\r\nlines\",1\r\nplain,2\r\n");
        assert_eq!(t.line(1), 4);
    }

    #[test]
    fn blank_lines_are_skipped_and_counted() {
        let t = load("\na,b\n1,2\n\n   \n3,4\n\n\n");
        assert_eq!(t.n_rows(), 2);
        assert_eq!(t.line(0), 3);
        assert_eq!(t.line(1), 6);
    }

    #[test]
    fn lone_cr_line_ends() {
        let t = load("a,b\r1,2\r3,4");
        assert_eq!(t.n_rows(), 2);
        assert_eq!(t.line(1), 3);
    }

    #[test]
    fn cells_are_trimmed_and_quotes_unescaped() {
        let t = load("a, b\n  x ,\"say \"\"hi\"\"\"\n  x , y\n");
        assert_eq!(t.column_names().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(texts(&t, "a"), ["x", "x"]);
        assert_eq!(texts(&t, "b"), ["say \"hi\"", "y"]);
        // As in the csv crate and pandas, a quote after a space is an ordinary character.
        let t = load("a,b\n1, \"q\"\n");
        assert_eq!(texts(&t, "b"), ["\"q\""]);
    }

    // --- missing values and types ----------------------------------------------------

    #[test]
    fn missing_tokens_are_missing_and_keep_the_column_numeric() {
        let t = load("x,y\n1.5,1\nNA,?\n ,n/a\nNaN,null\n-nan,#N/A\n<NA>,4\n2.5,\n");
        let x = t.column("x").expect("x");
        assert_eq!(x.ty(), ColumnType::Float);
        assert_eq!(*x.missing_mask(), [false, true, true, true, true, true, false]);
        let y = t.column("y").expect("y");
        assert_eq!(y.ty(), ColumnType::Int);
        assert_eq!(y.missing_count(), 5);
        assert_eq!(y.number(6), None);
        assert_eq!(y.number(0), Some(1.0));
    }

    #[test]
    fn none_is_a_value_not_missing() {
        let t = load("x\nNone\na\nNone\na\n");
        assert_eq!(t.column("x").expect("x").missing_count(), 0);
    }

    #[test]
    fn infinities_are_floats() {
        let t = load("x\n1\ninf\n-inf\nInfinity\n1e5\n");
        let x = t.column("x").expect("x");
        assert_eq!(x.ty(), ColumnType::Float);
        assert_eq!(x.number(1), Some(f64::INFINITY));
        assert_eq!(x.number(2), Some(f64::NEG_INFINITY));
        assert_eq!(x.number(3), Some(f64::INFINITY));
        assert_eq!(x.number(4), Some(1e5));
        assert_eq!(x.missing_count(), 0);
    }

    #[test]
    fn a_nan_spelling_outside_the_tokens_is_still_missing() {
        let t = load("x\n1.5\n+nan\n");
        let x = t.column("x").expect("x");
        assert_eq!(x.ty(), ColumnType::Float);
        assert_eq!(*x.missing_mask(), [false, true]);
    }

    #[test]
    fn infers_each_type() {
        let t = load(
            "i,f,b,c,s\n\
             1,1.5,true,red,alice\n\
             -2,2,FALSE,blue,bob\n\
             +3,3e2,True,red,carol\n\
             4,-0.5,false,blue,dave\n",
        );
        assert_eq!(
            types(&t),
            [ColumnType::Int, ColumnType::Float, ColumnType::Bool, ColumnType::Category, ColumnType::Text]
        );
        let c = t.columns();
        assert_eq!(c[0].values(), &Values::Int(vec![1, -2, 3, 4]));
        assert_eq!(c[1].values(), &Values::Float(vec![1.5, 2.0, 300.0, -0.5]));
        assert_eq!(c[2].values(), &Values::Bool(vec![true, false, true, false]));
        assert_eq!(
            c[3].values(),
            &Values::Category { codes: vec![0, 1, 0, 1], levels: vec!["red".into(), "blue".into()] }
        );
        assert_eq!(texts(&t, "s"), ["alice", "bob", "carol", "dave"]);
    }

    #[test]
    fn integers_too_big_for_i64_are_floats() {
        let t = load("x\n1\n99999999999999999999\n");
        assert_eq!(types(&t), [ColumnType::Float]);
    }

    #[test]
    fn category_needs_repeats_and_at_most_50_levels() {
        // 3 levels over 150 rows: category (iris' species).
        let mut text = String::from("species\n");
        for i in 0..150 {
            text.push_str(["setosa\n", "versicolor\n", "virginica\n"][i / 50]);
        }
        assert_eq!(types(&load(&text)), [ColumnType::Category]);

        // 150 unique names: text.
        let mut text = String::from("name\n");
        for i in 0..150 {
            text.push_str(&format!("person{i}\n"));
        }
        assert_eq!(types(&load(&text)), [ColumnType::Text]);

        // 51 levels each repeated 4 times: too many levels, text.
        let mut text = String::from("code\n");
        for i in 0..204 {
            text.push_str(&format!("c{}\n", i % 51));
        }
        assert_eq!(types(&load(&text)), [ColumnType::Text]);

        // 50 levels each twice: category.
        let mut text = String::from("code\n");
        for i in 0..100 {
            text.push_str(&format!("c{}\n", i % 50));
        }
        assert_eq!(types(&load(&text)), [ColumnType::Category]);
    }

    #[test]
    fn category_levels_in_order_of_first_appearance_with_missing_rows() {
        let t = load("sex,n\nmale,1\nNA,2\nfemale,3\nmale,4\nfemale,5\n");
        let sex = t.column("sex").expect("sex");
        let Values::Category { codes, levels } = sex.values() else {
            panic!("not a category: {:?}", sex.ty())
        };
        assert_eq!(levels, &["male", "female"]);
        assert_eq!(codes, &[0, 0, 1, 0, 1]);
        assert_eq!(*sex.missing_mask(), [false, true, false, false, false]);
        assert_eq!(sex.text(1), "");
    }

    #[test]
    fn all_missing_column_is_float() {
        let t = load("a,b\n1,\n2,NA\n3,?\n");
        let b = t.column("b").expect("b");
        assert_eq!(b.ty(), ColumnType::Float);
        assert_eq!(b.missing_count(), 3);
    }

    #[test]
    fn constant_column_loads() {
        let t = load("a,k\n1,7\n2,7\n3,7\n");
        assert_eq!(t.column("k").expect("k").values(), &Values::Int(vec![7, 7, 7]));
    }

    #[test]
    fn ints_then_a_float_read_as_the_float_parser_reads_them() {
        // "-0" is the int 0 but the float -0.0; 2⁵³ + 1 rounds to 2⁵³ either way.
        let t = load("x\n-0\n9007199254740993\n3\nNA\n1.5\n");
        let Values::Float(x) = t.column("x").expect("x").values() else { panic!("not float") };
        let expected = [-0.0, 9007199254740992.0, 3.0, f64::NAN, 1.5];
        assert_eq!(x.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), expected.map(f64::to_bits));
        assert_eq!(*t.column("x").expect("x").missing_mask(), [false, false, false, true, false]);
    }

    #[test]
    fn numbers_then_text_keep_every_cell_as_written() {
        // Blank lines, quotes and a quoted line break before the row that turns both columns
        // into text: the earlier cells are read again from the file.
        let t = load("a,b\n\"1.50\",\"x\ny\"\n007,2\n\n -0 ,NA\r\n oops ,3e0\nNA,w\n");
        assert_eq!(types(&t), [ColumnType::Text, ColumnType::Text]);
        assert_eq!(texts(&t, "a"), ["1.50", "007", "-0", "oops", ""]);
        assert_eq!(texts(&t, "b"), ["x\ny", "2", "", "3e0", "w"]);
        assert_eq!(*t.column("a").expect("a").missing_mask(), [false, false, false, false, true]);
        assert_eq!((0..5).map(|r| t.line(r)).collect::<Vec<_>>(), [2, 4, 6, 7, 8]);
    }

    #[test]
    fn columns_turn_to_text_on_different_rows() {
        let t = load("a,b,c\n1,2,3\n4,x,6\n7,8,y\nz,9,y\n");
        assert_eq!(texts(&t, "a"), ["1", "4", "7", "z"]);
        assert_eq!(texts(&t, "b"), ["2", "x", "8", "9"]);
        assert_eq!(texts(&t, "c"), ["3", "6", "y", "y"]);
    }

    #[test]
    fn bools_after_numbers_are_text_but_after_missing_cells_bools() {
        assert_eq!(types(&load("x\n1\ntrue\n")), [ColumnType::Text]);
        let t = load("x\nNA\ntrue\nFALSE\n");
        assert_eq!(t.column("x").expect("x").values(), &Values::Bool(vec![false, true, false]));
        assert_eq!(t.column("x").expect("x").missing_count(), 1);
    }

    #[test]
    fn rows_longer_than_the_first_ones_still_all_load() {
        // The row estimate from the first rows is far too small here; the columns then grow.
        let mut text = String::from("id,v\n");
        for i in 0..SIZING_ROWS {
            text.push_str(&format!("{i},1\n"));
        }
        for i in 0..2_000 {
            text.push_str(&format!("{i},{}\n", "12345678".repeat(8)));
        }
        let t = load(&text);
        assert_eq!(t.n_rows(), SIZING_ROWS + 2_000);
        assert_eq!(t.column("v").map(|c| c.ty()), Some(ColumnType::Float));
    }

    #[test]
    fn regression_columns_turning_to_text_one_after_another_keep_their_cells() {
        // The "diagonal" file: column i holds numbers (written with a leading zero, a
        // missing cell now and then) until row i and unique text from there. Reading the
        // file again for each column as it turned was cubic: 20 s at N = 2,000.
        const N: usize = 400;
        let cell = |r: usize, i: usize| match (r >= i, r % 7) {
            (true, _) => format!("t{r}"),
            (false, 0) => "NA".to_string(),
            (false, _) => format!("0{r}"),
        };
        let mut text = (0..N).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",");
        text.push('\n');
        for r in 0..N {
            text.push_str(&(0..N).map(|i| cell(r, i)).collect::<Vec<_>>().join(","));
            // A blank line now and then: the rows read again skip them too.
            text.push_str(if r % 50 == 0 { "\n\n" } else { "\n" });
        }
        let t = load(&text);
        assert_eq!((t.n_rows(), t.n_cols()), (N, N));
        for (i, column) in t.columns().iter().enumerate() {
            assert_eq!(column.ty(), ColumnType::Text, "c{i}");
            for r in 0..N {
                let expected = cell(r, i);
                let missing = expected == "NA";
                assert_eq!(column.is_missing(r), missing, "c{i} row {r}");
                assert_eq!(column.text(r), if missing { "" } else { expected.as_str() }, "c{i} row {r}");
            }
        }
        // The last column was numbers throughout but its last row.
        assert_eq!(texts(&t, "c399")[..3], ["", "01", "02"]);
    }

    #[test]
    fn regression_a_header_wider_than_the_limit_is_refused_before_allocating() {
        // 5 million columns made `inspect` abort on allocation.
        let header = |n: usize| (0..n).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",");
        let ones = |n: usize| vec!["1"; n].join(",");
        let wide = format!("{}\n{}\n", header(MAX_COLUMNS + 1), ones(MAX_COLUMNS + 1));
        let e = load_err(wide.as_bytes());
        assert_eq!(
            e.kind(),
            &LoadErrorKind::TooManyColumns { line: 1, found: MAX_COLUMNS + 1, limit: MAX_COLUMNS }
        );
        assert!(e.to_string().starts_with("t.csv: line 1: the header has 16385 columns"), "{e}");
        // After blank lines, with quoted names holding delimiters and line breaks.
        let quoted = format!("\n  \r\n\"a,\nb\",{}\n1\n", header(MAX_COLUMNS));
        let e = load_err(quoted.as_bytes());
        assert_eq!(
            e.kind(),
            &LoadErrorKind::TooManyColumns { line: 3, found: MAX_COLUMNS + 1, limit: MAX_COLUMNS }
        );
        // The limit itself loads.
        let t = load(&format!("{}\n{}\n", header(MAX_COLUMNS), ones(MAX_COLUMNS)));
        assert_eq!(t.n_cols(), MAX_COLUMNS);
    }

    #[test]
    fn regression_a_row_of_a_million_fields_is_ragged_without_holding_its_fields() {
        // The csv crate's record grew 8 bytes of bounds per field before the row could be
        // called ragged: 100 MB of commas on one line peaked at 1.15 GB.
        let text = format!("a,b\n1,2\n{}\n", ",".repeat(1_000_000));
        let e = load_err(text.as_bytes());
        assert_eq!(e.kind(), &LoadErrorKind::Ragged { record: 2, line: 3, found: 1_000_001, expected: 2 });
        assert_eq!(
            e.to_string(),
            "t.csv: line 3: found 1000001 fields, but the header has 2 (data record 2)"
        );
        // What the reader holds for that row, driven as `parse` drives it: its first buffers,
        // where the csv crate's record held 8 MB.
        let mut records = Records::new(text.as_bytes(), b',', MAX_COLUMNS);
        assert_eq!(records.next(), Some((0, Record::Fits)));
        records.set_limit(records.len());
        assert_eq!(records.next(), Some((4, Record::Fits)));
        assert_eq!(records.next(), Some((8, Record::TooWide { fields: 1_000_001 })));
        assert!(records.buffered() <= 2_048, "{} bytes held", records.buffered());
        assert_eq!(records.next(), None);
        // A wide row of long quoted fields holds no more than its fields' bytes up to the
        // limit: the rest is written over the same buffer.
        let cell = format!("\"{}\"", "x,\n".repeat(100));
        let text = format!("a,b\n{}\n", vec![cell.as_str(); 10_000].join(","));
        let e = load_err(text.as_bytes());
        assert_eq!(e.kind(), &LoadErrorKind::Ragged { record: 1, line: 2, found: 10_000, expected: 2 });
        let mut records = Records::new(text.as_bytes(), b',', 2);
        assert_eq!(records.next(), Some((0, Record::Fits)));
        assert_eq!(records.next(), Some((4, Record::TooWide { fields: 10_000 })));
        assert!(records.buffered() <= 2_048, "{} bytes held", records.buffered());
    }

    #[test]
    fn regression_short_rows_then_one_long_field_reserve_little() {
        // 64 rows of 2 bytes make the estimate ~500,000 rows for the 1 MB that follow; they
        // are one quoted field. The reservation is bounded by the bytes left to read.
        let mut text = String::from("x\n");
        for _ in 0..SIZING_ROWS {
            text.push_str("1\n");
        }
        text.push('"');
        text.push_str(&"y".repeat(1 << 20));
        text.push_str("\"\n");
        let parsed = parse(text.as_bytes(), b',').expect("parses");
        let rest = (text.len() - 3 * SIZING_ROWS) as u64;
        let reserved = parsed.lines.listed_bytes() + 5 * parsed.columns[0].1.missing.room();
        assert!(reserved as u64 <= RESERVE_PER_BYTE * rest, "{reserved} bytes reserved for {rest}");
        // The table keeps only what it uses.
        let t = load(&text);
        assert_eq!(t.n_rows(), SIZING_ROWS + 1);
        assert_eq!(t.column("x").expect("x").missing_mask().len(), SIZING_ROWS + 1);
        assert_eq!(reservable_rows(1_000, 10), 400);
        assert_eq!(reservable_rows(0, 10), 0);
    }

    /// Every record of `body` as the csv crate reads it, with where its read began.
    fn csv_crate_records(body: &[u8], delimiter: u8) -> Vec<(usize, Vec<Vec<u8>>)> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(body);
        let mut record = csv::ByteRecord::new();
        let mut all = Vec::new();
        while reader.read_byte_record(&mut record).expect("reads") {
            let at = record.position().map_or(0, |p| p.byte() as usize);
            all.push((at, record.iter().map(<[u8]>::to_vec).collect()));
        }
        all
    }

    /// Inputs whose records the loader must split as the csv crate does.
    const SPLIT_CASES: &[&[u8]] = &[
        b"a,b,c\n1,2,3\n",
        b"\n \n\t\r\na;b,c\n",
        b"\"x,y\",\"say \"\"hi,\"\"\",z\n",
        b" \"q,r\",s\n",
        b"\"a\"b,\"c\n,d\",e",
        b"only",
        b"a,,\r\n",
        b"\"  \"\na,b,c,d\n1,2,3,4\n",
        b"a,b\r\n\r\n1,2\r3,4\r\r5,6",
        b"a,b\n\"unterminated,1\n2,3\n",
        b"\xEF\xBB\xBFa,b\n1,2\n",
        b"a,b\n1,2,3,4,5,6\n7,8\n,,,,,,,,\n\"x\ny\",,,\"\"\"\",\n9,10",
        b"a,b\n1,2,",
        b"a,b\n1,2,3,",
        b"a,b\n1,2,3,\"",
        b",\n,\n",
        b"\r\r\r",
        b"a\n\"\"\"\"\n",
        // Records after the first, split in place or by the parser when they hold a quote.
        b"h\n1,2\r\n\"3\",4\n5,x\"y\n \n6,7\r\r\n8\r",
        b"h\n,\n\n,,\r\n\"\n\",\n9,\"",
    ];

    #[test]
    fn records_split_as_the_csv_crate_does() {
        for &text in SPLIT_CASES {
            let expected = csv_crate_records(text, b',');
            let mut records = Records::new(text, b',', MAX_COLUMNS);
            let mut got = Vec::new();
            while let Some((at, record)) = records.next() {
                assert_eq!(record, Record::Fits, "{text:?}");
                // The fields are in order in the span, with at most a delimiter between two.
                let mut end = 0;
                for i in 0..records.len() {
                    let range = records.range(i).expect("a field");
                    assert!(range.start - end <= usize::from(i > 0), "{text:?}");
                    assert!(records.span()[end..range.start].iter().all(|&b| b == b','), "{text:?}");
                    end = range.end;
                }
                assert_eq!(end, records.span().len(), "{text:?}");
                got.push((at, records.iter().map(<[u8]>::to_vec).collect()));
            }
            assert_eq!(got, expected, "{}", String::from_utf8_lossy(text));
            assert!(records.next().is_none());
        }
    }

    #[test]
    fn plain_run_stops_at_the_first_delimiter_line_break_or_quote() {
        // Every byte value at every position of 0 to 20 bytes of filler, which itself runs
        // over every byte (those just around the special ones, 0x80 and up, included).
        for delimiter in [b',', b';', b'\t', b'|', 0xC3] {
            let records = Records::new(b"", delimiter, 1);
            for len in 0..20 {
                for special in 0..=255u8 {
                    for at in 0..=len {
                        let mut bytes: Vec<u8> =
                            (0..len).map(|i| (i as u8).wrapping_mul(37).wrapping_add(len as u8)).collect();
                        if at < len {
                            bytes[at] = special;
                        }
                        let naive = bytes
                            .iter()
                            .position(|&b| [delimiter, b'\r', b'\n', b'"'].contains(&b))
                            .unwrap_or(bytes.len());
                        assert_eq!(records.plain_run(&bytes), naive, "{bytes:?} with {delimiter}");
                    }
                }
            }
        }
    }

    #[test]
    fn records_wider_than_the_limit_are_counted_and_the_next_ones_read() {
        // At every limit, a record with more fields is counted exactly (quoted delimiters and
        // line breaks included), and reading goes on from the record after it.
        for &text in SPLIT_CASES {
            let expected = csv_crate_records(text, b',');
            for limit in 1..=8 {
                let mut records = Records::new(text, b',', limit);
                for (at, fields) in &expected {
                    let (got_at, record) = records.next().expect("a record");
                    assert_eq!(got_at, *at, "{text:?} at limit {limit}");
                    if fields.len() > limit {
                        assert_eq!(record, Record::TooWide { fields: fields.len() }, "{text:?} at {limit}");
                        assert_eq!(records.len(), 0);
                    } else {
                        assert_eq!(record, Record::Fits, "{text:?} at limit {limit}");
                        assert_eq!(&records.iter().map(<[u8]>::to_vec).collect::<Vec<_>>(), fields);
                    }
                    assert!(records.ends.len() <= limit);
                }
                assert!(records.next().is_none(), "{text:?} at limit {limit}");
            }
        }
    }

    #[test]
    fn read_bounded_stops_an_endless_reader() {
        // /dev/zero or a pipe reports no size, or a wrong one, and may never end.
        let e = read_bounded(std::io::repeat(b'a'), 1_000).expect_err("endless");
        assert_eq!(e, LoadErrorKind::TooLargeStream { limit: 1_000 });
        assert_eq!(read_bounded(&b"a,b\n1,2\n"[..], 8).expect("fits"), b"a,b\n1,2\n");
        assert!(matches!(
            read_bounded(&b"a,b\n1,2\n"[..], 7),
            Err(LoadErrorKind::TooLargeStream { limit: 7 })
        ));
        assert_eq!(read_bounded(&b""[..], 0).expect("empty"), b"");
    }

    #[test]
    fn read_bounded_reports_a_failed_read() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk on fire"))
            }
        }
        let e = read_bounded(Broken, 10).expect_err("fails");
        assert_eq!(e.to_string(), "cannot read the input: disk on fire");
    }

    #[test]
    fn row_estimate_from_the_first_rows() {
        // 64 rows of 10 bytes after a 6-byte header leave 360 bytes of a 1,006-byte file: 36
        // more rows (2% of 36 rounds down to none).
        assert_eq!(estimate_rows(1_006, 6, 646, 64), 36);
        assert_eq!(estimate_rows(100_000, 0, 1_000, 100), 9_900 + 198);
        assert_eq!(estimate_rows(10, 0, 10, 1), 0);
    }

    #[test]
    fn fast_float_parse_is_the_standard_parse_bit_for_bit() {
        let mut cells: Vec<String> = [
            "0",
            "-0",
            "-0.0",
            "+0",
            "00.000",
            ".5",
            "5.",
            "-.5",
            "+.5",
            "0.1",
            "0.3",
            "-1.2064",
            "9007199254740992",
            "9007199254740993",
            "9007199254740992.5",
            "1.7976931348623157",
            "123456789012345678",
            "1234567890123456789",
            "12345678901234567890",
            "0.0000000000000000000001",
            "0.00000000000000000000001",
            "1e5",
            "1E-3",
            "inf",
            "-Infinity",
            "nan",
            "",
            ".",
            "-",
            "+",
            "1.2.3",
            "1,5",
            " 1",
            "1 ",
            "--1",
            "+-1",
            "0x10",
            "1_000",
        ]
        .map(String::from)
        .to_vec();
        // Decimals of every length up to 20 digits, split at every point, both signs: a
        // fixed xorshift sequence so a failure reproduces.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..100_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let digits = (state % 21) as usize;
            let mut text: String =
                (0..digits).map(|i| char::from(b'0' + ((state >> (i * 3 % 60)) % 10) as u8)).collect();
            if state & (1 << 61) != 0 {
                text.insert(((state >> 40) as usize) % (digits + 1), '.');
            }
            if state & (1 << 62) != 0 {
                text.insert(0, '-');
            }
            cells.push(text);
        }
        for cell in &cells {
            let expected = cell.parse::<f64>().ok().map(f64::to_bits);
            assert_eq!(parse_float(cell).map(f64::to_bits), expected, "{cell:?}");
        }
    }

    // --- errors ----------------------------------------------------------------------

    #[test]
    fn empty_file_is_an_error() {
        assert_eq!(load_err(b"").kind(), &LoadErrorKind::Empty);
        assert_eq!(load_err(b" \n\r\n\t").kind(), &LoadErrorKind::Empty);
    }

    #[test]
    fn bom_only_file_is_empty() {
        assert_eq!(load_err(b"\xEF\xBB\xBF").kind(), &LoadErrorKind::Empty);
        assert_eq!(load_err(b"\xEF\xBB\xBF\r\n").kind(), &LoadErrorKind::Empty);
    }

    #[test]
    fn header_only_is_an_error() {
        assert_eq!(load_err(b"a,b,c\n").kind(), &LoadErrorKind::HeaderOnly);
        assert_eq!(load_err(b"a,b,c").kind(), &LoadErrorKind::HeaderOnly);
        assert_eq!(load_err(b"a,b,c\n\n  \n").kind(), &LoadErrorKind::HeaderOnly);
    }

    #[test]
    fn ragged_row_names_line_and_counts() {
        let e = load_err(b"a,b,c\n1,2,3\n4,5,6\n7,8\n9,10,11\n");
        assert_eq!(e.kind(), &LoadErrorKind::Ragged { record: 3, line: 4, found: 2, expected: 3 });
        assert_eq!(e.to_string(), "t.csv: line 4: found 2 fields, but the header has 3 (data record 3)");
    }

    #[test]
    fn ragged_row_after_a_quoted_newline_names_the_right_line() {
        let e = load_err(b"a,b\n\"x\ny\",1\n1,2,3\n");
        assert_eq!(e.line(), Some(4));
    }

    #[test]
    fn non_utf8_names_line_and_column() {
        let e = load_err(b"a,bill\n1,2\n3,\xff\xfe\n");
        assert_eq!(e.kind(), &LoadErrorKind::NotUtf8 { line: 3, column: 2, name: Some("bill".into()) });
        // Latin-1 é in the header.
        let e = load_err(b"a,caf\xe9\n1,2\n");
        assert_eq!(e.kind(), &LoadErrorKind::NotUtf8 { line: 1, column: 2, name: None });
    }

    #[test]
    fn regression_a_character_split_by_a_delimiter_is_two_bad_fields() {
        // U+065A is D9 9A: with a comma between its bytes the record's fields, back to
        // back, are valid UTF-8 but neither field is. Found by the csv_loader fuzz target.
        let e = load_err(b"name,age\nAnn\xd9,\x9a34\n");
        assert_eq!(e.kind(), &LoadErrorKind::NotUtf8 { line: 2, column: 1, name: Some("name".into()) });
        let e = load_err(b"id,\0\0\0\0\0\0\0,name,age\n!,,413Ann\xd9,\x9a34\nid,\0,Bob,41\n");
        assert_eq!(e.kind(), &LoadErrorKind::NotUtf8 { line: 2, column: 3, name: Some("name".into()) });
    }

    #[test]
    fn non_utf8_after_a_newline_inside_the_field_names_that_line() {
        let e = load_err(b"a,b\n1,\"x\ny\xff\"\n");
        assert_eq!(e.line(), Some(3));
    }

    #[test]
    fn duplicate_header_is_an_error() {
        let e = load_err(b"id,age,name,age\n1,2,x,3\n");
        assert_eq!(e.kind(), &LoadErrorKind::DuplicateHeader { name: "age".into(), first: 2, second: 4 });
        // Trimming makes " age" the same name.
        let e = load_err(b"age, age\n1,2\n");
        assert!(matches!(e.kind(), LoadErrorKind::DuplicateHeader { second: 2, .. }));
    }

    #[test]
    fn empty_header_name_is_an_error() {
        assert_eq!(load_err(b",a,b\n0,1,2\n").kind(), &LoadErrorKind::EmptyHeader { column: 1 });
        assert_eq!(load_err(b"a,  ,b\n0,1,2\n").kind(), &LoadErrorKind::EmptyHeader { column: 2 });
    }

    #[test]
    fn too_large_is_refused_before_parsing() {
        let options = LoadOptions { max_bytes: 10, ..LoadOptions::default() };
        let e = read_csv(b"a,b\n1,2\n3,4\n", "big.csv", &options).expect_err("too large");
        assert_eq!(e.kind(), &LoadErrorKind::TooLarge { bytes: 12, limit: 10 });
        assert!(
            read_csv(b"a,b\n1,2\n3,4\n", "t.csv", &LoadOptions { max_bytes: 12, delimiter: None }).is_ok()
        );
    }

    #[test]
    fn quote_as_delimiter_is_an_error() {
        let options = LoadOptions { delimiter: Some(b'"'), ..LoadOptions::default() };
        let e = read_csv(b"a,b\n1,2\n", "t.csv", &options).expect_err("bad delimiter");
        assert!(matches!(e.kind(), LoadErrorKind::Csv { .. }));
    }

    #[test]
    fn a_table_read_with_its_hash_given_is_the_table_read_whole() {
        let bytes = include_bytes!("../../static/data/penguins.csv");
        let read = read_csv(bytes, "p.csv", &LoadOptions::default()).unwrap();
        let given = read_csv_hashed(bytes, "p.csv", &LoadOptions::default(), "given".into()).unwrap();
        assert_eq!(given.sha256(), "given");
        assert_eq!(read.sha256(), sha256_hex(bytes));
        // Columns hold NaN for missing floats (never equal): their profiles say the same.
        assert_eq!(crate::table::profile(&given), crate::table::profile(&read));
        assert_eq!((given.n_rows(), given.n_cols()), (read.n_rows(), read.n_cols()));
        // The size is refused before any hashing.
        let small = LoadOptions { max_bytes: 10, ..LoadOptions::default() };
        assert!(read_csv_hashed(bytes, "p.csv", &small, "given".into()).is_err());
    }

    #[test]
    fn sha256_of_known_bytes() {
        // printf 'abc' | sha256sum
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(load("a\n1\n").sha256(), sha256_hex(b"a\n1\n"));
    }

    #[test]
    fn no_odd_input_panics() {
        // Each either loads or returns an error; none may panic.
        let inputs: &[&[u8]] = &[
            b"",
            b"\"",
            b"\"\"",
            b"\"a\nb",
            b"a,b\n\"unterminated,1\n",
            b",\n,\n",
            b"a\n\xff",
            b"\xEF\xBB",
            b"\xEF\xBB\xBF\xEF\xBB\xBFa\n1\n",
            b"a;b|c\tdx\n1;2|3\t4\n",
            b"\r\r\r",
            b"a,b\r\n\r\n1,2\r",
            b"a\n\"\"\"\"\n",
            b"\x00,\x00\n\x00,\x00\n",
            b"a,b\n1,2,3,4,5,6\n",
            b"a,a,a\n",
            b"x\n-\n+\n.\ne\n",
            b"x\n1e400\n-1e400\n",
        ];
        for &input in inputs {
            let _ = read_csv(input, "t.csv", &LoadOptions::default());
            for d in [b',', b';', b'\t', b'|', b'"', b'\n', b' ', 0] {
                let options = LoadOptions { delimiter: Some(d), ..LoadOptions::default() };
                let _ = read_csv(input, "t.csv", &options);
            }
        }
    }

    // --- real files ------------------------------------------------------------------

    #[test]
    fn penguins_sample_loads_with_its_missing_values() {
        let bytes = include_bytes!("../../static/data/penguins.csv");
        let t = read_csv(bytes, "penguins.csv", &LoadOptions::default()).expect("loads");
        assert_eq!((t.n_rows(), t.n_cols()), (344, 8));
        let bill = t.column("bill_length_mm").expect("bill_length_mm");
        assert_eq!(bill.ty(), ColumnType::Float);
        assert_eq!(bill.missing_count(), 2);
        for name in ["species", "island", "sex"] {
            assert_eq!(t.column(name).map(|c| c.ty()), Some(ColumnType::Category), "{name}");
        }
        assert_eq!(t.column("year").map(|c| c.ty()), Some(ColumnType::Int));
        assert_eq!(t.line(0), 2);
        assert_eq!(t.line(343), 345);
    }

    #[test]
    fn iris_sample_loads() {
        let bytes = include_bytes!("../../static/data/iris.csv");
        let t = read_csv(bytes, "iris.csv", &LoadOptions::default()).expect("loads");
        assert_eq!((t.n_rows(), t.n_cols()), (150, 5));
        assert_eq!(
            types(&t),
            [
                ColumnType::Float,
                ColumnType::Float,
                ColumnType::Float,
                ColumnType::Float,
                ColumnType::Category
            ]
        );
        let Some(Values::Category { levels, .. }) = t.column("species").map(|c| c.values()) else {
            panic!("species is not a category")
        };
        assert_eq!(levels, &["setosa", "versicolor", "virginica"]);
    }
}
