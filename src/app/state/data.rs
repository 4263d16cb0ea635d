//! The data slice: the table the page holds (its bytes and what reading them gave), the file
//! being read, and why the last one could not be.
//!
//! Reading a user's file (parsing and profiling it) is the worker's job ([`summarize`] runs
//! there, `app::worker`); this slice only records that a load started ([`Loading`]) and, when
//! the worker answers, keeps its [`TableSummary`] beside the bytes. A bundled sample this
//! build holds is small and read here, at once ([`load_sample`]), so the first verdict waits
//! for no worker; in the page's build the others are fetched and read by the worker.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::samples::{self, Sample};
use crate::table::{self, ColumnProfile, LoadOptions, Table, MISSING_TOKENS};

/// A CSV's bytes as the page holds them, shared (a state is cloned on every action, its
/// bytes never are): in the page's memory, or, for a file picked or dropped that is larger
/// than [`IN_MEMORY_MAX`], left in the browser's `File`. A worker that needs such a file's
/// bytes reads the `File` itself (`app::worker`), so the page's thread never reads, copies or
/// holds a large file: it stays free to answer while the worker works. `Debug` gives the
/// length, not the bytes.
#[derive(Clone)]
pub struct Bytes(Rc<Held>);

/// Where a CSV's bytes are.
pub enum Held {
    Memory(Vec<u8>),
    File(web_sys::File),
    /// A bundled sample this build leaves out (`samples`): the worker that needs it fetches
    /// its file.
    Sample(&'static Sample),
}

/// A picked file up to this size is read into the page's memory (a few milliseconds), so it
/// can be saved for the next visit ([`super::MAX_SAVED_CSV`], the same size) and carried
/// inline by a link; a larger one stays in the browser's `File` (see [`Bytes`]).
pub const IN_MEMORY_MAX: usize = super::MAX_SAVED_CSV;

impl Bytes {
    /// A picked or dropped file, left where the browser keeps it.
    pub fn file(file: web_sys::File) -> Bytes {
        Bytes(Rc::new(Held::File(file)))
    }

    /// A sample's file for the worker to fetch.
    pub fn sample(sample: &'static Sample) -> Bytes {
        Bytes(Rc::new(Held::Sample(sample)))
    }

    /// The bytes, when they are in the page's memory.
    pub fn in_memory(&self) -> Option<&[u8]> {
        match &*self.0 {
            Held::Memory(bytes) => Some(bytes),
            Held::File(_) | Held::Sample(_) => None,
        }
    }

    pub fn held(&self) -> &Held {
        &self.0
    }
}

impl Default for Bytes {
    fn default() -> Bytes {
        Bytes::from(Vec::new())
    }
}

impl PartialEq for Bytes {
    fn eq(&self, other: &Bytes) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
            || match (&*self.0, &*other.0) {
                (Held::Memory(a), Held::Memory(b)) => a == b,
                (Held::File(a), Held::File(b)) => a == b,
                (Held::Sample(a), Held::Sample(b)) => a.name == b.name,
                _ => false,
            }
    }
}

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &*self.0 {
            Held::Memory(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            Held::File(file) => write!(f, "Bytes(a browser file of {} bytes)", file.size()),
            Held::Sample(sample) => write!(f, "Bytes(the sample {} to fetch)", sample.name),
        }
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(bytes: Vec<u8>) -> Bytes {
        Bytes(Rc::new(Held::Memory(bytes)))
    }
}

impl From<&[u8]> for Bytes {
    fn from(bytes: &[u8]) -> Bytes {
        Bytes::from(bytes.to_vec())
    }
}

impl From<String> for Bytes {
    fn from(text: String) -> Bytes {
        Bytes::from(text.into_bytes())
    }
}

/// A CSV that was read: its bytes (sent to the worker for a run) and its shape.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedData {
    pub name: String,
    /// The sample it came from, if any (the sample menu shows it selected).
    pub sample: Option<&'static str>,
    pub bytes: Bytes,
    pub rows: usize,
    pub columns: usize,
    /// The bytes' SHA-256, as reports and share links give it.
    pub sha256: String,
    pub profile: Rc<Vec<ColumnProfile>>,
    /// The header and the first [`PREVIEW_ROWS`] rows as the file writes them.
    pub preview: Rc<Preview>,
}

impl LoadedData {
    /// The bytes of `name` and what reading them gave.
    pub fn new(name: String, sample: Option<&'static str>, bytes: Bytes, summary: TableSummary) -> Self {
        LoadedData {
            name,
            sample,
            bytes,
            rows: summary.rows,
            columns: summary.columns,
            sha256: summary.sha256,
            profile: Rc::new(summary.profile),
            preview: Rc::new(summary.preview),
        }
    }
}

/// How many rows the preview table shows.
pub const PREVIEW_ROWS: usize = 10;

/// The first rows of a file, cells trimmed as the loader trims them; `None` is a missing cell.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Preview {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

/// A file or sample that could not be read: shown in the error banner while the data
/// loaded before it stays.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadFailure {
    pub name: String,
    pub message: String,
}

/// The data the page holds: a table, or why the last file could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum DataState {
    Loaded(LoadedData),
    Failed { name: String, message: String },
}

impl DataState {
    pub fn loaded(&self) -> Option<&LoadedData> {
        match self {
            DataState::Loaded(data) => Some(data),
            DataState::Failed { .. } => None,
        }
    }
}

/// What reading a CSV gives the page, without the table itself: what the worker sends back
/// (a 100 MB file's table stays in the worker; its profile and preview are a few KB).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableSummary {
    pub rows: usize,
    pub columns: usize,
    pub sha256: String,
    pub profile: Vec<ColumnProfile>,
    pub preview: Preview,
}

/// A file being read by the worker. `load` numbers loads as runs are numbered: the answer
/// of a load that a newer one (or a sample) replaced is ignored.
#[derive(Debug, Clone, PartialEq)]
pub struct Loading {
    pub load: u64,
    pub name: String,
    pub bytes: Bytes,
    /// Restored from localStorage: if it no longer loads, the page opens as new, silently.
    pub restored: bool,
    /// The bundled sample it is (fetched by the worker in the page's build), if any.
    pub sample: Option<&'static str>,
}

/// What happens to the page's reference slot (PRODUCT.md §12): the data set `drift` compares
/// the data with, chosen as the data is.
#[derive(Debug, Clone, PartialEq)]
pub enum ReferenceAction {
    /// A bundled sample, read at once.
    Sample(String),
    /// A file of the user's, read by the worker as the data's files are.
    Load { name: String, bytes: Bytes },
    /// The browser could not read the file the user picked.
    Unreadable { name: String, message: String },
    /// No reference in the page: a run takes the suite's own, or the split's train part.
    Clear,
}

/// Reads and profiles `bytes` as the file `name`: the loader's whole work, done by the worker
/// for the user's files (and here, at once, for the small bundled samples).
pub fn summarize(bytes: &[u8], name: &str) -> Result<TableSummary, String> {
    summary(table::read_csv(bytes, name, &LoadOptions::default()), bytes)
}

/// [`summarize`] but for the SHA-256, left empty: the page's loader takes it from the browser,
/// whose SHA-256 runs beside the parse at native speed (the engine's, in wasm, was a quarter
/// of reading a file).
pub fn summarize_unhashed(bytes: &[u8], name: &str) -> Result<TableSummary, String> {
    summary(table::read_csv_hashed(bytes, name, &LoadOptions::default(), String::new()), bytes)
}

fn summary(read: Result<Table, table::LoadError>, bytes: &[u8]) -> Result<TableSummary, String> {
    let table = read.map_err(|err| err.to_string())?;
    Ok(TableSummary {
        rows: table.n_rows(),
        columns: table.n_cols(),
        sha256: table.sha256().to_owned(),
        profile: table::profile(&table),
        preview: preview(bytes, &table),
    })
}

/// How a bundled sample is loaded.
#[derive(Debug, Clone, PartialEq)]
pub enum SampleLoad {
    /// Read at once (the largest sample is 569 rows: a few milliseconds), or why not.
    Read(DataState),
    /// Left out of this build (the page's): the worker fetches and reads its file.
    Fetch { sample: &'static Sample, bytes: Bytes },
}

/// A bundled sample: read here when this build holds its file, else handed to the worker.
pub fn load_sample(name: &str) -> SampleLoad {
    let Some(sample) = samples::get(name) else {
        let failed =
            DataState::Failed { name: name.to_owned(), message: format!("no sample named `{name}`") };
        return SampleLoad::Read(failed);
    };
    if !sample.is_bundled() {
        return SampleLoad::Fetch { sample, bytes: Bytes::sample(sample) };
    }
    SampleLoad::Read(match summarize(sample.csv, sample.file) {
        Ok(summary) => {
            let bytes = Bytes::from(sample.csv);
            DataState::Loaded(LoadedData::new(sample.file.to_owned(), Some(sample.name), bytes, summary))
        }
        Err(message) => DataState::Failed { name: sample.file.to_owned(), message },
    })
}

/// The header and first rows of a file that [`table::read_csv`] read as `table`.
fn preview(bytes: &[u8], table: &Table) -> Preview {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(table.delimiter())
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader
        .byte_records()
        .map_while(Result::ok)
        .filter(|r| r.iter().any(|cell| !cell.trim_ascii().is_empty()))
        .map(|r| r.iter().map(|cell| String::from_utf8_lossy(cell.trim_ascii()).into_owned()).collect());
    let header: Vec<String> = records.next().unwrap_or_default();
    let rows = records
        .take(PREVIEW_ROWS)
        .map(|cells: Vec<String>| {
            (0..header.len())
                .map(|i| {
                    cells
                        .get(i)
                        .filter(|c| !MISSING_TOKENS.iter().any(|t| c.eq_ignore_ascii_case(t)))
                        .cloned()
                })
                .collect()
        })
        .collect();
    Preview { header, rows }
}

#[cfg(test)]
mod tests {
    use crate::app::state::testing::*;
    use crate::app::state::*;
    use crate::samples;

    #[test]
    fn the_page_opens_with_iris_and_its_accuracy_gate() {
        let state = AppState::default();
        let DataState::Loaded(data) = &state.data else { panic!("iris did not load") };
        assert_eq!((data.name.as_str(), data.rows, data.columns), ("iris.csv", 150, 5));
        assert_eq!(data.sample, Some("iris"));
        assert_eq!(data.profile.len(), 5);
        assert!(state.suite.parsed.is_ok());
        assert_eq!(state.run, RunState::Idle);
        assert!(state.runnable().is_some());
    }

    #[test]
    fn every_sample_can_be_selected() {
        for sample in samples::SAMPLES {
            let state = AppState::default().apply(Action::SelectSample(sample.name.into()));
            let DataState::Loaded(data) = &state.data else { panic!("{} did not load", sample.name) };
            assert_eq!(data.sample, Some(sample.name));
        }
    }

    #[test]
    fn a_bad_file_is_an_error_and_keeps_the_suite() {
        let edited = AppState::default().apply(Action::EditSuite("{ \"version\": 1 }".into()));
        let state = edited
            .apply(Action::LoadCsv { name: "empty.csv".into(), bytes: Bytes::from(&b""[..]) })
            .settle_load();
        let Some(LoadFailure { name, message }) = &state.load_error else { panic!("an empty file loaded") };
        assert_eq!(name, "empty.csv");
        assert!(message.contains("empty.csv"), "{message}");
        assert_eq!(state.suite, edited.suite);
        assert_eq!(state.data, edited.data, "the data loaded before is kept");
    }

    #[test]
    fn an_uploaded_csv_replaces_the_sample() {
        let bytes = Bytes::from(&b"a,b\n1,2\n3,4\n"[..]);
        let state =
            AppState::default().apply(Action::LoadCsv { name: "mine.csv".into(), bytes }).settle_load();
        let DataState::Loaded(data) = &state.data else { panic!("did not load") };
        assert_eq!((data.rows, data.columns, data.sample), (2, 2, None));
    }

    #[test]
    fn the_preview_shows_the_first_rows_as_written_with_missing_cells() {
        let state = AppState::default().apply(Action::SelectSample("penguins".into()));
        let preview = &loaded(&state).preview;
        assert_eq!(preview.header[0], "species");
        assert_eq!(preview.rows.len(), PREVIEW_ROWS);
        let bill = preview.header.iter().position(|h| h == "bill_length_mm").unwrap();
        assert_eq!(preview.rows[0][bill].as_deref(), Some("39.1"));
        assert_eq!(preview.rows[3][bill], None, "penguins' fourth row has no bill length");
        let profile = loaded(&state).profile.iter().find(|c| c.name == "bill_length_mm").unwrap();
        assert_eq!(profile.missing, 2);
    }

    #[test]
    fn a_preview_of_a_semicolon_file_with_a_short_row() {
        let bytes = Bytes::from(&b"\xEF\xBB\xBFa;b\n\n1; NA\n2;3\n"[..]);
        let state = AppState::default().apply(Action::LoadCsv { name: "s.csv".into(), bytes }).settle_load();
        let preview = &loaded(&state).preview;
        assert_eq!(preview.header, ["a", "b"]);
        assert_eq!(preview.rows, [vec![Some("1".into()), None], vec![Some("2".into()), Some("3".into())]]);
    }

    #[test]
    fn a_good_file_after_a_bad_one_clears_the_error() {
        let bad = AppState::default()
            .apply(Action::LoadCsv { name: "bad.csv".into(), bytes: Bytes::from(&b"a\n"[..]) })
            .settle_load();
        assert!(bad.load_error.is_some());
        assert!(bad.runnable().is_some(), "the previous data can still be run");
        let unreadable = bad.apply(Action::FileUnreadable { name: "x.csv".into(), message: "denied".into() });
        assert_eq!(unreadable.load_error.as_ref().unwrap().message, "denied");
        let good = unreadable.apply(Action::SelectSample("wine".into()));
        assert_eq!(good.load_error, None);
        assert_eq!(loaded(&good).sample, Some("wine"));
    }

    /// §12: the reference slot loads as the data does, on its own: a file being read holds
    /// runs back, a bad file keeps the reference held and says why, "none" empties it.
    #[test]
    fn the_reference_slot_loads_beside_the_data() {
        let state =
            AppState::default().apply(Action::Reference(ReferenceAction::Sample("penguins_2007".into())));
        assert_eq!(state.reference.as_ref().map(|r| (r.rows, r.sample)), Some((110, Some("penguins_2007"))));
        assert_eq!(state.data, AppState::default().data, "the data is untouched");
        let run = state.runnable().unwrap();
        assert_eq!(
            (run.data.name.as_str(), run.reference.map(|r| r.name.as_str())),
            ("iris.csv", Some("penguins_2007.csv"))
        );

        let bad = ReferenceAction::Load { name: "bad.csv".into(), bytes: Bytes::from(&b"a\n"[..]) };
        let reading = state.apply(Action::Reference(bad));
        assert!(reading.runnable().is_none(), "Run waits for the reference");
        // Both slots read at once (a link brings both): each answer finds its slot.
        let both =
            reading.apply(Action::LoadCsv { name: "now.csv".into(), bytes: Bytes::from(&b"x\n1\n"[..]) });
        let settled = both.settle_load();
        assert_eq!(loaded(&settled).name, "now.csv");
        assert_eq!(settled.reference, state.reference, "the reference held stays");
        let failure = settled.reference_error.as_ref().unwrap();
        assert!(failure.name == "bad.csv" && failure.message.contains("bad.csv"), "{failure:?}");
        assert_eq!(settled.load_error, None, "the data's own error slot is not the reference's");
        let cleared = settled.apply(Action::Reference(ReferenceAction::Clear));
        assert_eq!((cleared.reference.as_ref(), cleared.reference_error.as_ref()), (None, None));
        assert!(cleared.runnable().unwrap().reference.is_none());
    }

    #[test]
    fn the_drift_lesson_puts_its_reference_in_the_slot_and_another_lesson_empties_it() {
        let state = AppState::default().apply(Action::Lesson(LessonAction::Open("fine-last-month".into())));
        assert_eq!(state.reference.as_ref().and_then(|r| r.sample), Some("penguins_2007"));
        let other = state.apply(Action::Lesson(LessonAction::Open("flaky-seed".into())));
        assert_eq!(other.reference, None);
    }

    // Loading in the worker (issue 12): the reducer records the load, the worker answers.

    fn load(state: &AppState, name: &str, csv: &str) -> AppState {
        state.apply(Action::LoadCsv { name: name.into(), bytes: Bytes::from(csv.to_owned()) })
    }

    #[test]
    fn a_file_is_loading_until_the_worker_answers_and_the_data_held_stays() {
        let before = AppState::default();
        let state = load(&before, "mine.csv", "a,b\n1,2\n");
        let loading = state.loading.as_ref().unwrap();
        assert_eq!(
            (loading.load, loading.name.as_str(), loading.bytes.in_memory().unwrap()),
            (1, "mine.csv", &b"a,b\n1,2\n"[..])
        );
        assert_eq!(state.data, before.data, "iris is shown until the file is read");
        assert!(state.runnable().is_none(), "Run waits for the file");
        let done = state.settle_load();
        assert_eq!(
            (loaded(&done).name.as_str(), loaded(&done).rows, done.loading.as_ref()),
            ("mine.csv", 1, None)
        );
        assert!(done.runnable().is_some());
    }

    #[test]
    fn a_newer_load_supersedes_an_older_one() {
        let first = load(&AppState::default(), "first.csv", "a\n1\n");
        let second = load(&first, "second.csv", "b\n2\n3\n");
        assert_eq!(second.loading.as_ref().map(|l| l.load), Some(2));
        let stale =
            second.apply(Action::Loaded { load: 1, result: summarize(b"a\n1\n", "first.csv").map(Box::new) });
        assert_eq!(stale, second, "the answer of the replaced load is ignored");
        let done = stale.settle_load();
        assert_eq!(loaded(&done).name, "second.csv");
        // A sample chosen while a file loads replaces it too.
        let sample = load(&done, "third.csv", "c\n1\n").apply(Action::SelectSample("wine".into()));
        assert_eq!((loaded(&sample).sample, sample.loading.as_ref()), (Some("wine"), None));
        let late = sample.apply(Action::Loaded { load: 3, result: Err("x".into()) });
        assert_eq!(late, sample);
    }

    #[test]
    fn a_summary_is_what_the_page_read_before_on_its_own_thread() {
        for sample in samples::SAMPLES {
            let SampleLoad::Read(DataState::Loaded(at_once)) = data::load_sample(sample.name) else {
                panic!("{}", sample.name)
            };
            let state = AppState::default()
                .apply(Action::LoadCsv { name: sample.file.into(), bytes: Bytes::from(sample.csv) })
                .settle_load();
            assert_eq!(
                LoadedData { sample: Some(sample.name), ..loaded(&state).clone() },
                at_once,
                "{}",
                sample.name
            );
        }
    }
}
