//! The report as JUnit XML, the format CI servers read: one `<testcase>` per test, a
//! `<failure>` (status fail) or `<error>` (status error) holding the explanation and the
//! execution table, `<skipped>` for skipped tests, and warnings as passing cases with the
//! warning in `<system-out>`.
//!
//! A CI server shows these fields in its log and its web page, so each one-line field goes
//! through [`super::fmt::printable`] first, as in the text report; then [`escape`] makes it
//! XML.

use std::fmt::Write;

use super::fmt::{markup, printable};
use super::{text, Report, Status};

pub fn render(report: &Report) -> String {
    let s = &report.summary;
    let seconds = report.timings_ms.values().sum::<f64>() / 1000.0;
    let counts = format!(
        r#"tests="{}" failures="{}" errors="{}" skipped="{}" time="{seconds:.3}""#,
        s.total(),
        s.failed,
        s.errored,
        s.skipped
    );
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, r#"<testsuites name="mltest" {counts}>"#);
    let _ = writeln!(out, r#"  <testsuite name="{}" {counts}>"#, field(&report.suite));
    out.push_str("    <properties>\n");
    let properties = [
        ("dataset".to_owned(), report.dataset.name.clone()),
        ("rows".to_owned(), report.dataset.rows.to_string()),
        ("sha256".to_owned(), report.dataset.sha256.clone()),
        ("verdict".to_owned(), report.verdict.label().to_lowercase()),
    ];
    let samples = report.samples.iter().map(|s| (format!("sample_of_{}", s.of), s.line()));
    for (name, value) in properties.into_iter().chain(samples) {
        let _ = writeln!(out, r#"      <property name="{}" value="{}"/>"#, field(&name), field(&value));
    }
    out.push_str("    </properties>\n");
    for test in &report.tests {
        let _ = write!(
            out,
            r#"    <testcase name="{}" classname="mltest.{}.{}">"#,
            field(&test.id),
            test.family.name(),
            field(&test.kind)
        );
        let message = printable(&test.message);
        // The detail keeps its line breaks (the table's rows); each field in it is printable.
        let mut detail = format!("{message}\n\n{}", text::steps_table(&test.steps));
        if let Some(failures) = test.failures.as_ref().filter(|f| f.count > 0) {
            let _ = writeln!(detail, "\nFailing rows: {}", failures.count);
            for cell in &failures.sample {
                let _ = writeln!(
                    detail,
                    "  line {}  {} = \"{}\"",
                    cell.line,
                    printable(&cell.column),
                    printable(&cell.value)
                );
            }
        }
        let element = match test.status {
            Status::Pass => None,
            Status::Fail => Some("failure"),
            Status::Error => Some("error"),
            Status::Skipped => Some("skipped"),
            Status::Warn => {
                let _ = write!(out, "\n      <system-out>WARN: {}</system-out>\n    ", markup(&detail));
                None
            }
        };
        match element {
            Some("skipped") => {
                let _ = write!(out, "\n      <skipped message=\"{}\"/>\n    ", markup(&message));
            }
            Some(element) => {
                let _ = write!(
                    out,
                    "\n      <{element} message=\"{}\" type=\"{}\">{}</{element}>\n    ",
                    markup(&message),
                    field(&test.kind),
                    markup(&detail)
                );
            }
            None => {}
        }
        out.push_str("</testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// A one-line field (a name, an id) as XML: [`printable`], then [`markup`].
fn field(text: &str) -> String {
    markup(&printable(text))
}
