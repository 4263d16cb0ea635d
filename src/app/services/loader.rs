//! Loads: a file of the user's is read and profiled in a worker ([`Job`]), never on the
//! page's thread. The reducer numbers loads ([`Loading`]); a newer load, or a sample chosen
//! meanwhile, terminates the worker of a load in progress. The worker is started with the
//! page ([`Loader::warm`]), and a worker that has answered stays, idle, and reads the next
//! file: starting a worker when a file is picked holds the machine's cores ~100 ms (the
//! engine is fetched and compiled), and tearing down one that held a 100 MB table frees
//! hundreds of MB at once; either stalls the page's thread for tens of ms.

use std::cell::Cell;
use std::rc::Rc;

use yew::UseReducerDispatcher;

use super::job::Job;
use crate::app::state::{Action, AppState, Loading};
use crate::app::worker::{LoadRequest, Request, Response};

#[derive(Default)]
pub struct Loader {
    worker: Option<LoadWorker>,
}

/// The loader's worker and the load it reads or last read.
struct LoadWorker {
    job: Job,
    load: Rc<Cell<u64>>,
    /// It read its last file and waits for the next; not while it reads, nor once it failed
    /// (a worker that failed is terminated: it may be broken).
    idle: Rc<Cell<bool>>,
}

impl Loader {
    /// Starts the worker before the first file is picked (see [`Job::kept`]).
    pub fn warm(&mut self, dispatch: UseReducerDispatcher<AppState>) {
        if self.worker.is_none() {
            self.worker = LoadWorker::start(dispatch);
        }
    }

    /// Makes the worker read the state's pending load (the idle worker, or a new one when the
    /// last is still reading or failed), or stops a worker still reading when nothing is
    /// loading any more.
    pub fn follow(&mut self, loading: Option<&Loading>, dispatch: UseReducerDispatcher<AppState>) {
        let idle = self.worker.as_ref().is_some_and(|worker| worker.idle.get());
        let Some(loading) = loading else {
            if !idle {
                self.worker = None;
            }
            return;
        };
        if self.worker.as_ref().is_some_and(|worker| worker.load.get() == loading.load) {
            return;
        }
        if !idle {
            self.worker = None;
        }
        let request = Request::Load(LoadRequest { file: loading.name.clone(), csv: loading.bytes.clone() });
        if self.worker.is_none() {
            self.worker = LoadWorker::start(dispatch);
        }
        if let Some(worker) = &self.worker {
            worker.load.set(loading.load);
            worker.idle.set(false);
            worker.job.send(request);
        }
    }
}

impl LoadWorker {
    /// An idle worker whose answers become [`Action::Loaded`].
    fn start(dispatch: UseReducerDispatcher<AppState>) -> Option<LoadWorker> {
        // Load numbers start at 1: an answer before any load (a worker that could not start)
        // is for load 0, which the reducer ignores.
        let (load, idle) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(true)));
        let answered = {
            let (load, idle) = (load.clone(), idle.clone());
            move |response| {
                let result = match response {
                    Response::Loaded(summary) => Ok(summary),
                    Response::Failed(message) => Err(message),
                    _ => return,
                };
                idle.set(result.is_ok());
                dispatch.dispatch(Action::Loaded { load: load.get(), result });
            }
        };
        Job::kept("load", answered).map(|job| LoadWorker { job, load, idle })
    }
}
