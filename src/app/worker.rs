//! The run worker: the page sends a [`RunRequest`] (the suite text, the CSV bytes and the
//! file's name) and gets back [`RunResponse::Progress`] for each stage, then `Done` with the
//! JSON report or `Failed` with a message.
//!
//! [`execute`] is plain Rust, tested natively. In the browser, `serve` runs it in a Web
//! Worker (web-sys `DedicatedWorkerGlobalScope`, messages are `postMessage` of JSON strings)
//! so the page never freezes; the page owns the `web_sys::Worker` and terminates it to cancel
//! a run. A panic in the engine comes back as `Failed`: natively it is caught; in wasm32
//! (where a panic aborts) a panic hook sends `Failed` before the worker dies, and the page
//! drops that worker (one worker per run).

use std::panic::{self, AssertUnwindSafe};

use serde::{Deserialize, Serialize};

use crate::lessons::{self, Rerun};
use crate::run;
use crate::table::{self, LoadOptions};

/// One run: what the page holds when Run is clicked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRequest {
    pub suite: String,
    pub csv: Vec<u8>,
    /// The CSV's file name, as the report shows it.
    pub file: String,
    /// Also run the suite under these seeds and report this test of each run (a lesson's
    /// flaky test): `(test id, seeds)`.
    #[serde(default)]
    pub reruns: Option<(String, Vec<u64>)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RunResponse {
    /// The worker has loaded and waits for the request (a message sent before is lost).
    Ready,
    /// The stage now running: the two of [`STAGES`], then the engine's (`prepare`, `split`,
    /// …, `test 3 of 12: acc`).
    Progress(String),
    /// The requested reruns, sent just before the report.
    Reruns(Vec<Rerun>),
    /// The report, as JSON (the report holds JSON values, which the worker codec cannot carry).
    Done(String),
    Failed(String),
}

/// The stages a run reports before the engine's own, in order.
pub const STAGES: [&str; 2] = ["reading the suite", "reading the data"];

/// Runs `request`, telling `progress` each stage's name before it starts, and `reruns` the
/// reruns when the request asks for them.
pub fn execute(
    request: &RunRequest,
    mut progress: impl FnMut(&str),
    reruns: impl FnOnce(Vec<Rerun>),
) -> RunResponse {
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        progress(STAGES[0]);
        let suite = super::state::parse_suite(&request.suite).map_err(|err| err.to_string())?;
        progress(STAGES[1]);
        let table = table::read_csv(&request.csv, &request.file, &LoadOptions::default())
            .map_err(|err| err.to_string())?;
        let report = run::run_observed(&suite, &table, &mut progress).to_json();
        if let Some((focus, seeds)) = &request.reruns {
            progress(&format!("rerunning with {} seeds", seeds.len()));
            reruns(lessons::reruns(&suite, &table, focus, seeds).map_err(|err| err.to_string())?);
        }
        Ok::<_, String>(report)
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
pub use browser::{encode_request, serve};

#[cfg(target_arch = "wasm32")]
mod browser {
    use js_sys::{Array, Uint8Array};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    use super::{execute, internal_error, RunRequest, RunResponse};

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    /// Sends `response` to the page as a JSON string.
    fn post(response: &RunResponse) {
        if let Ok(json) = serde_json::to_string(response) {
            // Nothing to do when the page is gone.
            let _ = scope().post_message(&JsValue::from_str(&json));
        }
    }

    /// The worker's main: answers one [`RunRequest`] per message (the page sends one, then
    /// terminates the worker). Posts [`RunResponse::Ready`] once listening.
    pub fn serve() {
        // wasm32 panics abort: report the panic to the page before the worker dies.
        std::panic::set_hook(Box::new(|info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| info.to_string());
            post(&RunResponse::Failed(internal_error(&message)));
        }));
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
            let response = match decode_request(&event.data()) {
                Some(request) => execute(
                    &request,
                    |stage| post(&RunResponse::Progress(stage.to_owned())),
                    |reruns| post(&RunResponse::Reruns(reruns)),
                ),
                None => RunResponse::Failed(internal_error("the worker got an unreadable request")),
            };
            post(&response);
        });
        scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        // The handler lives as long as the worker.
        onmessage.forget();
        post(&RunResponse::Ready);
    }

    /// The page's side of the protocol: `[suite, file, csv bytes, reruns as JSON]` (the bytes
    /// are transferred, not copied).
    pub fn encode_request(request: RunRequest) -> (JsValue, Array) {
        let csv = Uint8Array::from(request.csv.as_slice());
        let reruns = serde_json::to_string(&request.reruns).unwrap_or_default();
        let message = Array::of4(&request.suite.into(), &request.file.into(), &csv, &reruns.into());
        (message.into(), Array::of1(&csv.buffer()))
    }

    fn decode_request(data: &JsValue) -> Option<RunRequest> {
        let parts = data.dyn_ref::<Array>()?;
        Some(RunRequest {
            suite: parts.get(0).as_string()?,
            file: parts.get(1).as_string()?,
            csv: parts.get(2).dyn_into::<Uint8Array>().ok()?.to_vec(),
            reruns: serde_json::from_str(&parts.get(3).as_string()?).ok()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples;

    fn iris_request(suite: &str) -> RunRequest {
        let sample = samples::get("iris").unwrap();
        RunRequest {
            suite: suite.to_owned(),
            csv: sample.csv.to_vec(),
            file: sample.file.to_owned(),
            reruns: None,
        }
    }

    #[test]
    fn a_run_reports_each_stage_then_the_report() {
        let mut stages = Vec::new();
        let response =
            execute(&iris_request(super::super::state::INITIAL_SUITE), |s| stages.push(s.to_owned()), |_| {});
        let engine = ["prepare", "split", "preprocess", "train", "predict"];
        let tests = ["no-nulls", "acc", "f1-macro", "cv-accuracy", "end-to-end"];
        let expected: Vec<String> = STAGES
            .iter()
            .chain(&engine)
            .map(|s| s.to_string())
            .chain(tests.iter().enumerate().map(|(i, id)| format!("test {} of 5: {id}", i + 1)))
            .collect();
        assert_eq!(stages, expected);
        let RunResponse::Done(json) = response else { panic!("{response:?}") };
        let report: crate::report::Report = serde_json::from_str(&json).unwrap();
        assert_eq!(report.verdict, crate::report::Verdict::Pass);
        assert_eq!(report.dataset.name, "iris.csv");
    }

    #[test]
    fn a_yaml_suite_runs_in_the_worker() {
        let sample = samples::get("diabetes").unwrap();
        let request = RunRequest {
            suite: include_str!("../../static/suites/diabetes-ranges.yaml").to_owned(),
            csv: sample.csv.to_vec(),
            file: sample.file.to_owned(),
            reruns: None,
        };
        let RunResponse::Done(json) = execute(&request, |_| {}, |_| {}) else {
            panic!("the YAML suite did not run")
        };
        let report: crate::report::Report = serde_json::from_str(&json).unwrap();
        assert_eq!(report.verdict, crate::report::Verdict::Pass);
    }

    #[test]
    fn a_bad_suite_or_bad_data_fails_with_the_reason() {
        let response = execute(&iris_request("{"), |_| {}, |_| {});
        let RunResponse::Failed(message) = response else { panic!("{response:?}") };
        assert!(message.starts_with("suite.json"), "{message}");
        let mut request = iris_request(super::super::state::INITIAL_SUITE);
        request.csv.clear();
        request.file = "empty.csv".into();
        let RunResponse::Failed(message) = execute(&request, |_| {}, |_| {}) else {
            panic!("empty data ran")
        };
        assert!(message.contains("empty.csv"), "{message}");
    }

    #[test]
    fn a_panic_comes_back_as_failed() {
        let response = execute(
            &iris_request(super::super::state::INITIAL_SUITE),
            |stage| {
                if stage == "train" {
                    panic!("boom in {stage}");
                }
            },
            |_| {},
        );
        let RunResponse::Failed(message) = response else { panic!("{response:?}") };
        assert!(message.starts_with("internal error") && message.ends_with("boom in train"), "{message}");
    }

    #[test]
    fn a_lesson_request_reruns_its_test_under_each_seed_before_the_report() {
        let lesson = crate::lessons::get("flaky-seed").unwrap().unwrap();
        let mut request = iris_request(&lesson.suite.to_json());
        request.reruns = Some(("acc".into(), vec![3, 4]));
        let mut reruns = Vec::new();
        let mut stages = Vec::new();
        let response = execute(&request, |s| stages.push(s.to_owned()), |r| reruns = r);
        assert!(matches!(response, RunResponse::Done(_)), "{response:?}");
        assert_eq!(stages.last().map(String::as_str), Some("rerunning with 2 seeds"));
        let statuses: Vec<_> = reruns.iter().map(|r| (r.seed, r.status)).collect();
        use crate::report::Status::{Fail, Pass};
        assert_eq!(statuses, [(3, Pass), (4, Fail)]);
    }

    #[test]
    fn responses_cross_the_worker_boundary_as_json() {
        for response in [
            RunResponse::Ready,
            RunResponse::Progress("test 3 of 12: acc".into()),
            RunResponse::Done("{\"verdict\":\"pass\"}".into()),
            RunResponse::Failed("boom".into()),
        ] {
            let json = serde_json::to_string(&response).unwrap();
            assert_eq!(serde_json::from_str::<RunResponse>(&json).unwrap(), response);
        }
    }
}
