//! Seeding: two runs of the pipeline with the suite's seed give the same split and the same
//! predictions, bit for bit.

use ndarray::Array2;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::class_name;
use crate::checks::{Context, Evaluation, Family, TestKind};
use crate::pipeline::fit::{fit_on, split_rows, Fitted};
use crate::pipeline::model::Output;
use crate::pipeline::prepare::Prepared;
use crate::pipeline::split::Split;
use crate::report::fmt::num;
use crate::report::{Failures, Trace};
use crate::vocab::Param;

// ---------------------------------------------------------------------------------------
// deterministic_with_seed

/// Two runs of split → preprocess → train → predict with the suite's seed give the same split
/// and the same predictions, bit for bit: a test that passes once passes every time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeterministicWithSeed {}

impl TestKind for DeterministicWithSeed {
    fn needs_training(&self) -> Option<&'static str> {
        Some("it trains the model twice, and a `predictions` model is not trained")
    }

    const FAMILY: Family = Family::Unit;
    const SUMMARY: &'static str = "two runs with one seed give the same split and predictions";
    const PARAMS: &'static [Param] = &[];

    /// Two runs of the whole pipeline.
    fn fits(&self) -> usize {
        2
    }

    fn run(&self, ctx: &Context<'_>, trace: &mut Trace) -> Result<Evaluation, String> {
        let trained = ctx.trained()?;
        let spec = &trained.spec;
        let prepared = &trained.prepared;
        let seed = spec.split.seed;
        let mut runs: Vec<(Split, Fitted)> = Vec::with_capacity(2);
        for i in 1..=2 {
            let action = format!("run {i}: split + fit + predict (seed = {seed})");
            let ran = split_rows(prepared, &spec.split)
                .and_then(|parts| fit_on(prepared, spec, &parts).map(|fitted| (fitted, parts)));
            match ran {
                Ok((fitted, parts)) => {
                    trace.step(
                        action,
                        format!(
                            "train {}, test {} rows; {}",
                            parts.train.len(),
                            parts.test.len(),
                            spec.model.kind()
                        ),
                        format!("{} predictions", fitted.test_output.len()),
                    );
                    runs.push((parts, fitted));
                }
                Err(e) => {
                    trace.step(action, format!("{} labelled rows", prepared.len()), "FAILED");
                    trace.assert("both runs are identical", format!("run {i} failed"), false);
                    return Ok(Evaluation {
                        passed: false,
                        message: format!(
                            "run {i} with seed {seed} failed although the suite's run succeeded: {e}"
                        ),
                        observed: json!({ "split_identical": null, "differing_predictions": null }),
                        failures: None,
                    });
                }
            }
        }
        let ((split_a, a), (split_b, b)) = (&runs[0], &runs[1]);
        let moved = positions_differing(&split_a.train, &split_b.train)
            + positions_differing(&split_a.test, &split_b.test);
        let same_split = split_a == split_b;
        trace.step(
            "compare(split 1, split 2)",
            format!("{} train + {} test positions", split_a.train.len(), split_a.test.len()),
            if same_split { "identical".to_owned() } else { format!("{moved} positions differ") },
        );
        let mut failures = Failures::default();
        let n = a.test_output.len().max(b.test_output.len());
        for i in 0..n {
            if let Some((one, two)) = differing_prediction(&a.test_output, &b.test_output, i, prepared) {
                let line = split_a.test.get(i).map_or(0, |&p| prepared.line(p));
                failures.push(line, &prepared.target_name, format!("run 1: {one}, run 2: {two}"));
            }
        }
        let what = match a.test_output {
            Output::Classes { .. } => "labels and probabilities, bit for bit",
            Output::Values(_) => "values, bit for bit",
        };
        trace.step(
            "compare(predictions 1, predictions 2)",
            format!("{n} test predictions: {what}"),
            format!("differing = {}", failures.count),
        );
        trace.set("split_identical", same_split.to_string());
        trace.set("differing", failures.count.to_string());
        let passed = same_split && failures.is_empty();
        trace.assert(
            "split 1 == split 2 and predictions 1 == predictions 2",
            format!(
                "{}, {} of {n} predictions differ",
                if same_split { "same split" } else { "different splits" },
                failures.count
            ),
            passed,
        );
        let message = if passed {
            format!(
                "two runs with seed {seed} gave the same split ({} train, {} test rows) and the same {n} predictions, bit for bit",
                split_a.train.len(),
                split_a.test.len()
            )
        } else {
            let mut parts = Vec::new();
            if !same_split {
                parts.push(format!("the split differs in {moved} positions"));
            }
            if !failures.is_empty() {
                parts.push(format!("{} of {n} predictions differ", failures.count));
            }
            format!("two runs with seed {seed} are not identical: {}", parts.join(" and "))
        };
        Ok(Evaluation {
            passed,
            message,
            observed: json!({ "split_identical": same_split, "differing_predictions": failures.count }),
            failures: Some(failures),
        })
    }
}

// ---------------------------------------------------------------------------------------
// Helpers

/// How many of two sorted position lists' entries differ (by symmetric difference).
pub(super) fn positions_differing(a: &[usize], b: &[usize]) -> usize {
    let (mut i, mut j, mut differ) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => {
                differ += 1;
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                differ += 1;
                j += 1;
            }
        }
    }
    differ + (a.len() - i) + (b.len() - j)
}

/// The `i`th predictions of two runs as text when they differ in any bit; `None` when equal.
pub(super) fn differing_prediction(
    a: &Output,
    b: &Output,
    i: usize,
    prepared: &Prepared<'_>,
) -> Option<(String, String)> {
    match (a, b) {
        (Output::Classes { labels: la, proba: pa }, Output::Classes { labels: lb, proba: pb }) => {
            let show = |labels: &[usize], proba: &Array2<f64>| match labels.get(i) {
                Some(&label) => {
                    let p = proba.get((i, label)).copied().unwrap_or(f64::NAN);
                    format!("{} (p = {})", class_name(prepared, label), num(p))
                }
                None => "no prediction".to_owned(),
            };
            let same_label = la.get(i) == lb.get(i);
            let same_proba = match (la.get(i), lb.get(i)) {
                (Some(_), Some(_)) => {
                    pa.ncols() == pb.ncols()
                        && (0..pa.ncols()).all(|c| pa[[i, c]].to_bits() == pb[[i, c]].to_bits())
                }
                _ => false,
            };
            if same_label && same_proba {
                return None;
            }
            let (mut one, mut two) = (show(la, pa), show(lb, pb));
            if one == two {
                // Equal as printed: the difference is below four decimals.
                let bits = |p: &Array2<f64>| {
                    la.get(i).and_then(|&l| p.get((i, l))).map_or("none".to_owned(), |v| format!("{v:e}"))
                };
                one = bits(pa);
                two = bits(pb);
            }
            Some((one, two))
        }
        (Output::Values(va), Output::Values(vb)) => match (va.get(i), vb.get(i)) {
            (Some(x), Some(y)) if x.to_bits() == y.to_bits() => None,
            (x, y) => {
                let show = |v: Option<&f64>| v.map_or("no prediction".to_owned(), |v| format!("{v:e}"));
                Some((show(x), show(y)))
            }
        },
        _ => Some(("classes".to_owned(), "values".to_owned())),
    }
}
