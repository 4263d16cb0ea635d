//! Any bytes given to the CSV loader: a table or a `LoadError`, never a panic; a table's
//! profile covers every column and row.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mltest::table::{profile, read_csv, LoadOptions};

fuzz_target!(|bytes: &[u8]| {
    if let Ok(table) = read_csv(bytes, "fuzz.csv", &LoadOptions::default()) {
        let profiles = profile(&table);
        assert_eq!(profiles.len(), table.n_cols());
        assert!(profiles.iter().all(|p| p.rows == table.n_rows() && p.missing <= p.rows));
    }
});
