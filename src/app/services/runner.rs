//! Runs, in a worker that waits for them ([`Runner::warm`]): started with the page, so Run
//! finds the engine instantiated and idle, and kept after a run for the next one (tearing
//! down a worker that held a large table stalls the page's thread). A new run while one is in
//! progress, or Cancel, terminates the busy worker and starts a fresh one; the reducer ignores
//! messages of a run that is no longer current.

use std::cell::Cell;
use std::rc::Rc;

use yew::UseReducerDispatcher;

use super::job::Job;
use crate::app::state::{Action, AppState, LessonAction, RunOutcome};
use crate::app::worker::{Request, Response, RunRequest};

#[derive(Default)]
pub struct Runner {
    worker: Option<RunWorker>,
    runs: u64,
}

/// Where a run worker is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting for a run (it may still be starting: a request waits for its `Ready`).
    Idle,
    Busy,
    /// It failed (a worker that failed may be broken, and is terminated): start another.
    Gone,
}

/// The run worker and the run it works on.
struct RunWorker {
    job: Job,
    run: Rc<Cell<u64>>,
    phase: Rc<Cell<Phase>>,
}

impl Runner {
    /// Starts the worker the next run will use, unless one waits already.
    pub fn warm(&mut self, dispatch: UseReducerDispatcher<AppState>) {
        if self.worker.as_ref().is_none_or(|worker| worker.phase.get() != Phase::Idle) {
            self.worker = RunWorker::start(dispatch);
        }
    }

    /// Sends `request` to the waiting worker (a busy one is terminated and replaced: a new
    /// run replaces the one in progress); its progress and outcome are dispatched as actions.
    pub fn start(&mut self, request: RunRequest, dispatch: UseReducerDispatcher<AppState>) {
        self.warm(dispatch.clone());
        self.runs += 1;
        dispatch.dispatch(Action::StartRun { run: self.runs });
        if let Some(worker) = &self.worker {
            worker.run.set(self.runs);
            worker.phase.set(Phase::Busy);
            worker.job.send(Request::Run(request));
        }
    }

    /// Cancel: terminates the run's worker at once (mid-computation) and starts a fresh one
    /// for the next run, then tells the reducer.
    pub fn cancel(&mut self, dispatch: UseReducerDispatcher<AppState>) {
        if self.worker.as_ref().is_some_and(|worker| worker.phase.get() == Phase::Busy) {
            self.worker = None;
        }
        self.warm(dispatch.clone());
        dispatch.dispatch(Action::Cancel { run: self.runs });
    }
}

impl RunWorker {
    /// An idle worker whose answers become actions of the run it was last given.
    fn start(dispatch: UseReducerDispatcher<AppState>) -> Option<RunWorker> {
        // Runs are numbered from 1: the answer of a worker that failed before any run (it
        // could not start) is for run 0, which the reducer ignores.
        let (run, phase) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(Phase::Idle)));
        let answered = {
            let (run, phase) = (run.clone(), phase.clone());
            move |response| {
                let run = run.get();
                let action = match response {
                    Response::Progress(stage) => Action::Progress { run, stage },
                    Response::Reruns(reruns) => Action::Lesson(LessonAction::Reruns { run, reruns }),
                    Response::Done(report) => {
                        phase.set(Phase::Idle);
                        Action::Finished { run, outcome: RunOutcome::Done(report) }
                    }
                    Response::Failed(message) => {
                        phase.set(Phase::Gone);
                        Action::Finished { run, outcome: RunOutcome::Failed(message) }
                    }
                    Response::Ready | Response::Loaded(_) | Response::Suggested(_) => return,
                };
                dispatch.dispatch(action);
            }
        };
        Job::kept("run", answered).map(|job| RunWorker { job, run, phase })
    }
}
