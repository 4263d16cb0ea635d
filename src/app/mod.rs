//! The playground page (PRODUCT.md §6): a Yew app over the same engine as the CLI.
//!
//! - [`state`]: everything the page holds, changed only by [`state::Action`]s through a
//!   `Reducible` (plain Rust, tested natively);
//! - [`suite_doc`]: the edits the suite editor's forms make to the suite's JSON text;
//! - [`components`]: one component per file, props in and callbacks out (rendered natively
//!   in tests with yew's server renderer);
//! - [`sharing`]: the link the page's state makes and what opening a link loads;
//! - [`tutorial`]: the open lesson and the learner's place in it;
//! - [`worker`]: the run protocol and the Web Worker that runs the engine off the page's
//!   thread;
//! - `services`: downloads (every target, so components can call them), and, wasm32 only,
//!   reading files and one worker per run;
//! - `page` (wasm32 only): the root component that wires state, services and components
//!   together.
//!
//! `src/bin/app.rs` calls [`start`]; `src/bin/worker.rs` calls `worker::serve`.
//! Trunk builds both from `www/index.html`.

pub mod components;
pub mod sharing;
pub mod state;
pub mod suite_doc;
pub mod tutorial;
pub mod worker;

#[cfg(target_arch = "wasm32")]
mod page;
// Public so that the in-browser tests (tests/browser.rs) reach them as the page does.
pub mod services;

#[cfg(target_arch = "wasm32")]
pub use page::{start, App};
