//! The page's side effects; each ends in a [`state::Action`](super::state::Action).

pub mod files;
pub mod location;
pub mod runner;
pub mod storage;
