//! The run worker: the page sends a [`RunRequest`] (the suite text, the CSV bytes and the
//! file's name) and gets back [`RunResponse::Progress`] for each stage, then `Done` with the
//! JSON report or `Failed` with a message.
//!
//! [`execute`] is plain Rust, tested natively. In the browser, [`RunWorker`] runs it in a
//! Web Worker (gloo-worker) so the page never freezes. A panic in the engine comes back as
//! `Failed`: natively it is caught; in wasm32 (where a panic aborts) a panic hook sends
//! `Failed` before the worker dies, and the page drops that worker (one worker per run).

use std::panic::{self, AssertUnwindSafe};

use serde::{Deserialize, Serialize};

use crate::run;
use crate::suite::{self, Format};
use crate::table::{self, LoadOptions};

/// One run: what the page holds when Run is clicked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRequest {
    pub suite: String,
    pub csv: Vec<u8>,
    /// The CSV's file name, as the report shows it.
    pub file: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RunResponse {
    /// The stage now running.
    Progress(String),
    /// The report, as JSON (the report holds JSON values, which the worker codec cannot carry).
    Done(String),
    Failed(String),
}

/// The stages a run reports, in order.
pub const STAGES: [&str; 3] = ["reading the suite", "reading the data", "running the tests"];

/// Runs `request`, telling `progress` each stage's name before it starts.
pub fn execute(request: &RunRequest, mut progress: impl FnMut(&str)) -> RunResponse {
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        progress(STAGES[0]);
        let suite = suite::parse(&request.suite, Format::Json, super::state::SUITE_FILE)
            .map_err(|err| err.to_string())?;
        progress(STAGES[1]);
        let table = table::read_csv(&request.csv, &request.file, &LoadOptions::default())
            .map_err(|err| err.to_string())?;
        progress(STAGES[2]);
        Ok::<_, String>(run::run(&suite, &table).to_json())
    }));
    match outcome {
        Ok(Ok(report)) => RunResponse::Done(report),
        Ok(Err(message)) => RunResponse::Failed(message),
        Err(payload) => RunResponse::Failed(internal_error(panic_message(payload.as_ref()))),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("unknown panic")
}

fn internal_error(message: &str) -> String {
    format!("internal error (a bug in mltest; please report it with this suite and data): {message}")
}

#[cfg(target_arch = "wasm32")]
pub use browser::RunWorker;

#[cfg(target_arch = "wasm32")]
mod browser {
    use std::cell::RefCell;

    use gloo_worker::{HandlerId, Worker, WorkerScope};

    use super::{execute, internal_error, RunRequest, RunResponse};

    thread_local! {
        /// Who to tell when the engine panics during a run.
        static CURRENT: RefCell<Option<(WorkerScope<RunWorker>, HandlerId)>> = const { RefCell::new(None) };
    }

    /// The Web Worker that runs [`execute`].
    pub struct RunWorker;

    impl Worker for RunWorker {
        type Message = ();
        type Input = RunRequest;
        type Output = RunResponse;

        fn create(_scope: &WorkerScope<Self>) -> Self {
            // wasm32 panics abort: report the panic to the page before the worker dies.
            std::panic::set_hook(Box::new(|info| {
                let message = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| info.to_string());
                CURRENT.with(|current| {
                    if let Ok(current) = current.try_borrow() {
                        if let Some((scope, id)) = current.as_ref() {
                            scope.respond(*id, RunResponse::Failed(internal_error(&message)));
                        }
                    }
                });
            }));
            RunWorker
        }

        fn update(&mut self, _scope: &WorkerScope<Self>, _msg: ()) {}

        fn received(&mut self, scope: &WorkerScope<Self>, request: RunRequest, id: HandlerId) {
            CURRENT.with(|current| *current.borrow_mut() = Some((scope.clone(), id)));
            let response =
                execute(&request, |stage| scope.respond(id, RunResponse::Progress(stage.to_owned())));
            CURRENT.with(|current| current.borrow_mut().take());
            scope.respond(id, response);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples;

    fn iris_request(suite: &str) -> RunRequest {
        let sample = samples::get("iris").unwrap();
        RunRequest { suite: suite.to_owned(), csv: sample.csv.to_vec(), file: sample.file.to_owned() }
    }

    #[test]
    fn a_run_reports_each_stage_then_the_report() {
        let mut stages = Vec::new();
        let response =
            execute(&iris_request(super::super::state::INITIAL_SUITE), |s| stages.push(s.to_owned()));
        assert_eq!(stages, STAGES);
        let RunResponse::Done(json) = response else { panic!("{response:?}") };
        let report: crate::report::Report = serde_json::from_str(&json).unwrap();
        assert_eq!(report.verdict, crate::report::Verdict::Pass);
        assert_eq!(report.dataset.name, "iris.csv");
    }

    #[test]
    fn a_bad_suite_or_bad_data_fails_with_the_reason() {
        let response = execute(&iris_request("{"), |_| {});
        let RunResponse::Failed(message) = response else { panic!("{response:?}") };
        assert!(message.starts_with("suite.json"), "{message}");
        let mut request = iris_request(super::super::state::INITIAL_SUITE);
        request.csv.clear();
        request.file = "empty.csv".into();
        let RunResponse::Failed(message) = execute(&request, |_| {}) else { panic!("empty data ran") };
        assert!(message.contains("empty.csv"), "{message}");
    }

    #[test]
    fn a_panic_comes_back_as_failed() {
        let response = execute(&iris_request(super::super::state::INITIAL_SUITE), |stage| {
            if stage == STAGES[2] {
                panic!("boom in {stage}");
            }
        });
        let RunResponse::Failed(message) = response else { panic!("{response:?}") };
        assert!(
            message.starts_with("internal error") && message.ends_with("boom in running the tests"),
            "{message}"
        );
    }
}
