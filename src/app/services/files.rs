//! Reading a file the user picked, and moving a file's bytes between the page's memory and
//! the browser's without holding the page's thread: a 100 MB file is copied a chunk at a time,
//! and the page answers between turns of [`COPY_TURN_MS`].

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

use crate::app::state::{Bytes, Held};

/// Bytes copied at a time: 1 MiB takes well under a millisecond.
pub const COPY_CHUNK: usize = 1 << 20;
/// How long a copy holds the page's thread before it lets the page answer (input, rendering)
/// and goes on in the next turn of the event loop: far under the 50 ms a person notices, and
/// long enough that a 128 MiB file (the loader's cap) is copied in a few dozen turns.
pub const COPY_TURN_MS: f64 = 8.0;

/// Bytes read from a file at a time: the browser reads one slice of the file per request,
/// so no single task on the page's thread handles a whole 100 MB file.
pub const READ_CHUNK: usize = 4 << 20;

/// The file's bytes, or why the browser could not read them: a [`READ_CHUNK`] slice at a
/// time, each copied into the page's memory as it comes.
pub async fn read(file: &File) -> Result<Vec<u8>, String> {
    let fail = |err: JsValue| format!("the browser could not read the file: {err:?}");
    let len = file.size() as usize;
    let mut bytes = Vec::with_capacity(len);
    while bytes.len() < len {
        let start = bytes.len();
        let end = (start + READ_CHUNK).min(len);
        let slice = file.slice_with_f64_and_f64(start as f64, end as f64).map_err(fail)?;
        let buffer = JsFuture::from(slice.array_buffer()).await.map_err(fail)?;
        let view = Uint8Array::new(&buffer);
        if view.length() == 0 {
            // The file shrank while it was read: keep what it holds now.
            break;
        }
        bytes.resize(start + view.length() as usize, 0);
        view.copy_to(&mut bytes[start..]);
    }
    Ok(bytes)
}

/// Gives the page its turn when the current one has lasted [`COPY_TURN_MS`].
struct Turns {
    started: f64,
}

impl Turns {
    fn new() -> Turns {
        Turns { started: js_sys::Date::now() }
    }

    async fn pause_if_due(&mut self) {
        if js_sys::Date::now() - self.started >= COPY_TURN_MS {
            next_turn().await;
            self.started = js_sys::Date::now();
        }
    }
}

/// A CSV as a worker's request carries it: a browser file as its `File` (the worker reads
/// it), a sample this build leaves out as its name (the worker fetches it), bytes in the
/// page's memory copied out by [`to_js`].
pub async fn to_message(csv: &Bytes) -> JsValue {
    match csv.held() {
        Held::Memory(bytes) => to_js(bytes).await.into(),
        Held::File(file) => file.into(),
        Held::Sample(sample) => sample.name.into(),
    }
}

/// Copies `bytes` out of the page's memory into a new `Uint8Array` (to be transferred to a
/// worker), [`COPY_CHUNK`] bytes at a time, letting the page answer every [`COPY_TURN_MS`].
pub async fn to_js(bytes: &[u8]) -> Uint8Array {
    let view = Uint8Array::new_with_length(bytes.len() as u32);
    let mut turns = Turns::new();
    for (i, chunk) in bytes.chunks(COPY_CHUNK).enumerate() {
        let start = (i * COPY_CHUNK) as u32;
        view.subarray(start, start + chunk.len() as u32).copy_from(chunk);
        turns.pause_if_due().await;
    }
    view
}

/// Resolves on the next turn of the event loop (a `setTimeout(0)`): what is queued meanwhile
/// (input, rendering, a test's round trip) runs first.
pub async fn next_turn() {
    let promise = Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(&resolve);
        }
    });
    let _ = JsFuture::from(promise).await;
}
