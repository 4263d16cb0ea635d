//! The worker: the engine off the page's thread. The page sends one [`Request`] per worker:
//!
//! - a run ([`RunRequest`]: the suite text, the CSV's bytes, the file's name): the worker
//!   answers [`Response::Progress`] for each stage, then `Done` with the report, or `Failed`;
//! - a load ([`LoadRequest`]: a file the user picked, dropped or pasted, an inline CSV of a
//!   link, a CSV restored from localStorage): the worker reads and profiles it and answers
//!   `Loaded` with its [`TableSummary`] (profile, preview, shape, SHA-256; the table stays in
//!   the worker), or `Failed` with the loader's error.
//!
//! Both kinds share one worker binary: one wasm for the browser to fetch and compile, one
//! `<link data-trunk>` in www/index.html, and the loader is in the engine the worker already
//! holds. [`execute`] and [`execute_load`] are plain Rust, tested natively. In the browser,
//! `serve` runs them in a Web Worker (web-sys `DedicatedWorkerGlobalScope`); each response is
//! one JSON message whose report or summary is a typed value (not JSON inside JSON). The page
//! owns the `web_sys::Worker` and terminates it to cancel a run or drop a superseded load. A
//! panic in the engine comes back as `Failed`: natively it is caught; in wasm32 (where a panic
//! aborts) a panic hook sends `Failed` before the worker dies, and the page drops that worker.

use std::panic::{self, AssertUnwindSafe};

use serde::{Deserialize, Serialize};

use super::state::{parse_suite, summarize, Bytes, TableSummary};
use crate::lessons::{self, Rerun};
use crate::report::Report;
use crate::run;
use crate::table::{self, LoadOptions};

/// One run: what the page holds when Run is clicked.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRequest {
    pub suite: String,
    pub csv: Bytes,
    /// The CSV's file name, as the report shows it.
    pub file: String,
    /// Also run the suite under these seeds and report this test of each run (a lesson's
    /// flaky test): `(test id, seeds)`.
    pub reruns: Option<(String, Vec<u64>)>,
}

/// One file to read as a CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadRequest {
    /// The file's name, as errors and the data panel give it.
    pub file: String,
    pub csv: Bytes,
}

/// What the page asks of a worker.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    Run(RunRequest),
    Load(LoadRequest),
}

impl Request {
    /// The CSV's bytes the request carries.
    pub fn csv(&self) -> &Bytes {
        match self {
            Request::Run(run) => &run.csv,
            Request::Load(load) => &load.csv,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// The worker has loaded and waits for the request (a message sent before is lost).
    Ready,
    /// The stage now running: the two of [`STAGES`], then the engine's (`prepare`, `split`,
    /// …, `test 3 of 12: acc`).
    Progress(String),
    /// The requested reruns, sent just before the report.
    Reruns(Vec<Rerun>),
    /// The run's report.
    Done(Box<Report>),
    /// What reading the file gave.
    Loaded(Box<TableSummary>),
    Failed(String),
}

impl Response {
    /// The last answer of a request: its worker can go.
    pub fn is_final(&self) -> bool {
        matches!(self, Response::Done(_) | Response::Loaded(_) | Response::Failed(_))
    }

    /// The message that carries this response to the page: one JSON document.
    pub fn to_message(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_else(|err| format!(r#"{{"Failed":"the worker could not write its answer: {err}"}}"#))
    }

    /// Reads a message of the worker; one that cannot be read is a failure that says so.
    pub fn from_message(message: &str) -> Response {
        serde_json::from_str(message)
            .unwrap_or_else(|err| Response::Failed(format!("unreadable message from the worker: {err}")))
    }
}

/// The stages a run reports before the engine's own, in order.
pub const STAGES: [&str; 2] = ["reading the suite", "reading the data"];

/// Runs `request`, telling `progress` each stage's name before it starts, and `reruns` the
/// reruns when the request asks for them.
pub fn execute(
    request: &RunRequest,
    mut progress: impl FnMut(&str),
    reruns: impl FnOnce(Vec<Rerun>),
) -> Response {
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        progress(STAGES[0]);
        let suite = parse_suite(&request.suite).map_err(|err| err.to_string())?;
        progress(STAGES[1]);
        let table = table::read_csv(&request.csv, &request.file, &LoadOptions::default())
            .map_err(|err| err.to_string())?;
        let report = run::run_observed(&suite, &table, &mut progress);
        if let Some((focus, seeds)) = &request.reruns {
            progress(&format!("rerunning with {} seeds", seeds.len()));
            reruns(lessons::reruns(&suite, &table, focus, seeds).map_err(|err| err.to_string())?);
        }
        Ok::<_, String>(report)
    }));
    match outcome {
        Ok(Ok(report)) => Response::Done(Box::new(report)),
        Ok(Err(message)) => Response::Failed(message),
        Err(payload) => Response::Failed(internal_error(panic_message(payload.as_ref()))),
    }
}

/// Reads and profiles the file of `request`: `Loaded` with its summary, or `Failed` with the
/// loader's error (which names the file, the line and the column).
pub fn execute_load(request: &LoadRequest) -> Response {
    match panic::catch_unwind(AssertUnwindSafe(|| summarize(&request.csv, &request.file))) {
        Ok(Ok(summary)) => Response::Loaded(Box::new(summary)),
        Ok(Err(message)) => Response::Failed(message),
        Err(payload) => Response::Failed(internal_error(panic_message(payload.as_ref()))),
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

    use super::{execute, execute_load, internal_error, LoadRequest, Request, Response, RunRequest};

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    /// Sends `response` to the page.
    fn post(response: &Response) {
        // Nothing to do when the page is gone.
        let _ = scope().post_message(&JsValue::from_str(&response.to_message()));
    }

    /// The worker's main: answers one [`Request`] per message (the page sends one, then
    /// terminates the worker). Posts [`Response::Ready`] once listening.
    pub fn serve() {
        // wasm32 panics abort: report the panic to the page before the worker dies.
        std::panic::set_hook(Box::new(|info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| info.to_string());
            post(&Response::Failed(internal_error(&message)));
        }));
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
            let response = match decode_request(&event.data()) {
                Some(Request::Run(request)) => execute(
                    &request,
                    |stage| post(&Response::Progress(stage.to_owned())),
                    |reruns| post(&Response::Reruns(reruns)),
                ),
                Some(Request::Load(request)) => execute_load(&request),
                None => Response::Failed(internal_error("the worker got an unreadable request")),
            };
            post(&response);
        });
        scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        // The handler lives as long as the worker.
        onmessage.forget();
        post(&Response::Ready);
    }

    /// The page's side of the protocol, `csv` being the request's bytes already copied out
    /// of the page's memory (and transferred, not copied again):
    /// `["run", suite, file, csv, reruns as JSON]` or `["load", file, csv]`.
    pub fn encode_request(request: &Request, csv: Uint8Array) -> (JsValue, Array) {
        let transfer = Array::of1(&csv.buffer());
        let message = match request {
            Request::Run(run) => {
                let reruns = serde_json::to_string(&run.reruns).unwrap_or_default();
                Array::of5(
                    &"run".into(),
                    &run.suite.as_str().into(),
                    &run.file.as_str().into(),
                    &csv,
                    &reruns.into(),
                )
            }
            Request::Load(load) => Array::of3(&"load".into(), &load.file.as_str().into(), &csv),
        };
        (message.into(), transfer)
    }

    fn decode_request(data: &JsValue) -> Option<Request> {
        let parts = data.dyn_ref::<Array>()?;
        let bytes = |i| parts.get(i).dyn_into::<Uint8Array>().ok().map(|csv| csv.to_vec().into());
        match parts.get(0).as_string()?.as_str() {
            "run" => Some(Request::Run(RunRequest {
                suite: parts.get(1).as_string()?,
                file: parts.get(2).as_string()?,
                csv: bytes(3)?,
                reruns: serde_json::from_str(&parts.get(4).as_string()?).ok()?,
            })),
            "load" => Some(Request::Load(LoadRequest { file: parts.get(1).as_string()?, csv: bytes(2)? })),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::state::INITIAL_SUITE;
    use crate::samples;

    fn iris_request(suite: &str) -> RunRequest {
        let sample = samples::get("iris").unwrap();
        RunRequest {
            suite: suite.to_owned(),
            csv: sample.csv.into(),
            file: sample.file.to_owned(),
            reruns: None,
        }
    }

    #[test]
    fn a_run_reports_each_stage_then_the_report() {
        let mut stages = Vec::new();
        let response = execute(&iris_request(INITIAL_SUITE), |s| stages.push(s.to_owned()), |_| {});
        let engine = ["prepare", "split", "preprocess", "train", "predict"];
        let tests = ["no-nulls", "acc", "f1-macro", "cv-accuracy", "end-to-end"];
        let expected: Vec<String> = STAGES
            .iter()
            .chain(&engine)
            .map(|s| s.to_string())
            .chain(tests.iter().enumerate().map(|(i, id)| format!("test {} of 5: {id}", i + 1)))
            .collect();
        assert_eq!(stages, expected);
        let Response::Done(report) = response else { panic!("{response:?}") };
        assert_eq!(report.verdict, crate::report::Verdict::Pass);
        assert_eq!(report.dataset.name, "iris.csv");
    }

    #[test]
    fn a_yaml_suite_runs_in_the_worker() {
        let sample = samples::get("diabetes").unwrap();
        let request = RunRequest {
            suite: include_str!("../../static/suites/diabetes-ranges.yaml").to_owned(),
            csv: sample.csv.into(),
            file: sample.file.to_owned(),
            reruns: None,
        };
        let Response::Done(report) = execute(&request, |_| {}, |_| {}) else {
            panic!("the YAML suite did not run")
        };
        assert_eq!(report.verdict, crate::report::Verdict::Pass);
    }

    #[test]
    fn a_bad_suite_or_bad_data_fails_with_the_reason() {
        let response = execute(&iris_request("{"), |_| {}, |_| {});
        let Response::Failed(message) = response else { panic!("{response:?}") };
        assert!(message.starts_with("suite.json"), "{message}");
        let mut request = iris_request(INITIAL_SUITE);
        request.csv = Vec::new().into();
        request.file = "empty.csv".into();
        let Response::Failed(message) = execute(&request, |_| {}, |_| {}) else { panic!("empty data ran") };
        assert!(message.contains("empty.csv"), "{message}");
    }

    #[test]
    fn a_panic_comes_back_as_failed() {
        let response = execute(
            &iris_request(INITIAL_SUITE),
            |stage| {
                if stage == "train" {
                    panic!("boom in {stage}");
                }
            },
            |_| {},
        );
        let Response::Failed(message) = response else { panic!("{response:?}") };
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
        assert!(matches!(response, Response::Done(_)), "{response:?}");
        assert_eq!(stages.last().map(String::as_str), Some("rerunning with 2 seeds"));
        let statuses: Vec<_> = reruns.iter().map(|r| (r.seed, r.status)).collect();
        use crate::report::Status::{Fail, Pass};
        assert_eq!(statuses, [(3, Pass), (4, Fail)]);
    }

    #[test]
    fn responses_cross_the_worker_boundary_as_one_json_message() {
        let summary = summarize(samples::get("iris").unwrap().csv, "iris.csv").unwrap();
        for response in [
            Response::Ready,
            Response::Progress("test 3 of 12: acc".into()),
            Response::Done(Box::new(crate::app::state::testing::iris_report())),
            Response::Loaded(Box::new(summary)),
            Response::Failed("boom".into()),
        ] {
            let message = response.to_message();
            assert_eq!(Response::from_message(&message), response);
        }
        // The report is a value in the message, not a string of JSON inside it.
        let done = Response::Done(Box::new(crate::app::state::testing::iris_report())).to_message();
        assert!(done.starts_with(r#"{"Done":{"#), "{}", &done[..40]);
    }

    /// Regression: without serde_json's `float_roundtrip`, the iris accuracy 28/30 =
    /// 0.9333333333333333 came back from the worker's JSON as 0.9333333333333332.
    #[test]
    fn the_report_reads_back_exactly_as_the_worker_wrote_it() {
        let report = crate::app::state::testing::iris_report();
        let message = Response::Done(Box::new(report.clone())).to_message();
        let Response::Done(read) = Response::from_message(&message) else { panic!("{message}") };
        assert_eq!(*read, report);
    }

    #[test]
    fn an_unreadable_message_is_a_failure() {
        let Response::Failed(message) = Response::from_message("{") else { panic!("read") };
        assert!(message.starts_with("unreadable message from the worker"), "{message}");
        let Response::Failed(_) = Response::from_message(r#"{"Done":{"verdict":3}}"#) else { panic!("read") };
    }

    #[test]
    fn a_load_answers_the_summary_of_the_file_or_the_loaders_error() {
        let penguins = samples::get("penguins").unwrap();
        let request = LoadRequest { file: "mine.csv".into(), csv: penguins.csv.into() };
        let Response::Loaded(summary) = execute_load(&request) else { panic!("penguins did not load") };
        assert_eq!((summary.rows, summary.columns), (344, 8));
        assert_eq!(summary.preview.rows.len(), crate::app::state::PREVIEW_ROWS);
        let bill = summary.profile.iter().find(|c| c.name == "bill_length_mm").unwrap();
        assert_eq!(bill.missing, 2);
        let bad = LoadRequest { file: "bad.csv".into(), csv: b"a,b\n1,2\n3,\xff\n".to_vec().into() };
        let Response::Failed(message) = execute_load(&bad) else { panic!("a bad file loaded") };
        assert!(message.starts_with("bad.csv: line 3"), "{message}");
    }

    /// The profile of extreme values (their mean overflows to infinity) still crosses the
    /// JSON message: JSON has no infinity, so it arrives as "no mean", and the load succeeds.
    #[test]
    fn regression_a_profile_with_an_infinite_mean_crosses_the_boundary() {
        let csv = format!("x\n{}\n{}\n", f64::MAX, f64::MAX);
        let request = LoadRequest { file: "huge.csv".into(), csv: csv.into_bytes().into() };
        let response = execute_load(&request);
        let Response::Loaded(sent) = &response else { panic!("{response:?}") };
        let Response::Loaded(read) = Response::from_message(&response.to_message()) else {
            panic!("the summary did not cross")
        };
        assert_eq!(read.rows, sent.rows);
        assert_eq!(read.profile[0].histogram, sent.profile[0].histogram);
    }
}
