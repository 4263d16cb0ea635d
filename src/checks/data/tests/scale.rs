//! Work linear in the input: parameter lists and columns of 100,000 entries that once took
//! seconds (a list searched once per cell, every pair of names compared).

use std::time::{Duration, Instant};

use super::*;

/// Generous: each input below took 11 to 34 s in a release build before, and takes tens of
/// milliseconds in a debug one now.
const SLOW: Duration = Duration::from_secs(10);

fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i:06}")).collect()
}

#[test]
fn regression_values_in_set_with_100k_values_outside_the_set() {
    // Every failing value was searched for in the list of unexpected ones seen so far: 12 s.
    let mut csv = String::from("v\n");
    for id in ids("u", 100_000) {
        csv.push_str(&id);
        csv.push('\n');
    }
    let t = table(&csv);
    let start = Instant::now();
    let ran = run(&t, &check("values_in_set", json!({"column": "v", "allowed": ["a", "b"]})));
    assert!(start.elapsed() < SLOW, "{:?}", start.elapsed());
    assert_eq!(ran.failure_count(), 100_000);
    assert!(
        ran.eval.message.ends_with(
            "; unexpected: `u000000` (1), `u000001` (1), `u000002` (1), `u000003` (1), `u000004` (1)"
        ),
        "{}",
        ran.eval.message
    );
}

#[test]
fn regression_values_in_set_with_100k_allowed_values() {
    // Every cell was compared with every allowed value: 34 s.
    let allowed = ids("a", 100_000);
    let mut csv = String::from("v,n\n");
    for (i, id) in allowed.iter().enumerate().rev() {
        csv.push_str(&format!("{id},{i}\n"));
    }
    csv.push_str("zzz,-0\n");
    let t = table(&csv);
    let numbers: Vec<f64> = (0..100_000).map(|i| i as f64).collect();
    let start = Instant::now();
    let texts = run(&t, &check("values_in_set", json!({"column": "v", "allowed": allowed})));
    let nums = run(&t, &check("values_in_set", json!({"column": "n", "allowed": numbers})));
    assert!(start.elapsed() < SLOW, "{:?}", start.elapsed());
    assert_eq!(texts.failure_count(), 1);
    assert_eq!(texts.failing_lines(), [100_002]);
    // -0 is the allowed 0.
    assert!(nums.eval.passed, "{}", nums.eval.message);
}

#[test]
fn regression_columns_present_with_100k_names() {
    // Its duplicate check compared every pair of names when the suite was read (11 s, on every
    // page load of a saved suite), and `exact` and `ordered` searched one list per name.
    let names = ids("c", 100_000);
    let start = Instant::now();
    let listed = check("columns_present", json!({"columns": names, "exact": true, "ordered": true}));
    // The widest header the loader takes: every listed name past it is missing.
    let present = &names[..crate::table::MAX_COLUMNS];
    let t = table(&format!("{}\n{}\n", present.join(","), vec!["1"; present.len()].join(",")));
    let ran = run(&t, &listed);
    assert!(start.elapsed() < SLOW, "{:?}", start.elapsed());
    assert!(!ran.eval.passed, "{}", ran.eval.message);
    // The message names ten and counts the rest.
    let rest = names.len() - present.len() - 10;
    assert!(
        ran.eval.message.ends_with(&format!("and {rest} more are not in the header")),
        "{}",
        ran.eval.message
    );

    let mut twice = names.clone();
    twice.push("c050000".into());
    let err = Check::from_params("columns_present", json!({"columns": twice}))
        .expect("a known kind")
        .expect("parameters read")
        .validate()
        .expect_err("a name listed twice");
    assert_eq!((err.field, err.message.as_str()), ("columns", "`c050000` is listed twice"));
}

#[test]
fn a_column_listed_twice_is_refused_by_every_kind_that_lists_columns() {
    // One column listed 100,000 times in a small suite made a test compare every row that
    // many times.
    for (kind, field, params) in [
        ("no_duplicate_rows", "columns", json!({"columns": ["a", "b", "a"]})),
        ("no_conflicting_labels", "features", json!({"features": ["a", "b", "a"]})),
        ("no_target_leakage", "features", json!({"features": ["a", "b", "a"], "max_score": 0.9})),
    ] {
        let err = Check::from_params(kind, params)
            .expect("a known kind")
            .expect("parameters read")
            .validate()
            .expect_err("a name listed twice");
        assert_eq!((err.field, err.message.as_str()), (field, "`a` is listed twice"), "{kind}");
    }
}

#[test]
fn features_of_the_suite_listed_twice_are_read_once() {
    let t = table("a,b,y\n1,x,p\n1,x,q\n2,y,p\n");
    let features: Vec<String> = vec!["a".into(), "b".into(), "a".into()];
    let ctx = Context { features: Some(&features), ..with_target(&t, "y") };
    let ran = run_in(&ctx, &check("no_conflicting_labels", json!({"max_ratio": 1})));
    assert_eq!(ran.failure_count(), 2);
    let selected = ran.steps.iter().filter(|s| s.action == "select_column(a)").count();
    assert_eq!(selected, 1);
}
