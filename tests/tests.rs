//! mltest's integration tests: ONE test binary (STYLE.md example 8) that runs the `mltest`
//! executable the way a person or a CI job does, and checks its exit status, stdout and
//! stderr against PRODUCT.md §4, §5 and §8.
//!
//! Module index:
//!
//! - `util`: running the binary (every run is checked never to panic: no status 101, no
//!   "panicked" on stderr), paths to the fixtures, scratch directories, JSON helpers.
//! - `examples`: every suite shipped in `static/suites/` runs with the verdict pinned for
//!   it (STYLE.md example 9); an example that is not pinned fails the test.
//! - `cli`: `mltest run` in the text, JSON and JUnit formats, `--output`, `--data`, a
//!   `file` source relative to the suite, a pinned SHA-256 or row count; `mltest inspect`;
//!   `--help`, unknown subcommands and flags; hostile suites and inputs (a `data.path` out of
//!   the suite's folder, a stream as data, `--output` onto an input, escape sequences in
//!   column names).
//! - `engines`: `--data` as files, a directory or a glob, and `--engine` (PRODUCT.md §14):
//!   the memory engine's refusals; with the `datafusion` feature, several CSV files and
//!   Parquet give the memory engine's verdicts, failing rows named by file and row.
//! - `bad_input`: PRODUCT.md §8 for CSV and suite files: every malformed input is refused
//!   with status 2 and a message naming the file and the line, column or field; awkward but
//!   valid files (BOM, CRLF, quoted newlines, `;` tab `|` delimiters, NaN/inf/NA/? cells)
//!   load; data problems a test can judge (a missing column, a constant column, one class)
//!   are reported by the run, with status 1.
//! - `gx`: `mltest import gx` and `mltest export gx` (PRODUCT.md §13): a Great Expectations
//!   suite (0.18 or 1.x) becomes a suite that runs, what has no counterpart is listed on
//!   stderr, a bad GX file is refused naming the expectation and field, an export imports back.
//! - `link`: `mltest link encode|decode` and `mltest run LINK`: a link runs to the same
//!   report as its file, small data travels inline, large data is asked for and checked,
//!   bad links are refused, frozen format-1 links keep their verdicts.
//! - `model`: suites that train: the accuracy gate's table, a threshold that fails, a
//!   byte-identical rerun, `--predictions`, and bad pipeline inputs (one class, a text
//!   regression target, an all-missing feature, more features than rows, `test_size` 0 or 1).
//!
//! Fixtures are in `tests/data/`: `suites/` holds suites and `suites/csv/` the small CSV
//! files they read (a `file` source's `path` is relative to the suite and must stay inside
//! its folder, so `csv/NAME`).
//! Regression tests are named `regression_*` and say which bug they pin.
//!
//! The modules are directories (`tests/NAME/mod.rs`) so that Cargo, which makes a separate
//! test binary of every `tests/*.rs` file, builds only this one. (`tests/browser.rs` is the
//! other binary: it runs in headless Chromium and is the only one built for wasm32.)

// It runs the native executable: nothing here builds for the browser.
#![cfg(not(target_arch = "wasm32"))]

mod bad_input;
mod cli;
mod engines;
mod examples;
mod gx;
mod link;
mod model;
mod util;
