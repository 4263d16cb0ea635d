//! localStorage keeps the suite being edited and which data it runs on, so a reload loses
//! nothing. The entry is [`Saved`]'s versioned JSON (`{"v":1,...}`); an entry that cannot be
//! read is ignored with a console warning.

use web_sys::Storage;

use crate::app::state::{AppState, Saved};

/// The localStorage key.
pub const KEY: &str = "mltest.playground";

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn warn(message: &str) {
    web_sys::console::warn_1(&format!("mltest: {message}").into());
}

/// The state saved by the last visit, if there is a readable one.
pub fn load() -> Option<AppState> {
    let text = storage()?.get_item(KEY).ok().flatten()?;
    match Saved::parse(&text) {
        Ok(saved) => Some(AppState::from_saved(saved)),
        Err(err) => {
            warn(&format!("ignoring the saved playground state ({err})"));
            None
        }
    }
}

/// Saves what [`AppState::saved`] keeps; a full or refused storage only warns.
pub fn save(state: &AppState) {
    let Some(storage) = storage() else { return };
    if let Err(err) = storage.set_item(KEY, &state.saved().to_json()) {
        warn(&format!("could not save the playground state: {err:?}"));
    }
}
