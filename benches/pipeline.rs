//! The engine's speed on a generated 100,000 × 10 data set: load, profile, train, evaluate.
//!
//! Run with `cargo bench`. The data and the pipeline (mean imputation, standard scaling, an
//! 80/20 split) are `mltest::synth`'s and `mltest::bench`'s, as in `make bench-compare`.
//! Every figure has a baseline measured in the same run, so it can be read as a ratio on a
//! shared, noisy machine:
//! - `load/read_csv` (typed columns, inference, line numbers) against `load/csv_records`, a
//!   bare pass of the csv crate over the same bytes that only counts records;
//! - `load/diagonal/N`, an N × N file whose column i turns from numbers to text on row i,
//!   at N = 1,000, 2,000 and 4,000 (2, 8 and 32 MB): loading is linear when each step
//!   takes about 4 times the one before (as the bytes do), not 8 (cubic in N);
//! - each model's `train_evaluate` against `train_evaluate/majority_baseline`, which
//!   preprocesses the same rows and scores a constant prediction.
//!
//! Throughput is in rows per second (bytes per second for `load/diagonal`).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use mltest::bench::{models_for, pipeline};
use mltest::pipeline::evaluate::Metric;
use mltest::pipeline::fit::{fit_on, split_rows};
use mltest::pipeline::model::{self, ModelSpec};
use mltest::pipeline::prepare::{prepare, Target};
use mltest::pipeline::preprocess::Preprocessor;
use mltest::synth::{self, SynthSpec};
use mltest::table::{profile, read_csv, LoadOptions};

const ROWS: usize = 100_000;

/// The shared generated set (`mltest::synth`): ten normal features, a binary label from a
/// noisy linear rule and a regression target (dropped from the features here).
fn generate_csv() -> Vec<u8> {
    synth::generate_csv(&SynthSpec { rows: ROWS, ..SynthSpec::default() })
}

fn load(c: &mut Criterion) {
    let csv = generate_csv();
    let mut group = c.benchmark_group("load");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.sample_size(10);
    group.bench_function("csv_records", |b| {
        b.iter(|| csv::ReaderBuilder::new().from_reader(csv.as_slice()).byte_records().count())
    });
    group.bench_function("read_csv", |b| {
        b.iter(|| read_csv(&csv, "bench.csv", &LoadOptions::default()).unwrap())
    });
    let table = read_csv(&csv, "bench.csv", &LoadOptions::default()).unwrap();
    group.bench_function("profile", |b| b.iter(|| profile(&table)));
    group.finish();
}

/// The N × N file whose column i holds `1` before row i and `x` from there: every column
/// turns from numbers to text, each on a later row.
fn diagonal_csv(n: usize) -> Vec<u8> {
    let mut csv = (0..n).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",").into_bytes();
    csv.push(b'\n');
    for row in 0..n {
        for column in 0..n {
            csv.extend_from_slice(if row >= column { b"x" } else { b"1" });
            csv.push(if column + 1 == n { b'\n' } else { b',' });
        }
    }
    csv
}

fn load_diagonal(c: &mut Criterion) {
    let mut group = c.benchmark_group("load/diagonal");
    group.sample_size(10);
    for n in [1_000, 2_000, 4_000] {
        let csv = diagonal_csv(n);
        group.throughput(Throughput::Bytes(csv.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &csv, |b, csv| {
            b.iter(|| read_csv(csv, "diagonal.csv", &LoadOptions::default()).unwrap())
        });
    }
    group.finish();
}

fn train_evaluate(c: &mut Criterion) {
    let csv = generate_csv();
    let table = read_csv(&csv, "bench.csv", &LoadOptions::default()).unwrap();
    let mut group = c.benchmark_group("train_evaluate");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.sample_size(10);

    let baseline = pipeline(ModelSpec::GaussianNb(model::gaussian_nb::GaussianNb { var_smoothing: 1e-9 }));
    group.bench_function("majority_baseline", |b| {
        b.iter(|| {
            let prepared = prepare(&table, &baseline.inputs()).unwrap();
            let parts = split_rows(&prepared, &baseline.split).unwrap();
            let pre = Preprocessor::fit(&prepared, &parts.train, baseline.preprocess).unwrap();
            let x = pre.transform(&prepared, &parts.test).unwrap();
            let Target::Classes { codes, .. } = prepared.target.select(&parts.test) else { unreachable!() };
            let majority = usize::from(codes.iter().filter(|&&c| c == 1).count() * 2 > codes.len());
            (x.nrows(), codes.iter().filter(|&&c| c == majority).count())
        })
    });

    for (_, model) in models_for(ROWS) {
        let pipeline = pipeline(model);
        group.bench_with_input(BenchmarkId::new("model", pipeline.model.kind()), &pipeline, |b, pipeline| {
            b.iter(|| {
                let prepared = prepare(&table, &pipeline.inputs()).unwrap();
                let parts = split_rows(&prepared, &pipeline.split).unwrap();
                let fitted = fit_on(&prepared, pipeline, &parts).unwrap();
                Metric::Accuracy.compute(&fitted.y_test, &fitted.test_output, None).unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, load, load_diagonal, train_evaluate);
criterion_main!(benches);
