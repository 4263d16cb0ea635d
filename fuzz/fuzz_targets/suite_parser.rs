//! Any text given to the suite parser, as JSON and as YAML: a checked suite or a
//! `SuiteError`, never a panic; a checked suite written back as JSON reads as itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mltest::suite::{parse, Format};

fuzz_target!(|text: &str| {
    for format in [Format::Json, Format::Yaml] {
        if let Ok(suite) = parse(text, format, "fuzz") {
            let again = parse(&suite.to_json(), Format::Json, "fuzz").expect("a checked suite reads back");
            assert_eq!(again, suite);
        }
    }
});
