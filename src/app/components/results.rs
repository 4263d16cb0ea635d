//! The outcome of the last run: the verdict banner, the stage strip, one row per test, the
//! charts and the downloads, or why the run could not happen. As a snapshot (the HTML
//! report, [`crate::app::html_report`]) every test is open and there is nothing to click.

use std::rc::Rc;

use yew::prelude::*;

use super::{Charts, Export, StageStrip, TestRow};
use crate::report::{Report, Verdict};

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    /// The report of the last run, or why it failed.
    pub outcome: Result<Rc<Report>, AttrValue>,
    /// The suite being edited, for "Export suite".
    #[prop_or_default]
    pub suite: AttrValue,
    /// Drawn for the HTML report: every test expanded, no buttons, no downloads.
    #[prop_or_default]
    pub snapshot: bool,
}

#[component]
pub fn Results(props: &ResultsProps) -> Html {
    let report = match &props.outcome {
        Ok(report) => report,
        Err(message) => {
            return html! {
                <section class="panel results" aria-labelledby="results-heading">
                    <h2 id="results-heading">{ "Results" }</h2>
                    <div class="verdict error" data-testid="verdict" data-verdict="error">{ "The run could not happen" }</div>
                    <div class="error-banner" role="alert" data-testid="error-banner"><p>{ message }</p></div>
                </section>
            };
        }
    };
    let verdict = match report.verdict {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
    };
    html! {
        <section class="panel results" aria-labelledby="results-heading">
            <h2 id="results-heading">{ "Results" }</h2>
            <div class={classes!("verdict", verdict)} data-testid="verdict" data-verdict={verdict} role="status">
                <strong>{ report.verdict.label() }</strong>{ " " }{ report.headline() }
            </div>
            <StageStrip report={report.clone()} />
            <p class="summary">{ format!("{} · {} · {}", report.suite, report.dataset.name, report.summary.line()) }</p>
            <table class="tests">
                <thead><tr><th scope="col">{ "Status" }</th><th scope="col">{ "Test" }</th><th scope="col">{ "Observed" }</th><th scope="col">{ "Message" }</th></tr></thead>
                { for (0..report.tests.len()).map(|index| html! {
                    <TestRow key={report.tests[index].id.clone()} report={report.clone()} {index} snapshot={props.snapshot} />
                }) }
            </table>
            <Charts report={report.clone()} snapshot={props.snapshot} />
            if !props.snapshot {
                <Export report={report.clone()} suite={props.suite.clone()} />
            }
        </section>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::render;
    use crate::app::state::{INITIAL_SUITE, SUITE_FILE};
    use crate::{run, samples, suite, table};

    fn iris_report() -> Rc<Report> {
        let sample = samples::get("iris").unwrap();
        let table = table::read_csv(sample.csv, sample.file, &table::LoadOptions::default()).unwrap();
        let suite = suite::parse(INITIAL_SUITE, suite::Format::Json, SUITE_FILE).unwrap();
        Rc::new(run::run(&suite, &table))
    }

    #[tokio::test]
    async fn a_passing_run_shows_the_verdict_and_a_row_per_test() {
        let html = render::<Results>(ResultsProps {
            outcome: Ok(iris_report()),
            suite: INITIAL_SUITE.into(),
            snapshot: false,
        })
        .await;
        assert!(html.contains("data-verdict=\"pass\""), "{html}");
        assert_eq!(html.matches("data-testid=\"test-row\"").count(), 5);
        assert_eq!(html.matches("data-status=\"pass\"").count(), 5);
        assert!(html.contains("data-test-id=\"acc\""));
        assert!(html.contains("5 of 5 tests pass — ready to deploy"));
        assert!(html.contains("data-testid=\"stage-strip\""), "{html}");
        assert!(html.contains("data-testid=\"confusion-matrix\""), "{html}");
        assert!(html.contains("data-testid=\"download-json\""), "{html}");
    }

    #[tokio::test]
    async fn a_failed_run_is_an_error_verdict_with_the_message() {
        let html = render::<Results>(ResultsProps {
            outcome: Err("worker died".into()),
            suite: AttrValue::default(),
            snapshot: false,
        })
        .await;
        assert!(html.contains("data-verdict=\"error\"") && html.contains("worker died"), "{html}");
        assert!(html.contains("data-testid=\"error-banner\""));
    }
}
