//! "Suggest tests" (PRODUCT.md §6): data tests proposed from a table's profile, as TFDV's
//! schema inference and Great Expectations' profilers propose a schema or an expectation
//! suite from a batch of data.
//!
//! [`suggest`] returns complete test objects (`{"id", "kind", …params}`) for a suite's
//! `tests`. Like those profilers it learns what the data shows, so every suggestion passes
//! on the table it was learned from and fails when later data breaks the learned shape; the
//! person then loosens what is too tight. The rules:
//!
//! | test | when | parameters |
//! |---|---|---|
//! | `columns_present` (`columns`) | always | every column, `exact` and `ordered` (TFDV's schema) |
//! | `row_count_between` (`row-count`) | always | the row count ± 10%, rounded outwards |
//! | `no_duplicate_rows` (`no-duplicate-rows`) | always | `max_ratio`: the observed share of repeated rows rounded up to a hundredth (none: 0) |
//! | `column_type` (`COL-type`) | every column | its inferred type |
//! | `not_null` (`COL-not-null`) | a column with values | none missing: 0; else the observed missing ratio rounded up to a hundredth (TFDV's `min_fraction`) |
//! | `values_between` (`COL-range`) | int and float columns | the observed min and max, exactly; a side where an infinity was seen stays open |
//! | `values_in_set` (`COL-in-set`) | category and bool columns | every distinct value, in order of first appearance (TFDV's string domain) |
//! | `unique` (`COL-unique`) | int and text columns whose values are all distinct | (an id) |
//! | `not_constant` (`COL-not-constant`) | a column with at least two distinct values | |
//! | `class_balance` (`TARGET-class-balance`) | a category or bool target with two classes or more | `min_minority_ratio`: the observed share of the rarest class rounded down to a hundredth |
//! | `drift` (`drift`) | a reference is given (PRODUCT.md §12) and holds every column | `column: "*"`, Evidently's defaults (`auto`, `drift_share` 0.5) |
//! | `drift` (`COL-drift`) | a reference is given: each column both hold, when it lacks some; and the target (label drift) | `column` |
//!
//! The drift tests are the exception to "passes on its own table": they compare the table
//! with the reference, and whether it moved is what they are for.
//!
//! The order is stable: the table's tests, then each column's in column order, the target's
//! class balance after its column, then the drift tests. Ids are the column's name and the rule, made unique with a
//! numeric suffix should two collide.

use std::collections::HashSet;

use serde_json::{json, Map, Value};

use crate::table::rows::RowGroups;
use crate::table::{profile, Column, ColumnProfile, ColumnType, Table, Values};

/// Proposes data tests for `table`; `target`, the column a model would learn (if any), also
/// gets a class balance test when it holds classes; with the columns of a reference data
/// set, drift tests against it.
pub fn suggest(table: &Table, target: Option<&str>, reference: Option<&[String]>) -> Vec<Value> {
    let rows = table.n_rows();
    let mut tests = Tests::default();
    let columns: Vec<&str> = table.column_names().collect();
    tests.push("columns", "columns_present", json!({"columns": columns, "exact": true, "ordered": true}));
    // ±10%: a batch of the same source a little larger or smaller still passes.
    let slack = rows.div_ceil(10);
    tests.push("row-count", "row_count_between", json!({"min": rows - slack, "max": rows + slack}));
    let all: Vec<&Column> = table.columns().iter().collect();
    let repeats = RowGroups::of(&all, 0..rows).repeats().len();
    let params = with_ratio(json!({}), "max_ratio", ceil_hundredth(repeats, rows));
    tests.push("no-duplicate-rows", "no_duplicate_rows", params);

    for (column, p) in table.columns().iter().zip(profile(table)) {
        suggest_column(&mut tests, column, &p);
        if target == Some(column.name()) {
            if let Some(ratio) = minority_ratio(column) {
                tests.push(
                    &format!("{}-class-balance", column.name()),
                    "class_balance",
                    json!({"column": column.name(), "min_minority_ratio": ratio}),
                );
            }
        }
    }
    if let Some(reference) = reference {
        suggest_drift(&mut tests, table, target, reference);
    }
    tests.list
}

/// The drift tests against a reference of the columns `reference`: every column at once when
/// the reference holds them all (a `*` test would otherwise fail on the first one missing),
/// else each column both hold; the target, which `*` leaves out, by its own test.
fn suggest_drift(tests: &mut Tests, table: &Table, target: Option<&str>, reference: &[String]) {
    let shared: Vec<&str> = table.column_names().filter(|name| reference.iter().any(|r| r == name)).collect();
    let features: Vec<&str> = shared.iter().copied().filter(|name| Some(*name) != target).collect();
    if shared.len() == table.n_cols() {
        if !features.is_empty() {
            tests.push("drift", "drift", json!({"column": "*"}));
        }
    } else {
        for name in features {
            tests.push(&format!("{name}-drift"), "drift", json!({"column": name}));
        }
    }
    if let Some(target) = target.filter(|target| shared.contains(target)) {
        tests.push(&format!("{target}-drift"), "drift", json!({"column": target}));
    }
}

/// The tests of one column, in the order of the table in the module doc.
fn suggest_column(tests: &mut Tests, column: &Column, p: &ColumnProfile) {
    let name = column.name();
    let id = |rule: &str| format!("{name}-{rule}");
    tests.push(&id("type"), "column_type", json!({"column": name, "type": p.ty}));
    let present = p.rows - p.missing;
    if present > 0 {
        let params =
            with_ratio(json!({"column": name}), "max_missing_ratio", ceil_hundredth(p.missing, p.rows));
        tests.push(&id("not-null"), "not_null", params);
    }
    if p.ty.is_numeric() {
        if let Some(range) = range(column, p) {
            tests.push(&id("range"), "values_between", range);
        }
    }
    if matches!(p.ty, ColumnType::Category | ColumnType::Bool) && present > 0 {
        let allowed: Vec<Value> = distinct_values(column).into_iter().map(|(value, _)| value).collect();
        tests.push(&id("in-set"), "values_in_set", json!({"column": name, "allowed": allowed}));
    }
    if matches!(p.ty, ColumnType::Int | ColumnType::Text) && present > 1 && p.distinct == present {
        tests.push(&id("unique"), "unique", json!({"column": name}));
    }
    if p.distinct >= 2 {
        tests.push(&id("not-constant"), "not_constant", json!({"column": name}));
    }
}

/// `values_between` on the observed finite range; a bound is left out on a side where the
/// column holds an infinity, and there is no test when both sides do or nothing is finite.
fn range(column: &Column, p: &ColumnProfile) -> Option<Value> {
    let (min, max) = (p.min?, p.max?);
    let numbers = column.numbers().unwrap_or_default();
    let below = numbers.iter().any(|&(_, x)| x == f64::NEG_INFINITY);
    let above = numbers.iter().any(|&(_, x)| x == f64::INFINITY);
    if below && above {
        return None;
    }
    let bound = |x: f64| match p.ty {
        // An int column's bounds read as ints (`"min": 4`, not `4.0`).
        ColumnType::Int if x.fract() == 0.0 && x.abs() < 9.0e15 => json!(x as i64),
        _ => json!(x),
    };
    let mut params = json!({"column": column.name()});
    if !below {
        params["min"] = bound(min);
    }
    if !above {
        params["max"] = bound(max);
    }
    Some(params)
}

/// A category or bool column's distinct non-missing values with their counts, in order of
/// first appearance; bools as JSON booleans, categories as strings.
fn distinct_values(column: &Column) -> Vec<(Value, usize)> {
    let present = (0..column.len()).filter(|&row| !column.is_missing(row));
    match column.values() {
        Values::Category { codes, levels } => {
            // Levels are kept in order of first appearance and only for values present.
            let mut counts = vec![0; levels.len()];
            for row in present {
                counts[codes[row] as usize] += 1;
            }
            levels.iter().zip(counts).filter(|(_, n)| *n > 0).map(|(l, n)| (json!(l), n)).collect()
        }
        Values::Bool(values) => {
            let mut seen: Vec<(Value, usize)> = Vec::new();
            for row in present {
                match seen.iter_mut().find(|(v, _)| *v == json!(values[row])) {
                    Some((_, n)) => *n += 1,
                    None => seen.push((json!(values[row]), 1)),
                }
            }
            seen
        }
        _ => Vec::new(),
    }
}

/// The share of the rarest class of a category or bool column, rounded down to a hundredth;
/// `None` for other columns and for fewer than two classes (nothing to balance).
fn minority_ratio(column: &Column) -> Option<f64> {
    let classes = distinct_values(column);
    if classes.len() < 2 {
        return None;
    }
    let total: usize = classes.iter().map(|(_, n)| n).sum();
    let rarest = classes.iter().map(|(_, n)| *n).min()?;
    // The same division as class_balance's, so the rounded bound is checked against the very
    // number the test will compute.
    let ratio = rarest as f64 / total as f64;
    let mut floor = (ratio * 100.0).floor() / 100.0;
    if floor > ratio {
        floor -= 0.01;
    }
    Some(floor.max(0.0))
}

/// `count / total` rounded up to a hundredth, at most 1: "rounded up a little", so the
/// learned bound holds on the data it was learned from. 0 when `total` is 0.
fn ceil_hundredth(count: usize, total: usize) -> f64 {
    if count == 0 || total == 0 {
        return 0.0;
    }
    let ratio = count as f64 / total as f64;
    let mut ceil = (ratio * 100.0).ceil() / 100.0;
    if ceil < ratio {
        ceil += 0.01;
    }
    ceil.min(1.0)
}

/// `params` with `name: ratio`, left out when the ratio is 0, the parameter's default.
fn with_ratio(mut params: Value, name: &str, ratio: f64) -> Value {
    if ratio != 0.0 {
        params[name] = json!(ratio);
    }
    params
}

/// Tests written as a suite file writes them, with their ids kept unique: the suggestions
/// so far, or the tests imported from a Great Expectations suite ([`crate::gx`]).
#[derive(Default)]
pub(crate) struct Tests {
    pub(crate) list: Vec<Value>,
    ids: HashSet<String>,
}

impl Tests {
    /// Adds `{"id", "kind", …params}`; an id already taken gets `-2`, `-3`, … appended.
    pub(crate) fn push(&mut self, id: &str, kind: &str, params: Value) {
        let mut unique = id.to_owned();
        let mut n = 2;
        while self.ids.contains(&unique) {
            unique = format!("{id}-{n}");
            n += 1;
        }
        self.ids.insert(unique.clone());
        let mut test = Map::new();
        test.insert("id".into(), json!(unique));
        test.insert("kind".into(), json!(kind));
        if let Value::Object(params) = params {
            test.extend(params);
        }
        self.list.push(Value::Object(test));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Report, Status};
    use crate::samples::{self, SAMPLES};
    use crate::suite::from_value;
    use crate::table::{read_csv, LoadOptions};

    fn load(csv: &[u8], file: &str) -> Table {
        read_csv(csv, file, &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn sample(name: &str) -> (&'static samples::Sample, Table) {
        let sample = samples::get(name).unwrap_or_else(|| panic!("no sample {name}"));
        (sample, load(sample.csv, sample.file))
    }

    /// Runs `tests` on `table` as the data suite `{"version": 1, "data": {"source": SOURCE},
    /// "tests": […]}`, which must parse.
    fn run_on(source: &str, table: &Table, tests: &[Value]) -> Report {
        let suite = json!({"version": 1, "data": {"source": source}, "tests": tests});
        let suite = from_value(suite, "suggested.json").unwrap_or_else(|e| panic!("{source}: {e}"));
        crate::run::run(&suite, table)
    }

    /// The tests whose status is not `pass`, as `id: status`.
    fn not_passed(report: &Report) -> Vec<String> {
        report
            .tests
            .iter()
            .filter(|t| t.status != Status::Pass)
            .map(|t| format!("{}: {}", t.id, t.status.label()))
            .collect()
    }

    fn find<'a>(tests: &'a [Value], id: &str) -> &'a Value {
        tests.iter().find(|t| t["id"] == id).unwrap_or_else(|| panic!("no suggestion `{id}`"))
    }

    #[test]
    fn every_suggestion_on_every_sample_parses_and_passes_on_its_data() {
        for sample in SAMPLES {
            let table = load(sample.csv, sample.file);
            let tests = suggest(&table, Some(sample.target), None);
            let ids: HashSet<&str> = tests.iter().filter_map(|t| t["id"].as_str()).collect();
            assert_eq!(ids.len(), tests.len(), "{}: ids are unique", sample.name);
            let report = run_on(&format!("sample:{}", sample.name), &table, &tests);
            assert_eq!(report.tests.len(), tests.len(), "{}", sample.name);
            assert_eq!(not_passed(&report), Vec::<String>::new(), "{}: learned from this data", sample.name);
            assert_eq!(
                suggest(&table, Some(sample.target), None),
                tests,
                "{}: the same every time",
                sample.name
            );
        }
    }

    /// §12: with a reference, drift over `*` and on the target, which run against it; a
    /// reference missing a column gets one test per column both hold instead.
    #[test]
    fn a_reference_brings_drift_tests_that_run_against_it() {
        let ((_, now), (_, then)) = (sample("penguins_2009"), sample("penguins_2007"));
        let names = |table: &Table| -> Vec<String> { table.column_names().map(str::to_owned).collect() };
        let tests = suggest(&now, Some("species"), Some(&names(&then)));
        let drift: Vec<&Value> = tests.iter().filter(|t| t["kind"] == "drift").collect();
        assert_eq!(
            drift,
            [
                &json!({"id": "drift", "kind": "drift", "column": "*"}),
                &json!({"id": "species-drift", "kind": "drift", "column": "species"})
            ]
        );
        let suite = json!({"version": 1, "data": {"source": "sample:penguins_2009"},
            "reference": {"source": "sample:penguins_2007"}, "target": "species", "tests": drift});
        let suite = from_value(suite, "suggested.json").unwrap();
        let report = crate::run::run_with(&suite, &now, Some(&then), false, &mut |_| {}).0;
        let statuses: Vec<&str> = report.tests.iter().map(|t| t.status.label()).collect();
        // 2 of 7 columns drift (flipper length and year): under the 0.5 share; the species hold.
        assert_eq!(statuses, ["PASS", "PASS"]);
        assert_eq!(report.tests[0].drift.len(), 7);

        let narrow = load(b"species,island,year\nAdelie,Dream,2007\nGentoo,Biscoe,2007\n", "narrow.csv");
        let tests = suggest(&now, Some("species"), Some(&names(&narrow)));
        let ids: Vec<&str> =
            tests.iter().filter(|t| t["kind"] == "drift").filter_map(|t| t["id"].as_str()).collect();
        assert_eq!(ids, ["island-drift", "year-drift", "species-drift"]);
        assert!(suggest(&now, None, None).iter().all(|t| t["kind"] != "drift"));
    }

    #[test]
    fn iris_suggestions_are_pinned() {
        let (_, table) = sample("iris");
        let tests = suggest(&table, Some("species"), None);
        let listed: Vec<(&str, &str)> =
            tests.iter().map(|t| (t["id"].as_str().unwrap(), t["kind"].as_str().unwrap())).collect();
        assert_eq!(
            listed,
            [
                ("columns", "columns_present"),
                ("row-count", "row_count_between"),
                ("no-duplicate-rows", "no_duplicate_rows"),
                ("sepal_length-type", "column_type"),
                ("sepal_length-not-null", "not_null"),
                ("sepal_length-range", "values_between"),
                ("sepal_length-not-constant", "not_constant"),
                ("sepal_width-type", "column_type"),
                ("sepal_width-not-null", "not_null"),
                ("sepal_width-range", "values_between"),
                ("sepal_width-not-constant", "not_constant"),
                ("petal_length-type", "column_type"),
                ("petal_length-not-null", "not_null"),
                ("petal_length-range", "values_between"),
                ("petal_length-not-constant", "not_constant"),
                ("petal_width-type", "column_type"),
                ("petal_width-not-null", "not_null"),
                ("petal_width-range", "values_between"),
                ("petal_width-not-constant", "not_constant"),
                ("species-type", "column_type"),
                ("species-not-null", "not_null"),
                ("species-in-set", "values_in_set"),
                ("species-not-constant", "not_constant"),
                ("species-class-balance", "class_balance"),
            ]
        );

        // What was learned. pandas 3.1: iris.sepal_length.min(), .max(); iris.duplicated().sum()
        // is 1 of 150 rows (0.67%); each species is a third.
        assert_eq!(
            find(&tests, "columns")["columns"],
            json!(["sepal_length", "sepal_width", "petal_length", "petal_width", "species"])
        );
        assert_eq!(
            find(&tests, "row-count"),
            &json!({"id": "row-count", "kind": "row_count_between", "min": 135, "max": 165})
        );
        assert_eq!(find(&tests, "no-duplicate-rows")["max_ratio"], json!(0.01));
        assert_eq!(
            find(&tests, "sepal_length-range"),
            &json!({"id": "sepal_length-range", "kind": "values_between", "column": "sepal_length", "min": 4.3, "max": 7.9})
        );
        assert_eq!(find(&tests, "petal_width-type")["type"], "float");
        assert_eq!(
            find(&tests, "petal_width-not-null"),
            &json!({"id": "petal_width-not-null", "kind": "not_null", "column": "petal_width"})
        );
        assert_eq!(find(&tests, "species-in-set")["allowed"], json!(["setosa", "versicolor", "virginica"]));
        assert_eq!(
            find(&tests, "species-class-balance"),
            &json!({"id": "species-class-balance", "kind": "class_balance", "column": "species", "min_minority_ratio": 0.33})
        );
    }

    #[test]
    fn penguins_missing_values_are_allowed_rounded_up() {
        let (_, table) = sample("penguins");
        let tests = suggest(&table, Some("species"), None);
        // 2 of 344 bill lengths are missing (0.58%), 11 of 344 sexes (3.2%).
        assert_eq!(find(&tests, "bill_length_mm-not-null")["max_missing_ratio"], json!(0.01));
        assert_eq!(find(&tests, "sex-not-null")["max_missing_ratio"], json!(0.04));
        assert_eq!(find(&tests, "sex-in-set")["allowed"], json!(["male", "female"]));
        // An int column's bounds are ints: `year` holds 2007 to 2009.
        assert_eq!(
            find(&tests, "year-range"),
            &json!({"id": "year-range", "kind": "values_between", "column": "year", "min": 2007, "max": 2009})
        );
        // Chinstrap: 68 of 344 (19.8%).
        assert_eq!(find(&tests, "species-class-balance")["min_minority_ratio"], json!(0.19));
    }

    #[test]
    fn penguins_suggestions_fail_on_data_that_breaks_them() {
        let (penguins, table) = sample("penguins");
        let tests = suggest(&table, Some("species"), None);
        // Line 2's bill length becomes 99.9 mm (the range learned is 32.1 to 59.6) and line 3's
        // island one never seen; the rest of the file is unchanged.
        let text = std::str::from_utf8(penguins.csv).expect("UTF-8");
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        assert!(lines[1].starts_with("Adelie,Torgersen,39.1,") && lines[2].starts_with("Adelie,Torgersen,"));
        lines[1] = lines[1].replacen("39.1", "99.9", 1);
        lines[2] = lines[2].replacen("Torgersen", "Atlantis", 1);
        let broken = load(lines.join("\n").as_bytes(), "penguins-broken.csv");

        let report = run_on("file", &broken, &tests);
        assert_eq!(not_passed(&report), ["island-in-set: FAIL", "bill_length_mm-range: FAIL"]);
        let failures = |id: &str| {
            let test = report.tests.iter().find(|t| t.id == id).expect("reported");
            let failures = test.failures.as_ref().expect("a row-level test");
            failures.sample.iter().map(|f| (f.line, f.value.clone())).collect::<Vec<_>>()
        };
        assert_eq!(failures("bill_length_mm-range"), [(2, "99.9".to_owned())]);
        assert_eq!(failures("island-in-set"), [(3, "Atlantis".to_owned())]);
    }

    #[test]
    fn ids_are_unique_and_bools_and_infinities_are_learned_as_they_are() {
        let csv =
            "id,score,ok,label,note\n1,0.5,true,a,x1\n2,inf,false,b,x2\n3,1.5,true,a,x3\n4,2.5,true,b,x4\n";
        let table = load(csv.as_bytes(), "t.csv");
        let tests = suggest(&table, Some("ok"), None);
        // All distinct: `id` (int) and `note` (text) look like ids; `score` is a measurement.
        assert_eq!(find(&tests, "id-unique")["kind"], "unique");
        assert_eq!(find(&tests, "note-unique")["kind"], "unique");
        assert!(tests.iter().all(|t| t["id"] != "score-unique" && t["id"] != "label-unique"));
        // An infinity above leaves the range open at the top.
        assert_eq!(
            find(&tests, "score-range"),
            &json!({"id": "score-range", "kind": "values_between", "column": "score", "min": 0.5})
        );
        assert_eq!(find(&tests, "ok-in-set")["allowed"], json!([true, false]));
        assert_eq!(find(&tests, "ok-class-balance")["min_minority_ratio"], json!(0.25));
        assert_eq!(not_passed(&run_on("file", &table, &tests)), Vec::<String>::new());
    }

    #[test]
    fn a_constant_or_all_missing_column_gets_no_test_that_could_not_hold() {
        let table = load(b"k,gone,y\n7,NA,a\n7,NA,a\n7,NA,a\n", "t.csv");
        let tests = suggest(&table, Some("y"), None);
        let ids: Vec<&str> = tests.iter().filter_map(|t| t["id"].as_str()).collect();
        for absent in ["k-not-constant", "gone-not-null", "gone-range", "y-class-balance"] {
            assert!(!ids.contains(&absent), "{absent} in {ids:?}");
        }
        // Three identical rows: two repeat the first (66.7%, rounded up).
        assert_eq!(find(&tests, "no-duplicate-rows")["max_ratio"], json!(0.67));
        assert_eq!(not_passed(&run_on("file", &table, &tests)), Vec::<String>::new());
    }

    #[test]
    fn an_id_already_taken_gets_a_numeric_suffix() {
        let mut tests = Tests::default();
        for column in ["a", "b", "c"] {
            tests.push("a-range", "unique", json!({ "column": column }));
        }
        let ids: Vec<&str> = tests.list.iter().filter_map(|t| t["id"].as_str()).collect();
        assert_eq!(ids, ["a-range", "a-range-2", "a-range-3"]);
    }

    #[test]
    fn ratios_round_outwards_to_a_hundredth() {
        assert_eq!(ceil_hundredth(0, 10), 0.0);
        assert_eq!(ceil_hundredth(1, 0), 0.0);
        assert_eq!(ceil_hundredth(29, 100), 0.29, "exact hundredths stay");
        assert_eq!(ceil_hundredth(199, 200), 1.0);
        assert_eq!(ceil_hundredth(200, 200), 1.0);
        for (count, total) in [(1, 3), (2, 344), (11, 344), (7, 100), (57, 100), (1, 1_000_000)] {
            assert!(ceil_hundredth(count, total) >= count as f64 / total as f64, "{count}/{total}");
        }
    }
}
