//! The HTML report (PRODUCT.md §13, "Reports people open"): one self-contained file of a
//! run, drawn by the page's own components ([`ReportFile`]: the verdict, the stage strip,
//! every test's execution table and failing rows, the charts as inline SVG). Its styles are
//! inline and it has no script, so it reads the same opened from a disk, a CI artifact or a
//! mail; its Content-Security-Policy lets it ask no host for anything.
//!
//! [`document`] writes the file around the components' HTML: the one shell of both makers.
//!
//! - The CLI (`mltest run --format html`, [`render`]) renders [`ReportFile`] with yew's server
//!   renderer and inlines the page's stylesheet, compiled in (`www/style.css`).
//! - The page ("Download HTML report", [`download`]) mounts the same component in a detached
//!   element with the DOM renderer it already has, reads back its HTML, and inlines the
//!   stylesheet it has loaded, read from the CSSOM. Why not as the CLI does: the page's yew
//!   has no server renderer (`ssr` would grow the module every visitor downloads), and a
//!   copy of the stylesheet in the module would send its 16 KB twice. This way the download
//!   costs the page this module and a few DOM bindings, and the file shows what the CLI's
//!   shows, drawn by the same components in the same shell.

use std::rc::Rc;

use yew::Callback;

#[cfg(any(target_arch = "wasm32", feature = "html-report"))]
use super::components::{ReportFile, ReportFileProps};
use crate::report::fmt::markup as escape;
use crate::report::Report;

/// What the report may load: nothing but its own inline styles (the components' `style`
/// attributes are inline styles too); no script, no image, no font, no frame, no form target.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/// The report file: `body` (the components' HTML) in a document titled with the suite and its
/// verdict, `css` inline.
pub fn document(report: &Report, css: &str, body: &str) -> String {
    let title = escape(&format!("mltest report: {} — {}", report.suite, report.verdict.label()));
    // `</style` would end the style element early; `<\/` is the same text to CSS.
    let css = css.replace("</", "<\\/");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"mltest {}\">\n<title>{title}</title>\n\
         <style>\n{css}\n</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        escape(&report.mltest)
    )
}

/// The page's stylesheet, which the CLI's reports inline.
#[cfg(all(feature = "html-report", not(target_arch = "wasm32")))]
const STYLE: &str = include_str!("../../www/style.css");

/// The HTML report of `report`, as `mltest run --format html` writes it.
#[cfg(all(feature = "html-report", not(target_arch = "wasm32")))]
pub fn render(report: &Report) -> Result<String, String> {
    let props = ReportFileProps { report: Rc::new(report.clone()), on_rendered: Callback::noop() };
    let renderer = yew::LocalServerRenderer::<ReportFile>::with_props(props).hydratable(false);
    // The components spawn nothing: a runtime on this thread only drives the render.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|err| format!("cannot start the HTML renderer: {err}"))?;
    let body = runtime.block_on(renderer.render());
    Ok(document(report, STYLE, &body))
}

/// Offers the HTML report of `report` for download as `report.html`, the page's way (see
/// the module's docs); `on_done` hears whether it worked (drawing the report takes a turn of
/// the page's scheduler, so it is not known on return).
#[cfg(target_arch = "wasm32")]
pub fn download(report: Rc<Report>, on_done: Callback<Result<(), String>>) {
    use std::cell::RefCell;

    let Some(page) = web_sys::window().and_then(|w| w.document()) else {
        return on_done.emit(Err("no document to draw the report in".to_owned()));
    };
    let host = match page.create_element("div") {
        Ok(host) => host,
        Err(err) => return on_done.emit(Err(format!("could not make the report: {err:?}"))),
    };
    let css = page_styles(&page);
    let app: Rc<RefCell<Option<yew::AppHandle<ReportFile>>>> = Rc::default();
    let on_rendered = {
        let (host, app, report) = (host.clone(), app.clone(), report.clone());
        Callback::from(move |()| {
            let file = document(&report, &css, &host.inner_html());
            on_done.emit(super::services::download::download("report.html", "text/html", file.as_bytes()));
            // Read: unmount it once this callback, which it runs, has returned. (The handle is
            // there: in the browser the first render waits for the next microtask.)
            if let Some(app) = app.borrow_mut().take() {
                wasm_bindgen_futures::spawn_local(async move { app.destroy() });
            }
        })
    };
    let mounted =
        yew::Renderer::<ReportFile>::with_root_and_props(host, ReportFileProps { report, on_rendered });
    *app.borrow_mut() = Some(mounted.render());
}

/// Natively there is no page to download from.
#[cfg(not(target_arch = "wasm32"))]
pub fn download(_report: Rc<Report>, on_done: Callback<Result<(), String>>) {
    on_done.emit(Err("report.html: downloads need a browser".to_owned()));
}

/// Every rule of the page's stylesheets, as the browser holds them.
#[cfg(target_arch = "wasm32")]
fn page_styles(page: &web_sys::Document) -> String {
    use wasm_bindgen::JsCast;

    let mut css = String::new();
    let sheets = page.style_sheets();
    for sheet in (0..sheets.length()).filter_map(|i| sheets.item(i)) {
        // A sheet from another origin does not show its rules; the page has none.
        let Some(rules) = sheet.dyn_into::<web_sys::CssStyleSheet>().ok().and_then(|s| s.css_rules().ok())
        else {
            continue;
        };
        for rule in (0..rules.length()).filter_map(|i| rules.item(i)) {
            css.push_str(&rule.css_text());
            css.push('\n');
        }
    }
    css
}

#[cfg(all(test, feature = "html-report", not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::sample_report;

    /// Every example suite's report, with the verdict the example is meant to have.
    fn reports() -> Vec<(String, Rc<Report>)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static/suites");
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names.into_iter().map(|name| (name.clone(), sample_report(&name))).collect()
    }

    #[test]
    fn every_example_renders_to_a_self_contained_file_with_every_test() {
        for (name, report) in reports() {
            let html = render(&report).unwrap();
            assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{name}");
            // Nothing to fetch: no address, no script, no external resource of any kind.
            for banned in ["http:", "https:", "//", "<script", " src=", " href=", "url(", "@import", "<link"]
            {
                assert!(!html.contains(banned), "{name}: {banned} in the report");
            }
            assert!(html.contains(&format!("content=\"{CSP}\"")), "{name}");
            let verdict = report.verdict.label().to_ascii_lowercase();
            assert!(html.contains(&format!("data-verdict=\"{verdict}\"")), "{name}");
            assert!(html.contains("data-testid=\"stage-strip\"") || report.stages.is_empty(), "{name}");
            for test in &report.tests {
                assert_eq!(
                    html.matches(&format!("data-test-id=\"{}\" data-status", test.id)).count(),
                    1,
                    "{name}: the row of {}",
                    test.id
                );
            }
            let steps: usize = report.tests.iter().map(|t| t.steps.len()).sum();
            assert_eq!(html.matches("data-testid=\"step-row\"").count(), steps, "{name}: every step");
            assert!(!html.contains("<button"), "{name}: a button in a file");
        }
    }

    #[test]
    fn a_failing_run_shows_its_failing_rows_and_the_styles_are_the_pages() {
        let report = sample_report("penguins-missing-values.json");
        let html = render(&report).unwrap();
        assert!(
            html.contains("<title>mltest report: Penguins: missing values (fails on purpose) — FAIL</title>")
        );
        assert!(html.contains("data-testid=\"failing-rows\" data-count=\"2\""), "{html}");
        assert!(html.contains(".stage-strip {"), "the page's stylesheet is inline");
    }

    #[test]
    fn the_same_run_gives_the_same_file() {
        let report = sample_report("iris-accuracy-gate.json");
        assert_eq!(render(&report).unwrap(), render(&report).unwrap());
    }

    #[test]
    fn the_shell_escapes_the_title_and_cannot_close_its_style_early() {
        let mut report = (*sample_report("iris-data-quality.json")).clone();
        report.suite = "<script>alert(1)</script>".into();
        let file = document(&report, "p { content: \"</style><script>\"; }", "<p>body</p>");
        assert!(file.contains("<title>mltest report: &lt;script&gt;alert(1)&lt;/script&gt; — "), "{file}");
        assert_eq!(file.matches("</style>").count(), 1, "{file}");
        // What the CSS says stays text of the style element.
        assert!(file.contains("content: \"<\\/style><script>\""), "{file}");
        let (_, after_style) = file.split_once("</style>").unwrap();
        assert!(!after_style.contains("<script"), "{file}");
    }
}
