//! The facts a data test asks for ([`Facts`]), as queries over the files: counts and
//! statistics by aggregates over `typed` (every file at once, in parallel), failing rows by a
//! query over `numbered` that names each row's file and row, only for a test that has some.
//! Repeats and distinct values are `GROUP BY`s and windows, which spill, never a set held in
//! memory, but for the hashes of rows (duplicate rows) and of values (`unique`) that repeat,
//! found by sorting every row's hash in memory while they fit half the pool ([`REPEATED`]), in
//! the scan that gathers the suite's aggregates; a quantile is the value at its position in
//! the sorted column, as the memory
//! engine takes it, found in the few values of its bucket ([`ORDER_BUCKETS`]).

use std::collections::HashMap;
use std::ops::ControlFlow;

use datafusion::arrow::array::{Array, ArrayRef, Float64Array};

use super::functions::{
    cell_at, read_order_buckets, read_repeated, Bucket, FEW_DISTINCT, FEW_DISTINCT_FN, FINITE, FLOAT_KEY,
    FLOAT_TEXT, ORDER_BUCKETS, REPEATED, REPEATED_MOST, ROW_HASH, RULE,
};
use super::{int_at, int_in, quoted, text_at, ColumnSql, Session, FILE, NUMBERED, POS, ROW, ROW_BITS, TYPED};
use crate::checks::data::{Ask, Cell, CellRule, Checked, ColumnFacts, Conflicts, Facts, StatOf};
use crate::report::{Failures, FAILURE_SAMPLE};
use crate::table::stats;
use crate::table::ColumnType;

/// The most hashes shared by several rows that `duplicate_rows` names in a query: past it,
/// so many rows repeat that every row is grouped by its values.
pub(super) const SHARED_HASHES: usize = 10_000;

/// The most values of a quantile's buckets that [`Session::ranked`] reads to sort itself
/// (8 MB of floats).
const MOST_READ: usize = 1 << 20;

/// A failing row as a query returns it: its file's index, its row in the file and the value
/// shown.
struct Located {
    file: usize,
    row: u64,
    value: String,
}

impl ColumnSql {
    /// The value as a key: equal keys exactly when the memory engine calls two cells equal
    /// (`table::rows`: floats by value, so -0 is 0; ints exactly; texts byte for byte).
    fn key(&self) -> String {
        let v = quoted(&self.name);
        match self.ty {
            ColumnType::Float => format!("{FLOAT_KEY}({v})"),
            ColumnType::Bool => format!("CAST({v} AS BIGINT)"),
            ColumnType::Int | ColumnType::Category | ColumnType::Text => v,
        }
    }

    /// The value as the memory engine writes it ([`crate::table::Column::text`]).
    fn text(&self) -> String {
        let v = quoted(&self.name);
        match self.ty {
            ColumnType::Int => format!("CAST({v} AS VARCHAR)"),
            ColumnType::Float => format!("{FLOAT_TEXT}({v})"),
            ColumnType::Bool => format!("CASE WHEN {v} THEN 'true' ELSE 'false' END"),
            ColumnType::Category | ColumnType::Text => v,
        }
    }

    /// The value as a finite float, null otherwise (what a statistic reads).
    fn finite(&self) -> String {
        let v = quoted(&self.name);
        match self.ty {
            ColumnType::Float => format!("{FINITE}({v})"),
            _ => format!("CAST({v} AS DOUBLE)"),
        }
    }

    /// The finite value with -0 read as 0, so that value order and [`ORDER_BUCKETS`]' key
    /// order agree (a quantile of the two is the same number).
    pub(super) fn sortable(&self) -> String {
        format!("{FLOAT_KEY}({})", self.finite())
    }

    fn present(&self) -> String {
        format!("{} IS NOT NULL", quoted(&self.name))
    }

    /// True where a present value fails `rule`.
    fn fails(&self, rule: &CellRule) -> String {
        format!("{RULE}({}, {})", quoted(&self.name), string(&rule.to_text()))
    }

    /// The aggregates of [`Facts::check_cells`]: the present values, those failing `rule`.
    fn checked_and_failing(&self, rule: &CellRule) -> Vec<String> {
        vec![
            format!("count({})", quoted(&self.name)),
            format!("sum(CASE WHEN {} THEN 1 ELSE 0 END)", self.fails(rule)),
        ]
    }

    /// The aggregates of [`Facts::stat`]: the finite values, and `stat` of them (a quantile's
    /// buckets, [`ORDER_BUCKETS`]).
    fn stat(&self, stat: StatOf) -> Vec<String> {
        let x = self.finite();
        // An int is always finite: its count is written as `checked_and_failing` writes it.
        // DataFusion names `count(CAST(x AS DOUBLE))` as it names `count(x)` (a cast is not
        // in an aggregate's name) and refuses two aggregates of one name in a query.
        let count = match self.ty {
            ColumnType::Float => format!("count({x})"),
            _ => format!("count({})", quoted(&self.name)),
        };
        let aggregate = match stat {
            StatOf::Mean => "avg",
            StatOf::Std => "stddev_samp",
            StatOf::Min => "min",
            StatOf::Max => "max",
            StatOf::Quantile(..) => return vec![count, format!("{ORDER_BUCKETS}({})", self.sortable())],
        };
        vec![count, format!("{aggregate}({x})")]
    }

    /// The aggregate of [`Facts::distinct`] up to a few: the distinct values, up to one past
    /// [`FEW_DISTINCT`].
    pub(super) fn few_distinct(&self) -> String {
        format!("{FEW_DISTINCT_FN}({})", self.key())
    }
}

/// Which rows may repeat another, by their hashes.
enum Repeats {
    /// No hash repeats: no row repeats another.
    Nothing,
    /// The rows where this SQL condition holds: their hash is one of those repeated.
    Among(String),
    /// More hashes repeat than a query lists: every row.
    Every,
}

impl Repeats {
    /// The rows whose `hash` (SQL) is one of `repeated` (SQL literals).
    fn of(hash: &str, repeated: &[String]) -> Repeats {
        match repeated.len() {
            0 => Repeats::Nothing,
            n if n <= SHARED_HASHES => Repeats::Among(format!("{hash} IN ({})", repeated.join(", "))),
            _ => Repeats::Every,
        }
    }
}

/// A key of an answer as an SQL literal, to find its rows again: null, an int, a float by
/// the text that reads back to it bit for bit, or a quoted text.
fn literal(keys: &ArrayRef, row: usize) -> String {
    match cell_at(keys, row) {
        None => "NULL".to_owned(),
        Some(Cell::Int(v)) => v.to_string(),
        Some(Cell::Float(x)) => float(x),
        Some(Cell::Bool(b)) => i64::from(b).to_string(),
        Some(Cell::Text(text)) => string(&text),
    }
}

/// A float as an SQL literal: the text that reads back to it bit for bit.
fn float(x: f64) -> String {
    format!("CAST('{x:?}' AS DOUBLE)")
}

/// `text` as an SQL string.
fn string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

impl Session {
    pub(super) fn column_sql(&self, name: &str) -> Result<&ColumnSql, String> {
        self.columns
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| format!("column `{name}` is not in {}", self.name))
    }

    fn missing_of(&self, name: &str) -> usize {
        self.columns.iter().position(|c| c.name == name).map_or(0, |i| self.missing[i])
    }

    /// The first `limit` rows of `numbered` where `condition` holds, in file order, with the
    /// text of `shown` (an SQL expression; "" when null). In this process the scan stops at
    /// the `limit`-th row found (see `file_order`).
    fn located(&self, condition: &str, shown: &str, limit: usize) -> Result<Vec<Located>, String> {
        self.located_by(&format!(
            "SELECT {FILE}, {ROW}, {shown} AS __m_shown FROM {NUMBERED} WHERE {condition} ORDER BY {} LIMIT {limit}",
            self.file_order
        ))
    }

    /// The rows an answer names by its first three columns: file, row, the value shown.
    fn located_by(&self, sql: &str) -> Result<Vec<Located>, String> {
        let mut rows = Vec::new();
        for batch in self.query(sql)? {
            for i in 0..batch.num_rows() {
                let (file, row) = (int_at(&batch, 0, i)?, int_at(&batch, 1, i)? as u64);
                rows.push(Located { file, row, value: text_at(batch.column(2), i) });
            }
        }
        Ok(rows)
    }

    /// Each value of an answer's first column, as text, with the count in its second: an
    /// aggregate, whatever the order its rows are read in.
    fn text_counts(&self, sql: &str) -> Result<Vec<(String, usize)>, String> {
        let mut counts = Vec::new();
        for batch in self.query_any_order(sql)? {
            for i in 0..batch.num_rows() {
                counts.push((text_at(batch.column(0), i), int_at(&batch, 1, i)?));
            }
        }
        Ok(counts)
    }

    /// Adds a located failing cell to the sample (`failures.count` is set by the caller): its
    /// value, its row, and its file when the data is several (one file is the dataset the
    /// report names).
    fn push(&self, failures: &mut Failures, at: Located, column: &str) {
        failures.push(self.line(at.row), column, at.value);
        if let Some(cell) = failures.sample.last_mut() {
            cell.file = (self.files.len() > 1).then(|| self.files[at.file].clone());
            cell.row = Some(at.row);
        }
    }

    /// The failing cells of `column` where `condition` holds: `count` of them, the first
    /// [`FAILURE_SAMPLE`] located.
    fn failing(&self, column: &ColumnSql, condition: &str, count: usize) -> Result<Failures, String> {
        let mut failures = Failures::default();
        if count > 0 {
            for at in self.located(condition, &quoted(&column.name), FAILURE_SAMPLE)? {
                self.push(&mut failures, at, &column.name);
            }
        }
        failures.count = count;
        Ok(failures)
    }

    /// The keys of `columns`, for a `GROUP BY` or `PARTITION BY`.
    fn keys(&self, columns: &[&str]) -> Result<Vec<String>, String> {
        columns.iter().map(|name| Ok(self.column_sql(name)?.key())).collect()
    }

    /// The aggregate that names the row hashes of `columns` seen more than once
    /// ([`REPEATED`]), when this data's rows' hashes fit in memory (else they are grouped by
    /// a `GROUP BY`, which spills) and every column is known.
    fn repeated_hashes(&self, columns: &[&str]) -> Option<String> {
        let keys = self.keys(columns).ok()?;
        self.repeated(&format!("{ROW_HASH}({})", keys.join(", ")))
    }

    /// The same for the present values of `column`: the hashes of values on several rows.
    fn repeated_values(&self, column: &str) -> Option<String> {
        let c = self.column_sql(column).ok()?;
        self.repeated(&format!("CASE WHEN {} THEN {ROW_HASH}({}) END", c.present(), c.key()))
    }

    fn repeated(&self, hash: &str) -> Option<String> {
        (self.rows <= self.key_room).then(|| format!("{REPEATED}({hash})"))
    }

    /// The rows that may repeat others, from the hashes that [`REPEATED`] found when it was
    /// asked (`repeated`, of `hash`): `None` when it was not (the hashes do not fit in memory).
    fn gathered_repeats(&self, repeated: Option<String>, hash: &str) -> Result<Option<Repeats>, String> {
        let Some(repeated) = repeated else { return Ok(None) };
        let hashes: Vec<String> =
            read_repeated(&self.aggregates(&[repeated])?[0]).iter().map(i64::to_string).collect();
        Ok(Some(Repeats::of(hash, &hashes)))
    }

    /// The values at `positions` of `c`'s finite values in ascending order ([`sortable`]),
    /// found through `buckets` (its [`ORDER_BUCKETS`]): a bucket of one value answers with it;
    /// the others are read in one scan while they hold at most `most_read` values together,
    /// each then sorted here; a bigger one is sorted by DataFusion, which spills, and only its
    /// values. Each bucket's values are those from its least to its greatest, as no value of
    /// another bucket lies between.
    ///
    /// [`sortable`]: ColumnSql::sortable
    pub(super) fn ranked(
        &self,
        c: &ColumnSql,
        positions: &[usize],
        buckets: &[Bucket],
        most_read: usize,
    ) -> Result<HashMap<usize, f64>, String> {
        let mut at = HashMap::new();
        // The buckets still to read, each with the positions in it (the position among all
        // values, and within the bucket).
        let mut asked: Vec<(Bucket, Vec<(usize, usize)>)> = Vec::new();
        let mut start = 0;
        for &bucket in buckets {
            let inside: Vec<(usize, usize)> = positions
                .iter()
                .filter(|&&p| (start..start + bucket.count).contains(&p))
                .map(|&p| (p, p - start))
                .collect();
            start += bucket.count;
            if inside.is_empty() {
                continue;
            }
            if bucket.min == bucket.max {
                at.extend(inside.iter().map(|&(p, _)| (p, bucket.min)));
            } else {
                asked.push((bucket, inside));
            }
        }
        let values = format!("SELECT {} AS __m_x FROM {TYPED}", c.sortable());
        let within = |b: &Bucket| format!("(__m_x >= {} AND __m_x <= {})", float(b.min), float(b.max));
        let (small, big): (Vec<_>, Vec<_>) = {
            let mut room = most_read;
            asked.into_iter().partition(|(b, _)| {
                let fits = b.count <= room;
                room = room.saturating_sub(if fits { b.count } else { 0 });
                fits
            })
        };
        if !small.is_empty() {
            let any: Vec<String> = small.iter().map(|(b, _)| within(b)).collect();
            let mut read: Vec<Vec<f64>> = small.iter().map(|(b, _)| Vec::with_capacity(b.count)).collect();
            for batch in self.query(&format!("SELECT __m_x FROM ({values}) WHERE {}", any.join(" OR ")))? {
                let xs = batch
                    .column(0)
                    .as_any()
                    .downcast_ref::<Float64Array>()
                    .ok_or_else(|| format!("{}: the values of `{}` are not floats", self.name, c.name))?;
                for x in xs.iter().flatten() {
                    if let Some(i) = small.iter().position(|(b, _)| b.min <= x && x <= b.max) {
                        read[i].push(x);
                    }
                }
            }
            for ((bucket, inside), mut xs) in small.into_iter().zip(read) {
                if xs.len() != bucket.count {
                    return Err(format!("{}: `{}` changed while it was read", self.name, c.name));
                }
                xs.sort_unstable_by(f64::total_cmp);
                at.extend(inside.iter().map(|&(p, k)| (p, xs[k])));
            }
        }
        for (bucket, inside) in big {
            let wanted: Vec<String> = inside.iter().map(|&(_, k)| (k + 1).to_string()).collect();
            let sql = format!(
                "SELECT __m_k, __m_x FROM (SELECT __m_x, row_number() OVER (ORDER BY __m_x) AS __m_k \
                 FROM ({values}) WHERE {}) WHERE __m_k IN ({})",
                within(&bucket),
                wanted.join(", ")
            );
            for batch in self.query(&sql)? {
                for i in 0..batch.num_rows() {
                    let x = cell_at(batch.column(1), i).and_then(|cell| cell.number()).unwrap_or(f64::NAN);
                    let k = int_at(&batch, 0, i)? - 1;
                    at.extend(inside.iter().filter(|&&(_, offset)| offset == k).map(|&(p, _)| (p, x)));
                }
            }
        }
        Ok(at)
    }
}

impl Facts for Session {
    fn name(&self) -> &str {
        &self.name
    }

    fn n_rows(&self) -> usize {
        self.rows
    }

    fn column_names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }

    fn column(&self, name: &str) -> Option<ColumnFacts> {
        let i = self.columns.iter().position(|c| c.name == name)?;
        Some(ColumnFacts { name: name.to_owned(), ty: self.columns[i].ty, missing: self.missing[i] })
    }

    fn columns(&self) -> Vec<ColumnFacts> {
        self.columns
            .iter()
            .zip(&self.missing)
            .map(|(c, &missing)| ColumnFacts { name: c.name.clone(), ty: c.ty, missing })
            .collect()
    }

    fn check_cells(&self, column: &str, rule: &CellRule, unexpected: usize) -> Result<Checked, String> {
        let c = self.column_sql(column)?;
        let fails = c.fails(rule);
        let counts = self.aggregates(&c.checked_and_failing(rule))?;
        let (checked, failing) = (int_in(&counts[0], 0)?, int_in(&counts[1], 0)?);
        let mut found =
            Checked { checked, failures: self.failing(c, &fails, failing)?, unexpected: Vec::new() };
        if unexpected > 0 && failing > 0 {
            found.unexpected = self.text_counts(&format!(
                "SELECT __m_text, count(*), min({POS}) AS __m_first FROM \
                 (SELECT {} AS __m_text, {POS} FROM {NUMBERED} WHERE {fails}) \
                 GROUP BY __m_text ORDER BY __m_first LIMIT {unexpected}",
                c.text()
            ))?;
        }
        Ok(found)
    }

    fn repeated_cells(&self, column: &str) -> Result<Checked, String> {
        let c = self.column_sql(column)?;
        let checked = self.rows - self.missing_of(column);
        // Each value's rows; a value on more than one row is repeated. Only the rows whose
        // value's hash repeats, when those are known: none, and no value repeats.
        let hash = format!("{ROW_HASH}({})", c.key());
        let among = match self.gathered_repeats(self.repeated_values(column), &hash)? {
            Some(Repeats::Nothing) => {
                return Ok(Checked { checked, failures: Failures::default(), unexpected: Vec::new() })
            }
            Some(Repeats::Among(among)) => format!(" AND {among}"),
            Some(Repeats::Every) | None => String::new(),
        };
        let groups = format!(
            "SELECT {} AS __m_key, count(*) AS __m_n FROM {TYPED} WHERE {}{among} GROUP BY __m_key",
            c.key(),
            c.present()
        );
        let failing = self.count(&format!("SELECT sum(__m_n) FROM ({groups}) WHERE __m_n > 1"))?;
        let condition =
            format!("{} AND {} IN (SELECT __m_key FROM ({groups}) WHERE __m_n > 1)", c.present(), c.key());
        Ok(Checked { checked, failures: self.failing(c, &condition, failing)?, unexpected: Vec::new() })
    }

    fn missing_cells(&self, columns: &[&str]) -> Result<Failures, String> {
        let mut failures = Failures::default();
        let mut count = 0;
        for name in columns {
            let c = self.column_sql(name)?;
            let missing = self.missing_of(name);
            count += missing;
            let room = FAILURE_SAMPLE - failures.sample.len();
            if missing > 0 && room > 0 {
                for at in self.located(&format!("{} IS NULL", quoted(&c.name)), "''", room)? {
                    self.push(&mut failures, at, &c.name);
                }
            }
        }
        failures.count = count;
        Ok(failures)
    }

    fn stat(&self, column: &str, stat: StatOf) -> Result<(usize, Option<f64>), String> {
        let c = self.column_sql(column)?;
        let answer = self.aggregates(&c.stat(stat))?;
        let count = int_in(&answer[0], 0)?;
        let StatOf::Quantile(q, method) = stat else {
            let value = cell_at(&answer[1], 0).and_then(|cell| cell.number());
            return Ok((count, value));
        };
        let Some(positions) = stats::quantile_positions(count, q) else { return Ok((count, None)) };
        let at = self.ranked(c, &positions, &read_order_buckets(&answer[1])?, MOST_READ)?;
        Ok((count, stats::quantile_with(count, q, method, |i| at.get(&i).copied().unwrap_or(f64::NAN))))
    }

    fn distinct(
        &self,
        columns: &[&str],
        at_most: Option<usize>,
    ) -> Result<Vec<(usize, Option<String>)>, String> {
        let columns: Vec<&ColumnSql> =
            columns.iter().map(|name| self.column_sql(name)).collect::<Result<_, _>>()?;
        let counts: Vec<usize> = match at_most {
            // Every column counted up to a few in one scan (a column with many values stops
            // counting within a batch).
            Some(most) if most <= FEW_DISTINCT => {
                let parts: Vec<String> = columns.iter().map(|c| c.few_distinct()).collect();
                let counts = self.aggregates(&parts)?;
                counts.iter().map(|count| Ok(int_in(count, 0)?.min(most + 1))).collect::<Result<_, String>>()?
            }
            // A `GROUP BY`, which spills, a column at a time; with a `LIMIT` it stops reading
            // once it has that many groups.
            _ => columns
                .iter()
                .map(|c| {
                    let limit = at_most.map(|most| format!(" LIMIT {}", most + 1)).unwrap_or_default();
                    self.count(&format!(
                        "SELECT count(*) FROM (SELECT {} AS __m_key FROM {TYPED} WHERE {} GROUP BY __m_key{limit})",
                        c.key(),
                        c.present()
                    ))
                })
                .collect::<Result<_, _>>()?,
        };
        // The first value is only shown for a column with fewer than two.
        columns
            .iter()
            .zip(counts)
            .map(|(c, distinct)| {
                let first = if distinct < 2 {
                    self.located(&c.present(), &quoted(&c.name), 1)?.into_iter().next().map(|at| at.value)
                } else {
                    None
                };
                Ok((distinct, first))
            })
            .collect()
    }

    fn duplicate_rows(&self, columns: &[&str], scope: &str) -> Result<Failures, String> {
        let keys = self.keys(columns)?.join(", ");
        // Rows are grouped by a hash of their values first, one integer a row, where a group of
        // every value of every column is a much larger key: a row whose hash is its own has
        // no equal. Only the rows that share a hash (equal rows, or very rarely a collision)
        // are then grouped by their values; when those are more than a list can name, every
        // row is.
        let hash = format!("{ROW_HASH}({keys})");
        // The hashes that repeat: gathered with the suite's aggregates, or asked now, or from
        // a `GROUP BY` of every row's hash when they do not fit in memory.
        let repeats = match self.gathered_repeats(self.repeated_hashes(columns), &hash)? {
            Some(repeats) => repeats,
            None => {
                let shared: Vec<String> = self
                    .query(&format!(
                        "SELECT __m_h FROM (SELECT {hash} AS __m_h, count(*) AS __m_n FROM {TYPED} GROUP BY __m_h) \
                         WHERE __m_n > 1 LIMIT {REPEATED_MOST}"
                    ))?
                    .iter()
                    .flat_map(|batch| (0..batch.num_rows()).map(|i| literal(batch.column(0), i)))
                    .collect();
                Repeats::of(&hash, &shared)
            }
        };
        let mut failures = Failures::default();
        let among = match repeats {
            Repeats::Nothing => return Ok(failures),
            Repeats::Among(among) => format!(" WHERE {among}"),
            Repeats::Every => String::new(),
        };
        let answer = self.one_row(&format!(
            "SELECT count(*), sum(__m_n) FROM (SELECT count(*) AS __m_n FROM {TYPED}{among} GROUP BY {keys})"
        ))?;
        let (groups, rows) = (int_at(&answer, 0, 0)?, int_at(&answer, 1, 0)?);
        let count = rows - groups;
        if count > 0 {
            let sql = format!(
                "SELECT {FILE}, {ROW}, __m_first FROM (SELECT {FILE}, {ROW}, {POS}, min({POS}) OVER (PARTITION BY {keys}) AS __m_first \
                 FROM {NUMBERED}{among}) WHERE {POS} > __m_first ORDER BY {POS} LIMIT {FAILURE_SAMPLE}"
            );
            for batch in self.query_any_order(&sql)? {
                for i in 0..batch.num_rows() {
                    let file = int_at(&batch, 0, i)?;
                    let first = int_at(&batch, 2, i)? as u64;
                    let (first_file, first_row) =
                        ((first >> ROW_BITS) as usize, first & ((1 << ROW_BITS) - 1));
                    let mut value = format!("same as line {}", self.line(first_row));
                    if first_file != file {
                        value.push_str(&format!(" of {}", self.files[first_file]));
                    }
                    let at = Located { file, row: int_at(&batch, 1, i)? as u64, value };
                    self.push(&mut failures, at, scope);
                }
            }
        }
        failures.count = count;
        Ok(failures)
    }

    fn class_counts(&self, column: &str, limit: usize) -> Result<(Vec<(String, usize)>, usize), String> {
        let c = self.column_sql(column)?;
        // One past the classes asked for: when they are all, they are the distinct count too,
        // and only a column with more is counted again (a scan of its own).
        let sql = format!(
            "SELECT __m_text, count(*) AS __m_n, min({POS}) AS __m_first FROM \
             (SELECT {} AS __m_text, {POS} FROM {NUMBERED} WHERE {}) \
             GROUP BY __m_text ORDER BY __m_n DESC, __m_first LIMIT {}",
            c.text(),
            c.present(),
            limit + 1
        );
        let mut classes = self.text_counts(&sql)?;
        if classes.len() <= limit {
            let distinct = classes.len();
            return Ok((classes, distinct));
        }
        classes.truncate(limit);
        let distinct = self.count(&format!(
            "SELECT count(*) FROM (SELECT {} AS __m_text FROM {TYPED} WHERE {} GROUP BY __m_text)",
            c.text(),
            c.present()
        ))?;
        Ok((classes, distinct))
    }

    fn level_counts(&self, column: &str) -> Result<Vec<(String, usize)>, String> {
        let c = self.column_sql(column)?;
        self.text_counts(&format!(
            "SELECT {} AS __m_text, count(*) FROM {TYPED} WHERE {} GROUP BY __m_text",
            c.text(),
            c.present()
        ))
    }

    fn numbers(&self, column: &str) -> Result<Vec<f64>, String> {
        let c = self.column_sql(column)?;
        let v = quoted(&c.name);
        let mut numbers = Vec::with_capacity(self.rows - self.missing_of(column));
        for batch in self.query(&format!("SELECT CAST({v} AS DOUBLE) FROM {TYPED} WHERE {v} IS NOT NULL"))? {
            let values = batch
                .column(0)
                .as_any()
                .downcast_ref::<Float64Array>()
                .ok_or_else(|| format!("{}: `{column}` did not read as numbers", self.name))?;
            numbers.extend(values.values().iter().copied());
        }
        Ok(numbers)
    }

    fn conflicting_labels(&self, label: &str, features: &[&str]) -> Result<Conflicts, String> {
        let target = self.column_sql(label)?;
        let key_list = self.keys(features)?;
        let keys = key_list.join(", ");
        let label_key = target.key();
        let answer = self.one_row(&format!(
            "SELECT count(*), sum(__m_n) FROM (SELECT count(*) AS __m_n, min({label_key}) AS __m_lo, max({label_key}) AS __m_hi \
             FROM {TYPED} WHERE {} GROUP BY {keys}) WHERE __m_lo <> __m_hi",
            target.present()
        ))?;
        let (groups, count) = (int_at(&answer, 0, 0)?, int_at(&answer, 1, 0)?);
        let mut failures = Failures::default();
        if count > 0 {
            // The sample is the first rows of the first conflicting groups, the groups in order
            // of their first row. Their keys and sizes first (an aggregate, which spills): each
            // of the first groups gives its first rows, as many as there is room for.
            let named: Vec<String> =
                key_list.iter().enumerate().map(|(i, k)| format!("{k} AS __m_k{i}")).collect();
            let group_by: Vec<String> = (0..key_list.len()).map(|i| format!("__m_k{i}")).collect();
            let first_groups = self.query_any_order(&format!(
                "SELECT {}, min({POS}) AS __m_group, count(*) AS __m_size FROM {NUMBERED} WHERE {} GROUP BY {} \
                 HAVING min({label_key}) <> max({label_key}) ORDER BY __m_group LIMIT {FAILURE_SAMPLE}",
                named.join(", "),
                target.present(),
                group_by.join(", ")
            ))?;
            let mut wanted: Vec<(String, usize)> = Vec::new();
            let mut room = FAILURE_SAMPLE;
            for batch in &first_groups {
                for row in 0..batch.num_rows() {
                    if room == 0 {
                        break;
                    }
                    let equal: Vec<String> = key_list
                        .iter()
                        .enumerate()
                        .map(|(i, key)| {
                            format!("({key} IS NOT DISTINCT FROM {})", literal(batch.column(i), row))
                        })
                        .collect();
                    let rows = int_at(batch, key_list.len() + 1, row)?.min(room);
                    room -= rows;
                    wanted.push((format!("({})", equal.join(" AND ")), rows));
                }
            }
            // Then every row in file order with its group among those (null for the others),
            // read until each group has its rows: the scan stops there. Not filtered in the
            // query: a filter gathers the rows it keeps into full batches, so the first would
            // come after most of the file (a window over every row by its features would hold
            // them all).
            let group_of: Vec<String> = wanted
                .iter()
                .enumerate()
                .map(|(g, (condition, _))| format!("WHEN {} AND {condition} THEN {g}", target.present()))
                .collect();
            let v = quoted(&target.name);
            let sql = format!(
                "SELECT {FILE}, {ROW}, {v}, __m_group FROM (SELECT {FILE}, {ROW}, {POS}, {v}, CASE {} END AS __m_group \
                 FROM {NUMBERED}) ORDER BY {}",
                group_of.join(" "),
                self.file_order
            );
            let mut groups: Vec<Vec<Located>> = wanted.iter().map(|_| Vec::new()).collect();
            let mut left: usize = wanted.iter().map(|(_, rows)| rows).sum();
            self.read_until(&sql, |batch| {
                for i in (0..batch.num_rows()).filter(|&i| batch.column(3).is_valid(i)) {
                    let g = int_at(batch, 3, i)?;
                    if let Some(rows) = groups.get_mut(g).filter(|rows| rows.len() < wanted[g].1) {
                        let at = Located {
                            file: int_at(batch, 0, i)?,
                            row: int_at(batch, 1, i)? as u64,
                            value: text_at(batch.column(2), i),
                        };
                        rows.push(at);
                        left -= 1;
                    }
                }
                Ok(if left == 0 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) })
            })?;
            for at in groups.into_iter().flatten() {
                self.push(&mut failures, at, &target.name);
            }
        }
        failures.count = count;
        Ok(Conflicts { labelled: self.rows - self.missing_of(label), groups, failures })
    }

    fn gathers(&self) -> bool {
        true
    }

    /// Every aggregate asked of a column the data has, in one scan.
    fn gather(&self, asks: &[Ask]) -> Result<(), String> {
        // The aggregates that hold every row's hash, the duplicate rows' first (their hash
        // reads every column: a scan of its own costs the most), then `unique`'s.
        let (mut exprs, mut repeated_rows, mut repeated_values) = (Vec::new(), Vec::new(), Vec::new());
        for ask in asks {
            match ask {
                Ask::Cells { column, rule } => {
                    if let Ok(c) = self.column_sql(column) {
                        exprs.extend(c.checked_and_failing(rule));
                    }
                }
                Ask::Stat { column, stat } => {
                    if let Ok(c) = self.column_sql(column) {
                        exprs.extend(c.stat(*stat));
                    }
                }
                Ask::Distinct { columns, at_most: Some(most) } if *most <= FEW_DISTINCT => {
                    exprs.extend(
                        columns
                            .iter()
                            .filter_map(|name| self.column_sql(name).ok())
                            .map(ColumnSql::few_distinct),
                    );
                }
                Ask::Distinct { .. } => {}
                Ask::DuplicateRows { columns } => {
                    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
                    repeated_rows.extend(self.repeated_hashes(&columns));
                }
                Ask::Repeated { column } => repeated_values.extend(self.repeated_values(column)),
            }
        }
        // Each holds 8 bytes a row: as many as fit the room together.
        let mut fit = self.key_room / self.rows.max(1);
        for expr in repeated_rows.into_iter().chain(repeated_values) {
            if fit > 0 && !exprs.contains(&expr) {
                exprs.push(expr);
                fit -= 1;
            }
        }
        self.aggregates(&exprs).map(drop)
    }
}
