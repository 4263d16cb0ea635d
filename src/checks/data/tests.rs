use super::*;

use serde_json::{json, Value};

use crate::checks::{Check, Evaluation};
use crate::report::{Step, Variable, FAILURE_SAMPLE};
use crate::table::{read_csv, LoadOptions, Table};
use crate::vocab::Task;

// ---------------------------------------------------------------------------------------
// Helpers: tables come from the real CSV reader, tests from their suite-file parameters.

const PENGUINS: &[u8] = include_bytes!("../../../static/data/penguins.csv");
const IRIS: &[u8] = include_bytes!("../../../static/data/iris.csv");

/// Floats from pandas are compared to this absolute tolerance.
const TOL: f64 = 1e-12;

fn table(csv: &str) -> Table {
    read_csv(csv.as_bytes(), "t.csv", &LoadOptions::default()).expect("test CSV reads")
}

fn penguins() -> Table {
    read_csv(PENGUINS, "penguins.csv", &LoadOptions::default()).unwrap()
}

fn iris() -> Table {
    read_csv(IRIS, "iris.csv", &LoadOptions::default()).unwrap()
}

/// A test as the suite file writes it: its kind and parameters, read and validated.
fn check(kind: &str, params: Value) -> Check {
    let check = Check::from_params(kind, params).expect("a known kind").expect("parameters read");
    check.validate().expect("parameters valid");
    check
}

/// What a run left behind: the evaluation, the execution table and the tracked variables.
struct Ran {
    eval: Evaluation,
    steps: Vec<Step>,
    vars: Vec<Variable>,
}

impl Ran {
    fn last_step(&self) -> &Step {
        self.steps.last().expect("at least one step")
    }

    /// A tracked variable's value after the last step.
    fn var(&self, name: &str) -> Option<&str> {
        let var = self.vars.iter().find(|v| v.name == name)?;
        var.values.last()?.as_deref()
    }

    fn observed(&self) -> f64 {
        self.eval.observed.as_f64().expect("a numeric observed value")
    }

    fn failing_lines(&self) -> Vec<u64> {
        let failures = self.eval.failures.as_ref().expect("a row-level test");
        failures.sample.iter().map(|c| c.line).collect()
    }

    fn failure_count(&self) -> usize {
        self.eval.failures.as_ref().expect("a row-level test").count
    }
}

fn run_in(ctx: &Context<'_>, check: &Check) -> Ran {
    let mut trace = Trace::default();
    let eval = check.run(ctx, &mut trace).expect("the test can be evaluated");
    let (steps, vars) = trace.finish();
    Ran { eval, steps, vars }
}

fn run(table: &Table, check: &Check) -> Ran {
    run_in(&Context::new(table), check)
}

fn run_err_in(ctx: &Context<'_>, check: &Check) -> (String, Vec<Step>) {
    let mut trace = Trace::default();
    let err = check.run(ctx, &mut trace).expect_err("the test cannot be evaluated");
    (err, trace.finish().0)
}

fn run_err(table: &Table, check: &Check) -> String {
    run_err_in(&Context::new(table), check).0
}

fn with_target<'a>(table: &'a Table, target: &'a str) -> Context<'a> {
    Context { target: Some(target), ..Context::new(table) }
}

fn assert_close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() <= TOL, "{actual} is not {expected} within {TOL}");
}

fn assert_asserts(ran: &Ran, action: &str, evaluation: &str, result: &str) {
    let last = ran.last_step();
    assert_eq!(last.action, format!("assert {action}"), "{:?}", ran.steps);
    assert_eq!(last.evaluation, evaluation, "{:?}", ran.steps);
    assert_eq!(last.result, result, "{:?}", ran.steps);
    assert_eq!(last.step, ran.steps.len());
}

// ---------------------------------------------------------------------------------------
// Errors shared by the kinds that read a column

#[test]
fn missing_column_is_an_error_naming_the_column_and_the_file() {
    let t = table("a,b\n1,x\n2,y\n");
    let (err, steps) =
        run_err_in(&Context::new(&t), &check("values_between", json!({"column": "zz", "min": 0})));
    assert!(err.contains("`zz`"), "{err}");
    assert!(err.contains("t.csv"), "{err}");
    assert!(err.contains("`a`, `b`"), "lists the columns there: {err}");
    assert_eq!(steps.last().unwrap().action, "select_column(zz)");
    assert_eq!(steps.last().unwrap().result, "ERROR");
}

#[test]
fn a_misspelt_column_gets_the_closest_column_of_the_data_suggested() {
    let t = iris();
    let err = run_err(&t, &check("values_between", json!({"column": "sepal_lenght", "min": 0})));
    assert!(
        err.starts_with("column `sepal_lenght` is not in iris.csv; did you mean `sepal_length`? (columns: "),
        "{err}"
    );
    // Nothing close: the list alone.
    let err = run_err(&t, &check("values_between", json!({"column": "weight", "min": 0})));
    assert!(err.starts_with("column `weight` is not in iris.csv (columns: "), "{err}");
}

#[test]
fn every_column_reading_kind_errors_on_a_missing_column() {
    let t = table("a,y\n1,x\n2,y\n3,x\n4,y\n");
    let checks = [
        check("not_null", json!({"column": "zz"})),
        check("column_type", json!({"column": "zz", "type": "int"})),
        check("values_in_set", json!({"column": "zz", "allowed": [1]})),
        check("unique", json!({"column": "zz"})),
        check("no_duplicate_rows", json!({"columns": ["a", "zz"]})),
        check("matches_regex", json!({"column": "zz", "pattern": "x"})),
        check("column_stat_between", json!({"column": "zz", "stat": "mean", "min": 0})),
        check("not_constant", json!({"column": "zz"})),
        check("class_balance", json!({"column": "zz", "min_minority_ratio": 0.1})),
        check("no_conflicting_labels", json!({"column": "zz"})),
        check("no_target_leakage", json!({"column": "y", "features": ["zz"], "max_score": 0.9})),
    ];
    for c in &checks {
        let err = run_err(&t, c);
        assert!(err.contains("`zz`") && err.contains("t.csv"), "{}: {err}", c.kind());
    }
}

// ---------------------------------------------------------------------------------------
// Failure counts

#[test]
fn row_level_kinds_count_their_failing_rows_whatever_the_status() {
    // Every test below passes within its tolerance, and still counts each row that fails its
    // condition, as Great Expectations' `unexpected_count` does. A passing `not_null` with
    // `max_missing_ratio` once reported 0.
    let t = table("id,x,s,y\n1,5,ab,p\n2,,ab,p\n2,50,cd,q\n4,7,??,p\n5,8,ef,p\n5,8,ef,p\n");
    let ctx = with_target(&t, "y");
    for (kind, params, failing) in [
        ("not_null", json!({"column": "x", "max_missing_ratio": 0.5}), 1),
        ("not_null", json!({"column": "*", "max_missing_ratio": 0.5}), 1),
        ("values_between", json!({"column": "x", "min": 0, "max": 10, "mostly": 0.5}), 1),
        ("values_in_set", json!({"column": "s", "allowed": ["ab", "cd", "ef"], "mostly": 0.5}), 1),
        ("unique", json!({"column": "id", "mostly": 0.1}), 4),
        ("matches_regex", json!({"column": "s", "pattern": "^[a-z]+$", "mostly": 0.5}), 1),
        ("no_duplicate_rows", json!({"max_ratio": 0.5}), 1),
        ("no_conflicting_labels", json!({"features": ["id"], "max_ratio": 0.5}), 2),
        // A column passes `column_type` only when every value reads as the type: none fails.
        ("column_type", json!({"column": "id", "type": "float"}), 0),
    ] {
        let ran = run_in(&ctx, &check(kind, params.clone()));
        assert!(ran.eval.passed, "{kind} {params}: {}", ran.eval.message);
        assert_eq!(ran.failure_count(), failing, "{kind} {params}");
        assert_eq!(ran.failing_lines().len(), failing, "{kind} {params}");
    }
}

#[test]
fn not_null_star_lists_the_columns_over_the_limit_first_and_counts_every_missing_cell() {
    let t = table("a,b\n,1\n2,\n3,\n4,5\n");
    let ran = run(&t, &check("not_null", json!({"column": "*", "max_missing_ratio": 0.25})));
    assert!(!ran.eval.passed);
    // `b` (2 of 4) is over the limit, `a` (1 of 4) within it: all three cells count.
    assert_eq!(ran.failure_count(), 3);
    assert_eq!(ran.failing_lines(), [3, 4, 2]);
}

mod columns;
mod drift;
mod equality;
mod labels;
mod leakage;
mod rows;
mod scale;
mod stats;
mod values;

// ---------------------------------------------------------------------------------------
// Gathering a suite's aggregates

/// Each test run against a recorder stops at its first aggregate, which is recorded; a test
/// that asks none records nothing, and one that reads rows of its own (leakage, drift) finds
/// none and ends.
#[test]
fn the_first_asks_are_each_tests_first_aggregate() {
    let data = penguins();
    let checks = [
        check("values_between", json!({ "column": "bill_length_mm", "min": 35 })),
        check("no_target_leakage", json!({ "max_score": 0.9 })),
        check("values_in_set", json!({ "column": "island", "allowed": ["Biscoe", "Dream"] })),
        check("drift", json!({ "column": "*" })),
        check("column_stat_between", json!({ "column": "body_mass_g", "stat": "median", "min": 1 })),
        check("column_stat_between", json!({ "column": "body_mass_g", "stat": "mean", "min": 1 })),
        check("not_constant", json!({ "column": "*" })),
        check("not_null", json!({ "column": "*" })),
        check("no_duplicate_rows", json!({})),
    ];
    let asks = first_asks(&checks, &with_target(&data, "species"));
    let bounds = Bounds::new(Some(35.0), None, false, false);
    let median = StatOf::Quantile(0.5, crate::table::stats::Interpolation::Linear);
    let all: Vec<String> = Facts::column_names(&data).iter().map(|c| c.to_string()).collect();
    assert_eq!(
        asks,
        vec![
            Ask::Cells { column: "bill_length_mm".into(), rule: CellRule::Outside(bounds) },
            Ask::Cells {
                column: "island".into(),
                rule: CellRule::NotIn(vec!["Biscoe".into(), "Dream".into()])
            },
            Ask::Stat { column: "body_mass_g".into(), stat: median },
            Ask::Stat { column: "body_mass_g".into(), stat: StatOf::Mean },
            // `not_constant`'s few values (FEW in stats.rs).
            Ask::Distinct { columns: all.clone(), at_most: Some(50) },
            // The rows' hashes that repeat.
            Ask::DuplicateRows { columns: all },
        ]
    );
    // One scan for those, one for the missing cells `not_null` finds in penguins; leakage
    // reads its sample, and drift without a reference reads nothing.
    assert_eq!(first_scans(&checks, &with_target(&data, "species")), 2);
    assert_eq!(first_scans(&checks[..2], &with_target(&data, "species")), 1);
    assert_eq!(first_scans(&checks[1..2], &with_target(&data, "species")), 0);
}
