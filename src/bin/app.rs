//! The playground page's entry point, built by Trunk from `www/index.html`.

#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
fn main() {
    mltest::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "the mltest page runs in the browser: `make run` builds it and serves it on http://127.0.0.1:8080"
    );
}
