//! The SQL functions the queries call, each a function of its arguments alone: a session
//! registers [`all`] of them and the [`aggregates`], and so does a cluster's executor, which receives a plan that
//! names them and nothing else of this program. A cell is read as `read_csv` reads it (the
//! loader's own functions), and a value judged by the kind's own [`CellRule`].

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Float64Array, Int64Array, StringArray, StructArray,
};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type, Int64Type};
use datafusion::common::ScalarValue;
use datafusion::error::DataFusionError;
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    create_udf, Accumulator, AggregateUDF, AggregateUDFImpl, ColumnarValue, ScalarFunctionArgs, ScalarUDF,
    ScalarUDFImpl, Signature, Volatility,
};
use datafusion::prelude::SessionContext;

use crate::checks::data::{Cell, CellRule};
use crate::table;
use crate::table::rows::{FastMap, FastSet, RandomState};

/// The SQL functions that read a cell as the memory engine reads it: missing or not, its
/// trimmed text, its value as an int, as a float.
pub(super) const MISSING: &str = "mltest_missing";
pub(super) const PRESENT: &str = "mltest_present";
pub(super) const INT: &str = "mltest_int";
pub(super) const FLOAT: &str = "mltest_float";
/// A float as the memory engine keeps it (NaN is missing), as a key (-0 and 0 one value),
/// as text (the shortest that reads back), and only when finite (what statistics read).
pub(super) const NOT_NAN: &str = "mltest_not_nan";
pub(super) const FLOAT_KEY: &str = "mltest_float_key";
pub(super) const FLOAT_TEXT: &str = "mltest_float_text";
pub(super) const FINITE: &str = "mltest_finite";

/// A data test's value rule: `mltest_rule(value, rule)` is true when the present `value`
/// fails the [`CellRule`] written as `rule` ([`CellRule::to_text`]), null when `value` is.
pub(super) const RULE: &str = "mltest_rule";

/// [`RULE`]: one function for values of every type, so it takes any first argument.
#[derive(Debug, PartialEq, Eq, Hash)]
struct RuleUdf {
    signature: Signature,
}

impl RuleUdf {
    fn new() -> RuleUdf {
        RuleUdf { signature: Signature::any(2, Volatility::Immutable) }
    }
}

impl ScalarUDFImpl for RuleUdf {
    fn name(&self) -> &str {
        RULE
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> datafusion::error::Result<DataType> {
        Ok(DataType::Boolean)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> datafusion::error::Result<ColumnarValue> {
        // The rule is read once a batch: a literal, the same for every row.
        let text = match args.args.get(1) {
            Some(ColumnarValue::Scalar(ScalarValue::Utf8(Some(text)))) => text.clone(),
            _ => return Err(DataFusionError::Plan(format!("{RULE} takes a value and a rule's text"))),
        };
        let rule = read_rule(&text)?;
        let judge = rule.judge();
        let values = args.args[0].to_array(args.number_rows)?;
        let fails: BooleanArray = cells_of(&values).map(|cell| cell.map(|cell| judge.fails(&cell))).collect();
        Ok(ColumnarValue::Array(Arc::new(fails)))
    }
}

/// The rule written as `text`, read once a thread: a batch (8,192 rows) that read it again
/// compiled a pattern's regex again, and its matcher started cold. Once a thread, not once a
/// process: a regex shared between threads hands its matcher's scratch space to one thread
/// without a lock, the others through one.
fn read_rule(text: &str) -> datafusion::error::Result<Rc<CellRule>> {
    /// Past this many rules (a long-lived executor, many suites), the ones read are forgotten.
    const MOST_KEPT: usize = 256;
    thread_local! {
        static READ: RefCell<FastMap<String, Rc<CellRule>>> = RefCell::default();
    }
    READ.with_borrow_mut(|read| {
        if let Some(rule) = read.get(text) {
            return Ok(Rc::clone(rule));
        }
        let rule = Rc::new(CellRule::from_text(text).map_err(DataFusionError::Plan)?);
        if read.len() >= MOST_KEPT {
            read.clear();
        }
        read.insert(text.to_owned(), Rc::clone(&rule));
        Ok(rule)
    })
}

/// The function that orders rows for a seeded sample: `mltest_position_hash(position, seed)`.
pub(super) const POSITION_HASH: &str = "mltest_position_hash";

/// A row's position hashed with a seed (SplitMix64's finaliser): sorting by it draws rows
/// uniformly, the same ones for the same seed. The seed is an argument, not captured, so an
/// executor that only knows the function's name computes the same hash.
fn position_hash() -> ScalarUDF {
    create_udf(
        POSITION_HASH,
        vec![DataType::Int64, DataType::Int64],
        DataType::Int64,
        Volatility::Immutable,
        Arc::new(|args: &[ColumnarValue]| {
            let arrays = ColumnarValue::values_to_arrays(args)?;
            let positions = arrays[0].as_primitive::<Int64Type>();
            let seeds = arrays[1].as_primitive::<Int64Type>();
            let hashed: Int64Array =
                positions.iter().zip(seeds.iter()).map(|(p, seed)| Some(hash_position(p?, seed?))).collect();
            Ok(ColumnarValue::Array(Arc::new(hashed)))
        }),
    )
}

/// [`POSITION_HASH`] of one position: a bijection of the 64 bits, so no two rows share a hash.
pub(super) fn hash_position(position: i64, seed: i64) -> i64 {
    let mut z = (position as u64 ^ seed as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) as i64
}

/// The function that finds rows that may be equal: `mltest_row_hash(v1, v2, …)`, a 64-bit
/// hash of a row's values. Equal rows (as `GROUP BY` and the memory engine compare them: each
/// value by [`distinct_key`], null equal to null) hash alike, so rows whose hash no other row
/// shares are unequal to every other; the few that share one are compared value by value.
/// foldhash with a fixed seed ([`RandomState::with_seed`]): the same on every
/// machine running this build, which an executor must be to know the function at all, and
/// several times faster than std's SipHash, which this was (duplicate rows on 10M rows
/// hashed 12 values a row).
pub(super) const ROW_HASH: &str = "mltest_row_hash";
/// The seed of [`ROW_HASH`]: any fixed number.
const ROW_HASH_SEED: u64 = 0x6d6c_7465_7374;

#[derive(Debug, PartialEq, Eq, Hash)]
struct RowHashUdf {
    signature: Signature,
}

impl ScalarUDFImpl for RowHashUdf {
    fn name(&self) -> &str {
        ROW_HASH
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> datafusion::error::Result<DataType> {
        Ok(DataType::Int64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> datafusion::error::Result<ColumnarValue> {
        use std::hash::BuildHasher;
        let columns = ColumnarValue::values_to_arrays(&args.args)?;
        let state = RandomState::with_seed(ROW_HASH_SEED);
        // Column by column, each column's type read once: each row's hash so far hashed again
        // with its value in the next column, the value's kind first (so an int never hashes
        // as the float of the same bits) and a text's end marked (so its bytes never run into
        // the next value's).
        let mut hashes = vec![0u64; args.number_rows];
        for column in &columns {
            for (hash, cell) in hashes.iter_mut().zip(cells_of(column)) {
                *hash = match cell {
                    None => state.hash_one((*hash, b'n')),
                    Some(Cell::Int(v)) => state.hash_one((*hash, b'i', v)),
                    Some(Cell::Float(x)) => state.hash_one((*hash, b'f', (x + 0.0).to_bits())),
                    Some(Cell::Bool(b)) => state.hash_one((*hash, b'b', b)),
                    Some(Cell::Text(text)) => state.hash_one((*hash, b't', &*text)),
                };
            }
        }
        let hashes: Int64Array = hashes.into_iter().map(|hash| Some(hash as i64)).collect();
        Ok(ColumnarValue::Array(Arc::new(hashes)))
    }
}

/// The aggregate `mltest_few_distinct(value)`: how many distinct non-null values there are,
/// counted up to one past [`FEW_DISTINCT`] (a count past it says only "more"). A set of at
/// most that many values a partition, so it never holds a column's values, and a column
/// with many stops counting within its first batch: how a scan types a text column (a
/// category has at most 50 levels) and counts every column's values for `not_constant` at
/// once, where a `GROUP BY` each would be a scan each.
pub(super) const FEW_DISTINCT_FN: &str = "mltest_few_distinct";
pub(super) const FEW_DISTINCT: usize = table::MAX_CATEGORY_LEVELS;

#[derive(Debug, PartialEq, Eq, Hash)]
struct FewDistinctUdaf {
    signature: Signature,
}

impl AggregateUDFImpl for FewDistinctUdaf {
    fn name(&self) -> &str {
        FEW_DISTINCT_FN
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> datafusion::error::Result<DataType> {
        Ok(DataType::Int64)
    }

    fn accumulator(&self, _: AccumulatorArgs) -> datafusion::error::Result<Box<dyn Accumulator>> {
        Ok(Box::<FewDistinct>::default())
    }

    fn state_fields(&self, args: StateFieldsArgs) -> datafusion::error::Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(format!("{}_seen", args.name), DataType::Binary, true))])
    }
}

/// The values seen, each as the bytes of its type and value (a float's as the bits of
/// `x + 0.0`, so -0 and 0 are one value, as the memory engine counts them), until there are
/// more than [`FEW_DISTINCT`].
#[derive(Debug, Default)]
struct FewDistinct {
    seen: FastSet<Vec<u8>>,
    more: bool,
}

impl FewDistinct {
    fn add(&mut self, key: &[u8]) {
        if !self.more && !self.seen.contains(key) {
            self.seen.insert(key.to_vec());
            if self.seen.len() > FEW_DISTINCT {
                self.more = true;
                self.seen = FastSet::default();
            }
        }
    }
}

/// A present value's key for [`FewDistinct`], written into `key`.
fn distinct_key(cell: &Cell<'_>, key: &mut Vec<u8>) {
    key.clear();
    match cell {
        Cell::Int(v) => {
            key.push(b'i');
            key.extend_from_slice(&v.to_le_bytes());
        }
        Cell::Float(x) => {
            key.push(b'f');
            key.extend_from_slice(&(x + 0.0).to_bits().to_le_bytes());
        }
        Cell::Bool(b) => key.extend_from_slice(&[b'b', u8::from(*b)]),
        Cell::Text(text) => {
            key.push(b't');
            key.extend_from_slice(text.as_bytes());
        }
    }
}

impl Accumulator for FewDistinct {
    fn update_batch(&mut self, values: &[ArrayRef]) -> datafusion::error::Result<()> {
        let mut key = Vec::new();
        for row in 0..values[0].len() {
            if self.more {
                break;
            }
            if let Some(cell) = cell_at(&values[0], row) {
                distinct_key(&cell, &mut key);
                self.add(&key);
            }
        }
        Ok(())
    }

    fn evaluate(&mut self) -> datafusion::error::Result<ScalarValue> {
        let counted = if self.more { FEW_DISTINCT + 1 } else { self.seen.len() };
        Ok(ScalarValue::Int64(Some(counted as i64)))
    }

    fn size(&self) -> usize {
        std::mem::size_of::<Self>() + self.seen.iter().map(|key| key.len() + 24).sum::<usize>()
    }

    /// `1` when there are more; else each key after its length (4 bytes).
    fn state(&mut self) -> datafusion::error::Result<Vec<ScalarValue>> {
        let mut bytes = vec![u8::from(self.more)];
        for key in &self.seen {
            bytes.extend_from_slice(&(key.len() as u32).to_le_bytes());
            bytes.extend_from_slice(key);
        }
        Ok(vec![ScalarValue::Binary(Some(bytes))])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> datafusion::error::Result<()> {
        let states = states[0].as_binary::<i32>();
        for state in states.iter().flatten() {
            let Some((&more, mut rest)) = state.split_first() else { continue };
            if more == 1 {
                self.more = true;
                self.seen = FastSet::default();
            }
            while let (Some(length), false) = (rest.get(..4), self.more) {
                let length = u32::from_le_bytes([length[0], length[1], length[2], length[3]]) as usize;
                let key = rest.get(4..4 + length).ok_or_else(|| {
                    DataFusionError::Internal(format!("{FEW_DISTINCT_FN}: a state cut short"))
                })?;
                self.add(key);
                rest = &rest[4 + length..];
            }
        }
        Ok(())
    }
}

/// The aggregate `mltest_order_buckets(x)` of a float column without NaN or -0 (what
/// `mltest_float_key(mltest_finite(…))` gives): how many values, and the least and the
/// greatest, in each bucket of values whose [`order_key`]s share their top bits, the buckets
/// in ascending order ([`read_order_buckets`]). An exact quantile is then a read of the one
/// or two buckets its positions fall in, where a sort read and ordered the whole column; and,
/// being an aggregate, it is gathered into the scan that counts the column.
///
/// A bucket is 24 bits of the key at first (4,096 buckets an octave), 4 fewer each time a
/// partition would hold more than [`MOST_BUCKETS`], so what it holds stays small whatever
/// the values' spread.
pub(super) const ORDER_BUCKETS: &str = "mltest_order_buckets";
const MOST_BUCKETS: usize = 4096;
/// The first buckets: the key's top 24 bits.
const FIRST_SHIFT: u32 = 40;
/// The coarsest: 16 buckets.
const LAST_SHIFT: u32 = 60;

/// A float's bits as an unsigned number in the floats' order (negatives below positives,
/// each side by magnitude): a bucket of keys is a range of values.
fn order_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// One bucket of [`ORDER_BUCKETS`]: its values' count, least and greatest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Bucket {
    pub count: usize,
    pub min: f64,
    pub max: f64,
}

impl Bucket {
    /// Its count, least and greatest value, 8 bytes each, as [`read_order_buckets`] reads them.
    fn write(&self, bytes: &mut Vec<u8>) {
        bytes.extend_from_slice(&(self.count as u64).to_le_bytes());
        bytes.extend_from_slice(&self.min.to_bits().to_le_bytes());
        bytes.extend_from_slice(&self.max.to_bits().to_le_bytes());
    }

    fn merge(&mut self, other: Bucket) {
        self.count += other.count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }
}

/// The buckets an [`ORDER_BUCKETS`] answer holds, in ascending order of their values.
pub(super) fn read_order_buckets(answer: &ArrayRef) -> Result<Vec<Bucket>, String> {
    let bytes =
        answer.as_binary_opt::<i32>().filter(|a| !a.is_null(0)).map(|a| a.value(0)).unwrap_or_default();
    let mut buckets = Vec::with_capacity(bytes.len() / 24);
    for entry in bytes.chunks(24) {
        let word =
            |i: usize| entry.get(8 * i..8 * i + 8).and_then(|w| w.try_into().ok()).map(u64::from_le_bytes);
        let (Some(count), Some(min), Some(max)) = (word(0), word(1), word(2)) else {
            return Err(format!("{ORDER_BUCKETS}: an answer cut short"));
        };
        buckets.push(Bucket { count: count as usize, min: f64::from_bits(min), max: f64::from_bits(max) });
    }
    Ok(buckets)
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct OrderBucketsUdaf {
    signature: Signature,
}

impl AggregateUDFImpl for OrderBucketsUdaf {
    fn name(&self) -> &str {
        ORDER_BUCKETS
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> datafusion::error::Result<DataType> {
        Ok(DataType::Binary)
    }

    fn accumulator(&self, _: AccumulatorArgs) -> datafusion::error::Result<Box<dyn Accumulator>> {
        Ok(Box::new(OrderBuckets { shift: FIRST_SHIFT, buckets: FastMap::default() }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> datafusion::error::Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(format!("{}_buckets", args.name), DataType::Binary, true))])
    }
}

/// The buckets of one partition, keyed by `order_key >> shift`.
#[derive(Debug)]
struct OrderBuckets {
    shift: u32,
    buckets: FastMap<u64, Bucket>,
}

impl OrderBuckets {
    fn add(&mut self, key: u64, bucket: Bucket) {
        let at = key >> self.shift;
        match self.buckets.get_mut(&at) {
            Some(held) => held.merge(bucket),
            None => {
                self.buckets.insert(at, bucket);
                while self.buckets.len() > MOST_BUCKETS && self.shift < LAST_SHIFT {
                    self.coarsen(self.shift + 4);
                }
            }
        }
    }

    /// The same values in the buckets of `shift`, `shift` at least the present one.
    fn coarsen(&mut self, shift: u32) {
        let by = shift - self.shift;
        self.shift = shift;
        let mut coarser: FastMap<u64, Bucket> = FastMap::default();
        for (at, bucket) in self.buckets.drain() {
            coarser.entry(at >> by).and_modify(|held| held.merge(bucket)).or_insert(bucket);
        }
        self.buckets = coarser;
    }

    /// Each bucket as its least key (so that buckets of several shifts merge), its count,
    /// least and greatest value, in key order.
    fn entries(&self) -> Vec<(u64, Bucket)> {
        let mut entries: Vec<(u64, Bucket)> =
            self.buckets.iter().map(|(&at, &bucket)| (at << self.shift, bucket)).collect();
        entries.sort_unstable_by_key(|&(key, _)| key);
        entries
    }
}

impl Accumulator for OrderBuckets {
    fn update_batch(&mut self, values: &[ArrayRef]) -> datafusion::error::Result<()> {
        for x in values[0].as_primitive::<Float64Type>().iter().flatten() {
            self.add(order_key(x), Bucket { count: 1, min: x, max: x });
        }
        Ok(())
    }

    fn evaluate(&mut self) -> datafusion::error::Result<ScalarValue> {
        let mut bytes = Vec::with_capacity(24 * self.buckets.len());
        for (_, bucket) in self.entries() {
            bucket.write(&mut bytes);
        }
        Ok(ScalarValue::Binary(Some(bytes)))
    }

    fn size(&self) -> usize {
        std::mem::size_of::<Self>() + self.buckets.capacity() * std::mem::size_of::<(u64, Bucket)>()
    }

    /// The shift (1 byte), then each bucket's least key, count, least and greatest value.
    fn state(&mut self) -> datafusion::error::Result<Vec<ScalarValue>> {
        let mut bytes = vec![self.shift as u8];
        for (key, bucket) in self.entries() {
            bytes.extend_from_slice(&key.to_le_bytes());
            bucket.write(&mut bytes);
        }
        Ok(vec![ScalarValue::Binary(Some(bytes))])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> datafusion::error::Result<()> {
        let cut = || DataFusionError::Internal(format!("{ORDER_BUCKETS}: a state cut short"));
        for state in states[0].as_binary::<i32>().iter().flatten() {
            let Some((&shift, entries)) = state.split_first() else { continue };
            let shift = u32::from(shift);
            if shift > self.shift {
                self.coarsen(shift.min(LAST_SHIFT));
            }
            for entry in entries.chunks(32) {
                let word = |i: usize| {
                    entry
                        .get(8 * i..8 * i + 8)
                        .and_then(|w| w.try_into().ok())
                        .map(u64::from_le_bytes)
                        .ok_or_else(cut)
                };
                let bucket = Bucket {
                    count: word(1)? as usize,
                    min: f64::from_bits(word(2)?),
                    max: f64::from_bits(word(3)?),
                };
                self.add(word(0)?, bucket);
            }
        }
        Ok(())
    }
}

/// The aggregate `mltest_repeated(key)` of a BIGINT: the keys seen more than once, at most
/// [`REPEATED_MOST`] of them, ascending, as 8 little-endian bytes each. How the duplicate
/// rows' hashes are found inside the scan that gathers a suite's aggregates, where a
/// `GROUP BY` of the hash (a hash table of every row) was a scan of its own: each partition
/// keeps its keys and sorts them as it hands them on (both cores at once), and the final
/// step merges the sorted runs and reads the repeats off adjacent keys. 8 bytes a row are
/// held, so the caller asks it only of data whose keys fit its memory (the session's
/// `key_room`).
pub(super) const REPEATED: &str = "mltest_repeated";
/// The repeated keys an answer names: one past [`SHARED_HASHES`](super::facts::SHARED_HASHES),
/// which says "more".
pub(super) const REPEATED_MOST: usize = super::facts::SHARED_HASHES + 1;

/// The keys of a [`REPEATED`] answer.
pub(super) fn read_repeated(answer: &ArrayRef) -> Vec<i64> {
    let bytes =
        answer.as_binary_opt::<i32>().filter(|a| !a.is_null(0)).map(|a| a.value(0)).unwrap_or_default();
    keys_from(bytes)
}

/// Keys as [`REPEATED`]'s answer and state hold them: 8 little-endian bytes each.
fn keys_to(keys: impl IntoIterator<Item = i64>) -> Vec<u8> {
    keys.into_iter().flat_map(i64::to_le_bytes).collect()
}

/// The keys of bytes written by [`keys_to`].
fn keys_from(bytes: &[u8]) -> Vec<i64> {
    bytes.chunks_exact(8).filter_map(|w| w.try_into().ok()).map(i64::from_le_bytes).collect()
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct RepeatedUdaf {
    signature: Signature,
}

impl AggregateUDFImpl for RepeatedUdaf {
    fn name(&self) -> &str {
        REPEATED
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> datafusion::error::Result<DataType> {
        Ok(DataType::Binary)
    }

    fn accumulator(&self, _: AccumulatorArgs) -> datafusion::error::Result<Box<dyn Accumulator>> {
        Ok(Box::new(Repeated::default()))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> datafusion::error::Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(format!("{}_keys", args.name), DataType::Binary, true))])
    }
}

/// A partition's keys as they come, then the sorted runs of the partitions merged into it.
#[derive(Debug, Default)]
struct Repeated {
    keys: Vec<i64>,
    runs: Vec<Vec<i64>>,
}

impl Repeated {
    /// Every key it holds, sorted (and no longer held).
    fn merged(&mut self) -> Vec<i64> {
        let mut keys = std::mem::take(&mut self.keys);
        keys.sort_unstable();
        if !self.runs.is_empty() {
            for run in std::mem::take(&mut self.runs) {
                keys.extend(run);
            }
            // Sorted runs one after another: the stable sort finds them and merges them in
            // a pass, where the unstable one would sort them again.
            keys.sort();
        }
        keys
    }
}

impl Accumulator for Repeated {
    fn update_batch(&mut self, values: &[ArrayRef]) -> datafusion::error::Result<()> {
        let keys = values[0].as_primitive::<Int64Type>();
        match keys.nulls() {
            None => self.keys.extend_from_slice(keys.values()),
            Some(_) => self.keys.extend(keys.iter().flatten()),
        }
        Ok(())
    }

    fn evaluate(&mut self) -> datafusion::error::Result<ScalarValue> {
        let all = self.merged();
        // The first of each run of equal keys: equal to the next, not to the one before.
        let repeated = all
            .windows(2)
            .enumerate()
            .filter(|&(i, pair)| pair[0] == pair[1] && (i == 0 || all[i - 1] != pair[0]))
            .map(|(_, pair)| pair[0])
            .take(REPEATED_MOST);
        Ok(ScalarValue::Binary(Some(keys_to(repeated))))
    }

    fn size(&self) -> usize {
        let runs: usize = self.runs.iter().map(|run| run.capacity()).sum();
        std::mem::size_of::<Self>() + 8 * (self.keys.capacity() + runs)
    }

    fn state(&mut self) -> datafusion::error::Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::Binary(Some(keys_to(self.merged())))])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> datafusion::error::Result<()> {
        self.runs.extend(states[0].as_binary::<i32>().iter().flatten().map(keys_from));
        Ok(())
    }
}

/// The aggregate `mltest_cell_kinds(cell)` of a CSV column's cells as the file holds them:
/// in one pass, what typing the column takes ([`CELL_KIND_FIELDS`]: the present cells, those
/// that read as an int, as a float, as `true` or `false`, the floats that are NaN, and the
/// distinct present texts up to one past [`FEW_DISTINCT`]), each cell read once by the
/// loader's own functions, where a count of each a function call would read it five times.
pub(super) const CELL_KINDS: &str = "mltest_cell_kinds";
pub(super) const CELL_KIND_FIELDS: [&str; 6] = ["present", "ints", "floats", "bools", "nans", "levels"];

#[derive(Debug, PartialEq, Eq, Hash)]
struct CellKindsUdaf {
    signature: Signature,
}

fn cell_kind_fields() -> Vec<Field> {
    CELL_KIND_FIELDS.iter().map(|name| Field::new(*name, DataType::Int64, false)).collect()
}

impl AggregateUDFImpl for CellKindsUdaf {
    fn name(&self) -> &str {
        CELL_KINDS
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> datafusion::error::Result<DataType> {
        Ok(DataType::Struct(cell_kind_fields().into()))
    }

    fn accumulator(&self, _: AccumulatorArgs) -> datafusion::error::Result<Box<dyn Accumulator>> {
        Ok(Box::<CellKinds>::default())
    }

    fn state_fields(&self, args: StateFieldsArgs) -> datafusion::error::Result<Vec<FieldRef>> {
        let counts = CELL_KIND_FIELDS[..5]
            .iter()
            .map(|kind| Arc::new(Field::new(format!("{}_{kind}", args.name), DataType::Int64, true)));
        let levels = Arc::new(Field::new(format!("{}_seen", args.name), DataType::Binary, true));
        Ok(counts.chain([levels]).collect())
    }
}

/// [`CELL_KINDS`]' counts so far and the levels seen.
#[derive(Debug, Default)]
struct CellKinds {
    counts: [i64; 5],
    levels: FewDistinct,
}

impl Accumulator for CellKinds {
    fn update_batch(&mut self, values: &[ArrayRef]) -> datafusion::error::Result<()> {
        let cells = values[0].as_string::<i32>();
        let mut key = Vec::new();
        for cell in cells.iter().flatten() {
            let Some(cell) = table::cell_present(cell) else { continue };
            // An int is a float too, and not NaN: its float is not parsed.
            let int = table::cell_int(cell).is_some();
            let float = if int { Some(0.0) } else { table::cell_float(cell) };
            let kinds = [
                true,
                int,
                float.is_some(),
                cell.eq_ignore_ascii_case("true") || cell.eq_ignore_ascii_case("false"),
                float.is_some_and(f64::is_nan),
            ];
            for (count, kind) in self.counts.iter_mut().zip(kinds) {
                *count += i64::from(kind);
            }
            if !self.levels.more {
                distinct_key(&Cell::Text(cell.into()), &mut key);
                self.levels.add(&key);
            }
        }
        Ok(())
    }

    fn evaluate(&mut self) -> datafusion::error::Result<ScalarValue> {
        let ScalarValue::Int64(levels) = self.levels.evaluate()? else {
            return Err(DataFusionError::Internal(format!("{CELL_KINDS}: levels are not counted")));
        };
        let values: Vec<ArrayRef> = self
            .counts
            .iter()
            .chain(levels.as_ref())
            .map(|&count| Arc::new(Int64Array::from(vec![count])) as ArrayRef)
            .collect();
        Ok(ScalarValue::Struct(Arc::new(StructArray::new(cell_kind_fields().into(), values, None))))
    }

    fn size(&self) -> usize {
        std::mem::size_of::<Self>() + self.levels.size() - std::mem::size_of::<FewDistinct>()
    }

    fn state(&mut self) -> datafusion::error::Result<Vec<ScalarValue>> {
        let counts = self.counts.iter().map(|&count| ScalarValue::Int64(Some(count)));
        Ok(counts.chain(self.levels.state()?).collect())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> datafusion::error::Result<()> {
        for (count, state) in self.counts.iter_mut().zip(states) {
            *count += state.as_primitive::<Int64Type>().iter().flatten().sum::<i64>();
        }
        self.levels.merge_batch(&states[5..])
    }
}

/// Makes every function the queries call known to `ctx`.
pub(super) fn register(ctx: &SessionContext) {
    for udf in all() {
        ctx.register_udf(udf);
    }
    for udaf in aggregates() {
        ctx.register_udaf(udaf);
    }
}

/// The aggregate functions the queries call: [`FEW_DISTINCT_FN`], [`ORDER_BUCKETS`],
/// [`CELL_KINDS`] and [`REPEATED`].
pub fn aggregates() -> Vec<AggregateUDF> {
    vec![
        AggregateUDF::new_from_impl(FewDistinctUdaf { signature: Signature::any(1, Volatility::Immutable) }),
        AggregateUDF::new_from_impl(OrderBucketsUdaf {
            signature: Signature::exact(vec![DataType::Float64], Volatility::Immutable),
        }),
        AggregateUDF::new_from_impl(CellKindsUdaf {
            signature: Signature::exact(vec![DataType::Utf8], Volatility::Immutable),
        }),
        AggregateUDF::new_from_impl(RepeatedUdaf {
            signature: Signature::exact(vec![DataType::Int64], Volatility::Immutable),
        }),
    ]
}

/// Every function the queries call. The ones that read a cell as `read_csv` does (`table::cell_*`): `mltest_missing`
/// (a null, which the CSV reader gives for an empty field, or a missing token once trimmed),
/// `mltest_present` (the trimmed text, or null), `mltest_int` and `mltest_float` (the value,
/// or null when the cell is not such a number); and what the memory engine does with a float
/// (`mltest_not_nan`, `mltest_float_key`, `mltest_float_text`, `mltest_finite`); a test's
/// value rule ([`RULE`]), the sample's order ([`POSITION_HASH`]) and a row's hash
/// ([`ROW_HASH`]).
pub fn all() -> Vec<ScalarUDF> {
    vec![
        ScalarUDF::new_from_impl(RuleUdf::new()),
        ScalarUDF::new_from_impl(RowHashUdf { signature: Signature::variadic_any(Volatility::Immutable) }),
        position_hash(),
        text_udf(MISSING, DataType::Boolean, |cells| {
            Arc::new(
                cells
                    .iter()
                    .map(|cell| Some(cell.is_none_or(table::cell_is_missing)))
                    .collect::<BooleanArray>(),
            )
        }),
        text_udf(PRESENT, DataType::Utf8, |cells| {
            Arc::new(cells.iter().map(|cell| cell.and_then(table::cell_present)).collect::<StringArray>())
        }),
        text_udf(INT, DataType::Int64, |cells| {
            Arc::new(cells.iter().map(|cell| cell.and_then(table::cell_int)).collect::<Int64Array>())
        }),
        text_udf(FLOAT, DataType::Float64, |cells| {
            Arc::new(cells.iter().map(|cell| cell.and_then(table::cell_float)).collect::<Float64Array>())
        }),
        float_udf(NOT_NAN, DataType::Float64, |values| {
            Arc::new(values.iter().map(|x| x.filter(|x| !x.is_nan())).collect::<Float64Array>())
        }),
        // `x + 0.0` turns -0 into 0: as a function, so no optimiser drops the addition.
        float_udf(FLOAT_KEY, DataType::Float64, |values| {
            Arc::new(values.iter().map(|x| x.map(|x| x + 0.0)).collect::<Float64Array>())
        }),
        float_udf(FLOAT_TEXT, DataType::Utf8, |values| {
            Arc::new(values.iter().map(|x| x.map(|x| x.to_string())).collect::<StringArray>())
        }),
        float_udf(FINITE, DataType::Float64, |values| {
            Arc::new(values.iter().map(|x| x.filter(|x| x.is_finite())).collect::<Float64Array>())
        }),
    ]
}

/// A function of one text column, `read` turning its cells into the answer's column.
fn text_udf(name: &'static str, returns: DataType, read: fn(&StringArray) -> ArrayRef) -> ScalarUDF {
    array_udf(name, DataType::Utf8, returns, read)
}

/// A function of one float column.
fn float_udf(name: &'static str, returns: DataType, read: fn(&Float64Array) -> ArrayRef) -> ScalarUDF {
    array_udf(name, DataType::Float64, returns, read)
}

/// A function of one column of Arrow type `input` (read as the array type `A`).
fn array_udf<A: Array + 'static>(
    name: &'static str,
    input: DataType,
    returns: DataType,
    read: fn(&A) -> ArrayRef,
) -> ScalarUDF {
    create_udf(
        name,
        vec![input],
        returns,
        Volatility::Immutable,
        Arc::new(move |args: &[ColumnarValue]| {
            let arrays = ColumnarValue::values_to_arrays(args)?;
            let values = arrays[0]
                .as_any()
                .downcast_ref::<A>()
                .ok_or_else(|| DataFusionError::Internal(format!("{name} reads another type")))?;
            Ok(ColumnarValue::Array(read(values)))
        }),
    )
}

/// Each value of a typed column as the memory engine's [`Cell`] (`None` when null), as
/// [`cell_at`] reads one, with the column's type looked up once.
fn cells_of(column: &ArrayRef) -> Box<dyn Iterator<Item = Option<Cell<'_>>> + '_> {
    match column.data_type() {
        DataType::Int64 => Box::new(column.as_primitive::<Int64Type>().iter().map(|v| v.map(Cell::Int))),
        DataType::Float64 => {
            Box::new(column.as_primitive::<Float64Type>().iter().map(|v| v.map(Cell::Float)))
        }
        DataType::Boolean => Box::new(column.as_boolean().iter().map(|v| v.map(Cell::Bool))),
        DataType::Utf8 => Box::new(column.as_string::<i32>().iter().map(|v| v.map(|s| Cell::Text(s.into())))),
        DataType::LargeUtf8 => {
            Box::new(column.as_string::<i64>().iter().map(|v| v.map(|s| Cell::Text(s.into()))))
        }
        DataType::Utf8View => {
            Box::new(column.as_string_view().iter().map(|v| v.map(|s| Cell::Text(s.into()))))
        }
        _ => Box::new((0..column.len()).map(|row| cell_at(column, row))),
    }
}

/// A typed value of an answer as the memory engine's [`Cell`]: `None` when null.
pub(super) fn cell_at(array: &ArrayRef, row: usize) -> Option<Cell<'_>> {
    if array.is_null(row) {
        return None;
    }
    Some(match array.data_type() {
        DataType::Int64 => Cell::Int(array.as_primitive::<Int64Type>().value(row)),
        DataType::Float64 => Cell::Float(array.as_primitive::<Float64Type>().value(row)),
        DataType::Boolean => Cell::Bool(array.as_boolean().value(row)),
        DataType::Utf8 => Cell::Text(array.as_string::<i32>().value(row).into()),
        DataType::LargeUtf8 => Cell::Text(array.as_string::<i64>().value(row).into()),
        DataType::Utf8View => Cell::Text(array.as_string_view().value(row).into()),
        _ => return None,
    })
}
