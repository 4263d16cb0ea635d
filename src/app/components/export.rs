//! Downloads and CI: the JSON report (`report.json`, what `mltest run --format json` writes),
//! the JUnit XML (`report.xml`, `--format junit`), the HTML report (`report.html`, `--format
//! html`), the suite file (`suite.json`), and the `mltest run` command that gives the same
//! report in CI, with a copy button.

use std::rc::Rc;

use yew::prelude::*;

use crate::app::html_report;
use crate::app::services::download::{copy, download};
use crate::report::{junit, Report};

#[derive(Properties, PartialEq)]
pub struct ExportProps {
    pub report: Rc<Report>,
    /// The suite being edited, as its text.
    pub suite: AttrValue,
}

/// The command that runs the suite on `data` in CI and writes JUnit XML.
pub fn ci_command(data: &str) -> String {
    format!("mltest run suite.json --data {} --format junit --output report.xml", shell_word(data))
}

/// `word` as one POSIX shell word: as it is when it is plain, else in single quotes.
fn shell_word(word: &str) -> String {
    let plain =
        !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || "._-/+,=:@".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[component]
pub fn Export(props: &ExportProps) -> Html {
    let problem = use_state(|| None::<String>);
    let copied = use_state(|| false);
    let save = |name: &'static str, mime: &'static str, text: Rc<dyn Fn() -> String>| {
        let problem = problem.clone();
        Callback::from(move |_: MouseEvent| problem.set(download(name, mime, text().as_bytes()).err()))
    };
    let report = props.report.clone();
    let on_json = save("report.json", "application/json", Rc::new(move || report.to_json_file()));
    let report = props.report.clone();
    let on_junit = save("report.xml", "application/xml", Rc::new(move || junit::render(&report)));
    let on_html = {
        let (report, problem) = (props.report.clone(), problem.clone());
        Callback::from(move |_: MouseEvent| {
            let problem = problem.clone();
            html_report::download(
                report.clone(),
                Callback::from(move |done: Result<(), String>| problem.set(done.err())),
            );
        })
    };
    let suite = props.suite.clone();
    let on_suite = save("suite.json", "application/json", Rc::new(move || suite.to_string()));
    let command = ci_command(&props.report.dataset.name);
    let on_copy = {
        let (command, problem, copied) = (command.clone(), problem.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| match copy(&command) {
            Ok(()) => copied.set(true),
            Err(err) => problem.set(Some(err)),
        })
    };
    html! {
        <section class="export" aria-labelledby="export-heading">
            <h3 id="export-heading">{ "Export and CI" }</h3>
            <div class="controls">
                <button type="button" class="secondary" data-testid="download-json" onclick={on_json}>{ "Download JSON report" }</button>
                <button type="button" class="secondary" data-testid="download-junit" onclick={on_junit}>{ "Download JUnit XML" }</button>
                <button type="button" class="secondary" data-testid="download-html" onclick={on_html}>{ "Download HTML report" }</button>
                <button type="button" class="secondary" data-testid="export-suite" onclick={on_suite}>{ "Export suite" }</button>
            </div>
            <p class="hint">{ "Run the same suite in CI (exit status 1 when the verdict is fail):" }</p>
            <div class="ci-command">
                <code data-testid="ci-command">{ command }</code>
                <button type="button" class="secondary" data-testid="copy-command" onclick={on_copy} aria-label="Copy the command">
                    { if *copied { "Copied" } else { "Copy" } }
                </button>
            </div>
            if let Some(problem) = &*problem {
                <p class="suite-error" role="alert">{ problem }</p>
            }
        </section>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::{render, sample_report};

    #[test]
    fn the_ci_command_names_the_data_file_as_one_word() {
        assert_eq!(
            ci_command("iris.csv"),
            "mltest run suite.json --data iris.csv --format junit --output report.xml"
        );
        assert_eq!(
            ci_command("my data's.csv"),
            r"mltest run suite.json --data 'my data'\''s.csv' --format junit --output report.xml"
        );
    }

    #[tokio::test]
    async fn four_downloads_and_the_command_for_the_loaded_file() {
        let report = sample_report("iris-accuracy-gate.json");
        let html = render::<Export>(ExportProps { report, suite: "{}".into() }).await;
        for hook in ["download-json", "download-junit", "download-html", "export-suite", "copy-command"] {
            assert!(html.contains(&format!("data-testid=\"{hook}\"")), "{hook}: {html}");
        }
        assert!(html.contains("--data iris.csv --format junit"), "{html}");
    }
}
