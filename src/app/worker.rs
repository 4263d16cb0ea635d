//! The worker: the engine off the page's thread. The page sends one [`Request`] per worker:
//!
//! - a run ([`RunRequest`]: the suite text, the CSV's bytes, the file's name, and the
//!   reference the page holds, if any): the worker answers [`Response::Progress`] for each stage, then `Done` with the report, or `Failed`;
//! - a load ([`LoadRequest`]: a file the user picked, dropped or pasted, an inline CSV of a
//!   link, a CSV restored from localStorage): the worker reads and profiles it and answers
//!   `Loaded` with its [`TableSummary`] (profile, preview, shape, SHA-256; the table stays in
//!   the worker), or `Failed` with the loader's error;
//! - suggestions ([`SuggestRequest`]): the worker reads the file and answers `Suggested` with
//!   the tests "Suggest tests" proposes (against the reference's columns, which the page knows).
//!
//! A request's CSV is bytes the page holds (copied out and transferred) or, for a large file
//! the user picked, the browser's `File` itself, which the worker reads: the page's thread
//! never reads a large file (`state::Bytes`).
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

use super::state::{parse_suite, summarize, summarize_unhashed, Bytes, TableSummary};
use crate::lessons::{self, Rerun};
use crate::report::Report;
use crate::run;
use crate::suite::suggest::suggest;
use crate::table::{self, LoadOptions, Table};

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
    /// The reference the page holds (PRODUCT.md §12): `drift` compares the data with it
    /// instead of the suite's own `reference`, as the CLI's `--reference` does.
    pub reference: Option<LoadRequest>,
}

/// One file to read as a CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadRequest {
    /// The file's name, as errors and the data panel give it.
    pub file: String,
    pub csv: Bytes,
}

/// Tests to propose from a file ("Suggest tests"): read off the page's thread, as a load is.
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestRequest {
    pub file: String,
    pub csv: Bytes,
    /// The suite's target column, which also gets a class balance test.
    pub target: Option<String>,
    /// The columns of the reference the page holds: drift tests are proposed against it (its
    /// profile names them; the worker need not read the file).
    pub reference_columns: Option<Vec<String>>,
}

/// What the page asks of a worker.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    Run(RunRequest),
    Load(LoadRequest),
    Suggest(SuggestRequest),
}

impl Request {
    /// The CSVs' bytes the request carries: the data's, then the reference's, if any.
    pub fn csvs(&self) -> Vec<&Bytes> {
        let (csv, reference) = match self {
            Request::Run(run) => (&run.csv, &run.reference),
            Request::Load(load) => return vec![&load.csv],
            Request::Suggest(suggest) => return vec![&suggest.csv],
        };
        std::iter::once(csv).chain(reference.iter().map(|reference| &reference.csv)).collect()
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
    /// The tests proposed from the file, each a complete test object of a suite.
    Suggested(Vec<serde_json::Value>),
    Failed(String),
}

impl Response {
    /// The last answer of a request: its worker can go.
    pub fn is_final(&self) -> bool {
        !matches!(self, Response::Ready | Response::Progress(_) | Response::Reruns(_))
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
    answer(|| {
        progress(STAGES[0]);
        let suite = parse_suite(&request.suite).map_err(|err| err.to_string())?;
        progress(STAGES[1]);
        let table = read(&request.csv, &request.file)?;
        // The page's reference, else the one the suite carries (a sample, inline CSV); a
        // reference file the page does not hold is not given, and drift says so.
        let reference = match &request.reference {
            Some(reference) => Some(read(&reference.csv, &reference.file)?),
            None => run::builtin_reference(&suite, &LoadOptions::default())
                .transpose()
                .map_err(|e| e.to_string())?,
        };
        let report = run::run_with(&suite, &table, reference.as_ref(), false, &mut progress).0;
        if let Some((focus, seeds)) = &request.reruns {
            progress(&format!("rerunning with {} seeds", seeds.len()));
            reruns(lessons::reruns(&suite, &table, focus, seeds).map_err(|err| err.to_string())?);
        }
        Ok(Response::Done(Box::new(report)))
    })
}

/// What a worker does before it says `Ready`, for the job it was started for (`run` or
/// `load`): the page's first suite run, or a file read and profiled, on a small table of
/// iris's columns, the answer written and dropped. The browser compiles each wasm function
/// when it is first called, and the run's is one large function (~40 ms to compile): a worker
/// that does it while the page renders answers the first Run that much sooner. The page's
/// workers share one compiled module, so a worker started later (after a Cancel, for a newer
/// file) finds the code compiled and its warm-up is the small run alone, a few milliseconds.
/// It returns whether the work answered as a real request would (not `Failed`).
pub fn warm_up(job: &str) -> bool {
    let csv = Bytes::from(warm_up_csv().into_bytes());
    let file = "warm-up.csv".to_owned();
    let response = match job {
        "run" => {
            let suite = super::state::INITIAL_SUITE.to_owned();
            execute(&RunRequest { suite, csv, file, reruns: None, reference: None }, |_| {}, |_| {})
        }
        _ => execute_load(&LoadRequest { file, csv }),
    };
    let answered = !matches!(response, Response::Failed(_));
    drop(response.to_message());
    answered
}

/// What the load worker does once the page has settled, unless a file came first
/// ([`IDLE_WARM_UP_MS`]): reads and profiles [`warm_up_load_csv`], the answer written and
/// dropped.
///
/// The browser runs a function's first calls at baseline speed and swaps in its optimised code
/// only for calls that start after the function became hot; the loader's and the profile's
/// loops are each one call per file or column, so a person's first file was read at baseline
/// speed throughout (8.6 MB: 0.62–0.80 s, then 0.18 s for the same file again). A table this
/// size makes those functions hot, and the page's workers share the compiled code: the run
/// worker reads faster too. Not before `Ready`: its work would compete for the machine's cores
/// with the page's first render. Returns whether the table was read.
pub fn warm_up_idle() -> bool {
    let request = LoadRequest { file: "warm-up.csv".to_owned(), csv: warm_up_load_csv().into_bytes().into() };
    let response = execute_load(&request);
    let answered = matches!(response, Response::Loaded(_));
    drop(response.to_message());
    answered
}

/// How long after `Ready` the load worker waits before [`warm_up_idle`]: past a cold page
/// load's first render (~0.5 s on two cores).
pub const IDLE_WARM_UP_MS: i32 = 1_500;

/// Thirty rows of iris's columns, ten a species, each species' measurements around its own
/// centre (the suite's model separates them as it does iris).
fn warm_up_csv() -> String {
    const SPECIES: [(&str, [f64; 4]); 3] = [
        ("setosa", [5.0, 3.4, 1.5, 0.2]),
        ("versicolor", [5.9, 2.8, 4.3, 1.3]),
        ("virginica", [6.6, 3.0, 5.6, 2.0]),
    ];
    let mut csv = String::from("sepal_length,sepal_width,petal_length,petal_width,species\n");
    for row in 0..30 {
        let (name, centre) = SPECIES[row % 3];
        let wobble = ((row * 7) % 5) as f64 * 0.1 - 0.2;
        let cells: Vec<String> = centre.iter().map(|c| format!("{:.1}", c + wobble)).collect();
        csv.push_str(&format!("{},{name}\n", cells.join(",")));
    }
    csv
}

/// Rows of the load worker's idle warm-up table. A thousand made the loader's functions as hot
/// as 4,000 or 12,000 did (a first file of 8.6 MB in 0.23–0.28 s either way), at a quarter of
/// the work of 4,000, which on two cores slowed a Run clicked at that moment.
const WARM_UP_LOAD_ROWS: usize = 1_000;

/// A table of every kind of column the loader and the profile read (ints, floats with missing
/// cells, a category, yes/no and true/false labels, quoted free text), [`WARM_UP_LOAD_ROWS`]
/// rows (~50 KB), for [`warm_up_idle`].
fn warm_up_load_csv() -> String {
    use std::fmt::Write;
    const GROUPS: [&str; 5] = ["north", "south", "east", "west", "centre"];
    let mut csv = String::from("id,x,y,group,active,note,label\n");
    for row in 0..WARM_UP_LOAD_ROWS {
        // A fixed sequence that looks like measurements (no two rows alike).
        let a = (row * 7919 % 1000) as f64 / 100.0 - 5.0;
        let b = (row * 104_729 % 10_007) as f64 * 1.5e-3;
        let x = if row % 17 == 0 { "NA".to_owned() } else { format!("{a:.3}") };
        let note =
            if row % 9 == 0 { format!("\"seen at {row}, twice\"") } else { format!("case {}", row % 211) };
        // Writing to a String cannot fail.
        let _ = writeln!(
            csv,
            "{row},{x},{b:.4},{},{},{note},{}",
            GROUPS[row % GROUPS.len()],
            row % 3 == 0,
            if a + b > 0.0 { "yes" } else { "no" },
        );
    }
    csv
}

/// Reads and profiles the file of `request`: `Loaded` with its summary, or `Failed` with the
/// loader's error (which names the file, the line and the column).
pub fn execute_load(request: &LoadRequest) -> Response {
    load_with(request, summarize)
}

/// [`execute_load`] but for the SHA-256, left empty: the page's loader asks the browser for it
/// (`BrowserSha256`, in wasm) while the engine reads the file.
pub fn execute_load_unhashed(request: &LoadRequest) -> Response {
    load_with(request, summarize_unhashed)
}

fn load_with(request: &LoadRequest, summarize: fn(&[u8], &str) -> Result<TableSummary, String>) -> Response {
    answer(|| Ok(Response::Loaded(Box::new(summarize(in_memory(&request.csv)?, &request.file)?))))
}

/// Reads the file of `request` and proposes tests from it (`suite::suggest`): `Suggested`, or
/// `Failed` with the loader's error.
pub fn execute_suggest(request: &SuggestRequest) -> Response {
    answer(|| {
        let table = read(&request.csv, &request.file)?;
        let target = request.target.as_deref();
        Ok(Response::Suggested(suggest(&table, target, request.reference_columns.as_deref())))
    })
}

/// The response `work` gives, its error as `Failed`, a panic as an internal error.
fn answer(work: impl FnOnce() -> Result<Response, String>) -> Response {
    match panic::catch_unwind(AssertUnwindSafe(work)) {
        Ok(Ok(response)) => response,
        Ok(Err(message)) => Response::Failed(message),
        Err(payload) => Response::Failed(internal_error(panic_message(payload.as_ref()))),
    }
}

/// Reads the request's CSV as the file `name`.
fn read(csv: &Bytes, name: &str) -> Result<Table, String> {
    table::read_csv(in_memory(csv)?, name, &LoadOptions::default()).map_err(|err| err.to_string())
}

/// The request's bytes: the worker has read a browser file before it executes a request.
fn in_memory(csv: &Bytes) -> Result<&[u8], String> {
    csv.in_memory().ok_or_else(|| internal_error("the worker was given a file it had not read"))
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
pub use browser::{encode_request, serve, BrowserSha256};

#[cfg(target_arch = "wasm32")]
mod browser {
    use std::cell::Cell;
    use std::rc::Rc;

    use js_sys::{Array, Uint8Array};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{
        Blob, Crypto, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent, XmlHttpRequest,
        XmlHttpRequestResponseType,
    };

    use super::{
        execute, execute_load, execute_load_unhashed, execute_suggest, in_memory, internal_error,
        LoadRequest, Request, Response, RunRequest, SuggestRequest,
    };
    use crate::app::state::Bytes;
    use crate::samples::{self, Sample};
    use crate::table;

    /// Bytes of a browser file read at a time: the worker's memory holds the file once (in
    /// the engine's memory), not also a second whole copy on the JavaScript side.
    const READ_CHUNK: f64 = (8 << 20) as f64;

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    /// Sends `response` to the page.
    fn post(response: &Response) {
        // Nothing to do when the page is gone.
        let _ = scope().post_message(&JsValue::from_str(&response.to_message()));
    }

    /// A sample the page's build leaves out, fetched from the page's `static/data/` (copied
    /// there by Trunk) with a synchronous request: the worker's work is synchronous, and a
    /// worker may wait.
    fn fetch_sample(sample: &Sample) -> Result<Vec<u8>, String> {
        let failed = |err: JsValue| format!("{}: the page could not fetch the sample: {err:?}", sample.file);
        let request = XmlHttpRequest::new().map_err(failed)?;
        request.open_with_async("GET", &format!("static/data/{}", sample.file), false).map_err(failed)?;
        request.set_response_type(XmlHttpRequestResponseType::Arraybuffer);
        request.send().map_err(failed)?;
        match request.status().map_err(failed)? {
            200 => Ok(Uint8Array::new(&request.response().map_err(failed)?).to_vec()),
            status => Err(format!("{}: the page could not fetch the sample (HTTP {status})", sample.file)),
        }
    }

    /// The worker's main: answers each [`Request`] it is sent, one after the other, until the
    /// page terminates it. Posts [`Response::Ready`] once listening.
    pub fn serve() {
        samples::set_fetch(fetch_sample);
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
        // Whether a request came: the idle warm-up is then pointless (the request's own work
        // made the code hot) and would only hold the worker.
        let asked = Rc::new(Cell::new(false));
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new({
            let asked = asked.clone();
            move |event: MessageEvent| {
                asked.set(true);
                let response = match decode_request(&event.data()) {
                    Ok(Request::Run(request)) => execute(
                        &request,
                        |stage| post(&Response::Progress(stage.to_owned())),
                        |reruns| post(&Response::Reruns(reruns)),
                    ),
                    Ok(Request::Load(request)) => return load(request),
                    Ok(Request::Suggest(request)) => execute_suggest(&request),
                    Err(message) => Response::Failed(message),
                };
                post(&response);
            }
        });
        scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        // The handler lives as long as the worker.
        onmessage.forget();
        // `?run` or `?load`: the job the page started this worker for (services::job).
        let job = scope().location().search();
        let job = job.trim_start_matches('?');
        super::warm_up(job);
        post(&Response::Ready);
        if job == "load" {
            let idle = Closure::once_into_js(move || {
                if !asked.get() {
                    super::warm_up_idle();
                }
            });
            // Without a timer the warm-up is skipped: nothing depends on it but speed.
            let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(
                idle.unchecked_ref(),
                super::IDLE_WARM_UP_MS,
            );
        }
    }

    /// Answers a load: the engine reads and profiles the file while the browser hashes its
    /// bytes on its own threads, at native speed; the summary is posted once both are done.
    /// In wasm the engine's SHA-256 (no SHA instructions) was a quarter of the load: 33 ms of
    /// 8.6 MB. Without the browser's (no `crypto.subtle`, or it failed) the engine hashes.
    fn load(request: LoadRequest) {
        let Some(digest) = in_memory(&request.csv).ok().and_then(BrowserSha256::start) else {
            return post(&execute_load(&request));
        };
        // A file the engine cannot read fails as it would have: the hash is not part of it.
        let response = execute_load_unhashed(&request);
        let Response::Loaded(mut summary) = response else { return post(&response) };
        wasm_bindgen_futures::spawn_local(async move {
            summary.sha256 = match digest.hex().await {
                Some(hex) => hex,
                None => in_memory(&request.csv).map(table::sha256_hex).unwrap_or_default(),
            };
            post(&Response::Loaded(summary));
        });
    }

    /// The browser's SHA-256 of some bytes (`crypto.subtle.digest`), computed on the browser's
    /// own threads while the engine goes on: [`BrowserSha256::start`] copies the bytes and
    /// starts it, [`BrowserSha256::hex`] waits for it.
    pub struct BrowserSha256(js_sys::Promise);

    impl BrowserSha256 {
        /// `None` where the browser has no `crypto.subtle`: a page served over plain HTTP from
        /// another machine than the browser's is not a secure context.
        pub fn start(bytes: &[u8]) -> Option<BrowserSha256> {
            let global = js_sys::global();
            let secure = js_sys::Reflect::get(&global, &"isSecureContext".into()).ok()?.as_bool();
            if secure != Some(true) {
                return None;
            }
            let crypto: Crypto = js_sys::Reflect::get(&global, &"crypto".into()).ok()?.dyn_into().ok()?;
            crypto.subtle().digest_with_str_and_u8_array("SHA-256", bytes).ok().map(BrowserSha256)
        }

        /// The digest in lowercase hex, as the engine writes it; `None` if the browser failed.
        pub async fn hex(self) -> Option<String> {
            let buffer = wasm_bindgen_futures::JsFuture::from(self.0).await.ok()?;
            Some(table::hex(&Uint8Array::new(&buffer).to_vec()))
        }
    }

    /// The page's side of the protocol: `[kind, file, csv, …]`, where a `csv` is the
    /// request's bytes already copied out of the page's memory (a `Uint8Array`, transferred,
    /// not copied again) or the browser's `File` (which the worker reads), in the order of
    /// [`Request::csvs`]: `["run", file, csv, suite, reruns as JSON, reference file, reference
    /// csv]` (the reference's two are null without one), `["load", file, csv]` or
    /// `["suggest", file, csv, target, the reference's columns as JSON or null]`.
    pub fn encode_request(request: &Request, csvs: Vec<JsValue>) -> (JsValue, Array) {
        let transfer = Array::new();
        for csv in &csvs {
            if let Some(view) = csv.dyn_ref::<Uint8Array>() {
                transfer.push(&view.buffer());
            }
        }
        let mut csvs = csvs.into_iter();
        let csv = csvs.next().unwrap_or(JsValue::NULL);
        let mut reference = |reference: &Option<LoadRequest>| match reference {
            Some(reference) => (JsValue::from_str(&reference.file), csvs.next().unwrap_or(JsValue::NULL)),
            None => (JsValue::NULL, JsValue::NULL),
        };
        let parts: Vec<JsValue> = match request {
            Request::Run(run) => {
                let reruns = serde_json::to_string(&run.reruns).unwrap_or_default();
                let (reference_file, reference_csv) = reference(&run.reference);
                vec![
                    "run".into(),
                    run.file.as_str().into(),
                    csv,
                    run.suite.as_str().into(),
                    reruns.into(),
                    reference_file,
                    reference_csv,
                ]
            }
            Request::Load(load) => vec!["load".into(), load.file.as_str().into(), csv],
            Request::Suggest(suggest) => {
                let target = suggest.target.as_deref().map(JsValue::from_str).unwrap_or(JsValue::NULL);
                let columns = match &suggest.reference_columns {
                    Some(columns) => serde_json::to_string(columns).unwrap_or_default().into(),
                    None => JsValue::NULL,
                };
                vec!["suggest".into(), suggest.file.as_str().into(), csv, target, columns]
            }
        };
        (parts.into_iter().collect::<Array>().into(), transfer)
    }

    fn decode_request(data: &JsValue) -> Result<Request, String> {
        let unreadable = || internal_error("the worker got an unreadable request");
        let parts = data.dyn_ref::<Array>().ok_or_else(unreadable)?;
        let text = |i| parts.get(i).as_string().ok_or_else(unreadable);
        let file = text(1)?;
        let csv = csv_bytes(&parts.get(2), &file)?;
        // The reference's file name at `at`, its CSV after it; none when the name is null.
        let reference = |at| -> Result<Option<LoadRequest>, String> {
            let Some(file) = parts.get(at).as_string() else { return Ok(None) };
            let csv = csv_bytes(&parts.get(at + 1), &file)?;
            Ok(Some(LoadRequest { file, csv }))
        };
        match text(0)?.as_str() {
            "run" => Ok(Request::Run(RunRequest {
                suite: text(3)?,
                file,
                csv,
                reruns: serde_json::from_str(&text(4)?).map_err(|_| unreadable())?,
                reference: reference(5)?,
            })),
            "load" => Ok(Request::Load(LoadRequest { file, csv })),
            "suggest" => Ok(Request::Suggest(SuggestRequest {
                file,
                csv,
                target: parts.get(3).as_string(),
                reference_columns: match parts.get(4).as_string() {
                    Some(columns) => Some(serde_json::from_str(&columns).map_err(|_| unreadable())?),
                    None => None,
                },
            })),
            _ => Err(unreadable()),
        }
    }

    /// The bytes of a request's CSV: a transferred `Uint8Array` as it is, a sample's name
    /// fetched ([`fetch_sample`]), a browser file read [`READ_CHUNK`] bytes at a time (it may
    /// have changed or gone since it was picked: the error names it).
    fn csv_bytes(csv: &JsValue, file: &str) -> Result<Bytes, String> {
        if let Some(view) = csv.dyn_ref::<Uint8Array>() {
            return Ok(view.to_vec().into());
        }
        if let Some(name) = csv.as_string() {
            let sample =
                samples::get(&name).ok_or_else(|| internal_error(&format!("no sample named `{name}`")))?;
            return sample.bytes().map(|bytes| bytes.into_owned().into());
        }
        let blob = csv.dyn_ref::<Blob>().ok_or_else(|| internal_error("the worker got no CSV"))?;
        let fail = |err: JsValue| format!("{file}: the browser could not read the file: {err:?}");
        let reader = FileReaderSync::new().map_err(fail)?;
        let len = blob.size();
        let mut bytes = Vec::with_capacity(len as usize);
        let mut start = 0.0;
        while start < len {
            let end = (start + READ_CHUNK).min(len);
            let slice = blob.slice_with_f64_and_f64(start, end).map_err(fail)?;
            let view = Uint8Array::new(&reader.read_as_array_buffer(&slice).map_err(fail)?.into());
            if view.length() == 0 {
                // The file shrank since it was picked: read what it holds now.
                break;
            }
            let at = bytes.len();
            bytes.resize(at + view.length() as usize, 0);
            view.copy_to(&mut bytes[at..]);
            start += f64::from(view.length());
        }
        Ok(bytes.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::state::INITIAL_SUITE;
    use crate::samples;

    #[test]
    fn a_worker_warms_up_by_running_the_first_suite_as_a_real_run_would() {
        // The warm-up table runs the page's first suite to a verdict (the whole run's code is
        // called, so compiled), and a load reads it.
        assert!(warm_up("run"));
        assert!(warm_up("load"));
        assert!(warm_up_idle());
        let Response::Loaded(summary) = execute_load(&LoadRequest {
            file: "warm-up.csv".into(),
            csv: warm_up_load_csv().into_bytes().into(),
        }) else {
            panic!("the load warm-up failed")
        };
        // Every kind of column the loader types, with missing cells and quoted text.
        let types: Vec<String> = summary.profile.iter().map(|p| format!("{:?}", p.ty)).collect();
        assert_eq!(summary.rows, WARM_UP_LOAD_ROWS);
        assert_eq!(types, ["Int", "Float", "Float", "Category", "Bool", "Text", "Category"]);
        assert_eq!(summary.profile[1].missing, WARM_UP_LOAD_ROWS.div_ceil(17));
        let request = RunRequest {
            suite: INITIAL_SUITE.to_owned(),
            csv: warm_up_csv().into_bytes().into(),
            file: "warm-up.csv".into(),
            reruns: None,
            reference: None,
        };
        let Response::Done(report) = execute(&request, |_| {}, |_| {}) else {
            panic!("the warm-up run failed")
        };
        let statuses: Vec<_> = report.tests.iter().map(|t| (t.id.as_str(), t.status)).collect();
        assert_eq!(statuses.len(), 5);
        assert!(statuses.iter().all(|(_, status)| *status == crate::report::Status::Pass), "{statuses:?}");
    }

    fn iris_request(suite: &str) -> RunRequest {
        let sample = samples::get("iris").unwrap();
        RunRequest {
            suite: suite.to_owned(),
            csv: sample.csv.into(),
            file: sample.file.to_owned(),
            reruns: None,
            reference: None,
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
            reference: None,
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
        assert_eq!(summary.sha256, table::sha256_hex(penguins.csv));
        // The page's loader reads the same summary but for the hash, which the browser gives.
        let Response::Loaded(unhashed) = execute_load_unhashed(&request) else {
            panic!("penguins did not load")
        };
        assert_eq!(unhashed.sha256, "");
        assert_eq!(TableSummary { sha256: summary.sha256.clone(), ..*unhashed }, *summary);
        let bad = LoadRequest { file: "bad.csv".into(), csv: b"a,b\n1,2\n3,\xff\n".to_vec().into() };
        for load in [execute_load, execute_load_unhashed] {
            let Response::Failed(message) = load(&bad) else { panic!("a bad file loaded") };
            assert!(message.starts_with("bad.csv: line 3"), "{message}");
        }
    }

    /// A reference the suite carries (a sample, inline CSV) is read by the worker for drift.
    #[test]
    fn a_bundled_reference_reaches_the_drift_test() {
        let suite = r#"{"version": 1, "data": {"source": "sample:iris"}, "reference": {"source": "sample:iris"},
            "tests": [{"id": "d", "kind": "drift", "column": "sepal_length"}]}"#;
        let Response::Done(report) = execute(&iris_request(suite), |_| {}, |_| {}) else {
            panic!("no report")
        };
        let drift = &report.tests[0].drift[0];
        assert_eq!((drift.method.as_str(), drift.statistic, drift.drifted), ("ks", Some(1.0), false));
    }

    /// The page's reference replaces the suite's own, as `--reference` does in the CLI; a
    /// reference that does not read fails the run, naming its file.
    #[test]
    fn the_pages_reference_replaces_the_suites() {
        let (y2007, y2009) = (samples::get("penguins_2007").unwrap(), samples::get("penguins_2009").unwrap());
        let suite = include_str!("../../static/suites/penguins-drift.json");
        let request = RunRequest {
            suite: suite.to_owned(),
            csv: y2009.csv.into(),
            file: y2009.file.into(),
            reruns: None,
            reference: None,
        };
        let Response::Done(own) = execute(&request, |_| {}, |_| {}) else { panic!("no report") };
        let file = |name: &str, csv: &[u8]| Some(LoadRequest { file: name.into(), csv: csv.into() });
        let given = RunRequest { reference: file("then.csv", y2007.csv), ..request.clone() };
        let Response::Done(same) = execute(&given, |_| {}, |_| {}) else { panic!("no report") };
        let outcomes = |report: &Report| -> Vec<_> {
            report.tests.iter().map(|t| (t.status, t.observed.clone(), t.drift.clone())).collect()
        };
        assert_eq!(outcomes(&same), outcomes(&own), "the suite's reference is penguins_2007");
        assert_eq!(same.tests[0].steps[0].evaluation, "then.csv (reference)");
        assert_eq!(own.verdict, crate::report::Verdict::Fail);
        // The data against itself: nothing drifts.
        let itself = RunRequest { reference: file("now.csv", y2009.csv), ..request.clone() };
        let Response::Done(none) = execute(&itself, |_| {}, |_| {}) else { panic!("no report") };
        let drift: Vec<_> = none.tests.iter().flat_map(|t| &t.drift).collect();
        assert!(!drift.is_empty() && drift.iter().all(|d| !d.drifted), "{drift:?}");
        let bad = RunRequest { reference: file("bad.csv", b"a\n\xff\n"), ..request };
        let Response::Failed(message) = execute(&bad, |_| {}, |_| {}) else { panic!("a bad reference ran") };
        assert!(message.starts_with("bad.csv: line 2"), "{message}");
    }

    #[test]
    fn suggestions_are_made_from_the_file_with_the_suites_target() {
        let iris = samples::get("iris").unwrap();
        let request = SuggestRequest {
            file: "iris.csv".into(),
            csv: iris.csv.into(),
            target: Some("species".into()),
            reference_columns: None,
        };
        let Response::Suggested(tests) = execute_suggest(&request) else { panic!("no suggestions") };
        let table = table::read_csv(iris.csv, "iris.csv", &LoadOptions::default()).unwrap();
        assert_eq!(tests, suggest(&table, Some("species"), None));
        assert!(tests.iter().any(|t| t["id"] == "species-class-balance"), "{tests:?}");
        let response = Response::from_message(&Response::Suggested(tests.clone()).to_message());
        assert_eq!(response, Response::Suggested(tests), "the tests cross the message");
        let bad = SuggestRequest {
            file: "bad.csv".into(),
            csv: b"a\n\xff\n".to_vec().into(),
            target: None,
            reference_columns: None,
        };
        let Response::Failed(message) = execute_suggest(&bad) else { panic!("a bad file was read") };
        assert!(message.starts_with("bad.csv: line 2"), "{message}");
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
