//! The playground page's entry point, built by Trunk from `www/index.html`: one wasm module
//! for the page and its Web Workers, which instantiate the module the page compiled
//! (`www/engine_worker.js`). Instantiating runs `main`: in the page it renders the app; in a
//! worker (no window) it serves the page's requests.

#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
fn main() {
    if web_sys::window().is_some() {
        mltest::app::start();
    } else {
        mltest::app::worker::serve();
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "the mltest page runs in the browser: `make run` builds it and serves it on http://127.0.0.1:8080"
    );
}
