//! Unit tests of the pipeline's own functions (PRODUCT.md §3): the scaler, the split, the
//! imputer, the one-hot encoder, seeding, and the model's `predict`.
//!
//! Each test inspects what the suite's pipeline computed
//! ([`Context::trained`](super::Context::trained): the split positions, the fitted
//! preprocessor, the model) and checks one property of one function against a value
//! computed here independently, from the table or by calling the function again. Numbers in the execution table are the ones measured, so a failure shows by how
//! much a property missed.
//!
//! One file per function tested:
//!
//! - `scaler.rs`: [`ScalerStandardizes`], [`ScalerRange`], [`ScalerInverseRoundtrip`].
//! - `split.rs`: [`SplitSizes`], [`SplitNoOverlap`], [`SplitLabelCoverage`],
//!   [`SplitStratified`].
//! - `impute.rs`: [`ImputerFillsAll`].
//! - `encode.rs`: [`OneHotWidth`].
//! - `seed.rs`: [`DeterministicWithSeed`].
//! - `predict.rs`: [`PredictBatchInvariance`], [`PredictionShape`].
//!
//! This file holds what several of them share: tolerances, the names of the preprocessing
//! steps, the class names. Their tests are in `tests/`, a file per subject.

mod encode;
mod impute;
mod predict;
mod scaler;
mod seed;
mod split;

pub use encode::OneHotWidth;
pub use impute::ImputerFillsAll;
pub use predict::{PredictBatchInvariance, PredictionShape};
pub use scaler::{ScalerInverseRoundtrip, ScalerRange, ScalerStandardizes};
pub use seed::DeterministicWithSeed;
pub use split::{SplitLabelCoverage, SplitNoOverlap, SplitSizes, SplitStratified};

use crate::checks::ParamError;
use crate::pipeline::prepare::Prepared;
use crate::pipeline::preprocess::{Impute, PreprocessSpec, Scale};
use crate::pipeline::split::Split;
use crate::report::fmt::num;
use crate::report::Trace;

// ---------------------------------------------------------------------------------------
// Shared steps

/// Whether a measured error is within `tol`; a NaN is not, so a NaN fails every test.
fn within(error: f64, tol: f64) -> bool {
    error <= tol
}

/// The larger of two numbers, NaN if either is (`f64::max` would drop a NaN, and a NaN
/// measured is a failure, not a value to ignore).
fn nan_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}

/// A tolerance as written in a suite: `1e-6`, `0.05`.
fn tol_text(tol: f64) -> String {
    if tol > 0.0 && tol < 1e-4 {
        format!("{tol:e}")
    } else {
        num(tol)
    }
}

fn check_tol(tol: f64) -> Result<(), ParamError> {
    if tol >= 0.0 && tol.is_finite() {
        Ok(())
    } else {
        Err(ParamError::new(
            "tol",
            format!("{tol} is not a tolerance: use a number of 0 or more, such as 1e-6"),
        ))
    }
}

fn scale_name(scale: Scale) -> &'static str {
    match scale {
        Scale::Standard => "standard",
        Scale::Minmax => "minmax",
    }
}

fn impute_name(impute: Impute) -> &'static str {
    match impute {
        Impute::Mean => "mean",
        Impute::Median => "median",
        Impute::MostFrequent => "most_frequent",
    }
}

/// The suite's preprocessing in the order it applies: `impute mean → one_hot → scale standard`.
fn describe_preprocess(spec: PreprocessSpec) -> String {
    let mut steps = Vec::new();
    if let Some(impute) = spec.impute {
        steps.push(format!("impute {}", impute_name(impute)));
    }
    if spec.one_hot.is_some() {
        steps.push("one_hot".to_owned());
    }
    if let Some(scale) = spec.scale {
        steps.push(format!("scale {}", scale_name(scale)));
    }
    if steps.is_empty() {
        "no preprocessing".to_owned()
    } else {
        steps.join(" → ")
    }
}

fn split_step_of(
    trace: &mut Trace,
    spec: &crate::pipeline::split::SplitSpec,
    prepared: &Prepared<'_>,
    parts: &Split,
) {
    trace.step(
        format!(
            "split(test_size = {}, seed = {}{})",
            num(spec.test_size),
            spec.seed,
            if spec.stratify { ", stratify" } else { "" }
        ),
        format!("{} labelled rows", prepared.len()),
        format!("train = {}, test = {}", parts.train.len(), parts.test.len()),
    );
    trace.set("train", parts.train.len().to_string());
    trace.set("test", parts.test.len().to_string());
}

fn class_name(prepared: &Prepared<'_>, class: usize) -> String {
    prepared.target.class_names().get(class).cloned().unwrap_or_else(|| format!("class {class}"))
}

/// Names without backticks, for execution tables: `Adelie, Chinstrap, Gentoo`.
fn names_list(names: &[&str]) -> String {
    const SHOWN: usize = 8;
    let mut text = names.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

#[cfg(test)]
mod tests;
