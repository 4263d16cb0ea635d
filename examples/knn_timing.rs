//! The engine's side of scripts/bench_knn.py: times the `knn` model's fit and predict on a
//! generated CSV ([`mltest::synth`]), split and standardised as the benchmark does
//! ([`mltest::bench::split_scale`]), and writes the test rows and the predicted labels for
//! the script to compare with scikit-learn's.
//!
//! Usage: knn_timing CSV TEST_ROWS PREDICTIONS [REPS] [METHOD...]
//!        knn_timing gen ROWS INPUTS OUT
//!
//! Prints one JSON line (tool, rows, step, ms, cpu_ms, reps, accuracy). Each METHOD (`kd_tree`,
//! `scan`) adds a line timing the bare search for 5 neighbours by that method. `gen` writes a
//! generated CSV as `mltest-bench gen` does, with INPUTS inputs instead of ten.

use std::time::Instant;

use mltest::bench;
use mltest::pipeline::knn::Neighbours;
use mltest::pipeline::model::{knn::Knn, ModelSpec, Output};
use mltest::synth::{generate_csv, SynthSpec};

/// The process's CPU time in ms (Linux: user + system clock ticks of 10 ms from
/// /proc/self/stat), or NaN elsewhere: on a machine shared with other work it moves less
/// than the wall time.
fn cpu_ms() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return f64::NAN };
    // The fields after the command name, which is in parentheses: utime and stime are the
    // 12th and 13th.
    let fields: Vec<&str> =
        stat.rsplit_once(')').map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(f64::NAN);
    (ticks(11) + ticks(12)) * 10.0
}

/// The median wall and CPU time of `reps` runs after one untimed warm-up run, as
/// `mltest-bench native` times; a first run over 3 s is the only one and counts.
fn median_ms<T>(reps: usize, mut step: impl FnMut() -> T) -> (f64, f64, usize, T) {
    let mut timed = || {
        let (started, cpu) = (Instant::now(), cpu_ms());
        let out = step();
        (started.elapsed().as_secs_f64() * 1000.0, cpu_ms() - cpu, out)
    };
    let (first, first_cpu, mut last) = timed();
    if first > 3000.0 {
        return (first, first_cpu, 1, last);
    }
    let (mut times, mut cpu) = (Vec::new(), Vec::new());
    for _ in 0..reps {
        let (ms, cpu_ms, out) = timed();
        times.push(ms);
        cpu.push(cpu_ms);
        last = out;
    }
    times.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    (times[times.len() / 2], cpu[cpu.len() / 2], reps, last)
}

fn line(rows: usize, step: &str, (ms, cpu_ms, reps): (f64, f64, usize), accuracy: Option<f64>) {
    let record = serde_json::json!({
        "tool": "mltest native", "rows": rows, "step": step, "ms": ms, "cpu_ms": cpu_ms, "reps": reps,
        "accuracy": accuracy,
    });
    println!("{record}");
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [command, rows, inputs, out] = &args[..] {
        if command == "gen" {
            let number = |n: &str| n.parse::<usize>().map_err(|e| format!("{n}: {e}"));
            let spec = SynthSpec { rows: number(rows)?, features: number(inputs)?, ..SynthSpec::default() };
            return std::fs::write(out, generate_csv(&spec)).map_err(|e| format!("{out}: {e}"));
        }
    }
    let [csv, test_rows, predictions, rest @ ..] = &args[..] else {
        return Err("usage: knn_timing CSV TEST_ROWS PREDICTIONS [REPS] [METHOD...]".into());
    };
    let reps: usize = rest.first().map_or(Ok(5), |r| r.parse().map_err(|e| format!("REPS {r}: {e}")))?;
    let bytes = std::fs::read(csv).map_err(|e| format!("{csv}: {e}"))?;
    let (table, _) = bench::parse_profile(&bytes)?;
    let scaled = bench::split_scale(&table)?;
    let rows: String = scaled.test_rows.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(test_rows, rows).map_err(|e| format!("{test_rows}: {e}"))?;

    let model = ModelSpec::Knn(Knn { k: 5 });
    let (ms, cpu, reps_run, accuracy) = median_ms(reps, || bench::train_evaluate(&scaled, &model));
    line(table.n_rows(), "knn", (ms, cpu, reps_run), Some(accuracy?));
    let Output::Classes { labels, .. } =
        model.fit(scaled.x_train.view(), &scaled.y_train)?.predict(scaled.x_test.view())
    else {
        return Err("knn on a label gave values".into());
    };
    let names = scaled.y_train.class_names();
    let text: String = labels.iter().map(|&l| format!("{}\n", names[l])).collect();
    std::fs::write(predictions, text).map_err(|e| format!("{predictions}: {e}"))?;

    for method in rest.iter().skip(1) {
        let tree = match method.as_str() {
            "kd_tree" => true,
            "scan" => false,
            other => return Err(format!("no method `{other}`: kd_tree or scan")),
        };
        let (ms, cpu, reps_run, _) = median_ms(reps, || {
            let x = scaled.x_train.view();
            let index = if tree { Neighbours::new(x) } else { Neighbours::without_tree(x) };
            let mut sum = 0;
            index.for_each_nearest(scaled.x_test.view(), 5, |_, found| sum += found[0].1);
            sum
        });
        line(table.n_rows(), &format!("search_{method}"), (ms, cpu, reps_run), None);
    }
    Ok(())
}
