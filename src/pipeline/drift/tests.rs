//! Every drift statistic pinned to Evidently 0.7.23 on SciPy 1.17.1, numpy 2.4.6 and
//! pandas 2.3.3. The expected values come from `/work/notes/drift/expected.py`, which calls,
//! for a reference `r` and current `c` as `pandas.Series`:
//!
//! - `ks_stat_test(r, c, ColumnType.Numerical, None).drift_score` and
//!   `scipy.stats.ks_2samp(r, c)` for D;
//! - `chi_stat_test(r, c, ColumnType.Categorical, None).drift_score` and
//!   `scipy.stats.chisquare(f_obs, f_exp)` with Evidently's f_exp for the statistic;
//! - `z_stat_test(...)` and its `proportions_diff_z_stat_ind` for z;
//! - `wasserstein_stat_test`, `jensenshannon_stat_test`, `psi_stat_test` (`.drift_score`);
//! - `get_stattest(r, c, column_type, None).name` for `auto`
//!
//! (all from `evidently.legacy.calculations.stattests`). Generated samples use the same
//! generator on both sides ([`Rng`]: splitmix64, a normal as the sum of twelve uniforms
//! minus 6), whose arithmetic is exact and identical in Python and Rust.

use super::*;
use crate::samples;
use crate::table::{read_csv, LoadOptions, Table};

/// splitmix64 (`pipeline::fixtures::TestRng`); its Python twin in expected.py produces the same bits.
use crate::pipeline::fixtures::TestRng as Rng;

/// `normals(seed, n, mean, sd, tenths)` of expected.py: tenths rounds down to 0.1 (ties).
fn normals(seed: u64, n: usize, mean: f64, sd: f64, tenths: bool) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let x = mean + sd * rng.normal();
            if tenths {
                (x * 10.0).floor() / 10.0
            } else {
                x
            }
        })
        .collect()
}

/// `ints(seed, n, hi)` of expected.py: uniform integers in 0..hi.
fn ints(seed: u64, n: usize, hi: u64) -> Vec<u64> {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| rng.below(hi)).collect()
}

/// Within 1e-9 relative, or 1e-12 absolute (p-values near 0), or equal (0, ∞, NaN).
#[track_caller]
fn assert_close(actual: f64, expected: f64, what: &str) {
    let ok = actual == expected
        || (actual.is_nan() && expected.is_nan())
        || (actual - expected).abs() <= 1e-9 * expected.abs()
        || (actual - expected).abs() <= 1e-12;
    assert!(ok, "{what}: got {actual:e}, Evidently/SciPy give {expected:e}");
}

/// The values expected for a numeric pair.
struct Numeric {
    d: f64,
    p: f64,
    wasserstein: f64,
    js: f64,
    psi: f64,
    auto: DriftMethod,
}

#[track_caller]
fn check_numeric(name: &str, r: Sample, c: Sample, e: Numeric) {
    let (Sample::Numeric(rv) | Sample::Integer(rv)) = r else { panic!("numeric") };
    let (Sample::Numeric(cv) | Sample::Integer(cv)) = c else { panic!("numeric") };
    let ks = ks(rv, cv).unwrap();
    assert_close(ks.statistic, e.d, &format!("{name}: KS D"));
    assert_close(ks.p_value, e.p, &format!("{name}: KS p"));
    assert_close(wasserstein(rv, cv).unwrap(), e.wasserstein, &format!("{name}: wasserstein"));
    assert_close(jensen_shannon(r, c).unwrap(), e.js, &format!("{name}: jensen_shannon"));
    assert_close(psi(r, c).unwrap(), e.psi, &format!("{name}: psi"));
    assert_eq!(auto(r, c).unwrap(), e.auto, "{name}: auto");
    // drift() gives the same numbers and Evidently's decision.
    let result = drift(DriftMethod::Ks, r, c, None).unwrap();
    assert_eq!((result.score, result.drifted, result.threshold), (ks.p_value, ks.p_value <= 0.05, 0.05));
    let result = drift(DriftMethod::Psi, r, c, None).unwrap();
    assert_eq!((result.p_value, result.drifted), (None, result.score >= 0.1));
}

/// The values expected for a pair under the categorical methods.
struct Categorical {
    chi2: f64,
    chi2_p: f64,
    z: f64,
    z_p: f64,
    js: f64,
    psi: f64,
    auto: DriftMethod,
}

#[track_caller]
fn check_categorical(name: &str, r: Sample, c: Sample, e: Categorical) {
    let t = chi2(r, c).unwrap();
    assert_close(t.statistic, e.chi2, &format!("{name}: chi² statistic"));
    assert_close(t.p_value, e.chi2_p, &format!("{name}: chi² p"));
    let t = z(r, c).unwrap();
    assert_close(t.statistic, e.z, &format!("{name}: z statistic"));
    assert_close(t.p_value, e.z_p, &format!("{name}: z p"));
    assert_close(jensen_shannon(r, c).unwrap(), e.js, &format!("{name}: jensen_shannon"));
    assert_close(psi(r, c).unwrap(), e.psi, &format!("{name}: psi"));
    assert_eq!(auto(r, c).unwrap(), e.auto, "{name}: auto");
}

fn table(name: &str) -> Table {
    let s = samples::get(name).unwrap();
    read_csv(s.csv, s.file, &LoadOptions::default()).unwrap()
}

/// The non-missing numbers of a column in rows `rows`.
fn numbers_in(t: &Table, column: &str, rows: std::ops::Range<usize>) -> Vec<f64> {
    let column = t.column(column).unwrap();
    rows.filter_map(|row| column.number(row)).collect()
}

/// The non-missing labels of a column in rows `rows`.
fn labels_in(t: &Table, column: &str, rows: std::ops::Range<usize>) -> Vec<String> {
    let column = t.column(column).unwrap();
    rows.filter(|&row| !column.is_missing(row)).map(|row| column.text(row).into_owned()).collect()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn small_shifted_normals_use_the_exact_ks_distribution() {
    // 30 vs 40: gcd 10, the "inside" lattice recursion.
    let (r, c) = (normals(1, 30, 0.0, 1.0, false), normals(2, 40, 0.5, 1.0, false));
    let e = Numeric {
        d: 0.375,
        p: 0.012260660144509307,
        wasserstein: 0.6740840287986273,
        js: 0.28972340753118664,
        psi: 1.0287458397718745,
        auto: DriftMethod::Ks,
    };
    check_numeric("30 vs 40", Sample::Numeric(&r), Sample::Numeric(&c), e);
    assert!(ks(&r, &c).unwrap().exact);
}

#[test]
fn equal_sizes_use_the_alternating_series() {
    let (r, c) = (normals(3, 40, 0.0, 1.0, false), normals(4, 40, 0.8, 1.0, false));
    let e = Numeric {
        d: 0.45,
        p: 0.0005039436209702519,
        wasserstein: 0.9325289267406167,
        js: 0.3272036263396266,
        psi: 1.2237430757576815,
        auto: DriftMethod::Ks,
    };
    check_numeric("40 vs 40", Sample::Numeric(&r), Sample::Numeric(&c), e);
    // 5000 vs 5000 is still exact (≤ 10,000 each).
    let (r, c) = (normals(13, 5000, 0.0, 1.0, false), normals(14, 5000, 0.05, 1.0, false));
    let e = Numeric {
        d: 0.0244,
        p: 0.1018980612381279,
        wasserstein: 0.0328177206122344,
        js: 0.024001055472177544,
        psi: 0.004622669916418327,
        auto: DriftMethod::Wasserstein,
    };
    check_numeric("5000 vs 5000", Sample::Numeric(&r), Sample::Numeric(&c), e);
}

#[test]
fn ties_count_every_value_at_or_below_each_point() {
    let (r, c) = (normals(5, 200, 0.0, 1.0, true), normals(6, 150, 0.3, 1.0, true));
    let e = Numeric {
        d: 0.10333333333333333,
        p: 0.30135958956687275,
        wasserstein: 0.2019029202674279,
        js: 0.09680509596802499,
        psi: 0.07944186788694144,
        auto: DriftMethod::Ks,
    };
    check_numeric("ties", Sample::Numeric(&r), Sample::Numeric(&c), e);
}

#[test]
fn large_samples_use_the_asymptotic_ks_distribution() {
    // n_eff = round(12000·11000/23000) = 5739: Pelz–Good, then twice Smirnov.
    let (r, c) = (normals(7, 12000, 0.0, 1.0, false), normals(8, 11000, 0.0, 1.0, false));
    let e = Numeric {
        d: 0.012727272727272754,
        p: 0.30781105233148687,
        wasserstein: 0.020289092984489512,
        js: 0.01723244022153278,
        psi: 0.002130104344132617,
        auto: DriftMethod::Wasserstein,
    };
    check_numeric("large, no shift", Sample::Numeric(&r), Sample::Numeric(&c), e);
    assert!(!ks(&r, &c).unwrap().exact);
    let (r, c) = (normals(9, 12000, 0.0, 1.0, false), normals(10, 11000, 0.05, 1.0, false));
    let e = Numeric {
        d: 0.030348484848484847,
        p: 5.015289147353601e-05,
        wasserstein: 0.04991742255733106,
        js: 0.02400556666964572,
        psi: 0.004625494701321577,
        auto: DriftMethod::Wasserstein,
    };
    check_numeric("large, shifted", Sample::Numeric(&r), Sample::Numeric(&c), e);
    // 12000 vs 60: n_eff = 60, the small-n regions of kstwo.
    let (r, c) = (normals(11, 12000, 0.0, 1.0, false), normals(12, 60, 0.2, 1.0, false));
    let e = Numeric {
        d: 0.08691666666666667,
        p: 0.7222237932455463,
        wasserstein: 0.1439232457076244,
        js: 0.14574198521031673,
        psi: 0.21150008246121466,
        auto: DriftMethod::Wasserstein,
    };
    check_numeric("large vs small", Sample::Numeric(&r), Sample::Numeric(&c), e);
}

#[test]
fn iris_sepal_length_first_half_against_second() {
    let t = table("iris");
    let (r, c) = (numbers_in(&t, "sepal_length", 0..75), numbers_in(&t, "sepal_length", 75..150));
    let e = Numeric {
        d: 0.5866666666666667,
        p: 2.685462386506051e-12,
        wasserstein: 1.5831980147535998,
        js: 0.5035536295482835,
        psi: 3.3151486775047108,
        auto: DriftMethod::Ks,
    };
    check_numeric("iris sepal_length", Sample::Numeric(&r), Sample::Numeric(&c), e);
}

#[test]
fn penguins_body_mass_with_missing_cells_left_out() {
    let t = table("penguins");
    let all = numbers_in(&t, "body_mass_g", 0..t.n_rows());
    let (r, c) = all.split_at(171);
    let e = Numeric {
        d: 0.4152046783625731,
        p: 1.3911739511631524e-13,
        wasserstein: 1.0640972569545397,
        js: 0.3440916593550174,
        psi: 1.0852970247235552,
        auto: DriftMethod::Ks,
    };
    check_numeric("penguins body_mass_g", Sample::Numeric(r), Sample::Numeric(c), e);
}

#[test]
fn a_level_only_in_the_current_sample_makes_chi_square_infinite() {
    let t = table("iris");
    let (r, c) = (labels_in(&t, "species", 0..75), labels_in(&t, "species", 75..150));
    let e = Categorical {
        chi2: f64::INFINITY,
        chi2_p: 0.0,
        z: -8.660254037844387,
        z_p: 0.0,
        js: 0.6797779934458726,
        psi: 11.738072710104584,
        auto: DriftMethod::Chi2,
    };
    check_categorical("iris species", Sample::Categorical(&strs(&r)), Sample::Categorical(&strs(&c)), e);
    let result =
        drift(DriftMethod::Chi2, Sample::Categorical(&strs(&r)), Sample::Categorical(&strs(&c)), None)
            .unwrap();
    assert!(result.drifted && result.score == 0.0 && result.statistic.is_infinite());
}

#[test]
fn penguins_island_and_sex() {
    let t = table("penguins");
    let (r, c) = (labels_in(&t, "island", 0..172), labels_in(&t, "island", 172..344));
    let e = Categorical {
        chi2: 79.57142857142857,
        chi2_p: 5.263611500371603e-18,
        z: 4.314477791658988,
        z_p: 1.5998061453137424e-05,
        js: 0.34705219145699145,
        psi: 2.5485174556854604,
        auto: DriftMethod::Chi2,
    };
    check_categorical("penguins island", Sample::Categorical(&strs(&r)), Sample::Categorical(&strs(&c)), e);

    let (r, c) = (labels_in(&t, "sex", 0..172), labels_in(&t, "sex", 172..344));
    assert_eq!((r.len(), c.len()), (166, 167), "missing cells left out");
    let e = Categorical {
        chi2: 0.05389221556886228,
        chi2_p: 0.8164238645923905,
        z: -0.16391268760467692,
        z_p: 0.8697998789287322,
        js: 0.006351557449513881,
        psi: 0.00032274259783889346,
        auto: DriftMethod::Z,
    };
    check_categorical("penguins sex", Sample::Categorical(&strs(&r)), Sample::Categorical(&strs(&c)), e);
    let result =
        drift(DriftMethod::Auto, Sample::Categorical(&strs(&r)), Sample::Categorical(&strs(&c)), None)
            .unwrap();
    assert_eq!((result.method, result.threshold, result.drifted), (DriftMethod::Z, 0.05, false));
    assert_close(result.score, 0.8697998789287322, "auto → z p");
}

#[test]
fn a_numeric_column_with_three_values_gets_chi_square_from_auto() {
    let t = table("penguins");
    let (r, c) = (numbers_in(&t, "year", 0..172), numbers_in(&t, "year", 172..344));
    let (r, c) = (Sample::Integer(&r), Sample::Integer(&c));
    let e = Numeric {
        d: 0.1744186046511628,
        p: 0.010558191666192188,
        wasserstein: 0.32003146021538187,
        js: 0.13288904771928223,
        psi: 0.1426554564803425,
        auto: DriftMethod::Chi2,
    };
    check_numeric("penguins year", r, c, e);
    let e = Categorical {
        chi2: 21.70021978021978,
        chi2_p: 1.9402475632575173e-05,
        z: -3.468136679540186,
        z_p: 0.0005240806607111903,
        js: 0.13288904771928223,
        psi: 0.1426554564803425,
        auto: DriftMethod::Chi2,
    };
    check_categorical("penguins year as levels", r, c, e);
    let result = drift(DriftMethod::Auto, r, c, None).unwrap();
    assert_eq!((result.method, result.drifted), (DriftMethod::Chi2, true));
    assert_close(result.score, 1.9402475632575173e-05, "auto → chi2 p");
    // Naming chi2 for a numeric column is an error, as in Evidently.
    let err = drift(DriftMethod::Chi2, r, c, None).unwrap_err();
    assert!(err.contains("chi2") && err.contains("numeric"), "{err}");
}

#[test]
fn constant_columns() {
    let (five20, five30, six30) = (vec![5.0; 20], vec![5.0; 30], vec![6.0; 30]);
    let same = (Sample::Numeric(&five20), Sample::Numeric(&five30));
    let e = Numeric { d: 0.0, p: 1.0, wasserstein: 0.0, js: 0.0, psi: 0.0, auto: DriftMethod::Z };
    check_numeric("constant, same", same.0, same.1, e);
    let e = Categorical {
        chi2: 0.0,
        chi2_p: f64::NAN,
        z: 0.0, // Evidently computes none: p = 1 directly
        z_p: 1.0,
        js: 0.0,
        psi: 0.0,
        auto: DriftMethod::Z,
    };
    check_categorical("constant, same, as levels", same.0, same.1, e);
    let result = drift(DriftMethod::Auto, same.0, same.1, None).unwrap();
    assert_eq!((result.method, result.score, result.drifted), (DriftMethod::Z, 1.0, false));

    let moved = (Sample::Numeric(&five20), Sample::Numeric(&six30));
    let e = Numeric {
        d: 1.0,
        p: 4.243652513534888e-14,
        wasserstein: 1000.0, // std 0 → divided by 0.001
        js: 0.8325546111576977,
        psi: 18.41883867587797,
        auto: DriftMethod::Z,
    };
    check_numeric("constant, moved", moved.0, moved.1, e);
    let e = Categorical {
        chi2: f64::INFINITY,
        chi2_p: 0.0,
        z: -7.0710678118654755,
        z_p: 1.5374368445009168e-12,
        js: 0.8325546111576977,
        psi: 18.41883867587797,
        auto: DriftMethod::Z,
    };
    check_categorical("constant, moved, as levels", moved.0, moved.1, e);
}

#[test]
fn binary_and_many_level_columns() {
    let b1: Vec<f64> = ints(15, 300, 7).iter().map(|x| (x % 2) as f64).collect();
    let b2: Vec<f64> = ints(16, 250, 5).iter().map(|x| (x % 2) as f64).collect();
    let (r, c) = (Sample::Integer(&b1), Sample::Integer(&b2));
    let e = Numeric {
        d: 0.030666666666666665,
        p: 0.9990943384694451,
        wasserstein: 0.062003844591977,
        js: 0.022035840728108207,
        psi: 0.00388533706278595,
        auto: DriftMethod::Z,
    };
    check_numeric("binary 0/1", r, c, e);
    let e = Categorical {
        chi2: 0.9611191860465111,
        chi2_p: 0.3269050606741454,
        z: 0.7273850308792215,
        z_p: 0.4669901218548669,
        js: 0.022035840728108207,
        psi: 0.00388533706278595,
        auto: DriftMethod::Z,
    };
    check_categorical("binary 0/1 as levels", r, c, e);

    let levels = ["a", "b", "c", "d"];
    let label =
        |seed, n, hi, k| ints(seed, n, hi).iter().map(|&x| levels[(x % k) as usize]).collect::<Vec<&str>>();
    // More than 1,000 reference rows: jensen_shannon.
    let (r, c) = (label(17, 1500, 9, 4), label(18, 900, 7, 4));
    let e = Categorical {
        chi2: 77.41439370418668,
        chi2_p: 1.1003581099097932e-16,
        z: -3.073707669255016,
        z_p: 0.0021141648580951244,
        js: 0.1046859799462918,
        psi: 0.08816352229496266,
        auto: DriftMethod::JensenShannon,
    };
    check_categorical("four levels, 1500 rows", Sample::Categorical(&r), Sample::Categorical(&c), e);
    // z on three levels compares "first level or not", as Evidently's does.
    let (r, c) = (label(19, 100, 5, 3), label(20, 80, 4, 3));
    let e = Categorical {
        chi2: 17.184553035616865,
        chi2_p: 0.00018553323680633207,
        z: 0.5668066362048441,
        z_p: 0.5708455614102015,
        js: 0.15782940446588797,
        psi: 0.2026003550856022,
        auto: DriftMethod::Chi2,
    };
    check_categorical("three levels", Sample::Categorical(&r), Sample::Categorical(&c), e);
    // A numeric column with 5 values and more than 1,000 rows: jensen_shannon.
    let r: Vec<f64> = ints(21, 1200, 5).iter().map(|&x| x as f64).collect();
    let c: Vec<f64> = ints(22, 800, 5).iter().map(|&x| x as f64).collect();
    let e = Numeric {
        d: 0.00875,
        p: 0.9999999999998299,
        wasserstein: 0.011895795149166926,
        js: 0.0069008379114873526,
        psi: 0.0003809811928316164,
        auto: DriftMethod::JensenShannon,
    };
    check_numeric("five values, 1200 rows", Sample::Numeric(&r), Sample::Numeric(&c), e);
}

#[test]
fn integer_data_has_sturges_bins_at_least_one_wide() {
    // 600,000 values of 0..=20: log₂ n + 1 = 20.19 > the range 20, so numpy widens the bins of
    // int64 data to 1 (20 bins) but not of float64 data (21 bins).
    let r: Vec<f64> = ints(23, 300_000, 21).iter().map(|&x| x as f64).collect();
    let c: Vec<f64> = ints(24, 300_000, 22).iter().map(|&x| x.min(20) as f64).collect();
    let as_int = (Sample::Integer(&r), Sample::Integer(&c));
    assert_close(jensen_shannon(as_int.0, as_int.1).unwrap(), 0.04557195691701708, "int64 js");
    assert_close(psi(as_int.0, as_int.1).unwrap(), 0.016691960430992983, "int64 psi");
    let as_float = (Sample::Numeric(&r), Sample::Numeric(&c));
    assert_close(jensen_shannon(as_float.0, as_float.1).unwrap(), 0.06107709189147177, "float64 js");
    assert_close(psi(as_float.0, as_float.1).unwrap(), 0.030324986532507592, "float64 psi");
    let BinKeys::Edges(edges) = binned(as_int.0, as_int.1).unwrap().keys else { panic!("edges") };
    assert_eq!(edges.len(), 21);
}

#[test]
fn nan_and_infinities_are_left_out() {
    let (r, c) = (normals(1, 30, 0.0, 1.0, false), normals(2, 40, 0.5, 1.0, false));
    let mut dirty = r.clone();
    dirty.extend([f64::NAN, f64::INFINITY, f64::NEG_INFINITY]);
    let clean = drift(DriftMethod::Wasserstein, Sample::Numeric(&r), Sample::Numeric(&c), None).unwrap();
    let with_junk =
        drift(DriftMethod::Wasserstein, Sample::Numeric(&dirty), Sample::Numeric(&c), None).unwrap();
    assert_eq!(clean, with_junk);
    assert_eq!(auto(Sample::Numeric(&dirty), Sample::Numeric(&c)).unwrap(), DriftMethod::Ks);
}

#[test]
fn thresholds_and_decisions_follow_evidently() {
    let (r, c) = (normals(1, 30, 0.0, 1.0, false), normals(2, 40, 0.5, 1.0, false));
    let (r, c) = (Sample::Numeric(&r), Sample::Numeric(&c));
    // ks drifts at p ≤ threshold: p = 0.012260660144509307.
    let p = 0.012260660144509307;
    assert!(drift(DriftMethod::Ks, r, c, Some(p)).unwrap().drifted);
    assert!(!drift(DriftMethod::Ks, r, c, Some(0.01)).unwrap().drifted);
    // Distances drift at ≥ threshold.
    let w = drift(DriftMethod::Wasserstein, r, c, None).unwrap();
    assert_eq!((w.threshold, w.drifted, w.p_value), (0.1, true, None));
    assert!(drift(DriftMethod::Wasserstein, r, c, Some(w.score)).unwrap().drifted);
    assert!(!drift(DriftMethod::Wasserstein, r, c, Some(w.score * 1.0001)).unwrap().drifted);
    // chi2 and z at p < threshold.
    assert!(!DriftMethod::Chi2.crosses(0.05, 0.05) && DriftMethod::Ks.crosses(0.05, 0.05));
    assert!(!DriftMethod::Z.crosses(f64::NAN, 0.05) && !DriftMethod::Chi2.crosses(f64::NAN, 0.05));
    // auto takes the chosen method's default threshold, or the one given.
    let a = drift(DriftMethod::Auto, r, c, None).unwrap();
    assert_eq!((a.method, a.threshold), (DriftMethod::Ks, 0.05));
    assert_eq!(drift(DriftMethod::Auto, r, c, Some(0.2)).unwrap().threshold, 0.2);
}

#[test]
fn bad_input_is_an_error_that_says_what() {
    let x = [1.0, 2.0, 3.0];
    let labels = ["a", "b"];
    let err = drift(DriftMethod::Ks, Sample::Numeric(&[]), Sample::Numeric(&x), None).unwrap_err();
    assert!(err.contains("reference") && err.contains("no values"), "{err}");
    let err = drift(DriftMethod::Ks, Sample::Numeric(&x), Sample::Numeric(&[f64::NAN]), None).unwrap_err();
    assert!(err.contains("current") && err.contains("no values"), "{err}");
    let err = drift(DriftMethod::Auto, Sample::Numeric(&x), Sample::Categorical(&labels), None).unwrap_err();
    assert!(err.contains("numeric") && err.contains("categorical"), "{err}");
    let err =
        drift(DriftMethod::Ks, Sample::Categorical(&labels), Sample::Categorical(&labels), None).unwrap_err();
    assert!(err.contains("ks") && err.contains("categorical"), "{err}");
    let err =
        drift(DriftMethod::Wasserstein, Sample::Categorical(&labels), Sample::Categorical(&labels), None)
            .unwrap_err();
    assert!(err.contains("wasserstein"), "{err}");
    let err = drift(DriftMethod::Z, Sample::Numeric(&x), Sample::Numeric(&x), None).unwrap_err();
    assert!(err.contains("z") && err.contains("numeric"), "{err}");
    let err = drift(DriftMethod::Psi, Sample::Numeric(&x), Sample::Numeric(&x), Some(f64::NAN)).unwrap_err();
    assert!(err.contains("threshold"), "{err}");
    assert!(ks(&[], &x).is_err() && wasserstein(&x, &[f64::INFINITY]).is_err());
}

#[test]
fn method_names_are_the_suite_format() {
    for method in DriftMethod::ALL {
        let json = serde_json::to_string(&method).unwrap();
        assert_eq!(json, format!("\"{}\"", method.name()));
        assert_eq!(serde_json::from_str::<DriftMethod>(&json).unwrap(), method);
    }
    assert_eq!(DriftMethod::JensenShannon.name(), "jensen_shannon");
    assert_eq!(DriftMethod::Chi2.evidently_name(), Some("chisquare"));
}

#[test]
fn binned_shares_follow_get_binned_data() {
    // Few distinct reference values: one bin per value of either sample, sorted.
    let (r, c) = ([1.0, 2.0, 2.0, 3.0], [2.0, 4.0]);
    let b = binned(Sample::Numeric(&r), Sample::Numeric(&c)).unwrap();
    assert_eq!(b.keys, BinKeys::Numbers(vec![1.0, 2.0, 3.0, 4.0]));
    assert_eq!(b.reference, vec![0.25, 0.5, 0.25, 0.0]);
    assert_eq!(b.current, vec![0.0, 0.5, 0.0, 0.5]);
    // More than 20: Sturges bins over both samples; 30 + 40 values → ⌈log₂ 70 + 1⌉ = 8 bins
    // (numpy 2.4.6: len(np.histogram_bin_edges(r + c, bins="sturges")) == 9).
    let (r, c) = (normals(1, 30, 0.0, 1.0, false), normals(2, 40, 0.5, 1.0, false));
    let b = binned(Sample::Numeric(&r), Sample::Numeric(&c)).unwrap();
    let BinKeys::Edges(edges) = &b.keys else { panic!("edges") };
    assert_eq!(edges.len(), 9);
    assert!((b.reference.iter().sum::<f64>() - 1.0).abs() < 1e-12);
}

#[test]
fn exact_up_to_ten_thousand_values_per_sample_asymptotic_beyond() {
    // scipy 1.17.1 ks_2samp: 10000 vs 9999 is exact (the band recursion over 10⁸ lattice
    // cells at most), 10001 vs 9999 asymptotic (kstwo.sf at n = 5000).
    let c = normals(32, 9999, 0.05, 1.0, false);
    let exact = ks(&normals(31, 10000, 0.0, 1.0, false), &c).unwrap();
    assert!(exact.exact);
    assert_eq!((exact.statistic, exact.p_value), (0.023182458245824582, 0.008980138688395494));
    let asymptotic = ks(&normals(31, 10001, 0.0, 1.0, false), &c).unwrap();
    assert!(!asymptotic.exact);
    assert_eq!(asymptotic.statistic, 0.023162600231626);
    assert_close(asymptotic.p_value, 0.00920729998349211, "10001 vs 9999: KS p");
}
