//! The page's address and the clipboard: where share links come in and go out.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The page's address without its fragment: the base of the links it makes.
pub fn base() -> String {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_owned()
}

/// The page's whole address, fragment included.
pub fn href() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// Drops the fragment from the address bar without reloading: an opened link has done its
/// work, and a reload must restore the edits made since (localStorage), not the link again.
pub fn clear_hash() {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&base()));
    }
}

/// Calls `f` with the new address each time the fragment changes (a link pasted into the
/// address bar of the open page). The listener lives as long as the page.
pub fn on_hash_change(f: impl Fn(String) + 'static) {
    let Some(window) = web_sys::window() else { return };
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |_| f(href()));
    let _ = window.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
    listener.forget();
}

/// Copies `text` to the clipboard; `Err` when the browser refuses (no permission, or not a
/// secure context).
pub async fn copy(text: &str) -> Result<(), String> {
    let clipboard = web_sys::window().ok_or("no window")?.navigator().clipboard();
    JsFuture::from(clipboard.write_text(text)).await.map(|_| ()).map_err(|err| format!("{err:?}"))
}
