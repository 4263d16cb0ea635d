//! The suite slice: the text in the editor and what [`suite::parse`] makes of it, and the
//! notice of what an opened Great Expectations suite left out.

use std::rc::Rc;

use crate::gx::{self, LeftOut};
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

    /// The suite of an opened file `name`, or why its bytes cannot be the editor's text. A
    /// Great Expectations suite (told by its fields, [`gx::is_gx_suite`]) is imported: the
    /// editor gets the mltest suite, and the notice says what was left out.
    pub fn from_file(name: &str, bytes: Vec<u8>) -> Result<(SuiteState, Option<ImportNotice>), String> {
        let text = suite::text_of(name, bytes)?;
        if !gx::is_gx_suite(&text) {
            return Ok((SuiteState::new(text), None));
        }
        let imported = gx::import(&text, name).map_err(|err| err.to_string())?;
        let notice = ImportNotice {
            file: name.to_owned(),
            expectations: imported.expectations,
            tests: imported.suite.tests.len(),
            left_out: imported.left_out,
        };
        Ok((SuiteState::checked(imported.text, imported.suite), Some(notice)))
    }
}

/// What opening a Great Expectations suite made (PRODUCT.md §13): shown beside the editor
/// until dismissed or replaced by the next suite file opened.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportNotice {
    /// The GX file's name.
    pub file: String,
    /// How many expectations it holds.
    pub expectations: usize,
    /// How many tests they became.
    pub tests: usize,
    /// The expectations left out, by type, with the reason.
    pub left_out: Vec<LeftOut>,
}

impl ImportNotice {
    /// The notice's first line: `penguins.json: 36 of 43 Great Expectations expectations
    /// imported as 39 tests; 7 left out:`.
    pub fn summary(&self) -> String {
        let left = gx::left_out_count(&self.left_out);
        let mut line = format!(
            "{}: {} of {} Great Expectations expectations imported as {} tests",
            self.file,
            self.expectations - left,
            self.expectations,
            self.tests
        );
        if left > 0 {
            line.push_str(&format!("; {left} left out, with no mltest test that gives the same verdict:"));
        }
        line
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
    fn an_opened_great_expectations_suite_is_imported_and_what_it_left_out_is_noticed() {
        let gx = include_str!("../../../tests/data/gx/penguins.gx1.json");
        let state =
            AppState::default().apply(Action::OpenSuite { name: "penguins.json".into(), bytes: gx.into() });
        let suite = state.suite.parsed.as_ref().unwrap();
        assert_eq!(suite.tests.len(), 39);
        assert!(state.suite.text.contains("\"kind\": \"not_null\""), "{}", state.suite.text);
        let notice = state.import_notice.as_ref().unwrap();
        assert_eq!(
            notice.summary(),
            "penguins.json: 36 of 43 Great Expectations expectations imported as 39 tests; 7 left out, with no mltest test that gives the same verdict:"
        );
        assert_eq!(notice.left_out.len(), 7);
        // The notice stays while the suite is edited, goes when dismissed, and is replaced by
        // the next file opened.
        let edited = state.apply(Action::EditSuite(state.suite.text.replace("penguins", "birds")));
        assert!(edited.import_notice.is_some());
        assert_eq!(edited.apply(Action::DismissImportNotice).import_notice, None);
        let yaml = include_str!("../../../static/suites/diabetes-ranges.yaml");
        let next = state.apply(Action::OpenSuite { name: "ranges.yaml".into(), bytes: yaml.into() });
        assert_eq!(next.import_notice, None);
    }

    #[test]
    fn a_bad_great_expectations_suite_keeps_the_editor_and_names_the_field() {
        let bad =
            r#"{"name": "s", "expectations": [{"type": "expect_column_values_to_be_unique", "kwargs": {}}]}"#;
        let state =
            AppState::default().apply(Action::OpenSuite { name: "gx.json".into(), bytes: bad.into() });
        assert_eq!(state.suite, AppState::default().suite);
        assert_eq!(
            state.load_error.unwrap().message,
            "gx.json: expectations[0].kwargs.column: missing: the expectation names no column"
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
