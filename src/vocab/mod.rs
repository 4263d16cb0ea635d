//! The shared words of the engine: what every layer names and none owns. The task a model
//! solves ([`Task`]), what a failure does to the verdict ([`Severity`]), the four test
//! families ([`Family`]), the metadata a form shows for a parameter ([`Param`], [`ParamType`],
//! [`ParamError`]), the clock ([`now_ms`]), how a number is written ([`num`]) and which known
//! name a misspelt one was meant to be ([`spelling`]).
//!
//! This module imports nothing of the crate: it is the bottom layer, so every other module
//! may use it and the layers above it point down (`table → pipeline → report → checks →
//! suite → run → …`); `layers` in `lib.rs` keeps it so.

mod clock;
mod num;
mod param;
pub mod spelling;

pub use clock::now_ms;
pub use num::num;
pub use param::{Param, ParamError, ParamType};

use serde::{Deserialize, Serialize};

/// What a model predicts: a class or a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Task {
    Classification,
    Regression,
}

impl Task {
    pub fn name(self) -> &'static str {
        match self {
            Task::Classification => "classification",
            Task::Regression => "regression",
        }
    }
}

/// What a failing test does to the verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A failure fails the suite.
    #[default]
    Fail,
    /// A failure is reported as a warning; the suite can still pass.
    Warn,
}

/// The four families of PRODUCT.md §3, in the order a run evaluates them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Data,
    Unit,
    Threshold,
    Integration,
}

impl Family {
    pub fn name(self) -> &'static str {
        match self {
            Family::Data => "data",
            Family::Unit => "unit",
            Family::Threshold => "threshold",
            Family::Integration => "integration",
        }
    }
}
