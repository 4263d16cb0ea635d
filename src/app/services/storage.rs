//! localStorage keeps the suite being edited and which data it runs on, so a reload loses
//! nothing. The entry is [`Saved`]'s versioned JSON (`{"v":1,...}`); an entry that cannot be
//! read is ignored with a console warning.
//!
//! Saving waits for a pause in typing ([`Saver`]): the entry can hold a 1 MB file, too much to
//! write on every keystroke; leaving the page writes what is still pending.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
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
    write(&state.saved());
}

fn write(saved: &Saved) {
    let Some(storage) = storage() else { return };
    if let Err(err) = storage.set_item(KEY, &saved.to_json()) {
        warn(&format!("could not save the playground state: {err:?}"));
    }
}

/// How long typing must pause before the state is written.
const QUIET_MS: i32 = 400;

/// What to save, made only when it is written: a keystroke then costs no copy of the data.
type Pending = Rc<RefCell<Option<Box<dyn Fn() -> Saved>>>>;

/// Writes the latest state once edits pause for [`QUIET_MS`], and at once when the page is
/// hidden or left (a reload right after typing keeps the last keystroke).
pub struct Saver {
    pending: Pending,
    timer: Option<i32>,
    _flush: Closure<dyn FnMut()>,
    _leave: Closure<dyn FnMut()>,
}

impl Default for Saver {
    fn default() -> Saver {
        let pending: Pending = Rc::default();
        let flush = {
            let pending = pending.clone();
            move || {
                if let Some(saved) = pending.borrow_mut().take() {
                    write(&saved());
                }
            }
        };
        let leave = Closure::<dyn FnMut()>::new(flush.clone());
        if let Some(window) = web_sys::window() {
            let _ = window.add_event_listener_with_callback("pagehide", leave.as_ref().unchecked_ref());
        }
        Saver { pending, timer: None, _flush: Closure::<dyn FnMut()>::new(flush), _leave: leave }
    }
}

impl Saver {
    /// Writes what `saved` makes after the next pause (it is called once, then).
    pub fn save_soon(&mut self, saved: impl Fn() -> Saved + 'static) {
        *self.pending.borrow_mut() = Some(Box::new(saved));
        let Some(window) = web_sys::window() else { return };
        if let Some(timer) = self.timer.take() {
            window.clear_timeout_with_handle(timer);
        }
        self.timer = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                self._flush.as_ref().unchecked_ref(),
                QUIET_MS,
            )
            .ok();
    }
}
