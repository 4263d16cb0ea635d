//! Saving bytes the page made (a report, the suite) as a file, and copying text: a `Blob`,
//! an object URL and a click on a temporary `<a download>`; the clipboard API for copies.
//!
//! Compiled on every target so components can call it; outside a browser both refuse.

/// Offers `bytes` for download as a file `name` of type `mime`.
pub fn download(name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    imp::download(name, mime, bytes)
}

/// Copies `text` to the clipboard (asynchronously; a refusal is logged to the console).
pub fn copy(text: &str) -> Result<(), String> {
    imp::copy(text)
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use js_sys::{Array, Uint8Array};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

    fn fail(what: &str) -> impl Fn(JsValue) -> String + '_ {
        move |err| format!("could not {what}: {err:?}")
    }

    pub fn download(name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
        let window = web_sys::window().ok_or("no browser window")?;
        let document = window.document().ok_or("no document")?;
        let parts = Array::of1(&Uint8Array::from(bytes));
        let options = BlobPropertyBag::new();
        options.set_type(mime);
        let blob =
            Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(fail("make the file"))?;
        let url = Url::create_object_url_with_blob(&blob).map_err(fail("make the file's address"))?;
        let anchor: HtmlAnchorElement = document
            .create_element("a")
            .map_err(fail("make the download link"))?
            .dyn_into()
            .map_err(|_| "the download link is not an <a>".to_owned())?;
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
        // The browser has taken the URL once the click is handled; free it on the next turn.
        let revoke = Closure::once_into_js(move || {
            let _ = Url::revoke_object_url(&url);
        });
        window
            .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 0)
            .map_err(fail("schedule the clean-up"))?;
        Ok(())
    }

    pub fn copy(text: &str) -> Result<(), String> {
        let window = web_sys::window().ok_or("no browser window")?;
        let promise = window.navigator().clipboard().write_text(text);
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(err) = wasm_bindgen_futures::JsFuture::from(promise).await {
                web_sys::console::warn_1(&format!("mltest: the clipboard refused the text: {err:?}").into());
            }
        });
        Ok(())
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    pub fn download(name: &str, _mime: &str, _bytes: &[u8]) -> Result<(), String> {
        Err(format!("{name}: downloads need a browser"))
    }

    pub fn copy(_text: &str) -> Result<(), String> {
        Err("copying needs a browser".to_owned())
    }
}
