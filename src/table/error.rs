//! The one error type of the loader: which file, and where in it.
//!
//! Every message starts with the file name and then says where (line, column, header
//! position) and what to do, because the same text is shown in the page's error banner and
//! on the CLI's stderr, where the person has nothing else to go on.

use std::fmt;

/// A CSV file could not be turned into a [`Table`](super::Table).
///
/// The kind is boxed so that `Result<Table, LoadError>` stays small on the happy path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    file: String,
    kind: Box<LoadErrorKind>,
}

/// What went wrong, with the place it went wrong. Lines are 1-based lines of the file as an
/// editor shows them; columns are 1-based positions in the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadErrorKind {
    /// The file has no bytes, or only whitespace and a byte-order mark.
    Empty,
    /// The file has a header line but no data rows.
    HeaderOnly,
    /// The file is larger than the loader accepts.
    TooLarge { bytes: u64, limit: u64 },
    /// A read through [`read_bounded`](super::read_bounded) got more than `limit` bytes and
    /// stopped; the input's whole size is not known (a pipe, a device, a growing file).
    TooLargeStream { limit: u64 },
    /// The input could not be read.
    Read { message: String },
    /// The header has more columns than [`MAX_COLUMNS`](super::MAX_COLUMNS).
    TooManyColumns { line: u64, found: usize, limit: usize },
    /// A field holds bytes that are not UTF-8.
    NotUtf8 {
        line: u64,
        /// 1-based field position in the record.
        column: usize,
        /// The column's header name, when the bad bytes are in a data row.
        name: Option<String>,
    },
    /// A data record has a different number of fields than the header.
    Ragged {
        /// 1-based number of the data record (the header is not counted).
        record: u64,
        line: u64,
        found: usize,
        expected: usize,
    },
    /// A header field is empty (after trimming whitespace).
    EmptyHeader { column: usize },
    /// Two header fields have the same name; `first` and `second` are 1-based positions.
    DuplicateHeader { name: String, first: usize, second: usize },
    /// Any other error from the CSV reader.
    Csv { line: Option<u64>, message: String },
}

impl LoadError {
    pub fn new(file: impl Into<String>, kind: LoadErrorKind) -> LoadError {
        LoadError { file: file.into(), kind: Box::new(kind) }
    }

    /// The file name given to the loader.
    pub fn file(&self) -> &str {
        &self.file
    }

    pub fn kind(&self) -> &LoadErrorKind {
        &self.kind
    }

    pub fn into_kind(self) -> LoadErrorKind {
        *self.kind
    }

    /// The 1-based line the error is on, when it is about one line.
    pub fn line(&self) -> Option<u64> {
        match *self.kind {
            LoadErrorKind::NotUtf8 { line, .. }
            | LoadErrorKind::Ragged { line, .. }
            | LoadErrorKind::TooManyColumns { line, .. } => Some(line),
            LoadErrorKind::Csv { line, .. } => line,
            _ => None,
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.kind)
    }
}

impl std::error::Error for LoadError {}

/// The message without the file name; [`LoadError`]'s Display puts the name in front.
impl fmt::Display for LoadErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadErrorKind::Empty => f.write_str(
                "the file is empty; a CSV file needs a header line and at least one data row",
            ),
            LoadErrorKind::HeaderOnly => {
                f.write_str("the file has a header line but no data rows")
            }
            LoadErrorKind::TooLarge { bytes, limit } => {
                let (size, max) = (human_size(*bytes), human_size(*limit));
                // Rounded sizes can read alike ("128.0 MB … 128.0 MB"); then give the bytes.
                let (size, max) =
                    if size == max { (format!("{bytes} bytes"), format!("{limit}-byte")) } else { (size, max) };
                write!(f, "{size} is larger than the {max} limit; split the file or sample its rows")
            }
            LoadErrorKind::TooLargeStream { limit } => write!(
                f,
                "the input is larger than the {} limit (reading stopped there); split the file or sample its rows",
                human_size(*limit)
            ),
            LoadErrorKind::Read { message } => write!(f, "cannot read the input: {message}"),
            LoadErrorKind::TooManyColumns { line, found, limit } => write!(
                f,
                "line {line}: the header has {found} columns, more than the limit of {limit}; keep only the columns the suite reads"
            ),
            LoadErrorKind::NotUtf8 { line, column, name } => {
                write!(f, "line {line}, column {column}")?;
                if let Some(name) = name {
                    write!(f, " (`{name}`)")?;
                }
                f.write_str(": the bytes are not valid UTF-8; save the file as UTF-8")
            }
            LoadErrorKind::Ragged { record, line, found, expected } => write!(
                f,
                "line {line}: found {found} {}, but the header has {expected} (data record {record})",
                if *found == 1 { "field" } else { "fields" }
            ),
            LoadErrorKind::EmptyHeader { column } => {
                write!(f, "column {column} of the header has no name; give every column a name")?;
                if *column == 1 {
                    // The commonest cause by far: `DataFrame.to_csv` writes the index
                    // under an empty name.
                    f.write_str(" (a file saved by pandas with its index has an empty first name: save it with index=False)")?;
                }
                Ok(())
            }
            LoadErrorKind::DuplicateHeader { name, first, second } => write!(
                f,
                "the header names column {second} `{name}` again (first at column {first}); column names must be unique"
            ),
            LoadErrorKind::Csv { line: Some(line), message } => write!(f, "line {line}: {message}"),
            LoadErrorKind::Csv { line: None, message } => f.write_str(message),
        }
    }
}

impl std::error::Error for LoadErrorKind {}

/// Sizes as people read them: "200.0 MB" (MB = 2^20 bytes, as file managers count), and
/// exact bytes below one KB so a small limit in a test still reads sensibly.
fn human_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    const MB: f64 = 1024.0 * 1024.0;
    let b = bytes as f64;
    if b >= MB {
        format!("{:.1} MB", b / MB)
    } else if b >= KB {
        format!("{:.1} KB", b / KB)
    } else if bytes == 1 {
        "1 byte".to_string()
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(kind: LoadErrorKind) -> String {
        LoadError::new("x.csv", kind).to_string()
    }

    #[test]
    fn ragged_message_names_line_counts_and_record() {
        let e = LoadError::new(
            "penguins.csv",
            LoadErrorKind::Ragged { record: 17, line: 18, found: 5, expected: 4 },
        );
        assert_eq!(
            e.to_string(),
            "penguins.csv: line 18: found 5 fields, but the header has 4 (data record 17)"
        );
        assert_eq!(e.line(), Some(18));
        assert_eq!(e.file(), "penguins.csv");
    }

    #[test]
    fn not_utf8_message_names_line_column_and_header() {
        let e = LoadError::new(
            "data.csv",
            LoadErrorKind::NotUtf8 { line: 3, column: 2, name: Some("bill".into()) },
        );
        assert_eq!(
            e.to_string(),
            "data.csv: line 3, column 2 (`bill`): the bytes are not valid UTF-8; save the file as UTF-8"
        );
        let header = message(LoadErrorKind::NotUtf8 { line: 1, column: 4, name: None });
        assert_eq!(header, "x.csv: line 1, column 4: the bytes are not valid UTF-8; save the file as UTF-8");
    }

    #[test]
    fn duplicate_header_message_names_both_positions() {
        assert_eq!(
            message(LoadErrorKind::DuplicateHeader { name: "age".into(), first: 2, second: 4 }),
            "x.csv: the header names column 4 `age` again (first at column 2); column names must be unique"
        );
    }

    #[test]
    fn too_large_message_uses_megabytes() {
        assert_eq!(
            message(LoadErrorKind::TooLarge { bytes: 200 << 20, limit: 128 << 20 }),
            "x.csv: 200.0 MB is larger than the 128.0 MB limit; split the file or sample its rows"
        );
        assert_eq!(
            message(LoadErrorKind::TooLarge { bytes: (128 << 20) + 1, limit: 128 << 20 }),
            "x.csv: 134217729 bytes is larger than the 134217728-byte limit; split the file or sample its rows"
        );
        assert_eq!(
            message(LoadErrorKind::TooLarge { bytes: 12, limit: 10 }),
            "x.csv: 12 bytes is larger than the 10 bytes limit; split the file or sample its rows"
        );
    }

    #[test]
    fn too_many_columns_message_names_the_line_count_and_limit() {
        let e = LoadError::new(
            "wide.csv",
            LoadErrorKind::TooManyColumns { line: 3, found: 5_000_000, limit: 16_384 },
        );
        assert_eq!(
            e.to_string(),
            "wide.csv: line 3: the header has 5000000 columns, more than the limit of 16384; keep only the columns the suite reads"
        );
        assert_eq!(e.line(), Some(3));
    }

    #[test]
    fn too_large_stream_message_gives_the_limit_not_a_size() {
        assert_eq!(
            message(LoadErrorKind::TooLargeStream { limit: 128 << 20 }),
            "x.csv: the input is larger than the 128.0 MB limit (reading stopped there); split the file or sample its rows"
        );
    }

    #[test]
    fn every_message_starts_with_the_file_name() {
        let kinds = [
            LoadErrorKind::Empty,
            LoadErrorKind::HeaderOnly,
            LoadErrorKind::EmptyHeader { column: 1 },
            LoadErrorKind::EmptyHeader { column: 3 },
            LoadErrorKind::Csv { line: Some(2), message: "bad".into() },
            LoadErrorKind::Csv { line: None, message: "bad".into() },
            LoadErrorKind::Read { message: "bad".into() },
            LoadErrorKind::TooLargeStream { limit: 10 },
        ];
        for kind in kinds {
            let text = message(kind);
            assert!(text.starts_with("x.csv: "), "{text}");
        }
    }

    #[test]
    fn empty_first_header_hints_at_a_pandas_index() {
        assert!(message(LoadErrorKind::EmptyHeader { column: 1 }).contains("index=False"));
        assert!(!message(LoadErrorKind::EmptyHeader { column: 2 }).contains("index=False"));
    }
}
