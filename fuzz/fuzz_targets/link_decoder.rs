//! Any text given to the share-link decoder: an opened suite or a `LinkError`, never a panic
//! and never more than the decompression cap; an opened suite makes a link that opens to it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mltest::share::{decode, encode};

fuzz_target!(|text: &str| {
    if let Ok(opened) = decode(text) {
        let link = encode("http://127.0.0.1:8080/", &opened.suite, None, None, &opened.flags).link;
        assert_eq!(decode(&link).expect("a link made from a suite opens").suite, opened.suite);
    }
});
