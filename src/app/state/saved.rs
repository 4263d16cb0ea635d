//! What localStorage keeps of the page (the suite text, which data and which reference), as
//! versioned JSON.
//! [`AppState::saved`](super::AppState::saved) makes it; `from_saved` restores it.

/// The version of the [`Saved`] JSON shape.
pub const SAVED_VERSION: u32 = 1;
/// Larger files are not kept in localStorage (a reload falls back to the initial sample).
pub const MAX_SAVED_CSV: usize = 1_000_000;

/// The localStorage entry: `{"v":1,"suite":"...","data":{"kind":"sample","name":"iris"},
/// "reference":{"kind":"none"}}`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Saved {
    pub v: u32,
    pub suite: String,
    pub data: SavedData,
    /// Entries saved before the page had a reference slot have none.
    #[serde(default)]
    pub reference: SavedData,
}

#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SavedData {
    Sample {
        name: String,
    },
    Csv {
        name: String,
        csv: String,
    },
    #[default]
    None,
}

impl Saved {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads an entry; an unreadable one or one of another version is an error.
    pub fn parse(text: &str) -> Result<Saved, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        match value.get("v").and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(SAVED_VERSION) => {}
            other => return Err(format!("unknown version {other:?}")),
        }
        serde_json::from_value(value).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::state::testing::*;
    use crate::app::state::{Action, AppState, Bytes, ReferenceAction, INITIAL_SAMPLE, INITIAL_SUITE};

    #[test]
    fn a_corrupt_or_foreign_saved_entry_is_refused() {
        assert!(Saved::parse("{").is_err());
        assert!(Saved::parse("[]").is_err());
        assert!(Saved::parse(r#"{"v":2,"suite":"","data":{"kind":"none"}}"#).is_err());
        assert!(Saved::parse(r#"{"v":1,"suite":3}"#).is_err());
    }
    #[test]
    fn the_saved_state_restores_the_suite_and_the_sample() {
        let state = AppState::default()
            .apply(Action::SelectSample("penguins".into()))
            .apply(Action::EditSuite("{ \"version\": 1 }".into()));
        let json = state.saved().to_json();
        assert!(json.starts_with("{\"v\":1,"), "{json}");
        let restored = AppState::from_saved(Saved::parse(&json).unwrap());
        // The same text and reading; a restored text was not typed in this page.
        assert_eq!((&restored.suite.text, &restored.suite.parsed), (&state.suite.text, &state.suite.parsed));
        assert_eq!(restored.data, state.data);
    }

    #[test]
    fn the_saved_state_keeps_the_reference_and_reads_entries_saved_without_one() {
        let csv = "species,island\nAdelie,Dream\n";
        let state = AppState::default()
            .apply(Action::Reference(ReferenceAction::Load {
                name: "then.csv".into(),
                bytes: Bytes::from(csv.as_bytes()),
            }))
            .settle_load();
        let saved = state.saved();
        assert_eq!(saved.reference, SavedData::Csv { name: "then.csv".into(), csv: csv.into() });
        let restored = AppState::from_saved(Saved::parse(&saved.to_json()).unwrap()).settle_load();
        assert_eq!(restored.reference, state.reference);
        let sample =
            AppState::default().apply(Action::Reference(ReferenceAction::Sample("penguins_2007".into())));
        let restored = AppState::from_saved(Saved::parse(&sample.saved().to_json()).unwrap());
        assert_eq!(restored.reference.as_ref().and_then(|r| r.sample), Some("penguins_2007"));
        // An entry of a page without the reference slot.
        let old = Saved::parse(r#"{"v":1,"suite":"{}","data":{"kind":"sample","name":"wine"}}"#).unwrap();
        assert_eq!(old.reference, SavedData::None);
        assert_eq!(AppState::from_saved(old).reference, None);
    }

    #[test]
    fn the_saved_state_keeps_a_small_uploaded_file_but_not_a_large_one() {
        let bytes = Bytes::from(&b"x,y\n1,2\n"[..]);
        let state =
            AppState::default().apply(Action::LoadCsv { name: "mine.csv".into(), bytes }).settle_load();
        let saved = state.saved();
        assert_eq!(saved.data, SavedData::Csv { name: "mine.csv".into(), csv: "x,y\n1,2\n".into() });
        // The file is read again by the worker; the initial sample is held until it answers.
        let restoring = AppState::from_saved(Saved::parse(&saved.to_json()).unwrap());
        assert_eq!(loaded(&restoring).sample, Some(INITIAL_SAMPLE));
        assert!(restoring.runnable().is_none(), "no run on the initial sample while the file is read");
        let restored = restoring.settle_load();
        assert_eq!(restored.data, state.data);

        let mut big = b"x\n".to_vec();
        big.extend(std::iter::repeat_n(&b"1\n"[..], MAX_SAVED_CSV / 2 + 1).flatten());
        let state = AppState::default()
            .apply(Action::LoadCsv { name: "big.csv".into(), bytes: Bytes::from(big) })
            .settle_load();
        assert_eq!(state.saved().data, SavedData::None);
        assert_eq!(loaded(&AppState::from_saved(state.saved())).sample, Some(INITIAL_SAMPLE));
    }

    #[test]
    fn an_unknown_saved_sample_or_an_unreadable_saved_file_opens_the_initial_sample() {
        let unknown = Saved {
            v: 1,
            suite: INITIAL_SUITE.into(),
            data: SavedData::Sample { name: "nope".into() },
            reference: SavedData::None,
        };
        assert_eq!(loaded(&AppState::from_saved(unknown)).sample, Some(INITIAL_SAMPLE));
        // Quietly: a saved file that no longer loads is not the user's mistake of today.
        let empty = Saved {
            v: 1,
            suite: INITIAL_SUITE.into(),
            data: SavedData::Csv { name: "e.csv".into(), csv: String::new() },
            reference: SavedData::Csv { name: "r.csv".into(), csv: String::new() },
        };
        let restored = AppState::from_saved(empty).settle_load();
        assert_eq!(
            (loaded(&restored).sample, &restored.load_error, &restored.loading),
            (Some(INITIAL_SAMPLE), &None, &None)
        );
    }
}
