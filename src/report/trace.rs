//! The execution table of one test, built step by step while it runs.

use super::{DriftOutcome, SliceOutcome, Step, Variable};

/// Records the steps a test takes and the variables it tracks.
///
/// ```
/// use mltest::report::Trace;
///
/// let mut trace = Trace::default();
/// trace.step("count_missing(age)", "1 of 3 rows", "missing = 1");
/// trace.set("missing", "1");
/// trace.assert("missing <= 0", "1 <= 0", false);
/// let (steps, variables) = trace.finish();
/// assert_eq!(steps[1].result, "FAIL");
/// assert_eq!(variables[0].values, [Some("1".to_string()), Some("1".to_string())]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Trace {
    steps: Vec<Step>,
    /// (step index the value was set at, name, value), in the order they were set.
    sets: Vec<(usize, String, String)>,
    /// The slices a slice or fairness test cut the rows into.
    slices: Vec<SliceOutcome>,
    /// The columns a drift test compared.
    drift: Vec<DriftOutcome>,
}

impl Trace {
    /// Appends a row to the execution table.
    pub fn step(
        &mut self,
        action: impl Into<String>,
        evaluation: impl Into<String>,
        result: impl Into<String>,
    ) {
        self.steps.push(Step {
            step: self.steps.len() + 1,
            action: action.into(),
            evaluation: evaluation.into(),
            result: result.into(),
        });
    }

    /// Appends the assertion row: `assert <claim>`, the claim with the values filled in, and
    /// PASS or FAIL.
    pub fn assert(&mut self, claim: impl AsRef<str>, evaluation: impl Into<String>, passed: bool) {
        let result = if passed { "PASS" } else { "FAIL" };
        self.step(format!("assert {}", claim.as_ref()), evaluation, result);
    }

    /// Sets a tracked variable's value as of the latest step.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let at = self.steps.len().saturating_sub(1);
        self.sets.push((at, name.into(), value.into()));
    }

    /// Records a slice of the rows (`tests[].slices[]`).
    pub fn slice(&mut self, slice: SliceOutcome) {
        self.slices.push(slice);
    }

    /// The slices recorded so far, taken out of the trace.
    pub fn take_slices(&mut self) -> Vec<SliceOutcome> {
        std::mem::take(&mut self.slices)
    }

    /// Records a column a drift test compared (`tests[].drift[]`).
    pub fn drift(&mut self, column: DriftOutcome) {
        self.drift.push(column);
    }

    /// The drift outcomes recorded so far, taken out of the trace.
    pub fn take_drift(&mut self) -> Vec<DriftOutcome> {
        std::mem::take(&mut self.drift)
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The table and each variable's value after every step.
    pub fn finish(self) -> (Vec<Step>, Vec<Variable>) {
        let n = self.steps.len();
        let mut variables: Vec<Variable> = Vec::new();
        for (at, name, value) in self.sets {
            let index = match variables.iter().position(|v| v.name == name) {
                Some(index) => index,
                None => {
                    variables.push(Variable { name, values: vec![None; n] });
                    variables.len() - 1
                }
            };
            for slot in &mut variables[index].values[at.min(n.saturating_sub(1))..] {
                *slot = Some(value.clone());
            }
        }
        (self.steps, variables)
    }
}
