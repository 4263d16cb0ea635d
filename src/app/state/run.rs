//! The run slice: where the current run is. Runs are numbered, so messages from a run that
//! was replaced or cancelled are ignored.

use std::rc::Rc;

use crate::report::Report;

/// Where the current run is.
#[derive(Debug, Clone, PartialEq)]
pub enum RunState {
    Idle,
    Running {
        run: u64,
        stage: String,
    },
    Done {
        run: u64,
        report: Rc<Report>,
    },
    Failed {
        run: u64,
        message: String,
    },
    /// Idle again after run `run` was cancelled (its worker terminated): the page says so.
    Cancelled {
        run: u64,
    },
}

/// What a run's worker answered, as the reducer receives it.
#[derive(Debug, Clone, PartialEq)]
pub enum RunOutcome {
    Done(Box<Report>),
    Failed(String),
}

impl RunState {
    /// Run `run` was sent to a worker; it replaces any run in progress.
    pub fn start(run: u64) -> RunState {
        RunState::Running { run, stage: "starting".into() }
    }

    /// Run `run` is the one in progress.
    pub fn is_running(&self, run: u64) -> bool {
        matches!(self, RunState::Running { run: current, .. } if *current == run)
    }

    /// Run `run` is in progress or has just reported (a lesson's reruns arrive around then).
    pub fn is_current(&self, run: u64) -> bool {
        matches!(self, RunState::Running { run: r, .. } | RunState::Done { run: r, .. } if *r == run)
    }

    pub fn progress(&mut self, run: u64, stage: String) {
        if self.is_running(run) {
            *self = RunState::Running { run, stage };
        }
    }

    pub fn finish(&mut self, run: u64, outcome: RunOutcome) {
        if self.is_running(run) {
            *self = match outcome {
                RunOutcome::Done(report) => RunState::Done { run, report: Rc::from(report) },
                RunOutcome::Failed(message) => RunState::Failed { run, message },
            };
        }
    }

    pub fn cancel(&mut self, run: u64) {
        if self.is_running(run) {
            *self = RunState::Cancelled { run };
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::app::state::testing::*;
    use crate::app::state::*;

    #[test]
    fn progress_and_the_report_of_the_current_run_are_kept() {
        let state = running(1).apply(Action::Progress { run: 1, stage: "run".into() });
        assert_eq!(state.run, RunState::Running { run: 1, stage: "run".into() });
        let state =
            state.apply(Action::Finished { run: 1, outcome: RunOutcome::Done(Box::new(iris_report())) });
        let RunState::Done { run: 1, report } = &state.run else { panic!("{:?}", state.run) };
        assert_eq!(report.summary.passed, 5);
    }

    #[test]
    fn messages_of_a_replaced_run_are_ignored() {
        let state = running(1).apply(Action::StartRun { run: 2 });
        let stale = state
            .apply(Action::Progress { run: 1, stage: "run".into() })
            .apply(Action::Finished { run: 1, outcome: RunOutcome::Failed("old".into()) });
        assert_eq!(stale.run, RunState::Running { run: 2, stage: "starting".into() });
    }

    #[test]
    fn a_failed_run_is_a_failure() {
        let failed =
            running(3).apply(Action::Finished { run: 3, outcome: RunOutcome::Failed("boom".into()) });
        assert_eq!(failed.run, RunState::Failed { run: 3, message: "boom".into() });
    }

    #[test]
    fn a_cancelled_run_is_idle_and_keeps_the_suite_and_data() {
        let edited = AppState::default().apply(Action::EditSuite(INITIAL_SUITE.replace("0.8", "0.7")));
        let state = edited
            .apply(Action::StartRun { run: 5 })
            .apply(Action::Progress { run: 5, stage: "train".into() })
            .apply(Action::Cancel { run: 5 });
        assert_eq!(state.run, RunState::Cancelled { run: 5 });
        assert!(!state.is_running());
        assert_eq!((&state.suite, &state.data), (&edited.suite, &edited.data));
        assert!(state.runnable().is_some());
    }

    #[test]
    fn late_messages_of_a_cancelled_run_are_ignored() {
        let state = running(6).apply(Action::Cancel { run: 6 });
        let late = state
            .apply(Action::Progress { run: 6, stage: "train".into() })
            .apply(Action::Finished { run: 6, outcome: RunOutcome::Done(Box::new(iris_report())) });
        assert_eq!(late.run, RunState::Cancelled { run: 6 });
    }

    #[test]
    fn cancel_only_stops_the_current_run() {
        // Nothing running, or a stale cancel of a replaced run: no change.
        assert_eq!(AppState::default().apply(Action::Cancel { run: 1 }).run, RunState::Idle);
        let replaced = running(1).apply(Action::StartRun { run: 2 }).apply(Action::Cancel { run: 1 });
        assert_eq!(replaced.run, RunState::Running { run: 2, stage: "starting".into() });
        let done = running(3).apply(Action::Finished { run: 3, outcome: RunOutcome::Failed("x".into()) });
        assert_eq!(done.apply(Action::Cancel { run: 3 }).run, done.run);
        // A new run after a cancel starts normally.
        let again = running(4).apply(Action::Cancel { run: 4 }).apply(Action::StartRun { run: 5 });
        assert!(again.is_running());
    }
}
