//! The work a suite may start: each test kind says how many model fits it starts
//! ([`TestKind::fits`](super::TestKind::fits)), and a suite whose tests together would start
//! more than [`MAX_SUITE_FITS`] is refused when it is read, naming the test that crosses it.

use super::Check;
use crate::pipeline::limits::{self, MAX_SUITE_FITS};

/// Model fits `check` starts when it runs, besides the suite's one training: a fold each for
/// cross-validation, two runs for the determinism test, one for the end-to-end test.
pub fn fits_of(check: &Check) -> usize {
    check.fits()
}
/// The error of the test (`id`) that would take a run past [`MAX_SUITE_FITS`] model fits,
/// `before` of them started by the suite's training and the tests before it.
pub fn fit_budget_error(id: &str, before: usize, fits: usize) -> String {
    format!(
        "`{id}` would start {} model fits after the {} of the tests before it and the suite's training: \
         a run starts at most {} ({} of them); remove tests or lower their `folds`",
        limits::count(fits),
        limits::count(before),
        limits::count(MAX_SUITE_FITS),
        limits::count(before + fits)
    )
}

/// Refuses a suite whose enabled tests together would start more than [`MAX_SUITE_FITS`]
/// model fits (two thousand cross-validation tests ran for hours), naming the first test
/// that crosses it: `(its index in the suite's tests, the message)`. `tests` is each test's
/// id, check and whether it is enabled, in order; `trains` whether the suite trains a
/// pipeline at all. Suite validation calls it, and the runner enforces the same count.
pub fn check_fit_budget<'a>(
    tests: impl IntoIterator<Item = (&'a str, &'a Check, bool)>,
    trains: bool,
) -> Result<(), (usize, String)> {
    let mut started = usize::from(trains);
    for (index, (id, check, enabled)) in tests.into_iter().enumerate() {
        let fits = if enabled { fits_of(check) } else { 0 };
        if fits > 0 && started + fits > MAX_SUITE_FITS {
            return Err((index, fit_budget_error(id, started, fits)));
        }
        started += fits;
    }
    Ok(())
}
