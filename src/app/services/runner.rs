//! Runs in a Web Worker, one worker per run. The page owns the browser `Worker`: a new run or
//! Cancel terminates the previous one (a terminated worker sends nothing more, and the
//! reducer ignores messages of a run that is no longer current), and a worker is terminated
//! once it has answered.
//!
//! Protocol (`worker::serve`): the worker posts `Ready`; the page posts the request
//! (`worker::encode_request`); the worker posts `Progress` for each stage, then `Done` or
//! `Failed`, each a JSON string of [`RunResponse`].

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, Event, MessageEvent, Worker};
use yew::UseReducerDispatcher;

use crate::app::state::{Action, AppState, RunOutcome};
use crate::app::tutorial::LessonAction;
use crate::app::worker::{encode_request, RunRequest, RunResponse};

/// Written by Trunk beside the worker (`data-loader-shim` in www/index.html).
const LOADER: &str = "worker_loader.js";

/// The worker of the current run and its handlers (kept alive as long as the worker).
struct Current {
    worker: Worker,
    _onmessage: Closure<dyn FnMut(MessageEvent)>,
    _onerror: Closure<dyn FnMut(Event)>,
}

#[derive(Default)]
pub struct Runner {
    current: Option<Current>,
    runs: u64,
}

impl Runner {
    /// Starts `request` in a new worker, replacing any run in progress; its progress and
    /// outcome are dispatched as actions.
    pub fn start(&mut self, request: RunRequest, dispatch: UseReducerDispatcher<AppState>) {
        self.stop();
        self.runs += 1;
        let run = self.runs;
        dispatch.dispatch(Action::StartRun { run });
        let worker = match Worker::new(LOADER) {
            Ok(worker) => worker,
            Err(err) => {
                let message = format!("could not start the run's worker: {err:?}");
                dispatch.dispatch(Action::Finished { run, outcome: RunOutcome::Failed(message) });
                return;
            }
        };
        let mut request = Some(request);
        let handle = worker.clone();
        // The worker could not load, or died (after a panic it has already sent `Failed`,
        // so this second answer is ignored).
        let onerror = {
            let dispatch = dispatch.clone();
            let handle = worker.clone();
            Closure::<dyn FnMut(Event)>::new(move |event: Event| {
                event.prevent_default();
                handle.terminate();
                // A script error is an `ErrorEvent`; a worker that could not load sends a plain `Event`.
                let reason = event
                    .dyn_ref::<ErrorEvent>()
                    .map(ErrorEvent::message)
                    .unwrap_or_else(|| format!("could not load {LOADER}"));
                let message = format!("the run's worker stopped: {reason}");
                dispatch.dispatch(Action::Finished { run, outcome: RunOutcome::Failed(message) });
            })
        };
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let response = event
                .data()
                .as_string()
                .and_then(|json| serde_json::from_str::<RunResponse>(&json).ok())
                .unwrap_or_else(|| RunResponse::Failed("unreadable message from the worker".into()));
            let action = match response {
                RunResponse::Ready => {
                    if let Some(request) = request.take() {
                        let (message, transfer) = encode_request(request);
                        if let Err(err) = handle.post_message_with_transfer(&message, &transfer) {
                            let message = format!("could not send the run to the worker: {err:?}");
                            Some(Action::Finished { run, outcome: RunOutcome::Failed(message) })
                        } else {
                            None
                        }
                    } else {
                        None
                    }
                }
                RunResponse::Progress(stage) => Some(Action::Progress { run, stage }),
                RunResponse::Reruns(reruns) => Some(Action::Lesson(LessonAction::Reruns { run, reruns })),
                RunResponse::Done(json) => Some(Action::Finished { run, outcome: RunOutcome::Done(json) }),
                RunResponse::Failed(message) => {
                    Some(Action::Finished { run, outcome: RunOutcome::Failed(message) })
                }
            };
            if let Some(action) = action {
                if matches!(action, Action::Finished { .. }) {
                    // One worker per run: it has answered (or is broken).
                    handle.terminate();
                }
                dispatch.dispatch(action);
            }
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        self.current = Some(Current { worker, _onmessage: onmessage, _onerror: onerror });
    }

    /// Cancel: terminates the run's worker at once (mid-computation), then tells the reducer.
    pub fn cancel(&mut self, dispatch: UseReducerDispatcher<AppState>) {
        self.stop();
        dispatch.dispatch(Action::Cancel { run: self.runs });
    }

    fn stop(&mut self) {
        if let Some(current) = self.current.take() {
            current.worker.set_onmessage(None);
            current.worker.set_onerror(None);
            current.worker.terminate();
        }
    }
}
