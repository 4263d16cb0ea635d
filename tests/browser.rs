//! In-browser tests: the engine and the page's services and components compiled to wasm32
//! and run in headless Chromium by wasm-bindgen-test (`make browser-test`, or
//! `cargo test --target wasm32-unknown-unknown --test browser` with chromedriver on PATH).
//!
//! What only a browser can show, and what `cargo test` (native, the server renderer) cannot:
//!
//! - the engine in wasm computes the native numbers: the seed lesson's accuracy gate through
//!   the worker's own entry point gives scikit-learn's accuracy bit for bit;
//! - `services::storage` saves to and loads from the real localStorage, and ignores a
//!   corrupt entry;
//! - `services::files` reads a real `File`, non-UTF-8 bytes included;
//! - the root component mounted in the real DOM: typing into the suite text area (an `input`
//!   event) changes the validation message, and the edit reaches localStorage;
//! - the column profiles draw their SVG histograms with one bar per bin (per top value).
//!
//! The tests run one at a time (wasm-bindgen-test's default), so the ones touching
//! localStorage or the document do not race.
//!
//! `webdriver.json` (read by the runner from the package root; JSON, so explained here) gives
//! chromedriver Debian's `/usr/bin/chromium` and the e2e harness's no-network flags, plus
//! `--host-resolver-rules` that resolve every name to nothing but `127.0.0.1`, where the runner
//! serves the tests: traced with strace, a run makes no DNS query and no connection elsewhere.

#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Promise, Uint8Array};
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, File, HtmlTextAreaElement, InputEvent, InputEventInit, Storage};

use mltest::app::services::{files, storage};
use mltest::app::state::{Action, AppState, Bytes, DataState, RunOutcome, RunState, INITIAL_SUITE};
use mltest::app::worker::{execute, Response, RunRequest};
use mltest::report::{Status, Verdict};
use mltest::samples;

wasm_bindgen_test_configure!(run_in_browser);

const GATE: &str = include_str!("../static/suites/iris-accuracy-gate.json");

fn local_storage() -> Storage {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten()).expect("localStorage")
}

/// One turn of the browser's event loop (a `setTimeout(0)`): lets yew render and effects run.
async fn next_task() {
    let promise = Promise::new(&mut |resolve, _| {
        web_sys::window().expect("window").set_timeout_with_callback(&resolve).expect("setTimeout");
    });
    JsFuture::from(promise).await.expect("setTimeout resolves");
}

/// Waits, a task at a time, until `ready` holds; fails naming `what` after 500 tasks.
async fn until(what: &str, mut ready: impl FnMut() -> bool) {
    for _ in 0..500 {
        if ready() {
            return;
        }
        next_task().await;
    }
    panic!("timed out waiting for {what}");
}

fn text_of(root: &Element, selector: &str) -> Option<String> {
    root.query_selector(selector).ok().flatten().and_then(|e| e.text_content())
}

#[wasm_bindgen_test]
fn accuracy_gate_in_wasm_gives_the_native_numbers() {
    let iris = samples::get("iris").expect("iris");
    let request = RunRequest {
        suite: GATE.to_owned(),
        csv: iris.csv.into(),
        file: iris.file.to_owned(),
        reruns: None,
        reference: None,
    };
    let mut stages = Vec::new();
    let response = execute(&request, |stage| stages.push(stage.to_owned()), |_| {});
    // The report as the page receives it: the worker's message, read back.
    let Response::Done(report) = Response::from_message(&response.to_message()) else {
        panic!("the accuracy gate did not run; stages: {stages:?}");
    };
    assert_eq!(stages.last().map(String::as_str), Some("test 5 of 5: end-to-end"));

    let state = AppState::default()
        .apply(Action::StartRun { run: 1 })
        .apply(Action::Finished { run: 1, outcome: RunOutcome::Done(report) });
    let RunState::Done { report, .. } = &state.run else { panic!("unread report: {:?}", state.run) };
    assert_eq!(report.verdict, Verdict::Pass);
    assert!(report.tests.iter().all(|t| t.status == Status::Pass), "{:?}", report.tests);
    let observed = |id: &str| {
        report.tests.iter().find(|t| t.id == id).map(|t| t.observed.clone()).unwrap_or(Value::Null)
    };
    // 28 of 30 test rows right: scikit-learn's accuracy_score, pinned in tests/model.
    assert_eq!(observed("acc"), json!(0.9333333333333333));
    // What `mltest run static/suites/iris-accuracy-gate.json` reports natively, to the last bit.
    assert_eq!(observed("f1-macro"), json!(0.9333333333333332));
    assert_eq!(observed("cv-accuracy"), json!(0.9533333333333334));
    assert_eq!(report.dataset.rows, 150);
}

#[wasm_bindgen_test]
fn storage_round_trips_through_local_storage_and_ignores_a_corrupt_entry() {
    let store = local_storage();
    store.clear().expect("clear");
    assert_eq!(storage::load(), None, "nothing saved yet");

    let csv = "a,b\n1,x\n2,y\n";
    let state = AppState::default()
        .apply(Action::LoadCsv { name: "mine.csv".into(), bytes: Bytes::from(csv.as_bytes()) })
        .settle_load()
        .apply(Action::EditSuite("{ \"version\": 1 }".into()));
    storage::save(&state);
    let raw = store.get_item(storage::KEY).expect("readable").expect("saved");
    assert_eq!(raw, state.saved().to_json());

    let loaded = storage::load().expect("the saved state loads").settle_load();
    assert_eq!(loaded.suite.text, "{ \"version\": 1 }");
    let DataState::Loaded(data) = &loaded.data else { panic!("data not restored: {:?}", loaded.data) };
    assert_eq!(
        (data.name.as_str(), data.bytes.in_memory().unwrap(), data.rows),
        ("mine.csv", csv.as_bytes(), 2)
    );

    for corrupt in ["{not json", "{\"v\": 99, \"suite\": \"\"}", "null"] {
        store.set_item(storage::KEY, corrupt).expect("set");
        assert_eq!(storage::load(), None, "{corrupt:?} is ignored");
    }
    store.clear().expect("clear");
}

/// A `File` as a file picker hands it over, from `bytes`.
fn file_of(bytes: &[u8], name: &str) -> File {
    let parts = Array::of1(&Uint8Array::from(bytes));
    File::new_with_u8_array_sequence(&parts, name).expect("File from bytes")
}

/// A picked file larger than the page reads into its memory stays a browser `File`: the state
/// keeps the `File`, does not save it for the next visit, and shares it by the fingerprint
/// the worker's reading gave.
#[wasm_bindgen_test]
fn a_large_picked_file_stays_in_the_browser() {
    use mltest::app::state::{summarize, IN_MEMORY_MAX};
    let iris = samples::get("iris").unwrap();
    let file = file_of(iris.csv, "mine.csv");
    let state =
        AppState::default().apply(Action::LoadCsv { name: "mine.csv".into(), bytes: Bytes::file(file) });
    let loading = state.loading.clone().expect("a load started");
    assert_eq!(loading.bytes.in_memory(), None, "the page did not read the file");
    assert!(format!("{:?}", loading.bytes).contains("browser file of"), "{:?}", loading.bytes);
    assert!(IN_MEMORY_MAX >= iris.csv.len(), "iris itself would be read into memory");
    // What the worker answers for it.
    let summary = summarize(iris.csv, "mine.csv").unwrap();
    let loaded = state.apply(Action::Loaded { load: loading.load, result: Ok(Box::new(summary.clone())) });
    assert_eq!(loaded.saved().data, mltest::app::state::SavedData::None);
    let shared = loaded.link_of("http://127.0.0.1:8080/", &Default::default()).expect("a link");
    assert_eq!(
        shared.carried,
        mltest::share::Carried::Fingerprint { sha256: summary.sha256, rows: summary.rows }
    );
}

/// The page's loader takes a file's SHA-256 from the browser (`crypto.subtle`) while the
/// engine reads it: the same hex as the engine's own, for a sample, no bytes, and 3 MB.
#[wasm_bindgen_test]
async fn the_browsers_sha256_is_the_engines() {
    use mltest::app::worker::BrowserSha256;
    use mltest::table::sha256_hex;
    let big: Vec<u8> = (0..3_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    for bytes in [samples::get("iris").unwrap().csv, &[][..], &big[..]] {
        let digest = BrowserSha256::start(bytes).expect("the test page is a secure context");
        assert_eq!(digest.hex().await.as_deref(), Some(sha256_hex(bytes).as_str()));
    }
}

#[wasm_bindgen_test]
async fn files_read_a_real_file_byte_for_byte() {
    // Latin-1 "José,München" and a stray 0xFF: not UTF-8.
    let latin1: &[u8] = b"name,city\nJos\xe9,M\xfcnchen\nAnn,\xff\n";
    let read = files::read(&file_of(latin1, "latin1.csv")).await.expect("readable");
    assert_eq!(read, latin1);
    // Loaded, it is refused with the line of the first bad byte, and the data held stays.
    let state = AppState::default()
        .apply(Action::LoadCsv { name: "latin1.csv".into(), bytes: Bytes::from(read) })
        .settle_load();
    let error = state.load_error.as_ref().expect("a load error");
    assert!(
        error.message.contains("latin1.csv: line 2, column 1 (`name`): the bytes are not valid UTF-8"),
        "{}",
        error.message
    );
    assert!(matches!(&state.data, DataState::Loaded(d) if d.sample == Some("iris")));

    let penguins = samples::get("penguins").expect("penguins");
    let read = files::read(&file_of(penguins.csv, penguins.file)).await.expect("readable");
    assert_eq!(read, penguins.csv);
    assert_eq!(files::read(&file_of(b"", "empty.csv")).await, Ok(Vec::new()));
}

/// Mounts the page's root component on a fresh `<div>` in the document.
fn mount_app() -> (Element, yew::AppHandle<mltest::app::App>) {
    let document = web_sys::window().and_then(|w| w.document()).expect("document");
    let root = document.create_element("div").expect("div");
    document.body().expect("body").append_child(&root).expect("attached");
    let handle = yew::Renderer::<mltest::app::App>::with_root(root.clone()).render();
    (root, handle)
}

#[wasm_bindgen_test]
async fn typing_in_the_suite_editor_revalidates_and_saves() {
    local_storage().clear().expect("clear");
    let (root, app) = mount_app();
    until("the suite editor", || text_of(&root, ".suite-ok").is_some()).await;
    assert_eq!(text_of(&root, ".suite-ok").as_deref(), Some("valid: 5 tests"));

    let area: HtmlTextAreaElement =
        root.query_selector("#suite-text").ok().flatten().expect("the suite text area").unchecked_into();
    assert_eq!(area.value(), INITIAL_SUITE);
    let type_text = |text: &str| {
        area.set_value(text);
        let init = InputEventInit::new();
        init.set_bubbles(true);
        let event = InputEvent::new_with_event_init_dict("input", &init).expect("input event");
        area.dispatch_event(&event).expect("dispatched");
    };

    type_text("{ \"version\": 1, \"tests\": [] }");
    until("the parse error", || text_of(&root, ".suite-error").is_some()).await;
    let error = text_of(&root, ".suite-error").unwrap_or_default();
    assert_eq!(error, "suite.json: missing field `data`");
    assert!(root.query_selector(".suite-ok").ok().flatten().is_none());
    assert_eq!(area.get_attribute("aria-invalid").as_deref(), Some("true"));
    let run_disabled = || {
        root.query_selector("[data-testid=run-button]")
            .ok()
            .flatten()
            .is_some_and(|b| b.has_attribute("disabled"))
    };
    assert!(run_disabled(), "an invalid suite cannot run");

    type_text(
        r#"{"version": 1, "data": {"source": "sample:iris"}, "tests": [{"id": "n", "kind": "not_null", "column": "*"}]}"#,
    );
    until("the suite to be valid again", || text_of(&root, ".suite-ok").is_some()).await;
    assert_eq!(text_of(&root, ".suite-ok").as_deref(), Some("valid: 1 tests"));
    assert!(!run_disabled());
    // The page's effect saved the edit: a reload would get it back.
    until("the edit to be saved", || storage::load().is_some_and(|s| s.suite.text.contains("\"id\": \"n\"")))
        .await;

    app.destroy();
    root.remove();
    local_storage().clear().expect("clear");
}

#[wasm_bindgen_test]
async fn iris_profile_draws_one_histogram_bar_per_bin() {
    local_storage().clear().expect("clear");
    let (root, app) = mount_app();
    until("the column profiles", || {
        root.query_selector_all("[data-testid=column-profile]").is_ok_and(|l| l.length() == 5)
    })
    .await;
    let bars = |column: &str| {
        let selector = format!("[data-testid=column-profile][data-column={column}] svg.histogram rect");
        root.query_selector_all(&selector).map(|l| l.length()).unwrap_or(0)
    };
    // numpy.histogram(iris.sepal_length, bins=10): 10 bins; species: its 3 values.
    for column in ["sepal_length", "sepal_width", "petal_length", "petal_width"] {
        assert_eq!(bars(column), 10, "{column}");
    }
    assert_eq!(bars("species"), 3);
    // Each bar says its count, numpy.histogram's (pinned in table::profile), and the tallest
    // (27 flowers, the 4th bin) fills the chart's 40 px less a 2 px margin.
    let rects = root
        .query_selector_all("[data-testid=column-profile][data-column=sepal_length] svg.histogram rect")
        .expect("bars");
    let (mut counts, mut heights) = (Vec::new(), Vec::new());
    for i in 0..rects.length() {
        let rect: Element = rects.item(i).expect("a bar").unchecked_into();
        let title = rect.text_content().unwrap_or_default();
        counts.push(title.rsplit(": ").next().unwrap_or_default().to_owned());
        heights.push(rect.get_attribute("height").unwrap_or_default());
    }
    assert_eq!(counts, ["9", "23", "14", "27", "16", "26", "18", "6", "5", "6"]);
    assert_eq!(heights[3], "38.00");
    assert_eq!(heights[8], format!("{:.2}", 5.0 / 27.0 * 38.0));

    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn bytes_cross_to_the_browser_a_chunk_at_a_time() {
    // Two whole chunks and a part: what a large file sent to the worker is cut into.
    let len = files::COPY_CHUNK * 2 + 12_345;
    let bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
    let js = files::to_js(&bytes).await;
    assert_eq!(js.length() as usize, len);
    assert!(js.to_vec() == bytes, "the bytes came across changed");
    assert_eq!(files::to_js(&[]).await.length(), 0);
}
