//! Cutting the evaluated rows into slices by one column (PRODUCT.md §10), for the
//! `slice_metric`, `slice_gap` and `fairness` tests.
//!
//! This module owns which slice each row is in and what the slice is called; the metric of a
//! slice is [`metrics`](super::metrics)' business, on the slice's rows. Two ways to cut:
//!
//! - **By level**, for a category, bool or text column, and for an int column with at most
//!   [`MAX_SLICE_LEVELS`] distinct values among the given rows (unless `bins` is given): one
//!   slice per value that occurs, named by the value as the CSV writes it, in a fixed order
//!   — ints ascending, text and categories by code point (Rust's `str` order, which is
//!   `numpy.unique`'s), `false` before `true`. A category or text column with more levels is
//!   an error naming it: hundreds of tiny slices say nothing.
//! - **By quantile bins**, for a float column, an int column with more levels, or any
//!   numeric column when `bins` is given: pandas 3.1.1's `qcut(x, bins, duplicates="drop")`
//!   over the given rows' values. The edges are the values' quantiles (numpy's linear
//!   interpolation, [`stats::quantile`]) at pandas' fractions — `numpy.linspace(0, 1, bins +
//!   1)`, each fraction `f` with `bins · f ≠ i` nudged one ulp up as pandas does — with
//!   repeated edges dropped; bin `i` holds the values in `(lo, hi]`, the first also its `lo`.
//!   A bin is named `(lo, hi]`, the first `[lo, hi]`, numbers written by [`num`].
//!
//! Rows whose value is missing form a last slice, [`MISSING_SLICE`]. A numeric column whose
//! given rows are all missing has that slice only.
//!
//! [`num`]: crate::vocab::num

use std::collections::BTreeMap;

use super::calibration::unit_edges;
use crate::table::stats;
use crate::table::{Column, Values};
use crate::vocab::num;

/// The most levels a column is cut by; a numeric column with more is cut into bins.
pub const MAX_SLICE_LEVELS: usize = 50;

/// The number of quantile bins when the suite does not say.
pub const DEFAULT_BINS: usize = 4;

/// The name of the slice of rows whose value is missing.
pub const MISSING_SLICE: &str = "(missing)";

/// The slices of some rows: their names in slice order, and each row's slice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slices {
    /// One name per slice, in order; [`MISSING_SLICE`] last when a row is missing.
    pub names: Vec<String>,
    /// `of_row[i]` is the index in `names` of the slice of the `i`-th given row.
    pub of_row: Vec<usize>,
}

/// Cuts `rows` (positions in `column`, the evaluated rows) into slices by the column's value;
/// `bins` is the suite's `bins`, `None` when not given. No rows give no slices.
///
/// Errors name the column: a row outside it, `bins = 0`, or a category or text column with
/// more than [`MAX_SLICE_LEVELS`] levels among the rows.
pub fn slice_rows(column: &Column, rows: &[usize], bins: Option<usize>) -> Result<Slices, String> {
    let name = column.name();
    if let Some(&row) = rows.iter().find(|&&row| row >= column.len()) {
        return Err(format!("column `{name}`: row {row} is outside its {} rows", column.len()));
    }
    if bins == Some(0) {
        return Err(format!("column `{name}`: `bins` must be at least 1"));
    }
    let missing = |row: usize| column.is_missing(row);
    let by_level = match column.values() {
        Values::Float(_) => None,
        Values::Int(_) if bins.is_some() => None,
        Values::Int(v) => levels(rows, missing, |row| v[row], |x| x.to_string()),
        Values::Bool(v) => levels(rows, missing, |row| v[row], |b| b.to_string()),
        Values::Category { codes, levels: names } => {
            levels(rows, missing, |row| names[codes[row] as usize].as_str(), |s| s.to_string())
        }
        Values::Text(v) => levels(rows, missing, |row| &v[row], |s| s.to_string()),
    };
    match by_level {
        Some(slices) => Ok(slices),
        None if column.ty().is_numeric() => Ok(quantile_bins(column, rows, bins.unwrap_or(DEFAULT_BINS))),
        None => Err(format!(
            "column `{name}` has more than {MAX_SLICE_LEVELS} distinct values among the evaluated \
             rows; slice by a column with fewer levels, or by a numeric one (cut into bins)"
        )),
    }
}

/// One slice per distinct key among the rows' non-missing values, in key order, then the
/// missing slice; `None` when there are more than [`MAX_SLICE_LEVELS`] keys.
fn levels<K: Ord + Copy>(
    rows: &[usize],
    missing: impl Fn(usize) -> bool,
    key: impl Fn(usize) -> K,
    name: impl Fn(K) -> String,
) -> Option<Slices> {
    let mut slice_of: BTreeMap<K, usize> = BTreeMap::new();
    for &row in rows.iter().filter(|&&row| !missing(row)) {
        slice_of.insert(key(row), 0);
        if slice_of.len() > MAX_SLICE_LEVELS {
            return None;
        }
    }
    let mut names = Vec::with_capacity(slice_of.len() + 1);
    for (index, (&k, slice)) in slice_of.iter_mut().enumerate() {
        *slice = index;
        names.push(name(k));
    }
    let missing_slice = names.len();
    let of_row =
        rows.iter().map(|&row| if missing(row) { missing_slice } else { slice_of[&key(row)] }).collect();
    Some(with_missing(names, of_row))
}

/// pandas' `qcut(x, bins, duplicates="drop")` over the rows' non-missing values (see the
/// module documentation), then the missing slice.
fn quantile_bins(column: &Column, rows: &[usize], bins: usize) -> Slices {
    let values: Vec<f64> = rows.iter().filter_map(|&row| column.number(row)).collect();
    let sorted = stats::sorted(&values);
    let edges = bin_edges(&sorted, bins);
    let texts = edge_texts(&edges);
    let names = (1..edges.len())
        .map(|i| {
            let open = if i == 1 { '[' } else { '(' };
            format!("{open}{}, {}]", texts[i - 1], texts[i])
        })
        .collect::<Vec<_>>();
    let missing_slice = names.len();
    let last_bin = names.len().saturating_sub(1);
    let of_row = rows
        .iter()
        .map(|&row| match column.number(row) {
            None => missing_slice,
            // searchsorted(edges, x, side="left") is the bin's upper edge; the lowest edge
            // belongs to the first bin (qcut's include_lowest). Every value lies within the
            // outer edges, the values' min and max, so the clamp only guards.
            Some(x) => edges.partition_point(|&e| e < x).saturating_sub(1).min(last_bin),
        })
        .collect();
    with_missing(names, of_row)
}

/// The edges of pandas' `qcut(x, bins, duplicates="drop")` on ascending values: the
/// quantiles at pandas' fractions, repeated edges dropped (unless there are only two, which
/// pandas keeps). When every edge is one value `v`, pandas would put every row in no bin
/// (NaN); here they all go to the one bin `[v, v]`. No values give no edges.
fn bin_edges(sorted: &[f64], bins: usize) -> Vec<f64> {
    let mut edges: Vec<f64> = unit_edges(bins)
        .into_iter()
        .enumerate()
        .filter_map(|(i, fraction)| {
            // pandas rounds a fraction that is not exact in binary up, not to nearest.
            let fraction = if bins as f64 * fraction != i as f64 { fraction.next_up() } else { fraction };
            stats::quantile(sorted, fraction)
        })
        .collect();
    if edges.len() > 2 {
        edges.dedup();
    }
    if let [only] = edges[..] {
        edges.push(only);
    }
    edges
}

/// The edges as [`num`] writes them, or, when that writes two edges alike, as the shortest
/// text that reads back to each (so that no two bins share a name).
fn edge_texts(edges: &[f64]) -> Vec<String> {
    let texts: Vec<String> = edges.iter().map(|&e| num(e)).collect();
    let clash = edges.windows(2).zip(texts.windows(2)).any(|(e, t)| e[0] != e[1] && t[0] == t[1]);
    if clash {
        edges.iter().map(|e| e.to_string()).collect()
    } else {
        texts
    }
}

/// The slices with [`MISSING_SLICE`] appended when a row is in it (index `names.len()`).
fn with_missing(mut names: Vec<String>, of_row: Vec<usize>) -> Slices {
    if of_row.contains(&names.len()) {
        names.push(MISSING_SLICE.to_string());
    }
    Slices { names, of_row }
}

#[cfg(test)]
mod tests {
    //! Bins are pinned to pandas 3.1.1 (numpy 2.4.6): for each case,
    //! `codes, edges = pd.qcut(s.astype(float), bins, labels=False, retbins=True,
    //! duplicates="drop")` on the bundled file's column `s` (restricted to the rows given, if
    //! any), with every row's code written as one character (`m` for a missing value).

    use super::*;
    use crate::table::{read_csv, Table};

    fn sample(name: &str) -> Table {
        let s = crate::samples::get(name).unwrap();
        read_csv(s.csv, s.file, &Default::default()).unwrap()
    }

    fn csv(text: &str) -> Table {
        read_csv(text.as_bytes(), "test.csv", &Default::default()).unwrap()
    }

    /// Every row's slice as pandas' code: its index, or `m` for the missing slice.
    fn codes(slices: &Slices) -> String {
        slices
            .of_row
            .iter()
            .map(
                |&s| {
                    if slices.names[s] == MISSING_SLICE {
                        'm'
                    } else {
                        char::from_digit(s as u32, 10).unwrap()
                    }
                },
            )
            .collect()
    }

    /// Cuts column `name` of `table` over `rows` (every row when `None`).
    fn cut(table: &Table, name: &str, rows: Option<Vec<usize>>, bins: Option<usize>) -> Slices {
        let rows = rows.unwrap_or_else(|| (0..table.n_rows()).collect());
        slice_rows(table.column(name).unwrap(), &rows, bins).unwrap()
    }

    #[test]
    fn iris_sepal_length_in_quartiles() {
        // edges [4.3, 5.1, 5.8, 6.4, 7.9]
        let slices = cut(&sample("iris"), "sepal_length", None, None);
        assert_eq!(slices.names, ["[4.3, 5.1]", "(5.1, 5.8]", "(5.8, 6.4]", "(6.4, 7.9]"]);
        assert_eq!(
            codes(&slices),
            "000001000010001110101000000110011100100000000000103231312031022213112122222333211112123211121011120121323303333231123332313233222333222322233313332322"
        );
    }

    #[test]
    fn iris_in_thirds_and_tenths() {
        let iris = sample("iris");
        // sepal_length, 3 bins: edges [4.3, 5.4, 6.3, 7.9]
        let slices = cut(&iris, "sepal_length", None, Some(3));
        assert_eq!(slices.names, ["[4.3, 5.4]", "(5.4, 6.3]", "(6.3, 7.9]"]);
        assert_eq!(
            codes(&slices),
            "000000000000001100100000000000000100100000000000002221211020011112111111112222111111012111111011110111212202222221122221212122112222211212122212221211"
        );
        // petal_width, 10 bins: edges [0.1, 0.2, 0.4, 1.1600000000000001, 1.3, 1.5, 1.8, 1.9,
        // 2.2, 2.5] (0.2 and 0.2 repeat, so 9 bins; 0.3 is nudged to 0.30000000000000004)
        let slices = cut(&iris, "petal_width", None, Some(10));
        assert_eq!(slices.names.len(), 9);
        assert_eq!(slices.names[2], "(0.4, 1.16]");
        assert_eq!(
            codes(&slices),
            "000001100000000111110102001000010000000011021100004443435234242434424253433445422235454333343233332386757755587677885784877575557567744885578868886785"
        );
    }

    #[test]
    fn diabetes_bmi_over_all_rows_and_over_some() {
        let diabetes = sample("diabetes");
        // edges [18.0, 23.2, 25.7, 29.275, 42.2]
        let slices = cut(&diabetes, "bmi", None, None);
        assert_eq!(slices.names, ["[18, 23.2]", "(23.2, 25.7]", "(25.7, 29.275]", "(29.275, 42.2]"]);
        assert_eq!(
            codes(&slices),
            "3031000233021211321101233103123030012232101130100212112030012210111110032121200021020302001320102320202331033112223231102233210202301033033323223333223220231103032310033110302022112020213020101202023000222323312320133300001103011131233120123110301033333330301010302102312221112001202011021332131301013133002102331331202223312313302132003111132212211030003113022131203323011102322020311102123010221222301333030113322233100230200231013021021130"
        );
        // Every third row (s.iloc[0:442:3]), 7 bins: the edges are the given rows' quantiles,
        // [18.1, 22.5, 23.7, 25.2, 26.9, 29.0, 31.2, 39.1]
        let slices = cut(&diabetes, "bmi", Some((0..442).step_by(3).collect()), Some(7));
        assert_eq!(slices.names.first().unwrap(), "[18.1, 22.5]");
        assert_eq!(slices.names.last().unwrap(), "(31.2, 39.1]");
        assert_eq!(
            codes(&slices),
            "6305123256504431044031203102132040415362350426655660355060443150146045405025215060166020435242322413653322453653634321554265233014601416064611116220"
        );
    }

    #[test]
    fn diabetes_s4_has_ties_on_the_edges() {
        // 5 bins: edges [2.0, 3.0, 3.862, 4.0, 5.0, 9.09]
        let slices = cut(&sample("diabetes"), "s4", None, Some(5));
        assert_eq!(slices.names, ["[2, 3]", "(3, 3.862]", "(3.862, 4]", "(4, 5]", "(5, 9.09]"]);
        assert_eq!(
            codes(&slices),
            "2023200322040204032000042300000040000042303042000402220030020402044320022302002223000020000300023303200302043400233434302344020003202004022224204033242042230322042200044400300024033242234022300403230110343230330000024230020003002042401331423102001043244340304300302103400214222030223024032432032000023232440302340320330044444432204233004322022033420320033222032023324333032002443012202002203020420122004202033430204431203424304031303002023130"
        );
    }

    #[test]
    fn fractions_are_nudged_up_as_pandas_does() {
        // pd.qcut([0.5, 1.5, …, 7.5], 7): codes [0, 0, 1, 2, 3, 4, 5, 6], edges [0.5, 1.5, …,
        // 7.5]. linspace's 5/7 is 0.7142857142857142, below 5/7; unnudged, the sixth edge
        // would be 5.499999999999999 and 5.5 would move up a bin.
        let text = format!("x\n{}\n", (0..8).map(|i| format!("{i}.5")).collect::<Vec<_>>().join("\n"));
        let slices = cut(&csv(&text), "x", None, Some(7));
        assert_eq!(slices.of_row, [0, 0, 1, 2, 3, 4, 5, 6]);
        assert_eq!(slices.names[4], "(4.5, 5.5]");
    }

    #[test]
    fn repeated_edges_are_dropped() {
        // diabetes sex (1 or 2) with bins=4 given: edges [1.0, 2.0], one bin for every row
        let slices = cut(&sample("diabetes"), "sex", None, Some(4));
        assert_eq!(slices.names, ["[1, 2]"]);
        assert!(slices.of_row.iter().all(|&s| s == 0));
    }

    #[test]
    fn penguins_with_missing_values() {
        let penguins = sample("penguins");
        // body_mass_g, an int column with 94 levels, default 4 bins: edges [2700.0, 3550.0,
        // 4050.0, 4750.0, 6300.0]; the two missing rows are `m`
        let slices = cut(&penguins, "body_mass_g", None, None);
        assert_eq!(
            slices.names,
            ["[2700, 3550]", "(3550, 4050]", "(4050, 4750]", "(4750, 6300]", "(missing)"]
        );
        assert_eq!(
            codes(&slices),
            "110m011202010121020201111100010101021002010202000202010101010211010202110212110102120010110202021202120200110312021201000001010201000201010200010120011123233233232323232333332333232332333333231322332333332333232323232323232333232323232323233333233333233333232323332323333m333301101101211111110102100102011202021113021100120201011100011011110121"
        );
        // bill_depth_mm, 6 bins: edges [13.1, 14.8, 16.2, 17.3, 18.3, 19.0, 21.5]
        let slices = cut(&penguins, "bill_depth_mm", None, Some(6));
        assert_eq!(slices.names[5], "(19, 21.5]");
        assert_eq!(
            codes(&slices),
            "433m553535223553454534532443442334255455344524443534353434252523231525442434251523453554543323244414351544252425355325242524143323354433352322122444332402010001010100010101000101010110020202010101100101000101010101010201011110110202010102000212010110021211010101111201110m010135545333453523255343232534443525244235255352343542242524254552253344"
        );
    }

    #[test]
    fn columns_with_few_levels_are_cut_by_level_in_order() {
        let penguins = sample("penguins");
        let slices = cut(&penguins, "island", None, None);
        assert_eq!(slices.names, ["Biscoe", "Dream", "Torgersen"]);
        assert_eq!(slices.of_row[0], 2, "the first penguin is from Torgersen");
        let slices = cut(&penguins, "sex", None, None);
        assert_eq!(slices.names, ["female", "male", "(missing)"]);
        assert_eq!(&slices.of_row[..4], [1, 0, 0, 2]);
        // An int column with at most 50 levels: by level, ascending as numbers.
        assert_eq!(cut(&penguins, "year", None, None).names, ["2007", "2008", "2009"]);
        let table = csv("n,flag,word\n10,true,b\n9,false,B\n-3,true,a\n10,,é\n");
        assert_eq!(cut(&table, "n", None, None).names, ["-3", "9", "10"]);
        assert_eq!(cut(&table, "n", None, None).of_row, [2, 1, 0, 2]);
        let flags = cut(&table, "flag", None, None);
        assert_eq!(
            (flags.names, flags.of_row),
            (vec!["false".to_string(), "true".into(), "(missing)".into()], vec![1, 0, 1, 2])
        );
        // Text by code point: upper case before lower, "é" after "b".
        assert_eq!(cut(&table, "word", None, None).names, ["B", "a", "b", "é"]);
        // Only the levels of the given rows.
        assert_eq!(cut(&penguins, "island", Some(vec![0, 1, 2]), None).names, ["Torgersen"]);
    }

    #[test]
    fn bins_given_cut_an_int_column_with_few_levels() {
        // pd.qcut([2007, 2008, 2009, 2007], 2): edges [2007.0, 2007.5, 2009.0]
        let table = csv("year\n2007\n2008\n2009\n2007\n");
        let slices = cut(&table, "year", None, Some(2));
        assert_eq!(slices.names, ["[2007, 2007.5]", "(2007.5, 2009]"]);
        assert_eq!(slices.of_row, [0, 1, 1, 0]);
        // `bins` does not apply to a text column: it is still cut by level.
        assert_eq!(cut(&sample("penguins"), "island", None, Some(3)).names, ["Biscoe", "Dream", "Torgersen"]);
    }

    #[test]
    fn an_int_column_with_many_levels_is_binned() {
        // pd.qcut(range(100), 4): edges [0, 24.75, 49.5, 74.25, 99], 25 rows each
        let table = csv(&format!("n\n{}\n", (0..100).map(|i| i.to_string()).collect::<Vec<_>>().join("\n")));
        let slices = cut(&table, "n", None, None);
        assert_eq!(slices.names, ["[0, 24.75]", "(24.75, 49.5]", "(49.5, 74.25]", "(74.25, 99]"]);
        assert_eq!(slices.of_row, (0..100).map(|i| i / 25).collect::<Vec<_>>());
    }

    #[test]
    fn a_text_column_with_many_levels_is_an_error_naming_it() {
        let text = format!("name\n{}\n", (0..51).map(|i| format!("w{i}")).collect::<Vec<_>>().join("\n"));
        let table = csv(&text);
        let err = slice_rows(table.column("name").unwrap(), &(0..51).collect::<Vec<_>>(), None).unwrap_err();
        assert!(err.starts_with("column `name` has more than 50 distinct values"), "{err}");
        // 50 levels are fine.
        assert_eq!(cut(&table, "name", Some((0..50).collect()), None).names.len(), 50);
    }

    #[test]
    fn a_numeric_column_all_missing_among_the_rows_is_one_missing_slice() {
        let penguins = sample("penguins");
        // Row 3 is the penguin with no measurements.
        let slices = cut(&penguins, "bill_depth_mm", Some(vec![3, 3]), None);
        assert_eq!((slices.names, slices.of_row), (vec![MISSING_SLICE.to_string()], vec![0, 0]));
    }

    #[test]
    fn a_constant_column_is_one_bin() {
        // pandas gives NaN for every row here (one edge is no interval); one bin keeps the rows.
        let slices = cut(&csv("x\n3.5\n3.5\n3.5\n"), "x", None, None);
        assert_eq!((slices.names, slices.of_row), (vec!["[3.5, 3.5]".to_string()], vec![0, 0, 0]));
    }

    #[test]
    fn edges_that_num_writes_alike_are_written_in_full() {
        // pd.qcut([1.00001, …, 1.00005], 2): edges [1.00001, 1.00003, 1.00005], all "1" to num
        let slices = cut(&csv("x\n1.00001\n1.00002\n1.00003\n1.00004\n1.00005\n"), "x", None, Some(2));
        assert_eq!(slices.names, ["[1.00001, 1.00003]", "(1.00003, 1.00005]"]);
        assert_eq!(slices.of_row, [0, 0, 0, 1, 1]);
    }

    #[test]
    fn no_rows_give_no_slices() {
        let slices = cut(&sample("iris"), "sepal_length", Some(vec![]), None);
        assert!(slices.names.is_empty() && slices.of_row.is_empty());
    }

    #[test]
    fn bad_input_is_an_error_naming_the_column() {
        let iris = sample("iris");
        let column = iris.column("sepal_length").unwrap();
        assert_eq!(
            slice_rows(column, &[0, 150], None).unwrap_err(),
            "column `sepal_length`: row 150 is outside its 150 rows"
        );
        assert_eq!(
            slice_rows(column, &[0], Some(0)).unwrap_err(),
            "column `sepal_length`: `bins` must be at least 1"
        );
    }
}
