//! The page's side of share links (PRODUCT.md §6 Share, §7): which link the page's state
//! makes, and what opening a link puts in the page. Plain Rust over [`crate::share`], tested
//! natively; the reducer calls it, the page only reads and writes `location.hash`.

use std::rc::Rc;

use serde_json::Value;

use super::state::{load_csv, load_sample, AppState, DataState, LoadedData, SuiteState};
use super::tutorial;
use crate::share::{self, Carried, Data, Flags, LinkError, Shared};
use crate::suite::DataSource;

/// What the page holds about links: the last one made, the last one that failed to open,
/// and the file an opened link asks for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkState {
    /// The last link the Share button made, or why it could not.
    pub shared: Option<Result<SharedLink, String>>,
    /// Why the last link could not be opened; the work in the page was left as it was.
    pub error: Option<String>,
    /// The file an opened link asks for by fingerprint, until a matching one is loaded.
    pub expected: Option<ExpectedData>,
    /// What the page says about the data the link asks for: load it, or it does not match.
    pub data_notice: Option<String>,
    /// Hide the editor (`editor=0`): a focused lesson.
    pub hide_editor: bool,
    /// Run as soon as the page can (`run=1`); cleared when a run starts.
    pub run_requested: bool,
}

/// A link the Share button made.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedLink {
    pub link: String,
    /// How it carries the data, in words ([`carried_note`]).
    pub note: String,
    /// It was copied to the clipboard.
    pub copied: bool,
}

/// What happens to links in the page, as the reducer receives it.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkAction {
    /// Make the link of what the page holds, for the page at `base`.
    Share { base: String },
    /// The clipboard took the link.
    Copied,
    /// Open a link (the page's address when it loads, or after its fragment changed).
    Open(String),
}

/// Applies `action` to `state`.
pub fn apply(state: &mut AppState, action: LinkAction) {
    match action {
        LinkAction::Share { base } => {
            let file = match &state.data {
                DataState::Loaded(data) => data.name.clone(),
                DataState::Failed { name, .. } => name.clone(),
            };
            state.links.shared =
                Some(link_of(&state.suite, &state.data, &base, &Flags::default()).map(|shared| SharedLink {
                    note: carried_note(&shared.carried, &file),
                    link: shared.link,
                    copied: false,
                }));
        }
        LinkAction::Copied => {
            if let Some(Ok(shared)) = &mut state.links.shared {
                shared.copied = true;
            }
        }
        LinkAction::Open(link) => {
            let flags = share::flags(&link);
            match open(&link) {
                // A lesson link may carry no suite: the lesson is the suite.
                Err(LinkError::NoSuite) if flags.lesson.is_some() => state.links = LinkState::default(),
                Err(err) => {
                    state.links.error =
                        Some(format!("This link could not be opened: {err}. Your work is unchanged."));
                    return;
                }
                Ok(opened) => {
                    state.links = LinkState::default();
                    state.tutorial = None;
                    state.suite = SuiteState::new(opened.suite_text);
                    match opened.data {
                        LinkData::Sample(name) => state.take_data(load_sample(&name)),
                        LinkData::Inline(csv) => state.take_data(load_csv(
                            INLINE_FILE.to_owned(),
                            Rc::from(csv.into_bytes()),
                            None,
                        )),
                        LinkData::Expect(expected) => {
                            state.links.expected = Some(expected);
                            state.links.check_data(&state.data);
                        }
                        LinkData::Keep => {}
                    }
                }
            }
            // Opening a lesson loads its suite and asks for a run, as from the lesson menu.
            if let Some(lesson) = flags.lesson {
                tutorial::apply(state, tutorial::LessonAction::Open(lesson));
            }
            state.links.hide_editor = flags.hide_editor;
            state.links.run_requested |= flags.run;
        }
    }
}

impl LinkState {
    /// Compares the data now loaded with the file an opened link asks for: a match ends the
    /// request, a mismatch is said in the notice.
    pub fn check_data(&mut self, data: &DataState) {
        let Some(expected) = &self.expected else { return };
        match data {
            DataState::Loaded(data) => match expected.check(data) {
                Ok(()) => {
                    self.expected = None;
                    self.data_notice = None;
                }
                Err(mismatch) => {
                    self.data_notice =
                        Some(format!("{mismatch}. Load {} to reproduce the link's run.", expected.name))
                }
            },
            DataState::Failed { .. } => {}
        }
    }
}

/// The link of what the page holds, or why there is none.
pub fn link_of(suite: &SuiteState, data: &DataState, base: &str, flags: &Flags) -> Result<Shared, String> {
    let parsed = suite.parsed.as_ref().map_err(|err| format!("fix the suite before sharing it: {err}"))?;
    let data = match data {
        DataState::Loaded(LoadedData { sample: Some(sample), .. }) => Data::Sample(sample),
        DataState::Loaded(data) => Data::File { name: &data.name, bytes: &data.bytes, rows: data.rows },
        DataState::Failed { .. } => return Err("load a readable CSV before sharing".to_owned()),
    };
    Ok(share::encode(base, parsed, Some(data), flags))
}

/// One line on how a link carries its data, shown beside the link.
pub fn carried_note(carried: &Carried, file: &str) -> String {
    match carried {
        Carried::AsSuite => "the data the suite names".to_owned(),
        Carried::Sample(name) => format!("the sample `{name}` (bundled with mltest)"),
        Carried::Inline => format!("{file} travels in the link"),
        Carried::Fingerprint { sha256, rows } => format!(
            "{file} is too large to inline: the link asks for it and checks its SHA-256 ({}…) and {rows} rows",
            &sha256[..12.min(sha256.len())]
        ),
    }
}

/// The data a link asks for, by fingerprint: the receiver must load that file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedData {
    pub name: String,
    pub sha256: String,
    pub rows: Option<usize>,
}

impl ExpectedData {
    /// Whether `data` is the file the link was made from; `Err` says how it differs.
    pub fn check(&self, data: &LoadedData) -> Result<(), String> {
        if data.sha256.eq_ignore_ascii_case(&self.sha256) {
            return Ok(());
        }
        let rows = match self.rows {
            Some(rows) if rows != data.rows => format!(", {} rows instead of {rows}", data.rows),
            _ => String::new(),
        };
        Err(format!(
            "{} is not the file this link was made from: its SHA-256 is {}…, the link's is {}…{rows}",
            data.name,
            &data.sha256[..12.min(data.sha256.len())],
            &self.sha256[..12.min(self.sha256.len())]
        ))
    }
}

/// The data an opened link brings.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkData {
    /// The suite names a sample.
    Sample(String),
    /// The CSV was in the link.
    Inline(String),
    /// The link asks for a file by fingerprint.
    Expect(ExpectedData),
    /// The suite names no data the page can load: keep what is loaded.
    Keep,
}

/// What opening a link puts in the page.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenedLink {
    /// The suite for the editor. Inline data moves out of it into the data panel (the editor
    /// would otherwise hold the whole CSV), so its `data` becomes `{"source": "file"}`.
    pub suite_text: String,
    pub data: LinkData,
    pub flags: Flags,
}

/// The file name given to data that came inline in a link.
pub const INLINE_FILE: &str = "shared.csv";

/// Opens `link` (the page's whole address or its fragment).
pub fn open(link: &str) -> Result<OpenedLink, LinkError> {
    let opened = share::decode(link)?;
    let spec = &opened.suite.data;
    let data = match spec.kind() {
        DataSource::Sample(name) => LinkData::Sample(name.to_owned()),
        DataSource::Inline(csv) => LinkData::Inline(csv.to_owned()),
        DataSource::File(path) => match &spec.sha256 {
            Some(sha256) => LinkData::Expect(ExpectedData {
                name: path.unwrap_or("the file").to_owned(),
                sha256: sha256.clone(),
                rows: spec.rows,
            }),
            None => LinkData::Keep,
        },
    };
    let suite_text = match &data {
        LinkData::Inline(_) => {
            let mut value: Value = serde_json::from_str(&opened.text).unwrap_or_default();
            if let Some(top) = value.as_object_mut() {
                top.insert("data".into(), serde_json::json!({ "source": "file" }));
            }
            serde_json::to_string_pretty(&value).unwrap_or(opened.text)
        }
        _ => opened.text,
    };
    Ok(OpenedLink { suite_text, data, flags: opened.flags })
}

/// Whether a page address carries a suite link (opening it is then worth an attempt).
pub fn is_link(hash: &str) -> bool {
    hash.trim_start_matches('#').split('&').any(|pair| pair.starts_with("s=") || pair.starts_with("lesson="))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::state::{Action, AppState, INITIAL_SUITE};
    use crate::samples;
    use std::rc::Rc;

    const BASE: &str = "http://127.0.0.1:8080/";

    fn loaded(state: &AppState) -> &LoadedData {
        let DataState::Loaded(data) = &state.data else { panic!("no data") };
        data
    }

    #[test]
    fn the_initial_page_shares_its_suite_and_names_the_sample() {
        let state = AppState::default();
        let shared = link_of(&state.suite, &state.data, BASE, &Flags::default()).unwrap();
        assert_eq!(shared.carried, Carried::Sample("iris".into()));
        let opened = open(&shared.link).unwrap();
        assert_eq!(opened.data, LinkData::Sample("iris".into()));
        let original = state.suite.parsed.as_ref().unwrap();
        let reopened = crate::suite::parse(&opened.suite_text, crate::suite::Format::Json, "link").unwrap();
        assert_eq!(&reopened, original.as_ref());
    }

    #[test]
    fn an_uploaded_small_file_travels_inline_and_leaves_the_editor_clean() {
        let csv = "a,b\n1,x\n2,y\n3,x\n";
        let state = AppState::default()
            .apply(Action::LoadCsv { name: "mine.csv".into(), bytes: Rc::from(csv.as_bytes()) });
        let shared = link_of(&state.suite, &state.data, BASE, &Flags::default()).unwrap();
        assert_eq!(shared.carried, Carried::Inline);
        let opened = open(&shared.link).unwrap();
        assert_eq!(opened.data, LinkData::Inline(csv.into()));
        assert!(!opened.suite_text.contains("1,x"), "{}", opened.suite_text);
        assert!(opened.suite_text.contains("\"source\": \"file\""));
        assert!(crate::suite::parse(&opened.suite_text, crate::suite::Format::Json, "link").is_ok());
    }

    #[test]
    fn a_large_file_is_asked_for_and_checked() {
        let sample = samples::get("breast_cancer").unwrap();
        let bytes: Rc<[u8]> = Rc::from(sample.csv);
        let state = AppState::default().apply(Action::LoadCsv { name: "cancer.csv".into(), bytes });
        let shared = link_of(&state.suite, &state.data, BASE, &Flags::default()).unwrap();
        assert!(matches!(shared.carried, Carried::Fingerprint { rows: 569, .. }), "{:?}", shared.carried);
        assert!(carried_note(&shared.carried, "cancer.csv").starts_with("cancer.csv is too large to inline"));
        let LinkData::Expect(expected) = open(&shared.link).unwrap().data else { panic!("not asked for") };
        assert_eq!((expected.name.as_str(), expected.rows), ("cancer.csv", Some(569)));
        assert_eq!(expected.check(loaded(&state)), Ok(()));

        let other = AppState::default();
        let err = expected.check(loaded(&other)).unwrap_err();
        assert!(err.starts_with("iris.csv is not the file this link was made from"), "{err}");
        assert!(err.ends_with(", 150 rows instead of 569"), "{err}");
    }

    #[test]
    fn flags_come_back_from_the_link() {
        let state = AppState::default();
        let flags = Flags { run: true, hide_editor: true, lesson: None };
        let shared = link_of(&state.suite, &state.data, BASE, &flags).unwrap();
        assert_eq!(open(&shared.link).unwrap().flags, flags);
        assert!(is_link(&shared.link[shared.link.find('#').unwrap()..]));
        assert!(is_link("#lesson=flaky-seed") && !is_link("#top") && !is_link(""));
    }

    #[test]
    fn a_lesson_link_opens_the_lesson_with_the_editor_hidden() {
        let state = AppState::default().apply(Action::Link(LinkAction::Open(
            "http://127.0.0.1:8080/#lesson=flaky-seed&editor=0".into(),
        )));
        assert_eq!(state.tutorial.as_ref().map(|t| t.lesson.id.as_str()), Some("flaky-seed"));
        assert!(state.links.hide_editor && state.links.run_requested);
        assert_eq!(state.links.error, None);
    }

    #[test]
    fn a_bad_link_is_an_error_and_the_work_is_kept() {
        let edited = AppState::default().apply(Action::EditSuite("{ \"version\": 1 }".into()));
        for link in ["#s=1.abc", "#s=9.eJyrVg", "#lesson=nope"] {
            let state = edited.apply(Action::Link(LinkAction::Open(link.into())));
            let error = state.links.error.as_deref().unwrap_or_default();
            assert!(
                error.contains("link could not be opened") || error.contains("no lesson `nope`"),
                "{link}: {error}"
            );
            assert_eq!((&state.suite, &state.data), (&edited.suite, &edited.data), "{link}");
        }
    }

    #[test]
    fn a_link_asking_for_a_file_checks_each_file_loaded() {
        let sample = samples::get("breast_cancer").unwrap();
        let maker = AppState::default()
            .apply(Action::LoadCsv { name: "cancer.csv".into(), bytes: Rc::from(sample.csv) });
        let link = link_of(&maker.suite, &maker.data, BASE, &Flags::default()).unwrap().link;
        let opened = AppState::default().apply(Action::Link(LinkAction::Open(link)));
        let notice = opened.links.data_notice.as_deref().unwrap();
        assert!(
            notice.starts_with("iris.csv is not the file this link was made from")
                && notice.ends_with("Load cancer.csv to reproduce the link's run."),
            "{notice}"
        );
        let wrong = opened.apply(Action::SelectSample("wine".into()));
        assert!(wrong.links.data_notice.as_deref().unwrap().starts_with("wine.csv is not the file"));
        let right = wrong.apply(Action::LoadCsv { name: "cancer.csv".into(), bytes: Rc::from(sample.csv) });
        assert_eq!((right.links.data_notice.as_deref(), right.links.expected.as_ref()), (None, None));
    }

    #[test]
    fn an_invalid_suite_or_missing_data_cannot_be_shared() {
        let state = AppState::default().apply(Action::EditSuite("{".into()));
        assert!(link_of(&state.suite, &state.data, BASE, &Flags::default())
            .unwrap_err()
            .starts_with("fix the suite"));
        let state = AppState::default().apply(Action::SelectSample("nope".into()));
        let state = AppState { data: DataState::Failed { name: "x".into(), message: "y".into() }, ..state };
        assert!(link_of(&state.suite, &state.data, BASE, &Flags::default()).is_err());
        let _ = INITIAL_SUITE;
    }
}
