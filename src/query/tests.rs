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

/// Every bundled data set written as Parquet with the types `read_csv` gives it (through this
/// engine's own reading of the CSV) reads back with the same rows, missing cells and types.
#[test]
fn every_sample_as_typed_parquet_reads_as_its_csv() {
    let dir = std::env::temp_dir().join(format!("mltest-query-parquet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for sample in samples::SAMPLES {
        let csv = dir.join(sample.file);
        std::fs::write(&csv, sample.csv).unwrap();
        let table = table::read_csv(sample.csv, sample.file, &LoadOptions::default()).unwrap();
        let session =
            Session::open(&Source::resolve(&csv.display().to_string()).unwrap(), 64 << 20, &dir).unwrap();
        let typed: Vec<String> = session
            .column_types()
            .unwrap()
            .iter()
            .map(|(name, ty)| {
                let c = quoted(name);
                let value = match ty {
                    ColumnType::Int => format!("{INT}({c})"),
                    ColumnType::Float => format!("{FLOAT}({c})"),
                    ColumnType::Bool => format!("lower({PRESENT}({c})) = 'true'"),
                    ColumnType::Category | ColumnType::Text => format!("{PRESENT}({c})"),
                };
                format!("{value} AS {c}")
            })
            .collect();
        let parquet = dir.join(format!("{}.parquet", sample.name));
        let copy = format!(
            "COPY (SELECT {} FROM {DATA}) TO '{}' STORED AS PARQUET",
            typed.join(", "),
            parquet.display()
        );
        session.query(&copy).unwrap();
        let read =
            Session::open(&Source::resolve(&parquet.display().to_string()).unwrap(), 64 << 20, &dir).unwrap();
        let counts = Counts {
            rows: table.n_rows(),
            missing: table.columns().iter().map(|c| (c.name().to_owned(), c.missing_count())).collect(),
        };
        assert_eq!(read.counts().unwrap(), counts, "{}", sample.file);
        let types: Vec<_> = table.columns().iter().map(|c| (c.name().to_owned(), c.ty())).collect();
        assert_eq!(read.column_types().unwrap(), types, "{}", sample.file);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
