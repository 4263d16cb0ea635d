//! The playground's Web Worker, which runs the engine off the page's thread.

#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
fn main() {
    mltest::app::worker::serve();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the mltest worker runs in the browser, started by the page: `make run` serves it");
}
