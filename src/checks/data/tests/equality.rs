//! Equality by value: `unique`, `not_constant`, `no_duplicate_rows` and the profile's distinct
//! counts against a `HashSet` of the values, on generated columns, and the inputs that once
//! made them take different values for one (their hashes collided).

use std::collections::{HashMap, HashSet};

use super::*;
use crate::table::profile;
use crate::table::rows::RowGroups;
use crate::table::Column;

/// SplitMix64 with a fixed seed, so every run tests the same columns.
use crate::pipeline::fixtures::TestRng as Rng;

/// A generated column: its CSV cells ("" is missing) and each cell's value as the truth sees
/// it (`None` when missing): ints and texts as written, floats by value.
struct Generated {
    name: &'static str,
    cells: Vec<String>,
    values: Vec<Option<String>>,
}

fn generate(name: &'static str, rows: usize, rng: &mut Rng) -> Generated {
    let mut cells = Vec::with_capacity(rows);
    let mut values = Vec::with_capacity(rows);
    for i in 0..rows {
        if rng.below(20) == 0 {
            cells.push(String::new());
            values.push(None);
            continue;
        }
        let (cell, value) = match name {
            "int_random" => {
                let x = rng.below(60) as i64 - 30;
                (x.to_string(), x.to_string())
            }
            "int_sequential" => {
                // Mostly each row its own number, now and then an earlier one again.
                let x = if rng.below(50) == 0 { rng.below(i as u64 + 1) } else { i as u64 } + 1_000_000;
                (x.to_string(), x.to_string())
            }
            "float_random" => {
                // Quarters from -5 to 5, with -0.0 written beside 0.0: one value.
                let x = rng.below(41) as f64 * 0.25 - 5.0;
                let cell = if x == 0.0 && rng.below(2) == 0 { "-0.0".to_owned() } else { format!("{x:?}") };
                (cell, format!("{:?}", x + 0.0))
            }
            "text_random" => {
                let len = 1 + rng.below(3) as usize;
                let s: String = (0..len).map(|_| (b'a' + rng.below(3) as u8) as char).collect();
                (s.clone(), s)
            }
            "text_sequential" => {
                let n = if rng.below(50) == 0 { rng.below(i as u64 + 1) } else { i as u64 };
                let s = format!("usr-{n:07}");
                (s.clone(), s)
            }
            other => unreachable!("no generator for {other}"),
        };
        cells.push(cell);
        values.push(Some(value));
    }
    Generated { name, cells, values }
}

const KINDS: [&str; 5] = ["int_random", "int_sequential", "float_random", "text_random", "text_sequential"];

fn csv_of(columns: &[Generated]) -> String {
    let rows = columns[0].cells.len();
    let mut csv = columns.iter().map(|c| c.name).collect::<Vec<_>>().join(",");
    csv.push('\n');
    for row in 0..rows {
        let cells: Vec<&str> = columns.iter().map(|c| c.cells[row].as_str()).collect();
        csv.push_str(&cells.join(","));
        csv.push('\n');
    }
    csv
}

#[test]
fn unique_not_constant_duplicates_and_profile_agree_with_a_hash_set() {
    let mut rng = Rng::new(0x6d6c_7465_7374);
    for round in 0..12 {
        let rows = [1, 2, 3, 50, 400, 2_000][round % 6];
        let columns: Vec<Generated> = KINDS.iter().map(|kind| generate(kind, rows, &mut rng)).collect();
        let t = table(&csv_of(&columns));
        let profiles = profile(&t);
        for (g, p) in columns.iter().zip(&profiles) {
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for value in g.values.iter().flatten() {
                *counts.entry(value.as_str()).or_default() += 1;
            }
            let distinct = counts.len();
            let repeated_rows: usize = counts.values().filter(|&&n| n > 1).sum();
            let what = format!("round {round}, {} ({} column)", g.name, p.ty);

            assert_eq!(p.distinct, distinct, "profile: {what}");
            let unique = run(&t, &check("unique", json!({"column": g.name})));
            assert_eq!(unique.failure_count(), repeated_rows, "unique: {what}");
            let not_constant = run(&t, &check("not_constant", json!({"column": g.name})));
            assert_eq!(not_constant.eval.observed, json!(distinct), "not_constant: {what}");
            assert_eq!(not_constant.eval.passed, distinct >= 2, "not_constant: {what}");
            // Missing cells are one value to `no_duplicate_rows`.
            let with_missing: HashSet<&Option<String>> = g.values.iter().collect();
            let duplicates = run(&t, &check("no_duplicate_rows", json!({"columns": [g.name]})));
            assert_eq!(duplicates.failure_count(), rows - with_missing.len(), "no_duplicate_rows: {what}");
        }
        let whole_rows: HashSet<Vec<&Option<String>>> =
            (0..rows).map(|row| columns.iter().map(|c| &c.values[row]).collect()).collect();
        let duplicates = run(&t, &check("no_duplicate_rows", json!({})));
        assert_eq!(duplicates.failure_count(), rows - whole_rows.len(), "round {round}: whole rows");
    }
}

#[test]
fn regression_two_ids_whose_hashes_collided_are_two_values() {
    // The hash used before gave both ids one hash: `unique` said "2 of 2 values in `id` are
    // repeated" and `not_constant` that `id` "holds only `usr-0000400`".
    let t = table("id\nusr-0000400\nusr-0008900\n");
    let unique = run(&t, &check("unique", json!({"column": "id"})));
    assert!(unique.eval.passed, "{}", unique.eval.message);
    assert_eq!(unique.eval.message, "all 2 values in `id` are unique");
    let not_constant = run(&t, &check("not_constant", json!({"column": "id"})));
    assert!(not_constant.eval.passed, "{}", not_constant.eval.message);
    assert_eq!(not_constant.eval.message, "`id` holds 2 distinct values");
    assert!(run(&t, &check("no_duplicate_rows", json!({}))).eval.passed);
    assert_eq!(profile(&t)[0].distinct, 2);
}

#[test]
fn regression_unique_flags_exactly_the_true_repeats_among_100k_ids() {
    // 100,000 ids usr-0000000 … usr-0099999 in a scrambled order, and five of them again at
    // known rows: 3,205 rows were flagged before, the truth is those five and their originals.
    let mut rng = Rng::new(11);
    let mut ids: Vec<u64> = (0..100_000).collect();
    for i in (1..ids.len()).rev() {
        ids.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let repeats = [(17_000, 3), (40_001, 99_999), (65_432, 12_345), (80_000, 79_999), (99_990, 0)];
    let mut rows: Vec<u64> = ids.clone();
    for &(at, of) in repeats.iter().rev() {
        rows.insert(at, ids[of]);
    }
    // The truth: every row whose id another row holds too.
    let mut count: HashMap<u64, usize> = HashMap::new();
    for &id in &rows {
        *count.entry(id).or_default() += 1;
    }
    let lines: Vec<u64> = (0..rows.len()).filter(|&r| count[&rows[r]] > 1).map(|r| r as u64 + 2).collect();
    assert_eq!(lines.len(), 10);
    let mut csv = String::from("id\n");
    for id in &rows {
        csv.push_str(&format!("usr-{id:07}\n"));
    }
    let t = table(&csv);
    let unique = run(&t, &check("unique", json!({"column": "id"})));
    assert_eq!(unique.failure_count(), 10, "{}", unique.eval.message);
    assert_eq!(unique.failing_lines(), lines);
    let duplicates = run(&t, &check("no_duplicate_rows", json!({})));
    assert_eq!(duplicates.failure_count(), 5);
    assert_eq!(profile(&t)[0].distinct, 100_000);
    assert_eq!(run(&t, &check("not_constant", json!({"column": "id"}))).eval.observed, json!(100_000));
}

/// The hash `rows` used before (FxHash's fold with murmur3's finish, unseeded) of a string, as
/// a table cell hashed it: to craft the values that collided under it.
fn former_hash(s: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let add = |state: u64, word: u64| (state.rotate_left(5) ^ word).wrapping_mul(K);
    let mut state = 0;
    let mut chunks = s.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        state = add(state, u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0; 8];
        word[..rest.len()].copy_from_slice(rest);
        word[7] = rest.len() as u8;
        state = add(state, u64::from_le_bytes(word));
    }
    // `str`'s Hash ends with a 0xff byte.
    state = add(state, 0xff);
    let mut h = state;
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// `n` different 16-character texts that all had one hash: the first 8 bytes free, the last 8
/// chosen to cancel them in the fold (kept when they are printable and CSV-plain).
fn crafted_collisions(n: usize) -> Vec<String> {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let plain = |b: u8| b.is_ascii_graphic() && b != b',' && b != b'"';
    let first_word = |i: u64| -> [u8; 8] {
        let mut w = *b"crafted-";
        let mut i = i;
        for byte in w.iter_mut().rev().take(5) {
            *byte = b'0' + (i % 75) as u8;
            i /= 75;
        }
        w
    };
    let target =
        (u64::from_le_bytes(first_word(0)).wrapping_mul(K)).rotate_left(5) ^ u64::from_le_bytes(*b"ZZZZZZZZ");
    let mut found = Vec::with_capacity(n);
    let mut i = 0u64;
    while found.len() < n {
        let w1 = first_word(i);
        i += 1;
        if !w1.iter().all(|&b| plain(b)) {
            continue;
        }
        let w2 = (target ^ u64::from_le_bytes(w1).wrapping_mul(K).rotate_left(5)).to_le_bytes();
        if w2.iter().all(|&b| plain(b)) {
            let mut bytes = w1.to_vec();
            bytes.extend_from_slice(&w2);
            found.push(String::from_utf8(bytes).expect("ASCII"));
        }
    }
    found
}

#[test]
fn regression_crafted_collisions_cost_no_extra_comparisons() {
    // Texts crafted to share one hash under the fixed hash used before: every lookup walked a
    // chain of all the earlier ones (20,000 such values made `no_duplicate_rows` take 2.8 s
    // instead of 3 ms). Under the seeded hash they are ordinary values: grouping them compares
    // rows only to confirm real repeats.
    let values = crafted_collisions(2_000);
    let former: HashSet<u64> = values.iter().map(|v| former_hash(v)).collect();
    assert_eq!(former.len(), 1, "the crafted values all had one hash");
    assert_eq!(values.iter().collect::<HashSet<_>>().len(), values.len());
    let mut csv = String::from("v\n");
    for v in values.iter().chain(&values[..3]) {
        csv.push_str(v);
        csv.push('\n');
    }
    let t = table(&csv);
    let columns: Vec<&Column> = t.columns().iter().collect();
    let groups = RowGroups::of(&columns, 0..t.n_rows());
    assert_eq!(groups.distinct(), 2_000);
    // One comparison per repeat; a chance collision of two 64-bit hashes among 2,003 rows
    // (odds about 1 in 10¹³) would add one.
    assert!(groups.comparisons() <= 4, "{} comparisons", groups.comparisons());
    let duplicates = run(&t, &check("no_duplicate_rows", json!({})));
    assert_eq!(duplicates.failure_count(), 3);
    let unique = run(&t, &check("unique", json!({"column": "v"})));
    assert_eq!(unique.failure_count(), 6);
}
