//! Any text given to the Great Expectations importer: an imported suite or a `SuiteError`,
//! never a panic; an imported suite's text reads back as the same suite, and its export to
//! GX imports again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mltest::gx;
use mltest::suite::{parse, Format};

fuzz_target!(|text: &str| {
    if let Ok(imported) = gx::import(text, "fuzz") {
        let again = parse(&imported.text, Format::Json, "fuzz").expect("an imported suite reads back");
        assert_eq!(again, imported.suite);
        let exported = gx::export(&imported.suite, None);
        gx::import(&exported.text, "fuzz").expect("an export imports");
    }
});
