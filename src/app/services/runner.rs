//! Runs, one worker per run ([`Job`]): a new run or Cancel terminates the previous one, and
//! the reducer ignores messages of a run that is no longer current.

use yew::UseReducerDispatcher;

use super::job::Job;
use crate::app::state::{Action, AppState, LessonAction, RunOutcome};
use crate::app::worker::{Request, Response, RunRequest};

#[derive(Default)]
pub struct Runner {
    current: Option<Job>,
    runs: u64,
}

impl Runner {
    /// Starts `request` in a new worker, replacing any run in progress; its progress and
    /// outcome are dispatched as actions.
    pub fn start(&mut self, request: RunRequest, dispatch: UseReducerDispatcher<AppState>) {
        self.current = None;
        self.runs += 1;
        let run = self.runs;
        dispatch.dispatch(Action::StartRun { run });
        self.current = Job::start("run", Request::Run(request), move |response| {
            let action = match response {
                Response::Progress(stage) => Action::Progress { run, stage },
                Response::Reruns(reruns) => Action::Lesson(LessonAction::Reruns { run, reruns }),
                Response::Done(report) => Action::Finished { run, outcome: RunOutcome::Done(report) },
                Response::Failed(message) => Action::Finished { run, outcome: RunOutcome::Failed(message) },
                Response::Ready | Response::Loaded(_) | Response::Suggested(_) => return,
            };
            dispatch.dispatch(action);
        });
    }

    /// Cancel: terminates the run's worker at once (mid-computation), then tells the reducer.
    pub fn cancel(&mut self, dispatch: UseReducerDispatcher<AppState>) {
        self.current = None;
        dispatch.dispatch(Action::Cancel { run: self.runs });
    }
}
