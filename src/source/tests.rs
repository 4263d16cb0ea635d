use std::path::PathBuf;

use super::*;

/// A fresh directory of its own under the system's temporary one, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("mltest-source-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn file(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.0.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
        path.display().to_string()
    }

    fn path(&self, tail: &str) -> String {
        self.0.join(tail).display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn names(source: &Source) -> Vec<String> {
    source.files.iter().map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).collect()
}

#[test]
fn a_file_is_itself_and_its_format_comes_from_its_name_or_its_first_bytes() {
    let dir = Scratch::new("file");
    let csv = Source::resolve(&dir.file("a.csv", b"x\n1\n")).unwrap();
    assert_eq!((csv.format, csv.bytes, csv.single_file().is_some()), (Format::Csv, 4, true));
    let parquet = Source::resolve(&dir.file("b.parquet", b"PAR1....PAR1")).unwrap();
    assert_eq!(parquet.format, Format::Parquet);
    // A name that says nothing: Parquet's magic bytes decide.
    assert_eq!(Source::resolve(&dir.file("export", b"PAR1....PAR1")).unwrap().format, Format::Parquet);
    assert_eq!(Source::resolve(&dir.file("data.dat", b"x\n1\n")).unwrap().format, Format::Csv);
}

#[test]
fn a_directory_gives_its_data_files_sorted_skipping_hidden_files_markers_and_subdirectories() {
    let dir = Scratch::new("dir");
    dir.file("part-2.csv", b"x\n2\n");
    dir.file("part-1.csv", b"x\n1\n");
    dir.file("_SUCCESS", b"");
    dir.file(".part-1.csv.crc", b"");
    dir.file("notes.md", b"# not data");
    dir.file("old/part-0.csv", b"x\n0\n");
    let source = Source::resolve(&dir.path("")).unwrap();
    assert_eq!(names(&source), ["part-1.csv", "part-2.csv"]);
    assert_eq!((source.format, source.bytes, source.single_file()), (Format::Csv, 8, None));
}

#[test]
fn a_glob_gives_every_file_it_matches_sorted() {
    let dir = Scratch::new("glob");
    dir.file("2026-02.csv", b"x\n2\n");
    dir.file("2026-01.csv", b"x\n1\n");
    dir.file("2025-12.csv", b"x\n0\n");
    let source = Source::resolve(&dir.path("2026-*.csv")).unwrap();
    assert_eq!(names(&source), ["2026-01.csv", "2026-02.csv"]);
}

#[test]
fn nothing_to_read_is_an_error_that_says_what_was_given_and_why() {
    let dir = Scratch::new("errors");
    let missing = dir.path("nope.csv");
    assert_eq!(
        Source::resolve(&missing).unwrap_err().to_string(),
        format!("{missing}: no such file or directory")
    );
    let pattern = dir.path("*.parquet");
    assert_eq!(Source::resolve(&pattern).unwrap_err().to_string(), format!("{pattern}: no file matches"));
    dir.file("notes.md", b"");
    let empty = dir.path("");
    assert_eq!(
        Source::resolve(&empty).unwrap_err().to_string(),
        format!("{empty}: no .csv, .tsv or .parquet file in it")
    );
    let bad = dir.path("[.csv");
    assert!(Source::resolve(&bad).unwrap_err().to_string().starts_with(&format!("{bad}: not a pattern")));
}

#[test]
fn csv_and_parquet_together_are_refused_naming_one_of_each() {
    let dir = Scratch::new("mixed");
    let csv = dir.file("a.csv", b"x\n1\n");
    let parquet = dir.file("b.parquet", b"PAR1....PAR1");
    let err = Source::resolve(&dir.path("")).unwrap_err().to_string();
    assert!(
        err.ends_with(&format!("holds CSV ({csv}) and Parquet ({parquet}); a run reads files of one format")),
        "{err}"
    );
}

fn source(format: Format, files: usize, bytes: u64) -> Source {
    Source {
        given: "data".into(),
        files: (0..files).map(|i| PathBuf::from(format!("{i}"))).collect(),
        format,
        bytes,
    }
}

#[test]
fn the_engine_is_memory_for_one_small_csv_and_datafusion_past_what_memory_reads() {
    const CAP: u64 = 128 << 20;
    let small = source(Format::Csv, 1, 1 << 20);
    assert_eq!(Engine::choose(None, &[&small], CAP), Ok(Engine::Memory));
    for big in [source(Format::Parquet, 1, 1), source(Format::Csv, 2, 2), source(Format::Csv, 1, CAP + 1)] {
        assert_eq!(Engine::choose(None, &[&small, &big], CAP), Ok(Engine::DataFusion));
        let err = Engine::choose(Some(Engine::Memory), &[&small, &big], CAP).unwrap_err();
        assert!(err.starts_with("--engine memory reads one CSV file of at most 128 MB, but data "), "{err}");
        assert!(err.ends_with(": use --engine datafusion"), "{err}");
    }
    assert_eq!(Engine::choose(Some(Engine::Ballista), &[&small], CAP), Ok(Engine::Ballista));
}
