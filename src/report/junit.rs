//! The report as JUnit XML, the format CI servers read: one `<testcase>` per test, a
//! `<failure>` (status fail) or `<error>` (status error) holding the explanation and the
//! execution table, `<skipped>` for skipped tests, and warnings as passing cases with the
//! warning in `<system-out>`.
//!
//! A CI server shows these fields in its log and its web page, so each one-line field goes
//! through [`super::fmt::printable`] first, as in the text report; then [`escape`] makes it
//! XML.

use std::fmt::Write;

use super::fmt::printable;
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
    for (name, value) in [
        ("dataset", report.dataset.name.clone()),
        ("rows", report.dataset.rows.to_string()),
        ("sha256", report.dataset.sha256.clone()),
        ("verdict", report.verdict.label().to_lowercase()),
    ] {
        let _ = writeln!(out, r#"      <property name="{name}" value="{}"/>"#, field(&value));
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
                let _ = write!(out, "\n      <system-out>WARN: {}</system-out>\n    ", escape(&detail));
                None
            }
        };
        match element {
            Some("skipped") => {
                let _ = write!(out, "\n      <skipped message=\"{}\"/>\n    ", escape(&message));
            }
            Some(element) => {
                let _ = write!(
                    out,
                    "\n      <{element} message=\"{}\" type=\"{}\">{}</{element}>\n    ",
                    escape(&message),
                    field(&test.kind),
                    escape(&detail)
                );
            }
            None => {}
        }
        out.push_str("</testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// A one-line field (a name, an id) as XML: [`printable`], then [`escape`]d.
fn field(text: &str) -> String {
    escape(&printable(text))
}

/// Escapes text for XML content and attributes. The characters XML 1.0 cannot hold (C0
/// controls but tab, line feed and carriage return; U+FFFE, U+FFFF) become U+FFFD, so the
/// document still parses and the reader sees that something was there; the other control
/// characters are written as character references. Tab, line feed and carriage return stay:
/// the detail is several lines (one-line fields are already [`printable`]).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c if crate::report::fmt::is_unsafe(c) => out.push_str(&format!("&#x{:x};", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escape_handles_markup_and_replaces_control_characters() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;\u{FFFD}");
        assert_eq!(escape("\u{85}\u{202e}"), "&#x85;&#x202e;");
    }
}
