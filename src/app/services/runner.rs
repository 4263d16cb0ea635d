//! Runs in a Web Worker, one worker per run: a new run drops the previous worker's bridge
//! (its late messages are ignored), and a worker whose engine panicked is never reused.

use gloo_worker::{Spawnable, WorkerBridge};
use yew::UseReducerDispatcher;

use crate::app::state::{Action, AppState, RunOutcome};
use crate::app::worker::{RunRequest, RunResponse, RunWorker};

/// Written by Trunk beside the worker (`data-loader-shim` in www/index.html).
const LOADER: &str = "worker_loader.js";

#[derive(Default)]
pub struct Runner {
    bridge: Option<WorkerBridge<RunWorker>>,
    runs: u64,
}

impl Runner {
    /// Starts `request` in a new worker; its progress and outcome are dispatched as actions.
    pub fn start(&mut self, request: RunRequest, dispatch: UseReducerDispatcher<AppState>) {
        self.runs += 1;
        let run = self.runs;
        dispatch.dispatch(Action::StartRun { run });
        let bridge = RunWorker::spawner()
            .callback(move |response| {
                dispatch.dispatch(match response {
                    RunResponse::Progress(stage) => Action::Progress { run, stage },
                    RunResponse::Done(json) => Action::Finished { run, outcome: RunOutcome::Done(json) },
                    RunResponse::Failed(message) => {
                        Action::Finished { run, outcome: RunOutcome::Failed(message) }
                    }
                })
            })
            .spawn_with_loader(LOADER);
        bridge.send(request);
        self.bridge = Some(bridge);
    }
}
