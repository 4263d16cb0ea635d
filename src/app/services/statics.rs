//! The page's own files beside it (`static/`, copied by Trunk), fetched when chosen: a
//! lesson's file, which the page's build does not compile in (`fetch-static`). The samples'
//! files are fetched by the worker that reads them (`app::worker`), not here.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

/// The text of `static/{path}`, or why it could not be had (named by the path).
pub async fn text(path: &str) -> Result<String, String> {
    let failed = |why: String| format!("static/{path}: {why}");
    let window = web_sys::window().ok_or_else(|| failed("no window to fetch from".into()))?;
    let response = JsFuture::from(window.fetch_with_str(&format!("static/{path}")))
        .await
        .map_err(|err| failed(format!("the page could not fetch it ({err:?})")))?;
    let response: Response = response.dyn_into().map_err(|_| failed("the fetch gave no response".into()))?;
    if !response.ok() {
        return Err(failed(format!("the page could not fetch it (HTTP {})", response.status())));
    }
    let text = response.text().map_err(|err| failed(format!("{err:?}")))?;
    let text = JsFuture::from(text).await.map_err(|err| failed(format!("unreadable ({err:?})")))?;
    text.as_string().ok_or_else(|| failed("not text".into()))
}
