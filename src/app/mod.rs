//! The playground page (PRODUCT.md §6): a Yew app over the same engine as the CLI.
//!
//! - [`state`]: everything the page holds, changed only by [`state::Action`]s through a
//!   `Reducible` (plain Rust, tested natively);
//! - [`suite_doc`]: the edits the suite editor's forms make to the suite's JSON text;
//! - [`components`]: one component per file, props in and callbacks out (rendered natively
//!   in tests with yew's server renderer);
//! - [`worker`]: the run protocol and the Web Worker that runs the engine off the page's
//!   thread;
//! - `services` and `page` (wasm32 only): reading files, one worker per run, and the root
//!   component that wires state, services and components together.
//!
//! `src/bin/app.rs` calls [`start`]; `src/bin/worker.rs` calls `worker::serve`.
//! Trunk builds both from `www/index.html`.

pub mod components;
pub mod state;
pub mod suite_doc;
pub mod worker;

#[cfg(target_arch = "wasm32")]
mod page;
#[cfg(target_arch = "wasm32")]
mod services;

#[cfg(target_arch = "wasm32")]
pub use page::{start, App};
