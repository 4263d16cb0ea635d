//! Loads: a file of the user's is read and profiled in a worker ([`Job`]), never on the
//! page's thread. The reducer numbers loads ([`Loading`]); a newer load, or a sample chosen
//! meanwhile, terminates the worker of the older one.

use yew::UseReducerDispatcher;

use super::job::Job;
use crate::app::state::{Action, AppState, Loading};
use crate::app::worker::{LoadRequest, Request, Response};

#[derive(Default)]
pub struct Loader {
    current: Option<(u64, Job)>,
}

impl Loader {
    /// Makes the worker read the state's pending load (a new worker when it is a new load),
    /// or stops the worker when nothing is loading any more.
    pub fn follow(&mut self, loading: Option<&Loading>, dispatch: UseReducerDispatcher<AppState>) {
        let Some(loading) = loading else {
            self.current = None;
            return;
        };
        if self.current.as_ref().is_some_and(|(load, _)| *load == loading.load) {
            return;
        }
        self.current = None;
        let load = loading.load;
        let request = Request::Load(LoadRequest { file: loading.name.clone(), csv: loading.bytes.clone() });
        let job = Job::start("load", request, move |response| {
            let result = match response {
                Response::Loaded(summary) => Ok(summary),
                Response::Failed(message) => Err(message),
                _ => return,
            };
            dispatch.dispatch(Action::Loaded { load, result });
        });
        self.current = job.map(|job| (load, job));
    }
}
