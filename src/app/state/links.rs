//! The links slice: the page's side of share links (PRODUCT.md §6 Share, §7): the last link
//! made, what opening a link brings, and the file a link asks for. Plain Rust over
//! [`crate::share`], tested natively. Making a link reads the suite and the data, and opening
//! one writes them: those are the root's ([`AppState::share`](super::AppState::share),
//! [`AppState::open_link`](super::AppState::open_link)); the page only reads and writes
//! `location.hash`.

use crate::share::{self, Carried, Flags, LinkError, Shared};
use crate::suite::{DataSource, DataSpec};

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
    /// The reference file an opened link asks for by fingerprint, until a matching one is
    /// loaded in the reference slot.
    pub expected_reference: Option<ExpectedData>,
    /// What the page says about the reference the link asks for.
    pub reference_notice: Option<String>,
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

impl LinkState {
    /// Compares the file now loaded (`name`, its SHA-256 and rows) with the file an opened
    /// link asks for: a match ends the request, a mismatch is said in the notice.
    pub fn check_data(&mut self, name: &str, sha256: &str, rows: usize) {
        check(&mut self.expected, &mut self.data_notice, (name, sha256, rows), "");
    }

    /// Compares the reference now loaded with the reference file an opened link asks for, as
    /// [`LinkState::check_data`] does for the data.
    pub fn check_reference(&mut self, name: &str, sha256: &str, rows: usize) {
        let (expected, notice) = (&mut self.expected_reference, &mut self.reference_notice);
        check(expected, notice, (name, sha256, rows), " as the reference");
    }

    /// No reference is loaded yet: the notice asks for the one the link names.
    pub fn ask_for_reference(&mut self) {
        if let Some(expected) = &self.expected_reference {
            self.reference_notice = Some(format!(
                "This link compares with a reference file: load {} as the reference.",
                expected.name
            ));
        }
    }

    /// The link just made, or why none could be; `reference` names the reference file the
    /// page holds, if any.
    pub fn made(&mut self, shared: Result<Shared, String>, file: &str, reference: Option<&str>) {
        self.shared = Some(shared.map(|shared| {
            let mut note = carried_note(&shared.carried, file);
            if let Some(reference) = reference {
                note = format!("{note}; reference: {}", carried_note(&shared.reference, reference));
            }
            SharedLink { note, link: shared.link, copied: false }
        }));
    }

    /// The clipboard took the last link.
    pub fn copied(&mut self) {
        if let Some(Ok(shared)) = &mut self.shared {
            shared.copied = true;
        }
    }

    /// A link could not be opened: the page says why and keeps the work.
    pub fn refused(&mut self, err: &LinkError) {
        self.error = Some(format!("This link could not be opened: {err}. Your work is unchanged."));
    }
}

/// The file loaded (name, SHA-256, rows) against the one a link asks for: a match ends the
/// request and its notice; a mismatch is said, asking for the file (`role`: how to load it).
fn check(
    expected: &mut Option<ExpectedData>,
    notice: &mut Option<String>,
    loaded: (&str, &str, usize),
    role: &str,
) {
    let Some(asked) = expected else { return };
    match asked.check(loaded.0, loaded.1, loaded.2) {
        Ok(()) => (*expected, *notice) = (None, None),
        Err(mismatch) => {
            *notice = Some(format!("{mismatch}. Load {}{role} to reproduce the link's run.", asked.name))
        }
    }
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
    /// Whether the file `name` (its SHA-256 and rows) is the file the link was made from;
    /// `Err` says how it differs.
    pub fn check(&self, name: &str, sha256: &str, rows: usize) -> Result<(), String> {
        if sha256.eq_ignore_ascii_case(&self.sha256) {
            return Ok(());
        }
        let rows = match self.rows {
            Some(expected) if expected != rows => format!(", {rows} rows instead of {expected}"),
            _ => String::new(),
        };
        Err(format!(
            "{name} is not the file this link was made from: its SHA-256 is {}…, the link's is {}…{rows}",
            &sha256[..12.min(sha256.len())],
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
    /// What `suite_text` reads as: the link's suite, already checked (with its data moved
    /// out), so the editor need not read the text again.
    pub suite: crate::suite::Suite,
    pub data: LinkData,
    /// The reference the link's suite names (§12), if any.
    pub reference: Option<LinkData>,
    pub flags: Flags,
}

/// The file name given to data that came inline in a link.
pub const INLINE_FILE: &str = "shared.csv";
/// The file name given to a reference that came inline in a link.
pub const INLINE_REFERENCE_FILE: &str = "shared-reference.csv";

/// Opens `link` (the page's whole address or its fragment).
pub fn open(link: &str) -> Result<OpenedLink, LinkError> {
    let opened = share::decode(link)?;
    let data = link_data(&opened.suite.data);
    let reference = opened.suite.reference.as_ref().map(link_data);
    let inline = |data: &LinkData| matches!(data, LinkData::Inline(_));
    let (suite_text, suite) = if inline(&data) || reference.as_ref().is_some_and(inline) {
        // The CSV goes to its data panel and the suite to the editor, reading `{"source":
        // "file"}`. Written from the checked suite (as the link itself was), not by parsing
        // the link's text again: a link can carry megabytes of CSV.
        let file = || DataSpec { source: "file".into(), csv: None, path: None, sha256: None, rows: None };
        let mut suite = opened.suite;
        if inline(&data) {
            suite.data = file();
        }
        if reference.as_ref().is_some_and(inline) {
            suite.reference = Some(file());
        }
        (suite.to_json(), suite)
    } else {
        (opened.text(), opened.suite)
    };
    Ok(OpenedLink { suite_text, suite, data, reference, flags: opened.flags })
}

/// What a suite's `data` (or `reference`) field asks the page to load.
fn link_data(spec: &DataSpec) -> LinkData {
    match spec.kind() {
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
    }
}

/// Whether a page address carries a suite link (opening it is then worth an attempt).
pub fn is_link(hash: &str) -> bool {
    hash.trim_start_matches('#').split('&').any(|pair| pair.starts_with("s=") || pair.starts_with("lesson="))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::state::testing::loaded;
    use crate::app::state::{Action, AppState, Bytes, DataState, INITIAL_SUITE};
    use crate::samples;

    const BASE: &str = "http://127.0.0.1:8080/";

    /// What [`ExpectedData::check`] is told of the data `state` holds.
    fn check(expected: &ExpectedData, state: &AppState) -> Result<(), String> {
        let data = loaded(state);
        expected.check(&data.name, &data.sha256, data.rows)
    }

    #[test]
    fn the_initial_page_shares_its_suite_and_names_the_sample() {
        let state = AppState::default();
        let shared = state.link_of(BASE, &Flags::default()).unwrap();
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
            .apply(Action::LoadCsv { name: "mine.csv".into(), bytes: Bytes::from(csv.as_bytes()) })
            .settle_load();
        let shared = state.link_of(BASE, &Flags::default()).unwrap();
        assert_eq!(shared.carried, Carried::Inline);
        let opened = open(&shared.link).unwrap();
        assert_eq!(opened.data, LinkData::Inline(csv.into()));
        assert!(!opened.suite_text.contains("1,x"), "{}", opened.suite_text);
        assert!(opened.suite_text.contains("\"source\": \"file\""));
        // The checked suite the editor is given is what its text reads as.
        let read = crate::suite::parse(&opened.suite_text, crate::suite::Format::Json, "link").unwrap();
        assert_eq!(read, opened.suite);

        // Opening it reads the CSV in the worker, as a file: the data stays until it answers.
        let before = AppState::default();
        let opening = before.apply(Action::Link(LinkAction::Open(shared.link)));
        assert_eq!(opening.loading.as_ref().map(|l| l.name.as_str()), Some(INLINE_FILE));
        assert_eq!(opening.data, before.data);
        assert!(opening.runnable().is_none(), "no run on the old data while the link's loads");
        let opened = opening.settle_load();
        assert_eq!(
            (loaded(&opened).name.as_str(), loaded(&opened).rows, opened.loading.as_ref()),
            (INLINE_FILE, 3, None)
        );
        assert_eq!(loaded(&opened).bytes.in_memory(), Some(csv.as_bytes()));
    }

    #[test]
    fn a_large_file_is_asked_for_and_checked() {
        let sample = samples::get("breast_cancer").unwrap();
        let bytes = Bytes::from(sample.csv);
        let state =
            AppState::default().apply(Action::LoadCsv { name: "cancer.csv".into(), bytes }).settle_load();
        let shared = state.link_of(BASE, &Flags::default()).unwrap();
        assert!(matches!(shared.carried, Carried::Fingerprint { rows: 569, .. }), "{:?}", shared.carried);
        assert!(carried_note(&shared.carried, "cancer.csv").starts_with("cancer.csv is too large to inline"));
        let LinkData::Expect(expected) = open(&shared.link).unwrap().data else { panic!("not asked for") };
        assert_eq!((expected.name.as_str(), expected.rows), ("cancer.csv", Some(569)));
        assert_eq!(check(&expected, &state), Ok(()));

        let other = AppState::default();
        let err = check(&expected, &other).unwrap_err();
        assert!(err.starts_with("iris.csv is not the file this link was made from"), "{err}");
        assert!(err.ends_with(", 150 rows instead of 569"), "{err}");
    }

    /// §12: a link carries the reference slot as it carries the data, and opening it fills
    /// the slot (a link without a reference empties it: it reproduces the run it was made of).
    #[test]
    fn a_link_carries_the_reference_and_fills_the_slot() {
        use crate::app::state::ReferenceAction;
        let csv = "species,island,flipper_length_mm\nAdelie,Dream,181\nGentoo,Biscoe,217\n";
        let reference = |action| AppState::default().apply(Action::Reference(action));
        let maker =
            reference(ReferenceAction::Load { name: "then.csv".into(), bytes: Bytes::from(csv.as_bytes()) })
                .settle_load();
        let shared = maker.link_of(BASE, &Flags::default()).unwrap();
        assert_eq!((&shared.carried, &shared.reference), (&Carried::Sample("iris".into()), &Carried::Inline));
        let opened = open(&shared.link).unwrap();
        assert_eq!(opened.reference, Some(LinkData::Inline(csv.into())));
        assert!(!opened.suite_text.contains("Adelie"), "the CSV leaves the editor: {}", opened.suite_text);
        let receiver = AppState::default().apply(Action::Link(LinkAction::Open(shared.link.clone())));
        assert!(receiver.runnable().is_none(), "no run before the reference is read");
        let received = receiver.settle_load();
        let held = received.reference.as_ref().unwrap();
        assert_eq!(
            (held.name.as_str(), held.rows, held.bytes.in_memory()),
            (INLINE_REFERENCE_FILE, 2, Some(csv.as_bytes()))
        );
        assert_eq!(received.runnable().and_then(|run| run.reference).map(|r| r.rows), Some(2));
        // Shared again, the link carries the same data sets.
        let again = received.link_of(BASE, &Flags::default()).unwrap();
        assert_eq!(open(&again.link).unwrap().reference, opened.reference);

        // A sample is named; a link without a reference empties the slot.
        let sample = reference(ReferenceAction::Sample("penguins_2007".into()));
        let link = sample.link_of(BASE, &Flags::default()).unwrap().link;
        let received = AppState::default().apply(Action::Link(LinkAction::Open(link)));
        assert_eq!(received.reference.as_ref().and_then(|r| r.sample), Some("penguins_2007"));
        let plain = AppState::default().link_of(BASE, &Flags::default()).unwrap().link;
        assert_eq!(received.apply(Action::Link(LinkAction::Open(plain))).reference, None);
    }

    #[test]
    fn a_link_asking_for_a_reference_file_says_so_until_it_is_loaded() {
        use crate::app::state::ReferenceAction;
        let cancer = samples::get("breast_cancer").unwrap();
        let load = |name: &str| ReferenceAction::Load { name: name.into(), bytes: Bytes::from(cancer.csv) };
        let maker = AppState::default().apply(Action::Reference(load("cancer.csv"))).settle_load();
        let shared = maker.link_of(BASE, &Flags::default()).unwrap();
        assert!(matches!(shared.reference, Carried::Fingerprint { rows: 569, .. }), "{:?}", shared.reference);
        let opened = AppState::default().apply(Action::Link(LinkAction::Open(shared.link)));
        let notice = opened.links.reference_notice.as_deref().unwrap();
        assert_eq!(notice, "This link compares with a reference file: load cancer.csv as the reference.");
        let wrong = opened.apply(Action::Reference(ReferenceAction::Sample("wine".into())));
        assert!(wrong.links.reference_notice.as_deref().unwrap().starts_with("wine.csv is not the file"));
        let right = wrong.apply(Action::Reference(load("mine.csv"))).settle_load();
        assert_eq!(
            (right.links.reference_notice.as_deref(), right.links.expected_reference.as_ref()),
            (None, None)
        );
    }

    #[test]
    fn flags_come_back_from_the_link() {
        let state = AppState::default();
        let flags = Flags { run: true, hide_editor: true, lesson: None };
        let shared = state.link_of(BASE, &flags).unwrap();
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
            .apply(Action::LoadCsv { name: "cancer.csv".into(), bytes: Bytes::from(sample.csv) })
            .settle_load();
        let link = maker.link_of(BASE, &Flags::default()).unwrap().link;
        let opened = AppState::default().apply(Action::Link(LinkAction::Open(link)));
        let notice = opened.links.data_notice.as_deref().unwrap();
        assert!(
            notice.starts_with("iris.csv is not the file this link was made from")
                && notice.ends_with("Load cancer.csv to reproduce the link's run."),
            "{notice}"
        );
        let wrong = opened.apply(Action::SelectSample("wine".into()));
        assert!(wrong.links.data_notice.as_deref().unwrap().starts_with("wine.csv is not the file"));
        let right = wrong
            .apply(Action::LoadCsv { name: "cancer.csv".into(), bytes: Bytes::from(sample.csv) })
            .settle_load();
        assert_eq!((right.links.data_notice.as_deref(), right.links.expected.as_ref()), (None, None));
    }

    #[test]
    fn an_invalid_suite_or_missing_data_cannot_be_shared() {
        let state = AppState::default().apply(Action::EditSuite("{".into()));
        assert!(state.link_of(BASE, &Flags::default()).unwrap_err().starts_with("fix the suite"));
        let state = AppState::default().apply(Action::SelectSample("nope".into()));
        let state = AppState { data: DataState::Failed { name: "x".into(), message: "y".into() }, ..state };
        assert!(state.link_of(BASE, &Flags::default()).is_err());
        let _ = INITIAL_SUITE;
    }
}
