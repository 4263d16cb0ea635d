use super::*;
use crate::samples;
use crate::suite::{DataSource, Format};

const BASE: &str = "http://127.0.0.1:8080/";

fn suite(text: &str) -> Suite {
    suite::parse(text, Format::Json, "suite.json").unwrap()
}

fn iris_gate() -> Suite {
    suite(include_str!("../../static/suites/iris-accuracy-gate.json"))
}

/// The payload of a link: what follows `s=1.`, up to the next flag.
fn payload(link: &str) -> &str {
    let start = link.find("#s=1.").unwrap() + 5;
    let rest = &link[start..];
    &rest[..rest.find('&').unwrap_or(rest.len())]
}

fn with_payload(link: &str, body: &str) -> String {
    format!("{BASE}#s=1.{body}{}", &link[link.find(payload(link)).unwrap() + payload(link).len()..])
}

fn compressed(bytes: &[u8]) -> String {
    BASE64URL.encode(miniz_oxide::deflate::compress_to_vec_zlib(bytes, 6))
}

#[test]
fn every_example_suite_survives_a_round_trip() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static/suites");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let original = suite::parse(&text, Format::from_path(&shown), &shown).unwrap();
        let shared = encode(BASE, &original, None, None, &Flags::default());
        assert_eq!(shared.carried, Carried::AsSuite);
        let opened = decode(&shared.link).unwrap_or_else(|e| panic!("{shown}: {e}"));
        assert_eq!(opened.suite, original, "{shown}");
        assert_eq!(opened.flags, Flags::default());
        // The editor's text reads back as the same suite.
        assert_eq!(suite::parse(&opened.text(), Format::Json, "link").unwrap(), original);
        seen += 1;
    }
    assert!(seen >= 7, "only {seen} example suites");
}

#[test]
fn a_link_is_a_fragment_on_the_page_address() {
    let shared = encode("http://127.0.0.1:8080/#s=1.old", &iris_gate(), None, None, &Flags::default());
    assert!(shared.link.starts_with("http://127.0.0.1:8080/#s=1."), "{}", shared.link);
    assert_eq!(shared.link.matches('#').count(), 1);
    assert!(shared.link.bytes().all(|b| b.is_ascii_alphanumeric() || b":/.#=&-_".contains(&b)));
    // The fragment alone, with or without `#`, opens the same suite.
    let fragment = &shared.link[shared.link.find('#').unwrap()..];
    assert_eq!(decode(fragment).unwrap().suite, iris_gate());
    assert_eq!(decode(&fragment[1..]).unwrap().suite, iris_gate());
}

#[test]
fn flags_survive_a_round_trip() {
    let flags = Flags { run: true, hide_editor: true, lesson: Some("accuracy-gate".into()) };
    let shared = encode(BASE, &iris_gate(), None, None, &flags);
    assert!(shared.link.ends_with("&run=1&editor=0&lesson=accuracy-gate"), "{}", shared.link);
    assert_eq!(decode(&shared.link).unwrap().flags, flags);
}

#[test]
fn a_sample_is_named_not_inlined() {
    let mut original = iris_gate();
    original.data = DataSpec::file("mine.csv", &"0".repeat(64), 3);
    let shared = encode(BASE, &original, Some(Data::Sample("penguins")), None, &Flags::default());
    assert_eq!(shared.carried, Carried::Sample("penguins".into()));
    let opened = decode(&shared.link).unwrap();
    assert_eq!(opened.suite.data.kind(), DataSource::Sample("penguins"));
    assert!(shared.link.len() < 1_000, "{}", shared.link.len());
}

#[test]
fn small_data_is_inlined_and_reads_back_byte_for_byte() {
    let csv = "sepal_length,species\n5.1,setosa\n7.0,versicolor\n";
    let data = Data::File { name: "tiny.csv", bytes: csv.as_bytes(), rows: 2 };
    let shared = encode(BASE, &iris_gate(), Some(data), None, &Flags::default());
    assert_eq!(shared.carried, Carried::Inline);
    assert_eq!(decode(&shared.link).unwrap().suite.data.kind(), DataSource::Inline(csv));
}

#[test]
fn the_iris_file_is_inlined_under_eight_thousand_characters() {
    let iris = samples::get("iris").unwrap();
    let data = Data::File { name: "iris.csv", bytes: iris.csv, rows: 150 };
    let shared = encode(BASE, &iris_gate(), Some(data), None, &Flags { run: true, ..Flags::default() });
    assert_eq!(shared.carried, Carried::Inline);
    assert!(shared.link.len() <= MAX_INLINE_LINK, "{}", shared.link.len());
    let opened = decode(&shared.link).unwrap();
    assert_eq!(opened.suite.data.kind(), DataSource::Inline(std::str::from_utf8(iris.csv).unwrap()));
}

#[test]
fn large_data_is_fingerprinted_with_its_sha256_and_rows() {
    let diabetes = samples::get("breast_cancer").unwrap();
    let table = crate::table::read_csv(diabetes.csv, diabetes.file, &Default::default()).unwrap();
    let data = Data::File { name: "breast_cancer.csv", bytes: diabetes.csv, rows: table.n_rows() };
    let shared = encode(BASE, &iris_gate(), Some(data), None, &Flags::default());
    let Carried::Fingerprint { sha256, rows } = &shared.carried else { panic!("{:?}", shared.carried) };
    assert_eq!((sha256.as_str(), *rows), (table.sha256(), table.n_rows()));
    assert!(shared.link.len() < MAX_INLINE_LINK);
    let opened = decode(&shared.link).unwrap();
    assert_eq!(opened.suite.data.kind(), DataSource::File(Some("breast_cancer.csv")));
    assert_eq!(opened.suite.data.sha256.as_deref(), Some(table.sha256()));
    assert_eq!(opened.suite.data.rows, Some(table.n_rows()));
}

/// A file the page left in the browser (its bytes not at hand) gets the link its bytes would
/// have got when too large to inline, from the SHA-256 and rows its reading gave.
#[test]
fn a_fingerprint_without_the_bytes_is_the_link_of_the_bytes() {
    let cancer = samples::get("breast_cancer").unwrap();
    let table = crate::table::read_csv(cancer.csv, cancer.file, &Default::default()).unwrap();
    let rows = table.n_rows();
    let of_bytes = encode(
        BASE,
        &iris_gate(),
        Some(Data::File { name: "b.csv", bytes: cancer.csv, rows }),
        None,
        &Flags::default(),
    );
    let fingerprint = Data::Fingerprint { name: "b.csv", sha256: table.sha256(), rows };
    assert_eq!(encode(BASE, &iris_gate(), Some(fingerprint), None, &Flags::default()), of_bytes);
}

#[test]
fn data_that_is_not_utf8_is_fingerprinted() {
    let bytes = b"name\ncaf\xe9\n";
    let shared = encode(
        BASE,
        &iris_gate(),
        Some(Data::File { name: "latin1.csv", bytes, rows: 1 }),
        None,
        &Flags::default(),
    );
    assert!(matches!(shared.carried, Carried::Fingerprint { rows: 1, .. }), "{:?}", shared.carried);
}

/// §12: a reference travels as the data does: a sample named, a small file inline, a large
/// one by fingerprint; the data is inlined before the reference when both do not fit.
#[test]
fn a_reference_travels_beside_the_data() {
    let (penguins, cancer) = (samples::get("penguins").unwrap(), samples::get("breast_cancer").unwrap());
    let small = "bill_length_mm\n39.1\n40.3\n";
    let flags = Flags::default();
    let named = encode(BASE, &iris_gate(), None, Some(Data::Sample("penguins_2007")), &flags);
    assert_eq!(
        (&named.carried, &named.reference),
        (&Carried::AsSuite, &Carried::Sample("penguins_2007".into()))
    );
    let opened = decode(&named.link).unwrap().suite;
    assert_eq!(opened.reference.as_ref().map(|r| r.kind()), Some(DataSource::Sample("penguins_2007")));
    assert_eq!(opened.data, iris_gate().data, "the suite's own data is kept");

    let both = encode(
        BASE,
        &iris_gate(),
        Some(Data::File { name: "now.csv", bytes: small.as_bytes(), rows: 2 }),
        Some(Data::File { name: "then.csv", bytes: small.as_bytes(), rows: 2 }),
        &flags,
    );
    assert_eq!((&both.carried, &both.reference), (&Carried::Inline, &Carried::Inline));
    let opened = decode(&both.link).unwrap().suite;
    assert_eq!(opened.reference.as_ref().map(|r| r.kind()), Some(DataSource::Inline(small)));

    // Wine and penguins each fit alone, not together: the data goes inline first.
    let wine = samples::get("wine").unwrap();
    let penguins_file = |name| Data::File { name, bytes: penguins.csv, rows: 344 };
    let now = Data::File { name: "now.csv", bytes: wine.csv, rows: 178 };
    let one = encode(BASE, &iris_gate(), Some(now), Some(penguins_file("then.csv")), &flags);
    assert_eq!(one.carried, Carried::Inline);
    assert!(matches!(one.reference, Carried::Fingerprint { rows: 344, .. }), "{:?}", one.reference);
    assert!(one.link.len() <= MAX_INLINE_LINK, "{}", one.link.len());
    let opened = decode(&one.link).unwrap().suite;
    let reference = opened.reference.unwrap();
    assert_eq!((reference.kind(), reference.rows), (DataSource::File(Some("then.csv")), Some(344)));

    // A large data file leaves the room to the reference.
    let big = Data::File { name: "cancer.csv", bytes: cancer.csv, rows: 569 };
    let other = encode(BASE, &iris_gate(), Some(big), Some(penguins_file("then.csv")), &flags);
    assert!(matches!(other.carried, Carried::Fingerprint { rows: 569, .. }), "{:?}", other.carried);
    assert_eq!(other.reference, Carried::Inline);
}

#[test]
fn a_link_without_a_suite_says_so() {
    for link in ["http://127.0.0.1:8080/", "http://127.0.0.1:8080/#run=1", "", "#"] {
        assert_eq!(decode(link), Err(LinkError::NoSuite), "{link:?}");
    }
    assert!(LinkError::NoSuite.to_string().contains("#s=1."));
}

#[test]
fn a_link_from_a_newer_version_names_both_versions() {
    let link = encode(BASE, &iris_gate(), None, None, &Flags::default()).link.replace("#s=1.", "#s=2.");
    let err = decode(&link).unwrap_err();
    assert_eq!(err, LinkError::Newer { version: 2 });
    assert!(err.to_string().contains("newer mltest (link format 2)"), "{err}");
}

#[test]
fn a_payload_without_a_version_is_malformed() {
    assert_eq!(decode("#s=eJyrVg"), Err(LinkError::BadVersion { found: "eJyrVg".into() }));
    assert_eq!(decode("#s=v1.eJyrVg"), Err(LinkError::BadVersion { found: "v1".into() }));
}

#[test]
fn a_character_outside_base64url_is_named_with_its_position() {
    let link = encode(BASE, &iris_gate(), None, None, &Flags::default()).link;
    let body = payload(&link);
    let bad = format!("{}+{}", &body[..10], &body[11..]);
    let err = decode(&with_payload(&link, &bad)).unwrap_err();
    assert_eq!(err, LinkError::NotBase64 { position: 11, found: '+' });
    assert!(err.to_string().contains("character 11"), "{err}");
    // A non-ASCII character does not trip up the position.
    let bad = format!("{}é{}", &body[..3], &body[4..]);
    assert_eq!(decode(&with_payload(&link, &bad)), Err(LinkError::NotBase64 { position: 4, found: 'é' }));
}

#[test]
fn every_truncation_of_a_link_is_an_error_never_another_suite() {
    let link = encode(BASE, &iris_gate(), None, None, &Flags::default()).link;
    let body = payload(&link);
    for cut in 0..body.len() {
        let err = decode(&with_payload(&link, &body[..cut])).unwrap_err();
        assert!(matches!(err, LinkError::Truncated | LinkError::Damaged), "cut at {cut}: {err:?}");
    }
}

#[test]
fn every_changed_character_is_caught() {
    let link = encode(BASE, &iris_gate(), None, None, &Flags::default()).link;
    let body = payload(&link);
    for at in 0..body.len() {
        let mut tampered = body.as_bytes().to_vec();
        tampered[at] = if tampered[at] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap();
        match decode(&with_payload(&link, &tampered)) {
            Err(_) => {}
            // The last character's low bits are padding: changing only those keeps the bytes.
            Ok(opened) => assert_eq!(opened.suite, iris_gate(), "changed at {at}"),
        }
    }
}

#[test]
fn decompression_is_capped() {
    let bomb = vec![b' '; MAX_SUITE_BYTES + 1];
    let body = compressed(&bomb);
    assert!(body.len() < 20_000, "{}", body.len());
    let err = decode(&format!("#s=1.{body}")).unwrap_err();
    assert_eq!(err, LinkError::TooLarge);
    assert!(err.to_string().contains("10 MB"), "{err}");
}

#[test]
fn an_oversized_link_is_refused_before_decoding() {
    let link = format!("#s=1.{}", "A".repeat(MAX_LINK_CHARS));
    assert!(matches!(decode(&link), Err(LinkError::TooLong { .. })));
}

#[test]
fn a_payload_that_is_not_a_suite_names_the_problem() {
    let err = decode(&format!("#s=1.{}", compressed(b"not json"))).unwrap_err();
    assert!(matches!(err, LinkError::NotJson { .. }), "{err:?}");
    let err = decode(&format!(
        "#s=1.{}",
        compressed(
            br#"{"version": 1, "data": {"source": "sample:iris"}, "tests": [{"id": "a", "kind": "nope"}]}"#
        )
    ))
    .unwrap_err();
    let LinkError::Suite(inner) = &err else { panic!("{err:?}") };
    assert_eq!(inner.file(), LINK_FILE);
    assert!(inner.path().starts_with("tests[0]"), "{inner}");
    assert!(err.to_string().starts_with("the link's suite is not valid: link: tests[0]"), "{err}");
}

/// Links written by format version 1, frozen: every later version must open them to the
/// same suite.
#[test]
fn frozen_version_1_links_still_open() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/links");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "link") {
            let link = std::fs::read_to_string(&path).unwrap();
            let expected = std::fs::read_to_string(path.with_extension("json")).unwrap();
            let opened = decode(&link).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(opened.suite, suite(&expected), "{}", path.display());
            seen += 1;
        }
    }
    assert!(seen >= 3, "only {seen} frozen links");
}

#[test]
fn regression_a_link_with_a_key_given_twice_is_refused_with_its_path() {
    let suite = br#"{"version": 1, "data": {"source": "sample:iris"}, "tests": [
        {"id": "rows", "kind": "row_count_between", "min": 1000, "min": 1}]}"#;
    let err = decode(&format!("#s=1.{}", compressed(suite))).unwrap_err();
    let LinkError::Suite(inner) = &err else { panic!("{err:?}") };
    assert_eq!(inner.path(), "tests[0].min");
    assert!(err.to_string().contains("duplicate key"), "{err}");
}

#[test]
fn regression_a_deeply_nested_link_is_refused_naming_the_limit() {
    let deep = format!(
        "{{\"version\": 1, \"data\": {{\"source\": \"sample:iris\"}}, \"tests\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let err = decode(&format!("#s=1.{}", compressed(deep.as_bytes()))).unwrap_err();
    assert!(matches!(err, LinkError::Suite(_)), "{err:?}");
    assert!(err.to_string().contains(&format!("more than {} levels", suite::MAX_DEPTH)), "{err}");
}
