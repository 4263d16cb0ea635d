//! `mltest`: the CI half of mltest (PRODUCT.md §5).
//!
//! `mltest run SUITE` runs a suite file and prints each test's execution table and the
//! verdict (SUITE may also be a share link), or writes the report as JSON, JUnit XML, one
//! HTML file or Markdown (`--format`); `mltest link encode|decode` makes and opens
//! share links; `mltest inspect CSV` prints a file's inferred schema and profile; `mltest
//! import gx` and `mltest export gx` turn a Great Expectations suite into an mltest suite and
//! back (PRODUCT.md §13), listing on stderr what has no counterpart. Exit status:
//! 0 the verdict is pass, 1 it is fail, 2 the run could not happen (the message on stderr
//! names the file, line and field). A panic is a bug, and is reported with status 2, never
//! Rust's 101.
//!
//! A suite may come from a pull request and its report may land in a public CI log, so the
//! suite is not trusted: its `data.path` must stay inside the suite's folder (any other file
//! is given with `--data`), every file is read through a bounded reader whatever size it
//! reports (a pipe or `/dev/zero` reports none), and `--output` may not overwrite an input.

#![forbid(unsafe_code)]
// A command-line tool has no place in the browser; the wasm32 build of the package (the page,
// `tests/browser.rs`) builds this binary as nothing.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

use std::io::{Read as _, Write};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context as _, Result};
use clap::{Parser, Subcommand, ValueEnum};

use mltest::gx;
use mltest::pipeline::fit::Prediction;
use mltest::report::{self, fmt::num, Verdict};
use mltest::share;
use mltest::source::{Engine, Source};
use mltest::suite::{self, DataSource, DataSpec, Format, Suite};
use mltest::table::{self, LoadOptions, Table};

#[derive(Parser)]
#[command(name = "mltest", version, about = "Automated tests for ML code and data")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a suite file and report every test and the verdict.
    Run {
        /// The suite file (JSON, or YAML when it ends in .yaml or .yml), or a share link.
        suite: PathBuf,
        /// The data to test, instead of the data the suite names: a CSV or Parquet file, a
        /// directory of them, or a glob (quoted: 'logs/2026-*.parquet').
        #[arg(long, value_name = "DATA")]
        data: Option<PathBuf>,
        /// The reference data `drift` compares the data with, instead of the suite's
        /// `reference`: a file, a directory or a glob, as --data.
        #[arg(long, value_name = "DATA")]
        reference: Option<PathBuf>,
        /// The engine that reads the data: `memory` (one CSV file up to 128 MB, as the page
        /// reads it), `datafusion` (CSV or Parquet files of any size, in bounded memory; in
        /// builds with the `datafusion` feature) or `ballista` (the same queries on a Ballista
        /// cluster, see --scheduler; in builds with the `ballista` feature). Default: memory
        /// for one CSV file under 128 MB, else datafusion.
        #[arg(long, value_enum)]
        engine: Option<EngineArg>,
        /// With ballista: the cluster's scheduler (`mltest-cluster scheduler`, which `make
        /// cluster` starts on 127.0.0.1:50050). Every executor must read the files at the
        /// paths given.
        #[arg(long, value_name = "df://HOST:PORT", default_value = "df://127.0.0.1:50050")]
        scheduler: String,
        /// With datafusion: the memory its queries may hold, in MB, past which sorts and
        /// groupings spill to disk (on ballista, each executor's own --memory-limit).
        #[arg(long, value_name = "MB", default_value_t = 512)]
        memory_limit: usize,
        /// With datafusion: the rows drawn (seeded, in file order) for what runs in memory — a
        /// model's training and tests, no_target_leakage, drift between the split's parts
        /// (drift against --reference reads every row of both). Every row when there are fewer.
        #[arg(long, value_name = "ROWS", default_value_t = 1_000_000)]
        sample_rows: usize,
        #[arg(long, value_enum, default_value_t = RunFormat::Text)]
        format: RunFormat,
        /// Write the report to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Write the test rows' predictions to FILE as CSV: line,y_true,y_pred,score.
        #[arg(long, value_name = "FILE")]
        predictions: Option<PathBuf>,
    },
    /// Make or open a share link (the page's Share button makes the same links).
    Link {
        #[command(subcommand)]
        command: LinkCommand,
    },
    /// Print a CSV file's inferred schema and column profile.
    Inspect {
        csv: PathBuf,
        #[arg(long, value_enum, default_value_t = InspectFormat::Text)]
        format: InspectFormat,
    },
    /// Turn another tool's suite into an mltest suite.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Write an mltest suite's data tests in another tool's format.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Turn a Great Expectations suite (0.18 or 1.x JSON) into an mltest suite. Expectations
    /// without an mltest test of the same meaning are left out and listed on stderr.
    Gx {
        /// The Great Expectations suite file.
        suite: PathBuf,
        /// Write the mltest suite to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Write the suite's data tests as a Great Expectations 1.x suite. Tests without an
    /// expectation of the same meaning are left out and listed on stderr.
    Gx {
        /// The suite file (JSON or YAML), or a share link.
        suite: PathBuf,
        /// The CSV whose columns a test of every column (`*`) names, instead of the suite's data.
        #[arg(long, value_name = "CSV")]
        data: Option<PathBuf>,
        /// Write the Great Expectations suite to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum LinkCommand {
    /// Print the share link of a suite: a sample is named, a CSV given with --data is inlined
    /// when the link stays under 8,000 characters, otherwise fingerprinted (SHA-256, rows).
    Encode {
        suite: PathBuf,
        /// The CSV the link should carry, instead of the data the suite names.
        #[arg(long, value_name = "CSV")]
        data: Option<PathBuf>,
        /// The reference CSV the link should carry, instead of the suite's `reference`.
        #[arg(long, value_name = "CSV")]
        reference: Option<PathBuf>,
        /// The page's address.
        #[arg(long, value_name = "URL", default_value = "http://127.0.0.1:8080/")]
        base: String,
        /// The link runs the suite as soon as it is opened.
        #[arg(long)]
        run: bool,
    },
    /// Print the suite a share link holds (JSON).
    Decode { link: String },
}

#[derive(Clone, Copy, ValueEnum)]
enum RunFormat {
    /// Each test's execution table and the verdict, for a terminal or a CI log.
    Text,
    /// The report as data (PRODUCT.md §4).
    Json,
    /// JUnit XML, which CI servers read.
    Junit,
    /// One self-contained HTML file: the page's results, charts included, no script.
    Html,
    /// A summary for a CI job's page (GitHub's $GITHUB_STEP_SUMMARY).
    Markdown,
}

/// `--engine` (PRODUCT.md §14).
#[derive(Clone, Copy, ValueEnum)]
enum EngineArg {
    Memory,
    Datafusion,
    Ballista,
}

impl EngineArg {
    fn engine(self) -> Engine {
        match self {
            EngineArg::Memory => Engine::Memory,
            EngineArg::Datafusion => Engine::DataFusion,
            EngineArg::Ballista => Engine::Ballista,
        }
    }
}

/// What `--memory-limit` and `--sample-rows` allow DataFusion, and where Ballista's
/// scheduler is.
#[derive(Clone)]
#[cfg_attr(not(feature = "datafusion"), allow(dead_code))]
struct Limits {
    memory_mb: usize,
    sample_rows: usize,
    #[cfg_attr(not(feature = "ballista"), allow(dead_code))]
    scheduler: String,
}

#[derive(Clone, Copy, ValueEnum)]
enum InspectFormat {
    Text,
    Json,
}

/// The run could not happen: exit status 2.
const EXIT_NO_RUN: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            // --help and --version are not errors.
            return ExitCode::from(if err.use_stderr() { EXIT_NO_RUN } else { 0 });
        }
    };
    // Keep the default panic message (it says where), then report with our exit status.
    match std::panic::catch_unwind(|| execute(cli)) {
        Ok(Ok(code)) => code,
        Ok(Err(err)) => {
            // The message may quote the suite or the data (a key, a column name): escaped, as
            // in reports, so it cannot write escape sequences or CI commands into a log.
            eprintln!("mltest: error: {}", report::fmt::printable(&format!("{err:#}")));
            ExitCode::from(EXIT_NO_RUN)
        }
        Err(_) => {
            eprintln!("mltest: internal error: this is a bug in mltest; please report it with the input that caused it");
            ExitCode::from(EXIT_NO_RUN)
        }
    }
}

fn execute(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Run {
            suite,
            data,
            reference,
            engine,
            scheduler,
            memory_limit,
            sample_rows,
            format,
            output,
            predictions,
        } => run(
            &suite,
            Inputs { data: data.as_deref(), reference: reference.as_deref() },
            (engine.map(EngineArg::engine), Limits { memory_mb: memory_limit, sample_rows, scheduler }),
            format,
            output.as_deref(),
            predictions.as_deref(),
        ),
        Command::Link { command: LinkCommand::Encode { suite, data, reference, base, run } } => {
            link_encode(&suite, Inputs { data: data.as_deref(), reference: reference.as_deref() }, &base, run)
        }
        Command::Link { command: LinkCommand::Decode { link } } => {
            let opened = share::decode(&link)?;
            write_output(None, &(opened.text() + "\n"))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Inspect { csv, format } => inspect(&csv, format),
        Command::Import { command: ImportCommand::Gx { suite, output } } => {
            import_gx(&suite, output.as_deref())
        }
        Command::Export { command: ExportCommand::Gx { suite, data, output } } => {
            export_gx(&suite, data.as_deref(), output.as_deref())
        }
    }
}

/// `mltest import gx`: the mltest suite on stdout or in `output`, what was left out on stderr.
fn import_gx(path: &Path, output: Option<&Path>) -> Result<ExitCode> {
    refuse_overwrite(output, path, "the Great Expectations suite")?;
    let text = read_suite_text(path)?;
    let imported = gx::import(&text, &path.display().to_string())?;
    write_output(output, &imported.text)?;
    let left = gx::left_out_count(&imported.left_out);
    eprint_left_out(
        &format!(
            "{} of {} expectations imported as {} tests",
            imported.expectations - left,
            imported.expectations,
            imported.suite.tests.len()
        ),
        "expectations",
        left,
        "no mltest test gives the same verdict",
        &imported.left_out,
    );
    Ok(ExitCode::SUCCESS)
}

/// `mltest export gx`: the GX 1.x suite on stdout or in `output`, what was left out on stderr.
fn export_gx(path: &Path, data: Option<&Path>, output: Option<&Path>) -> Result<ExitCode> {
    refuse_overwrite(output, path, "the suite")?;
    let suite = read_suite(path)?;
    // The data's header, for tests of every column: `--data`, else the suite's own data.
    let columns: Option<Vec<String>> = if gx::needs_columns(&suite) {
        let options = LoadOptions::default();
        let table = match data {
            Some(csv) => Some(read_csv_file(csv, &options)?),
            None => match input_path(Some(&suite.data), Input::Data, path, None) {
                Ok(Some(csv)) => read_csv_file(&csv, &options).ok(),
                _ => mltest::run::builtin_data(&suite, &options).and_then(Result::ok),
            },
        };
        table.map(|t| t.column_names().map(str::to_owned).collect())
    } else {
        None
    };
    let exported = gx::export(&suite, columns.as_deref());
    write_output(output, &exported.text)?;
    let left = gx::left_out_count(&exported.left_out);
    eprint_left_out(
        &format!(
            "{} of {} tests exported as {} expectations",
            suite.tests.len() - left,
            suite.tests.len(),
            exported.expectations
        ),
        "tests",
        left,
        "no Great Expectations expectation gives the same verdict",
        &exported.left_out,
    );
    Ok(ExitCode::SUCCESS)
}

/// One line saying what was converted, then what was left out, a line per type and reason.
fn eprint_left_out(done: &str, what: &str, left: usize, why: &str, left_out: &[gx::LeftOut]) {
    // Types and reasons quote the input: each line is escaped, as in reports.
    match left {
        0 => eprintln!("mltest: {}", report::fmt::printable(done)),
        _ => eprintln!("mltest: {}; {left} {what} left out ({why}):", report::fmt::printable(done)),
    }
    for entry in left_out {
        eprintln!("  {}", report::fmt::printable(&entry.to_string()));
    }
}

/// `--output` may not name the input it is made from.
fn refuse_overwrite(output: Option<&Path>, input: &Path, role: &str) -> Result<()> {
    if let Some(output) = output.filter(|output| same_file(output, input)) {
        bail!("--output {} is {role} file; write to another file", output.display());
    }
    Ok(())
}

/// Whether the SUITE argument is a share link rather than a file's path.
fn is_link(arg: &Path) -> bool {
    arg.to_str().is_some_and(|text| text.contains("#s=") || text.starts_with("s="))
}

fn link_encode(suite_path: &Path, given: Inputs<'_>, base: &str, run: bool) -> Result<ExitCode> {
    let suite = read_suite(suite_path)?;
    let flags = share::Flags { run, ..share::Flags::default() };
    let options = LoadOptions::default();
    // Each file given: its name, bytes and rows (a file that does not read as a CSV is refused
    // here, not by whoever opens the link).
    let read = |path: Option<&Path>| -> Result<Option<(String, Vec<u8>, usize)>> {
        let Some(path) = path else { return Ok(None) };
        let bytes = read_data_bytes(path, &options)?;
        let rows = table::read_csv(&bytes, &path.display().to_string(), &options)?.n_rows();
        let name =
            path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into());
        Ok(Some((name, bytes, rows)))
    };
    let (data, reference) = (read(given.data)?, read(given.reference)?);
    fn carry(file: &Option<(String, Vec<u8>, usize)>) -> Option<share::Data<'_>> {
        file.as_ref().map(|(name, bytes, rows)| share::Data::File { name, bytes, rows: *rows })
    }
    let shared = share::encode(base, &suite, carry(&data), carry(&reference), &flags);
    for (role, carried) in [("data", &shared.carried), ("reference", &shared.reference)] {
        if let share::Carried::Fingerprint { sha256, rows } = carried {
            eprintln!(
                "mltest: the {role} is too large to inline; the link carries its SHA-256 ({sha256}) and {rows} rows, and asks for the file"
            );
        }
    }
    write_output(None, &(shared.link + "\n"))?;
    Ok(ExitCode::SUCCESS)
}

/// The CSV files the command line gives instead of the suite's: `--data` and `--reference`.
#[derive(Clone, Copy)]
struct Inputs<'a> {
    data: Option<&'a Path>,
    reference: Option<&'a Path>,
}

fn run(
    suite_path: &Path,
    given: Inputs<'_>,
    (engine, limits): (Option<Engine>, Limits),
    format: RunFormat,
    output: Option<&Path>,
    predictions_path: Option<&Path>,
) -> Result<ExitCode> {
    let suite = read_suite(suite_path)?;
    if predictions_path.is_some() && suite.pipeline.is_none() {
        bail!("{}: --predictions needs a suite with a `model` to train", suite_path.display());
    }
    let data_path = input_path(Some(&suite.data), Input::Data, suite_path, given.data)?;
    let reference_path = input_path(suite.reference.as_ref(), Input::Reference, suite_path, given.reference)?;
    // Refused before anything is read or written: the report would replace its own input.
    for (flag, written) in [("--output", output), ("--predictions", predictions_path)] {
        let Some(written) = written else { continue };
        let inputs = [
            ("the suite", Some(suite_path)),
            ("the data", data_path.as_deref()),
            ("the reference", reference_path.as_deref()),
        ];
        for (role, input) in inputs {
            if input.is_some_and(|input| same_file(written, input)) {
                bail!("{flag} {} is {role} file; write the report to another file", written.display());
            }
        }
    }
    let options = LoadOptions::default();
    // A file, a directory or a glob, resolved to its files; the engine chosen for them.
    let resolved = |path: Option<&Path>, input: Input, flag: Option<&Path>| -> Result<Option<Source>> {
        let Some(path) = path else { return Ok(None) };
        let source = resolve(path);
        Ok(Some(match flag {
            Some(_) => source?,
            // The path came from the suite: that is where it has to be fixed.
            None => source.with_context(|| format!("{}: {}.path", suite_path.display(), input.field()))?,
        }))
    };
    let data_source = resolved(data_path.as_deref(), Input::Data, given.data)?;
    let reference_source = resolved(reference_path.as_deref(), Input::Reference, given.reference)?;
    let sources: Vec<&Source> = data_source.iter().chain(&reference_source).collect();
    let engine = Engine::choose(engine, &sources, options.max_bytes).map_err(anyhow::Error::msg)?;
    let (report, predictions) = match engine {
        Engine::Memory => {
            // One CSV file each (what `choose` left the memory engine).
            let data_path = data_source.as_ref().map(|source| source.files[0].clone());
            let reference_path = reference_source.as_ref().map(|source| source.files[0].clone());
            let table = match read_input(data_path.as_deref(), Input::Data, given.data, suite_path, &options)?
            {
                Some(table) => table,
                None => match mltest::run::builtin_data(&suite, &options) {
                    Some(table) => table?,
                    None => bail!("{}: data.source: the suite names no data", suite_path.display()),
                },
            };
            let reference = match read_input(
                reference_path.as_deref(),
                Input::Reference,
                given.reference,
                suite_path,
                &options,
            )? {
                Some(table) => Some(table),
                None => mltest::run::builtin_reference(&suite, &options).transpose()?,
            };
            mltest::run::run_with(&suite, &table, reference.as_ref(), predictions_path.is_some(), &mut |_| {})
        }
        Engine::DataFusion | Engine::Ballista => {
            let Some(data) = &data_source else {
                bail!("{}: --engine {}: give the files with --data", suite_path.display(), engine.name())
            };
            run_queried(
                &suite,
                (data, reference_source.as_ref()),
                engine,
                &limits,
                predictions_path.is_some(),
            )?
        }
    };
    // A pipeline that failed is in the report; there are no predictions to write then.
    if let (Some(path), Some(Ok(predictions))) = (predictions_path, predictions) {
        write_predictions(path, &predictions)?;
    }
    let rendered = match format {
        RunFormat::Text => report::text::render(&report),
        RunFormat::Json => report.to_json_file(),
        RunFormat::Junit => report::junit::render(&report),
        RunFormat::Markdown => report::markdown::render(&report),
        RunFormat::Html => html_report(&report)?,
    };
    write_output(output, &rendered)?;
    Ok(ExitCode::from(match report.verdict {
        Verdict::Pass => 0,
        Verdict::Fail => 1,
    }))
}

/// `--data` or `--reference` as the files it names.
fn resolve(path: &Path) -> Result<Source> {
    Ok(Source::resolve(&path.display().to_string())?)
}

/// Predictions of a run's test rows, or the stage that failed.
type Predictions = Option<Result<Vec<Prediction>, mltest::pipeline::fit::StageError>>;

/// The suite on DataFusion (PRODUCT.md §14): the data tests as queries over the files where
/// they lie, here within `limits.memory_mb` (spilling to a folder of the system's temporary
/// directory) or on Ballista's cluster, and drift against a reference over both data sets
/// whole; what runs in memory (a model, `no_target_leakage`, drift between the split's parts)
/// on a seeded sample of `limits.sample_rows` rows, every row when there are fewer.
#[cfg(feature = "datafusion")]
fn run_queried(
    suite: &Suite,
    (data, reference): (&Source, Option<&Source>),
    engine: Engine,
    limits: &Limits,
    keep_predictions: bool,
) -> Result<(report::Report, Predictions)> {
    use mltest::checks::Check;
    use mltest::query::{Runner, Session};
    use mltest::vocab::Family;

    let spill = SpillDir::new()?;
    let runner = match engine {
        #[cfg(feature = "ballista")]
        Engine::Ballista => Runner::Cluster { scheduler: &limits.scheduler },
        #[cfg(not(feature = "ballista"))]
        Engine::Ballista => bail!(
            "{}: the ballista engine is not in this build of mltest: build it with `cargo build --release --features ballista`",
            data.given
        ),
        _ => Runner::Here { memory_limit: limits.memory_mb << 20, spill_dir: &spill.0 },
    };
    let session = Session::open(data, &runner).map_err(anyhow::Error::msg)?;
    let seed = suite.pipeline.as_ref().map_or(0, |pipeline| pipeline.split.seed);
    // Drift against a reference reads both data sets whole; the reference files are
    // queried as the data are.
    let reference_session = match reference {
        Some(source) => Some(Session::open(source, &runner).map_err(anyhow::Error::msg)?),
        None => None,
    };
    let builtin = match reference {
        Some(_) => None,
        None => mltest::run::builtin_reference(suite, &LoadOptions::default()).transpose()?,
    };
    let has_reference = reference_session.is_some() || builtin.is_some();
    // A `predictions` model's tests read every row of the columns they need: exact, and a
    // few columns of the files. A name the data lacks is left to the test, which says so as
    // on the memory engine.
    let projection: Option<Vec<&str>> =
        mltest::run::predictions_columns(suite, keep_predictions).map(|mut columns| {
            let names = mltest::checks::data::Facts::column_names(&session);
            columns.retain(|c| names.contains(c));
            columns
        });
    let enabled = || suite.tests.iter().filter(|t| t.enabled);
    // The sample is drawn only when something reads it: a model mltest trains,
    // `no_target_leakage`, and drift without a reference (the split's parts).
    let sampled = enabled().any(|t| match t.check {
        Check::NoTargetLeakage(_) => true,
        Check::Drift(_) => !has_reference,
        _ => projection.is_none() && t.check.family() != Family::Data,
    }) || (keep_predictions && projection.is_none());
    // A CSV file read in this process is copied typed first when the run will scan it
    // several times: the sample (two scans), the projection, the data tests' first readings.
    let scans = 2 * usize::from(sampled)
        + usize::from(projection.is_some())
        + mltest::run::data_scans(suite, &session);
    session.expect_scans(scans).map_err(anyhow::Error::msg)?;
    // The report says when the table is a sample, not every row.
    let mut samples = Vec::new();
    let sample = if sampled {
        let table = session.sample(limits.sample_rows, seed).map_err(anyhow::Error::msg)?;
        let total = mltest::checks::data::Facts::n_rows(&session);
        if table.n_rows() < total {
            samples.push(report::Sample { of: "data".to_owned(), rows: table.n_rows(), total, seed });
        }
        table
    } else {
        mltest::checks::data::no_rows(&session)
    };
    let projected = match &projection {
        Some(columns) => Some(session.project(columns).map_err(anyhow::Error::msg)?),
        None => None,
    };
    let reference: Option<&dyn mltest::checks::data::Facts> = match (&reference_session, &builtin) {
        (Some(session), _) => Some(session),
        (None, Some(table)) => Some(table),
        (None, None) => None,
    };
    let dataset = report::Dataset {
        name: data.given.clone(),
        rows: mltest::checks::data::Facts::n_rows(&session),
        columns: session.column_types().len(),
        sha256: session.sha256().to_owned(),
    };
    let input = mltest::run::Input {
        table: projected.as_ref().unwrap_or(&sample),
        sample: &sample,
        data: &session,
        dataset,
        engine: engine.name(),
        reference,
        samples,
    };
    Ok(mltest::run::run_input(suite, &input, keep_predictions, &mut |_| {}))
}

#[cfg(not(feature = "datafusion"))]
fn run_queried(
    _suite: &Suite,
    (data, _reference): (&Source, Option<&Source>),
    engine: Engine,
    _limits: &Limits,
    _keep_predictions: bool,
) -> Result<(report::Report, Predictions)> {
    bail!(
        "{}: the {} engine is not in this build of mltest: build it with `cargo build --release --features {}` (or give one CSV file under 128 MB)",
        data.given,
        engine.name(),
        engine.name()
    )
}

/// A folder for DataFusion's spill files, removed when the run ends.
#[cfg(feature = "datafusion")]
struct SpillDir(PathBuf);

#[cfg(feature = "datafusion")]
impl SpillDir {
    fn new() -> Result<SpillDir> {
        let path = std::env::temp_dir().join(format!("mltest-spill-{}", std::process::id()));
        std::fs::create_dir_all(&path).with_context(|| format!("cannot make {}", path.display()))?;
        Ok(SpillDir(path))
    }
}

#[cfg(feature = "datafusion")]
impl Drop for SpillDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The HTML report: the page's components, which the default `html-report` feature compiles in.
#[cfg(feature = "html-report")]
fn html_report(report: &report::Report) -> Result<String> {
    mltest::app::html_report::render(report).map_err(anyhow::Error::msg)
}

#[cfg(not(feature = "html-report"))]
fn html_report(_report: &report::Report) -> Result<String> {
    bail!("--format html: this mltest was built without the `html-report` feature; build it with the default features")
}

fn read_suite(path: &Path) -> Result<Suite> {
    if is_link(path) {
        return Ok(share::decode(&path.to_string_lossy())?.suite);
    }
    let shown = path.display().to_string();
    let text = read_suite_text(path)?;
    Ok(suite::parse(&text, Format::from_path(&shown), &shown)?)
}

/// A suite file's text: bounded in size, UTF-8.
fn read_suite_text(path: &Path) -> Result<String> {
    let shown = path.display().to_string();
    let limit = suite::MAX_SUITE_BYTES as u64;
    let bytes = match read_bounded(path, limit).with_context(|| format!("cannot read the suite {shown}"))? {
        Bounded::Whole(bytes) => bytes,
        Bounded::Over => bail!(
            "{shown}: the suite is larger than {} MB ({limit} bytes); suites over that are refused (give a large CSV with --data, not inline)",
            limit >> 20
        ),
    };
    suite::text_of(&shown, bytes).map_err(anyhow::Error::msg)
}

/// The data a run reads: the data tested, or the reference `drift` compares it with.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Input {
    Data,
    Reference,
}

impl Input {
    /// Its field in the suite, and its flag.
    fn field(self) -> &'static str {
        match self {
            Input::Data => "data",
            Input::Reference => "reference",
        }
    }
}

/// The CSV file of `input`: its flag, else the suite's `file` source; `None` for a sample,
/// inline data, or no reference.
fn input_path(
    spec: Option<&DataSpec>,
    input: Input,
    suite_path: &Path,
    given: Option<&Path>,
) -> Result<Option<PathBuf>> {
    let field = input.field();
    let Some(spec) = spec else { return Ok(given.map(Path::to_owned)) };
    match (given, spec.kind()) {
        (Some(path), _) => Ok(Some(path.to_owned())),
        (None, DataSource::File(path)) if is_link(suite_path) => bail!(
            "the link carries no {field}: it names the file {}; give it with --{field} CSV",
            report::fmt::excerpt(path.unwrap_or("it was made from"))
        ),
        (None, DataSource::File(Some(relative))) => suite_file_path(suite_path, relative, field).map(Some),
        (None, DataSource::File(None)) => bail!(
            "{}: {field}.source: the suite reads a `file` without a `path`: give the CSV with --{field} CSV",
            suite_path.display()
        ),
        (None, _) => Ok(None),
    }
}

/// Reads the CSV file of `input` at `path`, if any; an error names the suite's field when the
/// path came from the suite (that is where it has to be fixed).
fn read_input(
    path: Option<&Path>,
    input: Input,
    given: Option<&Path>,
    suite_path: &Path,
    options: &LoadOptions,
) -> Result<Option<Table>> {
    let Some(path) = path else { return Ok(None) };
    let table = read_csv_file(path, options);
    Ok(Some(match given {
        Some(_) => table?,
        None => table.with_context(|| format!("{}: {}.path", suite_path.display(), input.field()))?,
    }))
}

/// A suite's `data.path`, which is relative to the suite and must stay inside the suite's
/// folder: a suite from a pull request, run in CI, would otherwise print any file the runner
/// can read (`/home/runner/.env`, `../../secrets.csv`) into a public log, as failing rows.
/// Symbolic links are followed before the check, so a link out of the folder is refused too.
fn suite_file_path(suite_path: &Path, relative: &str, field: &str) -> Result<PathBuf> {
    let shown = suite_path.display();
    let given = Path::new(relative);
    let refuse = |why: &str| {
        anyhow::anyhow!(
            "{shown}: {field}.path: `{}` {why}; a suite reads data only from its own folder and below: give any other file with --{field} CSV",
            report::fmt::excerpt(relative)
        )
    };
    if given.has_root() || given.components().any(|c| matches!(c, Component::Prefix(_))) {
        return Err(refuse("is an absolute path"));
    }
    if given.components().any(|c| c == Component::ParentDir) {
        return Err(refuse("goes up out of the suite's folder with `..`"));
    }
    let folder = match suite_path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let path = folder.join(given);
    // A file that does not exist is reported when it is read, with its name.
    let (Ok(folder), Ok(target)) = (folder.canonicalize(), path.canonicalize()) else {
        return Ok(path);
    };
    if !target.starts_with(&folder) {
        return Err(refuse(&format!(
            "is a symbolic link to {}, outside the suite's folder",
            target.display()
        )));
    }
    Ok(path)
}

/// Whether `a` and `b` name one file (through links, `..` or another spelling). A file that
/// does not exist yet is no other file.
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(meta_a), Ok(meta_b)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        meta_a.dev() == meta_b.dev() && meta_a.ino() == meta_b.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (meta_a, meta_b);
        matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
    }
}

/// A file read through a bound.
enum Bounded {
    Whole(Vec<u8>),
    /// The file holds more than the bound.
    Over,
}

/// Reads `path` whole if it holds at most `limit` bytes. The size the file reports is only
/// a hint: a pipe, `/dev/zero` or a file still growing reports none or too little, so the
/// reader itself stops at `limit + 1` bytes.
fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Bounded> {
    let file = std::fs::File::open(path)?;
    let reported = file.metadata().map(|m| m.len()).unwrap_or(0);
    if reported > limit {
        return Ok(Bounded::Over);
    }
    let mut bytes = Vec::with_capacity(reported as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    Ok(if bytes.len() as u64 > limit { Bounded::Over } else { Bounded::Whole(bytes) })
}

/// A CSV file's bytes, refused past `options.max_bytes`.
fn read_data_bytes(path: &Path, options: &LoadOptions) -> Result<Vec<u8>> {
    let shown = path.display().to_string();
    let limit = options.max_bytes;
    match read_bounded(path, limit).with_context(|| format!("cannot read the data {shown}"))? {
        Bounded::Whole(bytes) => Ok(bytes),
        Bounded::Over => match std::fs::metadata(path).map(|m| m.len()) {
            Ok(bytes) if bytes > limit => {
                Err(table::LoadError::new(&shown, table::LoadErrorKind::TooLarge { bytes, limit }).into())
            }
            // A stream (a pipe, a device) says no size, only that it went on past the limit.
            _ => bail!(
                "{shown}: the data goes on past {limit} bytes, larger than the {} MB limit; split the file or sample its rows",
                limit >> 20
            ),
        },
    }
}

fn read_csv_file(path: &Path, options: &LoadOptions) -> Result<Table> {
    let bytes = read_data_bytes(path, options)?;
    Ok(table::read_csv(&bytes, &path.display().to_string(), options)?)
}

/// The predictions as CSV (`line,y_true,y_pred,score`), quoted where a label needs it.
fn write_predictions(path: &Path, predictions: &[Prediction]) -> Result<()> {
    let shown = path.display();
    let mut writer = csv::Writer::from_path(path).with_context(|| format!("cannot write {shown}"))?;
    writer.write_record(["line", "y_true", "y_pred", "score"])?;
    for p in predictions {
        let score = p.score.map(|s| s.to_string()).unwrap_or_default();
        writer.write_record([p.line.to_string().as_str(), &p.y_true, &p.y_pred, &score])?;
    }
    writer.flush().with_context(|| format!("cannot write {shown}"))?;
    Ok(())
}

fn write_output(output: Option<&Path>, text: &str) -> Result<()> {
    match output {
        Some(path) => std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`mltest run … | head`) is not an error of the run.
            match stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush()) {
                Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => Ok(other?),
            }
        }
    }
}

fn inspect(path: &Path, format: InspectFormat) -> Result<ExitCode> {
    let table = read_csv_file(path, &LoadOptions::default())?;
    let profiles = table::profile(&table);
    let text = match format {
        InspectFormat::Json => {
            let value = serde_json::json!({
                "file": table.name(),
                "rows": table.n_rows(),
                "columns": table.n_cols(),
                "delimiter": (table.delimiter() as char).to_string(),
                "sha256": table.sha256(),
                "profile": profiles,
            });
            serde_json::to_string_pretty(&value)? + "\n"
        }
        InspectFormat::Text => {
            let delimiter = match table.delimiter() {
                b'\t' => "tab".to_owned(),
                d => format!("'{}'", d as char),
            };
            let mut out = format!(
                "{}: {} rows × {} columns, delimiter {delimiter}, sha256 {}\n\n",
                table.name(),
                table.n_rows(),
                table.n_cols(),
                table.sha256()
            );
            let optional = |x: Option<f64>| x.map(num).unwrap_or_default();
            let rows: Vec<Vec<String>> = profiles
                .iter()
                .map(|p| {
                    let top: Vec<String> =
                        p.top.iter().take(3).map(|t| format!("{} ({})", t.value, t.count)).collect();
                    vec![
                        p.name.clone(),
                        p.ty.to_string(),
                        p.missing.to_string(),
                        p.distinct.to_string(),
                        optional(p.min),
                        optional(p.max),
                        optional(p.mean),
                        optional(p.std),
                        p.infinite.to_string(),
                        top.join(", "),
                    ]
                })
                .collect();
            out.push_str(&report::text::grid(
                &[
                    "Column",
                    "Type",
                    "Missing",
                    "Distinct",
                    "Min",
                    "Max",
                    "Mean",
                    "Std",
                    "Infinite",
                    "Top values",
                ],
                &rows,
            ));
            out
        }
    };
    write_output(None, &text)?;
    Ok(ExitCode::SUCCESS)
}
