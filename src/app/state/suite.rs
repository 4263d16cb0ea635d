//! The suite slice: the text in the editor and what [`suite::parse`] makes of it.

use std::rc::Rc;

use crate::suite::{self, Format, Suite, SuiteError};

/// The file name an edited JSON suite is given in errors.
pub const SUITE_FILE: &str = "suite.json";
/// The suite the page opens with (on [`INITIAL_SAMPLE`](super::INITIAL_SAMPLE)).
pub const INITIAL_SUITE: &str = include_str!("../../../static/suites/iris-accuracy-gate.json");

/// Reads the suite being edited, JSON or YAML ([`Format::of_text`]); errors name it
/// `suite.json` or `suite.yaml`.
pub fn parse_suite(text: &str) -> Result<Suite, SuiteError> {
    let format = Format::of_text(text);
    suite::parse(text, format, format.file_name())
}

/// The suite being edited and what [`suite::parse`] makes of it.
#[derive(Debug, Clone, PartialEq)]
pub struct SuiteState {
    pub text: String,
    pub parsed: Result<Rc<Suite>, SuiteError>,
    /// Whether the text was typed in the editor's text area, rather than put there by a file,
    /// a link, a lesson or a form (the editor keeps a long text out of its text area until
    /// asked for, unless the person is typing in it).
    pub typed: bool,
}

impl SuiteState {
    pub fn new(text: String) -> SuiteState {
        let parsed = parse_suite(&text).map(Rc::new);
        SuiteState { text, parsed, typed: false }
    }

    /// A text already read as `suite` (a link's, which [`crate::share::decode`] checked):
    /// a shared suite can be megabytes, and reading it twice held the page.
    pub fn checked(text: String, suite: Suite) -> SuiteState {
        SuiteState { text, parsed: Ok(Rc::new(suite)), typed: false }
    }

    /// The text as typed in the editor's text area.
    pub fn typed(text: String) -> SuiteState {
        SuiteState { typed: true, ..SuiteState::new(text) }
    }

    /// The suite of an opened file `name`, or why its bytes cannot be the editor's text.
    pub fn from_file(name: &str, bytes: Vec<u8>) -> Result<SuiteState, String> {
        match String::from_utf8(bytes) {
            Ok(text) => Ok(SuiteState::new(text)),
            Err(err) => {
                let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
                let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
                Err(format!("{name}: line {line}: the bytes are not valid UTF-8; save the suite as UTF-8"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::app::state::*;
    use crate::app::suite_doc::SuiteEdit;

    #[test]
    fn a_yaml_suite_is_read_in_the_editor_and_its_errors_name_it() {
        let yaml = include_str!("../../../static/suites/diabetes-ranges.yaml");
        let state = AppState::default().apply(Action::EditSuite(yaml.into()));
        assert!(state.suite.parsed.as_ref().is_ok_and(|s| !s.tests.is_empty()), "{:?}", state.suite.parsed);
        let broken = state.apply(Action::EditSuite(yaml.replace("tests:", "tests: [")));
        assert_eq!(broken.suite.parsed.unwrap_err().file(), "suite.yaml");
        let json = AppState::default().apply(Action::EditSuite("{ \"version\": 1 }".into()));
        assert_eq!(json.suite.parsed.unwrap_err().file(), "suite.json");
    }

    #[test]
    fn an_opened_suite_file_replaces_the_editor_text_or_says_why_not() {
        let yaml = include_str!("../../../static/suites/diabetes-ranges.yaml");
        let state =
            AppState::default().apply(Action::OpenSuite { name: "ranges.yaml".into(), bytes: yaml.into() });
        assert_eq!(state.suite.text, yaml);
        assert!(state.suite.parsed.is_ok());
        let bad = state.apply(Action::OpenSuite {
            name: "latin1.json".into(),
            bytes: b"{\n\"name\": \"caf\xe9\"}".to_vec(),
        });
        assert_eq!(bad.suite, state.suite, "the suite in the editor is kept");
        let failure = bad.load_error.as_ref().unwrap();
        assert_eq!(
            failure.message,
            "latin1.json: line 2: the bytes are not valid UTF-8; save the suite as UTF-8"
        );
    }

    #[test]
    fn the_suite_is_validated_as_it_is_edited() {
        let state = AppState::default().apply(Action::EditSuite("{ \"version\": 1, ".into()));
        let err = state.suite.parsed.as_ref().unwrap_err();
        assert_eq!(err.file(), SUITE_FILE);
        assert!(err.line().is_some());
        assert!(state.runnable().is_none());
        let state = state.apply(Action::EditSuite(INITIAL_SUITE.into()));
        assert!(state.runnable().is_some());
    }

    #[test]
    fn a_form_edit_rewrites_the_suite_text_and_revalidates_it() {
        let state =
            AppState::default().apply(Action::EditForm(SuiteEdit::AddTest { kind: "values_between".into() }));
        let suite = state.suite.parsed.as_ref().unwrap();
        assert_eq!(suite.tests.len(), 6);
        assert!(state.suite.text.contains(r#""kind": "values_between", "column": "sepal_length""#));
        let bad = state.apply(Action::EditForm(SuiteEdit::SetParam {
            test: 5,
            name: "max".into(),
            value: Some(serde_json::json!("high")),
        }));
        assert_eq!(bad.suite.parsed.as_ref().unwrap_err().path(), "tests[5] (`values-between`).max");
        assert!(bad.runnable().is_none());
    }

    #[test]
    fn a_form_edit_of_text_that_is_not_json_changes_nothing() {
        let broken = AppState::default().apply(Action::EditSuite("{ \"version\": 1,".into()));
        let state = broken.apply(Action::EditForm(SuiteEdit::AddTest { kind: "unique".into() }));
        assert_eq!(state.suite, broken.suite);
    }

    #[test]
    fn suggested_tests_are_appended_through_the_reducer_with_fresh_ids() {
        let proposals = vec![
            serde_json::json!({"id": "no-nulls", "kind": "not_null", "column": "species"}),
            serde_json::json!({"id": "rows", "kind": "row_count_between", "min": 150, "max": 150}),
        ];
        let state = AppState::default().apply(Action::EditForm(SuiteEdit::AddTests(proposals)));
        let suite = state.suite.parsed.as_ref().unwrap();
        let ids: Vec<&str> = suite.tests.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(&ids[5..], ["no-nulls-2", "rows"]);
    }
}
