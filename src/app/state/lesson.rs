//! The lesson slice: the open lesson and where the learner is in it (PRODUCT.md §6
//! Tutorials). Opening a lesson loads its suite and sample like any other (a write across
//! slices: [`AppState::open_lesson`](super::AppState::open_lesson)); step mode then walks the
//! focus test of the run's report ([`crate::lessons::reveal`]). Plain Rust, tested natively.

use std::rc::Rc;

use crate::lessons::{self, Entry, Lesson, Rerun};
use crate::suite::Suite;

/// The lesson being followed.
#[derive(Debug, Clone, PartialEq)]
pub struct TutorialState {
    pub lesson: Rc<Lesson>,
    /// Rows of the focus test revealed so far.
    pub shown: usize,
    /// The learner's answer to the lesson's question.
    pub answer: Option<String>,
    /// The what-if suite is the one loaded.
    pub what_if: bool,
    /// The lesson's suite under each of its rerun seeds, once computed.
    pub reruns: Option<Vec<Rerun>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LessonAction {
    /// Open the lesson with this id (from the lesson menu or a `lesson=ID` link).
    Open(String),
    /// The file of lesson `id`, fetched by the page (whose build holds none), or why it could
    /// not be.
    Fetched {
        id: String,
        text: Result<String, String>,
    },
    Close,
    /// Reveal the next row of the focus test's table.
    Next,
    /// The learner's answer before the assertion row; it reveals the row.
    Answer(String),
    /// Load the what-if suite (`true`) or the lesson's own (`false`), and run it.
    WhatIf(bool),
    /// The reruns of run `run`.
    Reruns {
        run: u64,
        reruns: Vec<Rerun>,
    },
}

impl TutorialState {
    /// The lesson just opened (or its what-if just loaded): nothing revealed yet.
    pub fn new(lesson: Rc<Lesson>, what_if: bool) -> TutorialState {
        TutorialState { lesson, shown: 0, answer: None, what_if, reruns: None }
    }

    /// Reveals the next row of the focus test's table.
    pub fn next(&mut self) {
        self.shown += 1;
    }

    /// The learner answered the lesson's question; the answer reveals the row.
    pub fn answer(&mut self, answer: String) {
        self.answer = Some(answer);
        self.shown += 1;
    }

    /// The seeds to rerun a request with, when the lesson asks for reruns of its own suite.
    pub fn rerun_request(&self) -> Option<(String, Vec<u64>)> {
        let reruns = self.lesson.reruns.as_ref()?;
        (!self.what_if).then(|| (self.lesson.focus.clone(), reruns.seeds.clone()))
    }
}

/// The suite a lesson loads: its own, or its what-if.
pub fn suite_of(lesson: &Lesson, what_if: bool) -> &Suite {
    match (&lesson.what_if, what_if) {
        (Some(w), true) => &w.suite,
        _ => &lesson.suite,
    }
}

/// A lesson to open: read from the file this build holds, or its file to fetch first.
#[derive(Debug)]
pub enum Found {
    Lesson(Box<Lesson>),
    Fetch(&'static Entry),
}

/// The lesson `id`, or why it cannot be opened.
pub fn find(id: &str) -> Result<Found, String> {
    let Some(entry) = lessons::entry(id) else {
        let known = lessons::ids().join(", ");
        return Err(format!("There is no lesson `{id}`; the lessons are {known}."));
    };
    match entry.text() {
        Some(text) => read(entry, text).map(|lesson| Found::Lesson(Box::new(lesson))),
        None => Ok(Found::Fetch(entry)),
    }
}

/// The lesson `entry` from its file's text, or why it cannot be opened.
pub fn read(entry: &Entry, text: &str) -> Result<Lesson, String> {
    entry.parse(text).map_err(|err| format!("This lesson could not be opened: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::state::{Action, AppState, DataState, RunOutcome, RunState};

    fn open(id: &str) -> AppState {
        AppState::default().apply(Action::Lesson(LessonAction::Open(id.into())))
    }

    #[test]
    fn opening_a_lesson_loads_its_suite_and_sample_and_asks_for_a_run() {
        let state = open("data-quality");
        let DataState::Loaded(data) = &state.data else { panic!("no data") };
        assert_eq!(data.sample, Some("penguins"));
        assert_eq!(state.suite.parsed.as_ref().unwrap().name.as_deref(), Some("Lesson 2: data quality"));
        assert!(state.links.run_requested);
        let tutorial = state.tutorial.as_ref().unwrap();
        assert_eq!((tutorial.shown, tutorial.answer.as_deref(), tutorial.what_if), (0, None, false));
    }

    #[test]
    fn steps_and_the_answer_advance_the_reveal() {
        let state = open("accuracy-gate")
            .apply(Action::Lesson(LessonAction::Next))
            .apply(Action::Lesson(LessonAction::Next))
            .apply(Action::Lesson(LessonAction::Answer("PASS".into())));
        let tutorial = state.tutorial.as_ref().unwrap();
        assert_eq!((tutorial.shown, tutorial.answer.as_deref()), (3, Some("PASS")));
    }

    #[test]
    fn the_what_if_loads_the_changed_suite_and_starts_the_steps_again() {
        let state = open("accuracy-gate")
            .apply(Action::Lesson(LessonAction::Next))
            .apply(Action::StartRun { run: 1 })
            .apply(Action::Lesson(LessonAction::WhatIf(true)));
        assert_eq!(state.suite.parsed.as_ref().unwrap().features, Some(vec!["sepal_width".to_owned()]));
        let tutorial = state.tutorial.as_ref().unwrap();
        assert!(tutorial.what_if && tutorial.shown == 0);
        assert_eq!(state.run, RunState::Idle, "the lesson's old report is not stepped through");
        assert!(state.links.run_requested);
        let back = state.apply(Action::Lesson(LessonAction::WhatIf(false)));
        assert_eq!(back.suite.parsed.as_ref().unwrap().features, None);
    }

    #[test]
    fn an_unknown_lesson_is_an_error_that_changes_nothing_else() {
        let before = AppState::default();
        let after = before.apply(Action::Lesson(LessonAction::Open("nope".into())));
        assert!(after
            .links
            .error
            .as_deref()
            .unwrap()
            .starts_with("There is no lesson `nope`; the lessons are accuracy-gate,"));
        assert_eq!((after.suite, after.data, after.tutorial), (before.suite, before.data, None));
    }

    /// The page's build holds no lesson file: the state waits for the one it fetches.
    fn fetching(id: &str) -> AppState {
        AppState { lesson_fetch: lessons::entry(id), ..AppState::default() }
    }

    fn fetched(state: &AppState, id: &str, text: Result<String, String>) -> AppState {
        state.apply(Action::Lesson(LessonAction::Fetched { id: id.into(), text }))
    }

    #[test]
    fn a_fetched_lesson_opens_as_a_compiled_in_one_does() {
        let entry = lessons::entry("data-quality").unwrap();
        let state = fetched(&fetching("data-quality"), "data-quality", Ok(entry.text().unwrap().to_owned()));
        let opened = open("data-quality");
        assert_eq!(state.lesson_fetch, None);
        assert_eq!(
            (&state.suite, &state.data, &state.tutorial),
            (&opened.suite, &opened.data, &opened.tutorial)
        );
        assert!(state.links.run_requested);
    }

    #[test]
    fn a_fetched_file_opens_only_the_lesson_still_asked_for() {
        let flaky = lessons::entry("flaky-seed").unwrap().text().unwrap().to_owned();
        // Another lesson was chosen while this one's file was on its way.
        let waiting = fetching("accuracy-gate");
        let late = fetched(&waiting, "flaky-seed", Ok(flaky.clone()));
        assert_eq!((late.tutorial, late.lesson_fetch), (None, lessons::entry("accuracy-gate")));
        // Closed meanwhile: nothing opens.
        let closed = waiting.apply(Action::Lesson(LessonAction::Close));
        assert_eq!(closed.lesson_fetch, None);
        assert_eq!(fetched(&closed, "accuracy-gate", Ok(flaky)).tutorial, None);
    }

    #[test]
    fn a_lesson_that_cannot_be_fetched_or_read_says_which_file_and_keeps_the_page() {
        let before = fetching("integration");
        let unreachable = "static/lessons/5-integration.json: the page could not fetch it (HTTP 404)";
        let failed = fetched(&before, "integration", Err(unreachable.into()));
        assert_eq!(failed.links.error.as_deref(), Some(unreachable));
        assert_eq!((&failed.suite, &failed.data, &failed.tutorial), (&before.suite, &before.data, &None));
        // A file whose id is another lesson's (a stale or mixed-up copy) is not opened as this one.
        let other = lessons::entry("flaky-seed").unwrap().text().unwrap().to_owned();
        let wrong = fetched(&before, "integration", Ok(other));
        let message = wrong.links.error.unwrap();
        assert!(
            message.starts_with(
                "This lesson could not be opened: lessons/5-integration.json: the file's id is `flaky-seed`"
            ),
            "{message}"
        );
        let broken = fetched(&before, "integration", Ok("{\"version\": 1,".into()));
        assert!(broken.links.error.unwrap().contains("lessons/5-integration.json: EOF while parsing"));
    }

    #[test]
    fn only_the_flaky_lesson_reruns_and_only_its_own_suite() {
        assert_eq!(open("accuracy-gate").rerun_request(), None);
        let flaky = open("flaky-seed");
        assert_eq!(flaky.rerun_request(), Some(("acc".into(), (0..10).collect())));
        let what_if = flaky.apply(Action::Lesson(LessonAction::WhatIf(true)));
        assert_eq!(what_if.rerun_request(), None);
    }

    #[test]
    fn reruns_are_kept_only_for_the_current_run() {
        let rerun = Rerun { seed: 0, status: crate::report::Status::Pass, observed: 1.0.into() };
        let running = open("flaky-seed").apply(Action::StartRun { run: 2 });
        let done = running.apply(Action::Finished { run: 2, outcome: RunOutcome::Done(flaky_report()) });
        let sent_before_the_report =
            running.apply(Action::Lesson(LessonAction::Reruns { run: 2, reruns: vec![rerun.clone()] }));
        assert_eq!(sent_before_the_report.tutorial.as_ref().unwrap().reruns, Some(vec![rerun.clone()]));
        let stale = done.apply(Action::Lesson(LessonAction::Reruns { run: 1, reruns: vec![rerun.clone()] }));
        assert_eq!(stale.tutorial.as_ref().unwrap().reruns, None);
        let kept = done.apply(Action::Lesson(LessonAction::Reruns { run: 2, reruns: vec![rerun.clone()] }));
        assert_eq!(kept.tutorial.as_ref().unwrap().reruns, Some(vec![rerun]));
    }

    fn flaky_report() -> Box<crate::report::Report> {
        let lesson = lessons::get("flaky-seed").unwrap().unwrap();
        let table = crate::run::builtin_data(&lesson.suite, &Default::default()).unwrap().unwrap();
        Box::new(crate::run::run(&lesson.suite, &table))
    }
}
