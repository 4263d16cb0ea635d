//! A Web Worker answering the page's requests (`app::worker`). The page owns the browser
//! `Worker`: dropping a job terminates its worker (mid-computation: a terminated worker sends
//! nothing more). A worker is terminated once it has given its last answer, unless it was
//! started to be kept ([`Job::kept`]: the loader's, which reads one file after another).
//!
//! A worker runs the page's own wasm module (`www/engine_worker.js`): the page posts it the
//! compiled `WebAssembly.Module` and the address of the module's JavaScript glue, so the engine
//! is fetched and compiled once, with the page, and a worker starts in milliseconds.
//!
//! Protocol (`worker::serve`): the worker posts `Ready`; the page posts the request
//! (`worker::encode_request`) with its CSV: bytes in the page's memory are copied out a chunk
//! at a time while the worker starts, a large file the browser keeps is sent as its `File`
//! (the worker reads it); the worker posts its answers, each one JSON message of
//! [`Response`].

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, Event, MessageEvent, Worker, WorkerOptions, WorkerType};

use super::files;
use crate::app::worker::{encode_request, Request, Response};

/// The workers' script (www/engine_worker.js, copied beside the page by Trunk).
const LOADER: &str = "engine_worker.js";

/// The worker's first message: `{glue, module}`, the page's compiled module and the address
/// of its JavaScript glue (the module Trunk's `<link rel="modulepreload">` names).
fn engine() -> Result<JsValue, String> {
    let glue = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.query_selector("link[rel=modulepreload]").ok().flatten())
        .and_then(|link| link.get_attribute("href"))
        .ok_or("the page names no module for its workers (no <link rel=modulepreload>)")?;
    // An absolute address: the worker resolves it against its own script's.
    let glue = web_sys::Url::new_with_base(&glue, &crate::app::services::location::href())
        .map(|url| url.href())
        .map_err(|err| format!("the page's module address `{glue}` does not read: {err:?}"))?;
    let message = Object::new();
    let set = |key: &str, value: &JsValue| Reflect::set(&message, &key.into(), value).map(drop);
    set("glue", &glue.into())
        .and_then(|()| set("module", &wasm_bindgen::module()))
        .map_err(|err| format!("could not address the engine to the worker: {err:?}"))?;
    Ok(message.into())
}

/// A worker for the job `what`: a module worker (it imports the page's glue), sent the engine.
fn new_worker(what: &str) -> Result<Worker, String> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let engine = engine()?;
    let worker =
        Worker::new_with_options(&format!("{LOADER}?{what}"), &options).map_err(|err| format!("{err:?}"))?;
    worker.post_message(&engine).map_err(|err| format!("{err:?}"))?;
    Ok(worker)
}

/// A worker started before the page renders ([`start_early`]), and whether it has posted
/// `Ready` or failed to start (an event that finds no handler is lost, so these listen until
/// a job takes the worker).
struct Early {
    worker: Worker,
    ready: Rc<Cell<bool>>,
    failed: Rc<Cell<bool>>,
    _onmessage: Closure<dyn FnMut(MessageEvent)>,
    _onerror: Closure<dyn FnMut(Event)>,
}

thread_local! {
    static EARLY: RefCell<HashMap<&'static str, Early>> = RefCell::new(HashMap::new());
}

/// The worker `www/early_workers.js` started for `what` while the page was parsing (it has
/// fetched its script and imported the glue already), sent the engine now; `None` when there
/// is none or it cannot be sent the engine.
fn adopt_early(what: &str) -> Option<Worker> {
    let workers = Reflect::get(&js_sys::global(), &"mltestEarlyWorkers".into()).ok()?;
    let worker = Reflect::get(&workers, &what.into()).ok()?.dyn_into::<Worker>().ok()?;
    // Taken once: a later job of the same name starts its own.
    let _ = Reflect::delete_property(workers.unchecked_ref::<Object>(), &what.into());
    worker.post_message(&engine().ok()?).ok()?;
    Some(worker)
}

/// Starts the workers of the kept jobs `whats` now, before the page's first render, so they
/// instantiate the engine while the page renders: the first [`Job::kept`] of each name takes
/// its worker ready, and a Run clicked as soon as the button shows finds the engine waiting.
/// The workers `www/early_workers.js` started are taken when there are some: the browser
/// starts a worker only once the page's thread is free, which the first render holds.
/// A worker that cannot start is left out, or dropped when its job takes it (the job starts
/// another then, and reports why that one failed).
pub fn start_early(whats: &[&'static str]) {
    for &what in whats {
        let Some(worker) = adopt_early(what).or_else(|| new_worker(what).ok()) else { continue };
        let (ready, failed) = (Rc::new(Cell::new(false)), Rc::new(Cell::new(false)));
        let onmessage = {
            let (ready, failed) = (ready.clone(), failed.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                match event.data().as_string().map(|m| Response::from_message(&m)) {
                    Some(Response::Ready) => ready.set(true),
                    _ => failed.set(true),
                }
            })
        };
        let onerror = {
            let failed = failed.clone();
            Closure::<dyn FnMut(Event)>::new(move |event: Event| {
                event.prevent_default();
                failed.set(true);
            })
        };
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        let early = Early { worker, ready, failed, _onmessage: onmessage, _onerror: onerror };
        EARLY.with_borrow_mut(|pool| pool.insert(what, early));
    }
}

/// The request's message, once its bytes are copied, and whether the worker is ready for it.
#[derive(Default)]
struct Handshake {
    ready: bool,
    message: Option<(JsValue, Array)>,
}

/// Sends a request's message to the worker, or reports why it could not.
type Post = Rc<dyn Fn((JsValue, Array))>;

/// A worker answering requests, and its handlers (kept alive as long as the worker).
pub struct Job {
    worker: Worker,
    handshake: Rc<RefCell<Handshake>>,
    post: Post,
    _onmessage: Closure<dyn FnMut(MessageEvent)>,
    _onerror: Closure<dyn FnMut(Event)>,
}

impl Job {
    /// Starts a worker for `request`; every answer goes to `on_response`, and the worker is
    /// terminated once it has given its last. A worker that cannot start, load or finish
    /// answers `Failed` with the reason, naming it `the {what}'s worker`.
    pub fn start(
        what: &'static str,
        request: Request,
        on_response: impl Fn(Response) + 'static,
    ) -> Option<Job> {
        Job::spawn(what, Some(request), false, on_response)
    }

    /// A worker started before it is needed, waiting for its first request ([`Job::send`]);
    /// a worker that answered (other than `Failed`) stays, idle, for the next. Starting it
    /// early moves the fetch and compilation of the engine away from the moment a request
    /// comes (they hold the machine's cores for ~100 ms); keeping it means a worker that held
    /// a large table is not torn down (which frees hundreds of MB at once and stalls the
    /// page's thread for tens of ms while the page draws the answer).
    pub fn kept(what: &'static str, on_response: impl Fn(Response) + 'static) -> Option<Job> {
        Job::spawn(what, None, true, on_response)
    }

    /// Sends another request to a kept worker that has answered the last.
    pub fn send(&self, request: Request) {
        send(request, self.handshake.clone(), self.post.clone());
    }

    fn spawn(
        what: &'static str,
        request: Option<Request>,
        kept: bool,
        on_response: impl Fn(Response) + 'static,
    ) -> Option<Job> {
        // The query names the job: it tells the workers apart in the browser's tools (and in
        // the e2e tests); the loader fetches the same worker script and wasm for every job.
        // A worker started with the page (kept jobs only: a one-shot job's worker goes with it).
        // One that failed to start is dropped: a new one fails again, and says why.
        let early = match kept.then(|| EARLY.with_borrow_mut(|pool| pool.remove(what))).flatten() {
            Some(failed) if failed.failed.get() => {
                failed.worker.terminate();
                None
            }
            early => early,
        };
        let (worker, ready) = match early {
            Some(early) => {
                // Its answers and errors come to the job's handlers from now on.
                early.worker.set_onmessage(None);
                early.worker.set_onerror(None);
                (early.worker.clone(), early.ready.get())
            }
            None => match new_worker(what) {
                Ok(worker) => (worker, false),
                Err(err) => {
                    on_response(Response::Failed(format!("could not start the {what}'s worker: {err}")));
                    return None;
                }
            },
        };
        let on_response = Rc::new(on_response);
        let handshake = Rc::new(RefCell::new(Handshake { ready, message: None }));
        let post: Post = {
            let (handle, on_response) = (worker.clone(), on_response.clone());
            Rc::new(move |(message, transfer): (JsValue, Array)| {
                if let Err(err) = handle.post_message_with_transfer(&message, &transfer) {
                    on_response(Response::Failed(format!(
                        "could not send the {what} to the worker: {err:?}"
                    )));
                }
            })
        };
        if let Some(request) = request {
            send(request, handshake.clone(), post.clone());
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
            let (handle, handshake, post) = (worker.clone(), handshake.clone(), post.clone());
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
                // A worker that failed may be broken (a panic aborts it): it never stays.
                if response.is_final() && (!kept || matches!(response, Response::Failed(_))) {
                    handle.terminate();
                }
                on_response(response);
            })
        };
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        Some(Job { worker, handshake, post, _onmessage: onmessage, _onerror: onerror })
    }
}

/// Copies the request's bytes out of the page's memory (a turn at a time) and posts it once
/// the worker is ready.
fn send(request: Request, handshake: Rc<RefCell<Handshake>>, post: Post) {
    wasm_bindgen_futures::spawn_local(async move {
        let mut csvs = Vec::new();
        for csv in request.csvs() {
            csvs.push(files::to_message(csv).await);
        }
        let message = encode_request(&request, csvs);
        let ready = handshake.borrow().ready;
        if ready {
            post(message);
        } else {
            handshake.borrow_mut().message = Some(message);
        }
    });
}

impl Drop for Job {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
