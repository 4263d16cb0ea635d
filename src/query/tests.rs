use super::*;
use crate::samples;
use crate::table::LoadOptions;

/// Every bundled data set read by both engines: the same rows, and the same missing cells in
/// every column (penguins' `NA`s, diabetes' blanks), column by column.
#[test]
fn the_rows_and_missing_cells_of_every_sample_are_the_memory_engines() {
    let dir = std::env::temp_dir().join(format!("mltest-query-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for sample in samples::SAMPLES {
        let path = dir.join(sample.file);
        std::fs::write(&path, sample.csv).unwrap();
        let table = table::read_csv(sample.csv, sample.file, &LoadOptions::default()).unwrap();
        let source = Source::resolve(&path.display().to_string()).unwrap();
        let session = Session::open(&source, 64 << 20, &dir).unwrap();
        let counts = session.counts().unwrap();
        let expected = Counts {
            rows: table.n_rows(),
            missing: table.columns().iter().map(|c| (c.name().to_owned(), c.missing_count())).collect(),
        };
        assert_eq!(counts, expected, "{}", sample.file);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The type of every column of every bundled data set is the one `read_csv` infers.
#[test]
fn every_samples_column_types_are_the_memory_engines() {
    let dir = std::env::temp_dir().join(format!("mltest-query-types-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for sample in samples::SAMPLES {
        let path = dir.join(sample.file);
        std::fs::write(&path, sample.csv).unwrap();
        let table = table::read_csv(sample.csv, sample.file, &LoadOptions::default()).unwrap();
        let session =
            Session::open(&Source::resolve(&path.display().to_string()).unwrap(), 64 << 20, &dir).unwrap();
        let expected: Vec<_> = table.columns().iter().map(|c| (c.name().to_owned(), c.ty())).collect();
        assert_eq!(session.column_types().unwrap(), expected, "{}", sample.file);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
