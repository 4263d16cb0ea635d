//! The benchmark's engine side (`make bench-compare`, BENCHMARKS.md).
//!
//! Natively, `mltest-bench gen` writes a generated CSV (`mltest::synth`; `--shift` for the
//! drift benchmark's current file), `mltest-bench native` times the steps of `mltest::bench`
//! on it and `mltest-bench drift` the drift steps on a reference and a current file, each
//! printing one JSON line per step. With the `datafusion` feature, for the big-file benchmark
//! (`make bench-big`), `mltest-bench parquet` writes a CSV's data as Parquet and `mltest-bench
//! scan` times one bare DataFusion scan of a file, the anchor mltest's run is measured
//! against. In the browser (www/bench/index.html) the same steps are
//! exported to the page's script, which times them with `performance.now()` beside
//! PapaParse and ml.js.

#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod page {
    //! The steps as functions of the page; each keeps its result for the next step, as a
    //! suite run would, so the page times exactly one step per call.

    use std::cell::RefCell;

    use mltest::bench::{self, Scaled};
    use mltest::table::Table;
    use wasm_bindgen::prelude::wasm_bindgen;

    thread_local! {
        static TABLE: RefCell<Option<Table>> = const { RefCell::new(None) };
        static SCALED: RefCell<Option<Scaled>> = const { RefCell::new(None) };
        /// The drift steps' reference and current tables.
        static PAIR: RefCell<Option<(Table, Table)>> = const { RefCell::new(None) };
    }

    /// Step 1, as the page's loader does it (the SHA-256 is the browser's, which the page
    /// starts before this call and waits for after: www/bench/bench.js); returns the number
    /// of columns profiled.
    #[wasm_bindgen]
    pub fn parse_profile(csv: js_sys::Uint8Array) -> Result<usize, String> {
        // The last run's table goes first: a page that reads a file again holds one table,
        // and the memory figure is the engine's, not two runs' side by side. Before the
        // bytes are copied in, which is why they come as the browser's array: a `&[u8]`
        // argument is copied into the engine's memory before the call begins, so the copy
        // sat beside the last table and matrices (269 MiB at 1M rows, 187 without).
        TABLE.with_borrow_mut(|slot| *slot = None);
        SCALED.with_borrow_mut(|slot| *slot = None);
        let (table, profiles) = bench::parse_profile_unhashed(&csv.to_vec())?;
        TABLE.with_borrow_mut(|slot| *slot = Some(table));
        Ok(profiles.len())
    }

    /// Step 2; returns the verdict.
    #[wasm_bindgen]
    pub fn data_tests() -> Result<String, String> {
        TABLE.with_borrow(|table| {
            let table = table.as_ref().ok_or("parse_profile first")?;
            Ok(bench::data_tests(&bench::data_suite(), table).verdict.label().to_owned())
        })
    }

    /// Step 3; returns the number of test rows.
    #[wasm_bindgen]
    pub fn split_scale() -> Result<usize, String> {
        SCALED.with_borrow_mut(|slot| *slot = None);
        let scaled =
            TABLE.with_borrow(|table| bench::split_scale(table.as_ref().ok_or("parse_profile first")?))?;
        let n = scaled.test_rows.len();
        SCALED.with_borrow_mut(|slot| *slot = Some(scaled));
        Ok(n)
    }

    /// The test rows of step 3 (0-based data rows), for the peers to score the same rows.
    #[wasm_bindgen]
    pub fn test_rows() -> Vec<u32> {
        SCALED.with_borrow(|s| s.iter().flat_map(|s| s.test_rows.iter().map(|&r| r as u32)).collect())
    }

    /// The size of the engine's linear memory: it only grows, so after the steps it is the
    /// peak the engine needed (the CSV's bytes are copied into it, so they count).
    #[wasm_bindgen]
    pub fn memory_bytes() -> f64 {
        use wasm_bindgen::JsCast;
        wasm_bindgen::memory()
            .unchecked_into::<js_sys::WebAssembly::Memory>()
            .buffer()
            .unchecked_into::<js_sys::ArrayBuffer>()
            .byte_length() as f64
    }

    /// Drift step 5: parse both files; returns the current file's rows.
    #[wasm_bindgen]
    pub fn drift_parse(reference: &[u8], current: &[u8]) -> Result<usize, String> {
        PAIR.with_borrow_mut(|slot| *slot = None);
        let pair = bench::drift_parse(reference, current)?;
        let rows = pair.1.n_rows();
        PAIR.with_borrow_mut(|slot| *slot = Some(pair));
        Ok(rows)
    }

    /// Drift step 6; returns what it found as JSON (`mltest::bench::drift_found`).
    #[wasm_bindgen]
    pub fn drift() -> Result<String, String> {
        PAIR.with_borrow(|pair| {
            let (reference, current) = pair.as_ref().ok_or("drift_parse first")?;
            Ok(bench::drift_found(&bench::drift(&bench::drift_suite(), reference, current))?.to_string())
        })
    }

    /// Step 4 for the model named as `mltest::bench::models` names it; returns the accuracy.
    #[wasm_bindgen]
    pub fn train_evaluate(model: &str) -> Result<f64, String> {
        let (_, spec, _) = bench::models()
            .into_iter()
            .find(|(name, _, _)| *name == model)
            .ok_or_else(|| format!("no model `{model}`"))?;
        SCALED.with_borrow(|scaled| bench::train_evaluate(scaled.as_ref().ok_or("split_scale first")?, &spec))
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    match native::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("mltest-bench: {err:#}");
            std::process::ExitCode::from(2)
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::path::{Path, PathBuf};
    use std::time::Instant;

    use anyhow::Context;
    use clap::{Parser, Subcommand};
    use mltest::bench;
    use mltest::synth::{generate_csv, SynthSpec};

    #[derive(Parser)]
    #[command(name = "mltest-bench", about = "Generated data and native timings for make bench-compare")]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Write a generated CSV: x0…x9, a yes/no label and a regression target.
        Gen {
            #[arg(long)]
            rows: usize,
            /// The chance that a feature cell is empty.
            #[arg(long, default_value_t = 0.0)]
            missing: f64,
            #[arg(long, default_value_t = 2026)]
            seed: u64,
            /// Drift: x0 written SHIFT higher and x1 at 1 + SHIFT times its scale; the label
            /// and target unchanged.
            #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
            shift: f64,
            #[arg(long)]
            out: PathBuf,
        },
        /// Write the big-file benchmark's CSV, a column of every type (`mltest::synth::
        /// write_mixed_csv`), a row at a time: any size in constant memory.
        GenMixed {
            #[arg(long)]
            rows: usize,
            #[arg(long, default_value_t = 2026)]
            seed: u64,
            #[arg(long)]
            out: PathBuf,
        },
        /// Write CSV's data as one Parquet file OUT, typed as mltest types it (missing cells
        /// null), in the CSV's row order.
        #[cfg(feature = "datafusion")]
        Parquet {
            csv: PathBuf,
            #[arg(long)]
            out: PathBuf,
        },
        /// One bare DataFusion scan of FILE (CSV or Parquet), as a user of DataFusion writes it
        /// (its own schema inference, its default session): `SELECT count(*)` and an aggregate
        /// of every column that reads each value (a number's sum, a text's longest length; a
        /// min or max a Parquet file answers from its metadata). Prints one JSON line.
        #[cfg(feature = "datafusion")]
        Scan { file: PathBuf },
        /// Time each step on CSV (median of REPS runs) and print one JSON line per step.
        Native {
            csv: PathBuf,
            #[arg(long, default_value_t = 5)]
            reps: usize,
            /// Also write the test rows (0-based data rows, one a line) here.
            #[arg(long)]
            test_rows: Option<PathBuf>,
        },
        /// Time the drift steps on REFERENCE and CURRENT (median of REPS runs) and print one
        /// JSON line per step.
        Drift {
            reference: PathBuf,
            current: PathBuf,
            #[arg(long, default_value_t = 5)]
            reps: usize,
            /// Also write what the drift test found (verdict, share, each column) here as JSON.
            #[arg(long)]
            found: Option<PathBuf>,
        },
    }

    pub fn main() -> anyhow::Result<()> {
        match Cli::parse().command {
            Command::Gen { rows, missing, seed, shift, out } => {
                anyhow::ensure!((0.0..1.0).contains(&missing), "--missing {missing}: use a share in [0, 1)");
                anyhow::ensure!(
                    shift.is_finite() && shift > -1.0,
                    "--shift {shift}: use a number above -1 (x1's scale 1 + shift must stay positive)"
                );
                let csv = generate_csv(&SynthSpec { rows, missing, seed, shift, ..SynthSpec::default() });
                std::fs::write(&out, csv).with_context(|| format!("writing {}", out.display()))
            }
            Command::GenMixed { rows, seed, out } => {
                let file =
                    std::fs::File::create(&out).with_context(|| format!("writing {}", out.display()))?;
                let mut writer = std::io::BufWriter::with_capacity(1 << 20, file);
                mltest::synth::write_mixed_csv(rows, seed, &mut writer)
                    .and_then(|()| std::io::Write::flush(&mut writer))
                    .with_context(|| format!("writing {}", out.display()))
            }
            #[cfg(feature = "datafusion")]
            Command::Parquet { csv, out } => {
                let source = mltest::source::Source::resolve(&csv.display().to_string())?;
                let spill = std::env::temp_dir().join(format!("mltest-bench-{}", std::process::id()));
                std::fs::create_dir_all(&spill)?;
                let written = mltest::query::Session::open(
                    &source,
                    &mltest::query::Runner::Here { memory_limit: 1 << 30, spill_dir: &spill },
                )
                .and_then(|session| session.write_parquet(&out));
                std::fs::remove_dir_all(&spill)?;
                written.map_err(anyhow::Error::msg)
            }
            #[cfg(feature = "datafusion")]
            Command::Scan { file } => bare_scan(&file),
            Command::Native { csv, reps, test_rows } => time_steps(read(&csv)?, reps.max(1), test_rows),
            Command::Drift { reference, current, reps, found } => {
                time_drift(&read(&reference)?, &read(&current)?, reps.max(1), found)
            }
        }
    }

    /// `mltest-bench scan`: the physical anchor of the big-file benchmark.
    #[cfg(feature = "datafusion")]
    fn bare_scan(file: &Path) -> anyhow::Result<()> {
        use datafusion::prelude::{CsvReadOptions, ParquetReadOptions, SessionContext};
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
        let path = file.display().to_string();
        let parquet = path.ends_with(".parquet");
        let started = Instant::now();
        let rows = runtime.block_on(async {
            let ctx = SessionContext::new();
            if parquet {
                ctx.register_parquet("t", &path, ParquetReadOptions::default()).await?;
            } else {
                ctx.register_csv("t", &path, CsvReadOptions::new()).await?;
            }
            let columns: Vec<String> = ctx
                .table("t")
                .await?
                .schema()
                .fields()
                .iter()
                .map(|f| {
                    let c = format!("\"{}\"", f.name());
                    match f.data_type() {
                        t if t.is_numeric() => format!("sum(CAST({c} AS DOUBLE))"),
                        datafusion::arrow::datatypes::DataType::Boolean => format!("sum(CAST({c} AS INT))"),
                        _ => format!("max(length(CAST({c} AS VARCHAR)))"),
                    }
                })
                .collect();
            let sql = format!("SELECT count(*), {} FROM t", columns.join(", "));
            let batches = ctx.sql(&sql).await?.collect().await?;
            let count = batches[0].column(0).as_any().downcast_ref::<datafusion::arrow::array::Int64Array>();
            Ok::<i64, datafusion::error::DataFusionError>(count.map_or(0, |c| c.value(0)))
        })?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let tool = format!("DataFusion {}", datafusion::DATAFUSION_VERSION);
        println!(
            "{}",
            serde_json::json!({ "tool": tool, "step": "bare_scan", "file": path, "rows": rows, "ms": ms })
        );
        Ok(())
    }

    fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
        std::fs::read(path).with_context(|| format!("reading {}", path.display()))
    }

    /// The median time of `reps` runs of `step` after one untimed warm-up run, and the last
    /// result; a first run over 3 s is the only one and counts. The page and the scikit-learn
    /// script time by the same rule (in the page the warm-up lets V8 compile the hot code).
    /// The time is returned with the number of timed runs.
    fn median_ms<T>(
        reps: usize,
        mut step: impl FnMut() -> anyhow::Result<T>,
    ) -> anyhow::Result<((f64, usize), T)> {
        let mut timed = || -> anyhow::Result<(f64, T)> {
            let started = Instant::now();
            let out = step()?;
            Ok((started.elapsed().as_secs_f64() * 1000.0, out))
        };
        let (first, out) = timed()?;
        if first > 3000.0 {
            return Ok(((first, 1), out));
        }
        // Each run's result is dropped before the next starts, so the process's peak memory
        // is one run's, as a suite run's would be.
        let mut last = Some(out);
        let mut times = Vec::with_capacity(reps);
        for _ in 0..reps {
            drop(last.take());
            let (ms, out) = timed()?;
            times.push(ms);
            last = Some(out);
        }
        times.sort_by(f64::total_cmp);
        Ok(((times[times.len() / 2], reps), last.expect("a run's result")))
    }

    fn line(rows: usize, step: &str, (ms, reps): (f64, usize), accuracy: Option<f64>) {
        let record = serde_json::json!({
            "tool": "mltest native", "rows": rows, "step": step, "ms": ms, "reps": reps, "accuracy": accuracy,
        });
        println!("{record}");
    }

    /// The drift steps: parse both files, then the drift suite; the second line also says
    /// what the test found (verdict, share, drifted columns), which the peer must match.
    fn time_drift(
        reference: &[u8],
        current: &[u8],
        reps: usize,
        found: Option<PathBuf>,
    ) -> anyhow::Result<()> {
        let err = |e: String| anyhow::anyhow!(e);
        let (ms, (reference, current)) =
            median_ms(reps, || bench::drift_parse(reference, current).map_err(err))?;
        let rows = current.n_rows();
        line(rows, bench::DRIFT_PARSE, ms, None);
        let suite = bench::drift_suite();
        let ((ms, reps), report) = median_ms(reps, || Ok(bench::drift(&suite, &reference, &current)))?;
        let what = bench::drift_found(&report).map_err(err)?;
        let record = serde_json::json!({
            "tool": "mltest native", "rows": rows, "step": bench::DRIFT, "ms": ms, "reps": reps,
            "verdict": what["verdict"], "share": what["share"], "drifted": what["drifted"],
        });
        println!("{record}");
        if let Some(path) = found {
            std::fs::write(&path, what.to_string()).with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(())
    }

    fn time_steps(csv: Vec<u8>, reps: usize, test_rows: Option<PathBuf>) -> anyhow::Result<()> {
        let err = |e: String| anyhow::anyhow!(e);
        let (ms, (table, _)) = median_ms(reps, || bench::parse_profile(&csv).map_err(err))?;
        // The file's bytes go once read, as `mltest run` lets them go.
        drop(csv);
        let rows = table.n_rows();
        line(rows, bench::PARSE_PROFILE, ms, None);
        let suite = bench::data_suite();
        let (ms, _) = median_ms(reps, || Ok(bench::data_tests(&suite, &table)))?;
        line(rows, bench::DATA_TESTS, ms, None);
        let (ms, scaled) = median_ms(reps, || bench::split_scale(&table).map_err(err))?;
        line(rows, bench::SPLIT_SCALE, ms, None);
        if let Some(path) = test_rows {
            let text: String = scaled.test_rows.iter().map(|r| format!("{r}\n")).collect();
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        }
        for (name, model) in bench::models_for(rows) {
            let (ms, accuracy) = median_ms(reps, || bench::train_evaluate(&scaled, &model).map_err(err))?;
            line(rows, name, ms, Some(accuracy));
        }
        Ok(())
    }
}
