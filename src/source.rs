//! Where a run's data is on disk, and which engine reads it (PRODUCT.md §14).
//!
//! `--data` and `--reference` name a CSV or Parquet file, a directory of them, or a glob
//! (`logs/2026-*.csv`). [`Source::resolve`] turns that into the files it names, sorted, all
//! of one format, with their total size; [`Engine::choose`] then picks the engine: the
//! memory engine reads one CSV file up to its cap, DataFusion any number of files of either
//! format. The command-line tool only: the page reads the one file a person picks.

use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A data file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Parquet,
}

impl Format {
    /// The format a file's name says; `None` for a name that says neither (a directory's
    /// other files are skipped, a file named on its own is read as CSV unless its first bytes
    /// say Parquet).
    fn of_name(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" | "tsv" | "txt" => Some(Format::Csv),
            "parquet" | "parq" | "pq" => Some(Format::Parquet),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Parquet => "Parquet",
        }
    }
}

/// The files `--data` or `--reference` named.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// As it was given, for messages.
    pub given: String,
    /// Sorted by path, so a run reads them in the same order on every machine.
    pub files: Vec<PathBuf>,
    pub format: Format,
    /// The files' total size.
    pub bytes: u64,
}

/// Why `--data` or `--reference` names no data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    given: String,
    kind: SourceErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum SourceErrorKind {
    NotFound,
    BadGlob(String),
    NoMatch,
    NoDataFiles,
    MixedFormats { csv: PathBuf, parquet: PathBuf },
    Unreadable { path: PathBuf, reason: String },
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let given = &self.given;
        match &self.kind {
            SourceErrorKind::NotFound => write!(f, "{given}: no such file or directory"),
            SourceErrorKind::BadGlob(reason) => write!(f, "{given}: not a pattern of file names: {reason}"),
            SourceErrorKind::NoMatch => write!(f, "{given}: no file matches"),
            SourceErrorKind::NoDataFiles => {
                write!(f, "{given}: no .csv, .tsv or .parquet file in it")
            }
            SourceErrorKind::MixedFormats { csv, parquet } => write!(
                f,
                "{given}: holds CSV ({}) and Parquet ({}); a run reads files of one format",
                csv.display(),
                parquet.display()
            ),
            SourceErrorKind::Unreadable { path, reason } => write!(f, "{}: {reason}", path.display()),
        }
    }
}

impl std::error::Error for SourceError {}

/// Whether `given` is a glob rather than a path: it holds a pattern character.
fn is_pattern(given: &str) -> bool {
    given.contains(['*', '?', '['])
}

impl Source {
    /// The files `given` names: the file itself, a directory's data files (not its
    /// subdirectories'), or every file a glob matches.
    pub fn resolve(given: &str) -> Result<Source, SourceError> {
        let error = |kind| SourceError { given: given.to_owned(), kind };
        let path = Path::new(given);
        let (files, named) = if path.is_dir() {
            let entries = fs::read_dir(path).map_err(|err| {
                error(SourceErrorKind::Unreadable { path: path.to_owned(), reason: err.to_string() })
            })?;
            let mut files = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|err| {
                    error(SourceErrorKind::Unreadable { path: path.to_owned(), reason: err.to_string() })
                })?;
                let file = entry.path();
                // Hidden files and a writer's markers (`_SUCCESS`) are not data.
                let hidden = entry.file_name().to_string_lossy().starts_with(['.', '_']);
                if !hidden && file.is_file() && Format::of_name(&file).is_some() {
                    files.push(file);
                }
            }
            (files, false)
        } else if path.exists() {
            // A file named on its own: a regular file, or a stream (a pipe, a device), which
            // the reader bounds.
            (vec![path.to_owned()], true)
        } else if is_pattern(given) {
            let matches =
                glob::glob(given).map_err(|err| error(SourceErrorKind::BadGlob(err.msg.to_owned())))?;
            let mut files = Vec::new();
            for found in matches {
                let file = found.map_err(|err| {
                    error(SourceErrorKind::Unreadable {
                        path: err.path().to_owned(),
                        reason: err.error().to_string(),
                    })
                })?;
                if file.is_file() {
                    files.push(file);
                }
            }
            (files, false)
        } else {
            return Err(error(SourceErrorKind::NotFound));
        };
        if files.is_empty() {
            return Err(error(if path.is_dir() {
                SourceErrorKind::NoDataFiles
            } else {
                SourceErrorKind::NoMatch
            }));
        }
        let mut files = files;
        files.sort();
        let mut formats = Vec::with_capacity(files.len());
        let mut bytes = 0;
        for file in &files {
            let unreadable = |err: std::io::Error| {
                error(SourceErrorKind::Unreadable { path: file.clone(), reason: err.to_string() })
            };
            bytes += fs::metadata(file).map_err(unreadable)?.len();
            let format = match Format::of_name(file) {
                Some(format) => format,
                // A file named on its own or matched by a glob, whose name says nothing.
                // A stream is not sniffed: that would take its first bytes from the reader.
                None if named && !file.is_file() => Format::Csv,
                None if named || is_pattern(given) => sniff(file).map_err(unreadable)?,
                None => continue,
            };
            formats.push((format, file));
        }
        let first_of =
            |wanted: Format| formats.iter().find(|(format, _)| *format == wanted).map(|(_, f)| (*f).clone());
        let format = match (first_of(Format::Csv), first_of(Format::Parquet)) {
            (Some(csv), Some(parquet)) => return Err(error(SourceErrorKind::MixedFormats { csv, parquet })),
            (None, Some(_)) => Format::Parquet,
            _ => Format::Csv,
        };
        Ok(Source { given: given.to_owned(), files, format, bytes })
    }

    /// One file, which the memory engine can read.
    pub fn single_file(&self) -> Option<&Path> {
        match self.files.as_slice() {
            [file] => Some(file),
            _ => None,
        }
    }
}

/// Parquet when the file starts with Parquet's magic bytes, else CSV.
fn sniff(path: &Path) -> std::io::Result<Format> {
    let mut magic = [0u8; 4];
    let read = fs::File::open(path)?.read(&mut magic)?;
    Ok(if read == 4 && &magic == b"PAR1" { Format::Parquet } else { Format::Csv })
}

/// The engine that runs the data tests (`--engine`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// The table in memory, as the page runs it: one CSV file up to the cap.
    Memory,
    /// Apache DataFusion on this machine: any size, CSV or Parquet, memory bounded.
    DataFusion,
    /// DataFusion's plans on a Ballista cluster.
    Ballista,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Memory => "memory",
            Engine::DataFusion => "datafusion",
            Engine::Ballista => "ballista",
        }
    }

    /// The engine for `inputs` (the data, then the reference if any): the one `requested`,
    /// else DataFusion for Parquet, for several files and for more than `cap` bytes in a
    /// file, else memory. Memory refuses what it cannot read, saying why.
    pub fn choose(requested: Option<Engine>, inputs: &[&Source], cap: u64) -> Result<Engine, String> {
        let beyond_memory = inputs.iter().find_map(|source| {
            if source.format == Format::Parquet {
                Some(format!("{} is Parquet", source.given))
            } else if source.files.len() > 1 {
                Some(format!("{} names {} files", source.given, source.files.len()))
            } else if source.bytes > cap {
                Some(format!(
                    "{} is larger than the memory engine's {} MB limit ({} bytes)",
                    source.given,
                    cap >> 20,
                    source.bytes
                ))
            } else {
                None
            }
        });
        match (requested, beyond_memory) {
            (Some(Engine::Memory), Some(reason)) => Err(format!(
                "--engine memory reads one CSV file of at most {} MB, but {reason}: use --engine datafusion",
                cap >> 20
            )),
            (Some(engine), _) => Ok(engine),
            (None, Some(_)) => Ok(Engine::DataFusion),
            (None, None) => Ok(Engine::Memory),
        }
    }
}

#[cfg(test)]
mod tests;
