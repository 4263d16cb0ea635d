//! One request in one Web Worker (`app::worker`). The page owns the browser `Worker`:
//! dropping a job terminates its worker (mid-computation: a terminated worker sends
//! nothing more), and a worker is terminated once it has given its last answer.
//!
//! Protocol (`worker::serve`): the worker posts `Ready`; the page posts the request
//! (`worker::encode_request`), its bytes copied out of the page's memory a chunk at a time
//! while the worker starts; the worker posts its answers, each one JSON message of
//! [`Response`].

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, Event, MessageEvent, Worker};

use super::files;
use crate::app::worker::{encode_request, Request, Response};

/// Written by Trunk beside the worker (`data-loader-shim` in www/index.html).
const LOADER: &str = "worker_loader.js";

/// The request's message, once its bytes are copied, and whether the worker is ready for it.
#[derive(Default)]
struct Handshake {
    ready: bool,
    message: Option<(JsValue, Array)>,
}

/// A worker answering one request, and its handlers (kept alive as long as the worker).
pub struct Job {
    worker: Worker,
    _onmessage: Closure<dyn FnMut(MessageEvent)>,
    _onerror: Closure<dyn FnMut(Event)>,
}

impl Job {
    /// Starts a worker for `request`; every answer goes to `on_response`. A worker that cannot
    /// start, load or finish answers `Failed` with the reason, naming it `the {what}'s worker`.
    pub fn start(
        what: &'static str,
        request: Request,
        on_response: impl Fn(Response) + 'static,
    ) -> Option<Job> {
        let worker = match Worker::new(LOADER) {
            Ok(worker) => worker,
            Err(err) => {
                on_response(Response::Failed(format!("could not start the {what}'s worker: {err:?}")));
                return None;
            }
        };
        let on_response = Rc::new(on_response);
        let handshake = Rc::new(RefCell::new(Handshake::default()));
        let post = {
            let (handle, on_response) = (worker.clone(), on_response.clone());
            move |(message, transfer): (JsValue, Array)| {
                if let Err(err) = handle.post_message_with_transfer(&message, &transfer) {
                    on_response(Response::Failed(format!(
                        "could not send the {what} to the worker: {err:?}"
                    )));
                }
            }
        };
        {
            let (handshake, post) = (handshake.clone(), post.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let csv = files::to_js(request.csv()).await;
                let message = encode_request(&request, csv);
                let ready = handshake.borrow().ready;
                if ready {
                    post(message);
                } else {
                    handshake.borrow_mut().message = Some(message);
                }
            });
        }
        // The worker could not load, or died (after a panic it has already sent `Failed`,
        // and was terminated then, so this does not come).
        let onerror = {
            let (handle, on_response) = (worker.clone(), on_response.clone());
            Closure::<dyn FnMut(Event)>::new(move |event: Event| {
                event.prevent_default();
                handle.terminate();
                // A script error is an `ErrorEvent`; a worker that could not load sends a plain `Event`.
                let reason = event
                    .dyn_ref::<ErrorEvent>()
                    .map(ErrorEvent::message)
                    .unwrap_or_else(|| format!("could not load {LOADER}"));
                on_response(Response::Failed(format!("the {what}'s worker stopped: {reason}")));
            })
        };
        let onmessage = {
            let handle = worker.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let response = match event.data().as_string() {
                    Some(message) => Response::from_message(&message),
                    None => Response::Failed("unreadable message from the worker".into()),
                };
                if response == Response::Ready {
                    let message = {
                        let mut handshake = handshake.borrow_mut();
                        handshake.ready = true;
                        handshake.message.take()
                    };
                    if let Some(message) = message {
                        post(message);
                    }
                    return;
                }
                if response.is_final() {
                    // One worker per request: it has answered (or is broken).
                    handle.terminate();
                }
                on_response(response);
            })
        };
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        Some(Job { worker, _onmessage: onmessage, _onerror: onerror })
    }
}

impl Drop for Job {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
