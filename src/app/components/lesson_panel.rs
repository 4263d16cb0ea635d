//! A lesson in step mode: its text, then its focus test's execution table revealed one row
//! at a time with the tracked variables as they stand, a question before the assertion row,
//! and the "what if" (PRODUCT.md §6 Tutorials).

use std::rc::Rc;

use yew::prelude::*;

use crate::lessons::{self, Lesson, Rerun};
use crate::report::fmt::num;
use crate::report::Report;

/// The two answers to "what will the assertion report?".
pub const CHOICES: [&str; 2] = ["PASS", "FAIL"];

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub lesson: Rc<Lesson>,
    /// The report of the lesson's suite (or its what-if), once run.
    pub report: Option<Rc<Report>>,
    /// Rows of the focus test shown so far.
    pub shown: usize,
    /// The learner's answer to the question, once given.
    pub answer: Option<AttrValue>,
    /// The what-if suite is the one loaded.
    pub what_if: bool,
    /// The focus test under each of the lesson's rerun seeds, once run.
    #[prop_or_default]
    pub reruns: Option<Vec<Rerun>>,
    pub on_next: Callback<()>,
    pub on_answer: Callback<AttrValue>,
    /// Load the what-if suite (`true`) or the lesson's own (`false`).
    pub on_what_if: Callback<bool>,
}

/// Text with `code` in backticks, as the lesson files write it.
fn inline(text: &str) -> Html {
    html! {
        { for text.split('`').enumerate().map(|(i, part)| if i % 2 == 1 {
            html! { <code>{ part }</code> }
        } else {
            html! { { part } }
        }) }
    }
}

/// A paragraph of [`inline`] text.
fn prose(text: &str) -> Html {
    html! { <p>{ inline(text) }</p> }
}

#[component]
pub fn LessonPanel(props: &LessonPanelProps) -> Html {
    let lesson = &props.lesson;
    let test = props.report.as_ref().and_then(|report| report.tests.iter().find(|t| t.id == lesson.focus));
    let stepper = match test {
        None => {
            html! { <p class="hint">{ "Run the suite to step through the test " }<code>{ &lesson.focus }</code>{ "." }</p> }
        }
        Some(test) => {
            let reveal = lessons::reveal(test, props.shown);
            let answered = props.answer.is_some();
            let next = props.on_next.reform(|_: MouseEvent| ());
            let last = test.steps.last();
            html! {
                <div class="stepper">
                    <table class="execution" aria-label={format!("execution table of {}", test.id)}>
                        <thead><tr><th scope="col">{ "Step" }</th><th scope="col">{ "Action" }</th><th scope="col">{ "Evaluation" }</th><th scope="col">{ "Result" }</th></tr></thead>
                        <tbody>
                            { for reveal.rows.iter().map(|step| html! {
                                <tr data-testid="step-row"><td>{ step.step }</td><td><code>{ &step.action }</code></td><td>{ &step.evaluation }</td><td>{ &step.result }</td></tr>
                            }) }
                        </tbody>
                    </table>
                    if !reveal.variables.is_empty() {
                        <table class="variables" aria-label="tracked variables">
                            <thead><tr><th scope="col">{ "Variable" }</th><th scope="col">{ format!("After step {}", reveal.rows.len()) }</th></tr></thead>
                            <tbody>
                                { for reveal.variables.iter().map(|(name, value)| html! {
                                    <tr data-testid="variable-row"><td><code>{ *name }</code></td><td>{ value.unwrap_or("—") }</td></tr>
                                }) }
                            </tbody>
                        </table>
                    }
                    if reveal.ask && !answered {
                        <fieldset class="question" data-testid="lesson-question">
                            <legend>{ inline(&lesson.question) }</legend>
                            { for CHOICES.iter().map(|choice| {
                                let on_answer = props.on_answer.clone();
                                let onclick = Callback::from(move |_: MouseEvent| on_answer.emit(AttrValue::from(*choice)));
                                html! { <button type="button" class="choice" {onclick}>{ *choice }</button> }
                            }) }
                        </fieldset>
                    } else if !reveal.done {
                        <button type="button" class="next-step" data-testid="next-step" onclick={next}>{ "Next step" }</button>
                    }
                    if let (Some(answer), Some(last)) = (&props.answer, last) {
                        if reveal.done {
                            <p class={classes!("feedback", (answer.as_str() == last.result).then_some("right"))} role="status" data-testid="lesson-feedback">
                                { if answer.as_str() == last.result { "Right: " } else { "Not this time: " } }
                                { format!("you said {answer}; the assertion reports {}. ", last.result) }
                                { format!("The test's status is {} and the suite's verdict is {}.", test.status.label(), props.report.as_ref().map_or("", |r| r.verdict.label())) }
                            </p>
                        }
                    }
                </div>
            }
        }
    };
    let what_if = lesson.what_if.as_ref().map(|what_if| {
        let toggle = {
            let on = props.on_what_if.clone();
            let to = !props.what_if;
            Callback::from(move |_: MouseEvent| on.emit(to))
        };
        html! {
            <div class="what-if">
                <h4>{ "What if?" }</h4>
                { prose(&what_if.text) }
                <button type="button" data-testid="what-if" onclick={toggle}>
                    { if props.what_if { "Back to the lesson's suite" } else { "Load the what-if suite" } }
                </button>
            </div>
        }
    });
    let reruns = match (&lesson.reruns, &props.reruns) {
        (Some(about), Some(runs)) => {
            let passed = runs.iter().filter(|r| r.status == crate::report::Status::Pass).count();
            html! {
                <div class="reruns" data-testid="reruns">
                    { prose(&about.text) }
                    <table aria-label="reruns under other seeds">
                        <thead><tr><th scope="col">{ "Seed" }</th><th scope="col">{ "Observed" }</th><th scope="col">{ "Status" }</th></tr></thead>
                        <tbody>
                            { for runs.iter().map(|r| {
                                let status = r.status.label();
                                html! {
                                    <tr data-testid="rerun-row" data-status={status.to_ascii_lowercase()}>
                                        <td>{ r.seed }</td>
                                        <td>{ r.observed.as_f64().map_or_else(|| r.observed.to_string(), num) }</td>
                                        <td><span class={classes!("badge", status.to_ascii_lowercase())}>{ status }</span></td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                    <p>{ format!("{passed} of {} runs pass: the same test on the same code.", runs.len()) }</p>
                </div>
            }
        }
        _ => html! {},
    };
    html! {
        <section class="panel lesson" aria-labelledby="lesson-heading" data-testid="lesson" data-lesson={lesson.id.clone()}>
            <h2 id="lesson-heading">{ &lesson.title }</h2>
            <p class="summary">{ &lesson.summary }</p>
            { for lesson.text.iter().map(|p| prose(p)) }
            <h3>{ "Step through " }<code>{ &lesson.focus }</code></h3>
            { stepper }
            { reruns }
            { for what_if }
        </section>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::app::components::render;
    use crate::{run, table};

    fn props(shown: usize, answer: Option<&str>) -> LessonPanelProps {
        let lesson = lessons::get("accuracy-gate").unwrap().unwrap();
        let table = run::builtin_data(&lesson.suite, &table::LoadOptions::default()).unwrap().unwrap();
        let report = Rc::new(run::run(&lesson.suite, &table));
        LessonPanelProps {
            lesson: Rc::new(lesson),
            report: Some(report),
            shown,
            answer: answer.map(AttrValue::from),
            what_if: false,
            reruns: None,
            on_next: Callback::noop(),
            on_answer: Callback::noop(),
            on_what_if: Callback::noop(),
        }
    }

    #[tokio::test]
    async fn the_first_step_shows_one_row_and_the_model() {
        let html = render::<LessonPanel>(props(1, None)).await;
        assert_eq!(html.matches("data-testid=\"step-row\"").count(), 1, "{html}");
        assert!(html.contains("trained logistic_regression") && html.contains("next-step"), "{html}");
        assert!(html.contains("<code>acc</code>"), "backticks become code: {html}");
    }

    #[tokio::test]
    async fn before_the_assertion_the_learner_must_answer() {
        let html = render::<LessonPanel>(props(2, None)).await;
        assert!(html.contains("lesson-question") && !html.contains("next-step"), "{html}");
        assert!(html.contains("0.9333"), "accuracy is tracked by step 2: {html}");
        assert_eq!(html.matches("data-testid=\"step-row\"").count(), 2);
    }

    #[tokio::test]
    async fn the_answer_is_judged_against_the_assertion() {
        let html = render::<LessonPanel>(props(3, Some("FAIL"))).await;
        assert!(html.contains("Not this time: you said FAIL; the assertion reports PASS."), "{html}");
        let html = render::<LessonPanel>(props(3, Some("PASS"))).await;
        assert!(html.contains("Right: you said PASS"), "{html}");
        assert!(
            html.contains("the suite&#x27;s verdict is PASS") || html.contains("the suite's verdict is PASS"),
            "{html}"
        );
    }

    #[tokio::test]
    async fn the_flaky_lesson_shows_each_seed_with_its_status() {
        let lesson = lessons::get("flaky-seed").unwrap().unwrap();
        let table = run::builtin_data(&lesson.suite, &table::LoadOptions::default()).unwrap().unwrap();
        let reruns = lessons::reruns(&lesson.suite, &table, "acc", &[3, 4]).unwrap();
        let props = LessonPanelProps { lesson: Rc::new(lesson), reruns: Some(reruns), ..props(0, None) };
        let html = render::<LessonPanel>(props).await;
        assert_eq!(html.matches("data-testid=\"rerun-row\"").count(), 2, "{html}");
        assert!(html.contains("1 of 2 runs pass"), "{html}");
    }

    #[tokio::test]
    async fn before_a_run_it_asks_for_one() {
        let html = render::<LessonPanel>(LessonPanelProps { report: None, ..props(0, None) }).await;
        assert!(html.contains("Run the suite to step through"), "{html}");
        assert!(html.contains("data-testid=\"what-if\""), "{html}");
    }
}
