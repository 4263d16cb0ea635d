//! Reading a file the user picked.

use js_sys::Uint8Array;
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

/// The file's bytes, or why the browser could not read them.
pub async fn read(file: &File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|err| format!("the browser could not read the file: {err:?}"))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}
