//! A millisecond clock that works natively, in the page and in a Web Worker.

/// Milliseconds since an arbitrary start, for measuring durations.
#[cfg(not(target_arch = "wasm32"))]
pub fn now_ms() -> f64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}

/// Milliseconds since an arbitrary start, for measuring durations.
///
/// A worker has no `window`, so `performance` is read from the global object, whichever it is.
#[cfg(target_arch = "wasm32")]
pub fn now_ms() -> f64 {
    use js_sys::{Function, Reflect};
    use wasm_bindgen::JsCast;
    let global = js_sys::global();
    Reflect::get(&global, &"performance".into())
        .ok()
        .and_then(|performance| {
            let now: Function = Reflect::get(&performance, &"now".into()).ok()?.dyn_into().ok()?;
            now.call0(&performance).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}
