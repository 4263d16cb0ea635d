//! The playground page (PRODUCT.md §6): a Yew app over the same engine as the CLI.
//!
//! - [`state`]: everything the page holds, changed only by [`state::Action`]s through a
//!   `Reducible` (plain Rust, tested natively), one child module per slice (data, suite, run,
//!   links, lesson, saved);
//! - [`suite_doc`]: the edits the suite editor's forms make to the suite's JSON text;
//! - [`components`]: one component per file, props in and callbacks out (rendered natively
//!   in tests with yew's server renderer);
//! - [`html_report`]: the run's results as one self-contained HTML file, the same components
//!   rendered by the CLI (`mltest run --format html`) or by the page (its download);
//! - [`worker`]: the worker's protocol (a run, or reading a file) and the Web Worker that
//!   does both off the page's thread;
//! - `services`: downloads (every target, so components can call them), and, wasm32 only,
//!   reading files, the address and localStorage, and the workers of runs, loads and
//!   suggestions;
//! - `playground` (wasm32 only): the context that holds the state and the services, and
//!   `use_playground()`, the hook whose verbs (`load_sample`, `load_file`, `run`, `cancel`,
//!   `share`, `open_lesson`, …) the page's sections call;
//! - `page` (wasm32 only): the root component and the page's layout.
//!
//! `src/bin/app.rs` calls [`start`] in the page and `worker::serve` in a worker: one module,
//! built by Trunk from `www/index.html`, compiled once by the page and sent to its workers.

pub mod components;
pub mod html_report;
pub mod state;
pub mod suite_doc;
pub mod worker;

#[cfg(target_arch = "wasm32")]
mod page;
#[cfg(target_arch = "wasm32")]
mod playground;
// Public so that the in-browser tests (tests/browser.rs) reach them as the page does.
pub mod services;

#[cfg(target_arch = "wasm32")]
pub use page::{start, App};
