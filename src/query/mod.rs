//! Data tests as Apache DataFusion queries over CSV and Parquet files of any size (PRODUCT.md
//! §14), for the command-line tool's `--engine datafusion`: a [`Session`] over the files of a
//! [`Source`] answers what each data kind asks ([`Facts`], in `facts.rs`) with queries, in a
//! bounded memory pool that spills to disk.
//!
//! A CSV file's columns are read as text, whatever they hold, and typed by the memory
//! engine's rule (`table::read_csv`) through SQL functions that call the loader's own reading
//! of a cell (trimmed; the missing tokens; its number parsers): the view `typed` holds each
//! column's value as the memory engine holds it (an int, a float, a bool or a text; null when
//! missing), so counts and verdicts over the files are the memory engine's on the same file.
//! The view `numbered` is the same values with each row's file and 1-based row in it, for the
//! failing rows a report names. A CSV source a suite scans again and again is written once
//! to a typed Arrow copy in the spill folder, and both views read that: the later scans
//! neither parse the CSV nor type its cells again ([`Session::copy_typed`]).

#[cfg(feature = "ballista")]
pub mod cluster;
mod facts;
mod functions;

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::{Arc, Mutex};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{DataType, Field, Int64Type, Schema, UInt64Type};
use datafusion::datasource::file_format::arrow::ArrowFormat;
use datafusion::datasource::listing::ListingOptions;
use datafusion::error::DataFusionError;
use datafusion::execution::memory_pool::FairSpillPool;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::prelude::{col, CsvReadOptions, ParquetReadOptions, SessionConfig, SessionContext};

use crate::checks::data::Cell;
use crate::source::{Format, Source};
use crate::table::{self, ColumnType};
use functions::{
    cell_at, CELL_KINDS, CELL_KIND_FIELDS, FEW_DISTINCT_FN, FLOAT, INT, NOT_NAN, POSITION_HASH, PRESENT,
};

/// The name the data's files have in the queries, all together; `file_0`, `file_1`, … each.
const DATA: &str = "data";
/// The views of the typed values, without and with each row's file and row.
const TYPED: &str = "typed";
const NUMBERED: &str = "numbered";
/// A CSV source's typed copy ([`Session::copy_typed`]).
const TYPED_COPY: &str = "typed_copy";
/// A CSV source is copied typed before a run that expects at least this many scans of it
/// ([`Session::expect_scans`]). The copy costs about two scans of the CSV and makes each
/// later one several times cheaper, so a suite of a few scans is faster without it: on 10M
/// rows (890 MB), a suite of no scan 4.1 s against 10.8 s with the copy, of one 5.1 against
/// 10.9 s; the benchmark's suite of twelve 25 s against 32 s without.
pub const COPY_FOR_SCANS: usize = 3;
/// A CSV source not copied before its run is copied before this scan: what a run expects is
/// a lower bound (drift reads each column of both data sets in a scan of its own).
pub const COPY_AT_SCAN: usize = 6;
/// The columns `numbered` adds: the file's index in the source, the row's 1-based number in
/// its file, and the two as one number that orders rows as the files hold them.
const FILE: &str = "__mltest_file";
const ROW: &str = "__mltest_row";
const POS: &str = "__mltest_pos";
/// A position packs the file's index above the row's 40 bits.
const ROW_BITS: u32 = 40;

/// Where a session's plans run.
pub enum Runner<'a> {
    /// In this process: its plans hold at most `memory_limit` bytes and spill the rest to
    /// files in `spill_dir`.
    Here { memory_limit: usize, spill_dir: &'a Path },
    /// On the Ballista cluster whose scheduler is at `scheduler` (`df://HOST:PORT`), in its
    /// executors' memory and on their disks.
    #[cfg(feature = "ballista")]
    Cluster { scheduler: &'a str },
}

/// DataFusion over the files of one [`Source`], with the tokio runtime its plans run on.
pub struct Session {
    runtime: tokio::runtime::Runtime,
    /// Where aggregates run: files split into parts read at once.
    parallel: SessionContext,
    /// Where queries of `numbered` run: each file read in order.
    ordered: SessionContext,
    /// The source as given, for messages.
    name: String,
    /// The SHA-256 of the files' bytes one after another.
    sha256: String,
    /// Each file as the report names it.
    files: Vec<String>,
    format: Format,
    columns: Vec<ColumnSql>,
    rows: usize,
    /// Each column's missing cells, in the order of `columns`.
    missing: Vec<usize>,
    /// What orders rows of `numbered` as the files hold them. Here the file and row, which
    /// DataFusion knows a file read in order already is: a query of the first rows stops
    /// once it has them, with no sort. On a cluster the packed position, sorted: Ballista
    /// moves rows between stages (a join's shuffle) after the plan has dropped that sort.
    file_order: String,
    /// Answers to aggregates over `typed`, by their SQL: those a suite's tests will ask,
    /// gathered in one scan before they run ([`crate::checks::data::Facts::gather`]).
    answers: Mutex<HashMap<String, ArrayRef>>,
    /// The typed copy of a CSV source: whether and where it is made, and the scans so far.
    copy: Mutex<TypedCopy>,
    /// Whether each Parquet file's reader numbers its rows (`file_row_index()`), so that
    /// `numbered` is a view on the context that splits files too. Not on a cluster, whose
    /// plans carry the window that numbers rows instead.
    numbers_rows: bool,
    /// The most rows whose 8-byte keys the aggregates that find the repeated ones may hold
    /// together ([`functions::REPEATED`]): half the memory pool. None on a cluster, whose
    /// executors' pools this process does not know: a `GROUP BY` there, which spills.
    key_room: usize,
}

/// A source's typed copy ([`Session::copy_typed`]).
#[derive(Default)]
struct TypedCopy {
    /// Where the copy is written when it is made: a single CSV file read in this process
    /// has its spill folder here; other sources are never copied.
    into: Option<std::path::PathBuf>,
    /// The source's scans since it was typed.
    scans: usize,
    /// The copy the views read once it is written, removed with the session.
    written: Option<std::path::PathBuf>,
}

impl Drop for Session {
    fn drop(&mut self) {
        let copy = self.copy.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(written) = &copy.written {
            let _ = std::fs::remove_file(written);
        }
    }
}

/// A column: its name, the type the memory engine would give it, and its value in SQL over
/// the raw column (null when missing).
struct ColumnSql {
    name: String,
    ty: ColumnType,
    value: String,
}

/// What the scan that types the columns finds: each column typed, the rows, and each
/// column's missing cells.
struct Typed {
    columns: Vec<ColumnSql>,
    rows: usize,
    missing: Vec<usize>,
}

/// What a scan of the data says of each column: the rows, and each column's missing cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Counts {
    pub rows: usize,
    /// One per column, in the file's order: (name, missing cells).
    pub missing: Vec<(String, usize)>,
}

impl Session {
    /// A session over `source`'s files whose plans run as `runner` says. Reads every
    /// column's type and missing cells (a few scans).
    pub fn open(source: &Source, runner: &Runner<'_>) -> Result<Session, String> {
        let failed = |err: DataFusionError| format!("{}: {err}", source.given);
        let first = source.files.first().ok_or_else(|| format!("{}: no file", source.given))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|err| format!("cannot start DataFusion's runtime: {err}"))?;
        // Two views of the same files. Aggregates run on `parallel`, where a file is split
        // into byte ranges read at once. Row numbers need each file read from its start to its
        // end in one stream (a split scan interleaves the parts): queries of `numbered` run on
        // `ordered`. Both join by sorting, which spills, where a hash join holds its whole
        // build side.
        let configs = [true, false].map(|split| {
            let mut config = SessionConfig::new().with_repartition_file_scans(split);
            config.options_mut().optimizer.prefer_hash_join = false;
            // Parquet's strings as plain arrays: a view array points into its page's buffer,
            // so the rows a sample keeps out of each batch kept every page they came from
            // alive (the leakage test alone: 941 MB against the CSV's 528; the suite on the
            // 10M-row Parquet file 1,039 MiB, now 878-934). Views only where rows are kept
            // left the suite at 1,017 MiB; plain strings everywhere cost 20.6 s → 30 s there.
            config.options_mut().execution.parquet.schema_force_view_types = false;
            // And `VARCHAR` as those plain strings: as a view type, the typed view's
            // `CAST(c AS VARCHAR)` of every text column rebuilt each batch's strings as views
            // (a tenth of the benchmark suite's time on the Parquet file).
            config.options_mut().sql_parser.map_string_types_to_utf8view = false;
            // A file read in order stays one stream: spreading its batches over the cores
            // would lose the order that lets a query of the first failing rows stop early.
            if !split {
                config.options_mut().optimizer.enable_round_robin_repartition = false;
            }
            config
        });
        let contexts = match runner {
            Runner::Here { memory_limit, spill_dir } => {
                // One memory pool for both.
                let env = RuntimeEnvBuilder::new()
                    .with_memory_pool(Arc::new(FairSpillPool::new(*memory_limit)))
                    .with_temp_file_path(*spill_dir)
                    .build_arc()
                    .map_err(failed)?;
                configs.map(|config| {
                    let ctx = SessionContext::new_with_config_rt(config, Arc::clone(&env));
                    functions::register(&ctx);
                    ctx
                })
            }
            #[cfg(feature = "ballista")]
            Runner::Cluster { scheduler } => {
                let [split, whole] = configs;
                let split = runtime.block_on(cluster::connect(scheduler, split))?;
                runtime.block_on(cluster::ready(&split, scheduler, cluster::EXECUTOR_WAIT))?;
                [split, runtime.block_on(cluster::connect(scheduler, whole))?]
            }
        };
        let fingerprint = fingerprint(&source.files)?;
        let paths: Vec<String> = source.files.iter().map(|file| file.display().to_string()).collect();
        // Where the files are read: an executor runs in its own folder, so on a cluster a
        // relative path is made absolute (the report keeps the path as given).
        let read_at: Vec<String> = match runner {
            Runner::Here { .. } => paths.clone(),
            #[cfg(feature = "ballista")]
            Runner::Cluster { .. } => source
                .files
                .iter()
                .map(|file| std::path::absolute(file).map(|path| path.display().to_string()))
                .collect::<Result<_, _>>()
                .map_err(|err| format!("{}: {err}", source.given))?,
        };
        // Every file together as `data`, and each as `file_<i>`.
        let tables: Vec<(String, Vec<String>)> = std::iter::once((DATA.to_owned(), read_at.clone()))
            .chain(read_at.iter().enumerate().map(|(i, path)| (format!("file_{i}"), vec![path.clone()])))
            .collect();
        let (names, raw): (Vec<String>, Vec<Option<DataType>>) = match source.format {
            Format::Csv => {
                let (names, delimiter) = csv_header(first)?;
                let schema = Schema::new(
                    names.iter().map(|name| Field::new(name, DataType::Utf8, true)).collect::<Vec<_>>(),
                );
                // A quoted field may hold a line break, which a scan that starts mid-file
                // cannot tell from a row's end, so DataFusion reads such files whole; a file
                // without a quote has none, and is split.
                let quoted = fingerprint.1;
                for ctx in &contexts {
                    for (table, paths) in &tables {
                        runtime
                            .block_on(async {
                                let options = CsvReadOptions::new()
                                    .has_header(true)
                                    .delimiter(delimiter)
                                    .newlines_in_values(quoted)
                                    .file_extension("")
                                    .schema(&schema);
                                let frame = ctx.read_csv(paths.clone(), options).await?;
                                ctx.register_table(table.as_str(), frame.into_view()).map(drop)
                            })
                            .map_err(failed)?;
                    }
                }
                let raw = vec![None; names.len()];
                (names, raw)
            }
            Format::Parquet => {
                let mut schema = None;
                for ctx in &contexts {
                    for (table, paths) in &tables {
                        let read = runtime
                            .block_on(async {
                                let options = ParquetReadOptions { file_extension: "", ..Default::default() };
                                let frame = ctx.read_parquet(paths.clone(), options).await?;
                                let schema = frame.schema().as_arrow().clone();
                                ctx.register_table(table.as_str(), frame.into_view()).map(|_| schema)
                            })
                            .map_err(failed)?;
                        schema.get_or_insert(read);
                    }
                }
                let schema = schema.unwrap_or_else(Schema::empty);
                schema
                    .fields()
                    .iter()
                    .map(|field| (field.name().clone(), Some(field.data_type().clone())))
                    .unzip()
            }
        };
        if let Some(name) = crate::checks::data::duplicate_name(&names) {
            return Err(format!(
                "{}: the header names `{name}` twice; the datafusion engine needs each column named once",
                source.given
            ));
        }
        let [parallel, ordered] = contexts;
        let mut session = Session {
            runtime,
            parallel,
            ordered,
            name: source.given.clone(),
            sha256: fingerprint.0,
            files: paths,
            format: source.format,
            columns: Vec::new(),
            rows: 0,
            missing: Vec::new(),
            file_order: match runner {
                Runner::Here { .. } => format!("{FILE}, {ROW}"),
                #[cfg(feature = "ballista")]
                Runner::Cluster { .. } => POS.to_owned(),
            },
            answers: Mutex::default(),
            copy: Mutex::default(),
            numbers_rows: matches!((source.format, runner), (Format::Parquet, Runner::Here { .. })),
            key_room: match runner {
                Runner::Here { memory_limit, .. } => memory_limit / 2 / 8,
                #[cfg(feature = "ballista")]
                Runner::Cluster { .. } => 0,
            },
        };
        let typed = session.typed_columns(&names, &raw)?;
        (session.columns, session.rows, session.missing) = (typed.columns, typed.rows, typed.missing);
        session.create_views()?;
        // One file only: DataFusion 55 merges the parts of a `UNION ALL` of files ordered by
        // (file, row) on the row alone when the file is a constant in each part, so the copy
        // of several files came out interleaved (caught by tests/engines' two-file runs).
        if let (Format::Csv, Runner::Here { spill_dir, .. }, [_]) = (source.format, runner, &source.files[..])
        {
            *session.copy.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner()) =
                TypedCopy { into: Some(spill_dir.to_path_buf()), ..TypedCopy::default() };
        }
        Ok(session)
    }

    /// The rows and each column's missing cells.
    pub fn counts(&self) -> Counts {
        Counts {
            rows: self.rows,
            missing: self.columns.iter().zip(&self.missing).map(|(c, &n)| (c.name.clone(), n)).collect(),
        }
    }

    /// Each column's type, by `read_csv`'s rule.
    pub fn column_types(&self) -> Vec<(String, ColumnType)> {
        self.columns.iter().map(|c| (c.name.clone(), c.ty)).collect()
    }

    /// The files, as the report names them.
    pub fn files(&self) -> &[String] {
        &self.files
    }

    /// The SHA-256 of the files' bytes one after another, the report's fingerprint of the data
    /// (of one file, the memory engine's).
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// Each column typed: a CSV column by `read_csv`'s rule over its cells in every file (int
    /// when every present cell is an int, else float when every one is a number or none is
    /// present, else bool when every one is `true` or `false`, else category when it has at
    /// most 50 distinct values each seen twice on average, else text); a Parquet column by its
    /// schema, its strings a category or text by the same rule.
    fn typed_columns(&self, names: &[String], raw: &[Option<DataType>]) -> Result<Typed, String> {
        // Per column, in one scan: the present cells, those that are ints, floats, `true` or
        // `false`, the floats that are NaN (missing to the memory engine once the column is
        // typed float), so the missing cells need no second scan, and the distinct texts up
        // to one past a category's most (what tells a category from a text): a CSV column's
        // from its cells ([`CELL_KINDS`]), a Parquet column's from its type.
        let mut parts = vec!["count(*)".to_owned()];
        for (name, raw) in names.iter().zip(raw) {
            let c = quoted(name);
            match raw {
                // One aggregate a column, its six counts taken apart.
                None => parts
                    .extend(CELL_KIND_FIELDS.map(|field| format!("get_field({CELL_KINDS}({c}), '{field}')"))),
                Some(ty) if ty.is_floating() => parts.extend([
                    format!("count({c})"),
                    "0".into(),
                    "0".into(),
                    "0".into(),
                    format!("sum(CASE WHEN isnan(CAST({c} AS DOUBLE)) THEN 1 ELSE 0 END)"),
                    "0".into(),
                ]),
                Some(ty) if ty.is_integer() || *ty == DataType::Boolean => parts.extend([
                    format!("count({c})"),
                    "0".into(),
                    "0".into(),
                    "0".into(),
                    "0".into(),
                    "0".into(),
                ]),
                Some(_) => parts.extend([
                    format!("count({c})"),
                    "0".into(),
                    "0".into(),
                    "0".into(),
                    "0".into(),
                    format!("{FEW_DISTINCT_FN}(CAST({c} AS VARCHAR))"),
                ]),
            }
        }
        // Each part named: DataFusion refuses two unnamed `0`s.
        let parts: Vec<String> =
            parts.iter().enumerate().map(|(i, part)| format!("{part} AS __m_{i}")).collect();
        const PARTS: usize = 6;
        let batch = &self.one_row(&format!("SELECT {} FROM {DATA}", parts.join(", ")))?;
        let rows = int_at(batch, 0, 0)?;
        let mut typed = Typed { columns: Vec::with_capacity(names.len()), rows, missing: Vec::new() };
        for (i, (name, raw)) in names.iter().zip(raw).enumerate() {
            let [present, ints, floats, bools, nans, levels] =
                [1, 2, 3, 4, 5, 6].map(|k| int_at(batch, PARTS * i + k, 0));
            let (present, ints, floats, bools, nans, levels) =
                (present?, ints?, floats?, bools?, nans?, levels?);
            let category_or_text =
                if table::is_category(levels, present) { ColumnType::Category } else { ColumnType::Text };
            let c = quoted(name);
            let (ty, value) = match raw {
                None if present == 0 || (floats == present && ints < present) => {
                    (ColumnType::Float, format!("{NOT_NAN}({FLOAT}({c}))"))
                }
                None if ints == present => (ColumnType::Int, format!("{INT}({c})")),
                None if bools == present => (ColumnType::Bool, format!("lower({PRESENT}({c})) = 'true'")),
                None => (category_or_text, format!("{PRESENT}({c})")),
                Some(ty) if ty.is_integer() => (ColumnType::Int, format!("CAST({c} AS BIGINT)")),
                Some(ty) if ty.is_floating() => {
                    (ColumnType::Float, format!("{NOT_NAN}(CAST({c} AS DOUBLE))"))
                }
                Some(DataType::Boolean) => (ColumnType::Bool, c.clone()),
                Some(_) if present == 0 => (ColumnType::Float, "CAST(NULL AS DOUBLE)".into()),
                Some(_) => (category_or_text, format!("CAST({c} AS VARCHAR)")),
            };
            let nans = if ty == ColumnType::Float { nans } else { 0 };
            typed.missing.push(rows - (present - nans));
            let column = ColumnSql { name: name.clone(), ty, value };
            // A text's distinct values were just counted as `not_constant` counts them (the
            // same values, the same count up to one past a category's most): its question,
            // asked later, has this answer, where it was a count in the gathering scan.
            if matches!(ty, ColumnType::Category | ColumnType::Text) {
                let levels = batch.column(PARTS * i + 6).slice(0, 1);
                self.answers
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .insert(column.few_distinct(), levels);
            }
            typed.columns.push(column);
        }
        Ok(typed)
    }

    /// The views `typed` (each column's value) and `numbered` (the same with each row's file,
    /// row and position).
    fn create_views(&self) -> Result<(), String> {
        let values: Vec<String> =
            self.columns.iter().map(|c| format!("{} AS {}", c.value, quoted(&c.name))).collect();
        let values = if values.is_empty() { "1 AS __mltest_none".to_owned() } else { values.join(", ") };
        for ctx in [&self.parallel, &self.ordered] {
            self.run_on(ctx, &format!("CREATE VIEW {TYPED} AS SELECT {values} FROM {DATA}"))?;
        }
        // Each file's rows numbered by `row`, an SQL expression.
        let numbered = |row: &str| {
            let files: Vec<String> = (0..self.files.len())
                .map(|i| {
                    format!("SELECT CAST({i} AS BIGINT) AS {FILE}, {row} AS {ROW}, {values} FROM file_{i}")
                })
                .collect();
            format!(
                "CREATE VIEW {NUMBERED} AS SELECT *, {FILE} * {} + {ROW} AS {POS} FROM ({})",
                1u64 << ROW_BITS,
                files.join(" UNION ALL ")
            )
        };
        // Where the files are read in order, a window numbers the rows as they come (and
        // DataFusion knows the answer is in file order, which a query of the first rows stops
        // on); where they are split, only a Parquet reader can number its rows.
        self.run_on(&self.ordered, &numbered("CAST(row_number() OVER () AS BIGINT)"))?;
        if self.numbers_rows {
            self.run_on(&self.parallel, &numbered("file_row_index() + 1"))?;
        }
        Ok(())
    }

    /// Copies a CSV source typed now ([`Session::copy_typed`]) when a run expects at least
    /// [`COPY_FOR_SCANS`] scans of it.
    pub fn expect_scans(&self, scans: usize) -> Result<(), String> {
        if scans < COPY_FOR_SCANS {
            return Ok(());
        }
        self.copy_once(&mut self.copy.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    /// Counts a scan of the source about to run, and first copies it typed when this is the
    /// [`COPY_AT_SCAN`]th.
    fn scan(&self) -> Result<(), String> {
        let mut copy = self.copy.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        copy.scans += 1;
        if copy.scans == COPY_AT_SCAN {
            self.copy_once(&mut copy)?;
        }
        Ok(())
    }

    /// Copies the source typed unless it is not one to copy or is copied already.
    fn copy_once(&self, copy: &mut TypedCopy) -> Result<(), String> {
        let Some(spill_dir) = copy.into.as_ref().filter(|_| copy.written.is_none()) else {
            return Ok(());
        };
        let path = self.copy_path(spill_dir);
        // Removed with the session even when the copy fails halfway.
        copy.written = Some(path.clone());
        self.copy_typed(&path)
    }

    /// A new file in `spill_dir` for a typed copy.
    fn copy_path(&self, spill_dir: &Path) -> std::path::PathBuf {
        static COPIES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COPIES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        spill_dir.join(format!("mltest-typed-{}-{n}.arrow", std::process::id()))
    }

    /// Writes `numbered` once, typed, in file order, to the Arrow IPC file `path`, and makes
    /// `typed` and `numbered` read it. Every later scan then reads typed columns, where each
    /// would parse the CSV and type every cell again (the CSV's row numbers need a read of
    /// each file in one stream, on one core: the slowest scans of a suite). Not on a
    /// cluster, whose executors cannot see this machine's disk.
    fn copy_typed(&self, path: &Path) -> Result<(), String> {
        let target = path.display().to_string();
        let names: Vec<String> = self.columns.iter().map(|c| quoted(&c.name)).collect();
        // A file of no columns still has rows: `typed` holds a constant then, as made.
        let names = if names.is_empty() { "__mltest_none".to_owned() } else { names.join(", ") };
        // The copy's typing spread over the cores: batches dealt out after the rows are
        // numbered (each part stays in file order), typed in parallel and merged back in
        // order (a `SortPreservingMergeExec`, no sort). 6.6 s → ~5 s on the 10M-row file. The
        // ordered context deals out nothing otherwise (see `open`).
        self.run_on(&self.ordered, "SET datafusion.optimizer.enable_round_robin_repartition = true")?;
        let copied = self.run_on(
            &self.ordered,
            &format!(
                "COPY (SELECT {FILE}, {ROW}, {POS}, {names} FROM {NUMBERED} ORDER BY {FILE}, {ROW}) TO '{}' STORED AS ARROW",
                target.replace('\'', "''")
            ),
        );
        self.run_on(&self.ordered, "SET datafusion.optimizer.enable_round_robin_repartition = false")?;
        copied?;
        for ctx in [&self.parallel, &self.ordered] {
            // Declared in file order, as it was written: a query of the first rows in that
            // order stops once it has them, and the stream of `read_until` needs no sort.
            let options = ListingOptions::new(Arc::new(ArrowFormat))
                .with_file_extension(".arrow")
                .with_file_sort_order(vec![vec![col(FILE).sort(true, false), col(ROW).sort(true, false)]]);
            self.runtime
                .block_on(ctx.register_listing_table(TYPED_COPY, &target, options, None, None))
                .map_err(|err| format!("{}: reading its typed copy {target}: {err}", self.name))?;
            self.run_on(ctx, &format!("CREATE OR REPLACE VIEW {TYPED} AS SELECT {names} FROM {TYPED_COPY}"))?;
        }
        // `numbered` on both: the copy holds each row's position, so an aggregate that does
        // not hang on the order rows come in no longer needs them read in order
        // ([`Session::query_any_order`]).
        for ctx in [&self.parallel, &self.ordered] {
            self.run_on(ctx, &format!("CREATE OR REPLACE VIEW {NUMBERED} AS SELECT * FROM {TYPED_COPY}"))?;
        }
        // The copy is read in one stream, its batches then spread over the cores: DataFusion
        // reads a part of an Arrow file by fetching all of the part's batches at once (the
        // suite on 10M rows held 1.5 GB so), and decoding one is little work.
        self.run_on(&self.parallel, "SET datafusion.optimizer.repartition_file_scans = false")?;
        Ok(())
    }

    /// The data as a loaded table for what runs in memory (a model's training, its tests,
    /// `no_target_leakage`): every row when there are at most `limit`, else `limit` rows drawn
    /// by a hash of each row's position seeded with `seed` (the same rows on every run and
    /// machine), in file order, built as [`Session::project`] builds its rows: a table of
    /// every row is the one the memory engine loads.
    pub fn sample(&self, limit: usize, seed: u64) -> Result<table::Table, String> {
        let every: Vec<&ColumnSql> = self.columns.iter().collect();
        if self.rows <= limit {
            return self.rows_as_table(&every, "TRUE", Session::query);
        }
        // As the SQL's BIGINT: the hash reads it back as the same 64 bits.
        let seed = seed as i64;
        // The `limit`-th smallest hash first, then the rows at or under it: one scan that
        // keeps only the rows drawn. The hash is a bijection of the position, so exactly
        // `limit` rows are at or under.
        let threshold = self.sample_threshold(limit, seed)?;
        // The few rows drawn are sorted after, wherever they were read.
        let condition = format!("{POSITION_HASH}({POS}, {seed}) <= {threshold}");
        self.rows_as_table(&every, &condition, Session::query_any_order)
    }

    /// Every row of `columns` as a loaded table, in file order: what a `predictions` model
    /// reads (PRODUCT.md §14: its metrics, slices, fairness and calibration over every row,
    /// exactly).
    pub fn project(&self, columns: &[&str]) -> Result<table::Table, String> {
        let chosen: Vec<&ColumnSql> =
            columns.iter().map(|name| self.column_sql(name)).collect::<Result<_, _>>()?;
        self.rows_as_table(&chosen, "TRUE", Session::query)
    }

    /// A row's line as the report gives it: a CSV's row n is its line n + 1 (the header is
    /// line 1); a Parquet file has no lines, and its row is given.
    fn line(&self, row: u64) -> u64 {
        match self.format {
            Format::Csv => row + 1,
            Format::Parquet => row,
        }
    }

    /// The rows where `condition` holds, of `columns`, as a loaded table in file order,
    /// typed as the memory engine types the whole data (a text column becomes a category or
    /// stays text by the loader's own rule, on these rows), built from the typed values
    /// without a text round trip, each row named as the data tests name it (`line`). `read` runs the
    /// query: [`Session::query`] streams every row in file order without a sort,
    /// [`Session::query_any_order`] reads a few rows over every core and sorts them.
    fn rows_as_table(
        &self,
        columns: &[&ColumnSql],
        condition: &str,
        read: fn(&Session, &str) -> Result<Vec<RecordBatch>, String>,
    ) -> Result<table::Table, String> {
        let values: Vec<String> = columns.iter().map(|c| quoted(&c.name)).collect();
        let batches = read(
            self,
            &format!(
                "SELECT {ROW}, {} FROM {NUMBERED} WHERE {condition} ORDER BY {}",
                values.join(", "),
                self.file_order
            ),
        )?;
        // Each column's arrays on their own, so that each is freed once its column is built:
        // the answer and the table are never both whole in memory.
        let mut arrays: Vec<Vec<ArrayRef>> = vec![Vec::with_capacity(batches.len()); columns.len() + 1];
        for batch in batches {
            for (column, array) in arrays.iter_mut().zip(batch.columns()) {
                column.push(Arc::clone(array));
            }
        }
        let mut lines = Vec::new();
        for rows in std::mem::take(&mut arrays[0]) {
            lines.extend(rows.as_primitive::<Int64Type>().values().iter().map(|&row| self.line(row as u64)));
        }
        let built = columns
            .iter()
            .zip(arrays.iter_mut().skip(1))
            .map(|(c, column)| column_from(c, std::mem::take(column), lines.len()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(table::Table::new(self.name.clone(), built, lines, self.sha256.clone(), b','))
    }

    /// The `limit`-th smallest position hash (at least the first). The positions follow
    /// from each file's row count, so they are hashed here, the `limit` smallest kept in a
    /// heap, instead of read from the files in order and every row's hash sorted.
    fn sample_threshold(&self, limit: usize, seed: i64) -> Result<i64, String> {
        let rows_per_file: Vec<usize> = if self.files.len() == 1 {
            vec![self.rows]
        } else {
            (0..self.files.len())
                .map(|i| self.count(&format!("SELECT count(*) FROM file_{i}")))
                .collect::<Result<_, _>>()?
        };
        let limit = limit.max(1);
        // The hashes that may be among the `limit` smallest, at most twice that many: when
        // full, the `limit` smallest are kept (a selection, no sort) and the largest of them
        // bounds what is kept next. A heap of the `limit` smallest took ~0.5 s for 10M rows
        // (each of ~2M replacements a walk down a heap bigger than the cache).
        let mut kept: Vec<i64> = Vec::with_capacity(2 * limit);
        let mut bound: Option<i64> = None;
        let keep_smallest = |kept: &mut Vec<i64>| {
            kept.select_nth_unstable(limit - 1);
            kept.truncate(limit);
            kept[limit - 1]
        };
        for (file, &rows) in rows_per_file.iter().enumerate() {
            for row in 1..=rows as i64 {
                let hash = functions::hash_position(((file as i64) << ROW_BITS) + row, seed);
                // Hashes of positions are distinct: none equals the bound.
                if bound.is_none_or(|bound| hash < bound) {
                    kept.push(hash);
                    if kept.len() == 2 * limit {
                        bound = Some(keep_smallest(&mut kept));
                    }
                }
            }
        }
        match kept.len() {
            0 => Err(format!("{}: no row to sample", self.name)),
            n if n < limit => Ok(kept.iter().copied().max().unwrap_or(i64::MAX)),
            _ => Ok(keep_smallest(&mut kept)),
        }
    }

    /// Writes the data, typed as the memory engine types it (missing cells null), to one
    /// Parquet file at `path`, in file order: the same data for engines that read Parquet.
    pub fn write_parquet(&self, path: &Path) -> Result<(), String> {
        let values: Vec<String> = self.columns.iter().map(|c| quoted(&c.name)).collect();
        let target = path.display().to_string().replace('\'', "''");
        self.query(&format!(
            "COPY (SELECT {} FROM {NUMBERED} ORDER BY {FILE}, {ROW}) TO '{target}' STORED AS PARQUET",
            values.join(", ")
        ))
        .map(drop)
    }

    /// Runs `sql` on its context ([`Session::context_for`]); a query that reads the data is
    /// a scan ([`Session::scan`]).
    fn query(&self, sql: &str) -> Result<Vec<RecordBatch>, String> {
        if sql.starts_with("SELECT") || sql.starts_with("COPY") {
            self.scan()?;
        }
        self.run_on(self.context_for(sql), sql)
    }

    /// Runs `sql` as [`Session::query`] does when its answer does not hang on the order
    /// `numbered`'s rows are read in (counts, a group's least position, rows sorted after):
    /// on the context that spreads the work over the cores when it knows each row's position
    /// (Parquet files, and a CSV once its typed copy holds them), else on the one that
    /// numbers the rows by reading each file in order.
    fn query_any_order(&self, sql: &str) -> Result<Vec<RecordBatch>, String> {
        self.scan()?;
        let copied = self.copy.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).written.is_some();
        self.run_on(if copied || self.numbers_rows { &self.parallel } else { self.context_for(sql) }, sql)
    }

    /// The context that runs `sql`: the one that reads files in order when it reads
    /// `numbered` (or makes the views), else the one that splits them.
    fn context_for(&self, sql: &str) -> &SessionContext {
        if sql.contains(NUMBERED) {
            &self.ordered
        } else {
            &self.parallel
        }
    }

    /// A query's error as a message: the data first, then the start of the query.
    fn failed(&self, sql: &str, err: DataFusionError) -> String {
        format!("{}: {err} (in the query {})", self.name, brief(sql))
    }

    fn run_on(&self, ctx: &SessionContext, sql: &str) -> Result<Vec<RecordBatch>, String> {
        self.runtime
            .block_on(async { ctx.sql(sql).await?.collect().await })
            .map_err(|err| self.failed(sql, err))
    }

    /// Runs `sql` as [`Session::query`] does and hands its batches to `take` in order until
    /// `take` has what it wants: the rest of the answer is never computed (a scan in file order
    /// stops there).
    fn read_until(
        &self,
        sql: &str,
        mut take: impl FnMut(&RecordBatch) -> Result<ControlFlow<()>, String>,
    ) -> Result<(), String> {
        use futures::StreamExt;
        self.scan()?;
        let ctx = self.context_for(sql);
        let failed = |err| self.failed(sql, err);
        self.runtime.block_on(async {
            let mut batches = ctx.sql(sql).await.map_err(failed)?.execute_stream().await.map_err(failed)?;
            while let Some(batch) = batches.next().await {
                if take(&batch.map_err(failed)?)?.is_break() {
                    break;
                }
            }
            Ok(())
        })
    }

    /// The answers to aggregates over `typed` (SQL expressions), each an array of one value:
    /// those already known, the rest from one scan.
    fn aggregates(&self, exprs: &[String]) -> Result<Vec<ArrayRef>, String> {
        let mut answers = self.answers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut asked: Vec<&String> = exprs.iter().filter(|expr| !answers.contains_key(*expr)).collect();
        asked.sort_unstable();
        asked.dedup();
        if !asked.is_empty() {
            let named: Vec<String> =
                asked.iter().enumerate().map(|(i, expr)| format!("{expr} AS __m_{i}")).collect();
            let row = self.one_row(&format!("SELECT {} FROM {TYPED}", named.join(", ")))?;
            for (i, expr) in asked.into_iter().enumerate() {
                answers.insert(expr.clone(), row.column(i).slice(0, 1));
            }
        }
        Ok(exprs.iter().map(|expr| Arc::clone(&answers[expr])).collect())
    }

    /// The single row of an aggregate query.
    fn one_row(&self, sql: &str) -> Result<RecordBatch, String> {
        self.query(sql)?
            .into_iter()
            .find(|batch| batch.num_rows() > 0)
            .ok_or_else(|| format!("{}: no answer to the query {}", self.name, brief(sql)))
    }

    /// The count an aggregate query answers.
    fn count(&self, sql: &str) -> Result<usize, String> {
        int_at(&self.one_row(sql)?, 0, 0)
    }
}

/// The start of a query, for a message: a typing query over 40 columns is a page of SQL,
/// and what failed is said before it.
fn brief(sql: &str) -> String {
    const SHOWN: usize = 80;
    match sql.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("`{}…`", &sql[..end]),
        None => format!("`{sql}`"),
    }
}

/// The files' bytes one after another, read once in blocks: their SHA-256 (the report's
/// fingerprint of the data) and whether any holds a `"` (a gigabyte in about a second).
fn fingerprint(files: &[std::path::PathBuf]) -> Result<(String, bool), String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut hasher = Sha256::new();
    let mut quoted = false;
    let mut block = vec![0u8; 1 << 20];
    for path in files {
        let mut file = std::fs::File::open(path).map_err(|err| format!("{}: {err}", path.display()))?;
        loop {
            let n = file.read(&mut block).map_err(|err| format!("{}: {err}", path.display()))?;
            if n == 0 {
                break;
            }
            quoted = quoted || block[..n].contains(&b'"');
            hasher.update(&block[..n]);
        }
    }
    Ok((crate::table::hex(&hasher.finalize()), quoted))
}

/// The integer in column `column`, row `row` of an answer (null is 0: a sum of no rows).
fn int_at(batch: &RecordBatch, column: usize, row: usize) -> Result<usize, String> {
    int_in(batch.column(column), row)
}

/// The integer at `row` of an answer's column (null is 0).
fn int_in(array: &ArrayRef, row: usize) -> Result<usize, String> {
    if array.is_null(row) {
        return Ok(0);
    }
    match array.data_type() {
        DataType::Int64 => Ok(array.as_primitive::<Int64Type>().value(row) as usize),
        DataType::UInt64 => Ok(array.as_primitive::<UInt64Type>().value(row) as usize),
        other => Err(format!("an answer is {other}, not a count")),
    }
}

/// A loaded column of type `column.ty` from the typed values of its rows, in order.
fn column_from(column: &ColumnSql, arrays: Vec<ArrayRef>, rows: usize) -> Result<table::Column, String> {
    use table::Values;
    let mut missing = Vec::with_capacity(rows);
    let mut values = match column.ty {
        ColumnType::Int => Values::Int(Vec::with_capacity(rows)),
        ColumnType::Float => Values::Float(Vec::with_capacity(rows)),
        ColumnType::Bool => Values::Bool(Vec::with_capacity(rows)),
        ColumnType::Category | ColumnType::Text => Values::Text(table::TextColumn::new()),
    };
    for array in &arrays {
        for row in 0..array.len() {
            let cell = cell_at(array, row);
            // A float's NaN is missing, as the loader has it ("+nan" reads but says nothing).
            missing.push(match cell {
                None => true,
                Some(Cell::Float(x)) => x.is_nan(),
                Some(_) => false,
            });
            match (&mut values, cell) {
                (Values::Int(v), Some(Cell::Int(x))) => v.push(x),
                (Values::Int(v), None) => v.push(0),
                (Values::Float(v), Some(Cell::Float(x))) => v.push(x),
                (Values::Float(v), None) => v.push(f64::NAN),
                (Values::Bool(v), Some(Cell::Bool(x))) => v.push(x),
                (Values::Bool(v), None) => v.push(false),
                (Values::Text(v), cell) => {
                    let text = cell.as_ref().map(Cell::text).unwrap_or_default();
                    v.push(&text).map_err(|err| format!("`{}`: {err}", column.name))?;
                }
                (_, other) => {
                    return Err(format!("`{}` ({}) read {other:?} (a bug in mltest)", column.name, column.ty))
                }
            }
        }
    }
    if let Values::Text(cells) = values {
        let present = missing.iter().filter(|&&m| !m).count();
        values = table::categories_or_text(cells, &missing, present);
    }
    Ok(table::Column::new(column.name.clone(), values, missing))
}

/// A value of an answer as the memory engine writes it ("" when null).
fn text_at(array: &ArrayRef, row: usize) -> String {
    cell_at(array, row).map(|cell| cell.text().into_owned()).unwrap_or_default()
}

/// A column's name as an SQL identifier: in double quotes, a quote doubled.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The header's names (trimmed) and the delimiter `read_csv` would choose, from the file's
/// first megabyte.
fn csv_header(path: &Path) -> Result<(Vec<String>, u8), String> {
    use std::io::Read;
    let shown = path.display();
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(1 << 20).read_to_end(&mut head))
        .map_err(|err| format!("{shown}: {err}"))?;
    let delimiter = table::delimiter_of(&head);
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).from_reader(body);
    let header = reader
        .records()
        .next()
        .ok_or_else(|| format!("{shown}: the file is empty"))?
        .map_err(|err| format!("{shown}: {err}"))?;
    Ok((header.iter().map(|name| name.trim().to_owned()).collect(), delimiter))
}

#[cfg(test)]
mod tests;
