//! Data tests as Apache DataFusion queries over CSV and Parquet files of any size (PRODUCT.md
//! §14), for the command-line tool's `--engine datafusion`. In progress: a session over the
//! CSV or Parquet files of a [`Source`] with a bounded memory pool that spills to disk, and the memory
//! engine's reading of a CSV cell (trimmed; the missing tokens) as an SQL function, so that
//! counts over the files equal the memory engine's on the same file.
//!
//! A CSV file's columns are read as text, whatever they hold: the type of each column is the
//! memory engine's rule (`table::read_csv`), applied by queries, not DataFusion's inference.

use std::path::Path;
use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::error::DataFusionError;
use datafusion::execution::memory_pool::FairSpillPool;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::logical_expr::{create_udf, ColumnarValue, Volatility};
use datafusion::prelude::{CsvReadOptions, ParquetReadOptions, SessionConfig, SessionContext};

use crate::source::{Format, Source};
use crate::table::{self, ColumnType};

/// The name the data's files have in the queries.
const DATA: &str = "data";

/// The SQL functions that read a cell as the memory engine reads it: missing or not, its
/// trimmed text, its value as an int, as a float.
const MISSING: &str = "mltest_missing";
const PRESENT: &str = "mltest_present";
const INT: &str = "mltest_int";
const FLOAT: &str = "mltest_float";

/// As `read_csv`: a text column of at most this many distinct values, each seen twice on
/// average, is a category.
const MAX_CATEGORY_LEVELS: usize = 50;

/// DataFusion over the files of one [`Source`], with the tokio runtime its plans run on.
pub struct Session {
    runtime: tokio::runtime::Runtime,
    ctx: SessionContext,
    columns: Vec<String>,
    /// A Parquet column's type, as its schema gives it; `None` for a CSV file's (text, typed
    /// by `read_csv`'s rule).
    types: Vec<Option<DataType>>,
}

/// What a scan of the data says of each column: the rows, and each column's missing cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Counts {
    pub rows: usize,
    /// One per column, in the file's order: (name, missing cells).
    pub missing: Vec<(String, usize)>,
}

impl Session {
    /// A session over `source`'s files: at most `memory_limit` bytes held by its plans, the
    /// rest spilled to `spill_dir`.
    pub fn open(source: &Source, memory_limit: usize, spill_dir: &Path) -> Result<Session, String> {
        let failed = |err: DataFusionError| format!("{}: {err}", source.given);
        let first = source.files.first().ok_or_else(|| format!("{}: no file", source.given))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|err| format!("cannot start DataFusion's runtime: {err}"))?;
        let env = RuntimeEnvBuilder::new()
            .with_memory_pool(Arc::new(FairSpillPool::new(memory_limit)))
            .with_temp_file_path(spill_dir)
            .build_arc()
            .map_err(failed)?;
        // Each file read from its start to its end in one stream: rows keep their order, so a
        // row's number in its file can be counted (a split scan interleaves the parts).
        let config = SessionConfig::new().with_repartition_file_scans(false);
        let ctx = SessionContext::new_with_config_rt(config, env);
        for udf in cell_udfs() {
            ctx.register_udf(udf);
        }
        let paths: Vec<String> = source.files.iter().map(|file| file.display().to_string()).collect();
        let (columns, types) = match source.format {
            Format::Csv => {
                let (columns, delimiter) = csv_header(first)?;
                let schema = Schema::new(
                    columns.iter().map(|name| Field::new(name, DataType::Utf8, true)).collect::<Vec<_>>(),
                );
                runtime
                    .block_on(async {
                        let options = CsvReadOptions::new()
                            .has_header(true)
                            .delimiter(delimiter)
                            .newlines_in_values(true)
                            .file_extension("")
                            .schema(&schema);
                        let frame = ctx.read_csv(paths, options).await?;
                        ctx.register_table(DATA, frame.into_view()).map(drop)
                    })
                    .map_err(failed)?;
                let types = vec![None; columns.len()];
                (columns, types)
            }
            Format::Parquet => {
                let schema = runtime
                    .block_on(async {
                        let options = ParquetReadOptions { file_extension: "", ..Default::default() };
                        let frame = ctx.read_parquet(paths, options).await?;
                        let schema = frame.schema().as_arrow().clone();
                        ctx.register_table(DATA, frame.into_view()).map(|_| schema)
                    })
                    .map_err(failed)?;
                schema
                    .fields()
                    .iter()
                    .map(|field| (field.name().clone(), Some(field.data_type().clone())))
                    .unzip()
            }
        };
        Ok(Session { runtime, ctx, columns, types })
    }

    /// The columns, named as the header names them (trimmed), in order.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The rows and each column's missing cells, in one scan.
    pub fn counts(&self) -> Result<Counts, String> {
        let missing: Vec<String> = self
            .columns
            .iter()
            .zip(&self.types)
            .map(|(name, ty)| format!("sum(CASE WHEN {} THEN 1 ELSE 0 END)", missing_expr(name, ty.as_ref())))
            .collect();
        let sql = format!("SELECT count(*), {} FROM {DATA}", missing.join(", "));
        let batches = self.query(&sql)?;
        let batch = batches.first().ok_or("the count returned nothing")?;
        let rows = int_at(batch, 0)?;
        let missing = (0..self.columns.len())
            .map(|i| Ok((self.columns[i].clone(), int_at(batch, i + 1)?)))
            .collect::<Result<_, String>>()?;
        Ok(Counts { rows, missing })
    }

    /// Each column's type by `read_csv`'s rule, from its cells over every file: int when every
    /// present cell is an int, else float when every one is a number (or none is present),
    /// else bool when every one is `true` or `false`, else category when it has at most 50
    /// distinct values each seen twice on average, else text.
    pub fn column_types(&self) -> Result<Vec<(String, ColumnType)>, String> {
        if self.types.iter().any(Option::is_some) {
            return self.parquet_types();
        }
        let mut parts = Vec::new();
        for name in &self.columns {
            let c = quoted(name);
            parts.push(format!("count({PRESENT}({c}))"));
            parts.push(format!("count({INT}({c}))"));
            parts.push(format!("count({FLOAT}({c}))"));
            parts
                .push(format!("sum(CASE WHEN lower({PRESENT}({c})) IN ('true', 'false') THEN 1 ELSE 0 END)"));
        }
        let sql = format!("SELECT {} FROM {DATA}", parts.join(", "));
        let batches = self.query(&sql)?;
        let batch = batches.first().ok_or("the count returned nothing")?;
        let mut types = Vec::with_capacity(self.columns.len());
        for (i, name) in self.columns.iter().enumerate() {
            let [present, ints, floats, bools] = [0, 1, 2, 3].map(|k| int_at(batch, 4 * i + k));
            let (present, ints, floats, bools) = (present?, ints?, floats?, bools?);
            let ty = if present == 0 || (floats == present && ints < present) {
                ColumnType::Float
            } else if ints == present {
                ColumnType::Int
            } else if bools == present {
                ColumnType::Bool
            } else {
                self.category_or_text(&format!("{PRESENT}({})", quoted(name)), present)?
            };
            types.push((name.clone(), ty));
        }
        Ok(types)
    }

    /// A Parquet file's column types: its schema's numbers and booleans as they are, its
    /// strings a category or text by `read_csv`'s rule.
    fn parquet_types(&self) -> Result<Vec<(String, ColumnType)>, String> {
        let mut types = Vec::with_capacity(self.columns.len());
        for (name, ty) in self.columns.iter().zip(&self.types) {
            let ty = match ty {
                Some(ty) if ty.is_integer() => ColumnType::Int,
                Some(ty) if ty.is_floating() => ColumnType::Float,
                Some(DataType::Boolean) => ColumnType::Bool,
                _ => {
                    let c = quoted(name);
                    let batches = self.query(&format!("SELECT count({c}) FROM {DATA}"))?;
                    let present = int_at(batches.first().ok_or("the count returned nothing")?, 0)?;
                    if present == 0 {
                        ColumnType::Float
                    } else {
                        self.category_or_text(&c, present)?
                    }
                }
            };
            types.push((name.clone(), ty));
        }
        Ok(types)
    }

    /// A category when the values of `value` (an SQL expression, null when missing) are at
    /// most 50 and each seen twice on average among its `present` ones, else text. The
    /// distinct values are counted up to one past the most a category has, by a `GROUP BY`
    /// (which spills, where `count(DISTINCT …)` cannot).
    fn category_or_text(&self, value: &str, present: usize) -> Result<ColumnType, String> {
        let sql = format!(
            "SELECT count(*) FROM (SELECT {value} AS v FROM {DATA} WHERE {value} IS NOT NULL GROUP BY v LIMIT {})",
            MAX_CATEGORY_LEVELS + 1
        );
        let levels = int_at(self.query(&sql)?.first().ok_or("the count returned nothing")?, 0)?;
        Ok(if levels <= MAX_CATEGORY_LEVELS && 2 * levels <= present {
            ColumnType::Category
        } else {
            ColumnType::Text
        })
    }

    fn query(&self, sql: &str) -> Result<Vec<RecordBatch>, String> {
        self.runtime
            .block_on(async { self.ctx.sql(sql).await?.collect().await })
            .map_err(|err| format!("{sql}: {err}"))
    }
}

/// The count in column `column` of a one-row answer (a sum of no rows is null: 0).
fn int_at(batch: &RecordBatch, column: usize) -> Result<usize, String> {
    let values = batch
        .column(column)
        .as_any()
        .downcast_ref::<Int64Array>()
        .ok_or_else(|| format!("count {column} is not an integer"))?;
    Ok(if values.is_null(0) { 0 } else { values.value(0) as usize })
}

/// Whether a cell of column `name` is missing, in SQL: for a CSV file's text, as `read_csv`
/// reads it; for a typed Parquet column, a null (and a float's NaN, which `read_csv` also
/// counts missing).
fn missing_expr(name: &str, ty: Option<&DataType>) -> String {
    let c = quoted(name);
    match ty {
        None => format!("{MISSING}({c})"),
        Some(ty) if ty.is_floating() => format!("({c} IS NULL OR isnan({c}))"),
        Some(_) => format!("{c} IS NULL"),
    }
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

/// The functions that read a cell as `read_csv` does (`table::cell_*`): `mltest_missing`
/// (a null, which the CSV reader gives for an empty field, or a missing token once trimmed),
/// `mltest_present` (the trimmed text, or null), `mltest_int` and `mltest_float` (the value,
/// or null when the cell is not such a number).
fn cell_udfs() -> Vec<datafusion::logical_expr::ScalarUDF> {
    vec![
        cell_udf(MISSING, DataType::Boolean, |cells| {
            Arc::new(
                cells
                    .iter()
                    .map(|cell| Some(cell.is_none_or(table::cell_is_missing)))
                    .collect::<BooleanArray>(),
            )
        }),
        cell_udf(PRESENT, DataType::Utf8, |cells| {
            Arc::new(cells.iter().map(|cell| cell.and_then(table::cell_present)).collect::<StringArray>())
        }),
        cell_udf(INT, DataType::Int64, |cells| {
            Arc::new(cells.iter().map(|cell| cell.and_then(table::cell_int)).collect::<Int64Array>())
        }),
        cell_udf(FLOAT, DataType::Float64, |cells| {
            Arc::new(cells.iter().map(|cell| cell.and_then(table::cell_float)).collect::<Float64Array>())
        }),
    ]
}

/// A function of one text column, `read` turning its cells into the answer's column.
fn cell_udf(
    name: &'static str,
    returns: DataType,
    read: fn(&StringArray) -> ArrayRef,
) -> datafusion::logical_expr::ScalarUDF {
    create_udf(
        name,
        vec![DataType::Utf8],
        returns,
        Volatility::Immutable,
        Arc::new(move |args: &[ColumnarValue]| {
            let arrays = ColumnarValue::values_to_arrays(args)?;
            let cells = arrays[0]
                .as_any()
                .downcast_ref::<StringArray>()
                .ok_or_else(|| DataFusionError::Internal(format!("{name} reads text")))?;
            Ok(ColumnarValue::Array(read(cells)))
        }),
    )
}

#[cfg(test)]
mod tests;
