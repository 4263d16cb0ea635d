//! # mltest: automated tests for ML code and data
//!
//! The engine behind the `mltest` command and the in-browser playground. It reads a CSV file
//! into a typed [`table::Table`], reads a test suite ([`suite::Suite`], JSON or YAML), runs
//! every test ([`run::run`]) and returns a [`report::Report`]: one status per test, with the
//! step-by-step execution table that shows how the verdict was reached, the observed value,
//! a plain-words explanation and a sample of the failing rows with their CSV line numbers.
//!
//! The engine knows nothing of the terminal or the browser: the CLI and the page are thin
//! shells over [`run::run`], so a suite gives the same verdict in both.
//!
//! ```
//! use mltest::{run, suite, table};
//!
//! let csv = b"id,age\n1,34\n2,NA\n3,29\n";
//! let table = table::read_csv(csv, "people.csv", &table::LoadOptions::default()).unwrap();
//! let suite = suite::parse(
//!     r#"{ "version": 1, "data": { "source": "file" },
//!          "tests": [ { "id": "age-known", "kind": "not_null", "column": "age" },
//!                     { "id": "ids", "kind": "unique", "column": "id" } ] }"#,
//!     suite::Format::Json,
//!     "people.json",
//! )
//! .unwrap();
//! let report = run::run(&suite, &table);
//! assert_eq!(report.summary.passed, 1);
//! assert_eq!(report.summary.failed, 1);
//! let failure = report.tests[0].failures.as_ref().unwrap();
//! assert_eq!(failure.sample[0].line, 3); // the NA is on line 3 of the file
//! ```

#![forbid(unsafe_code)]

/// A file of `static/`, compiled in (`include_bytes!` or `include_str!`), except in the page's
/// wasm (`fetch-static`), where it is left out (empty) and the page fetches it when it is
/// chosen: the samples but the first ([`samples`]) and the lessons ([`lessons`]). Most
/// visitors choose none, and every visitor would download them with the engine.
macro_rules! static_file {
    (include_str!($path:literal)) => {
        static_file!(@ include_str!($path), "")
    };
    (include_bytes!($path:literal)) => {
        static_file!(@ include_bytes!($path), &[])
    };
    (@ $include:expr, $empty:expr) => {{
        #[cfg(all(target_arch = "wasm32", feature = "fetch-static"))]
        let file = $empty;
        #[cfg(not(all(target_arch = "wasm32", feature = "fetch-static")))]
        let file = $include;
        file
    }};
}

// The page, or natively its components alone for the HTML report (`html-report`): in wasm32
// only `page` builds them, so the engine's wasm build (`make wasm`) stays the engine.
#[cfg(any(feature = "page", all(feature = "html-report", not(target_arch = "wasm32"))))]
pub mod app;
#[cfg(feature = "bench")]
pub mod bench;
pub mod checks;
pub mod gx;
#[cfg(test)]
mod layers;
pub mod lessons;
pub mod pipeline;
// Data tests as DataFusion queries over files of any size (`--engine datafusion`).
#[cfg(all(feature = "datafusion", not(target_arch = "wasm32")))]
pub mod query;
pub mod report;
pub mod run;
pub mod samples;
pub mod share;
// The command-line tool's data on disk (files, directories, globs; CSV or Parquet) and the
// engine that reads it.
#[cfg(not(target_arch = "wasm32"))]
pub mod source;
pub mod suite;
#[cfg(feature = "bench")]
pub mod synth;
pub mod table;
pub mod vocab;
