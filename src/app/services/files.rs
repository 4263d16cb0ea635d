//! Reading a file the user picked, and moving a file's bytes between the page's memory and
//! the browser's without holding the page's thread: a 100 MB file is copied
//! [`COPY_CHUNK`] bytes per turn of the event loop, so the page answers between chunks.

use js_sys::{Promise, Uint8Array};
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

/// Bytes copied per turn of the event loop: 8 MiB take about a millisecond, so the page
/// stays responsive, while a 128 MiB file (the loader's cap) needs only 16 turns.
pub const COPY_CHUNK: usize = 8 << 20;

/// The file's bytes, or why the browser could not read them.
pub async fn read(file: &File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|err| format!("the browser could not read the file: {err:?}"))?;
    Ok(from_js(&Uint8Array::new(&buffer)).await)
}

/// Copies `view` into the page's memory, a chunk per turn of the event loop.
pub async fn from_js(view: &Uint8Array) -> Vec<u8> {
    let len = view.length() as usize;
    let mut bytes = Vec::with_capacity(len);
    let mut start = 0;
    while start < len {
        let end = (start + COPY_CHUNK).min(len);
        bytes.resize(end, 0);
        view.subarray(start as u32, end as u32).copy_to(&mut bytes[start..end]);
        start = end;
        if start < len {
            next_turn().await;
        }
    }
    bytes
}

/// Copies `bytes` out of the page's memory into a new `Uint8Array` (to be transferred to a
/// worker), a chunk per turn of the event loop.
pub async fn to_js(bytes: &[u8]) -> Uint8Array {
    let view = Uint8Array::new_with_length(bytes.len() as u32);
    for (i, chunk) in bytes.chunks(COPY_CHUNK).enumerate() {
        if i > 0 {
            next_turn().await;
        }
        let start = (i * COPY_CHUNK) as u32;
        view.subarray(start, start + chunk.len() as u32).copy_from(chunk);
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
