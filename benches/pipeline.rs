//! The engine's speed on a generated 100,000 × 10 data set: load, profile, train, evaluate.
//!
//! Run with `cargo bench`. Every figure has a baseline measured in the same run, so it can be
//! read as a ratio on a shared, noisy machine:
//! - `load/read_csv` (typed columns, inference, line numbers) against `load/csv_records`, a
//!   bare pass of the csv crate over the same bytes that only counts records;
//! - each model's `train_evaluate` against `train_evaluate/majority_baseline`, which
//!   preprocesses the same rows and scores a constant prediction.
//!
//! Throughput is in rows per second.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use mltest::pipeline::evaluate::Metric;
use mltest::pipeline::fit::{fit_on, split_rows, PipelineSpec};
use mltest::pipeline::model::{Criterion as SplitCriterion, ModelSpec};
use mltest::pipeline::prepare::{prepare, Target};
use mltest::pipeline::preprocess::{PreprocessSpec, Preprocessor, Scale};
use mltest::pipeline::split::{SplitMix64, SplitSpec};
use mltest::suite::Task;
use mltest::table::{profile, read_csv, LoadOptions};

const ROWS: usize = 100_000;
const FEATURES: usize = 10;

/// A fixed-seed data set: ten normal features and a binary label from a noisy linear rule.
fn generate_csv() -> Vec<u8> {
    let mut rng = SplitMix64::new(2026);
    let weights: Vec<f64> = (0..FEATURES).map(|i| if i % 2 == 0 { 1.0 } else { -0.5 }).collect();
    let mut out = String::with_capacity(ROWS * FEATURES * 8);
    let header: Vec<String> = (0..FEATURES).map(|i| format!("x{i}")).collect();
    out.push_str(&header.join(","));
    out.push_str(",label\n");
    for _ in 0..ROWS {
        let x: Vec<f64> = (0..FEATURES).map(|_| rng.normal()).collect();
        let score: f64 = x.iter().zip(&weights).map(|(a, b)| a * b).sum::<f64>() + 0.5 * rng.normal();
        for value in &x {
            out.push_str(&format!("{value:.4},"));
        }
        out.push_str(if score > 0.0 { "yes\n" } else { "no\n" });
    }
    out.into_bytes()
}

fn spec(model: ModelSpec) -> PipelineSpec {
    PipelineSpec {
        target: "label".into(),
        task: Task::Classification,
        features: None,
        drop: Vec::new(),
        split: SplitSpec { test_size: 0.2, seed: 42, stratify: false },
        preprocess: PreprocessSpec { impute: None, scale: Some(Scale::Standard), one_hot: None },
        model,
    }
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

fn train_evaluate(c: &mut Criterion) {
    let csv = generate_csv();
    let table = read_csv(&csv, "bench.csv", &LoadOptions::default()).unwrap();
    let mut group = c.benchmark_group("train_evaluate");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.sample_size(10);

    let baseline = spec(ModelSpec::GaussianNb { var_smoothing: 1e-9 });
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

    let models = [
        ModelSpec::LogisticRegression { max_iterations: 100, c: 1.0 },
        ModelSpec::DecisionTree { max_depth: Some(8), min_samples_split: 2, criterion: SplitCriterion::Gini },
        ModelSpec::GaussianNb { var_smoothing: 1e-9 },
    ];
    for model in models {
        let pipeline = spec(model);
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

criterion_group!(benches, load, train_evaluate);
criterion_main!(benches);
