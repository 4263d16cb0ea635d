//! Generated data sets for the benchmarks: any number of rows of normal features, a binary
//! label and a regression target, with optional missing cells, from a fixed seed; and, for
//! the drift benchmark, a "current" file whose first two features are measured differently
//! ([`SynthSpec::shift`]).
//!
//! One generator serves the criterion benches (`benches/pipeline.rs`), the native timing run
//! and the files the browser page, PapaParse, ml.js and scikit-learn read (`mltest-bench gen`),
//! so every tool times the same bytes. It draws from [`SplitMix64`], the split's own
//! generator, so a seed gives the same file on every machine and target.
//!
//! ```
//! use mltest::synth::{generate_csv, SynthSpec};
//!
//! let csv = generate_csv(&SynthSpec { rows: 3, ..SynthSpec::default() });
//! let text = String::from_utf8(csv).unwrap();
//! assert!(text.starts_with("x0,x1,x2,x3,x4,x5,x6,x7,x8,x9,label,target\n"));
//! assert_eq!(text.lines().count(), 4);
//! ```

use std::fmt::Write as _;

use crate::pipeline::split::SplitMix64;

/// The name of the binary label column (`yes` / `no`).
pub const LABEL: &str = "label";
/// The name of the regression target column.
pub const TARGET: &str = "target";

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthSpec {
    pub rows: usize,
    /// Numeric features `x0`, `x1`, …, each a standard normal draw.
    pub features: usize,
    /// The chance that a feature cell is left empty (the label and target never are).
    pub missing: f64,
    pub seed: u64,
    /// Drift, as a measurement that changed: the file shows `x0` read `shift` too high (its
    /// mean moves by `shift` standard deviations) and `x1` at `1 + shift` times its scale,
    /// while the label and the target still follow the true values, so only those two
    /// columns drift. 0 writes the true values (the same bytes as before there was a shift).
    pub shift: f64,
}

impl Default for SynthSpec {
    fn default() -> SynthSpec {
        SynthSpec { rows: 100_000, features: 10, missing: 0.0, seed: 2026, shift: 0.0 }
    }
}

/// The features [`SynthSpec::shift`] changes: the first moved, the second scaled.
pub const SHIFTED: [&str; 2] = ["x0", "x1"];

/// The feature weights of the rules behind the label and the target: even features count
/// +1, odd ones −0.5, so every feature matters and a linear model can reach the noise floor.
fn weight(feature: usize) -> f64 {
    if feature.is_multiple_of(2) {
        1.0
    } else {
        -0.5
    }
}

/// The CSV file: a header `x0,…,label,target`, then `spec.rows` rows.
///
/// `label` is `yes` when `w·x + 0.5·noise > 0` (about half the rows, so a model that learns
/// the rule reaches about 0.95 accuracy), `target` is `w·x + 0.5·noise'` with an independent
/// draw.
pub fn generate_csv(spec: &SynthSpec) -> Vec<u8> {
    let mut rng = SplitMix64::new(spec.seed);
    // Blanks come from a generator of their own, so the values left do not depend on `missing`.
    let mut blanks = SplitMix64::new(spec.seed ^ 0x6D69_7373_696E_6721);
    let mut out = String::with_capacity(spec.rows * (spec.features * 8 + 12) + 64);
    for i in 0..spec.features {
        let _ = write!(out, "x{i},");
    }
    out.push_str(LABEL);
    out.push(',');
    out.push_str(TARGET);
    out.push('\n');
    let mut x = vec![0.0; spec.features];
    for _ in 0..spec.rows {
        let mut score = 0.0;
        for (i, value) in x.iter_mut().enumerate() {
            *value = rng.normal();
            score += weight(i) * *value;
        }
        for (i, &value) in x.iter().enumerate() {
            let blank = spec.missing > 0.0 && uniform(&mut blanks) < spec.missing;
            if !blank {
                let _ = write!(out, "{:.4}", measured(i, value, spec.shift));
            }
            out.push(',');
        }
        let label = if score + 0.5 * rng.normal() > 0.0 { "yes" } else { "no" };
        let target = score + 0.5 * rng.normal();
        let _ = writeln!(out, "{label},{target:.4}");
    }
    out.into_bytes()
}

/// The columns of [`write_mixed_csv`]: one of every type a suite reads.
pub const MIXED_COLUMNS: [&str; 12] = [
    "id", "age", "income", "score", "city", "segment", "active", "email", "rating", "amount", "country",
    "label",
];

/// Writes `rows` rows of a data set of every column type (the big-file benchmark's, PRODUCT.md
/// §14) to `out` as CSV, a row at a time, so a file of any size is written in constant
/// memory. About 86 bytes a row (10M rows ≈ 0.86 GB):
///
/// - `id` 1, 2, … (unique); `age` an int in 18..=90, 2% empty; `income` a log-normal float
///   with 2 decimals (median about 22,000), 1% empty; `score` a float in [0, 1) with 6
///   decimals; `rating` an int in 1..=5; `amount` a normal float (mean 100, sd 40) with 3
///   decimals, so about 0.6% are negative;
/// - `city` one of 25 (`city_00`…), `segment` A, B, C or D (40/30/20/10%), `country` one of 8
///   codes, `active` `true`/`false`: categories and a bool;
/// - `email` `user<id>@mail.example.com`, one in 1,000 without its `@` (a text column with a few
///   malformed values);
/// - `label` `yes` when `score` plus noise passes 0.6 (about 40%), else `no`.
pub fn write_mixed_csv(rows: usize, seed: u64, out: &mut impl std::io::Write) -> std::io::Result<()> {
    const COUNTRIES: [&str; 8] = ["FR", "DE", "ES", "IT", "NL", "BE", "PT", "PL"];
    let mut rng = SplitMix64::new(seed);
    writeln!(out, "{}", MIXED_COLUMNS.join(","))?;
    let mut line = String::with_capacity(128);
    for id in 1..=rows as u64 {
        line.clear();
        let _ = write!(line, "{id},");
        if uniform(&mut rng) >= 0.02 {
            let _ = write!(line, "{}", 18 + rng.next_u64() % 73);
        }
        line.push(',');
        let income = (10.0 + 0.6 * rng.normal()).exp();
        if uniform(&mut rng) >= 0.01 {
            let _ = write!(line, "{income:.2}");
        }
        let score = uniform(&mut rng);
        let segment = match uniform(&mut rng) {
            u if u < 0.4 => "A",
            u if u < 0.7 => "B",
            u if u < 0.9 => "C",
            _ => "D",
        };
        let active = rng.next_u64() & 1 == 0;
        let at = if rng.next_u64().is_multiple_of(1000) { "" } else { "@" };
        let _ = write!(
            line,
            ",{score:.6},city_{:02},{segment},{active},user{id}{at}mail.example.com,{},{:.3},{},",
            rng.next_u64() % 25,
            1 + rng.next_u64() % 5,
            100.0 + 40.0 * rng.normal(),
            COUNTRIES[(rng.next_u64() % 8) as usize],
        );
        line.push_str(if score + 0.2 * rng.normal() > 0.6 { "yes" } else { "no" });
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// What the file shows for feature `feature`'s true `value` under [`SynthSpec::shift`]. The
/// label and target are drawn before, from the true values. No shift leaves every value as
/// it is (adding 0.0 would turn a −0.0 into 0.0).
fn measured(feature: usize, value: f64, shift: f64) -> f64 {
    match feature {
        _ if shift == 0.0 => value,
        0 => value + shift,
        1 => value * (1.0 + shift),
        _ => value,
    }
}

/// A uniform draw in [0, 1).
fn uniform(rng: &mut SplitMix64) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{read_csv, ColumnType, LoadOptions};

    fn table(spec: &SynthSpec) -> crate::table::Table {
        read_csv(&generate_csv(spec), "synth.csv", &LoadOptions::default()).unwrap()
    }

    #[test]
    fn the_mixed_file_reads_back_with_a_column_of_every_type() {
        let mut csv = Vec::new();
        write_mixed_csv(5_000, 7, &mut csv).unwrap();
        let t = read_csv(&csv, "mixed.csv", &LoadOptions::default()).unwrap();
        assert_eq!(t.n_rows(), 5_000);
        let types: Vec<(&str, ColumnType)> = t.columns().iter().map(|c| (c.name(), c.ty())).collect();
        use ColumnType::*;
        let expected =
            [Int, Int, Float, Float, Category, Category, Bool, Text, Int, Float, Category, Category];
        assert_eq!(types, MIXED_COLUMNS.iter().copied().zip(expected).collect::<Vec<_>>());
        let missing = |name: &str| t.column(name).unwrap().missing_count();
        assert!((50..150).contains(&missing("age")), "{}", missing("age"));
        assert!((20..80).contains(&missing("income")), "{}", missing("income"));
        let mut again = Vec::new();
        write_mixed_csv(5_000, 7, &mut again).unwrap();
        assert_eq!(csv, again);
    }

    #[test]
    fn the_same_seed_gives_the_same_bytes_and_another_seed_does_not() {
        let spec = SynthSpec { rows: 200, ..SynthSpec::default() };
        assert_eq!(generate_csv(&spec), generate_csv(&spec));
        assert_ne!(generate_csv(&spec), generate_csv(&SynthSpec { seed: 7, ..spec }));
    }

    #[test]
    fn reads_back_as_float_features_a_two_class_label_and_a_float_target() {
        let t = table(&SynthSpec { rows: 2_000, ..SynthSpec::default() });
        assert_eq!(t.n_rows(), 2_000);
        let names: Vec<&str> = t.columns().iter().map(|c| c.name()).collect();
        assert_eq!(names, ["x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "label", "target"]);
        for column in &t.columns()[..10] {
            assert_eq!(column.ty(), ColumnType::Float, "{}", column.name());
            assert_eq!(column.missing_count(), 0);
        }
        assert_eq!(t.columns()[10].ty(), ColumnType::Category);
        assert_eq!(t.columns()[11].ty(), ColumnType::Float);
        // The rule is symmetric around 0: the classes are near balanced.
        let label = &t.columns()[10];
        let yes = (0..t.n_rows()).filter(|&r| label.text(r) == "yes").count();
        assert!((900..1100).contains(&yes), "{yes} yes of 2000");
    }

    #[test]
    fn without_a_shift_the_bytes_are_the_ones_written_before_there_was_one() {
        // SHA-256 of `mltest-bench gen --rows 2000` and `--rows 2000 --missing 0.1 --seed 9`
        // as built before `shift` existed: the benchmark files stay comparable across runs.
        let plain = table(&SynthSpec { rows: 2_000, ..SynthSpec::default() });
        assert_eq!(plain.sha256(), "78c85efdf6cb6fff6b596484d301c356556abd397074b9274638a477ba35fa00");
        let holes = table(&SynthSpec { rows: 2_000, missing: 0.1, seed: 9, ..SynthSpec::default() });
        assert_eq!(holes.sha256(), "9e681570657ff54b0fe4e7b9368ecc028a3e40a0a54bd430f712d6970f8d0be7");
    }

    #[test]
    fn a_shift_moves_x0_and_scales_x1_and_leaves_every_other_column_as_it_was() {
        let spec = SynthSpec { rows: 1_000, missing: 0.05, ..SynthSpec::default() };
        let (plain, shifted) = (table(&spec), table(&SynthSpec { shift: 0.5, ..spec }));
        let names: Vec<&str> = plain.columns()[..2].iter().map(|c| c.name()).collect();
        assert_eq!(names, SHIFTED);
        for (column, moved) in plain.columns().iter().zip(shifted.columns()) {
            for row in 0..1_000 {
                assert_eq!(column.is_missing(row), moved.is_missing(row), "{} row {row}", column.name());
                let (Some(before), Some(after)) = (column.number(row), moved.number(row)) else {
                    assert_eq!(column.text(row), moved.text(row), "{} row {row}", column.name());
                    continue;
                };
                // The file keeps four decimals of the true value and of the measured one.
                let expected = match column.name() {
                    "x0" => before + 0.5,
                    "x1" => before * 1.5,
                    _ => {
                        assert_eq!(after, before, "{} row {row}", column.name());
                        continue;
                    }
                };
                assert!(
                    (after - expected).abs() <= 1.5e-4,
                    "{} row {row}: {after} vs {expected}",
                    column.name()
                );
            }
        }
    }

    #[test]
    fn missing_cells_are_features_only_at_about_the_asked_rate() {
        let t = table(&SynthSpec { rows: 5_000, missing: 0.1, ..SynthSpec::default() });
        let features: usize = t.columns()[..10].iter().map(|c| c.missing_count()).sum();
        let rate = features as f64 / 50_000.0;
        assert!((0.09..0.11).contains(&rate), "rate {rate}");
        assert_eq!(t.columns()[10].missing_count() + t.columns()[11].missing_count(), 0);
        // The cells left are the ones the full file has.
        let full = table(&SynthSpec { rows: 5_000, ..SynthSpec::default() });
        for (column, complete) in t.columns().iter().zip(full.columns()) {
            for row in (0..5_000).filter(|&r| !column.is_missing(r)) {
                assert_eq!(column.number(row), complete.number(row), "{} row {row}", column.name());
            }
        }
    }
}
