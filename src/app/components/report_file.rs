//! The body of the HTML report ([`crate::app::html_report`]): a title, a line naming the
//! suite, its data and the data's SHA-256, then the run's results as a snapshot — the page's
//! own [`Results`] with every test open and nothing to click. The CLI renders it with yew's
//! server renderer; the page mounts it in a detached element and reads it back once it is
//! drawn (`on_rendered`).

use std::rc::Rc;

use yew::prelude::*;

use super::Results;
use crate::report::Report;

#[derive(Properties, PartialEq)]
pub struct ReportFileProps {
    pub report: Rc<Report>,
    /// Called once the whole report is in the DOM (the page reads its HTML then); the server
    /// renderer runs no effects, so never in the CLI.
    #[prop_or_default]
    pub on_rendered: Callback<()>,
}

#[component]
pub fn ReportFile(props: &ReportFileProps) -> Html {
    {
        // Effects run after the children's: when this one runs, every row and chart is drawn.
        let on_rendered = props.on_rendered.clone();
        use_effect_with((), move |_| on_rendered.emit(()));
    }
    let report = &props.report;
    html! {
        <>
            <header class="top">
                <div>
                    <h1>{ format!("mltest report: {}", report.suite) }</h1>
                    <p class="report-source" data-testid="report-source">{ source_line(report) }</p>
                </div>
            </header>
            <main class="report-file">
                <Results outcome={Ok(report.clone())} snapshot=true />
            </main>
        </>
    }
}

/// What was run on what: `suite NAME · data FILE, R rows × C columns, sha256 HASH · seed N ·
/// mltest VERSION`. No date: a report is the same file for the same run.
pub fn source_line(report: &Report) -> String {
    let d = &report.dataset;
    let mut line = format!(
        "suite {} · data {}, {} rows × {} columns, sha256 {}",
        report.suite, d.name, d.rows, d.columns, d.sha256
    );
    if let Some(seed) = report.seed {
        line.push_str(&format!(" · seed {seed}"));
    }
    line.push_str(&format!(" · mltest {}", report.mltest));
    line
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::{render, sample_report};

    #[tokio::test]
    async fn the_report_names_its_run_and_opens_every_test_without_a_button() {
        let report = sample_report("breast-cancer-overfit.json");
        let html =
            render::<ReportFile>(ReportFileProps { report: report.clone(), on_rendered: Callback::noop() })
                .await;
        assert!(html.contains("<h1>mltest report: Breast cancer: an overfit tree</h1>"), "{html}");
        assert!(html.contains(&format!("sha256 {}", report.dataset.sha256)), "{html}");
        assert!(html.contains("data-verdict=\"fail\""), "{html}");
        let steps: usize = report.tests.iter().map(|t| t.steps.len()).sum();
        assert_eq!(html.matches("data-testid=\"step-row\"").count(), steps, "{html}");
        assert!(!html.contains("<button"), "{html}");
        assert!(!html.contains("download-json"), "{html}");
        assert!(html.contains("data-testid=\"roc-chart\""), "{html}");
    }
}
