//! The page's side effects; each ends in a [`state::Action`](super::state::Action), except
//! `download`, which components call directly (it changes nothing the page holds). The
//! workers (`job`) run the engine for a run (`runner`) or a load (`loader`); `statics`
//! fetches the page's own files (a lesson's).

pub mod download;
#[cfg(target_arch = "wasm32")]
pub mod files;
#[cfg(target_arch = "wasm32")]
pub mod job;
#[cfg(target_arch = "wasm32")]
pub mod loader;
#[cfg(target_arch = "wasm32")]
pub mod location;
#[cfg(target_arch = "wasm32")]
pub mod runner;
#[cfg(target_arch = "wasm32")]
pub mod statics;
#[cfg(target_arch = "wasm32")]
pub mod storage;
